#!/usr/bin/env bash
# Throwaway PostgreSQL server on 127.0.0.1 for tests and CI, using Debian's PostgreSQL binaries.
#
#   deploy/local/postgres.sh start    # prints DATABASE_URL=postgresql+asyncpg://devoured@127.0.0.1:<port>/devoured
#   deploy/local/postgres.sh status   # exit 0 and the same line if running, exit 1 if not
#   deploy/local/postgres.sh stop     # stop the server and delete its data
#
# If DATABASE_URL is set, `start` only checks that it accepts connections (nothing is started).
# Env: PGPORT (15432), PG_START_TIMEOUT (60 s). Data lives in .cache/postgres/data and is rebuilt on
# every start; durability is switched off (fsync, full_page_writes, synchronous_commit).
#      PG_STATE_DIR (.cache/postgres): data, socket, URL file and log of this server, so that a
#        second server (the chaos tests') can run beside the shared one on another port,
#      PG_KEEP_DATA (unset): when 1, `start` reuses an existing data directory (no initdb) and
#        `stop` keeps it, so a server stopped with `pg_ctl stop -m immediate` restarts with its data,
#      PG_DURABLE (unset): when 1, a new data directory keeps PostgreSQL's durable defaults, so a
#        commit acknowledged before a crash survives it (synchronous_commit off would lose it).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CACHE=${PG_STATE_DIR:-$ROOT/.cache/postgres}
DATA=$CACHE/data
KEEP_DATA=${PG_KEEP_DATA:-}
URLFILE=$CACHE/url
PORT=${PGPORT:-15432}
START_TIMEOUT=${PG_START_TIMEOUT:-60}
DB=devoured

NAME=postgres
# shellcheck source=deploy/local/lib.sh
source "$HERE/lib.sh"

# Newest /usr/lib/postgresql/<version>/bin that has the server tools.
find_bin() {
    local d
    for d in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -rV); do
        [[ -x $d/initdb && -x $d/pg_ctl ]] && { echo "$d"; return; }
    done
}

# PostgreSQL refuses to run as root: as root, run the server as a system user.
OS_USER=$(id -un)
if [[ $(id -u) == 0 ]]; then
    OS_USER=postgres
    id -u "$OS_USER" >/dev/null 2>&1 || OS_USER=devoured-pg
fi
as_pg() {
    if [[ $(id -u) == 0 ]]; then runuser -u "$OS_USER" -- "$@"; else "$@"; fi
}

ensure_server_tools() {
    BIN=$(find_bin)
    if [[ -z $BIN ]]; then
        apt_install postgresql
        BIN=$(find_bin)
        [[ -n $BIN ]] || die "no initdb/pg_ctl under /usr/lib/postgresql/*/bin after installing postgresql"
    fi
    if [[ $(id -u) == 0 ]] && ! id -u "$OS_USER" >/dev/null 2>&1; then
        useradd --system --no-create-home --shell /usr/sbin/nologin "$OS_USER"
    fi
}

running() { [[ -d $DATA ]] && as_pg "$BIN/pg_ctl" status -D "$DATA" >/dev/null 2>&1; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

print_url() { echo "DATABASE_URL=$(cat "$URLFILE")"; }

# Every directory above .cache/postgres must be searchable by the server's user.
make_traversable() {
    local d="" part parts
    IFS=/ read -ra parts <<<"${1#/}"
    for part in "${parts[@]}"; do
        d=$d/$part
        if ! as_pg test -x "$d"; then
            log "chmod a+x $d so that user $OS_USER can reach $CACHE"
            chmod a+x "$d"
        fi
    done
}

# Wait until a libpq URL answers `select 1`.
wait_for() {
    local url=$1 psql=${BIN:+$BIN/psql} deadline=$((SECONDS + START_TIMEOUT))
    [[ -n $psql ]] || psql=$(command -v psql || true)
    [[ -n $psql ]] || { apt_install postgresql-client; psql=psql; }
    until PGCONNECT_TIMEOUT=5 "$psql" "$url" -XAtqc 'select 1' >/dev/null 2>&1; do
        ((SECONDS < deadline)) || return 1
        sleep 0.5
    done
}

fail_start() {
    log "error: $*"
    log "---- tail of $CACHE/postgres.log ----"
    tail -n 30 "$CACHE/postgres.log" >&2 || true
    exit 1
}

do_start() {
    if [[ -n ${DATABASE_URL:-} ]]; then
        BIN=$(find_bin)
        # libpq does not know SQLAlchemy's "+driver" suffix.
        local url
        url=$(sed -E 's#^postgres(ql)?(\+[a-z0-9_]+)?://#postgresql://#' <<<"$DATABASE_URL")
        wait_for "$url" || die "DATABASE_URL does not accept connections after ${START_TIMEOUT}s"
        log "DATABASE_URL is set and accepts connections; nothing started"
        echo "DATABASE_URL=$DATABASE_URL"
        return
    fi
    ensure_server_tools
    if running; then
        log "already running"
        print_url
        return
    fi
    port_open "$PORT" && die "port $PORT is already in use by another process (set PGPORT)"

    if [[ $KEEP_DATA == 1 && -f $DATA/PG_VERSION ]]; then
        log "reusing the data in $DATA (PG_KEEP_DATA=1)"
    else
        init_data
    fi

    log "starting server on 127.0.0.1:$PORT ..."
    # fd 9 (our lock) must not leak into the server, or it would hold the lock forever.
    as_pg "$BIN/pg_ctl" start -D "$DATA" -l "$CACHE/postgres.log" -w -t "$START_TIMEOUT" >/dev/null 9>&- ||
        fail_start "pg_ctl start failed"
    wait_for "postgresql://devoured@127.0.0.1:$PORT/postgres" || fail_start "server not answering after ${START_TIMEOUT}s"
    if ! database_exists; then
        "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U devoured "$DB" || fail_start "createdb $DB failed"
    fi
    echo "postgresql+asyncpg://devoured@127.0.0.1:$PORT/$DB" >"$URLFILE"
    log "ready"
    print_url
}

database_exists() {
    [[ -n $("$BIN/psql" "postgresql://devoured@127.0.0.1:$PORT/postgres" -XAtqc \
        "select 1 from pg_database where datname = '$DB'" 2>/dev/null) ]]
}

# A new data directory: initdb, then the throwaway server's configuration.
init_data() {
    rm -rf "$DATA"
    mkdir -p "$CACHE"
    chown "$OS_USER" "$CACHE"
    chmod 700 "$CACHE"
    [[ $(id -u) == 0 ]] && make_traversable "$CACHE"

    as_pg "$BIN/initdb" -D "$DATA" --auth=trust --username=devoured --encoding=UTF8 --no-locale \
        --no-sync >"$CACHE/initdb.out" 2>&1 || { cat "$CACHE/initdb.out" >&2; die "initdb failed"; }
    # Unix socket paths are limited to 107 bytes; fall back to TCP only for very deep checkouts.
    local sockdir=$CACHE durability=off
    ((${#CACHE} < 90)) || sockdir=""
    [[ ${PG_DURABLE:-} == 1 ]] && durability=on
    cat >>"$DATA/postgresql.conf" <<EOF

# ---- deploy/local/postgres.sh: throwaway test server ----
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$sockdir'
max_connections = 200
fsync = $durability
synchronous_commit = $durability
full_page_writes = $durability
EOF
    cat >"$DATA/pg_hba.conf" <<EOF
# TYPE  DATABASE  USER  ADDRESS       METHOD
local   all       all                 trust
host    all       all   127.0.0.1/32  trust
EOF
}

do_stop() {
    BIN=$(find_bin)
    if [[ -n $BIN ]] && running; then
        log "stopping ..."
        as_pg "$BIN/pg_ctl" stop -D "$DATA" -m fast -w >/dev/null
    else
        log "not running"
    fi
    [[ $KEEP_DATA == 1 ]] || rm -rf "$DATA"
    rm -rf "$URLFILE"
}

do_status() {
    BIN=$(find_bin)
    if [[ -n $BIN ]] && running; then
        log "running"
        print_url
    else
        log "not running"
        return 1
    fi
}

case ${1:-} in
start | stop)
    # Serialise concurrent start/stop calls (e.g. several test processes).
    mkdir -p "$(dirname "$CACHE")"
    exec 9>"$CACHE.lock"
    flock 9
    "do_$1"
    ;;
status) do_status ;;
*)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
