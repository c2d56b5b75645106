/* src/core/handles.c - credential and context handles (see handles.h)
 * Slots live in fixed-size chunks that are never freed, so a lookup needs no
 * lock: it checks the slot's atomic (generation, kind) word against the handle.
 * The free list and chunk allocation are guarded by one mutex. */
#include "core/handles.h"

#include <openssl/rand.h>
#include <pthread.h>
#include <stdlib.h>

#define CHUNK_SLOTS 256u
#define MAX_CHUNKS 4096u /* about a million live handles */

struct slot {
    _Atomic uint64_t tag; /* generation << 2 | kind; kind 0 when free */
    void *_Atomic obj;
    uint32_t next_free; /* index + 1 of the next free slot, 0 = none */
};

static struct slot *_Atomic chunks[MAX_CHUNKS];
static _Atomic uint32_t nslots;
static uint32_t free_head; /* index + 1 */
static uint64_t salt;
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t salt_once = PTHREAD_ONCE_INIT;

static void salt_init(void)
{
    if (RAND_bytes((unsigned char *)&salt, sizeof(salt)) != 1)
        salt = (uint64_t)(uintptr_t)&salt * 0x9e3779b97f4a7c15ull;
    salt &= ~(uint64_t)0 >> 1;
}

static struct slot *slot_at(uint32_t idx)
{
    if (idx >= atomic_load_explicit(&nslots, memory_order_acquire))
        return NULL;
    struct slot *c = atomic_load_explicit(&chunks[idx / CHUNK_SLOTS], memory_order_acquire);
    return c ? &c[idx % CHUNK_SLOTS] : NULL;
}

static bool grab_slot(uint32_t *idx)
{
    if (free_head) {
        *idx = free_head - 1;
        free_head = slot_at(*idx)->next_free;
        return true;
    }
    uint32_t n = atomic_load_explicit(&nslots, memory_order_relaxed);
    if (n / CHUNK_SLOTS >= MAX_CHUNKS)
        return false;
    if (n % CHUNK_SLOTS == 0) {
        struct slot *c = calloc(CHUNK_SLOTS, sizeof(*c));
        if (!c)
            return false;
        atomic_store_explicit(&chunks[n / CHUNK_SLOTS], c, memory_order_release);
    }
    *idx = n;
    atomic_store_explicit(&nslots, n + 1, memory_order_release);
    return true;
}

bool handle_new(enum handle_kind kind, void *obj, SecHandle *h)
{
    uint32_t idx;
    pthread_once(&salt_once, salt_init);
    pthread_mutex_lock(&table_lock);
    if (!grab_slot(&idx)) {
        pthread_mutex_unlock(&table_lock);
        return false;
    }
    struct slot *s = slot_at(idx);
    uint64_t gen = (atomic_load_explicit(&s->tag, memory_order_relaxed) >> 2) + 1;
    uint64_t tag = (gen << 2) | (uint64_t)kind;
    atomic_store_explicit(&s->obj, obj, memory_order_relaxed);
    atomic_store_explicit(&s->tag, tag, memory_order_release);
    pthread_mutex_unlock(&table_lock);
    h->dwLower = (ULONG_PTR)idx + 1;
    h->dwUpper = (ULONG_PTR)(tag ^ salt);
    return true;
}

static struct slot *lookup(const SecHandle *h, enum handle_kind kind, uint64_t *tag)
{
    if (!h || h->dwLower == 0 || h->dwLower > UINT32_MAX)
        return NULL;
    pthread_once(&salt_once, salt_init);
    struct slot *s = slot_at((uint32_t)(h->dwLower - 1));
    if (!s)
        return NULL;
    uint64_t want = (uint64_t)h->dwUpper ^ salt;
    if ((want & 3) != (uint64_t)kind)
        return NULL;
    if (atomic_load_explicit(&s->tag, memory_order_acquire) != want)
        return NULL;
    *tag = want;
    return s;
}

void *handle_get(const SecHandle *h, enum handle_kind kind)
{
    uint64_t tag;
    struct slot *s = lookup(h, kind, &tag);
    return s ? atomic_load_explicit(&s->obj, memory_order_relaxed) : NULL;
}

void *handle_release(const SecHandle *h, enum handle_kind kind)
{
    uint64_t tag;
    void *obj = NULL;
    pthread_mutex_lock(&table_lock);
    struct slot *s = lookup(h, kind, &tag);
    if (s) {
        uint64_t freed = tag & ~(uint64_t)3; /* same generation, kind 0 */
        if (atomic_compare_exchange_strong(&s->tag, &tag, freed)) {
            obj = atomic_exchange(&s->obj, NULL);
            s->next_free = free_head;
            free_head = (uint32_t)(h->dwLower - 1) + 1;
        }
    }
    pthread_mutex_unlock(&table_lock);
    return obj;
}

void cred_unref(struct sspi_cred *c)
{
    if (!c || atomic_fetch_sub(&c->refs, 1) != 1)
        return;
    if (c->pkg->free_cred)
        c->pkg->free_cred(c->pkg_cred);
    free(c);
}
