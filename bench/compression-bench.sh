#!/usr/bin/env bash
# Value compression (compression_strategy) of the server proxy: the memory Redis uses for 1 KiB JSON
# values and the SET/GET throughput through the proxy with disabled / set_get_only / allow_all,
# each against the same Redis directly in the same round (the machine is shared: only the ratios
# mean something).
#
#   bench/compression-bench.sh [requests-per-run] [rounds] [keys] [pipeline]
#
# Needs redis-server and redis-benchmark (apt-get install redis-server redis-tools).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
undermoon_find_java
N=${1:-100000}
ROUNDS=${2:-3}
KEYS=${3:-10000}
PIPELINE=${4:-1}
CLIENTS=50

work=$(mktemp -d /tmp/undermoon-zbench.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
REDIS_PORT=$(free_port); PROXY_PORT=$(free_port)

redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize no --dir "$work" \
  --logfile "$work/redis.log" &
pids+=($!)

./undermoon --version >/dev/null   # build if needed, outside the measurement
UNDERMOON_ADDRESS=127.0.0.1:$PROXY_PORT UNDERMOON_ANNOUNCE_ADDRESS=127.0.0.1:$PROXY_PORT UNDERMOON_LOG_LEVEL=WARN \
  ./undermoon proxy > "$work/proxy.log" 2>&1 &
pids+=($!)
PROXY_PID=$!   # the launcher execs the JVM

# CPU time (user + system, in clock ticks of 10 ms) the proxy has used so far
proxy_ticks() { awk '{print $14 + $15}' "/proc/$PROXY_PID/stat"; }

for i in $(seq 300); do
  redis-cli -p "$PROXY_PORT" PING >/dev/null 2>&1 && redis-cli -p "$REDIS_PORT" PING >/dev/null 2>&1 && break
  sleep 0.2
done

# a 1 KiB JSON document: records with repeating field names and varying values, as an API would store
VALUE=$(python3 - <<'PY'
import json, random
random.seed(1)
rows, out = [], ""
i = 0
while True:
    rows.append({"id": 100000 + i, "user": f"user{random.randint(1, 5000)}", "active": random.random() < 0.7,
                 "score": round(random.random() * 1000, 2), "tags": random.sample(["a", "b", "c", "d", "e", "f"], 2)})
    s = json.dumps(rows, separators=(",", ":"))
    if len(s) > 1024:
        break
    out = s
    i += 1
print(out)
PY
)
echo "value: ${#VALUE} bytes of JSON"

epoch=1
strategy() {
  epoch=$((epoch + 1))
  redis-cli -p "$PROXY_PORT" UMCTL SETCLUSTER v2 "$epoch" NOFLAG bench "127.0.0.1:$REDIS_PORT" 1 0-16383 \
    CONFIG compression_strategy "$1" >/dev/null
}
used_memory() { redis-cli -p "$REDIS_PORT" INFO memory | tr -d '\r' | awk -F: '/^used_memory:/ {print $2}'; }

strategy disabled
redis-benchmark -p "$PROXY_PORT" -n 100000 -c $CLIENTS -r "$KEYS" -q SET "key:__rand_int__" "$VALUE" >/dev/null 2>&1
redis-benchmark -p "$PROXY_PORT" -n 100000 -c $CLIENTS -r "$KEYS" -q GET "key:__rand_int__" >/dev/null 2>&1

results="$work/results.csv"
: > "$results"
run() { # round target port strategy
  local round=$1 name=$2 port=$3 strat=$4 test
  redis-cli -p "$REDIS_PORT" FLUSHALL >/dev/null
  local base; base=$(used_memory)
  for test in SET GET; do
    local args=(SET "key:__rand_int__" "$VALUE")
    [ "$test" = GET ] && args=(GET "key:__rand_int__")
    local t0; t0=$(proxy_ticks)
    redis-benchmark -p "$port" -n "$N" -c $CLIENTS -P "$PIPELINE" -r "$KEYS" --csv "${args[@]}" 2>/dev/null | tail -n +2 | tr -d '"' \
      | awk -F, -v p="$round,$name,$strat,$test" '{print p "," $(NF-6)}' >> "$results" # rps (the title holds commas)
    # the proxy's CPU microseconds per request (robust to other load on the machine, unlike req/s)
    echo "$round,$name,$strat,CPU$test,$(( ($(proxy_ticks) - t0) * 10000 * 1000 / N ))" >> "$results"
  done
  local keys; keys=$(redis-cli -p "$REDIS_PORT" DBSIZE)
  echo "$round,$name,$strat,MEM,$(( ($(used_memory) - base) / keys ))" >> "$results"
}
for round in $(seq "$ROUNDS"); do
  for s in disabled set_get_only allow_all; do
    run "$round" redis "$REDIS_PORT" "$s"
    strategy "$s"
    run "$round" undermoon "$PROXY_PORT" "$s"
  done
done

echo
echo "redis-benchmark, $CLIENTS clients, pipeline $PIPELINE, $N requests per run, $KEYS keys, $ROUNDS rounds (medians)."
echo "ratio = proxy req/s / direct Redis req/s measured just before it; memory = used_memory growth / keys"
python3 - "$results" <<'PY'
import csv, statistics, sys
rows = list(csv.reader(open(sys.argv[1])))
d = {}
for rnd, name, strat, test, v in rows:
    d.setdefault((name, strat, test), []).append(float(v))
m = lambda k: statistics.median(d[k])
print("cpu = the proxy's CPU time per request in microseconds (its own, whatever else runs)")
print(f"{'strategy':>13} {'SET req/s':>10} {'ratio':>6} {'cpu us':>7} {'GET req/s':>10} {'ratio':>6} {'cpu us':>7}"
      f" {'bytes/key':>10} {'direct':>8}")
for s in ("disabled", "set_get_only", "allow_all"):
    print(f"{s:>13} {m(('undermoon', s, 'SET')):>10.0f} {m(('undermoon', s, 'SET')) / m(('redis', s, 'SET')):>6.2f}"
          f" {m(('undermoon', s, 'CPUSET')) / 1000:>7.1f}"
          f" {m(('undermoon', s, 'GET')):>10.0f} {m(('undermoon', s, 'GET')) / m(('redis', s, 'GET')):>6.2f}"
          f" {m(('undermoon', s, 'CPUGET')) / 1000:>7.1f}"
          f" {m(('undermoon', s, 'MEM')):>10.0f} {m(('redis', s, 'MEM')):>8.0f}")
PY
