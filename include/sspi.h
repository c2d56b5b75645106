/* include/sspi.h - Security Support Provider Interface (SSPI), Windows-compatible
 * Implements the public contract of the Windows SDK's sspi.h: types, structs
 * (same layouts), constants (same values), status codes (winerror.h SEC_E_* and
 * SEC_I_*), the SecurityFunctionTableA/W dispatch tables and the prototypes of
 * the functions libopensspi exports under their Windows names, A and W.
 *
 * Differences from Windows, all layout-neutral:
 *  - SEC_ENTRY/WINAPI are empty (there is one calling convention).
 *  - Only the user-mode (ISSP_MODE 1) prototypes exist; SECURITY_KERNEL is
 *    accepted but does not switch string arguments to SECURITY_STRING.
 *  - This header can be included alone: without SECURITY_WIN32/KERNEL/MAC it
 *    behaves as if SECURITY_WIN32 were defined. <security.h> keeps Windows'
 *    rule and refuses to compile when none of them is defined.
 *  - SECURITY_MAC is accepted, but TimeStamp stays the 8-byte SECURITY_INTEGER.
 *  - Wide strings (SEC_WCHAR) are UTF-16 code units (uint16_t), never wchar_t;
 *    wide literals (TEXT, SEC_TEXT, NTLMSP_NAME...) are C11 u"" literals.
 * tests/contract checks every name here against MinGW-w64's Windows SDK headers.
 */
#ifndef OPENSSPI_SSPI_H
#define OPENSSPI_SSPI_H

#include "sspi_wintypes.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Mode ------------------------------------------------------------------ */

#ifndef ISSP_LEVEL
#define ISSP_LEVEL 32
#endif
#ifndef ISSP_MODE
#ifdef SECURITY_KERNEL
#define ISSP_MODE 0
#else
#define ISSP_MODE 1
#endif
#endif

/* Marks the functions exported by libopensspi (built with -fvisibility=hidden). */
#ifndef SSPI_API
#if defined(__GNUC__) || defined(__clang__)
#define SSPI_API __attribute__((visibility("default")))
#else
#define SSPI_API
#endif
#endif

#define SEC_ENTRY
#define SEC_FAR
#define __SEC_FAR
#define SEC_TEXT TEXT

/* ---- Basic types ------------------------------------------------------------- */

typedef WCHAR SEC_WCHAR;
typedef CHAR SEC_CHAR;

#ifndef __SECSTATUS_DEFINED__
#define __SECSTATUS_DEFINED__
typedef LONG SECURITY_STATUS;
#endif

#ifdef UNICODE
typedef SEC_WCHAR *SECURITY_PSTR;
typedef const SEC_WCHAR *SECURITY_PCSTR;
#else
typedef SEC_CHAR *SECURITY_PSTR;
typedef const SEC_CHAR *SECURITY_PCSTR;
#endif

#ifndef __SECHANDLE_DEFINED__
#define __SECHANDLE_DEFINED__
typedef struct _SecHandle {
    ULONG_PTR dwLower;
    ULONG_PTR dwUpper;
} SecHandle, *PSecHandle;
#endif

typedef SecHandle CredHandle;
typedef PSecHandle PCredHandle;
typedef SecHandle CtxtHandle;
typedef PSecHandle PCtxtHandle;

/* A handle is invalid when both halves are all-ones. */
#define SecInvalidateHandle(x) \
    ((void)(((PSecHandle)(x))->dwLower = ((PSecHandle)(x))->dwUpper = ((ULONG_PTR)((INT_PTR)-1))))
#define SecIsValidHandle(x) \
    ((((PSecHandle)(x))->dwLower != ((ULONG_PTR)((INT_PTR)-1))) && \
     (((PSecHandle)(x))->dwUpper != ((ULONG_PTR)((INT_PTR)-1))))
#define SEC_DELETED_HANDLE ((ULONG_PTR)(-2))

/* As with windows.h included: SECURITY_INTEGER is LARGE_INTEGER (8 bytes,
 * LowPart/HighPart and QuadPart), counting 100 ns units since 1601-01-01 UTC. */
typedef LARGE_INTEGER _SECURITY_INTEGER, SECURITY_INTEGER, *PSECURITY_INTEGER;
typedef SECURITY_INTEGER TimeStamp;
typedef SECURITY_INTEGER *PTimeStamp;

typedef struct _SECURITY_STRING {
    USHORT Length;
    USHORT MaximumLength;
    USHORT *Buffer;
} SECURITY_STRING, *PSECURITY_STRING;

/* ---- Status codes (winerror.h, FACILITY_SECURITY) ------------------------------ */

#ifndef SEC_E_OK
#define SEC_E_OK                            ((SECURITY_STATUS)0x00000000L)
#define SEC_E_INSUFFICIENT_MEMORY           ((SECURITY_STATUS)0x80090300L)
#define SEC_E_INVALID_HANDLE                ((SECURITY_STATUS)0x80090301L)
#define SEC_E_UNSUPPORTED_FUNCTION          ((SECURITY_STATUS)0x80090302L)
#define SEC_E_TARGET_UNKNOWN                ((SECURITY_STATUS)0x80090303L)
#define SEC_E_INTERNAL_ERROR                ((SECURITY_STATUS)0x80090304L)
#define SEC_E_SECPKG_NOT_FOUND              ((SECURITY_STATUS)0x80090305L)
#define SEC_E_NOT_OWNER                     ((SECURITY_STATUS)0x80090306L)
#define SEC_E_CANNOT_INSTALL                ((SECURITY_STATUS)0x80090307L)
#define SEC_E_INVALID_TOKEN                 ((SECURITY_STATUS)0x80090308L)
#define SEC_E_CANNOT_PACK                   ((SECURITY_STATUS)0x80090309L)
#define SEC_E_QOP_NOT_SUPPORTED             ((SECURITY_STATUS)0x8009030AL)
#define SEC_E_NO_IMPERSONATION              ((SECURITY_STATUS)0x8009030BL)
#define SEC_E_LOGON_DENIED                  ((SECURITY_STATUS)0x8009030CL)
#define SEC_E_UNKNOWN_CREDENTIALS           ((SECURITY_STATUS)0x8009030DL)
#define SEC_E_NO_CREDENTIALS                ((SECURITY_STATUS)0x8009030EL)
#define SEC_E_MESSAGE_ALTERED               ((SECURITY_STATUS)0x8009030FL)
#define SEC_E_OUT_OF_SEQUENCE               ((SECURITY_STATUS)0x80090310L)
#define SEC_E_NO_AUTHENTICATING_AUTHORITY   ((SECURITY_STATUS)0x80090311L)
#define SEC_I_CONTINUE_NEEDED               ((SECURITY_STATUS)0x00090312L)
#define SEC_I_COMPLETE_NEEDED               ((SECURITY_STATUS)0x00090313L)
#define SEC_I_COMPLETE_AND_CONTINUE         ((SECURITY_STATUS)0x00090314L)
#define SEC_I_LOCAL_LOGON                   ((SECURITY_STATUS)0x00090315L)
#define SEC_I_GENERIC_EXTENSION_RECEIVED    ((SECURITY_STATUS)0x00090316L)
#define SEC_E_BAD_PKGID                     ((SECURITY_STATUS)0x80090316L)
#define SEC_E_CONTEXT_EXPIRED               ((SECURITY_STATUS)0x80090317L)
#define SEC_I_CONTEXT_EXPIRED               ((SECURITY_STATUS)0x00090317L)
#define SEC_E_INCOMPLETE_MESSAGE            ((SECURITY_STATUS)0x80090318L)
#define SEC_E_INCOMPLETE_CREDENTIALS        ((SECURITY_STATUS)0x80090320L)
#define SEC_E_BUFFER_TOO_SMALL              ((SECURITY_STATUS)0x80090321L)
#define SEC_I_INCOMPLETE_CREDENTIALS        ((SECURITY_STATUS)0x00090320L)
#define SEC_I_RENEGOTIATE                   ((SECURITY_STATUS)0x00090321L)
#define SEC_E_WRONG_PRINCIPAL               ((SECURITY_STATUS)0x80090322L)
#define SEC_I_NO_LSA_CONTEXT                ((SECURITY_STATUS)0x00090323L)
#define SEC_E_TIME_SKEW                     ((SECURITY_STATUS)0x80090324L)
#define SEC_E_UNTRUSTED_ROOT                ((SECURITY_STATUS)0x80090325L)
#define SEC_E_ILLEGAL_MESSAGE               ((SECURITY_STATUS)0x80090326L)
#define SEC_E_CERT_UNKNOWN                  ((SECURITY_STATUS)0x80090327L)
#define SEC_E_CERT_EXPIRED                  ((SECURITY_STATUS)0x80090328L)
#define SEC_E_ENCRYPT_FAILURE               ((SECURITY_STATUS)0x80090329L)
#define SEC_E_DECRYPT_FAILURE               ((SECURITY_STATUS)0x80090330L)
#define SEC_E_ALGORITHM_MISMATCH            ((SECURITY_STATUS)0x80090331L)
#define SEC_E_SECURITY_QOS_FAILED           ((SECURITY_STATUS)0x80090332L)
#define SEC_E_UNFINISHED_CONTEXT_DELETED    ((SECURITY_STATUS)0x80090333L)
#define SEC_E_NO_TGT_REPLY                  ((SECURITY_STATUS)0x80090334L)
#define SEC_E_NO_IP_ADDRESSES               ((SECURITY_STATUS)0x80090335L)
#define SEC_E_WRONG_CREDENTIAL_HANDLE       ((SECURITY_STATUS)0x80090336L)
#define SEC_E_CRYPTO_SYSTEM_INVALID         ((SECURITY_STATUS)0x80090337L)
#define SEC_E_MAX_REFERRALS_EXCEEDED        ((SECURITY_STATUS)0x80090338L)
#define SEC_E_MUST_BE_KDC                   ((SECURITY_STATUS)0x80090339L)
#define SEC_E_STRONG_CRYPTO_NOT_SUPPORTED   ((SECURITY_STATUS)0x8009033AL)
#define SEC_E_TOO_MANY_PRINCIPALS           ((SECURITY_STATUS)0x8009033BL)
#define SEC_E_NO_PA_DATA                    ((SECURITY_STATUS)0x8009033CL)
#define SEC_E_PKINIT_NAME_MISMATCH          ((SECURITY_STATUS)0x8009033DL)
#define SEC_E_SMARTCARD_LOGON_REQUIRED      ((SECURITY_STATUS)0x8009033EL)
#define SEC_E_SHUTDOWN_IN_PROGRESS          ((SECURITY_STATUS)0x8009033FL)
#define SEC_E_KDC_INVALID_REQUEST           ((SECURITY_STATUS)0x80090340L)
#define SEC_E_KDC_UNABLE_TO_REFER           ((SECURITY_STATUS)0x80090341L)
#define SEC_E_KDC_UNKNOWN_ETYPE             ((SECURITY_STATUS)0x80090342L)
#define SEC_E_UNSUPPORTED_PREAUTH           ((SECURITY_STATUS)0x80090343L)
#define SEC_E_DELEGATION_REQUIRED           ((SECURITY_STATUS)0x80090345L)
#define SEC_E_BAD_BINDINGS                  ((SECURITY_STATUS)0x80090346L)
#define SEC_E_MULTIPLE_ACCOUNTS             ((SECURITY_STATUS)0x80090347L)
#define SEC_E_NO_KERB_KEY                   ((SECURITY_STATUS)0x80090348L)
#define SEC_E_CERT_WRONG_USAGE              ((SECURITY_STATUS)0x80090349L)
#define SEC_E_DOWNGRADE_DETECTED            ((SECURITY_STATUS)0x80090350L)
#define SEC_E_SMARTCARD_CERT_REVOKED        ((SECURITY_STATUS)0x80090351L)
#define SEC_E_ISSUING_CA_UNTRUSTED          ((SECURITY_STATUS)0x80090352L)
#define SEC_E_REVOCATION_OFFLINE_C          ((SECURITY_STATUS)0x80090353L)
#define SEC_E_PKINIT_CLIENT_FAILURE         ((SECURITY_STATUS)0x80090354L)
#define SEC_E_SMARTCARD_CERT_EXPIRED        ((SECURITY_STATUS)0x80090355L)
#define SEC_E_NO_S4U_PROT_SUPPORT           ((SECURITY_STATUS)0x80090356L)
#define SEC_E_CROSSREALM_DELEGATION_FAILURE ((SECURITY_STATUS)0x80090357L)
#define SEC_E_REVOCATION_OFFLINE_KDC        ((SECURITY_STATUS)0x80090358L)
#define SEC_E_ISSUING_CA_UNTRUSTED_KDC      ((SECURITY_STATUS)0x80090359L)
#define SEC_E_KDC_CERT_EXPIRED              ((SECURITY_STATUS)0x8009035AL)
#define SEC_E_KDC_CERT_REVOKED              ((SECURITY_STATUS)0x8009035BL)
#define SEC_I_SIGNATURE_NEEDED              ((SECURITY_STATUS)0x0009035CL)
#define SEC_E_INVALID_PARAMETER             ((SECURITY_STATUS)0x8009035DL)
#define SEC_E_DELEGATION_POLICY             ((SECURITY_STATUS)0x8009035EL)
#define SEC_E_POLICY_NLTM_ONLY              ((SECURITY_STATUS)0x8009035FL)
#define SEC_I_NO_RENEGOTIATION              ((SECURITY_STATUS)0x00090360L)
#define SEC_E_NO_CONTEXT                    ((SECURITY_STATUS)0x80090361L)
#define SEC_E_PKU2U_CERT_FAILURE            ((SECURITY_STATUS)0x80090362L)
#define SEC_E_MUTUAL_AUTH_FAILED            ((SECURITY_STATUS)0x80090363L)
#define SEC_I_MESSAGE_FRAGMENT              ((SECURITY_STATUS)0x00090364L)
#define SEC_E_ONLY_HTTPS_ALLOWED            ((SECURITY_STATUS)0x80090365L)
#define SEC_I_CONTINUE_NEEDED_MESSAGE_OK    ((SECURITY_STATUS)0x00090366L)
#define SEC_E_APPLICATION_PROTOCOL_MISMATCH ((SECURITY_STATUS)0x80090367L)
#define SEC_I_ASYNC_CALL_PENDING            ((SECURITY_STATUS)0x00090368L)
#define SEC_E_INVALID_UPN_NAME              ((SECURITY_STATUS)0x80090369L)
#define SEC_E_EXT_BUFFER_TOO_SMALL          ((SECURITY_STATUS)0x8009036AL)
#define SEC_E_INSUFFICIENT_BUFFERS          ((SECURITY_STATUS)0x8009036BL)
#define SEC_E_NO_SPM                        SEC_E_INTERNAL_ERROR
#define SEC_E_NOT_SUPPORTED                 SEC_E_UNSUPPORTED_FUNCTION
#endif /* SEC_E_OK */

/* ---- Packages ------------------------------------------------------------------ */

typedef struct _SecPkgInfoW {
    ULONG fCapabilities;
    USHORT wVersion;
    USHORT wRPCID;
    ULONG cbMaxToken;
    SEC_WCHAR *Name;
    SEC_WCHAR *Comment;
} SecPkgInfoW, *PSecPkgInfoW;

typedef struct _SecPkgInfoA {
    ULONG fCapabilities;
    USHORT wVersion;
    USHORT wRPCID;
    ULONG cbMaxToken;
    SEC_CHAR *Name;
    SEC_CHAR *Comment;
} SecPkgInfoA, *PSecPkgInfoA;

/* SecPkgInfo.fCapabilities */
#define SECPKG_FLAG_INTEGRITY                    0x00000001
#define SECPKG_FLAG_PRIVACY                      0x00000002
#define SECPKG_FLAG_TOKEN_ONLY                   0x00000004
#define SECPKG_FLAG_DATAGRAM                     0x00000008
#define SECPKG_FLAG_CONNECTION                   0x00000010
#define SECPKG_FLAG_MULTI_REQUIRED               0x00000020
#define SECPKG_FLAG_CLIENT_ONLY                  0x00000040
#define SECPKG_FLAG_EXTENDED_ERROR               0x00000080
#define SECPKG_FLAG_IMPERSONATION                0x00000100
#define SECPKG_FLAG_ACCEPT_WIN32_NAME            0x00000200
#define SECPKG_FLAG_STREAM                       0x00000400
#define SECPKG_FLAG_NEGOTIABLE                   0x00000800
#define SECPKG_FLAG_GSS_COMPATIBLE               0x00001000
#define SECPKG_FLAG_LOGON                        0x00002000
#define SECPKG_FLAG_ASCII_BUFFERS                0x00004000
#define SECPKG_FLAG_FRAGMENT                     0x00008000
#define SECPKG_FLAG_MUTUAL_AUTH                  0x00010000
#define SECPKG_FLAG_DELEGATION                   0x00020000
#define SECPKG_FLAG_READONLY_WITH_CHECKSUM       0x00040000
#define SECPKG_FLAG_RESTRICTED_TOKENS            0x00080000
#define SECPKG_FLAG_NEGO_EXTENDER                0x00100000
#define SECPKG_FLAG_NEGOTIABLE2                  0x00200000
#define SECPKG_FLAG_APPCONTAINER_PASSTHROUGH     0x00400000
#define SECPKG_FLAG_APPCONTAINER_CHECKS          0x00800000
#define SECPKG_FLAG_CREDENTIAL_ISOLATION_ENABLED 0x01000000
#define SECPKG_FLAG_APPLY_LOOPBACK               0x02000000

#define SECPKG_ID_NONE 0xFFFF

#define SECPKG_CALLFLAGS_APPCONTAINER             0x00000001
#define SECPKG_CALLFLAGS_APPCONTAINER_AUTHCAPABLE 0x00000002
#define SECPKG_CALLFLAGS_FORCE_SUPPLIED           0x00000004
#define SECPKG_CALLFLAGS_APPCONTAINER_UPNCAPABLE  0x00000008

/* ---- Buffers ------------------------------------------------------------------- */

typedef struct _SecBuffer {
    ULONG cbBuffer;
    ULONG BufferType;
    void *pvBuffer;
} SecBuffer, *PSecBuffer;

typedef struct _SecBufferDesc {
    ULONG ulVersion;
    ULONG cBuffers;
    PSecBuffer pBuffers;
} SecBufferDesc, *PSecBufferDesc;

#define SECBUFFER_VERSION 0

/* SecBuffer.BufferType: a type in the low bits, attributes in SECBUFFER_ATTRMASK */
#define SECBUFFER_EMPTY                          0
#define SECBUFFER_DATA                           1
#define SECBUFFER_TOKEN                          2
#define SECBUFFER_PKG_PARAMS                     3
#define SECBUFFER_MISSING                        4
#define SECBUFFER_EXTRA                          5
#define SECBUFFER_STREAM_TRAILER                 6
#define SECBUFFER_STREAM_HEADER                  7
#define SECBUFFER_NEGOTIATION_INFO               8
#define SECBUFFER_PADDING                        9
#define SECBUFFER_STREAM                         10
#define SECBUFFER_MECHLIST                       11
#define SECBUFFER_MECHLIST_SIGNATURE             12
#define SECBUFFER_TARGET                         13
#define SECBUFFER_CHANNEL_BINDINGS               14
#define SECBUFFER_CHANGE_PASS_RESPONSE           15
#define SECBUFFER_TARGET_HOST                    16
#define SECBUFFER_ALERT                          17
#define SECBUFFER_APPLICATION_PROTOCOLS          18
#define SECBUFFER_SRTP_PROTECTION_PROFILES       19
#define SECBUFFER_SRTP_MASTER_KEY_IDENTIFIER     20
#define SECBUFFER_TOKEN_BINDING                  21
#define SECBUFFER_PRESHARED_KEY                  22
#define SECBUFFER_PRESHARED_KEY_IDENTITY         23
#define SECBUFFER_DTLS_MTU                       24
#define SECBUFFER_SEND_GENERIC_TLS_EXTENSION     25
#define SECBUFFER_SUBSCRIBE_GENERIC_TLS_EXTENSION 26
#define SECBUFFER_FLAGS                          27
#define SECBUFFER_TRAFFIC_SECRETS                28

#define SECBUFFER_ATTRMASK               0xF0000000
#define SECBUFFER_READONLY               0x80000000
#define SECBUFFER_READONLY_WITH_CHECKSUM 0x10000000
#define SECBUFFER_RESERVED               0x60000000

typedef struct _SEC_NEGOTIATION_INFO {
    ULONG Size;
    ULONG NameLength;
    SEC_WCHAR *Name;
    void *Reserved;
} SEC_NEGOTIATION_INFO, *PSEC_NEGOTIATION_INFO;

/* SECBUFFER_CHANNEL_BINDINGS contents; the offsets count from the struct start. */
typedef struct _SEC_CHANNEL_BINDINGS {
    ULONG dwInitiatorAddrType;
    ULONG cbInitiatorLength;
    ULONG dwInitiatorOffset;
    ULONG dwAcceptorAddrType;
    ULONG cbAcceptorLength;
    ULONG dwAcceptorOffset;
    ULONG cbApplicationDataLength;
    ULONG dwApplicationDataOffset;
} SEC_CHANNEL_BINDINGS, *PSEC_CHANNEL_BINDINGS;

typedef enum _SEC_APPLICATION_PROTOCOL_NEGOTIATION_EXT {
    SecApplicationProtocolNegotiationExt_None,
    SecApplicationProtocolNegotiationExt_NPN,
    SecApplicationProtocolNegotiationExt_ALPN
} SEC_APPLICATION_PROTOCOL_NEGOTIATION_EXT, *PSEC_APPLICATION_PROTOCOL_NEGOTIATION_EXT;

typedef struct _SEC_APPLICATION_PROTOCOL_LIST {
    SEC_APPLICATION_PROTOCOL_NEGOTIATION_EXT ProtoNegoExt;
    USHORT ProtocolListSize;
    UCHAR ProtocolList[ANYSIZE_ARRAY];
} SEC_APPLICATION_PROTOCOL_LIST, *PSEC_APPLICATION_PROTOCOL_LIST;

/* SECBUFFER_APPLICATION_PROTOCOLS contents */
typedef struct _SEC_APPLICATION_PROTOCOLS {
    ULONG ProtocolListsSize;
    SEC_APPLICATION_PROTOCOL_LIST ProtocolLists[ANYSIZE_ARRAY];
} SEC_APPLICATION_PROTOCOLS, *PSEC_APPLICATION_PROTOCOLS;

typedef struct _SEC_SRTP_PROTECTION_PROFILES {
    USHORT ProfilesSize;
    USHORT ProfilesList[ANYSIZE_ARRAY];
} SEC_SRTP_PROTECTION_PROFILES, *PSEC_SRTP_PROTECTION_PROFILES;

typedef struct _SEC_SRTP_MASTER_KEY_IDENTIFIER {
    UCHAR MasterKeyIdentifierSize;
    UCHAR MasterKeyIdentifier[ANYSIZE_ARRAY];
} SEC_SRTP_MASTER_KEY_IDENTIFIER, *PSEC_SRTP_MASTER_KEY_IDENTIFIER;

typedef struct _SEC_TOKEN_BINDING {
    UCHAR MajorVersion;
    UCHAR MinorVersion;
    USHORT KeyParametersSize;
    UCHAR KeyParameters[ANYSIZE_ARRAY];
} SEC_TOKEN_BINDING, *PSEC_TOKEN_BINDING;

typedef struct _SEC_PRESHAREDKEY {
    USHORT KeySize;
    UCHAR Key[ANYSIZE_ARRAY];
} SEC_PRESHAREDKEY, *PSEC_PRESHAREDKEY;

typedef struct _SEC_PRESHAREDKEY_IDENTITY {
    USHORT KeyIdentitySize;
    UCHAR KeyIdentity[ANYSIZE_ARRAY];
} SEC_PRESHAREDKEY_IDENTITY, *PSEC_PRESHAREDKEY_IDENTITY;

typedef struct _SEC_DTLS_MTU {
    USHORT PathMTU;
} SEC_DTLS_MTU, *PSEC_DTLS_MTU;

typedef struct _SEC_FLAGS {
    ULONGLONG Flags;
} SEC_FLAGS, *PSEC_FLAGS;

typedef enum _SEC_TRAFFIC_SECRET_TYPE {
    SecTrafficSecret_None,
    SecTrafficSecret_Client,
    SecTrafficSecret_Server
} SEC_TRAFFIC_SECRET_TYPE, *PSEC_TRAFFIC_SECRET_TYPE;

#define SZ_ALG_MAX_SIZE 64

typedef struct _SEC_TRAFFIC_SECRETS {
    WCHAR SymmetricAlgId[SZ_ALG_MAX_SIZE];
    WCHAR ChainingMode[SZ_ALG_MAX_SIZE];
    WCHAR HashAlgId[SZ_ALG_MAX_SIZE];
    USHORT KeySize;
    USHORT IvSize;
    USHORT MsgSequenceStart;
    USHORT MsgSequenceEnd;
    SEC_TRAFFIC_SECRET_TYPE TrafficSecretType;
    USHORT TrafficSecretSize;
    UCHAR TrafficSecret[ANYSIZE_ARRAY];
} SEC_TRAFFIC_SECRETS, *PSEC_TRAFFIC_SECRETS;

/* TargetDataRep */
#define SECURITY_NATIVE_DREP  0x00000010
#define SECURITY_NETWORK_DREP 0x00000000

/* ---- Credentials --------------------------------------------------------------- */

/* AcquireCredentialsHandle fCredentialUse */
#define SECPKG_CRED_INBOUND              0x00000001
#define SECPKG_CRED_OUTBOUND             0x00000002
#define SECPKG_CRED_BOTH                 0x00000003
#define SECPKG_CRED_DEFAULT              0x00000004
#define SECPKG_CRED_RESERVED             0xF0000000
#define SECPKG_CRED_AUTOLOGON_RESTRICTED 0x00000010
#define SECPKG_CRED_PROCESS_POLICY_ONLY  0x00000020

/* ---- Context requirements and attributes ---------------------------------------- */

/* InitializeSecurityContext fContextReq */
#define ISC_REQ_DELEGATE               0x00000001
#define ISC_REQ_MUTUAL_AUTH            0x00000002
#define ISC_REQ_REPLAY_DETECT          0x00000004
#define ISC_REQ_SEQUENCE_DETECT        0x00000008
#define ISC_REQ_CONFIDENTIALITY        0x00000010
#define ISC_REQ_USE_SESSION_KEY        0x00000020
#define ISC_REQ_PROMPT_FOR_CREDS       0x00000040
#define ISC_REQ_USE_SUPPLIED_CREDS     0x00000080
#define ISC_REQ_ALLOCATE_MEMORY        0x00000100
#define ISC_REQ_USE_DCE_STYLE          0x00000200
#define ISC_REQ_DATAGRAM               0x00000400
#define ISC_REQ_CONNECTION             0x00000800
#define ISC_REQ_CALL_LEVEL             0x00001000
#define ISC_REQ_FRAGMENT_SUPPLIED      0x00002000
#define ISC_REQ_EXTENDED_ERROR         0x00004000
#define ISC_REQ_STREAM                 0x00008000
#define ISC_REQ_INTEGRITY              0x00010000
#define ISC_REQ_IDENTIFY               0x00020000
#define ISC_REQ_NULL_SESSION           0x00040000
#define ISC_REQ_MANUAL_CRED_VALIDATION 0x00080000
#define ISC_REQ_RESERVED1              0x00100000
#define ISC_REQ_FRAGMENT_TO_FIT        0x00200000
#define ISC_REQ_FORWARD_CREDENTIALS    0x00400000
#define ISC_REQ_NO_INTEGRITY           0x00800000
#define ISC_REQ_USE_HTTP_STYLE         0x01000000
#define ISC_REQ_UNVERIFIED_TARGET_NAME 0x20000000
#define ISC_REQ_CONFIDENTIALITY_ONLY   0x40000000
#define ISC_REQ_MESSAGES               0x0000000100000000

/* InitializeSecurityContext *pfContextAttr */
#define ISC_RET_DELEGATE               0x00000001
#define ISC_RET_MUTUAL_AUTH            0x00000002
#define ISC_RET_REPLAY_DETECT          0x00000004
#define ISC_RET_SEQUENCE_DETECT        0x00000008
#define ISC_RET_CONFIDENTIALITY        0x00000010
#define ISC_RET_USE_SESSION_KEY        0x00000020
#define ISC_RET_USED_COLLECTED_CREDS   0x00000040
#define ISC_RET_USED_SUPPLIED_CREDS    0x00000080
#define ISC_RET_ALLOCATED_MEMORY       0x00000100
#define ISC_RET_USED_DCE_STYLE         0x00000200
#define ISC_RET_DATAGRAM               0x00000400
#define ISC_RET_CONNECTION             0x00000800
#define ISC_RET_INTERMEDIATE_RETURN    0x00001000
#define ISC_RET_CALL_LEVEL             0x00002000
#define ISC_RET_EXTENDED_ERROR         0x00004000
#define ISC_RET_STREAM                 0x00008000
#define ISC_RET_INTEGRITY              0x00010000
#define ISC_RET_IDENTIFY               0x00020000
#define ISC_RET_NULL_SESSION           0x00040000
#define ISC_RET_MANUAL_CRED_VALIDATION 0x00080000
#define ISC_RET_RESERVED1              0x00100000
#define ISC_RET_FRAGMENT_ONLY          0x00200000
#define ISC_RET_FORWARD_CREDENTIALS    0x00400000
#define ISC_RET_USED_HTTP_STYLE        0x01000000
#define ISC_RET_NO_ADDITIONAL_TOKEN    0x02000000
#define ISC_RET_REAUTHENTICATION       0x08000000
#define ISC_RET_CONFIDENTIALITY_ONLY   0x40000000
#define ISC_RET_MESSAGES               0x0000000100000000

/* AcceptSecurityContext fContextReq */
#define ASC_REQ_DELEGATE               0x00000001
#define ASC_REQ_MUTUAL_AUTH            0x00000002
#define ASC_REQ_REPLAY_DETECT          0x00000004
#define ASC_REQ_SEQUENCE_DETECT        0x00000008
#define ASC_REQ_CONFIDENTIALITY        0x00000010
#define ASC_REQ_USE_SESSION_KEY        0x00000020
#define ASC_REQ_SESSION_TICKET         0x00000040
#define ASC_REQ_ALLOCATE_MEMORY        0x00000100
#define ASC_REQ_USE_DCE_STYLE          0x00000200
#define ASC_REQ_DATAGRAM               0x00000400
#define ASC_REQ_CONNECTION             0x00000800
#define ASC_REQ_CALL_LEVEL             0x00001000
#define ASC_REQ_FRAGMENT_SUPPLIED      0x00002000
#define ASC_REQ_EXTENDED_ERROR         0x00008000
#define ASC_REQ_STREAM                 0x00010000
#define ASC_REQ_INTEGRITY              0x00020000
#define ASC_REQ_LICENSING              0x00040000
#define ASC_REQ_IDENTIFY               0x00080000
#define ASC_REQ_ALLOW_NULL_SESSION     0x00100000
#define ASC_REQ_ALLOW_NON_USER_LOGONS  0x00200000
#define ASC_REQ_ALLOW_CONTEXT_REPLAY   0x00400000
#define ASC_REQ_FRAGMENT_TO_FIT        0x00800000
#define ASC_REQ_NO_TOKEN               0x01000000
#define ASC_REQ_PROXY_BINDINGS         0x04000000
#define ASC_REQ_ALLOW_MISSING_BINDINGS 0x10000000
#define ASC_REQ_MESSAGES               0x0000000100000000

/* AcceptSecurityContext *pfContextAttr */
#define ASC_RET_DELEGATE               0x00000001
#define ASC_RET_MUTUAL_AUTH            0x00000002
#define ASC_RET_REPLAY_DETECT          0x00000004
#define ASC_RET_SEQUENCE_DETECT        0x00000008
#define ASC_RET_CONFIDENTIALITY        0x00000010
#define ASC_RET_USE_SESSION_KEY        0x00000020
#define ASC_RET_SESSION_TICKET         0x00000040
#define ASC_RET_ALLOCATED_MEMORY       0x00000100
#define ASC_RET_USED_DCE_STYLE         0x00000200
#define ASC_RET_DATAGRAM               0x00000400
#define ASC_RET_CONNECTION             0x00000800
#define ASC_RET_CALL_LEVEL             0x00002000
#define ASC_RET_THIRD_LEG_FAILED       0x00004000
#define ASC_RET_EXTENDED_ERROR         0x00008000
#define ASC_RET_STREAM                 0x00010000
#define ASC_RET_INTEGRITY              0x00020000
#define ASC_RET_LICENSING              0x00040000
#define ASC_RET_IDENTIFY               0x00080000
#define ASC_RET_NULL_SESSION           0x00100000
#define ASC_RET_ALLOW_NON_USER_LOGONS  0x00200000
#define ASC_RET_ALLOW_CONTEXT_REPLAY   0x00400000
#define ASC_RET_FRAGMENT_ONLY          0x00800000
#define ASC_RET_NO_TOKEN               0x01000000
#define ASC_RET_NO_ADDITIONAL_TOKEN    0x02000000
#define ASC_RET_MESSAGES               0x0000000100000000

/* ---- Credential attributes (QueryCredentialsAttributes) -------------------------- */

#define SECPKG_CRED_ATTR_NAMES              1
#define SECPKG_CRED_ATTR_SSI_PROVIDER       2
#define SECPKG_CRED_ATTR_KDC_PROXY_SETTINGS 3
#define SECPKG_CRED_ATTR_CERT               4
#define SECPKG_CRED_ATTR_PAC_BYPASS         5

typedef struct _SecPkgCredentials_NamesW {
    SEC_WCHAR *sUserName;
} SecPkgCredentials_NamesW, *PSecPkgCredentials_NamesW;

typedef struct _SecPkgCredentials_NamesA {
    SEC_CHAR *sUserName;
} SecPkgCredentials_NamesA, *PSecPkgCredentials_NamesA;

typedef struct _SecPkgCredentials_SSIProviderW {
    SEC_WCHAR *sProviderName;
    ULONG ProviderInfoLength;
    char *ProviderInfo;
} SecPkgCredentials_SSIProviderW, *PSecPkgCredentials_SSIProviderW;

typedef struct _SecPkgCredentials_SSIProviderA {
    SEC_CHAR *sProviderName;
    ULONG ProviderInfoLength;
    char *ProviderInfo;
} SecPkgCredentials_SSIProviderA, *PSecPkgCredentials_SSIProviderA;

#define KDC_PROXY_SETTINGS_V1               1
#define KDC_PROXY_SETTINGS_FLAGS_FORCEPROXY 0x1

typedef struct _SecPkgCredentials_KdcProxySettingsW {
    ULONG Version;
    ULONG Flags;
    USHORT ProxyServerOffset;
    USHORT ProxyServerLength;
    USHORT ClientTlsCredOffset;
    USHORT ClientTlsCredLength;
} SecPkgCredentials_KdcProxySettingsW, *PSecPkgCredentials_KdcProxySettingsW;

typedef struct _SecPkgCredentials_Cert {
    ULONG EncodedCertSize;
    UCHAR *EncodedCert;
} SecPkgCredentials_Cert, *PSecPkgCredentials_Cert;

/* ---- Context attributes (QueryContextAttributes) --------------------------------- */

#define SECPKG_ATTR_SIZES                       0
#define SECPKG_ATTR_NAMES                       1
#define SECPKG_ATTR_LIFESPAN                    2
#define SECPKG_ATTR_DCE_INFO                    3
#define SECPKG_ATTR_STREAM_SIZES                4
#define SECPKG_ATTR_KEY_INFO                    5
#define SECPKG_ATTR_AUTHORITY                   6
#define SECPKG_ATTR_PROTO_INFO                  7
#define SECPKG_ATTR_PASSWORD_EXPIRY             8
#define SECPKG_ATTR_SESSION_KEY                 9
#define SECPKG_ATTR_PACKAGE_INFO                10
#define SECPKG_ATTR_USER_FLAGS                  11
#define SECPKG_ATTR_NEGOTIATION_INFO            12
#define SECPKG_ATTR_NATIVE_NAMES                13
#define SECPKG_ATTR_FLAGS                       14
#define SECPKG_ATTR_USE_VALIDATED               15
#define SECPKG_ATTR_CREDENTIAL_NAME             16
#define SECPKG_ATTR_TARGET_INFORMATION          17
#define SECPKG_ATTR_ACCESS_TOKEN                18
#define SECPKG_ATTR_TARGET                      19
#define SECPKG_ATTR_AUTHENTICATION_ID           20
#define SECPKG_ATTR_LOGOFF_TIME                 21
#define SECPKG_ATTR_NEGO_KEYS                   22
#define SECPKG_ATTR_PROMPTING_NEEDED            24
#define SECPKG_ATTR_UNIQUE_BINDINGS             25
#define SECPKG_ATTR_ENDPOINT_BINDINGS           26
#define SECPKG_ATTR_CLIENT_SPECIFIED_TARGET     27
#define SECPKG_ATTR_LAST_CLIENT_TOKEN_STATUS    30
#define SECPKG_ATTR_NEGO_PKG_INFO               31
#define SECPKG_ATTR_NEGO_STATUS                 32
#define SECPKG_ATTR_CONTEXT_DELETED             33
#define SECPKG_ATTR_DTLS_MTU                    34
#define SECPKG_ATTR_DATAGRAM_SIZES              SECPKG_ATTR_STREAM_SIZES
#define SECPKG_ATTR_SUBJECT_SECURITY_ATTRIBUTES 128
#define SECPKG_ATTR_APPLICATION_PROTOCOL        35
#define SECPKG_ATTR_NEGOTIATED_TLS_EXTENSIONS   36
#define SECPKG_ATTR_IS_LOOPBACK                 37

typedef struct _SecPkgContext_SubjectAttributes {
    void *AttributeInfo;
} SecPkgContext_SubjectAttributes, *PSecPkgContext_SubjectAttributes;

#define SECPKG_ATTR_NEGO_INFO_FLAG_NO_KERBEROS 0x1
#define SECPKG_ATTR_NEGO_INFO_FLAG_NO_NTLM     0x2

typedef enum _SECPKG_CRED_CLASS {
    SecPkgCredClass_None = 0,
    SecPkgCredClass_Ephemeral = 10,
    SecPkgCredClass_PersistedGeneric = 20,
    SecPkgCredClass_PersistedSpecific = 30,
    SecPkgCredClass_Explicit = 40
} SECPKG_CRED_CLASS, *PSECPKG_CRED_CLASS;

typedef struct _SecPkgContext_CredInfo {
    SECPKG_CRED_CLASS CredClass;
    ULONG IsPromptingNeeded;
} SecPkgContext_CredInfo, *PSecPkgContext_CredInfo;

typedef struct _SecPkgContext_NegoPackageInfo {
    ULONG PackageMask;
} SecPkgContext_NegoPackageInfo, *PSecPkgContext_NegoPackageInfo;

typedef struct _SecPkgContext_NegoStatus {
    ULONG LastStatus;
} SecPkgContext_NegoStatus, *PSecPkgContext_NegoStatus;

typedef struct _SecPkgContext_Sizes {
    ULONG cbMaxToken;
    ULONG cbMaxSignature;
    ULONG cbBlockSize;
    ULONG cbSecurityTrailer;
} SecPkgContext_Sizes, *PSecPkgContext_Sizes;

typedef struct _SecPkgContext_StreamSizes {
    ULONG cbHeader;
    ULONG cbTrailer;
    ULONG cbMaximumMessage;
    ULONG cBuffers;
    ULONG cbBlockSize;
} SecPkgContext_StreamSizes, *PSecPkgContext_StreamSizes;

typedef SecPkgContext_StreamSizes SecPkgContext_DatagramSizes;
typedef PSecPkgContext_StreamSizes PSecPkgContext_DatagramSizes;

typedef struct _SecPkgContext_NamesW {
    SEC_WCHAR *sUserName;
} SecPkgContext_NamesW, *PSecPkgContext_NamesW;

typedef struct _SecPkgContext_NamesA {
    SEC_CHAR *sUserName;
} SecPkgContext_NamesA, *PSecPkgContext_NamesA;

typedef enum _SECPKG_ATTR_LCT_STATUS {
    SecPkgAttrLastClientTokenYes,
    SecPkgAttrLastClientTokenNo,
    SecPkgAttrLastClientTokenMaybe
} SECPKG_ATTR_LCT_STATUS, *PSECPKG_ATTR_LCT_STATUS;

typedef struct _SecPkgContext_LastClientTokenStatus {
    SECPKG_ATTR_LCT_STATUS LastClientTokenStatus;
} SecPkgContext_LastClientTokenStatus, *PSecPkgContext_LastClientTokenStatus;

typedef struct _SecPkgContext_Lifespan {
    TimeStamp tsStart;
    TimeStamp tsExpiry;
} SecPkgContext_Lifespan, *PSecPkgContext_Lifespan;

typedef struct _SecPkgContext_DceInfo {
    ULONG AuthzSvc;
    void *pPac;
} SecPkgContext_DceInfo, *PSecPkgContext_DceInfo;

typedef struct _SecPkgContext_KeyInfoA {
    SEC_CHAR *sSignatureAlgorithmName;
    SEC_CHAR *sEncryptAlgorithmName;
    ULONG KeySize;
    ULONG SignatureAlgorithm;
    ULONG EncryptAlgorithm;
} SecPkgContext_KeyInfoA, *PSecPkgContext_KeyInfoA;

typedef struct _SecPkgContext_KeyInfoW {
    SEC_WCHAR *sSignatureAlgorithmName;
    SEC_WCHAR *sEncryptAlgorithmName;
    ULONG KeySize;
    ULONG SignatureAlgorithm;
    ULONG EncryptAlgorithm;
} SecPkgContext_KeyInfoW, *PSecPkgContext_KeyInfoW;

typedef struct _SecPkgContext_AuthorityA {
    SEC_CHAR *sAuthorityName;
} SecPkgContext_AuthorityA, *PSecPkgContext_AuthorityA;

typedef struct _SecPkgContext_AuthorityW {
    SEC_WCHAR *sAuthorityName;
} SecPkgContext_AuthorityW, *PSecPkgContext_AuthorityW;

typedef struct _SecPkgContext_ProtoInfoA {
    SEC_CHAR *sProtocolName;
    ULONG majorVersion;
    ULONG minorVersion;
} SecPkgContext_ProtoInfoA, *PSecPkgContext_ProtoInfoA;

typedef struct _SecPkgContext_ProtoInfoW {
    SEC_WCHAR *sProtocolName;
    ULONG majorVersion;
    ULONG minorVersion;
} SecPkgContext_ProtoInfoW, *PSecPkgContext_ProtoInfoW;

typedef struct _SecPkgContext_PasswordExpiry {
    TimeStamp tsPasswordExpires;
} SecPkgContext_PasswordExpiry, *PSecPkgContext_PasswordExpiry;

typedef struct _SecPkgContext_LogoffTime {
    TimeStamp tsLogoffTime;
} SecPkgContext_LogoffTime, *PSecPkgContext_LogoffTime;

typedef struct _SecPkgContext_SessionKey {
    ULONG SessionKeyLength;
    UCHAR *SessionKey;
} SecPkgContext_SessionKey, *PSecPkgContext_SessionKey;

typedef struct _SecPkgContext_NegoKeys {
    ULONG KeyType;
    USHORT KeyLength;
    UCHAR *KeyValue;
    ULONG VerifyKeyType;
    USHORT VerifyKeyLength;
    UCHAR *VerifyKeyValue;
} SecPkgContext_NegoKeys, *PSecPkgContext_NegoKeys;

typedef struct _SecPkgContext_PackageInfoW {
    PSecPkgInfoW PackageInfo;
} SecPkgContext_PackageInfoW, *PSecPkgContext_PackageInfoW;

typedef struct _SecPkgContext_PackageInfoA {
    PSecPkgInfoA PackageInfo;
} SecPkgContext_PackageInfoA, *PSecPkgContext_PackageInfoA;

typedef struct _SecPkgContext_UserFlags {
    ULONG UserFlags;
} SecPkgContext_UserFlags, *PSecPkgContext_UserFlags;

typedef struct _SecPkgContext_Flags {
    ULONG Flags;
} SecPkgContext_Flags, *PSecPkgContext_Flags;

typedef struct _SecPkgContext_NegotiationInfoA {
    PSecPkgInfoA PackageInfo;
    ULONG NegotiationState;
} SecPkgContext_NegotiationInfoA, *PSecPkgContext_NegotiationInfoA;

typedef struct _SecPkgContext_NegotiationInfoW {
    PSecPkgInfoW PackageInfo;
    ULONG NegotiationState;
} SecPkgContext_NegotiationInfoW, *PSecPkgContext_NegotiationInfoW;

/* SecPkgContext_NegotiationInfo.NegotiationState */
#define SECPKG_NEGOTIATION_COMPLETE      0
#define SECPKG_NEGOTIATION_OPTIMISTIC    1
#define SECPKG_NEGOTIATION_IN_PROGRESS   2
#define SECPKG_NEGOTIATION_DIRECT        3
#define SECPKG_NEGOTIATION_TRY_MULTICRED 4

typedef struct _SecPkgContext_NativeNamesW {
    SEC_WCHAR *sClientName;
    SEC_WCHAR *sServerName;
} SecPkgContext_NativeNamesW, *PSecPkgContext_NativeNamesW;

typedef struct _SecPkgContext_NativeNamesA {
    SEC_CHAR *sClientName;
    SEC_CHAR *sServerName;
} SecPkgContext_NativeNamesA, *PSecPkgContext_NativeNamesA;

typedef struct _SecPkgContext_CredentialNameW {
    ULONG CredentialType;
    SEC_WCHAR *sCredentialName;
} SecPkgContext_CredentialNameW, *PSecPkgContext_CredentialNameW;

typedef struct _SecPkgContext_CredentialNameA {
    ULONG CredentialType;
    SEC_CHAR *sCredentialName;
} SecPkgContext_CredentialNameA, *PSecPkgContext_CredentialNameA;

typedef struct _SecPkgContext_AccessToken {
    void *AccessToken;
} SecPkgContext_AccessToken, *PSecPkgContext_AccessToken;

typedef struct _SecPkgContext_TargetInformation {
    ULONG MarshalledTargetInfoLength;
    UCHAR *MarshalledTargetInfo;
} SecPkgContext_TargetInformation, *PSecPkgContext_TargetInformation;

typedef struct _SecPkgContext_AuthzID {
    ULONG AuthzIDLength;
    char *AuthzID;
} SecPkgContext_AuthzID, *PSecPkgContext_AuthzID;

typedef struct _SecPkgContext_Target {
    ULONG TargetLength;
    char *Target;
} SecPkgContext_Target, *PSecPkgContext_Target;

typedef struct _SecPkgContext_ClientSpecifiedTarget {
    SEC_WCHAR *sTargetName;
} SecPkgContext_ClientSpecifiedTarget, *PSecPkgContext_ClientSpecifiedTarget;

/* SECPKG_ATTR_UNIQUE_BINDINGS / SECPKG_ATTR_ENDPOINT_BINDINGS */
typedef struct _SecPkgContext_Bindings {
    ULONG BindingsLength;
    SEC_CHANNEL_BINDINGS *Bindings;
} SecPkgContext_Bindings, *PSecPkgContext_Bindings;

typedef enum _SEC_APPLICATION_PROTOCOL_NEGOTIATION_STATUS {
    SecApplicationProtocolNegotiationStatus_None,
    SecApplicationProtocolNegotiationStatus_Success,
    SecApplicationProtocolNegotiationStatus_SelectedClientOnly
} SEC_APPLICATION_PROTOCOL_NEGOTIATION_STATUS, *PSEC_APPLICATION_PROTOCOL_NEGOTIATION_STATUS;

#define MAX_PROTOCOL_ID_SIZE 0xff

typedef struct _SecPkgContext_ApplicationProtocol {
    SEC_APPLICATION_PROTOCOL_NEGOTIATION_STATUS ProtoNegoStatus;
    SEC_APPLICATION_PROTOCOL_NEGOTIATION_EXT ProtoNegoExt;
    UCHAR ProtocolIdSize;
    UCHAR ProtocolId[MAX_PROTOCOL_ID_SIZE];
} SecPkgContext_ApplicationProtocol, *PSecPkgContext_ApplicationProtocol;

typedef struct _SecPkgContext_NegotiatedTlsExtensions {
    ULONG ExtensionsCount;
    USHORT *Extensions;
} SecPkgContext_NegotiatedTlsExtensions, *PSecPkgContext_NegotiatedTlsExtensions;

typedef struct _SECPKG_APP_MODE_INFO {
    ULONG UserFunction;
    ULONG_PTR Argument1;
    ULONG_PTR Argument2;
    SecBuffer UserData;
    BOOLEAN ReturnToLsa;
} SECPKG_APP_MODE_INFO, *PSECPKG_APP_MODE_INFO;

/* ---- Message protection --------------------------------------------------------- */

/* fQOP of EncryptMessage/DecryptMessage */
#define SECQOP_WRAP_NO_ENCRYPT 0x80000001
#define SECQOP_WRAP_OOB_DATA   0x40000000
#ifndef KERB_WRAP_NO_ENCRYPT
#define KERB_WRAP_NO_ENCRYPT 0x80000001
#endif

/* ExportSecurityContext fFlags */
#define SECPKG_CONTEXT_EXPORT_RESET_NEW  0x00000001
#define SECPKG_CONTEXT_EXPORT_DELETE_OLD 0x00000002
#define SECPKG_CONTEXT_EXPORT_TO_KERNEL  0x00000004

typedef enum _SecDelegationType {
    SecFull,
    SecService,
    SecTree,
    SecDirectory,
    SecObject
} SecDelegationType, *PSecDelegationType;

/* ---- Authentication identities (pAuthData of AcquireCredentialsHandle) ---------- */

#ifndef _AUTH_IDENTITY_EX2_DEFINED
#define _AUTH_IDENTITY_EX2_DEFINED
#define SEC_WINNT_AUTH_IDENTITY_VERSION_2 0x201

typedef struct _SEC_WINNT_AUTH_IDENTITY_EX2 {
    ULONG Version;
    USHORT cbHeaderLength;
    ULONG cbStructureLength;
    ULONG UserOffset;
    USHORT UserLength;
    ULONG DomainOffset;
    USHORT DomainLength;
    ULONG PackedCredentialsOffset;
    USHORT PackedCredentialsLength;
    ULONG Flags;
    ULONG PackageListOffset;
    USHORT PackageListLength;
} SEC_WINNT_AUTH_IDENTITY_EX2, *PSEC_WINNT_AUTH_IDENTITY_EX2;
#endif

#ifndef _AUTH_IDENTITY_DEFINED
#define _AUTH_IDENTITY_DEFINED
#define SEC_WINNT_AUTH_IDENTITY_ANSI    0x1
#define SEC_WINNT_AUTH_IDENTITY_UNICODE 0x2

/* Lengths are in characters, without the terminating NUL. */
typedef struct _SEC_WINNT_AUTH_IDENTITY_W {
    USHORT *User;
    ULONG UserLength;
    USHORT *Domain;
    ULONG DomainLength;
    USHORT *Password;
    ULONG PasswordLength;
    ULONG Flags;
} SEC_WINNT_AUTH_IDENTITY_W, *PSEC_WINNT_AUTH_IDENTITY_W;

typedef struct _SEC_WINNT_AUTH_IDENTITY_A {
    UCHAR *User;
    ULONG UserLength;
    UCHAR *Domain;
    ULONG DomainLength;
    UCHAR *Password;
    ULONG PasswordLength;
    ULONG Flags;
} SEC_WINNT_AUTH_IDENTITY_A, *PSEC_WINNT_AUTH_IDENTITY_A;
#endif

#ifndef SEC_WINNT_AUTH_IDENTITY_VERSION
#define SEC_WINNT_AUTH_IDENTITY_VERSION 0x200

typedef struct _SEC_WINNT_AUTH_IDENTITY_EXW {
    ULONG Version;
    ULONG Length;
    USHORT *User;
    ULONG UserLength;
    USHORT *Domain;
    ULONG DomainLength;
    USHORT *Password;
    ULONG PasswordLength;
    ULONG Flags;
    USHORT *PackageList;
    ULONG PackageListLength;
} SEC_WINNT_AUTH_IDENTITY_EXW, *PSEC_WINNT_AUTH_IDENTITY_EXW;

typedef struct _SEC_WINNT_AUTH_IDENTITY_EXA {
    ULONG Version;
    ULONG Length;
    UCHAR *User;
    ULONG UserLength;
    UCHAR *Domain;
    ULONG DomainLength;
    UCHAR *Password;
    ULONG PasswordLength;
    ULONG Flags;
    UCHAR *PackageList;
    ULONG PackageListLength;
} SEC_WINNT_AUTH_IDENTITY_EXA, *PSEC_WINNT_AUTH_IDENTITY_EXA;
#endif

#ifndef _AUTH_IDENTITY_INFO_DEFINED
#define _AUTH_IDENTITY_INFO_DEFINED
typedef union _SEC_WINNT_AUTH_IDENTITY_INFO {
    SEC_WINNT_AUTH_IDENTITY_EXW AuthIdExw;
    SEC_WINNT_AUTH_IDENTITY_EXA AuthIdExa;
    SEC_WINNT_AUTH_IDENTITY_A AuthId_a;
    SEC_WINNT_AUTH_IDENTITY_W AuthId_w;
    SEC_WINNT_AUTH_IDENTITY_EX2 AuthIdEx2;
} SEC_WINNT_AUTH_IDENTITY_INFO, *PSEC_WINNT_AUTH_IDENTITY_INFO;

#define SEC_WINNT_AUTH_IDENTITY_FLAGS_PROCESS_ENCRYPTED 0x10
#define SEC_WINNT_AUTH_IDENTITY_FLAGS_SYSTEM_PROTECTED  0x20
#define SEC_WINNT_AUTH_IDENTITY_FLAGS_USER_PROTECTED    0x40
#define SEC_WINNT_AUTH_IDENTITY_FLAGS_SYSTEM_ENCRYPTED  0x80
#define SEC_WINNT_AUTH_IDENTITY_FLAGS_RESERVED          0x10000
#define SEC_WINNT_AUTH_IDENTITY_FLAGS_NULL_USER         0x20000
#define SEC_WINNT_AUTH_IDENTITY_FLAGS_NULL_DOMAIN       0x40000
#define SEC_WINNT_AUTH_IDENTITY_FLAGS_ID_PROVIDER       0x80000
#define SEC_WINNT_AUTH_IDENTITY_FLAGS_SSPIPFC_USE_MASK             0xff000000
#define SEC_WINNT_AUTH_IDENTITY_FLAGS_SSPIPFC_CREDPROV_DO_NOT_SAVE 0x80000000
#define SEC_WINNT_AUTH_IDENTITY_FLAGS_SSPIPFC_SAVE_CRED_BY_CALLER \
    SEC_WINNT_AUTH_IDENTITY_FLAGS_SSPIPFC_CREDPROV_DO_NOT_SAVE
#define SEC_WINNT_AUTH_IDENTITY_FLAGS_SSPIPFC_SAVE_CRED_CHECKED    0x40000000
#define SEC_WINNT_AUTH_IDENTITY_FLAGS_SSPIPFC_NO_CHECKBOX          0x20000000
#define SEC_WINNT_AUTH_IDENTITY_FLAGS_SSPIPFC_CREDPROV_DO_NOT_LOAD 0x10000000
#define SEC_WINNT_AUTH_IDENTITY_FLAGS_VALID_SSPIPFC_FLAGS \
    (SEC_WINNT_AUTH_IDENTITY_FLAGS_SSPIPFC_CREDPROV_DO_NOT_SAVE | \
     SEC_WINNT_AUTH_IDENTITY_FLAGS_SSPIPFC_SAVE_CRED_CHECKED | \
     SEC_WINNT_AUTH_IDENTITY_FLAGS_SSPIPFC_NO_CHECKBOX | \
     SEC_WINNT_AUTH_IDENTITY_FLAGS_SSPIPFC_CREDPROV_DO_NOT_LOAD)
#endif

#define SEC_WINNT_AUTH_IDENTITY_MARSHALLED 0x4
#define SEC_WINNT_AUTH_IDENTITY_ONLY       0x8

#define SEC_WINNT_AUTH_IDENTITY_ENCRYPT_SAME_LOGON   1
#define SEC_WINNT_AUTH_IDENTITY_ENCRYPT_SAME_PROCESS 2
#define SEC_WINNT_AUTH_IDENTITY_ENCRYPT_FOR_SYSTEM   4

typedef PVOID PSEC_WINNT_AUTH_IDENTITY_OPAQUE;

/* SspiPromptForCredentials dwFlags */
#define SSPIPFC_CREDPROV_DO_NOT_SAVE 0x00000001
#define SSPIPFC_SAVE_CRED_BY_CALLER  SSPIPFC_CREDPROV_DO_NOT_SAVE
#define SSPIPFC_NO_CHECKBOX          0x00000002
#define SSPIPFC_CREDPROV_DO_NOT_LOAD 0x00000004
#define SSPIPFC_USE_CREDUIBROKER     0x00000008
#define SSPIPFC_VALID_FLAGS \
    (SSPIPFC_CREDPROV_DO_NOT_SAVE | SSPIPFC_NO_CHECKBOX | SSPIPFC_CREDPROV_DO_NOT_LOAD | \
     SSPIPFC_USE_CREDUIBROKER)

/* ---- Package options (AddSecurityPackage) ---------------------------------------- */

typedef struct _SECURITY_PACKAGE_OPTIONS {
    ULONG Size;
    ULONG Type;
    ULONG Flags;
    ULONG SignatureSize;
    void *Signature;
} SECURITY_PACKAGE_OPTIONS, *PSECURITY_PACKAGE_OPTIONS;

#define SECPKG_OPTIONS_TYPE_UNKNOWN 0
#define SECPKG_OPTIONS_TYPE_LSA     1
#define SECPKG_OPTIONS_TYPE_SSPI    2
#define SECPKG_OPTIONS_PERMANENT    0x00000001

/* ---- SASL context options ---------------------------------------------------------- */

#define SASL_OPTION_SEND_SIZE        1
#define SASL_OPTION_RECV_SIZE        2
#define SASL_OPTION_AUTHZ_STRING     3
#define SASL_OPTION_AUTHZ_PROCESSING 4

typedef enum _SASL_AUTHZID_STATE {
    Sasl_AuthZIDForbidden,
    Sasl_AuthZIDProcessed
} SASL_AUTHZID_STATE;

/* ---- Function pointer types --------------------------------------------------------- */

typedef void (SEC_ENTRY *SEC_GET_KEY_FN)(void *Arg, void *Principal, ULONG KeyVer, void **Key,
                                         SECURITY_STATUS *Status);

typedef SECURITY_STATUS (SEC_ENTRY *ACQUIRE_CREDENTIALS_HANDLE_FN_W)(
    SEC_WCHAR *, SEC_WCHAR *, ULONG, void *, void *, SEC_GET_KEY_FN, void *, PCredHandle, PTimeStamp);
typedef SECURITY_STATUS (SEC_ENTRY *ACQUIRE_CREDENTIALS_HANDLE_FN_A)(
    SEC_CHAR *, SEC_CHAR *, ULONG, void *, void *, SEC_GET_KEY_FN, void *, PCredHandle, PTimeStamp);
typedef SECURITY_STATUS (SEC_ENTRY *FREE_CREDENTIALS_HANDLE_FN)(PCredHandle);
typedef SECURITY_STATUS (SEC_ENTRY *ADD_CREDENTIALS_FN_W)(
    PCredHandle, SEC_WCHAR *, SEC_WCHAR *, ULONG, void *, SEC_GET_KEY_FN, void *, PTimeStamp);
typedef SECURITY_STATUS (SEC_ENTRY *ADD_CREDENTIALS_FN_A)(
    PCredHandle, SEC_CHAR *, SEC_CHAR *, ULONG, void *, SEC_GET_KEY_FN, void *, PTimeStamp);
typedef SECURITY_STATUS (SEC_ENTRY *INITIALIZE_SECURITY_CONTEXT_FN_W)(
    PCredHandle, PCtxtHandle, SEC_WCHAR *, ULONG, ULONG, ULONG, PSecBufferDesc, ULONG, PCtxtHandle,
    PSecBufferDesc, ULONG *, PTimeStamp);
typedef SECURITY_STATUS (SEC_ENTRY *INITIALIZE_SECURITY_CONTEXT_FN_A)(
    PCredHandle, PCtxtHandle, SEC_CHAR *, ULONG, ULONG, ULONG, PSecBufferDesc, ULONG, PCtxtHandle,
    PSecBufferDesc, ULONG *, PTimeStamp);
typedef SECURITY_STATUS (SEC_ENTRY *ACCEPT_SECURITY_CONTEXT_FN)(
    PCredHandle, PCtxtHandle, PSecBufferDesc, ULONG, ULONG, PCtxtHandle, PSecBufferDesc, ULONG *,
    PTimeStamp);
typedef SECURITY_STATUS (SEC_ENTRY *COMPLETE_AUTH_TOKEN_FN)(PCtxtHandle, PSecBufferDesc);
typedef SECURITY_STATUS (SEC_ENTRY *IMPERSONATE_SECURITY_CONTEXT_FN)(PCtxtHandle);
typedef SECURITY_STATUS (SEC_ENTRY *REVERT_SECURITY_CONTEXT_FN)(PCtxtHandle);
typedef SECURITY_STATUS (SEC_ENTRY *QUERY_SECURITY_CONTEXT_TOKEN_FN)(PCtxtHandle, HANDLE *);
typedef SECURITY_STATUS (SEC_ENTRY *DELETE_SECURITY_CONTEXT_FN)(PCtxtHandle);
typedef SECURITY_STATUS (SEC_ENTRY *APPLY_CONTROL_TOKEN_FN)(PCtxtHandle, PSecBufferDesc);
typedef SECURITY_STATUS (SEC_ENTRY *QUERY_CONTEXT_ATTRIBUTES_FN_W)(PCtxtHandle, ULONG, void *);
typedef SECURITY_STATUS (SEC_ENTRY *QUERY_CONTEXT_ATTRIBUTES_FN_A)(PCtxtHandle, ULONG, void *);
typedef SECURITY_STATUS (SEC_ENTRY *QUERY_CONTEXT_ATTRIBUTES_EX_FN_W)(PCtxtHandle, ULONG, void *, ULONG);
typedef SECURITY_STATUS (SEC_ENTRY *QUERY_CONTEXT_ATTRIBUTES_EX_FN_A)(PCtxtHandle, ULONG, void *, ULONG);
typedef SECURITY_STATUS (SEC_ENTRY *SET_CONTEXT_ATTRIBUTES_FN_W)(PCtxtHandle, ULONG, void *, ULONG);
typedef SECURITY_STATUS (SEC_ENTRY *SET_CONTEXT_ATTRIBUTES_FN_A)(PCtxtHandle, ULONG, void *, ULONG);
typedef SECURITY_STATUS (SEC_ENTRY *QUERY_CREDENTIALS_ATTRIBUTES_FN_W)(PCredHandle, ULONG, void *);
typedef SECURITY_STATUS (SEC_ENTRY *QUERY_CREDENTIALS_ATTRIBUTES_FN_A)(PCredHandle, ULONG, void *);
typedef SECURITY_STATUS (SEC_ENTRY *QUERY_CREDENTIALS_ATTRIBUTES_EX_FN_W)(PCredHandle, ULONG, void *, ULONG);
typedef SECURITY_STATUS (SEC_ENTRY *QUERY_CREDENTIALS_ATTRIBUTES_EX_FN_A)(PCredHandle, ULONG, void *, ULONG);
typedef SECURITY_STATUS (SEC_ENTRY *SET_CREDENTIALS_ATTRIBUTES_FN_W)(PCredHandle, ULONG, void *, ULONG);
typedef SECURITY_STATUS (SEC_ENTRY *SET_CREDENTIALS_ATTRIBUTES_FN_A)(PCredHandle, ULONG, void *, ULONG);
typedef SECURITY_STATUS (SEC_ENTRY *FREE_CONTEXT_BUFFER_FN)(void *);
typedef SECURITY_STATUS (SEC_ENTRY *MAKE_SIGNATURE_FN)(PCtxtHandle, ULONG, PSecBufferDesc, ULONG);
typedef SECURITY_STATUS (SEC_ENTRY *VERIFY_SIGNATURE_FN)(PCtxtHandle, PSecBufferDesc, ULONG, ULONG *);
typedef SECURITY_STATUS (SEC_ENTRY *ENCRYPT_MESSAGE_FN)(PCtxtHandle, ULONG, PSecBufferDesc, ULONG);
typedef SECURITY_STATUS (SEC_ENTRY *DECRYPT_MESSAGE_FN)(PCtxtHandle, PSecBufferDesc, ULONG, ULONG *);
typedef SECURITY_STATUS (SEC_ENTRY *ENUMERATE_SECURITY_PACKAGES_FN_W)(ULONG *, PSecPkgInfoW *);
typedef SECURITY_STATUS (SEC_ENTRY *ENUMERATE_SECURITY_PACKAGES_FN_A)(ULONG *, PSecPkgInfoA *);
typedef SECURITY_STATUS (SEC_ENTRY *QUERY_SECURITY_PACKAGE_INFO_FN_W)(SEC_WCHAR *, PSecPkgInfoW *);
typedef SECURITY_STATUS (SEC_ENTRY *QUERY_SECURITY_PACKAGE_INFO_FN_A)(SEC_CHAR *, PSecPkgInfoA *);
typedef SECURITY_STATUS (SEC_ENTRY *EXPORT_SECURITY_CONTEXT_FN)(PCtxtHandle, ULONG, PSecBuffer, void **);
typedef SECURITY_STATUS (SEC_ENTRY *IMPORT_SECURITY_CONTEXT_FN_W)(SEC_WCHAR *, PSecBuffer, void *, PCtxtHandle);
typedef SECURITY_STATUS (SEC_ENTRY *IMPORT_SECURITY_CONTEXT_FN_A)(SEC_CHAR *, PSecBuffer, void *, PCtxtHandle);
typedef SECURITY_STATUS (SEC_ENTRY *CHANGE_PASSWORD_FN_W)(
    SEC_WCHAR *, SEC_WCHAR *, SEC_WCHAR *, SEC_WCHAR *, SEC_WCHAR *, BOOLEAN, ULONG, PSecBufferDesc);
typedef SECURITY_STATUS (SEC_ENTRY *CHANGE_PASSWORD_FN_A)(
    SEC_CHAR *, SEC_CHAR *, SEC_CHAR *, SEC_CHAR *, SEC_CHAR *, BOOLEAN, ULONG, PSecBufferDesc);

/* ---- Dispatch tables (InitSecurityInterfaceA/W) -------------------------------------- */

#define SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION   1
#define SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION_2 2
#define SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION_3 3
#define SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION_4 4
#define SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION_5 5

/* Members after SetCredentialsAttributes exist from version 3 (ChangeAccountPassword)
 * and version 4 (the Ex queries); dwVersion says which are present. */
typedef struct _SECURITY_FUNCTION_TABLE_W {
    ULONG dwVersion;
    ENUMERATE_SECURITY_PACKAGES_FN_W EnumerateSecurityPackagesW;
    QUERY_CREDENTIALS_ATTRIBUTES_FN_W QueryCredentialsAttributesW;
    ACQUIRE_CREDENTIALS_HANDLE_FN_W AcquireCredentialsHandleW;
    FREE_CREDENTIALS_HANDLE_FN FreeCredentialsHandle;
    void *Reserved2;
    INITIALIZE_SECURITY_CONTEXT_FN_W InitializeSecurityContextW;
    ACCEPT_SECURITY_CONTEXT_FN AcceptSecurityContext;
    COMPLETE_AUTH_TOKEN_FN CompleteAuthToken;
    DELETE_SECURITY_CONTEXT_FN DeleteSecurityContext;
    APPLY_CONTROL_TOKEN_FN ApplyControlToken;
    QUERY_CONTEXT_ATTRIBUTES_FN_W QueryContextAttributesW;
    IMPERSONATE_SECURITY_CONTEXT_FN ImpersonateSecurityContext;
    REVERT_SECURITY_CONTEXT_FN RevertSecurityContext;
    MAKE_SIGNATURE_FN MakeSignature;
    VERIFY_SIGNATURE_FN VerifySignature;
    FREE_CONTEXT_BUFFER_FN FreeContextBuffer;
    QUERY_SECURITY_PACKAGE_INFO_FN_W QuerySecurityPackageInfoW;
    void *Reserved3;
    void *Reserved4;
    EXPORT_SECURITY_CONTEXT_FN ExportSecurityContext;
    IMPORT_SECURITY_CONTEXT_FN_W ImportSecurityContextW;
    ADD_CREDENTIALS_FN_W AddCredentialsW;
    void *Reserved8;
    QUERY_SECURITY_CONTEXT_TOKEN_FN QuerySecurityContextToken;
    ENCRYPT_MESSAGE_FN EncryptMessage;
    DECRYPT_MESSAGE_FN DecryptMessage;
    SET_CONTEXT_ATTRIBUTES_FN_W SetContextAttributesW;
    SET_CREDENTIALS_ATTRIBUTES_FN_W SetCredentialsAttributesW;
    CHANGE_PASSWORD_FN_W ChangeAccountPasswordW;
    QUERY_CONTEXT_ATTRIBUTES_EX_FN_W QueryContextAttributesExW;
    QUERY_CREDENTIALS_ATTRIBUTES_EX_FN_W QueryCredentialsAttributesExW;
} SecurityFunctionTableW, *PSecurityFunctionTableW;

/* Windows spells the A table's member FreeCredentialHandle; the macro below makes
 * both spellings name the same member. */
typedef struct _SECURITY_FUNCTION_TABLE_A {
    ULONG dwVersion;
    ENUMERATE_SECURITY_PACKAGES_FN_A EnumerateSecurityPackagesA;
    QUERY_CREDENTIALS_ATTRIBUTES_FN_A QueryCredentialsAttributesA;
    ACQUIRE_CREDENTIALS_HANDLE_FN_A AcquireCredentialsHandleA;
    FREE_CREDENTIALS_HANDLE_FN FreeCredentialsHandle;
    void *Reserved2;
    INITIALIZE_SECURITY_CONTEXT_FN_A InitializeSecurityContextA;
    ACCEPT_SECURITY_CONTEXT_FN AcceptSecurityContext;
    COMPLETE_AUTH_TOKEN_FN CompleteAuthToken;
    DELETE_SECURITY_CONTEXT_FN DeleteSecurityContext;
    APPLY_CONTROL_TOKEN_FN ApplyControlToken;
    QUERY_CONTEXT_ATTRIBUTES_FN_A QueryContextAttributesA;
    IMPERSONATE_SECURITY_CONTEXT_FN ImpersonateSecurityContext;
    REVERT_SECURITY_CONTEXT_FN RevertSecurityContext;
    MAKE_SIGNATURE_FN MakeSignature;
    VERIFY_SIGNATURE_FN VerifySignature;
    FREE_CONTEXT_BUFFER_FN FreeContextBuffer;
    QUERY_SECURITY_PACKAGE_INFO_FN_A QuerySecurityPackageInfoA;
    void *Reserved3;
    void *Reserved4;
    EXPORT_SECURITY_CONTEXT_FN ExportSecurityContext;
    IMPORT_SECURITY_CONTEXT_FN_A ImportSecurityContextA;
    ADD_CREDENTIALS_FN_A AddCredentialsA;
    void *Reserved8;
    QUERY_SECURITY_CONTEXT_TOKEN_FN QuerySecurityContextToken;
    ENCRYPT_MESSAGE_FN EncryptMessage;
    DECRYPT_MESSAGE_FN DecryptMessage;
    SET_CONTEXT_ATTRIBUTES_FN_A SetContextAttributesA;
    SET_CREDENTIALS_ATTRIBUTES_FN_A SetCredentialsAttributesA;
    CHANGE_PASSWORD_FN_A ChangeAccountPasswordA;
    QUERY_CONTEXT_ATTRIBUTES_EX_FN_A QueryContextAttributesExA;
    QUERY_CREDENTIALS_ATTRIBUTES_EX_FN_A QueryCredentialsAttributesExA;
} SecurityFunctionTableA, *PSecurityFunctionTableA;

#define FreeCredentialHandle FreeCredentialsHandle

typedef PSecurityFunctionTableA (SEC_ENTRY *INIT_SECURITY_INTERFACE_A)(void);
typedef PSecurityFunctionTableW (SEC_ENTRY *INIT_SECURITY_INTERFACE_W)(void);

/* Symbol names of the table entry points; pass the _ANSI forms to dlsym(). As on
 * Windows, SECURITY_ENTRYPOINTA/W are TEXT() strings, wide when UNICODE is set. */
#define SECURITY_ENTRYPOINT_ANSIW "InitSecurityInterfaceW"
#define SECURITY_ENTRYPOINT_ANSIA "InitSecurityInterfaceA"
#define SECURITY_ENTRYPOINTW      SEC_TEXT("InitSecurityInterfaceW")
#define SECURITY_ENTRYPOINTA      SEC_TEXT("InitSecurityInterfaceA")
#define SECURITY_ENTRYPOINT16     "INITSECURITYINTERFACEA"

/* ---- Exported functions --------------------------------------------------------------- */

SSPI_API SECURITY_STATUS SEC_ENTRY AcquireCredentialsHandleW(
    SEC_WCHAR *pszPrincipal, SEC_WCHAR *pszPackage, ULONG fCredentialUse, void *pvLogonId,
    void *pAuthData, SEC_GET_KEY_FN pGetKeyFn, void *pvGetKeyArgument, PCredHandle phCredential,
    PTimeStamp ptsExpiry);
SSPI_API SECURITY_STATUS SEC_ENTRY AcquireCredentialsHandleA(
    SEC_CHAR *pszPrincipal, SEC_CHAR *pszPackage, ULONG fCredentialUse, void *pvLogonId,
    void *pAuthData, SEC_GET_KEY_FN pGetKeyFn, void *pvGetKeyArgument, PCredHandle phCredential,
    PTimeStamp ptsExpiry);
SSPI_API SECURITY_STATUS SEC_ENTRY FreeCredentialsHandle(PCredHandle phCredential);
SSPI_API SECURITY_STATUS SEC_ENTRY AddCredentialsW(
    PCredHandle hCredentials, SEC_WCHAR *pszPrincipal, SEC_WCHAR *pszPackage, ULONG fCredentialUse,
    void *pAuthData, SEC_GET_KEY_FN pGetKeyFn, void *pvGetKeyArgument, PTimeStamp ptsExpiry);
SSPI_API SECURITY_STATUS SEC_ENTRY AddCredentialsA(
    PCredHandle hCredentials, SEC_CHAR *pszPrincipal, SEC_CHAR *pszPackage, ULONG fCredentialUse,
    void *pAuthData, SEC_GET_KEY_FN pGetKeyFn, void *pvGetKeyArgument, PTimeStamp ptsExpiry);

SSPI_API SECURITY_STATUS SEC_ENTRY InitializeSecurityContextW(
    PCredHandle phCredential, PCtxtHandle phContext, SEC_WCHAR *pszTargetName, ULONG fContextReq,
    ULONG Reserved1, ULONG TargetDataRep, PSecBufferDesc pInput, ULONG Reserved2,
    PCtxtHandle phNewContext, PSecBufferDesc pOutput, ULONG *pfContextAttr, PTimeStamp ptsExpiry);
SSPI_API SECURITY_STATUS SEC_ENTRY InitializeSecurityContextA(
    PCredHandle phCredential, PCtxtHandle phContext, SEC_CHAR *pszTargetName, ULONG fContextReq,
    ULONG Reserved1, ULONG TargetDataRep, PSecBufferDesc pInput, ULONG Reserved2,
    PCtxtHandle phNewContext, PSecBufferDesc pOutput, ULONG *pfContextAttr, PTimeStamp ptsExpiry);
SSPI_API SECURITY_STATUS SEC_ENTRY AcceptSecurityContext(
    PCredHandle phCredential, PCtxtHandle phContext, PSecBufferDesc pInput, ULONG fContextReq,
    ULONG TargetDataRep, PCtxtHandle phNewContext, PSecBufferDesc pOutput, ULONG *pfContextAttr,
    PTimeStamp ptsExpiry);
SSPI_API SECURITY_STATUS SEC_ENTRY CompleteAuthToken(PCtxtHandle phContext, PSecBufferDesc pToken);
SSPI_API SECURITY_STATUS SEC_ENTRY ImpersonateSecurityContext(PCtxtHandle phContext);
SSPI_API SECURITY_STATUS SEC_ENTRY RevertSecurityContext(PCtxtHandle phContext);
SSPI_API SECURITY_STATUS SEC_ENTRY QuerySecurityContextToken(PCtxtHandle phContext, HANDLE *Token);
SSPI_API SECURITY_STATUS SEC_ENTRY DeleteSecurityContext(PCtxtHandle phContext);
SSPI_API SECURITY_STATUS SEC_ENTRY ApplyControlToken(PCtxtHandle phContext, PSecBufferDesc pInput);

SSPI_API SECURITY_STATUS SEC_ENTRY QueryContextAttributesW(PCtxtHandle phContext, ULONG ulAttribute,
                                                           void *pBuffer);
SSPI_API SECURITY_STATUS SEC_ENTRY QueryContextAttributesA(PCtxtHandle phContext, ULONG ulAttribute,
                                                           void *pBuffer);
SSPI_API SECURITY_STATUS SEC_ENTRY QueryContextAttributesExW(PCtxtHandle phContext, ULONG ulAttribute,
                                                             void *pBuffer, ULONG cbBuffer);
SSPI_API SECURITY_STATUS SEC_ENTRY QueryContextAttributesExA(PCtxtHandle phContext, ULONG ulAttribute,
                                                             void *pBuffer, ULONG cbBuffer);
SSPI_API SECURITY_STATUS SEC_ENTRY SetContextAttributesW(PCtxtHandle phContext, ULONG ulAttribute,
                                                         void *pBuffer, ULONG cbBuffer);
SSPI_API SECURITY_STATUS SEC_ENTRY SetContextAttributesA(PCtxtHandle phContext, ULONG ulAttribute,
                                                         void *pBuffer, ULONG cbBuffer);
SSPI_API SECURITY_STATUS SEC_ENTRY QueryCredentialsAttributesW(PCredHandle phCredential,
                                                               ULONG ulAttribute, void *pBuffer);
SSPI_API SECURITY_STATUS SEC_ENTRY QueryCredentialsAttributesA(PCredHandle phCredential,
                                                               ULONG ulAttribute, void *pBuffer);
SSPI_API SECURITY_STATUS SEC_ENTRY QueryCredentialsAttributesExW(PCredHandle phCredential,
                                                                 ULONG ulAttribute, void *pBuffer,
                                                                 ULONG cbBuffer);
SSPI_API SECURITY_STATUS SEC_ENTRY QueryCredentialsAttributesExA(PCredHandle phCredential,
                                                                 ULONG ulAttribute, void *pBuffer,
                                                                 ULONG cbBuffer);
SSPI_API SECURITY_STATUS SEC_ENTRY SetCredentialsAttributesW(PCredHandle phCredential,
                                                             ULONG ulAttribute, void *pBuffer,
                                                             ULONG cbBuffer);
SSPI_API SECURITY_STATUS SEC_ENTRY SetCredentialsAttributesA(PCredHandle phCredential,
                                                             ULONG ulAttribute, void *pBuffer,
                                                             ULONG cbBuffer);

SSPI_API SECURITY_STATUS SEC_ENTRY FreeContextBuffer(void *pvContextBuffer);

SSPI_API SECURITY_STATUS SEC_ENTRY MakeSignature(PCtxtHandle phContext, ULONG fQOP,
                                                 PSecBufferDesc pMessage, ULONG MessageSeqNo);
SSPI_API SECURITY_STATUS SEC_ENTRY VerifySignature(PCtxtHandle phContext, PSecBufferDesc pMessage,
                                                   ULONG MessageSeqNo, ULONG *pfQOP);
SSPI_API SECURITY_STATUS SEC_ENTRY EncryptMessage(PCtxtHandle phContext, ULONG fQOP,
                                                  PSecBufferDesc pMessage, ULONG MessageSeqNo);
SSPI_API SECURITY_STATUS SEC_ENTRY DecryptMessage(PCtxtHandle phContext, PSecBufferDesc pMessage,
                                                  ULONG MessageSeqNo, ULONG *pfQOP);

SSPI_API SECURITY_STATUS SEC_ENTRY EnumerateSecurityPackagesW(ULONG *pcPackages,
                                                              PSecPkgInfoW *ppPackageInfo);
SSPI_API SECURITY_STATUS SEC_ENTRY EnumerateSecurityPackagesA(ULONG *pcPackages,
                                                              PSecPkgInfoA *ppPackageInfo);
SSPI_API SECURITY_STATUS SEC_ENTRY QuerySecurityPackageInfoW(SEC_WCHAR *pszPackageName,
                                                             PSecPkgInfoW *ppPackageInfo);
SSPI_API SECURITY_STATUS SEC_ENTRY QuerySecurityPackageInfoA(SEC_CHAR *pszPackageName,
                                                             PSecPkgInfoA *ppPackageInfo);

SSPI_API SECURITY_STATUS SEC_ENTRY ExportSecurityContext(PCtxtHandle phContext, ULONG fFlags,
                                                         PSecBuffer pPackedContext, void **pToken);
SSPI_API SECURITY_STATUS SEC_ENTRY ImportSecurityContextW(SEC_WCHAR *pszPackage,
                                                          PSecBuffer pPackedContext, void *Token,
                                                          PCtxtHandle phContext);
SSPI_API SECURITY_STATUS SEC_ENTRY ImportSecurityContextA(SEC_CHAR *pszPackage,
                                                          PSecBuffer pPackedContext, void *Token,
                                                          PCtxtHandle phContext);

SSPI_API SECURITY_STATUS SEC_ENTRY ChangeAccountPasswordW(
    SEC_WCHAR *pszPackageName, SEC_WCHAR *pszDomainName, SEC_WCHAR *pszAccountName,
    SEC_WCHAR *pszOldPassword, SEC_WCHAR *pszNewPassword, BOOLEAN bImpersonating, ULONG dwReserved,
    PSecBufferDesc pOutput);
SSPI_API SECURITY_STATUS SEC_ENTRY ChangeAccountPasswordA(
    SEC_CHAR *pszPackageName, SEC_CHAR *pszDomainName, SEC_CHAR *pszAccountName,
    SEC_CHAR *pszOldPassword, SEC_CHAR *pszNewPassword, BOOLEAN bImpersonating, ULONG dwReserved,
    PSecBufferDesc pOutput);

SSPI_API PSecurityFunctionTableA SEC_ENTRY InitSecurityInterfaceA(void);
SSPI_API PSecurityFunctionTableW SEC_ENTRY InitSecurityInterfaceW(void);

/* ---- Generic names: W with UNICODE defined, A otherwise ------------------------------ */

#ifdef UNICODE
#define SecPkgInfo                         SecPkgInfoW
#define PSecPkgInfo                        PSecPkgInfoW
#define SecPkgCredentials_Names            SecPkgCredentials_NamesW
#define PSecPkgCredentials_Names           PSecPkgCredentials_NamesW
#define SecPkgCredentials_SSIProvider      SecPkgCredentials_SSIProviderW
#define PSecPkgCredentials_SSIProvider     PSecPkgCredentials_SSIProviderW
#define SecPkgContext_Names                SecPkgContext_NamesW
#define PSecPkgContext_Names               PSecPkgContext_NamesW
#define SecPkgContext_KeyInfo              SecPkgContext_KeyInfoW
#define PSecPkgContext_KeyInfo             PSecPkgContext_KeyInfoW
#define SecPkgContext_Authority            SecPkgContext_AuthorityW
#define PSecPkgContext_Authority           PSecPkgContext_AuthorityW
#define SecPkgContext_ProtoInfo            SecPkgContext_ProtoInfoW
#define PSecPkgContext_ProtoInfo           PSecPkgContext_ProtoInfoW
#define SecPkgContext_PackageInfo          SecPkgContext_PackageInfoW
#define PSecPkgContext_PackageInfo         PSecPkgContext_PackageInfoW
#define SecPkgContext_NegotiationInfo      SecPkgContext_NegotiationInfoW
#define PSecPkgContext_NegotiationInfo     PSecPkgContext_NegotiationInfoW
#define SecPkgContext_NativeNames          SecPkgContext_NativeNamesW
#define PSecPkgContext_NativeNames         PSecPkgContext_NativeNamesW
#define SecPkgContext_CredentialName       SecPkgContext_CredentialNameW
#define PSecPkgContext_CredentialName      PSecPkgContext_CredentialNameW
#define SEC_WINNT_AUTH_IDENTITY            SEC_WINNT_AUTH_IDENTITY_W
#define PSEC_WINNT_AUTH_IDENTITY           PSEC_WINNT_AUTH_IDENTITY_W
#define _SEC_WINNT_AUTH_IDENTITY           _SEC_WINNT_AUTH_IDENTITY_W
#define SEC_WINNT_AUTH_IDENTITY_EX         SEC_WINNT_AUTH_IDENTITY_EXW
#define PSEC_WINNT_AUTH_IDENTITY_EX        PSEC_WINNT_AUTH_IDENTITY_EXW
#define AcquireCredentialsHandle           AcquireCredentialsHandleW
#define ACQUIRE_CREDENTIALS_HANDLE_FN      ACQUIRE_CREDENTIALS_HANDLE_FN_W
#define AddCredentials                     AddCredentialsW
#define ADD_CREDENTIALS_FN                 ADD_CREDENTIALS_FN_W
#define InitializeSecurityContext          InitializeSecurityContextW
#define INITIALIZE_SECURITY_CONTEXT_FN     INITIALIZE_SECURITY_CONTEXT_FN_W
#define QueryContextAttributes             QueryContextAttributesW
#define QUERY_CONTEXT_ATTRIBUTES_FN        QUERY_CONTEXT_ATTRIBUTES_FN_W
#define QueryContextAttributesEx           QueryContextAttributesExW
#define QUERY_CONTEXT_ATTRIBUTES_EX_FN     QUERY_CONTEXT_ATTRIBUTES_EX_FN_W
#define SetContextAttributes               SetContextAttributesW
#define SET_CONTEXT_ATTRIBUTES_FN          SET_CONTEXT_ATTRIBUTES_FN_W
#define QueryCredentialsAttributes         QueryCredentialsAttributesW
#define QUERY_CREDENTIALS_ATTRIBUTES_FN    QUERY_CREDENTIALS_ATTRIBUTES_FN_W
#define QueryCredentialsAttributesEx       QueryCredentialsAttributesExW
#define QUERY_CREDENTIALS_ATTRIBUTES_EX_FN QUERY_CREDENTIALS_ATTRIBUTES_EX_FN_W
#define SetCredentialsAttributes           SetCredentialsAttributesW
#define SET_CREDENTIALS_ATTRIBUTES_FN      SET_CREDENTIALS_ATTRIBUTES_FN_W
#define EnumerateSecurityPackages          EnumerateSecurityPackagesW
#define ENUMERATE_SECURITY_PACKAGES_FN     ENUMERATE_SECURITY_PACKAGES_FN_W
#define QuerySecurityPackageInfo           QuerySecurityPackageInfoW
#define QUERY_SECURITY_PACKAGE_INFO_FN     QUERY_SECURITY_PACKAGE_INFO_FN_W
#define ImportSecurityContext              ImportSecurityContextW
#define IMPORT_SECURITY_CONTEXT_FN         IMPORT_SECURITY_CONTEXT_FN_W
#define ChangeAccountPassword              ChangeAccountPasswordW
#define CHANGE_PASSWORD_FN                 CHANGE_PASSWORD_FN_W
#define SecurityFunctionTable              SecurityFunctionTableW
#define PSecurityFunctionTable             PSecurityFunctionTableW
#define InitSecurityInterface              InitSecurityInterfaceW
#define INIT_SECURITY_INTERFACE            INIT_SECURITY_INTERFACE_W
#define SECURITY_ENTRYPOINT                SECURITY_ENTRYPOINTW
#define SECURITY_ENTRYPOINT_ANSI           SECURITY_ENTRYPOINT_ANSIW
#else
#define SecPkgInfo                         SecPkgInfoA
#define PSecPkgInfo                        PSecPkgInfoA
#define SecPkgCredentials_Names            SecPkgCredentials_NamesA
#define PSecPkgCredentials_Names           PSecPkgCredentials_NamesA
#define SecPkgCredentials_SSIProvider      SecPkgCredentials_SSIProviderA
#define PSecPkgCredentials_SSIProvider     PSecPkgCredentials_SSIProviderA
#define SecPkgContext_Names                SecPkgContext_NamesA
#define PSecPkgContext_Names               PSecPkgContext_NamesA
#define SecPkgContext_KeyInfo              SecPkgContext_KeyInfoA
#define PSecPkgContext_KeyInfo             PSecPkgContext_KeyInfoA
#define SecPkgContext_Authority            SecPkgContext_AuthorityA
#define PSecPkgContext_Authority           PSecPkgContext_AuthorityA
#define SecPkgContext_ProtoInfo            SecPkgContext_ProtoInfoA
#define PSecPkgContext_ProtoInfo           PSecPkgContext_ProtoInfoA
#define SecPkgContext_PackageInfo          SecPkgContext_PackageInfoA
#define PSecPkgContext_PackageInfo         PSecPkgContext_PackageInfoA
#define SecPkgContext_NegotiationInfo      SecPkgContext_NegotiationInfoA
#define PSecPkgContext_NegotiationInfo     PSecPkgContext_NegotiationInfoA
#define SecPkgContext_NativeNames          SecPkgContext_NativeNamesA
#define PSecPkgContext_NativeNames         PSecPkgContext_NativeNamesA
#define SecPkgContext_CredentialName       SecPkgContext_CredentialNameA
#define PSecPkgContext_CredentialName      PSecPkgContext_CredentialNameA
#define SEC_WINNT_AUTH_IDENTITY            SEC_WINNT_AUTH_IDENTITY_A
#define PSEC_WINNT_AUTH_IDENTITY           PSEC_WINNT_AUTH_IDENTITY_A
#define _SEC_WINNT_AUTH_IDENTITY           _SEC_WINNT_AUTH_IDENTITY_A
#define SEC_WINNT_AUTH_IDENTITY_EX         SEC_WINNT_AUTH_IDENTITY_EXA
#define PSEC_WINNT_AUTH_IDENTITY_EX        PSEC_WINNT_AUTH_IDENTITY_EXA
#define AcquireCredentialsHandle           AcquireCredentialsHandleA
#define ACQUIRE_CREDENTIALS_HANDLE_FN      ACQUIRE_CREDENTIALS_HANDLE_FN_A
#define AddCredentials                     AddCredentialsA
#define ADD_CREDENTIALS_FN                 ADD_CREDENTIALS_FN_A
#define InitializeSecurityContext          InitializeSecurityContextA
#define INITIALIZE_SECURITY_CONTEXT_FN     INITIALIZE_SECURITY_CONTEXT_FN_A
#define QueryContextAttributes             QueryContextAttributesA
#define QUERY_CONTEXT_ATTRIBUTES_FN        QUERY_CONTEXT_ATTRIBUTES_FN_A
#define QueryContextAttributesEx           QueryContextAttributesExA
#define QUERY_CONTEXT_ATTRIBUTES_EX_FN     QUERY_CONTEXT_ATTRIBUTES_EX_FN_A
#define SetContextAttributes               SetContextAttributesA
#define SET_CONTEXT_ATTRIBUTES_FN          SET_CONTEXT_ATTRIBUTES_FN_A
#define QueryCredentialsAttributes         QueryCredentialsAttributesA
#define QUERY_CREDENTIALS_ATTRIBUTES_FN    QUERY_CREDENTIALS_ATTRIBUTES_FN_A
#define QueryCredentialsAttributesEx       QueryCredentialsAttributesExA
#define QUERY_CREDENTIALS_ATTRIBUTES_EX_FN QUERY_CREDENTIALS_ATTRIBUTES_EX_FN_A
#define SetCredentialsAttributes           SetCredentialsAttributesA
#define SET_CREDENTIALS_ATTRIBUTES_FN      SET_CREDENTIALS_ATTRIBUTES_FN_A
#define EnumerateSecurityPackages          EnumerateSecurityPackagesA
#define ENUMERATE_SECURITY_PACKAGES_FN     ENUMERATE_SECURITY_PACKAGES_FN_A
#define QuerySecurityPackageInfo           QuerySecurityPackageInfoA
#define QUERY_SECURITY_PACKAGE_INFO_FN     QUERY_SECURITY_PACKAGE_INFO_FN_A
#define ImportSecurityContext              ImportSecurityContextA
#define IMPORT_SECURITY_CONTEXT_FN         IMPORT_SECURITY_CONTEXT_FN_A
#define ChangeAccountPassword              ChangeAccountPasswordA
#define CHANGE_PASSWORD_FN                 CHANGE_PASSWORD_FN_A
#define SecurityFunctionTable              SecurityFunctionTableA
#define PSecurityFunctionTable             PSecurityFunctionTableA
#define InitSecurityInterface              InitSecurityInterfaceA
#define INIT_SECURITY_INTERFACE            INIT_SECURITY_INTERFACE_A
#define SECURITY_ENTRYPOINT                SECURITY_ENTRYPOINTA
#define SECURITY_ENTRYPOINT_ANSI           SECURITY_ENTRYPOINT_ANSIA
#endif

#ifdef __cplusplus
}
#endif

#endif /* OPENSSPI_SSPI_H */
