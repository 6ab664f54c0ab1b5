#!/usr/bin/env bash
# A virtflow server serving the designer on a local SQLite store, with its own throwaway RabbitMQ node (a plain
# process in a temp folder, as the tests start it), until Ctrl-C. Used by ./build.sh designer and demo --serve.
#   scripts/designer-server.sh STORE_SPEC URL
set -euo pipefail
store="$1" url="$2"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CONFIG="${CONFIG:-Release}"
dir="$(mktemp -d /tmp/virtflow-designer-XXXXXX)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port="$(free_port)"
export RABBITMQ_NODENAME="vfdesigner$$@localhost" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$port" \
  RABBITMQ_DIST_PORT="$(free_port)" ERL_EPMD_PORT="$(free_port)" RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" \
  RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" RABBITMQ_PID_FILE="$dir/mnesia/node.pid"
echo "[]." >"$dir/enabled_plugins"
[[ $(id -u) == 0 ]] && chown -R rabbitmq "$dir" 2>/dev/null || true
stop() {
  rabbitmqctl -n "$RABBITMQ_NODENAME" shutdown >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT
rabbitmq-server -detached >/dev/null 2>&1
for _ in $(seq 1 120); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.5; done
echo "designer: serving at $url until Ctrl-C (store $store; RabbitMQ on 127.0.0.1:$port)"
dotnet "$ROOT/src/VirtFlow.Cli/bin/$CONFIG/net10.0/virtflow.dll" server --rabbitmq "amqp://guest:guest@127.0.0.1:$port/" \
  --store "$store" --workflows "$ROOT/workflows" --http "$url" --trust-any-worker || true
