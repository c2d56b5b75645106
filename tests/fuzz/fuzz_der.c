/* tests/fuzz/fuzz_der.c - the strict DER reader (src/asn1/der.c) on arbitrary
 * input: walk every element as a tree (constructed tags recursively, up to a
 * depth), try the typed getters on primitive ones, and rebuild what was
 * accepted with the writer. Strict DER has one encoding per value, so the
 * rebuilt bytes must equal the accepted input exactly; anything else aborts. */
#include "asn1/der.h"

#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 24

/* typed - run the typed getter that matches tag on a copy of the element (it
 * may fail: only crashes and overreads matter here) and check what it accepts
 * re-encodes to the same bytes. */
static void typed(uint8_t tag, struct rd el)
{
    struct wr w;
    struct rd r = el, v;
    int64_t i;
    uint32_t u;
    bool b;
    uint8_t unused;
    bool ok;
    wr_init(&w, 16, 1u << 20, 0);
    switch (tag) {
    case DER_INTEGER:
        ok = der_get_int(&r, &i) && der_put_int(&w, i);
        if (!ok) {
            r = el;
            ok = der_get_uint32(&r, &u) && der_put_int(&w, (int64_t)u);
        }
        break;
    case DER_ENUMERATED:
        ok = der_get_enum(&r, &u) && der_put_enum(&w, u);
        break;
    case DER_BOOLEAN:
        ok = der_get_bool(&r, &b) && der_put_bool(&w, b);
        break;
    case DER_NULL:
        ok = der_get_null(&r) && der_put_null(&w);
        break;
    case DER_OID:
        ok = der_get_oid(&r, &v) && der_put_oid(&w, v.p, v.len);
        break;
    case DER_BIT_STRING:
        ok = der_get_bitstring(&r, &v, &unused) && der_put_bitstring(&w, v.p, v.len, unused);
        break;
    case DER_OCTET_STRING:
        ok = der_get_octets(&r, &v) && der_put_octets(&w, v.p, v.len);
        break;
    default:
        ok = false;
        break;
    }
    if (ok && (!rd_done(&r) || w.len != el.len || memcmp(w.buf, el.p, el.len) != 0))
        abort();
    wr_free(&w);
}

/* walk - parse the elements of r, appending their re-encoding to w; false
 * when r holds anything that is not strict DER. */
static bool walk(struct rd r, struct wr *w, int depth)
{
    while (r.len) {
        uint8_t tag;
        struct rd c, el, copy = r;
        if (!der_peek(&r, &tag) || !der_get_element(&copy, tag, &el) || !der_get(&r, tag, &c))
            return false;
        if (el.p + el.len != r.p || c.p + c.len != r.p)
            abort(); /* the element and its contents end where the cursor is */
        if ((tag & 0x20) && depth < MAX_DEPTH) {
            struct wr_mark m;
            if (!der_open(w, tag, &m) || !walk(c, w, depth + 1) || !der_close(w, &m))
                return false;
        } else {
            typed(tag, el);
            if (!der_put(w, tag, c.p, c.len))
                return false;
        }
    }
    return !r.err;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct wr w;
    wr_init(&w, size + 16, size + 64, 0);
    if (walk(rd_init(data, size), &w, 0)) {
        if (w.err || w.len != size || (size && memcmp(w.buf, data, size) != 0))
            abort();
    }
    wr_free(&w);
    return 0;
}
