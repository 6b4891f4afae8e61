/*
 * diff.h - compare two read images: match layers and entries, classify each
 * difference into a drift class, decide the verdict, and keep the evidence
 * chain (image -> config -> layer -> entry -> field).  The result is the
 * only thing report/ reads.
 */
#ifndef IMGDRIFT_DIFF_H
#define IMGDRIFT_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pkg/pkg.h"
#include "tar/tar.h"
#include "util/err.h"

/* Verdict levels, strongest first. */
enum diff_verdict {
	DIFF_IDENTICAL,
	DIFF_SAME_DIGEST,
	DIFF_BYTE_EQUIVALENT,
	DIFF_DEPENDENCY_EQUIVALENT,
	DIFF_DIFFERENT,
};

/* Drift classes, in the (alphabetical) order reports list them. */
enum diff_class {
	DIFF_COMPRESSION,
	DIFF_CONTENT,
	DIFF_ENCODING,
	DIFF_METADATA,
	DIFF_ORDERING,
	DIFF_PERMISSION,
	DIFF_TIMESTAMP,
	DIFF_NCLASS
};

/* The known-volatile rules: logs, machine-id, the ldconfig aux-cache, ...
   (one table in diff/causes.c; diff_cause.rule indexes it). */
#define DIFF_NVOLATILE	8

/* The builders recognised from a config's history (diff/builders.c). */
enum diff_builder {
	DIFF_BUILDER_UNKNOWN,
	DIFF_BUILDER_BUILDKIT,
	DIFF_BUILDER_KANIKO,
	DIFF_BUILDER_BUILDAH,	/* buildah, and podman build */
	DIFF_BUILDER_DOCKER,	/* the legacy docker builder */
	DIFF_NBUILDER
};

/* Where a finding hangs in the evidence chain. */
enum diff_scope {
	DIFF_SCOPE_ARCHIVE,	/* the wrapper: format, tags, member order */
	DIFF_SCOPE_MANIFEST,	/* index and manifest */
	DIFF_SCOPE_CONFIG,	/* the config document */
	DIFF_SCOPE_LAYER,	/* a layer's framing or its entries */
	DIFF_SCOPE_FS,		/* the final file system (layers applied) */
};

/* The provers (one row each in diff/causes.c): who knew the file's format. */
enum diff_prover {
	DIFF_PROVER_NONE,
	DIFF_PROVER_GZIP,
	DIFF_PROVER_ZSTD,
	DIFF_PROVER_AR,
	DIFF_PROVER_TAR,
	DIFF_PROVER_MODULES,	/* compiled dependencies: Go, jar, cargo */
	DIFF_PROVER_PYC,
	DIFF_PROVER_ZIP,
	DIFF_PROVER_PNG,
	DIFF_PROVER_MO,
	DIFF_PROVER_ELF,
	DIFF_PROVER_PE,
	DIFF_PROVER_VOLATILE,	/* a known-volatile path, not a format */
	DIFF_PROVER_LINES,	/* text: the same lines in another order, or
				   only date and time tokens moved */
	DIFF_NPROVER
};

/* What a prover proved (names and fix hints: one table in diff/causes.c). */
enum diff_cause_id {
	DIFF_CAUSE_NONE,	/* no cause holds: the fields say what differs */
	DIFF_CAUSE_PYC_MTIME,
	DIFF_CAUSE_GZIP_HEADER,
	DIFF_CAUSE_GZIP_COMPRESSION,
	DIFF_CAUSE_GZIP_PAYLOAD,
	DIFF_CAUSE_ZSTD_COMPRESSION,
	DIFF_CAUSE_ZSTD_PAYLOAD,
	DIFF_CAUSE_ZIP_TIMES,
	DIFF_CAUSE_TAR_TIMES,
	DIFF_CAUSE_TAR_ENCODING,
	DIFF_CAUSE_AR_MEMBER_HEADER,
	DIFF_CAUSE_AR_MEMBERS,
	DIFF_CAUSE_PNG_TIME,
	DIFF_CAUSE_MO_CREATION_DATE,
	DIFF_CAUSE_BUILD_PATH,
	DIFF_CAUSE_BUILD_ID,
	DIFF_CAUSE_PE_TIMESTAMP,
	DIFF_CAUSE_KNOWN_VOLATILE,
	DIFF_CAUSE_LINE_ORDER,
	DIFF_CAUSE_TEXT_DATES,	/* text: only date and time tokens moved */
	DIFF_NCAUSE
};

/* Why two versions of a file differ, as the provers found it. */
struct diff_cause {
	uint8_t prover;		/* enum diff_prover; NONE: no prover knew it */
	uint8_t id;		/* enum diff_cause_id; NONE: no cause holds */
	uint8_t rule;		/* DIFF_PROVER_VOLATILE: which rule */
	char fields[240];	/* what moved ("bytes 8-11"), or with
				   DIFF_CAUSE_NONE what differs beyond a cause */
};
#define DIFF_CAUSE_TEXT_MAX	288	/* diff_cause_text() with its name */

/* What a finding compares (names: diff_field_name()). */
enum diff_field {
	DIFF_FIELD_TYPE,
	DIFF_FIELD_SIZE,
	DIFF_FIELD_CONTENT,
	DIFF_FIELD_LINK,
	DIFF_FIELD_HARDLINK,
	DIFF_FIELD_DEVICE,
	DIFF_FIELD_MODE,
	DIFF_FIELD_UID,
	DIFF_FIELD_GID,
	DIFF_FIELD_UNAME,
	DIFF_FIELD_GNAME,
	DIFF_FIELD_XATTRS,
	DIFF_FIELD_MTIME,
	DIFF_FIELD_ATIME,
	DIFF_FIELD_CTIME,
	DIFF_FIELD_HEADER,
	DIFF_FIELD_ENTRY,
	DIFF_FIELD_POSITION,
	DIFF_FIELD_DIFF_ID,
	DIFF_FIELD_LAYERS,
	DIFF_FIELD_TAR_SIZE,
	DIFF_FIELD_TAR_BYTES,
	DIFF_FIELD_PLATFORM,
	DIFF_FIELD_MANIFEST,
	DIFF_FIELD_INDEX,
	DIFF_FIELD_MEDIA_TYPE,
	DIFF_FIELD_CONFIG_MEDIA_TYPE,
	DIFF_FIELD_FORMAT,
	DIFF_FIELD_ARCHIVE_COMPRESSION,
	DIFF_FIELD_TAGS,
	DIFF_FIELD_HISTORY,
	DIFF_FIELD_COMPRESSION,
	DIFF_FIELD_GZIP_MTIME,
	DIFF_FIELD_GZIP_OS,
	DIFF_FIELD_GZIP_XFL,
	DIFF_FIELD_GZIP_FNAME,
	DIFF_FIELD_GZIP_FLAGS,
	DIFF_FIELD_GZIP_MEMBERS,
	DIFF_FIELD_GZIP_PADDING,
	DIFF_FIELD_ZSTD_FRAME_HEADER,
	DIFF_FIELD_ZSTD_FRAMES,
	DIFF_FIELD_DEFLATE_STREAM,
	DIFF_FIELD_STREAM,
	DIFF_FIELD_DOCUMENT,	/* a key of the config, a history step or an
				   annotation: the finding's field names it */
	DIFF_FIELD_IMAGE,	/* an image of one side only, by its tag */
	DIFF_FIELD_LISTED,	/* a signature, attestation or artifact */
	DIFF_NFIELD
};

/* Whether the second look read a file, and which limit stopped it. */
enum diff_look {
	DIFF_LOOK_NONE,		/* not a file it reads, or no bytes to read */
	DIFF_LOOK_DONE,		/* read and judged by the provers */
	DIFF_LOOK_FILE_SIZE,	/* larger than diff_opts.look_max_file */
	DIFF_LOOK_BUDGET,	/* the budget (look_budget) was spent */
	DIFF_LOOK_FILE_COUNT,	/* look_max_files files were read already */
};

/* The second look's limits when diff_opts leaves them 0. */
#define DIFF_LOOK_MAX_FILE_DEFAULT	(4u << 20)	/* bytes of one version */
#define DIFF_LOOK_BUDGET_DEFAULT	(256u << 20)	/* bytes of all versions */
#define DIFF_LOOK_MAX_FILES_DEFAULT	1024		/* files (pairs of versions) */
#define DIFF_LOOK_FILES_LIMIT	1000000		/* the most look_max_files takes */

/* How a file of a package whose version did not move was checked against
   the digests its databases recorded. */
enum diff_check_state {
	DIFF_CHECK_NONE,	/* nothing to check: no such package, no digest
				   recorded, or not a content finding */
	DIFF_CHECK_PENDING,	/* to check, on the second look */
	DIFF_CHECK_DONE,	/* checked: side[] says how */
	DIFF_CHECK_LIMIT,	/* a second-look limit left the bytes unread
				   (the finding's look says which) */
	DIFF_CHECK_NO_BYTES,	/* the inputs cannot be read a second time (a
				   fingerprint, standard input) */
	DIFF_CHECK_FAILED,	/* the record cannot be checked: why says */
};

struct diff_check {
	uint8_t state;		/* enum diff_check_state */
	uint8_t eco;		/* enum pkg_eco of the package */
	char *recorded[2];	/* the digests A's and B's databases recorded
				   (pkg_db_owner()), NULL: none */
	/* DIFF_CHECK_DONE: per side, 1 its bytes match its record, 0 they
	   do not (or the file is gone), -1 not checked (no record) */
	int8_t match[2];
	bool absent[2];		/* the side has no such file */
	uint8_t limit;		/* DIFF_CHECK_LIMIT: the enum diff_look that
				   stopped it */
	struct pkg_check side[2];	/* where match[] >= 0 and !absent */
	char *why;		/* DIFF_CHECK_FAILED: the reason */
};

/* One difference.  Strings are raw bytes from the images: escape them. */
struct diff_finding {
	uint8_t cls;		/* enum diff_class */
	uint8_t scope;		/* enum diff_scope */
	uint8_t level;		/* best verdict still possible with it */
	bool ignored;		/* its class was --ignore'd */
	int layer;		/* 1-based layer number, 0 when none */
	size_t image;		/* index into diff_result.images */
	char *path;		/* entry path, NULL when none */
	uint8_t field_id;	/* enum diff_field */
	char *field;		/* "mtime", "mode", "config.Env", ... */
	char *a, *b;		/* values, NULL when absent on that side */
	bool json_values;	/* a and b are JSON text (config and annotation
				   values): escape them as such, once */
	int64_t offset;		/* content: first differing byte, -1 unknown */
	struct diff_cause cause;	/* content: what the provers found */
	bool explained;		/* the cause accounts for every differing byte
				   (and a volatile file counts as explained) */
	char *detail;		/* a text diff, hex context, changed packages */
	const char *accepted;	/* the reason of the --accept entry that
				   matched it (borrowed), NULL when none */
	const char *member_a;	/* content: the layers holding the entry */
	const char *member_b;	/*   (borrowed from the archives) */
	const char *src_a;	/* content: the path whose bytes the entry has, */
	const char *src_b;	/*   a hardlink's target; NULL: path itself */
	/* Content and permission findings on the final file system (or in
	   a layer) of a file a package owns: */
	char *package;		/* "dpkg:openssl", NULL when no package does */
	bool modified_after_install;	/* the package's version did not move,
				   and the file's bytes on a side do not match
				   the digest that side's database recorded
				   (check says which side); or by_version */
	bool by_version;	/* modified after install by its version
				   alone: its ecosystem records no checksum,
				   and a published version's files never
				   change (npm, gem) */
	bool same_record;	/* the package's version did not move and both
				   databases record the same digest for the
				   file (by_version: none): the bytes that
				   differ cannot both be the package's */
	struct diff_check check;	/* content: the bytes against the
				   records */
	bool package_database;	/* the file is a package database itself */
	uint64_t size_a, size_b;	/* content: the versions' sizes */
	uint8_t look;		/* content: enum diff_look */
	/* --dockerfile: the lint rule that predicts this drift, on the
	   instruction of its layer (static id), and its line. */
	const char *lint_rule;
	unsigned lint_line;
};

/* How a package moved between A and B (names: diff_pkg_change_name()). */
enum diff_pkg_change {
	DIFF_PKG_UPGRADED,
	DIFF_PKG_DOWNGRADED,
	DIFF_PKG_ADDED,
	DIFF_PKG_REMOVED,
	DIFF_PKG_REBUILT,	/* same version, other bytes in its files */
	DIFF_NPKG_CHANGE
};

/* One package that moved.  Strings are raw bytes from the images. */
struct diff_package {
	uint8_t eco;		/* enum pkg_eco */
	uint8_t change;		/* enum diff_pkg_change */
	char *name, *arch;
	char *where;		/* where an application package lives
				   (pkg.h), "" for an OS package */
	char *a, *b;		/* versions, NULL when absent on that side */
	size_t files;		/* differing files it owns */
};

/* How far the mtimes of a layer's entries moved, B minus A: every entry
   whose mtime differs, not only the examples. */
struct diff_shift {
	size_t n;
	int64_t min, max;	/* seconds */
	size_t later, earlier;	/* moved forward, back (the rest moved
				   less than a second) */
};

/* One step of an image's history (A's, else B's), in order. */
struct diff_step {
	char *created_by;	/* raw bytes from the config, NULL: none */
	bool empty_layer;	/* made no layer (ENV, CMD, ...) */
	int layer;		/* 1-based layer it made, 0 for none */
	unsigned dockerfile_line;	/* --dockerfile: its instruction's
				   line, 0 when it matched none */
};

/* A pair of layers at one position. */
struct diff_layer {
	int index;		/* 1-based position */
	unsigned dockerfile_line;	/* --dockerfile: the line of the
				   instruction that made it, 0: none */
	char *step;		/* history created_by of the layer (A, else B) */
	bool in_a, in_b;
	uint8_t digest_a[32], digest_b[32];
	uint8_t diff_id_a[32], diff_id_b[32];
	size_t entries_a, entries_b;
	size_t counts[DIFF_NCLASS];	/* findings per class */
	size_t volatiles[DIFF_NVOLATILE];	/* content findings per
				   known-volatile rule, by path */
	struct diff_shift shift;
	/* The one mtime of every entry of the layer on that side
	   ("2023-11-14T22:13:20Z": clamped, as SOURCE_DATE_EPOCH does), NULL
	   when the entries have several. */
	char *clamped_a, *clamped_b;
};

/* A file of a package database a bound left out (pkg_db_unread()):
   named where the packages are, so that no file drops out unseen. */
struct diff_pkg_unread {
	uint8_t eco;		/* enum pkg_eco */
	char *path, *why;	/* raw bytes from the images; why: "over 8 MiB" */
	bool a, b;		/* on which side */
};

/* One compared image pair (one platform). */
struct diff_image {
	char *platform;		/* NULL when unknown */
	bool in_a, in_b;
	bool has_manifest_a, has_manifest_b;
	uint8_t manifest_a[32], manifest_b[32];
	bool has_config_a, has_config_b;
	uint8_t config_a[32], config_b[32];
	struct diff_layer *layers;
	size_t nlayers, nlayers_a, nlayers_b;
	struct diff_step *history;	/* A's, else B's */
	size_t nhistory;
	uint8_t verdict;	/* enum diff_verdict for this pair */
	uint8_t verdict_rest;	/* the verdict if every content item is explained */
	struct diff_content *content;
	size_t ncontent, content_cap;
	bool content_overflow;	/* more items than the second look takes */
	struct diff_package *packages;	/* sorted by ecosystem and name */
	size_t npackages;
	struct diff_pkg_unread *unread;	/* by ecosystem, A's then B's own */
	size_t nunread;
	bool has_packages;	/* a package database was read on a side */
};

/* A file whose bytes differ in the final file systems: the second look
   must explain it for the pair to stay dependency-equivalent. */
struct diff_content {
	char *path;
	const char *member_a, *member_b;	/* borrowed from the archives */
	const char *src_a, *src_b;	/* as a finding's */
	uint64_t size_a, size_b;
	bool explained;
	uint8_t look;		/* enum diff_look */
	bool compiled;		/* a .pyc differing beyond its header */
	bool follows_source;	/* ... whose source beside it differs too */
	bool known_volatile;	/* a known-volatile file (proven, or by its
				   path), explained only with --volatile ignore */
};

struct diff_exclude {
	const char *pattern;	/* borrowed from the options, as written */
	size_t removed;		/* paths left out, each counted once however
				   many layers and images hold it */
};

/* A reviewed, expected difference (--accept, docs/policy.md).  Absent
   fields match anything. */
struct diff_accept {
	char *path;		/* as written, NULL: any finding */
	char *glob;		/* path normalized (diff_exclude_glob()) */
	bool has_class;
	uint8_t cls;		/* enum diff_class */
	char *cause;		/* a prefix of the cause, NULL: any */
	char *reason;		/* why it is expected, never NULL */
};

/* A list of accept entries (free with diff_accepts_release()). */
struct diff_accepts {
	struct diff_accept *v;
	size_t n, cap;
};

struct diff_result {
	uint8_t verdict;	/* enum diff_verdict */
	uint8_t required;
	bool meets;		/* verdict at least as strong as required */
	size_t counts[DIFF_NCLASS];	/* all findings, ignored included */
	bool ignored[DIFF_NCLASS];
	struct diff_finding *findings;	/* examples, sorted */
	size_t nfindings, nfindings_cap;
	size_t examples_dropped;	/* beyond --max-examples */
	size_t max_examples;	/* as asked: 0 means 5, DIFF_EXAMPLES_ALL
				   every one (the packages listed too) */
	struct diff_image *images;
	size_t nimages;
	struct diff_exclude *excludes;
	size_t nexcludes;
	size_t accepted[DIFF_NCLASS];	/* findings accepted, per class */
	bool *accept_used;	/* per diff_opts.accept entry: matched */
	const struct diff_accept *accept;	/* borrowed from the options */
	size_t naccept;
	char *volatile_only;	/* when only known-volatile files make the
				   pair different: which ("5 logs, machine-id"),
				   else NULL */
	char **notes;		/* observations: clamping, sortedness, ... */
	size_t nnotes, notes_cap;
	const char *name_a, *name_b;
	const char *dockerfile;	/* --dockerfile FILE, borrowed; NULL: none */
	bool have_sha_a, have_sha_b;
	uint8_t sha_a[32], sha_b[32];
	const char *format_a, *format_b;
	bool fingerprint_a, fingerprint_b;	/* read from a fingerprint */
	uint8_t hash_kind;	/* enum tar_hash of the entry hashes */
	uint8_t builder_a, builder_b;	/* enum diff_builder of the first
					   image pair's configs */
	/* The second look: its limits, and the files and bytes it read. */
	uint64_t look_max_file, look_budget;
	size_t look_max_files;
	size_t look_files;
	uint64_t look_bytes;
	char bare_layer;	/* 'A' or 'B': that input is a bare layer, and
				   its tree was compared with the final file
				   system of each image of the other; 0 */
};

#define DIFF_EXAMPLES_ALL	SIZE_MAX

struct diff_opts {
	enum diff_verdict require;
	bool ignore[DIFF_NCLASS];
	const char *const *excludes;	/* as written: "/var/log/", "./tmp" */
	size_t nexcludes;
	size_t max_examples;	/* per class and layer; 0 means 5,
				   DIFF_EXAMPLES_ALL keeps every finding */
	bool volatile_ignore;	/* known-volatile files count like timestamps */
	const struct diff_accept *accept;	/* accepted drift: never counts
						   against require */
	size_t naccept;
	/* The second look's limits, 0 for the defaults (DIFF_LOOK_*). */
	uint64_t look_max_file;	/* bytes of one version of a file */
	uint64_t look_budget;	/* bytes of every version read */
	size_t look_max_files;	/* files read */
};

/* A nightly job's rules, read from a policy file (docs/policy.md). */
struct diff_policy {
	bool has_require;
	enum diff_verdict require;
	bool ignore[DIFF_NCLASS];
	char **excludes;	/* owned */
	size_t nexcludes;
	bool has_volatile;
	bool volatile_ignore;	/* "volatile": "ignore" */
	char *platform;		/* owned, NULL when not set */
	size_t max_examples;	/* 0 when not set */
	struct diff_accepts accept;	/* "accept" */
	uint64_t look_max_file, look_budget;	/* 0 when not set */
	size_t look_max_files;
};

/*
 * Read the policy file at path into *p (free with diff_policy_release()).
 * Unknown keys and values of the wrong type are errors.
 * @return 0, or ERR_IO, ERR_LIMIT or ERR_USAGE with e naming the file.
 */
int diff_policy_load(const char *path, struct diff_policy *p, struct err *e);
void diff_policy_release(struct diff_policy *p);

/*
 * Read an accept file ({"accept": [...]}, docs/policy.md) at path and add
 * its entries to *a.  Unknown keys, unknown classes and entries without a
 * reason are errors.
 * @return 0, or ERR_IO, ERR_LIMIT or ERR_USAGE with e naming the file
 * (*a is then as it was).
 */
int diff_accept_load(const char *path, struct diff_accepts *a, struct err *e);
void diff_accepts_release(struct diff_accepts *a);
/*
 * Whether accept entry x covers a finding of class cls at path (NULL for
 * none) whose cause reads cause (diff_cause_text(); NULL when not known).
 */
bool diff_accept_matches(const struct diff_accept *x, enum diff_class cls,
    const char *path, const char *cause);

/*
 * Compare a and b (named name_a/name_b in the result).  Both must hash
 * their entries the same way (tar_hash_kind()): an image compared with a
 * fingerprint must be read with tar_opts.sha256_entries.
 * @return 0 and *out (free with diff_result_free()), or a negative code
 * (ERR_USAGE when the hash kinds differ).
 */
int diff_archives(const struct tar_archive *a, const char *name_a,
    const struct tar_archive *b, const char *name_b,
    const struct diff_opts *o, struct diff_result **out, struct err *e);
void diff_result_free(struct diff_result *r);

/*
 * The second look: read the inputs again (only the layers that hold files
 * with other bytes are inflated), find each one's first differing byte,
 * prove its cause (embedded timestamps, build ids, known-volatile files,
 * line order), and decide the verdict again: the pair stays
 * dependency-equivalent only when every differing byte is accounted for.
 * a and b must be the archives r was made from, o the same options.
 * Standard input cannot be read twice, and a fingerprint holds no file
 * bytes: then it adds a note, leaves content unexplained, and returns 0.
 * @return 0, or a negative ERR_* code (an input changed, an I/O error).
 */
int diff_second_look(struct diff_result *r, const struct tar_archive *a,
    const struct tar_archive *b, const struct diff_opts *o, struct err *e);

/*
 * Why the second look did not read a file, with the limit that stopped it
 * ("over 4 MiB", "second-look budget of 256 MiB spent"), from r's limits.
 * @return buf, or "" for DIFF_LOOK_NONE and DIFF_LOOK_DONE.
 */
const char *diff_look_text(const struct diff_result *r, enum diff_look l,
    char *buf, size_t n);
/* @return the limit's name in JSON ("file-size", "budget", "file-count"),
   NULL for DIFF_LOOK_NONE and DIFF_LOOK_DONE. */
const char *diff_look_name(enum diff_look l);

/*
 * The OS packages of im's final file system (layers applied, whiteouts
 * honoured), read from the database bytes its layers kept, or those a
 * fingerprint recorded.  @return the set (free with pkg_db_free()), NULL
 * for a fingerprint of format version 1 (its packages are not known).
 */
struct pkg_db *diff_image_packages(const struct tar_image *im);
/* @return diff_image_packages() of every image of ar, tar_nimages(ar) of
   them (free with diff_archive_packages_free(dbs, tar_nimages(ar))). */
struct pkg_db **diff_archive_packages(const struct tar_archive *ar);
void diff_archive_packages_free(struct pkg_db **dbs, size_t n);

/* @return static names; parse returns -1 for an unknown name. */
const char *diff_verdict_name(enum diff_verdict v);
int diff_verdict_parse(const char *s, enum diff_verdict *out);
const char *diff_class_name(enum diff_class c);
const char *diff_field_name(enum diff_field f);
/* @return what a field whose values are codes means ("deflate level"), or
   NULL for a field whose name says it. */
const char *diff_field_word(enum diff_field f);
const char *diff_pkg_change_name(enum diff_pkg_change c);
/* @return the one-line fix hint for packages of eco that moved (static;
   the OS ecosystems share one). */
const char *diff_pkg_hint(enum pkg_eco eco);
/* @return the packages that moved in every image of r. */
size_t diff_packages_moved(const struct diff_result *r);
int diff_class_parse(const char *s, enum diff_class *out);
/* @return the names of the verdicts from identical to last, or of every
   class, joined by sep (malloc'd): the lists an error message shows. */
char *diff_verdict_names(enum diff_verdict last, const char *sep);
char *diff_class_names(const char *sep);
/* @return the best verdict still possible with a finding of class c
   (DESIGN.md): different for content and permission, byte-equivalent for
   compression, dependency-equivalent for the rest (metadata in the
   manifest or the wrapper allows byte-equivalent where it is found). */
enum diff_verdict diff_class_level(enum diff_class c);
/* @return the builder's name ("BuildKit", "buildah/podman", ...). */
const char *diff_builder_name(enum diff_builder b);
/*
 * The fix hints for class c in r, most specific first, into out (at least
 * DIFF_HINTS_MAX entries): a layer split's or a whiteout style's own hint,
 * lines in another order's (sort them where the file is written), the
 * switches of the builders r's two sides show (buildah/podman --timestamp,
 * BuildKit rewrite-timestamp, kaniko --reproducible), else the class's
 * hint.  @return how many (static strings).
 */
#define DIFF_HINTS_MAX	5
size_t diff_class_hints(const struct diff_result *r, enum diff_class c,
    const char **out, size_t max);
/* @return the one-line fix hint for a class. */
const char *diff_class_hint(enum diff_class c);
/*
 * A cause as reports show it: "pyc-mtime (bytes 8-11)", "known-volatile:log",
 * "gzip-payload: pyc-mtime (...)", or what differs; "" when no prover knew
 * the file.  @return buf, n bytes (DIFF_CAUSE_TEXT_MAX holds every cause).
 */
const char *diff_cause_text(const struct diff_cause *c, char *buf, size_t n);
/* @return the cause's name for a hint ("pyc-mtime", "known-volatile:log")
   in buf, or "" when it has none. */
const char *diff_cause_label(const struct diff_cause *c, char *buf, size_t n);
/*
 * Images in a registry read with tar_opts.defer_layers: what the
 * comparison needs fetched.  The layers a pair of images (paired as
 * diff_archives() pairs them) holds as the same blobs from the bottom up
 * need not be: @return how many digests (32 bytes each) *keep holds
 * (malloc'd, caller frees) of layers that are such a shared bottom in every
 * image that lists them, to pass to tar_fetch_deferred().
 */
size_t diff_fetch_plan(const struct tar_archive *a, const struct tar_archive *b,
    uint8_t **keep);
/*
 * After tar_fetch_deferred() with that plan: @return true when the final
 * file systems still need the deferred layers' entries: the layers above
 * the shared bottom touch other paths in A than in B, or delete one (a
 * whiteout), or an image has no partner.  Then fetch them all.
 */
bool diff_deferred_needed(const struct tar_archive *a,
    const struct tar_archive *b);

/* Add a note to r's observations (r takes note, a malloc'd string). */
void diff_add_note(struct diff_result *r, char *note);
/* @return the name of known-volatile rule k ("log", "machine-id"), NULL
   past the last. */
const char *diff_volatile_name(size_t k);
/* @return the fix hint for a cause, or NULL when it has none. */
const char *diff_cause_hint(const struct diff_cause *c);

/*
 * An exclude pattern as users write it ("/app/BUILD_DATE", "./var/log",
 * "var/log/") normalized like entry paths (tar_normalize_path()).
 * @return the glob (malloc'd), or NULL when nothing is left ("/", "."):
 * such a pattern would name the root and so every path.
 */
char *diff_exclude_glob(const char *pattern);
/* @return true when path (normalized) is matched by glob, normalized by
   diff_exclude_glob(): fnmatch where "*" also crosses "/", or the glob
   matches one of the path's parents. */
bool diff_path_excluded(const char *glob, const char *path);

#endif
