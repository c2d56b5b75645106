#!/bin/bash
# tests/interop/ntlm-gssntlmssp-selfcheck.sh - the harness checked against itself
# gss-ntlmssp initiator against gss-ntlmssp acceptor (gssntlm_peer.py both sides), and
# the gss-ntlmssp HTTP client against ntlm_http_server.py: if this fails, the other
# interop results mean nothing.
. "$(dirname "$0")/lib.sh"
it_setup ntlm-gssntlmssp-selfcheck
it_require_gssntlmssp
it_users_file

PEER=("$PYTHON" "$INTEROP_DIR/gssntlm_peer.py")
ALICE="$IT_DOMAIN\\$IT_USER"
UNI="$IT_DOMAIN\\$IT_UNI_USER"

it_run_pair sealed ok "${PEER[@]}" --server --expect-user "$ALICE" \
    -- "${PEER[@]}" --client --user "$ALICE" --password "$IT_PASS"
it_run_pair no-seal ok "${PEER[@]}" --server --no-seal --expect-user "$ALICE" \
    -- "${PEER[@]}" --client --no-seal --user "$ALICE" --password "$IT_PASS"
it_run_pair unicode-user ok "${PEER[@]}" --server --expect-user "$UNI" \
    -- "${PEER[@]}" --client --user "$UNI" --password "$IT_UNI_PASS"
it_run_pair rounds ok "${PEER[@]}" --server --rounds 5 --expect-user "$ALICE" \
    -- "${PEER[@]}" --client --rounds 5 --user "$ALICE" --password "$IT_PASS"
BOB="$IT_DOMAIN\\$IT_SHORT_USER"
for level in 0 1 2; do
    it_run_pair "ntlmv1-level-$level" ok env LM_COMPAT_LEVEL=$level "${PEER[@]}" --server --expect-user "$BOB" \
        -- env LM_COMPAT_LEVEL=$level "${PEER[@]}" --client --user "$BOB" --password "$IT_SHORT_PASS"
done
it_run_pair ntlmv1-level-0-long-password ok env LM_COMPAT_LEVEL=0 "${PEER[@]}" --server \
    --expect-user "$ALICE" -- env LM_COMPAT_LEVEL=0 "${PEER[@]}" --client --user "$ALICE" --password "$IT_PASS"
CBT=tls-server-end-point:0123456789abcdef
it_run_pair cbt ok "${PEER[@]}" --server --cbt "$CBT" \
    -- "${PEER[@]}" --client --cbt "$CBT" --user "$ALICE" --password "$IT_PASS"
it_run_pair cbt-mismatch fail "${PEER[@]}" --server --cbt "$CBT" \
    -- "${PEER[@]}" --client --cbt "$CBT-other" --user "$ALICE" --password "$IT_PASS"
it_run_pair tampered-mic fail "${PEER[@]}" --server \
    -- "${PEER[@]}" --client --corrupt mic --user "$ALICE" --password "$IT_PASS"
it_run_pair unicode-user-case ok "${PEER[@]}" --server \
    -- "${PEER[@]}" --client --user "$IT_DOMAIN\\$IT_UNI_USER_UPPER" --password "$IT_UNI_PASS"
it_run_pair no-domain ok "${PEER[@]}" --server \
    -- "${PEER[@]}" --client --user "$IT_USER" --password "$IT_PASS"
it_run_pair wrong-password fail "${PEER[@]}" --server \
    -- "${PEER[@]}" --client --user "$ALICE" --password "not-$IT_PASS"
it_run_pair unknown-user fail "${PEER[@]}" --server \
    -- "${PEER[@]}" --client --user "$IT_DOMAIN\\mallory" --password "$IT_PASS"

# The HTTP server used by interop/ntlm-http-client, with a gss-ntlmssp HTTP client.
it_log "case http-server"
it_start http-server "$PYTHON" "$INTEROP_DIR/ntlm_http_server.py" --port-file "$IT_TMP/http.port"
HPID=$IT_LAST_PID
if ! PORT=$(it_wait_port_file "$IT_TMP/http.port" "$HPID" 20) || ! it_wait_listen "$PORT" "$HPID"; then
    it_show http-server
    it_fail "ntlm_http_server.py did not start"
fi
URL=http://127.0.0.1:$PORT/
if ! "$PYTHON" "$INTEROP_DIR/ntlm_http_client.py" --user "$ALICE" --password "$IT_PASS" "$URL" \
        >"$IT_TMP/http-ok.log" 2>&1 \
    || ! grep -qxF "Hello, $ALICE" "$IT_TMP/http-ok.log"; then
    it_show http-ok
    it_case_failed http-server "NTLM over HTTP did not give 200 'Hello, $ALICE'"
fi
if "$PYTHON" "$INTEROP_DIR/ntlm_http_client.py" --user "$ALICE" --password "bad" "$URL" \
        >"$IT_TMP/http-bad.log" 2>&1 \
    || ! grep -qF "HTTP 401" "$IT_TMP/http-bad.log"; then
    it_show http-bad
    it_case_failed http-server "a wrong password did not give 401"
fi
it_stop_pid "$HPID"
it_show http-server
it_finish
