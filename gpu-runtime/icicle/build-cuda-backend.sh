#!/usr/bin/env bash
# Builds ICICLE's CUDA backend for BN254 (MSM on G1 and G2, NTT) for one GPU architecture, with the CUDA 13 compiler
# from PyPI (no CUDA toolkit or GPU needed): about 21 minutes and 1 GB of memory on 2 cores, cached under
# ~/.cache/procura/icicle/<version>-cuda<nvcc>-sm<arch>. Not part of the default build or CI; run it once, then
# gpu-runtime/device-check.sh --prepare copies the result into the carried folder.
# Usage: gpu-runtime/icicle/build-cuda-backend.sh [arch]   (default 90: H100/H200). Prints the backend directory.
source "$(dirname "$0")/common.sh"
ARCH=${1:-90}
NVCC_VERSION=13.0.88
out="$CACHE_ROOT/$ICICLE_VERSION-cuda$NVCC_VERSION-sm$ARCH"
if [ -d "$out/lib/backend" ]; then echo "$out/lib/backend"; exit 0; fi
need cmake "apt-get install cmake"
need g++ "apt-get install g++"
need python3 "apt-get install python3 python3-venv"
# The CUDA 13 wheels carry a working nvcc (the CUDA 12 ones hold only ptxas); 13.0 matches driver 580.
venv="$CACHE_ROOT/nvcc-$NVCC_VERSION"
if [ ! -x "$venv/bin/python" ]; then
  echo "icicle: installing nvcc $NVCC_VERSION from PyPI into $venv (about 100 MB) ..." >&2
  python3 -m venv "$venv.tmp"
  "$venv.tmp/bin/pip" install --quiet nvidia-cuda-nvcc==$NVCC_VERSION nvidia-nvvm==$NVCC_VERSION \
    nvidia-cuda-crt==$NVCC_VERSION nvidia-cuda-runtime==13.0.96 nvidia-cuda-cccl==13.0.85 >&2
  rm -rf "$venv" && mv "$venv.tmp" "$venv"
fi
CU=$("$venv/bin/python" -c 'import nvidia, os; print(os.path.join(nvidia.__path__[0], "cu13"))')
# nvcc links -lcudart_static from lib64 and the build wants libcudart.so
ln -sfn lib "$CU/lib64"
[ -e "$CU/lib/libcudart.so" ] || ln -sf libcudart.so.13 "$CU/lib/libcudart.so"
export PATH="$CU/bin:$PATH"
src=$(icicle_sources)
build="$CACHE_ROOT/build-cuda-sm$ARCH"
rm -rf "$build" "$out.tmp"
echo "icicle: building the CUDA backend for sm_$ARCH (about 21 min on 2 cores; log in $build.log) ..." >&2
start=$(date +%s)
cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCURVE=bn254 -DG2=ON -DMSM=ON -DNTT=ON \
  -DCUDA_BACKEND=ON -DCUDA_ARCH="$ARCH" -DCMAKE_CUDA_COMPILER="$CU/bin/nvcc" -DCUDAToolkit_ROOT="$CU" \
  -DCMAKE_CUDA_ARCHITECTURES="$ARCH" -DCMAKE_INSTALL_PREFIX="$out.tmp" > "$build.configure.log" 2>&1 \
  || { cat "$build.configure.log" >&2; exit 1; }
cmake --build "$build" --target install -j "${JOBS:-$(nproc)}" > "$build.log" 2>&1 || { tail -40 "$build.log" >&2; exit 1; }
rm -rf "$out" && mv "$out.tmp" "$out" && rm -rf "$build"
echo "icicle: CUDA backend (sm_$ARCH) built in $(( $(date +%s) - start )) s: $(du -sh "$out/lib/backend" | cut -f1) in $out/lib/backend" >&2
echo "$out/lib/backend"
