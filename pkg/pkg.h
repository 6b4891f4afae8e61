/*
 * pkg.h - the package databases of an image: the OS's (dpkg, apk, rpm),
 * the applications' (Python's site-packages, Node's node_modules, Ruby's
 * gem homes), and the dependencies compiled into files (a Go binary's
 * modules, a jar's Maven artifacts, a cargo-auditable binary's crates):
 * which entry paths (or, for a Go binary, bytes) hold them, reading them
 * from bytes kept while the layers streamed, the packages they list with
 * the files each owns, and each ecosystem's version ordering.  Uses util/
 * only: tar/ asks which paths and bytes to keep (pkg_capture_match(),
 * pkg_go_mark), diff/ reads what was kept on the final file system
 * (pkg_db_read()) and compares.
 */
#ifndef IMGDRIFT_PKG_H
#define IMGDRIFT_PKG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The ecosystems, one row each in pkg/pkg.c's reader table. */
enum pkg_eco { PKG_DPKG, PKG_APK, PKG_RPM, PKG_PYPI, PKG_NPM, PKG_GEM,
	PKG_GO, PKG_MAVEN, PKG_CARGO, PKG_NECO };

/* Named limits. */
#define PKG_DB_MAX	(64u << 20)	/* bytes kept of one ecosystem's
					   database files, in all */
#define PKG_LINE_MAX	(1u << 20)	/* one line of a text database */
#define PKG_PACKAGES_MAX	(1u << 20)	/* packages of one ecosystem */
#define PKG_FILE_MAX	(8u << 20)	/* one file of an ecosystem whose
					   files are read one by one (pypi,
					   npm, gem): a larger one is named
					   and left out */
#define PKG_JAR_MAX	(32u << 20)	/* one jar (war, ear): larger than
					   PKG_FILE_MAX, as Spring Boot's are */
#define PKG_GO_BLOB_MAX	(256u << 10)	/* a Go binary's build information,
					   kept from its mark on */
#define PKG_NESTED_MAX	(32u << 20)	/* a jar inside a jar, inflated */
#define PKG_NOTES_MAX	8	/* notes kept per ecosystem (the rest
				   counted) */
#define PKG_UNREAD_MAX	64	/* files left out by a limit kept per
				   ecosystem (pkg_db_unread(); the rest
				   counted among the notes) */

/*
 * Is path (normalized, as tar_normalize_path() leaves it) a file of a
 * package database?  @return its ecosystem, or -1; *bytes tells whether
 * its bytes are read (false: only its presence counts, as for a Berkeley
 * DB that is detected, not read).
 */
int pkg_capture_match(const char *path, bool *bytes);
/* @return the most bytes kept of one file of eco: PKG_FILE_MAX for the
   ecosystems read file by file, PKG_DB_MAX for the others. */
uint64_t pkg_file_max(enum pkg_eco eco);

/* One database file of the final file system, as kept while streaming. */
struct pkg_input {
	const char *path;	/* normalized */
	const uint8_t *data;	/* borrowed for pkg_db_read() only */
	size_t len;
	bool over;		/* not kept: its ecosystem passed PKG_DB_MAX, or
				   (file_over) it passed pkg_file_max() */
	bool file_over;
	bool scanned;		/* kept for what its bytes hold, whatever its
				   path (a Go binary's build information, from
				   pkg_go_mark on; a cargo-auditable binary's
				   .dep-v0 section, pkg_cargo_find()): then eco
				   says whose */
	uint8_t eco;		/* enum pkg_eco, when scanned */
};

/* One installed package (a plain record, owned by its pkg_db). */
struct pkg {
	uint8_t eco;		/* enum pkg_eco */
	char *name;
	char *arch;		/* "" when the database names none */
	char *version;		/* as the ecosystem writes it ("1:2.3-4") */
	char *where;		/* "" for an OS package; where an application
				   package lives, telling apart one name in two
				   places: the site-packages directory, the
				   package's directory (node_modules/lodash),
				   the gem home */
	size_t nfiles;		/* paths it owns that are not directories
				   (files under a directory it owns as a
				   whole, npm's and gem's, not counted) */
	bool owns_dir;		/* it owns a directory as a whole */
};

struct pkg_db;
struct sbuf;
struct err;

/* @return the order of packages by ecosystem, name, arch and where (<0,
   0, >0). */
int pkg_compare(const struct pkg *a, const struct pkg *b);

/*
 * Read the packages of the files in in[0..n) (any order).  Never fails:
 * a database that does not parse is recorded as a problem of its
 * ecosystem (pkg_db_problem()), its packages left out.
 * @return the set (free with pkg_db_free()).
 */
struct pkg_db *pkg_db_read(const struct pkg_input *in, size_t n);
void pkg_db_free(struct pkg_db *db);

/* @return the packages, sorted by pkg_compare(); pkg_db_get()
   borrows one (valid until pkg_db_free()). */
size_t pkg_db_count(const struct pkg_db *db);
const struct pkg *pkg_db_get(const struct pkg_db *db, size_t i);
/* @return whether eco's database was found (read or not). */
bool pkg_db_present(const struct pkg_db *db, enum pkg_eco eco);
/* @return why eco's database was not read ("unreadable: line 3: no
   colon", "not read: over 64 MiB", "not read: Berkeley DB"), NULL when
   it was read or is absent.  Borrowed until pkg_db_free(). */
const char *pkg_db_problem(const struct pkg_db *db, enum pkg_eco eco);
/* @return the i-th note of eco's database, NULL past the last: what was
   left out while the rest was read ("node_modules/x/package.json: not
   JSON"), where a lockfile and the installed tree disagree.  At most
   PKG_NOTES_MAX, then one saying how many more.  Borrowed until
   pkg_db_free(). */
const char *pkg_db_note(const struct pkg_db *db, enum pkg_eco eco, size_t i);
/*
 * The i-th file of eco left out by a bound (a lockfile over 8 MiB, a jar
 * inside a jar over 32 MiB inflated), each also a note ("PATH: not read:
 * WHY").  @return its path (normalized; "app.jar!/BOOT-INF/lib/x.jar"
 * for a jar inside a jar), NULL past the last (at most PKG_UNREAD_MAX);
 * *why (when not NULL) says which bound ("over 8 MiB", "over the 32 MiB
 * nested-jar limit").  Borrowed until pkg_db_free().  A set decoded from
 * a fingerprint keeps the notes only: none.
 */
const char *pkg_db_unread(const struct pkg_db *db, enum pkg_eco eco, size_t i,
    const char **why);

/*
 * The package that owns path (normalized): the one that lists it, else the
 * one owning the deepest directory above it (node_modules/a/node_modules/b
 * before node_modules/a).  @return its index for pkg_db_get(), or -1;
 * *digest (when not NULL) is set to the digest the database recorded for
 * the file ("md5:<hex>", "sha256:<urlsafe base64>", ...), NULL when it
 * recorded none.  Borrowed until pkg_db_free().
 */
long pkg_db_owner(const struct pkg_db *db, const char *path,
    const char **digest);

/* A file's bytes against the digest its database recorded (a plain
   record). */
#define PKG_DIGEST_TEXT_MAX	136	/* a digest written out, with its NUL */
struct pkg_check {
	const char *algo;	/* "md5", "sha1", "sha256", ...: static */
	char recorded[PKG_DIGEST_TEXT_MAX];	/* the record's digest and */
	char file[PKG_DIGEST_TEXT_MAX];	/* the bytes', both as the ecosystem
				   writes digests: hex (dpkg, rpm), "Q1" +
				   base64 (apk), urlsafe base64 without
				   padding (pypi) */
	int64_t recorded_size;	/* the size the record gives (a Python
				   RECORD's), -1 when none */
	uint64_t size;		/* the file's */
	bool match;		/* the digest agrees, and the size */
};

/*
 * Check data[0..len), the whole of a file, against recorded, the digest
 * eco's database recorded for it (pkg_db_owner(): "md5:<hex>",
 * "sha256:<hex>" of rpm, "apk:Q1<base64>", "sha256:<urlsafe base64>,SIZE"
 * of a RECORD).  @return 0 and c filled (match or not), or ERR_UNSUPPORTED
 * (an algorithm imgdrift does not check: rpm's unknown FILEDIGESTALGO) or
 * ERR_FORMAT (a digest its encoding does not allow), e saying which.
 */
int pkg_digest_check(enum pkg_eco eco, const char *recorded,
    const uint8_t *data, size_t len, struct pkg_check *c, struct err *e);

/*
 * The set as bytes (docs/fingerprint.md, "Package sets"), appended to sb:
 * the databases found and why one was not read, the packages, the files
 * each owns with their recorded digests.
 */
void pkg_db_encode(const struct pkg_db *db, struct sbuf *sb);
/*
 * Read a set pkg_db_encode() wrote from p[0..n).  @return 0 and *out
 * (free with pkg_db_free()), or ERR_FORMAT or ERR_LIMIT with e saying
 * what.  Packages of an ecosystem this imgdrift does not know are left out.
 */
int pkg_db_decode(const uint8_t *p, size_t n, struct pkg_db **out,
    struct err *e);
/* @return a copy of db (free with pkg_db_free()). */
struct pkg_db *pkg_db_copy(const struct pkg_db *db);

/*
 * The normalized path of rel (as a database or a symlink writes it: "../../bin/x",
 * "/usr/x") taken from the directory dir (normalized), into out (reset
 * first).  @return false when it climbs above the root or is empty.
 */
bool pkg_path_join(struct sbuf *out, const char *dir, size_t dirlen,
    const char *rel, size_t rellen);

/* @return the static name of an ecosystem ("dpkg", "apk", "rpm", "pypi",
   "npm", "gem", "go", "maven", "cargo"). */
const char *pkg_eco_name(enum pkg_eco eco);
/*
 * Compare two versions the way eco's own tool does (dpkg
 * --compare-versions, apk version -t, rpm's rpmvercmp with epoch and
 * release, PEP 440 as Python's packaging, semver 2.0 as npm's semver,
 * Gem::Version, semver 2.0 as Go's x/mod/semver for Go modules ("v" and
 * "go" prefixes) and cargo crates, Maven 3.8's ComparableVersion).
 * @return <0, 0 or >0.
 */
int pkg_vercmp(enum pkg_eco eco, const char *a, const char *b);
/*
 * @return whether a version of eco names its files' bytes once and for
 * all (a registry never replaces a published npm or gem version): a file
 * of such a package that differs while its version does not was changed
 * after install, even when the database records no digest for it.
 */
bool pkg_version_fixes_bytes(enum pkg_eco eco);

/*
 * @return whether a file kept for its name (pkg_capture_match()) holds
 * what eco reads, from its first n bytes p: a jar starts as a zip.  One
 * that does not is dropped while the layer streams, as if never named.
 */
bool pkg_capture_content(enum pkg_eco eco, const uint8_t *p, size_t n);

/*
 * @return whether path (normalized) is a file of a package database,
 * whose changes follow the packages: not a jar, whose packages are
 * compiled into it.
 */
bool pkg_is_database(const char *path);

/*
 * The streaming scan for a Go binary's build information: the 14-byte
 * mark "\xff Go buildinf:" opens it.  The bytes from the mark on, at most
 * PKG_GO_BLOB_MAX, are what pkg_db_read() wants as a scanned PKG_GO
 * input.  pkg_go_blob_len() @return how many of the n kept bytes the
 * build information takes (n when it says more, or cannot say).
 */
extern const uint8_t pkg_go_mark[14];
size_t pkg_go_blob_len(const uint8_t *p, size_t n);

/* A Go binary's build information, parsed (a plain record). */
struct pkg_go_mod {
	char *path, *version, *sum;	/* "" when absent */
	char *replace;		/* "=> path version", NULL when none */
};
struct pkg_go_info {
	char *go;		/* "go1.21.6" */
	char *path;		/* the main package */
	struct pkg_go_mod main;
	struct pkg_go_mod *deps;	/* sorted by path */
	size_t ndeps;
	char **settings;	/* "key=value", sorted by key */
	size_t nsettings;
};

/*
 * Parse the build information that starts at p (the mark): Go 1.18's
 * inline strings with varint lengths.  @return 0, or a negative ERR_*
 * code with e saying why (ERR_UNSUPPORTED: the older pointer format).
 * Release with pkg_go_info_release() either way.
 */
struct err;
int pkg_go_info_parse(const uint8_t *p, size_t n, struct pkg_go_info *gi,
    struct err *e);
void pkg_go_info_release(struct pkg_go_info *gi);

/* @return whether p[0..n) is an ELF file with a .dep-v0 section (a
   cargo-auditable binary), and where its bytes are (*sec, *len, either
   may be NULL). */
bool pkg_cargo_section(const uint8_t *p, size_t n, const uint8_t **sec,
    size_t *len);

/*
 * The streaming look for a cargo-auditable binary's .dep-v0, which the
 * linker puts with the sections no program loads, just before the
 * section headers at the end of the file.  From the first n bytes p of a
 * file of size bytes: @return whether it is an ELF file whose section
 * headers lie inside it, and the bytes [*from, *to) to keep: the section
 * headers and the PKG_CARGO_WINDOW bytes before them.
 */
#define PKG_CARGO_WINDOW	(4u << 20)
bool pkg_cargo_window(const uint8_t *p, size_t n, uint64_t size,
    uint64_t *from, uint64_t *to);
/*
 * Find .dep-v0 in w[0..nw), the bytes kept of the file from offset from
 * on, by the header in its first bytes p[0..n).  @return 1 and *sec,
 * *len (within w): the bytes a scanned PKG_CARGO input holds; 0 when it
 * has none, or w lacks its section headers or their names; -1 when it
 * names one whose bytes lie before w (then a scanned input marked over
 * says so).
 */
int pkg_cargo_find(const uint8_t *p, size_t n, const uint8_t *w, size_t nw,
    uint64_t from, const uint8_t **sec, size_t *len);

/*
 * The dependencies compiled into one whole file whose bytes are all at
 * hand (the second look's): a Go binary's modules, a jar's artifacts (and
 * those of the jars inside it), a cargo-auditable binary's crates, each
 * package's where set to path.  Never fails: what does not parse is the
 * problem of its ecosystem.  @return the set (pkg_db_free()).
 */
struct pkg_db *pkg_file_read(const char *path, const uint8_t *data,
    size_t len);

#endif
