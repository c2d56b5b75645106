/* src/negotiate/negotiate.h - the Negotiate package's functions (its table is
 * negotiate_package.c) and what it asks of the mechanisms it runs. */
#ifndef OPENSSPI_NEGOTIATE_H
#define OPENSSPI_NEGOTIATE_H

#include "core/package.h"

#define NEGO_MAX_TOKEN 48256 /* Windows' cbMaxToken for Negotiate */
#define NEGO_MAX_MECHS 4

/* NEGO_ATTR_RESET_SEAL_STREAM - a private context attribute Negotiate sets on
 * an NTLM context (set_ctx, buf a uint32_t, len 4) right after it used the
 * context for the SPNEGO mechListMIC: 0 after producing it (the sending
 * direction), 1 after verifying it (the receiving direction). MS-SPNG 3.2.5.1
 * and 3.3.5.1: the RC4 state for the mechListMIC and for the application's
 * first message is the same, so the package restarts that direction's RC4
 * stream from its sealing key; the sequence number carries on. The same
 * operation as gss-ntlmssp's "reset crypto" context option that MIT's SPNEGO
 * invokes. A package that answers SEC_E_UNSUPPORTED_FUNCTION keeps its
 * stream (two OpenSSPI peers still agree; Windows and MIT peers do not). */
#define NEGO_ATTR_RESET_SEAL_STREAM 0x4f535001u
#define NEGO_RESET_SEND 0u
#define NEGO_RESET_RECV 1u

SECURITY_STATUS nego_acquire_cred(const struct sspi_cred_args *a, void **cred, TimeStamp *expiry);
void nego_free_cred(void *cred);
SECURITY_STATUS nego_query_cred_str(void *cred, uint32_t attr, struct sspi_strattr *out);

SECURITY_STATUS nego_init_ctx(void *cred, void **ctx, struct sspi_step *s);
SECURITY_STATUS nego_accept_ctx(void *cred, void **ctx, struct sspi_step *s);
SECURITY_STATUS nego_complete_token(void *ctx, SecBufferDesc *tok);
SECURITY_STATUS nego_apply_control(void *ctx, SecBufferDesc *in);
void nego_delete_ctx(void *ctx);
SECURITY_STATUS nego_query_ctx(void *ctx, uint32_t attr, void *buf);
SECURITY_STATUS nego_query_ctx_str(void *ctx, uint32_t attr, struct sspi_strattr *out);
SECURITY_STATUS nego_set_ctx(void *ctx, uint32_t attr, void *buf, uint32_t len);
const struct sspi_package *nego_negotiated(void *ctx, uint32_t *state);

SECURITY_STATUS nego_make_sig(void *ctx, uint32_t qop, SecBufferDesc *msg, uint32_t seq);
SECURITY_STATUS nego_verify_sig(void *ctx, SecBufferDesc *msg, uint32_t seq, uint32_t *qop);
SECURITY_STATUS nego_encrypt(void *ctx, uint32_t qop, SecBufferDesc *msg, uint32_t seq);
SECURITY_STATUS nego_decrypt(void *ctx, SecBufferDesc *msg, uint32_t seq, uint32_t *qop);

/* nego_package_list_allows - does a SEC_WINNT_AUTH_IDENTITY_EX PackageList
 * (NULL: none) let Negotiate use the package called name? The list is
 * comma-separated names, case-insensitive, spaces around names ignored; a name
 * prefixed with '!' is excluded; when the list names any package without '!',
 * only the named ones are used. Exposed for tests. */
bool nego_package_list_allows(const char *list, const char *name);

/* nego_target_is_address - is the host part of an SPN-like target
 * ("HTTP/host:port", "host@service", "host") an IPv4 or IPv6 literal? Windows
 * never tries Kerberos for those. Exposed for tests. */
bool nego_target_is_address(const char *target);

#endif
