#!/usr/bin/env bash
# The GPU check, in two steps (docs/BENCHMARKS.md, "GPU proving"):
#
#   gpu-runtime/device-check.sh --prepare
#       here, no GPU needed: builds into gpu-runtime/device/ (git-ignored, about 35 MB, under the device tool's 64 MiB
#       carry limit) the GPU worker with the icicle tag and ICICLE's host libraries, ICICLE's CUDA backend for sm_90
#       (icicle/build-cuda-backend.sh: cached; about 21 minutes the first time) and the devicecheck program.
#
#   gpu-runtime/device-check.sh
#       on a machine with an NVIDIA GPU (a lent H100/H200), from the repository root with gpu-runtime/device/ carried:
#       nvidia-smi, then devicecheck proves every circuit from the smallest up to rollup-2^22 on the CPU and through
#       the GPU worker in the same run, verifies every proof on the CPU, and writes device-check.json, its log and
#       nvidia-smi's output to $OUT (default: ./device-check-out). BUDGET (default 240s) bounds the proving; the
#       largest classes are skipped, with the reason, when they would not fit.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
D="$here/device"
if [ "${1:-}" = "--prepare" ]; then
  mkdir -p "$D"
  "$here/icicle/build-worker.sh" "$D" > /dev/null
  backend=$("$here/icicle/build-cuda-backend.sh" 90)
  rm -rf "$D/backend" && cp -r "$backend" "$D/backend"
  # the host libraries of the same build as the backend, beside the worker (its RUNPATH is $ORIGIN)
  cp "$backend"/../libicicle_device.so "$backend"/../libicicle_field_bn254.so "$backend"/../libicicle_curve_bn254.so "$D/"
  (cd "$here/go" && GOTOOLCHAIN=local CGO_ENABLED=1 go build -trimpath -ldflags="-s -w" -o "$D/procura-device-check" ./cmd/devicecheck)
  echo "device-check: prepared $D ($(du -sh "$D" | cut -f1)); on the GPU machine run gpu-runtime/device-check.sh with it carried"
  exit 0
fi
[ -x "$D/procura-device-check" ] || { echo "device-check: $D is not prepared (gpu-runtime/device-check.sh --prepare)" >&2; exit 2; }
OUT=${OUT:-$PWD/device-check-out}
mkdir -p "$OUT"
{ nvidia-smi || echo "nvidia-smi: not available"; } > "$OUT/nvidia-smi.txt" 2>&1
head -20 "$OUT/nvidia-smi.txt"
export ICICLE_BACKEND_INSTALL_DIR="$D/backend"
"$D/procura-device-check" -worker "$D/procura-gpu-worker" -out "$OUT/device-check.json" -budget "${BUDGET:-240s}" \
  2>&1 | tee "$OUT/device-check.log"
