/* src/ntlm/ntlm_av_pairs.c - AV_PAIR lists (MS-NLMP 2.2.2.1), see ntlm_av_pairs.h
 *   AV_PAIR:  AvId u16le | AvLen u16le | Value[AvLen]      ... MsvAvEOL (0, 0) */
#include "ntlm/ntlm_av_pairs.h"

#include <string.h>

bool ntlm_av_parse(struct rd ti, struct ntlm_av *out)
{
    struct ntlm_av av;
    memset(&av, 0, sizeof(av));
    struct rd r = ti;
    for (;;) {
        uint16_t id, len;
        struct rd v;
        if (!rd_u16le(&r, &id) || !rd_u16le(&r, &len) || !rd_bytes(&r, len, &v))
            return false;
        struct rd *name = NULL;
        switch (id) {
        case MSV_AV_EOL:
            if (len != 0)
                return false;
            while (r.len) { /* only zero padding may follow */
                uint8_t b;
                if (!rd_u8(&r, &b) || b != 0)
                    return false;
            }
            *out = av;
            return true;
        case MSV_AV_NB_COMPUTER_NAME: name = &av.nb_computer; break;
        case MSV_AV_NB_DOMAIN_NAME: name = &av.nb_domain; break;
        case MSV_AV_DNS_COMPUTER_NAME: name = &av.dns_computer; break;
        case MSV_AV_DNS_DOMAIN_NAME: name = &av.dns_domain; break;
        case MSV_AV_DNS_TREE_NAME: name = &av.dns_tree; break;
        case MSV_AV_TARGET_NAME: name = &av.target_name; break;
        case MSV_AV_FLAGS:
            if (len != 4 || !rd_u32le(&v, &av.flags))
                return false;
            av.has_flags = true;
            break;
        case MSV_AV_TIMESTAMP:
            if (len != 8 || !rd_u64le(&v, &av.timestamp))
                return false;
            av.has_timestamp = true;
            break;
        case MSV_AV_CHANNEL_BINDINGS:
            if (len != 16)
                return false;
            av.channel_bindings = v;
            break;
        case MSV_AV_SINGLE_HOST:
            av.single_host = v;
            break;
        default:
            break; /* unknown ids are ignored, as Windows does */
        }
        if (name) {
            if (len % 2)
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
    return wr_u32le(w, 0);
}

bool ntlm_av_client_info(struct wr *w, struct rd server_ti, uint32_t flags, const uint8_t *cbt16,
                         struct rd target_utf16)
{
    struct rd r = server_ti;
    while (r.len) {
        uint16_t id, len;
        struct rd v;
        if (!rd_u16le(&r, &id) || !rd_u16le(&r, &len) || !rd_bytes(&r, len, &v))
            return wr_fail(w);
        if (id == MSV_AV_EOL)
            break;
        if (id == MSV_AV_FLAGS || id == MSV_AV_TARGET_NAME || id == MSV_AV_CHANNEL_BINDINGS)
            continue;
        if (!ntlm_av_put(w, id, v.p, v.len))
            return false;
    }
    uint8_t f[4] = { (uint8_t)flags, (uint8_t)(flags >> 8), (uint8_t)(flags >> 16), (uint8_t)(flags >> 24) };
    if (flags && !ntlm_av_put(w, MSV_AV_FLAGS, f, 4))
        return false;
    if (cbt16 && !ntlm_av_put(w, MSV_AV_CHANNEL_BINDINGS, cbt16, 16))
        return false;
    if (target_utf16.len && !ntlm_av_put(w, MSV_AV_TARGET_NAME, target_utf16.p, target_utf16.len))
        return false;
    return ntlm_av_put_eol(w);
}

const char *ntlm_av_name(uint16_t id)
{
    static const char *const names[] = {
        "MsvAvEOL", "MsvAvNbComputerName", "MsvAvNbDomainName", "MsvAvDnsComputerName",
        "MsvAvDnsDomainName", "MsvAvDnsTreeName", "MsvAvFlags", "MsvAvTimestamp",
        "MsvAvSingleHost", "MsvAvTargetName", "MsvAvChannelBindings",
    };
    return id < sizeof(names) / sizeof(names[0]) ? names[id] : NULL;
}
