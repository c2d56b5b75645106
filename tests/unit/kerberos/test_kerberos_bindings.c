/* tests/unit/kerberos/test_kerberos_bindings.c - src/kerberos/kerberos_bindings.c:
 * SECBUFFER_CHANNEL_BINDINGS (SEC_CHANNEL_BINDINGS + data) to GSS bindings. */
#define SECURITY_WIN32
#include <sspi.h>

#include "vectors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef OPENSSPI_WITH_KERBEROS
#include "kerberos/kerberos_bindings.h"

/* build - a bindings buffer: header, initiator address, acceptor address, app data */
static size_t build(uint8_t *buf, const char *ini, const char *acc, const char *app)
{
    SEC_CHANNEL_BINDINGS h;
    memset(&h, 0, sizeof(h));
    size_t off = sizeof(h);
    h.dwInitiatorAddrType = 2; /* GSS_C_AF_INET */
    h.cbInitiatorLength = (ULONG)strlen(ini);
    h.dwInitiatorOffset = (ULONG)off;
    memcpy(buf + off, ini, strlen(ini));
    off += strlen(ini);
    h.dwAcceptorAddrType = 2;
    h.cbAcceptorLength = (ULONG)strlen(acc);
    h.dwAcceptorOffset = (ULONG)off;
    memcpy(buf + off, acc, strlen(acc));
    off += strlen(acc);
    h.cbApplicationDataLength = (ULONG)strlen(app);
    h.dwApplicationDataOffset = (ULONG)off;
    memcpy(buf + off, app, strlen(app));
    off += strlen(app);
    memcpy(buf, &h, sizeof(h));
    return off;
}

static void test_fields_alias_the_buffer(void **state)
{
    uint8_t buf[256];
    size_t n = build(buf, "\x7f\x01\x01\x01", "\x7f\x01\x01\x02", "tls-server-end-point:xyz");
    struct gss_channel_bindings_struct cb;
    assert_true(krb_parse_bindings(buf, n, &cb));
    assert_int_equal(cb.initiator_addrtype, 2);
    assert_int_equal(cb.acceptor_addrtype, 2);
    assert_int_equal(cb.initiator_address.length, 4);
    assert_ptr_equal(cb.initiator_address.value, buf + sizeof(SEC_CHANNEL_BINDINGS));
    assert_int_equal(cb.acceptor_address.length, 4);
    assert_int_equal(cb.application_data.length, 24);
    assert_memory_equal(cb.application_data.value, "tls-server-end-point:xyz", 24);
}

static void test_application_data_only(void **state)
{
    uint8_t buf[128];
    size_t n = build(buf, "", "", "tls-unique:0123");
    struct gss_channel_bindings_struct cb;
    assert_true(krb_parse_bindings(buf, n, &cb));
    assert_int_equal(cb.initiator_address.length, 0);
    assert_int_equal(cb.acceptor_address.length, 0);
    assert_int_equal(cb.application_data.length, 15);
    /* an empty field may name any offset */
    ((SEC_CHANNEL_BINDINGS *)(void *)buf)->dwInitiatorOffset = 0xffffffffu;
    assert_true(krb_parse_bindings(buf, n, &cb));
}

static void test_every_truncation_and_bad_offset_is_refused(void **state)
{
    uint8_t buf[128];
    size_t n = build(buf, "ab", "cd", "application");
    struct gss_channel_bindings_struct cb;
    for (size_t cut = 0; cut < n; cut++)
        assert_false(krb_parse_bindings(buf, cut, &cb));
    assert_false(krb_parse_bindings(NULL, n, &cb));
    SEC_CHANNEL_BINDINGS *h = (SEC_CHANNEL_BINDINGS *)(void *)buf;
    h->dwApplicationDataOffset = (ULONG)n; /* past the end */
    assert_false(krb_parse_bindings(buf, n, &cb));
    h->dwApplicationDataOffset = 0xfffffff0u; /* wraps */
    assert_false(krb_parse_bindings(buf, n, &cb));
    h->dwApplicationDataOffset = 0;
    h->cbApplicationDataLength = 0xffffffffu;
    assert_false(krb_parse_bindings(buf, n, &cb));
    /* trailing bytes after the data are allowed (Windows callers round up) */
    n = build(buf, "ab", "cd", "application");
    assert_true(krb_parse_bindings(buf, n + 3, &cb));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fields_alias_the_buffer),
        cmocka_unit_test(test_application_data_only),
        cmocka_unit_test(test_every_truncation_and_bad_offset_is_refused),
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
