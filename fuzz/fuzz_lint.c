/*
 * fuzz_lint.c - libFuzzer: any bytes as a Dockerfile, parsed and checked
 * by lint_buf() (which names no directory, so no file is looked up), and
 * every finding rendered in every format.
 */
#include "fuzz/fuzz.h"
#include "lint/lint.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lint_run *r = lint_new();
	struct err e = { 0, "" };

	if (lint_buf(r, "Dockerfile", (const char *)data, size, NULL, &e) == 0) {
		lint_render(r, fz_devnull(), LINT_TEXT, &e);
		lint_render(r, fz_devnull(), LINT_JSON, &e);
		lint_render(r, fz_devnull(), LINT_SARIF, &e);
	}
	lint_free(r);
	return 0;
}
