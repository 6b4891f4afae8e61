/*
 * test_pkg_digest.c - a file's bytes against the digest its package
 * database recorded (pkg/digest.c), each encoding against the value the
 * ecosystem's own tool gives for the same bytes:
 *
 *   dpkg   md5sum (as dpkg-deb writes DEBIAN/md5sums)
 *   rpm    rpm -qp --dump of a package rpmbuild 4.18 made holding the file,
 *          with the default FILEDIGESTALGO (8, SHA-256) and with
 *          _binary_filedigest_algorithm 1 (MD5)
 *   apk    apk-tools is not packaged for Debian: "Q1" + base64 of the
 *          SHA-1, computed by python3 (hashlib, base64.b64encode), as
 *          apk-tools' apk_blob_push_csum() writes it
 *   pypi   python3: base64.urlsafe_b64encode(hashlib.sha256(b).digest())
 *          without its "=", as pip and installer write RECORD
 */
#include <criterion/criterion.h>
#include <string.h>

#include "pkg/pkg.h"
#include "util/err.h"

/* The file every value below is of: 17 bytes. */
static const char hello[] = "greeting = hello\n";
#define HELLO	(const uint8_t *)hello, sizeof(hello) - 1

static int
check(enum pkg_eco eco, const char *recorded, const uint8_t *p, size_t n,
    struct pkg_check *c)
{
	struct err e = { 0, "" };

	return pkg_digest_check(eco, recorded, p, n, c, &e);
}

Test(pkg_digest, dpkg_md5_as_md5sum)
{
	struct pkg_check c;

	cr_assert_eq(check(PKG_DPKG, "md5:cdbca9f3f91e698591230cd6c300e82f",
	    HELLO, &c), 0);
	cr_assert(c.match);
	cr_assert_str_eq(c.algo, "md5");
	cr_assert_str_eq(c.file, "cdbca9f3f91e698591230cd6c300e82f");
	/* one byte more: another md5, said as md5sum writes it */
	cr_assert_eq(check(PKG_DPKG, "md5:cdbca9f3f91e698591230cd6c300e82f",
	    (const uint8_t *)"greeting = hello!\n", 18, &c), 0);
	cr_assert_not(c.match);
	cr_assert_str_eq(c.recorded, "cdbca9f3f91e698591230cd6c300e82f");
	cr_assert_str_neq(c.file, c.recorded);
	cr_assert_eq(c.recorded_size, -1);
}

Test(pkg_digest, rpm_digests_as_rpm_dump)
{
	struct pkg_check c;

	cr_assert_eq(check(PKG_RPM, "sha256:6783839fe54f0040d9ee89d265c686aa"
	    "7386261605d89dfbb4be261d5a956f38", HELLO, &c), 0);
	cr_assert(c.match);
	cr_assert_str_eq(c.algo, "sha256");
	cr_assert_eq(check(PKG_RPM, "md5:cdbca9f3f91e698591230cd6c300e82f",
	    HELLO, &c), 0);
	cr_assert(c.match);
	cr_assert_str_eq(c.recorded, "cdbca9f3f91e698591230cd6c300e82f");
}

Test(pkg_digest, apk_q1_base64_sha1)
{
	struct pkg_check c;

	cr_assert_eq(check(PKG_APK, "apk:Q1bPDBMHVuYbRi+qpoOVtwVaXm7IY=", HELLO,
	    &c), 0);
	cr_assert(c.match);
	cr_assert_str_eq(c.algo, "sha1");
	cr_assert_str_eq(c.file, "Q1bPDBMHVuYbRi+qpoOVtwVaXm7IY=");
	/* apk-tools before Q1: hex of an MD5 */
	cr_assert_eq(check(PKG_APK, "apk:cdbca9f3f91e698591230cd6c300e82f",
	    HELLO, &c), 0);
	cr_assert(c.match);
	cr_assert_str_eq(c.algo, "md5");
	cr_assert_eq(check(PKG_APK, "apk:Q1bPDBMHVuYbRi+qpoOVtwVaXm7IY=",
	    (const uint8_t *)"", 0, &c), 0);
	cr_assert_not(c.match);
	cr_assert_str_eq(c.file, "Q12jmj7l5rSw0yVb/vlWAYkK/YBwk=");
}

Test(pkg_digest, record_urlsafe_base64_and_size)
{
	struct pkg_check c;

	cr_assert_eq(check(PKG_PYPI, "sha256:Z4ODn-VPAEDZ7onSZcaGqnOGJhYF2J37t"
	    "L4mHVqVbzg,17", HELLO, &c), 0);
	cr_assert(c.match);
	cr_assert_eq(c.recorded_size, 17);
	cr_assert_eq(c.size, 17);
	cr_assert_str_eq(c.file, "Z4ODn-VPAEDZ7onSZcaGqnOGJhYF2J37tL4mHVqVbzg");
	/* the digest agrees, the size RECORD gives does not */
	cr_assert_eq(check(PKG_PYPI, "sha256:Z4ODn-VPAEDZ7onSZcaGqnOGJhYF2J37t"
	    "L4mHVqVbzg,18", HELLO, &c), 0);
	cr_assert_not(c.match);
	/* no size (RECORD leaves it empty for some files), padding kept */
	cr_assert_eq(check(PKG_PYPI, "sha256:Z4ODn-VPAEDZ7onSZcaGqnOGJhYF2J37t"
	    "L4mHVqVbzg=", HELLO, &c), 0);
	cr_assert(c.match);
	cr_assert_eq(c.recorded_size, -1);
	/* an empty file: python3's value */
	cr_assert_eq(check(PKG_PYPI, "sha256:47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJ"
	    "WZG3hSuFU,0", (const uint8_t *)"", 0, &c), 0);
	cr_assert(c.match);
}

Test(pkg_digest, records_that_cannot_be_checked)
{
	struct pkg_check c;
	struct err e = { 0, "" };

	/* rpm's FILEDIGESTALGO that imgdrift does not know */
	cr_assert_eq(pkg_digest_check(PKG_RPM, "rpm:00ff", HELLO, &c, &e),
	    ERR_UNSUPPORTED);
	cr_assert(strstr(e.msg, "algorithm") != NULL, "%s", e.msg);
	err_clear(&e);
	/* hex of the wrong length, not hex, base64 of another alphabet */
	cr_assert_eq(check(PKG_DPKG, "md5:cdbca9f3", HELLO, &c), ERR_FORMAT);
	cr_assert_eq(check(PKG_DPKG, "md5:zdbca9f3f91e698591230cd6c300e82f",
	    HELLO, &c), ERR_FORMAT);
	cr_assert_eq(check(PKG_PYPI, "sha256:Z4ODn+VPAEDZ7onSZcaGqnOGJhYF2J37t"
	    "L4mHVqVbzg", HELLO, &c), ERR_FORMAT);
	cr_assert_eq(check(PKG_PYPI, "sha256:Z4ODn-VPAEDZ7onSZcaGqnOGJhYF2J37t"
	    "L4mHVqVbzg,1x", HELLO, &c), ERR_FORMAT);
	cr_assert_eq(check(PKG_APK, "apk:Q2bPDBMHVuYbRi+qpoOVtwVaXm7IY=", HELLO,
	    &c), ERR_UNSUPPORTED);
	cr_assert_eq(check(PKG_APK, "apk:Q1bPDBMHVuYbRi+qpoOVtwVaXm7I", HELLO,
	    &c), ERR_FORMAT);
	cr_assert_eq(check(PKG_DPKG, "nocolon", HELLO, &c), ERR_FORMAT);
	/* a digest of the right length whose last character carries bits
	   past the last byte is not canonical base64 */
	cr_assert_eq(check(PKG_APK, "apk:Q1bPDBMHVuYbRi+qpoOVtwVaXm7IZ=", HELLO,
	    &c), ERR_FORMAT);
}
