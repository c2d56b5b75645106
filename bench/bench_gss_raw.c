/* bench/bench_gss_raw.c - Kerberos handshakes with bare MIT GSS-API calls
 * The ceiling for `bench_sspi -p kerberos`: the same credentials, mechanism,
 * flags and target as OpenSSPI's Kerberos package uses underneath, with no
 * SSPI layer. Run it in the environment of tests/interop/kdc/realm.sh
 * (KRB_USER, KRB_PASS, KRB_HTTP_KEYTAB, KRB_HOST, KRB5_CONFIG).
 *
 * Client credential: as OpenSSPI does for a password identity, a TGT from
 * krb5_get_init_creds_password in a private MEMORY ccache made by
 * krb5_cc_new_unique, wrapped with gss_krb5_import_cred; once per credential.
 * Server credential: gss_acquire_cred_from with the keytab KRB_HTTP_KEYTAB
 * ("keytab" cred store), mechanism krb5. Target: "HTTP/KRB_HOST@" (referral
 * realm) as GSS_KRB5_NT_PRINCIPAL_NAME, imported once. Flags: MUTUAL, REPLAY,
 * SEQUENCE, CONF, INTEG (ISC_REQ_MUTUAL_AUTH | _REPLAY_DETECT |
 * _SEQUENCE_DETECT | _CONFIDENTIALITY | _INTEGRITY).
 *
 * One handshake: gss_init_sec_context (AP-REQ), gss_accept_sec_context
 * (AP-REP), gss_init_sec_context (AP-REP in), release the tokens, delete
 * both contexts. After a warm-up handshake the service ticket is in the
 * ccache, so the loop never talks to the KDC.
 *
 * Modes (one line of key=value results on stdout):
 *   handshake [-s SECONDS]   handshakes per second (rate: per wall-clock
 *                            second, cpu_rate: per CPU-second of the thread)
 *   count N                  N handshakes inside gss_counted_handshakes(), for
 *                            valgrind --tool=callgrind
 *                            --toggle-collect=gss_counted_handshakes
 * Before measuring, a client with a wrong password must be refused by the
 * KDC, or the program exits with status 1. */
#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>
#include <krb5.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define GSS_FLAGS \
    (GSS_C_MUTUAL_FLAG | GSS_C_REPLAY_FLAG | GSS_C_SEQUENCE_FLAG | GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG)

static gss_OID_desc krb5_mech = { 9, (void *)"\x2a\x86\x48\x86\xf7\x12\x01\x02\x02" };
static gss_OID_set_desc krb5_mechs = { 1, &krb5_mech };

struct client {
    krb5_context k;
    krb5_ccache cc;
    gss_cred_id_t cred;
};

static gss_cred_id_t server_cred = GSS_C_NO_CREDENTIAL;
static gss_name_t target = GSS_C_NO_NAME;

static void gss_fail(const char *what, OM_uint32 major, OM_uint32 minor)
{
    OM_uint32 m, ctx = 0;
    gss_buffer_desc s;
    fprintf(stderr, "bench_gss_raw: %s: major 0x%08x minor %u", what, (unsigned)major, (unsigned)minor);
    if (gss_display_status(&m, minor, GSS_C_MECH_CODE, &krb5_mech, &ctx, &s) == GSS_S_COMPLETE) {
        fprintf(stderr, " (%.*s)", (int)s.length, (const char *)s.value);
        gss_release_buffer(&m, &s);
    }
    fputc('\n', stderr);
    exit(1);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* client_logon - a TGT for user with password into a private MEMORY ccache;
 * the krb5 error code (0 on success). */
static krb5_error_code client_logon(struct client *c, const char *user, const char *password)
{
    krb5_principal princ = NULL;
    krb5_get_init_creds_opt *opt = NULL;
    krb5_creds creds;
    int have_creds = 0;
    memset(c, 0, sizeof(*c));
    c->cred = GSS_C_NO_CREDENTIAL;
    krb5_error_code code = krb5_init_context(&c->k);
    if (code)
        return code;
    code = krb5_parse_name(c->k, user, &princ);
    if (!code)
        code = krb5_get_init_creds_opt_alloc(c->k, &opt);
    if (!code)
        code = krb5_cc_new_unique(c->k, "MEMORY", NULL, &c->cc);
    if (!code)
        code = krb5_get_init_creds_opt_set_out_ccache(c->k, opt, c->cc);
    if (!code) {
        memset(&creds, 0, sizeof(creds));
        code = krb5_get_init_creds_password(c->k, &creds, princ, password, NULL, NULL, 0, NULL, opt);
        have_creds = code == 0;
    }
    if (!code) {
        OM_uint32 minor, major = gss_krb5_import_cred(&minor, c->cc, NULL, NULL, &c->cred);
        if (GSS_ERROR(major))
            gss_fail("gss_krb5_import_cred", major, minor);
    }
    if (have_creds)
        krb5_free_cred_contents(c->k, &creds);
    if (opt)
        krb5_get_init_creds_opt_free(c->k, opt);
    krb5_free_principal(c->k, princ);
    return code;
}

static void client_free(struct client *c)
{
    OM_uint32 minor;
    if (c->cred != GSS_C_NO_CREDENTIAL)
        gss_release_cred(&minor, &c->cred);
    if (c->cc)
        krb5_cc_destroy(c->k, c->cc);
    if (c->k)
        krb5_free_context(c->k);
}

static void setup(const char *keytab, const char *host)
{
    OM_uint32 minor, major;
    gss_key_value_element_desc el = { "keytab", keytab };
    gss_key_value_set_desc store = { 1, &el };
    major = gss_acquire_cred_from(&minor, GSS_C_NO_NAME, GSS_C_INDEFINITE, &krb5_mechs, GSS_C_ACCEPT,
                                  &store, &server_cred, NULL, NULL);
    if (GSS_ERROR(major))
        gss_fail("gss_acquire_cred_from (acceptor)", major, minor);
    char text[512];
    snprintf(text, sizeof(text), "HTTP/%s@", host);
    gss_buffer_desc b = { strlen(text), text };
    major = gss_import_name(&minor, &b, GSS_KRB5_NT_PRINCIPAL_NAME, &target);
    if (GSS_ERROR(major))
        gss_fail("gss_import_name", major, minor);
}

/* handshake - AP-REQ, AP-REP; both contexts deleted. GSS_S_COMPLETE when the
 * client and the server both completed; else the failing major status. */
static OM_uint32 handshake(const struct client *c, OM_uint32 *minor)
{
    gss_ctx_id_t ic = GSS_C_NO_CONTEXT, ac = GSS_C_NO_CONTEXT;
    gss_buffer_desc req = GSS_C_EMPTY_BUFFER, rep = GSS_C_EMPTY_BUFFER, fin = GSS_C_EMPTY_BUFFER;
    OM_uint32 m, ret = 0;
    OM_uint32 major = gss_init_sec_context(minor, c->cred, &ic, target, &krb5_mech, GSS_FLAGS, 0,
                                           GSS_C_NO_CHANNEL_BINDINGS, GSS_C_NO_BUFFER, NULL, &req,
                                           &ret, NULL);
    if (major != GSS_S_CONTINUE_NEEDED)
        goto out;
    major = gss_accept_sec_context(minor, &ac, server_cred, &req, GSS_C_NO_CHANNEL_BINDINGS, NULL,
                                   NULL, &rep, &ret, NULL, NULL);
    if (major != GSS_S_COMPLETE)
        goto out;
    major = gss_init_sec_context(minor, c->cred, &ic, target, &krb5_mech, GSS_FLAGS, 0,
                                 GSS_C_NO_CHANNEL_BINDINGS, &rep, NULL, &fin, &ret, NULL);
    if (major == GSS_S_COMPLETE && fin.length)
        major = GSS_S_FAILURE;
out:
    if (major == GSS_S_CONTINUE_NEEDED)
        major = GSS_S_FAILURE; /* not complete where it must be */
    gss_release_buffer(&m, &req);
    gss_release_buffer(&m, &rep);
    gss_release_buffer(&m, &fin);
    gss_delete_sec_context(&m, &ic, GSS_C_NO_BUFFER);
    gss_delete_sec_context(&m, &ac, GSS_C_NO_BUFFER);
    return major;
}

static void handshake_or_die(const struct client *c)
{
    OM_uint32 minor;
    OM_uint32 major = handshake(c, &minor);
    if (major != GSS_S_COMPLETE)
        gss_fail("handshake", major, minor);
}

void gss_counted_handshakes(const struct client *c, int n);

/* gss_counted_handshakes - n handshakes; callgrind collects only in here. */
__attribute__((noinline)) void gss_counted_handshakes(const struct client *c, int n)
{
    for (int i = 0; i < n; i++)
        handshake_or_die(c);
}

static int usage(void)
{
    fprintf(stderr, "usage: bench_gss_raw handshake [-s SECONDS]\n"
                    "       bench_gss_raw count N\n"
                    "(in the environment of tests/interop/kdc/realm.sh)\n");
    return 2;
}

int main(int argc, char **argv)
{
    double secs = 1.0;
    long n = 0;
    int i = 2;
    if (argc < 2)
        return usage();
    if (!strcmp(argv[1], "count")) {
        char *end;
        if (argc < 3)
            return usage();
        n = strtol(argv[2], &end, 10);
        if (*end || n < 1 || n > 100000000)
            return usage();
        i = 3;
    } else if (strcmp(argv[1], "handshake") != 0) {
        return usage();
    }
    for (; i < argc; i++) {
        if (!strcmp(argv[i], "-s") && i + 1 < argc)
            secs = strtod(argv[++i], NULL);
        else if (!strcmp(argv[i], "-t") && i + 1 < argc && !strcmp(argv[i + 1], "1"))
            i++; /* one thread only, accepted for symmetry with bench_sspi */
        else
            return usage();
    }
    if (!(secs > 0 && secs < 3600))
        return usage();
    const char *user = getenv("KRB_USER"), *pass = getenv("KRB_PASS");
    const char *kt = getenv("KRB_HTTP_KEYTAB"), *host = getenv("KRB_HOST");
    if (!user || !pass || !kt || !host || !getenv("KRB5_CONFIG")) {
        fprintf(stderr, "bench_gss_raw: needs the environment of tests/interop/kdc/realm.sh "
                        "(source DIR/env)\n");
        return 2;
    }
    setup(kt, host);

    /* the KDC refuses a wrong password: the credential below is a real logon */
    struct client c;
    if (client_logon(&c, user, "not-the-password") == 0) {
        fprintf(stderr, "bench_gss_raw: a wrong password was accepted, refusing to measure\n");
        return 1;
    }
    client_free(&c);
    krb5_error_code code = client_logon(&c, user, pass);
    if (code) {
        fprintf(stderr, "bench_gss_raw: logon as %s failed: %s\n", user,
                c.k ? krb5_get_error_message(c.k, code) : "krb5_init_context");
        return 1;
    }
    handshake_or_die(&c); /* warm-up: the service ticket goes into the ccache */

    if (n) {
        for (int k = 0; k < 2; k++)
            handshake_or_die(&c);
        gss_counted_handshakes(&c, (int)n);
        printf("impl=gss mode=count package=kerberos handshakes=%ld\n", n);
    } else {
        double warm = secs / 5 < 0.2 ? secs / 5 : 0.2;
        double t0 = now_s(), t;
        do
            handshake_or_die(&c);
        while (now_s() - t0 < warm);
        uint64_t ops = 0;
        double c0 = cpu_s();
        t0 = now_s();
        do {
            handshake_or_die(&c);
            ops++;
            t = now_s();
        } while (t - t0 < secs);
        double cpu = cpu_s() - c0;
        printf("impl=gss mode=handshake package=kerberos threads=1 ops=%llu secs=%.3f rate=%.1f "
               "cpu_rate=%.1f\n",
               (unsigned long long)ops, t - t0, (double)ops / (t - t0),
               (double)ops / (cpu > 0 ? cpu : t - t0));
    }
    client_free(&c);
    OM_uint32 minor;
    gss_release_cred(&minor, &server_cred);
    gss_release_name(&minor, &target);
    return 0;
}
