/*
 * fuzz_reg.c - libFuzzer: what a registry and its user hand reg/ as text.
 * The input, cut at its first newline: a docker:// reference (after the
 * prefix) for reg_ref_parse(), then a WWW-Authenticate value for
 * reg_challenge_parse(); every field parsed must be a terminated string
 * within its buffer.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz.h"
#include "reg/reg.h"
#include "util/sbuf.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reg_ref r;
	struct reg_challenge ch;
	struct err e = { 0, "" };
	const uint8_t *nl = memchr(data, '\n', size);
	size_t n = nl != NULL ? (size_t)(nl - data) : size;
	char *ref = xstrndup((const char *)data, n);
	char *chal = xstrndup(nl != NULL ? (const char *)nl + 1 : "",
	    nl != NULL ? size - n - 1 : 0);

	if (reg_ref_parse(ref, &r, &e) == 0) {
		if (strlen(r.host) == 0 || strlen(r.repo) == 0 ||
		    (r.tag[0] == '\0') == (r.digest[0] == '\0'))
			__builtin_trap();
		(void)reg_ref_tail(&r);
	}
	if (reg_challenge_parse(chal, &ch) == 0 &&
	    (strlen(ch.realm) >= sizeof(ch.realm) || ch.bearer == ch.basic))
		__builtin_trap();
	free(ref);
	free(chal);
	return 0;
}
