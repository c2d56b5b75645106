/* tests/unit/api/test_ntlm_loopback.c - NTLM client and server in one process
 * through the public SSPI API only (A and W entry points, the function tables):
 * handshakes with and without each ISC_REQ flag that matters, ALLOCATE_MEMORY
 * and caller buffers, wrong passwords, tampered, replayed and reordered
 * messages, forged and freed handles, truncated/oversized/garbage tokens. */
#define SECURITY_WIN32
#include <security.h>

#include "vectors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char user_file[] = "/tmp/opensspi-test-users-XXXXXX";

static int setup_users(void **state)
{
    int fd = mkstemp(user_file);
    assert_true(fd >= 0);
    const char *text = "# test users\n"
                       "TESTDOM:alice:Secret123\n"
                       "TESTDOM:bob:$NT$a4f49c406510bdcab6824ee7c30fd852\n" /* "Password" */
                       ":carol:AnyDomain1\n"
                       "TESTDOM:\xc3\xa9mile:p\xc3\xa4ss\xf0\x9f\x94\x91\n"
                       /* MS-NLMP vectors: NTOWFv1("Pass" U+1D11E) */
                       "TESTDOM:clef:$NT$0d72dddeddbae5ff244820e072413b90\n"
                       /* MD4 of UTF-16LE "Pass" D834 "x": an unpaired high surrogate */
                       "TESTDOM:lone:$NT$72c47aa331a7d3e54ad45bb103261698\n";
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    setenv("NTLM_USER_FILE", user_file, 1);
    unsetenv("LM_COMPAT_LEVEL");
    return 0;
}

static int teardown_users(void **state)
{
    unlink(user_file);
    return 0;
}

static SEC_WINNT_AUTH_IDENTITY_A identity_a(const char *user, const char *domain, const char *pw)
{
    SEC_WINNT_AUTH_IDENTITY_A id;
    memset(&id, 0, sizeof(id));
    id.User = (unsigned char *)user;
    id.UserLength = (ULONG)strlen(user);
    id.Domain = (unsigned char *)domain;
    id.DomainLength = domain ? (ULONG)strlen(domain) : 0;
    id.Password = (unsigned char *)pw;
    id.PasswordLength = (ULONG)strlen(pw);
    id.Flags = SEC_WINNT_AUTH_IDENTITY_ANSI;
    return id;
}

struct pair {
    CredHandle ccred, scred;
    CtxtHandle cctx, sctx;
    ULONG cattr, sattr;
    SECURITY_STATUS cst, sst;
};

static void creds(struct pair *p, const char *user, const char *domain, const char *pw)
{
    SEC_WINNT_AUTH_IDENTITY_A id = identity_a(user, domain, pw);
    TimeStamp ts;
    assert_int_equal(AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL,
                                               &p->ccred, &ts),
                     SEC_E_OK);
    assert_int_equal(
        AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL, &p->scred, &ts),
        SEC_E_OK);
}

static void free_pair(struct pair *p)
{
    DeleteSecurityContext(&p->cctx);
    DeleteSecurityContext(&p->sctx);
    FreeCredentialsHandle(&p->ccred);
    FreeCredentialsHandle(&p->scred);
}

/* handshake - run ISC/ASC to the end with caller buffers of cbMaxToken;
 * returns the first failing status (or SEC_E_OK). */
static SECURITY_STATUS handshake(struct pair *p, ULONG creq, ULONG sreq, const char *target)
{
    uint8_t ctok[4096], stok[4096];
    SecBuffer cout = { sizeof(ctok), SECBUFFER_TOKEN, ctok }, sout;
    SecBufferDesc coutd = { SECBUFFER_VERSION, 1, &cout }, soutd = { SECBUFFER_VERSION, 1, &sout };
    SecBuffer sin, cin;
    SecBufferDesc sind = { SECBUFFER_VERSION, 1, &sin }, cind = { SECBUFFER_VERSION, 1, &cin };
    TimeStamp ts;
    SecInvalidateHandle(&p->cctx);
    SecInvalidateHandle(&p->sctx);
    p->cst = InitializeSecurityContextA(&p->ccred, NULL, (SEC_CHAR *)target, creq, 0, SECURITY_NATIVE_DREP, NULL,
                                        0, &p->cctx, &coutd, &p->cattr, &ts);
    if (p->cst != SEC_I_CONTINUE_NEEDED)
        return p->cst;
    sin = (SecBuffer){ cout.cbBuffer, SECBUFFER_TOKEN, ctok };
    sout = (SecBuffer){ sizeof(stok), SECBUFFER_TOKEN, stok };
    p->sst = AcceptSecurityContext(&p->scred, NULL, &sind, sreq, SECURITY_NATIVE_DREP, &p->sctx, &soutd, &p->sattr,
                                   &ts);
    if (p->sst != SEC_I_CONTINUE_NEEDED)
        return p->sst;
    cin = (SecBuffer){ sout.cbBuffer, SECBUFFER_TOKEN, stok };
    cout = (SecBuffer){ sizeof(ctok), SECBUFFER_TOKEN, ctok };
    p->cst = InitializeSecurityContextA(&p->ccred, &p->cctx, (SEC_CHAR *)target, creq, 0, SECURITY_NATIVE_DREP,
                                        &cind, 0, &p->cctx, &coutd, &p->cattr, &ts);
    if (p->cst != SEC_E_OK)
        return p->cst;
    sin = (SecBuffer){ cout.cbBuffer, SECBUFFER_TOKEN, ctok };
    sout = (SecBuffer){ sizeof(stok), SECBUFFER_TOKEN, stok };
    p->sst = AcceptSecurityContext(&p->scred, &p->sctx, &sind, sreq, SECURITY_NATIVE_DREP, &p->sctx, &soutd,
                                   &p->sattr, &ts);
    return p->sst;
}

#define CREQ (ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY | ISC_REQ_SEQUENCE_DETECT | ISC_REQ_REPLAY_DETECT | ISC_REQ_CONNECTION)
#define SREQ (ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY | ASC_REQ_SEQUENCE_DETECT | ASC_REQ_REPLAY_DETECT | ASC_REQ_CONNECTION)

static void seal_roundtrip(CtxtHandle *from, CtxtHandle *to, const char *text)
{
    uint8_t sig[64], data[256];
    size_t n = strlen(text);
    memcpy(data, text, n);
    SecBuffer b[2] = { { sizeof(sig), SECBUFFER_TOKEN, sig }, { (ULONG)n, SECBUFFER_DATA, data } };
    SecBufferDesc d = { SECBUFFER_VERSION, 2, b };
    assert_int_equal(EncryptMessage(from, 0, &d, 0), SEC_E_OK);
    assert_int_equal(b[0].cbBuffer, 16);
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
    assert_int_equal(b[1].cbBuffer, 16);
    ULONG qop;
    assert_int_equal(VerifySignature(to, &d, 0, &qop), SEC_E_OK);
}

static void test_handshake_then_seal_and_sign_both_ways(void **state)
{
    struct pair p;
    creds(&p, "alice", "TESTDOM", "Secret123");
    assert_int_equal(handshake(&p, CREQ, SREQ, "HTTP/server.example.com"), SEC_E_OK);
    assert_true(p.cattr & ISC_RET_CONFIDENTIALITY);
    assert_true(p.cattr & ISC_RET_INTEGRITY);
    assert_true(p.sattr & ASC_RET_CONFIDENTIALITY);
    assert_false(p.cattr & ISC_RET_ALLOCATED_MEMORY);
    seal_roundtrip(&p.cctx, &p.sctx, "hello server");
    seal_roundtrip(&p.sctx, &p.cctx, "hello client");
    sign_roundtrip(&p.cctx, &p.sctx, "signed by client");
    sign_roundtrip(&p.sctx, &p.cctx, "signed by server");
    seal_roundtrip(&p.cctx, &p.sctx, "again");

    SecPkgContext_NamesA names;
    assert_int_equal(QueryContextAttributesA(&p.sctx, SECPKG_ATTR_NAMES, &names), SEC_E_OK);
    assert_string_equal(names.sUserName, "TESTDOM\\alice");
    FreeContextBuffer(names.sUserName);
    SecPkgContext_NamesW wnames;
    assert_int_equal(QueryContextAttributesW(&p.cctx, SECPKG_ATTR_NAMES, &wnames), SEC_E_OK);
    assert_int_equal(wnames.sUserName[0], 'T');
    FreeContextBuffer(wnames.sUserName);
    SecPkgContext_Sizes sizes;
    assert_int_equal(QueryContextAttributesA(&p.cctx, SECPKG_ATTR_SIZES, &sizes), SEC_E_OK);
    assert_int_equal(sizes.cbMaxSignature, 16);
    assert_int_equal(sizes.cbSecurityTrailer, 16);
    SecPkgContext_SessionKey ck, sk;
    assert_int_equal(QueryContextAttributesA(&p.cctx, SECPKG_ATTR_SESSION_KEY, &ck), SEC_E_OK);
    assert_int_equal(QueryContextAttributesA(&p.sctx, SECPKG_ATTR_SESSION_KEY, &sk), SEC_E_OK);
    assert_int_equal(ck.SessionKeyLength, 16);
    assert_memory_equal(ck.SessionKey, sk.SessionKey, 16);
    FreeContextBuffer(ck.SessionKey);
    FreeContextBuffer(sk.SessionKey);
    SecPkgContext_PackageInfoA pi;
    assert_int_equal(QueryContextAttributesA(&p.cctx, SECPKG_ATTR_PACKAGE_INFO, &pi), SEC_E_OK);
    assert_string_equal(pi.PackageInfo->Name, "NTLM");
    FreeContextBuffer(pi.PackageInfo);
    SecPkgContext_NegotiationInfoW ni;
    assert_int_equal(QueryContextAttributesW(&p.sctx, SECPKG_ATTR_NEGOTIATION_INFO, &ni), SEC_E_OK);
    assert_int_equal(ni.NegotiationState, SECPKG_NEGOTIATION_COMPLETE);
    assert_int_equal(ni.PackageInfo->Name[0], 'N');
    FreeContextBuffer(ni.PackageInfo);
    SecPkgContext_Flags fl;
    assert_int_equal(QueryContextAttributesA(&p.cctx, SECPKG_ATTR_FLAGS, &fl), SEC_E_OK);
    assert_int_equal(fl.Flags, p.cattr);
    SecPkgContext_NativeNamesA nn;
    assert_int_equal(QueryContextAttributesA(&p.cctx, SECPKG_ATTR_NATIVE_NAMES, &nn), SEC_E_OK);
    assert_string_equal(nn.sServerName, "HTTP/server.example.com");
    FreeContextBuffer(nn.sClientName);
    FreeContextBuffer(nn.sServerName);
    SecPkgContext_KeyInfoA ki;
    assert_int_equal(QueryContextAttributesA(&p.cctx, SECPKG_ATTR_KEY_INFO, &ki), SEC_E_OK);
    assert_int_equal(ki.KeySize, 128);
    FreeContextBuffer(ki.sSignatureAlgorithmName);
    FreeContextBuffer(ki.sEncryptAlgorithmName);
    SecPkgContext_AuthorityA au;
    assert_int_equal(QueryContextAttributesA(&p.sctx, SECPKG_ATTR_AUTHORITY, &au), SEC_E_OK);
    assert_string_equal(au.sAuthorityName, "TESTDOM");
    FreeContextBuffer(au.sAuthorityName);
    SecPkgContext_Lifespan life;
    assert_int_equal(QueryContextAttributesA(&p.cctx, SECPKG_ATTR_LIFESPAN, &life), SEC_E_OK);
    SecPkgCredentials_NamesA cn;
    assert_int_equal(QueryCredentialsAttributesA(&p.ccred, SECPKG_CRED_ATTR_NAMES, &cn), SEC_E_OK);
    assert_string_equal(cn.sUserName, "TESTDOM\\alice");
    FreeContextBuffer(cn.sUserName);
    free_pair(&p);
}

static void test_wrong_password_is_logon_denied(void **state)
{
    struct pair p;
    creds(&p, "alice", "TESTDOM", "wrong");
    assert_int_equal(handshake(&p, CREQ, SREQ, "HTTP/x"), SEC_E_LOGON_DENIED);
    free_pair(&p);
    creds(&p, "nobody", "TESTDOM", "Secret123");
    assert_int_equal(handshake(&p, CREQ, SREQ, "HTTP/x"), SEC_E_LOGON_DENIED);
    free_pair(&p);
}

static void test_nt_hash_entry_and_any_domain_entry_log_on(void **state)
{
    struct pair p;
    creds(&p, "bob", "TESTDOM", "Password");
    assert_int_equal(handshake(&p, CREQ, SREQ, NULL), SEC_E_OK);
    free_pair(&p);
    creds(&p, "carol", "ELSEWHERE", "AnyDomain1");
    assert_int_equal(handshake(&p, CREQ, SREQ, NULL), SEC_E_OK);
    free_pair(&p);
    creds(&p, "TESTDOM\\alice", NULL, "Secret123"); /* DOMAIN\user form */
    assert_int_equal(handshake(&p, CREQ, SREQ, NULL), SEC_E_OK);
    free_pair(&p);
}

static void expect_name(struct pair *p, const char *want)
{
    SecPkgContext_NamesA names;
    assert_int_equal(QueryContextAttributesA(&p->sctx, SECPKG_ATTR_NAMES, &names), SEC_E_OK);
    assert_string_equal(names.sUserName, want);
    FreeContextBuffer(names.sUserName);
}

/* the server names the account as its store spells it, however the client
 * typed it, and takes UPN logons (user@domain with no domain) */
static void test_server_names_the_canonical_account(void **state)
{
    struct pair p;
    creds(&p, "ALICE", "testdom", "Secret123");
    assert_int_equal(handshake(&p, CREQ, SREQ, NULL), SEC_E_OK);
    expect_name(&p, "TESTDOM\\alice");
    free_pair(&p);
    creds(&p, "alice", "", "Secret123");
    assert_int_equal(handshake(&p, CREQ, SREQ, NULL), SEC_E_OK);
    expect_name(&p, "TESTDOM\\alice");
    free_pair(&p);
    creds(&p, "alice@TESTDOM", "", "Secret123");
    assert_int_equal(handshake(&p, CREQ, SREQ, NULL), SEC_E_OK);
    expect_name(&p, "TESTDOM\\alice");
    free_pair(&p);
    creds(&p, "alice@testdom.example.com", "", "Secret123");
    assert_int_equal(handshake(&p, CREQ, SREQ, NULL), SEC_E_OK);
    expect_name(&p, "TESTDOM\\alice");
    SecPkgContext_AuthorityA au;
    assert_int_equal(QueryContextAttributesA(&p.sctx, SECPKG_ATTR_AUTHORITY, &au), SEC_E_OK);
    assert_string_equal(au.sAuthorityName, "TESTDOM");
    FreeContextBuffer(au.sAuthorityName);
    free_pair(&p);
    creds(&p, "alice@OTHER", "", "Secret123");
    assert_int_equal(handshake(&p, CREQ, SREQ, NULL), SEC_E_LOGON_DENIED);
    free_pair(&p);
}

static void test_wide_entry_points_with_non_ascii_names(void **state)
{
    /* émile / päss🔑 in UTF-16 */
    SEC_WCHAR user[] = { 0xe9, 'm', 'i', 'l', 'e', 0 };
    SEC_WCHAR dom[] = { 'T', 'E', 'S', 'T', 'D', 'O', 'M', 0 };
    SEC_WCHAR pw[] = { 'p', 0xe4, 's', 's', 0xd83d, 0xdd11, 0 };
    SEC_WCHAR pkg[] = { 'N', 'T', 'L', 'M', 0 };
    SEC_WCHAR target[] = { 'H', 'T', 'T', 'P', '/', 'h', 0 };
    SEC_WINNT_AUTH_IDENTITY_W id = { user, 5, dom, 7, pw, 6, SEC_WINNT_AUTH_IDENTITY_UNICODE };
    CredHandle cc, sc;
    CtxtHandle cx, sx;
    TimeStamp ts;
    ULONG attr;
    assert_int_equal(AcquireCredentialsHandleW(NULL, pkg, SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL, &cc, &ts),
                     SEC_E_OK);
    assert_int_equal(AcquireCredentialsHandleW(NULL, pkg, SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL, &sc, &ts),
                     SEC_E_OK);
    SecBuffer o = { 0, SECBUFFER_TOKEN, NULL }, i;
    SecBufferDesc od = { SECBUFFER_VERSION, 1, &o }, id2 = { SECBUFFER_VERSION, 1, &i };
    assert_int_equal(InitializeSecurityContextW(&cc, NULL, target, CREQ | ISC_REQ_ALLOCATE_MEMORY, 0, 0, NULL, 0,
                                                &cx, &od, &attr, &ts),
                     SEC_I_CONTINUE_NEEDED);
    assert_true(attr & ISC_RET_ALLOCATED_MEMORY);
    i = o;
    o = (SecBuffer){ 0, SECBUFFER_TOKEN, NULL };
    assert_int_equal(AcceptSecurityContext(&sc, NULL, &id2, SREQ | ASC_REQ_ALLOCATE_MEMORY, 0, &sx, &od, &attr, &ts),
                     SEC_I_CONTINUE_NEEDED);
    FreeContextBuffer(i.pvBuffer);
    i = o;
    o = (SecBuffer){ 0, SECBUFFER_TOKEN, NULL };
    assert_int_equal(InitializeSecurityContextW(&cc, &cx, target, CREQ | ISC_REQ_ALLOCATE_MEMORY, 0, 0, &id2, 0,
                                                &cx, &od, &attr, &ts),
                     SEC_E_OK);
    FreeContextBuffer(i.pvBuffer);
    i = o;
    o = (SecBuffer){ 0, SECBUFFER_TOKEN, NULL };
    assert_int_equal(AcceptSecurityContext(&sc, &sx, &id2, SREQ | ASC_REQ_ALLOCATE_MEMORY, 0, &sx, &od, &attr, &ts),
                     SEC_E_OK);
    FreeContextBuffer(i.pvBuffer);
    assert_int_equal(o.cbBuffer, 0);
    SecPkgContext_NamesA names;
    assert_int_equal(QueryContextAttributesA(&sx, SECPKG_ATTR_NAMES, &names), SEC_E_OK);
    assert_string_equal(names.sUserName, "TESTDOM\\\xc3\xa9mile");
    FreeContextBuffer(names.sUserName);
    seal_roundtrip(&cx, &sx, "wide");
    DeleteSecurityContext(&cx);
    DeleteSecurityContext(&sx);
    FreeCredentialsHandle(&cc);
    FreeCredentialsHandle(&sc);
}

/* a password outside the BMP (a surrogate pair in UTF-16) hashes to the
 * published NTOWFv1 through both entry points */
static void test_surrogate_pair_password_matches_published_hash(void **state)
{
    struct pair p;
    creds(&p, "clef", "TESTDOM", "Pass\xf0\x9d\x84\x9e");
    assert_int_equal(handshake(&p, CREQ, SREQ, NULL), SEC_E_OK);
    free_pair(&p);

    SEC_WCHAR user[] = { 'c', 'l', 'e', 'f', 0 }, dom[] = { 'T', 'E', 'S', 'T', 'D', 'O', 'M', 0 };
    SEC_WCHAR pw[] = { 'P', 'a', 's', 's', 0xd834, 0xdd1e, 0 };
    SEC_WINNT_AUTH_IDENTITY_W id = { user, 4, dom, 7, pw, 6, SEC_WINNT_AUTH_IDENTITY_UNICODE };
    TimeStamp ts;
    assert_int_equal(AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL, &p.ccred, &ts),
                     SEC_E_OK);
    assert_int_equal(
        AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL, &p.scred, &ts), SEC_E_OK);
    assert_int_equal(handshake(&p, CREQ, SREQ, NULL), SEC_E_OK);
    free_pair(&p);

    /* an unpaired surrogate survives the W boundary (WTF-8) into the hash */
    pw[5] = 'x';
    SEC_WCHAR lone[] = { 'l', 'o', 'n', 'e', 0 };
    id.User = lone;
    assert_int_equal(AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL, &p.ccred, &ts),
                     SEC_E_OK);
    assert_int_equal(
        AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL, &p.scred, &ts), SEC_E_OK);
    assert_int_equal(handshake(&p, CREQ, SREQ, NULL), SEC_E_OK);
    free_pair(&p);
    id.User = user; /* clef with the wrong password */
    assert_int_equal(AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL, &p.ccred, &ts),
                     SEC_E_OK);
    assert_int_equal(
        AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL, &p.scred, &ts), SEC_E_OK);
    assert_int_equal(handshake(&p, CREQ, SREQ, NULL), SEC_E_LOGON_DENIED);
    free_pair(&p);
}

static void test_function_tables_reach_the_same_functions(void **state)
{
    PSecurityFunctionTableA a = InitSecurityInterfaceA();
    PSecurityFunctionTableW w = InitSecurityInterfaceW();
    assert_non_null(a);
    assert_non_null(w);
    assert_ptr_equal(a->AcceptSecurityContext, AcceptSecurityContext);
    assert_ptr_equal(w->InitializeSecurityContextW, InitializeSecurityContextW);
    ULONG n;
    PSecPkgInfoA info;
    assert_int_equal(a->EnumerateSecurityPackagesA(&n, &info), SEC_E_OK);
    assert_true(n >= 1);
    int found = 0;
    for (ULONG k = 0; k < n; k++)
        found |= strcmp(info[k].Name, "NTLM") == 0;
    assert_true(found);
    a->FreeContextBuffer(info);
    PSecPkgInfoW winfo;
    assert_int_equal(w->QuerySecurityPackageInfoW((SEC_WCHAR[]){ 'n', 't', 'l', 'm', 0 }, &winfo), SEC_E_OK);
    assert_int_equal(winfo->cbMaxToken, 2888);
    FreeContextBuffer(winfo);
    assert_int_equal(QuerySecurityPackageInfoA("NoSuchPackage", (PSecPkgInfoA *)&info), SEC_E_SECPKG_NOT_FOUND);
}

static void test_bad_handles_are_rejected(void **state)
{
    CredHandle forged = { 1, 12345 }, zero = { 0, 0 };
    CtxtHandle fctx = { 7, 99 };
    SecBuffer b = { 0, SECBUFFER_TOKEN, NULL };
    SecBufferDesc d = { SECBUFFER_VERSION, 1, &b };
    ULONG attr;
    TimeStamp ts;
    CtxtHandle out;
    assert_int_equal(FreeCredentialsHandle(&forged), SEC_E_INVALID_HANDLE);
    assert_int_equal(FreeCredentialsHandle(&zero), SEC_E_INVALID_HANDLE);
    assert_int_equal(FreeCredentialsHandle(NULL), SEC_E_INVALID_HANDLE);
    assert_int_equal(DeleteSecurityContext(&fctx), SEC_E_INVALID_HANDLE);
    assert_int_equal(InitializeSecurityContextA(&forged, NULL, NULL, 0, 0, 0, NULL, 0, &out, &d, &attr, &ts),
                     SEC_E_INVALID_HANDLE);
    assert_int_equal(MakeSignature(&fctx, 0, &d, 0), SEC_E_INVALID_HANDLE);
    assert_int_equal(EncryptMessage(&fctx, 0, &d, 0), SEC_E_INVALID_HANDLE);
    assert_int_equal(QueryContextAttributesA(&fctx, SECPKG_ATTR_SIZES, &attr), SEC_E_INVALID_HANDLE);

    struct pair p;
    creds(&p, "alice", "TESTDOM", "Secret123");
    assert_int_equal(handshake(&p, CREQ, SREQ, NULL), SEC_E_OK);
    /* a credential handle is not a context handle and vice versa */
    assert_int_equal(DeleteSecurityContext((PCtxtHandle)&p.ccred), SEC_E_INVALID_HANDLE);
    assert_int_equal(FreeCredentialsHandle((PCredHandle)&p.cctx), SEC_E_INVALID_HANDLE);
    CtxtHandle copy = p.cctx;
    assert_int_equal(DeleteSecurityContext(&p.cctx), SEC_E_OK);
    assert_int_equal(DeleteSecurityContext(&copy), SEC_E_INVALID_HANDLE); /* double free */
    assert_int_equal(MakeSignature(&copy, 0, &d, 0), SEC_E_INVALID_HANDLE);
    /* the credential may go first; the context keeps working */
    assert_int_equal(FreeCredentialsHandle(&p.scred), SEC_E_OK);
    assert_int_equal(FreeCredentialsHandle(&p.scred), SEC_E_INVALID_HANDLE);
    SecPkgContext_Sizes sz;
    assert_int_equal(QueryContextAttributesA(&p.sctx, SECPKG_ATTR_SIZES, &sz), SEC_E_OK);
    assert_int_equal(DeleteSecurityContext(&p.sctx), SEC_E_OK);
    assert_int_equal(FreeCredentialsHandle(&p.ccred), SEC_E_OK);
}

static void test_bad_arguments_give_documented_statuses(void **state)
{
    CredHandle c;
    TimeStamp ts;
    assert_int_equal(AcquireCredentialsHandleA(NULL, "NoSuch", SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL, &c, &ts),
                     SEC_E_SECPKG_NOT_FOUND);
    SEC_WINNT_AUTH_IDENTITY_A id = identity_a("a", "b", "c");
    id.Flags = 0;
    assert_int_equal(AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL, &c, &ts),
                     SEC_E_UNKNOWN_CREDENTIALS);
    /* an inbound credential cannot initiate */
    struct pair p;
    creds(&p, "alice", "TESTDOM", "Secret123");
    SecBuffer b = { 0, SECBUFFER_TOKEN, NULL };
    SecBufferDesc d = { SECBUFFER_VERSION, 1, &b };
    ULONG attr;
    CtxtHandle x;
    assert_int_equal(InitializeSecurityContextA(&p.scred, NULL, NULL, ISC_REQ_ALLOCATE_MEMORY, 0, 0, NULL, 0, &x, &d,
                                                &attr, &ts),
                     SEC_E_WRONG_CREDENTIAL_HANDLE);
    /* a too-small caller buffer */
    uint8_t small[8];
    b = (SecBuffer){ sizeof(small), SECBUFFER_TOKEN, small };
    assert_int_equal(InitializeSecurityContextA(&p.ccred, NULL, NULL, 0, 0, 0, NULL, 0, &x, &d, &attr, &ts),
                     SEC_E_BUFFER_TOO_SMALL);
    /* bad descriptor version */
    d.ulVersion = 5;
    assert_int_equal(InitializeSecurityContextA(&p.ccred, NULL, NULL, 0, 0, 0, NULL, 0, &x, &d, &attr, &ts),
                     SEC_E_INVALID_TOKEN);
    FreeCredentialsHandle(&p.ccred);
    FreeCredentialsHandle(&p.scred);
}

/* run the handshake but corrupt the token of one leg */
enum leg { LEG_NEGOTIATE, LEG_CHALLENGE, LEG_AUTHENTICATE };

static SECURITY_STATUS corrupt_leg(enum leg which, void (*mutate)(uint8_t *tok, ULONG *len, size_t arg), size_t arg)
{
    struct pair p;
    creds(&p, "alice", "TESTDOM", "Secret123");
    uint8_t ctok[8192], stok[8192];
    SecBuffer cout = { 4096, SECBUFFER_TOKEN, ctok }, sout = { 4096, SECBUFFER_TOKEN, stok }, in;
    SecBufferDesc coutd = { SECBUFFER_VERSION, 1, &cout }, soutd = { SECBUFFER_VERSION, 1, &sout },
                  ind = { SECBUFFER_VERSION, 1, &in };
    ULONG attr;
    TimeStamp ts;
    SECURITY_STATUS st, result = SEC_E_OK;
    st = InitializeSecurityContextA(&p.ccred, NULL, NULL, CREQ, 0, 0, NULL, 0, &p.cctx, &coutd, &attr, &ts);
    assert_int_equal(st, SEC_I_CONTINUE_NEEDED);
    if (which == LEG_NEGOTIATE)
        mutate(ctok, &cout.cbBuffer, arg);
    in = (SecBuffer){ cout.cbBuffer, SECBUFFER_TOKEN, ctok };
    st = AcceptSecurityContext(&p.scred, NULL, &ind, SREQ, 0, &p.sctx, &soutd, &attr, &ts);
    if (which == LEG_NEGOTIATE) {
        result = st;
        SecInvalidateHandle(&p.sctx);
        goto out;
    }
    assert_int_equal(st, SEC_I_CONTINUE_NEEDED);
    if (which == LEG_CHALLENGE)
        mutate(stok, &sout.cbBuffer, arg);
    in = (SecBuffer){ sout.cbBuffer, SECBUFFER_TOKEN, stok };
    cout.cbBuffer = 4096;
    st = InitializeSecurityContextA(&p.ccred, &p.cctx, NULL, CREQ, 0, 0, &ind, 0, &p.cctx, &coutd, &attr, &ts);
    if (which == LEG_CHALLENGE) {
        result = st;
        goto out;
    }
    assert_int_equal(st, SEC_E_OK);
    mutate(ctok, &cout.cbBuffer, arg);
    in = (SecBuffer){ cout.cbBuffer, SECBUFFER_TOKEN, ctok };
    sout.cbBuffer = 4096;
    result = AcceptSecurityContext(&p.scred, &p.sctx, &ind, SREQ, 0, &p.sctx, &soutd, &attr, &ts);
out:
    free_pair(&p);
    return result;
}

static void truncate_to(uint8_t *tok, ULONG *len, size_t n)
{
    if (n < *len)
        *len = (ULONG)n;
}

static void append_garbage(uint8_t *tok, ULONG *len, size_t n)
{
    memset(tok + *len, 0xa5, n);
    *len += (ULONG)n;
}

static void flip_byte(uint8_t *tok, ULONG *len, size_t at)
{
    tok[at % *len] ^= 0x01;
}

static void test_truncated_tokens_are_invalid_at_each_leg(void **state)
{
    for (size_t n = 0; n < 48; n++) {
        assert_int_equal(corrupt_leg(LEG_CHALLENGE, truncate_to, n), SEC_E_INVALID_TOKEN);
        assert_int_equal(corrupt_leg(LEG_AUTHENTICATE, truncate_to, n), SEC_E_INVALID_TOKEN);
    }
    for (size_t n = 0; n < 16; n++)
        assert_int_equal(corrupt_leg(LEG_NEGOTIATE, truncate_to, n), SEC_E_INVALID_TOKEN);
}

static void test_flipped_authenticate_bytes_never_log_on(void **state)
{
    /* any change to the AUTHENTICATE message breaks the MIC, the NTProofStr or
     * the parse; flags and the session key are covered by the MIC */
    for (size_t at = 0; at < 300; at += 3) {
        SECURITY_STATUS st = corrupt_leg(LEG_AUTHENTICATE, flip_byte, at);
        if (st == SEC_E_OK)
            fail_msg("flipping byte %zu of AUTHENTICATE still logged on", at);
    }
}

static void test_garbage_tokens_are_invalid(void **state)
{
    assert_int_equal(corrupt_leg(LEG_NEGOTIATE, flip_byte, 0), SEC_E_INVALID_TOKEN);  /* signature */
    assert_int_equal(corrupt_leg(LEG_CHALLENGE, flip_byte, 8), SEC_E_INVALID_TOKEN);  /* type */
    assert_int_equal(corrupt_leg(LEG_AUTHENTICATE, flip_byte, 3), SEC_E_INVALID_TOKEN);
}

static void test_oversized_tokens_are_rejected(void **state)
{
    SECURITY_STATUS st = corrupt_leg(LEG_AUTHENTICATE, append_garbage, 3000);
    assert_int_not_equal(st, SEC_E_OK);
    st = corrupt_leg(LEG_CHALLENGE, append_garbage, 3000);
    assert_int_not_equal(st, SEC_E_OK);
}

static void test_tampered_and_replayed_messages_are_detected(void **state)
{
    struct pair p;
    creds(&p, "alice", "TESTDOM", "Secret123");
    assert_int_equal(handshake(&p, CREQ, SREQ, NULL), SEC_E_OK);
    uint8_t sig[16], data[32], saved_sig[16], saved[32];
    ULONG qop;
    memcpy(data, "tamper with me please!", 22);
    SecBuffer b[2] = { { 16, SECBUFFER_TOKEN, sig }, { 22, SECBUFFER_DATA, data } };
    SecBufferDesc d = { SECBUFFER_VERSION, 2, b };
    /* message 0 delivered, then replayed */
    assert_int_equal(EncryptMessage(&p.cctx, 0, &d, 0), SEC_E_OK);
    memcpy(saved_sig, sig, 16);
    memcpy(saved, data, 22);
    assert_int_equal(DecryptMessage(&p.sctx, &d, 0, &qop), SEC_E_OK);
    memcpy(sig, saved_sig, 16);
    memcpy(data, saved, 22);
    assert_int_equal(DecryptMessage(&p.sctx, &d, 0, &qop), SEC_E_OUT_OF_SEQUENCE);
    /* message 1 skipped, message 2 arrives first: out of sequence */
    assert_int_equal(EncryptMessage(&p.cctx, 0, &d, 0), SEC_E_OK);
    memcpy(data, "tamper with me please!", 22);
    b[1].cbBuffer = 22;
    assert_int_equal(EncryptMessage(&p.cctx, 0, &d, 0), SEC_E_OK);
    assert_int_equal(DecryptMessage(&p.sctx, &d, 0, &qop), SEC_E_OUT_OF_SEQUENCE);
    free_pair(&p);

    /* tampered ciphertext and tampered signature */
    creds(&p, "alice", "TESTDOM", "Secret123");
    assert_int_equal(handshake(&p, CREQ, SREQ, NULL), SEC_E_OK);
    memcpy(data, "tamper with me please!", 22);
    assert_int_equal(EncryptMessage(&p.cctx, 0, &d, 0), SEC_E_OK);
    data[5] ^= 0x80;
    assert_int_equal(DecryptMessage(&p.sctx, &d, 0, &qop), SEC_E_MESSAGE_ALTERED);
    free_pair(&p);

    creds(&p, "alice", "TESTDOM", "Secret123");
    assert_int_equal(handshake(&p, CREQ, SREQ, NULL), SEC_E_OK);
    const char *text = "signed text";
    SecBuffer s2[2] = { { (ULONG)strlen(text), SECBUFFER_DATA, (void *)text }, { 16, SECBUFFER_TOKEN, sig } };
    SecBufferDesc sd = { SECBUFFER_VERSION, 2, s2 };
    assert_int_equal(MakeSignature(&p.sctx, 0, &sd, 0), SEC_E_OK);
    sig[6] ^= 1;
    assert_int_equal(VerifySignature(&p.cctx, &sd, 0, &qop), SEC_E_MESSAGE_ALTERED);
    free_pair(&p);
}

static void test_readonly_buffers_are_signed_not_encrypted(void **state)
{
    struct pair p;
    creds(&p, "alice", "TESTDOM", "Secret123");
    assert_int_equal(handshake(&p, CREQ, SREQ, NULL), SEC_E_OK);
    uint8_t sig[16], hdr[8] = "HEADER!", body[8] = "secret!";
    SecBuffer b[3] = { { 8, SECBUFFER_DATA | SECBUFFER_READONLY_WITH_CHECKSUM, hdr },
                       { 8, SECBUFFER_DATA, body },
                       { 16, SECBUFFER_TOKEN, sig } };
    SecBufferDesc d = { SECBUFFER_VERSION, 3, b };
    ULONG qop;
    assert_int_equal(EncryptMessage(&p.cctx, 0, &d, 0), SEC_E_OK);
    assert_memory_equal(hdr, "HEADER!", 8);
    assert_memory_not_equal(body, "secret!", 8);
    assert_int_equal(DecryptMessage(&p.sctx, &d, 0, &qop), SEC_E_OK);
    assert_memory_equal(body, "secret!", 8);
    /* the read-only part is covered by the signature */
    assert_int_equal(EncryptMessage(&p.cctx, 0, &d, 0), SEC_E_OK);
    hdr[0] = 'X';
    assert_int_equal(DecryptMessage(&p.sctx, &d, 0, &qop), SEC_E_MESSAGE_ALTERED);
    free_pair(&p);
}

static void test_stream_buffer_decrypts_in_place(void **state)
{
    struct pair p;
    creds(&p, "alice", "TESTDOM", "Secret123");
    assert_int_equal(handshake(&p, CREQ, SREQ, NULL), SEC_E_OK);
    uint8_t wire[16 + 5];
    memcpy(wire + 16, "hello", 5);
    SecBuffer b[2] = { { 16, SECBUFFER_TOKEN, wire }, { 5, SECBUFFER_DATA, wire + 16 } };
    SecBufferDesc d = { SECBUFFER_VERSION, 2, b };
    assert_int_equal(EncryptMessage(&p.sctx, 0, &d, 0), SEC_E_OK);
    SecBuffer s[2] = { { sizeof(wire), SECBUFFER_STREAM, wire }, { 0, SECBUFFER_DATA, NULL } };
    SecBufferDesc sd = { SECBUFFER_VERSION, 2, s };
    ULONG qop;
    assert_int_equal(DecryptMessage(&p.cctx, &sd, 0, &qop), SEC_E_OK);
    assert_int_equal(s[1].cbBuffer, 5);
    assert_memory_equal(s[1].pvBuffer, "hello", 5);
    free_pair(&p);
}

static void test_channel_bindings_must_match(void **state)
{
    uint8_t cb1[32 + 12], cb2[32 + 12];
    memset(cb1, 0, sizeof(cb1));
    cb1[24] = 12;
    cb1[28] = 32; /* cbApplicationDataLength, dwApplicationDataOffset */
    memcpy(cb1 + 32, "tls-unique:A", 12);
    memcpy(cb2, cb1, sizeof(cb2));
    cb2[32 + 11] = 'B';
    for (int same = 0; same < 2; same++) {
        struct pair p;
        creds(&p, "alice", "TESTDOM", "Secret123");
        uint8_t ctok[4096], stok[4096];
        SecBuffer cout = { sizeof(ctok), SECBUFFER_TOKEN, ctok }, sout = { sizeof(stok), SECBUFFER_TOKEN, stok };
        SecBufferDesc coutd = { SECBUFFER_VERSION, 1, &cout }, soutd = { SECBUFFER_VERSION, 1, &sout };
        SecBuffer in[2];
        SecBufferDesc ind = { SECBUFFER_VERSION, 2, in };
        ULONG attr;
        TimeStamp ts;
        assert_int_equal(InitializeSecurityContextA(&p.ccred, NULL, NULL, CREQ, 0, 0, NULL, 0, &p.cctx, &coutd,
                                                    &attr, &ts),
                         SEC_I_CONTINUE_NEEDED);
        in[0] = (SecBuffer){ cout.cbBuffer, SECBUFFER_TOKEN, ctok };
        in[1] = (SecBuffer){ sizeof(cb1), SECBUFFER_CHANNEL_BINDINGS, cb1 };
        assert_int_equal(AcceptSecurityContext(&p.scred, NULL, &ind, SREQ, 0, &p.sctx, &soutd, &attr, &ts),
                         SEC_I_CONTINUE_NEEDED);
        in[0] = (SecBuffer){ sout.cbBuffer, SECBUFFER_TOKEN, stok };
        in[1] = (SecBuffer){ sizeof(cb1), SECBUFFER_CHANNEL_BINDINGS, same ? cb1 : cb2 };
        cout.cbBuffer = sizeof(ctok);
        assert_int_equal(InitializeSecurityContextA(&p.ccred, &p.cctx, NULL, CREQ, 0, 0, &ind, 0, &p.cctx, &coutd,
                                                    &attr, &ts),
                         SEC_E_OK);
        in[0] = (SecBuffer){ cout.cbBuffer, SECBUFFER_TOKEN, ctok };
        in[1] = (SecBuffer){ sizeof(cb1), SECBUFFER_CHANNEL_BINDINGS, cb1 };
        sout.cbBuffer = sizeof(stok);
        assert_int_equal(AcceptSecurityContext(&p.scred, &p.sctx, &ind, SREQ, 0, &p.sctx, &soutd, &attr, &ts),
                         same ? SEC_E_OK : SEC_E_BAD_BINDINGS);
        free_pair(&p);
    }
}

static void test_anonymous_client_gets_null_session(void **state)
{
    struct pair p;
    creds(&p, "", "", "");
    assert_int_equal(handshake(&p, CREQ, SREQ, NULL), SEC_E_OK);
    assert_true(p.cattr & ISC_RET_NULL_SESSION);
    assert_true(p.sattr & ASC_RET_NULL_SESSION);
    SecPkgContext_NamesA names;
    assert_int_equal(QueryContextAttributesA(&p.sctx, SECPKG_ATTR_NAMES, &names), SEC_E_OK);
    assert_string_equal(names.sUserName, "NT AUTHORITY\\ANONYMOUS LOGON");
    FreeContextBuffer(names.sUserName);
    free_pair(&p);
}

static void test_ntlmv1_only_when_lm_compat_level_allows(void **state)
{
    struct pair p;
    setenv("LM_COMPAT_LEVEL", "1", 1);
    creds(&p, "alice", "TESTDOM", "Secret123");
    /* the server (same process) also runs at level 1: v1 accepted */
    assert_int_equal(handshake(&p, CREQ, SREQ, NULL), SEC_E_OK);
    seal_roundtrip(&p.cctx, &p.sctx, "v1 sealed");
    sign_roundtrip(&p.sctx, &p.cctx, "v1 signed");
    FreeCredentialsHandle(&p.scred);
    /* a level-3 server refuses it */
    setenv("LM_COMPAT_LEVEL", "3", 1);
    TimeStamp ts;
    assert_int_equal(
        AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL, &p.scred, &ts),
        SEC_E_OK);
    DeleteSecurityContext(&p.cctx);
    DeleteSecurityContext(&p.sctx);
    assert_int_equal(handshake(&p, CREQ, SREQ, NULL), SEC_E_LOGON_DENIED);
    free_pair(&p);
    unsetenv("LM_COMPAT_LEVEL");
}

static void test_default_credentials_come_from_the_user_file(void **state)
{
    setenv("NTLM_USER", "TESTDOM\\alice", 1);
    struct pair p;
    TimeStamp ts;
    assert_int_equal(
        AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL, &p.ccred, &ts),
        SEC_E_OK);
    assert_int_equal(
        AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL, &p.scred, &ts),
        SEC_E_OK);
    assert_int_equal(handshake(&p, CREQ, SREQ, NULL), SEC_E_OK);
    free_pair(&p);
    setenv("NTLM_USER", "TESTDOM\\nobody", 1);
    assert_int_equal(
        AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL, &p.ccred, &ts),
        SEC_E_NO_CREDENTIALS);
    unsetenv("NTLM_USER");
}

static void test_context_without_seal_request_refuses_encrypt(void **state)
{
    struct pair p;
    creds(&p, "alice", "TESTDOM", "Secret123");
    assert_int_equal(handshake(&p, ISC_REQ_INTEGRITY, ASC_REQ_INTEGRITY, NULL), SEC_E_OK);
    assert_false(p.cattr & ISC_RET_CONFIDENTIALITY);
    sign_roundtrip(&p.cctx, &p.sctx, "integrity only");
    free_pair(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_handshake_then_seal_and_sign_both_ways),
        cmocka_unit_test(test_wrong_password_is_logon_denied),
        cmocka_unit_test(test_nt_hash_entry_and_any_domain_entry_log_on),
        cmocka_unit_test(test_server_names_the_canonical_account),
        cmocka_unit_test(test_wide_entry_points_with_non_ascii_names),
        cmocka_unit_test(test_surrogate_pair_password_matches_published_hash),
        cmocka_unit_test(test_function_tables_reach_the_same_functions),
        cmocka_unit_test(test_bad_handles_are_rejected),
        cmocka_unit_test(test_bad_arguments_give_documented_statuses),
        cmocka_unit_test(test_truncated_tokens_are_invalid_at_each_leg),
        cmocka_unit_test(test_flipped_authenticate_bytes_never_log_on),
        cmocka_unit_test(test_garbage_tokens_are_invalid),
        cmocka_unit_test(test_oversized_tokens_are_rejected),
        cmocka_unit_test(test_tampered_and_replayed_messages_are_detected),
        cmocka_unit_test(test_readonly_buffers_are_signed_not_encrypted),
        cmocka_unit_test(test_stream_buffer_decrypts_in_place),
        cmocka_unit_test(test_channel_bindings_must_match),
        cmocka_unit_test(test_anonymous_client_gets_null_session),
        cmocka_unit_test(test_ntlmv1_only_when_lm_compat_level_allows),
        cmocka_unit_test(test_default_credentials_come_from_the_user_file),
        cmocka_unit_test(test_context_without_seal_request_refuses_encrypt),
    };
    return cmocka_run_group_tests(tests, setup_users, teardown_users);
}
