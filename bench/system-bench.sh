#!/usr/bin/env bash
# Runs a system benchmark on a local system of child processes (broker, coordinator, proxies, Redis):
#   bench/system-bench.sh failover [runs] [kill|freeze]  kill -9 (or SIGSTOP) to all slots writable, over several runs
#   bench/system-bench.sh migration [options]    500,000 keys, scale 4 -> 8, against the official reshard
#   bench/system-bench.sh broker-loss [runs] [broker|machine]  etcd store, 3 brokers: a broker (or a whole
#                                                machine) killed, then a master proxy: time to the failover
#   bench/system-bench.sh detection-load [seconds]  redis-benchmark against the cluster: no proxy may be failed over
# UNDERMOON_BENCH_SYSTEM=<checkout> measures the system built in another checkout (its cli/target/undermoon.jar)
# with this checkout's bench; UNDERMOON_BENCH_JAVA_OPTS adds JVM options, e.g. -Dfailover.logs=/tmp/logs
# UNDERMOON_BENCH_LOG_LEVEL (WARN) is the log level of every program the bench starts
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
# the proxies' AOT cache (docs/proxy.md, "Warm start: the AOT cache"), as ./undermoon builds it; UNDERMOON_AOT_CACHE=off measures without it
aot_jar="${UNDERMOON_BENCH_SYSTEM:-$root}/cli/target/undermoon.jar"
aot_status="off (UNDERMOON_AOT_CACHE=off)"
if undermoon_aot_cache_enabled; then
  aot_status=$(undermoon_aot_cache_ensure "$aot_jar") || aot_status="none (its training run failed)"
fi
echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(free -g | awk '/Mem:/{print $2}') GiB RAM; java $(undermoon_java_version "$JAVA_HOME"); $(redis-server --version | cut -d' ' -f1-3)"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ); load average: $(cut -d' ' -f1-3 /proc/loadavg); proxies' AOT cache: $aot_status"
what=${1:?usage: system-bench.sh failover|migration|detection-load [args]}
shift
case "$what" in
  failover) main=io.undermoon.bench.system.FailoverBench ;;
  migration) main=io.undermoon.bench.system.MigrationBench ;;
  broker-loss) main=io.undermoon.bench.system.BrokerLossBench; undermoon_ensure_etcd ;;
  detection-load) main=io.undermoon.bench.system.DetectionUnderLoad ;;
  *) echo "unknown benchmark $what" >&2; exit 2 ;;
esac
ulimit -n 65536 || true
cd "${UNDERMOON_BENCH_SYSTEM:-$root}"
# shellcheck disable=SC2086
UNDERMOON_LOG_LEVEL=${UNDERMOON_BENCH_LOG_LEVEL:-WARN} exec java -Xmx2g ${UNDERMOON_BENCH_JAVA_OPTS:-} -Dlogback.configurationFile="$root/cli/src/main/resources/logback.xml" \
  -cp "$cp" "$main" "$@"
