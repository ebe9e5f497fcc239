#!/usr/bin/env bash
# Replication benchmark: one gateway (region "bench") on its own redis-server, a central
# redis-server (AOF), the replicator, and the broker at RABBITMQ_URI, all on loopback.
#  1. lag: NODES nodes registered, then at a steady pace (wrk, THINK_MS per connection) for
#     DURATION each: re-registrations (exported within the 100 ms flush interval), then
#     heartbeats (coalesced in the 1 s heartbeat window). The replicator's lag (oldest change in
#     a message -> applied on central) is read after each, from a fresh replicator.
#  2. throughput: the replicator stopped, heartbeats as fast as wrk goes for DURATION build a
#     backlog; a new replicator drains it and the drain is timed.
# Every phase is bounded in time. The run's queue and exchange are deleted at the end.
# Usage: infra/bench/replication.sh   (NODES=10000 CONNECTIONS=16 THINK_MS=10 DURATION=30s)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
NODES=${NODES:-10000}
CONNECTIONS=${CONNECTIONS:-16}
THINK_MS=${THINK_MS:-10}
DURATION=${DURATION:-30s}
RABBITMQ_URI=${RABBITMQ_URI:-amqp://guest:guest@127.0.0.1:5672}
command -v wrk >/dev/null || { echo "error: wrk is missing: apt-get install wrk" >&2; exit 1; }

./mvnw -B -q -DskipTests package -pl gateway,replication -am
# shellcheck source=../../.mvn/wrapper/select-jdk.sh
. .mvn/wrapper/select-jdk.sh
work=$(mktemp -d)
# shellcheck source=lib.sh
. infra/bench/lib.sh
exchange=$run_id.changes
queue_prefix=$run_id.changes.
pids=()
replicator_pid=
cleanup() {
  kill "${pids[@]}" ${replicator_pid:+"$replicator_pid"} 2>/dev/null || true
  wait 2>/dev/null || true
  "$JAVA_HOME/bin/java" -cp replication/target/replicator.jar infra/bench/DeleteBrokerNames.java \
    "$RABBITMQ_URI" "$exchange" "${queue_prefix}bench" || echo "warning: could not delete $exchange / ${queue_prefix}bench" >&2
  rm -rf "$work"
}
trap cleanup EXIT

admin_token=$(secret)
node_token_secret=$(secret)
"$JAVA_HOME/bin/java" infra/bench/NodeTokensLua.java "$node_token_secret" bench "$NODES" >"$work/tokens.lua"

regional_port=$(free_port)
central_port=$(free_port)
mkdir -p "$work/central"
redis-server --port "$regional_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" >"$work/regional.log" 2>&1 &
pids+=($!)
redis-server infra/redis/central.conf --port "$central_port" --dir "$work/central" >"$work/central.log" 2>&1 &
pids+=($!)

http_port=$(free_port)
GATEWAY_REGION=bench MICRONAUT_SERVER_PORT=$http_port \
REDIS_SERVERS_REGIONAL_URI="redis://127.0.0.1:$regional_port?timeout=500ms" \
REDIS_SERVERS_CENTRAL_URI="redis://127.0.0.1:$central_port?timeout=500ms" \
RABBITMQ_URI="$RABBITMQ_URI" GATEWAY_REPLICATION_EXCHANGE="$exchange" GATEWAY_REPLICATION_QUEUE_PREFIX="$queue_prefix" \
GATEWAY_REGISTRY_HEARTBEAT_TTL=10m \
GATEWAY_ADMIN_TOKEN="$admin_token" GATEWAY_NODE_TOKEN_SECRET="$node_token_secret" \
GATEWAY_RATE_LIMIT_LIMIT_FOR_PERIOD=1000000 \
  "$JAVA_HOME/bin/java" ${JAVA_OPTS:-} -jar gateway/target/gateway.jar >"$work/gateway.log" 2>&1 &
pids+=($!)
base=http://127.0.0.1:$http_port
replicator_port=$(free_port)
start_replicator() {
  MICRONAUT_SERVER_PORT=$replicator_port REDIS_SERVERS_CENTRAL_URI="redis://127.0.0.1:$central_port" \
  RABBITMQ_URI="$RABBITMQ_URI" REPLICATION_REGIONS=bench \
  REPLICATION_EXCHANGE="$exchange" REPLICATION_QUEUE_PREFIX="$queue_prefix" \
    "$JAVA_HOME/bin/java" -jar replication/target/replicator.jar >>"$work/replicator.log" 2>&1 &
  replicator_pid=$!
  for _ in $(seq 1 120); do curl -sf -o /dev/null "http://127.0.0.1:$replicator_port/v1/replication" && return; sleep 0.5; done
  echo "the replicator did not come up; log:" >&2; tail -20 "$work/replicator.log" >&2; exit 1
}
for _ in $(seq 1 120); do curl -sf -o /dev/null "$base/health" && break; sleep 0.5; done
curl -sf -o /dev/null "$base/health" || { echo "the gateway did not come up; log:" >&2; tail -20 "$work/gateway.log" >&2; exit 1; }
start_replicator

status() { curl -sf "http://127.0.0.1:$replicator_port/v1/replication"; }
field() { grep -o "\"$1\":[^,}]*" | head -1 | sed 's/^[^:]*://'; }
wait_drained() {  # until nothing waits three readings in a row (depth is sampled about once a second), at most 300 s
  local zeros=0
  for _ in $(seq 1 600); do
    if [ "$(status | field waiting)" = "0" ]; then zeros=$((zeros + 1)); [ "$zeros" -ge 3 ] && return; else zeros=0; fi
    sleep 0.5
  done
  echo "warning: the replicator did not drain within 300 s" >&2
}

echo "== register $NODES nodes: wrk -t2 -c$CONNECTIONS -d10s"
NODES=$NODES TOKENS="$work/tokens.lua" wrk -t2 -c"$CONNECTIONS" -d10s -s infra/bench/register.lua "$base" | grep -E 'Requests/sec|Non-2xx'
wait_drained

paced() {  # title, script
  echo "== 1. lag, $1 at a steady pace: wrk -t2 -c$CONNECTIONS -d$DURATION, THINK_MS=$THINK_MS"
  NODES=$NODES TOKENS="$work/tokens.lua" WRK_THREADS=2 SCRIPT="infra/bench/$2.lua" THINK_MS=$THINK_MS \
    wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s infra/bench/paced.lua "$base" \
    | grep -E 'Requests/sec|50%|99%|requests in|Non-2xx'
  status | tr '{,' '\n\n' | grep -E 'lag|appliedMessages|appliedEntities|waiting' | sed 's/^/   replicator /'
  curl -sf -H "Authorization: Bearer $admin_token" "$base/v1/admin/replication" | tr '{,' '\n\n' \
    | grep -E 'centralBehindMs|droppedMessages|outboxMessages' | sed 's/^/   gateway /'
  wait_drained
}
restart_replicator() {  # a fresh replicator: its lag figures cover only what comes next
  kill "$replicator_pid"; wait "$replicator_pid" 2>/dev/null || true
  start_replicator
}
restart_replicator
paced "re-registrations" register
restart_replicator
paced "heartbeats" heartbeat

echo "== 2. throughput: replicator stopped, heartbeats as fast as they go for $DURATION, then one replicator drains"
kill "$replicator_pid"; wait "$replicator_pid" 2>/dev/null || true
NODES=$NODES TOKENS="$work/tokens.lua" wrk -t2 -c"$CONNECTIONS" -d"$DURATION" -s infra/bench/heartbeat.lua "$base" \
  | grep -E 'Requests/sec|Non-2xx'
sleep 2  # the last heartbeat window is exported
start_replicator
start=$(date +%s.%N)
before=$(status)
wait_drained
after=$(status)
# The drain ended when the last batch was applied, not when the poll noticed.
end=$(date -d "$(echo "$after" | field lastAppliedAt | tr -d '"')" +%s.%N)
messages=$(( $(echo "$after" | field appliedMessages) - $(echo "$before" | field appliedMessages) ))
entities=$(( $(echo "$after" | field appliedEntities) - $(echo "$before" | field appliedEntities) + \
             $(echo "$after" | field unchangedEntities) - $(echo "$before" | field unchangedEntities) ))
awk -v m="$messages" -v e="$entities" -v s="$start" -v t="$end" \
  'BEGIN { d = t - s; printf "   drained %d messages (%d entities) in %.1f s: %.0f messages/s, %.0f entities/s\n", m, e, d, m / d, e / d }'
