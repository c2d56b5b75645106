# tests/interop/test_http_negotiate_lib.sh - shared by the HTTP Negotiate interop
# scripts (bash; source it after lib.sh): a throwaway MIT realm (kdc/realm.sh) in the
# scratch directory with an HTTP/localhost service principal, and curl checks.
#
# hn_realm NAME   it_setup NAME, start the realm in $IT_TMP/realm, load its env, add
#                 HTTP/localhost (keytab $HN_LOCAL_KEYTAB); the EXIT trap stops the
#                 KDC (by the PID realm.sh wrote) before lib.sh's cleanup.
# hn_curl CASE WANT-CODE BODY-REGEX CURL-ARGS...
#                 every response code curl reports must be WANT-CODE; the last body
#                 must match the extended BODY-REGEX ("" means not checked). curl
#                 runs under env(1) with the words of the array HN_CURL_ENV
#                 (e.g. "-u" "NTLM_USER_FILE" "KRB5CCNAME=...").

HN_REALM_DIR=""
HN_CURL_ENV=()
# shellcheck disable=SC2034 # used by the scripts that source this file
HN_HOST=localhost

hn_cleanup() {
    local rc=$?
    if [ -n "$HN_REALM_DIR" ] && [ -d "$HN_REALM_DIR" ]; then
        bash "$INTEROP_DIR/kdc/realm.sh" stop "$HN_REALM_DIR" >/dev/null 2>&1 \
            || it_log "realm.sh stop failed"
    fi
    (exit "$rc")
    it_cleanup
}

hn_realm() {
    local envfile
    it_setup "$1"
    trap hn_cleanup EXIT
    unset OPENSSPI_TRACE KRB5_TRACE
    HN_REALM_DIR=$IT_TMP/realm
    envfile=$(bash "$INTEROP_DIR/kdc/realm.sh" start "$HN_REALM_DIR") \
        || it_fail "could not start the throwaway realm (krb5-kdc, krb5-admin-server: scripts/install-deps)"
    # shellcheck disable=SC1090
    . "$envfile"
    it_log "realm $KRB_REALM, KDC on 127.0.0.1:$KRB_KDC_PORT"
    # the service the URL http://localhost:PORT/ names (SPN HTTP/localhost)
    HN_LOCAL_KEYTAB=$KRB_DIR/http-localhost.keytab
    hn_kadmin "addprinc -randkey HTTP/$HN_HOST"
    hn_kadmin "ktadd -k $HN_LOCAL_KEYTAB -norandkey HTTP/$HN_HOST"
}

hn_kadmin() {
    /usr/sbin/kadmin.local -r "$KRB_REALM" -q "$1" >>"$IT_TMP/kadmin.log" 2>&1 \
        || { it_show kadmin; it_fail "kadmin.local: $1"; }
}

# hn_kinit USER PASSWORD CCACHE - a ticket cache for MIT clients.
hn_kinit() {
    printf '%s\n' "$2" | KRB5CCNAME=$3 kinit "$1" >"$IT_TMP/kinit.log" 2>&1 \
        || { it_show kinit; it_fail "kinit $1"; }
}

hn_curl() {
    local name=$1 want=$2 body=$3 codes code
    shift 3
    it_log "case $name (expect HTTP $want)"
    codes=$(env "${HN_CURL_ENV[@]}" curl -sS --noproxy '*' --max-time 30 -o "$IT_TMP/$name.body" \
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
    if [ -n "$body" ] && ! grep -qE -- "$body" "$IT_TMP/$name.body"; then
        it_log "body: $(cat "$IT_TMP/$name.body")"
        it_case_failed "$name" "body does not match /$body/"
        return 1
    fi
    return 0
}
