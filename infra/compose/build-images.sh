#!/usr/bin/env bash
# Builds gridstate/gateway and gridstate/replicator into the local Docker engine with jib (the
# root pom's `images` profile), each tagged latest and with the project version, which
# compose.yaml and the Kubernetes manifests run. Extra arguments go to Maven, e.g.
# -Dimages.tag=1.2.3, or -Djib.from.image=... for another base image.
#
# One Maven run per image: jib.containerize names one module, and every other module the run
# builds (-am: state, testkit, agent) skips the jib goal.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
if ! command -v docker >/dev/null || ! docker info >/dev/null 2>&1; then
  echo "error: jib:dockerBuild loads the images into a Docker engine, and none answers here ('docker info' failed)" >&2
  exit 1
fi
for module in gateway replication; do
  echo "building the image of $module…" >&2
  ./mvnw -B -q -Pimages -DskipTests -pl "$module" -am package jib:dockerBuild \
    -Djib.containerize="dev.gridstate:$module" "$@"
done
docker image ls 'gridstate/*'
