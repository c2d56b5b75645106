/* tests/unit/kerberos/krb_realm.h - start and stop the throwaway MIT realm of
 * tests/interop/kdc/realm.sh from a cmocka group setup (header-only: each test
 * file is its own program). The realm's environment (KRB5_CONFIG, keytabs,
 * KRB_USER, ...) is loaded into this process with setenv.
 *
 * OPENSSPI_KRB_REALM_SCRIPT overrides the script path (default: found from this
 * file's own path in the source tree). A missing krb5kdc fails the setup: the
 * Kerberos tests need the Debian krb5-kdc package (scripts/install-deps). */
#ifndef OPENSSPI_TEST_KRB_REALM_H
#define OPENSSPI_TEST_KRB_REALM_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* LeakSanitizer: MIT krb5 keeps process-lifetime allocations (error tables,
 * the mechglue's mechanism list, profile caches) that it never frees. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libkrb5.so\nleak:libgssapi_krb5.so\nleak:libk5crypto.so\nleak:libkrb5support.so\n";
}

static char krb_realm_top[64];
static char krb_realm_dir[128];

static const char *krb_realm_script(char *buf, size_t size)
{
    const char *env = getenv("OPENSSPI_KRB_REALM_SCRIPT");
    if (env && env[0])
        return env;
    const char *me = __FILE__; /* .../tests/unit/kerberos/krb_realm.h */
    const char *cut = strstr(me, "tests/unit/kerberos/");
    if (!cut)
        return NULL;
    snprintf(buf, size, "%.*stests/interop/kdc/realm.sh", (int)(cut - me), me);
    return buf;
}

/* krb_realm_load_env - export every "export NAME='VALUE'" line of file. */
static int krb_realm_load_env(const char *file)
{
    FILE *f = fopen(file, "r");
    if (!f)
        return -1;
    char line[2048];
    while (fgets(line, sizeof(line), f)) {
        if (strncmp(line, "export ", 7) != 0)
            continue;
        char *name = line + 7, *eq = strchr(name, '=');
        if (!eq || eq[1] != '\'')
            continue;
        *eq = 0;
        char *val = eq + 2, *end = strrchr(val, '\'');
        if (!end)
            continue;
        *end = 0;
        setenv(name, val, 1);
    }
    fclose(f);
    return 0;
}

static int krb_realm_start(void)
{
    char path[4096], cmd[8192];
    const char *script = krb_realm_script(path, sizeof(path));
    if (!script) {
        fprintf(stderr, "krb_realm: cannot find tests/interop/kdc/realm.sh\n");
        return -1;
    }
    snprintf(krb_realm_top, sizeof(krb_realm_top), "/tmp/opensspi-krbtest-XXXXXX");
    if (!mkdtemp(krb_realm_top))
        return -1;
    snprintf(krb_realm_dir, sizeof(krb_realm_dir), "%s/realm", krb_realm_top);
    snprintf(cmd, sizeof(cmd), "bash '%s' start '%s' >/dev/null", script, krb_realm_dir);
    if (system(cmd) != 0) {
        fprintf(stderr, "krb_realm: %s failed\n", cmd);
        rmdir(krb_realm_top);
        return -1;
    }
    snprintf(cmd, sizeof(cmd), "%s/env", krb_realm_dir);
    return krb_realm_load_env(cmd);
}

static void krb_realm_stop(void)
{
    char path[4096], cmd[8192];
    const char *script = krb_realm_script(path, sizeof(path));
    if (!script || !krb_realm_dir[0])
        return;
    snprintf(cmd, sizeof(cmd), "bash '%s' stop '%s'", script, krb_realm_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "krb_realm: %s failed\n", cmd);
    rmdir(krb_realm_top);
}

#endif
