/* src/crypto/crypto.h - thin, provider-free wrappers over libcrypto primitives
 * MD4, MD5, HMAC-MD5 (with a precomputed key schedule), RC4, single DES (for
 * NTLMv1/LM), CRC32 and random bytes. Nothing here fetches an EVP algorithm:
 * OpenSSL 3's low-level MD4_* / MD5_* / RC4_* / DES_* functions need no
 * provider, so everything works without the legacy provider. Where OpenSSL was
 * built without MD4 or RC4 (OPENSSL_NO_MD4 / OPENSSL_NO_RC4) our own portable
 * code is used; the portable versions are always compiled, under their own
 * names, so the unit tests cover them. Without DES (OPENSSL_NO_DES) the DES
 * helpers return false and NTLMv1/LM are unsupported.
 *
 * Secrets: every context or key schedule that held a key can be wiped with its
 * *_cleanse function; one-shot functions wipe their temporaries themselves.
 * Compare MACs with CRYPTO_memcmp and wipe with OPENSSL_cleanse (OpenSSL's own
 * names are used directly; no aliases). */
#ifndef OPENSSPI_CRYPTO_H
#define OPENSSPI_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/md5.h>
#include <openssl/opensslconf.h>
#ifndef OPENSSL_NO_RC4
#include <openssl/rc4.h>
#endif

#define SSPI_MD4_LEN 16
#define SSPI_MD5_LEN 16
#define SSPI_HMAC_MD5_LEN 16

/* struct sspi_iov - one read-only piece of a message (hashing, signing). */
struct sspi_iov {
    const void *p;
    size_t len;
};

/* ---- MD4 (RFC 1320) ---------------------------------------------------- */

/* sspi_md4 - out = MD4(data[0..len)). data may be NULL when len is 0. Uses
 * OpenSSL's low-level MD4 unless OPENSSL_NO_MD4, then sspi_md4_portable. */
void sspi_md4(const void *data, size_t len, uint8_t out[SSPI_MD4_LEN]);
/* sspi_md4_portable - our own MD4, always compiled (tests compare both). */
void sspi_md4_portable(const void *data, size_t len, uint8_t out[SSPI_MD4_LEN]);

/* ---- MD5 (RFC 1321) ---------------------------------------------------- */

/* sspi_md5 - out = MD5(data[0..len)). */
void sspi_md5(const void *data, size_t len, uint8_t out[SSPI_MD5_LEN]);
/* sspi_md5_iov - out = MD5(iov[0] || ... || iov[n-1]). */
void sspi_md5_iov(const struct sspi_iov *iov, size_t n, uint8_t out[SSPI_MD5_LEN]);

/* ---- HMAC-MD5 (RFC 2104) ----------------------------------------------- */

/* struct hmac_md5_key - a key schedule: MD5 states after absorbing the ipad
 * and opad blocks. Prepare once per key (hmac_md5_init_key); each MAC then
 * costs two MD5 compressions less. Secret: wipe with hmac_md5_key_cleanse. */
struct hmac_md5_key {
    MD5_CTX inner, outer;
};

/* struct hmac_md5 - one MAC computation in progress (start/update/final). It
 * points at its key schedule, which must outlive it. */
struct hmac_md5 {
    MD5_CTX md;
    const struct hmac_md5_key *key;
};

/* hmac_md5_init_key - build the schedule for key[0..klen) (keys longer than
 * 64 bytes are hashed first, as RFC 2104 says). key may be NULL if klen is 0. */
void hmac_md5_init_key(struct hmac_md5_key *k, const void *key, size_t klen);
/* hmac_md5_key_cleanse - wipe a schedule. */
void hmac_md5_key_cleanse(struct hmac_md5_key *k);
/* hmac_md5_start - begin a MAC with schedule k (copies the inner state). */
void hmac_md5_start(struct hmac_md5 *h, const struct hmac_md5_key *k);
/* hmac_md5_update - absorb p[0..n). */
void hmac_md5_update(struct hmac_md5 *h, const void *p, size_t n);
/* hmac_md5_final - write the 16-byte MAC to out and wipe h. */
void hmac_md5_final(struct hmac_md5 *h, uint8_t out[SSPI_HMAC_MD5_LEN]);

/* hmac_md5 - one-shot out = HMAC-MD5(key, data). */
void hmac_md5(const void *key, size_t klen, const void *data, size_t len,
              uint8_t out[SSPI_HMAC_MD5_LEN]);
/* hmac_md5_2 - one-shot out = HMAC-MD5(key, a || b). */
void hmac_md5_2(const void *key, size_t klen, const void *a, size_t alen, const void *b,
                size_t blen, uint8_t out[SSPI_HMAC_MD5_LEN]);
/* hmac_md5_3 - one-shot out = HMAC-MD5(key, a || b || c). */
void hmac_md5_3(const void *key, size_t klen, const void *a, size_t alen, const void *b,
                size_t blen, const void *c, size_t clen, uint8_t out[SSPI_HMAC_MD5_LEN]);

/* ---- RC4 --------------------------------------------------------------- */

/* struct sspi_rc4_portable - our own RC4 state (always compiled). */
struct sspi_rc4_portable {
    uint8_t s[256];
    uint8_t i, j;
};

/* struct sspi_rc4 - an RC4 key stream (OpenSSL's RC4_KEY, or our own state
 * when OPENSSL_NO_RC4). Secret: wipe with sspi_rc4_cleanse. */
struct sspi_rc4 {
#ifndef OPENSSL_NO_RC4
    RC4_KEY k;
#else
    struct sspi_rc4_portable k;
#endif
};

/* sspi_rc4_init - key the stream with key[0..len); 1 <= len <= 256. */
void sspi_rc4_init(struct sspi_rc4 *r, const void *key, size_t len);
/* sspi_rc4_crypt - out = in XOR the next n key stream bytes; in == out is
 * allowed (in place), other overlaps are not. */
void sspi_rc4_crypt(struct sspi_rc4 *r, const void *in, void *out, size_t n);
/* sspi_rc4_cleanse - wipe the state. */
void sspi_rc4_cleanse(struct sspi_rc4 *r);
/* sspi_rc4_oneshot - out = RC4(key, in) with a fresh stream ("RC4K" in
 * MS-NLMP); in == out allowed. Wipes its temporary state. */
void sspi_rc4_oneshot(const void *key, size_t klen, const void *in, void *out, size_t n);

void sspi_rc4_portable_init(struct sspi_rc4_portable *r, const void *key, size_t len);
void sspi_rc4_portable_crypt(struct sspi_rc4_portable *r, const void *in, void *out, size_t n);

/* ---- DES (NTLMv1 / LM only) -------------------------------------------- */

/* sspi_des_available - false when libcrypto has no DES (NTLMv1/LM off). */
bool sspi_des_available(void);
/* sspi_des7_ecb - out = DES-ECB-encrypt(key expanded from 7 bytes, in), the
 * "DES(K, D)" of MS-NLMP 6: the 56 key bits are spread over 8 bytes with odd
 * parity. Returns false (out untouched) when DES is unavailable. */
bool sspi_des7_ecb(const uint8_t key7[7], const uint8_t in[8], uint8_t out[8]);

/* ---- CRC32 (ISO 3309 / zlib polynomial 0xEDB88320, reflected) ---------- */

/* sspi_crc32 - continue a CRC: crc is the value so far (0 to start), as with
 * zlib's crc32(crc, p, n). */
uint32_t sspi_crc32(uint32_t crc, const void *p, size_t n);

/* ---- random ------------------------------------------------------------ */

/* sspi_random - fill p[0..n) from OpenSSL's CSPRNG; false on failure. */
bool sspi_random(void *p, size_t n);

#endif
