/* src/kerberos/kerberos_protect.c - MakeSignature / VerifySignature /
 * EncryptMessage / DecryptMessage and SECPKG_ATTR_SIZES for Kerberos contexts,
 * mapped onto GSS-API IOV calls (RFC 4121 tokens, RFC 4757 for RC4 keys).
 *
 * Buffer layouts, as Windows callers pass them:
 *   MakeSignature / VerifySignature   [DATA..., TOKEN]: TOKEN is the MIC token
 *     over the DATA buffers in order (gss_get_mic / gss_verify_mic).
 *   EncryptMessage                    [TOKEN, DATA..., PADDING]: gss_wrap_iov with
 *     HEADER = TOKEN, DATA in place, PADDING, and no TRAILER buffer. Without a
 *     TRAILER the RFC 4121 token is rotated (RRC = 16 + checksum length for
 *     sealed messages, the checksum length for signed-only ones) so the
 *     encrypted header copy and checksum sit in the TOKEN buffer after the
 *     header and confounder: TOKEN || DATA || PADDING is one standard wrap token
 *     that any RFC 4121 gss_unwrap accepts, and it is the layout Windows emits.
 *   DecryptMessage                    [TOKEN, DATA..., (PADDING)]: the reverse
 *     (gss_unwrap_iov with HEADER = TOKEN). When the TOKEN buffer is not such a
 *     rotated header (a peer's plain gss_wrap output cut at cbSecurityTrailer),
 *     TOKEN || DATA is unwrapped as one stream and the plaintext put back into
 *     DATA. [STREAM, DATA]: gss_unwrap_iov with STREAM; DATA is pointed into the
 *     stream at the plaintext, as Windows does.
 *   DATA|SECBUFFER_READONLY_WITH_CHECKSUM is signed, not encrypted (SIGN_ONLY);
 *   DATA|SECBUFFER_READONLY is neither ("read-only with no checksum").
 * fQOP KERB_WRAP_NO_ENCRYPT wraps with integrity only; DecryptMessage reports it
 * back in pfQOP. Message sequence numbers are the context's own (MessageSeqNo
 * is ignored, as Kerberos does on Windows). */
#include "kerberos/kerberos_context.h"
#include "kerberos/kerberos_status.h"

#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#define KRB_MAX_IOV 68 /* the core allows 64 buffers; plus our own */

struct iovmap {
    gss_iov_buffer_desc iov[KRB_MAX_IOV];
    SecBuffer *src[KRB_MAX_IOV]; /* the caller's buffer behind iov[i] */
    int n;
    int token_at;   /* iov index of the TOKEN buffer */
    int padding_at; /* iov index of PADDING, -1 without one */
    int ndata;      /* DATA (encrypted) entries */
    int nsign;      /* SIGN_ONLY entries */
};

static void add(struct iovmap *m, OM_uint32 type, SecBuffer *b)
{
    m->iov[m->n].type = type;
    m->iov[m->n].buffer.length = b ? b->cbBuffer : 0;
    m->iov[m->n].buffer.value = b ? b->pvBuffer : NULL;
    m->src[m->n] = b;
    m->n++;
}

/* map - the caller's buffers as an IOV list: the first TOKEN as head_type, the
 * DATA buffers in order, and (with_padding) the first PADDING. Fails with
 * SEC_E_INVALID_TOKEN when there is no TOKEN or a buffer has no memory. */
static SECURITY_STATUS map(SecBufferDesc *msg, OM_uint32 head_type, bool with_padding, struct iovmap *m)
{
    memset(m, 0, sizeof(*m));
    m->token_at = -1;
    m->padding_at = -1;
    SecBuffer *token = sspi_find_buffer(msg, SECBUFFER_TOKEN, 0);
    if (!token)
        return SEC_E_INVALID_TOKEN;
    add(m, head_type, token);
    m->token_at = 0;
    for (ULONG i = 0; i < msg->cBuffers; i++) {
        SecBuffer *b = &msg->pBuffers[i];
        if (sspi_buffer_type(b) != SECBUFFER_DATA)
            continue;
        if ((b->cbBuffer && !b->pvBuffer) || m->n >= KRB_MAX_IOV - 2)
            return SEC_E_INVALID_TOKEN;
        if (b->BufferType & SECBUFFER_READONLY_WITH_CHECKSUM) {
            add(m, GSS_IOV_BUFFER_TYPE_SIGN_ONLY, b);
            m->nsign++;
        } else if (!(b->BufferType & SECBUFFER_READONLY)) {
            add(m, GSS_IOV_BUFFER_TYPE_DATA, b);
            m->ndata++;
        }
    }
    SecBuffer *pad = with_padding ? sspi_find_buffer(msg, SECBUFFER_PADDING, 0) : NULL;
    if (pad) {
        m->padding_at = m->n;
        add(m, GSS_IOV_BUFFER_TYPE_PADDING, pad);
    }
    return SEC_E_OK;
}

static bool ready(const struct krb_ctx *c)
{
    return c->done && c->gss != GSS_C_NO_CONTEXT;
}

/* wipe_data - after a failed unwrap the DATA buffers hold neither ciphertext
 * nor verified plaintext. */
static void wipe_data(struct iovmap *m)
{
    for (int i = 0; i < m->n; i++) {
        if (m->iov[i].type == GSS_IOV_BUFFER_TYPE_DATA && m->src[i] && m->src[i]->pvBuffer)
            OPENSSL_cleanse(m->src[i]->pvBuffer, m->src[i]->cbBuffer);
    }
}

static SECURITY_STATUS unseal_status(const char *what, OM_uint32 major, OM_uint32 minor)
{
    if (GSS_ERROR(major)) {
        SECURITY_STATUS st = krb_status_gss(KRB_PH_UNSEAL, major, minor);
        krb_trace_gss(what, major, minor, st);
        return st;
    }
    SECURITY_STATUS st = krb_status_supplementary(major);
    if (st != SEC_E_OK)
        krb_trace_gss(what, major, minor, st);
    return st;
}

static SECURITY_STATUS seal_status(const char *what, OM_uint32 major, OM_uint32 minor)
{
    SECURITY_STATUS st = krb_status_gss(KRB_PH_SEAL, major, minor);
    krb_trace_gss(what, major, minor, st);
    return st;
}

/* ---- signatures ---------------------------------------------------------- */

/* joined - the signed bytes (DATA and SIGN_ONLY entries, in order) as one
 * malloc'd buffer: a MIC over separate buffers is a MIC over their
 * concatenation. gss_get_mic_iov is not used: MIT's sizes it 8 bytes too long
 * for RFC 1964/4757 MIC tokens. */
static SECURITY_STATUS joined(const struct iovmap *m, gss_buffer_desc *out)
{
    size_t total = 0;
    for (int i = 0; i < m->n; i++) {
        OM_uint32 t = m->iov[i].type;
        if (t == GSS_IOV_BUFFER_TYPE_DATA || t == GSS_IOV_BUFFER_TYPE_SIGN_ONLY) {
            if (m->iov[i].buffer.length > SIZE_MAX / 2 - total)
                return SEC_E_INVALID_TOKEN;
            total += m->iov[i].buffer.length;
        }
    }
    uint8_t *buf = malloc(total ? total : 1);
    if (!buf)
        return SEC_E_INSUFFICIENT_MEMORY;
    size_t off = 0;
    for (int i = 0; i < m->n; i++) {
        OM_uint32 t = m->iov[i].type;
        if ((t == GSS_IOV_BUFFER_TYPE_DATA || t == GSS_IOV_BUFFER_TYPE_SIGN_ONLY) && m->iov[i].buffer.length) {
            memcpy(buf + off, m->iov[i].buffer.value, m->iov[i].buffer.length);
            off += m->iov[i].buffer.length;
        }
    }
    out->value = buf;
    out->length = total;
    return SEC_E_OK;
}

SECURITY_STATUS krb_make_sig(void *p, uint32_t qop, SecBufferDesc *msg, uint32_t seqno)
{
    struct krb_ctx *c = p;
    struct iovmap m;
    OM_uint32 minor, major;
    gss_buffer_desc data, mic = GSS_C_EMPTY_BUFFER;
    if (!ready(c))
        return SEC_E_INVALID_HANDLE;
    if (qop)
        return SEC_E_QOP_NOT_SUPPORTED;
    SECURITY_STATUS st = map(msg, GSS_IOV_BUFFER_TYPE_MIC_TOKEN, false, &m);
    if (st != SEC_E_OK)
        return st;
    SecBuffer *token = m.src[m.token_at];
    SecPkgContext_Sizes z;
    st = krb_sizes(c, &z);
    if (st != SEC_E_OK)
        return st;
    if (!token->pvBuffer || token->cbBuffer < z.cbMaxSignature)
        return SEC_E_BUFFER_TOO_SMALL;
    st = joined(&m, &data);
    if (st != SEC_E_OK)
        return st;
    major = gss_get_mic(&minor, c->gss, GSS_C_QOP_DEFAULT, &data, &mic);
    free(data.value);
    if (GSS_ERROR(major))
        return seal_status("MakeSignature (gss_get_mic)", major, minor);
    if (mic.length > token->cbBuffer) { /* cannot happen: the size is the maximum */
        gss_release_buffer(&minor, &mic);
        return SEC_E_INTERNAL_ERROR;
    }
    memcpy(token->pvBuffer, mic.value, mic.length);
    token->cbBuffer = (ULONG)mic.length;
    gss_release_buffer(&minor, &mic);
    return SEC_E_OK;
}

SECURITY_STATUS krb_verify_sig(void *p, SecBufferDesc *msg, uint32_t seqno, uint32_t *qop)
{
    struct krb_ctx *c = p;
    struct iovmap m;
    OM_uint32 minor, major;
    gss_qop_t q = 0;
    gss_buffer_desc data;
    if (!ready(c))
        return SEC_E_INVALID_HANDLE;
    SECURITY_STATUS st = map(msg, GSS_IOV_BUFFER_TYPE_MIC_TOKEN, false, &m);
    if (st != SEC_E_OK)
        return st;
    if (m.iov[m.token_at].buffer.length == 0)
        return SEC_E_INVALID_TOKEN;
    st = joined(&m, &data);
    if (st != SEC_E_OK)
        return st;
    major = gss_verify_mic(&minor, c->gss, &data, &m.iov[m.token_at].buffer, &q);
    free(data.value);
    st = unseal_status("VerifySignature (gss_verify_mic)", major, minor);
    if (st != SEC_E_OK)
        return st;
    *qop = 0;
    return SEC_E_OK;
}

/* ---- sealing ------------------------------------------------------------- */

SECURITY_STATUS krb_encrypt(void *p, uint32_t qop, SecBufferDesc *msg, uint32_t seqno)
{
    struct krb_ctx *c = p;
    struct iovmap m;
    OM_uint32 minor, major;
    int conf = 1, conf_state = 0;
    uint8_t scratch[64];
    if (!ready(c))
        return SEC_E_INVALID_HANDLE;
    if (qop == KERB_WRAP_NO_ENCRYPT)
        conf = 0;
    else if (qop)
        return SEC_E_QOP_NOT_SUPPORTED;
    SECURITY_STATUS st = map(msg, GSS_IOV_BUFFER_TYPE_HEADER, true, &m);
    if (st != SEC_E_OK)
        return st;
    SecBuffer *token = m.src[m.token_at];
    SecBuffer *pad = m.padding_at >= 0 ? m.src[m.padding_at] : NULL;
    bool own_pad = m.padding_at < 0;
    if (own_pad) { /* learn whether padding is needed at all */
        m.padding_at = m.n;
        add(&m, GSS_IOV_BUFFER_TYPE_PADDING, NULL);
    }
    m.iov[m.token_at].buffer.length = 0;
    m.iov[m.padding_at].buffer.length = 0;
    major = gss_wrap_iov_length(&minor, c->gss, conf, GSS_C_QOP_DEFAULT, &conf_state, m.iov, m.n);
    if (GSS_ERROR(major))
        return seal_status("gss_wrap_iov_length", major, minor);
    size_t hlen = m.iov[m.token_at].buffer.length;
    size_t plen = m.iov[m.padding_at].buffer.length;
    if (!token->pvBuffer || token->cbBuffer < hlen)
        return SEC_E_BUFFER_TOO_SMALL;
    if (own_pad) {
        if (plen > 0)
            return SEC_E_INVALID_TOKEN; /* this key needs a SECBUFFER_PADDING */
        m.iov[m.padding_at].buffer.value = scratch;
    } else {
        if (plen > 0 && (!pad->pvBuffer || pad->cbBuffer < plen))
            return SEC_E_BUFFER_TOO_SMALL;
        m.iov[m.padding_at].buffer.value = pad->pvBuffer;
    }
    m.iov[m.token_at].buffer.value = token->pvBuffer;
    major = gss_wrap_iov(&minor, c->gss, conf, GSS_C_QOP_DEFAULT, &conf_state, m.iov, m.n);
    if (GSS_ERROR(major))
        return seal_status("EncryptMessage (gss_wrap_iov)", major, minor);
    token->cbBuffer = (ULONG)m.iov[m.token_at].buffer.length;
    if (pad)
        pad->cbBuffer = (ULONG)m.iov[m.padding_at].buffer.length;
    return SEC_E_OK;
}

/* decrypt_stream - [STREAM, DATA]: DATA ends up pointing at the plaintext
 * inside the stream buffer. */
static SECURITY_STATUS decrypt_stream(struct krb_ctx *c, SecBufferDesc *msg, SecBuffer *stream, int *conf_state)
{
    SecBuffer *data = sspi_find_buffer(msg, SECBUFFER_DATA, 0);
    if (!data || !stream->pvBuffer || stream->cbBuffer == 0)
        return SEC_E_INVALID_TOKEN;
    gss_iov_buffer_desc iov[2];
    iov[0].type = GSS_IOV_BUFFER_TYPE_STREAM;
    iov[0].buffer.length = stream->cbBuffer;
    iov[0].buffer.value = stream->pvBuffer;
    iov[1].type = GSS_IOV_BUFFER_TYPE_DATA;
    iov[1].buffer.length = 0;
    iov[1].buffer.value = NULL;
    OM_uint32 minor;
    OM_uint32 major = gss_unwrap_iov(&minor, c->gss, conf_state, NULL, iov, 2);
    SECURITY_STATUS st = unseal_status("DecryptMessage (stream)", major, minor);
    if (GSS_ERROR(major))
        return st;
    /* decrypted in place even when the sequence check then complains */
    data->BufferType = SECBUFFER_DATA;
    data->pvBuffer = iov[1].buffer.value;
    data->cbBuffer = (ULONG)iov[1].buffer.length;
    return st;
}

/* decrypt_joined - TOKEN || DATA (|| PADDING) unwrapped as one token: for a
 * peer's plain (unrotated) wrap token split by the caller at the TOKEN size.
 * The plaintext replaces DATA. Only for a single DATA buffer. */
static SECURITY_STATUS decrypt_joined(struct krb_ctx *c, struct iovmap *m, int *conf_state, bool *tried)
{
    *tried = false;
    if (m->ndata != 1 || m->nsign != 0)
        return SEC_E_INVALID_TOKEN;
    SecBuffer *data = NULL, *token = m->src[m->token_at];
    SecBuffer *pad = m->padding_at >= 0 ? m->src[m->padding_at] : NULL;
    for (int i = 0; i < m->n; i++) {
        if (m->iov[i].type == GSS_IOV_BUFFER_TYPE_DATA)
            data = m->src[i];
    }
    size_t total = (size_t)token->cbBuffer + data->cbBuffer + (pad ? pad->cbBuffer : 0);
    if (total > KRB_MAX_INPUT_TOKEN * 64u)
        return SEC_E_INVALID_TOKEN;
    uint8_t *buf = malloc(total ? total : 1);
    if (!buf)
        return SEC_E_INSUFFICIENT_MEMORY;
    *tried = true;
    size_t off = 0;
    memcpy(buf, token->pvBuffer, token->cbBuffer);
    off += token->cbBuffer;
    if (data->cbBuffer)
        memcpy(buf + off, data->pvBuffer, data->cbBuffer);
    off += data->cbBuffer;
    if (pad && pad->cbBuffer)
        memcpy(buf + off, pad->pvBuffer, pad->cbBuffer);
    gss_iov_buffer_desc iov[2];
    iov[0].type = GSS_IOV_BUFFER_TYPE_STREAM;
    iov[0].buffer.length = total;
    iov[0].buffer.value = buf;
    iov[1].type = GSS_IOV_BUFFER_TYPE_DATA;
    iov[1].buffer.length = 0;
    iov[1].buffer.value = NULL;
    OM_uint32 minor;
    OM_uint32 major = gss_unwrap_iov(&minor, c->gss, conf_state, NULL, iov, 2);
    SECURITY_STATUS st = unseal_status("DecryptMessage (joined token)", major, minor);
    if (!GSS_ERROR(major)) {
        if (iov[1].buffer.length > data->cbBuffer) {
            st = SEC_E_INVALID_TOKEN;
        } else {
            if (iov[1].buffer.length)
                memmove(data->pvBuffer, iov[1].buffer.value, iov[1].buffer.length);
            data->cbBuffer = (ULONG)iov[1].buffer.length;
            if (pad)
                pad->cbBuffer = 0;
        }
    }
    OPENSSL_clear_free(buf, total ? total : 1);
    return st;
}

SECURITY_STATUS krb_decrypt(void *p, SecBufferDesc *msg, uint32_t seqno, uint32_t *qop)
{
    struct krb_ctx *c = p;
    struct iovmap m;
    OM_uint32 minor, major;
    int conf_state = 0;
    if (!ready(c))
        return SEC_E_INVALID_HANDLE;
    SECURITY_STATUS st;
    SecBuffer *stream = sspi_find_buffer(msg, SECBUFFER_STREAM, 0);
    if (stream) {
        st = decrypt_stream(c, msg, stream, &conf_state);
    } else {
        st = map(msg, GSS_IOV_BUFFER_TYPE_HEADER, true, &m);
        if (st != SEC_E_OK)
            return st;
        if (m.iov[m.token_at].buffer.length == 0 || m.ndata + m.nsign == 0)
            return SEC_E_INVALID_TOKEN;
        major = gss_unwrap_iov(&minor, c->gss, &conf_state, NULL, m.iov, m.n);
        if (GSS_ROUTINE_ERROR(major) == GSS_S_DEFECTIVE_TOKEN) {
            /* nothing was decrypted and no sequence state moved */
            bool tried;
            st = decrypt_joined(c, &m, &conf_state, &tried);
            if (!tried)
                st = unseal_status("DecryptMessage (gss_unwrap_iov)", major, minor);
        } else {
            st = unseal_status("DecryptMessage (gss_unwrap_iov)", major, minor);
            if (GSS_ERROR(major)) {
                wipe_data(&m);
            } else {
                for (int i = 0; i < m.n; i++) {
                    if (m.src[i] && i != m.token_at)
                        m.src[i]->cbBuffer = (ULONG)m.iov[i].buffer.length;
                }
            }
        }
    }
    if (st != SEC_E_OK)
        return st;
    *qop = conf_state ? 0 : KERB_WRAP_NO_ENCRYPT;
    return SEC_E_OK;
}

/* ---- sizes --------------------------------------------------------------- */

static size_t gcd(size_t a, size_t b)
{
    while (b) {
        size_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

SECURITY_STATUS krb_sizes(struct krb_ctx *c, SecPkgContext_Sizes *z)
{
    memset(z, 0, sizeof(*z));
    z->cbMaxToken = KERBEROS_MAX_TOKEN;
    if (!ready(c))
        return SEC_E_OK; /* only cbMaxToken is known before completion */
    if (c->have_sizes) {
        *z = c->sizes;
        return SEC_E_OK;
    }
    OM_uint32 minor, major;
    gss_iov_buffer_desc iov[3];
    memset(iov, 0, sizeof(iov));
    iov[0].type = GSS_IOV_BUFFER_TYPE_MIC_TOKEN;
    iov[1].type = GSS_IOV_BUFFER_TYPE_DATA;
    major = gss_get_mic_iov_length(&minor, c->gss, GSS_C_QOP_DEFAULT, iov, 2);
    if (GSS_ERROR(major))
        return seal_status("gss_get_mic_iov_length", major, minor);
    z->cbMaxSignature = (ULONG)iov[0].buffer.length;
    int32_t enctype;
    size_t keylen;
    if (krb_session_enctype(c, &enctype, &keylen) == SEC_E_OK) {
        /* RFC 1964 / 4757 MIC: framing (2 + 11 for the OID) + TOK_ID, SGN_ALG,
         * filler (8) + SND_SEQ (8) + SGN_CKSUM; MIT's IOV length adds 8 */
        if (enctype == ENCTYPE_ARCFOUR_HMAC || enctype == ENCTYPE_ARCFOUR_HMAC_EXP)
            z->cbMaxSignature = 13 + 16 + 8;
        else if (enctype == ENCTYPE_DES3_CBC_SHA1)
            z->cbMaxSignature = 13 + 16 + 20;
    }
    /* the rotated header grows with the DER length of RFC 1964 tokens: take the
     * largest over small and large messages; the block size is what every
     * padded length is a multiple of */
    static const size_t sizes[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 4096, 65536, 1u << 24 };
    size_t header = 0, block = 0;
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        int conf_state;
        memset(iov, 0, sizeof(iov));
        iov[0].type = GSS_IOV_BUFFER_TYPE_HEADER;
        iov[1].type = GSS_IOV_BUFFER_TYPE_DATA;
        iov[1].buffer.length = sizes[i];
        iov[2].type = GSS_IOV_BUFFER_TYPE_PADDING;
        major = gss_wrap_iov_length(&minor, c->gss, 1, GSS_C_QOP_DEFAULT, &conf_state, iov, 3);
        if (GSS_ERROR(major))
            return seal_status("gss_wrap_iov_length", major, minor);
        if (iov[0].buffer.length > header)
            header = iov[0].buffer.length;
        if (sizes[i] <= 16)
            block = gcd(block, sizes[i] + iov[2].buffer.length);
    }
    z->cbSecurityTrailer = (ULONG)header;
    z->cbBlockSize = (ULONG)(block ? block : 1);
    c->sizes = *z;
    c->have_sizes = true;
    return SEC_E_OK;
}
