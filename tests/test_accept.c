/*
 * test_accept.c - accepted drift (diff/accept.c): accept files and the
 * policy key, every kind of bad entry, and what an entry covers.
 */
#include <criterion/criterion.h>

#include "diff/diff.h"
#include "tests/testutil.h"

static char path[256];

static void
write_file(const char *tag, const char *json)
{
	FILE *fp = fopen(tu_tmp(path, sizeof(path), tag), "w");

	fputs(json, fp);
	fclose(fp);
}

static int
load(const char *json, struct diff_accepts *a, struct err *e)
{
	write_file("accept.json", json);
	err_clear(e);
	return diff_accept_load(path, a, e);
}

Test(accept, every_key)
{
	struct diff_accepts a = { NULL, 0, 0 };
	struct err e;

	cr_assert_eq(load("{\"accept\": [{\"path\": \"/var/log/**\", \"class\": "
	    "\"timestamp\", \"cause\": \"known-volatile\", \"reason\": \"logs\"}, "
	    "{\"class\": \"metadata\", \"reason\": \"labels\"}]}", &a, &e), 0,
	    "%s", e.msg);
	cr_assert_eq(a.n, 2);
	cr_assert_str_eq(a.v[0].path, "/var/log/**");
	cr_assert_str_eq(a.v[0].glob, "var/log/**");
	cr_assert(a.v[0].has_class);
	cr_assert_eq(a.v[0].cls, DIFF_TIMESTAMP);
	cr_assert_str_eq(a.v[0].cause, "known-volatile");
	cr_assert_str_eq(a.v[0].reason, "logs");
	cr_assert_null(a.v[1].path);
	cr_assert_null(a.v[1].cause);
	cr_assert_eq(a.v[1].cls, DIFF_METADATA);
	/* A second file adds to the list. */
	cr_assert_eq(load("{\"accept\": [{\"path\": \"tmp\", \"reason\": \"r\"}]}",
	    &a, &e), 0, "%s", e.msg);
	cr_assert_eq(a.n, 3);
	cr_assert_not(a.v[2].has_class);
	diff_accepts_release(&a);
	cr_assert_eq(a.n, 0);
	unlink(path);
}

/* An empty list is no entry, and no copy from a NULL list (scan-build:
   memcpy's source is declared nonnull, even for 0 bytes). */
Test(accept, empty_list)
{
	struct diff_accepts a = { NULL, 0, 0 };
	struct err e;

	cr_assert_eq(load("{\"accept\": []}", &a, &e), 0, "%s", e.msg);
	cr_assert_eq(a.n, 0);
	cr_assert_eq(load("{\"accept\": [{\"path\": \"tmp\", \"reason\": "
	    "\"r\"}]}", &a, &e), 0, "%s", e.msg);
	cr_assert_eq(load("{\"accept\": []}", &a, &e), 0, "%s", e.msg);
	cr_assert_eq(a.n, 1);
	diff_accepts_release(&a);
	unlink(path);
}

Test(accept, bad_files_are_errors)
{
	static const struct {
		const char *json, *needle;
	} bad[] = {
		{ "nope", "line 1" },
		{ "[]", "not a JSON object" },
		{ "{}", "no \"accept\" list" },
		{ "{\"accept\": {}}", "must be a list" },
		{ "{\"accept\": [], \"ignore\": []}", "unknown key \"ignore\"" },
		{ "{\"accept\": [\"tmp\"]}", "entry 1: not an object" },
		{ "{\"accept\": [{\"path\": \"x\", \"class\": \"content\"}]}",
		    "entry 1: \"reason\" is missing" },
		{ "{\"accept\": [{\"path\": \"x\", \"reason\": \"\"}]}",
		    "\"reason\" must be a non-empty string" },
		{ "{\"accept\": [{\"path\": \"x\", \"reason\": \"r\"}, "
		    "{\"path\": \"x\", \"class\": \"mtime\", \"reason\": \"r\"}]}",
		    "entry 2: unknown class 'mtime'" },
		{ "{\"accept\": [{\"path\": \"x\", \"reason\": \"r\", \"why\": 1}]}",
		    "unknown key \"why\"" },
		{ "{\"accept\": [{\"reason\": \"r\"}]}", "give a \"path\" or a \"class\"" },
		{ "{\"accept\": [{\"path\": \"./\", \"reason\": \"r\"}]}",
		    "names the root" },
		{ "{\"accept\": [{\"path\": 3, \"reason\": \"r\"}]}",
		    "\"path\" must be" },
		{ "{\"accept\": [{\"path\": \"x\", \"cause\": null, \"reason\": \"r\"}]}",
		    "\"cause\" must be" },
	};
	struct diff_accepts a = { NULL, 0, 0 };
	struct err e;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert_eq(load(bad[i].json, &a, &e), ERR_USAGE, "%s", bad[i].json);
		cr_assert(strstr(e.msg, bad[i].needle), "%s: %s", bad[i].json, e.msg);
		cr_assert(strstr(e.msg, "accept.json"), "%s", e.msg);
		cr_assert_eq(a.n, 0, "%s", bad[i].json);
	}
	err_clear(&e);
	cr_assert_eq(diff_accept_load("build/tmp/no-such-accept.json", &a, &e),
	    ERR_IO);
	unlink(path);
}

Test(accept, policy_key)
{
	struct diff_policy p;
	struct err e = { 0, "" };

	write_file("policy.json", "{\"require\": \"dependency-equivalent\", "
	    "\"accept\": [{\"path\": \"app/BUILD_DATE\", \"class\": \"content\", "
	    "\"reason\": \"stamped at build\"}]}");
	cr_assert_eq(diff_policy_load(path, &p, &e), 0, "%s", e.msg);
	cr_assert_eq(p.accept.n, 1);
	cr_assert_str_eq(p.accept.v[0].reason, "stamped at build");
	diff_policy_release(&p);
	write_file("policy.json", "{\"accept\": [{\"path\": \"x\"}]}");
	err_clear(&e);
	cr_assert_eq(diff_policy_load(path, &p, &e), ERR_USAGE);
	cr_assert(strstr(e.msg, "\"reason\" is missing"), "%s", e.msg);
	cr_assert(strstr(e.msg, "policy.json"), "%s", e.msg);
	cr_assert_eq(p.accept.n, 0);
	unlink(path);
}

Test(accept, what_an_entry_covers)
{
	struct diff_accepts a = { NULL, 0, 0 };
	struct err e;

	cr_assert_eq(load("{\"accept\": ["
	    "{\"path\": \"/var/log/**\", \"class\": \"content\", \"reason\": \"a\"},"
	    "{\"path\": \"usr/lib/*.pyc\", \"cause\": \"pyc-\", \"reason\": \"b\"},"
	    "{\"class\": \"metadata\", \"reason\": \"c\"}]}", &a, &e), 0, "%s", e.msg);
	/* "**" crosses directories. */
	cr_assert(diff_accept_matches(&a.v[0], DIFF_CONTENT, "var/log/apt/x.log", NULL));
	cr_assert_not(diff_accept_matches(&a.v[0], DIFF_TIMESTAMP, "var/log/x", NULL));
	cr_assert_not(diff_accept_matches(&a.v[0], DIFF_CONTENT, "var/lib/x", NULL));
	cr_assert_not(diff_accept_matches(&a.v[0], DIFF_CONTENT, NULL, NULL));
	/* A cause is a prefix, and an unknown cause matches no entry naming one. */
	cr_assert(diff_accept_matches(&a.v[1], DIFF_CONTENT, "usr/lib/a.pyc",
	    "pyc-mtime (bytes 8-11)"));
	cr_assert_not(diff_accept_matches(&a.v[1], DIFF_CONTENT, "usr/lib/a.pyc",
	    "build-id (bytes 8-11)"));
	cr_assert_not(diff_accept_matches(&a.v[1], DIFF_CONTENT, "usr/lib/a.pyc",
	    NULL));
	/* No path: any finding of the class, with a path or without one. */
	cr_assert(diff_accept_matches(&a.v[2], DIFF_METADATA, NULL, NULL));
	cr_assert(diff_accept_matches(&a.v[2], DIFF_METADATA, "etc/x", NULL));
	cr_assert_not(diff_accept_matches(&a.v[2], DIFF_CONTENT, NULL, NULL));
	diff_accepts_release(&a);
	unlink(path);
}
