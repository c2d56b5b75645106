/* tools/sspi/serve.c - `sspi serve`: a small HTTP/1.1 server that requires
 * NTLM (or Negotiate) authentication, the way IIS does it: connection-based,
 * 401 with `WWW-Authenticate` challenges, AcceptSecurityContext on each
 * `Authorization` token, and 200 `Hello, DOMAIN\user` once authenticated.
 * Single process, one connection at a time, keep-alive. Users come from the
 * package (NTLM reads the file named by NTLM_USER_FILE). */
#include "sspi_tool.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define SERVE_TIMEOUT 30

struct scheme {
    const char *name; /* HTTP scheme and package name */
    CredHandle cred;
    ULONG max_token;
    bool enabled;
};

struct server {
    struct scheme schemes[2]; /* Negotiate first (advertised first), NTLM */
    bool once, verbose;
    unsigned long served;
};

/* Authentication state of one connection. */
struct conn_auth {
    CtxtHandle ctx;
    bool have_ctx;
    struct scheme *scheme; /* scheme of the context in progress or done */
    bool authenticated;
    char user[512];
    int legs;
};

static void log_line(const char *peer, const struct http_head *req, int status, const char *what)
{
    fprintf(stderr, "[serve] %s \"%s %s\" %d %s\n", peer, req->part[0], req->part[1], status, what);
    fflush(stderr);
}

static void reset_auth(struct conn_auth *a)
{
    if (a->have_ctx)
        DeleteSecurityContext(&a->ctx);
    a->have_ctx = false;
    a->scheme = NULL;
    a->authenticated = false;
    a->user[0] = '\0';
    a->legs = 0;
}

/* send_response - status line, our headers, extra header lines (each ending
 * in CRLF, may be NULL) and the body (omitted for HEAD). */
static bool send_response(int fd, int status, const char *reason, const char *extra,
                          const char *body, bool keep_alive, bool head_only)
{
    char hdr[512];
    size_t blen = strlen(body);
    int n;

    n = snprintf(hdr, sizeof(hdr),
                 "HTTP/1.1 %d %s\r\nServer: " TOOL_NAME "-serve/OpenSSPI\r\n"
                 "Content-Type: text/plain; charset=utf-8\r\nContent-Length: %zu\r\n"
                 "Connection: %s\r\n",
                 status, reason, blen, keep_alive ? "keep-alive" : "close");
    if (n < 0 || (size_t)n >= sizeof(hdr))
        return false;
    return net_write_all(fd, hdr, (size_t)n)
           && (extra == NULL || net_write_all(fd, extra, strlen(extra)))
           && net_write_all(fd, "\r\n", 2) && (head_only || net_write_all(fd, body, blen));
}

/* challenges - the bare WWW-Authenticate lines of a first 401. */
static void challenges(const struct server *srv, char *buf, size_t cap)
{
    size_t used = 0, i;

    buf[0] = '\0';
    for (i = 0; i < 2; i++)
        if (srv->schemes[i].enabled) {
            int n = snprintf(buf + used, cap - used, "WWW-Authenticate: %s\r\n",
                             srv->schemes[i].name);
            if (n > 0 && (size_t)n < cap - used)
                used += (size_t)n;
        }
}

/* token_header - "WWW-Authenticate: Scheme base64\r\n", malloc'd. */
static char *token_header(const char *scheme, const uint8_t *tok, size_t len)
{
    char *b64 = b64_encode(tok, len), *line;
    size_t n;

    if (b64 == NULL)
        return NULL;
    n = strlen(b64) + strlen(scheme) + 32;
    line = malloc(n);
    if (line != NULL)
        snprintf(line, n, "WWW-Authenticate: %s %s\r\n", scheme, b64);
    free(b64);
    return line;
}

/* find_credentials - the first enabled scheme the request's Authorization uses. */
static struct scheme *find_credentials(struct server *srv, const struct http_head *req,
                                       const char **tok, size_t *toklen)
{
    size_t i;

    for (i = 0; i < 2; i++)
        if (srv->schemes[i].enabled
            && http_find_auth(req, "Authorization", srv->schemes[i].name, tok, toklen))
            return &srv->schemes[i];
    return NULL;
}

/* accept_step - one AcceptSecurityContext; returns the HTTP status to send
 * (401 to continue or after a failure, 200 when authenticated, 400 for a
 * malformed header) and sets *extra to the header line(s) to add (malloc'd). */
static int accept_step(struct server *srv, struct conn_auth *a, struct scheme *sc,
                       const char *tok, size_t toklen, char **extra, char *what, size_t wcap)
{
    uint8_t *in = NULL, *out = NULL;
    size_t inlen = 0;
    SecBuffer inb, outb;
    SecBufferDesc ind = {SECBUFFER_VERSION, 1, &inb}, outd = {SECBUFFER_VERSION, 1, &outb};
    const ULONG req = ASC_REQ_CONNECTION;
    SecPkgContext_NamesA names;
    TimeStamp expiry;
    ULONG attrs = 0;
    SECURITY_STATUS st;
    int status = 401;
    char ch[128];

    *extra = NULL;
    if (toklen == 0 || !b64_decode(tok, toklen, &in, &inlen)) {
        snprintf(what, wcap, "(Authorization: %s without a valid base64 token)", sc->name);
        return 400;
    }
    /* A new handshake (another scheme, or a NEGOTIATE after success) starts over. */
    if (a->have_ctx && (a->scheme != sc || a->authenticated))
        reset_auth(a);
    out = malloc(sc->max_token);
    if (out == NULL) {
        free(in);
        return 500;
    }
    inb = (SecBuffer){(ULONG)inlen, SECBUFFER_TOKEN, in};
    outb = (SecBuffer){sc->max_token, SECBUFFER_TOKEN, out};
    a->legs++;
    st = AcceptSecurityContext(&sc->cred, a->have_ctx ? &a->ctx : NULL, &ind, req,
                               SECURITY_NATIVE_DREP, &a->ctx, &outd, &attrs, &expiry);
    if (!FAILED(st)) {
        a->have_ctx = true;
        a->scheme = sc;
    }
    if (st == SEC_I_COMPLETE_NEEDED || st == SEC_I_COMPLETE_AND_CONTINUE) {
        SECURITY_STATUS cst = CompleteAuthToken(&a->ctx, &outd);
        st = cst != SEC_E_OK ? cst : st == SEC_I_COMPLETE_NEEDED ? SEC_E_OK : SEC_I_CONTINUE_NEEDED;
    }
    if (srv->verbose)
        fprintf(stderr, "[serve]   AcceptSecurityContext #%d (%s, %zu bytes: %s) -> %s, "
                        "output %lu bytes (%s), flags %s\n",
                a->legs, sc->name, inlen, token_kind(in, inlen), STATUS(st),
                FAILED(st) ? 0ul : (unsigned long)outb.cbBuffer,
                FAILED(st) ? "-" : token_kind(out, outb.cbBuffer),
                FLAGS((uint32_t)attrs, asc_ret_flag_names, "ASC_RET_"));
    if (FAILED(st)) {
        snprintf(what, wcap, "(%s: AcceptSecurityContext -> %s)", sc->name, STATUS(st));
        reset_auth(a);
        challenges(srv, ch, sizeof(ch));
        *extra = malloc(strlen(ch) + 1);
        if (*extra != NULL)
            memcpy(*extra, ch, strlen(ch) + 1);
        goto out;
    }
    if (outb.cbBuffer > 0) {
        *extra = token_header(sc->name, out, outb.cbBuffer);
        if (*extra == NULL) {
            status = 500;
            goto out;
        }
    }
    if (st == SEC_I_CONTINUE_NEEDED) {
        snprintf(what, wcap, "(%s: AcceptSecurityContext -> SEC_I_CONTINUE_NEEDED, %s)", sc->name,
                 token_kind(out, outb.cbBuffer));
        goto out;
    }
    if (st != SEC_E_OK) {
        snprintf(what, wcap, "(%s: AcceptSecurityContext -> %s: not handled)", sc->name,
                 STATUS(st));
        reset_auth(a);
        status = 500;
        goto out;
    }
    st = QueryContextAttributesA(&a->ctx, SECPKG_ATTR_NAMES, &names);
    if (st != SEC_E_OK) {
        snprintf(what, wcap, "(%s: QueryContextAttributesA(SECPKG_ATTR_NAMES) -> %s)", sc->name,
                 STATUS(st));
        reset_auth(a);
        status = 500;
        goto out;
    }
    snprintf(a->user, sizeof(a->user), "%s", names.sUserName != NULL ? names.sUserName : "");
    FreeContextBuffer(names.sUserName);
    a->authenticated = true;
    snprintf(what, wcap, "(%s: authenticated %s)", sc->name, a->user);
    status = 200;
out:
    free(in);
    free(out);
    return status;
}

/* serve_connection - requests on one connection until it closes; false when
 * --once is satisfied and the server should stop. */
static bool serve_connection(struct server *srv, int fd, const char *peer)
{
    struct http_head *req = malloc(sizeof(*req));
    struct http_conn *conn = malloc(sizeof(*conn));
    struct conn_auth a = {.have_ctx = false};
    bool keep_going = true;

    if (req == NULL || conn == NULL)
        goto out;
    http_conn_init(conn, fd);
    for (;;) {
        const char *tok = NULL;
        size_t toklen = 0, blen;
        uint8_t *body = NULL;
        struct scheme *sc;
        char *extra = NULL, what[1200], ch[128], hello[600];
        bool eof, keep_alive, head_only, ok;
        int status;

        if (!http_read_head(conn, req, &eof)) {
            if (!eof) {
                fprintf(stderr, "[serve] %s: malformed request, closing\n", peer);
                send_response(fd, 400, "Bad Request", NULL, "Bad request\n", false, false);
            }
            break;
        }
        if (req->status != 0 || !http_read_body(conn, req, false, &body, &blen)) {
            send_response(fd, 400, "Bad Request", NULL, "Bad request\n", false, false);
            break;
        }
        free(body);
        keep_alive = strcmp(req->part[2], "HTTP/1.1") == 0
                         ? !http_has_token(req, "Connection", "close")
                         : http_has_token(req, "Connection", "keep-alive");
        head_only = strcmp(req->part[0], "HEAD") == 0;
        what[0] = '\0';
        sc = find_credentials(srv, req, &tok, &toklen);
        if (sc != NULL) {
            status = accept_step(srv, &a, sc, tok, toklen, &extra, what, sizeof(what));
        } else if (a.authenticated) {
            status = 200; /* connection-based: the connection stays authenticated */
            snprintf(what, sizeof(what), "(connection already authenticated as %s)", a.user);
        } else {
            status = 401;
            challenges(srv, ch, sizeof(ch));
            extra = malloc(strlen(ch) + 1);
            if (extra != NULL)
                memcpy(extra, ch, strlen(ch) + 1);
            snprintf(what, sizeof(what), "(no credentials: challenge)");
        }
        switch (status) {
        case 200:
            snprintf(hello, sizeof(hello), "Hello, %s\n", a.user);
            ok = send_response(fd, 200, "OK", extra, hello, keep_alive, head_only);
            break;
        case 401:
            ok = send_response(fd, 401, "Unauthorized", extra, "Authentication required\n",
                               keep_alive, head_only);
            break;
        case 400:
            keep_alive = false;
            ok = send_response(fd, 400, "Bad Request", NULL, "Bad request\n", false, head_only);
            break;
        default:
            keep_alive = false;
            ok = send_response(fd, 500, "Internal Server Error", NULL, "Internal error\n", false,
                               head_only);
            break;
        }
        free(extra);
        log_line(peer, req, status, what);
        if (status == 200) {
            srv->served++;
            if (srv->once) {
                keep_going = false;
                break;
            }
        }
        if (!ok || !keep_alive)
            break;
    }
out:
    reset_auth(&a);
    free(req);
    free(conn);
    return keep_going;
}

static bool is_loopback(const char *bind_addr)
{
    struct in_addr a4;
    struct in6_addr a6;

    if (inet_pton(AF_INET, bind_addr, &a4) == 1)
        return (ntohl(a4.s_addr) >> 24) == 127;
    if (inet_pton(AF_INET6, bind_addr, &a6) == 1)
        return IN6_IS_ADDR_LOOPBACK(&a6);
    return strcmp(bind_addr, "localhost") == 0;
}

/* write_port_file - the port, written to a temporary name and renamed so a
 * reader never sees a partial file. */
static bool write_port_file(const char *path, uint16_t port)
{
    char tmp[4096];
    FILE *f;

    snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
    f = fopen(tmp, "w");
    if (f == NULL)
        return false;
    fprintf(f, "%u\n", (unsigned)port);
    if (fclose(f) != 0 || rename(tmp, path) != 0) {
        unlink(tmp);
        return false;
    }
    return true;
}

static void serve_usage(FILE *f)
{
    fprintf(f,
            "usage: " TOOL_NAME " serve [--port N] [--bind ADDR] [--negotiate] [--once]\n"
            "                  [--port-file FILE] [-v]\n"
            "\n"
            "A small HTTP/1.1 server that requires NTLM authentication (and Negotiate\n"
            "with --negotiate): it answers 401 with WWW-Authenticate challenges, runs\n"
            "AcceptSecurityContext on each Authorization token and, once the client\n"
            "is authenticated, answers 200 with \"Hello, DOMAIN\\user\". One connection\n"
            "at a time, keep-alive; a connection stays authenticated.\n"
            "\n"
            "Users come from the package: NTLM reads the file named by NTLM_USER_FILE\n"
            "(lines DOMAIN:USER:PASSWORD).\n"
            "\n"
            "options:\n"
            "  --port N          port to listen on (default 8080; 0 picks a free port)\n"
            "  --bind ADDR       address to listen on (default 127.0.0.1)\n"
            "  --negotiate       also offer and accept Negotiate (SPNEGO tokens)\n"
            "  --once            exit after the first authenticated response\n"
            "  --port-file FILE  write the port listened on to FILE\n"
            "  -v, --verbose     log each AcceptSecurityContext call\n");
}

int cmd_serve(int argc, char **argv)
{
    struct server srv = {.schemes = {{.name = "Negotiate"}, {.name = "NTLM", .enabled = true}}};
    const char *bind_addr = "127.0.0.1", *port_file = NULL;
    long port = 8080;
    uint16_t bound = 0;
    int lfd, rc = 1;
    size_t i;

    for (int a = 1; a < argc; a++) {
        if (is_help(argv[a])) {
            serve_usage(stdout);
            return 0;
        } else if (strcmp(argv[a], "--port") == 0 && a + 1 < argc) {
            char *end;
            port = strtol(argv[++a], &end, 10);
            if (*end != '\0' || end == argv[a] || port < 0 || port > 65535) {
                fprintf(stderr, TOOL_NAME " serve: bad port '%s'\n", argv[a]);
                return 2;
            }
        } else if (strcmp(argv[a], "--bind") == 0 && a + 1 < argc) {
            bind_addr = argv[++a];
        } else if (strcmp(argv[a], "--port-file") == 0 && a + 1 < argc) {
            port_file = argv[++a];
        } else if (strcmp(argv[a], "--negotiate") == 0) {
            srv.schemes[0].enabled = true;
        } else if (strcmp(argv[a], "--once") == 0) {
            srv.once = true;
        } else if (strcmp(argv[a], "-v") == 0 || strcmp(argv[a], "--verbose") == 0) {
            srv.verbose = true;
        } else {
            fprintf(stderr, TOOL_NAME " serve: unknown or incomplete option '%s'\n\n", argv[a]);
            serve_usage(stderr);
            return 2;
        }
    }
    signal(SIGPIPE, SIG_IGN);
    if (getenv("NTLM_USER_FILE") == NULL)
        fprintf(stderr, TOOL_NAME " serve: warning: NTLM_USER_FILE is not set; NTLM has no "
                        "users to accept\n");
    for (i = 0; i < 2; i++) {
        struct scheme *sc = &srv.schemes[i];
        SecPkgInfoA *info = NULL;
        TimeStamp expiry;
        SECURITY_STATUS st;
        if (!sc->enabled)
            continue;
        st = QuerySecurityPackageInfoA((SEC_CHAR *)sc->name, &info);
        if (st == SEC_E_OK) {
            sc->max_token = info->cbMaxToken;
            FreeContextBuffer(info);
            st = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)sc->name, SECPKG_CRED_INBOUND, NULL,
                                           NULL, NULL, NULL, &sc->cred, &expiry);
        }
        if (st != SEC_E_OK) {
            fprintf(stderr, TOOL_NAME " serve: cannot acquire %s server credentials: %s\n",
                    sc->name, STATUS(st));
            for (size_t j = 0; j < i; j++)
                if (srv.schemes[j].enabled)
                    FreeCredentialsHandle(&srv.schemes[j].cred);
            return 1;
        }
    }
    if (!is_loopback(bind_addr))
        fprintf(stderr, TOOL_NAME " serve: warning: listening on %s, which is not a loopback "
                        "address\n", bind_addr);
    lfd = net_listen(bind_addr, (uint16_t)port, &bound);
    if (lfd < 0)
        goto out;
    if (port_file != NULL && !write_port_file(port_file, bound)) {
        fprintf(stderr, TOOL_NAME " serve: cannot write %s: %s\n", port_file, strerror(errno));
        close(lfd);
        goto out;
    }
    fprintf(stderr, "[serve] listening on http://%s%s%s:%u/ (%s%s)%s\n",
            strchr(bind_addr, ':') ? "[" : "", bind_addr, strchr(bind_addr, ':') ? "]" : "",
            (unsigned)bound, srv.schemes[0].enabled ? "Negotiate, " : "", "NTLM",
            srv.once ? ", exiting after one authenticated response" : "");
    fflush(stderr);
    for (;;) {
        struct sockaddr_storage ss;
        socklen_t sl = sizeof(ss);
        char host[INET6_ADDRSTRLEN] = "?", peer[INET6_ADDRSTRLEN + 8];
        int fd = accept(lfd, (struct sockaddr *)&ss, &sl);
        bool more;
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            fprintf(stderr, TOOL_NAME " serve: accept: %s\n", strerror(errno));
            break;
        }
        if (ss.ss_family == AF_INET) {
            struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
            inet_ntop(AF_INET, &sin->sin_addr, host, sizeof(host));
            snprintf(peer, sizeof(peer), "%s:%u", host, (unsigned)ntohs(sin->sin_port));
        } else {
            struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
            inet_ntop(AF_INET6, &sin6->sin6_addr, host, sizeof(host));
            snprintf(peer, sizeof(peer), "[%s]:%u", host, (unsigned)ntohs(sin6->sin6_port));
        }
        net_timeout(fd, SERVE_TIMEOUT);
        more = serve_connection(&srv, fd, peer);
        close(fd);
        if (!more) {
            rc = 0;
            break;
        }
    }
    close(lfd);
out:
    for (i = 0; i < 2; i++)
        if (srv.schemes[i].enabled)
            FreeCredentialsHandle(&srv.schemes[i].cred);
    return rc;
}
