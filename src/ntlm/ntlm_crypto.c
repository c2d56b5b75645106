/* src/ntlm/ntlm_crypto.c - NTLM cryptography
 * Implements MS-NLMP 3.3.1 (NTLMv1, LMv1, NTLMv1 with client challenge),
 * 3.3.2 (NTLMv2, LMv2), 3.4.5.1-3.4.5.3 (KXKEY, SIGNKEY, SEALKEY), the MIC
 * (3.1.5.1.2), the MsvAvChannelBindings hash (2.2.2.1) and session security
 * (3.4.2-3.4.4). No message parsing and no state machine: see ntlm_message.c
 * and ntlm_context.c. Every temporary holding key material is wiped. */
#include "ntlm/ntlm_crypto.h"

#include <string.h>

#include <openssl/crypto.h>

#include "core/bytes.h"

static inline void put32le(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* ---- uppercase ---------------------------------------------------------- */

/* Latin Extended-B (U+0180-U+024F) irregular lowercase -> uppercase pairs;
 * the regular alternating runs are handled in upper_latin_b. */
static const uint16_t latin_b_pairs[][2] = {
    { 0x0180, 0x0243 }, { 0x0183, 0x0182 }, { 0x0185, 0x0184 }, { 0x0188, 0x0187 },
    { 0x018c, 0x018b }, { 0x0192, 0x0191 }, { 0x0195, 0x01f6 }, { 0x0199, 0x0198 },
    { 0x019a, 0x023d }, { 0x019e, 0x0220 }, { 0x01a1, 0x01a0 }, { 0x01a3, 0x01a2 },
    { 0x01a5, 0x01a4 }, { 0x01a8, 0x01a7 }, { 0x01ad, 0x01ac }, { 0x01b0, 0x01af },
    { 0x01b4, 0x01b3 }, { 0x01b6, 0x01b5 }, { 0x01b9, 0x01b8 }, { 0x01bd, 0x01bc },
    { 0x01bf, 0x01f7 }, { 0x01c5, 0x01c4 }, { 0x01c6, 0x01c4 }, { 0x01c8, 0x01c7 },
    { 0x01c9, 0x01c7 }, { 0x01cb, 0x01ca }, { 0x01cc, 0x01ca }, { 0x01dd, 0x018e },
    { 0x01f2, 0x01f1 }, { 0x01f3, 0x01f1 }, { 0x01f5, 0x01f4 }, { 0x023c, 0x023b },
    { 0x023f, 0x2c7e }, { 0x0240, 0x2c7f }, { 0x0242, 0x0241 },
};

static uint16_t upper_latin_b(uint16_t c)
{
    /* runs where the uppercase letter is odd and the lowercase one even */
    if (c >= 0x01cd && c <= 0x01dc)
        return (c & 1) ? c : (uint16_t)(c - 1);
    /* runs where the uppercase letter is even */
    if ((c >= 0x01de && c <= 0x01ef) || (c >= 0x01f8 && c <= 0x021f)
        || (c >= 0x0222 && c <= 0x0233) || (c >= 0x0246 && c <= 0x024f))
        return (c & 1) ? (uint16_t)(c - 1) : c;
    for (size_t i = 0; i < sizeof(latin_b_pairs) / sizeof(latin_b_pairs[0]); i++)
        if (latin_b_pairs[i][0] == c)
            return latin_b_pairs[i][1];
    return c;
}

static uint16_t upper_greek(uint16_t c)
{
    switch (c) {
    case 0x0371: case 0x0373: case 0x0377: return (uint16_t)(c - 1);
    case 0x037b: case 0x037c: case 0x037d: return (uint16_t)(c + 0x82);
    case 0x03ac: return 0x0386;
    case 0x03ad: case 0x03ae: case 0x03af: return (uint16_t)(c - 37);
    case 0x03c2: return 0x03a3;
    case 0x03cc: return 0x038c;
    case 0x03cd: case 0x03ce: return (uint16_t)(c - 63);
    case 0x03d0: return 0x0392;
    case 0x03d1: return 0x0398;
    case 0x03d5: return 0x03a6;
    case 0x03d6: return 0x03a0;
    case 0x03d7: return 0x03cf;
    case 0x03f0: return 0x039a;
    case 0x03f1: return 0x03a1;
    case 0x03f2: return 0x03f9;
    case 0x03f3: return 0x037f;
    case 0x03f5: return 0x0395;
    case 0x03f8: return 0x03f7;
    case 0x03fb: return 0x03fa;
    default: break;
    }
    if (c >= 0x03b1 && c <= 0x03cb)
        return (uint16_t)(c - 32);
    if (c >= 0x03d8 && c <= 0x03ef)
        return (c & 1) ? (uint16_t)(c - 1) : c;
    return c;
}

static uint16_t upper_cyrillic(uint16_t c)
{
    if (c >= 0x0430 && c <= 0x044f)
        return (uint16_t)(c - 32);
    if (c >= 0x0450 && c <= 0x045f)
        return (uint16_t)(c - 80);
    if (c == 0x04cf)
        return 0x04c0;
    if (c >= 0x04c1 && c <= 0x04ce)
        return (c & 1) ? c : (uint16_t)(c - 1);
    if ((c >= 0x0460 && c <= 0x0481) || (c >= 0x048a && c <= 0x04bf) || (c >= 0x04d0 && c <= 0x052f))
        return (c & 1) ? (uint16_t)(c - 1) : c;
    return c;
}

static uint16_t upper16(uint16_t c)
{
    if (c < 0x0080)
        return (c >= 'a' && c <= 'z') ? (uint16_t)(c - 32) : c;
    if (c < 0x0100) {
        if (c == 0x00b5)
            return 0x039c;
        if (c == 0x00ff)
            return 0x0178;
        return (c >= 0x00e0 && c != 0x00f7) ? (uint16_t)(c - 32) : c;
    }
    if (c < 0x0180) {
        if (c == 0x0131)
            return 0x0049;
        if (c == 0x017f)
            return 0x0053;
        if (c == 0x0130 || c == 0x0138 || c == 0x0149 || c == 0x0178)
            return c;
        if ((c >= 0x0139 && c <= 0x0148) || (c >= 0x0179 && c <= 0x017e))
            return (c & 1) ? c : (uint16_t)(c - 1);
        return (c & 1) ? (uint16_t)(c - 1) : c;
    }
    if (c < 0x0250)
        return upper_latin_b(c);
    if (c >= 0x0370 && c < 0x0400)
        return upper_greek(c);
    if (c >= 0x0400 && c < 0x0530)
        return upper_cyrillic(c);
    return c;
}

void ntlm_utf16_upper(uint8_t *dst, const uint8_t *src, size_t len)
{
    size_t i;
    for (i = 0; i + 1 < len; i += 2) {
        uint16_t c = upper16((uint16_t)(src[i] | src[i + 1] << 8));
        dst[i] = (uint8_t)c;
        dst[i + 1] = (uint8_t)(c >> 8);
    }
    if (i < len)
        dst[i] = src[i];
}

/* ---- one-way functions -------------------------------------------------- */

void ntlm_ntowfv1(const uint8_t *pw, size_t pwlen, uint8_t out[NTLM_HASH_LEN])
{
    sspi_md4(pw, pwlen, out);
}

bool ntlm_lmowfv1(const char *pw, size_t pwlen, uint8_t out[NTLM_HASH_LEN])
{
    static const uint8_t magic[8] = { 'K', 'G', 'S', '!', '@', '#', '$', '%' };
    uint8_t up[14] = { 0 };
    uint8_t res[NTLM_HASH_LEN];
    bool ok;

    for (size_t i = 0; i < pwlen && i < sizeof(up); i++) {
        uint8_t c = (uint8_t)pw[i];
        up[i] = (c >= 'a' && c <= 'z') ? (uint8_t)(c - 32) : c;
    }
    ok = sspi_des7_ecb(up, magic, res) && sspi_des7_ecb(up + 7, magic, res + 8);
    if (ok)
        memcpy(out, res, sizeof(res));
    OPENSSL_cleanse(up, sizeof(up));
    OPENSSL_cleanse(res, sizeof(res));
    return ok;
}

void ntlm_ntowfv2(const uint8_t nt_hash[NTLM_HASH_LEN], const uint8_t *user, size_t ulen,
                  const uint8_t *domain, size_t dlen, uint8_t out[NTLM_HASH_LEN])
{
    struct hmac_md5_key k;
    struct hmac_md5 h;
    uint8_t chunk[64];

    hmac_md5_init_key(&k, nt_hash, NTLM_HASH_LEN);
    hmac_md5_start(&h, &k);
    /* uppercase the user name a chunk at a time: no allocation */
    while (ulen > 0) {
        size_t n = ulen < sizeof(chunk) ? ulen : sizeof(chunk);
        ntlm_utf16_upper(chunk, user, n);
        hmac_md5_update(&h, chunk, n);
        user += n;
        ulen -= n;
    }
    if (dlen > 0)
        hmac_md5_update(&h, domain, dlen);
    hmac_md5_final(&h, out);
    hmac_md5_key_cleanse(&k);
    OPENSSL_cleanse(chunk, sizeof(chunk));
}

/* ---- NTLMv2 ------------------------------------------------------------- */

void ntlm_v2_temp_header(uint64_t filetime, const uint8_t client_chal[NTLM_CHALLENGE_LEN],
                         uint8_t out[NTLM_V2_TEMP_HDR_LEN])
{
    memset(out, 0, NTLM_V2_TEMP_HDR_LEN);
    out[0] = 1; /* RespType */
    out[1] = 1; /* HiRespType */
    put32le(out + 8, (uint32_t)filetime);
    put32le(out + 12, (uint32_t)(filetime >> 32));
    memcpy(out + 16, client_chal, NTLM_CHALLENGE_LEN);
}

void ntlm_v2_response(const uint8_t key_nt[NTLM_HASH_LEN],
                      const uint8_t server_chal[NTLM_CHALLENGE_LEN], const uint8_t *temp,
                      size_t temp_len, uint8_t ntproof[NTLM_HASH_LEN],
                      uint8_t session_base_key[NTLM_HASH_LEN])
{
    struct hmac_md5_key k;
    struct hmac_md5 h;

    hmac_md5_init_key(&k, key_nt, NTLM_HASH_LEN);
    hmac_md5_start(&h, &k);
    hmac_md5_update(&h, server_chal, NTLM_CHALLENGE_LEN);
    hmac_md5_update(&h, temp, temp_len);
    hmac_md5_final(&h, ntproof);
    if (session_base_key) {
        hmac_md5_start(&h, &k);
        hmac_md5_update(&h, ntproof, NTLM_HASH_LEN);
        hmac_md5_final(&h, session_base_key);
    }
    hmac_md5_key_cleanse(&k);
}

void ntlm_lmv2_response(const uint8_t key_lm[NTLM_HASH_LEN],
                        const uint8_t server_chal[NTLM_CHALLENGE_LEN],
                        const uint8_t client_chal[NTLM_CHALLENGE_LEN],
                        uint8_t out[NTLM_V1_RESP_LEN])
{
    uint8_t cc[NTLM_CHALLENGE_LEN];
    memcpy(cc, client_chal, sizeof(cc)); /* out may alias client_chal */
    hmac_md5_2(key_lm, NTLM_HASH_LEN, server_chal, NTLM_CHALLENGE_LEN, cc, sizeof(cc), out);
    memcpy(out + NTLM_HASH_LEN, cc, sizeof(cc));
}

/* ---- NTLMv1 ------------------------------------------------------------- */

bool ntlm_desl(const uint8_t key[NTLM_HASH_LEN], const uint8_t data[8],
               uint8_t out[NTLM_V1_RESP_LEN])
{
    uint8_t k3[7] = { key[14], key[15], 0, 0, 0, 0, 0 };
    uint8_t res[NTLM_V1_RESP_LEN];
    bool ok = sspi_des7_ecb(key, data, res) && sspi_des7_ecb(key + 7, data, res + 8)
           && sspi_des7_ecb(k3, data, res + 16);
    if (ok)
        memcpy(out, res, sizeof(res));
    OPENSSL_cleanse(k3, sizeof(k3));
    OPENSSL_cleanse(res, sizeof(res));
    return ok;
}

bool ntlm_v1_responses(const uint8_t nt_hash[NTLM_HASH_LEN], const uint8_t *lm_hash,
                       const uint8_t server_chal[NTLM_CHALLENGE_LEN], const uint8_t *client_chal,
                       uint8_t nt[NTLM_V1_RESP_LEN], uint8_t *lm)
{
    uint8_t digest[SSPI_MD5_LEN];
    uint8_t ntr[NTLM_V1_RESP_LEN], lmr[NTLM_V1_RESP_LEN];
    bool ok;

    if (client_chal) {
        const struct sspi_iov iov[2] = { { server_chal, NTLM_CHALLENGE_LEN },
                                         { client_chal, NTLM_CHALLENGE_LEN } };
        sspi_md5_iov(iov, 2, digest);
        ok = ntlm_desl(nt_hash, digest, ntr);
        memset(lmr, 0, sizeof(lmr));
        memcpy(lmr, client_chal, NTLM_CHALLENGE_LEN);
    } else {
        ok = ntlm_desl(nt_hash, server_chal, ntr);
        if (ok && lm_hash)
            ok = ntlm_desl(lm_hash, server_chal, lmr);
        else
            memcpy(lmr, ntr, sizeof(lmr));
    }
    if (ok) {
        memcpy(nt, ntr, sizeof(ntr));
        if (lm)
            memcpy(lm, lmr, sizeof(lmr));
    }
    OPENSSL_cleanse(digest, sizeof(digest));
    return ok;
}

void ntlm_v1_session_base_key(const uint8_t nt_hash[NTLM_HASH_LEN], uint8_t out[NTLM_HASH_LEN])
{
    sspi_md4(nt_hash, NTLM_HASH_LEN, out);
}

/* ---- key exchange ------------------------------------------------------- */

bool ntlm_kxkey(uint32_t flags, bool v2, const uint8_t sbk[NTLM_HASH_LEN], const uint8_t *lm_hash,
                const uint8_t *lm_resp, const uint8_t *server_chal, uint8_t out[NTLM_HASH_LEN])
{
    uint8_t res[NTLM_HASH_LEN];
    bool ok = true;

    if (v2) {
        memcpy(res, sbk, sizeof(res));
    } else if (flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY) {
        if (!lm_resp || !server_chal)
            return false;
        hmac_md5_2(sbk, NTLM_HASH_LEN, server_chal, NTLM_CHALLENGE_LEN, lm_resp, 8, res);
    } else if (flags & NTLMSSP_NEGOTIATE_LM_KEY) {
        uint8_t k2[7];
        if (!lm_hash || !lm_resp)
            return false;
        k2[0] = lm_hash[7];
        memset(k2 + 1, 0xbd, 6);
        ok = sspi_des7_ecb(lm_hash, lm_resp, res) && sspi_des7_ecb(k2, lm_resp, res + 8);
        OPENSSL_cleanse(k2, sizeof(k2));
    } else if (flags & NTLMSSP_REQUEST_NON_NT_SESSION_KEY) {
        if (!lm_hash)
            return false;
        memcpy(res, lm_hash, 8);
        memset(res + 8, 0, 8);
    } else {
        memcpy(res, sbk, sizeof(res));
    }
    if (ok)
        memcpy(out, res, sizeof(res));
    OPENSSL_cleanse(res, sizeof(res));
    return ok;
}

void ntlm_rc4k(const uint8_t key[NTLM_HASH_LEN], const uint8_t in[NTLM_HASH_LEN],
               uint8_t out[NTLM_HASH_LEN])
{
    sspi_rc4_oneshot(key, NTLM_HASH_LEN, in, out, NTLM_HASH_LEN);
}

/* ---- SIGNKEY, SEALKEY --------------------------------------------------- */

/* The magic constants of 3.4.5.2/3.4.5.3, hashed with their terminating NUL. */
static const char sign_c2s[] = "session key to client-to-server signing key magic constant";
static const char sign_s2c[] = "session key to server-to-client signing key magic constant";
static const char seal_c2s[] = "session key to client-to-server sealing key magic constant";
static const char seal_s2c[] = "session key to server-to-client sealing key magic constant";

bool ntlm_signkey(uint32_t flags, const uint8_t esk[NTLM_HASH_LEN], bool client_to_server,
                  uint8_t out[NTLM_HASH_LEN])
{
    if (!(flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY))
        return false;
    const struct sspi_iov iov[2] = { { esk, NTLM_HASH_LEN },
                                     { client_to_server ? sign_c2s : sign_s2c, sizeof(sign_c2s) } };
    sspi_md5_iov(iov, 2, out);
    return true;
}

size_t ntlm_sealkey(uint32_t flags, const uint8_t esk[NTLM_HASH_LEN], bool client_to_server,
                    uint8_t out[NTLM_HASH_LEN])
{
    if (flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY) {
        size_t klen = (flags & NTLMSSP_NEGOTIATE_128) ? 16 : (flags & NTLMSSP_NEGOTIATE_56) ? 7 : 5;
        const struct sspi_iov iov[2] = {
            { esk, klen }, { client_to_server ? seal_c2s : seal_s2c, sizeof(seal_c2s) }
        };
        sspi_md5_iov(iov, 2, out);
        return NTLM_HASH_LEN;
    }
    if (flags & (NTLMSSP_NEGOTIATE_LM_KEY | NTLMSSP_NEGOTIATE_DATAGRAM)) {
        if (flags & NTLMSSP_NEGOTIATE_56) {
            memcpy(out, esk, 7);
            out[7] = 0xa0;
        } else {
            memcpy(out, esk, 5);
            out[5] = 0xe5;
            out[6] = 0x38;
            out[7] = 0xb0;
        }
        return 8;
    }
    memcpy(out, esk, NTLM_HASH_LEN);
    return NTLM_HASH_LEN;
}

/* ---- MIC and channel bindings ------------------------------------------- */

bool ntlm_mic(const uint8_t esk[NTLM_HASH_LEN], const uint8_t *negotiate, size_t neg_len,
              const uint8_t *challenge, size_t chal_len, const uint8_t *authenticate,
              size_t auth_len, size_t mic_offset, uint8_t out[NTLM_HASH_LEN])
{
    static const uint8_t zeros[NTLM_HASH_LEN];
    struct hmac_md5_key k;
    struct hmac_md5 h;

    if (mic_offset > auth_len || auth_len - mic_offset < NTLM_HASH_LEN)
        return false;
    hmac_md5_init_key(&k, esk, NTLM_HASH_LEN);
    hmac_md5_start(&h, &k);
    hmac_md5_update(&h, negotiate, neg_len);
    hmac_md5_update(&h, challenge, chal_len);
    hmac_md5_update(&h, authenticate, mic_offset);
    hmac_md5_update(&h, zeros, sizeof(zeros));
    hmac_md5_update(&h, authenticate + mic_offset + NTLM_HASH_LEN,
                    auth_len - mic_offset - NTLM_HASH_LEN);
    hmac_md5_final(&h, out);
    hmac_md5_key_cleanse(&k);
    return true;
}

/* SEC_CHANNEL_BINDINGS, as the caller's SecBuffer holds it:
 *   off  size  field
 *    0    4    dwInitiatorAddrType
 *    4    4    cbInitiatorLength
 *    8    4    dwInitiatorOffset        (from the start of the struct)
 *   12    4    dwAcceptorAddrType
 *   16    4    cbAcceptorLength
 *   20    4    dwAcceptorOffset
 *   24    4    cbApplicationDataLength
 *   28    4    dwApplicationDataOffset
 *   32    ...  data at the offsets above
 * Hashed form (gss_channel_bindings_struct flattened, RFC 4121 4.1.1.2 style):
 *   u32le initiator type, u32le length, address, u32le acceptor type,
 *   u32le length, address, u32le application data length, data. */
/* cb_field - an address or data field; an empty one's offset is not looked at
 * (callers leave it 0 or anything). */
static bool cb_field(const struct rd *msg, uint32_t off, uint32_t len, struct rd *out)
{
    if (len == 0) {
        *out = rd_init(NULL, 0);
        return true;
    }
    return rd_slice(msg, off, len, out);
}

bool ntlm_channel_bindings_hash(const uint8_t *cb, size_t len, uint8_t out[NTLM_HASH_LEN])
{
    struct rd msg = rd_init(cb, len), hdr = msg, ini, acc, app;
    uint32_t ini_type, ini_len, ini_off, acc_type, acc_len, acc_off, app_len, app_off;
    uint8_t le[3][8];
    MD5_CTX c;

    if (!(rd_u32le(&hdr, &ini_type) && rd_u32le(&hdr, &ini_len) && rd_u32le(&hdr, &ini_off)
          && rd_u32le(&hdr, &acc_type) && rd_u32le(&hdr, &acc_len) && rd_u32le(&hdr, &acc_off)
          && rd_u32le(&hdr, &app_len) && rd_u32le(&hdr, &app_off)
          && cb_field(&msg, ini_off, ini_len, &ini) && cb_field(&msg, acc_off, acc_len, &acc)
          && cb_field(&msg, app_off, app_len, &app)))
        return false;
    put32le(le[0], ini_type);
    put32le(le[0] + 4, ini_len);
    put32le(le[1], acc_type);
    put32le(le[1] + 4, acc_len);
    put32le(le[2], app_len);
    MD5_Init(&c);
    MD5_Update(&c, le[0], 8);
    MD5_Update(&c, ini.p, ini.len);
    MD5_Update(&c, le[1], 8);
    MD5_Update(&c, acc.p, acc.len);
    MD5_Update(&c, le[2], 4);
    MD5_Update(&c, app.p, app.len);
    MD5_Final(out, &c);
    return true;
}

/* ---- session security --------------------------------------------------- */

void ntlm_seal_state_init(struct ntlm_seal_state *st, uint32_t flags,
                          const uint8_t esk[NTLM_HASH_LEN], bool client_to_server)
{
    uint8_t key[NTLM_HASH_LEN];

    memset(st, 0, sizeof(*st));
    st->flags = flags;
    if (ntlm_signkey(flags, esk, client_to_server, key))
        hmac_md5_init_key(&st->sign, key, sizeof(key));
    st->seal_key_len = ntlm_sealkey(flags, esk, client_to_server, st->seal_key);
    sspi_rc4_init(&st->seal, st->seal_key, st->seal_key_len);
    OPENSSL_cleanse(key, sizeof(key));
}

void ntlm_seal_state_cleanse(struct ntlm_seal_state *st)
{
    OPENSSL_cleanse(st, sizeof(*st));
}

void ntlm_session_init(struct ntlm_session *s, uint32_t flags, const uint8_t esk[NTLM_HASH_LEN],
                       bool client)
{
    s->shared = !(flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY);
    ntlm_seal_state_init(&s->send, flags, esk, client);
    if (s->shared)
        memset(&s->recv, 0, sizeof(s->recv));
    else
        ntlm_seal_state_init(&s->recv, flags, esk, !client);
}

void ntlm_session_cleanse(struct ntlm_session *s)
{
    OPENSSL_cleanse(s, sizeof(*s));
}

/* A signature computation over the plaintext, fed piece by piece. */
struct mac_run {
    struct hmac_md5 h;
    uint32_t crc;
    bool ess;
};

static inline bool is_datagram(const struct ntlm_seal_state *st)
{
    return (st->flags & NTLMSSP_NEGOTIATE_DATAGRAM) != 0;
}

/* Connectionless mode (3.4): RC4 restarts for each message with
 * MD5(SealKey || SeqNum). */
static void datagram_rekey(struct ntlm_seal_state *st, uint32_t seq)
{
    uint8_t s[4], key[SSPI_MD5_LEN];
    put32le(s, seq);
    const struct sspi_iov iov[2] = { { st->seal_key, st->seal_key_len }, { s, sizeof(s) } };
    sspi_md5_iov(iov, 2, key);
    sspi_rc4_init(&st->seal, key, sizeof(key));
    OPENSSL_cleanse(key, sizeof(key));
}

static void mac_begin(struct ntlm_seal_state *st, uint32_t seq, struct mac_run *m)
{
    if (is_datagram(st))
        datagram_rekey(st, seq);
    m->ess = (st->flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY) != 0;
    m->crc = 0;
    if (m->ess) {
        uint8_t s[4];
        put32le(s, seq);
        hmac_md5_start(&m->h, &st->sign);
        hmac_md5_update(&m->h, s, sizeof(s));
    }
}

static inline void mac_add(struct mac_run *m, const void *p, size_t n)
{
    if (n == 0)
        return;
    if (m->ess)
        hmac_md5_update(&m->h, p, n);
    else
        m->crc = sspi_crc32(m->crc, p, n);
}

/* mac_end - the signature (3.4.4.1 / 3.4.4.2) with the RC4 stream advanced
 * after the data. Without ESS the RandomPad field is left zero. */
static void mac_end(struct ntlm_seal_state *st, uint32_t seq, struct mac_run *m,
                    uint8_t sig[NTLM_SIGNATURE_LEN])
{
    put32le(sig, 1);
    if (m->ess) {
        uint8_t d[SSPI_HMAC_MD5_LEN];
        hmac_md5_final(&m->h, d);
        if (st->flags & NTLMSSP_NEGOTIATE_KEY_EXCH)
            sspi_rc4_crypt(&st->seal, d, sig + 4, 8);
        else
            memcpy(sig + 4, d, 8);
        put32le(sig + 12, seq);
        OPENSSL_cleanse(d, sizeof(d));
    } else {
        memset(sig + 4, 0, 4);
        put32le(sig + 8, m->crc);
        put32le(sig + 12, seq);
        sspi_rc4_crypt(&st->seal, sig + 4, sig + 4, 12);
        memset(sig + 4, 0, 4);
    }
}

static inline void seq_advance(struct ntlm_seal_state *st, uint32_t seq)
{
    if (!is_datagram(st))
        st->seq = seq + 1;
}

void ntlm_sign(struct ntlm_seal_state *st, uint32_t seq, const struct sspi_iov *msg, size_t n,
               uint8_t sig[NTLM_SIGNATURE_LEN])
{
    struct mac_run m;
    mac_begin(st, seq, &m);
    for (size_t i = 0; i < n; i++)
        mac_add(&m, msg[i].p, msg[i].len);
    mac_end(st, seq, &m, sig);
    seq_advance(st, seq);
}

/* sig_equal - compare a received signature with the one we computed. Without
 * ESS the RandomPad field (bytes 4..7) is not compared: peers send either
 * zero or the encrypted pad (see ntlm_crypto.h). */
static bool sig_equal(const struct ntlm_seal_state *st, const uint8_t want[NTLM_SIGNATURE_LEN],
                      const uint8_t got[NTLM_SIGNATURE_LEN])
{
    if (st->flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY)
        return CRYPTO_memcmp(want, got, NTLM_SIGNATURE_LEN) == 0;
    return (CRYPTO_memcmp(want, got, 4) | CRYPTO_memcmp(want + 8, got + 8, 8)) == 0;
}

/* Received signatures are compared in their encrypted form: RC4 is a XOR
 * stream, so encrypting ours equals decrypting theirs, except for the pad
 * which is not compared. */
bool ntlm_verify(struct ntlm_seal_state *st, uint32_t seq, const struct sspi_iov *msg, size_t n,
                 const uint8_t sig[NTLM_SIGNATURE_LEN])
{
    struct sspi_rc4 saved = st->seal;
    uint8_t want[NTLM_SIGNATURE_LEN];
    struct mac_run m;
    bool ok;

    mac_begin(st, seq, &m);
    for (size_t i = 0; i < n; i++)
        mac_add(&m, msg[i].p, msg[i].len);
    mac_end(st, seq, &m, want);
    ok = sig_equal(st, want, sig);
    if (ok)
        seq_advance(st, seq);
    else
        st->seal = saved; /* a rejected message changes nothing */
    sspi_rc4_cleanse(&saved);
    OPENSSL_cleanse(want, sizeof(want));
    return ok;
}

/* Large pieces are processed in chunks so that the MAC and RC4 passes over a
 * chunk both find it in the L1 cache. */
#define SEAL_CHUNK 4096

void ntlm_seal(struct ntlm_seal_state *st, uint32_t seq, struct ntlm_buf *msg, size_t n,
               uint8_t sig[NTLM_SIGNATURE_LEN])
{
    struct mac_run m;
    mac_begin(st, seq, &m);
    for (size_t i = 0; i < n; i++) {
        uint8_t *p = msg[i].p;
        size_t left = msg[i].len;
        if (msg[i].sign_only) {
            mac_add(&m, p, left);
            continue;
        }
        while (left > 0) {
            size_t c = left < SEAL_CHUNK ? left : SEAL_CHUNK;
            mac_add(&m, p, c);
            sspi_rc4_crypt(&st->seal, p, p, c);
            p += c;
            left -= c;
        }
    }
    mac_end(st, seq, &m, sig);
    seq_advance(st, seq);
}

bool ntlm_unseal(struct ntlm_seal_state *st, uint32_t seq, struct ntlm_buf *msg, size_t n,
                 const uint8_t sig[NTLM_SIGNATURE_LEN])
{
    uint8_t want[NTLM_SIGNATURE_LEN];
    struct mac_run m;
    bool ok;

    mac_begin(st, seq, &m);
    for (size_t i = 0; i < n; i++) {
        uint8_t *p = msg[i].p;
        size_t left = msg[i].len;
        if (msg[i].sign_only) {
            mac_add(&m, p, left);
            continue;
        }
        while (left > 0) {
            size_t c = left < SEAL_CHUNK ? left : SEAL_CHUNK;
            sspi_rc4_crypt(&st->seal, p, p, c);
            mac_add(&m, p, c);
            p += c;
            left -= c;
        }
    }
    mac_end(st, seq, &m, want);
    ok = sig_equal(st, want, sig);
    if (ok)
        seq_advance(st, seq);
    OPENSSL_cleanse(want, sizeof(want));
    return ok;
}
