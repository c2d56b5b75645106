/* tools/sspi/tokens.c - recognise a security token from its first bytes, for
 * the legs printed by demo, http and serve (full decoding is in decode.c) */
#include "sspi_tool.h"

#include <string.h>

static const uint8_t ntlmssp_sig[8] = {'N', 'T', 'L', 'M', 'S', 'S', 'P', 0};

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
        return "GSS-API initial token (SPNEGO NegTokenInit or Kerberos AP-REQ)";
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
