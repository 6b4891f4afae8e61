/*
 * fuzz_pkg.c - libFuzzer: the package database readers (pkg/) on files
 * of the final file system.
 *
 *     parts separated by FZ_SEP, up to 8: each part's first byte picks
 *     its path from the table below (low 4 bits), the rest is the file;
 *     bit 7 of the first byte marks the file over the bound
 *
 * Then every package is looked up, every owned path asked for, and the
 * versions of neighbouring packages compared both ways in each
 * ecosystem's order: a comparison must be antisymmetric.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz.h"
#include "pkg/pkg.h"

#define PARTS	8

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[16] = { "var/lib/dpkg/status",
	    "var/lib/dpkg/status.d/a", "var/lib/dpkg/status.d/a.md5sums",
	    "var/lib/dpkg/info/a.list", "var/lib/dpkg/info/a:amd64.list",
	    "var/lib/dpkg/info/a.md5sums", "var/lib/dpkg/info/b.list",
	    "var/lib/dpkg/info/b:all.md5sums", "lib/apk/db/installed",
	    "var/lib/rpm/rpmdb.sqlite", "usr/lib/sysimage/rpm/rpmdb.sqlite",
	    "var/lib/rpm/Packages", "var/lib/dpkg/status.d/b",
	    "var/lib/dpkg/info/c.list", "var/lib/dpkg/info/c.md5sums",
	    "usr/lib/sysimage/rpm/Packages.db" };
	struct fz_part_ref parts[PARTS];
	struct pkg_input in[PARTS];
	struct pkg_db *db;
	const struct pkg *p, *q;
	const char *digest;
	size_t n, i, k = 0;
	int e, x, y;

	n = fz_split(data, size, parts, PARTS);
	for (i = 0; i < n; i++) {
		if (parts[i].n == 0)
			continue;
		in[k].path = paths[parts[i].p[0] & 15];
		in[k].over = (parts[i].p[0] & 0x80) != 0;
		in[k].data = parts[i].p + 1;
		in[k].len = parts[i].n - 1;
		k++;
	}
	db = pkg_db_read(in, k);
	for (e = 0; e < PKG_NECO; e++)
		(void)pkg_db_problem(db, (enum pkg_eco)e);
	for (i = 0; i < pkg_db_count(db); i++) {
		p = pkg_db_get(db, i);
		(void)pkg_db_owner(db, p->name, &digest);
		if (i == 0)
			continue;
		q = pkg_db_get(db, i - 1);
		if (q->eco != p->eco)
			continue;
		x = pkg_vercmp((enum pkg_eco)p->eco, p->version, q->version);
		y = pkg_vercmp((enum pkg_eco)p->eco, q->version, p->version);
		if ((x < 0) != (y > 0) || (x == 0) != (y == 0))
			abort();
	}
	pkg_db_free(db);
	return 0;
}
