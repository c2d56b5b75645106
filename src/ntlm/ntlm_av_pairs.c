/* src/ntlm/ntlm_av_pairs.c - AV_PAIR lists (MS-NLMP 2.2.2.1), see ntlm_av_pairs.h
 * No state, no crypto.
 *
 *   AV_PAIR   off  size  field
 *               0     2  AvId (u16le)
 *               2     2  AvLen (u16le)
 *               4  AvLen Value
 *   A list is pairs in any order, ending with MsvAvEOL (AvId 0, AvLen 0).
 *
 * After MsvAvEOL only zero bytes are accepted: Windows ends its CHALLENGE target
 * info exactly at the EOL and pads the NTLMv2 client challenge with zeros (4 bytes
 * from Windows 10, 8 from Windows 7), so zero padding is all a peer has reason to
 * send. A known id appearing twice is rejected: two MsvAvFlags or two channel
 * bindings would leave the meaning to whichever copy a reader happens to use. */
#include "ntlm/ntlm_av_pairs.h"

#include <string.h>

/* get_pair - one AV_PAIR header and its value */
static bool get_pair(struct rd *r, uint16_t *id, struct rd *val)
{
    uint16_t len;
    return rd_u16le(r, id) && rd_u16le(r, &len) && rd_bytes(r, len, val);
}

/* only_zeros - true when every remaining byte of r is zero */
static bool only_zeros(struct rd r)
{
    while (r.len) {
        uint8_t b;
        if (!rd_u8(&r, &b) || b != 0)
            return false;
    }
    return true;
}

bool ntlm_av_parse(struct rd ti, struct ntlm_av *out)
{
    struct ntlm_av av;
    struct rd r = ti;
    uint32_t seen = 0;

    memset(&av, 0, sizeof(av));
    for (;;) {
        uint16_t id;
        struct rd v;
        struct rd *name = NULL;
        if (!get_pair(&r, &id, &v))
            return false;
        if (id <= MSV_AV_CHANNEL_BINDINGS) {
            if (seen & (1u << id))
                return false;
            seen |= 1u << id;
        }
        switch (id) {
        case MSV_AV_EOL:
            if (v.len != 0 || !only_zeros(r))
                return false;
            *out = av;
            return true;
        case MSV_AV_NB_COMPUTER_NAME:
            name = &av.nb_computer;
            break;
        case MSV_AV_NB_DOMAIN_NAME:
            name = &av.nb_domain;
            break;
        case MSV_AV_DNS_COMPUTER_NAME:
            name = &av.dns_computer;
            break;
        case MSV_AV_DNS_DOMAIN_NAME:
            name = &av.dns_domain;
            break;
        case MSV_AV_DNS_TREE_NAME:
            name = &av.dns_tree;
            break;
        case MSV_AV_TARGET_NAME:
            name = &av.target_name;
            break;
        case MSV_AV_FLAGS:
            if (v.len != 4 || !rd_u32le(&v, &av.flags))
                return false;
            av.has_flags = true;
            break;
        case MSV_AV_TIMESTAMP:
            if (v.len != 8 || !rd_u64le(&v, &av.timestamp))
                return false;
            av.has_timestamp = true;
            break;
        case MSV_AV_CHANNEL_BINDINGS:
            if (v.len != MSV_AV_CHANNEL_BINDINGS_LEN)
                return false;
            av.channel_bindings = v;
            break;
        case MSV_AV_SINGLE_HOST:
            av.single_host = v;
            break;
        default:
            break; /* unknown ids are skipped, as Windows does */
        }
        if (name) {
            if (v.len % 2)
                return false;
            *name = v;
        }
    }
}

bool ntlm_av_put(struct wr *w, uint16_t id, const void *val, size_t len)
{
    if (len > 0xffff)
        return wr_fail(w);
    return wr_u16le(w, id) && wr_u16le(w, (uint16_t)len) && wr_bytes(w, val, len);
}

bool ntlm_av_put_eol(struct wr *w)
{
    return wr_u16le(w, MSV_AV_EOL) && wr_u16le(w, 0);
}

bool ntlm_av_client_info(struct wr *w, struct rd server_ti, uint32_t flags, const uint8_t *cbt16,
                         struct rd target_utf16)
{
    struct rd r = server_ti;
    while (r.len) {
        uint16_t id;
        struct rd v;
        if (!get_pair(&r, &id, &v))
            return wr_fail(w);
        if (id == MSV_AV_EOL)
            break;
        if (id == MSV_AV_FLAGS || id == MSV_AV_TARGET_NAME || id == MSV_AV_CHANNEL_BINDINGS)
            continue;
        if (!ntlm_av_put(w, id, v.p, v.len))
            return false;
    }
    if (flags) {
        uint8_t f[4] = { (uint8_t)flags, (uint8_t)(flags >> 8), (uint8_t)(flags >> 16), (uint8_t)(flags >> 24) };
        if (!ntlm_av_put(w, MSV_AV_FLAGS, f, sizeof(f)))
            return false;
    }
    if (cbt16 && !ntlm_av_put(w, MSV_AV_CHANNEL_BINDINGS, cbt16, MSV_AV_CHANNEL_BINDINGS_LEN))
        return false;
    if (target_utf16.len && !ntlm_av_put(w, MSV_AV_TARGET_NAME, target_utf16.p, target_utf16.len))
        return false;
    return ntlm_av_put_eol(w);
}

const char *ntlm_av_name(uint16_t id)
{
    static const char *const names[] = {
        "MsvAvEOL",           "MsvAvNbComputerName", "MsvAvNbDomainName", "MsvAvDnsComputerName",
        "MsvAvDnsDomainName", "MsvAvDnsTreeName",    "MsvAvFlags",        "MsvAvTimestamp",
        "MsvAvSingleHost",    "MsvAvTargetName",     "MsvAvChannelBindings",
    };
    return id < sizeof(names) / sizeof(names[0]) ? names[id] : NULL;
}
