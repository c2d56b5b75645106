#!/bin/bash
# tests/interop/test_http_negotiate_apache.sh - `sspi http --negotiate` against
# Apache httpd with mod_auth_gssapi (MIT krb5 acceptor behind SPNEGO), Kerberos in a
# throwaway realm.
#
# Apache runs in the foreground from its own ServerRoot in the scratch directory,
# with a configuration written here (no system configuration is read): prefork,
# Listen 127.0.0.1:<free port>, /protected/ requires AuthType GSSAPI with the
# HTTP/localhost keytab (GssapiAllowedMech krb5), and /protected/whoami is a CGI
# that prints REMOTE_USER. It is started in its own session (setsid: httpd signals
# its whole process group when it stops) and stopped by PID.
#
# Cases: alice and bob (password logon) get 200 and their principal in REMOTE_USER;
# alice from a ticket cache (kinit, no --user); a wrong password is refused by the
# KDC (SEC_E_LOGON_DENIED, exit 1); a service ticket for another principal is
# refused by Apache (401); no credentials: 401 with "WWW-Authenticate: Negotiate".
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/test_http_negotiate_lib.sh"

HTTPD=/usr/sbin/apache2
MODS=/usr/lib/apache2/modules

[ -x "$HTTPD" ] || it_fail "missing peer program $HTTPD (apache2: scripts/install-deps)"
[ -f "$MODS/mod_auth_gssapi.so" ] \
    || it_fail "missing $MODS/mod_auth_gssapi.so (libapache2-mod-auth-gssapi: scripts/install-deps)"
it_require_cmd curl
it_require_cmd kinit
it_require_cmd setsid
it_require_file "${SSPI_TOOL:-}" "the sspi tool (tools/sspi)"

hn_realm http-negotiate-apache

# ---- Apache's ServerRoot ----
AP=$IT_TMP/httpd
mkdir -p "$AP/htdocs/protected" "$AP/run" "$AP/rcache" "$AP/logs"
cp "$HN_LOCAL_KEYTAB" "$AP/http.keytab"
# Started as root, httpd serves as an unprivileged user, which must read the keytab
# and write its replay cache (a throwaway key of a throwaway realm).
if [ "$(id -u)" -eq 0 ]; then
    AP_USER=nobody
    AP_GROUP=$(id -gn nobody 2>/dev/null || echo nogroup)
    chmod 0711 "$IT_TMP"
    chmod 0755 "$AP" "$AP/htdocs" "$AP/htdocs/protected"
    chmod 0644 "$AP/http.keytab"
    chown "$AP_USER:$AP_GROUP" "$AP/rcache"
else
    AP_USER=$(id -un)
    AP_GROUP=$(id -gn)
fi

cat >"$AP/htdocs/protected/whoami" <<'EOF'
#!/bin/sh
printf 'Content-Type: text/plain\r\n\r\n'
printf 'REMOTE_USER=%s\nAUTH_TYPE=%s\n' "$REMOTE_USER" "$AUTH_TYPE"
EOF
chmod 0755 "$AP/htdocs/protected/whoami"
echo "public" >"$AP/htdocs/index.txt"

PORT=$(it_free_port)
cat >"$AP/httpd.conf" <<EOF
ServerRoot "$AP"
ServerName $HN_HOST
Listen 127.0.0.1:$PORT
PidFile "$AP/run/httpd.pid"
DefaultRuntimeDir "$AP/run"
ErrorLog "$AP/logs/error.log"
LogLevel info auth_gssapi:debug
LoadModule mpm_prefork_module $MODS/mod_mpm_prefork.so
LoadModule authn_core_module $MODS/mod_authn_core.so
LoadModule authz_core_module $MODS/mod_authz_core.so
LoadModule authz_user_module $MODS/mod_authz_user.so
LoadModule auth_gssapi_module $MODS/mod_auth_gssapi.so
LoadModule cgi_module $MODS/mod_cgi.so
User $AP_USER
Group $AP_GROUP
StartServers 1
MinSpareServers 1
MaxSpareServers 2
MaxRequestWorkers 4
LogFormat "%h %u \"%r\" %>s" short
CustomLog "$AP/logs/access.log" short
DocumentRoot "$AP/htdocs"
<Directory />
    Require all denied
    AllowOverride None
</Directory>
<Directory "$AP/htdocs">
    Require all granted
</Directory>
<Directory "$AP/htdocs/protected">
    AuthType GSSAPI
    AuthName "OpenSSPI interop"
    GssapiCredStore keytab:$AP/http.keytab
    GssapiAllowedMech krb5
    Require valid-user
    Options +ExecCGI
    SetHandler cgi-script
</Directory>
EOF

# httpd -t first, for a readable error when the configuration is refused
if ! env -i PATH="$PATH" "$HTTPD" -d "$AP" -f "$AP/httpd.conf" -t >"$IT_TMP/configtest.log" 2>&1; then
    it_show configtest
    it_fail "apache2 -t refused the configuration"
fi
# The acceptor's environment: the realm's krb5.conf, its own replay cache, nothing else
# (no client ccache, no default keytab).
it_start httpd setsid env -i PATH="$PATH" KRB5_CONFIG="$KRB5_CONFIG" \
    KRB5RCACHENAME="file2:$AP/rcache/httpd.rcache2" KRB5_KTNAME="FILE:$AP/http.keytab" \
    "$HTTPD" -d "$AP" -f "$AP/httpd.conf" -DFOREGROUND
HPID=$IT_LAST_PID
if ! it_wait_listen "$PORT" "$HPID" 20; then
    it_show httpd
    cat "$AP/logs/error.log" 2>/dev/null
    it_fail "apache2 did not start"
fi
URL=http://$HN_HOST:$PORT/protected/whoami
it_log "apache2 (PID $HPID) listening on 127.0.0.1:$PORT, protected URL $URL"

# sspi_case NAME WANT(ok|fail) BODY-REGEX|"" ERR-REGEX|"" [ENV=V...] -- SSPI-HTTP-ARGS...
sspi_case() {
    local name=$1 want=$2 body=$3 err=$4 envs=() rc
    shift 4
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do
        envs+=("$1")
        shift
    done
    shift
    it_log "case $name (expect $want)"
    env "${envs[@]}" timeout 60 "${IT_WRAP[@]}" "$SSPI_TOOL" http "$@" \
        >"$IT_TMP/$name.body" 2>"$IT_TMP/$name.log"
    rc=$?
    # a sanitizer report must fail the case even where exit status 1 is expected
    it_expect_clean "$name"
    if { [ "$want" = ok ] && [ $rc -ne 0 ]; } || { [ "$want" = fail ] && [ $rc -ne 1 ]; }; then
        it_show "$name"
        it_log "body: $(cat "$IT_TMP/$name.body")"
        it_case_failed "$name" "sspi http exit $rc, expected $([ "$want" = ok ] && echo 0 || echo 1)"
        return 1
    fi
    if [ -n "$body" ] && ! grep -qE -- "$body" "$IT_TMP/$name.body"; then
        it_show "$name"
        it_log "body: $(cat "$IT_TMP/$name.body")"
        it_case_failed "$name" "body does not match /$body/"
        return 1
    fi
    if [ -n "$err" ] && ! grep -qE -- "$err" "$IT_TMP/$name.log"; then
        it_show "$name"
        it_case_failed "$name" "stderr does not match /$err/"
        return 1
    fi
    return 0
}

# the unprotected part answers without authentication (Apache itself works)
hn_curl public 200 '^public$' "http://$HN_HOST:$PORT/index.txt"

# no credentials: 401 and a Negotiate challenge
if hn_curl anonymous 401 "" "$URL"; then
    grep -qi '^WWW-Authenticate: *Negotiate' "$IT_TMP/anonymous.headers" \
        || it_case_failed anonymous "no 'WWW-Authenticate: Negotiate' in the 401"
fi

# password logons through our Negotiate (SPNEGO, Kerberos inside)
sspi_case alice ok "^REMOTE_USER=$KRB_USER\$" "" -- \
    -v --negotiate --user "$KRB_USER" --password "$KRB_PASS" "$URL"
it_expect_in_log alice alice 'InitializeSecurityContextA #1 .*-> SEC_I_CONTINUE_NEEDED' \
    "no Negotiate token was made"
# mutual authentication: Apache's AP-REP (in the 200's NegTokenResp) verified by us
it_expect_in_log alice alice 'InitializeSecurityContextA #2 .*NegTokenResp\) -> SEC_E_OK' \
    "the final SPNEGO answer of Apache was not accepted"
it_show alice
sspi_case bob ok "^REMOTE_USER=$KRB_USER2\$" "" -- \
    --negotiate --user "$KRB_USER2" --password "$KRB_PASS2" "$URL"
sspi_case alice-down-level-name ok "^REMOTE_USER=$KRB_USER\$" "" -- \
    --negotiate --user "$KRB_REALM\\alice" --password "$KRB_PASS" "$URL"

# alice's tickets from a ccache made by MIT's kinit (default credentials)
hn_kinit "$KRB_USER" "$KRB_PASS" "FILE:$IT_TMP/alice.ccache"
sspi_case alice-ccache ok "^REMOTE_USER=$KRB_USER\$" "" KRB5CCNAME="FILE:$IT_TMP/alice.ccache" -- \
    --negotiate "$URL"

# a wrong password: the KDC refuses it, nothing reaches Apache as a logon
sspi_case wrong-password fail "" "SEC_E_LOGON_DENIED" -- \
    --negotiate --user "$KRB_USER" --password "not-$KRB_PASS" "$URL"

# no credentials at all (empty default ccache, no --user): no 200
sspi_case no-credentials fail "" "" KRB5CCNAME="FILE:$IT_TMP/empty.ccache" -- \
    --negotiate "$URL"

# a ticket for a service whose key Apache does not hold: Apache answers 401
sspi_case wrong-service fail "" "HTTP/1.1 401" -- \
    -v --negotiate --user "$KRB_USER" --password "$KRB_PASS" --target "HTTP/$KRB_HOST" "$URL"

it_stop_pid "$HPID"
it_log "apache2 stopped"
if grep -q 'auth_gssapi' "$AP/logs/error.log"; then
    it_log "mod_auth_gssapi said:"
    grep 'auth_gssapi' "$AP/logs/error.log" | sed 's/^/    /' | tail -n 20
fi
sed 's/^/    access: /' "$AP/logs/access.log"
it_finish
