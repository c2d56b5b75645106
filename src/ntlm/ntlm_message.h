/* src/ntlm/ntlm_message.h - NTLM NEGOTIATE/CHALLENGE/AUTHENTICATE encode/decode
 * Implements MS-NLMP 2.2.1.1-2.2.1.3, 2.2.2.7 (NTLMv2_CLIENT_CHALLENGE) and
 * 2.2.2.10 (VERSION). No state, no crypto: see ntlm_context.c, ntlm_crypto.c.
 * Parsed fields are slices aliasing the message; nothing is allocated. */
#ifndef OPENSSPI_NTLM_MESSAGE_H
#define OPENSSPI_NTLM_MESSAGE_H

#include "core/bytes.h"
#include "ntlm/ntlm_crypto.h" /* NTLMSSP_* flag names */

#include <stdbool.h>
#include <stdint.h>

enum { NTLM_NEGOTIATE = 1, NTLM_CHALLENGE = 2, NTLM_AUTHENTICATE = 3 };

#define NTLM_MIC_OFFSET 72 /* AUTHENTICATE: MIC after the 64-byte header and VERSION */

struct ntlm_version {
    uint8_t major, minor;
    uint16_t build;
    uint8_t revision;
};

struct ntlm_negotiate {
    uint32_t flags;
    struct rd domain, workstation; /* OEM strings */
    bool has_version;
    struct ntlm_version version;
};

struct ntlm_challenge {
    uint32_t flags;
    struct rd target_name;
    uint8_t server_challenge[8];
    struct rd target_info;
    bool has_version;
    struct ntlm_version version;
};

struct ntlm_authenticate {
    uint32_t flags;
    struct rd lm_response, nt_response, domain, user, workstation, enc_session_key;
    bool has_version;
    struct ntlm_version version;
    bool has_mic_room; /* payload starts at >= 88: a MIC field at NTLM_MIC_OFFSET */
    uint8_t mic[16];
};

/* NTLMv2_CLIENT_CHALLENGE (the "temp" after NTProofStr in an NTLMv2 response) */
struct ntlm_v2_blob {
    uint8_t resp_type, hi_resp_type;
    uint64_t timestamp;
    uint8_t client_challenge[8];
    struct rd av_pairs; /* up to and including MsvAvEOL, padding excluded */
};

/* ntlm_message_type - 1, 2 or 3 for an NTLMSSP message, 0 otherwise. */
int ntlm_message_type(struct rd msg);

/* ntlm_parse_* - decode msg into *out; false when the message is malformed:
 * wrong signature or type, short header, a field outside the message or inside
 * the header, trailing header fields missing. out is untouched on failure. */
bool ntlm_parse_negotiate(struct rd msg, struct ntlm_negotiate *out);
bool ntlm_parse_challenge(struct rd msg, struct ntlm_challenge *out);
bool ntlm_parse_authenticate(struct rd msg, struct ntlm_authenticate *out);
/* ntlm_parse_v2_blob - split an NTLMv2 NT response (NTProofStr || temp). */
bool ntlm_parse_v2_blob(struct rd nt_response, uint8_t ntproofstr[16], struct ntlm_v2_blob *out);

/* ntlm_build_* - append the message to w; payload fields in the order Windows
 * writes them. The version is written when has_version. */
bool ntlm_build_negotiate(struct wr *w, const struct ntlm_negotiate *m);
bool ntlm_build_challenge(struct wr *w, const struct ntlm_challenge *m);
/* ntlm_build_authenticate - with_mic reserves a zero MIC field whose offset
 * (relative to the message start) goes to *mic_at, for the caller to patch. */
bool ntlm_build_authenticate(struct wr *w, const struct ntlm_authenticate *m, bool with_mic, size_t *mic_at);

/* ntlm_flag_name - the MS-NLMP name of one flag bit ("NTLMSSP_NEGOTIATE_SEAL"), or NULL. */
const char *ntlm_flag_name(uint32_t bit);

#endif
