/* src/core/package.h - the interface between the SSPI core and a security package
 * A package is one const struct sspi_package (see src/core/registry.c). The core
 * has already: validated handles, converted every A/W string to UTF-8 (WTF-8 for
 * passwords so unpaired surrogates survive), checked SecBufferDesc shapes, and it
 * places output tokens itself (ISC/ASC_REQ_ALLOCATE_MEMORY, SEC_E_BUFFER_TOO_SMALL).
 * Packages never see an A or W structure and never allocate caller memory. */
#ifndef OPENSSPI_PACKAGE_H
#define OPENSSPI_PACKAGE_H

#define SECURITY_WIN32
#include <sspi.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* struct sspi_identity - SEC_WINNT_AUTH_IDENTITY[_EX] A or W, in UTF-8.
 * Strings are NUL-terminated copies owned by the core for the duration of
 * acquire_cred; a package that keeps them must copy (and wipe password). */
struct sspi_identity {
    const char *user;         /* NULL when absent */
    const char *domain;       /* NULL when absent */
    const char *password;     /* WTF-8; NULL when absent */
    size_t password_len;      /* bytes, without NUL */
    const char *package_list; /* _EX PackageList or NULL */
    uint32_t flags;           /* SEC_WINNT_AUTH_IDENTITY_* flags (ANSI/UNICODE bit cleared) */
};

struct sspi_cred_args {
    const char *principal;            /* pszPrincipal, UTF-8, or NULL */
    uint32_t use;                     /* SECPKG_CRED_INBOUND / OUTBOUND / BOTH */
    const struct sspi_identity *id;   /* NULL when pAuthData was NULL */
    void *auth_data;                  /* raw pAuthData for non-identity structs (SCHANNEL_CRED...) */
    bool auth_data_is_identity;       /* true when id was decoded from auth_data */
};

/* struct sspi_step - one InitializeSecurityContext / AcceptSecurityContext call.
 * in/out are the caller's descriptors (already shape-checked, may be NULL).
 * The package sets token/token_len to a malloc'd output token (or leaves NULL
 * for none); the core copies it into the caller's first SECBUFFER_TOKEN, or
 * hands the allocation over with *_REQ_ALLOCATE_MEMORY, and frees it otherwise.
 * attrs (ISC_RET_* / ASC_RET_*) and expiry are returned on every success. */
struct sspi_step {
    const char *target;      /* ISC: pszTargetName in UTF-8, or NULL */
    uint32_t req;            /* fContextReq */
    uint32_t data_rep;       /* TargetDataRep */
    SecBufferDesc *in;
    SecBufferDesc *out;
    uint8_t *token;
    size_t token_len;
    uint32_t attrs;
    TimeStamp expiry;
};

/* struct sspi_strattr - string-bearing context/credential attributes that exist
 * in A and W forms. The package fills the fields the attribute uses with UTF-8
 * strings it owns (valid until the next call on the context); the core builds
 * the caller's SecPkgContext_*A/W and allocates the strings.
 *   SECPKG_ATTR_NAMES          s[0] = user name ("DOMAIN\\user")
 *   SECPKG_ATTR_NATIVE_NAMES   s[0] = client name, s[1] = server name
 *   SECPKG_ATTR_AUTHORITY      s[0] = authority name
 *   SECPKG_ATTR_KEY_INFO       s[0] = signature alg name, s[1] = encrypt alg name,
 *                              n[0] = key size (bits), n[1] = sig alg, n[2] = enc alg
 *   SECPKG_CRED_ATTR_NAMES     s[0] = user name (credential query) */
struct sspi_strattr {
    const char *s[2];
    uint32_t n[3];
};

struct sspi_package {
    const char *name;    /* "NTLM", "Negotiate", ... */
    const char *comment;
    uint32_t caps;       /* SECPKG_FLAG_* */
    uint16_t version;
    uint16_t rpcid;
    uint32_t max_token;
    /* raw_auth_data - pAuthData is package-specific (SCHANNEL_CRED, CREDSSP_CRED...)
     * and is passed through untouched instead of decoded as an identity. */
    bool raw_auth_data;

    SECURITY_STATUS (*acquire_cred)(const struct sspi_cred_args *a, void **cred, TimeStamp *expiry);
    void (*free_cred)(void *cred);
    /* query_cred_str - SECPKG_CRED_ATTR_NAMES and other string credential attrs */
    SECURITY_STATUS (*query_cred_str)(void *cred, uint32_t attr, struct sspi_strattr *out);

    /* init_ctx/accept_ctx - *ctx is NULL on the first call; the package creates
     * it and sets *ctx only on success/continue. cred may be NULL only for
     * accept on later legs. Returns SEC_E_OK, SEC_I_CONTINUE_NEEDED,
     * SEC_I_COMPLETE_NEEDED, SEC_I_COMPLETE_AND_CONTINUE or an error. */
    SECURITY_STATUS (*init_ctx)(void *cred, void **ctx, struct sspi_step *s);
    SECURITY_STATUS (*accept_ctx)(void *cred, void **ctx, struct sspi_step *s);
    SECURITY_STATUS (*complete_token)(void *ctx, SecBufferDesc *tok);
    SECURITY_STATUS (*apply_control)(void *ctx, SecBufferDesc *in);
    void (*delete_ctx)(void *ctx);

    /* query_ctx - fixed-layout attributes written straight into buf (SIZES,
     * FLAGS, LIFESPAN, SESSION_KEY (allocate SessionKey with malloc), STREAM_SIZES...).
     * SEC_E_UNSUPPORTED_FUNCTION for attributes it does not know. */
    SECURITY_STATUS (*query_ctx)(void *ctx, uint32_t attr, void *buf);
    /* query_ctx_str - see struct sspi_strattr. */
    SECURITY_STATUS (*query_ctx_str)(void *ctx, uint32_t attr, struct sspi_strattr *out);
    SECURITY_STATUS (*set_ctx)(void *ctx, uint32_t attr, void *buf, uint32_t len);
    /* negotiated - for Negotiate: the package that won (NULL while undecided);
     * other packages leave the slot NULL and the core answers with themselves.
     * state receives SECPKG_NEGOTIATION_*. */
    const struct sspi_package *(*negotiated)(void *ctx, uint32_t *state);

    SECURITY_STATUS (*make_sig)(void *ctx, uint32_t qop, SecBufferDesc *msg, uint32_t seq);
    SECURITY_STATUS (*verify_sig)(void *ctx, SecBufferDesc *msg, uint32_t seq, uint32_t *qop);
    SECURITY_STATUS (*encrypt)(void *ctx, uint32_t qop, SecBufferDesc *msg, uint32_t seq);
    SECURITY_STATUS (*decrypt)(void *ctx, SecBufferDesc *msg, uint32_t seq, uint32_t *qop);
};

/* Helpers the core offers packages (src/core/buffers.c). */

/* sspi_find_buffer - the index-th buffer of type (SECBUFFER_ATTRMASK bits
 * ignored) in desc, or NULL. */
SecBuffer *sspi_find_buffer(SecBufferDesc *desc, uint32_t type, unsigned index);
/* sspi_buffer_type - BufferType with the attribute bits removed. */
static inline uint32_t sspi_buffer_type(const SecBuffer *b)
{
    return b->BufferType & ~(uint32_t)SECBUFFER_ATTRMASK;
}
/* sspi_expiry_never - the TimeStamp Windows uses for "never expires". */
TimeStamp sspi_expiry_never(void);
/* sspi_filetime_now - now as a Windows FILETIME (100ns since 1601). */
uint64_t sspi_filetime_now(void);

#endif
