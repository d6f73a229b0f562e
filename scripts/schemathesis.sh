#!/usr/bin/env bash
# Prints the path of schemathesis's `st` command, pinned to one version, installing it the first time into a Python
# virtual environment in the user's cache (PyPI; about 30 s). Used by the API conformance test (ApiConformanceTest).
set -euo pipefail
VERSION=4.32.5
dir="${XDG_CACHE_HOME:-$HOME/.cache}/procura/schemathesis-$VERSION"
if [ ! -f "$dir/.installed" ]; then
  command -v python3 >/dev/null || { echo "schemathesis.sh: python3 is missing" >&2; exit 1; }
  rm -rf "$dir"
  python3 -m venv "$dir" >&2
  "$dir/bin/pip" install --quiet "schemathesis==$VERSION" >&2
  touch "$dir/.installed"
fi
echo "$dir/bin/st"
