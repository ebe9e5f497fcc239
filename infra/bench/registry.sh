#!/usr/bin/env bash
# Registry benchmark: one gateway process and its own redis-server on loopback, NODES nodes
# registered, then wrk drives single heartbeats, batches of 1000 and matchmaking queries.
# Needs wrk (apt-get install wrk). Every run is bounded: DURATION per phase (default 20s).
# Usage: infra/bench/registry.sh            (NODES=10000 CONNECTIONS=32 DURATION=20s)
#        REPLICAS=2 infra/bench/registry.sh  also claims through a second gateway replica at once
#        REPLICATION=off infra/bench/registry.sh  without the change log (to see what it costs)
# With REPLICATION=on (the default, as in production) the gateway publishes its change log to the
# broker at RABBITMQ_URI, on this run's own exchange and queue (deleted at the end; no replicator
# reads them), and writes durable admin state through to a central redis-server of its own.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
NODES=${NODES:-10000}
CONNECTIONS=${CONNECTIONS:-32}
DURATION=${DURATION:-20s}
REPLICAS=${REPLICAS:-1}
REPLICATION=${REPLICATION:-on}
PHASES=${PHASES:-heartbeat batch match claim}
RABBITMQ_URI=${RABBITMQ_URI:-amqp://guest:guest@127.0.0.1:5672}
command -v wrk >/dev/null || { echo "error: wrk is missing: apt-get install wrk" >&2; exit 1; }

./mvnw -B -q -DskipTests package -pl gateway,replication -am
# shellcheck source=../../.mvn/wrapper/select-jdk.sh
. .mvn/wrapper/select-jdk.sh
work=$(mktemp -d)
# shellcheck source=lib.sh
. infra/bench/lib.sh
redis_port=$(free_port)
central_port=$(free_port)
gateway_pids=()
cleanup() {
  kill "${gateway_pids[@]}" "${redis_pid:-}" "${central_pid:-}" 2>/dev/null || true
  wait 2>/dev/null || true
  if [ "$REPLICATION" = on ]; then
    "$JAVA_HOME/bin/java" -cp replication/target/replicator.jar infra/bench/DeleteBrokerNames.java \
      "$RABBITMQ_URI" "$run_id.changes" "$run_id.changes.bench" || echo "warning: could not delete $run_id.changes*" >&2
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# Throwaway secrets for this run (the gateway refuses to start without them). wrk picks random
# nodes, so some get many beats a second: lift the per-node heartbeat budget, it is not measured here.
admin_token=$(secret)
node_token_secret=$(secret)
# The heartbeat scripts send each node's token, derived from the secret as the gateway does.
"$JAVA_HOME/bin/java" infra/bench/NodeTokensLua.java "$node_token_secret" bench "$NODES" >"$work/tokens.lua"

redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" >"$work/redis.log" 2>&1 &
redis_pid=$!
redis-server --port "$central_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" >"$work/central.log" 2>&1 &
central_pid=$!
bases=()
for replica in $(seq 1 "$REPLICAS"); do
  http_port=$(free_port)
  GATEWAY_REGION=bench MICRONAUT_SERVER_PORT=$http_port \
  REDIS_SERVERS_REGIONAL_URI="redis://127.0.0.1:$redis_port?timeout=500ms" \
  REDIS_SERVERS_CENTRAL_URI="redis://127.0.0.1:$central_port?timeout=500ms" \
  GATEWAY_REPLICATION_ENABLED=$([ "$REPLICATION" = on ] && echo true || echo false) RABBITMQ_URI="$RABBITMQ_URI" \
  GATEWAY_REPLICATION_EXCHANGE="$run_id.changes" GATEWAY_REPLICATION_QUEUE_PREFIX="$run_id.changes." \
  GATEWAY_REGISTRY_HEARTBEAT_TTL=10m \
  GATEWAY_ADMIN_TOKEN="$admin_token" GATEWAY_NODE_TOKEN_SECRET="$node_token_secret" \
  GATEWAY_RATE_LIMIT_LIMIT_FOR_PERIOD=1000000 \
  "$JAVA_HOME/bin/java" ${JAVA_OPTS:-} -jar gateway/target/gateway.jar >"$work/gateway-$replica.log" 2>&1 &
  gateway_pids+=($!)
  bases+=("http://127.0.0.1:$http_port")
done
base=${bases[0]}
for b in "${bases[@]}"; do
  for _ in $(seq 1 120); do curl -sf -o /dev/null "$b/health" && break; sleep 0.5; done
  curl -sf -o /dev/null "$b/health" || { echo "gateway $b did not come up; log:" >&2; tail -20 "$work"/gateway-*.log >&2; exit 1; }
done

run_wrk() {  # phase, duration
  echo "== $1: wrk -t2 -c$CONNECTIONS -d$2"
  NODES=$NODES TOKENS="$work/tokens.lua" WRK_THREADS=2 wrk -t2 -c"$CONNECTIONS" -d"$2" --latency -s "infra/bench/$1.lua" "$base" \
    | grep -E 'Requests/sec|Latency|50%|90%|99%|requests in|Non-2xx|Socket errors'
}

# Registration runs long enough to cover every id several times (a repeat is a replacement).
run_wrk register 10s
for i in 0 $((NODES / 2)) $((NODES - 1)); do
  curl -sf -o /dev/null "$base/v1/nodes/bench-$i" || { echo "error: bench-$i was not registered" >&2; exit 1; }
done
for phase in $PHASES; do
  run_wrk "$phase" "$DURATION"
done

if [ "$REPLICAS" -gt 1 ]; then
  echo "== claim through ${#bases[@]} replicas at once: wrk -t1 -c$((CONNECTIONS / 2)) -d$DURATION each"
  wrk_pids=()
  for b in "${bases[@]}"; do
    wrk -t1 -c$((CONNECTIONS / 2)) -d"$DURATION" --latency -s infra/bench/claim.lua "$b" >"$work/claim-${b##*:}.txt" &
    wrk_pids+=($!)
  done
  wait "${wrk_pids[@]}"
  for f in "$work"/claim-*.txt; do grep -E 'Requests/sec|50%|99%|Non-2xx' "$f"; done
fi
