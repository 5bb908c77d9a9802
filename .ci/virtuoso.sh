#!/usr/bin/env bash
# Start or stop a throw-away Virtuoso server for kg's store tests.
#
#   .ci/virtuoso.sh start DIR   # scratch database in DIR; waits until /sparql answers
#   .ci/virtuoso.sh stop DIR
#   .ci/virtuoso.sh status DIR
#
# The server listens on 127.0.0.1:$VIRTUOSO_HTTP_PORT (default 18890; SPARQL at /sparql,
# updates at /sparql-auth with digest auth, dba/dba on a fresh database) and on the SQL port
# $VIRTUOSO_SQL_PORT (default 11111), so it never clashes with a system Virtuoso on 8890/1111.
# Needs the Debian package: apt-get install -y virtuoso-opensource
set -euo pipefail

HTTP_PORT="${VIRTUOSO_HTTP_PORT:-18890}"
SQL_PORT="${VIRTUOSO_SQL_PORT:-11111}"
WAIT_SECONDS="${VIRTUOSO_WAIT:-90}"
BIN="${VIRTUOSO_BIN:-$(command -v virtuoso-t || echo /usr/bin/virtuoso-t)}"
SRC_INI="${VIRTUOSO_INI:-/etc/virtuoso-opensource-7/virtuoso.ini}"

die() { echo "virtuoso.sh: $*" >&2; exit 1; }

usage() { die "usage: $0 start|stop|status DIR"; }

[ $# -eq 2 ] || usage
ACTION="$1"
mkdir -p "$2"
DIR="$(cd "$2" && pwd)"
PIDFILE="$DIR/virtuoso.pid"
INI="$DIR/virtuoso.ini"
URL="http://127.0.0.1:${HTTP_PORT}/sparql"

running() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

answers() {
    # ASK {} must come back with HTTP 200.
    local code
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 \
        -H 'Accept: application/sparql-results+json' \
        --data-urlencode 'query=ASK {}' "$URL" 2>/dev/null || true)"
    [ "$code" = "200" ]
}

# set_ini FILE SECTION KEY VALUE: set KEY in [SECTION], appending it if absent.
set_ini() {
    local file="$1" section="$2" key="$3" value="$4" tmp
    tmp="$(mktemp)"
    awk -v sec="$section" -v key="$key" -v val="$value" '
        function flush() { if (insec && !done) { print key " = " val; done = 1 } }
        /^[[:space:]]*\[/ {
            flush()
            name = $0; gsub(/^[[:space:]]*\[|\][[:space:]]*$/, "", name)
            insec = (name == sec)
            print; next
        }
        insec && $0 ~ "^[[:space:]]*" key "[[:space:]]*=" {
            if (!done) { print key " = " val; done = 1 }
            next
        }
        { print }
        END { flush() }
    ' "$file" > "$tmp"
    mv "$tmp" "$file"
}

start() {
    [ -x "$BIN" ] || die "no virtuoso-t at $BIN; install it with: apt-get install -y virtuoso-opensource"
    [ -f "$SRC_INI" ] || die "no $SRC_INI; install virtuoso-opensource or set VIRTUOSO_INI"
    command -v curl >/dev/null || die "curl is needed to check the server; apt-get install -y curl"
    if running; then
        answers && { echo "Virtuoso already running (pid $(cat "$PIDFILE")) at $URL"; return 0; }
        die "a Virtuoso (pid $(cat "$PIDFILE")) runs in $DIR but $URL does not answer"
    fi
    if answers; then
        die "something already answers at $URL; stop it or set VIRTUOSO_HTTP_PORT"
    fi
    rm -f "$DIR/virtuoso.lck"   # stale after a kill -9; no server of ours is running
    cp "$SRC_INI" "$INI"
    set_ini "$INI" Database DatabaseFile "$DIR/virtuoso.db"
    set_ini "$INI" Database ErrorLogFile "$DIR/virtuoso.log"
    set_ini "$INI" Database LockFile "$DIR/virtuoso.lck"
    set_ini "$INI" Database TransactionFile "$DIR/virtuoso.trx"
    set_ini "$INI" Database xa_persistent_file "$DIR/virtuoso.pxa"
    set_ini "$INI" TempDatabase DatabaseFile "$DIR/virtuoso-temp.db"
    set_ini "$INI" TempDatabase TransactionFile "$DIR/virtuoso-temp.trx"
    set_ini "$INI" Parameters ServerPort "$SQL_PORT"
    set_ini "$INI" Parameters DirsAllowed ".,$DIR,/usr/share/virtuoso-opensource-7/vad"
    set_ini "$INI" HTTPServer ServerPort "$HTTP_PORT"
    set_ini "$INI" URIQA DefaultHost "localhost:$HTTP_PORT"
    # kg pages through results itself; a larger cap means fewer round trips.
    set_ini "$INI" SPARQL ResultSetMaxRows 100000
    # "&" on the simple command, so $! is virtuoso-t itself (nohup execs it), not a subshell
    (cd "$DIR" || exit 1
     nohup "$BIN" -f -c "$INI" > "$DIR/virtuoso.out" 2>&1 < /dev/null &
     echo $! > "$PIDFILE")
    local waited=0
    until answers; do
        if ! running; then
            tail -n 30 "$DIR/virtuoso.out" "$DIR/virtuoso.log" >&2 2>/dev/null || true
            die "virtuoso-t exited during start-up (logs above, in $DIR)"
        fi
        if [ "$waited" -ge "$WAIT_SECONDS" ]; then
            tail -n 30 "$DIR/virtuoso.log" >&2 2>/dev/null || true
            kill "$(cat "$PIDFILE")" 2>/dev/null || true
            die "$URL did not answer within ${WAIT_SECONDS}s (logs in $DIR)"
        fi
        sleep 1
        waited=$((waited + 1))
    done
    echo "Virtuoso running (pid $(cat "$PIDFILE")) at $URL; updates at ${URL}-auth (dba/dba)"
    echo "export KG_TEST_VIRTUOSO=http://127.0.0.1:${HTTP_PORT}"
}

stop() {
    if ! running; then
        # a server started from this folder's ini but not under the recorded pid
        pkill -f -- "-c $INI" 2>/dev/null && echo "Virtuoso of $DIR stopped" || \
            echo "no Virtuoso running in $DIR"
        rm -f "$PIDFILE"
        return 0
    fi
    local pid waited=0
    pid="$(cat "$PIDFILE")"
    kill "$pid"
    while kill -0 "$pid" 2>/dev/null; do
        if [ "$waited" -ge 30 ]; then
            echo "virtuoso.sh: pid $pid ignored SIGTERM for 30s; killing it" >&2
            kill -9 "$pid" 2>/dev/null || true
            break
        fi
        sleep 1
        waited=$((waited + 1))
    done
    rm -f "$PIDFILE"
    echo "Virtuoso (pid $pid) stopped"
}

case "$ACTION" in
    start) start ;;
    stop) stop ;;
    status) if running && answers; then echo "running at $URL"; else echo "not running"; exit 1; fi ;;
    *) usage ;;
esac
