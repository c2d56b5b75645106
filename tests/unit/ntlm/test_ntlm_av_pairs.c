/* tests/unit/ntlm/test_ntlm_av_pairs.c - AV_PAIR lists (src/ntlm/ntlm_av_pairs.c):
 * published target infos and client lists parse, every truncation is rejected, the
 * EOL/padding/size/duplicate rules, and the client list reproduces what Windows
 * clients sent in the captures. */
#include "ntlm/ntlm_av_pairs.h"
#include "ntlm/ntlm_message.h"

#include <stdlib.h>
#include <string.h>

#include "vectors.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

struct buf {
    uint8_t *p;
    size_t len;
};

static struct buf vbuf(void *v, const char *path)
{
    struct buf b;
    b.p = vec_hex(v, path, &b.len);
    return b;
}

static struct rd brd(struct buf b)
{
    return rd_init(b.p, b.len);
}

/* assert_utf16 - r holds the UTF-16LE form of the ASCII string s */
static void assert_utf16(struct rd r, const char *s)
{
    size_t n = strlen(s);
    assert_int_equal(r.len, 2 * n);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(r.p[2 * i], (uint8_t)s[i]);
        assert_int_equal(r.p[2 * i + 1], 0);
    }
}

static struct wr utf16(const char *s)
{
    struct wr w;
    wr_init(&w, 0, 1024, 0);
    for (size_t i = 0; s[i]; i++)
        assert_true(wr_u16le(&w, (uint8_t)s[i]));
    return w;
}

/* the target info of a published CHALLENGE, and the client's list from its
 * AUTHENTICATE (through ntlm_parse_v2_blob) */
static struct rd challenge_ti(void *v, const char *path, struct buf *keep)
{
    struct ntlm_challenge c;
    *keep = vbuf(v, path);
    assert_true(ntlm_parse_challenge(brd(*keep), &c));
    return c.target_info;
}

static struct rd client_list(void *v, const char *path, struct buf *keep)
{
    struct ntlm_authenticate a;
    struct ntlm_v2_blob b;
    uint8_t proof[16];
    *keep = vbuf(v, path);
    assert_true(ntlm_parse_authenticate(brd(*keep), &a));
    assert_true(ntlm_parse_v2_blob(a.nt_response, proof, &b));
    return b.av_pairs;
}

#define WIN_CHAL "supplementary_vectors/windows_capture_with_MIC/challenge_message"
#define WIN_AUTH "supplementary_vectors/windows_capture_with_MIC/authenticate_message"
#define GSS_CHAL "supplementary_vectors/gss_ntlmssp_channel_binding_capture/challenge_message"
#define GSS_AUTH "supplementary_vectors/gss_ntlmssp_channel_binding_capture/authenticate_message"

static void test_av_parse_reads_ms_nlmp_target_info(void **state)
{
    void *v = vec_load("ms-nlmp.json");
    struct buf ti = vbuf(v, "ntlmv2_4_2_4/target_info");
    struct ntlm_av av;
    assert_true(ntlm_av_parse(brd(ti), &av));
    assert_utf16(av.nb_domain, "Domain");
    assert_utf16(av.nb_computer, "Server");
    assert_int_equal(av.dns_computer.len, 0);
    assert_int_equal(av.dns_domain.len, 0);
    assert_int_equal(av.target_name.len, 0);
    assert_false(av.has_flags);
    assert_false(av.has_timestamp);
    free(ti.p);
    vec_free(v);
}

static void test_av_parse_reads_windows_capture_target_info(void **state)
{
    void *v = vec_load("ms-nlmp.json");
    struct buf keep;
    struct ntlm_av av;
    assert_true(ntlm_av_parse(challenge_ti(v, WIN_CHAL, &keep), &av));
    assert_utf16(av.nb_domain, "DANVMCLOUD");
    assert_utf16(av.nb_computer, "OP-AGENT-2");
    assert_utf16(av.dns_domain, "dan.vmcloud");
    assert_utf16(av.dns_computer, "op-agent-2.dan.vmcloud");
    assert_utf16(av.dns_tree, "dan.vmcloud");
    assert_true(av.has_timestamp);
    assert_true(av.timestamp == 0x01dbd011fb1bc67eull);
    assert_false(av.has_flags);
    free(keep.p);

    struct buf ti = vbuf(v, "supplementary_vectors/gss_ntlmssp_channel_binding_capture/target_info");
    assert_true(ntlm_av_parse(brd(ti), &av));
    assert_utf16(av.nb_domain, "WS2008R2");
    assert_utf16(av.dns_computer, "DC-ws2008r2.ws2008r2.local");
    assert_true(av.timestamp == 0x01cdde0bc33fe77bull);
    free(ti.p);
    vec_free(v);
}

static void test_av_parse_reads_client_lists_from_captures(void **state)
{
    void *v = vec_load("ms-nlmp.json");
    struct buf keep, cb = vbuf(v, "supplementary_vectors/gss_ntlmssp_channel_binding_capture/MsvAvChannelBindings_value");
    struct ntlm_av av;
    static const uint8_t zero16[16];

    assert_true(ntlm_av_parse(client_list(v, WIN_AUTH, &keep), &av));
    assert_true(av.has_flags);
    assert_int_equal(av.flags, MSV_AV_FLAG_MIC);
    assert_int_equal(av.single_host.len, 48);
    assert_int_equal(av.channel_bindings.len, 16);
    assert_memory_equal(av.channel_bindings.p, zero16, 16);
    assert_utf16(av.target_name, "HOST/10.3.63.237");
    assert_true(av.has_timestamp);
    free(keep.p);

    assert_true(ntlm_av_parse(client_list(v, GSS_AUTH, &keep), &av));
    assert_int_equal(av.flags, MSV_AV_FLAG_MIC);
    assert_int_equal(av.channel_bindings.len, 16);
    assert_memory_equal(av.channel_bindings.p, cb.p, 16);
    assert_utf16(av.target_name, "HTTP/dc-ws2008r2.ws2008r2.local");
    free(keep.p);
    free(cb.p);
    vec_free(v);
}

static void test_av_parse_rejects_every_truncation(void **state)
{
    void *v = vec_load("ms-nlmp.json");
    struct buf k1, k2, k3;
    struct rd lists[] = { challenge_ti(v, WIN_CHAL, &k1), challenge_ti(v, GSS_CHAL, &k2),
                          client_list(v, WIN_AUTH, &k3) };
    for (size_t i = 0; i < COUNT(lists); i++)
        for (size_t n = 0; n < lists[i].len; n++) {
            struct ntlm_av av;
            assert_false(ntlm_av_parse(rd_init(lists[i].p, n), &av));
        }
    free(k1.p);
    free(k2.p);
    free(k3.p);
    vec_free(v);
}

static void test_av_parse_requires_eol(void **state)
{
    static const uint8_t no_eol[] = { 0x01, 0x00, 0x02, 0x00, 'A', 0x00 };
    static const uint8_t only_eol[] = { 0x00, 0x00, 0x00, 0x00 };
    struct ntlm_av av;
    assert_false(ntlm_av_parse(rd_init(no_eol, sizeof(no_eol)), &av));
    assert_false(ntlm_av_parse(rd_init(NULL, 0), &av));
    assert_true(ntlm_av_parse(rd_init(only_eol, sizeof(only_eol)), &av));
    assert_int_equal(av.nb_computer.len, 0);
}

static void test_av_parse_accepts_zero_padding_after_eol(void **state)
{
    static const uint8_t padded[] = { 0x01, 0x00, 0x02, 0x00, 'A', 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
    for (size_t n = 10; n <= sizeof(padded); n++) {
        struct ntlm_av av;
        assert_true(ntlm_av_parse(rd_init(padded, n), &av));
        assert_utf16(av.nb_computer, "A");
    }
}

static void test_av_parse_rejects_data_after_eol(void **state)
{
    static const uint8_t pair_after[] = { 0, 0, 0, 0, 0x01, 0x00, 0x02, 0x00, 'A', 0x00 };
    static const uint8_t junk_after[] = { 0, 0, 0, 0, 0, 0, 0, 1 };
    struct ntlm_av av;
    assert_false(ntlm_av_parse(rd_init(pair_after, sizeof(pair_after)), &av));
    assert_false(ntlm_av_parse(rd_init(junk_after, sizeof(junk_after)), &av));
}

static void test_av_parse_rejects_eol_with_a_value(void **state)
{
    static const uint8_t eol2[] = { 0x00, 0x00, 0x02, 0x00, 0x00, 0x00 };
    struct ntlm_av av;
    assert_false(ntlm_av_parse(rd_init(eol2, sizeof(eol2)), &av));
}

/* one_pair - the list { id, len, len bytes of 0x41 } EOL */
static bool parse_one_pair(uint16_t id, uint16_t len, struct ntlm_av *av)
{
    struct wr w;
    uint8_t val[64];
    memset(val, 0x41, sizeof(val));
    wr_init(&w, 0, 256, 0);
    assert_true(len <= sizeof(val));
    assert_true(ntlm_av_put(&w, id, val, len) && ntlm_av_put_eol(&w));
    bool ok = ntlm_av_parse(rd_init(w.buf, w.len), av);
    wr_free(&w);
    return ok;
}

static void test_av_parse_checks_fixed_sizes(void **state)
{
    struct ntlm_av av;
    for (uint16_t len = 0; len <= 20; len++) {
        assert_int_equal(parse_one_pair(MSV_AV_FLAGS, len, &av), len == 4);
        assert_int_equal(parse_one_pair(MSV_AV_TIMESTAMP, len, &av), len == 8);
        assert_int_equal(parse_one_pair(MSV_AV_CHANNEL_BINDINGS, len, &av), len == 16);
    }
    assert_true(parse_one_pair(MSV_AV_FLAGS, 4, &av));
    assert_true(av.has_flags);
    assert_int_equal(av.flags, 0x41414141u);
}

static void test_av_parse_rejects_odd_length_names(void **state)
{
    const uint16_t names[] = { MSV_AV_NB_COMPUTER_NAME, MSV_AV_NB_DOMAIN_NAME, MSV_AV_DNS_COMPUTER_NAME,
                               MSV_AV_DNS_DOMAIN_NAME,  MSV_AV_DNS_TREE_NAME,  MSV_AV_TARGET_NAME };
    struct ntlm_av av;
    for (size_t i = 0; i < COUNT(names); i++) {
        assert_false(parse_one_pair(names[i], 3, &av));
        assert_true(parse_one_pair(names[i], 4, &av));
        assert_true(parse_one_pair(names[i], 0, &av));
    }
}

static void test_av_parse_skips_unknown_ids(void **state)
{
    struct ntlm_av av;
    assert_true(parse_one_pair(11, 3, &av));
    assert_true(parse_one_pair(0x7fff, 64, &av));
    assert_true(parse_one_pair(MSV_AV_SINGLE_HOST, 5, &av)); /* raw, any size */
    assert_int_equal(av.single_host.len, 5);
}

static void test_av_parse_rejects_duplicate_known_ids(void **state)
{
    for (uint16_t id = 1; id <= MSV_AV_CHANNEL_BINDINGS; id++) {
        static const uint8_t val[16];
        size_t len = id == MSV_AV_FLAGS ? 4 : id == MSV_AV_TIMESTAMP ? 8 : id == MSV_AV_CHANNEL_BINDINGS ? 16 : 2;
        struct wr w;
        struct ntlm_av av;
        wr_init(&w, 0, 256, 0);
        assert_true(ntlm_av_put(&w, id, val, len) && ntlm_av_put(&w, 0x20, NULL, 0) && ntlm_av_put(&w, id, val, len)
                    && ntlm_av_put_eol(&w));
        assert_false(ntlm_av_parse(rd_init(w.buf, w.len), &av));
        wr_free(&w);
    }
    /* unknown ids may repeat */
    struct wr w;
    struct ntlm_av av;
    wr_init(&w, 0, 256, 0);
    assert_true(ntlm_av_put(&w, 0x20, "ab", 2) && ntlm_av_put(&w, 0x20, "cd", 2) && ntlm_av_put_eol(&w));
    assert_true(ntlm_av_parse(rd_init(w.buf, w.len), &av));
    wr_free(&w);
}

static void test_av_parse_leaves_output_untouched_on_failure(void **state)
{
    static const uint8_t bad[] = { 0x06, 0x00, 0x03, 0x00, 1, 2, 3, 0, 0, 0, 0 };
    struct ntlm_av av, av0;
    memset(&av, 0x5a, sizeof(av));
    av0 = av;
    assert_false(ntlm_av_parse(rd_init(bad, sizeof(bad)), &av));
    assert_memory_equal(&av, &av0, sizeof(av));
}

static void test_av_put_writes_pairs_and_eol(void **state)
{
    static const uint8_t want[] = { 0x09, 0x00, 0x02, 0x00, 'x', 'y', 0x00, 0x00, 0x00, 0x00 };
    struct wr w;
    wr_init(&w, 0, 64, 0);
    assert_true(ntlm_av_put(&w, MSV_AV_TARGET_NAME, "xy", 2));
    assert_true(ntlm_av_put_eol(&w));
    assert_int_equal(w.len, sizeof(want));
    assert_memory_equal(w.buf, want, sizeof(want));
    wr_free(&w);

    uint8_t *big = calloc(1, 0x10000);
    assert_non_null(big);
    wr_init(&w, 0, 0x20000, 0);
    assert_false(ntlm_av_put(&w, MSV_AV_TARGET_NAME, big, 0x10000));
    assert_true(w.err);
    wr_free(&w);
    free(big);
}

static void test_av_put_round_trips_every_known_pair(void **state)
{
    static const uint8_t cbt[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
    static const uint8_t flags[4] = { 0x02, 0, 0, 0 };
    static const uint8_t ts[8] = { 0x7e, 0xc6, 0x1b, 0xfb, 0x11, 0xd0, 0xdb, 0x01 };
    struct wr w;
    struct ntlm_av av;
    wr_init(&w, 0, 1024, 0);
    assert_true(ntlm_av_put(&w, MSV_AV_NB_COMPUTER_NAME, "a\0", 2) && ntlm_av_put(&w, MSV_AV_NB_DOMAIN_NAME, "b\0", 2)
                && ntlm_av_put(&w, MSV_AV_DNS_COMPUTER_NAME, "c\0", 2)
                && ntlm_av_put(&w, MSV_AV_DNS_DOMAIN_NAME, "d\0", 2)
                && ntlm_av_put(&w, MSV_AV_DNS_TREE_NAME, "e\0", 2) && ntlm_av_put(&w, MSV_AV_FLAGS, flags, 4)
                && ntlm_av_put(&w, MSV_AV_TIMESTAMP, ts, 8) && ntlm_av_put(&w, MSV_AV_SINGLE_HOST, "sh", 2)
                && ntlm_av_put(&w, MSV_AV_TARGET_NAME, "t\0", 2)
                && ntlm_av_put(&w, MSV_AV_CHANNEL_BINDINGS, cbt, 16) && ntlm_av_put_eol(&w));
    assert_true(ntlm_av_parse(rd_init(w.buf, w.len), &av));
    assert_utf16(av.nb_computer, "a");
    assert_utf16(av.nb_domain, "b");
    assert_utf16(av.dns_computer, "c");
    assert_utf16(av.dns_domain, "d");
    assert_utf16(av.dns_tree, "e");
    assert_utf16(av.target_name, "t");
    assert_int_equal(av.flags, 2);
    assert_true(av.timestamp == 0x01dbd011fb1bc67eull);
    assert_memory_equal(av.single_host.p, "sh", 2);
    assert_memory_equal(av.channel_bindings.p, cbt, 16);
    wr_free(&w);
}

static void test_client_info_copies_server_list_when_nothing_is_added(void **state)
{
    void *v = vec_load("ms-nlmp.json");
    struct buf ti = vbuf(v, "ntlmv2_4_2_4/target_info");
    struct wr w;
    wr_init(&w, 0, 1024, 0);
    assert_true(ntlm_av_client_info(&w, brd(ti), 0, NULL, rd_init(NULL, 0)));
    assert_int_equal(w.len, ti.len);
    assert_memory_equal(w.buf, ti.p, ti.len);
    wr_free(&w);
    free(ti.p);
    vec_free(v);
}

/* drop_pair - the list without its pairs of the given id */
static struct wr drop_pair(struct rd list, uint16_t id)
{
    struct wr w;
    wr_init(&w, 0, 4096, 0);
    for (;;) {
        uint16_t i, len;
        struct rd val;
        assert_true(rd_u16le(&list, &i) && rd_u16le(&list, &len) && rd_bytes(&list, len, &val));
        if (i != id)
            assert_true(ntlm_av_put(&w, i, val.p, val.len));
        if (i == MSV_AV_EOL)
            return w;
    }
}

/* Windows clients write the server's pairs, MsvAvFlags, MsvAvSingleHost,
 * MsvAvChannelBindings, MsvAvTargetName, EOL: without MsvAvSingleHost (which we
 * do not send) our list is theirs, byte for byte */
static void test_client_info_matches_windows_clients(void **state)
{
    void *v = vec_load("ms-nlmp.json");
    struct buf cb = vbuf(v, "supplementary_vectors/gss_ntlmssp_channel_binding_capture/MsvAvChannelBindings_value");
    static const uint8_t zero16[16];
    const struct {
        const char *chal, *auth, *spn;
        const uint8_t *cbt;
    } c[] = {
        { WIN_CHAL, WIN_AUTH, "HOST/10.3.63.237", zero16 },
        { GSS_CHAL, GSS_AUTH, "HTTP/dc-ws2008r2.ws2008r2.local", cb.p },
    };
    for (size_t i = 0; i < COUNT(c); i++) {
        struct buf kc, ka;
        struct rd server = challenge_ti(v, c[i].chal, &kc);
        struct rd client = client_list(v, c[i].auth, &ka);
        struct wr want = drop_pair(client, MSV_AV_SINGLE_HOST);
        struct wr spn = utf16(c[i].spn);
        struct wr w;
        wr_init(&w, 0, 4096, 0);
        assert_true(ntlm_av_client_info(&w, server, MSV_AV_FLAG_MIC, c[i].cbt, rd_init(spn.buf, spn.len)));
        assert_int_equal(w.len, want.len);
        assert_memory_equal(w.buf, want.buf, want.len);
        wr_free(&w);
        wr_free(&want);
        wr_free(&spn);
        free(kc.p);
        free(ka.p);
    }
    free(cb.p);
    vec_free(v);
}

static void test_client_info_drops_server_flags_target_and_bindings(void **state)
{
    static const uint8_t cbt_old[16] = { 0xee }, cbt_new[16] = { 0x11 };
    static const uint8_t flags_old[4] = { 0x04, 0, 0, 0 };
    struct wr server, w;
    struct ntlm_av av;
    wr_init(&server, 0, 1024, 0);
    assert_true(ntlm_av_put(&server, MSV_AV_FLAGS, flags_old, 4)
                && ntlm_av_put(&server, MSV_AV_NB_COMPUTER_NAME, "S\0", 2)
                && ntlm_av_put(&server, MSV_AV_TARGET_NAME, "o\0", 2)
                && ntlm_av_put(&server, MSV_AV_CHANNEL_BINDINGS, cbt_old, 16) && ntlm_av_put_eol(&server)
                && ntlm_av_put(&server, MSV_AV_NB_DOMAIN_NAME, "X\0", 2)); /* after EOL: not copied */
    wr_init(&w, 0, 1024, 0);
    assert_true(ntlm_av_client_info(&w, rd_init(server.buf, server.len), MSV_AV_FLAG_MIC, cbt_new,
                                    rd_init("n\0", 2)));
    assert_true(ntlm_av_parse(rd_init(w.buf, w.len), &av)); /* one of each: no duplicates */
    assert_int_equal(av.flags, MSV_AV_FLAG_MIC);
    assert_memory_equal(av.channel_bindings.p, cbt_new, 16);
    assert_utf16(av.target_name, "n");
    assert_utf16(av.nb_computer, "S");
    assert_int_equal(av.nb_domain.len, 0);
    wr_free(&w);

    /* nothing added: flags, bindings and target name are simply gone */
    wr_init(&w, 0, 1024, 0);
    assert_true(ntlm_av_client_info(&w, rd_init(server.buf, server.len), 0, NULL, rd_init(NULL, 0)));
    assert_true(ntlm_av_parse(rd_init(w.buf, w.len), &av));
    assert_false(av.has_flags);
    assert_int_equal(av.channel_bindings.len, 0);
    assert_int_equal(av.target_name.len, 0);
    assert_int_equal(w.len, 4 + 2 + 4);
    wr_free(&w);
    wr_free(&server);
}

static void test_client_info_from_empty_server_list(void **state)
{
    static const uint8_t want[] = { 0x06, 0x00, 0x04, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 };
    struct wr w;
    wr_init(&w, 0, 1024, 0);
    assert_true(ntlm_av_client_info(&w, rd_init(NULL, 0), MSV_AV_FLAG_MIC, NULL, rd_init(NULL, 0)));
    assert_int_equal(w.len, sizeof(want));
    assert_memory_equal(w.buf, want, sizeof(want));
    wr_free(&w);
}

static void test_client_info_rejects_truncated_server_list(void **state)
{
    static const uint8_t cut[] = { 0x01, 0x00, 0x08, 0x00, 'A', 0x00 };
    struct wr w;
    wr_init(&w, 0, 1024, 0);
    assert_false(ntlm_av_client_info(&w, rd_init(cut, sizeof(cut)), 0, NULL, rd_init(NULL, 0)));
    assert_true(w.err);
    wr_free(&w);
}

static void test_av_names_follow_ms_nlmp(void **state)
{
    assert_string_equal(ntlm_av_name(MSV_AV_EOL), "MsvAvEOL");
    assert_string_equal(ntlm_av_name(MSV_AV_NB_COMPUTER_NAME), "MsvAvNbComputerName");
    assert_string_equal(ntlm_av_name(MSV_AV_TIMESTAMP), "MsvAvTimestamp");
    assert_string_equal(ntlm_av_name(MSV_AV_SINGLE_HOST), "MsvAvSingleHost");
    assert_string_equal(ntlm_av_name(MSV_AV_CHANNEL_BINDINGS), "MsvAvChannelBindings");
    assert_null(ntlm_av_name(11));
    assert_null(ntlm_av_name(0xffff));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_av_parse_reads_ms_nlmp_target_info),
        cmocka_unit_test(test_av_parse_reads_windows_capture_target_info),
        cmocka_unit_test(test_av_parse_reads_client_lists_from_captures),
        cmocka_unit_test(test_av_parse_rejects_every_truncation),
        cmocka_unit_test(test_av_parse_requires_eol),
        cmocka_unit_test(test_av_parse_accepts_zero_padding_after_eol),
        cmocka_unit_test(test_av_parse_rejects_data_after_eol),
        cmocka_unit_test(test_av_parse_rejects_eol_with_a_value),
        cmocka_unit_test(test_av_parse_checks_fixed_sizes),
        cmocka_unit_test(test_av_parse_rejects_odd_length_names),
        cmocka_unit_test(test_av_parse_skips_unknown_ids),
        cmocka_unit_test(test_av_parse_rejects_duplicate_known_ids),
        cmocka_unit_test(test_av_parse_leaves_output_untouched_on_failure),
        cmocka_unit_test(test_av_put_writes_pairs_and_eol),
        cmocka_unit_test(test_av_put_round_trips_every_known_pair),
        cmocka_unit_test(test_client_info_copies_server_list_when_nothing_is_added),
        cmocka_unit_test(test_client_info_matches_windows_clients),
        cmocka_unit_test(test_client_info_drops_server_flags_target_and_bindings),
        cmocka_unit_test(test_client_info_from_empty_server_list),
        cmocka_unit_test(test_client_info_rejects_truncated_server_list),
        cmocka_unit_test(test_av_names_follow_ms_nlmp),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
