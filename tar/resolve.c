/*
 * resolve.c - after the pass: index -> manifests -> config and layers, with
 * every digest, size and diff_id checked against the bytes that were read.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/sha.h>

#include "tar/tar_int.h"

#define LINK_HOPS_MAX	8
#define PLATFORMS_LISTED	16	/* in the message when none matches */

static const char *const index_types[] = {
	"application/vnd.oci.image.index.v1+json",
	"application/vnd.docker.distribution.manifest.list.v2+json",
	NULL
};
static const char *const manifest_types[] = {
	"application/vnd.oci.image.manifest.v1+json",
	"application/vnd.docker.distribution.manifest.v2+json",
	NULL
};
static const char *const config_types[] = {
	"application/vnd.oci.image.config.v1+json",
	"application/vnd.docker.container.image.v1+json",
	NULL
};
static const char *const layer_types[] = {
	"application/vnd.oci.image.layer.v1.tar",
	"application/vnd.oci.image.layer.v1.tar+gzip",
	"application/vnd.oci.image.layer.v1.tar+zstd",
	"application/vnd.docker.image.rootfs.diff.tar",
	"application/vnd.docker.image.rootfs.diff.tar.gzip",
	"application/vnd.docker.image.rootfs.diff.tar.zstd",
	NULL
};
/* Layers that make a manifest a signature or an attestation (cosign). */
static const char *const signature_types[] = {
	"application/vnd.dev.cosign.simplesigning.v1+json",
	NULL
};
static const char *const dsse_types[] = {
	"application/vnd.dsse.envelope.v1+json",
	"application/vnd.in-toto+json",
	NULL
};
static const char *const foreign_types[] = {
	"application/vnd.oci.image.layer.nondistributable.v1.tar",
	"application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
	"application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
	"application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
	NULL
};

static bool
in_list(const char *s, const char *const *list)
{
	for (; s != NULL && *list != NULL; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

static int
blob_cmp(const void *a, const void *b)
{
	return strcmp(((const struct blob *)a)->name,
	    ((const struct blob *)b)->name);
}

void
tar_blobs_sort(struct tar_archive *ar)
{
	if (ar->nblobs > 1)
		qsort(ar->blobs, ar->nblobs, sizeof(*ar->blobs), blob_cmp);
}

static const struct blob *
blob_lookup(const struct tar_archive *ar, const char *name)
{
	struct blob key;

	memset(&key, 0, sizeof(key));
	key.name = (char *)(uintptr_t)name;
	if (ar->nblobs == 0)
		return NULL;
	return bsearch(&key, ar->blobs, ar->nblobs, sizeof(*ar->blobs), blob_cmp);
}

/*
 * Resolve target (relative to the directory of from, or to the root when it
 * starts with "/") into out, refusing to climb above the root.
 * @return 0, or -1 when the link points outside the archive.
 */
static int
link_join(struct sbuf *out, const char *from, const char *target, bool rel)
{
	char *buf, *tok, *save = NULL;
	const char *slash;
	size_t keep;

	sbuf_reset(out);
	if (rel && target[0] != '/' && (slash = strrchr(from, '/')) != NULL)
		sbuf_add(out, from, (size_t)(slash - from));
	buf = xstrdup(target);
	for (tok = strtok_r(buf, "/", &save); tok != NULL;
	    tok = strtok_r(NULL, "/", &save)) {
		if (strcmp(tok, ".") == 0)
			continue;
		if (strcmp(tok, "..") == 0) {
			if (out->len == 0) {
				free(buf);
				return -1;
			}
			slash = memrchr(out->buf, '/', out->len);
			keep = slash != NULL ? (size_t)(slash - out->buf) : 0;
			out->len = keep;
			out->buf[keep] = '\0';
			continue;
		}
		if (out->len > 0)
			sbuf_addc(out, '/');
		sbuf_addstr(out, tok);
	}
	free(buf);
	return 0;
}

const struct blob *
tar_blob_find(const struct tar_archive *ar, const char *name, struct err *e)
{
	struct sbuf cur = SBUF_INIT, next = SBUF_INIT;
	const struct blob *b = NULL;
	int hops;

	sbuf_addstr(&cur, name);
	tar_normalize_path(cur.buf);
	cur.len = strlen(cur.buf);
	for (hops = 0; hops <= LINK_HOPS_MAX; hops++) {
		b = blob_lookup(ar, sbuf_str(&cur));
		if (b == NULL || (b->kind != TAR_SYMLINK && b->kind != TAR_HARDLINK))
			goto out;
		if (link_join(&next, b->name, b->link, b->kind == TAR_SYMLINK) < 0) {
			err_set(e, ERR_FORMAT, "member '%s': link points outside the archive",
			    b->name);
			b = NULL;
			goto out;
		}
		sbuf_reset(&cur);
		sbuf_addstr(&cur, sbuf_str(&next));
	}
	err_set(e, ERR_FORMAT, "member '%s': too many levels of links", name);
	b = NULL;
 out:
	sbuf_release(&cur);
	sbuf_release(&next);
	return b;
}

int
tar_parse_digest(const char *s, uint8_t d[32], const char *where, struct err *e)
{
	const char *hex;

	if (s != NULL && skip_prefix(s, "sha256:", &hex) &&
	    util_hex_decode(d, hex, 32) == 0)
		return 0;
	if (s == NULL)
		return err_set(e, ERR_FORMAT, "%s: missing digest", where);
	if (strchr(s, ':') != NULL && !starts_with(s, "sha256:"))
		return err_set(e, ERR_UNSUPPORTED, "%s: unsupported digest '%.80s' "
		    "(only sha256)", where, s);
	return err_set(e, ERR_FORMAT, "%s: malformed digest '%.80s'", where, s);
}

bool
tar_json_out_of_memory(const json_error_t *je)
{
	return json_error_code(je) == json_error_out_of_memory ||
	    (je->line == -1 && je->text[0] == '\0');
}

/*
 * The blobs are const once the pass is over, except for what resolution
 * caches in them (blob.doc, blob.walked); their bytes never change.
 */
static struct blob *
blob_cache(const struct blob *b)
{
	return (struct blob *)(uintptr_t)b;
}

/* Parse b, once however often it is asked for.  @return 0 and a new
   reference in *out, or a negative code. */
static int
load_json(const struct blob *b, const char *what, json_t **out, struct err *e)
{
	json_error_t je;
	const char *name = b->name;
	json_t *j;
	int r;

	if (b->doc != NULL) {
		*out = json_incref(b->doc);
		return 0;
	}
	if (b->json_over)
		r = err_set(e, ERR_LIMIT, "%s '%s' is larger than %u bytes", what,
		    name, TAR_JSON_MAX);
	else if (b->content != BLOB_JSON || b->json == NULL)
		r = err_set(e, ERR_FORMAT, "%s '%s' is not JSON", what, name);
	else if ((j = json_loadb(b->json, b->json_len, JSON_REJECT_DUPLICATES |
	    JSON_DECODE_ANY, &je)) == NULL && tar_json_out_of_memory(&je))
		r = err_set(e, ERR_LIMIT, "%s '%s': out of memory parsing it", what,
		    name);
	else if (j == NULL)
		r = err_set(e, ERR_FORMAT, "%s '%s': bad JSON at line %d: %s", what,
		    name, je.line, je.text);
	else {
		blob_cache(b)->doc = j;
		*out = json_incref(j);
		r = 0;
	}
	return r;
}

static const char *
jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

char *
tar_platform_string(const json_t *p)
{
	const char *os = jstr(p, "os"), *arch = jstr(p, "architecture");
	const char *var = jstr(p, "variant");
	struct sbuf sb = SBUF_INIT;

	if (os == NULL || arch == NULL)
		return NULL;
	sbuf_addf(&sb, "%s/%s", os, arch);
	if (var != NULL && var[0] != '\0')
		sbuf_addf(&sb, "/%s", var);
	return sbuf_detach(&sb);
}

/* "linux/arm64" matches "linux/arm64/v8"; an exact string always matches. */
bool
tar_platform_match(const char *want, const char *have)
{
	size_t n;

	if (want == NULL)
		return true;
	if (have == NULL)
		return false;
	if (strcmp(want, have) == 0)
		return true;
	n = strlen(want);
	if (strchr(want, '/') == NULL) {
		/* An architecture alone: "arm64" is "*\/arm64[/variant]". */
		if ((have = strchr(have, '/')) == NULL)
			return false;
		have++;
		return strncmp(want, have, n) == 0 &&
		    (have[n] == '\0' || have[n] == '/');
	}
	return strchr(want + (strchr(want, '/') ? (size_t)(strchr(want, '/') -
	    want) + 1 : 0), '/') == NULL && strncmp(want, have, n) == 0 &&
	    have[n] == '/';
}

void
tar_platform_filter_last(struct tar_archive *ar)
{
	struct tar_image *im = &ar->images[ar->nimages - 1];

	if (tar_platform_match(ar->opts->platform, im->platform))
		return;
	if (im->platform != NULL) {
		xgrow(&ar->other_platforms, &ar->other_cap, ar->nother + 1,
		    sizeof(*ar->other_platforms));
		ar->other_platforms[ar->nother++] = im->platform;
		im->platform = NULL;	/* transferred */
	}
	tar_image_release(im);
	ar->nimages--;
}

static int
str_cmp(const void *pa, const void *pb)
{
	return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

/* Add the distinct strings of v (sorted in place) to sb, ", " between,
   at most PLATFORMS_LISTED of them.  @return how many are distinct. */
static size_t
add_distinct(struct sbuf *sb, const char **v, size_t n)
{
	size_t i, k = 0;

	if (n > 1)
		qsort(v, n, sizeof(*v), str_cmp);
	for (i = 0; i < n; i++) {
		if (i > 0 && strcmp(v[i - 1], v[i]) == 0)
			continue;
		if (k < PLATFORMS_LISTED)
			sbuf_addf(sb, "%s%s", k > 0 ? ", " : "", v[i]);
		k++;
	}
	if (k > PLATFORMS_LISTED)
		sbuf_addf(sb, " and %zu more", k - PLATFORMS_LISTED);
	return k;
}

/* After --platform: forget the absent images of other platforms. */
static void
prune_listed(struct tar_archive *ar)
{
	const char *want = ar->opts->platform;
	size_t i, k = 0;

	for (i = 0; i < ar->nlisted; i++) {
		if (want == NULL || ar->listed[i].kind != TAR_LISTED_ABSENT ||
		    tar_platform_match(want, ar->listed[i].platform))
			ar->listed[k++] = ar->listed[i];
		else
			tar_listed_release(&ar->listed[i]);
	}
	ar->nlisted = k;
}

/* @return " (its index lists: 1 artifact, 2 absent)", or "" when it lists
   nothing that is not an image, in sb. */
static const char *
listed_counts(const struct tar_archive *ar, struct sbuf *sb)
{
	size_t n[TAR_NLISTED] = { 0 }, i;
	unsigned k;

	for (i = 0; i < ar->nlisted; i++)
		n[ar->listed[i].kind]++;
	for (k = 0; k < TAR_NLISTED; k++)
		if (n[k] > 0)
			sbuf_addf(sb, "%s%zu %s", sb->len > 0 ? ", " :
			    " (its index lists: ", n[k],
			    tar_listed_kind_count((enum tar_listed_kind)k, n[k]));
	if (sb->len > 0)
		sbuf_addc(sb, ')');
	return sbuf_str(sb);
}

/* @return the first absent image of platform want, or NULL. */
static const struct tar_listed *
absent_platform(const struct tar_archive *ar, const char *want)
{
	size_t i;

	for (i = 0; i < ar->nlisted; i++)
		if (ar->listed[i].kind == TAR_LISTED_ABSENT &&
		    tar_platform_match(want, ar->listed[i].platform))
			return &ar->listed[i];
	return NULL;
}

/* @return the platforms of the images read and of those --platform left
   out, listed in sb (v: room for them all). */
static const char *
present_platforms(const struct tar_archive *ar, const char **v,
    struct sbuf *sb)
{
	size_t i, n = 0;

	for (i = 0; i < ar->nother; i++)
		v[n++] = ar->other_platforms[i];
	if (add_distinct(sb, v, n) == 0)
		sbuf_addstr(sb, "no image names its platform");
	return sbuf_str(sb);
}

int
tar_platform_check(struct tar_archive *ar, const char *what, struct err *e)
{
	const char *want = ar->opts->platform, **v;
	const struct tar_listed *l;
	struct sbuf sb = SBUF_INIT;
	char hex[65];
	size_t i, n = 0;
	int r = 0;

	if (ar->nimages == 0 && want == NULL) {
		r = err_set(e, ERR_FORMAT, "%s holds no image%s", what,
		    listed_counts(ar, &sb));
		sbuf_release(&sb);
		return r;
	}
	if (want != NULL)
		prune_listed(ar);
	if (want == NULL || (ar->nimages > 0 && strchr(want, '/') != NULL))
		return 0;
	v = xcalloc(ar->nimages + ar->nother + 1, sizeof(*v));
	for (i = 0; i < ar->nimages; i++)
		if (ar->images[i].platform != NULL)
			v[n++] = ar->images[i].platform;
	if (ar->nimages > 0) {
		if (add_distinct(&sb, v, n) > 1)
			r = err_set(e, ERR_USAGE, "platform '%s' names more than one "
			    "platform present (%s): name one as OS/ARCH[/VARIANT]",
			    want, sbuf_str(&sb));
	} else if ((l = absent_platform(ar, want)) != NULL) {
		util_hex_encode(hex, l->digest, 32);
		r = err_set(e, ERR_USAGE, "platform '%s' is listed (manifest "
		    "sha256:%.12s) but not in the archive (present: %s)", want, hex,
		    present_platforms(ar, v, &sb));
	} else
		r = err_set(e, ERR_USAGE, "no image for platform '%s' (present: %s)",
		    want, present_platforms(ar, v, &sb));
	free(v);
	sbuf_release(&sb);
	return r;
}

/*
 * Find the blob a descriptor names and check it against the digest and size.
 * @return 0 and *out (NULL when missing and missing_ok), or a negative code.
 */
static int
desc_blob(const struct tar_archive *ar, const json_t *desc, const char *what,
    bool missing_ok, const struct blob **out, uint8_t digest[32],
    struct err *e)
{
	const struct blob *b;
	const json_t *js;
	char hex[65], got[65], name[96];
	json_int_t size;
	int r;

	*out = NULL;
	if (!json_is_object(desc))
		return err_set(e, ERR_FORMAT, "%s: descriptor is not an object", what);
	if ((r = tar_parse_digest(jstr(desc, "digest"), digest, what, e)) < 0)
		return r;
	util_hex_encode(hex, digest, 32);
	snprintf(name, sizeof(name), "blobs/sha256/%s", hex);
	if ((b = tar_blob_find(ar, name, e)) == NULL) {
		if (e->code)
			return e->code;
		if (missing_ok)
			return 0;
		return err_set(e, ERR_FORMAT, "%s: blob '%s' is missing", what, name);
	}
	if (b->sparse)
		return err_set(e, ERR_FORMAT, "%s: blob '%s' is a sparse member, "
		    "not read (its holes are no blob's bytes)", what, name);
	if (memcmp(b->sha256, digest, 32) != 0) {
		util_hex_encode(got, b->sha256, 32);
		return err_set(e, ERR_DIGEST,
		    "%s: blob '%s' does not match its digest (content is sha256:%s)",
		    what, name, got);
	}
	js = json_object_get(desc, "size");
	if (!json_is_integer(js) || (size = json_integer_value(js)) < 0)
		return err_set(e, ERR_FORMAT, "%s: descriptor has no valid size", what);
	if ((uint64_t)size != b->size)
		return err_set(e, ERR_DIGEST,
		    "%s: blob '%s' is %llu bytes but its descriptor says %lld",
		    what, name, (unsigned long long)b->size, (long long)size);
	*out = b;
	return 0;
}

int
tar_count_descs(struct tar_archive *ar, size_t n, struct err *e)
{
	if (n > TAR_DESCS_MAX - ar->ndescs)
		return err_set(e, ERR_LIMIT, "more than %u descriptors in all",
		    TAR_DESCS_MAX);
	ar->ndescs += n;
	return 0;
}

int
tar_image_add(struct tar_archive *ar, struct tar_image **out, struct err *e)
{
	struct tar_image *im;

	if (ar->nimages >= TAR_IMAGES_MAX)
		return err_set(e, ERR_LIMIT, "more than %u images", TAR_IMAGES_MAX);
	xgrow(&ar->images, &ar->images_cap, ar->nimages + 1, sizeof(*ar->images));
	im = &ar->images[ar->nimages++];
	memset(im, 0, sizeof(*im));
	*out = im;
	return 0;
}

/*
 * What a manifest and an image agree on when they are the same image: the
 * SHA-256 of the config digest and the layer digests, in order.
 */
static void
image_key(const struct tar_image *im, uint8_t key[32])
{
	struct sbuf sb = SBUF_INIT;
	size_t i;

	sbuf_add(&sb, im->config_digest, 32);
	for (i = 0; i < im->nlayers; i++)
		sbuf_add(&sb, im->layers[i].digest, 32);
	SHA256((const unsigned char *)sb.buf, sb.len, key);
	sbuf_release(&sb);
}

void
tar_image_release(struct tar_image *im)
{
	size_t i;

	free(im->platform);
	free(im->ref_name);
	free(im->manifest_media_type);
	json_decref(im->manifest);
	json_decref(im->config);
	free(im->created);
	for (i = 0; i < im->nlayers; i++) {
		free(im->layers[i].media_type);
		free(im->layers[i].member);
	}
	free(im->layers);
	for (i = 0; i < im->ntags; i++)
		free(im->tags[i]);
	free(im->tags);
	pkg_db_free(im->packages);
	memset(im, 0, sizeof(*im));
}

static void
image_drop_last(struct tar_archive *ar)
{
	tar_image_release(&ar->images[--ar->nimages]);
}

int
tar_layer_from_blob(struct tar_layer *l, const struct blob *b, const char *what,
    struct err *e)
{
	if (b->error != NULL)
		return err_set(e, b->error_code, "%s: %s", what, b->error);
	if (b->content != BLOB_TAR)
		return err_set(e, ERR_FORMAT, "%s: not a tar archive", what);
	memcpy(l->digest, b->sha256, 32);
	memcpy(l->diff_id, b->usha256, 32);
	l->size = b->size;
	l->usize = b->usize;
	l->framing = b->framing;
	l->member = xstrdup(b->name);
	l->present = true;
	l->entries = b->entries.v;
	l->nentries = b->entries.n;
	l->captures = b->entries.caps;
	l->ncaptures = b->entries.ncaps;
	if (b->entries.warnings.len > 0)
		l->warnings = sbuf_str((struct sbuf *)(uintptr_t)&b->entries.warnings);
	return 0;
}

/* Say what libarchive warned about in layer i (1-based), once. */
static void
layer_warnings(struct tar_archive *ar, size_t i, const struct tar_layer *l)
{
	struct sbuf sb = SBUF_INIT;
	const char *p, *nl;

	for (p = l->warnings; p != NULL && (nl = strchr(p, '\n')) != NULL;
	    p = nl + 1)
		sbuf_addf(&sb, "layer %zu: %.*s\n", i, (int)(nl - p), p);
	if (sb.len > 0 && strstr(sbuf_str(&ar->warnings), sbuf_str(&sb)) == NULL)
		sbuf_addstr(&ar->warnings, sbuf_str(&sb));
	sbuf_release(&sb);
}

/* Check each layer's uncompressed digest against config rootfs.diff_ids.
   The caller names the image in an error. */
static int
check_diff_ids(struct tar_image *im, struct err *e)
{
	const json_t *ids = json_object_get(json_object_get(im->config, "rootfs"),
	    "diff_ids");
	uint8_t want[32];
	char got[65], what[64];
	size_t i;
	int r;

	if (!json_is_array(ids))
		return err_set(e, ERR_FORMAT, "config has no rootfs.diff_ids");
	if (json_array_size(ids) != im->nlayers)
		return err_set(e, ERR_DIGEST,
		    "config lists %zu diff_ids but there are %zu layers",
		    json_array_size(ids), im->nlayers);
	for (i = 0; i < im->nlayers; i++) {
		snprintf(what, sizeof(what), "config diff_id %zu", i + 1);
		if ((r = tar_parse_digest(json_string_value(json_array_get(ids, i)), want,
		    what, e)) < 0)
			return r;
		if (!im->layers[i].present) {
			memcpy(im->layers[i].diff_id, want, 32);
			continue;
		}
		if (memcmp(want, im->layers[i].diff_id, 32) != 0) {
			util_hex_encode(got, im->layers[i].diff_id, 32);
			return err_set(e, ERR_DIGEST,
			    "layer %zu ('%s') uncompresses to sha256:%s, not the diff_id in the config",
			    i + 1, im->layers[i].member, got);
		}
	}
	return 0;
}

static void
image_from_config(struct tar_image *im, const char *platform)
{
	const char *created = jstr(im->config, "created");

	im->has_config = true;
	im->platform = platform != NULL ? xstrdup(platform) :
	    tar_platform_string(im->config);
	if (created != NULL)
		im->created = xstrdup(created);
}

/* Read the layers array of manifest mb into im: each descriptor checked,
   each present layer blob's entries and digests taken.  @return 0 or an
   ERR_* code. */
static int
manifest_layers(struct tar_archive *ar, struct tar_image *im,
    const struct blob *mb, struct err *e)
{
	const struct blob *lb;
	const json_t *layers, *d;
	const char *mt;
	char what[128], hex[65];
	size_t i;
	bool foreign;
	int r;

	layers = json_object_get(im->manifest, "layers");
	if (!json_is_array(layers))
		return err_set(e, ERR_FORMAT, "manifest '%s' has no layers array",
		    mb->name);
	if ((r = tar_count_descs(ar, 1 + json_array_size(layers), e)) < 0)
		return r;
	im->nlayers = json_array_size(layers);
	im->layers = xcalloc(im->nlayers, sizeof(*im->layers));
	json_array_foreach(layers, i, d) {
		struct tar_layer *l = &im->layers[i];

		snprintf(what, sizeof(what), "layer %zu", i + 1);
		mt = jstr(d, "mediaType");
		foreign = in_list(mt, foreign_types);
		if (!foreign && !in_list(mt, layer_types))
			return err_set(e, ERR_UNSUPPORTED, "%s: unknown media type '%s'",
			    what, mt ? mt : "");
		l->media_type = xstrdup(mt);
		/* The image-layout spec lets a layout lack any blob. */
		if ((r = desc_blob(ar, d, what, true, &lb, l->digest, e)) < 0)
			return r;
		if (lb == NULL) {
			l->size = (uint64_t)json_integer_value(json_object_get(d, "size"));
			/* Left in the registry on purpose (tar_opts.defer_layers). */
			l->deferred = ar->format == TAR_FORMAT_REGISTRY && !foreign;
			if (l->deferred)
				continue;
			util_hex_encode(hex, l->digest, 32);
			sbuf_addf(&ar->warnings, "layer %zu: %s%.*s not in the archive; "
			    "its entries are unknown\n", i + 1, foreign ?
			    "non-distributable layer" : "blob sha256:", foreign ? 0 : 12,
			    hex);
			continue;
		}
		if ((r = tar_layer_from_blob(l, lb, what, e)) < 0)
			return r;
		layer_warnings(ar, i + 1, l);
	}
	return 0;
}

/* resolve_manifest(): the manifest is no image, and is to be listed. */
#define NOT_AN_IMAGE 1

/*
 * Read manifest mb (of digest mdigest) as an image.  An error names the
 * manifest by digest and platform, since an index may list many.  @return 0,
 * NOT_AN_IMAGE when its config has the image config type but no rootfs (ORAS
 * writes one to give an artifact a platform), or an ERR_* code.
 */
static int
resolve_manifest(struct tar_archive *ar, const struct blob *mb,
    const uint8_t mdigest[32], const char *platform, const char *ref,
    const uint8_t *parent, struct err *e)
{
	struct tar_image *im;
	const struct blob *cb;
	const json_t *cfg;
	const char *mt;
	char hex[65];
	uint8_t key[32];
	int r;

	if ((r = tar_image_add(ar, &im, e)) < 0)
		return r;
	im->has_manifest = true;
	memcpy(im->manifest_digest, mdigest, 32);
	if (parent != NULL) {
		im->has_index = true;
		memcpy(im->index_digest, parent, 32);
	}
	if ((r = load_json(mb, "manifest", &im->manifest, e)) < 0)
		goto fail;
	if ((mt = jstr(im->manifest, "mediaType")) != NULL)
		im->manifest_media_type = xstrdup(mt);
	if (ref != NULL)
		im->ref_name = xstrdup(ref);
	cfg = json_object_get(im->manifest, "config");
	/* From the digest: the member may be a link with any name. */
	if ((r = desc_blob(ar, cfg, "config", false, &cb, im->config_digest,
	    e)) < 0)
		goto fail;
	if (!in_list(jstr(cfg, "mediaType"), config_types)) {
		mt = jstr(cfg, "mediaType");
		r = err_set(e, ERR_UNSUPPORTED, "config: unknown media type '%s'",
		    mt ? mt : "");
		goto fail;
	}
	if ((r = load_json(cb, "config", &im->config, e)) < 0)
		goto fail;
	if (json_object_get(im->config, "rootfs") == NULL) {
		image_drop_last(ar);
		return NOT_AN_IMAGE;
	}
	image_from_config(im, platform);
	if ((r = manifest_layers(ar, im, mb, e)) < 0 ||
	    (r = check_diff_ids(im, e)) < 0)
		goto fail;
	image_key(im, key);
	sbuf_add(&ar->keys, key, 32);
	tar_platform_filter_last(ar);
	return 0;
 fail:
	util_hex_encode(hex, mdigest, 32);
	if (im->platform != NULL || platform != NULL)
		err_prefix(e, "manifest sha256:%.12s (%s)", hex,
		    im->platform != NULL ? im->platform : platform);
	else
		err_prefix(e, "manifest sha256:%.12s", hex);
	image_drop_last(ar);
	return r;
}

static const char *
annotation(const json_t *desc, const char *key)
{
	return jstr(json_object_get(desc, "annotations"), key);
}

void
tar_listed_release(struct tar_listed *l)
{
	free(l->media_type);
	free(l->platform);
	free(l->artifact_type);
	free(l->subject);
	free(l->ref_name);
	memset(l, 0, sizeof(*l));
}

/* cosign tags a signature "sha256-HEX.sig" (".att", ".sbom"): @return
   "sha256:HEX" (malloc'd) of the image it is about, or NULL. */
static char *
cosign_subject(const char *ref)
{
	const char *hex, *tail, *tag;
	char buf[65];
	uint8_t d[32];

	if (ref == NULL)
		return NULL;
	tag = strrchr(ref, ':') != NULL ? strrchr(ref, ':') + 1 : ref;
	if (!skip_prefix(tag, "sha256-", &hex) || strlen(hex) < 64)
		return NULL;
	memcpy(buf, hex, 64);
	buf[64] = '\0';
	if (util_hex_decode(d, buf, 32) < 0)
		return NULL;
	tail = hex + 64;
	if (strcmp(tail, ".sig") != 0 && strcmp(tail, ".att") != 0 &&
	    strcmp(tail, ".sbom") != 0)
		return NULL;
	return xstrfmt("sha256:%.64s", hex);
}

/* List descriptor d (of digest dg, under index parent or index.json) as
   something that is not read as an image.  @return it. */
static struct tar_listed *
listed_add(struct tar_archive *ar, enum tar_listed_kind kind, const json_t *d,
    const uint8_t dg[32], const uint8_t *parent, bool present)
{
	struct tar_listed *l;
	const char *s;

	xgrow(&ar->listed, &ar->listed_cap, ar->nlisted + 1, sizeof(*ar->listed));
	l = &ar->listed[ar->nlisted++];
	memset(l, 0, sizeof(*l));
	l->kind = (uint8_t)kind;
	l->present = present;
	memcpy(l->digest, dg, 32);
	if ((s = jstr(d, "mediaType")) != NULL)
		l->media_type = xstrdup(s);
	if ((s = jstr(d, "artifactType")) != NULL)
		l->artifact_type = xstrdup(s);
	l->platform = tar_platform_string(json_object_get(d, "platform"));
	if ((s = annotation(d, "org.opencontainers.image.ref.name")) != NULL)
		l->ref_name = xstrdup(s);
	l->subject = cosign_subject(l->ref_name);
	if (parent != NULL) {
		l->has_index = true;
		memcpy(l->index_digest, parent, 32);
	}
	return l;
}

static int
listed_pos_cmp(const void *pa, const void *pb)
{
	const struct tar_listed *const *a = pa, *const *b = pb;
	int c = memcmp((*a)->digest, (*b)->digest, 32);

	return c != 0 ? c : (*a < *b ? -1 : *a > *b);
}

/*
 * A tag and a referrers index may both list one artifact: keep each digest
 * once, where it was first listed, with the first name it was given.
 */
static void
listed_dedupe(struct tar_archive *ar)
{
	struct tar_listed **v, *first;
	size_t i, k = 0;

	if (ar->nlisted < 2)
		return;
	v = xcalloc(ar->nlisted, sizeof(*v));
	for (i = 0; i < ar->nlisted; i++)
		v[i] = &ar->listed[i];
	qsort(v, ar->nlisted, sizeof(*v), listed_pos_cmp);
	for (i = 1, first = v[0]; i < ar->nlisted; i++) {
		if (memcmp(first->digest, v[i]->digest, 32) != 0) {
			first = v[i];
			continue;
		}
		if (first->ref_name == NULL) {
			first->ref_name = v[i]->ref_name;
			v[i]->ref_name = NULL;
		}
		tar_listed_release(v[i]);
		v[i]->kind = TAR_NLISTED;	/* gone */
	}
	free(v);
	for (i = 0; i < ar->nlisted; i++)
		if (ar->listed[i].kind != TAR_NLISTED)
			ar->listed[k++] = ar->listed[i];
	ar->nlisted = k;
}

/*
 * Is manifest m an image, or a signature, attestation or artifact beside
 * one?  @return TAR_NLISTED for an image, else the kind, with *why the
 * media type that told (borrowed from m).
 */
static enum tar_listed_kind
manifest_kind(const json_t *m, const char **why)
{
	const json_t *d;
	const char *t;
	size_t i;

	*why = NULL;
	json_array_foreach(json_object_get(m, "layers"), i, d) {
		t = jstr(d, "mediaType");
		*why = t;
		if (in_list(t, signature_types))
			return TAR_LISTED_SIGNATURE;
		if (in_list(t, dsse_types))
			return TAR_LISTED_ATTESTATION;
	}
	if ((*why = jstr(m, "artifactType")) != NULL)
		return TAR_LISTED_ARTIFACT;
	*why = jstr(json_object_get(m, "config"), "mediaType");
	if (json_is_object(json_object_get(m, "config")) &&
	    !in_list(*why, config_types))
		return TAR_LISTED_ARTIFACT;
	json_array_foreach(json_object_get(m, "layers"), i, d) {
		*why = jstr(d, "mediaType");
		if (*why != NULL && !in_list(*why, layer_types) &&
		    !in_list(*why, foreign_types))
			return TAR_LISTED_ARTIFACT;
	}
	*why = NULL;
	return TAR_NLISTED;
}

bool
tar_manifest_is_image(const json_t *m)
{
	const char *why;

	return manifest_kind(m, &why) == TAR_NLISTED;
}

/* An image manifest, or something listed beside the images. */
static int
walk_manifest(struct tar_archive *ar, const json_t *d, const struct blob *b,
    const uint8_t dg[32], const uint8_t *parent, struct err *e)
{
	struct tar_listed *l;
	enum tar_listed_kind kind;
	json_t *m = NULL;
	const char *ref, *why, *subject;
	char *platform;
	int r;

	if ((r = load_json(b, "manifest", &m, e)) < 0)
		return r;
	if ((kind = manifest_kind(m, &why)) == TAR_NLISTED) {
		ref = annotation(d, "org.opencontainers.image.ref.name");
		if (ref == NULL)
			ref = annotation(d, "io.containerd.image.name");
		platform = tar_platform_string(json_object_get(d, "platform"));
		r = resolve_manifest(ar, b, dg, platform, ref, parent, e);
		free(platform);
		if (r != NOT_AN_IMAGE)
			goto out;
		kind = TAR_LISTED_ARTIFACT;
		why = jstr(json_object_get(m, "config"), "mediaType");
	}
	l = listed_add(ar, kind, d, dg, parent, true);
	if (l->media_type == NULL && jstr(m, "mediaType") != NULL)
		l->media_type = xstrdup(jstr(m, "mediaType"));
	if (why != NULL && l->artifact_type == NULL)
		l->artifact_type = xstrdup(why);
	subject = jstr(json_object_get(m, "subject"), "digest");
	if (subject != NULL) {
		free(l->subject);
		l->subject = xstrdup(subject);
	}
	r = 0;
 out:
	json_decref(m);
	return r;
}

static int
walk_index(struct tar_archive *ar, const json_t *idx, int depth,
    const uint8_t *parent, struct err *e)
{
	const json_t *mans = json_object_get(idx, "manifests"), *d;
	const struct blob *b;
	struct tar_attestation *at;
	uint8_t dg[32];
	json_t *sub = NULL;
	const char *mt, *ref;
	char what[64], hex[65];
	size_t i;
	int r;

	if (depth > TAR_NEST_MAX)
		return err_set(e, ERR_LIMIT, "indexes nested deeper than %d",
		    TAR_NEST_MAX);
	if (parent != NULL)
		util_hex_encode(hex, parent, 32);
	json_array_foreach(mans, i, d) {
		/* Named by the index that lists it, and its place there. */
		if (parent != NULL)
			snprintf(what, sizeof(what), "index sha256:%.12s entry %zu", hex,
			    i + 1);
		else
			snprintf(what, sizeof(what), "index.json entry %zu", i + 1);
		if ((r = tar_count_descs(ar, 1, e)) < 0)
			return r;
		ref = annotation(d, "vnd.docker.reference.type");
		if (ref != NULL && strcmp(ref, "attestation-manifest") == 0) {
			/* Docker saves the descriptor, not always the blob. */
			if ((r = tar_parse_digest(jstr(d, "digest"), dg, what, e)) < 0)
				return r;
			xgrow(&ar->att, &ar->att_cap, ar->natt + 1, sizeof(*ar->att));
			at = &ar->att[ar->natt++];
			memcpy(at->digest, dg, 32);
			ref = annotation(d, "vnd.docker.reference.digest");
			at->ref = ref != NULL ? xstrdup(ref) : NULL;
			continue;
		}
		if ((r = desc_blob(ar, d, what, true, &b, dg, e)) < 0)
			return r;
		mt = jstr(d, "mediaType");
		if (b == NULL) {
			/* A partial save, or a layout that lacks the blob. */
			listed_add(ar, jstr(d, "artifactType") != NULL ?
			    TAR_LISTED_ARTIFACT : mt == NULL || in_list(mt, index_types) ||
			    in_list(mt, manifest_types) ? TAR_LISTED_ABSENT :
			    TAR_LISTED_UNKNOWN, d, dg, parent, false);
			continue;
		}
		if (mt == NULL && b->json != NULL) {
			json_t *peek = NULL;

			(void)load_json(b, "index", &peek, e);
			err_clear(e);
			mt = json_object_get(peek, "manifests") ? index_types[0] :
			    manifest_types[0];
			json_decref(peek);
		}
		if (in_list(mt, index_types)) {
			/* Listed again, here or under another index: its images
			   are already there. */
			if (b->walked)
				continue;
			blob_cache(b)->walked = true;
			if ((r = load_json(b, "index", &sub, e)) < 0)
				return r;
			r = walk_index(ar, sub, depth + 1, dg, e);
			json_decref(sub);
			sub = NULL;
			if (r < 0)
				return r;
		} else if (in_list(mt, manifest_types)) {
			if ((r = walk_manifest(ar, d, b, dg, parent, e)) < 0)
				return r;
		} else
			listed_add(ar, TAR_LISTED_UNKNOWN, d, dg, parent, true);
	}
	return 0;
}

/* A member name that embeds a digest ("blobs/sha256/H", "H.json", "sha256:H",
   "H.tar.gz"): @return true and the digest. */
static bool
name_digest(const char *name, uint8_t d[32])
{
	const char *p = name;
	char hex[65];

	if (!skip_prefix(name, "blobs/sha256/", &p))
		(void)skip_prefix(name, "sha256:", &p);
	if (strlen(p) < 64)
		return false;
	memcpy(hex, p, 64);
	hex[64] = '\0';
	p += 64;
	if (*p != '\0' && strcmp(p, ".json") != 0 && strcmp(p, ".tar.gz") != 0)
		return false;
	return util_hex_decode(d, hex, 32) == 0;
}

static int
check_named(const struct blob *b, const char *what, struct err *e)
{
	uint8_t want[32];
	char got[65];

	if (!name_digest(b->name, want) || memcmp(want, b->sha256, 32) == 0)
		return 0;
	util_hex_encode(got, b->sha256, 32);
	return err_set(e, ERR_DIGEST, "%s '%s' does not match the digest in its name (content is sha256:%s)",
	    what, b->name, got);
}

/*
 * Docker reads manifest.json with Go's encoding/json: a key matches without
 * regard to case (jib writes "config", "repoTags", "layers"), and of two
 * that match the last wins.  @return the value of key in image i (1-based),
 * checked to be of type (JSON_STRING, JSON_ARRAY), or NULL: absent when
 * optional, else an error that names the key as written.
 */
static int
docker_key(const json_t *item, size_t i, const char *key, json_type type,
    bool optional, const json_t **out, struct err *e)
{
	const char *k, *name = key;
	json_t *v;

	*out = NULL;
	if (!json_is_object(item))
		return err_set(e, ERR_FORMAT, "manifest.json: image %zu is not an "
		    "object", i);
	json_object_foreach((json_t *)(uintptr_t)item, k, v)
		if (strcasecmp(k, key) == 0) {
			*out = v;
			name = k;
		}
	if (*out == NULL)
		return optional ? 0 : err_set(e, ERR_FORMAT,
		    "manifest.json: image %zu has no %s", i, key);
	if (json_typeof(*out) != type && !(optional && json_is_null(*out)))
		return err_set(e, ERR_FORMAT, "manifest.json: image %zu: '%s' is "
		    "not a %s", i, name, type == JSON_STRING ? "string" : "list");
	return 0;
}

static int
docker_member(const struct tar_archive *ar, const json_t *jname,
    const char *what, const struct blob **out, struct err *e)
{
	const char *name = json_string_value(jname);

	if (name == NULL)
		return err_set(e, ERR_FORMAT, "manifest.json: %s is not a string", what);
	if ((*out = tar_blob_find(ar, name, e)) == NULL) {
		if (e->code)
			return e->code;
		return err_set(e, ERR_FORMAT, "manifest.json: %s '%s' is missing",
		    what, name);
	}
	return check_named(*out, what, e);
}

/* @return true and the image_key() of the image manifest m describes. */
static bool
manifest_key(const json_t *m, uint8_t key[32])
{
	const json_t *layers = json_object_get(m, "layers");
	struct sbuf sb = SBUF_INIT;
	uint8_t d[32];
	struct err e = { 0, "" };
	size_t i;
	bool ok;

	ok = in_list(jstr(m, "mediaType"), manifest_types) &&
	    json_is_array(layers) &&
	    tar_parse_digest(jstr(json_object_get(m, "config"), "digest"), d, "",
	    &e) == 0;
	if (ok)
		sbuf_add(&sb, d, 32);
	for (i = 0; ok && i < json_array_size(layers); i++) {
		ok = tar_parse_digest(jstr(json_array_get(layers, i), "digest"), d, "",
		    &e) == 0;
		sbuf_add(&sb, d, 32);
	}
	if (ok)
		SHA256((const unsigned char *)sb.buf, sb.len, key);
	sbuf_release(&sb);
	return ok;
}

/* The manifest blobs of an archive by image_key(), built once. */
struct manifest_index {
	struct mkey {
		uint8_t key[32];
		size_t blob;	/* index into ar->blobs */
	} *v;
	size_t n, cap;
	bool built;
};

static int
mkey_cmp(const void *a, const void *b)
{
	const struct mkey *x = a, *y = b;
	int c = memcmp(x->key, y->key, 32);

	return c != 0 ? c : (x->blob > y->blob) - (x->blob < y->blob);
}

static void
manifest_index_build(const struct tar_archive *ar, struct manifest_index *mi)
{
	const struct blob *b;
	json_t *m;
	size_t i;

	mi->built = true;
	for (i = 0; i < ar->nblobs; i++) {
		b = &ar->blobs[i];
		if (b->content != BLOB_JSON || b->json == NULL ||
		    !starts_with(b->name, "blobs/sha256/") ||
		    (m = json_loadb(b->json, b->json_len, JSON_REJECT_DUPLICATES,
		    NULL)) == NULL)
			continue;
		xgrow(&mi->v, &mi->cap, mi->n + 1, sizeof(*mi->v));
		if (manifest_key(m, mi->v[mi->n].key))
			mi->v[mi->n++].blob = i;
		json_decref(m);
	}
	if (mi->n > 1)
		qsort(mi->v, mi->n, sizeof(*mi->v), mkey_cmp);
}

/*
 * Docker 25+ saves the image manifest as a blob even when index.json lists
 * none: find it, so that the image has its registry digest.  Of several,
 * the first by member name.
 */
static void
find_manifest_blob(const struct tar_archive *ar, struct manifest_index *mi,
    struct tar_image *im)
{
	const struct blob *b;
	struct err e = { 0, "" };
	uint8_t key[32];
	size_t lo = 0, hi, mid;
	json_t *m = NULL;

	if (!mi->built)
		manifest_index_build(ar, mi);
	image_key(im, key);
	/* The first entry with this key: the lowest blob, the first name. */
	for (hi = mi->n; lo < hi; ) {
		mid = lo + (hi - lo) / 2;
		if (memcmp(mi->v[mid].key, key, 32) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == mi->n || memcmp(mi->v[lo].key, key, 32) != 0)
		return;
	b = &ar->blobs[mi->v[lo].blob];
	if (load_json(b, "manifest", &m, &e) < 0)
		return;
	im->has_manifest = true;
	memcpy(im->manifest_digest, b->sha256, 32);
	im->manifest_media_type = xstrdup(jstr(m, "mediaType"));
	im->manifest = m;
}

static int
resolve_docker(struct tar_archive *ar, const struct blob *mb, struct err *e)
{
	struct manifest_index mi = { NULL, 0, 0, false };
	json_t *man = NULL;
	const json_t *item, *cfg, *layers, *tags, *t;
	const struct blob *b;
	struct tar_image *im;
	char what[64];
	size_t i, j;
	int r;

	if ((r = load_json(mb, "manifest", &man, e)) < 0)
		return r;
	if (json_is_null(man)) {
		r = err_set(e, ERR_FORMAT, "manifest.json is null");
		goto out;
	}
	if (!json_is_array(man) || json_array_size(man) == 0) {
		r = err_set(e, ERR_FORMAT, "manifest.json is not a list of images");
		goto out;
	}
	json_array_foreach(man, i, item) {
		if ((r = tar_image_add(ar, &im, e)) < 0)
			goto out;
		if ((r = docker_key(item, i + 1, "Config", JSON_STRING, false, &cfg,
		    e)) < 0 || (r = docker_key(item, i + 1, "RepoTags", JSON_ARRAY,
		    true, &tags, e)) < 0 || (r = docker_key(item, i + 1, "Layers",
		    JSON_ARRAY, false, &layers, e)) < 0)
			goto fail;
		im->tags = xcalloc(json_array_size(tags) + 1, sizeof(*im->tags));
		json_array_foreach(tags, j, t)
			if (json_is_string(t))
				im->tags[im->ntags++] = xstrdup(json_string_value(t));
		if (im->ntags > 0)
			im->ref_name = xstrdup(im->tags[0]);
		if ((r = docker_member(ar, cfg, "config", &b, e)) < 0 ||
		    (r = load_json(b, "config", &im->config, e)) < 0)
			goto named;
		memcpy(im->config_digest, b->sha256, 32);
		image_from_config(im, NULL);
		if ((r = tar_count_descs(ar, 1 + json_array_size(layers), e)) < 0)
			goto fail;
		im->nlayers = json_array_size(layers);
		im->layers = xcalloc(im->nlayers, sizeof(*im->layers));
		for (j = 0; j < im->nlayers; j++) {
			snprintf(what, sizeof(what), "layer %zu", j + 1);
			if ((r = docker_member(ar, json_array_get(layers, j), what, &b,
			    e)) < 0 || (r = tar_layer_from_blob(&im->layers[j], b, what, e)) < 0)
				goto named;
			layer_warnings(ar, j + 1, &im->layers[j]);
		}
		if ((r = check_diff_ids(im, e)) < 0)
			goto named;
		find_manifest_blob(ar, &mi, im);
		tar_platform_filter_last(ar);
	}
	r = 0;
	goto out;
 named:
	/* An archive may hold many images: say which, by tag and platform. */
	if (im->ref_name != NULL || im->platform != NULL)
		err_prefix(e, "image %zu (%s%s%s)", i + 1,
		    im->ref_name != NULL ? im->ref_name : "",
		    im->ref_name != NULL && im->platform != NULL ? ", " : "",
		    im->platform != NULL ? im->platform : "");
	else
		err_prefix(e, "image %zu", i + 1);
 fail:
	image_drop_last(ar);
 out:
	free(mi.v);
	json_decref(man);
	return r;
}

static int
key_cmp(const void *a, const void *b)
{
	return memcmp(a, b, 32);
}

/*
 * Docker 25+ writes index.json and, for older loaders, manifest.json: the
 * two must name the same images, or two loaders load different ones.  Every
 * image of manifest.json must be one that index.json reached (ar->keys).
 */
static int
docker_agrees(struct tar_archive *ar, const struct blob *mb, struct err *e)
{
	struct sbuf sb = SBUF_INIT;
	json_t *man = NULL;
	const json_t *item, *cfg, *layers;
	const struct blob *b;
	uint8_t key[32];
	char what[64], hex[65];
	size_t i, j, nkeys = ar->keys.len / 32;
	int r;

	if ((r = load_json(mb, "manifest", &man, e)) < 0)
		return r;
	if (!json_is_array(man)) {
		r = err_set(e, ERR_FORMAT, "manifest.json is not a list of images");
		goto out;
	}
	if (nkeys > 1)
		qsort(ar->keys.buf, nkeys, 32, key_cmp);
	json_array_foreach(man, i, item) {
		if ((r = docker_key(item, i + 1, "Layers", JSON_ARRAY, false, &layers,
		    e)) < 0 || (r = docker_key(item, i + 1, "Config", JSON_STRING,
		    false, &cfg, e)) < 0 ||
		    (r = tar_count_descs(ar, 1 + json_array_size(layers), e)) < 0 ||
		    (r = docker_member(ar, cfg, "config", &b, e)) < 0)
			goto out;
		util_hex_encode(hex, b->sha256, 32);
		sbuf_reset(&sb);
		sbuf_add(&sb, b->sha256, 32);
		for (j = 0; j < json_array_size(layers); j++) {
			snprintf(what, sizeof(what), "layer %zu", j + 1);
			if ((r = docker_member(ar, json_array_get(layers, j), what, &b,
			    e)) < 0)
				goto out;
			sbuf_add(&sb, b->sha256, 32);
		}
		SHA256((const unsigned char *)sb.buf, sb.len, key);
		if (nkeys == 0 || bsearch(key, ar->keys.buf, nkeys, 32,
		    key_cmp) == NULL) {
			r = err_set(e, ERR_FORMAT, "index.json and manifest.json disagree: "
			    "manifest.json image %zu (config sha256:%.12s) is not an "
			    "image that index.json lists", i + 1, hex);
			goto out;
		}
	}
	r = 0;
 out:
	sbuf_release(&sb);
	json_decref(man);
	return r;
}

static int
resolve_bare(struct tar_archive *ar, struct err *e)
{
	struct tar_image *im;
	struct tar_layer *l;
	int r;

	if (!ar->have_input_sha && !ar->input_is_file)
		return err_set(e, ERR_FORMAT,
		    "not an OCI image layout (no index.json)");
	/* A bare layer's digest is the input's: hash it now if it was not. */
	if ((!ar->have_input_sha && (r = tar_wrapper_hash_input(ar, e)) < 0) ||
	    (r = tar_image_add(ar, &im, e)) < 0)
		return r;
	im->nlayers = 1;
	im->layers = l = xcalloc(1, sizeof(*l));
	memcpy(l->digest, ar->input_sha, 32);
	memcpy(l->diff_id, ar->top_usha, 32);
	l->size = ar->input_size;
	l->usize = ar->top_usize;
	l->framing = ar->top_framing;
	l->present = true;
	tar_entries_declared(&ar->top, ar->top_usize);
	l->entries = ar->top.v;
	l->nentries = ar->top.n;
	l->captures = ar->top.caps;
	l->ncaptures = ar->top.ncaps;
	if (ar->top.warnings.len > 0)
		l->warnings = sbuf_str(&ar->top.warnings);
	ar->format = TAR_FORMAT_LAYER;
	sbuf_addstr(&ar->warnings,
	    "no manifest or index: read as one bare layer with no config\n");
	layer_warnings(ar, 1, l);
	return 0;
}

/*
 * The image index a registry serves for the images read: the one index
 * blob that lists them all (and the platforms not in the archive), or
 * index.json itself when it lists two or more platform manifests.  The
 * SHA-256 of an index.json that merely points at one image is no image
 * digest.
 */
static void
image_index(struct tar_archive *ar, const json_t *ij)
{
	const struct tar_image *im;
	const json_t *d;
	const uint8_t *idx = NULL;
	size_t i, nplat = 0;
	bool one = ar->nimages > 0;

	for (i = 0; one && i < ar->nimages; i++) {
		im = &ar->images[i];
		if (!im->has_index || (idx != NULL &&
		    memcmp(idx, im->index_digest, 32) != 0))
			one = false;
		idx = im->index_digest;
	}
	for (i = 0; one && i < ar->nlisted; i++)
		if (ar->listed[i].kind == TAR_LISTED_ABSENT &&
		    (!ar->listed[i].has_index ||
		    memcmp(idx, ar->listed[i].index_digest, 32) != 0))
			one = false;
	if (one) {
		ar->have_image_index = true;
		memcpy(ar->image_index_sha, idx, 32);
		return;
	}
	json_array_foreach(json_object_get(ij, "manifests"), i, d) {
		if (!in_list(jstr(d, "mediaType"), manifest_types) ||
		    jstr(json_object_get(d, "platform"), "architecture") == NULL)
			return;
		nplat++;
	}
	if (nplat >= 2) {
		ar->have_image_index = true;
		memcpy(ar->image_index_sha, ar->index_sha, 32);
	}
}

/* @return true when hex (at least 12 digits) begins the hex of d. */
static bool
digest_prefix(const char *hex, const uint8_t d[32])
{
	char full[65];
	size_t n = strlen(hex);

	util_hex_encode(full, d, 32);
	return n >= 12 && n <= 64 && strncasecmp(hex, full, n) == 0;
}

/* Is im, the pos-th image read, the one ref names (tar_opts.ref)? */
static bool
image_is_ref(const struct tar_image *im, size_t pos, const char *ref)
{
	const char *hex, *slash, *p;
	size_t i, n = strlen(ref);
	char *end;
	unsigned long k;

	if (skip_prefix(ref, "@", &p)) {
		k = strtoul(p, &end, 10);
		return *p >= '0' && *p <= '9' && *end == '\0' && k == pos;
	}
	if (skip_prefix(ref, "sha256:", &hex))
		return (im->has_manifest && digest_prefix(hex, im->manifest_digest)) ||
		    (im->has_config && digest_prefix(hex, im->config_digest));
	/* "app" is "app:latest", as docker save and load read it. */
	slash = strrchr(ref, '/');
	for (i = 0; i <= im->ntags; i++) {
		p = i < im->ntags ? im->tags[i] : im->ref_name;
		if (p == NULL)
			continue;
		if (strcmp(p, ref) == 0 || (strchr(slash ? slash : ref, ':') == NULL &&
		    strncmp(p, ref, n) == 0 && strcmp(p + n, ":latest") == 0))
			return true;
	}
	return false;
}

/* Keep only the image tar_opts.ref names.  @return 0, or ERR_USAGE when
   none is, the message listing the names there are. */
static int
filter_ref(struct tar_archive *ar, struct err *e)
{
	const char *ref = ar->opts->ref, **v;
	const struct tar_image *im;
	struct sbuf sb = SBUF_INIT;
	size_t i, j, k = 0, n = 0;
	int r;

	if (ref == NULL)
		return 0;
	for (i = 0; i < ar->nimages; i++)
		if (image_is_ref(&ar->images[i], i, ref))
			k++;
	if (k == 0) {
		for (i = 0; i < ar->nimages; i++)
			k += ar->images[i].ntags + 1;
		v = xcalloc(k + 1, sizeof(*v));
		for (i = 0; i < ar->nimages; i++) {
			im = &ar->images[i];
			for (j = 0; j < im->ntags; j++)
				v[n++] = im->tags[j];
			if (im->ntags == 0 && im->ref_name != NULL)
				v[n++] = im->ref_name;
		}
		if (add_distinct(&sb, v, n) == 0)
			sbuf_addstr(&sb, "no image has a name");
		r = err_set(e, ERR_USAGE, "no image '%s' in the archive (names: %s; "
		    "or give a digest, or @N for the N-th image from 0)", ref,
		    sbuf_str(&sb));
		free(v);
		sbuf_release(&sb);
		return r;
	}
	for (i = 0, k = 0; i < ar->nimages; i++) {
		if (image_is_ref(&ar->images[i], i, ref))
			ar->images[k++] = ar->images[i];
		else
			tar_image_release(&ar->images[i]);
	}
	ar->nimages = k;
	return 0;
}

int
tar_resolve_images(struct tar_archive *ar, struct err *e)
{
	const struct blob *idx, *man;
	json_t *ij = NULL;
	size_t i;
	bool dir = ar->format != TAR_FORMAT_UNKNOWN;
	int r;

	tar_blobs_sort(ar);
	for (i = 1; i < ar->nblobs; i++)
		if (strcmp(ar->blobs[i - 1].name, ar->blobs[i].name) == 0) {
			return err_set(e, ERR_FORMAT, "member '%s' appears more than once",
			    ar->blobs[i].name);
		}
	if ((idx = tar_blob_find(ar, "index.json", e)) == NULL && e->code)
		return e->code;
	if ((man = tar_blob_find(ar, "manifest.json", e)) == NULL && e->code)
		return e->code;
	if (idx != NULL) {
		if ((r = load_json(idx, "index", &ij, e)) < 0)
			return r;
		ar->have_index = true;
		memcpy(ar->index_sha, idx->sha256, 32);
		if (json_array_size(json_object_get(ij, "manifests")) > 0) {
			if (!dir)
				ar->format = man != NULL ? TAR_FORMAT_DOCKER_OCI :
				    TAR_FORMAT_OCI_ARCHIVE;
			r = walk_index(ar, ij, 0, NULL, e);
			listed_dedupe(ar);
			if (r == 0)
				image_index(ar, ij);
			json_decref(ij);
			if (r == 0 && man != NULL)
				r = docker_agrees(ar, man, e);
			goto done;
		}
		json_decref(ij);
		if (man == NULL)
			return err_set(e, ERR_FORMAT, "index.json lists no manifests");
	}
	if (man != NULL) {
		if (!dir)
			ar->format = idx != NULL ? TAR_FORMAT_DOCKER_OCI :
			    TAR_FORMAT_DOCKER;
		r = resolve_docker(ar, man, e);
		goto done;
	}
	if (blob_lookup(ar, "repositories") != NULL)
		return err_set(e, ERR_UNSUPPORTED,
		    "no manifest.json: the pre-1.10 docker save format is not supported");
	return resolve_bare(ar, e);
 done:
	if (r < 0 || (r = filter_ref(ar, e)) < 0)
		return r;
	return tar_platform_check(ar, "the archive", e);
}
