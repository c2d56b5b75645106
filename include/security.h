/* include/security.h - umbrella header for SSPI, Windows-compatible
 * Implements the Windows SDK's security.h: the caller states which interface it
 * wants (SECURITY_WIN32, SECURITY_KERNEL or SECURITY_MAC; portable user-mode code
 * defines SECURITY_WIN32), and gets the package name constants and <sspi.h>.
 * As on Windows, including it with none of the three defined is an error. */
#ifndef OPENSSPI_SECURITY_H
#define OPENSSPI_SECURITY_H

#if !defined(SECURITY_WIN32) && !defined(SECURITY_KERNEL) && !defined(SECURITY_MAC)
#error "Define one of SECURITY_WIN32, SECURITY_KERNEL or SECURITY_MAC before including <security.h>"
#endif

#include "sspi.h"

/* Package names. The narrow forms are plain strings. The wide forms are UTF-16
 * literals (SEC_WCHAR); they need C11 or C++11 u"" literals and are omitted
 * otherwise. As on Windows, NTLMSP_NAME and MICROSOFT_KERBEROS_NAME are always
 * wide, NEGOSSP_NAME follows UNICODE. */
#ifndef NTLMSP_NAME_A
#define NTLMSP_NAME_A "NTLM"
#ifdef OPENSSPI_WSTR
#define NTLMSP_NAME OPENSSPI_WSTR("NTLM")
#endif
#endif

#ifndef MICROSOFT_KERBEROS_NAME_A
#define MICROSOFT_KERBEROS_NAME_A "Kerberos"
#ifdef OPENSSPI_WSTR
#define MICROSOFT_KERBEROS_NAME_W OPENSSPI_WSTR("Kerberos")
#define MICROSOFT_KERBEROS_NAME MICROSOFT_KERBEROS_NAME_W
#endif
#endif

#ifndef NEGOSSP_NAME_A
#define NEGOSSP_NAME_A "Negotiate"
#ifdef OPENSSPI_WSTR
#define NEGOSSP_NAME_W OPENSSPI_WSTR("Negotiate")
#endif
#ifdef UNICODE
#ifdef NEGOSSP_NAME_W
#define NEGOSSP_NAME NEGOSSP_NAME_W
#endif
#else
#define NEGOSSP_NAME NEGOSSP_NAME_A
#endif
#endif

#endif /* OPENSSPI_SECURITY_H */
