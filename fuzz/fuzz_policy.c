/*
 * fuzz_policy.c - libFuzzer: any bytes as a policy file (docs/policy.md),
 * through diff_policy_load() from an in-memory file; the exclude globs and
 * the accept entries it holds are matched against a few paths, every class
 * and a few cause texts.
 */
#include "diff/diff.h"
#include "fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[] = { "", "etc/hostname",
	    "usr/lib/python3/dist-packages/x/__pycache__/y.pyc",
	    "var/log/apt/history.log", "a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p" };
	static const char *const causes[] = { NULL, "gzip-header (MTIME bytes 4-7)",
	    "pyc-mtime (bytes 8-11)", "" };
	struct diff_policy p;
	struct err e = { 0, "" };
	size_t i, k, c, t;

	if (diff_policy_load(fz_memfile(data, size), &p, &e) < 0)
		return 0;
	for (i = 0; i < p.nexcludes; i++)
		for (k = 0; k < sizeof(paths) / sizeof(paths[0]); k++)
			(void)diff_path_excluded(p.excludes[i], paths[k]);
	for (i = 0; i < p.accept.n; i++)
		for (k = 0; k < sizeof(paths) / sizeof(paths[0]); k++)
			for (c = 0; c < DIFF_NCLASS; c++)
				for (t = 0; t < sizeof(causes) / sizeof(causes[0]); t++)
					(void)diff_accept_matches(&p.accept.v[i],
					    (enum diff_class)c, paths[k], causes[t]);
	diff_policy_release(&p);
	return 0;
}
