/*
 * fuzz_lint.c - libFuzzer: any bytes as a Dockerfile, parsed and checked
 * by lint_buf() (which names no directory, so no file is looked up), and
 * every finding rendered in every format.  Bytes after a NUL are history
 * steps (created_by, one a line) that diff --dockerfile matches against
 * the Dockerfile's final stage.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "fuzz/fuzz.h"
#include "lint/lint.h"

#define HISTORY_MAX	64

static void
match_history(const char *df, size_t dlen, const char *h, size_t hlen)
{
	struct lint_run *r = lint_new();
	struct lint_steps ls;
	struct err e = { 0, "" };
	char *copy = malloc(hlen + 1), *p, *nl;
	const char *steps[HISTORY_MAX];
	unsigned line[HISTORY_MAX];
	size_t n = 0;

	if (copy == NULL || lint_buf_steps(r, "Dockerfile", df, dlen, &ls, &e) < 0)
		goto out;
	memcpy(copy, h, hlen);
	copy[hlen] = '\0';
	for (p = copy; n < HISTORY_MAX && p != NULL; p = nl) {
		if ((nl = strchr(p, '\n')) != NULL)
			*nl++ = '\0';
		steps[n++] = p;
	}
	cli_dockerfile_match(&ls, steps, n, line);
	lint_steps_release(&ls);
 out:
	free(copy);
	lint_free(r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lint_run *r = lint_new();
	struct err e = { 0, "" };
	const uint8_t *nul;

	if (lint_buf(r, "Dockerfile", (const char *)data, size, NULL, &e) == 0) {
		lint_render(r, fz_devnull(), LINT_TEXT, &e);
		lint_render(r, fz_devnull(), LINT_JSON, &e);
		lint_render(r, fz_devnull(), LINT_SARIF, &e);
	}
	lint_free(r);
	if ((nul = memchr(data, '\0', size)) != NULL)
		match_history((const char *)data, (size_t)(nul - data),
		    (const char *)nul + 1,
		    size - (size_t)(nul - data) - 1);
	return 0;
}
