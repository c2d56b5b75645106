/* src/kerberos/kerberos_context.h - the Kerberos package's credential and
 * context objects, shared by kerberos_cred.c, kerberos_context.c and
 * kerberos_protect.c, and the functions its table (kerberos_package.c) points at. */
#ifndef OPENSSPI_KERBEROS_CONTEXT_H
#define OPENSSPI_KERBEROS_CONTEXT_H

#include "core/package.h"
#include "kerberos/kerberos.h"

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>
#include <krb5/krb5.h>
#include <pthread.h>

/* Input tokens larger than this are refused before GSS sees them (Windows'
 * MaxTokenSize tops out at 64 KiB). */
#define KRB_MAX_INPUT_TOKEN (1u << 20)

/* struct krb_cred - a credential handle's package object. Shared by every
 * context made from it, on any thread: lock guards the lazy logon. */
struct krb_cred {
    uint32_t use;
    pthread_mutex_t lock;
    gss_cred_id_t init_cred;   /* OUTBOUND; GSS_C_NO_CREDENTIAL until logged on */
    gss_cred_id_t accept_cred; /* INBOUND */
    char *client;              /* OUTBOUND principal text, NULL for the default */
    char *password;            /* a password logon still to do (wiped on free) */
    size_t password_len;
    SECURITY_STATUS logon_status; /* a definitive logon failure, not retried */
    krb5_context kctx;         /* owns ccache; used under lock */
    krb5_ccache ccache;        /* private MEMORY ccache, destroyed on free */
    char *display;             /* SECPKG_CRED_ATTR_NAMES */
};

/* krb_cred_initiator - the GSS initiator credential of c, logging on first for
 * a password credential. SEC_E_NO_CREDENTIALS for an INBOUND-only handle. */
SECURITY_STATUS krb_cred_initiator(struct krb_cred *c, gss_cred_id_t *out);

/* struct krb_ctx - a context handle's package object (one thread at a time). */
struct krb_ctx {
    bool server;
    bool done;
    bool failed;          /* a continuation failed: GSS dropped the context */
    uint32_t req;         /* ISC_REQ_* / ASC_REQ_* asked on the first call */
    uint32_t attrs;       /* ISC_RET_* / ASC_RET_* */
    OM_uint32 gss_flags;  /* GSS ret_flags */
    gss_ctx_id_t gss;
    gss_name_t target;    /* client: the imported target */
    uint64_t start;       /* FILETIME of the first call */
    uint64_t end;         /* FILETIME the context (ticket) expires */
    char *client_name;    /* "user@REALM" */
    char *server_name;    /* the service principal */
    char *realm;          /* the client's realm */
    /* KEY_INFO strings, filled when asked */
    char enc_name[64];
    char sig_name[64];
    /* SIZES, computed once after completion */
    bool have_sizes;
    SecPkgContext_Sizes sizes;
    /* server: credentials the client delegated */
    gss_cred_id_t deleg;
    krb5_context deleg_kctx;
    krb5_ccache deleg_cc;
    char *deleg_name;     /* "MEMORY:..." */
};

SECURITY_STATUS krb_acquire_cred(const struct sspi_cred_args *a, void **cred, TimeStamp *expiry);
void krb_free_cred(void *cred);
SECURITY_STATUS krb_query_cred_str(void *cred, uint32_t attr, struct sspi_strattr *out);

SECURITY_STATUS krb_init_ctx(void *cred, void **ctx, struct sspi_step *s);
SECURITY_STATUS krb_accept_ctx(void *cred, void **ctx, struct sspi_step *s);
void krb_delete_ctx(void *ctx);
SECURITY_STATUS krb_query_ctx(void *ctx, uint32_t attr, void *buf);
SECURITY_STATUS krb_query_ctx_str(void *ctx, uint32_t attr, struct sspi_strattr *out);

SECURITY_STATUS krb_make_sig(void *ctx, uint32_t qop, SecBufferDesc *msg, uint32_t seq);
SECURITY_STATUS krb_verify_sig(void *ctx, SecBufferDesc *msg, uint32_t seq, uint32_t *qop);
SECURITY_STATUS krb_encrypt(void *ctx, uint32_t qop, SecBufferDesc *msg, uint32_t seq);
SECURITY_STATUS krb_decrypt(void *ctx, SecBufferDesc *msg, uint32_t seq, uint32_t *qop);
/* krb_session_enctype - the enctype and length of the context key (the one
 * SECPKG_ATTR_SESSION_KEY returns); SEC_E_UNSUPPORTED_FUNCTION if unknown. */
SECURITY_STATUS krb_session_enctype(struct krb_ctx *c, int32_t *enctype, size_t *keylen);
/* krb_sizes - SECPKG_ATTR_SIZES for the context's session key (kerberos_protect.c) */
SECURITY_STATUS krb_sizes(struct krb_ctx *c, SecPkgContext_Sizes *z);

/* krb_filetime_after - now plus secs (GSS_C_INDEFINITE: never) as a FILETIME */
uint64_t krb_filetime_after(OM_uint32 secs);
/* krb_timestamp - a FILETIME as a TimeStamp */
TimeStamp krb_timestamp(uint64_t ft);
/* krb_name_text - gss_display_name of name, malloc'd, or NULL */
char *krb_name_text(gss_name_t name);

#endif
