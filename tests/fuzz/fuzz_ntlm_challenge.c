/* tests/fuzz/fuzz_ntlm_challenge.c - CHALLENGE_MESSAGE parser (src/ntlm/ntlm_message.c)
 * and its target info (src/ntlm/ntlm_av_pairs.c): whatever parses must rebuild and
 * parse back to the same fields; the client's list built from a valid target info
 * must parse too. */
#include "ntlm/ntlm_av_pairs.h"
#include "ntlm/ntlm_message.h"

#include <stdlib.h>
#include <string.h>

static void same_rd(struct rd a, struct rd b)
{
    if (a.len != b.len || (a.len && memcmp(a.p, b.p, a.len) != 0))
        abort();
}

static void same_version(const struct ntlm_version *a, const struct ntlm_version *b)
{
    if (a->major != b->major || a->minor != b->minor || a->build != b->build || a->revision != b->revision)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t cbt[16] = { 0 };
    struct ntlm_challenge m, back;
    struct ntlm_av av;
    struct wr w;
    if (!ntlm_parse_challenge(rd_init(data, size), &m))
        return 0;
    if (ntlm_message_type(rd_init(data, size)) != NTLM_CHALLENGE)
        abort();
    wr_init(&w, 0, 1 << 20, 0);
    if (!ntlm_build_challenge(&w, &m) || !ntlm_parse_challenge(rd_init(w.buf, w.len), &back))
        abort();
    if (m.flags != back.flags || m.has_version != back.has_version
        || memcmp(m.server_challenge, back.server_challenge, 8) != 0)
        abort();
    same_rd(m.target_name, back.target_name);
    same_rd(m.target_info, back.target_info);
    same_version(&m.version, &back.version);
    wr_free(&w);

    if (ntlm_av_parse(m.target_info, &av)) {
        struct ntlm_av client;
        wr_init(&w, 0, 1 << 20, 0);
        if (!ntlm_av_client_info(&w, m.target_info, MSV_AV_FLAG_MIC, cbt, rd_init("t\0", 2))
            || !ntlm_av_parse(rd_init(w.buf, w.len), &client) || client.flags != MSV_AV_FLAG_MIC)
            abort();
        same_rd(client.nb_computer, av.nb_computer);
        same_rd(client.dns_domain, av.dns_domain);
        if (client.has_timestamp != av.has_timestamp || client.timestamp != av.timestamp)
            abort();
        wr_free(&w);
    }
    return 0;
}
