/* tests/unit/support/vectors.c - load published JSON test vectors (see vectors.h) */
#include "vectors.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *vec_load(const char *file)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", OPENSSPI_VECTORS_DIR, file);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open vector file %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)n + 1);
    assert_non_null(text);
    assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
    text[n] = 0;
    fclose(f);
    cJSON *root = cJSON_Parse(text);
    free(text);
    if (!root)
        fail_msg("cannot parse %s", path);
    return root;
}

void vec_free(void *root)
{
    cJSON_Delete(root);
}

static cJSON *walk(cJSON *node, const char *path)
{
    char key[256];
    while (node && *path) {
        const char *slash = strchr(path, '/');
        size_t n = slash ? (size_t)(slash - path) : strlen(path);
        if (n >= sizeof(key))
            return NULL;
        memcpy(key, path, n);
        key[n] = 0;
        node = cJSON_GetObjectItemCaseSensitive(node, key);
        path += n + (slash ? 1 : 0);
    }
    return node;
}

const char *vec_str(void *root, const char *path)
{
    cJSON *n = walk(root, path);
    return cJSON_IsString(n) ? n->valuestring : NULL;
}

uint8_t *hex_decode(const char *hex, size_t *len)
{
    size_t n = strlen(hex);
    if (n % 2)
        return NULL;
    uint8_t *out = malloc(n / 2 + 1);
    if (!out)
        return NULL;
    for (size_t i = 0; i < n / 2; i++) {
        unsigned v;
        char two[3] = { hex[2 * i], hex[2 * i + 1], 0 };
        char *end;
        v = (unsigned)strtoul(two, &end, 16);
        if (*end) {
            free(out);
            return NULL;
        }
        out[i] = (uint8_t)v;
    }
    *len = n / 2;
    return out;
}

uint8_t *vec_hex(void *root, const char *path, size_t *len)
{
    const char *s = vec_str(root, path);
    if (!s)
        fail_msg("vector %s missing", path);
    uint8_t *b = hex_decode(s, len);
    if (!b)
        fail_msg("vector %s is not hex", path);
    return b;
}
