/*
 * test_binpkg.c - the dependencies compiled into files (pkg/go.c,
 * pkg/maven.c, pkg/cargo.c): real Go build information, real Debian jars
 * and a jar nested in a jar, a cargo-built binary with a .dep-v0 section,
 * what is not read and why, and the version orders against Go's own
 * x/mod/semver and Maven's own ComparableVersion (corpus/compiled/).
 */
#include <criterion/criterion.h>
#include <isa-l.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkg/pkg.h"
#include "tests/vercmp.h"
#include "util/err.h"

#define DIR	"corpus/compiled/"

/* The bytes of a corpus file (malloc'd). */
static uint8_t *
slurp(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *p;
	long len;

	cr_assert_not_null(fp, "%s", path);
	cr_assert_eq(fseek(fp, 0, SEEK_END), 0);
	len = ftell(fp);
	cr_assert_geq(len, 0);
	rewind(fp);
	p = malloc((size_t)len + 1);
	cr_assert_eq(fread(p, 1, (size_t)len, fp), (size_t)len);
	fclose(fp);
	*n = (size_t)len;
	return p;
}

/* @return the package (eco, name) of db, or NULL. */
static const struct pkg *
find(const struct pkg_db *db, enum pkg_eco eco, const char *name)
{
	size_t i;

	for (i = 0; i < pkg_db_count(db); i++)
		if (pkg_db_get(db, i)->eco == eco &&
		    strcmp(pkg_db_get(db, i)->name, name) == 0)
			return pkg_db_get(db, i);
	return NULL;
}

/* The packages of a Go build information blob, as the first pass keeps
   it for path. */
static struct pkg_db *
go_db(const char *path, const uint8_t *p, size_t n)
{
	struct pkg_input in = { path, p, n, false, false, true, PKG_GO };

	return pkg_db_read(&in, 1);
}

Test(binpkg, go_buildinfo_of_a_real_binary)
{
	size_t n;
	uint8_t *p = slurp(DIR "hello-uuid-1.3.0.buildinfo", &n);
	struct pkg_go_info gi;
	struct err e = { 0 };
	size_t i;
	bool compiler = false;

	cr_assert_eq(pkg_go_blob_len(p, n), n);
	cr_assert_eq(pkg_go_info_parse(p, n, &gi, &e), 0, "%s", e.msg);
	cr_assert_str_eq(gi.go, "go1.19.8");
	cr_assert_str_eq(gi.path, "example.com/hello");
	cr_assert_str_eq(gi.main.path, "example.com/hello");
	cr_assert_str_eq(gi.main.version, "(devel)");
	cr_assert_eq(gi.ndeps, 1);
	cr_assert_str_eq(gi.deps[0].path, "github.com/google/uuid");
	cr_assert_str_eq(gi.deps[0].version, "v1.3.0");
	/* vendored: no sum */
	cr_assert_str_eq(gi.deps[0].sum, "");
	for (i = 0; i < gi.nsettings; i++) {
		compiler |= strcmp(gi.settings[i], "-compiler=gc") == 0;
		cr_assert_neq(strcmp(gi.settings[i], "-trimpath=true"), 0);
		if (i > 0)
			cr_assert_leq(strcmp(gi.settings[i - 1], gi.settings[i]), 0);
	}
	cr_assert(compiler);
	/* more bytes after it: the blob ends where the strings say */
	p = realloc(p, n + 100);
	memset(p + n, 0xee, 100);
	cr_assert_eq(pkg_go_blob_len(p, n + 100), n);
	pkg_go_info_release(&gi);
	free(p);
}

Test(binpkg, go_trimpath_and_vcs_settings)
{
	size_t n, i;
	uint8_t *p = slurp(DIR "hello-uuid-1.3.0-trimpath.buildinfo", &n);
	struct pkg_go_info gi;
	struct err e = { 0 };
	bool trim = false, modified = false;

	cr_assert_eq(pkg_go_info_parse(p, n, &gi, &e), 0, "%s", e.msg);
	for (i = 0; i < gi.nsettings; i++)
		trim |= strcmp(gi.settings[i], "-trimpath=true") == 0;
	cr_assert(trim);
	pkg_go_info_release(&gi);
	free(p);
	p = slurp(DIR "hello-vcs-commit2-modified.buildinfo", &n);
	cr_assert_eq(pkg_go_info_parse(p, n, &gi, &e), 0, "%s", e.msg);
	for (i = 0; i < gi.nsettings; i++)
		modified |= strcmp(gi.settings[i], "vcs.modified=true") == 0;
	cr_assert(modified);
	pkg_go_info_release(&gi);
	free(p);
}

Test(binpkg, go_modules_are_packages_of_the_binary)
{
	size_t n;
	uint8_t *p = slurp(DIR "hello-uuid-1.3.0-text-0.7.0.buildinfo", &n);
	struct pkg_db *db = go_db("usr/local/bin/hello", p, n);
	const struct pkg *k;
	long own;

	cr_assert(pkg_db_present(db, PKG_GO));
	cr_assert_null(pkg_db_problem(db, PKG_GO));
	cr_assert_eq(pkg_db_count(db), 4);
	k = find(db, PKG_GO, "golang.org/x/text");
	cr_assert_not_null(k);
	cr_assert_str_eq(k->version, "v0.7.0");
	cr_assert_str_eq(k->where, "usr/local/bin/hello");
	cr_assert_str_eq(find(db, PKG_GO, "stdlib")->version, "go1.19.8");
	cr_assert_str_eq(find(db, PKG_GO, "github.com/google/uuid")->version,
	    "v1.3.0");
	/* the binary is its main module's file */
	own = pkg_db_owner(db, "usr/local/bin/hello", NULL);
	cr_assert_geq(own, 0);
	cr_assert_str_eq(pkg_db_get(db, (size_t)own)->name, "example.com/hello");
	pkg_db_free(db);
	free(p);
}

Test(binpkg, go_lengths_past_the_end_are_named_not_read)
{
	size_t n;
	uint8_t *p = slurp(DIR "hello-uuid-1.6.0.buildinfo", &n);
	struct pkg_input in[2] = {
		{ "usr/bin/cut", p, n - 40, false, false, true, PKG_GO },
		{ "usr/bin/whole", p, n, false, false, true, PKG_GO },
	};
	struct pkg_db *db = pkg_db_read(in, 2);
	const char *why = pkg_db_note(db, PKG_GO, 0);

	/* the cut one is named, the whole one read */
	cr_assert_null(pkg_db_problem(db, PKG_GO));
	cr_assert_not_null(why);
	cr_assert(strstr(why, "usr/bin/cut: unreadable: Go build information: a "
	    "length points past the end") != NULL, "%s", why);
	cr_assert_null(pkg_db_note(db, PKG_GO, 1));
	cr_assert_eq(pkg_db_count(db), 3);
	cr_assert_str_eq(find(db, PKG_GO, "github.com/google/uuid")->where,
	    "usr/bin/whole");
	pkg_db_free(db);
	/* a varint that never ends */
	memset(p + 32, 0xff, n - 32);
	in[0].len = n;
	db = pkg_db_read(in, 1);
	cr_assert_eq(pkg_db_count(db), 0);
	cr_assert_not_null(pkg_db_note(db, PKG_GO, 0));
	pkg_db_free(db);
	free(p);
}

/* The toolchain's own commands (path cmd/go, no mod line) and a binary
   built outside module mode (no module text): the Go version only. */
Test(binpkg, go_without_a_main_module_is_its_toolchain)
{
	static const char modinfo[] = "0123456789abcdef"
	    "path\tcmd/go\nbuild\t-compiler=gc\n" "0123456789abcdef";
	uint8_t blob[256] = { 0 };
	size_t n = 32, k;
	struct pkg_db *db;
	long own;

	memcpy(blob, pkg_go_mark, sizeof(pkg_go_mark));
	blob[14] = 8;
	blob[15] = 2;
	blob[n++] = 6;
	memcpy(blob + n, "go1.19", 6);
	n += 6;
	for (k = 0; k < 2; k++) {
		size_t len = k == 0 ? sizeof(modinfo) - 1 : 0, at = n;

		blob[at++] = (uint8_t)len;
		memcpy(blob + at, modinfo, len);
		db = go_db("usr/lib/go/bin/go", blob, at + len);
		cr_assert_null(pkg_db_note(db, PKG_GO, 0), "%s",
		    pkg_db_note(db, PKG_GO, 0));
		cr_assert_eq(pkg_db_count(db), 1);
		cr_assert_str_eq(pkg_db_get(db, 0)->name, "stdlib");
		cr_assert_str_eq(pkg_db_get(db, 0)->version, "go1.19");
		own = pkg_db_owner(db, "usr/lib/go/bin/go", NULL);
		cr_assert_eq(own, 0);
		pkg_db_free(db);
	}
}

Test(binpkg, go_pointer_format_is_named_not_read)
{
	uint8_t blob[64] = { 0 };
	struct pkg_go_info gi;
	struct err e = { 0 };

	memcpy(blob, pkg_go_mark, sizeof(pkg_go_mark));
	blob[14] = 8;
	blob[15] = 0;	/* no inline strings: Go 1.17 and before */
	cr_assert_eq(pkg_go_info_parse(blob, sizeof(blob), &gi, &e),
	    ERR_UNSUPPORTED);
	cr_assert(strstr(e.msg, "pointer format") != NULL, "%s", e.msg);
	pkg_go_info_release(&gi);
}

Test(binpkg, jars_are_kept_by_name_anywhere)
{
	bool bytes = false;

	cr_assert_eq(pkg_capture_match("usr/share/java/commons-lang3.jar", &bytes),
	    PKG_MAVEN);
	cr_assert(bytes);
	cr_assert_eq(pkg_capture_match("app.war", &bytes), PKG_MAVEN);
	cr_assert_eq(pkg_capture_match("opt/x/lib/a.ear", &bytes), PKG_MAVEN);
	cr_assert_eq(pkg_capture_match("usr/bin/jar", &bytes), -1);
	cr_assert_eq(pkg_capture_match("usr/share/java/x.jar.sha1", &bytes), -1);
	cr_assert_eq(pkg_capture_match("var/lib/dpkg/status", &bytes), PKG_DPKG);
}

Test(binpkg, maven_artifacts_of_real_debian_jars)
{
	size_t na, nb;
	uint8_t *a = slurp(DIR "commons-lang3-3.12.0.jar", &na);
	uint8_t *b = slurp(DIR "commons-io-2.11.0.jar", &nb);
	struct pkg_input in[2] = {
		{ "usr/share/java/commons-lang3.jar", a, na, false, false, false, 0 },
		{ "usr/share/java/commons-io.jar", b, nb, false, false, false, 0 },
	};
	struct pkg_db *db = pkg_db_read(in, 2);
	const struct pkg *k;
	long own;

	cr_assert_null(pkg_db_problem(db, PKG_MAVEN));
	cr_assert_eq(pkg_db_count(db), 2);
	k = find(db, PKG_MAVEN, "org.apache.commons:commons-lang3");
	cr_assert_not_null(k);
	cr_assert_str_eq(k->version, "3.12.0");
	cr_assert_str_eq(k->where, "usr/share/java");
	cr_assert_str_eq(find(db, PKG_MAVEN, "commons-io:commons-io")->version,
	    "2.11.0");
	own = pkg_db_owner(db, "usr/share/java/commons-io.jar", NULL);
	cr_assert_geq(own, 0);
	cr_assert_str_eq(pkg_db_get(db, (size_t)own)->name,
	    "commons-io:commons-io");
	pkg_db_free(db);
	free(a);
	free(b);
}

Test(binpkg, maven_jars_nested_one_level)
{
	size_t n;
	uint8_t *p = slurp(DIR "app-boot.jar", &n);
	struct pkg_db *db = pkg_file_read("app/app.jar", p, n);
	const struct pkg *k;

	cr_assert_eq(pkg_db_count(db), 3);
	cr_assert_str_eq(find(db, PKG_MAVEN, "com.example:app")->where, "app");
	k = find(db, PKG_MAVEN, "org.apache.commons:commons-lang3");
	cr_assert_not_null(k);
	cr_assert_str_eq(k->version, "3.12.0");
	cr_assert_str_eq(k->where, "app/app.jar!/BOOT-INF/lib");
	/* the outer jar is the file of its own artifact only */
	cr_assert_str_eq(pkg_db_get(db, (size_t)pkg_db_owner(db, "app/app.jar",
	    NULL))->name, "com.example:app");
	pkg_db_free(db);
	free(p);
}

Test(binpkg, maven_jar_that_is_no_zip_is_named)
{
	static const char junk[] = "PK\3\4 not really a zip";
	struct pkg_input in[] = {
		{ "opt/bad.jar", (const uint8_t *)junk, sizeof(junk) - 1, false,
		    false, false, 0 },
		{ "opt/big.jar", NULL, 0, true, true, false, 0 },
	};
	struct pkg_db *db = pkg_db_read(in, 2);
	const char *n0 = pkg_db_note(db, PKG_MAVEN, 0);
	const char *n1 = pkg_db_note(db, PKG_MAVEN, 1);

	cr_assert(pkg_db_present(db, PKG_MAVEN));
	cr_assert_null(pkg_db_problem(db, PKG_MAVEN));
	cr_assert_not_null(n0);
	cr_assert_not_null(n1);
	cr_assert(strstr(n0, "opt/bad.jar: unreadable: ") != NULL, "%s", n0);
	cr_assert_str_eq(n1, "opt/big.jar: not read: over 32 MiB");
	cr_assert_eq(pkg_db_count(db), 0);
	pkg_db_free(db);
}

Test(binpkg, cargo_auditable_section)
{
	size_t n;
	uint8_t *p = slurp(DIR "hello-cargo-a", &n);
	struct pkg_db *db = pkg_file_read("usr/bin/hello", p, n);
	const uint8_t *sec;
	size_t len;

	cr_assert(pkg_db_present(db, PKG_CARGO));
	cr_assert_null(pkg_db_problem(db, PKG_CARGO));
	cr_assert_eq(pkg_db_count(db), 3);
	cr_assert_str_eq(find(db, PKG_CARGO, "serde")->version, "1.0.188");
	cr_assert_str_eq(find(db, PKG_CARGO, "itoa")->where, "usr/bin/hello");
	cr_assert_str_eq(pkg_db_get(db, (size_t)pkg_db_owner(db, "usr/bin/hello",
	    NULL))->name, "hello");
	pkg_db_free(db);
	/* a section that does not inflate */
	cr_assert(pkg_cargo_section(p, n, &sec, &len));
	memset((uint8_t *)(uintptr_t)sec + 2, 0xff, len - 2);
	db = pkg_file_read("usr/bin/hello", p, n);
	cr_assert_eq(pkg_db_count(db), 0);
	cr_assert(strstr(pkg_db_note(db, PKG_CARGO, 0), "usr/bin/hello: unreadable: "
	    ".dep-v0 does not inflate") != NULL, "%s", pkg_db_note(db, PKG_CARGO,
	    0));
	pkg_db_free(db);
	free(p);
}

Test(binpkg, cargo_section_found_in_the_bytes_before_the_headers)
{
	size_t n, len, wlen;
	uint8_t *p = slurp(DIR "hello-cargo-a", &n);
	const uint8_t *sec, *wsec;
	uint64_t from, to;

	cr_assert(pkg_cargo_section(p, n, &sec, &len));
	cr_assert(pkg_cargo_window(p, 64, n, &from, &to));
	/* a small binary: all of it, to the end of its section headers */
	cr_assert_eq(from, 0);
	cr_assert_eq(to, n);
	cr_assert_eq(pkg_cargo_find(p, 64, p, n, 0, &wsec, &wlen), 1);
	cr_assert_eq(wsec, sec);
	cr_assert_eq(wlen, len);
	/* the bytes from the section's end on: named, not there */
	from = (uint64_t)(sec - p) + len;
	cr_assert_eq(pkg_cargo_find(p, 64, p + from, n - from, from, &wsec,
	    &wlen), -1);
	/* from its first byte on: found */
	from = (uint64_t)(sec - p);
	cr_assert_eq(pkg_cargo_find(p, 64, p + from, n - from, from, &wsec,
	    &wlen), 1);
	cr_assert_eq(wlen, len);
	cr_assert(memcmp(wsec, sec, len) == 0);
	/* without the section headers: cannot tell */
	cr_assert_eq(pkg_cargo_find(p, 64, p, n - 64, 0, &wsec, &wlen), 0);
	/* section headers past the file's end, or no ELF file */
	cr_assert_not(pkg_cargo_window(p, 64, n - 64, &from, &to));
	cr_assert_not(pkg_cargo_window((const uint8_t *)"MZ\0\0", 4, n, &from,
	    &to));
	free(p);
}

/* A header whose section headers claim 65,535 entries of 65,535 bytes
   (a window of 4 GiB for a large declared size) is no ELF file the
   reader keeps bytes of: an entry is 64 bytes in ELF64, as the format
   fixes. */
Test(binpkg, cargo_window_refuses_odd_section_header_sizes)
{
	size_t n;
	uint8_t *p = slurp(DIR "hello-cargo-a", &n), h[64];
	uint64_t from, to;

	memcpy(h, p, sizeof(h));
	h[58] = h[59] = 0xff;	/* e_shentsize */
	h[60] = h[61] = 0xff;	/* e_shnum */
	h[62] = 1;		/* e_shstrndx */
	h[63] = 0;
	cr_assert_not(pkg_cargo_window(h, sizeof(h), (uint64_t)8 << 30, &from,
	    &to), "a window of %llu bytes", (unsigned long long)(to - from));
	free(p);
}

/* A zlib stream of n zero bytes, made with ISA-L (malloc'd). */
static uint8_t *
zeros_zlib(size_t n, size_t *out)
{
	struct isal_zstream z;
	uint8_t *in = calloc(n, 1), *o = malloc(n / 100 + 65536);

	isal_deflate_init(&z);
	z.gzip_flag = IGZIP_ZLIB;
	z.end_of_stream = 1;
	z.flush = NO_FLUSH;
	z.next_in = in;
	z.avail_in = (uint32_t)n;
	z.next_out = o;
	z.avail_out = (uint32_t)(n / 100 + 65536);
	cr_assert_eq(isal_deflate(&z), COMP_OK);
	cr_assert_eq(z.internal_state.state, ZSTATE_END);
	*out = z.total_out;
	free(in);
	return o;
}

static uint64_t
le64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void
put_le64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

/*
 * The ELF64 file p[0..n) with the bytes of its section at off (len
 * bytes) replaced by z[0..zn): the section headers and every later
 * section move along.  @return it (malloc'd), *out its length.
 */
static uint8_t *
replace_section(const uint8_t *p, size_t n, size_t off, size_t len,
    const uint8_t *z, size_t zn, size_t *out)
{
	uint8_t *big = malloc(n - len + zn), *h;
	uint64_t shoff = le64(p + 40), delta = zn - len, o;
	unsigned shnum = p[60] | p[61] << 8, i;

	memcpy(big, p, off);
	memcpy(big + off, z, zn);
	memcpy(big + off + zn, p + off + len, n - off - len);
	cr_assert_gt(shoff, off);
	put_le64(big + 40, shoff + delta);
	for (i = 0; i < shnum; i++) {
		h = big + shoff + delta + (size_t)i * 64;
		o = le64(h + 24);
		if (o == off)
			put_le64(h + 32, zn);
		else if (o > off)
			put_le64(h + 24, o + delta);
	}
	*out = n - len + zn;
	return big;
}

Test(binpkg, cargo_section_that_inflates_past_the_bound)
{
	size_t n, len, zn, bn, len2;
	uint8_t *p = slurp(DIR "hello-cargo-a", &n), *z = zeros_zlib(64u << 20, &zn);
	const uint8_t *sec;
	uint8_t *big;
	struct pkg_db *db;

	cr_assert(pkg_cargo_section(p, n, &sec, &len));
	big = replace_section(p, n, (size_t)(sec - p), len, z, zn, &bn);
	cr_assert(pkg_cargo_section(big, bn, &sec, &len2));
	cr_assert_eq(len2, zn);
	db = pkg_file_read("usr/bin/hello", big, bn);
	cr_assert_eq(pkg_db_count(db), 0);
	cr_assert(strstr(pkg_db_note(db, PKG_CARGO, 0), ".dep-v0 inflates to more "
	    "than 8 MiB") != NULL, "%s", pkg_db_note(db, PKG_CARGO, 0));
	pkg_db_free(db);
	free(big);
	free(z);
	free(p);
}

Test(binpkg, go_vercmp_as_x_mod_semver)
{
	vercmp_as_file(PKG_GO, DIR "versions-go.tsv", 1000);
}

/* cargo's semver: the same order, without Go's "v" */
Test(binpkg, cargo_vercmp_is_semver)
{
	cr_assert_lt(pkg_vercmp(PKG_CARGO, "1.0.188", "1.0.193"), 0);
	cr_assert_lt(pkg_vercmp(PKG_CARGO, "1.0.0-alpha.1", "1.0.0-alpha.beta"), 0);
	cr_assert_lt(pkg_vercmp(PKG_CARGO, "1.0.0-rc.1", "1.0.0"), 0);
	cr_assert_eq(pkg_vercmp(PKG_CARGO, "1.0.0+build.5", "1.0.0"), 0);
	cr_assert_gt(pkg_vercmp(PKG_CARGO, "0.10.0", "0.9.99"), 0);
}

Test(binpkg, maven_vercmp_as_comparable_version)
{
	vercmp_as_file(PKG_MAVEN, DIR "versions-maven.tsv", 1500);
}
