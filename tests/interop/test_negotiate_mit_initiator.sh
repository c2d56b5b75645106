#!/bin/bash
# tests/interop/test_negotiate_mit_initiator.sh [--wide] - MIT's SPNEGO initiator with
# gss-ntlmssp underneath, our Negotiate server.
# spnego_peer.py --client against sspi_peer --server --package Negotiate (users from
# NTLM_USER_FILE): our NegTokenResp answers (accept-incomplete with supportedMech,
# then accept-completed with our mechListMIC), the client's mechListMIC checked, the
# NTLM RC4 state restarted after the MICs, then sealed and signed messages both ways.
# --wide makes sspi_peer use the W entry points.
. "$(dirname "$0")/test_negotiate_lib.sh"
W=()
[ "${1:-}" = --wide ] && W=(--wide)
it_setup "negotiate-mit-initiator${W[*]:+-wide}"
nego_require_spnego
it_require_file "${SSPI_PEER:-}" "sspi_peer, built with the opensspi library"
it_users_file
nego_no_kerberos_env

SERVER=("${IT_WRAP[@]}" "$SSPI_PEER" --server --package Negotiate "${W[@]}")
CLIENT=("$PYTHON" "$INTEROP_DIR/spnego_peer.py" --client)
ALICE="$IT_DOMAIN\\$IT_USER"
UNI="$IT_DOMAIN\\$IT_UNI_USER"

expect_denied() {
    if ! it_log_has "$1-server" SEC_E_LOGON_DENIED; then
        it_case_failed "$1" "the server did not report SEC_E_LOGON_DENIED"
    fi
}

it_run_pair sealed ok "${SERVER[@]}" --expect-user "$ALICE" \
    -- "${CLIENT[@]}" --user "$ALICE" --password "$IT_PASS"
it_run_pair no-seal ok "${SERVER[@]}" --no-seal --expect-user "$ALICE" \
    -- "${CLIENT[@]}" --no-seal --user "$ALICE" --password "$IT_PASS"
it_run_pair rounds ok "${SERVER[@]}" --rounds 4 --expect-user "$ALICE" \
    -- "${CLIENT[@]}" --rounds 4 --user "$ALICE" --password "$IT_PASS"
it_run_pair alloc-mem-data-first ok "${SERVER[@]}" --alloc-mem --data-first --expect-user "$ALICE" \
    -- "${CLIENT[@]}" --user "$ALICE" --password "$IT_PASS"
it_run_pair user-case ok "${SERVER[@]}" --expect-user "$ALICE" \
    -- "${CLIENT[@]}" --user "testdom\\ALICE" --password "$IT_PASS"
it_run_pair unicode-user ok "${SERVER[@]}" --expect-user "$UNI" \
    -- "${CLIENT[@]}" --user "$UNI" --password "$IT_UNI_PASS"

CBT=tls-server-end-point:0123456789abcdef
it_run_pair cbt ok "${SERVER[@]}" --cbt "$CBT" --expect-user "$ALICE" \
    -- "${CLIENT[@]}" --cbt "$CBT" --user "$ALICE" --password "$IT_PASS"
it_run_pair cbt-mismatch fail "${SERVER[@]}" --cbt "$CBT" \
    -- "${CLIENT[@]}" --cbt "$CBT-other" --user "$ALICE" --password "$IT_PASS"

for what in seal-data seal-sig mic mic-seq; do
    it_run_pair "tampered-$what" fail "${SERVER[@]}" --rounds 2 \
        -- "${CLIENT[@]}" --rounds 2 --corrupt "$what" --user "$ALICE" --password "$IT_PASS" \
        && nego_expect_refusal "tampered-$what" "tampered-$what-server" \
            "our server did not refuse the tampered message"
done
it_run_pair our-tampered-seal fail "${SERVER[@]}" --corrupt seal-sig \
    -- "${CLIENT[@]}" --user "$ALICE" --password "$IT_PASS"

it_run_pair wrong-password fail "${SERVER[@]}" \
    -- "${CLIENT[@]}" --user "$ALICE" --password "not-$IT_PASS" && expect_denied wrong-password
it_run_pair unknown-user fail "${SERVER[@]}" \
    -- "${CLIENT[@]}" --user "$IT_DOMAIN\\mallory" --password "$IT_PASS" && expect_denied unknown-user
it_finish
