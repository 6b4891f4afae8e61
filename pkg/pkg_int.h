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
};

struct pkg_db {
	struct pkg *v;		/* sorted by eco, name, arch once read */
	size_t n, cap;
	struct pkg_own *own;	/* sorted by path once read */
	size_t nown, owncap;
	bool present[PKG_NECO];
	char *problem[PKG_NECO];
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
/* Record that package pkg owns path (as written, "/usr/bin/x"; copied and
   normalized); digest (copied) may be NULL. */
void pkg_own_add(struct pkg_db *db, size_t pkg, const char *path, size_t len,
    const char *digest);

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
