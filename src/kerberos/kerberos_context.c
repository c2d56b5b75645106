/* src/kerberos/kerberos_context.c - Kerberos security contexts: the client and
 * server state machines over MIT krb5's GSS-API mechanism (RFC 4121), and the
 * context attributes.
 *
 * Client (ISC)                          Server (ASC)
 *   no MUTUAL_AUTH:  AP-REQ, SEC_E_OK     AP-REQ -> SEC_E_OK, no token
 *   MUTUAL_AUTH:     AP-REQ, CONTINUE     AP-REQ -> AP-REP, SEC_E_OK
 *                    AP-REP -> SEC_E_OK
 *   USE_DCE_STYLE:   AP-REQ, CONTINUE     AP-REQ -> AP-REP, CONTINUE
 *                    AP-REP -> AP-REP, OK AP-REP -> SEC_E_OK, no token
 * The tokens carry the RFC 2743 framing except the DCE-style AP-REPs, as on
 * Windows; GSS builds and parses them (no framing parser of ours).
 *
 * ISC_REQ -> GSS req_flags:  DELEGATE->DELEG, MUTUAL_AUTH->MUTUAL,
 *   REPLAY_DETECT->REPLAY, SEQUENCE_DETECT->SEQUENCE, CONFIDENTIALITY->CONF,
 *   INTEGRITY->INTEG, USE_DCE_STYLE->DCE_STYLE|MUTUAL, IDENTIFY->IDENTIFY,
 *   EXTENDED_ERROR->EXTENDED_ERROR.
 * GSS ret_flags -> ISC_RET/ASC_RET: the same bits back, plus USED_DCE_STYLE;
 *   CONFIDENTIALITY, INTEGRITY, REPLAY_DETECT and SEQUENCE_DETECT only when
 *   the caller asked for them (as the NTLM package answers), CONNECTION when
 *   asked. A server's ASC_RET_DELEGATE means a forwarded TGT arrived. */
#include "kerberos/kerberos_context.h"
#include "kerberos/kerberos_bindings.h"
#include "kerberos/kerberos_names.h"
#include "kerberos/kerberos_status.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static gss_OID_desc krb5_oid_desc = { 9, (void *)"\x2a\x86\x48\x86\xf7\x12\x01\x02\x02" };

/* ---- helpers ------------------------------------------------------------ */

uint64_t krb_filetime_after(OM_uint32 secs)
{
    if (secs == GSS_C_INDEFINITE)
        return ((uint64_t)0x7fffffff << 32) | 0xffffffffu;
    return sspi_filetime_now() + (uint64_t)secs * 10000000u;
}

TimeStamp krb_timestamp(uint64_t ft)
{
    TimeStamp t;
    t.LowPart = (ULONG)ft;
    t.HighPart = (LONG)(ft >> 32);
    return t;
}

char *krb_name_text(gss_name_t name)
{
    OM_uint32 minor;
    gss_buffer_desc b = GSS_C_EMPTY_BUFFER;
    if (name == GSS_C_NO_NAME || GSS_ERROR(gss_display_name(&minor, name, &b, NULL)))
        return NULL;
    char *s = malloc(b.length + 1);
    if (s) {
        memcpy(s, b.value, b.length);
        s[b.length] = 0;
    }
    gss_release_buffer(&minor, &b);
    return s;
}

void krb_delete_ctx(void *p)
{
    struct krb_ctx *c = p;
    if (!c)
        return;
    OM_uint32 minor;
    if (c->gss != GSS_C_NO_CONTEXT)
        gss_delete_sec_context(&minor, &c->gss, GSS_C_NO_BUFFER);
    if (c->target != GSS_C_NO_NAME)
        gss_release_name(&minor, &c->target);
    if (c->deleg != GSS_C_NO_CREDENTIAL)
        gss_release_cred(&minor, &c->deleg);
    if (c->deleg_cc)
        krb5_cc_destroy(c->deleg_kctx, c->deleg_cc);
    if (c->deleg_kctx)
        krb5_free_context(c->deleg_kctx);
    free(c->deleg_name);
    free(c->client_name);
    free(c->server_name);
    free(c->realm);
    OPENSSL_clear_free(c, sizeof(*c));
}

static struct krb_ctx *ctx_new(bool server, uint32_t req)
{
    struct krb_ctx *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->server = server;
    c->req = req;
    c->gss = GSS_C_NO_CONTEXT;
    c->target = GSS_C_NO_NAME;
    c->deleg = GSS_C_NO_CREDENTIAL;
    c->start = sspi_filetime_now();
    return c;
}

static OM_uint32 isc_to_gss(uint32_t req)
{
    OM_uint32 f = 0;
    if (req & ISC_REQ_DELEGATE)
        f |= GSS_C_DELEG_FLAG;
    if (req & ISC_REQ_MUTUAL_AUTH)
        f |= GSS_C_MUTUAL_FLAG;
    if (req & ISC_REQ_REPLAY_DETECT)
        f |= GSS_C_REPLAY_FLAG;
    if (req & ISC_REQ_SEQUENCE_DETECT)
        f |= GSS_C_SEQUENCE_FLAG;
    if (req & ISC_REQ_CONFIDENTIALITY)
        f |= GSS_C_CONF_FLAG;
    if (req & ISC_REQ_INTEGRITY)
        f |= GSS_C_INTEG_FLAG;
    if (req & ISC_REQ_USE_DCE_STYLE)
        f |= GSS_C_DCE_STYLE | GSS_C_MUTUAL_FLAG;
    if (req & ISC_REQ_IDENTIFY)
        f |= GSS_C_IDENTIFY_FLAG;
    if (req & ISC_REQ_EXTENDED_ERROR)
        f |= GSS_C_EXTENDED_ERROR_FLAG;
    return f;
}

/* ret_flags - ISC_RET_* / ASC_RET_* from the GSS ret_flags (see the header):
 * one row per context flag with the GSS flag that grants it, its request and
 * return bits on each side, and whether it is given only when also asked for. */
static uint32_t ret_flags(const struct krb_ctx *c)
{
    enum { GRANTED, GRANTED_AND_ASKED, ASKED };
    static const struct {
        OM_uint32 gss;
        uint32_t isc_req, isc_ret, asc_req, asc_ret;
        int rule;
    } rows[] = {
        { GSS_C_DELEG_FLAG, 0, ISC_RET_DELEGATE, 0, ASC_RET_DELEGATE, GRANTED },
        { GSS_C_MUTUAL_FLAG, 0, ISC_RET_MUTUAL_AUTH, 0, ASC_RET_MUTUAL_AUTH, GRANTED },
        { GSS_C_REPLAY_FLAG, ISC_REQ_REPLAY_DETECT, ISC_RET_REPLAY_DETECT, ASC_REQ_REPLAY_DETECT,
          ASC_RET_REPLAY_DETECT, GRANTED_AND_ASKED },
        { GSS_C_SEQUENCE_FLAG, ISC_REQ_SEQUENCE_DETECT, ISC_RET_SEQUENCE_DETECT, ASC_REQ_SEQUENCE_DETECT,
          ASC_RET_SEQUENCE_DETECT, GRANTED_AND_ASKED },
        { GSS_C_CONF_FLAG, ISC_REQ_CONFIDENTIALITY, ISC_RET_CONFIDENTIALITY, ASC_REQ_CONFIDENTIALITY,
          ASC_RET_CONFIDENTIALITY, GRANTED_AND_ASKED },
        { GSS_C_INTEG_FLAG, ISC_REQ_INTEGRITY, ISC_RET_INTEGRITY, ASC_REQ_INTEGRITY, ASC_RET_INTEGRITY,
          GRANTED_AND_ASKED },
        { GSS_C_DCE_STYLE, 0, ISC_RET_USED_DCE_STYLE, 0, ASC_RET_USED_DCE_STYLE, GRANTED },
        { 0, ISC_REQ_EXTENDED_ERROR, ISC_RET_EXTENDED_ERROR, ASC_REQ_EXTENDED_ERROR, ASC_RET_EXTENDED_ERROR, ASKED },
        { 0, ISC_REQ_CONNECTION, ISC_RET_CONNECTION, ASC_REQ_CONNECTION, ASC_RET_CONNECTION, ASKED },
    };
    OM_uint32 g = c->gss_flags;
    uint32_t r = 0;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        bool granted = (g & rows[i].gss) != 0;
        bool asked = (c->req & (c->server ? rows[i].asc_req : rows[i].isc_req)) != 0;
        bool give = rows[i].rule == GRANTED ? granted : rows[i].rule == ASKED ? asked : granted && asked;
        if (give)
            r |= c->server ? rows[i].asc_ret : rows[i].isc_ret;
    }
    /* a server reports delegation only when a forwarded TGT really arrived */
    if (c->server && c->deleg == GSS_C_NO_CREDENTIAL)
        r &= ~(uint32_t)ASC_RET_DELEGATE;
    /* identification: as granted on the server, granted and asked on the client */
    if ((g & GSS_C_IDENTIFY_FLAG) && (c->server || (c->req & ISC_REQ_IDENTIFY)))
        r |= c->server ? ASC_RET_IDENTIFY : ISC_RET_IDENTIFY;
    return r;
}

/* input_token - the first SECBUFFER_TOKEN of the input as a GSS buffer
 * (aliasing it); false when there is none or it is empty or oversized. */
static bool input_token(const struct sspi_step *s, gss_buffer_desc *tok)
{
    SecBuffer *b = sspi_find_buffer(s->in, SECBUFFER_TOKEN, 0);
    if (!b || !b->pvBuffer || b->cbBuffer == 0 || b->cbBuffer > KRB_MAX_INPUT_TOKEN)
        return false;
    tok->length = b->cbBuffer;
    tok->value = b->pvBuffer;
    return true;
}

/* bindings - the input's SECBUFFER_CHANNEL_BINDINGS as GSS bindings in *cb;
 * *use is false when there are none. SEC_E_INVALID_TOKEN when malformed. */
static SECURITY_STATUS bindings(const struct sspi_step *s, struct gss_channel_bindings_struct *cb, bool *use)
{
    SecBuffer *b = sspi_find_buffer(s->in, SECBUFFER_CHANNEL_BINDINGS, 0);
    *use = false;
    if (!b || !b->pvBuffer || b->cbBuffer == 0)
        return SEC_E_OK;
    if (!krb_parse_bindings(b->pvBuffer, b->cbBuffer, cb))
        return SEC_E_INVALID_TOKEN;
    *use = true;
    return SEC_E_OK;
}

/* take_token - move a GSS output token into the step (malloc'd copy). */
static SECURITY_STATUS take_token(gss_buffer_desc *out, struct sspi_step *s)
{
    OM_uint32 minor;
    SECURITY_STATUS st = SEC_E_OK;
    if (out->length) {
        s->token = malloc(out->length);
        if (s->token) {
            memcpy(s->token, out->value, out->length);
            s->token_len = out->length;
        } else {
            st = SEC_E_INSUFFICIENT_MEMORY;
        }
    }
    gss_release_buffer(&minor, out);
    return st;
}

/* names - the client and service principal names and the client's realm, read
 * from MIT on the first query that needs them: gss_inquire_context and
 * gss_display_name each build a krb5 context (profile walk, krb5.conf stat), a
 * third of a handshake's cost when done for every context. */
static SECURITY_STATUS names(struct krb_ctx *c)
{
    if (c->client_name)
        return SEC_E_OK;
    OM_uint32 minor;
    gss_name_t src = GSS_C_NO_NAME, targ = GSS_C_NO_NAME;
    OM_uint32 major = gss_inquire_context(&minor, c->gss, &src, &targ, NULL, NULL, NULL, NULL, NULL);
    if (GSS_ERROR(major)) {
        SECURITY_STATUS st = krb_status_gss(c->server ? KRB_PH_ACCEPT : KRB_PH_INIT, major, minor);
        krb_trace_gss("gss_inquire_context", major, minor, st);
        return st;
    }
    char *client = krb_name_text(src), *server = krb_name_text(targ);
    gss_release_name(&minor, &src);
    gss_release_name(&minor, &targ);
    char *realm = client ? strdup(krb_principal_realm(client)) : NULL;
    if (!client || !server || !realm) {
        free(client);
        free(server);
        free(realm);
        return SEC_E_INSUFFICIENT_MEMORY;
    }
    size_t n = strlen(server);
    if (n > 1 && server[n - 1] == '@' && server[n - 2] != '\\')
        server[n - 1] = 0; /* a target imported with the referral realm */
    c->client_name = client;
    c->server_name = server;
    c->realm = realm;
    return SEC_E_OK;
}

/* complete - lifetime and flags of an established context (names: names()). */
static SECURITY_STATUS complete(struct krb_ctx *c, struct sspi_step *s, OM_uint32 time_rec)
{
    c->end = krb_filetime_after(time_rec);
    c->done = true;
    c->attrs = ret_flags(c);
    s->attrs = c->attrs;
    s->expiry = krb_timestamp(c->end);
    return SEC_E_OK;
}

/* ---- client ------------------------------------------------------------- */

static SECURITY_STATUS client_start(struct krb_ctx *c, const char *target)
{
    if (!target || !target[0])
        return SEC_E_TARGET_UNKNOWN;
    char *text = krb_target_principal(target);
    if (!text)
        return SEC_E_TARGET_UNKNOWN;
    OM_uint32 minor;
    gss_buffer_desc b = { strlen(text), text };
    OM_uint32 major = gss_import_name(&minor, &b, GSS_KRB5_NT_PRINCIPAL_NAME, &c->target);
    free(text);
    if (GSS_ERROR(major)) {
        c->target = GSS_C_NO_NAME;
        krb_trace_gss("importing the target name", major, minor, SEC_E_TARGET_UNKNOWN);
        return SEC_E_TARGET_UNKNOWN;
    }
    return SEC_E_OK;
}

SECURITY_STATUS krb_init_ctx(void *credp, void **ctxp, struct sspi_step *s)
{
    struct krb_cred *cred = credp;
    struct krb_ctx *c = *ctxp;
    bool first = c == NULL;
    gss_buffer_desc in = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER;
    struct gss_channel_bindings_struct cb;
    bool use_cb;
    gss_cred_id_t icred = GSS_C_NO_CREDENTIAL;
    SECURITY_STATUS st;

    if (first) {
        if (!cred)
            return SEC_E_INVALID_HANDLE;
        if (!(cred->use & SECPKG_CRED_OUTBOUND))
            return SEC_E_WRONG_CREDENTIAL_HANDLE;
        c = ctx_new(false, s->req);
        if (!c)
            return SEC_E_INSUFFICIENT_MEMORY;
        st = client_start(c, s->target);
        if (st == SEC_E_OK)
            st = krb_cred_initiator(cred, &icred);
        if (st != SEC_E_OK)
            goto out;
    } else {
        /* complete, or failed (GSS deletes a context that fails mid-way) */
        if (c->done || c->failed || c->gss == GSS_C_NO_CONTEXT)
            return SEC_E_OUT_OF_SEQUENCE;
        if (!input_token(s, &in))
            return SEC_E_INVALID_TOKEN;
    }
    st = bindings(s, &cb, &use_cb);
    if (st != SEC_E_OK)
        goto out;

    OM_uint32 minor, ret = 0, time_rec = 0;
    OM_uint32 major = gss_init_sec_context(&minor, icred, &c->gss, c->target, &krb5_oid_desc, isc_to_gss(c->req), 0,
                                           use_cb ? &cb : GSS_C_NO_CHANNEL_BINDINGS, first ? GSS_C_NO_BUFFER : &in,
                                           NULL, &out, &ret, &time_rec);
    if (GSS_ERROR(major)) {
        OM_uint32 m2;
        gss_release_buffer(&m2, &out);
        st = krb_status_gss(KRB_PH_INIT, major, minor);
        krb_trace_gss(first ? "InitializeSecurityContext (AP-REQ)" : "InitializeSecurityContext (AP-REP)", major,
                      minor, st);
        /* a token refused before it changed anything may be followed by the
         * right one; anything else ends the context */
        if (GSS_ROUTINE_ERROR(major) != GSS_S_DEFECTIVE_TOKEN)
            c->failed = true;
        goto out;
    }
    st = take_token(&out, s);
    if (st != SEC_E_OK)
        goto out;
    c->gss_flags = ret;
    if (major & GSS_S_CONTINUE_NEEDED) {
        s->attrs = ret_flags(c);
        st = SEC_I_CONTINUE_NEEDED;
    } else {
        st = complete(c, s, time_rec);
    }
out:
    if (first) {
        if (st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED)
            *ctxp = c;
        else
            krb_delete_ctx(c);
    }
    return st;
}

/* ---- server ------------------------------------------------------------- */

/* keep_delegated - copy a forwarded TGT into a MEMORY ccache of the context's
 * own, whose name KERBEROS_ATTR_DELEGATED_CCACHE reveals. Failure here only
 * loses the delegation (traced), never the authentication. */
static void keep_delegated(struct krb_ctx *c)
{
    krb5_error_code code = krb5_init_context(&c->deleg_kctx);
    if (code) {
        c->deleg_kctx = NULL;
        krb_trace_krb5(NULL, "krb5_init_context (delegation)", code, SEC_E_OK);
        return;
    }
    code = krb5_cc_new_unique(c->deleg_kctx, "MEMORY", NULL, &c->deleg_cc);
    if (code) {
        c->deleg_cc = NULL;
        krb_trace_krb5(c->deleg_kctx, "krb5_cc_new_unique (delegation)", code, SEC_E_OK);
        return;
    }
    const char *type = krb5_cc_get_type(c->deleg_kctx, c->deleg_cc);
    const char *name = krb5_cc_get_name(c->deleg_kctx, c->deleg_cc);
    size_t n = strlen(type) + strlen(name) + 2;
    c->deleg_name = malloc(n);
    if (!c->deleg_name)
        return;
    snprintf(c->deleg_name, n, "%s:%s", type, name);
    gss_key_value_element_desc el = { "ccache", c->deleg_name };
    gss_key_value_set_desc store = { 1, &el };
    OM_uint32 minor;
    OM_uint32 major = gss_store_cred_into(&minor, c->deleg, GSS_C_INITIATE, &krb5_oid_desc, 1, 0, &store, NULL, NULL);
    if (GSS_ERROR(major)) {
        krb_trace_gss("storing the delegated credentials", major, minor, SEC_E_OK);
        free(c->deleg_name);
        c->deleg_name = NULL;
    }
}

SECURITY_STATUS krb_accept_ctx(void *credp, void **ctxp, struct sspi_step *s)
{
    struct krb_cred *cred = credp;
    struct krb_ctx *c = *ctxp;
    bool first = c == NULL;
    gss_buffer_desc in, out = GSS_C_EMPTY_BUFFER;
    struct gss_channel_bindings_struct cb;
    bool use_cb;
    gss_cred_id_t acred = GSS_C_NO_CREDENTIAL;
    SECURITY_STATUS st;

    if (first) {
        if (!cred)
            return SEC_E_INVALID_HANDLE;
        if (!(cred->use & SECPKG_CRED_INBOUND) || cred->accept_cred == GSS_C_NO_CREDENTIAL)
            return SEC_E_WRONG_CREDENTIAL_HANDLE;
        acred = cred->accept_cred;
    } else if (c->done || c->failed || c->gss == GSS_C_NO_CONTEXT) {
        return SEC_E_OUT_OF_SEQUENCE;
    }
    if (!input_token(s, &in))
        return SEC_E_INVALID_TOKEN;
    st = bindings(s, &cb, &use_cb);
    if (st != SEC_E_OK)
        return st;
    if (first) {
        c = ctx_new(true, s->req);
        if (!c)
            return SEC_E_INSUFFICIENT_MEMORY;
    }

    OM_uint32 minor, ret = 0, time_rec = 0;
    gss_cred_id_t deleg = GSS_C_NO_CREDENTIAL;
    OM_uint32 major = gss_accept_sec_context(&minor, &c->gss, acred, &in,
                                             use_cb ? &cb : GSS_C_NO_CHANNEL_BINDINGS, NULL, NULL, &out, &ret,
                                             &time_rec, &deleg);
    if (GSS_ERROR(major)) {
        st = krb_status_gss(KRB_PH_ACCEPT, major, minor);
        krb_trace_gss(first ? "AcceptSecurityContext (AP-REQ)" : "AcceptSecurityContext (AP-REP)", major, minor, st);
        if (GSS_ROUTINE_ERROR(major) != GSS_S_DEFECTIVE_TOKEN)
            c->failed = true;
        /* the KRB-ERROR for the client, when the caller asked for one */
        if (out.length && (c->req & ASC_REQ_EXTENDED_ERROR))
            (void)take_token(&out, s);
        else
            gss_release_buffer(&minor, &out);
        goto out;
    }
    if (deleg != GSS_C_NO_CREDENTIAL) {
        if (c->deleg != GSS_C_NO_CREDENTIAL)
            gss_release_cred(&minor, &c->deleg);
        c->deleg = deleg;
    }
    st = take_token(&out, s);
    if (st != SEC_E_OK)
        goto out;
    c->gss_flags = ret;
    if (major & GSS_S_CONTINUE_NEEDED) {
        s->attrs = ret_flags(c);
        st = SEC_I_CONTINUE_NEEDED;
        goto out;
    }
    if (c->deleg != GSS_C_NO_CREDENTIAL)
        keep_delegated(c);
    st = complete(c, s, time_rec);
out:
    if (first) {
        if (st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED)
            *ctxp = c;
        else
            krb_delete_ctx(c);
    }
    return st;
}

/* ---- attributes --------------------------------------------------------- */

/* session_key - the key SSPI exposes (acceptor subkey, else initiator subkey,
 * else ticket session key) and its enctype, via GSS_C_INQ_SSPI_SESSION_KEY.
 * The caller releases *set. */
static SECURITY_STATUS session_key(struct krb_ctx *c, gss_buffer_set_t *set, int32_t *enctype)
{
    OM_uint32 minor;
    *set = GSS_C_NO_BUFFER_SET;
    OM_uint32 major = gss_inquire_sec_context_by_oid(&minor, c->gss, GSS_C_INQ_SSPI_SESSION_KEY, set);
    if (GSS_ERROR(major) || !*set || (*set)->count < 2 || (*set)->elements[0].length == 0) {
        krb_trace_gss("GSS_C_INQ_SSPI_SESSION_KEY", major, minor, SEC_E_UNSUPPORTED_FUNCTION);
        if (*set)
            gss_release_buffer_set(&minor, set);
        return SEC_E_UNSUPPORTED_FUNCTION;
    }
    /* elements[1]: the OID 1.2.840.113554.1.2.2.5.10.<enctype>; the last arc
     * is base-128, high bit set on all but its final byte */
    const uint8_t *o = (*set)->elements[1].value;
    size_t n = (*set)->elements[1].length, i = n;
    uint32_t v = 0;
    while (i > 0 && (i == n || (o[i - 1] & 0x80)))
        i--;
    for (size_t k = i; k < n && k < i + 5; k++)
        v = (v << 7) | (o[k] & 0x7f);
    *enctype = (int32_t)v;
    return SEC_E_OK;
}

SECURITY_STATUS krb_session_enctype(struct krb_ctx *c, int32_t *enctype, size_t *keylen)
{
    gss_buffer_set_t set;
    SECURITY_STATUS st = session_key(c, &set, enctype);
    if (st != SEC_E_OK)
        return st;
    OM_uint32 minor;
    *keylen = set->elements[0].length;
    OPENSSL_cleanse(set->elements[0].value, *keylen);
    gss_release_buffer_set(&minor, &set);
    return SEC_E_OK;
}

/* cksum_for - the RFC 3961 checksum type a context key of enctype signs with,
 * and its name (the value Windows reports as SignatureAlgorithm). */
static int32_t cksum_for(int32_t enctype, const char **name)
{
    switch (enctype) {
    case ENCTYPE_AES128_CTS_HMAC_SHA1_96:
        *name = "hmac-sha1-96-aes128";
        return CKSUMTYPE_HMAC_SHA1_96_AES128;
    case ENCTYPE_AES256_CTS_HMAC_SHA1_96:
        *name = "hmac-sha1-96-aes256";
        return CKSUMTYPE_HMAC_SHA1_96_AES256;
    case ENCTYPE_AES128_CTS_HMAC_SHA256_128:
        *name = "hmac-sha256-128-aes128";
        return CKSUMTYPE_HMAC_SHA256_128_AES128;
    case ENCTYPE_AES256_CTS_HMAC_SHA384_192:
        *name = "hmac-sha384-192-aes256";
        return CKSUMTYPE_HMAC_SHA384_192_AES256;
    case ENCTYPE_ARCFOUR_HMAC:
    case ENCTYPE_ARCFOUR_HMAC_EXP:
        *name = "hmac-md5-rc4";
        return CKSUMTYPE_HMAC_MD5_ARCFOUR;
    case ENCTYPE_DES3_CBC_SHA1:
        *name = "hmac-sha1-des3-kd";
        return CKSUMTYPE_HMAC_SHA1_DES3;
    case ENCTYPE_CAMELLIA128_CTS_CMAC:
        *name = "cmac-camellia128";
        return CKSUMTYPE_CMAC_CAMELLIA128;
    case ENCTYPE_CAMELLIA256_CTS_CMAC:
        *name = "cmac-camellia256";
        return CKSUMTYPE_CMAC_CAMELLIA256;
    default:
        *name = "unknown";
        return 0;
    }
}

SECURITY_STATUS krb_query_ctx(void *p, uint32_t attr, void *buf)
{
    struct krb_ctx *c = p;
    switch (attr) {
    case SECPKG_ATTR_SIZES:
        return krb_sizes(c, buf);
    case SECPKG_ATTR_FLAGS:
        ((SecPkgContext_Flags *)buf)->Flags = c->done ? c->attrs : ret_flags(c);
        return SEC_E_OK;
    case SECPKG_ATTR_LIFESPAN: {
        if (!c->done)
            return SEC_E_INVALID_HANDLE;
        SecPkgContext_Lifespan *l = buf;
        l->tsStart = krb_timestamp(c->start);
        l->tsExpiry = krb_timestamp(c->end);
        return SEC_E_OK;
    }
    case SECPKG_ATTR_SESSION_KEY: {
        if (!c->done)
            return SEC_E_INVALID_HANDLE;
        gss_buffer_set_t set;
        int32_t enctype;
        SECURITY_STATUS st = session_key(c, &set, &enctype);
        if (st != SEC_E_OK)
            return st;
        OM_uint32 minor;
        SecPkgContext_SessionKey *k = buf;
        size_t n = set->elements[0].length;
        k->SessionKey = malloc(n);
        if (k->SessionKey) {
            memcpy(k->SessionKey, set->elements[0].value, n);
            k->SessionKeyLength = (ULONG)n;
        }
        OPENSSL_cleanse(set->elements[0].value, n);
        gss_release_buffer_set(&minor, &set);
        return k->SessionKey ? SEC_E_OK : SEC_E_INSUFFICIENT_MEMORY;
    }
    case KERBEROS_ATTR_DELEGATED_CCACHE: {
        if (!c->done || !c->server)
            return c->done ? SEC_E_UNSUPPORTED_FUNCTION : SEC_E_INVALID_HANDLE;
        if (!c->deleg_name)
            return SEC_E_NO_CREDENTIALS;
        char *name = strdup(c->deleg_name);
        if (!name)
            return SEC_E_INSUFFICIENT_MEMORY;
        *(char **)buf = name;
        return SEC_E_OK;
    }
    default:
        return SEC_E_UNSUPPORTED_FUNCTION;
    }
}

SECURITY_STATUS krb_query_ctx_str(void *p, uint32_t attr, struct sspi_strattr *out)
{
    struct krb_ctx *c = p;
    if (!c->done)
        return SEC_E_INVALID_HANDLE;
    if (attr == SECPKG_ATTR_NAMES || attr == SECPKG_ATTR_NATIVE_NAMES || attr == SECPKG_ATTR_AUTHORITY) {
        SECURITY_STATUS st = names(c);
        if (st != SEC_E_OK)
            return st;
    }
    switch (attr) {
    case SECPKG_ATTR_NAMES:
        out->s[0] = c->client_name;
        return SEC_E_OK;
    case SECPKG_ATTR_NATIVE_NAMES:
        out->s[0] = c->client_name;
        out->s[1] = c->server_name;
        return SEC_E_OK;
    case SECPKG_ATTR_AUTHORITY:
        out->s[0] = c->realm;
        return SEC_E_OK;
    case SECPKG_ATTR_KEY_INFO: {
        int32_t enctype;
        size_t keylen;
        SECURITY_STATUS st = krb_session_enctype(c, &enctype, &keylen);
        if (st != SEC_E_OK)
            return st;
        const char *sig;
        int32_t cksum = cksum_for(enctype, &sig);
        if (krb5_enctype_to_name(enctype, FALSE, c->enc_name, sizeof(c->enc_name)) != 0)
            snprintf(c->enc_name, sizeof(c->enc_name), "enctype %d", (int)enctype);
        snprintf(c->sig_name, sizeof(c->sig_name), "%s", sig);
        out->s[0] = c->sig_name;
        out->s[1] = c->enc_name;
        out->n[0] = (uint32_t)(keylen * 8);
        out->n[1] = (uint32_t)cksum;
        out->n[2] = (uint32_t)enctype;
        return SEC_E_OK;
    }
    default:
        return SEC_E_UNSUPPORTED_FUNCTION;
    }
}
