/*
 * test_pkg.c - the package databases: which paths are kept, dpkg's status,
 * status.d, .list and .md5sums files, what is unreadable and why, and
 * dpkg's version ordering against the real dpkg's (tests/pkg/).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkg/pkg.h"

#define IN(p, s)	{ (p), (const uint8_t *)(s), sizeof(s) - 1, false }

static const char status[] =
    "Package: openssl\n"
    "Status: install ok installed\n"
    "Architecture: amd64\n"
    "Version: 3.0.20-1~deb12u2\n"
    "Description: toolkit\n"
    " with a continuation line\n"
    "\n"
    "Package: libssl3\n"
    "Status: install ok installed\n"
    "Multi-Arch: same\n"
    "Architecture: amd64\n"
    "Version: 3.0.20-1~deb12u2\n"
    "Conffiles:\n"
    " /etc/ssl/openssl.cnf 0123456789abcdef0123456789abcdef\n"
    "\n"
    "Package: gone\n"
    "Status: deinstall ok config-files\n"
    "Architecture: all\n"
    "Version: 1.0\n";

Test(pkg, capture_paths)
{
	bool bytes = false;

	cr_assert_eq(pkg_capture_match("var/lib/dpkg/status", &bytes), PKG_DPKG);
	cr_assert(bytes);
	cr_assert_eq(pkg_capture_match("var/lib/dpkg/status.d/base-files",
	    &bytes), PKG_DPKG);
	cr_assert_eq(pkg_capture_match("var/lib/dpkg/info/libssl3:amd64.list",
	    &bytes), PKG_DPKG);
	cr_assert_eq(pkg_capture_match("var/lib/dpkg/info/openssl.md5sums",
	    &bytes), PKG_DPKG);
	/* dpkg's other files are the database too, their bytes not read */
	cr_assert_eq(pkg_capture_match("var/lib/dpkg/info/openssl.postinst",
	    &bytes), PKG_DPKG);
	cr_assert(!bytes);
	cr_assert_eq(pkg_capture_match("var/lib/dpkg/status-old", &bytes),
	    PKG_DPKG);
	cr_assert(!bytes);
	cr_assert_eq(pkg_capture_match("var/lib/dpkg/info/libfoo.conffiles",
	    &bytes), PKG_DPKG);
	cr_assert(!bytes);
	cr_assert_eq(pkg_capture_match("var/lib/dpkg/info/x/y.list", &bytes), -1);
	cr_assert_eq(pkg_capture_match("var/lib/dpkgx/status", &bytes), -1);
	cr_assert_eq(pkg_capture_match("usr/bin/openssl", &bytes), -1);
}

Test(pkg, dpkg_status_lists_and_md5sums)
{
	struct pkg_input in[] = {
		IN("var/lib/dpkg/info/libssl3:amd64.list",
		    "/.\n/usr\n/usr/lib/x86_64-linux-gnu/libssl.so.3\n"
		    "/etc/ssl/openssl.cnf\n"),
		IN("var/lib/dpkg/info/openssl.list", "/.\n/usr/bin/openssl\n"),
		IN("var/lib/dpkg/info/openssl.md5sums",
		    "00112233445566778899aabbccddeeff  usr/bin/openssl\n"),
		IN("var/lib/dpkg/info/gone.list", "/etc/gone\n"),
		IN("var/lib/dpkg/status", status),
	};
	struct pkg_db *db = pkg_db_read(in, sizeof(in) / sizeof(in[0]));
	const struct pkg *p;
	const char *digest;
	long i;

	cr_assert_null(pkg_db_problem(db, PKG_DPKG));
	cr_assert(pkg_db_present(db, PKG_DPKG));
	cr_assert_not(pkg_db_present(db, PKG_APK));
	cr_assert_eq(pkg_db_count(db), 2);	/* "gone" has only its conffiles */
	p = pkg_db_get(db, 0);
	cr_assert_str_eq(p->name, "libssl3");
	cr_assert_str_eq(p->arch, "amd64");
	cr_assert_str_eq(p->version, "3.0.20-1~deb12u2");
	cr_assert_eq(p->nfiles, 3);
	i = pkg_db_owner(db, "usr/bin/openssl", &digest);
	cr_assert_eq(i, 1);
	cr_assert_str_eq(digest, "md5:00112233445566778899aabbccddeeff");
	i = pkg_db_owner(db, "etc/ssl/openssl.cnf", &digest);
	cr_assert_eq(i, 0);
	cr_assert_str_eq(digest, "md5:0123456789abcdef0123456789abcdef");
	i = pkg_db_owner(db, "usr/lib/x86_64-linux-gnu/libssl.so.3", &digest);
	cr_assert_eq(i, 0);
	cr_assert_null(digest);
	cr_assert_eq(pkg_db_owner(db, "etc/gone", NULL), -1);
	cr_assert_eq(pkg_db_owner(db, "", NULL), -1);	/* "/." */
	cr_assert_eq(pkg_db_owner(db, "usr/bin", NULL), -1);
	pkg_db_free(db);
}

Test(pkg, distroless_status_d)
{
	struct pkg_input in[] = {
		IN("var/lib/dpkg/status.d/base-files", "Package: base-files\n"
		    "Architecture: amd64\nVersion: 12.4+deb12u5\n"),
		IN("var/lib/dpkg/status.d/base-files.md5sums",
		    "ffeeddccbbaa99887766554433221100  etc/debian_version\n"),
		IN("var/lib/dpkg/status.d/tzdata", "Package: tzdata\n"
		    "Architecture: all\nVersion: 2024a-0+deb12u1\n"),
	};
	struct pkg_db *db = pkg_db_read(in, 3);
	const char *digest;

	cr_assert_null(pkg_db_problem(db, PKG_DPKG));
	cr_assert_eq(pkg_db_count(db), 2);
	cr_assert_str_eq(pkg_db_get(db, 1)->name, "tzdata");
	cr_assert_eq(pkg_db_owner(db, "etc/debian_version", &digest), 0);
	cr_assert_str_eq(digest, "md5:ffeeddccbbaa99887766554433221100");
	pkg_db_free(db);
}

/* The problem a database on its own is read with. */
static char *
problem_of(const char *path, const char *text, size_t len, bool over)
{
	struct pkg_input in = { path, (const uint8_t *)text, len, over };
	struct pkg_db *db = pkg_db_read(&in, 1);
	const char *p = pkg_db_problem(db, PKG_DPKG);
	char *s = p != NULL ? strdup(p) : NULL;

	cr_assert_eq(pkg_db_count(db), 0, "no half-read package list");
	pkg_db_free(db);
	return s;
}

#define PROBLEM(path, text, over)	problem_of(path, text, sizeof(text) - 1, over)

Test(pkg, unreadable_dpkg_databases)
{
	char *s;

	s = PROBLEM("var/lib/dpkg/status", "Package: a\nVersion 1.0\n\n", false);
	cr_assert_str_eq(s, "unreadable: var/lib/dpkg/status: line 2: not a "
	    "field (no colon)");
	free(s);
	s = PROBLEM("var/lib/dpkg/status", "Package: a\nStatus: install ok "
	    "installed\nVersion: 1.0\n\nPackage: b\nStatus: inst", false);
	cr_assert_str_eq(s, "unreadable: var/lib/dpkg/status: truncated (no "
	    "newline at the end)");
	free(s);
	s = PROBLEM("var/lib/dpkg/status", "Package: b\nStatus: install ok "
	    "installed\n", false);
	cr_assert_str_eq(s, "unreadable: var/lib/dpkg/status: package 'b': no "
	    "Version");
	free(s);
	s = PROBLEM("var/lib/dpkg/status", " orphan\n", false);
	cr_assert(strstr(s, "a continuation line before any field") != NULL);
	free(s);
	s = PROBLEM("var/lib/dpkg/status", "Version: 1\n\n", false);
	cr_assert(strstr(s, "without a Package field") != NULL);
	free(s);
	s = PROBLEM("var/lib/dpkg/status", "Package: a\n", true);
	cr_assert_str_eq(s, "not read: over 64 MiB");
	free(s);
}

Test(pkg, a_ten_megabyte_line_is_unreadable)
{
	size_t n = 10u << 20;
	char *text = malloc(n + 32), *s;

	memcpy(text, "Package: ", 9);
	memset(text + 9, 'a', n);
	memcpy(text + 9 + n, "\n\n", 2);
	s = problem_of("var/lib/dpkg/status", text, n + 11, false);
	cr_assert_str_eq(s, "unreadable: var/lib/dpkg/status: line 1 is longer "
	    "than 1048576 bytes");
	free(s);
	free(text);
}

Test(pkg, bad_md5sums_line)
{
	struct pkg_input in[] = {
		IN("var/lib/dpkg/status", "Package: a\nVersion: 1\n\n"),
		IN("var/lib/dpkg/info/a.md5sums", "zz  usr/bin/a\n"),
	};
	struct pkg_db *db = pkg_db_read(in, 2);

	cr_assert_str_eq(pkg_db_problem(db, PKG_DPKG), "unreadable: "
	    "var/lib/dpkg/info/a.md5sums: line 1: not \"<md5>  <path>\"");
	cr_assert_eq(pkg_db_count(db), 0);
	pkg_db_free(db);
}

static int
sign(int v)
{
	return v < 0 ? -1 : v > 0;
}

/* Every pair of tests/pkg/versions-dpkg.tsv, made by the real dpkg. */
/*
 * Every row "a<TAB>b<TAB>result" of path (lines starting '#' and the
 * header "a<TAB>b<TAB>result" skipped) ordered by eco as the file says,
 * both ways round; at least min rows.
 */
static void
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

Test(pkg, dpkg_vercmp_as_dpkg)
{
	vercmp_as_file(PKG_DPKG, "tests/pkg/versions-dpkg.tsv", 40);
}

/* corpus/packages/versions-dpkg.tsv: edge cases and real bookworm
 * versions, ordered by dpkg --compare-versions (make-versions.py). */
Test(pkg, dpkg_vercmp_as_dpkg_on_real_versions)
{
	vercmp_as_file(PKG_DPKG, "corpus/packages/versions-dpkg.tsv", 1000);
}

static const char apk_installed[] =
    "C:Q1abc=\n"
    "P:musl\n"
    "V:1.2.4-r2\n"
    "A:x86_64\n"
    "F:lib\n"
    "R:ld-musl-x86_64.so.1\n"
    "a:0:0:755\n"
    "Z:Q1bOoRh9RZxD8U+6FkC5OrP4ARqVo=\n"
    "R:libc.musl-x86_64.so.1\n"
    "\n"
    "P:busybox\n"
    "V:1.36.1-r5\n"
    "A:x86_64\n"
    "F:bin\n"
    "R:busybox\n"
    "Z:Q1JA5jgSV8BfXxdUu5MIc9b3N1bxo=\n"
    "F:etc\n"
    "R:securetty\n"
    "\n";

Test(pkg, apk_installed)
{
	struct pkg_input in = IN("lib/apk/db/installed", apk_installed);
	struct pkg_db *db = pkg_db_read(&in, 1);
	const char *digest;

	cr_assert_null(pkg_db_problem(db, PKG_APK));
	cr_assert(pkg_db_present(db, PKG_APK));
	cr_assert_eq(pkg_db_count(db), 2);
	cr_assert_str_eq(pkg_db_get(db, 0)->name, "busybox");
	cr_assert_str_eq(pkg_db_get(db, 0)->version, "1.36.1-r5");
	cr_assert_str_eq(pkg_db_get(db, 0)->arch, "x86_64");
	cr_assert_eq(pkg_db_get(db, 0)->eco, PKG_APK);
	cr_assert_eq(pkg_db_owner(db, "bin/busybox", &digest), 0);
	cr_assert_str_eq(digest, "apk:Q1JA5jgSV8BfXxdUu5MIc9b3N1bxo=");
	cr_assert_eq(pkg_db_owner(db, "etc/securetty", &digest), 0);
	cr_assert_null(digest);
	cr_assert_eq(pkg_db_owner(db, "lib/ld-musl-x86_64.so.1", &digest), 1);
	cr_assert_str_eq(digest, "apk:Q1bOoRh9RZxD8U+6FkC5OrP4ARqVo=");
	cr_assert_eq(pkg_db_owner(db, "lib/libc.musl-x86_64.so.1", NULL), 1);
	cr_assert_eq(pkg_db_owner(db, "lib", NULL), 1);
	pkg_db_free(db);
}

Test(pkg, unreadable_apk_databases)
{
	struct pkg_input bad[] = {
		IN("lib/apk/db/installed", "P:a\nV:1\nnot a field\n\n"),
		IN("lib/apk/db/installed", "P:a\nV:1\nF:bin\nR:a"),
		IN("lib/apk/db/installed", "F:bin\nR:a\n\n"),
	};
	const char *want[] = {
		"unreadable: lib/apk/db/installed: line 3: not \"X:value\"",
		"unreadable: lib/apk/db/installed: truncated (no newline at the end)",
		"unreadable: lib/apk/db/installed: line 1: a package without P: and "
		    "V: before its files",
	};
	struct pkg_db *db;
	size_t i;

	for (i = 0; i < 3; i++) {
		db = pkg_db_read(&bad[i], 1);
		cr_assert_str_eq(pkg_db_problem(db, PKG_APK), want[i]);
		cr_assert_eq(pkg_db_count(db), 0);
		pkg_db_free(db);
	}
}

/* Every line of apk-tools' own vectors (corpus/apk/version.data). */
Test(pkg, apk_vercmp_as_apk_tools)
{
	FILE *fp = fopen("corpus/apk/version.data", "r");
	char line[512], a[200], op[4], b[200];
	int want, n = 0;

	cr_assert_not_null(fp);
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (sscanf(line, "%199s %3s %199s", a, op, b) != 3)
			continue;
		want = op[0] == '<' ? -1 : op[0] == '>' ? 1 : 0;
		cr_assert_eq(sign(pkg_vercmp(PKG_APK, a, b)), want, "%s %s %s", a, op, b);
		cr_assert_eq(sign(pkg_vercmp(PKG_APK, b, a)), -want, "%s vs %s", b, a);
		n++;
	}
	fclose(fp);
	cr_assert_geq(n, 700);
}

/* corpus/packages/versions-rpm.tsv, made by rpm's own rpm.vercmp(). */
Test(pkg, rpm_vercmp_as_rpm)
{
	vercmp_as_file(PKG_RPM, "corpus/packages/versions-rpm.tsv", 600);
}

Test(pkg, rpm_older_formats_are_named_not_read)
{
	struct pkg_input bdb = IN("var/lib/rpm/Packages", "");
	struct pkg_input ndb = IN("usr/lib/sysimage/rpm/Packages.db", "");
	struct pkg_input junk = IN("var/lib/rpm/rpmdb.sqlite", "not SQLite");
	struct pkg_db *db;

	db = pkg_db_read(&bdb, 1);
	cr_assert_str_eq(pkg_db_problem(db, PKG_RPM), "not read: a Berkeley DB "
	    "(var/lib/rpm/Packages)");
	pkg_db_free(db);
	db = pkg_db_read(&ndb, 1);
	cr_assert_str_eq(pkg_db_problem(db, PKG_RPM), "not read: an ndb database "
	    "(usr/lib/sysimage/rpm/Packages.db)");
	pkg_db_free(db);
	db = pkg_db_read(&junk, 1);
	cr_assert_str_eq(pkg_db_problem(db, PKG_RPM), "unreadable: "
	    "var/lib/rpm/rpmdb.sqlite: not an SQLite database");
	pkg_db_free(db);
}
