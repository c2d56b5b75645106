/* src/asn1/der.c - strict DER reader and writer (see der.h)
 * Implements the X.690 8.1 identifier and length octets under the DER
 * restrictions of X.690 10.1 (definite, shortest length) and the contents
 * rules of 8.2 (BOOLEAN, 11.1), 8.3 (INTEGER), 8.4 (ENUMERATED), 8.6 (BIT
 * STRING, 11.2), 8.7 (OCTET STRING, primitive only), 8.8 (NULL) and 8.19
 * (OBJECT IDENTIFIER). */
#include "asn1/der.h"

#include <string.h>

/* element_header - decode the identifier and length octets at the start of r
 * without consuming anything. Returns 1 with *tag, *hdr (header size) and *len
 * set when they are well formed and the contents fit in r; 0 when r is empty
 * or failed; -1 when they are malformed (multi-byte tag form, indefinite or
 * non-minimal length, more than 4 length octets, contents past the end). */
static int element_header(const struct rd *r, uint8_t *tag, size_t *hdr, size_t *len)
{
    if (r->err || r->len == 0)
        return 0;
    const uint8_t *p = r->p;
    *tag = p[0];
    if ((p[0] & 0x1f) == 0x1f) /* high-tag-number form: never used here */
        return -1;
    if (r->len < 2)
        return -1;
    size_t n = p[1];
    size_t h = 2;
    if (n & 0x80) {
        size_t octets = n & 0x7f;
        if (octets == 0 || octets > 4) /* indefinite, or absurdly long */
            return -1;
        if (r->len - 2 < octets)
            return -1;
        if (p[2] == 0) /* leading zero octet: not the shortest form */
            return -1;
        n = 0;
        for (size_t i = 0; i < octets; i++)
            n = n << 8 | p[2 + i];
        if (n < 0x80) /* the short form would do */
            return -1;
        h += octets;
    }
    if (n > r->len - h)
        return -1;
    *hdr = h;
    *len = n;
    return 1;
}

bool der_peek(const struct rd *r, uint8_t *tag)
{
    *tag = 0;
    if (r->err || r->len == 0)
        return false;
    *tag = r->p[0];
    return true;
}

/* take - consume an element whose header was decoded; *whole or *contents. */
static bool take(struct rd *r, size_t hdr, size_t len, struct rd *whole, struct rd *contents)
{
    struct rd el;
    if (!rd_bytes(r, hdr + len, &el))
        return false;
    if (whole)
        *whole = el;
    if (contents)
        *contents = rd_init(el.p + hdr, len);
    return true;
}

bool der_get(struct rd *r, uint8_t tag, struct rd *contents)
{
    uint8_t t;
    size_t hdr, len;
    *contents = rd_init(NULL, 0);
    if (r->err || r->len == 0 || r->p[0] != tag)
        return false;
    int st = element_header(r, &t, &hdr, &len);
    if (st < 0)
        return rd_fail(r);
    return st > 0 && take(r, hdr, len, NULL, contents);
}

bool der_get_element(struct rd *r, uint8_t tag, struct rd *element)
{
    uint8_t t;
    size_t hdr, len;
    *element = rd_init(NULL, 0);
    if (r->err || r->len == 0 || r->p[0] != tag)
        return false;
    int st = element_header(r, &t, &hdr, &len);
    if (st < 0)
        return rd_fail(r);
    return st > 0 && take(r, hdr, len, element, NULL);
}

bool der_get_any(struct rd *r, uint8_t *tag, struct rd *contents)
{
    size_t hdr, len;
    *contents = rd_init(NULL, 0);
    *tag = 0;
    int st = element_header(r, tag, &hdr, &len);
    if (st <= 0)
        return rd_fail(r);
    return take(r, hdr, len, NULL, contents);
}

/* get_required - the next element must carry tag: latch otherwise. */
static bool get_required(struct rd *r, uint8_t tag, struct rd *contents)
{
    if (der_get(r, tag, contents))
        return true;
    return rd_fail(r);
}

bool der_get_octets(struct rd *r, struct rd *out)
{
    return get_required(r, DER_OCTET_STRING, out);
}

bool der_oid_valid(const uint8_t *p, size_t n)
{
    if (n == 0 || n > DER_MAX_OID)
        return false;
    bool start = true; /* at the first octet of a subidentifier */
    for (size_t i = 0; i < n; i++) {
        if (start && p[i] == 0x80)
            return false;
        start = (p[i] & 0x80) == 0;
    }
    return start; /* the last octet ended a subidentifier */
}

bool der_get_oid(struct rd *r, struct rd *out)
{
    struct rd c;
    *out = rd_init(NULL, 0);
    if (!get_required(r, DER_OID, &c))
        return false;
    if (!der_oid_valid(c.p, c.len))
        return rd_fail(r);
    *out = c;
    return true;
}

bool der_oid_equal(struct rd a, const uint8_t *b, size_t n)
{
    return !a.err && a.len == n && (n == 0 || memcmp(a.p, b, n) == 0);
}

/* integer_contents - shortest two's-complement contents of at most 8 octets,
 * as a signed value. */
static bool integer_contents(struct rd c, int64_t *v)
{
    *v = 0;
    if (c.len == 0 || c.len > 8)
        return false;
    if (c.len > 1) {
        /* X.690 8.3.2: the first 9 bits must not be all zeros or all ones */
        if ((c.p[0] == 0x00 && !(c.p[1] & 0x80)) || (c.p[0] == 0xff && (c.p[1] & 0x80)))
            return false;
    }
    uint64_t u = (c.p[0] & 0x80) ? UINT64_MAX : 0;
    for (size_t i = 0; i < c.len; i++)
        u = u << 8 | c.p[i];
    memcpy(v, &u, sizeof(*v)); /* two's complement, without implementation-defined conversion */
    return true;
}

/* integer_u32 - non-negative shortest contents (up to 5 octets) in 0..UINT32_MAX */
static bool integer_u32(struct rd c, uint32_t *v)
{
    int64_t s;
    *v = 0;
    if (c.len > 5 || !integer_contents(c, &s) || s < 0 || s > (int64_t)UINT32_MAX)
        return false;
    *v = (uint32_t)s;
    return true;
}

bool der_get_int(struct rd *r, int64_t *v)
{
    struct rd c;
    *v = 0;
    if (!get_required(r, DER_INTEGER, &c))
        return false;
    return integer_contents(c, v) || rd_fail(r);
}

bool der_get_uint32(struct rd *r, uint32_t *v)
{
    struct rd c;
    *v = 0;
    if (!get_required(r, DER_INTEGER, &c))
        return false;
    return integer_u32(c, v) || rd_fail(r);
}

bool der_get_enum(struct rd *r, uint32_t *v)
{
    struct rd c;
    *v = 0;
    if (!get_required(r, DER_ENUMERATED, &c))
        return false;
    return integer_u32(c, v) || rd_fail(r);
}

bool der_get_bool(struct rd *r, bool *v)
{
    struct rd c;
    *v = false;
    if (!get_required(r, DER_BOOLEAN, &c))
        return false;
    if (c.len != 1 || (c.p[0] != 0x00 && c.p[0] != 0xff))
        return rd_fail(r);
    *v = c.p[0] == 0xff;
    return true;
}

bool der_get_null(struct rd *r)
{
    struct rd c;
    if (!get_required(r, DER_NULL, &c))
        return false;
    return c.len == 0 || rd_fail(r);
}

bool der_get_bitstring(struct rd *r, struct rd *bits, uint8_t *unused)
{
    struct rd c;
    *bits = rd_init(NULL, 0);
    *unused = 0;
    if (!get_required(r, DER_BIT_STRING, &c))
        return false;
    if (c.len == 0)
        return rd_fail(r);
    uint8_t u = c.p[0];
    if (u > 7 || (c.len == 1 && u != 0))
        return rd_fail(r);
    if (u && (c.p[c.len - 1] & ((1u << u) - 1)) != 0) /* DER: unused bits are zero */
        return rd_fail(r);
    *bits = rd_init(c.p + 1, c.len - 1);
    *unused = u;
    return true;
}

/* ---- writing ------------------------------------------------------------- */

bool der_open(struct wr *w, uint8_t tag, struct wr_mark *m)
{
    m->at = 0;
    m->kind = LEN_DER;
    return wr_u8(w, tag) && wr_open(w, m, LEN_DER);
}

bool der_close(struct wr *w, const struct wr_mark *m)
{
    return wr_close(w, m);
}

bool der_put_header(struct wr *w, uint8_t tag, size_t len)
{
    if (!wr_u8(w, tag))
        return false;
    if (len < 0x80)
        return wr_u8(w, (uint8_t)len);
    uint8_t b[5];
    size_t n = 0;
    for (size_t v = len; v; v >>= 8)
        n++;
    if (n > 4)
        return wr_fail(w);
    b[0] = (uint8_t)(0x80 | n);
    for (size_t i = 0; i < n; i++)
        b[1 + i] = (uint8_t)(len >> (8 * (n - 1 - i)));
    return wr_bytes(w, b, n + 1);
}

bool der_put(struct wr *w, uint8_t tag, const void *p, size_t n)
{
    return der_put_header(w, tag, n) && wr_bytes(w, p, n);
}

bool der_put_octets(struct wr *w, const void *p, size_t n)
{
    return der_put(w, DER_OCTET_STRING, p, n);
}

bool der_put_oid(struct wr *w, const uint8_t *oid, size_t n)
{
    if (!der_oid_valid(oid, n))
        return wr_fail(w);
    return der_put(w, DER_OID, oid, n);
}

/* put_integer - tag and the shortest two's-complement form of v */
static bool put_integer(struct wr *w, uint8_t tag, int64_t v)
{
    uint8_t b[8];
    uint64_t u;
    memcpy(&u, &v, sizeof(u));
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(u >> (8 * (7 - i)));
    size_t start = 0;
    while (start < 7 && ((b[start] == 0x00 && !(b[start + 1] & 0x80)) || (b[start] == 0xff && (b[start + 1] & 0x80))))
        start++;
    return der_put(w, tag, b + start, 8 - start);
}

bool der_put_int(struct wr *w, int64_t v)
{
    return put_integer(w, DER_INTEGER, v);
}

bool der_put_enum(struct wr *w, uint32_t v)
{
    return put_integer(w, DER_ENUMERATED, (int64_t)v);
}

bool der_put_bool(struct wr *w, bool v)
{
    uint8_t b = v ? 0xff : 0x00;
    return der_put(w, DER_BOOLEAN, &b, 1);
}

bool der_put_null(struct wr *w)
{
    return der_put_header(w, DER_NULL, 0);
}

bool der_put_bitstring(struct wr *w, const uint8_t *bits, size_t n, uint8_t unused)
{
    if (unused > 7 || (n == 0 && unused != 0))
        return wr_fail(w);
    if (unused && (bits[n - 1] & ((1u << unused) - 1)) != 0)
        return wr_fail(w);
    if (n == SIZE_MAX)
        return wr_fail(w);
    return der_put_header(w, DER_BIT_STRING, n + 1) && wr_u8(w, unused) && wr_bytes(w, bits, n);
}
