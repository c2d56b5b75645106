/* src/negotiate/negotiate_context.c - the Negotiate package: SPNEGO (RFC 4178,
 * MS-SPNG) client and server state machines over the mechanism packages
 * (Kerberos when built with OPENSSPI_WITH_KERBEROS, NTLM), and delegation of
 * everything else to the mechanism that won. Wire bytes are built and parsed by
 * spnego_token.c.
 *
 * Client (ISC):
 *   #1      NegTokenInit { mechTypes (Kerberos as MS-KRB5 and KRB5, NTLM: those
 *           with credentials, allowed by PackageList, Kerberos not for IP
 *           address targets), mechToken = first token of the first mechanism }.
 *           A mechanism whose first init call fails is dropped from the list and
 *           the next one tried (no KDC, unknown SPN, no ticket -> NTLM), unless
 *           it said SEC_E_LOGON_DENIED (a wrong password stays wrong). CONTINUE.
 *   #2..    NegTokenResp in: the server's choice (a counter-proposal restarts
 *           with that mechanism), responseToken fed to the mechanism, the
 *           mechListMIC checked; out: NegTokenResp { responseToken, mechListMIC }.
 *           OK once the mechanism is complete, the server said accept-completed
 *           and, when MICs are exchanged, both were (so NTLM takes three calls,
 *           as on Windows).
 * Server (ASC):
 *   #1      no token: NegTokenInit2 with negHints (MS-SPNG 3.2.5.2). A raw NTLM
 *           (NTLMSSP) or Kerberos (GSS krb5) token: that package alone. A
 *           NegTokenInit: the first of the client's mechanisms we have
 *           credentials for; its optimistic token is used when it is the
 *           client's first choice, else request-mic and no token.
 *   #2..    NegTokenResp: responseToken to the mechanism, mechListMIC checked
 *           and ours sent; accept-completed when done, reject on failure (the
 *           reject token is returned with the error status).
 *
 * mechListMIC (RFC 4178 5, MS-SPNG 3.1.5.1, 3.2.5.1, 3.3.5.1): GSS_GetMIC of
 * the DER MechTypeList with the mechanism context, i.e. its MakeSignature.
 * Exchanged when the server sent request-mic or chose another mechanism than
 * the client's first, when the peer sent one, and when the NTLM AUTHENTICATE
 * message carries a MIC (MsvAvFlags 0x2), which Windows requires. NTLM's RC4
 * stream is restarted after each MIC (NEGO_ATTR_RESET_SEAL_STREAM). */
#include "negotiate/negotiate.h"

#include "asn1/der.h"
#include "core/bytes.h"
#include "negotiate/spnego_token.h"
#include "ntlm/ntlm_av_pairs.h"
#include "ntlm/ntlm_message.h"

#include <arpa/inet.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

extern const struct sspi_package ntlm_package;
#ifdef OPENSSPI_WITH_KERBEROS
extern const struct sspi_package kerberos_package;
#endif

/* ---- mechanisms ----------------------------------------------------------- */

struct mech_def {
    const struct sspi_package *pkg;
    bool kerberos;
    const uint8_t *oid[2]; /* the OIDs it is listed under, preferred first */
    size_t oid_len[2];
    size_t noids;
};

static const struct mech_def mech_defs[] = {
#ifdef OPENSSPI_WITH_KERBEROS
    { &kerberos_package,
      true,
      { spnego_oid_ms_krb5, spnego_oid_krb5 },
      { sizeof(spnego_oid_ms_krb5), sizeof(spnego_oid_krb5) },
      2 },
#endif
    { &ntlm_package, false, { spnego_oid_ntlm, NULL }, { sizeof(spnego_oid_ntlm), 0 }, 1 },
};
#define NMECH_DEFS (sizeof(mech_defs) / sizeof(mech_defs[0]))

/* def_for_oid - the mechanism an OID names, or NULL */
static const struct mech_def *def_for_oid(struct rd oid)
{
    for (size_t i = 0; i < NMECH_DEFS; i++)
        for (size_t k = 0; k < mech_defs[i].noids; k++)
            if (der_oid_equal(oid, mech_defs[i].oid[k], mech_defs[i].oid_len[k]))
                return &mech_defs[i];
    return NULL;
}

static bool is_kerberos(const struct mech_def *d)
{
    return d && d->kerberos;
}

/* ---- credentials ------------------------------------------------------------ */

struct nego_mech {
    const struct mech_def *def;
    void *cred; /* the package's own credential */
};

struct nego_cred {
    uint32_t use;
    size_t n;
    struct nego_mech m[NEGO_MAX_MECHS];
};

void nego_free_cred(void *p)
{
    struct nego_cred *c = p;
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++)
        if (c->m[i].def->pkg->free_cred)
            c->m[i].def->pkg->free_cred(c->m[i].cred);
    free(c);
}

/* list_token - the next comma-separated entry of a PackageList: *name and *len,
 * *exclude for a '!' prefix; false at the end. */
static bool list_token(const char **p, const char **name, size_t *len, bool *exclude)
{
    const char *s = *p;
    while (*s == ' ' || *s == '\t' || *s == ',')
        s++;
    if (!*s)
        return false;
    const char *end = strchr(s, ',');
    if (!end)
        end = s + strlen(s);
    *p = end;
    const char *e = end;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
    *exclude = *s == '!';
    if (*exclude) {
        s++;
        while (s < e && (*s == ' ' || *s == '\t'))
            s++;
    }
    *name = s;
    *len = (size_t)(e - s);
    return true;
}

bool nego_package_list_allows(const char *list, const char *name)
{
    if (!list)
        return true;
    bool any_positive = false, named = false, excluded = false;
    const char *p = list, *t;
    size_t n;
    bool ex;
    size_t nlen = strlen(name);
    while (list_token(&p, &t, &n, &ex)) {
        bool match = n == nlen && strncasecmp(t, name, n) == 0;
        if (ex) {
            excluded |= match;
        } else if (n) {
            any_positive = true;
            named |= match;
        }
    }
    if (excluded)
        return false;
    return !any_positive || named;
}

SECURITY_STATUS nego_acquire_cred(const struct sspi_cred_args *a, void **out, TimeStamp *expiry)
{
    struct nego_cred *c = calloc(1, sizeof(*c));
    SECURITY_STATUS first_err = SEC_E_NO_CREDENTIALS;
    bool tried = false;
    if (!c)
        return SEC_E_INSUFFICIENT_MEMORY;
    c->use = a->use;
    const char *list = a->id ? a->id->package_list : NULL;
    TimeStamp exp = sspi_expiry_never();
    for (size_t i = 0; i < NMECH_DEFS && c->n < NEGO_MAX_MECHS; i++) {
        const struct sspi_package *pkg = mech_defs[i].pkg;
        if (!nego_package_list_allows(list, pkg->name) || !pkg->acquire_cred)
            continue;
        void *pc = NULL;
        TimeStamp e = sspi_expiry_never();
        SECURITY_STATUS st = pkg->acquire_cred(a, &pc, &e);
        if (st != SEC_E_OK) {
            if (!tried)
                first_err = st;
            tried = true;
            continue;
        }
        tried = true;
        c->m[c->n].def = &mech_defs[i];
        c->m[c->n].cred = pc;
        c->n++;
        int64_t ev = (int64_t)((uint64_t)(uint32_t)e.HighPart << 32 | e.LowPart);
        int64_t xv = (int64_t)((uint64_t)(uint32_t)exp.HighPart << 32 | exp.LowPart);
        if (ev < xv)
            exp = e;
    }
    if (c->n == 0) {
        nego_free_cred(c);
        return tried ? first_err : SEC_E_NO_CREDENTIALS;
    }
    *out = c;
    *expiry = exp;
    return SEC_E_OK;
}

SECURITY_STATUS nego_query_cred_str(void *p, uint32_t attr, struct sspi_strattr *out)
{
    struct nego_cred *c = p;
    SECURITY_STATUS st = SEC_E_UNSUPPORTED_FUNCTION;
    for (size_t i = 0; i < c->n; i++) {
        const struct sspi_package *pkg = c->m[i].def->pkg;
        if (!pkg->query_cred_str)
            continue;
        st = pkg->query_cred_str(c->m[i].cred, attr, out);
        if (st == SEC_E_OK)
            return st;
    }
    return st;
}

/* ---- target names ----------------------------------------------------------- */

bool nego_target_is_address(const char *target)
{
    char host[256];
    if (!target)
        return false;
    const char *s = strchr(target, '/');
    const char *at = strchr(target, '@');
    if (s) {
        s++; /* "service/host[:port][/name][@REALM]" */
    } else if (at) {
        s = at + 1; /* "service@host" */
    } else {
        s = target;
    }
    size_t n = strcspn(s, "/@");
    if (n == 0 || n >= sizeof(host))
        return false;
    memcpy(host, s, n);
    host[n] = 0;
    unsigned char addr[16];
    if (host[0] == '[') {
        char *close = strchr(host, ']');
        if (!close)
            return false;
        *close = 0;
        return inet_pton(AF_INET6, host + 1, addr) == 1;
    }
    if (inet_pton(AF_INET6, host, addr) == 1)
        return true;
    char *colon = strrchr(host, ':');
    if (colon)
        *colon = 0;
    return inet_pton(AF_INET, host, addr) == 1;
}

/* ---- contexts ------------------------------------------------------------- */

enum nego_state { ST_NEW, ST_HINTS_SENT, ST_RUNNING, ST_DONE, ST_FAILED };

struct nego_ctx {
    bool server;
    bool raw; /* server: a bare mechanism token came in, no SPNEGO */
    enum nego_state state;
    uint32_t req;
    const struct mech_def *def; /* the mechanism tried or chosen */
    void *icred;                /* its credential (owned by the Negotiate credential) */
    void *ictx;                 /* its context */
    bool idone;                 /* its context is complete */
    bool nego_done;             /* client: the server's first answer was taken */
    bool peer_completed;        /* client: the server said accept-completed */
    bool mic_required, mic_sent, mic_received;
    uint8_t oid[DER_MAX_OID];   /* the chosen mechanism's OID as negotiated */
    size_t oid_len;
    struct wr mech_types;       /* DER MechTypeList sent or received: what MICs sign */
    uint32_t attrs;
    TimeStamp expiry;
    /* client: the mechanisms still in play, the tried one first */
    size_t ncand;
    struct nego_mech cand[NEGO_MAX_MECHS];
};

static void inner_delete(struct nego_ctx *c)
{
    if (c->ictx && c->def && c->def->pkg->delete_ctx)
        c->def->pkg->delete_ctx(c->ictx);
    c->ictx = NULL;
    c->idone = false;
}

void nego_delete_ctx(void *p)
{
    struct nego_ctx *c = p;
    if (!c)
        return;
    inner_delete(c);
    wr_free(&c->mech_types);
    OPENSSL_clear_free(c, sizeof(*c));
}

static struct nego_ctx *ctx_new(bool server, uint32_t req)
{
    struct nego_ctx *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->server = server;
    c->req = req;
    c->expiry = sspi_expiry_never();
    wr_init(&c->mech_types, 0, 4096, 0);
    return c;
}

static bool set_oid(struct nego_ctx *c, struct rd oid)
{
    if (oid.len == 0 || oid.len > sizeof(c->oid))
        return false;
    memcpy(c->oid, oid.p, oid.len);
    c->oid_len = oid.len;
    return true;
}

static struct rd ctx_oid(const struct nego_ctx *c)
{
    return rd_init(c->oid, c->oid_len);
}

/* input_token - the caller's first SECBUFFER_TOKEN (false when there is none
 * or it is empty or oversized) */
static bool input_token(const struct sspi_step *s, struct rd *tok)
{
    SecBuffer *b = sspi_find_buffer(s->in, SECBUFFER_TOKEN, 0);
    if (!b || !b->pvBuffer || b->cbBuffer == 0 || b->cbBuffer > SPNEGO_MAX_TOKEN)
        return false;
    *tok = rd_init(b->pvBuffer, b->cbBuffer);
    return true;
}

static bool is_success(SECURITY_STATUS st)
{
    return st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED || st == SEC_I_COMPLETE_NEEDED
        || st == SEC_I_COMPLETE_AND_CONTINUE;
}

/* inner_step - one init/accept call of the mechanism with tok (NULL: none) and
 * the caller's channel bindings. *out and *out_len take its token (or NULL),
 * which the caller frees: on failure that is the mechanism's error token (a
 * KRB-ERROR, say). On success c->idone/attrs/expiry are updated. */
static SECURITY_STATUS inner_step(struct nego_ctx *c, const struct sspi_step *s, const struct rd *tok,
                                  uint8_t **out, size_t *out_len)
{
    SecBuffer bufs[2];
    SecBufferDesc desc = { SECBUFFER_VERSION, 0, bufs };
    *out = NULL;
    *out_len = 0;
    if (tok) {
        bufs[desc.cBuffers].BufferType = SECBUFFER_TOKEN;
        bufs[desc.cBuffers].cbBuffer = (ULONG)tok->len;
        bufs[desc.cBuffers].pvBuffer = (void *)tok->p;
        desc.cBuffers++;
    }
    SecBuffer *cb = sspi_find_buffer(s->in, SECBUFFER_CHANNEL_BINDINGS, 0);
    if (cb)
        bufs[desc.cBuffers++] = *cb;
    struct sspi_step is;
    memset(&is, 0, sizeof(is));
    is.target = s->target;
    /* a mechListMIC needs integrity from the mechanism, whatever the caller asked */
    is.req = c->server ? ((s->req & ~(uint32_t)ASC_REQ_ALLOCATE_MEMORY) | ASC_REQ_INTEGRITY)
                       : ((s->req & ~(uint32_t)ISC_REQ_ALLOCATE_MEMORY) | ISC_REQ_INTEGRITY);
    is.data_rep = s->data_rep;
    is.in = desc.cBuffers ? &desc : NULL;
    is.out = NULL;
    is.expiry = sspi_expiry_never();
    const struct sspi_package *pkg = c->def->pkg;
    SECURITY_STATUS (*fn)(void *, void **, struct sspi_step *) = c->server ? pkg->accept_ctx : pkg->init_ctx;
    if (!fn)
        return SEC_E_UNSUPPORTED_FUNCTION;
    SECURITY_STATUS st = fn(c->icred, &c->ictx, &is);
    *out = is.token;
    *out_len = is.token ? is.token_len : 0;
    if (!is_success(st))
        return st;
    c->idone = st == SEC_E_OK || st == SEC_I_COMPLETE_NEEDED;
    c->attrs = is.attrs;
    c->expiry = is.expiry;
    return SEC_I_CONTINUE_NEEDED;
}

static bool has_integrity(const struct nego_ctx *c)
{
    return (c->attrs & (c->server ? (uint32_t)ASC_RET_INTEGRITY : (uint32_t)ISC_RET_INTEGRITY)) != 0;
}

/* ntlm_auth_has_mic - is tok an NTLM AUTHENTICATE message whose NTLMv2
 * response announces a MIC (MsvAvFlags 0x2)? */
static bool ntlm_auth_has_mic(struct rd tok)
{
    struct ntlm_authenticate a;
    struct ntlm_v2_blob blob;
    struct ntlm_av av;
    uint8_t proof[16];
    if (ntlm_message_type(tok) != NTLM_AUTHENTICATE || !ntlm_parse_authenticate(tok, &a))
        return false;
    if (a.nt_response.len <= 24 || !ntlm_parse_v2_blob(a.nt_response, proof, &blob)
        || !ntlm_av_parse(blob.av_pairs, &av))
        return false;
    return av.has_flags && (av.flags & MSV_AV_FLAG_MIC) != 0;
}

static void reset_stream(struct nego_ctx *c, uint32_t which)
{
    if (c->def->pkg == &ntlm_package && c->def->pkg->set_ctx)
        (void)c->def->pkg->set_ctx(c->ictx, NEGO_ATTR_RESET_SEAL_STREAM, &which, sizeof(which));
}

/* mic_make - the mechListMIC over c->mech_types (malloc'd into *mic) */
static SECURITY_STATUS mic_make(struct nego_ctx *c, uint8_t **mic, size_t *mic_len)
{
    const struct sspi_package *pkg = c->def->pkg;
    SecPkgContext_Sizes sz;
    *mic = NULL;
    *mic_len = 0;
    if (!pkg->make_sig || !pkg->query_ctx || pkg->query_ctx(c->ictx, SECPKG_ATTR_SIZES, &sz) != SEC_E_OK
        || sz.cbMaxSignature == 0 || sz.cbMaxSignature > 4096)
        return SEC_E_INTERNAL_ERROR;
    uint8_t *sig = malloc(sz.cbMaxSignature);
    uint8_t *data = malloc(c->mech_types.len);
    SECURITY_STATUS st = SEC_E_INSUFFICIENT_MEMORY;
    if (!sig || !data)
        goto out;
    memcpy(data, c->mech_types.buf, c->mech_types.len);
    SecBuffer b[2] = { { (ULONG)c->mech_types.len, SECBUFFER_DATA, data }, { sz.cbMaxSignature, SECBUFFER_TOKEN, sig } };
    SecBufferDesc d = { SECBUFFER_VERSION, 2, b };
    st = pkg->make_sig(c->ictx, 0, &d, 0);
    if (st != SEC_E_OK)
        goto out;
    reset_stream(c, NEGO_RESET_SEND);
    *mic = sig;
    *mic_len = b[1].cbBuffer;
    sig = NULL;
out:
    free(sig);
    free(data);
    return st;
}

/* mic_verify - check the peer's mechListMIC over c->mech_types */
static SECURITY_STATUS mic_verify(struct nego_ctx *c, struct rd mic)
{
    const struct sspi_package *pkg = c->def->pkg;
    if (!pkg->verify_sig)
        return SEC_E_INTERNAL_ERROR;
    uint8_t *sig = malloc(mic.len ? mic.len : 1);
    uint8_t *data = malloc(c->mech_types.len);
    SECURITY_STATUS st = SEC_E_INSUFFICIENT_MEMORY;
    if (!sig || !data)
        goto out;
    if (mic.len)
        memcpy(sig, mic.p, mic.len);
    memcpy(data, c->mech_types.buf, c->mech_types.len);
    SecBuffer b[2] = { { (ULONG)c->mech_types.len, SECBUFFER_DATA, data }, { (ULONG)mic.len, SECBUFFER_TOKEN, sig } };
    SecBufferDesc d = { SECBUFFER_VERSION, 2, b };
    uint32_t qop = 0;
    st = pkg->verify_sig(c->ictx, &d, 0, &qop);
    if (st == SEC_E_OK)
        reset_stream(c, NEGO_RESET_RECV);
    else if (st != SEC_E_INSUFFICIENT_MEMORY)
        st = SEC_E_MESSAGE_ALTERED;
out:
    free(sig);
    free(data);
    return st;
}

/* resp_token - build a NegTokenResp into s->token */
static SECURITY_STATUS resp_token(struct sspi_step *s, const struct spnego_resp *r)
{
    struct wr w;
    wr_init(&w, 64 + r->token.len + r->mic.len, SPNEGO_MAX_TOKEN, 0);
    if (!spnego_build_resp(&w, r)) {
        wr_free(&w);
        return SEC_E_INSUFFICIENT_MEMORY;
    }
    s->token = wr_steal(&w, &s->token_len);
    return s->token ? SEC_E_OK : SEC_E_INSUFFICIENT_MEMORY;
}

/* reject - the reject NegTokenResp, with the mechanism's error token mtok (may
 * be NULL; freed here), into s->token; returns st, the status the caller fails
 * with. */
static SECURITY_STATUS reject(struct nego_ctx *c, struct sspi_step *s, SECURITY_STATUS st, uint8_t *mtok,
                              size_t mtok_len)
{
    struct spnego_resp r;
    memset(&r, 0, sizeof(r));
    r.has_state = true;
    r.state = SPNEGO_REJECT;
    r.has_token = mtok_len > 0;
    r.token = rd_init(mtok, mtok_len);
    c->state = ST_FAILED;
    (void)resp_token(s, &r);
    free(mtok);
    return st;
}

/* mic_step - once the mechanism is complete: check the peer's mechListMIC
 * (has_mic/mic), produce ours when the exchange needs it (*out_mic), refuse a
 * missing one. sending_token: the mechanism still sends a token this step,
 * so the peer's MIC may come after it. */
static SECURITY_STATUS mic_step(struct nego_ctx *c, bool has_mic, struct rd mic, bool sending_token,
                                uint8_t **out_mic, size_t *out_mic_len)
{
    *out_mic = NULL;
    *out_mic_len = 0;
    if (!c->idone || !has_integrity(c)) {
        if (has_mic)
            return SEC_E_INVALID_TOKEN; /* a MIC we cannot check */
        return SEC_E_OK;
    }
    if (has_mic) {
        if (c->mic_received)
            return SEC_E_INVALID_TOKEN;
        SECURITY_STATUS st = mic_verify(c, mic);
        if (st != SEC_E_OK)
            return st;
        c->mic_received = true;
        c->mic_required = true;
    } else if (c->mic_required && !c->mic_received && !sending_token && c->mic_sent) {
        /* we sent ours and the peer finished without its own */
        return SEC_E_INVALID_TOKEN;
    } else if (c->mic_required && !c->mic_received && !sending_token && c->server) {
        /* the client's last mechanism token must come with its MIC */
        return SEC_E_INVALID_TOKEN;
    }
    if (c->mic_required && !c->mic_sent) {
        SECURITY_STATUS st = mic_make(c, out_mic, out_mic_len);
        if (st != SEC_E_OK)
            return st;
        c->mic_sent = true;
    }
    return SEC_E_OK;
}

/* mics_done - is the MIC part of the exchange finished? */
static bool mics_done(const struct nego_ctx *c)
{
    if (!has_integrity(c) || !c->mic_required)
        return true;
    return c->mic_sent && c->mic_received;
}

/* ---- client ------------------------------------------------------------------ */

/* build_mech_types - the DER MechTypeList of c->cand[] into c->mech_types */
static bool build_mech_types(struct nego_ctx *c)
{
    struct rd oids[NEGO_MAX_MECHS * 2];
    size_t n = 0;
    for (size_t i = 0; i < c->ncand; i++)
        for (size_t k = 0; k < c->cand[i].def->noids; k++)
            oids[n++] = rd_init(c->cand[i].def->oid[k], c->cand[i].def->oid_len[k]);
    c->mech_types.len = 0;
    c->mech_types.err = false;
    return spnego_build_mech_list(&c->mech_types, oids, n);
}

/* server_offers - does a server's NegTokenInit2 list one of d's OIDs? */
static bool server_offers(const struct spnego_init *hints, const struct mech_def *d)
{
    for (size_t i = 0; i < hints->nmechs; i++)
        if (def_for_oid(hints->mechs[i]) == d)
            return true;
    return false;
}

static SECURITY_STATUS client_start(struct nego_ctx *c, struct nego_cred *cred, struct sspi_step *s)
{
    struct rd tok;
    struct spnego_init hints;
    bool have_hints = false;
    memset(&hints, 0, sizeof(hints));
    /* a server that spoke first (NegTokenInit2) says what it takes */
    if (input_token(s, &tok)) {
        if (!spnego_parse_init(tok, &hints))
            return SEC_E_INVALID_TOKEN;
        have_hints = hints.nmechs > 0;
    }
    bool ip = nego_target_is_address(s->target);
    for (size_t i = 0; i < cred->n; i++) {
        const struct mech_def *d = cred->m[i].def;
        if (is_kerberos(d) && (ip || !s->target))
            continue;
        if (have_hints && !server_offers(&hints, d))
            continue;
        c->cand[c->ncand++] = cred->m[i];
    }
    SECURITY_STATUS first_err = SEC_E_NO_CREDENTIALS, st = SEC_E_NO_CREDENTIALS;
    bool tried = false;
    uint8_t *mtok = NULL;
    size_t mtok_len = 0;
    while (c->ncand) {
        c->def = c->cand[0].def;
        c->icred = c->cand[0].cred;
        st = inner_step(c, s, NULL, &mtok, &mtok_len);
        if (is_success(st))
            break;
        free(mtok);
        mtok = NULL;
        inner_delete(c);
        if (!tried)
            first_err = st;
        tried = true;
        /* a refused password or account is the answer: NTLM would ask for the
         * same account again (and count towards its lockout) */
        if (st == SEC_E_LOGON_DENIED || st == SEC_E_INSUFFICIENT_MEMORY)
            return st;
        /* this mechanism cannot start (no KDC, unknown SPN, no ticket): drop it */
        memmove(&c->cand[0], &c->cand[1], (c->ncand - 1) * sizeof(c->cand[0]));
        c->ncand--;
    }
    if (!c->ncand)
        return first_err;
    if (!build_mech_types(c) || !set_oid(c, rd_init(c->def->oid[0], c->def->oid_len[0]))) {
        free(mtok);
        return SEC_E_INSUFFICIENT_MEMORY;
    }
    struct spnego_init m;
    memset(&m, 0, sizeof(m));
    m.mech_types = rd_init(c->mech_types.buf, c->mech_types.len);
    m.has_mech_token = mtok_len > 0;
    m.mech_token = rd_init(mtok, mtok_len);
    struct wr w;
    wr_init(&w, 64 + c->mech_types.len + mtok_len, SPNEGO_MAX_TOKEN, 0);
    bool ok = spnego_build_init(&w, &m);
    free(mtok);
    if (!ok) {
        wr_free(&w);
        return SEC_E_INSUFFICIENT_MEMORY;
    }
    s->token = wr_steal(&w, &s->token_len);
    if (!s->token)
        return SEC_E_INSUFFICIENT_MEMORY;
    c->state = ST_RUNNING;
    s->attrs = c->attrs;
    s->expiry = c->expiry;
    return SEC_I_CONTINUE_NEEDED;
}

/* same_mech - do two OIDs name the same mechanism (both Kerberos OIDs do)? */
static bool same_mech(struct rd a, struct rd b)
{
    if (der_oid_equal(a, b.p, b.len))
        return true;
    const struct mech_def *da = def_for_oid(a);
    return da && da == def_for_oid(b);
}

/* client_reselect - the server counter-proposed mech: start it from scratch */
static SECURITY_STATUS client_reselect(struct nego_ctx *c, struct sspi_step *s, const struct spnego_resp *r)
{
    const struct mech_def *d = def_for_oid(r->mech);
    size_t i;
    for (i = 0; i < c->ncand; i++)
        if (c->cand[i].def == d)
            break;
    if (!d || i == c->ncand)
        return SEC_E_INVALID_TOKEN; /* not a mechanism we offered */
    /* RFC 4178 wants request-mic here; Windows Server 2003 falls back to NTLM
     * with accept-incomplete, which is tolerated for NTLM only (as MIT does) */
    if (!r->has_state || (r->state != SPNEGO_REQUEST_MIC && !(r->state == SPNEGO_ACCEPT_INCOMPLETE && d->pkg == &ntlm_package)))
        return SEC_E_INVALID_TOKEN;
    inner_delete(c);
    c->def = d;
    c->icred = c->cand[i].cred;
    c->mic_required = r->state == SPNEGO_REQUEST_MIC;
    if (!set_oid(c, r->mech))
        return SEC_E_INVALID_TOKEN;
    uint8_t *mtok = NULL;
    size_t mtok_len = 0;
    SECURITY_STATUS st = inner_step(c, s, NULL, &mtok, &mtok_len);
    if (!is_success(st)) {
        free(mtok);
        c->state = ST_FAILED;
        return st;
    }
    struct spnego_resp out;
    memset(&out, 0, sizeof(out));
    out.has_state = true;
    out.state = SPNEGO_ACCEPT_INCOMPLETE;
    out.has_token = mtok_len > 0;
    out.token = rd_init(mtok, mtok_len);
    st = resp_token(s, &out);
    free(mtok);
    if (st != SEC_E_OK)
        return st;
    s->attrs = c->attrs;
    s->expiry = c->expiry;
    return SEC_I_CONTINUE_NEEDED;
}

static SECURITY_STATUS client_continue(struct nego_ctx *c, struct sspi_step *s)
{
    struct rd tok;
    struct spnego_resp r;
    if (!input_token(s, &tok) || !spnego_parse_resp(tok, &r))
        return SEC_E_INVALID_TOKEN;
    if (r.has_state && r.state == SPNEGO_REJECT) {
        SECURITY_STATUS st = SEC_E_LOGON_DENIED;
        if (r.has_token && r.token.len && !c->idone && c->ictx) {
            /* the mechanism's error token says more (a KRB-ERROR, say) */
            uint8_t *o = NULL;
            size_t ol = 0;
            SECURITY_STATUS ist = inner_step(c, s, &r.token, &o, &ol);
            free(o);
            if (!is_success(ist))
                st = ist;
        }
        c->state = ST_FAILED;
        return st;
    }
    if (!c->nego_done) {
        c->nego_done = true;
        if (r.has_mech && !same_mech(r.mech, ctx_oid(c)))
            return client_reselect(c, s, &r);
        if (r.has_state && r.state == SPNEGO_REQUEST_MIC)
            c->mic_required = true;
    } else if (r.has_mech) {
        return SEC_E_INVALID_TOKEN; /* only the first answer names the mechanism */
    }
    if (r.has_state && r.state == SPNEGO_ACCEPT_COMPLETED)
        c->peer_completed = true;

    uint8_t *mtok = NULL, *mic = NULL;
    size_t mtok_len = 0, mic_len = 0;
    SECURITY_STATUS st;
    if (!c->idone) {
        if (!r.has_token || r.token.len == 0)
            return SEC_E_INVALID_TOKEN;
        st = inner_step(c, s, &r.token, &mtok, &mtok_len);
        if (!is_success(st)) {
            free(mtok);
            c->state = ST_FAILED;
            return st;
        }
        if (c->idone && c->def->pkg == &ntlm_package && ntlm_auth_has_mic(rd_init(mtok, mtok_len)))
            c->mic_required = true;
    } else if (r.has_token && r.token.len) {
        return SEC_E_INVALID_TOKEN; /* a token for a finished mechanism */
    }
    st = mic_step(c, r.has_mic, r.mic, mtok_len > 0, &mic, &mic_len);
    if (st != SEC_E_OK) {
        c->state = ST_FAILED;
        free(mtok);
        return st;
    }
    bool done = c->idone && mics_done(c) && (c->peer_completed || (c->mic_required && has_integrity(c)));
    if (c->peer_completed && !done) {
        /* the server finished but we are not: a missing token or MIC */
        free(mtok);
        free(mic);
        c->state = ST_FAILED;
        return SEC_E_INVALID_TOKEN;
    }
    st = SEC_E_OK;
    if (mtok_len || mic_len) {
        struct spnego_resp out;
        memset(&out, 0, sizeof(out));
        out.has_state = true;
        out.state = done ? SPNEGO_ACCEPT_COMPLETED : SPNEGO_ACCEPT_INCOMPLETE;
        out.has_token = mtok_len > 0;
        out.token = rd_init(mtok, mtok_len);
        out.has_mic = mic_len > 0;
        out.mic = rd_init(mic, mic_len);
        st = resp_token(s, &out);
    }
    free(mtok);
    free(mic);
    if (st != SEC_E_OK)
        return st;
    s->attrs = c->attrs;
    s->expiry = c->expiry;
    if (done) {
        c->state = ST_DONE;
        return SEC_E_OK;
    }
    return SEC_I_CONTINUE_NEEDED;
}

SECURITY_STATUS nego_init_ctx(void *credp, void **ctxp, struct sspi_step *s)
{
    struct nego_cred *cred = credp;
    struct nego_ctx *c = *ctxp;
    if (!cred)
        return SEC_E_INVALID_HANDLE;
    if (!c) {
        if (!(cred->use & SECPKG_CRED_OUTBOUND))
            return SEC_E_WRONG_CREDENTIAL_HANDLE;
        c = ctx_new(false, s->req);
        if (!c)
            return SEC_E_INSUFFICIENT_MEMORY;
        SECURITY_STATUS st = client_start(c, cred, s);
        if (st != SEC_I_CONTINUE_NEEDED) {
            nego_delete_ctx(c);
            return st;
        }
        *ctxp = c;
        return st;
    }
    if (c->state != ST_RUNNING)
        return SEC_E_OUT_OF_SEQUENCE;
    return client_continue(c, s);
}

/* ---- server ------------------------------------------------------------------ */

/* cred_mech - our credential for d, or NULL */
static const struct nego_mech *cred_mech(const struct nego_cred *cred, const struct mech_def *d)
{
    for (size_t i = 0; i < cred->n; i++)
        if (cred->m[i].def == d)
            return &cred->m[i];
    return NULL;
}

/* server_hints - NegTokenInit2: our mechanisms and the Windows hint name */
static SECURITY_STATUS server_hints(struct nego_ctx *c, struct nego_cred *cred, struct sspi_step *s)
{
    struct rd oids[NEGO_MAX_MECHS * 2];
    size_t n = 0;
    for (size_t i = 0; i < cred->n; i++)
        for (size_t k = 0; k < cred->m[i].def->noids; k++)
            oids[n++] = rd_init(cred->m[i].def->oid[k], cred->m[i].def->oid_len[k]);
    struct wr list, w;
    wr_init(&list, 64, 4096, 0);
    wr_init(&w, 128, SPNEGO_MAX_TOKEN, 0);
    struct spnego_init m;
    memset(&m, 0, sizeof(m));
    SECURITY_STATUS st = SEC_E_INSUFFICIENT_MEMORY;
    if (!spnego_build_mech_list(&list, oids, n))
        goto out;
    m.mech_types = rd_init(list.buf, list.len);
    m.has_hints = true;
    m.has_hint_name = true;
    m.hint_name = rd_init(SPNEGO_HINT_NAME, strlen(SPNEGO_HINT_NAME));
    if (!spnego_build_init(&w, &m))
        goto out;
    s->token = wr_steal(&w, &s->token_len);
    if (!s->token)
        goto out;
    c->state = ST_HINTS_SENT;
    st = SEC_I_CONTINUE_NEEDED;
out:
    wr_free(&list);
    wr_free(&w);
    return st;
}

/* server_raw - a bare mechanism token: the package alone from now on */
static SECURITY_STATUS server_raw(struct nego_ctx *c, const struct nego_mech *m, struct sspi_step *s)
{
    c->raw = true;
    c->def = m->def;
    c->icred = m->cred;
    SECURITY_STATUS st = m->def->pkg->accept_ctx(c->icred, &c->ictx, s);
    if (!is_success(st))
        return st;
    c->attrs = s->attrs;
    c->expiry = s->expiry;
    c->idone = st == SEC_E_OK || st == SEC_I_COMPLETE_NEEDED;
    c->state = c->idone ? ST_DONE : ST_RUNNING;
    return st;
}

/* server_finish - the NegTokenResp after a mechanism step (first: with
 * supportedMech) and the status that goes with it */
static SECURITY_STATUS server_finish(struct nego_ctx *c, struct sspi_step *s, bool first, uint8_t *mtok,
                                     size_t mtok_len, bool has_mic, struct rd peer_mic)
{
    uint8_t *mic = NULL;
    size_t mic_len = 0;
    bool had_sent_mic = c->mic_sent;
    SECURITY_STATUS st = mic_step(c, has_mic, peer_mic, mtok_len > 0, &mic, &mic_len);
    if (st != SEC_E_OK) {
        free(mtok);
        return reject(c, s, st, NULL, 0);
    }
    bool done = c->idone && mics_done(c);
    st = SEC_E_OK;
    if (first || !done || mtok_len || mic_len || !had_sent_mic) {
        struct spnego_resp out;
        memset(&out, 0, sizeof(out));
        out.has_state = true;
        out.state = done ? SPNEGO_ACCEPT_COMPLETED : SPNEGO_ACCEPT_INCOMPLETE;
        out.has_mech = first;
        out.mech = ctx_oid(c);
        out.has_token = mtok_len > 0;
        out.token = rd_init(mtok, mtok_len);
        out.has_mic = mic_len > 0;
        out.mic = rd_init(mic, mic_len);
        st = resp_token(s, &out);
    }
    free(mtok);
    free(mic);
    if (st != SEC_E_OK)
        return st;
    s->attrs = c->attrs;
    s->expiry = c->expiry;
    c->state = done ? ST_DONE : ST_RUNNING;
    return done ? SEC_E_OK : SEC_I_CONTINUE_NEEDED;
}

static SECURITY_STATUS server_init(struct nego_ctx *c, struct nego_cred *cred, struct sspi_step *s, struct rd tok)
{
    struct spnego_init m;
    if (!spnego_parse_init(tok, &m) || m.nmechs == 0)
        return SEC_E_INVALID_TOKEN;
    /* the first of the client's mechanisms we can do */
    const struct nego_mech *chosen = NULL;
    size_t at = 0;
    for (size_t i = 0; i < m.nmechs && !chosen; i++) {
        const struct mech_def *d = def_for_oid(m.mechs[i]);
        chosen = d ? cred_mech(cred, d) : NULL;
        at = i;
    }
    c->mech_types.len = 0;
    if (!wr_bytes(&c->mech_types, m.mech_types.p, m.mech_types.len))
        return SEC_E_INSUFFICIENT_MEMORY;
    if (!chosen) {
        c->mech_types.len = 0;
        return reject(c, s, SEC_E_SECPKG_NOT_FOUND, NULL, 0);
    }
    c->def = chosen->def;
    c->icred = chosen->cred;
    if (!set_oid(c, m.mechs[at]))
        return SEC_E_INVALID_TOKEN;
    c->state = ST_RUNNING;
    /* the optimistic token is for the client's first mechanism */
    bool optimistic = def_for_oid(m.mechs[0]) == chosen->def;
    if (!optimistic) {
        struct spnego_resp out;
        memset(&out, 0, sizeof(out));
        out.has_state = true;
        out.state = SPNEGO_REQUEST_MIC;
        out.has_mech = true;
        out.mech = ctx_oid(c);
        c->mic_required = true;
        SECURITY_STATUS st = resp_token(s, &out);
        if (st != SEC_E_OK)
            return st;
        s->attrs = c->attrs;
        s->expiry = c->expiry;
        return SEC_I_CONTINUE_NEEDED;
    }
    if (!m.has_mech_token || m.mech_token.len == 0) {
        if (m.has_mic)
            return reject(c, s, SEC_E_INVALID_TOKEN, NULL, 0);
        return server_finish(c, s, true, NULL, 0, false, rd_init(NULL, 0));
    }
    uint8_t *mtok = NULL;
    size_t mtok_len = 0;
    SECURITY_STATUS st = inner_step(c, s, &m.mech_token, &mtok, &mtok_len);
    if (!is_success(st))
        return reject(c, s, st, mtok, mtok_len);
    return server_finish(c, s, true, mtok, mtok_len, m.has_mic, m.mic);
}

/* server_first - the client's first token (after our hints, or none) */
static SECURITY_STATUS server_first(struct nego_ctx *c, struct nego_cred *cred, struct sspi_step *s)
{
    struct rd tok, oid, inner;
    if (!input_token(s, &tok)) {
        if (c->state == ST_NEW)
            return server_hints(c, cred, s);
        return SEC_E_INVALID_TOKEN;
    }
    if (ntlm_message_type(tok) != 0) {
        const struct nego_mech *m = cred_mech(cred, def_for_oid(rd_init(spnego_oid_ntlm, sizeof(spnego_oid_ntlm))));
        if (!m)
            return SEC_E_SECPKG_NOT_FOUND;
        return server_raw(c, m, s);
    }
    if (!spnego_gss_header(tok, &oid, &inner))
        return SEC_E_INVALID_TOKEN;
    if (der_oid_equal(oid, spnego_oid_spnego, sizeof(spnego_oid_spnego)))
        return server_init(c, cred, s, tok);
    const struct mech_def *d = def_for_oid(oid);
    if (is_kerberos(d)) {
        const struct nego_mech *m = cred_mech(cred, d);
        if (!m)
            return SEC_E_SECPKG_NOT_FOUND;
        return server_raw(c, m, s);
    }
    return SEC_E_INVALID_TOKEN;
}

static SECURITY_STATUS server_continue(struct nego_ctx *c, struct sspi_step *s)
{
    struct rd tok;
    struct spnego_resp r;
    if (!input_token(s, &tok) || !spnego_parse_resp(tok, &r))
        return SEC_E_INVALID_TOKEN;
    if (r.has_mech || (!r.has_token && !r.has_mic))
        return SEC_E_INVALID_TOKEN;
    if (r.has_state && r.state == SPNEGO_REJECT) {
        c->state = ST_FAILED;
        return SEC_E_LOGON_DENIED;
    }
    uint8_t *mtok = NULL;
    size_t mtok_len = 0;
    if (!c->idone) {
        if (!r.has_token || r.token.len == 0)
            return reject(c, s, SEC_E_INVALID_TOKEN, NULL, 0);
        SECURITY_STATUS st = inner_step(c, s, &r.token, &mtok, &mtok_len);
        if (!is_success(st))
            return reject(c, s, st, mtok, mtok_len);
        if (c->idone && c->def->pkg == &ntlm_package && ntlm_auth_has_mic(r.token))
            c->mic_required = true;
    } else if (r.has_token && r.token.len) {
        return reject(c, s, SEC_E_INVALID_TOKEN, NULL, 0);
    }
    return server_finish(c, s, false, mtok, mtok_len, r.has_mic, r.mic);
}

SECURITY_STATUS nego_accept_ctx(void *credp, void **ctxp, struct sspi_step *s)
{
    struct nego_cred *cred = credp;
    struct nego_ctx *c = *ctxp;
    if (!cred)
        return SEC_E_INVALID_HANDLE;
    if (!c) {
        if (!(cred->use & SECPKG_CRED_INBOUND))
            return SEC_E_WRONG_CREDENTIAL_HANDLE;
        c = ctx_new(true, s->req);
        if (!c)
            return SEC_E_INSUFFICIENT_MEMORY;
        SECURITY_STATUS st = server_first(c, cred, s);
        if (!is_success(st)) {
            nego_delete_ctx(c);
            return st;
        }
        *ctxp = c;
        return st;
    }
    if (c->raw) {
        if (c->state != ST_RUNNING)
            return SEC_E_OUT_OF_SEQUENCE;
        SECURITY_STATUS st = c->def->pkg->accept_ctx(c->icred, &c->ictx, s);
        if (is_success(st)) {
            c->attrs = s->attrs;
            c->expiry = s->expiry;
            c->idone = st == SEC_E_OK || st == SEC_I_COMPLETE_NEEDED;
            if (c->idone)
                c->state = ST_DONE;
        }
        return st;
    }
    if (c->state == ST_HINTS_SENT)
        return server_first(c, cred, s);
    if (c->state != ST_RUNNING)
        return SEC_E_OUT_OF_SEQUENCE;
    return server_continue(c, s);
}

/* ---- attributes and messages: the mechanism's -------------------------------- */

static bool usable(const struct nego_ctx *c)
{
    return c->state == ST_DONE && c->ictx;
}

SECURITY_STATUS nego_complete_token(void *p, SecBufferDesc *tok)
{
    struct nego_ctx *c = p;
    if (!c->ictx || !c->def->pkg->complete_token)
        return SEC_E_UNSUPPORTED_FUNCTION;
    return c->def->pkg->complete_token(c->ictx, tok);
}

SECURITY_STATUS nego_apply_control(void *p, SecBufferDesc *in)
{
    struct nego_ctx *c = p;
    if (!c->ictx || !c->def->pkg->apply_control)
        return SEC_E_UNSUPPORTED_FUNCTION;
    return c->def->pkg->apply_control(c->ictx, in);
}

SECURITY_STATUS nego_query_ctx(void *p, uint32_t attr, void *buf)
{
    struct nego_ctx *c = p;
    if (!c->ictx || !c->def->pkg->query_ctx) {
        switch (attr) {
        case SECPKG_ATTR_SIZES: {
            SecPkgContext_Sizes *z = buf;
            memset(z, 0, sizeof(*z));
            z->cbMaxToken = NEGO_MAX_TOKEN;
            return SEC_E_OK;
        }
        case SECPKG_ATTR_FLAGS:
            ((SecPkgContext_Flags *)buf)->Flags = c->attrs;
            return SEC_E_OK;
        default:
            return SEC_E_UNSUPPORTED_FUNCTION;
        }
    }
    SECURITY_STATUS st = c->def->pkg->query_ctx(c->ictx, attr, buf);
    if (st == SEC_E_OK && attr == SECPKG_ATTR_SIZES && !c->raw)
        ((SecPkgContext_Sizes *)buf)->cbMaxToken = NEGO_MAX_TOKEN;
    return st;
}

SECURITY_STATUS nego_query_ctx_str(void *p, uint32_t attr, struct sspi_strattr *out)
{
    struct nego_ctx *c = p;
    if (!c->ictx)
        return SEC_E_INVALID_HANDLE;
    if (!c->def->pkg->query_ctx_str)
        return SEC_E_UNSUPPORTED_FUNCTION;
    return c->def->pkg->query_ctx_str(c->ictx, attr, out);
}

SECURITY_STATUS nego_set_ctx(void *p, uint32_t attr, void *buf, uint32_t len)
{
    struct nego_ctx *c = p;
    if (!c->ictx || !c->def->pkg->set_ctx)
        return SEC_E_UNSUPPORTED_FUNCTION;
    return c->def->pkg->set_ctx(c->ictx, attr, buf, len);
}

const struct sspi_package *nego_negotiated(void *p, uint32_t *state)
{
    struct nego_ctx *c = p;
    if (!c->def || !c->ictx) {
        *state = SECPKG_NEGOTIATION_IN_PROGRESS;
        return NULL;
    }
    if (c->state == ST_DONE)
        *state = SECPKG_NEGOTIATION_COMPLETE;
    else if (!c->server && !c->nego_done)
        *state = SECPKG_NEGOTIATION_OPTIMISTIC;
    else
        *state = SECPKG_NEGOTIATION_IN_PROGRESS;
    return c->def->pkg;
}

SECURITY_STATUS nego_make_sig(void *p, uint32_t qop, SecBufferDesc *msg, uint32_t seq)
{
    struct nego_ctx *c = p;
    if (!usable(c))
        return SEC_E_INVALID_HANDLE;
    if (!c->def->pkg->make_sig)
        return SEC_E_UNSUPPORTED_FUNCTION;
    return c->def->pkg->make_sig(c->ictx, qop, msg, seq);
}

SECURITY_STATUS nego_verify_sig(void *p, SecBufferDesc *msg, uint32_t seq, uint32_t *qop)
{
    struct nego_ctx *c = p;
    if (!usable(c))
        return SEC_E_INVALID_HANDLE;
    if (!c->def->pkg->verify_sig)
        return SEC_E_UNSUPPORTED_FUNCTION;
    return c->def->pkg->verify_sig(c->ictx, msg, seq, qop);
}

SECURITY_STATUS nego_encrypt(void *p, uint32_t qop, SecBufferDesc *msg, uint32_t seq)
{
    struct nego_ctx *c = p;
    if (!usable(c))
        return SEC_E_INVALID_HANDLE;
    if (!c->def->pkg->encrypt)
        return SEC_E_UNSUPPORTED_FUNCTION;
    return c->def->pkg->encrypt(c->ictx, qop, msg, seq);
}

SECURITY_STATUS nego_decrypt(void *p, SecBufferDesc *msg, uint32_t seq, uint32_t *qop)
{
    struct nego_ctx *c = p;
    if (!usable(c))
        return SEC_E_INVALID_HANDLE;
    if (!c->def->pkg->decrypt)
        return SEC_E_UNSUPPORTED_FUNCTION;
    return c->def->pkg->decrypt(c->ictx, msg, seq, qop);
}
