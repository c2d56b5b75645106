/* src/core/handles.h - the credential and context handle table
 * A SecHandle is (slot + 1, generation ^ salt); lookups are lock-free (an atomic
 * generation check), creation and release take one mutex. A forged, stale or
 * double-freed handle is rejected with SEC_E_INVALID_HANDLE, never dereferenced. */
#ifndef OPENSSPI_HANDLES_H
#define OPENSSPI_HANDLES_H

#include "core/package.h"

#include <stdatomic.h>

enum handle_kind { HANDLE_CRED = 1, HANDLE_CTX = 2 };

/* struct sspi_cred - what a CredHandle names. Reference-counted: each context
 * made from it holds a reference, so FreeCredentialsHandle may come first. */
struct sspi_cred {
    const struct sspi_package *pkg;
    void *pkg_cred;
    uint32_t use;
    atomic_int refs;
};

/* struct sspi_ctx - what a CtxtHandle names. */
struct sspi_ctx {
    const struct sspi_package *pkg;
    void *pkg_ctx;
    struct sspi_cred *cred; /* counted reference, may be NULL */
    bool server;
};

/* handle_new - register obj under a new handle; false when the table is full
 * or memory is short. */
bool handle_new(enum handle_kind kind, void *obj, SecHandle *h);
/* handle_get - the object a live handle of that kind names, or NULL. */
void *handle_get(const SecHandle *h, enum handle_kind kind);
/* handle_release - invalidate the handle and return its object (NULL when the
 * handle was not live: forged, stale, already released or of another kind). */
void *handle_release(const SecHandle *h, enum handle_kind kind);

void cred_unref(struct sspi_cred *c);

#endif
