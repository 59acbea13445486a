#!/usr/bin/env bash
# Detection time on a 12 MP photo (4000x3000), per detector and preset.
#   bench/detect.sh [BUILDDIR] [REPEATS]
# Makes the photo from ../shared/data/group-photos/test1.jpg with ImageMagick (two faces, upscaled).
# PREDICT_MODEL=NAME (a model in $XDG_DATA_HOME/tribelens/models) also times `tribelens-cli predict`.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-.build/release}
repeats=${2:-5}
shared=../shared
[ -d "$shared/data/group-photos" ] || { echo "skip: $shared/data/group-photos not found"; exit 0; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
convert "$shared/data/group-photos/test1.jpg" -resize '4000x3000!' -quality 92 "$tmp/photo-12mp.jpg"
cli="$build/tribelens-cli"
echo "CPU:$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)  OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-<unset>}  cores=$(nproc)  photo=4000x3000 JPEG"
run() {
  local label=$1; shift
  # First run warms caches and loads models; the median of the rest is reported.
  "$cli" detect --timing "$@" "$tmp/photo-12mp.jpg" >/dev/null 2>&1 || true
  for _ in $(seq "$repeats"); do
    "$cli" detect --timing "$@" "$tmp/photo-12mp.jpg" 2>&1 >/dev/null | sed -n 's/.*decode \([0-9.]*\) ms, detect \([0-9.]*\) ms.*/\1 \2/p'
  done | sort -n -k2 | awk -v label="$label" '{d[NR]=$1; t[NR]=$2} END {m=int((NR+1)/2); printf "%-26s decode %7.1f ms   detect %8.1f ms (median of %d)\n", label, d[m], t[m], NR}'
  "$cli" detect "$@" "$tmp/photo-12mp.jpg" | head -1 | sed 's/.*, /    faces: /'
}
run "haar --preset default" --preset default
run "haar --preset original" --preset original
if [ -f "$shared/models/face_detection_yunet_2022mar.onnx" ]; then
  run "yunet" --detector yunet --yunet-model "$shared/models/face_detection_yunet_2022mar.onnx"
fi
if [ -n "${PREDICT_MODEL:-}" ]; then
  # Wall time of the whole process (start, model and plugin load, decode, detect, crops, names).
  "$cli" predict --model "$PREDICT_MODEL" "$tmp/photo-12mp.jpg" >/dev/null 2>&1 || true
  for _ in $(seq "$repeats"); do
    s=$(date +%s.%N); "$cli" predict --model "$PREDICT_MODEL" "$tmp/photo-12mp.jpg" >/dev/null 2>&1; e=$(date +%s.%N)
    echo "$e - $s" | bc
  done | sort -n | awk -v m="$PREDICT_MODEL" '{t[NR]=$1} END {printf "%-26s wall %7.3f s (median of %d)\n", "predict --model " m, t[int((NR+1)/2)], NR}'
fi
