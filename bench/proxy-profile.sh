#!/usr/bin/env bash
# Where the server proxy spends its CPU and what it allocates per command: one Redis, the proxy
# with a Java Flight Recorder recording per pipeline depth (settings=profile), redis-benchmark
# through it, then the top frames by self time and the sampled allocations per command.
#
#   bench/proxy-profile.sh [requests-per-run]
#
# Environment: UNDERMOON_BENCH_PIPELINES ("16 1" by default); UNDERMOON_BENCH_SYSTEM=<checkout> profiles
# the proxy built in another checkout; UNDERMOON_JAVA_OPTS as for bench/proxy-bench.sh;
# UNDERMOON_PROFILE_KEEP=<dir> keeps the .jfr files there.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
undermoon_find_java
export PATH="$JAVA_HOME/bin:$PATH"
N=${1:-1000000}
PIPELINES=${UNDERMOON_BENCH_PIPELINES:-16 1}
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

. bench/lib.sh
bench_begin profile
REDIS_PORT=$(bench_free_port); PROXY_PORT=$(bench_free_port)
bench_start_redis "$REDIS_PORT"
bench_start_proxy "$PROXY_PORT" "$REDIS_PORT"
bench_warm_up "$PROXY_PORT"

for P in $PIPELINES; do
  jfr_file="$work/proxy-P$P.jfr"
  jcmd "$PROXY_PID" JFR.start name=p settings=profile filename="$jfr_file" >/dev/null
  cpu_before=$(awk '{print $14 + $15}' "/proc/$PROXY_PID/stat")
  if [ -n "${UNDERMOON_PROFILE_PERF:-}" ]; then
    perf record -q -F 997 -g -p "$PROXY_PID" -o "$work/perf-P$P.data" 2>/dev/null &
    perf_pid=$!
  fi
  before=$(redis-cli -p "$REDIS_PORT" INFO stats | awk -F: '/^total_commands_processed/ {print $2+0}')
  redis-benchmark -p "$PROXY_PORT" -t set,get -n "$N" -c 50 -P "$P" -r 100000 -q 2>/dev/null | tr '\r' '\n' | grep -v '^$' | tail -2
  after=$(redis-cli -p "$REDIS_PORT" INFO stats | awk -F: '/^total_commands_processed/ {print $2+0}')
  cpu_after=$(awk '{print $14 + $15}' "/proc/$PROXY_PID/stat")
  if [ -n "${UNDERMOON_PROFILE_PERF:-}" ]; then
    kill -INT "$perf_pid"; wait "$perf_pid" || true
    jcmd "$PROXY_PID" Compiler.perfmap >/dev/null
  fi
  jcmd "$PROXY_PID" JFR.stop name=p >/dev/null
  commands=$((after - before - 1))
  ticks=$(getconf CLK_TCK)
  echo "== pipeline $P: $commands commands forwarded during the recording; proxy CPU (user + system):" \
    "$(python3 -c "print(f'{($cpu_after - $cpu_before) / $ticks * 1e6 / max(1, $commands):.2f}')") us per command"
  if [ -n "${UNDERMOON_PROFILE_PERF:-}" ]; then
    perf report -i "$work/perf-P$P.data" --no-children --sort dso --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -8 || true
    perf report -i "$work/perf-P$P.data" --no-children --sort sym --stdio -g none 2>/dev/null | grep -E '^ +[0-9]' | head -40 || true
  fi
  jfr print --json --events jdk.ExecutionSample,jdk.ObjectAllocationSample "$jfr_file" > "$work/events.json"
  python3 - "$work/events.json" "$commands" <<'PY'
import collections, json, sys
events = json.load(open(sys.argv[1]))["recording"]["events"]
commands = max(1, int(sys.argv[2]))
def frame(f):
    m = f["method"]
    return m["type"]["name"].rsplit(".", 1)[-1] + "." + m["name"]
self_time, total, alloc_by_class, alloc_by_site, samples, weight = (collections.Counter(), collections.Counter(),
    collections.Counter(), collections.Counter(), 0, 0)
for e in events:
    v = e["values"]
    frames = (v.get("stackTrace") or {}).get("frames") or []
    if e["type"] == "jdk.ExecutionSample":
        if not frames:
            continue
        samples += 1
        self_time[frame(frames[0])] += 1
        for f in {frame(f) for f in frames}:
            total[f] += 1
    else:
        w = v["weight"]
        weight += w
        alloc_by_class[v["objectClass"]["name"]] += w
        site = next((frame(f) for f in frames if "undermoon" in f["method"]["type"]["name"]), frame(frames[0]) if frames else "?")
        alloc_by_site[v["objectClass"]["name"].rsplit(".", 1)[-1] + " @ " + site] += w
print(f"execution samples: {samples}; top frames by self time:")
for f, n in self_time.most_common(25):
    print(f"  {100 * n / samples:5.1f}%  {f}")
print("undermoon frames by total time (self + callees):")
for f, n in [x for x in total.most_common(200) if any(k in x[0] for k in ("Session", "Router", "Backend", "Decoder", "Framer",
        "Command", "KeyFinder", "LoopResources", "Cumulator", "Replies", "SlotHash"))][:15]:
    print(f"  {100 * n / samples:5.1f}%  {f}")
print(f"allocation (sampled weight): {weight / commands:.0f} bytes per command; by class:")
for c, w in alloc_by_class.most_common(10):
    print(f"  {w / commands:8.1f} B/cmd  {c}")
print("by allocation site (first undermoon frame):")
for c, w in alloc_by_site.most_common(12):
    print(f"  {w / commands:8.1f} B/cmd  {c}")
PY
  if [ -n "${UNDERMOON_PROFILE_KEEP:-}" ]; then mkdir -p "$UNDERMOON_PROFILE_KEEP"; cp "$jfr_file" "$UNDERMOON_PROFILE_KEEP/"; fi
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
