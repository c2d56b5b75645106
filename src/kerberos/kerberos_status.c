/* src/kerberos/kerberos_status.c - krb5 and GSS-API errors as the statuses a
 * Windows Kerberos caller expects (see kerberos_status.h), and tracing.
 *
 *   wrong password / preauth failed / unknown user   SEC_E_LOGON_DENIED
 *   unknown service principal                         SEC_E_TARGET_UNKNOWN
 *   ticket for another key or principal               SEC_E_WRONG_PRINCIPAL
 *   clock skew, ticket not yet valid                  SEC_E_TIME_SKEW
 *   KDC unreachable, realm unknown                    SEC_E_NO_AUTHENTICATING_AUTHORITY
 *   no ccache / TGT / keytab entry                    SEC_E_NO_CREDENTIALS
 *   malformed token                                   SEC_E_INVALID_TOKEN
 *   MIC or wrap integrity failure                     SEC_E_MESSAGE_ALTERED
 *   replayed or reordered message                     SEC_E_OUT_OF_SEQUENCE
 *   channel bindings mismatch                         SEC_E_BAD_BINDINGS */
#include "kerberos/kerberos_status.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

SECURITY_STATUS krb_status_krb5(enum krb_phase ph, krb5_error_code code)
{
    bool logon = ph == KRB_PH_LOGON;
    bool in_msg = ph == KRB_PH_UNSEAL;
    switch (code) {
    case 0:
        return SEC_E_OK;
    case ENOMEM:
        return SEC_E_INSUFFICIENT_MEMORY;
    case KRB5KDC_ERR_PREAUTH_FAILED:
    case KRB5_PREAUTH_FAILED:
    case KRB5KDC_ERR_C_PRINCIPAL_UNKNOWN:
    case KRB5KDC_ERR_CLIENT_REVOKED:
    case KRB5KDC_ERR_NAME_EXP: /* the account has expired */
    case KRB5KDC_ERR_KEY_EXP:  /* the password has expired */
    case KRB5KDC_ERR_POLICY:
    case KRB5KRB_AP_ERR_REPEAT:
    case KRB5KRB_AP_ERR_BADADDR:
    case KRB5_LIBOS_BADPWDMATCH:
        return SEC_E_LOGON_DENIED;
    case KRB5KRB_AP_ERR_BAD_INTEGRITY:
    case KRB5KRB_AP_ERR_MODIFIED:
    case KRB5KRB_AP_ERR_INAPP_CKSUM:
        /* AS-REP undecryptable: the password; a ticket or authenticator: the key */
        return logon ? SEC_E_LOGON_DENIED : in_msg ? SEC_E_MESSAGE_ALTERED : SEC_E_WRONG_PRINCIPAL;
    case KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN:
    case KRB5KDC_ERR_PRINCIPAL_NOT_UNIQUE:
        return SEC_E_TARGET_UNKNOWN;
    case KRB5KRB_AP_ERR_NOT_US:
    case KRB5KRB_AP_WRONG_PRINC:
    case KRB5KRB_AP_ERR_BADKEYVER:
    case KRB5KRB_AP_ERR_NOKEY:
    case KRB5_KT_KVNONOTFOUND:
    case KRB5KRB_AP_ERR_BADMATCH:
        return SEC_E_WRONG_PRINCIPAL;
    case KRB5_KT_NOTFOUND:
        return ph == KRB_PH_ACCEPT ? SEC_E_WRONG_PRINCIPAL : SEC_E_NO_CREDENTIALS;
    case KRB5KRB_AP_ERR_SKEW:
    case KRB5KRB_AP_ERR_TKT_NYV:
    case KRB5_KDCREP_SKEW:
        return SEC_E_TIME_SKEW;
    case KRB5KRB_AP_ERR_TKT_EXPIRED:
        return ph == KRB_PH_ACCEPT ? SEC_E_CONTEXT_EXPIRED : SEC_E_NO_CREDENTIALS;
    case KRB5KRB_AP_ERR_MUT_FAIL:
        return SEC_E_MUTUAL_AUTH_FAILED;
    case KRB5_KDC_UNREACH:
    case KRB5_REALM_UNKNOWN:
    case KRB5_REALM_CANT_RESOLVE:
    case KRB5_CONFIG_NODEFREALM:
    case KRB5_CONFIG_CANTOPEN:
    case KRB5KDC_ERR_SVC_UNAVAILABLE:
        return SEC_E_NO_AUTHENTICATING_AUTHORITY;
    case KRB5_FCC_NOFILE:
    case KRB5_CC_NOTFOUND:
    case KRB5_CC_END:
    case KRB5_KT_END:
    case KRB5KDC_ERR_NEVER_VALID:
    case ENOENT:
        return SEC_E_NO_CREDENTIALS;
    case KRB5KDC_ERR_ETYPE_NOSUPP:
        return SEC_E_KDC_UNKNOWN_ETYPE;
    case KRB5_BAD_ENCTYPE:
    case KRB5_PROG_ETYPE_NOSUPP:
        return SEC_E_ALGORITHM_MISMATCH;
    case KRB5_PARSE_MALFORMED:
        return ph == KRB_PH_INIT ? SEC_E_TARGET_UNKNOWN : SEC_E_UNKNOWN_CREDENTIALS;
    case KRB5_BAD_MSIZE:
        return in_msg ? SEC_E_INVALID_TOKEN : SEC_E_BUFFER_TOO_SMALL;
    case KRB5KRB_AP_ERR_MSG_TYPE:
    case KRB5KRB_AP_ERR_BADVERSION:
    case KRB5KDC_ERR_BADOPTION:
        return ph == KRB_PH_LOGON ? SEC_E_LOGON_DENIED : SEC_E_INVALID_TOKEN;
    default:
        break;
    }
    switch (ph) {
    case KRB_PH_CRED:
        return SEC_E_NO_CREDENTIALS;
    case KRB_PH_SEAL:
        return SEC_E_INTERNAL_ERROR; /* our buffers were checked: a library failure */
    case KRB_PH_UNSEAL:
        return SEC_E_MESSAGE_ALTERED;
    default:
        /* ASN.1 decoding errors of a peer's message */
        if (code >= ASN1_BAD_TIMEFORMAT && code <= ASN1_BAD_GMTIME)
            return SEC_E_INVALID_TOKEN;
        return SEC_E_LOGON_DENIED;
    }
}

SECURITY_STATUS krb_status_gss(enum krb_phase ph, OM_uint32 major, OM_uint32 minor)
{
    switch (GSS_ROUTINE_ERROR(major)) {
    case GSS_S_BAD_NAME:
    case GSS_S_BAD_NAMETYPE:
        return ph == KRB_PH_INIT ? SEC_E_TARGET_UNKNOWN : SEC_E_UNKNOWN_CREDENTIALS;
    case GSS_S_BAD_BINDINGS:
        return SEC_E_BAD_BINDINGS;
    case GSS_S_BAD_SIG:
        return SEC_E_MESSAGE_ALTERED;
    case GSS_S_NO_CRED:
        return SEC_E_NO_CREDENTIALS;
    case GSS_S_NO_CONTEXT:
        return SEC_E_INVALID_HANDLE;
    case GSS_S_DEFECTIVE_TOKEN:
    case GSS_S_BAD_MECH:
        return SEC_E_INVALID_TOKEN;
    case GSS_S_DEFECTIVE_CREDENTIAL:
        return ph == KRB_PH_ACCEPT ? SEC_E_LOGON_DENIED : SEC_E_NO_CREDENTIALS;
    case GSS_S_CREDENTIALS_EXPIRED:
        return ph == KRB_PH_ACCEPT ? SEC_E_CONTEXT_EXPIRED : SEC_E_NO_CREDENTIALS;
    case GSS_S_CONTEXT_EXPIRED:
        return SEC_E_CONTEXT_EXPIRED;
    case GSS_S_BAD_QOP:
        return SEC_E_QOP_NOT_SUPPORTED;
    case GSS_S_UNAVAILABLE:
        return SEC_E_UNSUPPORTED_FUNCTION;
    default:
        break;
    }
    if (GSS_CALLING_ERROR(major))
        return SEC_E_INTERNAL_ERROR;
    return krb_status_krb5(ph, (krb5_error_code)minor);
}

SECURITY_STATUS krb_status_supplementary(OM_uint32 major)
{
    OM_uint32 bad = GSS_S_DUPLICATE_TOKEN | GSS_S_OLD_TOKEN | GSS_S_UNSEQ_TOKEN | GSS_S_GAP_TOKEN;
    return (GSS_SUPPLEMENTARY_INFO(major) & bad) ? SEC_E_OUT_OF_SEQUENCE : SEC_E_OK;
}

bool krb_trace_on(void)
{
    const char *v = getenv("OPENSSPI_TRACE");
    return v && v[0] && strcmp(v, "0") != 0;
}

/* status_text - the first message gss_display_status gives for code, into buf. */
static void status_text(OM_uint32 code, int type, char *buf, size_t size)
{
    OM_uint32 minor, ctx = 0;
    gss_buffer_desc msg = GSS_C_EMPTY_BUFFER;
    buf[0] = 0;
    if (GSS_ERROR(gss_display_status(&minor, code, type, type == GSS_C_MECH_CODE ? gss_mech_krb5 : GSS_C_NO_OID,
                                     &ctx, &msg)))
        return;
    snprintf(buf, size, "%.*s", (int)msg.length, (const char *)msg.value);
    gss_release_buffer(&minor, &msg);
}

void krb_trace_gss(const char *what, OM_uint32 major, OM_uint32 minor, SECURITY_STATUS st)
{
    if (!krb_trace_on())
        return;
    char maj[256], min[512];
    status_text(major, GSS_C_GSS_CODE, maj, sizeof(maj));
    min[0] = 0;
    if (minor)
        status_text(minor, GSS_C_MECH_CODE, min, sizeof(min));
    fprintf(stderr, "opensspi: Kerberos: %s: %s%s%s -> 0x%08x\n", what, maj, min[0] ? ": " : "", min,
            (unsigned)st);
}

void krb_trace_krb5(krb5_context kctx, const char *what, krb5_error_code code, SECURITY_STATUS st)
{
    if (!krb_trace_on())
        return;
    const char *msg = kctx ? krb5_get_error_message(kctx, code) : NULL;
    fprintf(stderr, "opensspi: Kerberos: %s: %s -> 0x%08x\n", what, msg ? msg : error_message(code),
            (unsigned)st);
    if (msg)
        krb5_free_error_message(kctx, msg);
}
