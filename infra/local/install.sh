#!/usr/bin/env bash
# Installs what the local topology and the tests run for real, when it is missing:
# redis-server and rabbitmq-server, from Debian/Ubuntu packages (apt). Safe to run again.
set -euo pipefail

missing=()
command -v redis-server >/dev/null || missing+=(redis-server)
command -v rabbitmq-server >/dev/null || [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || missing+=(rabbitmq-server)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "error: missing ${missing[*]}, and there is no apt-get here to install them; install them by hand" >&2
  exit 1
fi
run_as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}
echo "installing ${missing[*]} (apt)…" >&2
run_as_root apt-get update -qq
run_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
