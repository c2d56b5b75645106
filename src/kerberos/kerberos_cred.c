/* src/kerberos/kerberos_cred.c - Kerberos credential handles
 * (AcquireCredentialsHandle / FreeCredentialsHandle / QueryCredentialsAttributes).
 *
 * OUTBOUND with a password: nothing is sent at acquire time (as on Windows); the
 * first InitializeSecurityContext runs the AS exchange into a private MEMORY
 * ccache (krb5_cc_new_unique + krb5_get_init_creds_password) and wraps it with
 * gss_krb5_import_cred. A refused password is remembered and not retried (no
 * account lockout from a retrying caller); an unreachable KDC is retried.
 * Other sources: see kerberos.h. The user's default ccache is only read when the
 * caller gave no identity at all. */
#include "kerberos/kerberos_context.h"
#include "kerberos/kerberos_names.h"
#include "kerberos/kerberos_status.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Initiators use the RFC 4121 OID. Acceptors also answer tokens framed with
 * the OID Windows lists first in SPNEGO (1.2.840.48018.1.2.2), as Windows does. */
static gss_OID_desc krb5_oids[2] = { { 9, (void *)"\x2a\x86\x48\x86\xf7\x12\x01\x02\x02" },
                                     { 9, (void *)"\x2a\x86\x48\x82\xf7\x12\x01\x02\x02" } };
static gss_OID_set_desc krb5_init_mechs = { 1, krb5_oids };
static gss_OID_set_desc krb5_accept_mechs = { 2, krb5_oids };

void krb_free_cred(void *p)
{
    struct krb_cred *c = p;
    if (!c)
        return;
    OM_uint32 minor;
    if (c->init_cred != GSS_C_NO_CREDENTIAL)
        gss_release_cred(&minor, &c->init_cred);
    if (c->accept_cred != GSS_C_NO_CREDENTIAL)
        gss_release_cred(&minor, &c->accept_cred);
    if (c->ccache)
        krb5_cc_destroy(c->kctx, c->ccache); /* wipes the TGT */
    if (c->kctx)
        krb5_free_context(c->kctx);
    if (c->password)
        OPENSSL_clear_free(c->password, c->password_len);
    free(c->client);
    free(c->display);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

/* import_principal - text as a GSS krb5 principal name. */
static SECURITY_STATUS import_principal(const char *text, enum krb_phase ph, gss_name_t *out)
{
    OM_uint32 minor;
    gss_buffer_desc b = { strlen(text), (void *)text };
    OM_uint32 major = gss_import_name(&minor, &b, GSS_KRB5_NT_PRINCIPAL_NAME, out);
    if (GSS_ERROR(major)) {
        SECURITY_STATUS st = krb_status_gss(ph, major, minor);
        krb_trace_gss("gss_import_name", major, minor, st);
        return st;
    }
    return SEC_E_OK;
}

/* acquire - gss_acquire_cred_from for the krb5 mechanism; lifetime in *secs. */
static SECURITY_STATUS acquire(gss_name_t name, gss_cred_usage_t usage, gss_const_key_value_set_t store,
                               gss_cred_id_t *out, OM_uint32 *secs)
{
    OM_uint32 minor;
    gss_OID_set mechs = usage == GSS_C_ACCEPT ? &krb5_accept_mechs : &krb5_init_mechs;
    OM_uint32 major = gss_acquire_cred_from(&minor, name, GSS_C_INDEFINITE, mechs, usage, store, out, NULL, secs);
    if (GSS_ERROR(major)) {
        SECURITY_STATUS st = krb_status_gss(KRB_PH_CRED, major, minor);
        if (st != SEC_E_UNKNOWN_CREDENTIALS && st != SEC_E_INSUFFICIENT_MEMORY)
            st = SEC_E_NO_CREDENTIALS;
        krb_trace_gss(usage == GSS_C_ACCEPT ? "acquiring acceptor credentials" : "acquiring initiator credentials",
                      major, minor, st);
        return st;
    }
    return SEC_E_OK;
}

/* cred_name - the display name of a GSS credential's principal, or NULL. */
static char *cred_name(gss_cred_id_t cred)
{
    OM_uint32 minor;
    gss_name_t name = GSS_C_NO_NAME;
    if (GSS_ERROR(gss_inquire_cred(&minor, cred, &name, NULL, NULL, NULL)))
        return NULL;
    char *s = krb_name_text(name);
    gss_release_name(&minor, &name);
    return s;
}

static SECURITY_STATUS kctx_init(struct krb_cred *c)
{
    if (c->kctx)
        return SEC_E_OK;
    krb5_error_code code = krb5_init_context(&c->kctx);
    if (code) {
        c->kctx = NULL;
        SECURITY_STATUS st = code == ENOMEM ? SEC_E_INSUFFICIENT_MEMORY : SEC_E_NO_AUTHENTICATING_AUTHORITY;
        krb_trace_krb5(NULL, "krb5_init_context", code, st);
        return st;
    }
    return SEC_E_OK;
}

/* import_ccache - wrap the private ccache as c->init_cred. */
static SECURITY_STATUS import_ccache(struct krb_cred *c)
{
    OM_uint32 minor;
    OM_uint32 major = gss_krb5_import_cred(&minor, c->ccache, NULL, NULL, &c->init_cred);
    if (GSS_ERROR(major)) {
        c->init_cred = GSS_C_NO_CREDENTIAL;
        SECURITY_STATUS st = krb_status_gss(KRB_PH_CRED, major, minor);
        krb_trace_gss("gss_krb5_import_cred", major, minor, st);
        return st;
    }
    return SEC_E_OK;
}

/* copy_ccache - "ccache:NAME": a private MEMORY copy of every ticket in NAME. */
static SECURITY_STATUS copy_ccache(struct krb_cred *c, const char *name)
{
    krb5_ccache src = NULL, dst = NULL;
    krb5_principal princ = NULL;
    char *text = NULL;
    const char *what = "krb5_cc_resolve";
    SECURITY_STATUS st = kctx_init(c);
    if (st != SEC_E_OK)
        return st;
    krb5_error_code code = krb5_cc_resolve(c->kctx, name, &src);
    if (!code) {
        what = "krb5_cc_get_principal";
        code = krb5_cc_get_principal(c->kctx, src, &princ);
    }
    if (!code) {
        what = "copying the ccache";
        code = krb5_cc_new_unique(c->kctx, "MEMORY", NULL, &dst);
    }
    if (!code)
        code = krb5_cc_initialize(c->kctx, dst, princ);
    if (!code)
        code = krb5_cc_copy_creds(c->kctx, src, dst);
    if (!code)
        code = krb5_unparse_name(c->kctx, princ, &text);
    if (code) {
        st = krb_status_krb5(KRB_PH_CRED, code);
        if (st != SEC_E_INSUFFICIENT_MEMORY)
            st = SEC_E_NO_CREDENTIALS;
        krb_trace_krb5(c->kctx, what, code, st);
        goto out;
    }
    c->ccache = dst;
    dst = NULL;
    st = import_ccache(c);
    if (st != SEC_E_OK)
        goto out;
    c->client = strdup(text);
    st = c->client ? SEC_E_OK : SEC_E_INSUFFICIENT_MEMORY;
out:
    if (dst)
        krb5_cc_destroy(c->kctx, dst);
    if (src)
        krb5_cc_close(c->kctx, src);
    krb5_free_principal(c->kctx, princ);
    krb5_free_unparsed_name(c->kctx, text);
    return st;
}

/* outbound_identity - an explicit SEC_WINNT_AUTH_IDENTITY. */
static SECURITY_STATUS outbound_identity(struct krb_cred *c, const struct sspi_identity *id)
{
    bool no_user = !id->user || !id->user[0];
    if (no_user && (!id->domain || !id->domain[0]) && (!id->password || !id->password[0]))
        return SEC_E_NO_CREDENTIALS; /* anonymous: not a Kerberos thing */
    if (no_user)
        return SEC_E_UNKNOWN_CREDENTIALS;
    c->client = krb_client_principal(id->user, id->domain);
    if (!c->client)
        return SEC_E_UNKNOWN_CREDENTIALS;
    SECURITY_STATUS st = kctx_init(c);
    if (st != SEC_E_OK)
        return st;
    krb5_principal p = NULL;
    krb5_error_code code = krb5_parse_name(c->kctx, c->client, &p);
    if (code) {
        st = code == ENOMEM ? SEC_E_INSUFFICIENT_MEMORY : SEC_E_UNKNOWN_CREDENTIALS;
        krb_trace_krb5(c->kctx, "krb5_parse_name (user)", code, st);
        return st;
    }
    /* the display form carries the realm krb5_parse_name filled in */
    char *full = NULL;
    code = krb5_unparse_name(c->kctx, p, &full);
    krb5_free_principal(c->kctx, p);
    if (code)
        return SEC_E_INSUFFICIENT_MEMORY;
    free(c->client);
    c->client = strdup(full);
    krb5_free_unparsed_name(c->kctx, full);
    if (!c->client)
        return SEC_E_INSUFFICIENT_MEMORY;
    if (id->password) {
        c->password_len = id->password_len;
        c->password = malloc(id->password_len + 1);
        if (!c->password)
            return SEC_E_INSUFFICIENT_MEMORY;
        memcpy(c->password, id->password, id->password_len);
        c->password[id->password_len] = 0;
        c->password_len += 1; /* what OPENSSL_clear_free wipes */
        return SEC_E_OK;
    }
    /* no password: that principal's tickets from the ccache collection */
    gss_name_t name = GSS_C_NO_NAME;
    st = import_principal(c->client, KRB_PH_CRED, &name);
    if (st == SEC_E_OK)
        st = acquire(name, GSS_C_INITIATE, GSS_C_NO_CRED_STORE, &c->init_cred, NULL);
    OM_uint32 minor;
    gss_release_name(&minor, &name);
    return st;
}

/* client_keytab - "keytab:PATH" for OUTBOUND: the first principal of the
 * keytab logs on with its key (a service acting as itself), the TGT going into
 * a private MEMORY ccache at once. */
static SECURITY_STATUS client_keytab(struct krb_cred *c, const char *path)
{
    if (!path[0])
        return SEC_E_UNKNOWN_CREDENTIALS;
    SECURITY_STATUS st = kctx_init(c);
    if (st != SEC_E_OK)
        return st;
    krb5_error_code code = krb5_cc_new_unique(c->kctx, "MEMORY", NULL, &c->ccache);
    if (code) {
        c->ccache = NULL;
        st = krb_status_krb5(KRB_PH_CRED, code);
        krb_trace_krb5(c->kctx, "krb5_cc_new_unique", code, st);
        return st;
    }
    char ccname[256];
    snprintf(ccname, sizeof(ccname), "MEMORY:%s", krb5_cc_get_name(c->kctx, c->ccache));
    gss_key_value_element_desc el[2] = { { "client_keytab", path }, { "ccache", ccname } };
    gss_key_value_set_desc store = { 2, el };
    st = acquire(GSS_C_NO_NAME, GSS_C_INITIATE, &store, &c->init_cred, NULL);
    if (st == SEC_E_OK)
        c->client = cred_name(c->init_cred);
    return st;
}

static SECURITY_STATUS outbound(struct krb_cred *c, const struct sspi_cred_args *a)
{
    if (a->id)
        return outbound_identity(c, a->id);
    if (a->principal && strncmp(a->principal, "ccache:", 7) == 0)
        return copy_ccache(c, a->principal + 7);
    if (a->principal && strncmp(a->principal, "keytab:", 7) == 0 && !(a->use & SECPKG_CRED_INBOUND))
        return client_keytab(c, a->principal + 7);
    SECURITY_STATUS st;
    if (a->principal && a->principal[0] && strncmp(a->principal, "keytab:", 7) != 0) {
        char *text = krb_client_principal(a->principal, NULL);
        if (!text)
            return SEC_E_UNKNOWN_CREDENTIALS;
        gss_name_t name = GSS_C_NO_NAME;
        st = import_principal(text, KRB_PH_CRED, &name);
        free(text);
        if (st == SEC_E_OK)
            st = acquire(name, GSS_C_INITIATE, GSS_C_NO_CRED_STORE, &c->init_cred, NULL);
        OM_uint32 minor;
        gss_release_name(&minor, &name);
    } else {
        st = acquire(GSS_C_NO_NAME, GSS_C_INITIATE, GSS_C_NO_CRED_STORE, &c->init_cred, NULL);
    }
    if (st == SEC_E_OK)
        c->client = cred_name(c->init_cred);
    return st;
}

static SECURITY_STATUS inbound(struct krb_cred *c, const struct sspi_cred_args *a)
{
    gss_key_value_element_desc el = { "keytab", NULL };
    gss_key_value_set_desc store = { 1, &el };
    gss_name_t name = GSS_C_NO_NAME;
    SECURITY_STATUS st = SEC_E_OK;
    const char *p = a->principal;
    if (p && strncmp(p, "keytab:", 7) == 0) {
        el.value = p + 7;
        if (!el.value[0])
            return SEC_E_UNKNOWN_CREDENTIALS;
    } else if (p && p[0] && strncmp(p, "ccache:", 7) != 0) {
        /* an SPN restricting which keytab entries are accepted */
        char *text = krb_target_principal(p);
        if (!text)
            return SEC_E_UNKNOWN_CREDENTIALS;
        size_t n = strlen(text);
        if (n && text[n - 1] == '@')
            text[n - 1] = 0; /* the default realm: the keytab's */
        st = import_principal(text, KRB_PH_CRED, &name);
        free(text);
    }
    if (st == SEC_E_OK)
        st = acquire(name, GSS_C_ACCEPT, el.value ? &store : GSS_C_NO_CRED_STORE, &c->accept_cred, NULL);
    OM_uint32 minor;
    gss_release_name(&minor, &name);
    return st;
}

SECURITY_STATUS krb_acquire_cred(const struct sspi_cred_args *a, void **out, TimeStamp *expiry)
{
    struct krb_cred *c = calloc(1, sizeof(*c));
    if (!c)
        return SEC_E_INSUFFICIENT_MEMORY;
    pthread_mutex_init(&c->lock, NULL);
    c->use = a->use;
    c->init_cred = GSS_C_NO_CREDENTIAL;
    c->accept_cred = GSS_C_NO_CREDENTIAL;
    SECURITY_STATUS st = SEC_E_OK;
    if (a->use & SECPKG_CRED_OUTBOUND) {
        st = outbound(c, a);
        /* SECPKG_CRED_BOTH for a server without tickets of its own: it can
         * still accept; InitializeSecurityContext will say NO_CREDENTIALS */
        if (st == SEC_E_NO_CREDENTIALS && !a->id && (a->use & SECPKG_CRED_INBOUND))
            st = SEC_E_OK;
    }
    if (st == SEC_E_OK && (a->use & SECPKG_CRED_INBOUND))
        st = inbound(c, a);
    if (st != SEC_E_OK)
        goto out;
    if (c->client)
        c->display = strdup(c->client);
    else if (c->accept_cred != GSS_C_NO_CREDENTIAL)
        c->display = cred_name(c->accept_cred);
    if (!c->display)
        c->display = strdup("");
    if (!c->display) {
        st = SEC_E_INSUFFICIENT_MEMORY;
        goto out;
    }
    *expiry = sspi_expiry_never();
    *out = c;
    c = NULL;
out:
    krb_free_cred(c);
    return st;
}

SECURITY_STATUS krb_query_cred_str(void *p, uint32_t attr, struct sspi_strattr *out)
{
    struct krb_cred *c = p;
    if (attr != SECPKG_CRED_ATTR_NAMES)
        return SEC_E_UNSUPPORTED_FUNCTION;
    out->s[0] = c->display;
    return SEC_E_OK;
}

/* logon - the AS exchange for a password credential (c->lock held). */
static SECURITY_STATUS logon(struct krb_cred *c)
{
    krb5_principal princ = NULL;
    krb5_get_init_creds_opt *opt = NULL;
    krb5_ccache cc = NULL;
    krb5_creds creds;
    bool have_creds = false;
    const char *what = "krb5_parse_name";
    SECURITY_STATUS st = kctx_init(c);
    if (st != SEC_E_OK)
        return st;
    krb5_error_code code = krb5_parse_name(c->kctx, c->client, &princ);
    if (!code) {
        what = "krb5_get_init_creds_opt_alloc";
        code = krb5_get_init_creds_opt_alloc(c->kctx, &opt);
    }
    if (!code) {
        what = "krb5_cc_new_unique";
        code = krb5_cc_new_unique(c->kctx, "MEMORY", NULL, &cc);
    }
    if (!code)
        code = krb5_get_init_creds_opt_set_out_ccache(c->kctx, opt, cc);
    if (!code) {
        what = "getting a TGT with the password";
        memset(&creds, 0, sizeof(creds));
        code = krb5_get_init_creds_password(c->kctx, &creds, princ, c->password, NULL, NULL, 0, NULL, opt);
        have_creds = code == 0;
    }
    if (code) {
        st = krb_status_krb5(KRB_PH_LOGON, code);
        krb_trace_krb5(c->kctx, what, code, st);
        if (st == SEC_E_LOGON_DENIED || st == SEC_E_UNKNOWN_CREDENTIALS)
            c->logon_status = st;
        goto out;
    }
    c->ccache = cc;
    cc = NULL;
    st = import_ccache(c);
    if (st != SEC_E_OK)
        goto out;
    OPENSSL_clear_free(c->password, c->password_len);
    c->password = NULL;
    c->password_len = 0;
out:
    if (have_creds)
        krb5_free_cred_contents(c->kctx, &creds);
    if (cc)
        krb5_cc_destroy(c->kctx, cc);
    if (opt)
        krb5_get_init_creds_opt_free(c->kctx, opt);
    krb5_free_principal(c->kctx, princ);
    return st;
}

SECURITY_STATUS krb_cred_initiator(struct krb_cred *c, gss_cred_id_t *out)
{
    if (!(c->use & SECPKG_CRED_OUTBOUND))
        return SEC_E_NO_CREDENTIALS;
    SECURITY_STATUS st = SEC_E_OK;
    pthread_mutex_lock(&c->lock);
    if (c->init_cred == GSS_C_NO_CREDENTIAL) {
        if (c->logon_status != SEC_E_OK)
            st = c->logon_status;
        else if (c->password)
            st = logon(c);
        else
            st = SEC_E_NO_CREDENTIALS;
    }
    *out = c->init_cred;
    pthread_mutex_unlock(&c->lock);
    return st;
}
