/*
 * fuzz_causes.c - libFuzzer: the provers on two hostile versions of a file.
 * The input is split in two at its first byte's ratio.
 */
#include <stdint.h>
#include <stdlib.h>

#include "diff/causes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[] = { "x.pyc", "var/log/dpkg.log",
	    "var/lib/dpkg/status", "x" };
	struct proof p;
	size_t cut;
	char *s;

	if (size < 2)
		return 0;
	cut = 1 + (size - 1) * data[0] / 256;
	diff_cause_prove(paths[data[0] & 3], data + 1, cut - 1, data + cut, size - cut, &p);
	free(p.detail);
	s = diff_cause_show(data + 1, cut - 1, data + cut, size - cut, 0);
	free(s);
	return 0;
}
