#!/usr/bin/env bash
# The scratch CNN's training step, NeuralKit against Keras, interleaved in one run (issue 18):
# each round runs NeuralKit with the kernels it chose on this CPU, NeuralKit with Winograd and
# with direct 3x3 convolutions forced, and Keras (bench/peers/keras_bench.py), in a rotating
# order, so that load from other processes hits all of them alike; the report takes medians over
# rounds and the ratio to Keras. Prints the CPU model and the kernels NeuralKit chose first.
#   bench/cnn_step.sh BUILDDIR [ROUNDS]        needs bench/.venv with tensorflow-cpu (bench/run.sh makes it)
#   BEFORE=OTHERBUILDDIR bench/cnn_step.sh ...  adds another build's NeuralKit ("before") to the rotation
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cli="${1:?usage: bench/cnn_step.sh BUILDDIR [ROUNDS]}/tribelens-cli"
rounds="${2:-5}"
py="$here/.venv/bin/python"
[ -x "$py" ] || { echo "cnn_step: $py missing; run bench/run.sh once to make the venv" >&2; exit 1; }
export TF_CPP_MIN_LOG_LEVEL=2
field() { grep -m1 "^$1[[:space:]]*:" /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'; }
echo "CPU: $(field 'model name') (family $(field 'cpu family') model $(field model) stepping $(field stepping)), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "NeuralKit: $("$cli" bench kernels)"
results="$(mktemp)"; trap 'rm -f "$results"' EXIT
run() {  # label
  case "$1" in
    chosen) "$cli" bench cnn-step --batches 30 --json ;;
    winograd) NEURALKIT_WINOGRAD=1 "$cli" bench cnn-step --batches 30 --json ;;
    direct) NEURALKIT_WINOGRAD=0 "$cli" bench cnn-step --batches 30 --json ;;
    before) "$BEFORE/tribelens-cli" bench cnn-step --batches 30 --json ;;
    bf16) NEURALKIT_BF16=1 "$cli" bench cnn-step --batches 30 --json ;;
    keras) (cd "$here/peers" && "$py" keras_bench.py cnn-step --batches 30) 2>/dev/null ;;
  esac | grep '^{' | sed "s/^{/{\"label\": \"$1\", /" >> "$results"
}
labels=(chosen winograd direct keras)
[ -n "${BEFORE:-}" ] && labels+=(before)
# The opt-in bf16 convolutions, where the CPU has bf16 instructions.
grep -qwE 'avx512_bf16|amx_bf16' /proc/cpuinfo && labels+=(bf16)
n=${#labels[@]}
for r in $(seq 1 "$rounds"); do
  for k in $(seq 0 $((n - 1))); do run "${labels[$(( (k + r) % n ))]}"; done
  echo "round $r done (load $(cut -d' ' -f1 /proc/loadavg))" >&2
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
"$py" - "$results" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
med = {l: statistics.median([r["ms_per_batch"] for r in rows if r["label"] == l]) for l in {r["label"] for r in rows}}
rng = {l: (min(v), max(v)) for l in med for v in [[r["ms_per_batch"] for r in rows if r["label"] == l]]}
for l in ["chosen", "winograd", "direct", "bf16", "before", "keras"]:
    if l in med:
        print(f"{l:<9} {med[l]:7.1f} ms per batch of 32 (rounds {rng[l][0]:.1f}-{rng[l][1]:.1f})"
              + (f"   {med[l] / med['keras']:.2f}x Keras" if l != "keras" and "keras" in med else ""))
PY
