/*
 * fuzz_read.c - libFuzzer: an image archive assembled around the fuzzer's
 * documents and layers with every digest right (fuzz/fuzz.h), read from
 * memory, then inspected and compared with itself and with a fixed image.
 * With SHA-256 entry hashes it is also recorded as a fingerprint, which
 * must read back and compare as the same image.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff/diff.h"
#include "fuzz/fuzz.h"
#include "tar/tar.h"

/* A fingerprint that was written must read back, as the same image. */
static void
round_trip(const struct tar_archive *ar)
{
	struct tar_archive *fp = NULL;
	struct diff_opts o = { .require = DIFF_SAME_DIGEST };
	struct diff_result *r = NULL;
	struct err e = { 0, "" };
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);

	if (mem == NULL)
		abort();
	if (tar_record(ar, NULL, mem, "imgdrift fuzz", &e) < 0) {
		fclose(mem);
		free(buf);
		return;
	}
	fclose(mem);
	if (tar_read_mem(buf, len, "record", NULL, &fp, &e) < 0) {
		fprintf(stderr, "a fingerprint written does not read: %s\n", e.msg);
		abort();
	}
	if (diff_archives(ar, "image", fp, "record", &o, &r, &e) < 0 ||
	    r->verdict > DIFF_SAME_DIGEST) {
		fprintf(stderr, "an image and its fingerprint differ: %s\n",
		    r != NULL ? diff_verdict_name(r->verdict) : e.msg);
		abort();
	}
	diff_result_free(r);
	tar_free(fp);
	free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sbuf img = SBUF_INIT;
	struct tar_archive *ar = NULL;
	struct err e = { 0, "" };
	struct tar_opts o = { 0 };
	struct tar_progress p;

	/* The progress counters too: the layers a hostile manifest lists. */
	memset(&p, 0, sizeof(p));
	o.progress = &p;
	o.sha256_entries = fz_assemble(data, size, &img);
	if (img.len > 0 && tar_read_mem(img.buf, img.len, "fuzz", &o, &ar,
	    &e) == 0) {
		fz_compare(ar, o.sha256_entries, (unsigned)size);
		if (o.sha256_entries)
			round_trip(ar);
		tar_free(ar);
	}
	sbuf_release(&img);
	return 0;
}
