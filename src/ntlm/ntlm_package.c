/* src/ntlm/ntlm_package.c - the NTLM security package (MS-NLMP) as one table */
#include "ntlm/ntlm_context.h"

const struct sspi_package ntlm_package = {
    .name = "NTLM",
    .comment = "NTLM Security Package",
    .caps = SECPKG_FLAG_INTEGRITY | SECPKG_FLAG_PRIVACY | SECPKG_FLAG_TOKEN_ONLY | SECPKG_FLAG_CONNECTION
        | SECPKG_FLAG_MULTI_REQUIRED | SECPKG_FLAG_IMPERSONATION | SECPKG_FLAG_ACCEPT_WIN32_NAME
        | SECPKG_FLAG_NEGOTIABLE | SECPKG_FLAG_LOGON,
    .version = 1,
    .rpcid = 10, /* RPC_C_AUTHN_WINNT */
    .max_token = NTLM_MAX_TOKEN,
    .acquire_cred = ntlm_acquire_cred,
    .free_cred = ntlm_free_cred,
    .query_cred_str = ntlm_query_cred_str,
    .init_ctx = ntlm_init_ctx,
    .accept_ctx = ntlm_accept_ctx,
    .delete_ctx = ntlm_delete_ctx,
    .query_ctx = ntlm_query_ctx,
    .query_ctx_str = ntlm_query_ctx_str,
    .set_ctx = ntlm_set_ctx,
    .make_sig = ntlm_make_sig,
    .verify_sig = ntlm_verify_sig,
    .encrypt = ntlm_encrypt,
    .decrypt = ntlm_decrypt,
};
