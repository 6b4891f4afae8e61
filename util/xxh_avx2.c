/*
 * xxh_avx2.c - XXH3-128 built for AVX2, chosen at run time.
 *
 * Debian's libxxhash is built for the x86-64 baseline (SSE2).  Entry
 * hashes cover every byte of every layer, so this file compiles xxHash's
 * header-only implementation once more for AVX2 (same algorithm, same
 * results) under its own names; util_xxh_avx2_usable() says whether the CPU
 * can run it.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "util/xxh_avx2.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define HAVE_AVX2_BUILD 1
/* xxhash.h includes the intrinsics only when __AVX2__ is defined, which
   GCC's target pragma does and clang's attribute does not. */
#include <immintrin.h>
#ifdef __clang__
#pragma clang attribute push (__attribute__((target("avx2"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2")
#endif
#define XXH_INLINE_ALL
#define XXH_NAMESPACE imgdrift_avx2_
#define XXH_VECTOR XXH_AVX2
#include <xxhash.h>

void *
util_xxh_avx2_new(void)
{
	return XXH3_createState();
}

void
util_xxh_avx2_free(void *st)
{
	XXH3_freeState(st);
}

void
util_xxh_avx2_reset(void *st)
{
	XXH3_128bits_reset(st);
}

void
util_xxh_avx2_update(void *st, const void *p, size_t n)
{
	XXH3_128bits_update(st, p, n);
}

void
util_xxh_avx2_digest(void *st, uint8_t out[16])
{
	XXH128_canonicalFromHash((XXH128_canonical_t *)(void *)out,
	    XXH3_128bits_digest(st));
}
#ifdef __clang__
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif
#endif

#ifdef HAVE_AVX2_BUILD
/* Both reader threads of `diff` may ask first: asked once. */
static bool cpu_avx2;
static pthread_once_t cpu_avx2_once = PTHREAD_ONCE_INIT;

static void
cpu_avx2_init(void)
{
	cpu_avx2 = __builtin_cpu_supports("avx2");
}
#endif

bool
util_xxh_avx2_usable(void)
{
#ifdef HAVE_AVX2_BUILD
	pthread_once(&cpu_avx2_once, cpu_avx2_init);
	return cpu_avx2 && getenv("IMGDRIFT_NO_AVX2") == NULL;
#else
	return false;
#endif
}
