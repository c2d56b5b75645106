/* tests/unit/ntlm/test_ntlm_message.c - NTLM message layer (src/ntlm/ntlm_message.c):
 * every published NEGOTIATE/CHALLENGE/AUTHENTICATE parses to its fields, building
 * from the fields reproduces the published bytes, every truncation is rejected,
 * trailing bytes are ignored, offsets outside the message or inside the header are
 * rejected,
 * parse(build(x)) == x, and the NTLMv2 client challenge blob. */
#include "ntlm/ntlm_message.h"

#include <stdlib.h>
#include <string.h>

#include "vectors.h"

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

static void assert_rd_equal(struct rd a, struct rd b)
{
    assert_int_equal(a.len, b.len);
    if (a.len)
        assert_memory_equal(a.p, b.p, a.len);
}

static void assert_rd_buf(struct rd a, struct buf b)
{
    assert_rd_equal(a, brd(b));
}

static void assert_version_equal(const struct ntlm_version *a, const struct ntlm_version *b)
{
    assert_int_equal(a->major, b->major);
    assert_int_equal(a->minor, b->minor);
    assert_int_equal(a->build, b->build);
    assert_int_equal(a->revision, b->revision);
}

static void assert_negotiate_equal(const struct ntlm_negotiate *a, const struct ntlm_negotiate *b)
{
    assert_int_equal(a->flags, b->flags);
    assert_rd_equal(a->domain, b->domain);
    assert_rd_equal(a->workstation, b->workstation);
    assert_int_equal(a->has_version, b->has_version);
    assert_version_equal(&a->version, &b->version);
}

static void assert_challenge_equal(const struct ntlm_challenge *a, const struct ntlm_challenge *b)
{
    assert_int_equal(a->flags, b->flags);
    assert_rd_equal(a->target_name, b->target_name);
    assert_memory_equal(a->server_challenge, b->server_challenge, 8);
    assert_rd_equal(a->target_info, b->target_info);
    assert_int_equal(a->has_version, b->has_version);
    assert_version_equal(&a->version, &b->version);
}

static void assert_authenticate_equal(const struct ntlm_authenticate *a, const struct ntlm_authenticate *b)
{
    assert_int_equal(a->flags, b->flags);
    assert_rd_equal(a->lm_response, b->lm_response);
    assert_rd_equal(a->nt_response, b->nt_response);
    assert_rd_equal(a->domain, b->domain);
    assert_rd_equal(a->user, b->user);
    assert_rd_equal(a->workstation, b->workstation);
    assert_rd_equal(a->enc_session_key, b->enc_session_key);
    assert_int_equal(a->has_version, b->has_version);
    assert_version_equal(&a->version, &b->version);
    assert_int_equal(a->has_mic_room, b->has_mic_room);
    if (a->has_mic_room)
        assert_memory_equal(a->mic, b->mic, 16);
}

static const char *const negotiates[] = {
    "supplementary_vectors/windows_capture_with_MIC/negotiate_message",
};
static const char *const challenges[] = {
    "ntlmv1_4_2_2/challenge_message_4_2_2_3",
    "ntlmv1_with_client_challenge_4_2_3/challenge_message_4_2_3_3",
    "ntlmv2_4_2_4/challenge_message_4_2_4_3",
    "supplementary_vectors/windows_capture_with_MIC/challenge_message",
    "supplementary_vectors/gss_ntlmssp_channel_binding_capture/challenge_message",
};
static const char *const authenticates[] = {
    "ntlmv1_4_2_2/authenticate_message_4_2_2_3",
    "ntlmv1_with_client_challenge_4_2_3/authenticate_message_4_2_3_3",
    "ntlmv2_4_2_4/authenticate_message_4_2_4_3",
    "supplementary_vectors/windows_capture_with_MIC/authenticate_message",
    "supplementary_vectors/windows_capture_with_MIC/authenticate_message_with_mic_zeroed",
    "supplementary_vectors/gss_ntlmssp_channel_binding_capture/authenticate_message",
};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* the VERSION MS-NLMP 4.2 uses: 6.0.6000 in CHALLENGE, 5.1.2600 in AUTHENTICATE */
static const struct ntlm_version v_server = { 6, 0, 6000, NTLMSSP_REVISION_W2K3 };
static const struct ntlm_version v_client = { 5, 1, 2600, NTLMSSP_REVISION_W2K3 };

/* ---- parse: published messages ------------------------------------------ */

static void test_message_type_recognises_published_messages(void **state)
{
    void *v = vec_load("ms-nlmp.json");
    const struct {
        const char *const *paths;
        size_t n;
        int type;
    } sets[] = { { negotiates, COUNT(negotiates), NTLM_NEGOTIATE },
                 { challenges, COUNT(challenges), NTLM_CHALLENGE },
                 { authenticates, COUNT(authenticates), NTLM_AUTHENTICATE } };
    for (size_t s = 0; s < COUNT(sets); s++)
        for (size_t i = 0; i < sets[s].n; i++) {
            struct buf b = vbuf(v, sets[s].paths[i]);
            assert_int_equal(ntlm_message_type(brd(b)), sets[s].type);
            free(b.p);
        }
    vec_free(v);
}

static void test_message_type_is_zero_for_other_bytes(void **state)
{
    static const uint8_t type4[12] = { 'N', 'T', 'L', 'M', 'S', 'S', 'P', 0, 4, 0, 0, 0 };
    static const uint8_t badsig[12] = { 'N', 'T', 'L', 'M', 'S', 'S', 'P', 1, 1, 0, 0, 0 };
    static const uint8_t short1[11] = { 'N', 'T', 'L', 'M', 'S', 'S', 'P', 0, 1, 0, 0 };
    static const uint8_t type0[12] = { 'N', 'T', 'L', 'M', 'S', 'S', 'P', 0, 0, 0, 0, 0 };
    static const uint8_t high[12] = { 'N', 'T', 'L', 'M', 'S', 'S', 'P', 0, 1, 0, 0, 1 };
    assert_int_equal(ntlm_message_type(rd_init(type4, 12)), 0);
    assert_int_equal(ntlm_message_type(rd_init(badsig, 12)), 0);
    assert_int_equal(ntlm_message_type(rd_init(short1, 11)), 0);
    assert_int_equal(ntlm_message_type(rd_init(type0, 12)), 0);
    assert_int_equal(ntlm_message_type(rd_init(high, 12)), 0);
    assert_int_equal(ntlm_message_type(rd_init(NULL, 0)), 0);
}

static void test_negotiate_parses_windows_capture(void **state)
{
    void *v = vec_load("ms-nlmp.json");
    struct buf b = vbuf(v, negotiates[0]);
    struct ntlm_negotiate m;
    assert_true(ntlm_parse_negotiate(brd(b), &m));
    assert_int_equal(m.flags, 0xe20882b7u);
    assert_int_equal(m.domain.len, 0);
    assert_int_equal(m.workstation.len, 0);
    assert_true(m.has_version);
    assert_int_equal(m.version.major, 10);
    assert_int_equal(m.version.minor, 0);
    assert_int_equal(m.version.build, 26100);
    assert_int_equal(m.version.revision, NTLMSSP_REVISION_W2K3);
    free(b.p);
    vec_free(v);
}

static void test_challenges_parse_to_published_fields(void **state)
{
    void *v = vec_load("ms-nlmp.json");
    struct buf server = vbuf(v, "common_values_4_2_1/server_name_utf16le");
    struct buf sc = vbuf(v, "common_values_4_2_1/server_challenge");
    const struct {
        const char *msg, *ti;
        uint32_t flags;
    } c[] = {
        { challenges[0], NULL, 0xe2028233u },
        { challenges[1], NULL, 0x820a8233u },
        { challenges[2], "ntlmv2_4_2_4/target_info", 0xe28a8233u },
    };
    for (size_t i = 0; i < COUNT(c); i++) {
        struct buf b = vbuf(v, c[i].msg);
        struct ntlm_challenge m;
        assert_true(ntlm_parse_challenge(brd(b), &m));
        assert_int_equal(m.flags, c[i].flags);
        assert_rd_buf(m.target_name, server);
        assert_memory_equal(m.server_challenge, sc.p, 8);
        assert_true(m.has_version);
        assert_version_equal(&m.version, &v_server);
        if (c[i].ti) {
            struct buf ti = vbuf(v, c[i].ti);
            assert_rd_buf(m.target_info, ti);
            free(ti.p);
        } else {
            assert_int_equal(m.target_info.len, 0);
        }
        free(b.p);
    }
    free(server.p);
    free(sc.p);
    vec_free(v);
}

static void test_challenge_captures_parse_to_published_fields(void **state)
{
    void *v = vec_load("ms-nlmp.json");
    const struct {
        const char *msg, *sc;
        uint32_t flags;
        size_t tn_len, ti_len;
    } c[] = {
        { challenges[3], "supplementary_vectors/windows_capture_with_MIC/server_challenge", 0xe2898235u, 20, 164 },
        { challenges[4], "supplementary_vectors/gss_ntlmssp_channel_binding_capture/server_challenge", 0xa2898205u,
          16, 182 },
    };
    for (size_t i = 0; i < COUNT(c); i++) {
        struct buf b = vbuf(v, c[i].msg), sc = vbuf(v, c[i].sc);
        struct ntlm_challenge m;
        assert_true(ntlm_parse_challenge(brd(b), &m));
        assert_int_equal(m.flags, c[i].flags);
        assert_memory_equal(m.server_challenge, sc.p, 8);
        assert_int_equal(m.target_name.len, c[i].tn_len);
        assert_int_equal(m.target_info.len, c[i].ti_len);
        assert_true(m.has_version);
        free(b.p);
        free(sc.p);
    }
    struct buf b = vbuf(v, challenges[4]), ti = vbuf(v, "supplementary_vectors/gss_ntlmssp_channel_binding_capture/target_info");
    struct ntlm_challenge m;
    assert_true(ntlm_parse_challenge(brd(b), &m));
    assert_rd_buf(m.target_info, ti);
    free(b.p);
    free(ti.p);
    vec_free(v);
}

/* the fields of MS-NLMP 4.2.2.3 / 4.2.3.3 / 4.2.4.3 AUTHENTICATE messages */
static void spec_authenticate(void *v, int which, struct ntlm_authenticate *m, struct buf keep[6])
{
    static const char *const lm[] = { "ntlmv1_4_2_2/lmv1_response", "ntlmv1_with_client_challenge_4_2_3/lmv1_response",
                                      "ntlmv2_4_2_4/lmv2_response" };
    static const char *const nt[] = { "ntlmv1_4_2_2/ntlmv1_response",
                                      "ntlmv1_with_client_challenge_4_2_3/ntlmv1_response",
                                      "ntlmv2_4_2_4/ntlmv2_response" };
    static const char *const key[] = { "ntlmv1_4_2_2/encrypted_random_session_key/default", NULL,
                                       "ntlmv2_4_2_4/encrypted_random_session_key" };
    static const uint32_t flags[] = { 0xe2808235u, 0x82088235u, 0xe2888235u };
    memset(m, 0, sizeof(*m));
    keep[0] = vbuf(v, lm[which]);
    keep[1] = vbuf(v, nt[which]);
    keep[2] = vbuf(v, "common_values_4_2_1/user_domain_utf16le");
    keep[3] = vbuf(v, "common_values_4_2_1/user_utf16le");
    keep[4] = vbuf(v, "common_values_4_2_1/workstation_name_utf16le");
    keep[5] = key[which] ? vbuf(v, key[which]) : (struct buf){ NULL, 0 };
    m->flags = flags[which];
    m->lm_response = brd(keep[0]);
    m->nt_response = brd(keep[1]);
    m->domain = brd(keep[2]);
    m->user = brd(keep[3]);
    m->workstation = brd(keep[4]);
    m->enc_session_key = brd(keep[5]);
    m->has_version = true;
    m->version = v_client;
}

static void free_keep(struct buf *keep, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(keep[i].p);
}

static void test_authenticates_parse_to_published_fields(void **state)
{
    void *v = vec_load("ms-nlmp.json");
    for (int i = 0; i < 3; i++) {
        struct ntlm_authenticate want, m;
        struct buf keep[6];
        struct buf b = vbuf(v, authenticates[i]);
        spec_authenticate(v, i, &want, keep);
        assert_true(ntlm_parse_authenticate(brd(b), &m));
        assert_authenticate_equal(&m, &want);
        assert_false(m.has_mic_room);
        free(b.p);
        free_keep(keep, 6);
    }
    vec_free(v);
}

static void test_authenticate_captures_parse_with_mic(void **state)
{
    void *v = vec_load("ms-nlmp.json");
    const struct {
        const char *msg, *mic, *ntproof;
        uint32_t flags;
        size_t nt_len, key_len;
    } c[] = {
        { authenticates[3], "supplementary_vectors/windows_capture_with_MIC/MIC",
          "supplementary_vectors/windows_capture_with_MIC/NTProofStr", 0xe2888235u, 328, 16 },
        { authenticates[5], "supplementary_vectors/gss_ntlmssp_channel_binding_capture/MIC_in_authenticate",
          "supplementary_vectors/gss_ntlmssp_channel_binding_capture/NTProofStr", 0xa2888205u, 380, 0 },
    };
    for (size_t i = 0; i < COUNT(c); i++) {
        struct buf b = vbuf(v, c[i].msg), mic = vbuf(v, c[i].mic), proof = vbuf(v, c[i].ntproof);
        struct ntlm_authenticate m;
        assert_true(ntlm_parse_authenticate(brd(b), &m));
        assert_int_equal(m.flags, c[i].flags);
        assert_true(m.has_version);
        assert_true(m.has_mic_room);
        assert_memory_equal(m.mic, mic.p, 16);
        assert_int_equal(m.lm_response.len, 24);
        assert_int_equal(m.nt_response.len, c[i].nt_len);
        assert_memory_equal(m.nt_response.p, proof.p, 16);
        assert_int_equal(m.enc_session_key.len, c[i].key_len);
        free(b.p);
        free(mic.p);
        free(proof.p);
    }
    struct buf b = vbuf(v, authenticates[3]);
    struct buf key = vbuf(v, "supplementary_vectors/windows_capture_with_MIC/encrypted_random_session_key");
    static const char user[] = "cbatt-adm@DAN.VMCLOUD", ws[] = "CODY-P2";
    struct ntlm_authenticate m;
    assert_true(ntlm_parse_authenticate(brd(b), &m));
    assert_int_equal(m.domain.len, 0);
    assert_int_equal(m.user.len, 2 * strlen(user));
    for (size_t i = 0; i < strlen(user); i++)
        assert_int_equal(m.user.p[2 * i], user[i]);
    assert_int_equal(m.workstation.len, 2 * strlen(ws));
    assert_rd_buf(m.enc_session_key, key);
    free(b.p);
    free(key.p);
    vec_free(v);
}

static void test_authenticate_zeroed_mic_capture_differs_only_in_mic(void **state)
{
    void *v = vec_load("ms-nlmp.json");
    struct buf a = vbuf(v, authenticates[3]), z = vbuf(v, authenticates[4]);
    struct ntlm_authenticate ma, mz;
    static const uint8_t zero[16];
    assert_true(ntlm_parse_authenticate(brd(a), &ma));
    assert_true(ntlm_parse_authenticate(brd(z), &mz));
    assert_memory_equal(mz.mic, zero, 16);
    memcpy(mz.mic, ma.mic, 16);
    assert_authenticate_equal(&ma, &mz);
    free(a.p);
    free(z.p);
    vec_free(v);
}

/* ---- build: published bytes --------------------------------------------- */

static void test_build_challenge_reproduces_published_bytes(void **state)
{
    void *v = vec_load("ms-nlmp.json");
    struct buf server = vbuf(v, "common_values_4_2_1/server_name_utf16le");
    struct buf sc = vbuf(v, "common_values_4_2_1/server_challenge");
    struct buf ti = vbuf(v, "ntlmv2_4_2_4/target_info");
    const struct {
        const char *msg;
        uint32_t flags;
        bool with_ti;
    } c[] = {
        { challenges[0], 0xe2028233u, false },
        { challenges[1], 0x820a8233u, false },
        { challenges[2], 0xe28a8233u, true },
    };
    for (size_t i = 0; i < COUNT(c); i++) {
        struct ntlm_challenge m;
        struct wr w;
        memset(&m, 0, sizeof(m));
        m.flags = c[i].flags;
        m.target_name = brd(server);
        memcpy(m.server_challenge, sc.p, 8);
        m.target_info = c[i].with_ti ? brd(ti) : rd_init(NULL, 0);
        m.has_version = true;
        m.version = v_server;
        wr_init(&w, 0, 4096, 0);
        assert_true(ntlm_build_challenge(&w, &m));
        assert_vec_bytes(v, c[i].msg, w.buf, w.len);
        wr_free(&w);
    }
    free(server.p);
    free(sc.p);
    free(ti.p);
    vec_free(v);
}

static void test_build_authenticate_reproduces_published_bytes(void **state)
{
    void *v = vec_load("ms-nlmp.json");
    for (int i = 0; i < 3; i++) {
        struct ntlm_authenticate m;
        struct buf keep[6];
        struct wr w;
        size_t mic_at = 12345;
        spec_authenticate(v, i, &m, keep);
        wr_init(&w, 0, 4096, 0);
        assert_true(ntlm_build_authenticate(&w, &m, false, &mic_at));
        assert_int_equal(mic_at, 12345); /* untouched without a MIC */
        assert_vec_bytes(v, authenticates[i], w.buf, w.len);
        wr_free(&w);
        free_keep(keep, 6);
    }
    vec_free(v);
}

/* parse a capture, rebuild it from the parsed fields: the same bytes */
static void test_build_reproduces_captures_from_their_fields(void **state)
{
    void *v = vec_load("ms-nlmp.json");
    struct wr w;

    struct buf n = vbuf(v, negotiates[0]);
    struct ntlm_negotiate nm;
    assert_true(ntlm_parse_negotiate(brd(n), &nm));
    wr_init(&w, 0, 4096, 0);
    assert_true(ntlm_build_negotiate(&w, &nm));
    assert_int_equal(w.len, n.len);
    assert_memory_equal(w.buf, n.p, n.len);
    wr_free(&w);
    free(n.p);

    for (size_t i = 3; i < COUNT(challenges); i++) {
        struct buf b = vbuf(v, challenges[i]);
        struct ntlm_challenge m;
        assert_true(ntlm_parse_challenge(brd(b), &m));
        wr_init(&w, 0, 4096, 0);
        assert_true(ntlm_build_challenge(&w, &m));
        assert_int_equal(w.len, b.len);
        assert_memory_equal(w.buf, b.p, b.len);
        wr_free(&w);
        free(b.p);
    }

    const size_t with_mic[] = { 3, 5 };
    for (size_t i = 0; i < COUNT(with_mic); i++) {
        struct buf b = vbuf(v, authenticates[with_mic[i]]);
        struct ntlm_authenticate m;
        size_t mic_at = 0;
        assert_true(ntlm_parse_authenticate(brd(b), &m));
        wr_init(&w, 0, 4096, 0);
        assert_true(ntlm_build_authenticate(&w, &m, true, &mic_at));
        assert_int_equal(mic_at, NTLM_MIC_OFFSET);
        if (with_mic[i] == 3)
            assert_vec_bytes(v, authenticates[4], w.buf, w.len); /* MIC field still zero */
        assert_true(wr_patch_bytes(&w, mic_at, m.mic, 16));
        assert_int_equal(w.len, b.len);
        assert_memory_equal(w.buf, b.p, b.len);
        wr_free(&w);
        free(b.p);
    }
    vec_free(v);
}

static void test_build_offsets_are_relative_to_message_start(void **state)
{
    void *v = vec_load("ms-nlmp.json");
    struct ntlm_authenticate m;
    struct buf keep[6];
    struct wr w;
    size_t mic_at = 0;
    spec_authenticate(v, 2, &m, keep);
    wr_init(&w, 0, 4096, 0);
    assert_true(wr_bytes(&w, "prefix", 6));
    assert_true(ntlm_build_authenticate(&w, &m, true, &mic_at));
    assert_int_equal(mic_at, NTLM_MIC_OFFSET);
    struct ntlm_authenticate back;
    assert_true(ntlm_parse_authenticate(rd_init(w.buf + 6, w.len - 6), &back));
    m.has_mic_room = true; /* zero MIC */
    assert_authenticate_equal(&back, &m);
    wr_free(&w);
    free_keep(keep, 6);
    vec_free(v);
}

/* ---- rejection: truncation, trailing bytes, bad fields ------------------- */

static void test_every_truncation_is_rejected(void **state)
{
    void *v = vec_load("ms-nlmp.json");
    for (size_t i = 0; i < COUNT(challenges); i++) {
        struct buf b = vbuf(v, challenges[i]);
        for (size_t n = 0; n < b.len; n++) {
            struct ntlm_challenge m;
            assert_false(ntlm_parse_challenge(rd_init(b.p, n), &m));
        }
        free(b.p);
    }
    for (size_t i = 0; i < COUNT(authenticates); i++) {
        struct buf b = vbuf(v, authenticates[i]);
        for (size_t n = 0; n < b.len; n++) {
            struct ntlm_authenticate m;
            assert_false(ntlm_parse_authenticate(rd_init(b.p, n), &m));
        }
        free(b.p);
    }
    struct buf b = vbuf(v, negotiates[0]);
    for (size_t n = 0; n < b.len; n++) {
        struct ntlm_negotiate m;
        bool ok = ntlm_parse_negotiate(rd_init(b.p, n), &m);
        /* the old short forms: 16 bytes, and 32 bytes without VERSION (what follows
         * the header, too short for a VERSION, is trailing bytes) */
        assert_int_equal(ok, n == 16 || n >= 32);
        if (ok)
            assert_false(m.has_version);
    }
    free(b.p);
    vec_free(v);
}

/* parse - the message at path, then again with extra bytes after it: same fields */
static void test_trailing_bytes_are_ignored(void **state)
{
    void *v = vec_load("ms-nlmp.json");
    const struct {
        const char *const *paths;
        size_t n;
    } sets[] = { { negotiates, COUNT(negotiates) },
                 { challenges, COUNT(challenges) },
                 { authenticates, COUNT(authenticates) } };
    for (size_t s = 0; s < COUNT(sets); s++)
        for (size_t i = 0; i < sets[s].n; i++) {
            struct buf b = vbuf(v, sets[s].paths[i]);
            for (size_t extra = 1; extra <= 33; extra += 16) {
                uint8_t *p = malloc(b.len + extra);
                assert_non_null(p);
                memcpy(p, b.p, b.len);
                memset(p + b.len, 0xa5, extra);
                struct rd r = rd_init(p, b.len + extra);
                if (s == 0) {
                    struct ntlm_negotiate m, want;
                    assert_true(ntlm_parse_negotiate(brd(b), &want));
                    assert_true(ntlm_parse_negotiate(r, &m));
                    assert_negotiate_equal(&m, &want);
                } else if (s == 1) {
                    struct ntlm_challenge m, want;
                    assert_true(ntlm_parse_challenge(brd(b), &want));
                    assert_true(ntlm_parse_challenge(r, &m));
                    assert_challenge_equal(&m, &want);
                } else {
                    struct ntlm_authenticate m, want;
                    assert_true(ntlm_parse_authenticate(brd(b), &want));
                    assert_true(ntlm_parse_authenticate(r, &m));
                    assert_authenticate_equal(&m, &want);
                }
                free(p);
            }
            free(b.p);
        }
    vec_free(v);
}

/* gss-ntlmssp pads its AUTHENTICATE with two zero bytes */
static void test_authenticate_with_two_byte_padding_parses(void **state)
{
    void *v = vec_load("ms-nlmp.json");
    struct buf b = vbuf(v, authenticates[2]);
    uint8_t *p = calloc(1, b.len + 2);
    struct ntlm_authenticate m;
    assert_non_null(p);
    memcpy(p, b.p, b.len);
    assert_true(ntlm_parse_authenticate(rd_init(p, b.len + 2), &m));
    assert_int_equal(m.enc_session_key.len, 16);
    assert_ptr_equal(m.enc_session_key.p + 16, p + b.len);
    free(p);
    free(b.p);
    vec_free(v);
}

static void test_parse_rejects_other_message_types(void **state)
{
    void *v = vec_load("ms-nlmp.json");
    struct buf n = vbuf(v, negotiates[0]), c = vbuf(v, challenges[2]), a = vbuf(v, authenticates[2]);
    struct ntlm_negotiate nm;
    struct ntlm_challenge cm;
    struct ntlm_authenticate am;
    assert_false(ntlm_parse_negotiate(brd(c), &nm));
    assert_false(ntlm_parse_negotiate(brd(a), &nm));
    assert_false(ntlm_parse_challenge(brd(n), &cm));
    assert_false(ntlm_parse_challenge(brd(a), &cm));
    assert_false(ntlm_parse_authenticate(brd(n), &am));
    assert_false(ntlm_parse_authenticate(brd(c), &am));
    c.p[7] = 'X'; /* signature without its NUL */
    assert_false(ntlm_parse_challenge(brd(c), &cm));
    c.p[7] = 0;
    c.p[0] = 'n';
    assert_false(ntlm_parse_challenge(brd(c), &cm));
    free(n.p);
    free(c.p);
    free(a.p);
    vec_free(v);
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void test_challenge_rejects_offset_past_end(void **state)
{
    void *v = vec_load("ms-nlmp.json");
    struct buf b = vbuf(v, challenges[2]); /* target name at 12, target info at 40 */
    const uint32_t offs[] = { 104, 93, 105, 0x7fffffffu, 0xffffffffu, 0xfffffffcu };
    for (size_t i = 0; i < COUNT(offs); i++) {
        struct ntlm_challenge m;
        uint8_t save[4];
        memcpy(save, b.p + 44, 4);
        put32(b.p + 44, offs[i]);
        assert_false(ntlm_parse_challenge(brd(b), &m));
        memcpy(b.p + 44, save, 4);
        memcpy(save, b.p + 16, 4);
        put32(b.p + 16, offs[i]);
        assert_false(ntlm_parse_challenge(brd(b), &m));
        memcpy(b.p + 16, save, 4);
    }
    put16(b.p + 40, 37); /* target info one byte longer than the message */
    struct ntlm_challenge m;
    assert_false(ntlm_parse_challenge(brd(b), &m));
    put16(b.p + 40, 0xffff);
    assert_false(ntlm_parse_challenge(brd(b), &m));
    free(b.p);
    vec_free(v);
}

static void test_challenge_rejects_field_inside_header(void **state)
{
    void *v = vec_load("ms-nlmp.json");
    struct buf b = vbuf(v, challenges[2]);
    const uint32_t offs[] = { 0, 12, 40, 47 };
    for (size_t i = 0; i < COUNT(offs); i++) {
        struct ntlm_challenge m;
        put32(b.p + 16, offs[i]); /* target name (12 bytes) starting in the header */
        assert_false(ntlm_parse_challenge(brd(b), &m));
    }
    free(b.p);
    vec_free(v);
}

static void test_authenticate_rejects_offset_past_end_or_inside_header(void **state)
{
    void *v = vec_load("ms-nlmp.json");
    struct buf b = vbuf(v, authenticates[2]);
    for (size_t field = 0; field < 6; field++) {
        size_t at = 12 + 8 * field + 4;
        const uint32_t offs[] = { 0, 8, 60, 63, (uint32_t)b.len, 0xffffffffu, (uint32_t)b.len - 1 };
        for (size_t i = 0; i < COUNT(offs); i++) {
            struct ntlm_authenticate m;
            uint8_t save[4];
            memcpy(save, b.p + at, 4);
            put32(b.p + at, offs[i]);
            assert_false(ntlm_parse_authenticate(brd(b), &m));
            memcpy(b.p + at, save, 4);
        }
    }
    free(b.p);
    vec_free(v);
}

static void test_maxlen_may_differ_from_len(void **state)
{
    void *v = vec_load("ms-nlmp.json");
    struct buf b = vbuf(v, authenticates[2]);
    struct ntlm_authenticate want, m;
    assert_true(ntlm_parse_authenticate(brd(b), &want));
    const uint16_t maxlens[] = { 0, 1, 0xffff };
    for (size_t i = 0; i < COUNT(maxlens); i++) {
        for (size_t field = 0; field < 6; field++)
            put16(b.p + 12 + 8 * field + 2, maxlens[i]);
        assert_true(ntlm_parse_authenticate(brd(b), &m));
        assert_authenticate_equal(&m, &want);
    }
    free(b.p);
    vec_free(v);
}

static void test_empty_field_offset_is_ignored(void **state)
{
    void *v = vec_load("ms-nlmp.json");
    struct buf b = vbuf(v, authenticates[1]); /* session key (0, 0, 156) */
    struct ntlm_authenticate m;
    const uint32_t offs[] = { 0, 12, 157, 0xffffffffu };
    for (size_t i = 0; i < COUNT(offs); i++) {
        put32(b.p + 56, offs[i]);
        assert_true(ntlm_parse_authenticate(brd(b), &m));
        assert_int_equal(m.enc_session_key.len, 0);
    }
    free(b.p);
    vec_free(v);
}

static void test_fields_may_overlap_each_other(void **state)
{
    void *v = vec_load("ms-nlmp.json");
    struct buf b = vbuf(v, authenticates[2]);
    struct ntlm_authenticate m;
    put32(b.p + 12 + 4, 132); /* LM response aliases the NT response's first 24 bytes */
    assert_true(ntlm_parse_authenticate(brd(b), &m));
    assert_ptr_equal(m.lm_response.p, m.nt_response.p);
    free(b.p);
    vec_free(v);
}

static void test_version_needs_its_flag(void **state)
{
    void *v = vec_load("ms-nlmp.json");
    struct buf a = vbuf(v, authenticates[2]), c = vbuf(v, challenges[2]), n = vbuf(v, negotiates[0]);
    struct ntlm_authenticate am;
    struct ntlm_challenge cm;
    struct ntlm_negotiate nm;
    a.p[63] &= (uint8_t)~0x02; /* NTLMSSP_NEGOTIATE_VERSION is 0x02000000 */
    c.p[23] &= (uint8_t)~0x02;
    n.p[15] &= (uint8_t)~0x02;
    assert_true(ntlm_parse_authenticate(brd(a), &am));
    assert_true(ntlm_parse_challenge(brd(c), &cm));
    assert_true(ntlm_parse_negotiate(brd(n), &nm));
    assert_false(am.has_version);
    assert_false(cm.has_version);
    assert_false(nm.has_version);
    assert_int_equal(am.version.build, 0);
    assert_int_equal(cm.version.build, 0);
    assert_int_equal(nm.version.build, 0);
    free(a.p);
    free(c.p);
    free(n.p);
    vec_free(v);
}

/* build_auth_raw - an AUTHENTICATE with the given header length (64, 72, 88 ...)
 * and one 4-byte user name at its end, or no field at all when !with_user */
static struct buf build_auth_raw(size_t hdr_len, bool with_user, uint32_t flags)
{
    struct buf b;
    b.len = hdr_len + (with_user ? 4 : 0);
    b.p = calloc(1, b.len);
    assert_non_null(b.p);
    memcpy(b.p, NTLM_SIGNATURE, 8);
    b.p[8] = NTLM_AUTHENTICATE;
    if (with_user) {
        put16(b.p + 36, 4);
        put16(b.p + 38, 4);
        put32(b.p + 40, (uint32_t)hdr_len);
        memcpy(b.p + hdr_len, "u\0s\0", 4);
    }
    put32(b.p + 60, flags);
    return b;
}

static void test_authenticate_header_length_follows_payload_offset(void **state)
{
    const struct {
        size_t hdr;
        bool version, mic;
    } c[] = {
        { 64, false, false }, { 71, false, false }, { 72, true, false },
        { 80, true, false },  { 87, true, false },  { 88, true, true },
        { 100, true, true },
    };
    for (size_t i = 0; i < COUNT(c); i++) {
        struct buf b = build_auth_raw(c[i].hdr, true, NTLMSSP_NEGOTIATE_VERSION);
        struct ntlm_authenticate m;
        if (c[i].version)
            b.p[64] = 10; /* major */
        if (c[i].mic)
            b.p[72] = 0x5a;
        assert_true(ntlm_parse_authenticate(brd(b), &m));
        assert_int_equal(m.has_version, c[i].version);
        assert_int_equal(m.version.major, c[i].version ? 10 : 0);
        assert_int_equal(m.has_mic_room, c[i].mic);
        assert_int_equal(m.mic[0], c[i].mic ? 0x5a : 0);
        assert_int_equal(m.user.len, 4);
        free(b.p);
    }
}

/* with every field empty the message length stands for the payload offset */
static void test_authenticate_with_all_fields_empty_takes_header_from_length(void **state)
{
    for (size_t len = 60; len <= 96; len++) {
        struct buf b = build_auth_raw(len < 64 ? 64 : len, false, NTLMSSP_NEGOTIATE_VERSION);
        struct ntlm_authenticate m;
        bool ok = ntlm_parse_authenticate(rd_init(b.p, len), &m);
        assert_int_equal(ok, len >= 64);
        if (ok) {
            assert_int_equal(m.has_version, len >= 72);
            assert_int_equal(m.has_mic_room, len >= 88);
        }
        free(b.p);
    }
}

static void test_challenge_short_forms(void **state)
{
    void *v = vec_load("ms-nlmp.json");
    struct buf b = vbuf(v, challenges[2]);
    struct ntlm_challenge m;
    uint8_t msg[104];
    assert_int_equal(b.len, sizeof(msg));
    memcpy(msg, b.p, sizeof(msg));
    memset(msg + 12, 0, 8); /* empty target name */
    assert_true(ntlm_parse_challenge(rd_init(msg, 32), &m));
    assert_int_equal(m.target_name.len, 0);
    assert_int_equal(m.target_info.len, 0);
    assert_false(m.has_version);
    assert_int_equal(m.flags, 0xe28a8233u);
    assert_false(ntlm_parse_challenge(rd_init(msg, 40), &m));
    memset(msg + 40, 0, 8); /* empty target info: 48 and 56 bytes are whole headers */
    assert_true(ntlm_parse_challenge(rd_init(msg, 48), &m));
    assert_false(m.has_version);
    assert_true(ntlm_parse_challenge(rd_init(msg, 56), &m));
    assert_true(m.has_version);
    assert_true(ntlm_parse_challenge(rd_init(msg, 52), &m)); /* 48 and trailing bytes */
    assert_false(m.has_version);
    free(b.p);
    vec_free(v);
}

static void test_parse_leaves_output_untouched_on_failure(void **state)
{
    void *v = vec_load("ms-nlmp.json");
    struct buf a = vbuf(v, authenticates[3]), c = vbuf(v, challenges[3]), n = vbuf(v, negotiates[0]);
    struct ntlm_authenticate am, am0;
    struct ntlm_challenge cm, cm0;
    struct ntlm_negotiate nm, nm0;
    memset(&am, 0xa5, sizeof(am));
    memset(&cm, 0xa5, sizeof(cm));
    memset(&nm, 0xa5, sizeof(nm));
    am0 = am;
    cm0 = cm;
    nm0 = nm;
    assert_false(ntlm_parse_authenticate(rd_init(a.p, a.len - 1), &am));
    assert_false(ntlm_parse_challenge(rd_init(c.p, c.len - 1), &cm));
    assert_false(ntlm_parse_negotiate(rd_init(n.p, 31), &nm));
    assert_memory_equal(&am, &am0, sizeof(am));
    assert_memory_equal(&cm, &cm0, sizeof(cm));
    assert_memory_equal(&nm, &nm0, sizeof(nm));
    free(a.p);
    free(c.p);
    free(n.p);
    vec_free(v);
}

static void test_every_flipped_byte_parses_consistently_or_fails(void **state)
{
    void *v = vec_load("ms-nlmp.json");
    const struct {
        const char *const *paths;
        size_t n;
    } sets[] = { { negotiates, COUNT(negotiates) },
                 { challenges, COUNT(challenges) },
                 { authenticates, COUNT(authenticates) } };
    for (size_t s = 0; s < COUNT(sets); s++)
        for (size_t i = 0; i < sets[s].n; i++) {
            struct buf b = vbuf(v, sets[s].paths[i]);
            for (size_t at = 0; at < b.len; at++) {
                b.p[at] ^= 0xff;
                struct wr w;
                wr_init(&w, 0, 1 << 20, 0);
                if (s == 0) {
                    struct ntlm_negotiate m, back;
                    if (ntlm_parse_negotiate(brd(b), &m)) {
                        assert_true(ntlm_build_negotiate(&w, &m));
                        assert_true(ntlm_parse_negotiate(rd_init(w.buf, w.len), &back));
                        assert_negotiate_equal(&m, &back);
                    }
                } else if (s == 1) {
                    struct ntlm_challenge m, back;
                    if (ntlm_parse_challenge(brd(b), &m)) {
                        assert_true(ntlm_build_challenge(&w, &m));
                        assert_true(ntlm_parse_challenge(rd_init(w.buf, w.len), &back));
                        assert_challenge_equal(&m, &back);
                    }
                } else {
                    struct ntlm_authenticate m, back;
                    size_t mic_at;
                    if (ntlm_parse_authenticate(brd(b), &m)) {
                        assert_true(ntlm_build_authenticate(&w, &m, m.has_mic_room, &mic_at));
                        if (m.has_mic_room)
                            assert_true(wr_patch_bytes(&w, mic_at, m.mic, 16));
                        assert_true(ntlm_parse_authenticate(rd_init(w.buf, w.len), &back));
                        assert_authenticate_equal(&m, &back);
                    }
                }
                wr_free(&w);
                b.p[at] ^= 0xff;
            }
            free(b.p);
        }
    vec_free(v);
}

/* ---- round trips --------------------------------------------------------- */

static void test_negotiate_round_trips_with_oem_strings(void **state)
{
    struct ntlm_negotiate m, back;
    struct wr w;
    memset(&m, 0, sizeof(m));
    m.flags = NTLMSSP_NEGOTIATE_UNICODE | NTLMSSP_NEGOTIATE_OEM_DOMAIN_SUPPLIED
            | NTLMSSP_NEGOTIATE_OEM_WORKSTATION_SUPPLIED | NTLMSSP_NEGOTIATE_VERSION;
    m.domain = rd_init("DOMAIN", 6);
    m.workstation = rd_init("WS", 2);
    m.has_version = true;
    m.version = v_client;
    wr_init(&w, 0, 4096, 0);
    assert_true(ntlm_build_negotiate(&w, &m));
    assert_int_equal(w.len, 40 + 6 + 2);
    assert_true(ntlm_parse_negotiate(rd_init(w.buf, w.len), &back));
    assert_negotiate_equal(&m, &back);
    wr_free(&w);

    m.has_version = false; /* flag set but no room: parsed as absent */
    memset(&m.version, 0, sizeof(m.version));
    wr_init(&w, 0, 4096, 0);
    assert_true(ntlm_build_negotiate(&w, &m));
    assert_int_equal(w.len, 32 + 6 + 2);
    assert_true(ntlm_parse_negotiate(rd_init(w.buf, w.len), &back));
    assert_negotiate_equal(&m, &back);
    wr_free(&w);
}

static void test_negotiate_16_byte_form_is_accepted(void **state)
{
    static const uint8_t msg[16] = { 'N', 'T', 'L', 'M', 'S', 'S', 'P', 0, 1, 0, 0, 0, 0x07, 0x82, 0x08, 0x00 };
    struct ntlm_negotiate m;
    assert_true(ntlm_parse_negotiate(rd_init(msg, 16), &m));
    assert_int_equal(m.flags, 0x00088207u);
    assert_false(m.has_version);
    assert_int_equal(m.domain.len, 0);
}

static void test_authenticate_round_trips_without_version(void **state)
{
    void *v = vec_load("ms-nlmp.json");
    struct ntlm_authenticate m, back;
    struct buf keep[6];
    struct wr w;
    size_t mic_at;
    spec_authenticate(v, 0, &m, keep);
    m.has_version = false;
    memset(&m.version, 0, sizeof(m.version));
    m.flags &= ~NTLMSSP_NEGOTIATE_VERSION;
    wr_init(&w, 0, 4096, 0);
    assert_true(ntlm_build_authenticate(&w, &m, false, &mic_at));
    assert_int_equal(w.len, 64 + 24 + 24 + 12 + 8 + 16 + 16);
    assert_true(ntlm_parse_authenticate(rd_init(w.buf, w.len), &back));
    assert_authenticate_equal(&m, &back);
    wr_free(&w);

    /* a MIC without VERSION still writes the (zero) VERSION field before it */
    wr_init(&w, 0, 4096, 0);
    assert_true(ntlm_build_authenticate(&w, &m, true, &mic_at));
    assert_int_equal(mic_at, NTLM_MIC_OFFSET);
    assert_true(ntlm_parse_authenticate(rd_init(w.buf, w.len), &back));
    m.has_mic_room = true;
    assert_authenticate_equal(&m, &back);
    wr_free(&w);
    free_keep(keep, 6);
    vec_free(v);
}

static void test_anonymous_authenticate_round_trips(void **state)
{
    static const uint8_t z1[1];
    struct ntlm_authenticate m, back;
    struct wr w;
    size_t mic_at;
    memset(&m, 0, sizeof(m));
    m.flags = NTLMSSP_ANONYMOUS | NTLMSSP_NEGOTIATE_UNICODE | NTLMSSP_NEGOTIATE_VERSION;
    m.lm_response = rd_init(z1, 1);
    m.has_version = true;
    m.version = v_client;
    wr_init(&w, 0, 4096, 0);
    assert_true(ntlm_build_authenticate(&w, &m, false, &mic_at));
    assert_int_equal(w.len, 73);
    assert_true(ntlm_parse_authenticate(rd_init(w.buf, w.len), &back));
    assert_authenticate_equal(&m, &back);
    wr_free(&w);
}

static void test_build_rejects_field_longer_than_0xffff(void **state)
{
    uint8_t *big = calloc(1, 0x10000);
    struct wr w;
    struct ntlm_challenge c;
    struct ntlm_negotiate n;
    struct ntlm_authenticate a;
    size_t mic_at;
    assert_non_null(big);
    memset(&c, 0, sizeof(c));
    memset(&n, 0, sizeof(n));
    memset(&a, 0, sizeof(a));
    c.target_info = rd_init(big, 0x10000);
    n.workstation = rd_init(big, 0x10000);
    a.nt_response = rd_init(big, 0x10000);
    wr_init(&w, 0, 1 << 20, 0);
    assert_false(ntlm_build_challenge(&w, &c));
    wr_free(&w);
    wr_init(&w, 0, 1 << 20, 0);
    assert_false(ntlm_build_negotiate(&w, &n));
    wr_free(&w);
    wr_init(&w, 0, 1 << 20, 0);
    assert_false(ntlm_build_authenticate(&w, &a, false, &mic_at));
    wr_free(&w);
    a.nt_response = rd_init(big, 0xffff); /* the largest field fits */
    wr_init(&w, 0, 1 << 20, 0);
    assert_true(ntlm_build_authenticate(&w, &a, false, &mic_at));
    struct ntlm_authenticate back;
    assert_true(ntlm_parse_authenticate(rd_init(w.buf, w.len), &back));
    assert_int_equal(back.nt_response.len, 0xffff);
    wr_free(&w);
    free(big);
}

static void test_build_fails_when_writer_is_too_small(void **state)
{
    void *v = vec_load("ms-nlmp.json");
    struct ntlm_authenticate m;
    struct buf keep[6];
    size_t mic_at;
    spec_authenticate(v, 2, &m, keep);
    for (size_t cap = 0; cap < 232; cap += 7) {
        uint8_t out[232];
        struct wr w;
        wr_init_fixed(&w, out, cap);
        assert_false(ntlm_build_authenticate(&w, &m, false, &mic_at));
    }
    uint8_t out[232];
    struct wr w;
    wr_init_fixed(&w, out, sizeof(out));
    assert_true(ntlm_build_authenticate(&w, &m, false, &mic_at));
    assert_vec_bytes(v, authenticates[2], out, sizeof(out));
    free_keep(keep, 6);
    vec_free(v);
}

/* ---- NTLMv2 client challenge --------------------------------------------- */

static void test_v2_blob_parses_published_response(void **state)
{
    void *v = vec_load("ms-nlmp.json");
    struct buf nt = vbuf(v, "ntlmv2_4_2_4/ntlmv2_response"), ti = vbuf(v, "ntlmv2_4_2_4/target_info");
    struct buf cc = vbuf(v, "common_values_4_2_1/client_challenge");
    uint8_t proof[16];
    struct ntlm_v2_blob b;
    assert_true(ntlm_parse_v2_blob(brd(nt), proof, &b));
    assert_vec_bytes(v, "ntlmv2_4_2_4/NTProofStr", proof, 16);
    assert_int_equal(b.resp_type, 1);
    assert_int_equal(b.hi_resp_type, 1);
    assert_true(b.timestamp == 0);
    assert_memory_equal(b.client_challenge, cc.p, 8);
    assert_rd_buf(b.av_pairs, ti);
    free(nt.p);
    free(ti.p);
    free(cc.p);
    vec_free(v);
}

static void test_v2_blob_build_reproduces_published_temp(void **state)
{
    void *v = vec_load("ms-nlmp.json");
    struct buf ti = vbuf(v, "ntlmv2_4_2_4/target_info"), cc = vbuf(v, "common_values_4_2_1/client_challenge");
    struct wr w;
    wr_init(&w, 0, 4096, 0);
    assert_true(ntlm_build_v2_blob(&w, 0, cc.p, brd(ti)));
    assert_vec_bytes(v, "ntlmv2_4_2_4/temp_ntlmv2_client_challenge", w.buf, w.len);
    wr_free(&w);
    free(ti.p);
    free(cc.p);
    vec_free(v);
}

static void test_v2_blob_parses_captures_with_4_and_8_bytes_of_padding(void **state)
{
    void *v = vec_load("ms-nlmp.json");
    const struct {
        const char *msg, *cc;
        uint64_t ts;
    } c[] = {
        { authenticates[3], "supplementary_vectors/windows_capture_with_MIC/client_challenge", 0x01dbd011fb1bc67eull },
        { authenticates[5], NULL, 0x01cdde0bc33fe77bull },
    };
    for (size_t i = 0; i < COUNT(c); i++) {
        struct buf b = vbuf(v, c[i].msg);
        struct ntlm_authenticate m;
        struct ntlm_v2_blob blob;
        uint8_t proof[16];
        assert_true(ntlm_parse_authenticate(brd(b), &m));
        assert_true(ntlm_parse_v2_blob(m.nt_response, proof, &blob));
        assert_memory_equal(proof, m.nt_response.p, 16);
        assert_true(blob.timestamp == c[i].ts);
        if (c[i].cc) {
            struct buf cc = vbuf(v, c[i].cc);
            assert_memory_equal(blob.client_challenge, cc.p, 8);
            free(cc.p);
        }
        /* the list ends with EOL; what follows up to the end is padding */
        assert_true(blob.av_pairs.len >= 4);
        assert_memory_equal(blob.av_pairs.p + blob.av_pairs.len - 4, "\0\0\0\0", 4);
        size_t pad = (size_t)(m.nt_response.p + m.nt_response.len - (blob.av_pairs.p + blob.av_pairs.len));
        assert_int_equal(pad, i == 0 ? 4 : 8);

        /* rebuilding with our 4-byte padding gives back the same parse */
        struct wr w;
        struct ntlm_v2_blob again;
        uint8_t proof2[16];
        wr_init(&w, 0, 4096, 0);
        assert_true(wr_bytes(&w, proof, 16));
        assert_true(ntlm_build_v2_blob(&w, blob.timestamp, blob.client_challenge, blob.av_pairs));
        assert_true(ntlm_parse_v2_blob(rd_init(w.buf, w.len), proof2, &again));
        assert_memory_equal(proof2, proof, 16);
        assert_true(again.timestamp == blob.timestamp);
        assert_memory_equal(again.client_challenge, blob.client_challenge, 8);
        assert_rd_equal(again.av_pairs, blob.av_pairs);
        if (i == 0) {
            assert_int_equal(w.len, m.nt_response.len);
            assert_memory_equal(w.buf, m.nt_response.p, w.len);
        }
        wr_free(&w);
        free(b.p);
    }
    vec_free(v);
}

static void test_v2_blob_rejects_malformed(void **state)
{
    void *v = vec_load("ms-nlmp.json");
    struct buf nt = vbuf(v, "ntlmv2_4_2_4/ntlmv2_response");
    uint8_t proof[16], proof0[16];
    struct ntlm_v2_blob b, b0;
    memset(proof, 0x77, sizeof(proof));
    memset(&b, 0x77, sizeof(b));
    memcpy(proof0, proof, sizeof(proof));
    b0 = b;
    /* every truncation that cuts the header or the list (the last 4 bytes are padding) */
    for (size_t n = 0; n < nt.len - 4; n++)
        assert_false(ntlm_parse_v2_blob(rd_init(nt.p, n), proof, &b));
    assert_memory_equal(proof, proof0, 16);
    assert_memory_equal(&b, &b0, sizeof(b));
    for (size_t n = nt.len - 4; n <= nt.len; n++)
        assert_true(ntlm_parse_v2_blob(rd_init(nt.p, n), proof, &b));

    nt.p[16] = 2; /* RespType */
    assert_false(ntlm_parse_v2_blob(brd(nt), proof, &b));
    nt.p[16] = 1;
    nt.p[17] = 0; /* HiRespType */
    assert_false(ntlm_parse_v2_blob(brd(nt), proof, &b));
    nt.p[17] = 1;
    nt.p[nt.len - 1] = 1; /* non-zero padding */
    assert_false(ntlm_parse_v2_blob(brd(nt), proof, &b));
    nt.p[nt.len - 1] = 0;
    nt.p[18] = 0xff; /* Reserved1: ignored */
    assert_true(ntlm_parse_v2_blob(brd(nt), proof, &b));
    free(nt.p);
    vec_free(v);
}

/* ---- names --------------------------------------------------------------- */

static void test_flag_names_follow_ms_nlmp(void **state)
{
    assert_string_equal(ntlm_flag_name(NTLMSSP_NEGOTIATE_UNICODE), "NTLMSSP_NEGOTIATE_UNICODE");
    assert_string_equal(ntlm_flag_name(NTLMSSP_NEGOTIATE_SEAL), "NTLMSSP_NEGOTIATE_SEAL");
    assert_string_equal(ntlm_flag_name(NTLMSSP_ANONYMOUS), "NTLMSSP_ANONYMOUS");
    assert_string_equal(ntlm_flag_name(NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY),
                        "NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY");
    assert_string_equal(ntlm_flag_name(NTLMSSP_NEGOTIATE_VERSION), "NTLMSSP_NEGOTIATE_VERSION");
    assert_string_equal(ntlm_flag_name(NTLMSSP_NEGOTIATE_56), "NTLMSSP_NEGOTIATE_56");
    assert_string_equal(ntlm_flag_name(0x00000008u), "r10");
    assert_string_equal(ntlm_flag_name(0x10000000u), "r1");
    for (unsigned i = 0; i < 32; i++)
        assert_non_null(ntlm_flag_name(1u << i));
    assert_null(ntlm_flag_name(0));
    assert_null(ntlm_flag_name(3));
    assert_null(ntlm_flag_name(0xffffffffu));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_message_type_recognises_published_messages),
        cmocka_unit_test(test_message_type_is_zero_for_other_bytes),
        cmocka_unit_test(test_negotiate_parses_windows_capture),
        cmocka_unit_test(test_challenges_parse_to_published_fields),
        cmocka_unit_test(test_challenge_captures_parse_to_published_fields),
        cmocka_unit_test(test_authenticates_parse_to_published_fields),
        cmocka_unit_test(test_authenticate_captures_parse_with_mic),
        cmocka_unit_test(test_authenticate_zeroed_mic_capture_differs_only_in_mic),
        cmocka_unit_test(test_build_challenge_reproduces_published_bytes),
        cmocka_unit_test(test_build_authenticate_reproduces_published_bytes),
        cmocka_unit_test(test_build_reproduces_captures_from_their_fields),
        cmocka_unit_test(test_build_offsets_are_relative_to_message_start),
        cmocka_unit_test(test_every_truncation_is_rejected),
        cmocka_unit_test(test_trailing_bytes_are_ignored),
        cmocka_unit_test(test_authenticate_with_two_byte_padding_parses),
        cmocka_unit_test(test_parse_rejects_other_message_types),
        cmocka_unit_test(test_challenge_rejects_offset_past_end),
        cmocka_unit_test(test_challenge_rejects_field_inside_header),
        cmocka_unit_test(test_authenticate_rejects_offset_past_end_or_inside_header),
        cmocka_unit_test(test_maxlen_may_differ_from_len),
        cmocka_unit_test(test_empty_field_offset_is_ignored),
        cmocka_unit_test(test_fields_may_overlap_each_other),
        cmocka_unit_test(test_version_needs_its_flag),
        cmocka_unit_test(test_authenticate_header_length_follows_payload_offset),
        cmocka_unit_test(test_authenticate_with_all_fields_empty_takes_header_from_length),
        cmocka_unit_test(test_challenge_short_forms),
        cmocka_unit_test(test_parse_leaves_output_untouched_on_failure),
        cmocka_unit_test(test_every_flipped_byte_parses_consistently_or_fails),
        cmocka_unit_test(test_negotiate_round_trips_with_oem_strings),
        cmocka_unit_test(test_negotiate_16_byte_form_is_accepted),
        cmocka_unit_test(test_authenticate_round_trips_without_version),
        cmocka_unit_test(test_anonymous_authenticate_round_trips),
        cmocka_unit_test(test_build_rejects_field_longer_than_0xffff),
        cmocka_unit_test(test_build_fails_when_writer_is_too_small),
        cmocka_unit_test(test_v2_blob_parses_published_response),
        cmocka_unit_test(test_v2_blob_build_reproduces_published_temp),
        cmocka_unit_test(test_v2_blob_parses_captures_with_4_and_8_bytes_of_padding),
        cmocka_unit_test(test_v2_blob_rejects_malformed),
        cmocka_unit_test(test_flag_names_follow_ms_nlmp),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
