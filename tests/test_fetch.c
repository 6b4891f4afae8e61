/*
 * test_fetch.c - the second look (tar/fetch.c) in a stored layer: the
 * checkpoints the first pass keeps (tar/layer.c), and a parse started at
 * one that gives the first pass's bytes or an error, never other bytes.
 */
#include <fcntl.h>
#include <sys/mman.h>

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

/* The input kinds a stored layer is sought in: an image, or the layer
   itself (a bare layer). */
enum kind { ARCHIVE_FILE, LAYOUT_DIR, IN_MEMORY, BARE_FILE, BARE_IN_MEMORY };
#define NKINDS	5

/* An image of one stored layer of v (or raw) as kind k, read. */
struct img {
	enum kind k;
	char path[256];
	struct tbuf mem;
	struct tar_archive *ar;
};

static void
img_make(struct img *im, enum kind k, const struct tu_ent *v, size_t n,
    const struct tbuf *raw, const char *tag)
{
	struct tu_oci_opts o = { .as_dir = k == LAYOUT_DIR, .raw_layer = raw };
	struct err e = { 0, "" };
	struct tbuf t;
	FILE *fp;

	memset(im, 0, sizeof(*im));
	im->k = k;
	tu_tmp(im->path, sizeof(im->path), tag);
	if (k == BARE_FILE || k == BARE_IN_MEMORY) {
		if (raw == NULL)
			tu_layer(&t, v, n);
		fp = fopen(im->path, "wb");
		cr_assert_not_null(fp);
		cr_assert_eq(fwrite(raw != NULL ? raw->p : t.p, 1, raw != NULL ?
		    raw->n : t.n, fp), raw != NULL ? raw->n : t.n);
		fclose(fp);
		if (raw == NULL)
			tbuf_free(&t);
	} else
		tu_oci(im->path, v, n, &o);
	if (k != IN_MEMORY && k != BARE_IN_MEMORY) {
		im->ar = read_jobs(im->path, 1);
		return;
	}
	fp = fopen(im->path, "rb");
	cr_assert_not_null(fp);
	fseek(fp, 0, SEEK_END);
	im->mem.n = (size_t)ftell(fp);
	im->mem.p = malloc(im->mem.n);
	rewind(fp);
	cr_assert_eq(fread(im->mem.p, 1, im->mem.n, fp), im->mem.n);
	fclose(fp);
	cr_assert_eq(tar_read_mem(im->mem.p, im->mem.n, "mem", NULL, &im->ar,
	    &e), 0, "%s", e.msg);
}

static void
img_free(struct img *im)
{
	char cmd[300];

	tar_free(im->ar);
	tbuf_free(&im->mem);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", im->path);
	cr_assert_eq(system(cmd), 0);
}

/* Flip a bit of the byte at the first occurrence of needle plus at; or
   with at SIZE_MAX, make the header whose name is needle declare 16 MiB of
   data (its checksum right), more than the layer holds. */
static void
poke(uint8_t *p, size_t len, const char *needle, size_t at)
{
	uint8_t *hit = memmem(p, len, needle, strlen(needle));
	unsigned sum = 0;
	size_t i;

	cr_assert_not_null(hit, "%s", needle);
	if (at != SIZE_MAX) {
		hit[at] ^= 0x20;
		return;
	}
	snprintf((char *)hit + 124, 12, "%011o", 077777777u);
	memset(hit + 148, ' ', 8);
	for (i = 0; i < 512; i++)
		sum += hit[i];
	snprintf((char *)hit + 148, 8, "%06o", sum);
}

/* poke() the image's stored layer (the one file of a layout directory
   that holds it). */
static void
img_poke(struct img *im, const char *needle, size_t at)
{
	const struct tar_layer *l = &tar_image(im->ar, 0)->layers[0];
	char path[600];
	uint8_t *p;
	size_t len;
	int fd;

	if (im->k == IN_MEMORY || im->k == BARE_IN_MEMORY) {
		poke(im->mem.p, im->mem.n, needle, at);
		return;
	}
	if (im->k == LAYOUT_DIR)
		snprintf(path, sizeof(path), "%s/%s", im->path, l->member);
	else
		snprintf(path, sizeof(path), "%s", im->path);
	cr_assert_geq(fd = open(path, O_RDWR), 0, "%s", path);
	len = (size_t)lseek(fd, 0, SEEK_END);
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	cr_assert_neq(p, MAP_FAILED);
	poke(p, len, needle, at);
	munmap(p, len);
	close(fd);
}

/* Fetch path of the image's layer: @return tar_fetch()'s code. */
static int
img_fetch(struct img *im, const char *path, struct tar_fetch *w,
    struct err *e)
{
	memset(w, 0, sizeof(*w));
	w->member = tar_image(im->ar, 0)->layers[0].member;
	w->path = path;
	err_clear(e);
	return tar_fetch(im->ar, w, 1, 1 << 20, e);
}

static const char *const kinds[NKINDS] = { "archive", "layout", "memory",
    "bare layer", "bare layer in memory" };

/*
 * A header before the checkpoint that declares more data than the layer
 * holds: a parse from the layer's start fails there, the one from the
 * checkpoint never reads it and gives the entry whole.
 */
Test(seek, starts_at_the_checkpoint_before_the_entry)
{
	struct tu_ent *v = entries(NENT);
	struct tar_fetch w;
	struct err e = { 0, "" };
	struct img im;
	int k;

	for (k = 0; k < NKINDS; k++) {
		img_make(&im, (enum kind)k, v, NENT, NULL, "seek");
		img_poke(&im, "app/d05/f00005", SIZE_MAX);
		cr_assert_eq(img_fetch(&im, v[3 * K + 3].path, &w, &e), 0,
		    "%s: %s", kinds[k], e.msg);
		cr_assert(w.found && w.seen && !w.truncated);
		cr_assert_eq(w.len, strlen(v[3 * K + 3].data));
		cr_assert_eq(memcmp(w.data, v[3 * K + 3].data, w.len), 0);
		free(w.data);
		/* the entry is the first pass's when it starts a checkpoint */
		cr_assert_eq(img_fetch(&im, v[2 * K].path, &w, &e), 0, "%s: %s",
		    kinds[k], e.msg);
		cr_assert_eq(w.len, strlen(v[2 * K].data));
		cr_assert_eq(memcmp(w.data, v[2 * K].data, w.len), 0);
		free(w.data);
		/* before the first checkpoint past the start: read from it,
		   and the header is met */
		cr_assert_lt(img_fetch(&im, v[K - 1].path, &w, &e), 0, "%s",
		    kinds[k]);
		cr_assert_null(strchr(e.msg, '\n'), "%s", e.msg);
		free(w.data);
		img_free(&im);
	}
	entries_free(v, NENT);
}

/* A byte of the entry changed after the first pass: the existing error,
   one line, whether the change is in its data or its header. */
Test(seek, a_change_after_the_checkpoint_is_an_error)
{
	struct tu_ent *v = entries(NENT);
	struct tar_fetch w;
	struct err e = { 0, "" };
	struct img im;
	char needle[64];
	int k;

	snprintf(needle, sizeof(needle), "content of %d\n", 3 * K + 3);
	for (k = 0; k < NKINDS; k++) {
		img_make(&im, (enum kind)k, v, NENT, NULL, "change");
		img_poke(&im, needle, 2);
		cr_assert_eq(img_fetch(&im, v[3 * K + 3].path, &w, &e), ERR_DIGEST,
		    "%s: %s", kinds[k], e.msg);
		cr_assert(strstr(e.msg, "changed since it was read") != NULL, "%s",
		    e.msg);
		cr_assert_null(strchr(e.msg, '\n'), "%s", e.msg);
		free(w.data);
		/* a header between the checkpoint and the entry */
		img_poke(&im, "app/d15/f03075", SIZE_MAX);
		cr_assert_lt(img_fetch(&im, v[3 * K + 5].path, &w, &e), 0, "%s",
		    kinds[k]);
		cr_assert_null(strchr(e.msg, '\n'), "%s", e.msg);
		free(w.data);
		img_free(&im);
	}
	entries_free(v, NENT);
}

/* A ustar block with a link name (for a hardlink). */
static void
ustar(uint8_t *h, const char *name, char type, size_t size, const char *link)
{
	unsigned sum = 0;
	size_t i;

	tu_ustar_block(h, name, type, size);
	if (link == NULL)
		return;
	memcpy(h + 157, link, strlen(link));
	memset(h + 148, ' ', 8);
	for (i = 0; i < 512; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
}

/*
 * What a parse started mid-layer cannot know: after a pax global header
 * libarchive takes a ustar hardlink's size (pax allows hardlinks with
 * data); started after that header, it ignores the size when the data
 * looks like a header, and reads the data as one more entry.  The second
 * look then finds the entries out of step, reads from the start, and gives
 * the first pass's bytes.
 */
Test(seek, out_of_step_after_a_pax_global_header_reads_from_the_start)
{
	static const char rec[] = "17 comment=hello\n";
	const size_t nf = 2 * K + 10, link = K + 5, want = K + 8;
	struct tbuf t;
	struct tar_fetch w;
	struct err e = { 0, "" };
	struct entries en;
	struct img im;
	char name[32], *p;
	uint8_t *h;
	size_t i;
	int k;

	t.n = 1024 + nf * 1024 + 512 + 1024;
	t.p = h = calloc(1, t.n);
	ustar(h, "pax_global_header", 'g', strlen(rec), NULL);
	memcpy(h + 512, rec, strlen(rec));
	h += 1024;
	for (i = 0; i < nf; i++) {
		snprintf(name, sizeof(name), "app/f%05zu", i);
		if (i == link) {
			ustar(h, name, '1', 512, "app/f00001");
			ustar(h + 512, "app/ghost", '0', 0, NULL);
		} else {
			ustar(h, name, '0', 9, NULL);
			snprintf((char *)h + 512, 16, "file %04zu", i);
		}
		h += 1024;
	}
	t.n = (size_t)(h - t.p) + 1024;
	parse(&t, &en);
	cr_assert_eq(en.n, nf, "the first pass takes the hardlink's data");
	cr_assert_eq(en.nckpt, 3);
	/* from the checkpoint, the data is an entry: one more header */
	{
		struct archive *a = archive_read_new();
		struct archive_entry *ae;
		size_t n = 0;

		archive_read_support_format_tar(a);
		cr_assert_eq(archive_read_open_memory(a, t.p + en.ckpt[1],
		    t.n - en.ckpt[1]), ARCHIVE_OK);
		while (archive_read_next_header(a, &ae) == ARCHIVE_OK)
			n++;
		archive_read_free(a);
		cr_assert_eq(n, nf - K + 1, "libarchive no longer reads a "
		    "hardlink's size by the headers before: update this test");
	}
	p = path_at(&t, en.ckpt[1]);
	cr_assert_str_eq(p, en.v[K].path);
	free(p);
	tar_entries_release(&en);
	for (k = 0; k < NKINDS; k++) {
		img_make(&im, (enum kind)k, NULL, 0, &t, "step");
		snprintf(name, sizeof(name), "app/f%05zu", want);
		cr_assert_eq(img_fetch(&im, name, &w, &e), 0, "%s: %s", kinds[k],
		    e.msg);
		snprintf(name, sizeof(name), "file %04zu", want);
		cr_assert_eq(w.len, 9);
		cr_assert_eq(memcmp(w.data, name, 9), 0);
		free(w.data);
		img_free(&im);
	}
	tbuf_free(&t);
}
