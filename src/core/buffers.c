/* src/core/buffers.c - SecBufferDesc checks, output token placement and time
 * helpers shared by the core and the packages (see package.h, core.h). */
#include "core/core.h"

#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

SecBuffer *sspi_find_buffer(SecBufferDesc *desc, uint32_t type, unsigned index)
{
    if (!desc || !desc->pBuffers)
        return NULL;
    for (ULONG i = 0; i < desc->cBuffers; i++) {
        if (sspi_buffer_type(&desc->pBuffers[i]) == type && index-- == 0)
            return &desc->pBuffers[i];
    }
    return NULL;
}

TimeStamp sspi_expiry_never(void)
{
    TimeStamp t;
    t.LowPart = 0xffffffffu;
    t.HighPart = 0x7fffffff;
    return t;
}

uint64_t sspi_filetime_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    /* 11644473600 s between 1601-01-01 and 1970-01-01 */
    return ((uint64_t)ts.tv_sec + 11644473600ull) * 10000000ull + (uint64_t)ts.tv_nsec / 100;
}

bool core_desc_ok(const SecBufferDesc *desc, bool output)
{
    if (!desc)
        return true;
    if (desc->ulVersion != SECBUFFER_VERSION)
        return false;
    if (desc->cBuffers > 0 && !desc->pBuffers)
        return false;
    if (desc->cBuffers > CORE_MAX_BUFFERS)
        return false;
    for (ULONG i = 0; i < desc->cBuffers; i++) {
        const SecBuffer *b = &desc->pBuffers[i];
        if (b->cbBuffer && !b->pvBuffer && !output)
            return false;
    }
    return true;
}

SECURITY_STATUS core_place_token(SecBufferDesc *out, bool allocate, uint8_t *token, size_t len)
{
    SecBuffer *b = sspi_find_buffer(out, SECBUFFER_TOKEN, 0);
    if (!b) {
        free(token);
        return token ? SEC_E_INVALID_TOKEN : SEC_E_OK;
    }
    if (len > UINT32_MAX) {
        free(token);
        return SEC_E_INTERNAL_ERROR;
    }
    if (allocate) {
        b->pvBuffer = token;
        b->cbBuffer = (ULONG)len;
        return SEC_E_OK;
    }
    if (!token) {
        b->cbBuffer = 0;
        return SEC_E_OK;
    }
    if (!b->pvBuffer || b->cbBuffer < len) {
        free(token);
        return SEC_E_BUFFER_TOO_SMALL;
    }
    memcpy(b->pvBuffer, token, len);
    b->cbBuffer = (ULONG)len;
    free(token);
    return SEC_E_OK;
}
