/*
 * fuzz_read.c - libFuzzer: any bytes as an image archive.  The reader must
 * return an archive or an error, never crash, leak or overrun.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "diff/diff.h"
#include "tar/tar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	struct tar_archive *ar = NULL;
	struct diff_result *r = NULL;
	struct diff_opts o = { .require = DIFF_SAME_DIGEST };
	struct err e = { 0, "" };
	FILE *fp;

	if (path[0] == '\0')
		snprintf(path, sizeof(path), "fuzz-read-%ld.tar", (long)getpid());
	if ((fp = fopen(path, "wb")) == NULL)
		return 0;
	fwrite(data, 1, size, fp);
	fclose(fp);
	if (tar_read(path, NULL, &ar, &e) == 0) {
		/* Compare it with itself through every path of the diff. */
		if (diff_archives(ar, "a", ar, "b", &o, &r, &e) == 0)
			diff_second_look(r, ar, ar, &o, &e);
		diff_result_free(r);
		tar_free(ar);
	}
	unlink(path);
	return 0;
}
