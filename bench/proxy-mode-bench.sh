#!/usr/bin/env bash
# Proxy mode (active_redirection = true) beside cluster mode and twemproxy, all in front of the same
# four Redis instances, each figure a ratio against one Redis measured directly in the same run.
#   - proxy mode: two undermoon proxies (two Redis each); redis-benchmark talks to proxy 1 only, so
#     half of the keys are forwarded to proxy 2 (the worst case of a load balancer in front).
#   - cluster mode: two other undermoon proxies on the same Redis, redis-benchmark --cluster.
#   - twemproxy: one nutcracker over the four Redis (ketama).
# Tests: SET/GET at pipeline 1 and 16, MGET of 10 random keys (across slots) at pipeline 1.
#
#   bench/proxy-mode-bench.sh [requests-per-run] [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
undermoon_find_java
undermoon_ensure_nutcracker
N=${1:-100000}
ROUNDS=${2:-3}
CLIENTS=50
ulimit -n 65536 || true

work=$(mktemp -d /tmp/undermoon-pmbench.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
R=(); for i in 0 1 2 3; do R+=("$(free_port)"); done
PM1=$(free_port); PM2=$(free_port); CM1=$(free_port); CM2=$(free_port); TW=$(free_port)

for i in 0 1 2 3; do
  redis-server --port "${R[$i]}" --bind 127.0.0.1 --save "" --appendonly no --daemonize no --dir "$work" \
    --logfile "$work/redis$i.log" &
  pids+=($!)
done

cat > "$work/nutcracker.yml" <<YML
bench:
  listen: 127.0.0.1:$TW
  hash: fnv1a_64
  distribution: ketama
  redis: true
  preconnect: true
  servers:
   - 127.0.0.1:${R[0]}:1
   - 127.0.0.1:${R[1]}:1
   - 127.0.0.1:${R[2]}:1
   - 127.0.0.1:${R[3]}:1
YML
nutcracker -c "$work/nutcracker.yml" -o "$work/nutcracker.log" &
pids+=($!)

./undermoon --version >/dev/null   # build if needed, outside the measurement
start_proxy() { # port active_redirection
  UNDERMOON_ADDRESS=127.0.0.1:$1 UNDERMOON_ANNOUNCE_ADDRESS=127.0.0.1:$1 UNDERMOON_LOG_LEVEL=WARN \
    UNDERMOON_ACTIVE_REDIRECTION=$2 ./undermoon proxy > "$work/proxy-$1.log" 2>&1 &
  pids+=($!)
}
start_proxy "$PM1" true; start_proxy "$PM2" true; start_proxy "$CM1" false; start_proxy "$CM2" false
for p in $PM1 $PM2 $CM1 $CM2 "${R[@]}"; do
  for i in $(seq 150); do redis-cli -p "$p" PING >/dev/null 2>&1 && break; sleep 0.2; done
done
setcluster() { # proxy peer first-redis-index
  local a=$1 b=$2 i=$3 j=$((2 - $3))
  local ranges=("0-4095" "4096-8191" "8192-12287" "12288-16383")
  redis-cli -p "$a" UMCTL SETCLUSTER v2 1 NOFLAG bench 127.0.0.1:${R[$i]} 1 ${ranges[$i]} \
    127.0.0.1:${R[$((i + 1))]} 1 ${ranges[$((i + 1))]} PEER 127.0.0.1:$b 2 ${ranges[$j]} ${ranges[$((j + 1))]} >/dev/null
}
setcluster "$PM1" "$PM2" 0; setcluster "$PM2" "$PM1" 2; setcluster "$CM1" "$CM2" 0; setcluster "$CM2" "$CM1" 2

MGET=(MGET); for k in $(seq 10); do MGET+=("key:__rand_int__"); done
bench() { # name port extra-args... ; prints "test,rps" lines
  local name=$1 port=$2; shift 2
  if [ "$1" = MGET ]; then # custom commands: the -q line "MGET ...: 12345.67 requests per second, ..."
    redis-benchmark -p "$port" -n "$N" -c $CLIENTS -r 100000 -q "$@" 2>/dev/null | tr '\r' '\n' \
      | sed -n 's/^MGET.*: \([0-9.]*\) requests per second.*/\1/p' | tail -1 | sed "s/^/$name,MGET,/"
    return
  fi
  redis-benchmark -p "$port" "$@" -n "$N" -c $CLIENTS -r 100000 --csv 2>/dev/null | tr -d '"' \
    | grep -E '^(SET|GET),[0-9.]+,' | while IFS=, read -r test rps rest; do echo "$name,$test,$rps"; done
}
run_all() { # round
  for P in 1 16; do
    for t in redis:${R[0]}: proxymode:$PM1: clustermode:$CM1:--cluster twemproxy:$TW:; do
      IFS=: read -r name port flag <<< "$t"
      # shellcheck disable=SC2086
      bench "$name" "$port" $flag -t set,get -P "$P" | sed "s/^/$1,$P,/"
    done
  done
  for t in redis:${R[0]} proxymode:$PM1 twemproxy:$TW; do
    IFS=: read -r name port <<< "$t"
    bench "$name" "$port" "${MGET[@]}" | sed "s/^/$1,1,/"
  done
}

# warm up the JVMs and every connection
N=50000 run_all 0 >/dev/null
results="$work/results.csv"
: > "$results"
for round in $(seq "$ROUNDS"); do run_all "$round" >> "$results"; done
[ -n "${KEEP:-}" ] && cp "$results" /tmp/pmbench-results.csv
errors=$(cat "$work"/proxy-*.log | grep -c -i -E "error|exception" || true)

echo "redis-benchmark, $CLIENTS clients, $N requests per run, -r 100000, $ROUNDS rounds (median), load: $(uptime | sed 's/.*load/load/')"
python3 - "$results" <<'PY'
import csv, statistics, sys
data = {}
for rnd, p, name, test, rps in csv.reader(open(sys.argv[1])):
    data.setdefault((int(p), test, name), []).append(float(rps))
print(f"{'test':>6} {'pipeline':>8} {'target':>12} {'req/s':>10} {'ratio':>6}")
for (p, test) in ((1, "SET"), (1, "GET"), (16, "SET"), (16, "GET"), (1, "MGET")):
    base = statistics.median(data[(p, test, "redis")])
    for name in ("redis", "proxymode", "clustermode", "twemproxy"):
        if (p, test, name) not in data:
            print(f"{test:>6} {p:>8} {name:>12} {'n/a':>10}")
            continue
        rps = statistics.median(data[(p, test, name)])
        print(f"{test:>6} {p:>8} {name:>12} {rps:>10.0f} {rps/base:>6.2f}")
PY
echo "error lines in the proxies' logs: $errors"
