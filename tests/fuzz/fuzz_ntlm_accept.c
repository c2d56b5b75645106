/* tests/fuzz/fuzz_ntlm_accept.c - the NTLM server's accept path through the
 * public API: a real NEGOTIATE/CHALLENGE exchange, then the input as the
 * AUTHENTICATE message. Must never crash, leak or log on as anyone but the
 * anonymous null session. */
#define SECURITY_WIN32
#include <security.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static CredHandle ccred, scred;
static int ready;

static void setup(void)
{
    char path[] = "/tmp/opensspi-fuzz-users-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        abort();
    static const char users[] = "FUZZ:alice:Secret123\n";
    if (write(fd, users, sizeof(users) - 1) != (ssize_t)(sizeof(users) - 1))
        abort();
    close(fd);
    SEC_WINNT_AUTH_IDENTITY_A id = { (unsigned char *)"alice", 5, (unsigned char *)"FUZZ", 4,
                                     (unsigned char *)"Secret123", 9, SEC_WINNT_AUTH_IDENTITY_ANSI };
    TimeStamp ts;
    char principal[64];
    memcpy(principal, "file:", 5);
    memcpy(principal + 5, path, sizeof(path));
    if (AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL, &ccred, &ts)
        || AcquireCredentialsHandleA(principal, "NTLM", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL, &scred, &ts))
        abort();
    ready = 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ready)
        setup();
    uint8_t t1[4096], t2[4096];
    SecBuffer o = { sizeof(t1), SECBUFFER_TOKEN, t1 }, in;
    SecBufferDesc od = { SECBUFFER_VERSION, 1, &o }, ind = { SECBUFFER_VERSION, 1, &in };
    CtxtHandle cx, sx;
    ULONG attr;
    TimeStamp ts;
    if (InitializeSecurityContextA(&ccred, NULL, NULL, ISC_REQ_CONFIDENTIALITY, 0, 0, NULL, 0, &cx, &od, &attr, &ts)
        != SEC_I_CONTINUE_NEEDED)
        abort();
    in = (SecBuffer){ o.cbBuffer, SECBUFFER_TOKEN, t1 };
    o = (SecBuffer){ sizeof(t2), SECBUFFER_TOKEN, t2 };
    if (AcceptSecurityContext(&scred, NULL, &ind, 0, 0, &sx, &od, &attr, &ts) != SEC_I_CONTINUE_NEEDED)
        abort();
    uint8_t *copy = malloc(size ? size : 1);
    memcpy(copy, data, size);
    in = (SecBuffer){ (ULONG)size, SECBUFFER_TOKEN, copy };
    o = (SecBuffer){ sizeof(t2), SECBUFFER_TOKEN, t2 };
    SECURITY_STATUS st = AcceptSecurityContext(&scred, &sx, &ind, 0, 0, &sx, &od, &attr, &ts);
    /* nobody can forge alice's response to a fresh challenge: the only logon
     * without it is the anonymous null session Windows also grants */
    if (st == SEC_E_OK && !(attr & ASC_RET_NULL_SESSION))
        abort();
    free(copy);
    DeleteSecurityContext(&cx);
    DeleteSecurityContext(&sx);
    return 0;
}
