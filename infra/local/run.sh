#!/usr/bin/env bash
# The main job: builds the project, then runs central Redis, two regions (Redis + gateway each),
# RabbitMQ and a simulated fleet on this machine. Ctrl-C stops everything. Options: --help.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
infra/local/install.sh
./mvnw -B -q -DskipTests package
# shellcheck source=../../.mvn/wrapper/select-jdk.sh
. .mvn/wrapper/select-jdk.sh
exec "$JAVA_HOME/bin/java" -jar infra/local/target/local-topology.jar "$@"
