#!/bin/sh
# tools/sspi/test-http-self.sh - `sspi serve --once` on a free loopback port,
# then `sspi http` against it: a wrong password must be refused (exit 1),
# the right one must get "Hello, DOMAIN\user", and the server must exit by
# itself. Done with NTLM, then (when the library has it) with Negotiate.
# Servers are started by PID and always killed on exit.
# usage: test-http-self.sh PATH/TO/sspi
set -u
SSPI=${1:?usage: test-http-self.sh PATH/TO/sspi}
DIR=$(mktemp -d "${TMPDIR:-/tmp}/sspi-http-self.XXXXXX") || exit 1
SERVER_PID=
cleanup() {
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null
        wait "$SERVER_PID" 2>/dev/null
    fi
    rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

fail() {
    echo "FAIL: $*"
    echo "--- server log:"
    cat "$DIR/serve.log" 2>/dev/null
    exit 1
}

PASSWORD="pw-$$-$(date +%s)"
printf 'SELFTEST:tester:%s\n' "$PASSWORD" >"$DIR/users"
chmod 600 "$DIR/users"

# round SCHEME SERVE-OPTION CLIENT-OPTION TOKEN-KIND
round() {
    scheme=$1 serve_opt=$2 client_opt=$3 kind=$4
    rm -f "$DIR/port"
    # shellcheck disable=SC2086 # serve_opt is empty or one word
    NTLM_USER_FILE="$DIR/users" "$SSPI" serve --port 0 --bind 127.0.0.1 --once $serve_opt \
        --port-file "$DIR/port" -v 2>"$DIR/serve.log" &
    SERVER_PID=$!
    i=0
    while [ ! -s "$DIR/port" ]; do
        kill -0 "$SERVER_PID" 2>/dev/null || fail "$scheme: the server exited before listening"
        i=$((i + 1))
        [ "$i" -le 100 ] || fail "$scheme: the server did not write its port within 10 s"
        sleep 0.1
    done
    URL="http://127.0.0.1:$(cat "$DIR/port")/"
    echo "$scheme: server pid $SERVER_PID listening on $URL"

    # 1. A wrong password: the server must refuse (HTTP 401, exit 1).
    "$SSPI" http "$client_opt" --user 'SELFTEST\tester' --password wrong "$URL" \
        >"$DIR/bad.out" 2>"$DIR/bad.err"
    rc=$?
    [ "$rc" -eq 1 ] || fail "$scheme: wrong password: exit $rc, expected 1"
    grep -q 'Authentication required' "$DIR/bad.out" || fail "$scheme: wrong password: no 401 body"
    echo "ok - $scheme: a wrong password is refused (exit 1)"

    # 2. The right password: 200 and the authenticated name.
    "$SSPI" http "$client_opt" -v --user 'SELFTEST\tester' --password "$PASSWORD" "$URL" \
        >"$DIR/good.out" 2>"$DIR/good.err"
    rc=$?
    [ "$rc" -eq 0 ] || { cat "$DIR/good.err"; fail "$scheme: right password: exit $rc, expected 0"; }
    printf 'Hello, SELFTEST\\tester\n' >"$DIR/expected"
    cmp -s "$DIR/good.out" "$DIR/expected" || { cat "$DIR/good.out"; fail "$scheme: unexpected body"; }
    grep -q '^< HTTP/1.1 401' "$DIR/good.err" || fail "$scheme: no 401 challenge leg seen"
    grep -q "$kind" "$DIR/good.err" || { cat "$DIR/good.err"; fail "$scheme: no $kind leg seen"; }
    grep -q '^< HTTP/1.1 200' "$DIR/good.err" || fail "$scheme: no 200 seen"
    printf 'ok - %s: the right password gets: %s\n' "$scheme" "$(cat "$DIR/good.out")"

    # 3. --once: the server exits by itself with status 0.
    i=0
    while kill -0 "$SERVER_PID" 2>/dev/null; do
        i=$((i + 1))
        [ "$i" -le 100 ] || fail "$scheme: the server did not exit after --once"
        sleep 0.1
    done
    wait "$SERVER_PID"
    rc=$?
    SERVER_PID=
    [ "$rc" -eq 0 ] || fail "$scheme: the server exited with $rc"
    grep -q "200 ($scheme: authenticated SELFTEST\\\\tester)" "$DIR/serve.log" \
        || fail "$scheme: server log lacks the 200"
    echo "ok - $scheme: the server exited after one authenticated response"
}

round NTLM "" --ntlm 'NTLM CHALLENGE_MESSAGE'
if "$SSPI" packages | grep -qx 'Negotiate'; then
    round Negotiate --negotiate --negotiate 'SPNEGO NegTokenResp'
    # The server's last SPNEGO token (on the 200) completed the client context.
    grep -q 'InitializeSecurityContextA #3 .* -> SEC_E_OK' "$DIR/good.err" \
        || { cat "$DIR/good.err"; fail "Negotiate: the server's final token was not processed"; }
    echo "ok - Negotiate: the final token on the 200 completed the client context"
else
    echo "skip - Negotiate: the library has no Negotiate package"
fi
exit 0
