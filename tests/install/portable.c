/* tests/install/portable.c - Windows SSPI code as a porter writes it, built
 * against an installed OpenSSPI with nothing but `pkg-config opensspi`. */
#define SECURITY_WIN32
#include <security.h>
#include <stdio.h>

int main(void)
{
    ULONG n = 0;
    PSecPkgInfoA pkgs = NULL;
    SECURITY_STATUS st = EnumerateSecurityPackagesA(&n, &pkgs);
    if (st != SEC_E_OK)
        return 1;
    for (ULONG i = 0; i < n; i++)
        printf("%s\n", pkgs[i].Name);
    FreeContextBuffer(pkgs);
    PSecurityFunctionTableW t = InitSecurityInterfaceW();
    return t && t->AcquireCredentialsHandleW == AcquireCredentialsHandleW ? 0 : 1;
}
