#!/bin/sh
# Written by `npx loadworker init` (and used by loadworker's own image): the image's CMD. It runs
# supervisord, whose own exit code is always 0, and gives the container its exit code: 78
# (EX_CONFIG) when master.py refused its settings and stopped supervisord (master.py then leaves
# loadworker-refused beside supervisord's socket), else supervisord's. Signals go on to
# supervisord, so `docker stop` and Ctrl-C stop every program in order.
sock_dir=/tmp # supervisord.conf's [unix_http_server] file=/tmp/supervisor.sock
rm -f "$sock_dir/loadworker-refused"
supervisord -c /etc/supervisor/supervisord.conf &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null' TERM
trap 'kill -INT "$pid" 2>/dev/null' INT
trap 'kill -HUP "$pid" 2>/dev/null' HUP
while :; do
  wait "$pid"
  code=$?
  # Above 128: either supervisord died of a signal, or a trap cut the wait short. A process that
  # still exists (a zombie too) was not reaped yet: wait again for its real code.
  [ "$code" -gt 128 ] && kill -0 "$pid" 2>/dev/null && continue
  break
done
[ -e "$sock_dir/loadworker-refused" ] && exit 78
exit "$code"
