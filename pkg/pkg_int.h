/*
 * pkg_int.h - private to pkg/: the set being built, which each reader
 * fills, and the readers' entry points (one file each).
 */
#ifndef IMGDRIFT_PKG_INT_H
#define IMGDRIFT_PKG_INT_H

#include "pkg/pkg.h"
#include "util/err.h"
#include "util/sbuf.h"
#include "util/util.h"

/* A file a package owns, and the digest its database recorded. */
struct pkg_own {
	char *path;		/* normalized */
	char *digest;		/* "md5:<hex>", NULL when none */
	size_t pkg;		/* index into pkg_db.v */
	bool dir;		/* a directory: the database says so, or an
				   owned path lies below it */
};

/* A directory a package owns with everything under it (npm, gem). */
struct pkg_dir {
	char *path;		/* normalized, no trailing slash */
	size_t pkg;
};

struct pkg_db {
	struct pkg *v;		/* sorted by pkg_compare() once read */
	size_t n, cap;
	struct pkg_own *own;	/* sorted by path once read */
	size_t nown, owncap;
	struct pkg_dir *dirs;	/* sorted by path once read */
	size_t ndirs, dircap;
	bool present[PKG_NECO];
	char *problem[PKG_NECO];
	char *notes[PKG_NECO][PKG_NOTES_MAX + 1];	/* the last: how
						   many more */
	size_t nnotes[PKG_NECO];	/* all, kept or not */
	/* Files left out by a bound: path and why, at most PKG_UNREAD_MAX
	   an ecosystem. */
	char *unread[PKG_NECO][PKG_UNREAD_MAX][2];
	size_t nunread[PKG_NECO];
};

/* A reader: the files of its ecosystem in in[0..n).  @return 0, or a
   negative ERR_* code with e saying why (its additions are then undone). */
typedef int (*pkg_read_fn)(struct pkg_db *db, const struct pkg_input *in,
    size_t n, struct err *e);

int pkg_dpkg_read(struct pkg_db *db, const struct pkg_input *in, size_t n,
    struct err *e);
int pkg_dpkg_vercmp(const char *a, const char *b);
int pkg_apk_read(struct pkg_db *db, const struct pkg_input *in, size_t n,
    struct err *e);
int pkg_apk_vercmp(const char *a, const char *b);
int pkg_rpm_read(struct pkg_db *db, const struct pkg_input *in, size_t n,
    struct err *e);
int pkg_rpm_vercmp(const char *a, const char *b);
int pkg_pypi_read(struct pkg_db *db, const struct pkg_input *in, size_t n,
    struct err *e);
int pkg_pypi_vercmp(const char *a, const char *b);
int pkg_pypi_match(const char *path, const char *base, bool *bytes);
int pkg_npm_read(struct pkg_db *db, const struct pkg_input *in, size_t n,
    struct err *e);
int pkg_npm_vercmp(const char *a, const char *b);
int pkg_npm_match(const char *path, const char *base, bool *bytes);
int pkg_gem_read(struct pkg_db *db, const struct pkg_input *in, size_t n,
    struct err *e);
int pkg_gem_vercmp(const char *a, const char *b);
int pkg_gem_match(const char *path, const char *base, bool *bytes);
int pkg_go_read(struct pkg_db *db, const struct pkg_input *in, size_t n,
    struct err *e);
int pkg_semver_cmp(const char *a, const char *b);
int pkg_maven_read(struct pkg_db *db, const struct pkg_input *in, size_t n,
    struct err *e);
int pkg_maven_vercmp(const char *a, const char *b);
int pkg_maven_match(const char *path, const char *base, bool *bytes);
int pkg_cargo_read(struct pkg_db *db, const struct pkg_input *in, size_t n,
    struct err *e);

/* Add a package (strings copied).  @return its index, or ERR_LIMIT past
   PKG_PACKAGES_MAX. */
long pkg_add(struct pkg_db *db, enum pkg_eco eco, const char *name,
    size_t namelen, const char *arch, size_t archlen, const char *version,
    size_t verlen, struct err *e);
/* Sort the packages v[from..n) by name and arch, a package listed twice
   kept once; the files they own follow them. */
void pkg_sort_from(struct pkg_db *db, size_t from);
/* @return the index of (eco, name, arch) among v[from..n) (sorted), arch
   NULL matching any; -1 when none. */
long pkg_find(const struct pkg_db *db, size_t from, const char *name,
    size_t namelen, const char *arch, size_t archlen);
/* Set where package i lives (copied). */
void pkg_set_where(struct pkg_db *db, size_t i, const char *where, size_t len);
/* Record that package pkg owns the directory dir (normalized, copied) and
   everything under it. */
void pkg_dir_add(struct pkg_db *db, size_t pkg, const char *dir, size_t len);
/* Note, for eco, that the file path was left out by a bound, and which
   (fmt: "over 8 MiB"): the note "PATH: not read: WHY", and a row of
   pkg_db_unread() (past PKG_UNREAD_MAX only the note). */
void pkg_unread(struct pkg_db *db, enum pkg_eco eco, const char *path,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Note, for eco, something left out while the rest was read (past
   PKG_NOTES_MAX only counted). */
void pkg_note(struct pkg_db *db, enum pkg_eco eco, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A decimal number at *p (before end), saturating at UINT64_MAX: *out,
   *p moved past it.  @return whether there was a digit. */
bool pkg_number(const char **p, const char *end, uint64_t *out);
/* @return whether [p, end) is digits only (true when empty). */
bool pkg_all_digits(const char *p, const char *end);
/* @return the start of the path component that ends at end (a '/' or the
   end of the path): the text after the '/' before it. */
const char *pkg_comp_start(const char *path, const char *end);
/* @return whether the component [s, end) is name. */
bool pkg_comp_is(const char *s, const char *end, const char *name);

/*
 * Compare two lists of identifiers (semver's pre-release, PEP 440's local
 * version) one by one: numbers by value, before words when numbers_first
 * (after them otherwise), words by bytes (ASCII case folded when fold);
 * a list after its own prefix.  seps: the characters between identifiers.
 * @return <0, 0 or >0.
 */
int pkg_idents_cmp(const char *p, size_t plen, const char *q, size_t qlen,
    const char *seps, bool numbers_first, bool fold);

/* @return in[0..n) sorted by path, as pointers (n + 1 of them; the
   caller frees the array). */
const struct pkg_input **pkg_inputs_by_path(const struct pkg_input *in,
    size_t n);

/* Record that package pkg owns path (as written, "/usr/bin/x"; copied and
   normalized); digest (copied) may be NULL. */
void pkg_own_add(struct pkg_db *db, size_t pkg, const char *path, size_t len,
    const char *digest);

/* Once every reader ran (or a set was decoded): the owned paths sorted,
   each kept once a package, the directories among them marked, each
   package's files counted (pkg.nfiles: not its directories); the owned
   directories sorted; the notes not kept counted. */
void pkg_db_finish(struct pkg_db *db);

/* The lines of a text database, one at a time. */
struct pkg_lines {
	const char *p, *end;
	size_t lineno;
};
/* @return 1 and the next line in *s, *n (without its newline), 0 at the
   end, or ERR_LIMIT for a line over PKG_LINE_MAX. */
int pkg_next_line(struct pkg_lines *l, const char **s, size_t *n,
    struct err *e);

#endif
