/*
 * compare.c - what the image targets do with an archive that was read:
 * inspect it, compare it with itself and with a fixed, different image
 * (both ways, so that two different file trees meet), take the second
 * look, and render every report.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/*
 * The second look fetches entries of ar again, which was read from memory
 * that has not changed since: in each layer the middle and the last entry
 * (in a stored layer, a parse started at a checkpoint), all at once.
 * Each must be found as the first pass read it; a failure is a bug.
 */
static void
fetch_again(const struct tar_archive *ar)
{
	const struct tar_image *im = tar_nimages(ar) > 0 ? tar_image(ar, 0) : NULL;
	struct tar_fetch w[2 * 8];
	struct err e = { 0, "" };
	size_t i, j, k, n = 0;

	if (im == NULL || !tar_rereadable(ar))
		return;
	memset(w, 0, sizeof(w));
	for (i = 0; i < im->nlayers && n + 2 <= sizeof(w) / sizeof(w[0]); i++) {
		const struct tar_layer *l = &im->layers[i];

		if (!l->present || l->nentries == 0)
			continue;
		for (k = 0; k < 2; k++) {
			/* each (layer, path) once, as the second look asks */
			w[n].member = l->member;
			w[n].path = l->entries[k == 0 ? l->nentries / 2 :
			    l->nentries - 1].path;
			for (j = 0; j < n && !(strcmp(w[j].path, w[n].path) == 0 &&
			    (w[j].member == NULL ? w[n].member == NULL :
			    w[n].member != NULL &&
			    strcmp(w[j].member, w[n].member) == 0)); j++)
				;
			n += j == n;
		}
	}
	if (n > 0 && tar_fetch(ar, w, n, 1 << 16, &e) < 0) {
		fprintf(stderr, "an unchanged input does not fetch again: %s\n",
		    e.msg);
		abort();
	}
	for (i = 0; i < n; i++) {
		if (!w[i].found) {
			fprintf(stderr, "'%s' not found again\n", w[i].path);
			abort();
		}
		free(w[i].data);
	}
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
	fetch_again(ar);
}
