/*
 * fuzz_cache.c - libFuzzer: a layer cache file (tar/cache.c) as --cache
 * reads one.  An input that starts with zstd's magic is read as it is
 * (a real file, or a damaged one from tests/hostile/gen_cache.py); any
 * other is the payload: the harness appends its SHA-256 and writes it as
 * one checksummed zstd frame, so that the reader meets the records rather
 * than the checksums.  The layer it is read as (digest, size, diff_id), the
 * entry hash and the imgdrift version are the ones its header names, when
 * it names them, so that the reader gets past the header's checks.  A file that reads back
 * is written again (tar_cache_encode()), and that must read back and
 * write the same bytes.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/sha.h>
#include <zstd.h>

#include "fuzz/fuzz.h"
#include "tar/tar_int.h"

#define PAYLOAD_MAX	(64u << 20)

/* Inflate a zstd input into out, at most PAYLOAD_MAX bytes. */
static void
inflate(const uint8_t *p, size_t n, struct sbuf *out)
{
	ZSTD_DCtx *dc = ZSTD_createDCtx();
	ZSTD_inBuffer in = { p, n, 0 };
	uint8_t buf[65536];
	size_t r;

	if (dc == NULL)
		abort();
	do {
		ZSTD_outBuffer o = { buf, sizeof(buf), 0 };

		r = ZSTD_decompressStream(dc, &o, &in);
		if (ZSTD_isError(r))
			break;
		sbuf_add(out, buf, o.pos);
		if (o.pos == 0 && in.pos == in.size)
			break;
	} while (out->len < PAYLOAD_MAX);
	ZSTD_freeDCtx(dc);
}

/* The key, entry hash and version (ver, vn bytes) a payload's header
   names, where it names them. */
static void
key_of(const uint8_t *p, size_t n, struct tar_cache_key *k, bool *sha256,
    char *ver, size_t vn)
{
	struct err e = { 0, "" };
	uint64_t len = 0;
	unsigned shift = 0;
	size_t i = 0;
	json_t *h;
	const char *s;

	memset(k, 0, sizeof(*k));
	*sha256 = false;
	snprintf(ver, vn, "%s", "");
	if (n == 0)
		return;		/* nothing inflated: p may be NULL */
	for (; i < n && shift < 64; shift += 7) {
		len |= (uint64_t)(p[i] & 0x7f) << shift;
		if (!(p[i++] & 0x80))
			break;
	}
	if (len > n - i)
		return;
	if ((h = json_loadb((const char *)p + i, (size_t)len, 0, NULL)) == NULL)
		return;
	(void)tar_parse_digest(json_string_value(json_object_get(h, "digest")),
	    k->digest, "digest", &e);
	k->size = (uint64_t)json_integer_value(json_object_get(h, "size"));
	k->have_diff_id = tar_parse_digest(json_string_value(json_object_get(h,
	    "diff_id")), k->diff_id, "diff_id", &e) == 0;
	s = json_string_value(json_object_get(h, "hash"));
	*sha256 = s != NULL && strcmp(s, "sha256") == 0;
	if ((s = json_string_value(json_object_get(h, "version"))) != NULL)
		snprintf(ver, vn, "%s", s);
	json_decref(h);
}

static void
frame(const uint8_t *p, size_t n, struct sbuf *out)
{
	struct sbuf plain = SBUF_INIT;
	ZSTD_CCtx *zc;
	uint8_t d[32];
	size_t cap, z;

	sbuf_add(&plain, p, n);
	SHA256(p, n, d);
	sbuf_add(&plain, d, 32);
	cap = ZSTD_compressBound(plain.len);
	xgrow(&out->buf, &out->cap, cap + 1, 1);
	if ((zc = ZSTD_createCCtx()) == NULL)
		abort();
	ZSTD_CCtx_setParameter(zc, ZSTD_c_checksumFlag, 1);
	ZSTD_CCtx_setParameter(zc, ZSTD_c_compressionLevel, 1);
	z = ZSTD_compress2(zc, out->buf, cap, plain.buf, plain.len);
	if (!ZSTD_isError(z))
		out->len = z;
	ZSTD_freeCCtx(zc);
	sbuf_release(&plain);
}

/* Read file f as layer k, written by version ver, into a new blob of ar.
   @return it, or NULL. */
static struct blob *
load(struct tar_archive *ar, const struct sbuf *f,
    const struct tar_cache_key *k, const char *ver)
{
	struct mem_src ms = { (const uint8_t *)f->buf, f->len, 0 };
	struct err e = { 0, "" };
	struct blob *b = tar_blob_add(ar, "fuzz");

	/* Each read as the first layer of its image. */
	memset(ar->captured, 0, sizeof(ar->captured));
	if (tar_cache_decode(ar, tar_mem_src_read, &ms, k, ver, b, &e) == 0)
		return b;
	if (b->entries.n != 0 || b->entries.ncaps != 0)
		__builtin_trap();	/* a miss leaves nothing behind */
	return NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t zmagic[4] = { 0x28, 0xb5, 0x2f, 0xfd };
	const struct sbuf *img = fz_fixed_image();
	struct sbuf file = SBUF_INIT, payload = SBUF_INIT, again = SBUF_INIT,
	    third = SBUF_INIT;
	struct tar_archive *ar = NULL;
	struct tar_cache_key k;
	char ver[128];
	struct err e = { 0, "" };
	struct tar_opts o;
	struct blob *b;
	bool sha256;

	if (size >= 4 && memcmp(data, zmagic, 4) == 0) {
		sbuf_add(&file, data, size);
		inflate(data, size, &payload);
	} else {
		sbuf_add(&payload, data, size);
		frame(data, size, &file);
	}
	key_of((const uint8_t *)payload.buf, payload.len, &k, &sha256, ver,
	    sizeof(ver));
	memset(&o, 0, sizeof(o));
	o.sha256_entries = sha256;
	if (tar_read_mem(img->buf, img->len, "fixed", &o, &ar, &e) != 0)
		abort();
	if ((b = load(ar, &file, &k, ver)) != NULL) {
		/* Written again, it reads back as itself. */
		if (!tar_cache_encode(ar, b, ver, &again))
			__builtin_trap();
		if ((b = load(ar, &again, &k, ver)) == NULL ||
		    !tar_cache_encode(ar, b, ver, &third) || third.len != again.len ||
		    memcmp(third.buf, again.buf, again.len) != 0)
			__builtin_trap();
	}
	tar_free(ar);
	sbuf_release(&file);
	sbuf_release(&payload);
	sbuf_release(&again);
	sbuf_release(&third);
	return 0;
}
