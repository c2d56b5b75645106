/* tests/unit/kerberos/test_kerberos_status.c - src/kerberos/kerberos_status.c:
 * krb5 / GSS-API errors to Windows statuses, and the OPENSSPI_TRACE output. */
#define SECURITY_WIN32
#include <sspi.h>

#include "vectors.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef OPENSSPI_WITH_KERBEROS
#include "kerberos/kerberos_status.h"

const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libkrb5.so\nleak:libgssapi_krb5.so\nleak:libk5crypto.so\nleak:libkrb5support.so\n";
}

static void test_logon_errors(void **state)
{
    assert_int_equal(krb_status_krb5(KRB_PH_LOGON, KRB5KDC_ERR_PREAUTH_FAILED), SEC_E_LOGON_DENIED);
    assert_int_equal(krb_status_krb5(KRB_PH_LOGON, KRB5KRB_AP_ERR_BAD_INTEGRITY), SEC_E_LOGON_DENIED);
    assert_int_equal(krb_status_krb5(KRB_PH_LOGON, KRB5KDC_ERR_C_PRINCIPAL_UNKNOWN), SEC_E_LOGON_DENIED);
    assert_int_equal(krb_status_krb5(KRB_PH_LOGON, KRB5_KDC_UNREACH), SEC_E_NO_AUTHENTICATING_AUTHORITY);
    assert_int_equal(krb_status_krb5(KRB_PH_LOGON, KRB5_REALM_CANT_RESOLVE), SEC_E_NO_AUTHENTICATING_AUTHORITY);
    assert_int_equal(krb_status_krb5(KRB_PH_LOGON, KRB5KRB_AP_ERR_SKEW), SEC_E_TIME_SKEW);
    assert_int_equal(krb_status_krb5(KRB_PH_LOGON, ENOMEM), SEC_E_INSUFFICIENT_MEMORY);
}

static void test_the_same_code_by_phase(void **state)
{
    /* an undecryptable AS-REP is a password, a ticket another key, a wrap an attack */
    assert_int_equal(krb_status_krb5(KRB_PH_ACCEPT, KRB5KRB_AP_ERR_BAD_INTEGRITY), SEC_E_WRONG_PRINCIPAL);
    assert_int_equal(krb_status_krb5(KRB_PH_INIT, KRB5KRB_AP_ERR_MODIFIED), SEC_E_WRONG_PRINCIPAL);
    assert_int_equal(krb_status_krb5(KRB_PH_UNSEAL, KRB5KRB_AP_ERR_BAD_INTEGRITY), SEC_E_MESSAGE_ALTERED);
    assert_int_equal(krb_status_krb5(KRB_PH_ACCEPT, KRB5_KT_NOTFOUND), SEC_E_WRONG_PRINCIPAL);
    assert_int_equal(krb_status_krb5(KRB_PH_CRED, KRB5_KT_NOTFOUND), SEC_E_NO_CREDENTIALS);
    assert_int_equal(krb_status_krb5(KRB_PH_ACCEPT, KRB5KRB_AP_ERR_TKT_EXPIRED), SEC_E_CONTEXT_EXPIRED);
    assert_int_equal(krb_status_krb5(KRB_PH_INIT, KRB5KRB_AP_ERR_TKT_EXPIRED), SEC_E_NO_CREDENTIALS);
    assert_int_equal(krb_status_krb5(KRB_PH_INIT, KRB5_PARSE_MALFORMED), SEC_E_TARGET_UNKNOWN);
    assert_int_equal(krb_status_krb5(KRB_PH_CRED, KRB5_PARSE_MALFORMED), SEC_E_UNKNOWN_CREDENTIALS);
    assert_int_equal(krb_status_krb5(KRB_PH_INIT, KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN), SEC_E_TARGET_UNKNOWN);
    assert_int_equal(krb_status_krb5(KRB_PH_ACCEPT, KRB5KRB_AP_ERR_SKEW), SEC_E_TIME_SKEW);
    assert_int_equal(krb_status_krb5(KRB_PH_ACCEPT, KRB5KRB_AP_ERR_TKT_NYV), SEC_E_TIME_SKEW);
    assert_int_equal(krb_status_krb5(KRB_PH_ACCEPT, KRB5KRB_AP_ERR_REPEAT), SEC_E_LOGON_DENIED);
    assert_int_equal(krb_status_krb5(KRB_PH_INIT, KRB5KRB_AP_ERR_MUT_FAIL), SEC_E_MUTUAL_AUTH_FAILED);
    assert_int_equal(krb_status_krb5(KRB_PH_ACCEPT, ASN1_BAD_ID), SEC_E_INVALID_TOKEN);
    assert_int_equal(krb_status_krb5(KRB_PH_INIT, KRB5KDC_ERR_ETYPE_NOSUPP), SEC_E_KDC_UNKNOWN_ETYPE);
}

static void test_unknown_codes_by_phase(void **state)
{
    assert_int_equal(krb_status_krb5(KRB_PH_CRED, 12345), SEC_E_NO_CREDENTIALS);
    assert_int_equal(krb_status_krb5(KRB_PH_SEAL, 12345), SEC_E_INTERNAL_ERROR);
    assert_int_equal(krb_status_krb5(KRB_PH_UNSEAL, 12345), SEC_E_MESSAGE_ALTERED);
    assert_int_equal(krb_status_krb5(KRB_PH_ACCEPT, 12345), SEC_E_LOGON_DENIED);
    assert_int_equal(krb_status_krb5(KRB_PH_INIT, 0), SEC_E_OK);
}

static void test_gss_routine_errors(void **state)
{
    assert_int_equal(krb_status_gss(KRB_PH_UNSEAL, GSS_S_BAD_SIG, 0), SEC_E_MESSAGE_ALTERED);
    assert_int_equal(krb_status_gss(KRB_PH_UNSEAL, GSS_S_DEFECTIVE_TOKEN, 0), SEC_E_INVALID_TOKEN);
    assert_int_equal(krb_status_gss(KRB_PH_ACCEPT, GSS_S_BAD_BINDINGS, 0), SEC_E_BAD_BINDINGS);
    assert_int_equal(krb_status_gss(KRB_PH_ACCEPT, GSS_S_BAD_MECH, 0), SEC_E_INVALID_TOKEN);
    assert_int_equal(krb_status_gss(KRB_PH_INIT, GSS_S_BAD_NAME, 0), SEC_E_TARGET_UNKNOWN);
    assert_int_equal(krb_status_gss(KRB_PH_CRED, GSS_S_BAD_NAME, 0), SEC_E_UNKNOWN_CREDENTIALS);
    assert_int_equal(krb_status_gss(KRB_PH_INIT, GSS_S_NO_CRED, 0), SEC_E_NO_CREDENTIALS);
    assert_int_equal(krb_status_gss(KRB_PH_INIT, GSS_S_CREDENTIALS_EXPIRED, 0), SEC_E_NO_CREDENTIALS);
    assert_int_equal(krb_status_gss(KRB_PH_UNSEAL, GSS_S_CONTEXT_EXPIRED, 0), SEC_E_CONTEXT_EXPIRED);
    assert_int_equal(krb_status_gss(KRB_PH_SEAL, GSS_S_NO_CONTEXT, 0), SEC_E_INVALID_HANDLE);
    assert_int_equal(krb_status_gss(KRB_PH_SEAL, GSS_S_BAD_QOP, 0), SEC_E_QOP_NOT_SUPPORTED);
    assert_int_equal(krb_status_gss(KRB_PH_SEAL, GSS_S_CALL_INACCESSIBLE_READ | GSS_S_FAILURE, 0),
                     SEC_E_INTERNAL_ERROR);
    /* GSS_S_FAILURE: the mechanism's code decides */
    assert_int_equal(krb_status_gss(KRB_PH_INIT, GSS_S_FAILURE, (OM_uint32)KRB5KRB_AP_ERR_SKEW), SEC_E_TIME_SKEW);
    assert_int_equal(krb_status_gss(KRB_PH_INIT, GSS_S_FAILURE, (OM_uint32)KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN),
                     SEC_E_TARGET_UNKNOWN);
}

static void test_sequence_problems_are_out_of_sequence(void **state)
{
    assert_int_equal(krb_status_supplementary(GSS_S_COMPLETE), SEC_E_OK);
    assert_int_equal(krb_status_supplementary(GSS_S_DUPLICATE_TOKEN), SEC_E_OUT_OF_SEQUENCE);
    assert_int_equal(krb_status_supplementary(GSS_S_OLD_TOKEN), SEC_E_OUT_OF_SEQUENCE);
    assert_int_equal(krb_status_supplementary(GSS_S_UNSEQ_TOKEN), SEC_E_OUT_OF_SEQUENCE);
    assert_int_equal(krb_status_supplementary(GSS_S_GAP_TOKEN), SEC_E_OUT_OF_SEQUENCE);
    assert_int_equal(krb_status_supplementary(GSS_S_CONTINUE_NEEDED), SEC_E_OK);
}

/* capture - what fn writes to stderr */
static char *capture(void (*fn)(void))
{
    char path[] = "/tmp/opensspi-trace-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    fflush(stderr);
    int saved = dup(2);
    dup2(fd, 2);
    fn();
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    static char buf[2048];
    ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
    close(fd);
    unlink(path);
    buf[n > 0 ? n : 0] = 0;
    return buf;
}

/* a real GSS failure (so the library knows its minor code), made before
 * stderr is redirected */
static OM_uint32 fail_major, fail_minor;
static krb5_context kctx;

static void make_failure(void)
{
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
    gss_key_value_element_desc el = { "keytab", "FILE:/nonexistent/opensspi.keytab" };
    gss_key_value_set_desc store = { 1, &el };
    fail_major = gss_acquire_cred_from(&fail_minor, GSS_C_NO_NAME, GSS_C_INDEFINITE, gss_mech_set_krb5, GSS_C_ACCEPT,
                                       &store, &cred, NULL, NULL);
    assert_true(GSS_ERROR(fail_major));
    assert_int_equal(krb5_init_context(&kctx), 0);
}

static void trace_some(void)
{
    krb_trace_gss("acquiring", fail_major, fail_minor, SEC_E_NO_CREDENTIALS);
    krb_trace_krb5(kctx, "logon", KRB5KDC_ERR_PREAUTH_FAILED, SEC_E_LOGON_DENIED);
}

static void test_trace_only_with_opensspi_trace(void **state)
{
    make_failure();
    unsetenv("OPENSSPI_TRACE");
    assert_false(krb_trace_on());
    assert_string_equal(capture(trace_some), "");
    setenv("OPENSSPI_TRACE", "0", 1);
    assert_false(krb_trace_on());
    setenv("OPENSSPI_TRACE", "1", 1);
    assert_true(krb_trace_on());
    char *out = capture(trace_some);
    assert_non_null(strstr(out, "opensspi: Kerberos: acquiring:"));
    assert_non_null(strstr(out, "/nonexistent/opensspi.keytab"));
    assert_non_null(strstr(out, "0x8009030e"));
    assert_non_null(strstr(out, "opensspi: Kerberos: logon:"));
    assert_non_null(strstr(out, "Preauthentication failed"));
    assert_non_null(strstr(out, "0x8009030c"));
    unsetenv("OPENSSPI_TRACE");
    krb5_free_context(kctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_logon_errors),
        cmocka_unit_test(test_the_same_code_by_phase),
        cmocka_unit_test(test_unknown_codes_by_phase),
        cmocka_unit_test(test_gss_routine_errors),
        cmocka_unit_test(test_sequence_problems_are_out_of_sequence),
        cmocka_unit_test(test_trace_only_with_opensspi_trace),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
#else
int main(void)
{
    puts("built without the Kerberos package (OPENSSPI_KERBEROS=OFF): nothing to test");
    return 0;
}
#endif
