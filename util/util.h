/*
 * util.h - small helpers every module shares: prefixes, byte order, sizes
 * (size.c), running jobs at once (thread.c), output files written whole
 * or not at all (outfile.c).
 */
#ifndef IMGDRIFT_UTIL_H
#define IMGDRIFT_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct err;

/*
 * If s starts with prefix, point *out just past it and return true; else
 * return false and leave *out alone (git's skip_prefix()).  Parse prefixes
 * with this, never with a fixed offset such as `s + 7`.
 */
static inline bool
skip_prefix(const char *s, const char *prefix, const char **out)
{
	size_t n = strlen(prefix);

	if (strncmp(s, prefix, n) != 0)
		return false;
	*out = s + n;
	return true;
}

/*
 * Ask memory for the cache line at p before it is read: a walk in path
 * order reads entries and paths scattered over tens of megabytes, one
 * cache miss after the other unless the next few are asked for early.
 */
#if defined(__GNUC__) || defined(__clang__)
#define util_prefetch(p)	__builtin_prefetch(p)
#else
#define util_prefetch(p)	((void)(p))
#endif

/* skip_prefix() for the n bytes at s (not NUL-terminated): *out and *outn
   are what follows the prefix. */
static inline bool
skip_prefix_n(const char *s, size_t n, const char *prefix, const char **out,
    size_t *outn)
{
	size_t k = strlen(prefix);

	if (n < k || memcmp(s, prefix, k) != 0)
		return false;
	*out = s + k;
	*outn = n - k;
	return true;
}

/* @return whether s starts with prefix (git's starts_with()). */
static inline bool
starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* @return how many bytes a and b share at their start (prefix-coded
   paths: fingerprints' entry tables and package sets). */
static inline size_t
util_common_prefix(const char *a, const char *b)
{
	size_t n = 0;

	while (a[n] != '\0' && a[n] == b[n])
		n++;
	return n;
}

/* Unsigned integers stored little- or big-endian at p (any alignment). */
static inline uint16_t
get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t
get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static inline uint32_t
get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
	    (uint32_t)p[3];
}

/*
 * Parse a size: a positive number of bytes, or of KiB, MiB, GiB or TiB with
 * a K, M, G or T after it ("4M").  @return 0 and *out, or -1.
 */
int util_parse_size(const char *s, uint64_t *out);
/* @return buf: v as "4 MiB" when a whole number of KiB, MiB, GiB or TiB,
   else "1000 bytes"; 32 bytes always hold it. */
const char *util_size_str(char *buf, size_t n, uint64_t v);

/*
 * Run fn(a) and fn(b), b in a second thread when one can be started (else
 * one after the other), and return when both are done.  fn must not touch
 * what the other call touches.
 */
void util_run_both(void *(*fn)(void *), void *a, void *b);

/*
 * An output file that appears whole or not at all (outfile.c).  fp is
 * standard output for a NULL path or "-"; a regular file, or one that does
 * not exist yet, is written to a temporary file beside it (tmp, owned);
 * anything else (/dev/null, a FIFO) in place.
 */
struct util_outfile {
	FILE *fp;
	const char *path;	/* borrowed from the caller */
	char *tmp;		/* NULL when written in place */
};
/* Open path for writing into o.  @return 0, or ERR_IO (e names path). */
int util_outfile_open(struct util_outfile *o, const char *path,
    struct err *e);
/*
 * Close o: when ok and every write succeeded, rename the temporary file
 * into place; else remove it, leaving what was at path untouched.  A
 * second call does nothing.  @return 0, or ERR_IO when ok and a write,
 * the close or the rename failed (e names path).
 */
int util_outfile_close(struct util_outfile *o, bool ok, struct err *e);

/* @return the online CPUs, at least 1 (the default of -j). */
unsigned util_ncpus(void);

/*
 * Run fn(ctx, i) for every i from 0 to n - 1 on up to nthreads threads,
 * the caller's among them, taking the jobs in order of i: at most
 * nthreads run at once.  Once a call returns false no further job starts
 * (those running finish).  Returns when every started job is done.
 * @return the number of jobs started (n unless one returned false).
 */
size_t util_run_jobs(unsigned nthreads, size_t n,
    bool (*fn)(void *ctx, size_t i), void *ctx);

#endif
