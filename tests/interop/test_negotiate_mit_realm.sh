#!/bin/bash
# tests/interop/test_negotiate_mit_realm.sh - our Negotiate client where Kerberos
# can get tickets (the throwaway realm of kdc/realm.sh), against MIT's SPNEGO
# acceptor allowed only NTLM (spnego_peer.py --server, gss-ntlmssp):
#   kerberos-offered-ntlm-chosen  we send MS-KRB5, KRB5, NTLM with an AP-REQ; MIT
#                                 answers request-mic with NTLM; we restart with
#                                 NTLM and both mechListMICs are exchanged
#   unknown-spn-falls-back        no ticket for the SPN: NTLM alone from the start
#   wrong-password                the KDC refuses the password: no NTLM fallback,
#                                 SEC_E_LOGON_DENIED on the first call
# then the sealed and signed transcript of gssntlm_peer.py.
. "$(dirname "$0")/test_negotiate_lib.sh"
it_setup negotiate-mit-realm
nego_require_spnego
it_require_file "${SSPI_PEER:-}" "sspi_peer, built with the opensspi library"

# the realm lives in the scratch directory; its KDC is stopped before that goes
# shellcheck disable=SC2317 # run by the EXIT trap
nego_realm_cleanup() {
    local rc=$?
    bash "$INTEROP_DIR/kdc/realm.sh" stop "$IT_TMP/realm" >/dev/null 2>&1 || true
    (exit "$rc")
    it_cleanup
}
trap nego_realm_cleanup EXIT
envfile=$(bash "$INTEROP_DIR/kdc/realm.sh" start "$IT_TMP/realm") || it_fail "could not start the realm"
# shellcheck disable=SC1090
. "$envfile"
it_log "realm $KRB_REALM on 127.0.0.1:$KRB_KDC_PORT"

# gss-ntlmssp knows alice with her Kerberos password
NTLM_USER_FILE=$IT_TMP/users
printf '%s:alice:%s\n' "$KRB_REALM" "$KRB_PASS" >"$NTLM_USER_FILE"
export NTLM_USER_FILE

ALICE="$KRB_REALM\\alice"
SERVER=("$PYTHON" "$INTEROP_DIR/spnego_peer.py" --server --trace --mech ntlm)
CLIENT=("${IT_WRAP[@]}" "$SSPI_PEER" --client --package Negotiate --user "$ALICE")
MS_KRB5_HEX=06092a864882f712010202 # the MS-KRB5 OID as it appears in mechTypes

if it_run_pair kerberos-offered-ntlm-chosen ok "${SERVER[@]}" --rounds 2 --expect-user "$ALICE" \
    -- "${CLIENT[@]}" --rounds 2 --target "HTTP/$KRB_HOST" --password "$KRB_PASS"; then
    it_expect_in_log kerberos-offered-ntlm-chosen kerberos-offered-ntlm-chosen-server "$MS_KRB5_HEX" \
        "our NegTokenInit did not offer Kerberos"
    # the acceptor's first answer: negState request-mic (a0 03 0a 01 03)
    it_expect_in_log kerberos-offered-ntlm-chosen kerberos-offered-ntlm-chosen-server \
        'sent [0-9]+ bytes: a1[0-9a-f]*a0030a0103' "MIT did not answer request-mic"
fi
if it_run_pair unknown-spn-falls-back ok "${SERVER[@]}" --expect-user "$ALICE" \
    -- "${CLIENT[@]}" --target "HTTP/nosuch.$KRB_HOST" --password "$KRB_PASS"; then
    if it_log_has unknown-spn-falls-back-server "$MS_KRB5_HEX"; then
        it_case_failed unknown-spn-falls-back "Kerberos was offered although no ticket could be had"
    fi
fi
if it_run_pair wrong-password fail "${SERVER[@]}" \
    -- "${CLIENT[@]}" --target "HTTP/$KRB_HOST" --password "not-$KRB_PASS"; then
    it_expect_in_log wrong-password wrong-password-client SEC_E_LOGON_DENIED \
        "our client did not report SEC_E_LOGON_DENIED"
fi
it_finish
