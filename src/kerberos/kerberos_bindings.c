/* src/kerberos/kerberos_bindings.c - SEC_CHANNEL_BINDINGS parser (see
 * kerberos_bindings.h). Layout (sspi.h), all ULONG in host byte order:
 *    0 dwInitiatorAddrType      4 cbInitiatorLength     8 dwInitiatorOffset
 *   12 dwAcceptorAddrType      16 cbAcceptorLength     20 dwAcceptorOffset
 *   24 cbApplicationDataLength 28 dwApplicationDataOffset
 * then the bytes the offsets name (offsets count from byte 0). */
#define SECURITY_WIN32
#include "kerberos/kerberos_bindings.h"

#include "core/bytes.h"

#include <sspi.h>
#include <string.h>

static bool field(const struct rd *all, ULONG off, ULONG len, gss_buffer_desc *out)
{
    struct rd v;
    if (!rd_slice(all, off, len, &v))
        return false;
    out->length = v.len;
    out->value = (void *)v.p;
    return true;
}

bool krb_parse_bindings(const void *buf, size_t len, struct gss_channel_bindings_struct *out)
{
    SEC_CHANNEL_BINDINGS h;
    if (!buf || len < sizeof(h))
        return false;
    memcpy(&h, buf, sizeof(h));
    struct rd all = rd_init(buf, len);
    struct gss_channel_bindings_struct cb;
    memset(&cb, 0, sizeof(cb));
    cb.initiator_addrtype = h.dwInitiatorAddrType;
    cb.acceptor_addrtype = h.dwAcceptorAddrType;
    if (!field(&all, h.dwInitiatorOffset, h.cbInitiatorLength, &cb.initiator_address)
        || !field(&all, h.dwAcceptorOffset, h.cbAcceptorLength, &cb.acceptor_address)
        || !field(&all, h.dwApplicationDataOffset, h.cbApplicationDataLength, &cb.application_data))
        return false;
    *out = cb;
    return true;
}
