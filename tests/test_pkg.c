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
#include "tests/vercmp.h"

#define IN(p, s)	{ (p), (const uint8_t *)(s), sizeof(s) - 1, false, false, false, 0 }

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
	cr_assert_eq(p->nfiles, 2);	/* "/usr" is a directory: not counted */
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
	struct pkg_input in = { path, (const uint8_t *)text, len, over, false,
	    false, 0 };
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

/* corpus/apppkg/versions-pypi.tsv: packaging's own ordered examples,
   ordered by packaging.version (make-versions.py there). */
Test(pkg, pypi_vercmp_as_packaging)
{
	vercmp_as_file(PKG_PYPI, "corpus/apppkg/versions-pypi.tsv", 700);
}

/* corpus/apppkg/versions-npm.tsv: semver 2.0's precedence examples,
   ordered by npm's own semver module. */
Test(pkg, npm_vercmp_as_semver)
{
	vercmp_as_file(PKG_NPM, "corpus/apppkg/versions-npm.tsv", 500);
}

/* corpus/apppkg/versions-gem.tsv: Gem::Version's published examples. */
Test(pkg, gem_vercmp_as_rubygems)
{
	vercmp_as_file(PKG_GEM, "corpus/apppkg/versions-gem.tsv", 19);
}

Test(pkg, app_capture_paths)
{
	bool bytes = false;

	cr_assert_eq(pkg_capture_match("usr/lib/python3/dist-packages/"
	    "Flask-3.0.2.dist-info/METADATA", &bytes), PKG_PYPI);
	cr_assert(bytes);
	cr_assert_eq(pkg_capture_match("opt/venv/lib/python3.11/site-packages/"
	    "flask-3.0.2.dist-info/RECORD", &bytes), PKG_PYPI);
	cr_assert_eq(pkg_capture_match("usr/lib/python3/dist-packages/"
	    "six-1.16.0.egg-info/PKG-INFO", &bytes), PKG_PYPI);
	cr_assert_eq(pkg_capture_match("usr/lib/python3/dist-packages/"
	    "six-1.16.0.egg-info", &bytes), PKG_PYPI);
	/* not in a site-packages directory, or not its metadata */
	cr_assert_eq(pkg_capture_match("src/flask-3.0.2.dist-info/METADATA",
	    &bytes), -1);
	cr_assert_eq(pkg_capture_match("usr/lib/python3/dist-packages/"
	    "flask-3.0.2.dist-info/WHEEL", &bytes), -1);
	cr_assert_eq(pkg_capture_match("usr/lib/python3/dist-packages/METADATA",
	    &bytes), -1);
	cr_assert_eq(pkg_capture_match("app/node_modules/lodash/package.json",
	    &bytes), PKG_NPM);
	cr_assert_eq(pkg_capture_match("node_modules/@types/node/package.json",
	    &bytes), PKG_NPM);
	cr_assert_eq(pkg_capture_match("node_modules/a/node_modules/b/"
	    "package.json", &bytes), PKG_NPM);
	cr_assert_eq(pkg_capture_match("app/package-lock.json", &bytes), PKG_NPM);
	cr_assert_eq(pkg_capture_match("npm-shrinkwrap.json", &bytes), PKG_NPM);
	/* a package's own files, an app's manifest, a lockfile inside a
	   package: none is a package */
	cr_assert_eq(pkg_capture_match("node_modules/lodash/fp/package.json",
	    &bytes), -1);
	cr_assert_eq(pkg_capture_match("app/package.json", &bytes), -1);
	cr_assert_eq(pkg_capture_match("node_modules/a/package-lock.json",
	    &bytes), -1);
	cr_assert_eq(pkg_capture_match("node_modules/.bin/package.json", &bytes),
	    -1);
	cr_assert_eq(pkg_capture_match("node_modules/@scope/package.json",
	    &bytes), -1);
	cr_assert_eq(pkg_capture_match("usr/local/bundle/specifications/"
	    "rack-2.2.22.gemspec", &bytes), PKG_GEM);
	cr_assert_eq(pkg_capture_match("usr/lib/ruby/gems/3.1.0/specifications/"
	    "default/json-2.6.1.gemspec", &bytes), PKG_GEM);
	cr_assert_eq(pkg_capture_match("usr/local/bundle/gems/rack-2.2.22/"
	    "rack.gemspec", &bytes), -1);
}

/* A wheel pip installed: METADATA, RECORD with urlsafe-base64 sha256
   digests and a script outside site-packages; one name in two prefixes is
   two packages. */
Test(pkg, pypi_dist_info_and_record)
{
	struct pkg_input in[] = {
		IN("opt/venv/lib/python3.11/site-packages/Flask-3.0.2.dist-info/RECORD",
		    "flask/__init__.py,sha256=ab-_cd,2266\r\n"
		    "\"flask/a,b.py\",sha256=xyz,10\n"
		    "../../../bin/flask,sha256=bin,238\n"
		    "../../../../../../etc/passwd,sha256=no,1\n"
		    "Flask-3.0.2.dist-info/RECORD,,\n"),
		IN("opt/venv/lib/python3.11/site-packages/Flask-3.0.2.dist-info/METADATA",
		    "Metadata-Version: 2.1\nName: Flask\nVersion: 3.0.2\n"
		    "Summary: A simple framework\n\nName: not-this\n"),
		IN("usr/lib/python3/dist-packages/flask-2.2.2.egg-info/PKG-INFO",
		    "Metadata-Version: 2.1\r\nname: flask\r\nversion: 2.2.2\r\n"),
		IN("usr/lib/python3/dist-packages/flask-2.2.2.egg-info/"
		    "installed-files.txt", "../flask/app.py\n"),
		IN("usr/lib/python3/dist-packages/zope.interface-5.5.2.egg-info",
		    "Name: zope.interface\nVersion: 5.5.2\n"),
	};
	struct pkg_db *db = pkg_db_read(in, sizeof(in) / sizeof(in[0]));
	const struct pkg *p;
	const char *digest;
	long i;

	cr_assert_null(pkg_db_problem(db, PKG_PYPI));
	cr_assert_null(pkg_db_note(db, PKG_PYPI, 0));
	cr_assert_eq(pkg_db_count(db), 3);
	p = pkg_db_get(db, 0);
	cr_assert_str_eq(p->name, "flask");
	cr_assert_str_eq(p->version, "3.0.2");
	cr_assert_str_eq(p->where, "opt/venv/lib/python3.11/site-packages");
	p = pkg_db_get(db, 1);
	cr_assert_str_eq(p->version, "2.2.2");
	cr_assert_str_eq(p->where, "usr/lib/python3/dist-packages");
	cr_assert_str_eq(pkg_db_get(db, 2)->name, "zope-interface");
	i = pkg_db_owner(db, "opt/venv/lib/python3.11/site-packages/flask/"
	    "__init__.py", &digest);
	cr_assert_eq(i, 0);
	/* RECORD's digest and size, as pkg_digest_check() reads them */
	cr_assert_str_eq(digest, "sha256:ab-_cd,2266");
	cr_assert_eq(pkg_db_owner(db, "opt/venv/lib/python3.11/site-packages/"
	    "flask/a,b.py", &digest), 0);
	cr_assert_str_eq(digest, "sha256:xyz,10");
	cr_assert_eq(pkg_db_owner(db, "opt/venv/bin/flask", NULL), 0);
	cr_assert_eq(pkg_db_owner(db, "etc/passwd", NULL), -1);
	cr_assert_eq(pkg_db_owner(db, "usr/lib/python3/dist-packages/flask/app.py",
	    &digest), 1);
	cr_assert_null(digest);
	pkg_db_free(db);
}

/* An input that says it is pypi's whatever its path (scanned, as a layer
   cache file may claim) is read only at a metadata directory's path: the
   others are no package, never a directory computed from nothing. */
Test(pkg, pypi_reads_only_metadata_paths)
{
#define SCANNED(p, s)	{ (p), (const uint8_t *)(s), sizeof(s) - 1, false, \
	false, true, PKG_PYPI }
	struct pkg_input in[] = {
		SCANNED("METADATA", "Name: a\nVersion: 1\n"),
		SCANNED("a.egg-info", "Name: b\nVersion: 1\n"),
		SCANNED("c-1.dist-info/METADATA", "Name: c\nVersion: 1\n"),
		SCANNED("sp/site-packages/d-1.dist-info/METADATA",
		    "Name: d\nVersion: 1\n"),
		SCANNED("usr/bin/tool", "Name: e\nVersion: 1\n"),
		SCANNED("usr/bin/tool2", "Name: f\nVersion: 1\n"),
	};
#undef SCANNED
	struct pkg_db *db = pkg_db_read(in, sizeof(in) / sizeof(in[0]));

	cr_assert_null(pkg_db_problem(db, PKG_PYPI));
	cr_assert_eq(pkg_db_count(db), 1);
	cr_assert_str_eq(pkg_db_get(db, 0)->name, "d");
	cr_assert_str_eq(pkg_db_get(db, 0)->where, "sp/site-packages");
	pkg_db_free(db);
}

/* A METADATA without a Version, a RECORD without its METADATA, a file
   over the bound: each a note, the rest read. */
Test(pkg, pypi_unreadable_is_a_note)
{
	struct pkg_input in[] = {
		IN("sp/site-packages/a-1.dist-info/METADATA", "Name: a\n\nVersion: 1\n"),
		IN("sp/site-packages/b-1.dist-info/RECORD", "b.py,,\n"),
		IN("sp/site-packages/c-1.dist-info/METADATA", "Name: c\nVersion: 1\n"),
		{ "sp/site-packages/d-1.dist-info/METADATA", NULL, 0, true, true,
		    false, 0 },
	};
	struct pkg_db *db = pkg_db_read(in, sizeof(in) / sizeof(in[0]));

	cr_assert_null(pkg_db_problem(db, PKG_PYPI));
	cr_assert_eq(pkg_db_count(db), 1);
	cr_assert_str_eq(pkg_db_get(db, 0)->name, "c");
	cr_assert_str_eq(pkg_db_note(db, PKG_PYPI, 0),
	    "sp/site-packages/a-1.dist-info/METADATA: unreadable: no Version");
	cr_assert_str_eq(pkg_db_note(db, PKG_PYPI, 1),
	    "sp/site-packages/b-1.dist-info/RECORD: no METADATA or PKG-INFO "
	    "beside it");
	cr_assert_str_eq(pkg_db_note(db, PKG_PYPI, 2),
	    "sp/site-packages/d-1.dist-info/METADATA: not read: over 8 MiB");
	cr_assert_null(pkg_db_note(db, PKG_PYPI, 3));
	pkg_db_free(db);
}

/* Scoped and nested packages, each named by its directory, owning it;
   a package.json that is not JSON is a note; the lockfile disagrees. */
Test(pkg, npm_tree_and_lockfile)
{
	struct pkg_input in[] = {
		IN("app/node_modules/lodash/package.json",
		    "{\"name\":\"lodash\",\"version\":\"4.17.21\"}"),
		IN("app/node_modules/@scope/x/package.json",
		    "{\"name\":\"@scope/x\",\"version\":\"1.0.0\"}"),
		IN("app/node_modules/debug/package.json",
		    "{\"name\":\"debug\",\"version\":\"2.6.9\"}"),
		IN("app/node_modules/debug/node_modules/ms/package.json",
		    "{\"name\":\"ms\",\"version\":\"2.0.0\"}"),
		IN("app/node_modules/ms/package.json",
		    "{\"name\":\"ms\",\"version\":\"2.1.3\"}"),
		IN("app/node_modules/broken/package.json", "{\"name\":"),
		IN("app/node_modules/noversion/package.json", "{\"name\":\"n\"}"),
		IN("app/package-lock.json",
		    "{\"lockfileVersion\":3,\"packages\":{\"\":{\"name\":\"app\"},"
		    "\"node_modules/lodash\":{\"version\":\"4.17.20\"},"
		    "\"node_modules/debug\":{\"version\":\"2.6.9\"},"
		    "\"node_modules/debug/node_modules/ms\":{\"version\":\"2.0.0\"},"
		    "\"node_modules/ms\":{\"version\":\"2.1.3\"},"
		    "\"node_modules/gone\":{\"version\":\"1.0.0\"},"
		    "\"node_modules/devonly\":{\"version\":\"1.0.0\",\"dev\":true}}}"),
	};
	struct pkg_db *db = pkg_db_read(in, sizeof(in) / sizeof(in[0]));
	const struct pkg *p;
	const char *digest;
	long i;
	size_t k;
	bool lodash = false, gone = false, scoped = false;
	const char *note;

	cr_assert_null(pkg_db_problem(db, PKG_NPM));
	cr_assert_eq(pkg_db_count(db), 5);
	cr_assert_str_eq(pkg_db_get(db, 0)->name, "@scope/x");
	p = pkg_db_get(db, 3);
	cr_assert_str_eq(p->name, "ms");
	cr_assert_str_eq(p->where, "app/node_modules/debug/node_modules/ms");
	cr_assert_str_eq(pkg_db_get(db, 4)->where, "app/node_modules/ms");
	i = pkg_db_owner(db, "app/node_modules/debug/node_modules/ms/index.js",
	    &digest);
	cr_assert_eq(i, 3);
	cr_assert_null(digest);
	cr_assert_eq(pkg_db_owner(db, "app/node_modules/debug/src/x.js", NULL), 1);
	cr_assert_eq(pkg_db_owner(db, "app/node_modules/ms/index.js", NULL), 4);
	cr_assert_eq(pkg_db_owner(db, "app/node_modules/msx/index.js", NULL), -1);
	cr_assert_eq(pkg_db_owner(db, "app/node_modules/@scope/x/a.js", NULL), 0);
	cr_assert(pkg_db_get(db, 0)->owns_dir);
	cr_assert_eq(pkg_db_get(db, 0)->nfiles, 0);
	cr_assert(pkg_version_fixes_bytes(PKG_NPM));
	cr_assert(!pkg_version_fixes_bytes(PKG_DPKG));
	for (k = 0; (note = pkg_db_note(db, PKG_NPM, k)) != NULL; k++) {
		lodash |= strcmp(note, "app/package-lock.json and the installed tree "
		    "disagree: node_modules/lodash locked at 4.17.20, installed "
		    "4.17.21") == 0;
		gone |= strcmp(note, "app/package-lock.json and the installed tree "
		    "disagree: node_modules/gone locked at 1.0.0, not installed") == 0;
		scoped |= strstr(note, "node_modules/@scope/x installed at 1.0.0, "
		    "not locked") != NULL;
		cr_assert_null(strstr(note, "devonly"), "%s", note);
	}
	cr_assert(lodash && gone && scoped);
	cr_assert_eq(strncmp(pkg_db_note(db, PKG_NPM, 0),
	    "app/node_modules/broken/package.json: not JSON: line 1: ", 56), 0,
	    "%s", pkg_db_note(db, PKG_NPM, 0));
	cr_assert_eq(k, 4);
	pkg_db_free(db);
}

/* Name and version from the spec, the platform from the file name; the
   gem owns HOME/gems/FULLNAME, a default gem nothing but its spec. */
Test(pkg, gem_specifications)
{
	struct pkg_input in[] = {
		IN("usr/local/bundle/specifications/nokogiri-1.15.4-x86_64-linux.gemspec",
		    "Gem::Specification.new do |s|\n  s.name = \"nokogiri\".freeze\n"
		    "  s.version = \"1.15.4\"\n"),
		IN("usr/local/bundle/specifications/rack-2.2.22.gemspec",
		    "Gem::Specification.new do |spec|\n  spec.name = %q{rack}\n"
		    "  spec.version = Gem::Version.new(\"2.2.22\")\n"),
		IN("usr/lib/ruby/gems/3.1.0/specifications/default/json-2.6.1.gemspec",
		    "# no assignment the reader knows\n"),
		/* no version in the file name: the spec's alone */
		IN("opt/gems/specifications/zz.gemspec",
		    "  s.name = 'zz'\n  s.version = Gem::Version.new(\"0.9.1\")\n"),
	};
	struct pkg_db *db = pkg_db_read(in, sizeof(in) / sizeof(in[0]));
	const struct pkg *p;

	cr_assert_eq(pkg_db_count(db), 4);
	cr_assert_null(pkg_db_note(db, PKG_GEM, 0));
	cr_assert_str_eq(pkg_db_get(db, 3)->name, "zz");
	cr_assert_str_eq(pkg_db_get(db, 3)->version, "0.9.1");
	p = pkg_db_get(db, 0);
	cr_assert_str_eq(p->name, "json");
	cr_assert_str_eq(p->version, "2.6.1");
	cr_assert_str_eq(p->where, "usr/lib/ruby/gems/3.1.0");
	p = pkg_db_get(db, 1);
	cr_assert_str_eq(p->name, "nokogiri");
	cr_assert_str_eq(p->arch, "x86_64-linux");
	cr_assert_str_eq(p->version, "1.15.4");
	cr_assert_str_eq(pkg_db_get(db, 2)->version, "2.2.22");
	cr_assert_eq(pkg_db_owner(db, "usr/local/bundle/gems/"
	    "nokogiri-1.15.4-x86_64-linux/lib/nokogiri.rb", NULL), 1);
	cr_assert_eq(pkg_db_owner(db, "usr/local/bundle/gems/rack-2.2.22/lib/"
	    "rack.rb", NULL), 2);
	cr_assert_eq(pkg_db_owner(db, "usr/lib/ruby/gems/3.1.0/gems/json-2.6.1/x",
	    NULL), -1);
	pkg_db_free(db);
}

/* Past PKG_DB_MAX an ecosystem read file by file is not read at all (a
   half-read tree would show packages removed); one file over
   PKG_FILE_MAX alone is a note. */
Test(pkg, app_ecosystem_over_its_bound)
{
	struct pkg_input in[] = {
		IN("node_modules/a/package.json",
		    "{\"name\":\"a\",\"version\":\"1.0.0\"}"),
		{ "node_modules/b/package.json", NULL, 0, true, false, false, 0 },
	};
	struct pkg_db *db = pkg_db_read(in, 2);

	cr_assert(pkg_db_present(db, PKG_NPM));
	cr_assert_str_eq(pkg_db_problem(db, PKG_NPM), "not read: over 64 MiB");
	cr_assert_eq(pkg_db_count(db), 0);
	pkg_db_free(db);
	in[1].file_over = true;
	db = pkg_db_read(in, 2);
	cr_assert_null(pkg_db_problem(db, PKG_NPM));
	cr_assert_eq(pkg_db_count(db), 1);
	cr_assert_str_eq(pkg_db_note(db, PKG_NPM, 0),
	    "node_modules/b/package.json: not read: over 8 MiB");
	pkg_db_free(db);
}

/* apk-tools 3's adb-format installed database: named, never taken for an
   image without packages. */
Test(pkg, apk_v3_database_is_named_not_read)
{
	static const char adb[] = "ADBd\x01\x02\x03";
	struct pkg_input v3[] = {
		{ .path = "lib/apk/db/installed.adb" },
	};
	struct pkg_input inplace[] = {
		{ .path = "lib/apk/db/installed", .data = (const uint8_t *)adb,
		  .len = sizeof(adb) - 1 },
	};
	struct pkg_input both[] = {
		IN("lib/apk/db/installed", apk_installed),
		{ .path = "lib/apk/db/installed.adb" },
	};
	struct pkg_db *db;

	db = pkg_db_read(v3, 1);
	cr_assert(pkg_db_present(db, PKG_APK));
	cr_assert_str_eq(pkg_db_problem(db, PKG_APK),
	    "not read: apk v3 database (lib/apk/db/installed.adb)");
	cr_assert_eq(pkg_db_count(db), 0);
	pkg_db_free(db);
	db = pkg_db_read(inplace, 1);
	cr_assert_str_eq(pkg_db_problem(db, PKG_APK),
	    "not read: apk v3 database (lib/apk/db/installed)");
	pkg_db_free(db);
	/* apk-tools 3.0 still reads and writes the text one: read it */
	db = pkg_db_read(both, 2);
	cr_assert_null(pkg_db_problem(db, PKG_APK));
	cr_assert_eq(pkg_db_count(db), 2);
	pkg_db_free(db);
}
