/*
 * fp_write.c - record a fingerprint of a read archive: a zstd frame around
 * a header (JSON: identity, digests, configs, manifests) and one table of
 * binary entry records per layer, closed by the SHA-256 of all of it.
 * The format is docs/fingerprint.md.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/sha.h>
#include <zstd.h>

#include "tar/fp_int.h"
#include "util/json.h"

#define FP_FLUSH	(1u << 20)	/* payload bytes buffered before compressing */
#define FP_LEVEL	12		/* zstd level: see docs/fingerprint.md */

/* Both reader threads of `diff` may ask first: initialised once. */
static uint8_t empty_hash[TAR_HASH_MAX];
static pthread_once_t empty_hash_once = PTHREAD_ONCE_INIT;

static void
empty_hash_init(void)
{
	SHA256((const unsigned char *)"", 0, empty_hash);
}

const uint8_t *
tar_fp_empty_hash(void)
{
	pthread_once(&empty_hash_once, empty_hash_init);
	return empty_hash;
}

json_t *
tar_fp_json_bytes(const char *s)
{
	json_t *j;
	char *hex;

	if (s == NULL)
		return json_null();
	if ((j = json_string(s)) != NULL)
		return j;
	hex = xmalloc(2 * strlen(s) + 1);
	util_hex_encode(hex, (const uint8_t *)s, strlen(s));
	j = json_pack("{s:s}", "hex", hex);
	free(hex);
	if (j == NULL)
		xalloc_die();
	return j;
}

/* The payload on its way out: hashed, buffered, compressed, written. */
struct fpout {
	FILE *fp;
	ZSTD_CCtx *zc;
	EVP_MD_CTX *sha;
	struct sbuf buf;
	uint8_t *zbuf;
	size_t zcap;
	bool failed;
	int errnum;		/* errno of the first failed write, or 0 */
};

/* A write failed: keep why, the first time. */
static void
fpout_fail(struct fpout *o)
{
	if (!o->failed)
		o->errnum = errno;
	o->failed = true;
}

static void
fpout_compress(struct fpout *o, ZSTD_EndDirective end)
{
	ZSTD_inBuffer in = { o->buf.buf, o->buf.len, 0 };
	ZSTD_outBuffer out;
	size_t left;

	do {
		out.dst = o->zbuf;
		out.size = o->zcap;
		out.pos = 0;
		left = ZSTD_compressStream2(o->zc, &out, &in, end);
		if (ZSTD_isError(left)) {
			o->failed = true;
			return;
		}
		if (out.pos > 0 && fwrite(o->zbuf, 1, out.pos, o->fp) != out.pos)
			fpout_fail(o);
	} while (end == ZSTD_e_end ? left != 0 : in.pos < in.size);
	sbuf_reset(&o->buf);
}

static void
fpout_put(struct fpout *o, const void *p, size_t n)
{
	EVP_DigestUpdate(o->sha, p, n);
	sbuf_add(&o->buf, p, n);
	if (o->buf.len >= FP_FLUSH)
		fpout_compress(o, ZSTD_e_continue);
}

void
tar_fp_put_bytes(struct sbuf *sb, const char *s, size_t n)
{
	sbuf_add_varint(sb, n);
	sbuf_add(sb, s, n);
}

/* ---- header ------------------------------------------------------------- */

/* The layers' entry arrays, each once, in first-use order. */
struct tables {
	const struct tar_layer **v;
	size_t n, cap;
};

static size_t
table_of(struct tables *t, const struct tar_layer *l)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->v[i]->entries == l->entries)
			return i;
	xgrow(&t->v, &t->cap, t->n + 1, sizeof(*t->v));
	t->v[t->n] = l;
	return t->n++;
}

/* The JSON document ar read with this digest, as its bytes. */
static json_t *
raw_doc(const struct tar_archive *ar, const uint8_t d[32])
{
	size_t i;

	for (i = 0; i < ar->nblobs; i++)
		if (ar->blobs[i].json != NULL &&
		    memcmp(ar->blobs[i].sha256, d, 32) == 0)
			return json_stringn(ar->blobs[i].json, ar->blobs[i].json_len);
	return NULL;
}

json_t *
tar_fp_framing_json(const struct tar_framing *f)
{
	return json_pack("{s:s, s:i, s:i, s:i, s:I, s:o, s:I, s:I, s:i, s:I, s:I}",
	    "comp", tar_comp_name((enum tar_comp)f->comp),
	    "gz_flags", f->gz_flags, "gz_xfl", f->gz_xfl, "gz_os", f->gz_os,
	    "gz_mtime", (json_int_t)f->gz_mtime,
	    "gz_name", tar_fp_json_bytes(f->gz_name),
	    "gz_members", (json_int_t)f->gz_members,
	    "gz_padding", (json_int_t)f->gz_padding,
	    "zs_fhd", f->zs_fhd,
	    "zs_frames", (json_int_t)f->zs_frames,
	    "zs_skippable", (json_int_t)f->zs_skippable);
}

static json_t *
layer_json(const struct tar_layer *l, struct tables *t)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:I, s:I, s:b, s:o, s:o}",
	    "media_type", tar_fp_json_bytes(l->media_type),
	    "member", tar_fp_json_bytes(l->member),
	    "digest", util_json_digest(l->digest),
	    "diff_id", util_json_digest(l->diff_id),
	    "size", (json_int_t)l->size,
	    "usize", (json_int_t)l->usize,
	    "present", l->present,
	    "table", l->present ? json_integer((json_int_t)table_of(t, l)) :
	    json_null(),
	    "framing", tar_fp_framing_json(&l->framing));
}

/* A digest with the document's bytes, or null. */
static json_t *
doc_json(const struct tar_archive *ar, bool have, const uint8_t d[32],
    const char *media_type, struct err *e)
{
	json_t *raw;

	if (!have)
		return json_null();
	if ((raw = raw_doc(ar, d)) == NULL) {
		err_set(e, ERR_INTERNAL, "the bytes of a JSON document are gone");
		return NULL;
	}
	return json_pack("{s:o, s:o, s:o}", "digest", util_json_digest(d),
	    "media_type", tar_fp_json_bytes(media_type), "raw", raw);
}

static json_t *
image_json(const struct tar_archive *ar, const struct tar_image *im,
    struct tables *t, struct err *e)
{
	json_t *o, *layers, *tags, *man, *cfg;
	size_t i;

	if ((man = doc_json(ar, im->has_manifest, im->manifest_digest,
	    im->manifest_media_type, e)) == NULL)
		return NULL;
	if ((cfg = doc_json(ar, im->has_config, im->config_digest, NULL,
	    e)) == NULL) {
		json_decref(man);
		return NULL;
	}
	layers = json_array();
	for (i = 0; i < im->nlayers; i++)
		json_array_append_new(layers, layer_json(&im->layers[i], t));
	tags = json_array();
	for (i = 0; i < im->ntags; i++)
		json_array_append_new(tags, tar_fp_json_bytes(im->tags[i]));
	o = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
	    "platform", tar_fp_json_bytes(im->platform),
	    "ref_name", tar_fp_json_bytes(im->ref_name),
	    "tags", tags,
	    "index", util_json_digest_or_null(im->has_index, im->index_digest),
	    "manifest", man, "config", cfg, "layers", layers);
	if (o == NULL)
		xalloc_die();
	return o;
}

/* What an index lists beside the images (docs/fingerprint.md). */
static json_t *
listed_json(const struct tar_listed *l)
{
	json_t *o = json_pack("{s:s, s:b, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
	    "kind", tar_listed_kind_name(l->kind),
	    "present", l->present,
	    "digest", util_json_digest(l->digest),
	    "media_type", tar_fp_json_bytes(l->media_type),
	    "platform", tar_fp_json_bytes(l->platform),
	    "artifact_type", tar_fp_json_bytes(l->artifact_type),
	    "subject", tar_fp_json_bytes(l->subject),
	    "ref_name", tar_fp_json_bytes(l->ref_name),
	    "index", util_json_digest_or_null(l->has_index, l->index_digest));

	if (o == NULL)
		xalloc_die();
	return o;
}

static json_t *
header_json(const struct tar_archive *ar, const char *writer,
    struct tables *t, struct err *e)
{
	json_t *o, *images = json_array(), *att = json_array(), *im, *tab;
	json_t *strings = json_array(), *listed = json_array();
	size_t i;

	for (i = 0; i < ar->nimages; i++) {
		if ((im = image_json(ar, &ar->images[i], t, e)) == NULL) {
			json_decref(images);
			json_decref(att);
			json_decref(listed);
			json_decref(strings);
			return NULL;
		}
		json_array_append_new(images, im);
	}
	for (i = 0; i < ar->natt; i++)
		json_array_append_new(att, json_pack("{s:o, s:o}",
		    "digest", util_json_digest(ar->att[i].digest),
		    "ref", tar_fp_json_bytes(ar->att[i].ref)));
	for (i = 0; i < ar->nlisted; i++)
		json_array_append_new(listed, listed_json(&ar->listed[i]));
	for (i = 0; i < ar->pool.n; i++)
		json_array_append_new(strings, tar_fp_json_bytes(ar->pool.s[i]));
	/* Readers of version 1 want one string at least, even when no entry
	   names a user or a group (an image without entries). */
	if (ar->pool.n == 0)
		json_array_append_new(strings, json_string(""));
	tab = json_array();
	for (i = 0; i < t->n; i++)
		json_array_append_new(tab, json_pack("{s:o, s:I}",
		    "member", tar_fp_json_bytes(t->v[i]->member),
		    "entries", (json_int_t)t->v[i]->nentries));
	o = json_pack("{s:s, s:s, s:{s:o, s:o, s:I, s:s, s:s}, s:o, s:o, s:o, "
	    "s:o, s:o, s:o}",
	    "schema", FP_SCHEMA,
	    "writer", writer,
	    "input", "name", tar_fp_json_bytes(ar->input),
	    "sha256", util_json_digest_or_null(ar->have_input_sha, ar->input_sha),
	    "size", (json_int_t)ar->input_size,
	    "format", tar_format_name(ar->format),
	    "compression", tar_comp_name(ar->wrapper_comp),
	    "index_json", util_json_digest_or_null(ar->have_index, ar->index_sha),
	    "warnings", tar_fp_json_bytes(sbuf_str((struct sbuf *)(uintptr_t)
	    &ar->warnings)),
	    "strings", strings, "tables", tab, "images", images,
	    "attestations", att);
	if (o == NULL)
		xalloc_die();
	/* Added in version 1 (older readers skip them). */
	json_object_set_new(o, "listed", listed);
	json_object_set_new(o, "image_index", util_json_digest_or_null(
	    ar->have_image_index, ar->image_index_sha));
	return o;
}

/* ---- entries ------------------------------------------------------------ */

/* A time as a delta from base (wrapping, like the reader), and its ns. */
static void
put_time(struct sbuf *sb, int64_t base, int64_t t, int32_t ns)
{
	sbuf_add_varint(sb, fp_zigzag((int64_t)((uint64_t)t - (uint64_t)base)));
	sbuf_add_varint(sb, (uint64_t)(uint32_t)ns);
}

void
tar_fp_put_entry(struct sbuf *sb, const struct tar_archive *ar,
    const struct tar_entry *te, const char *prev, int64_t *mtime)
{
	size_t pre = util_common_prefix(prev, te->path);
	unsigned flags = 0;

	if (te->has_atime)
		flags |= FP_ATIME;
	if (te->has_ctime)
		flags |= FP_CTIME;
	if (te->link != NULL)
		flags |= FP_LINK;
	if (te->xattrs != NULL)
		flags |= FP_XATTRS;
	if (memcmp(te->hash, tar_fp_empty_hash(), TAR_HASH_MAX) != 0)
		flags |= FP_HASH;
	if (te->devmajor != 0 || te->devminor != 0)
		flags |= FP_DEVICE;
	if (te->sparse)
		flags |= FP_SPARSE;
	sbuf_add_varint(sb, pre);
	tar_fp_put_bytes(sb, te->path + pre, strlen(te->path + pre));
	sbuf_addc(sb, (char)(te->kind | te->hdrfmt << 4));
	sbuf_addc(sb, (char)flags);
	sbuf_add_varint(sb, te->mode);
	sbuf_add_varint(sb, fp_zigzag(te->uid));
	sbuf_add_varint(sb, fp_zigzag(te->gid));
	sbuf_add_varint(sb, tar_strpool_index(&ar->pool, te->uname));
	sbuf_add_varint(sb, tar_strpool_index(&ar->pool, te->gname));
	sbuf_add_varint(sb, te->size);
	put_time(sb, *mtime, te->mtime, te->mtime_ns);
	*mtime = te->mtime;
	if (flags & FP_ATIME)
		put_time(sb, te->mtime, te->atime, te->atime_ns);
	if (flags & FP_CTIME)
		put_time(sb, te->mtime, te->ctime, te->ctime_ns);
	if (flags & FP_LINK)
		tar_fp_put_bytes(sb, te->link, strlen(te->link));
	if (flags & FP_XATTRS)
		tar_fp_put_bytes(sb, te->xattrs, strlen(te->xattrs));
	if (flags & FP_DEVICE) {
		sbuf_add_varint(sb, te->devmajor);
		sbuf_add_varint(sb, te->devminor);
	}
	if (flags & FP_HASH)
		sbuf_add(sb, te->hash, TAR_HASH_MAX);
}

static void
put_table(struct fpout *o, const struct tar_archive *ar,
    const struct tar_layer *l)
{
	struct sbuf rec = SBUF_INIT;
	const char *prev = "";
	int64_t mtime = 0;
	size_t i;

	for (i = 0; i < l->nentries && !o->failed; i++) {
		sbuf_reset(&rec);
		tar_fp_put_entry(&rec, ar, &l->entries[i], prev, &mtime);
		fpout_put(o, rec.buf, rec.len);
		prev = l->entries[i].path;
	}
	sbuf_release(&rec);
}

/* Each image's package set (docs/fingerprint.md): its length, 0 when
   not known, and its bytes. */
static void
put_packages(struct fpout *o, const struct tar_archive *ar,
    struct pkg_db *const *dbs)
{
	struct sbuf set = SBUF_INIT, len = SBUF_INIT;
	size_t i;

	for (i = 0; i < ar->nimages && !o->failed; i++) {
		sbuf_reset(&set);
		sbuf_reset(&len);
		if (dbs != NULL && dbs[i] != NULL)
			pkg_db_encode(dbs[i], &set);
		sbuf_add_varint(&len, set.len);
		fpout_put(o, len.buf, len.len);
		if (set.len > 0)
			fpout_put(o, set.buf, set.len);
	}
	sbuf_release(&set);
	sbuf_release(&len);
}

int
tar_record(const struct tar_archive *ar, struct pkg_db *const *dbs, FILE *fp,
    const char *writer, struct err *e)
{
	struct fpout o;
	struct tables t = { NULL, 0, 0 };
	struct sbuf head = SBUF_INIT;
	uint8_t skip[16], sum[32];
	unsigned int len = 32;
	json_t *h = NULL;
	char *text = NULL;
	size_t i;
	unsigned version;
	int r;

	memset(&o, 0, sizeof(o));
	if (ar->hash_kind != TAR_HASH_SHA256)
		return err_set(e, ERR_USAGE, "a fingerprint needs SHA-256 entry "
		    "hashes: read the image with sha256_entries");
	o.fp = fp;
	if ((o.zc = ZSTD_createCCtx()) == NULL || (o.sha = EVP_MD_CTX_new()) ==
	    NULL || !EVP_DigestInit_ex(o.sha, EVP_sha256(), NULL))
		xalloc_die();
	ZSTD_CCtx_setParameter(o.zc, ZSTD_c_compressionLevel, FP_LEVEL);
	ZSTD_CCtx_setParameter(o.zc, ZSTD_c_checksumFlag, 1);
	o.zcap = ZSTD_CStreamOutSize();
	o.zbuf = xmalloc(o.zcap);
	if ((h = header_json(ar, writer, &t, e)) == NULL) {
		r = e->code;
		goto out;
	}
	if ((text = json_dumps(h, JSON_COMPACT | JSON_PRESERVE_ORDER)) == NULL)
		xalloc_die();
	/* The skippable frame that names the format and its version. */
	skip[0] = FP_SKIP_MAGIC & 0xff;
	skip[1] = FP_SKIP_MAGIC >> 8 & 0xff;
	skip[2] = FP_SKIP_MAGIC >> 16 & 0xff;
	skip[3] = FP_SKIP_MAGIC >> 24;
	memcpy(skip + 4, "\x08\x00\x00\x00" FP_TAG, 8);
	/* A fingerprint recorded again keeps its version: which of its
	   entries are sparse is not known in version 1. */
	version = ar->fingerprint ? ar->fp_version : TAR_FP_VERSION;
	for (i = 0; i < 4; i++)
		skip[12 + i] = (uint8_t)(version >> (8 * i) & 0xff);
	if (fwrite(skip, 1, sizeof(skip), fp) != sizeof(skip))
		fpout_fail(&o);
	sbuf_add_varint(&head, strlen(text));
	fpout_put(&o, head.buf, head.len);
	fpout_put(&o, text, strlen(text));
	for (i = 0; i < t.n && !o.failed; i++)
		put_table(&o, ar, t.v[i]);
	if (version >= 3)
		put_packages(&o, ar, dbs);
	EVP_DigestFinal_ex(o.sha, sum, &len);
	sbuf_add(&o.buf, sum, sizeof(sum));	/* the trailer: not hashed */
	fpout_compress(&o, ZSTD_e_end);
	if (!o.failed && (fflush(fp) != 0 || ferror(fp)))
		fpout_fail(&o);
	if (o.failed)
		r = err_set(e, ERR_IO, "cannot write the fingerprint: %s",
		    o.errnum != 0 ? strerror(o.errnum) : "write error");
	else
		r = 0;
 out:
	json_decref(h);
	free(text);
	free(t.v);
	sbuf_release(&head);
	sbuf_release(&o.buf);
	free(o.zbuf);
	ZSTD_freeCCtx(o.zc);
	EVP_MD_CTX_free(o.sha);
	return r;
}
