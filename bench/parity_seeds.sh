#!/usr/bin/env bash
# The whole-run parity check (bench/peers/keras_parity.py) on the original preset's full
# lfw-dev38 split, one seed after another: for each seed both NeuralKit and the write-up's Keras
# code start from the draw the original preset makes for that seed (INIT=keras: Keras' draw) and
# see the same batches, so what is left between their accuracies is arithmetic, not the draw.
#   bench/parity_seeds.sh BUILDDIR [SEEDS...]     needs bench/.venv with tensorflow-cpu
# One seed takes about 14 minutes on 2 cores (Keras 10, NeuralKit 3.5, on the Xeon of docs/benchmarks.md).
set -euo pipefail
cd "$(dirname "$0")/.."
build=$(cd "${1:-.build/release}" && pwd); shift || true
seeds=("${@:-1 2 3 4 5}"); seeds=(${seeds[*]})
photos=../shared/data/lfw-dev38
[ -d "$photos" ] || { echo "skip: $photos not found"; exit 0; }
[ -x bench/.venv/bin/python ] || { echo "skip: bench/.venv has no python (see docs/benchmarks.md)"; exit 0; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
export XDG_DATA_HOME="$work/data" XDG_CACHE_HOME="$work/cache" TRIBELENS_PLUGIN_PATH="$build"
cli="$build/tribelens-cli"
echo "CPU: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), cores=$(nproc), init=${INIT:-neuralkit}, seeds: ${seeds[*]}"
for seed in "${seeds[@]}"; do
  name="lfw38-original-$seed"
  "$cli" dataset build --photos "$photos" --roster bench/rosters/lfw-dev38.json --preset original --seed "$seed" \
      --name "$name" >/dev/null 2>&1
  "$cli" dataset export --name "$name" --out "$work/npy-$seed" 2>/dev/null
  out=${OUT:-$work}/parity-$seed
  bench/.venv/bin/python bench/peers/keras_parity.py run --cli "$cli" --data "$work/npy-$seed" --seed "$seed" \
      --init "${INIT:-neuralkit}" --out "$out" | tee "$work/table-$seed.txt" | tail -1 | python3 -c '
import json, sys; r = json.loads(sys.stdin.read())
part = ("learning-rate schedules part at epoch %d" % r["lr_parts_at_epoch"]) if r["lr_parts_at_epoch"] else "same schedule"
print("seed %s: Keras %.1f%% (%d epochs), NeuralKit %.1f%% (%d epochs); %s, loss within %.1e and val_loss within %.1e before it "
      "(whole run: %.1e, %.1e)" % (
    sys.argv[1], 100 * r["keras_test_accuracy"], r["keras_epochs"], 100 * r["neuralkit_test_accuracy"], r["neuralkit_epochs"], part,
    r["max_rel_loss_before"], r["max_rel_val_loss_before"], r["max_rel_loss"], r["max_rel_val_loss"]))' "$seed"
done
