/* tools/sspi/test_base64.c - checks base64.c: RFC 4648 section 10 vectors,
 * decoding without padding, and rejection of malformed input. */
#include "sspi_tool.h"

#include <stdlib.h>
#include <string.h>

static int failures;

static void check(bool ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "FAIL: %s\n", what);
        failures++;
    }
}

static void test_vector(const char *plain, const char *enc)
{
    char *e = b64_encode((const uint8_t *)plain, strlen(plain));
    uint8_t *d = NULL;
    size_t dl = 0;
    char what[128];

    snprintf(what, sizeof(what), "encode \"%s\"", plain);
    check(e != NULL && strcmp(e, enc) == 0, what);
    free(e);
    snprintf(what, sizeof(what), "decode \"%s\"", enc);
    check(b64_decode(enc, strlen(enc), &d, &dl) && dl == strlen(plain)
              && memcmp(d, plain, dl) == 0,
          what);
    free(d);
}

static void test_rejects(const char *enc)
{
    uint8_t *d = NULL;
    size_t dl = 0;
    char what[128];

    snprintf(what, sizeof(what), "reject \"%s\"", enc);
    check(!b64_decode(enc, strlen(enc), &d, &dl), what);
}

static void test_unpadded(const char *enc, const char *plain)
{
    uint8_t *d = NULL;
    size_t dl = 0;
    char what[128];

    snprintf(what, sizeof(what), "decode unpadded \"%s\"", enc);
    check(b64_decode(enc, strlen(enc), &d, &dl) && dl == strlen(plain)
              && memcmp(d, plain, dl) == 0,
          what);
    free(d);
}

int main(void)
{
    uint8_t bytes[256], *d = NULL;
    size_t dl = 0, n, i;
    char *e;

    test_vector("", "");
    test_vector("f", "Zg==");
    test_vector("fo", "Zm8=");
    test_vector("foo", "Zm9v");
    test_vector("foob", "Zm9vYg==");
    test_vector("fooba", "Zm9vYmE=");
    test_vector("foobar", "Zm9vYmFy");
    test_unpadded("Zg", "f");
    test_unpadded("Zm8", "fo");
    test_unpadded("Zm9vYg", "foob");
    test_rejects("Z");          /* one symbol cannot carry a byte */
    test_rejects("Zg=");        /* padding that does not complete the group */
    test_rejects("Zg===");      /* too much padding */
    test_rejects("Zm9v=");      /* padding after a full group */
    test_rejects("Zh==");       /* leftover bits set (non-canonical) */
    test_rejects("Zm9 v");      /* whitespace */
    test_rejects("Zm9-");       /* base64url alphabet */
    test_rejects("Zg==Zg==");   /* data after padding */
    test_rejects("=");

    /* Every length 0..255 over all byte values round-trips. */
    for (i = 0; i < sizeof(bytes); i++)
        bytes[i] = (uint8_t)(i * 7 + 3);
    for (n = 0; n <= sizeof(bytes); n++) {
        e = b64_encode(bytes, n);
        check(e != NULL && strlen(e) == (n + 2) / 3 * 4, "encoded length");
        check(e != NULL && b64_decode(e, strlen(e), &d, &dl) && dl == n
                  && memcmp(d, bytes, n) == 0,
              "round trip");
        free(e);
        free(d);
        d = NULL;
    }
    if (failures == 0)
        printf("base64: all checks passed\n");
    return failures == 0 ? 0 : 1;
}
