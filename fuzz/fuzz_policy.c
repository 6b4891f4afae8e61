/*
 * fuzz_policy.c - libFuzzer: any bytes as a policy file (docs/policy.md),
 * through diff_policy_load() from an in-memory file; the globs it accepts
 * are matched against a few paths.
 */
#include "diff/diff.h"
#include "fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[] = { "", "etc/hostname",
	    "usr/lib/python3/dist-packages/x/__pycache__/y.pyc",
	    "var/log/apt/history.log", "a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p" };
	struct diff_policy p;
	struct err e = { 0, "" };
	size_t i, k;

	if (diff_policy_load(fz_memfile(data, size), &p, &e) < 0)
		return 0;
	for (i = 0; i < p.nexcludes; i++)
		for (k = 0; k < sizeof(paths) / sizeof(paths[0]); k++)
			(void)diff_path_excluded(p.excludes[i], paths[k]);
	diff_policy_release(&p);
	return 0;
}
