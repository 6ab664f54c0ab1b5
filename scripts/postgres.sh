#!/usr/bin/env bash
# A plain-process PostgreSQL cluster for build.sh and demos (no systemd, no Docker).
#   scripts/postgres.sh start DIR PORT   initdb into DIR/data on first use (trust auth, user virtflow), start on
#                                        127.0.0.1:PORT with its socket in DIR; prints the connection string.
#   scripts/postgres.sh stop  DIR PORT   stop it (fast shutdown). PORT is checked only for the usage line.
#   scripts/postgres.sh status DIR PORT
# Idempotent: starting a running cluster or stopping a stopped one succeeds. As root the cluster runs as the
# `postgres` user (DIR is given to it). VIRTFLOW_PG_FSYNC=off trades durability for speed (tests only).
# VIRTFLOW_PG_BIN overrides the binaries folder (default: newest /usr/lib/postgresql/*/bin).
set -euo pipefail

die() { echo "postgres.sh: $*" >&2; exit 1; }
usage() { die "usage: $0 start|stop|status DIR PORT"; }

[[ $# -eq 3 ]] || usage
cmd=$1; dir=$2; port=$3
[[ $port =~ ^[0-9]+$ ]] && (( port > 0 && port < 65536 )) || die "PORT must be a number from 1 to 65535, got '$port'"
[[ -n $dir ]] || die "DIR must not be empty"
dir=$(realpath -m -- "$dir")
data=$dir/data
(( ${#dir} + 20 < 107 )) || die "DIR '$dir' is too long for a Unix socket path (keep it under 85 characters)"

bin=${VIRTFLOW_PG_BIN:-}
if [[ -z $bin ]]; then
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [[ -n $bin ]] || bin=$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")
fi
[[ -x $bin/initdb && -x $bin/pg_ctl ]] || die "PostgreSQL binaries not found (tried '$bin'): apt-get install postgresql, or set VIRTFLOW_PG_BIN"

as_pg() {
  if [[ $(id -u) -eq 0 ]]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

running() { [[ -f $data/postmaster.pid ]] && as_pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; }

case $cmd in
  start)
    if running; then
      echo "postgres.sh: already running in $dir"
    else
      mkdir -p "$dir"
      if [[ $(id -u) -eq 0 ]]; then
        chown postgres:postgres "$dir"
        runuser -u postgres -- test -w "$dir" || die "user postgres cannot write $dir (a parent folder is not reachable for it?)"
      fi
      if [[ ! -f $data/PG_VERSION ]]; then
        as_pg "$bin/initdb" -D "$data" -A trust -U virtflow -E UTF8 --locale=C.UTF-8 --no-instructions >"$dir/initdb.log" 2>&1 \
          || die "initdb failed: $(tail -n 20 "$dir/initdb.log")"
      fi
      opts="-p $port -k $dir -c listen_addresses=127.0.0.1"
      [[ ${VIRTFLOW_PG_FSYNC:-on} == off ]] && opts+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
      if ! as_pg "$bin/pg_ctl" -D "$data" -o "$opts" -l "$dir/postgres.log" -w -t 60 start >/dev/null; then
        die "pg_ctl start failed (port $port in use?): $(tail -n 20 "$dir/postgres.log" 2>/dev/null)"
      fi
      echo "postgres.sh: started in $dir"
    fi
    echo "Host=127.0.0.1;Port=$port;Username=virtflow;Database=postgres"
    ;;
  stop)
    if running; then
      as_pg "$bin/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null || die "pg_ctl stop failed: $(tail -n 20 "$dir/postgres.log" 2>/dev/null)"
      echo "postgres.sh: stopped ($dir)"
    else
      echo "postgres.sh: not running ($dir)"
    fi
    ;;
  status)
    if running; then echo "postgres.sh: running ($dir)"; else echo "postgres.sh: not running ($dir)"; exit 3; fi
    ;;
  *) usage ;;
esac
