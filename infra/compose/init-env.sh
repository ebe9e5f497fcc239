#!/usr/bin/env bash
# Writes infra/compose/.env from .env.example with a fresh random value (64 hex digits) in every
# empty setting: the gateways' admin token and node token secret, and the broker's password.
# Refuses to overwrite an .env that exists: its secrets may be in use (the broker keeps the
# password it was first started with in its volume).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
if [ -e .env ]; then
  echo "infra/compose/.env exists; delete it first to make new secrets (and 'docker compose down -v' for a new broker password)" >&2
  exit 1
fi
secret() { od -An -tx1 -N32 /dev/urandom | tr -d ' \n'; }
umask 077  # the file holds secrets: readable by its owner only
while IFS= read -r line; do
  case "$line" in
    [A-Z]*=) printf '%s%s\n' "$line" "$(secret)" ;;
    *) printf '%s\n' "$line" ;;
  esac
done < .env.example > .env
echo "wrote infra/compose/.env (admin token: grep GATEWAY_ADMIN_TOKEN infra/compose/.env)"
