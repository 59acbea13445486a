#!/usr/bin/env bash
# Installs the Debian 12 packages TribeLens builds, runs and tests with, when they are missing.
# As root it runs apt-get itself; otherwise it prints the exact command and fails.
#   scripts/install-deps.sh          build + run
#   scripts/install-deps.sh --test   also what the GUI tests need (Xvfb, AT-SPI, xdotool, ...)
set -euo pipefail

packages=(
  pkg-config libgtk-4-dev libopencv-dev opencv-data libhdf5-dev libdnnl-dev libjpeg-dev libpng-dev
  fonts-noto-cjk gettext
)
if [ "${1:-}" = "--test" ]; then
  packages+=(
    xvfb xauth xdotool dbus dbus-x11 at-spi2-core python3-pyatspi python3-gi gir1.2-atspi-2.0
    gir1.2-gtk-3.0 imagemagick appstream desktop-file-utils
    locales gsettings-desktop-schemas dconf-service dconf-gsettings-backend libglib2.0-bin
  )
fi

# The Japanese UI test runs the app with LANG=ja_JP.UTF-8, which must be a generated locale.
ensure_japanese_locale() {
  [ "${1:-}" = "--test" ] || return 0
  locale -a 2>/dev/null | grep -qi '^ja_JP\.utf-\?8$' && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "The GUI tests need the ja_JP.UTF-8 locale. Run:" >&2
    echo "  sudo sed -i 's/^# *ja_JP.UTF-8 UTF-8/ja_JP.UTF-8 UTF-8/' /etc/locale.gen && sudo locale-gen" >&2
    exit 1
  fi
  echo "Generating the ja_JP.UTF-8 locale" >&2
  grep -q '^ja_JP.UTF-8 UTF-8' /etc/locale.gen 2>/dev/null || echo 'ja_JP.UTF-8 UTF-8' >> /etc/locale.gen
  locale-gen >/dev/null
}

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  ensure_japanese_locale "${1:-}"
  exit 0
fi

cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "TribeLens needs these Debian packages: ${missing[*]}" >&2
  echo "Run:  sudo apt-get update && sudo $cmd" >&2
  exit 1
fi
echo "Installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
$cmd
ensure_japanese_locale "${1:-}"
