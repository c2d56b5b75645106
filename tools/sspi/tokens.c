/* tools/sspi/tokens.c - recognise a security token from its first bytes, for
 * the legs printed by demo, http and serve (full decoding is in decode.c) */
#include "sspi_tool.h"

#include <string.h>

static const uint8_t ntlmssp_sig[8] = {'N', 'T', 'L', 'M', 'S', 'S', 'P', 0};

/* DER encodings (tag, length, value) of the two mechanism OIDs we name. */
static const uint8_t oid_spnego[] = {0x06, 0x06, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02};
static const uint8_t oid_krb5[] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02};

/* gss_framed_kind - a token in the RFC 2743 3.1 framing ([APPLICATION 0]
 * { thisMech OID, innerToken }): SPNEGO's NegTokenInit, or a Kerberos
 * message (RFC 4121 4.1: a 2-byte TOK_ID after the OID). */
static const char *gss_framed_kind(const uint8_t *tok, size_t len)
{
    size_t off = 2;

    if (len < 2)
        return "truncated GSS-API token";
    if (tok[1] & 0x80) {
        size_t nlen = tok[1] & 0x7f;
        if (nlen == 0 || nlen > 4)
            return "malformed GSS-API token";
        off += nlen;
    }
    if (len >= off + sizeof(oid_spnego) && memcmp(tok + off, oid_spnego, sizeof(oid_spnego)) == 0)
        return "SPNEGO NegTokenInit";
    if (len >= off + sizeof(oid_krb5) + 2 && memcmp(tok + off, oid_krb5, sizeof(oid_krb5)) == 0) {
        const uint8_t *id = tok + off + sizeof(oid_krb5);
        if (id[0] == 0x01 && id[1] == 0x00)
            return "Kerberos AP-REQ";
        if (id[0] == 0x02 && id[1] == 0x00)
            return "Kerberos AP-REP";
        if (id[0] == 0x03 && id[1] == 0x00)
            return "Kerberos KRB-ERROR";
        return "Kerberos token";
    }
    return "GSS-API token of another mechanism";
}

const char *token_kind(const uint8_t *tok, size_t len)
{
    if (len == 0)
        return "no token";
    if (len >= 12 && memcmp(tok, ntlmssp_sig, 8) == 0) {
        uint32_t type = (uint32_t)tok[8] | (uint32_t)tok[9] << 8 | (uint32_t)tok[10] << 16
                        | (uint32_t)tok[11] << 24;
        switch (type) {
        case 1: return "NTLM NEGOTIATE_MESSAGE";
        case 2: return "NTLM CHALLENGE_MESSAGE";
        case 3: return "NTLM AUTHENTICATE_MESSAGE";
        default: return "NTLM message of unknown type";
        }
    }
    if (tok[0] == 0x60)
        return gss_framed_kind(tok, len);
    if (tok[0] == 0xa0)
        return "SPNEGO NegTokenInit";
    if (tok[0] == 0xa1)
        return "SPNEGO NegTokenResp";
    return "opaque token";
}

void hex_dump(FILE *f, const char *indent, const uint8_t *p, size_t n)
{
    size_t i, j;

    for (i = 0; i < n; i += 16) {
        fprintf(f, "%s%04zx ", indent, i);
        for (j = i; j < i + 16; j++) {
            if (j < n)
                fprintf(f, " %02x", p[j]);
            else
                fputs("   ", f);
        }
        fputs("  ", f);
        for (j = i; j < i + 16 && j < n; j++)
            fputc(p[j] >= 0x20 && p[j] < 0x7f ? p[j] : '.', f);
        fputc('\n', f);
    }
}
