/*
 * fuzz_fp.c - libFuzzer: a fingerprint (docs/fingerprint.md) framed and
 * checksummed as `imgdrift record` writes one, around the fuzzer's header
 * and entry tables, so that the record parser meets them rather than the
 * checksums.  The input is the header JSON, FZ_SEP, then the tables; the
 * harness writes the header length, sets each image's manifest and config
 * digests to those of their raw bytes and each layer's diff_id to the
 * config's, and appends the SHA-256 trailer.  An input that already starts
 * like a fingerprint is read as it is.  The fingerprint is inspected and
 * compared with itself and with a fixed image.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/sha.h>
#include <zstd.h>

#include "fuzz/fuzz.h"
#include "tar/tar.h"

/* The version written today (a sparse flag is then valid); inputs that
   start like a fingerprint bring version 1 (fuzz/corpus/fp). */
static const uint8_t head[16] = {
	0x5e, 0x2a, 0x4d, 0x18, 8, 0, 0, 0, 'I', 'D', 'F', 'P', TAR_FP_VERSION,
	0, 0, 0
};

static void
set_digest(json_t *doc)
{
	const json_t *raw = json_object_get(doc, "raw");
	uint8_t d[32];
	char s[72] = "sha256:";

	if (!json_is_string(raw))
		return;
	SHA256((const uint8_t *)json_string_value(raw), json_string_length(raw),
	    d);
	util_hex_encode(s + 7, d, 32);
	json_object_set_new(doc, "digest", json_string(s));
}

/* Make what the checksums and digests cover agree with the fuzzed text. */
static void
fix_header(const struct fz_part_ref *h, struct sbuf *out)
{
	json_t *j = json_loadb((const char *)h->p, h->n, 0, NULL);
	json_t *im, *cfg, *ids, *layers;
	const json_t *raw;
	size_t i, k;
	char *s;

	if (j == NULL) {
		sbuf_add(out, h->p, h->n);
		return;
	}
	json_array_foreach(json_object_get(j, "images"), i, im) {
		set_digest(json_object_get(im, "manifest"));
		set_digest(json_object_get(im, "config"));
		raw = json_object_get(json_object_get(im, "config"), "raw");
		cfg = json_is_string(raw) ? json_loadb(json_string_value(raw),
		    json_string_length(raw), 0, NULL) : NULL;
		ids = json_object_get(json_object_get(cfg, "rootfs"), "diff_ids");
		layers = json_object_get(im, "layers");
		for (k = 0; k < json_array_size(layers) && k < json_array_size(ids);
		    k++)
			if (json_is_object(json_array_get(layers, k)))
				json_object_set(json_array_get(layers, k), "diff_id",
				    json_array_get(ids, k));
		json_decref(cfg);
	}
	s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (s != NULL)
		sbuf_addstr(out, s);
	free(s);
	json_decref(j);
}

static void
frame(const uint8_t *data, size_t size, struct sbuf *out)
{
	struct fz_part_ref parts[2];
	struct sbuf plain = SBUF_INIT, hdr = SBUF_INIT;
	ZSTD_CCtx *zc;
	uint8_t d[32], *z;
	size_t n, cap;
	uint64_t v;

	fz_split(data, size, parts, 2);
	fix_header(&parts[0], &hdr);
	for (v = hdr.len; v >= 0x80; v >>= 7)
		sbuf_addc(&plain, (char)(v | 0x80));
	sbuf_addc(&plain, (char)v);
	sbuf_add(&plain, hdr.buf, hdr.len);
	sbuf_add(&plain, parts[1].p, parts[1].n);
	SHA256((const uint8_t *)plain.buf, plain.len, d);
	sbuf_add(&plain, d, 32);
	cap = ZSTD_compressBound(plain.len);
	z = xmalloc(cap);
	if ((zc = ZSTD_createCCtx()) == NULL)
		abort();
	ZSTD_CCtx_setParameter(zc, ZSTD_c_checksumFlag, 1);
	ZSTD_CCtx_setParameter(zc, ZSTD_c_compressionLevel, 1);
	n = ZSTD_compress2(zc, z, cap, plain.buf, plain.len);
	if (!ZSTD_isError(n)) {
		sbuf_add(out, head, sizeof(head));
		sbuf_add(out, z, n);
	}
	ZSTD_freeCCtx(zc);
	free(z);
	sbuf_release(&plain);
	sbuf_release(&hdr);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sbuf fp = SBUF_INIT;
	struct tar_archive *ar = NULL;
	struct err e = { 0, "" };

	if (size >= 4 && memcmp(data, head, 4) == 0)
		sbuf_add(&fp, data, size);
	else
		frame(data, size, &fp);
	if (fp.len > 0 && tar_read_mem(fp.buf, fp.len, "fuzz.fp", NULL, &ar,
	    &e) == 0) {
		fz_compare(ar, true, (unsigned)size);
		tar_free(ar);
	}
	sbuf_release(&fp);
	return 0;
}
