/*
 * test_stream.c - one blob's pipeline (tar/stream.c), in one stage and in
 * two (BS_PIPE): the same bytes and digests, and every way it can end
 * early, with no thread left behind.
 */
#include <stdatomic.h>
#include <time.h>

#include <criterion/criterion.h>
#include <openssl/sha.h>

#include "tar/tar_int.h"
#include "tests/testutil.h"

/* Stored bytes read in small pieces, failing at fail_at (0: never). */
struct msrc {
	const uint8_t *p;
	size_t n, pos, fail_at;
	atomic_bool failed;
};

static ssize_t
msrc_read(void *ctx, void *buf, size_t len, struct err *e)
{
	struct msrc *s = ctx;

	if (s->fail_at != 0 && s->pos >= s->fail_at) {
		atomic_store(&s->failed, true);
		return err_set(e, ERR_IO, "read error: injected at %zu", s->pos);
	}
	if (len > 10000)
		len = 10000;	/* no read lines up with a block */
	if (len > s->n - s->pos)
		len = s->n - s->pos;
	if (s->fail_at != 0 && len > s->fail_at - s->pos)
		len = s->fail_at - s->pos;
	memcpy(buf, s->p + s->pos, len);
	s->pos += len;
	return (ssize_t)len;
}

/* A layer of three files, 3 MiB in all: the ring turns over many times. */
static void
big_layer(struct tbuf *t, uint8_t **data)
{
	static const size_t size = 3u << 20;
	struct tu_ent ents[3];
	uint32_t x = 2463534242u;
	size_t i;

	*data = malloc(size);
	for (i = 0; i < size; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		(*data)[i] = (uint8_t)x;
	}
	memset(ents, 0, sizeof(ents));
	for (i = 0; i < 3; i++) {
		ents[i].path = i == 0 ? "a" : i == 1 ? "b/c" : "d";
		ents[i].data = (const char *)*data + i * (size / 3);
		ents[i].len = size / 3 - i * 1000;
	}
	tu_layer(t, ents, 3);
}

struct got {
	struct tbuf out;	/* what tar_bs_read() gave */
	uint8_t raw[32], usha[32];
	uint64_t raw_len, out_len;
	struct tar_framing fr;
	int r;			/* the read's end: 0 or an error */
	struct err e;
};

/* Read blob (failing at fail_at) to its end through one or two stages. */
static void
read_all(const struct tbuf *blob, size_t fail_at, unsigned flags,
    struct got *g)
{
	struct msrc s = { blob->p, blob->n, 0, fail_at, false };
	struct bstream *bs = NULL;
	struct sbuf o = SBUF_INIT;
	const void *buf;
	ssize_t n;

	memset(g, 0, sizeof(*g));
	g->r = tar_bs_open(msrc_read, &s, flags, &bs, &g->e);
	cr_assert_eq(g->r, 0, "open: %s", g->e.msg);
	cr_assert_eq(tar_bs_content(bs), BLOB_TAR);
	while ((n = tar_bs_read(bs, &buf, &g->e)) > 0)
		sbuf_add(&o, buf, (size_t)n);
	g->r = (int)n;
	cr_assert_not(tar_bs_stop(bs), "an error the reader was given is "
	    "not one ahead of it");
	if (g->r == 0)
		tar_bs_result(bs, g->raw, &g->raw_len, g->usha, &g->out_len,
		    &g->fr);
	g->out.n = o.len;
	g->out.p = (uint8_t *)sbuf_detach(&o);
	tar_bs_free(bs);
}

static void
same_got(const struct got *x, const struct got *y)
{
	cr_assert_eq(x->r, y->r);
	cr_assert_str_eq(x->e.msg, y->e.msg);
	cr_assert_eq(x->out.n, y->out.n);
	cr_assert_eq(memcmp(x->out.p, y->out.p, x->out.n), 0);
	cr_assert_eq(memcmp(x->raw, y->raw, 32), 0);
	cr_assert_eq(memcmp(x->usha, y->usha, 32), 0);
	cr_assert_eq(x->raw_len, y->raw_len);
	cr_assert_eq(x->out_len, y->out_len);
	cr_assert_eq(memcmp(&x->fr, &y->fr, sizeof(x->fr)), 0);
}

static void
got_free(struct got *g)
{
	tbuf_free(&g->out);
}

static void
blobs(struct tbuf *tar, struct tbuf *gz, struct tbuf *zs)
{
	uint8_t *data;

	big_layer(tar, &data);
	free(data);
	tu_gzip(gz, tar);
	tu_zstd(zs, tar);
}

Test(pipe, gives_the_bytes_and_digests_of_one_stage)
{
	struct tbuf tar, gz, zs;
	const struct tbuf *in[3] = { &gz, &zs, &tar };
	struct got one, two;
	uint8_t d[32];
	size_t i;

	blobs(&tar, &gz, &zs);
	for (i = 0; i < 3; i++) {
		read_all(in[i], 0, 0, &one);
		read_all(in[i], 0, BS_PIPE, &two);
		cr_assert_eq(two.r, 0, "%s", two.e.msg);
		same_got(&one, &two);
		cr_assert_eq(two.out.n, tar.n);
		cr_assert_eq(memcmp(two.out.p, tar.p, tar.n), 0);
		SHA256(in[i]->p, in[i]->n, d);
		cr_assert_eq(memcmp(two.raw, d, 32), 0);
		cr_assert_eq(two.raw_len, in[i]->n);
		SHA256(tar.p, tar.n, d);
		cr_assert_eq(memcmp(two.usha, d, 32), 0);
		got_free(&one);
		got_free(&two);
	}
	tbuf_free(&tar);
	tbuf_free(&gz);
	tbuf_free(&zs);
}

/* A read error in stage one reaches the reader after the blocks before
   it, as the one stage gives it. */
Test(pipe, read_error_reaches_the_reader_in_order)
{
	struct tbuf tar, gz, zs;
	const struct tbuf *in[2] = { &gz, &zs };
	struct got one, two;
	size_t i;

	blobs(&tar, &gz, &zs);
	for (i = 0; i < 2; i++) {
		read_all(in[i], in[i]->n * 2 / 3, 0, &one);
		read_all(in[i], in[i]->n * 2 / 3, BS_PIPE, &two);
		cr_assert_eq(two.r, ERR_IO);
		cr_assert(strstr(two.e.msg, "injected") != NULL, "%s", two.e.msg);
		cr_assert_gt(two.out.n, 1u << 20, "the blocks before the error");
		same_got(&one, &two);
		got_free(&one);
		got_free(&two);
	}
	tbuf_free(&tar);
	tbuf_free(&gz);
	tbuf_free(&zs);
}

/* A truncated stream is a decoding error in stage one: the reader gets
   the one-stage message. */
Test(pipe, truncated_stream_is_the_one_stage_error)
{
	struct tbuf tar, gz, zs, cut;
	const struct tbuf *in[2] = { &gz, &zs };
	struct got one, two;
	size_t i;

	blobs(&tar, &gz, &zs);
	for (i = 0; i < 2; i++) {
		cut.p = in[i]->p;
		cut.n = in[i]->n / 2;
		read_all(&cut, 0, 0, &one);
		read_all(&cut, 0, BS_PIPE, &two);
		cr_assert_lt(two.r, 0);
		cr_assert(strstr(two.e.msg, "truncated") != NULL, "%s", two.e.msg);
		same_got(&one, &two);
		got_free(&one);
		got_free(&two);
	}
	tbuf_free(&tar);
	tbuf_free(&gz);
	tbuf_free(&zs);
}

/* The reader gives up after one block (as on a parse error): the
   inflater stops, and the stored bytes are still hashed to the end. */
Test(pipe, reader_stops_early_and_the_raw_digest_covers_all)
{
	struct tbuf tar, gz, zs;
	struct msrc s;
	struct bstream *bs = NULL;
	struct err e = { 0, "" };
	struct tar_framing fr;
	const void *buf;
	uint8_t raw[32], usha[32], d[32];
	uint64_t raw_len, out_len;

	blobs(&tar, &gz, &zs);
	memset(&s, 0, sizeof(s));
	s.p = gz.p;
	s.n = gz.n;
	cr_assert_eq(tar_bs_open(msrc_read, &s, BS_PIPE, &bs, &e), 0);
	cr_assert_gt(tar_bs_read(bs, &buf, &e), 0);
	cr_assert_gt(tar_bs_read(bs, &buf, &e), 0);
	cr_assert_not(tar_bs_stop(bs));
	cr_assert_eq(tar_bs_drain_raw(bs, &e), 0, "%s", e.msg);
	tar_bs_result(bs, raw, &raw_len, usha, &out_len, &fr);
	SHA256(gz.p, gz.n, d);
	cr_assert_eq(memcmp(raw, d, 32), 0);
	cr_assert_eq(raw_len, gz.n);
	tar_bs_free(bs);
	/* Freed without a stop or a drain, in the middle: no thread left. */
	memset(&s, 0, sizeof(s));
	s.p = zs.p;
	s.n = zs.n;
	cr_assert_eq(tar_bs_open(msrc_read, &s, BS_PIPE, &bs, &e), 0);
	cr_assert_gt(tar_bs_read(bs, &buf, &e), 0);
	tar_bs_free(bs);
	tbuf_free(&tar);
	tbuf_free(&gz);
	tbuf_free(&zs);
}

/* The inflater meets a read error while the reader is still on the first
   block, and the reader stops (a parse error): the drain gives that read
   error, as the one-stage drain meets it. */
Test(pipe, read_error_ahead_of_the_reader_is_the_drains)
{
	struct tbuf tar, gz, zs;
	struct msrc s;
	struct bstream *bs = NULL;
	struct err e = { 0, "" }, e1 = { 0, "" };
	const struct timespec ms = { 0, 1000000 };
	const void *buf;
	int i;

	blobs(&tar, &gz, &zs);
	memset(&s, 0, sizeof(s));
	s.p = gz.p;
	s.n = gz.n;
	/* The source gives 10000 bytes a read, and a block is what one read
	   inflates to: the open takes the first, the error is in the third,
	   within the ring's four. */
	s.fail_at = 30000;
	cr_assert_eq(tar_bs_open(msrc_read, &s, BS_PIPE, &bs, &e), 0);
	cr_assert_gt(tar_bs_read(bs, &buf, &e), 0);	/* the head */
	for (i = 0; i < 10000 && !atomic_load(&s.failed); i++)
		nanosleep(&ms, NULL);
	cr_assert(atomic_load(&s.failed), "the inflater never read on");
	cr_assert(tar_bs_stop(bs));
	cr_assert_eq(tar_bs_drain_raw(bs, &e), ERR_IO);
	tar_bs_free(bs);

	/* One stage: the same error, met by the drain. */
	memset(&s, 0, sizeof(s));
	s.p = gz.p;
	s.n = gz.n;
	s.fail_at = 30000;
	cr_assert_eq(tar_bs_open(msrc_read, &s, 0, &bs, &e1), 0);
	cr_assert_gt(tar_bs_read(bs, &buf, &e1), 0);
	cr_assert_not(tar_bs_stop(bs));
	cr_assert_eq(tar_bs_drain_raw(bs, &e1), ERR_IO);
	cr_assert_str_eq(e.msg, e1.msg);
	tar_bs_free(bs);
	tbuf_free(&tar);
	tbuf_free(&gz);
	tbuf_free(&zs);
}
