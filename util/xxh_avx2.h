/*
 * xxh_avx2.h - XXH3-128 streaming, compiled for AVX2.  Call only when
 * util_xxh_avx2_usable(); the results equal libxxhash's.
 */
#ifndef IMGDRIFT_XXH_AVX2_H
#define IMGDRIFT_XXH_AVX2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* @return whether this build and this CPU can run the AVX2 code (and
   IMGDRIFT_NO_AVX2 is not set). */
bool util_xxh_avx2_usable(void);
void *util_xxh_avx2_new(void);
void util_xxh_avx2_free(void *st);
void util_xxh_avx2_reset(void *st);
void util_xxh_avx2_update(void *st, const void *p, size_t n);
/* The canonical (big-endian) 16 bytes, as XXH128_canonicalFromHash(). */
void util_xxh_avx2_digest(void *st, uint8_t out[16]);

#endif
