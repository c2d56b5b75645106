/* tests/unit/kerberos/test_kerberos_loopback.c - the Kerberos package as client
 * and server in one process, through the public SSPI API only, against a
 * throwaway MIT KDC (tests/interop/kdc/realm.sh, started by the group setup):
 * one-leg, mutual and DCE-style handshakes, delegation and use of the delegated
 * TGT, name forms, channel bindings, message protection in every buffer layout,
 * the RC4 and SHA-2 enctypes, attributes, and each error status. */
#define SECURITY_WIN32
#include <security.h>

#include "kerberos/kerberos.h"
#include "krb_realm.h"
#include "vectors.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PKG "Kerberos"
#define TARGET "HTTP/server.opensspi.test"
#define TOKMAX 65536

#define CREQ_ALL (ISC_REQ_MUTUAL_AUTH | ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY | ISC_REQ_SEQUENCE_DETECT \
                  | ISC_REQ_REPLAY_DETECT | ISC_REQ_CONNECTION)
#define SREQ_ALL (ASC_REQ_MUTUAL_AUTH | ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY | ASC_REQ_SEQUENCE_DETECT \
                  | ASC_REQ_REPLAY_DETECT | ASC_REQ_CONNECTION)

static int setup(void **state)
{
    unsetenv("OPENSSPI_TRACE");
    return krb_realm_start();
}

static int teardown(void **state)
{
    krb_realm_stop();
    return 0;
}

static const char *env(const char *name)
{
    const char *v = getenv(name);
    assert_non_null(v);
    return v;
}

/* ---- credentials --------------------------------------------------------- */

static SECURITY_STATUS client_cred(CredHandle *h, const char *user, const char *domain, const char *pw)
{
    SEC_WINNT_AUTH_IDENTITY_A id;
    memset(&id, 0, sizeof(id));
    id.User = (unsigned char *)user;
    id.UserLength = user ? (ULONG)strlen(user) : 0;
    id.Domain = (unsigned char *)domain;
    id.DomainLength = domain ? (ULONG)strlen(domain) : 0;
    id.Password = (unsigned char *)pw;
    id.PasswordLength = pw ? (ULONG)strlen(pw) : 0;
    id.Flags = SEC_WINNT_AUTH_IDENTITY_ANSI;
    TimeStamp ts;
    return AcquireCredentialsHandleA(NULL, PKG, SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL, h, &ts);
}

static void alice(CredHandle *h)
{
    assert_int_equal(client_cred(h, env("KRB_USER"), NULL, env("KRB_PASS")), SEC_E_OK);
}

static SECURITY_STATUS server_cred(CredHandle *h, const char *keytab_env)
{
    char principal[1024];
    snprintf(principal, sizeof(principal), "keytab:%s", env(keytab_env));
    TimeStamp ts;
    return AcquireCredentialsHandleA(principal, PKG, SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL, h, &ts);
}

/* ---- handshakes ---------------------------------------------------------- */

struct pair {
    CredHandle cc, sc;
    CtxtHandle cx, sx;
    bool have_cx, have_sx;
    ULONG cattr, sattr;
    SECURITY_STATUS cst, sst;
    int legs;               /* tokens that crossed */
    SecBuffer *cbt_c, *cbt_s; /* channel bindings for each side, or NULL */
    ULONG creq, sreq;
};

static void pair_init(struct pair *p, ULONG creq, ULONG sreq)
{
    memset(p, 0, sizeof(*p));
    p->creq = creq;
    p->sreq = sreq;
    SecInvalidateHandle(&p->cx);
    SecInvalidateHandle(&p->sx);
}

static void pair_free_ctx(struct pair *p)
{
    if (p->have_cx)
        assert_int_equal(DeleteSecurityContext(&p->cx), SEC_E_OK);
    if (p->have_sx)
        assert_int_equal(DeleteSecurityContext(&p->sx), SEC_E_OK);
    p->have_cx = p->have_sx = false;
}

static void pair_free(struct pair *p)
{
    pair_free_ctx(p);
    FreeCredentialsHandle(&p->cc);
    FreeCredentialsHandle(&p->sc);
}

static SECURITY_STATUS isc(struct pair *p, const char *target, uint8_t *in, ULONG inlen, uint8_t *out,
                           ULONG *outlen)
{
    bool first = !p->have_cx;
    SecBuffer ib[2];
    SecBufferDesc ind = { SECBUFFER_VERSION, 0, ib };
    if (!first)
        ib[ind.cBuffers++] = (SecBuffer){ inlen, SECBUFFER_TOKEN, in };
    if (p->cbt_c)
        ib[ind.cBuffers++] = *p->cbt_c;
    SecBuffer ob = { TOKMAX, SECBUFFER_TOKEN, out };
    SecBufferDesc outd = { SECBUFFER_VERSION, 1, &ob };
    TimeStamp ts;
    SECURITY_STATUS st = InitializeSecurityContextA(&p->cc, first ? NULL : &p->cx, (SEC_CHAR *)target, p->creq, 0,
                                                    SECURITY_NATIVE_DREP, ind.cBuffers ? &ind : NULL, 0, &p->cx,
                                                    &outd, &p->cattr, &ts);
    if (first && (st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED))
        p->have_cx = true;
    *outlen = (st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED) ? ob.cbBuffer : 0;
    return st;
}

static SECURITY_STATUS asc(struct pair *p, uint8_t *in, ULONG inlen, uint8_t *out, ULONG *outlen)
{
    SecBuffer ib[2] = { { inlen, SECBUFFER_TOKEN, in }, { 0, SECBUFFER_EMPTY, NULL } };
    SecBufferDesc ind = { SECBUFFER_VERSION, 1, ib };
    if (p->cbt_s)
        ib[ind.cBuffers++] = *p->cbt_s;
    SecBuffer ob = { TOKMAX, SECBUFFER_TOKEN, out };
    SecBufferDesc outd = { SECBUFFER_VERSION, 1, &ob };
    TimeStamp ts;
    bool first = !p->have_sx;
    SECURITY_STATUS st = AcceptSecurityContext(&p->sc, first ? NULL : &p->sx, &ind, p->sreq, SECURITY_NATIVE_DREP,
                                               &p->sx, &outd, &p->sattr, &ts);
    if (first && (st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED))
        p->have_sx = true;
    *outlen = ob.cbBuffer;
    return st;
}

static SECURITY_STATUS run_with(struct pair *p, const char *target, uint8_t *ctok, uint8_t *stok);

/* run - ISC/ASC until both are complete; the first failing status, else OK. */
static SECURITY_STATUS run(struct pair *p, const char *target)
{
    uint8_t *ctok = malloc(TOKMAX), *stok = malloc(TOKMAX);
    assert_non_null(ctok);
    assert_non_null(stok);
    SECURITY_STATUS st = run_with(p, target, ctok, stok);
    free(ctok);
    free(stok);
    return st;
}

static SECURITY_STATUS run_with(struct pair *p, const char *target, uint8_t *ctok, uint8_t *stok)
{
    ULONG clen = 0, slen = 0;
    bool cdone = false, sdone = false;
    p->legs = 0;
    p->cst = p->sst = SEC_E_OK;
    for (int round = 0; round < 4; round++) {
        if (!cdone) {
            p->cst = isc(p, target, stok, slen, ctok, &clen);
            if (p->cst != SEC_E_OK && p->cst != SEC_I_CONTINUE_NEEDED)
                return p->cst;
            cdone = p->cst == SEC_E_OK;
            slen = 0;
        }
        if (clen) {
            p->legs++;
            p->sst = asc(p, ctok, clen, stok, &slen);
            clen = 0;
            if (p->sst != SEC_E_OK && p->sst != SEC_I_CONTINUE_NEEDED)
                return p->sst;
            sdone = p->sst == SEC_E_OK;
            if (slen)
                p->legs++;
        }
        if (cdone && sdone) {
            assert_int_equal(slen, 0);
            return SEC_E_OK;
        }
        if (cdone && !slen)
            return SEC_E_INTERNAL_ERROR; /* nobody has anything to say */
    }
    return SEC_E_INTERNAL_ERROR;
}

static void handshake_ok(struct pair *p, const char *target)
{
    assert_int_equal(run(p, target), SEC_E_OK);
}

/* ---- messages ------------------------------------------------------------ */

static SecPkgContext_Sizes sizes_of(CtxtHandle *h)
{
    SecPkgContext_Sizes z;
    assert_int_equal(QueryContextAttributesA(h, SECPKG_ATTR_SIZES, &z), SEC_E_OK);
    return z;
}

/* seal - EncryptMessage([TOKEN, DATA, PADDING]) of text into wire (token ||
 * data || padding, the RFC 4121 token) and the three lengths. */
static size_t seal(CtxtHandle *h, ULONG qop, const char *text, uint8_t *wire, size_t *tl, size_t *pl)
{
    SecPkgContext_Sizes z = sizes_of(h);
    uint8_t tok[256], pad[64], data[4096];
    size_t n = strlen(text);
    memcpy(data, text, n);
    assert_true(z.cbSecurityTrailer <= sizeof(tok));
    SecBuffer b[3] = { { z.cbSecurityTrailer, SECBUFFER_TOKEN, tok },
                       { (ULONG)n, SECBUFFER_DATA, data },
                       { z.cbBlockSize, SECBUFFER_PADDING, pad } };
    SecBufferDesc d = { SECBUFFER_VERSION, 3, b };
    assert_int_equal(EncryptMessage(h, qop, &d, 0), SEC_E_OK);
    assert_true(b[0].cbBuffer <= z.cbSecurityTrailer);
    assert_true(b[2].cbBuffer <= z.cbBlockSize);
    assert_int_equal(b[1].cbBuffer, n);
    if (qop == 0 && n >= 8)
        assert_memory_not_equal(data, text, n);
    memcpy(wire, tok, b[0].cbBuffer);
    memcpy(wire + b[0].cbBuffer, data, n);
    memcpy(wire + b[0].cbBuffer + n, pad, b[2].cbBuffer);
    *tl = b[0].cbBuffer;
    *pl = b[2].cbBuffer;
    return b[0].cbBuffer + n + b[2].cbBuffer;
}

/* unseal_split - DecryptMessage([TOKEN, DATA, PADDING]) of a sealed wire. */
static SECURITY_STATUS unseal_split(CtxtHandle *h, uint8_t *wire, size_t tl, size_t dl, size_t pl, ULONG *qop)
{
    SecBuffer b[3] = { { (ULONG)tl, SECBUFFER_TOKEN, wire },
                       { (ULONG)dl, SECBUFFER_DATA, wire + tl },
                       { (ULONG)pl, SECBUFFER_PADDING, wire + tl + dl } };
    SecBufferDesc d = { SECBUFFER_VERSION, 3, b };
    return DecryptMessage(h, &d, 0, qop);
}

/* unseal_stream - DecryptMessage([STREAM, DATA]); *out points into wire. */
static SECURITY_STATUS unseal_stream(CtxtHandle *h, uint8_t *wire, size_t len, uint8_t **out, size_t *outlen,
                                     ULONG *qop)
{
    SecBuffer b[2] = { { (ULONG)len, SECBUFFER_STREAM, wire }, { 0, SECBUFFER_DATA, NULL } };
    SecBufferDesc d = { SECBUFFER_VERSION, 2, b };
    SECURITY_STATUS st = DecryptMessage(h, &d, 0, qop);
    *out = b[1].pvBuffer;
    *outlen = b[1].cbBuffer;
    return st;
}

static void seal_roundtrip(CtxtHandle *from, CtxtHandle *to, const char *text)
{
    uint8_t wire[8192];
    size_t tl, pl, n = strlen(text);
    seal(from, 0, text, wire, &tl, &pl);
    ULONG qop = 99;
    assert_int_equal(unseal_split(to, wire, tl, n, pl, &qop), SEC_E_OK);
    assert_int_equal(qop, 0);
    assert_memory_equal(wire + tl, text, n);
}

static void seal_stream_roundtrip(CtxtHandle *from, CtxtHandle *to, const char *text)
{
    uint8_t wire[8192], *out;
    size_t tl, pl, outlen, n = strlen(text);
    size_t len = seal(from, 0, text, wire, &tl, &pl);
    ULONG qop = 99;
    assert_int_equal(unseal_stream(to, wire, len, &out, &outlen, &qop), SEC_E_OK);
    assert_int_equal(outlen, n);
    assert_true(out >= wire && out + outlen <= wire + len);
    assert_memory_equal(out, text, n);
}

static ULONG sign(CtxtHandle *h, const char *text, uint8_t *sig)
{
    SecBuffer b[2] = { { (ULONG)strlen(text), SECBUFFER_DATA, (void *)text }, { 128, SECBUFFER_TOKEN, sig } };
    SecBufferDesc d = { SECBUFFER_VERSION, 2, b };
    assert_int_equal(MakeSignature(h, 0, &d, 0), SEC_E_OK);
    assert_int_equal(b[1].cbBuffer, sizes_of(h).cbMaxSignature);
    return b[1].cbBuffer;
}

static SECURITY_STATUS verify(CtxtHandle *h, const char *text, uint8_t *sig, ULONG siglen)
{
    SecBuffer b[2] = { { (ULONG)strlen(text), SECBUFFER_DATA, (void *)text }, { siglen, SECBUFFER_TOKEN, sig } };
    SecBufferDesc d = { SECBUFFER_VERSION, 2, b };
    ULONG qop;
    return VerifySignature(h, &d, 0, &qop);
}

static void sign_roundtrip(CtxtHandle *from, CtxtHandle *to, const char *text)
{
    uint8_t sig[128];
    ULONG n = sign(from, text, sig);
    assert_int_equal(verify(to, text, sig, n), SEC_E_OK);
}

/* all_messages - sealing and signing both ways; the stream form of
 * DecryptMessage except for DCE-style contexts, whose sealed layout (the
 * trailer travelling in the RPC auth verifier, after the stub) is not one
 * contiguous token */
static void all_messages(struct pair *p)
{
    seal_roundtrip(&p->cx, &p->sx, "sealed by the client, split buffers");
    seal_roundtrip(&p->sx, &p->cx, "sealed by the server, split buffers");
    if (!(p->cattr & ISC_RET_USED_DCE_STYLE)) {
        seal_stream_roundtrip(&p->cx, &p->sx, "sealed by the client, stream");
        seal_stream_roundtrip(&p->sx, &p->cx, "sealed by the server, stream");
    }
    sign_roundtrip(&p->cx, &p->sx, "signed by the client");
    sign_roundtrip(&p->sx, &p->cx, "signed by the server");
    seal_roundtrip(&p->cx, &p->sx, "x");
    seal_roundtrip(&p->sx, &p->cx, "");
}

static char *names_of(CtxtHandle *h)
{
    SecPkgContext_NamesA n;
    assert_int_equal(QueryContextAttributesA(h, SECPKG_ATTR_NAMES, &n), SEC_E_OK);
    char *s = strdup(n.sUserName);
    FreeContextBuffer(n.sUserName);
    return s;
}

static void assert_client_is(CtxtHandle *server, const char *user)
{
    char *s = names_of(server);
    assert_string_equal(s, user);
    free(s);
}

/* ---- tests: handshakes ---------------------------------------------------- */

static void test_mutual_auth_is_two_legs_and_protects_messages_both_ways(void **state)
{
    struct pair p;
    pair_init(&p, CREQ_ALL, SREQ_ALL);
    alice(&p.cc);
    assert_int_equal(server_cred(&p.sc, "KRB_HTTP_KEYTAB"), SEC_E_OK);
    handshake_ok(&p, TARGET);
    assert_int_equal(p.legs, 2);
    assert_true(p.cattr & ISC_RET_MUTUAL_AUTH);
    assert_true(p.cattr & ISC_RET_CONFIDENTIALITY);
    assert_true(p.cattr & ISC_RET_INTEGRITY);
    assert_true(p.cattr & ISC_RET_REPLAY_DETECT);
    assert_true(p.cattr & ISC_RET_SEQUENCE_DETECT);
    assert_true(p.cattr & ISC_RET_CONNECTION);
    assert_false(p.cattr & ISC_RET_DELEGATE);
    assert_false(p.cattr & ISC_RET_USED_DCE_STYLE);
    assert_true(p.sattr & ASC_RET_MUTUAL_AUTH);
    assert_true(p.sattr & ASC_RET_CONFIDENTIALITY);
    assert_true(p.sattr & ASC_RET_REPLAY_DETECT);
    assert_false(p.sattr & ASC_RET_DELEGATE);
    assert_client_is(&p.sx, "alice@OPENSSPI.TEST");
    all_messages(&p);
    pair_free(&p);
}

static void test_without_mutual_auth_one_token_completes_both_sides(void **state)
{
    struct pair p;
    pair_init(&p, ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY, ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY);
    alice(&p.cc);
    assert_int_equal(server_cred(&p.sc, "KRB_HTTP_KEYTAB"), SEC_E_OK);
    handshake_ok(&p, TARGET);
    assert_int_equal(p.legs, 1);
    assert_false(p.cattr & ISC_RET_MUTUAL_AUTH);
    assert_false(p.sattr & ASC_RET_MUTUAL_AUTH);
    all_messages(&p);
    pair_free(&p);
}

static void test_dce_style_is_three_legs(void **state)
{
    struct pair p;
    pair_init(&p, CREQ_ALL | ISC_REQ_USE_DCE_STYLE, SREQ_ALL | ASC_REQ_USE_DCE_STYLE);
    alice(&p.cc);
    assert_int_equal(server_cred(&p.sc, "KRB_HTTP_KEYTAB"), SEC_E_OK);
    handshake_ok(&p, TARGET);
    assert_int_equal(p.legs, 3);
    assert_true(p.cattr & ISC_RET_USED_DCE_STYLE);
    assert_true(p.sattr & ASC_RET_USED_DCE_STYLE);
    assert_true(p.cattr & ISC_RET_MUTUAL_AUTH);
    all_messages(&p);
    pair_free(&p);
}

static void test_dce_style_without_replay_or_sequence_flags(void **state)
{
    struct pair p;
    pair_init(&p, ISC_REQ_USE_DCE_STYLE | ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY | ISC_REQ_DELEGATE,
              ASC_REQ_USE_DCE_STYLE | ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY);
    alice(&p.cc);
    assert_int_equal(server_cred(&p.sc, "KRB_HTTP_KEYTAB"), SEC_E_OK);
    handshake_ok(&p, TARGET);
    assert_int_equal(p.legs, 3);
    /* MIT's acceptor drops credentials delegated in a DCE-style exchange */
    assert_true(p.cattr & ISC_RET_DELEGATE);
    assert_false(p.sattr & ASC_RET_DELEGATE);
    all_messages(&p);
    pair_free(&p);
}

static void test_each_isc_flag_alone_completes(void **state)
{
    static const ULONG flags[] = { 0,
                                   ISC_REQ_INTEGRITY,
                                   ISC_REQ_CONFIDENTIALITY,
                                   ISC_REQ_REPLAY_DETECT,
                                   ISC_REQ_SEQUENCE_DETECT,
                                   ISC_REQ_MUTUAL_AUTH,
                                   ISC_REQ_DELEGATE,
                                   ISC_REQ_IDENTIFY,
                                   ISC_REQ_EXTENDED_ERROR,
                                   ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_MUTUAL_AUTH };
    CredHandle cc, sc;
    alice(&cc);
    assert_int_equal(server_cred(&sc, "KRB_HTTP_KEYTAB"), SEC_E_OK);
    for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
        struct pair p;
        pair_init(&p, flags[i] & ~(ULONG)ISC_REQ_ALLOCATE_MEMORY, SREQ_ALL);
        p.cc = cc;
        p.sc = sc;
        handshake_ok(&p, TARGET);
        assert_int_equal(p.legs, (flags[i] & ISC_REQ_MUTUAL_AUTH) ? 2 : 1);
        if (flags[i] & ISC_REQ_DELEGATE) {
            assert_true(p.cattr & ISC_RET_DELEGATE);
            assert_true(p.sattr & ASC_RET_DELEGATE);
        }
        if (flags[i] & ISC_REQ_IDENTIFY)
            assert_true(p.sattr & ASC_RET_IDENTIFY);
        /* integrity is available whatever was asked */
        sign_roundtrip(&p.cx, &p.sx, "any context signs");
        seal_roundtrip(&p.cx, &p.sx, "any context seals");
        pair_free_ctx(&p);
    }
    FreeCredentialsHandle(&cc);
    FreeCredentialsHandle(&sc);
}

static void test_allocate_memory_hands_over_tokens(void **state)
{
    CredHandle cc, sc;
    CtxtHandle cx, sx;
    ULONG attr;
    TimeStamp ts;
    alice(&cc);
    assert_int_equal(server_cred(&sc, "KRB_HTTP_KEYTAB"), SEC_E_OK);
    SecBuffer o = { 0, SECBUFFER_TOKEN, NULL }, i;
    SecBufferDesc od = { SECBUFFER_VERSION, 1, &o }, id = { SECBUFFER_VERSION, 1, &i };
    assert_int_equal(InitializeSecurityContextA(&cc, NULL, TARGET, ISC_REQ_MUTUAL_AUTH | ISC_REQ_ALLOCATE_MEMORY, 0,
                                                0, NULL, 0, &cx, &od, &attr, &ts),
                     SEC_I_CONTINUE_NEEDED);
    assert_true(attr & ISC_RET_ALLOCATED_MEMORY);
    assert_non_null(o.pvBuffer);
    assert_int_equal(((uint8_t *)o.pvBuffer)[0], 0x60); /* RFC 2743 framing */
    i = o;
    o = (SecBuffer){ 0, SECBUFFER_TOKEN, NULL };
    assert_int_equal(AcceptSecurityContext(&sc, NULL, &id, ASC_REQ_ALLOCATE_MEMORY, 0, &sx, &od, &attr, &ts),
                     SEC_E_OK);
    assert_true(attr & ASC_RET_ALLOCATED_MEMORY);
    FreeContextBuffer(i.pvBuffer);
    i = o;
    o = (SecBuffer){ 0, SECBUFFER_TOKEN, NULL };
    assert_int_equal(InitializeSecurityContextA(&cc, &cx, TARGET, ISC_REQ_MUTUAL_AUTH | ISC_REQ_ALLOCATE_MEMORY, 0,
                                                0, &id, 0, &cx, &od, &attr, &ts),
                     SEC_E_OK);
    FreeContextBuffer(i.pvBuffer);
    assert_int_equal(o.cbBuffer, 0);
    /* a second call on a complete context is refused */
    assert_int_equal(InitializeSecurityContextA(&cc, &cx, TARGET, ISC_REQ_MUTUAL_AUTH, 0, 0, &id, 0, &cx, &od, &attr,
                                                &ts),
                     SEC_E_OUT_OF_SEQUENCE);
    DeleteSecurityContext(&cx);
    DeleteSecurityContext(&sx);
    FreeCredentialsHandle(&cc);
    FreeCredentialsHandle(&sc);
}

static void test_caller_buffer_too_small_for_the_token(void **state)
{
    CredHandle cc;
    CtxtHandle cx;
    ULONG attr;
    TimeStamp ts;
    uint8_t small[16];
    alice(&cc);
    SecBuffer o = { sizeof(small), SECBUFFER_TOKEN, small };
    SecBufferDesc od = { SECBUFFER_VERSION, 1, &o };
    assert_int_equal(InitializeSecurityContextA(&cc, NULL, TARGET, 0, 0, 0, NULL, 0, &cx, &od, &attr, &ts),
                     SEC_E_BUFFER_TOO_SMALL);
    FreeCredentialsHandle(&cc);
}

/* A Windows peer may frame its AP-REQ with the OID it lists first in SPNEGO,
 * 1.2.840.48018.1.2.2: the server takes it like the RFC 4121 one. */
static void test_server_takes_the_microsoft_kerberos_oid(void **state)
{
    struct pair p;
    pair_init(&p, ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY, SREQ_ALL);
    alice(&p.cc);
    assert_int_equal(server_cred(&p.sc, "KRB_HTTP_KEYTAB"), SEC_E_OK);
    uint8_t tok[TOKMAX], out[TOKMAX];
    ULONG len, olen;
    assert_int_equal(isc(&p, TARGET, NULL, 0, tok, &len), SEC_E_OK);
    static const uint8_t krb5_oid[] = { 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02 };
    uint8_t *at = memmem(tok, len, krb5_oid, sizeof(krb5_oid));
    assert_non_null(at);
    assert_true(at - tok <= 6);
    at[5] = 0x82; /* 1.2.840.113554 -> 1.2.840.48018 */
    assert_int_equal(asc(&p, tok, len, out, &olen), SEC_E_OK);
    assert_client_is(&p.sx, "alice@OPENSSPI.TEST");
    seal_roundtrip(&p.cx, &p.sx, "framed with the other OID");
    sign_roundtrip(&p.sx, &p.cx, "and back");
    pair_free(&p);
}

/* ---- tests: delegation ---------------------------------------------------- */

static void test_delegated_tgt_lets_the_server_act_as_the_client(void **state)
{
    struct pair p;
    pair_init(&p, CREQ_ALL | ISC_REQ_DELEGATE, SREQ_ALL);
    alice(&p.cc);
    assert_int_equal(server_cred(&p.sc, "KRB_HTTP_KEYTAB"), SEC_E_OK);
    handshake_ok(&p, TARGET);
    assert_true(p.cattr & ISC_RET_DELEGATE);
    assert_true(p.sattr & ASC_RET_DELEGATE);

    char *ccname = NULL;
    assert_int_equal(QueryContextAttributesA(&p.sx, KERBEROS_ATTR_DELEGATED_CCACHE, &ccname), SEC_E_OK);
    assert_non_null(ccname);
    assert_memory_equal(ccname, "MEMORY:", 7);
    char principal[512];
    snprintf(principal, sizeof(principal), "ccache:%s", ccname);
    FreeContextBuffer(ccname);

    /* the middle tier, as alice, towards the backend */
    struct pair q;
    pair_init(&q, CREQ_ALL, SREQ_ALL);
    TimeStamp ts;
    assert_int_equal(AcquireCredentialsHandleA(principal, PKG, SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL, &q.cc,
                                               &ts),
                     SEC_E_OK);
    SecPkgCredentials_NamesA cn;
    assert_int_equal(QueryCredentialsAttributesA(&q.cc, SECPKG_CRED_ATTR_NAMES, &cn), SEC_E_OK);
    assert_string_equal(cn.sUserName, "alice@OPENSSPI.TEST");
    FreeContextBuffer(cn.sUserName);
    assert_int_equal(server_cred(&q.sc, "KRB_BACKEND_KEYTAB"), SEC_E_OK);
    pair_free(&p); /* the delegated ccache goes; the credential keeps its copy */
    handshake_ok(&q, "HTTP/backend.opensspi.test");
    assert_client_is(&q.sx, "alice@OPENSSPI.TEST");
    all_messages(&q);
    pair_free(&q);
}

static void test_no_delegation_means_no_delegated_ccache(void **state)
{
    struct pair p;
    pair_init(&p, CREQ_ALL, SREQ_ALL);
    alice(&p.cc);
    assert_int_equal(server_cred(&p.sc, "KRB_HTTP_KEYTAB"), SEC_E_OK);
    handshake_ok(&p, TARGET);
    char *ccname = NULL;
    assert_int_equal(QueryContextAttributesA(&p.sx, KERBEROS_ATTR_DELEGATED_CCACHE, &ccname),
                     SEC_E_NO_CREDENTIALS);
    assert_int_equal(QueryContextAttributesA(&p.cx, KERBEROS_ATTR_DELEGATED_CCACHE, &ccname),
                     SEC_E_UNSUPPORTED_FUNCTION);
    pair_free(&p);
}

/* ---- tests: names ---------------------------------------------------------- */

static void test_target_name_forms(void **state)
{
    static const char *targets[] = {
        "HTTP/server.opensspi.test@OPENSSPI.TEST", "HTTP@server.opensspi.test", "host/server",
        "host/server.opensspi.test",               "HTTP/server.opensspi.test",
    };
    static const char *servers[] = {
        "HTTP/server.opensspi.test@OPENSSPI.TEST", "HTTP/server.opensspi.test@OPENSSPI.TEST",
        "host/server@OPENSSPI.TEST",               "host/server.opensspi.test@OPENSSPI.TEST",
        "HTTP/server.opensspi.test@OPENSSPI.TEST",
    };
    CredHandle cc, sc;
    alice(&cc);
    assert_int_equal(server_cred(&sc, "KRB_ALL_KEYTAB"), SEC_E_OK);
    for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
        struct pair p;
        pair_init(&p, CREQ_ALL, SREQ_ALL);
        p.cc = cc;
        p.sc = sc;
        handshake_ok(&p, targets[i]);
        SecPkgContext_NativeNamesA nn;
        assert_int_equal(QueryContextAttributesA(&p.sx, SECPKG_ATTR_NATIVE_NAMES, &nn), SEC_E_OK);
        assert_string_equal(nn.sClientName, "alice@OPENSSPI.TEST");
        assert_string_equal(nn.sServerName, servers[i]);
        FreeContextBuffer(nn.sClientName);
        FreeContextBuffer(nn.sServerName);
        pair_free_ctx(&p);
    }
    FreeCredentialsHandle(&cc);
    FreeCredentialsHandle(&sc);
}

static void test_user_name_forms(void **state)
{
    struct {
        const char *user, *domain;
    } forms[] = {
        { "alice", "OPENSSPI.TEST" },
        { "alice", "opensspi.test" },
        { "OPENSSPI.TEST\\alice", NULL },
        { "opensspi.test\\alice", NULL },
        { "alice@opensspi.test", NULL },
        { "alice@OPENSSPI.TEST", "IGNORED" },
        { "alice", NULL },
    };
    CredHandle sc;
    assert_int_equal(server_cred(&sc, "KRB_HTTP_KEYTAB"), SEC_E_OK);
    for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
        struct pair p;
        pair_init(&p, CREQ_ALL, SREQ_ALL);
        assert_int_equal(client_cred(&p.cc, forms[i].user, forms[i].domain, env("KRB_PASS")), SEC_E_OK);
        SecPkgCredentials_NamesA cn;
        assert_int_equal(QueryCredentialsAttributesA(&p.cc, SECPKG_CRED_ATTR_NAMES, &cn), SEC_E_OK);
        assert_string_equal(cn.sUserName, "alice@OPENSSPI.TEST");
        FreeContextBuffer(cn.sUserName);
        p.sc = sc;
        handshake_ok(&p, TARGET);
        assert_client_is(&p.sx, "alice@OPENSSPI.TEST");
        assert_client_is(&p.cx, "alice@OPENSSPI.TEST");
        pair_free_ctx(&p);
        FreeCredentialsHandle(&p.cc);
    }
    FreeCredentialsHandle(&sc);
}

static void test_wide_entry_points(void **state)
{
    SEC_WCHAR user[] = { 'a', 'l', 'i', 'c', 'e', 0 };
    SEC_WCHAR dom[] = { 'o', 'p', 'e', 'n', 's', 's', 'p', 'i', '.', 't', 'e', 's', 't', 0 };
    SEC_WCHAR pw[64];
    const char *pass = env("KRB_PASS");
    size_t n = strlen(pass);
    for (size_t i = 0; i <= n; i++)
        pw[i] = (SEC_WCHAR)pass[i];
    SEC_WCHAR pkg[] = { 'K', 'e', 'r', 'b', 'e', 'r', 'o', 's', 0 };
    SEC_WCHAR target[] = { 'H', 'T', 'T', 'P', '/', 's', 'e', 'r', 'v', 'e', 'r', '.', 'o', 'p', 'e', 'n',
                           's', 's', 'p', 'i', '.', 't', 'e', 's', 't', 0 };
    SEC_WINNT_AUTH_IDENTITY_W id = { user, 5, dom, 13, pw, (ULONG)n, SEC_WINNT_AUTH_IDENTITY_UNICODE };
    CredHandle cc, sc;
    CtxtHandle cx, sx;
    TimeStamp ts;
    ULONG attr;
    uint8_t t1[TOKMAX], t2[TOKMAX];
    assert_int_equal(AcquireCredentialsHandleW(NULL, pkg, SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL, &cc, &ts),
                     SEC_E_OK);
    assert_int_equal(server_cred(&sc, "KRB_HTTP_KEYTAB"), SEC_E_OK);
    SecBuffer o = { TOKMAX, SECBUFFER_TOKEN, t1 }, i;
    SecBufferDesc od = { SECBUFFER_VERSION, 1, &o }, idd = { SECBUFFER_VERSION, 1, &i };
    assert_int_equal(InitializeSecurityContextW(&cc, NULL, target, ISC_REQ_MUTUAL_AUTH, 0, 0, NULL, 0, &cx, &od,
                                                &attr, &ts),
                     SEC_I_CONTINUE_NEEDED);
    i = o;
    o = (SecBuffer){ TOKMAX, SECBUFFER_TOKEN, t2 };
    assert_int_equal(AcceptSecurityContext(&sc, NULL, &idd, 0, 0, &sx, &od, &attr, &ts), SEC_E_OK);
    i = o;
    o = (SecBuffer){ TOKMAX, SECBUFFER_TOKEN, t1 };
    assert_int_equal(InitializeSecurityContextW(&cc, &cx, target, ISC_REQ_MUTUAL_AUTH, 0, 0, &idd, 0, &cx, &od,
                                                &attr, &ts),
                     SEC_E_OK);
    SecPkgContext_NamesW wn;
    assert_int_equal(QueryContextAttributesW(&sx, SECPKG_ATTR_NAMES, &wn), SEC_E_OK);
    assert_int_equal(wn.sUserName[0], 'a');
    assert_int_equal(wn.sUserName[6], 'O');
    FreeContextBuffer(wn.sUserName);
    SecPkgInfoW *info;
    assert_int_equal(QuerySecurityPackageInfoW(pkg, &info), SEC_E_OK);
    assert_int_equal(info->cbMaxToken, KERBEROS_MAX_TOKEN);
    assert_int_equal(info->wRPCID, 16);
    FreeContextBuffer(info);
    DeleteSecurityContext(&cx);
    DeleteSecurityContext(&sx);
    FreeCredentialsHandle(&cc);
    FreeCredentialsHandle(&sc);
}

/* ---- tests: errors -------------------------------------------------------- */

static SECURITY_STATUS first_isc(CredHandle *cc, const char *target)
{
    struct pair p;
    pair_init(&p, CREQ_ALL, SREQ_ALL);
    p.cc = *cc;
    uint8_t out[TOKMAX];
    ULONG outlen;
    SECURITY_STATUS st = isc(&p, target, NULL, 0, out, &outlen);
    if (p.have_cx)
        DeleteSecurityContext(&p.cx);
    return st;
}

static void test_wrong_password_is_logon_denied_and_not_retried(void **state)
{
    CredHandle cc;
    assert_int_equal(client_cred(&cc, env("KRB_USER"), NULL, "not-the-password"), SEC_E_OK);
    assert_int_equal(first_isc(&cc, TARGET), SEC_E_LOGON_DENIED);
    assert_int_equal(first_isc(&cc, TARGET), SEC_E_LOGON_DENIED);
    FreeCredentialsHandle(&cc);
    assert_int_equal(client_cred(&cc, "nobody", NULL, "whatever"), SEC_E_OK);
    assert_int_equal(first_isc(&cc, TARGET), SEC_E_LOGON_DENIED);
    FreeCredentialsHandle(&cc);
}

static void test_expired_account_or_password_is_logon_denied(void **state)
{
    CredHandle cc;
    assert_int_equal(client_cred(&cc, env("KRB_EXPIRED_USER"), NULL, env("KRB_PASS2")), SEC_E_OK);
    assert_int_equal(first_isc(&cc, TARGET), SEC_E_LOGON_DENIED);
    FreeCredentialsHandle(&cc);
    assert_int_equal(client_cred(&cc, env("KRB_PWEXPIRED_USER"), NULL, env("KRB_PASS2")), SEC_E_OK);
    assert_int_equal(first_isc(&cc, TARGET), SEC_E_LOGON_DENIED);
    FreeCredentialsHandle(&cc);
}

static void test_unknown_service_is_target_unknown(void **state)
{
    CredHandle cc;
    alice(&cc);
    assert_int_equal(first_isc(&cc, "HTTP/nowhere.opensspi.test"), SEC_E_TARGET_UNKNOWN);
    assert_int_equal(first_isc(&cc, "HTTP/nowhere.opensspi.test@OPENSSPI.TEST"), SEC_E_TARGET_UNKNOWN);
    assert_int_equal(first_isc(&cc, ""), SEC_E_TARGET_UNKNOWN);
    assert_int_equal(first_isc(&cc, "/"), SEC_E_TARGET_UNKNOWN);
    assert_int_equal(first_isc(&cc, NULL), SEC_E_TARGET_UNKNOWN);
    /* the credential still works */
    assert_int_equal(first_isc(&cc, TARGET), SEC_I_CONTINUE_NEEDED);
    FreeCredentialsHandle(&cc);
}

static void test_unknown_realm_is_no_authenticating_authority(void **state)
{
    CredHandle cc;
    assert_int_equal(client_cred(&cc, "alice", "NOWHERE.TEST", "pw"), SEC_E_OK);
    assert_int_equal(first_isc(&cc, TARGET), SEC_E_NO_AUTHENTICATING_AUTHORITY);
    FreeCredentialsHandle(&cc);
}

static void test_unreachable_kdc_is_no_authenticating_authority(void **state)
{
    /* a krb5.conf whose KDC port has nobody listening */
    char conf[512], dead[600];
    snprintf(conf, sizeof(conf), "%s", env("KRB5_CONFIG"));
    snprintf(dead, sizeof(dead), "%s/dead-krb5.conf", env("KRB_DIR"));
    FILE *in = fopen(conf, "r"), *out = fopen(dead, "w");
    assert_non_null(in);
    assert_non_null(out);
    char line[1024];
    while (fgets(line, sizeof(line), in)) {
        if (strstr(line, "kdc = 127.0.0.1:"))
            fputs("        kdc = 127.0.0.1:9\n", out);
        else
            fputs(line, out);
    }
    fclose(in);
    fclose(out);
    setenv("KRB5_CONFIG", dead, 1);
    CredHandle cc;
    alice(&cc);
    SECURITY_STATUS st = first_isc(&cc, TARGET);
    FreeCredentialsHandle(&cc);
    setenv("KRB5_CONFIG", conf, 1);
    assert_int_equal(st, SEC_E_NO_AUTHENTICATING_AUTHORITY);
}

static void test_server_without_the_key_is_wrong_principal(void **state)
{
    struct pair p;
    pair_init(&p, CREQ_ALL, SREQ_ALL);
    alice(&p.cc);
    assert_int_equal(server_cred(&p.sc, "KRB_BACKEND_KEYTAB"), SEC_E_OK);
    assert_int_equal(run(&p, TARGET), SEC_E_WRONG_PRINCIPAL);
    assert_false(p.have_sx);
    pair_free(&p);
    /* a server credential restricted to one SPN refuses tickets for another */
    pair_init(&p, CREQ_ALL, SREQ_ALL);
    alice(&p.cc);
    TimeStamp ts;
    setenv("KRB5_KTNAME", env("KRB_ALL_KEYTAB"), 1);
    assert_int_equal(AcquireCredentialsHandleA("HTTP/backend.opensspi.test", PKG, SECPKG_CRED_INBOUND, NULL, NULL,
                                               NULL, NULL, &p.sc, &ts),
                     SEC_E_OK);
    assert_int_equal(run(&p, TARGET), SEC_E_WRONG_PRINCIPAL);
    pair_free(&p);
}

static void test_time_skew_is_reported(void **state)
{
    /* a ccache whose KDC time offset (the kdc_timesync header tag) is an hour
     * ahead: the TGS request carries a skewed authenticator */
    char ccpath[600], cmd[2048];
    snprintf(ccpath, sizeof(ccpath), "%s/skew.cc", env("KRB_DIR"));
    snprintf(cmd, sizeof(cmd),
             "printf '%%s\\n' \"$KRB_PASS\" | KRB5CCNAME='FILE:%s' kinit '%s' >/dev/null 2>&1 && "
             "printf '\\000\\000\\016\\020' | dd of='%s' bs=1 seek=8 conv=notrunc 2>/dev/null",
             ccpath, env("KRB_USER"), ccpath);
    assert_int_equal(system(cmd), 0);
    char principal[700];
    snprintf(principal, sizeof(principal), "ccache:FILE:%s", ccpath);
    CredHandle cc;
    TimeStamp ts;
    assert_int_equal(AcquireCredentialsHandleA(principal, PKG, SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL, &cc,
                                               &ts),
                     SEC_E_OK);
    assert_int_equal(first_isc(&cc, TARGET), SEC_E_TIME_SKEW);
    FreeCredentialsHandle(&cc);

    /* an AP-REQ that reaches the server after its clock skew allowance */
    char conf[512], tight[600];
    snprintf(conf, sizeof(conf), "%s", env("KRB5_CONFIG"));
    snprintf(tight, sizeof(tight), "%s/tight-krb5.conf", env("KRB_DIR"));
    snprintf(cmd, sizeof(cmd), "sed 's/clockskew = 300/clockskew = 1/' '%s' > '%s'", conf, tight);
    assert_int_equal(system(cmd), 0);
    struct pair p;
    pair_init(&p, CREQ_ALL, SREQ_ALL | ASC_REQ_EXTENDED_ERROR);
    alice(&p.cc);
    assert_int_equal(server_cred(&p.sc, "KRB_HTTP_KEYTAB"), SEC_E_OK);
    uint8_t ctok[TOKMAX], stok[TOKMAX];
    ULONG clen, slen;
    assert_int_equal(isc(&p, TARGET, NULL, 0, ctok, &clen), SEC_I_CONTINUE_NEEDED);
    setenv("KRB5_CONFIG", tight, 1);
    sleep(3);
    SECURITY_STATUS sst = asc(&p, ctok, clen, stok, &slen);
    setenv("KRB5_CONFIG", conf, 1);
    assert_int_equal(sst, SEC_E_TIME_SKEW);
    /* with ASC_REQ_EXTENDED_ERROR the KRB-ERROR goes back to the client */
    assert_true(slen > 0);
    assert_int_equal(isc(&p, TARGET, stok, slen, ctok, &clen), SEC_E_TIME_SKEW);
    pair_free(&p);
}

static void test_credential_errors(void **state)
{
    CredHandle h;
    TimeStamp ts;
    /* anonymous (all empty) is not a Kerberos logon */
    assert_int_equal(client_cred(&h, "", "", ""), SEC_E_NO_CREDENTIALS);
    /* a user name no principal can be made of */
    assert_int_equal(client_cred(&h, "a\\b@c", NULL, "pw"), SEC_E_UNKNOWN_CREDENTIALS);
    assert_int_equal(client_cred(&h, "\\alice", NULL, "pw"), SEC_E_UNKNOWN_CREDENTIALS);
    /* no such keytab */
    assert_int_equal(AcquireCredentialsHandleA("keytab:/nonexistent/keytab", PKG, SECPKG_CRED_INBOUND, NULL, NULL,
                                               NULL, NULL, &h, &ts),
                     SEC_E_NO_CREDENTIALS);
    /* an SPN the keytab does not hold */
    setenv("KRB5_KTNAME", env("KRB_HTTP_KEYTAB"), 1);
    assert_int_equal(AcquireCredentialsHandleA("HTTP/backend.opensspi.test", PKG, SECPKG_CRED_INBOUND, NULL, NULL,
                                               NULL, NULL, &h, &ts),
                     SEC_E_NO_CREDENTIALS);
    /* the default keytab (KRB5_KTNAME) */
    assert_int_equal(AcquireCredentialsHandleA(NULL, PKG, SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL, &h, &ts),
                     SEC_E_OK);
    FreeCredentialsHandle(&h);
    /* an empty default ccache */
    char empty[600];
    snprintf(empty, sizeof(empty), "FILE:%s/no-such-ccache", env("KRB_DIR"));
    char *saved = strdup(env("KRB5CCNAME"));
    setenv("KRB5CCNAME", empty, 1);
    assert_int_equal(AcquireCredentialsHandleA(NULL, PKG, SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL, &h, &ts),
                     SEC_E_NO_CREDENTIALS);
    char principal[700];
    snprintf(principal, sizeof(principal), "ccache:%s", empty);
    assert_int_equal(AcquireCredentialsHandleA(principal, PKG, SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL, &h, &ts),
                     SEC_E_NO_CREDENTIALS);
    setenv("KRB5CCNAME", saved, 1);
    free(saved);
    /* a server credential cannot initiate, a client one cannot accept */
    alice(&h);
    SecBuffer ib = { 4, SECBUFFER_TOKEN, "\x60\x01\x00\x00" };
    SecBufferDesc ind = { SECBUFFER_VERSION, 1, &ib };
    CtxtHandle cx;
    ULONG attr;
    assert_int_equal(AcceptSecurityContext(&h, NULL, &ind, 0, 0, &cx, NULL, &attr, &ts),
                     SEC_E_WRONG_CREDENTIAL_HANDLE);
    FreeCredentialsHandle(&h);
}

static void test_default_ccache_is_used_without_an_identity(void **state)
{
    char ccpath[600], cmd[2048];
    snprintf(ccpath, sizeof(ccpath), "%s/default.cc", env("KRB_DIR"));
    snprintf(cmd, sizeof(cmd), "printf '%%s\\n' \"$KRB_PASS\" | KRB5CCNAME='FILE:%s' kinit '%s' >/dev/null 2>&1",
             ccpath, env("KRB_USER"));
    assert_int_equal(system(cmd), 0);
    char *saved = strdup(env("KRB5CCNAME"));
    char ccname[700];
    snprintf(ccname, sizeof(ccname), "FILE:%s", ccpath);
    setenv("KRB5CCNAME", ccname, 1);
    struct pair p;
    pair_init(&p, CREQ_ALL, SREQ_ALL);
    TimeStamp ts;
    assert_int_equal(AcquireCredentialsHandleA(NULL, PKG, SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL, &p.cc, &ts),
                     SEC_E_OK);
    assert_int_equal(server_cred(&p.sc, "KRB_HTTP_KEYTAB"), SEC_E_OK);
    handshake_ok(&p, TARGET);
    assert_client_is(&p.sx, "alice@OPENSSPI.TEST");
    pair_free(&p);
    /* an identity without a password: that principal's ccache */
    pair_init(&p, CREQ_ALL, SREQ_ALL);
    assert_int_equal(client_cred(&p.cc, "alice", "OPENSSPI.TEST", NULL), SEC_E_OK);
    assert_int_equal(server_cred(&p.sc, "KRB_HTTP_KEYTAB"), SEC_E_OK);
    handshake_ok(&p, TARGET);
    pair_free(&p);
    assert_int_equal(client_cred(&p.cc, "bob", "OPENSSPI.TEST", NULL), SEC_E_NO_CREDENTIALS);
    setenv("KRB5CCNAME", saved, 1);
    free(saved);
}

static void test_service_keytab_and_both_credentials(void **state)
{
    /* OUTBOUND keytab: a service authenticating as itself */
    char principal[700];
    snprintf(principal, sizeof(principal), "keytab:%s", env("KRB_BACKEND_KEYTAB"));
    struct pair p;
    pair_init(&p, CREQ_ALL, SREQ_ALL);
    TimeStamp ts;
    assert_int_equal(AcquireCredentialsHandleA(principal, PKG, SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL, &p.cc,
                                               &ts),
                     SEC_E_OK);
    assert_int_equal(server_cred(&p.sc, "KRB_HTTP_KEYTAB"), SEC_E_OK);
    handshake_ok(&p, TARGET);
    assert_client_is(&p.sx, "HTTP/backend.opensspi.test@OPENSSPI.TEST");
    pair_free(&p);
    /* BOTH with a keytab and no tickets: accepts, cannot initiate */
    char empty[600], *saved = strdup(env("KRB5CCNAME"));
    snprintf(empty, sizeof(empty), "FILE:%s/no-such-ccache", env("KRB_DIR"));
    setenv("KRB5CCNAME", empty, 1);
    snprintf(principal, sizeof(principal), "keytab:%s", env("KRB_HTTP_KEYTAB"));
    pair_init(&p, CREQ_ALL, SREQ_ALL);
    alice(&p.cc);
    assert_int_equal(AcquireCredentialsHandleA(principal, PKG, SECPKG_CRED_BOTH, NULL, NULL, NULL, NULL, &p.sc, &ts),
                     SEC_E_OK);
    handshake_ok(&p, TARGET);
    assert_int_equal(first_isc(&p.sc, "HTTP/backend.opensspi.test"), SEC_E_NO_CREDENTIALS);
    pair_free(&p);
    setenv("KRB5CCNAME", saved, 1);
    free(saved);
    /* a keytab that does not exist */
    assert_int_equal(AcquireCredentialsHandleA("keytab:/nonexistent/keytab", PKG, SECPKG_CRED_OUTBOUND, NULL, NULL,
                                               NULL, NULL, &p.cc, &ts),
                     SEC_E_NO_CREDENTIALS);
}

static void test_garbage_and_truncated_tokens_are_invalid(void **state)
{
    CredHandle sc;
    assert_int_equal(server_cred(&sc, "KRB_HTTP_KEYTAB"), SEC_E_OK);
    struct pair p;
    pair_init(&p, CREQ_ALL, SREQ_ALL);
    alice(&p.cc);
    p.sc = sc;
    uint8_t tok[TOKMAX], out[TOKMAX];
    ULONG len, olen;
    assert_int_equal(isc(&p, TARGET, NULL, 0, tok, &len), SEC_I_CONTINUE_NEEDED);
    static uint8_t garbage[] = "this is not a Kerberos token";
    struct pair s;
    pair_init(&s, 0, 0);
    s.sc = sc;
    assert_int_equal(asc(&s, garbage, sizeof(garbage), out, &olen), SEC_E_INVALID_TOKEN);
    for (ULONG cut = 1; cut < len; cut += (cut < 64 ? 1 : 97)) {
        SECURITY_STATUS st = asc(&s, tok, cut, out, &olen);
        assert_true(st == SEC_E_INVALID_TOKEN || st == SEC_E_WRONG_PRINCIPAL || st == SEC_E_LOGON_DENIED);
        assert_false(s.have_sx);
    }
    /* no token at all */
    SecBufferDesc none = { SECBUFFER_VERSION, 0, NULL };
    CtxtHandle sx;
    TimeStamp ts;
    ULONG attr;
    assert_int_equal(AcceptSecurityContext(&sc, NULL, &none, 0, 0, &sx, NULL, &attr, &ts), SEC_E_INVALID_TOKEN);
    /* the real token still works, once; its replay is refused */
    assert_int_equal(asc(&s, tok, len, out, &olen), SEC_E_OK);
    DeleteSecurityContext(&s.sx);
    s.have_sx = false;
    assert_int_equal(asc(&s, tok, len, out, &olen), SEC_E_LOGON_DENIED);
    /* garbage as the AP-REP (refused before anything changed: again the same) */
    assert_int_equal(isc(&p, TARGET, garbage, sizeof(garbage), out, &olen), SEC_E_INVALID_TOKEN);
    assert_int_equal(isc(&p, TARGET, garbage, sizeof(garbage), out, &olen), SEC_E_INVALID_TOKEN);
    /* an AP-REP for another context fails it for good */
    struct pair q;
    pair_init(&q, CREQ_ALL, SREQ_ALL);
    q.cc = p.cc;
    q.sc = sc;
    uint8_t tok2[TOKMAX], rep2[TOKMAX];
    ULONG len2, rlen2;
    assert_int_equal(isc(&q, TARGET, NULL, 0, tok2, &len2), SEC_I_CONTINUE_NEEDED);
    assert_int_equal(asc(&q, tok2, len2, rep2, &rlen2), SEC_E_OK);
    SECURITY_STATUS st = isc(&p, TARGET, rep2, rlen2, out, &olen);
    assert_true(st == SEC_E_MUTUAL_AUTH_FAILED || st == SEC_E_MESSAGE_ALTERED || st == SEC_E_WRONG_PRINCIPAL
                || st == SEC_E_INVALID_TOKEN || st == SEC_E_LOGON_DENIED);
    assert_int_equal(isc(&p, TARGET, rep2, rlen2, out, &olen), SEC_E_OUT_OF_SEQUENCE);
    DeleteSecurityContext(&q.cx);
    DeleteSecurityContext(&q.sx);
    DeleteSecurityContext(&p.cx);
    FreeCredentialsHandle(&p.cc);
    FreeCredentialsHandle(&sc);
}

/* ---- tests: channel bindings ---------------------------------------------- */

/* bindings - a SECBUFFER_CHANNEL_BINDINGS with application data app */
static SecBuffer bindings(uint8_t *buf, size_t size, const char *app)
{
    SEC_CHANNEL_BINDINGS h;
    memset(&h, 0, sizeof(h));
    size_t n = strlen(app);
    assert_true(sizeof(h) + n <= size);
    h.cbApplicationDataLength = (ULONG)n;
    h.dwApplicationDataOffset = sizeof(h);
    memcpy(buf, &h, sizeof(h));
    memcpy(buf + sizeof(h), app, n);
    return (SecBuffer){ (ULONG)(sizeof(h) + n), SECBUFFER_CHANNEL_BINDINGS, buf };
}

static void test_channel_bindings_are_checked_when_the_server_has_them(void **state)
{
    uint8_t b1[128], b2[128];
    SecBuffer cb1 = bindings(b1, sizeof(b1), "tls-server-end-point:0123456789abcdef");
    SecBuffer cb2 = bindings(b2, sizeof(b2), "tls-server-end-point:fedcba9876543210");
    CredHandle cc, sc;
    alice(&cc);
    assert_int_equal(server_cred(&sc, "KRB_HTTP_KEYTAB"), SEC_E_OK);
    struct pair p;
    /* both, matching */
    pair_init(&p, CREQ_ALL, SREQ_ALL);
    p.cc = cc, p.sc = sc, p.cbt_c = &cb1, p.cbt_s = &cb1;
    handshake_ok(&p, TARGET);
    pair_free_ctx(&p);
    /* both, different */
    pair_init(&p, CREQ_ALL, SREQ_ALL);
    p.cc = cc, p.sc = sc, p.cbt_c = &cb1, p.cbt_s = &cb2;
    assert_int_equal(run(&p, TARGET), SEC_E_BAD_BINDINGS);
    pair_free_ctx(&p);
    /* client only: the server does not check */
    pair_init(&p, CREQ_ALL, SREQ_ALL);
    p.cc = cc, p.sc = sc, p.cbt_c = &cb1;
    handshake_ok(&p, TARGET);
    pair_free_ctx(&p);
    /* server only, client sent none: accepted (as Windows without a policy) */
    pair_init(&p, CREQ_ALL, SREQ_ALL);
    p.cc = cc, p.sc = sc, p.cbt_s = &cb1;
    handshake_ok(&p, TARGET);
    pair_free_ctx(&p);
    /* a malformed SEC_CHANNEL_BINDINGS */
    SecBuffer bad = cb1;
    ((SEC_CHANNEL_BINDINGS *)(void *)b2)->dwApplicationDataOffset = 4096;
    bad.pvBuffer = b2;
    pair_init(&p, CREQ_ALL, SREQ_ALL);
    p.cc = cc, p.sc = sc, p.cbt_c = &bad;
    assert_int_equal(run(&p, TARGET), SEC_E_INVALID_TOKEN);
    pair_free_ctx(&p);
    FreeCredentialsHandle(&cc);
    FreeCredentialsHandle(&sc);
}

/* ---- tests: message protection -------------------------------------------- */

static void established(struct pair *p, ULONG creq, const char *target, const char *keytab_env)
{
    pair_init(p, creq, SREQ_ALL);
    alice(&p->cc);
    assert_int_equal(server_cred(&p->sc, keytab_env), SEC_E_OK);
    handshake_ok(p, target);
}

static void test_tampered_sealed_message_is_altered(void **state)
{
    struct pair p;
    established(&p, CREQ_ALL, TARGET, "KRB_HTTP_KEYTAB");
    const char *text = "a message worth protecting";
    size_t n = strlen(text);
    for (size_t where = 0; where < 3; where++) {
        uint8_t wire[4096];
        size_t tl, pl;
        size_t len = seal(&p.cx, 0, text, wire, &tl, &pl);
        size_t at = where == 0 ? tl + n - 1 : where == 1 ? tl - 1 : 20; /* data, checksum, confounder */
        assert_true(at < len);
        wire[at] ^= 0x01;
        ULONG qop;
        assert_int_equal(unseal_split(&p.sx, wire, tl, n, pl, &qop), SEC_E_MESSAGE_ALTERED);
    }
    /* a damaged header */
    uint8_t wire[4096];
    size_t tl, pl;
    seal(&p.cx, 0, text, wire, &tl, &pl);
    wire[0] ^= 0xff;
    ULONG qop;
    assert_int_equal(unseal_split(&p.sx, wire, tl, n, pl, &qop), SEC_E_INVALID_TOKEN);
    pair_free(&p);
}

static void test_replayed_and_reordered_messages_are_out_of_sequence(void **state)
{
    struct pair p;
    established(&p, CREQ_ALL, TARGET, "KRB_HTTP_KEYTAB");
    uint8_t w1[4096], w2[4096], copy[4096], *out;
    size_t tl1, pl1, tl2, pl2, outlen;
    size_t l1 = seal(&p.cx, 0, "first", w1, &tl1, &pl1);
    size_t l2 = seal(&p.cx, 0, "second", w2, &tl2, &pl2);
    memcpy(copy, w2, l2);
    ULONG qop;
    /* second before first */
    assert_int_equal(unseal_stream(&p.sx, w2, l2, &out, &outlen, &qop), SEC_E_OUT_OF_SEQUENCE);
    assert_int_equal(unseal_stream(&p.sx, w1, l1, &out, &outlen, &qop), SEC_E_OUT_OF_SEQUENCE);
    /* and a replay */
    assert_int_equal(unseal_stream(&p.sx, copy, l2, &out, &outlen, &qop), SEC_E_OUT_OF_SEQUENCE);
    /* signatures too */
    uint8_t sig[128];
    ULONG sl = sign(&p.sx, "mic", sig);
    assert_int_equal(verify(&p.cx, "mic", sig, sl), SEC_E_OK);
    assert_int_equal(verify(&p.cx, "mic", sig, sl), SEC_E_OUT_OF_SEQUENCE);
    sl = sign(&p.sx, "mic2", sig);
    sig[sl - 1] ^= 1;
    assert_int_equal(verify(&p.cx, "mic2", sig, sl), SEC_E_MESSAGE_ALTERED);
    sig[sl - 1] ^= 1;
    assert_int_equal(verify(&p.cx, "MIC2", sig, sl), SEC_E_MESSAGE_ALTERED);
    pair_free(&p);
}

static void test_without_replay_detection_duplicates_pass(void **state)
{
    struct pair p;
    established(&p, ISC_REQ_MUTUAL_AUTH | ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY, TARGET, "KRB_HTTP_KEYTAB");
    uint8_t w[4096], copy[4096], *out;
    size_t tl, pl, outlen;
    size_t l = seal(&p.cx, 0, "twice", w, &tl, &pl);
    memcpy(copy, w, l);
    ULONG qop;
    assert_int_equal(unseal_stream(&p.sx, w, l, &out, &outlen, &qop), SEC_E_OK);
    assert_int_equal(unseal_stream(&p.sx, copy, l, &out, &outlen, &qop), SEC_E_OK);
    pair_free(&p);
}

static void test_wrap_no_encrypt_signs_only(void **state)
{
    struct pair p;
    established(&p, CREQ_ALL, TARGET, "KRB_HTTP_KEYTAB");
    const char *text = "readable on the wire";
    size_t n = strlen(text), tl, pl;
    uint8_t wire[4096];
    seal(&p.cx, KERB_WRAP_NO_ENCRYPT, text, wire, &tl, &pl);
    assert_memory_equal(wire + tl, text, n);
    ULONG qop = 0;
    assert_int_equal(unseal_split(&p.sx, wire, tl, n, pl, &qop), SEC_E_OK);
    assert_int_equal(qop, KERB_WRAP_NO_ENCRYPT);
    seal(&p.cx, KERB_WRAP_NO_ENCRYPT, text, wire, &tl, &pl);
    wire[tl + 3] ^= 0x20;
    assert_int_equal(unseal_split(&p.sx, wire, tl, n, pl, &qop), SEC_E_MESSAGE_ALTERED);
    SecBuffer b[2] = { { 64, SECBUFFER_TOKEN, wire }, { 4, SECBUFFER_DATA, wire + 64 } };
    SecBufferDesc d = { SECBUFFER_VERSION, 2, b };
    assert_int_equal(EncryptMessage(&p.cx, 0x1234, &d, 0), SEC_E_QOP_NOT_SUPPORTED);
    assert_int_equal(MakeSignature(&p.cx, 1, &d, 0), SEC_E_QOP_NOT_SUPPORTED);
    pair_free(&p);
}

static void test_readonly_buffers_signed_or_skipped(void **state)
{
    struct pair p;
    established(&p, CREQ_ALL | ISC_REQ_USE_DCE_STYLE, TARGET, "KRB_HTTP_KEYTAB");
    SecPkgContext_Sizes z = sizes_of(&p.cx);
    uint8_t hdr[16] = "RPC header 0123", tail[8] = "trailer", body[32] = "the stub data, encrypted....", tok[256];
    uint8_t pad[64];
    uint8_t plain[32];
    memcpy(plain, body, sizeof(body));
    SecBuffer b[5] = { { sizeof(hdr), SECBUFFER_DATA | SECBUFFER_READONLY_WITH_CHECKSUM, hdr },
                       { sizeof(body), SECBUFFER_DATA, body },
                       { sizeof(tail), SECBUFFER_DATA | SECBUFFER_READONLY, tail },
                       { z.cbBlockSize, SECBUFFER_PADDING, pad },
                       { z.cbSecurityTrailer, SECBUFFER_TOKEN, tok } };
    SecBufferDesc d = { SECBUFFER_VERSION, 5, b };
    assert_int_equal(EncryptMessage(&p.cx, 0, &d, 0), SEC_E_OK);
    assert_memory_equal(hdr, "RPC header 0123", 16);
    assert_memory_not_equal(body, plain, sizeof(body));
    tail[0] = 'T'; /* not covered */
    ULONG qop;
    assert_int_equal(DecryptMessage(&p.sx, &d, 0, &qop), SEC_E_OK);
    assert_memory_equal(body, plain, sizeof(body));
    /* the signed-only header is covered */
    b[1].cbBuffer = sizeof(body);
    b[4].cbBuffer = z.cbSecurityTrailer;
    b[3].cbBuffer = z.cbBlockSize;
    assert_int_equal(EncryptMessage(&p.cx, 0, &d, 0), SEC_E_OK);
    hdr[0] ^= 1;
    assert_int_equal(DecryptMessage(&p.sx, &d, 0, &qop), SEC_E_MESSAGE_ALTERED);
    /* signatures over several buffers, the signed-only one included */
    hdr[0] ^= 1;
    uint8_t sig[128];
    SecBuffer s[4] = { { sizeof(hdr), SECBUFFER_DATA | SECBUFFER_READONLY_WITH_CHECKSUM, hdr },
                       { sizeof(plain), SECBUFFER_DATA, plain },
                       { sizeof(tail), SECBUFFER_DATA | SECBUFFER_READONLY, tail },
                       { sizeof(sig), SECBUFFER_TOKEN, sig } };
    SecBufferDesc sd = { SECBUFFER_VERSION, 4, s };
    assert_int_equal(MakeSignature(&p.sx, 0, &sd, 0), SEC_E_OK);
    tail[0] = 't';
    assert_int_equal(VerifySignature(&p.cx, &sd, 0, &qop), SEC_E_OK);
    assert_int_equal(MakeSignature(&p.sx, 0, &sd, 0), SEC_E_OK);
    hdr[1] ^= 1;
    assert_int_equal(VerifySignature(&p.cx, &sd, 0, &qop), SEC_E_MESSAGE_ALTERED);
    pair_free(&p);
}

static void test_buffer_errors(void **state)
{
    struct pair p;
    established(&p, CREQ_ALL, TARGET, "KRB_HTTP_KEYTAB");
    SecPkgContext_Sizes z = sizes_of(&p.cx);
    uint8_t tok[256], data[16] = "0123456789abcdef";
    /* token buffer one byte short */
    SecBuffer b[2] = { { z.cbSecurityTrailer - 1, SECBUFFER_TOKEN, tok }, { sizeof(data), SECBUFFER_DATA, data } };
    SecBufferDesc d = { SECBUFFER_VERSION, 2, b };
    assert_int_equal(EncryptMessage(&p.cx, 0, &d, 0), SEC_E_BUFFER_TOO_SMALL);
    b[0].cbBuffer = z.cbMaxSignature - 1;
    assert_int_equal(MakeSignature(&p.cx, 0, &d, 0), SEC_E_BUFFER_TOO_SMALL);
    /* no token buffer */
    SecBufferDesc d1 = { SECBUFFER_VERSION, 1, &b[1] };
    assert_int_equal(EncryptMessage(&p.cx, 0, &d1, 0), SEC_E_INVALID_TOKEN);
    assert_int_equal(MakeSignature(&p.cx, 0, &d1, 0), SEC_E_INVALID_TOKEN);
    ULONG qop;
    assert_int_equal(DecryptMessage(&p.cx, &d1, 0, &qop), SEC_E_INVALID_TOKEN);
    /* an AES key needs no padding buffer: [TOKEN, DATA] works */
    b[0].cbBuffer = z.cbSecurityTrailer;
    assert_int_equal(EncryptMessage(&p.cx, 0, &d, 0), SEC_E_OK);
    assert_int_equal(DecryptMessage(&p.sx, &d, 0, &qop), SEC_E_OK);
    assert_memory_equal(data, "0123456789abcdef", 16);
    /* empty and short streams */
    uint8_t junk[8] = { 5, 4, 0, 0, 0, 0, 0, 0 };
    uint8_t *out;
    size_t outlen;
    assert_int_equal(unseal_stream(&p.sx, junk, sizeof(junk), &out, &outlen, &qop), SEC_E_INVALID_TOKEN);
    pair_free(&p);
}

/* a peer's plain gss_wrap output, cut by the caller at cbSecurityTrailer */
static void test_unrotated_token_split_by_the_caller_decrypts(void **state)
{
    struct pair p;
    established(&p, CREQ_ALL, TARGET, "KRB_HTTP_KEYTAB");
    const char *text = "a plain wrap token from some other GSS peer, longer than a block";
    uint8_t wire[4096], *out;
    size_t tl, pl, outlen, n = strlen(text);
    size_t len = seal(&p.sx, 0, text, wire, &tl, &pl);
    /* turn the rotated token into the unrotated one (RRC 0): what gss_wrap sends */
    uint16_t rrc = (uint16_t)(wire[6] << 8 | wire[7]);
    assert_int_equal(rrc, 28);
    uint8_t flat[4096];
    memcpy(flat, wire, 16);
    memcpy(flat + 16, wire + 16 + rrc, len - 16 - rrc);
    memcpy(flat + len - rrc, wire + 16, rrc);
    flat[6] = flat[7] = 0;
    ULONG qop;
    assert_int_equal(unseal_split(&p.cx, flat, tl, len - tl, 0, &qop), SEC_E_OK);
    assert_memory_equal(flat + tl, text, n);
    /* and as a stream */
    len = seal(&p.sx, 0, text, wire, &tl, &pl);
    memcpy(flat, wire, 16);
    memcpy(flat + 16, wire + 16 + rrc, len - 16 - rrc);
    memcpy(flat + len - rrc, wire + 16, rrc);
    flat[6] = flat[7] = 0;
    assert_int_equal(unseal_stream(&p.cx, flat, len, &out, &outlen, &qop), SEC_E_OK);
    assert_int_equal(outlen, n);
    assert_memory_equal(out, text, n);
    pair_free(&p);
}

/* Without mutual authentication the context key is the initiator's subkey, of
 * the ticket session key's type; with it, the acceptor's subkey, of the
 * strongest type the client lists (RFC 4537): AES even for an RC4 ticket. */
#define CREQ_ONE_LEG (CREQ_ALL & ~(ULONG)ISC_REQ_MUTUAL_AUTH)

static void test_rc4_session_key_uses_rfc4757_tokens(void **state)
{
    struct pair p;
    established(&p, CREQ_ONE_LEG, "HTTP/rc4.opensspi.test", "KRB_RC4_KEYTAB");
    SecPkgContext_KeyInfoA ki;
    assert_int_equal(QueryContextAttributesA(&p.cx, SECPKG_ATTR_KEY_INFO, &ki), SEC_E_OK);
    assert_int_equal(ki.EncryptAlgorithm, 23);
    assert_int_equal(ki.KeySize, 128);
    assert_int_equal((LONG)ki.SignatureAlgorithm, -138);
    FreeContextBuffer(ki.sSignatureAlgorithmName);
    FreeContextBuffer(ki.sEncryptAlgorithmName);
    SecPkgContext_Sizes z = sizes_of(&p.cx);
    assert_int_equal(z.cbBlockSize, 1);
    assert_int_equal(z.cbMaxSignature, 37); /* framed RFC 4757 MIC */
    all_messages(&p);
    /* RC4 tokens need the padding buffer */
    uint8_t tok[256], data[8] = "rc4 data";
    SecBuffer b[2] = { { z.cbSecurityTrailer, SECBUFFER_TOKEN, tok }, { sizeof(data), SECBUFFER_DATA, data } };
    SecBufferDesc d = { SECBUFFER_VERSION, 2, b };
    assert_int_equal(EncryptMessage(&p.cx, 0, &d, 0), SEC_E_INVALID_TOKEN);
    pair_free(&p);
    established(&p, CREQ_ALL, "HTTP/rc4.opensspi.test", "KRB_RC4_KEYTAB");
    SecPkgContext_KeyInfoA ki2;
    assert_int_equal(QueryContextAttributesA(&p.cx, SECPKG_ATTR_KEY_INFO, &ki2), SEC_E_OK);
    assert_int_equal(ki2.EncryptAlgorithm, 18);
    FreeContextBuffer(ki2.sSignatureAlgorithmName);
    FreeContextBuffer(ki2.sEncryptAlgorithmName);
    pair_free(&p);
}

static void test_sha2_session_key_sizes(void **state)
{
    struct pair p;
    established(&p, CREQ_ONE_LEG, "HTTP/sha2.opensspi.test", "KRB_SHA2_KEYTAB");
    SecPkgContext_KeyInfoA ki;
    assert_int_equal(QueryContextAttributesA(&p.sx, SECPKG_ATTR_KEY_INFO, &ki), SEC_E_OK);
    assert_int_equal(ki.EncryptAlgorithm, 20);
    assert_int_equal(ki.SignatureAlgorithm, 20);
    assert_int_equal(ki.KeySize, 256);
    assert_string_equal(ki.sEncryptAlgorithmName, "aes256-cts-hmac-sha384-192");
    FreeContextBuffer(ki.sSignatureAlgorithmName);
    FreeContextBuffer(ki.sEncryptAlgorithmName);
    SecPkgContext_Sizes z = sizes_of(&p.cx);
    assert_int_equal(z.cbMaxSignature, 16 + 24);
    assert_int_equal(z.cbSecurityTrailer, 16 + 16 + 16 + 24);
    assert_int_equal(z.cbBlockSize, 1);
    all_messages(&p);
    pair_free(&p);
}

/* ---- tests: attributes ------------------------------------------------------ */

static void test_attributes_of_an_aes256_context(void **state)
{
    struct pair p;
    established(&p, CREQ_ALL, TARGET, "KRB_HTTP_KEYTAB");
    SecPkgContext_Sizes z = sizes_of(&p.cx);
    assert_int_equal(z.cbMaxToken, KERBEROS_MAX_TOKEN);
    assert_int_equal(z.cbMaxSignature, 28);      /* 16-byte header + 12-byte HMAC */
    assert_int_equal(z.cbSecurityTrailer, 60);   /* header, confounder, E(header), HMAC */
    assert_int_equal(z.cbBlockSize, 1);
    SecPkgContext_SessionKey ck, sk;
    assert_int_equal(QueryContextAttributesA(&p.cx, SECPKG_ATTR_SESSION_KEY, &ck), SEC_E_OK);
    assert_int_equal(QueryContextAttributesA(&p.sx, SECPKG_ATTR_SESSION_KEY, &sk), SEC_E_OK);
    assert_int_equal(ck.SessionKeyLength, 32);
    assert_int_equal(sk.SessionKeyLength, 32);
    assert_memory_equal(ck.SessionKey, sk.SessionKey, 32);
    FreeContextBuffer(ck.SessionKey);
    FreeContextBuffer(sk.SessionKey);
    SecPkgContext_KeyInfoA ki;
    assert_int_equal(QueryContextAttributesA(&p.cx, SECPKG_ATTR_KEY_INFO, &ki), SEC_E_OK);
    assert_int_equal(ki.KeySize, 256);
    assert_int_equal(ki.EncryptAlgorithm, 18);
    assert_int_equal(ki.SignatureAlgorithm, 16);
    assert_string_equal(ki.sEncryptAlgorithmName, "aes256-cts-hmac-sha1-96");
    assert_string_equal(ki.sSignatureAlgorithmName, "hmac-sha1-96-aes256");
    FreeContextBuffer(ki.sSignatureAlgorithmName);
    FreeContextBuffer(ki.sEncryptAlgorithmName);
    SecPkgContext_NativeNamesA nn;
    assert_int_equal(QueryContextAttributesA(&p.cx, SECPKG_ATTR_NATIVE_NAMES, &nn), SEC_E_OK);
    assert_string_equal(nn.sClientName, "alice@OPENSSPI.TEST");
    assert_string_equal(nn.sServerName, "HTTP/server.opensspi.test"); /* realm left to the KDC */
    FreeContextBuffer(nn.sClientName);
    FreeContextBuffer(nn.sServerName);
    SecPkgContext_AuthorityA au;
    assert_int_equal(QueryContextAttributesA(&p.sx, SECPKG_ATTR_AUTHORITY, &au), SEC_E_OK);
    assert_string_equal(au.sAuthorityName, "OPENSSPI.TEST");
    FreeContextBuffer(au.sAuthorityName);
    SecPkgContext_Lifespan life;
    assert_int_equal(QueryContextAttributesA(&p.cx, SECPKG_ATTR_LIFESPAN, &life), SEC_E_OK);
    uint64_t start = (uint64_t)(uint32_t)life.tsStart.HighPart << 32 | life.tsStart.LowPart;
    uint64_t end = (uint64_t)(uint32_t)life.tsExpiry.HighPart << 32 | life.tsExpiry.LowPart;
    assert_true(end > start + 9ull * 3600 * 10000000); /* a 10-hour ticket */
    SecPkgContext_Flags fl;
    assert_int_equal(QueryContextAttributesA(&p.cx, SECPKG_ATTR_FLAGS, &fl), SEC_E_OK);
    assert_int_equal(fl.Flags, p.cattr);
    assert_int_equal(QueryContextAttributesA(&p.sx, SECPKG_ATTR_FLAGS, &fl), SEC_E_OK);
    assert_int_equal(fl.Flags, p.sattr);
    SecPkgContext_PackageInfoA pi;
    assert_int_equal(QueryContextAttributesA(&p.cx, SECPKG_ATTR_PACKAGE_INFO, &pi), SEC_E_OK);
    assert_string_equal(pi.PackageInfo->Name, "Kerberos");
    FreeContextBuffer(pi.PackageInfo);
    SecPkgContext_StreamSizes ss;
    assert_int_equal(QueryContextAttributesA(&p.cx, SECPKG_ATTR_STREAM_SIZES, &ss), SEC_E_UNSUPPORTED_FUNCTION);
    pair_free(&p);
}

static void test_attributes_before_completion(void **state)
{
    struct pair p;
    pair_init(&p, CREQ_ALL, SREQ_ALL);
    alice(&p.cc);
    uint8_t out[TOKMAX];
    ULONG olen;
    assert_int_equal(isc(&p, TARGET, NULL, 0, out, &olen), SEC_I_CONTINUE_NEEDED);
    SecPkgContext_Sizes z = sizes_of(&p.cx);
    assert_int_equal(z.cbMaxToken, KERBEROS_MAX_TOKEN);
    SecPkgContext_NamesA n;
    assert_int_equal(QueryContextAttributesA(&p.cx, SECPKG_ATTR_NAMES, &n), SEC_E_INVALID_HANDLE);
    SecPkgContext_SessionKey k;
    assert_int_equal(QueryContextAttributesA(&p.cx, SECPKG_ATTR_SESSION_KEY, &k), SEC_E_INVALID_HANDLE);
    uint8_t tok[64], data[4] = "abc";
    SecBuffer b[2] = { { sizeof(tok), SECBUFFER_TOKEN, tok }, { 4, SECBUFFER_DATA, data } };
    SecBufferDesc d = { SECBUFFER_VERSION, 2, b };
    assert_int_equal(MakeSignature(&p.cx, 0, &d, 0), SEC_E_INVALID_HANDLE);
    assert_int_equal(EncryptMessage(&p.cx, 0, &d, 0), SEC_E_INVALID_HANDLE);
    DeleteSecurityContext(&p.cx);
    FreeCredentialsHandle(&p.cc);
}

/* ---- tests: threads -------------------------------------------------------- */

struct thread_arg {
    CredHandle *cc, *sc;
    int ok;
};

static void *thread_main(void *p)
{
    struct thread_arg *a = p;
    for (int i = 0; i < 4; i++) {
        struct pair q;
        pair_init(&q, CREQ_ALL, SREQ_ALL);
        q.cc = *a->cc;
        q.sc = *a->sc;
        if (run(&q, TARGET) == SEC_E_OK)
            a->ok++;
        if (q.have_cx)
            DeleteSecurityContext(&q.cx);
        if (q.have_sx)
            DeleteSecurityContext(&q.sx);
    }
    return NULL;
}

static void test_one_credential_on_several_threads(void **state)
{
    CredHandle cc, sc;
    alice(&cc); /* the logon happens on whichever thread comes first */
    assert_int_equal(server_cred(&sc, "KRB_HTTP_KEYTAB"), SEC_E_OK);
    pthread_t t[4];
    struct thread_arg a[4];
    for (int i = 0; i < 4; i++) {
        a[i] = (struct thread_arg){ &cc, &sc, 0 };
        assert_int_equal(pthread_create(&t[i], NULL, thread_main, &a[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(a[i].ok, 4);
    }
    FreeCredentialsHandle(&cc);
    FreeCredentialsHandle(&sc);
}

int main(void)
{
#ifndef OPENSSPI_WITH_KERBEROS
    puts("built without the Kerberos package (OPENSSPI_KERBEROS=OFF): nothing to test");
    return 0;
#endif
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mutual_auth_is_two_legs_and_protects_messages_both_ways),
        cmocka_unit_test(test_without_mutual_auth_one_token_completes_both_sides),
        cmocka_unit_test(test_dce_style_is_three_legs),
        cmocka_unit_test(test_dce_style_without_replay_or_sequence_flags),
        cmocka_unit_test(test_each_isc_flag_alone_completes),
        cmocka_unit_test(test_allocate_memory_hands_over_tokens),
        cmocka_unit_test(test_caller_buffer_too_small_for_the_token),
        cmocka_unit_test(test_server_takes_the_microsoft_kerberos_oid),
        cmocka_unit_test(test_delegated_tgt_lets_the_server_act_as_the_client),
        cmocka_unit_test(test_no_delegation_means_no_delegated_ccache),
        cmocka_unit_test(test_target_name_forms),
        cmocka_unit_test(test_user_name_forms),
        cmocka_unit_test(test_wide_entry_points),
        cmocka_unit_test(test_wrong_password_is_logon_denied_and_not_retried),
        cmocka_unit_test(test_expired_account_or_password_is_logon_denied),
        cmocka_unit_test(test_unknown_service_is_target_unknown),
        cmocka_unit_test(test_unknown_realm_is_no_authenticating_authority),
        cmocka_unit_test(test_unreachable_kdc_is_no_authenticating_authority),
        cmocka_unit_test(test_server_without_the_key_is_wrong_principal),
        cmocka_unit_test(test_time_skew_is_reported),
        cmocka_unit_test(test_credential_errors),
        cmocka_unit_test(test_default_ccache_is_used_without_an_identity),
        cmocka_unit_test(test_service_keytab_and_both_credentials),
        cmocka_unit_test(test_garbage_and_truncated_tokens_are_invalid),
        cmocka_unit_test(test_channel_bindings_are_checked_when_the_server_has_them),
        cmocka_unit_test(test_tampered_sealed_message_is_altered),
        cmocka_unit_test(test_replayed_and_reordered_messages_are_out_of_sequence),
        cmocka_unit_test(test_without_replay_detection_duplicates_pass),
        cmocka_unit_test(test_wrap_no_encrypt_signs_only),
        cmocka_unit_test(test_readonly_buffers_signed_or_skipped),
        cmocka_unit_test(test_buffer_errors),
        cmocka_unit_test(test_unrotated_token_split_by_the_caller_decrypts),
        cmocka_unit_test(test_rc4_session_key_uses_rfc4757_tokens),
        cmocka_unit_test(test_sha2_session_key_sizes),
        cmocka_unit_test(test_attributes_of_an_aes256_context),
        cmocka_unit_test(test_attributes_before_completion),
        cmocka_unit_test(test_one_credential_on_several_threads),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
