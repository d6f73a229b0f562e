#!/usr/bin/env bash
# The large rollup size classes through JNI (JMH single-shot, io.procura.runtime.bench.ProveBenchmark) against gnark
# natively (go test -bench), interleaved: native, JNI, native, JNI. Keys come from the user's cache: the script runs
# `./procura circuit setup --circuit NAME` first for a class without cached keys (minutes at 2^22, once).
# Usage: gpu-runtime/bench-jni-large.sh [CIRCUIT...]   (default rollup-2^18 rollup-2^20; from the repository root;
#        JAVA_HOME set; after ./mvnw -B install -DskipTests). rollup-2^22 needs about 6 GB of memory per side.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
: "${JAVA_HOME:?set JAVA_HOME to a JDK 17+ (the JNI headers and java)}"
CIRCUITS=("${@:-rollup-2^18 rollup-2^20}")
read -r -a CIRCUITS <<<"${CIRCUITS[*]}"
list=$(./procura circuit list)
for c in "${CIRCUITS[@]}"; do
  row=$(awk -v c="$c" '$1 == c' <<<"$list")
  [ -n "$row" ] || { echo "bench-jni-large: unknown circuit $c" >&2; exit 2; }
  case "$row" in
    *bundled*|*/*) ;;
    *) ./procura circuit setup --circuit "$c" ;;
  esac
done
./mvnw -B -q -pl gpu-runtime test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt \
  -Dmdep.includeScope=test >/dev/null
CP="gpu-runtime/target/test-classes:gpu-runtime/target/classes:$(cat gpu-runtime/target/bench-cp.txt)"
export CGO_CFLAGS="-I$JAVA_HOME/include -I$JAVA_HOME/include/linux"
LIST=$(IFS=,; echo "${CIRCUITS[*]}")
out=$(mktemp -d)
for round in 1 2; do
  (cd gpu-runtime/go && PROCURA_BENCH_CIRCUITS="$LIST" go test ./prover -run '^$' -bench 'ProvePlugin' -benchtime 2x \
    -timeout 60m) | grep '^Benchmark' | tee -a "$out/native.txt"
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dprocura.home="$ROOT" -cp "$CP" org.openjdk.jmh.Main \
    ProveBenchmark -p circuit="$LIST" -bm ss -wi 1 -i 2 -f 1 -rf csv -rff "$out/jni-$round.csv" \
    | grep -E '^ProveBenchmark' || true
done
python3 - "$out" <<'PY'
import csv, glob, re, statistics, sys
out = sys.argv[1]
native = {}
for line in open(f"{out}/native.txt"):
    m = re.match(r"BenchmarkProvePlugin/(\S+?)-\d+\s+\d+\s+(\d+) ns/op", line)
    if m:
        native.setdefault(m.group(1), []).append(int(m.group(2)) / 1e6)
jni = {}
for f in sorted(glob.glob(f"{out}/jni-*.csv")):
    for row in csv.DictReader(open(f)):
        jni.setdefault(row["Param: circuit"], []).append(float(row["Score"]))
print(f"{'circuit':<12} {'native ms':>10} {'JNI ms':>10} {'JNI/native':>10}")
for name in native:
    if name in jni:
        n, j = statistics.mean(native[name]), statistics.mean(jni[name])
        print(f"{name:<12} {n:>10.1f} {j:>10.1f} {j / n:>10.3f}")
PY
