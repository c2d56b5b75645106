/* tests/fuzz/fuzz_spnego.c - SPNEGO tokens (src/negotiate/spnego_token.c) and the
 * Negotiate package's accept and initiate paths through the public API.
 * The first input byte picks what the rest is:
 *   0  a token for the message layer: NegTokenInit(2) or NegTokenResp; what
 *      parses is rebuilt and must parse back to the same fields
 *   1  the first token a Negotiate server receives
 *   2  the server's first answer to a real Negotiate client (after its
 *      NegTokenInit)
 *   3  the client's second token to a real Negotiate server (after NegTokenInit
 *      and the CHALLENGE): nobody can log on as alice without her password, the
 *      only logon the input can win is the anonymous null session.
 * Must never crash, leak or read out of bounds. */
#define SECURITY_WIN32
#include <security.h>

#include "negotiate/spnego_token.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static CredHandle ccred, scred;
static int ready;

static void setup(void)
{
    char path[] = "/tmp/opensspi-fuzz-nego-users-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        abort();
    static const char users[] = "FUZZ:alice:Secret123\n";
    if (write(fd, users, sizeof(users) - 1) != (ssize_t)(sizeof(users) - 1))
        abort();
    close(fd);
    setenv("NTLM_USER_FILE", path, 1);
    /* Kerberos, when built in, finds no KDC and no keytab, without asking DNS */
    char conf[] = "/tmp/opensspi-fuzz-nego-krb5-XXXXXX";
    static const char text[] = "[libdefaults]\n dns_lookup_kdc = false\n dns_lookup_realm = false\n";
    fd = mkstemp(conf);
    if (fd < 0 || write(fd, text, sizeof(text) - 1) != (ssize_t)(sizeof(text) - 1))
        abort();
    close(fd);
    setenv("KRB5_CONFIG", conf, 1);
    setenv("KRB5CCNAME", "FILE:/nonexistent/opensspi-fuzz-ccache", 1);
    setenv("KRB5_KTNAME", "FILE:/nonexistent/opensspi-fuzz-keytab", 1);
    /* the client goes straight to NTLM (a Kerberos attempt per input is slow) */
    SEC_WINNT_AUTH_IDENTITY_EXA id;
    memset(&id, 0, sizeof(id));
    id.Version = SEC_WINNT_AUTH_IDENTITY_VERSION;
    id.Length = sizeof(id);
    id.User = (unsigned char *)"alice";
    id.UserLength = 5;
    id.Domain = (unsigned char *)"FUZZ";
    id.DomainLength = 4;
    id.Password = (unsigned char *)"Secret123";
    id.PasswordLength = 9;
    id.PackageList = (unsigned char *)"!Kerberos";
    id.PackageListLength = 9;
    id.Flags = SEC_WINNT_AUTH_IDENTITY_ANSI;
    TimeStamp ts;
    if (AcquireCredentialsHandleA(NULL, "Negotiate", SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL, &ccred, &ts)
        || AcquireCredentialsHandleA(NULL, "Negotiate", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL, &scred, &ts))
        abort();
    ready = 1;
}

static bool same(struct rd a, struct rd b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

static void message_layer(const uint8_t *data, size_t size)
{
    struct spnego_init in, in2;
    struct spnego_resp r, r2;
    struct wr w;
    wr_init(&w, 256, 1u << 20, 0);
    if (spnego_parse_init(rd_init(data, size), &in)) {
        if (!spnego_build_init(&w, &in) || !spnego_parse_init(rd_init(w.buf, w.len), &in2))
            abort();
        if (in.nmechs != in2.nmechs || !same(in.mech_types, in2.mech_types) || in.has_mech_token != in2.has_mech_token
            || !same(in.mech_token, in2.mech_token) || in.has_mic != in2.has_mic || !same(in.mic, in2.mic)
            || in.has_hints != in2.has_hints || !same(in.hint_name, in2.hint_name)
            || !same(in.hint_address, in2.hint_address) || in.has_req_flags != in2.has_req_flags
            || in.req_flags != in2.req_flags)
            abort();
        for (size_t i = 0; i < in.nmechs; i++)
            if (!same(in.mechs[i], in2.mechs[i]))
                abort();
    }
    w.len = 0;
    if (spnego_parse_resp(rd_init(data, size), &r)) {
        if (!spnego_build_resp(&w, &r) || w.len != size || memcmp(w.buf, data, size) != 0)
            abort(); /* strict DER: one encoding */
        if (!spnego_parse_resp(rd_init(w.buf, w.len), &r2) || r2.state != r.state || !same(r.token, r2.token))
            abort();
    }
    wr_free(&w);
}

/* step - one ISC or ASC; the output goes to out/outlen */
static SECURITY_STATUS step(bool client, CtxtHandle *ctx, bool have, void *in, ULONG inlen, uint8_t *out,
                            ULONG *outlen, ULONG *attr)
{
    SecBuffer ib = { inlen, SECBUFFER_TOKEN, in }, ob = { *outlen, SECBUFFER_TOKEN, out };
    SecBufferDesc id = { SECBUFFER_VERSION, 1, &ib }, od = { SECBUFFER_VERSION, 1, &ob };
    TimeStamp ts;
    SECURITY_STATUS st;
    if (client)
        st = InitializeSecurityContextA(&ccred, have ? ctx : NULL, "HTTP/fuzz.example", ISC_REQ_CONFIDENTIALITY, 0,
                                        0, in ? &id : NULL, 0, ctx, &od, attr, &ts);
    else
        st = AcceptSecurityContext(&scred, have ? ctx : NULL, &id, ASC_REQ_CONFIDENTIALITY, 0, ctx, &od, attr, &ts);
    *outlen = ob.cbBuffer;
    return st;
}

static bool ok(SECURITY_STATUS st)
{
    return st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ready)
        setup();
    if (size == 0)
        return 0;
    uint8_t mode = data[0] % 4;
    data++;
    size--;
    if (mode == 0) {
        message_layer(data, size);
        return 0;
    }
    uint8_t *copy = malloc(size ? size : 1);
    memcpy(copy, data, size);
    uint8_t t1[8192], t2[8192], t3[8192];
    ULONG l1 = sizeof(t1), l2 = sizeof(t2), l3 = sizeof(t3), attr = 0;
    CtxtHandle cx, sx;
    bool have_c = false, have_s = false;
    SECURITY_STATUS st;
    if (mode == 1) {
        st = step(false, &sx, false, copy, (ULONG)size, t1, &l1, &attr);
        have_s = ok(st);
    } else {
        if (step(true, &cx, false, NULL, 0, t1, &l1, &attr) != SEC_I_CONTINUE_NEEDED)
            abort();
        have_c = true;
        if (mode == 2) {
            st = step(true, &cx, true, copy, (ULONG)size, t2, &l2, &attr);
        } else {
            if (step(false, &sx, false, t1, l1, t2, &l2, &attr) != SEC_I_CONTINUE_NEEDED)
                abort();
            have_s = true;
            st = step(false, &sx, true, copy, (ULONG)size, t3, &l3, &attr);
            if (st == SEC_E_OK && !(attr & ASC_RET_NULL_SESSION))
                abort();
        }
    }
    if (have_c)
        DeleteSecurityContext(&cx);
    if (have_s)
        DeleteSecurityContext(&sx);
    free(copy);
    return 0;
}
