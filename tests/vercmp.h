/*
 * vercmp.h - version-order vectors for the package tests: a file of
 * "a<TAB>b<TAB>result" rows, made by each ecosystem's own tool, checked
 * against pkg_vercmp() both ways round.  Header-only, Criterion.
 */
#ifndef IMGDRIFT_TESTS_VERCMP_H
#define IMGDRIFT_TESTS_VERCMP_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "pkg/pkg.h"

static inline int
sign(int v)
{
	return v < 0 ? -1 : v > 0;
}

/*
 * Every row "a<TAB>b<TAB>result" of path (lines starting '#' and the
 * header "a<TAB>b<TAB>result" skipped) ordered by eco as the file says,
 * both ways round; at least min rows.
 */
static inline void
vercmp_as_file(enum pkg_eco eco, const char *path, int min)
{
	FILE *fp = fopen(path, "r");
	char line[512], a[200], b[200];
	int want, n = 0;

	cr_assert_not_null(fp, "%s", path);
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (line[0] == '#' || strcmp(line, "a\tb\tresult\n") == 0)
			continue;
		cr_assert_eq(sscanf(line, "%199[^\t]\t%199[^\t]\t%d", a, b, &want), 3,
		    "%s", line);
		cr_assert_eq(sign(pkg_vercmp(eco, a, b)), want, "%s vs %s", a, b);
		cr_assert_eq(sign(pkg_vercmp(eco, b, a)), -want, "%s vs %s", b, a);
		n++;
	}
	fclose(fp);
	cr_assert_geq(n, min, "%s: %d rows", path, n);
}

#endif
