#!/usr/bin/env bash
# Registers the compose example's 6 server proxies (each with its two Redis, each on its own
# simulated host) with the memory broker and creates the cluster, then waits until the cluster
# serves. Run it after `deploy/compose/podman-compose -f deploy/compose/compose.yaml up -d`; run it
# again after restarting a proxy (registering a known proxy again clears its failed state).
#
#   deploy/compose/init.sh [CLUSTER [NODES]]      (default: mycluster 4)
#
# UNDERMOON_BROKER (default http://127.0.10.100:7799) and UNDERMOON_HOSTS (the hosts' addresses,
# default 127.0.10.1 to 127.0.10.6; each runs a proxy on 5299 and Redis on 7001 and 7002) let the
# Kubernetes example use it too.
set -euo pipefail
. "$(dirname "$0")/../../scripts/env.sh"
undermoon_ensure_redis # redis-cli, to wait for the proxies
cluster=${1:-mycluster}
nodes=${2:-4}
broker=${UNDERMOON_BROKER:-http://127.0.10.100:7799}
hosts=${UNDERMOON_HOSTS:-127.0.10.1 127.0.10.2 127.0.10.3 127.0.10.4 127.0.10.5 127.0.10.6}
api=$broker/api/v3

for _ in $(seq 1 120); do
  curl -fsS "$api/version" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS "$api/version" >/dev/null || { echo "init.sh: the broker at $broker does not answer" >&2; exit 1; }

for host in $hosts; do
  # a proxy registered before it listens is reported failed at once: wait for its PING first
  for _ in $(seq 1 120); do
    [ "$(redis-cli -h "$host" -p 5299 ping 2>/dev/null)" = PONG ] && break
    sleep 0.5
  done
  [ "$(redis-cli -h "$host" -p 5299 ping 2>/dev/null)" = PONG ] \
    || { echo "init.sh: the proxy $host:5299 does not answer PING" >&2; exit 1; }
  body="{\"proxy_address\": \"$host:5299\", \"nodes\": [\"$host:7001\", \"$host:7002\"], \"host\": \"$host\"}"
  code=$(curl -sS -o /dev/null -w '%{http_code}' -XPOST -H 'Content-Type: application/json' -d "$body" "$api/proxies/meta")
  case "$code" in
    200) echo "registered proxy $host:5299" ;;
    409) echo "proxy $host:5299 was already registered" ;;
    *) echo "init.sh: registering $host:5299 failed with HTTP $code" >&2; exit 1 ;;
  esac
done

code=$(curl -sS -o /dev/null -w '%{http_code}' -XPOST -H 'Content-Type: application/json' \
  -d "{\"node_number\": $nodes}" "$api/clusters/meta/$cluster")
case "$code" in
  200) echo "created cluster $cluster with $nodes nodes" ;;
  409) echo "cluster $cluster already exists" ;;
  *) echo "init.sh: creating $cluster failed with HTTP $code" >&2; exit 1 ;;
esac

# the coordinator pushes the metadata to the proxies within a second or so
proxy=$(curl -fsS "$api/clusters/meta/$cluster" | sed -n 's/.*"proxy_address": *"\([^"]*\)".*/\1/p' | head -1)
proxy=${proxy:-${hosts%% *}:5299}
for _ in $(seq 1 60); do
  if [ "$(redis-cli -h "${proxy%:*}" -p "${proxy##*:}" cluster info 2>/dev/null | tr -d '\r' | sed -n 's/^cluster_state://p')" = ok ]; then
    echo "connect:  redis-cli -c -h ${proxy%:*} -p ${proxy##*:}"
    echo "broker:   $api/clusters/meta/$cluster"
    exit 0
  fi
  sleep 0.5
done
echo "init.sh: the cluster $cluster did not come up on $proxy within 30 s" >&2
exit 1
