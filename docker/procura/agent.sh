#!/bin/bash
# A prover agent of the compose stack: agent.sh N runs `procura agent` with the keystore the deployment job made in
# /shared/keys/agent-N, serving Prometheus metrics on port 9100. Extra arguments go to `procura agent`.
# Environment: PROCURA_RPC_URL, PROCURA_PASSWORD, AGENT_BOND [600 tokens].
set -euo pipefail
n="${1:?usage: agent.sh N [procura agent options]}"; shift
keystore="$(ls /shared/keys/agent-"$n"/UTC--* 2>/dev/null | head -n 1)"
[ -n "$keystore" ] || { echo "agent-$n: no keystore in /shared/keys/agent-$n (has the deploy job run?)" >&2; exit 1; }
exec procura agent --rpc-url "${PROCURA_RPC_URL:?PROCURA_RPC_URL is not set}" --deployment /shared/deployment.json \
  --keystore "$keystore" --name "agent-$n" --bond "${AGENT_BOND:-600}" --metrics-port 9100 --metrics-host 0.0.0.0 "$@"
