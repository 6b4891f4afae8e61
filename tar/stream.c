/*
 * stream.c - one blob's pipeline: SHA-256 of the stored bytes, sniff,
 * inflate (compress.c's table: ISA-L gzip, libzstd), SHA-256 of the
 * uncompressed bytes.  A compressed stream is read to its real end (every
 * member or frame, and padding), so the digests cover every byte.
 *
 * With BS_PIPE a compressed tar is read in two stages on two threads: a
 * second thread reads, hashes the stored bytes and inflates into a ring of
 * blocks; the reader takes the blocks, hashes them (the diff_id) and
 * parses them.  So one gzip layer uses two cores.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "tar/tar_int.h"

#define BS_INBUF	(64u << 10)
#define BS_OUTBUF	(256u << 10)
#define BS_HEAD		512
#define BS_RING		4	/* inflated blocks handed from stage to stage */

/* The hand-off between the inflating thread and the reader. */
struct bs_pipe {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;	/* a block filled, a block freed, or stop */
	uint8_t *buf[BS_RING];
	size_t len[BS_RING];
	size_t filled, taken;	/* blocks handed over and taken back, ever */
	bool held;		/* the reader holds block taken % BS_RING */
	bool end;		/* the inflater is done: at the end, or err */
	bool stop;		/* the reader wants no more */
	bool told;		/* the reader was given the inflater's error */
	int r;			/* the inflater's error code, or 0 */
	struct err e;
};

struct bstream {
	src_read_fn rd;
	src_skip_fn skip;	/* NULL: the source cannot seek */
	void *ctx;
	EVP_MD_CTX *raw_sha;
	EVP_MD_CTX *out_sha;	/* NULL when uncompressed: same as raw */
	uint64_t raw_len, out_len;
	struct tar_framing fr;
	enum blob_content content;

	uint8_t *in;		/* raw bytes */
	size_t in_pos, in_len;
	bool raw_eof;
	bool rd_failed;		/* rd gave an error */
	/* A read error the inflating thread met ahead of the reader, never
	   given to it: tar_bs_drain_raw() gives it (code 0: none). */
	struct err ahead;

	struct tar_dec *dec;	/* NULL when the bytes are stored as they are */
	bool dec_end;		/* the decoder saw the real end */

	uint8_t *out;
	uint8_t head[BS_HEAD];	/* first uncompressed bytes, for sniffing */
	uint8_t raw_head[BS_RAW_HEAD];	/* first stored bytes */
	size_t raw_head_len;
	size_t head_len;
	bool head_given;
	const uint8_t *rest;	/* the rest of the block the head came from */
	size_t rest_len;
	bool done;
	struct bs_pipe *pipe;	/* BS_PIPE, once the head is read */
};

/* Read more raw bytes into bs->in (which must be consumed), hashing them. */
static int
bs_fill(struct bstream *bs, struct err *e)
{
	ssize_t n;

	bs->in_pos = bs->in_len = 0;
	if (bs->raw_eof)
		return 0;
	n = bs->rd(bs->ctx, bs->in, BS_INBUF, e);
	if (n < 0) {
		bs->rd_failed = true;
		return (int)n;
	}
	if (n == 0) {
		bs->raw_eof = true;
		return 0;
	}
	bs->in_len = (size_t)n;
	bs->raw_len += (uint64_t)n;
	if (bs->raw_sha != NULL)
		EVP_DigestUpdate(bs->raw_sha, bs->in, (size_t)n);
	return 0;
}

/*
 * Produce the next block of uncompressed bytes through the decoder.
 * @return bytes in bs->out, 0 at the end, or a negative code.
 */
static ssize_t
next_decoded(struct bstream *bs, uint8_t *dst, struct err *e)
{
	struct tar_zout out = { dst, BS_OUTBUF, 0 };
	struct tar_zin in;
	int r;

	while (!bs->dec_end) {
		if (bs->in_pos == bs->in_len && !bs->raw_eof &&
		    (r = bs_fill(bs, e)) < 0)
			return r;
		in.src = bs->in;
		in.size = bs->in_len;
		in.pos = bs->in_pos;
		in.eof = bs->raw_eof;
		r = tar_dec_read(bs->dec, &in, &out, e);
		bs->in_pos = in.pos;
		if (r < 0)
			return r;
		bs->dec_end = r == 1;
		if (out.pos > 0)
			return (ssize_t)out.pos;
	}
	return 0;
}

/* Stage one, on its own thread: inflate into the ring until the end. */
static void *
pipe_worker(void *arg)
{
	struct bstream *bs = arg;
	struct bs_pipe *p = bs->pipe;
	struct err e = { 0, "" };
	ssize_t n;
	size_t slot;
	bool end;

	for (;;) {
		pthread_mutex_lock(&p->mu);
		while (!p->stop && p->filled - p->taken == BS_RING)
			pthread_cond_wait(&p->cv, &p->mu);
		slot = p->filled % BS_RING;
		end = p->stop;
		pthread_mutex_unlock(&p->mu);
		if (end)
			return NULL;
		n = next_decoded(bs, p->buf[slot], &e);
		pthread_mutex_lock(&p->mu);
		if (n > 0) {
			p->len[slot] = (size_t)n;
			p->filled++;
		} else {
			p->end = true;
			p->r = (int)n;
			if (n < 0)
				p->e = e;
		}
		end = p->end;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
		if (end)
			return NULL;
	}
}

/* Stage two takes the next block, giving back the one it held.  @return
   its length, 0 at the end, or the inflater's error. */
static ssize_t
pipe_take(struct bs_pipe *p, const void **buf, struct err *e)
{
	ssize_t n;

	pthread_mutex_lock(&p->mu);
	if (p->held) {
		p->taken++;
		p->held = false;
		pthread_cond_broadcast(&p->cv);
	}
	while (p->filled == p->taken && !p->end)
		pthread_cond_wait(&p->cv, &p->mu);
	if (p->filled > p->taken) {
		p->held = true;
		*buf = p->buf[p->taken % BS_RING];
		n = (ssize_t)p->len[p->taken % BS_RING];
	} else {
		n = p->r < 0 ? p->r : 0;	/* the end: 0, or the error */
		if (n < 0) {
			p->told = true;
			err_set(e, p->e.code, "%s", p->e.msg);
		}
	}
	pthread_mutex_unlock(&p->mu);
	return n;
}

/* Start stage one on a thread; without one, bs stays a single stage. */
static void
pipe_start(struct bstream *bs)
{
	struct bs_pipe *p = xcalloc(1, sizeof(*p));
	size_t i;

	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	for (i = 0; i < BS_RING; i++)
		p->buf[i] = xmalloc(BS_OUTBUF);
	bs->pipe = p;
	if (pthread_create(&p->th, NULL, pipe_worker, bs) == 0)
		return;
	bs->pipe = NULL;
	for (i = 0; i < BS_RING; i++)
		free(p->buf[i]);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	free(p);
}

bool
tar_bs_stop(struct bstream *bs)
{
	struct bs_pipe *p = bs->pipe;
	size_t i;

	if (p == NULL)
		return false;
	pthread_mutex_lock(&p->mu);
	p->stop = true;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->th, NULL);
	if (p->r < 0 && !p->told && bs->rd_failed)
		bs->ahead = p->e;
	for (i = 0; i < BS_RING; i++)
		free(p->buf[i]);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	free(p);
	bs->pipe = NULL;
	return bs->ahead.code != 0;
}

bool
tar_bs_piped(const struct bstream *bs)
{
	return bs->pipe != NULL;
}

/* The next block of output before the head was taken; no hashing of out. */
static ssize_t
next_block(struct bstream *bs, const void **buf, struct err *e)
{
	ssize_t n;
	int r;

	if (bs->pipe != NULL)
		n = pipe_take(bs->pipe, buf, e);
	else if (bs->dec != NULL) {
		n = next_decoded(bs, bs->out, e);
		*buf = bs->out;
	} else {
		/* Stored: hand out the raw block itself, no copy. */
		if (bs->in_pos == bs->in_len && (r = bs_fill(bs, e)) < 0)
			return r;
		n = (ssize_t)(bs->in_len - bs->in_pos);
		*buf = bs->in + bs->in_pos;
		bs->in_pos = bs->in_len;
	}
	if (n > 0) {
		bs->out_len += (uint64_t)n;
		if (bs->out_sha != NULL)
			EVP_DigestUpdate(bs->out_sha, *buf, (size_t)n);
	}
	return n;
}

static bool
tar_checksum_ok(const uint8_t *h)
{
	unsigned long sum = 0, want = 0;
	size_t i;
	int digits = 0;

	for (i = 0; i < 512; i++)
		sum += (i >= 148 && i < 156) ? ' ' : h[i];
	for (i = 148; i < 156 && (h[i] == ' ' || h[i] == 0); i++)
		;
	for (; i < 156 && h[i] >= '0' && h[i] <= '7'; i++, digits++)
		want = want * 8 + (unsigned long)(h[i] - '0');
	return digits > 0 && sum == want;
}

static enum blob_content
sniff(const uint8_t *h, size_t n)
{
	size_t i;

	if (n == 0)
		return BLOB_EMPTY;
	/* A tar header first: a layer whose first entry is "node_modules/"
	   or "nix/" starts with the letter JSON's null does. */
	if (n >= 512) {
		if (tar_checksum_ok(h))
			return BLOB_TAR;
		for (i = 0; i < 512 && h[i] == 0; i++)
			;
		if (i == 512)
			return BLOB_TAR;	/* an empty archive: two zero blocks */
	}
	for (i = 0; i < n && (h[i] == ' ' || h[i] == '\n' || h[i] == '\r' ||
	    h[i] == '\t'); i++)
		;
	if (i < n && (h[i] == '{' || h[i] == '[' || h[i] == 'n'))
		return BLOB_JSON;
	return BLOB_DATA;
}

static EVP_MD_CTX *
sha256_new(void)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();

	if (c == NULL || !EVP_DigestInit_ex(c, EVP_sha256(), NULL))
		xalloc_die();
	return c;
}

/* Enough raw bytes to tell the compression (a gzip header is 10). */
static int
bs_head_raw(struct bstream *bs, struct err *e)
{
	uint8_t tmp[16];
	ssize_t n;
	int r;

	if ((r = bs_fill(bs, e)) < 0)
		return r;
	while (bs->in_len < 16 && !bs->raw_eof) {
		n = bs->rd(bs->ctx, tmp, 16 - bs->in_len, e);
		if (n < 0)
			return (int)n;
		if (n == 0) {
			bs->raw_eof = true;
			break;
		}
		memcpy(bs->in + bs->in_len, tmp, (size_t)n);
		if (bs->raw_sha != NULL)
			EVP_DigestUpdate(bs->raw_sha, tmp, (size_t)n);
		bs->in_len += (size_t)n;
		bs->raw_len += (uint64_t)n;
	}
	bs->raw_head_len = bs->in_len < BS_RAW_HEAD ? bs->in_len : BS_RAW_HEAD;
	memcpy(bs->raw_head, bs->in, bs->raw_head_len);
	return 0;
}

/* Peek at the first uncompressed bytes, keeping the rest of their block. */
static int
bs_head(struct bstream *bs, struct err *e)
{
	const void *blk;
	ssize_t n;
	size_t take;

	while (bs->head_len < BS_HEAD) {
		n = next_block(bs, &blk, e);
		if (n < 0)
			return (int)n;
		if (n == 0) {
			bs->done = true;
			break;
		}
		take = BS_HEAD - bs->head_len;
		if (take > (size_t)n)
			take = (size_t)n;
		memcpy(bs->head + bs->head_len, blk, take);
		bs->head_len += take;
		bs->rest = (const uint8_t *)blk + take;
		bs->rest_len = (size_t)n - take;
	}
	return 0;
}

int
tar_bs_open(src_read_fn rd, void *ctx, unsigned flags, struct bstream **out,
    struct err *e)
{
	struct bstream *bs;
	enum tar_comp comp;
	int r;

	bs = xcalloc(1, sizeof(*bs));
	bs->rd = rd;
	bs->ctx = ctx;
	bs->in = xmalloc(BS_INBUF);
	if (!(flags & BS_NO_DIGEST))
		bs->raw_sha = sha256_new();
	*out = bs;
	if ((r = bs_head_raw(bs, e)) < 0)
		goto fail;
	comp = tar_comp_sniff(bs->in, bs->in_len);
	if (comp != TAR_COMP_NONE) {
		bs->dec = tar_dec_new(comp, bs->in, bs->in_len, &bs->fr);
		bs->out = xmalloc(BS_OUTBUF);
		if (!(flags & BS_NO_DIFFID))
			bs->out_sha = sha256_new();
	}
	if ((r = bs_head(bs, e)) < 0)
		goto fail;
	bs->content = sniff(bs->head, bs->head_len);
	if ((flags & BS_PIPE) && bs->dec != NULL && bs->content == BLOB_TAR &&
	    !bs->done)
		pipe_start(bs);
	return 0;
 fail:
	/* The caller may still want the raw digest (tar_bs_drain_raw()). */
	bs->content = BLOB_DATA;
	return r;
}

void
tar_bs_free(struct bstream *bs)
{
	if (bs == NULL)
		return;
	tar_bs_stop(bs);
	EVP_MD_CTX_free(bs->raw_sha);
	EVP_MD_CTX_free(bs->out_sha);
	tar_dec_free(bs->dec);
	free(bs->in);
	free(bs->out);
	free(bs);
}

size_t
tar_bs_raw_head(const struct bstream *bs, const uint8_t **p)
{
	*p = bs->raw_head;
	return bs->raw_head_len;
}

enum blob_content
tar_bs_content(const struct bstream *bs)
{
	return bs->content;
}

ssize_t
tar_bs_read(struct bstream *bs, const void **buf, struct err *e)
{
	ssize_t n;

	if (!bs->head_given) {
		bs->head_given = true;
		if (bs->head_len > 0) {
			*buf = bs->head;
			return (ssize_t)bs->head_len;
		}
	}
	if (bs->rest_len > 0) {
		*buf = bs->rest;
		n = (ssize_t)bs->rest_len;
		bs->rest_len = 0;
		return n;
	}
	if (bs->done)
		return 0;
	n = next_block(bs, buf, e);
	if (n == 0)
		bs->done = true;
	return n;
}

int
tar_bs_drain(struct bstream *bs, struct err *e)
{
	const void *buf;
	ssize_t n;

	while ((n = tar_bs_read(bs, &buf, e)) > 0)
		;
	return (int)n;
}

void
tar_bs_result(struct bstream *bs, uint8_t raw[32], uint64_t *raw_len,
    uint8_t out[32], uint64_t *out_len, struct tar_framing *fr)
{
	unsigned int len = 32;

	tar_bs_stop(bs);
	memset(raw, 0, 32);
	if (bs->raw_sha != NULL)
		EVP_DigestFinal_ex(bs->raw_sha, raw, &len);
	*raw_len = bs->raw_len;
	if (bs->out_sha != NULL)
		EVP_DigestFinal_ex(bs->out_sha, out, &len);
	else if (bs->fr.comp == TAR_COMP_NONE)
		memcpy(out, raw, 32);
	else
		memset(out, 0, 32);
	*out_len = bs->out_len;
	*fr = bs->fr;
}

int
tar_bs_drain_raw(struct bstream *bs, struct err *e)
{
	int r;

	tar_bs_stop(bs);
	if (bs->ahead.code != 0)
		return err_set(e, bs->ahead.code, "%s", bs->ahead.msg);
	bs->in_pos = bs->in_len;
	while (!bs->raw_eof)
		if ((r = bs_fill(bs, e)) < 0)
			return r;
	return 0;
}

void
tar_bs_set_skip(struct bstream *bs, src_skip_fn skip)
{
	bs->skip = skip;
}

int64_t
tar_bs_skip(struct bstream *bs, int64_t want)
{
	int64_t done = 0, take;

	/* Only stored bytes can be skipped by seeking, and only after the
	   head (which libarchive has always read by then). */
	if (bs->skip == NULL || bs->fr.comp != TAR_COMP_NONE || !bs->head_given)
		return 0;
	take = (int64_t)bs->rest_len < want ? (int64_t)bs->rest_len : want;
	bs->rest += take;
	bs->rest_len -= (size_t)take;
	done += take;
	take = (int64_t)(bs->in_len - bs->in_pos);
	if (take > want - done)
		take = want - done;
	bs->in_pos += (size_t)take;
	done += take;
	if (want > done && bs->skip(bs->ctx, want - done) == 0)
		done = want;
	return done;
}
