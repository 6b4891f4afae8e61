/*
 * test_causes.c - each prover: the cause holds when its fields are the only
 * difference, and does not when one more byte moves.
 */
#include <criterion/criterion.h>
#include <archive.h>
#include <archive_entry.h>
#include <isa-l/crc.h>

#include "diff/causes.h"
#include "util/util.h"
#include "tests/testutil.h"

static struct proof
prove(const char *path, const void *a, size_t na, const void *b, size_t nb)
{
	struct proof p;

	diff_cause_prove(path, a, na, b, nb, &p);
	return p;
}

/* The cause as reports show it (valid until the next call). */
static const char *
text(const struct proof *p)
{
	static char buf[DIFF_CAUSE_TEXT_MAX];

	return diff_cause_text(&p->cause, buf, sizeof(buf));
}

/* The prover `who` knew the format, and its cause holds. */
#define HOLDS(p, who, prefix) do { \
	struct proof p_ = (p); \
	cr_assert_eq(p_.cause.prover, who, "prover %d, not %d: %s", \
	    p_.cause.prover, who, text(&p_)); \
	cr_assert(p_.holds, "cause '%s' should hold", text(&p_)); \
	cr_assert_neq(p_.cause.id, DIFF_CAUSE_NONE); \
	cr_assert_eq(strncmp(text(&p_), prefix, strlen(prefix)), 0, "%s", \
	    text(&p_)); \
	free(p_.detail); } while (0)
/* The prover `who` knew the format, and no cause holds. */
#define FAILS(p, who) do { \
	struct proof p_ = (p); \
	cr_assert_eq(p_.cause.prover, who, "prover %d, not %d: %s", \
	    p_.cause.prover, who, text(&p_)); \
	cr_assert_not(p_.holds, "cause '%s' must not hold", text(&p_)); \
	cr_assert_eq(p_.cause.id, DIFF_CAUSE_NONE); \
	free(p_.detail); } while (0)

static void
pyc(uint8_t *b, uint32_t flags, uint32_t mtime, const char *code)
{
	memset(b, 0, 32);
	memcpy(b, "\xa7\x0d\x0d\x0a", 4);
	memcpy(b + 4, &flags, 4);
	memcpy(b + 8, &mtime, 4);
	b[12] = 42;
	memcpy(b + 16, code, 16);
}

Test(pyc, mtime_only_holds)
{
	uint8_t a[32], b[32];

	pyc(a, 0, 1700000000, "marshal-data-abc");
	pyc(b, 0, 1700086400, "marshal-data-abc");
	HOLDS(prove("x.pyc", a, 32, b, 32), DIFF_PROVER_PYC, "pyc-mtime (bytes 8-11)");
}

Test(pyc, marshal_change_is_not_a_timestamp)
{
	uint8_t a[32], b[32];

	pyc(a, 0, 1700000000, "marshal-data-abc");
	pyc(b, 0, 1700086400, "marshal-data-abd");
	FAILS(prove("x.pyc", a, 32, b, 32), DIFF_PROVER_PYC);
}

Test(pyc, the_hex_context_starts_past_the_explained_mtime)
{
	uint8_t a[32], b[32];
	struct proof p;
	char *s;

	pyc(a, 0, 1700000000, "marshal-data-abc");
	pyc(b, 0, 1700086400, "marshal-data-abd");
	p = prove("x.pyc", a, 32, b, 32);
	cr_assert_eq(p.from, 32, "byte 31 is the first the mtime does not explain");
	s = diff_cause_show(a, 32, b, 32, p.from - 1, 0);
	cr_assert(starts_with(s, "bytes 31-: [63\n      -> [64"), "%s", s);
	free(s);
	free(p.detail);
}

Test(pyc, hash_mode_means_the_source_changed)
{
	uint8_t a[32], b[32];
	struct proof p;

	pyc(a, 3, 1, "marshal-data-abc");
	pyc(b, 3, 2, "marshal-data-abc");
	p = prove("x.pyc", a, 32, b, 32);
	cr_assert(strstr(text(&p), "pyc-source-hash"), "%s", text(&p));
	FAILS(p, DIFF_PROVER_PYC);
}

Test(gzip, header_mtime_and_os)
{
	uint8_t data[] = "payload\n";
	struct tbuf in = { data, 8 }, a, b;
	struct proof p;

	tu_gzip(&a, &in);
	tu_gzip(&b, &in);
	b.p[4] = 0x99;		/* MTIME */
	b.p[9] = 255;		/* OS */
	p = prove("x.gz", a.p, a.n, b.p, b.n);
	cr_assert(strstr(text(&p), "MTIME bytes 4-7"), "%s", text(&p));
	cr_assert(strstr(text(&p), "OS byte 9"), "%s", text(&p));
	cr_assert_eq(p.cause.id, DIFF_CAUSE_GZIP_HEADER);
	HOLDS(p, DIFF_PROVER_GZIP, "gzip-header");
	tbuf_free(&a);
	tbuf_free(&b);
}

Test(gzip, payload_recursion_into_a_pyc)
{
	uint8_t x[32], y[32];
	struct tbuf ix = { x, 32 }, iy = { y, 32 }, a, b;

	pyc(x, 0, 1, "marshal-data-abc");
	pyc(y, 0, 2, "marshal-data-abc");
	tu_gzip(&a, &ix);
	tu_gzip(&b, &iy);
	HOLDS(prove("x.pyc.gz", a.p, a.n, b.p, b.n), DIFF_PROVER_GZIP, "gzip-payload: pyc-mtime");
	tbuf_free(&a);
	tbuf_free(&b);
}

Test(gzip, other_payload_fails)
{
	uint8_t d1[] = "payload-1", d2[] = "payload-2";
	struct tbuf x = { d1, 9 }, y = { d2, 9 };
	struct tbuf a, b;

	tu_gzip(&a, &x);
	tu_gzip(&b, &y);
	FAILS(prove("x.gz", a.p, a.n, b.p, b.n), DIFF_PROVER_GZIP);
	tbuf_free(&a);
	tbuf_free(&b);
}

static size_t
zip(uint8_t *p, uint16_t time, const char *data)
{
	size_t n = 0, dl = strlen(data), cd;

	memcpy(p, "PK\3\4", 4);
	memset(p + 4, 0, 26);
	memcpy(p + 10, &time, 2);
	p[18] = p[22] = (uint8_t)dl;
	p[26] = 1;
	p[30] = 'f';
	memcpy(p + 31, data, dl);
	n = 31 + dl;
	cd = n;
	memcpy(p + n, "PK\1\2", 4);
	memset(p + n + 4, 0, 42);
	memcpy(p + n + 12, &time, 2);
	p[n + 28] = 1;
	p[n + 46] = 'f';
	n += 47;
	memcpy(p + n, "PK\5\6", 4);
	memset(p + n + 4, 0, 18);
	p[n + 16] = (uint8_t)cd;
	return n + 22;
}

Test(zip, dos_times_hold_data_does_not)
{
	uint8_t a[256], b[256], c[256];
	size_t na = zip(a, 0x1234, "hello"), nb = zip(b, 0x4321, "hello");
	size_t nc = zip(c, 0x4321, "hellO");

	HOLDS(prove("a.jar", a, na, b, nb), DIFF_PROVER_ZIP, "zip-times");
	FAILS(prove("a.jar", a, na, c, nc), DIFF_PROVER_ZIP);
}

static size_t
ar(uint8_t *p, const char *mtime, const char *data)
{
	char hdr[96];

	memcpy(p, "!<arch>\n", 8);
	snprintf(hdr, sizeof(hdr), "%-16s%-12s%-6s%-6s%-8s%-10u`\n", "f.o/", mtime,
	    "0", "0", "644", (unsigned)strlen(data));
	memcpy(p + 8, hdr, 60);
	memcpy(p + 68, data, strlen(data));
	return 68 + strlen(data);
}

Test(ar, member_mtime)
{
	uint8_t a[128], b[128], c[128];
	size_t na = ar(a, "1700000000", "abcd"), nb = ar(b, "1700086400", "abcd");
	size_t nc = ar(c, "1700086400", "abce");

	HOLDS(prove("libx.a", a, na, b, nb), DIFF_PROVER_AR, "ar-member-header");
	FAILS(prove("libx.a", a, na, c, nc), DIFF_PROVER_AR);
}

static size_t
png(uint8_t *p, uint8_t sec, uint8_t pixel)
{
	static const uint8_t sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	size_t n = 8;
	const struct { const char *t; uint8_t d[7]; size_t len; } ch[] = {
		{ "tIME", { 7, 0xe7, 11, 14, 22, 13, sec }, 7 },
		{ "IDAT", { pixel }, 1 },
	};
	size_t i;
	uint32_t crc;

	memcpy(p, sig, 8);
	for (i = 0; i < 2; i++) {
		p[n] = p[n + 1] = p[n + 2] = 0;
		p[n + 3] = (uint8_t)ch[i].len;
		memcpy(p + n + 4, ch[i].t, 4);
		memcpy(p + n + 8, ch[i].d, ch[i].len);
		crc = crc32_gzip_refl(0, p + n + 4, 4 + ch[i].len);
		p[n + 8 + ch[i].len] = (uint8_t)(crc >> 24);
		p[n + 9 + ch[i].len] = (uint8_t)(crc >> 16);
		p[n + 10 + ch[i].len] = (uint8_t)(crc >> 8);
		p[n + 11 + ch[i].len] = (uint8_t)crc;
		n += 12 + ch[i].len;
	}
	return n;
}

Test(png, time_chunk)
{
	uint8_t a[64], b[64], c[64];
	size_t na = png(a, 20, 1), nb = png(b, 21, 1), nc = png(c, 21, 2);

	HOLDS(prove("i.png", a, na, b, nb), DIFF_PROVER_PNG, "png-time");
	FAILS(prove("i.png", a, na, c, nc), DIFF_PROVER_PNG);
}

Test(mo, creation_date)
{
	uint8_t a[96], b[96];
	static const char s1[] = "POT-Creation-Date: 2023-11-14 22:13+0000\nX: y\n";
	static const char s2[] = "POT-Creation-Date: 2023-11-15 22:13+0000\nX: y\n";

	memset(a, 0, sizeof(a));
	a[0] = 0xde; a[1] = 0x12; a[2] = 0x04; a[3] = 0x95;
	memcpy(b, a, sizeof(a));
	memcpy(a + 28, s1, sizeof(s1));
	memcpy(b + 28, s2, sizeof(s2));
	HOLDS(prove("x.mo", a, sizeof(a), b, sizeof(b)), DIFF_PROVER_MO, "mo-creation-date");
	b[90] = 'Z';
	FAILS(prove("x.mo", a, sizeof(a), b, sizeof(b)), DIFF_PROVER_MO);
}

static void
elf(uint8_t *p, uint8_t id, const char *dir, uint8_t code)
{
	static const uint8_t note[16] = { 4, 0, 0, 0, 20, 0, 0, 0, 3, 0, 0, 0,
	    'G', 'N', 'U', 0 };

	memset(p, 0, 160);
	memcpy(p, "\177ELF", 4);
	memcpy(p + 64, note, 16);
	memset(p + 80, id, 20);
	strcpy((char *)p + 110, dir);
	p[150] = code;
}

Test(elf, build_id_and_build_path)
{
	uint8_t a[160], b[160];

	elf(a, 1, "/src/build-aaaa", 7);
	elf(b, 2, "/src/build-aaaa", 7);
	HOLDS(prove("bin/x", a, 160, b, 160), DIFF_PROVER_ELF, "build-id");
	elf(b, 2, "/src/build-bbbb", 7);
	HOLDS(prove("bin/x", a, 160, b, 160), DIFF_PROVER_ELF, "build-path");
	elf(b, 2, "/src/build-bbbb", 8);
	FAILS(prove("bin/x", a, 160, b, 160), DIFF_PROVER_ELF);
}

Test(pe, timestamp_and_checksum)
{
	uint8_t a[256], b[256];

	memset(a, 0, sizeof(a));
	memcpy(a, "MZ", 2);
	a[0x3c] = 0x80;
	memcpy(a + 0x80, "PE\0\0", 4);
	memcpy(b, a, sizeof(a));
	b[0x88] = 9;		/* TimeDateStamp */
	b[0xd8] = 9;		/* CheckSum */
	HOLDS(prove("x.exe", a, sizeof(a), b, sizeof(b)), DIFF_PROVER_PE, "pe-timestamp");
	b[0xf0] = 1;
	FAILS(prove("x.exe", a, sizeof(a), b, sizeof(b)), DIFF_PROVER_PE);
}

Test(text, line_order_is_ordering)
{
	static const char a[] = "alpha\nbeta\ngamma\n", b[] = "gamma\nalpha\nbeta\n";
	struct proof p = prove("usr/share/list", a, strlen(a), b, strlen(b));

	cr_assert(p.ordering);
	HOLDS(p, DIFF_PROVER_LINES, "line-order");
}

/* A final newline added or dropped is a byte more or less: content. */
Test(text, final_newline_is_content)
{
	static const char a[] = "foo", b[] = "foo\n";
	static const char c[] = "alpha\nbeta", d[] = "beta\nalpha\n";
	struct proof p = prove("usr/share/list", a, strlen(a), b, strlen(b));

	cr_assert_not(p.ordering);
	cr_assert_not(p.holds, "cause '%s' must not hold", text(&p));
	free(p.detail);
	p = prove("usr/share/list", c, strlen(c), d, strlen(d));
	cr_assert_not(p.ordering);
	cr_assert_not(p.holds, "cause '%s' must not hold", text(&p));
	free(p.detail);
}

/* Without a final newline on either side, lines in another order still are. */
Test(text, line_order_without_final_newline)
{
	static const char a[] = "alpha\nbeta", b[] = "beta\nalpha";
	struct proof p = prove("usr/share/list", a, strlen(a), b, strlen(b));

	cr_assert(p.ordering);
	HOLDS(p, DIFF_PROVER_LINES, "line-order");
}

/* A build date written into a text file: only date and time tokens moved,
   an embedded timestamp with its own hint.  Any other change is content. */
Test(text, dates_only_is_an_embedded_timestamp)
{
	static const char a[] = "name=app\nbuilt=2026-11-30 11:07:06 UTC\nid=7\n",
	    b[] = "name=app\nbuilt=2026-11-30 11:09:01 UTC\nid=7\n",
	    c[] = "name=app\nbuilt=2026-11-30 11:09:01 UTC\nid=8\n";
	struct proof p = prove("etc/build-info", a, strlen(a), b, strlen(b));

	cr_assert_not(p.ordering);
	cr_assert_str_eq(diff_cause_hint(&p.cause), "write dates from "
	    "SOURCE_DATE_EPOCH (date -u -d @$SOURCE_DATE_EPOCH), not the build's "
	    "clock, or leave the build date out of the file");
	HOLDS(p, DIFF_PROVER_LINES, "text-dates (date/time tokens on 1 line)");
	p = prove("etc/build-info", a, strlen(a), c, strlen(c));
	cr_assert_not(p.holds, "cause '%s' must not hold", text(&p));
	free(p.detail);
}

Test(volatile, logs_must_prove_only_dates_moved)
{
	static const char a[] = "2023-11-14 22:13:20 install libssl3 3.0.11\n";
	static const char b[] = "2023-11-15 09:01:02 install libssl3 3.0.11\n";
	static const char c[] = "2023-11-15 09:01:02 install libssl3 3.0.13\n";
	struct proof p;

	HOLDS(prove("var/log/dpkg.log", a, strlen(a), b, strlen(b)),
	    DIFF_PROVER_VOLATILE, "known-volatile:log");
	p = prove("var/log/dpkg.log", a, strlen(a), c, strlen(c));
	cr_assert(strstr(text(&p), "more than date and time tokens"), "%s",
	    text(&p));
	/* Not a cause, but the volatile rule's hint still applies. */
	cr_assert_not_null(diff_cause_hint(&p.cause));
	FAILS(p, DIFF_PROVER_VOLATILE);
	HOLDS(prove("etc/machine-id", "a\n", 2, "b\n", 2), DIFF_PROVER_VOLATILE,
	    "known-volatile:machine-id");
	cr_assert_eq(diff_cause_volatile_rule("etc/hostname"), DIFF_NVOLATILE);
	cr_assert_str_eq(diff_volatile_name(diff_cause_volatile_rule(
	    "etc/ssh/ssh_host_ed25519_key")), "ssh-host-key");
	/* One rule, two paths: both machine-ids. */
	cr_assert_eq(diff_cause_volatile_rule("var/lib/dbus/machine-id"),
	    diff_cause_volatile_rule("etc/machine-id"));
}

/* The verdict line counts volatile files in plain words. */
Test(volatile, rules_in_words)
{
	size_t k = diff_cause_volatile_rule("var/cache/ldconfig/aux-cache");

	cr_assert_str_eq(diff_cause_volatile_words(k, 1), "ldconfig cache");
	k = diff_cause_volatile_rule("var/log/dpkg.log");
	cr_assert_str_eq(diff_cause_volatile_words(k, 1), "log");
	cr_assert_str_eq(diff_cause_volatile_words(k, 5), "logs");
	cr_assert_null(diff_cause_volatile_words(DIFF_NVOLATILE, 1));
	cr_assert_null(diff_volatile_name(DIFF_NVOLATILE));
}

/* docs/policy.md's table of the rules holds every rule, with its hint's
   words: the table and the code do not drift apart. */
Test(volatile, every_rule_is_documented)
{
	FILE *fp = fopen("docs/policy.md", "r");
	char doc[65536], row[96];
	size_t n, k;
	struct diff_cause c;

	cr_assert_not_null(fp, "docs/policy.md");
	n = fread(doc, 1, sizeof(doc) - 1, fp);
	fclose(fp);
	doc[n] = '\0';
	memset(&c, 0, sizeof(c));
	c.prover = DIFF_PROVER_VOLATILE;
	c.id = DIFF_CAUSE_KNOWN_VOLATILE;
	for (k = 0; k < DIFF_NVOLATILE; k++) {
		char *line, *end;

		snprintf(row, sizeof(row), "\n| `%s` |", diff_volatile_name(k));
		line = strstr(doc, row);
		cr_assert_not_null(line, "docs/policy.md has no row for %s",
		    diff_volatile_name(k));
		end = strchr(line + 1, '\n');
		cr_assert_not_null(end);
		*end = '\0';
		c.rule = (uint8_t)k;
		/* The hint's first words, before any shell command. */
		snprintf(row, sizeof(row), "%.12s", diff_cause_hint(&c));
		cr_assert_not_null(strstr(line, row), "%s: row lacks '%s'",
		    diff_volatile_name(k), row);
		*end = '\n';
	}
}

Test(show, unified_diff_and_hex_context)
{
	static const char a[] = "a\nb\nport = 8080\nc\n", b[] = "a\nb\nport = 8081\nc\n";
	static const uint8_t x[] = { 0, 1, 2, 3, 4 }, y[] = { 0, 1, 9, 3, 4 };
	char *s = diff_cause_show((const uint8_t *)a, strlen(a), (const uint8_t *)b,
	    strlen(b), 14, 8);

	cr_assert(strstr(s, "-port = 8080\n+port = 8081"), "%s", s);
	cr_assert(strstr(s, "@@ -1,3 +1,3 @@"), "%s", s);
	free(s);
	s = diff_cause_show(x, 5, y, 5, 2, 8);
	cr_assert(strstr(s, "[02") && strstr(s, "[09"), "%s", s);
	free(s);
}

Test(show, dates_only_is_one_line)
{
	static const char a[] = "Start-Date: 2026-11-30  11:07:06\nCommandline: apt-get install x\n"
	    "End-Date: 2026-11-30  11:07:09\nlog 2026-11-30 11:07:08.123 ok\n";
	static const char b[] = "Start-Date: 2026-11-30  11:09:01\nCommandline: apt-get install x\n"
	    "End-Date: 2026-11-30  11:09:04\nlog 2026-11-30 11:09:03.5 ok\n";
	static const char c[] = "built 2026-11-30T11:07:06Z\n", d[] = "built 2026-12-01T08:00:00Z\n";
	char *s = diff_cause_show((const uint8_t *)a, strlen(a), (const uint8_t *)b,
	    strlen(b), 18, 8);

	cr_assert_str_eq(s, "3 lines differ only in date/time tokens, e.g. "
	    "2026-11-30  11:07:06 -> 11:09:01");
	free(s);
	s = diff_cause_show((const uint8_t *)c, strlen(c), (const uint8_t *)d,
	    strlen(d), 10, 8);
	cr_assert_str_eq(s, "1 line differs only in date/time tokens, e.g. "
	    "2026-11-30T11:07:06 -> 2026-12-01T08:00:00");
	free(s);
}

Test(show, long_lines_and_hex_are_cut_with_a_mark)
{
	char a[400], b[400];
	uint8_t x[100], y[100];
	char *s, *nl;

	memset(a, 'x', sizeof(a));
	memcpy(b, a, sizeof(b));
	a[sizeof(a) - 1] = b[sizeof(b) - 1] = '\0';
	b[5] = 'y';
	s = diff_cause_show((const uint8_t *)a, strlen(a), (const uint8_t *)b,
	    strlen(b), 5, 8);
	nl = strchr(s, '\n');
	cr_assert(strstr(nl, "\xe2\x80\xa6 (+299 bytes)\n+"), "%s", s);
	cr_assert_eq(strchr(nl + 1, '\n') - nl - 1, 1 + 100 + 3 + 13, "%s", s);
	free(s);
	memset(x, 0, sizeof(x));
	memcpy(y, x, sizeof(y));
	y[50] = 1;
	s = diff_cause_show(x, sizeof(x), y, sizeof(y), 50, 8);
	cr_assert(starts_with(s, "bytes 42-: 00"), "%s", s);
	cr_assert(strstr(s, " [00") && strstr(s, " [01"), "%s", s);
	cr_assert(strstr(s, "00 \xe2\x80\xa6\n      ->"), "%s", s);
	free(s);
}

/* A long line that differs past the width is cut around where it differs
   (app/package.json showed the same text on both sides): both sides show
   the bytes that moved, an ellipsis at each cut, and which bytes these are. */
Test(show, long_line_cut_around_the_first_difference)
{
	char a[601], b[601], *s, *minus, *plus;
	size_t i;

	memset(a, 'x', 300);
	a[300] = '\0';
	memcpy(b, a, 301);
	memcpy(a + 200, "1.0.0", 5);
	memcpy(b + 200, "1.0.1", 5);
	s = diff_cause_show((const uint8_t *)a, 300, (const uint8_t *)b, 300,
	    204, 8);
	minus = strstr(s, "\n-");
	plus = strstr(s, "\n+");
	cr_assert(minus != NULL && plus != NULL, "%s", s);
	cr_assert(strncmp(minus + 2, "\xe2\x80\xa6", 3) == 0, "%s", s);
	cr_assert(strstr(minus, "1.0.0") != NULL && strstr(plus, "1.0.1") != NULL,
	    "%s", s);
	/* 32 bytes ahead of byte 204 (the '0' that became '1') */
	cr_assert(strstr(minus, "\xe2\x80\xa6 (bytes 172-271 of 300)\n+"), "%s", s);
	cr_assert(strstr(plus, "\xe2\x80\xa6 (bytes 172-271 of 300)"), "%s", s);
	free(s);
	/* At the tail: as much ahead as fits, no mark after the end. */
	memcpy(a + 200, b + 200, 5);
	a[298] = 'y';
	s = diff_cause_show((const uint8_t *)a, 300, (const uint8_t *)b, 300,
	    298, 8);
	cr_assert(strstr(s, "\n-\xe2\x80\xa6" "1.0.1xx") != NULL, "%s", s);
	cr_assert(strstr(s, "yx (bytes 200-299 of 300)\n+"), "%s", s);
	free(s);
	/* A cut never splits a UTF-8 sequence: euro signs, three bytes each;
	   byte 301 moved, so bytes 269 (in a sign: 267) to 366 (in one: 365). */
	for (i = 0; i < 600; i += 3)
		memcpy(a + i, "\xe2\x82\xac", 3);
	a[600] = '\0';
	memcpy(b, a, sizeof(b));
	b[301] = '\x83';
	s = diff_cause_show((const uint8_t *)a, 600, (const uint8_t *)b, 600,
	    300, 8);
	minus = strstr(s, "\n-");
	cr_assert(minus != NULL, "%s", s);
	cr_assert(strncmp(minus + 2, "\xe2\x80\xa6\xe2\x82\xac", 6) == 0, "%s", s);
	cr_assert(strstr(minus, "\xe2\x82\xac\xe2\x80\xa6 (bytes 267-365 of 600)"),
	    "%s", s);
	free(s);
}

Test(dpkg, status_names_the_changed_packages)
{
	static const char a[] = "Package: libssl3\nVersion: 3.0.11-1\n\nPackage: zlib1g\nVersion: 1\n";
	static const char b[] = "Package: libssl3\nVersion: 3.0.13-1\n\nPackage: zlib1g\nVersion: 1\n";
	struct proof p = prove("var/lib/dpkg/status", a, strlen(a), b, strlen(b));

	cr_assert_not(p.holds);
	cr_assert_eq(p.cause.prover, DIFF_PROVER_NONE);
	cr_assert_str_eq(text(&p), "");
	cr_assert_str_eq(p.detail, "-libssl3 3.0.11-1\n+libssl3 3.0.13-1\n");
	free(p.detail);
}

Test(tar, member_times_inside_a_tar)
{
	static const struct tu_ent x[] = { { .path = "a", .data = "1", .mtime = 5 } };
	static const struct tu_ent y[] = { { .path = "a", .data = "1", .mtime = 6 } };
	static const struct tu_ent z[] = { { .path = "a", .data = "2", .mtime = 6 } };
	struct tbuf a, b, c;

	tu_layer(&a, x, 1);
	tu_layer(&b, y, 1);
	tu_layer(&c, z, 1);
	HOLDS(prove("x.tar", a.p, a.n, b.p, b.n), DIFF_PROVER_TAR, "tar-times");
	FAILS(prove("x.tar", a.p, a.n, c.p, c.n), DIFF_PROVER_TAR);
	tbuf_free(&a);
	tbuf_free(&b);
	tbuf_free(&c);
}

Test(zstd, same_payload_and_a_payload_cause)
{
	uint8_t x[32], y[32];
	struct tbuf ix = { x, 32 }, iy = { y, 32 }, a, b, c;
	char label[DIFF_CAUSE_TEXT_MAX];
	struct proof p;

	pyc(x, 0, 1, "marshal-data-abc");
	pyc(y, 0, 2, "marshal-data-abc");
	tu_zstd(&a, &ix);
	tu_zstd(&b, &iy);
	p = prove("x.pyc.zst", a.p, a.n, b.p, b.n);
	cr_assert_eq(p.cause.id, DIFF_CAUSE_ZSTD_PAYLOAD);
	cr_assert_str_eq(diff_cause_label(&p.cause, label, sizeof(label)),
	    "zstd-payload");
	HOLDS(p, DIFF_PROVER_ZSTD, "zstd-payload: pyc-mtime (bytes 8-11)");
	/* The same payload in other frames: the compressor moved. */
	c.n = b.n + 12;
	c.p = malloc(c.n);
	memcpy(c.p, b.p, b.n);
	memcpy(c.p + b.n, "\x50\x2a\x4d\x18\x04\0\0\0TOC!", 12);
	HOLDS(prove("x.zst", b.p, b.n, c.p, c.n), DIFF_PROVER_ZSTD,
	    "zstd-compression (same payload, other zstd frames)");
	c.p[3] ^= 0xff;		/* no longer zstd at all */
	p = prove("x.zst", b.p, b.n, c.p, c.n);
	cr_assert_neq(p.cause.prover, DIFF_PROVER_ZSTD, "%s", text(&p));
	free(p.detail);
	tbuf_free(&a);
	tbuf_free(&b);
	tbuf_free(&c);
}

Test(zstd, window_over_the_limit_is_not_inflated)
{
	/* A frame whose window (2^28) is over the decoder limit. */
	static const uint8_t big[] = { 0x28, 0xb5, 0x2f, 0xfd, 0x00, 18 << 3,
	    0x01, 0x00, 0x00 };
	uint8_t d[] = "payload\n";
	struct tbuf in = { d, 8 }, a;
	struct proof p;

	tu_zstd(&a, &in);
	p = prove("x.zst", a.p, a.n, big, sizeof(big));
	cr_assert_str_eq(text(&p), "zstd payload differs (not inflated)");
	FAILS(p, DIFF_PROVER_ZSTD);
	tbuf_free(&a);
}

Test(none, an_unknown_binary_has_no_prover)
{
	static const uint8_t a[] = { 1, 2, 3, 0, 5 }, b[] = { 1, 2, 4, 0, 5 };

	FAILS(prove("blob.bin", a, sizeof(a), b, sizeof(b)), DIFF_PROVER_NONE);
}

Test(volatile, each_rule_its_own_hint)
{
	struct proof p = prove("var/lib/dbus/machine-id", "a\n", 2, "b\n", 2);

	cr_assert_str_eq(text(&p), "known-volatile:machine-id");
	cr_assert(strstr(diff_cause_hint(&p.cause), "/var/lib/dbus/machine-id"),
	    "%s", diff_cause_hint(&p.cause));
}

/* ---- inside archives ------------------------------------------------------ */

/* An archive (ARCHIVE_FORMAT_*, with filter ARCHIVE_FILTER_* or 0) of k
   members: name[i] holding len[i] bytes of data[i] (len NULL: strings);
   *n its length.  @return it (free it). */
static uint8_t *
archive_of(int format, int filter, const char *const *name,
    const void *const *data, const size_t *len, size_t k, size_t *n)
{
	struct archive *a = archive_write_new();
	struct archive_entry *e;
	size_t cap = 1 << 20, i, m;
	uint8_t *buf = malloc(cap);

	cr_assert_eq(archive_write_set_format(a, format), ARCHIVE_OK);
	if (filter != 0)
		cr_assert_eq(archive_write_add_filter(a, filter), ARCHIVE_OK);
	cr_assert_eq(archive_write_open_memory(a, buf, cap, n), ARCHIVE_OK);
	for (i = 0; i < k; i++) {
		m = len != NULL ? len[i] : strlen(data[i]);
		e = archive_entry_new();
		archive_entry_set_pathname(e, name[i]);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_mtime(e, 1700000000, 0);
		archive_entry_set_size(e, (la_int64_t)m);
		cr_assert_eq(archive_write_header(a, e), ARCHIVE_OK);
		cr_assert_eq(archive_write_data(a, data[i], m), (la_ssize_t)m);
		archive_entry_free(e);
	}
	cr_assert_eq(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	return buf;
}

Test(members, a_zip_lists_what_differs_added_and_removed)
{
	static const char *const na[] = { "a.txt", "b.class", "c", "empty" },
	    *const nb[] = { "a.txt", "c", "d", "empty" };
	static const void *const da[] = { "one\n", "BBBB", "same", "" },
	    *const db[] = { "two\n", "same", "new", "" };
	size_t la, lb;
	uint8_t *a = archive_of(ARCHIVE_FORMAT_ZIP, 0, na, da, NULL, 4, &la);
	uint8_t *b = archive_of(ARCHIVE_FORMAT_ZIP, 0, nb, db, NULL, 4, &lb);
	char *s = diff_members_show(a, la, b, lb);

	cr_assert_not_null(s);
	cr_assert(starts_with(s, "members that differ: 3 (of 4 in A, 4 in B)\n"),
	    "%s", s);
	cr_assert(strstr(s, "\n~ a.txt  4 -> 4 bytes  xxh3:"), "%s", s);
	cr_assert(strstr(s, "  first difference at byte 0"), "%s", s);
	cr_assert(strstr(s, "\n- b.class  4 bytes  xxh3:"), "%s", s);
	cr_assert(strstr(s, "  only in A\n+ d  3 bytes  xxh3:"), "%s", s);
	cr_assert(strstr(s, "only in B"), "%s", s);
	cr_assert_null(strstr(s, " c "), "%s", s);
	cr_assert_null(strstr(s, "empty"), "an empty member on both sides is the same");
	free(s);
	cr_assert_null(diff_members_show((const uint8_t *)"plain", 5,
	    (const uint8_t *)"other", 5), "not archives");
	free(a);
	free(b);
}

Test(members, nested_two_levels_with_each_members_cause)
{
	static const char *const in_n[] = { "x.txt" }, *const out_n[] = {
	    "lib/inner.zip", "m.pyc" };
	static const void *const ia[] = { "inner one\n" },
	    *const ib[] = { "inner two\n" };
	uint8_t pa[32], pb[32], *za, *zb, *a, *b;
	const void *da[2], *db[2];
	size_t lza, lzb, la, lb, lena[2], lenb[2];
	char *s;

	/* A pyc whose mtime alone moved: its own cause is proven. */
	pyc(pa, 0, 1700000000, "marshal-data-abc");
	pyc(pb, 0, 1700086400, "marshal-data-abc");
	za = archive_of(ARCHIVE_FORMAT_ZIP, 0, in_n, ia, NULL, 1, &lza);
	zb = archive_of(ARCHIVE_FORMAT_ZIP, 0, in_n, ib, NULL, 1, &lzb);
	da[0] = za;
	lena[0] = lza;
	db[0] = zb;
	lenb[0] = lzb;
	da[1] = pa;
	db[1] = pb;
	lena[1] = lenb[1] = 32;
	a = archive_of(ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, ARCHIVE_FILTER_GZIP,
	    out_n, da, lena, 2, &la);
	b = archive_of(ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, ARCHIVE_FILTER_GZIP,
	    out_n, db, lenb, 2, &lb);
	s = diff_members_show(a, la, b, lb);
	cr_assert_not_null(s);
	cr_assert(starts_with(s, "members that differ: 2 (of 2 in A, 2 in B)\n"
	    "~ lib/inner.zip  "), "%s", s);
	cr_assert(strstr(s, "\n  members that differ: 1 (of 1 in A, 1 in B)\n"
	    "  ~ x.txt  10 -> 10 bytes  xxh3:"), "%s", s);
	cr_assert(strstr(s, "\n~ m.pyc  32 -> 32 bytes  xxh3:"), "%s", s);
	cr_assert(strstr(s, "first difference at byte 8  cause: pyc-mtime (bytes 8-11)"),
	    "%s", s);
	free(s);
	free(a);
	free(b);
	free(za);
	free(zb);
}

/* A corpus file's bytes after prefix bytes of padding (malloc'd). */
static uint8_t *
corpus_file(const char *name, const char *prefix, size_t pad, size_t *n)
{
	char path[256];
	FILE *fp;
	uint8_t *p;
	long len;

	snprintf(path, sizeof(path), "corpus/compiled/%s", name);
	cr_assert_not_null(fp = fopen(path, "rb"), "%s", path);
	fseek(fp, 0, SEEK_END);
	len = ftell(fp);
	rewind(fp);
	p = calloc(pad + (size_t)len, 1);
	memcpy(p, prefix, strlen(prefix));
	cr_assert_eq(fread(p + pad, 1, (size_t)len, fp), (size_t)len);
	fclose(fp);
	*n = pad + (size_t)len;
	return p;
}

/* Go binaries (a stand-in ELF around real build information): which
   module moved, else the Go version, else nothing the information says. */
Test(causes, go_modules_moved_and_go_version)
{
	size_t na, nb;
	uint8_t *a = corpus_file("hello-uuid-1.3.0.buildinfo", "\177ELF", 100, &na);
	uint8_t *b = corpus_file("hello-uuid-1.6.0.buildinfo", "\177ELF", 100, &nb);
	uint8_t *v;
	struct proof p = prove("usr/bin/hello", a, na, b, nb);

	cr_assert_eq(p.cause.prover, DIFF_PROVER_MODULES);
	cr_assert_not(p.holds);
	cr_assert_str_eq(text(&p), "modules moved: github.com/google/uuid v1.3.0 "
	    "-> v1.6.0");
	cr_assert_str_eq(p.detail, "github.com/google/uuid v1.3.0 -> v1.6.0\n");
	free(p.detail);
	/* the same modules, another Go version (same length: go1.19.9) */
	cr_assert_not_null(v = memmem(b, nb, "go1.19.8", 8));
	free(b);
	b = malloc(na);
	memcpy(b, a, na);
	v = memmem(b, na, "go1.19.8", 8);
	cr_assert_not_null(v);
	v[7] = '9';
	p = prove("usr/bin/hello", a, na, b, na);
	FAILS(p, DIFF_PROVER_MODULES);
	cr_assert_str_eq(text(&p), "same modules; Go version go1.19.8 -> go1.19.9");
	/* the same build information, other code */
	memcpy(b, a, na);
	b[50] ^= 1;
	p = prove("usr/bin/hello", a, na, b, na);
	FAILS(p, DIFF_PROVER_MODULES);
	cr_assert_str_eq(text(&p), "same modules and settings: the code or the "
	    "build path differs");
	free(a);
	free(b);
}

/* Debian's commons-lang3 jars: the artifact that moved. */
Test(causes, jar_artifacts_moved)
{
	size_t na, nb;
	uint8_t *a = corpus_file("commons-lang3-3.12.0.jar", "", 0, &na);
	uint8_t *b = corpus_file("commons-lang3-3.17.0.jar", "", 0, &nb);
	struct proof p = prove("usr/share/java/commons-lang3.jar", a, na, b, nb);

	cr_assert_eq(p.cause.prover, DIFF_PROVER_MODULES);
	cr_assert_not(p.holds);
	cr_assert_str_eq(text(&p), "artifacts moved: org.apache.commons:"
	    "commons-lang3 3.12.0 -> 3.17.0");
	free(p.detail);
	free(a);
	free(b);
}
