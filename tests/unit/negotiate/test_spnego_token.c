/* tests/unit/negotiate/test_spnego_token.c - the SPNEGO message layer
 * (src/negotiate/spnego_token.c): tokens in the shapes Windows and MIT send
 * (assembled byte by byte here, not by our builder), NegTokenInit2 hints,
 * reqFlags, MICs in both NegTokenInit forms, every truncation, every bit flip,
 * trailing bytes, field order, range checks and parse(build(x)) == x. */
#include "asn1/der.h"
#include "negotiate/spnego_token.h"

#include <stdlib.h>
#include <string.h>

#include "vectors.h"

/* tlv - append tag, DER length and n bytes to buf at *at (test-side encoder,
 * independent of src/asn1) */
static void tlv(uint8_t *buf, size_t *at, uint8_t tag, const void *p, size_t n)
{
    buf[(*at)++] = tag;
    if (n < 0x80) {
        buf[(*at)++] = (uint8_t)n;
    } else if (n < 0x100) {
        buf[(*at)++] = 0x81;
        buf[(*at)++] = (uint8_t)n;
    } else {
        buf[(*at)++] = 0x82;
        buf[(*at)++] = (uint8_t)(n >> 8);
        buf[(*at)++] = (uint8_t)n;
    }
    memcpy(buf + *at, p, n);
    *at += n;
}

static const uint8_t ms_krb5[] = { 0x06, 0x09, 0x2a, 0x86, 0x48, 0x82, 0xf7, 0x12, 0x01, 0x02, 0x02 };
static const uint8_t krb5[] = { 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02 };
static const uint8_t negoex[] = { 0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x02, 0x1e };
static const uint8_t ntlm[] = { 0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x02, 0x0a };
static const uint8_t spnego[] = { 0x06, 0x06, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02 };

/* windows_init - the NegTokenInit a Windows 10 client sends for HTTP:
 * mechTypes MS-KRB5, KRB5, NegoEx, NTLM; mechToken; with fields as asked */
static size_t windows_init(uint8_t *out, const void *mtok, size_t mtok_len, bool flags, bool mic)
{
    uint8_t list[64], seq[1024], f[1024], body[1200], inner[1200];
    size_t nl = 0, ns = 0, nf, nb = 0, ni;
    memcpy(list, ms_krb5, sizeof(ms_krb5));
    nl += sizeof(ms_krb5);
    memcpy(list + nl, krb5, sizeof(krb5));
    nl += sizeof(krb5);
    memcpy(list + nl, negoex, sizeof(negoex));
    nl += sizeof(negoex);
    memcpy(list + nl, ntlm, sizeof(ntlm));
    nl += sizeof(ntlm);
    nf = 0;
    tlv(f, &nf, 0x30, list, nl);
    tlv(seq, &ns, 0xa0, f, nf);
    if (flags) {
        static const uint8_t bits[] = { 0x03, 0x02, 0x01, 0x76 }; /* mutual replay sequence conf integ */
        tlv(seq, &ns, 0xa1, bits, sizeof(bits));
    }
    if (mtok) {
        nf = 0;
        tlv(f, &nf, 0x04, mtok, mtok_len);
        tlv(seq, &ns, 0xa2, f, nf);
    }
    if (mic) {
        nf = 0;
        tlv(f, &nf, 0x04, "0123456789abcdef", 16);
        tlv(seq, &ns, 0xa3, f, nf);
    }
    ni = 0;
    tlv(inner, &ni, 0x30, seq, ns);
    memcpy(body, spnego, sizeof(spnego));
    nb = sizeof(spnego);
    tlv(body, &nb, 0xa0, inner, ni);
    size_t n = 0;
    tlv(out, &n, 0x60, body, nb);
    return n;
}

/* windows_resp - a server's NegTokenResp: negState, supportedMech NTLM, token */
static size_t windows_resp(uint8_t *out, int state, bool mech, const void *tok, size_t tok_len, const void *mic,
                           size_t mic_len)
{
    uint8_t seq[1200], f[1200];
    size_t ns = 0, nf;
    if (state >= 0) {
        uint8_t e[3] = { 0x0a, 0x01, (uint8_t)state };
        tlv(seq, &ns, 0xa0, e, 3);
    }
    if (mech)
        tlv(seq, &ns, 0xa1, ntlm, sizeof(ntlm));
    if (tok) {
        nf = 0;
        tlv(f, &nf, 0x04, tok, tok_len);
        tlv(seq, &ns, 0xa2, f, nf);
    }
    if (mic) {
        nf = 0;
        tlv(f, &nf, 0x04, mic, mic_len);
        tlv(seq, &ns, 0xa3, f, nf);
    }
    uint8_t inner[1300];
    size_t ni = 0;
    tlv(inner, &ni, 0x30, seq, ns);
    size_t n = 0;
    tlv(out, &n, 0xa1, inner, ni);
    return n;
}

static void test_windows_neg_token_init_parses(void **state)
{
    uint8_t tok[1500];
    size_t n = windows_init(tok, "NTLMSSP\0\1\0\0\0", 12, false, false);
    struct spnego_init m;
    assert_true(spnego_parse_init(rd_init(tok, n), &m));
    assert_int_equal(m.nmechs, 4);
    assert_true(der_oid_equal(m.mechs[0], spnego_oid_ms_krb5, sizeof(spnego_oid_ms_krb5)));
    assert_true(der_oid_equal(m.mechs[1], spnego_oid_krb5, sizeof(spnego_oid_krb5)));
    assert_true(der_oid_equal(m.mechs[2], spnego_oid_negoex, sizeof(spnego_oid_negoex)));
    assert_true(der_oid_equal(m.mechs[3], spnego_oid_ntlm, sizeof(spnego_oid_ntlm)));
    /* mech_types is the SEQUENCE OF, tag included: what the MIC covers */
    assert_int_equal(m.mech_types.p[0], 0x30);
    assert_int_equal(m.mech_types.len, 2 + sizeof(ms_krb5) + sizeof(krb5) + sizeof(negoex) + sizeof(ntlm));
    assert_true(m.has_mech_token);
    assert_int_equal(m.mech_token.len, 12);
    assert_false(m.has_req_flags || m.has_mic || m.has_hints);
}

static void test_req_flags_and_init_mic_parse(void **state)
{
    uint8_t tok[1500];
    size_t n = windows_init(tok, "x", 1, true, true);
    struct spnego_init m;
    assert_true(spnego_parse_init(rd_init(tok, n), &m));
    assert_true(m.has_req_flags);
    assert_int_equal(m.req_flags, SPNEGO_FLAG_MUTUAL | SPNEGO_FLAG_REPLAY | SPNEGO_FLAG_SEQUENCE | SPNEGO_FLAG_CONF
                                      | SPNEGO_FLAG_INTEG);
    assert_true(m.has_mic);
    assert_int_equal(m.mic.len, 16);
    assert_memory_equal(m.mic.p, "0123456789abcdef", 16);
    /* the builder writes the flags in the same (shortest) form */
    struct wr w;
    wr_init(&w, 0, 4096, 0);
    assert_true(spnego_build_init(&w, &m));
    assert_int_equal(w.len, n);
    assert_memory_equal(w.buf, tok, n);
    wr_free(&w);
}

static void test_windows_server_hints_parse(void **state)
{
    static const uint8_t hints[] = {
        0x60, 0x48, 0x06, 0x06, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02, 0xa0, 0x3e, 0x30, 0x3c, 0xa0, 0x0e, 0x30, 0x0c,
        0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x02, 0x0a, 0xa3, 0x2a, 0x30, 0x28, 0xa0, 0x26,
        0x1b, 0x24, 'n',  'o',  't',  '_',  'd',  'e',  'f',  'i',  'n',  'e',  'd',  '_',  'i',  'n',  '_',  'R',
        'F',  'C',  '4',  '1',  '7',  '8',  '@',  'p',  'l',  'e',  'a',  's',  'e',  '_',  'i',  'g',  'n',  'o',
        'r',  'e',
    };
    struct spnego_init m;
    assert_true(spnego_parse_init(rd_init(hints, sizeof(hints)), &m));
    assert_true(m.has_hints);
    assert_true(m.has_hint_name);
    assert_false(m.has_hint_address);
    assert_int_equal(m.hint_name.len, strlen(SPNEGO_HINT_NAME));
    assert_memory_equal(m.hint_name.p, SPNEGO_HINT_NAME, m.hint_name.len);
    assert_int_equal(m.nmechs, 1);
    assert_false(m.has_mic);
    struct wr w;
    wr_init(&w, 0, 4096, 0);
    assert_true(spnego_build_init(&w, &m));
    assert_int_equal(w.len, sizeof(hints));
    assert_memory_equal(w.buf, hints, sizeof(hints));
    wr_free(&w);
}

static void test_init2_with_hint_address_and_mic_round_trips(void **state)
{
    struct rd mechs[2] = { rd_init(spnego_oid_krb5, sizeof(spnego_oid_krb5)),
                           rd_init(spnego_oid_ntlm, sizeof(spnego_oid_ntlm)) };
    struct wr list, w;
    wr_init(&list, 0, 1024, 0);
    wr_init(&w, 0, 1024, 0);
    assert_true(spnego_build_mech_list(&list, mechs, 2));
    struct spnego_init m, m2;
    memset(&m, 0, sizeof(m));
    m.mech_types = rd_init(list.buf, list.len);
    m.has_hints = m.has_hint_name = m.has_hint_address = true;
    m.hint_name = rd_init("host$@REALM", 11);
    m.hint_address = rd_init("\x7f\0\0\1", 4);
    m.has_mic = true;
    m.mic = rd_init("MIC", 3);
    assert_true(spnego_build_init(&w, &m));
    assert_true(spnego_parse_init(rd_init(w.buf, w.len), &m2));
    assert_int_equal(m2.nmechs, 2);
    assert_true(m2.has_hints && m2.has_hint_name && m2.has_hint_address && m2.has_mic);
    assert_int_equal(m2.hint_address.len, 4);
    assert_memory_equal(m2.mic.p, "MIC", 3);
    assert_memory_equal(m2.hint_name.p, "host$@REALM", 11);
    wr_free(&list);
    wr_free(&w);
}

static void test_windows_neg_token_resp_parses(void **state)
{
    uint8_t tok[1500];
    size_t n = windows_resp(tok, 1, true, "NTLMSSP\0\2\0\0\0", 12, NULL, 0);
    struct spnego_resp r;
    assert_true(spnego_parse_resp(rd_init(tok, n), &r));
    assert_true(r.has_state);
    assert_int_equal(r.state, SPNEGO_ACCEPT_INCOMPLETE);
    assert_true(r.has_mech);
    assert_true(der_oid_equal(r.mech, spnego_oid_ntlm, sizeof(spnego_oid_ntlm)));
    assert_true(r.has_token);
    assert_int_equal(r.token.len, 12);
    assert_false(r.has_mic);
    /* accept-completed with only a MIC; a client's token with no negState */
    n = windows_resp(tok, 0, false, NULL, 0, "\1\0\0\0abcdefgh\0\0\0\0", 16);
    assert_true(spnego_parse_resp(rd_init(tok, n), &r));
    assert_true(r.has_state && r.state == SPNEGO_ACCEPT_COMPLETED && r.has_mic && !r.has_token && !r.has_mech);
    n = windows_resp(tok, -1, false, "tok", 3, "mic", 3);
    assert_true(spnego_parse_resp(rd_init(tok, n), &r));
    assert_false(r.has_state);
    assert_true(r.has_token && r.has_mic);
    /* every negState value, and one past them */
    for (int s = 0; s <= 3; s++) {
        n = windows_resp(tok, s, false, NULL, 0, NULL, 0);
        assert_true(spnego_parse_resp(rd_init(tok, n), &r));
        assert_int_equal(r.state, s);
    }
    n = windows_resp(tok, 4, false, NULL, 0, NULL, 0);
    assert_false(spnego_parse_resp(rd_init(tok, n), &r));
}

static void test_resp_parse_of_build_round_trips(void **state)
{
    for (unsigned mask = 0; mask < 16; mask++) {
        struct spnego_resp r, r2;
        memset(&r, 0, sizeof(r));
        r.has_state = mask & 1;
        r.state = SPNEGO_REQUEST_MIC;
        r.has_mech = (mask & 2) != 0;
        r.mech = rd_init(spnego_oid_ms_krb5, sizeof(spnego_oid_ms_krb5));
        r.has_token = (mask & 4) != 0;
        uint8_t big[300];
        memset(big, 0xab, sizeof(big));
        r.token = rd_init(big, sizeof(big));
        r.has_mic = (mask & 8) != 0;
        r.mic = rd_init("0123456789abcdef", 16);
        struct wr w;
        wr_init(&w, 0, 4096, 0);
        assert_true(spnego_build_resp(&w, &r));
        assert_true(spnego_parse_resp(rd_init(w.buf, w.len), &r2));
        assert_int_equal(r2.has_state, r.has_state);
        assert_int_equal(r2.has_mech, r.has_mech);
        assert_int_equal(r2.has_token, r.has_token);
        assert_int_equal(r2.has_mic, r.has_mic);
        if (r.has_state)
            assert_int_equal(r2.state, r.state);
        if (r.has_mech)
            assert_true(der_oid_equal(r2.mech, r.mech.p, r.mech.len));
        if (r.has_token)
            assert_memory_equal(r2.token.p, big, sizeof(big));
        if (r.has_mic)
            assert_memory_equal(r2.mic.p, r.mic.p, 16);
        wr_free(&w);
    }
}

static void test_every_truncation_is_refused(void **state)
{
    uint8_t tok[1500], resp[1500];
    size_t n = windows_init(tok, "NTLMSSP\0\1\0\0\0", 12, true, true);
    size_t nr = windows_resp(resp, 1, true, "NTLMSSP\0\2\0\0\0", 12, "mic", 3);
    struct spnego_init m;
    struct spnego_resp r;
    for (size_t k = 0; k < n; k++) {
        uint8_t *c = malloc(k ? k : 1);
        memcpy(c, tok, k);
        assert_false(spnego_parse_init(rd_init(c, k), &m));
        free(c);
    }
    for (size_t k = 0; k < nr; k++) {
        uint8_t *c = malloc(k ? k : 1);
        memcpy(c, resp, k);
        assert_false(spnego_parse_resp(rd_init(c, k), &r));
        free(c);
    }
}

static void test_every_bit_flip_is_safe(void **state)
{
    uint8_t tok[1500], resp[1500];
    size_t n = windows_init(tok, "NTLMSSP\0\1\0\0\0", 12, true, true);
    size_t nr = windows_resp(resp, 1, true, "NTLMSSP\0\2\0\0\0", 12, "mic", 3);
    struct spnego_init m;
    struct spnego_resp r;
    for (size_t i = 0; i < n; i++)
        for (int b = 0; b < 8; b++) {
            tok[i] ^= (uint8_t)(1u << b);
            (void)spnego_parse_init(rd_init(tok, n), &m);
            tok[i] ^= (uint8_t)(1u << b);
        }
    for (size_t i = 0; i < nr; i++)
        for (int b = 0; b < 8; b++) {
            resp[i] ^= (uint8_t)(1u << b);
            (void)spnego_parse_resp(rd_init(resp, nr), &r);
            resp[i] ^= (uint8_t)(1u << b);
        }
    assert_true(spnego_parse_init(rd_init(tok, n), &m));
    assert_true(spnego_parse_resp(rd_init(resp, nr), &r));
}

static void test_trailing_bytes_are_refused(void **state)
{
    uint8_t tok[1500];
    size_t n = windows_init(tok, "abc", 3, false, false);
    struct spnego_init m;
    tok[n] = 0;
    assert_false(spnego_parse_init(rd_init(tok, n + 1), &m));
    /* trailing bytes inside the GSS framing: after the NegotiationToken */
    uint8_t resp[64];
    size_t nr = windows_resp(resp, 0, false, NULL, 0, NULL, 0);
    struct spnego_resp r;
    resp[nr] = 0;
    assert_false(spnego_parse_resp(rd_init(resp, nr + 1), &r));
}

static void test_field_order_and_unknown_fields_are_refused(void **state)
{
    /* NegTokenResp with [2] before [0] */
    static const uint8_t swapped[] = { 0xa1, 0x0c, 0x30, 0x0a, 0xa2, 0x03, 0x04, 0x01, 0x61,
                                       0xa0, 0x03, 0x0a, 0x01, 0x01 };
    struct spnego_resp r;
    assert_false(spnego_parse_resp(rd_init(swapped, sizeof(swapped)), &r));
    /* an unknown [5] field */
    static const uint8_t extra[] = { 0xa1, 0x0c, 0x30, 0x0a, 0xa0, 0x03, 0x0a, 0x01, 0x01,
                                     0xa5, 0x03, 0x04, 0x01, 0x61 };
    assert_false(spnego_parse_resp(rd_init(extra, sizeof(extra)), &r));
    /* negState of the wrong type */
    static const uint8_t wrongtype[] = { 0xa1, 0x07, 0x30, 0x05, 0xa0, 0x03, 0x02, 0x01, 0x01 };
    assert_false(spnego_parse_resp(rd_init(wrongtype, sizeof(wrongtype)), &r));
    /* a responseToken that is not an OCTET STRING */
    static const uint8_t notoctets[] = { 0xa1, 0x07, 0x30, 0x05, 0xa2, 0x03, 0x0c, 0x01, 0x61 };
    assert_false(spnego_parse_resp(rd_init(notoctets, sizeof(notoctets)), &r));
    /* a NegTokenInit where a NegTokenResp is expected and the other way round */
    uint8_t tok[1500];
    size_t n = windows_init(tok, "abc", 3, false, false);
    assert_false(spnego_parse_resp(rd_init(tok, n), &r));
    struct spnego_init m;
    uint8_t resp[64];
    size_t nr = windows_resp(resp, 0, false, NULL, 0, NULL, 0);
    assert_false(spnego_parse_init(rd_init(resp, nr), &m));
}

static void test_init_needs_the_spnego_oid_and_a_mech_list(void **state)
{
    uint8_t tok[1500];
    size_t n = windows_init(tok, "abc", 3, false, false);
    struct spnego_init m;
    /* the OID is bytes 2..9 (short form length): make it 1.3.6.1.5.5.3 */
    assert_int_equal(tok[9], 0x02);
    tok[9] = 0x03;
    assert_false(spnego_parse_init(rd_init(tok, n), &m));
    /* an empty MechTypeList in a NegTokenInit */
    struct wr w, list;
    wr_init(&w, 0, 1024, 0);
    wr_init(&list, 0, 1024, 0);
    assert_true(spnego_build_mech_list(&list, NULL, 0));
    memset(&m, 0, sizeof(m));
    m.mech_types = rd_init(list.buf, list.len);
    assert_true(spnego_build_init(&w, &m));
    struct spnego_init m2;
    assert_false(spnego_parse_init(rd_init(w.buf, w.len), &m2));
    /* but NegTokenInit2 may leave the list out */
    w.len = 0;
    memset(&m, 0, sizeof(m));
    m.has_hints = true;
    assert_true(spnego_build_init(&w, &m));
    assert_true(spnego_parse_init(rd_init(w.buf, w.len), &m2));
    assert_int_equal(m2.nmechs, 0);
    wr_free(&w);
    wr_free(&list);
}

static void test_too_many_mechanisms_are_refused(void **state)
{
    struct rd mechs[SPNEGO_MAX_MECHS + 1];
    for (size_t i = 0; i <= SPNEGO_MAX_MECHS; i++)
        mechs[i] = rd_init(spnego_oid_ntlm, sizeof(spnego_oid_ntlm));
    struct wr list, w;
    struct spnego_init m, m2;
    for (size_t count = SPNEGO_MAX_MECHS; count <= SPNEGO_MAX_MECHS + 1; count++) {
        wr_init(&list, 0, 4096, 0);
        wr_init(&w, 0, 4096, 0);
        assert_true(spnego_build_mech_list(&list, mechs, count));
        memset(&m, 0, sizeof(m));
        m.mech_types = rd_init(list.buf, list.len);
        assert_true(spnego_build_init(&w, &m));
        assert_int_equal(spnego_parse_init(rd_init(w.buf, w.len), &m2), count <= SPNEGO_MAX_MECHS);
        wr_free(&list);
        wr_free(&w);
    }
}

static void test_gss_header_splits_any_mechanism_token(void **state)
{
    /* a Kerberos AP-REQ framing: 60 len 06 09 <krb5> 01 00 <AP-REQ> */
    static const uint8_t krb[] = { 0x60, 0x10, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02,
                                   0x02, 0x01, 0x00, 0x6e, 0x01, 0x00 };
    struct rd oid, inner;
    assert_true(spnego_gss_header(rd_init(krb, sizeof(krb)), &oid, &inner));
    assert_true(der_oid_equal(oid, spnego_oid_krb5, sizeof(spnego_oid_krb5)));
    assert_int_equal(inner.len, 5);
    assert_int_equal(inner.p[0], 0x01);
    /* raw NTLM is not GSS-framed */
    assert_false(spnego_gss_header(rd_init("NTLMSSP\0\1\0\0\0", 12), &oid, &inner));
    /* framing with no OID */
    static const uint8_t nooid[] = { 0x60, 0x02, 0x04, 0x00 };
    assert_false(spnego_gss_header(rd_init(nooid, sizeof(nooid)), &oid, &inner));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_windows_neg_token_init_parses),
        cmocka_unit_test(test_req_flags_and_init_mic_parse),
        cmocka_unit_test(test_windows_server_hints_parse),
        cmocka_unit_test(test_init2_with_hint_address_and_mic_round_trips),
        cmocka_unit_test(test_windows_neg_token_resp_parses),
        cmocka_unit_test(test_resp_parse_of_build_round_trips),
        cmocka_unit_test(test_every_truncation_is_refused),
        cmocka_unit_test(test_every_bit_flip_is_safe),
        cmocka_unit_test(test_trailing_bytes_are_refused),
        cmocka_unit_test(test_field_order_and_unknown_fields_are_refused),
        cmocka_unit_test(test_init_needs_the_spnego_oid_and_a_mech_list),
        cmocka_unit_test(test_too_many_mechanisms_are_refused),
        cmocka_unit_test(test_gss_header_splits_any_mechanism_token),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
