#!/usr/bin/env python3
"""Writes a TribeLens roster (one member per sub-folder, all in one group) for accuracy runs on
photo sets that are not LDH groups (lfw-dev38, kpop-crops14, messy-scrape).
Usage: bench/roster_from_folders.py PHOTO_ROOT ROSTER_ID > roster.json"""
import json, os, re, sys

root, roster_id = sys.argv[1], sys.argv[2]
members = []
for name in sorted(os.listdir(root)):
    if os.path.isdir(os.path.join(root, name)):
        ident = re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-")
        members.append({"id": ident, "ja": name, "romaji": name, "aliases": [name], "groups": ["all"]})
json.dump({"schema": 1, "id": roster_id, "name": roster_id, "groups": [{"id": "all", "name": roster_id}],
           "members": members}, sys.stdout, ensure_ascii=False, indent=1)
