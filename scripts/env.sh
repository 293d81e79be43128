# Sourced by ./undermoon, scripts/test and the bench scripts.
# Finds a JDK >= 21 (the default java may be older) and makes redis-server available.

undermoon_java_version() { # prints the major version of "$1/bin/java", or nothing
  "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1
}

undermoon_find_java() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    v=$(undermoon_java_version "$JAVA_HOME"); [ "${v:-0}" -ge 21 ] && return 0
  fi
  if command -v java >/dev/null 2>&1; then
    home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    v=$(undermoon_java_version "$home")
    if [ "${v:-0}" -ge 21 ]; then export JAVA_HOME="$home"; return 0; fi
  fi
  best=""; bestv=0
  for d in /usr/lib/jvm/*/; do
    d=${d%/}
    [ -x "$d/bin/javac" ] || continue
    v=$(undermoon_java_version "$d")
    if [ "${v:-0}" -ge 21 ] && [ "$v" -gt "$bestv" ]; then best=$d; bestv=$v; fi
  done
  if [ -z "$best" ]; then
    echo "undermoon: no JDK >= 21 found (JAVA_HOME, PATH, /usr/lib/jvm). Install one, e.g. apt-get install openjdk-21-jdk" >&2
    return 1
  fi
  export JAVA_HOME="$best"
}

undermoon_ensure_redis() {
  if command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1; then return 0; fi
  echo "undermoon: redis-server not found, installing it with apt-get" >&2
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get install -y -q redis-server redis-tools >/dev/null 2>&1 || {
    $sudo_cmd apt-get update -q >/dev/null 2>&1
    $sudo_cmd apt-get install -y -q redis-server redis-tools >/dev/null
  }
  # the Debian package may start a system instance on 6379; we never use it
  command -v redis-server >/dev/null 2>&1 || { echo "undermoon: could not install redis-server" >&2; return 1; }
}

undermoon_ensure_etcd() { # etcd 3.4 (Debian's etcd-server) for the etcd store's tests and `./undermoon local --etcd`
  if command -v etcd >/dev/null 2>&1; then return 0; fi
  echo "undermoon: etcd not found, installing etcd-server with apt-get" >&2
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get install -y -q etcd-server >/dev/null 2>&1 || {
    $sudo_cmd apt-get update -q >/dev/null 2>&1
    $sudo_cmd apt-get install -y -q etcd-server >/dev/null
  }
  # the Debian package may start a system etcd on 2379; we never use it
  command -v etcd >/dev/null 2>&1 || { echo "undermoon: could not install etcd-server" >&2; return 1; }
}

undermoon_ensure_chromium() { # Debian's chromium, for the web dashboard's browser tests
  if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then return 0; fi
  echo "undermoon: chromium not found, installing it with apt-get (for the dashboard's browser tests)" >&2
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get install -y -q chromium fonts-dejavu-core >/dev/null 2>&1 || {
    $sudo_cmd apt-get update -q >/dev/null 2>&1
    $sudo_cmd apt-get install -y -q chromium fonts-dejavu-core >/dev/null
  }
  command -v chromium >/dev/null 2>&1 || { echo "undermoon: could not install chromium" >&2; return 1; }
}

undermoon_apt_install() { # undermoon_apt_install PACKAGE...: apt-get install, refreshing the lists once if needed
  local sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get install -y -q "$@" >/dev/null 2>&1 || {
    $sudo_cmd apt-get update -q >/dev/null 2>&1
    $sudo_cmd apt-get install -y -q "$@" >/dev/null
  }
}

undermoon_ensure_python_redis() { # Debian's python3-redis (redis-py) under /usr/bin/python3, for the tests with a Python client
  if /usr/bin/python3 -c 'import redis' >/dev/null 2>&1; then return 0; fi
  echo "undermoon: python3-redis not found, installing it with apt-get (for the redis-py tests)" >&2
  undermoon_apt_install python3 python3-redis
  /usr/bin/python3 -c 'import redis' >/dev/null 2>&1 || { echo "undermoon: could not install python3-redis" >&2; return 1; }
}

undermoon_ensure_haproxy() { # Debian's haproxy, for the test of the load balancer example (deploy/haproxy)
  if [ -x /usr/sbin/haproxy ]; then return 0; fi
  echo "undermoon: haproxy not found, installing it with apt-get (for the proxy mode's load balancer test)" >&2
  undermoon_apt_install haproxy
  [ -x /usr/sbin/haproxy ] || { echo "undermoon: could not install haproxy" >&2; return 1; }
}

undermoon_ensure_nutcracker() { # twemproxy (Debian's nutcracker), the reference point of the proxy benchmarks
  if command -v nutcracker >/dev/null 2>&1; then return 0; fi
  echo "undermoon: nutcracker not found, installing it with apt-get (for the benchmarks)" >&2
  undermoon_apt_install nutcracker
  command -v nutcracker >/dev/null 2>&1 || { echo "undermoon: could not install nutcracker" >&2; return 1; }
}

# podman, runc and mmdebstrap for the container image (scripts/image) and its opt-in test; uses
# deploy/podman/containers.conf (runc, limits the machine allows) unless CONTAINERS_CONF is set.
undermoon_ensure_podman() {
  local missing="" sudo_cmd=""
  command -v podman >/dev/null 2>&1 || missing="$missing podman"
  command -v runc >/dev/null 2>&1 || missing="$missing runc"
  command -v mmdebstrap >/dev/null 2>&1 || missing="$missing mmdebstrap"
  command -v podman-compose >/dev/null 2>&1 || missing="$missing podman-compose"
  if [ -n "$missing" ]; then
    echo "undermoon: installing$missing with apt-get" >&2
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    export DEBIAN_FRONTEND=noninteractive
    # shellcheck disable=SC2086
    $sudo_cmd apt-get install -y -q $missing >/dev/null 2>&1 || {
      $sudo_cmd apt-get update -q >/dev/null 2>&1
      $sudo_cmd apt-get install -y -q $missing >/dev/null
    }
  fi
  if [ -z "${CONTAINERS_CONF:-}" ]; then
    CONTAINERS_CONF="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/deploy/podman/containers.conf"
    export CONTAINERS_CONF
  fi
}
