/* src/ntlm/ntlm_crypto.h - NTLM cryptography: hashes, responses, keys, MIC,
 * channel-binding hash, message signing and sealing.
 * Implements MS-NLMP 3.3.1 (NTLMv1), 3.3.2 (NTLMv2), 3.4.2-3.4.4 (session
 * security), 3.4.5.1-3.4.5.3 (KXKEY, SIGNKEY, SEALKEY), 3.1.5.1.2 (MIC) and
 * 2.2.2.1 MsvAvChannelBindings. No message parsing, no state machine.
 *
 * All text inputs are UTF-16LE byte strings as they appear on the wire. Every
 * key-sized output is 16 bytes unless stated. Functions that need DES return
 * false when libcrypto has no DES (then NTLMv1 and LM are unsupported). */
#ifndef OPENSSPI_NTLM_CRYPTO_H
#define OPENSSPI_NTLM_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto.h"

#define NTLM_HASH_LEN 16      /* NTOWF, LMOWF, session keys, MIC, NTProofStr */
#define NTLM_CHALLENGE_LEN 8  /* server and client challenges */
#define NTLM_V1_RESP_LEN 24   /* NTLMv1, LMv1, LMv2 responses */
#define NTLM_SIGNATURE_LEN 16 /* NTLMSSP_MESSAGE_SIGNATURE */
#define NTLM_V2_TEMP_HDR_LEN 28 /* NTLMv2_CLIENT_CHALLENGE up to AvPairs */

/* Negotiate flags (MS-NLMP 2.2.2.5), the ones this layer reads and the rest
 * for the message and context layers. */
#define NTLMSSP_NEGOTIATE_UNICODE 0x00000001u
#define NTLMSSP_NEGOTIATE_OEM 0x00000002u
#define NTLMSSP_REQUEST_TARGET 0x00000004u
#define NTLMSSP_NEGOTIATE_SIGN 0x00000010u
#define NTLMSSP_NEGOTIATE_SEAL 0x00000020u
#define NTLMSSP_NEGOTIATE_DATAGRAM 0x00000040u
#define NTLMSSP_NEGOTIATE_LM_KEY 0x00000080u
#define NTLMSSP_NEGOTIATE_NTLM 0x00000200u
#define NTLMSSP_ANONYMOUS 0x00000800u
#define NTLMSSP_NEGOTIATE_OEM_DOMAIN_SUPPLIED 0x00001000u
#define NTLMSSP_NEGOTIATE_OEM_WORKSTATION_SUPPLIED 0x00002000u
#define NTLMSSP_NEGOTIATE_ALWAYS_SIGN 0x00008000u
#define NTLMSSP_TARGET_TYPE_DOMAIN 0x00010000u
#define NTLMSSP_TARGET_TYPE_SERVER 0x00020000u
#define NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY 0x00080000u
#define NTLMSSP_NEGOTIATE_IDENTIFY 0x00100000u
#define NTLMSSP_REQUEST_NON_NT_SESSION_KEY 0x00400000u
#define NTLMSSP_NEGOTIATE_TARGET_INFO 0x00800000u
#define NTLMSSP_NEGOTIATE_VERSION 0x02000000u
#define NTLMSSP_NEGOTIATE_128 0x20000000u
#define NTLMSSP_NEGOTIATE_KEY_EXCH 0x40000000u
#define NTLMSSP_NEGOTIATE_56 0x80000000u

/* ---- strings ----------------------------------------------------------- */

/* ntlm_utf16_upper - dst = uppercase of the UTF-16LE string src (len bytes;
 * an odd last byte is copied). dst == src is allowed. Locale-independent
 * Unicode simple uppercase mapping (UnicodeData.txt, as towupper in C.UTF-8)
 * for U+0000-U+024F (ASCII, Latin-1, Latin Extended-A/B), U+0370-U+03FF
 * (Greek) and U+0400-U+052F (Cyrillic and supplement); every other code unit,
 * surrogates included, is copied unchanged. */
void ntlm_utf16_upper(uint8_t *dst, const uint8_t *src, size_t len);

/* ---- one-way functions (3.3.1, 3.3.2) ---------------------------------- */

/* ntlm_ntowfv1 - out = MD4(password), password in UTF-16LE (pw may be NULL if
 * pwlen is 0). */
void ntlm_ntowfv1(const uint8_t *pw, size_t pwlen, uint8_t out[NTLM_HASH_LEN]);
/* ntlm_lmowfv1 - out = DES(UPPER(pw)[0..6], "KGS!@#$%") || DES([7..13], ...)
 * with pw the OEM password (pwlen bytes, no NUL): ASCII letters are
 * uppercased here, other bytes are taken as given (uppercase in the OEM code
 * page first); truncated/NUL-padded to 14 bytes. False when DES is missing. */
bool ntlm_lmowfv1(const char *pw, size_t pwlen, uint8_t out[NTLM_HASH_LEN]);
/* ntlm_ntowfv2 - out = HMAC-MD5(nt_hash, UPPER(user) || domain): NTOWFv2 and
 * LMOWFv2 (they are equal). user and domain are UTF-16LE bytes; user is
 * uppercased with ntlm_utf16_upper, domain is used as given. No allocation. */
void ntlm_ntowfv2(const uint8_t nt_hash[NTLM_HASH_LEN], const uint8_t *user, size_t ulen,
                  const uint8_t *domain, size_t dlen, uint8_t out[NTLM_HASH_LEN]);

/* ---- NTLMv2 (3.3.2) ---------------------------------------------------- */

/* ntlm_v2_temp_header - the fixed start of NTLMv2_CLIENT_CHALLENGE ("temp"):
 * RespType 1, HiRespType 1, 6 zero bytes, TimeStamp (FILETIME, u64le),
 * ChallengeFromClient, 4 zero bytes. temp = header || AvPairs || 4 zeros. */
void ntlm_v2_temp_header(uint64_t filetime, const uint8_t client_chal[NTLM_CHALLENGE_LEN],
                         uint8_t out[NTLM_V2_TEMP_HDR_LEN]);
/* ntlm_v2_response - ntproof = HMAC-MD5(key_nt, server_chal || temp) and
 * session_base_key = HMAC-MD5(key_nt, ntproof). The NT response is
 * ntproof || temp (the caller writes it). session_base_key may be NULL. */
void ntlm_v2_response(const uint8_t key_nt[NTLM_HASH_LEN],
                      const uint8_t server_chal[NTLM_CHALLENGE_LEN], const uint8_t *temp,
                      size_t temp_len, uint8_t ntproof[NTLM_HASH_LEN],
                      uint8_t session_base_key[NTLM_HASH_LEN]);
/* ntlm_lmv2_response - out = HMAC-MD5(key_lm, server_chal || client_chal) ||
 * client_chal. */
void ntlm_lmv2_response(const uint8_t key_lm[NTLM_HASH_LEN],
                        const uint8_t server_chal[NTLM_CHALLENGE_LEN],
                        const uint8_t client_chal[NTLM_CHALLENGE_LEN],
                        uint8_t out[NTLM_V1_RESP_LEN]);

/* ---- NTLMv1 (3.3.1) ---------------------------------------------------- */

/* ntlm_desl - out = DES(K[0..6], D) || DES(K[7..13], D) || DES(K[14..15] ||
 * 5 zero bytes, D). False when DES is missing. */
bool ntlm_desl(const uint8_t key[NTLM_HASH_LEN], const uint8_t data[8],
               uint8_t out[NTLM_V1_RESP_LEN]);
/* ntlm_v1_responses - NTLMv1 responses for one server challenge.
 * Without ESS (client_chal NULL): nt = DESL(nt_hash, server_chal),
 *   lm = DESL(lm_hash, server_chal), or a copy of nt when lm_hash is NULL
 *   (NoLMResponseNTLMv1).
 * With ESS (client_chal given): nt = DESL(nt_hash, MD5(server_chal ||
 *   client_chal)[0..7]), lm = client_chal || 16 zero bytes; lm_hash unused.
 * lm may be NULL. False when DES is missing. */
bool ntlm_v1_responses(const uint8_t nt_hash[NTLM_HASH_LEN], const uint8_t *lm_hash,
                       const uint8_t server_chal[NTLM_CHALLENGE_LEN], const uint8_t *client_chal,
                       uint8_t nt[NTLM_V1_RESP_LEN], uint8_t *lm);
/* ntlm_v1_session_base_key - out = MD4(nt_hash). */
void ntlm_v1_session_base_key(const uint8_t nt_hash[NTLM_HASH_LEN], uint8_t out[NTLM_HASH_LEN]);

/* ---- key exchange (3.4.5.1, 3.1.5.1.2) --------------------------------- */

/* ntlm_kxkey - KXKEY per 3.4.5.1, with flags the negotiated flags:
 *   v2:                         SessionBaseKey
 *   v1 + EXTENDED_SESSIONSECURITY: HMAC-MD5(sbk, server_chal || lm_resp[0..7])
 *   v1 + LM_KEY:                DES(lm_hash[0..6], lm_resp[0..7]) ||
 *                               DES(lm_hash[7] || 0xBDBDBDBDBDBD, lm_resp[0..7])
 *   v1 + REQUEST_NON_NT_SESSION_KEY: lm_hash[0..7] || 8 zero bytes
 *   v1 otherwise:               SessionBaseKey
 * lm_hash, lm_resp (8 bytes read) and server_chal may be NULL where the chosen
 * variant does not use them. False when a needed input is NULL or DES is
 * missing for LM_KEY. */
bool ntlm_kxkey(uint32_t flags, bool v2, const uint8_t sbk[NTLM_HASH_LEN], const uint8_t *lm_hash,
                const uint8_t *lm_resp, const uint8_t *server_chal, uint8_t out[NTLM_HASH_LEN]);
/* ntlm_rc4k - out = RC4(key, in) for 16 bytes: EncryptedRandomSessionKey =
 * ntlm_rc4k(KXKEY, ExportedSessionKey), and back on the server. in == out ok. */
void ntlm_rc4k(const uint8_t key[NTLM_HASH_LEN], const uint8_t in[NTLM_HASH_LEN],
               uint8_t out[NTLM_HASH_LEN]);

/* ---- SIGNKEY, SEALKEY (3.4.5.2, 3.4.5.3) -------------------------------- */

/* ntlm_signkey - with EXTENDED_SESSIONSECURITY: out = MD5(esk || "session key
 * to {client-to-server|server-to-client} signing key magic constant\0"),
 * client_to_server choosing the constant; returns true. Without ESS there is
 * no signing key: returns false, out untouched. */
bool ntlm_signkey(uint32_t flags, const uint8_t esk[NTLM_HASH_LEN], bool client_to_server,
                  uint8_t out[NTLM_HASH_LEN]);
/* ntlm_sealkey - SEALKEY into out, returns its length in bytes:
 *   ESS: MD5(esk[0..15|0..6|0..4] (128|56|40) || sealing magic) -> 16
 *   no ESS, LM_KEY or DATAGRAM: esk[0..6] || A0 (56) or esk[0..4] || E5 38 B0
 *                               (otherwise) -> 8
 *   no ESS otherwise: esk -> 16 */
size_t ntlm_sealkey(uint32_t flags, const uint8_t esk[NTLM_HASH_LEN], bool client_to_server,
                    uint8_t out[NTLM_HASH_LEN]);

/* ---- MIC and channel bindings ------------------------------------------ */

/* ntlm_mic - out = HMAC-MD5(esk, negotiate || challenge || authenticate) with
 * the 16 bytes at mic_offset of authenticate read as zeros (the caller passes
 * the message as sent or received; it is not modified). False when
 * mic_offset + 16 > auth_len. */
bool ntlm_mic(const uint8_t esk[NTLM_HASH_LEN], const uint8_t *negotiate, size_t neg_len,
              const uint8_t *challenge, size_t chal_len, const uint8_t *authenticate,
              size_t auth_len, size_t mic_offset, uint8_t out[NTLM_HASH_LEN]);

/* ntlm_channel_bindings_hash - out = MD5 of the gss_channel_bindings_struct
 * form (initiator addrtype u32le, length u32le, address, acceptor addrtype,
 * length, address, application data length u32le, data) of a Windows
 * SEC_CHANNEL_BINDINGS given as raw bytes cb[0..len): a 32-byte header of 8
 * u32le (dwInitiatorAddrType, cbInitiatorLength, dwInitiatorOffset,
 * dwAcceptorAddrType, cbAcceptorLength, dwAcceptorOffset,
 * cbApplicationDataLength, dwApplicationDataOffset), offsets relative to cb.
 * This is the MsvAvChannelBindings value. False when the header is short or a
 * field lies outside cb. */
bool ntlm_channel_bindings_hash(const uint8_t *cb, size_t len, uint8_t out[NTLM_HASH_LEN]);

/* ---- session security (3.4.2-3.4.4) ------------------------------------ */

/* struct ntlm_seal_state - one direction's signing and sealing state.
 * Connection-oriented: the RC4 stream runs on across messages and seq counts
 * from 0. Datagram (NTLMSSP_NEGOTIATE_DATAGRAM): the RC4 stream is rekeyed for
 * each message with MD5(seal_key || seq) and seq is the caller's. Secret. */
struct ntlm_seal_state {
    struct hmac_md5_key sign; /* ESS: SignKey schedule; unused without ESS */
    struct sspi_rc4 seal;     /* sealing RC4 stream */
    uint8_t seal_key[NTLM_HASH_LEN];
    size_t seal_key_len;
    uint32_t seq;   /* next sequence number (connection-oriented) */
    uint32_t flags; /* negotiated flags */
};

/* struct ntlm_session - both directions. Without EXTENDED_SESSIONSECURITY
 * NTLM is half-duplex (3.4): one RC4 stream and one sequence counter serve
 * both directions; ntlm_session_send/recv hide that. */
struct ntlm_session {
    struct ntlm_seal_state send, recv;
    bool shared; /* no ESS: recv aliases send */
};

/* ntlm_session_init - derive the four keys from the exported session key and
 * the negotiated flags for the client (client == true) or the server side, and
 * start both directions at seq 0. */
void ntlm_session_init(struct ntlm_session *s, uint32_t flags, const uint8_t esk[NTLM_HASH_LEN],
                       bool client);
/* ntlm_session_cleanse - wipe all keys and streams. */
void ntlm_session_cleanse(struct ntlm_session *s);

static inline struct ntlm_seal_state *ntlm_session_send(struct ntlm_session *s)
{
    return &s->send;
}

static inline struct ntlm_seal_state *ntlm_session_recv(struct ntlm_session *s)
{
    return s->shared ? &s->send : &s->recv;
}

/* ntlm_seal_state_init - one direction on its own: keys for client-to-server
 * or server-to-client traffic. */
void ntlm_seal_state_init(struct ntlm_seal_state *st, uint32_t flags,
                          const uint8_t esk[NTLM_HASH_LEN], bool client_to_server);
void ntlm_seal_state_cleanse(struct ntlm_seal_state *st);

/* struct ntlm_buf - one piece of a message to seal or unseal, in place.
 * sign_only: signed but neither encrypted nor decrypted (the SSPI
 * SECBUFFER_READONLY(_WITH_CHECKSUM) case). */
struct ntlm_buf {
    uint8_t *p;
    size_t len;
    bool sign_only;
};

/* Every function below works on a message given as pieces, concatenated in
 * order. seq: the sequence number to use. Connection-oriented callers pass
 * st->seq; on success st->seq becomes seq + 1 (a failed verify leaves it).
 * Datagram callers pass the message's number; st->seq is not used.
 *
 * The 16-byte signature (NTLMSSP_MESSAGE_SIGNATURE, 2.2.2.9):
 *   ESS:    01000000 || HMAC-MD5(SignKey, seq || msg)[0..7] || seq, the
 *           checksum RC4-encrypted with the seal stream when KEY_EXCH.
 *   no ESS: 01000000 || RandomPad || CRC32(msg) || seq, the last 12 bytes
 *           RC4-encrypted with the seal stream; the RandomPad field is then
 *           emitted as zero (MAC() in 3.4.4.1 and Windows peers; the 4.2.2.4
 *           example prints the encrypted pad instead) and ignored on verify.
 * The RC4 stream advances for the data first (seal) and then the signature. */

/* ntlm_sign - MakeSignature: the signature of msg into sig. */
void ntlm_sign(struct ntlm_seal_state *st, uint32_t seq, const struct sspi_iov *msg, size_t n,
               uint8_t sig[NTLM_SIGNATURE_LEN]);
/* ntlm_verify - VerifySignature: true when sig is the signature of msg at
 * seq (CRYPTO_memcmp); false means altered, replayed or out of order. */
bool ntlm_verify(struct ntlm_seal_state *st, uint32_t seq, const struct sspi_iov *msg, size_t n,
                 const uint8_t sig[NTLM_SIGNATURE_LEN]);
/* ntlm_seal - EncryptMessage: encrypt the pieces in place (except sign_only
 * ones) and write the signature of the plaintext into sig. */
void ntlm_seal(struct ntlm_seal_state *st, uint32_t seq, struct ntlm_buf *msg, size_t n,
               uint8_t sig[NTLM_SIGNATURE_LEN]);
/* ntlm_unseal - DecryptMessage: decrypt in place and verify sig against the
 * plaintext. On false the data is decrypted garbage the caller must not use
 * (and should wipe); the context is then unusable (stream out of step). */
bool ntlm_unseal(struct ntlm_seal_state *st, uint32_t seq, struct ntlm_buf *msg, size_t n,
                 const uint8_t sig[NTLM_SIGNATURE_LEN]);

#endif
