/* src/ntlm/ntlm_message.c - NTLM NEGOTIATE/CHALLENGE/AUTHENTICATE encode/decode
 * Implements MS-NLMP 2.2.1.1-2.2.1.3, 2.2.2.7 and 2.2.2.10 (VERSION). No state,
 * no crypto: see ntlm_context.c and ntlm_crypto.c. */
#include "ntlm/ntlm_message.h"

#include <string.h>

static const uint8_t ntlm_sig[8] = { 'N', 'T', 'L', 'M', 'S', 'S', 'P', 0 };

#define NTLM_MAX_MESSAGE 0xffff

/* get_header - signature and message type */
static bool get_header(struct rd *r, uint32_t type)
{
    uint8_t sig[8];
    uint32_t t;
    return rd_copy(r, sig, 8) && memcmp(sig, ntlm_sig, 8) == 0 && rd_u32le(r, &t) && t == type;
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

/* MS-NLMP 2.2.1: (Len u16, MaxLen u16, BufferOffset u32) into the whole message.
 * A non-empty field must lie after the fixed header (hdr_end) and in msg. */
static bool get_field(struct rd *hdr, const struct rd *msg, size_t hdr_end, struct rd *out, size_t *min_off)
{
    uint16_t len, maxlen;
    uint32_t off;
    if (!rd_u16le(hdr, &len) || !rd_u16le(hdr, &maxlen) || !rd_u32le(hdr, &off))
        return false;
    if (len == 0) {
        *out = rd_init(NULL, 0);
        return true;
    }
    if (off < hdr_end)
        return false;
    if (off < *min_off)
        *min_off = off;
    return rd_slice(msg, off, len, out);
}

static bool get_version(struct rd *r, struct ntlm_version *v)
{
    uint8_t reserved[3];
    return rd_u8(r, &v->major) && rd_u8(r, &v->minor) && rd_u16le(r, &v->build) && rd_copy(r, reserved, 3)
        && rd_u8(r, &v->revision);
}

/* NEGOTIATE_MESSAGE (2.2.1.1)
 *   0  Signature "NTLMSSP\0"     8
 *   8  MessageType = 1           4
 *  12  NegotiateFlags            4
 *  16  DomainNameFields          8
 *  24  WorkstationFields         8
 *  32  Version (if flagged)      8
 *  32/40 Payload */
bool ntlm_parse_negotiate(struct rd msg, struct ntlm_negotiate *out)
{
    struct ntlm_negotiate m;
    memset(&m, 0, sizeof(m));
    struct rd r = msg;
    size_t min_off = msg.len;
    if (!get_header(&r, NTLM_NEGOTIATE) || !rd_u32le(&r, &m.flags))
        return false;
    /* Old clients send only the first 16 bytes. */
    if (r.len == 0) {
        *out = m;
        return msg.len <= NTLM_MAX_MESSAGE;
    }
    if (!get_field(&r, &msg, 32, &m.domain, &min_off) || !get_field(&r, &msg, 32, &m.workstation, &min_off))
        return false;
    if ((m.flags & NTLMSSP_NEGOTIATE_VERSION) && min_off >= 40 && r.len >= 8) {
        if (!get_version(&r, &m.version))
            return false;
        m.has_version = true;
    }
    if (msg.len > NTLM_MAX_MESSAGE)
        return false;
    *out = m;
    return true;
}

/* CHALLENGE_MESSAGE (2.2.1.2)
 *   0  Signature                 8
 *   8  MessageType = 2           4
 *  12  TargetNameFields          8
 *  20  NegotiateFlags            4
 *  24  ServerChallenge           8
 *  32  Reserved                  8
 *  40  TargetInfoFields          8
 *  48  Version (if flagged)      8
 *  48/56 Payload */
bool ntlm_parse_challenge(struct rd msg, struct ntlm_challenge *out)
{
    struct ntlm_challenge m;
    memset(&m, 0, sizeof(m));
    struct rd r = msg;
    size_t min_off = msg.len;
    if (msg.len > NTLM_MAX_MESSAGE || msg.len < 32)
        return false;
    if (!get_header(&r, NTLM_CHALLENGE) || !get_field(&r, &msg, 32, &m.target_name, &min_off)
        || !rd_u32le(&r, &m.flags) || !rd_copy(&r, m.server_challenge, 8))
        return false;
    if (r.len == 0) { /* very old servers: no target info */
        *out = m;
        return true;
    }
    if (!rd_skip(&r, 8) || !get_field(&r, &msg, 48, &m.target_info, &min_off))
        return false;
    if (m.target_name.len && m.target_name.p < msg.p + 48)
        return false;
    if ((m.flags & NTLMSSP_NEGOTIATE_VERSION) && min_off >= 56 && r.len >= 8) {
        if (!get_version(&r, &m.version))
            return false;
        m.has_version = true;
    }
    *out = m;
    return true;
}

/* AUTHENTICATE_MESSAGE (2.2.1.3)
 *   0  Signature                          8
 *   8  MessageType = 3                    4
 *  12  LmChallengeResponseFields          8
 *  20  NtChallengeResponseFields          8
 *  28  DomainNameFields                   8
 *  36  UserNameFields                     8
 *  44  WorkstationFields                  8
 *  52  EncryptedRandomSessionKeyFields    8
 *  60  NegotiateFlags                     4
 *  64  Version (if flagged)               8
 *  72  MIC (when the payload starts >= 88) 16
 *  64/72/88 Payload */
bool ntlm_parse_authenticate(struct rd msg, struct ntlm_authenticate *out)
{
    struct ntlm_authenticate m;
    memset(&m, 0, sizeof(m));
    struct rd r = msg;
    size_t min_off = msg.len;
    if (msg.len > NTLM_MAX_MESSAGE)
        return false;
    if (!get_header(&r, NTLM_AUTHENTICATE) || !get_field(&r, &msg, 64, &m.lm_response, &min_off)
        || !get_field(&r, &msg, 64, &m.nt_response, &min_off) || !get_field(&r, &msg, 64, &m.domain, &min_off)
        || !get_field(&r, &msg, 64, &m.user, &min_off) || !get_field(&r, &msg, 64, &m.workstation, &min_off)
        || !get_field(&r, &msg, 64, &m.enc_session_key, &min_off) || !rd_u32le(&r, &m.flags))
        return false;
    if (min_off >= 72 && r.len >= 8) {
        if (!get_version(&r, &m.version))
            return false;
        m.has_version = (m.flags & NTLMSSP_NEGOTIATE_VERSION) != 0;
    }
    if (min_off >= 88 && r.len >= 16) {
        if (!rd_copy(&r, m.mic, 16))
            return false;
        m.has_mic_room = true;
    }
    *out = m;
    return true;
}

/* NTLMv2_RESPONSE (2.2.2.8) = NTProofStr(16) || NTLMv2_CLIENT_CHALLENGE (2.2.2.7):
 *   0  RespType (1)  1    1  HiRespType (1)  1    2  Reserved1  2
 *   4  Reserved2     4    8  TimeStamp       8   16  ChallengeFromClient 8
 *  24  Reserved3     4   28  AvPairs (to MsvAvEOL), then padding */
bool ntlm_parse_v2_blob(struct rd nt, uint8_t proof[16], struct ntlm_v2_blob *out)
{
    struct ntlm_v2_blob b;
    memset(&b, 0, sizeof(b));
    struct rd r = nt;
    if (!rd_copy(&r, proof, 16) || !rd_u8(&r, &b.resp_type) || !rd_u8(&r, &b.hi_resp_type) || !rd_skip(&r, 6)
        || !rd_u64le(&r, &b.timestamp) || !rd_copy(&r, b.client_challenge, 8) || !rd_skip(&r, 4))
        return false;
    if (b.resp_type != 1 || b.hi_resp_type != 1)
        return false;
    /* walk the AV pairs to their EOL; what follows is padding */
    struct rd walk = r;
    for (;;) {
        uint16_t id, len;
        if (!rd_u16le(&walk, &id) || !rd_u16le(&walk, &len) || !rd_skip(&walk, len))
            return false;
        if (id == 0)
            break;
    }
    b.av_pairs = rd_init(r.p, r.len - walk.len);
    *out = b;
    return true;
}

/* ---- builders ----------------------------------------------------------- */

/* a field header whose offset is patched when the payload is written */
struct field {
    size_t hdr_at;
    struct rd data;
};

static bool put_field_hdr(struct wr *w, struct field *f, struct rd data)
{
    f->data = data;
    if (data.len > 0xffff)
        return wr_fail(w);
    return wr_u16le(w, (uint16_t)data.len) && wr_u16le(w, (uint16_t)data.len) && wr_reserve(w, 4, &f->hdr_at);
}

static bool put_payload(struct wr *w, size_t base, struct field *f)
{
    return wr_patch_u32le(w, f->hdr_at, (uint32_t)(w->len - base)) && wr_bytes(w, f->data.p, f->data.len);
}

static bool put_version(struct wr *w, const struct ntlm_version *v)
{
    return wr_u8(w, v->major) && wr_u8(w, v->minor) && wr_u16le(w, v->build) && wr_zeros(w, 3)
        && wr_u8(w, v->revision);
}

bool ntlm_build_negotiate(struct wr *w, const struct ntlm_negotiate *m)
{
    size_t base = w->len;
    struct field dom, ws;
    if (!wr_bytes(w, ntlm_sig, 8) || !wr_u32le(w, NTLM_NEGOTIATE) || !wr_u32le(w, m->flags)
        || !put_field_hdr(w, &dom, m->domain) || !put_field_hdr(w, &ws, m->workstation))
        return false;
    if (m->has_version && !put_version(w, &m->version))
        return false;
    return put_payload(w, base, &dom) && put_payload(w, base, &ws);
}

bool ntlm_build_challenge(struct wr *w, const struct ntlm_challenge *m)
{
    size_t base = w->len;
    struct field tn, ti;
    if (!wr_bytes(w, ntlm_sig, 8) || !wr_u32le(w, NTLM_CHALLENGE) || !put_field_hdr(w, &tn, m->target_name)
        || !wr_u32le(w, m->flags) || !wr_bytes(w, m->server_challenge, 8) || !wr_zeros(w, 8)
        || !put_field_hdr(w, &ti, m->target_info))
        return false;
    if (m->has_version && !put_version(w, &m->version))
        return false;
    return put_payload(w, base, &tn) && put_payload(w, base, &ti);
}

bool ntlm_build_authenticate(struct wr *w, const struct ntlm_authenticate *m, bool with_mic, size_t *mic_at)
{
    size_t base = w->len;
    struct field lm, nt, dom, user, ws, key;
    if (!wr_bytes(w, ntlm_sig, 8) || !wr_u32le(w, NTLM_AUTHENTICATE) || !put_field_hdr(w, &lm, m->lm_response)
        || !put_field_hdr(w, &nt, m->nt_response) || !put_field_hdr(w, &dom, m->domain)
        || !put_field_hdr(w, &user, m->user) || !put_field_hdr(w, &ws, m->workstation)
        || !put_field_hdr(w, &key, m->enc_session_key) || !wr_u32le(w, m->flags))
        return false;
    if (m->has_version || with_mic) {
        struct ntlm_version none = { 0, 0, 0, 0 };
        if (!put_version(w, m->has_version ? &m->version : &none))
            return false;
    }
    if (with_mic) {
        size_t at;
        if (!wr_reserve(w, 16, &at))
            return false;
        *mic_at = at - base;
    }
    /* payload order as Windows writes it: domain, user, workstation, LM, NT, key */
    return put_payload(w, base, &dom) && put_payload(w, base, &user) && put_payload(w, base, &ws)
        && put_payload(w, base, &lm) && put_payload(w, base, &nt) && put_payload(w, base, &key);
}

const char *ntlm_flag_name(uint32_t bit)
{
    static const struct {
        uint32_t bit;
        const char *name;
    } names[] = {
        { 0x00000001u, "NTLMSSP_NEGOTIATE_UNICODE" },
        { 0x00000002u, "NTLMSSP_NEGOTIATE_OEM" },
        { 0x00000004u, "NTLMSSP_REQUEST_TARGET" },
        { 0x00000008u, "r10 (reserved)" },
        { 0x00000010u, "NTLMSSP_NEGOTIATE_SIGN" },
        { 0x00000020u, "NTLMSSP_NEGOTIATE_SEAL" },
        { 0x00000040u, "NTLMSSP_NEGOTIATE_DATAGRAM" },
        { 0x00000080u, "NTLMSSP_NEGOTIATE_LM_KEY" },
        { 0x00000100u, "r9 (reserved)" },
        { 0x00000200u, "NTLMSSP_NEGOTIATE_NTLM" },
        { 0x00000400u, "r8 (reserved)" },
        { 0x00000800u, "NTLMSSP_ANONYMOUS" },
        { 0x00001000u, "NTLMSSP_NEGOTIATE_OEM_DOMAIN_SUPPLIED" },
        { 0x00002000u, "NTLMSSP_NEGOTIATE_OEM_WORKSTATION_SUPPLIED" },
        { 0x00004000u, "r7 (reserved)" },
        { 0x00008000u, "NTLMSSP_NEGOTIATE_ALWAYS_SIGN" },
        { 0x00010000u, "NTLMSSP_TARGET_TYPE_DOMAIN" },
        { 0x00020000u, "NTLMSSP_TARGET_TYPE_SERVER" },
        { 0x00040000u, "r6 (reserved)" },
        { 0x00080000u, "NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY" },
        { 0x00100000u, "NTLMSSP_NEGOTIATE_IDENTIFY" },
        { 0x00200000u, "r5 (reserved)" },
        { 0x00400000u, "NTLMSSP_REQUEST_NON_NT_SESSION_KEY" },
        { 0x00800000u, "NTLMSSP_NEGOTIATE_TARGET_INFO" },
        { 0x01000000u, "r4 (reserved)" },
        { 0x02000000u, "NTLMSSP_NEGOTIATE_VERSION" },
        { 0x04000000u, "r3 (reserved)" },
        { 0x08000000u, "r2 (reserved)" },
        { 0x10000000u, "r1 (reserved)" },
        { 0x20000000u, "NTLMSSP_NEGOTIATE_128" },
        { 0x40000000u, "NTLMSSP_NEGOTIATE_KEY_EXCH" },
        { 0x80000000u, "NTLMSSP_NEGOTIATE_56" },
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (names[i].bit == bit)
            return names[i].name;
    return NULL;
}
