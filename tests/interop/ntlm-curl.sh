#!/bin/bash
# tests/interop/ntlm-curl.sh - curl's own NTLM client against `sspi serve`
# `sspi serve` (libopensspi AcceptSecurityContext behind an HTTP server that requires
# NTLM, users from NTLM_USER_FILE) must answer curl --ntlm with 200 and
# "Hello, DOMAIN\user", and refuse a wrong password with 401.
. "$(dirname "$0")/lib.sh"
it_setup ntlm-curl
it_require_cmd curl
curl -V | grep -qw NTLM || it_fail "this curl has no NTLM support"
it_require_file "${SSPI_TOOL:-}" "the sspi tool (tools/sspi)"
it_users_file
ALICE="$IT_DOMAIN\\$IT_USER"

it_start serve "${IT_WRAP[@]}" "$SSPI_TOOL" serve -v --port 0 --port-file "$IT_TMP/serve.port"
SPID=$IT_LAST_PID
if ! PORT=$(it_wait_port_file "$IT_TMP/serve.port" "$SPID" 20) || ! it_wait_listen "$PORT" "$SPID"; then
    it_show serve
    it_fail "sspi serve did not start"
fi
URL=http://127.0.0.1:$PORT/
it_log "sspi serve listening on $URL"

# curl_case NAME WANT-CODE WANT-BODY CURL-ARGS... - every response must have WANT-CODE;
# the first body must be WANT-BODY ("" means not checked).
curl_case() {
    local name=$1 want=$2 body=$3 codes code
    shift 3
    it_log "case $name (expect HTTP $want)"
    codes=$(curl -sS --noproxy '*' --max-time 30 -o "$IT_TMP/$name.body" \
        -D "$IT_TMP/$name.headers" -w '%{http_code} ' "$@" 2>"$IT_TMP/$name.log")
    for code in $codes none; do
        [ "$code" = "$want" ] || break
    done
    if [ "$code" != none ]; then
        it_show "$name"
        sed 's/^/    < /' "$IT_TMP/$name.headers" 2>/dev/null
        it_case_failed "$name" "HTTP ${codes:-none}, expected $want"
        return 1
    fi
    if [ -n "$body" ] && [ "$(cat "$IT_TMP/$name.body")" != "$body" ]; then
        it_log "body: $(cat "$IT_TMP/$name.body")"
        it_case_failed "$name" "body is not '$body'"
        return 1
    fi
    return 0
}

curl_case ntlm 200 "Hello, $ALICE" --ntlm -u "$ALICE:$IT_PASS" "$URL"
curl_case ntlm-two-requests 200 "Hello, $ALICE" --ntlm -u "$ALICE:$IT_PASS" "$URL" \
    -o "$IT_TMP/second.body" "${URL}again"
curl_case user-case 200 "" --ntlm -u "testdom\\ALICE:$IT_PASS" "$URL"
curl_case wrong-password 401 "" --ntlm -u "$ALICE:not-$IT_PASS" "$URL"
curl_case unknown-user 401 "" --ntlm -u "$IT_DOMAIN\\mallory:$IT_PASS" "$URL"
if curl_case anonymous 401 "" "$URL"; then
    grep -qi '^WWW-Authenticate: *NTLM' "$IT_TMP/anonymous.headers" \
        || it_case_failed anonymous "no 'WWW-Authenticate: NTLM' in the 401"
fi

it_stop_pid "$SPID"
it_show serve
it_expect_clean serve
it_finish
