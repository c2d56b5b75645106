/* src/kerberos/kerberos_bindings.h - SECBUFFER_CHANNEL_BINDINGS to GSS-API
 * channel bindings (RFC 2744 3.11; the MD5 that goes into the authenticator
 * checksum, RFC 4121 4.1.1.2, is computed by the GSS library). */
#ifndef OPENSSPI_KERBEROS_BINDINGS_H
#define OPENSSPI_KERBEROS_BINDINGS_H

#include <gssapi/gssapi.h>
#include <stdbool.h>
#include <stddef.h>

/* krb_parse_bindings - a SECBUFFER_CHANNEL_BINDINGS buffer of len bytes: a
 * SEC_CHANNEL_BINDINGS header (eight ULONGs in host order) followed by the data
 * its (offset, length) pairs point at, offsets counting from the header start.
 * Fills *out with views aliasing buf (address types passed through: Windows and
 * GSS share the GSS_C_AF_* values). Returns false, leaving *out untouched, when
 * the header is short or a pair falls outside the buffer. */
bool krb_parse_bindings(const void *buf, size_t len, struct gss_channel_bindings_struct *out);

#endif
