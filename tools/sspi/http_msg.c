/* tools/sspi/http_msg.c - just enough HTTP/1.1 (RFC 9112) for `sspi http` and
 * `sspi serve`: read a message head, its body (Content-Length or chunked),
 * and find authentication challenges/credentials in headers. */
#include "sspi_tool.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

void http_conn_init(struct http_conn *c, int fd)
{
    c->fd = fd;
    c->start = c->end = 0;
}

/* http_fill - read more bytes into the buffer; false on EOF or error. */
static bool http_fill(struct http_conn *c)
{
    ssize_t n;

    if (c->start == c->end)
        c->start = c->end = 0;
    if (c->end == sizeof(c->buf)) {
        memmove(c->buf, c->buf + c->start, c->end - c->start);
        c->end -= c->start;
        c->start = 0;
    }
    do
        n = recv(c->fd, c->buf + c->end, sizeof(c->buf) - c->end, 0);
    while (n < 0 && errno == EINTR);
    if (n <= 0)
        return false;
    c->end += (size_t)n;
    return true;
}

static int http_getc(struct http_conn *c)
{
    if (c->start == c->end && !http_fill(c))
        return -1;
    return (unsigned char)c->buf[c->start++];
}

/* http_read_exact - n bytes into out (which may be NULL to discard). */
static bool http_read_exact(struct http_conn *c, uint8_t *out, size_t n)
{
    while (n > 0) {
        size_t k;
        if (c->start == c->end && !http_fill(c))
            return false;
        k = c->end - c->start;
        if (k > n)
            k = n;
        if (out != NULL) {
            memcpy(out, c->buf + c->start, k);
            out += k;
        }
        c->start += k;
        n -= k;
    }
    return true;
}

/* http_read_line - one line without its CR LF into line; false on EOF/too long. */
static bool http_read_line(struct http_conn *c, char *line, size_t cap)
{
    size_t n = 0;
    int ch;

    for (;;) {
        ch = http_getc(c);
        if (ch < 0)
            return false;
        if (ch == '\n')
            break;
        if (n + 1 >= cap)
            return false;
        line[n++] = (char)ch;
    }
    if (n > 0 && line[n - 1] == '\r')
        n--;
    line[n] = '\0';
    return true;
}

static char *trim(char *s)
{
    char *e;

    while (*s == ' ' || *s == '\t')
        s++;
    e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
        *--e = '\0';
    return s;
}

bool http_read_head(struct http_conn *c, struct http_head *h, bool *eof)
{
    size_t used = 0, i;
    char *line, *sp;

    *eof = false;
    memset(h->part, 0, sizeof(h->part));
    h->status = 0;
    h->nheaders = 0;
    /* Allow (and skip) empty lines before a request (RFC 9112 2.2). */
    for (;;) {
        if (!http_read_line(c, h->raw, sizeof(h->raw))) {
            *eof = c->start == c->end;
            return false;
        }
        if (h->raw[0] != '\0')
            break;
    }
    used = strlen(h->raw) + 1;
    h->start_line = h->raw;
    for (;;) {
        if (used >= sizeof(h->raw))
            return false;
        line = h->raw + used;
        if (!http_read_line(c, line, sizeof(h->raw) - used))
            return false;
        if (line[0] == '\0')
            break;
        if (line[0] == ' ' || line[0] == '\t')
            return false; /* obsolete line folding: refused */
        sp = strchr(line, ':');
        if (sp == NULL || sp == line || h->nheaders == HTTP_MAX_HEADERS)
            return false;
        used += strlen(line) + 1;
        *sp = '\0';
        h->headers[h->nheaders].name = line;
        h->headers[h->nheaders].value = trim(sp + 1);
        h->nheaders++;
    }
    /* Start line: three parts separated by single spaces; the third is the rest. */
    h->part[0] = h->raw;
    sp = strchr(h->raw, ' ');
    if (sp == NULL)
        return false;
    *sp = '\0';
    h->part[1] = sp + 1;
    sp = strchr(sp + 1, ' ');
    if (sp != NULL) {
        *sp = '\0';
        h->part[2] = sp + 1;
    } else {
        h->part[2] = "";
    }
    if (strncmp(h->part[0], "HTTP/", 5) == 0) {
        char *end;
        long st = strtol(h->part[1], &end, 10);
        if (*end != '\0' || st < 100 || st > 999)
            return false;
        h->status = (int)st;
    } else if (h->part[2][0] == '\0') {
        return false; /* request line without a version */
    }
    for (i = 0; i < h->nheaders; i++)
        if (h->headers[i].name[strcspn(h->headers[i].name, " \t")] != '\0')
            return false; /* no whitespace inside or before the colon */
    return true;
}

const char *http_header_at(const struct http_head *h, const char *name, unsigned index)
{
    size_t i;

    for (i = 0; i < h->nheaders; i++)
        if (strcasecmp(h->headers[i].name, name) == 0 && index-- == 0)
            return h->headers[i].value;
    return NULL;
}

/* next_element - the next comma-separated element of *p (outside quotes),
 * trimmed, as start/len; false at the end. */
static bool next_element(const char **p, const char **start, size_t *len)
{
    const char *s = *p, *e;
    bool quoted = false;

    while (*s == ' ' || *s == '\t' || *s == ',')
        s++;
    if (*s == '\0')
        return false;
    for (e = s; *e != '\0' && (quoted || *e != ','); e++) {
        if (*e == '"')
            quoted = !quoted;
        else if (*e == '\\' && quoted && e[1] != '\0')
            e++;
    }
    *p = e;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
    *start = s;
    *len = (size_t)(e - s);
    return true;
}

bool http_has_token(const struct http_head *h, const char *name, const char *token)
{
    const char *v, *el;
    size_t len;
    unsigned i;

    for (i = 0; (v = http_header_at(h, name, i)) != NULL; i++)
        while (next_element(&v, &el, &len))
            if (len == strlen(token) && strncasecmp(el, token, len) == 0)
                return true;
    return false;
}

bool http_find_auth(const struct http_head *h, const char *hname, const char *scheme,
                    const char **tok, size_t *toklen)
{
    size_t slen = strlen(scheme), len;
    const char *v, *el;
    unsigned i;

    for (i = 0; (v = http_header_at(h, hname, i)) != NULL; i++)
        while (next_element(&v, &el, &len)) {
            if (len < slen || strncasecmp(el, scheme, slen) != 0)
                continue;
            if (len == slen) {
                *tok = el + len;
                *toklen = 0;
                return true;
            }
            if (el[slen] != ' ')
                continue;
            *tok = el + slen;
            *toklen = len - slen;
            while (*toklen > 0 && **tok == ' ') {
                (*tok)++;
                (*toklen)--;
            }
            return true;
        }
    return false;
}

/* body_append - grow *body by n bytes read from the connection. */
static bool body_append(struct http_conn *c, uint8_t **body, size_t *len, size_t n)
{
    uint8_t *nb;

    if (n > HTTP_MAX_BODY || *len > HTTP_MAX_BODY - n)
        return false;
    nb = realloc(*body, *len + n + 1);
    if (nb == NULL)
        return false;
    *body = nb;
    if (!http_read_exact(c, nb + *len, n))
        return false;
    *len += n;
    nb[*len] = '\0';
    return true;
}

bool http_read_body(struct http_conn *c, const struct http_head *h, bool until_eof,
                    uint8_t **body, size_t *len)
{
    const char *cl = http_header_at(h, "Content-Length", 0);
    uint8_t *b = calloc(1, 1);
    size_t n = 0;
    char line[256], *end;

    if (b == NULL)
        return false;
    if (http_has_token(h, "Transfer-Encoding", "chunked")) {
        for (;;) {
            unsigned long long sz;
            if (!http_read_line(c, line, sizeof(line)))
                goto fail;
            errno = 0;
            sz = strtoull(line, &end, 16);
            if (end == line || errno != 0 || (*end != '\0' && *end != ';' && *end != ' ')
                || sz > HTTP_MAX_BODY)
                goto fail;
            if (sz == 0)
                break;
            if (!body_append(c, &b, &n, (size_t)sz) || !http_read_line(c, line, sizeof(line))
                || line[0] != '\0')
                goto fail;
        }
        do /* trailer fields, ignored, up to the empty line */
            if (!http_read_line(c, line, sizeof(line)))
                goto fail;
        while (line[0] != '\0');
    } else if (cl != NULL) {
        unsigned long long sz;
        errno = 0;
        sz = strtoull(cl, &end, 10);
        if (end == cl || *end != '\0' || errno != 0 || cl[0] == '-' || sz > HTTP_MAX_BODY)
            goto fail;
        if (!body_append(c, &b, &n, (size_t)sz))
            goto fail;
    } else if (until_eof) {
        for (;;) {
            size_t k;
            if (c->start == c->end && !http_fill(c))
                break;
            k = c->end - c->start;
            if (!body_append(c, &b, &n, k))
                goto fail;
        }
    }
    *body = b;
    *len = n;
    return true;
fail:
    free(b);
    return false;
}
