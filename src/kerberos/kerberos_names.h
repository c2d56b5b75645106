/* src/kerberos/kerberos_names.h - Windows-style user and target names to
 * Kerberos principal names (text form, RFC 1964 2.1.1 / krb5_parse_name syntax).
 * Pure string work: no krb5 context, no DNS. */
#ifndef OPENSSPI_KERBEROS_NAMES_H
#define OPENSSPI_KERBEROS_NAMES_H

#include <stdbool.h>
#include <stddef.h>

#define KRB_MAX_NAME 1024 /* bytes of any name we accept */

/* krb_client_principal - the principal for an SSPI identity (user, domain):
 *   "alice",             NULL       -> "alice"              (default realm)
 *   "alice",             "example"  -> "alice@EXAMPLE"
 *   "EXAMPLE\\alice",    NULL       -> "alice@EXAMPLE"
 *   "alice@example.com", any        -> "alice@EXAMPLE.COM"  (a UPN; domain ignored)
 * The realm (DOMAIN, or a UPN suffix) is upper-cased as Active Directory realms
 * are. Returns a malloc'd string, or NULL for an empty or oversized user, a
 * user with both '\\' and '@', or no memory. */
char *krb_client_principal(const char *user, const char *domain);

/* krb_target_principal - the principal for an InitializeSecurityContext target:
 *   "HTTP/host.example.com"        -> "HTTP/host.example.com@"  (referral realm)
 *   "HTTP/host.example.com@REALM"  -> unchanged
 *   "host/host"                    -> "host/host@"
 *   "HTTP@host.example.com"        -> "HTTP/host.example.com@"  (GSS host-based form)
 *   "alice@EXAMPLE.COM", "alice"   -> unchanged (a user or account principal)
 * A name without '/' whose part after '@' has a lower-case letter is the
 * host-based "service@host" form; otherwise the text after '@' is a realm.
 * The empty realm ("...@") lets the library find the realm (the client's realm
 * first, with KDC referrals, then the [domain_realm] mapping) without DNS
 * canonicalization. Returns a malloc'd string, NULL on an empty, oversized or
 * malformed name (empty service or host) or no memory. */
char *krb_target_principal(const char *target);

/* krb_principal_realm - a view of the realm part of a principal text (after the
 * last unescaped '@'), or an empty string when there is none. */
const char *krb_principal_realm(const char *principal);

#endif
