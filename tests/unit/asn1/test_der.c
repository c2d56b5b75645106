/* tests/unit/asn1/test_der.c - the strict DER reader and writer (src/asn1/der.c):
 * short and long length forms at every boundary, non-minimal and indefinite
 * lengths refused, every truncation of a nested structure, tag mismatches that
 * do not latch, typed getters (INTEGER, ENUMERATED, BOOLEAN, NULL, BIT STRING,
 * OID) on their edge values, and parse(build(x)) == x. */
#include "asn1/der.h"

#include <stdlib.h>
#include <string.h>

#include "vectors.h"

#define RD(...) rd_from((const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ }))

static struct rd rd_from(const uint8_t *p, size_t n)
{
    return rd_init(p, n);
}

/* ---- lengths ------------------------------------------------------------- */

/* element - tag 0x04 with n content bytes (k-th byte k & 0xff), built by hand
 * with the given length octets */
static uint8_t *element(const uint8_t *lenoct, size_t nlen, size_t n, size_t *total)
{
    *total = 1 + nlen + n;
    uint8_t *b = malloc(*total);
    assert_non_null(b);
    b[0] = DER_OCTET_STRING;
    memcpy(b + 1, lenoct, nlen);
    for (size_t k = 0; k < n; k++)
        b[1 + nlen + k] = (uint8_t)k;
    return b;
}

static void check_length(const uint8_t *lenoct, size_t nlen, size_t n)
{
    size_t total;
    uint8_t *b = element(lenoct, nlen, n, &total);
    struct rd r = rd_init(b, total), c;
    assert_true(der_get(&r, DER_OCTET_STRING, &c));
    assert_int_equal(c.len, n);
    assert_ptr_equal(c.p, b + 1 + nlen);
    assert_true(rd_done(&r));
    free(b);
}

static void test_lengths_decode_at_every_form_boundary(void **state)
{
    check_length((const uint8_t[]){ 0x00 }, 1, 0);
    check_length((const uint8_t[]){ 0x7f }, 1, 127);
    check_length((const uint8_t[]){ 0x81, 0x80 }, 2, 128);
    check_length((const uint8_t[]){ 0x81, 0xff }, 2, 255);
    check_length((const uint8_t[]){ 0x82, 0x01, 0x00 }, 3, 256);
    check_length((const uint8_t[]){ 0x82, 0xff, 0xff }, 3, 65535);
    check_length((const uint8_t[]){ 0x83, 0x01, 0x00, 0x00 }, 4, 65536);
    check_length((const uint8_t[]){ 0x84, 0x01, 0x00, 0x00, 0x00 }, 5, 1u << 24);
}

static void check_bad_length(const uint8_t *lenoct, size_t nlen, size_t n)
{
    size_t total;
    uint8_t *b = element(lenoct, nlen, n, &total);
    struct rd r = rd_init(b, total), c;
    assert_false(der_get(&r, DER_OCTET_STRING, &c));
    assert_true(r.err);
    assert_int_equal(c.len, 0);
    /* the error is sticky */
    assert_false(der_get(&r, DER_OCTET_STRING, &c));
    assert_false(rd_done(&r));
    free(b);
}

static void test_non_minimal_lengths_are_refused(void **state)
{
    check_bad_length((const uint8_t[]){ 0x81, 0x05 }, 2, 5);              /* long form for < 128 */
    check_bad_length((const uint8_t[]){ 0x81, 0x7f }, 2, 127);
    check_bad_length((const uint8_t[]){ 0x82, 0x00, 0x80 }, 3, 128);      /* leading zero octet */
    check_bad_length((const uint8_t[]){ 0x82, 0x00, 0xff }, 3, 255);
    check_bad_length((const uint8_t[]){ 0x83, 0x00, 0x01, 0x00 }, 4, 256);
    check_bad_length((const uint8_t[]){ 0x84, 0x00, 0x00, 0x00, 0x05 }, 5, 5);
}

static void test_indefinite_and_oversized_lengths_are_refused(void **state)
{
    /* indefinite form with an end-of-contents marker */
    struct rd r = RD(0x30, 0x80, 0x04, 0x00, 0x00, 0x00), c;
    assert_false(der_get(&r, DER_SEQUENCE, &c));
    assert_true(r.err);
    /* 5 length octets */
    r = RD(0x04, 0x85, 0x01, 0x00, 0x00, 0x00, 0x00);
    assert_false(der_get(&r, DER_OCTET_STRING, &c));
    assert_true(r.err);
    /* the reserved 0xff length octet */
    r = RD(0x04, 0xff);
    assert_false(der_get(&r, DER_OCTET_STRING, &c));
    assert_true(r.err);
    /* a length past the end of the input */
    r = RD(0x04, 0x03, 0x01, 0x02);
    assert_false(der_get(&r, DER_OCTET_STRING, &c));
    assert_true(r.err);
    r = RD(0x04, 0x84, 0xff, 0xff, 0xff, 0xff, 0x00);
    assert_false(der_get(&r, DER_OCTET_STRING, &c));
    assert_true(r.err);
}

static void test_tag_mismatch_does_not_latch_or_consume(void **state)
{
    struct rd r = RD(0x04, 0x01, 0xaa), c;
    assert_false(der_get(&r, DER_CTX_C(0), &c));
    assert_false(r.err);
    assert_int_equal(r.len, 3);
    assert_true(der_get(&r, DER_OCTET_STRING, &c));
    assert_int_equal(c.len, 1);
    assert_int_equal(c.p[0], 0xaa);
    /* at the end: false, nothing latched (an absent OPTIONAL field) */
    assert_false(der_get(&r, DER_OCTET_STRING, &c));
    assert_false(r.err);
    assert_true(rd_done(&r));
}

static void test_optional_fields_parse_as_ifs(void **state)
{
    /* SEQUENCE { [0] INTEGER 5, [2] OCTET STRING "ab" } - [1] absent */
    struct rd r = RD(0x30, 0x0b, 0xa0, 0x03, 0x02, 0x01, 0x05, 0xa2, 0x04, 0x04, 0x02, 'a', 'b'), seq, f;
    int64_t v = 0;
    struct rd s = rd_init(NULL, 0);
    assert_true(der_get(&r, DER_SEQUENCE, &seq));
    assert_true(rd_done(&r));
    assert_true(der_get(&seq, DER_CTX_C(0), &f) && der_get_int(&f, &v) && rd_done(&f));
    assert_int_equal(v, 5);
    assert_false(der_get(&seq, DER_CTX_C(1), &f));
    assert_true(der_get(&seq, DER_CTX_C(2), &f) && der_get_octets(&f, &s) && rd_done(&f));
    assert_int_equal(s.len, 2);
    assert_memory_equal(s.p, "ab", 2);
    assert_true(rd_done(&seq));
}

static void test_high_tag_number_form_is_refused(void **state)
{
    struct rd r = RD(0x1f, 0x81, 0x00, 0x00), c;
    uint8_t tag;
    assert_true(der_peek(&r, &tag));
    assert_int_equal(tag, 0x1f);
    assert_false(der_get_any(&r, &tag, &c));
    assert_true(r.err);
    assert_false(der_peek(&r, &tag));
}

static void test_get_any_skips_unknown_elements(void **state)
{
    struct rd r = RD(0x8a, 0x02, 0x01, 0x02, 0x05, 0x00), c;
    uint8_t tag;
    assert_true(der_get_any(&r, &tag, &c));
    assert_int_equal(tag, 0x8a);
    assert_int_equal(c.len, 2);
    assert_true(der_get_null(&r));
    assert_true(rd_done(&r));
    /* nothing left: der_get_any latches */
    assert_false(der_get_any(&r, &tag, &c));
    assert_true(r.err);
}

static void test_get_element_returns_the_whole_encoding(void **state)
{
    static const uint8_t in[] = { 0xa0, 0x0d, 0x30, 0x0b, 0x06, 0x09, 0x2a, 0x86, 0x48,
                                  0x86, 0xf7, 0x12, 0x01, 0x02, 0x02, 0x04, 0x00 };
    struct rd r = rd_init(in, sizeof(in)), f, el;
    assert_true(der_get(&r, DER_CTX_C(0), &f));
    assert_true(der_get_element(&f, DER_SEQUENCE, &el));
    assert_true(rd_done(&f));
    assert_ptr_equal(el.p, in + 2);
    assert_int_equal(el.len, 13);
    assert_false(der_get_element(&r, DER_SEQUENCE, &el));
    assert_false(r.err);
}

/* ---- truncation ---------------------------------------------------------- */

/* parse_sample - SEQUENCE { [0] OID, [1] SEQUENCE { INTEGER, BOOLEAN },
 *                           [2] OCTET STRING (200 bytes), [3] ENUMERATED } */
static bool parse_sample(struct rd r)
{
    struct rd seq, f, inner, oid, oct;
    int64_t i;
    bool b;
    uint32_t e;
    if (!der_get(&r, DER_SEQUENCE, &seq) || !rd_done(&r))
        return false;
    if (!der_get(&seq, DER_CTX_C(0), &f) || !der_get_oid(&f, &oid) || !rd_done(&f))
        return false;
    if (!der_get(&seq, DER_CTX_C(1), &f) || !der_get(&f, DER_SEQUENCE, &inner) || !rd_done(&f)
        || !der_get_int(&inner, &i) || !der_get_bool(&inner, &b) || !rd_done(&inner))
        return false;
    if (!der_get(&seq, DER_CTX_C(2), &f) || !der_get_octets(&f, &oct) || !rd_done(&f))
        return false;
    if (!der_get(&seq, DER_CTX_C(3), &f) || !der_get_enum(&f, &e) || !rd_done(&f))
        return false;
    return rd_done(&seq) && oct.len == 200 && i == -300 && b && e == 3;
}

static uint8_t *build_sample(size_t *len)
{
    static const uint8_t oid[] = { 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02 };
    uint8_t big[200];
    struct wr w;
    struct wr_mark m0, m1, m2, m3, m4;
    memset(big, 0x5a, sizeof(big));
    wr_init(&w, 16, 4096, 0);
    assert_true(der_open(&w, DER_SEQUENCE, &m0));
    assert_true(der_open(&w, DER_CTX_C(0), &m1) && der_put_oid(&w, oid, sizeof(oid)) && der_close(&w, &m1));
    assert_true(der_open(&w, DER_CTX_C(1), &m1) && der_open(&w, DER_SEQUENCE, &m2) && der_put_int(&w, -300)
                && der_put_bool(&w, true) && der_close(&w, &m2) && der_close(&w, &m1));
    assert_true(der_open(&w, DER_CTX_C(2), &m3) && der_put_octets(&w, big, sizeof(big)) && der_close(&w, &m3));
    assert_true(der_open(&w, DER_CTX_C(3), &m4) && der_put_enum(&w, 3) && der_close(&w, &m4));
    assert_true(der_close(&w, &m0));
    uint8_t *b = wr_steal(&w, len);
    assert_non_null(b);
    return b;
}

static void test_every_truncation_of_a_nested_structure_fails(void **state)
{
    size_t len;
    uint8_t *b = build_sample(&len);
    assert_true(parse_sample(rd_init(b, len)));
    for (size_t n = 0; n < len; n++) {
        uint8_t *copy = malloc(n ? n : 1); /* exact size, so ASan sees any overread */
        assert_non_null(copy);
        memcpy(copy, b, n);
        assert_false(parse_sample(rd_init(copy, n)));
        free(copy);
    }
    free(b);
}

static void test_trailing_bytes_are_refused(void **state)
{
    size_t len;
    uint8_t *b = build_sample(&len);
    uint8_t *longer = malloc(len + 1);
    assert_non_null(longer);
    memcpy(longer, b, len);
    longer[len] = 0;
    assert_false(parse_sample(rd_init(longer, len + 1)));
    free(longer);
    free(b);
}

static void test_every_bit_flip_is_parsed_safely(void **state)
{
    size_t len;
    uint8_t *b = build_sample(&len);
    for (size_t i = 0; i < len; i++) {
        for (int bit = 0; bit < 8; bit++) {
            b[i] ^= (uint8_t)(1u << bit);
            (void)parse_sample(rd_init(b, len)); /* no crash, no overread */
            b[i] ^= (uint8_t)(1u << bit);
        }
    }
    assert_true(parse_sample(rd_init(b, len)));
    free(b);
}

/* ---- INTEGER / ENUMERATED ------------------------------------------------ */

static void check_int(int64_t v, const uint8_t *enc, size_t n)
{
    struct wr w;
    wr_init(&w, 0, 64, 0);
    assert_true(der_put_int(&w, v));
    assert_int_equal(w.len, n);
    assert_memory_equal(w.buf, enc, n);
    struct rd r = rd_init(w.buf, w.len);
    int64_t got = 0;
    assert_true(der_get_int(&r, &got));
    assert_true(got == v);
    assert_true(rd_done(&r));
    wr_free(&w);
}

static void test_integers_use_the_shortest_twos_complement_form(void **state)
{
    check_int(0, (const uint8_t[]){ 0x02, 0x01, 0x00 }, 3);
    check_int(127, (const uint8_t[]){ 0x02, 0x01, 0x7f }, 3);
    check_int(128, (const uint8_t[]){ 0x02, 0x02, 0x00, 0x80 }, 4);
    check_int(256, (const uint8_t[]){ 0x02, 0x02, 0x01, 0x00 }, 4);
    check_int(-1, (const uint8_t[]){ 0x02, 0x01, 0xff }, 3);
    check_int(-128, (const uint8_t[]){ 0x02, 0x01, 0x80 }, 3);
    check_int(-129, (const uint8_t[]){ 0x02, 0x02, 0xff, 0x7f }, 4);
    check_int(INT64_MAX, (const uint8_t[]){ 0x02, 0x08, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }, 10);
    check_int(INT64_MIN, (const uint8_t[]){ 0x02, 0x08, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 }, 10);
}

static void test_integers_with_redundant_sign_octets_are_refused(void **state)
{
    int64_t v;
    struct rd r = RD(0x02, 0x02, 0x00, 0x7f);
    assert_false(der_get_int(&r, &v));
    assert_true(r.err);
    r = RD(0x02, 0x02, 0xff, 0x80);
    assert_false(der_get_int(&r, &v));
    assert_true(r.err);
    r = RD(0x02, 0x00);
    assert_false(der_get_int(&r, &v));
    assert_true(r.err);
    /* 9 octets does not fit int64_t */
    r = RD(0x02, 0x09, 0x01, 0, 0, 0, 0, 0, 0, 0, 0);
    assert_false(der_get_int(&r, &v));
    assert_true(r.err);
    /* a wrong tag latches in a typed getter */
    r = RD(0x0a, 0x01, 0x00);
    assert_false(der_get_int(&r, &v));
    assert_true(r.err);
}

static void test_uint32_and_enumerated_ranges(void **state)
{
    uint32_t v;
    struct rd r = RD(0x02, 0x05, 0x00, 0xff, 0xff, 0xff, 0xff);
    assert_true(der_get_uint32(&r, &v));
    assert_true(v == 0xffffffffu);
    r = RD(0x02, 0x05, 0x01, 0x00, 0x00, 0x00, 0x00); /* 2^32 */
    assert_false(der_get_uint32(&r, &v));
    assert_true(r.err);
    r = RD(0x02, 0x01, 0xff); /* -1 */
    assert_false(der_get_uint32(&r, &v));
    assert_true(r.err);
    r = RD(0x0a, 0x01, 0x03);
    assert_true(der_get_enum(&r, &v));
    assert_int_equal(v, 3);
    r = RD(0x0a, 0x02, 0x00, 0x03);
    assert_false(der_get_enum(&r, &v));
    assert_true(r.err);
    r = RD(0x0a, 0x01, 0x80);
    assert_false(der_get_enum(&r, &v));
    assert_true(r.err);

    struct wr w;
    wr_init(&w, 0, 64, 0);
    assert_true(der_put_enum(&w, 0xffffffffu));
    assert_int_equal(w.len, 7);
    assert_memory_equal(w.buf, ((const uint8_t[]){ 0x0a, 0x05, 0x00, 0xff, 0xff, 0xff, 0xff }), 7);
    wr_free(&w);
}

/* ---- BOOLEAN, NULL, BIT STRING, OCTET STRING ----------------------------- */

static void test_booleans_and_nulls_are_strict(void **state)
{
    bool b;
    struct rd r = RD(0x01, 0x01, 0xff, 0x01, 0x01, 0x00, 0x05, 0x00);
    assert_true(der_get_bool(&r, &b));
    assert_true(b);
    assert_true(der_get_bool(&r, &b));
    assert_false(b);
    assert_true(der_get_null(&r));
    assert_true(rd_done(&r));
    r = RD(0x01, 0x01, 0x01);
    assert_false(der_get_bool(&r, &b));
    assert_true(r.err);
    r = RD(0x01, 0x02, 0x00, 0x00);
    assert_false(der_get_bool(&r, &b));
    assert_true(r.err);
    r = RD(0x05, 0x01, 0x00);
    assert_false(der_get_null(&r));
    assert_true(r.err);
}

static void test_bit_strings_check_unused_bits(void **state)
{
    struct rd bits;
    uint8_t unused;
    struct rd r = RD(0x03, 0x02, 0x01, 0xfe);
    assert_true(der_get_bitstring(&r, &bits, &unused));
    assert_int_equal(unused, 1);
    assert_int_equal(bits.len, 1);
    assert_int_equal(bits.p[0], 0xfe);
    r = RD(0x03, 0x01, 0x00); /* empty */
    assert_true(der_get_bitstring(&r, &bits, &unused));
    assert_int_equal(bits.len, 0);
    r = RD(0x03, 0x02, 0x01, 0xff); /* a set unused bit */
    assert_false(der_get_bitstring(&r, &bits, &unused));
    assert_true(r.err);
    r = RD(0x03, 0x02, 0x08, 0x00); /* more than 7 unused */
    assert_false(der_get_bitstring(&r, &bits, &unused));
    assert_true(r.err);
    r = RD(0x03, 0x01, 0x03); /* unused bits without data */
    assert_false(der_get_bitstring(&r, &bits, &unused));
    assert_true(r.err);
    r = RD(0x03, 0x00);
    assert_false(der_get_bitstring(&r, &bits, &unused));
    assert_true(r.err);

    struct wr w;
    wr_init(&w, 0, 64, 0);
    assert_true(der_put_bitstring(&w, (const uint8_t[]){ 0xa0 }, 1, 5));
    assert_memory_equal(w.buf, ((const uint8_t[]){ 0x03, 0x02, 0x05, 0xa0 }), 4);
    assert_false(der_put_bitstring(&w, (const uint8_t[]){ 0xa1 }, 1, 5));
    assert_true(w.err);
    wr_free(&w);
}

static void test_constructed_octet_strings_are_refused(void **state)
{
    struct rd r = RD(0x24, 0x03, 0x04, 0x01, 0x61), s;
    assert_false(der_get_octets(&r, &s));
    assert_true(r.err);
}

/* ---- OBJECT IDENTIFIER --------------------------------------------------- */

static void test_oids_must_be_minimal_and_complete(void **state)
{
    static const uint8_t krb5[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02 };
    struct rd r = RD(0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02), oid;
    assert_true(der_get_oid(&r, &oid));
    assert_true(der_oid_equal(oid, krb5, sizeof(krb5)));
    assert_false(der_oid_equal(oid, krb5, sizeof(krb5) - 1));
    r = RD(0x06, 0x02, 0x2a, 0x86); /* ends inside a subidentifier */
    assert_false(der_get_oid(&r, &oid));
    assert_true(r.err);
    r = RD(0x06, 0x03, 0x2a, 0x80, 0x01); /* leading 0x80 */
    assert_false(der_get_oid(&r, &oid));
    assert_true(r.err);
    r = RD(0x06, 0x00);
    assert_false(der_get_oid(&r, &oid));
    assert_true(r.err);

    struct wr w;
    wr_init(&w, 0, 64, 0);
    assert_false(der_put_oid(&w, (const uint8_t[]){ 0x2a, 0x86 }, 2));
    assert_true(w.err);
    wr_free(&w);
}

/* ---- writer -------------------------------------------------------------- */

static void check_put_header(size_t len, const uint8_t *enc, size_t n)
{
    struct wr w;
    wr_init(&w, 0, 64, 0);
    assert_true(der_put_header(&w, DER_SEQUENCE, len));
    assert_int_equal(w.len, n);
    assert_memory_equal(w.buf, enc, n);
    wr_free(&w);
}

static void test_headers_use_the_shortest_length(void **state)
{
    check_put_header(0, (const uint8_t[]){ 0x30, 0x00 }, 2);
    check_put_header(127, (const uint8_t[]){ 0x30, 0x7f }, 2);
    check_put_header(128, (const uint8_t[]){ 0x30, 0x81, 0x80 }, 3);
    check_put_header(256, (const uint8_t[]){ 0x30, 0x82, 0x01, 0x00 }, 4);
    check_put_header(0x1000000, (const uint8_t[]){ 0x30, 0x84, 0x01, 0x00, 0x00, 0x00 }, 6);
}

/* nested - n levels of [0] around an OCTET STRING of size bytes; parse back */
static void check_nested(size_t levels, size_t size)
{
    struct wr w;
    struct wr_mark m[8];
    uint8_t *data = malloc(size ? size : 1);
    assert_non_null(data);
    for (size_t k = 0; k < size; k++)
        data[k] = (uint8_t)(k * 7 + 1);
    wr_init(&w, 8, 1u << 20, 0);
    for (size_t i = 0; i < levels; i++)
        assert_true(der_open(&w, DER_CTX_C(i), &m[i]));
    assert_true(der_put_octets(&w, data, size));
    for (size_t i = levels; i-- > 0;)
        assert_true(der_close(&w, &m[i]));
    struct rd r = rd_init(w.buf, w.len), f;
    for (size_t i = 0; i < levels; i++) {
        assert_true(der_get(&r, DER_CTX_C(i), &f));
        assert_true(rd_done(&r));
        r = f;
    }
    struct rd s;
    assert_true(der_get_octets(&r, &s));
    assert_true(rd_done(&r));
    assert_int_equal(s.len, size);
    if (size)
        assert_memory_equal(s.p, data, size);
    wr_free(&w);
    free(data);
}

static void test_parse_of_build_round_trips_across_length_forms(void **state)
{
    static const size_t sizes[] = { 0, 1, 120, 125, 126, 127, 128, 250, 253, 254, 255, 256, 65530, 65535, 65536, 70000 };
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
        for (size_t levels = 0; levels <= 4; levels++)
            check_nested(levels, sizes[i]);
}

static void test_writer_errors_latch(void **state)
{
    uint8_t buf[4];
    struct wr w;
    struct wr_mark m;
    wr_init_fixed(&w, buf, sizeof(buf));
    assert_true(der_open(&w, DER_SEQUENCE, &m));
    assert_false(der_put_octets(&w, "abcdef", 6));
    assert_true(w.err);
    assert_false(der_close(&w, &m));
    assert_false(der_put_null(&w));
}

/* ---- published DER ----------------------------------------------------- */

/* rebuild - walk every element (constructed ones recursively) and write it
 * again with the writer; strict DER has one encoding, so the bytes match */
static bool rebuild(struct rd r, struct wr *w)
{
    while (r.len) {
        uint8_t tag;
        struct rd c;
        if (!der_peek(&r, &tag) || !der_get(&r, tag, &c))
            return false;
        if (tag & 0x20) {
            struct wr_mark m;
            if (!der_open(w, tag, &m) || !rebuild(c, w) || !der_close(w, &m))
                return false;
        } else if (!der_put(w, tag, c.p, c.len)) {
            return false;
        }
    }
    return !r.err;
}

static void test_published_cssp_encodings_walk_and_rebuild_exactly(void **state)
{
    static const char *const paths[] = {
        "tsrequest_encodings/synthetic_all_fields/der",
        "tsrequest_encodings/sspi_rs_ntlm_exchange/phase1_client_negotiate/der",
        "tsrequest_encodings/sspi_rs_ntlm_exchange/phase2_server_challenge/der",
        "tsrequest_encodings/sspi_rs_ntlm_exchange/phase3_client_authenticate/der",
        "tsrequest_encodings/sspi_rs_ntlm_exchange/phase4_server_pubkeyauth/der",
        "tsrequest_encodings/sspi_rs_ntlm_exchange/phase5_client_authinfo/der",
        "tsrequest_encodings/sspi_rs_ntlm_exchange/server_challenge_without_nonce/der",
        "tsrequest_encodings/sspi_rs_ntlm_exchange/with_error_code/der",
        "tscredentials_encodings/restricted_admin_empty_creds/der",
        "tscredentials_encodings/smart_card_creds_ms_cssp_section_4/der",
        "tscredentials_encodings/smart_card_creds_all_fields/der",
        "tscredentials_encodings/remote_guard_creds/no_supplemental/der",
        "tscredentials_encodings/remote_guard_creds/multiple_supplemental/der",
    };
    void *root = vec_load("ms-cssp.json");
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        size_t n;
        uint8_t *der = vec_hex(root, paths[i], &n);
        struct wr w;
        wr_init(&w, 0, 1u << 16, 0);
        assert_true(rebuild(rd_init(der, n), &w));
        assert_int_equal(w.len, n);
        assert_memory_equal(w.buf, der, n);
        /* and TSRequest.version is a small INTEGER in [0] */
        if (strncmp(paths[i], "tsrequest", 9) == 0) {
            struct rd r = rd_init(der, n), seq, f;
            int64_t version = 0;
            assert_true(der_get(&r, DER_SEQUENCE, &seq) && rd_done(&r));
            assert_true(der_get(&seq, DER_CTX_C(0), &f) && der_get_int(&f, &version) && rd_done(&f));
            assert_true(version >= 2 && version <= 6);
        }
        wr_free(&w);
        free(der);
    }
    vec_free(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lengths_decode_at_every_form_boundary),
        cmocka_unit_test(test_non_minimal_lengths_are_refused),
        cmocka_unit_test(test_indefinite_and_oversized_lengths_are_refused),
        cmocka_unit_test(test_tag_mismatch_does_not_latch_or_consume),
        cmocka_unit_test(test_optional_fields_parse_as_ifs),
        cmocka_unit_test(test_high_tag_number_form_is_refused),
        cmocka_unit_test(test_get_any_skips_unknown_elements),
        cmocka_unit_test(test_get_element_returns_the_whole_encoding),
        cmocka_unit_test(test_every_truncation_of_a_nested_structure_fails),
        cmocka_unit_test(test_trailing_bytes_are_refused),
        cmocka_unit_test(test_every_bit_flip_is_parsed_safely),
        cmocka_unit_test(test_integers_use_the_shortest_twos_complement_form),
        cmocka_unit_test(test_integers_with_redundant_sign_octets_are_refused),
        cmocka_unit_test(test_uint32_and_enumerated_ranges),
        cmocka_unit_test(test_booleans_and_nulls_are_strict),
        cmocka_unit_test(test_bit_strings_check_unused_bits),
        cmocka_unit_test(test_constructed_octet_strings_are_refused),
        cmocka_unit_test(test_oids_must_be_minimal_and_complete),
        cmocka_unit_test(test_headers_use_the_shortest_length),
        cmocka_unit_test(test_parse_of_build_round_trips_across_length_forms),
        cmocka_unit_test(test_writer_errors_latch),
        cmocka_unit_test(test_published_cssp_encodings_walk_and_rebuild_exactly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
