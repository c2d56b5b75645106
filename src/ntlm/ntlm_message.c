/* src/ntlm/ntlm_message.c - NTLM NEGOTIATE/CHALLENGE/AUTHENTICATE encode/decode
 * Implements MS-NLMP 2.2.1.1-2.2.1.3, 2.2.2.7 (NTLMv2_CLIENT_CHALLENGE) and 2.2.2.10
 * (VERSION). No state, no crypto: see ntlm_context.c and ntlm_crypto.c.
 *
 * Where the header ends. MS-NLMP puts VERSION (and, in AUTHENTICATE, the MIC) between
 * the fixed fields and the payload, but older peers leave them out, so the header
 * length is read from the lowest offset of a non-empty field: VERSION is there when
 * that offset leaves 8 bytes for it, the MIC when AUTHENTICATE's payload starts at 88
 * or later (when all fields are empty, the message length stands for that offset).
 * Every non-empty field lies at or after the fixed header and inside
 * the message. Bytes after the last field are ignored: gss-ntlmssp 1.2 pads its
 * AUTHENTICATE message with two zero bytes, and Windows accepts that.
 * Gaps between fields and fields sharing bytes are accepted (nothing reads them). */
#include "ntlm/ntlm_message.h"

#include "ntlm/ntlm_av_pairs.h"

#include <string.h>

static const uint8_t ntlm_sig[8] = NTLM_SIGNATURE;

/* a (Len, MaxLen, BufferOffset) field header (2.2.1); MaxLen is read and ignored */
struct field {
    uint16_t len;
    uint32_t off;
};

/* get_header - signature and message type */
static bool get_header(struct rd *r, uint32_t type)
{
    uint8_t sig[8];
    uint32_t t;
    return rd_copy(r, sig, sizeof(sig)) && memcmp(sig, ntlm_sig, sizeof(sig)) == 0 && rd_u32le(r, &t)
        && t == type;
}

int ntlm_message_type(struct rd msg)
{
    for (uint32_t t = NTLM_NEGOTIATE; t <= NTLM_AUTHENTICATE; t++) {
        struct rd r = msg;
        if (get_header(&r, t))
            return (int)t;
    }
    return 0;
}

static bool get_field(struct rd *hdr, struct field *f)
{
    uint16_t maxlen;
    return rd_u16le(hdr, &f->len) && rd_u16le(hdr, &maxlen) && rd_u32le(hdr, &f->off);
}

/* get_payload - slice the n fields out of msg into out[]. *lo receives the lowest
 * offset of a non-empty field (msg->len when all are empty). False when a non-empty
 * field starts before fixed_end or does not fit in msg. */
static bool get_payload(const struct rd *msg, const struct field *f, struct rd *out, size_t n, size_t fixed_end,
                        size_t *lo)
{
    *lo = msg->len;
    for (size_t i = 0; i < n; i++) {
        out[i] = rd_init(NULL, 0);
        if (f[i].len == 0)
            continue;
        if (f[i].off < fixed_end || !rd_slice(msg, f[i].off, f[i].len, &out[i]))
            return false;
        if (f[i].off < *lo)
            *lo = f[i].off;
    }
    return true;
}

/* header_parts - which optional header parts (VERSION 8, MIC 16, in that order)
 * follow the fixed part ending at fixed_end, given the lowest payload offset lo:
 * each is present while lo leaves room for it and for those before it. */
static void header_parts(size_t fixed_end, size_t lo, const size_t *opt, size_t nopt, bool *present)
{
    size_t end = fixed_end;
    bool room = true;
    for (size_t i = 0; i < nopt; i++) {
        room = room && lo >= end && lo - end >= opt[i];
        present[i] = room;
        end += opt[i];
    }
}

static bool get_version(struct rd *r, struct ntlm_version *v)
{
    return rd_u8(r, &v->major) && rd_u8(r, &v->minor) && rd_u16le(r, &v->build) && rd_skip(r, 3)
        && rd_u8(r, &v->revision);
}

/* take_version - read the VERSION field that the header has room for; it is
 * reported only when NTLMSSP_NEGOTIATE_VERSION is set */
static bool take_version(struct rd *r, uint32_t flags, bool *has, struct ntlm_version *out)
{
    struct ntlm_version v;
    if (!get_version(r, &v))
        return false;
    if (flags & NTLMSSP_NEGOTIATE_VERSION) {
        *has = true;
        *out = v;
    }
    return true;
}

/* NEGOTIATE_MESSAGE (2.2.1.1)
 *   off  size  field
 *     0     8  Signature "NTLMSSP\0"
 *     8     4  MessageType = 1
 *    12     4  NegotiateFlags
 *    16     8  DomainNameFields       (OEM)
 *    24     8  WorkstationFields      (OEM)
 *    32     8  Version                (when the payload leaves room; read if flagged)
 *  32/40       Payload
 * A 16-byte message (signature, type, flags) from old clients is accepted. */
bool ntlm_parse_negotiate(struct rd msg, struct ntlm_negotiate *out)
{
    struct ntlm_negotiate m;
    struct field f[2];
    struct rd pl[2];
    struct rd r = msg;
    size_t lo;
    static const size_t opt[1] = { NTLM_VERSION_LEN };
    bool present[1];

    memset(&m, 0, sizeof(m));
    if (!get_header(&r, NTLM_NEGOTIATE) || !rd_u32le(&r, &m.flags))
        return false;
    if (msg.len == 16) {
        *out = m;
        return true;
    }
    if (!get_field(&r, &f[0]) || !get_field(&r, &f[1]) || !get_payload(&msg, f, pl, 2, 32, &lo))
        return false;
    header_parts(32, lo, opt, 1, present);
    if (present[0] && !take_version(&r, m.flags, &m.has_version, &m.version))
        return false;
    m.domain = pl[0];
    m.workstation = pl[1];
    *out = m;
    return true;
}

/* CHALLENGE_MESSAGE (2.2.1.2)
 *   off  size  field
 *     0     8  Signature "NTLMSSP\0"
 *     8     4  MessageType = 2
 *    12     8  TargetNameFields
 *    20     4  NegotiateFlags
 *    24     8  ServerChallenge
 *    32     8  Reserved               (ignored)
 *    40     8  TargetInfoFields
 *    48     8  Version                (when the payload leaves room; read if flagged)
 *  48/56       Payload: TargetName, TargetInfo
 * A 32-byte message (up to ServerChallenge, empty target name) from old servers is
 * accepted, without target info. */
bool ntlm_parse_challenge(struct rd msg, struct ntlm_challenge *out)
{
    struct ntlm_challenge m;
    struct field f[2];
    struct rd pl[2];
    struct rd r = msg;
    size_t lo;
    static const size_t opt[1] = { NTLM_VERSION_LEN };
    bool present[1];

    memset(&m, 0, sizeof(m));
    if (!get_header(&r, NTLM_CHALLENGE) || !get_field(&r, &f[0]) || !rd_u32le(&r, &m.flags)
        || !rd_copy(&r, m.server_challenge, sizeof(m.server_challenge)))
        return false;
    if (msg.len == 32) {
        if (f[0].len != 0)
            return false;
        *out = m;
        return true;
    }
    if (!rd_skip(&r, 8) || !get_field(&r, &f[1]) || !get_payload(&msg, f, pl, 2, 48, &lo))
        return false;
    header_parts(48, lo, opt, 1, present);
    if (present[0] && !take_version(&r, m.flags, &m.has_version, &m.version))
        return false;
    m.target_name = pl[0];
    m.target_info = pl[1];
    *out = m;
    return true;
}

/* AUTHENTICATE_MESSAGE (2.2.1.3)
 *   off  size  field
 *     0     8  Signature "NTLMSSP\0"
 *     8     4  MessageType = 3
 *    12     8  LmChallengeResponseFields
 *    20     8  NtChallengeResponseFields
 *    28     8  DomainNameFields
 *    36     8  UserNameFields
 *    44     8  WorkstationFields
 *    52     8  EncryptedRandomSessionKeyFields
 *    60     4  NegotiateFlags
 *    64     8  Version                (when the payload leaves room; read if flagged)
 *    72    16  MIC                    (when the payload starts at 88 or later)
 *  64/72/88    Payload: Windows writes domain, user, workstation, LM, NT, key */
bool ntlm_parse_authenticate(struct rd msg, struct ntlm_authenticate *out)
{
    struct ntlm_authenticate m;
    struct field f[6];
    struct rd pl[6];
    struct rd r = msg;
    size_t lo;
    static const size_t opt[2] = { NTLM_VERSION_LEN, NTLM_MIC_LEN };
    bool present[2];

    memset(&m, 0, sizeof(m));
    if (!get_header(&r, NTLM_AUTHENTICATE))
        return false;
    for (size_t i = 0; i < 6; i++)
        if (!get_field(&r, &f[i]))
            return false;
    if (!rd_u32le(&r, &m.flags) || !get_payload(&msg, f, pl, 6, 64, &lo))
        return false;
    header_parts(64, lo, opt, 2, present);
    if (present[0] && !take_version(&r, m.flags, &m.has_version, &m.version))
        return false;
    if (present[1]) {
        if (!rd_copy(&r, m.mic, sizeof(m.mic)))
            return false;
        m.has_mic_room = true;
    }
    m.lm_response = pl[0];
    m.nt_response = pl[1];
    m.domain = pl[2];
    m.user = pl[3];
    m.workstation = pl[4];
    m.enc_session_key = pl[5];
    *out = m;
    return true;
}

/* NTLMv2_RESPONSE (2.2.2.8) = NTProofStr (16) || NTLMv2_CLIENT_CHALLENGE (2.2.2.7):
 *   off  size  field (offsets within the client challenge)
 *     0     1  RespType = 1
 *     1     1  HiRespType = 1
 *     2     2  Reserved1              (ignored)
 *     4     4  Reserved2              (ignored)
 *     8     8  TimeStamp
 *    16     8  ChallengeFromClient
 *    24     4  Reserved3              (ignored)
 *    28     .  AvPairs, to MsvAvEOL; then zero bytes only */
bool ntlm_parse_v2_blob(struct rd nt, uint8_t ntproofstr[16], struct ntlm_v2_blob *out)
{
    struct ntlm_v2_blob b;
    uint8_t proof[16];
    struct rd r = nt;

    memset(&b, 0, sizeof(b));
    if (!rd_copy(&r, proof, sizeof(proof)) || !rd_u8(&r, &b.resp_type) || !rd_u8(&r, &b.hi_resp_type)
        || !rd_skip(&r, 6) || !rd_u64le(&r, &b.timestamp)
        || !rd_copy(&r, b.client_challenge, sizeof(b.client_challenge)) || !rd_skip(&r, 4))
        return false;
    if (b.resp_type != 1 || b.hi_resp_type != 1)
        return false;
    struct rd walk = r;
    for (;;) {
        uint16_t id, len;
        if (!rd_u16le(&walk, &id) || !rd_u16le(&walk, &len) || !rd_skip(&walk, len))
            return false;
        if (id == MSV_AV_EOL)
            break;
    }
    if (!rd_bytes(&r, r.len - walk.len, &b.av_pairs))
        return false;
    while (r.len) {
        uint8_t z;
        if (!rd_u8(&r, &z) || z != 0)
            return false;
    }
    memcpy(ntproofstr, proof, sizeof(proof));
    *out = b;
    return true;
}

bool ntlm_build_v2_blob(struct wr *w, uint64_t timestamp, const uint8_t cc[8], struct rd av_pairs)
{
    return wr_u8(w, 1) && wr_u8(w, 1) && wr_zeros(w, 6) && wr_u64le(w, timestamp) && wr_bytes(w, cc, 8)
        && wr_zeros(w, 4) && wr_bytes(w, av_pairs.p, av_pairs.len) && wr_zeros(w, 4);
}

/* ---- builders ----------------------------------------------------------- */

/* a field header reserved in the fixed part, filled when its payload is written */
struct put_field {
    size_t hdr_at;
    struct rd data;
};

static bool put_field_hdr(struct wr *w, struct put_field *f, struct rd data)
{
    f->data = data;
    if (data.len > 0xffff)
        return wr_fail(w);
    return wr_reserve(w, 8, &f->hdr_at);
}

/* put_payload - append f's bytes and patch its header with (Len, Len, offset from
 * base); an empty field gets offset 0 when empty_at_zero. */
static bool put_payload(struct wr *w, size_t base, const struct put_field *f, bool empty_at_zero)
{
    if (w->err)
        return false;
    size_t off = w->len - base;
    if (off > UINT32_MAX)
        return wr_fail(w);
    if (f->data.len == 0 && empty_at_zero)
        off = 0;
    uint8_t hdr[8];
    uint16_t len = (uint16_t)f->data.len;
    hdr[0] = (uint8_t)len;
    hdr[1] = (uint8_t)(len >> 8);
    hdr[2] = hdr[0];
    hdr[3] = hdr[1];
    hdr[4] = (uint8_t)off;
    hdr[5] = (uint8_t)(off >> 8);
    hdr[6] = (uint8_t)(off >> 16);
    hdr[7] = (uint8_t)(off >> 24);
    return wr_patch_bytes(w, f->hdr_at, hdr, sizeof(hdr)) && wr_bytes(w, f->data.p, f->data.len);
}

static bool put_version(struct wr *w, const struct ntlm_version *v)
{
    return wr_u8(w, v->major) && wr_u8(w, v->minor) && wr_u16le(w, v->build) && wr_zeros(w, 3)
        && wr_u8(w, v->revision);
}

bool ntlm_build_negotiate(struct wr *w, const struct ntlm_negotiate *m)
{
    size_t base = w->len;
    struct put_field dom, ws;
    if (!wr_bytes(w, ntlm_sig, sizeof(ntlm_sig)) || !wr_u32le(w, NTLM_NEGOTIATE) || !wr_u32le(w, m->flags)
        || !put_field_hdr(w, &dom, m->domain) || !put_field_hdr(w, &ws, m->workstation))
        return false;
    if (m->has_version && !put_version(w, &m->version))
        return false;
    return put_payload(w, base, &dom, true) && put_payload(w, base, &ws, true);
}

bool ntlm_build_challenge(struct wr *w, const struct ntlm_challenge *m)
{
    size_t base = w->len;
    struct put_field tn, ti;
    if (!wr_bytes(w, ntlm_sig, sizeof(ntlm_sig)) || !wr_u32le(w, NTLM_CHALLENGE)
        || !put_field_hdr(w, &tn, m->target_name) || !wr_u32le(w, m->flags)
        || !wr_bytes(w, m->server_challenge, sizeof(m->server_challenge)) || !wr_zeros(w, 8)
        || !put_field_hdr(w, &ti, m->target_info))
        return false;
    if (m->has_version && !put_version(w, &m->version))
        return false;
    return put_payload(w, base, &tn, true) && put_payload(w, base, &ti, true);
}

bool ntlm_build_authenticate(struct wr *w, const struct ntlm_authenticate *m, bool with_mic, size_t *mic_at)
{
    static const struct ntlm_version no_version;
    size_t base = w->len, at = 0;
    struct put_field lm, nt, dom, user, ws, key;
    if (!wr_bytes(w, ntlm_sig, sizeof(ntlm_sig)) || !wr_u32le(w, NTLM_AUTHENTICATE)
        || !put_field_hdr(w, &lm, m->lm_response) || !put_field_hdr(w, &nt, m->nt_response)
        || !put_field_hdr(w, &dom, m->domain) || !put_field_hdr(w, &user, m->user)
        || !put_field_hdr(w, &ws, m->workstation) || !put_field_hdr(w, &key, m->enc_session_key)
        || !wr_u32le(w, m->flags))
        return false;
    if ((m->has_version || with_mic) && !put_version(w, m->has_version ? &m->version : &no_version))
        return false;
    if (with_mic && !wr_reserve(w, NTLM_MIC_LEN, &at))
        return false;
    if (!put_payload(w, base, &dom, false) || !put_payload(w, base, &user, false)
        || !put_payload(w, base, &ws, false) || !put_payload(w, base, &lm, false)
        || !put_payload(w, base, &nt, false) || !put_payload(w, base, &key, false))
        return false;
    if (with_mic && mic_at)
        *mic_at = at - base;
    return true;
}

const char *ntlm_flag_name(uint32_t bit)
{
    static const char *const names[32] = {
        "NTLMSSP_NEGOTIATE_UNICODE",
        "NTLMSSP_NEGOTIATE_OEM",
        "NTLMSSP_REQUEST_TARGET",
        "r10",
        "NTLMSSP_NEGOTIATE_SIGN",
        "NTLMSSP_NEGOTIATE_SEAL",
        "NTLMSSP_NEGOTIATE_DATAGRAM",
        "NTLMSSP_NEGOTIATE_LM_KEY",
        "r9",
        "NTLMSSP_NEGOTIATE_NTLM",
        "r8",
        "NTLMSSP_ANONYMOUS",
        "NTLMSSP_NEGOTIATE_OEM_DOMAIN_SUPPLIED",
        "NTLMSSP_NEGOTIATE_OEM_WORKSTATION_SUPPLIED",
        "r7",
        "NTLMSSP_NEGOTIATE_ALWAYS_SIGN",
        "NTLMSSP_TARGET_TYPE_DOMAIN",
        "NTLMSSP_TARGET_TYPE_SERVER",
        "r6",
        "NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY",
        "NTLMSSP_NEGOTIATE_IDENTIFY",
        "r5",
        "NTLMSSP_REQUEST_NON_NT_SESSION_KEY",
        "NTLMSSP_NEGOTIATE_TARGET_INFO",
        "r4",
        "NTLMSSP_NEGOTIATE_VERSION",
        "r3",
        "r2",
        "r1",
        "NTLMSSP_NEGOTIATE_128",
        "NTLMSSP_NEGOTIATE_KEY_EXCH",
        "NTLMSSP_NEGOTIATE_56",
    };
    if (bit == 0 || (bit & (bit - 1)) != 0)
        return NULL;
    unsigned i = 0;
    while ((bit >> i) != 1)
        i++;
    return names[i];
}
