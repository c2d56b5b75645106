# tests/interop/kdc/lib.sh - helpers for the Kerberos interop scripts (bash; source it)
#
# krb_setup NAME starts a throwaway realm (realm.sh) in a scratch directory and
# loads its environment; the EXIT trap stops every peer it started (by PID) and
# the KDC, and removes the directory. Peers listen on 127.0.0.1 only. A missing
# program is a failure, never a skip.
#
# Environment (set by tests/interop/kerberos.cmake):
#   PYTHON      the Debian python with python3-gssapi (/usr/bin/python3)
#   KRB_PEER    the krb_peer program built against libopensspi
#   OPENSSPI_INTEROP_WRAPPER  optional command our programs run under (valgrind ...)

KDC_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PYTHON=${PYTHON:-/usr/bin/python3}
GSS_PEER="$KDC_DIR/gss_peer.py"

KT_NAME=kerberos
KT_TMP=""
KT_PIDS=""
KT_FAILED=0
KT_CASES=0

kt_log() { printf '[%s] %s\n' "$KT_NAME" "$*"; }

kt_fail() {
    kt_log "FAIL: $*"
    exit 1
}

kt_cleanup() {
    local pid
    for pid in $KT_PIDS; do
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null
            sleep 0.2
            kill -KILL "$pid" 2>/dev/null
        fi
        wait "$pid" 2>/dev/null
    done
    if [ -n "$KT_TMP" ] && [ -d "$KT_TMP" ]; then
        bash "$KDC_DIR/realm.sh" stop "$KT_TMP/realm" || true
        rm -rf "$KT_TMP"
    fi
}

# krb_setup NAME - scratch directory, realm, cleanup trap, peer checks.
krb_setup() {
    KT_NAME=$1
    unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
    unset OPENSSPI_TRACE
    KT_TMP=$(mktemp -d "${TMPDIR:-/tmp}/opensspi-krb-interop.XXXXXX") || kt_fail "mktemp"
    trap kt_cleanup EXIT
    trap 'exit 129' HUP
    trap 'exit 130' INT
    trap 'exit 143' TERM
    [ -n "${KRB_PEER:-}" ] && [ -x "$KRB_PEER" ] || kt_fail "KRB_PEER (krb_peer, built with libopensspi) is missing"
    [ -x "$PYTHON" ] || kt_fail "$PYTHON is missing"
    "$PYTHON" -c 'import gssapi' 2>/dev/null || kt_fail "python3-gssapi is not installed (scripts/install-deps)"
    local envfile
    envfile=$(bash "$KDC_DIR/realm.sh" start "$KT_TMP/realm") || kt_fail "could not start the realm"
    # shellcheck disable=SC1090
    . "$envfile"
    kt_log "realm $KRB_REALM on 127.0.0.1:$KRB_KDC_PORT"
    # a krb5.conf that tolerates 1 s of clock skew, for the delayed-token cases
    sed 's/clockskew = 300/clockskew = 1/' "$KRB5_CONFIG" >"$KRB_DIR/tight-krb5.conf"
    KT_TIGHT_CONF="$KRB_DIR/tight-krb5.conf"
}

kt_free_port() {
    "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# kt_pair CASE ok|fail SERVER... -- CLIENT... : run a server (background) and a
# client with --port added; both must exit 0 for "ok". For "fail" at least one
# must exit non-zero (the cases that expect a precise status pass --expect-status
# to our peer, which then exits 0 only on that status). Logs in $KT_TMP/CASE-*.log.
kt_pair() {
    local name=$1 want=$2
    shift 2
    local server=() client=()
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do
        server+=("$1")
        shift
    done
    [ "${1:-}" = "--" ] || kt_fail "kt_pair $name: no --"
    shift
    client=("$@")
    local port
    port=$(kt_free_port)
    KT_CASES=$((KT_CASES + 1))
    local slog="$KT_TMP/$name-server.log" clog="$KT_TMP/$name-client.log"
    ${KT_SERVER_ENV:+env $KT_SERVER_ENV} "${server[@]}" --port "$port" >"$slog" 2>&1 &
    local spid=$!
    KT_PIDS="$KT_PIDS $spid"
    ${KT_CLIENT_ENV:+env $KT_CLIENT_ENV} timeout 120 "${client[@]}" --port "$port" >"$clog" 2>&1
    local crc=$?
    local i src
    for i in $(seq 1 300); do
        kill -0 "$spid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$spid" 2>/dev/null; then
        kill -KILL "$spid" 2>/dev/null
    fi
    wait "$spid" 2>/dev/null
    src=$?
    local ok=0
    if [ "$want" = ok ]; then
        [ "$crc" -eq 0 ] && [ "$src" -eq 0 ] && ok=1
    else
        # a peer told what failure to expect exits 0 only when it saw it; any
        # other peer must then have failed or stopped; without expectations,
        # one of them must have failed
        local sx=0 cx=0
        grep -q -- '--expect-status\|--expect-fail' <<<"${server[*]}" && sx=1
        grep -q -- '--expect-status\|--expect-fail' <<<"${client[*]}" && cx=1
        if [ $sx -eq 0 ] && [ $cx -eq 0 ]; then
            { [ "$crc" -ne 0 ] || [ "$src" -ne 0 ]; } && ok=1
        else
            ok=1
            if [ $sx -eq 1 ]; then
                [ "$src" -eq 0 ] && grep -q "failed as expected" "$slog" || ok=0
            fi
            if [ $cx -eq 1 ]; then
                [ "$crc" -eq 0 ] && grep -q "failed as expected" "$clog" || ok=0
            fi
        fi
    fi
    if [ "$ok" -eq 1 ]; then
        kt_log "ok   $name (client $crc, server $src)"
    else
        kt_log "FAIL $name (client $crc, server $src, wanted $want)"
        sed 's/^/    server: /' "$slog"
        sed 's/^/    client: /' "$clog"
        KT_FAILED=$((KT_FAILED + 1))
    fi
    return $((1 - ok))
}

# kt_expect_log CASE SIDE REGEX WHAT - a case's log must match.
kt_expect_log() {
    local f="$KT_TMP/$1-$2.log"
    if ! grep -Eq -- "$3" "$f"; then
        kt_log "FAIL $1: $4"
        sed 's/^/    '"$2"': /' "$f"
        KT_FAILED=$((KT_FAILED + 1))
    fi
}

kt_finish() {
    if [ "$KT_FAILED" -ne 0 ]; then
        kt_log "$KT_FAILED of $KT_CASES case(s) failed"
        exit 1
    fi
    kt_log "all $KT_CASES cases passed"
    exit 0
}

# our programs, optionally under a wrapper (valgrind ...)
kt_ours() {
    # shellcheck disable=SC2086
    echo ${OPENSSPI_INTEROP_WRAPPER:-} "$KRB_PEER"
}
