#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and migrations (Debian's packaged cluster does not start here).
#   scripts/pg-throwaway.sh start DIR PORT   → prints postgresql://postgres@127.0.0.1:PORT/curator
#   scripts/pg-throwaway.sh stop DIR
set -euo pipefail
cmd=${1:?start|stop}; dir=${2:?data dir}
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "$cmd" in
  start)
    port=${3:?port}
    mkdir -p "$dir"; [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    [ -f "$dir/PG_VERSION" ] || as_pg "$BIN/initdb" -D "$dir" -U postgres --auth=trust >/dev/null
    # fsync off: the cluster is thrown away, durability buys nothing and costs seconds.
    as_pg "$BIN/pg_ctl" -D "$dir" -w -l "$dir/server.log" \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200" start >/dev/null
    as_pg "$BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres curator 2>/dev/null || true
    echo "postgresql://postgres@127.0.0.1:$port/curator"
    ;;
  stop)
    as_pg "$BIN/pg_ctl" -D "$dir" -m immediate stop >/dev/null 2>&1 || true
    ;;
  *) echo "usage: $0 start DIR PORT | stop DIR" >&2; exit 2 ;;
esac
