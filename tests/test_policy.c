/*
 * test_policy.c - policy files (diff/policy.c): every key, every kind of
 * wrong value, unknown keys.
 */
#include <criterion/criterion.h>

#include "diff/diff.h"
#include "tests/testutil.h"

static char path[256];

static int
load(const char *json, struct diff_policy *p, struct err *e)
{
	FILE *fp = fopen(tu_tmp(path, sizeof(path), "policy.json"), "w");

	fputs(json, fp);
	fclose(fp);
	err_clear(e);
	return diff_policy_load(path, p, e);
}

Test(policy, every_key)
{
	struct diff_policy p;
	struct err e;

	cr_assert_eq(load("{\"require\": \"dependency-equivalent\", "
	    "\"ignore\": [\"timestamp\", \"ordering\"], "
	    "\"exclude\": [\"var/log/**\", \"tmp\"], \"volatile\": \"ignore\", "
	    "\"platform\": \"linux/arm64\", \"max_examples\": 12}", &p, &e), 0,
	    "%s", e.msg);
	cr_assert(p.has_require);
	cr_assert_eq(p.require, DIFF_DEPENDENCY_EQUIVALENT);
	cr_assert(p.ignore[DIFF_TIMESTAMP] && p.ignore[DIFF_ORDERING]);
	cr_assert_not(p.ignore[DIFF_CONTENT]);
	cr_assert_eq(p.nexcludes, 2);
	cr_assert_str_eq(p.excludes[0], "var/log/**");
	cr_assert_str_eq(p.excludes[1], "tmp");
	cr_assert(p.has_volatile && p.volatile_ignore);
	cr_assert_str_eq(p.platform, "linux/arm64");
	cr_assert_eq(p.max_examples, 12);
	diff_policy_release(&p);
	unlink(path);
}

Test(policy, second_look_limits)
{
	struct diff_policy p;
	struct err e;

	cr_assert_eq(load("{\"look_max_file\": \"8M\", \"look_budget\": 1000, "
	    "\"look_max_files\": 20}", &p, &e), 0, "%s", e.msg);
	cr_assert_eq(p.look_max_file, 8u << 20);
	cr_assert_eq(p.look_budget, 1000);
	cr_assert_eq(p.look_max_files, 20);
	diff_policy_release(&p);
	cr_assert_eq(load("{\"look_budget\": \"1G\"}", &p, &e), 0, "%s", e.msg);
	cr_assert_eq(p.look_budget, 1u << 30);
	cr_assert_eq(p.look_max_file, 0, "not set");
	diff_policy_release(&p);
	unlink(path);
}

Test(policy, empty_sets_nothing)
{
	struct diff_policy p;
	struct err e;

	cr_assert_eq(load("{}", &p, &e), 0);
	cr_assert_not(p.has_require);
	cr_assert_eq(p.nexcludes, 0);
	cr_assert_null(p.platform);
	cr_assert_eq(p.max_examples, 0);
	cr_assert_not(p.has_volatile);
	diff_policy_release(&p);
	unlink(path);
}

Test(policy, byte_order_mark_is_skipped)
{
	struct diff_policy p;
	struct err e;

	cr_assert_eq(load("\xef\xbb\xbf{\"platform\": \"linux/arm64\"}", &p, &e),
	    0, "%s", e.msg);
	cr_assert_str_eq(p.platform, "linux/arm64");
	diff_policy_release(&p);
	cr_assert_eq(load("{}\xef\xbb\xbf", &p, &e), ERR_USAGE);
	unlink(path);
}

Test(policy, unknown_key_is_an_error)
{
	struct diff_policy p;
	struct err e;

	cr_assert_eq(load("{\"require\": \"same-digest\", \"exlcude\": []}", &p,
	    &e), ERR_USAGE);
	cr_assert(strstr(e.msg, "unknown key \"exlcude\""), "%s", e.msg);
	cr_assert(strstr(e.msg, "policy.json"), "%s", e.msg);
	cr_assert_null(p.excludes);
	unlink(path);
}

Test(policy, wrong_values)
{
	static const char *const bad[] = {
		"{\"require\": \"different\"}",
		"{\"require\": 1}",
		"{\"ignore\": \"timestamp\"}",
		"{\"ignore\": [\"mtime\"]}",
		"{\"ignore\": [1]}",
		"{\"exclude\": \"tmp\"}",
		"{\"exclude\": [\"\"]}",
		"{\"volatile\": \"drop\"}",
		"{\"volatile\": true}",
		"{\"platform\": \"\"}",
		"{\"platform\": null}",
		"{\"max_examples\": 0}",
		"{\"max_examples\": 100001}",
		"{\"max_examples\": \"5\"}",
		"{\"look_max_file\": 0}",
		"{\"look_max_file\": \"4X\"}",
		"{\"look_budget\": -1}",
		"{\"look_budget\": true}",
		"{\"look_max_files\": 0}",
		"{\"look_max_files\": \"10\"}",
		"[]",
		"{\"require\": \"same-digest\", \"require\": \"identical\"}",
		"{",
	};
	struct diff_policy p;
	struct err e;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert_eq(load(bad[i], &p, &e), ERR_USAGE, "%s: %s", bad[i], e.msg);
		cr_assert_null(p.excludes);
		cr_assert_null(p.platform);
	}
	unlink(path);
}

Test(policy, missing_and_oversized_files)
{
	struct diff_policy p;
	struct err e = { 0, "" };
	FILE *fp;
	int i;

	cr_assert_eq(diff_policy_load("build/tmp/no-such-policy.json", &p, &e),
	    ERR_IO);
	fp = fopen(tu_tmp(path, sizeof(path), "big.json"), "w");
	for (i = 0; i < (1 << 20) / 16 + 1; i++)
		fputs("                ", fp);
	fclose(fp);
	err_clear(&e);
	cr_assert_eq(diff_policy_load(path, &p, &e), ERR_LIMIT);
	unlink(path);
}
