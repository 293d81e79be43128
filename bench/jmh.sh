#!/usr/bin/env bash
# JMH micro-benchmarks of the proxy's hot code (decode, command lookup, slot, reply framing).
#   bench/jmh.sh [JMH options], e.g. bench/jmh.sh -prof gc
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
. "$root/scripts/env.sh"
undermoon_find_java
export PATH="$JAVA_HOME/bin:$PATH"
cd "$root"
mvn -q -B -ntp -Dstyle.color=never -DskipTests -Dmaven.test.skip=true -pl bench -am package dependency:build-classpath \
  -Dmdep.outputFile="$root/bench/target/classpath.txt" -Dmdep.includeScope=runtime >&2
cp="$root/bench/target/undermoon-bench-0.1.0-SNAPSHOT.jar:$(cat "$root/bench/target/classpath.txt")"
exec java -cp "$cp" org.openjdk.jmh.Main "io.undermoon.bench.jmh.*" "$@"
