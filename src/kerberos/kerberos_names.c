/* src/kerberos/kerberos_names.c - Windows-style user and target names to
 * Kerberos principal names (see kerberos_names.h). No krb5 calls: the text is
 * later given to gss_import_name as GSS_KRB5_NT_PRINCIPAL_NAME. */
#include "kerberos/kerberos_names.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool has_lower(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] >= 'a' && s[i] <= 'z')
            return true;
    }
    return false;
}

/* join - malloc'd a[0..alen) || sep || b[0..blen) || tail, b upper-cased when
 * upper is set (ASCII only: realms are ASCII). */
static char *join(const char *a, size_t alen, const char *sep, const char *b, size_t blen, bool upper,
                  const char *tail)
{
    size_t slen = strlen(sep), tlen = strlen(tail);
    size_t n = alen + slen + blen + tlen;
    char *s = malloc(n + 1);
    if (!s)
        return NULL;
    memcpy(s, a, alen);
    memcpy(s + alen, sep, slen);
    for (size_t i = 0; i < blen; i++) {
        char c = b[i];
        s[alen + slen + i] = (upper && c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
    }
    memcpy(s + alen + slen + blen, tail, tlen);
    s[n] = 0;
    return s;
}

static bool name_ok(const char *s)
{
    return s && s[0] && strlen(s) <= KRB_MAX_NAME;
}

char *krb_client_principal(const char *user, const char *domain)
{
    if (!name_ok(user) || (domain && strlen(domain) > KRB_MAX_NAME))
        return NULL;
    const char *bs = strchr(user, '\\');
    const char *at = strchr(user, '@');
    size_t ulen = strlen(user);
    if (bs && at)
        return NULL;
    if (bs) { /* DOMAIN\user */
        size_t dlen = (size_t)(bs - user);
        if (dlen == 0 || bs[1] == 0)
            return NULL;
        return join(bs + 1, ulen - dlen - 1, "@", user, dlen, true, "");
    }
    if (at) { /* UPN */
        size_t nlen = (size_t)(at - user);
        if (nlen == 0 || at[1] == 0 || strchr(at + 1, '@'))
            return NULL;
        return join(user, nlen, "@", at + 1, ulen - nlen - 1, true, "");
    }
    if (domain && domain[0])
        return join(user, ulen, "@", domain, strlen(domain), true, "");
    return strdup(user);
}

char *krb_target_principal(const char *t)
{
    if (!name_ok(t))
        return NULL;
    size_t len = strlen(t);
    const char *slash = strchr(t, '/');
    const char *at = strrchr(t, '@');
    const char *bs = strchr(t, '\\');
    if (bs) { /* DOMAIN\account */
        size_t dlen = (size_t)(bs - t);
        if (slash || at || dlen == 0 || bs[1] == 0)
            return NULL;
        return join(bs + 1, len - dlen - 1, "@", t, dlen, true, "");
    }
    if (!slash) {
        if (!at)
            return strdup(t); /* an account name in the default realm */
        size_t slen = (size_t)(at - t), hlen = len - slen - 1;
        if (slen == 0 || hlen == 0 || memchr(t, '@', slen))
            return NULL;
        if (has_lower(at + 1, hlen)) /* service@host */
            return join(t, slen, "/", at + 1, hlen, false, "@");
        return strdup(t); /* account@REALM */
    }
    if (slash == t || slash[1] == 0 || slash[1] == '/' || slash[1] == '@')
        return NULL;
    if (at && at > slash) {
        if (memchr(slash + 1, '@', (size_t)(at - slash - 1)))
            return NULL;
        return strdup(t); /* service/host@REALM */
    }
    if (at)
        return NULL; /* '@' before the '/' */
    return join(t, len, "", "", 0, false, "@");
}

const char *krb_principal_realm(const char *principal)
{
    const char *realm = "";
    for (const char *p = principal; *p; p++) {
        if (*p == '\\' && p[1]) {
            p++;
            continue;
        }
        if (*p == '@')
            realm = p + 1;
    }
    return realm;
}
