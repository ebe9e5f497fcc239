#!/usr/bin/env bash
# Installs what the local topology and the tests run for real, when it is missing, from
# Debian/Ubuntu packages (apt): redis-server and rabbitmq-server; redis-cli (package redis-tools),
# which joins the testkit's Redis Cluster; Chromium, for the status page's browser test;
# docker-compose and kubectl, which the deployment files' tests validate them with (neither needs
# a Docker engine or a cluster for that). Safe to run again.
# The project starts its own servers on free ports, so the packages' own services are not
# started here (a container without an init system could not start them anyway).
set -euo pipefail

rabbitmq_present() {
  command -v rabbitmq-server >/dev/null || [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]
}
missing=()
command -v redis-server >/dev/null || missing+=(redis-server)
command -v redis-cli >/dev/null || missing+=(redis-tools)
rabbitmq_present || missing+=(rabbitmq-server)
command -v chromium >/dev/null || missing+=(chromium)
command -v docker-compose >/dev/null || missing+=(docker-compose)
command -v kubectl >/dev/null || missing+=(kubernetes-client)

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
# policy-rc.d answering 101 tells the packages' scripts not to start their services.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  run_as_root sh -c 'printf "#!/bin/sh\nexit 101\n" > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d'
  trap 'run_as_root rm -f /usr/sbin/policy-rc.d' EXIT
fi
echo "installing ${missing[*]} (apt)…" >&2
run_as_root apt-get update -qq
run_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
for command in redis-server redis-cli chromium kubectl; do
  command -v "$command" >/dev/null || { echo "error: apt-get finished but $command is still missing" >&2; exit 1; }
done
rabbitmq_present || { echo "error: apt-get finished but rabbitmq-server is still missing" >&2; exit 1; }
