/* src/ntlm/ntlm_av_pairs.h - NTLM AV_PAIR lists (MS-NLMP 2.2.2.1): the CHALLENGE
 * target info and the pairs inside the NTLMv2 client challenge. No state, no crypto.
 * Parsed values are slices aliasing the list; nothing is allocated. */
#ifndef OPENSSPI_NTLM_AV_PAIRS_H
#define OPENSSPI_NTLM_AV_PAIRS_H

#include "core/bytes.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    MSV_AV_EOL = 0,
    MSV_AV_NB_COMPUTER_NAME = 1,
    MSV_AV_NB_DOMAIN_NAME = 2,
    MSV_AV_DNS_COMPUTER_NAME = 3,
    MSV_AV_DNS_DOMAIN_NAME = 4,
    MSV_AV_DNS_TREE_NAME = 5,
    MSV_AV_FLAGS = 6,
    MSV_AV_TIMESTAMP = 7,
    MSV_AV_SINGLE_HOST = 8,
    MSV_AV_TARGET_NAME = 9,
    MSV_AV_CHANNEL_BINDINGS = 10,
};

/* MsvAvFlags bits */
#define MSV_AV_FLAG_CONSTRAINED 0x1   /* account authentication is constrained */
#define MSV_AV_FLAG_MIC 0x2           /* the AUTHENTICATE message carries a MIC */
#define MSV_AV_FLAG_UNTRUSTED_SPN 0x4 /* MsvAvTargetName came from an untrusted source */

#define MSV_AV_CHANNEL_BINDINGS_LEN 16 /* MD5 of gss_channel_bindings_struct */

/* struct ntlm_av - the pairs of one list. Name values are UTF-16LE; an absent pair
 * is an empty slice (and has_* false for the two integers). single_host is the raw
 * Single_Host_Data (2.2.2.2). */
struct ntlm_av {
    struct rd nb_computer, nb_domain, dns_computer, dns_domain, dns_tree, target_name, channel_bindings,
        single_host;
    bool has_flags, has_timestamp;
    uint32_t flags;
    uint64_t timestamp; /* FILETIME */
};

/* ntlm_av_parse - decode the list ti into *out. Returns false unless: every pair lies
 * inside ti; the list ends with MsvAvEOL of length 0, followed by nothing but zero
 * bytes; MsvAvFlags is 4 bytes, MsvAvTimestamp 8, MsvAvChannelBindings 16; names
 * have an even length; no known id appears twice. Unknown ids are skipped, as
 * Windows does. An empty ti is rejected (no EOL): callers treat "no target info"
 * themselves. On success the slices alias ti; on failure *out is untouched. */
bool ntlm_av_parse(struct rd ti, struct ntlm_av *out);

/* ntlm_av_put - append one pair (AvId, AvLen, value). False when len > 0xffff or w
 * fails. ntlm_av_put_eol appends MsvAvEOL. */
bool ntlm_av_put(struct wr *w, uint16_t id, const void *val, size_t len);
bool ntlm_av_put_eol(struct wr *w);

/* ntlm_av_client_info - the client's AV_PAIR list for its NTLMv2 response
 * (3.1.5.1.2), in the order Windows writes it: the server's pairs (server_ti, may be
 * empty) minus MsvAvFlags, MsvAvTargetName, MsvAvChannelBindings and MsvAvEOL, then
 * MsvAvFlags (when flags != 0), MsvAvChannelBindings (when cbt16 != NULL, 16 bytes),
 * MsvAvTargetName (when target_utf16 is not empty) and MsvAvEOL. False when
 * server_ti has a truncated pair (w's error is latched) or w fails. */
bool ntlm_av_client_info(struct wr *w, struct rd server_ti, uint32_t flags, const uint8_t *cbt16,
                         struct rd target_utf16);

/* ntlm_av_name - the MS-NLMP name of an AvId ("MsvAvNbComputerName"), or NULL. */
const char *ntlm_av_name(uint16_t id);

#endif
