/* src/ntlm/ntlm_av_pairs.h - NTLM AV_PAIR lists (MS-NLMP 2.2.2.1): the
 * CHALLENGE target info and the NTLMv2 client blob. No state, no crypto. */
#ifndef OPENSSPI_NTLM_AV_PAIRS_H
#define OPENSSPI_NTLM_AV_PAIRS_H

#include "core/bytes.h"

#include <stdbool.h>
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

#define MSV_AV_FLAG_CONSTRAINED 0x1
#define MSV_AV_FLAG_MIC 0x2
#define MSV_AV_FLAG_UNTRUSTED_SPN 0x4

struct ntlm_av {
    struct rd nb_computer, nb_domain, dns_computer, dns_domain, dns_tree, target_name, channel_bindings,
        single_host;
    bool has_flags, has_timestamp;
    uint32_t flags;
    uint64_t timestamp;
};

/* ntlm_av_parse - decode a list that must end with MsvAvEOL (zero padding
 * after it is accepted, anything else is not). Fixed-size ids are checked:
 * MsvAvFlags 4 bytes, MsvAvTimestamp 8, MsvAvChannelBindings 16; names must be
 * whole UTF-16 units. Unknown ids are skipped. out untouched on failure. */
bool ntlm_av_parse(struct rd ti, struct ntlm_av *out);
/* ntlm_av_put - append one pair. */
bool ntlm_av_put(struct wr *w, uint16_t id, const void *val, size_t len);
bool ntlm_av_put_eol(struct wr *w);
/* ntlm_av_client_info - the client's copy of the server's target info for the
 * NTLMv2 blob (3.1.5.1.2): the server's pairs minus MsvAvFlags, MsvAvTargetName,
 * MsvAvChannelBindings and EOL, then MsvAvFlags (if flags), MsvAvChannelBindings
 * (if cbt, 16 bytes), MsvAvTargetName (if target_utf16 is not empty), EOL. */
bool ntlm_av_client_info(struct wr *w, struct rd server_ti, uint32_t flags, const uint8_t *cbt16,
                         struct rd target_utf16);
/* ntlm_av_name - "MsvAvNbComputerName" etc., or NULL. */
const char *ntlm_av_name(uint16_t id);

#endif
