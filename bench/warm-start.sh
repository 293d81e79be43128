#!/usr/bin/env bash
# Warm start of a server proxy (issue 14): a fresh proxy JVM, started as LocalCluster starts the
# proxies of a scale-out, put under load as soon as it has its cluster; its first 2 s against its
# steady throughput, with the AOT cache and without, and a direct Redis as the control.
#   bench/warm-start.sh [--runs 2] [--seconds 20] [--clients 8]
# UNDERMOON_WARM_PROXY_OPTS adds JVM options to both proxies (cache and no cache), for experiments.
# Builds the jar and the AOT cache first if they are missing or stale (as ./undermoon does).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
. "$root/scripts/env.sh"
. "$root/scripts/aot-cache.sh"
undermoon_find_java
undermoon_ensure_redis
export PATH="$JAVA_HOME/bin:$PATH"
cd "$root"
. bench/lib.sh
cp=$(bench_java_classpath)
jar="$root/cli/target/undermoon.jar"
undermoon_aot_cache_ensure "$jar" >/dev/null || { echo "no AOT cache: nothing to compare" >&2; exit 1; }
echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1); java $(undermoon_java_version "$JAVA_HOME"); $(redis-server --version | cut -d' ' -f1-3)"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
UNDERMOON_LOG_LEVEL=WARN java -Xmx512m -Dlogback.configurationFile="$root/cli/src/main/resources/logback.xml" \
  -cp "$cp" io.undermoon.bench.warm.WarmStartBench "$@"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
