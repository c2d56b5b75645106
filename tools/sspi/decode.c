/* tools/sspi/decode.c - `sspi decode`: an NTLM or SPNEGO token in readable form
 * Input: base64 (or hex with --hex), optionally as a whole header value
 * ("NTLM xxx", "Negotiate xxx", "Authorization: NTLM xxx"). Parsing is done by
 * the library's own message layers (src/ntlm/ntlm_message.h, ntlm_av_pairs.h,
 * src/negotiate/spnego_token.h); this file only walks the results and prints
 * them. An NTLM message inside a SPNEGO token is decoded too; Kerberos tokens
 * are named and shown in hex. */
#include "sspi_tool.h"

#include "negotiate/spnego_token.h"
#include "ntlm/ntlm_av_pairs.h"
#include "ntlm/ntlm_message.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define FILETIME_UNIX_EPOCH 116444736000000000ull /* 1970-01-01 in 100 ns since 1601 */

static void print_hex(const uint8_t *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        printf("%02x", p[i]);
}

static bool all_zero(const uint8_t *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (p[i] != 0)
            return false;
    return true;
}

/* put_char - one Unicode code point as UTF-8, controls and quotes escaped. */
static void put_char(uint32_t cp)
{
    if (cp == '"' || cp == '\\')
        printf("\\%c", (char)cp);
    else if (cp < 0x20 || cp == 0x7f)
        printf("\\x%02x", (unsigned)cp);
    else if (cp < 0x80)
        putchar((int)cp);
    else if (cp < 0x800)
        printf("%c%c", 0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000)
        printf("%c%c%c", 0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else
        printf("%c%c%c%c", 0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f),
               0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
}

/* print_utf16 - a UTF-16LE field, quoted; lone surrogates as \uXXXX and an
 * odd trailing byte noted. */
static void print_utf16(struct rd s)
{
    size_t i, n = s.len / 2;

    putchar('"');
    for (i = 0; i < n; i++) {
        uint32_t u = (uint32_t)s.p[2 * i] | (uint32_t)s.p[2 * i + 1] << 8;
        if (u >= 0xd800 && u < 0xdc00 && i + 1 < n) {
            uint32_t lo = (uint32_t)s.p[2 * i + 2] | (uint32_t)s.p[2 * i + 3] << 8;
            if (lo >= 0xdc00 && lo < 0xe000) {
                put_char(0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00));
                i++;
                continue;
            }
        }
        if (u >= 0xd800 && u < 0xe000)
            printf("\\u%04x", (unsigned)u);
        else
            put_char(u);
    }
    putchar('"');
    if (s.len % 2 != 0)
        printf(" (odd length: %zu bytes)", s.len);
}

/* print_oem - an OEM (8-bit) field, quoted, non-ASCII bytes escaped. */
static void print_oem(struct rd s)
{
    size_t i;

    putchar('"');
    for (i = 0; i < s.len; i++) {
        if (s.p[i] >= 0x80)
            printf("\\x%02x", s.p[i]);
        else
            put_char(s.p[i]);
    }
    putchar('"');
}

static void print_string(const char *label, struct rd s, bool unicode)
{
    printf("  %-18s", label);
    if (unicode)
        print_utf16(s);
    else
        print_oem(s);
    printf("%s\n", unicode ? "" : " (OEM)");
}

static void print_filetime(uint64_t ft)
{
    if (ft >= FILETIME_UNIX_EPOCH) {
        uint64_t since = ft - FILETIME_UNIX_EPOCH;
        time_t secs = (time_t)(since / 10000000u);
        struct tm tm;
        char buf[64];
        if (gmtime_r(&secs, &tm) != NULL && strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm) > 0) {
            printf("%s.%07u UTC", buf, (unsigned)(since % 10000000u));
            return;
        }
    }
    printf("FILETIME 0x%016" PRIx64, ft);
}

static void print_flags(uint32_t flags)
{
    uint32_t bit;

    printf("  %-18s0x%08" PRIx32 "\n", "flags", flags);
    for (bit = 1; bit != 0; bit <<= 1) {
        const char *name;
        if ((flags & bit) == 0)
            continue;
        name = ntlm_flag_name(bit);
        if (name != NULL)
            printf("  %-18s  %s\n", "", name);
        else
            printf("  %-18s  0x%08" PRIx32 "\n", "", bit);
    }
}

static void print_version(bool has, const struct ntlm_version *v)
{
    if (!has) {
        printf("  %-18s(absent)\n", "version");
        return;
    }
    printf("  %-18s%u.%u build %u, NTLM revision %u%s\n", "version", v->major, v->minor,
           (unsigned)v->build, v->revision, v->revision == 15 ? " (NTLMSSP_REVISION_W2K3)" : "");
}

static const char *av_flag_names[] = {"constrained authentication", "MIC present",
                                      "SPN from an untrusted source"};

/* print_av_pairs - every AV_PAIR in wire order; returns MsvAvFlags (0 if absent). */
static uint32_t print_av_pairs(struct rd list, const char *indent)
{
    struct ntlm_av av;
    uint32_t av_flags = 0;
    struct rd r = list;

    if (!ntlm_av_parse(list, &av))
        printf("%s(the list does not pass the library's AV_PAIR checks)\n", indent);
    for (;;) {
        uint16_t id, len;
        struct rd val;
        const char *name;
        if (!rd_u16le(&r, &id) || !rd_u16le(&r, &len) || !rd_bytes(&r, len, &val)) {
            if (r.len > 0 || r.err)
                printf("%s(truncated AV_PAIR)\n", indent);
            break;
        }
        name = ntlm_av_name(id);
        if (id == MSV_AV_EOL) {
            printf("%s%s\n", indent, name);
            if (r.len > 0)
                printf("%s(%zu bytes after MsvAvEOL%s)\n", indent, r.len,
                       all_zero(r.p, r.len) ? ", zero padding" : "");
            return av_flags;
        }
        if (name != NULL)
            printf("%s%-22s", indent, name);
        else
            printf("%sAvId %-17u", indent, (unsigned)id);
        switch (id) {
        case MSV_AV_NB_COMPUTER_NAME:
        case MSV_AV_NB_DOMAIN_NAME:
        case MSV_AV_DNS_COMPUTER_NAME:
        case MSV_AV_DNS_DOMAIN_NAME:
        case MSV_AV_DNS_TREE_NAME:
        case MSV_AV_TARGET_NAME:
            print_utf16(val);
            printf("\n");
            break;
        case MSV_AV_FLAGS:
            if (val.len == 4) {
                uint32_t f = (uint32_t)val.p[0] | (uint32_t)val.p[1] << 8
                             | (uint32_t)val.p[2] << 16 | (uint32_t)val.p[3] << 24;
                size_t i;
                av_flags = f;
                printf("0x%08" PRIx32, f);
                for (i = 0; i < 3; i++)
                    if (f & (1u << i))
                        printf(" (%s)", av_flag_names[i]);
                printf("\n");
            } else {
                printf("(%u bytes: should be 4)\n", (unsigned)len);
            }
            break;
        case MSV_AV_TIMESTAMP:
            if (val.len == 8) {
                uint64_t ft = 0;
                for (int i = 7; i >= 0; i--)
                    ft = ft << 8 | val.p[i];
                print_filetime(ft);
                printf("\n");
            } else {
                printf("(%u bytes: should be 8)\n", (unsigned)len);
            }
            break;
        case MSV_AV_CHANNEL_BINDINGS:
            print_hex(val.p, val.len);
            printf("%s\n", all_zero(val.p, val.len) ? " (all zero: no channel binding)" : "");
            break;
        case MSV_AV_SINGLE_HOST:
            printf("%u bytes (Single_Host_Data)\n", (unsigned)len);
            break;
        default:
            printf("%u bytes: ", (unsigned)len);
            print_hex(val.p, val.len);
            printf("\n");
        }
    }
    printf("%s(no MsvAvEOL)\n", indent);
    return av_flags;
}

static int decode_negotiate(struct rd msg)
{
    struct ntlm_negotiate m;

    if (!ntlm_parse_negotiate(msg, &m))
        return 1;
    printf("NTLM NEGOTIATE_MESSAGE (type 1), %zu bytes\n", msg.len);
    print_flags(m.flags);
    print_string("domain", m.domain, false);
    print_string("workstation", m.workstation, false);
    print_version(m.has_version, &m.version);
    return 0;
}

static int decode_challenge(struct rd msg)
{
    struct ntlm_challenge m;

    if (!ntlm_parse_challenge(msg, &m))
        return 1;
    printf("NTLM CHALLENGE_MESSAGE (type 2), %zu bytes\n", msg.len);
    print_flags(m.flags);
    print_string("target name", m.target_name, (m.flags & NTLMSSP_NEGOTIATE_UNICODE) != 0);
    printf("  %-18s", "server challenge");
    print_hex(m.server_challenge, 8);
    printf("\n");
    print_version(m.has_version, &m.version);
    printf("  %-18s%zu bytes\n", "target info", m.target_info.len);
    if (m.target_info.len > 0)
        print_av_pairs(m.target_info, "    ");
    return 0;
}

static int decode_authenticate(struct rd msg)
{
    struct ntlm_authenticate m;
    bool unicode;
    uint32_t av_flags = 0;

    if (!ntlm_parse_authenticate(msg, &m))
        return 1;
    unicode = (m.flags & NTLMSSP_NEGOTIATE_UNICODE) != 0;
    printf("NTLM AUTHENTICATE_MESSAGE (type 3), %zu bytes\n", msg.len);
    print_flags(m.flags);
    print_string("domain", m.domain, unicode);
    print_string("user", m.user, unicode);
    print_string("workstation", m.workstation, unicode);
    print_version(m.has_version, &m.version);

    printf("  %-18s%zu bytes", "LM response", m.lm_response.len);
    if (m.lm_response.len == 24 && all_zero(m.lm_response.p, 24))
        printf(" (all zero: LMv2 left out, as with a MsvAvTimestamp)");
    printf("\n");

    printf("  %-18s%zu bytes", "NT response", m.nt_response.len);
    if (m.nt_response.len == 0) {
        printf(" (anonymous)\n");
    } else if (m.nt_response.len == 24) {
        printf(" (NTLMv1%s)\n",
               m.flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY ? " with extended session security" : "");
    } else {
        uint8_t proof[16];
        struct ntlm_v2_blob b;
        printf(" (NTLMv2)\n");
        if (ntlm_parse_v2_blob(m.nt_response, proof, &b)) {
            printf("    %-20s", "NTProofStr");
            print_hex(proof, 16);
            printf("\n    %-20s%u / %u\n", "RespType/HiRespType", b.resp_type, b.hi_resp_type);
            printf("    %-20s", "timestamp");
            print_filetime(b.timestamp);
            printf("\n    %-20s", "client challenge");
            print_hex(b.client_challenge, 8);
            printf("\n    AV pairs (%zu bytes):\n", b.av_pairs.len);
            av_flags = print_av_pairs(b.av_pairs, "      ");
        } else {
            printf("    (not a well-formed NTLMv2_CLIENT_CHALLENGE)\n");
        }
    }

    printf("  %-18s", "MIC");
    if (!m.has_mic_room)
        printf("absent (no room for one: the payload starts before offset 88)\n");
    else if (all_zero(m.mic, 16))
        printf("field present but zero%s\n",
               av_flags & MSV_AV_FLAG_MIC ? " (yet MsvAvFlags says a MIC is present!)" : "");
    else {
        print_hex(m.mic, 16);
        printf(" (present%s)\n", av_flags & MSV_AV_FLAG_MIC ? ", announced by MsvAvFlags"
                                                            : ", but MsvAvFlags does not announce it");
    }
    printf("  %-18s%zu bytes%s\n", "session key", m.enc_session_key.len,
           m.enc_session_key.len == 0                     ? " (none)"
           : (m.flags & NTLMSSP_NEGOTIATE_KEY_EXCH) != 0 ? " (encrypted random session key, KEY_EXCH)"
                                                          : "");
    return 0;
}

/* decode_ntlm - decode one NTLMSSP message; 0, or 1 when it is malformed. */
static int decode_ntlm(const uint8_t *p, size_t n)
{
    struct rd msg = rd_init(p, n);
    int type = ntlm_message_type(msg), rc = 1;

    if (type == NTLM_NEGOTIATE)
        rc = decode_negotiate(msg);
    else if (type == NTLM_CHALLENGE)
        rc = decode_challenge(msg);
    else if (type == NTLM_AUTHENTICATE)
        rc = decode_authenticate(msg);
    if (rc != 0) {
        printf("malformed NTLM message%s (%zu bytes):\n", type ? "" : " (unknown type)", n);
        hex_dump(stdout, "  ", p, n);
    }
    return rc;
}

/* print_oid - dotted form of OID contents bytes, then a name if we know it. */
static void print_oid(struct rd oid)
{
    static const struct {
        const uint8_t *oid;
        size_t len;
        const char *name;
    } known[] = {
        {spnego_oid_spnego, sizeof(spnego_oid_spnego), "SPNEGO"},
        {spnego_oid_ms_krb5, sizeof(spnego_oid_ms_krb5), "MS KRB5 (Windows' Kerberos OID)"},
        {spnego_oid_krb5, sizeof(spnego_oid_krb5), "Kerberos 5"},
        {spnego_oid_ntlm, sizeof(spnego_oid_ntlm), "NTLM"},
        {spnego_oid_negoex, sizeof(spnego_oid_negoex), "NEGOEX"},
    };
    uint64_t arc = 0;
    size_t i;
    bool first = true;

    for (i = 0; i < oid.len; i++) {
        arc = arc << 7 | (oid.p[i] & 0x7f);
        if (oid.p[i] & 0x80) {
            if (arc > (UINT64_MAX >> 7)) {
                printf("(malformed OID)");
                return;
            }
            continue;
        }
        if (first) {
            unsigned top = arc < 40 ? 0 : arc < 80 ? 1 : 2;
            printf("%u.%" PRIu64, top, arc - 40u * top);
            first = false;
        } else {
            printf(".%" PRIu64, arc);
        }
        arc = 0;
    }
    for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
        if (oid.len == known[i].len && memcmp(oid.p, known[i].oid, oid.len) == 0)
            printf(" (%s)", known[i].name);
}

static int decode_token(const uint8_t *p, size_t n, int depth);

/* decode_inner - a token carried inside SPNEGO (mechToken, responseToken). */
static int decode_inner(const char *label, struct rd t, int depth)
{
    printf("  %-18s%zu bytes: %s\n", label, t.len, token_kind(t.p, t.len));
    if (t.len == 0)
        return 0;
    printf("\n");
    return decode_token(t.p, t.len, depth + 1);
}

static void print_mic(const struct rd *mic)
{
    printf("  %-18s%zu bytes: ", "mechListMIC", mic->len);
    print_hex(mic->p, mic->len);
    printf("\n");
}

static int decode_spnego_init(const uint8_t *p, size_t n, int depth)
{
    static const char *const flag_names[] = {"deleg", "mutual", "replay", "sequence",
                                             "anon", "conf", "integ"};
    struct spnego_init m;
    size_t i;
    int rc = 0;

    if (!spnego_parse_init(rd_init(p, n), &m))
        return -1;
    printf("SPNEGO %s, %zu bytes\n", m.has_hints ? "NegTokenInit2 (server-initiated)" : "NegTokenInit", n);
    for (i = 0; i < m.nmechs; i++) {
        printf("  %-18s", i == 0 ? "mechTypes" : "");
        print_oid(m.mechs[i]);
        printf("%s\n", i == 0 ? "  <- preferred" : "");
    }
    if (m.has_req_flags) {
        printf("  %-18s0x%02" PRIx32, "reqFlags", m.req_flags);
        for (i = 0; i < 7; i++)
            if (m.req_flags & (1u << i))
                printf(" %s", flag_names[i]);
        printf("\n");
    }
    if (m.has_hints) {
        printf("  %-18s", "hintName");
        if (m.has_hint_name)
            print_oem(m.hint_name);
        else
            printf("(absent)");
        printf("\n");
        if (m.has_hint_address)
            printf("  %-18s%zu bytes\n", "hintAddress", m.hint_address.len);
    }
    if (m.has_mic)
        print_mic(&m.mic);
    if (m.has_mech_token)
        rc = decode_inner("mechToken", m.mech_token, depth);
    return rc;
}

static int decode_spnego_resp(const uint8_t *p, size_t n, int depth)
{
    static const char *const states[] = {"accept-completed", "accept-incomplete", "reject",
                                         "request-mic"};
    struct spnego_resp m;
    int rc = 0;

    if (!spnego_parse_resp(rd_init(p, n), &m))
        return -1;
    printf("SPNEGO NegTokenResp, %zu bytes\n", n);
    if (m.has_state)
        printf("  %-18s%" PRIu32 " (%s)\n", "negState", m.state, m.state < 4 ? states[m.state] : "?");
    if (m.has_mech) {
        printf("  %-18s", "supportedMech");
        print_oid(m.mech);
        printf("\n");
    }
    if (m.has_mic)
        print_mic(&m.mic);
    if (m.has_token)
        rc = decode_inner("responseToken", m.token, depth);
    return rc;
}

/* embedded_ntlm - an NTLMSSP message inside a DER token (SPNEGO mechToken or
 * responseToken): the OCTET STRING whose contents start with the signature. */
static bool embedded_ntlm(const uint8_t *p, size_t n, size_t *off, size_t *len)
{
    size_t i;

    for (i = 2; i + 8 <= n; i++) {
        size_t l;
        if (memcmp(p + i, "NTLMSSP", 8) != 0)
            continue;
        if (p[i - 2] == 0x04 && p[i - 1] < 0x80)
            l = p[i - 1];
        else if (i >= 3 && p[i - 3] == 0x04 && p[i - 2] == 0x81)
            l = p[i - 1];
        else if (i >= 4 && p[i - 4] == 0x04 && p[i - 3] == 0x82)
            l = (size_t)p[i - 2] << 8 | p[i - 1];
        else
            continue;
        if (l > n - i)
            continue;
        *off = i;
        *len = l;
        return true;
    }
    return false;
}

/* decode_token - any token we know: NTLMSSP, SPNEGO (NegTokenInit in the GSS-API
 * framing, or a bare NegTokenResp), else named and dumped in hex. 0, or 1 when
 * malformed. depth limits SPNEGO inside SPNEGO. */
static int decode_token(const uint8_t *p, size_t n, int depth)
{
    size_t off, len;
    int rc = -1;

    if (n >= 8 && memcmp(p, "NTLMSSP", 8) == 0)
        return decode_ntlm(p, n);
    if (depth < 2 && n > 0 && p[0] == 0x60)
        rc = decode_spnego_init(p, n, depth);
    else if (depth < 2 && n > 0 && p[0] == 0xa1)
        rc = decode_spnego_resp(p, n, depth);
    if (rc >= 0)
        return rc;
    if (n > 0 && (p[0] == 0x60 || p[0] == 0xa0 || p[0] == 0xa1)) {
        const char *kind = token_kind(p, n);
        bool spnego = strncmp(kind, "SPNEGO", 6) == 0;
        printf("%s, %zu bytes%s:\n", kind, n, spnego ? " (malformed)" : " (not decoded)");
        hex_dump(stdout, "  ", p, n);
        if (embedded_ntlm(p, n, &off, &len)) {
            printf("\nembedded NTLM message at offset %zu:\n", off);
            return decode_ntlm(p + off, len);
        }
        return spnego ? 1 : 0;
    }
    printf("not an NTLM message or a SPNEGO token (%zu bytes):\n", n);
    hex_dump(stdout, "  ", p, n);
    return 1;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

static bool hex_decode(const char *s, size_t n, uint8_t **out, size_t *outlen)
{
    uint8_t *b;
    size_t i;

    if (n % 2 != 0)
        return false;
    b = malloc(n / 2 + 1);
    if (b == NULL)
        return false;
    for (i = 0; i < n; i += 2) {
        int hi = hexval((unsigned char)s[i]), lo = hexval((unsigned char)s[i + 1]);
        if (hi < 0 || lo < 0) {
            free(b);
            return false;
        }
        b[i / 2] = (uint8_t)(hi << 4 | lo);
    }
    *out = b;
    *outlen = n / 2;
    return true;
}

/* read_stdin - the whole of stdin, NUL-terminated (malloc'd), or NULL. */
static char *read_stdin(void)
{
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);

    while (buf != NULL) {
        size_t got = fread(buf + n, 1, cap - n - 1, stdin);
        n += got;
        if (got == 0)
            break;
        if (n + 1 == cap) {
            char *nb = cap > (64u << 20) ? NULL : realloc(buf, cap * 2);
            if (nb == NULL) {
                free(buf);
                return NULL;
            }
            buf = nb;
            cap *= 2;
        }
    }
    if (buf != NULL)
        buf[n] = '\0';
    return buf;
}

static void decode_usage(FILE *f)
{
    fprintf(f,
            "usage: " TOOL_NAME " decode [--hex] TOKEN\n"
            "       " TOOL_NAME " decode [--hex] -          (read TOKEN from stdin)\n"
            "\n"
            "Decodes an NTLM message (alone or inside SPNEGO) into readable fields:\n"
            "type, flags by name, domain/user/workstation/target names, version, AV\n"
            "pairs (timestamps as dates, MsvAvFlags by name), the NTLMv2 blob, MIC\n"
            "and session key.\n"
            "\n"
            "TOKEN is base64, or a whole header value such as \"NTLM TlRMTVNT...\",\n"
            "\"Negotiate YIIB...\" or \"Authorization: NTLM TlRMTVNT...\". With --hex it\n"
            "is hexadecimal instead. SPNEGO tokens (NegTokenInit[2], NegTokenResp)\n"
            "are decoded with the NTLM message they carry; Kerberos tokens are named\n"
            "and shown in hex.\n");
}

int cmd_decode(int argc, char **argv)
{
    const char *arg = NULL, *s, *colon, *sp;
    char *input = NULL;
    bool hex = false;
    uint8_t *tok = NULL;
    size_t n, toklen = 0;
    int rc = 1;

    for (int a = 1; a < argc; a++) {
        if (is_help(argv[a])) {
            decode_usage(stdout);
            return 0;
        } else if (strcmp(argv[a], "--hex") == 0) {
            hex = true;
        } else if (arg == NULL && (argv[a][0] != '-' || strcmp(argv[a], "-") == 0)) {
            arg = argv[a];
        } else {
            fprintf(stderr, TOOL_NAME " decode: unexpected argument '%s'\n\n", argv[a]);
            decode_usage(stderr);
            return 2;
        }
    }
    if (arg == NULL) {
        decode_usage(stderr);
        return 2;
    }
    if (strcmp(arg, "-") == 0) {
        input = read_stdin();
        if (input == NULL) {
            fprintf(stderr, TOOL_NAME " decode: cannot read stdin\n");
            return 1;
        }
        arg = input;
    }
    /* Trim, then drop a header name ("Authorization:") and a scheme ("NTLM "). */
    s = arg;
    while (isspace((unsigned char)*s))
        s++;
    n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    colon = memchr(s, ':', n);
    if (colon != NULL && memchr(s, ' ', (size_t)(colon - s)) == NULL) {
        n -= (size_t)(colon + 1 - s);
        s = colon + 1;
        while (n > 0 && isspace((unsigned char)*s)) {
            s++;
            n--;
        }
    }
    sp = memchr(s, ' ', n);
    if (sp != NULL) {
        size_t sl = (size_t)(sp - s);
        if (!((sl == 4 && strncasecmp(s, "NTLM", 4) == 0)
              || (sl == 9 && strncasecmp(s, "Negotiate", 9) == 0))) {
            fprintf(stderr, TOOL_NAME " decode: unknown scheme '%.*s' (expected NTLM or Negotiate)\n",
                    (int)sl, s);
            goto out;
        }
        n -= sl + 1;
        s = sp + 1;
        while (n > 0 && *s == ' ') {
            s++;
            n--;
        }
    }
    if (hex ? !hex_decode(s, n, &tok, &toklen) : !b64_decode(s, n, &tok, &toklen)) {
        fprintf(stderr, TOOL_NAME " decode: the token is not valid %s\n", hex ? "hex" : "base64");
        goto out;
    }
    if (toklen == 0) {
        fprintf(stderr, TOOL_NAME " decode: empty token\n");
        goto out;
    }
    rc = decode_token(tok, toklen, 0);
out:
    free(tok);
    free(input);
    return rc;
}
