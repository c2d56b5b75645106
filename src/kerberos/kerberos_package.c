/* src/kerberos/kerberos_package.c - the Kerberos security package (RFC 4120,
 * RFC 4121 over MIT krb5's GSS-API) as one table. */
#include "kerberos/kerberos.h"
#include "kerberos/kerberos_context.h"

const unsigned char kerberos_oid_krb5[9] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02 };
const unsigned char kerberos_oid_ms_krb5[9] = { 0x2a, 0x86, 0x48, 0x82, 0xf7, 0x12, 0x01, 0x02, 0x02 };

const struct sspi_package kerberos_package = {
    .name = KERBEROS_PACKAGE_NAME,
    .comment = "Kerberos V5 Security Package",
    .caps = SECPKG_FLAG_INTEGRITY | SECPKG_FLAG_PRIVACY | SECPKG_FLAG_TOKEN_ONLY | SECPKG_FLAG_CONNECTION
        | SECPKG_FLAG_MULTI_REQUIRED | SECPKG_FLAG_EXTENDED_ERROR | SECPKG_FLAG_ACCEPT_WIN32_NAME
        | SECPKG_FLAG_NEGOTIABLE | SECPKG_FLAG_GSS_COMPATIBLE | SECPKG_FLAG_LOGON | SECPKG_FLAG_MUTUAL_AUTH
        | SECPKG_FLAG_DELEGATION | SECPKG_FLAG_READONLY_WITH_CHECKSUM,
    .version = 1,
    .rpcid = 16, /* RPC_C_AUTHN_GSS_KERBEROS */
    .max_token = KERBEROS_MAX_TOKEN,
    .acquire_cred = krb_acquire_cred,
    .free_cred = krb_free_cred,
    .query_cred_str = krb_query_cred_str,
    .init_ctx = krb_init_ctx,
    .accept_ctx = krb_accept_ctx,
    .delete_ctx = krb_delete_ctx,
    .query_ctx = krb_query_ctx,
    .query_ctx_str = krb_query_ctx_str,
    .make_sig = krb_make_sig,
    .verify_sig = krb_verify_sig,
    .encrypt = krb_encrypt,
    .decrypt = krb_decrypt,
};
