/* tools/sspi/http_client.c - `sspi http`: an HTTP/1.1 GET that answers
 * `WWW-Authenticate: NTLM` / `Negotiate` challenges the way `curl --ntlm` or a
 * Windows client does: one keep-alive connection, each 401 answered with
 * `Authorization: <scheme> <base64 token>` from InitializeSecurityContextA,
 * and for Negotiate the server's final token (on the 200) checked too.
 * Plain http:// only. The body goes to stdout; -v shows the exchange on stderr. */
#include "sspi_tool.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <signal.h>
#include <unistd.h>

#define HTTP_TIMEOUT 30
#define HTTP_MAX_ROUNDS 8

struct url {
    char host[256];     /* without brackets for IPv6 */
    char port[8];
    char hostport[300]; /* for the Host header, as written in the URL */
    const char *path;
};

struct http_client {
    struct url u;
    const char *force_scheme; /* "NTLM", "Negotiate" or NULL for the server's choice */
    const char *scheme;       /* chosen scheme, which is also the package name */
    char target[300];
    struct tool_identity ident;
    bool have_ident, verbose;
    CredHandle cred;
    CtxtHandle ctx;
    bool have_cred, have_ctx;
    SECURITY_STATUS last_isc;
    ULONG max_token;
    int isc_calls;
    int fd;
    struct http_conn conn;
};

/* parse_url - http://host[:port][/path]; false with a message otherwise. */
static bool parse_url(const char *s, struct url *u)
{
    const char *h, *end, *colon = NULL;
    size_t hl;
    char *pe;

    if (strncasecmp(s, "https://", 8) == 0) {
        fprintf(stderr, TOOL_NAME " http: https:// is not supported yet (plain http:// only)\n");
        return false;
    }
    if (strncasecmp(s, "http://", 7) != 0) {
        fprintf(stderr, TOOL_NAME " http: the URL must start with http://\n");
        return false;
    }
    h = s + 7;
    end = h + strcspn(h, "/?#");
    u->path = *end == '/' ? end : "/";
    if (*end == '?') /* "http://host?q" - the path is empty */
        u->path = end;
    if (memchr(h, '@', (size_t)(end - h)) != NULL) {
        fprintf(stderr, TOOL_NAME " http: put the user in --user, not in the URL\n");
        return false;
    }
    hl = (size_t)(end - h);
    if (hl == 0 || hl >= sizeof(u->hostport))
        goto bad;
    memcpy(u->hostport, h, hl);
    u->hostport[hl] = '\0';
    if (h[0] == '[') {
        const char *rb = memchr(h, ']', hl);
        if (rb == NULL || (size_t)(rb - h - 1) >= sizeof(u->host))
            goto bad;
        memcpy(u->host, h + 1, (size_t)(rb - h - 1));
        u->host[rb - h - 1] = '\0';
        if (rb + 1 < end) {
            if (rb[1] != ':')
                goto bad;
            colon = rb + 1;
        }
    } else {
        colon = memchr(h, ':', hl);
        hl = colon != NULL ? (size_t)(colon - h) : hl;
        if (hl == 0 || hl >= sizeof(u->host))
            goto bad;
        memcpy(u->host, h, hl);
        u->host[hl] = '\0';
    }
    if (colon != NULL) {
        long port = strtol(colon + 1, &pe, 10);
        if (pe != end || port < 1 || port > 65535)
            goto bad;
        snprintf(u->port, sizeof(u->port), "%ld", port);
    } else {
        snprintf(u->port, sizeof(u->port), "80");
    }
    return true;
bad:
    fprintf(stderr, TOOL_NAME " http: cannot parse URL '%s'\n", s);
    return false;
}

static bool client_connect(struct http_client *c)
{
    if (c->fd >= 0)
        close(c->fd);
    if (c->verbose)
        fprintf(stderr, "* connecting to %s port %s\n", c->u.host, c->u.port);
    c->fd = net_connect(c->u.host, c->u.port);
    if (c->fd < 0)
        return false;
    net_timeout(c->fd, HTTP_TIMEOUT);
    http_conn_init(&c->conn, c->fd);
    return true;
}

/* send_request - GET with an optional Authorization header value. */
static bool send_request(struct http_client *c, const char *auth)
{
    char head[1024];
    int n;
    bool ok;

    n = snprintf(head, sizeof(head),
                 "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: " TOOL_NAME "/OpenSSPI\r\n"
                 "Accept: */*\r\n",
                 c->u.path, c->u.hostport);
    if (n < 0 || (size_t)n >= sizeof(head))
        return false;
    if (c->verbose) {
        fprintf(stderr, "> GET %s HTTP/1.1\n> Host: %s\n", c->u.path, c->u.hostport);
        if (auth != NULL)
            fprintf(stderr, "> Authorization: %s\n", auth);
    }
    ok = net_write_all(c->fd, head, (size_t)n);
    if (ok && auth != NULL)
        ok = net_write_all(c->fd, "Authorization: ", 15) && net_write_all(c->fd, auth, strlen(auth))
             && net_write_all(c->fd, "\r\n", 2);
    return ok && net_write_all(c->fd, "\r\n", 2);
}

/* read_response - head and body of one response (1xx skipped). */
static bool read_response(struct http_client *c, struct http_head *h, uint8_t **body, size_t *len)
{
    bool eof;
    size_t i;

    do {
        if (!http_read_head(&c->conn, h, &eof)) {
            fprintf(stderr, TOOL_NAME " http: %s\n",
                    eof ? "the server closed the connection" : "malformed response from the server");
            return false;
        }
    } while (h->status / 100 == 1);
    if (c->verbose) {
        fprintf(stderr, "< %s %s %s\n", h->part[0], h->part[1], h->part[2]);
        for (i = 0; i < h->nheaders; i++)
            fprintf(stderr, "< %s: %s\n", h->headers[i].name, h->headers[i].value);
    }
    if (h->status == 204 || h->status == 304) {
        *body = calloc(1, 1);
        *len = 0;
        return *body != NULL;
    }
    /* A response without a length ends with the connection. */
    if (!http_read_body(&c->conn, h, true, body, len)) {
        fprintf(stderr, TOOL_NAME " http: cannot read the response body\n");
        return false;
    }
    return true;
}

static bool conn_closes(const struct http_head *h)
{
    if (http_has_token(h, "Connection", "close"))
        return true;
    return strcmp(h->part[0], "HTTP/1.0") == 0 && !http_has_token(h, "Connection", "keep-alive");
}

/* choose_scheme - the scheme to answer: the forced one if the server offers
 * it, else Negotiate when offered and available, else NTLM. */
static const char *choose_scheme(const struct http_client *c, const struct http_head *h)
{
    const char *tok;
    size_t tl;
    SecPkgInfoA *info = NULL;
    bool nego = http_find_auth(h, "WWW-Authenticate", "Negotiate", &tok, &tl);
    bool ntlm = http_find_auth(h, "WWW-Authenticate", "NTLM", &tok, &tl);

    if (c->force_scheme != NULL)
        return (strcmp(c->force_scheme, "NTLM") == 0 ? ntlm : nego) ? c->force_scheme : NULL;
    if (nego && QuerySecurityPackageInfoA((SEC_CHAR *)NEGOSSP_NAME_A, &info) == SEC_E_OK) {
        FreeContextBuffer(info);
        return "Negotiate";
    }
    return ntlm ? "NTLM" : NULL;
}

static bool acquire(struct http_client *c)
{
    SecPkgInfoA *info = NULL;
    TimeStamp expiry;
    SECURITY_STATUS st;

    st = QuerySecurityPackageInfoA((SEC_CHAR *)c->scheme, &info);
    if (st != SEC_E_OK) {
        fprintf(stderr, TOOL_NAME " http: no %s package: %s\n", c->scheme, STATUS(st));
        return false;
    }
    c->max_token = info->cbMaxToken;
    FreeContextBuffer(info);
    st = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)c->scheme, SECPKG_CRED_OUTBOUND, NULL,
                                   c->have_ident ? &c->ident.id : NULL, NULL, NULL, &c->cred,
                                   &expiry);
    if (c->verbose)
        fprintf(stderr, "* AcquireCredentialsHandleA(\"%s\", SECPKG_CRED_OUTBOUND, %s) -> %s\n",
                c->scheme, c->have_ident ? "explicit identity" : "default credentials",
                STATUS(st));
    if (st != SEC_E_OK) {
        if (!c->verbose)
            fprintf(stderr, TOOL_NAME " http: AcquireCredentialsHandleA(%s) failed: %s\n",
                    c->scheme, STATUS(st));
        return false;
    }
    c->have_cred = true;
    return true;
}

/* step - InitializeSecurityContextA with the server's token (may be empty on
 * the first call); *auth receives "Scheme base64" (malloc'd) when there is an
 * output token, else NULL. */
static bool step(struct http_client *c, const char *tok, size_t toklen, char **auth)
{
    const ULONG req = ISC_REQ_CONNECTION | ISC_REQ_MUTUAL_AUTH;
    uint8_t *in = NULL, *out = NULL;
    size_t inlen = 0;
    SecBuffer inb, outb;
    SecBufferDesc ind = {SECBUFFER_VERSION, 1, &inb}, outd = {SECBUFFER_VERSION, 1, &outb};
    TimeStamp expiry;
    ULONG attrs = 0;
    SECURITY_STATUS st;
    char *b64 = NULL;
    bool ok = false;

    *auth = NULL;
    if (toklen > 0 && !b64_decode(tok, toklen, &in, &inlen)) {
        fprintf(stderr, TOOL_NAME " http: the server's %s token is not valid base64\n", c->scheme);
        return false;
    }
    out = malloc(c->max_token);
    if (out == NULL)
        goto out;
    inb = (SecBuffer){(ULONG)inlen, SECBUFFER_TOKEN, in};
    outb = (SecBuffer){c->max_token, SECBUFFER_TOKEN, out};
    c->isc_calls++;
    st = InitializeSecurityContextA(&c->cred, c->have_ctx ? &c->ctx : NULL, (SEC_CHAR *)c->target,
                                    req, 0, SECURITY_NATIVE_DREP, in != NULL ? &ind : NULL, 0,
                                    &c->ctx, &outd, &attrs, &expiry);
    c->last_isc = st;
    if (c->verbose) {
        fprintf(stderr, "* InitializeSecurityContextA #%d (target \"%s\", input %zu bytes%s%s) -> %s\n",
                c->isc_calls, c->target, inlen, inlen ? ": " : "", inlen ? token_kind(in, inlen) : "",
                STATUS(st));
        if (!FAILED(st))
            fprintf(stderr, "*     output %lu bytes (%s), flags %s\n",
                    (unsigned long)outb.cbBuffer, token_kind(out, outb.cbBuffer),
                    FLAGS((uint32_t)attrs, isc_ret_flag_names, "ISC_RET_"));
    }
    if (FAILED(st)) {
        if (!c->verbose)
            fprintf(stderr, TOOL_NAME " http: InitializeSecurityContextA failed: %s\n", STATUS(st));
        goto out;
    }
    c->have_ctx = true;
    if (st == SEC_I_COMPLETE_NEEDED || st == SEC_I_COMPLETE_AND_CONTINUE) {
        SECURITY_STATUS cst = CompleteAuthToken(&c->ctx, &outd);
        if (cst != SEC_E_OK) {
            fprintf(stderr, TOOL_NAME " http: CompleteAuthToken failed: %s\n", STATUS(cst));
            goto out;
        }
        c->last_isc = st == SEC_I_COMPLETE_NEEDED ? SEC_E_OK : SEC_I_CONTINUE_NEEDED;
    }
    if (outb.cbBuffer > 0) {
        size_t n;
        b64 = b64_encode(out, outb.cbBuffer);
        if (b64 == NULL)
            goto out;
        n = strlen(c->scheme) + 1 + strlen(b64) + 1;
        *auth = malloc(n);
        if (*auth == NULL)
            goto out;
        snprintf(*auth, n, "%s %s", c->scheme, b64);
    }
    ok = true;
out:
    free(in);
    free(out);
    free(b64);
    return ok;
}

static void http_usage(FILE *f)
{
    fprintf(f,
            "usage: " TOOL_NAME " http [--ntlm|--negotiate] [--user DOMAIN\\user [--password P]]\n"
            "                 [--target SPN] [-v] URL\n"
            "\n"
            "HTTP/1.1 GET of URL (http:// only) that answers an NTLM or Negotiate\n"
            "challenge (WWW-Authenticate) with InitializeSecurityContextA, on one\n"
            "keep-alive connection, like `curl --ntlm`. Prints the body to stdout.\n"
            "\n"
            "options:\n"
            "  --ntlm           answer only an NTLM challenge\n"
            "  --negotiate      answer only a Negotiate challenge (SPNEGO)\n"
            "                   (default: Negotiate if offered and available, else NTLM)\n"
            "  --user D\\U       authenticate as this user (default: the package's\n"
            "                   default credentials)\n"
            "  --password P     its password (else $SSPI_PASSWORD, else a prompt)\n"
            "  --target SPN     target name for the package (default HTTP/<host>)\n"
            "  -v, --verbose    show the status line, headers and each SSPI call on stderr\n"
            "\n"
            "Exit status: 0 for HTTP 1xx-3xx, 1 for HTTP >= 400 or any error, 2 for usage.\n");
}

int cmd_http(int argc, char **argv)
{
    struct http_client c = {.fd = -1};
    const char *url = NULL, *user = NULL, *password = NULL, *target = NULL;
    struct http_head *h = malloc(sizeof(*h));
    char *auth = NULL, *pw = NULL;
    uint8_t *body = NULL;
    size_t blen = 0;
    int round, rc = 1;
    bool reconnect = false;

    if (h == NULL)
        return 1;
    for (int a = 1; a < argc; a++) {
        if (is_help(argv[a])) {
            http_usage(stdout);
            free(h);
            return 0;
        } else if (strcmp(argv[a], "--ntlm") == 0) {
            c.force_scheme = "NTLM";
        } else if (strcmp(argv[a], "--negotiate") == 0) {
            c.force_scheme = "Negotiate";
        } else if (strcmp(argv[a], "--user") == 0 && a + 1 < argc) {
            user = argv[++a];
        } else if (strcmp(argv[a], "--password") == 0 && a + 1 < argc) {
            password = argv[++a];
        } else if (strcmp(argv[a], "--target") == 0 && a + 1 < argc) {
            target = argv[++a];
        } else if (strcmp(argv[a], "-v") == 0 || strcmp(argv[a], "--verbose") == 0) {
            c.verbose = true;
        } else if (argv[a][0] != '-' && url == NULL) {
            url = argv[a];
        } else {
            fprintf(stderr, TOOL_NAME " http: unknown or incomplete option '%s'\n\n", argv[a]);
            http_usage(stderr);
            free(h);
            return 2;
        }
    }
    if (url == NULL) {
        http_usage(stderr);
        free(h);
        return 2;
    }
    if (!parse_url(url, &c.u)) {
        free(h);
        return 2;
    }
    if (user != NULL) {
        pw = password_from_env_or_prompt(password, user);
        if (pw == NULL) {
            fprintf(stderr, TOOL_NAME " http: no password for %s (use --password)\n", user);
            free(h);
            return 2;
        }
        c.have_ident = identity_init(&c.ident, user, pw);
        wipe_free(pw);
        if (!c.have_ident) {
            free(h);
            return 1;
        }
    }
    snprintf(c.target, sizeof(c.target), "%s", target != NULL ? target : "");
    if (target == NULL)
        snprintf(c.target, sizeof(c.target), "HTTP/%s", c.u.host);
    signal(SIGPIPE, SIG_IGN);
    if (!client_connect(&c))
        goto out;

    for (round = 0; round < HTTP_MAX_ROUNDS; round++) {
        const char *tok = NULL;
        size_t toklen = 0;
        bool offered;

        if (reconnect && !client_connect(&c))
            goto out;
        reconnect = false;
        free(body);
        body = NULL;
        if (!send_request(&c, auth) || !read_response(&c, h, &body, &blen))
            goto out;
        free(auth);
        auth = NULL;
        reconnect = conn_closes(h);

        if (h->status != 401 || (c.have_ctx && c.last_isc == SEC_E_OK)) {
            /* Done: success, another status, or a 401 after our last token. */
            if (h->status == 401)
                fprintf(stderr, TOOL_NAME " http: the server refused the credentials (401)\n");
            if (c.have_ctx && h->status / 100 == 2
                && http_find_auth(h, "WWW-Authenticate", c.scheme, &tok, &toklen) && toklen > 0) {
                /* Negotiate: the server's last token (mutual authentication). */
                if (!step(&c, tok, toklen, &auth))
                    goto out;
                if (c.last_isc != SEC_E_OK || auth != NULL) {
                    fprintf(stderr, TOOL_NAME " http: the server's final token did not complete "
                                    "the context\n");
                    goto out;
                }
            } else if (c.have_ctx && h->status / 100 == 2 && c.last_isc != SEC_E_OK && c.verbose) {
                fprintf(stderr, "* note: the server accepted before the client context completed\n");
            }
            if (c.verbose)
                fprintf(stderr, "* HTTP status %d\n", h->status);
            fwrite(body, 1, blen, stdout);
            fflush(stdout);
            rc = h->status >= 400 ? 1 : 0;
            goto out;
        }
        /* 401: start or continue the handshake. */
        if (c.scheme == NULL) {
            c.scheme = choose_scheme(&c, h);
            if (c.scheme == NULL) {
                fprintf(stderr, TOOL_NAME " http: the server does not offer %s authentication\n",
                        c.force_scheme != NULL ? c.force_scheme : "NTLM or Negotiate");
                fwrite(body, 1, blen, stdout);
                goto out;
            }
            if (!acquire(&c))
                goto out;
        }
        offered = http_find_auth(h, "WWW-Authenticate", c.scheme, &tok, &toklen);
        if (!offered || (c.have_ctx && toklen == 0)) {
            if (c.have_ctx)
                fprintf(stderr, TOOL_NAME " http: the server refused the credentials (401 in the "
                                "middle of the %s exchange)\n", c.scheme);
            else
                fprintf(stderr, TOOL_NAME " http: the server no longer offers %s\n", c.scheme);
            fwrite(body, 1, blen, stdout);
            goto out;
        }
        if (!step(&c, tok, toklen, &auth))
            goto out;
        if (auth == NULL) {
            fprintf(stderr, TOOL_NAME " http: the package produced no token to send\n");
            goto out;
        }
        if (reconnect && c.have_ctx && toklen > 0 && c.verbose)
            fprintf(stderr, "* warning: the server closes the connection in the middle of a "
                            "connection-based handshake\n");
    }
    fprintf(stderr, TOOL_NAME " http: too many authentication rounds\n");
out:
    free(auth);
    free(body);
    free(h);
    if (c.have_ctx)
        DeleteSecurityContext(&c.ctx);
    if (c.have_cred)
        FreeCredentialsHandle(&c.cred);
    if (c.have_ident)
        identity_free(&c.ident);
    if (c.fd >= 0)
        close(c.fd);
    return rc;
}
