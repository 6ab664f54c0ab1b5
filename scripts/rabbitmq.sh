#!/usr/bin/env bash
# A plain-process RabbitMQ node for build.sh and demos (no systemd, no Docker).
#   scripts/rabbitmq.sh start DIR PORT   start node vf-PORT@localhost with AMQP on 127.0.0.1:PORT, distribution on
#                                        PORT+1 and a private epmd on PORT+2, data and logs in DIR; waits until AMQP
#                                        answers and prints the amqp URI (guest/guest, loopback only).
#   scripts/rabbitmq.sh stop  DIR PORT   shut the node and its epmd down.
#   scripts/rabbitmq.sh status DIR PORT
# Idempotent: starting a running node or stopping a stopped one succeeds. Debian's rabbitmq-server re-runs itself
# as the `rabbitmq` user, so DIR is given to that user when running as root.
set -euo pipefail

die() { echo "rabbitmq.sh: $*" >&2; exit 1; }
usage() { die "usage: $0 start|stop|status DIR PORT"; }

[[ $# -eq 3 ]] || usage
cmd=$1; dir=$2; port=$3
[[ $port =~ ^[0-9]+$ ]] && (( port > 0 && port < 65534 )) || die "PORT must be a number from 1 to 65533 (PORT+1 and PORT+2 are used too), got '$port'"
[[ -n $dir ]] || die "DIR must not be empty"
dir=$(realpath -m -- "$dir")
command -v rabbitmq-server >/dev/null || die "rabbitmq-server not found: apt-get install rabbitmq-server"

export RABBITMQ_NODENAME="vf-$port@localhost"
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export RABBITMQ_NODE_PORT=$port
export RABBITMQ_DIST_PORT=$((port + 1))
export ERL_EPMD_PORT=$((port + 2))
export RABBITMQ_MNESIA_BASE=$dir/mnesia
export RABBITMQ_LOG_BASE=$dir/log
export RABBITMQ_ENABLED_PLUGINS_FILE=$dir/enabled_plugins
export RABBITMQ_PID_FILE=$dir/mnesia/$RABBITMQ_NODENAME.pid

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }
node_up() { rabbitmqctl -n "$RABBITMQ_NODENAME" ping >/dev/null 2>&1; }

case $cmd in
  start)
    if answers && node_up; then
      echo "rabbitmq.sh: already running ($RABBITMQ_NODENAME in $dir)"
    else
      answers && die "port $port is in use by something else"
      mkdir -p "$dir/mnesia" "$dir/log"
      [[ -f $dir/enabled_plugins ]] || echo '[].' >"$dir/enabled_plugins"
      if [[ $(id -u) -eq 0 ]]; then
        chown -R rabbitmq:rabbitmq "$dir"
        su rabbitmq -s /bin/sh -c "test -w '$dir'" || die "user rabbitmq cannot write $dir (a parent folder is not reachable for it?)"
      fi
      (cd / && rabbitmq-server -detached) || die "rabbitmq-server -detached failed"
      for _ in $(seq 1 900); do
        answers && break
        sleep 0.1
      done
      answers || die "node $RABBITMQ_NODENAME did not open port $port within 90 s: $(tail -n 30 "$dir/log/$RABBITMQ_NODENAME.log" 2>/dev/null)"
      echo "rabbitmq.sh: started $RABBITMQ_NODENAME in $dir"
    fi
    echo "amqp://guest:guest@127.0.0.1:$port/"
    ;;
  stop)
    if node_up; then
      rabbitmqctl -n "$RABBITMQ_NODENAME" shutdown >/dev/null || die "rabbitmqctl shutdown failed"
      echo "rabbitmq.sh: stopped $RABBITMQ_NODENAME"
    else
      echo "rabbitmq.sh: not running ($RABBITMQ_NODENAME)"
    fi
    epmd -port "$ERL_EPMD_PORT" -kill >/dev/null 2>&1 || true
    ;;
  status)
    if node_up; then echo "rabbitmq.sh: running ($RABBITMQ_NODENAME)"; else echo "rabbitmq.sh: not running ($RABBITMQ_NODENAME)"; exit 3; fi
    ;;
  *) usage ;;
esac
