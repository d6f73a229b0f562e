#!/usr/bin/env bash
# Builds ICICLE's host-only libraries for BN254 (libicicle_device, libicicle_field_bn254, libicicle_curve_bn254:
# no CUDA, about 100 s on one core) once per ICICLE version, cached under ~/.cache/procura/icicle/<version>-host.
# They are all that `go build -tags icicle` links; the CUDA backend is a separate set of libraries loaded at run time
# (build-cuda-backend.sh). Prints the directory holding the libraries.
# Usage: gpu-runtime/icicle/build-host.sh
source "$(dirname "$0")/common.sh"
out="$CACHE_ROOT/$ICICLE_VERSION-host"
if [ -f "$out/lib/libicicle_curve_bn254.so" ] && [ -f "$out/lib/libicicle_device.so" ]; then
  echo "$out/lib"; exit 0
fi
need cmake "apt-get install cmake"
need g++ "apt-get install g++"
src=$(icicle_sources)
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
echo "icicle: building the host-only ICICLE $ICICLE_VERSION libraries for BN254 (about 100 s a core; once) ..." >&2
start=$(date +%s)
cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCURVE=bn254 -DG2=ON -DMSM=ON -DNTT=ON \
  -DCUDA_BACKEND=OFF -DCMAKE_INSTALL_PREFIX="$out.tmp" > "$build/configure.log" 2>&1 \
  || { cat "$build/configure.log" >&2; exit 1; }
cmake --build "$build" --target install -j "$(nproc)" > "$build/build.log" 2>&1 || { tail -40 "$build/build.log" >&2; exit 1; }
rm -rf "$out" && mv "$out.tmp" "$out"
echo "icicle: host libraries built in $(( $(date +%s) - start )) s: $(du -sh "$out/lib" | cut -f1) in $out/lib" >&2
echo "$out/lib"
