/* src/ntlm/ntlm_users.c - the NTLM user store (see ntlm_users.h)
 * The file is parsed into memory once and parsed again only when its inode,
 * size or mtime change, so a server checks a password with one stat() and no
 * MD4 per handshake. Passwords and hashes are wiped when dropped. */
#include "ntlm/ntlm_users.h"

#include "core/bytes.h"
#include "core/unicode.h"
#include "ntlm/ntlm_crypto.h"

#include <openssl/crypto.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define USERS_MAX_FILE (16u << 20)

struct user_entry {
    char *domain, *user, *password; /* password NULL for $NT$ entries */
    uint8_t nt_hash[16];
};

struct ntlm_users {
    char *path;
    pthread_mutex_t lock;
    struct user_entry *e;
    size_t n;
    bool loaded;
    struct stat st;
};

struct ntlm_users *ntlm_users_open(const char *path)
{
    struct ntlm_users *u = calloc(1, sizeof(*u));
    if (!u)
        return NULL;
    u->path = strdup(path);
    if (!u->path) {
        free(u);
        return NULL;
    }
    pthread_mutex_init(&u->lock, NULL);
    return u;
}

static void entry_clear(struct user_entry *e)
{
    free(e->domain);
    free(e->user);
    if (e->password)
        OPENSSL_clear_free(e->password, strlen(e->password));
    OPENSSL_cleanse(e, sizeof(*e));
}

static void entries_free(struct user_entry *e, size_t n)
{
    for (size_t i = 0; i < n; i++)
        entry_clear(&e[i]);
    free(e);
}

void ntlm_users_free(struct ntlm_users *u)
{
    if (!u)
        return;
    entries_free(u->e, u->n);
    pthread_mutex_destroy(&u->lock);
    free(u->path);
    free(u);
}

const char *ntlm_users_path(const struct ntlm_users *u)
{
    return u->path;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* parse_nt_hash - "$NT$" + 32 hex digits */
static bool parse_nt_hash(const char *s, size_t n, uint8_t out[16])
{
    if (n != 36 || memcmp(s, "$NT$", 4) != 0)
        return false;
    for (size_t i = 0; i < 16; i++) {
        int hi = hexval(s[4 + 2 * i]), lo = hexval(s[5 + 2 * i]);
        if (hi < 0 || lo < 0)
            return false;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return true;
}

static bool nt_hash_of(const char *pw, size_t n, uint8_t out[16])
{
    struct wr w;
    wr_init(&w, n * 2 + 2, n * 4 + 4, WR_ZAP);
    bool ok = utf8_to_utf16le(&w, pw, n);
    if (ok)
        ntlm_ntowfv1(w.buf, w.len, out);
    wr_free(&w);
    return ok;
}

static char *dup_n(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = 0;
    }
    return d;
}

/* parse_line - one DOMAIN:USER:PASSWORD line into e; false to skip it */
static bool parse_line(const char *line, size_t n, struct user_entry *e)
{
    memset(e, 0, sizeof(*e));
    if (n && line[n - 1] == '\r')
        n--;
    if (n == 0 || line[0] == '#')
        return false;
    const char *c1 = memchr(line, ':', n);
    if (!c1)
        return false;
    const char *c2 = memchr(c1 + 1, ':', n - (size_t)(c1 + 1 - line));
    if (!c2 || c2 == c1 + 1)
        return false;
    const char *pw = c2 + 1;
    size_t pwlen = n - (size_t)(pw - line);
    e->domain = dup_n(line, (size_t)(c1 - line));
    e->user = dup_n(c1 + 1, (size_t)(c2 - c1 - 1));
    bool ok = e->domain && e->user;
    if (ok && !parse_nt_hash(pw, pwlen, e->nt_hash)) {
        e->password = dup_n(pw, pwlen);
        ok = e->password && nt_hash_of(pw, pwlen, e->nt_hash);
    }
    if (!ok)
        entry_clear(e);
    return ok;
}

/* reload - (re)read the file when it changed; called with u->lock held */
static bool reload(struct ntlm_users *u)
{
    struct stat st;
    if (stat(u->path, &st) != 0)
        return false;
    if (u->loaded && st.st_ino == u->st.st_ino && st.st_size == u->st.st_size
        && st.st_mtim.tv_sec == u->st.st_mtim.tv_sec && st.st_mtim.tv_nsec == u->st.st_mtim.tv_nsec)
        return true;
    if (st.st_size < 0 || (uint64_t)st.st_size > USERS_MAX_FILE)
        return false;
    FILE *f = fopen(u->path, "rb");
    if (!f)
        return false;
    size_t size = (size_t)st.st_size;
    char *text = malloc(size + 1);
    size_t got = text ? fread(text, 1, size, f) : 0;
    fclose(f);
    if (!text)
        return false;
    struct user_entry *e = NULL;
    size_t n = 0, cap = 0;
    bool ok = true;
    for (size_t at = 0; at < got && ok;) {
        const char *nl = memchr(text + at, '\n', got - at);
        size_t len = nl ? (size_t)(nl - (text + at)) : got - at;
        struct user_entry one;
        if (parse_line(text + at, len, &one)) {
            if (n == cap) {
                size_t ncap = cap ? cap * 2 : 8;
                struct user_entry *ne = calloc(ncap, sizeof(*ne));
                if (!ne) {
                    ok = false;
                    entry_clear(&one);
                    break;
                }
                if (n)
                    memcpy(ne, e, n * sizeof(*e));
                free(e);
                e = ne;
                cap = ncap;
            }
            e[n++] = one;
        }
        at += len + 1;
    }
    OPENSSL_clear_free(text, size + 1);
    if (!ok) {
        entries_free(e, n);
        return false;
    }
    entries_free(u->e, u->n);
    u->e = e;
    u->n = n;
    u->st = st;
    u->loaded = true;
    return true;
}

/* upper16 - the UTF-16LE upper case form of a UTF-8 name (Windows compares
 * account names case-insensitively, beyond ASCII) */
static bool upper16(const char *s, struct wr *w)
{
    wr_init(w, strlen(s) * 2 + 2, strlen(s) * 4 + 4, 0);
    if (!utf8_to_utf16le(w, s, strlen(s)))
        return false;
    ntlm_utf16_upper(w->buf, w->buf, w->len);
    return true;
}

static bool names_equal(const char *a, const char *b)
{
    if (strcasecmp(a, b) == 0)
        return true;
    struct wr wa = { 0 }, wb = { 0 };
    bool eq = upper16(a, &wa) && upper16(b, &wb) && wa.len == wb.len && memcmp(wa.buf, wb.buf, wa.len) == 0;
    wr_free(&wa);
    wr_free(&wb);
    return eq;
}

/* find - the entry for domain\user; an entry with an empty domain matches any
 * domain, and a client that sent no domain matches any entry of that user. */
static const struct user_entry *find(struct ntlm_users *u, const char *domain, const char *user)
{
    const struct user_entry *any = NULL;
    if (domain && !*domain)
        domain = NULL;
    for (size_t i = 0; i < u->n; i++) {
        const struct user_entry *e = &u->e[i];
        if (!names_equal(e->user, user))
            continue;
        if (!domain || names_equal(e->domain, domain))
            return e;
        if (e->domain[0] == 0 && !any)
            any = e;
    }
    return any;
}

bool ntlm_users_lookup(struct ntlm_users *u, const char *domain, const char *user, uint8_t nt_hash[16],
                       char **canonical)
{
    bool ok = false;
    *canonical = NULL;
    pthread_mutex_lock(&u->lock);
    const struct user_entry *e = reload(u) ? find(u, domain, user) : NULL;
    if (e) {
        const char *d = e->domain[0] ? e->domain : (domain ? domain : "");
        size_t n = strlen(d) + strlen(e->user) + 2;
        *canonical = malloc(n);
        if (*canonical) {
            snprintf(*canonical, n, d[0] ? "%s\\%s" : "%s%s", d, e->user);
            memcpy(nt_hash, e->nt_hash, 16);
            ok = true;
        }
    }
    pthread_mutex_unlock(&u->lock);
    return ok;
}

bool ntlm_users_find(struct ntlm_users *u, const char *domain, const char *user, char **password,
                     uint8_t nt_hash[16], bool *has_hash, char **domain_out)
{
    bool ok = false;
    *password = NULL;
    *domain_out = NULL;
    *has_hash = false;
    pthread_mutex_lock(&u->lock);
    const struct user_entry *e = reload(u) ? find(u, domain, user) : NULL;
    if (e) {
        *domain_out = strdup(e->domain);
        if (e->password)
            *password = strdup(e->password);
        else
            memcpy(nt_hash, e->nt_hash, 16);
        *has_hash = e->password == NULL;
        ok = *domain_out && (*password || *has_hash);
        if (!ok) {
            free(*domain_out);
            free(*password);
            *domain_out = *password = NULL;
        }
    }
    pthread_mutex_unlock(&u->lock);
    return ok;
}
