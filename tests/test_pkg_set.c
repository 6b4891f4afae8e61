/*
 * test_pkg_set.c - a package set as a fingerprint keeps it (pkg/set.c):
 * what is written reads back the same, a set from a newer writer with an
 * ecosystem unknown here, and bytes that are not a set.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "pkg/pkg.h"
#include "util/err.h"
#include "util/sbuf.h"

#define IN(p, s)	{ .path = (p), .data = (const uint8_t *)(s), .len = sizeof(s) - 1 }

static const char status[] =
    "Package: openssl\nStatus: install ok installed\nArchitecture: amd64\n"
    "Version: 3.0.20-1~deb12u2\n\n"
    "Package: libssl3\nStatus: install ok installed\nArchitecture: amd64\n"
    "Version: 3.0.20-1~deb12u2\n";

static const char apk[] =
    "P:musl\nV:1.2.4-r2\nA:x86_64\nF:lib\nR:ld-musl-x86_64.so.1\n"
    "Z:Q1bOoRh9RZxD8U+6FkC5OrP4ARqVo=\nF:usr/empty\n\n";

/* A set with dpkg and apk packages, owned files, digests, directories,
   and an unreadable rpm database. */
static struct pkg_db *
sample(void)
{
	struct pkg_input in[] = {
		IN("var/lib/dpkg/status", status),
		IN("var/lib/dpkg/info/openssl.list",
		    "/.\n/usr\n/usr/bin\n/usr/bin/openssl\n/usr/bin/c_rehash\n"),
		IN("var/lib/dpkg/info/openssl.md5sums",
		    "00112233445566778899aabbccddeeff  usr/bin/openssl\n"),
		IN("var/lib/dpkg/info/libssl3:amd64.list",
		    "/.\n/usr\n/usr/lib/libssl.so.3\n"),
		IN("lib/apk/db/installed", apk),
		IN("var/lib/rpm/rpmdb.sqlite", "not an SQLite file"),
		/* npm: where each lives, the directories they own, notes */
		IN("app/node_modules/ms/package.json",
		    "{\"name\":\"ms\",\"version\":\"2.1.3\"}"),
		IN("app/node_modules/debug/node_modules/ms/package.json",
		    "{\"name\":\"ms\",\"version\":\"2.0.0\"}"),
		IN("app/package-lock.json",
		    "{\"lockfileVersion\":3,\"packages\":{\"\":{\"name\":\"app\"},"
		    "\"node_modules/ms\":{\"version\":\"2.1.2\"},"
		    "\"node_modules/gone\":{\"version\":\"1.0.0\"}}}"),
	};

	return pkg_db_read(in, sizeof(in) / sizeof(in[0]));
}

static void
assert_same(const struct pkg_db *a, const struct pkg_db *b)
{
	static const char *const paths[] = { "app/node_modules/ms/index.js",
	    "app/node_modules/debug/node_modules/ms/x", "usr", "usr/bin", "usr/bin/openssl",
	    "usr/bin/c_rehash", "usr/lib/libssl.so.3", "lib",
	    "lib/ld-musl-x86_64.so.1", "usr/empty", "etc/none" };
	const char *da, *db;
	size_t i, k;

	cr_assert_eq(pkg_db_count(a), pkg_db_count(b));
	for (i = 0; i < pkg_db_count(a); i++) {
		const struct pkg *x = pkg_db_get(a, i), *y = pkg_db_get(b, i);

		cr_assert_str_eq(x->where, y->where);
		cr_assert_eq(x->eco, y->eco);
		cr_assert_str_eq(x->name, y->name);
		cr_assert_str_eq(x->arch, y->arch);
		cr_assert_str_eq(x->version, y->version);
		cr_assert_eq(x->nfiles, y->nfiles, "%s: %zu files, %zu", x->name,
		    x->nfiles, y->nfiles);
	}
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		cr_assert_eq(pkg_db_owner(a, paths[i], &da),
		    pkg_db_owner(b, paths[i], &db), "%s", paths[i]);
		cr_assert((da == NULL) == (db == NULL), "%s", paths[i]);
		if (da != NULL)
			cr_assert_str_eq(da, db);
	}
	for (i = 0; i < PKG_NECO; i++) {
		for (k = 0; pkg_db_note(a, (enum pkg_eco)i, k) != NULL; k++)
			cr_assert_str_eq(pkg_db_note(a, (enum pkg_eco)i, k),
			    pkg_db_note(b, (enum pkg_eco)i, k));
		cr_assert_null(pkg_db_note(b, (enum pkg_eco)i, k));
		cr_assert_eq(pkg_db_present(a, (enum pkg_eco)i),
		    pkg_db_present(b, (enum pkg_eco)i));
		cr_assert((pkg_db_problem(a, (enum pkg_eco)i) == NULL) ==
		    (pkg_db_problem(b, (enum pkg_eco)i) == NULL));
		if (pkg_db_problem(a, (enum pkg_eco)i) != NULL)
			cr_assert_str_eq(pkg_db_problem(a, (enum pkg_eco)i),
			    pkg_db_problem(b, (enum pkg_eco)i));
	}
}

Test(pkg_set, files_are_not_directories)
{
	struct pkg_db *db = sample();

	cr_assert_eq(pkg_db_count(db), 5);
	cr_assert_str_eq(pkg_db_get(db, 0)->name, "libssl3");
	cr_assert_eq(pkg_db_get(db, 0)->nfiles, 1);	/* not /usr */
	cr_assert_str_eq(pkg_db_get(db, 1)->name, "openssl");
	cr_assert_eq(pkg_db_get(db, 1)->nfiles, 2);	/* not /usr, /usr/bin */
	cr_assert_str_eq(pkg_db_get(db, 2)->name, "musl");
	/* apk's F: lines are directories, an empty one too */
	cr_assert_eq(pkg_db_get(db, 2)->nfiles, 1);
	cr_assert_not_null(pkg_db_note(db, PKG_NPM, 0));
	pkg_db_free(db);
}

Test(pkg_set, reads_back_what_it_wrote)
{
	struct pkg_db *db = sample(), *back = NULL, *copy;
	struct sbuf sb = SBUF_INIT;
	struct err e = { 0, "" };

	cr_assert_not_null(pkg_db_problem(db, PKG_RPM));
	pkg_db_encode(db, &sb);
	cr_assert_eq(pkg_db_decode((const uint8_t *)sb.buf, sb.len, &back, &e), 0,
	    "%s", e.msg);
	assert_same(db, back);
	copy = pkg_db_copy(back);
	assert_same(db, copy);
	pkg_db_free(copy);
	pkg_db_free(back);
	pkg_db_free(db);
	sbuf_release(&sb);
}

Test(pkg_set, an_empty_set)
{
	struct pkg_db *db = pkg_db_read(NULL, 0), *back = NULL;
	struct sbuf sb = SBUF_INIT;
	struct err e = { 0, "" };

	pkg_db_encode(db, &sb);
	cr_assert_eq(sb.len, 4);
	cr_assert_eq(pkg_db_decode((const uint8_t *)sb.buf, sb.len, &back, &e), 0);
	cr_assert_eq(pkg_db_count(back), 0);
	cr_assert_not(pkg_db_present(back, PKG_DPKG));
	pkg_db_free(back);
	pkg_db_free(db);
	sbuf_release(&sb);
}

/* Written by an imgdrift that knows one ecosystem more: its packages and
   files are left out, the rest reads. */
Test(pkg_set, an_unknown_ecosystem_is_left_out)
{
	static const uint8_t set[] = {
		2, 6, 'f', 'u', 't', 'u', 'r', 'e', 0, 1, 4, 'n', 'o', 't', 'e',
		3, 'a', 'p', 'k', 0, 0,
		2,	/* packages */
		0, 1, 'x', 0, 1, '1', 0,
		1, 1, 'y', 0, 1, '2', 0,
		2,	/* files */
		0, 3, 'a', '/', 'x', 0, 0,
		0, 3, 'b', '/', 'y', 1, 0,
		2,	/* directories */
		0, 1, 'a', 0,
		0, 1, 'b', 1,
	};
	struct pkg_db *db = NULL;
	struct err e = { 0, "" };

	cr_assert_eq(pkg_db_decode(set, sizeof(set), &db, &e), 0, "%s", e.msg);
	cr_assert_eq(pkg_db_count(db), 1);
	cr_assert_str_eq(pkg_db_get(db, 0)->name, "y");
	cr_assert_eq(pkg_db_get(db, 0)->eco, PKG_APK);
	cr_assert_eq(pkg_db_owner(db, "a/x", NULL), -1);
	cr_assert_eq(pkg_db_owner(db, "b/y", NULL), 0);
	cr_assert_eq(pkg_db_owner(db, "a/z", NULL), -1);
	cr_assert_eq(pkg_db_owner(db, "b/z", NULL), 0);	/* under its directory */
	cr_assert_null(pkg_db_note(db, PKG_APK, 0));
	pkg_db_free(db);
}

Test(pkg_set, every_truncation_is_an_error)
{
	struct pkg_db *db = sample(), *back;
	struct sbuf sb = SBUF_INIT;
	struct err e;
	size_t n;

	pkg_db_encode(db, &sb);
	for (n = 0; n < sb.len; n++) {
		memset(&e, 0, sizeof(e));
		back = NULL;
		cr_assert_eq(pkg_db_decode((const uint8_t *)sb.buf, n, &back, &e),
		    ERR_FORMAT, "%zu of %zu bytes", n, sb.len);
		cr_assert_null(back);
		cr_assert(strncmp(e.msg, "package set: ", 13) == 0, "%s", e.msg);
	}
	pkg_db_free(db);
	sbuf_release(&sb);
}

Test(pkg_set, bad_sets)
{
	static const struct {
		uint8_t b[24];
		size_t n;
		const char *msg;
	} bad[] = {
		{ { 0, 1 }, 2, "packages without a database" },
		{ { 1, 4, 'd', 'p', 'k', 'g', 0, 0, 0, 1, 0, 0 }, 12,
		  "files without packages" },
		{ { 1, 4, 'd', 'p', 'k', 'g', 0, 0, 1, 0, 1, 'p', 0, 1, '1', 0,
		    1, 0, 1, 'x', 7, 0 }, 22, "package of a path 7 is out of range" },
		{ { 1, 4, 'd', 'p', 'k', 'g', 0, 0, 0, 0, 0, 0 }, 12,
		  "data after the package set" },
		{ { 2, 4, 'd', 'p', 'k', 'g', 0, 0, 4, 'd', 'p', 'k', 'g', 0, 0 },
		  15, "ecosystem dpkg twice" },
		{ { 1, 4, 'd', 'p', 'k', 'g', 0, 0, 0x81, 0x80, 0x80, 0x80, 0x01 },
		  13, "packages 268435457 is out of range" },
		{ { 1, 4, 'd', 'p', 'k', 'g', 0, 0, 1, 0, 2, 'a', 0 }, 13,
		  "package name holds a NUL byte" },
		{ { 1, 4, 'd', 'p', 'k', 'g', 0, 0, 1, 0, 1, 'p', 0, 1, '1', 0,
		    0, 1, 0, 1, 'd', 3 }, 22, "package of a path 3 is out of range" },
	};
	struct pkg_db *db;
	struct err e;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&e, 0, sizeof(e));
		db = NULL;
		cr_assert_eq(pkg_db_decode(bad[i].b, bad[i].n, &db, &e), ERR_FORMAT,
		    "case %zu", i);
		cr_assert_null(db);
		cr_assert(strstr(e.msg, bad[i].msg) != NULL, "case %zu: %s", i,
		    e.msg);
	}
}
