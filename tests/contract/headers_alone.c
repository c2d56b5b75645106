/* tests/contract/headers_alone.c - sspi.h on its own, included twice, then security.h
 * <sspi.h> must be usable without <security.h> and SECURITY_WIN32, and each header
 * must be idempotent. Compiled only. */
#include <sspi.h>
#include <sspi.h>
#define SECURITY_WIN32
#include <security.h>

int headers_alone_check(void);
int headers_alone_check(void)
{
    SecHandle h;
    SecInvalidateHandle(&h);
    return SecIsValidHandle(&h) ? SEC_E_INTERNAL_ERROR : (int)sizeof(SecurityFunctionTableW);
}
