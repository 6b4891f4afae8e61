/*
 * fuzz_binpkg.c - libFuzzer: the readers of dependencies compiled into
 * files (pkg/go.c, pkg/maven.c, pkg/cargo.c) on one whole file, as the
 * second look hands it over, and on the same bytes as the first pass
 * keeps a Go binary's build information or a cargo-auditable binary's
 * section (pkg_cargo_window(), pkg_cargo_find()); the input's first byte
 * picks which.  Then the versions of neighbouring packages are compared both
 * ways in their ecosystem's order: a comparison must be antisymmetric.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz.h"
#include "pkg/pkg.h"
#include "util/err.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pkg_input in = { "usr/bin/app", NULL, 0, false, false, true,
	    PKG_GO };
	struct pkg_go_info gi;
	struct err e = { 0 };
	struct pkg_db *db;
	const struct pkg *p, *q;
	const uint8_t *sec;
	uint64_t from, to;
	size_t i, len;
	int e2, x, y, r;

	if (size == 0)
		return 0;
	in.data = data + 1;
	in.len = size - 1;
	switch (data[0] & 3) {
	case 0:
		db = pkg_file_read("usr/bin/app", data + 1, size - 1);
		break;
	case 1:
		(void)pkg_go_blob_len(data + 1, size - 1);
		(void)pkg_go_info_parse(data + 1, size - 1, &gi, &e);
		pkg_go_info_release(&gi);
		db = pkg_db_read(&in, 1);
		break;
	case 2:
		in.path = "opt/app/app.jar";
		in.scanned = false;
		db = pkg_db_read(&in, 1);
		break;
	default:
		(void)pkg_cargo_section(data + 1, size - 1, NULL, NULL);
		/* the first pass's window on the same bytes, and the section
		   it would keep read as a scanned input */
		if (pkg_cargo_window(data + 1, size - 1, size - 1, &from, &to) &&
		    (r = pkg_cargo_find(data + 1, size - 1, data + 1 + from,
		    (size_t)(to - from), from, &sec, &len)) != 0) {
			in.eco = PKG_CARGO;
			in.data = r > 0 ? sec : NULL;
			in.len = r > 0 ? len : 0;
			in.over = in.file_over = r < 0;
			db = pkg_db_read(&in, 1);
			break;
		}
		db = pkg_file_read("usr/bin/app", data + 1, size - 1);
		break;
	}
	for (e2 = 0; e2 < PKG_NECO; e2++) {
		(void)pkg_db_problem(db, (enum pkg_eco)e2);
		for (i = 0; pkg_db_note(db, (enum pkg_eco)e2, i) != NULL; i++)
			;
		for (i = 0; pkg_db_unread(db, (enum pkg_eco)e2, i, NULL) != NULL;
		    i++)
			;
	}
	for (i = 1; i < pkg_db_count(db); i++) {
		p = pkg_db_get(db, i);
		q = pkg_db_get(db, i - 1);
		(void)pkg_db_owner(db, p->where, NULL);
		if (q->eco != p->eco)
			continue;
		x = pkg_vercmp((enum pkg_eco)p->eco, p->version, q->version);
		y = pkg_vercmp((enum pkg_eco)p->eco, q->version, p->version);
		if ((x < 0 && y <= 0) || (x > 0 && y >= 0) || (x == 0 && y != 0))
			abort();
	}
	pkg_db_free(db);
	return 0;
}
