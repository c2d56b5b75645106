#!/bin/bash
# tests/interop/test_negotiate_mit_acceptor.sh [--wide] - our Negotiate client, MIT's
# SPNEGO acceptor with gss-ntlmssp underneath.
# sspi_peer --client --package Negotiate (libopensspi) against spnego_peer.py --server
# (SPNEGO-only acceptor credentials): the NegTokenInit with NTLM, the mechListMIC
# both ways (the NTLM AUTHENTICATE carries a MIC), the NTLM RC4 state restarted after
# the MICs (MS-SPNG 3.2.5.1), then the transcript of gssntlm_peer.py: sealed and
# signed messages both ways. Wrong credentials and tampered messages must be refused
# cleanly on both sides. --wide makes sspi_peer use the W entry points.
. "$(dirname "$0")/test_negotiate_lib.sh"
W=()
[ "${1:-}" = --wide ] && W=(--wide)
it_setup "negotiate-mit-acceptor${W[*]:+-wide}"
nego_require_spnego
it_require_file "${SSPI_PEER:-}" "sspi_peer, built with the opensspi library"
it_users_file
nego_no_kerberos_env

SERVER=("$PYTHON" "$INTEROP_DIR/spnego_peer.py" --server)
CLIENT=("${IT_WRAP[@]}" "$SSPI_PEER" --client --package Negotiate "${W[@]}")
ALICE="$IT_DOMAIN\\$IT_USER"
UNI="$IT_DOMAIN\\$IT_UNI_USER"

it_run_pair sealed ok "${SERVER[@]}" --expect-user "$ALICE" \
    -- "${CLIENT[@]}" --user "$ALICE" --password "$IT_PASS"
it_run_pair no-seal ok "${SERVER[@]}" --no-seal --expect-user "$ALICE" \
    -- "${CLIENT[@]}" --no-seal --user "$ALICE" --password "$IT_PASS"
it_run_pair rounds ok "${SERVER[@]}" --rounds 4 --expect-user "$ALICE" \
    -- "${CLIENT[@]}" --rounds 4 --user "$ALICE" --password "$IT_PASS"
it_run_pair alloc-mem-data-first ok "${SERVER[@]}" --expect-user "$ALICE" \
    -- "${CLIENT[@]}" --alloc-mem --data-first --user "$ALICE" --password "$IT_PASS"
it_run_pair target-spn ok "${SERVER[@]}" --expect-user "$ALICE" \
    -- "${CLIENT[@]}" --target "HTTP/server.testdom.example" --user "$ALICE" --password "$IT_PASS"
it_run_pair address-target ok "${SERVER[@]}" --expect-user "$ALICE" \
    -- "${CLIENT[@]}" --target "HTTP/127.0.0.1" --user "$ALICE" --password "$IT_PASS"
it_run_pair unicode-user ok "${SERVER[@]}" --expect-user "$UNI" \
    -- "${CLIENT[@]}" --user "$UNI" --password "$IT_UNI_PASS"
it_run_pair no-domain ok "${SERVER[@]}" \
    -- "${CLIENT[@]}" --user "$IT_USER" --password "$IT_PASS"

# Channel bindings reach NTLM through SPNEGO on both sides.
CBT=tls-server-end-point:0123456789abcdef
it_run_pair cbt ok "${SERVER[@]}" --cbt "$CBT" --expect-user "$ALICE" \
    -- "${CLIENT[@]}" --cbt "$CBT" --user "$ALICE" --password "$IT_PASS"
it_run_pair cbt-mismatch fail "${SERVER[@]}" --cbt "$CBT" \
    -- "${CLIENT[@]}" --cbt "$CBT-other" --user "$ALICE" --password "$IT_PASS"

# Tampered messages from MIT: our DecryptMessage / VerifySignature must refuse.
for what in seal-data seal-sig mic mic-seq; do
    it_run_pair "tampered-$what" fail "${SERVER[@]}" --rounds 2 --corrupt "$what" \
        -- "${CLIENT[@]}" --rounds 2 --user "$ALICE" --password "$IT_PASS" \
        && nego_expect_refusal "tampered-$what" "tampered-$what-client" \
            "our client did not refuse the tampered message"
done
# ... and tampered messages from us are refused by MIT (checks the harness).
it_run_pair our-tampered-seal fail "${SERVER[@]}" \
    -- "${CLIENT[@]}" --corrupt seal-sig --user "$ALICE" --password "$IT_PASS"

it_run_pair wrong-password fail "${SERVER[@]}" \
    -- "${CLIENT[@]}" --user "$ALICE" --password "not-$IT_PASS"
it_run_pair unknown-user fail "${SERVER[@]}" \
    -- "${CLIENT[@]}" --user "$IT_DOMAIN\\mallory" --password "$IT_PASS"
it_finish
