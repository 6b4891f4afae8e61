/*
 * replay.c - run a fuzz target's LLVMFuzzerTestOneInput() over saved
 * inputs, built with the normal compiler (no libFuzzer needed): the
 * regression run of `make fuzz-regress`.
 *
 *     replay [-p BYTE] FILE|DIR...
 *
 * Each file, and each file of each directory, is one input.  -p puts BYTE
 * (decimal or 0x..) before each, to feed whole archives to fuzz_read in
 * its "as is" layout.  A crash is the failure; exit 0 when every input
 * ran, 2 when one could not be read.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz/fuzz.h"

static int prefix = -1;

static int
run_file(const char *path)
{
	struct sbuf in = SBUF_INIT;
	char buf[65536];
	size_t n;
	FILE *fp = fopen(path, "rb");

	if (fp == NULL) {
		fprintf(stderr, "replay: cannot open '%s': %s\n", path,
		    strerror(errno));
		return 2;
	}
	if (prefix >= 0)
		sbuf_addc(&in, (char)prefix);
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		sbuf_add(&in, buf, n);
	fclose(fp);
	LLVMFuzzerTestOneInput((const uint8_t *)(in.buf != NULL ? in.buf : ""),
	    in.len);
	sbuf_release(&in);
	return 0;
}

static int
run_path(const char *path, size_t *count)
{
	struct dirent **names;
	struct stat st;
	char *sub;
	int i, n, r = 0;

	if (stat(path, &st) < 0) {
		fprintf(stderr, "replay: '%s': %s\n", path, strerror(errno));
		return 2;
	}
	if (!S_ISDIR(st.st_mode)) {
		++*count;
		return run_file(path);
	}
	/* Sorted, so that a failure is reproducible. */
	if ((n = scandir(path, &names, NULL, alphasort)) < 0) {
		fprintf(stderr, "replay: '%s': %s\n", path, strerror(errno));
		return 2;
	}
	for (i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.') {
			if (asprintf(&sub, "%s/%s", path, names[i]->d_name) < 0)
				xalloc_die();
			if (run_path(sub, count) != 0)
				r = 2;
			free(sub);
		}
		free(names[i]);
	}
	free(names);
	return r;
}

int
main(int argc, char **argv)
{
	size_t count = 0;
	int c, r = 0;

	while ((c = getopt(argc, argv, "p:")) != -1) {
		if (c != 'p')
			goto usage;
		prefix = (int)strtol(optarg, NULL, 0) & 0xff;
	}
	if (optind == argc)
		goto usage;
	for (; optind < argc; optind++)
		if (run_path(argv[optind], &count) != 0)
			r = 2;
	printf("%s: %zu inputs\n", argv[0], count);
	return r;
 usage:
	fprintf(stderr, "usage: replay [-p BYTE] FILE|DIR...\n");
	return 2;
}
