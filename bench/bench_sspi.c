/* bench/bench_sspi.c - NTLM, Negotiate and Kerberos benchmarks through the
 * public SSPI API only
 * One source, two builds: against OpenSSPI (<security.h>, target bench_sspi)
 * and, with -DBENCH_WINPR, against FreeRDP's WinPR (<winpr/sspi.h>, target
 * bench_sspi_winpr), so bench/run compares the two in one run. Everything goes
 * through the SecurityFunctionTableA that InitSecurityInterfaceA returns, as
 * portable Windows code does.
 *
 * Every mode takes -p PACKAGE (default ntlm):
 *   ntlm          NTLM, user store below
 *   negotiate     Negotiate with NTLM underneath (OpenSSPI: the identity's
 *                 PackageList is "NTLM"; WinPR 2 has no Kerberos in Debian's
 *                 build, so its Negotiate can only pick NTLM)
 *   kerberos      Kerberos, against the realm described by the environment of
 *                 tests/interop/kdc/realm.sh (KRB_USER, KRB_PASS,
 *                 KRB_HTTP_KEYTAB, KRB_HOST; KRB5_CONFIG for MIT): the client
 *                 logs on with the password identity (one AS exchange per
 *                 credential), the server accepts with "keytab:KRB_HTTP_KEYTAB";
 *                 ISC_REQ_MUTUAL_AUTH, so ISC, ASC, ISC
 *   negotiate-krb Negotiate with Kerberos underneath, the same credentials
 * The handshake loop is generic: tokens go back and forth until neither side
 * has one to send, and both must have said SEC_E_OK.
 *
 * Modes (each prints one line of key=value results on stdout):
 *   handshake [-t THREADS] [-s SECONDS]  full handshakes per second: ISC, ASC,
 *                                        ISC, ASC, DeleteSecurityContext both;
 *                                        each thread has its own credentials
 *                                        and contexts (rate: per wall-clock
 *                                        second; cpu_rate: the sum over threads
 *                                        of handshakes per CPU-second)
 *   sign SIZE [-s SECONDS]               MakeSignature + VerifySignature round
 *   seal SIZE [-s SECONDS]               EncryptMessage + DecryptMessage round
 *                                        trips per second on one context pair
 *                                        (SIZE: bytes, or with a K or M suffix)
 *   count N                              N handshakes inside
 *                                        bench_counted_handshakes(), for
 *                                        valgrind --tool=callgrind
 *                                        --toggle-collect=bench_counted_handshakes
 *   msgcount sign|seal SIZE N            N round trips inside
 *                                        bench_counted_messages(), likewise
 *   alloc N                              allocations per handshake, heap held by
 *                                        an established context pair, leaks;
 *                                        needs alloc_count.so in LD_PRELOAD
 *
 * The server checks the password against a user store that the program writes
 * into a fresh directory under $TMPDIR and removes at exit:
 *   OpenSSPI: NTLM_USER_FILE, lines DOMAIN:USER:PASSWORD;
 *   WinPR:    a SAM file (USER:DOMAIN:LMHASH:NTHASH:::), named to the server
 *             context with SetContextAttributes(SECPKG_ATTR_AUTH_NTLM_SAM_FILE)
 *             after the first AcceptSecurityContext, as FreeRDP's server does;
 *             WinPR then checks the AUTHENTICATE message in CompleteAuthToken.
 * Before measuring, every mode proves the check is live: a client with a wrong
 * password must be refused, or the program exits with status 1. */
#ifdef BENCH_WINPR
#include <winpr/ntlm.h>
#include <winpr/ssl.h>
#include <winpr/sspi.h>
#define BENCH_IMPL "winpr"
#else
#define SECURITY_WIN32
#include <security.h>
#define BENCH_IMPL "opensspi"
#endif

#include "alloc_count.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BENCH_USER "benchuser"
#define BENCH_DOMAIN "BENCHDOM"
#define BENCH_PASSWORD "Bench-Passw0rd!"
#define BENCH_WRONG_PASSWORD "Bench-Passw0rd?"
#define BENCH_TARGET "HTTP/bench.opensspi.test"

#define ISC_FLAGS \
    (ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY | ISC_REQ_SEQUENCE_DETECT | ISC_REQ_REPLAY_DETECT)
#define ASC_FLAGS \
    (ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY | ASC_REQ_SEQUENCE_DETECT | ASC_REQ_REPLAY_DETECT)

static PSecurityFunctionTableA T;
static ULONG max_token;
static char store_dir[PATH_MAX / 2];
static char store_file[PATH_MAX];
static char target_name[256] = BENCH_TARGET;
static char package_name[16] = "NTLM";

enum bench_pkg { PK_NTLM, PK_NEGO, PK_KRB, PK_NEGO_KRB };
static enum bench_pkg pkg = PK_NTLM;
static const char *pkg_label = "ntlm";
static ULONG isc_flags = ISC_FLAGS, asc_flags = ASC_FLAGS;
/* Kerberos: from realm.sh's environment */
static const char *krb_user, *krb_pass;
static char krb_server_principal[PATH_MAX];
static const char *bench_password = BENCH_PASSWORD;
/* the first byte of the client's first token: 0x60 is GSS-API framing
 * (SPNEGO or Kerberos), 'N' a bare NTLMSSP message (reported as first_token=) */
static unsigned char first_token_byte;

struct creds {
    CredHandle client, server;
};

struct pair {
    CtxtHandle c, s;
    int have_c, have_s;
};

/* struct tokbuf - two token buffers of cbMaxToken bytes, reused by every
 * handshake of a thread so the benchmark itself allocates nothing per loop. */
struct tokbuf {
    unsigned char *a, *b;
    ULONG cap;
};

static void fail(const char *what, SECURITY_STATUS st)
{
    fprintf(stderr, "bench_sspi(%s): %s: status 0x%08x\n", BENCH_IMPL, what,
            (unsigned)(uint32_t)st);
    exit(1);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* cpu_s - CPU time of the calling thread: rates per CPU-second stay
 * meaningful when other processes share the machine. */
static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- the user store ------------------------------------------------------ */

static void store_remove(void)
{
    if (store_file[0])
        unlink(store_file);
    if (store_dir[0])
        rmdir(store_dir);
}

static void store_create(void)
{
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp)
        tmp = "/tmp";
    int len = snprintf(store_dir, sizeof(store_dir), "%s/bench_sspi.XXXXXX", tmp);
    if (len < 0 || (size_t)len >= sizeof(store_dir) || !mkdtemp(store_dir)) {
        fprintf(stderr, "bench_sspi: mkdtemp %s: %s\n", store_dir, strerror(errno));
        exit(1);
    }
    atexit(store_remove);
#ifdef BENCH_WINPR
    BYTE nt[16];
    char hex[33];
    if (!NTOWFv1A((LPSTR)BENCH_PASSWORD, (UINT32)strlen(BENCH_PASSWORD), nt))
        fail("NTOWFv1A", -1);
    for (int i = 0; i < 16; i++)
        snprintf(hex + 2 * i, 3, "%02x", nt[i]);
    snprintf(store_file, sizeof(store_file), "%s/SAM", store_dir);
    FILE *f = fopen(store_file, "w");
    if (!f || fprintf(f, "%s:%s::%s:::\n", BENCH_USER, BENCH_DOMAIN, hex) < 0 || fclose(f) != 0)
        fail("writing the SAM file", -1);
#else
    snprintf(store_file, sizeof(store_file), "%s/users", store_dir);
    FILE *f = fopen(store_file, "w");
    if (!f || fprintf(f, "%s:%s:%s\n", BENCH_DOMAIN, BENCH_USER, BENCH_PASSWORD) < 0
        || fclose(f) != 0)
        fail("writing the user file", -1);
    setenv("NTLM_USER_FILE", store_file, 1);
#endif
}

/* ---- SSPI calls ---------------------------------------------------------- */

static void set_buf(SecBuffer *b, ULONG type, void *p, ULONG len)
{
    b->cbBuffer = len;
    b->BufferType = type;
    b->pvBuffer = p;
}

static SECURITY_STATUS creds_acquire(struct creds *cr, const char *password)
{
    SEC_WINNT_AUTH_IDENTITY_A id;
    TimeStamp exp;
    void *client_auth = &id, *server_auth = NULL;
    char *server_principal = NULL;
    memset(&id, 0, sizeof(id));
    id.User = (unsigned char *)BENCH_USER;
    id.UserLength = (ULONG)strlen(BENCH_USER);
    id.Domain = (unsigned char *)BENCH_DOMAIN;
    id.DomainLength = (ULONG)strlen(BENCH_DOMAIN);
    id.Password = (unsigned char *)password;
    id.PasswordLength = (ULONG)strlen(password);
    id.Flags = SEC_WINNT_AUTH_IDENTITY_ANSI;
#ifndef BENCH_WINPR
    /* Negotiate over NTLM only: no Kerberos attempt (and no KDC lookup) */
    static char ntlm_only[] = "NTLM";
    SEC_WINNT_AUTH_IDENTITY_EXA ex, ex_server;
    if (pkg == PK_NEGO) {
        memset(&ex, 0, sizeof(ex));
        ex.Version = SEC_WINNT_AUTH_IDENTITY_VERSION;
        ex.Length = (ULONG)sizeof(ex);
        ex.User = id.User;
        ex.UserLength = id.UserLength;
        ex.Domain = id.Domain;
        ex.DomainLength = id.DomainLength;
        ex.Password = id.Password;
        ex.PasswordLength = id.PasswordLength;
        ex.Flags = SEC_WINNT_AUTH_IDENTITY_ANSI;
        ex.PackageList = (unsigned char *)ntlm_only;
        ex.PackageListLength = (ULONG)strlen(ntlm_only);
        client_auth = &ex;
        memset(&ex_server, 0, sizeof(ex_server));
        ex_server.Version = SEC_WINNT_AUTH_IDENTITY_VERSION;
        ex_server.Length = (ULONG)sizeof(ex_server);
        ex_server.Flags = SEC_WINNT_AUTH_IDENTITY_ANSI;
        ex_server.PackageList = (unsigned char *)ntlm_only;
        ex_server.PackageListLength = (ULONG)strlen(ntlm_only);
        server_auth = &ex_server;
    }
#endif
    if ((pkg == PK_KRB || pkg == PK_NEGO_KRB) && krb_user) {
        id.User = (unsigned char *)krb_user;
        id.UserLength = (ULONG)strlen(krb_user);
        id.Domain = NULL;
        id.DomainLength = 0;
        server_principal = krb_server_principal;
    }
    SECURITY_STATUS st = T->AcquireCredentialsHandleA(NULL, package_name, SECPKG_CRED_OUTBOUND,
                                                      NULL, client_auth, NULL, NULL, &cr->client,
                                                      &exp);
    if (st != SEC_E_OK)
        return st;
    st = T->AcquireCredentialsHandleA(server_principal, package_name, SECPKG_CRED_INBOUND, NULL,
                                      server_auth, NULL, NULL, &cr->server, &exp);
    if (st != SEC_E_OK)
        T->FreeCredentialsHandle(&cr->client);
    return st;
}

static void creds_free(struct creds *cr)
{
    T->FreeCredentialsHandle(&cr->client);
    T->FreeCredentialsHandle(&cr->server);
}

static void tokbuf_init(struct tokbuf *tb)
{
    tb->cap = max_token;
    tb->a = malloc(tb->cap);
    tb->b = malloc(tb->cap);
    if (!tb->a || !tb->b)
        fail("malloc", -1);
}

static void tokbuf_free(struct tokbuf *tb)
{
    free(tb->a);
    free(tb->b);
}

static void pair_delete(struct pair *p)
{
    if (p->have_c)
        T->DeleteSecurityContext(&p->c);
    if (p->have_s)
        T->DeleteSecurityContext(&p->s);
    p->have_c = p->have_s = 0;
}

/* complete - CompleteAuthToken when a step asks for it (WinPR's NTLM server
 * checks the response there); SEC_I_CONTINUE_NEEDED or SEC_E_OK after it. */
static SECURITY_STATUS complete(CtxtHandle *h, SecBufferDesc *od, SECURITY_STATUS st)
{
    if (st == SEC_I_COMPLETE_NEEDED || st == SEC_I_COMPLETE_AND_CONTINUE) {
        SECURITY_STATUS c = T->CompleteAuthToken(h, od);
        if (c != SEC_E_OK)
            return c;
        return st == SEC_I_COMPLETE_NEEDED ? SEC_E_OK : SEC_I_CONTINUE_NEEDED;
    }
    return st;
}

/* handshake - tokens back and forth between cr's client and server until
 * neither has one to send (NTLM: NEGOTIATE, CHALLENGE, AUTHENTICATE; SPNEGO
 * adds the server's accept-completed; Kerberos with mutual authentication:
 * AP-REQ, AP-REP); *p holds the two contexts after it (even on failure:
 * delete them with pair_delete). SEC_E_OK when both sides said SEC_E_OK. */
static SECURITY_STATUS handshake(const struct creds *cr, struct pair *p, struct tokbuf *tb)
{
    SecBuffer ob, ib;
    SecBufferDesc od = { SECBUFFER_VERSION, 1, &ob };
    SecBufferDesc id = { SECBUFFER_VERSION, 1, &ib };
    ULONG attr, len = 0;
    TimeStamp exp;
    SECURITY_STATUS st;
    CredHandle cc = cr->client, sc = cr->server;
    int c_done = 0, s_done = 0;

    p->have_c = p->have_s = 0;
    for (int leg = 0; leg < 8; leg++) {
        set_buf(&ib, SECBUFFER_TOKEN, tb->b, len);
        set_buf(&ob, SECBUFFER_TOKEN, tb->a, tb->cap);
        st = T->InitializeSecurityContextA(&cc, p->have_c ? &p->c : NULL, target_name, isc_flags, 0,
                                           SECURITY_NATIVE_DREP, p->have_c ? &id : NULL, 0, &p->c,
                                           &od, &attr, &exp);
        if (st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED || st == SEC_I_COMPLETE_NEEDED
            || st == SEC_I_COMPLETE_AND_CONTINUE)
            p->have_c = 1;
        st = complete(&p->c, &od, st);
        if (st == SEC_E_OK)
            c_done = 1;
        else if (st != SEC_I_CONTINUE_NEEDED)
            return st;
        len = ob.cbBuffer;
        if (!len)
            break;
        if (leg == 0)
            first_token_byte = tb->a[0];

        set_buf(&ib, SECBUFFER_TOKEN, tb->a, len);
        set_buf(&ob, SECBUFFER_TOKEN, tb->b, tb->cap);
        int first = !p->have_s;
        st = T->AcceptSecurityContext(&sc, p->have_s ? &p->s : NULL, &id, asc_flags,
                                      SECURITY_NATIVE_DREP, &p->s, &od, &attr, &exp);
        if (st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED || st == SEC_I_COMPLETE_NEEDED
            || st == SEC_I_COMPLETE_AND_CONTINUE)
            p->have_s = 1;
#ifdef BENCH_WINPR
        if (first && st == SEC_I_CONTINUE_NEEDED) {
            SECURITY_STATUS a = T->SetContextAttributesA(&p->s, SECPKG_ATTR_AUTH_NTLM_SAM_FILE,
                                                         store_file,
                                                         (ULONG)strlen(store_file) + 1);
            if (a != SEC_E_OK)
                return a;
        }
#else
        (void)first;
#endif
        st = complete(&p->s, &od, st);
        if (st == SEC_E_OK)
            s_done = 1;
        else if (st != SEC_I_CONTINUE_NEEDED)
            return st;
        len = ob.cbBuffer;
        if (!len)
            break;
        if (c_done)
            return SEC_E_INTERNAL_ERROR; /* a token for a client that is done */
    }
    return c_done && s_done ? SEC_E_OK : SEC_E_INTERNAL_ERROR;
}

static void handshake_or_die(const struct creds *cr, struct pair *p, struct tokbuf *tb)
{
    SECURITY_STATUS st = handshake(cr, p, tb);
    if (st != SEC_E_OK)
        fail("handshake", st);
}

/* check_password_is_checked - a right password is accepted, a wrong one
 * refused: the numbers are those of a server that really checks. */
static void check_password_is_checked(void)
{
    struct creds good, bad;
    struct tokbuf tb;
    struct pair p;
    SECURITY_STATUS st = creds_acquire(&good, bench_password);
    if (st != SEC_E_OK)
        fail("AcquireCredentialsHandleA", st);
    st = creds_acquire(&bad, BENCH_WRONG_PASSWORD);
    if (st != SEC_E_OK)
        fail("AcquireCredentialsHandleA", st);
    tokbuf_init(&tb);
    handshake_or_die(&good, &p, &tb);
    pair_delete(&p);
    st = handshake(&bad, &p, &tb);
    pair_delete(&p);
    if (st == SEC_E_OK) {
        fprintf(stderr, "bench_sspi(%s): a wrong password was accepted: the server does not "
                        "check passwords, refusing to measure\n", BENCH_IMPL);
        exit(1);
    }
    tokbuf_free(&tb);
    creds_free(&good);
    creds_free(&bad);
}

/* ---- handshakes per second ----------------------------------------------- */

struct hs_thread {
    pthread_t tid;
    pthread_barrier_t *bar;
    double secs, warm;
    uint64_t ops;
    double elapsed, cpu;
};

static void *hs_thread_main(void *arg)
{
    struct hs_thread *h = arg;
    struct creds cr;
    struct tokbuf tb;
    struct pair p;
    SECURITY_STATUS st = creds_acquire(&cr, bench_password);
    if (st != SEC_E_OK)
        fail("AcquireCredentialsHandleA", st);
    tokbuf_init(&tb);
    double t0 = now_s();
    do {
        handshake_or_die(&cr, &p, &tb);
        pair_delete(&p);
    } while (now_s() - t0 < h->warm);
    pthread_barrier_wait(h->bar);
    uint64_t ops = 0;
    double t, c0 = cpu_s();
    t0 = now_s();
    do {
        handshake_or_die(&cr, &p, &tb);
        pair_delete(&p);
        ops++;
        t = now_s();
    } while (t - t0 < h->secs);
    h->cpu = cpu_s() - c0;
    h->ops = ops;
    h->elapsed = t - t0;
    tokbuf_free(&tb);
    creds_free(&cr);
    return NULL;
}

static int run_handshakes(int threads, double secs)
{
    struct hs_thread *h = calloc((size_t)threads, sizeof(*h));
    pthread_barrier_t bar;
    if (!h)
        fail("calloc", -1);
    pthread_barrier_init(&bar, NULL, (unsigned)threads);
    for (int i = 0; i < threads; i++) {
        h[i].bar = &bar;
        h[i].secs = secs;
        h[i].warm = secs / 5 < 0.2 ? secs / 5 : 0.2;
        if (pthread_create(&h[i].tid, NULL, hs_thread_main, &h[i]) != 0)
            fail("pthread_create", -1);
    }
    double rate = 0, cpu_rate = 0, elapsed = 0;
    uint64_t ops = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(h[i].tid, NULL);
        ops += h[i].ops;
        rate += (double)h[i].ops / h[i].elapsed;
        cpu_rate += (double)h[i].ops / (h[i].cpu > 0 ? h[i].cpu : h[i].elapsed);
        if (h[i].elapsed > elapsed)
            elapsed = h[i].elapsed;
    }
    pthread_barrier_destroy(&bar);
    printf("impl=%s mode=handshake package=%s first_token=%s threads=%d ops=%llu secs=%.3f "
           "rate=%.1f cpu_rate=%.1f\n", BENCH_IMPL, pkg_label,
           first_token_byte == 0x60 ? "gss-framed" : first_token_byte == 'N' ? "ntlmssp" : "other",
           threads, (unsigned long long)ops, elapsed, rate, cpu_rate);
    free(h);
    return 0;
}

/* ---- sign / seal round trips --------------------------------------------- */

struct msg_bench {
    int seal;
    struct pair p;
    SecBuffer b[2];
    SecBufferDesc d;
    unsigned char *tok, *data;
    ULONG toklen, size, seq;
};

static void msg_setup(struct msg_bench *m, struct creds *cr, struct tokbuf *tb, int seal,
                      size_t size)
{
    SecPkgContext_Sizes sz;
    memset(m, 0, sizeof(*m));
    m->seal = seal;
    handshake_or_die(cr, &m->p, tb);
    SECURITY_STATUS st = T->QueryContextAttributesA(&m->p.c, SECPKG_ATTR_SIZES, &sz);
    if (st != SEC_E_OK)
        fail("QueryContextAttributesA(SECPKG_ATTR_SIZES)", st);
    m->toklen = seal ? sz.cbSecurityTrailer : sz.cbMaxSignature;
    m->size = (ULONG)size;
    m->tok = malloc(m->toklen ? m->toklen : 1);
    m->data = malloc(size ? size : 1);
    if (!m->tok || !m->data)
        fail("malloc", -1);
    for (size_t i = 0; i < size; i++)
        m->data[i] = (unsigned char)(i * 31 + 7);
    m->d.ulVersion = SECBUFFER_VERSION;
    m->d.cBuffers = 2;
    m->d.pBuffers = m->b;
}

/* msg_try - the client signs (or seals) the message in place, the server
 * verifies (or unseals) it. The first failing status, naming the call in *what. */
static SECURITY_STATUS msg_try(struct msg_bench *m, const char **what)
{
    ULONG qop = 0;
    SECURITY_STATUS st;
    set_buf(&m->b[0], SECBUFFER_TOKEN, m->tok, m->toklen);
    set_buf(&m->b[1], SECBUFFER_DATA, m->data, m->size);
    if (m->seal) {
        *what = "EncryptMessage";
        st = T->EncryptMessage(&m->p.c, 0, &m->d, m->seq);
        if (st != SEC_E_OK)
            return st;
        *what = "DecryptMessage";
        st = T->DecryptMessage(&m->p.s, &m->d, m->seq, &qop);
    } else {
        *what = "MakeSignature";
        st = T->MakeSignature(&m->p.c, 0, &m->d, m->seq);
        if (st != SEC_E_OK)
            return st;
        *what = "VerifySignature";
        st = T->VerifySignature(&m->p.s, &m->d, m->seq, &qop);
    }
    m->seq++;
    return st;
}

static void msg_roundtrip(struct msg_bench *m)
{
    const char *what;
    SECURITY_STATUS st = msg_try(m, &what);
    if (st != SEC_E_OK)
        fail(what, st);
}

static void msg_check(const struct msg_bench *m)
{
    const unsigned char *p = m->b[1].pvBuffer;
    if (m->b[1].cbBuffer != m->size)
        fail("round trip changed the message length", -1);
    for (ULONG i = 0; i < m->size; i++)
        if (p[i] != (unsigned char)(i * 31 + 7))
            fail("round trip changed the message", -1);
}

static void msg_free(struct msg_bench *m)
{
    pair_delete(&m->p);
    free(m->tok);
    free(m->data);
}

static int run_messages(int seal, size_t size, double secs)
{
    struct creds cr;
    struct tokbuf tb;
    struct msg_bench m;
    SECURITY_STATUS st = creds_acquire(&cr, bench_password);
    if (st != SEC_E_OK)
        fail("AcquireCredentialsHandleA", st);
    tokbuf_init(&tb);
    msg_setup(&m, &cr, &tb, seal, size);
    const char *what;
    st = msg_try(&m, &what);
    if (st == SEC_E_UNSUPPORTED_FUNCTION) { /* WinPR 2 has no NTLM MakeSignature */
        printf("impl=%s mode=%s size=%zu unsupported=%s\n", BENCH_IMPL, seal ? "seal" : "sign",
               size, what);
        return 0;
    }
    if (st != SEC_E_OK)
        fail(what, st);
    msg_check(&m);

    /* calls between clock reads: about 64 KiB of data, at most 256 calls */
    uint64_t batch = size ? 65536 / size : 256;
    if (batch < 1)
        batch = 1;
    if (batch > 256)
        batch = 256;
    double warm = secs / 5 < 0.2 ? secs / 5 : 0.2;
    double t0 = now_s(), t;
    do {
        for (uint64_t i = 0; i < batch; i++)
            msg_roundtrip(&m);
    } while (now_s() - t0 < warm);
    uint64_t ops = 0;
    t0 = now_s();
    do {
        for (uint64_t i = 0; i < batch; i++)
            msg_roundtrip(&m);
        ops += batch;
        t = now_s();
    } while (t - t0 < secs);
    msg_check(&m);
    double rate = (double)ops / (t - t0);
    printf("impl=%s mode=%s size=%zu ops=%llu secs=%.3f rate=%.1f mbps=%.2f\n", BENCH_IMPL,
           seal ? "seal" : "sign", size, (unsigned long long)ops, t - t0, rate,
           rate * (double)size / 1e6);
    msg_free(&m);
    tokbuf_free(&tb);
    creds_free(&cr);
    return 0;
}

/* ---- instruction counts (callgrind) -------------------------------------- */

void bench_counted_handshakes(const struct creds *cr, struct tokbuf *tb, int n);

/* bench_counted_handshakes - n full handshakes; bench/run runs callgrind with
 * collection on only inside this function. Not static, never inlined. */
__attribute__((noinline)) void bench_counted_handshakes(const struct creds *cr, struct tokbuf *tb,
                                                        int n)
{
    struct pair p;
    for (int i = 0; i < n; i++) {
        handshake_or_die(cr, &p, tb);
        pair_delete(&p);
    }
}

static int run_count(int n)
{
    struct creds cr;
    struct tokbuf tb;
    SECURITY_STATUS st = creds_acquire(&cr, bench_password);
    if (st != SEC_E_OK)
        fail("AcquireCredentialsHandleA", st);
    tokbuf_init(&tb);
    struct pair p;
    for (int i = 0; i < 3; i++) { /* warm-up: lazy initialisation, store load */
        handshake_or_die(&cr, &p, &tb);
        pair_delete(&p);
    }
    bench_counted_handshakes(&cr, &tb, n);
    printf("impl=%s mode=count package=%s handshakes=%d\n", BENCH_IMPL, pkg_label, n);
    tokbuf_free(&tb);
    creds_free(&cr);
    return 0;
}

void bench_counted_messages(struct msg_bench *m, int n);

/* bench_counted_messages - n sign or seal round trips (callgrind collects
 * only in here, as for handshakes). */
__attribute__((noinline)) void bench_counted_messages(struct msg_bench *m, int n)
{
    for (int i = 0; i < n; i++)
        msg_roundtrip(m);
}

static int run_msgcount(int seal, size_t size, int n)
{
    struct creds cr;
    struct tokbuf tb;
    struct msg_bench m;
    const char *what;
    SECURITY_STATUS st = creds_acquire(&cr, bench_password);
    if (st != SEC_E_OK)
        fail("AcquireCredentialsHandleA", st);
    tokbuf_init(&tb);
    msg_setup(&m, &cr, &tb, seal, size);
    st = msg_try(&m, &what);
    if (st == SEC_E_UNSUPPORTED_FUNCTION) {
        printf("impl=%s mode=msgcount unsupported=%s\n", BENCH_IMPL, what);
        return 0;
    }
    if (st != SEC_E_OK)
        fail(what, st);
    for (int i = 0; i < 10; i++)
        msg_roundtrip(&m);
    bench_counted_messages(&m, n);
    msg_check(&m);
    printf("impl=%s mode=msgcount kind=%s size=%zu roundtrips=%d\n", BENCH_IMPL,
           seal ? "seal" : "sign", size, n);
    msg_free(&m);
    tokbuf_free(&tb);
    creds_free(&cr);
    return 0;
}

/* ---- heap (alloc_count.so) ----------------------------------------------- */

#define ALLOC_PAIRS 64
#define ALLOC_MSGS 1000

static int run_alloc(int n)
{
    bench_alloc_snapshot_fn snap = (bench_alloc_snapshot_fn)dlsym(RTLD_DEFAULT,
                                                                   BENCH_ALLOC_SNAPSHOT);
    if (!snap) {
        fprintf(stderr, "bench_sspi: alloc mode needs LD_PRELOAD=.../alloc_count.so\n");
        return 2;
    }
    struct creds cr;
    struct tokbuf tb;
    struct pair *pairs = calloc(ALLOC_PAIRS, sizeof(*pairs));
    struct bench_alloc_stats s0, s1, s2, s3, s4, begin, end;
    snap(&begin); /* the password check already ran: lazy initialisation is done */
    SECURITY_STATUS st = creds_acquire(&cr, bench_password);
    if (st != SEC_E_OK)
        fail("AcquireCredentialsHandleA", st);
    if (!pairs)
        fail("calloc", -1);
    tokbuf_init(&tb);
    for (int i = 0; i < 3; i++) {
        handshake_or_die(&cr, &pairs[0], &tb);
        pair_delete(&pairs[0]);
    }

    /* allocations per full handshake (contexts deleted), and what stays */
    snap(&s0);
    for (int i = 0; i < n; i++) {
        handshake_or_die(&cr, &pairs[0], &tb);
        pair_delete(&pairs[0]);
    }
    snap(&s1);

    /* heap held by established pairs: ALLOC_PAIRS of them at once */
    snap(&s2);
    for (int i = 0; i < ALLOC_PAIRS; i++)
        handshake_or_die(&cr, &pairs[i], &tb);
    snap(&s3);
    for (int i = 0; i < ALLOC_PAIRS; i++)
        pair_delete(&pairs[i]);
    snap(&s4);

    /* allocations per sign and per seal round trip at 64 bytes */
    double per_msg[2];
    for (int seal = 0; seal < 2; seal++) {
        struct msg_bench m;
        struct bench_alloc_stats a, b;
        const char *what;
        msg_setup(&m, &cr, &tb, seal, 64);
        if (msg_try(&m, &what) != SEC_E_OK) {
            per_msg[seal] = -1; /* unsupported */
            msg_free(&m);
            continue;
        }
        snap(&a);
        for (int i = 0; i < ALLOC_MSGS; i++)
            msg_roundtrip(&m);
        snap(&b);
        per_msg[seal] = (double)(b.allocs - a.allocs) / ALLOC_MSGS;
        msg_free(&m);
    }

    tokbuf_free(&tb);
    creds_free(&cr);
    free(pairs);
    snap(&end);

    printf("impl=%s mode=alloc handshakes=%d allocs_per_hs=%.2f frees_per_hs=%.2f "
           "reallocs_per_hs=%.2f hs_leak_bytes=%lld hs_leak_blocks=%lld pair_bytes=%.1f "
           "pair_blocks=%.2f pair_allocs=%.2f pair_leak_bytes=%lld allocs_per_sign=%.2f "
           "allocs_per_seal=%.2f session_leak_bytes=%lld session_leak_blocks=%lld\n",
           BENCH_IMPL, n, (double)(s1.allocs - s0.allocs) / n, (double)(s1.frees - s0.frees) / n,
           (double)(s1.reallocs - s0.reallocs) / n, (long long)(s1.live_bytes - s0.live_bytes),
           (long long)(s1.live_blocks - s0.live_blocks),
           (double)(s3.live_bytes - s2.live_bytes) / ALLOC_PAIRS,
           (double)(s3.live_blocks - s2.live_blocks) / ALLOC_PAIRS,
           (double)(s3.allocs - s2.allocs) / ALLOC_PAIRS, (long long)(s4.live_bytes - s2.live_bytes),
           per_msg[0], per_msg[1], (long long)(end.live_bytes - begin.live_bytes),
           (long long)(end.live_blocks - begin.live_blocks));
    return 0;
}

/* ---- main ---------------------------------------------------------------- */

static int usage(void)
{
    fprintf(stderr, "usage: bench_sspi handshake [-t THREADS] [-s SECONDS] [-p PACKAGE]\n"
                    "       bench_sspi sign|seal SIZE[K|M] [-s SECONDS]\n"
                    "       bench_sspi count N\n"
                    "       bench_sspi msgcount sign|seal SIZE[K|M] N\n"
                    "       bench_sspi alloc N   (with LD_PRELOAD=alloc_count.so)\n"
                    "PACKAGE: ntlm (default), negotiate, kerberos, negotiate-krb\n");
    return 2;
}

/* select_package - -p NAME: the package, its flags, the Kerberos setting. */
static int select_package(const char *name)
{
    if (!strcmp(name, "ntlm"))
        pkg = PK_NTLM;
    else if (!strcmp(name, "negotiate"))
        pkg = PK_NEGO;
    else if (!strcmp(name, "kerberos"))
        pkg = PK_KRB;
    else if (!strcmp(name, "negotiate-krb"))
        pkg = PK_NEGO_KRB;
    else
        return 0;
    pkg_label = name;
    snprintf(package_name, sizeof(package_name), "%s",
             pkg == PK_NTLM ? "NTLM" : pkg == PK_KRB ? "Kerberos" : "Negotiate");
    return 1;
}

/* krb_setup - the realm from realm.sh's environment; 0 when it is not there. */
static int krb_setup(void)
{
    const char *kt = getenv("KRB_HTTP_KEYTAB"), *host = getenv("KRB_HOST");
    krb_user = getenv("KRB_USER");
    krb_pass = getenv("KRB_PASS");
    if (!kt || !host || !krb_user || !krb_pass || !getenv("KRB5_CONFIG"))
        return 0;
    snprintf(krb_server_principal, sizeof(krb_server_principal), "keytab:%s", kt);
    snprintf(target_name, sizeof(target_name), "HTTP/%s", host);
    isc_flags |= ISC_REQ_MUTUAL_AUTH;
    asc_flags |= ASC_REQ_MUTUAL_AUTH;
    return 1;
}

static int parse_int(const char *s, int lo, int hi, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return 0;
    *out = (int)v;
    return 1;
}

static int parse_size(const char *s, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s)
        return 0;
    if (*end == 'K' || *end == 'k')
        v <<= 10, end++;
    else if (*end == 'M' || *end == 'm')
        v <<= 20, end++;
    if (*end || v > (1ull << 30))
        return 0;
    *out = (size_t)v;
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage();
    const char *mode = argv[1];
    int threads = 1, n = 200;
    double secs = 1.0;
    size_t size = 0;
    int i = 2;
    if (!strcmp(mode, "sign") || !strcmp(mode, "seal")) {
        if (argc < 3 || !parse_size(argv[2], &size))
            return usage();
        i = 3;
    } else if (!strcmp(mode, "count") || !strcmp(mode, "alloc")) {
        if (argc < 3 || !parse_int(argv[2], 1, 100000000, &n))
            return usage();
        i = 3;
    } else if (!strcmp(mode, "msgcount")) {
        if (argc != 5 || (strcmp(argv[2], "sign") != 0 && strcmp(argv[2], "seal") != 0)
            || !parse_size(argv[3], &size) || !parse_int(argv[4], 1, 100000000, &n))
            return usage();
        i = 5;
    } else if (strcmp(mode, "handshake") != 0) {
        return usage();
    }
    for (; i < argc; i++) {
        if (!strcmp(argv[i], "-t") && i + 1 < argc) {
            if (!parse_int(argv[++i], 1, 256, &threads))
                return usage();
        } else if (!strcmp(argv[i], "-s") && i + 1 < argc) {
            secs = strtod(argv[++i], NULL);
        } else if (!strcmp(argv[i], "-p") && i + 1 < argc) {
            if (!select_package(argv[++i]))
                return usage();
        } else {
            return usage();
        }
    }
    if (!(secs > 0 && secs < 3600))
        return usage();

    const char *good_password = BENCH_PASSWORD;
    if (pkg == PK_KRB || pkg == PK_NEGO_KRB) {
#ifdef BENCH_WINPR
        /* Debian's WinPR 2 is built without Kerberos */
        printf("impl=%s mode=%s package=%s unsupported=kerberos\n", BENCH_IMPL, mode, pkg_label);
        return 0;
#endif
        if (!krb_setup()) {
            fprintf(stderr, "bench_sspi: -p %s needs the environment of tests/interop/kdc/realm.sh "
                            "(source DIR/env)\n", pkg_label);
            return 2;
        }
        good_password = krb_pass;
    }
    bench_password = good_password;
#ifdef BENCH_WINPR
    setenv("WLOG_LEVEL", "OFF", 0); /* failed logons are expected in the check */
    winpr_InitializeSSL(WINPR_SSL_INIT_DEFAULT);
#endif
    T = InitSecurityInterfaceA();
    if (!T)
        fail("InitSecurityInterfaceA", -1);
    PSecPkgInfoA info = NULL;
    SECURITY_STATUS st = T->QuerySecurityPackageInfoA(package_name, &info);
    if (st != SEC_E_OK)
        fail("QuerySecurityPackageInfoA", st);
    max_token = info->cbMaxToken;
    T->FreeContextBuffer(info);
    store_create();
    check_password_is_checked();

    if (!strcmp(mode, "handshake"))
        return run_handshakes(threads, secs);
    if (!strcmp(mode, "sign") || !strcmp(mode, "seal"))
        return run_messages(!strcmp(mode, "seal"), size, secs);
    if (!strcmp(mode, "count"))
        return run_count(n);
    if (!strcmp(mode, "msgcount"))
        return run_msgcount(!strcmp(argv[2], "seal"), size, n);
    return run_alloc(n);
}
