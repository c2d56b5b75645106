/* include/sspi_wintypes.h - the subset of Windows base types the SSPI headers use
 * Implements the Windows data types (windef.h / winnt.h / basetsd.h names) with
 * their Windows widths on LP64 Unix: ULONG, LONG and DWORD are 32-bit,
 * ULONG_PTR is pointer-sized, WCHAR is a UTF-16 code unit (not wchar_t).
 * If a Windows-compatible windef.h/winnt.h was included first (_WINDEF_ or
 * _WINNT_ defined), its definitions are used and ours are skipped. */
#ifndef OPENSSPI_SSPI_WINTYPES_H
#define OPENSSPI_SSPI_WINTYPES_H

#include <stddef.h>
#include <stdint.h>

#if !defined(_WINDEF_) && !defined(_WINNT_) && !defined(OPENSSPI_WINTYPES_DEFINED)
#define OPENSSPI_WINTYPES_DEFINED 1

#ifndef VOID
#define VOID void
#endif
#ifndef CONST
#define CONST const
#endif

typedef char CHAR;
typedef unsigned char UCHAR;
typedef unsigned char BYTE;
typedef int16_t SHORT;
typedef uint16_t USHORT;
typedef uint16_t WORD;
typedef uint16_t WCHAR;      /* UTF-16 code unit, as on Windows */
typedef int32_t INT;
typedef uint32_t UINT;
typedef int32_t LONG;        /* 32-bit, as on Windows */
typedef uint32_t ULONG;
typedef uint32_t DWORD;
typedef int32_t BOOL;
typedef unsigned char BOOLEAN;
typedef int64_t LONGLONG;
typedef uint64_t ULONGLONG;
typedef uint64_t ULONG64;
typedef uint64_t DWORD64;
typedef intptr_t INT_PTR;
typedef uintptr_t UINT_PTR;
typedef intptr_t LONG_PTR;
typedef uintptr_t ULONG_PTR;
typedef uintptr_t DWORD_PTR;
typedef uintptr_t SIZE_T;
typedef int32_t HRESULT;

typedef void *PVOID;
typedef void *LPVOID;
typedef const void *LPCVOID;
typedef void *HANDLE;
typedef HANDLE *PHANDLE;
typedef void *HMODULE;

typedef CHAR *PCHAR;
typedef UCHAR *PUCHAR;
typedef BYTE *PBYTE;
typedef BYTE *LPBYTE;
typedef USHORT *PUSHORT;
typedef WORD *PWORD;
typedef LONG *PLONG;
typedef ULONG *PULONG;
typedef DWORD *PDWORD;
typedef DWORD *LPDWORD;
typedef BOOL *PBOOL;
typedef BOOLEAN *PBOOLEAN;
typedef LONGLONG *PLONGLONG;
typedef ULONGLONG *PULONGLONG;
typedef ULONG_PTR *PULONG_PTR;
typedef SIZE_T *PSIZE_T;

typedef CHAR *PSTR;
typedef CHAR *LPSTR;
typedef const CHAR *PCSTR;
typedef const CHAR *LPCSTR;
typedef WCHAR *PWSTR;
typedef WCHAR *LPWSTR;
typedef WCHAR *PWCHAR;
typedef const WCHAR *PCWSTR;
typedef const WCHAR *LPCWSTR;

/* winnt.h LARGE_INTEGER: same size and 8-byte alignment as on Windows; both the
 * LowPart/HighPart and the QuadPart views exist. */
typedef union _LARGE_INTEGER {
    struct {
        ULONG LowPart;
        LONG HighPart;
    };
    struct {
        ULONG LowPart;
        LONG HighPart;
    } u;
    LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;

typedef union _ULARGE_INTEGER {
    struct {
        ULONG LowPart;
        ULONG HighPart;
    };
    struct {
        ULONG LowPart;
        ULONG HighPart;
    } u;
    ULONGLONG QuadPart;
} ULARGE_INTEGER, *PULARGE_INTEGER;

typedef struct _LUID {
    ULONG LowPart;
    LONG HighPart;
} LUID, *PLUID;

#ifndef _FILETIME_
#define _FILETIME_
typedef struct _FILETIME {
    DWORD dwLowDateTime;
    DWORD dwHighDateTime;
} FILETIME, *PFILETIME, *LPFILETIME;
#endif

#ifndef GUID_DEFINED
#define GUID_DEFINED
typedef struct _GUID {
    ULONG Data1;
    USHORT Data2;
    USHORT Data3;
    UCHAR Data4[8];
} GUID;
#endif

#endif /* base types */

#ifndef ANYSIZE_ARRAY
#define ANYSIZE_ARRAY 1
#endif
#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif
#ifndef WINAPI
#define WINAPI
#endif
#ifndef APIENTRY
#define APIENTRY
#endif
/* UTF-16 string literal usable as WCHAR: in C11, u"" literals are arrays of
 * char16_t, which is uint_least16_t, the type of WCHAR here; in C++ char16_t is a
 * distinct type, so the literal is cast. Not available before C11. */
#if defined(__cplusplus)
#define OPENSSPI_WSTR(s) ((const WCHAR *)(u"" s))
#elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#define OPENSSPI_WSTR(s) (u"" s)
#endif

/* TEXT("x"): wide with UNICODE defined, narrow otherwise (winnt.h) */
#ifndef TEXT
#ifdef UNICODE
#ifdef OPENSSPI_WSTR
#define __TEXT(quote) OPENSSPI_WSTR(quote)
#define TEXT(quote) __TEXT(quote)
#endif
#else
#define __TEXT(quote) quote
#define TEXT(quote) __TEXT(quote)
#endif
#endif

#ifndef SUCCEEDED
#define SUCCEEDED(hr) (((HRESULT)(hr)) >= 0)
#endif
#ifndef FAILED
#define FAILED(hr) (((HRESULT)(hr)) < 0)
#endif

#endif /* OPENSSPI_SSPI_WINTYPES_H */
