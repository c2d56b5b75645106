#!/bin/bash
# tests/interop/ntlm-gssntlmssp-initiator.sh [--wide] - gss-ntlmssp client, our NTLM server
# gssntlm_peer.py --client (gss-ntlmssp as GSS initiator) against sspi_peer --server
# (libopensspi AcceptSecurityContext, users from NTLM_USER_FILE). Wrong credentials
# must give SEC_E_LOGON_DENIED on our side and a clean refusal on the other. --wide
# makes sspi_peer use the W entry points.
. "$(dirname "$0")/lib.sh"
W=()
[ "${1:-}" = --wide ] && W=(--wide)
it_setup "ntlm-gssntlmssp-initiator${W[*]:+-wide}"
it_require_gssntlmssp
it_require_file "${SSPI_PEER:-}" "sspi_peer, built with the opensspi library"
it_users_file

SERVER=("${IT_WRAP[@]}" "$SSPI_PEER" --server "${W[@]}")
CLIENT=("$PYTHON" "$INTEROP_DIR/gssntlm_peer.py" --client)
ALICE="$IT_DOMAIN\\$IT_USER"
UNI="$IT_DOMAIN\\$IT_UNI_USER"

# expect_denied CASE - our server must have said SEC_E_LOGON_DENIED.
expect_denied() {
    if ! it_log_has "$1-server" SEC_E_LOGON_DENIED; then
        it_case_failed "$1" "the server did not report SEC_E_LOGON_DENIED"
    fi
}

it_run_pair sealed ok "${SERVER[@]}" --expect-user "$ALICE" \
    -- "${CLIENT[@]}" --user "$ALICE" --password "$IT_PASS"
it_run_pair no-seal ok "${SERVER[@]}" --no-seal --expect-user "$ALICE" \
    -- "${CLIENT[@]}" --no-seal --user "$ALICE" --password "$IT_PASS"
it_run_pair alloc-mem-data-first ok "${SERVER[@]}" --alloc-mem --data-first --expect-user "$ALICE" \
    -- "${CLIENT[@]}" --user "$ALICE" --password "$IT_PASS"
it_run_pair function-table ok "${SERVER[@]}" --table --expect-user "$ALICE" \
    -- "${CLIENT[@]}" --user "$ALICE" --password "$IT_PASS"
it_run_pair user-case ok "${SERVER[@]}" --expect-user "$ALICE" \
    -- "${CLIENT[@]}" --user "testdom\\ALICE" --password "$IT_PASS"
it_run_pair unicode-user ok "${SERVER[@]}" --expect-user "$UNI" \
    -- "${CLIENT[@]}" --user "$UNI" --password "$IT_UNI_PASS"
it_run_pair unicode-user-case ok "${SERVER[@]}" \
    -- "${CLIENT[@]}" --user "$IT_DOMAIN\\$IT_UNI_USER_UPPER" --password "$IT_UNI_PASS"
it_run_pair no-domain ok "${SERVER[@]}" \
    -- "${CLIENT[@]}" --user "$IT_USER" --password "$IT_PASS"
it_run_pair rounds ok "${SERVER[@]}" --rounds 5 --expect-user "$ALICE" \
    -- "${CLIENT[@]}" --rounds 5 --user "$ALICE" --password "$IT_PASS"
it_run_pair rounds-no-seal ok "${SERVER[@]}" --rounds 3 --no-seal --expect-user "$ALICE" \
    -- "${CLIENT[@]}" --rounds 3 --no-seal --user "$ALICE" --password "$IT_PASS"

# NTLMv1 (LM_COMPAT_LEVEL is read by gss-ntlmssp and by our library alike): level 0
# negotiates LM_KEY without extended session security, 1 and 2 use NTLMv1 with ESS.
# bob's password is short enough to have an LM hash.
BOB="$IT_DOMAIN\\$IT_SHORT_USER"
for level in 0 1 2; do
    it_run_pair "ntlmv1-level-$level" ok env LM_COMPAT_LEVEL=$level "${SERVER[@]}" --expect-user "$BOB" \
        -- env LM_COMPAT_LEVEL=$level "${CLIENT[@]}" --trace --user "$BOB" --password "$IT_SHORT_PASS"
done

# Channel bindings (application data only) hashed into the NTLMv2 response.
CBT=tls-server-end-point:0123456789abcdef
it_run_pair cbt ok "${SERVER[@]}" --cbt "$CBT" --expect-user "$ALICE" \
    -- "${CLIENT[@]}" --cbt "$CBT" --user "$ALICE" --password "$IT_PASS"
it_run_pair cbt-mismatch fail "${SERVER[@]}" --cbt "$CBT" \
    -- "${CLIENT[@]}" --cbt "$CBT-other" --user "$ALICE" --password "$IT_PASS" \
    && it_expect_in_log cbt-mismatch cbt-mismatch-server SEC_E_BAD_BINDINGS \
        "our server did not report SEC_E_BAD_BINDINGS"

# Tampered messages from gss-ntlmssp: our DecryptMessage / VerifySignature must refuse.
for what in seal-data seal-sig seal-seq mic mic-seq; do
    it_run_pair "tampered-$what" fail "${SERVER[@]}" --rounds 2 \
        -- "${CLIENT[@]}" --rounds 2 --corrupt "$what" --user "$ALICE" --password "$IT_PASS" \
        && it_expect_in_log "tampered-$what" "tampered-$what-server" \
            '(DecryptMessage|VerifySignature) failed: .*(SEC_E_MESSAGE_ALTERED|SEC_E_OUT_OF_SEQUENCE)' \
            "our server did not refuse the tampered message"
done
it_run_pair our-tampered-seal fail "${SERVER[@]}" --corrupt seal-data \
    -- "${CLIENT[@]}" --user "$ALICE" --password "$IT_PASS"

it_run_pair wrong-password fail "${SERVER[@]}" \
    -- "${CLIENT[@]}" --user "$ALICE" --password "not-$IT_PASS" && expect_denied wrong-password
it_run_pair unknown-user fail "${SERVER[@]}" \
    -- "${CLIENT[@]}" --user "$IT_DOMAIN\\mallory" --password "$IT_PASS" && expect_denied unknown-user
it_finish
