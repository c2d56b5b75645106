/* tests/fuzz/fuzz_ntlm_initiate.c - the NTLM client's second leg through the
 * public API: the input as the server's CHALLENGE. Must never crash or leak;
 * whatever it answers, the context is deleted cleanly. */
#define SECURITY_WIN32
#include <security.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static CredHandle ccred;
static int ready;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    TimeStamp ts;
    if (!ready) {
        SEC_WINNT_AUTH_IDENTITY_A id = { (unsigned char *)"alice", 5, (unsigned char *)"FUZZ", 4,
                                         (unsigned char *)"Secret123", 9, SEC_WINNT_AUTH_IDENTITY_ANSI };
        if (AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL, &ccred, &ts))
            abort();
        ready = 1;
    }
    uint8_t t1[4096];
    SecBuffer o = { sizeof(t1), SECBUFFER_TOKEN, t1 }, in[2];
    SecBufferDesc od = { SECBUFFER_VERSION, 1, &o }, ind = { SECBUFFER_VERSION, 1, in };
    CtxtHandle cx;
    ULONG attr;
    if (InitializeSecurityContextA(&ccred, NULL, "HTTP/fuzz", ISC_REQ_CONFIDENTIALITY | ISC_REQ_ALLOCATE_MEMORY, 0,
                                   0, NULL, 0, &cx, &od, &attr, &ts)
        != SEC_I_CONTINUE_NEEDED)
        abort();
    FreeContextBuffer(o.pvBuffer);
    uint8_t *copy = malloc(size ? size : 1);
    memcpy(copy, data, size);
    in[0] = (SecBuffer){ (ULONG)size, SECBUFFER_TOKEN, copy };
    o = (SecBuffer){ 0, SECBUFFER_TOKEN, NULL };
    SECURITY_STATUS st = InitializeSecurityContextA(&ccred, &cx, "HTTP/fuzz",
                                                    ISC_REQ_CONFIDENTIALITY | ISC_REQ_ALLOCATE_MEMORY, 0, 0, &ind,
                                                    0, &cx, &od, &attr, &ts);
    if (st == SEC_E_OK) {
        uint8_t sig[16], msg[4] = "abc";
        SecBuffer b[2] = { { 16, SECBUFFER_TOKEN, sig }, { 3, SECBUFFER_DATA, msg } };
        SecBufferDesc d = { SECBUFFER_VERSION, 2, b };
        EncryptMessage(&cx, 0, &d, 0);
        MakeSignature(&cx, 0, &d, 0);
    }
    FreeContextBuffer(o.pvBuffer);
    free(copy);
    DeleteSecurityContext(&cx);
    return 0;
}
