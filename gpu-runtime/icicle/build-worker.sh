#!/usr/bin/env bash
# Builds the GPU worker with the icicle tag (gnark's ICICLE Groth16 prover) into OUT (default
# gpu-runtime/target/native-build/gpu): procura-gpu-worker, linked against ICICLE's host-only libraries
# (build-host.sh, cached) which are copied beside it and found through an $ORIGIN rpath. No GPU or CUDA is needed to
# build it; at run time it proves on CUDA device 0 with the backend in ICICLE_BACKEND_INSTALL_DIR, and says so when it
# cannot (the runtime then proves on the CPU). Usage: gpu-runtime/icicle/build-worker.sh [OUT]
source "$(dirname "$0")/common.sh"
out=${1:-$GPU_RUNTIME_DIR/target/native-build/gpu}
lib=$("$(dirname "$0")/build-host.sh")
mkdir -p "$out"
cd "$GPU_RUNTIME_DIR/go"
CGO_ENABLED=1 CGO_LDFLAGS="-L$lib -Wl,-rpath,\$ORIGIN" \
  go build -trimpath -tags icicle -ldflags="-s -w" -o "$out/procura-gpu-worker" ./cmd/gpuworker
cp "$lib"/libicicle_device.so "$lib"/libicicle_field_bn254.so "$lib"/libicicle_curve_bn254.so "$out/"
echo "$out/procura-gpu-worker"
