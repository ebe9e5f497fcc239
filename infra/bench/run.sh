#!/usr/bin/env bash
# The benchmark command (BENCHMARKS.md): builds the gateway, the replicator and the bench tool,
# then runs every measurement against the real topology on this machine (redis-server processes,
# the gateway and replicator as their own JVMs, RabbitMQ at RABBITMQ_URI or 127.0.0.1:5672) and
# prints one table per measurement and the targets; the figures also go to target/bench/results.json.
# Options go to the tool: infra/bench/run.sh --help, e.g. --only throughput,failover --duration 10s
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
infra/local/install.sh
./mvnw -B -q -DskipTests package -pl gateway,replication,infra/bench -am
# shellcheck source=../../.mvn/wrapper/select-jdk.sh
. .mvn/wrapper/select-jdk.sh
exec "$JAVA_HOME/bin/java" -jar infra/bench/target/bench.jar "$@"
