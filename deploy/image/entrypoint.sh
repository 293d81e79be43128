#!/bin/sh
# The executables of the undermoon image. Installed once as /usr/local/bin/undermoon-entry, with the
# names undermoon's images give their programs linked to it:
#   server_proxy [CONFIG]   mem_broker [CONFIG]   coordinator [CONFIG]   undermoon <subcommand> ...
# Each reads the same UNDERMOON_* variables as the reference. Inside a container the programs' code
# defaults (127.0.0.1 addresses) reach nothing, so the addresses a program needs must be given, in
# the environment or in the CONFIG file; without them it exits at once (status 2) naming the variable.
# UNDERMOON_JAVA_OPTS adds JVM options (e.g. -Xmx256m); they come last and win.
set -eu

home=/opt/undermoon
program=$(basename "$0")

fail() {
  echo "$program: $*" >&2
  exit 2
}

# require KEY VARIABLE EMPTY_OK EXAMPLE MEANING: KEY must be set by VARIABLE or by the config file.
require() {
  key=$1 var=$2 empty_ok=$3 example=$4 meaning=$5
  if eval "[ -n \"\${$var+set}\" ]"; then
    eval "value=\${$var}"
    if [ -z "$value" ] && [ "$empty_ok" != yes ]; then
      fail "$var is empty: $meaning, e.g. $var=$example"
    fi
    return 0
  fi
  if [ -n "$config" ] && grep -Eq "^[[:space:]]*$key[[:space:]]*=" "$config" 2>/dev/null; then
    return 0
  fi
  fail "$var is not set (nor $key in a config file): $meaning, e.g. $var=$example"
}

config=""
case "$program" in
  server_proxy | mem_broker | coordinator)
    if [ $# -gt 0 ]; then
      config=$1
      [ -f "$config" ] || [ -f "$config.toml" ] || fail "config file $config not found"
      [ -f "$config" ] || config="$config.toml"
    fi
    ;;
esac

case "$program" in
  server_proxy)
    subcommand=proxy
    require address UNDERMOON_ADDRESS no 0.0.0.0:5299 "the address the proxy listens on"
    require announce_address UNDERMOON_ANNOUNCE_ADDRESS no 10.0.0.5:5299 \
      "the host:port that clients, peers and the broker use to reach this proxy (the address it is registered with)"
    ;;
  mem_broker)
    subcommand=broker
    require address UNDERMOON_ADDRESS no 0.0.0.0:7799 "the IP:port the broker's HTTP API listens on"
    ;;
  coordinator)
    subcommand=coordinator
    require address UNDERMOON_ADDRESS no 0.0.0.0:6699 "the address of the coordinator's admin port"
    require broker_address UNDERMOON_BROKER_ADDRESS yes 10.0.0.2:7799 \
      "the broker's host:port (may be empty when it is given later with CONFIG SET brokers)"
    ;;
  undermoon | undermoon-entry)
    subcommand=""
    ;;
  *)
    fail "unknown program name (expected server_proxy, mem_broker, coordinator or undermoon)"
    ;;
esac

# shellcheck disable=SC2086 # UNDERMOON_JAVA_OPTS is a list of options
exec "$home/java/bin/java" --enable-native-access=ALL-UNNAMED \
  -Dio.netty.leakDetection.level=disabled -Dio.netty.buffer.checkAccessible=false -Dio.netty.buffer.checkBounds=false \
  -XX:+UseG1GC -Xms32m -XX:MaxRAMPercentage=25 ${UNDERMOON_JAVA_OPTS:-} \
  -jar "$home/undermoon.jar" $subcommand "$@"
