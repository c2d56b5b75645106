/* tests/unit/negotiate/test_negotiate_loopback.c - the Negotiate package, client
 * and server in one process, through the public SSPI API only: SPNEGO with NTLM
 * underneath (Kerberos, when the library has it, cannot get a ticket here and
 * is dropped), sealing and signing both ways, the legs Windows takes, wrong
 * passwords, PackageList, raw NTLM to a Negotiate server, Negotiate to a raw
 * NTLM server, server-initiated hints, the mechanism that won
 * (NEGOTIATION_INFO, PACKAGE_INFO), tampered tokens and mechListMICs, and the
 * wire shapes of what goes out (checked with the DER reader). */
#define SECURITY_WIN32
#include <security.h>

#include "asn1/der.h"
#include "negotiate/negotiate.h"
#include "negotiate/spnego_token.h"
#include "ntlm/ntlm_crypto.h"
#include "ntlm/ntlm_message.h"

#include "vectors.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char user_file[] = "/tmp/opensspi-nego-users-XXXXXX";
static char krb5_conf[] = "/tmp/opensspi-nego-krb5-XXXXXX";

static int setup_users(void **state)
{
    int fd = mkstemp(user_file);
    assert_true(fd >= 0);
    const char *text = "TESTDOM:alice:Secret123\n"
                       "TESTDOM:bob:Password2\n";
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    setenv("NTLM_USER_FILE", user_file, 1);
    unsetenv("LM_COMPAT_LEVEL");
    unsetenv("NTLM_USER");
    /* no Kerberos ticket can be had in these tests, and quickly: no realm has
     * a KDC and DNS is not asked */
    fd = mkstemp(krb5_conf);
    assert_true(fd >= 0);
    const char *conf = "[libdefaults]\n default_realm = NOWHERE.INVALID\n dns_lookup_kdc = false\n"
                       " dns_lookup_realm = false\n";
    assert_int_equal(write(fd, conf, strlen(conf)), (ssize_t)strlen(conf));
    close(fd);
    setenv("KRB5_CONFIG", krb5_conf, 1);
    setenv("KRB5CCNAME", "FILE:/nonexistent/opensspi-nego-ccache", 1);
    setenv("KRB5_KTNAME", "FILE:/nonexistent/opensspi-nego-keytab", 1);
    return 0;
}

static int teardown_users(void **state)
{
    unlink(user_file);
    unlink(krb5_conf);
    return 0;
}

#define CREQ                                                                                               \
    (ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY | ISC_REQ_SEQUENCE_DETECT | ISC_REQ_REPLAY_DETECT         \
     | ISC_REQ_CONNECTION)
#define SREQ                                                                                               \
    (ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY | ASC_REQ_SEQUENCE_DETECT | ASC_REQ_REPLAY_DETECT         \
     | ASC_REQ_CONNECTION)

struct pair {
    CredHandle ccred, scred;
    CtxtHandle cctx, sctx;
    bool have_c, have_s;
    ULONG cattr, sattr;
    SECURITY_STATUS cst, sst;
    int legs; /* tokens that crossed the wire */
    /* the tokens of the last run, for shape checks */
    uint8_t tok[8][4096];
    ULONG toklen[8];
};

static SEC_WINNT_AUTH_IDENTITY_EXA identity_ex(const char *user, const char *domain, const char *pw,
                                               const char *packages)
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
    id.PackageList = (unsigned char *)packages;
    id.PackageListLength = packages ? (ULONG)strlen(packages) : 0;
    id.Flags = SEC_WINNT_AUTH_IDENTITY_ANSI;
    return id;
}

static void client_creds(struct pair *p, const char *pkg, const char *user, const char *pw, const char *packages)
{
    SEC_WINNT_AUTH_IDENTITY_EXA id = identity_ex(user, "TESTDOM", pw, packages);
    TimeStamp ts;
    assert_int_equal(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)pkg, SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL,
                                               &p->ccred, &ts),
                     SEC_E_OK);
}

static void server_creds(struct pair *p, const char *pkg)
{
    TimeStamp ts;
    assert_int_equal(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)pkg, SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL,
                                               &p->scred, &ts),
                     SEC_E_OK);
}

static void pair_init(struct pair *p)
{
    memset(p, 0, sizeof(*p));
    SecInvalidateHandle(&p->cctx);
    SecInvalidateHandle(&p->sctx);
}

static void free_pair(struct pair *p)
{
    if (p->have_c)
        DeleteSecurityContext(&p->cctx);
    if (p->have_s)
        DeleteSecurityContext(&p->sctx);
    FreeCredentialsHandle(&p->ccred);
    FreeCredentialsHandle(&p->scred);
}

static bool cont(SECURITY_STATUS st)
{
    return st == SEC_I_CONTINUE_NEEDED;
}

/* tamper - a hook that may change the token about to cross (leg n) */
typedef void (*tamper_fn)(int leg, uint8_t *tok, ULONG *len);

/* run - ISC and ASC in turn until both are done or one fails; every token
 * crosses through p->tok[]. Returns SEC_E_OK or the first failure. */
static SECURITY_STATUS run(struct pair *p, ULONG creq, ULONG sreq, const char *target, tamper_fn tamper)
{
    uint8_t out[4096];
    SecBuffer ob, ib;
    SecBufferDesc od = { SECBUFFER_VERSION, 1, &ob }, id = { SECBUFFER_VERSION, 1, &ib };
    TimeStamp ts;
    bool cdone = false, sdone = false, have_in = false;
    ULONG inlen = 0;
    uint8_t in[4096];
    p->legs = 0;
    for (int turn = 0; turn < 16; turn++) {
        bool client = (turn % 2) == 0;
        if (client ? cdone : sdone) {
            if (have_in)
                return SEC_E_INTERNAL_ERROR; /* a token for a finished side */
            return (cdone && sdone) ? SEC_E_OK : SEC_E_INTERNAL_ERROR;
        }
        ob = (SecBuffer){ sizeof(out), SECBUFFER_TOKEN, out };
        ib = (SecBuffer){ inlen, SECBUFFER_TOKEN, in };
        SECURITY_STATUS st;
        if (client) {
            st = InitializeSecurityContextA(&p->ccred, p->have_c ? &p->cctx : NULL, (SEC_CHAR *)target, creq, 0,
                                            SECURITY_NATIVE_DREP, have_in ? &id : NULL, 0, &p->cctx, &od,
                                            &p->cattr, &ts);
            p->cst = st;
            if (st == SEC_E_OK || cont(st))
                p->have_c = true;
            cdone = st == SEC_E_OK;
        } else {
            if (!have_in)
                return SEC_E_INTERNAL_ERROR;
            st = AcceptSecurityContext(&p->scred, p->have_s ? &p->sctx : NULL, &id, sreq, SECURITY_NATIVE_DREP,
                                       &p->sctx, &od, &p->sattr, &ts);
            p->sst = st;
            if (st == SEC_E_OK || cont(st))
                p->have_s = true;
            sdone = st == SEC_E_OK;
        }
        if (st != SEC_E_OK && !cont(st))
            return st;
        have_in = ob.cbBuffer != 0;
        if (have_in) {
            assert_true(p->legs < 8);
            memcpy(in, out, ob.cbBuffer);
            inlen = ob.cbBuffer;
            if (tamper)
                tamper(p->legs, in, &inlen);
            memcpy(p->tok[p->legs], in, inlen);
            p->toklen[p->legs] = inlen;
            p->legs++;
        }
        if (cdone && sdone && !have_in)
            return SEC_E_OK;
    }
    return SEC_E_INTERNAL_ERROR;
}

static void seal_roundtrip(CtxtHandle *from, CtxtHandle *to, const char *text)
{
    uint8_t sig[64], data[256];
    size_t n = strlen(text);
    SecPkgContext_Sizes sz;
    assert_int_equal(QueryContextAttributesA(from, SECPKG_ATTR_SIZES, &sz), SEC_E_OK);
    assert_true(sz.cbSecurityTrailer <= sizeof(sig));
    memcpy(data, text, n);
    SecBuffer b[2] = { { sz.cbSecurityTrailer, SECBUFFER_TOKEN, sig }, { (ULONG)n, SECBUFFER_DATA, data } };
    SecBufferDesc d = { SECBUFFER_VERSION, 2, b };
    assert_int_equal(EncryptMessage(from, 0, &d, 0), SEC_E_OK);
    assert_memory_not_equal(data, text, n);
    ULONG qop = 99;
    assert_int_equal(DecryptMessage(to, &d, 0, &qop), SEC_E_OK);
    assert_memory_equal(data, text, n);
}

static void sign_roundtrip(CtxtHandle *from, CtxtHandle *to, const char *text)
{
    uint8_t sig[64];
    SecBuffer b[2] = { { (ULONG)strlen(text), SECBUFFER_DATA, (void *)text }, { sizeof(sig), SECBUFFER_TOKEN, sig } };
    SecBufferDesc d = { SECBUFFER_VERSION, 2, b };
    assert_int_equal(MakeSignature(from, 0, &d, 0), SEC_E_OK);
    ULONG qop;
    assert_int_equal(VerifySignature(to, &d, 0, &qop), SEC_E_OK);
    /* the same signature again is a replay */
    assert_int_not_equal(VerifySignature(to, &d, 0, &qop), SEC_E_OK);
}

static void expect_negotiated(CtxtHandle *h, const char *pkg, ULONG state)
{
    SecPkgContext_NegotiationInfoA ni;
    memset(&ni, 0, sizeof(ni));
    assert_int_equal(QueryContextAttributesA(h, SECPKG_ATTR_NEGOTIATION_INFO, &ni), SEC_E_OK);
    assert_non_null(ni.PackageInfo);
    assert_string_equal(ni.PackageInfo->Name, pkg);
    assert_int_equal(ni.NegotiationState, state);
    FreeContextBuffer(ni.PackageInfo);
    SecPkgContext_PackageInfoA pi;
    memset(&pi, 0, sizeof(pi));
    assert_int_equal(QueryContextAttributesA(h, SECPKG_ATTR_PACKAGE_INFO, &pi), SEC_E_OK);
    assert_string_equal(pi.PackageInfo->Name, pkg);
    FreeContextBuffer(pi.PackageInfo);
}

/* a standard Negotiate pair for alice */
static void nego_pair(struct pair *p, const char *pw)
{
    pair_init(p);
    client_creds(p, "Negotiate", "alice", pw, NULL);
    server_creds(p, "Negotiate");
}

/* ---- the package --------------------------------------------------------- */

static void test_negotiate_is_listed_first_with_windows_info(void **state)
{
    ULONG n = 0;
    PSecPkgInfoA info = NULL;
    assert_int_equal(EnumerateSecurityPackagesA(&n, &info), SEC_E_OK);
    assert_true(n >= 2);
    assert_string_equal(info[0].Name, "Negotiate");
    assert_string_equal(info[0].Comment, "Microsoft Package Negotiator");
    assert_int_equal(info[0].fCapabilities, 0x00083BB3);
    assert_int_equal(info[0].wRPCID, 9);
    assert_int_equal(info[0].cbMaxToken, 48256);
    FreeContextBuffer(info);
    PSecPkgInfoW wi = NULL;
    assert_int_equal(QuerySecurityPackageInfoW((SEC_WCHAR *)u"negotiate", &wi), SEC_E_OK);
    assert_int_equal(wi->cbMaxToken, 48256);
    FreeContextBuffer(wi);
}

/* ---- handshakes ----------------------------------------------------------- */

static void test_ntlm_under_spnego_seals_and_signs_both_ways(void **state)
{
    struct pair p;
    nego_pair(&p, "Secret123");
    assert_int_equal(run(&p, CREQ, SREQ, "HTTP/server.example.com", NULL), SEC_E_OK);
    /* NegTokenInit, CHALLENGE, AUTHENTICATE + MIC, accept-completed + MIC */
    assert_int_equal(p.legs, 4);
    assert_true(p.cattr & ISC_RET_CONFIDENTIALITY);
    assert_true(p.cattr & ISC_RET_INTEGRITY);
    assert_true(p.sattr & ASC_RET_CONFIDENTIALITY);
    expect_negotiated(&p.cctx, "NTLM", SECPKG_NEGOTIATION_COMPLETE);
    expect_negotiated(&p.sctx, "NTLM", SECPKG_NEGOTIATION_COMPLETE);
    for (int i = 0; i < 3; i++) {
        seal_roundtrip(&p.cctx, &p.sctx, "client to server, sealed");
        seal_roundtrip(&p.sctx, &p.cctx, "server to client, sealed");
        sign_roundtrip(&p.cctx, &p.sctx, "client to server, signed");
        sign_roundtrip(&p.sctx, &p.cctx, "server to client, signed");
    }
    SecPkgContext_NamesA names;
    assert_int_equal(QueryContextAttributesA(&p.sctx, SECPKG_ATTR_NAMES, &names), SEC_E_OK);
    assert_string_equal(names.sUserName, "TESTDOM\\alice");
    FreeContextBuffer(names.sUserName);
    SecPkgContext_Sizes sz;
    assert_int_equal(QueryContextAttributesA(&p.cctx, SECPKG_ATTR_SIZES, &sz), SEC_E_OK);
    assert_int_equal(sz.cbMaxToken, 48256);
    assert_int_equal(sz.cbMaxSignature, 16);
    free_pair(&p);
}

static void test_wide_entry_points_and_allocated_tokens(void **state)
{
    struct pair p;
    pair_init(&p);
    SEC_WINNT_AUTH_IDENTITY_W id;
    memset(&id, 0, sizeof(id));
    id.User = (unsigned short *)u"alice";
    id.UserLength = 5;
    id.Domain = (unsigned short *)u"TESTDOM";
    id.DomainLength = 7;
    id.Password = (unsigned short *)u"Secret123";
    id.PasswordLength = 9;
    id.Flags = SEC_WINNT_AUTH_IDENTITY_UNICODE;
    TimeStamp ts;
    assert_int_equal(AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)u"Negotiate", SECPKG_CRED_OUTBOUND, NULL, &id,
                                               NULL, NULL, &p.ccred, &ts),
                     SEC_E_OK);
    assert_int_equal(AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)u"Negotiate", SECPKG_CRED_INBOUND, NULL, NULL,
                                               NULL, NULL, &p.scred, &ts),
                     SEC_E_OK);
    SecBuffer ob = { 0, SECBUFFER_TOKEN, NULL }, ib;
    SecBufferDesc od = { SECBUFFER_VERSION, 1, &ob }, idd = { SECBUFFER_VERSION, 1, &ib };
    SECURITY_STATUS cst = InitializeSecurityContextW(&p.ccred, NULL, (SEC_WCHAR *)u"HTTP/web.example.com",
                                                     CREQ | ISC_REQ_ALLOCATE_MEMORY, 0, 0, NULL, 0, &p.cctx, &od,
                                                     &p.cattr, &ts);
    assert_int_equal(cst, SEC_I_CONTINUE_NEEDED);
    assert_true(p.cattr & ISC_RET_ALLOCATED_MEMORY);
    p.have_c = true;
    SECURITY_STATUS sst = SEC_I_CONTINUE_NEEDED;
    int legs = 1;
    while (ob.cbBuffer) {
        ib = ob;
        SecBuffer next = { 0, SECBUFFER_TOKEN, NULL };
        SecBufferDesc nd = { SECBUFFER_VERSION, 1, &next };
        if (legs % 2) {
            sst = AcceptSecurityContext(&p.scred, p.have_s ? &p.sctx : NULL, &idd, SREQ | ASC_REQ_ALLOCATE_MEMORY,
                                        0, &p.sctx, &nd, &p.sattr, &ts);
            assert_true(sst == SEC_E_OK || cont(sst));
            p.have_s = true;
        } else {
            cst = InitializeSecurityContextW(&p.ccred, &p.cctx, (SEC_WCHAR *)u"HTTP/web.example.com",
                                             CREQ | ISC_REQ_ALLOCATE_MEMORY, 0, 0, &idd, 0, &p.cctx, &nd, &p.cattr,
                                             &ts);
            assert_true(cst == SEC_E_OK || cont(cst));
        }
        FreeContextBuffer(ob.pvBuffer);
        ob = next;
        legs++;
    }
    assert_int_equal(cst, SEC_E_OK);
    assert_int_equal(sst, SEC_E_OK);
    seal_roundtrip(&p.cctx, &p.sctx, "wide");
    SecPkgContext_NegotiationInfoW ni;
    assert_int_equal(QueryContextAttributesW(&p.sctx, SECPKG_ATTR_NEGOTIATION_INFO, &ni), SEC_E_OK);
    assert_memory_equal(ni.PackageInfo->Name, u"NTLM", 10);
    FreeContextBuffer(ni.PackageInfo);
    free_pair(&p);
}

static void test_without_integrity_requested_the_mic_still_flows(void **state)
{
    struct pair p;
    nego_pair(&p, "Secret123");
    assert_int_equal(run(&p, ISC_REQ_CONNECTION, ASC_REQ_CONNECTION, "HTTP/server.example.com", NULL), SEC_E_OK);
    assert_int_equal(p.legs, 4);
    free_pair(&p);
}

static void test_wrong_password_is_refused_with_a_reject_token(void **state)
{
    struct pair p;
    nego_pair(&p, "not-the-password");
    SECURITY_STATUS st = run(&p, CREQ, SREQ, "HTTP/server.example.com", NULL);
    assert_int_equal(st, SEC_E_LOGON_DENIED);
    assert_int_equal(p.sst, SEC_E_LOGON_DENIED);
    free_pair(&p);
}

static void test_server_reject_token_fails_the_client(void **state)
{
    /* AcceptSecurityContext hands back a reject NegTokenResp with the error */
    struct pair p;
    nego_pair(&p, "not-the-password");
    uint8_t out[4096], in[4096];
    SecBuffer ob, ib;
    SecBufferDesc od = { SECBUFFER_VERSION, 1, &ob }, id = { SECBUFFER_VERSION, 1, &ib };
    TimeStamp ts;
    SECURITY_STATUS st;
    ULONG inlen;
    ob = (SecBuffer){ sizeof(out), SECBUFFER_TOKEN, out };
    assert_int_equal(InitializeSecurityContextA(&p.ccred, NULL, "HTTP/x", CREQ, 0, 0, NULL, 0, &p.cctx, &od,
                                                &p.cattr, &ts),
                     SEC_I_CONTINUE_NEEDED);
    p.have_c = true;
    for (int leg = 0; leg < 2; leg++) {
        memcpy(in, out, ob.cbBuffer);
        inlen = ob.cbBuffer;
        ib = (SecBuffer){ inlen, SECBUFFER_TOKEN, in };
        ob = (SecBuffer){ sizeof(out), SECBUFFER_TOKEN, out };
        st = AcceptSecurityContext(&p.scred, p.have_s ? &p.sctx : NULL, &id, SREQ, 0, &p.sctx, &od, &p.sattr, &ts);
        p.have_s = true;
        if (leg == 1)
            break;
        assert_int_equal(st, SEC_I_CONTINUE_NEEDED);
        memcpy(in, out, ob.cbBuffer);
        ib = (SecBuffer){ ob.cbBuffer, SECBUFFER_TOKEN, in };
        ob = (SecBuffer){ sizeof(out), SECBUFFER_TOKEN, out };
        assert_int_equal(InitializeSecurityContextA(&p.ccred, &p.cctx, "HTTP/x", CREQ, 0, 0, &id, 0, &p.cctx, &od,
                                                    &p.cattr, &ts),
                         SEC_I_CONTINUE_NEEDED);
    }
    assert_int_equal(st, SEC_E_LOGON_DENIED);
    assert_true(ob.cbBuffer > 0);
    struct spnego_resp r;
    assert_true(spnego_parse_resp(rd_init(out, ob.cbBuffer), &r));
    assert_true(r.has_state);
    assert_int_equal(r.state, SPNEGO_REJECT);
    memcpy(in, out, ob.cbBuffer);
    ib = (SecBuffer){ ob.cbBuffer, SECBUFFER_TOKEN, in };
    ob = (SecBuffer){ sizeof(out), SECBUFFER_TOKEN, out };
    assert_int_equal(InitializeSecurityContextA(&p.ccred, &p.cctx, "HTTP/x", CREQ, 0, 0, &id, 0, &p.cctx, &od,
                                                &p.cattr, &ts),
                     SEC_E_LOGON_DENIED);
    free_pair(&p);
}

static void test_unknown_user_is_refused(void **state)
{
    struct pair p;
    pair_init(&p);
    client_creds(&p, "Negotiate", "mallory", "Secret123", NULL);
    server_creds(&p, "Negotiate");
    assert_int_equal(run(&p, CREQ, SREQ, "HTTP/x", NULL), SEC_E_LOGON_DENIED);
    free_pair(&p);
}

/* ---- PackageList ---------------------------------------------------------- */

static void test_package_list_without_ntlm_has_no_credentials(void **state)
{
#ifndef OPENSSPI_WITH_KERBEROS
    CredHandle h;
    TimeStamp ts;
    SEC_WINNT_AUTH_IDENTITY_EXA id = identity_ex("alice", "TESTDOM", "Secret123", "!NTLM");
    assert_int_equal(AcquireCredentialsHandleA(NULL, "Negotiate", SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL, &h,
                                               &ts),
                     SEC_E_NO_CREDENTIALS);
    id = identity_ex("alice", "TESTDOM", "Secret123", "Kerberos");
    assert_int_equal(AcquireCredentialsHandleA(NULL, "Negotiate", SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL, &h,
                                               &ts),
                     SEC_E_NO_CREDENTIALS);
#else
    /* with Kerberos built in, "!NTLM" leaves Kerberos, which cannot get a
     * ticket here: the first InitializeSecurityContext fails */
    struct pair p;
    pair_init(&p);
    SEC_WINNT_AUTH_IDENTITY_EXA id = identity_ex("alice", "TESTDOM", "Secret123", "!NTLM");
    TimeStamp ts;
    SECURITY_STATUS st
        = AcquireCredentialsHandleA(NULL, "Negotiate", SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL, &p.ccred, &ts);
    if (st == SEC_E_OK) {
        uint8_t out[4096];
        SecBuffer ob = { sizeof(out), SECBUFFER_TOKEN, out };
        SecBufferDesc od = { SECBUFFER_VERSION, 1, &ob };
        st = InitializeSecurityContextA(&p.ccred, NULL, "HTTP/server.example.com", CREQ, 0, 0, NULL, 0, &p.cctx,
                                        &od, &p.cattr, &ts);
        assert_int_equal(st, SEC_E_NO_AUTHENTICATING_AUTHORITY);
        FreeCredentialsHandle(&p.ccred);
    }
#endif
}

static void test_package_list_naming_ntlm_works(void **state)
{
    static const char *const lists[] = { "NTLM", "ntlm", " Kerberos , NTLM ", "!Kerberos", "!kerberos,!NegoExtender" };
    for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
        struct pair p;
        pair_init(&p);
        client_creds(&p, "Negotiate", "alice", "Secret123", lists[i]);
        server_creds(&p, "Negotiate");
        assert_int_equal(run(&p, CREQ, SREQ, "HTTP/x", NULL), SEC_E_OK);
        expect_negotiated(&p.cctx, "NTLM", SECPKG_NEGOTIATION_COMPLETE);
        free_pair(&p);
    }
}

static void test_package_list_rules(void **state)
{
    assert_true(nego_package_list_allows(NULL, "NTLM"));
    assert_true(nego_package_list_allows("", "NTLM"));
    assert_true(nego_package_list_allows("NTLM", "NTLM"));
    assert_false(nego_package_list_allows("Kerberos", "NTLM"));
    assert_true(nego_package_list_allows("Kerberos", "kerberos"));
    assert_false(nego_package_list_allows("!NTLM", "NTLM"));
    assert_true(nego_package_list_allows("!NTLM", "Kerberos"));
    assert_false(nego_package_list_allows("NTLM,!NTLM", "NTLM"));
    assert_true(nego_package_list_allows("  kerberos ,  ntlm  ", "NTLM"));
    assert_false(nego_package_list_allows("! ntlm", "NTLM"));
    assert_false(nego_package_list_allows("NTLMX", "NTLM"));
    assert_false(nego_package_list_allows("NTL", "NTLM"));
    assert_true(nego_package_list_allows(",,", "NTLM"));
}

static void test_address_targets_are_recognised(void **state)
{
    assert_true(nego_target_is_address("HTTP/192.0.2.7"));
    assert_true(nego_target_is_address("HTTP/192.0.2.7:8080"));
    assert_true(nego_target_is_address("cifs/10.0.0.1/share"));
    assert_true(nego_target_is_address("HTTP/[2001:db8::1]:443"));
    assert_true(nego_target_is_address("HTTP/2001:db8::1"));
    assert_true(nego_target_is_address("HTTP@127.0.0.1"));
    assert_true(nego_target_is_address("127.0.0.1"));
    assert_false(nego_target_is_address("HTTP/server.example.com"));
    assert_false(nego_target_is_address("HTTP/server.example.com:80"));
    assert_false(nego_target_is_address("host@server"));
    assert_false(nego_target_is_address("HTTP/1.2.3.4.example.com"));
    assert_false(nego_target_is_address(NULL));
    assert_false(nego_target_is_address(""));
}

/* ---- raw tokens, hints, mixed packages ---------------------------------------- */

static void test_raw_ntlm_client_to_negotiate_server(void **state)
{
    struct pair p;
    pair_init(&p);
    client_creds(&p, "NTLM", "alice", "Secret123", NULL);
    server_creds(&p, "Negotiate");
    assert_int_equal(run(&p, CREQ, SREQ, "HTTP/x", NULL), SEC_E_OK);
    assert_int_equal(p.legs, 3); /* plain NTLM: no SPNEGO anywhere */
    assert_memory_equal(p.tok[1], "NTLMSSP\0", 8);
    expect_negotiated(&p.sctx, "NTLM", SECPKG_NEGOTIATION_COMPLETE);
    seal_roundtrip(&p.cctx, &p.sctx, "raw");
    seal_roundtrip(&p.sctx, &p.cctx, "raw back");
    sign_roundtrip(&p.cctx, &p.sctx, "raw signed");
    sign_roundtrip(&p.sctx, &p.cctx, "raw signed back");
    SecPkgContext_Sizes sz;
    assert_int_equal(QueryContextAttributesA(&p.sctx, SECPKG_ATTR_SIZES, &sz), SEC_E_OK);
    assert_int_equal(sz.cbMaxSignature, 16);
    free_pair(&p);
}

static void test_negotiate_client_to_raw_ntlm_server_fails_cleanly(void **state)
{
    struct pair p;
    pair_init(&p);
    client_creds(&p, "Negotiate", "alice", "Secret123", NULL);
    server_creds(&p, "NTLM");
    assert_int_equal(run(&p, CREQ, SREQ, "HTTP/x", NULL), SEC_E_INVALID_TOKEN);
    free_pair(&p);
}

static void test_server_hints_first_then_client(void **state)
{
    struct pair p;
    nego_pair(&p, "Secret123");
    uint8_t hints[4096];
    SecBuffer ob = { sizeof(hints), SECBUFFER_TOKEN, hints };
    SecBufferDesc od = { SECBUFFER_VERSION, 1, &ob };
    TimeStamp ts;
    /* a server that speaks first (SMB): no input at all */
    assert_int_equal(AcceptSecurityContext(&p.scred, NULL, NULL, SREQ, 0, &p.sctx, &od, &p.sattr, &ts),
                     SEC_I_CONTINUE_NEEDED);
    p.have_s = true;
    struct spnego_init m;
    assert_true(spnego_parse_init(rd_init(hints, ob.cbBuffer), &m));
    assert_true(m.has_hints && m.has_hint_name);
    assert_int_equal(m.hint_name.len, strlen(SPNEGO_HINT_NAME));
    assert_memory_equal(m.hint_name.p, SPNEGO_HINT_NAME, m.hint_name.len);
    assert_false(m.has_mech_token);
    assert_true(m.nmechs >= 1);
    assert_true(der_oid_equal(m.mechs[m.nmechs - 1], spnego_oid_ntlm, sizeof(spnego_oid_ntlm)));
    /* the client starts from the server's NegTokenInit2 */
    uint8_t ctok[4096], stok[4096];
    SecBuffer cin = { ob.cbBuffer, SECBUFFER_TOKEN, hints }, cout = { sizeof(ctok), SECBUFFER_TOKEN, ctok };
    SecBufferDesc cind = { SECBUFFER_VERSION, 1, &cin }, coutd = { SECBUFFER_VERSION, 1, &cout };
    assert_int_equal(InitializeSecurityContextA(&p.ccred, NULL, "cifs/fileserver", CREQ, 0, 0, &cind, 0, &p.cctx,
                                                &coutd, &p.cattr, &ts),
                     SEC_I_CONTINUE_NEEDED);
    p.have_c = true;
    SECURITY_STATUS cst = SEC_I_CONTINUE_NEEDED, sst = SEC_I_CONTINUE_NEEDED;
    for (int i = 0; i < 4 && cout.cbBuffer; i++) {
        SecBuffer sin = { cout.cbBuffer, SECBUFFER_TOKEN, ctok }, sout = { sizeof(stok), SECBUFFER_TOKEN, stok };
        SecBufferDesc sind = { SECBUFFER_VERSION, 1, &sin }, soutd = { SECBUFFER_VERSION, 1, &sout };
        sst = AcceptSecurityContext(&p.scred, &p.sctx, &sind, SREQ, 0, &p.sctx, &soutd, &p.sattr, &ts);
        assert_true(sst == SEC_E_OK || cont(sst));
        if (!sout.cbBuffer)
            break;
        cin = (SecBuffer){ sout.cbBuffer, SECBUFFER_TOKEN, stok };
        cout = (SecBuffer){ sizeof(ctok), SECBUFFER_TOKEN, ctok };
        cst = InitializeSecurityContextA(&p.ccred, &p.cctx, "cifs/fileserver", CREQ, 0, 0, &cind, 0, &p.cctx, &coutd,
                                         &p.cattr, &ts);
        assert_true(cst == SEC_E_OK || cont(cst));
    }
    assert_int_equal(cst, SEC_E_OK);
    assert_int_equal(sst, SEC_E_OK);
    seal_roundtrip(&p.cctx, &p.sctx, "after hints");
    free_pair(&p);
}

/* ---- wire shapes ----------------------------------------------------------- */

static void test_tokens_have_the_windows_shapes(void **state)
{
    struct pair p;
    nego_pair(&p, "Secret123");
    assert_int_equal(run(&p, CREQ, SREQ, "HTTP/server.example.com", NULL), SEC_E_OK);
    assert_int_equal(p.legs, 4);
    /* 1: InitialContextToken, SPNEGO OID, NegTokenInit with NTLM listed last
     *    and the NTLM NEGOTIATE as the optimistic token */
    struct spnego_init init;
    assert_true(spnego_parse_init(rd_init(p.tok[0], p.toklen[0]), &init));
    assert_false(init.has_hints);
    assert_true(init.nmechs >= 1);
    assert_true(der_oid_equal(init.mechs[init.nmechs - 1], spnego_oid_ntlm, sizeof(spnego_oid_ntlm)));
    assert_true(init.has_mech_token);
    assert_memory_equal(init.mech_token.p, "NTLMSSP\0\1\0\0\0", 12);
    assert_false(init.has_mic);
    /* 2: accept-incomplete, supportedMech NTLM, CHALLENGE */
    struct spnego_resp r;
    assert_true(spnego_parse_resp(rd_init(p.tok[1], p.toklen[1]), &r));
    assert_true(r.has_state && r.state == SPNEGO_ACCEPT_INCOMPLETE);
    assert_true(r.has_mech && der_oid_equal(r.mech, spnego_oid_ntlm, sizeof(spnego_oid_ntlm)));
    assert_true(r.has_token);
    assert_memory_equal(r.token.p, "NTLMSSP\0\2\0\0\0", 12);
    assert_false(r.has_mic);
    /* 3: AUTHENTICATE and the client's mechListMIC (an NTLM signature) */
    assert_true(spnego_parse_resp(rd_init(p.tok[2], p.toklen[2]), &r));
    assert_false(r.has_mech);
    assert_true(r.has_token);
    assert_memory_equal(r.token.p, "NTLMSSP\0\3\0\0\0", 12);
    assert_true(r.has_mic);
    assert_int_equal(r.mic.len, 16);
    assert_memory_equal(r.mic.p, "\1\0\0\0", 4);
    /* 4: accept-completed and the server's mechListMIC, no mechanism token */
    assert_true(spnego_parse_resp(rd_init(p.tok[3], p.toklen[3]), &r));
    assert_true(r.has_state && r.state == SPNEGO_ACCEPT_COMPLETED);
    assert_false(r.has_mech);
    assert_false(r.has_token);
    assert_true(r.has_mic);
    assert_int_equal(r.mic.len, 16);
    free_pair(&p);
}

/* ---- tampering -------------------------------------------------------------- */

static int tamper_leg;
static size_t tamper_from_end;

static void flip_in_leg(int leg, uint8_t *tok, ULONG *len)
{
    if (leg == tamper_leg && *len > tamper_from_end)
        tok[*len - 1 - tamper_from_end] ^= 0x01;
}

static void test_client_mech_list_mic_tampering_is_detected(void **state)
{
    /* the last byte of token 3 is the last byte of the client's MIC */
    struct pair p;
    nego_pair(&p, "Secret123");
    tamper_leg = 2;
    tamper_from_end = 0;
    assert_int_equal(run(&p, CREQ, SREQ, "HTTP/x", flip_in_leg), SEC_E_MESSAGE_ALTERED);
    assert_int_equal(p.sst, SEC_E_MESSAGE_ALTERED);
    free_pair(&p);
}

static void test_server_mech_list_mic_tampering_is_detected(void **state)
{
    struct pair p;
    nego_pair(&p, "Secret123");
    tamper_leg = 3;
    tamper_from_end = 3;
    assert_int_equal(run(&p, CREQ, SREQ, "HTTP/x", flip_in_leg), SEC_E_MESSAGE_ALTERED);
    assert_int_equal(p.cst, SEC_E_MESSAGE_ALTERED);
    /* the client context never completed: no messages */
    uint8_t sig[16];
    SecBuffer b[2] = { { 3, SECBUFFER_DATA, (void *)"abc" }, { sizeof(sig), SECBUFFER_TOKEN, sig } };
    SecBufferDesc d = { SECBUFFER_VERSION, 2, b };
    assert_int_equal(MakeSignature(&p.cctx, 0, &d, 0), SEC_E_INVALID_HANDLE);
    free_pair(&p);
}

/* a MITM rewriting the client's mechanism list (NegoEx appended): the server
 * still picks the client's first mechanism, but the client's MIC covers the
 * list it sent and the server's check covers the one it received */
static void swap_mech_list(int leg, uint8_t *tok, ULONG *len)
{
    if (leg != 0)
        return;
    struct spnego_init m;
    assert_true(spnego_parse_init(rd_init(tok, *len), &m));
    struct rd mechs[SPNEGO_MAX_MECHS + 1];
    memcpy(mechs, m.mechs, m.nmechs * sizeof(mechs[0]));
    mechs[m.nmechs] = rd_init(spnego_oid_negoex, sizeof(spnego_oid_negoex));
    struct wr list, w;
    wr_init(&list, 0, 4096, 0);
    wr_init(&w, 0, 4096, 0);
    assert_true(spnego_build_mech_list(&list, mechs, m.nmechs + 1));
    m.mech_types = rd_init(list.buf, list.len);
    assert_true(spnego_build_init(&w, &m));
    memcpy(tok, w.buf, w.len);
    *len = (ULONG)w.len;
    wr_free(&list);
    wr_free(&w);
}

static void test_mech_list_rewriting_is_refused(void **state)
{
    struct pair p;
    nego_pair(&p, "Secret123");
    assert_int_equal(run(&p, CREQ, SREQ, "HTTP/x", swap_mech_list), SEC_E_MESSAGE_ALTERED);
    assert_int_equal(p.sst, SEC_E_MESSAGE_ALTERED);
    free_pair(&p);
}

static void test_stripped_client_mic_is_refused(void **state)
{
    /* drop the mechListMIC from token 3: the NTLM AUTHENTICATE announces a
     * MIC, so the server must insist on the SPNEGO one */
    struct pair p;
    nego_pair(&p, "Secret123");
    uint8_t out[4096], in[4096];
    SecBuffer ob, ib;
    SecBufferDesc od = { SECBUFFER_VERSION, 1, &ob }, id = { SECBUFFER_VERSION, 1, &ib };
    TimeStamp ts;
    ob = (SecBuffer){ sizeof(out), SECBUFFER_TOKEN, out };
    assert_int_equal(InitializeSecurityContextA(&p.ccred, NULL, "HTTP/x", CREQ, 0, 0, NULL, 0, &p.cctx, &od,
                                                &p.cattr, &ts),
                     SEC_I_CONTINUE_NEEDED);
    p.have_c = true;
    memcpy(in, out, ob.cbBuffer);
    ib = (SecBuffer){ ob.cbBuffer, SECBUFFER_TOKEN, in };
    ob = (SecBuffer){ sizeof(out), SECBUFFER_TOKEN, out };
    assert_int_equal(AcceptSecurityContext(&p.scred, NULL, &id, SREQ, 0, &p.sctx, &od, &p.sattr, &ts),
                     SEC_I_CONTINUE_NEEDED);
    p.have_s = true;
    memcpy(in, out, ob.cbBuffer);
    ib = (SecBuffer){ ob.cbBuffer, SECBUFFER_TOKEN, in };
    ob = (SecBuffer){ sizeof(out), SECBUFFER_TOKEN, out };
    assert_int_equal(InitializeSecurityContextA(&p.ccred, &p.cctx, "HTTP/x", CREQ, 0, 0, &id, 0, &p.cctx, &od,
                                                &p.cattr, &ts),
                     SEC_I_CONTINUE_NEEDED);
    struct spnego_resp r;
    assert_true(spnego_parse_resp(rd_init(out, ob.cbBuffer), &r));
    assert_true(r.has_mic);
    r.has_mic = false;
    struct wr w;
    wr_init(&w, 0, 8192, 0);
    assert_true(spnego_build_resp(&w, &r));
    memcpy(in, w.buf, w.len);
    ib = (SecBuffer){ (ULONG)w.len, SECBUFFER_TOKEN, in };
    wr_free(&w);
    ob = (SecBuffer){ sizeof(out), SECBUFFER_TOKEN, out };
    assert_int_equal(AcceptSecurityContext(&p.scred, &p.sctx, &id, SREQ, 0, &p.sctx, &od, &p.sattr, &ts),
                     SEC_E_INVALID_TOKEN);
    free_pair(&p);
}

static void test_every_truncation_of_each_token_fails_cleanly(void **state)
{
    struct pair ref;
    nego_pair(&ref, "Secret123");
    assert_int_equal(run(&ref, CREQ, SREQ, "HTTP/x", NULL), SEC_E_OK);
    free_pair(&ref);
    for (tamper_leg = 0; tamper_leg < 4; tamper_leg++) {
        for (ULONG cut = 1; cut < 12; cut++) {
            struct pair p;
            nego_pair(&p, "Secret123");
            int leg_to_cut = tamper_leg;
            ULONG cut_by = cut;
            /* run with a truncation of one token */
            uint8_t out[4096], in[4096];
            SecBuffer ob, ib;
            SecBufferDesc od = { SECBUFFER_VERSION, 1, &ob }, id = { SECBUFFER_VERSION, 1, &ib };
            TimeStamp ts;
            ULONG inlen = 0;
            SECURITY_STATUS st = SEC_E_OK;
            for (int leg = 0; leg <= leg_to_cut; leg++) {
                bool client = leg % 2 == 0;
                ob = (SecBuffer){ sizeof(out), SECBUFFER_TOKEN, out };
                ib = (SecBuffer){ inlen, SECBUFFER_TOKEN, in };
                if (client)
                    st = InitializeSecurityContextA(&p.ccred, p.have_c ? &p.cctx : NULL, "HTTP/x", CREQ, 0, 0,
                                                    leg ? &id : NULL, 0, &p.cctx, &od, &p.cattr, &ts);
                else
                    st = AcceptSecurityContext(&p.scred, p.have_s ? &p.sctx : NULL, &id, SREQ, 0, &p.sctx, &od,
                                               &p.sattr, &ts);
                assert_true(st == SEC_E_OK || cont(st));
                if (client)
                    p.have_c = true;
                else
                    p.have_s = true;
                memcpy(in, out, ob.cbBuffer);
                inlen = ob.cbBuffer;
            }
            assert_true(inlen > cut_by);
            inlen -= cut_by;
            ob = (SecBuffer){ sizeof(out), SECBUFFER_TOKEN, out };
            ib = (SecBuffer){ inlen, SECBUFFER_TOKEN, in };
            if (leg_to_cut % 2 == 0)
                st = AcceptSecurityContext(&p.scred, p.have_s ? &p.sctx : NULL, &id, SREQ, 0, &p.sctx, &od, &p.sattr,
                                           &ts);
            else
                st = InitializeSecurityContextA(&p.ccred, &p.cctx, "HTTP/x", CREQ, 0, 0, &id, 0, &p.cctx, &od,
                                                &p.cattr, &ts);
            assert_true(st != SEC_E_OK && st != SEC_I_CONTINUE_NEEDED);
            if (leg_to_cut % 2 == 0) {
                if (st == SEC_E_OK || cont(st))
                    p.have_s = true;
            }
            free_pair(&p);
        }
    }
}

static void test_garbage_first_tokens_are_invalid(void **state)
{
    static const uint8_t bad[][12] = {
        { 0x60, 0x00 },                                              /* empty application element */
        { 0x60, 0x08, 0x06, 0x06, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02 }, /* SPNEGO with no body */
        { 0xa1, 0x03, 0x30, 0x01, 0x00 },                            /* a NegTokenResp first */
        { 0x60, 0x80, 0x06, 0x06, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02, 0x00, 0x00 }, /* indefinite */
        { 'N', 'T', 'L', 'M', 'S', 'S', 'P', 0, 9, 0, 0, 0 },        /* NTLMSSP of no known type */
    };
    static const ULONG lens[] = { 2, 10, 5, 12, 12 };
    CredHandle scred;
    TimeStamp ts;
    assert_int_equal(AcquireCredentialsHandleA(NULL, "Negotiate", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL,
                                               &scred, &ts),
                     SEC_E_OK);
    for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
        uint8_t in[16], out[256];
        memcpy(in, bad[i], lens[i]);
        SecBuffer ib = { lens[i], SECBUFFER_TOKEN, in }, ob = { sizeof(out), SECBUFFER_TOKEN, out };
        SecBufferDesc id = { SECBUFFER_VERSION, 1, &ib }, od = { SECBUFFER_VERSION, 1, &ob };
        CtxtHandle ctx;
        ULONG attr;
        SECURITY_STATUS st = AcceptSecurityContext(&scred, NULL, &id, SREQ, 0, &ctx, &od, &attr, &ts);
        assert_int_equal(st, SEC_E_INVALID_TOKEN);
    }
    FreeCredentialsHandle(&scred);
}

static void test_no_common_mechanism_is_rejected(void **state)
{
    /* a NegTokenInit offering only NegoEx */
    struct rd mechs[1] = { rd_init(spnego_oid_negoex, sizeof(spnego_oid_negoex)) };
    struct wr list, w;
    wr_init(&list, 0, 1024, 0);
    wr_init(&w, 0, 1024, 0);
    assert_true(spnego_build_mech_list(&list, mechs, 1));
    struct spnego_init m;
    memset(&m, 0, sizeof(m));
    m.mech_types = rd_init(list.buf, list.len);
    assert_true(spnego_build_init(&w, &m));
    CredHandle scred;
    TimeStamp ts;
    assert_int_equal(AcquireCredentialsHandleA(NULL, "Negotiate", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL,
                                               &scred, &ts),
                     SEC_E_OK);
    uint8_t out[256];
    SecBuffer ib = { (ULONG)w.len, SECBUFFER_TOKEN, w.buf }, ob = { sizeof(out), SECBUFFER_TOKEN, out };
    SecBufferDesc id = { SECBUFFER_VERSION, 1, &ib }, od = { SECBUFFER_VERSION, 1, &ob };
    CtxtHandle ctx;
    ULONG attr;
    assert_int_equal(AcceptSecurityContext(&scred, NULL, &id, SREQ, 0, &ctx, &od, &attr, &ts),
                     SEC_E_SECPKG_NOT_FOUND);
    struct spnego_resp r;
    assert_true(spnego_parse_resp(rd_init(out, ob.cbBuffer), &r));
    assert_true(r.has_state && r.state == SPNEGO_REJECT);
    FreeCredentialsHandle(&scred);
    wr_free(&list);
    wr_free(&w);
}

static void test_server_counter_proposal_requires_mics(void **state)
{
    /* a client listing NegoEx first, then NTLM, with a NegoEx "token": the
     * server picks NTLM, answers request-mic and no token; the exchange then
     * runs NTLM from scratch with MICs both ways */
    struct rd mechs[2] = { rd_init(spnego_oid_negoex, sizeof(spnego_oid_negoex)),
                           rd_init(spnego_oid_ntlm, sizeof(spnego_oid_ntlm)) };
    struct wr list, w;
    wr_init(&list, 0, 1024, 0);
    wr_init(&w, 0, 1024, 0);
    assert_true(spnego_build_mech_list(&list, mechs, 2));
    struct spnego_init m;
    memset(&m, 0, sizeof(m));
    m.mech_types = rd_init(list.buf, list.len);
    m.has_mech_token = true;
    m.mech_token = rd_init("negoex?", 7);
    assert_true(spnego_build_init(&w, &m));
    CredHandle scred;
    TimeStamp ts;
    assert_int_equal(AcquireCredentialsHandleA(NULL, "Negotiate", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL,
                                               &scred, &ts),
                     SEC_E_OK);
    uint8_t out[256];
    SecBuffer ib = { (ULONG)w.len, SECBUFFER_TOKEN, w.buf }, ob = { sizeof(out), SECBUFFER_TOKEN, out };
    SecBufferDesc id = { SECBUFFER_VERSION, 1, &ib }, od = { SECBUFFER_VERSION, 1, &ob };
    CtxtHandle ctx;
    ULONG attr;
    assert_int_equal(AcceptSecurityContext(&scred, NULL, &id, SREQ, 0, &ctx, &od, &attr, &ts),
                     SEC_I_CONTINUE_NEEDED);
    struct spnego_resp r;
    assert_true(spnego_parse_resp(rd_init(out, ob.cbBuffer), &r));
    assert_true(r.has_state && r.state == SPNEGO_REQUEST_MIC);
    assert_true(r.has_mech && der_oid_equal(r.mech, spnego_oid_ntlm, sizeof(spnego_oid_ntlm)));
    assert_false(r.has_token);
    SecPkgContext_NegotiationInfoA ni;
    assert_int_equal(QueryContextAttributesA(&ctx, SECPKG_ATTR_NEGOTIATION_INFO, &ni), SEC_E_OK);
    assert_int_equal(ni.NegotiationState, SECPKG_NEGOTIATION_IN_PROGRESS);
    FreeContextBuffer(ni.PackageInfo);
    DeleteSecurityContext(&ctx);
    FreeCredentialsHandle(&scred);
    wr_free(&list);
    wr_free(&w);
}

static void test_stale_and_wrong_direction_handles(void **state)
{
    struct pair p;
    nego_pair(&p, "Secret123");
    uint8_t out[4096];
    SecBuffer ob = { sizeof(out), SECBUFFER_TOKEN, out };
    SecBufferDesc od = { SECBUFFER_VERSION, 1, &ob };
    TimeStamp ts;
    CtxtHandle ctx;
    ULONG attr;
    /* an inbound credential cannot initiate */
    assert_int_equal(InitializeSecurityContextA(&p.scred, NULL, "HTTP/x", CREQ, 0, 0, NULL, 0, &ctx, &od, &attr, &ts),
                     SEC_E_WRONG_CREDENTIAL_HANDLE);
    assert_int_equal(run(&p, CREQ, SREQ, "HTTP/x", NULL), SEC_E_OK);
    /* a finished client context refuses more tokens */
    uint8_t in[8] = { 0xa1, 0x03, 0x30, 0x01, 0x00 };
    SecBuffer ib = { 5, SECBUFFER_TOKEN, in };
    SecBufferDesc id = { SECBUFFER_VERSION, 1, &ib };
    ob = (SecBuffer){ sizeof(out), SECBUFFER_TOKEN, out };
    assert_int_equal(InitializeSecurityContextA(&p.ccred, &p.cctx, "HTTP/x", CREQ, 0, 0, &id, 0, &p.cctx, &od, &attr,
                                                &ts),
                     SEC_E_OUT_OF_SEQUENCE);
    CtxtHandle stale = p.cctx;
    DeleteSecurityContext(&p.cctx);
    p.have_c = false;
    assert_int_equal(DeleteSecurityContext(&stale), SEC_E_INVALID_HANDLE);
    free_pair(&p);
}

static void test_credential_names_come_from_the_inner_package(void **state)
{
    struct pair p;
    nego_pair(&p, "Secret123");
    SecPkgCredentials_NamesA n;
    assert_int_equal(QueryCredentialsAttributesA(&p.ccred, SECPKG_CRED_ATTR_NAMES, &n), SEC_E_OK);
    /* Kerberos names it alice@TESTDOM, NTLM TESTDOM\\alice */
    assert_true(strcmp(n.sUserName, "TESTDOM\\alice") == 0 || strcmp(n.sUserName, "alice@TESTDOM") == 0);
    FreeContextBuffer(n.sUserName);
    free_pair(&p);
}

/* ---- MS-SPNG 3.2.5.1: the RC4 state of the MIC is the first message's ---- */

extern const struct sspi_package ntlm_package;

/* expected_sig - the NTLM signature of msg at seq with a fresh RC4 stream of
 * the client-to-server (c2s) or server-to-client direction */
static void expected_sig(uint32_t flags, const uint8_t esk[16], bool c2s, uint32_t seq, const char *msg,
                         uint8_t out[16])
{
    struct ntlm_seal_state st;
    struct sspi_iov iov = { msg, strlen(msg) };
    ntlm_seal_state_init(&st, flags, esk, c2s);
    ntlm_sign(&st, seq, &iov, 1, out);
    ntlm_seal_state_cleanse(&st);
}

static void test_first_message_reuses_the_rc4_state_of_the_mic(void **state)
{
    assert_non_null(ntlm_package.set_ctx);
    struct pair p;
    nego_pair(&p, "Secret123");
    assert_int_equal(run(&p, CREQ, SREQ, "HTTP/x", NULL), SEC_E_OK);
    /* the flags both sides use: those of the AUTHENTICATE message */
    struct spnego_resp r;
    struct ntlm_authenticate a;
    assert_true(spnego_parse_resp(rd_init(p.tok[2], p.toklen[2]), &r));
    assert_true(ntlm_parse_authenticate(r.token, &a));
    assert_true(a.flags & NTLMSSP_NEGOTIATE_KEY_EXCH); /* else the stream is not used for signatures */
    SecPkgContext_SessionKey key;
    assert_int_equal(QueryContextAttributesA(&p.cctx, SECPKG_ATTR_SESSION_KEY, &key), SEC_E_OK);
    assert_int_equal(key.SessionKeyLength, 16);
    /* the MICs were sequence number 0 on a fresh stream; the first message is
     * number 1, again on a fresh stream */
    const char *msg = "first message after the mechListMIC";
    uint8_t want[16], sig[16];
    SecBuffer b[2] = { { (ULONG)strlen(msg), SECBUFFER_DATA, (void *)msg }, { sizeof(sig), SECBUFFER_TOKEN, sig } };
    SecBufferDesc d = { SECBUFFER_VERSION, 2, b };
    expected_sig(a.flags, key.SessionKey, true, 1, msg, want);
    assert_int_equal(MakeSignature(&p.cctx, 0, &d, 0), SEC_E_OK);
    assert_memory_equal(sig, want, 16);
    ULONG qop;
    assert_int_equal(VerifySignature(&p.sctx, &d, 0, &qop), SEC_E_OK);
    expected_sig(a.flags, key.SessionKey, false, 1, msg, want);
    b[1].cbBuffer = sizeof(sig);
    assert_int_equal(MakeSignature(&p.sctx, 0, &d, 0), SEC_E_OK);
    assert_memory_equal(sig, want, 16);
    assert_int_equal(VerifySignature(&p.cctx, &d, 0, &qop), SEC_E_OK);
    /* and the MIC the server sent was sequence 0 of that same fresh stream */
    struct spnego_resp fin;
    assert_true(spnego_parse_resp(rd_init(p.tok[3], p.toklen[3]), &fin));
    struct ntlm_seal_state st;
    ntlm_seal_state_init(&st, a.flags, key.SessionKey, false);
    struct spnego_init init;
    assert_true(spnego_parse_init(rd_init(p.tok[0], p.toklen[0]), &init));
    struct sspi_iov iov = { init.mech_types.p, init.mech_types.len };
    ntlm_sign(&st, 0, &iov, 1, want);
    ntlm_seal_state_cleanse(&st);
    assert_int_equal(fin.mic.len, 16);
    assert_memory_equal(fin.mic.p, want, 16);
    OPENSSL_cleanse(key.SessionKey, 16);
    FreeContextBuffer(key.SessionKey);
    free_pair(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_negotiate_is_listed_first_with_windows_info),
        cmocka_unit_test(test_ntlm_under_spnego_seals_and_signs_both_ways),
        cmocka_unit_test(test_wide_entry_points_and_allocated_tokens),
        cmocka_unit_test(test_without_integrity_requested_the_mic_still_flows),
        cmocka_unit_test(test_wrong_password_is_refused_with_a_reject_token),
        cmocka_unit_test(test_server_reject_token_fails_the_client),
        cmocka_unit_test(test_unknown_user_is_refused),
        cmocka_unit_test(test_package_list_without_ntlm_has_no_credentials),
        cmocka_unit_test(test_package_list_naming_ntlm_works),
        cmocka_unit_test(test_package_list_rules),
        cmocka_unit_test(test_address_targets_are_recognised),
        cmocka_unit_test(test_raw_ntlm_client_to_negotiate_server),
        cmocka_unit_test(test_negotiate_client_to_raw_ntlm_server_fails_cleanly),
        cmocka_unit_test(test_server_hints_first_then_client),
        cmocka_unit_test(test_tokens_have_the_windows_shapes),
        cmocka_unit_test(test_client_mech_list_mic_tampering_is_detected),
        cmocka_unit_test(test_server_mech_list_mic_tampering_is_detected),
        cmocka_unit_test(test_mech_list_rewriting_is_refused),
        cmocka_unit_test(test_stripped_client_mic_is_refused),
        cmocka_unit_test(test_every_truncation_of_each_token_fails_cleanly),
        cmocka_unit_test(test_garbage_first_tokens_are_invalid),
        cmocka_unit_test(test_no_common_mechanism_is_rejected),
        cmocka_unit_test(test_server_counter_proposal_requires_mics),
        cmocka_unit_test(test_stale_and_wrong_direction_handles),
        cmocka_unit_test(test_credential_names_come_from_the_inner_package),
        cmocka_unit_test(test_first_message_reuses_the_rc4_state_of_the_mic),
    };
    return cmocka_run_group_tests(tests, setup_users, teardown_users);
}
