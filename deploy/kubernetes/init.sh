#!/usr/bin/env bash
# Registers the 4 storage pods of deploy/kubernetes/undermoon.yaml with the broker and creates the
# cluster (default mycluster, 4 nodes); the same steps as the compose example's init.sh. It talks to
# the first broker (UNDERMOON_BROKER); both brokers serve the same store from etcd.
#   deploy/kubernetes/init.sh [CLUSTER [NODES]]
set -euo pipefail
export UNDERMOON_BROKER=${UNDERMOON_BROKER:-http://127.0.20.101:7799}
export UNDERMOON_HOSTS=${UNDERMOON_HOSTS:-127.0.20.1 127.0.20.2 127.0.20.3 127.0.20.4}
exec "$(dirname "$0")/../compose/init.sh" "$@"
