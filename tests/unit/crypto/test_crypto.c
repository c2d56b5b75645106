/* tests/unit/crypto/test_crypto.c - MD4, MD5, HMAC-MD5, RC4, DES and random
 * bytes of src/crypto/crypto.c against RFC 1320, RFC 1321, RFC 2202, RFC 6229
 * and OpenSSL's EVP/HMAC implementations. */
#include "crypto/crypto.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

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

/* deterministic filler for comparisons (not a vector) */
static void fill(uint8_t *p, size_t n, uint32_t seed)
{
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        p[i] = (uint8_t)(seed >> 16);
    }
}

static const struct {
    const char *in, *md4;
} rfc1320[] = {
    { "", "31d6cfe0d16ae931b73c59d7e0c089c0" },
    { "a", "bde52cb31de33e46245e05fbdbd6fb24" },
    { "abc", "a448017aaf21d8525fc10ae87aa6729d" },
    { "message digest", "d9130a8164549fe818874806e1c7014b" },
    { "abcdefghijklmnopqrstuvwxyz", "d79e1c308aa5bbcdeea8ed63df412da9" },
    { "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
      "043f8582f241db351ce627e153e7f0e4" },
    { "1234567890123456789012345678901234567890123456789012345678901234567890123456789"
      "0",
      "e33b4ddc9c38f2199c3e7b164fcc0536" },
};

static void test_md4_matches_rfc1320_suite(void **state)
{
    uint8_t out[16];
    for (size_t i = 0; i < sizeof(rfc1320) / sizeof(rfc1320[0]); i++) {
        sspi_md4(rfc1320[i].in, strlen(rfc1320[i].in), out);
        assert_hex(out, 16, rfc1320[i].md4);
    }
}

static void test_md4_accepts_null_empty_input(void **state)
{
    uint8_t out[16];
    sspi_md4(NULL, 0, out);
    assert_hex(out, 16, "31d6cfe0d16ae931b73c59d7e0c089c0");
}

static const struct {
    const char *in, *md5;
} rfc1321[] = {
    { "", "d41d8cd98f00b204e9800998ecf8427e" },
    { "abc", "900150983cd24fb0d6963f7d28e17f72" },
    { "message digest", "f96b697d7cb7938d525a2f31aaf161d0" },
};

static void test_md5_matches_rfc1321_suite(void **state)
{
    uint8_t out[16];
    for (size_t i = 0; i < sizeof(rfc1321) / sizeof(rfc1321[0]); i++) {
        sspi_md5(rfc1321[i].in, strlen(rfc1321[i].in), out);
        assert_hex(out, 16, rfc1321[i].md5);
    }
}

static void test_md5_iov_equals_md5_of_concatenation(void **state)
{
    uint8_t buf[300], a[16], b[16];
    fill(buf, sizeof(buf), 7);
    const struct sspi_iov iov[4] = {
        { buf, 1 }, { buf + 1, 0 }, { buf + 1, 130 }, { buf + 131, 169 }
    };
    sspi_md5(buf, sizeof(buf), a);
    sspi_md5_iov(iov, 4, b);
    assert_memory_equal(a, b, 16);
}

/* RFC 2202 section 2, test cases 1-7 */
static void test_hmac_md5_matches_rfc2202_suite(void **state)
{
    uint8_t key[80], data[80], out[16];

    memset(key, 0x0b, 16);
    hmac_md5(key, 16, "Hi There", 8, out);
    assert_hex(out, 16, "9294727a3638bb1c13f48ef8158bfc9d");

    hmac_md5("Jefe", 4, "what do ya want for nothing?", 28, out);
    assert_hex(out, 16, "750c783e6ab0b503eaa86e310a5db738");

    memset(key, 0xaa, 16);
    memset(data, 0xdd, 50);
    hmac_md5(key, 16, data, 50, out);
    assert_hex(out, 16, "56be34521d144c88dbb8c733f0e8b3f6");

    for (int i = 0; i < 25; i++)
        key[i] = (uint8_t)(i + 1);
    memset(data, 0xcd, 50);
    hmac_md5(key, 25, data, 50, out);
    assert_hex(out, 16, "697eaf0aca3a3aea3a75164746ffaa79");

    memset(key, 0x0c, 16);
    hmac_md5(key, 16, "Test With Truncation", 20, out);
    assert_hex(out, 16, "56461ef2342edc00f9bab995690efd4c");

    memset(key, 0xaa, 80);
    hmac_md5(key, 80, "Test Using Larger Than Block-Size Key - Hash Key First", 54, out);
    assert_hex(out, 16, "6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd");

    hmac_md5(key, 80, "Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data",
             73, out);
    assert_hex(out, 16, "6f630fad67cda0ee1fb1f562db3aa53e");
}

static void test_hmac_md5_agrees_with_openssl_for_all_key_sizes(void **state)
{
    uint8_t key[130], data[200], a[16], b[16];
    unsigned blen;
    fill(key, sizeof(key), 1);
    fill(data, sizeof(data), 2);
    for (size_t kl = 0; kl <= sizeof(key); kl++) {
        size_t dl = (kl * 7) % sizeof(data);
        hmac_md5(key, kl, data, dl, a);
        assert_non_null(HMAC(EVP_md5(), key, (int)kl, data, dl, b, &blen));
        assert_int_equal(blen, 16);
        assert_memory_equal(a, b, 16);
    }
}

static void test_hmac_md5_pieces_equal_one_shot(void **state)
{
    uint8_t key[16], data[100], a[16], b[16], c[16];
    struct hmac_md5_key k;
    struct hmac_md5 h;
    fill(key, sizeof(key), 3);
    fill(data, sizeof(data), 4);
    hmac_md5(key, 16, data, 100, a);
    hmac_md5_2(key, 16, data, 10, data + 10, 90, b);
    assert_memory_equal(a, b, 16);
    hmac_md5_3(key, 16, data, 64, data + 64, 0, data + 64, 36, b);
    assert_memory_equal(a, b, 16);

    /* one schedule, used twice */
    hmac_md5_init_key(&k, key, 16);
    for (int round = 0; round < 2; round++) {
        hmac_md5_start(&h, &k);
        hmac_md5_update(&h, data, 33);
        hmac_md5_update(&h, data + 33, 67);
        hmac_md5_final(&h, c);
        assert_memory_equal(a, c, 16);
    }
    hmac_md5_key_cleanse(&k);
}

/* RFC 6229 section 2, 40-bit key 0102030405: key stream offsets 0 and 16 */
static void test_rc4_matches_rfc6229_key_stream(void **state)
{
    static const uint8_t key[5] = { 1, 2, 3, 4, 5 };
    uint8_t zero[32] = { 0 }, out[32];
    struct sspi_rc4 r;
    sspi_rc4_init(&r, key, sizeof(key));
    sspi_rc4_crypt(&r, zero, out, 32);
    assert_hex(out, 32, "b2396305f03dc027ccc3524a0a1118a86982944f18fc82d589c403a47a0d0919");
    sspi_rc4_cleanse(&r);
}

static void test_rc4_matches_classic_vectors(void **state)
{
    uint8_t out[16];
    sspi_rc4_oneshot("Key", 3, "Plaintext", out, 9);
    assert_hex(out, 9, "bbf316e8d940af0ad3");
    sspi_rc4_oneshot("Wiki", 4, "pedia", out, 5);
    assert_hex(out, 5, "1021bf0420");
    sspi_rc4_oneshot("Secret", 6, "Attack at dawn", out, 14);
    assert_hex(out, 14, "45a01f645fc35b383552544b9bf5");
}

static void test_rc4_stream_continues_across_calls_and_in_place(void **state)
{
    uint8_t key[16], data[1000], whole[1000], parts[1000];
    struct sspi_rc4 r;
    fill(key, sizeof(key), 5);
    fill(data, sizeof(data), 6);
    sspi_rc4_oneshot(key, 16, data, whole, sizeof(data));
    memcpy(parts, data, sizeof(data));
    sspi_rc4_init(&r, key, 16);
    sspi_rc4_crypt(&r, parts, parts, 1);
    sspi_rc4_crypt(&r, parts + 1, parts + 1, 0);
    sspi_rc4_crypt(&r, parts + 1, parts + 1, 500);
    sspi_rc4_crypt(&r, parts + 501, parts + 501, 499);
    assert_memory_equal(whole, parts, sizeof(whole));
    sspi_rc4_cleanse(&r);
}

/* The LM "KGS!@#$%" step of MS-NLMP 4.2.2.1.1 (LMOWFv1 of "Password") checks
 * the 7-to-8 byte key expansion as well as DES itself. */
static void test_des7_encrypts_lm_magic_like_ms_nlmp(void **state)
{
    static const uint8_t k1[7] = { 'P', 'A', 'S', 'S', 'W', 'O', 'R' };
    static const uint8_t k2[7] = { 'D', 0, 0, 0, 0, 0, 0 };
    uint8_t out[8];
    if (!sspi_des_available())
        skip();
    assert_true(sspi_des7_ecb(k1, (const uint8_t *)"KGS!@#$%", out));
    assert_hex(out, 8, "e52cac67419a9a22");
    assert_true(sspi_des7_ecb(k2, (const uint8_t *)"KGS!@#$%", out));
    assert_hex(out, 8, "4a3b108f3fa6cb6d");
}

static void test_random_fills_and_differs(void **state)
{
    uint8_t a[32] = { 0 }, b[32] = { 0 };
    assert_true(sspi_random(a, sizeof(a)));
    assert_true(sspi_random(b, sizeof(b)));
    assert_true(memcmp(a, b, sizeof(a)) != 0);
    assert_true(sspi_random(NULL, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_md4_matches_rfc1320_suite),
        cmocka_unit_test(test_md4_accepts_null_empty_input),
        cmocka_unit_test(test_md5_matches_rfc1321_suite),
        cmocka_unit_test(test_md5_iov_equals_md5_of_concatenation),
        cmocka_unit_test(test_hmac_md5_matches_rfc2202_suite),
        cmocka_unit_test(test_hmac_md5_agrees_with_openssl_for_all_key_sizes),
        cmocka_unit_test(test_hmac_md5_pieces_equal_one_shot),
        cmocka_unit_test(test_rc4_matches_rfc6229_key_stream),
        cmocka_unit_test(test_rc4_matches_classic_vectors),
        cmocka_unit_test(test_rc4_stream_continues_across_calls_and_in_place),
        cmocka_unit_test(test_des7_encrypts_lm_magic_like_ms_nlmp),
        cmocka_unit_test(test_random_fills_and_differs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
