/* tests/unit/kerberos/test_kerberos_names.c - src/kerberos/kerberos_names.c:
 * Windows user and target names to Kerberos principal names. */
#include "vectors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef OPENSSPI_WITH_KERBEROS
#include "kerberos/kerberos_names.h"

static void expect_client(const char *user, const char *domain, const char *want)
{
    char *got = krb_client_principal(user, domain);
    if (!want) {
        assert_null(got);
        return;
    }
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

static void expect_target(const char *target, const char *want)
{
    char *got = krb_target_principal(target);
    if (!want) {
        assert_null(got);
        return;
    }
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

static void test_client_names_take_the_realm_from_domain_backslash_or_upn(void **state)
{
    expect_client("alice", NULL, "alice");
    expect_client("alice", "", "alice");
    expect_client("alice", "example.com", "alice@EXAMPLE.COM");
    expect_client("alice", "EXAMPLE", "alice@EXAMPLE");
    expect_client("EXAMPLE\\alice", NULL, "alice@EXAMPLE");
    expect_client("example.com\\alice", "IGNORED", "alice@EXAMPLE.COM");
    expect_client("alice@example.com", NULL, "alice@EXAMPLE.COM");
    expect_client("alice@EXAMPLE.COM", "OTHER", "alice@EXAMPLE.COM");
    expect_client("host/build01", "EXAMPLE", "host/build01@EXAMPLE");
    /* only ASCII is upper-cased */
    expect_client("\xc3\x9c" "n\xc3\xaf" "code", "r\xc3\xa9" "alm", "\xc3\x9c" "n\xc3\xaf" "code@R\xc3\xa9" "ALM");
}

static void test_client_names_refuse_empty_parts_and_mixed_forms(void **state)
{
    expect_client(NULL, NULL, NULL);
    expect_client("", "EXAMPLE", NULL);
    expect_client("\\alice", NULL, NULL);
    expect_client("EXAMPLE\\", NULL, NULL);
    expect_client("@EXAMPLE", NULL, NULL);
    expect_client("alice@", NULL, NULL);
    expect_client("a@b@c", NULL, NULL);
    expect_client("EXAMPLE\\alice@EXAMPLE", NULL, NULL);
    char big[KRB_MAX_NAME + 2];
    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = 0;
    expect_client(big, NULL, NULL);
    expect_client("alice", big, NULL);
}

static void test_target_names_windows_forms(void **state)
{
    expect_target("HTTP/host.example.com", "HTTP/host.example.com@");
    expect_target("HTTP/host.example.com@EXAMPLE.COM", "HTTP/host.example.com@EXAMPLE.COM");
    expect_target("host/host", "host/host@");
    expect_target("MSSQLSvc/db.example.com:1433", "MSSQLSvc/db.example.com:1433@");
    expect_target("ldap/dc.example.com/example.com", "ldap/dc.example.com/example.com@");
    expect_target("HTTP@host.example.com", "HTTP/host.example.com@");
    expect_target("HTTP@localhost", "HTTP/localhost@");
    expect_target("alice@EXAMPLE.COM", "alice@EXAMPLE.COM");
    expect_target("alice", "alice");
    expect_target("EXAMPLE\\web01$", "web01$@EXAMPLE");
    expect_target("HTTP/host@", "HTTP/host@");
}

static void test_target_names_refuse_malformed(void **state)
{
    expect_target(NULL, NULL);
    expect_target("", NULL);
    expect_target("/", NULL);
    expect_target("/host", NULL);
    expect_target("HTTP/", NULL);
    expect_target("HTTP//host", NULL);
    expect_target("HTTP/@REALM", NULL);
    expect_target("@host", NULL);
    expect_target("HTTP@", NULL);
    expect_target("a@b@host", NULL);
    expect_target("svc@REALM/host", NULL);
    expect_target("HTTP/h@x@REALM", NULL);
    expect_target("\\x", NULL);
    expect_target("D\\", NULL);
    expect_target("D\\x/y", NULL);
}

static void test_principal_realm_after_the_last_unescaped_at(void **state)
{
    assert_string_equal(krb_principal_realm("alice@EXAMPLE.COM"), "EXAMPLE.COM");
    assert_string_equal(krb_principal_realm("HTTP/h@"), "");
    assert_string_equal(krb_principal_realm("alice"), "");
    assert_string_equal(krb_principal_realm("a\\@b@R"), "R");
    assert_string_equal(krb_principal_realm("a\\@b"), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_client_names_take_the_realm_from_domain_backslash_or_upn),
        cmocka_unit_test(test_client_names_refuse_empty_parts_and_mixed_forms),
        cmocka_unit_test(test_target_names_windows_forms),
        cmocka_unit_test(test_target_names_refuse_malformed),
        cmocka_unit_test(test_principal_realm_after_the_last_unescaped_at),
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
