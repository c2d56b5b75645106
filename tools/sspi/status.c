/* tools/sspi/status.c - names for SECURITY_STATUS codes and SSPI flag words
 * The tables hold the values of the Windows SDK (winerror.h, sspi.h) as
 * numbers, so the tool can name a code even if a header lacks the macro. */
#include "sspi_tool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct status_name {
    uint32_t value;
    const char *name;
};

/* Every SEC_E_* / SEC_I_* code of winerror.h; aliases (SEC_E_NO_SPM,
 * SEC_E_NOT_SUPPORTED) are left out so each value has one name. */
static const struct status_name status_names[] = {
    {0x00000000, "SEC_E_OK"},
    {0x80090300, "SEC_E_INSUFFICIENT_MEMORY"},
    {0x80090301, "SEC_E_INVALID_HANDLE"},
    {0x80090302, "SEC_E_UNSUPPORTED_FUNCTION"},
    {0x80090303, "SEC_E_TARGET_UNKNOWN"},
    {0x80090304, "SEC_E_INTERNAL_ERROR"},
    {0x80090305, "SEC_E_SECPKG_NOT_FOUND"},
    {0x80090306, "SEC_E_NOT_OWNER"},
    {0x80090307, "SEC_E_CANNOT_INSTALL"},
    {0x80090308, "SEC_E_INVALID_TOKEN"},
    {0x80090309, "SEC_E_CANNOT_PACK"},
    {0x8009030A, "SEC_E_QOP_NOT_SUPPORTED"},
    {0x8009030B, "SEC_E_NO_IMPERSONATION"},
    {0x8009030C, "SEC_E_LOGON_DENIED"},
    {0x8009030D, "SEC_E_UNKNOWN_CREDENTIALS"},
    {0x8009030E, "SEC_E_NO_CREDENTIALS"},
    {0x8009030F, "SEC_E_MESSAGE_ALTERED"},
    {0x80090310, "SEC_E_OUT_OF_SEQUENCE"},
    {0x80090311, "SEC_E_NO_AUTHENTICATING_AUTHORITY"},
    {0x00090312, "SEC_I_CONTINUE_NEEDED"},
    {0x00090313, "SEC_I_COMPLETE_NEEDED"},
    {0x00090314, "SEC_I_COMPLETE_AND_CONTINUE"},
    {0x00090315, "SEC_I_LOCAL_LOGON"},
    {0x00090316, "SEC_I_GENERIC_EXTENSION_RECEIVED"},
    {0x80090316, "SEC_E_BAD_PKGID"},
    {0x80090317, "SEC_E_CONTEXT_EXPIRED"},
    {0x00090317, "SEC_I_CONTEXT_EXPIRED"},
    {0x80090318, "SEC_E_INCOMPLETE_MESSAGE"},
    {0x80090320, "SEC_E_INCOMPLETE_CREDENTIALS"},
    {0x80090321, "SEC_E_BUFFER_TOO_SMALL"},
    {0x00090320, "SEC_I_INCOMPLETE_CREDENTIALS"},
    {0x00090321, "SEC_I_RENEGOTIATE"},
    {0x80090322, "SEC_E_WRONG_PRINCIPAL"},
    {0x00090323, "SEC_I_NO_LSA_CONTEXT"},
    {0x80090324, "SEC_E_TIME_SKEW"},
    {0x80090325, "SEC_E_UNTRUSTED_ROOT"},
    {0x80090326, "SEC_E_ILLEGAL_MESSAGE"},
    {0x80090327, "SEC_E_CERT_UNKNOWN"},
    {0x80090328, "SEC_E_CERT_EXPIRED"},
    {0x80090329, "SEC_E_ENCRYPT_FAILURE"},
    {0x80090330, "SEC_E_DECRYPT_FAILURE"},
    {0x80090331, "SEC_E_ALGORITHM_MISMATCH"},
    {0x80090332, "SEC_E_SECURITY_QOS_FAILED"},
    {0x80090333, "SEC_E_UNFINISHED_CONTEXT_DELETED"},
    {0x80090334, "SEC_E_NO_TGT_REPLY"},
    {0x80090335, "SEC_E_NO_IP_ADDRESSES"},
    {0x80090336, "SEC_E_WRONG_CREDENTIAL_HANDLE"},
    {0x80090337, "SEC_E_CRYPTO_SYSTEM_INVALID"},
    {0x80090338, "SEC_E_MAX_REFERRALS_EXCEEDED"},
    {0x80090339, "SEC_E_MUST_BE_KDC"},
    {0x8009033A, "SEC_E_STRONG_CRYPTO_NOT_SUPPORTED"},
    {0x8009033B, "SEC_E_TOO_MANY_PRINCIPALS"},
    {0x8009033C, "SEC_E_NO_PA_DATA"},
    {0x8009033D, "SEC_E_PKINIT_NAME_MISMATCH"},
    {0x8009033E, "SEC_E_SMARTCARD_LOGON_REQUIRED"},
    {0x8009033F, "SEC_E_SHUTDOWN_IN_PROGRESS"},
    {0x80090340, "SEC_E_KDC_INVALID_REQUEST"},
    {0x80090341, "SEC_E_KDC_UNABLE_TO_REFER"},
    {0x80090342, "SEC_E_KDC_UNKNOWN_ETYPE"},
    {0x80090343, "SEC_E_UNSUPPORTED_PREAUTH"},
    {0x80090345, "SEC_E_DELEGATION_REQUIRED"},
    {0x80090346, "SEC_E_BAD_BINDINGS"},
    {0x80090347, "SEC_E_MULTIPLE_ACCOUNTS"},
    {0x80090348, "SEC_E_NO_KERB_KEY"},
    {0x80090349, "SEC_E_CERT_WRONG_USAGE"},
    {0x80090350, "SEC_E_DOWNGRADE_DETECTED"},
    {0x80090351, "SEC_E_SMARTCARD_CERT_REVOKED"},
    {0x80090352, "SEC_E_ISSUING_CA_UNTRUSTED"},
    {0x80090353, "SEC_E_REVOCATION_OFFLINE_C"},
    {0x80090354, "SEC_E_PKINIT_CLIENT_FAILURE"},
    {0x80090355, "SEC_E_SMARTCARD_CERT_EXPIRED"},
    {0x80090356, "SEC_E_NO_S4U_PROT_SUPPORT"},
    {0x80090357, "SEC_E_CROSSREALM_DELEGATION_FAILURE"},
    {0x80090358, "SEC_E_REVOCATION_OFFLINE_KDC"},
    {0x80090359, "SEC_E_ISSUING_CA_UNTRUSTED_KDC"},
    {0x8009035A, "SEC_E_KDC_CERT_EXPIRED"},
    {0x8009035B, "SEC_E_KDC_CERT_REVOKED"},
    {0x0009035C, "SEC_I_SIGNATURE_NEEDED"},
    {0x8009035D, "SEC_E_INVALID_PARAMETER"},
    {0x8009035E, "SEC_E_DELEGATION_POLICY"},
    {0x8009035F, "SEC_E_POLICY_NLTM_ONLY"},
    {0x00090360, "SEC_I_NO_RENEGOTIATION"},
    {0x80090361, "SEC_E_NO_CONTEXT"},
    {0x80090362, "SEC_E_PKU2U_CERT_FAILURE"},
    {0x80090363, "SEC_E_MUTUAL_AUTH_FAILED"},
    {0x00090364, "SEC_I_MESSAGE_FRAGMENT"},
    {0x80090365, "SEC_E_ONLY_HTTPS_ALLOWED"},
    {0x00090366, "SEC_I_CONTINUE_NEEDED_MESSAGE_OK"},
    {0x80090367, "SEC_E_APPLICATION_PROTOCOL_MISMATCH"},
    {0x00090368, "SEC_I_ASYNC_CALL_PENDING"},
    {0x80090369, "SEC_E_INVALID_UPN_NAME"},
    {0x8009036A, "SEC_E_EXT_BUFFER_TOO_SMALL"},
    {0x8009036B, "SEC_E_INSUFFICIENT_BUFFERS"},
};

const char *status_name(SECURITY_STATUS st)
{
    uint32_t v = (uint32_t)st;
    size_t i;

    for (i = 0; i < sizeof(status_names) / sizeof(status_names[0]); i++)
        if (status_names[i].value == v)
            return status_names[i].name;
    return NULL;
}

const char *status_str(SECURITY_STATUS st, char *buf, size_t cap)
{
    const char *name = status_name(st);

    if (name != NULL)
        snprintf(buf, cap, "%s (0x%08" PRIX32 ")", name, (uint32_t)st);
    else
        snprintf(buf, cap, "unknown status 0x%08" PRIX32, (uint32_t)st);
    return buf;
}

bool status_parse(const char *text, SECURITY_STATUS *st)
{
    size_t i;

    for (i = 0; i < sizeof(status_names) / sizeof(status_names[0]); i++)
        if (strcmp(status_names[i].name, text) == 0) {
            *st = (SECURITY_STATUS)status_names[i].value;
            return true;
        }
    return false;
}

const struct flag_name secpkg_flag_names[] = {
    {0x00000001, "INTEGRITY"},
    {0x00000002, "PRIVACY"},
    {0x00000004, "TOKEN_ONLY"},
    {0x00000008, "DATAGRAM"},
    {0x00000010, "CONNECTION"},
    {0x00000020, "MULTI_REQUIRED"},
    {0x00000040, "CLIENT_ONLY"},
    {0x00000080, "EXTENDED_ERROR"},
    {0x00000100, "IMPERSONATION"},
    {0x00000200, "ACCEPT_WIN32_NAME"},
    {0x00000400, "STREAM"},
    {0x00000800, "NEGOTIABLE"},
    {0x00001000, "GSS_COMPATIBLE"},
    {0x00002000, "LOGON"},
    {0x00004000, "ASCII_BUFFERS"},
    {0x00008000, "FRAGMENT"},
    {0x00010000, "MUTUAL_AUTH"},
    {0x00020000, "DELEGATION"},
    {0x00040000, "READONLY_WITH_CHECKSUM"},
    {0x00080000, "RESTRICTED_TOKENS"},
    {0x00100000, "NEGO_EXTENDER"},
    {0x00200000, "NEGOTIABLE2"},
    {0x00400000, "APPCONTAINER_PASSTHROUGH"},
    {0x00800000, "APPCONTAINER_CHECKS"},
    {0x01000000, "CREDENTIAL_ISOLATION_ENABLED"},
    {0x02000000, "APPLY_LOOPBACK"},
    {0, NULL},
};

const struct flag_name isc_ret_flag_names[] = {
    {0x00000001, "DELEGATE"},
    {0x00000002, "MUTUAL_AUTH"},
    {0x00000004, "REPLAY_DETECT"},
    {0x00000008, "SEQUENCE_DETECT"},
    {0x00000010, "CONFIDENTIALITY"},
    {0x00000020, "USE_SESSION_KEY"},
    {0x00000040, "USED_COLLECTED_CREDS"},
    {0x00000080, "USED_SUPPLIED_CREDS"},
    {0x00000100, "ALLOCATED_MEMORY"},
    {0x00000200, "USED_DCE_STYLE"},
    {0x00000400, "DATAGRAM"},
    {0x00000800, "CONNECTION"},
    {0x00001000, "INTERMEDIATE_RETURN"},
    {0x00002000, "CALL_LEVEL"},
    {0x00004000, "EXTENDED_ERROR"},
    {0x00008000, "STREAM"},
    {0x00010000, "INTEGRITY"},
    {0x00020000, "IDENTIFY"},
    {0x00040000, "NULL_SESSION"},
    {0x00080000, "MANUAL_CRED_VALIDATION"},
    {0x00100000, "RESERVED1"},
    {0x00200000, "FRAGMENT_ONLY"},
    {0x00400000, "FORWARD_CREDENTIALS"},
    {0x01000000, "USED_HTTP_STYLE"},
    {0x02000000, "NO_ADDITIONAL_TOKEN"},
    {0x08000000, "REAUTHENTICATION"},
    {0x40000000, "CONFIDENTIALITY_ONLY"},
    {0, NULL},
};

const struct flag_name asc_ret_flag_names[] = {
    {0x00000001, "DELEGATE"},
    {0x00000002, "MUTUAL_AUTH"},
    {0x00000004, "REPLAY_DETECT"},
    {0x00000008, "SEQUENCE_DETECT"},
    {0x00000010, "CONFIDENTIALITY"},
    {0x00000020, "USE_SESSION_KEY"},
    {0x00000040, "SESSION_TICKET"},
    {0x00000100, "ALLOCATED_MEMORY"},
    {0x00000200, "USED_DCE_STYLE"},
    {0x00000400, "DATAGRAM"},
    {0x00000800, "CONNECTION"},
    {0x00002000, "CALL_LEVEL"},
    {0x00004000, "THIRD_LEG_FAILED"},
    {0x00008000, "EXTENDED_ERROR"},
    {0x00010000, "STREAM"},
    {0x00020000, "INTEGRITY"},
    {0x00040000, "LICENSING"},
    {0x00080000, "IDENTIFY"},
    {0x00100000, "NULL_SESSION"},
    {0x00200000, "ALLOW_NON_USER_LOGONS"},
    {0x00400000, "ALLOW_CONTEXT_REPLAY"},
    {0x00800000, "FRAGMENT_ONLY"},
    {0x01000000, "NO_TOKEN"},
    {0x02000000, "NO_ADDITIONAL_TOKEN"},
    {0, NULL},
};

const struct flag_name isc_req_flag_names[] = {
    {0x00000001, "DELEGATE"},
    {0x00000002, "MUTUAL_AUTH"},
    {0x00000004, "REPLAY_DETECT"},
    {0x00000008, "SEQUENCE_DETECT"},
    {0x00000010, "CONFIDENTIALITY"},
    {0x00000020, "USE_SESSION_KEY"},
    {0x00000040, "PROMPT_FOR_CREDS"},
    {0x00000080, "USE_SUPPLIED_CREDS"},
    {0x00000100, "ALLOCATE_MEMORY"},
    {0x00000200, "USE_DCE_STYLE"},
    {0x00000400, "DATAGRAM"},
    {0x00000800, "CONNECTION"},
    {0x00001000, "CALL_LEVEL"},
    {0x00002000, "FRAGMENT_SUPPLIED"},
    {0x00004000, "EXTENDED_ERROR"},
    {0x00008000, "STREAM"},
    {0x00010000, "INTEGRITY"},
    {0x00020000, "IDENTIFY"},
    {0x00040000, "NULL_SESSION"},
    {0x00080000, "MANUAL_CRED_VALIDATION"},
    {0x00100000, "RESERVED1"},
    {0x00200000, "FRAGMENT_TO_FIT"},
    {0x00400000, "FORWARD_CREDENTIALS"},
    {0x00800000, "NO_INTEGRITY"},
    {0x01000000, "USE_HTTP_STYLE"},
    {0x20000000, "UNVERIFIED_TARGET_NAME"},
    {0x40000000, "CONFIDENTIALITY_ONLY"},
    {0, NULL},
};

const struct flag_name asc_req_flag_names[] = {
    {0x00000001, "DELEGATE"},
    {0x00000002, "MUTUAL_AUTH"},
    {0x00000004, "REPLAY_DETECT"},
    {0x00000008, "SEQUENCE_DETECT"},
    {0x00000010, "CONFIDENTIALITY"},
    {0x00000020, "USE_SESSION_KEY"},
    {0x00000040, "SESSION_TICKET"},
    {0x00000100, "ALLOCATE_MEMORY"},
    {0x00000200, "USE_DCE_STYLE"},
    {0x00000400, "DATAGRAM"},
    {0x00000800, "CONNECTION"},
    {0x00001000, "CALL_LEVEL"},
    {0x00002000, "FRAGMENT_SUPPLIED"},
    {0x00008000, "EXTENDED_ERROR"},
    {0x00010000, "STREAM"},
    {0x00020000, "INTEGRITY"},
    {0x00040000, "LICENSING"},
    {0x00080000, "IDENTIFY"},
    {0x00100000, "ALLOW_NULL_SESSION"},
    {0x00200000, "ALLOW_NON_USER_LOGONS"},
    {0x00400000, "ALLOW_CONTEXT_REPLAY"},
    {0x00800000, "FRAGMENT_TO_FIT"},
    {0x01000000, "NO_TOKEN"},
    {0x04000000, "PROXY_BINDINGS"},
    {0x10000000, "ALLOW_MISSING_BINDINGS"},
    {0, NULL},
};

const char *flags_str(uint32_t v, const struct flag_name *tab, const char *prefix, char *buf,
                      size_t cap)
{
    size_t used = 0;
    uint32_t rest = v;
    const struct flag_name *f;

    if (cap == 0)
        return buf;
    buf[0] = '\0';
    for (f = tab; f->name != NULL; f++) {
        if ((v & f->bit) == 0)
            continue;
        rest &= ~f->bit;
        int n = snprintf(buf + used, cap - used, "%s%s%s", used ? " | " : "", prefix, f->name);
        if (n < 0 || (size_t)n >= cap - used)
            return buf; /* truncated; still NUL-terminated */
        used += (size_t)n;
    }
    if (rest != 0 || v == 0)
        snprintf(buf + used, cap - used, "%s0x%08" PRIX32, used ? " | " : "", rest);
    return buf;
}

static void status_usage(FILE *f)
{
    fprintf(f, "usage: " TOOL_NAME " status CODE|NAME...\n\n"
               "Names a SECURITY_STATUS value (0x8009030C, or a negative decimal\n"
               "such as -2146893044) or gives the value of a name (SEC_E_LOGON_DENIED).\n"
               "--all lists every SEC_E_ / SEC_I_ code the tool knows.\n");
}

int cmd_status(int argc, char **argv)
{
    int a, rc = 0;
    size_t i;

    if (argc < 2) {
        status_usage(stderr);
        return 2;
    }
    for (a = 1; a < argc; a++) {
        SECURITY_STATUS st;
        char *end;
        long long v;

        if (is_help(argv[a])) {
            status_usage(stdout);
            return 0;
        }
        if (strcmp(argv[a], "--all") == 0) {
            for (i = 0; i < sizeof(status_names) / sizeof(status_names[0]); i++)
                printf("0x%08" PRIX32 "  %s\n", status_names[i].value, status_names[i].name);
            continue;
        }
        if (status_parse(argv[a], &st)) {
            printf("%s = 0x%08" PRIX32 " (%" PRId32 ")\n", argv[a], (uint32_t)st, (int32_t)st);
            continue;
        }
        v = strtoll(argv[a], &end, 0);
        if (*end != '\0' || end == argv[a] || v < INT32_MIN || v > (long long)UINT32_MAX) {
            fprintf(stderr, TOOL_NAME " status: '%s' is neither a known name nor a number\n",
                    argv[a]);
            rc = 1;
            continue;
        }
        st = (SECURITY_STATUS)(uint32_t)v;
        if (status_name(st) == NULL)
            rc = 1;
        printf("%s\n", STATUS(st));
    }
    return rc;
}
