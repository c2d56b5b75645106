/* src/asn1/der.h - strict DER reader and writer over struct rd / struct wr
 * X.690 DER as SPNEGO (RFC 4178), the GSS-API token framing (RFC 2743 3.1),
 * CredSSP (MS-CSSP) and Kerberos framing use it: one-byte tags (tag numbers
 * 0-30), definite lengths in their shortest form only (no indefinite length,
 * no leading zero length octets, long form only from 128 on), lengths of at
 * most 4 octets, INTEGER/ENUMERATED in their shortest two's-complement form.
 *
 * Reading: der_get(r, tag, &contents) consumes one element whose tag is tag and
 * returns its contents (a view aliasing r's memory). A different tag (or the
 * end of r) returns false WITHOUT latching r's error and consumes nothing, so
 * an OPTIONAL field is an `if`; a malformed length latches the error (the
 * sticky rule of bytes.h). The typed getters (der_get_octets, _oid, _int,
 * _enum, _bool, _bitstring, _null) read a REQUIRED element: a wrong tag latches
 * too. None of them checks that r is finished: end each SEQUENCE with
 * rd_done(&contents).
 *
 * Writing: der_open(w, tag, &m) ... der_close(w, &m) wraps what is written in
 * between (LEN_DER in bytes.c moves the contents when the long form is needed);
 * der_put_* append whole primitive elements. Errors latch in w. */
#ifndef OPENSSPI_DER_H
#define OPENSSPI_DER_H

#include "core/bytes.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* universal tags */
#define DER_BOOLEAN 0x01
#define DER_INTEGER 0x02
#define DER_BIT_STRING 0x03
#define DER_OCTET_STRING 0x04
#define DER_NULL 0x05
#define DER_OID 0x06
#define DER_ENUMERATED 0x0a
#define DER_UTF8_STRING 0x0c
#define DER_PRINTABLE_STRING 0x13
#define DER_IA5_STRING 0x16
#define DER_UTC_TIME 0x17
#define DER_GENERALIZED_TIME 0x18
#define DER_GENERAL_STRING 0x1b
#define DER_SEQUENCE 0x30
#define DER_SET 0x31
/* class bits with the tag number n (0..30) */
#define DER_CTX_C(n) ((uint8_t)(0xa0 | (n))) /* [n] constructed (explicit tagging) */
#define DER_CTX_P(n) ((uint8_t)(0x80 | (n))) /* [n] primitive (implicit tagging) */
#define DER_APP_C(n) ((uint8_t)(0x60 | (n))) /* [APPLICATION n] constructed */
#define DER_APP_P(n) ((uint8_t)(0x40 | (n))) /* [APPLICATION n] primitive */

#define DER_MAX_OID 64 /* bytes of OID contents we accept (far above any real one) */

/* ---- reading ------------------------------------------------------------- */

/* der_peek - the tag of the next element without consuming it; false when r is
 * empty or has failed (nothing latched). */
bool der_peek(const struct rd *r, uint8_t *tag);

/* der_get - consume the next element when its tag is tag and set *contents to
 * its contents. Returns false without latching when r has no next element or
 * another tag (then r is untouched); latches r's error (and returns false) when
 * the length is indefinite, not minimal, longer than 4 octets or runs past the
 * end of r. *contents is empty unless true is returned. */
bool der_get(struct rd *r, uint8_t tag, struct rd *contents);

/* der_get_element - as der_get, but *element is the whole encoding (tag,
 * length and contents): what a MIC over "the DER encoding of X" covers. */
bool der_get_element(struct rd *r, uint8_t tag, struct rd *element);

/* der_get_any - consume the next element whatever its tag (unknown fields,
 * skipping); false and latched when r is empty, the tag uses the multi-byte
 * form or the length is malformed. */
bool der_get_any(struct rd *r, uint8_t *tag, struct rd *contents);

/* Typed getters: the next element must have the universal tag of its type
 * (else the error latches) and well-formed contents.
 *   der_get_octets   OCTET STRING, primitive; *out aliases r.
 *   der_get_oid      OBJECT IDENTIFIER as its contents bytes (*out aliases r):
 *                    1..DER_MAX_OID bytes, every subidentifier minimal (no
 *                    leading 0x80), the last byte ending a subidentifier.
 *   der_get_int      INTEGER that fits in int64_t, shortest form.
 *   der_get_uint32   INTEGER in 0..UINT32_MAX, shortest form.
 *   der_get_enum     ENUMERATED in 0..UINT32_MAX, shortest form.
 *   der_get_bool     BOOLEAN: one octet, 0x00 or 0xff (DER).
 *   der_get_null     NULL: empty contents.
 *   der_get_bitstring BIT STRING: *bits are the data octets (aliasing r),
 *                    *unused the count of unused bits in the last one (0-7, 0
 *                    when there is no data octet), those bits zero (DER). */
bool der_get_octets(struct rd *r, struct rd *out);
bool der_get_oid(struct rd *r, struct rd *out);
bool der_get_int(struct rd *r, int64_t *v);
bool der_get_uint32(struct rd *r, uint32_t *v);
bool der_get_enum(struct rd *r, uint32_t *v);
bool der_get_bool(struct rd *r, bool *v);
bool der_get_null(struct rd *r);
bool der_get_bitstring(struct rd *r, struct rd *bits, uint8_t *unused);

/* der_oid_valid - are these OID contents bytes well formed (see der_get_oid)? */
bool der_oid_valid(const uint8_t *p, size_t n);
/* der_oid_equal - OID contents a equal to the n bytes at b? */
bool der_oid_equal(struct rd a, const uint8_t *b, size_t n);

/* ---- writing ------------------------------------------------------------- */

/* der_open - write tag and open a length-prefixed region; der_close writes its
 * (shortest) length. Marks may nest; they are offsets, so the buffer may move. */
bool der_open(struct wr *w, uint8_t tag, struct wr_mark *m);
bool der_close(struct wr *w, const struct wr_mark *m);
/* der_put_header - tag and the shortest encoding of len (for contents the caller
 * writes itself, of a length it already knows). */
bool der_put_header(struct wr *w, uint8_t tag, size_t len);
/* der_put - one whole element: tag, length, the n bytes at p. */
bool der_put(struct wr *w, uint8_t tag, const void *p, size_t n);
/* der_put_octets / der_put_oid - OCTET STRING / OBJECT IDENTIFIER from contents
 * bytes (der_put_oid fails on contents that are not a valid OID). */
bool der_put_octets(struct wr *w, const void *p, size_t n);
bool der_put_oid(struct wr *w, const uint8_t *oid, size_t n);
/* der_put_int / der_put_enum - INTEGER / ENUMERATED in the shortest form. */
bool der_put_int(struct wr *w, int64_t v);
bool der_put_enum(struct wr *w, uint32_t v);
bool der_put_bool(struct wr *w, bool v);
bool der_put_null(struct wr *w);
/* der_put_bitstring - BIT STRING of the n octets at bits, the last one with
 * unused (0-7) unused bits, which must be zero; fails otherwise. */
bool der_put_bitstring(struct wr *w, const uint8_t *bits, size_t n, uint8_t unused);

#endif
