#!/usr/bin/env bash
# Creates (or reuses) the Python venv for the OpenCV photo peer (opencv_photo.py).
# Venv: ${TRIBELENS_OPENCV_VENV:-$HOME/.cache/tribelens-bench/opencv-venv}. Safe to run again.
# OpenCV is pinned to 4.7: FaceDetectorYN from 4.8 on reads only the 2023 YuNet model, and the
# shared file (the one TribeLens uses with Debian's 4.6) is the 2022 one. Its wheels were built
# against numpy 1.x, hence numpy<2.
set -euo pipefail

VENV="${TRIBELENS_OPENCV_VENV:-$HOME/.cache/tribelens-bench/opencv-venv}"
PYTHON="${PYTHON:-python3}"

if [ ! -x "$VENV/bin/python" ]; then
    echo "creating venv $VENV" >&2
    mkdir -p "$(dirname "$VENV")"
    "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    'opencv-python-headless==4.7.0.72' 'numpy<2'
"$VENV/bin/python" -c 'import sys, cv2, numpy; print("python %s, opencv-python-headless %s, numpy %s" % (sys.version.split()[0], cv2.__version__, numpy.__version__))'
echo "venv ready: $VENV" >&2
