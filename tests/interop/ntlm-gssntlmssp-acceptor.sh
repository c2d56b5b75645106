#!/bin/bash
# tests/interop/ntlm-gssntlmssp-acceptor.sh [--wide] - our NTLM client, gss-ntlmssp server
# sspi_peer --client (libopensspi) against gssntlm_peer.py --server (gss-ntlmssp as
# GSS acceptor), transcript of gssntlm_peer.py: handshake, sealed and signed messages
# both ways. Wrong credentials must be refused cleanly on both sides. --wide makes
# sspi_peer use the W entry points.
. "$(dirname "$0")/lib.sh"
W=()
[ "${1:-}" = --wide ] && W=(--wide)
it_setup "ntlm-gssntlmssp-acceptor${W[*]:+-wide}"
it_require_gssntlmssp
it_require_file "${SSPI_PEER:-}" "sspi_peer, built with the opensspi library"
it_users_file

SERVER=("$PYTHON" "$INTEROP_DIR/gssntlm_peer.py" --server)
CLIENT=("${IT_WRAP[@]}" "$SSPI_PEER" --client "${W[@]}")
ALICE="$IT_DOMAIN\\$IT_USER"
UNI="$IT_DOMAIN\\$IT_UNI_USER"

it_run_pair sealed ok "${SERVER[@]}" --expect-user "$ALICE" \
    -- "${CLIENT[@]}" --user "$ALICE" --password "$IT_PASS"
it_run_pair no-seal ok "${SERVER[@]}" --no-seal --expect-user "$ALICE" \
    -- "${CLIENT[@]}" --no-seal --user "$ALICE" --password "$IT_PASS"
it_run_pair alloc-mem-data-first ok "${SERVER[@]}" --expect-user "$ALICE" \
    -- "${CLIENT[@]}" --alloc-mem --data-first --user "$ALICE" --password "$IT_PASS"
it_run_pair function-table ok "${SERVER[@]}" --expect-user "$ALICE" \
    -- "${CLIENT[@]}" --table --user "$ALICE" --password "$IT_PASS"
it_run_pair unterminated-identity ok "${SERVER[@]}" --expect-user "$UNI" \
    -- "${CLIENT[@]}" --unterminated --user "$UNI" --password "$IT_UNI_PASS"
it_run_pair target-spn ok "${SERVER[@]}" --expect-user "$ALICE" \
    -- "${CLIENT[@]}" --target "HTTP/server.testdom.example" --user "$ALICE" --password "$IT_PASS"
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
    it_run_pair "ntlmv1-level-$level" ok env LM_COMPAT_LEVEL=$level "${SERVER[@]}" --trace --expect-user "$BOB" \
        -- env LM_COMPAT_LEVEL=$level "${CLIENT[@]}" --user "$BOB" --password "$IT_SHORT_PASS"
done
# A password longer than 14 characters has no LM hash: the client must not offer
# LM_KEY it cannot compute.
it_run_pair ntlmv1-level-0-long-password ok env LM_COMPAT_LEVEL=0 "${SERVER[@]}" --trace \
    --expect-user "$ALICE" -- env LM_COMPAT_LEVEL=0 "${CLIENT[@]}" --user "$ALICE" --password "$IT_PASS"

# Channel bindings (application data only) hashed into the NTLMv2 response.
CBT=tls-server-end-point:0123456789abcdef
it_run_pair cbt ok "${SERVER[@]}" --cbt "$CBT" --expect-user "$ALICE" \
    -- "${CLIENT[@]}" --cbt "$CBT" --user "$ALICE" --password "$IT_PASS"
it_run_pair cbt-mismatch fail "${SERVER[@]}" --cbt "$CBT" \
    -- "${CLIENT[@]}" --cbt "$CBT-other" --user "$ALICE" --password "$IT_PASS"

# Tampered messages from gss-ntlmssp: our DecryptMessage / VerifySignature must refuse.
for what in seal-data seal-sig seal-seq mic mic-seq; do
    it_run_pair "tampered-$what" fail "${SERVER[@]}" --rounds 2 --corrupt "$what" \
        -- "${CLIENT[@]}" --rounds 2 --user "$ALICE" --password "$IT_PASS" \
        && it_expect_in_log "tampered-$what" "tampered-$what-client" \
            '(DecryptMessage|VerifySignature) failed: .*(SEC_E_MESSAGE_ALTERED|SEC_E_OUT_OF_SEQUENCE)' \
            "our client did not refuse the tampered message"
done
# ... and tampered messages from us are refused by gss-ntlmssp (checks the harness).
it_run_pair our-tampered-mic fail "${SERVER[@]}" \
    -- "${CLIENT[@]}" --corrupt mic --user "$ALICE" --password "$IT_PASS"

it_run_pair wrong-password fail "${SERVER[@]}" \
    -- "${CLIENT[@]}" --user "$ALICE" --password "not-$IT_PASS"
it_run_pair unknown-user fail "${SERVER[@]}" \
    -- "${CLIENT[@]}" --user "$IT_DOMAIN\\mallory" --password "$IT_PASS"
it_finish
