#!/usr/bin/env bash
# Accuracy of the face-embedding backend (sface) next to the write-up's backends on the same
# split, over several seeds, and the open-set check with held-out strangers (docs/accuracy.md).
#   bench/sface_accuracy.sh .build/release
# Needs ../shared (photos, SFace and YuNet files). Uses its own XDG folders under $TMPDIR.
set -euo pipefail
B=${1:-.build/release}
SEEDS=${SEEDS:-"0 1 2"}
SHARED=$(cd "$(dirname "$0")/../../shared" && pwd)
work=$(mktemp -d)
export XDG_DATA_HOME=$work/data XDG_CACHE_HOME=$work/cache
mkdir -p "$XDG_DATA_HOME/tribelens/weights"
ln -s "$SHARED/models/face_recognition_sface_2021dec_dq.onnx" "$SHARED/models/face_detection_yunet_2022mar.onnx" "$XDG_DATA_HOME/tribelens/weights/"
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-)"
acc() { python3 -c 'import json,sys; m=json.load(sys.stdin); print("%.4f" % m["test_metrics"]["accuracy"])'; }
run() {  # name photos build-flags...
  local name=$1 photos=$2; shift 2
  python3 "$(dirname "$0")/roster_from_folders.py" "$photos" "$name" > "$work/$name.json"
  for seed in $SEEDS; do
    "$B/tribelens-cli" dataset build --photos "$photos" --roster "$work/$name.json" --seed "$seed" --name "$name-$seed" "$@" >/dev/null
    for backend in sface scratch-cnn; do
      extra=(); [ "$backend" = sface ] && extra=(--no-augment)
      a=$("$B/tribelens-cli" train --dataset "$name-$seed" --backend "$backend" --model "$name-$backend-$seed" --seed "$seed" "${extra[@]}" --json | acc)
      echo "$name seed $seed $backend test accuracy $a"
    done
  done
}
run lfw-dev38 "$SHARED/data/lfw-dev38" --detector yunet
run kpop-crops14 "$SHARED/data/kpop-crops14" --already-cropped
run messy-scrape "$SHARED/data/messy-scrape" --detector yunet
rm -rf "$work"
