/*
 * compare.c - what the image targets do with an archive that was read:
 * inspect it, compare it with itself and with a fixed, different image
 * (both ways, so that two different file trees meet), take the second
 * look, and render every report.
 */
#include <stdlib.h>

#include "diff/diff.h"
#include "fuzz/fuzz.h"
#include "report/report.h"
#include "tar/tar.h"



static const struct tar_archive *
fixed(bool sha256)
{
	static struct tar_archive *ar[2];
	const struct sbuf *img;
	struct tar_opts o = { .sha256_entries = sha256 };
	struct err e = { 0, "" };

	if (ar[sha256] == NULL) {
		img = fz_fixed_image();
		if (tar_read_mem(img->buf, img->len, "fixed", &o, &ar[sha256],
		    &e) < 0) {
			fprintf(stderr, "the fixed image does not read: %s\n", e.msg);
			abort();
		}
	}
	return ar[sha256];
}

static void
one(const struct tar_archive *a, const struct tar_archive *b,
    enum report_format fmt)
{
	struct diff_opts o = { .require = DIFF_SAME_DIGEST, .max_examples = 3 };
	struct diff_result *r = NULL;
	struct err e = { 0, "" };

	if (diff_archives(a, "a", b, "b", &o, &r, &e) == 0) {
		err_clear(&e);
		diff_second_look(r, a, b, &o, &e);
		report_diff(fz_devnull(), r, fmt, false, false);
	}
	diff_result_free(r);
}

void
fz_compare(const struct tar_archive *ar, bool sha256, unsigned salt)
{
	const struct tar_archive *f = fixed(sha256);
	enum report_format fmt = (enum report_format)(salt % 4);

	report_inspect(fz_devnull(), "fuzz", ar, salt & 4 ? REPORT_JSON :
	    REPORT_TEXT, salt & 8);
	one(ar, ar, fmt);
	one(ar, f, (enum report_format)((fmt + 1) % 4));
	one(f, ar, (enum report_format)((fmt + 2) % 4));
}
