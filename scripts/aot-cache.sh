# Sourced by ./undermoon and the bench scripts: the proxy's ahead-of-time cache (docs/proxy.md,
# "Warm start: the AOT cache"). The same rules as io.undermoon.local.AotCache, which LocalCluster uses for its child JVMs:
# next to the jar, named after the exact JDK version; JDK 25+: an AOT cache (.aot), JDK 21-24: a
# dynamic AppCDS archive (.jsa); it counts while neither the jar nor a jar of lib/ is newer.
# Needs JAVA_HOME (undermoon_find_java).

undermoon_aot_cache_file() { # undermoon_aot_cache_file JAR: prints the cache's path for JAR and $JAVA_HOME
  local v feature ext
  v=$(sed -n 's/^JAVA_VERSION="\(.*\)"$/\1/p' "$JAVA_HOME/release" 2>/dev/null | head -1)
  [ -n "$v" ] || v=$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.version = //p')
  feature=$(undermoon_java_version "$JAVA_HOME")
  ext=jsa; [ "${feature:-0}" -ge 25 ] && ext=aot
  echo "$(dirname "$1")/undermoon-$v.$ext"
}

undermoon_aot_cache_option() { # undermoon_aot_cache_option CACHE: the option that makes $JAVA_HOME's java use it
  case "$1" in *.aot) echo "-XX:AOTCache=$1" ;; *) echo "-XX:SharedArchiveFile=$1" ;; esac
}

undermoon_aot_cache_fresh() { # undermoon_aot_cache_fresh JAR CACHE
  [ -s "$2" ] || return 1
  [ -z "$(find "$1" "$(dirname "$1")/lib" -newer "$2" -print -quit 2>/dev/null)" ]
}

undermoon_aot_cache_enabled() { # 0 if UNDERMOON_AOT_CACHE leaves it on; exits the caller on a bad value
  case "${UNDERMOON_AOT_CACHE:-on}" in
    on|ON|On|'') return 0 ;;
    off|OFF|Off) return 1 ;;
    *) echo "undermoon: UNDERMOON_AOT_CACHE must be on or off, got '$UNDERMOON_AOT_CACHE'" >&2; exit 2 ;;
  esac
}

# undermoon_aot_cache_build JAR CACHE [JVM OPTION...]: the training run (undermoon aot-train: a proxy
# under load against a redis-server it starts, 8 s) with the proxy's JVM options; the JVM writes the
# cache as it exits. Returns non-zero (and keeps no cache) when it fails; the log stays next to the jar.
undermoon_aot_cache_build() {
  local jar=$1 cache=$2 tmp log out quiet start
  shift 2
  # one training at a time per cache: a second launcher waits for the first one's cache
  if command -v flock >/dev/null 2>&1 && [ -z "${UNDERMOON_AOT_CACHE_LOCKED:-}" ]; then
    UNDERMOON_AOT_CACHE_LOCKED=1 flock "$cache.lock" bash -c '. "$1"; . "$2"; shift 2
      undermoon_aot_cache_fresh "$1" "$2" || undermoon_aot_cache_build "$@"' _ \
      "$(dirname "${BASH_SOURCE[0]}")/env.sh" "${BASH_SOURCE[0]}" "$jar" "$cache" "$@"
    return
  fi
  if ! command -v redis-server >/dev/null 2>&1; then
    echo "undermoon: no redis-server for the AOT cache's training run: the proxy starts without a cache" >&2
    return 1
  fi
  tmp="$cache.tmp$$"
  log="$(dirname "$jar")/aot-train.log"
  case "$cache" in
    # quiet: the training JVM lists every class it cannot store as a warning
    *.aot) out="-XX:AOTCacheOutput=$tmp"; quiet="-Xlog:aot=error" ;;
    *) out="-XX:ArchiveClassesAtExit=$tmp"; quiet="-Xlog:cds=error"
       echo "undermoon: JDK $(undermoon_java_version "$JAVA_HOME") has no AOT cache (JDK 25+): building an AppCDS archive (classes only)" >&2 ;;
  esac
  echo "undermoon: building the proxy's AOT cache $cache (a training run of about 20 s, once per build; UNDERMOON_AOT_CACHE=off skips it)..." >&2
  start=$(date +%s)
  if "$JAVA_HOME/bin/java" "$@" "$quiet" "$out" -jar "$jar" aot-train >"$log" 2>&1 && [ -s "$tmp" ]; then
    mv -f "$tmp" "$cache"
    echo "undermoon: AOT cache built in $(( $(date +%s) - start )) s" >&2
  else
    rm -f "$tmp" "$tmp.config"
    echo "undermoon: the AOT cache's training run failed (see $log): the proxy starts without a cache" >&2
    return 1
  fi
}

# undermoon_aot_cache_ensure JAR: prints the fresh cache for JAR, training it first (with the proxy
# options of ./undermoon on a machine with 1 GiB or more) if it is missing or stale; returns 1 without one.
undermoon_aot_cache_ensure() {
  local cache
  cache=$(undermoon_aot_cache_file "$1")
  if undermoon_aot_cache_fresh "$1" "$cache" || undermoon_aot_cache_build "$1" "$cache" --enable-native-access=ALL-UNNAMED \
      -Dio.netty.leakDetection.level=disabled -Dio.netty.buffer.checkAccessible=false -Dio.netty.buffer.checkBounds=false \
      -XX:+UseG1GC -Xms128m -Xmn64m -XX:MaxRAMPercentage=25; then
    echo "$cache"
  else
    return 1
  fi
}
