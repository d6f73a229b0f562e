# Shared by the ICICLE build scripts (sourced): versions, where the sources are, where builds are cached.
# ICICLE comes with icicle-gnark (MIT), a Go module whose C++/CUDA sources sit in its icicle/ folder; the version is
# the one gnark v0.14.0 requires (go.mod), so the sources arrive through the Go module proxy like any dependency.
set -euo pipefail
ICICLE_MODULE=github.com/ingonyama-zk/icicle-gnark/v3
ICICLE_VERSION=v3.2.2
GPU_RUNTIME_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/procura/icicle"
export GOTOOLCHAIN=local GOFLAGS=-mod=readonly

icicle_sources() {
  local dir
  dir=$(cd "$GPU_RUNTIME_DIR/go" && go mod download -json "$ICICLE_MODULE@$ICICLE_VERSION" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
  [ -f "$dir/icicle/CMakeLists.txt" ] || { echo "icicle: no ICICLE sources in $dir" >&2; exit 1; }
  echo "$dir/icicle"
}

need() {
  command -v "$1" > /dev/null || { echo "icicle: $1 is missing ($2)" >&2; exit 1; }
}
