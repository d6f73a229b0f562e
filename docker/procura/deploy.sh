#!/bin/bash
# The compose stack's one-shot deployment job (docker/docker-compose.yml): waits for the chain, deploys the
# marketplace into /shared/deployment.json unless the chain already holds it, makes one encrypted keystore per agent
# (/shared/keys/agent-N, password PROCURA_PASSWORD) and funds the agents and the requester with demo tokens and gas.
# Environment: PROCURA_RPC_URL, DEPLOYER_KEY (the deploying key, a DemoToken owner), AGENTS [3],
# REQUESTER_ADDRESS, AGENT_TOKENS [1000], REQUESTER_TOKENS [100000].
set -euo pipefail
RPC="${PROCURA_RPC_URL:?PROCURA_RPC_URL is not set}"
: "${DEPLOYER_KEY:?DEPLOYER_KEY is not set}" "${PROCURA_PASSWORD:?PROCURA_PASSWORD is not set}"
AGENTS="${AGENTS:-3}"
DEPLOYMENT=/shared/deployment.json
rpc() { curl -fsS --max-time 5 -H 'content-type: application/json' \
          -d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$1\",\"params\":$2}" "$RPC"; }

for i in $(seq 1 60); do rpc eth_chainId '[]' >/dev/null 2>&1 && break; echo "deploy: waiting for the chain at $RPC ($i)"; sleep 1; done
rpc eth_chainId '[]' >/dev/null || { echo "deploy: no chain answers at $RPC" >&2; exit 1; }

fresh=1
if [ -s "$DEPLOYMENT" ]; then
  market="$(sed -n 's/.*"market" *: *"\(0x[0-9a-fA-F]*\)".*/\1/p' "$DEPLOYMENT" | head -n 1)"
  if [ -n "$market" ] && rpc eth_getCode "[\"$market\",\"latest\"]" | grep -q '"result":"0x[0-9a-fA-F]\{2,\}"'; then
    echo "deploy: the chain already holds the market $market of $DEPLOYMENT; not deploying again"
    fresh=0
  fi
fi
if [ "$fresh" = 1 ]; then
  rm -f "$DEPLOYMENT"
  procura deploy --rpc-url "$RPC" --private-key-env DEPLOYER_KEY --out "$DEPLOYMENT"
fi

fund() { procura fund --rpc-url "$RPC" --deployment "$DEPLOYMENT" --private-key-env DEPLOYER_KEY --to "$1" --tokens "$2" --ether "${3:-1}"; }
for n in $(seq 1 "$AGENTS"); do
  dir="/shared/keys/agent-$n"
  if ! ls "$dir"/UTC--* >/dev/null 2>&1; then
    procura keystore new --dir "$dir"
  fi
  address="0x$(ls "$dir"/UTC--* | head -n 1 | sed 's/.*--//; s/\.json$//')"
  [ "$fresh" = 1 ] && fund "$address" "${AGENT_TOKENS:-1000}"
  echo "deploy: agent-$n is $address"
done
if [ "$fresh" = 1 ] && [ -n "${REQUESTER_ADDRESS:-}" ]; then
  fund "$REQUESTER_ADDRESS" "${REQUESTER_TOKENS:-100000}" 0
fi
echo "deploy: ready ($DEPLOYMENT)"
