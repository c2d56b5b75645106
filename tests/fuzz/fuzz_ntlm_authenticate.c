/* tests/fuzz/fuzz_ntlm_authenticate.c - AUTHENTICATE_MESSAGE parser and the NTLMv2
 * client challenge (src/ntlm/ntlm_message.c): whatever parses must rebuild and parse
 * back to the same fields. */
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

static void check_blob(struct rd nt)
{
    uint8_t proof[16], proof2[16];
    struct ntlm_v2_blob b, back;
    struct ntlm_av av;
    struct wr w;
    if (!ntlm_parse_v2_blob(nt, proof, &b))
        return;
    if (b.resp_type != 1 || b.hi_resp_type != 1 || b.av_pairs.len < 4)
        abort();
    wr_init(&w, 0, 1 << 20, 0);
    if (!wr_bytes(&w, proof, 16) || !ntlm_build_v2_blob(&w, b.timestamp, b.client_challenge, b.av_pairs)
        || !ntlm_parse_v2_blob(rd_init(w.buf, w.len), proof2, &back))
        abort();
    if (memcmp(proof, proof2, 16) != 0 || b.timestamp != back.timestamp
        || memcmp(b.client_challenge, back.client_challenge, 8) != 0)
        abort();
    same_rd(b.av_pairs, back.av_pairs);
    wr_free(&w);
    (void)ntlm_av_parse(b.av_pairs, &av);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ntlm_authenticate m, back;
    struct wr w;
    size_t mic_at = 0;
    check_blob(rd_init(data, size));
    if (!ntlm_parse_authenticate(rd_init(data, size), &m))
        return 0;
    if (ntlm_message_type(rd_init(data, size)) != NTLM_AUTHENTICATE)
        abort();
    wr_init(&w, 0, 1 << 20, 0);
    if (!ntlm_build_authenticate(&w, &m, m.has_mic_room, &mic_at))
        abort();
    if (m.has_mic_room && (mic_at != NTLM_MIC_OFFSET || !wr_patch_bytes(&w, mic_at, m.mic, sizeof(m.mic))))
        abort();
    if (!ntlm_parse_authenticate(rd_init(w.buf, w.len), &back))
        abort();
    if (m.flags != back.flags || m.has_version != back.has_version || m.has_mic_room != back.has_mic_room
        || memcmp(m.mic, back.mic, sizeof(m.mic)) != 0)
        abort();
    same_rd(m.lm_response, back.lm_response);
    same_rd(m.nt_response, back.nt_response);
    same_rd(m.domain, back.domain);
    same_rd(m.user, back.user);
    same_rd(m.workstation, back.workstation);
    same_rd(m.enc_session_key, back.enc_session_key);
    same_version(&m.version, &back.version);
    wr_free(&w);
    check_blob(m.nt_response);
    return 0;
}
