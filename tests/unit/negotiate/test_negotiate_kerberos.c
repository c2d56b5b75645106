/* tests/unit/negotiate/test_negotiate_kerberos.c - Negotiate with Kerberos
 * underneath, against the throwaway MIT realm of tests/interop/kdc/realm.sh:
 *   - our client and our server through the public API: Kerberos wins (two
 *     legs, the MS-KRB5/KRB5/NTLM list Windows sends), with and without mutual
 *     authentication, sealing and signing both ways;
 *   - the fallback to NTLM when no ticket can be had (unknown SPN, IP address
 *     target) and none for a wrong password; PackageList "Kerberos";
 *   - a server without Kerberos keys: request-mic, NTLM, MICs both ways; a
 *     server without the service's key: reject; a bare Kerberos client;
 *   - MIT's own SPNEGO (libgssapi_krb5, in this process) as the peer: our client
 *     against its acceptor and its initiator against our server, wrap/unwrap and
 *     MICs both ways (MIT's SPNEGO with NTLM runs over the network, in
 *     tests/interop/test_negotiate_*.sh: gss-ntlmssp leaks in-process);
 *   - Kerberos mechListMICs: a client listing NTLM first, our server without
 *     NTLM picking Kerberos and asking for the MICs.
 * Built only with the Kerberos package (OPENSSPI_WITH_KERBEROS). */
#define SECURITY_WIN32
#include <security.h>

#include "vectors.h"

#ifdef OPENSSPI_WITH_KERBEROS

#include "../kerberos/krb_realm.h"

#include "asn1/der.h"
#include "core/package.h"
#include "negotiate/spnego_token.h"

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TARGET "HTTP/server.opensspi.test"
#define CREQ                                                                                               \
    (ISC_REQ_MUTUAL_AUTH | ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY | ISC_REQ_SEQUENCE_DETECT            \
     | ISC_REQ_REPLAY_DETECT | ISC_REQ_CONNECTION)
#define SREQ                                                                                               \
    (ASC_REQ_MUTUAL_AUTH | ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY | ASC_REQ_SEQUENCE_DETECT            \
     | ASC_REQ_REPLAY_DETECT | ASC_REQ_CONNECTION)

static char user_file[] = "/tmp/opensspi-nego-krb-users-XXXXXX";
static char script[4096];

static gss_OID_desc spnego_mech = { 6, (void *)"\x2b\x06\x01\x05\x05\x02" };

static const char *env(const char *name)
{
    const char *v = getenv(name);
    assert_non_null(v);
    return v;
}

static int setup(void **state)
{
    /* the realm script, found from this file's place in the source tree */
    const char *me = __FILE__, *cut = strstr(me, "tests/unit/negotiate/");
    if (!cut)
        return -1;
    snprintf(script, sizeof(script), "%.*stests/interop/kdc/realm.sh", (int)(cut - me), me);
    setenv("OPENSSPI_KRB_REALM_SCRIPT", script, 1);
    if (krb_realm_start() != 0)
        return -1;
    /* NTLM knows alice too, with the same password */
    int fd = mkstemp(user_file);
    if (fd < 0)
        return -1;
    char line[256];
    int n = snprintf(line, sizeof(line), "%s:alice:%s\n", getenv("KRB_REALM"), getenv("KRB_PASS"));
    if (write(fd, line, (size_t)n) != n)
        return -1;
    close(fd);
    setenv("NTLM_USER_FILE", user_file, 1);
    return 0;
}

static int teardown(void **state)
{
    krb_realm_stop();
    unlink(user_file);
    return 0;
}

/* ---- our client and server ------------------------------------------------ */

struct pair {
    CredHandle cc, sc;
    CtxtHandle cx, sx;
    bool have_cx, have_sx;
    ULONG cattr, sattr;
    SECURITY_STATUS cst, sst;
    int legs;
    uint8_t tok[8][16384];
    ULONG toklen[8];
};

static SEC_WINNT_AUTH_IDENTITY_EXA identity(const char *user, const char *domain, const char *pw, const char *list)
{
    SEC_WINNT_AUTH_IDENTITY_EXA id;
    memset(&id, 0, sizeof(id));
    id.Version = SEC_WINNT_AUTH_IDENTITY_VERSION;
    id.Length = sizeof(id);
    id.User = (unsigned char *)user;
    id.UserLength = (ULONG)strlen(user);
    id.Domain = (unsigned char *)domain;
    id.DomainLength = domain ? (ULONG)strlen(domain) : 0;
    id.Password = (unsigned char *)pw;
    id.PasswordLength = (ULONG)strlen(pw);
    id.PackageList = (unsigned char *)list;
    id.PackageListLength = list ? (ULONG)strlen(list) : 0;
    id.Flags = SEC_WINNT_AUTH_IDENTITY_ANSI;
    return id;
}

static void client_cred(struct pair *p, const char *pw, const char *list)
{
    SEC_WINNT_AUTH_IDENTITY_EXA id = identity("alice", env("KRB_REALM"), pw, list);
    TimeStamp ts;
    assert_int_equal(AcquireCredentialsHandleA(NULL, "Negotiate", SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL, &p->cc,
                                               &ts),
                     SEC_E_OK);
}

static void server_cred(struct pair *p, const char *keytab_env)
{
    char principal[1024];
    TimeStamp ts;
    if (keytab_env)
        snprintf(principal, sizeof(principal), "keytab:%s", env(keytab_env));
    else
        snprintf(principal, sizeof(principal), "keytab:/nonexistent/opensspi.keytab");
    assert_int_equal(AcquireCredentialsHandleA(principal, "Negotiate", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL,
                                               &p->sc, &ts),
                     SEC_E_OK);
}

static void pair_init(struct pair *p)
{
    memset(p, 0, sizeof(*p));
    SecInvalidateHandle(&p->cx);
    SecInvalidateHandle(&p->sx);
}

static void free_pair(struct pair *p)
{
    if (p->have_cx)
        DeleteSecurityContext(&p->cx);
    if (p->have_sx)
        DeleteSecurityContext(&p->sx);
    FreeCredentialsHandle(&p->cc);
    FreeCredentialsHandle(&p->sc);
}

static bool going(SECURITY_STATUS st)
{
    return st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED;
}

/* run - ISC and ASC in turn until both are done or one fails */
static SECURITY_STATUS run(struct pair *p, const char *target, ULONG creq, ULONG sreq)
{
    static uint8_t out[16384], in[16384];
    SecBuffer ob, ib;
    SecBufferDesc od = { SECBUFFER_VERSION, 1, &ob }, id = { SECBUFFER_VERSION, 1, &ib };
    TimeStamp ts;
    bool cdone = false, sdone = false, have_in = false;
    ULONG inlen = 0;
    for (int turn = 0; turn < 12; turn++) {
        bool client = turn % 2 == 0;
        if (client ? cdone : sdone)
            return (!have_in && cdone && sdone) ? SEC_E_OK : SEC_E_INTERNAL_ERROR;
        ob = (SecBuffer){ sizeof(out), SECBUFFER_TOKEN, out };
        ib = (SecBuffer){ inlen, SECBUFFER_TOKEN, in };
        SECURITY_STATUS st;
        if (client) {
            st = InitializeSecurityContextA(&p->cc, p->have_cx ? &p->cx : NULL, (SEC_CHAR *)target, creq, 0, 0,
                                            have_in ? &id : NULL, 0, &p->cx, &od, &p->cattr, &ts);
            p->cst = st;
            p->have_cx |= going(st);
            cdone = st == SEC_E_OK;
        } else {
            if (!have_in)
                return SEC_E_INTERNAL_ERROR;
            st = AcceptSecurityContext(&p->sc, p->have_sx ? &p->sx : NULL, &id, sreq, 0, &p->sx, &od, &p->sattr,
                                       &ts);
            p->sst = st;
            p->have_sx |= going(st);
            sdone = st == SEC_E_OK;
        }
        if (!going(st)) {
            /* an error token (a reject) is kept for the caller to look at */
            if (ob.cbBuffer && p->legs < 8) {
                memcpy(p->tok[p->legs], out, ob.cbBuffer);
                p->toklen[p->legs++] = ob.cbBuffer;
            }
            return st;
        }
        have_in = ob.cbBuffer != 0;
        if (have_in) {
            assert_true(p->legs < 8);
            memcpy(in, out, ob.cbBuffer);
            inlen = ob.cbBuffer;
            memcpy(p->tok[p->legs], out, ob.cbBuffer);
            p->toklen[p->legs++] = ob.cbBuffer;
        }
        if (cdone && sdone && !have_in)
            return SEC_E_OK;
    }
    return SEC_E_INTERNAL_ERROR;
}

static void expect_package(CtxtHandle *h, const char *name)
{
    SecPkgContext_NegotiationInfoA ni;
    assert_int_equal(QueryContextAttributesA(h, SECPKG_ATTR_NEGOTIATION_INFO, &ni), SEC_E_OK);
    assert_string_equal(ni.PackageInfo->Name, name);
    assert_int_equal(ni.NegotiationState, SECPKG_NEGOTIATION_COMPLETE);
    FreeContextBuffer(ni.PackageInfo);
}

/* seal - EncryptMessage with [TOKEN, DATA, PADDING]; the wire form is their
 * concatenation (one RFC 4121 wrap token for Kerberos) */
static size_t seal(CtxtHandle *h, const char *text, uint8_t *wire)
{
    SecPkgContext_Sizes sz;
    assert_int_equal(QueryContextAttributesA(h, SECPKG_ATTR_SIZES, &sz), SEC_E_OK);
    size_t n = strlen(text);
    uint8_t *tok = wire, *data = wire + sz.cbSecurityTrailer, *pad = data + n;
    memcpy(data, text, n);
    SecBuffer b[3] = { { sz.cbSecurityTrailer, SECBUFFER_TOKEN, tok },
                       { (ULONG)n, SECBUFFER_DATA, data },
                       { sz.cbBlockSize, SECBUFFER_PADDING, pad } };
    SecBufferDesc d = { SECBUFFER_VERSION, 3, b };
    assert_int_equal(EncryptMessage(h, 0, &d, 0), SEC_E_OK);
    /* close the gaps the package may have left */
    memmove(wire + b[0].cbBuffer, data, b[1].cbBuffer);
    memmove(wire + b[0].cbBuffer + b[1].cbBuffer, pad, b[2].cbBuffer);
    return b[0].cbBuffer + b[1].cbBuffer + b[2].cbBuffer;
}

/* unseal - DecryptMessage of a wire token ([STREAM, DATA]); checks the text */
static void unseal(CtxtHandle *h, uint8_t *wire, size_t len, const char *text)
{
    SecBuffer b[2] = { { (ULONG)len, SECBUFFER_STREAM, wire }, { 0, SECBUFFER_DATA, NULL } };
    SecBufferDesc d = { SECBUFFER_VERSION, 2, b };
    ULONG qop = 0;
    assert_int_equal(DecryptMessage(h, &d, 0, &qop), SEC_E_OK);
    assert_int_equal(b[1].cbBuffer, strlen(text));
    assert_memory_equal(b[1].pvBuffer, text, strlen(text));
}

static size_t sign(CtxtHandle *h, const char *text, uint8_t *mic)
{
    SecPkgContext_Sizes sz;
    assert_int_equal(QueryContextAttributesA(h, SECPKG_ATTR_SIZES, &sz), SEC_E_OK);
    SecBuffer b[2] = { { (ULONG)strlen(text), SECBUFFER_DATA, (void *)text },
                       { sz.cbMaxSignature, SECBUFFER_TOKEN, mic } };
    SecBufferDesc d = { SECBUFFER_VERSION, 2, b };
    assert_int_equal(MakeSignature(h, 0, &d, 0), SEC_E_OK);
    return b[1].cbBuffer;
}

static SECURITY_STATUS verify(CtxtHandle *h, const char *text, uint8_t *mic, size_t len)
{
    SecBuffer b[2] = { { (ULONG)strlen(text), SECBUFFER_DATA, (void *)text }, { (ULONG)len, SECBUFFER_TOKEN, mic } };
    SecBufferDesc d = { SECBUFFER_VERSION, 2, b };
    ULONG qop = 0;
    return VerifySignature(h, &d, 0, &qop);
}

static void messages_both_ways(struct pair *p)
{
    static uint8_t wire[4096];
    uint8_t mic[256];
    for (int i = 0; i < 2; i++) {
        size_t n = seal(&p->cx, "client to server, sealed", wire);
        unseal(&p->sx, wire, n, "client to server, sealed");
        n = seal(&p->sx, "server to client, sealed", wire);
        unseal(&p->cx, wire, n, "server to client, sealed");
        n = sign(&p->cx, "client to server, signed", mic);
        assert_int_equal(verify(&p->sx, "client to server, signed", mic, n), SEC_E_OK);
        n = sign(&p->sx, "server to client, signed", mic);
        assert_int_equal(verify(&p->cx, "server to client, signed", mic, n), SEC_E_OK);
    }
}

static struct spnego_init first_token(const struct pair *p)
{
    struct spnego_init m;
    assert_true(spnego_parse_init(rd_init(p->tok[0], p->toklen[0]), &m));
    return m;
}

static void test_kerberos_wins_in_two_legs(void **state)
{
    struct pair p;
    pair_init(&p);
    client_cred(&p, env("KRB_PASS"), NULL);
    server_cred(&p, "KRB_HTTP_KEYTAB");
    assert_int_equal(run(&p, TARGET, CREQ, SREQ), SEC_E_OK);
    assert_int_equal(p.legs, 2);
    assert_true(p.cattr & ISC_RET_MUTUAL_AUTH);
    expect_package(&p.cx, "Kerberos");
    expect_package(&p.sx, "Kerberos");
    /* the list Windows sends: MS-KRB5, KRB5, NTLM; the AP-REQ as mechToken */
    struct spnego_init m = first_token(&p);
    assert_int_equal(m.nmechs, 3);
    assert_true(der_oid_equal(m.mechs[0], spnego_oid_ms_krb5, sizeof(spnego_oid_ms_krb5)));
    assert_true(der_oid_equal(m.mechs[1], spnego_oid_krb5, sizeof(spnego_oid_krb5)));
    assert_true(der_oid_equal(m.mechs[2], spnego_oid_ntlm, sizeof(spnego_oid_ntlm)));
    assert_true(m.has_mech_token);
    struct rd oid, inner;
    assert_true(spnego_gss_header(m.mech_token, &oid, &inner));
    assert_true(der_oid_equal(oid, spnego_oid_krb5, sizeof(spnego_oid_krb5)));
    /* accept-completed with the AP-REP, no MICs: Kerberos was the first choice */
    struct spnego_resp r;
    assert_true(spnego_parse_resp(rd_init(p.tok[1], p.toklen[1]), &r));
    assert_true(r.has_state && r.state == SPNEGO_ACCEPT_COMPLETED);
    assert_true(r.has_mech && der_oid_equal(r.mech, spnego_oid_ms_krb5, sizeof(spnego_oid_ms_krb5)));
    assert_true(r.has_token);
    assert_false(r.has_mic);
    SecPkgContext_NamesA names;
    assert_int_equal(QueryContextAttributesA(&p.sx, SECPKG_ATTR_NAMES, &names), SEC_E_OK);
    assert_non_null(strstr(names.sUserName, "alice"));
    FreeContextBuffer(names.sUserName);
    messages_both_ways(&p);
    free_pair(&p);
}

static void test_kerberos_without_mutual_authentication(void **state)
{
    struct pair p;
    pair_init(&p);
    client_cred(&p, env("KRB_PASS"), NULL);
    server_cred(&p, "KRB_HTTP_KEYTAB");
    assert_int_equal(run(&p, TARGET, CREQ & ~(ULONG)ISC_REQ_MUTUAL_AUTH, SREQ & ~(ULONG)ASC_REQ_MUTUAL_AUTH),
                     SEC_E_OK);
    assert_int_equal(p.legs, 2);
    expect_package(&p.cx, "Kerberos");
    messages_both_ways(&p);
    free_pair(&p);
}

static void test_unknown_spn_falls_back_to_ntlm(void **state)
{
    struct pair p;
    pair_init(&p);
    client_cred(&p, env("KRB_PASS"), NULL);
    server_cred(&p, "KRB_HTTP_KEYTAB");
    assert_int_equal(run(&p, "HTTP/nosuch.opensspi.test", CREQ, SREQ), SEC_E_OK);
    expect_package(&p.cx, "NTLM");
    expect_package(&p.sx, "NTLM");
    struct spnego_init m = first_token(&p);
    assert_int_equal(m.nmechs, 1);
    assert_true(der_oid_equal(m.mechs[0], spnego_oid_ntlm, sizeof(spnego_oid_ntlm)));
    messages_both_ways(&p);
    free_pair(&p);
}

static void test_address_target_goes_straight_to_ntlm(void **state)
{
    struct pair p;
    pair_init(&p);
    client_cred(&p, env("KRB_PASS"), NULL);
    server_cred(&p, "KRB_HTTP_KEYTAB");
    assert_int_equal(run(&p, "HTTP/127.0.0.1", CREQ, SREQ), SEC_E_OK);
    expect_package(&p.cx, "NTLM");
    struct spnego_init m = first_token(&p);
    assert_int_equal(m.nmechs, 1);
    free_pair(&p);
}

static void test_wrong_password_does_not_fall_back(void **state)
{
    struct pair p;
    pair_init(&p);
    client_cred(&p, "not-the-password", NULL);
    server_cred(&p, "KRB_HTTP_KEYTAB");
    assert_int_equal(run(&p, TARGET, CREQ, SREQ), SEC_E_LOGON_DENIED);
    assert_int_equal(p.legs, 0);
    free_pair(&p);
}

static void test_package_list_kerberos_only(void **state)
{
    struct pair p;
    pair_init(&p);
    client_cred(&p, env("KRB_PASS"), "Kerberos");
    server_cred(&p, "KRB_HTTP_KEYTAB");
    assert_int_equal(run(&p, TARGET, CREQ, SREQ), SEC_E_OK);
    struct spnego_init m = first_token(&p);
    assert_int_equal(m.nmechs, 2); /* the two Kerberos OIDs, no NTLM */
    free_pair(&p);
    /* and with nothing to fall back to, the unknown SPN is the answer */
    pair_init(&p);
    client_cred(&p, env("KRB_PASS"), "Kerberos,!NTLM");
    server_cred(&p, "KRB_HTTP_KEYTAB");
    assert_int_equal(run(&p, "HTTP/nosuch.opensspi.test", CREQ, SREQ), SEC_E_TARGET_UNKNOWN);
    free_pair(&p);
}

static void test_server_without_kerberos_keys_asks_for_mics(void **state)
{
    /* the client offers Kerberos first with an AP-REQ; the server has no
     * Kerberos keys, picks NTLM, answers request-mic with no token; NTLM then
     * runs from its first message and both MICs are exchanged */
    struct pair p;
    pair_init(&p);
    client_cred(&p, env("KRB_PASS"), NULL);
    server_cred(&p, NULL);
    assert_int_equal(run(&p, TARGET, CREQ, SREQ), SEC_E_OK);
    struct spnego_resp r;
    assert_true(spnego_parse_resp(rd_init(p.tok[1], p.toklen[1]), &r));
    assert_true(r.has_state && r.state == SPNEGO_REQUEST_MIC);
    assert_true(r.has_mech && der_oid_equal(r.mech, spnego_oid_ntlm, sizeof(spnego_oid_ntlm)));
    assert_false(r.has_token);
    /* NegTokenInit, request-mic, NEGOTIATE, CHALLENGE, AUTHENTICATE + MIC,
     * accept-completed + MIC */
    assert_int_equal(p.legs, 6);
    assert_true(spnego_parse_resp(rd_init(p.tok[4], p.toklen[4]), &r));
    assert_true(r.has_mic);
    assert_true(spnego_parse_resp(rd_init(p.tok[5], p.toklen[5]), &r));
    assert_true(r.has_state && r.state == SPNEGO_ACCEPT_COMPLETED && r.has_mic);
    expect_package(&p.cx, "NTLM");
    expect_package(&p.sx, "NTLM");
    messages_both_ways(&p);
    free_pair(&p);
}

static void test_delegated_ticket_reaches_the_server_through_negotiate(void **state)
{
    struct pair p;
    pair_init(&p);
    client_cred(&p, env("KRB_PASS"), NULL);
    server_cred(&p, "KRB_HTTP_KEYTAB");
    assert_int_equal(run(&p, TARGET, CREQ | ISC_REQ_DELEGATE, SREQ), SEC_E_OK);
    expect_package(&p.sx, "Kerberos");
    char *ccache = NULL;
    assert_int_equal(QueryContextAttributesA(&p.sx, 0x4F530001u /* KERBEROS_ATTR_DELEGATED_CCACHE */, &ccache),
                     SEC_E_OK);
    assert_non_null(ccache);
    FreeContextBuffer(ccache);
    free_pair(&p);
}

/* ---- MIT's SPNEGO as the peer ---------------------------------------------- */

static gss_cred_id_t mit_acceptor_cred(gss_OID_set_desc *neg)
{
    OM_uint32 maj, min;
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
    gss_key_value_element_desc kv = { "keytab", env("KRB_HTTP_KEYTAB") };
    gss_key_value_set_desc store = { 1, &kv };
    gss_OID_set_desc mechs = { 1, &spnego_mech };
    maj = gss_acquire_cred_from(&min, GSS_C_NO_NAME, GSS_C_INDEFINITE, &mechs, GSS_C_ACCEPT, &store, &cred, NULL,
                                NULL);
    assert_int_equal(maj, GSS_S_COMPLETE);
    assert_int_equal(gss_set_neg_mechs(&min, cred, neg), GSS_S_COMPLETE);
    return cred;
}

static gss_cred_id_t mit_initiator_cred(gss_OID_set_desc *neg)
{
    OM_uint32 maj, min;
    gss_name_t name;
    gss_buffer_desc nb = { strlen(env("KRB_USER")), (void *)env("KRB_USER") };
    assert_int_equal(gss_import_name(&min, &nb, GSS_KRB5_NT_PRINCIPAL_NAME, &name), GSS_S_COMPLETE);
    gss_buffer_desc pw = { strlen(env("KRB_PASS")), (void *)env("KRB_PASS") };
    gss_OID_set_desc mechs = { 1, &spnego_mech };
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
    maj = gss_acquire_cred_with_password(&min, name, &pw, GSS_C_INDEFINITE, &mechs, GSS_C_INITIATE, &cred, NULL,
                                         NULL);
    gss_release_name(&min, &name);
    assert_int_equal(maj, GSS_S_COMPLETE);
    assert_int_equal(gss_set_neg_mechs(&min, cred, neg), GSS_S_COMPLETE);
    return cred;
}

/* ours_to_mit / mit_to_ours - a sealed message and a MIC each way between an
 * SSPI context and a GSS-API context */
static void protect_both_ways(CtxtHandle *ours, gss_ctx_id_t mit)
{
    static uint8_t wire[4096];
    OM_uint32 min;
    int conf = 0;
    gss_qop_t qop;
    const char *text = "OpenSSPI to MIT, sealed";
    size_t n = seal(ours, text, wire);
    gss_buffer_desc in = { n, wire }, out = GSS_C_EMPTY_BUFFER;
    assert_int_equal(gss_unwrap(&min, mit, &in, &out, &conf, &qop), GSS_S_COMPLETE);
    assert_true(conf);
    assert_int_equal(out.length, strlen(text));
    assert_memory_equal(out.value, text, out.length);
    gss_release_buffer(&min, &out);

    text = "MIT to OpenSSPI, sealed";
    gss_buffer_desc msg = { strlen(text), (void *)text };
    assert_int_equal(gss_wrap(&min, mit, 1, GSS_C_QOP_DEFAULT, &msg, &conf, &out), GSS_S_COMPLETE);
    assert_true(out.length <= sizeof(wire));
    memcpy(wire, out.value, out.length);
    unseal(ours, wire, out.length, text);
    gss_release_buffer(&min, &out);

    uint8_t mic[512];
    text = "OpenSSPI to MIT, signed";
    n = sign(ours, text, mic);
    gss_buffer_desc m1 = { strlen(text), (void *)text }, t1 = { n, mic };
    assert_int_equal(gss_verify_mic(&min, mit, &m1, &t1, &qop), GSS_S_COMPLETE);

    text = "MIT to OpenSSPI, signed";
    gss_buffer_desc m2 = { strlen(text), (void *)text };
    assert_int_equal(gss_get_mic(&min, mit, GSS_C_QOP_DEFAULT, &m2, &out), GSS_S_COMPLETE);
    assert_true(out.length <= sizeof(mic));
    memcpy(mic, out.value, out.length);
    assert_int_equal(verify(ours, text, mic, out.length), SEC_E_OK);
    gss_release_buffer(&min, &out);
}

static void test_our_client_with_mit_spnego_acceptor(void **state)
{
    gss_OID_set_desc neg = { 1, (gss_OID)gss_mech_krb5 };
    gss_cred_id_t scred = mit_acceptor_cred(&neg);
    struct pair p;
    pair_init(&p);
    client_cred(&p, env("KRB_PASS"), NULL);
    gss_ctx_id_t mit = GSS_C_NO_CONTEXT;
    static uint8_t out[16384];
    SecBuffer ob, ib;
    SecBufferDesc od = { SECBUFFER_VERSION, 1, &ob }, id = { SECBUFFER_VERSION, 1, &ib };
    TimeStamp ts;
    OM_uint32 maj = GSS_S_CONTINUE_NEEDED, min;
    SECURITY_STATUS st = SEC_I_CONTINUE_NEEDED;
    gss_buffer_desc reply = GSS_C_EMPTY_BUFFER;
    gss_OID mech = GSS_C_NO_OID;
    for (int leg = 0; leg < 6 && (st == SEC_I_CONTINUE_NEEDED || maj == GSS_S_CONTINUE_NEEDED); leg++) {
        if (st == SEC_I_CONTINUE_NEEDED) {
            ob = (SecBuffer){ sizeof(out), SECBUFFER_TOKEN, out };
            ib = (SecBuffer){ (ULONG)reply.length, SECBUFFER_TOKEN, reply.value };
            st = InitializeSecurityContextA(&p.cc, p.have_cx ? &p.cx : NULL, TARGET, CREQ, 0, 0,
                                            p.have_cx ? &id : NULL, 0, &p.cx, &od, &p.cattr, &ts);
            assert_true(going(st));
            p.have_cx = true;
            gss_release_buffer(&min, &reply);
            if (ob.cbBuffer == 0)
                break;
        }
        gss_buffer_desc in = { ob.cbBuffer, out };
        gss_name_t src = GSS_C_NO_NAME;
        maj = gss_accept_sec_context(&min, &mit, scred, &in, GSS_C_NO_CHANNEL_BINDINGS, &src, &mech, &reply, NULL,
                                     NULL, NULL);
        assert_false(GSS_ERROR(maj));
        gss_release_name(&min, &src);
        if (reply.length == 0 && st == SEC_E_OK)
            break;
        if (reply.length == 0)
            break;
    }
    assert_int_equal(st, SEC_E_OK);
    assert_int_equal(maj, GSS_S_COMPLETE);
    assert_true(gss_oid_equal(mech, gss_mech_krb5));
    expect_package(&p.cx, "Kerberos");
    protect_both_ways(&p.cx, mit);
    gss_delete_sec_context(&min, &mit, GSS_C_NO_BUFFER);
    gss_release_cred(&min, &scred);
    gss_release_buffer(&min, &reply);
    free_pair(&p);
}

/* mit_client_run - MIT's SPNEGO initiator against our Negotiate server */
static void mit_client_run(gss_OID_set_desc *neg, struct pair *p, gss_ctx_id_t *mit, gss_OID *mech_out)
{
    gss_cred_id_t ccred = mit_initiator_cred(neg);
    gss_name_t target;
    gss_buffer_desc tb = { strlen("HTTP@server.opensspi.test"), (void *)"HTTP@server.opensspi.test" };
    OM_uint32 min, maj;
    assert_int_equal(gss_import_name(&min, &tb, GSS_C_NT_HOSTBASED_SERVICE, &target), GSS_S_COMPLETE);
    static uint8_t out[16384];
    SecBuffer ob, ib;
    SecBufferDesc od = { SECBUFFER_VERSION, 1, &ob }, id = { SECBUFFER_VERSION, 1, &ib };
    TimeStamp ts;
    SECURITY_STATUS st = SEC_I_CONTINUE_NEEDED;
    gss_buffer_desc tok = GSS_C_EMPTY_BUFFER, in = GSS_C_EMPTY_BUFFER;
    OM_uint32 flags = GSS_C_MUTUAL_FLAG | GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG | GSS_C_SEQUENCE_FLAG
        | GSS_C_REPLAY_FLAG;
    p->legs = 0;
    for (int leg = 0; leg < 8; leg++) {
        maj = gss_init_sec_context(&min, ccred, mit, target, &spnego_mech, flags, 0, GSS_C_NO_CHANNEL_BINDINGS,
                                   leg ? &in : GSS_C_NO_BUFFER, mech_out, &tok, NULL, NULL);
        assert_false(GSS_ERROR(maj));
        if (tok.length == 0)
            break;
        assert_true(tok.length <= sizeof(p->tok[0]));
        memcpy(p->tok[p->legs], tok.value, tok.length);
        p->toklen[p->legs++] = (ULONG)tok.length;
        ib = (SecBuffer){ (ULONG)tok.length, SECBUFFER_TOKEN, tok.value };
        ob = (SecBuffer){ sizeof(out), SECBUFFER_TOKEN, out };
        st = AcceptSecurityContext(&p->sc, p->have_sx ? &p->sx : NULL, &id, SREQ, 0, &p->sx, &od, &p->sattr, &ts);
        assert_true(going(st));
        p->have_sx = true;
        gss_release_buffer(&min, &tok);
        if (ob.cbBuffer == 0)
            break;
        memcpy(p->tok[p->legs], out, ob.cbBuffer);
        p->toklen[p->legs++] = ob.cbBuffer;
        in = (gss_buffer_desc){ ob.cbBuffer, p->tok[p->legs - 1] };
        if (maj == GSS_S_COMPLETE)
            break;
    }
    if (maj == GSS_S_CONTINUE_NEEDED && ob.cbBuffer) {
        maj = gss_init_sec_context(&min, ccred, mit, target, &spnego_mech, flags, 0, GSS_C_NO_CHANNEL_BINDINGS,
                                   &in, mech_out, &tok, NULL, NULL);
        assert_int_equal(tok.length, 0);
    }
    assert_int_equal(maj, GSS_S_COMPLETE);
    assert_int_equal(st, SEC_E_OK);
    gss_release_buffer(&min, &tok);
    gss_release_name(&min, &target);
    gss_release_cred(&min, &ccred);
}

static void test_mit_spnego_initiator_with_our_server(void **state)
{
    gss_OID_set_desc neg = { 1, (gss_OID)gss_mech_krb5 };
    struct pair p;
    pair_init(&p);
    server_cred(&p, "KRB_HTTP_KEYTAB");
    gss_ctx_id_t mit = GSS_C_NO_CONTEXT;
    gss_OID mech = GSS_C_NO_OID;
    mit_client_run(&neg, &p, &mit, &mech);
    assert_true(gss_oid_equal(mech, gss_mech_krb5));
    expect_package(&p.sx, "Kerberos");
    assert_int_equal(p.legs, 2);
    protect_both_ways(&p.sx, mit);
    OM_uint32 min;
    gss_delete_sec_context(&min, &mit, GSS_C_NO_BUFFER);
    free_pair(&p);
}

/* sspi_step - one ISC/ASC call of a raw package context with token in (or
 * none); the output token goes to out/outlen */
static SECURITY_STATUS sspi_step(bool client, CredHandle *cred, CtxtHandle *ctx, bool have, const char *target,
                                 const void *in, size_t inlen, uint8_t *out, ULONG *outlen)
{
    SecBuffer ib = { (ULONG)inlen, SECBUFFER_TOKEN, (void *)in }, ob = { *outlen, SECBUFFER_TOKEN, out };
    SecBufferDesc id = { SECBUFFER_VERSION, 1, &ib }, od = { SECBUFFER_VERSION, 1, &ob };
    ULONG attr;
    TimeStamp ts;
    SECURITY_STATUS st;
    if (client)
        st = InitializeSecurityContextA(cred, have ? ctx : NULL, (SEC_CHAR *)target, CREQ, 0, 0, in ? &id : NULL, 0,
                                        ctx, &od, &attr, &ts);
    else
        st = AcceptSecurityContext(cred, have ? ctx : NULL, &id, SREQ, 0, ctx, &od, &attr, &ts);
    *outlen = ob.cbBuffer;
    return st;
}

static void test_kerberos_mech_list_mics_when_it_is_not_the_first_choice(void **state)
{
    /* a client (SPNEGO assembled here over the raw Kerberos package) lists
     * NTLM first and Kerberos second, with no optimistic token; our server,
     * without NTLM, picks Kerberos and asks for the MICs: its MIC and the
     * client's are Kerberos MICs (MakeSignature) over the DER mechanism list */
    CredHandle kc, sc;
    CtxtHandle kx, sx;
    TimeStamp ts;
    SEC_WINNT_AUTH_IDENTITY_EXA cid = identity("alice", env("KRB_REALM"), env("KRB_PASS"), NULL);
    assert_int_equal(AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_OUTBOUND, NULL, &cid, NULL, NULL, &kc,
                                               &ts),
                     SEC_E_OK);
    SEC_WINNT_AUTH_IDENTITY_EXA sid = identity("", "", "", "!NTLM");
    char principal[1024];
    snprintf(principal, sizeof(principal), "keytab:%s", env("KRB_HTTP_KEYTAB"));
    assert_int_equal(AcquireCredentialsHandleA(principal, "Negotiate", SECPKG_CRED_INBOUND, NULL, &sid, NULL, NULL,
                                               &sc, &ts),
                     SEC_E_OK);
    /* NegTokenInit { [NTLM, KRB5] } */
    struct rd mechs[2] = { rd_init(spnego_oid_ntlm, sizeof(spnego_oid_ntlm)),
                           rd_init(spnego_oid_krb5, sizeof(spnego_oid_krb5)) };
    struct wr list, w;
    wr_init(&list, 0, 1024, 0);
    wr_init(&w, 0, 1 << 16, 0);
    assert_true(spnego_build_mech_list(&list, mechs, 2));
    struct spnego_init init;
    memset(&init, 0, sizeof(init));
    init.mech_types = rd_init(list.buf, list.len);
    assert_true(spnego_build_init(&w, &init));
    static uint8_t out[16384], ktok[16384];
    ULONG outlen = sizeof(out), klen = sizeof(ktok);
    assert_int_equal(sspi_step(false, &sc, &sx, false, NULL, w.buf, w.len, out, &outlen), SEC_I_CONTINUE_NEEDED);
    struct spnego_resp r;
    assert_true(spnego_parse_resp(rd_init(out, outlen), &r));
    assert_true(r.has_state && r.state == SPNEGO_REQUEST_MIC);
    assert_true(r.has_mech && der_oid_equal(r.mech, spnego_oid_krb5, sizeof(spnego_oid_krb5)));
    assert_false(r.has_token);
    /* Kerberos from its first token: AP-REQ in a NegTokenResp */
    assert_int_equal(sspi_step(true, &kc, &kx, false, TARGET, NULL, 0, ktok, &klen), SEC_I_CONTINUE_NEEDED);
    struct spnego_resp cr;
    memset(&cr, 0, sizeof(cr));
    cr.has_state = true;
    cr.state = SPNEGO_ACCEPT_INCOMPLETE;
    cr.has_token = true;
    cr.token = rd_init(ktok, klen);
    w.len = 0;
    assert_true(spnego_build_resp(&w, &cr));
    outlen = sizeof(out);
    assert_int_equal(sspi_step(false, &sc, &sx, true, NULL, w.buf, w.len, out, &outlen), SEC_I_CONTINUE_NEEDED);
    /* accept-incomplete, the AP-REP and the server's MIC */
    assert_true(spnego_parse_resp(rd_init(out, outlen), &r));
    assert_true(r.has_state && r.state == SPNEGO_ACCEPT_INCOMPLETE);
    assert_true(r.has_token && r.has_mic);
    klen = sizeof(ktok);
    assert_int_equal(sspi_step(true, &kc, &kx, true, TARGET, r.token.p, r.token.len, ktok, &klen), SEC_E_OK);
    uint8_t mic[512];
    memcpy(mic, r.mic.p, r.mic.len);
    SecBuffer vb[2] = { { (ULONG)list.len, SECBUFFER_DATA, list.buf }, { (ULONG)r.mic.len, SECBUFFER_TOKEN, mic } };
    SecBufferDesc vd = { SECBUFFER_VERSION, 2, vb };
    ULONG qop;
    assert_int_equal(VerifySignature(&kx, &vd, 0, &qop), SEC_E_OK);
    /* our MIC */
    SecPkgContext_Sizes sz;
    assert_int_equal(QueryContextAttributesA(&kx, SECPKG_ATTR_SIZES, &sz), SEC_E_OK);
    SecBuffer mb[2] = { { (ULONG)list.len, SECBUFFER_DATA, list.buf }, { sz.cbMaxSignature, SECBUFFER_TOKEN, mic } };
    SecBufferDesc md = { SECBUFFER_VERSION, 2, mb };
    assert_int_equal(MakeSignature(&kx, 0, &md, 0), SEC_E_OK);
    memset(&cr, 0, sizeof(cr));
    cr.has_mic = true;
    cr.mic = rd_init(mic, mb[1].cbBuffer);
    w.len = 0;
    assert_true(spnego_build_resp(&w, &cr));
    outlen = sizeof(out);
    assert_int_equal(sspi_step(false, &sc, &sx, true, NULL, w.buf, w.len, out, &outlen), SEC_E_OK);
    assert_int_equal(outlen, 0); /* it had sent its MIC: nothing more to say */
    expect_package(&sx, "Kerberos");
    /* and the contexts talk */
    static uint8_t wire[4096];
    size_t n = seal(&kx, "after the Kerberos MICs", wire);
    unseal(&sx, wire, n, "after the Kerberos MICs");
    wr_free(&list);
    wr_free(&w);
    DeleteSecurityContext(&kx);
    DeleteSecurityContext(&sx);
    FreeCredentialsHandle(&kc);
    FreeCredentialsHandle(&sc);
}

static void test_server_without_the_key_rejects(void **state)
{
    /* the server holds host/ keys only; the client's AP-REQ is for HTTP/:
     * the server refuses with a reject NegTokenResp and the client, given
     * it, fails too */
    struct pair p;
    pair_init(&p);
    client_cred(&p, env("KRB_PASS"), NULL);
    server_cred(&p, "KRB_HOST_KEYTAB");
    SECURITY_STATUS st = run(&p, TARGET, CREQ, SREQ);
    assert_int_equal(st, p.sst);
    assert_int_equal(st, SEC_E_WRONG_PRINCIPAL);
    assert_int_equal(p.legs, 2);
    struct spnego_resp r;
    assert_true(spnego_parse_resp(rd_init(p.tok[1], p.toklen[1]), &r));
    assert_true(r.has_state && r.state == SPNEGO_REJECT);
    uint8_t out[4096];
    SecBuffer ib = { p.toklen[1], SECBUFFER_TOKEN, p.tok[1] }, ob = { sizeof(out), SECBUFFER_TOKEN, out };
    SecBufferDesc id = { SECBUFFER_VERSION, 1, &ib }, od = { SECBUFFER_VERSION, 1, &ob };
    TimeStamp ts;
    st = InitializeSecurityContextA(&p.cc, &p.cx, TARGET, CREQ, 0, 0, &id, 0, &p.cx, &od, &p.cattr, &ts);
    assert_false(going(st));
    free_pair(&p);
}

static void test_raw_kerberos_to_a_negotiate_server(void **state)
{
    /* a bare GSS krb5 AP-REQ (no SPNEGO) is accepted, as Windows does: the
     * context is then the Kerberos package's, tokens unwrapped both ways */
    struct pair p;
    pair_init(&p);
    SEC_WINNT_AUTH_IDENTITY_EXA id = identity("alice", env("KRB_REALM"), env("KRB_PASS"), NULL);
    TimeStamp ts;
    assert_int_equal(AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL, &p.cc,
                                               &ts),
                     SEC_E_OK);
    server_cred(&p, "KRB_HTTP_KEYTAB");
    assert_int_equal(run(&p, TARGET, CREQ, SREQ), SEC_E_OK);
    assert_int_equal(p.legs, 2);
    struct rd oid, inner;
    assert_true(spnego_gss_header(rd_init(p.tok[0], p.toklen[0]), &oid, &inner));
    assert_true(der_oid_equal(oid, spnego_oid_krb5, sizeof(spnego_oid_krb5)));
    expect_package(&p.sx, "Kerberos");
    messages_both_ways(&p);
    free_pair(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kerberos_wins_in_two_legs),
        cmocka_unit_test(test_kerberos_without_mutual_authentication),
        cmocka_unit_test(test_unknown_spn_falls_back_to_ntlm),
        cmocka_unit_test(test_address_target_goes_straight_to_ntlm),
        cmocka_unit_test(test_wrong_password_does_not_fall_back),
        cmocka_unit_test(test_package_list_kerberos_only),
        cmocka_unit_test(test_server_without_kerberos_keys_asks_for_mics),
        cmocka_unit_test(test_delegated_ticket_reaches_the_server_through_negotiate),
        cmocka_unit_test(test_server_without_the_key_rejects),
        cmocka_unit_test(test_raw_kerberos_to_a_negotiate_server),
        cmocka_unit_test(test_our_client_with_mit_spnego_acceptor),
        cmocka_unit_test(test_mit_spnego_initiator_with_our_server),
        cmocka_unit_test(test_kerberos_mech_list_mics_when_it_is_not_the_first_choice),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

#else /* no Kerberos package */

static void test_needs_the_kerberos_package(void **state)
{
    skip();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_needs_the_kerberos_package),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

#endif
