/* tools/sspi/demo.c - `sspi demo`: a client and a server process authenticate
 * each other over a loopback TCP connection with every package the library
 * provides, then exchange signed and sealed messages both ways.
 *
 * Layout: the parent creates a temporary NTLM user store and, per package, a
 * listening socket on 127.0.0.1:0; it forks the server (which acquires its
 * credentials and reports readiness on a pipe), then the client. Each side
 * prints every SSPI call it makes before sending anything, so the output of
 * the two processes interleaves in causal order.
 *
 * Between the two processes, frames are: type (1 byte), payload length (u32 BE),
 * then the payload as pieces, each a u32 BE length and bytes.
 *   'T' token:  status (4 bytes, BE), token   - an ISC/ASC leg
 *   'S' signed: data, signature               - MakeSignature output
 *   'E' sealed: trailer, data, padding        - EncryptMessage output
 *   'F' forged: as 'E', with one bit flipped  - the receiver must refuse it
 *   'X' abort:  status, skip flag (1 byte), reason text
 *   'D' done:   no pieces */
#include "sspi_tool.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

enum { DEMO_OK = 0, DEMO_FAIL = 1, DEMO_SKIP = 3 };

#define FRAME_MAX (1u << 20)
#define FRAME_PIECES 4
#define DEMO_TIMEOUT 30

struct demo_opts {
    const char *only;          /* --package, or NULL for all */
    const char *target;        /* pszTargetName for the client */
    struct tool_identity ident;
    char user_file[256];
    bool verbose;
    bool bad_password; /* the client uses a wrong password: see a refused logon */
    bool user_given;   /* --user: every package gets the identity */
};

struct side {
    const char *name; /* "client" or "server" */
    const struct demo_opts *o;
    const SecPkgInfoA *pkg;
    bool must_run; /* NTLM and Negotiate need no infrastructure: never skipped */
    int fd;
    CredHandle cred;
    CtxtHandle ctx;
    bool have_cred, have_ctx;
};

struct piece {
    const void *p;
    uint32_t len;
};

struct frame {
    uint8_t type;
    uint8_t *buf;
    size_t npieces;
    struct {
        uint8_t *p;
        uint32_t len;
    } piece[FRAME_PIECES];
};

static void say(const struct side *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* say - one line of output from one side, flushed at once so the lines of
 * the two processes stay in the order they happened. */
static void say(const struct side *s, const char *fmt, ...)
{
    va_list ap;

    printf("[%s] ", s->name);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
}

static void put_u32be(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static uint32_t get_u32be(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* frame_send - one frame of n pieces; false (with a message) on I/O error. */
static bool frame_send(const struct side *s, uint8_t type, size_t n, const struct piece *pc)
{
    size_t total = 0, i, off;
    uint8_t *buf;
    bool ok;

    for (i = 0; i < n; i++)
        total += 4 + (size_t)pc[i].len;
    if (total > FRAME_MAX)
        return false;
    buf = malloc(5 + total);
    if (buf == NULL)
        return false;
    buf[0] = type;
    put_u32be(buf + 1, (uint32_t)total);
    off = 5;
    for (i = 0; i < n; i++) {
        put_u32be(buf + off, pc[i].len);
        if (pc[i].len > 0)
            memcpy(buf + off + 4, pc[i].p, pc[i].len);
        off += 4 + (size_t)pc[i].len;
    }
    ok = net_write_all(s->fd, buf, off);
    free(buf);
    if (!ok)
        say(s, "error: cannot send to the peer: %s", strerror(errno));
    return ok;
}

static void frame_free(struct frame *f)
{
    free(f->buf);
    memset(f, 0, sizeof(*f));
}

/* frame_recv - read one frame and split its pieces (which alias f->buf). */
static bool frame_recv(const struct side *s, struct frame *f)
{
    uint8_t hdr[5];
    uint32_t total, off = 0;

    memset(f, 0, sizeof(*f));
    if (!net_read_all(s->fd, hdr, sizeof(hdr))) {
        say(s, "error: the peer closed the connection (or timed out)");
        return false;
    }
    total = get_u32be(hdr + 1);
    if (total > FRAME_MAX)
        goto bad;
    f->type = hdr[0];
    f->buf = malloc(total + 1u);
    if (f->buf == NULL || !net_read_all(s->fd, f->buf, total)) {
        say(s, "error: short frame from the peer");
        frame_free(f);
        return false;
    }
    while (off < total) {
        uint32_t len;
        if (f->npieces == FRAME_PIECES || total - off < 4)
            goto bad;
        len = get_u32be(f->buf + off);
        off += 4;
        if (len > total - off)
            goto bad;
        f->piece[f->npieces].p = f->buf + off;
        f->piece[f->npieces].len = len;
        f->npieces++;
        off += len;
    }
    return true;
bad:
    say(s, "error: malformed frame from the peer");
    frame_free(f);
    return false;
}

/* skippable - statuses meaning "this package needs something the demo does
 * not have" (a KDC, a ticket, a keytab, certificates). */
static bool skippable(SECURITY_STATUS st)
{
    switch ((uint32_t)st) {
    case 0x8009030E: /* SEC_E_NO_CREDENTIALS */
    case 0x8009030D: /* SEC_E_UNKNOWN_CREDENTIALS */
    case 0x80090311: /* SEC_E_NO_AUTHENTICATING_AUTHORITY */
    case 0x80090303: /* SEC_E_TARGET_UNKNOWN */
    case 0x80090322: /* SEC_E_WRONG_PRINCIPAL */
    case 0x80090302: /* SEC_E_UNSUPPORTED_FUNCTION */
    case 0x80090305: /* SEC_E_SECPKG_NOT_FOUND */
    case 0x80090334: /* SEC_E_NO_TGT_REPLY */
    case 0x80090324: /* SEC_E_TIME_SKEW */
    case 0x80090348: /* SEC_E_NO_KERB_KEY */
    case 0x80090340: /* SEC_E_KDC_INVALID_REQUEST */
    case 0x80090341: /* SEC_E_KDC_UNABLE_TO_REFER */
    case 0x80090342: /* SEC_E_KDC_UNKNOWN_ETYPE */
    case 0x80090327: /* SEC_E_CERT_UNKNOWN */
        return true;
    default:
        return false;
    }
}

/* abort_peer - tell the other process why this side stops. */
static void abort_peer(const struct side *s, SECURITY_STATUS st, bool skip, const char *why)
{
    uint8_t stb[4], sk = skip;
    struct piece pc[3] = {{stb, 4}, {&sk, 1}, {why, (uint32_t)strlen(why)}};

    put_u32be(stb, (uint32_t)st);
    frame_send(s, 'X', 3, pc);
}

/* failed_call - report a failed SSPI call; DEMO_SKIP when the package needs
 * infrastructure the demo lacks (only before authentication got anywhere). */
static int failed_call(const struct side *s, const char *fn, SECURITY_STATUS st, bool early)
{
    char why[300];

    if (early && !s->must_run && skippable(st)) {
        snprintf(why, sizeof(why), "%s returned %s", fn, status_name(st) ? status_name(st) : "?");
        say(s, "skipping %s: %s - this package needs infrastructure the demo does not set up "
               "(for Kerberos: a KDC and a keytab or ticket)%s",
            s->pkg->Name, why,
            st == SEC_E_TARGET_UNKNOWN ? "; --target can name a service principal in the keytab"
                                       : "");
        if (s->fd >= 0)
            abort_peer(s, st, true, why);
        return DEMO_SKIP;
    }
    snprintf(why, sizeof(why), "%s failed with %s", fn, STATUS(st));
    say(s, "FAILED: %s", why);
    if (s->fd >= 0)
        abort_peer(s, st, false, why);
    return DEMO_FAIL;
}

/* peer_aborted - print an 'X' frame; DEMO_SKIP or DEMO_FAIL. */
static int peer_aborted(const struct side *s, const struct frame *f)
{
    bool skip = f->npieces >= 2 && f->piece[1].len == 1 && f->piece[1].p[0] != 0;

    if (f->npieces == 3)
        say(s, "the %s stopped: %.*s", strcmp(s->name, "client") == 0 ? "server" : "client",
            (int)f->piece[2].len, (const char *)f->piece[2].p);
    return skip ? DEMO_SKIP : DEMO_FAIL;
}

/* expect_frame - receive a frame of the given type with n pieces; on 'X'
 * or anything else prints why and returns the result code in *rc. */
static bool expect_frame(const struct side *s, struct frame *f, uint8_t type, size_t n, int *rc)
{
    if (!frame_recv(s, f)) {
        *rc = DEMO_FAIL;
        return false;
    }
    if (f->type == 'X') {
        *rc = peer_aborted(s, f);
        frame_free(f);
        return false;
    }
    if (f->type != type || f->npieces != n) {
        say(s, "error: unexpected frame '%c' from the peer", f->type);
        frame_free(f);
        *rc = DEMO_FAIL;
        return false;
    }
    return true;
}

static void print_token_leg(const struct side *s, const SecBuffer *out, ULONG attrs,
                            const struct flag_name *tab, const char *prefix)
{
    if (out->cbBuffer > 0) {
        say(s, "    output token: %lu bytes (%s)", (unsigned long)out->cbBuffer,
            token_kind(out->pvBuffer, out->cbBuffer));
        if (s->o->verbose) {
            char *b64 = b64_encode(out->pvBuffer, out->cbBuffer);
            if (b64 != NULL)
                say(s, "    base64 (try: sspi decode ...): %s", b64);
            free(b64);
        }
    } else {
        say(s, "    output token: none");
    }
    say(s, "    context flags: %s", FLAGS((uint32_t)attrs, tab, prefix));
}

/* print_context - the attributes a newcomer wants to see once authenticated. */
static void print_context(struct side *s)
{
    SecPkgContext_NamesA names;
    SecPkgContext_NativeNamesA native;
    SecPkgContext_Sizes sizes;
    SecPkgContext_SessionKey key;
    SecPkgContext_NegotiationInfoA nego;
    CtxtHandle *ctx = &s->ctx;
    SECURITY_STATUS st;

    say(s, "QueryContextAttributesA:");
    st = QueryContextAttributesA(ctx, SECPKG_ATTR_NAMES, &names);
    if (st == SEC_E_OK) {
        say(s, "    SECPKG_ATTR_NAMES         user: %s", names.sUserName ? names.sUserName : "(null)");
        FreeContextBuffer(names.sUserName);
    } else {
        say(s, "    SECPKG_ATTR_NAMES         %s", STATUS(st));
    }
    st = QueryContextAttributesA(ctx, SECPKG_ATTR_NATIVE_NAMES, &native);
    if (st == SEC_E_OK) {
        say(s, "    SECPKG_ATTR_NATIVE_NAMES  client: %s, server: %s",
            native.sClientName ? native.sClientName : "(null)",
            native.sServerName ? native.sServerName : "(null)");
        FreeContextBuffer(native.sClientName);
        FreeContextBuffer(native.sServerName);
    } else {
        say(s, "    SECPKG_ATTR_NATIVE_NAMES  %s", STATUS(st));
    }
    st = QueryContextAttributesA(ctx, SECPKG_ATTR_SIZES, &sizes);
    if (st == SEC_E_OK)
        say(s, "    SECPKG_ATTR_SIZES         max token %lu, max signature %lu, block size %lu, "
               "security trailer %lu",
            (unsigned long)sizes.cbMaxToken, (unsigned long)sizes.cbMaxSignature,
            (unsigned long)sizes.cbBlockSize, (unsigned long)sizes.cbSecurityTrailer);
    else
        say(s, "    SECPKG_ATTR_SIZES         %s", STATUS(st));
    st = QueryContextAttributesA(ctx, SECPKG_ATTR_SESSION_KEY, &key);
    if (st == SEC_E_OK) {
        say(s, "    SECPKG_ATTR_SESSION_KEY   %lu bytes (not shown)",
            (unsigned long)key.SessionKeyLength);
        if (key.SessionKey != NULL)
            wipe(key.SessionKey, key.SessionKeyLength);
        FreeContextBuffer(key.SessionKey);
    } else {
        say(s, "    SECPKG_ATTR_SESSION_KEY   %s", STATUS(st));
    }
    if (s->pkg->fCapabilities & SECPKG_FLAG_NEGOTIABLE2
        || strcasecmp(s->pkg->Name, NEGOSSP_NAME_A) == 0) {
        st = QueryContextAttributesA(ctx, SECPKG_ATTR_NEGOTIATION_INFO, &nego);
        if (st == SEC_E_OK) {
            static const char *const states[] = {"COMPLETE", "OPTIMISTIC", "IN_PROGRESS",
                                                 "DIRECT", "TRY_MULTICRED"};
            say(s, "    SECPKG_ATTR_NEGOTIATION_INFO  package: %s, state %lu%s%s",
                nego.PackageInfo && nego.PackageInfo->Name ? nego.PackageInfo->Name : "(null)",
                (unsigned long)nego.NegotiationState,
                nego.NegotiationState < 5 ? " SECPKG_NEGOTIATION_" : "",
                nego.NegotiationState < 5 ? states[nego.NegotiationState] : "");
            FreeContextBuffer(nego.PackageInfo);
        } else {
            say(s, "    SECPKG_ATTR_NEGOTIATION_INFO  %s", STATUS(st));
        }
    }
}

static bool query_sizes(struct side *s, SecPkgContext_Sizes *sizes, int *rc)
{
    SECURITY_STATUS st = QueryContextAttributesA(&s->ctx, SECPKG_ATTR_SIZES, sizes);

    if (st != SEC_E_OK) {
        *rc = failed_call(s, "QueryContextAttributesA(SECPKG_ATTR_SIZES)", st, false);
        return false;
    }
    return true;
}

/* send_signed - MakeSignature over text, send data and signature. */
static int send_signed(struct side *s, const char *text)
{
    SecPkgContext_Sizes sizes;
    SecBuffer b[2];
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    size_t len = strlen(text);
    char *data = malloc(len + 1);
    uint8_t *sig = NULL;
    SECURITY_STATUS st;
    int rc = DEMO_FAIL;

    if (data == NULL || !query_sizes(s, &sizes, &rc))
        goto out;
    sig = calloc(1, sizes.cbMaxSignature + 1u);
    if (sig == NULL)
        goto out;
    memcpy(data, text, len + 1);
    b[0] = (SecBuffer){(ULONG)len, SECBUFFER_DATA, data};
    b[1] = (SecBuffer){sizes.cbMaxSignature, SECBUFFER_TOKEN, sig};
    st = MakeSignature(&s->ctx, 0, &d, 0);
    say(s, "MakeSignature(\"%s\") -> %s, signature %lu bytes", text, STATUS(st),
        (unsigned long)b[1].cbBuffer);
    if (st != SEC_E_OK) {
        rc = failed_call(s, "MakeSignature", st, false);
        goto out;
    }
    say(s, "---> signed message to the %s", strcmp(s->name, "client") == 0 ? "server" : "client");
    if (frame_send(s, 'S', 2, (struct piece[]){{data, b[0].cbBuffer}, {sig, b[1].cbBuffer}}))
        rc = DEMO_OK;
out:
    free(data);
    free(sig);
    return rc;
}

/* recv_signed - receive a signed message and VerifySignature it. */
static int recv_signed(struct side *s)
{
    struct frame f;
    SecBuffer b[2];
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    ULONG qop = 0;
    SECURITY_STATUS st;
    int rc = DEMO_FAIL;

    if (!expect_frame(s, &f, 'S', 2, &rc))
        return rc;
    b[0] = (SecBuffer){f.piece[0].len, SECBUFFER_DATA, f.piece[0].p};
    b[1] = (SecBuffer){f.piece[1].len, SECBUFFER_TOKEN, f.piece[1].p};
    st = VerifySignature(&s->ctx, &d, 0, &qop);
    say(s, "VerifySignature(%lu-byte message, %lu-byte signature) -> %s",
        (unsigned long)b[0].cbBuffer, (unsigned long)b[1].cbBuffer, STATUS(st));
    if (st == SEC_E_OK) {
        say(s, "    verified message: \"%.*s\"", (int)f.piece[0].len, (const char *)f.piece[0].p);
        rc = DEMO_OK;
    } else {
        rc = failed_call(s, "VerifySignature", st, false);
    }
    frame_free(&f);
    return rc;
}

/* send_sealed - EncryptMessage text and send trailer, data and padding;
 * forge flips one bit of the ciphertext to show that the peer refuses it. */
static int send_sealed(struct side *s, const char *text, bool forge)
{
    SecPkgContext_Sizes sizes;
    SecBuffer b[3];
    SecBufferDesc d = {SECBUFFER_VERSION, 3, b};
    size_t len = strlen(text);
    uint8_t *trailer = NULL, *data = malloc(len + 1), *pad = NULL;
    SECURITY_STATUS st;
    int rc = DEMO_FAIL;

    if (data == NULL || !query_sizes(s, &sizes, &rc))
        goto out;
    trailer = calloc(1, sizes.cbSecurityTrailer + 1u);
    pad = calloc(1, sizes.cbBlockSize + 1u);
    if (trailer == NULL || pad == NULL)
        goto out;
    memcpy(data, text, len + 1);
    b[0] = (SecBuffer){sizes.cbSecurityTrailer, SECBUFFER_TOKEN, trailer};
    b[1] = (SecBuffer){(ULONG)len, SECBUFFER_DATA, data};
    b[2] = (SecBuffer){sizes.cbBlockSize, SECBUFFER_PADDING, pad};
    st = EncryptMessage(&s->ctx, 0, &d, 0);
    say(s, "EncryptMessage(\"%s\") -> %s, trailer %lu bytes, data %lu bytes, padding %lu bytes",
        text, STATUS(st), (unsigned long)b[0].cbBuffer, (unsigned long)b[1].cbBuffer,
        (unsigned long)b[2].cbBuffer);
    if (st != SEC_E_OK) {
        rc = failed_call(s, "EncryptMessage", st, false);
        goto out;
    }
    if (b[1].cbBuffer == len)
        say(s, "    ciphertext %s the plaintext",
            memcmp(data, text, len) == 0 ? "EQUALS (not encrypted!)" : "differs from");
    if (forge && b[1].cbBuffer > 0) {
        data[0] ^= 0x01;
        say(s, "    flipping one bit of the ciphertext on purpose: the %s must refuse it",
            strcmp(s->name, "client") == 0 ? "server" : "client");
    }
    say(s, "---> sealed message to the %s", strcmp(s->name, "client") == 0 ? "server" : "client");
    if (frame_send(s, forge ? 'F' : 'E', 3,
                   (struct piece[]){{trailer, b[0].cbBuffer}, {data, b[1].cbBuffer},
                                    {pad, b[2].cbBuffer}}))
        rc = DEMO_OK;
out:
    free(trailer);
    free(data);
    free(pad);
    return rc;
}

/* recv_sealed - receive a sealed message and DecryptMessage it (in place);
 * forged: the message was tampered with and must fail with SEC_E_MESSAGE_ALTERED. */
static int recv_sealed(struct side *s, bool forged)
{
    struct frame f;
    SecBuffer b[2];
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    uint8_t *data = NULL;
    ULONG qop = 0;
    SECURITY_STATUS st;
    int rc = DEMO_FAIL;

    if (!expect_frame(s, &f, forged ? 'F' : 'E', 3, &rc))
        return rc;
    /* Padding, if any, follows the data in the same buffer. */
    data = malloc((size_t)f.piece[1].len + f.piece[2].len + 1);
    if (data == NULL)
        goto out;
    memcpy(data, f.piece[1].p, f.piece[1].len);
    memcpy(data + f.piece[1].len, f.piece[2].p, f.piece[2].len);
    b[0] = (SecBuffer){f.piece[0].len, SECBUFFER_TOKEN, f.piece[0].p};
    b[1] = (SecBuffer){f.piece[1].len + f.piece[2].len, SECBUFFER_DATA, data};
    st = DecryptMessage(&s->ctx, &d, 0, &qop);
    say(s, "DecryptMessage(%lu-byte trailer, %lu-byte data) -> %s", (unsigned long)f.piece[0].len,
        (unsigned long)(f.piece[1].len + f.piece[2].len), STATUS(st));
    if (forged) {
        if (st == SEC_E_MESSAGE_ALTERED) {
            say(s, "    tampered message refused, as it must be");
            rc = DEMO_OK;
        } else {
            say(s, "FAILED: a tampered message gave %s instead of SEC_E_MESSAGE_ALTERED",
                STATUS(st));
        }
    } else if (st == SEC_E_OK) {
        say(s, "    decrypted message: \"%.*s\"", (int)b[1].cbBuffer, (const char *)b[1].pvBuffer);
        rc = DEMO_OK;
    } else {
        rc = failed_call(s, "DecryptMessage", st, false);
    }
out:
    free(data);
    frame_free(&f);
    return rc;
}

/* complete_if_needed - CompleteAuthToken when ISC/ASC asked for it. */
static SECURITY_STATUS complete_if_needed(struct side *s, SECURITY_STATUS st, SecBufferDesc *out)
{
    SECURITY_STATUS cst;

    if (st != SEC_I_COMPLETE_NEEDED && st != SEC_I_COMPLETE_AND_CONTINUE)
        return st;
    cst = CompleteAuthToken(&s->ctx, out);
    say(s, "CompleteAuthToken -> %s", STATUS(cst));
    if (cst != SEC_E_OK)
        return cst;
    return st == SEC_I_COMPLETE_NEEDED ? SEC_E_OK : SEC_I_CONTINUE_NEEDED;
}

/* client_authenticate - the InitializeSecurityContextA loop. */
static int client_authenticate(struct side *s)
{
    const ULONG req = ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_CONNECTION | ISC_REQ_MUTUAL_AUTH
                      | ISC_REQ_INTEGRITY | ISC_REQ_CONFIDENTIALITY | ISC_REQ_REPLAY_DETECT
                      | ISC_REQ_SEQUENCE_DETECT;
    struct frame in = {0};
    SecBuffer inb, outb;
    SecBufferDesc ind = {SECBUFFER_VERSION, 1, &inb}, outd = {SECBUFFER_VERSION, 1, &outb};
    SECURITY_STATUS st, server_st = SEC_I_CONTINUE_NEEDED;
    TimeStamp expiry;
    ULONG attrs = 0;
    int call, rc = DEMO_FAIL;

    for (call = 1; call <= 10; call++) {
        bool have_in = in.buf != NULL;
        uint8_t stb[4];
        if (have_in)
            inb = (SecBuffer){in.piece[1].len, SECBUFFER_TOKEN, in.piece[1].p};
        outb = (SecBuffer){0, SECBUFFER_TOKEN, NULL};
        st = InitializeSecurityContextA(&s->cred, s->have_ctx ? &s->ctx : NULL,
                                        (SEC_CHAR *)s->o->target, req, 0, SECURITY_NATIVE_DREP,
                                        have_in ? &ind : NULL, 0, &s->ctx, &outd, &attrs, &expiry);
        if (have_in)
            say(s, "InitializeSecurityContextA #%d (input: %lu-byte token from the server) -> %s",
                call, (unsigned long)inb.cbBuffer, STATUS(st));
        else
            say(s, "InitializeSecurityContextA #%d (target \"%s\", no input) -> %s", call,
                s->o->target, STATUS(st));
        if (call == 1)
            say(s, "    requested:    %s", FLAGS((uint32_t)req, isc_req_flag_names, "ISC_REQ_"));
        frame_free(&in);
        if (FAILED(st)) {
            FreeContextBuffer(outb.pvBuffer);
            return failed_call(s, "InitializeSecurityContextA", st, call == 1);
        }
        s->have_ctx = true;
        print_token_leg(s, &outb, attrs, isc_ret_flag_names, "ISC_RET_");
        st = complete_if_needed(s, st, &outd);
        if (FAILED(st)) {
            FreeContextBuffer(outb.pvBuffer);
            return failed_call(s, "CompleteAuthToken", st, false);
        }
        if (st == SEC_E_OK && outb.cbBuffer == 0) {
            FreeContextBuffer(outb.pvBuffer);
            if (server_st != SEC_E_OK) {
                say(s, "FAILED: the client is done but the server still expects a token");
                abort_peer(s, SEC_E_INTERNAL_ERROR, false, "client done, server not");
                return DEMO_FAIL;
            }
            return DEMO_OK;
        }
        put_u32be(stb, (uint32_t)st);
        say(s, "---> %lu-byte token to the server", (unsigned long)outb.cbBuffer);
        if (!frame_send(s, 'T', 2, (struct piece[]){{stb, 4}, {outb.pvBuffer, outb.cbBuffer}})) {
            FreeContextBuffer(outb.pvBuffer);
            return DEMO_FAIL;
        }
        FreeContextBuffer(outb.pvBuffer);
        if (!expect_frame(s, &in, 'T', 2, &rc))
            return rc;
        if (in.piece[0].len != 4) {
            frame_free(&in);
            return DEMO_FAIL;
        }
        server_st = (SECURITY_STATUS)get_u32be(in.piece[0].p);
        if (st == SEC_E_OK) {
            /* The client is done; the server must be too, with nothing to add. */
            bool extra = in.piece[1].len > 0;
            frame_free(&in);
            if (server_st != SEC_E_OK || extra) {
                say(s, "FAILED: the client is done but the server %s",
                    extra ? "sent another token" : "still continues");
                return DEMO_FAIL;
            }
            return DEMO_OK;
        }
    }
    frame_free(&in);
    say(s, "FAILED: too many legs");
    return DEMO_FAIL;
}

/* server_authenticate - the AcceptSecurityContext loop. */
static int server_authenticate(struct side *s)
{
    const ULONG req = ASC_REQ_ALLOCATE_MEMORY | ASC_REQ_CONNECTION | ASC_REQ_MUTUAL_AUTH
                      | ASC_REQ_INTEGRITY | ASC_REQ_CONFIDENTIALITY | ASC_REQ_REPLAY_DETECT
                      | ASC_REQ_SEQUENCE_DETECT;
    struct frame in;
    SecBuffer inb, outb;
    SecBufferDesc ind = {SECBUFFER_VERSION, 1, &inb}, outd = {SECBUFFER_VERSION, 1, &outb};
    SECURITY_STATUS st;
    TimeStamp expiry;
    ULONG attrs = 0;
    int call, rc = DEMO_FAIL;

    for (call = 1; call <= 10; call++) {
        uint8_t stb[4];
        bool sent;
        if (!expect_frame(s, &in, 'T', 2, &rc))
            return rc;
        inb = (SecBuffer){in.piece[1].len, SECBUFFER_TOKEN, in.piece[1].p};
        outb = (SecBuffer){0, SECBUFFER_TOKEN, NULL};
        st = AcceptSecurityContext(&s->cred, s->have_ctx ? &s->ctx : NULL, &ind, req,
                                   SECURITY_NATIVE_DREP, &s->ctx, &outd, &attrs, &expiry);
        say(s, "AcceptSecurityContext #%d (input: %lu-byte token, %s) -> %s", call,
            (unsigned long)inb.cbBuffer, token_kind(inb.pvBuffer, inb.cbBuffer), STATUS(st));
        if (call == 1)
            say(s, "    requested:    %s", FLAGS((uint32_t)req, asc_req_flag_names, "ASC_REQ_"));
        frame_free(&in);
        if (FAILED(st)) {
            FreeContextBuffer(outb.pvBuffer);
            return failed_call(s, "AcceptSecurityContext", st, call == 1);
        }
        s->have_ctx = true;
        print_token_leg(s, &outb, attrs, asc_ret_flag_names, "ASC_RET_");
        st = complete_if_needed(s, st, &outd);
        if (FAILED(st)) {
            FreeContextBuffer(outb.pvBuffer);
            return failed_call(s, "CompleteAuthToken", st, false);
        }
        if (st == SEC_E_OK) {
            say(s, "authenticated.");
            print_context(s);
        }
        put_u32be(stb, (uint32_t)st);
        say(s, "---> %lu-byte token and status %s to the client", (unsigned long)outb.cbBuffer,
            status_name(st) ? status_name(st) : "?");
        sent = frame_send(s, 'T', 2, (struct piece[]){{stb, 4}, {outb.pvBuffer, outb.cbBuffer}});
        FreeContextBuffer(outb.pvBuffer);
        if (!sent)
            return DEMO_FAIL;
        if (st == SEC_E_OK)
            return DEMO_OK;
    }
    say(s, "FAILED: too many legs");
    return DEMO_FAIL;
}

static void side_cleanup(struct side *s)
{
    if (s->have_ctx)
        DeleteSecurityContext(&s->ctx);
    if (s->have_cred)
        FreeCredentialsHandle(&s->cred);
    if (s->fd >= 0)
        close(s->fd);
    s->have_ctx = s->have_cred = false;
    s->fd = -1;
}

/* client_main - the client process: credentials, authentication, messages. */
static int client_main(struct side *s, uint16_t port)
{
    const struct demo_opts *o = s->o;
    TimeStamp expiry;
    SECURITY_STATUS st;
    char portstr[8];
    struct frame f;
    int rc;

    /* The demo user lives in the NTLM user store: packages that use it get the
     * identity; others (Kerberos) use their default credentials unless --user. */
    bool with_identity = o->user_given || s->must_run;
    st = AcquireCredentialsHandleA(NULL, s->pkg->Name, SECPKG_CRED_OUTBOUND, NULL,
                                   with_identity ? (void *)&o->ident.id : NULL, NULL, NULL,
                                   &s->cred, &expiry);
    if (with_identity)
        say(s, "AcquireCredentialsHandleA(\"%s\", SECPKG_CRED_OUTBOUND, %s%s%s) -> %s",
            s->pkg->Name, o->ident.domain, o->ident.domain[0] ? "\\" : "", o->ident.user,
            STATUS(st));
    else
        say(s, "AcquireCredentialsHandleA(\"%s\", SECPKG_CRED_OUTBOUND, default credentials) -> %s",
            s->pkg->Name, STATUS(st));
    if (st != SEC_E_OK) {
        /* Connect anyway so the server does not wait for nothing. */
        snprintf(portstr, sizeof(portstr), "%u", (unsigned)port);
        s->fd = net_connect("127.0.0.1", portstr);
        return failed_call(s, "AcquireCredentialsHandleA", st, true);
    }
    s->have_cred = true;
    snprintf(portstr, sizeof(portstr), "%u", (unsigned)port);
    s->fd = net_connect("127.0.0.1", portstr);
    if (s->fd < 0)
        return DEMO_FAIL;
    net_timeout(s->fd, DEMO_TIMEOUT);
    say(s, "connected to 127.0.0.1:%u", (unsigned)port);
    rc = client_authenticate(s);
    if (rc != DEMO_OK)
        return rc;
    say(s, "authenticated.");
    print_context(s);
    rc = send_signed(s, "Hello from the client (signed)");
    if (rc == DEMO_OK)
        rc = recv_signed(s);
    if (rc == DEMO_OK)
        rc = send_sealed(s, "Secret from the client (sealed)", false);
    if (rc == DEMO_OK)
        rc = recv_sealed(s, false);
    if (rc == DEMO_OK)
        rc = send_sealed(s, "Forged by someone in the middle", true);
    if (rc == DEMO_OK && expect_frame(s, &f, 'D', 0, &rc)) {
        frame_free(&f);
        say(s, "done: authenticated, signed and sealed in both directions");
    }
    return rc;
}

/* server_acquire - server credentials, before the client starts. */
static int server_acquire(struct side *s)
{
    TimeStamp expiry;
    SECURITY_STATUS st;

    st = AcquireCredentialsHandleA(NULL, s->pkg->Name, SECPKG_CRED_INBOUND, NULL, NULL, NULL,
                                   NULL, &s->cred, &expiry);
    say(s, "AcquireCredentialsHandleA(\"%s\", SECPKG_CRED_INBOUND) -> %s", s->pkg->Name,
        STATUS(st));
    if (st != SEC_E_OK)
        return failed_call(s, "AcquireCredentialsHandleA", st, true);
    s->have_cred = true;
    return DEMO_OK;
}

/* server_main - accept one connection, authenticate, answer the messages. */
static int server_main(struct side *s, int lfd)
{
    struct pollfd p = {.fd = lfd, .events = POLLIN};
    int rc;

    if (poll(&p, 1, DEMO_TIMEOUT * 1000) != 1) {
        say(s, "FAILED: no client connected");
        return DEMO_FAIL;
    }
    s->fd = accept(lfd, NULL, NULL);
    if (s->fd < 0) {
        say(s, "FAILED: accept: %s", strerror(errno));
        return DEMO_FAIL;
    }
    net_timeout(s->fd, DEMO_TIMEOUT);
    rc = server_authenticate(s);
    if (rc == DEMO_OK)
        rc = recv_signed(s);
    if (rc == DEMO_OK)
        rc = send_signed(s, "Hello from the server (signed)");
    if (rc == DEMO_OK)
        rc = recv_sealed(s, false);
    if (rc == DEMO_OK)
        rc = send_sealed(s, "Secret from the server (sealed)", false);
    if (rc == DEMO_OK)
        rc = recv_sealed(s, true);
    if (rc == DEMO_OK && frame_send(s, 'D', 0, NULL))
        say(s, "done");
    return rc;
}

/* child_exit - leave a forked child (exit, so sanitizers check it for leaks too). */
static void child_exit(int rc)
{
    fflush(stdout);
    fflush(stderr);
    exit(rc);
}

static int wait_child(pid_t pid)
{
    int status;

    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return DEMO_FAIL;
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    fprintf(stderr, TOOL_NAME " demo: process %ld died from signal %d\n", (long)pid,
            WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    return DEMO_FAIL;
}

/* upfront_skip - packages the demo cannot run at all, with the reason. */
static const char *upfront_skip(const SecPkgInfoA *pkg)
{
    if (pkg->fCapabilities & SECPKG_FLAG_CLIENT_ONLY)
        return "client-only package: it has no server side to talk to";
    if ((pkg->fCapabilities & SECPKG_FLAG_STREAM) || strcasecmp(pkg->Name, "CredSSP") == 0
        || strcasecmp(pkg->Name, "TSSSP") == 0)
        return "TLS-based package: it needs a server certificate, which the demo does not set up";
    return NULL;
}

/* run_package - one client/server pair for one package; DEMO_* */
static int run_package(const struct demo_opts *o, const SecPkgInfoA *pkg)
{
    struct side srv = {.name = "server", .o = o, .pkg = pkg, .fd = -1};
    struct side cli = {.name = "client", .o = o, .pkg = pkg, .fd = -1};
    uint16_t port = 0;
    int lfd, ready[2], rc_s, rc_c;
    pid_t spid, cpid;
    char r = 'F';

    srv.must_run = cli.must_run = strcasecmp(pkg->Name, NTLMSP_NAME_A) == 0
                                  || strcasecmp(pkg->Name, NEGOSSP_NAME_A) == 0;
    lfd = net_listen("127.0.0.1", 0, &port);
    if (lfd < 0)
        return DEMO_FAIL;
    printf("\n== %s (%s), over TCP 127.0.0.1:%u ==\n", pkg->Name, pkg->Comment ? pkg->Comment : "",
           (unsigned)port);
    fflush(stdout);
    if (pipe(ready) != 0) {
        close(lfd);
        return DEMO_FAIL;
    }
    spid = fork();
    if (spid < 0) {
        close(lfd);
        return DEMO_FAIL;
    }
    if (spid == 0) {
        int rc;
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        close(ready[0]);
        setenv("NTLM_USER_FILE", o->user_file, 1);
        rc = server_acquire(&srv);
        r = rc == DEMO_OK ? 'R' : rc == DEMO_SKIP ? 'S' : 'F';
        if (write(ready[1], &r, 1) != 1 || rc != DEMO_OK)
            child_exit(rc);
        close(ready[1]);
        rc = server_main(&srv, lfd);
        side_cleanup(&srv);
        close(lfd);
        child_exit(rc);
    }
    close(ready[1]);
    if (read(ready[0], &r, 1) != 1)
        r = 'F';
    close(ready[0]);
    if (r != 'R') {
        close(lfd);
        rc_s = wait_child(spid);
        return rc_s == DEMO_OK ? DEMO_FAIL : rc_s;
    }
    fflush(stdout);
    cpid = fork();
    if (cpid < 0) {
        kill(spid, SIGTERM);
        wait_child(spid);
        close(lfd);
        return DEMO_FAIL;
    }
    if (cpid == 0) {
        int rc;
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        close(lfd);
        rc = client_main(&cli, port);
        side_cleanup(&cli);
        child_exit(rc);
    }
    close(lfd);
    rc_c = wait_child(cpid);
    rc_s = wait_child(spid);
    if (rc_c == DEMO_FAIL || rc_s == DEMO_FAIL || (rc_c != DEMO_OK && rc_c != DEMO_SKIP)
        || (rc_s != DEMO_OK && rc_s != DEMO_SKIP))
        return DEMO_FAIL;
    if (rc_c == DEMO_SKIP || rc_s == DEMO_SKIP)
        return (cli.must_run ? DEMO_FAIL : DEMO_SKIP);
    return DEMO_OK;
}

static char cleanup_path[256];

static void on_signal(int sig)
{
    if (cleanup_path[0] != '\0')
        unlink(cleanup_path);
    signal(sig, SIG_DFL);
    raise(sig);
}

/* random_password - 16 letters and digits from getrandom(). */
static bool random_password(char *out, size_t cap)
{
    static const char set[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    uint8_t rnd[16];
    size_t i;

    if (cap < sizeof(rnd) + 1 || getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
        return false;
    for (i = 0; i < sizeof(rnd); i++)
        out[i] = set[rnd[i] % (sizeof(set) - 1)];
    out[sizeof(rnd)] = '\0';
    wipe(rnd, sizeof(rnd));
    return true;
}

/* write_user_file - a private temporary NTLM_USER_FILE with the one demo user. */
static bool write_user_file(struct demo_opts *o)
{
    const char *dir = getenv("TMPDIR");
    FILE *f;
    int fd;

    if (dir == NULL || dir[0] == '\0')
        dir = "/tmp";
    snprintf(o->user_file, sizeof(o->user_file), "%s/sspi-demo-users-XXXXXX", dir);
    fd = mkstemp(o->user_file);
    if (fd < 0) {
        fprintf(stderr, TOOL_NAME " demo: cannot create %s: %s\n", o->user_file, strerror(errno));
        return false;
    }
    memcpy(cleanup_path, o->user_file, sizeof(cleanup_path));
    f = fdopen(fd, "w");
    if (f == NULL) {
        close(fd);
        return false;
    }
    fprintf(f, "%s:%s:%s%s\n", o->ident.domain, o->ident.user, o->ident.password,
            o->bad_password ? "-but-not-this" : "");
    return fclose(f) == 0;
}

static void demo_usage(FILE *f)
{
    fprintf(f,
            "usage: " TOOL_NAME " demo [--package NAME] [--user DOMAIN\\user --password P] [-v]\n"
            "\n"
            "Runs a client and a server process that authenticate each other over a\n"
            "loopback TCP connection with each security package, then exchange one\n"
            "signed (MakeSignature/VerifySignature) and one sealed\n"
            "(EncryptMessage/DecryptMessage) message in each direction, and show that a\n"
            "tampered message is refused. Every SSPI call is printed with its status,\n"
            "token and context flags.\n"
            "\n"
            "The server's user store is a temporary file named by NTLM_USER_FILE (lines\n"
            "DOMAIN:USER:PASSWORD) holding one user: OPENSSPI\\demo with a random\n"
            "password, or the --user/--password given. The client passes the same\n"
            "identity (SEC_WINNT_AUTH_IDENTITY_A) to AcquireCredentialsHandleA. Other\n"
            "packages (Kerberos) use their default credentials unless --user is given.\n"
            "\n"
            "options:\n"
            "  --package NAME   run only this package (default: every package)\n"
            "  --user D\\U       user to authenticate as (with --password, or $SSPI_PASSWORD)\n"
            "  --password P     its password\n"
            "  --target NAME    target name for the client (default host/localhost)\n"
            "  -v, --verbose    also print every token in base64 (for `sspi decode`)\n"
            "  --bad-password   store another password for the server, to see how a\n"
            "                   refused logon looks (the demo then fails)\n"
            "\n"
            "Packages that need infrastructure the demo lacks (a KDC, certificates) are\n"
            "skipped with the reason. Exit status 0 only if every package that could\n"
            "run succeeded.\n");
}

int cmd_demo(int argc, char **argv)
{
    struct demo_opts o = {.target = "host/localhost"};
    const char *user = NULL, *password = NULL;
    char pwbuf[32], *pw = NULL;
    PSecPkgInfoA pkgs = NULL;
    ULONG npkgs = 0, i;
    SECURITY_STATUS st;
    int failures = 0, ran = 0, rc = 1;
    int results[64];

    for (int a = 1; a < argc; a++) {
        if (is_help(argv[a])) {
            demo_usage(stdout);
            return 0;
        } else if (strcmp(argv[a], "--package") == 0 && a + 1 < argc) {
            o.only = argv[++a];
        } else if (strcmp(argv[a], "--user") == 0 && a + 1 < argc) {
            user = argv[++a];
        } else if (strcmp(argv[a], "--password") == 0 && a + 1 < argc) {
            password = argv[++a];
        } else if (strcmp(argv[a], "--target") == 0 && a + 1 < argc) {
            o.target = argv[++a];
        } else if (strcmp(argv[a], "-v") == 0 || strcmp(argv[a], "--verbose") == 0) {
            o.verbose = true;
        } else if (strcmp(argv[a], "--bad-password") == 0) {
            o.bad_password = true;
        } else {
            fprintf(stderr, TOOL_NAME " demo: unknown or incomplete option '%s'\n\n", argv[a]);
            demo_usage(stderr);
            return 2;
        }
    }
    o.user_given = user != NULL;
    if (user != NULL) {
        pw = password_from_env_or_prompt(password, user);
        if (pw == NULL) {
            fprintf(stderr, TOOL_NAME " demo: no password for %s (use --password)\n", user);
            return 2;
        }
        if (strchr(user, ':') != NULL || strchr(pw, '\n') != NULL) {
            fprintf(stderr, TOOL_NAME " demo: the user store cannot hold ':' in a user name\n");
            wipe_free(pw);
            return 2;
        }
    } else {
        if (!random_password(pwbuf, sizeof(pwbuf))) {
            fprintf(stderr, TOOL_NAME " demo: no random numbers\n");
            return 1;
        }
        user = "OPENSSPI\\demo";
    }
    if (!identity_init(&o.ident, user, pw != NULL ? pw : pwbuf)) {
        wipe_free(pw);
        return 1;
    }
    wipe_free(pw);
    wipe(pwbuf, sizeof(pwbuf));

    st = EnumerateSecurityPackagesA(&npkgs, &pkgs);
    if (st != SEC_E_OK) {
        fprintf(stderr, TOOL_NAME " demo: EnumerateSecurityPackagesA failed: %s\n", STATUS(st));
        identity_free(&o.ident);
        return 1;
    }
    if (o.only != NULL) {
        for (i = 0; i < npkgs && strcasecmp(pkgs[i].Name, o.only) != 0; i++)
            ;
        if (i == npkgs) {
            fprintf(stderr, TOOL_NAME " demo: no package named '%s' (see `" TOOL_NAME
                            " packages`)\n", o.only);
            goto out;
        }
    }
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGPIPE, SIG_IGN);
    if (!write_user_file(&o))
        goto out;

    printf("OpenSSPI demo: a client and a server process authenticate each other over\n"
           "loopback TCP, then sign and seal messages, using only the SSPI API.\n\n");
    printf("  user store    NTLM_USER_FILE=%s (one line: %s:%s:<password>)\n", o.user_file,
           o.ident.domain, o.ident.user);
    printf("  client        AcquireCredentialsHandleA with SEC_WINNT_AUTH_IDENTITY_A "
           "{ Domain \"%s\", User \"%s\", Password (%zu characters) }\n",
           o.ident.domain, o.ident.user, strlen(o.ident.password));
    printf("  target name   %s\n", o.target);
    printf("  packages      ");
    for (i = 0; i < npkgs; i++)
        printf("%s%s", i ? ", " : "", pkgs[i].Name);
    printf(" (EnumerateSecurityPackagesA)\n");
    fflush(stdout);

    for (i = 0; i < npkgs && i < 64; i++) {
        const char *why = upfront_skip(&pkgs[i]);
        results[i] = -1;
        if (o.only != NULL && strcasecmp(pkgs[i].Name, o.only) != 0)
            continue;
        if (why != NULL) {
            printf("\n== %s (%s) ==\nskipped: %s\n", pkgs[i].Name,
                   pkgs[i].Comment ? pkgs[i].Comment : "", why);
            results[i] = DEMO_SKIP;
            continue;
        }
        results[i] = run_package(&o, &pkgs[i]);
        ran++;
    }

    printf("\n== summary ==\n");
    for (i = 0; i < npkgs && i < 64; i++) {
        if (results[i] < 0)
            continue;
        printf("  %-12s %s\n", pkgs[i].Name,
               results[i] == DEMO_OK     ? "OK: authenticated, signed and sealed both ways"
               : results[i] == DEMO_SKIP ? "skipped (see above why)"
                                         : "FAILED (see above)");
        if (results[i] != DEMO_OK && results[i] != DEMO_SKIP)
            failures++;
    }
    if (ran == 0) {
        printf("  no package could run\n");
        failures++;
    }
    rc = failures == 0 ? 0 : 1;
    unlink(o.user_file);
    cleanup_path[0] = '\0';
out:
    FreeContextBuffer(pkgs);
    identity_free(&o.ident);
    return rc;
}
