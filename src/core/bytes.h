/* src/core/bytes.h - bounds-checked byte cursor (struct rd) and writer (struct wr)
 * Every protocol parser reads through struct rd and every builder writes through
 * struct wr; no offset arithmetic elsewhere. Errors are sticky: the first failure
 * latches err, later calls fail and yield zero/empty values. */
#ifndef OPENSSPI_BYTES_H
#define OPENSSPI_BYTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* struct rd - a read cursor over bytes it does not own. Passed by value when a
 * sub-view is wanted; p/len shrink as bytes are consumed. */
struct rd {
    const uint8_t *p;
    size_t len;
    bool err;
};

static inline struct rd rd_init(const void *p, size_t len)
{
    struct rd r = { (const uint8_t *)p, p ? len : 0, false };
    return r;
}

bool rd_fail(struct rd *r);
bool rd_u8(struct rd *r, uint8_t *v);
bool rd_u16le(struct rd *r, uint16_t *v);
bool rd_u32le(struct rd *r, uint32_t *v);
bool rd_u64le(struct rd *r, uint64_t *v);
bool rd_u16be(struct rd *r, uint16_t *v);
bool rd_u24be(struct rd *r, uint32_t *v);
bool rd_u32be(struct rd *r, uint32_t *v);
/* rd_bytes - consume n bytes into *out (a view aliasing r's memory). */
bool rd_bytes(struct rd *r, size_t n, struct rd *out);
/* rd_copy - consume n bytes into dst. */
bool rd_copy(struct rd *r, void *dst, size_t n);
bool rd_skip(struct rd *r, size_t n);
/* rd_slice - view of msg[off, off+n) without consuming; the only offset read.
 * Fails unless off <= len && n <= len - off; n == 0 gives an empty view. */
bool rd_slice(const struct rd *msg, size_t off, size_t n, struct rd *out);
/* rd_done - true when no error latched and every byte was consumed. */
bool rd_done(const struct rd *r);

enum { WR_ZAP = 1 }; /* wipe old storage on grow and on free (secrets) */
enum wr_len_kind { LEN_U8, LEN_U16BE, LEN_U24BE, LEN_U16LE, LEN_U32LE, LEN_DER };

/* struct wr - a growable (or fixed, caller-owned) output buffer with a ceiling. */
struct wr {
    uint8_t *buf;
    size_t len, cap, max;
    unsigned flags;
    bool err, fixed;
};

struct wr_mark {
    size_t at;
    enum wr_len_kind kind;
};

/* wr_init - growable writer; hint is the first allocation, max the ceiling. */
void wr_init(struct wr *w, size_t hint, size_t max, unsigned flags);
/* wr_init_fixed - writer over caller memory of cap bytes; never reallocates. */
void wr_init_fixed(struct wr *w, void *buf, size_t cap);
bool wr_fail(struct wr *w);
bool wr_u8(struct wr *w, uint8_t v);
bool wr_u16le(struct wr *w, uint16_t v);
bool wr_u32le(struct wr *w, uint32_t v);
bool wr_u64le(struct wr *w, uint64_t v);
bool wr_u16be(struct wr *w, uint16_t v);
bool wr_u24be(struct wr *w, uint32_t v);
bool wr_u32be(struct wr *w, uint32_t v);
bool wr_bytes(struct wr *w, const void *p, size_t n);
bool wr_zeros(struct wr *w, size_t n);
/* wr_reserve - append n zero bytes and return their offset in *at (for patching). */
bool wr_reserve(struct wr *w, size_t n, size_t *at);
bool wr_patch_u16le(struct wr *w, size_t at, uint16_t v);
bool wr_patch_u32le(struct wr *w, size_t at, uint32_t v);
bool wr_patch_bytes(struct wr *w, size_t at, const void *p, size_t n);
/* wr_open/wr_close - a length-prefixed region; the length is written at close.
 * LEN_DER reserves one byte and moves the contents if a longer form is needed. */
bool wr_open(struct wr *w, struct wr_mark *m, enum wr_len_kind kind);
bool wr_close(struct wr *w, const struct wr_mark *m);
/* wr_steal - hand the buffer (malloc'd) to the caller; NULL on error or fixed.
 * The writer is reset to empty. */
uint8_t *wr_steal(struct wr *w, size_t *len);
/* wr_free - release (and wipe if WR_ZAP) a growable writer's buffer. */
void wr_free(struct wr *w);

#endif
