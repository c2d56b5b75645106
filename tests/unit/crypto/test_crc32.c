/* tests/unit/crypto/test_crc32.c - CRC-32 (src/crypto/crc32.c): the standard
 * check value, chaining, and the MS-NLMP 4.2.2.4 checksum of "Plaintext". */
#include "crypto/crypto.h"

#include <stdlib.h>
#include <string.h>

#include "vectors.h"

static void test_crc32_of_123456789_is_check_value(void **state)
{
    assert_int_equal(sspi_crc32(0, "123456789", 9), 0xcbf43926u);
}

static void test_crc32_of_nothing_is_zero(void **state)
{
    assert_int_equal(sspi_crc32(0, NULL, 0), 0);
}

static void test_crc32_chains_like_one_call(void **state)
{
    const char *s = "The quick brown fox jumps over the lazy dog";
    size_t n = strlen(s);
    assert_int_equal(sspi_crc32(0, s, n), 0x414fa339u);
    for (size_t cut = 0; cut <= n; cut++)
        assert_int_equal(sspi_crc32(sspi_crc32(0, s, cut), s + cut, n - cut), 0x414fa339u);
}

static void test_crc32_matches_ms_nlmp_signature_checksum(void **state)
{
    void *v = vec_load("ms-nlmp.json");
    size_t n, cn;
    uint8_t *pt = vec_hex(v, "ntlmv1_4_2_2/gss_wrapex_4_2_2_4/plaintext", &n);
    uint8_t *crc = vec_hex(v, "ntlmv1_4_2_2/gss_wrapex_4_2_2_4/crc32_of_plaintext", &cn);
    uint32_t c = sspi_crc32(0, pt, n);
    uint8_t le[4] = { (uint8_t)c, (uint8_t)(c >> 8), (uint8_t)(c >> 16), (uint8_t)(c >> 24) };
    assert_int_equal(cn, 4);
    assert_memory_equal(le, crc, 4);
    free(pt);
    free(crc);
    vec_free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crc32_of_123456789_is_check_value),
        cmocka_unit_test(test_crc32_of_nothing_is_zero),
        cmocka_unit_test(test_crc32_chains_like_one_call),
        cmocka_unit_test(test_crc32_matches_ms_nlmp_signature_checksum),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
