/* src/ntlm/ntlm_context.h - the NTLM package's credential and context objects
 * and the functions its table (ntlm_package.c) points at. */
#ifndef OPENSSPI_NTLM_CONTEXT_H
#define OPENSSPI_NTLM_CONTEXT_H

#include "core/package.h"

#define NTLM_MAX_TOKEN 2888

SECURITY_STATUS ntlm_acquire_cred(const struct sspi_cred_args *a, void **cred, TimeStamp *expiry);
void ntlm_free_cred(void *cred);
SECURITY_STATUS ntlm_query_cred_str(void *cred, uint32_t attr, struct sspi_strattr *out);

SECURITY_STATUS ntlm_init_ctx(void *cred, void **ctx, struct sspi_step *s);
SECURITY_STATUS ntlm_accept_ctx(void *cred, void **ctx, struct sspi_step *s);
void ntlm_delete_ctx(void *ctx);
SECURITY_STATUS ntlm_query_ctx(void *ctx, uint32_t attr, void *buf);
SECURITY_STATUS ntlm_query_ctx_str(void *ctx, uint32_t attr, struct sspi_strattr *out);
/* ntlm_set_ctx - NEGO_ATTR_RESET_SEAL_STREAM (negotiate/negotiate.h) only. */
SECURITY_STATUS ntlm_set_ctx(void *ctx, uint32_t attr, void *buf, uint32_t len);

SECURITY_STATUS ntlm_make_sig(void *ctx, uint32_t qop, SecBufferDesc *msg, uint32_t seq);
SECURITY_STATUS ntlm_verify_sig(void *ctx, SecBufferDesc *msg, uint32_t seq, uint32_t *qop);
SECURITY_STATUS ntlm_encrypt(void *ctx, uint32_t qop, SecBufferDesc *msg, uint32_t seq);
SECURITY_STATUS ntlm_decrypt(void *ctx, SecBufferDesc *msg, uint32_t seq, uint32_t *qop);

#endif
