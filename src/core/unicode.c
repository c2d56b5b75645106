/* src/core/unicode.c - UTF-8/WTF-8 <-> UTF-16 (RFC 3629, Unicode 3.9; WTF-8
 * for unpaired surrogates). See unicode.h. */
#include "core/unicode.h"

#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

static bool put_utf8(struct wr *w, uint32_t cp)
{
    if (cp < 0x80)
        return wr_u8(w, (uint8_t)cp);
    if (cp < 0x800)
        return wr_u8(w, (uint8_t)(0xc0 | (cp >> 6))) && wr_u8(w, (uint8_t)(0x80 | (cp & 0x3f)));
    if (cp < 0x10000)
        return wr_u8(w, (uint8_t)(0xe0 | (cp >> 12))) && wr_u8(w, (uint8_t)(0x80 | ((cp >> 6) & 0x3f)))
            && wr_u8(w, (uint8_t)(0x80 | (cp & 0x3f)));
    return wr_u8(w, (uint8_t)(0xf0 | (cp >> 18))) && wr_u8(w, (uint8_t)(0x80 | ((cp >> 12) & 0x3f)))
        && wr_u8(w, (uint8_t)(0x80 | ((cp >> 6) & 0x3f))) && wr_u8(w, (uint8_t)(0x80 | (cp & 0x3f)));
}

/* units - a source of UTF-16 code units, host order or little-endian bytes */
struct units {
    const uint16_t *u;
    const uint8_t *le;
    size_t n;
};

static uint16_t unit_at(const struct units *s, size_t i)
{
    return s->u ? s->u[i] : (uint16_t)(s->le[2 * i] | (s->le[2 * i + 1] << 8));
}

static bool units_to_utf8(struct wr *w, const struct units *s, bool wtf8)
{
    for (size_t i = 0; i < s->n; i++) {
        uint32_t c = unit_at(s, i);
        if (c >= 0xd800 && c < 0xdc00 && i + 1 < s->n) {
            uint32_t d = unit_at(s, i + 1);
            if (d >= 0xdc00 && d < 0xe000) {
                c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
                i++;
            }
        }
        if (c >= 0xd800 && c < 0xe000 && !wtf8)
            return wr_fail(w);
        if (!put_utf8(w, c))
            return false;
    }
    return !w->err;
}

bool utf16_to_utf8(struct wr *w, const uint16_t *u, size_t n, bool wtf8)
{
    struct units s = { u, NULL, n };
    return units_to_utf8(w, &s, wtf8);
}

bool utf16le_to_utf8(struct wr *w, struct rd le, bool wtf8)
{
    if (le.len % 2)
        return wr_fail(w);
    struct units s = { NULL, le.p, le.len / 2 };
    return units_to_utf8(w, &s, wtf8);
}

/* next_cp - decode one (WTF-)UTF-8 code point at s[*i]; false when malformed */
static bool next_cp(const uint8_t *s, size_t n, size_t *i, uint32_t *cp)
{
    uint8_t b = s[*i];
    size_t need;
    uint32_t c, min;
    if (b < 0x80) {
        *cp = b;
        (*i)++;
        return true;
    } else if ((b & 0xe0) == 0xc0) {
        need = 1, c = b & 0x1f, min = 0x80;
    } else if ((b & 0xf0) == 0xe0) {
        need = 2, c = b & 0x0f, min = 0x800;
    } else if ((b & 0xf8) == 0xf0) {
        need = 3, c = b & 0x07, min = 0x10000;
    } else {
        return false;
    }
    if (need > n - *i - 1)
        return false;
    for (size_t k = 1; k <= need; k++) {
        uint8_t t = s[*i + k];
        if ((t & 0xc0) != 0x80)
            return false;
        c = (c << 6) | (t & 0x3f);
    }
    if (c < min || c > 0x10ffff)
        return false;
    *i += need + 1;
    *cp = c;
    return true;
}

bool utf8_to_utf16le(struct wr *w, const char *str, size_t n)
{
    const uint8_t *s = (const uint8_t *)str;
    size_t i = 0;
    while (i < n) {
        uint32_t c;
        if (!next_cp(s, n, &i, &c))
            return wr_fail(w);
        if (c >= 0x10000) {
            c -= 0x10000;
            if (!wr_u16le(w, (uint16_t)(0xd800 + (c >> 10))) || !wr_u16le(w, (uint16_t)(0xdc00 + (c & 0x3ff))))
                return false;
        } else if (!wr_u16le(w, (uint16_t)c)) {
            return false;
        }
    }
    return !w->err;
}

uint16_t *utf8_to_utf16(const char *s, size_t len, size_t *n)
{
    struct wr w;
    wr_init(&w, len * 2 + 2, len * 4 + 2, 0);
    if (!utf8_to_utf16le(&w, s, len) || !wr_u16le(&w, 0)) {
        wr_free(&w);
        return NULL;
    }
    size_t bytes;
    uint8_t *b = wr_steal(&w, &bytes);
    if (!b)
        return NULL;
    uint16_t *u = (uint16_t *)(void *)b; /* malloc'd: suitably aligned */
    for (size_t i = 0; i < bytes / 2; i++)
        u[i] = (uint16_t)(b[2 * i] | (b[2 * i + 1] << 8));
    *n = bytes / 2 - 1;
    return u;
}

size_t utf16_strlen(const uint16_t *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

char *utf16_dup_utf8(const uint16_t *u, size_t n, bool wtf8, bool zap)
{
    if (n == SIZE_MAX)
        n = utf16_strlen(u);
    struct wr w;
    wr_init(&w, n * 3 + 1, n * 3 + 1, zap ? WR_ZAP : 0);
    if (!utf16_to_utf8(&w, u, n, wtf8) || !wr_u8(&w, 0)) {
        wr_free(&w);
        return NULL;
    }
    size_t len;
    return (char *)wr_steal(&w, &len);
}
