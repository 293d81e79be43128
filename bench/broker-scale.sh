#!/usr/bin/env bash
# Broker scale benchmark: 1,000 proxies, 200 clusters; p50/p99 of create cluster, GET cluster meta,
# GET proxy meta, a Prometheus scrape of /metrics and the dashboard overview
# Extra arguments go to the tool, e.g. bench/broker-scale.sh --samples 50000
# Runs three times: the memory store without and with the meta file written on every change, and
# the etcd store (a real 3-member etcd cluster on loopback).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
. "$root/scripts/env.sh"
undermoon_find_java
undermoon_ensure_etcd
export PATH="$JAVA_HOME/bin:$PATH"
cd "$root"
mvn -q -B -ntp -DskipTests -Dmaven.test.skip=true -pl bench -am package dependency:build-classpath \
  -Dmdep.outputFile="$root/bench/target/classpath.txt" -Dmdep.includeScope=runtime >&2
cp="$root/bench/target/undermoon-bench-0.1.0-SNAPSHOT.jar:$(cat "$root/bench/target/classpath.txt")"
echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(free -g | awk '/Mem:/{print $2}') GiB RAM; java $(undermoon_java_version "$JAVA_HOME")"
echo "date: $(date -u +%Y-%m-%d)"
echo
for meta in false true; do
  UNDERMOON_LOG_LEVEL=WARN java -Xmx1g -Dlogback.configurationFile="$root/cli/src/main/resources/logback.xml" -cp "$cp" \
    io.undermoon.bench.broker.BrokerScaleBench --meta-file "$meta" "$@"
  echo
done
UNDERMOON_LOG_LEVEL=WARN java -Xmx1g -Dlogback.configurationFile="$root/cli/src/main/resources/logback.xml" -cp "$cp" \
  io.undermoon.bench.broker.BrokerScaleBench --store etcd "$@"
