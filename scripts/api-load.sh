#!/usr/bin/env bash
# Load on the coordinator's API, as docs/BENCHMARKS.md reports it: a local anvil (a block a second), a deployment, a
# coordinator (API on 127.0.0.1:$PORT), one agent and a few proven slots; then vegeta (a constant-rate load tool:
# `go install github.com/tsenart/vegeta/v12@v12.12.0`) replays a mix of quote, slot, slot-list and prover requests at
# fixed rates: cold (right after the coordinator starts), warm, then higher rates until the API sheds load with 503.
# Usage: scripts/api-load.sh [rate ...]   (default: 500 500 1000 2000 4000; DURATION=20s)
set -euo pipefail
cd "$(dirname "$0")/.."
VEGETA=${VEGETA:-$(command -v vegeta || echo "${GOBIN:-$HOME/go/bin}/vegeta")}
[ -x "$VEGETA" ] || { echo "api-load: vegeta not found (go install github.com/tsenart/vegeta/v12@v12.12.0)" >&2; exit 1; }
DURATION=${DURATION:-20s}
PORT=${PORT:-8089}
RPC_PORT=${RPC_PORT:-8597}
RATES=("$@"); [ ${#RATES[@]} -gt 0 ] || RATES=(500 500 1000 2000 4000)
work=$(mktemp -d); export XDG_DATA_HOME="$work/data"
export DEV=0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80 PROCURA_PASSWORD=load
R=http://127.0.0.1:$RPC_PORT
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
contracts/node_modules/.bin/anvil --port "$RPC_PORT" --block-time 1 > "$work/anvil.log" 2>&1 & pids+=($!)
sleep 2
./procura deploy --rpc-url $R --private-key-env DEV > /dev/null 2>&1
./procura keystore new > "$work/key.txt"
A=$(awk '/^address/{print $2}' "$work/key.txt"); KS=$(awk '/^keystore/{print $2}' "$work/key.txt")
./procura fund --rpc-url $R --private-key-env DEV --to "$A" > /dev/null 2>&1
./procura fund --rpc-url $R --private-key-env DEV --to 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266 --ether 0 > /dev/null 2>&1
./procura agent --rpc-url $R --keystore "$KS" --bond 600 --circuits 0,1 > "$work/agent.log" 2>&1 & pids+=($!)
sleep 15
printf '0x%016x%016x%016x%016x%08x%08x%016x' 100 200 300 400 1 2 150 > "$work/batch.hex"
for i in 1 2 3; do
  ./procura request --rpc-url $R --private-key-env DEV --circuit rollup-2^14 --payload "$work/batch.hex" > /dev/null 2>&1
done
./procura coordinator --rpc-url $R --private-key-env DEV --api-port "$PORT" --data-dir "$work/coordinator" > "$work/coordinator.log" 2>&1 & pids+=($!)
# cold = the first load once the coordinator says it is ready (indexed the slots, warmed up)
for _ in $(seq 120); do curl -sf "http://127.0.0.1:$PORT/health/ready" > /dev/null && curl -sf "http://127.0.0.1:$PORT/v1/slots/1" > /dev/null && break; sleep 0.5; done
B=http://127.0.0.1:$PORT
cat > "$work/targets" <<T
GET $B/v1/quote?livenessPenalty=100&proofPrice=10000000000000000000
GET $B/v1/slots
GET $B/v1/slots/1
GET $B/v1/provers
GET $B/v1/accounts/$A
T
echo "rate/s    requests  ok%   503%  other%  p50_ms  p99_ms  max_ms   (vegeta $DURATION per row, mix of 5 GETs)"
run=0
for rate in "${RATES[@]}"; do
  run=$((run + 1))
  "$VEGETA" attack -rate="$rate" -duration="$DURATION" -timeout=10s -targets="$work/targets" > "$work/r$run.bin"
  "$VEGETA" report -type=json < "$work/r$run.bin" | python3 -c '
import json, sys
r = json.load(sys.stdin); codes = r.get("status_codes", {}); n = r["requests"]
ok = codes.get("200", 0); shed = codes.get("503", 0); lat = r["latencies"]
print("%-9s %-9d %-5.1f %-5.1f %-7.1f %-7.2f %-7.2f %-7.1f" % (sys.argv[1], n, 100.0 * ok / n, 100.0 * shed / n,
      100.0 * (n - ok - shed) / n, lat["50th"] / 1e6, lat["99th"] / 1e6, lat["max"] / 1e6))' "$rate$([ $run -eq 1 ] && echo ' cold' || true)"
done
