/*
 * test_fp.c - fingerprints (tar/fp_write.c, tar/fp_read.c): a record read
 * back is the image it records, entry by entry; SHA-256 entry hashes; and
 * every way a fingerprint can be broken fails with its own error code.
 */
#include <criterion/criterion.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diff/diff.h"
#include "pkg/pkg.h"
#include "tar/tar.h"
#include "tests/testutil.h"

static const struct tu_ent ents[] = {
	{ .path = "etc/" },
	{ .path = "etc/app.conf", .data = "port=8080\n", .uname = "app",
	    .uid = 1000, .gid = 1000 },
	{ .path = "etc/empty", .data = "" },
	{ .path = "usr/bin/app", .data = "#!/bin/sh\nexec true\n", .mode = 04755,
	    .mtime = 1600000000 },
	{ .path = "usr/bin/run", .symlink = "app" },
	{ .path = "usr/bin/again", .hardlink = "usr/bin/app" },
	{ .path = "usr/share/\xff\x01odd name", .data = "bytes", .mtime = 1 },
};
#define NENTS (sizeof(ents) / sizeof(ents[0]))

static const struct tar_opts sha = { .sha256_entries = true };

/* Read path with SHA-256 entries and record it into fp_path. */
static struct tar_archive *
record(const char *path, const char *fp_path)
{
	struct tar_archive *ar = NULL;
	struct err e = { 0, "" };
	FILE *fp;

	cr_assert_eq(tar_read(path, &sha, &ar, &e), 0, "%s", e.msg);
	fp = fopen(fp_path, "wb");
	cr_assert_not_null(fp);
	cr_assert_eq(tar_record(ar, NULL, fp, "test", &e), 0, "%s", e.msg);
	fclose(fp);
	return ar;
}

static void
same_entry(const struct tar_entry *x, const struct tar_entry *y)
{
	cr_assert_str_eq(x->path, y->path);
	cr_assert_eq(x->link == NULL, y->link == NULL, "%s", x->path);
	if (x->link != NULL)
		cr_assert_str_eq(x->link, y->link);
	cr_assert_str_eq(x->uname, y->uname);
	cr_assert_str_eq(x->gname, y->gname);
	cr_assert_eq(x->xattrs == NULL, y->xattrs == NULL);
	cr_assert_eq(x->size, y->size);
	cr_assert_eq(x->mtime, y->mtime);
	cr_assert_eq(x->mtime_ns, y->mtime_ns);
	cr_assert_eq(x->has_atime, y->has_atime);
	cr_assert_eq(x->atime, y->atime);
	cr_assert_eq(x->has_ctime, y->has_ctime);
	cr_assert_eq(x->ctime, y->ctime);
	cr_assert_eq(x->uid, y->uid);
	cr_assert_eq(x->gid, y->gid);
	cr_assert_eq(x->mode, y->mode);
	cr_assert_eq(x->ordinal, y->ordinal);
	cr_assert_eq(x->kind, y->kind);
	cr_assert_eq(x->hdrfmt, y->hdrfmt);
	cr_assert_eq(memcmp(x->hash, y->hash, TAR_HASH_MAX), 0, "%s", x->path);
}

static void
same_archive(const struct tar_archive *a, const struct tar_archive *b)
{
	size_t i, j, k;
	uint8_t da[32], db[32];

	cr_assert_eq(tar_format(a), tar_format(b));
	cr_assert_eq(tar_wrapper_comp(a), tar_wrapper_comp(b));
	cr_assert_eq(tar_input_sha256(a, da), tar_input_sha256(b, db));
	cr_assert_eq(tar_nimages(a), tar_nimages(b));
	for (i = 0; i < tar_nimages(a); i++) {
		const struct tar_image *x = tar_image(a, i), *y = tar_image(b, i);

		cr_assert_eq(x->has_manifest, y->has_manifest);
		cr_assert_eq(memcmp(x->manifest_digest, y->manifest_digest, 32), 0);
		cr_assert_eq(memcmp(x->config_digest, y->config_digest, 32), 0);
		cr_assert(json_equal(x->config, y->config));
		cr_assert_eq(x->ntags, y->ntags);
		cr_assert_eq(x->nlayers, y->nlayers);
		for (j = 0; j < x->nlayers; j++) {
			const struct tar_layer *lx = &x->layers[j], *ly = &y->layers[j];

			cr_assert_eq(memcmp(lx->digest, ly->digest, 32), 0);
			cr_assert_eq(memcmp(lx->diff_id, ly->diff_id, 32), 0);
			cr_assert_eq(memcmp(&lx->framing, &ly->framing,
			    sizeof(lx->framing)), 0);
			cr_assert_eq(lx->nentries, ly->nentries);
			for (k = 0; k < lx->nentries; k++)
				same_entry(&lx->entries[k], &ly->entries[k]);
		}
	}
}

Test(record, round_trip_keeps_every_field)
{
	struct tu_oci_opts o = { .layer_comp = 1, .tag = "1.4.0" };
	struct tar_archive *a, *f = NULL;
	struct err e = { 0, "" };
	char img[256], fp[256];

	tu_oci(tu_tmp(img, sizeof(img), "img"), ents, NENTS, &o);
	a = record(img, tu_tmp(fp, sizeof(fp), "fp"));
	cr_assert_eq(tar_read(fp, NULL, &f, &e), 0, "%s", e.msg);
	cr_assert(tar_is_fingerprint(f));
	cr_assert_eq(tar_hash_kind(f), TAR_HASH_SHA256);
	same_archive(a, f);
	tar_free(a);
	tar_free(f);
	unlink(img);
	unlink(fp);
}

/* Version 3 keeps each image's package lists: read back, they are the
   image's; recorded without them, they are not known. */
Test(record, package_lists_read_back)
{
	static const char img[] = "corpus/packages/dpkg-sftp-u7.tar";
	struct tar_archive *a = NULL, *f = NULL;
	struct pkg_db **dbs, *got;
	struct err e = { 0, "" };
	char fp[256];
	FILE *out;

	cr_assert_eq(tar_read(img, &sha, &a, &e), 0, "%s", e.msg);
	dbs = diff_archive_packages(a);
	cr_assert_eq(pkg_db_count(dbs[0]), 3);
	out = fopen(tu_tmp(fp, sizeof(fp), "fp"), "wb");
	cr_assert_eq(tar_record(a, dbs, out, "test", &e), 0, "%s", e.msg);
	fclose(out);
	cr_assert_eq(tar_read(fp, NULL, &f, &e), 0, "%s", e.msg);
	cr_assert_not(tar_image(f, 0)->packages_unknown);
	got = diff_image_packages(tar_image(f, 0));
	cr_assert_eq(pkg_db_count(got), 3);
	cr_assert_str_eq(pkg_db_get(got, 2)->name, "openssh-sftp-server");
	cr_assert_str_eq(pkg_db_get(got, 2)->version, "1:9.2p1-2+deb12u7");
	cr_assert_eq(pkg_db_get(got, 2)->nfiles, pkg_db_get(dbs[0], 2)->nfiles);
	cr_assert_eq(pkg_db_owner(got, "usr/lib/openssh/sftp-server", NULL), 2);
	pkg_db_free(got);
	tar_free(f);
	f = NULL;

	/* Recorded without package lists. */
	out = fopen(fp, "wb");
	cr_assert_eq(tar_record(a, NULL, out, "test", &e), 0, "%s", e.msg);
	fclose(out);
	cr_assert_eq(tar_read(fp, NULL, &f, &e), 0, "%s", e.msg);
	cr_assert(tar_image(f, 0)->packages_unknown);
	cr_assert_null(diff_image_packages(tar_image(f, 0)));
	diff_archive_packages_free(dbs, tar_nimages(a));
	tar_free(a);
	tar_free(f);
	unlink(fp);
}

/* A fingerprint of format version 1, written before version 3, reads;
   its packages are not known. */
Test(record, version_1_reads)
{
	struct tar_archive *f = NULL;
	struct err e = { 0, "" };

	cr_assert_eq(tar_read("corpus/fingerprints/dpkg-sftp-u7.fp", NULL, &f,
	    &e), 0, "%s", e.msg);
	cr_assert(tar_is_fingerprint(f));
	cr_assert(tar_image(f, 0)->packages_unknown);
	cr_assert_null(tar_image(f, 0)->packages);
	cr_assert_null(diff_image_packages(tar_image(f, 0)));
	tar_free(f);
}

/* Found by fuzz_read: no entry names a user, so no string was written,
   and the reader wants at least one. */
Test(record, image_without_entries_reads_back)
{
	struct tar_archive *a, *f = NULL;
	struct err e = { 0, "" };
	struct tbuf layer;
	char img[256], fp[256];
	FILE *out;

	tu_layer(&layer, NULL, 0);
	out = fopen(tu_tmp(img, sizeof(img), "empty"), "wb");
	cr_assert_not_null(out);
	fwrite(layer.p, 1, layer.n, out);
	fclose(out);
	a = record(img, tu_tmp(fp, sizeof(fp), "fp"));
	cr_assert_eq(tar_read(fp, NULL, &f, &e), 0, "%s", e.msg);
	cr_assert_eq(tar_nimages(f), 1);
	cr_assert_eq(tar_image(f, 0)->nlayers, 1);
	cr_assert_eq(tar_image(f, 0)->layers[0].nentries, 0);
	cr_assert_eq(memcmp(tar_image(f, 0)->layers[0].diff_id,
	    tar_image(a, 0)->layers[0].diff_id, 32), 0);
	tar_free(a);
	tar_free(f);
	tbuf_free(&layer);
	unlink(img);
	unlink(fp);
}

/* Issue 11: what an index lists beside the images, and the image index
   digest, read back from the fingerprint as from the image. */
Test(record, listed_and_image_index_read_back)
{
	static const char *const inputs[] = { "signed", "partial-amd64" };
	struct tar_archive *a, *f;
	struct err e = { 0, "" };
	const struct tar_listed *x, *y;
	uint8_t da[32], df[32];
	char img[256], fp[256];
	size_t i, k;

	for (k = 0; k < 2; k++) {
		snprintf(img, sizeof(img), "%s/synthetic/%s.tar", CORPUS, inputs[k]);
		a = record(img, tu_tmp(fp, sizeof(fp), "fp"));
		f = NULL;
		cr_assert_eq(tar_read(fp, NULL, &f, &e), 0, "%s", e.msg);
		cr_assert_gt(tar_nlisted(a), 0, "%s", inputs[k]);
		cr_assert_eq(tar_nlisted(f), tar_nlisted(a), "%s", inputs[k]);
		for (i = 0; i < tar_nlisted(a); i++) {
			x = tar_listed(a, i);
			y = tar_listed(f, i);
			cr_assert_eq(x->kind, y->kind);
			cr_assert_eq(x->present, y->present);
			cr_assert_eq(memcmp(x->digest, y->digest, 32), 0);
			cr_assert_eq(x->has_index, y->has_index);
			cr_assert_eq(x->platform == NULL, y->platform == NULL);
			cr_assert_eq(x->subject == NULL, y->subject == NULL);
		}
		cr_assert_eq(tar_image_index_digest(a, da),
		    tar_image_index_digest(f, df));
		if (tar_image_index_digest(a, da))
			cr_assert_eq(memcmp(da, df, 32), 0);
		tar_free(a);
		tar_free(f);
		unlink(fp);
	}
}

Test(record, docker_archive_and_layout_directory)
{
	struct tu_oci_opts od = { .docker = true }, ol = { .as_dir = true };
	struct tar_archive *a, *f = NULL;
	struct err e = { 0, "" };
	char img[256], fp[256];
	const struct tu_oci_opts *opts[] = { &od, &ol };
	size_t i;

	for (i = 0; i < 2; i++) {
		tu_oci(tu_tmp(img, sizeof(img), "img"), ents, NENTS, opts[i]);
		a = record(img, tu_tmp(fp, sizeof(fp), "fp"));
		cr_assert_eq(tar_read(fp, NULL, &f, &e), 0, "%s", e.msg);
		same_archive(a, f);
		tar_free(a);
		tar_free(f);
		f = NULL;
		unlink(fp);
	}
	(void)!system("rm -rf build/tmp/t-*-img");
}

Test(record, entry_hashes_are_sha256_of_the_content)
{
	struct tu_oci_opts o = { 0 };
	struct tar_archive *a = NULL;
	struct err e = { 0, "" };
	const struct tar_layer *l;
	uint8_t want[32];
	char img[256];
	size_t i;

	tu_oci(tu_tmp(img, sizeof(img), "img"), ents, NENTS, &o);
	cr_assert_eq(tar_read(img, &sha, &a, &e), 0, "%s", e.msg);
	cr_assert_eq(tar_hash_kind(a), TAR_HASH_SHA256);
	l = &tar_image(a, 0)->layers[0];
	for (i = 0; i < l->nentries; i++) {
		const char *data = ents[i].data != NULL && ents[i].symlink == NULL &&
		    ents[i].hardlink == NULL ? ents[i].data : "";

		SHA256((const unsigned char *)data, strlen(data), want);
		cr_assert_eq(memcmp(l->entries[i].hash, want, 32), 0, "%s",
		    l->entries[i].path);
	}
	tar_free(a);
	unlink(img);
}

Test(record, image_against_its_fingerprint_is_same_digest)
{
	static const struct diff_opts d = { .require = DIFF_SAME_DIGEST };
	struct tu_oci_opts o = { 0 };
	struct tar_archive *a, *f = NULL;
	struct diff_result *r = NULL;
	struct err e = { 0, "" };
	char img[256], fp[256];

	tu_oci(tu_tmp(img, sizeof(img), "img"), ents, NENTS, &o);
	a = record(img, tu_tmp(fp, sizeof(fp), "fp"));
	cr_assert_eq(tar_read(fp, NULL, &f, &e), 0, "%s", e.msg);
	cr_assert_eq(diff_archives(a, "A", f, "B", &d, &r, &e), 0, "%s", e.msg);
	cr_assert_eq(r->verdict, DIFF_SAME_DIGEST);
	cr_assert_eq(r->nfindings, 0);
	cr_assert(r->fingerprint_b && !r->fingerprint_a);
	cr_assert(r->meets);
	diff_result_free(r);
	tar_free(a);
	tar_free(f);
	unlink(img);
	unlink(fp);
}

Test(record, content_drift_is_shown_by_sha256)
{
	static const struct diff_opts d = { .require = DIFF_SAME_DIGEST };
	struct tu_ent b[NENTS];
	struct tu_oci_opts o = { 0 };
	struct tar_archive *a = NULL, *f, *g = NULL;
	struct diff_result *r = NULL;
	struct err e = { 0, "" };
	char img[256], img2[256], fp[256];
	size_t i;

	memcpy(b, ents, sizeof(b));
	b[1].data = "port=9090\n";
	tu_oci(tu_tmp(img, sizeof(img), "img"), ents, NENTS, &o);
	tu_oci(tu_tmp(img2, sizeof(img2), "img2"), b, NENTS, &o);
	f = record(img2, tu_tmp(fp, sizeof(fp), "fp"));
	tar_free(f);
	cr_assert_eq(tar_read(img, &sha, &a, &e), 0, "%s", e.msg);
	cr_assert_eq(tar_read(fp, NULL, &g, &e), 0, "%s", e.msg);
	cr_assert_eq(diff_archives(a, "A", g, "B", &d, &r, &e), 0, "%s", e.msg);
	cr_assert_eq(diff_second_look(r, a, g, &d, &e), 0, "%s", e.msg);
	cr_assert_eq(r->verdict, DIFF_DIFFERENT);
	for (i = 0; i < r->nfindings; i++)
		if (strcmp(r->findings[i].field, "content") == 0) {
			cr_assert_eq(strncmp(r->findings[i].a, "sha256:", 7), 0);
			cr_assert_eq(strlen(r->findings[i].a), 71);
			cr_assert_eq(r->findings[i].offset, -1);
		}
	for (i = 0; i < r->nnotes && !strstr(r->notes[i], "B is a fingerprint");
	    i++)
		;
	cr_assert_lt(i, r->nnotes, "no note names the fingerprint");
	diff_result_free(r);
	tar_free(a);
	tar_free(g);
	unlink(img);
	unlink(img2);
	unlink(fp);
}

Test(record, needs_sha256_entries)
{
	struct tu_oci_opts o = { 0 };
	struct tar_archive *a = NULL, *b = NULL;
	struct diff_result *r = NULL;
	static const struct diff_opts d = { .require = DIFF_SAME_DIGEST };
	struct err e = { 0, "" };
	char img[256];
	FILE *fp = tmpfile();

	tu_oci(tu_tmp(img, sizeof(img), "img"), ents, NENTS, &o);
	cr_assert_eq(tar_read(img, NULL, &a, &e), 0, "%s", e.msg);
	cr_assert_eq(tar_record(a, NULL, fp, "test", &e), ERR_USAGE);
	err_clear(&e);
	/* Nor can diff compare XXH3 with SHA-256 entry hashes. */
	cr_assert_eq(tar_read(img, &sha, &b, &e), 0, "%s", e.msg);
	cr_assert_eq(diff_archives(a, "A", b, "B", &d, &r, &e), ERR_USAGE);
	cr_assert_null(r);
	cr_assert(strstr(e.msg, "xxh3"), "%s", e.msg);
	fclose(fp);
	tar_free(a);
	tar_free(b);
	unlink(img);
}

/* ---- broken fingerprints ---------------------------------------------------- */

struct fpfile {
	char img[256], fp[256];
	uint8_t *p;
	size_t n;
};

static void
make_fp(struct fpfile *x)
{
	struct tu_oci_opts o = { 0 };
	FILE *fp;
	long n;

	tu_oci(tu_tmp(x->img, sizeof(x->img), "img"), ents, NENTS, &o);
	tar_free(record(x->img, tu_tmp(x->fp, sizeof(x->fp), "fp")));
	fp = fopen(x->fp, "rb");
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	x->n = (size_t)n;
	x->p = malloc(x->n);
	cr_assert_eq(fread(x->p, 1, x->n, fp), x->n);
	fclose(fp);
}

/* Write n bytes of p as the fingerprint and read it: @return the code. */
static int
read_bytes(struct fpfile *x, const uint8_t *p, size_t n, struct err *e)
{
	struct tar_archive *ar = NULL;
	FILE *fp = fopen(x->fp, "wb");
	int r;

	fwrite(p, 1, n, fp);
	fclose(fp);
	r = tar_read(x->fp, NULL, &ar, e);
	tar_free(ar);
	return r;
}

static void
drop_fp(struct fpfile *x)
{
	free(x->p);
	unlink(x->img);
	unlink(x->fp);
}

Test(bad_fp, truncated_anywhere)
{
	struct fpfile x;
	struct err e;
	size_t cut;

	make_fp(&x);
	for (cut = 16; cut < x.n; cut += 7) {
		err_clear(&e);
		cr_assert_lt(read_bytes(&x, x.p, cut, &e), 0, "cut at %zu", cut);
		cr_assert(strstr(e.msg, "fingerprint"), "%s", e.msg);
	}
	drop_fp(&x);
}

/*
 * A flipped byte fails the read, or (in bits the zstd decoder ignores)
 * leaves the payload, and so what is read, unchanged.
 */
Test(bad_fp, every_flipped_byte)
{
	struct fpfile x;
	struct tar_archive *orig = NULL, *ar;
	struct err e;
	size_t i, read_ok = 0;
	FILE *fp;

	make_fp(&x);
	cr_assert_eq(tar_read(x.fp, NULL, &orig, &e), 0, "%s", e.msg);
	for (i = 0; i < x.n; i++) {
		x.p[i] ^= 0x20;
		fp = fopen(x.fp, "wb");
		fwrite(x.p, 1, x.n, fp);
		fclose(fp);
		err_clear(&e);
		ar = NULL;
		if (tar_read(x.fp, NULL, &ar, &e) == 0) {
			same_archive(orig, ar);
			read_ok++;
		}
		tar_free(ar);
		x.p[i] ^= 0x20;
	}
	cr_assert_lt(read_ok, x.n / 20, "%zu flipped bytes read", read_ok);
	tar_free(orig);
	drop_fp(&x);
}

Test(bad_fp, recompressed_payload_fails_the_sha256)
{
	struct fpfile x;
	struct err e = { 0, "" };
	uint8_t *plain, *out;
	unsigned long long n;
	size_t cap, m, i;
	ZSTD_CCtx *zc = ZSTD_createCCtx();

	make_fp(&x);
	n = ZSTD_getFrameContentSize(x.p + 16, x.n - 16);
	cr_assert_lt(n, 1u << 20);
	plain = malloc(n);
	cr_assert_eq(ZSTD_decompress(plain, n, x.p + 16, x.n - 16), n);
	for (i = 0; i + 8 < n && memcmp(plain + i, "app.conf", 8) != 0; i++)
		;
	cr_assert_lt(i + 8, n);
	plain[i] = 'A';		/* another path; the trailer does not know */
	ZSTD_CCtx_setParameter(zc, ZSTD_c_checksumFlag, 1);
	cap = 16 + ZSTD_compressBound(n);
	out = malloc(cap);
	memcpy(out, x.p, 16);
	m = ZSTD_compress2(zc, out + 16, cap - 16, plain, n);
	cr_assert(!ZSTD_isError(m));
	cr_assert_eq(read_bytes(&x, out, 16 + m, &e), ERR_DIGEST, "%s", e.msg);
	cr_assert(strstr(e.msg, "does not match its contents"), "%s", e.msg);
	ZSTD_freeCCtx(zc);
	free(plain);
	free(out);
	drop_fp(&x);
}

Test(bad_fp, unknown_version)
{
	struct fpfile x;
	struct err e = { 0, "" };

	make_fp(&x);
	x.p[12] = TAR_FP_VERSION + 1;
	cr_assert_eq(read_bytes(&x, x.p, x.n, &e), ERR_UNSUPPORTED);
	cr_assert(strstr(e.msg, "version 4 is not supported (this imgdrift reads "
	    "versions 1 to 3)"), "%s", e.msg);
	x.p[12] = 0;
	err_clear(&e);
	cr_assert_eq(read_bytes(&x, x.p, x.n, &e), ERR_UNSUPPORTED);
	cr_assert(strstr(e.msg, "version 0 is not supported"), "%s", e.msg);
	drop_fp(&x);
}

Test(bad_fp, data_after_the_end)
{
	struct fpfile x;
	struct err e = { 0, "" };
	uint8_t *p;

	make_fp(&x);
	p = malloc(2 * x.n);
	memcpy(p, x.p, x.n);
	memcpy(p + x.n, x.p + 16, x.n - 16);	/* a second zstd frame */
	cr_assert_eq(read_bytes(&x, p, 2 * x.n - 16, &e), ERR_FORMAT, "%s", e.msg);
	free(p);
	drop_fp(&x);
}

Test(sniff, only_fingerprints)
{
	struct fpfile x;

	make_fp(&x);
	cr_assert(tar_sniff_fingerprint(x.fp));
	cr_assert_not(tar_sniff_fingerprint(x.img));
	cr_assert_not(tar_sniff_fingerprint("-"));
	cr_assert_not(tar_sniff_fingerprint("build/tmp/no-such-file"));
	drop_fp(&x);
}

/* A FIFO is never opened to be sniffed: with no writer, open() would wait,
   and with one, the bytes read would be lost to the real read. */
Test(sniff, never_opens_a_fifo, .timeout = 10)
{
	char path[64];

	snprintf(path, sizeof(path), "build/tmp/sniff-fifo.%d", (int)getpid());
	mkdir("build/tmp", 0755);
	unlink(path);
	cr_assert_eq(mkfifo(path, 0600), 0);
	cr_assert_not(tar_sniff_fingerprint(path));
	cr_assert_not(tar_sniff_fingerprint("/dev/null"));
	unlink(path);
}
