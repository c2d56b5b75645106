/* tests/fuzz/fuzz_ntlm_negotiate.c - NEGOTIATE_MESSAGE parser (src/ntlm/ntlm_message.c):
 * whatever parses must rebuild and parse back to the same fields. */
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
    struct ntlm_negotiate m, back;
    struct wr w;
    if (ntlm_message_type(rd_init(data, size)) != NTLM_NEGOTIATE) {
        if (ntlm_parse_negotiate(rd_init(data, size), &m))
            abort();
        return 0;
    }
    if (!ntlm_parse_negotiate(rd_init(data, size), &m))
        return 0;
    wr_init(&w, 0, 1 << 20, 0);
    if (!ntlm_build_negotiate(&w, &m) || !ntlm_parse_negotiate(rd_init(w.buf, w.len), &back))
        abort();
    if (m.flags != back.flags || m.has_version != back.has_version)
        abort();
    same_rd(m.domain, back.domain);
    same_rd(m.workstation, back.workstation);
    same_version(&m.version, &back.version);
    wr_free(&w);
    return 0;
}
