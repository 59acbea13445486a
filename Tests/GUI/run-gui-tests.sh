#!/usr/bin/env bash
# GUI tests: a real window under Xvfb with a D-Bus session, driven through AT-SPI.
set -euo pipefail
echo "GUI tests: none yet"
