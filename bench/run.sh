#!/usr/bin/env bash
# `make bench`: NeuralKit vs Keras (tensorflow-cpu) vs PyTorch (CPU) on the write-up's networks,
# same synthetic data (64x64x3 raw 0-255 pixels, 24 classes, batch 32), interleaved in one run:
# each round runs every framework once per benchmark, in a rotating order, so that load from other
# processes hits all of them alike; the report takes the median over rounds.
#   bench/run.sh BUILDDIR            (BUILDDIR holds tribelens-cli, e.g. .build/release)
#   ROUNDS=5 bench/run.sh ...        more rounds (default 3)
#   BENCH_EPOCH=0 bench/run.sh ...   skip the peak-memory epoch (34,560 images)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:?usage: bench/run.sh BUILDDIR}"
cli="$build/tribelens-cli"
[ -x "$cli" ] || { echo "bench: $cli not found; build first (make bench does)" >&2; exit 1; }
rounds="${ROUNDS:-3}"
venv="$here/.venv"

# Peers install into a local, git-ignored venv. torch 2.13.0+cpu is the CPU-only wheel (no CUDA
# packages); both pins are what docs/benchmarks.md was measured with.
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import tensorflow, torch, keras" 2>/dev/null; then
  echo "bench: installing tensorflow-cpu and torch (CPU) into $venv ..." >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --upgrade pip
  "$venv/bin/pip" install -q "tensorflow-cpu==2.21.0" "torch==2.13.0+cpu" numpy
fi
py="$venv/bin/python"
export TF_CPP_MIN_LOG_LEVEL=2

results="$(mktemp)"
trap 'rm -f "$results"' EXIT
echo "bench: OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset}, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $rounds rounds" >&2
echo "bench: NeuralKit on this CPU: $("$cli" bench kernels)"

run_one() {  # framework bench batches
  local fw="$1" b="$2" n="$3"
  case "$fw" in
    neuralkit) "$cli" bench "$b" --batches "$n" --json ;;
    keras) (cd "$here/peers" && "$py" keras_bench.py "$b" --batches "$n") 2>/dev/null ;;
    pytorch) (cd "$here/peers" && "$py" torch_bench.py "$b" --batches "$n") 2>/dev/null ;;
  esac | grep '^{' >> "$results" || echo "bench: $fw $b failed" >&2
}

frameworks=(neuralkit keras pytorch)
for r in $(seq 1 "$rounds"); do
  for spec in cnn-step:30 vgg-top-step:8 vgg-frozen-infer:6; do
    b="${spec%%:*}" n="${spec##*:}"
    for k in 0 1 2; do
      run_one "${frameworks[$(( (k + r) % 3 ))]}" "$b" "$n"
    done
  done
  echo "bench: round $r done (load $(cut -d' ' -f1 /proc/loadavg))" >&2
done

"$py" - "$results" <<'PY'
import json, os, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
def med(b, fw):
    v = [r["ms_per_batch"] for r in rows if r["bench"] == b and r["framework"] == fw]
    return (statistics.median(v), len(v)) if v else (None, 0)
print(f"\nNeuralKit vs peers, ms per batch of 32 (median of rounds), OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', 'unset')}")
print(f"{'benchmark':<18}{'NeuralKit':>11}{'Keras':>11}{'PyTorch':>11}{'NK/Keras':>10}{'NK/Torch':>10}  target")
targets = {"cnn-step": "NK/Keras <= 0.5", "vgg-top-step": "NK/Keras <= 1.0", "vgg-frozen-infer": "NK/Keras <= 1.0 (images/s >= Keras)"}
for b in ["cnn-step", "vgg-top-step", "vgg-frozen-infer"]:
    nk, _ = med(b, "neuralkit"); k, _ = med(b, "keras"); t, _ = med(b, "pytorch")
    f = lambda x: f"{x:11.1f}" if x else f"{'n/a':>11}"
    rk = f"{nk / k:10.2f}" if nk and k else f"{'n/a':>10}"
    rt = f"{nk / t:10.2f}" if nk and t else f"{'n/a':>10}"
    print(f"{b:<18}{f(nk)}{f(k)}{f(t)}{rk}{rt}  {targets[b]}")
print("(vgg-frozen-infer: images/s = 32000 / ms; every run is its own process, warm-up excluded)")
PY

if [ "${BENCH_EPOCH:-1}" != "0" ]; then
  echo "" ; echo "Peak memory, one scratch-CNN training epoch over 34,560 synthetic images (bytes in memory):"
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "  max RSS %M kB, %e s wall (/usr/bin/time)" "$cli" bench cnn-epoch --images 34560
  else
    "$cli" bench cnn-epoch --images 34560
  fi
fi
