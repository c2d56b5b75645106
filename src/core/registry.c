/* src/core/registry.c - the security packages this library provides, in the
 * order EnumerateSecurityPackages lists them. Adding a package is adding its
 * folder and one line here. */
#include "core/core.h"

#include <strings.h>

extern const struct sspi_package negotiate_package;
extern const struct sspi_package ntlm_package;
extern const struct sspi_package kerberos_package;

const struct sspi_package *const sspi_packages[] = {
    &negotiate_package,
    &ntlm_package,
#ifdef OPENSSPI_WITH_KERBEROS
    &kerberos_package,
#endif
};
const size_t sspi_npackages = sizeof(sspi_packages) / sizeof(sspi_packages[0]);

const struct sspi_package *core_find_package(const char *name)
{
    for (size_t i = 0; i < sspi_npackages; i++) {
        if (strcasecmp(sspi_packages[i]->name, name) == 0)
            return sspi_packages[i];
    }
    return NULL;
}
