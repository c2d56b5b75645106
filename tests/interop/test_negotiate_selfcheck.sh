#!/bin/bash
# tests/interop/test_negotiate_selfcheck.sh - the Negotiate harness checked against
# itself: MIT SPNEGO with MIT SPNEGO (spnego_peer.py on both sides, gss-ntlmssp
# underneath), our Negotiate with our Negotiate (sspi_peer on both sides), and the
# SPNEGO-only MIT acceptor refusing a bare NTLM client (so the other scripts really
# test SPNEGO).
. "$(dirname "$0")/test_negotiate_lib.sh"
it_setup negotiate-selfcheck
nego_require_spnego
it_require_file "${SSPI_PEER:-}" "sspi_peer, built with the opensspi library"
it_users_file
nego_no_kerberos_env

MIT_SERVER=("$PYTHON" "$INTEROP_DIR/spnego_peer.py" --server)
MIT_CLIENT=("$PYTHON" "$INTEROP_DIR/spnego_peer.py" --client)
OUR_SERVER=("${IT_WRAP[@]}" "$SSPI_PEER" --server --package Negotiate)
OUR_CLIENT=("${IT_WRAP[@]}" "$SSPI_PEER" --client --package Negotiate)
ALICE="$IT_DOMAIN\\$IT_USER"

it_run_pair mit-mit ok "${MIT_SERVER[@]}" --rounds 2 --expect-user "$ALICE" \
    -- "${MIT_CLIENT[@]}" --rounds 2 --user "$ALICE" --password "$IT_PASS"
it_run_pair mit-mit-wrong-password fail "${MIT_SERVER[@]}" \
    -- "${MIT_CLIENT[@]}" --user "$ALICE" --password "not-$IT_PASS"
it_run_pair mit-refuses-bare-ntlm fail "${MIT_SERVER[@]}" \
    -- "$PYTHON" "$INTEROP_DIR/gssntlm_peer.py" --client --user "$ALICE" --password "$IT_PASS"
it_run_pair ours-ours ok "${OUR_SERVER[@]}" --rounds 2 --expect-user "$ALICE" \
    -- "${OUR_CLIENT[@]}" --rounds 2 --user "$ALICE" --password "$IT_PASS"
it_run_pair ours-ours-wide ok "${OUR_SERVER[@]}" --wide --expect-user "$ALICE" \
    -- "${OUR_CLIENT[@]}" --wide --user "$ALICE" --password "$IT_PASS"
it_run_pair ours-ours-wrong-password fail "${OUR_SERVER[@]}" \
    -- "${OUR_CLIENT[@]}" --user "$ALICE" --password "not-$IT_PASS"
it_finish
