/* src/negotiate/spnego_token.h - SPNEGO tokens (RFC 4178, MS-SPNG 2.2) and the
 * GSS-API token framing (RFC 2743 3.1): bytes <-> structs, no state.
 * Parsed fields are views aliasing the input token; nothing is allocated. */
#ifndef OPENSSPI_SPNEGO_TOKEN_H
#define OPENSSPI_SPNEGO_TOKEN_H

#include "core/bytes.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* OBJECT IDENTIFIER contents bytes */
extern const uint8_t spnego_oid_spnego[6];  /* 1.3.6.1.5.5.2 */
extern const uint8_t spnego_oid_ms_krb5[9]; /* 1.2.840.48018.1.2.2 (Windows' "MS KRB5") */
extern const uint8_t spnego_oid_krb5[9];    /* 1.2.840.113554.1.2.2 (RFC 1964) */
extern const uint8_t spnego_oid_ntlm[10];   /* 1.3.6.1.4.1.311.2.2.10 */
extern const uint8_t spnego_oid_negoex[10]; /* 1.3.6.1.4.1.311.2.2.30 (not supported) */

#define SPNEGO_MAX_MECHS 32
#define SPNEGO_MAX_TOKEN (256u * 1024) /* input tokens larger than this are refused */
/* the hint name Windows servers put in NegTokenInit2 (MS-SPNG 3.2.5.2) */
#define SPNEGO_HINT_NAME "not_defined_in_RFC4178@please_ignore"

/* negState (RFC 4178 4.2.2) */
enum spnego_neg_state {
    SPNEGO_ACCEPT_COMPLETED = 0,
    SPNEGO_ACCEPT_INCOMPLETE = 1,
    SPNEGO_REJECT = 2,
    SPNEGO_REQUEST_MIC = 3,
};

/* ContextFlags bits (RFC 4178 4.2.1), as bit numbers in the BIT STRING */
enum {
    SPNEGO_FLAG_DELEG = 1u << 0,
    SPNEGO_FLAG_MUTUAL = 1u << 1,
    SPNEGO_FLAG_REPLAY = 1u << 2,
    SPNEGO_FLAG_SEQUENCE = 1u << 3,
    SPNEGO_FLAG_ANON = 1u << 4,
    SPNEGO_FLAG_CONF = 1u << 5,
    SPNEGO_FLAG_INTEG = 1u << 6,
};

/* struct spnego_init - NegTokenInit (RFC 4178 4.2.1) or NegTokenInit2 (MS-SPNG
 * 2.2.1, the server-initiated form with negHints):
 *
 *   InitialContextToken ::= [APPLICATION 0] IMPLICIT SEQUENCE {
 *       thisMech OBJECT IDENTIFIER (1.3.6.1.5.5.2), innerContextToken }
 *   innerContextToken = NegotiationToken ::= CHOICE { negTokenInit [0], negTokenResp [1] }
 *   NegTokenInit  ::= SEQUENCE { mechTypes [0] MechTypeList, reqFlags [1] ContextFlags OPTIONAL,
 *                                mechToken [2] OCTET STRING OPTIONAL,
 *                                mechListMIC [3] OCTET STRING OPTIONAL }
 *   NegTokenInit2 ::= SEQUENCE { mechTypes [0] MechTypeList OPTIONAL, reqFlags [1] OPTIONAL,
 *                                mechToken [2] OPTIONAL, negHints [3] NegHints OPTIONAL,
 *                                mechListMIC [4] OCTET STRING OPTIONAL }
 *   NegHints ::= SEQUENCE { hintName [0] GeneralString OPTIONAL,
 *                           hintAddress [1] OCTET STRING OPTIONAL }
 *   MechTypeList ::= SEQUENCE OF OBJECT IDENTIFIER
 *
 * mech_types is the whole DER encoding of the MechTypeList (tag included: the
 * bytes a mechListMIC covers, RFC 4178 5), mechs[] its OIDs' contents. */
struct spnego_init {
    struct rd mech_types;
    struct rd mechs[SPNEGO_MAX_MECHS];
    size_t nmechs;
    bool has_req_flags;
    uint32_t req_flags; /* SPNEGO_FLAG_* */
    bool has_mech_token;
    struct rd mech_token;
    bool has_hints; /* NegTokenInit2 */
    bool has_hint_name, has_hint_address;
    struct rd hint_name, hint_address;
    bool has_mic;
    struct rd mic;
};

/* struct spnego_resp - NegTokenResp (RFC 4178 4.2.2):
 *   NegTokenResp ::= SEQUENCE { negState [0] ENUMERATED OPTIONAL,
 *       supportedMech [1] MechType OPTIONAL, responseToken [2] OCTET STRING OPTIONAL,
 *       mechListMIC [3] OCTET STRING OPTIONAL }
 * sent bare (tag [1]), without the GSS-API framing. */
struct spnego_resp {
    bool has_state;
    uint32_t state; /* enum spnego_neg_state */
    bool has_mech;
    struct rd mech;
    bool has_token;
    struct rd token;
    bool has_mic;
    struct rd mic;
};

/* spnego_gss_header - split a GSS-API InitialContextToken (0x60, length, thisMech
 * OID, inner token) into the mechanism OID's contents and the inner token (the
 * rest of the element, whatever it is). False when tok is not exactly one such
 * element in strict DER. */
bool spnego_gss_header(struct rd tok, struct rd *mech, struct rd *inner);

/* spnego_parse_init - an InitialContextToken holding a NegTokenInit or
 * NegTokenInit2. Every field must be well formed, in order, with nothing
 * trailing; reqFlags bits above 31 are ignored. A MechTypeList of more than
 * SPNEGO_MAX_MECHS entries is refused; NegTokenInit (not Init2) must have a
 * non-empty one. On failure *out is untouched. */
bool spnego_parse_init(struct rd tok, struct spnego_init *out);

/* spnego_parse_resp - a bare NegTokenResp (tag [1]); negState must be 0-3.
 * On failure *out is untouched. */
bool spnego_parse_resp(struct rd tok, struct spnego_resp *out);

/* spnego_build_mech_list - append the DER MechTypeList of the n OIDs (contents
 * bytes) to w: what NegTokenInit carries and the mechListMIC signs. */
bool spnego_build_mech_list(struct wr *w, const struct rd *mechs, size_t n);

/* spnego_build_init - append the InitialContextToken for m. m->mech_types must
 * hold a DER MechTypeList (copied verbatim; mechs[] is not used) unless it is
 * empty in a NegTokenInit2 (has_hints). Fields are written when their has_*
 * flag is set; reqFlags in the shortest BIT STRING form. */
bool spnego_build_init(struct wr *w, const struct spnego_init *m);

/* spnego_build_resp - append the NegTokenResp for m. */
bool spnego_build_resp(struct wr *w, const struct spnego_resp *m);

#endif
