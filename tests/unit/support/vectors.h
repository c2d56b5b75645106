/* tests/unit/support/vectors.h - published test vectors (tests/vectors/ JSON files) for unit tests */
#ifndef OPENSSPI_TEST_VECTORS_H
#define OPENSSPI_TEST_VECTORS_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

/* vec_load - parse tests/vectors/<file> (e.g. "ms-nlmp.json"); fails the test if absent.
 * Returns an opaque cJSON root, freed by vec_free. */
void *vec_load(const char *file);
void vec_free(void *root);
/* vec_str - the string at a '/'-separated path ("ntlmv2_4_2_4/NTProofStr"), or NULL. */
const char *vec_str(void *root, const char *path);
/* vec_hex - decode the hex string at path into a malloc'd buffer; *len gets its size.
 * Fails the test when the path is missing or not hex. Free with free(). */
uint8_t *vec_hex(void *root, const char *path, size_t *len);
/* hex_decode - decode hex text; returns malloc'd bytes or NULL. */
uint8_t *hex_decode(const char *hex, size_t *len);
/* assert_bytes_equal_hex - compare bytes with the hex string at path. */
#define assert_vec_bytes(root, path, p, n)                                                        \
    do {                                                                                          \
        size_t vl_;                                                                               \
        uint8_t *vb_ = vec_hex((root), (path), &vl_);                                             \
        assert_int_equal(vl_, (n));                                                               \
        assert_memory_equal(vb_, (p), vl_);                                                       \
        free(vb_);                                                                                \
    } while (0)

#endif
