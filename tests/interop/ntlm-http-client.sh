#!/bin/bash
# tests/interop/ntlm-http-client.sh - `sspi http --ntlm` against another NTLM server
# The server is ntlm_http_server.py (gss-ntlmssp as acceptor, 401 + WWW-Authenticate:
# NTLM, keep-alive). Our client must get 200 "Hello, DOMAIN\user", and fail with a
# wrong password.
. "$(dirname "$0")/lib.sh"
it_setup ntlm-http-client
it_require_gssntlmssp
it_require_file "${SSPI_TOOL:-}" "the sspi tool (tools/sspi)"
it_users_file
ALICE="$IT_DOMAIN\\$IT_USER"
UNI="$IT_DOMAIN\\$IT_UNI_USER"

it_start http-server "$PYTHON" "$INTEROP_DIR/ntlm_http_server.py" --port-file "$IT_TMP/http.port"
HPID=$IT_LAST_PID
if ! PORT=$(it_wait_port_file "$IT_TMP/http.port" "$HPID" 20) || ! it_wait_listen "$PORT" "$HPID"; then
    it_show http-server
    it_fail "ntlm_http_server.py did not start"
fi
URL=http://127.0.0.1:$PORT/

# client_case NAME EXPECT(ok|fail) USER PASSWORD [SSPI-HTTP-OPTIONS...]
client_case() {
    local name=$1 expect=$2 user=$3 pass=$4 rc opts
    shift 4
    opts=("$@")
    [ ${#opts[@]} -gt 0 ] || opts=(--ntlm)
    it_log "case $name (expect $expect)"
    it_start "$name" "${IT_WRAP[@]}" "$SSPI_TOOL" http -v "${opts[@]}" --user "$user" --password "$pass" "$URL"
    it_wait_exit "$IT_LAST_PID" 60
    rc=$IT_RC
    it_show "$name"
    it_log "case $name: exit $rc"
    if [ "$expect" = ok ]; then
        if [ "$rc" -ne 0 ] || ! it_log_has "$name" "Hello, $user"; then
            it_case_failed "$name" "expected exit 0 and 'Hello, $user'"
        fi
    elif [ "$rc" -eq 0 ] || [ "$rc" -ge 124 ] || it_log_has "$name" "Hello,"; then
        it_case_failed "$name" "expected a clean failure"
    fi
}

client_case ntlm ok "$ALICE" "$IT_PASS"
client_case unicode-user ok "$UNI" "$IT_UNI_PASS"
client_case wrong-password fail "$ALICE" "not-$IT_PASS"
# Without --ntlm the tool picks Negotiate when offered, else NTLM: only NTLM is offered.
client_case default-scheme ok "$ALICE" "$IT_PASS" --verbose

it_stop_pid "$HPID"
it_show http-server
it_finish
