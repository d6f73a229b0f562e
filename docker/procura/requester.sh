#!/bin/bash
# The compose stack's requester: opens a rollup-2^14 slot (a 48-byte batch: four balances, one transfer) every
# REQUEST_INTERVAL seconds [10] with `procura request`, which quotes, opens, draws if nobody has, waits for the
# designate's proof, prints the outputs or the refund, and claims. Environment: PROCURA_RPC_URL, REQUESTER_KEY,
# PROVE_WINDOW [30 s], REQUESTS [0: forever], COORDINATOR_URL (when set, the first slot waits until the coordinator
# quotes the circuit, i.e. some agent is bonded and opted in).
set -uo pipefail
RPC="${PROCURA_RPC_URL:?PROCURA_RPC_URL is not set}"
: "${REQUESTER_KEY:?REQUESTER_KEY is not set}"
if [ -n "${COORDINATOR_URL:-}" ]; then
  for t in $(seq 1 120); do
    curl -fsS -o /dev/null "$COORDINATOR_URL/v1/quote?livenessPenalty=100&proofPrice=10000000000000000000&circuitId=1" && break
    [ $((t % 10)) = 1 ] && echo "requester: waiting for an eligible prover of rollup-2^14 ($COORDINATOR_URL/v1/quote)"
    sleep 1
  done
fi
i=0
while [ "${REQUESTS:-0}" = 0 ] || [ "$i" -lt "${REQUESTS}" ]; do
  i=$((i + 1))
  amount=$(( (i % 90) + 10 ))
  printf '0x%016x%016x%016x%016x%08x%08x%016x' 100 200 300 400 1 2 "$amount" >/tmp/batch.hex
  echo "requester: slot $i, transfer of $amount from account 1 to account 2"
  procura request --rpc-url "$RPC" --deployment /shared/deployment.json --private-key-env REQUESTER_KEY \
    --circuit rollup-2^14 --payload /tmp/batch.hex --prove-window "${PROVE_WINDOW:-30}" --timeout PT5M \
    || echo "requester: slot $i: procura request exited with $?"
  sleep "${REQUEST_INTERVAL:-10}"
done
