#!/usr/bin/env bash
# Copies the README's screenshots from the last GUI test run (artifacts/gui-readme-*.png, made by
# Tests/GUI: recognition_tests.py and training_tests.py) into docs/screenshots/, shrunk to
# 960 px wide. Run `make test` (or Tests/GUI/run-gui-tests.sh BUILDDIR) first.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$root/docs/screenshots"
shopt -s nullglob
shots=("$root"/artifacts/gui-readme-*.png)
[ ${#shots[@]} -gt 0 ] || { echo "no artifacts/gui-readme-*.png: run the GUI tests first" >&2; exit 1; }
for shot in "${shots[@]}"; do
  name="$(basename "$shot" .png)"
  convert "$shot" -resize '960x>' -strip "$root/docs/screenshots/${name#gui-readme-}.png"
  echo "docs/screenshots/${name#gui-readme-}.png"
done
