/*
 * fuzz_pkg.c - libFuzzer: the package database readers (pkg/) on files
 * of the final file system.
 *
 *     parts separated by FZ_SEP, up to 8: each part's first byte picks
 *     its path from the table below (low 5 bits: 16 and up are the
 *     application ecosystems' files), the rest is the file; bit 7 of the
 *     first byte marks the file over its ecosystem's bound, bit 6 over
 *     the bound for one file
 *
 * Then every package is looked up, every owned path asked for (and a
 * file under its directory), every note read, and the
 * versions of neighbouring packages compared both ways in each
 * ecosystem's order: a comparison must be antisymmetric.  Last, the first
 * part's bytes are a recorded digest checked against the second part's
 * (pkg_digest_check(), every ecosystem's encoding).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz.h"
#include "pkg/pkg.h"
#include "util/err.h"
#include "util/sbuf.h"

#define PARTS	8

/*
 * The first part as a recorded digest ("md5:<hex>", "apk:Q1...",
 * "sha256:<base64>,SIZE") checked against the second part's bytes, in
 * every ecosystem: a check that succeeds matches exactly when the record
 * and the file read the same (and the size agrees).
 */
static void
check_digest(const struct fz_part_ref *parts, size_t n)
{
	struct pkg_check c;
	struct err e;
	char *rec;
	int eco;

	if (n < 2)
		return;
	rec = xstrndup((const char *)parts[0].p, parts[0].n);
	for (eco = 0; eco < PKG_NECO; eco++) {
		err_clear(&e);
		if (pkg_digest_check((enum pkg_eco)eco, rec, parts[1].p,
		    parts[1].n, &c, &e) < 0)
			continue;
		if (c.match != (strcmp(c.recorded, c.file) == 0 &&
		    (c.recorded_size < 0 || (uint64_t)c.recorded_size ==
		    parts[1].n)))
			abort();
	}
	free(rec);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[32] = { "var/lib/dpkg/status",
	    "var/lib/dpkg/status.d/a", "var/lib/dpkg/status.d/a.md5sums",
	    "var/lib/dpkg/info/a.list", "var/lib/dpkg/info/a:amd64.list",
	    "var/lib/dpkg/info/a.md5sums", "var/lib/dpkg/info/b.list",
	    "var/lib/dpkg/info/b:all.md5sums", "lib/apk/db/installed",
	    "var/lib/rpm/rpmdb.sqlite", "usr/lib/sysimage/rpm/rpmdb.sqlite",
	    "var/lib/rpm/Packages", "var/lib/dpkg/status.d/b",
	    "var/lib/dpkg/info/c.list", "var/lib/dpkg/info/c.md5sums",
	    "usr/lib/sysimage/rpm/Packages.db",
	    "usr/lib/python3/dist-packages/a-1.dist-info/METADATA",
	    "usr/lib/python3/dist-packages/a-1.dist-info/RECORD",
	    "sp/site-packages/b-1.egg-info/PKG-INFO",
	    "sp/site-packages/b-1.egg-info/installed-files.txt",
	    "sp/site-packages/b-1.egg-info/top_level.txt",
	    "sp/site-packages/c.egg-info", "node_modules/a/package.json",
	    "node_modules/@s/b/package.json",
	    "node_modules/a/node_modules/c/package.json", "package-lock.json",
	    "app/npm-shrinkwrap.json", "app/node_modules/d/package.json",
	    "usr/local/bundle/specifications/a-1.0.gemspec",
	    "usr/lib/ruby/gems/3.1.0/specifications/default/"
	    "b-2.0-x86_64-linux.gemspec",
	    "sp/site-packages/a-1.dist-info/METADATA", "app/package-lock.json" };
	struct fz_part_ref parts[PARTS];
	struct pkg_input in[PARTS];
	struct pkg_db *db;
	const struct pkg *p, *q;
	const char *digest, *note;
	char *under;
	size_t n, i, k = 0;
	int e, x, y;

	n = fz_split(data, size, parts, PARTS);
	for (i = 0; i < n; i++) {
		if (parts[i].n == 0)
			continue;
		in[k].path = paths[parts[i].p[0] & 31];
		in[k].file_over = (parts[i].p[0] & 0x40) != 0;
		in[k].over = (parts[i].p[0] & 0x80) != 0 || in[k].file_over;
		in[k].data = parts[i].p + 1;
		in[k].len = parts[i].n - 1;
		in[k].scanned = false;	/* kept for its path */
		k++;
	}
	db = pkg_db_read(in, k);
	for (e = 0; e < PKG_NECO; e++) {
		(void)pkg_db_problem(db, (enum pkg_eco)e);
		for (i = 0; (note = pkg_db_note(db, (enum pkg_eco)e, i)) != NULL; i++)
			if (strlen(note) == 0)
				abort();
	}
	for (i = 0; i < pkg_db_count(db); i++) {
		p = pkg_db_get(db, i);
		(void)pkg_db_owner(db, p->name, &digest);
		under = xstrfmt("%s/x/y", p->where);
		(void)pkg_db_owner(db, under, &digest);
		free(under);
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
	check_digest(parts, n);
	return 0;
}
