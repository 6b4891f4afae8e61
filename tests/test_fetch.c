/*
 * test_fetch.c - the second look (tar/fetch.c) in a stored layer: the
 * checkpoints the first pass keeps (tar/layer.c).
 */
#include <criterion/criterion.h>

#include "tar/tar_int.h"
#include "tests/testutil.h"

#define K	TAR_CKPT_EVERY
#define NENT	(3 * K + 7)	/* three checkpoints past the start */

/* n entries: small files, with names too long for a ustar header (a pax
   or GNU long-name header first) at every checkpoint. */
static struct tu_ent *
entries(size_t n)
{
	struct tu_ent *v = calloc(n, sizeof(*v));
	size_t i;

	for (i = 0; i < n; i++) {
		char *p = malloc(200), *d = malloc(32);

		if (i % K == 0 && i > 0)
			snprintf(p, 200, "app/%0150zu", i);
		else
			snprintf(p, 200, "app/d%02zu/f%05zu", i % 17, i);
		snprintf(d, 32, "content of %zu\n", i);
		v[i].path = p;
		v[i].data = d;
	}
	return v;
}

static void
entries_free(struct tu_ent *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free((char *)(uintptr_t)v[i].path);
		free((char *)(uintptr_t)v[i].data);
	}
	free(v);
}

/* Parse the layer in t as the first pass does. */
static void
parse(const struct tbuf *t, struct entries *en)
{
	struct mem_src ms = { t->p, t->n, 0 };
	struct strpool sp = { 0 };
	struct bstream *bs = NULL;
	struct err e = { 0, "" };

	memset(en, 0, sizeof(*en));
	cr_assert_eq(tar_bs_open(tar_mem_src_read, &ms, 0, &bs, &e), 0, "%s",
	    e.msg);
	cr_assert_eq(tar_layer_parse(bs, en, &sp, TAR_HASH_XXH3, NULL, &e), 0,
	    "%s", e.msg);
	tar_bs_free(bs);
	tar_strpool_release(&sp);
}

/* @return the path of the first entry libarchive reads at off in t
   (malloc'd). */
static char *
path_at(const struct tbuf *t, uint64_t off)
{
	struct archive *a = archive_read_new();
	struct archive_entry *ae;
	char *p;

	archive_read_support_format_tar(a);
	cr_assert_eq(archive_read_open_memory(a, t->p + off, t->n - off),
	    ARCHIVE_OK, "%s", archive_error_string(a));
	cr_assert_eq(archive_read_next_header(a, &ae), ARCHIVE_OK, "%s",
	    archive_error_string(a));
	p = strdup(archive_entry_pathname(ae));
	archive_read_free(a);
	return p;
}

Test(ckpt, every_kth_entry_starts_at_its_headers)
{
	static const int formats[] = { ARCHIVE_FORMAT_TAR_PAX_RESTRICTED,
	    ARCHIVE_FORMAT_TAR_GNUTAR };
	struct tu_ent *v = entries(NENT);
	struct entries en;
	struct tbuf t;
	uint64_t off;
	size_t f, i;
	char *p;

	for (f = 0; f < 2; f++) {
		tu_layer_fmt(&t, v, NENT, formats[f]);
		parse(&t, &en);
		cr_assert_eq(en.n, NENT);
		cr_assert_eq(en.nckpt, 4, "%zu checkpoints", en.nckpt);
		cr_assert_eq(en.ckpt[0], 0);
		for (i = 1; i < en.nckpt; i++) {
			cr_assert_gt(en.ckpt[i], en.ckpt[i - 1]);
			cr_assert_eq(en.ckpt[i] % 512, 0);
			/* the long name whole: its own header is included */
			p = path_at(&t, en.ckpt[i]);
			cr_assert_str_eq(p, v[i * K].path, "format %zu", f);
			free(p);
		}
		cr_assert_eq(tar_ckpt_before(&en, 0, &off), 0);
		cr_assert_eq(off, 0);
		cr_assert_eq(tar_ckpt_before(&en, K - 1, &off), 0);
		cr_assert_eq(off, 0);
		cr_assert_eq(tar_ckpt_before(&en, K, &off), K);
		cr_assert_eq(off, en.ckpt[1]);
		cr_assert_eq(tar_ckpt_before(&en, 2 * K + 1, &off), 2 * K);
		cr_assert_eq(off, en.ckpt[2]);
		cr_assert_eq(tar_ckpt_before(&en, NENT - 1, &off), 3 * K);
		cr_assert_eq(tar_ckpt_before(&en, UINT32_MAX, &off), 3 * K);
		cr_assert_eq(off, en.ckpt[3]);
		tar_entries_release(&en);
		tbuf_free(&t);
	}
	/* a layer read from elsewhere (a cache file) has none */
	memset(&en, 0, sizeof(en));
	off = 1;
	cr_assert_eq(tar_ckpt_before(&en, 5 * K, &off), 0);
	cr_assert_eq(off, 0);
	entries_free(v, NENT);
}

static struct tar_archive *
read_jobs(const char *path, unsigned jobs)
{
	struct tar_opts o = { .jobs = jobs };
	struct tar_archive *ar = NULL;
	struct err e = { 0, "" };

	cr_assert_eq(tar_read(path, &o, &ar, &e), 0, "%s: %s", path, e.msg);
	return ar;
}

Test(ckpt, the_same_with_one_job_and_four)
{
	struct tu_ent *v = entries(NENT);
	struct tu_oci_opts file = { 0 }, dir = { .as_dir = true };
	char pf[256], pd[256], cmd[300];
	const char *paths[] = { tu_tmp(pf, sizeof(pf), "ckpt-j.tar"),
	    tu_tmp(pd, sizeof(pd), "ckpt-j.dir") };
	struct tar_archive *one, *four;
	size_t i, j, layers;

	tu_oci(pf, v, NENT, &file);
	tu_oci(pd, v, NENT, &dir);
	for (i = 0; i < 2; i++) {
		one = read_jobs(paths[i], 1);
		four = read_jobs(paths[i], 4);
		cr_assert_gt(tar_pooled(four), 0, "%s", paths[i]);
		cr_assert_eq(one->nblobs, four->nblobs);
		for (j = layers = 0; j < one->nblobs; j++) {
			const struct entries *x = &one->blobs[j].entries,
			    *y = &four->blobs[j].entries;

			cr_assert_eq(x->nckpt, y->nckpt);
			cr_assert(x->nckpt == 0 ||
			    memcmp(x->ckpt, y->ckpt, x->nckpt * 8) == 0);
			layers += x->nckpt == 4;
		}
		cr_assert_eq(layers, 1, "%s", paths[i]);
		tar_free(one);
		tar_free(four);
	}
	unlink(pf);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", pd);
	cr_assert_eq(system(cmd), 0);
	entries_free(v, NENT);
}
