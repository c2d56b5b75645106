/* tools/sspi/base64.c - base64 encode/decode (RFC 4648 section 4, standard alphabet)
 * Used for HTTP Authorization/WWW-Authenticate tokens and `sspi decode`.
 * Decoding accepts input with or without '=' padding and rejects anything else
 * that is not in the alphabet, including set bits left over in the last symbol. */
#include "sspi_tool.h"

#include <stdlib.h>
#include <string.h>

static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *b64_encode(const uint8_t *in, size_t n)
{
    size_t groups = n / 3 + (n % 3 != 0);
    char *out, *o;
    size_t i;

    if (n > (SIZE_MAX - 1) / 4 * 3 - 3)
        return NULL;
    out = malloc(groups * 4 + 1);
    if (out == NULL)
        return NULL;
    o = out;
    for (i = 0; i + 3 <= n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        *o++ = b64_alphabet[v >> 18 & 63];
        *o++ = b64_alphabet[v >> 12 & 63];
        *o++ = b64_alphabet[v >> 6 & 63];
        *o++ = b64_alphabet[v & 63];
    }
    if (n - i == 1) {
        uint32_t v = (uint32_t)in[i] << 16;
        *o++ = b64_alphabet[v >> 18 & 63];
        *o++ = b64_alphabet[v >> 12 & 63];
        *o++ = '=';
        *o++ = '=';
    } else if (n - i == 2) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
        *o++ = b64_alphabet[v >> 18 & 63];
        *o++ = b64_alphabet[v >> 12 & 63];
        *o++ = b64_alphabet[v >> 6 & 63];
        *o++ = '=';
    }
    *o = '\0';
    return out;
}

/* b64_value - the 6-bit value of one alphabet character, or -1. */
static int b64_value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

bool b64_decode(const char *in, size_t len, uint8_t **out, size_t *out_len)
{
    size_t body = len, pad = 0, i, o = 0;
    uint8_t *buf;
    uint32_t acc = 0;
    unsigned nbits = 0;

    /* Strip up to two '=' (and require them to complete a 4-symbol group). */
    while (body > 0 && in[body - 1] == '=' && pad < 2) {
        body--;
        pad++;
    }
    if (pad > 0 && len % 4 != 0)
        return false;
    if (body % 4 == 1)
        return false; /* 6 bits cannot encode a byte */
    buf = malloc(body / 4 * 3 + 3);
    if (buf == NULL)
        return false;
    for (i = 0; i < body; i++) {
        int v = b64_value(in[i]);
        if (v < 0) {
            free(buf);
            return false;
        }
        acc = acc << 6 | (uint32_t)v;
        nbits += 6;
        if (nbits >= 8) {
            nbits -= 8;
            buf[o++] = (uint8_t)(acc >> nbits);
            acc &= (1u << nbits) - 1;
        }
    }
    if (acc != 0 || (pad > 0 && (body % 4) + pad != 4)) {
        free(buf);
        return false; /* non-canonical: leftover bits set or wrong padding */
    }
    *out = buf;
    *out_len = o;
    return true;
}
