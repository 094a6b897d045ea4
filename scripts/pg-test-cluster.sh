#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: a real server (Debian's
# postgresql package), in a temporary folder, on 127.0.0.1 and a free port,
# with one superuser `factdesk` trusted on that address only. Never a mock.
#
#   scripts/pg-test-cluster.sh run CMD [ARGS…]
#       starts a cluster, runs CMD with FACTDESK_TEST_POSTGRES=postgres://factdesk@127.0.0.1:PORT/postgres,
#       then stops the cluster and deletes its folder, also when CMD fails or is interrupted;
#       exits with CMD's status. `make test` runs the Rust suites this way (one cluster for all).
#   scripts/pg-test-cluster.sh start PID
#       starts a cluster, prints its URL, and stops and deletes it once process PID has exited:
#       how a test binary started without `make` gets its own (see crates/test-postgres).
#   scripts/pg-test-cluster.sh start PID CERT KEY
#       the same with `ssl = on`: CERT and KEY (PEM files, the server's certificate chain and key) are
#       copied into the cluster's folder, owner-only (0600) as PostgreSQL demands; prints the folder
#       on a second line (the TLS tests keep their CA files there, deleted with it).
#
# The server runs as the `postgres` user when this runs as root (PostgreSQL refuses root), as the
# calling user otherwise. fsync is off: the cluster is thrown away at the end, and the tests are
# about behaviour, not durability (the durability of an acknowledged write is PostgreSQL's own,
# with its defaults, on a real server).
set -euo pipefail

pg_bin() {
  local dir
  for dir in /usr/lib/postgresql/15/bin $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      echo "$dir"
      # An explicit 0: a bare `return` in the EXIT trap after `exit 1` returns 1, and set -e then
      # ended the trap before the server was stopped.
      return 0
    fi
  done
  echo "pg-test-cluster: PostgreSQL is not installed (Debian: apt-get install postgresql; scripts/setup-system.sh does it)" >&2
  exit 1
}

as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then
    su postgres -s /bin/sh -c "$1"
  else
    sh -c "$1"
  fi
}

# Prints the URL of a started cluster in $1 (an empty folder); with a certificate $2 and key $3, with ssl on.
start_cluster() {
  local dir=$1 cert=${2:-} key=${3:-} bin port attempt tls_options=""
  bin=$(pg_bin)
  if [ -n "$cert" ]; then
    # PostgreSQL refuses a key file others can read; both stay inside the throwaway folder.
    install -m 0600 "$cert" "$dir/server.crt"
    install -m 0600 "$key" "$dir/server.key"
    tls_options="-c ssl=on -c ssl_cert_file='$dir/server.crt' -c ssl_key_file='$dir/server.key'"
  fi
  if [ "$(id -u)" -eq 0 ]; then
    chown -R postgres: "$dir"
  fi
  as_server_user "'$bin/initdb' -D '$dir/data' -A trust -U factdesk -E UTF8 --locale=C --no-sync >'$dir/initdb.log' 2>&1" ||
    { cat "$dir/initdb.log" >&2; return 1; }
  # A random port, tried again if another process holds it (pg_ctl -w fails then).
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
    if as_server_user "'$bin/pg_ctl' -D '$dir/data' -w -t 60 -l '$dir/log' -o \"-k '$dir' -p $port -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100 $tls_options\" start >/dev/null 2>&1"; then
      echo "postgres://factdesk@127.0.0.1:$port/postgres"
      return 0
    fi
  done
  echo "pg-test-cluster: the server did not start; its log:" >&2
  cat "$dir/log" >&2 || true
  return 1
}

stop_cluster() {
  # Whatever fails here, the rest is still tried: this runs in the EXIT trap, after a failure too.
  set +e
  local dir=$1 bin
  bin=$(pg_bin)
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_server_user "'$bin/pg_ctl' -D '$dir/data' -m fast -w stop >/dev/null 2>&1" || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  run)
    shift
    [ $# -gt 0 ] || { echo "usage: $0 run CMD [ARGS…]" >&2; exit 2; }
    dir=$(mktemp -d "${TMPDIR:-/tmp}/factdesk-pg.XXXXXX")
    trap 'stop_cluster "$dir"' EXIT
    trap 'exit 130' INT TERM
    url=$(start_cluster "$dir")
    echo "pg-test-cluster: PostgreSQL at $url (folder $dir)" >&2
    status=0
    FACTDESK_TEST_POSTGRES=$url "$@" || status=$?
    exit $status
    ;;
  start)
    pid=${2:?usage: $0 start PID [CERT KEY]}
    dir=$(mktemp -d "${TMPDIR:-/tmp}/factdesk-pg.XXXXXX")
    if ! url=$(start_cluster "$dir" "${3:-}" "${4:-}"); then
      stop_cluster "$dir"
      exit 1
    fi
    # The watcher holds none of the caller's pipes, so the caller reads the URL to its end.
    setsid "$0" stop-after "$pid" "$dir" </dev/null >/dev/null 2>&1 &
    echo "$url"
    if [ -n "${3:-}" ]; then echo "$dir"; fi
    ;;
  stop-after)
    pid=${2:?}; dir=${3:?}
    while kill -0 "$pid" 2>/dev/null; do sleep 1; done
    stop_cluster "$dir"
    ;;
  *)
    echo "usage: $0 run CMD [ARGS…] | start PID [CERT KEY]" >&2
    exit 2
    ;;
esac
