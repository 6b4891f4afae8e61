/*
 * size.c - sizes as people write and read them: "4M" in, "4 MiB" out.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

static const char units[] = "KMGT";

int
util_parse_size(const char *s, uint64_t *out)
{
	const char *u;
	unsigned long long v;
	char *end;
	int shift = 0;

	if (s[0] < '0' || s[0] > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return -1;
	if (*end != '\0') {
		if ((u = strchr(units, *end)) == NULL || end[1] != '\0')
			return -1;
		shift = 10 * (int)(u - units + 1);
	}
	if (v == 0 || v > UINT64_MAX >> shift)
		return -1;
	*out = (uint64_t)v << shift;
	return 0;
}

const char *
util_size_str(char *buf, size_t n, uint64_t v)
{
	int k = 0;

	while (k < 4 && v != 0 && v % 1024 == 0) {
		v /= 1024;
		k++;
	}
	if (k == 0)
		snprintf(buf, n, "%" PRIu64 " bytes", v);
	else
		snprintf(buf, n, "%" PRIu64 " %ciB", v, units[k - 1]);
	return buf;
}
