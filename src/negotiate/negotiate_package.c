/* src/negotiate/negotiate_package.c - the Negotiate security package (SPNEGO,
 * RFC 4178 / MS-SPNG) as one table. Name, comment, capabilities (0x00083BB3),
 * RPC id (RPC_C_AUTHN_GSS_NEGOTIATE) and cbMaxToken are Windows'. */
#include "negotiate/negotiate.h"

const struct sspi_package negotiate_package = {
    .name = "Negotiate",
    .comment = "Microsoft Package Negotiator",
    .caps = SECPKG_FLAG_INTEGRITY | SECPKG_FLAG_PRIVACY | SECPKG_FLAG_CONNECTION | SECPKG_FLAG_MULTI_REQUIRED
        | SECPKG_FLAG_EXTENDED_ERROR | SECPKG_FLAG_IMPERSONATION | SECPKG_FLAG_ACCEPT_WIN32_NAME
        | SECPKG_FLAG_NEGOTIABLE | SECPKG_FLAG_GSS_COMPATIBLE | SECPKG_FLAG_LOGON | SECPKG_FLAG_RESTRICTED_TOKENS,
    .version = 1,
    .rpcid = 9, /* RPC_C_AUTHN_GSS_NEGOTIATE */
    .max_token = NEGO_MAX_TOKEN,
    .acquire_cred = nego_acquire_cred,
    .free_cred = nego_free_cred,
    .query_cred_str = nego_query_cred_str,
    .init_ctx = nego_init_ctx,
    .accept_ctx = nego_accept_ctx,
    .complete_token = nego_complete_token,
    .apply_control = nego_apply_control,
    .delete_ctx = nego_delete_ctx,
    .query_ctx = nego_query_ctx,
    .query_ctx_str = nego_query_ctx_str,
    .set_ctx = nego_set_ctx,
    .negotiated = nego_negotiated,
    .make_sig = nego_make_sig,
    .verify_sig = nego_verify_sig,
    .encrypt = nego_encrypt,
    .decrypt = nego_decrypt,
};
