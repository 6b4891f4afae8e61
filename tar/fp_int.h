/*
 * fp_int.h - private to tar/: the fingerprint encoding (docs/fingerprint.md)
 * shared by its writer (fp_write.c) and its reader (fp_read.c).
 */
#ifndef IMGDRIFT_FP_INT_H
#define IMGDRIFT_FP_INT_H

#include "tar/tar_int.h"

/*
 * A fingerprint opens with a zstd skippable frame: magic, payload size 8,
 * "IDFP", the format version (all little-endian).  So any zstd tool can
 * still read it, and the reader knows it from its first 16 bytes.
 */
#define FP_SKIP_MAGIC	0x184D2A5Eu
#define FP_TAG		"IDFP"
#define FP_SCHEMA	"imgdrift.fingerprint/1"

/* Named limits for reading one back. */
#define FP_HEADER_MAX	(64u << 20)	/* the header JSON */
#define FP_XATTRS_MAX	(1u << 20)	/* one entry's xattr lines */
#define FP_PACKAGES_MAX	(256u << 20)	/* one image's package set */

/* Entry record flags. */
enum {
	FP_ATIME = 1 << 0,
	FP_CTIME = 1 << 1,
	FP_LINK = 1 << 2,
	FP_XATTRS = 1 << 3,
	FP_HASH = 1 << 4,	/* the content is not empty: 32 bytes follow */
	FP_DEVICE = 1 << 5,
	FP_SPARSE = 1 << 6,	/* version 2: the hash is of a sparse file */
	FP_FLAGS_V1 = (1 << 6) - 1,
	FP_FLAGS_ALL = (1 << 7) - 1
};

/* @return the SHA-256 of no bytes (the hash of every entry without data). */
const uint8_t *tar_fp_empty_hash(void);

/* ZigZag: small negative and positive deltas both encode short. */
static inline uint64_t
fp_zigzag(int64_t v)
{
	return ((uint64_t)v << 1) ^ (v < 0 ? UINT64_MAX : 0);
}

static inline int64_t
fp_unzigzag(uint64_t v)
{
	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

/* A string from an image as JSON: itself when valid UTF-8, else
   {"hex": "..."}; null for NULL.  New reference. */
json_t *tar_fp_json_bytes(const char *s);
/* The reverse: @return 0 and *out (malloc'd; NULL for JSON null when
   null_ok), or ERR_FORMAT naming what. */
int tar_fp_json_bytes_get(const json_t *j, bool null_ok, const char *what,
    char **out, struct err *e);

/* The encoding, for the layer cache (cache.c): writing ... */
void tar_fp_put_bytes(struct sbuf *sb, const char *s, size_t n);
/* One entry record after prev (the previous path, "" first); *mtime the
   previous entry's, updated.  Names are indexes into ar's string pool. */
void tar_fp_put_entry(struct sbuf *sb, const struct tar_archive *ar,
    const struct tar_entry *te, const char *prev, int64_t *mtime);
json_t *tar_fp_framing_json(const struct tar_framing *f);
/* ... and reading, from a stream: the payload is hashed for
   tar_fpin_trailer(), records are read as this version writes them. */
struct fpin;
struct fpin *tar_fpin_new(struct bstream *bs, struct err *e);
void tar_fpin_free(struct fpin *in);
int tar_fpin_num(struct fpin *in, uint64_t max, const char *what,
    uint64_t *v);
/* Length-prefixed bytes with no NUL appended to sb. */
int tar_fpin_bytes(struct fpin *in, struct sbuf *sb, size_t max,
    const char *what);
/* Exactly n bytes into dst. */
int tar_fpin_get(struct fpin *in, void *dst, size_t n);
/* One entry record into te, its path and link copied into names; path
   holds the previous one's, updated. */
int tar_fpin_entry(struct fpin *in, struct tar_entry *te, struct sbuf *path,
    struct arena *names, const char *const *strings, size_t nstrings,
    int64_t *mtime);
/* The SHA-256 of the payload read so far, then the end of the stream.
   @return 0, ERR_DIGEST or ERR_FORMAT. */
int tar_fpin_trailer(struct fpin *in);
/* The uname/gname strings (at least one), interned in ar's pool; *out
   (n of them) is the caller's to free. */
int tar_fp_get_strings(struct tar_archive *ar, const json_t *a,
    const char ***out, size_t *n, struct err *e);
int tar_fp_get_framing(const json_t *o, struct tar_framing *f, struct err *e);

#endif
