#!/usr/bin/env bash
# Throughput and latency of the server proxy beside twemproxy, both in front of the same Redis,
# measured against that Redis directly in the same run (the machine is shared and noisy, so only
# the ratios are meaningful). Then the proxy's resident memory with 10,000 idle clients.
#
#   bench/proxy-bench.sh [requests-per-run] [rounds]
#
# Environment: UNDERMOON_BENCH_PIPELINES ("1 16" by default) the pipeline depths to run;
# UNDERMOON_BENCH_GC_LOG=1 logs the proxy's garbage collections (-Xlog:gc) and sums up the pauses
# of the measured rounds; UNDERMOON_JAVA_OPTS adds JVM options to the proxy (the launcher's);
# UNDERMOON_BENCH_SKIP_IDLE=1 skips the 10,000 idle clients; UNDERMOON_BENCH_SYSTEM=<checkout> runs the
# proxy built in another checkout (its launcher and cli/target/undermoon.jar), e.g. a base commit.
#
# Needs redis-server, redis-benchmark and nutcracker (apt-get install redis-server redis-tools nutcracker).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
undermoon_find_java
N=${1:-300000}
ROUNDS=${2:-3}
CLIENTS=50
PIPELINES=${UNDERMOON_BENCH_PIPELINES:-1 16}
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg); proxy JVM options: ${UNDERMOON_JAVA_OPTS:-(launcher defaults)}"
ulimit -n 65536 || true

. bench/lib.sh
bench_begin bench
REDIS_PORT=$(bench_free_port); PROXY_PORT=$(bench_free_port); TW_PORT=$(bench_free_port)
bench_start_redis "$REDIS_PORT"
bench_start_twemproxy "$TW_PORT" "$REDIS_PORT"
if [ -n "${UNDERMOON_BENCH_GC_LOG:-}" ]; then
  export UNDERMOON_JAVA_OPTS="${UNDERMOON_JAVA_OPTS:-} -Xlog:gc:file=$work/gc.log:uptimemillis"
fi
bench_start_proxy "$PROXY_PORT" "$REDIS_PORT"
bench_warm_up "$PROXY_PORT" "$TW_PORT"

results="$work/results.csv"
: > "$results"
gc_mark() { [ -f "$work/gc.log" ] && wc -l < "$work/gc.log" || echo 0; }
gc_from=$(gc_mark)
for round in $(seq "$ROUNDS"); do
  for P in $PIPELINES; do
    for target in redis:$REDIS_PORT undermoon:$PROXY_PORT twemproxy:$TW_PORT; do
      name=${target%%:*}; port=${target##*:}
      redis-benchmark -p "$port" -t set,get -n "$N" -c $CLIENTS -P "$P" -r 100000 --csv 2>/dev/null \
        | tail -n +2 | tr -d '"' | while IFS=, read -r test rps avg min p50 p95 p99 max; do
            echo "$round,$P,$name,$test,$rps,$p50,$p99" >> "$results"
          done
    done
  done
done

gc_to=$(gc_mark)
echo
echo "redis-benchmark, $CLIENTS clients, $N requests per run, $ROUNDS rounds (median of rounds; ratio = rps / direct Redis rps)"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -f "$work/gc.log" ]; then
  sed -n "$((gc_from + 1)),${gc_to}p" "$work/gc.log" | python3 -c '
import re, sys
p = [float(m.group(1)) for m in (re.search(r"Pause.* ([0-9.]+)ms$", l.strip()) for l in sys.stdin) if m]
print(f"proxy GC during the measured rounds: {len(p)} pauses, {sum(p):.1f} ms in all, max {max(p) if p else 0:.2f} ms")'
fi
python3 - "$results" "$PIPELINES" <<'PY'
import csv, statistics, sys
rows = list(csv.reader(open(sys.argv[1])))
data = {}
for rnd, p, name, test, rps, p50, p99 in rows:
    data.setdefault((int(p), test, name), []).append((float(rps), float(p50), float(p99)))
print(f"{'pipeline':>8} {'test':>4} {'target':>10} {'req/s':>10} {'p50 ms':>7} {'p99 ms':>7} {'ratio':>6}")
for p in [int(x) for x in sys.argv[2].split()]:
    for test in ("SET", "GET"):
        base = statistics.median(r[0] for r in data[(p, test, "redis")])
        for name in ("redis", "undermoon", "twemproxy"):
            vals = data[(p, test, name)]
            rps = statistics.median(v[0] for v in vals)
            p50 = statistics.median(v[1] for v in vals)
            p99 = statistics.median(v[2] for v in vals)
            print(f"{p:>8} {test:>4} {name:>10} {rps:>10.0f} {p50:>7.3f} {p99:>7.3f} {rps/base:>6.2f}")
PY

[ -n "${UNDERMOON_BENCH_SKIP_IDLE:-}" ] && exit 0
echo
echo "resident memory of the proxy (VmRSS) before and with 10,000 idle client connections:"
java_pid=$(pgrep -f "undermoon.jar proxy" | head -1)
rss() { awk '/VmRSS/ {print $2/1024 " MiB"}' "/proc/$1/status"; }
echo "  after the load runs: $(rss "$java_pid")"
python3 - "$PROXY_PORT" "$java_pid" <<'PY'
import socket, sys, time
port, pid = int(sys.argv[1]), sys.argv[2]
socks = []
for i in range(10000):
    s = socket.create_connection(("127.0.0.1", port))
    socks.append(s)
# one round trip on each so that every connection is fully set up in the proxy
for s in socks:
    s.sendall(b"PING\r\n")
for s in socks:
    s.recv(16)
time.sleep(2)
rss = [l for l in open(f"/proc/{pid}/status") if l.startswith("VmRSS")][0].split()[1]
print(f"  with 10,000 idle clients: {int(rss)/1024:.1f} MiB")
for s in socks:
    s.close()
PY
