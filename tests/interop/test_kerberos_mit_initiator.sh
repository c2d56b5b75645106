#!/bin/bash
# tests/interop/test_kerberos_mit_initiator.sh - MIT's initiator, our Kerberos server
# gss_peer.py --client (MIT krb5 through python3-gssapi, alice's TGT from kinit)
# against krb_peer --server (libopensspi, SSPI API) in a throwaway realm: one-leg,
# mutual and DCE handshakes, delegation used onwards, channel bindings, RC4 and
# SHA-2 keys, sealed and signed messages both ways, tampering and replays, and the
# failures: wrong key, bad bindings, clock skew.
. "$(dirname "$0")/kdc/lib.sh"
krb_setup kerberos-mit-initiator
printf '%s\n' "$KRB_PASS" | kinit "$KRB_USER" >/dev/null || kt_fail "kinit"

SSPI=(${OPENSSPI_INTEROP_WRAPPER:-} "$KRB_PEER" --server --principal "keytab:$KRB_HTTP_KEYTAB")
MIT=("$PYTHON" "$GSS_PEER" --client)
ALL="mutual,conf,integ,replay,sequence"

kt_pair mutual ok "${SSPI[@]}" --expect-user "$KRB_USER" --rounds 3 -- "${MIT[@]}" --rounds 3
kt_pair mutual-split ok "${SSPI[@]}" --decrypt split --rounds 2 -- "${MIT[@]}" --rounds 2
kt_pair mutual-iov-split ok "${SSPI[@]}" --decrypt split -- "${MIT[@]}" --iov
kt_pair microsoft-oid ok "${SSPI[@]}" --expect-user "$KRB_USER" -- "${MIT[@]}" --ms-oid
kt_pair one-leg ok "${SSPI[@]}" --expect-user "$KRB_USER" -- "${MIT[@]}" --flags conf,integ,replay,sequence
kt_pair dce ok "${SSPI[@]}" --decrypt split --rounds 2 -- "${MIT[@]}" --flags "$ALL,dce" --rounds 2
kt_pair delegation ok "${SSPI[@]}" --delegate-to HTTP/backend.opensspi.test \
    --delegate-keytab "$KRB_BACKEND_KEYTAB" -- "${MIT[@]}" --flags "$ALL,delegate"
kt_expect_log delegation server "delegated TGT used: $KRB_USER authenticated to HTTP/backend" \
    "the delegated TGT was not used"
kt_pair bindings ok "${SSPI[@]}" --cbt "tls-server-end-point:abcdef" -- "${MIT[@]}" --cbt "tls-server-end-point:abcdef"
kt_pair bindings-mismatch fail "${SSPI[@]}" --cbt "tls-server-end-point:abcdef" --expect-status SEC_E_BAD_BINDINGS \
    -- "${MIT[@]}" --cbt "tls-server-end-point:123456"
# an SPN as pszPrincipal: that principal's keys from the default keytab (KRB5_KTNAME)
KT_SERVER_ENV="KRB5_KTNAME=FILE:$KRB_ALL_KEYTAB" kt_pair server-spn-restricted ok ${OPENSSPI_INTEROP_WRAPPER:-} "$KRB_PEER" --server \
    --principal "HTTP/server.opensspi.test" -- "${MIT[@]}"
kt_pair rc4 ok ${OPENSSPI_INTEROP_WRAPPER:-} "$KRB_PEER" --server --principal "keytab:$KRB_RC4_KEYTAB" --rounds 2 \
    -- "${MIT[@]}" --target HTTP/rc4.opensspi.test --flags conf,integ,replay,sequence --rounds 2
kt_pair rc4-iov-split ok ${OPENSSPI_INTEROP_WRAPPER:-} "$KRB_PEER" --server --principal "keytab:$KRB_RC4_KEYTAB" \
    --decrypt split -- "${MIT[@]}" --target HTTP/rc4.opensspi.test --flags conf,integ --iov
kt_pair sha2 ok ${OPENSSPI_INTEROP_WRAPPER:-} "$KRB_PEER" --server --principal "keytab:$KRB_SHA2_KEYTAB" --rounds 2 \
    -- "${MIT[@]}" --target HTTP/sha2.opensspi.test --flags conf,integ,replay,sequence --rounds 2

# tampering and replays
kt_pair mit-corrupts-wrap fail "${SSPI[@]}" -- "${MIT[@]}" --corrupt wrap
kt_expect_log mit-corrupts-wrap server "DecryptMessage failed: SEC_E_MESSAGE_ALTERED" "we accepted a tampered wrap"
kt_pair mit-corrupts-mic fail "${SSPI[@]}" -- "${MIT[@]}" --corrupt mic
kt_expect_log mit-corrupts-mic server "VerifySignature failed: SEC_E_MESSAGE_ALTERED" "we accepted a tampered MIC"
kt_pair mit-replays fail "${SSPI[@]}" --replay -- "${MIT[@]}" --replay
kt_expect_log mit-replays server "DecryptMessage failed: SEC_E_OUT_OF_SEQUENCE" "we accepted a replayed wrap"
kt_pair we-corrupt-wrap fail "${SSPI[@]}" --corrupt wrap -- "${MIT[@]}"
kt_pair we-corrupt-mic fail "${SSPI[@]}" --corrupt mic -- "${MIT[@]}"

# failures
kt_pair wrong-key fail ${OPENSSPI_INTEROP_WRAPPER:-} "$KRB_PEER" --server --principal "keytab:$KRB_BACKEND_KEYTAB" \
    --expect-status SEC_E_WRONG_PRINCIPAL -- "${MIT[@]}"
KT_SERVER_ENV="KRB5_CONFIG=$KT_TIGHT_CONF" kt_pair skew-late-token fail "${SSPI[@]}" --delay-accept 3 \
    --extended-error --expect-status SEC_E_TIME_SKEW -- "${MIT[@]}" --expect-fail
kt_expect_log skew-late-token client "[Cc]lock skew" "MIT did not read our KRB-ERROR"
kt_finish
