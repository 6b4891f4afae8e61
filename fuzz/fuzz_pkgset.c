/*
 * fuzz_pkgset.c - libFuzzer: a package set as a fingerprint keeps it
 * (pkg_db_decode(), docs/fingerprint.md "Package sets").  The input is
 * the set's bytes.  A set that reads is written again and read back: the
 * second writing must be the first's bytes (the reader keeps nothing the
 * writer would not write), and every owned path is asked for.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz.h"
#include "pkg/pkg.h"
#include "util/err.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sbuf one = SBUF_INIT, two = SBUF_INIT;
	struct pkg_db *db = NULL, *back = NULL, *copy;
	struct err e = { 0, "" };
	size_t i;

	if (pkg_db_decode(data, size, &db, &e) < 0) {
		if (db != NULL || e.msg[0] == '\0')
			abort();
		return 0;
	}
	pkg_db_encode(db, &one);
	if (pkg_db_decode((const uint8_t *)one.buf, one.len, &back, &e) < 0)
		abort();
	pkg_db_encode(back, &two);
	if (one.len != two.len || memcmp(one.buf, two.buf, one.len) != 0)
		abort();
	copy = pkg_db_copy(back);
	for (i = 0; i < pkg_db_count(copy); i++)
		(void)pkg_db_owner(copy, pkg_db_get(copy, i)->name, NULL);
	pkg_db_free(copy);
	pkg_db_free(back);
	pkg_db_free(db);
	sbuf_release(&one);
	sbuf_release(&two);
	return 0;
}
