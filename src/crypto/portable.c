/* src/crypto/portable.c - our own MD4 (RFC 1320) and RC4, used when libcrypto
 * was built without them (OPENSSL_NO_MD4 / OPENSSL_NO_RC4). Always compiled,
 * under their own names, so that the unit tests exercise them everywhere. */
#include "crypto/crypto.h"

#include <string.h>

#include <openssl/crypto.h>

/* ---- MD4 ---------------------------------------------------------------- */

struct md4_state {
    uint32_t h[4];
    uint64_t total; /* bytes absorbed */
    uint8_t buf[64];
    size_t used;
};

static inline uint32_t rol32(uint32_t x, unsigned n)
{
    return (x << n) | (x >> (32 - n));
}

static inline uint32_t load32le(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void store32le(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* RFC 1320 3.4: three rounds of 16 operations over the 16 words of a block */
#define MD4_F(x, y, z) (((x) & (y)) | (~(x) & (z)))
#define MD4_G(x, y, z) (((x) & (y)) | ((x) & (z)) | ((y) & (z)))
#define MD4_H(x, y, z) ((x) ^ (y) ^ (z))
#define MD4_R1(a, b, c, d, k, s) a = rol32(a + MD4_F(b, c, d) + x[k], s)
#define MD4_R2(a, b, c, d, k, s) a = rol32(a + MD4_G(b, c, d) + x[k] + 0x5a827999u, s)
#define MD4_R3(a, b, c, d, k, s) a = rol32(a + MD4_H(b, c, d) + x[k] + 0x6ed9eba1u, s)

static void md4_block(uint32_t h[4], const uint8_t *p)
{
    uint32_t x[16];
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3];

    for (int i = 0; i < 16; i++)
        x[i] = load32le(p + 4 * i);

    for (int i = 0; i < 16; i += 4) {
        MD4_R1(a, b, c, d, i + 0, 3);
        MD4_R1(d, a, b, c, i + 1, 7);
        MD4_R1(c, d, a, b, i + 2, 11);
        MD4_R1(b, c, d, a, i + 3, 19);
    }
    for (int i = 0; i < 4; i++) {
        MD4_R2(a, b, c, d, i + 0, 3);
        MD4_R2(d, a, b, c, i + 4, 5);
        MD4_R2(c, d, a, b, i + 8, 9);
        MD4_R2(b, c, d, a, i + 12, 13);
    }
    static const uint8_t r3[4] = { 0, 2, 1, 3 };
    for (int i = 0; i < 4; i++) {
        int k = r3[i];
        MD4_R3(a, b, c, d, k + 0, 3);
        MD4_R3(d, a, b, c, k + 8, 9);
        MD4_R3(c, d, a, b, k + 4, 11);
        MD4_R3(b, c, d, a, k + 12, 15);
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    OPENSSL_cleanse(x, sizeof(x));
}

static void md4_update(struct md4_state *s, const uint8_t *p, size_t n)
{
    s->total += n;
    if (s->used > 0) {
        size_t take = sizeof(s->buf) - s->used;
        if (take > n)
            take = n;
        memcpy(s->buf + s->used, p, take);
        s->used += take;
        p += take;
        n -= take;
        if (s->used < sizeof(s->buf))
            return;
        md4_block(s->h, s->buf);
        s->used = 0;
    }
    for (; n >= 64; p += 64, n -= 64)
        md4_block(s->h, p);
    if (n > 0) {
        memcpy(s->buf, p, n);
        s->used = n;
    }
}

void sspi_md4_portable(const void *data, size_t len, uint8_t out[SSPI_MD4_LEN])
{
    struct md4_state s = { { 0x67452301u, 0xefcdab89u, 0x98badcfeu, 0x10325476u }, 0, { 0 }, 0 };
    uint8_t tail[72];
    uint64_t bits;
    size_t padlen;

    if (len > 0)
        md4_update(&s, data, len);
    /* 0x80, zeros to 56 mod 64, then the bit length as u64le */
    bits = s.total * 8;
    padlen = (s.used < 56 ? 56 : 120) - s.used;
    memset(tail, 0, sizeof(tail));
    tail[0] = 0x80;
    for (int i = 0; i < 8; i++)
        tail[padlen + (size_t)i] = (uint8_t)(bits >> (8 * i));
    md4_update(&s, tail, padlen + 8);
    for (int i = 0; i < 4; i++)
        store32le(out + 4 * i, s.h[i]);
    OPENSSL_cleanse(&s, sizeof(s));
}

/* ---- RC4 ---------------------------------------------------------------- */

void sspi_rc4_portable_init(struct sspi_rc4_portable *r, const void *key, size_t len)
{
    const uint8_t *k = key;
    uint8_t j = 0;

    for (int i = 0; i < 256; i++)
        r->s[i] = (uint8_t)i;
    for (size_t i = 0, ki = 0; i < 256; i++) {
        uint8_t t = r->s[i];
        j = (uint8_t)(j + t + k[ki]);
        r->s[i] = r->s[j];
        r->s[j] = t;
        if (++ki == len)
            ki = 0;
    }
    r->i = 0;
    r->j = 0;
}

void sspi_rc4_portable_crypt(struct sspi_rc4_portable *r, const void *in, void *out, size_t n)
{
    const uint8_t *src = in;
    uint8_t *dst = out;
    uint8_t i = r->i, j = r->j;
    uint8_t *s = r->s;

    for (size_t k = 0; k < n; k++) {
        uint8_t ti, tj;
        i = (uint8_t)(i + 1);
        ti = s[i];
        j = (uint8_t)(j + ti);
        tj = s[j];
        s[i] = tj;
        s[j] = ti;
        dst[k] = src[k] ^ s[(uint8_t)(ti + tj)];
    }
    r->i = i;
    r->j = j;
}
