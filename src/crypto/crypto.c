/* src/crypto/crypto.c - MD4, MD5, HMAC-MD5, RC4, DES and random bytes over
 * OpenSSL's low-level functions (no provider, no EVP fetch per call), with our
 * portable MD4/RC4 (portable.c) where libcrypto lacks them. See crypto.h. */
#include "crypto/crypto.h"

#include <limits.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>
#ifndef OPENSSL_NO_MD4
#include <openssl/md4.h>
#endif
#ifndef OPENSSL_NO_DES
#include <openssl/des.h>
#endif

#define HMAC_MD5_BLOCK 64

void sspi_md4(const void *data, size_t len, uint8_t out[SSPI_MD4_LEN])
{
#ifndef OPENSSL_NO_MD4
    MD4_CTX c;
    MD4_Init(&c);
    MD4_Update(&c, data, len);
    MD4_Final(out, &c);
    OPENSSL_cleanse(&c, sizeof(c));
#else
    sspi_md4_portable(data, len, out);
#endif
}

void sspi_md5(const void *data, size_t len, uint8_t out[SSPI_MD5_LEN])
{
    MD5_CTX c;
    MD5_Init(&c);
    MD5_Update(&c, data, len);
    MD5_Final(out, &c);
    OPENSSL_cleanse(&c, sizeof(c));
}

void sspi_md5_iov(const struct sspi_iov *iov, size_t n, uint8_t out[SSPI_MD5_LEN])
{
    MD5_CTX c;
    MD5_Init(&c);
    for (size_t i = 0; i < n; i++)
        MD5_Update(&c, iov[i].p, iov[i].len);
    MD5_Final(out, &c);
    OPENSSL_cleanse(&c, sizeof(c));
}

void hmac_md5_init_key(struct hmac_md5_key *k, const void *key, size_t klen)
{
    uint8_t pad[HMAC_MD5_BLOCK];
    uint8_t hashed[SSPI_MD5_LEN];
    const uint8_t *kp = key;

    if (klen > HMAC_MD5_BLOCK) {
        sspi_md5(key, klen, hashed);
        kp = hashed;
        klen = sizeof(hashed);
    }
    memset(pad, 0x36, sizeof(pad));
    for (size_t i = 0; i < klen; i++)
        pad[i] ^= kp[i];
    MD5_Init(&k->inner);
    MD5_Update(&k->inner, pad, sizeof(pad));
    /* 0x36 ^ 0x5c turns each inner pad byte into the outer one */
    for (size_t i = 0; i < sizeof(pad); i++)
        pad[i] ^= 0x36 ^ 0x5c;
    MD5_Init(&k->outer);
    MD5_Update(&k->outer, pad, sizeof(pad));
    OPENSSL_cleanse(pad, sizeof(pad));
    OPENSSL_cleanse(hashed, sizeof(hashed));
}

void hmac_md5_key_cleanse(struct hmac_md5_key *k)
{
    OPENSSL_cleanse(k, sizeof(*k));
}

void hmac_md5_start(struct hmac_md5 *h, const struct hmac_md5_key *k)
{
    h->md = k->inner;
    h->key = k;
}

void hmac_md5_update(struct hmac_md5 *h, const void *p, size_t n)
{
    MD5_Update(&h->md, p, n);
}

void hmac_md5_final(struct hmac_md5 *h, uint8_t out[SSPI_HMAC_MD5_LEN])
{
    uint8_t inner[SSPI_MD5_LEN];
    MD5_Final(inner, &h->md);
    h->md = h->key->outer;
    MD5_Update(&h->md, inner, sizeof(inner));
    MD5_Final(out, &h->md);
    OPENSSL_cleanse(inner, sizeof(inner));
    OPENSSL_cleanse(h, sizeof(*h));
}

void hmac_md5_3(const void *key, size_t klen, const void *a, size_t alen, const void *b,
                size_t blen, const void *c, size_t clen, uint8_t out[SSPI_HMAC_MD5_LEN])
{
    struct hmac_md5_key k;
    struct hmac_md5 h;
    hmac_md5_init_key(&k, key, klen);
    hmac_md5_start(&h, &k);
    hmac_md5_update(&h, a, alen);
    hmac_md5_update(&h, b, blen);
    hmac_md5_update(&h, c, clen);
    hmac_md5_final(&h, out);
    hmac_md5_key_cleanse(&k);
}

void hmac_md5_2(const void *key, size_t klen, const void *a, size_t alen, const void *b,
                size_t blen, uint8_t out[SSPI_HMAC_MD5_LEN])
{
    hmac_md5_3(key, klen, a, alen, b, blen, NULL, 0, out);
}

void hmac_md5(const void *key, size_t klen, const void *data, size_t len,
              uint8_t out[SSPI_HMAC_MD5_LEN])
{
    hmac_md5_3(key, klen, data, len, NULL, 0, NULL, 0, out);
}

void sspi_rc4_init(struct sspi_rc4 *r, const void *key, size_t len)
{
#ifndef OPENSSL_NO_RC4
    RC4_set_key(&r->k, (int)len, key);
#else
    sspi_rc4_portable_init(&r->k, key, len);
#endif
}

void sspi_rc4_crypt(struct sspi_rc4 *r, const void *in, void *out, size_t n)
{
    if (n == 0)
        return;
#ifndef OPENSSL_NO_RC4
    RC4(&r->k, n, in, out);
#else
    sspi_rc4_portable_crypt(&r->k, in, out, n);
#endif
}

void sspi_rc4_cleanse(struct sspi_rc4 *r)
{
    OPENSSL_cleanse(r, sizeof(*r));
}

void sspi_rc4_oneshot(const void *key, size_t klen, const void *in, void *out, size_t n)
{
    struct sspi_rc4 r;
    sspi_rc4_init(&r, key, klen);
    sspi_rc4_crypt(&r, in, out, n);
    sspi_rc4_cleanse(&r);
}

bool sspi_des_available(void)
{
#ifndef OPENSSL_NO_DES
    return true;
#else
    return false;
#endif
}

bool sspi_des7_ecb(const uint8_t key7[7], const uint8_t in[8], uint8_t out[8])
{
#ifndef OPENSSL_NO_DES
    DES_cblock k;
    DES_key_schedule ks;
    DES_cblock block;

    /* 56 key bits, 7 per byte in the high bits; the low bit is parity */
    k[0] = key7[0];
    for (int i = 1; i < 7; i++)
        k[i] = (uint8_t)(key7[i - 1] << (8 - i) | key7[i] >> i);
    k[7] = (uint8_t)(key7[6] << 1);
    DES_set_odd_parity(&k);
    DES_set_key_unchecked(&k, &ks);
    memcpy(block, in, 8);
    DES_ecb_encrypt(&block, &block, &ks, DES_ENCRYPT);
    memcpy(out, block, 8);
    OPENSSL_cleanse(k, sizeof(k));
    OPENSSL_cleanse(&ks, sizeof(ks));
    OPENSSL_cleanse(block, sizeof(block));
    return true;
#else
    (void)key7;
    (void)in;
    (void)out;
    return false;
#endif
}

bool sspi_random(void *p, size_t n)
{
    uint8_t *b = p;
    while (n > 0) {
        int chunk = n > INT_MAX ? INT_MAX : (int)n;
        if (RAND_bytes(b, chunk) != 1)
            return false;
        b += chunk;
        n -= (size_t)chunk;
    }
    return true;
}
