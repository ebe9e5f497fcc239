#!/usr/bin/env bash
# The whole test suite: unit tests (Surefire) and integration tests (Failsafe) against real
# redis-server processes and a real RabbitMQ broker, installed first when missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
infra/local/install.sh
exec ./mvnw -B verify "$@"
