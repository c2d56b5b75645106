/* tests/unit/api/test_threads.c - the handle tables and the package list under
 * concurrent use: threads share one client and one server credential, each
 * runs its own handshakes and messages, frees while others look up, and
 * forged handles are refused meanwhile. */
#define SECURITY_WIN32
#include <security.h>

#include "vectors.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define THREADS 8
#define ROUNDS 40

static CredHandle ccred, scred;
static char users[] = "/tmp/opensspi-threads-XXXXXX";

static int one_handshake(void)
{
    uint8_t t1[4096], t2[4096];
    SecBuffer o = { sizeof(t1), SECBUFFER_TOKEN, t1 }, in;
    SecBufferDesc od = { SECBUFFER_VERSION, 1, &o }, ind = { SECBUFFER_VERSION, 1, &in };
    CtxtHandle cx, sx;
    ULONG a;
    TimeStamp ts;
    const ULONG req = ISC_REQ_CONFIDENTIALITY | ISC_REQ_SEQUENCE_DETECT;
    if (InitializeSecurityContextA(&ccred, NULL, "HTTP/t", req, 0, 0, NULL, 0, &cx, &od, &a, &ts) != SEC_I_CONTINUE_NEEDED)
        return 1;
    in = (SecBuffer){ o.cbBuffer, SECBUFFER_TOKEN, t1 };
    o = (SecBuffer){ sizeof(t2), SECBUFFER_TOKEN, t2 };
    if (AcceptSecurityContext(&scred, NULL, &ind, 0, 0, &sx, &od, &a, &ts) != SEC_I_CONTINUE_NEEDED)
        return 2;
    in = (SecBuffer){ o.cbBuffer, SECBUFFER_TOKEN, t2 };
    o = (SecBuffer){ sizeof(t1), SECBUFFER_TOKEN, t1 };
    if (InitializeSecurityContextA(&ccred, &cx, "HTTP/t", req, 0, 0, &ind, 0, &cx, &od, &a, &ts) != SEC_E_OK)
        return 3;
    in = (SecBuffer){ o.cbBuffer, SECBUFFER_TOKEN, t1 };
    o = (SecBuffer){ sizeof(t2), SECBUFFER_TOKEN, t2 };
    if (AcceptSecurityContext(&scred, &sx, &ind, 0, 0, &sx, &od, &a, &ts) != SEC_E_OK)
        return 4;
    for (int i = 0; i < 5; i++) {
        uint8_t sig[16], data[64];
        snprintf((char *)data, sizeof(data), "message %d", i);
        SecBuffer b[2] = { { 16, SECBUFFER_TOKEN, sig }, { 10, SECBUFFER_DATA, data } };
        SecBufferDesc d = { SECBUFFER_VERSION, 2, b };
        ULONG qop;
        if (EncryptMessage(&cx, 0, &d, 0) != SEC_E_OK || DecryptMessage(&sx, &d, 0, &qop) != SEC_E_OK)
            return 5;
        if (memcmp(data, "message ", 8) != 0)
            return 6;
    }
    ULONG n;
    PSecPkgInfoA pk;
    if (EnumerateSecurityPackagesA(&n, &pk) != SEC_E_OK)
        return 7;
    FreeContextBuffer(pk);
    CtxtHandle copy = cx;
    if (DeleteSecurityContext(&cx) != SEC_E_OK || DeleteSecurityContext(&sx) != SEC_E_OK)
        return 8;
    if (DeleteSecurityContext(&copy) != SEC_E_INVALID_HANDLE)
        return 9;
    return 0;
}

static void *worker(void *arg)
{
    intptr_t fail = 0;
    for (int r = 0; r < ROUNDS && !fail; r++) {
        fail = one_handshake();
        CtxtHandle forged = { (ULONG_PTR)(r + 1), (ULONG_PTR)r * 7919u };
        if (!fail && DeleteSecurityContext(&forged) != SEC_E_INVALID_HANDLE)
            fail = 10;
    }
    return (void *)fail;
}

static void test_parallel_handshakes_share_credentials(void **state)
{
    pthread_t th[THREADS];
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&th[i], NULL, worker, NULL), 0);
    for (int i = 0; i < THREADS; i++) {
        void *rv;
        assert_int_equal(pthread_join(th[i], &rv), 0);
        assert_int_equal((intptr_t)rv, 0);
    }
}

static void *cred_churn(void *arg)
{
    intptr_t fail = 0;
    TimeStamp ts;
    for (int r = 0; r < 200 && !fail; r++) {
        CredHandle h, copy;
        if (AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL, &h, &ts) != SEC_E_OK)
            fail = 1;
        copy = h;
        if (!fail && FreeCredentialsHandle(&h) != SEC_E_OK)
            fail = 2;
        if (!fail && FreeCredentialsHandle(&copy) != SEC_E_INVALID_HANDLE)
            fail = 3;
    }
    return (void *)fail;
}

static void test_credentials_acquired_and_freed_concurrently(void **state)
{
    pthread_t th[THREADS];
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&th[i], NULL, i % 2 ? cred_churn : worker, NULL), 0);
    for (int i = 0; i < THREADS; i++) {
        void *rv;
        assert_int_equal(pthread_join(th[i], &rv), 0);
        assert_int_equal((intptr_t)rv, 0);
    }
}

static int setup(void **state)
{
    int fd = mkstemp(users);
    assert_true(fd >= 0);
    const char line[] = "T:alice:Secret123\n";
    assert_int_equal(write(fd, line, sizeof(line) - 1), (ssize_t)(sizeof(line) - 1));
    close(fd);
    setenv("NTLM_USER_FILE", users, 1);
    SEC_WINNT_AUTH_IDENTITY_A id = { (unsigned char *)"alice", 5, (unsigned char *)"T", 1,
                                     (unsigned char *)"Secret123", 9, SEC_WINNT_AUTH_IDENTITY_ANSI };
    TimeStamp ts;
    assert_int_equal(AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL, &ccred, &ts),
                     SEC_E_OK);
    assert_int_equal(AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL, &scred, &ts),
                     SEC_E_OK);
    return 0;
}

static int teardown(void **state)
{
    FreeCredentialsHandle(&ccred);
    FreeCredentialsHandle(&scred);
    unlink(users);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parallel_handshakes_share_credentials),
        cmocka_unit_test(test_credentials_acquired_and_freed_concurrently),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
