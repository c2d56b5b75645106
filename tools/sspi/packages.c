/* tools/sspi/packages.c - `sspi packages`: what EnumerateSecurityPackagesA returns */
#include "sspi_tool.h"

#include <string.h>

/* print_wrapped - "A | B | C" broken into lines of at most 78 columns, at the
 * " | " separators, each line starting with indent. */
static void print_wrapped(const char *indent, const char *list)
{
    size_t col = 0, width = 78 - strlen(indent);
    const char *p = list;

    while (*p != '\0') {
        const char *sep = strstr(p, " | ");
        size_t n = sep != NULL ? (size_t)(sep - p) : strlen(p);
        if (col == 0) {
            printf("%s%.*s", indent, (int)n, p);
            col = n;
        } else if (col + 3 + n <= width) {
            printf(" | %.*s", (int)n, p);
            col += 3 + n;
        } else {
            printf(" |\n%s%.*s", indent, (int)n, p);
            col = n;
        }
        p += n;
        if (sep != NULL)
            p += 3;
    }
    printf("\n");
}

static void packages_usage(FILE *f)
{
    fprintf(f, "usage: " TOOL_NAME " packages\n\n"
               "Lists the security packages the library provides, as\n"
               "EnumerateSecurityPackagesA returns them: name, comment, capabilities\n"
               "(SECPKG_FLAG_*), maximum token size, version and RPC identifier.\n");
}

int cmd_packages(int argc, char **argv)
{
    ULONG count = 0, i;
    PSecPkgInfoA info = NULL;
    SECURITY_STATUS st;

    if (argc > 1 && is_help(argv[1])) {
        packages_usage(stdout);
        return 0;
    }
    if (argc > 1) {
        packages_usage(stderr);
        return 2;
    }
    st = EnumerateSecurityPackagesA(&count, &info);
    if (st != SEC_E_OK) {
        fprintf(stderr, TOOL_NAME ": EnumerateSecurityPackagesA failed: %s\n", STATUS(st));
        return 1;
    }
    printf("%lu security package%s\n", (unsigned long)count, count == 1 ? "" : "s");
    for (i = 0; i < count; i++) {
        const SecPkgInfoA *p = &info[i];
        printf("\n%s\n", p->Name != NULL ? p->Name : "(no name)");
        printf("  comment:      %s\n", p->Comment != NULL ? p->Comment : "");
        printf("  capabilities: 0x%08" PRIX32 "\n", (uint32_t)p->fCapabilities);
        print_wrapped("                ",
                      FLAGS((uint32_t)p->fCapabilities, secpkg_flag_names, "SECPKG_FLAG_"));
        printf("  max token:    %lu bytes\n", (unsigned long)p->cbMaxToken);
        printf("  version:      %u\n", (unsigned)p->wVersion);
        printf("  RPC id:       %u%s\n", (unsigned)p->wRPCID,
               p->wRPCID == SECPKG_ID_NONE ? " (SECPKG_ID_NONE)" : "");
    }
    FreeContextBuffer(info);
    return 0;
}
