/*
 * tar_int.h - private to tar/: the blob stream (hash, inflate, hash), the
 * layer parser, the store of blobs seen in the wrapper, and resolution.
 */
#ifndef IMGDRIFT_TAR_INT_H
#define IMGDRIFT_TAR_INT_H

#include <sys/types.h>

#include "pkg/pkg.h"
#include "tar/tar.h"
#include "util/arena.h"
#include "util/sbuf.h"
#include "util/util.h"

/*
 * A source of raw bytes.  @return bytes read (> 0), 0 at the end, or a
 * negative ERR_* code with e filled.
 */
typedef ssize_t (*src_read_fn)(void *ctx, void *buf, size_t len,
    struct err *e);

/* Move the source forward n bytes without reading.  @return 0 or -1. */
typedef int (*src_skip_fn)(void *ctx, int64_t n);

/* A file descriptor as a source, read to its end. */
struct fd_src {
	int fd;
	uint64_t *left;		/* bytes the input may still have, or NULL */
	uint64_t max;		/* for the message */
	struct tar_progress *prog;	/* or NULL */
};
ssize_t tar_fd_src_read(void *ctx, void *buf, size_t len, struct err *e);

/* An input held in memory (tar_read_mem()), as a source. */
struct mem_src {
	const uint8_t *p;
	size_t len, pos;
};
ssize_t tar_mem_src_read(void *ctx, void *buf, size_t len, struct err *e);
int tar_mem_src_skip(void *ctx, int64_t n);

/* What a blob turned out to hold, from its first bytes. */
enum blob_content { BLOB_EMPTY, BLOB_TAR, BLOB_JSON, BLOB_DATA };

struct bstream;

/* tar_bs_open() flags: digests a second look does not need. */
#define BS_NO_DIGEST	0x1	/* no SHA-256 of the stored bytes */
#define BS_NO_DIFFID	0x2	/* no SHA-256 of the uncompressed bytes */
#define BS_PIPE		0x4	/* inflate a compressed tar on a second thread:
				   tar_bs_read() hands out its blocks */

/*
 * Start a stream over rd: read the first bytes, detect gzip/zstd, and peek
 * at the first uncompressed block to learn the content.  flags is 0 or
 * BS_* bits; a digest not computed reads as zeros in tar_bs_result().
 * @return 0 and *out, or a negative ERR_* code; *out is set even then (for
 * tar_bs_drain_raw() after a decoding error) and must be freed.
 */
int tar_bs_open(src_read_fn rd, void *ctx, unsigned flags, struct bstream **out,
    struct err *e);
void tar_bs_free(struct bstream *bs);
/*
 * End the inflating thread of BS_PIPE, if any: after it the source is the
 * caller's alone (tar_bs_result(), tar_bs_drain_raw() and tar_bs_free()
 * end it too).  @return whether that thread met a read error of the source
 * ahead of the reader, one tar_bs_read() never gave: tar_bs_drain_raw()
 * then gives it, as the single-threaded drain meets it.
 */
bool tar_bs_stop(struct bstream *bs);
/* @return whether bs inflates on a second thread (BS_PIPE took). */
bool tar_bs_piped(const struct bstream *bs);
enum blob_content tar_bs_content(const struct bstream *bs);
/* @return how many of the first stored bytes are in *p (at most
   BS_RAW_HEAD; fewer only for a shorter input). */
#define BS_RAW_HEAD	16
size_t tar_bs_raw_head(const struct bstream *bs, const uint8_t **p);
/* @return the next block of uncompressed bytes in *buf (valid until the next
   call), 0 at the end, or a negative ERR_* code. */
ssize_t tar_bs_read(struct bstream *bs, const void **buf, struct err *e);
/* Read to the end, so that both digests cover every byte. */
int tar_bs_drain(struct bstream *bs, struct err *e);
/*
 * Let bs skip by seeking (uncompressed sources only).  The digests no longer
 * cover what was skipped: for the second look, never the first pass.
 */
void tar_bs_set_skip(struct bstream *bs, src_skip_fn skip);
/* @return the bytes skipped, 0 when it cannot (libarchive then reads). */
int64_t tar_bs_skip(struct bstream *bs, int64_t want);
/* After a decoding error: read the rest of the stored bytes, hashing them.
   @return 0, or the read error (tar_bs_stop()'s one ahead first). */
int tar_bs_drain_raw(struct bstream *bs, struct err *e);
/* After the end: digests and sizes of the stored and uncompressed bytes. */
void tar_bs_result(struct bstream *bs, uint8_t raw[32], uint64_t *raw_len,
    uint8_t out[32], uint64_t *out_len, struct tar_framing *fr);

/*
 * A string pool for uname/gname: usually few distinct values, many uses, but
 * a hostile layer may name a new owner in every entry, so it is hashed.
 */
struct strpool {
	char **s;		/* in the order interned */
	size_t n, cap;
	size_t *slot;		/* open addressing: index into s, plus one */
	size_t nslots;		/* a power of two, at least twice n */
};
/* @return the pool's copy of s ("" for NULL), valid until
   tar_strpool_release(). */
const char *tar_strpool_intern(struct strpool *sp, const char *s);
/* @return the position of s among the interned strings (0 if it is not). */
size_t tar_strpool_index(const struct strpool *sp, const char *s);
void tar_strpool_release(struct strpool *sp);

/* Warnings kept of one layer: libarchive's, and declared sizes. */
#define TAR_WARN_MAX	8

/* A parsed tar: its entries, and what libarchive warned about on the way. */
struct entries {
	struct tar_entry *v;
	size_t n, cap;
	struct arena names;	/* the paths and link targets of v */
	struct sbuf warnings;	/* one per line, at most TAR_WARN_MAX kept */
	size_t nwarnings;	/* kept, and one past when more were dropped */
	/* Sparse entries declaring more than their data, checked against the
	   layer's size when it ends (tar_entries_declared()). */
	struct tar_sparse {
		uint32_t ordinal;
		uint64_t data;		/* bytes of data stored */
	} sparse[TAR_WARN_MAX];
	size_t nsparse;
	struct tar_capture *caps;	/* package database files, by ordinal */
	size_t ncaps, capcap;
	uint64_t *budget;	/* the archive's bytes kept per ecosystem, or
				   NULL: nothing is kept */
	/* Checkpoints: where the headers of entry i * TAR_CKPT_EVERY start
	   in the tar stream (its pax or GNU long-name headers included), so
	   that the second look starts a stored layer near the entry it
	   wants (fetch.c).  Filled by tar_layer_parse(), and by the walk
	   of the wrapper for its own entries (a bare layer). */
	uint64_t *ckpt;
	size_t nckpt, ckptcap;
};
/* Entries between checkpoints: 8 bytes of memory per this many entries.
   The fuzz build (make fuzz) sets 4, so that its short layers start the
   second look at checkpoints too. */
#ifndef TAR_CKPT_EVERY
#define TAR_CKPT_EVERY	1024
#endif
void tar_entries_release(struct entries *en);
/* Before en's next entry is added, with a at its headers: note where they
   start when it is a checkpoint's. */
struct archive;
void tar_ckpt_note(struct entries *en, struct archive *a);
/*
 * @return the ordinal of the last checkpoint of en at or before entry
 * ordinal, with where its headers start in *off; 0 and *off 0 (the
 * layer's start) when there is none past the start.
 */
uint32_t tar_ckpt_before(const struct entries *en, uint32_t ordinal,
    uint64_t *off);
/*
 * Charge capture c of en to the archive's budget as the sequential walk
 * would have (wrapper.c): a worker's own budget, or a layer read from the
 * cache, never saw the layers before its own, so a capture kept there may
 * be over the archive's (then it is freed and marked over).
 */
void tar_capture_recharge(uint64_t *budget, const struct entries *en,
    struct tar_capture *c);
/* Record libarchive's ARCHIVE_WARN message for the entry just read (its
   tools print it and go on; so do we). */
struct archive;
void tar_entries_warn(struct entries *en, struct archive *a);
/* Note each sparse entry that declares more bytes than its layer, of usize
   bytes uncompressed, holds (docs/security.md). */
void tar_entries_declared(struct entries *en, uint64_t usize);

/* Fill a tar_entry from a libarchive entry (content hash not included);
   its path and link target are copied into names. */
struct archive_entry;
int tar_entry_from_archive(struct tar_entry *te, struct archive_entry *ae,
    int archive_format, struct strpool *sp, struct arena *names,
    struct err *e);

/* An entry content hasher of one kind, reused from entry to entry. */
struct ehash;
struct ehash *tar_ehash_new(enum tar_hash kind);
void tar_ehash_free(struct ehash *h);
void tar_ehash_reset(struct ehash *h);
void tar_ehash_update(struct ehash *h, const void *p, size_t n);
/* Write the digest into out (zero-padded to TAR_HASH_MAX). */
void tar_ehash_final(struct ehash *h, uint8_t out[TAR_HASH_MAX]);
/*
 * The content hash of one entry (layer.c says how holes count): begin, the
 * data blocks at their offsets as libarchive gives them, then end with the
 * entry's size, which writes the hash into out.
 */
void tar_ehash_begin(struct ehash *h);
void tar_ehash_block(struct ehash *h, int64_t off, const void *p, size_t n);
void tar_ehash_end(struct ehash *h, uint64_t size, uint8_t out[TAR_HASH_MAX]);

/* A libarchive tar reader fed from a blob stream. */
struct archive;
struct bs_reader {
	struct bstream *bs;
	struct err *e;
	int err;		/* set when the stream itself failed */
};
/* @return 0 and *out (free with archive_read_free()), or a negative code. */
int tar_bs_archive_open(struct bs_reader *c, struct archive **out, struct err *e);
/*
 * Keep the bytes of te that a package reader wants, as they pass at their
 * offsets, when they are not read through tar_entry_hash_data() (a
 * wrapper member that may be a blob, read once for both): into en's
 * captures, within en->budget (none when NULL).  te and en are borrowed
 * until tar_keep_end(), which finishes the capture and frees k (NULL: a
 * no-op).
 */
struct tar_keep;
struct tar_keep *tar_keep_new(struct entries *en, const struct tar_entry *te);
void tar_keep_block(struct tar_keep *k, int64_t off, const void *p, size_t n);
void tar_keep_end(struct tar_keep *k);
/* Hash an entry's data with h into te->hash, keeping its bytes in en
   when a package reader wants them (en may be NULL). */
int tar_entry_hash_data(struct archive *a, struct tar_entry *te, struct ehash *h,
    struct entries *en, struct err *e);

/*
 * Parse the tar in bs to its end, recording every entry in en, and
 * keeping the bytes of package database files within budget (per
 * ecosystem, shared by the archive's layers; NULL keeps none).
 * @return 0 or a negative ERR_* code.
 */
int tar_layer_parse(struct bstream *bs, struct entries *en, struct strpool *sp,
    enum tar_hash kind, uint64_t *budget, struct err *e);

/* One member of the wrapper (or one file of a layout directory). */
struct blob {
	char *name;		/* normalized member path */
	uint8_t kind;		/* TAR_REG, TAR_DIR, TAR_SYMLINK, ... */
	char *link;		/* symlink target, as stored */
	bool sparse;		/* a sparse member: named, never read */
	uint8_t content;	/* enum blob_content */
	uint8_t sha256[32];	/* of the stored bytes */
	uint64_t size;
	uint8_t usha256[32];	/* of the uncompressed bytes */
	uint64_t usize;
	struct tar_framing framing;
	char *json;		/* the document, when content is JSON */
	size_t json_len;
	bool json_over;		/* JSON, but larger than TAR_JSON_MAX */
	/* Filled after the pass, on first use: a blob listed many times is
	   parsed once, and an index listed many times is walked once. */
	json_t *doc;		/* the parsed document */
	bool walked;		/* an index whose entries were walked */
	struct entries entries;	/* when content is a tar */
	char *error;		/* why it could not be read as a layer */
	int error_code;		/* and its ERR_* code */
};

/* Everything one read produced; tar_archive is this. */
struct tar_archive {
	const char *input;	/* the name given, for messages */
	const uint8_t *mem;	/* the input, when read from memory (borrowed) */
	size_t mem_len;
	enum tar_format format;
	enum tar_comp wrapper_comp;
	bool have_input_sha;
	uint8_t input_sha[32];
	bool input_is_file;	/* a regular file: it can be read again */
	uint64_t input_size;
	bool have_index;
	uint8_t index_sha[32];
	struct blob *blobs;	/* sorted by name after the pass */
	size_t nblobs, cap;
	struct entries top;	/* the wrapper's own entries (bare layer) */
	uint8_t top_usha[32];	/* uncompressed wrapper (bare layer diff_id) */
	uint64_t top_usize;
	struct tar_framing top_framing;
	struct strpool pool;
	struct tar_image *images;
	size_t nimages, images_cap;
	size_t ndescs;		/* descriptors resolved, up to TAR_DESCS_MAX */
	uint64_t input_left;	/* bytes that may still be read (max_input) */
	struct sbuf keys;	/* image_key() of every manifest reached */
	struct tar_attestation *att;
	size_t natt, att_cap;
	struct sbuf warnings;
	const struct tar_opts *opts;
	struct tar_listed *listed;	/* absent images, artifacts */
	size_t nlisted, listed_cap;
	bool have_image_index;
	uint8_t image_index_sha[32];	/* tar_image_index_digest() */
	char *input_path;	/* the path part of "PATH:REF" (owned) */
	struct tar_opts ref_opts;	/* the options with REF, then */
	char **other_platforms;	/* of the images --platform left out */
	size_t nother, other_cap;
	enum tar_hash hash_kind;	/* of every entry */
	uint64_t captured[PKG_NECO];	/* package database bytes kept */
	bool fingerprint;	/* read from a fingerprint, not an image */
	unsigned fp_version;	/* its format version */
	struct reg_stats reg_stats;	/* what a registry read fetched */
	struct reg_ref reg_ref;		/* the image's reference, and how to */
	struct reg_opts reg_opts;	/* reach it again (the second look) */
	char *cache_unwritten;	/* the first cache file not written (owned) */
	unsigned cache_unkept;	/* layers --cache did not keep */
	/* The read's client, kept for tar_fetch_deferred() (its scheme and
	   credentials known), or NULL. */
	struct reg_client *reg_client;
	/* Layers listed by the manifests read so far, for opts->progress:
	   OCI manifests, and docker-archive manifest.json (a Docker 25+
	   save holds both, listing the same layers). */
	_Atomic uint32_t oci_layers, docker_layers;
	size_t pooled;		/* members read on the pool (tar_pooled()) */
	bool pipe;		/* inflate layers on a second thread (BS_PIPE) */
	unsigned reg_jobs;	/* layers fetched at once from a registry
				   (tar_opts.jobs, kept for the deferred) */
	_Atomic uint32_t piped;	/* blobs that were (tar_piped()) */
};

/* Add an empty blob named name to ar (its pointer is valid until the
   next tar_blob_add()). */
struct blob *tar_blob_add(struct tar_archive *ar, const char *name);
/*
 * Run one blob's bytes from rd through the pipeline into b.  A blob that
 * cannot be decoded is recorded with its error and still hashed; an error
 * of the source itself (*src_failed set by rd) is fatal.
 * @return 0 or a negative ERR_* code.
 */
int tar_blob_consume(struct tar_archive *ar, struct blob *b, src_read_fn rd,
    void *ctx, const bool *src_failed, uint64_t size_hint, struct err *e);
/*
 * The same on a worker thread (-j N): owner names interned in pool and
 * package database bytes kept within budget, both the worker's own; b's
 * pointer must stay valid (no tar_blob_add() while workers run).  Then,
 * on the reading thread and in the order the sequential read takes,
 * tar_blob_merge() interns b's names in ar's pool and charges its
 * captures to ar's budget, so that ar is what that read builds.
 */
int tar_blob_consume_to(struct tar_archive *ar, struct blob *b, src_read_fn rd,
    void *ctx, const bool *src_failed, uint64_t size_hint, struct strpool *pool,
    uint64_t *budget, struct err *e);
void tar_blob_merge(struct tar_archive *ar, struct blob *b);
/*
 * The layer cache (cache.c, --cache DIR, docs/security.md).  A layer is
 * looked up by what its manifest and config say it is: a file that says
 * otherwise, or that another version of imgdrift wrote, is a miss.
 */
#define CACHE_HEADER_MAX (16u << 20)	/* a cache file's header JSON */
struct tar_cache_key {
	uint8_t digest[32];	/* the layer's, from its descriptor */
	uint64_t size;		/* the descriptor's */
	uint8_t diff_id[32];	/* the config's, when have_diff_id */
	bool have_diff_id;
};
/* Make dir when it is not there (0700) and refuse one that other users
   can write to.  @return 0, or ERR_IO / ERR_USAGE naming dir. */
int tar_cache_dir_check(const char *dir, struct err *e);
/*
 * Fill b (named, otherwise empty) with layer k as dir keeps it for ar's
 * entry hash, its captures charged to ar's budget.  @return 0, or 1 on a
 * miss (no regular file, or one that does not read back whole or is of
 * another layer: b's entries are left empty).
 */
int tar_cache_load(struct tar_archive *ar, const char *dir,
    const struct tar_cache_key *k, struct blob *b);
/* The same from the bytes rd reads, a file that imgdrift version wrote
   (tar_cache_load(): this one's).  @return 0 or a negative ERR_* code,
   b's entries then empty. */
int tar_cache_decode(struct tar_archive *ar, src_read_fn rd, void *ctx,
    const struct tar_cache_key *k, const char *version, struct blob *b,
    struct err *e);
/* Append the cache file of layer blob b, as imgdrift version writes it, to
   out.  @return false, out untouched, when b is not kept: a capture marked
   over by a budget that earlier layers spent, or a header over
   CACHE_HEADER_MAX. */
bool tar_cache_encode(const struct tar_archive *ar, const struct blob *b,
    const char *version, struct sbuf *out);
/* Keep layer blob b in dir (a temporary file renamed into place).  A file
   that cannot be written is no error, as the cache only saves a fetch: the
   first one is kept, with why, for tar_cache_warning(). */
void tar_cache_store(struct tar_archive *ar, const char *dir,
    const struct blob *b);
/* Fetch the image of reference ref (after "docker://") into ar->blobs, as
   a layout under an index.json of its own (tar/registry.c). */
int tar_registry_read(struct tar_archive *ar, const char *ref, struct err *e);
/* Sort ar->blobs by name (tar_blob_find() looks them up so). */
void tar_blobs_sort(struct tar_archive *ar);
/* Fill layer l from blob b (verified by the caller).  @return 0, or the
   blob's decoding error, or ERR_FORMAT when it is not a tar. */
int tar_layer_from_blob(struct tar_layer *l, const struct blob *b,
    const char *what, struct err *e);
/* @return "os/arch[/variant]" of a descriptor's platform (malloc'd), or
   NULL without os and architecture. */
char *tar_platform_string(const json_t *p);
/* @return true when manifest m is an image's, not a signature,
   attestation or artifact beside one. */
bool tar_manifest_is_image(const json_t *m);

/* Walk the input (file, stdin or directory) and fill ar->blobs. */
int tar_wrapper_read(struct tar_archive *ar, const char *path, struct err *e);
/* Hash the input file again with SHA-256 (a bare layer read without the
   input digest needs it as its digest and diff_id). */
int tar_wrapper_hash_input(struct tar_archive *ar, struct err *e);
/* Resolve index/manifests/configs into images, verifying everything. */
int tar_resolve_images(struct tar_archive *ar, struct err *e);
/* @return true when platform have is the wanted one ("linux/arm64"
   matches "linux/arm64/v8", "arm64" matches any OS; want NULL matches
   every platform). */
bool tar_platform_match(const char *want, const char *have);
/* Keep the image added last when it is of the platform asked for; else
   release it and keep its platform for tar_platform_check()'s message. */
void tar_platform_filter_last(struct tar_archive *ar);
/*
 * After every image is in: @return 0, or ERR_USAGE when no image is of the
 * platform asked for or an architecture alone names more than one
 * platform, the message listing the platforms present.  With no platform
 * asked for and no image, @return ERR_FORMAT: "<what> holds no image".
 */
int tar_platform_check(struct tar_archive *ar, const char *what, struct err *e);

/* Fingerprints (fp_read.c). */
/* @return true when the stored bytes bs starts with are a fingerprint's. */
bool tar_fp_sniff(const struct bstream *bs);
/* Read the fingerprint in bs into ar, verified.  @return 0 or an ERR_*. */
int tar_fp_read(struct tar_archive *ar, struct bstream *bs, struct err *e);

/*
 * Parse "sha256:<64 hex>", the one digest syntax of images and fingerprints.
 * @return 0 and d, or ERR_FORMAT (missing, malformed) or ERR_UNSUPPORTED
 * (another algorithm) with a message that starts with where.
 */
int tar_parse_digest(const char *s, uint8_t d[32], const char *where,
    struct err *e);

/* @return true when jansson failed for want of memory: it then says so,
   or (in a parser path that does not) says nothing at all. */
bool tar_json_out_of_memory(const json_error_t *je);

/* Count n more descriptors.  @return 0, or ERR_LIMIT past TAR_DESCS_MAX. */
int tar_count_descs(struct tar_archive *ar, size_t n, struct err *e);
/* Add an empty image.  @return 0 and *out, or ERR_LIMIT past
   TAR_IMAGES_MAX. */
int tar_image_add(struct tar_archive *ar, struct tar_image **out, struct err *e);

/* Free what a listed item owns (not the struct itself). */
void tar_listed_release(struct tar_listed *l);
/* Free what an image owns (not the struct itself). */
void tar_image_release(struct tar_image *im);
/* @return the blob named name (after following symlinks), or NULL. */
const struct blob *tar_blob_find(const struct tar_archive *ar, const char *name,
    struct err *e);

#endif
