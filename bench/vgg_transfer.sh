#!/usr/bin/env bash
# VGG16 transfer training at the write-up's sizes: NeuralKit (through the vgg16-transfer plugin,
# with its feature cache) vs Keras (tensorflow-cpu), on the same synthetic data sizes, one after
# the other in this run. Keras takes about 4 minutes per epoch here.
#   bench/vgg_transfer.sh BUILDDIR [EPOCHS]      (venv: bench/.venv with tensorflow-cpu)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-.build/release}
epochs=${2:-3}
py=bench/.venv/bin/python
echo "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-<unset>}  cores=$(nproc)  34,560 train + 960 validation, batch 32"
ours=$(TRIBELENS_PLUGIN_PATH="$build" "$build/tribelens-cli" bench vgg-transfer --epochs "$epochs" --json)
keras=$("$py" bench/peers/keras_vgg_transfer.py --epochs 2 | tail -1)
python3 - "$ours" "$keras" "$epochs" <<'PY'
import json, sys
ours, keras, epochs = json.loads(sys.argv[1]), json.loads(sys.argv[2]), int(sys.argv[3])
k = keras["epoch_seconds"]; o = ours["epoch_seconds"]
k_steady = min(k[1:] or k); o_steady = min(o[1:] or o)
run_ours = o[0] + 27 * o_steady; run_keras = k[0] + 27 * k_steady
print(f"{'':22}{'NeuralKit':>12}{'Keras':>12}{'ratio':>9}")
print(f"{'first epoch (s)':22}{o[0]:12.1f}{k[0]:12.1f}{o[0]/k[0]:9.2f}")
print(f"{'steady epoch (s)':22}{o_steady:12.1f}{k_steady:12.1f}{o_steady/k_steady:9.2f}")
print(f"{'28-epoch run (s, est.)':22}{run_ours:12.0f}{run_keras:12.0f}{run_ours/run_keras:9.2f}")
print(f"{'peak RSS (MB)':22}{ours['peak_rss_mb']:12.0f}{keras['peak_rss_mb']:12.0f}")
PY
