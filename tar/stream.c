/*
 * stream.c - one blob's pipeline: SHA-256 of the stored bytes, sniff,
 * inflate (ISA-L gzip, libzstd), SHA-256 of the uncompressed bytes.
 *
 * gzip streams may hold many members (eStargz) and trailing zero padding;
 * zstd streams may hold skippable frames (zstd:chunked).  Both are read to
 * their real end, so the digests cover every byte.
 */
#include <stdlib.h>
#include <string.h>

#include <isa-l/igzip_lib.h>
#include <openssl/evp.h>
#include <zstd.h>

#include "tar/tar_int.h"
#include "util/util.h"

#define BS_INBUF	(64u << 10)
#define BS_OUTBUF	(256u << 10)
#define BS_HEAD		512

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

	struct inflate_state *gz;
	bool gz_between;	/* a member ended; padding or a new one follows */
	ZSTD_DStream *zs;
	size_t zs_last;		/* last ZSTD_decompressStream() hint */

	uint8_t *out;
	uint8_t head[BS_HEAD];	/* first uncompressed bytes, for sniffing */
	uint8_t raw_head[BS_RAW_HEAD];	/* first stored bytes */
	size_t raw_head_len;
	size_t head_len;
	bool head_given;
	const uint8_t *rest;	/* the rest of the block the head came from */
	size_t rest_len;
	bool done;
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
	if (n < 0)
		return (int)n;
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

static void
parse_gzip_header(struct tar_framing *fr, const uint8_t *p, size_t n)
{
	size_t i = 10, j = 0;

	if (n < 10)
		return;
	fr->gz_flags = p[3];
	fr->gz_mtime = get_le32(p + 4);
	fr->gz_xfl = p[8];
	fr->gz_os = p[9];
	if (fr->gz_flags & 0x04) {		/* FEXTRA */
		if (n < 12)
			return;
		i = 12 + (size_t)get_le16(p + 10);
	}
	if (fr->gz_flags & 0x08) {		/* FNAME */
		for (; i < n && p[i] != 0 && j < sizeof(fr->gz_name) - 1; i++)
			fr->gz_name[j++] = (char)p[i];
		fr->gz_name[j] = '\0';
	}
}

static void
gz_start_member(struct bstream *bs)
{
	isal_inflate_reset(bs->gz);
	bs->gz->crc_flag = ISAL_GZIP;
	bs->fr.gz_members++;
}

/*
 * Produce the next block of uncompressed bytes from gzip input.
 * @return bytes in bs->out, 0 at the end, or a negative code.
 */
static ssize_t
next_gzip(struct bstream *bs, struct err *e)
{
	struct inflate_state *st = bs->gz;
	size_t produced;
	int r;

	for (;;) {
		if (bs->gz_between) {
			/* After a member: zero padding, a new member, or the end. */
			while (bs->in_pos < bs->in_len && bs->in[bs->in_pos] == 0) {
				bs->in_pos++;
				bs->fr.gz_padding++;
			}
			if (bs->in_pos == bs->in_len) {
				if (bs->raw_eof)
					return 0;
				if ((r = bs_fill(bs, e)) < 0)
					return r;
				continue;
			}
			if (bs->fr.gz_padding != 0)
				return err_set(e, ERR_FORMAT,
				    "data after zero padding at the end of a gzip stream");
			bs->gz_between = false;
			gz_start_member(bs);
			st->next_in = bs->in + bs->in_pos;
			st->avail_in = (uint32_t)(bs->in_len - bs->in_pos);
		}
		if (st->avail_in == 0 && !bs->raw_eof) {
			if ((r = bs_fill(bs, e)) < 0)
				return r;
			st->next_in = bs->in;
			st->avail_in = (uint32_t)bs->in_len;
		}
		st->next_out = bs->out;
		st->avail_out = BS_OUTBUF;
		r = isal_inflate(st);
		if (r == ISAL_INCORRECT_CHECKSUM)
			return err_set(e, ERR_FORMAT,
			    "gzip member %u: CRC or length in its trailer does not match",
			    bs->fr.gz_members);
		if (r < 0)
			return err_set(e, ERR_FORMAT, "corrupt gzip data (member %u)",
			    bs->fr.gz_members);
		produced = BS_OUTBUF - st->avail_out;
		if (st->block_state == ISAL_BLOCK_FINISH) {
			bs->gz_between = true;
			bs->in_pos = (size_t)(st->next_in - bs->in);
		} else if (produced == 0 && st->avail_in == 0 && bs->raw_eof)
			return err_set(e, ERR_FORMAT,
			    "truncated gzip stream (member %u)", bs->fr.gz_members);
		if (produced > 0)
			return (ssize_t)produced;
	}
}

static ssize_t
next_zstd(struct bstream *bs, struct err *e)
{
	ZSTD_inBuffer in;
	ZSTD_outBuffer out;
	size_t r;
	int rc;

	for (;;) {
		if (bs->in_pos == bs->in_len) {
			if (bs->raw_eof) {
				if (bs->zs_last != 0)
					return err_set(e, ERR_FORMAT,
					    "truncated zstd stream");
				return 0;
			}
			if ((rc = bs_fill(bs, e)) < 0)
				return rc;
			continue;
		}
		in.src = bs->in;
		in.size = bs->in_len;
		in.pos = bs->in_pos;
		out.dst = bs->out;
		out.size = BS_OUTBUF;
		out.pos = 0;
		r = ZSTD_decompressStream(bs->zs, &out, &in);
		if (ZSTD_isError(r))
			return err_set(e, ERR_FORMAT, "corrupt zstd data: %s",
			    ZSTD_getErrorName(r));
		bs->in_pos = in.pos;
		bs->zs_last = r;
		if (r == 0)
			bs->fr.zs_frames++;
		if (out.pos > 0)
			return (ssize_t)out.pos;
	}
}

/* The next block of output before the head was taken; no hashing of out. */
static ssize_t
next_block(struct bstream *bs, const void **buf, struct err *e)
{
	ssize_t n;
	int r;

	switch (bs->fr.comp) {
	case TAR_COMP_GZIP:
		n = next_gzip(bs, e);
		*buf = bs->out;
		break;
	case TAR_COMP_ZSTD:
		n = next_zstd(bs, e);
		*buf = bs->out;
		break;
	default:
		if (bs->in_pos == bs->in_len && (r = bs_fill(bs, e)) < 0)
			return r;
		n = (ssize_t)(bs->in_len - bs->in_pos);
		*buf = bs->in + bs->in_pos;
		bs->in_pos = bs->in_len;
		break;
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
	for (i = 0; i < n && (h[i] == ' ' || h[i] == '\n' || h[i] == '\r' ||
	    h[i] == '\t'); i++)
		;
	if (i < n && (h[i] == '{' || h[i] == '[' || h[i] == 'n'))
		return BLOB_JSON;
	if (n >= 512) {
		if (tar_checksum_ok(h))
			return BLOB_TAR;
		for (i = 0; i < 512 && h[i] == 0; i++)
			;
		if (i == 512)
			return BLOB_TAR;	/* an empty archive: two zero blocks */
	}
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

int
bs_open(src_read_fn rd, void *ctx, unsigned flags, struct bstream **out,
    struct err *e)
{
	struct bstream *bs;
	const void *blk;
	ssize_t n;
	size_t take;
	int r;

	bs = xcalloc(1, sizeof(*bs));
	bs->rd = rd;
	bs->ctx = ctx;
	bs->in = xmalloc(BS_INBUF);
	if (!(flags & BS_NO_DIGEST))
		bs->raw_sha = sha256_new();
	/* Enough raw bytes to tell the compression (a gzip header is 10). */
	if ((r = bs_fill(bs, e)) < 0)
		goto fail;
	while (bs->in_len < 16 && !bs->raw_eof) {
		uint8_t tmp[16];

		n = bs->rd(bs->ctx, tmp, 16 - bs->in_len, e);
		if (n < 0) {
			r = (int)n;
			goto fail;
		}
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
	if (bs->in_len >= 3 && bs->in[0] == 0x1f && bs->in[1] == 0x8b &&
	    bs->in[2] == 8) {
		bs->fr.comp = TAR_COMP_GZIP;
		parse_gzip_header(&bs->fr, bs->in, bs->in_len);
		bs->gz = xmalloc(sizeof(*bs->gz));
		isal_inflate_init(bs->gz);
		gz_start_member(bs);
		bs->gz->next_in = bs->in;
		bs->gz->avail_in = (uint32_t)bs->in_len;
	} else if (bs->in_len >= 4 &&
	    ((bs->in[0] == 0x28 && bs->in[1] == 0xb5 && bs->in[2] == 0x2f &&
	    bs->in[3] == 0xfd) ||
	    ((bs->in[0] & 0xf0) == 0x50 && bs->in[1] == 0x2a && bs->in[2] == 0x4d &&
	    bs->in[3] == 0x18))) {
		bs->fr.comp = TAR_COMP_ZSTD;
		if (bs->in[0] == 0x28 && bs->in_len > 4)
			bs->fr.zs_fhd = bs->in[4];
		bs->zs = ZSTD_createDStream();
		if (bs->zs == NULL)
			xalloc_die();
		ZSTD_initDStream(bs->zs);
		bs->zs_last = 1;
	}
	if (bs->fr.comp != TAR_COMP_NONE) {
		bs->out = xmalloc(BS_OUTBUF);
		if (!(flags & BS_NO_DIFFID))
			bs->out_sha = sha256_new();
	}
	/* Peek at the first uncompressed bytes. */
	while (bs->head_len < BS_HEAD) {
		n = next_block(bs, &blk, e);
		if (n < 0) {
			r = (int)n;
			goto fail;
		}
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
	bs->content = sniff(bs->head, bs->head_len);
	*out = bs;
	return 0;
 fail:
	/* The caller may still want the raw digest (bs_drain_raw()). */
	bs->content = BLOB_DATA;
	*out = bs;
	return r;
}

void
bs_free(struct bstream *bs)
{
	if (bs == NULL)
		return;
	EVP_MD_CTX_free(bs->raw_sha);
	EVP_MD_CTX_free(bs->out_sha);
	free(bs->gz);
	ZSTD_freeDStream(bs->zs);
	free(bs->in);
	free(bs->out);
	free(bs);
}

size_t
bs_raw_head(const struct bstream *bs, const uint8_t **p)
{
	*p = bs->raw_head;
	return bs->raw_head_len;
}

enum blob_content
bs_content(const struct bstream *bs)
{
	return bs->content;
}

ssize_t
bs_read(struct bstream *bs, const void **buf, struct err *e)
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
bs_drain(struct bstream *bs, struct err *e)
{
	const void *buf;
	ssize_t n;

	while ((n = bs_read(bs, &buf, e)) > 0)
		;
	return (int)n;
}

void
bs_result(struct bstream *bs, uint8_t raw[32], uint64_t *raw_len,
    uint8_t out[32], uint64_t *out_len, struct tar_framing *fr)
{
	unsigned int len = 32;

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
bs_drain_raw(struct bstream *bs, struct err *e)
{
	int r;

	bs->in_pos = bs->in_len;
	while (!bs->raw_eof)
		if ((r = bs_fill(bs, e)) < 0)
			return r;
	return 0;
}

void
bs_set_skip(struct bstream *bs, src_skip_fn skip)
{
	bs->skip = skip;
}

int64_t
bs_skip(struct bstream *bs, int64_t want)
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
