/* src/core/core.h - core internals shared by api.c, buffers.c, registry.c */
#ifndef OPENSSPI_CORE_H
#define OPENSSPI_CORE_H

#include "core/handles.h"
#include "core/package.h"

#define CORE_MAX_BUFFERS 64

/* registry (registry.c) */
extern const struct sspi_package *const sspi_packages[];
extern const size_t sspi_npackages;
/* core_find_package - case-insensitive lookup by UTF-8 name, or NULL */
const struct sspi_package *core_find_package(const char *name);

/* core_desc_ok - a NULL descriptor or a well-formed one (version, buffer array,
 * input buffers with memory). */
bool core_desc_ok(const SecBufferDesc *desc, bool output);
/* core_place_token - put a package's malloc'd token (or none) into the first
 * SECBUFFER_TOKEN of out: handed over when allocate, else copied; always takes
 * ownership of token. SEC_E_BUFFER_TOO_SMALL when the caller's buffer is short,
 * SEC_E_INVALID_TOKEN when there is a token but no token buffer. */
SECURITY_STATUS core_place_token(SecBufferDesc *out, bool allocate, uint8_t *token, size_t len);

#endif
