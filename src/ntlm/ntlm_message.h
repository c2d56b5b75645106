/* src/ntlm/ntlm_message.h - NTLM NEGOTIATE/CHALLENGE/AUTHENTICATE encode/decode
 * Implements MS-NLMP 2.2.1.1-2.2.1.3, 2.2.2.5 (flags), 2.2.2.7 (NTLMv2_CLIENT_CHALLENGE)
 * and 2.2.2.10 (VERSION). No state, no crypto: see ntlm_context.c, ntlm_crypto.c.
 * Parsed fields are slices aliasing the message; nothing is allocated, nothing is freed. */
#ifndef OPENSSPI_NTLM_MESSAGE_H
#define OPENSSPI_NTLM_MESSAGE_H

#include "core/bytes.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NTLM_SIGNATURE "NTLMSSP" /* 8 bytes on the wire, with the NUL */

enum { NTLM_NEGOTIATE = 1, NTLM_CHALLENGE = 2, NTLM_AUTHENTICATE = 3 };

/* NegotiateFlags (2.2.2.5), by their MS-NLMP names. The same definitions appear in
 * ntlm_crypto.h; identical macro redefinitions are allowed, so both may be included.
 * Bits r1..r10 are reserved (ntlm_flag_name names them). */
#define NTLMSSP_NEGOTIATE_UNICODE 0x00000001u                  /* A */
#define NTLMSSP_NEGOTIATE_OEM 0x00000002u                      /* B */
#define NTLMSSP_REQUEST_TARGET 0x00000004u                     /* C */
#define NTLMSSP_NEGOTIATE_SIGN 0x00000010u                     /* D */
#define NTLMSSP_NEGOTIATE_SEAL 0x00000020u                     /* E */
#define NTLMSSP_NEGOTIATE_DATAGRAM 0x00000040u                 /* F */
#define NTLMSSP_NEGOTIATE_LM_KEY 0x00000080u                   /* G */
#define NTLMSSP_NEGOTIATE_NTLM 0x00000200u                     /* H */
#define NTLMSSP_ANONYMOUS 0x00000800u                          /* J */
#define NTLMSSP_NEGOTIATE_OEM_DOMAIN_SUPPLIED 0x00001000u      /* K */
#define NTLMSSP_NEGOTIATE_OEM_WORKSTATION_SUPPLIED 0x00002000u /* L */
#define NTLMSSP_NEGOTIATE_ALWAYS_SIGN 0x00008000u              /* M */
#define NTLMSSP_TARGET_TYPE_DOMAIN 0x00010000u                 /* N */
#define NTLMSSP_TARGET_TYPE_SERVER 0x00020000u                 /* O */
#define NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY 0x00080000u /* P */
#define NTLMSSP_NEGOTIATE_IDENTIFY 0x00100000u                 /* Q */
#define NTLMSSP_REQUEST_NON_NT_SESSION_KEY 0x00400000u         /* R */
#define NTLMSSP_NEGOTIATE_TARGET_INFO 0x00800000u              /* S */
#define NTLMSSP_NEGOTIATE_VERSION 0x02000000u                  /* T */
#define NTLMSSP_NEGOTIATE_128 0x20000000u                      /* U */
#define NTLMSSP_NEGOTIATE_KEY_EXCH 0x40000000u                 /* V */
#define NTLMSSP_NEGOTIATE_56 0x80000000u                       /* W */

#define NTLMSSP_REVISION_W2K3 0x0f /* VERSION.NTLMRevisionCurrent */
#define NTLM_VERSION_LEN 8
#define NTLM_MIC_LEN 16
#define NTLM_MIC_OFFSET 72    /* AUTHENTICATE: MIC after the 64-byte header and VERSION */
#define NTLM_V2_BLOB_HDR_LEN 28 /* NTLMv2_CLIENT_CHALLENGE up to AvPairs */

/* struct ntlm_version - VERSION (2.2.2.10); Reserved bytes are written as zero and
 * ignored when read. */
struct ntlm_version {
    uint8_t major, minor;
    uint16_t build;
    uint8_t revision;
};

/* struct ntlm_negotiate - NEGOTIATE_MESSAGE; domain and workstation are OEM strings
 * (meaningful only with the *_SUPPLIED flags). has_version: the VERSION flag is set
 * and the header has room for the field. */
struct ntlm_negotiate {
    uint32_t flags;
    struct rd domain, workstation;
    bool has_version;
    struct ntlm_version version;
};

/* struct ntlm_challenge - CHALLENGE_MESSAGE; target_info is the raw AV_PAIR list
 * (parse it with ntlm_av_parse). */
struct ntlm_challenge {
    uint32_t flags;
    struct rd target_name;
    uint8_t server_challenge[8];
    struct rd target_info;
    bool has_version;
    struct ntlm_version version;
};

/* struct ntlm_authenticate - AUTHENTICATE_MESSAGE. has_mic_room: the header
 * reaches offset 88, so mic holds the 16 bytes at NTLM_MIC_OFFSET (whether a MIC
 * is really there is said by MsvAvFlags inside the NTLMv2 response). */
struct ntlm_authenticate {
    uint32_t flags;
    struct rd lm_response, nt_response, domain, user, workstation, enc_session_key;
    bool has_version;
    struct ntlm_version version;
    bool has_mic_room;
    uint8_t mic[16];
};

/* struct ntlm_v2_blob - NTLMv2_CLIENT_CHALLENGE, the "temp" after NTProofStr in an
 * NTLMv2 NT response (2.2.2.8). */
struct ntlm_v2_blob {
    uint8_t resp_type, hi_resp_type; /* both 1 */
    uint64_t timestamp;              /* FILETIME */
    uint8_t client_challenge[8];
    struct rd av_pairs; /* from the first AV_PAIR up to and including MsvAvEOL */
};

/* ntlm_message_type - NTLM_NEGOTIATE, NTLM_CHALLENGE or NTLM_AUTHENTICATE when msg
 * starts with the NTLMSSP signature and one of those types; 0 otherwise. Looks at
 * the first 12 bytes only: the message may still be malformed. */
int ntlm_message_type(struct rd msg);

/* ntlm_parse_negotiate / ntlm_parse_challenge / ntlm_parse_authenticate - decode
 * msg into *out. Returns false when msg is malformed: wrong signature or type, a
 * short header, or a field (Len, MaxLen, Offset) that is not inside msg or that
 * starts inside the fixed header. MaxLen is not checked against Len (Windows ignores
 * it); an empty field's offset is ignored. Bytes after the header and the last field
 * are ignored (gss-ntlmssp pads AUTHENTICATE and Windows accepts it). The VERSION
 * and MIC fields are present when the lowest non-empty field offset (the message
 * length when all are empty) leaves room for them. On success the rd slices in *out
 * alias msg; on failure *out is untouched. */
bool ntlm_parse_negotiate(struct rd msg, struct ntlm_negotiate *out);
bool ntlm_parse_challenge(struct rd msg, struct ntlm_challenge *out);
bool ntlm_parse_authenticate(struct rd msg, struct ntlm_authenticate *out);

/* ntlm_parse_v2_blob - split an NTLMv2 NT response into NTProofStr (copied to
 * ntproofstr) and NTLMv2_CLIENT_CHALLENGE (*out). Returns false when the response is
 * shorter than 44 bytes, RespType or HiRespType is not 1, the AV_PAIR list has no
 * MsvAvEOL or anything but zero bytes follows it (Windows writes 4, Windows 7 8).
 * The pairs themselves are only walked: check them with ntlm_av_parse(out->av_pairs).
 * out->av_pairs aliases nt_response; on failure nothing is written. */
bool ntlm_parse_v2_blob(struct rd nt_response, uint8_t ntproofstr[16], struct ntlm_v2_blob *out);

/* ntlm_build_v2_blob - append NTLMv2_CLIENT_CHALLENGE: 01 01, Reserved1 (2),
 * Reserved2 (4), TimeStamp, ChallengeFromClient, Reserved3 (4), av_pairs verbatim
 * (the caller's list, ending with MsvAvEOL), then the 4 zero bytes Windows appends.
 * False (and w's error latched) when w cannot take it. */
bool ntlm_build_v2_blob(struct wr *w, uint64_t timestamp, const uint8_t cc[8], struct rd av_pairs);

/* ntlm_build_negotiate / ntlm_build_challenge - append the message to w (offsets are
 * relative to where it starts in w). Payload in the order Windows writes it: domain,
 * workstation; target name, target info. VERSION is written when has_version. An
 * empty field is written as (0, 0, 0), as Windows does. False on a field longer than
 * 0xffff or when w fails. */
bool ntlm_build_negotiate(struct wr *w, const struct ntlm_negotiate *m);
bool ntlm_build_challenge(struct wr *w, const struct ntlm_challenge *m);

/* ntlm_build_authenticate - append the message to w. Payload in the order Windows
 * writes it: domain, user, workstation, LM, NT, encrypted session key; an empty
 * field's offset is where it would have been. VERSION is written when has_version or
 * with_mic (zeros without has_version). with_mic also reserves a zero 16-byte MIC
 * field; its offset relative to the message start (NTLM_MIC_OFFSET) goes to *mic_at,
 * for the caller to patch with wr_patch_bytes once the MIC is computed over the three
 * messages. m->mic is ignored. False on a field longer than 0xffff or when w fails. */
bool ntlm_build_authenticate(struct wr *w, const struct ntlm_authenticate *m, bool with_mic, size_t *mic_at);

/* ntlm_flag_name - the MS-NLMP name of one flag bit ("NTLMSSP_NEGOTIATE_SEAL",
 * "r1".."r10" for the reserved bits); NULL unless bit has exactly one bit set. */
const char *ntlm_flag_name(uint32_t bit);

#endif
