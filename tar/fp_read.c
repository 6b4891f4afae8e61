/*
 * fp_read.c - read a fingerprint back into the reader's model, so that
 * diff compares it like an image.  Everything is checked: the zstd frame
 * checksum, the SHA-256 trailer, every config and manifest against its
 * digest, every layer's diff_id against its config, and every field of
 * every entry record against its range.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/sha.h>

#include "tar/fp_int.h"
#include "util/util.h"

static bool
fp_magic(const uint8_t p[16])
{
	return p[0] == (FP_SKIP_MAGIC & 0xff) &&
	    p[1] == (FP_SKIP_MAGIC >> 8 & 0xff) &&
	    p[2] == (FP_SKIP_MAGIC >> 16 & 0xff) && p[3] == FP_SKIP_MAGIC >> 24 &&
	    memcmp(p + 4, "\x08\x00\x00\x00" FP_TAG, 8) == 0;
}

bool
tar_fp_sniff(const struct bstream *bs)
{
	const uint8_t *p;

	return tar_bs_raw_head(bs, &p) >= 16 && fp_magic(p);
}

bool
tar_sniff_fingerprint(const char *path)
{
	struct stat st;
	uint8_t p[16];
	ssize_t n = -1;
	int fd;

	if (strcmp(path, "-") == 0 || stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return false;
	/* O_NONBLOCK: should path become a FIFO meanwhile, never wait. */
	if ((fd = open(path, O_RDONLY | O_NONBLOCK)) < 0)
		return false;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		n = pread(fd, p, sizeof(p), 0);
	close(fd);
	return n == (ssize_t)sizeof(p) && fp_magic(p);
}

int
tar_fp_json_bytes_get(const json_t *j, bool null_ok, const char *what,
    char **out, struct err *e)
{
	const char *hex;
	size_t n;

	*out = NULL;
	if (json_is_null(j) && null_ok)
		return 0;
	if (json_is_string(j)) {
		if (memchr(json_string_value(j), '\0', json_string_length(j)))
			return err_set(e, ERR_FORMAT, "%s holds a NUL byte", what);
		*out = xstrdup(json_string_value(j));
		return 0;
	}
	hex = json_string_value(json_object_get(j, "hex"));
	if (hex == NULL || json_object_size(j) != 1 || strlen(hex) % 2 != 0)
		return err_set(e, ERR_FORMAT, "%s is not a string", what);
	n = strlen(hex) / 2;
	*out = xmalloc(n + 1);
	if (util_hex_decode((uint8_t *)*out, hex, n) < 0 || memchr(*out, '\0', n)) {
		free(*out);
		*out = NULL;
		return err_set(e, ERR_FORMAT, "%s: bad hex string", what);
	}
	(*out)[n] = '\0';
	return 0;
}

/* ---- the payload, as it inflates ------------------------------------------ */

struct fpin {
	struct bstream *bs;
	const uint8_t *p, *end;	/* unread bytes of the current block */
	const uint8_t *from;	/* read but not yet hashed: from .. p */
	EVP_MD_CTX *sha;	/* of the payload before the trailer */
	uint64_t seen;		/* payload bytes received so far */
	unsigned version;	/* of the format */
	bool hashing;
	struct err *e;
};

static int
fpin_more(struct fpin *in)
{
	const void *buf;
	ssize_t n;

	if (in->hashing && in->p > in->from)
		EVP_DigestUpdate(in->sha, in->from, (size_t)(in->p - in->from));
	if ((n = tar_bs_read(in->bs, &buf, in->e)) < 0)
		return (int)n;
	if (n == 0)
		return err_set(in->e, ERR_FORMAT, "truncated");
	in->seen += (uint64_t)n;
	in->p = in->from = buf;
	in->end = in->p + n;
	return 0;
}

int
tar_fpin_get(struct fpin *in, void *dst, size_t n)
{
	uint8_t *d = dst;
	size_t take;
	int r;

	while (n > 0) {
		if (in->p == in->end && (r = fpin_more(in)) < 0)
			return r;
		take = (size_t)(in->end - in->p) < n ? (size_t)(in->end - in->p) : n;
		memcpy(d, in->p, take);
		in->p += take;
		d += take;
		n -= take;
	}
	return 0;
}

static int
fpin_varint(struct fpin *in, uint64_t *v)
{
	uint8_t b;
	unsigned shift;
	int r;

	*v = 0;
	for (shift = 0; shift < 64; shift += 7) {
		if ((r = tar_fpin_get(in, &b, 1)) < 0)
			return r;
		*v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return 0;
	}
	return err_set(in->e, ERR_FORMAT, "a number is longer than 64 bits");
}

/* A number no greater than max. */
int
tar_fpin_num(struct fpin *in, uint64_t max, const char *what, uint64_t *v)
{
	int r;

	if ((r = fpin_varint(in, v)) < 0)
		return r;
	if (*v > max)
		return err_set(in->e, ERR_FORMAT, "%s %llu is out of range", what,
		    (unsigned long long)*v);
	return 0;
}

/* Length-prefixed bytes with no NUL, appended to sb. */
int
tar_fpin_bytes(struct fpin *in, struct sbuf *sb, size_t max, const char *what)
{
	uint64_t n;
	size_t at = sb->len;
	int r;

	if ((r = tar_fpin_num(in, max, what, &n)) < 0)
		return r;
	sbuf_add(sb, "", 0);
	xgrow(&sb->buf, &sb->cap, sb->len + (size_t)n + 1, 1);
	if ((r = tar_fpin_get(in, sb->buf + sb->len, (size_t)n)) < 0)
		return r;
	sb->len += (size_t)n;
	sb->buf[sb->len] = '\0';
	if (memchr(sb->buf + at, '\0', (size_t)n) != NULL)
		return err_set(in->e, ERR_FORMAT, "%s holds a NUL byte", what);
	return 0;
}

/* ---- entry records -------------------------------------------------------- */

/* A time stored as a delta from base, and its nanoseconds. */
static int
get_time(struct fpin *in, int64_t base, int64_t *t, int32_t *ns)
{
	uint64_t v;
	int r;

	if ((r = fpin_varint(in, &v)) < 0)
		return r;
	/* Unsigned sums: a hostile delta wraps instead of overflowing. */
	*t = (int64_t)((uint64_t)base + (uint64_t)fp_unzigzag(v));
	if ((r = tar_fpin_num(in, 999999999, "nanoseconds", &v)) < 0)
		return r;
	*ns = (int32_t)v;
	return 0;
}

/*
 * Refuse a record whose fields contradict its kind, as no tar could have
 * produced it: the file-system code trusts, say, a hardlink to have a target.
 */
static int
check_kind(const struct tar_entry *te, unsigned flags, struct err *e)
{
	const char *kind = tar_kind_name((enum tar_kind)te->kind);
	bool is_link = te->kind == TAR_SYMLINK || te->kind == TAR_HARDLINK;
	bool is_dev = te->kind == TAR_CHR || te->kind == TAR_BLK;

	if (is_link && !(flags & FP_LINK))
		return err_set(e, ERR_FORMAT, "a %s without a link target", kind);
	if (!is_link && (flags & FP_LINK))
		return err_set(e, ERR_FORMAT, "a %s with a link target", kind);
	if (!is_dev && (flags & FP_DEVICE))
		return err_set(e, ERR_FORMAT, "a %s with device numbers", kind);
	/* The hash of no bytes is written as no hash, and only then. */
	if ((flags & FP_HASH) && te->size == 0)
		return err_set(e, ERR_FORMAT, "a content hash but size 0");
	if (!(flags & FP_HASH) && te->size != 0)
		return err_set(e, ERR_FORMAT, "size %llu but no content hash",
		    (unsigned long long)te->size);
	return 0;
}

/* One entry; path holds the previous entry's path and is updated. */
int
tar_fpin_entry(struct fpin *in, struct tar_entry *te, struct sbuf *path,
    struct arena *names, const char *const *strings, size_t nstrings,
    int64_t *mtime)
{
	struct sbuf sb = SBUF_INIT;
	uint64_t pre, v;
	uint8_t kf[2];
	int r;

	memset(te, 0, sizeof(*te));
	if ((r = tar_fpin_num(in, path->len, "path prefix", &pre)) < 0)
		return r;
	path->len = (size_t)pre;
	if ((r = tar_fpin_bytes(in, path, TAR_PATH_MAX - (size_t)pre,
	    "path")) < 0 || (r = tar_fpin_get(in, kf, 2)) < 0)
		return r;
	if ((kf[0] & 15) > TAR_OTHER || kf[0] >> 4 > TAR_FMT_OTHER ||
	    (kf[1] & ~(in->version < 2 ? FP_FLAGS_V1 : FP_FLAGS_ALL)) != 0 ||
	    ((kf[1] & FP_SPARSE) && !(kf[1] & FP_HASH)))
		return err_set(in->e, ERR_FORMAT, "bad entry type or flags");
	te->kind = kf[0] & 15;
	te->hdrfmt = kf[0] >> 4;
	if ((r = tar_fpin_num(in, 07777, "mode", &v)) < 0)
		return r;
	te->mode = (uint32_t)v;
	if ((r = fpin_varint(in, &v)) < 0)
		return r;
	te->uid = fp_unzigzag(v);
	if ((r = fpin_varint(in, &v)) < 0)
		return r;
	te->gid = fp_unzigzag(v);
	if ((r = tar_fpin_num(in, nstrings - 1, "user name", &v)) < 0)
		return r;
	te->uname = strings[v];
	if ((r = tar_fpin_num(in, nstrings - 1, "group name", &v)) < 0)
		return r;
	te->gname = strings[v];
	if ((r = tar_fpin_num(in, INT64_MAX, "size", &te->size)) < 0 ||
	    (r = check_kind(te, kf[1], in->e)) < 0)
		return r;
	if ((r = get_time(in, *mtime, &te->mtime, &te->mtime_ns)) < 0)
		return r;
	*mtime = te->mtime;
	if ((kf[1] & FP_ATIME) && (r = get_time(in, te->mtime, &te->atime,
	    &te->atime_ns)) < 0)
		return r;
	if ((kf[1] & FP_CTIME) && (r = get_time(in, te->mtime, &te->ctime,
	    &te->ctime_ns)) < 0)
		return r;
	te->has_atime = (kf[1] & FP_ATIME) != 0;
	te->sparse = (kf[1] & FP_SPARSE) != 0;
	te->has_ctime = (kf[1] & FP_CTIME) != 0;
	te->path = arena_strndup(names, sbuf_str(path), path->len);
	if (kf[1] & FP_LINK) {
		if ((r = tar_fpin_bytes(in, &sb, TAR_PATH_MAX, "link")) < 0)
			goto fail;
		te->link = arena_strndup(names, sbuf_str(&sb), sb.len);
		sbuf_release(&sb);
	}
	if (kf[1] & FP_XATTRS) {
		if ((r = tar_fpin_bytes(in, &sb, FP_XATTRS_MAX, "xattrs")) < 0)
			goto fail;
		te->xattrs = sbuf_detach(&sb);
	}
	if (kf[1] & FP_DEVICE) {
		if ((r = tar_fpin_num(in, UINT32_MAX, "device", &v)) < 0)
			goto fail;
		te->devmajor = (uint32_t)v;
		if ((r = tar_fpin_num(in, UINT32_MAX, "device", &v)) < 0)
			goto fail;
		te->devminor = (uint32_t)v;
	}
	if (kf[1] & FP_HASH) {
		if ((r = tar_fpin_get(in, te->hash, TAR_HASH_MAX)) < 0)
			goto fail;
	} else
		memcpy(te->hash, tar_fp_empty_hash(), TAR_HASH_MAX);
	return 0;
 fail:
	sbuf_release(&sb);
	free(te->xattrs);
	/* names keeps the path and the link until it is released */
	te->path = te->link = te->xattrs = NULL;
	return r;
}

/*
 * After a record failed to parse: was it read from the trailer, because the
 * table is shorter than its header says?  Reads the rest of the payload.
 */
static bool
fpin_in_trailer(struct fpin *in)
{
	uint64_t pos = in->seen - (uint64_t)(in->end - in->p);
	struct err e2 = { 0, "" };
	const void *buf;
	ssize_t n;

	while ((n = tar_bs_read(in->bs, &buf, &e2)) > 0)
		in->seen += (uint64_t)n;
	return n == 0 && pos + 32 > in->seen;
}

static int
get_table(struct fpin *in, struct entries *en, size_t n,
    const char *const *strings, size_t nstrings)
{
	struct sbuf path = SBUF_INIT;
	int64_t mtime = 0;
	int r = 0;

	sbuf_add(&path, "", 0);
	/* Grown as records arrive: the count in the header is not trusted. */
	for (en->n = 0; en->n < n; en->n++) {
		xgrow(&en->v, &en->cap, en->n + 1, sizeof(*en->v));
		if ((r = tar_fpin_entry(in, &en->v[en->n], &path, &en->names,
		    strings, nstrings, &mtime)) < 0) {
			if (fpin_in_trailer(in)) {
				err_clear(in->e);
				r = err_set(in->e, ERR_FORMAT,
				    "truncated: %zu of the %zu entries its header announces",
				    en->n, n);
			} else
				err_prefix(in->e, "entry %zu", en->n + 1);
			break;
		}
		en->v[en->n].ordinal = (uint32_t)en->n;
	}
	sbuf_release(&path);
	return r;
}

/* ---- the header --------------------------------------------------------- */

static struct blob *
add_blob(struct tar_archive *ar, const char *name)
{
	struct blob *b;

	xgrow(&ar->blobs, &ar->cap, ar->nblobs + 1, sizeof(*ar->blobs));
	b = &ar->blobs[ar->nblobs++];
	memset(b, 0, sizeof(*b));
	b->name = xstrdup(name);
	b->kind = TAR_REG;
	return b;
}

static int
get_digest(const json_t *o, const char *key, bool null_ok, bool *have,
    uint8_t d[32], struct err *e)
{
	const json_t *j = json_object_get(o, key);
	const char *s = json_string_value(j);
	int r;

	if (have != NULL)
		*have = false;
	if (null_ok && json_is_null(j))
		return 0;
	if (s == NULL && j != NULL)
		return err_set(e, ERR_FORMAT, "%s: digest is not a string", key);
	if ((r = tar_parse_digest(s, d, key, e)) < 0)
		return r;
	if (have != NULL)
		*have = true;
	return 0;
}

static int
get_uint(const json_t *o, const char *key, uint64_t max, uint64_t *v,
    struct err *e)
{
	const json_t *j = json_object_get(o, key);

	if (!json_is_integer(j) || json_integer_value(j) < 0 ||
	    (uint64_t)json_integer_value(j) > max)
		return err_set(e, ERR_FORMAT, "'%s' is not a number up to %llu", key,
		    (unsigned long long)max);
	*v = (uint64_t)json_integer_value(j);
	return 0;
}

/* A JSON document with its digest: check the bytes, keep them, parse. */
static int
get_doc(struct tar_archive *ar, const json_t *o, const char *what,
    bool *have, uint8_t d[32], json_t **doc, char **media_type,
    struct err *e)
{
	const json_t *raw = json_object_get(o, "raw");
	json_error_t je;
	struct blob *b;
	uint8_t got[32];
	char hex[65], name[96];
	int r;

	*have = false;
	if (json_is_null(o))
		return 0;
	if ((r = get_digest(o, "digest", false, NULL, d, e)) < 0) {
		err_prefix(e, "%s", what);
		return r;
	}
	if (!json_is_string(raw))
		return err_set(e, ERR_FORMAT, "%s has no bytes", what);
	SHA256((const unsigned char *)json_string_value(raw),
	    json_string_length(raw), got);
	if (memcmp(got, d, 32) != 0)
		return err_set(e, ERR_DIGEST, "%s does not match its digest", what);
	if ((*doc = json_loadb(json_string_value(raw), json_string_length(raw),
	    JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je)) == NULL)
		return tar_json_out_of_memory(&je) ?
		    err_set(e, ERR_LIMIT, "%s: out of memory parsing it", what) :
		    err_set(e, ERR_FORMAT, "%s is not JSON", what);
	if (media_type != NULL && (r = tar_fp_json_bytes_get(json_object_get(o,
	    "media_type"), true, "media_type", media_type, e)) < 0)
		return r;
	util_hex_encode(hex, d, 32);
	snprintf(name, sizeof(name), "blobs/sha256/%s", hex);
	b = add_blob(ar, name);
	b->content = BLOB_JSON;
	memcpy(b->sha256, d, 32);
	memcpy(b->usha256, d, 32);
	b->size = b->usize = json_string_length(raw);
	b->json_len = json_string_length(raw);
	b->json = xstrndup(json_string_value(raw), b->json_len);
	*have = true;
	return 0;
}

int
tar_fp_get_framing(const json_t *o, struct tar_framing *f, struct err *e)
{
	const char *comp = json_string_value(json_object_get(o, "comp"));
	enum tar_comp c;
	char *gz_name = NULL;
	uint64_t v[9];
	static const char *const keys[9] = { "gz_flags", "gz_xfl", "gz_os",
	    "gz_mtime", "gz_members", "gz_padding", "zs_fhd", "zs_frames",
	    "zs_skippable" };
	static const uint64_t max[9] = { 255, 255, 255, UINT32_MAX, UINT32_MAX,
	    INT64_MAX, 255, UINT32_MAX, UINT32_MAX };
	unsigned i;
	int r;

	memset(f, 0, sizeof(*f));
	if (comp == NULL || tar_comp_parse(comp, &c) < 0)
		return err_set(e, ERR_FORMAT, "unknown layer compression");
	f->comp = (uint8_t)c;
	for (i = 0; i < 9; i++)
		if ((r = get_uint(o, keys[i], max[i], &v[i], e)) < 0)
			return r;
	f->gz_flags = (uint8_t)v[0];
	f->gz_xfl = (uint8_t)v[1];
	f->gz_os = (uint8_t)v[2];
	f->gz_mtime = (uint32_t)v[3];
	f->gz_members = (uint32_t)v[4];
	f->gz_padding = v[5];
	f->zs_fhd = (uint8_t)v[6];
	f->zs_frames = (uint32_t)v[7];
	f->zs_skippable = (uint32_t)v[8];
	if ((r = tar_fp_json_bytes_get(json_object_get(o, "gz_name"), false,
	    "gz_name", &gz_name, e)) < 0)
		return r;
	snprintf(f->gz_name, sizeof(f->gz_name), "%s", gz_name);
	free(gz_name);
	return 0;
}

static int
get_layer(const json_t *o, struct tar_layer *l, const struct entries *tables,
    size_t ntables, struct err *e)
{
	const json_t *t = json_object_get(o, "table");
	const json_t *present = json_object_get(o, "present");
	uint64_t k = 0;
	int r;

	if ((r = tar_fp_json_bytes_get(json_object_get(o, "media_type"), true,
	    "media_type", &l->media_type, e)) < 0 ||
	    (r = tar_fp_json_bytes_get(json_object_get(o, "member"), true, "member",
	    &l->member, e)) < 0 ||
	    (r = get_digest(o, "digest", false, NULL, l->digest, e)) < 0 ||
	    (r = get_digest(o, "diff_id", false, NULL, l->diff_id, e)) < 0 ||
	    (r = get_uint(o, "size", INT64_MAX, &l->size, e)) < 0 ||
	    (r = get_uint(o, "usize", INT64_MAX, &l->usize, e)) < 0 ||
	    (r = tar_fp_get_framing(json_object_get(o, "framing"), &l->framing, e)) < 0)
		return r;
	if (!json_is_boolean(present))
		return err_set(e, ERR_FORMAT, "'present' is not true or false");
	l->present = json_is_true(present);
	if (!l->present)
		return json_is_null(t) ? 0 : err_set(e, ERR_FORMAT,
		    "an absent layer has entries");
	if ((r = get_uint(o, "table", ntables == 0 ? 0 : ntables - 1, &k, e)) < 0)
		return r;
	if (ntables == 0)
		return err_set(e, ERR_FORMAT, "no entry table for a layer");
	l->entries = tables[k].v;
	l->nentries = tables[k].n;
	return 0;
}

/* The config's rootfs.diff_ids must name the layers, in order. */
static int
check_diff_ids(const struct tar_image *im, struct err *e)
{
	const json_t *ids = json_object_get(json_object_get(im->config, "rootfs"),
	    "diff_ids");
	uint8_t d[32];
	char what[64];
	size_t i;
	int r;

	if (json_array_size(ids) != im->nlayers)
		return err_set(e, ERR_DIGEST,
		    "the config lists %zu diff_ids but there are %zu layers",
		    json_array_size(ids), im->nlayers);
	for (i = 0; i < im->nlayers; i++) {
		snprintf(what, sizeof(what), "config diff_id %zu", i + 1);
		if ((r = tar_parse_digest(json_string_value(json_array_get(ids, i)), d,
		    what, e)) < 0)
			return r;
		if (memcmp(d, im->layers[i].diff_id, 32) != 0)
			return err_set(e, ERR_DIGEST,
			    "layer %zu: diff_id is not the one in the config", i + 1);
	}
	return 0;
}

static int
get_image(struct tar_archive *ar, const json_t *o, struct tar_image *im,
    const struct entries *tables, size_t ntables, struct err *e)
{
	const json_t *layers = json_object_get(o, "layers"), *v;
	const char *created;
	size_t i;
	int r;

	if ((r = tar_fp_json_bytes_get(json_object_get(o, "platform"), true,
	    "platform", &im->platform, e)) < 0 ||
	    (r = tar_fp_json_bytes_get(json_object_get(o, "ref_name"), true,
	    "ref_name", &im->ref_name, e)) < 0 ||
	    (r = get_digest(o, "index", true, &im->has_index, im->index_digest,
	    e)) < 0 ||
	    (r = get_doc(ar, json_object_get(o, "manifest"), "manifest",
	    &im->has_manifest, im->manifest_digest, &im->manifest,
	    &im->manifest_media_type, e)) < 0 ||
	    (r = get_doc(ar, json_object_get(o, "config"), "config",
	    &im->has_config, im->config_digest, &im->config, NULL, e)) < 0)
		return r;
	if ((created = json_string_value(json_object_get(im->config,
	    "created"))) != NULL)
		im->created = xstrdup(created);
	if (!json_is_array(json_object_get(o, "tags")) || !json_is_array(layers))
		return err_set(e, ERR_FORMAT, "an image has no tags or layers list");
	im->tags = xcalloc(json_array_size(json_object_get(o, "tags")) + 1,
	    sizeof(*im->tags));
	json_array_foreach(json_object_get(o, "tags"), i, v) {
		if ((r = tar_fp_json_bytes_get(v, false, "tag", &im->tags[i], e)) < 0)
			return r;
		im->ntags++;
	}
	if ((r = tar_count_descs(ar, 1 + json_array_size(layers), e)) < 0)
		return r;
	im->layers = xcalloc(json_array_size(layers) + 1, sizeof(*im->layers));
	json_array_foreach(layers, i, v) {
		im->nlayers++;
		if ((r = get_layer(v, &im->layers[i], tables, ntables, e)) < 0) {
			err_prefix(e, "layer %zu", i + 1);
			return r;
		}
	}
	return im->has_config ? check_diff_ids(im, e) : 0;
}

static int
get_identity(struct tar_archive *ar, const json_t *h, struct err *e)
{
	const json_t *in = json_object_get(h, "input");
	const char *fmt = json_string_value(json_object_get(in, "format"));
	const char *comp = json_string_value(json_object_get(in, "compression"));
	char *warnings = NULL;
	int r;

	if (!json_is_object(h) || !json_is_string(json_object_get(h, "schema")) ||
	    strcmp(json_string_value(json_object_get(h, "schema")), FP_SCHEMA) != 0)
		return err_set(e, ERR_FORMAT, "the header is not %s", FP_SCHEMA);
	if (fmt == NULL || tar_format_parse(fmt, &ar->format) < 0)
		return err_set(e, ERR_FORMAT, "unknown archive format");
	if (comp == NULL || tar_comp_parse(comp, &ar->wrapper_comp) < 0)
		return err_set(e, ERR_FORMAT, "unknown archive compression");
	if ((r = get_digest(in, "sha256", true, &ar->have_input_sha,
	    ar->input_sha, e)) < 0 ||
	    (r = get_uint(in, "size", INT64_MAX, &ar->input_size, e)) < 0 ||
	    (r = get_digest(h, "index_json", true, &ar->have_index, ar->index_sha,
	    e)) < 0 ||
	    (r = tar_fp_json_bytes_get(json_object_get(h, "warnings"), false,
	    "warnings", &warnings, e)) < 0)
		return r;
	sbuf_addstr(&ar->warnings, warnings);
	free(warnings);
	return 0;
}

static int
get_attestations(struct tar_archive *ar, const json_t *a, struct err *e)
{
	const json_t *v;
	size_t i;
	int r;

	json_array_foreach(a, i, v) {
		xgrow(&ar->att, &ar->att_cap, ar->natt + 1, sizeof(*ar->att));
		memset(&ar->att[ar->natt], 0, sizeof(*ar->att));
		ar->natt++;
		if ((r = get_digest(v, "digest", false, NULL,
		    ar->att[ar->natt - 1].digest, e)) < 0 ||
		    (r = tar_fp_json_bytes_get(json_object_get(v, "ref"), true, "ref",
		    &ar->att[ar->natt - 1].ref, e)) < 0)
			return r;
	}
	return 0;
}

/* What the index listed beside the images, and its image index digest:
   keys a fingerprint of an older writer lacks. */
static int
get_listed(struct tar_archive *ar, const json_t *h, struct err *e)
{
	const json_t *v;
	struct tar_listed *l;
	const char *kind;
	unsigned k;
	size_t i;
	int r;

	if (json_object_get(h, "image_index") != NULL &&
	    (r = get_digest(h, "image_index", true, &ar->have_image_index,
	    ar->image_index_sha, e)) < 0)
		return r;
	json_array_foreach(json_object_get(h, "listed"), i, v) {
		if ((r = tar_count_descs(ar, 1, e)) < 0)
			return r;
		xgrow(&ar->listed, &ar->listed_cap, ar->nlisted + 1,
		    sizeof(*ar->listed));
		l = &ar->listed[ar->nlisted++];
		memset(l, 0, sizeof(*l));
		kind = json_string_value(json_object_get(v, "kind"));
		for (k = 0; kind != NULL && k < TAR_NLISTED; k++)
			if (strcmp(kind, tar_listed_kind_name((enum tar_listed_kind)k)) == 0)
				break;
		if (kind == NULL || k == TAR_NLISTED)
			return err_set(e, ERR_FORMAT, "listed %zu: unknown kind", i + 1);
		l->kind = (uint8_t)k;
		if (!json_is_boolean(json_object_get(v, "present")))
			return err_set(e, ERR_FORMAT, "listed %zu: 'present' is not "
			    "true or false", i + 1);
		l->present = json_is_true(json_object_get(v, "present"));
		if ((r = get_digest(v, "digest", false, NULL, l->digest, e)) < 0 ||
		    (r = get_digest(v, "index", true, &l->has_index,
		    l->index_digest, e)) < 0 ||
		    (r = tar_fp_json_bytes_get(json_object_get(v, "media_type"), true,
		    "media_type", &l->media_type, e)) < 0 ||
		    (r = tar_fp_json_bytes_get(json_object_get(v, "platform"), true,
		    "platform", &l->platform, e)) < 0 ||
		    (r = tar_fp_json_bytes_get(json_object_get(v, "artifact_type"),
		    true, "artifact_type", &l->artifact_type, e)) < 0 ||
		    (r = tar_fp_json_bytes_get(json_object_get(v, "subject"), true,
		    "subject", &l->subject, e)) < 0 ||
		    (r = tar_fp_json_bytes_get(json_object_get(v, "ref_name"), true,
		    "ref_name", &l->ref_name, e)) < 0) {
			err_prefix(e, "listed %zu", i + 1);
			return r;
		}
	}
	return 0;
}

int
tar_fp_get_strings(struct tar_archive *ar, const json_t *a, const char ***out,
    size_t *n, struct err *e)
{
	const json_t *v;
	char *s;
	size_t i;
	int r;

	if (json_array_size(a) == 0)
		return err_set(e, ERR_FORMAT, "the header has no strings");
	*out = xcalloc(json_array_size(a), sizeof(**out));
	*n = json_array_size(a);
	json_array_foreach(a, i, v) {
		if ((r = tar_fp_json_bytes_get(v, false, "string", &s, e)) < 0)
			return r;
		(*out)[i] = tar_strpool_intern(&ar->pool, s);
		free(s);
	}
	return 0;
}

/* Read the entry tables the header announces, each into a blob. */
static int
get_tables(struct fpin *in, const json_t *tabs,
    const char *const *strings, size_t nstrings, struct entries **out)
{
	const json_t *t;
	struct entries *en;
	char *member = NULL;
	uint64_t n = 0;
	size_t i;
	int r;

	*out = en = xcalloc(json_array_size(tabs) + 1, sizeof(*en));
	json_array_foreach(tabs, i, t) {
		if ((r = get_uint(t, "entries", TAR_ENTRIES_MAX, &n, in->e)) < 0 ||
		    (r = tar_fp_json_bytes_get(json_object_get(t, "member"), true,
		    "member", &member, in->e)) < 0)
			return r;
		r = get_table(in, &en[i], (size_t)n, strings, nstrings);
		free(member);
		if (r < 0) {
			err_prefix(in->e, "table %zu", i + 1);
			return r;
		}
	}
	return 0;
}

/* Move the tables into blobs, which tar_free() releases. */
static void
keep_tables(struct tar_archive *ar, struct entries *en, size_t n)
{
	char name[48];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "fingerprint table %zu", i + 1);
		add_blob(ar, name)->entries = en[i];
		memset(&en[i], 0, sizeof(en[i]));
	}
}

int
tar_fpin_trailer(struct fpin *in)
{
	uint8_t want[32], got[32];
	unsigned int len = 32;
	const void *buf;
	ssize_t n;
	int r;

	if (in->p > in->from)
		EVP_DigestUpdate(in->sha, in->from, (size_t)(in->p - in->from));
	in->from = in->p;
	in->hashing = false;
	EVP_DigestFinal_ex(in->sha, want, &len);
	if ((r = tar_fpin_get(in, got, sizeof(got))) < 0)
		return r;
	if (memcmp(want, got, 32) != 0)
		return err_set(in->e, ERR_DIGEST,
		    "its SHA-256 does not match its contents (changed after it was written)");
	if (in->p != in->end)
		return err_set(in->e, ERR_FORMAT, "data after the end");
	/* To the end of the stream: the zstd checksum is checked there. */
	if ((n = tar_bs_read(in->bs, &buf, in->e)) > 0)
		return err_set(in->e, ERR_FORMAT, "data after the end");
	return (int)n;
}

static int
get_header(struct fpin *in, json_t **out)
{
	json_error_t je;
	uint64_t n;
	char *text;
	int r;

	if ((r = tar_fpin_num(in, FP_HEADER_MAX, "header length", &n)) < 0)
		return r;
	text = xmalloc((size_t)n + 1);
	if ((r = tar_fpin_get(in, text, (size_t)n)) == 0 &&
	    (*out = json_loadb(text, (size_t)n, JSON_REJECT_DUPLICATES, &je)) ==
	    NULL)
		r = tar_json_out_of_memory(&je) ? err_set(in->e, ERR_LIMIT,
		    "out of memory parsing the header") :
		    err_set(in->e, ERR_FORMAT, "bad header JSON: %s", je.text);
	free(text);
	return r;
}

static int
check_version(struct tar_archive *ar, const struct bstream *bs, struct err *e)
{
	const uint8_t *p;
	uint32_t v;

	(void)tar_bs_raw_head(bs, &p);
	v = get_le32(p + 12);
	if (v < TAR_FP_VERSION_MIN || v > TAR_FP_VERSION)
		return err_set(e, ERR_UNSUPPORTED, "fingerprint format version %u "
		    "is not supported (this imgdrift reads versions %u to %u)", v,
		    TAR_FP_VERSION_MIN, TAR_FP_VERSION);
	ar->fp_version = v;
	return 0;
}

/* One image's package set: its length (0: not known) and its bytes, read
   in steps so that a hostile length allocates nothing it does not hold. */
static int
get_package_set(struct fpin *in, struct pkg_db **db)
{
	struct sbuf set = SBUF_INIT;
	uint64_t n;
	size_t take;
	int r;

	*db = NULL;
	if ((r = tar_fpin_num(in, FP_PACKAGES_MAX, "package set length",
	    &n)) < 0 || n == 0)
		return r;
	while (set.len < n) {
		take = n - set.len < (1u << 20) ? (size_t)(n - set.len) : 1u << 20;
		xgrow(&set.buf, &set.cap, set.len + take + 1, 1);
		if ((r = tar_fpin_get(in, set.buf + set.len, take)) < 0)
			goto out;
		set.len += take;
	}
	r = pkg_db_decode((const uint8_t *)set.buf, set.len, db, in->e);
 out:
	sbuf_release(&set);
	return r;
}

/* The package sets of the header's n images (format version 3 on). */
static int
get_package_sets(struct fpin *in, size_t n, struct pkg_db ***out)
{
	size_t i;
	int r;

	*out = xcalloc(n + 1, sizeof(**out));
	for (i = 0; i < n; i++)
		if ((r = get_package_set(in, &(*out)[i])) < 0) {
			err_prefix(in->e, "image %zu", i + 1);
			return r;
		}
	return 0;
}

int
tar_fp_read(struct tar_archive *ar, struct bstream *bs, struct err *e)
{
	struct fpin in;
	struct entries *tables = NULL;
	struct pkg_db **sets = NULL;
	const char **strings = NULL;
	json_t *h = NULL;
	const json_t *v, *imgs;
	struct tar_image *im;
	size_t i, nstrings = 0, ntables = 0, nimages = 0;
	int r;

	ar->fingerprint = true;
	ar->hash_kind = TAR_HASH_SHA256;
	if ((r = check_version(ar, bs, e)) < 0)
		return r;
	memset(&in, 0, sizeof(in));
	in.bs = bs;
	in.e = e;
	in.version = ar->fp_version;
	in.hashing = true;
	if ((in.sha = EVP_MD_CTX_new()) == NULL ||
	    !EVP_DigestInit_ex(in.sha, EVP_sha256(), NULL))
		xalloc_die();
	if ((r = get_header(&in, &h)) < 0 || (r = get_identity(ar, h, e)) < 0 ||
	    (r = get_attestations(ar, json_object_get(h, "attestations"),
	    e)) < 0 || (r = get_listed(ar, h, e)) < 0 ||
	    (r = tar_fp_get_strings(ar, json_object_get(h, "strings"), &strings,
	    &nstrings, e)) < 0)
		goto out;
	ntables = json_array_size(json_object_get(h, "tables"));
	imgs = json_object_get(h, "images");
	nimages = json_array_size(imgs);
	if ((r = get_tables(&in, json_object_get(h, "tables"), strings,
	    nstrings, &tables)) < 0 || (in.version >= 3 &&
	    (r = get_package_sets(&in, nimages, &sets)) < 0) ||
	    (r = tar_fpin_trailer(&in)) < 0)
		goto out;
	json_array_foreach(imgs, i, v) {
		if ((r = tar_image_add(ar, &im, e)) < 0)
			goto out;
		if (sets != NULL) {
			im->packages = sets[i];
			sets[i] = NULL;	/* transferred */
		}
		im->packages_unknown = im->packages == NULL;
		if ((r = get_image(ar, v, im, tables, ntables, e)) < 0) {
			err_prefix(e, "image %zu", i + 1);
			goto out;
		}
		tar_platform_filter_last(ar);
	}
	r = tar_platform_check(ar, "the fingerprint", e);
 out:
	if (tables != NULL) {
		keep_tables(ar, tables, ntables);
		free(tables);
	}
	for (i = 0; sets != NULL && i < nimages; i++)
		pkg_db_free(sets[i]);
	free(sets);
	free(strings);
	json_decref(h);
	EVP_MD_CTX_free(in.sha);
	if (r < 0 && r != ERR_USAGE)
		err_prefix(e, "fingerprint");
	return r;
}

/* ---- for the layer cache (cache.c) --------------------------------------- */

struct fpin *
tar_fpin_new(struct bstream *bs, struct err *e)
{
	struct fpin *in = xcalloc(1, sizeof(*in));

	in->bs = bs;
	in->e = e;
	/* Records as this imgdrift writes them (a sparse flag is valid). */
	in->version = TAR_FP_VERSION;
	in->hashing = true;
	if ((in->sha = EVP_MD_CTX_new()) == NULL ||
	    !EVP_DigestInit_ex(in->sha, EVP_sha256(), NULL))
		xalloc_die();
	return in;
}

void
tar_fpin_free(struct fpin *in)
{
	if (in == NULL)
		return;
	EVP_MD_CTX_free(in->sha);
	free(in);
}
