/*
 * diff_int.h - private to diff/: the finding collector, the parts of the
 * evidence chain (one file each), and the final file system.
 */
#ifndef IMGDRIFT_DIFF_INT_H
#define IMGDRIFT_DIFF_INT_H

#include "diff/diff.h"
#include "pkg/pkg.h"
#include "util/sbuf.h"
#include "util/util.h"

/* The running comparison of one image pair. */
struct dctx {
	struct diff_result *r;
	const struct diff_opts *o;
	size_t image;			/* index in r->images */
	size_t *examples;		/* per (layer, class): examples kept */
	size_t nlayers;			/* rows in examples, minus one */
	bool counting;			/* false: find, but record nothing */
	/* Worst level of non-ignored findings: [0] config, manifest and
	   framing, [1] layer entries, [2] the final file system. */
	uint8_t worst[3];
	/* Final-file-system byte differences wait for the second look. */
	bool defer_content;
	uint8_t worst_deferred;
	/* The layers holding the entries being compared (second look), and
	   the paths whose bytes they have (a hardlink's target; NULL: the
	   entry's own). */
	const char *member_a, *member_b;
	const char *src_a, *src_b;
	uint64_t size_a, size_b;	/* and the sizes of their contents */
	enum tar_hash hash_kind;	/* of both archives' entries */
	/* Where the final file systems differ in a class that allows no
	   better than "different" (content, permission): sorted by path,
	   the classes as bits.  fs_known once diff_final_fs() ran. */
	struct dctx_fsdiff {
		const char *path;	/* borrowed from the archives */
		unsigned classes;	/* 1 << enum diff_class */
	} *fsdiff;
	size_t nfsdiff, fsdiff_cap;
	bool fs_known;
	struct pkg_view *pv;		/* the pair's packages, NULL when the
					   final file systems were not built */
	const struct fs *fs[2];		/* those of A and B, whose sorted runs
					   diff_layers() reuses; NULL when not
					   built */
	bool several;			/* an input holds several images */
	/* "A", "B" or "A and B": a fingerprint of format 1, whose sparse
	   files may be hashed with their holes as zeros; NULL when none. */
	const char *fp_v1;
	bool fp_v1_noted;		/* its note was given */
};

/*
 * Record a finding (takes ownership of a and b, which may be NULL).
 * Counts it always; keeps it as an example while the (layer, class) quota
 * lasts.
 */
struct diff_finding *diff_dctx_add(struct dctx *c, enum diff_class cls, enum diff_scope scope,
    enum diff_verdict level, int layer, const char *path, enum diff_field field,
    char *a, char *b);
/* Count an mtime that moved by d seconds (B minus A) in layer's shift. */
void diff_dctx_shift(struct dctx *c, int layer, int64_t d);
/* The same for a key of a document (DIFF_FIELD_DOCUMENT): name is the
   field shown ("config.Env", "history[2].created"). */
struct diff_finding *diff_dctx_add_doc(struct dctx *c, enum diff_class cls,
    enum diff_scope scope, enum diff_verdict level, const char *name,
    char *a, char *b);

/* A note about the pair being compared (takes note): when an input holds
   several images it names the platform. */
void diff_dctx_note(struct dctx *c, char *note);

/*
 * Read the JSON document in the file at path (a policy or accept file: a
 * regular file of at most 1 MiB, a UTF-8 byte order mark skipped, no
 * duplicate keys) into *out (json_decref() it).
 * @return 0, or ERR_IO, ERR_LIMIT or ERR_USAGE (e does not name the file).
 */
int diff_json_file_load(const char *path, json_t **out, struct err *e);
/*
 * Add the accept entries of the JSON array v to *a; key names the list in
 * messages ("accept").  @return 0, or ERR_USAGE (*a may hold some entries:
 * release it).
 */
int diff_accept_parse(const json_t *v, const char *key, struct diff_accepts *a,
    struct err *e);

/* @return whether a finding of cls at layer would be kept as an example
   (so that its values are worth formatting). */
bool diff_dctx_keeps(const struct dctx *c, enum diff_class cls, int layer);
/* The same for a finding about path in scope, which may take the place of
   a package's file among the examples when no package explains it. */
bool diff_dctx_keeps_at(const struct dctx *c, enum diff_class cls,
    enum diff_scope scope, int layer, const char *path);

/* @return "sha256:<hex>" of d (malloc'd). */
char *diff_digest_str(const uint8_t d[32]);
/* @return j as compact JSON with sorted keys (malloc'd), NULL for NULL. */
char *diff_json_str(const json_t *j);
/* The keys of two objects, sorted, each once, into *out (free it; the keys
   are borrowed from the objects).  @return how many. */
size_t diff_union_keys(const json_t *x, const json_t *y, const char ***out);

/* Raw codes with their words (malloc'd; diff/names.c): "fastest (4)",
   "Unix (3)", "GNU tar (gnu)"; a zstd frame header descriptor with the
   words of the fields in which it differs from other, "checksum (0x24)". */
char *diff_gzip_xfl_str(uint8_t xfl);
char *diff_gzip_os_str(uint8_t os);
char *diff_zstd_fhd_str(uint8_t fhd, uint8_t other);
char *diff_hdrfmt_str(enum tar_hdrfmt f);

/* "2024-01-02T03:04:05Z" (with nanoseconds when there are any). */
char *diff_time_str(int64_t t, int32_t ns);

/* Compare two entries that share a path, field by field. */
void diff_entries(struct dctx *c, enum diff_scope scope, int layer,
    const struct tar_entry *x, const struct tar_entry *y);
/* An entry on one side only (in A when in_a): content, or encoding for the
   root directory.  In a layer whose difference the final file systems do
   not show it is the split that moved (ordering), or for a whiteout the
   whiteout style when the other layer deletes in the same directory
   (peer_whiteout: encoding). */
void diff_entry_alone(struct dctx *c, enum diff_scope scope, int layer,
    const struct tar_entry *e, bool in_a, bool peer_whiteout);
/*
 * Whether a layer's finding of class cls at path stands as cls: always for
 * a class that allows dependency-equivalent, or before the final file
 * systems were compared; else only when they differ in cls at path (or,
 * with below, anywhere under it too; "" with below: anywhere).
 */
bool diff_fs_holds(const struct dctx *c, const char *path, bool below,
    enum diff_class cls);
/* @return for a whiteout entry the path it deletes, or for an opaque marker
   (*opaque set) the directory it empties ("" for the top), malloc'd; NULL
   when path is no whiteout. */
char *diff_whiteout_target(const char *path, bool *opaque);

/* The parts of a pair's evidence chain (config.c, manifest.c, layers.c):
   each records its findings through c. */
void diff_config(struct dctx *c, const json_t *x, const json_t *y);
void diff_manifest(struct dctx *c, const struct tar_image *x,
    const struct tar_image *y);
/* Archive-level differences of one pair: wrapper format, names, tags. */
void diff_wrapper(struct dctx *c, const struct tar_archive *a,
    const struct tar_archive *b, const struct tar_image *x,
    const struct tar_image *y);
/* Same diff_id behind other digests: say how the framing differs. */
void diff_framing(struct dctx *c, int layer, const struct tar_layer *x,
    const struct tar_layer *y);
/* Compare the layers of x and y position by position (when both have as
   many: else record that the split differs), matching entries by path.
   Run after diff_final_fs(), which says which layer differences last. */
void diff_layers(struct dctx *c, const struct tar_image *x,
    const struct tar_image *y);

/* The file system after every layer is applied: 16 bytes an entry. */
struct fs_entry {
	const struct tar_entry *e;
	int32_t layer;			/* from 1 */
	uint32_t target;		/* a hardlink to a regular file: 1 + the
					   index in v of that file, else 0 */
};

/* How many entries ahead a walk in path order asks memory for an entry,
   and for its path half as far ahead (the entry is there by then). */
#define DIFF_AHEAD	8

/* Ask memory for every cache line of entry e (160 bytes: three). */
#define DIFF_ENTRY_PREFETCH(e) do {					\
	util_prefetch(e);						\
	util_prefetch((const char *)(e) + 64);				\
	util_prefetch((const char *)((e) + 1) - 1);			\
} while (0)

/*
 * In a walk of v in the order of run (n indices), at step i: ask memory
 * for the entry DIFF_AHEAD steps on and for the path of the one half as
 * far (whose entry is there by then), so that the walk does not wait for
 * one cache miss after the other.  Macros: GCC takes a function that
 * only prefetches for one without effects and drops the calls.
 */
#define DIFF_RUN_PREFETCH(v, run, i, n) do {				\
	if ((i) + DIFF_AHEAD < (n))					\
		DIFF_ENTRY_PREFETCH(&(v)[(run)[(i) + DIFF_AHEAD]]);	\
	if ((i) + DIFF_AHEAD / 2 < (n))					\
		util_prefetch((v)[(run)[(i) + DIFF_AHEAD / 2]].path);	\
} while (0)

/* The same in a walk of a final file system fs (struct fs) at step i. */
#define DIFF_FS_PREFETCH(fs, i) do {					\
	if ((i) + DIFF_AHEAD < (fs)->n)					\
		DIFF_ENTRY_PREFETCH((fs)->v[(i) + DIFF_AHEAD].e);	\
	if ((i) + DIFF_AHEAD / 2 < (fs)->n)				\
		util_prefetch((fs)->v[(i) + DIFF_AHEAD / 2].e->path);	\
} while (0)

struct fs {
	const struct tar_image *im;	/* borrowed */
	struct fs_entry *v;		/* sorted by path */
	size_t n;
	/* Each layer's entry indices sorted by path, equal paths in tar
	   order (diff_layer_order()): the runs v was merged from. */
	uint32_t **runs;
	size_t nruns;
};

/* Directory symlinks of one file system through which its package
   database may name files (named limit: the rest are not followed). */
#define DIFF_PKG_ALIASES_MAX	16

/* A package of either side, while a pair is compared. */
struct pkg_pair {
	const struct pkg *a, *b;	/* NULL when absent on that side */
	size_t files;		/* differing files it owns */
	size_t rebuilt;		/* of them, recorded with other digests */
};

/* The packages of both final file systems, matched by ecosystem, name
   and arch. */
struct pkg_view {
	struct pkg_db *db[2];	/* A, B */
	struct pkg_pair *v;
	size_t n;
	size_t *to_pair[2];	/* a database's package index -> v */
	bool unknown[2];	/* a fingerprint of format version 1 */
	/* Each side's directory symlinks near the top (bin -> usr/bin, a
	   merged /usr), through which a database names a file: a link and
	   the directory it names, normalized. */
	struct pkg_alias {
		char *link, *dir;
	} alias[2][DIFF_PKG_ALIASES_MAX];
	size_t nalias[2];
};

/*
 * The crates of a cargo-auditable binary whose bytes differ, read from
 * the second look's bytes when the first pass read none of it (its
 * .dep-v0 lies more than PKG_CARGO_WINDOW before its section headers):
 * what moved is added to di's packages, kept sorted.
 */
void diff_pkg_add_file(struct diff_image *di, const char *path,
    const uint8_t *a, size_t na, const uint8_t *b, size_t nb);

/* @return the packages of fs (an image's final file system) from the
   bytes its layers kept, or those a fingerprint recorded (free with
   pkg_db_free()); NULL for a fingerprint that recorded none. */
struct pkg_db *diff_fs_packages(const struct fs *fs, const struct tar_image *im);
/* Note fs's directory symlinks at depth 1 and 2 (bin -> usr/bin, and the
   reverse) into pv's aliases of side (0 A, 1 B). */
void diff_pkg_aliases(struct pkg_view *pv, int side, const struct fs *fs);
/* Match the packages of pv->db[0] and [1] into pv->v. */
void diff_pkg_view_init(struct pkg_view *pv);
void diff_pkg_view_release(struct pkg_view *pv);
/* Name the owner of f's file in f (package, modified_after_install,
   package_database). */
void diff_pkg_attribute(const struct dctx *c, struct diff_finding *f);
/*
 * Check the bytes of f's file, a[0..na) in A and b[0..nb) in B (NULL: not
 * read), against the digests the databases recorded (f->check, pending
 * since diff_pkg_attribute()); a side whose database records the file and
 * that has none (an entry finding) does not match.  Sets f->check and
 * f->modified_after_install; leaves the check pending when no side could
 * be checked for want of bytes.
 */
void diff_pkg_check(struct diff_finding *f, const uint8_t *a, size_t na,
    const uint8_t *b, size_t nb);
/* @return how much the package view leaves f unexplained: 0 no package
   owns its file (or none was read), 1 its package's version did not
   move and both records agree (same_record: modified after install, or
   a check away from it), 2 a package's file, 3 a package database.  Reports list the lower first. */
int diff_pkg_finding_rank(const struct diff_finding *f);
/* The same before the finding is made. */
int diff_pkg_rank(const struct dctx *c, enum diff_class cls,
    enum diff_scope scope, const char *path);
/* Count a file of the final file systems whose bytes, type or presence
   differ against the package that owns it; dir: it is a directory
   wherever it is, which is not counted. */
void diff_pkg_count(struct dctx *c, const char *path, bool dir);
/* Put the packages that moved into the pair's result, and the databases
   not read into its notes.  @return whether any package moved. */
bool diff_pkg_finish(struct dctx *c);

/* The room diff_layer_order() works in: bytes an entry of the layer. */
#define DIFF_ORDER_ROOM	16

/* @return the indices of l's entries sorted by path, equal paths in
   their order in the tar (malloc'd, l->nentries of them).  room is
   DIFF_ORDER_ROOM bytes for each entry of l (8-byte aligned), left
   holding nothing of use, or NULL: then the sort allocates it. */
uint32_t *diff_layer_order(const struct tar_layer *l, void *room);

/* Apply the layers of im in order (whiteouts, opaque dirs, hardlinks),
   leaving out paths excluded by o. */
/* @return the entry of fs at path, or NULL. */
const struct fs_entry *diff_fs_find(const struct fs *fs, const char *path);
void diff_fs_build(struct fs *fs, const struct tar_image *im,
    const struct diff_opts *o);
void diff_fs_release(struct fs *fs);
/* Build the final file systems of x and y (at the same time) and compare
   them, byte differences deferred to the second look; findings are kept
   only when record is set (else only the worst levels move). */
void diff_final_fs(struct dctx *c, const struct fs *fx, const struct fs *fy,
    bool record);
/* Build the final file systems of x and y and read their packages into
   pv (both sides at the same time). */
void diff_fs_pair_build(const struct dctx *c, const struct tar_image *x,
    const struct tar_image *y, struct fs *fx, struct fs *fy,
    struct pkg_view *pv);

/*
 * The name of the layer at 0-based position layer of config's history: the
 * last step since the previous layer that changes files (history entries
 * marked empty_layer belong to the layer after them, as a squashed build
 * writes them), with how many steps more it holds: "COPY dir:0123456789ab…
 * in /app/ (+3 steps)".  @return the name (malloc'd), or NULL when the
 * history does not say.
 */
char *diff_layer_step(const json_t *config, size_t layer);

/* @return the builder the last history entry of config shows. */
enum diff_builder diff_builder_detect(const json_t *config);

/* @return true when path is left out by any --exclude. */
bool diff_path_excluded_any(const struct diff_opts *o, const char *path);

#endif
