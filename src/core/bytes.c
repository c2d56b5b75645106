/* src/core/bytes.c - bounds-checked byte cursor and writer (see bytes.h) */
#include "core/bytes.h"

#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

bool rd_fail(struct rd *r)
{
    r->err = true;
    if (r->p)
        r->p += r->len;
    r->len = 0;
    return false;
}

static bool rd_take(struct rd *r, size_t n, const uint8_t **p)
{
    if (r->err || n > r->len)
        return rd_fail(r);
    *p = r->p;
    if (n) {
        r->p += n;
        r->len -= n;
    }
    return true;
}

bool rd_u8(struct rd *r, uint8_t *v)
{
    const uint8_t *p;
    *v = 0;
    if (!rd_take(r, 1, &p))
        return false;
    *v = p[0];
    return true;
}

bool rd_u16le(struct rd *r, uint16_t *v)
{
    const uint8_t *p;
    *v = 0;
    if (!rd_take(r, 2, &p))
        return false;
    *v = (uint16_t)(p[0] | p[1] << 8);
    return true;
}

bool rd_u32le(struct rd *r, uint32_t *v)
{
    const uint8_t *p;
    *v = 0;
    if (!rd_take(r, 4, &p))
        return false;
    *v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    return true;
}

bool rd_u64le(struct rd *r, uint64_t *v)
{
    uint32_t lo, hi;
    *v = 0;
    if (!rd_u32le(r, &lo) || !rd_u32le(r, &hi))
        return false;
    *v = (uint64_t)hi << 32 | lo;
    return true;
}

bool rd_u16be(struct rd *r, uint16_t *v)
{
    const uint8_t *p;
    *v = 0;
    if (!rd_take(r, 2, &p))
        return false;
    *v = (uint16_t)(p[0] << 8 | p[1]);
    return true;
}

bool rd_u24be(struct rd *r, uint32_t *v)
{
    const uint8_t *p;
    *v = 0;
    if (!rd_take(r, 3, &p))
        return false;
    *v = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
    return true;
}

bool rd_u32be(struct rd *r, uint32_t *v)
{
    const uint8_t *p;
    *v = 0;
    if (!rd_take(r, 4, &p))
        return false;
    *v = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
    return true;
}

bool rd_bytes(struct rd *r, size_t n, struct rd *out)
{
    const uint8_t *p;
    *out = rd_init(NULL, 0);
    if (!rd_take(r, n, &p))
        return false;
    *out = rd_init(p, n);
    return true;
}

bool rd_copy(struct rd *r, void *dst, size_t n)
{
    const uint8_t *p;
    if (!rd_take(r, n, &p)) {
        if (n)
            memset(dst, 0, n);
        return false;
    }
    if (n)
        memcpy(dst, p, n);
    return true;
}

bool rd_skip(struct rd *r, size_t n)
{
    const uint8_t *p;
    return rd_take(r, n, &p);
}

bool rd_slice(const struct rd *msg, size_t off, size_t n, struct rd *out)
{
    *out = rd_init(NULL, 0);
    if (msg->err)
        return false;
    if (n == 0)
        return true;
    if (off > msg->len || n > msg->len - off)
        return false;
    *out = rd_init(msg->p + off, n);
    return true;
}

bool rd_done(const struct rd *r)
{
    return !r->err && r->len == 0;
}

/* ---- writer ------------------------------------------------------------- */

void wr_init(struct wr *w, size_t hint, size_t max, unsigned flags)
{
    memset(w, 0, sizeof(*w));
    w->max = max;
    w->flags = flags;
    if (hint > max)
        hint = max;
    if (hint) {
        w->buf = malloc(hint);
        if (w->buf)
            w->cap = hint;
    }
}

void wr_init_fixed(struct wr *w, void *buf, size_t cap)
{
    memset(w, 0, sizeof(*w));
    w->buf = buf;
    w->cap = cap;
    w->max = cap;
    w->fixed = true;
}

bool wr_fail(struct wr *w)
{
    w->err = true;
    return false;
}

/* wr_room - make room for n more bytes */
static bool wr_room(struct wr *w, size_t n)
{
    if (w->err)
        return false;
    if (n > w->max || w->len > w->max - n)
        return wr_fail(w);
    if (w->len + n <= w->cap)
        return true;
    if (w->fixed)
        return wr_fail(w);
    size_t cap = w->cap ? w->cap : 64;
    while (cap < w->len + n)
        cap = cap > SIZE_MAX / 2 ? SIZE_MAX : cap * 2;
    if (cap > w->max)
        cap = w->max;
    uint8_t *nb;
    if (w->flags & WR_ZAP) {
        nb = malloc(cap);
        if (!nb)
            return wr_fail(w);
        if (w->len)
            memcpy(nb, w->buf, w->len);
        if (w->buf)
            OPENSSL_clear_free(w->buf, w->cap);
    } else {
        nb = realloc(w->buf, cap);
        if (!nb)
            return wr_fail(w);
    }
    w->buf = nb;
    w->cap = cap;
    return true;
}

bool wr_bytes(struct wr *w, const void *p, size_t n)
{
    if (!wr_room(w, n))
        return false;
    if (n)
        memcpy(w->buf + w->len, p, n);
    w->len += n;
    return true;
}

bool wr_zeros(struct wr *w, size_t n)
{
    if (!wr_room(w, n))
        return false;
    if (n)
        memset(w->buf + w->len, 0, n);
    w->len += n;
    return true;
}

bool wr_u8(struct wr *w, uint8_t v)
{
    return wr_bytes(w, &v, 1);
}

bool wr_u16le(struct wr *w, uint16_t v)
{
    uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };
    return wr_bytes(w, b, 2);
}

bool wr_u32le(struct wr *w, uint32_t v)
{
    uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };
    return wr_bytes(w, b, 4);
}

bool wr_u64le(struct wr *w, uint64_t v)
{
    return wr_u32le(w, (uint32_t)v) && wr_u32le(w, (uint32_t)(v >> 32));
}

bool wr_u16be(struct wr *w, uint16_t v)
{
    uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };
    return wr_bytes(w, b, 2);
}

bool wr_u24be(struct wr *w, uint32_t v)
{
    if (v > 0xffffff)
        return wr_fail(w);
    uint8_t b[3] = { (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
    return wr_bytes(w, b, 3);
}

bool wr_u32be(struct wr *w, uint32_t v)
{
    uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
    return wr_bytes(w, b, 4);
}

bool wr_reserve(struct wr *w, size_t n, size_t *at)
{
    *at = w->len;
    return wr_zeros(w, n);
}

bool wr_patch_bytes(struct wr *w, size_t at, const void *p, size_t n)
{
    if (w->err || at > w->len || n > w->len - at)
        return wr_fail(w);
    if (n)
        memcpy(w->buf + at, p, n);
    return true;
}

bool wr_patch_u16le(struct wr *w, size_t at, uint16_t v)
{
    uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };
    return wr_patch_bytes(w, at, b, 2);
}

bool wr_patch_u32le(struct wr *w, size_t at, uint32_t v)
{
    uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };
    return wr_patch_bytes(w, at, b, 4);
}

static size_t len_width(enum wr_len_kind kind)
{
    switch (kind) {
    case LEN_U8:
    case LEN_DER:
        return 1;
    case LEN_U16BE:
    case LEN_U16LE:
        return 2;
    case LEN_U24BE:
        return 3;
    default:
        return 4;
    }
}

bool wr_open(struct wr *w, struct wr_mark *m, enum wr_len_kind kind)
{
    m->kind = kind;
    return wr_reserve(w, len_width(kind), &m->at);
}

bool wr_close(struct wr *w, const struct wr_mark *m)
{
    if (w->err)
        return false;
    size_t width = len_width(m->kind);
    if (m->at > w->len || width > w->len - m->at)
        return wr_fail(w);
    size_t n = w->len - m->at - width;
    uint8_t b[5];
    switch (m->kind) {
    case LEN_U8:
        if (n > 0xff)
            return wr_fail(w);
        b[0] = (uint8_t)n;
        return wr_patch_bytes(w, m->at, b, 1);
    case LEN_U16BE:
        if (n > 0xffff)
            return wr_fail(w);
        b[0] = (uint8_t)(n >> 8), b[1] = (uint8_t)n;
        return wr_patch_bytes(w, m->at, b, 2);
    case LEN_U16LE:
        if (n > 0xffff)
            return wr_fail(w);
        return wr_patch_u16le(w, m->at, (uint16_t)n);
    case LEN_U24BE:
        if (n > 0xffffff)
            return wr_fail(w);
        b[0] = (uint8_t)(n >> 16), b[1] = (uint8_t)(n >> 8), b[2] = (uint8_t)n;
        return wr_patch_bytes(w, m->at, b, 3);
    case LEN_U32LE:
        if (n > 0xffffffffu)
            return wr_fail(w);
        return wr_patch_u32le(w, m->at, (uint32_t)n);
    case LEN_DER: {
        if (n < 0x80) {
            b[0] = (uint8_t)n;
            return wr_patch_bytes(w, m->at, b, 1);
        }
        size_t extra = 0;
        for (size_t v = n; v; v >>= 8)
            extra++;
        if (extra > 4)
            return wr_fail(w);
        if (!wr_room(w, extra))
            return false;
        uint8_t *start = w->buf + m->at + 1;
        memmove(start + extra, start, n);
        w->len += extra;
        w->buf[m->at] = (uint8_t)(0x80 | extra);
        for (size_t i = 0; i < extra; i++)
            start[i] = (uint8_t)(n >> (8 * (extra - 1 - i)));
        return true;
    }
    }
    return wr_fail(w);
}

uint8_t *wr_steal(struct wr *w, size_t *len)
{
    *len = 0;
    if (w->err || w->fixed) {
        if (!w->fixed)
            wr_free(w);
        return NULL;
    }
    uint8_t *b = w->buf;
    if (!b) {
        b = malloc(1); /* an empty but real buffer */
        if (!b)
            return NULL;
    }
    *len = w->len;
    w->buf = NULL;
    w->len = w->cap = 0;
    return b;
}

void wr_free(struct wr *w)
{
    if (!w->fixed && w->buf) {
        if (w->flags & WR_ZAP)
            OPENSSL_clear_free(w->buf, w->cap);
        else
            free(w->buf);
    }
    w->buf = NULL;
    w->len = w->cap = 0;
}
