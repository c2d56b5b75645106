/* tests/contract/portable_client.c - Windows-style SSPI client code, unchanged
 * Written the way portable Windows code uses SSPI (SECURITY_WIN32, security.h,
 * generic names, the function table), to prove it compiles against our headers
 * as C11 and as C++ with -Wall -Wextra -Werror, with and without UNICODE. It is
 * compiled, never linked or run. */
#define SECURITY_WIN32
#include <security.h>
#include <string.h>

#ifdef UNICODE
static SEC_WCHAR pkg_name[] = {'N', 'T', 'L', 'M', 0};
#else
static SEC_CHAR pkg_name[] = "NTLM";
#endif

SECURITY_STATUS portable_client_step(PSecurityFunctionTable table, PCredHandle cred,
                                     PCtxtHandle ctx, SEC_WINNT_AUTH_IDENTITY *id,
                                     void *in, ULONG in_len, SecBuffer *out_token);

SECURITY_STATUS portable_client_step(PSecurityFunctionTable table, PCredHandle cred,
                                     PCtxtHandle ctx, SEC_WINNT_AUTH_IDENTITY *id,
                                     void *in, ULONG in_len, SecBuffer *out_token)
{
    TimeStamp expiry;
    SecBuffer in_buf, out_buf;
    SecBufferDesc in_desc, out_desc;
    ULONG attrs = 0;
    SECURITY_STATUS st;
    SecPkgContext_Sizes sizes;
    PSecPkgInfo info = NULL;

    id->Flags = SEC_WINNT_AUTH_IDENTITY_ANSI;
    if (!SecIsValidHandle(cred)) {
        st = table->AcquireCredentialsHandle(NULL, pkg_name, SECPKG_CRED_OUTBOUND, NULL, id,
                                             NULL, NULL, cred, &expiry);
        if (st != SEC_E_OK)
            return st;
    }
    in_buf.BufferType = SECBUFFER_TOKEN;
    in_buf.cbBuffer = in_len;
    in_buf.pvBuffer = in;
    in_desc.ulVersion = SECBUFFER_VERSION;
    in_desc.cBuffers = 1;
    in_desc.pBuffers = &in_buf;
    out_buf.BufferType = SECBUFFER_TOKEN;
    out_buf.cbBuffer = 0;
    out_buf.pvBuffer = NULL;
    out_desc.ulVersion = SECBUFFER_VERSION;
    out_desc.cBuffers = 1;
    out_desc.pBuffers = &out_buf;

    st = InitializeSecurityContext(cred, in ? ctx : NULL, pkg_name,
                                   ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_CONFIDENTIALITY |
                                       ISC_REQ_INTEGRITY | ISC_REQ_MUTUAL_AUTH,
                                   0, SECURITY_NATIVE_DREP, in ? &in_desc : NULL, 0, ctx,
                                   &out_desc, &attrs, &expiry);
    if (st == SEC_I_COMPLETE_NEEDED || st == SEC_I_COMPLETE_AND_CONTINUE)
        st = table->CompleteAuthToken(ctx, &out_desc);
    if (FAILED(st)) {
        SecInvalidateHandle(ctx);
        return st;
    }
    *out_token = out_buf;
    memset(&sizes, 0, sizeof(sizes));
    if (QueryContextAttributes(ctx, SECPKG_ATTR_SIZES, &sizes) == SEC_E_OK &&
        QuerySecurityPackageInfo(pkg_name, &info) == SEC_E_OK) {
        if (sizes.cbMaxToken > info->cbMaxToken)
            st = SEC_E_INTERNAL_ERROR;
        FreeContextBuffer(info);
    }
    if ((out_buf.BufferType & ~SECBUFFER_ATTRMASK) != SECBUFFER_TOKEN)
        st = SEC_E_INVALID_TOKEN;
    if (expiry.QuadPart == 0 && expiry.LowPart == 0 && expiry.u.HighPart == 0)
        st = SEC_E_CONTEXT_EXPIRED;
    return st;
}

INIT_SECURITY_INTERFACE portable_client_entry(void);
INIT_SECURITY_INTERFACE portable_client_entry(void)
{
    static const char name[] = SECURITY_ENTRYPOINT_ANSI;
    (void)name;
    (void)sizeof(NEGOSSP_NAME_A);
    return InitSecurityInterface;
}
