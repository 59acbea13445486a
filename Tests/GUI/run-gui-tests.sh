#!/usr/bin/env bash
# GUI tests: the real tribelens window under Xvfb with a private D-Bus session, driven through
# AT-SPI (names and accessible actions) and a real XDND drag. See docs/gui.md.
#   Tests/GUI/run-gui-tests.sh BUILDDIR [TEST_NAME...]
# Screenshots and app logs go to artifacts/. The last line is `GUI: N passed, M failed`.
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
builddir="${1:?usage: run-gui-tests.sh BUILDDIR [TEST_NAME...]}"
shift
case "$builddir" in /*) ;; *) builddir="$root/$builddir" ;; esac
binary="$builddir/tribelens"
shared="$root/../shared"
artifacts="$root/artifacts"

fail() { echo "GUI tests: $1" >&2; echo "GUI: 0 passed, 1 failed"; exit 1; }

if [ ! -d "$shared/data/group-photos" ]; then
  echo "GUI tests skipped: ../shared/data/group-photos is absent (the test photos live outside the repository)."
  exit 0
fi
[ -x "$binary" ] || fail "no app at $binary (build first: swift build -c release)"
for tool in xvfb-run dbus-run-session xdotool import; do
  command -v "$tool" >/dev/null || fail "$tool is missing (run scripts/install-deps.sh --test)"
done
# The Debian python: pyenv/venv pythons lack pyatspi and PyGObject.
python=/usr/bin/python3
"$python" -c 'import pyatspi, gi; gi.require_version("Gtk", "3.0"); from gi.repository import Gtk' \
  2>/dev/null || fail "$python lacks pyatspi or GTK 3 PyGObject (run scripts/install-deps.sh --test)"
fc-list :lang=ja family | grep -q . || fail "no Japanese font (fonts-noto-cjk)"
# The app's translations, where the uninstalled build looks for them (docs/gnome.md).
"$root/scripts/translations.sh" build "$builddir/locale" || fail "could not compile po/*.po (gettext)"
mkdir -p "$artifacts"
rm -f "$artifacts"/gui-*  # screenshots and logs of an earlier run would mislead

# A fresh X server and D-Bus session per run: nothing leaks in from the desktop, and every
# process the tests start dies with the session. The whole run is capped at 20 minutes (about 5 on an idle 2-core machine; the cap is for a hang).
# A throwaway config folder (settings.ini, dconf) set before the bus starts, so D-Bus-activated
# dconf sees it too; English UI unless a test asks for another language.
config="$(mktemp -d /tmp/tribelens-gui-config-XXXXXX)"
trap 'rm -rf "$config"' EXIT
log="$artifacts/gui-run.log"
timeout --kill-after=10 1200 \
  xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
  env XDG_CONFIG_HOME="$config" \
  dbus-run-session -- \
  env -u SESSION_MANAGER -u AT_SPI_BUS_ADDRESS -u LANGUAGE -u LC_ALL -u LC_MESSAGES NO_AT_BRIDGE=0 LANG=C.UTF-8 \
  "$python" "$here/gui_tests.py" "$binary" "$shared" "$artifacts" "$@" 2>&1 \
  | grep --line-buffered -v -e 'Failed to set fd limit' -e 'Activating service' \
         -e 'Successfully activated' -e 'SpiRegistry daemon' -e 'dbind-WARNING' -e '^$' \
  | tee "$log"
status=${PIPESTATUS[0]}
# The closing line must be there even when the driver itself died (timeout, crash).
if ! grep -q '^GUI: [0-9]* passed, [0-9]* failed' "$log"; then
  [ $status -eq 0 ] && status=1
  reason="the test driver stopped early"
  { [ $status -eq 124 ] || [ $status -eq 137 ]; } && reason="timed out after 1200 s"
  echo "GUI: 0 passed, 1 failed ($reason)"
fi
exit $status
