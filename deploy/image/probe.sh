#!/bin/bash
# Readiness and liveness checks of the undermoon image, one word each so that a probe's command is
# a plain list (podman's play kube joins an exec probe's words into one shell line).
#   undermoon-probe ping PORT      PING the RESP server (proxy, Redis) on PORT of $UNDERMOON_POD_IP
#                                  (default 127.0.0.1); needs PONG
#   undermoon-probe coordinator    CONFIG GET reporter_id on the coordinator's admin port
#                                  ($UNDERMOON_ADDRESS; it answers no PING, as the reference's)
#   undermoon-probe broker         GET /api/v3/version from the broker at $UNDERMOON_ADDRESS; needs 200
set -u
host=${UNDERMOON_POD_IP:-127.0.0.1}
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
    exec 3<>"/dev/tcp/$ip/${address##*:}" || exit 1
    printf 'GET /api/v3/version HTTP/1.0\r\nHost: %s\r\n\r\n' "$address" >&3
    status=$(timeout 2 head -1 <&3)
    [[ "$status" == *" 200 "* ]]
    ;;
  *)
    echo "usage: undermoon-probe ping PORT | undermoon-probe coordinator | undermoon-probe broker" >&2
    exit 2
    ;;
esac
