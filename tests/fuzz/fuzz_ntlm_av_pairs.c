/* tests/fuzz/fuzz_ntlm_av_pairs.c - AV_PAIR list parser (src/ntlm/ntlm_av_pairs.c):
 * whatever parses must rebuild (known pairs, then EOL) and parse back to the same
 * values, and the client's list built from it must parse. */
#include "ntlm/ntlm_av_pairs.h"

#include <stdlib.h>
#include <string.h>

static void same_rd(struct rd a, struct rd b)
{
    if (a.len != b.len || (a.len && memcmp(a.p, b.p, a.len) != 0))
        abort();
}

static bool put_rd(struct wr *w, uint16_t id, struct rd v)
{
    return v.len == 0 || ntlm_av_put(w, id, v.p, v.len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ntlm_av av, back;
    struct wr w;
    struct rd in = rd_init(data, size);
    if (!ntlm_av_parse(in, &av)) {
        wr_init(&w, 0, 1 << 20, 0);
        (void)ntlm_av_client_info(&w, in, 0, NULL, rd_init(NULL, 0));
        wr_free(&w);
        return 0;
    }
    uint8_t flags[4] = { (uint8_t)av.flags, (uint8_t)(av.flags >> 8), (uint8_t)(av.flags >> 16),
                         (uint8_t)(av.flags >> 24) };
    uint8_t ts[8];
    for (int i = 0; i < 8; i++)
        ts[i] = (uint8_t)(av.timestamp >> (8 * i));
    wr_init(&w, 0, 1 << 20, 0);
    bool ok = put_rd(&w, MSV_AV_NB_COMPUTER_NAME, av.nb_computer) && put_rd(&w, MSV_AV_NB_DOMAIN_NAME, av.nb_domain)
           && put_rd(&w, MSV_AV_DNS_COMPUTER_NAME, av.dns_computer)
           && put_rd(&w, MSV_AV_DNS_DOMAIN_NAME, av.dns_domain) && put_rd(&w, MSV_AV_DNS_TREE_NAME, av.dns_tree)
           && (!av.has_flags || ntlm_av_put(&w, MSV_AV_FLAGS, flags, 4))
           && (!av.has_timestamp || ntlm_av_put(&w, MSV_AV_TIMESTAMP, ts, 8))
           && put_rd(&w, MSV_AV_SINGLE_HOST, av.single_host) && put_rd(&w, MSV_AV_TARGET_NAME, av.target_name)
           && put_rd(&w, MSV_AV_CHANNEL_BINDINGS, av.channel_bindings) && ntlm_av_put_eol(&w);
    if (!ok || !ntlm_av_parse(rd_init(w.buf, w.len), &back))
        abort();
    same_rd(av.nb_computer, back.nb_computer);
    same_rd(av.nb_domain, back.nb_domain);
    same_rd(av.dns_computer, back.dns_computer);
    same_rd(av.dns_domain, back.dns_domain);
    same_rd(av.dns_tree, back.dns_tree);
    same_rd(av.target_name, back.target_name);
    same_rd(av.channel_bindings, back.channel_bindings);
    same_rd(av.single_host, back.single_host);
    if (av.has_flags != back.has_flags || av.flags != back.flags || av.has_timestamp != back.has_timestamp
        || av.timestamp != back.timestamp)
        abort();
    wr_free(&w);

    static const uint8_t cbt[16] = { 1 };
    wr_init(&w, 0, 1 << 20, 0);
    if (!ntlm_av_client_info(&w, in, MSV_AV_FLAG_MIC, cbt, rd_init("s\0", 2))
        || !ntlm_av_parse(rd_init(w.buf, w.len), &back) || back.flags != MSV_AV_FLAG_MIC
        || back.channel_bindings.len != 16)
        abort();
    same_rd(av.nb_computer, back.nb_computer);
    same_rd(av.single_host, back.single_host);
    wr_free(&w);
    return 0;
}
