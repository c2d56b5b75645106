/* src/negotiate/spnego_token.c - SPNEGO NegTokenInit/NegTokenInit2/NegTokenResp
 * encode/decode and the GSS-API InitialContextToken framing.
 * Implements RFC 4178 4.2 and MS-SPNG 2.2.1 (NegTokenInit2, negHints) over the
 * strict DER of src/asn1/der.h. No state, no crypto: see negotiate_context.c. */
#include "negotiate/spnego_token.h"

#include "asn1/der.h"

#include <string.h>

const uint8_t spnego_oid_spnego[6] = { 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02 };
const uint8_t spnego_oid_ms_krb5[9] = { 0x2a, 0x86, 0x48, 0x82, 0xf7, 0x12, 0x01, 0x02, 0x02 };
const uint8_t spnego_oid_krb5[9] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02 };
const uint8_t spnego_oid_ntlm[10] = { 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x02, 0x0a };
const uint8_t spnego_oid_negoex[10] = { 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x02, 0x1e };

bool spnego_gss_header(struct rd tok, struct rd *mech, struct rd *inner)
{
    struct rd body, oid;
    if (!der_get(&tok, DER_APP_C(0), &body) || !rd_done(&tok))
        return false;
    if (!der_get_oid(&body, &oid) || body.err)
        return false;
    *mech = oid;
    *inner = body;
    return true;
}

/* parse_mech_list - MechTypeList contents into mechs[] */
static bool parse_mech_list(struct rd list, struct spnego_init *m)
{
    m->nmechs = 0;
    while (list.len) {
        if (m->nmechs == SPNEGO_MAX_MECHS || !der_get_oid(&list, &m->mechs[m->nmechs]))
            return false;
        m->nmechs++;
    }
    return rd_done(&list);
}

/* parse_flags - ContextFlags: bit n of the BIT STRING (n = 0 is the first
 * octet's top bit) becomes 1u << n; bits from 32 on are ignored. */
static bool parse_flags(struct rd *f, uint32_t *flags)
{
    struct rd bits;
    uint8_t unused;
    *flags = 0;
    if (!der_get_bitstring(f, &bits, &unused))
        return false;
    for (size_t i = 0; i < bits.len && i < 4; i++)
        for (unsigned b = 0; b < 8; b++)
            if (bits.p[i] & (0x80u >> b))
                *flags |= 1u << (i * 8 + b);
    return true;
}

/* parse_hints - NegHints contents */
static bool parse_hints(struct rd *f, struct spnego_init *m)
{
    struct rd seq, h;
    if (!der_get(f, DER_SEQUENCE, &seq))
        return false;
    m->has_hints = true;
    if (der_get(&seq, DER_CTX_C(0), &h)) {
        if (!der_get(&h, DER_GENERAL_STRING, &m->hint_name) || !rd_done(&h))
            return false;
        m->has_hint_name = true;
    }
    if (der_get(&seq, DER_CTX_C(1), &h)) {
        if (!der_get_octets(&h, &m->hint_address) || !rd_done(&h))
            return false;
        m->has_hint_address = true;
    }
    return rd_done(&seq);
}

/* octets_field - [n] OCTET STRING, when present */
static bool octets_field(struct rd *seq, unsigned n, bool *has, struct rd *out)
{
    struct rd f;
    if (!der_get(seq, DER_CTX_C(n), &f))
        return !seq->err;
    *has = true;
    return der_get_octets(&f, out) && rd_done(&f);
}

bool spnego_parse_init(struct rd tok, struct spnego_init *out)
{
    struct rd oid, inner, choice, seq, f;
    struct spnego_init m;
    memset(&m, 0, sizeof(m));
    if (!spnego_gss_header(tok, &oid, &inner) || !der_oid_equal(oid, spnego_oid_spnego, sizeof(spnego_oid_spnego)))
        return false;
    if (!der_get(&inner, DER_CTX_C(0), &choice) || !rd_done(&inner))
        return false;
    if (!der_get(&choice, DER_SEQUENCE, &seq) || !rd_done(&choice))
        return false;
    bool has_types = false;
    if (der_get(&seq, DER_CTX_C(0), &f)) {
        if (!der_get_element(&f, DER_SEQUENCE, &m.mech_types) || !rd_done(&f))
            return false;
        struct rd list = m.mech_types, c;
        if (!der_get(&list, DER_SEQUENCE, &c) || !parse_mech_list(c, &m))
            return false;
        has_types = true;
    }
    if (der_get(&seq, DER_CTX_C(1), &f)) {
        if (!parse_flags(&f, &m.req_flags) || !rd_done(&f))
            return false;
        m.has_req_flags = true;
    }
    if (!octets_field(&seq, 2, &m.has_mech_token, &m.mech_token))
        return false;
    /* [3] is mechListMIC in NegTokenInit and negHints in NegTokenInit2: the
     * first tag inside says which */
    if (der_get(&seq, DER_CTX_C(3), &f)) {
        uint8_t t;
        if (!der_peek(&f, &t))
            return false;
        if (t == DER_OCTET_STRING) {
            if (!der_get_octets(&f, &m.mic) || !rd_done(&f))
                return false;
            m.has_mic = true;
        } else {
            if (!parse_hints(&f, &m) || !rd_done(&f))
                return false;
            if (!octets_field(&seq, 4, &m.has_mic, &m.mic))
                return false;
        }
    }
    if (!rd_done(&seq))
        return false;
    if (!m.has_hints && (!has_types || m.nmechs == 0))
        return false;
    *out = m;
    return true;
}

bool spnego_parse_resp(struct rd tok, struct spnego_resp *out)
{
    struct rd choice, seq, f;
    struct spnego_resp m;
    memset(&m, 0, sizeof(m));
    if (!der_get(&tok, DER_CTX_C(1), &choice) || !rd_done(&tok))
        return false;
    if (!der_get(&choice, DER_SEQUENCE, &seq) || !rd_done(&choice))
        return false;
    if (der_get(&seq, DER_CTX_C(0), &f)) {
        if (!der_get_enum(&f, &m.state) || !rd_done(&f) || m.state > SPNEGO_REQUEST_MIC)
            return false;
        m.has_state = true;
    }
    if (der_get(&seq, DER_CTX_C(1), &f)) {
        if (!der_get_oid(&f, &m.mech) || !rd_done(&f))
            return false;
        m.has_mech = true;
    }
    if (!octets_field(&seq, 2, &m.has_token, &m.token) || !octets_field(&seq, 3, &m.has_mic, &m.mic))
        return false;
    if (!rd_done(&seq))
        return false;
    *out = m;
    return true;
}

bool spnego_build_mech_list(struct wr *w, const struct rd *mechs, size_t n)
{
    struct wr_mark m;
    if (!der_open(w, DER_SEQUENCE, &m))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!der_put_oid(w, mechs[i].p, mechs[i].len))
            return false;
    return der_close(w, &m);
}

/* put_flags - ContextFlags as a named-bit BIT STRING: trailing zero bits dropped */
static bool put_flags(struct wr *w, uint32_t flags)
{
    uint8_t b[4];
    size_t nbits = 0;
    for (unsigned i = 0; i < 32; i++)
        if (flags & (1u << i))
            nbits = i + 1;
    memset(b, 0, sizeof(b));
    for (unsigned i = 0; i < nbits; i++)
        if (flags & (1u << i))
            b[i / 8] |= (uint8_t)(0x80u >> (i % 8));
    size_t n = (nbits + 7) / 8;
    uint8_t unused = (uint8_t)(n * 8 - nbits);
    return der_put_bitstring(w, b, n, unused);
}

/* put_octets_field - [n] OCTET STRING */
static bool put_octets_field(struct wr *w, unsigned n, struct rd v)
{
    struct wr_mark m;
    return der_open(w, DER_CTX_C(n), &m) && der_put_octets(w, v.p, v.len) && der_close(w, &m);
}

bool spnego_build_init(struct wr *w, const struct spnego_init *m)
{
    struct wr_mark app, choice, seq, f, hints, hseq;
    if (!der_open(w, DER_APP_C(0), &app) || !der_put_oid(w, spnego_oid_spnego, sizeof(spnego_oid_spnego))
        || !der_open(w, DER_CTX_C(0), &choice) || !der_open(w, DER_SEQUENCE, &seq))
        return false;
    if (m->mech_types.len) {
        if (!der_open(w, DER_CTX_C(0), &f) || !wr_bytes(w, m->mech_types.p, m->mech_types.len) || !der_close(w, &f))
            return false;
    } else if (!m->has_hints) {
        return wr_fail(w);
    }
    if (m->has_req_flags
        && !(der_open(w, DER_CTX_C(1), &f) && put_flags(w, m->req_flags) && der_close(w, &f)))
        return false;
    if (m->has_mech_token && !put_octets_field(w, 2, m->mech_token))
        return false;
    if (m->has_hints) {
        if (!der_open(w, DER_CTX_C(3), &hints) || !der_open(w, DER_SEQUENCE, &hseq))
            return false;
        if (m->has_hint_name
            && !(der_open(w, DER_CTX_C(0), &f) && der_put(w, DER_GENERAL_STRING, m->hint_name.p, m->hint_name.len)
                 && der_close(w, &f)))
            return false;
        if (m->has_hint_address && !put_octets_field(w, 1, m->hint_address))
            return false;
        if (!der_close(w, &hseq) || !der_close(w, &hints))
            return false;
        if (m->has_mic && !put_octets_field(w, 4, m->mic))
            return false;
    } else if (m->has_mic && !put_octets_field(w, 3, m->mic)) {
        return false;
    }
    return der_close(w, &seq) && der_close(w, &choice) && der_close(w, &app);
}

bool spnego_build_resp(struct wr *w, const struct spnego_resp *m)
{
    struct wr_mark choice, seq, f;
    if (!der_open(w, DER_CTX_C(1), &choice) || !der_open(w, DER_SEQUENCE, &seq))
        return false;
    if (m->has_state && !(der_open(w, DER_CTX_C(0), &f) && der_put_enum(w, m->state) && der_close(w, &f)))
        return false;
    if (m->has_mech && !(der_open(w, DER_CTX_C(1), &f) && der_put_oid(w, m->mech.p, m->mech.len) && der_close(w, &f)))
        return false;
    if (m->has_token && !put_octets_field(w, 2, m->token))
        return false;
    if (m->has_mic && !put_octets_field(w, 3, m->mic))
        return false;
    return der_close(w, &seq) && der_close(w, &choice);
}
