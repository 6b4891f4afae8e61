/*
 * pkg.h - the OS package databases of an image (dpkg, apk, rpm): which
 * entry paths hold them, reading them from bytes kept while the layers
 * streamed, the packages they list with the files each owns, and each
 * ecosystem's version ordering.  Uses util/ only: tar/ asks which paths
 * to keep (pkg_capture_match()), diff/ reads what was kept on the final
 * file system (pkg_db_read()) and compares.
 */
#ifndef IMGDRIFT_PKG_H
#define IMGDRIFT_PKG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The ecosystems, one row each in pkg/pkg.c's reader table. */
enum pkg_eco { PKG_DPKG, PKG_APK, PKG_RPM, PKG_NECO };

/* Named limits. */
#define PKG_DB_MAX	(64u << 20)	/* bytes kept of one ecosystem's
					   database files, in all */
#define PKG_LINE_MAX	(1u << 20)	/* one line of a text database */
#define PKG_PACKAGES_MAX	(1u << 20)	/* packages of one ecosystem */

/*
 * Is path (normalized, as tar_normalize_path() leaves it) a file of a
 * package database?  @return its ecosystem, or -1; *bytes tells whether
 * its bytes are read (false: only its presence counts, as for a Berkeley
 * DB that is detected, not read).
 */
int pkg_capture_match(const char *path, bool *bytes);

/* One database file of the final file system, as kept while streaming. */
struct pkg_input {
	const char *path;	/* normalized */
	const uint8_t *data;	/* borrowed for pkg_db_read() only */
	size_t len;
	bool over;		/* not kept: its ecosystem passed PKG_DB_MAX */
};

/* One installed package (a plain record, owned by its pkg_db). */
struct pkg {
	uint8_t eco;		/* enum pkg_eco */
	char *name;
	char *arch;		/* "" when the database names none */
	char *version;		/* as the ecosystem writes it ("1:2.3-4") */
	size_t nfiles;		/* paths it owns */
};

struct pkg_db;

/* @return the order of packages by ecosystem, name and arch (<0, 0, >0). */
int pkg_compare(const struct pkg *a, const struct pkg *b);

/*
 * Read the packages of the files in in[0..n) (any order).  Never fails:
 * a database that does not parse is recorded as a problem of its
 * ecosystem (pkg_db_problem()), its packages left out.
 * @return the set (free with pkg_db_free()).
 */
struct pkg_db *pkg_db_read(const struct pkg_input *in, size_t n);
void pkg_db_free(struct pkg_db *db);

/* @return the packages, sorted by ecosystem, name and arch; pkg_db_get()
   borrows one (valid until pkg_db_free()). */
size_t pkg_db_count(const struct pkg_db *db);
const struct pkg *pkg_db_get(const struct pkg_db *db, size_t i);
/* @return whether eco's database was found (read or not). */
bool pkg_db_present(const struct pkg_db *db, enum pkg_eco eco);
/* @return why eco's database was not read ("unreadable: line 3: no
   colon", "not read: over 64 MiB", "not read: Berkeley DB"), NULL when
   it was read or is absent.  Borrowed until pkg_db_free(). */
const char *pkg_db_problem(const struct pkg_db *db, enum pkg_eco eco);
/*
 * The package that owns path (normalized).  @return its index for
 * pkg_db_get(), or -1; *digest (when not NULL) is set to the digest the
 * database recorded for the file ("md5:<hex>", "sha1:<hex>", ...), NULL
 * when it recorded none.  Borrowed until pkg_db_free().
 */
long pkg_db_owner(const struct pkg_db *db, const char *path,
    const char **digest);

/* @return the static name of an ecosystem ("dpkg", "apk", "rpm"). */
const char *pkg_eco_name(enum pkg_eco eco);
/*
 * Compare two versions the way eco's own tool does (dpkg
 * --compare-versions, apk version -t, rpm's rpmvercmp with epoch and
 * release).  @return <0, 0 or >0.
 */
int pkg_vercmp(enum pkg_eco eco, const char *a, const char *b);

#endif
