#!/usr/bin/env bash
# Desktop integration checks (make test-gnome; docs/gnome.md):
#  1. translations: po/tribelens.pot matches the sources, po/*.po complete and well-formed;
#  2. `make install` into a temporary DESTDIR puts every file where it belongs (the face models'
#     licences included), no test plugins;
#  3. the installed `tribelens-cli plugins` finds the installed plugins (and only those), each
#     checked once by the installed tribelens-probe (a second run checks none), and the
#     installed tribelens-convert converts a Keras file;
#  4. `appstreamcli validate` and `desktop-file-validate` pass on the installed files, and the
#     desktop file, metainfo and icons agree on the app id;
#  5. the installed `tribelens` finds its installed Japanese catalog (`--help` under ja_JP).
#   Tests/Install/run-install-test.sh BUILDDIR
# The last line is `GNOME: N passed, M failed`.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
builddir="${1:?usage: run-install-test.sh BUILDDIR}"
case "$builddir" in /*) ;; *) builddir="$root/$builddir" ;; esac
cd "$root"
app_id=io.github.tribelens.TribeLens
prefix=/usr/local
passed=0; failed=0
pass() { passed=$((passed + 1)); echo "PASS $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; }
check() { local name="$1"; shift; if "$@"; then pass "$name"; else fail "$name"; fi; }

for tool in appstreamcli desktop-file-validate msgfmt python3; do
  command -v "$tool" >/dev/null || { echo "GNOME tests: $tool is missing (run scripts/install-deps.sh --test)"; echo "GNOME: 0 passed, 1 failed"; exit 1; }
done

stage="$(mktemp -d /tmp/tribelens-install-XXXXXX)"
trap 'rm -rf "$stage"' EXIT
dest="$stage/root"
installed="$dest$prefix"

check "translations complete and current" scripts/translations.sh check

if make --no-print-directory -s install DESTDIR="$dest" PREFIX="$prefix" BUILDDIR="$builddir" >"$stage/install.log" 2>&1; then
  pass "make install DESTDIR=... PREFIX=$prefix"
else
  cat "$stage/install.log"; fail "make install DESTDIR=... PREFIX=$prefix"
fi

expected=(
  bin/tribelens bin/tribelens-cli lib/tribelens/tribelens-probe lib/tribelens/tribelens-convert
  lib/tribelens/plugins/libSFaceEmbedding.so lib/tribelens/plugins/libScratchCNN.so lib/tribelens/plugins/libVGG16Transfer.so
  share/tribelens/rosters/ldh.json
  share/applications/$app_id.desktop share/metainfo/$app_id.metainfo.xml
  share/icons/hicolor/scalable/apps/$app_id.svg share/icons/hicolor/symbolic/apps/$app_id-symbolic.svg
  share/locale/ja/LC_MESSAGES/tribelens.mo
  share/licenses/tribelens/LICENSE-sface.txt share/licenses/tribelens/LICENSE-yunet.txt
)
files_ok() {
  local ok=0
  for f in "${expected[@]}"; do [ -s "$installed/$f" ] || { echo "  missing: $prefix/$f"; ok=1; }; done
  [ -x "$installed/bin/tribelens" ] && [ -x "$installed/bin/tribelens-cli" ] || { echo "  binaries not executable"; ok=1; }
  [ -x "$installed/lib/tribelens/tribelens-probe" ] && [ -x "$installed/lib/tribelens/tribelens-convert" ] \
    || { echo "  helpers not executable"; ok=1; }
  local extra; extra="$(find "$installed/lib/tribelens/plugins" -name 'libTest*')"
  [ -z "$extra" ] || { echo "  test plugins installed: $extra"; ok=1; }
  cmp -s Resources/rosters/ldh.json "$installed/share/tribelens/rosters/ldh.json" || { echo "  roster differs"; ok=1; }
  local licence
  for licence in LICENSE-sface.txt LICENSE-yunet.txt; do
    cmp -s "Resources/licenses/$licence" "$installed/share/licenses/tribelens/$licence" || { echo "  $licence differs"; ok=1; }
  done
  grep -q "Apache License" "$installed/share/licenses/tribelens/LICENSE-sface.txt" || { echo "  LICENSE-sface.txt is not Apache-2.0"; ok=1; }
  grep -q "^MIT License" "$installed/share/licenses/tribelens/LICENSE-yunet.txt" || { echo "  LICENSE-yunet.txt is not MIT"; ok=1; }
  return $ok
}
check "installed files in place ($(( ${#expected[@]} )) files, no Test* plugins)" files_ok

# The installed CLI, with an empty user data folder and no TRIBELENS_PLUGIN_PATH, must find
# exactly the installed plugins through the prefix's lib/tribelens/plugins.
plugins_found() {
  local run
  for run in 1 2; do
    env -u TRIBELENS_PLUGIN_PATH HOME="$stage/home" XDG_DATA_HOME="$stage/home/data" XDG_CACHE_HOME="$stage/home/cache" \
      "$installed/bin/tribelens-cli" plugins --json >"$stage/plugins-$run.json" 2>"$stage/plugins.err" \
      || { cat "$stage/plugins.err"; return 1; }
  done
  python3 - "$stage/plugins-1.json" "$installed/lib/tribelens/plugins" "$stage/plugins-2.json" <<'PY'
import json, os, sys
report = json.load(open(sys.argv[1]))
folder = os.path.realpath(sys.argv[2])
again = json.load(open(sys.argv[3]))
found = {b["id"]: os.path.realpath(b.get("path") or "") for b in report["backends"]}
print("  backends: %s; refused: %d" % (", ".join("%s (%s)" % (k, os.path.relpath(v, folder)) for k, v in sorted(found.items())),
                                      len(report["refused"])))
wanted = {"sface", "scratch-cnn", "vgg16-transfer"}
problems = []
if set(found) != wanted:
    problems.append("expected backends %s, found %s" % (sorted(wanted), sorted(found)))
problems += ["%s loaded from %s, not the install prefix" % (k, v) for k, v in found.items() if os.path.dirname(v) != folder]
problems += ["refused: " + r["message"] for r in report["refused"]]
# Each plugin was checked in a child by the installed tribelens-probe, once: the second run
# used the remembered verdicts.
if sorted(os.path.realpath(p) for p in report.get("probed", [])) != sorted(found.values()):
    problems.append("first run probed %s, expected the installed plugins" % report.get("probed"))
if again.get("probed") != [] or sorted(b["id"] for b in again["backends"]) != sorted(found):
    problems.append("second run probed %s and found %s" % (again.get("probed"), [b["id"] for b in again["backends"]]))
if not any(os.path.realpath(e["directory"]) == folder and e["origin"] == "prefix" for e in report["search_path"]):
    problems.append("the prefix's plugin folder is not on the search path")
for p in problems:
    print("  " + p)
sys.exit(1 if problems else 0)
PY
}
check "installed tribelens-cli plugins finds the installed plugins" plugins_found

# The installed converter runs from the prefix (libhdf5 and the Swift runtime found) and converts.
converter_runs() {
  "$installed/lib/tribelens/tribelens-convert" --cpu-seconds 30 --memory-mb 1024 keras-h5 \
    Tests/KerasWeightsTests/Fixtures/keras_legacy_small.h5 "$stage/small.safetensors" >"$stage/convert.json" 2>&1 \
    || { cat "$stage/convert.json"; return 1; }
  grep -q '"converted":true' "$stage/convert.json" && [ -s "$stage/small.safetensors" ] || { cat "$stage/convert.json"; return 1; }
}
check "installed tribelens-convert converts a Keras file" converter_runs

appstream_ok() {
  appstreamcli validate --no-net --strict "$installed/share/metainfo/$app_id.metainfo.xml" >"$stage/as.log" 2>&1 \
    || { cat "$stage/as.log"; return 1; }
}
check "appstreamcli validate --strict (installed metainfo)" appstream_ok

desktop_ok() {
  local out; out="$(desktop-file-validate "$installed/share/applications/$app_id.desktop" 2>&1)"
  [ -z "$out" ] || { echo "$out"; return 1; }
}
check "desktop-file-validate (installed desktop file)" desktop_ok

ids_agree() {
  local desktop="$installed/share/applications/$app_id.desktop" ok=0
  grep -qx "Icon=$app_id" "$desktop" || { echo "  desktop Icon= is not $app_id"; ok=1; }
  grep -qx "Exec=tribelens %U" "$desktop" || { echo "  desktop Exec= is not tribelens %U"; ok=1; }
  grep -q "<launchable type=\"desktop-id\">$app_id.desktop</launchable>" "$installed/share/metainfo/$app_id.metainfo.xml" \
    || { echo "  metainfo launchable does not name $app_id.desktop"; ok=1; }
  grep -q "static let appID = \"$app_id\"" Sources/TribeLens/Desktop/TribeLensIdentity.swift \
    || { echo "  the app's id differs"; ok=1; }
  # Icons: well-formed SVG; the symbolic one is 16x16 and one colour.
  python3 - "$installed/share/icons/hicolor" "$app_id" <<'PY' || ok=1
import sys, xml.etree.ElementTree as ET
base, app = sys.argv[1:3]
full = ET.parse("%s/scalable/apps/%s.svg" % (base, app)).getroot()
sym = ET.parse("%s/symbolic/apps/%s-symbolic.svg" % (base, app)).getroot()
problems = []
if full.get("viewBox") is None: problems.append("scalable icon has no viewBox")
if (sym.get("width"), sym.get("height")) != ("16", "16"): problems.append("symbolic icon is not 16x16")
colours = {e.get("fill") for e in sym.iter() if e.get("fill") not in (None, "none")}
if len(colours) != 1: problems.append("symbolic icon uses %d colours" % len(colours))
for p in problems: print("  " + p)
sys.exit(1 if problems else 0)
PY
  return $ok
}
check "desktop file, metainfo, icons and app agree on $app_id" ids_agree

# The installed app reads its catalog from ../share/locale (no display needed for --help).
japanese_help() {
  if ! locale -a 2>/dev/null | grep -qi '^ja_JP\.utf-\?8$'; then
    echo "  the ja_JP.UTF-8 locale is not generated (scripts/install-deps.sh --test)"; return 1
  fi
  local out; out="$(env -u LANGUAGE -u LC_ALL -u LC_MESSAGES -u TRIBELENS_LOCALEDIR LANG=ja_JP.UTF-8 \
                    "$installed/bin/tribelens" --help 2>&1)"
  echo "$out" | grep -q "写真の中の顔を見つけて枠で囲みます" || { echo "  --help under ja_JP.UTF-8 said:"; echo "$out" | head -5; return 1; }
}
check "installed tribelens speaks Japanese under LANG=ja_JP.UTF-8" japanese_help

echo "GNOME: $passed passed, $failed failed"
[ $failed -eq 0 ]
