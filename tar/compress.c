/*
 * compress.c - the compressions a blob or a file may carry, as one table:
 * a row names it, tells it from its first bytes, and decodes it.  The
 * layer reader (stream.c) and the content provers (diff/causes.c) both
 * decode through it, so a new compression is its own functions plus one
 * row.
 *
 * gzip: ISA-L, every member to the real end and the zero padding after the
 * last one (eStargz writes many members).  zstd: libzstd, every frame,
 * skippable ones too (zstd:chunked).  xz: liblzma, concatenated streams and
 * their padding, as xz(1) reads them.  bzip2: libbz2, concatenated streams
 * (pbzip2 writes many).
 */
#include <stdlib.h>
#include <string.h>

#include <bzlib.h>
#include <isa-l/igzip_lib.h>
#include <lzma.h>
#include <zstd.h>
#include <zstd_errors.h>

#include "tar/tar_int.h"
#include "util/util.h"

#define GZ_FEXTRA	0x04
#define GZ_FNAME	0x08
#define GZ_FCOMMENT	0x10
#define GZ_FHCRC	0x02

struct tar_dec {
	enum tar_comp comp;
	struct tar_framing *fr;		/* borrowed: counts members, frames */
	struct tar_framing own;		/* when the caller keeps none */
	struct inflate_state *gz;
	bool gz_between;	/* a member ended; padding or a new one follows */
	ZSTD_DStream *zs;
	size_t zs_last;		/* last ZSTD_decompressStream() hint */
	lzma_stream *xz;
	bz_stream *bz;
	bool bz_between;	/* a bzip2 stream ended; another may follow */
};

/* ---- gzip ----------------------------------------------------------------- */

static bool
gz_sniff(const uint8_t *p, size_t n)
{
	return n >= 3 && p[0] == 0x1f && p[1] == 0x8b && p[2] == 8;
}

size_t
tar_gzip_header(const uint8_t *p, size_t n, struct tar_framing *fr)
{
	size_t i = 10, j = 0;
	uint8_t flg;

	if (n < 10 || !gz_sniff(p, n))
		return 0;
	flg = p[3];
	if (fr != NULL) {
		fr->gz_flags = flg;
		fr->gz_mtime = get_le32(p + 4);
		fr->gz_xfl = p[8];
		fr->gz_os = p[9];
	}
	if (flg & GZ_FEXTRA) {
		if (n < 12)
			return 0;
		i = 12 + (size_t)get_le16(p + 10);
	}
	if (flg & GZ_FNAME) {
		for (; i < n && p[i] != 0; i++)
			if (fr != NULL && j < sizeof(fr->gz_name) - 1)
				fr->gz_name[j++] = (char)p[i];
		if (fr != NULL)
			fr->gz_name[j] = '\0';
		i++;
	}
	if (flg & GZ_FCOMMENT) {
		while (i < n && p[i] != 0)
			i++;
		i++;
	}
	if (flg & GZ_FHCRC)
		i += 2;
	return i < n ? i : 0;
}

static void
gz_start_member(struct tar_dec *d)
{
	isal_inflate_reset(d->gz);
	d->gz->crc_flag = ISAL_GZIP;
	d->fr->gz_members++;
}

static void
gz_open(struct tar_dec *d, const uint8_t *head, size_t n)
{
	(void)tar_gzip_header(head, n, d->fr);
	d->gz = xmalloc(sizeof(*d->gz));
	isal_inflate_init(d->gz);
	gz_start_member(d);
}

/* After a member: zero padding, a new member, or the end.
   @return 1 at the end, 0 for more input or a new member, or an error. */
static int
gz_between(struct tar_dec *d, struct tar_zin *in, struct err *e)
{
	while (in->pos < in->size && in->src[in->pos] == 0) {
		in->pos++;
		d->fr->gz_padding++;
	}
	if (in->pos == in->size)
		return in->eof ? 1 : 0;
	if (d->fr->gz_padding != 0)
		return err_set(e, ERR_FORMAT,
		    "data after zero padding at the end of a gzip stream");
	d->gz_between = false;
	gz_start_member(d);
	return 0;
}

static int
gz_read(struct tar_dec *d, struct tar_zin *in, struct tar_zout *out,
    struct err *e)
{
	struct inflate_state *st = d->gz;
	size_t room;
	int r;

	for (;;) {
		if (d->gz_between) {
			if ((r = gz_between(d, in, e)) != 0)
				return r;
			if (d->gz_between)
				return 0;	/* padding so far: more input */
		}
		if ((in->pos == in->size && !in->eof) || out->pos == out->size)
			return 0;
		room = out->size - out->pos;
		st->next_in = (uint8_t *)(uintptr_t)(in->src + in->pos);
		st->avail_in = (uint32_t)(in->size - in->pos);
		st->next_out = out->dst + out->pos;
		st->avail_out = (uint32_t)room;
		r = isal_inflate(st);
		in->pos = (size_t)(st->next_in - in->src);
		out->pos += room - st->avail_out;
		if (r == ISAL_INCORRECT_CHECKSUM)
			return err_set(e, ERR_FORMAT,
			    "gzip member %u: CRC or length in its trailer does not match",
			    d->fr->gz_members);
		if (r < 0)
			return err_set(e, ERR_FORMAT, "corrupt gzip data (member %u)",
			    d->fr->gz_members);
		if (st->block_state == ISAL_BLOCK_FINISH)
			d->gz_between = true;
		else if (room == st->avail_out && in->pos == in->size && in->eof)
			return err_set(e, ERR_FORMAT,
			    "truncated gzip stream (member %u)", d->fr->gz_members);
	}
}

static void
gz_close(struct tar_dec *d)
{
	free(d->gz);
}

/* ---- zstd ----------------------------------------------------------------- */

static bool
zs_sniff(const uint8_t *p, size_t n)
{
	return n >= 4 && ((p[0] == 0x28 && p[1] == 0xb5 && p[2] == 0x2f &&
	    p[3] == 0xfd) || ((p[0] & 0xf0) == 0x50 && p[1] == 0x2a &&
	    p[2] == 0x4d && p[3] == 0x18));
}

static void
zs_open(struct tar_dec *d, const uint8_t *head, size_t n)
{
	if (head[0] == 0x28 && n > 4)
		d->fr->zs_fhd = head[4];
	d->zs = ZSTD_createDStream();
	if (d->zs == NULL)
		xalloc_die();
	ZSTD_initDStream(d->zs);
	ZSTD_DCtx_setParameter(d->zs, ZSTD_d_windowLogMax, TAR_ZSTD_WINDOW_LOG_MAX);
	d->zs_last = 1;
}

static int
zs_error(size_t r, struct err *e)
{
	if (ZSTD_getErrorCode(r) == ZSTD_error_frameParameter_windowTooLarge)
		return err_set(e, ERR_LIMIT, "zstd frame window over the decoder "
		    "limit of %u MiB (window log %d)",
		    1u << (TAR_ZSTD_WINDOW_LOG_MAX - 20), TAR_ZSTD_WINDOW_LOG_MAX);
	return err_set(e, ERR_FORMAT, "corrupt zstd data: %s",
	    ZSTD_getErrorName(r));
}

static int
zs_read(struct tar_dec *d, struct tar_zin *in, struct tar_zout *out,
    struct err *e)
{
	ZSTD_inBuffer zi;
	ZSTD_outBuffer zo;
	size_t r;

	for (;;) {
		if (in->pos == in->size) {
			if (!in->eof)
				return 0;
			if (d->zs_last != 0)
				return err_set(e, ERR_FORMAT, "truncated zstd stream");
			return 1;
		}
		if (out->pos == out->size)
			return 0;
		zi.src = in->src;
		zi.size = in->size;
		zi.pos = in->pos;
		zo.dst = out->dst;
		zo.size = out->size;
		zo.pos = out->pos;
		r = ZSTD_decompressStream(d->zs, &zo, &zi);
		if (ZSTD_isError(r))
			return zs_error(r, e);
		in->pos = zi.pos;
		out->pos = zo.pos;
		d->zs_last = r;
		if (r == 0)
			d->fr->zs_frames++;
	}
}

static void
zs_close(struct tar_dec *d)
{
	ZSTD_freeDStream(d->zs);
}

/* ---- xz ------------------------------------------------------------------- */

static bool
xz_sniff(const uint8_t *p, size_t n)
{
	return n >= 6 && memcmp(p, "\xfd" "7zXZ\0", 6) == 0;
}

static void
xz_open(struct tar_dec *d, const uint8_t *head, size_t n)
{
	static const lzma_stream init = LZMA_STREAM_INIT;

	(void)head;
	(void)n;
	d->xz = xmalloc(sizeof(*d->xz));
	*d->xz = init;
	/* Fails only without memory: xz_read() reports it. */
	if (lzma_stream_decoder(d->xz, TAR_XZ_MEMLIMIT, LZMA_CONCATENATED) !=
	    LZMA_OK) {
		free(d->xz);
		d->xz = NULL;
	}
}

static int
xz_error(lzma_ret r, struct err *e)
{
	switch (r) {
	case LZMA_MEMLIMIT_ERROR:
		return err_set(e, ERR_LIMIT, "xz stream needs more than the decoder "
		    "limit of %u MiB", TAR_XZ_MEMLIMIT >> 20);
	case LZMA_DATA_ERROR:
	case LZMA_BUF_ERROR:
		return err_set(e, ERR_FORMAT, "corrupt or truncated xz data");
	case LZMA_FORMAT_ERROR:
	case LZMA_OPTIONS_ERROR:
		return err_set(e, ERR_FORMAT, "not an xz stream liblzma reads");
	default:
		return err_set(e, ERR_FORMAT, "xz decoder error %d", (int)r);
	}
}

static int
xz_read(struct tar_dec *d, struct tar_zin *in, struct tar_zout *out,
    struct err *e)
{
	lzma_stream *st = d->xz;
	lzma_ret r;

	if (st == NULL)
		return err_set(e, ERR_INTERNAL, "cannot start the xz decoder");
	for (;;) {
		if ((in->pos == in->size && !in->eof) || out->pos == out->size)
			return 0;
		st->next_in = in->src + in->pos;
		st->avail_in = in->size - in->pos;
		st->next_out = out->dst + out->pos;
		st->avail_out = out->size - out->pos;
		/* The checks of every block and stream (CRC, SHA-256) hold. */
		r = lzma_code(st, in->pos == in->size && in->eof ? LZMA_FINISH :
		    LZMA_RUN);
		in->pos = (size_t)(st->next_in - in->src);
		out->pos = (size_t)(st->next_out - out->dst);
		if (r == LZMA_STREAM_END)
			return 1;
		if (r != LZMA_OK)
			return xz_error(r, e);
	}
}

static void
xz_close(struct tar_dec *d)
{
	if (d->xz != NULL)
		lzma_end(d->xz);
	free(d->xz);
}

/* ---- bzip2 ------------------------------------------------------------------ */

/* "BZh", the block size, then a block's magic (the digits of pi) or the
   end of stream's (of sqrt(pi)): ten bytes, so that a tar whose first
   name starts "BZh9" stays a tar. */
static bool
bz_sniff(const uint8_t *p, size_t n)
{
	return n >= 10 && memcmp(p, "BZh", 3) == 0 && p[3] >= '1' &&
	    p[3] <= '9' && (memcmp(p + 4, "\x31\x41\x59\x26\x53\x59", 6) == 0 ||
	    memcmp(p + 4, "\x17\x72\x45\x38\x50\x90", 6) == 0);
}

static int
bz_start(struct tar_dec *d)
{
	memset(d->bz, 0, sizeof(*d->bz));
	return BZ2_bzDecompressInit(d->bz, 0, 0);
}

static void
bz_open(struct tar_dec *d, const uint8_t *head, size_t n)
{
	(void)head;
	(void)n;
	d->bz = xmalloc(sizeof(*d->bz));
	if (bz_start(d) != BZ_OK) {
		free(d->bz);
		d->bz = NULL;
	}
}

static int
bz_read(struct tar_dec *d, struct tar_zin *in, struct tar_zout *out,
    struct err *e)
{
	bz_stream *st = d->bz;
	size_t room;
	int r;

	if (st == NULL)
		return err_set(e, ERR_INTERNAL, "cannot start the bzip2 decoder");
	for (;;) {
		if (d->bz_between) {
			if (in->pos == in->size)
				return in->eof ? 1 : 0;
			BZ2_bzDecompressEnd(st);
			if (bz_start(d) != BZ_OK)
				return err_set(e, ERR_INTERNAL,
				    "cannot start the bzip2 decoder");
			d->bz_between = false;
		}
		if ((in->pos == in->size && !in->eof) || out->pos == out->size)
			return 0;
		room = out->size - out->pos;
		if (room > UINT32_MAX)
			room = UINT32_MAX;
		st->next_in = (char *)(uintptr_t)(in->src + in->pos);
		st->avail_in = (unsigned)(in->size - in->pos > UINT32_MAX ?
		    UINT32_MAX : in->size - in->pos);
		st->next_out = (char *)(out->dst + out->pos);
		st->avail_out = (unsigned)room;
		r = BZ2_bzDecompress(st);
		in->pos = (size_t)((const uint8_t *)st->next_in - in->src);
		out->pos += room - st->avail_out;
		if (r == BZ_STREAM_END)
			d->bz_between = true;	/* its CRCs held */
		else if (r == BZ_DATA_ERROR || r == BZ_DATA_ERROR_MAGIC)
			return err_set(e, ERR_FORMAT, "corrupt bzip2 data (or a "
			    "CRC that does not match)");
		else if (r != BZ_OK)
			return err_set(e, ERR_FORMAT, "bzip2 decoder error %d", r);
		else if (room == st->avail_out && in->pos == in->size && in->eof)
			return err_set(e, ERR_FORMAT, "truncated bzip2 stream");
	}
}

static void
bz_close(struct tar_dec *d)
{
	if (d->bz != NULL)
		BZ2_bzDecompressEnd(d->bz);
	free(d->bz);
}

/* ---- the table -------------------------------------------------------------- */

static const struct comp_ops {
	const char *name;
	bool (*sniff)(const uint8_t *p, size_t n);
	void (*open)(struct tar_dec *d, const uint8_t *head, size_t n);
	int (*read)(struct tar_dec *d, struct tar_zin *in, struct tar_zout *out,
	    struct err *e);
	void (*close)(struct tar_dec *d);
} comps[TAR_NCOMP] = {
	[TAR_COMP_NONE] = { "none", NULL, NULL, NULL, NULL },
	[TAR_COMP_GZIP] = { "gzip", gz_sniff, gz_open, gz_read, gz_close },
	[TAR_COMP_ZSTD] = { "zstd", zs_sniff, zs_open, zs_read, zs_close },
	[TAR_COMP_XZ] = { "xz", xz_sniff, xz_open, xz_read, xz_close },
	[TAR_COMP_BZIP2] = { "bzip2", bz_sniff, bz_open, bz_read, bz_close },
};

const char *
tar_comp_name(enum tar_comp c)
{
	return (unsigned)c < TAR_NCOMP ? comps[c].name : comps[0].name;
}

int
tar_comp_parse(const char *s, enum tar_comp *out)
{
	unsigned c;

	for (c = 0; c < TAR_NCOMP; c++)
		if (strcmp(comps[c].name, s) == 0) {
			*out = (enum tar_comp)c;
			return 0;
		}
	return -1;
}

const char *
tar_comp_names(char *buf, size_t n, const char *sep)
{
	size_t len = 0;
	unsigned c;

	buf[0] = '\0';
	for (c = 0; c < TAR_NCOMP; c++)
		if (comps[c].sniff != NULL && len < n)
			len += (size_t)snprintf(buf + len, n - len, "%s%s",
			    len > 0 ? sep : "", comps[c].name);
	return buf;
}

enum tar_comp
tar_comp_sniff(const uint8_t *p, size_t n)
{
	unsigned c;

	for (c = 0; c < TAR_NCOMP; c++)
		if (comps[c].sniff != NULL && comps[c].sniff(p, n))
			return (enum tar_comp)c;
	return TAR_COMP_NONE;
}

struct tar_dec *
tar_dec_new(enum tar_comp c, const uint8_t *head, size_t n,
    struct tar_framing *fr)
{
	struct tar_dec *d = xcalloc(1, sizeof(*d));

	d->comp = c;
	d->fr = fr != NULL ? fr : &d->own;
	d->fr->comp = (uint8_t)c;
	if (comps[c].open != NULL)
		comps[c].open(d, head, n);
	return d;
}

int
tar_dec_read(struct tar_dec *d, struct tar_zin *in, struct tar_zout *out,
    struct err *e)
{
	size_t take;

	if (comps[d->comp].read != NULL)
		return comps[d->comp].read(d, in, out, e);
	take = in->size - in->pos;
	if (take > out->size - out->pos)
		take = out->size - out->pos;
	memcpy(out->dst + out->pos, in->src + in->pos, take);
	in->pos += take;
	out->pos += take;
	return in->pos == in->size && in->eof ? 1 : 0;
}

void
tar_dec_free(struct tar_dec *d)
{
	if (d == NULL)
		return;
	if (comps[d->comp].close != NULL)
		comps[d->comp].close(d);
	free(d);
}

int
tar_decompress(const uint8_t *p, size_t n, size_t max, uint8_t **out,
    size_t *outn, struct err *e)
{
	struct tar_zin in = { p, n, 0, true };
	struct tar_zout o = { NULL, 0, 0 };
	struct tar_dec *d;
	int r;

	d = tar_dec_new(tar_comp_sniff(p, n), p, n, NULL);
	o.size = n * 4 + 4096 < max ? n * 4 + 4096 : max;
	o.dst = xmalloc(o.size);
	while ((r = tar_dec_read(d, &in, &o, e)) == 0) {
		if (o.pos < o.size) {
			/* All the input is there: only a full output stops. */
			r = err_set(e, ERR_INTERNAL, "%s decoder stalled",
			    tar_comp_name(d->comp));
			break;
		}
		if (o.size >= max) {
			r = err_set(e, ERR_LIMIT, "more than %zu bytes inflated", max);
			break;
		}
		o.size = o.size * 2 < max ? o.size * 2 : max;
		o.dst = xrealloc(o.dst, o.size);
	}
	tar_dec_free(d);
	if (r < 0) {
		free(o.dst);
		return r;
	}
	*out = o.dst;
	*outn = o.pos;
	return 0;
}
