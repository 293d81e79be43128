#!/usr/bin/env bash
# Shared by the shell benchmarks (sourced, not run): a work directory whose processes are killed on
# exit, free loopback ports, and the programs every proxy benchmark puts side by side (a Redis,
# twemproxy in front of it, our proxy in front of it). The caller has set -euo pipefail and is in
# the repository's root.

# bench_begin <name>: a work directory $work, the list $pids of what to kill on exit.
bench_begin() {
  work=$(mktemp -d "/tmp/undermoon-$1.XXXXXX")
  pids=()
  PROXY_PID=
  TW_PID=
  trap bench_end EXIT
}

bench_end() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
  [ -z "${PROXY_PID:-}" ] || rm -f "/tmp/perf-$PROXY_PID.map"
}

bench_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# bench_start_redis <port>: a Redis without persistence.
bench_start_redis() {
  redis-server --port "$1" --bind 127.0.0.1 --save "" --appendonly no --daemonize no --dir "$work" \
    --logfile "$work/redis-$1.log" &
  pids+=($!)
}

# bench_start_twemproxy <port> <redis port>: sets TW_PID.
bench_start_twemproxy() {
  command -v nutcracker >/dev/null || { echo "install nutcracker (apt-get install nutcracker)" >&2; exit 1; }
  cat > "$work/nutcracker.yml" <<YML
bench:
  listen: 127.0.0.1:$1
  hash: fnv1a_64
  distribution: ketama
  redis: true
  preconnect: true
  servers:
   - 127.0.0.1:$2:1
YML
  nutcracker -c "$work/nutcracker.yml" -o "$work/nutcracker.log" &
  pids+=($!)
  TW_PID=$!
}

# bench_start_proxy <port> <redis port>: our proxy (the launcher of $UNDERMOON_BENCH_SYSTEM, or of
# this checkout; built first, outside any measurement) owning every slot of that Redis; sets PROXY_PID.
bench_start_proxy() {
  local launcher="${UNDERMOON_BENCH_SYSTEM:-.}/undermoon"
  echo "proxy: $launcher"
  "$launcher" --version >/dev/null
  UNDERMOON_ADDRESS=127.0.0.1:$1 UNDERMOON_ANNOUNCE_ADDRESS=127.0.0.1:$1 UNDERMOON_LOG_LEVEL=WARN \
    "$launcher" proxy > "$work/proxy.log" 2>&1 &
  pids+=($!)
  PROXY_PID=$!
  local i
  for i in $(seq 100); do
    redis-cli -p "$1" PING >/dev/null 2>&1 && redis-cli -p "$2" PING >/dev/null 2>&1 && break
    sleep 0.2
  done
  redis-cli -p "$1" UMCTL SETCLUSTER v2 1 NOFLAG bench "127.0.0.1:$2" 1 0-16383 >/dev/null
}

# bench_warm_up <port>...: SET and GET through each (pipelined, then one at a time), so that the
# JIT has compiled the hot path and every connection is open before anything is measured.
bench_warm_up() {
  local port
  for port in "$@"; do
    redis-benchmark -p "$port" -t set,get -n 200000 -c 50 -P 16 -q >/dev/null 2>&1
    redis-benchmark -p "$port" -t set,get -n 100000 -c 50 -q >/dev/null 2>&1
  done
}

# bench_java_classpath: builds the bench and the launcher's jar (quietly, to stderr) and prints the
# class path of the Java benchmarks (bench's jar and its runtime dependencies).
bench_java_classpath() {
  mvn -q -B -ntp -Dstyle.color=never -DskipTests -Dmaven.test.skip=true -pl bench,cli -am package dependency:build-classpath \
    -Dmdep.outputFile="$PWD/bench/target/classpath.txt" -Dmdep.includeScope=runtime >&2
  echo "$PWD/bench/target/undermoon-bench-0.1.0-SNAPSHOT.jar:$(cat "$PWD/bench/target/classpath.txt")"
}
