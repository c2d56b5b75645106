/* src/ntlm/ntlm_context.c - NTLM credentials, the client and server state
 * machines and session security (MS-NLMP 3.1.5, 3.2.5, 3.4).
 * Wire bytes are built and parsed by ntlm_message.c / ntlm_av_pairs.c, keys and
 * MACs computed by ntlm_crypto.c; this file decides what goes in them.
 *
 * Client:  ISC#1 -> NEGOTIATE (CONTINUE)  ISC#2(CHALLENGE) -> AUTHENTICATE (OK)
 * Server:  ASC#1(NEGOTIATE) -> CHALLENGE (CONTINUE)  ASC#2(AUTHENTICATE) -> OK
 *
 * LM_COMPAT_LEVEL (Windows' LmCompatibilityLevel, default 3) chooses what the
 * client sends: 0-2 NTLMv1 (with extended session security when the server
 * offers it), 3-5 NTLMv2 only. The server accepts NTLMv1 only when the level is
 * 2 or lower. */
#include "ntlm/ntlm_context.h"

#include "core/bytes.h"
#include "core/unicode.h"
#include "ntlm/ntlm_av_pairs.h"
#include "ntlm/ntlm_crypto.h"
#include "ntlm/ntlm_message.h"
#include "ntlm/ntlm_users.h"
#include "negotiate/negotiate.h"

#include <openssl/crypto.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NTLM_MAX_SKEW_100NS (36ull * 3600 * 10000000) /* MS-NLMP 3.1.1.1 MaxLifetime: 36 h */
#define NTLM_MAX_NAME 256

/* Flags we offer (client NEGOTIATE) and accept (server CHALLENGE). The server
 * never offers LM_KEY: the user store keeps NT hashes, not LM hashes. */
#define NTLM_CLIENT_FLAGS                                                                                   \
    (NTLMSSP_NEGOTIATE_UNICODE | NTLMSSP_NEGOTIATE_OEM | NTLMSSP_REQUEST_TARGET | NTLMSSP_NEGOTIATE_NTLM      \
     | NTLMSSP_NEGOTIATE_ALWAYS_SIGN | NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY | NTLMSSP_NEGOTIATE_VERSION \
     | NTLMSSP_NEGOTIATE_128 | NTLMSSP_NEGOTIATE_56 | NTLMSSP_NEGOTIATE_KEY_EXCH)
#define NTLM_SERVER_FLAGS                                                                                   \
    (NTLMSSP_NEGOTIATE_UNICODE | NTLMSSP_REQUEST_TARGET | NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_SEAL     \
     | NTLMSSP_NEGOTIATE_NTLM | NTLMSSP_NEGOTIATE_ALWAYS_SIGN | NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY     \
     | NTLMSSP_NEGOTIATE_VERSION | NTLMSSP_NEGOTIATE_128 | NTLMSSP_NEGOTIATE_56                                \
     | NTLMSSP_NEGOTIATE_KEY_EXCH | NTLMSSP_NEGOTIATE_IDENTIFY | NTLMSSP_NEGOTIATE_OEM)

static const struct ntlm_version our_version = { 10, 0, 20348, 15 };

/* ---- credentials -------------------------------------------------------- */

struct ntlm_cred {
    uint32_t use;
    int lm_compat;
    bool anonymous;
    char *user, *domain; /* UTF-8 */
    char *display;       /* DOMAIN\user */
    uint8_t nt_hash[16];
    uint8_t lm_hash[16];
    bool has_lm;
    struct wr user16, domain16, ws16; /* UTF-16LE forms */
    char *workstation;
    struct ntlm_users *users; /* server: the user store */
    /* server names for the CHALLENGE target info */
    struct wr nb_computer16, nb_domain16, dns_computer16, dns_domain16;
    char *nb_domain;
};

static int lm_compat_level(void)
{
    const char *s = getenv("LM_COMPAT_LEVEL");
    if (!s || !*s)
        return 3;
    char *end;
    long v = strtol(s, &end, 10);
    return (*end || v < 0 || v > 5) ? 3 : (int)v;
}

static bool to16(struct wr *w, const char *s)
{
    wr_init(w, strlen(s) * 2 + 2, NTLM_MAX_NAME * 4, 0);
    return utf8_to_utf16le(w, s, strlen(s));
}

static char *upper_ascii_dup(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (!d)
        return NULL;
    for (size_t i = 0; i < n; i++)
        d[i] = (s[i] >= 'a' && s[i] <= 'z') ? (char)(s[i] - 32) : s[i];
    d[n] = 0;
    return d;
}

/* host_names - NetBIOS (upper-case short host name) and DNS names of this host */
static bool host_names(struct ntlm_cred *c)
{
    char host[256] = "localhost";
    if (gethostname(host, sizeof(host) - 1) != 0)
        snprintf(host, sizeof(host), "localhost");
    host[sizeof(host) - 1] = 0;
    const char *dot = strchr(host, '.');
    size_t shortlen = dot ? (size_t)(dot - host) : strlen(host);
    if (shortlen > 15)
        shortlen = 15;
    char *nb = upper_ascii_dup(host, shortlen);
    const char *env_domain = getenv("NTLM_DOMAIN");
    c->nb_domain = env_domain && *env_domain ? upper_ascii_dup(env_domain, strlen(env_domain)) : NULL;
    bool ok = nb && to16(&c->nb_computer16, nb) && to16(&c->dns_computer16, host)
        && to16(&c->dns_domain16, dot ? dot + 1 : host);
    if (ok && !c->nb_domain)
        c->nb_domain = strdup(nb);
    ok = ok && c->nb_domain && to16(&c->nb_domain16, c->nb_domain);
    free(nb);
    return ok;
}

void ntlm_free_cred(void *p)
{
    struct ntlm_cred *c = p;
    if (!c)
        return;
    free(c->user);
    free(c->domain);
    free(c->display);
    free(c->workstation);
    free(c->nb_domain);
    wr_free(&c->user16);
    wr_free(&c->domain16);
    wr_free(&c->ws16);
    wr_free(&c->nb_computer16);
    wr_free(&c->nb_domain16);
    wr_free(&c->dns_computer16);
    wr_free(&c->dns_domain16);
    ntlm_users_free(c->users);
    OPENSSL_clear_free(c, sizeof(*c));
}

/* split_user - "DOMAIN\user" into its parts when no domain was given; a UPN
 * (user@realm) stays whole with an empty domain, as Windows sends it. */
static bool split_user(const char *user, const char *domain, char **u, char **d)
{
    const char *bs = domain ? NULL : strchr(user, '\\');
    if (bs) {
        *d = strndup(user, (size_t)(bs - user));
        *u = strdup(bs + 1);
    } else {
        *d = strdup(domain ? domain : "");
        *u = strdup(user);
    }
    return *u && *d;
}

static bool set_password(struct ntlm_cred *c, const char *pw, size_t len)
{
    struct wr w;
    wr_init(&w, len * 2 + 2, len * 4 + 4, WR_ZAP);
    bool ok = utf8_to_utf16le(&w, pw, len);
    if (ok)
        ntlm_ntowfv1(w.buf, w.len, c->nt_hash);
    wr_free(&w);
    /* LM hash only when v1 may be used; a password longer than 14 characters
     * has none, and peers then key LM_KEY with an all-zero LMOWF */
    if (ok && c->lm_compat < 2 && len > 14) {
        memset(c->lm_hash, 0, sizeof(c->lm_hash));
        c->has_lm = true;
    } else {
        c->has_lm = ok && c->lm_compat < 2 && ntlm_lmowfv1(pw, len, c->lm_hash);
    }
    return ok;
}

/* default_identity - pAuthData == NULL on the client: the user named by
 * NTLM_USER ("DOMAIN\user" or "user", else the login name) with its password
 * from the NTLM_USER_FILE store. */
static SECURITY_STATUS default_identity(struct ntlm_cred *c)
{
    const char *file = getenv("NTLM_USER_FILE");
    const char *who = getenv("NTLM_USER");
    if (!who || !*who) {
        struct passwd *pw = getpwuid(getuid());
        who = getenv("USER");
        if ((!who || !*who) && pw)
            who = pw->pw_name;
    }
    if (!file || !who || !*who)
        return SEC_E_NO_CREDENTIALS;
    char *u = NULL, *d = NULL, *password = NULL, *entry_domain = NULL;
    bool has_hash = false;
    SECURITY_STATUS st = SEC_E_NO_CREDENTIALS;
    struct ntlm_users *users = ntlm_users_open(file);
    if (!users || !split_user(who, NULL, &u, &d))
        goto out;
    if (!ntlm_users_find(users, d[0] ? d : NULL, u, &password, c->nt_hash, &has_hash, &entry_domain))
        goto out;
    if (!has_hash && !set_password(c, password, strlen(password)))
        goto out;
    c->user = u;
    c->domain = d[0] ? d : entry_domain;
    if (c->domain == d)
        free(entry_domain);
    else
        free(d);
    u = d = entry_domain = NULL;
    st = SEC_E_OK;
out:
    free(u);
    free(d);
    free(entry_domain);
    if (password)
        OPENSSL_clear_free(password, strlen(password));
    ntlm_users_free(users);
    return st;
}

SECURITY_STATUS ntlm_acquire_cred(const struct sspi_cred_args *a, void **out, TimeStamp *expiry)
{
    SECURITY_STATUS st = SEC_E_INSUFFICIENT_MEMORY;
    struct ntlm_cred *c = calloc(1, sizeof(*c));
    if (!c)
        return st;
    c->use = a->use;
    c->lm_compat = lm_compat_level();
    if (a->use & SECPKG_CRED_OUTBOUND) {
        const struct sspi_identity *id = a->id;
        if (id && (!id->user || !*id->user) && (!id->domain || !*id->domain)
            && (!id->password || !*id->password)) {
            c->anonymous = true;
            c->user = strdup("");
            c->domain = strdup("");
        } else if (id) {
            if (!split_user(id->user ? id->user : "", id->domain, &c->user, &c->domain))
                goto out;
            if (!set_password(c, id->password ? id->password : "", id->password ? id->password_len : 0)) {
                st = SEC_E_UNKNOWN_CREDENTIALS;
                goto out;
            }
        } else {
            st = default_identity(c);
            if (st != SEC_E_OK)
                goto out;
            st = SEC_E_INSUFFICIENT_MEMORY;
        }
        if (!c->user || !c->domain)
            goto out;
        if (strlen(c->user) > NTLM_MAX_NAME || strlen(c->domain) > NTLM_MAX_NAME) {
            st = SEC_E_UNKNOWN_CREDENTIALS;
            goto out;
        }
        char host[64] = "";
        gethostname(host, sizeof(host) - 1);
        host[sizeof(host) - 1] = 0;
        char *dot = strchr(host, '.');
        c->workstation = upper_ascii_dup(host, dot ? (size_t)(dot - host) : strlen(host));
        if (!c->workstation || !to16(&c->user16, c->user) || !to16(&c->domain16, c->domain)
            || !to16(&c->ws16, c->workstation)) {
            st = SEC_E_UNKNOWN_CREDENTIALS;
            goto out;
        }
    }
    if (a->use & SECPKG_CRED_INBOUND) {
        /* the user store: "file:PATH" as principal, else NTLM_USER_FILE */
        const char *path = NULL;
        if (a->principal && strncmp(a->principal, "file:", 5) == 0)
            path = a->principal + 5;
        else
            path = getenv("NTLM_USER_FILE");
        if (path && *path) {
            c->users = ntlm_users_open(path);
            if (!c->users)
                goto out;
        }
        if (!host_names(c))
            goto out;
    }
    if (c->user) {
        size_t n = strlen(c->user) + strlen(c->domain) + 2;
        c->display = malloc(n);
        if (!c->display)
            goto out;
        if (c->domain[0])
            snprintf(c->display, n, "%s\\%s", c->domain, c->user);
        else
            snprintf(c->display, n, "%s", c->user);
    }
    *out = c;
    c = NULL;
    st = SEC_E_OK;
    *expiry = sspi_expiry_never();
out:
    ntlm_free_cred(c);
    return st;
}

SECURITY_STATUS ntlm_query_cred_str(void *p, uint32_t attr, struct sspi_strattr *out)
{
    struct ntlm_cred *c = p;
    if (attr != SECPKG_CRED_ATTR_NAMES)
        return SEC_E_UNSUPPORTED_FUNCTION;
    if (!c->display)
        return SEC_E_NO_CREDENTIALS;
    out->s[0] = c->display;
    return SEC_E_OK;
}

/* ---- contexts ----------------------------------------------------------- */

enum ntlm_state { ST_START, ST_NEGOTIATE_SENT, ST_CHALLENGE_SENT, ST_DONE };

struct ntlm_ctx {
    bool server;
    enum ntlm_state state;
    uint32_t req;   /* ISC_REQ / ASC_REQ asked */
    uint32_t attrs; /* ISC_RET / ASC_RET given */
    uint32_t flags; /* negotiated NTLMSSP flags */
    bool v2, anonymous;
    struct wr transcript; /* NEGOTIATE || CHALLENGE (for the MIC) */
    size_t neg_len;
    uint8_t server_chal[8];
    uint8_t esk[16]; /* exported session key */
    struct ntlm_session sess;
    char *user_name;   /* NAMES: DOMAIN\user */
    char *server_name; /* client: target; server: our domain */
    char *authority;
    uint64_t start;    /* FILETIME */
    int lm_compat;
};

void ntlm_delete_ctx(void *p)
{
    struct ntlm_ctx *c = p;
    if (!c)
        return;
    wr_free(&c->transcript);
    ntlm_session_cleanse(&c->sess);
    free(c->user_name);
    free(c->server_name);
    free(c->authority);
    OPENSSL_clear_free(c, sizeof(*c));
}

static struct ntlm_ctx *ctx_new(bool server, uint32_t req, int lm_compat)
{
    struct ntlm_ctx *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->server = server;
    c->req = req;
    c->lm_compat = lm_compat;
    c->start = sspi_filetime_now();
    wr_init(&c->transcript, 512, NTLM_MAX_TOKEN * 2, 0);
    return c;
}

/* ret_flags - ISC_RET_* / ASC_RET_* for what was asked and negotiated: one
 * row per context flag, with its client and server request and return bits
 * and what NTLM must have negotiated to grant it. */
static uint32_t ret_flags(const struct ntlm_ctx *c)
{
    enum { ALWAYS, SIGNED, SEALED };
    static const struct {
        uint32_t isc_req, isc_ret, asc_req, asc_ret;
        int needs;
    } rows[] = {
        { ISC_REQ_INTEGRITY, ISC_RET_INTEGRITY, ASC_REQ_INTEGRITY, ASC_RET_INTEGRITY, SIGNED },
        { ISC_REQ_CONFIDENTIALITY, ISC_RET_CONFIDENTIALITY, ASC_REQ_CONFIDENTIALITY, ASC_RET_CONFIDENTIALITY, SEALED },
        { ISC_REQ_REPLAY_DETECT, ISC_RET_REPLAY_DETECT, ASC_REQ_REPLAY_DETECT, ASC_RET_REPLAY_DETECT, SIGNED },
        { ISC_REQ_SEQUENCE_DETECT, ISC_RET_SEQUENCE_DETECT, ASC_REQ_SEQUENCE_DETECT, ASC_RET_SEQUENCE_DETECT, SIGNED },
        { ISC_REQ_CONNECTION, ISC_RET_CONNECTION, ASC_REQ_CONNECTION, ASC_RET_CONNECTION, ALWAYS },
    };
    bool sign = c->flags & (NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_SEAL);
    bool seal = c->flags & NTLMSSP_NEGOTIATE_SEAL;
    uint32_t r = 0;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        bool granted = rows[i].needs == ALWAYS || (rows[i].needs == SIGNED ? sign : seal);
        if (granted && (c->req & (c->server ? rows[i].asc_req : rows[i].isc_req)))
            r |= c->server ? rows[i].asc_ret : rows[i].isc_ret;
    }
    if (c->server ? (c->flags & NTLMSSP_NEGOTIATE_IDENTIFY) != 0 : (c->req & ISC_REQ_IDENTIFY) != 0)
        r |= c->server ? ASC_RET_IDENTIFY : ISC_RET_IDENTIFY;
    if (c->anonymous)
        r |= c->server ? ASC_RET_NULL_SESSION : ISC_RET_NULL_SESSION;
    return r;
}

/* input_token - the first SECBUFFER_TOKEN of the input, as a cursor; no NTLM
 * message is longer than the package's cbMaxToken */
static bool input_token(const struct sspi_step *s, struct rd *tok)
{
    SecBuffer *b = sspi_find_buffer(s->in, SECBUFFER_TOKEN, 0);
    if (!b || !b->pvBuffer || b->cbBuffer == 0 || b->cbBuffer > NTLM_MAX_TOKEN)
        return false;
    *tok = rd_init(b->pvBuffer, b->cbBuffer);
    return true;
}

/* channel_bindings - MD5 of an input SECBUFFER_CHANNEL_BINDINGS (false: none).
 * *bad is set when one is there but malformed. */
static bool channel_bindings(const struct sspi_step *s, uint8_t hash[16], bool *bad)
{
    SecBuffer *b = sspi_find_buffer(s->in, SECBUFFER_CHANNEL_BINDINGS, 0);
    *bad = false;
    if (!b || !b->pvBuffer || b->cbBuffer == 0)
        return false;
    if (!ntlm_channel_bindings_hash(b->pvBuffer, b->cbBuffer, hash)) {
        *bad = true;
        return false;
    }
    return true;
}

static void finish(struct ntlm_ctx *c, struct sspi_step *s)
{
    ntlm_session_init(&c->sess, c->flags, c->esk, !c->server);
    c->state = ST_DONE;
    c->attrs = ret_flags(c);
    s->attrs = c->attrs;
    wr_free(&c->transcript);
}

static char *join_name(const char *domain, const char *user)
{
    size_t n = strlen(domain) + strlen(user) + 2;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, domain[0] ? "%s\\%s" : "%s%s", domain, user);
    return s;
}

/* ---- client ------------------------------------------------------------- */

static SECURITY_STATUS client_negotiate(struct ntlm_ctx *c, struct sspi_step *s)
{
    struct ntlm_negotiate m;
    memset(&m, 0, sizeof(m));
    m.flags = NTLM_CLIENT_FLAGS;
    if (c->req & (ISC_REQ_INTEGRITY | ISC_REQ_REPLAY_DETECT | ISC_REQ_SEQUENCE_DETECT))
        m.flags |= NTLMSSP_NEGOTIATE_SIGN;
    if (c->req & ISC_REQ_CONFIDENTIALITY)
        m.flags |= NTLMSSP_NEGOTIATE_SEAL | NTLMSSP_NEGOTIATE_SIGN;
    if (c->req & ISC_REQ_IDENTIFY)
        m.flags |= NTLMSSP_NEGOTIATE_IDENTIFY;
    if (c->lm_compat < 2)
        m.flags |= NTLMSSP_NEGOTIATE_LM_KEY;
    m.has_version = true;
    m.version = our_version;
    struct wr w;
    wr_init(&w, 48, NTLM_MAX_TOKEN, 0);
    if (!ntlm_build_negotiate(&w, &m) || !wr_bytes(&c->transcript, w.buf, w.len)) {
        wr_free(&w);
        return SEC_E_INSUFFICIENT_MEMORY;
    }
    c->neg_len = w.len;
    c->flags = m.flags;
    s->token = wr_steal(&w, &s->token_len);
    c->state = ST_NEGOTIATE_SENT;
    s->attrs = ret_flags(c);
    return SEC_I_CONTINUE_NEEDED;
}

/* negotiate_flags - what both sides support, per MS-NLMP 3.1.5.1.2 / 3.2.5.1.1 */
static uint32_t agree_flags(uint32_t ours, uint32_t theirs)
{
    uint32_t f = ours & theirs;
    if (f & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY)
        f &= ~NTLMSSP_NEGOTIATE_LM_KEY;
    if (f & NTLMSSP_NEGOTIATE_UNICODE)
        f &= ~NTLMSSP_NEGOTIATE_OEM;
    return f;
}

struct client_resp {
    uint8_t lm[24];
    size_t lm_len;
    struct wr nt; /* NT response */
    uint8_t sbk[16];
    uint8_t kxkey[16];
};

static SECURITY_STATUS client_v2(struct ntlm_ctx *c, struct ntlm_cred *cred, const struct ntlm_challenge *ch,
                                 const struct ntlm_av *av, const uint8_t *cbt, const char *target,
                                 struct client_resp *r, bool *with_mic)
{
    static const uint8_t no_bindings[16]; /* Windows sends zeros without bindings */
    uint8_t key[16], cc[8], ntproof[16], hdr[NTLM_V2_TEMP_HDR_LEN];
    SECURITY_STATUS st = SEC_E_INSUFFICIENT_MEMORY;
    struct wr ti, tgt;
    wr_init(&ti, ch->target_info.len + 128, NTLM_MAX_TOKEN, 0);
    wr_init(&tgt, 0, NTLM_MAX_NAME * 4, 0);
    if (!sspi_random(cc, sizeof(cc)))
        goto out;
    uint64_t ts = av->has_timestamp ? av->timestamp : sspi_filetime_now();
    *with_mic = av->has_timestamp;
    uint32_t avflags = *with_mic ? 0x2 : 0;
    if (target && !utf8_to_utf16le(&tgt, target, strlen(target))) {
        st = SEC_E_TARGET_UNKNOWN;
        goto out;
    }
    if (!ntlm_av_client_info(&ti, ch->target_info, avflags, cbt ? cbt : no_bindings, rd_init(tgt.buf, tgt.len)))
        goto out;
    ntlm_ntowfv2(cred->nt_hash, cred->user16.buf, cred->user16.len, cred->domain16.buf, cred->domain16.len, key);
    ntlm_v2_temp_header(ts, cc, hdr);
    /* NT response = NTProofStr || temp, temp = header || AvPairs || 4 zeros */
    size_t at;
    if (!wr_reserve(&r->nt, 16, &at) || !wr_bytes(&r->nt, hdr, sizeof(hdr)) || !wr_bytes(&r->nt, ti.buf, ti.len)
        || !wr_zeros(&r->nt, 4))
        goto out;
    ntlm_v2_response(key, ch->server_challenge, r->nt.buf + 16, r->nt.len - 16, ntproof, r->sbk);
    wr_patch_bytes(&r->nt, at, ntproof, 16);
    if (*with_mic) {
        memset(r->lm, 0, 24); /* 3.1.5.1.2: Z(24) when the server sent a timestamp */
    } else {
        ntlm_lmv2_response(key, ch->server_challenge, cc, r->lm);
    }
    r->lm_len = 24;
    memcpy(r->kxkey, r->sbk, 16);
    st = SEC_E_OK;
out:
    OPENSSL_cleanse(key, sizeof(key));
    wr_free(&ti);
    wr_free(&tgt);
    return st;
}

static SECURITY_STATUS client_v1(struct ntlm_ctx *c, struct ntlm_cred *cred, const struct ntlm_challenge *ch,
                                 struct client_resp *r)
{
    uint8_t nt[24], cc[8];
    bool ess = c->flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY;
    if (!cred->has_lm) /* LM_KEY needs the LM hash (none for long or non-ASCII passwords) */
        c->flags &= ~NTLMSSP_NEGOTIATE_LM_KEY;
    if (ess && !sspi_random(cc, sizeof(cc)))
        return SEC_E_INTERNAL_ERROR;
    if (!ntlm_v1_responses(cred->nt_hash, c->lm_compat < 2 && cred->has_lm ? cred->lm_hash : NULL,
                           ch->server_challenge, ess ? cc : NULL, nt, r->lm))
        return SEC_E_UNSUPPORTED_FUNCTION;
    r->lm_len = 24;
    if (!wr_bytes(&r->nt, nt, sizeof(nt)))
        return SEC_E_INSUFFICIENT_MEMORY;
    ntlm_v1_session_base_key(cred->nt_hash, r->sbk);
    if (!ntlm_kxkey(c->flags, false, r->sbk, cred->has_lm ? cred->lm_hash : NULL, r->lm, ch->server_challenge,
                    r->kxkey))
        return SEC_E_UNSUPPORTED_FUNCTION;
    return SEC_E_OK;
}

static SECURITY_STATUS client_authenticate(struct ntlm_ctx *c, struct ntlm_cred *cred, struct sspi_step *s)
{
    struct rd tok;
    struct ntlm_challenge ch;
    struct ntlm_av av;
    struct client_resp r;
    uint8_t cbt[16], enc_key[16];
    bool cbt_bad = false, with_mic = false;
    SECURITY_STATUS st = SEC_E_INVALID_TOKEN;
    struct wr out;
    memset(&r, 0, sizeof(r));
    wr_init(&r.nt, 512, NTLM_MAX_TOKEN, WR_ZAP);
    wr_init(&out, 768, NTLM_MAX_TOKEN, 0);

    if (!input_token(s, &tok) || !ntlm_parse_challenge(tok, &ch))
        goto out;
    memset(&av, 0, sizeof(av));
    if (ch.target_info.len && !ntlm_av_parse(ch.target_info, &av))
        goto out;
    bool has_cbt = channel_bindings(s, cbt, &cbt_bad);
    if (cbt_bad)
        goto out;
    c->flags = agree_flags(c->flags, ch.flags);
    if (!(c->flags & (NTLMSSP_NEGOTIATE_UNICODE | NTLMSSP_NEGOTIATE_OEM)))
        goto out;
    if (!(c->flags & NTLMSSP_NEGOTIATE_UNICODE)) {
        st = SEC_E_UNSUPPORTED_FUNCTION; /* OEM strings are not implemented */
        goto out;
    }
    c->anonymous = cred->anonymous;
    c->v2 = c->lm_compat >= 3;
    if (c->anonymous) {
        c->flags |= NTLMSSP_ANONYMOUS;
        c->flags &= ~NTLMSSP_NEGOTIATE_KEY_EXCH;
        r.lm_len = 1; /* Z(1) */
        memset(r.kxkey, 0, 16);
        st = SEC_E_OK;
    } else if (c->v2) {
        st = client_v2(c, cred, &ch, &av, has_cbt ? cbt : NULL, s->target, &r, &with_mic);
    } else {
        st = client_v1(c, cred, &ch, &r);
    }
    if (st != SEC_E_OK)
        goto out;
    st = SEC_E_INTERNAL_ERROR;
    if (c->flags & NTLMSSP_NEGOTIATE_KEY_EXCH) {
        if (!sspi_random(c->esk, 16))
            goto out;
        ntlm_rc4k(r.kxkey, c->esk, enc_key);
    } else {
        memcpy(c->esk, r.kxkey, 16);
    }

    struct ntlm_authenticate m;
    memset(&m, 0, sizeof(m));
    m.flags = c->flags;
    m.lm_response = rd_init(r.lm, r.lm_len);
    m.nt_response = rd_init(r.nt.buf, r.nt.len);
    m.domain = rd_init(cred->domain16.buf, cred->domain16.len);
    m.user = rd_init(cred->user16.buf, cred->user16.len);
    m.workstation = rd_init(cred->ws16.buf, cred->ws16.len);
    m.enc_session_key = rd_init(enc_key, (c->flags & NTLMSSP_NEGOTIATE_KEY_EXCH) ? 16 : 0);
    m.has_version = (c->flags & NTLMSSP_NEGOTIATE_VERSION) != 0;
    m.version = our_version;
    size_t mic_at = 0;
    st = SEC_E_INSUFFICIENT_MEMORY;
    if (!ntlm_build_authenticate(&out, &m, with_mic, &mic_at))
        goto out;
    if (with_mic) {
        uint8_t mic[16];
        if (!ntlm_mic(c->esk, c->transcript.buf, c->neg_len, tok.p, tok.len, out.buf, out.len, mic_at, mic))
            goto out;
        wr_patch_bytes(&out, mic_at, mic, 16);
    }
    memcpy(c->server_chal, ch.server_challenge, 8);
    c->user_name = join_name(cred->domain, cred->user);
    c->server_name = s->target ? strdup(s->target) : strdup("");
    struct wr dom;
    wr_init(&dom, 64, NTLM_MAX_NAME * 4, 0);
    if (av.nb_domain.len && utf16le_to_utf8(&dom, av.nb_domain, false) && wr_u8(&dom, 0)) {
        size_t n;
        c->authority = (char *)wr_steal(&dom, &n);
    } else {
        wr_free(&dom);
        c->authority = strdup(cred->domain);
    }
    if (!c->user_name || !c->server_name || !c->authority)
        goto out;
    s->token = wr_steal(&out, &s->token_len);
    finish(c, s);
    st = SEC_E_OK;
out:
    OPENSSL_cleanse(&r, sizeof(r.lm) + sizeof(r.lm_len));
    OPENSSL_cleanse(r.sbk, sizeof(r.sbk));
    OPENSSL_cleanse(r.kxkey, sizeof(r.kxkey));
    OPENSSL_cleanse(enc_key, sizeof(enc_key));
    wr_free(&r.nt);
    wr_free(&out);
    return st;
}

/* ---- server ------------------------------------------------------------- */

static SECURITY_STATUS server_challenge(struct ntlm_ctx *c, struct ntlm_cred *cred, struct sspi_step *s)
{
    struct rd tok;
    struct ntlm_negotiate neg;
    if (!input_token(s, &tok) || !ntlm_parse_negotiate(tok, &neg))
        return SEC_E_INVALID_TOKEN;
    SECURITY_STATUS st = SEC_E_INSUFFICIENT_MEMORY;
    struct wr ti, out;
    wr_init(&ti, 256, NTLM_MAX_TOKEN, 0);
    wr_init(&out, 384, NTLM_MAX_TOKEN, 0);
    uint32_t f = agree_flags(NTLM_SERVER_FLAGS, neg.flags);
    if (!(f & (NTLMSSP_NEGOTIATE_UNICODE | NTLMSSP_NEGOTIATE_OEM)))
        f |= NTLMSSP_NEGOTIATE_UNICODE;
    /* OEM-only clients (curl) get OEM strings; AV pairs stay UTF-16 */
    bool oem = !(f & NTLMSSP_NEGOTIATE_UNICODE);
    f |= NTLMSSP_NEGOTIATE_TARGET_INFO | NTLMSSP_TARGET_TYPE_SERVER | NTLMSSP_NEGOTIATE_VERSION;
    if (neg.flags & NTLMSSP_REQUEST_TARGET)
        f |= NTLMSSP_REQUEST_TARGET;
    uint64_t now = sspi_filetime_now();
    uint8_t ts[8];
    for (int i = 0; i < 8; i++)
        ts[i] = (uint8_t)(now >> (8 * i));
    if (!ntlm_av_put(&ti, MSV_AV_NB_DOMAIN_NAME, cred->nb_domain16.buf, cred->nb_domain16.len)
        || !ntlm_av_put(&ti, MSV_AV_NB_COMPUTER_NAME, cred->nb_computer16.buf, cred->nb_computer16.len)
        || !ntlm_av_put(&ti, MSV_AV_DNS_DOMAIN_NAME, cred->dns_domain16.buf, cred->dns_domain16.len)
        || !ntlm_av_put(&ti, MSV_AV_DNS_COMPUTER_NAME, cred->dns_computer16.buf, cred->dns_computer16.len)
        || !ntlm_av_put(&ti, MSV_AV_TIMESTAMP, ts, 8) || !ntlm_av_put_eol(&ti))
        goto out;
    struct ntlm_challenge ch;
    memset(&ch, 0, sizeof(ch));
    ch.flags = f;
    ch.target_name = oem ? rd_init(cred->nb_domain, strlen(cred->nb_domain))
                         : rd_init(cred->nb_domain16.buf, cred->nb_domain16.len);
    ch.target_info = rd_init(ti.buf, ti.len);
    ch.has_version = true;
    ch.version = our_version;
    if (!sspi_random(ch.server_challenge, 8))
        goto out;
    if (!ntlm_build_challenge(&out, &ch) || !wr_bytes(&c->transcript, tok.p, tok.len))
        goto out;
    c->neg_len = tok.len;
    if (!wr_bytes(&c->transcript, out.buf, out.len))
        goto out;
    memcpy(c->server_chal, ch.server_challenge, 8);
    c->flags = f;
    s->token = wr_steal(&out, &s->token_len);
    c->state = ST_CHALLENGE_SENT;
    s->attrs = ret_flags(c);
    st = SEC_I_CONTINUE_NEEDED;
out:
    wr_free(&ti);
    wr_free(&out);
    return st;
}

static bool utf16_to_str(struct rd in, char **out)
{
    struct wr w;
    wr_init(&w, in.len + 1, NTLM_MAX_NAME * 4, 0);
    if (!utf16le_to_utf8(&w, in, false) || !wr_u8(&w, 0)) {
        wr_free(&w);
        return false;
    }
    size_t n;
    *out = (char *)wr_steal(&w, &n);
    return *out != NULL;
}

/* oem_to_str - an OEM string field as UTF-8: taken as UTF-8 when it is valid,
 * else as Latin-1 */
static bool oem_to_str(struct rd in, char **out)
{
    struct wr w;
    wr_init(&w, in.len * 2 + 1, NTLM_MAX_NAME * 4, 0);
    struct wr probe;
    wr_init(&probe, 0, NTLM_MAX_NAME * 4, 0);
    bool utf8 = utf8_to_utf16le(&probe, (const char *)in.p, in.len);
    wr_free(&probe);
    bool ok = true;
    if (utf8) {
        ok = wr_bytes(&w, in.p, in.len);
    } else {
        for (size_t i = 0; i < in.len && ok; i++) {
            uint8_t b = in.p[i];
            ok = b < 0x80 ? wr_u8(&w, b) : (wr_u8(&w, (uint8_t)(0xc0 | (b >> 6))) && wr_u8(&w, (uint8_t)(0x80 | (b & 0x3f))));
        }
    }
    if (!ok || !wr_u8(&w, 0)) {
        wr_free(&w);
        return false;
    }
    size_t n;
    *out = (char *)wr_steal(&w, &n);
    return *out != NULL;
}

/* lookup_user - the stored hash and canonical name of the account the client
 * named: DOMAIN\user, or a UPN (user@dns.domain) sent with an empty domain,
 * tried whole, then as user in domain "dns.domain" and in its first label. */
static bool lookup_user(struct ntlm_cred *cred, const char *domain, const char *user, uint8_t nt_hash[16],
                        char **canonical)
{
    if (!cred->users)
        return false;
    if (ntlm_users_lookup(cred->users, domain, user, nt_hash, canonical))
        return true;
    const char *at = strrchr(user, '@');
    if (domain[0] || !at || at == user || !at[1])
        return false;
    char *name = strndup(user, (size_t)(at - user));
    char *realm = strdup(at + 1);
    bool ok = false;
    if (name && realm) {
        ok = ntlm_users_lookup(cred->users, realm, name, nt_hash, canonical);
        char *dot = strchr(realm, '.');
        if (!ok && dot) {
            *dot = 0;
            ok = ntlm_users_lookup(cred->users, realm, name, nt_hash, canonical);
        }
    }
    free(name);
    free(realm);
    return ok;
}

/* verify_v2 - check an NTLMv2 response against the stored hash; on success
 * fills the session base key. user16/domain16 are the names in UTF-16LE. */
static bool verify_v2(const struct ntlm_ctx *c, const uint8_t nt_hash[16], const struct ntlm_authenticate *m,
                      struct rd user16, struct rd domain16, uint8_t sbk[16])
{
    uint8_t key[16], proof[16];
    ntlm_ntowfv2(nt_hash, user16.p, user16.len, domain16.p, domain16.len, key);
    ntlm_v2_response(key, c->server_chal, m->nt_response.p + 16, m->nt_response.len - 16, proof, sbk);
    bool ok = CRYPTO_memcmp(proof, m->nt_response.p, 16) == 0;
    OPENSSL_cleanse(key, sizeof(key));
    return ok;
}

static SECURITY_STATUS server_verify(struct ntlm_ctx *c, struct ntlm_cred *cred, struct sspi_step *s)
{
    struct rd tok;
    struct ntlm_authenticate m;
    struct ntlm_v2_blob blob;
    struct ntlm_av av;
    char *user = NULL, *domain = NULL, *canonical = NULL;
    uint8_t nt_hash[16], sbk[16], kxkey[16], cbt[16];
    bool cbt_bad = false;
    SECURITY_STATUS st = SEC_E_INVALID_TOKEN;
    struct wr user16, domain16;
    wr_init(&user16, 0, NTLM_MAX_NAME * 4, 0);
    wr_init(&domain16, 0, NTLM_MAX_NAME * 4, 0);
    memset(&av, 0, sizeof(av));
    if (!input_token(s, &tok) || !ntlm_parse_authenticate(tok, &m))
        goto out;
    bool has_cbt = channel_bindings(s, cbt, &cbt_bad);
    if (cbt_bad)
        goto out;
    if (c->flags & NTLMSSP_NEGOTIATE_UNICODE) {
        if (!utf16_to_str(m.user, &user) || !utf16_to_str(m.domain, &domain))
            goto out;
        if (!wr_bytes(&user16, m.user.p, m.user.len) || !wr_bytes(&domain16, m.domain.p, m.domain.len))
            goto out;
    } else if (!oem_to_str(m.user, &user) || !oem_to_str(m.domain, &domain)
               || !utf8_to_utf16le(&user16, user, strlen(user)) || !utf8_to_utf16le(&domain16, domain, strlen(domain))) {
        goto out;
    }
    uint32_t f = c->flags;
    if ((m.flags & NTLMSSP_NEGOTIATE_KEY_EXCH) == 0)
        f &= ~NTLMSSP_NEGOTIATE_KEY_EXCH;
    bool anonymous = m.user.len == 0 && m.nt_response.len == 0 && m.lm_response.len <= 1;
    bool v2 = m.nt_response.len > 24;
    if (anonymous) {
        c->anonymous = true;
        memset(kxkey, 0, 16);
        f &= ~NTLMSSP_NEGOTIATE_KEY_EXCH;
    } else if (v2) {
        uint8_t proof[16];
        if (!ntlm_parse_v2_blob(m.nt_response, proof, &blob) || !ntlm_av_parse(blob.av_pairs, &av))
            goto out;
        st = SEC_E_LOGON_DENIED;
        if (!lookup_user(cred, domain, user, nt_hash, &canonical))
            goto out;
        if (!verify_v2(c, nt_hash, &m, rd_init(user16.buf, user16.len), rd_init(domain16.buf, domain16.len), sbk))
            goto out;
        uint64_t now = sspi_filetime_now();
        uint64_t skew = blob.timestamp > now ? blob.timestamp - now : now - blob.timestamp;
        if (skew > NTLM_MAX_SKEW_100NS) {
            st = SEC_E_TIME_SKEW;
            goto out;
        }
        if (has_cbt) {
            static const uint8_t zero[16];
            if (av.channel_bindings.len != 16 || CRYPTO_memcmp(av.channel_bindings.p, cbt, 16) != 0
                || CRYPTO_memcmp(cbt, zero, 16) == 0) {
                st = SEC_E_BAD_BINDINGS;
                goto out;
            }
        }
        memcpy(kxkey, sbk, 16);
    } else {
        /* NTLMv1 / LM: only when LM_COMPAT_LEVEL allows it */
        st = SEC_E_LOGON_DENIED;
        if (c->lm_compat > 2 || m.nt_response.len != 24)
            goto out;
        if (!lookup_user(cred, domain, user, nt_hash, &canonical))
            goto out;
        uint8_t expect[24];
        bool ess = f & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY;
        if (ess && m.lm_response.len < 8)
            goto out;
        if (!ntlm_v1_responses(nt_hash, NULL, c->server_chal, ess ? m.lm_response.p : NULL, expect, NULL))
            goto out;
        if (CRYPTO_memcmp(expect, m.nt_response.p, 24) != 0)
            goto out;
        ntlm_v1_session_base_key(nt_hash, sbk);
        if (!ntlm_kxkey(f & ~NTLMSSP_NEGOTIATE_LM_KEY, false, sbk, NULL, m.lm_response.p, c->server_chal, kxkey))
            goto out;
        f &= ~NTLMSSP_NEGOTIATE_LM_KEY;
    }
    st = SEC_E_INVALID_TOKEN;
    if (f & NTLMSSP_NEGOTIATE_KEY_EXCH) {
        if (m.enc_session_key.len != 16)
            goto out;
        ntlm_rc4k(kxkey, m.enc_session_key.p, c->esk);
    } else {
        memcpy(c->esk, kxkey, 16);
    }
    if (av.has_flags && (av.flags & 0x2)) {
        uint8_t mic[16];
        st = SEC_E_MESSAGE_ALTERED;
        if (!m.has_mic_room)
            goto out;
        if (!ntlm_mic(c->esk, c->transcript.buf, c->neg_len, c->transcript.buf + c->neg_len,
                      c->transcript.len - c->neg_len, tok.p, tok.len, 72, mic)
            || CRYPTO_memcmp(mic, m.mic, 16) != 0)
            goto out;
    }
    st = SEC_E_INSUFFICIENT_MEMORY;
    c->flags = f;
    c->v2 = v2;
    c->user_name = anonymous ? strdup("NT AUTHORITY\\ANONYMOUS LOGON") : canonical;
    canonical = NULL;
    const char *bs = c->user_name ? strchr(c->user_name, '\\') : NULL;
    c->authority = anonymous ? strdup("NT AUTHORITY")
                             : bs ? strndup(c->user_name, (size_t)(bs - c->user_name)) : strdup(domain);
    c->server_name = strdup(cred->nb_domain);
    if (!c->user_name || !c->authority || !c->server_name)
        goto out;
    finish(c, s);
    st = SEC_E_OK;
out:
    free(canonical);
    wr_free(&user16);
    wr_free(&domain16);
    OPENSSL_cleanse(nt_hash, sizeof(nt_hash));
    OPENSSL_cleanse(sbk, sizeof(sbk));
    OPENSSL_cleanse(kxkey, sizeof(kxkey));
    free(user);
    free(domain);
    return st;
}

/* ntlm_step - one ISC (server false) or ASC call: the first creates the
 * context and sends NEGOTIATE or CHALLENGE, the second finishes. */
static SECURITY_STATUS ntlm_step(struct ntlm_cred *cred, void **ctxp, struct sspi_step *s, bool server)
{
    struct ntlm_ctx *c = *ctxp;
    if (!cred)
        return SEC_E_INVALID_HANDLE;
    if (!c) {
        if (!(cred->use & (server ? SECPKG_CRED_INBOUND : SECPKG_CRED_OUTBOUND)))
            return SEC_E_WRONG_CREDENTIAL_HANDLE;
        c = ctx_new(server, s->req, cred->lm_compat);
        if (!c)
            return SEC_E_INSUFFICIENT_MEMORY;
        SECURITY_STATUS st = server ? server_challenge(c, cred, s) : client_negotiate(c, s);
        if (st != SEC_I_CONTINUE_NEEDED) {
            ntlm_delete_ctx(c);
            return st;
        }
        *ctxp = c;
        return st;
    }
    if (c->state != (server ? ST_CHALLENGE_SENT : ST_NEGOTIATE_SENT))
        return SEC_E_OUT_OF_SEQUENCE;
    return server ? server_verify(c, cred, s) : client_authenticate(c, cred, s);
}

SECURITY_STATUS ntlm_init_ctx(void *cred, void **ctxp, struct sspi_step *s)
{
    return ntlm_step(cred, ctxp, s, false);
}

SECURITY_STATUS ntlm_accept_ctx(void *cred, void **ctxp, struct sspi_step *s)
{
    return ntlm_step(cred, ctxp, s, true);
}

/* ---- attributes --------------------------------------------------------- */

static void filetime_to_ts(uint64_t ft, TimeStamp *t)
{
    t->LowPart = (ULONG)ft;
    t->HighPart = (LONG)(ft >> 32);
}

SECURITY_STATUS ntlm_query_ctx(void *p, uint32_t attr, void *buf)
{
    struct ntlm_ctx *c = p;
    switch (attr) {
    case SECPKG_ATTR_SIZES: {
        SecPkgContext_Sizes *z = buf;
        z->cbMaxToken = NTLM_MAX_TOKEN;
        z->cbMaxSignature = NTLM_SIGNATURE_LEN;
        z->cbBlockSize = 0;
        z->cbSecurityTrailer = NTLM_SIGNATURE_LEN;
        return SEC_E_OK;
    }
    case SECPKG_ATTR_FLAGS:
        ((SecPkgContext_Flags *)buf)->Flags = c->attrs;
        return SEC_E_OK;
    case SECPKG_ATTR_LIFESPAN: {
        SecPkgContext_Lifespan *l = buf;
        filetime_to_ts(c->start, &l->tsStart);
        l->tsExpiry = sspi_expiry_never();
        return SEC_E_OK;
    }
    case SECPKG_ATTR_SESSION_KEY: {
        if (c->state != ST_DONE)
            return SEC_E_INVALID_HANDLE;
        SecPkgContext_SessionKey *k = buf;
        k->SessionKey = malloc(16);
        if (!k->SessionKey)
            return SEC_E_INSUFFICIENT_MEMORY;
        memcpy(k->SessionKey, c->esk, 16);
        k->SessionKeyLength = 16;
        return SEC_E_OK;
    }
    default:
        return SEC_E_UNSUPPORTED_FUNCTION;
    }
}

SECURITY_STATUS ntlm_query_ctx_str(void *p, uint32_t attr, struct sspi_strattr *out)
{
    struct ntlm_ctx *c = p;
    if (c->state != ST_DONE)
        return SEC_E_INVALID_HANDLE;
    switch (attr) {
    case SECPKG_ATTR_NAMES:
        out->s[0] = c->user_name;
        return SEC_E_OK;
    case SECPKG_ATTR_NATIVE_NAMES:
        out->s[0] = c->user_name;
        out->s[1] = c->server_name;
        return SEC_E_OK;
    case SECPKG_ATTR_AUTHORITY:
        out->s[0] = c->authority;
        return SEC_E_OK;
    case SECPKG_ATTR_KEY_INFO: {
        bool ess = c->flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY;
        out->s[0] = ess ? "HMAC-MD5" : "RSADSI RC4-CRC32";
        out->s[1] = "RSADSI RC4";
        out->n[0] = (c->flags & NTLMSSP_NEGOTIATE_128) ? 128 : (c->flags & NTLMSSP_NEGOTIATE_56) ? 56 : 40;
        out->n[1] = ess ? 0x8009 /* CALG_HMAC */ : 0x8003;
        out->n[2] = 0x6801; /* CALG_RC4 */
        return SEC_E_OK;
    }
    default:
        return SEC_E_UNSUPPORTED_FUNCTION;
    }
}

/* ntlm_set_ctx - SPNEGO's request after it used the context for its
 * mechListMIC (MS-SPNG 3.2.5.1, 3.3.5.1): restart the RC4 stream of the sending
 * (0) or receiving (1) direction from its sealing key, so the first message of
 * the application is sealed with the same RC4 state as the MIC was; the
 * sequence number carries on (gss-ntlmssp's "reset crypto" does the same). */
SECURITY_STATUS ntlm_set_ctx(void *p, uint32_t attr, void *buf, uint32_t len)
{
    struct ntlm_ctx *c = p;
    uint32_t which;
    if (attr != NEGO_ATTR_RESET_SEAL_STREAM)
        return SEC_E_UNSUPPORTED_FUNCTION;
    if (len != sizeof(which) || c->state != ST_DONE)
        return SEC_E_INVALID_PARAMETER;
    memcpy(&which, buf, sizeof(which));
    if (which != NEGO_RESET_SEND && which != NEGO_RESET_RECV)
        return SEC_E_INVALID_PARAMETER;
    struct ntlm_seal_state *st = which == NEGO_RESET_SEND ? ntlm_session_send(&c->sess) : ntlm_session_recv(&c->sess);
    if (!(st->flags & NTLMSSP_NEGOTIATE_DATAGRAM))
        sspi_rc4_init(&st->seal, st->seal_key, st->seal_key_len);
    return SEC_E_OK;
}

/* ---- messages ----------------------------------------------------------- */

#define NTLM_MAX_PIECES 16

/* collect - the signature buffer and the data pieces of an SSPI message:
 * DATA buffers in order (READONLY ones signed only); the first TOKEN (or
 * PADDING-less trailer) buffer is the signature. */
static SECURITY_STATUS collect(SecBufferDesc *msg, SecBuffer **sig, struct ntlm_buf *pieces, size_t *n)
{
    *sig = NULL;
    *n = 0;
    for (ULONG i = 0; i < msg->cBuffers; i++) {
        SecBuffer *b = &msg->pBuffers[i];
        uint32_t type = sspi_buffer_type(b);
        if (type == SECBUFFER_TOKEN && !*sig) {
            *sig = b;
        } else if (type == SECBUFFER_DATA) {
            if (*n == NTLM_MAX_PIECES)
                return SEC_E_INVALID_TOKEN;
            if (b->cbBuffer && !b->pvBuffer)
                return SEC_E_INVALID_TOKEN;
            pieces[*n].p = b->pvBuffer;
            pieces[*n].len = b->cbBuffer;
            pieces[*n].sign_only = (b->BufferType & (SECBUFFER_READONLY | SECBUFFER_READONLY_WITH_CHECKSUM)) != 0;
            (*n)++;
        }
    }
    return *sig ? SEC_E_OK : SEC_E_INVALID_TOKEN;
}

static void pieces_iov(const struct ntlm_buf *pieces, size_t n, struct sspi_iov *iov)
{
    for (size_t i = 0; i < n; i++) {
        iov[i].p = pieces[i].p;
        iov[i].len = pieces[i].len;
    }
}

static bool can_sign(const struct ntlm_ctx *c)
{
    return c->state == ST_DONE;
}

/* check_seq - connection-oriented NTLM numbers messages itself; a received
 * signature whose (clear) sequence number is not the next one is a replay or
 * reordering when ESS is on. */
static SECURITY_STATUS check_seq(struct ntlm_ctx *c, const uint8_t *sig, struct ntlm_seal_state *st)
{
    if (!(c->flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY))
        return SEC_E_OK;
    uint32_t seq = (uint32_t)sig[12] | (uint32_t)sig[13] << 8 | (uint32_t)sig[14] << 16 | (uint32_t)sig[15] << 24;
    if (seq == st->seq)
        return SEC_E_OK;
    uint32_t want = c->server ? (ASC_REQ_SEQUENCE_DETECT | ASC_REQ_REPLAY_DETECT)
                              : (ISC_REQ_SEQUENCE_DETECT | ISC_REQ_REPLAY_DETECT);
    return (c->req & want) ? SEC_E_OUT_OF_SEQUENCE : SEC_E_MESSAGE_ALTERED;
}

SECURITY_STATUS ntlm_make_sig(void *p, uint32_t qop, SecBufferDesc *msg, uint32_t seqno)
{
    struct ntlm_ctx *c = p;
    struct ntlm_buf pieces[NTLM_MAX_PIECES];
    struct sspi_iov iov[NTLM_MAX_PIECES];
    SecBuffer *sig;
    size_t n;
    if (!can_sign(c))
        return SEC_E_INVALID_HANDLE;
    SECURITY_STATUS st = collect(msg, &sig, pieces, &n);
    if (st != SEC_E_OK)
        return st;
    if (sig->cbBuffer < NTLM_SIGNATURE_LEN || !sig->pvBuffer)
        return SEC_E_BUFFER_TOO_SMALL;
    pieces_iov(pieces, n, iov);
    struct ntlm_seal_state *ss = ntlm_session_send(&c->sess);
    ntlm_sign(ss, ss->seq, iov, n, sig->pvBuffer);
    sig->cbBuffer = NTLM_SIGNATURE_LEN;
    return SEC_E_OK;
}

SECURITY_STATUS ntlm_verify_sig(void *p, SecBufferDesc *msg, uint32_t seqno, uint32_t *qop)
{
    struct ntlm_ctx *c = p;
    struct ntlm_buf pieces[NTLM_MAX_PIECES];
    struct sspi_iov iov[NTLM_MAX_PIECES];
    SecBuffer *sig;
    size_t n;
    if (!can_sign(c))
        return SEC_E_INVALID_HANDLE;
    SECURITY_STATUS st = collect(msg, &sig, pieces, &n);
    if (st != SEC_E_OK)
        return st;
    if (sig->cbBuffer != NTLM_SIGNATURE_LEN || !sig->pvBuffer)
        return SEC_E_INVALID_TOKEN;
    struct ntlm_seal_state *ss = ntlm_session_recv(&c->sess);
    st = check_seq(c, sig->pvBuffer, ss);
    if (st != SEC_E_OK)
        return st;
    pieces_iov(pieces, n, iov);
    if (!ntlm_verify(ss, ss->seq, iov, n, sig->pvBuffer))
        return SEC_E_MESSAGE_ALTERED;
    *qop = 0;
    return SEC_E_OK;
}

SECURITY_STATUS ntlm_encrypt(void *p, uint32_t qop, SecBufferDesc *msg, uint32_t seqno)
{
    struct ntlm_ctx *c = p;
    struct ntlm_buf pieces[NTLM_MAX_PIECES];
    SecBuffer *sig;
    size_t n;
    if (!can_sign(c))
        return SEC_E_INVALID_HANDLE;
    if (qop & SECQOP_WRAP_NO_ENCRYPT)
        return ntlm_make_sig(p, 0, msg, seqno);
    if (!(c->flags & NTLMSSP_NEGOTIATE_SEAL))
        return SEC_E_UNSUPPORTED_FUNCTION;
    SECURITY_STATUS st = collect(msg, &sig, pieces, &n);
    if (st != SEC_E_OK)
        return st;
    if (sig->cbBuffer < NTLM_SIGNATURE_LEN || !sig->pvBuffer)
        return SEC_E_BUFFER_TOO_SMALL;
    struct ntlm_seal_state *ss = ntlm_session_send(&c->sess);
    ntlm_seal(ss, ss->seq, pieces, n, sig->pvBuffer);
    sig->cbBuffer = NTLM_SIGNATURE_LEN;
    return SEC_E_OK;
}

/* stream_form - DecryptMessage([SECBUFFER_STREAM = sig || data, SECBUFFER_DATA
 * empty]): point the DATA buffer into the stream after the signature. */
static SECURITY_STATUS stream_form(SecBufferDesc *msg, SecBuffer *sigbuf, SecBuffer **data)
{
    SecBuffer *stream = sspi_find_buffer(msg, SECBUFFER_STREAM, 0);
    *data = sspi_find_buffer(msg, SECBUFFER_DATA, 0);
    if (!stream || !*data || !stream->pvBuffer)
        return SEC_E_INVALID_TOKEN;
    if (stream->cbBuffer < NTLM_SIGNATURE_LEN)
        return SEC_E_INCOMPLETE_MESSAGE;
    sigbuf->BufferType = SECBUFFER_TOKEN;
    sigbuf->cbBuffer = NTLM_SIGNATURE_LEN;
    sigbuf->pvBuffer = stream->pvBuffer;
    (*data)->BufferType = SECBUFFER_DATA;
    (*data)->pvBuffer = (uint8_t *)stream->pvBuffer + NTLM_SIGNATURE_LEN;
    (*data)->cbBuffer = stream->cbBuffer - NTLM_SIGNATURE_LEN;
    return SEC_E_OK;
}

SECURITY_STATUS ntlm_decrypt(void *p, SecBufferDesc *msg, uint32_t seqno, uint32_t *qop)
{
    struct ntlm_ctx *c = p;
    struct ntlm_buf pieces[NTLM_MAX_PIECES];
    SecBuffer *sig, sigbuf;
    size_t n;
    if (!can_sign(c))
        return SEC_E_INVALID_HANDLE;
    if (!(c->flags & NTLMSSP_NEGOTIATE_SEAL))
        return SEC_E_UNSUPPORTED_FUNCTION;
    SECURITY_STATUS st;
    if (sspi_find_buffer(msg, SECBUFFER_STREAM, 0)) {
        SecBuffer *data;
        st = stream_form(msg, &sigbuf, &data);
        if (st != SEC_E_OK)
            return st;
        sig = &sigbuf;
        pieces[0].p = data->pvBuffer;
        pieces[0].len = data->cbBuffer;
        pieces[0].sign_only = false;
        n = 1;
    } else {
        st = collect(msg, &sig, pieces, &n);
        if (st != SEC_E_OK)
            return st;
    }
    if (sig->cbBuffer != NTLM_SIGNATURE_LEN || !sig->pvBuffer)
        return SEC_E_INVALID_TOKEN;
    struct ntlm_seal_state *ss = ntlm_session_recv(&c->sess);
    st = check_seq(c, sig->pvBuffer, ss);
    if (st != SEC_E_OK)
        return st;
    if (!ntlm_unseal(ss, ss->seq, pieces, n, sig->pvBuffer)) {
        for (size_t i = 0; i < n; i++)
            if (!pieces[i].sign_only)
                OPENSSL_cleanse(pieces[i].p, pieces[i].len);
        return SEC_E_MESSAGE_ALTERED;
    }
    *qop = 0;
    return SEC_E_OK;
}
