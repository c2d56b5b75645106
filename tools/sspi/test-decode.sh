#!/bin/sh
# tools/sspi/test-decode.sh - `sspi decode` on the Windows capture with a MIC
# from tests/vectors/ms-nlmp.json (windows_capture_with_MIC): the three
# messages as hex, the AUTHENTICATE also as base64 and as a header value.
# usage: test-decode.sh PATH/TO/sspi PATH/TO/ms-nlmp.json
set -u
SSPI=${1:?usage: test-decode.sh PATH/TO/sspi PATH/TO/ms-nlmp.json}
JSON=${2:?usage: test-decode.sh PATH/TO/sspi PATH/TO/ms-nlmp.json}
OUT=$(mktemp "${TMPDIR:-/tmp}/sspi-decode.XXXXXX") || exit 1
trap 'rm -f "$OUT"' EXIT

fail() {
    echo "FAIL: $*"
    echo "--- output:"
    cat "$OUT"
    exit 1
}

# vector KEY - the hex string of KEY inside the windows_capture_with_MIC object.
vector() {
    sed -n '/"windows_capture_with_MIC"/,/^    }/p' "$JSON" |
        sed -n "s/^ *\"$1\": *\"\\([0-9a-f]*\\)\".*/\\1/p" | head -n 1
}

# expect TEXT - a line of the output contains TEXT (fixed string).
expect() {
    grep -qF -- "$1" "$OUT" || fail "missing: $1"
}

NEG=$(vector negotiate_message)
CHAL=$(vector challenge_message)
AUTH=$(vector authenticate_message)
[ -n "$NEG" ] && [ -n "$CHAL" ] && [ -n "$AUTH" ] || { echo "FAIL: vectors not found in $JSON"; exit 1; }

"$SSPI" decode --hex "$NEG" >"$OUT" || fail "decode NEGOTIATE"
expect "NTLM NEGOTIATE_MESSAGE (type 1), 40 bytes"
expect "NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY"
expect "version           10.0 build 26100, NTLM revision 15"

"$SSPI" decode --hex "$CHAL" >"$OUT" || fail "decode CHALLENGE"
expect "NTLM CHALLENGE_MESSAGE (type 2)"
expect 'target name       "DANVMCLOUD"'
expect "server challenge  97e76a78f22b760d"
expect 'MsvAvDnsComputerName  "op-agent-2.dan.vmcloud"'
expect "MsvAvTimestamp        2025-05-28 20:49:18.3484542 UTC"

"$SSPI" decode --hex "$AUTH" >"$OUT" || fail "decode AUTHENTICATE (hex)"
# The same message as base64 and as a full header value must decode the same.
B64=$(printf '%s' "$AUTH" | xxd -r -p 2>/dev/null | base64 -w0 2>/dev/null)
if [ -n "$B64" ]; then
    "$SSPI" decode "$B64" >"$OUT.b64" || fail "decode AUTHENTICATE (base64)"
    "$SSPI" decode "Authorization: NTLM $B64" >"$OUT.hdr" || fail "decode AUTHENTICATE (header)"
    cmp -s "$OUT" "$OUT.b64" || fail "base64 and hex input decode differently"
    cmp -s "$OUT" "$OUT.hdr" || fail "header and hex input decode differently"
    rm -f "$OUT.b64" "$OUT.hdr"
fi
expect "NTLM AUTHENTICATE_MESSAGE (type 3), 512 bytes"
expect "flags             0xe2888235"
expect "NTLMSSP_NEGOTIATE_KEY_EXCH"
expect 'user              "cbatt-adm@DAN.VMCLOUD"'
expect 'workstation       "CODY-P2"'
expect "NTProofStr          a44a9fbcff24f5fd4ec21fa5cf0c8842"
expect "client challenge    9982de956c8a6756"
expect "MsvAvFlags            0x00000002 (MIC present)"
expect 'MsvAvTargetName       "HOST/10.3.63.237"'
expect "MsvAvChannelBindings  00000000000000000000000000000000 (all zero: no channel binding)"
expect "MIC               19538b7e0acdb95e06f9b8f9967b4331 (present, announced by MsvAvFlags)"
expect "session key       16 bytes (encrypted random session key, KEY_EXCH)"

# SPNEGO: the NEGOTIATE in a NegTokenInit (mechTypes: NTLM), the CHALLENGE in
# a NegTokenResp (accept-incomplete, supportedMech NTLM), DER built here.
OID_NTLM=060a2b06010401823702020a
INIT="6048""06062b0601050502""a03e""303c""a00e""300c""$OID_NTLM""a22a""0428""$NEG"
"$SSPI" decode --hex "$INIT" >"$OUT" || fail "decode NegTokenInit"
expect "SPNEGO NegTokenInit, 74 bytes"
expect "mechTypes         1.3.6.1.4.1.311.2.2.10 (NTLM)"
expect "mechToken         40 bytes: NTLM NEGOTIATE_MESSAGE"
expect "NTLM NEGOTIATE_MESSAGE (type 1), 40 bytes"
RESP="a182010d""30820109""a0030a0101""a10c""$OID_NTLM""a281f3""0481f0""$CHAL"
"$SSPI" decode --hex "$RESP" >"$OUT" || fail "decode NegTokenResp"
expect "SPNEGO NegTokenResp, 273 bytes"
expect "negState          1 (accept-incomplete)"
expect "supportedMech     1.3.6.1.4.1.311.2.2.10 (NTLM)"
expect "responseToken     240 bytes: NTLM CHALLENGE_MESSAGE"
expect "server challenge  97e76a78f22b760d"

# Malformed input: a truncated message is reported, not crashed on.
SHORT=$(printf '%s' "$AUTH" | cut -c1-100)
"$SSPI" decode --hex "$SHORT" >"$OUT" && fail "a truncated message was accepted"
expect "malformed NTLM message"
"$SSPI" decode 'NTLM @@@' >"$OUT" 2>&1 && fail "invalid base64 was accepted"
echo "ok - decode"
exit 0
