/* src/core/api.c - the exported SSPI functions (sspi.h), A and W
 * Every entry point validates its handles and buffers, converts A/W strings to
 * UTF-8 once (W passwords to WTF-8), and calls the package through its table
 * (package.h). A strings are taken as UTF-8, the Unix "ANSI code page".
 * Windows behaviour followed: ISC/ASC_REQ_ALLOCATE_MEMORY, pfContextAttr and
 * ptsExpiry filled on every success, contexts that fail on their first call are
 * never returned, later failures leave the context for DeleteSecurityContext. */
#include "core/core.h"
#include "core/unicode.h"

#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_ID_CHARS (1u << 16)

/* ---- strings ------------------------------------------------------------ */

/* w_to_utf8 - NUL-terminated UTF-8 copy of a NUL-terminated W string (NULL in,
 * NULL out with *ok true; malformed: *ok false). */
static char *w_to_utf8(const SEC_WCHAR *w, bool *ok)
{
    *ok = true;
    if (!w)
        return NULL;
    char *s = utf16_dup_utf8(w, SIZE_MAX, false, false);
    if (!s)
        *ok = false;
    return s;
}

/* str_out - a malloc'd copy of UTF-8 s as the caller's string type (char or
 * SEC_WCHAR), freed by FreeContextBuffer; NULL s gives an empty string. */
static void *str_out(const char *s, bool wide)
{
    if (!s)
        s = "";
    if (!wide)
        return strdup(s);
    size_t n;
    return utf8_to_utf16(s, strlen(s), &n);
}

/* ---- package info ------------------------------------------------------- */

/* pkginfo_block - n SecPkgInfoA/W followed by their strings, one allocation
 * (so one FreeContextBuffer frees it). SecPkgInfoA and W share a layout. */
static void *pkginfo_block(const struct sspi_package *const *pkgs, size_t n, bool wide)
{
    size_t unit = wide ? sizeof(SEC_WCHAR) : 1;
    size_t size = n * sizeof(SecPkgInfoW);
    for (size_t i = 0; i < n; i++)
        size += (strlen(pkgs[i]->name) + strlen(pkgs[i]->comment) + 2) * unit;
    uint8_t *block = calloc(1, size);
    if (!block)
        return NULL;
    SecPkgInfoW *info = (SecPkgInfoW *)(void *)block;
    uint8_t *p = block + n * sizeof(SecPkgInfoW);
    for (size_t i = 0; i < n; i++) {
        const char *strs[2] = { pkgs[i]->name, pkgs[i]->comment };
        void *dst[2];
        for (int k = 0; k < 2; k++) {
            size_t len = strlen(strs[k]);
            dst[k] = p;
            for (size_t c = 0; c <= len; c++) { /* names are ASCII */
                if (wide) {
                    SEC_WCHAR wc = (SEC_WCHAR)(unsigned char)strs[k][c];
                    memcpy(p + c * unit, &wc, sizeof(wc));
                } else {
                    p[c] = (uint8_t)strs[k][c];
                }
            }
            p += (len + 1) * unit;
        }
        info[i].fCapabilities = pkgs[i]->caps;
        info[i].wVersion = pkgs[i]->version;
        info[i].wRPCID = pkgs[i]->rpcid;
        info[i].cbMaxToken = pkgs[i]->max_token;
        info[i].Name = dst[0];
        info[i].Comment = dst[1];
    }
    return block;
}

static SECURITY_STATUS core_enumerate(ULONG *count, void **info, bool wide)
{
    if (!count || !info)
        return SEC_E_INVALID_PARAMETER;
    void *block = pkginfo_block(sspi_packages, sspi_npackages, wide);
    if (!block)
        return SEC_E_INSUFFICIENT_MEMORY;
    *count = (ULONG)sspi_npackages;
    *info = block;
    return SEC_E_OK;
}

SECURITY_STATUS SEC_ENTRY EnumerateSecurityPackagesA(ULONG *pcPackages, PSecPkgInfoA *ppPackageInfo)
{
    return core_enumerate((ULONG *)pcPackages, (void **)ppPackageInfo, false);
}

SECURITY_STATUS SEC_ENTRY EnumerateSecurityPackagesW(ULONG *pcPackages, PSecPkgInfoW *ppPackageInfo)
{
    return core_enumerate((ULONG *)pcPackages, (void **)ppPackageInfo, true);
}

static SECURITY_STATUS core_query_package(const char *name, bool ok, void **info, bool wide)
{
    if (!info)
        return SEC_E_INVALID_PARAMETER;
    if (!ok || !name)
        return SEC_E_SECPKG_NOT_FOUND;
    const struct sspi_package *pkg = core_find_package(name);
    if (!pkg)
        return SEC_E_SECPKG_NOT_FOUND;
    void *block = pkginfo_block(&pkg, 1, wide);
    if (!block)
        return SEC_E_INSUFFICIENT_MEMORY;
    *info = block;
    return SEC_E_OK;
}

SECURITY_STATUS SEC_ENTRY QuerySecurityPackageInfoA(SEC_CHAR *pszPackageName, PSecPkgInfoA *ppPackageInfo)
{
    return core_query_package(pszPackageName, true, (void **)ppPackageInfo, false);
}

SECURITY_STATUS SEC_ENTRY QuerySecurityPackageInfoW(SEC_WCHAR *pszPackageName, PSecPkgInfoW *ppPackageInfo)
{
    bool ok;
    char *name = w_to_utf8(pszPackageName, &ok);
    SECURITY_STATUS st = core_query_package(name, ok, (void **)ppPackageInfo, true);
    free(name);
    return st;
}

/* ---- credentials -------------------------------------------------------- */

/* struct id_copy - a decoded SEC_WINNT_AUTH_IDENTITY[_EX] A/W in UTF-8. */
struct id_copy {
    struct sspi_identity id;
    char *user, *domain, *password, *packages;
};

static void id_copy_free(struct id_copy *c)
{
    free(c->user);
    free(c->domain);
    if (c->password)
        OPENSSL_clear_free(c->password, strlen(c->password));
    free(c->packages);
}

/* id_str - copy one counted identity string (chars, no NUL) to UTF-8. */
static bool id_str(const void *p, uint32_t len, bool wide, bool secret, char **out)
{
    *out = NULL;
    if (!p)
        return true;
    if (len > MAX_ID_CHARS)
        return false;
    if (wide) {
        *out = utf16_dup_utf8(p, len, secret, secret);
        return *out != NULL;
    }
    *out = malloc((size_t)len + 1);
    if (!*out)
        return false;
    memcpy(*out, p, len);
    (*out)[len] = 0;
    return true;
}

/* decode_identity - pAuthData as SEC_WINNT_AUTH_IDENTITY_A/W or _EXA/EXW; the
 * Flags field (ANSI or UNICODE) says how its strings are encoded, whatever the
 * entry point (as on Windows). */
static SECURITY_STATUS decode_identity(const void *auth, struct id_copy *c)
{
    const void *user, *domain, *password, *packages = NULL;
    uint32_t ulen, dlen, plen, pklen = 0, flags;
    SEC_WINNT_AUTH_IDENTITY_EXW ex;
    memcpy(&ex.Version, auth, sizeof(ex.Version));
    memset(c, 0, sizeof(*c));
    if (ex.Version == SEC_WINNT_AUTH_IDENTITY_VERSION) {
        memcpy(&ex, auth, sizeof(ex));
        if (ex.Length < sizeof(ex))
            return SEC_E_UNKNOWN_CREDENTIALS;
        user = ex.User, ulen = ex.UserLength;
        domain = ex.Domain, dlen = ex.DomainLength;
        password = ex.Password, plen = ex.PasswordLength;
        packages = ex.PackageList, pklen = ex.PackageListLength;
        flags = ex.Flags;
    } else {
        SEC_WINNT_AUTH_IDENTITY_W id;
        memcpy(&id, auth, sizeof(id));
        user = id.User, ulen = id.UserLength;
        domain = id.Domain, dlen = id.DomainLength;
        password = id.Password, plen = id.PasswordLength;
        flags = id.Flags;
    }
    bool wide;
    if (flags & SEC_WINNT_AUTH_IDENTITY_UNICODE)
        wide = true;
    else if (flags & SEC_WINNT_AUTH_IDENTITY_ANSI)
        wide = false;
    else
        return SEC_E_UNKNOWN_CREDENTIALS;
    if (!id_str(user, ulen, wide, false, &c->user) || !id_str(domain, dlen, wide, false, &c->domain)
        || !id_str(password, plen, wide, true, &c->password)
        || !id_str(packages, pklen, wide, false, &c->packages)) {
        id_copy_free(c);
        return SEC_E_UNKNOWN_CREDENTIALS;
    }
    c->id.user = c->user;
    c->id.domain = c->domain;
    c->id.password = c->password;
    c->id.password_len = c->password ? strlen(c->password) : 0;
    c->id.package_list = c->packages;
    c->id.flags = flags & ~(uint32_t)(SEC_WINNT_AUTH_IDENTITY_UNICODE | SEC_WINNT_AUTH_IDENTITY_ANSI);
    return SEC_E_OK;
}

static SECURITY_STATUS core_acquire(const char *principal, const char *package, uint32_t use, void *auth_data,
                                    PCredHandle out, PTimeStamp expiry)
{
    if (!out)
        return SEC_E_INVALID_HANDLE;
    const struct sspi_package *pkg = package ? core_find_package(package) : NULL;
    if (!pkg)
        return SEC_E_SECPKG_NOT_FOUND;
    if (!(use & (SECPKG_CRED_INBOUND | SECPKG_CRED_OUTBOUND)))
        return SEC_E_UNKNOWN_CREDENTIALS;
    if (!pkg->acquire_cred)
        return SEC_E_UNSUPPORTED_FUNCTION;

    SECURITY_STATUS st;
    struct id_copy idc;
    memset(&idc, 0, sizeof(idc));
    struct sspi_cred_args args = { principal, use, NULL, auth_data, false };
    if (auth_data && !pkg->raw_auth_data) {
        st = decode_identity(auth_data, &idc);
        if (st != SEC_E_OK)
            return st;
        args.id = &idc.id;
        args.auth_data_is_identity = true;
    }
    struct sspi_cred *cred = calloc(1, sizeof(*cred));
    TimeStamp exp = sspi_expiry_never();
    void *pkg_cred = NULL;
    st = SEC_E_INSUFFICIENT_MEMORY;
    if (!cred)
        goto out;
    st = pkg->acquire_cred(&args, &pkg_cred, &exp);
    if (st != SEC_E_OK)
        goto out;
    cred->pkg = pkg;
    cred->pkg_cred = pkg_cred;
    cred->use = use;
    atomic_init(&cred->refs, 1);
    if (!handle_new(HANDLE_CRED, cred, out)) {
        st = SEC_E_INSUFFICIENT_MEMORY;
        goto out;
    }
    cred = NULL;
    pkg_cred = NULL;
    if (expiry)
        *expiry = exp;
out:
    if (pkg_cred && pkg->free_cred)
        pkg->free_cred(pkg_cred);
    free(cred);
    id_copy_free(&idc);
    return st;
}

SECURITY_STATUS SEC_ENTRY AcquireCredentialsHandleA(SEC_CHAR *pszPrincipal, SEC_CHAR *pszPackage,
                                                    ULONG fCredentialUse, void *pvLogonId, void *pAuthData,
                                                    SEC_GET_KEY_FN pGetKeyFn, void *pvGetKeyArgument,
                                                    PCredHandle phCredential, PTimeStamp ptsExpiry)
{
    return core_acquire(pszPrincipal, pszPackage, (uint32_t)fCredentialUse, pAuthData, phCredential, ptsExpiry);
}

SECURITY_STATUS SEC_ENTRY AcquireCredentialsHandleW(SEC_WCHAR *pszPrincipal, SEC_WCHAR *pszPackage,
                                                    ULONG fCredentialUse, void *pvLogonId, void *pAuthData,
                                                    SEC_GET_KEY_FN pGetKeyFn, void *pvGetKeyArgument,
                                                    PCredHandle phCredential, PTimeStamp ptsExpiry)
{
    bool ok1, ok2;
    char *principal = w_to_utf8(pszPrincipal, &ok1);
    char *package = w_to_utf8(pszPackage, &ok2);
    SECURITY_STATUS st = !ok2 ? SEC_E_SECPKG_NOT_FOUND : !ok1 ? SEC_E_UNKNOWN_CREDENTIALS
        : core_acquire(principal, package, (uint32_t)fCredentialUse, pAuthData, phCredential, ptsExpiry);
    free(principal);
    free(package);
    return st;
}

SECURITY_STATUS SEC_ENTRY FreeCredentialsHandle(PCredHandle phCredential)
{
    struct sspi_cred *cred = handle_release(phCredential, HANDLE_CRED);
    if (!cred)
        return SEC_E_INVALID_HANDLE;
    cred_unref(cred);
    return SEC_E_OK;
}

static SECURITY_STATUS core_query_cred(PCredHandle h, ULONG attr, void *buf, bool wide)
{
    struct sspi_cred *cred = handle_get(h, HANDLE_CRED);
    if (!cred)
        return SEC_E_INVALID_HANDLE;
    if (!buf)
        return SEC_E_INVALID_PARAMETER;
    if (attr != SECPKG_CRED_ATTR_NAMES || !cred->pkg->query_cred_str)
        return SEC_E_UNSUPPORTED_FUNCTION;
    struct sspi_strattr sa;
    memset(&sa, 0, sizeof(sa));
    SECURITY_STATUS st = cred->pkg->query_cred_str(cred->pkg_cred, (uint32_t)attr, &sa);
    if (st != SEC_E_OK)
        return st;
    void *name = str_out(sa.s[0], wide);
    if (!name)
        return SEC_E_INSUFFICIENT_MEMORY;
    ((SecPkgCredentials_NamesW *)buf)->sUserName = name;
    return SEC_E_OK;
}

SECURITY_STATUS SEC_ENTRY QueryCredentialsAttributesA(PCredHandle phCredential, ULONG ulAttribute, void *pBuffer)
{
    return core_query_cred(phCredential, ulAttribute, pBuffer, false);
}

SECURITY_STATUS SEC_ENTRY QueryCredentialsAttributesW(PCredHandle phCredential, ULONG ulAttribute, void *pBuffer)
{
    return core_query_cred(phCredential, ulAttribute, pBuffer, true);
}

SECURITY_STATUS SEC_ENTRY QueryCredentialsAttributesExA(PCredHandle phCredential, ULONG ulAttribute,
                                                        void *pBuffer, ULONG cbBuffer)
{
    if (pBuffer && cbBuffer < sizeof(SecPkgCredentials_NamesA))
        return SEC_E_BUFFER_TOO_SMALL;
    return core_query_cred(phCredential, ulAttribute, pBuffer, false);
}

SECURITY_STATUS SEC_ENTRY QueryCredentialsAttributesExW(PCredHandle phCredential, ULONG ulAttribute,
                                                        void *pBuffer, ULONG cbBuffer)
{
    if (pBuffer && cbBuffer < sizeof(SecPkgCredentials_NamesW))
        return SEC_E_BUFFER_TOO_SMALL;
    return core_query_cred(phCredential, ulAttribute, pBuffer, true);
}

/* ---- contexts ----------------------------------------------------------- */

static bool is_success(SECURITY_STATUS st)
{
    return st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED || st == SEC_I_COMPLETE_NEEDED
        || st == SEC_I_COMPLETE_AND_CONTINUE;
}

/* drop_allocated_token - undo a token handed to the caller by allocation when
 * the call fails after all (no context was made for it). */
static void drop_allocated_token(SecBufferDesc *out)
{
    SecBuffer *b = sspi_find_buffer(out, SECBUFFER_TOKEN, 0);
    if (b) {
        free(b->pvBuffer);
        b->pvBuffer = NULL;
        b->cbBuffer = 0;
    }
}

/* core_step - one ISC (server false) or ASC (server true) call. */
static SECURITY_STATUS core_step(PCredHandle hcred, PCtxtHandle hctx, const char *target, ULONG req,
                                 ULONG data_rep, PSecBufferDesc in, PCtxtHandle new_ctx,
                                 PSecBufferDesc out, ULONG *attrs, PTimeStamp expiry, bool server)
{
    struct sspi_ctx *ctx = NULL;
    struct sspi_cred *cred = NULL;
    bool first = !hctx || (hctx->dwLower == 0 && hctx->dwUpper == 0);
    const uint32_t alloc_flag = server ? ASC_REQ_ALLOCATE_MEMORY : ISC_REQ_ALLOCATE_MEMORY;
    const uint32_t alloc_ret = server ? ASC_RET_ALLOCATED_MEMORY : ISC_RET_ALLOCATED_MEMORY;

    if (!first) {
        ctx = handle_get(hctx, HANDLE_CTX);
        if (!ctx || ctx->server != server)
            return SEC_E_INVALID_HANDLE;
        cred = ctx->cred;
    } else {
        cred = handle_get(hcred, HANDLE_CRED);
        if (!cred)
            return SEC_E_INVALID_HANDLE;
        if (!(cred->use & (server ? SECPKG_CRED_INBOUND : SECPKG_CRED_OUTBOUND)))
            return SEC_E_WRONG_CREDENTIAL_HANDLE;
        if (!new_ctx)
            return SEC_E_INVALID_HANDLE;
    }
    if (!core_desc_ok(in, false) || !core_desc_ok(out, true))
        return SEC_E_INVALID_TOKEN;
    const struct sspi_package *pkg = first ? cred->pkg : ctx->pkg;
    SECURITY_STATUS (*fn)(void *, void **, struct sspi_step *) = server ? pkg->accept_ctx : pkg->init_ctx;
    if (!fn)
        return SEC_E_UNSUPPORTED_FUNCTION;

    struct sspi_step s;
    memset(&s, 0, sizeof(s));
    s.target = target;
    s.req = (uint32_t)req;
    s.data_rep = (uint32_t)data_rep;
    s.in = in;
    s.out = out;
    s.expiry = sspi_expiry_never();
    void *pkg_ctx = first ? NULL : ctx->pkg_ctx;
    SECURITY_STATUS st = fn(cred ? cred->pkg_cred : NULL, &pkg_ctx, &s);
    bool pkg_ok = is_success(st);
    bool allocate = (s.req & alloc_flag) != 0;
    /* An error token (a SPNEGO reject, say) is handed back on failure too. */
    SECURITY_STATUS pst = core_place_token(out, allocate, s.token, s.token_len);
    bool ok = pkg_ok && pst == SEC_E_OK;
    if (pkg_ok && !ok)
        st = pst;
    if (!first) {
        ctx->pkg_ctx = pkg_ctx;
        if (ok && new_ctx && new_ctx != hctx)
            *new_ctx = *hctx;
    } else {
        if (ok) {
            ctx = calloc(1, sizeof(*ctx));
            if (ctx && !handle_new(HANDLE_CTX, ctx, new_ctx)) {
                free(ctx);
                ctx = NULL;
            }
            if (!ctx) {
                st = SEC_E_INSUFFICIENT_MEMORY;
                ok = false;
            }
        }
        if (!ok) {
            if (pkg_ctx && pkg->delete_ctx)
                pkg->delete_ctx(pkg_ctx);
            if (pkg_ok && allocate)
                drop_allocated_token(out);
            return st;
        }
        ctx->pkg = pkg;
        ctx->pkg_ctx = pkg_ctx;
        ctx->server = server;
        ctx->cred = cred;
        atomic_fetch_add(&cred->refs, 1);
    }
    if (ok) {
        if (attrs)
            *attrs = s.attrs | (allocate ? alloc_ret : 0);
        if (expiry)
            *expiry = s.expiry;
    }
    return st;
}

SECURITY_STATUS SEC_ENTRY InitializeSecurityContextA(PCredHandle phCredential, PCtxtHandle phContext,
                                                     SEC_CHAR *pszTargetName, ULONG fContextReq,
                                                     ULONG Reserved1, ULONG TargetDataRep,
                                                     PSecBufferDesc pInput, ULONG Reserved2,
                                                     PCtxtHandle phNewContext, PSecBufferDesc pOutput,
                                                     ULONG *pfContextAttr, PTimeStamp ptsExpiry)
{
    return core_step(phCredential, phContext, pszTargetName, fContextReq, TargetDataRep, pInput, phNewContext,
                     pOutput, pfContextAttr, ptsExpiry, false);
}

SECURITY_STATUS SEC_ENTRY InitializeSecurityContextW(PCredHandle phCredential, PCtxtHandle phContext,
                                                     SEC_WCHAR *pszTargetName, ULONG fContextReq,
                                                     ULONG Reserved1, ULONG TargetDataRep,
                                                     PSecBufferDesc pInput, ULONG Reserved2,
                                                     PCtxtHandle phNewContext, PSecBufferDesc pOutput,
                                                     ULONG *pfContextAttr, PTimeStamp ptsExpiry)
{
    bool ok;
    char *target = w_to_utf8(pszTargetName, &ok);
    SECURITY_STATUS st = !ok ? SEC_E_TARGET_UNKNOWN
                             : core_step(phCredential, phContext, target, fContextReq, TargetDataRep, pInput,
                                         phNewContext, pOutput, pfContextAttr, ptsExpiry, false);
    free(target);
    return st;
}

SECURITY_STATUS SEC_ENTRY AcceptSecurityContext(PCredHandle phCredential, PCtxtHandle phContext,
                                                PSecBufferDesc pInput, ULONG fContextReq,
                                                ULONG TargetDataRep, PCtxtHandle phNewContext,
                                                PSecBufferDesc pOutput, ULONG *pfContextAttr,
                                                PTimeStamp ptsExpiry)
{
    return core_step(phCredential, phContext, NULL, fContextReq, TargetDataRep, pInput, phNewContext, pOutput,
                     pfContextAttr, ptsExpiry, true);
}

SECURITY_STATUS SEC_ENTRY DeleteSecurityContext(PCtxtHandle phContext)
{
    struct sspi_ctx *ctx = handle_release(phContext, HANDLE_CTX);
    if (!ctx)
        return SEC_E_INVALID_HANDLE;
    if (ctx->pkg_ctx && ctx->pkg->delete_ctx)
        ctx->pkg->delete_ctx(ctx->pkg_ctx);
    cred_unref(ctx->cred);
    free(ctx);
    return SEC_E_OK;
}

static struct sspi_ctx *ctx_of(PCtxtHandle h)
{
    return handle_get(h, HANDLE_CTX);
}

SECURITY_STATUS SEC_ENTRY CompleteAuthToken(PCtxtHandle phContext, PSecBufferDesc pToken)
{
    struct sspi_ctx *ctx = ctx_of(phContext);
    if (!ctx)
        return SEC_E_INVALID_HANDLE;
    if (!pToken || !core_desc_ok(pToken, false))
        return SEC_E_INVALID_TOKEN;
    if (!ctx->pkg->complete_token)
        return SEC_E_UNSUPPORTED_FUNCTION;
    return ctx->pkg->complete_token(ctx->pkg_ctx, pToken);
}

SECURITY_STATUS SEC_ENTRY ApplyControlToken(PCtxtHandle phContext, PSecBufferDesc pInput)
{
    struct sspi_ctx *ctx = ctx_of(phContext);
    if (!ctx)
        return SEC_E_INVALID_HANDLE;
    if (!pInput || !core_desc_ok(pInput, false))
        return SEC_E_INVALID_TOKEN;
    if (!ctx->pkg->apply_control)
        return SEC_E_UNSUPPORTED_FUNCTION;
    return ctx->pkg->apply_control(ctx->pkg_ctx, pInput);
}

/* ---- attributes --------------------------------------------------------- */

static SECURITY_STATUS query_pkginfo(struct sspi_ctx *ctx, ULONG attr, void *buf, bool wide)
{
    const struct sspi_package *pkg = ctx->pkg;
    uint32_t state = SECPKG_NEGOTIATION_COMPLETE;
    if (pkg->negotiated) {
        const struct sspi_package *won = pkg->negotiated(ctx->pkg_ctx, &state);
        if (won)
            pkg = won;
    }
    void *info = pkginfo_block(&pkg, 1, wide);
    if (!info)
        return SEC_E_INSUFFICIENT_MEMORY;
    if (attr == SECPKG_ATTR_PACKAGE_INFO) {
        ((SecPkgContext_PackageInfoW *)buf)->PackageInfo = info;
    } else {
        ((SecPkgContext_NegotiationInfoW *)buf)->PackageInfo = info;
        ((SecPkgContext_NegotiationInfoW *)buf)->NegotiationState = state;
    }
    return SEC_E_OK;
}

static SECURITY_STATUS query_strattr(struct sspi_ctx *ctx, ULONG attr, void *buf, bool wide)
{
    if (!ctx->pkg->query_ctx_str)
        return SEC_E_UNSUPPORTED_FUNCTION;
    struct sspi_strattr sa;
    memset(&sa, 0, sizeof(sa));
    SECURITY_STATUS st = ctx->pkg->query_ctx_str(ctx->pkg_ctx, (uint32_t)attr, &sa);
    if (st != SEC_E_OK)
        return st;
    bool two = attr == SECPKG_ATTR_NATIVE_NAMES || attr == SECPKG_ATTR_KEY_INFO;
    void *s0 = str_out(sa.s[0], wide);
    void *s1 = two ? str_out(sa.s[1], wide) : NULL;
    if (!s0 || (two && !s1)) {
        free(s0);
        free(s1);
        return SEC_E_INSUFFICIENT_MEMORY;
    }
    switch (attr) {
    case SECPKG_ATTR_NAMES:
        ((SecPkgContext_NamesW *)buf)->sUserName = s0;
        break;
    case SECPKG_ATTR_AUTHORITY:
        ((SecPkgContext_AuthorityW *)buf)->sAuthorityName = s0;
        break;
    case SECPKG_ATTR_NATIVE_NAMES:
        ((SecPkgContext_NativeNamesW *)buf)->sClientName = s0;
        ((SecPkgContext_NativeNamesW *)buf)->sServerName = s1;
        break;
    default: { /* SECPKG_ATTR_KEY_INFO */
        SecPkgContext_KeyInfoW *k = buf;
        k->sSignatureAlgorithmName = s0;
        k->sEncryptAlgorithmName = s1;
        k->KeySize = sa.n[0];
        k->SignatureAlgorithm = sa.n[1];
        k->EncryptAlgorithm = sa.n[2];
        break;
    }
    }
    return SEC_E_OK;
}

static SECURITY_STATUS core_query_ctx(PCtxtHandle h, ULONG attr, void *buf, bool wide)
{
    struct sspi_ctx *ctx = ctx_of(h);
    if (!ctx)
        return SEC_E_INVALID_HANDLE;
    if (!buf)
        return SEC_E_INVALID_PARAMETER;
    switch (attr) {
    case SECPKG_ATTR_PACKAGE_INFO:
    case SECPKG_ATTR_NEGOTIATION_INFO:
        return query_pkginfo(ctx, attr, buf, wide);
    case SECPKG_ATTR_NAMES:
    case SECPKG_ATTR_NATIVE_NAMES:
    case SECPKG_ATTR_AUTHORITY:
    case SECPKG_ATTR_KEY_INFO:
        return query_strattr(ctx, attr, buf, wide);
    default:
        if (!ctx->pkg->query_ctx)
            return SEC_E_UNSUPPORTED_FUNCTION;
        return ctx->pkg->query_ctx(ctx->pkg_ctx, (uint32_t)attr, buf);
    }
}

SECURITY_STATUS SEC_ENTRY QueryContextAttributesA(PCtxtHandle phContext, ULONG ulAttribute, void *pBuffer)
{
    return core_query_ctx(phContext, ulAttribute, pBuffer, false);
}

SECURITY_STATUS SEC_ENTRY QueryContextAttributesW(PCtxtHandle phContext, ULONG ulAttribute, void *pBuffer)
{
    return core_query_ctx(phContext, ulAttribute, pBuffer, true);
}

SECURITY_STATUS SEC_ENTRY QueryContextAttributesExA(PCtxtHandle phContext, ULONG ulAttribute, void *pBuffer,
                                                    ULONG cbBuffer)
{
    return core_query_ctx(phContext, ulAttribute, pBuffer, false);
}

SECURITY_STATUS SEC_ENTRY QueryContextAttributesExW(PCtxtHandle phContext, ULONG ulAttribute, void *pBuffer,
                                                    ULONG cbBuffer)
{
    return core_query_ctx(phContext, ulAttribute, pBuffer, true);
}

static SECURITY_STATUS core_set_ctx(PCtxtHandle h, ULONG attr, void *buf, ULONG len)
{
    struct sspi_ctx *ctx = ctx_of(h);
    if (!ctx)
        return SEC_E_INVALID_HANDLE;
    if (!buf)
        return SEC_E_INVALID_PARAMETER;
    if (!ctx->pkg->set_ctx)
        return SEC_E_UNSUPPORTED_FUNCTION;
    return ctx->pkg->set_ctx(ctx->pkg_ctx, (uint32_t)attr, buf, (uint32_t)len);
}

SECURITY_STATUS SEC_ENTRY SetContextAttributesA(PCtxtHandle phContext, ULONG ulAttribute, void *pBuffer,
                                                ULONG cbBuffer)
{
    return core_set_ctx(phContext, ulAttribute, pBuffer, cbBuffer);
}

SECURITY_STATUS SEC_ENTRY SetContextAttributesW(PCtxtHandle phContext, ULONG ulAttribute, void *pBuffer,
                                                ULONG cbBuffer)
{
    return core_set_ctx(phContext, ulAttribute, pBuffer, cbBuffer);
}

SECURITY_STATUS SEC_ENTRY FreeContextBuffer(void *pvContextBuffer)
{
    free(pvContextBuffer);
    return SEC_E_OK;
}

/* ---- messages ----------------------------------------------------------- */

static SECURITY_STATUS msg_ctx(PCtxtHandle h, PSecBufferDesc msg, struct sspi_ctx **ctx)
{
    *ctx = ctx_of(h);
    if (!*ctx)
        return SEC_E_INVALID_HANDLE;
    if (!msg || !msg->pBuffers || msg->cBuffers == 0 || !core_desc_ok(msg, false))
        return SEC_E_INVALID_TOKEN;
    return SEC_E_OK;
}

SECURITY_STATUS SEC_ENTRY MakeSignature(PCtxtHandle phContext, ULONG fQOP, PSecBufferDesc pMessage,
                                        ULONG MessageSeqNo)
{
    struct sspi_ctx *ctx;
    SECURITY_STATUS st = msg_ctx(phContext, pMessage, &ctx);
    if (st != SEC_E_OK)
        return st;
    if (!ctx->pkg->make_sig)
        return SEC_E_UNSUPPORTED_FUNCTION;
    return ctx->pkg->make_sig(ctx->pkg_ctx, (uint32_t)fQOP, pMessage, (uint32_t)MessageSeqNo);
}

SECURITY_STATUS SEC_ENTRY VerifySignature(PCtxtHandle phContext, PSecBufferDesc pMessage, ULONG MessageSeqNo,
                                          ULONG *pfQOP)
{
    struct sspi_ctx *ctx;
    SECURITY_STATUS st = msg_ctx(phContext, pMessage, &ctx);
    if (st != SEC_E_OK)
        return st;
    if (!ctx->pkg->verify_sig)
        return SEC_E_UNSUPPORTED_FUNCTION;
    uint32_t qop = 0;
    st = ctx->pkg->verify_sig(ctx->pkg_ctx, pMessage, (uint32_t)MessageSeqNo, &qop);
    if (st == SEC_E_OK && pfQOP)
        *pfQOP = qop;
    return st;
}

SECURITY_STATUS SEC_ENTRY EncryptMessage(PCtxtHandle phContext, ULONG fQOP, PSecBufferDesc pMessage,
                                         ULONG MessageSeqNo)
{
    struct sspi_ctx *ctx;
    SECURITY_STATUS st = msg_ctx(phContext, pMessage, &ctx);
    if (st != SEC_E_OK)
        return st;
    if (!ctx->pkg->encrypt)
        return SEC_E_UNSUPPORTED_FUNCTION;
    return ctx->pkg->encrypt(ctx->pkg_ctx, (uint32_t)fQOP, pMessage, (uint32_t)MessageSeqNo);
}

SECURITY_STATUS SEC_ENTRY DecryptMessage(PCtxtHandle phContext, PSecBufferDesc pMessage, ULONG MessageSeqNo,
                                         ULONG *pfQOP)
{
    struct sspi_ctx *ctx;
    SECURITY_STATUS st = msg_ctx(phContext, pMessage, &ctx);
    if (st != SEC_E_OK)
        return st;
    if (!ctx->pkg->decrypt)
        return SEC_E_UNSUPPORTED_FUNCTION;
    uint32_t qop = 0;
    st = ctx->pkg->decrypt(ctx->pkg_ctx, pMessage, (uint32_t)MessageSeqNo, &qop);
    if (st == SEC_E_OK && pfQOP)
        *pfQOP = qop;
    return st;
}

/* ---- what Unix cannot do ------------------------------------------------ */
/* Impersonation, token export and password change need a Windows logon
 * session: after validating the handle they answer SEC_E_UNSUPPORTED_FUNCTION,
 * the status Windows packages give for functions they do not implement. */

SECURITY_STATUS SEC_ENTRY ImpersonateSecurityContext(PCtxtHandle phContext)
{
    return ctx_of(phContext) ? SEC_E_UNSUPPORTED_FUNCTION : SEC_E_INVALID_HANDLE;
}

SECURITY_STATUS SEC_ENTRY RevertSecurityContext(PCtxtHandle phContext)
{
    return ctx_of(phContext) ? SEC_E_UNSUPPORTED_FUNCTION : SEC_E_INVALID_HANDLE;
}

SECURITY_STATUS SEC_ENTRY QuerySecurityContextToken(PCtxtHandle phContext, void **Token)
{
    return ctx_of(phContext) ? SEC_E_UNSUPPORTED_FUNCTION : SEC_E_INVALID_HANDLE;
}

SECURITY_STATUS SEC_ENTRY ExportSecurityContext(PCtxtHandle phContext, ULONG fFlags, PSecBuffer pPackedContext,
                                                void **pToken)
{
    return ctx_of(phContext) ? SEC_E_UNSUPPORTED_FUNCTION : SEC_E_INVALID_HANDLE;
}

SECURITY_STATUS SEC_ENTRY ImportSecurityContextA(SEC_CHAR *pszPackage, PSecBuffer pPackedContext, void *Token,
                                                 PCtxtHandle phContext)
{
    return SEC_E_UNSUPPORTED_FUNCTION;
}

SECURITY_STATUS SEC_ENTRY ImportSecurityContextW(SEC_WCHAR *pszPackage, PSecBuffer pPackedContext, void *Token,
                                                 PCtxtHandle phContext)
{
    return SEC_E_UNSUPPORTED_FUNCTION;
}

SECURITY_STATUS SEC_ENTRY AddCredentialsA(PCredHandle hCredentials, SEC_CHAR *pszPrincipal, SEC_CHAR *pszPackage,
                                          ULONG fCredentialUse, void *pAuthData, SEC_GET_KEY_FN pGetKeyFn,
                                          void *pvGetKeyArgument, PTimeStamp ptsExpiry)
{
    return handle_get(hCredentials, HANDLE_CRED) ? SEC_E_UNSUPPORTED_FUNCTION : SEC_E_INVALID_HANDLE;
}

SECURITY_STATUS SEC_ENTRY AddCredentialsW(PCredHandle hCredentials, SEC_WCHAR *pszPrincipal, SEC_WCHAR *pszPackage,
                                          ULONG fCredentialUse, void *pAuthData, SEC_GET_KEY_FN pGetKeyFn,
                                          void *pvGetKeyArgument, PTimeStamp ptsExpiry)
{
    return handle_get(hCredentials, HANDLE_CRED) ? SEC_E_UNSUPPORTED_FUNCTION : SEC_E_INVALID_HANDLE;
}

SECURITY_STATUS SEC_ENTRY SetCredentialsAttributesA(PCredHandle phCredential, ULONG ulAttribute,
                                                    void *pBuffer, ULONG cbBuffer)
{
    return handle_get(phCredential, HANDLE_CRED) ? SEC_E_UNSUPPORTED_FUNCTION : SEC_E_INVALID_HANDLE;
}

SECURITY_STATUS SEC_ENTRY SetCredentialsAttributesW(PCredHandle phCredential, ULONG ulAttribute,
                                                    void *pBuffer, ULONG cbBuffer)
{
    return handle_get(phCredential, HANDLE_CRED) ? SEC_E_UNSUPPORTED_FUNCTION : SEC_E_INVALID_HANDLE;
}

SECURITY_STATUS SEC_ENTRY ChangeAccountPasswordA(SEC_CHAR *pszPackageName, SEC_CHAR *pszDomainName,
                                                 SEC_CHAR *pszAccountName, SEC_CHAR *pszOldPassword,
                                                 SEC_CHAR *pszNewPassword, BOOLEAN bImpersonating,
                                                 ULONG dwReserved, PSecBufferDesc pOutput)
{
    return SEC_E_UNSUPPORTED_FUNCTION;
}

SECURITY_STATUS SEC_ENTRY ChangeAccountPasswordW(SEC_WCHAR *pszPackageName, SEC_WCHAR *pszDomainName,
                                                 SEC_WCHAR *pszAccountName, SEC_WCHAR *pszOldPassword,
                                                 SEC_WCHAR *pszNewPassword, BOOLEAN bImpersonating,
                                                 ULONG dwReserved, PSecBufferDesc pOutput)
{
    return SEC_E_UNSUPPORTED_FUNCTION;
}

/* ---- function tables ---------------------------------------------------- */

static SecurityFunctionTableA table_a = {
    SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION_4,
    EnumerateSecurityPackagesA,
    QueryCredentialsAttributesA,
    AcquireCredentialsHandleA,
    FreeCredentialsHandle,
    NULL,
    InitializeSecurityContextA,
    AcceptSecurityContext,
    CompleteAuthToken,
    DeleteSecurityContext,
    ApplyControlToken,
    QueryContextAttributesA,
    ImpersonateSecurityContext,
    RevertSecurityContext,
    MakeSignature,
    VerifySignature,
    FreeContextBuffer,
    QuerySecurityPackageInfoA,
    NULL,
    NULL,
    ExportSecurityContext,
    ImportSecurityContextA,
    AddCredentialsA,
    NULL,
    QuerySecurityContextToken,
    EncryptMessage,
    DecryptMessage,
    SetContextAttributesA,
    SetCredentialsAttributesA,
    ChangeAccountPasswordA,
    QueryContextAttributesExA,
    QueryCredentialsAttributesExA,
};

static SecurityFunctionTableW table_w = {
    SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION_4,
    EnumerateSecurityPackagesW,
    QueryCredentialsAttributesW,
    AcquireCredentialsHandleW,
    FreeCredentialsHandle,
    NULL,
    InitializeSecurityContextW,
    AcceptSecurityContext,
    CompleteAuthToken,
    DeleteSecurityContext,
    ApplyControlToken,
    QueryContextAttributesW,
    ImpersonateSecurityContext,
    RevertSecurityContext,
    MakeSignature,
    VerifySignature,
    FreeContextBuffer,
    QuerySecurityPackageInfoW,
    NULL,
    NULL,
    ExportSecurityContext,
    ImportSecurityContextW,
    AddCredentialsW,
    NULL,
    QuerySecurityContextToken,
    EncryptMessage,
    DecryptMessage,
    SetContextAttributesW,
    SetCredentialsAttributesW,
    ChangeAccountPasswordW,
    QueryContextAttributesExW,
    QueryCredentialsAttributesExW,
};

PSecurityFunctionTableA SEC_ENTRY InitSecurityInterfaceA(void)
{
    return &table_a;
}

PSecurityFunctionTableW SEC_ENTRY InitSecurityInterfaceW(void)
{
    return &table_w;
}
