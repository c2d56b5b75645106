#!/bin/bash
# tests/interop/kdc/realm.sh - a throwaway MIT Kerberos realm on loopback
#
#   realm.sh start DIR   create DIR (must be absent or empty), a realm database in
#                        it, keytabs, and start krb5kdc on a free 127.0.0.1 port.
#                        Writes DIR/env, a sourceable file exporting everything a
#                        test needs (see below), and prints its path.
#   realm.sh stop DIR    stop that krb5kdc (by the PID in DIR/kdc.pid) and remove DIR.
#
# Nothing outside DIR is read or written: KRB5_CONFIG and KRB5_KDC_PROFILE point
# at DIR's own files, the default ccache, keytab and replay cache live in DIR.
# Users are created +requires_preauth so that a wrong password is refused by the
# KDC (PREAUTH_FAILED) rather than discovered by the client.
#
# DIR/env exports:
#   KRB5_CONFIG KRB5_KDC_PROFILE KRB5CCNAME KRB5_KTNAME KRB5_CLIENT_KTNAME
#   KRB5RCACHENAME KRB_REALM KRB_DIR KRB_KDC_PORT
#   KRB_USER KRB_PASS            alice@REALM and her password
#   KRB_USER2 KRB_PASS2          bob@REALM and his password
#   KRB_EXPIRED_USER             carol@REALM, an expired account (password KRB_PASS2)
#   KRB_PWEXPIRED_USER           dave@REALM, an expired password (password KRB_PASS2)
#   KRB_HTTP_KEYTAB              HTTP/server.opensspi.test (aes256, aes128)
#   KRB_HOST_KEYTAB              host/server.opensspi.test and host/server
#   KRB_BACKEND_KEYTAB           HTTP/backend.opensspi.test (delegation hop)
#   KRB_RC4_KEYTAB               HTTP/rc4.opensspi.test (arcfour-hmac only, RFC 4757)
#   KRB_SHA2_KEYTAB              HTTP/sha2.opensspi.test (aes256-sha384 only, RFC 8009)
#   KRB_ALL_KEYTAB               every service principal above
#   KRB_HOST                     server.opensspi.test
set -eu

REALM=OPENSSPI.TEST
HOST=server.opensspi.test
USER_PASS='Alice-Pass-1'
USER2_PASS='Bob-Pass-2'
MASTER_PASS='throwaway-master-key'

die() {
    echo "realm.sh: $*" >&2
    exit 1
}

need() {
    local p
    for p in "$@"; do
        command -v "$p" >/dev/null 2>&1 || [ -x "/usr/sbin/$p" ] || die "$p is not installed (scripts/install-deps)"
    done
}

sbin() {
    if command -v "$1" >/dev/null 2>&1; then command -v "$1"; else echo "/usr/sbin/$1"; fi
}

# free_port - a TCP port on 127.0.0.1 nobody listens on right now.
free_port() {
    local p i
    for i in $(seq 1 50); do
        p=$((20000 + (RANDOM % 40000)))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return 0
        fi
    done
    die "no free port"
}

write_conf() {
    local dir=$1 port=$2
    cat >"$dir/krb5.conf" <<EOF
[libdefaults]
    default_realm = $REALM
    dns_lookup_kdc = false
    dns_lookup_realm = false
    dns_canonicalize_hostname = false
    rdns = false
    forwardable = true
    ignore_acceptor_hostname = false
    udp_preference_limit = 1
    kdc_timesync = 1
    clockskew = 300
    # RC4 session keys exercise the RFC 4757 token format (HTTP/rc4.* only)
    allow_rc4 = true
    default_ccache_name = FILE:$dir/ccache
    default_keytab_name = FILE:$dir/keytab
    default_client_keytab_name = FILE:$dir/client.keytab
    permitted_enctypes = aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96 aes256-cts-hmac-sha384-192 aes128-cts-hmac-sha256-128 arcfour-hmac
    default_tgs_enctypes = aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96 aes256-cts-hmac-sha384-192 aes128-cts-hmac-sha256-128 arcfour-hmac
    default_tkt_enctypes = aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96

[realms]
    $REALM = {
        kdc = 127.0.0.1:$port
    }

[domain_realm]
    .opensspi.test = $REALM
    opensspi.test = $REALM
EOF
    cat >"$dir/kdc.conf" <<EOF
[kdcdefaults]
    kdc_listen = 127.0.0.1:$port
    kdc_tcp_listen = 127.0.0.1:$port

[realms]
    $REALM = {
        database_name = $dir/principal
        key_stash_file = $dir/stash
        acl_file = $dir/kadm5.acl
        max_life = 10h 0m 0s
        max_renewable_life = 7d 0h 0m 0s
        master_key_type = aes256-cts-hmac-sha1-96
        supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal
    }

[logging]
    kdc = FILE:$dir/kdc.log
    default = FILE:$dir/kdc.log
EOF
    : >"$dir/kadm5.acl"
}

kadmin() {
    "$(sbin kadmin.local)" -r "$REALM" -q "$1" >>"$KRB_DIR/kadmin.log" 2>&1 || die "kadmin.local: $1 (see $KRB_DIR/kadmin.log)"
}

start() {
    local dir=$1
    need krb5kdc kdb5_util kadmin.local
    mkdir -p "$dir"
    [ -z "$(ls -A "$dir")" ] || die "$dir is not empty"
    dir=$(cd "$dir" && pwd)
    KRB_DIR=$dir
    export KRB5_CONFIG="$dir/krb5.conf" KRB5_KDC_PROFILE="$dir/kdc.conf"
    local port attempt pid
    for attempt in 1 2 3 4 5; do
        port=$(free_port)
        write_conf "$dir" "$port"
        if [ ! -e "$dir/principal" ]; then
            "$(sbin kdb5_util)" -r "$REALM" -P "$MASTER_PASS" create -s >"$dir/kdb5_util.log" 2>&1 \
                || die "kdb5_util create failed (see $dir/kdb5_util.log)"
            kadmin "addprinc -requires_preauth -pw $USER_PASS alice"
            kadmin "addprinc -requires_preauth -pw $USER2_PASS bob"
            kadmin "addprinc -requires_preauth -expire 2001-01-01 -pw $USER2_PASS carol"
            kadmin "addprinc -requires_preauth -pwexpire 2001-01-01 -pw $USER2_PASS dave"
            kadmin "addprinc -randkey HTTP/$HOST"
            kadmin "addprinc -randkey host/$HOST"
            kadmin "addprinc -randkey host/server"
            kadmin "addprinc -randkey HTTP/backend.opensspi.test"
            kadmin "addprinc -randkey -e arcfour-hmac:normal HTTP/rc4.opensspi.test"
            kadmin "addprinc -randkey -e aes256-cts-hmac-sha384-192:normal HTTP/sha2.opensspi.test"
            # the KDC picks session keys the service is known to support
            kadmin "setstr HTTP/rc4.opensspi.test session_enctypes arcfour-hmac"
            kadmin "setstr HTTP/sha2.opensspi.test session_enctypes aes256-cts-hmac-sha384-192"
            kadmin "ktadd -k $dir/http.keytab -norandkey HTTP/$HOST"
            kadmin "ktadd -k $dir/host.keytab -norandkey host/$HOST host/server"
            kadmin "ktadd -k $dir/backend.keytab -norandkey HTTP/backend.opensspi.test"
            kadmin "ktadd -k $dir/rc4.keytab -norandkey HTTP/rc4.opensspi.test"
            kadmin "ktadd -k $dir/sha2.keytab -norandkey HTTP/sha2.opensspi.test"
            kadmin "ktadd -k $dir/all.keytab -norandkey HTTP/$HOST host/$HOST host/server HTTP/backend.opensspi.test HTTP/rc4.opensspi.test HTTP/sha2.opensspi.test"
        fi
        "$(sbin krb5kdc)" -n -r "$REALM" >>"$dir/kdc.stderr" 2>&1 &
        pid=$!
        echo "$pid" >"$dir/kdc.pid"
        local i
        for i in $(seq 1 100); do
            if ! kill -0 "$pid" 2>/dev/null; then
                break
            fi
            if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
                write_env "$dir" "$port"
                echo "$dir/env"
                return 0
            fi
            sleep 0.1
        done
        kill -TERM "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        rm -f "$dir/kdc.pid"
    done
    die "krb5kdc did not start (see $dir/kdc.log, $dir/kdc.stderr)"
}

write_env() {
    local dir=$1 port=$2
    cat >"$dir/env" <<EOF
export KRB5_CONFIG='$dir/krb5.conf'
export KRB5_KDC_PROFILE='$dir/kdc.conf'
export KRB5CCNAME='FILE:$dir/ccache'
export KRB5_KTNAME='FILE:$dir/keytab'
export KRB5_CLIENT_KTNAME='FILE:$dir/client.keytab'
export KRB5RCACHENAME='file2:$dir/rcache'
export KRB_REALM='$REALM'
export KRB_DIR='$dir'
export KRB_KDC_PORT='$port'
export KRB_HOST='$HOST'
export KRB_USER='alice@$REALM'
export KRB_PASS='$USER_PASS'
export KRB_USER2='bob@$REALM'
export KRB_PASS2='$USER2_PASS'
export KRB_EXPIRED_USER='carol@$REALM'
export KRB_PWEXPIRED_USER='dave@$REALM'
export KRB_HTTP_KEYTAB='$dir/http.keytab'
export KRB_HOST_KEYTAB='$dir/host.keytab'
export KRB_BACKEND_KEYTAB='$dir/backend.keytab'
export KRB_RC4_KEYTAB='$dir/rc4.keytab'
export KRB_SHA2_KEYTAB='$dir/sha2.keytab'
export KRB_ALL_KEYTAB='$dir/all.keytab'
EOF
}

stop() {
    local dir=$1 pid i
    [ -d "$dir" ] || return 0
    if [ -f "$dir/kdc.pid" ]; then
        pid=$(cat "$dir/kdc.pid")
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true
            for i in $(seq 1 50); do
                kill -0 "$pid" 2>/dev/null || break
                sleep 0.1
            done
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    # only remove what looks like one of our realms
    if [ -f "$dir/kdc.conf" ] || [ -f "$dir/krb5.conf" ] || [ -z "$(ls -A "$dir")" ]; then
        rm -rf "$dir"
    else
        die "$dir does not look like a realm directory; not removing it"
    fi
}

case "${1:-}" in
start) [ $# -eq 2 ] || die "usage: realm.sh start DIR"; start "$2" ;;
stop) [ $# -eq 2 ] || die "usage: realm.sh stop DIR"; stop "$2" ;;
*) die "usage: realm.sh start|stop DIR" ;;
esac
