#!/usr/bin/env bash
# Proving through JNI (JMH, io.procura.runtime.bench.ProveBenchmark) against gnark natively (go test -bench),
# interleaved: native, JNI, native, JNI. Prints ms per proof and the JNI/native ratio of each circuit.
# Usage: gpu-runtime/bench-jni.sh   (from the repository root; JAVA_HOME set; after ./mvnw -B install -DskipTests)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
: "${JAVA_HOME:?set JAVA_HOME to a JDK 17+ (the JNI headers and java)}"
./mvnw -B -q -pl gpu-runtime test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt \
  -Dmdep.includeScope=test >/dev/null
CP="gpu-runtime/target/test-classes:gpu-runtime/target/classes:$(cat gpu-runtime/target/bench-cp.txt)"
export CGO_CFLAGS="-I$JAVA_HOME/include -I$JAVA_HOME/include/linux"
out=$(mktemp -d)
for round in 1 2; do
  (cd gpu-runtime/go && go test ./prover -run '^$' -bench 'ProveDigits$|ProvePlugin' -benchtime 5x) \
    | grep '^Benchmark' | tee -a "$out/native.txt"
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dprocura.home="$ROOT" -cp "$CP" org.openjdk.jmh.Main \
    ProveBenchmark -rf csv -rff "$out/jni-$round.csv" | grep -E '^ProveBenchmark' || true
done
python3 - "$out" <<'PY'
import csv, glob, re, statistics, sys
out = sys.argv[1]
native = {}
for line in open(f"{out}/native.txt"):
    m = re.match(r"Benchmark(ProveDigits|ProvePlugin/(\S+?))-\d+\s+\d+\s+(\d+) ns/op", line)
    if m:
        name = "digits" if m.group(1) == "ProveDigits" else m.group(2)
        native.setdefault(name, []).append(int(m.group(3)) / 1e6)
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
