#!/usr/bin/env bash
# Builds Procura's container images from parts these machines can reach (no image registry is needed):
#
#   procura/base:bookworm     Debian 12 (minbase) made by debootstrap from Debian's packages and `docker import`ed;
#                             built once and cached by its tag (PROCURA_REBUILD_BASE=1 rebuilds it)
#   procura/postgres:15       PostgreSQL 15 from Debian's packages (FROM the base)
#   procura/anvil:1.7.1       anvil, the local EVM node, from the project's pinned npm package @foundry-rs/anvil
#   procura/procura:<version> the procura CLI: a jlink'ed Java runtime, the jar with its libraries, the native
#                             gnark library and the bundled development keys (the coordinator and the agent)
#
# Usage: docker/build.sh [base|postgres|anvil|procura|all]...   (default: all)
# Needs a running Docker engine (on Debian: apt-get install docker.io debootstrap; dockerd &) and, for the procura
# image, the project built (./procura builds it when it is missing or stale; PROCURA_SKIP_PROJECT_BUILD=1 packs
# app/target as it is, as the Maven build's own container tests do). Prints each step with its time.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DOCKER_DIR="$ROOT/docker"
STAGE="$ROOT/docker/.build"
BASE_TAG="${PROCURA_BASE_IMAGE:-procura/base:bookworm}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
VERSION="$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$ROOT/pom.xml" | head -n 1)"

say() { printf '[docker/build %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { say "error: $*"; exit 1; }
timed() { local t0=$SECONDS; "$@"; say "  done in $((SECONDS - t0)) s"; }

command -v docker >/dev/null || die "no docker client (Debian: apt-get install docker.io)"
docker info >/dev/null 2>&1 || die "no Docker engine answers at ${DOCKER_HOST:-unix:///var/run/docker.sock} (as root: dockerd &)"

build_base() {
  if [ "${PROCURA_REBUILD_BASE:-0}" != 1 ] && docker image inspect "$BASE_TAG" >/dev/null 2>&1; then
    say "base: $BASE_TAG already built (PROCURA_REBUILD_BASE=1 rebuilds it)"; return
  fi
  command -v debootstrap >/dev/null || die "debootstrap is missing (Debian: apt-get install debootstrap)"
  [ "$(id -u)" = 0 ] || die "debootstrap needs root to build the base image"
  local root; root="$(mktemp -d /tmp/procura-base.XXXXXX)"
  say "base: debootstrap bookworm (minbase) from $MIRROR into $root (about half a minute) ..."
  debootstrap --variant=minbase --include=ca-certificates bookworm "$root" "$MIRROR" >"$root.log" 2>&1 \
    || { tail -n 30 "$root.log" >&2; rm -rf "$root"; die "debootstrap failed (log above)"; }
  rm -f "$root.log"
  # no recommends, no docs, an empty apt cache: small layers for everything built FROM it
  printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' >"$root/etc/apt/apt.conf.d/90procura"
  printf 'path-exclude /usr/share/doc/*\npath-exclude /usr/share/man/*\npath-exclude /usr/share/locale/*\n' \
    >"$root/etc/dpkg/dpkg.cfg.d/90procura"
  printf 'deb %s bookworm main\ndeb %s bookworm-updates main\n' "$MIRROR" "$MIRROR" >"$root/etc/apt/sources.list"
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* "$root"/usr/share/man/*
  say "base: docker import as $BASE_TAG ..."
  tar -C "$root" -c . | docker import \
      -c 'ENV LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive' -c 'CMD ["/bin/bash"]' \
      -m "Debian bookworm minbase by debootstrap from $MIRROR" - "$BASE_TAG" >/dev/null
  rm -rf "$root"
}

build_postgres() {
  say "postgres: procura/postgres:15 (PostgreSQL from Debian's packages) ..."
  docker build -q --build-arg "BASE=$BASE_TAG" -t procura/postgres:15 "$DOCKER_DIR/postgres" >/dev/null
}

build_anvil() {
  local bin="$ROOT/contracts/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"
  if [ ! -x "$bin" ]; then
    say "anvil: installing the contracts' npm tool chain (npm ci) ..."
    (cd "$ROOT/contracts" && npm ci --no-audit --no-fund >/dev/null)
  fi
  [ -x "$bin" ] || die "anvil binary not found at $bin after npm ci"
  local ver; ver="$(sed -n 's/.*"@foundry-rs\/anvil": "\(.*\)".*/\1/p' "$ROOT/contracts/package.json")"
  say "anvil: procura/anvil:$ver (from the npm package @foundry-rs/anvil@$ver) ..."
  rm -rf "$STAGE/anvil"; mkdir -p "$STAGE/anvil"
  cp "$DOCKER_DIR/anvil/Dockerfile" "$bin" "$STAGE/anvil/"
  docker build -q --build-arg "BASE=$BASE_TAG" -t "procura/anvil:$ver" -t procura/anvil:latest "$STAGE/anvil" >/dev/null
}

build_procura() {
  local jar="$ROOT/app/target/procura.jar"
  if [ "${PROCURA_SKIP_PROJECT_BUILD:-0}" = 1 ]; then
    say "procura: packing the jar as built (PROCURA_SKIP_PROJECT_BUILD=1) ..."
  else
    say "procura: building the project if needed (./procura --version) ..."
    "$ROOT/procura" --version >/dev/null
  fi
  [ -f "$jar" ] || die "$jar is missing after the build"
  local jhome="${JAVA_HOME:-}"
  if [ -z "$jhome" ] || [ ! -x "$jhome/bin/jlink" ]; then
    jhome="$(ls -d /usr/lib/jvm/temurin-*/ 2>/dev/null | sort -rV | head -n 1)"; jhome="${jhome%/}"
  fi
  [ -x "$jhome/bin/jlink" ] || die "no jlink: set JAVA_HOME to a JDK >= 21"
  say "procura: a Java runtime by jlink from $jhome ..."
  rm -rf "$STAGE/procura"; mkdir -p "$STAGE/procura/opt/procura"
  # the modules the CLI and its libraries use (java.desktop for the sweep plots, jdk.httpserver for agent metrics)
  "$jhome/bin/jlink" --add-modules "$(tr -d ' \n' <"$DOCKER_DIR/procura/modules.txt")" \
    --strip-debug --no-man-pages --no-header-files --compress=zip-6 --output "$STAGE/procura/opt/java"
  cp -r "$jar" "$ROOT/app/target/lib" "$STAGE/procura/opt/procura/"
  mkdir -p "$STAGE/procura/opt/procura/data"
  cp "$ROOT"/data/*.json "$ROOT"/data/*.csv* "$STAGE/procura/opt/procura/data/" 2>/dev/null || true
  cp "$DOCKER_DIR"/procura/Dockerfile "$DOCKER_DIR"/procura/procura "$DOCKER_DIR"/procura/*.sh "$STAGE/procura/"
  say "procura: procura/procura:$VERSION ..."
  docker build -q --build-arg "BASE=$BASE_TAG" -t "procura/procura:$VERSION" -t procura/procura:latest \
    "$STAGE/procura" >/dev/null
}

targets=("$@"); [ ${#targets[@]} -eq 0 ] && targets=(all)
t0=$SECONDS
for t in "${targets[@]}"; do
  case "$t" in
    base) timed build_base ;;
    postgres) timed build_base; timed build_postgres ;;
    anvil) timed build_base; timed build_anvil ;;
    procura) timed build_base; timed build_procura ;;
    all) timed build_base; timed build_postgres; timed build_anvil; timed build_procura ;;
    *) die "unknown image '$t' (base, postgres, anvil, procura or all)" ;;
  esac
done
say "images ready in $((SECONDS - t0)) s:"
docker image ls --format '  {{.Repository}}:{{.Tag}}  {{.Size}}' | grep '^  procura/' >&2 || true
