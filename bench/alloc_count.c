/* bench/alloc_count.c - LD_PRELOAD allocation counter for the benchmarks
 * Replaces glibc's malloc family with thin wrappers that forward to glibc's
 * own implementation (__libc_malloc and friends, so there is no dlsym
 * bootstrap problem) and count calls and live bytes. Being preloaded, it sees
 * the allocations of every shared library (the SSPI library, OpenSSL, WinPR),
 * which -Wl,--wrap cannot. Live bytes are malloc_usable_size() of each block:
 * what the heap really holds for it, less the allocator's 8-byte header.
 * Counters are relaxed atomics, so threads may allocate concurrently; the
 * benchmark reads them with bench_alloc_snapshot() while single-threaded. */
#include "alloc_count.h"

#include <errno.h>
#include <malloc.h>
#include <stddef.h>
#include <stdint.h>

extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t m);
extern void *__libc_realloc(void *p, size_t n);
extern void __libc_free(void *p);
extern void *__libc_memalign(size_t align, size_t n);
extern void *__libc_valloc(size_t n);
extern void *__libc_pvalloc(size_t n);

static uint64_t n_allocs, n_reallocs, n_frees;
static int64_t live_bytes, live_blocks;

#define ADD(v, d) __atomic_add_fetch(&(v), (d), __ATOMIC_RELAXED)
#define GET(v) __atomic_load_n(&(v), __ATOMIC_RELAXED)

static void *counted(void *p)
{
    ADD(n_allocs, 1);
    if (p) {
        ADD(live_bytes, (int64_t)malloc_usable_size(p));
        ADD(live_blocks, 1);
    }
    return p;
}

static void uncount(void *p)
{
    ADD(n_frees, 1);
    ADD(live_bytes, -(int64_t)malloc_usable_size(p));
    ADD(live_blocks, -1);
}

__attribute__((visibility("default"))) void bench_alloc_snapshot(struct bench_alloc_stats *out)
{
    out->allocs = GET(n_allocs);
    out->reallocs = GET(n_reallocs);
    out->frees = GET(n_frees);
    out->live_bytes = GET(live_bytes);
    out->live_blocks = GET(live_blocks);
}

__attribute__((visibility("default"))) void *malloc(size_t n)
{
    return counted(__libc_malloc(n));
}

__attribute__((visibility("default"))) void *calloc(size_t n, size_t m)
{
    return counted(__libc_calloc(n, m));
}

__attribute__((visibility("default"))) void free(void *p)
{
    if (!p)
        return;
    uncount(p);
    __libc_free(p);
}

__attribute__((visibility("default"))) void *realloc(void *p, size_t n)
{
    if (!p)
        return malloc(n);
    if (n == 0) {
        free(p);
        return NULL;
    }
    size_t old = malloc_usable_size(p);
    void *q = __libc_realloc(p, n);
    ADD(n_allocs, 1);
    ADD(n_reallocs, 1);
    if (q)
        ADD(live_bytes, (int64_t)malloc_usable_size(q) - (int64_t)old);
    return q;
}

__attribute__((visibility("default"))) void *reallocarray(void *p, size_t n, size_t m)
{
    size_t total;
    if (__builtin_mul_overflow(n, m, &total)) {
        errno = ENOMEM;
        return NULL;
    }
    return realloc(p, total);
}

__attribute__((visibility("default"))) void *memalign(size_t align, size_t n)
{
    return counted(__libc_memalign(align, n));
}

__attribute__((visibility("default"))) void *aligned_alloc(size_t align, size_t n)
{
    return counted(__libc_memalign(align, n));
}

__attribute__((visibility("default"))) int posix_memalign(void **out, size_t align, size_t n)
{
    if (align < sizeof(void *) || (align & (align - 1)) != 0)
        return EINVAL;
    void *p = counted(__libc_memalign(align, n));
    if (!p)
        return ENOMEM;
    *out = p;
    return 0;
}

__attribute__((visibility("default"))) void *valloc(size_t n)
{
    return counted(__libc_valloc(n));
}

__attribute__((visibility("default"))) void *pvalloc(size_t n)
{
    return counted(__libc_pvalloc(n));
}
