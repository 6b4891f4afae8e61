/*
 * cache.c - the layer cache (--cache DIR): each layer read from a registry
 * keeps its entry table, the fingerprint's record of every entry
 * (docs/fingerprint.md), with the package database bytes its layer kept
 * and the warnings it gave, in DIR/sha256-HEX.KIND (HEX the layer's
 * verified digest, KIND the entry hash: xxh3 or sha256), so that a layer
 * seen before is never fetched again for its entries.
 *
 * A file: one zstd frame (with its checksum) of a payload that is a
 * length-prefixed JSON header (schema, version, hash, digest, diff_id, size,
 * usize, framing, entries, strings, captures, warnings), the entry records,
 * each
 * capture (ordinal, flags, ecosystem, length-prefixed bytes), then the
 * SHA-256 of all of that.  A file that does not read back whole, or says
 * it is another layer (digest, size, diff_id) or another entry hash, is a
 * miss: the layer is fetched and the file written anew, to a temporary
 * name of its own renamed into place, so a reader never sees half of one.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <zstd.h>

#include "tar/fp_int.h"
#include "util/json.h"

#define CACHE_SCHEMA	"imgdrift.layer-cache/2"
#ifndef IMGDRIFT_VERSION
#define IMGDRIFT_VERSION "0.0.0"
#endif

/* Capture flags. */
#define CAP_OVER	0x1
#define CAP_FILE_OVER	0x2
#define CAP_SCANNED	0x4

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

int
tar_cache_dir_check(const char *dir, struct err *e)
{
	struct stat st;

	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return err_set(e, ERR_IO, "--cache: cannot create '%s': %s", dir,
		    strerror(errno));
	if (stat(dir, &st) < 0)
		return err_set(e, ERR_IO, "--cache: cannot use '%s': %s", dir,
		    strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return err_set(e, ERR_USAGE, "--cache: '%s' is not a directory", dir);
	/* Whoever can write there can say what a layer holds. */
	if ((st.st_mode & S_IWOTH) ||
	    (st.st_uid != geteuid() && st.st_uid != 0))
		return err_set(e, ERR_USAGE, "--cache: '%s' is writable by other "
		    "users or owned by another user: a layer's entries could be "
		    "planted there", dir);
	return 0;
}

/* A capture a budget spent by earlier layers marked over: what the layer
   keeps then depends on the image it was read in, so it is not kept. */
static bool
context_free(const struct entries *en)
{
	size_t i;

	for (i = 0; i < en->ncaps; i++)
		if (en->caps[i].over && !en->caps[i].file_over)
			return false;
	return true;
}

bool
tar_cache_encode(const struct tar_archive *ar, const struct blob *b,
    const char *version, struct sbuf *out)
{
	struct sbuf pl = SBUF_INIT;
	json_t *h, *strings;
	char *doc;
	const char *prev = "";
	int64_t mtime = 0;
	uint8_t empty[TAR_HASH_MAX], sum[32];
	struct tar_entry te;
	size_t i, cap, z;
	ZSTD_CCtx *zc;

	if (!context_free(&b->entries))
		return false;
	empty_hash(ar, empty);
	/* At least one, as the reader wants (an empty layer names none). */
	strings = json_array();
	for (i = 0; i < ar->pool.n; i++)
		json_array_append_new(strings, tar_fp_json_bytes(ar->pool.s[i]));
	if (ar->pool.n == 0)
		json_array_append_new(strings, json_string(""));
	h = json_pack("{s:s, s:s, s:s, s:o, s:o, s:I, s:I, s:o, s:I, s:o, s:I, "
	    "s:o, s:I}", "schema", CACHE_SCHEMA, "version", version,
	    "hash", tar_hash_name(ar->hash_kind),
	    "digest", util_json_digest(b->sha256), "diff_id",
	    util_json_digest(b->usha256), "size", (json_int_t)b->size,
	    "usize", (json_int_t)b->usize, "framing",
	    tar_fp_framing_json(&b->framing), "entries",
	    (json_int_t)b->entries.n, "strings", strings, "captures",
	    (json_int_t)b->entries.ncaps, "warnings",
	    tar_fp_json_bytes(sbuf_str((struct sbuf *)(uintptr_t)
	    &b->entries.warnings)), "nwarnings", (json_int_t)b->entries.nwarnings);
	if (h == NULL || (doc = json_dumps(h, JSON_COMPACT)) == NULL)
		xalloc_die();
	json_decref(h);
	if (strlen(doc) > CACHE_HEADER_MAX) {
		free(doc);
		return false;	/* it would not read back */
	}
	tar_fp_put_bytes(&pl, doc, strlen(doc));
	free(doc);
	for (i = 0; i < b->entries.n; i++) {
		te = b->entries.v[i];
		if (memcmp(te.hash, empty, TAR_HASH_MAX) == 0)
			memcpy(te.hash, tar_fp_empty_hash(), TAR_HASH_MAX);
		tar_fp_put_entry(&pl, ar, &te, prev, &mtime);
		prev = te.path;
	}
	for (i = 0; i < b->entries.ncaps; i++) {
		const struct tar_capture *c = &b->entries.caps[i];

		sbuf_add_varint(&pl, c->ordinal);
		sbuf_addc(&pl, (char)((c->over ? CAP_OVER : 0) |
		    (c->file_over ? CAP_FILE_OVER : 0) |
		    (c->scanned ? CAP_SCANNED : 0)));
		sbuf_add_varint(&pl, c->scanned ? c->eco : 0);
		sbuf_add_varint(&pl, c->data != NULL ? c->len : 0);
		if (c->data != NULL)
			sbuf_add(&pl, c->data, c->len);
	}
	EVP_Digest(pl.buf, pl.len, sum, NULL, EVP_sha256(), NULL);
	sbuf_add(&pl, sum, sizeof(sum));
	cap = ZSTD_compressBound(pl.len);
	xgrow(&out->buf, &out->cap, out->len + cap + 1, 1);
	if ((zc = ZSTD_createCCtx()) == NULL)
		xalloc_die();
	ZSTD_CCtx_setParameter(zc, ZSTD_c_checksumFlag, 1);
	ZSTD_CCtx_setParameter(zc, ZSTD_c_compressionLevel, 3);
	z = ZSTD_compress2(zc, out->buf + out->len, cap, pl.buf, pl.len);
	ZSTD_freeCCtx(zc);
	sbuf_release(&pl);
	if (ZSTD_isError(z))
		xalloc_die();	/* only when out of memory: the bound holds */
	out->len += z;
	out->buf[out->len] = '\0';
	return true;
}

/* Write out to a name of its own beside path, then rename it into place.
   @return 0, or -1 with errno set. */
static int
write_renamed(const char *path, const struct sbuf *out)
{
	char *tmp = xstrfmt("%s.XXXXXX", path);
	ssize_t n = 0;
	size_t at;
	int fd, saved = 0, r = -1;

	/* A name of its own: two runs, or A and B of one diff, may write the
	   same layer at once; rename() puts one whole file in place. */
	if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0)
		goto out;
	for (at = 0; at < out->len && n >= 0; at += (size_t)n)
		while ((n = write(fd, out->buf + at, out->len - at)) < 0 &&
		    errno == EINTR)
			;
	if (n < 0) {
		saved = errno;
		(void)close(fd);
	} else if (close(fd) != 0 || rename(tmp, path) != 0)
		saved = errno;
	else
		r = 0;
	if (r < 0) {
		(void)unlink(tmp);
		errno = saved;
	}
 out:
	free(tmp);
	return r;
}

void
tar_cache_store(struct tar_archive *ar, const char *dir, const struct blob *b)
{
	struct sbuf out = SBUF_INIT;
	char *path;

	if (!tar_cache_encode(ar, b, IMGDRIFT_VERSION, &out))
		return;
	path = cache_path(dir, b->sha256, ar->hash_kind);
	if (write_renamed(path, &out) < 0) {
		/* The layer was read all the same: the next run fetches it. */
		if (ar->cache_unkept++ == 0)
			ar->cache_unwritten = xstrfmt("--cache: cannot write '%s': "
			    "%s", path, strerror(errno));
	}
	free(path);
	sbuf_release(&out);
}

const char *
tar_cache_warning(const struct tar_archive *ar, unsigned *n)
{
	*n = ar->cache_unkept;
	return ar->cache_unwritten;
}

/* The header, checked against key k and ar's entry hash. */
static int
get_header(struct tar_archive *ar, struct fpin *in,
    const struct tar_cache_key *k, const char *version, struct blob *b,
    json_t **hp, struct err *e)
{
	struct sbuf doc = SBUF_INIT;
	const json_t *h;
	const char *s;
	uint8_t got[32];
	int r;

	if ((r = tar_fpin_bytes(in, &doc, CACHE_HEADER_MAX, "header")) < 0)
		goto out;
	if ((*hp = json_loadb(doc.buf, doc.len, JSON_REJECT_DUPLICATES,
	    NULL)) == NULL) {
		r = err_set(e, ERR_FORMAT, "the header is not JSON");
		goto out;
	}
	h = *hp;
	if ((s = json_string_value(json_object_get(h, "schema"))) == NULL ||
	    strcmp(s, CACHE_SCHEMA) != 0) {
		r = err_set(e, ERR_UNSUPPORTED, "another schema");
		goto out;
	}
	/* Another imgdrift may read the same layer otherwise. */
	if ((s = json_string_value(json_object_get(h, "version"))) == NULL ||
	    strcmp(s, version) != 0) {
		r = err_set(e, ERR_UNSUPPORTED, "written by another imgdrift");
		goto out;
	}
	if ((s = json_string_value(json_object_get(h, "hash"))) == NULL ||
	    strcmp(s, tar_hash_name(ar->hash_kind)) != 0) {
		r = err_set(e, ERR_FORMAT, "another entry hash");
		goto out;
	}
	if ((r = tar_parse_digest(json_string_value(json_object_get(h,
	    "digest")), got, "digest", e)) < 0)
		goto out;
	if (memcmp(got, k->digest, 32) != 0) {
		r = err_set(e, ERR_DIGEST, "another layer's");
		goto out;
	}
	if ((r = tar_parse_digest(json_string_value(json_object_get(h,
	    "diff_id")), b->usha256, "diff_id", e)) < 0)
		goto out;
	if (k->have_diff_id && memcmp(b->usha256, k->diff_id, 32) != 0) {
		r = err_set(e, ERR_DIGEST, "another diff_id");
		goto out;
	}
	if (!json_is_integer(json_object_get(h, "size")) ||
	    (uint64_t)json_integer_value(json_object_get(h, "size")) != k->size) {
		r = err_set(e, ERR_DIGEST, "another size");
		goto out;
	}
	if (!json_is_integer(json_object_get(h, "usize")) ||
	    json_integer_value(json_object_get(h, "usize")) < 0 ||
	    !json_is_integer(json_object_get(h, "entries")) ||
	    !json_is_integer(json_object_get(h, "captures")) ||
	    !json_is_integer(json_object_get(h, "nwarnings")) ||
	    !json_is_array(json_object_get(h, "strings"))) {
		r = err_set(e, ERR_FORMAT, "a header field is missing");
		goto out;
	}
	if ((r = tar_fp_get_framing(json_object_get(h, "framing"), &b->framing,
	    e)) < 0)
		goto out;
	memcpy(b->sha256, k->digest, 32);
	b->size = k->size;
	b->usize = (uint64_t)json_integer_value(json_object_get(h, "usize"));
 out:
	sbuf_release(&doc);
	return r;
}

/*
 * One capture of entries en into c.  The bytes are read in steps, so that
 * a hostile length allocates nothing the file does not hold; *spent counts
 * what each ecosystem kept, which no layer passes.
 */
static int
get_capture(struct fpin *in, const struct entries *en, uint64_t prev,
    uint64_t *spent, struct tar_capture *c, struct err *e)
{
	struct sbuf data = SBUF_INIT;
	uint64_t v, n;
	uint8_t flags;
	bool bytes;
	int eco, r;
	size_t take;

	memset(c, 0, sizeof(*c));
	if ((r = tar_fpin_num(in, en->n - 1, "capture ordinal", &v)) < 0)
		return r;
	/* In entry order, as the packages' lookup wants them. */
	if (prev != UINT64_MAX && v <= prev)
		return err_set(e, ERR_FORMAT, "captures out of order");
	c->ordinal = (uint32_t)v;
	if ((r = tar_fpin_get(in, &flags, 1)) < 0)
		return r;
	if (flags & ~(CAP_OVER | CAP_FILE_OVER | CAP_SCANNED))
		return err_set(e, ERR_FORMAT, "bad capture flags");
	c->over = (flags & CAP_OVER) != 0;
	c->file_over = (flags & CAP_FILE_OVER) != 0;
	/* Over a budget earlier layers spent: never written (context_free()). */
	if (c->over != c->file_over)
		return err_set(e, ERR_FORMAT, "a capture over another layer's budget");
	c->scanned = (flags & CAP_SCANNED) != 0;
	if ((r = tar_fpin_num(in, PKG_NECO - 1, "capture ecosystem", &v)) < 0)
		return r;
	c->eco = (uint8_t)v;
	/* A layer scans the bytes of Go and cargo binaries alone (layer.c):
	   any other ecosystem's reader wants a path of its own. */
	if (c->scanned && c->eco != PKG_GO && c->eco != PKG_CARGO)
		return err_set(e, ERR_FORMAT, "a scanned capture of %s",
		    pkg_eco_name(c->eco));
	eco = c->scanned ? c->eco : pkg_capture_match(en->v[c->ordinal].path,
	    &bytes);
	if (eco < 0)
		return err_set(e, ERR_FORMAT, "a capture of no package file");
	if ((r = tar_fpin_num(in, PKG_DB_MAX - spent[eco], "capture length",
	    &n)) < 0)
		return r;
	if ((c->over || c->file_over) && n > 0)
		return err_set(e, ERR_FORMAT, "bytes kept of a capture over its bound");
	spent[eco] += n;
	while (data.len < n) {
		take = n - data.len < (1u << 20) ? (size_t)(n - data.len) : 1u << 20;
		xgrow(&data.buf, &data.cap, data.len + take + 1, 1);
		if ((r = tar_fpin_get(in, data.buf + data.len, take)) < 0) {
			sbuf_release(&data);
			return r;
		}
		data.len += take;
	}
	c->len = data.len;
	c->data = data.len > 0 ? (uint8_t *)sbuf_detach(&data) : NULL;
	return 0;
}

/* The entries and captures after header h. */
static int
get_body(struct tar_archive *ar, struct fpin *in, const json_t *h,
    struct blob *b, struct err *e)
{
	const json_t *strs = json_object_get(h, "strings");
	struct entries *en = &b->entries;
	struct sbuf path = SBUF_INIT;
	const char **strings = NULL;
	size_t nstrings = 0;
	struct tar_entry *te;
	uint64_t n, ncaps, prev = UINT64_MAX, spent[PKG_NECO] = { 0 };
	int64_t mtime = 0;
	uint8_t empty[TAR_HASH_MAX];
	int r;

	n = (uint64_t)json_integer_value(json_object_get(h, "entries"));
	ncaps = (uint64_t)json_integer_value(json_object_get(h, "captures"));
	if (n > TAR_ENTRIES_MAX || ncaps > n)
		return err_set(e, ERR_FORMAT, "entry count out of range");
	if ((r = tar_fp_get_strings(ar, strs, &strings, &nstrings, e)) < 0)
		goto out;
	empty_hash(ar, empty);
	sbuf_add(&path, "", 0);
	/* Grown as records arrive: the counts in the header are not trusted. */
	for (en->n = 0; en->n < n; en->n++) {
		xgrow(&en->v, &en->cap, en->n + 1, sizeof(*en->v));
		if ((r = tar_fpin_entry(in, &en->v[en->n], &path, &en->names,
		    strings, nstrings, &mtime)) < 0)
			goto out;
		te = &en->v[en->n];
		te->ordinal = (uint32_t)en->n;
		/* The hash of no bytes is written as none, and only then. */
		if (te->size == 0)
			memcpy(te->hash, empty, TAR_HASH_MAX);
		else if (memcmp(te->hash, empty, TAR_HASH_MAX) == 0 ||
		    memcmp(te->hash, tar_fp_empty_hash(), TAR_HASH_MAX) == 0) {
			r = err_set(e, ERR_FORMAT, "entry %zu: the hash of no bytes "
			    "for %llu bytes", en->n + 1,
			    (unsigned long long)te->size);
			en->n++;
			goto out;
		}
	}
	for (en->ncaps = 0; en->ncaps < ncaps; en->ncaps++) {
		xgrow(&en->caps, &en->capcap, en->ncaps + 1, sizeof(*en->caps));
		if ((r = get_capture(in, en, prev, spent, &en->caps[en->ncaps],
		    e)) < 0)
			goto out;
		prev = en->caps[en->ncaps].ordinal;
	}
	r = tar_fpin_trailer(in);
 out:
	free(strings);
	sbuf_release(&path);
	return r;
}

int
tar_cache_decode(struct tar_archive *ar, src_read_fn rd, void *ctx,
    const struct tar_cache_key *k, const char *version, struct blob *b,
    struct err *e)
{
	struct bstream *bs = NULL;
	struct fpin *in = NULL;
	json_t *h = NULL;
	char *warnings = NULL;
	const uint8_t *head;
	size_t i;
	int r;

	if ((r = tar_bs_open(rd, ctx, BS_NO_DIGEST | BS_NO_DIFFID, &bs, e)) < 0)
		goto out;
	/* One zstd frame: a stored payload is no file this program wrote. */
	if (tar_bs_raw_head(bs, &head) < 4 || memcmp(head, "\x28\xb5\x2f\xfd",
	    4) != 0) {
		r = err_set(e, ERR_FORMAT, "not a zstd frame");
		goto out;
	}
	in = tar_fpin_new(bs, e);
	if ((r = get_header(ar, in, k, version, b, &h, e)) < 0 ||
	    (r = tar_fp_json_bytes_get(json_object_get(h, "warnings"), false,
	    "warnings", &warnings, e)) < 0)
		goto out;
	if (json_integer_value(json_object_get(h, "nwarnings")) < 0 ||
	    json_integer_value(json_object_get(h, "nwarnings")) > TAR_WARN_MAX + 1) {
		r = err_set(e, ERR_FORMAT, "warning count out of range");
		goto out;
	}
	sbuf_addstr(&b->entries.warnings, warnings);
	b->entries.nwarnings =
	    (size_t)json_integer_value(json_object_get(h, "nwarnings"));
	if ((r = get_body(ar, in, h, b, e)) < 0)
		goto out;
	b->kind = TAR_REG;
	b->content = BLOB_TAR;
	/* Charged as a fetched layer's captures are. */
	for (i = 0; i < b->entries.ncaps; i++)
		tar_capture_recharge(ar->captured, &b->entries,
		    &b->entries.caps[i]);
 out:
	if (r < 0) {
		/* What was read of it goes. */
		tar_entries_release(&b->entries);
		memset(&b->entries, 0, sizeof(b->entries));
	}
	free(warnings);
	json_decref(h);
	tar_fpin_free(in);
	tar_bs_free(bs);
	return r;
}

int
tar_cache_load(struct tar_archive *ar, const char *dir,
    const struct tar_cache_key *k, struct blob *b)
{
	struct fd_src c = { -1, NULL, 0, NULL };
	struct stat st;
	struct err e = { 0, "" };
	char *path = cache_path(dir, k->digest, ar->hash_kind);
	int r;

	/* Nothing but a regular file is read: not a link planted there, not
	   a FIFO that would never answer. */
	c.fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	free(path);
	if (c.fd < 0)
		return 1;
	if (fstat(c.fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(c.fd);
		return 1;
	}
	r = tar_cache_decode(ar, tar_fd_src_read, &c, k, IMGDRIFT_VERSION, b,
	    &e);
	close(c.fd);
	return r < 0 ? 1 : 0;
}
