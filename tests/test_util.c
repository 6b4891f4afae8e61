/*
 * test_util.c - the shared helpers: escaping, hex, JSON strings, prefixes,
 * byte order, two jobs at once, the string arena, and the AVX2 build of
 * XXH3-128, which must give libxxhash's results bit for bit.
 */
#include <criterion/criterion.h>
#include <unistd.h>
#include <xxhash.h>

#include "util/arena.h"
#include "util/err.h"
#include "util/json.h"
#include "util/sbuf.h"
#include "util/util.h"
#include "util/xxh_avx2.h"

Test(xxh, avx2_build_equals_the_library)
{
	uint8_t *buf = malloc(1 << 20), want[16], got[16];
	size_t lens[] = { 0, 1, 3, 16, 17, 128, 129, 240, 241, 1000, 65536,
	    (1 << 20) - 7 };
	size_t i, j, off;
	void *st;

	if (!util_xxh_avx2_usable())
		cr_skip_test("no AVX2 on this CPU");
	for (i = 0; i < (1u << 20); i++)
		buf[i] = (uint8_t)(i * 2654435761u >> 13);
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		XXH128_canonicalFromHash((XXH128_canonical_t *)want,
		    XXH3_128bits(buf, lens[i]));
		st = util_xxh_avx2_new();
		util_xxh_avx2_reset(st);
		/* Fed in uneven pieces, as blocks arrive from a layer. */
		for (off = 0, j = 1; off < lens[i]; off += j, j = j * 3 + 1)
			util_xxh_avx2_update(st, buf + off, lens[i] - off < j ? lens[i] - off : j);
		util_xxh_avx2_digest(st, got);
		util_xxh_avx2_free(st);
		cr_assert_eq(memcmp(want, got, 16), 0, "length %zu", lens[i]);
	}
	free(buf);
}

Test(escape, controls_invalid_utf8_and_bidi)
{
	struct sbuf sb = SBUF_INIT;
	static const char in[] = "a\\b\n\x1b[1m\xff\xe2\x80\xae\xc3\xa9";

	sbuf_add_escaped(&sb, in, sizeof(in) - 1);
	cr_assert_str_eq(sbuf_str(&sb), "a\\\\b\\n\\x1b[1m\\xff\\u{202e}\xc3\xa9");
	sbuf_release(&sb);
	sbuf_add_escaped_md(&sb, "<a|b>", 5);
	cr_assert_str_eq(sbuf_str(&sb), "&lt;a&#124;b&gt;");
	sbuf_release(&sb);
}

Test(escape, invisible_characters_in_every_variant)
{
	/* U+2028, U+2029, U+200B, U+200F, U+2060, U+2064, U+FEFF; U+00E9 and
	   U+2065 (unassigned, not in the list) stay as they are. */
	static const char in[] = "a\xe2\x80\xa8" "b\xe2\x80\xa9\xe2\x80\x8b"
	    "\xe2\x80\x8f\xe2\x81\xa0\xe2\x81\xa4\xef\xbb\xbf\xc3\xa9\xe2\x81\xa5";
	static const char want[] = "a\\u{2028}b\\u{2029}\\u{200b}\\u{200f}"
	    "\\u{2060}\\u{2064}\\u{feff}\xc3\xa9\xe2\x81\xa5";
	struct sbuf sb = SBUF_INIT;

	sbuf_add_escaped(&sb, in, sizeof(in) - 1);
	cr_assert_str_eq(sbuf_str(&sb), want);
	sbuf_reset(&sb);
	sbuf_add_escaped_md(&sb, in, sizeof(in) - 1);
	cr_assert_str_eq(sbuf_str(&sb), want);
	sbuf_reset(&sb);
	sbuf_add_escaped_xml(&sb, in, sizeof(in) - 1);
	cr_assert_str_eq(sbuf_str(&sb), want);
	sbuf_release(&sb);
}

Test(hex, round_trip_and_rejects)
{
	uint8_t b[2];
	char h[5];

	util_hex_encode(h, (const uint8_t *)"\x01\xab", 2);
	cr_assert_str_eq(h, "01ab");
	cr_assert_eq(util_hex_decode(b, "01ab", 2), 0);
	cr_assert_eq(b[1], 0xab);
	cr_assert_eq(util_hex_decode(b, "01AB", 2), -1, "uppercase is not a digest");
	cr_assert_eq(util_hex_decode(b, "01abc", 2), -1);
}

Test(json, strings_escaped_digests_spelled)
{
	uint8_t d[32] = { 0xab };
	json_t *j;

	j = util_json_str("a\x1b\xff\xe2\x80\xae");
	cr_assert_str_eq(json_string_value(j), "a\\x1b\\xff\\u{202e}");
	json_decref(j);
	cr_assert(json_is_null(util_json_str(NULL)));
	cr_assert(json_is_null(util_json_digest_or_null(false, d)));
	j = util_json_digest_or_null(true, d);
	cr_assert_eq(strncmp(json_string_value(j), "sha256:ab00", 11), 0);
	cr_assert_eq(strlen(json_string_value(j)), 71);
	json_decref(j);
}

Test(json, text_is_exact_but_for_invalid_utf8)
{
	static const char in[] = "a\nb\\c\"d\te\x01" "f\xff\xe2\x80\xae\xc3\xa9";
	json_t *j;
	char *s;

	j = util_json_text(in);
	cr_assert_str_eq(json_string_value(j),
	    "a\nb\\c\"d\te\x01" "f\\xff\xe2\x80\xae\xc3\xa9");
	s = util_json_dumps(j, JSON_ENCODE_ANY);
	/* JSON's own escapes; the bidi control as one too, never raw. */
	cr_assert_str_eq(s, "\"a\\nb\\\\c\\\"d\\te\\u0001f\\\\xff\\u202e\xc3\xa9\"");
	free(s);
	json_decref(j);
	cr_assert(json_is_null(util_json_text(NULL)));
}

Test(escape, json_text_is_escaped_once)
{
	/* A config value as JSON text: its backslashes are JSON's. */
	static const char in[] = "\"a\\n\\\\\\u0001\xc2\x85\"";
	struct sbuf sb = SBUF_INIT;

	sbuf_add_escaped_for(&sb, in, sizeof(in) - 1, SBUF_ESC_JSON_TEXT);
	cr_assert_str_eq(sbuf_str(&sb), "\"a\\n\\\\\\u0001\\x85\"");
	sbuf_reset(&sb);
	sbuf_add_escaped_for(&sb, in, sizeof(in) - 1, SBUF_ESC_TERMINAL);
	cr_assert_str_eq(sbuf_str(&sb), "\"a\\\\n\\\\\\\\\\\\u0001\\x85\"");
	sbuf_reset(&sb);
	sbuf_add_escaped_for(&sb, in, sizeof(in) - 1,
	    SBUF_ESC_XML | SBUF_ESC_JSON_TEXT);
	cr_assert_str_eq(sbuf_str(&sb), "&quot;a\\n\\\\\\u0001\\x85&quot;");
	sbuf_release(&sb);
}

Test(escape, html_makes_text_of_markup)
{
	/* A file name that would be an element, with a quote, a control
	   byte and a byte that is not UTF-8. */
	static const char in[] = "<img src=x onerror='alert(1)'>&\"\x01\xff.txt";
	struct sbuf sb = SBUF_INIT;

	sbuf_add_escaped_for(&sb, in, sizeof(in) - 1, SBUF_ESC_HTML);
	cr_assert_str_eq(sbuf_str(&sb), "&lt;img src=x onerror=&#39;alert(1)"
	    "&#39;&gt;&amp;&quot;\\x01\\xff.txt");
	sbuf_release(&sb);
}

Test(str, skip_prefix_and_xstrfmt)
{
	const char *rest = "unchanged";
	char *s;

	cr_assert(skip_prefix("sha256:abc", "sha256:", &rest));
	cr_assert_str_eq(rest, "abc");
	cr_assert(!skip_prefix("sha25", "sha256:", &rest));
	cr_assert_str_eq(rest, "abc", "left alone when the prefix is missing");
	cr_assert(skip_prefix("x", "", &rest));
	cr_assert_str_eq(rest, "x");
	s = xstrfmt("%s/%d", "layer", 12);
	cr_assert_str_eq(s, "layer/12");
	free(s);
}

Test(arena, strings_keep_their_bytes_until_released)
{
	struct arena a = ARENA_INIT;
	static char big[40000];
	char *s[3000], *l1, *l2 = NULL, *after;
	char want[32];
	size_t i;

	memset(big, 'x', sizeof(big));
	l1 = arena_strndup(&a, big, sizeof(big));	/* a chunk of its own */
	for (i = 0; i < 3000; i++) {
		snprintf(want, sizeof(want), "app/node_modules/p%zu/", i);
		s[i] = arena_strndup(&a, want, strlen(want) - 1);	/* cut */
		if (i == 1500)
			l2 = arena_strndup(&a, big, sizeof(big) - 1);
	}
	after = arena_strndup(&a, "", 0);
	cr_assert_eq(strlen(l1), sizeof(big));
	cr_assert_eq(strlen(l2), sizeof(big) - 1);
	for (i = 0; i < 3000; i++) {
		snprintf(want, sizeof(want), "app/node_modules/p%zu", i);
		cr_assert_str_eq(s[i], want, "string %zu", i);
	}
	cr_assert_str_eq(after, "");
	cr_assert(after != s[2999], "every string has its own bytes");
	arena_release(&a);
	cr_assert_null(a.head);
	cr_assert_str_eq(arena_strndup(&a, "again", 3), "aga");
	arena_release(&a);
}

Test(bytes, little_and_big_endian)
{
	static const uint8_t p[] = { 0x01, 0x02, 0x03, 0x04 };

	cr_assert_eq(get_le16(p), 0x0201);
	cr_assert_eq(get_le32(p), 0x04030201u);
	cr_assert_eq(get_be32(p), 0x01020304u);
}

static void *
set_flag(void *arg)
{
	*(int *)arg = 1;
	return NULL;
}

Test(thread, run_both_runs_both)
{
	int a = 0, b = 0;

	util_run_both(set_flag, &a, &b);
	cr_assert_eq(a, 1);
	cr_assert_eq(b, 1);
}

struct counted {
	int runs[100];
	size_t stop_at;		/* the job that returns false */
};

static bool
count_job(void *ctx, size_t i)
{
	struct counted *c = ctx;

	c->runs[i]++;
	return i != c->stop_at;
}

Test(thread, run_jobs_runs_each_job_once)
{
	struct counted c = { { 0 }, 1000 };
	size_t i;

	cr_assert_eq(util_run_jobs(4, 100, count_job, &c), 100);
	for (i = 0; i < 100; i++)
		cr_assert_eq(c.runs[i], 1, "job %zu ran %d times", i, c.runs[i]);
	cr_assert_geq(util_ncpus(), 1);
}

Test(thread, run_jobs_stops_taking_jobs_after_a_failure)
{
	struct counted c = { { 0 }, 0 };
	size_t i, ran = 0, n;

	/* One thread: jobs are taken in order, so none after the first. */
	cr_assert_eq(util_run_jobs(1, 100, count_job, &c), 1);
	cr_assert_eq(c.runs[0], 1);
	/* Four: the failing job stops the others taking more. */
	memset(&c, 0, sizeof(c));
	c.stop_at = 3;
	n = util_run_jobs(4, 100, count_job, &c);
	for (i = 0; i < 100; i++)
		ran += (size_t)c.runs[i];
	cr_assert_eq(ran, n);
	cr_assert_lt(n, 100);
	cr_assert_eq(c.runs[3], 1);
}

Test(size, parsed_with_a_unit_and_written_in_the_largest_whole_one)
{
	char buf[32];
	uint64_t v;

	cr_assert_eq(util_parse_size("4M", &v), 0);
	cr_assert_eq(v, 4u << 20);
	cr_assert_eq(util_parse_size("1000", &v), 0);
	cr_assert_eq(v, 1000);
	cr_assert_eq(util_parse_size("0", &v), -1);
	cr_assert_eq(util_parse_size("4MB", &v), -1);
	cr_assert_eq(util_parse_size("-1", &v), -1);
	cr_assert_eq(util_parse_size("99999999999999999999", &v), -1);
	cr_assert_str_eq(util_size_str(buf, sizeof(buf), 4u << 20), "4 MiB");
	cr_assert_str_eq(util_size_str(buf, sizeof(buf), 256u << 20), "256 MiB");
	cr_assert_str_eq(util_size_str(buf, sizeof(buf), 1536), "1536 bytes");
	cr_assert_str_eq(util_size_str(buf, sizeof(buf), 1u << 30), "1 GiB");
}

/* The text of path, or "" when it does not exist (static buffer). */
static const char *
slurp(const char *path)
{
	static char buf[64];
	FILE *fp = fopen(path, "r");
	size_t n = 0;

	if (fp != NULL) {
		n = fread(buf, 1, sizeof(buf) - 1, fp);
		fclose(fp);
	}
	buf[n] = '\0';
	return buf;
}

/* @return how many entries dir holds besides . and .. */
static int
entries(const char *dir)
{
	char cmd[256];
	FILE *p;
	int n = -1;

	snprintf(cmd, sizeof(cmd), "ls -A '%s' | wc -l", dir);
	p = popen(cmd, "r");
	cr_assert_not_null(p);
	cr_assert_eq(fscanf(p, "%d", &n), 1);
	pclose(p);
	return n;
}

/* An output file appears whole or not at all: a failed run leaves the
   old file, or none, and no temporary. */
Test(outfile, whole_or_not_at_all)
{
	char dir[] = "/tmp/test_util.XXXXXX", path[64];
	struct util_outfile f;
	struct err e = { 0, "" };
	FILE *fp;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/out", dir);
	cr_assert_eq(util_outfile_open(&f, path, &e), 0, "%s", e.msg);
	fputs("half", f.fp);
	cr_assert_eq(util_outfile_close(&f, false, &e), 0);
	cr_assert_eq(entries(dir), 0);
	fp = fopen(path, "w");
	fputs("old", fp);
	fclose(fp);
	cr_assert_eq(util_outfile_open(&f, path, &e), 0, "%s", e.msg);
	fputs("new", f.fp);
	cr_assert_str_eq(slurp(path), "old");	/* not yet */
	cr_assert_eq(util_outfile_close(&f, false, &e), 0);
	cr_assert_str_eq(slurp(path), "old");
	cr_assert_eq(entries(dir), 1);
	cr_assert_eq(util_outfile_open(&f, path, &e), 0, "%s", e.msg);
	fputs("new", f.fp);
	cr_assert_eq(util_outfile_close(&f, true, &e), 0, "%s", e.msg);
	cr_assert_eq(util_outfile_close(&f, true, &e), 0);	/* twice: nothing */
	cr_assert_str_eq(slurp(path), "new");
	cr_assert_eq(entries(dir), 1);
	/* a directory that is not there: ERR_IO naming the file */
	snprintf(path, sizeof(path), "%s/no/out", dir);
	cr_assert_eq(util_outfile_open(&f, path, &e), ERR_IO);
	cr_assert(strstr(e.msg, path) != NULL, "%s", e.msg);
	cr_assert_null(f.fp);
	snprintf(path, sizeof(path), "%s/out", dir);
	unlink(path);
	rmdir(dir);
	/* standard output for "-" and NULL, never closed */
	cr_assert_eq(util_outfile_open(&f, "-", &e), 0);
	cr_assert_eq(f.fp, stdout);
	cr_assert_null(f.tmp);
	cr_assert_eq(util_outfile_close(&f, true, &e), 0);
}
