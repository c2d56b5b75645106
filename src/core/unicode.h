/* src/core/unicode.h - UTF-8 (WTF-8) <-> UTF-16 conversion for the A/W boundary
 * and for protocols that carry UTF-16LE on the wire (NTLM).
 * WTF-8 is UTF-8 that may also encode unpaired surrogates (U+D800..U+DFFF as
 * three bytes): a W password with a lone surrogate survives the trip through the
 * core and reaches the NT hash unchanged. Strict UTF-8 is used for names. */
#ifndef OPENSSPI_UNICODE_H
#define OPENSSPI_UNICODE_H

#include "core/bytes.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* utf16_to_utf8 - append the UTF-8 form of n UTF-16 code units (host order
 * units in u, or little-endian bytes when le) to w. Unpaired surrogates fail
 * unless wtf8. */
bool utf16_to_utf8(struct wr *w, const uint16_t *u, size_t n, bool wtf8);
bool utf16le_to_utf8(struct wr *w, struct rd le, bool wtf8);
/* utf8_to_utf16le - append UTF-16LE bytes of n bytes of (WTF-)UTF-8 to w.
 * Malformed input fails (overlongs, > U+10FFFF, truncated sequences). */
bool utf8_to_utf16le(struct wr *w, const char *s, size_t n);
/* utf8_to_utf16 - the same into host-order code units; returns a malloc'd,
 * NUL-terminated string and its length in units (without NUL) in *n, or NULL. */
uint16_t *utf8_to_utf16(const char *s, size_t len, size_t *n);
/* utf16_strlen - code units before the first 0. */
size_t utf16_strlen(const uint16_t *s);
/* utf16_dup_utf8 - NUL-terminated UTF-8 copy of n units (or up to NUL when
 * n == SIZE_MAX); NULL on malformed input or no memory. Free with free(), or
 * with OPENSSL_clear_free when secret (zap wipes intermediate buffers). */
char *utf16_dup_utf8(const uint16_t *u, size_t n, bool wtf8, bool zap);

#endif
