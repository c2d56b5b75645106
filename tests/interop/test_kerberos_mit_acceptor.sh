#!/bin/bash
# tests/interop/test_kerberos_mit_acceptor.sh - our Kerberos client, MIT's acceptor
# krb_peer --client (libopensspi, SSPI API) against gss_peer.py --server (MIT krb5
# through python3-gssapi) in a throwaway realm: handshakes (one leg, mutual, DCE,
# delegation, channel bindings, name forms, RC4 and SHA-2 session keys), sealed and
# signed messages both ways in every buffer layout, tampering and replays both
# ways, and the failures: wrong password, unknown service, clock skew, wrong key.
. "$(dirname "$0")/kdc/lib.sh"
krb_setup kerberos-mit-acceptor

SSPI=(${OPENSSPI_INTEROP_WRAPPER:-} "$KRB_PEER" --client)
MIT=("$PYTHON" "$GSS_PEER" --server --keytab "$KRB_HTTP_KEYTAB")
ALICE=(--user "$KRB_USER" --password "$KRB_PASS")
ALL="mutual,conf,integ,replay,sequence"

# handshakes and messages
kt_pair mutual ok "${MIT[@]}" --expect-user "$KRB_USER" --rounds 3 -- "${SSPI[@]}" "${ALICE[@]}" --rounds 3
kt_pair mutual-split ok "${MIT[@]}" --rounds 2 -- "${SSPI[@]}" "${ALICE[@]}" --decrypt split --rounds 2
kt_pair mutual-iov-split ok "${MIT[@]}" --iov --rounds 2 -- "${SSPI[@]}" "${ALICE[@]}" --decrypt split --rounds 2
kt_pair mutual-iov-stream ok "${MIT[@]}" --iov -- "${SSPI[@]}" "${ALICE[@]}"
kt_pair one-leg ok "${MIT[@]}" -- "${SSPI[@]}" "${ALICE[@]}" --flags conf,integ,replay,sequence
kt_pair one-leg-no-flags ok "${MIT[@]}" --no-seal -- "${SSPI[@]}" "${ALICE[@]}" --flags none --no-seal
kt_pair dce ok "${MIT[@]}" --rounds 2 -- "${SSPI[@]}" "${ALICE[@]}" --flags "$ALL,dce" --decrypt split --rounds 2
kt_pair delegation ok "${MIT[@]}" --delegate-to HTTP/backend.opensspi.test --delegate-keytab "$KRB_BACKEND_KEYTAB" \
    -- "${SSPI[@]}" "${ALICE[@]}" --flags "$ALL,delegate"
kt_pair bindings ok "${MIT[@]}" --cbt "tls-server-end-point:abcdef" -- "${SSPI[@]}" "${ALICE[@]}" \
    --cbt "tls-server-end-point:abcdef"
kt_pair bindings-client-only ok "${MIT[@]}" -- "${SSPI[@]}" "${ALICE[@]}" --cbt "tls-server-end-point:abcdef"
kt_pair bindings-mismatch fail "${MIT[@]}" --cbt "tls-server-end-point:abcdef" --expect-fail \
    -- "${SSPI[@]}" "${ALICE[@]}" --cbt "tls-server-end-point:123456"
kt_expect_log bindings-mismatch server "BadChannelBindings|channel bindings" "MIT did not refuse the bindings"

# name forms
kt_pair target-with-realm ok "${MIT[@]}" -- "${SSPI[@]}" "${ALICE[@]}" --target "HTTP/server.opensspi.test@$KRB_REALM"
kt_pair target-service-at-host ok "${MIT[@]}" -- "${SSPI[@]}" "${ALICE[@]}" --target "HTTP@server.opensspi.test"
kt_pair target-host-short ok "$PYTHON" "$GSS_PEER" --server --keytab "$KRB_HOST_KEYTAB" \
    -- "${SSPI[@]}" "${ALICE[@]}" --target "host/server"
kt_pair user-domain-backslash ok "${MIT[@]}" --expect-user "$KRB_USER" \
    -- "${SSPI[@]}" --user "$KRB_REALM\\alice" --password "$KRB_PASS"
kt_pair user-and-domain ok "${MIT[@]}" --expect-user "$KRB_USER" \
    -- "${SSPI[@]}" --user alice --domain opensspi.test --password "$KRB_PASS"

# other session key types (one leg: the context key is the ticket's enctype)
kt_pair rc4 ok "$PYTHON" "$GSS_PEER" --server --keytab "$KRB_RC4_KEYTAB" --rounds 2 \
    -- "${SSPI[@]}" "${ALICE[@]}" --target HTTP/rc4.opensspi.test --flags conf,integ,replay,sequence --rounds 2
kt_pair rc4-split ok "$PYTHON" "$GSS_PEER" --server --keytab "$KRB_RC4_KEYTAB" --iov \
    -- "${SSPI[@]}" "${ALICE[@]}" --target HTTP/rc4.opensspi.test --flags conf,integ --decrypt split
kt_pair sha2 ok "$PYTHON" "$GSS_PEER" --server --keytab "$KRB_SHA2_KEYTAB" --rounds 2 \
    -- "${SSPI[@]}" "${ALICE[@]}" --target HTTP/sha2.opensspi.test --flags conf,integ,replay,sequence --rounds 2
kt_pair sha2-split ok "$PYTHON" "$GSS_PEER" --server --keytab "$KRB_SHA2_KEYTAB" \
    -- "${SSPI[@]}" "${ALICE[@]}" --target HTTP/sha2.opensspi.test --flags conf,integ --decrypt split

# tampering and replays, both directions
kt_pair mit-corrupts-wrap fail "${MIT[@]}" --corrupt wrap -- "${SSPI[@]}" "${ALICE[@]}"
kt_expect_log mit-corrupts-wrap client "DecryptMessage failed: SEC_E_MESSAGE_ALTERED" "we accepted a tampered wrap"
kt_pair mit-corrupts-mic fail "${MIT[@]}" --corrupt mic -- "${SSPI[@]}" "${ALICE[@]}"
kt_expect_log mit-corrupts-mic client "VerifySignature failed: SEC_E_MESSAGE_ALTERED" "we accepted a tampered MIC"
kt_pair we-corrupt-wrap fail "${MIT[@]}" -- "${SSPI[@]}" "${ALICE[@]}" --corrupt wrap
kt_expect_log we-corrupt-wrap server "BadMIC|BadSignature|GSSError|integrity" "MIT accepted our tampered wrap"
kt_pair we-corrupt-mic fail "${MIT[@]}" -- "${SSPI[@]}" "${ALICE[@]}" --corrupt mic
kt_pair we-replay fail "${MIT[@]}" --replay -- "${SSPI[@]}" "${ALICE[@]}" --replay
kt_expect_log we-replay server "DuplicateToken" "MIT accepted our replayed wrap"

# failures
KT_CLIENT_ENV="OPENSSPI_TRACE=1" kt_pair wrong-password fail "${MIT[@]}" \
    -- "${SSPI[@]}" --user "$KRB_USER" --password "not-$KRB_PASS" --expect-status SEC_E_LOGON_DENIED
kt_expect_log wrong-password client "opensspi: Kerberos: .*(Preauthentication failed|Password incorrect|Decrypt integrity check failed)" \
    "OPENSSPI_TRACE=1 did not show the KDC's answer"
if grep -q -- "not-$KRB_PASS" "$KT_TMP/wrong-password-client.log"; then
    kt_log "FAIL wrong-password: the password appears in the trace"
    KT_FAILED=$((KT_FAILED + 1))
fi
kt_pair unknown-user fail "${MIT[@]}" -- "${SSPI[@]}" --user "mallory@$KRB_REALM" --password x \
    --expect-status SEC_E_LOGON_DENIED
kt_pair unknown-service fail "${MIT[@]}" -- "${SSPI[@]}" "${ALICE[@]}" --target HTTP/nowhere.opensspi.test \
    --expect-status SEC_E_TARGET_UNKNOWN
kt_pair wrong-key fail "$PYTHON" "$GSS_PEER" --server --keytab "$KRB_BACKEND_KEYTAB" --expect-fail \
    -- "${SSPI[@]}" "${ALICE[@]}" --expect-status SEC_E_WRONG_PRINCIPAL
# an AP-REQ that reaches MIT after its 1 s skew allowance: the KRB-ERROR it
# returns makes our ISC fail with SEC_E_TIME_SKEW
KT_SERVER_ENV="KRB5_CONFIG=$KT_TIGHT_CONF" kt_pair skew-late-token fail "${MIT[@]}" --delay-accept 3 --expect-fail \
    -- "${SSPI[@]}" "${ALICE[@]}" --expect-status SEC_E_TIME_SKEW
# a ccache whose KDC time offset is an hour off: the TGS exchange is refused
printf '%s\n' "$KRB_PASS" | KRB5CCNAME="FILE:$KRB_DIR/skew.cc" kinit "$KRB_USER" >/dev/null || kt_fail kinit
printf '\000\000\016\020' | dd of="$KRB_DIR/skew.cc" bs=1 seek=8 conv=notrunc 2>/dev/null
kt_pair skew-clock-offset fail "${MIT[@]}" -- "${SSPI[@]}" --principal "ccache:FILE:$KRB_DIR/skew.cc" \
    --expect-status SEC_E_TIME_SKEW
# the default ccache, no identity
printf '%s\n' "$KRB_PASS" | kinit "$KRB_USER" >/dev/null || kt_fail kinit
kt_pair default-ccache ok "${MIT[@]}" --expect-user "$KRB_USER" -- "${SSPI[@]}"
kt_finish
