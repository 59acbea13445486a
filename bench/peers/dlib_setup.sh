#!/usr/bin/env bash
# Creates (or reuses) the Python venv for the dlib face-embedding peer (dlib_embeddings.py).
# Venv: ${TRIBELENS_BENCH_VENV:-$HOME/.cache/tribelens-bench/dlib-venv}. Safe to run again: an
# existing venv is kept and pip only installs what is missing. Prints the versions in use.
# face_recognition_models imports pkg_resources, which setuptools dropped in 81, hence the pin.
set -euo pipefail

VENV="${TRIBELENS_BENCH_VENV:-$HOME/.cache/tribelens-bench/dlib-venv}"
PYTHON="${PYTHON:-python3}"

if [ ! -x "$VENV/bin/python" ]; then
    echo "creating venv $VENV" >&2
    mkdir -p "$(dirname "$VENV")"
    "$PYTHON" -m venv "$VENV"
fi

# dlib-bin ships prebuilt wheels (no compiler, no cmake); the model files come in
# face_recognition_models' own package data.
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    'dlib-bin>=19.24' 'face_recognition_models>=0.3.0' 'setuptools<81' 'numpy' 'pillow'

"$VENV/bin/python" - <<'PY'
import importlib.metadata as md
import sys
import warnings

warnings.filterwarnings("ignore")  # pkg_resources' deprecation notice
import dlib
import face_recognition_models

print(f"python {sys.version.split()[0]}")
for dist in ("dlib-bin", "face_recognition_models", "setuptools", "numpy", "pillow"):
    print(f"{dist} {md.version(dist)}")
print(f"dlib module {dlib.__version__}")
print(f"models {face_recognition_models.face_recognition_model_location()}")
PY
echo "venv ready: $VENV" >&2
