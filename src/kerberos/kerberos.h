/* src/kerberos/kerberos.h - what other packages (Negotiate) may use of the
 * Kerberos package besides its table.
 *
 * Everything goes through `kerberos_package` (struct sspi_package): a caller
 * acquires credentials, steps contexts and protects messages exactly as the core
 * does. The context tokens are RFC 4121 tokens with the RFC 2743 framing
 * (0x60 ... OID 1.2.840.113554.1.2.2 ...), i.e. what SPNEGO carries as its
 * mechToken / responseToken unchanged; USE_DCE_STYLE AP-REPs are unframed, as
 * on Windows. A mechListMIC is make_sig/verify_sig over the DER mechTypes.
 *
 * Credentials (acquire_cred), see also src/kerberos/README.md:
 *   OUTBOUND, identity with a password  a TGT for user@REALM obtained at the
 *                                       first init_ctx, kept in a private
 *                                       MEMORY ccache (the user's default ccache
 *                                       is never read or written)
 *   OUTBOUND, identity without password that principal's TGT from the ccache
 *                                       collection
 *   OUTBOUND, pszPrincipal "ccache:NAME" a private copy of ccache NAME
 *   OUTBOUND, pszPrincipal "keytab:PATH" the keytab's first principal, logged
 *                                       on with its key into a private ccache
 *   OUTBOUND, nothing                   the default ccache (KRB5CCNAME)
 *   INBOUND,  pszPrincipal "keytab:PATH" keys from that keytab
 *   INBOUND,  pszPrincipal "SPN"         only that principal of the default keytab
 *   INBOUND,  nothing                   the default keytab (KRB5_KTNAME)
 * An identity whose user, domain and password are all empty (anonymous) is
 * SEC_E_NO_CREDENTIALS: Kerberos has no NTLM-style null session. */
#ifndef OPENSSPI_KERBEROS_H
#define OPENSSPI_KERBEROS_H

#include "core/package.h"

#define KERBEROS_PACKAGE_NAME "Kerberos"
/* cbMaxToken, as Windows Server 2012 and later (MaxTokenSize default) */
#define KERBEROS_MAX_TOKEN 48000

extern const struct sspi_package kerberos_package;

/* DER contents (no tag, no length) of the Kerberos mechanism OIDs SPNEGO lists:
 * 1.2.840.113554.1.2.2 (RFC 4121) and 1.2.840.48018.1.2.2 (the one Windows
 * lists first). Both name this package. */
extern const unsigned char kerberos_oid_krb5[9];
extern const unsigned char kerberos_oid_ms_krb5[9];

/* KERBEROS_ATTR_DELEGATED_CCACHE - QueryContextAttributes on a server context
 * whose client delegated (ISC_REQ_DELEGATE): pBuffer is a (char **) receiving a
 * malloc'd credential cache name ("MEMORY:..."), freed with FreeContextBuffer,
 * that holds the client's forwarded TGT. AcquireCredentialsHandle(
 * "ccache:" + name, "Kerberos", SECPKG_CRED_OUTBOUND, NULL, NULL, ...) then acts
 * as the client towards further services. The cache lives until the server
 * context is deleted; the credential made from it keeps its own copy.
 * SEC_E_NO_CREDENTIALS when nothing was delegated, SEC_E_INVALID_HANDLE before
 * the context is complete. (A value outside the SECPKG_ATTR_* ranges.) */
#define KERBEROS_ATTR_DELEGATED_CCACHE 0x4F530001u

#endif
