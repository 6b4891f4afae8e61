/*
 * cache.c - the layer cache (--cache DIR): each layer read from a registry
 * keeps its entry table, the fingerprint's record of every entry
 * (docs/fingerprint.md), with the package database bytes its layer kept,
 * in DIR/sha256-HEX.KIND (KIND the entry hash: xxh3 or sha256), so that a
 * layer seen before is never fetched again for its entries.
 *
 * A file: one zstd stream of a length-prefixed JSON header (schema, digest,
 * diff_id, size, usize, framing, entries, strings, captures), the entry
 * records, then each capture (ordinal, over, length-prefixed bytes).  A
 * file that does not read back whole, or names another digest, is a miss:
 * the layer is fetched again and the file written anew (renamed into
 * place, so a reader never sees half of one).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zstd.h>

#include "tar/fp_int.h"
#include "util/json.h"

#define CACHE_SCHEMA	"imgdrift.layer-cache/1"
#define CACHE_HEADER_MAX (16u << 20)

/* The hash of no content with ar's entry hash: the fingerprint encoding
   leaves out SHA-256's, so XXH3's stands in for it both ways. */
static void
empty_hash(const struct tar_archive *ar, uint8_t out[TAR_HASH_MAX])
{
	struct ehash *h = tar_ehash_new(ar->hash_kind);

	tar_ehash_begin(h);
	tar_ehash_end(h, 0, out);
	tar_ehash_free(h);
}

static char *
cache_path(const char *dir, const uint8_t d[32], enum tar_hash kind)
{
	char hex[65];

	util_hex_encode(hex, d, 32);
	return xstrfmt("%s/sha256-%s.%s", dir, hex, tar_hash_name(kind));
}

/* Write p[0..n) to fp as one zstd frame.  @return 0 or -1. */
static int
write_zstd(FILE *fp, const void *p, size_t n)
{
	size_t cap = ZSTD_compressBound(n), z;
	void *buf = xmalloc(cap);
	int r;

	z = ZSTD_compress(buf, cap, p, n, 3);
	r = ZSTD_isError(z) || fwrite(buf, 1, z, fp) != z ? -1 : 0;
	free(buf);
	return r;
}

int
tar_cache_store(const struct tar_archive *ar, const char *dir,
    const struct blob *b, struct err *e)
{
	struct sbuf out = SBUF_INIT;
	json_t *h, *strings;
	char *path, *tmp = NULL, *doc = NULL;
	const char *prev = "";
	int64_t mtime = 0;
	uint8_t empty[TAR_HASH_MAX];
	struct tar_entry te;
	size_t i;
	FILE *fp = NULL;
	int r = 0;

	empty_hash(ar, empty);
	strings = json_array();
	for (i = 0; i < ar->pool.n; i++)
		json_array_append_new(strings, tar_fp_json_bytes(ar->pool.s[i]));
	h = json_pack("{s:s, s:o, s:o, s:I, s:I, s:o, s:I, s:o, s:I}",
	    "schema", CACHE_SCHEMA, "digest", util_json_digest(b->sha256),
	    "diff_id", util_json_digest(b->usha256), "size", (json_int_t)b->size,
	    "usize", (json_int_t)b->usize, "framing",
	    tar_fp_framing_json(&b->framing), "entries",
	    (json_int_t)b->entries.n, "strings", strings, "captures",
	    (json_int_t)b->entries.ncaps);
	if (h == NULL || (doc = json_dumps(h, JSON_COMPACT)) == NULL)
		xalloc_die();
	tar_fp_put_bytes(&out, doc, strlen(doc));
	for (i = 0; i < b->entries.n; i++) {
		te = b->entries.v[i];
		if (memcmp(te.hash, empty, TAR_HASH_MAX) == 0)
			memcpy(te.hash, tar_fp_empty_hash(), TAR_HASH_MAX);
		tar_fp_put_entry(&out, ar, &te, prev, &mtime);
		prev = te.path;
	}
	for (i = 0; i < b->entries.ncaps; i++) {
		const struct tar_capture *c = &b->entries.caps[i];

		sbuf_add_varint(&out, c->ordinal);
		sbuf_add_varint(&out, c->over);
		sbuf_add_varint(&out, c->len);
		sbuf_add(&out, c->data != NULL ? (const char *)c->data : "", c->len);
	}
	path = cache_path(dir, b->sha256, ar->hash_kind);
	tmp = xstrfmt("%s.%ld.tmp", path, (long)getpid());
	if ((fp = fopen(tmp, "wb")) == NULL)
		r = -1;
	else if (write_zstd(fp, out.buf, out.len) < 0)
		r = -1, fclose(fp);
	else if (fclose(fp) != 0 || rename(tmp, path) != 0)
		r = -1;
	if (r < 0) {
		r = err_set(e, ERR_IO, "--cache: cannot write '%s': %s", path,
		    strerror(errno));
		unlink(tmp);
	}
	free(path);
	free(tmp);
	free(doc);
	json_decref(h);
	sbuf_release(&out);
	return r;
}

struct fd_ctx {
	int fd;
};

static ssize_t
cache_read(void *ctx, void *buf, size_t len, struct err *e)
{
	struct fd_ctx *c = ctx;
	ssize_t n;

	do
		n = read(c->fd, buf, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return err_set(e, ERR_IO, "read error: %s", strerror(errno));
	return n;
}

/* Read the cache file in bs into b.  @return 0, or ERR_FORMAT. */
static int
cache_parse(struct tar_archive *ar, struct bstream *bs, const uint8_t d[32],
    struct blob *b, struct err *e)
{
	struct fpin *in = tar_fpin_new(bs, e);
	struct sbuf doc = SBUF_INIT, path = SBUF_INIT;
	json_t *h = NULL;
	const json_t *strs, *s;
	const char **strings = NULL;
	char *str;
	uint64_t n, ncaps, v, i;
	int64_t mtime = 0;
	uint8_t got[32], empty[TAR_HASH_MAX];
	int r;

	empty_hash(ar, empty);
	if ((r = tar_fpin_bytes(in, &doc, CACHE_HEADER_MAX, "header")) < 0)
		goto out;
	if ((h = json_loadb(doc.buf, doc.len, 0, NULL)) == NULL ||
	    json_string_value(json_object_get(h, "schema")) == NULL ||
	    strcmp(json_string_value(json_object_get(h, "schema")),
	    CACHE_SCHEMA) != 0 ||
	    tar_parse_digest(json_string_value(json_object_get(h, "digest")),
	    got, "digest", e) < 0 || memcmp(got, d, 32) != 0 ||
	    tar_parse_digest(json_string_value(json_object_get(h, "diff_id")),
	    b->usha256, "diff_id", e) < 0 ||
	    tar_fp_get_framing(json_object_get(h, "framing"), &b->framing, e) < 0 ||
	    !json_is_integer(json_object_get(h, "size")) ||
	    !json_is_integer(json_object_get(h, "usize")) ||
	    !json_is_integer(json_object_get(h, "entries")) ||
	    !json_is_integer(json_object_get(h, "captures")) ||
	    !json_is_array(strs = json_object_get(h, "strings"))) {
		r = err_set(e, ERR_FORMAT, "not a layer cache file of this layer");
		goto out;
	}
	memcpy(b->sha256, d, 32);
	b->size = (uint64_t)json_integer_value(json_object_get(h, "size"));
	b->usize = (uint64_t)json_integer_value(json_object_get(h, "usize"));
	n = (uint64_t)json_integer_value(json_object_get(h, "entries"));
	ncaps = (uint64_t)json_integer_value(json_object_get(h, "captures"));
	if (n > TAR_ENTRIES_MAX || ncaps > n ||
	    (n > 0 && json_array_size(strs) == 0)) {
		r = err_set(e, ERR_FORMAT, "entry count out of range");
		goto out;
	}
	strings = xcalloc(json_array_size(strs) + 1, sizeof(*strings));
	json_array_foreach(strs, i, s) {
		if ((r = tar_fp_json_bytes_get(s, false, "string", &str, e)) < 0)
			goto out;
		strings[i] = tar_strpool_intern(&ar->pool, str);
		free(str);
	}
	sbuf_add(&path, "", 0);
	for (i = 0; i < n; i++) {
		xgrow(&b->entries.v, &b->entries.cap, b->entries.n + 1,
		    sizeof(*b->entries.v));
		if ((r = tar_fpin_entry(in, &b->entries.v[i], &path, strings,
		    json_array_size(strs), &mtime)) < 0)
			goto out;
		b->entries.v[i].ordinal = (uint32_t)i;
		if (memcmp(b->entries.v[i].hash, tar_fp_empty_hash(),
		    TAR_HASH_MAX) == 0)
			memcpy(b->entries.v[i].hash, empty, TAR_HASH_MAX);
		b->entries.n++;
	}
	for (i = 0; i < ncaps; i++) {
		struct tar_capture *c;
		struct sbuf data = SBUF_INIT;

		xgrow(&b->entries.caps, &b->entries.capcap, b->entries.ncaps + 1,
		    sizeof(*b->entries.caps));
		c = &b->entries.caps[b->entries.ncaps];
		memset(c, 0, sizeof(*c));
		if ((r = tar_fpin_num(in, n, "capture ordinal", &v)) < 0)
			goto out;
		c->ordinal = (uint32_t)v;
		if ((r = tar_fpin_num(in, 1, "capture over", &v)) < 0)
			goto out;
		c->over = v != 0;
		if ((r = tar_fpin_raw(in, &data, PKG_DB_MAX, "capture")) < 0) {
			sbuf_release(&data);
			goto out;
		}
		c->len = data.len;
		c->data = data.len > 0 ? (uint8_t *)sbuf_detach(&data) : NULL;
		sbuf_release(&data);
		b->entries.ncaps++;
	}
	b->kind = TAR_REG;
	b->content = BLOB_TAR;
	r = 0;
 out:
	free(strings);
	json_decref(h);
	sbuf_release(&doc);
	sbuf_release(&path);
	tar_fpin_free(in);
	return r;
}

int
tar_cache_load(struct tar_archive *ar, const char *dir, const uint8_t d[32],
    struct blob *b, struct err *e)
{
	struct fd_ctx c;
	struct bstream *bs = NULL;
	struct err e2 = { 0, "" };
	char *path = cache_path(dir, d, ar->hash_kind);
	int r;

	(void)e;
	c.fd = open(path, O_RDONLY | O_CLOEXEC);
	free(path);
	if (c.fd < 0)
		return 1;
	r = tar_bs_open(cache_read, &c, BS_NO_DIGEST | BS_NO_DIFFID, &bs, &e2);
	if (r == 0)
		r = cache_parse(ar, bs, d, b, &e2);
	tar_bs_free(bs);
	close(c.fd);
	if (r < 0) {
		/* A miss: what was read of it goes. */
		tar_entries_release(&b->entries);
		memset(&b->entries, 0, sizeof(b->entries));
		return 1;
	}
	return 0;
}
