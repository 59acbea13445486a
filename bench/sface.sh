#!/usr/bin/env bash
# The face-embedding backend against dlib's ResNet descriptor on the same faces, in one run:
# embeddings per second on both cores, test accuracy on the same split, and TribeLens' training
# time on 5,000 cached embeddings and a 5-face photo from decoded pixels to names.
#   bench/sface.sh [BUILDDIR]          (docs/benchmarks.md, "Face embeddings")
# Needs ../shared (lfw-dev38, the SFace and YuNet files) and PyPI for the dlib venv.
set -euo pipefail
cd "$(dirname "$0")/.."
B=$(cd "${1:-.build/release}" && pwd)
. bench/face_models_env.sh
[ -d "$shared/data/lfw-dev38" ] || { echo "skip: $shared/data/lfw-dev38 not found"; exit 0; }
echo "CPU:$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)  cores=$(nproc)"
"$cli" dataset build --photos "$shared/data/lfw-dev38" --roster bench/rosters/lfw-dev38.json --detector yunet --name lfw >/dev/null
manifest=$XDG_DATA_HOME/tribelens/datasets/lfw/manifest.json

ours=$("$cli" bench sface --dataset lfw --json)
accuracy=$("$cli" train --dataset lfw --backend sface --model lfw --no-augment --json 2>/dev/null \
           | python3 -c 'import json,sys; print(json.load(sys.stdin)["test_metrics"]["accuracy"])')
bench/peers/dlib_setup.sh >&2
peer=$("${TRIBELENS_BENCH_VENV:-$HOME/.cache/tribelens-bench/dlib-venv}/bin/python" bench/peers/dlib_embeddings.py "$manifest" 2>/dev/null)
python3 - "$ours" "$accuracy" "$peer" <<'PY'
import json, sys
ours, accuracy, peer = json.loads(sys.argv[1]), float(sys.argv[2]), json.loads(sys.argv[3])
print("embeddings/s, both cores: sface %.1f, dlib %.1f (2 processes) -> %.2fx dlib" % (
    ours["embeddings_per_second"], peer["embeddings_per_second_2"], ours["embeddings_per_second"] / peer["embeddings_per_second_2"]))
print("test accuracy, same split: sface %.4f, dlib + logistic regression %.4f, dlib + nearest class mean %.4f" % (
    accuracy, peer["test_accuracy_logreg"], peer["test_accuracy_ncm"]))
print("sface training on %d cached embeddings: %.2f s (%d epochs)" % (ours["train_samples"], ours["train_seconds"], ours["train_epochs"]))
print("%s photo, %d faces, decoded pixels to names: %.1f ms (median)" % (ours["photo_pixels"], ours["photo_faces"], ours["photo_ms_median"]))
PY
