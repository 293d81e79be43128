#!/bin/bash
# Readiness and liveness checks of the undermoon image, one word each so that a probe's command is
# a plain list (podman's play kube joins an exec probe's words into one shell line).
#   undermoon-probe ping PORT      PING the RESP server (proxy, Redis) on PORT of $UNDERMOON_POD_IP
#                                  (default 127.0.0.1); needs PONG
#   undermoon-probe coordinator    CONFIG GET reporter_id on the coordinator's admin port
#                                  ($UNDERMOON_ADDRESS; it answers no PING, as the reference's)
#   undermoon-probe broker         GET /api/v3/version from the broker at $UNDERMOON_ADDRESS; needs 200
#   undermoon-probe etcd           GET /health from the etcd member at the first of
#                                  $ETCD_ADVERTISE_CLIENT_URLS; needs "health":"true" (the member
#                                  is part of a quorum)
#   undermoon-probe etcd-alive     GET /version from that member; needs 200 (answers without quorum)
set -u
host=${UNDERMOON_POD_IP:-127.0.0.1}

# http_get HOST:PORT PATH: prints the status line and the body of an HTTP/1.0 GET (2 s at most)
http_get() {
  exec 3<>"/dev/tcp/${1%:*}/${1##*:}" || return 1
  printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$2" "$1" >&3
  timeout 2 cat <&3 | sed -n '1p; /^\r\{0,1\}$/,$p'
}
etcd_address() {
  local url=${ETCD_ADVERTISE_CLIENT_URLS:?undermoon-probe: ETCD_ADVERTISE_CLIENT_URLS is not set}
  url=${url%%,*}
  url=${url#http://}
  echo "${url%%/*}"
}
case "${1:-}" in
  ping)
    [ "$(timeout 2 redis-cli -h "$host" -p "${2:?undermoon-probe ping PORT}" ping 2>&1)" = PONG ]
    ;;
  coordinator)
    address=${UNDERMOON_ADDRESS:?undermoon-probe coordinator: UNDERMOON_ADDRESS is not set}
    ip=${address%:*}
    [ "$ip" = 0.0.0.0 ] && ip=127.0.0.1
    timeout 2 redis-cli -e -h "$ip" -p "${address##*:}" config get reporter_id >/dev/null 2>&1
    ;;
  broker)
    address=${UNDERMOON_ADDRESS:?undermoon-probe broker: UNDERMOON_ADDRESS is not set}
    ip=${address%:*}
    [ "$ip" = 0.0.0.0 ] && ip=127.0.0.1
    status=$(http_get "$ip:${address##*:}" /api/v3/version | head -1)
    [[ "$status" == *" 200 "* ]]
    ;;
  etcd)
    [[ "$(http_get "$(etcd_address)" /health)" == *'"health":"true"'* ]]
    ;;
  etcd-alive)
    status=$(http_get "$(etcd_address)" /version | head -1)
    [[ "$status" == *" 200 "* ]]
    ;;
  *)
    echo "usage: undermoon-probe ping PORT | coordinator | broker | etcd | etcd-alive" >&2
    exit 2
    ;;
esac
