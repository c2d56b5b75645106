/* tools/sspi/packages.c - `sspi packages`: what EnumerateSecurityPackagesA returns */
#include "sspi_tool.h"

#include <string.h>

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
        printf("  capabilities: 0x%08" PRIX32 " %s\n", (uint32_t)p->fCapabilities,
               FLAGS((uint32_t)p->fCapabilities, secpkg_flag_names, "SECPKG_FLAG_"));
        printf("  max token:    %lu bytes\n", (unsigned long)p->cbMaxToken);
        printf("  version:      %u\n", (unsigned)p->wVersion);
        printf("  RPC id:       %u%s\n", (unsigned)p->wRPCID,
               p->wRPCID == SECPKG_ID_NONE ? " (SECPKG_ID_NONE)" : "");
    }
    FreeContextBuffer(info);
    return 0;
}
