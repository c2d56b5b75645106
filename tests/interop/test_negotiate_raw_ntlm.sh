#!/bin/bash
# tests/interop/test_negotiate_raw_ntlm.sh - bare NTLM (no SPNEGO) to our Negotiate
# server, as Windows accepts it: gssntlm_peer.py --client (gss-ntlmssp) against
# sspi_peer --server --package Negotiate, the whole gssntlm_peer.py transcript.
. "$(dirname "$0")/test_negotiate_lib.sh"
it_setup negotiate-raw-ntlm
it_require_gssntlmssp
it_require_file "${SSPI_PEER:-}" "sspi_peer, built with the opensspi library"
it_users_file
nego_no_kerberos_env

SERVER=("${IT_WRAP[@]}" "$SSPI_PEER" --server --package Negotiate)
CLIENT=("$PYTHON" "$INTEROP_DIR/gssntlm_peer.py" --client)
ALICE="$IT_DOMAIN\\$IT_USER"

it_run_pair raw-ntlm ok "${SERVER[@]}" --rounds 2 --expect-user "$ALICE" \
    -- "${CLIENT[@]}" --rounds 2 --user "$ALICE" --password "$IT_PASS"
it_run_pair raw-ntlm-no-seal ok "${SERVER[@]}" --no-seal --expect-user "$ALICE" \
    -- "${CLIENT[@]}" --no-seal --user "$ALICE" --password "$IT_PASS"
it_run_pair raw-ntlm-wide ok "${SERVER[@]}" --wide --expect-user "$ALICE" \
    -- "${CLIENT[@]}" --user "$ALICE" --password "$IT_PASS"
it_run_pair raw-ntlm-wrong-password fail "${SERVER[@]}" \
    -- "${CLIENT[@]}" --user "$ALICE" --password "not-$IT_PASS"
it_finish
