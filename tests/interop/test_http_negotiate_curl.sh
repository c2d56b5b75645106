#!/bin/bash
# tests/interop/test_http_negotiate_curl.sh - curl --negotiate (libcurl over MIT
# GSS-API SPNEGO) against `sspi serve --negotiate` (libopensspi
# AcceptSecurityContext("Negotiate")), in a throwaway realm.
#
# The server's keys: HTTP/localhost from KRB5_KTNAME; its NTLM users: NTLM_USER_FILE.
# curl's Kerberos tickets come from a ccache made with kinit (KRB5CCNAME); the URL
# host "localhost" gives the SPN HTTP@localhost (--resolve pins it to 127.0.0.1).
#
# Cases: alice and bob with Kerberos get 200 "Hello, <principal>"; a ticket for a
# service whose key the server lacks gets 401; no ticket gets 401; no
# Authorization gets 401 with "WWW-Authenticate: Negotiate"; then NTLM inside
# SPNEGO: with no Kerberos ticket MIT's SPNEGO offers only gss-ntlmssp, whose
# initiator takes the first user of NTLM_USER_FILE (curl hands no user or password
# to GSS-API, so -u 'DOM\user:pw' plays no part): 200 "Hello, DOM\user".
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/test_http_negotiate_lib.sh"

it_require_cmd curl
it_require_cmd kinit
curl -V | grep -qw SPNEGO || it_fail "this curl has no SPNEGO (GSS-API) support"
it_require_file "${SSPI_TOOL:-}" "the sspi tool (tools/sspi)"
it_require_gssntlmssp

hn_realm http-negotiate-curl
export GSS_USE_PROXY=no
it_users_file # NTLM users of the server: TESTDOM\alice first

it_start serve env KRB5_KTNAME="FILE:$HN_LOCAL_KEYTAB" KRB5CCNAME="FILE:$IT_TMP/server-none.ccache" \
    "${IT_WRAP[@]}" "$SSPI_TOOL" serve -v --negotiate --port 0 --port-file "$IT_TMP/serve.port"
SPID=$IT_LAST_PID
if ! PORT=$(it_wait_port_file "$IT_TMP/serve.port" "$SPID" 20) || ! it_wait_listen "$PORT" "$SPID"; then
    it_show serve
    it_fail "sspi serve did not start"
fi
URL=http://$HN_HOST:$PORT/
PIN=(--resolve "$HN_HOST:$PORT:127.0.0.1")
it_log "sspi serve (PID $SPID) listening on $URL"

hn_kinit "$KRB_USER" "$KRB_PASS" "FILE:$IT_TMP/alice.ccache"
hn_kinit "$KRB_USER2" "$KRB_PASS2" "FILE:$IT_TMP/bob.ccache"

# ---- Kerberos (no NTLM user file on curl's side) ----
HN_CURL_ENV=(-u NTLM_USER_FILE "KRB5CCNAME=FILE:$IT_TMP/alice.ccache")
hn_curl kerberos-alice 200 "^Hello, $KRB_USER\$" --negotiate -u : "${PIN[@]}" "$URL"
# one leg (Kerberos), and the name is the client principal
it_expect_in_log kerberos-alice serve \
    'AcceptSecurityContext #1 \(Negotiate, [0-9]+ bytes: SPNEGO NegTokenInit\) -> SEC_E_OK' \
    "the server did not complete in one leg"
it_expect_in_log kerberos-alice serve "200 \\(Negotiate: authenticated $KRB_USER\\)" \
    "the server did not log alice's principal"
hn_curl kerberos-alice-two-requests 200 "^Hello, $KRB_USER\$" --negotiate -u : "${PIN[@]}" \
    "$URL" -o "$IT_TMP/second.body" "${URL}again"

HN_CURL_ENV=(-u NTLM_USER_FILE "KRB5CCNAME=FILE:$IT_TMP/bob.ccache")
hn_curl kerberos-bob 200 "^Hello, $KRB_USER2\$" --negotiate -u : "${PIN[@]}" "$URL"

# a ticket for HTTP/server.opensspi.test, whose key the server does not hold
HN_CURL_ENV=(-u NTLM_USER_FILE "KRB5CCNAME=FILE:$IT_TMP/alice.ccache")
hn_curl kerberos-wrong-service 401 "" --negotiate -u : --resolve "$KRB_HOST:$PORT:127.0.0.1" \
    "http://$KRB_HOST:$PORT/"
it_expect_in_log kerberos-wrong-service serve 'SEC_E_WRONG_PRINCIPAL' "no SEC_E_WRONG_PRINCIPAL"

# no ticket and no NTLM user: curl has nothing to send
HN_CURL_ENV=(-u NTLM_USER_FILE "KRB5CCNAME=FILE:$IT_TMP/empty.ccache")
hn_curl kerberos-no-ticket 401 "" --negotiate -u : "${PIN[@]}" "$URL"

# no Authorization at all
HN_CURL_ENV=()
if hn_curl anonymous 401 "" "${PIN[@]}" "$URL"; then
    grep -qi '^WWW-Authenticate: *Negotiate' "$IT_TMP/anonymous.headers" \
        || it_case_failed anonymous "no 'WWW-Authenticate: Negotiate' in the 401"
fi

# ---- NTLM inside SPNEGO (gss-ntlmssp initiator, no Kerberos ticket) ----
printf '%s:%s:%s\n' "$IT_DOMAIN" "$IT_USER" "$IT_PASS" >"$IT_TMP/curl-ntlm-user"
HN_CURL_ENV=("NTLM_USER_FILE=$IT_TMP/curl-ntlm-user" "KRB5CCNAME=FILE:$IT_TMP/empty.ccache")
hn_curl ntlm-in-negotiate 200 "^Hello, $IT_DOMAIN\\\\$IT_USER\$" --negotiate -u : "${PIN[@]}" "$URL"
it_expect_in_log ntlm-in-negotiate serve 'AcceptSecurityContext #2 \(Negotiate, [0-9]+ bytes: SPNEGO NegTokenResp\) -> SEC_E_OK' \
    "no three-leg (NTLM) exchange in the server log"
printf '%s:%s:not-%s\n' "$IT_DOMAIN" "$IT_USER" "$IT_PASS" >"$IT_TMP/curl-ntlm-bad"
HN_CURL_ENV=("NTLM_USER_FILE=$IT_TMP/curl-ntlm-bad" "KRB5CCNAME=FILE:$IT_TMP/empty.ccache")
hn_curl ntlm-in-negotiate-wrong-password 401 "" --negotiate -u : "${PIN[@]}" "$URL"
it_expect_in_log ntlm-in-negotiate-wrong-password serve 'SEC_E_LOGON_DENIED' "no SEC_E_LOGON_DENIED"

it_stop_pid "$SPID"
it_show serve
it_expect_clean serve
it_finish
