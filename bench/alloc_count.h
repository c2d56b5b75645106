/* bench/alloc_count.h - what the allocation counter (alloc_count.so) reports
 * The benchmark finds bench_alloc_snapshot with dlsym at run time, so the
 * same binary runs with or without the counter preloaded. */
#ifndef BENCH_ALLOC_COUNT_H
#define BENCH_ALLOC_COUNT_H

#include <stdint.h>

/* struct bench_alloc_stats - totals since the process started. Every
 * allocating call (malloc, calloc, realloc, reallocarray, the memalign
 * family) counts once in allocs; frees counts free() of a non-NULL pointer.
 * live_bytes is the sum of malloc_usable_size() of the blocks not yet freed,
 * live_blocks their number. */
struct bench_alloc_stats {
    uint64_t allocs;
    uint64_t reallocs; /* included in allocs too */
    uint64_t frees;
    int64_t live_bytes;
    int64_t live_blocks;
};

typedef void (*bench_alloc_snapshot_fn)(struct bench_alloc_stats *out);

#define BENCH_ALLOC_SNAPSHOT "bench_alloc_snapshot"

#endif
