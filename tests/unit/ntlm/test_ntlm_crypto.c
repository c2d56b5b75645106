/* tests/unit/ntlm/test_ntlm_crypto.c - src/ntlm/ntlm_crypto.c against every
 * value of tests/vectors/ms-nlmp.json: MS-NLMP 4.2.2 (NTLMv1), 4.2.3 (NTLMv1
 * with client challenge), 4.2.4 (NTLMv2), the seal key variants, the Windows
 * MIC capture, the channel-binding capture and structure, the UTF-16
 * surrogate hash; plus round trips and tampering for session security. */
#include "ntlm/ntlm_crypto.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include <cjson/cJSON.h>

#include "vectors.h"

static void *V;

static int load(void **state)
{
    V = vec_load("ms-nlmp.json");
    return 0;
}

static int unload(void **state)
{
    vec_free(V);
    return 0;
}

/* hex - the vector at path, which must be n bytes long (n == 0: any length,
 * returned in *len when len is not NULL). Freed by the caller. */
static uint8_t *hex(const char *path, size_t n, size_t *len)
{
    size_t l;
    uint8_t *b = vec_hex(V, path, &l);
    if (n)
        assert_int_equal(l, n);
    if (len)
        *len = l;
    return b;
}

#define assert_vec(path, p, n) assert_vec_bytes(V, (path), (p), (n))

/* ascii16 - UTF-16LE of an ASCII string into out; returns the byte length. */
static size_t ascii16(const char *s, uint8_t *out)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = (uint8_t)s[i];
        out[2 * i + 1] = 0;
    }
    return 2 * n;
}

static uint32_t flags_at(const char *path)
{
    const char *s = vec_str(V, path);
    assert_non_null(s);
    return (uint32_t)strtoul(s, NULL, 16);
}

/* field - an NTLM (len u16, maxlen u16, offset u32) field header at hdr_off. */
static const uint8_t *field(const uint8_t *msg, size_t msg_len, size_t hdr_off, size_t *len)
{
    assert_true(hdr_off + 8 <= msg_len);
    size_t l = (size_t)(msg[hdr_off] | msg[hdr_off + 1] << 8);
    size_t off = (size_t)msg[hdr_off + 4] | (size_t)msg[hdr_off + 5] << 8
               | (size_t)msg[hdr_off + 6] << 16 | (size_t)msg[hdr_off + 7] << 24;
    assert_true(off <= msg_len && l <= msg_len - off);
    *len = l;
    return msg + off;
}

#define C421 "common_values_4_2_1/"
#define V1 "ntlmv1_4_2_2/"
#define V1E "ntlmv1_with_client_challenge_4_2_3/"
#define V2 "ntlmv2_4_2_4/"
#define SUP "supplementary_vectors/"

/* ---- 4.2.2 NTLMv1 ---------------------------------------------------------- */

static void test_ntowfv1_of_password_matches_4_2_2(void **state)
{
    size_t n;
    uint8_t *pw = hex(C421 "password_utf16le", 0, &n), out[16];
    ntlm_ntowfv1(pw, n, out);
    assert_vec(V1 "NTOWFv1", out, 16);
    free(pw);
}

static void test_lmowfv1_uppercases_and_matches_4_2_2(void **state)
{
    if (!sspi_des_available())
        skip();
    uint8_t out[16];
    assert_true(ntlm_lmowfv1("Password", 8, out));
    assert_vec(V1 "LMOWFv1", out, 16);
    assert_true(ntlm_lmowfv1("PASSWORD", 8, out));
    assert_vec(V1 "LMOWFv1", out, 16);
}

static void test_lmowfv1_truncates_passwords_longer_than_14(void **state)
{
    if (!sspi_des_available())
        skip();
    uint8_t a[16], b[16];
    assert_true(ntlm_lmowfv1("abcdefghijklmnXYZ", 17, a));
    assert_true(ntlm_lmowfv1("ABCDEFGHIJKLMN", 14, b));
    assert_memory_equal(a, b, 16);
}

static void test_v1_session_base_key_matches_4_2_2(void **state)
{
    uint8_t *nt = hex(V1 "NTOWFv1", 16, NULL), out[16];
    ntlm_v1_session_base_key(nt, out);
    assert_vec(V1 "session_base_key", out, 16);
    free(nt);
}

static void test_v1_responses_match_4_2_2(void **state)
{
    if (!sspi_des_available())
        skip();
    uint8_t *nt = hex(V1 "NTOWFv1", 16, NULL), *lm = hex(V1 "LMOWFv1", 16, NULL);
    uint8_t *sc = hex(C421 "server_challenge", 8, NULL);
    uint8_t ntr[24], lmr[24];
    assert_true(ntlm_v1_responses(nt, lm, sc, NULL, ntr, lmr));
    assert_vec(V1 "ntlmv1_response", ntr, 24);
    assert_vec(V1 "lmv1_response", lmr, 24);
    /* no LM hash: the LM field carries a copy of the NT response */
    assert_true(ntlm_v1_responses(nt, NULL, sc, NULL, ntr, lmr));
    assert_vec(V1 "ntlmv1_response", lmr, 24);
    assert_true(ntlm_v1_responses(nt, lm, sc, NULL, ntr, NULL));
    assert_vec(V1 "ntlmv1_response", ntr, 24);
    free(nt);
    free(lm);
    free(sc);
}

static void test_v1_key_exchange_keys_match_4_2_2(void **state)
{
    if (!sspi_des_available())
        skip();
    uint8_t *sbk = hex(V1 "session_base_key", 16, NULL), *lm = hex(V1 "LMOWFv1", 16, NULL);
    uint8_t *lmr = hex(V1 "lmv1_response", 24, NULL), *sc = hex(C421 "server_challenge", 8, NULL);
    uint8_t out[16];
    assert_true(ntlm_kxkey(0xe2028233u, false, sbk, lm, lmr, sc, out));
    assert_vec(V1 "key_exchange_key/default", out, 16);
    assert_true(ntlm_kxkey(0xe2028233u | NTLMSSP_NEGOTIATE_LM_KEY, false, sbk, lm, lmr, sc, out));
    assert_vec(V1 "key_exchange_key/with_NEGOTIATE_LM_KEY", out, 16);
    assert_true(ntlm_kxkey(0xe2028233u | NTLMSSP_REQUEST_NON_NT_SESSION_KEY, false, sbk, lm, lmr,
                           sc, out));
    assert_vec(V1 "key_exchange_key/with_REQUEST_NON_NT_SESSION_KEY", out, 16);
    free(sbk);
    free(lm);
    free(lmr);
    free(sc);
}

static void test_kxkey_fails_when_a_needed_input_is_missing(void **state)
{
    uint8_t k[16] = { 0 }, out[16];
    assert_false(ntlm_kxkey(NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY, false, k, k, NULL, k, out));
    assert_false(ntlm_kxkey(NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY, false, k, k, k, NULL, out));
    assert_false(ntlm_kxkey(NTLMSSP_NEGOTIATE_LM_KEY, false, k, NULL, k, k, out));
    assert_false(ntlm_kxkey(NTLMSSP_REQUEST_NON_NT_SESSION_KEY, false, k, NULL, k, k, out));
    /* v2 needs only the session base key */
    assert_true(ntlm_kxkey(NTLMSSP_NEGOTIATE_LM_KEY, true, k, NULL, NULL, NULL, out));
}

static void test_encrypted_session_keys_match_4_2_2(void **state)
{
    static const char *const kx[3] = { V1 "key_exchange_key/default",
                                       V1 "key_exchange_key/with_REQUEST_NON_NT_SESSION_KEY",
                                       V1 "key_exchange_key/with_NEGOTIATE_LM_KEY" };
    static const char *const enc[3] = {
        V1 "encrypted_random_session_key/default",
        V1 "encrypted_random_session_key/with_REQUEST_NON_NT_SESSION_KEY",
        V1 "encrypted_random_session_key/with_NEGOTIATE_LM_KEY"
    };
    uint8_t *rsk = hex(C421 "random_session_key", 16, NULL), out[16], back[16];
    for (int i = 0; i < 3; i++) {
        uint8_t *k = hex(kx[i], 16, NULL);
        ntlm_rc4k(k, rsk, out);
        assert_vec(enc[i], out, 16);
        ntlm_rc4k(k, out, back); /* the server's direction */
        assert_memory_equal(back, rsk, 16);
        free(k);
    }
    free(rsk);
}

static void test_v1_seal_without_ess_matches_4_2_2_4(void **state)
{
    const uint32_t flags = flags_at(V1 "challenge_flags/value");
    size_t n;
    uint8_t *pt = hex(V1 "gss_wrapex_4_2_2_4/plaintext", 0, &n);
    uint8_t *esk = hex(C421 "random_session_key", 16, NULL), key[16], sig[16];
    uint8_t *data = malloc(n);
    struct ntlm_session s;

    assert_int_equal(ntlm_sealkey(flags, esk, true, key), 16);
    assert_vec(V1 "gss_wrapex_4_2_2_4/seal_key", key, 16);
    assert_false(ntlm_signkey(flags, esk, true, key));

    memcpy(data, pt, n);
    ntlm_session_init(&s, flags, esk, true);
    assert_true(s.shared);
    struct ntlm_buf b = { data, n, false };
    ntlm_seal(ntlm_session_send(&s), ntlm_session_send(&s)->seq, &b, 1, sig);
    assert_vec(V1 "gss_wrapex_4_2_2_4/sealed_data", data, n);
    assert_vec(V1 "gss_wrapex_4_2_2_4/signature_with_random_pad_zeroed", sig, 16);
    assert_int_equal(ntlm_session_send(&s)->seq, 1);
    ntlm_session_cleanse(&s);

    /* the server unseals it, with either RandomPad form */
    static const char *const forms[2] = { V1 "gss_wrapex_4_2_2_4/signature_with_random_pad_zeroed",
                                          V1 "gss_wrapex_4_2_2_4/signature_as_printed_in_4_2_2_4" };
    for (int i = 0; i < 2; i++) {
        uint8_t *sealed = hex(V1 "gss_wrapex_4_2_2_4/sealed_data", n, NULL);
        uint8_t *wsig = hex(forms[i], 16, NULL);
        struct ntlm_buf rb = { sealed, n, false };
        ntlm_session_init(&s, flags, esk, false);
        assert_true(ntlm_unseal(ntlm_session_recv(&s), 0, &rb, 1, wsig));
        assert_memory_equal(sealed, pt, n);
        ntlm_session_cleanse(&s);
        free(sealed);
        free(wsig);
    }
    free(pt);
    free(esk);
    free(data);
}

/* ---- 4.2.3 NTLMv1 with client challenge ------------------------------------ */

static void test_v1_ess_responses_match_4_2_3(void **state)
{
    if (!sspi_des_available())
        skip();
    uint8_t *nt = hex(V1 "NTOWFv1", 16, NULL), *sc = hex(C421 "server_challenge", 8, NULL);
    uint8_t *cc = hex(C421 "client_challenge", 8, NULL), ntr[24], lmr[24];
    assert_true(ntlm_v1_responses(nt, NULL, sc, cc, ntr, lmr));
    assert_vec(V1E "ntlmv1_response", ntr, 24);
    assert_vec(V1E "lmv1_response", lmr, 24);
    free(nt);
    free(sc);
    free(cc);
}

static void test_v1_ess_key_exchange_key_matches_4_2_3(void **state)
{
    const uint32_t flags = flags_at(V1E "challenge_flags/value");
    uint8_t *sbk = hex(V1E "session_base_key", 16, NULL), *lmr = hex(V1E "lmv1_response", 24, NULL);
    uint8_t *sc = hex(C421 "server_challenge", 8, NULL), out[16];
    assert_true(ntlm_kxkey(flags, false, sbk, NULL, lmr, sc, out));
    assert_vec(V1E "key_exchange_key", out, 16);
    assert_vec(V1E "exported_session_key", out, 16);
    free(sbk);
    free(lmr);
    free(sc);
}

static void test_v1_ess_keys_and_seal_match_4_2_3_4(void **state)
{
    const uint32_t flags = flags_at(V1E "challenge_flags/value");
    size_t n;
    uint8_t *esk = hex(V1E "exported_session_key", 16, NULL), key[16], sig[16];
    uint8_t *data = hex(V1E "gss_wrapex_4_2_3_4/plaintext", 0, &n);
    struct ntlm_session s;

    assert_true(ntlm_signkey(flags, esk, true, key));
    assert_vec(V1E "client_sign_key", key, 16);
    assert_int_equal(ntlm_sealkey(flags, esk, true, key), 16);
    assert_vec(V1E "client_seal_key", key, 16);

    ntlm_session_init(&s, flags, esk, true);
    assert_false(s.shared);
    struct ntlm_buf b = { data, n, false };
    ntlm_seal(ntlm_session_send(&s), 0, &b, 1, sig);
    assert_vec(V1E "gss_wrapex_4_2_3_4/sealed_data", data, n);
    assert_vec(V1E "gss_wrapex_4_2_3_4/signature", sig, 16);
    ntlm_session_cleanse(&s);

    /* the server receives it */
    ntlm_session_init(&s, flags, esk, false);
    assert_true(ntlm_unseal(ntlm_session_recv(&s), 0, &b, 1, sig));
    assert_vec(V1E "gss_wrapex_4_2_3_4/plaintext", data, n);
    ntlm_session_cleanse(&s);
    free(esk);
    free(data);
}

/* ---- 4.2.4 NTLMv2 ---------------------------------------------------------- */

static void test_ntowfv2_matches_4_2_4(void **state)
{
    size_t ul, dl;
    uint8_t *nt = hex(V1 "NTOWFv1", 16, NULL), out[16];
    uint8_t *user = hex(C421 "user_utf16le", 0, &ul), *dom = hex(C421 "user_domain_utf16le", 0, &dl);
    ntlm_ntowfv2(nt, user, ul, dom, dl, out);
    assert_vec(V2 "NTOWFv2_ResponseKeyNT", out, 16);
    assert_vec(V2 "ResponseKeyLM", out, 16);
    free(nt);
    free(user);
    free(dom);
}

static void test_ntowfv2_uppercases_user_but_not_domain(void **state)
{
    uint8_t nt[16] = { 1 }, u1[64], u2[64], d1[64], d2[64], a[16], b[16];
    size_t n1 = ascii16("user", u1), n2 = ascii16("USER", u2);
    size_t m1 = ascii16("domain", d1), m2 = ascii16("DOMAIN", d2);
    ntlm_ntowfv2(nt, u1, n1, d1, m1, a);
    ntlm_ntowfv2(nt, u2, n2, d1, m1, b);
    assert_memory_equal(a, b, 16);
    ntlm_ntowfv2(nt, u2, n2, d2, m2, b);
    assert_memory_not_equal(a, b, 16);
}

static void test_ntowfv2_handles_user_names_longer_than_a_chunk(void **state)
{
    static const char lower[] = "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz0123456789@x";
    static const char upper[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@X";
    uint8_t nt[16] = { 2 }, u1[256], u2[256], a[16], b[16];
    size_t n1 = ascii16(lower, u1), n2 = ascii16(upper, u2);
    ntlm_ntowfv2(nt, u1, n1, NULL, 0, a);
    hmac_md5(nt, 16, u2, n2, b);
    assert_memory_equal(a, b, 16);
}

static void test_ntowfv2_matches_extra_cases(void **state)
{
    cJSON *cases = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive((cJSON *)V, "supplementary_vectors"), "ntowfv2_extra"),
        "cases");
    cJSON *c;
    int count = 0;
    assert_true(cJSON_IsArray(cases));
    cJSON_ArrayForEach(c, cases)
    {
        uint8_t pw[128], user[128], dom[128], nt[16], out[16];
        size_t pl = ascii16(cJSON_GetObjectItemCaseSensitive(c, "password")->valuestring, pw);
        size_t ul = ascii16(cJSON_GetObjectItemCaseSensitive(c, "user")->valuestring, user);
        size_t dl = ascii16(cJSON_GetObjectItemCaseSensitive(c, "domain")->valuestring, dom);
        size_t wl;
        uint8_t *want = hex_decode(cJSON_GetObjectItemCaseSensitive(c, "NTOWFv2")->valuestring, &wl);
        ntlm_ntowfv1(pw, pl, nt);
        ntlm_ntowfv2(nt, user, ul, dom, dl, out);
        assert_int_equal(wl, 16);
        assert_memory_equal(out, want, 16);
        free(want);
        count++;
    }
    assert_int_equal(count, 3);
}

static void test_lmv2_response_matches_4_2_4(void **state)
{
    uint8_t *k = hex(V2 "ResponseKeyLM", 16, NULL), *sc = hex(C421 "server_challenge", 8, NULL);
    uint8_t *cc = hex(C421 "client_challenge", 8, NULL), out[24];
    ntlm_lmv2_response(k, sc, cc, out);
    assert_vec(V2 "lmv2_response", out, 24);
    free(k);
    free(sc);
    free(cc);
}

static void test_v2_temp_and_response_match_4_2_4(void **state)
{
    size_t til, tl;
    uint8_t *ti = hex(V2 "target_info", 0, &til), *cc = hex(C421 "client_challenge", 8, NULL);
    uint8_t *sc = hex(C421 "server_challenge", 8, NULL), *k = hex(V2 "NTOWFv2_ResponseKeyNT", 16, NULL);
    uint8_t temp[256], resp[272], proof[16], sbk[16];

    ntlm_v2_temp_header(0, cc, temp);
    memcpy(temp + NTLM_V2_TEMP_HDR_LEN, ti, til);
    memset(temp + NTLM_V2_TEMP_HDR_LEN + til, 0, 4);
    tl = NTLM_V2_TEMP_HDR_LEN + til + 4;
    assert_vec(V2 "temp_ntlmv2_client_challenge", temp, tl);

    ntlm_v2_response(k, sc, temp, tl, proof, sbk);
    assert_vec(V2 "NTProofStr", proof, 16);
    assert_vec(V2 "session_base_key", sbk, 16);
    memcpy(resp, proof, 16);
    memcpy(resp + 16, temp, tl);
    assert_vec(V2 "ntlmv2_response", resp, 16 + tl);
    ntlm_v2_response(k, sc, temp, tl, proof, NULL);
    assert_vec(V2 "NTProofStr", proof, 16);
    free(ti);
    free(cc);
    free(sc);
    free(k);
}

static void test_v2_temp_header_stores_filetime_little_endian(void **state)
{
    uint8_t cc[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, h[NTLM_V2_TEMP_HDR_LEN];
    ntlm_v2_temp_header(0x01cdde0bc33fe77bull, cc, h);
    static const uint8_t want[NTLM_V2_TEMP_HDR_LEN] = { 1, 1, 0, 0, 0, 0, 0, 0,
                                                        0x7b, 0xe7, 0x3f, 0xc3, 0x0b, 0xde, 0xcd, 0x01,
                                                        1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0 };
    assert_memory_equal(h, want, sizeof(want));
}

static void test_v2_keys_match_4_2_4(void **state)
{
    const uint32_t flags = flags_at(V2 "challenge_flags/value");
    uint8_t *sbk = hex(V2 "session_base_key", 16, NULL), *esk = hex(V2 "exported_session_key", 16, NULL);
    uint8_t kx[16], out[16];
    assert_true(ntlm_kxkey(flags, true, sbk, NULL, NULL, NULL, kx));
    assert_vec(V2 "key_exchange_key", kx, 16);
    ntlm_rc4k(kx, esk, out);
    assert_vec(V2 "encrypted_random_session_key", out, 16);
    assert_true(ntlm_signkey(flags, esk, true, out));
    assert_vec(V2 "client_sign_key", out, 16);
    assert_true(ntlm_signkey(flags, esk, false, out));
    assert_vec(V2 "server_sign_key", out, 16);
    assert_int_equal(ntlm_sealkey(flags, esk, true, out), 16);
    assert_vec(V2 "client_seal_key", out, 16);
    assert_int_equal(ntlm_sealkey(flags, esk, false, out), 16);
    assert_vec(V2 "server_seal_key", out, 16);
    free(sbk);
    free(esk);
}

static void test_v2_seal_matches_4_2_4_4_and_server_unseals(void **state)
{
    const uint32_t flags = flags_at(V2 "challenge_flags/value");
    size_t n;
    uint8_t *esk = hex(V2 "exported_session_key", 16, NULL), sig[16];
    uint8_t *data = hex(V2 "gss_wrapex_4_2_4_4/plaintext", 0, &n);
    struct ntlm_session c, s;
    struct ntlm_buf b = { data, n, false };

    ntlm_session_init(&c, flags, esk, true);
    ntlm_seal(ntlm_session_send(&c), 0, &b, 1, sig);
    assert_vec(V2 "gss_wrapex_4_2_4_4/sealed_data", data, n);
    assert_vec(V2 "gss_wrapex_4_2_4_4/signature", sig, 16);

    ntlm_session_init(&s, flags, esk, false);
    assert_true(ntlm_unseal(ntlm_session_recv(&s), 0, &b, 1, sig));
    assert_vec(V2 "gss_wrapex_4_2_4_4/plaintext", data, n);
    ntlm_session_cleanse(&c);
    ntlm_session_cleanse(&s);

    /* without KEY_EXCH the checksum is not encrypted (3.4.4.2) */
    ntlm_session_init(&c, flags & ~NTLMSSP_NEGOTIATE_KEY_EXCH, esk, true);
    ntlm_seal(ntlm_session_send(&c), 0, &b, 1, sig);
    assert_vec(V2 "gss_wrapex_4_2_4_4/sealed_data", data, n);
    assert_vec(V2 "gss_wrapex_4_2_4_4/signature_if_KEY_EXCH_not_negotiated", sig, 16);
    ntlm_session_cleanse(&c);
    free(esk);
    free(data);
}

/* ---- seal key variants ----------------------------------------------------- */

static void test_sealkey_variants_match_vectors(void **state)
{
    const uint32_t ess = NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY;
    uint8_t *esk = hex(C421 "random_session_key", 16, NULL), out[16];
    static const struct {
        uint32_t flags;
        const char *client, *server;
    } e[] = {
        { NTLMSSP_NEGOTIATE_128 | NTLMSSP_NEGOTIATE_56, "sealkey_variants/ess_128/client",
          "sealkey_variants/ess_128/server" },
        { NTLMSSP_NEGOTIATE_56, "sealkey_variants/ess_56/client", "sealkey_variants/ess_56/server" },
        { 0, "sealkey_variants/ess_40/client", "sealkey_variants/ess_40/server" },
    };
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(ntlm_sealkey(e[i].flags | ess, esk, true, out), 16);
        assert_vec(e[i].client, out, 16);
        assert_int_equal(ntlm_sealkey(e[i].flags | ess, esk, false, out), 16);
        assert_vec(e[i].server, out, 16);
    }
    assert_int_equal(ntlm_sealkey(NTLMSSP_NEGOTIATE_LM_KEY | NTLMSSP_NEGOTIATE_56, esk, true, out), 8);
    assert_vec("sealkey_variants/no_ess_lm_key_or_datagram_56", out, 8);
    assert_int_equal(ntlm_sealkey(NTLMSSP_NEGOTIATE_DATAGRAM | NTLMSSP_NEGOTIATE_56, esk, false, out),
                     8);
    assert_vec("sealkey_variants/no_ess_lm_key_or_datagram_56", out, 8);
    assert_int_equal(ntlm_sealkey(NTLMSSP_NEGOTIATE_LM_KEY | NTLMSSP_NEGOTIATE_128, esk, true, out), 8);
    assert_vec("sealkey_variants/no_ess_lm_key_or_datagram_40", out, 8);
    assert_int_equal(ntlm_sealkey(NTLMSSP_NEGOTIATE_DATAGRAM, esk, true, out), 8);
    assert_vec("sealkey_variants/no_ess_lm_key_or_datagram_40", out, 8);
    assert_int_equal(ntlm_sealkey(NTLMSSP_NEGOTIATE_128 | NTLMSSP_NEGOTIATE_56, esk, true, out), 16);
    assert_vec("sealkey_variants/no_ess_no_lm_key", out, 16);
    free(esk);
}

/* ---- captures -------------------------------------------------------------- */

#define CAP SUP "windows_capture_with_MIC/"

static void test_windows_capture_mic_recomputes_from_password(void **state)
{
    size_t nl, cl, al, zl, ntl, ul, ekl;
    uint8_t *neg = hex(CAP "negotiate_message", 0, &nl), *chal = hex(CAP "challenge_message", 0, &cl);
    uint8_t *auth = hex(CAP "authenticate_message", 0, &al);
    uint8_t *zeroed = hex(CAP "authenticate_message_with_mic_zeroed", 0, &zl);
    uint8_t *sc = hex(CAP "server_challenge", 8, NULL);
    uint8_t pw[64], nt[16], key[16], proof[16], sbk[16], kx[16], esk[16], mic[16];
    size_t pl = ascii16(vec_str(V, CAP "password"), pw);

    assert_memory_equal(chal + 24, sc, 8);
    const uint8_t *ntr = field(auth, al, 20, &ntl);
    const uint8_t *user = field(auth, al, 36, &ul);
    const uint8_t *ek = field(auth, al, 52, &ekl);
    assert_int_equal(ekl, 16);

    ntlm_ntowfv1(pw, pl, nt);
    ntlm_ntowfv2(nt, user, ul, NULL, 0, key);
    assert_vec(CAP "NTOWFv2_ResponseKeyNT", key, 16);
    ntlm_v2_response(key, sc, ntr + 16, ntl - 16, proof, sbk);
    assert_vec(CAP "NTProofStr", proof, 16);
    assert_memory_equal(proof, ntr, 16);
    assert_vec(CAP "session_base_key", sbk, 16);
    assert_true(ntlm_kxkey(0xe2888235u, true, sbk, NULL, NULL, NULL, kx));
    ntlm_rc4k(kx, ek, esk);
    assert_vec(CAP "exported_session_key", esk, 16);
    assert_vec(CAP "encrypted_random_session_key", ek, 16);

    assert_true(ntlm_mic(esk, neg, nl, chal, cl, auth, al, 72, mic));
    assert_vec(CAP "MIC", mic, 16);
    assert_memory_equal(auth + 72, mic, 16);
    assert_true(ntlm_mic(esk, neg, nl, chal, cl, zeroed, zl, 72, mic));
    assert_vec(CAP "MIC", mic, 16);
    /* the message is read, not modified */
    assert_vec(CAP "authenticate_message", auth, al);

    /* any changed byte outside the MIC changes the MIC */
    auth[al - 20] ^= 1;
    assert_true(ntlm_mic(esk, neg, nl, chal, cl, auth, al, 72, mic));
    assert_memory_not_equal(auth + 72, mic, 16);
    free(neg);
    free(chal);
    free(auth);
    free(zeroed);
    free(sc);
}

static void test_mic_rejects_offset_outside_message(void **state)
{
    uint8_t k[16] = { 0 }, m[100] = { 0 }, out[16];
    assert_false(ntlm_mic(k, m, 0, m, 0, m, 87, 72, out));
    assert_false(ntlm_mic(k, m, 0, m, 0, m, 10, SIZE_MAX, out));
    assert_true(ntlm_mic(k, m, 0, m, 0, m, 88, 72, out));
}

#define CBT SUP "gss_ntlmssp_channel_binding_capture/"

/* The capture does not include the channel-binding input (the TLS certificate
 * hash), so its MsvAvChannelBindings value cannot be recomputed; this checks
 * the authentication values of the capture and that the recorded CB hash is
 * the one carried in the AUTHENTICATE AV pairs. */
static void test_channel_binding_capture_verifies_from_password(void **state)
{
    size_t al, ntl, ul, dl;
    uint8_t *auth = hex(CBT "authenticate_message", 0, &al), *sc = hex(CBT "server_challenge", 8, NULL);
    uint8_t pw[64], nt[16], key[16], proof[16], sbk[16];
    size_t pl = ascii16(vec_str(V, CBT "password"), pw);
    const uint8_t *ntr = field(auth, al, 20, &ntl);
    const uint8_t *dom = field(auth, al, 28, &dl);
    const uint8_t *user = field(auth, al, 36, &ul);

    ntlm_ntowfv1(pw, pl, nt);
    assert_vec(CBT "NTOWFv1", nt, 16);
    ntlm_ntowfv2(nt, user, ul, dom, dl, key);
    ntlm_v2_response(key, sc, ntr + 16, ntl - 16, proof, sbk);
    assert_vec(CBT "NTProofStr", proof, 16);
    assert_memory_equal(proof, ntr, 16);
    assert_vec(CBT "session_base_key", sbk, 16);

    /* walk the AV pairs of the client challenge for MsvAvChannelBindings (10) */
    const uint8_t *p = ntr + 16 + NTLM_V2_TEMP_HDR_LEN, *end = ntr + ntl;
    bool found = false;
    while (p + 4 <= end) {
        unsigned id = (unsigned)(p[0] | p[1] << 8), len = (unsigned)(p[2] | p[3] << 8);
        assert_true((size_t)(end - p - 4) >= len);
        if (id == 0)
            break;
        if (id == 10) {
            assert_int_equal(len, 16);
            assert_vec(CBT "MsvAvChannelBindings_value", p + 4, 16);
            found = true;
        }
        p += 4 + len;
    }
    assert_true(found);
    free(auth);
    free(sc);
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

#define GCB SUP "gss_channel_bindings_struct/"

/* build_cb - a SEC_CHANNEL_BINDINGS from the vector's input, the data laid
 * out as application data, acceptor, initiator (offsets not in order). */
static size_t build_cb(uint8_t *cb)
{
    size_t il, al, dl;
    uint8_t *ini = hex(GCB "input/initiator_address", 0, &il);
    uint8_t *acc = hex(GCB "input/acceptor_address", 0, &al);
    uint8_t *app = hex(GCB "input/application_data", 0, &dl);
    size_t off = 32;
    memset(cb, 0, 32);
    put32(cb + 0, 2);
    put32(cb + 12, 0);
    put32(cb + 24, (uint32_t)dl);
    put32(cb + 28, (uint32_t)off);
    memcpy(cb + off, app, dl);
    off += dl;
    put32(cb + 16, (uint32_t)al);
    put32(cb + 20, (uint32_t)off);
    memcpy(cb + off, acc, al);
    off += al;
    put32(cb + 4, (uint32_t)il);
    put32(cb + 8, (uint32_t)off);
    memcpy(cb + off, ini, il);
    off += il;
    free(ini);
    free(acc);
    free(app);
    return off;
}

static void test_channel_bindings_hash_matches_gss_struct_vector(void **state)
{
    uint8_t cb[128], out[16];
    size_t n = build_cb(cb);
    size_t pl;
    uint8_t *packed = hex(GCB "packed", 0, &pl);
    sspi_md5(packed, pl, out); /* the vector is self-consistent */
    assert_vec(GCB "md5_of_packed_derived", out, 16);
    assert_true(ntlm_channel_bindings_hash(cb, n, out));
    assert_vec(GCB "md5_of_packed_derived", out, 16);
    free(packed);
}

static void test_channel_bindings_hash_of_empty_struct_matches_vector(void **state)
{
    uint8_t cb[32] = { 0 }, out[16];
    assert_true(ntlm_channel_bindings_hash(cb, sizeof(cb), out));
    assert_vec(GCB "md5_of_empty_packed_derived", out, 16);
    /* offsets are ignored for empty fields */
    put32(cb + 8, 0xffffffffu);
    put32(cb + 20, 1000);
    assert_true(ntlm_channel_bindings_hash(cb, sizeof(cb), out));
    assert_vec(GCB "md5_of_empty_packed_derived", out, 16);
}

static void test_channel_bindings_rejects_every_truncation(void **state)
{
    uint8_t cb[128], out[16];
    size_t n = build_cb(cb);
    for (size_t l = 0; l < n; l++)
        assert_false(ntlm_channel_bindings_hash(cb, l, out));
    assert_false(ntlm_channel_bindings_hash(NULL, 0, out));
}

static void test_channel_bindings_rejects_fields_outside_the_struct(void **state)
{
    uint8_t cb[128], out[16];
    size_t n = build_cb(cb);
    static const size_t len_at[3] = { 4, 16, 24 };
    for (int f = 0; f < 3; f++) {
        uint8_t t[128];
        memcpy(t, cb, n);
        put32(t + len_at[f] + 4, (uint32_t)n); /* offset at the end, length > 0 */
        assert_false(ntlm_channel_bindings_hash(t, n, out));
        memcpy(t, cb, n);
        put32(t + len_at[f] + 4, 0xffffffffu); /* offset + length wraps */
        assert_false(ntlm_channel_bindings_hash(t, n, out));
        memcpy(t, cb, n);
        put32(t + len_at[f], 0xfffffff0u); /* huge length */
        assert_false(ntlm_channel_bindings_hash(t, n, out));
    }
    /* trailing bytes after the data are allowed (the SecBuffer may be larger) */
    assert_true(ntlm_channel_bindings_hash(cb, n + 5, out));
}

static void test_ntowfv1_of_surrogate_pair_password_matches_vector(void **state)
{
    /* "Pass" U+1D11E: UTF-16LE with the surrogate pair d834 dd1e */
    static const uint8_t pw[] = { 'P', 0, 'a', 0, 's', 0, 's', 0, 0x34, 0xd8, 0x1e, 0xdd };
    uint8_t out[16];
    ntlm_ntowfv1(pw, sizeof(pw), out);
    assert_vec(SUP "ntowfv1_utf16_surrogate/NTOWFv1", out, 16);
}

static void test_lm_key_kxkey_with_zero_lmowf_matches_vector(void **state)
{
    if (!sspi_des_available())
        skip();
    uint8_t zero[16] = { 0 }, out[16];
    uint8_t *lmr = hex(SUP "kxkey_lm_key_with_zero_lmowf/lm_response", 24, NULL);
    uint8_t *lmowf = hex(SUP "kxkey_lm_key_with_zero_lmowf/lmowf_used", 16, NULL);
    assert_memory_equal(lmowf, zero, 16);
    assert_true(ntlm_kxkey(NTLMSSP_NEGOTIATE_LM_KEY, false, zero, lmowf, lmr, NULL, out));
    assert_vec(SUP "kxkey_lm_key_with_zero_lmowf/key_exchange_key", out, 16);
    free(lmr);
    free(lmowf);
}

/* ---- uppercase ------------------------------------------------------------- */

static void test_utf16_upper_matches_towupper_in_documented_ranges(void **state)
{
    if (!setlocale(LC_CTYPE, "C.UTF-8"))
        skip();
    for (unsigned c = 0; c < 0x0530; c++) {
        if (c >= 0x0250 && c < 0x0370)
            continue;
        uint8_t b[2] = { (uint8_t)c, (uint8_t)(c >> 8) };
        ntlm_utf16_upper(b, b, 2);
        unsigned want = (unsigned)towupper((wint_t)c);
        if (want > 0xffff)
            want = c;
        if ((unsigned)(b[0] | b[1] << 8) != want)
            fail_msg("U+%04X: got U+%04X, towupper U+%04X", c, (unsigned)(b[0] | b[1] << 8), want);
    }
    setlocale(LC_CTYPE, "C");
}

static void test_utf16_upper_leaves_other_code_units_and_odd_byte(void **state)
{
    static const uint8_t in[] = { 0x34, 0xd8, 0x1e, 0xdd, 0x61, 0x00, 0x00, 0x30, 0x61, 0x26, 'z' };
    static const uint8_t want[] = { 0x34, 0xd8, 0x1e, 0xdd, 0x41, 0x00, 0x00, 0x30, 0x61, 0x26, 'z' };
    uint8_t out[sizeof(in)];
    ntlm_utf16_upper(out, in, sizeof(in));
    assert_memory_equal(out, want, sizeof(want));
}

static void test_utf16_upper_maps_latin_greek_cyrillic_examples(void **state)
{
    /* é ÿ ı ǆ ω ς я ё */
    static const uint16_t in[] = { 0xe9, 0xff, 0x131, 0x1c6, 0x3c9, 0x3c2, 0x44f, 0x451 };
    static const uint16_t want[] = { 0xc9, 0x178, 0x49, 0x1c4, 0x3a9, 0x3a3, 0x42f, 0x401 };
    uint8_t b[16];
    for (size_t i = 0; i < 8; i++) {
        b[2 * i] = (uint8_t)in[i];
        b[2 * i + 1] = (uint8_t)(in[i] >> 8);
    }
    ntlm_utf16_upper(b, b, sizeof(b));
    for (size_t i = 0; i < 8; i++)
        assert_int_equal(b[2 * i] | b[2 * i + 1] << 8, want[i]);
}

/* ---- session security ------------------------------------------------------ */

static const uint32_t flag_sets[] = {
    /* NTLMv2 style: ESS, KEY_EXCH, 128 */
    0xe28a8233u,
    /* ESS without KEY_EXCH, 56-bit */
    0x820a8233u,
    /* ESS, 40-bit */
    NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY | NTLMSSP_NEGOTIATE_SEAL | NTLMSSP_NEGOTIATE_SIGN,
    /* NTLMv1 without ESS (half duplex) */
    0xe2028233u,
    /* NTLMv1 without ESS, LM_KEY 56 */
    0x82028233u | NTLMSSP_NEGOTIATE_LM_KEY,
    /* datagram with ESS */
    0xe28a8233u | NTLMSSP_NEGOTIATE_DATAGRAM,
};

static void fill(uint8_t *p, size_t n, uint32_t seed)
{
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        p[i] = (uint8_t)(seed >> 16);
    }
}

static void test_seal_unseal_round_trips_for_all_modes_and_both_directions(void **state)
{
    uint8_t esk[16];
    fill(esk, 16, 99);
    for (size_t f = 0; f < sizeof(flag_sets) / sizeof(flag_sets[0]); f++) {
        const uint32_t flags = flag_sets[f];
        const bool dgram = (flags & NTLMSSP_NEGOTIATE_DATAGRAM) != 0;
        struct ntlm_session c, s;
        ntlm_session_init(&c, flags, esk, true);
        ntlm_session_init(&s, flags, esk, false);
        for (uint32_t m = 0; m < 6; m++) {
            /* half duplex without ESS: alternate directions */
            bool from_client = (m % 2) == 0;
            struct ntlm_session *tx = from_client ? &c : &s, *rx = from_client ? &s : &c;
            uint8_t hdr[10], body[5000], trailer[3], orig[5000], ohdr[10], sig[16];
            uint32_t seq = dgram ? 100 + m * 7 : ntlm_session_send(tx)->seq;
            fill(hdr, sizeof(hdr), m);
            fill(body, sizeof(body), m + 1000);
            fill(trailer, sizeof(trailer), m + 2000);
            memcpy(orig, body, sizeof(body));
            memcpy(ohdr, hdr, sizeof(hdr));
            struct ntlm_buf bufs[3] = {
                { hdr, sizeof(hdr), true }, { body, sizeof(body) - m * 100, false }, { trailer, 3, false }
            };
            ntlm_seal(ntlm_session_send(tx), seq, bufs, 3, sig);
            assert_memory_equal(hdr, ohdr, sizeof(hdr)); /* sign-only piece untouched */
            assert_memory_not_equal(body, orig, 64);
            assert_true(ntlm_unseal(ntlm_session_recv(rx), dgram ? seq : ntlm_session_recv(rx)->seq,
                                    bufs, 3, sig));
            assert_memory_equal(body, orig, sizeof(body));
            if (!dgram) {
                assert_int_equal(ntlm_session_send(tx)->seq, seq + 1);
                assert_int_equal(ntlm_session_recv(rx)->seq, seq + 1);
            }
        }
        ntlm_session_cleanse(&c);
        ntlm_session_cleanse(&s);
    }
}

static void test_sign_verify_round_trips_and_pieces_concatenate(void **state)
{
    uint8_t esk[16], msg[300], sig1[16], sig2[16];
    fill(esk, 16, 5);
    fill(msg, sizeof(msg), 6);
    for (size_t f = 0; f < sizeof(flag_sets) / sizeof(flag_sets[0]); f++) {
        struct ntlm_session a, b, r;
        ntlm_session_init(&a, flag_sets[f], esk, true);
        ntlm_session_init(&b, flag_sets[f], esk, true);
        ntlm_session_init(&r, flag_sets[f], esk, false);
        const struct sspi_iov one = { msg, sizeof(msg) };
        const struct sspi_iov three[3] = { { msg, 1 }, { msg + 1, 0 }, { msg + 1, sizeof(msg) - 1 } };
        ntlm_sign(ntlm_session_send(&a), 0, &one, 1, sig1);
        ntlm_sign(ntlm_session_send(&b), 0, three, 3, sig2);
        assert_memory_equal(sig1, sig2, 16);
        assert_true(ntlm_verify(ntlm_session_recv(&r), 0, three, 3, sig1));
        ntlm_session_cleanse(&a);
        ntlm_session_cleanse(&b);
        ntlm_session_cleanse(&r);
    }
}

static void test_verify_rejects_any_flipped_bit_and_changes_nothing(void **state)
{
    uint8_t esk[16], msg[40], sig[16];
    fill(esk, 16, 7);
    fill(msg, sizeof(msg), 8);
    for (size_t f = 0; f < sizeof(flag_sets) / sizeof(flag_sets[0]); f++) {
        const bool ess = (flag_sets[f] & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY) != 0;
        struct ntlm_session c, s;
        ntlm_session_init(&c, flag_sets[f], esk, true);
        ntlm_session_init(&s, flag_sets[f], esk, false);
        struct sspi_iov iov = { msg, sizeof(msg) };
        ntlm_sign(ntlm_session_send(&c), 0, &iov, 1, sig);
        for (size_t i = 0; i < 16; i++) {
            if (!ess && i >= 4 && i < 8)
                continue; /* RandomPad is not covered without ESS */
            sig[i] ^= 0x01;
            assert_false(ntlm_verify(ntlm_session_recv(&s), 0, &iov, 1, sig));
            sig[i] ^= 0x01;
        }
        for (size_t i = 0; i < sizeof(msg); i++) {
            msg[i] ^= 0x80;
            assert_false(ntlm_verify(ntlm_session_recv(&s), 0, &iov, 1, sig));
            msg[i] ^= 0x80;
        }
        /* wrong sequence number */
        assert_false(ntlm_verify(ntlm_session_recv(&s), 1, &iov, 1, sig));
        assert_int_equal(ntlm_session_recv(&s)->seq, 0);
        /* after all those rejections the genuine message still verifies */
        assert_true(ntlm_verify(ntlm_session_recv(&s), 0, &iov, 1, sig));
        ntlm_session_cleanse(&c);
        ntlm_session_cleanse(&s);
    }
}

static void test_unseal_rejects_tampered_ciphertext(void **state)
{
    uint8_t esk[16], data[64], sig[16];
    fill(esk, 16, 9);
    for (size_t f = 0; f < sizeof(flag_sets) / sizeof(flag_sets[0]); f++) {
        struct ntlm_session c, s;
        fill(data, sizeof(data), 10);
        ntlm_session_init(&c, flag_sets[f], esk, true);
        ntlm_session_init(&s, flag_sets[f], esk, false);
        struct ntlm_buf b = { data, sizeof(data), false };
        ntlm_seal(ntlm_session_send(&c), 0, &b, 1, sig);
        data[17] ^= 4;
        assert_false(ntlm_unseal(ntlm_session_recv(&s), 0, &b, 1, sig));
        ntlm_session_cleanse(&c);
        ntlm_session_cleanse(&s);
    }
}

static void test_datagram_messages_verify_out_of_order(void **state)
{
    const uint32_t flags = 0xe28a8233u | NTLMSSP_NEGOTIATE_DATAGRAM;
    uint8_t esk[16], m1[20], m2[30], s1[16], s2[16];
    struct ntlm_session c, s;
    fill(esk, 16, 11);
    fill(m1, sizeof(m1), 12);
    fill(m2, sizeof(m2), 13);
    ntlm_session_init(&c, flags, esk, true);
    ntlm_session_init(&s, flags, esk, false);
    struct sspi_iov i1 = { m1, sizeof(m1) }, i2 = { m2, sizeof(m2) };
    ntlm_sign(ntlm_session_send(&c), 5, &i1, 1, s1);
    ntlm_sign(ntlm_session_send(&c), 6, &i2, 1, s2);
    assert_true(ntlm_verify(ntlm_session_recv(&s), 6, &i2, 1, s2));
    assert_true(ntlm_verify(ntlm_session_recv(&s), 5, &i1, 1, s1));
    assert_false(ntlm_verify(ntlm_session_recv(&s), 6, &i1, 1, s1));
    ntlm_session_cleanse(&c);
    ntlm_session_cleanse(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ntowfv1_of_password_matches_4_2_2),
        cmocka_unit_test(test_lmowfv1_uppercases_and_matches_4_2_2),
        cmocka_unit_test(test_lmowfv1_truncates_passwords_longer_than_14),
        cmocka_unit_test(test_v1_session_base_key_matches_4_2_2),
        cmocka_unit_test(test_v1_responses_match_4_2_2),
        cmocka_unit_test(test_v1_key_exchange_keys_match_4_2_2),
        cmocka_unit_test(test_kxkey_fails_when_a_needed_input_is_missing),
        cmocka_unit_test(test_encrypted_session_keys_match_4_2_2),
        cmocka_unit_test(test_v1_seal_without_ess_matches_4_2_2_4),
        cmocka_unit_test(test_v1_ess_responses_match_4_2_3),
        cmocka_unit_test(test_v1_ess_key_exchange_key_matches_4_2_3),
        cmocka_unit_test(test_v1_ess_keys_and_seal_match_4_2_3_4),
        cmocka_unit_test(test_ntowfv2_matches_4_2_4),
        cmocka_unit_test(test_ntowfv2_uppercases_user_but_not_domain),
        cmocka_unit_test(test_ntowfv2_handles_user_names_longer_than_a_chunk),
        cmocka_unit_test(test_ntowfv2_matches_extra_cases),
        cmocka_unit_test(test_lmv2_response_matches_4_2_4),
        cmocka_unit_test(test_v2_temp_and_response_match_4_2_4),
        cmocka_unit_test(test_v2_temp_header_stores_filetime_little_endian),
        cmocka_unit_test(test_v2_keys_match_4_2_4),
        cmocka_unit_test(test_v2_seal_matches_4_2_4_4_and_server_unseals),
        cmocka_unit_test(test_sealkey_variants_match_vectors),
        cmocka_unit_test(test_windows_capture_mic_recomputes_from_password),
        cmocka_unit_test(test_mic_rejects_offset_outside_message),
        cmocka_unit_test(test_channel_binding_capture_verifies_from_password),
        cmocka_unit_test(test_channel_bindings_hash_matches_gss_struct_vector),
        cmocka_unit_test(test_channel_bindings_hash_of_empty_struct_matches_vector),
        cmocka_unit_test(test_channel_bindings_rejects_every_truncation),
        cmocka_unit_test(test_channel_bindings_rejects_fields_outside_the_struct),
        cmocka_unit_test(test_ntowfv1_of_surrogate_pair_password_matches_vector),
        cmocka_unit_test(test_lm_key_kxkey_with_zero_lmowf_matches_vector),
        cmocka_unit_test(test_utf16_upper_matches_towupper_in_documented_ranges),
        cmocka_unit_test(test_utf16_upper_leaves_other_code_units_and_odd_byte),
        cmocka_unit_test(test_utf16_upper_maps_latin_greek_cyrillic_examples),
        cmocka_unit_test(test_seal_unseal_round_trips_for_all_modes_and_both_directions),
        cmocka_unit_test(test_sign_verify_round_trips_and_pieces_concatenate),
        cmocka_unit_test(test_verify_rejects_any_flipped_bit_and_changes_nothing),
        cmocka_unit_test(test_unseal_rejects_tampered_ciphertext),
        cmocka_unit_test(test_datagram_messages_verify_out_of_order),
    };
    return cmocka_run_group_tests(tests, load, unload);
}
