#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on 127.0.0.1 for truce's tests and for trying
# the shared journal by hand; .ci/run uses it too.
#
#   eval "$(scripts/pg-cluster.sh start)"   # starts one, prints `export TRUCE_TEST_PG_URL=…`
#   scripts/pg-cluster.sh url               # the running cluster's URL
#   scripts/pg-cluster.sh restart           # stops it (fast) and starts it again, same port
#   scripts/pg-cluster.sh pause | resume    # stops it keeping its files / starts it again (an outage)
#   scripts/pg-cluster.sh stop              # stops it and deletes its files
#
# Data and socket live under $TRUCE_PG_DIR (default /tmp/truce-pg-$UID); the
# port is a free one picked at random; fsync is off (the data is thrown away).
# As root, initdb and the server run as the `postgres` user. The superuser is
# `postgres` with a random password (in the URL); local socket logins are trusted.
set -euo pipefail

dir=${TRUCE_PG_DIR:-/tmp/truce-pg-$(id -u)}
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
[ -n "$bindir" ] && [ -x "$bindir/initdb" ] || { echo "pg-cluster: no PostgreSQL server installed (apt-get install postgresql)" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

url() { cat "$dir/url"; }

# The server must not inherit the caller's descriptors (a test runner's
# process-monitoring socket would make it wait for the server to exit).
close_inherited() {
  local fd
  for fd in /proc/$$/fd/*; do
    fd=${fd##*/}
    [ "$fd" -gt 2 ] 2>/dev/null && eval "exec $fd>&-" 2>/dev/null || true
  done
}

case "${1:-}" in
start)
  close_inherited
  if [ -f "$dir/url" ] && as_owner "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    echo "export TRUCE_TEST_PG_URL='$(url)'"
    exit 0
  fi
  rm -rf "$dir"
  mkdir -p "$dir"
  password=$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')
  printf '%s\n' "$password" > "$dir/pw"
  [ "$(id -u)" = 0 ] && chown -R postgres: "$dir"
  as_owner "$bindir/initdb" -D "$dir/data" -U postgres --pwfile="$dir/pw" --auth-local=trust --auth-host=scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  for attempt in 1 2 3 4 5 6 7 8; do
    port=$(shuf -i 20000-60000 -n 1)
    cat > "$dir/data/postgresql.auto.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
log_min_messages = warning
CONF
    if as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 start >/dev/null 2>&1; then
      echo "postgresql://postgres:$password@127.0.0.1:$port/postgres" > "$dir/url"
      [ "$(id -u)" = 0 ] && chown postgres: "$dir/url"
      chmod 0600 "$dir/url" "$dir/pw"
      [ "$(id -u)" = 0 ] && chown root: "$dir/url"
      echo "export TRUCE_TEST_PG_URL='$(url)'"
      exit 0
    fi
  done
  echo "pg-cluster: the server did not start; its log:" >&2
  tail -20 "$dir/server.log" >&2 || true
  exit 1
  ;;
url)
  url
  ;;
pause)
  as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null
  ;;
resume)
  close_inherited
  as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 start >/dev/null
  ;;
restart)
  close_inherited
  as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -m fast -w -t 30 restart >/dev/null
  ;;
stop)
  if [ -d "$dir/data" ]; then as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; fi
  rm -rf "$dir"
  ;;
*)
  echo "usage: scripts/pg-cluster.sh start|url|pause|resume|restart|stop" >&2
  exit 2
  ;;
esac
