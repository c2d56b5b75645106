# tests/interop/lib.sh - helpers shared by the interop scripts (bash; source it)
#
# Every peer a script starts goes through it_start, which records its PID; the EXIT
# trap set by it_setup stops what is still running (TERM, then KILL), by PID only,
# and removes the scratch directory. Peers listen on 127.0.0.1 only. A peer that is
# not installed is a failure, never a skip.
#
# Environment (set by tests/interop/CMakeLists.txt):
#   PYTHON       the Debian python with python3-gssapi (/usr/bin/python3)
#   INTEROP_DIR  this directory (the python peers live here)
#   SSPI_PEER    the sspi_peer program built against libopensspi
#   SSPI_TOOL    the sspi command-line tool
#   INTEROP_WRAPPER  optional command our programs run under, e.g.
#                "valgrind -q --error-exitcode=99" (a report then fails the case)

PYTHON=${PYTHON:-/usr/bin/python3}
INTEROP_DIR=${INTEROP_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
NTLM_OID=1.3.6.1.4.1.311.2.2.10

# IT_WRAP - INTEROP_WRAPPER as words, to put before sspi_peer and the sspi tool
# shellcheck disable=SC2034 # used by the scripts that source this file
IT_WRAP=()
if [ -n "${INTEROP_WRAPPER:-}" ]; then
    # shellcheck disable=SC2034
    read -r -a IT_WRAP <<<"$INTEROP_WRAPPER"
fi

IT_NAME=interop
IT_TMP=""
IT_PIDS=""
IT_LAST_PID=""
IT_RC=0
IT_FAILED=0

it_log() { printf '[%s] %s\n' "$IT_NAME" "$*"; }

# it_fail MSG - stop the script with a failure (the EXIT trap cleans up).
it_fail() {
    it_log "FAIL: $*"
    exit 1
}

# it_case_failed CASE MSG - record a failed case and go on with the next one.
it_case_failed() {
    it_log "CASE FAILED: $1: $2"
    IT_FAILED=$((IT_FAILED + 1))
}

# it_setup NAME - scratch directory and cleanup trap.
it_setup() {
    IT_NAME=$1
    unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY
    IT_TMP=$(mktemp -d "${TMPDIR:-/tmp}/opensspi-interop.XXXXXX") || it_fail "mktemp"
    trap it_cleanup EXIT
    trap 'exit 129' HUP
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

# it_finish - exit status of the script from the cases recorded by it_case_failed.
it_finish() {
    if [ "$IT_FAILED" -ne 0 ]; then
        it_log "$IT_FAILED case(s) failed"
        exit 1
    fi
    it_log "all cases passed"
    exit 0
}

# it_stop_pid PID - TERM, up to 5 s grace, then KILL; reaps it.
it_stop_pid() {
    local pid=$1 i
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null
        for i in $(seq 1 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            it_log "PID $pid ignored SIGTERM, killing it"
            kill -KILL "$pid" 2>/dev/null
        fi
    fi
    wait "$pid" 2>/dev/null
    it_forget_pid "$pid"
}

it_forget_pid() {
    local p keep=""
    for p in $IT_PIDS; do
        [ "$p" = "$1" ] || keep="$keep $p"
    done
    IT_PIDS=$keep
}

it_cleanup() {
    local rc=$? pid
    trap - EXIT
    for pid in $IT_PIDS; do
        it_stop_pid "$pid"
    done
    if [ -n "$IT_TMP" ] && [ -d "$IT_TMP" ]; then
        rm -rf "$IT_TMP"
    fi
    exit "$rc"
}

# it_start LOGNAME CMD... - run CMD in the background, output to $IT_TMP/LOGNAME.log;
# its PID is left in IT_LAST_PID and recorded for cleanup. CMD runs under timeout(1)
# (IT_PEER_LIFETIME seconds, default 300), so a peer cannot outlive a script that was
# killed without a chance to clean up; TERM sent to that PID reaches CMD.
IT_PEER_LIFETIME=${IT_PEER_LIFETIME:-300}
it_start() {
    local log=$IT_TMP/$1.log
    shift
    timeout --kill-after=5 "$IT_PEER_LIFETIME" "$@" >"$log" 2>&1 </dev/null &
    IT_LAST_PID=$!
    IT_PIDS="$IT_PIDS $IT_LAST_PID"
}

# it_wait_exit PID SECONDS - wait for a process started by it_start; its exit status
# goes to IT_RC (124 if it had to be stopped after SECONDS or hit IT_PEER_LIFETIME).
it_wait_exit() {
    local pid=$1 limit=$(($2 * 10)) i=0
    while kill -0 "$pid" 2>/dev/null && [ $i -lt $limit ]; do
        sleep 0.1
        i=$((i + 1))
    done
    if kill -0 "$pid" 2>/dev/null; then
        it_log "PID $pid still running after $2 s: stopping it"
        it_stop_pid "$pid"
        IT_RC=124
        return
    fi
    wait "$pid" 2>/dev/null
    IT_RC=$?
    it_forget_pid "$pid"
}

# it_free_port - print a TCP port that is free on 127.0.0.1 right now.
it_free_port() {
    "$PYTHON" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

# it_wait_port_file FILE PID [SECONDS] - wait until a server wrote its port to FILE and
# print the port; fails if PID exits first or after SECONDS (default 20).
it_wait_port_file() {
    local file=$1 pid=$2 limit=$((${3:-20} * 10)) i=0
    while [ $i -lt $limit ]; do
        if [ -s "$file" ]; then
            cat "$file"
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

# it_listening PORT - is something listening on 127.0.0.1:PORT (or the wildcard)?
# Reads /proc/net/tcp, so it never consumes a server's accept().
it_listening() {
    local hex
    hex=$(printf '%04X' "$1")
    awk -v p=":$hex" 'NR > 1 && $4 == "0A" && substr($2, length($2) - 4) == p { f = 1 }
                      END { exit f ? 0 : 1 }' /proc/net/tcp
}

# it_wait_listen PORT PID [SECONDS] - wait until PORT is listening; fails if PID exits.
it_wait_listen() {
    local port=$1 pid=$2 limit=$((${3:-20} * 10)) i=0
    while [ $i -lt $limit ]; do
        it_listening "$port" && return 0
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

# it_show LOGNAME - print a peer's log, indented.
it_show() {
    local log=$IT_TMP/$1.log
    [ -f "$log" ] || return 0
    echo "    --- $1 ---"
    sed 's/^/    /' "$log"
    [ -z "$(tail -c 1 "$log")" ] || echo
}

# ---- requirements: a missing peer fails the test ----

it_require_cmd() {
    command -v "$1" >/dev/null 2>&1 \
        || it_fail "missing peer program '$1' (run scripts/install-deps)"
}

it_require_file() {
    if [ -z "$1" ] || [ ! -x "$1" ]; then
        it_fail "missing program '${1:-?}' ($2)"
    fi
}

# it_require_gssntlmssp - python3-gssapi importable and the NTLM mechanism registered.
it_require_gssntlmssp() {
    [ -x "$PYTHON" ] || it_fail "missing $PYTHON"
    "$PYTHON" - "$NTLM_OID" <<'EOF' || it_fail "gss-ntlmssp is not usable from $PYTHON (install python3-gssapi gss-ntlmssp: scripts/install-deps)"
import sys
import gssapi
oid = gssapi.OID.from_int_seq(sys.argv[1])
sys.exit(0 if oid in gssapi.raw.indicate_mechs() else 1)
EOF
}

# it_users_file - write the shared test users in the DOMAIN:USER:PASSWORD format
# (gss-ntlmssp's NTLM_USER_FILE) and export NTLM_USER_FILE.
IT_DOMAIN=TESTDOM
IT_USER=alice
IT_PASS='Secret-Pa55w0rd!'
IT_UNI_USER='jürgen'
IT_UNI_PASS='pässwörd-€'
# shellcheck disable=SC2034 # used by the scripts that source this file
IT_UNI_USER_UPPER='JÜRGEN'
# bob's password fits the 14 characters an LM hash can take (NTLMv1 / LM_KEY cases)
IT_SHORT_USER=bob
IT_SHORT_PASS='bobs-password'
it_users_file() {
    NTLM_USER_FILE=$IT_TMP/users
    {
        printf '%s:%s:%s\n' "$IT_DOMAIN" "$IT_USER" "$IT_PASS"
        printf '%s:%s:%s\n' "$IT_DOMAIN" "$IT_UNI_USER" "$IT_UNI_PASS"
        printf '%s:%s:%s\n' "$IT_DOMAIN" "$IT_SHORT_USER" "$IT_SHORT_PASS"
    } >"$NTLM_USER_FILE"
    export NTLM_USER_FILE
}

# it_run_pair CASE EXPECT SERVER-CMD... -- CLIENT-CMD...
# Starts the server with "--port-file F" appended, then the client with "--port P"
# appended, waits for both and checks their exit status: EXPECT=ok wants 0 from both,
# EXPECT=fail wants exactly 1 from both (a clean refusal: no crash, no timeout).
# Logs are $IT_TMP/CASE-server.log and CASE-client.log. Returns 0 if as expected.
it_run_pair() {
    local name=$1 expect=$2 srv=() cli=() port spid cpid src crc
    shift 2
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do
        srv+=("$1")
        shift
    done
    shift
    cli=("$@")
    rm -f "$IT_TMP/$name.port"
    it_log "case $name (expect $expect)"
    it_start "$name-server" "${srv[@]}" --port-file "$IT_TMP/$name.port"
    spid=$IT_LAST_PID
    if ! port=$(it_wait_port_file "$IT_TMP/$name.port" "$spid" 20); then
        it_show "$name-server"
        it_stop_pid "$spid"
        it_case_failed "$name" "server did not start"
        return 1
    fi
    it_start "$name-client" "${cli[@]}" --port "$port"
    cpid=$IT_LAST_PID
    it_wait_exit "$cpid" 60
    crc=$IT_RC
    it_wait_exit "$spid" 30
    src=$IT_RC
    it_show "$name-server"
    it_show "$name-client"
    it_log "case $name: server exit $src, client exit $crc"
    if [ "$expect" = ok ]; then
        if [ "$src" -ne 0 ] || [ "$crc" -ne 0 ]; then
            it_case_failed "$name" "expected success on both sides"
            return 1
        fi
    else
        if [ "$src" -ne 1 ] || [ "$crc" -ne 1 ]; then
            it_case_failed "$name" "expected a clean failure (exit 1) on both sides"
            return 1
        fi
    fi
    return 0
}

# it_expect_clean LOGNAME - record a failed case if a sanitizer or valgrind reported
# in the log of a program we stop by signal (whose exit status says nothing).
it_expect_clean() {
    if grep -qE 'ERROR: (Address|Leak|Thread|Memory)Sanitizer|runtime error:|^==[0-9]+== [A-Z]' \
        "$IT_TMP/$1.log"; then
        it_case_failed "$1" "sanitizer or valgrind report in its log"
    fi
}

# it_log_has LOGNAME TEXT - does the log contain TEXT (fixed string)?
it_log_has() {
    grep -qF -- "$2" "$IT_TMP/$1.log"
}

# it_expect_in_log CASE LOGNAME REGEX WHY - record a failed case unless the log
# matches the extended REGEX.
it_expect_in_log() {
    if ! grep -qE -- "$3" "$IT_TMP/$2.log"; then
        it_case_failed "$1" "$4 (no /$3/ in $2)"
    fi
}
