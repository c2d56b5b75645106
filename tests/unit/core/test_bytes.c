/* tests/unit/core/test_bytes.c - the byte cursor and writer (src/core/bytes.c):
 * every getter at every truncation, sticky errors, rd_slice bounds, writer growth,
 * ceilings, fixed buffers, patching and nested length marks (incl. DER forms). */
#include "core/bytes.h"

#include <stdlib.h>
#include <string.h>

#include "vectors.h"

static const uint8_t seq[8] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08 };

/* ---- reader ------------------------------------------------------------- */

static void test_rd_getters_decode_both_byte_orders(void **state)
{
    struct rd r = rd_init(seq, 8);
    uint8_t b;
    uint16_t h;
    uint32_t w;
    uint64_t q;

    assert_true(rd_u8(&r, &b));
    assert_int_equal(b, 0x01);
    assert_true(rd_u16le(&r, &h));
    assert_int_equal(h, 0x0302);
    assert_true(rd_u16be(&r, &h));
    assert_int_equal(h, 0x0405);
    assert_true(rd_u24be(&r, &w));
    assert_int_equal(w, 0x060708);
    assert_true(rd_done(&r));

    r = rd_init(seq, 8);
    assert_true(rd_u32le(&r, &w));
    assert_int_equal(w, 0x04030201);
    assert_true(rd_u32be(&r, &w));
    assert_int_equal(w, 0x05060708);
    r = rd_init(seq, 8);
    assert_true(rd_u64le(&r, &q));
    assert_true(q == 0x0807060504030201ull);
    assert_true(rd_done(&r));
}

/* one getter of each width, run on every prefix shorter than its width */
enum getter { G_U8, G_U16LE, G_U16BE, G_U24BE, G_U32LE, G_U32BE, G_U64LE, G_BYTES, G_COPY, G_SKIP, G_COUNT };

static size_t getter_width(enum getter g)
{
    static const size_t w[G_COUNT] = { 1, 2, 2, 3, 4, 4, 8, 5, 6, 7 };
    return w[g];
}

/* run_getter - returns the success flag; *value gets what was read (0 on failure) */
static bool run_getter(enum getter g, struct rd *r, uint64_t *value)
{
    uint8_t b = 0xee, buf[8];
    uint16_t h = 0xeeee;
    uint32_t w = 0xeeeeeeee;
    uint64_t q = 0xeeeeeeeeeeeeeeeeull;
    struct rd sub = { (const uint8_t *)"x", 1, true };
    bool ok;
    memset(buf, 0xee, sizeof(buf));
    switch (g) {
    case G_U8:
        ok = rd_u8(r, &b);
        *value = b;
        return ok;
    case G_U16LE:
        ok = rd_u16le(r, &h);
        *value = h;
        return ok;
    case G_U16BE:
        ok = rd_u16be(r, &h);
        *value = h;
        return ok;
    case G_U24BE:
        ok = rd_u24be(r, &w);
        *value = w;
        return ok;
    case G_U32LE:
        ok = rd_u32le(r, &w);
        *value = w;
        return ok;
    case G_U32BE:
        ok = rd_u32be(r, &w);
        *value = w;
        return ok;
    case G_U64LE:
        ok = rd_u64le(r, &q);
        *value = q;
        return ok;
    case G_BYTES:
        ok = rd_bytes(r, 5, &sub);
        *value = sub.len + (sub.err ? 1000 : 0) + (ok ? 0 : (sub.p != NULL) * 100);
        return ok;
    case G_COPY:
        ok = rd_copy(r, buf, 6);
        *value = 0;
        for (size_t i = 0; i < 6; i++)
            *value += buf[i];
        return ok;
    case G_SKIP:
        ok = rd_skip(r, 7);
        *value = 0;
        return ok;
    default:
        fail();
    }
    return false;
}

static void test_rd_every_getter_fails_at_every_truncation(void **state)
{
    for (enum getter g = 0; g < G_COUNT; g++) {
        size_t width = getter_width(g);
        for (size_t len = 0; len < width; len++) {
            struct rd r = rd_init(seq, len);
            uint64_t v = 12345;
            assert_false(run_getter(g, &r, &v));
            assert_true(v == 0); /* zero/empty value on failure */
            assert_true(r.err);
            assert_int_equal(r.len, 0);
            assert_false(rd_done(&r));
        }
        struct rd r = rd_init(seq, width);
        uint64_t v;
        assert_true(run_getter(g, &r, &v));
        assert_true(rd_done(&r));
    }
}

static void test_rd_error_is_sticky(void **state)
{
    for (enum getter g = 0; g < G_COUNT; g++) {
        struct rd r = rd_init(seq, 8);
        struct rd sub;
        uint64_t v = 1;
        assert_false(rd_bytes(&r, 9, &sub)); /* first failure */
        assert_int_equal(sub.len, 0);
        assert_false(run_getter(g, &r, &v));
        assert_true(v == 0);
        assert_true(r.err);
    }
    /* a latched error fails even a read that would fit */
    struct rd r = rd_init(seq, 8);
    uint8_t b = 9;
    r.err = true;
    assert_false(rd_u8(&r, &b));
    assert_int_equal(b, 0);
    assert_false(rd_skip(&r, 0));
    assert_false(rd_done(&r));
}

static void test_rd_fail_latches_and_empties(void **state)
{
    struct rd r = rd_init(seq, 8);
    uint16_t h = 7;
    assert_false(rd_fail(&r));
    assert_true(r.err);
    assert_int_equal(r.len, 0);
    assert_false(rd_u16le(&r, &h));
    assert_int_equal(h, 0);
}

static void test_rd_bytes_aliases_and_consumes(void **state)
{
    struct rd r = rd_init(seq, 8), sub;
    uint8_t buf[3];
    assert_true(rd_bytes(&r, 3, &sub));
    assert_ptr_equal(sub.p, seq);
    assert_int_equal(sub.len, 3);
    assert_false(sub.err);
    assert_true(rd_copy(&r, buf, 3));
    assert_memory_equal(buf, seq + 3, 3);
    assert_true(rd_skip(&r, 1));
    assert_int_equal(r.len, 1);
    assert_true(rd_bytes(&r, 0, &sub));
    assert_int_equal(sub.len, 0);
    assert_false(rd_done(&r));
    assert_true(rd_skip(&r, 1));
    assert_true(rd_done(&r));
}

static void test_rd_bytes_rejects_huge_lengths(void **state)
{
    struct rd r = rd_init(seq, 8), sub;
    assert_false(rd_bytes(&r, SIZE_MAX, &sub));
    assert_true(r.err);
    r = rd_init(seq, 8);
    assert_false(rd_skip(&r, SIZE_MAX));
}

static void test_rd_init_null_is_empty(void **state)
{
    struct rd r = rd_init(NULL, 100);
    uint8_t b;
    assert_int_equal(r.len, 0);
    assert_true(rd_done(&r));
    assert_false(rd_u8(&r, &b));
}

static void test_rd_slice_accepts_in_bounds_views(void **state)
{
    struct rd msg = rd_init(seq, 8), s;
    assert_true(rd_slice(&msg, 0, 8, &s));
    assert_ptr_equal(s.p, seq);
    assert_int_equal(s.len, 8);
    assert_true(rd_slice(&msg, 7, 1, &s));
    assert_ptr_equal(s.p, seq + 7);
    assert_true(rd_slice(&msg, 3, 5, &s));
    assert_int_equal(s.len, 5);
    assert_int_equal(msg.len, 8); /* nothing consumed */
    assert_false(msg.err);
}

static void test_rd_slice_empty_view_at_any_offset(void **state)
{
    struct rd msg = rd_init(seq, 8), s;
    const size_t offs[] = { 0, 8, 9, 0xffffffffu, SIZE_MAX };
    for (size_t i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
        assert_true(rd_slice(&msg, offs[i], 0, &s));
        assert_int_equal(s.len, 0);
    }
}

static void test_rd_slice_rejects_out_of_bounds_and_overflow(void **state)
{
    struct rd msg = rd_init(seq, 8), s;
    const struct {
        size_t off, n;
    } bad[] = {
        { 0, 9 }, { 7, 2 }, { 8, 1 }, { 9, 1 }, { 1, SIZE_MAX }, { SIZE_MAX, 1 }, { SIZE_MAX, SIZE_MAX },
        { SIZE_MAX - 7, 8 }, { 2, SIZE_MAX - 1 }, { 0xffffffffu, 0xffff },
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        s = rd_init(seq, 1);
        assert_false(rd_slice(&msg, bad[i].off, bad[i].n, &s));
        assert_int_equal(s.len, 0);
    }
    assert_false(msg.err); /* the message itself is untouched */
}

static void test_rd_slice_of_errored_cursor_fails(void **state)
{
    struct rd msg = rd_init(seq, 8), s;
    msg.err = true;
    assert_false(rd_slice(&msg, 0, 1, &s));
    assert_false(rd_slice(&msg, 0, 0, &s));
}

/* ---- writer ------------------------------------------------------------- */

static void test_wr_hint_zero_allocates_lazily(void **state)
{
    struct wr w;
    wr_init(&w, 0, 1024, 0);
    assert_null(w.buf);
    assert_int_equal(w.cap, 0);
    assert_true(wr_u8(&w, 0x5a));
    assert_non_null(w.buf);
    assert_int_equal(w.len, 1);
    wr_free(&w);
    assert_null(w.buf);
}

static void test_wr_writes_all_widths(void **state)
{
    static const uint8_t want[] = { 0x01, 0x03, 0x02, 0x07, 0x06, 0x05, 0x04, 0x0f, 0x0e, 0x0d, 0x0c, 0x0b,
                                    0x0a, 0x09, 0x08, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18,
                                    0x00, 0x00, 0xaa, 0xbb };
    static const uint8_t ab[2] = { 0xaa, 0xbb };
    struct wr w;
    wr_init(&w, 4, 1024, 0);
    assert_true(wr_u8(&w, 0x01));
    assert_true(wr_u16le(&w, 0x0203));
    assert_true(wr_u32le(&w, 0x04050607));
    assert_true(wr_u64le(&w, 0x08090a0b0c0d0e0full));
    assert_true(wr_u16be(&w, 0x1011));
    assert_true(wr_u24be(&w, 0x121314));
    assert_true(wr_u32be(&w, 0x15161718));
    assert_true(wr_zeros(&w, 2));
    assert_true(wr_bytes(&w, ab, 2));
    assert_true(wr_bytes(&w, NULL, 0));
    assert_int_equal(w.len, sizeof(want));
    assert_memory_equal(w.buf, want, sizeof(want));
    wr_free(&w);
}

static void test_wr_u24be_rejects_values_over_24_bits(void **state)
{
    struct wr w;
    wr_init(&w, 0, 16, 0);
    assert_false(wr_u24be(&w, 0x1000000));
    assert_true(w.err);
    wr_free(&w);
}

static void run_growth(unsigned flags)
{
    struct wr w;
    wr_init(&w, 3, 100000, flags);
    for (uint32_t i = 0; i < 10000; i++)
        assert_true(wr_u32le(&w, i));
    assert_int_equal(w.len, 40000);
    struct rd r = rd_init(w.buf, w.len);
    for (uint32_t i = 0; i < 10000; i++) {
        uint32_t v;
        assert_true(rd_u32le(&r, &v));
        assert_int_equal(v, i);
    }
    assert_true(w.cap <= w.max);
    wr_free(&w);
}

static void test_wr_grows_and_keeps_contents(void **state)
{
    run_growth(0);
}

static void test_wr_zap_grows_and_keeps_contents(void **state)
{
    run_growth(WR_ZAP);
}

static void test_wr_ceiling_is_exact_and_sticky(void **state)
{
    for (unsigned flags = 0; flags <= WR_ZAP; flags++) {
        struct wr w;
        wr_init(&w, 0, 10, flags);
        assert_true(wr_zeros(&w, 10));
        assert_false(w.err);
        assert_false(wr_u8(&w, 1));
        assert_true(w.err);
        assert_int_equal(w.len, 10);
        assert_false(wr_bytes(&w, NULL, 0)); /* sticky, even for nothing */
        wr_free(&w);

        wr_init(&w, 1000, 10, flags); /* hint above the ceiling */
        assert_true(w.cap <= 10);
        assert_false(wr_zeros(&w, 11));
        assert_false(wr_zeros(&w, 1));
        wr_free(&w);

        wr_init(&w, 0, 10, flags);
        assert_true(wr_u8(&w, 1));
        assert_false(wr_zeros(&w, SIZE_MAX)); /* no wrap-around */
        assert_int_equal(w.len, 1);
        wr_free(&w);
    }
}

static void test_wr_fixed_buffer_overflows_cleanly(void **state)
{
    uint8_t buf[6];
    struct wr w;
    size_t len = 99;
    memset(buf, 0xcc, sizeof(buf));
    wr_init_fixed(&w, buf, 5);
    assert_true(wr_u32be(&w, 0x01020304));
    assert_false(wr_u16le(&w, 0x0506)); /* 6 > 5 */
    assert_true(w.err);
    assert_false(wr_u8(&w, 5)); /* would fit, but the error is sticky */
    assert_int_equal(w.len, 4);
    assert_int_equal(buf[4], 0xcc);
    assert_int_equal(buf[5], 0xcc);
    assert_null(wr_steal(&w, &len));
    assert_int_equal(len, 0);
    wr_free(&w); /* never frees caller memory */
    assert_int_equal(buf[0], 0x01);
}

static void test_wr_fixed_buffer_fills_exactly(void **state)
{
    uint8_t buf[4];
    struct wr w;
    wr_init_fixed(&w, buf, sizeof(buf));
    assert_true(wr_u32le(&w, 0xa1b2c3d4));
    assert_false(w.err);
    assert_ptr_equal(w.buf, buf);
    assert_int_equal(buf[0], 0xd4);
}

static void test_wr_patch_in_range_and_rejects_out_of_range(void **state)
{
    static const uint8_t want[] = { 0xee, 0x34, 0x12, 0x78, 0x56, 0x34, 0x12, 0xab, 0xcd, 0xee };
    static const uint8_t abcd[2] = { 0xab, 0xcd };
    struct wr w;
    size_t at;
    wr_init(&w, 0, 64, 0);
    assert_true(wr_u8(&w, 0xee));
    assert_true(wr_reserve(&w, 8, &at));
    assert_int_equal(at, 1);
    assert_true(wr_u8(&w, 0xee));
    assert_true(wr_patch_u16le(&w, at, 0x1234));
    assert_true(wr_patch_u32le(&w, at + 2, 0x12345678));
    assert_true(wr_patch_bytes(&w, at + 6, abcd, 2));
    assert_true(wr_patch_bytes(&w, w.len, NULL, 0));
    assert_memory_equal(w.buf, want, sizeof(want));
    assert_int_equal(w.len, sizeof(want));
    assert_false(wr_patch_u16le(&w, w.len - 1, 0)); /* one byte over the end */
    assert_true(w.err);
    wr_free(&w);

    const size_t bad_at[] = { 10, 11, 9, SIZE_MAX, SIZE_MAX - 1 };
    for (size_t i = 0; i < sizeof(bad_at) / sizeof(bad_at[0]); i++) {
        wr_init(&w, 0, 64, 0);
        assert_true(wr_zeros(&w, 10));
        assert_false(wr_patch_u32le(&w, bad_at[i], 0));
        assert_true(w.err);
        wr_free(&w);
    }
}

static void test_wr_reserve_writes_zeros(void **state)
{
    struct wr w;
    size_t at;
    wr_init(&w, 0, 64, 0);
    assert_true(wr_u16le(&w, 0xffff));
    assert_true(wr_reserve(&w, 4, &at));
    assert_int_equal(at, 2);
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(w.buf[at + i], 0);
    wr_free(&w);
}

static void test_wr_fixed_width_lengths(void **state)
{
    static const uint8_t want[] = {
        0x0c, 0x00, 0x00, 0x00, /* LEN_U32LE over everything below */
        0x08,                   /* LEN_U8 over the next two regions */
        0x00, 0x02, 0xaa, 0xbb, /* LEN_U16BE */
        0x00, 0x00, 0x01, 0xcc, /* LEN_U24BE */
        0x01, 0x00, 0xdd,       /* LEN_U16LE */
    };
    struct wr w;
    struct wr_mark m32, m8, m16, m24, m16le;
    wr_init(&w, 0, 64, 0);
    assert_true(wr_open(&w, &m32, LEN_U32LE));
    assert_true(wr_open(&w, &m8, LEN_U8));
    assert_true(wr_open(&w, &m16, LEN_U16BE));
    assert_true(wr_u16be(&w, 0xaabb));
    assert_true(wr_close(&w, &m16));
    assert_true(wr_open(&w, &m24, LEN_U24BE));
    assert_true(wr_u8(&w, 0xcc));
    assert_true(wr_close(&w, &m24));
    assert_true(wr_close(&w, &m8));
    assert_true(wr_open(&w, &m16le, LEN_U16LE));
    assert_true(wr_u8(&w, 0xdd));
    assert_true(wr_close(&w, &m16le));
    assert_true(wr_close(&w, &m32));
    assert_int_equal(w.len, sizeof(want));
    assert_memory_equal(w.buf, want, sizeof(want));
    wr_free(&w);
}

static void test_wr_close_rejects_length_over_field_width(void **state)
{
    const struct {
        enum wr_len_kind kind;
        size_t fits, over;
    } c[] = {
        { LEN_U8, 0xff, 0x100 },
        { LEN_U16BE, 0xffff, 0x10000 },
        { LEN_U16LE, 0xffff, 0x10000 },
    };
    for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
        struct wr w;
        struct wr_mark m;
        wr_init(&w, 0, 0x20000, 0);
        assert_true(wr_open(&w, &m, c[i].kind));
        assert_true(wr_zeros(&w, c[i].fits));
        assert_true(wr_close(&w, &m));
        wr_free(&w);
        wr_init(&w, 0, 0x20000, 0);
        assert_true(wr_open(&w, &m, c[i].kind));
        assert_true(wr_zeros(&w, c[i].over));
        assert_false(wr_close(&w, &m));
        assert_true(w.err);
        wr_free(&w);
    }
}

/* der_case - contents of n bytes (a counting pattern) under a LEN_DER mark */
static void der_case(size_t n, const uint8_t *len_bytes, size_t len_width)
{
    struct wr w;
    struct wr_mark m;
    wr_init(&w, 0, n + 16, 0);
    assert_true(wr_u8(&w, 0x04)); /* a tag before the mark */
    assert_true(wr_open(&w, &m, LEN_DER));
    for (size_t i = 0; i < n; i++)
        assert_true(wr_u8(&w, (uint8_t)i));
    assert_true(wr_close(&w, &m));
    assert_int_equal(w.len, 1 + len_width + n);
    assert_int_equal(w.buf[0], 0x04);
    assert_memory_equal(w.buf + 1, len_bytes, len_width);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(w.buf[1 + len_width + i], (uint8_t)i);
    wr_free(&w);
}

static void test_wr_der_lengths_are_minimal_definite(void **state)
{
    der_case(0, (const uint8_t[]){ 0x00 }, 1);
    der_case(1, (const uint8_t[]){ 0x01 }, 1);
    der_case(127, (const uint8_t[]){ 0x7f }, 1);
    der_case(128, (const uint8_t[]){ 0x81, 0x80 }, 2);
    der_case(255, (const uint8_t[]){ 0x81, 0xff }, 2);
    der_case(256, (const uint8_t[]){ 0x82, 0x01, 0x00 }, 3);
    der_case(65535, (const uint8_t[]){ 0x82, 0xff, 0xff }, 3);
    der_case(65536, (const uint8_t[]){ 0x83, 0x01, 0x00, 0x00 }, 4);
}

static void test_wr_der_close_respects_ceiling(void **state)
{
    struct wr w;
    struct wr_mark m;
    wr_init(&w, 0, 1 + 200, 0); /* room for a short length, not a long one */
    assert_true(wr_open(&w, &m, LEN_DER));
    assert_true(wr_zeros(&w, 200));
    assert_false(wr_close(&w, &m));
    assert_true(w.err);
    wr_free(&w);

    uint8_t buf[2 + 130];
    wr_init_fixed(&w, buf, sizeof(buf));
    assert_true(wr_open(&w, &m, LEN_DER));
    assert_true(wr_zeros(&w, 130));
    assert_true(wr_close(&w, &m)); /* exactly fits 81 82 */
    assert_int_equal(buf[0], 0x81);
    assert_int_equal(buf[1], 130);
}

static void test_wr_nested_marks_survive_moves(void **state)
{
    /* SEQUENCE { OCTET STRING (200 bytes) } with a U16BE frame around it: the inner
     * DER close moves the contents, then the outer one moves them again. */
    struct wr w;
    struct wr_mark frame, outer, inner;
    wr_init(&w, 2, 4096, WR_ZAP);
    assert_true(wr_open(&w, &frame, LEN_U16BE));
    assert_true(wr_u8(&w, 0x30));
    assert_true(wr_open(&w, &outer, LEN_DER));
    assert_true(wr_u8(&w, 0x04));
    assert_true(wr_open(&w, &inner, LEN_DER));
    for (int i = 0; i < 200; i++)
        assert_true(wr_u8(&w, (uint8_t)i));
    assert_true(wr_close(&w, &inner));
    assert_true(wr_close(&w, &outer));
    assert_true(wr_close(&w, &frame));
    static const uint8_t head[] = { 0x00, 0xce, 0x30, 0x81, 0xcb, 0x04, 0x81, 0xc8 };
    assert_int_equal(w.len, 2 + 1 + 2 + 1 + 2 + 200);
    assert_memory_equal(w.buf, head, sizeof(head));
    for (int i = 0; i < 200; i++)
        assert_int_equal(w.buf[8 + i], (uint8_t)i);
    wr_free(&w);
}

static void test_wr_close_of_a_failed_writer_fails(void **state)
{
    struct wr w;
    struct wr_mark m;
    wr_init(&w, 0, 4, 0);
    assert_true(wr_open(&w, &m, LEN_U8));
    assert_false(wr_zeros(&w, 4));
    assert_false(wr_close(&w, &m));
    wr_free(&w);
}

static void test_wr_steal_hands_over_the_buffer(void **state)
{
    struct wr w;
    size_t len = 0;
    wr_init(&w, 0, 64, WR_ZAP);
    assert_true(wr_u16be(&w, 0xbeef));
    uint8_t *b = wr_steal(&w, &len);
    assert_non_null(b);
    assert_int_equal(len, 2);
    assert_int_equal(b[0], 0xbe);
    assert_null(w.buf);
    assert_int_equal(w.len, 0);
    wr_free(&w); /* nothing left to free */
    free(b);

    wr_init(&w, 0, 64, 0); /* nothing written: an empty but real buffer */
    b = wr_steal(&w, &len);
    assert_non_null(b);
    assert_int_equal(len, 0);
    free(b);

    wr_init(&w, 0, 1, 0); /* failed writer: NULL, buffer released */
    assert_false(wr_u16le(&w, 1));
    len = 7;
    assert_null(wr_steal(&w, &len));
    assert_int_equal(len, 0);
    assert_null(w.buf);
}

static void test_wr_fail_latches(void **state)
{
    struct wr w;
    wr_init(&w, 0, 64, 0);
    assert_false(wr_fail(&w));
    assert_false(wr_u8(&w, 1));
    assert_int_equal(w.len, 0);
    wr_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rd_getters_decode_both_byte_orders),
        cmocka_unit_test(test_rd_every_getter_fails_at_every_truncation),
        cmocka_unit_test(test_rd_error_is_sticky),
        cmocka_unit_test(test_rd_fail_latches_and_empties),
        cmocka_unit_test(test_rd_bytes_aliases_and_consumes),
        cmocka_unit_test(test_rd_bytes_rejects_huge_lengths),
        cmocka_unit_test(test_rd_init_null_is_empty),
        cmocka_unit_test(test_rd_slice_accepts_in_bounds_views),
        cmocka_unit_test(test_rd_slice_empty_view_at_any_offset),
        cmocka_unit_test(test_rd_slice_rejects_out_of_bounds_and_overflow),
        cmocka_unit_test(test_rd_slice_of_errored_cursor_fails),
        cmocka_unit_test(test_wr_hint_zero_allocates_lazily),
        cmocka_unit_test(test_wr_writes_all_widths),
        cmocka_unit_test(test_wr_u24be_rejects_values_over_24_bits),
        cmocka_unit_test(test_wr_grows_and_keeps_contents),
        cmocka_unit_test(test_wr_zap_grows_and_keeps_contents),
        cmocka_unit_test(test_wr_ceiling_is_exact_and_sticky),
        cmocka_unit_test(test_wr_fixed_buffer_overflows_cleanly),
        cmocka_unit_test(test_wr_fixed_buffer_fills_exactly),
        cmocka_unit_test(test_wr_patch_in_range_and_rejects_out_of_range),
        cmocka_unit_test(test_wr_reserve_writes_zeros),
        cmocka_unit_test(test_wr_fixed_width_lengths),
        cmocka_unit_test(test_wr_close_rejects_length_over_field_width),
        cmocka_unit_test(test_wr_der_lengths_are_minimal_definite),
        cmocka_unit_test(test_wr_der_close_respects_ceiling),
        cmocka_unit_test(test_wr_nested_marks_survive_moves),
        cmocka_unit_test(test_wr_close_of_a_failed_writer_fails),
        cmocka_unit_test(test_wr_steal_hands_over_the_buffer),
        cmocka_unit_test(test_wr_fail_latches),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
