// A hint to the processor, for the engine's hottest lookup: bring the cache
// line holding `p` in, for reading, to stay. It changes no result; on a
// compiler without the builtin it does nothing.
#ifndef TRUCE_CACHE_HINT_H
#define TRUCE_CACHE_HINT_H

static inline void truce_prefetch(const void *p) {
#if defined(__has_builtin)
#if __has_builtin(__builtin_prefetch)
    __builtin_prefetch(p, 0, 3);
#endif
#endif
    (void)p;
}

#endif
