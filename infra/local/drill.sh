#!/usr/bin/env bash
# A chaos drill (chaos-tests/README.md): java -jar chaos-tests/target/drill.jar with a JDK 21+
# picked as ./mvnw picks it. Against the main job: infra/local/drill.sh --deployment .local/deployment.json
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
if [ ! -f chaos-tests/target/drill.jar ]; then
  echo "chaos-tests/target/drill.jar is missing: build it with ./mvnw -DskipTests package (run.sh does)" >&2
  exit 2
fi
# shellcheck source=../../.mvn/wrapper/select-jdk.sh
. .mvn/wrapper/select-jdk.sh
exec "$JAVA_HOME/bin/java" -jar chaos-tests/target/drill.jar "$@"
