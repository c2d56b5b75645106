# shellcheck shell=bash
# tests/interop/test_negotiate_lib.sh - what the Negotiate interop scripts share
# (bash; source it after nothing else: it sources lib.sh).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# nego_no_kerberos_env - Kerberos (ours, when built in, and MIT's) finds no KDC, no
# ccache and no keytab, at once and without asking DNS, so Negotiate falls back to
# NTLM the way a machine outside any realm does.
nego_no_kerberos_env() {
    printf '[libdefaults]\n dns_lookup_kdc = false\n dns_lookup_realm = false\n' >"$IT_TMP/krb5.conf"
    export KRB5_CONFIG=$IT_TMP/krb5.conf
    export KRB5CCNAME=FILE:$IT_TMP/no-such-ccache
    export KRB5_KTNAME=FILE:$IT_TMP/no-such-keytab
}

# nego_require_spnego - MIT's SPNEGO with gss-ntlmssp as a mechanism it can negotiate.
nego_require_spnego() {
    it_require_gssntlmssp
    "$PYTHON" - <<'PYEOF' || it_fail "MIT SPNEGO is not usable from $PYTHON"
import sys
import gssapi
spnego = gssapi.OID.from_int_seq("1.3.6.1.5.5.2")
sys.exit(0 if spnego in gssapi.raw.indicate_mechs() else 1)
PYEOF
}

# nego_expect_refusal CASE LOGNAME WHAT - the log must show our side refusing a
# tampered message with MESSAGE_ALTERED or OUT_OF_SEQUENCE.
nego_expect_refusal() {
    it_expect_in_log "$1" "$2" \
        '(DecryptMessage|VerifySignature) failed: .*(SEC_E_MESSAGE_ALTERED|SEC_E_OUT_OF_SEQUENCE)' \
        "$3"
}
