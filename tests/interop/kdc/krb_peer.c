/* tests/interop/kdc/krb_peer.c - Kerberos interop peer written as portable
 * Windows SSPI code (security.h only): plays the client (InitializeSecurityContext)
 * or the server (AcceptSecurityContext) of the transcript below over TCP, against
 * tests/interop/kdc/gss_peer.py (MIT krb5 through python3-gssapi) or itself.
 *
 * Frames: 4-byte big-endian length, then a 1-byte kind and its payload.
 *   'H' state token   a handshake token; state 'C' (continue) or 'K' (complete)
 *   'V' text          server -> client: "OK <authenticated client name>"
 *   'W' hl pl bytes   a sealed message: u32 header length, u32 padding length,
 *                     then header || data || padding. hl == 0: one contiguous
 *                     token of unknown split (a plain gss_wrap).
 *   'S' dl data mic   a signed message: u32 data length, data, MIC token
 *   'B'               client -> server: bye
 *   'E' text          the sender failed (text: the status) and stops
 * Handshake: the client sends 'H' for every token ISC produces; the server
 * answers every 'H' with one 'H' (its token, possibly empty, and its state).
 * Transcript after it: V; then --rounds times: C->S W(MSG_C + r*4099 bytes),
 * S->C W(MSG_S + ...), C->S S(MIC_C...), S->C S(MIC_S...); then B. --no-seal
 * drops the W frames. Byte k of the round-r extension is (7k + r) mod 256.
 *
 * EncryptMessage uses [TOKEN(cbSecurityTrailer), DATA, PADDING(cbBlockSize)] and
 * sends TOKEN || DATA || PADDING with their lengths: for RFC 4121 that is one
 * standard wrap token (RRC rotation) any gss_unwrap takes. DecryptMessage uses
 * --decrypt stream ([STREAM, DATA]) or split ([TOKEN, DATA, PADDING] at the
 * sender's lengths; at cbSecurityTrailer when the sender gave none).
 *
 * Exit status: 0 transcript passed (or, with --expect-status, the handshake
 * failed with exactly that status), 1 failure, 2 usage. */
#define SECURITY_WIN32

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <security.h>

#define MAX_FRAME (1u << 22)
#define ROUND_EXTRA 4099u
#define KRB_ATTR_DELEGATED_CCACHE 0x4F530001u /* src/kerberos/kerberos.h */

static const char MSG_C_SEAL[] = "Kerberos interop: sealed by the initiator \x00\x01\x7f\x80\xfe\xff";
static const char MSG_S_SEAL[] = "Kerberos interop: sealed by the acceptor \xff\xfe\x80\x7f\x01\x00";
static const char MSG_C_SIGN[] = "Kerberos interop: signed by the initiator";
static const char MSG_S_SIGN[] = "Kerberos interop: signed by the acceptor";

struct opts {
    bool client, server;
    int port;
    const char *user, *domain, *password, *principal, *target;
    ULONG flags;
    const char *cbt;
    bool no_seal, stream, replay, extended_error;
    int rounds;
    const char *corrupt;
    const char *expect_user, *expect_status;
    const char *delegate_to, *delegate_keytab;
    int delay_accept;
};

static const char *role = "krb_peer";

static void logf_(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "[%s] ", role);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static const char *status_name(SECURITY_STATUS st)
{
    static const struct {
        SECURITY_STATUS st;
        const char *name;
    } names[] = {
        { SEC_E_OK, "SEC_E_OK" },
        { SEC_I_CONTINUE_NEEDED, "SEC_I_CONTINUE_NEEDED" },
        { SEC_E_INSUFFICIENT_MEMORY, "SEC_E_INSUFFICIENT_MEMORY" },
        { SEC_E_INVALID_HANDLE, "SEC_E_INVALID_HANDLE" },
        { SEC_E_UNSUPPORTED_FUNCTION, "SEC_E_UNSUPPORTED_FUNCTION" },
        { SEC_E_TARGET_UNKNOWN, "SEC_E_TARGET_UNKNOWN" },
        { SEC_E_INTERNAL_ERROR, "SEC_E_INTERNAL_ERROR" },
        { SEC_E_SECPKG_NOT_FOUND, "SEC_E_SECPKG_NOT_FOUND" },
        { SEC_E_INVALID_TOKEN, "SEC_E_INVALID_TOKEN" },
        { SEC_E_QOP_NOT_SUPPORTED, "SEC_E_QOP_NOT_SUPPORTED" },
        { SEC_E_LOGON_DENIED, "SEC_E_LOGON_DENIED" },
        { SEC_E_UNKNOWN_CREDENTIALS, "SEC_E_UNKNOWN_CREDENTIALS" },
        { SEC_E_NO_CREDENTIALS, "SEC_E_NO_CREDENTIALS" },
        { SEC_E_MESSAGE_ALTERED, "SEC_E_MESSAGE_ALTERED" },
        { SEC_E_OUT_OF_SEQUENCE, "SEC_E_OUT_OF_SEQUENCE" },
        { SEC_E_NO_AUTHENTICATING_AUTHORITY, "SEC_E_NO_AUTHENTICATING_AUTHORITY" },
        { SEC_E_CONTEXT_EXPIRED, "SEC_E_CONTEXT_EXPIRED" },
        { SEC_E_BUFFER_TOO_SMALL, "SEC_E_BUFFER_TOO_SMALL" },
        { SEC_E_WRONG_PRINCIPAL, "SEC_E_WRONG_PRINCIPAL" },
        { SEC_E_TIME_SKEW, "SEC_E_TIME_SKEW" },
        { SEC_E_BAD_BINDINGS, "SEC_E_BAD_BINDINGS" },
        { SEC_E_WRONG_CREDENTIAL_HANDLE, "SEC_E_WRONG_CREDENTIAL_HANDLE" },
        { SEC_E_MUTUAL_AUTH_FAILED, "SEC_E_MUTUAL_AUTH_FAILED" },
        { SEC_E_ALGORITHM_MISMATCH, "SEC_E_ALGORITHM_MISMATCH" },
        { SEC_E_KDC_UNKNOWN_ETYPE, "SEC_E_KDC_UNKNOWN_ETYPE" },
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (names[i].st == st)
            return names[i].name;
    }
    return "SEC_E_?";
}

static void fail_status(const char *what, SECURITY_STATUS st)
{
    logf_("%s failed: %s (0x%08lx)", what, status_name(st), (unsigned long)(uint32_t)st);
}

/* ---- frames ------------------------------------------------------------- */

static int sock = -1;

static bool write_all(const void *p, size_t n)
{
    const uint8_t *b = p;
    while (n) {
        ssize_t w = send(sock, b, n, MSG_NOSIGNAL);
        if (w <= 0) {
            if (w < 0 && errno == EINTR)
                continue;
            return false;
        }
        b += w;
        n -= (size_t)w;
    }
    return true;
}

static bool read_all(void *p, size_t n)
{
    uint8_t *b = p;
    while (n) {
        ssize_t r = recv(sock, b, n, 0);
        if (r <= 0) {
            if (r < 0 && errno == EINTR)
                continue;
            return false;
        }
        b += r;
        n -= (size_t)r;
    }
    return true;
}

static bool send_frame(char kind, const void *a, size_t alen, const void *b, size_t blen)
{
    uint8_t hdr[5];
    uint32_t n = (uint32_t)(1 + alen + blen);
    hdr[0] = (uint8_t)(n >> 24), hdr[1] = (uint8_t)(n >> 16), hdr[2] = (uint8_t)(n >> 8), hdr[3] = (uint8_t)n;
    hdr[4] = (uint8_t)kind;
    return write_all(hdr, 5) && (!alen || write_all(a, alen)) && (!blen || write_all(b, blen));
}

/* recv_frame - a malloc'd frame; *kind its kind, the payload after it. */
static uint8_t *recv_frame(char *kind, size_t *len)
{
    uint8_t hdr[4];
    if (!read_all(hdr, 4))
        return NULL;
    uint32_t n = (uint32_t)hdr[0] << 24 | (uint32_t)hdr[1] << 16 | (uint32_t)hdr[2] << 8 | hdr[3];
    if (n == 0 || n > MAX_FRAME)
        return NULL;
    uint8_t *buf = malloc(n);
    if (!buf || !read_all(buf, n)) {
        free(buf);
        return NULL;
    }
    *kind = (char)buf[0];
    *len = n - 1;
    memmove(buf, buf + 1, n - 1);
    if (*kind == 'E') {
        logf_("peer failed: %.*s", (int)(n - 1), (const char *)buf);
    }
    return buf;
}

static void send_error(const char *what, SECURITY_STATUS st)
{
    char text[256];
    snprintf(text, sizeof(text), "%s %s", what, status_name(st));
    send_frame('E', text, strlen(text), NULL, 0);
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16), p[2] = (uint8_t)(v >> 8), p[3] = (uint8_t)v;
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* ---- messages ----------------------------------------------------------- */

static uint8_t *message(const char *base, size_t baselen, int round, size_t *len)
{
    size_t extra = (size_t)round * ROUND_EXTRA;
    uint8_t *m = malloc(baselen + extra + 1);
    if (!m)
        return NULL;
    memcpy(m, base, baselen);
    for (size_t k = 0; k < extra; k++)
        m[baselen + k] = (uint8_t)((7 * k + (size_t)round) % 256);
    *len = baselen + extra;
    return m;
}

static SecPkgContext_Sizes sizes;

static bool send_sealed(CtxtHandle *ctx, const uint8_t *msg, size_t len, bool corrupt, bool twice)
{
    uint8_t *tok = malloc(sizes.cbSecurityTrailer + 1), *pad = malloc(sizes.cbBlockSize + 1);
    uint8_t *data = malloc(len + 1);
    bool ok = false;
    if (!tok || !pad || !data)
        goto out;
    memcpy(data, msg, len);
    SecBuffer b[3] = { { sizes.cbSecurityTrailer, SECBUFFER_TOKEN, tok },
                       { (ULONG)len, SECBUFFER_DATA, data },
                       { sizes.cbBlockSize, SECBUFFER_PADDING, pad } };
    SecBufferDesc d = { SECBUFFER_VERSION, 3, b };
    SECURITY_STATUS st = EncryptMessage(ctx, 0, &d, 0);
    if (st != SEC_E_OK) {
        fail_status("EncryptMessage", st);
        goto out;
    }
    size_t total = 8 + b[0].cbBuffer + len + b[2].cbBuffer;
    uint8_t *frame = malloc(total);
    if (!frame)
        goto out;
    put32(frame, b[0].cbBuffer);
    put32(frame + 4, b[2].cbBuffer);
    memcpy(frame + 8, tok, b[0].cbBuffer);
    memcpy(frame + 8 + b[0].cbBuffer, data, len);
    memcpy(frame + 8 + b[0].cbBuffer + len, pad, b[2].cbBuffer);
    if (corrupt)
        frame[total - 1 - b[2].cbBuffer] ^= 0x01; /* the last data byte */
    ok = send_frame('W', frame, total, NULL, 0);
    if (ok && twice)
        ok = send_frame('W', frame, total, NULL, 0);
    free(frame);
out:
    free(tok);
    free(pad);
    free(data);
    return ok;
}

/* recv_sealed - a 'W' frame decrypted and compared with want. */
static bool recv_sealed(CtxtHandle *ctx, const struct opts *o, const uint8_t *want, size_t wantlen)
{
    char kind;
    size_t len;
    uint8_t *f = recv_frame(&kind, &len);
    bool ok = false;
    if (!f || kind != 'W' || len < 8) {
        logf_("expected a sealed message");
        goto out;
    }
    uint32_t hl = get32(f), pl = get32(f + 4);
    uint8_t *bytes = f + 8;
    size_t blen = len - 8;
    if ((size_t)hl + pl > blen) {
        logf_("bad sealed frame");
        goto out;
    }
    SECURITY_STATUS st;
    ULONG qop = 0;
    uint8_t *plain;
    size_t plen;
    if (o->stream) {
        SecBuffer b[2] = { { (ULONG)blen, SECBUFFER_STREAM, bytes }, { 0, SECBUFFER_DATA, NULL } };
        SecBufferDesc d = { SECBUFFER_VERSION, 2, b };
        st = DecryptMessage(ctx, &d, 0, &qop);
        plain = b[1].pvBuffer;
        plen = b[1].cbBuffer;
    } else {
        if (hl == 0) { /* a plain token: cut it where an SSPI caller would */
            hl = sizes.cbSecurityTrailer < blen ? sizes.cbSecurityTrailer : (uint32_t)blen;
            pl = 0;
        }
        SecBuffer b[3] = { { hl, SECBUFFER_TOKEN, bytes },
                           { (ULONG)(blen - hl - pl), SECBUFFER_DATA, bytes + hl },
                           { pl, SECBUFFER_PADDING, bytes + blen - pl } };
        SecBufferDesc d = { SECBUFFER_VERSION, 3, b };
        st = DecryptMessage(ctx, &d, 0, &qop);
        plain = b[1].pvBuffer;
        plen = b[1].cbBuffer;
    }
    if (st != SEC_E_OK) {
        fail_status("DecryptMessage", st);
        goto out;
    }
    if (plen != wantlen || memcmp(plain, want, wantlen) != 0) {
        logf_("DecryptMessage gave the wrong plaintext (%zu bytes, want %zu)", plen, wantlen);
        goto out;
    }
    ok = true;
out:
    free(f);
    return ok;
}

static bool send_signed(CtxtHandle *ctx, const uint8_t *msg, size_t len, bool corrupt)
{
    uint8_t *sig = malloc(sizes.cbMaxSignature + 1);
    if (!sig)
        return false;
    SecBuffer b[2] = { { (ULONG)len, SECBUFFER_DATA, (void *)msg }, { sizes.cbMaxSignature, SECBUFFER_TOKEN, sig } };
    SecBufferDesc d = { SECBUFFER_VERSION, 2, b };
    SECURITY_STATUS st = MakeSignature(ctx, 0, &d, 0);
    bool ok = false;
    if (st != SEC_E_OK) {
        fail_status("MakeSignature", st);
    } else {
        if (corrupt)
            sig[b[1].cbBuffer - 1] ^= 0x01;
        uint8_t dl[4];
        put32(dl, (uint32_t)len);
        uint8_t *frame = malloc(4 + len + b[1].cbBuffer);
        if (frame) {
            memcpy(frame, dl, 4);
            memcpy(frame + 4, msg, len);
            memcpy(frame + 4 + len, sig, b[1].cbBuffer);
            ok = send_frame('S', frame, 4 + len + b[1].cbBuffer, NULL, 0);
            free(frame);
        }
    }
    free(sig);
    return ok;
}

static bool recv_signed(CtxtHandle *ctx, const uint8_t *want, size_t wantlen)
{
    char kind;
    size_t len;
    uint8_t *f = recv_frame(&kind, &len);
    bool ok = false;
    if (!f || kind != 'S' || len < 4) {
        logf_("expected a signed message");
        goto out;
    }
    uint32_t dl = get32(f);
    if (dl > len - 4) {
        logf_("bad signed frame");
        goto out;
    }
    if (dl != wantlen || memcmp(f + 4, want, wantlen) != 0) {
        logf_("signed message has the wrong text");
        goto out;
    }
    SecBuffer b[2] = { { dl, SECBUFFER_DATA, f + 4 }, { (ULONG)(len - 4 - dl), SECBUFFER_TOKEN, f + 4 + dl } };
    SecBufferDesc d = { SECBUFFER_VERSION, 2, b };
    ULONG qop;
    SECURITY_STATUS st = VerifySignature(ctx, &d, 0, &qop);
    if (st != SEC_E_OK) {
        fail_status("VerifySignature", st);
        goto out;
    }
    ok = true;
out:
    free(f);
    return ok;
}

/* transcript - the messages after the handshake. */
static bool transcript(CtxtHandle *ctx, const struct opts *o)
{
    SECURITY_STATUS st = QueryContextAttributesA(ctx, SECPKG_ATTR_SIZES, &sizes);
    if (st != SEC_E_OK) {
        fail_status("QueryContextAttributes(SIZES)", st);
        return false;
    }
    logf_("sizes: max signature %lu, security trailer %lu, block %lu", (unsigned long)sizes.cbMaxSignature,
          (unsigned long)sizes.cbSecurityTrailer, (unsigned long)sizes.cbBlockSize);
    bool corrupt_wrap = o->corrupt && strcmp(o->corrupt, "wrap") == 0;
    bool corrupt_mic = o->corrupt && strcmp(o->corrupt, "mic") == 0;
    for (int r = 0; r < o->rounds; r++) {
        size_t cl, sl, cml, sml;
        uint8_t *cm = message(MSG_C_SEAL, sizeof(MSG_C_SEAL) - 1, r, &cl);
        uint8_t *sm = message(MSG_S_SEAL, sizeof(MSG_S_SEAL) - 1, r, &sl);
        uint8_t *cmic = message(MSG_C_SIGN, sizeof(MSG_C_SIGN) - 1, r, &cml);
        uint8_t *smic = message(MSG_S_SIGN, sizeof(MSG_S_SIGN) - 1, r, &sml);
        bool ok = cm && sm && cmic && smic;
        bool first = r == 0;
        if (ok && !o->no_seal) {
            if (o->client) {
                ok = send_sealed(ctx, cm, cl, first && corrupt_wrap, first && o->replay)
                    && recv_sealed(ctx, o, sm, sl);
            } else {
                ok = recv_sealed(ctx, o, cm, cl) && (!(first && o->replay) || recv_sealed(ctx, o, cm, cl))
                    && send_sealed(ctx, sm, sl, first && corrupt_wrap, false);
            }
        }
        if (ok) {
            if (o->client)
                ok = send_signed(ctx, cmic, cml, first && corrupt_mic) && recv_signed(ctx, smic, sml);
            else
                ok = recv_signed(ctx, cmic, cml) && send_signed(ctx, smic, sml, first && corrupt_mic);
        }
        free(cm);
        free(sm);
        free(cmic);
        free(smic);
        if (!ok) {
            send_frame('E', "transcript", 10, NULL, 0);
            return false;
        }
    }
    if (o->client)
        return send_frame('B', NULL, 0, NULL, 0);
    char kind;
    size_t len;
    uint8_t *f = recv_frame(&kind, &len);
    bool ok = f && kind == 'B';
    free(f);
    if (!ok)
        logf_("expected bye");
    return ok;
}

/* ---- handshake ---------------------------------------------------------- */

static SecBuffer cbt_buffer(const char *app, uint8_t **mem)
{
    SEC_CHANNEL_BINDINGS h;
    memset(&h, 0, sizeof(h));
    size_t n = strlen(app);
    *mem = calloc(1, sizeof(h) + n);
    h.cbApplicationDataLength = (ULONG)n;
    h.dwApplicationDataOffset = sizeof(h);
    memcpy(*mem, &h, sizeof(h));
    memcpy(*mem + sizeof(h), app, n);
    SecBuffer b = { (ULONG)(sizeof(h) + n), SECBUFFER_CHANNEL_BINDINGS, *mem };
    return b;
}

/* expected - with --expect-status, a failure with that status is the pass. */
static int expected(const struct opts *o, const char *what, SECURITY_STATUS st)
{
    fail_status(what, st);
    if (o->expect_status && strcmp(o->expect_status, status_name(st)) == 0) {
        logf_("failed as expected");
        return 0;
    }
    return 1;
}

static int run_client(const struct opts *o)
{
    CredHandle cred;
    CtxtHandle ctx;
    TimeStamp ts;
    SEC_WINNT_AUTH_IDENTITY_A id;
    memset(&id, 0, sizeof(id));
    bool with_id = o->user || o->password;
    if (with_id) {
        id.User = (unsigned char *)o->user;
        id.UserLength = o->user ? (ULONG)strlen(o->user) : 0;
        id.Domain = (unsigned char *)o->domain;
        id.DomainLength = o->domain ? (ULONG)strlen(o->domain) : 0;
        id.Password = (unsigned char *)o->password;
        id.PasswordLength = o->password ? (ULONG)strlen(o->password) : 0;
        id.Flags = SEC_WINNT_AUTH_IDENTITY_ANSI;
    }
    SECURITY_STATUS st = AcquireCredentialsHandleA((SEC_CHAR *)o->principal, "Kerberos", SECPKG_CRED_OUTBOUND, NULL,
                                                   with_id ? &id : NULL, NULL, NULL, &cred, &ts);
    if (st != SEC_E_OK) {
        send_error("AcquireCredentialsHandle", st);
        return expected(o, "AcquireCredentialsHandle", st);
    }
    uint8_t *cbmem = NULL;
    SecBuffer cbt = o->cbt ? cbt_buffer(o->cbt, &cbmem) : (SecBuffer){ 0, SECBUFFER_EMPTY, NULL };
    uint8_t *in = NULL;
    size_t inlen = 0;
    bool have_ctx = false, server_done = false;
    int rc = 1;
    ULONG attr = 0;
    for (int step = 0; step < 6; step++) {
        uint8_t out[65536];
        SecBuffer ob = { sizeof(out), SECBUFFER_TOKEN, out };
        SecBufferDesc od = { SECBUFFER_VERSION, 1, &ob };
        SecBuffer ib[2];
        SecBufferDesc idd = { SECBUFFER_VERSION, 0, ib };
        if (have_ctx)
            ib[idd.cBuffers++] = (SecBuffer){ (ULONG)inlen, SECBUFFER_TOKEN, in };
        if (o->cbt)
            ib[idd.cBuffers++] = cbt;
        st = InitializeSecurityContextA(&cred, have_ctx ? &ctx : NULL, (SEC_CHAR *)o->target, o->flags, 0,
                                        SECURITY_NATIVE_DREP, idd.cBuffers ? &idd : NULL, 0, &ctx, &od, &attr, &ts);
        free(in);
        in = NULL;
        inlen = 0;
        if (st != SEC_E_OK && st != SEC_I_CONTINUE_NEEDED) {
            send_error("InitializeSecurityContext", st);
            rc = expected(o, "InitializeSecurityContext", st);
            goto out;
        }
        have_ctx = true;
        if (ob.cbBuffer) {
            char state = st == SEC_E_OK ? 'K' : 'C';
            if (!send_frame('H', &state, 1, out, ob.cbBuffer))
                goto out;
            char kind;
            size_t len;
            uint8_t *f = recv_frame(&kind, &len);
            if (!f || kind != 'H' || len < 1) {
                free(f);
                if (kind == 'E' && o->expect_status)
                    logf_("the server refused us");
                goto out;
            }
            server_done = f[0] == 'K';
            inlen = len - 1;
            in = malloc(inlen + 1);
            if (in)
                memcpy(in, f + 1, inlen);
            free(f);
        }
        if (st == SEC_E_OK) {
            if (!server_done || inlen) {
                logf_("handshake out of step (server done %d, %zu bytes left)", server_done, inlen);
                goto out;
            }
            break;
        }
        if (!ob.cbBuffer) {
            logf_("ISC continues without a token");
            goto out;
        }
    }
    if (o->expect_status) {
        logf_("handshake succeeded but %s was expected", o->expect_status);
        goto out;
    }
    logf_("context established, flags 0x%08lx", (unsigned long)attr);
    if ((o->flags & ISC_REQ_MUTUAL_AUTH) && !(attr & ISC_RET_MUTUAL_AUTH)) {
        logf_("no ISC_RET_MUTUAL_AUTH");
        goto out;
    }
    if ((o->flags & ISC_REQ_DELEGATE) && !(attr & ISC_RET_DELEGATE)) {
        logf_("no ISC_RET_DELEGATE");
        goto out;
    }
    char kind;
    size_t len;
    uint8_t *v = recv_frame(&kind, &len);
    if (!v || kind != 'V') {
        free(v);
        goto out;
    }
    logf_("server says: %.*s", (int)len, (const char *)v);
    free(v);
    rc = transcript(&ctx, o) ? 0 : 1;
out:
    free(in);
    free(cbmem);
    if (have_ctx)
        DeleteSecurityContext(&ctx);
    FreeCredentialsHandle(&cred);
    if (rc == 0 && !o->expect_status)
        logf_("transcript passed");
    return rc;
}

/* use_delegation - act as the client towards o->delegate_to with the TGT it
 * delegated to us, against an in-process acceptor holding o->delegate_keytab. */
static bool use_delegation(CtxtHandle *sctx, const struct opts *o, const char *client)
{
    char *ccname = NULL;
    SECURITY_STATUS st = QueryContextAttributesA(sctx, KRB_ATTR_DELEGATED_CCACHE, &ccname);
    if (st != SEC_E_OK) {
        fail_status("QueryContextAttributes(delegated ccache)", st);
        return false;
    }
    char principal[600], kt[600];
    snprintf(principal, sizeof(principal), "ccache:%s", ccname);
    snprintf(kt, sizeof(kt), "keytab:%s", o->delegate_keytab);
    FreeContextBuffer(ccname);
    CredHandle cc, sc;
    CtxtHandle cx, sx;
    TimeStamp ts;
    ULONG attr;
    bool ok = false;
    st = AcquireCredentialsHandleA(principal, "Kerberos", SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL, &cc, &ts);
    if (st != SEC_E_OK) {
        fail_status("AcquireCredentialsHandle(delegated)", st);
        return false;
    }
    st = AcquireCredentialsHandleA(kt, "Kerberos", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL, &sc, &ts);
    if (st != SEC_E_OK) {
        fail_status("AcquireCredentialsHandle(backend)", st);
        FreeCredentialsHandle(&cc);
        return false;
    }
    uint8_t t[65536];
    SecBuffer b = { sizeof(t), SECBUFFER_TOKEN, t };
    SecBufferDesc d = { SECBUFFER_VERSION, 1, &b };
    st = InitializeSecurityContextA(&cc, NULL, (SEC_CHAR *)o->delegate_to, 0, 0, 0, NULL, 0, &cx, &d, &attr, &ts);
    if (st == SEC_E_OK) {
        SecBuffer out = { 0, SECBUFFER_TOKEN, NULL };
        SecBufferDesc od = { SECBUFFER_VERSION, 1, &out };
        st = AcceptSecurityContext(&sc, NULL, &d, 0, 0, &sx, &od, &attr, &ts);
        if (st == SEC_E_OK) {
            SecPkgContext_NamesA n;
            if (QueryContextAttributesA(&sx, SECPKG_ATTR_NAMES, &n) == SEC_E_OK) {
                ok = strcmp(n.sUserName, client) == 0;
                logf_("delegated TGT used: %s authenticated to %s as %s", client, o->delegate_to, n.sUserName);
                FreeContextBuffer(n.sUserName);
            }
            DeleteSecurityContext(&sx);
        } else {
            fail_status("AcceptSecurityContext(backend)", st);
        }
        DeleteSecurityContext(&cx);
    } else {
        fail_status("InitializeSecurityContext(delegated)", st);
    }
    FreeCredentialsHandle(&cc);
    FreeCredentialsHandle(&sc);
    return ok;
}

static int run_server(const struct opts *o)
{
    CredHandle cred;
    CtxtHandle ctx;
    TimeStamp ts;
    SECURITY_STATUS st = AcquireCredentialsHandleA((SEC_CHAR *)o->principal, "Kerberos", SECPKG_CRED_INBOUND, NULL,
                                                   NULL, NULL, NULL, &cred, &ts);
    if (st != SEC_E_OK) {
        fail_status("AcquireCredentialsHandle", st);
        return 1;
    }
    uint8_t *cbmem = NULL;
    SecBuffer cbt = o->cbt ? cbt_buffer(o->cbt, &cbmem) : (SecBuffer){ 0, SECBUFFER_EMPTY, NULL };
    bool have_ctx = false;
    int rc = 1;
    ULONG attr = 0;
    ULONG req = ASC_REQ_MUTUAL_AUTH | ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY | ASC_REQ_REPLAY_DETECT
        | ASC_REQ_SEQUENCE_DETECT | ASC_REQ_CONNECTION | (o->extended_error ? ASC_REQ_EXTENDED_ERROR : 0);
    for (int step = 0; step < 6; step++) {
        char kind;
        size_t len;
        uint8_t *f = recv_frame(&kind, &len);
        if (!f || kind != 'H' || len < 1) {
            free(f);
            logf_("expected a handshake token");
            goto out;
        }
        if (step == 0 && o->delay_accept)
            sleep((unsigned)o->delay_accept);
        uint8_t out[65536];
        SecBuffer ob = { sizeof(out), SECBUFFER_TOKEN, out };
        SecBufferDesc od = { SECBUFFER_VERSION, 1, &ob };
        SecBuffer ib[2] = { { (ULONG)(len - 1), SECBUFFER_TOKEN, f + 1 }, cbt };
        SecBufferDesc idd = { SECBUFFER_VERSION, o->cbt ? 2 : 1, ib };
        st = AcceptSecurityContext(&cred, have_ctx ? &ctx : NULL, &idd, req, SECURITY_NATIVE_DREP, &ctx, &od, &attr,
                                   &ts);
        free(f);
        if (st != SEC_E_OK && st != SEC_I_CONTINUE_NEEDED) {
            if (ob.cbBuffer && o->extended_error) { /* the KRB-ERROR, for the client to read */
                char state = 'K';
                send_frame('H', &state, 1, out, ob.cbBuffer);
            } else {
                send_error("AcceptSecurityContext", st);
            }
            rc = expected(o, "AcceptSecurityContext", st);
            goto out;
        }
        have_ctx = true;
        char state = st == SEC_E_OK ? 'K' : 'C';
        if (!send_frame('H', &state, 1, out, ob.cbBuffer))
            goto out;
        if (st == SEC_E_OK)
            break;
    }
    if (st != SEC_E_OK)
        goto out;
    if (o->expect_status) {
        logf_("handshake succeeded but %s was expected", o->expect_status);
        goto out;
    }
    SecPkgContext_NamesA names;
    st = QueryContextAttributesA(&ctx, SECPKG_ATTR_NAMES, &names);
    if (st != SEC_E_OK) {
        fail_status("QueryContextAttributes(NAMES)", st);
        goto out;
    }
    char v[512];
    snprintf(v, sizeof(v), "OK %s", names.sUserName);
    logf_("context established for %s, flags 0x%08lx", names.sUserName, (unsigned long)attr);
    bool user_ok = !o->expect_user || strcmp(o->expect_user, names.sUserName) == 0;
    if (!user_ok)
        logf_("authenticated %s, expected %s", names.sUserName, o->expect_user);
    bool deleg_ok = true;
    if (o->delegate_to) {
        deleg_ok = (attr & ASC_RET_DELEGATE) && use_delegation(&ctx, o, names.sUserName);
        if (!deleg_ok)
            logf_("delegation check failed");
    }
    FreeContextBuffer(names.sUserName);
    if (!user_ok || !deleg_ok) {
        send_frame('E', "identity", 8, NULL, 0);
        goto out;
    }
    if (!send_frame('V', v, strlen(v), NULL, 0))
        goto out;
    rc = transcript(&ctx, o) ? 0 : 1;
out:
    free(cbmem);
    if (have_ctx)
        DeleteSecurityContext(&ctx);
    FreeCredentialsHandle(&cred);
    if (rc == 0 && !o->expect_status)
        logf_("transcript passed");
    return rc;
}

/* ---- main --------------------------------------------------------------- */

static ULONG parse_flags(const char *s)
{
    ULONG f = 0;
    char *copy = strdup(s), *save = NULL;
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (!strcmp(t, "mutual"))
            f |= ISC_REQ_MUTUAL_AUTH;
        else if (!strcmp(t, "delegate"))
            f |= ISC_REQ_DELEGATE;
        else if (!strcmp(t, "dce"))
            f |= ISC_REQ_USE_DCE_STYLE;
        else if (!strcmp(t, "conf"))
            f |= ISC_REQ_CONFIDENTIALITY;
        else if (!strcmp(t, "integ"))
            f |= ISC_REQ_INTEGRITY;
        else if (!strcmp(t, "replay"))
            f |= ISC_REQ_REPLAY_DETECT;
        else if (!strcmp(t, "sequence"))
            f |= ISC_REQ_SEQUENCE_DETECT;
        else if (strcmp(t, "none") != 0)
            fprintf(stderr, "unknown flag %s\n", t);
    }
    free(copy);
    return f;
}

static int usage(void)
{
    fprintf(stderr,
            "usage: krb_peer --client|--server --port N [--target SPN] [--user U --password P [--domain D]]\n"
            "  [--principal keytab:PATH|ccache:NAME|SPN] [--flags mutual,delegate,dce,conf,integ,replay,sequence]\n"
            "  [--cbt APPDATA] [--no-seal] [--decrypt stream|split] [--rounds N] [--corrupt wrap|mic] [--replay]\n"
            "  [--expect-user NAME] [--expect-status SEC_E_...] [--delegate-to SPN --delegate-keytab PATH]\n"
            "  [--delay-accept SECS] [--extended-error]\n");
    return 2;
}

int main(int argc, char **argv)
{
    struct opts o;
    memset(&o, 0, sizeof(o));
    o.flags = ISC_REQ_MUTUAL_AUTH | ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY | ISC_REQ_REPLAY_DETECT
        | ISC_REQ_SEQUENCE_DETECT;
    o.rounds = 1;
    o.stream = true;
    o.target = "HTTP/server.opensspi.test";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define ARG(name, field)                                                                                       \
    if (!strcmp(a, name)) {                                                                                    \
        if (!v)                                                                                                \
            return usage();                                                                                    \
        o.field = v;                                                                                           \
        i++;                                                                                                   \
        continue;                                                                                              \
    }
        if (!strcmp(a, "--client")) {
            o.client = true;
            continue;
        }
        if (!strcmp(a, "--server")) {
            o.server = true;
            continue;
        }
        if (!strcmp(a, "--no-seal")) {
            o.no_seal = true;
            continue;
        }
        if (!strcmp(a, "--replay")) {
            o.replay = true;
            continue;
        }
        if (!strcmp(a, "--extended-error")) {
            o.extended_error = true;
            continue;
        }
        if (!strcmp(a, "--port") && v) {
            o.port = (int)strtol(v, NULL, 10);
            i++;
            continue;
        }
        if (!strcmp(a, "--rounds") && v) {
            o.rounds = (int)strtol(v, NULL, 10);
            i++;
            continue;
        }
        if (!strcmp(a, "--delay-accept") && v) {
            o.delay_accept = (int)strtol(v, NULL, 10);
            i++;
            continue;
        }
        if (!strcmp(a, "--flags") && v) {
            o.flags = parse_flags(v);
            i++;
            continue;
        }
        if (!strcmp(a, "--decrypt") && v) {
            o.stream = strcmp(v, "stream") == 0;
            i++;
            continue;
        }
        ARG("--user", user)
        ARG("--domain", domain)
        ARG("--password", password)
        ARG("--principal", principal)
        ARG("--target", target)
        ARG("--cbt", cbt)
        ARG("--corrupt", corrupt)
        ARG("--expect-user", expect_user)
        ARG("--expect-status", expect_status)
        ARG("--delegate-to", delegate_to)
        ARG("--delegate-keytab", delegate_keytab)
#undef ARG
        return usage();
    }
    if (o.client == o.server || o.port <= 0 || o.rounds < 1 || o.rounds > 8)
        return usage();
    if (o.delegate_to && !o.delegate_keytab)
        return usage();
    role = o.client ? "sspi-client" : "sspi-server";
    signal(SIGPIPE, SIG_IGN);

    struct sockaddr_in sa;
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)o.port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (o.server) {
        int ls = socket(AF_INET, SOCK_STREAM, 0), one = 1;
        setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (ls < 0 || bind(ls, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(ls, 1) != 0) {
            logf_("cannot listen on 127.0.0.1:%d: %s", o.port, strerror(errno));
            return 1;
        }
        logf_("listening on 127.0.0.1:%d", o.port);
        sock = accept(ls, NULL, NULL);
        close(ls);
        if (sock < 0)
            return 1;
    } else {
        sock = socket(AF_INET, SOCK_STREAM, 0);
        bool connected = false;
        for (int i = 0; i < 100 && !connected; i++) {
            connected = connect(sock, (struct sockaddr *)&sa, sizeof(sa)) == 0;
            if (!connected) {
                close(sock);
                sock = socket(AF_INET, SOCK_STREAM, 0);
                usleep(100000);
            }
        }
        if (!connected) {
            logf_("cannot connect to 127.0.0.1:%d", o.port);
            return 1;
        }
    }
    struct timeval tv = { 60, 0 };
    setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    int rc = o.client ? run_client(&o) : run_server(&o);
    close(sock);
    return rc;
}
