/* tests/interop/sspi_peer.c - NTLM interop peer written as portable Windows SSPI code
 * Plays the client (InitializeSecurityContext) or the server (AcceptSecurityContext)
 * of the transcript defined in tests/interop/gssntlm_peer.py, over TCP. Uses only the
 * public SSPI API (security.h), so the same file builds against Windows' secur32 (with
 * MinGW-w64) and against libopensspi; nothing here knows OpenSSPI's internals.
 *
 * Framing: a frame is a 4-byte big-endian length then that many bytes; an empty
 * frame means "the sender aborts". Transcript (I = client, A = server):
 *   H  handshake tokens, I first, until both contexts are complete
 *   V  A->I "OK " + authenticated name
 *   1  I->A wrap(MSG_I_SEAL)   2  I->A MSG_I_SIGN   3  I->A mic(MSG_I_SIGN)
 *   4  A->I wrap(MSG_A_SEAL)   5  A->I MSG_A_SIGN   6  A->I mic(MSG_A_SIGN)
 *   7  I->A "BYE"
 * Options that change only how the SSPI is called (the wire is the same): --wide (W
 * entry points), --alloc-mem, --data-first, --table (InitSecurityInterfaceA/W),
 * --unterminated (SEC_WINNT_AUTH_IDENTITY strings followed by garbage, no NUL).
 * --no-seal drops frames 1 and 4 and does not ask for confidentiality. --rounds N
 * repeats frames 1-6 N times, round r's messages being the constants followed by
 * r * 4099 bytes (byte k = (7k + r) mod 256). --corrupt WHAT flips one bit in the
 * first such frame this side sends (seal-data: last byte of the wrap token; seal-sig,
 * seal-seq: byte 4 or 12 of it; mic, mic-seq: byte 4 or 12 of the MIC); the peer must
 * refuse it. --cbt DATA passes channel bindings (SECBUFFER_CHANNEL_BINDINGS: a
 * SEC_CHANNEL_BINDINGS with application data DATA and no addresses) to every
 * InitializeSecurityContext / AcceptSecurityContext call, as gss_init/accept_sec_context
 * get them on the other side. See gssntlm_peer.py for the full definition.
 *
 * GSS-API wrap tokens versus SSPI: gss-ntlmssp's gss_wrap output is the 16-byte NTLM
 * signature followed by the sealed data. EncryptMessage takes [SECBUFFER_TOKEN of
 * SecPkgContext_Sizes.cbSecurityTrailer bytes, SECBUFFER_DATA] and fills the token
 * with the signature and seals the data in place, so the wire form is
 * token || data, and DecryptMessage gets the same two buffers back. A gss MIC is
 * exactly the MakeSignature token.
 *
 * Exit status: 0 transcript passed, 1 authentication or transcript failure,
 * 2 usage error. */

#define SECURITY_WIN32

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
typedef SOCKET sock_t;
#define close_socket closesocket
#define SEND_FLAGS 0
#else
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
typedef int sock_t;
#define INVALID_SOCKET (-1)
#define close_socket close
#define SEND_FLAGS MSG_NOSIGNAL
#endif

#include <security.h>

#define MAX_FRAME (1u << 20)

/* The transcript's constants; the same bytes as in gssntlm_peer.py. */
static const char MSG_I_SEAL[] = "OpenSSPI interop: sealed by the initiator \x00\x01\x7f\x80\xfe\xff";
static const char MSG_I_SIGN[] = "OpenSSPI interop: signed by the initiator";
static const char MSG_A_SEAL[] = "OpenSSPI interop: sealed by the acceptor \xff\xfe\x80\x7f\x01\x00";
static const char MSG_A_SIGN[] = "OpenSSPI interop: signed by the acceptor";
#define CONST_LEN(s) (sizeof(s) - 1)
#define ROUND_EXTRA 4099u
#define MAX_ROUNDS 8u

enum corruption { CORRUPT_NONE, CORRUPT_SEAL_DATA, CORRUPT_SEAL_SIG, CORRUPT_SEAL_SEQ,
                  CORRUPT_MIC, CORRUPT_MIC_SEQ };

struct opts {
    bool client;
    bool server;
    bool wide;
    bool no_seal;
    bool alloc_mem;
    bool data_first;
    bool table;
    bool unterminated;
    unsigned rounds;
    enum corruption corrupt;
    const char *host;
    unsigned port;
    const char *port_file;
    const char *user;
    const char *password;
    const char *target;
    const char *package;
    const char *expect_user;
    const char *cbt;
    unsigned timeout;
};

struct peer {
    const struct opts *o;
    const char *role;
    sock_t sock;
    CredHandle cred;
    bool have_cred;
    CtxtHandle ctx;
    bool have_ctx;
    ULONG max_token;
    SecPkgContext_Sizes sizes;
    uint8_t *cbt;     /* SEC_CHANNEL_BINDINGS + application data, or NULL */
    ULONG cbt_len;
};

struct frame {
    uint8_t *p;
    size_t len;
};

static const char *g_role = "?";

/* Every SSPI call goes through a dispatch table: by default one filled here with the
 * exported functions, with --table the ones InitSecurityInterfaceA/W return (as
 * code that loads secur32 dynamically uses them). API(f) picks the W table's entry
 * under --wide. */
static SecurityFunctionTableA g_direct_a;
static SecurityFunctionTableW g_direct_w;
static PSecurityFunctionTableA g_a = &g_direct_a;
static PSecurityFunctionTableW g_w = &g_direct_w;
static bool g_use_w;
#define API(f) (g_use_w ? g_w->f : g_a->f)

static void fill_direct_tables(void)
{
    g_direct_a.dwVersion = SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION;
    g_direct_a.AcquireCredentialsHandleA = AcquireCredentialsHandleA;
    g_direct_a.FreeCredentialsHandle = FreeCredentialsHandle;
    g_direct_a.InitializeSecurityContextA = InitializeSecurityContextA;
    g_direct_a.AcceptSecurityContext = AcceptSecurityContext;
    g_direct_a.CompleteAuthToken = CompleteAuthToken;
    g_direct_a.DeleteSecurityContext = DeleteSecurityContext;
    g_direct_a.QueryContextAttributesA = QueryContextAttributesA;
    g_direct_a.MakeSignature = MakeSignature;
    g_direct_a.VerifySignature = VerifySignature;
    g_direct_a.FreeContextBuffer = FreeContextBuffer;
    g_direct_a.QuerySecurityPackageInfoA = QuerySecurityPackageInfoA;
    g_direct_a.EncryptMessage = EncryptMessage;
    g_direct_a.DecryptMessage = DecryptMessage;
    g_direct_w.dwVersion = SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION;
    g_direct_w.AcquireCredentialsHandleW = AcquireCredentialsHandleW;
    g_direct_w.FreeCredentialsHandle = FreeCredentialsHandle;
    g_direct_w.InitializeSecurityContextW = InitializeSecurityContextW;
    g_direct_w.AcceptSecurityContext = AcceptSecurityContext;
    g_direct_w.CompleteAuthToken = CompleteAuthToken;
    g_direct_w.DeleteSecurityContext = DeleteSecurityContext;
    g_direct_w.QueryContextAttributesW = QueryContextAttributesW;
    g_direct_w.MakeSignature = MakeSignature;
    g_direct_w.VerifySignature = VerifySignature;
    g_direct_w.FreeContextBuffer = FreeContextBuffer;
    g_direct_w.QuerySecurityPackageInfoW = QuerySecurityPackageInfoW;
    g_direct_w.EncryptMessage = EncryptMessage;
    g_direct_w.DecryptMessage = DecryptMessage;
}

/* use_interface_tables - switch to InitSecurityInterfaceA/W's tables; false (and a
 * message) when one is missing or lacks an entry this program calls. */
static bool use_interface_tables(void);

static void logf_(const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 1, 2)))
#endif
    ;

static void logf_(const char *fmt, ...)
{
    va_list ap;
    fprintf(stdout, "sspi_peer[%s]: ", g_role);
    va_start(ap, fmt);
    vfprintf(stdout, fmt, ap);
    va_end(ap);
    fputc('\n', stdout);
    fflush(stdout);
}

/* status_name - the SDK name of a status this test meets, or "?". */
static const char *status_name(SECURITY_STATUS st)
{
    static const struct {
        SECURITY_STATUS st;
        const char *name;
    } names[] = {
        { SEC_E_OK, "SEC_E_OK" },
        { SEC_I_CONTINUE_NEEDED, "SEC_I_CONTINUE_NEEDED" },
        { SEC_I_COMPLETE_NEEDED, "SEC_I_COMPLETE_NEEDED" },
        { SEC_I_COMPLETE_AND_CONTINUE, "SEC_I_COMPLETE_AND_CONTINUE" },
        { SEC_E_INSUFFICIENT_MEMORY, "SEC_E_INSUFFICIENT_MEMORY" },
        { SEC_E_INVALID_HANDLE, "SEC_E_INVALID_HANDLE" },
        { SEC_E_UNSUPPORTED_FUNCTION, "SEC_E_UNSUPPORTED_FUNCTION" },
        { SEC_E_TARGET_UNKNOWN, "SEC_E_TARGET_UNKNOWN" },
        { SEC_E_INTERNAL_ERROR, "SEC_E_INTERNAL_ERROR" },
        { SEC_E_SECPKG_NOT_FOUND, "SEC_E_SECPKG_NOT_FOUND" },
        { SEC_E_INVALID_TOKEN, "SEC_E_INVALID_TOKEN" },
        { SEC_E_LOGON_DENIED, "SEC_E_LOGON_DENIED" },
        { SEC_E_NO_CREDENTIALS, "SEC_E_NO_CREDENTIALS" },
        { SEC_E_MESSAGE_ALTERED, "SEC_E_MESSAGE_ALTERED" },
        { SEC_E_OUT_OF_SEQUENCE, "SEC_E_OUT_OF_SEQUENCE" },
        { SEC_E_BUFFER_TOO_SMALL, "SEC_E_BUFFER_TOO_SMALL" },
        { SEC_E_QOP_NOT_SUPPORTED, "SEC_E_QOP_NOT_SUPPORTED" },
        { SEC_E_UNKNOWN_CREDENTIALS, "SEC_E_UNKNOWN_CREDENTIALS" },
        { SEC_E_NOT_OWNER, "SEC_E_NOT_OWNER" },
        { SEC_E_INCOMPLETE_MESSAGE, "SEC_E_INCOMPLETE_MESSAGE" },
        { SEC_E_INVALID_PARAMETER, "SEC_E_INVALID_PARAMETER" },
        { SEC_E_BAD_BINDINGS, "SEC_E_BAD_BINDINGS" },
        { SEC_E_TIME_SKEW, "SEC_E_TIME_SKEW" },
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (names[i].st == st)
            return names[i].name;
    return "?";
}

static bool sec_failed(const char *what, SECURITY_STATUS st)
{
    logf_("%s failed: 0x%08lX (%s)", what, (unsigned long)(uint32_t)st, status_name(st));
    return false;
}

static bool use_interface_tables(void)
{
    PSecurityFunctionTableA a = InitSecurityInterfaceA();
    PSecurityFunctionTableW w = InitSecurityInterfaceW();
    if (a == NULL || w == NULL) {
        logf_("InitSecurityInterface%s returned NULL", a == NULL ? "A" : "W");
        return false;
    }
    logf_("InitSecurityInterfaceA/W: dwVersion %lu / %lu", (unsigned long)a->dwVersion,
          (unsigned long)w->dwVersion);
    if (a->AcquireCredentialsHandleA == NULL || a->FreeCredentialsHandle == NULL
        || a->InitializeSecurityContextA == NULL || a->AcceptSecurityContext == NULL
        || a->CompleteAuthToken == NULL || a->DeleteSecurityContext == NULL
        || a->QueryContextAttributesA == NULL || a->MakeSignature == NULL
        || a->VerifySignature == NULL || a->FreeContextBuffer == NULL
        || a->QuerySecurityPackageInfoA == NULL || a->EncryptMessage == NULL
        || a->DecryptMessage == NULL) {
        logf_("SecurityFunctionTableA lacks an entry");
        return false;
    }
    if (w->AcquireCredentialsHandleW == NULL || w->FreeCredentialsHandle == NULL
        || w->InitializeSecurityContextW == NULL || w->AcceptSecurityContext == NULL
        || w->CompleteAuthToken == NULL || w->DeleteSecurityContext == NULL
        || w->QueryContextAttributesW == NULL || w->MakeSignature == NULL
        || w->VerifySignature == NULL || w->FreeContextBuffer == NULL
        || w->QuerySecurityPackageInfoW == NULL || w->EncryptMessage == NULL
        || w->DecryptMessage == NULL) {
        logf_("SecurityFunctionTableW lacks an entry");
        return false;
    }
    g_a = a;
    g_w = w;
    return true;
}

/* ---- UTF-8 <-> UTF-16, for the W entry points (public API only: no core helpers) ---- */

/* utf8_to_utf16 - a malloc'd, NUL-terminated UTF-16 copy of s; *n_out gets the
 * length in code units without the NUL. NULL on bad UTF-8 or no memory. */
static SEC_WCHAR *utf8_to_utf16(const char *s, size_t *n_out)
{
    size_t len = strlen(s);
    SEC_WCHAR *w = malloc((len + 1) * sizeof(*w));
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)s;
    const unsigned char *end = p + len;

    if (w == NULL)
        return NULL;
    while (p < end) {
        uint32_t cp;
        size_t extra;
        if (*p < 0x80) {
            cp = *p;
            extra = 0;
        } else if ((*p & 0xE0) == 0xC0) {
            cp = *p & 0x1F;
            extra = 1;
        } else if ((*p & 0xF0) == 0xE0) {
            cp = *p & 0x0F;
            extra = 2;
        } else if ((*p & 0xF8) == 0xF0) {
            cp = *p & 0x07;
            extra = 3;
        } else {
            goto bad;
        }
        if ((size_t)(end - p) < extra + 1)
            goto bad;
        for (size_t i = 1; i <= extra; i++) {
            if ((p[i] & 0xC0) != 0x80)
                goto bad;
            cp = (cp << 6) | (p[i] & 0x3F);
        }
        p += extra + 1;
        if (cp >= 0xD800 && cp <= 0xDFFF)
            goto bad;
        if (cp >= 0x10000) {
            if (cp > 0x10FFFF)
                goto bad;
            cp -= 0x10000;
            w[n++] = (SEC_WCHAR)(0xD800 | (cp >> 10));
            w[n++] = (SEC_WCHAR)(0xDC00 | (cp & 0x3FF));
        } else {
            w[n++] = (SEC_WCHAR)cp;
        }
    }
    w[n] = 0;
    if (n_out != NULL)
        *n_out = n;
    return w;
bad:
    free(w);
    return NULL;
}

/* utf16_to_utf8 - a malloc'd UTF-8 copy of the NUL-terminated w; lone surrogates
 * become U+FFFD. NULL on no memory. */
static char *utf16_to_utf8(const SEC_WCHAR *w)
{
    size_t n = 0;
    while (w[n] != 0)
        n++;
    char *s = malloc(n * 3 + 1);
    size_t o = 0;
    if (s == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        uint32_t cp = w[i];
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < n && w[i + 1] >= 0xDC00 && w[i + 1] <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (w[i + 1] - 0xDC00u);
            i++;
        } else if (cp >= 0xD800 && cp <= 0xDFFF) {
            cp = 0xFFFD;
        }
        if (cp < 0x80) {
            s[o++] = (char)cp;
        } else if (cp < 0x800) {
            s[o++] = (char)(0xC0 | (cp >> 6));
            s[o++] = (char)(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            s[o++] = (char)(0xE0 | (cp >> 12));
            s[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
            s[o++] = (char)(0x80 | (cp & 0x3F));
        } else {
            s[o++] = (char)(0xF0 | (cp >> 18));
            s[o++] = (char)(0x80 | ((cp >> 12) & 0x3F));
            s[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
            s[o++] = (char)(0x80 | (cp & 0x3F));
        }
    }
    s[o] = '\0';
    return s;
}

/* ---- framing ---- */

static bool send_all(sock_t s, const uint8_t *p, size_t n)
{
    while (n > 0) {
        int chunk = n > 65536 ? 65536 : (int)n;
        int r = (int)send(s, (const char *)p, chunk, SEND_FLAGS);
        if (r <= 0) {
            if (r < 0 && errno == EINTR)
                continue;
            logf_("send failed: %s", r == 0 ? "closed" : strerror(errno));
            return false;
        }
        p += r;
        n -= (size_t)r;
    }
    return true;
}

static bool recv_all(sock_t s, uint8_t *p, size_t n)
{
    while (n > 0) {
        int chunk = n > 65536 ? 65536 : (int)n;
        int r = (int)recv(s, (char *)p, chunk, 0);
        if (r <= 0) {
            if (r < 0 && errno == EINTR)
                continue;
            logf_("receive failed: %s", r == 0 ? "connection closed by peer" : strerror(errno));
            return false;
        }
        p += r;
        n -= (size_t)r;
    }
    return true;
}

static bool send_frame(struct peer *pr, const void *data, size_t len)
{
    uint8_t hdr[4] = { (uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8),
                       (uint8_t)len };
    return send_all(pr->sock, hdr, 4) && (len == 0 || send_all(pr->sock, data, len));
}

/* send_abort - tell the peer we give up (an empty frame); errors are ignored. */
static void send_abort(struct peer *pr)
{
    if (pr->sock != INVALID_SOCKET)
        (void)send_frame(pr, NULL, 0);
}

/* recv_frame - read one non-empty frame into f (malloc'd, caller frees f->p).
 * False on I/O error, oversize, or the peer's abort (empty frame). */
static bool recv_frame(struct peer *pr, struct frame *f, const char *what)
{
    uint8_t hdr[4];
    f->p = NULL;
    f->len = 0;
    if (!recv_all(pr->sock, hdr, 4))
        return false;
    uint32_t n = ((uint32_t)hdr[0] << 24) | ((uint32_t)hdr[1] << 16) | ((uint32_t)hdr[2] << 8) | hdr[3];
    if (n == 0) {
        logf_("peer aborted while we waited for %s", what);
        return false;
    }
    if (n > MAX_FRAME) {
        logf_("frame of %lu bytes too long while waiting for %s", (unsigned long)n, what);
        return false;
    }
    f->p = malloc(n);
    if (f->p == NULL)
        return false;
    f->len = n;
    if (!recv_all(pr->sock, f->p, n)) {
        free(f->p);
        f->p = NULL;
        return false;
    }
    return true;
}

/* ---- credentials and package info ---- */

static bool query_max_token(struct peer *pr)
{
    SECURITY_STATUS st;
    if (pr->o->wide) {
        PSecPkgInfoW info = NULL;
        size_t n;
        SEC_WCHAR *pkg = utf8_to_utf16(pr->o->package, &n);
        if (pkg == NULL)
            return false;
        st = g_w->QuerySecurityPackageInfoW(pkg, &info);
        free(pkg);
        if (st != SEC_E_OK)
            return sec_failed("QuerySecurityPackageInfoW", st);
        pr->max_token = info->cbMaxToken;
        API(FreeContextBuffer)(info);
    } else {
        PSecPkgInfoA info = NULL;
        st = g_a->QuerySecurityPackageInfoA((SEC_CHAR *)pr->o->package, &info);
        if (st != SEC_E_OK)
            return sec_failed("QuerySecurityPackageInfoA", st);
        pr->max_token = info->cbMaxToken;
        API(FreeContextBuffer)(info);
    }
    if (pr->max_token == 0 || pr->max_token > MAX_FRAME) {
        logf_("implausible cbMaxToken %lu", (unsigned long)pr->max_token);
        return false;
    }
    return true;
}

/* unterminated_copy - n units of p followed by four units of '#' and no NUL (NULL
 * stays NULL): SEC_WINNT_AUTH_IDENTITY strings are counted, not terminated. */
static void *unterminated_copy(const void *p, size_t n, size_t unit)
{
    uint8_t *c;
    if (p == NULL)
        return NULL;
    c = malloc((n + 4) * unit);
    if (c == NULL)
        return NULL;
    memcpy(c, p, n * unit);
    memset(c + n * unit, '#', 4 * unit);
    return c;
}

/* wipe_free - zero n bytes of p, then free it. */
static void wipe_free(void *p, size_t n)
{
    if (p != NULL) {
        volatile uint8_t *v = p;
        for (size_t i = 0; i < n; i++)
            v[i] = 0;
    }
    free(p);
}

/* acquire_cred - outbound credentials from --user/--password for the client, the
 * default inbound credentials for the server. */
static bool acquire_cred(struct peer *pr)
{
    const struct opts *o = pr->o;
    ULONG use = o->client ? SECPKG_CRED_OUTBOUND : SECPKG_CRED_INBOUND;
    SECURITY_STATUS st;
    TimeStamp expiry;
    char *domain = NULL;
    const char *user = NULL;
    bool ok = false;

    if (o->client) {
        const char *bs = strchr(o->user, '\\');
        if (bs != NULL) {
            domain = malloc((size_t)(bs - o->user) + 1);
            if (domain == NULL)
                return false;
            memcpy(domain, o->user, (size_t)(bs - o->user));
            domain[bs - o->user] = '\0';
            user = bs + 1;
        } else {
            user = o->user;
        }
    }

    if (o->wide) {
        SEC_WINNT_AUTH_IDENTITY_W id;
        SEC_WCHAR *wpkg = utf8_to_utf16(o->package, NULL);
        SEC_WCHAR *wuser = NULL, *wdom = NULL, *wpw = NULL;
        unsigned short *tu = NULL, *td = NULL, *tp = NULL; /* --unterminated copies */
        size_t nuser = 0, ndom = 0, npw = 0;
        memset(&id, 0, sizeof(id));
        if (o->client) {
            wuser = utf8_to_utf16(user, &nuser);
            wdom = domain != NULL ? utf8_to_utf16(domain, &ndom) : NULL;
            wpw = utf8_to_utf16(o->password, &npw);
            if (wuser == NULL || wpw == NULL || (domain != NULL && wdom == NULL)) {
                logf_("bad UTF-8 in --user or --password");
                goto wout;
            }
            id.User = (unsigned short *)wuser;
            id.UserLength = (unsigned long)nuser;
            id.Domain = (unsigned short *)wdom;
            id.DomainLength = (unsigned long)ndom;
            id.Password = (unsigned short *)wpw;
            id.PasswordLength = (unsigned long)npw;
            id.Flags = SEC_WINNT_AUTH_IDENTITY_UNICODE;
        }
        if (wpkg == NULL)
            goto wout;
        if (o->client && o->unterminated) {
            tu = unterminated_copy(wuser, nuser, sizeof(*wuser));
            td = unterminated_copy(wdom, ndom, sizeof(*wuser));
            tp = unterminated_copy(wpw, npw, sizeof(*wuser));
            if (tu == NULL || tp == NULL || (wdom != NULL && td == NULL))
                goto wout;
            id.User = tu;
            id.Domain = td;
            id.Password = tp;
        }
        st = g_w->AcquireCredentialsHandleW(NULL, wpkg, use, NULL, o->client ? &id : NULL, NULL,
                                            NULL, &pr->cred, &expiry);
        if (st != SEC_E_OK)
            sec_failed("AcquireCredentialsHandleW", st);
        else
            ok = true;
    wout:
        free(tu);
        free(td);
        wipe_free(tp, (npw + 4) * sizeof(*wuser));
        wipe_free(wpw, npw * sizeof(*wpw));
        free(wuser);
        free(wdom);
        free(wpkg);
    } else {
        SEC_WINNT_AUTH_IDENTITY_A id;
        unsigned char *tu = NULL, *td = NULL, *tp = NULL; /* --unterminated copies */
        memset(&id, 0, sizeof(id));
        if (o->client) {
            id.User = (unsigned char *)user;
            id.UserLength = (unsigned long)strlen(user);
            id.Domain = (unsigned char *)domain;
            id.DomainLength = domain != NULL ? (unsigned long)strlen(domain) : 0;
            id.Password = (unsigned char *)o->password;
            id.PasswordLength = (unsigned long)strlen(o->password);
            id.Flags = SEC_WINNT_AUTH_IDENTITY_ANSI;
            if (o->unterminated) {
                tu = unterminated_copy(user, id.UserLength, 1);
                td = unterminated_copy(domain, id.DomainLength, 1);
                tp = unterminated_copy(o->password, id.PasswordLength, 1);
                id.User = tu;
                id.Domain = td;
                id.Password = tp;
            }
        }
        if (o->client && o->unterminated
            && (tu == NULL || tp == NULL || (domain != NULL && td == NULL))) {
            st = SEC_E_INSUFFICIENT_MEMORY;
            sec_failed("copying the identity", st);
        } else {
            st = g_a->AcquireCredentialsHandleA(NULL, (SEC_CHAR *)o->package, use, NULL,
                                                o->client ? &id : NULL, NULL, NULL, &pr->cred, &expiry);
            if (st != SEC_E_OK)
                sec_failed("AcquireCredentialsHandleA", st);
            else
                ok = true;
        }
        free(tu);
        free(td);
        wipe_free(tp, id.PasswordLength + 4);
    }
    free(domain);
    pr->have_cred = ok;
    return ok;
}

/* ---- handshake ---- */

/* make_bindings - SEC_CHANNEL_BINDINGS with only application data (no addresses). */
static bool make_bindings(struct peer *pr, const char *data)
{
    size_t n = strlen(data);
    size_t hdr = sizeof(SEC_CHANNEL_BINDINGS);
    SEC_CHANNEL_BINDINGS b;
    if (n > 65536)
        return false;
    pr->cbt = calloc(1, hdr + n);
    if (pr->cbt == NULL)
        return false;
    memset(&b, 0, sizeof(b));
    b.cbApplicationDataLength = (ULONG)n;
    b.dwApplicationDataOffset = (ULONG)hdr;
    memcpy(pr->cbt, &b, hdr);
    memcpy(pr->cbt + hdr, data, n);
    pr->cbt_len = (ULONG)(hdr + n);
    return true;
}

static ULONG isc_flags(const struct opts *o)
{
    ULONG f = ISC_REQ_INTEGRITY | ISC_REQ_SEQUENCE_DETECT | ISC_REQ_REPLAY_DETECT
              | ISC_REQ_CONNECTION;
    if (!o->no_seal)
        f |= ISC_REQ_CONFIDENTIALITY;
    if (o->alloc_mem)
        f |= ISC_REQ_ALLOCATE_MEMORY;
    return f;
}

static ULONG asc_flags(const struct opts *o)
{
    ULONG f = ASC_REQ_INTEGRITY | ASC_REQ_SEQUENCE_DETECT | ASC_REQ_REPLAY_DETECT
              | ASC_REQ_CONNECTION;
    if (!o->no_seal)
        f |= ASC_REQ_CONFIDENTIALITY;
    if (o->alloc_mem)
        f |= ASC_REQ_ALLOCATE_MEMORY;
    return f;
}

/* step - one InitializeSecurityContext or AcceptSecurityContext call. in may be NULL
 * (first client call). Sends the output token, if any, and reports whether the
 * context is complete. False on any failure (the caller sends the abort). */
static bool step(struct peer *pr, const struct frame *in, bool *complete)
{
    const struct opts *o = pr->o;
    SecBuffer inb[3], outb[1];
    SecBufferDesc indesc, outdesc;
    SECURITY_STATUS st;
    ULONG attrs = 0;
    TimeStamp expiry;
    uint8_t *outmem = NULL;
    bool ok = false;

    if (!o->alloc_mem) {
        outmem = malloc(pr->max_token);
        if (outmem == NULL)
            return false;
    }
    outb[0].BufferType = SECBUFFER_TOKEN;
    outb[0].cbBuffer = o->alloc_mem ? 0 : pr->max_token;
    outb[0].pvBuffer = outmem;
    outdesc.ulVersion = SECBUFFER_VERSION;
    outdesc.cBuffers = 1;
    outdesc.pBuffers = outb;

    /* [TOKEN, EMPTY (for SECBUFFER_EXTRA)] when there is a token, then the bindings */
    ULONG nin = 0;
    SecBuffer *extra = NULL;
    if (in != NULL) {
        inb[nin].BufferType = SECBUFFER_TOKEN;
        inb[nin].cbBuffer = (ULONG)in->len;
        inb[nin].pvBuffer = in->p;
        nin++;
        extra = &inb[nin];
        inb[nin].BufferType = SECBUFFER_EMPTY;
        inb[nin].cbBuffer = 0;
        inb[nin].pvBuffer = NULL;
        nin++;
    }
    if (pr->cbt != NULL) {
        inb[nin].BufferType = SECBUFFER_CHANNEL_BINDINGS;
        inb[nin].cbBuffer = pr->cbt_len;
        inb[nin].pvBuffer = pr->cbt;
        nin++;
    }
    indesc.ulVersion = SECBUFFER_VERSION;
    indesc.cBuffers = nin;
    indesc.pBuffers = inb;

    const char *fn;
    if (o->client) {
        PCtxtHandle cur = pr->have_ctx ? &pr->ctx : NULL;
        if (o->wide) {
            fn = "InitializeSecurityContextW";
            SEC_WCHAR *wtarget = utf8_to_utf16(o->target, NULL);
            if (wtarget == NULL)
                goto out;
            st = g_w->InitializeSecurityContextW(&pr->cred, cur, wtarget, isc_flags(o), 0,
                                            SECURITY_NATIVE_DREP, nin != 0 ? &indesc : NULL, 0,
                                            &pr->ctx, &outdesc, &attrs, &expiry);
            free(wtarget);
        } else {
            fn = "InitializeSecurityContextA";
            st = g_a->InitializeSecurityContextA(&pr->cred, cur, (SEC_CHAR *)o->target, isc_flags(o),
                                            0, SECURITY_NATIVE_DREP, nin != 0 ? &indesc : NULL,
                                            0, &pr->ctx, &outdesc, &attrs, &expiry);
        }
    } else {
        fn = "AcceptSecurityContext";
        st = API(AcceptSecurityContext)(&pr->cred, pr->have_ctx ? &pr->ctx : NULL, &indesc,
                                   asc_flags(o), SECURITY_NATIVE_DREP, &pr->ctx, &outdesc, &attrs,
                                   &expiry);
    }

    if (st != SEC_E_OK && st != SEC_I_CONTINUE_NEEDED && st != SEC_I_COMPLETE_NEEDED
        && st != SEC_I_COMPLETE_AND_CONTINUE) {
        sec_failed(fn, st);
        goto out;
    }
    pr->have_ctx = true;
    if (extra != NULL && extra->BufferType == SECBUFFER_EXTRA && extra->cbBuffer != 0) {
        logf_("%s left %lu unexpected SECBUFFER_EXTRA bytes", fn, (unsigned long)extra->cbBuffer);
        goto out;
    }
    if (st == SEC_I_COMPLETE_NEEDED || st == SEC_I_COMPLETE_AND_CONTINUE) {
        SECURITY_STATUS cst = API(CompleteAuthToken)(&pr->ctx, &outdesc);
        if (cst != SEC_E_OK) {
            sec_failed("CompleteAuthToken", cst);
            goto out;
        }
    }
    if (outb[0].cbBuffer != 0) {
        if (outb[0].pvBuffer == NULL) {
            logf_("%s returned a %lu-byte token with no buffer", fn, (unsigned long)outb[0].cbBuffer);
            goto out;
        }
        if (!send_frame(pr, outb[0].pvBuffer, outb[0].cbBuffer))
            goto out;
    }
    *complete = (st == SEC_E_OK || st == SEC_I_COMPLETE_NEEDED);
    if (*complete) {
        ULONG want = o->client ? ISC_RET_INTEGRITY : ASC_RET_INTEGRITY;
        if (!o->no_seal)
            want |= o->client ? ISC_RET_CONFIDENTIALITY : ASC_RET_CONFIDENTIALITY;
        logf_("%s complete, context attributes 0x%08lX", fn, (unsigned long)attrs);
        if ((attrs & want) != want) {
            logf_("context lacks requested attributes 0x%08lX", (unsigned long)(want & ~attrs));
            goto out;
        }
    }
    ok = true;
out:
    if (o->alloc_mem) {
        if (outb[0].pvBuffer != NULL)
            API(FreeContextBuffer)(outb[0].pvBuffer);
    } else {
        free(outmem);
    }
    return ok;
}

/* query_names - the context's user name (SECPKG_ATTR_NAMES) as malloc'd UTF-8. */
static char *query_names(struct peer *pr)
{
    SECURITY_STATUS st;
    char *name = NULL;
    if (pr->o->wide) {
        SecPkgContext_NamesW names;
        names.sUserName = NULL;
        st = g_w->QueryContextAttributesW(&pr->ctx, SECPKG_ATTR_NAMES, &names);
        if (st != SEC_E_OK) {
            sec_failed("QueryContextAttributesW(SECPKG_ATTR_NAMES)", st);
            return NULL;
        }
        if (names.sUserName != NULL) {
            name = utf16_to_utf8(names.sUserName);
            API(FreeContextBuffer)(names.sUserName);
        }
    } else {
        SecPkgContext_NamesA names;
        names.sUserName = NULL;
        st = g_a->QueryContextAttributesA(&pr->ctx, SECPKG_ATTR_NAMES, &names);
        if (st != SEC_E_OK) {
            sec_failed("QueryContextAttributesA(SECPKG_ATTR_NAMES)", st);
            return NULL;
        }
        if (names.sUserName != NULL) {
            name = strdup(names.sUserName);
            API(FreeContextBuffer)(names.sUserName);
        }
    }
    if (name == NULL)
        logf_("SECPKG_ATTR_NAMES gave no user name");
    return name;
}

static bool query_sizes(struct peer *pr)
{
    SECURITY_STATUS st;
    if (pr->o->wide)
        st = g_w->QueryContextAttributesW(&pr->ctx, SECPKG_ATTR_SIZES, &pr->sizes);
    else
        st = g_a->QueryContextAttributesA(&pr->ctx, SECPKG_ATTR_SIZES, &pr->sizes);
    if (st != SEC_E_OK)
        return sec_failed("QueryContextAttributes(SECPKG_ATTR_SIZES)", st);
    logf_("sizes: cbMaxToken %lu cbMaxSignature %lu cbBlockSize %lu cbSecurityTrailer %lu",
          (unsigned long)pr->sizes.cbMaxToken, (unsigned long)pr->sizes.cbMaxSignature,
          (unsigned long)pr->sizes.cbBlockSize, (unsigned long)pr->sizes.cbSecurityTrailer);
    if (pr->sizes.cbMaxSignature != 16 || pr->sizes.cbSecurityTrailer != 16) {
        logf_("NTLM signatures are 16 bytes: cbMaxSignature and cbSecurityTrailer must be 16");
        return false;
    }
    return true;
}

/* ---- message protection: gss forms <-> SSPI buffers ---- */

/* set_bufs - a two-buffer descriptor holding a token and data buffer, in the order
 * --data-first selects (SSPI matches buffers by type, not position). */
static void set_bufs(const struct opts *o, SecBufferDesc *d, SecBuffer b[2], void *tok,
                     ULONG toklen, void *data, ULONG datalen)
{
    SecBuffer *t = o->data_first ? &b[1] : &b[0];
    SecBuffer *m = o->data_first ? &b[0] : &b[1];
    t->BufferType = SECBUFFER_TOKEN;
    t->cbBuffer = toklen;
    t->pvBuffer = tok;
    m->BufferType = SECBUFFER_DATA;
    m->cbBuffer = datalen;
    m->pvBuffer = data;
    d->ulVersion = SECBUFFER_VERSION;
    d->cBuffers = 2;
    d->pBuffers = b;
}

/* round_message - round r's form of a transcript constant (malloc'd; *len set). */
static uint8_t *round_message(const char *base, size_t baselen, unsigned r, size_t *len)
{
    size_t extra = (size_t)r * ROUND_EXTRA;
    uint8_t *m = malloc(baselen + extra);
    if (m == NULL)
        return NULL;
    memcpy(m, base, baselen);
    for (size_t k = 0; k < extra; k++)
        m[baselen + k] = (uint8_t)((7 * k + r) & 0xFF);
    *len = baselen + extra;
    return m;
}

/* maybe_corrupt - flip a bit of a token about to be sent if --corrupt asks for it. */
static void maybe_corrupt(struct peer *pr, bool seal, unsigned r, uint8_t *tok, size_t len)
{
    enum corruption c = pr->o->corrupt;
    size_t pos;
    if (r != 0 || c == CORRUPT_NONE || len == 0)
        return;
    if (seal && c == CORRUPT_SEAL_DATA)
        pos = len - 1;
    else if ((seal && c == CORRUPT_SEAL_SIG) || (!seal && c == CORRUPT_MIC))
        pos = 4;
    else if ((seal && c == CORRUPT_SEAL_SEQ) || (!seal && c == CORRUPT_MIC_SEQ))
        pos = 12;
    else
        return;
    pos %= len;
    logf_("corrupting byte %lu of the %s token", (unsigned long)pos, seal ? "seal" : "mic");
    tok[pos] ^= 1;
}

/* send_wrap - EncryptMessage(msg) and send it as a gss wrap token: signature || data. */
static bool send_wrap(struct peer *pr, const uint8_t *msg, size_t len, unsigned r)
{
    ULONG trailer = pr->sizes.cbSecurityTrailer;
    uint8_t *buf = malloc(trailer + len);
    SecBuffer b[2];
    SecBufferDesc d;
    bool ok = false;
    if (buf == NULL)
        return false;
    memcpy(buf + trailer, msg, len);
    set_bufs(pr->o, &d, b, buf, trailer, buf + trailer, (ULONG)len);
    SECURITY_STATUS st = API(EncryptMessage)(&pr->ctx, 0, &d, 0);
    if (st != SEC_E_OK) {
        sec_failed("EncryptMessage", st);
        goto out;
    }
    SecBuffer *t = pr->o->data_first ? &b[1] : &b[0];
    SecBuffer *m = pr->o->data_first ? &b[0] : &b[1];
    if (t->cbBuffer != 16 || m->cbBuffer != len || t->pvBuffer != buf
        || m->pvBuffer != buf + trailer) {
        logf_("EncryptMessage returned token %lu bytes, data %lu bytes; expected 16 and %lu",
              (unsigned long)t->cbBuffer, (unsigned long)m->cbBuffer, (unsigned long)len);
        goto out;
    }
    if (memcmp(buf + trailer, msg, len) == 0) {
        logf_("EncryptMessage left the data in clear");
        goto out;
    }
    maybe_corrupt(pr, true, r, buf, 16 + len);
    ok = send_frame(pr, buf, 16 + len);
out:
    free(buf);
    return ok;
}

/* recv_unwrap - receive a gss wrap token, DecryptMessage it, compare with expected. */
static bool recv_unwrap(struct peer *pr, const uint8_t *expected, size_t len)
{
    struct frame f;
    SecBuffer b[2];
    SecBufferDesc d;
    ULONG qop = 0;
    bool ok = false;
    if (!recv_frame(pr, &f, "sealed message"))
        return false;
    if (f.len < 16) {
        logf_("wrap token of %lu bytes is shorter than a signature", (unsigned long)f.len);
        goto out;
    }
    set_bufs(pr->o, &d, b, f.p, 16, f.p + 16, (ULONG)(f.len - 16));
    SECURITY_STATUS st = API(DecryptMessage)(&pr->ctx, &d, 0, &qop);
    if (st != SEC_E_OK) {
        sec_failed("DecryptMessage", st);
        goto out;
    }
    SecBuffer *m = pr->o->data_first ? &b[0] : &b[1];
    if (m->cbBuffer != len || memcmp(m->pvBuffer, expected, len) != 0) {
        logf_("DecryptMessage gave %lu bytes that differ from the expected %lu",
              (unsigned long)m->cbBuffer, (unsigned long)len);
        goto out;
    }
#ifdef SECQOP_WRAP_NO_ENCRYPT
    if (qop == SECQOP_WRAP_NO_ENCRYPT) {
        logf_("DecryptMessage says the message was not encrypted");
        goto out;
    }
#endif
    ok = true;
out:
    free(f.p);
    return ok;
}

/* send_signed - send msg then its MakeSignature token (the gss MIC). */
static bool send_signed(struct peer *pr, const uint8_t *msg, size_t len, unsigned r)
{
    uint8_t sig[64];
    uint8_t *data = malloc(len);
    SecBuffer b[2];
    SecBufferDesc d;
    bool ok = false;
    if (data == NULL)
        return false;
    memcpy(data, msg, len);
    if (pr->sizes.cbMaxSignature > sizeof(sig))
        goto out;
    set_bufs(pr->o, &d, b, sig, pr->sizes.cbMaxSignature, data, (ULONG)len);
    SECURITY_STATUS st = API(MakeSignature)(&pr->ctx, 0, &d, 0);
    if (st != SEC_E_OK) {
        sec_failed("MakeSignature", st);
        goto out;
    }
    SecBuffer *t = pr->o->data_first ? &b[1] : &b[0];
    if (t->cbBuffer != 16) {
        logf_("MakeSignature returned a %lu-byte signature", (unsigned long)t->cbBuffer);
        goto out;
    }
    if (memcmp(data, msg, len) != 0) {
        logf_("MakeSignature changed the data");
        goto out;
    }
    maybe_corrupt(pr, false, r, sig, 16);
    ok = send_frame(pr, data, len) && send_frame(pr, sig, 16);
out:
    free(data);
    return ok;
}

/* recv_signed - receive a message and its MIC, check both. */
static bool recv_signed(struct peer *pr, const uint8_t *expected, size_t len)
{
    struct frame msg, mic;
    SecBuffer b[2];
    SecBufferDesc d;
    ULONG qop = 0;
    bool ok = false;
    if (!recv_frame(pr, &msg, "signed message"))
        return false;
    if (!recv_frame(pr, &mic, "MIC")) {
        free(msg.p);
        return false;
    }
    if (msg.len != len || memcmp(msg.p, expected, len) != 0) {
        logf_("signed message differs from the expected one");
        goto out;
    }
    set_bufs(pr->o, &d, b, mic.p, (ULONG)mic.len, msg.p, (ULONG)msg.len);
    SECURITY_STATUS st = API(VerifySignature)(&pr->ctx, &d, 0, &qop);
    if (st != SEC_E_OK) {
        sec_failed("VerifySignature", st);
        goto out;
    }
    ok = true;
out:
    free(msg.p);
    free(mic.p);
    return ok;
}

/* ---- the two roles ---- */

/* exchange - frames 1-6 of every round, in the order of our role. */
static bool exchange(struct peer *pr)
{
    const bool seal = !pr->o->no_seal;
    for (unsigned r = 0; r < pr->o->rounds; r++) {
        size_t n[4] = { 0, 0, 0, 0 };
        uint8_t *m[4] = {
            round_message(MSG_I_SEAL, CONST_LEN(MSG_I_SEAL), r, &n[0]),
            round_message(MSG_I_SIGN, CONST_LEN(MSG_I_SIGN), r, &n[1]),
            round_message(MSG_A_SEAL, CONST_LEN(MSG_A_SEAL), r, &n[2]),
            round_message(MSG_A_SIGN, CONST_LEN(MSG_A_SIGN), r, &n[3]),
        };
        bool ok = m[0] != NULL && m[1] != NULL && m[2] != NULL && m[3] != NULL;
        if (ok && pr->o->client) {
            ok = (!seal || send_wrap(pr, m[0], n[0], r)) && send_signed(pr, m[1], n[1], r)
                 && (!seal || recv_unwrap(pr, m[2], n[2])) && recv_signed(pr, m[3], n[3]);
        } else if (ok) {
            ok = (!seal || recv_unwrap(pr, m[0], n[0])) && recv_signed(pr, m[1], n[1])
                 && (!seal || send_wrap(pr, m[2], n[2], r)) && send_signed(pr, m[3], n[3], r);
        }
        for (int i = 0; i < 4; i++)
            free(m[i]);
        if (!ok) {
            logf_("round %u failed", r);
            return false;
        }
    }
    return true;
}

static bool run_client(struct peer *pr)
{
    bool complete = false;
    struct frame f = { NULL, 0 };

    if (!step(pr, NULL, &complete))
        return false;
    while (!complete) {
        bool ok;
        if (!recv_frame(pr, &f, "handshake token"))
            return false;
        ok = step(pr, &f, &complete);
        free(f.p);
        if (!ok)
            return false;
    }
    char *me = query_names(pr);
    if (me != NULL) {
        logf_("client context user name: %s", me);
        free(me);
    }
    if (!recv_frame(pr, &f, "verdict"))
        return false;
    if (f.len < 3 || memcmp(f.p, "OK ", 3) != 0) {
        logf_("bad verdict from the server");
        free(f.p);
        return false;
    }
    logf_("accepted as %.*s", (int)(f.len - 3), (const char *)f.p + 3);
    free(f.p);
    if (!query_sizes(pr))
        return false;
    if (!exchange(pr))
        return false;
    if (!send_frame(pr, "BYE", 3))
        return false;
    logf_("transcript complete");
    return true;
}

static bool names_equal(const char *a, const char *b)
{
    for (; *a != '\0' && *b != '\0'; a++, b++) {
        char x = (*a >= 'A' && *a <= 'Z') ? (char)(*a - 'A' + 'a') : *a;
        char y = (*b >= 'A' && *b <= 'Z') ? (char)(*b - 'A' + 'a') : *b;
        if (x != y)
            return false;
    }
    return *a == *b;
}

static bool run_server(struct peer *pr)
{
    bool complete = false;
    struct frame f = { NULL, 0 };
    bool ok = false;
    char *user = NULL;
    char *verdict = NULL;

    while (!complete) {
        bool sok;
        if (!recv_frame(pr, &f, "handshake token"))
            return false;
        sok = step(pr, &f, &complete);
        free(f.p);
        if (!sok)
            return false;
    }
    user = query_names(pr);
    if (user == NULL)
        return false;
    logf_("authenticated: %s", user);
    if (pr->o->expect_user != NULL && !names_equal(user, pr->o->expect_user)) {
        logf_("expected user %s", pr->o->expect_user);
        goto out;
    }
    size_t ulen = strlen(user);
    verdict = malloc(ulen + 3);
    if (verdict == NULL)
        goto out;
    memcpy(verdict, "OK ", 3);
    memcpy(verdict + 3, user, ulen);
    if (!send_frame(pr, verdict, ulen + 3))
        goto out;
    if (!query_sizes(pr))
        goto out;
    if (!exchange(pr))
        goto out;
    if (!recv_frame(pr, &f, "BYE"))
        goto out;
    if (f.len != 3 || memcmp(f.p, "BYE", 3) != 0) {
        logf_("expected BYE");
        free(f.p);
        goto out;
    }
    free(f.p);
    logf_("transcript complete");
    ok = true;
out:
    free(verdict);
    free(user);
    return ok;
}

/* ---- sockets ---- */

static void set_timeouts(sock_t s, unsigned seconds)
{
#ifdef _WIN32
    DWORD ms = seconds * 1000;
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (const char *)&ms, sizeof(ms));
    setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, (const char *)&ms, sizeof(ms));
#else
    struct timeval tv = { (time_t)seconds, 0 };
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
#endif
}

static bool fill_addr(const struct opts *o, unsigned port, struct sockaddr_in *sa)
{
    memset(sa, 0, sizeof(*sa));
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, o->host, &sa->sin_addr) != 1) {
        logf_("--host must be an IPv4 address: %s", o->host);
        return false;
    }
    return true;
}

static bool write_port_file(const char *path, unsigned port)
{
    size_t n = strlen(path);
    char *tmp = malloc(n + 5);
    FILE *fp;
    bool ok = false;
    if (tmp == NULL)
        return false;
    memcpy(tmp, path, n);
    memcpy(tmp + n, ".tmp", 5);
    fp = fopen(tmp, "w");
    if (fp != NULL) {
        ok = fprintf(fp, "%u\n", port) > 0;
        ok = (fclose(fp) == 0) && ok;
        ok = ok && rename(tmp, path) == 0;
    }
    if (!ok)
        logf_("cannot write port file %s", path);
    free(tmp);
    return ok;
}

static sock_t connect_to(const struct opts *o)
{
    struct sockaddr_in sa;
    sock_t s;
    if (!fill_addr(o, o->port, &sa))
        return INVALID_SOCKET;
    s = socket(AF_INET, SOCK_STREAM, 0);
    if (s == INVALID_SOCKET)
        return INVALID_SOCKET;
    set_timeouts(s, o->timeout);
    if (connect(s, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
        logf_("cannot connect to %s:%u: %s", o->host, o->port, strerror(errno));
        close_socket(s);
        return INVALID_SOCKET;
    }
    return s;
}

static sock_t accept_one(const struct opts *o)
{
    struct sockaddr_in sa;
    socklen_t salen = sizeof(sa);
    sock_t ls, s = INVALID_SOCKET;
    int one = 1;
    if (!fill_addr(o, o->port, &sa))
        return INVALID_SOCKET;
    ls = socket(AF_INET, SOCK_STREAM, 0);
    if (ls == INVALID_SOCKET)
        return INVALID_SOCKET;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, (const char *)&one, sizeof(one));
    if (bind(ls, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(ls, 1) != 0) {
        logf_("cannot listen on %s:%u: %s", o->host, o->port, strerror(errno));
        goto out;
    }
    if (getsockname(ls, (struct sockaddr *)&sa, &salen) != 0)
        goto out;
    unsigned port = ntohs(sa.sin_port);
    if (o->port_file != NULL && !write_port_file(o->port_file, port))
        goto out;
    logf_("listening on %s:%u", o->host, port);
    set_timeouts(ls, o->timeout);
    s = accept(ls, NULL, NULL);
    if (s == INVALID_SOCKET)
        logf_("accept failed: %s", strerror(errno));
    else
        set_timeouts(s, o->timeout);
out:
    close_socket(ls);
    return s;
}

/* ---- main ---- */

static void usage(void)
{
    fprintf(stderr,
            "usage: sspi_peer --client --port N --user DOMAIN\\\\user --password PW [options]\n"
            "       sspi_peer --server [--port N] [--port-file F] [--expect-user DOMAIN\\\\user] [options]\n"
            "options: --host A.B.C.D (127.0.0.1)  --target SPN (host/localhost)\n"
            "         --package NAME (NTLM)  --wide (W functions)  --no-seal\n"
            "         --alloc-mem (ISC/ASC_REQ_ALLOCATE_MEMORY)  --data-first (DATA before TOKEN)\n"
            "         --table (call through InitSecurityInterfaceA/W's tables)\n"
            "         --unterminated (identity strings counted, not NUL-terminated)\n"
            "         --cbt DATA (channel bindings application data)\n"
            "         --rounds N (1)  --corrupt seal-data|seal-sig|seal-seq|mic|mic-seq\n"
            "         --timeout SECONDS (30)\n");
    exit(2);
}

static unsigned parse_uint(const char *s, unsigned max)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v > max)
        usage();
    return (unsigned)v;
}

int main(int argc, char **argv)
{
    struct opts o = { .host = "127.0.0.1", .target = "host/localhost", .package = "NTLM",
                      .timeout = 30, .rounds = 1 };
    struct peer pr;
    bool ok = false;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define TAKE(field)            \
    do {                       \
        if (v == NULL)         \
            usage();           \
        o.field = v;           \
        i++;                   \
    } while (0)
        if (strcmp(a, "--client") == 0)
            o.client = true;
        else if (strcmp(a, "--server") == 0)
            o.server = true;
        else if (strcmp(a, "--wide") == 0)
            o.wide = true;
        else if (strcmp(a, "--no-seal") == 0)
            o.no_seal = true;
        else if (strcmp(a, "--alloc-mem") == 0)
            o.alloc_mem = true;
        else if (strcmp(a, "--data-first") == 0)
            o.data_first = true;
        else if (strcmp(a, "--table") == 0)
            o.table = true;
        else if (strcmp(a, "--unterminated") == 0)
            o.unterminated = true;
        else if (strcmp(a, "--host") == 0)
            TAKE(host);
        else if (strcmp(a, "--port-file") == 0)
            TAKE(port_file);
        else if (strcmp(a, "--user") == 0)
            TAKE(user);
        else if (strcmp(a, "--password") == 0)
            TAKE(password);
        else if (strcmp(a, "--target") == 0)
            TAKE(target);
        else if (strcmp(a, "--package") == 0)
            TAKE(package);
        else if (strcmp(a, "--expect-user") == 0)
            TAKE(expect_user);
        else if (strcmp(a, "--cbt") == 0)
            TAKE(cbt);
        else if (strcmp(a, "--port") == 0 && v != NULL) {
            o.port = parse_uint(v, 65535);
            i++;
        } else if (strcmp(a, "--rounds") == 0 && v != NULL) {
            o.rounds = parse_uint(v, MAX_ROUNDS);
            i++;
        } else if (strcmp(a, "--corrupt") == 0 && v != NULL) {
            static const char *const kinds[] = { "seal-data", "seal-sig", "seal-seq", "mic",
                                                 "mic-seq" };
            o.corrupt = CORRUPT_NONE;
            for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
                if (strcmp(v, kinds[k]) == 0)
                    o.corrupt = (enum corruption)(CORRUPT_SEAL_DATA + k);
            if (o.corrupt == CORRUPT_NONE)
                usage();
            i++;
        } else if (strcmp(a, "--timeout") == 0 && v != NULL) {
            o.timeout = parse_uint(v, 3600);
            i++;
        } else
            usage();
#undef TAKE
    }
    if (o.client == o.server || o.rounds == 0)
        usage();
    if (o.no_seal && o.corrupt >= CORRUPT_SEAL_DATA && o.corrupt <= CORRUPT_SEAL_SEQ)
        usage();
    if (o.client && (o.port == 0 || o.user == NULL || o.password == NULL))
        usage();
    g_role = o.client ? "client" : "server";
    g_use_w = o.wide;
    fill_direct_tables();

#ifdef _WIN32
    WSADATA wsa;
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
        return 1;
#else
    signal(SIGPIPE, SIG_IGN);
#endif

    memset(&pr, 0, sizeof(pr));
    pr.o = &o;
    pr.role = g_role;
    pr.sock = INVALID_SOCKET;

    if (o.table && !use_interface_tables())
        goto out;
    if (o.cbt != NULL && !make_bindings(&pr, o.cbt))
        goto out;
    if (!query_max_token(&pr) || !acquire_cred(&pr))
        goto out;
    pr.sock = o.client ? connect_to(&o) : accept_one(&o);
    if (pr.sock == INVALID_SOCKET)
        goto out;
    ok = o.client ? run_client(&pr) : run_server(&pr);
    if (!ok)
        send_abort(&pr);
out:
    if (pr.have_ctx) {
        SECURITY_STATUS st = API(DeleteSecurityContext)(&pr.ctx);
        if (st != SEC_E_OK) {
            sec_failed("DeleteSecurityContext", st);
            ok = false;
        }
    }
    if (pr.have_cred) {
        SECURITY_STATUS st = API(FreeCredentialsHandle)(&pr.cred);
        if (st != SEC_E_OK) {
            sec_failed("FreeCredentialsHandle", st);
            ok = false;
        }
    }
    if (pr.sock != INVALID_SOCKET)
        close_socket(pr.sock);
    free(pr.cbt);
    if (!ok)
        logf_("FAILED");
    return ok ? 0 : 1;
}
