"""Inputs that crashed or hung, kept in Tests/Fuzz/regressions/FAMILY/ID/ (case.json and the
case's files under files/) and replayed before every fuzz run. Only small files are kept;
a larger case keeps its recipe (run seed and input index), which regenerates it from the same
seeds."""

import hashlib
import json
import os
import re

from .families import Case

MAX_BYTES = 256 * 1024


def case_id(case):
    digest = hashlib.sha256()
    for name in sorted(case.files):
        digest.update(name.encode() + b"\0" + (case.files[name] if case.files[name] is not None else b"<deleted>"))
    digest.update(" ".join(case.command).encode())
    return digest.hexdigest()[:12]


def signature(family, outcome):
    """What tells two failures apart: the outcome and the top frames of Swift's backtrace
    (addresses and offsets dropped), so one bug is saved once, not once per input."""
    frames = []
    for line in outcome.stderr.splitlines():
        match = re.match(r"\s*(\d+) (?:\[[a-z]+\] )*\s*0x[0-9a-f]+ (.*)", line)
        if match and int(match.group(1)) < 3:
            frames.append(re.sub(r" \+ \d+| at .*:\d+:\d+|0x[0-9a-f]+", "", match.group(2)).strip())
    return " | ".join([family, outcome.kind, outcome.detail] + frames)


def known_signatures(root, family):
    return {meta.get("signature", "") for _, meta, _ in load_all(root, family)}


def save(root, family, case, outcome, recipe, owner=""):
    """Writes the case unless it is already there; returns its folder."""
    folder = os.path.join(root, family, case_id(case))
    if os.path.exists(os.path.join(folder, "case.json")):
        return folder
    size = sum(len(d) for d in case.files.values() if d is not None)
    keep_files = size <= MAX_BYTES
    meta = {"family": family, "seed": case.seed, "note": case.note, "command": case.command, "refuse": case.refuse,
            "expect": case.expect, "found": {"kind": outcome.kind, "detail": outcome.detail, "status": outcome.status},
            "signature": signature(family, outcome), "recipe": recipe, "owner": owner,
            "files": {name: (None if data is None else ("files/" + name if keep_files else "recipe"))
                      for name, data in case.files.items()}}
    os.makedirs(os.path.join(folder, "files"), exist_ok=True)
    if keep_files:
        for name, data in case.files.items():
            if data is not None:
                with open(os.path.join(folder, "files", name), "wb") as f:
                    f.write(data)
    with open(os.path.join(folder, "case.json"), "w") as f:
        json.dump(meta, f, indent=2, ensure_ascii=False)
        f.write("\n")
    return folder


def load_all(root, family):
    """(folder, meta, Case or None when only the recipe is kept) for each saved case."""
    base = os.path.join(root, family)
    if not os.path.isdir(base):
        return []
    found = []
    for entry in sorted(os.listdir(base)):
        folder = os.path.join(base, entry)
        meta_path = os.path.join(folder, "case.json")
        if not os.path.exists(meta_path):
            continue
        with open(meta_path) as f:
            meta = json.load(f)
        files = {}
        complete = True
        for name, where in meta["files"].items():
            if where is None:
                files[name] = None
            elif where == "recipe":
                complete = False
            else:
                with open(os.path.join(folder, where), "rb") as f:
                    files[name] = f.read()
        case = Case(files, meta.get("seed", ""), meta.get("refuse", False), meta.get("expect", ""), meta.get("note", ""),
                    meta.get("command", [])) if complete else None
        found.append((folder, meta, case))
    return found
