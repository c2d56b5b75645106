/* src/kerberos/kerberos_status.h - GSS-API / krb5 errors to SSPI statuses, and
 * the OPENSSPI_TRACE diagnostics that name the library's own message. */
#ifndef OPENSSPI_KERBEROS_STATUS_H
#define OPENSSPI_KERBEROS_STATUS_H

#define SECURITY_WIN32
#include <sspi.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_krb5.h>
#include <krb5/krb5.h>
#include <stdbool.h>

/* Where an error happened: the same krb5 code means different things while
 * logging on (a bad password), initiating (a bad target) or accepting. */
enum krb_phase {
    KRB_PH_CRED,   /* acquiring credentials (keytab, ccache) */
    KRB_PH_LOGON,  /* AS exchange for a password credential */
    KRB_PH_INIT,   /* InitializeSecurityContext (TGS exchange, AP-REP, KRB-ERROR) */
    KRB_PH_ACCEPT, /* AcceptSecurityContext */
    KRB_PH_SEAL,   /* MakeSignature / EncryptMessage */
    KRB_PH_UNSEAL, /* VerifySignature / DecryptMessage */
};

/* krb_status_krb5 - the SSPI status for a krb5 error code in a phase. */
SECURITY_STATUS krb_status_krb5(enum krb_phase ph, krb5_error_code code);

/* krb_status_gss - the SSPI status for a failed GSS call (GSS_ERROR(major)):
 * the routine error first, the krb5 minor code for GSS_S_FAILURE. */
SECURITY_STATUS krb_status_gss(enum krb_phase ph, OM_uint32 major, OM_uint32 minor);

/* krb_status_supplementary - SEC_E_OUT_OF_SEQUENCE when a successful unwrap or
 * MIC check reported a duplicate, old, early or gap token, else SEC_E_OK. */
SECURITY_STATUS krb_status_supplementary(OM_uint32 major);

/* krb_trace_on - OPENSSPI_TRACE is set to something other than "" or "0". */
bool krb_trace_on(void);

/* krb_trace_gss - with tracing on, one line on stderr: what failed, the GSS and
 * mechanism messages and the SSPI status chosen. Messages never hold secrets. */
void krb_trace_gss(const char *what, OM_uint32 major, OM_uint32 minor, SECURITY_STATUS st);

/* krb_trace_krb5 - the same for a libkrb5 call (kctx may be NULL). */
void krb_trace_krb5(krb5_context kctx, const char *what, krb5_error_code code, SECURITY_STATUS st);

#endif
