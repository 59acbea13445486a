#!/usr/bin/env bash
# Accuracy of the scratch CNN on lfw-dev38 (all 38 people), presets original and recommended,
# 3 seeds each, next to the write-up's own Keras code on the same (original) split.
#   bench/accuracy.sh BUILDDIR [SEEDS...]      needs bench/.venv with tensorflow-cpu for the peer
#   PRESETS="recommended" bench/accuracy.sh ...  only some presets; KERAS=0 skips the peer
# On 2 busy cores one 50-epoch run of the original preset takes about 10 minutes (Keras' too).
set -euo pipefail
cd "$(dirname "$0")/.."
build=$(cd "${1:-.build/release}" && pwd); shift || true
seeds=("${@:-1 2 3}"); seeds=(${seeds[*]})
photos=../shared/data/lfw-dev38
[ -d "$photos" ] || { echo "skip: $photos not found"; exit 0; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
export XDG_DATA_HOME="$work/data" XDG_CACHE_HOME="$work/cache" TRIBELENS_PLUGIN_PATH="$build"
cli="$build/tribelens-cli"
roster=bench/rosters/lfw-dev38.json
echo "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-<unset>}  cores=$(nproc)  seeds: ${seeds[*]}"
printf '%-12s %-5s %10s %7s %12s\n' preset seed accuracy epochs "s/epoch"
for seed in "${seeds[@]}"; do
  for preset in ${PRESETS:-original recommended}; do
    name="lfw38-$preset-$seed"
    "$cli" dataset build --photos "$photos" --roster "$roster" --preset "$preset" --seed "$seed" --name "$name" >/dev/null 2>&1
    "$cli" train --dataset "$name" --backend scratch-cnn --preset "$preset" --seed "$seed" --model "$name" \
        >"$work/out.txt" 2>"$work/err.txt"
    acc=$(sed -n "s/.*test accuracy \([0-9.]*\)%.*/\1/p" "$work/out.txt")
    epochs=$(grep -c '^Epoch ' "$work/err.txt")
    sec=$(sed -n 's/^Epoch [0-9/]* - \([0-9.]*\)s .*/\1/p' "$work/err.txt" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    printf '%-12s %-5s %9s%% %7s %12s\n' "$preset" "$seed" "$acc" "$epochs" "$sec"
    if [ "$preset" = original ] && [ "${KERAS:-1}" = 1 ] && [ -x bench/.venv/bin/python ]; then
      "$cli" dataset export --name "$name" --out "$work/npy" 2>/dev/null
      bench/.venv/bin/python bench/peers/keras_writeup_cnn.py "$work/npy" "$seed" 2>/dev/null | tail -1 | python3 -c '
import json, sys; r = json.loads(sys.stdin.read())
print("%-12s %-5s %9.1f%% %7d %12.2f" % ("keras", sys.argv[1], 100 * r["accuracy"], r["epochs"], r["epoch_seconds"]))' "$seed"
    fi
  done
done
