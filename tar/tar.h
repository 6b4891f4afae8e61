/*
 * tar.h - read a container image archive in one streaming pass, verified.
 *
 * tar_read() takes a docker-archive (legacy or Docker 25+), an OCI
 * image-layout archive or directory, a bare layer tar, or "-" for standard
 * input; the wrapper may be gzip- or zstd-compressed.  Every blob is hashed
 * as it streams (SHA-256 of the stored bytes), inflated (ISA-L for gzip,
 * libzstd for zstd), hashed again (the diff_id) and, when it is a tar, parsed
 * entry by entry with libarchive.  After the pass the index, manifests and
 * configs are resolved and every digest, size and diff_id is checked: a
 * mismatch fails the whole read.  Nothing is written to disk.
 */
#ifndef IMGDRIFT_TAR_H
#define IMGDRIFT_TAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "reg/reg.h"
#include "util/err.h"

/* Named limits. */
#define TAR_JSON_MAX	(16u << 20)	/* one index, manifest or config */
#define TAR_PATH_MAX	4096		/* one entry path or link target */
#define TAR_ENTRIES_MAX	(50u << 20)	/* entries in one layer */
#define TAR_NEST_MAX	4		/* index -> index -> ... depth */
#define TAR_IMAGES_MAX	4096		/* images in one archive */
#define TAR_INPUT_MAX	(64ull << 30)	/* bytes read from one input, unless
					   tar_opts.max_input says otherwise */
#define TAR_DESCS_MAX	65536		/* descriptors in all: index entries,
					   configs, layers (manifest.json too) */
#define TAR_ZSTD_WINDOW_LOG_MAX	27	/* a zstd frame's window: 128 MiB */
#define TAR_XZ_MEMLIMIT	(256u << 20)	/* an xz stream's decoder memory
					   (xz -9 needs 65 MiB) */

enum tar_kind {
	TAR_REG, TAR_DIR, TAR_SYMLINK, TAR_HARDLINK, TAR_CHR, TAR_BLK,
	TAR_FIFO, TAR_SOCK, TAR_OTHER
};

enum tar_hdrfmt {
	TAR_FMT_V7, TAR_FMT_USTAR, TAR_FMT_PAX, TAR_FMT_GNU, TAR_FMT_OTHER
};

/* The compressions (tar/compress.c holds one table row for each). */
enum tar_comp {
	TAR_COMP_NONE, TAR_COMP_GZIP, TAR_COMP_ZSTD, TAR_COMP_XZ, TAR_COMP_BZIP2,
	TAR_NCOMP
};

/*
 * The content hash of every entry of one archive: XXH3-128, a fast hint
 * that two files are equal, or SHA-256, evidence that holds against a
 * deliberate collision (fingerprints, and images compared with one).
 */
enum tar_hash { TAR_HASH_XXH3, TAR_HASH_SHA256 };
#define TAR_HASH_MAX	32

/* One entry of a layer tar (a plain record). */
struct tar_entry {
	char *path;		/* normalized: no "./", no leading or trailing "/" */
	char *link;		/* symlink target (as stored) or hardlink target
				   (normalized), NULL otherwise */
	const char *uname;	/* interned, owned by the archive; "" if none */
	const char *gname;
	char *xattrs;		/* "name=hexvalue\n" sorted by name, or NULL */
	uint64_t size;
	int64_t mtime, atime, ctime;
	int32_t mtime_ns, atime_ns, ctime_ns;
	int64_t uid, gid;
	uint32_t mode;		/* permission bits and setuid/setgid/sticky */
	uint32_t devmajor, devminor;
	uint32_t ordinal;	/* position in the layer, from 0 */
	uint8_t kind;		/* enum tar_kind */
	uint8_t hdrfmt;		/* enum tar_hdrfmt */
	uint8_t has_atime, has_ctime;
	uint8_t sparse;		/* a hole was seen: hash is of the data, the
				   map and the size (docs/security.md) */
	uint8_t hash[TAR_HASH_MAX];	/* of the content, see tar_hash_kind():
				   XXH3-128 (canonical big-endian) then zeros,
				   or SHA-256 */
};

/* Framing of a compressed blob, for explaining compression drift. */
struct tar_framing {
	uint8_t comp;		/* enum tar_comp */
	/* gzip: the first member's header */
	uint8_t gz_flags, gz_xfl, gz_os;
	uint32_t gz_mtime;
	char gz_name[64];	/* FNAME, cut at 63 bytes, "" if none */
	uint32_t gz_members;	/* number of gzip members (eStargz: many) */
	uint64_t gz_padding;	/* zero bytes after the last member */
	/* zstd: the first frame's descriptor */
	uint8_t zs_fhd;
	uint32_t zs_frames, zs_skippable;
};

/*
 * An entry whose bytes were kept while its layer streamed, because a
 * package reader wants them (pkg_capture_match()): at most PKG_DB_MAX
 * bytes of each ecosystem's files in all, from every layer of the input.
 */
struct tar_capture {
	uint32_t ordinal;	/* the entry's position in its layer */
	bool over;		/* not kept: its ecosystem's bound was passed */
	bool file_over;		/* not kept: it alone passed its ecosystem's
				   bound for one file (pkg_file_max()) */
	bool scanned;		/* kept for what its bytes hold (a Go binary's
				   build information, from its mark on; a
				   cargo-auditable binary's .dep-v0 section),
				   not for its path: eco says whose */
	uint8_t eco;		/* enum pkg_eco, when scanned */
	uint8_t *data;		/* owned by the archive; NULL when over or empty */
	size_t len;
};

/* A layer of an image, resolved and verified. */
struct tar_layer {
	char *media_type;	/* NULL for docker-archive and bare layers */
	char *member;		/* wrapper member that held it */
	uint8_t digest[32];	/* SHA-256 of the stored (maybe compressed) bytes */
	uint8_t diff_id[32];	/* SHA-256 of the uncompressed tar */
	uint64_t size;		/* stored bytes */
	uint64_t usize;		/* uncompressed bytes */
	struct tar_framing framing;
	bool present;		/* false: non-distributable layer not in archive */
	bool deferred;		/* in a registry, not fetched (tar_opts.
				   defer_layers): digest, size and diff_id
				   known, entries not; tar_fetch_deferred() */
	bool late;		/* fetched by tar_fetch_deferred() with no
				   keep list: a comparison needed it */
	const struct tar_entry *entries;	/* owned by the archive */
	size_t nentries;
	const struct tar_capture *captures;	/* by ordinal, owned by the
						   archive (none from a
						   fingerprint) */
	size_t ncaptures;
	/* What reading it warned of ("entry 3: libarchive: ...\n", "entry 4
	   ('f') declares ...\n" each), owned by the archive; NULL when none. */
	const char *warnings;
};

/* One image (one platform of one manifest). */
struct tar_image {
	char *platform;		/* "os/arch[/variant]", NULL when unknown */
	char *ref_name;		/* tag or org.opencontainers.image.ref.name */
	bool has_manifest;	/* false: docker-archive or bare layer */
	uint8_t manifest_digest[32];
	char *manifest_media_type;
	json_t *manifest;	/* NULL without a manifest blob */
	bool has_index;		/* listed by an image index blob (multi-platform) */
	uint8_t index_digest[32];	/* that index (not the layout's index.json) */
	bool has_config;	/* false: bare layer */
	uint8_t config_digest[32];
	json_t *config;		/* parsed config, NULL without one */
	char *created;		/* config "created", NULL if absent */
	struct tar_layer *layers;
	size_t nlayers;
	char **tags;		/* RepoTags of a docker-archive */
	size_t ntags;
	/* A fingerprint's package lists (format version 2 on), owned;
	   NULL for an image, whose packages are read from its layers. */
	struct pkg_db *packages;
	bool packages_unknown;	/* a fingerprint of format version 1 or 2: its
				   packages are not known */
};

/* An attestation manifest (BuildKit provenance/SBOM), listed not read. */
struct tar_attestation {
	uint8_t digest[32];
	char *ref;		/* digest of the image it describes, or NULL */
};

/*
 * What an index lists that is not read as an image: a manifest whose blob
 * is not in the archive (Docker's containerd store saves one platform of
 * many; an OCI layout may lack blobs), and signatures, attestations and
 * artifacts beside the images.  Names from tar_listed_kind_name().
 */
enum tar_listed_kind {
	TAR_LISTED_ABSENT,	/* "absent": an image not in the archive */
	TAR_LISTED_SIGNATURE,	/* "signature": cosign simple signing layers */
	TAR_LISTED_ATTESTATION,	/* "attestation": DSSE envelope layers */
	TAR_LISTED_ARTIFACT,	/* "artifact": artifactType, or a config that
				   is not an image config, or other layers */
	TAR_LISTED_UNKNOWN,	/* "unknown": neither manifest nor index */
	TAR_NLISTED
};

struct tar_listed {
	uint8_t kind;		/* enum tar_listed_kind */
	bool present;		/* its blob is in the archive */
	uint8_t digest[32];	/* of the manifest (or index) */
	char *media_type;	/* of the descriptor (or the blob), or NULL */
	char *platform;		/* "os/arch[/variant]" of the descriptor, or NULL */
	char *artifact_type;	/* artifactType, or the config or layer media
				   type that made it an artifact, or NULL */
	char *subject;		/* "sha256:..." of the manifest it is about
				   (subject, or a cosign "sha256-HEX.sig" tag),
				   or NULL */
	char *ref_name;		/* org.opencontainers.image.ref.name, or NULL */
	bool has_index;		/* listed by an index blob (not index.json) */
	uint8_t index_digest[32];	/* that index */
};

struct tar_archive;
struct pkg_db;

/*
 * How far a read has got, for a display on another thread: the reader
 * only stores and adds (relaxed atomics), the display only loads, so a
 * value may be a moment old but is never torn.
 */
struct tar_progress {
	_Atomic uint64_t bytes;		/* input bytes read so far */
	_Atomic uint64_t total;		/* the input's size; 0 while unknown
					   (a stream, a layout directory) */
	_Atomic uint32_t layer;		/* layer tars started */
	_Atomic uint32_t nlayers;	/* layers the manifests read so far
					   list; 0 while none has been read */
	_Atomic bool done;		/* tar_read() has returned */
};

struct tar_opts {
	const char *platform;	/* keep only this "os/arch[/variant]" */
	/* Keep only this image: a tag ("app:1.4", "app" is "app:latest"), a
	   manifest or config digest ("sha256:HEX", a prefix of 12 or more hex
	   digits will do), or "@N", the N-th image from 0 (docker-archive:PATH:REF).
	   tar_read() also takes it from a path written "PATH:REF". */
	const char *ref;
	bool sha256_entries;	/* hash entries with SHA-256, not XXH3 */
	/* Skip the SHA-256 of a regular-file input (every blob inside is still
	   verified): a comparison asks tar_same_input() instead, which looks
	   at the bytes only when the images are the same. */
	bool no_input_digest;
	/* Stop with ERR_LIMIT after this many bytes of input (the file, the
	   stream, or all files of a layout directory): 0 is TAR_INPUT_MAX. */
	uint64_t max_input;
	/* How to reach a registry (docker:// inputs); NULL: the defaults. */
	const struct reg_opts *reg;
	/* Kept up to date while the input is read, or NULL (then reading
	   costs one test of the pointer a block). */
	struct tar_progress *progress;
	/* Members read at once, each on its own thread: 0 the online CPUs,
	   1 one after the other.  Only an uncompressed archive file and a
	   layout directory have members to read apart; the result does not
	   depend on it. */
	unsigned jobs;
	/* docker:// inputs: fetch manifests and configs only, every layer
	   deferred until tar_fetch_deferred(). */
	bool defer_layers;
};

/*
 * Read and verify the image archive at path ("-" for standard input).
 * @return 0 and *out (free with tar_free()), or a negative ERR_* code with
 * e->msg naming the file and the member.
 */
int tar_read(const char *path, const struct tar_opts *o,
    struct tar_archive **out, struct err *e);
/*
 * Read and verify an image archive (or a fingerprint) held in memory, as
 * tar_read() reads a file; name stands for it in messages.  buf is
 * borrowed: it must stay valid and unchanged until tar_free(), since the
 * second look (tar_fetch()) reads it again.
 * @return as tar_read().
 */
int tar_read_mem(const void *buf, size_t len, const char *name,
    const struct tar_opts *o, struct tar_archive **out, struct err *e);
void tar_free(struct tar_archive *ar);

/* The wrapper formats; names from tar_format_name(). */
enum tar_format {
	TAR_FORMAT_UNKNOWN,	/* "unknown": not known yet, while reading */
	TAR_FORMAT_DOCKER,	/* "docker-archive" (docker save, legacy) */
	TAR_FORMAT_DOCKER_OCI,	/* "docker-archive+oci" (Docker 25+) */
	TAR_FORMAT_OCI_ARCHIVE,	/* "oci-archive" */
	TAR_FORMAT_OCI_LAYOUT,	/* "oci-layout": a directory */
	TAR_FORMAT_LAYER,	/* "layer-tar": one bare layer */
	TAR_FORMAT_REGISTRY,	/* "registry": docker://, over the network */
	TAR_NFORMAT
};

/*
 * How an input is named: a path, or one of the containers tools'
 * transports ("docker-archive:PATH[:REF]", "oci-archive:PATH[:REF]",
 * "oci:DIR[:REF]", "docker://HOST/REPO:TAG" or "@sha256:HEX").  A path
 * that exists is a path, whatever it starts with.
 */
enum tar_transport {
	TAR_TRANSPORT_PATH,
	TAR_TRANSPORT_DOCKER_ARCHIVE,
	TAR_TRANSPORT_OCI_ARCHIVE,
	TAR_TRANSPORT_OCI,
	TAR_TRANSPORT_DOCKER,
	TAR_NTRANSPORT
};
/* @return the transport name is written in, and *rest what follows its
   prefix (name itself for a path). */
enum tar_transport tar_transport_parse(const char *name, const char **rest);

/* @return true and what was fetched, for an image read from a registry. */
bool tar_registry_stats(const struct tar_archive *ar, struct reg_stats *out);
/*
 * Fetch the deferred layers of ar (an image in a registry read with
 * tar_opts.defer_layers) but those whose digest is among the nkeep of keep
 * (32 bytes each), and verify each against its digest, size and diff_id;
 * late marks them fetched because a comparison needed them after all.
 * @return 0, or a negative ERR_* code naming the blob.
 */
int tar_fetch_deferred(struct tar_archive *ar, const uint8_t *keep,
    size_t nkeep, bool late, struct err *e);

/* @return the wrapper's format. */
enum tar_format tar_format(const struct tar_archive *ar);
/* @return the compression of the wrapper itself. */
enum tar_comp tar_wrapper_comp(const struct tar_archive *ar);
/* @return true and the SHA-256 of the input bytes (not for directories). */
bool tar_input_sha256(const struct tar_archive *ar, uint8_t out[32]);
/*
 * Are the inputs of a and b the same bytes?  By their SHA-256 when both
 * have one, else by reading them again (hashing the one whose digest was
 * skipped when the other came from standard input, and recording it).
 * @return 0 and *same, or a negative ERR_* code.
 */
int tar_same_input(const struct tar_archive *a, const struct tar_archive *b,
    bool *same, struct err *e);
/* @return true and the SHA-256 of the top-level index.json file, if any:
   not an image digest (see tar_image_index_digest()). */
bool tar_index_digest(const struct tar_archive *ar, uint8_t out[32]);
/* @return the number of images; tar_image() borrows one (valid until
   tar_free()). */
size_t tar_nimages(const struct tar_archive *ar);
const struct tar_image *tar_image(const struct tar_archive *ar, size_t i);
/* @return true and the digest of the image index a registry would serve
   for the images read: the index blob that lists them all, or index.json
   when it lists the platform manifests itself; false when there is none. */
bool tar_image_index_digest(const struct tar_archive *ar, uint8_t out[32]);
/* @return the number of things listed but not read as images;
   tar_listed() borrows one (valid until tar_free()). */
size_t tar_nlisted(const struct tar_archive *ar);
const struct tar_listed *tar_listed(const struct tar_archive *ar, size_t i);
const char *tar_listed_kind_name(enum tar_listed_kind k);
/* @return the kind as a count of count says it: "2 artifacts", "2 absent". */
const char *tar_listed_kind_count(enum tar_listed_kind k, size_t count);
size_t tar_nattestations(const struct tar_archive *ar);
const struct tar_attestation *tar_attestation(const struct tar_archive *ar,
    size_t i);
/* @return the kind of every entry's hash (SHA-256 for a fingerprint). */
enum tar_hash tar_hash_kind(const struct tar_archive *ar);
/* @return true when ar was read from a fingerprint (see tar_record()):
   it holds no file bytes. */
bool tar_is_fingerprint(const struct tar_archive *ar);
/* @return the format version of the fingerprint ar was read from, or 0
   when it is an image. */
unsigned tar_fp_version(const struct tar_archive *ar);
/* @return how many members (layers and other blobs) were read on the
   pool of tar_opts.jobs threads: 0 when read one after the other. */
size_t tar_pooled(const struct tar_archive *ar);
/* @return how many blobs were inflated in two stages on two threads
   (tar_opts.jobs over 1): 0 when each was read on one. */
size_t tar_piped(const struct tar_archive *ar);
/* @return warnings recorded while reading ("" when none), one per line. */
const char *tar_warnings(const struct tar_archive *ar);
/* @return NULL, or why the first layer --cache DIR did not keep was not
   written (raw: "--cache: cannot write 'PATH': REASON"), and in *n how
   many layers were not kept; valid until tar_free(). */
const char *tar_cache_warning(const struct tar_archive *ar, unsigned *n);

/*
 * Fingerprints (docs/fingerprint.md): a compact, versioned record of an
 * archive that tar_read() reads back in place of the archive itself.
 */
#define TAR_FP_VERSION	3	/* 3: the package sets */
/* Version 1 hashed a sparse file with its holes as zeros until the sparse
   hash changed within it (docs/fingerprint.md): still read. */
#define TAR_FP_VERSION_MIN	1

/*
 * Write a fingerprint of ar to fp: the input's identity, every digest, the
 * manifests and configs, every entry's path, metadata and SHA-256, and
 * the package lists of each image: dbs[i] those of image i
 * (diff_image_packages()), borrowed; dbs NULL, or dbs[i] NULL, records
 * them as not known.  ar must hash its entries with SHA-256
 * (tar_opts.sha256_entries, or a fingerprint).  writer names the program,
 * e.g. "imgdrift 0.1.0".
 * @return 0, or ERR_USAGE (XXH3 entry hashes) or ERR_IO.
 */
int tar_record(const struct tar_archive *ar, struct pkg_db *const *dbs,
    FILE *fp, const char *writer, struct err *e);

/* @return true when path is a regular file that starts like a
   fingerprint.  Anything else (standard input, a pipe, a FIFO) is not
   opened: read once, it would lose the bytes looked at. */
bool tar_sniff_fingerprint(const char *path);

/* One entry wanted by the second look. */
struct tar_fetch {
	const char *member;	/* the layer's wrapper member (tar_layer.member) */
	const char *path;	/* the entry's normalized path */
	uint8_t *data;		/* its first bytes (malloc'd; caller frees) */
	size_t len, cap;
	bool found;
	uint8_t hash[TAR_HASH_MAX];	/* of all of it, as the first pass
				   hashed (tar_hash_kind()), checked
				   against it */
	bool seen;		/* its layer was read again */
	bool truncated;		/* longer than the limit */
	bool unread;		/* so much longer that it was not read at all */
	const struct tar_entry *first;	/* the first pass's entry of it, or
				   NULL (set by tar_fetch()) */
};

/* @return false when the input cannot be read again: standard input, a
   pipe, a FIFO (only a regular file or a directory can). */
bool tar_rereadable(const struct tar_archive *ar);

/*
 * Read the input again and keep up to limit bytes of each wanted entry.
 * Only layers holding a wanted entry are inflated, up to the last wanted
 * entry; every fetched entry must hash as it did in the first pass.
 * @return 0, or a negative ERR_* code.
 */
int tar_fetch(const struct tar_archive *ar, struct tar_fetch *w, size_t n,
    size_t limit, struct err *e);

/*
 * Decoding a compression (tar/compress.c), for the layer reader and the
 * content provers alike.  Buffers in zstd's plain {src,size,pos} shape.
 */
struct tar_zin {
	const uint8_t *src;
	size_t size, pos;
	bool eof;		/* no bytes follow src[size - 1] */
};
struct tar_zout {
	uint8_t *dst;
	size_t size, pos;
};
struct tar_dec;

/* @return buf: the names of the compressions read ("gzip", "zstd"), with
   sep between them, cut at n bytes. */
const char *tar_comp_names(char *buf, size_t n, const char *sep);
/* @return the compression the bytes p start with, TAR_COMP_NONE if none. */
enum tar_comp tar_comp_sniff(const uint8_t *p, size_t n);
/*
 * Start decoding c.  head holds the first stored bytes, for the header
 * fields in fr; fr (borrowed until tar_dec_free(), or NULL) is kept up to
 * date as members and frames go by.  @return the decoder (never NULL).
 */
struct tar_dec *tar_dec_new(enum tar_comp c, const uint8_t *head, size_t n,
    struct tar_framing *fr);
/*
 * Decode from in->src[in->pos..] into out->dst[out->pos..], moving both
 * positions on.  @return 1 at the real end of the stream (every member or
 * frame, and padding), 0 when it wants more input or more room, or a
 * negative ERR_* code (ERR_LIMIT: a zstd window over
 * TAR_ZSTD_WINDOW_LOG_MAX).
 */
int tar_dec_read(struct tar_dec *d, struct tar_zin *in, struct tar_zout *out,
    struct err *e);
void tar_dec_free(struct tar_dec *d);
/*
 * Decode all of p[0..n), whatever compression it starts with, into *out
 * (malloc'd, caller frees), at most max bytes.  @return 0, or a negative
 * ERR_* code (ERR_LIMIT past max).
 */
int tar_decompress(const uint8_t *p, size_t n, size_t max, uint8_t **out,
    size_t *outn, struct err *e);
/*
 * Parse the gzip member header at p into fr (when not NULL).
 * @return its length, or 0 when p holds no complete gzip header.
 */
size_t tar_gzip_header(const uint8_t *p, size_t n, struct tar_framing *fr);

/* @return static names; parse returns -1 for an unknown name. */
const char *tar_kind_name(enum tar_kind k);
const char *tar_hdrfmt_name(enum tar_hdrfmt f);
const char *tar_format_name(enum tar_format f);
int tar_format_parse(const char *s, enum tar_format *out);
const char *tar_comp_name(enum tar_comp c);
int tar_comp_parse(const char *s, enum tar_comp *out);
const char *tar_hash_name(enum tar_hash h);	/* "xxh3", "sha256" */
/* @return the bytes of hash used by kind h: 16 or 32. */
size_t tar_hash_len(enum tar_hash h);

/*
 * Normalize an entry path in place: drop leading "/" and "./", trailing "/",
 * and collapse "//" and inner "/./".  "." and "" become "".
 */
void tar_normalize_path(char *p);

#endif
