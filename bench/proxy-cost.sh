#!/usr/bin/env bash
# The cost per command of the server proxy and of twemproxy in front of the same Redis: CPU time
# (user and system, from /proc/<pid>/stat), system calls and context switches (perf stat) of the
# proxy process while redis-benchmark runs through it. On a machine where the load generator, Redis
# and the proxy share the cores, this cost is what bounds the proxy's throughput.
#
#   bench/proxy-cost.sh [requests-per-run] [rounds]
#
# Environment: UNDERMOON_BENCH_PIPELINES ("1 16"), UNDERMOON_BENCH_SYSTEM=<checkout> (the proxy built
# in another checkout), UNDERMOON_JAVA_OPTS (added to the proxy's JVM options).
# Needs redis-server, redis-benchmark, nutcracker and perf (run as root, or with perf_event_paranoid <= 0).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
undermoon_find_java
N=${1:-200000}
ROUNDS=${2:-2}
PIPELINES=${UNDERMOON_BENCH_PIPELINES:-1 16}
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg); proxy JVM options: ${UNDERMOON_JAVA_OPTS:-(launcher defaults)}"

. bench/lib.sh
bench_begin cost
REDIS_PORT=$(bench_free_port); PROXY_PORT=$(bench_free_port); TW_PORT=$(bench_free_port)
bench_start_redis "$REDIS_PORT"
bench_start_twemproxy "$TW_PORT" "$REDIS_PORT"
bench_start_proxy "$PROXY_PORT" "$REDIS_PORT"
bench_warm_up "$PROXY_PORT" "$TW_PORT"

ticks=$(getconf CLK_TCK)
echo "redis-benchmark -t set,get -c 50 -n $N -r 100000; per command forwarded to Redis (INFO total_commands_processed)"
printf '%8s %10s %9s %11s %9s %9s %10s %9s\n' pipeline target req/s "CPU us/cmd" "user us" "sys us" syscalls/cmd "cs/cmd"
for round in $(seq "$ROUNDS"); do
  for P in $PIPELINES; do
    for target in undermoon:$PROXY_PORT:$PROXY_PID twemproxy:$TW_PORT:$TW_PID; do
      IFS=: read -r name port pid <<< "$target"
      before=$(redis-cli -p "$REDIS_PORT" INFO stats | awk -F: '/^total_commands_processed/ {print $2+0}')
      read -r u0 s0 < <(awk '{print $14, $15}' "/proc/$pid/stat")
      perf stat -x, -e raw_syscalls:sys_enter,context-switches -p "$pid" -o "$work/perf.txt" &
      perf_pid=$!
      rps=$(redis-benchmark -p "$port" -t set,get -n "$N" -c 50 -P "$P" -r 100000 --csv 2>/dev/null | tail -n +2 | tr -d '"' \
        | awk -F, '{s += $2; n++} END {printf "%.0f", s / n}')
      kill -INT "$perf_pid"; wait "$perf_pid" || true
      read -r u1 s1 < <(awk '{print $14, $15}' "/proc/$pid/stat")
      after=$(redis-cli -p "$REDIS_PORT" INFO stats | awk -F: '/^total_commands_processed/ {print $2+0}')
      python3 - "$work/perf.txt" $((after - before - 1)) "$u0" "$s0" "$u1" "$s1" "$ticks" "$P" "$name" "$rps" <<'PY'
import sys
f, cmds, u0, s0, u1, s1, ticks, p, name, rps = sys.argv[1:]
cmds = max(1, int(cmds))
counts = {}
for line in open(f):
    parts = line.strip().split(",")
    if len(parts) > 2 and parts[0].replace(".", "").isdigit():
        counts[parts[2]] = float(parts[0])
us = lambda a, b: (int(b) - int(a)) / int(ticks) * 1e6 / cmds
print(f"{p:>8} {name:>10} {rps:>9} {us(u0, u1) + us(s0, s1):>11.2f} {us(u0, u1):>9.2f} {us(s0, s1):>9.2f}"
      f" {counts.get('raw_syscalls:sys_enter', 0) / cmds:>10.2f} {counts.get('context-switches', 0) / cmds:>9.3f}")
PY
    done
  done
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
