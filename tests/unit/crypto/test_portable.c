/* tests/unit/crypto/test_portable.c - our own MD4 and RC4 (src/crypto/portable.c,
 * used when libcrypto lacks them) against RFC 1320, RC4 vectors and OpenSSL's
 * low-level implementations on every length across block boundaries. */
#include "crypto/crypto.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/opensslconf.h>
#ifndef OPENSSL_NO_MD4
#include <openssl/md4.h>
#endif
#ifndef OPENSSL_NO_RC4
#include <openssl/rc4.h>
#endif

#include "vectors.h"

static void assert_hex(const uint8_t *got, size_t n, const char *hex)
{
    size_t len;
    uint8_t *want = hex_decode(hex, &len);
    assert_non_null(want);
    assert_int_equal(len, n);
    assert_memory_equal(want, got, n);
    free(want);
}

#if !defined(OPENSSL_NO_MD4) || !defined(OPENSSL_NO_RC4)
static void fill(uint8_t *p, size_t n, uint32_t seed)
{
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        p[i] = (uint8_t)(seed >> 16);
    }
}
#endif

static void test_portable_md4_matches_rfc1320_suite(void **state)
{
    static const struct {
        const char *in, *md4;
    } v[] = {
        { "", "31d6cfe0d16ae931b73c59d7e0c089c0" },
        { "a", "bde52cb31de33e46245e05fbdbd6fb24" },
        { "abc", "a448017aaf21d8525fc10ae87aa6729d" },
        { "message digest", "d9130a8164549fe818874806e1c7014b" },
        { "abcdefghijklmnopqrstuvwxyz", "d79e1c308aa5bbcdeea8ed63df412da9" },
        { "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
          "043f8582f241db351ce627e153e7f0e4" },
        { "12345678901234567890123456789012345678901234567890123456789012345678901234567"
          "890",
          "e33b4ddc9c38f2199c3e7b164fcc0536" },
    };
    uint8_t out[16];
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        sspi_md4_portable(v[i].in, strlen(v[i].in), out);
        assert_hex(out, 16, v[i].md4);
    }
}

static void test_portable_md4_agrees_with_openssl_for_lengths_0_to_300(void **state)
{
#ifdef OPENSSL_NO_MD4
    skip();
#else
    uint8_t data[300], a[16], b[16];
    fill(data, sizeof(data), 11);
    for (size_t n = 0; n <= sizeof(data); n++) {
        sspi_md4_portable(data, n, a);
        MD4(data, n, b);
        assert_memory_equal(a, b, 16);
    }
#endif
}

static void test_portable_rc4_matches_known_vectors(void **state)
{
    struct sspi_rc4_portable r;
    uint8_t zero[32] = { 0 }, out[32];
    static const uint8_t key5[5] = { 1, 2, 3, 4, 5 };

    sspi_rc4_portable_init(&r, "Key", 3);
    sspi_rc4_portable_crypt(&r, "Plaintext", out, 9);
    assert_hex(out, 9, "bbf316e8d940af0ad3");
    sspi_rc4_portable_init(&r, "Wiki", 4);
    sspi_rc4_portable_crypt(&r, "pedia", out, 5);
    assert_hex(out, 5, "1021bf0420");
    sspi_rc4_portable_init(&r, "Secret", 6);
    sspi_rc4_portable_crypt(&r, "Attack at dawn", out, 14);
    assert_hex(out, 14, "45a01f645fc35b383552544b9bf5");
    /* RFC 6229, 40-bit key, offsets 0 and 16 */
    sspi_rc4_portable_init(&r, key5, 5);
    sspi_rc4_portable_crypt(&r, zero, out, 32);
    assert_hex(out, 32, "b2396305f03dc027ccc3524a0a1118a86982944f18fc82d589c403a47a0d0919");
}

static void test_portable_rc4_agrees_with_openssl_for_key_lengths_1_to_256(void **state)
{
#ifdef OPENSSL_NO_RC4
    skip();
#else
    uint8_t key[256], data[777], a[777], b[777];
    struct sspi_rc4_portable r;
    RC4_KEY k;
    fill(key, sizeof(key), 12);
    fill(data, sizeof(data), 13);
    for (size_t kl = 1; kl <= sizeof(key); kl++) {
        sspi_rc4_portable_init(&r, key, kl);
        sspi_rc4_portable_crypt(&r, data, a, 100);
        sspi_rc4_portable_crypt(&r, data + 100, a + 100, sizeof(data) - 100);
        RC4_set_key(&k, (int)kl, key);
        RC4(&k, sizeof(data), data, b);
        assert_memory_equal(a, b, sizeof(a));
    }
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_portable_md4_matches_rfc1320_suite),
        cmocka_unit_test(test_portable_md4_agrees_with_openssl_for_lengths_0_to_300),
        cmocka_unit_test(test_portable_rc4_matches_known_vectors),
        cmocka_unit_test(test_portable_rc4_agrees_with_openssl_for_key_lengths_1_to_256),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
