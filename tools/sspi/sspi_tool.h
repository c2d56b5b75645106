/* tools/sspi/sspi_tool.h - shared declarations of the `sspi` command-line tool
 * The tool is written like portable Windows SSPI code: it sees only the public
 * headers (security.h) and the exported functions. `decode` alone also reads
 * the internal NTLM message parser. */
#ifndef SSPI_TOOL_H
#define SSPI_TOOL_H

#define SECURITY_WIN32
#include <security.h>

#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define TOOL_NAME "sspi"

/* --- status.c: names for statuses and flag words --- */
struct flag_name {
    uint32_t bit;
    const char *name;
};
extern const struct flag_name secpkg_flag_names[]; /* SECPKG_FLAG_* without prefix */
extern const struct flag_name isc_ret_flag_names[]; /* ISC_RET_* without prefix */
extern const struct flag_name asc_ret_flag_names[]; /* ASC_RET_* without prefix */
extern const struct flag_name isc_req_flag_names[]; /* ISC_REQ_* without prefix */
extern const struct flag_name asc_req_flag_names[]; /* ASC_REQ_* without prefix */

/* status_name - "SEC_E_LOGON_DENIED" for a known code, else NULL. */
const char *status_name(SECURITY_STATUS st);
/* status_str - "SEC_E_LOGON_DENIED (0x8009030C)" written into buf; returns buf. */
const char *status_str(SECURITY_STATUS st, char *buf, size_t cap);
/* status_parse - the code for a SEC_E_ / SEC_I_ name; false if unknown. */
bool status_parse(const char *text, SECURITY_STATUS *st);
/* flags_str - "PREFIXA | PREFIXB | 0x00000100" for the bits of v named in tab
 * (terminated by a NULL name); unnamed bits are shown in hex, 0 as 0x00000000.
 * Always NUL-terminates buf (truncating if short); returns buf. */
const char *flags_str(uint32_t v, const struct flag_name *tab, const char *prefix, char *buf,
                      size_t cap);

/* Handy fixed-size buffers for the two helpers above. */
struct strbuf {
    char s[1024];
};
#define STATUS(st) status_str((st), (struct strbuf){{0}}.s, sizeof(struct strbuf))
#define FLAGS(v, tab, prefix) flags_str((v), (tab), (prefix), (struct strbuf){{0}}.s, sizeof(struct strbuf))

/* --- base64.c --- */
/* b64_encode - malloc'd NUL-terminated base64 of in[0..n); NULL on allocation failure. */
char *b64_encode(const uint8_t *in, size_t n);
/* b64_decode - decode in[0..len) (padding optional, no whitespace) into a malloc'd
 * buffer the caller frees; false (nothing allocated) on any invalid input. */
bool b64_decode(const char *in, size_t len, uint8_t **out, size_t *out_len);

/* --- identity.c --- */
/* struct tool_identity - a SEC_WINNT_AUTH_IDENTITY_A built from "DOMAIN\user"
 * (or "user@realm", kept whole as the user) and a password. Owns its strings. */
struct tool_identity {
    SEC_WINNT_AUTH_IDENTITY_A id;
    char *user, *domain, *password;
};
/* identity_init - split user_arg and copy everything; false on allocation failure. */
bool identity_init(struct tool_identity *ti, const char *user_arg, const char *password);
/* identity_free - wipe the password and free; safe on a zeroed struct. */
void identity_free(struct tool_identity *ti);
/* password_from_env_or_prompt - --password value, else $SSPI_PASSWORD, else a
 * prompt on /dev/tty without echo. malloc'd; NULL if none could be read. */
char *password_from_env_or_prompt(const char *given, const char *user);
/* wipe_free - zero a NUL-terminated secret string and free it. */
void wipe_free(char *s);
/* wipe - zero memory in a way the compiler keeps. */
void wipe(void *p, size_t n);

/* --- net.c --- */
/* net_listen - a listening TCP socket on host:port (port 0: any free port);
 * *bound receives the port chosen. -1 with a message on stderr on failure. */
int net_listen(const char *host, uint16_t port, uint16_t *bound);
/* net_connect - a TCP connection to host:port; -1 with a message on failure. */
int net_connect(const char *host, const char *port);
/* net_timeout - receive/send timeout in seconds for a socket. */
void net_timeout(int fd, int seconds);
bool net_write_all(int fd, const void *buf, size_t len);
/* net_read_all - exactly len bytes; false on EOF, error or timeout. */
bool net_read_all(int fd, void *buf, size_t len);

/* --- http_msg.c: a tiny HTTP/1.1 message reader --- */
#define HTTP_MAX_HEADERS 64
#define HTTP_MAX_HEAD 65536
#define HTTP_MAX_BODY (16u << 20)

struct http_conn {
    int fd;
    size_t start, end; /* unread bytes are buf[start..end) */
    char buf[16384];
};
struct http_header {
    const char *name, *value; /* point into http_head.raw */
};
struct http_head {
    char raw[HTTP_MAX_HEAD];   /* the start line and headers, NUL-separated */
    const char *start_line;
    /* requests: method/target/version; responses: version/status/reason */
    const char *part[3];
    int status;
    size_t nheaders;
    struct http_header headers[HTTP_MAX_HEADERS];
};
void http_conn_init(struct http_conn *c, int fd);
/* http_read_head - read the start line and headers. false on EOF before any
 * byte (*eof set), or on a malformed/oversized head or I/O error. */
bool http_read_head(struct http_conn *c, struct http_head *h, bool *eof);
/* http_header_at - value of the index-th header named name (case-insensitive), or NULL. */
const char *http_header_at(const struct http_head *h, const char *name, unsigned index);
/* http_has_token - header name contains token in its comma-separated list. */
bool http_has_token(const struct http_head *h, const char *name, const char *token);
/* http_read_body - read the body a message announces (Content-Length or
 * chunked; for a response without either, until EOF when until_eof). The
 * body is malloc'd and NUL-terminated (caller frees); false on error. */
bool http_read_body(struct http_conn *c, const struct http_head *h, bool until_eof,
                    uint8_t **body, size_t *len);
/* http_find_auth - look through every header named hname (WWW-Authenticate,
 * Authorization) for a challenge/credentials element "scheme [token]"
 * (scheme compared case-insensitively; elements are comma-separated). On a
 * match, *tok and *toklen give the token (empty when absent), aliasing h. */
bool http_find_auth(const struct http_head *h, const char *hname, const char *scheme,
                    const char **tok, size_t *toklen);

/* --- tokens.c --- */
/* token_kind - a short description of a token from its first bytes
 * ("NTLM CHALLENGE_MESSAGE", "SPNEGO NegTokenResp", ...); never NULL. */
const char *token_kind(const uint8_t *tok, size_t len);
/* hex_dump - 16 bytes a line with offsets and ASCII, each line prefixed by indent. */
void hex_dump(FILE *f, const char *indent, const uint8_t *p, size_t n);

/* --- commands --- */
int cmd_packages(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_http(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_decode(int argc, char **argv);
int cmd_status(int argc, char **argv);

/* is_help - argv word asks for help. */
bool is_help(const char *arg);

#endif
