/*
 * pair.c - compare two archives: pair images by platform, walk each pair's
 * evidence chain (archive -> manifest -> config -> layers -> entries), and
 * decide the verdict on the final file systems and the runtime config.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "diff/diff_int.h"

/* The history of im, every step, into di. */
static void
keep_history(struct diff_image *di, const struct tar_image *im)
{
	const json_t *h = json_object_get(im->config, "history"), *v;
	const char *s;
	size_t i;
	int layer = 0;

	if (!json_is_array(h) || json_array_size(h) == 0)
		return;
	di->history = xcalloc(json_array_size(h), sizeof(*di->history));
	json_array_foreach(h, i, v) {
		struct diff_step *st = &di->history[di->nhistory++];

		st->empty_layer = json_is_true(json_object_get(v, "empty_layer"));
		st->layer = st->empty_layer ? 0 : ++layer;
		s = json_string_value(json_object_get(v, "created_by"));
		st->created_by = s != NULL ? xstrdup(s) : NULL;
	}
}

/* What libarchive warned about reading a layer, as its own tools say it. */
static void
note_warnings(struct dctx *c, const struct tar_image *im, const char *side)
{
	const char *p, *nl;
	size_t i;

	for (i = 0; i < im->nlayers; i++)
		for (p = im->layers[i].warnings; p != NULL &&
		    (nl = strchr(p, '\n')) != NULL; p = nl + 1)
			diff_dctx_note(c, xstrfmt("layer %zu of %s: %.*s", i + 1,
			    side, (int)(nl - p), p));
}

/* Every entry of one side has the same mtime: timestamps were clamped. */
static void
note_clamped(struct dctx *c, const struct tar_image *im, const char *side)
{
	int64_t t = 0;
	size_t i, j, n = 0;

	for (i = 0; i < im->nlayers; i++)
		for (j = 0; j < im->layers[i].nentries; j++) {
			if (n++ == 0)
				t = im->layers[i].entries[j].mtime;
			else if (im->layers[i].entries[j].mtime != t)
				return;
		}
	if (n > 1) {
		char *when = diff_time_str(t, 0);

		diff_dctx_note(c, xstrfmt("every entry in %s has mtime %s: times clamped, as "
		    "with SOURCE_DATE_EPOCH=%" PRId64, side, when, t));
		free(when);
	}
}

/* @return the one mtime of every entry of l (malloc'd), NULL when they
   have several or there are fewer than two. */
static char *
one_mtime(const struct tar_layer *l)
{
	size_t i;

	if (l->nentries < 2)
		return NULL;
	for (i = 1; i < l->nentries; i++)
		if (l->entries[i].mtime != l->entries[0].mtime)
			return NULL;
	return diff_time_str(l->entries[0].mtime, 0);
}

static void
pair_layers(struct diff_image *di, const struct tar_image *x,
    const struct tar_image *y)
{
	size_t i, n = di->nlayers;

	for (i = 0; i < n; i++) {
		struct diff_layer *dl = &di->layers[i];
		const struct tar_layer *lx = i < x->nlayers ? &x->layers[i] : NULL;
		const struct tar_layer *ly = i < y->nlayers ? &y->layers[i] : NULL;

		dl->index = (int)i + 1;
		dl->in_a = lx != NULL;
		dl->in_b = ly != NULL;
		dl->step = diff_layer_step((lx != NULL ? x : y)->config, i);
		if (lx != NULL) {
			memcpy(dl->digest_a, lx->digest, 32);
			memcpy(dl->diff_id_a, lx->diff_id, 32);
			dl->entries_a = lx->nentries;
			dl->clamped_a = one_mtime(lx);
		}
		if (ly != NULL) {
			memcpy(dl->digest_b, ly->digest, 32);
			memcpy(dl->diff_id_b, ly->diff_id, 32);
			dl->entries_b = ly->nentries;
			dl->clamped_b = one_mtime(ly);
		}
	}
}

/* What the digests alone allow: the best verdict the pair can reach. */
static uint8_t
digest_cap(const struct tar_image *x, const struct tar_image *y)
{
	uint8_t cap;
	size_t i;

	if (x->has_manifest && y->has_manifest) {
		cap = memcmp(x->manifest_digest, y->manifest_digest, 32) == 0 ?
		    DIFF_SAME_DIGEST : DIFF_BYTE_EQUIVALENT;
		/* A multi-platform image's digest is its index's. */
		if (x->has_index != y->has_index || (x->has_index &&
		    memcmp(x->index_digest, y->index_digest, 32) != 0))
			cap = DIFF_BYTE_EQUIVALENT;
	} else {
		cap = DIFF_SAME_DIGEST;
		if (x->has_manifest != y->has_manifest)
			cap = DIFF_BYTE_EQUIVALENT;
		if (x->nlayers != y->nlayers)
			cap = DIFF_BYTE_EQUIVALENT;
		for (i = 0; i < x->nlayers && i < y->nlayers; i++)
			if (x->layers == NULL || y->layers == NULL ||
			    memcmp(x->layers[i].digest, y->layers[i].digest, 32) != 0)
				cap = DIFF_BYTE_EQUIVALENT;
	}
	if (x->has_config != y->has_config || (x->has_config &&
	    memcmp(x->config_digest, y->config_digest, 32) != 0))
		cap = DIFF_DEPENDENCY_EQUIVALENT;
	if (!x->has_config && !y->has_config && cap > DIFF_SAME_DIGEST) {
		/* Bare layers: the diff_ids decide. */
		cap = DIFF_BYTE_EQUIVALENT;
		for (i = 0; i < x->nlayers && i < y->nlayers; i++)
			if (memcmp(x->layers[i].diff_id, y->layers[i].diff_id, 32) != 0)
				cap = DIFF_DEPENDENCY_EQUIVALENT;
	}
	return cap;
}

/* @return true when layer l (present) holds a whiteout entry. */
static bool
has_whiteout(const struct tar_layer *l)
{
	const char *base;
	size_t i;

	for (i = 0; i < l->nentries; i++) {
		base = strrchr(l->entries[i].path, '/');
		if (starts_with(base != NULL ? base + 1 : l->entries[i].path, ".wh."))
			return true;
	}
	return false;
}

/*
 * A layer whose blob is not in the archive hides its entries.  The final
 * file systems still prove what they show when every such layer is the
 * same blob on both sides, and no layer that differs could delete what it
 * holds (no whiteouts): else say which layer could not be compared, and
 * the pair cannot be equivalent.
 */
static void
unknown_layers(struct dctx *c, const struct tar_image *x,
    const struct tar_image *y)
{
	const struct tar_image *im;
	bool shared = x->nlayers == y->nlayers;
	char hex[65];
	size_t i, s;

	for (i = 0; shared && i < x->nlayers; i++) {
		const struct tar_layer *lx = &x->layers[i], *ly = &y->layers[i];

		if (memcmp(lx->digest, ly->digest, 32) == 0)
			continue;
		if (!lx->present || !ly->present || has_whiteout(lx) ||
		    has_whiteout(ly))
			shared = false;
	}
	for (s = 0; !shared && s < 2; s++) {
		im = s == 0 ? x : y;
		for (i = 0; i < im->nlayers; i++) {
			if (im->layers[i].present)
				continue;
			util_hex_encode(hex, im->layers[i].digest, 32);
			diff_dctx_add(c, DIFF_CONTENT, DIFF_SCOPE_FS, DIFF_DIFFERENT, 0,
			    NULL, DIFF_FIELD_LAYERS, xstrfmt("layer %zu of %s "
			    "(sha256:%.12s) is not in the archive", i + 1, s == 0 ?
			    "A" : "B", hex), xstrdup("its entries could not be "
			    "compared"));
		}
	}
}

/*
 * A verdict that rests on digests (same-digest, byte-equivalent) holds
 * without a layer's bytes, but says which it did not read.
 */
static void
note_absent_layers(struct dctx *c, const struct tar_image *im,
    const char *side, uint8_t cap)
{
	char hex[65];
	size_t i;

	for (i = 0; i < im->nlayers; i++) {
		/* A layer left in the registry has its own note. */
		if (im->layers[i].present || im->layers[i].deferred)
			continue;
		util_hex_encode(hex, im->layers[i].digest, 32);
		diff_dctx_note(c, xstrfmt("layer %zu of %s (sha256:%.12s) is not in "
		    "the archive: its bytes were not read; the %s verdict rests "
		    "on the digests the %s name", i + 1, side, hex,
		    diff_verdict_name(cap), cap <= DIFF_SAME_DIGEST ? "manifests" :
		    "configs"));
	}
}

/* @return true when every layer blob of im is in the archive, or left in
   the registry because the other side holds the same one below layers
   that touch the same paths (diff_deferred_needed()). */
static bool
all_present(const struct tar_image *im)
{
	size_t i;

	for (i = 0; i < im->nlayers; i++)
		if (!im->layers[i].present && !im->layers[i].deferred)
			return false;
	return true;
}

/* Say which layers were left in the registry, or fetched after all (a
   deferred layer is the same blob on both sides: x tells). */
static void
note_deferred(struct dctx *c, const struct tar_image *x)
{
	size_t i, deferred = 0, late = 0;
	uint64_t bytes = 0;

	for (i = 0; i < x->nlayers; i++) {
		deferred += x->layers[i].deferred;
		bytes += x->layers[i].deferred ? x->layers[i].size : 0;
		late += x->layers[i].late;
	}
	if (deferred == 1)
		diff_dctx_note(c, xstrfmt("layer 1 (%" PRIu64 " bytes) is the same "
		    "blob in A and B and was not fetched from the registry: the "
		    "layers above it touch the same paths", bytes));
	else if (deferred > 1)
		diff_dctx_note(c, xstrfmt("layers 1-%zu (%" PRIu64 " bytes) are the "
		    "same blobs in A and B and were not fetched from the registry: "
		    "the layers above them touch the same paths", deferred, bytes));
	if (late > 0)
		diff_dctx_note(c, xstrfmt("%zu layer%s the same in A and B fetched "
		    "from the registry after all: a path that only one side's "
		    "differing layers touch needs %s entries", late, late == 1 ?
		    "" : "s", late == 1 ? "its" : "their"));
}

/*
 * Compare the images x and y.  fs_only: one is a bare layer, which is not
 * one of the other's layers and has no manifest or config: only the file
 * systems are compared (the layer's tree with the image's final one), and
 * the best verdict is dependency-equivalent.
 */
static void
diff_pair(struct dctx *c, const struct tar_image *x, const struct tar_image *y,
    bool fs_only)
{
	struct diff_image *di = &c->r->images[c->image];
	struct pkg_view pv;
	struct fs fx, fy;
	uint8_t cap, worst;
	bool moved = false;

	di->nlayers_a = x->nlayers;
	di->nlayers_b = y->nlayers;
	di->nlayers = fs_only ? 0 : x->nlayers > y->nlayers ? x->nlayers :
	    y->nlayers;
	di->layers = xcalloc(di->nlayers + 1, sizeof(*di->layers));
	c->nlayers = di->nlayers;
	c->examples = xcalloc((di->nlayers + 1) * DIFF_NCLASS, sizeof(size_t));
	memset(c->worst, DIFF_IDENTICAL, sizeof(c->worst));
	c->worst_deferred = DIFF_IDENTICAL;
	pair_layers(di, x, y);
	keep_history(di, x);
	if (di->nhistory == 0)
		keep_history(di, y);
	note_warnings(c, x, "A");
	note_warnings(c, y, "B");
	note_deferred(c, x);
	cap = fs_only ? DIFF_DEPENDENCY_EQUIVALENT : digest_cap(x, y);
	if (c->r->builder_a == DIFF_BUILDER_UNKNOWN)
		c->r->builder_a = (uint8_t)diff_builder_detect(x->config);
	if (c->r->builder_b == DIFF_BUILDER_UNKNOWN)
		c->r->builder_b = (uint8_t)diff_builder_detect(y->config);
	if (cap <= DIFF_BYTE_EQUIVALENT) {
		note_absent_layers(c, x, "A", cap);
		note_absent_layers(c, y, "B", cap);
	}
	memset(&pv, 0, sizeof(pv));
	/* The files and packages of both sides, known before the layers are
	   compared so that every finding names its package. */
	if (cap > DIFF_BYTE_EQUIVALENT) {
		diff_fs_pair_build(c, x, y, &fx, &fy, &pv);
		c->pv = &pv;
		c->fs[0] = &fx;
		c->fs[1] = &fy;
	}

	if (!fs_only) {
		diff_manifest(c, x, y);
		if (x->has_config && y->has_config &&
		    memcmp(x->config_digest, y->config_digest, 32) != 0)
			diff_config(c, x->config, y->config);
	}
	/* The final file systems before the layers: a layer's content or
	   permission difference is that only where they differ too.  With
	   the same split the layers hold the evidence, shown once. */
	c->fs_known = false;
	if (cap > DIFF_BYTE_EQUIVALENT)
		diff_final_fs(c, &fx, &fy, fs_only || x->nlayers != y->nlayers);
	/* A layer not in the archive leaves the final trees unknown there. */
	c->fs_known = c->fs_known && all_present(x) && all_present(y);
	if (!fs_only)
		diff_layers(c, x, y);

	/* The verdict stands on the final file systems. */
	worst = c->worst[0] > c->worst[1] ? c->worst[0] : c->worst[1];
	if (cap > DIFF_BYTE_EQUIVALENT) {
		moved = diff_pkg_finish(c);
		c->pv = NULL;
		c->fs[0] = c->fs[1] = NULL;
		diff_pkg_view_release(&pv);
		diff_fs_release(&fx);
		diff_fs_release(&fy);
		/* Content a later layer overwrites the same way does not count. */
		worst = c->worst[1] < DIFF_DEPENDENCY_EQUIVALENT ? c->worst[1] :
		    DIFF_DEPENDENCY_EQUIVALENT;
		if (c->worst[0] > worst)
			worst = c->worst[0];
		if (c->worst[2] > worst)
			worst = c->worst[2];
		note_clamped(c, x, "A");
		note_clamped(c, y, "B");
		unknown_layers(c, x, y);
		if (c->worst[2] > worst)
			worst = c->worst[2];
	}
	/* Packages that moved are a content difference whatever explains
	   the bytes of their files. */
	if (moved && !c->o->ignore[DIFF_CONTENT])
		worst = DIFF_DIFFERENT;
	di->verdict_rest = cap > worst ? cap : worst;
	di->verdict = di->verdict_rest > c->worst_deferred ? di->verdict_rest :
	    c->worst_deferred;
	free(c->examples);
	c->examples = NULL;
	free(c->fsdiff);
	c->fsdiff = NULL;
	c->nfsdiff = c->fsdiff_cap = 0;
	c->fs_known = false;
}

/* ---- two archives ----------------------------------------------------------- */

static const char *
plat(const struct tar_image *im)
{
	return im->platform != NULL ? im->platform : "";
}

/* How images pair, in turn: by tag, then by config digest, then by
   position, each among the images of one platform not yet paired. */
enum pair_by { PAIR_TAG, PAIR_CONFIG, PAIR_POSITION };

/* A key an image pairs by, and its position in the archive. */
struct pair_key {
	char *k;
	size_t i;
};

static int
pair_key_cmp(const void *pa, const void *pb)
{
	const struct pair_key *a = pa, *b = pb;
	int r = strcmp(a->k, b->k);

	return r != 0 ? r : a->i < b->i ? -1 : a->i > b->i;
}

static void
key_add(struct pair_key **v, size_t *n, size_t *cap, size_t i, char *k)
{
	xgrow(v, cap, *n + 1, sizeof(**v));
	(*v)[*n].k = k;
	(*v)[(*n)++].i = i;
}

/* The keys of the images of ar that have no partner yet (taken[i] false),
   sorted: a platform, a newline, and what by names. */
static struct pair_key *
pair_keys(const struct tar_archive *ar, const bool *taken, enum pair_by by,
    size_t *n)
{
	const struct tar_image *im;
	struct pair_key *v = NULL;
	size_t i, j, cap = 0;
	char hex[65];

	*n = 0;
	for (i = 0; i < tar_nimages(ar); i++) {
		if (taken[i])
			continue;
		im = tar_image(ar, i);
		if (by == PAIR_POSITION)
			key_add(&v, n, &cap, i, xstrdup(plat(im)));
		else if (by == PAIR_CONFIG && im->has_config) {
			util_hex_encode(hex, im->config_digest, 32);
			key_add(&v, n, &cap, i, xstrfmt("%s\n%s", plat(im), hex));
		} else if (by == PAIR_TAG) {
			for (j = 0; j < im->ntags; j++)
				key_add(&v, n, &cap, i, xstrfmt("%s\n%s", plat(im),
				    im->tags[j]));
			if (im->ntags == 0 && im->ref_name != NULL)
				key_add(&v, n, &cap, i, xstrfmt("%s\n%s", plat(im),
				    im->ref_name));
		}
	}
	if (*n > 1)
		qsort(v, *n, sizeof(*v), pair_key_cmp);
	return v;
}

/* Pair what by finds equal, in n log n (an archive may hold thousands of
   images): the k-th image of a key in A with the k-th in B. */
static void
match_by(const struct tar_archive *a, const struct tar_archive *b,
    enum pair_by by, size_t *to_b, bool *in_a, bool *in_b)
{
	struct pair_key *va, *vb;
	size_t na, nb, i = 0, j = 0;
	int cmp;

	va = pair_keys(a, in_a, by, &na);
	vb = pair_keys(b, in_b, by, &nb);
	while (i < na && j < nb) {
		cmp = strcmp(va[i].k, vb[j].k);
		if (cmp < 0 || (cmp == 0 && in_a[va[i].i]))
			i++;
		else if (cmp > 0 || in_b[vb[j].i])
			j++;
		else {
			to_b[va[i].i] = vb[j].i;
			in_a[va[i].i] = in_b[vb[j].i] = true;
			i++;
			j++;
		}
	}
	for (i = 0; i < na; i++)
		free(va[i].k);
	for (j = 0; j < nb; j++)
		free(vb[j].k);
	free(va);
	free(vb);
}

/*
 * Pair the images of A and B: by tag, then by config digest, then by
 * position, never by position first (docker save a b and docker save b a
 * hold the same images).  (*to_b)[i] is the partner of A's image i, or
 * SIZE_MAX; (*in_b)[j] tells whether B's image j has one.  Free both.
 */
static void
match_images(const struct tar_archive *a, const struct tar_archive *b,
    size_t **to_b, bool **in_b)
{
	size_t na = tar_nimages(a), nb = tar_nimages(b), i;
	bool *in_a = xcalloc(na + 1, sizeof(*in_a));

	*to_b = xcalloc(na + 1, sizeof(**to_b));
	*in_b = xcalloc(nb + 1, sizeof(**in_b));
	for (i = 0; i < na; i++)
		(*to_b)[i] = SIZE_MAX;
	match_by(a, b, PAIR_TAG, *to_b, in_a, *in_b);
	match_by(a, b, PAIR_CONFIG, *to_b, in_a, *in_b);
	match_by(a, b, PAIR_POSITION, *to_b, in_a, *in_b);
	free(in_a);
}

static struct diff_image *
image_add(struct diff_result *r, const char *platform, size_t *cap)
{
	struct diff_image *di;

	xgrow(&r->images, cap, r->nimages + 1, sizeof(*r->images));
	di = &r->images[r->nimages++];
	memset(di, 0, sizeof(*di));
	di->platform = platform[0] ? xstrdup(platform) : NULL;
	return di;
}

static void
image_ids(struct diff_image *di, const struct tar_image *x,
    const struct tar_image *y)
{
	if (x != NULL) {
		di->in_a = true;
		di->has_manifest_a = x->has_manifest;
		memcpy(di->manifest_a, x->manifest_digest, 32);
		di->has_config_a = x->has_config;
		memcpy(di->config_a, x->config_digest, 32);
	}
	if (y != NULL) {
		di->in_b = true;
		di->has_manifest_b = y->has_manifest;
		memcpy(di->manifest_b, y->manifest_digest, 32);
		di->has_config_b = y->has_config;
		memcpy(di->config_b, y->config_digest, 32);
	}
}

static int
finding_cmp(const void *pa, const void *pb)
{
	const struct diff_finding *a = pa, *b = pb;
	int r;

	if (a->image != b->image)
		return a->image < b->image ? -1 : 1;
	if (a->scope != b->scope)
		return a->scope < b->scope ? -1 : 1;
	if (a->layer != b->layer)
		return a->layer < b->layer ? -1 : 1;
	if (a->cls != b->cls)
		return a->cls < b->cls ? -1 : 1;
	/* What the package view leaves unexplained comes first. */
	if (diff_pkg_finding_rank(a) != diff_pkg_finding_rank(b))
		return diff_pkg_finding_rank(a) < diff_pkg_finding_rank(b) ? -1 : 1;
	if ((r = strcmp(a->path ? a->path : "", b->path ? b->path : "")) != 0)
		return r;
	return strcmp(a->field, b->field);
}

/* Append to *v the paths of ar that glob leaves out. */
static void
collect_excluded(const char ***v, size_t *n, size_t *cap,
    const struct tar_archive *ar, const char *glob)
{
	const struct tar_image *im;
	size_t i, j, k;

	for (i = 0; i < tar_nimages(ar); i++) {
		im = tar_image(ar, i);
		for (j = 0; j < im->nlayers; j++)
			for (k = 0; k < im->layers[j].nentries; k++)
				if (diff_path_excluded(glob,
				    im->layers[j].entries[k].path)) {
					xgrow(v, cap, *n + 1, sizeof(**v));
					(*v)[(*n)++] = im->layers[j].entries[k].path;
				}
	}
}

static int
str_cmp(const void *pa, const void *pb)
{
	return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

/*
 * Count the paths each exclude leaves out, each once however many layers
 * and images hold it, and say which excludes matched nothing.  o holds
 * the globs, r the patterns as written, in the same order.
 */
static void
count_excludes(struct diff_result *r, const struct diff_opts *o,
    const struct tar_archive *a, const struct tar_archive *b)
{
	const char **v = NULL;
	size_t p, i, n, cap = 0;

	for (p = 0; p < r->nexcludes; p++) {
		n = 0;
		collect_excluded(&v, &n, &cap, a, o->excludes[p]);
		collect_excluded(&v, &n, &cap, b, o->excludes[p]);
		if (n > 1)
			qsort(v, n, sizeof(*v), str_cmp);
		for (i = 0; i < n; i++)
			if (i == 0 || strcmp(v[i - 1], v[i]) != 0)
				r->excludes[p].removed++;
		if (n == 0)
			diff_add_note(r, xstrfmt("exclude '%s' matched no path in A or B",
			    r->excludes[p].pattern));
	}
	free(v);
}

/* Say what the input SHA-256s show when a side is a fingerprint. */
static void
note_fingerprint(struct diff_result *r)
{
	const char *what = r->fingerprint_a && r->fingerprint_b ?
	    "the two fingerprints record the same input bytes" :
	    "the image is the same bytes as the input the fingerprint records";

	if (r->have_sha_a && r->have_sha_b && memcmp(r->sha_a, r->sha_b, 32) == 0)
		diff_add_note(r, xstrfmt("%s (the input SHA-256 is equal); a fingerprint "
		    "is not those bytes, so the best verdict is same-digest", what));
}

/* A new result for a and b with o's settings, the excludes counted: raw
   holds them as written, o as globs. */
static struct diff_result *
result_new(const struct tar_archive *a, const char *name_a,
    const struct tar_archive *b, const char *name_b,
    const struct diff_opts *raw, const struct diff_opts *o)
{
	struct diff_result *r = xcalloc(1, sizeof(*r));
	size_t i;

	r->hash_kind = (uint8_t)tar_hash_kind(a);
	r->max_examples = raw->max_examples;
	r->fingerprint_a = tar_is_fingerprint(a);
	r->fingerprint_b = tar_is_fingerprint(b);
	r->name_a = name_a;
	r->name_b = name_b;
	r->format_a = tar_format_name(tar_format(a));
	r->format_b = tar_format_name(tar_format(b));
	r->have_sha_a = tar_input_sha256(a, r->sha_a);
	r->have_sha_b = tar_input_sha256(b, r->sha_b);
	r->required = (uint8_t)o->require;
	memcpy(r->ignored, o->ignore, sizeof(r->ignored));
	r->nexcludes = raw->nexcludes;
	r->excludes = xcalloc(raw->nexcludes + 1, sizeof(*r->excludes));
	for (i = 0; i < raw->nexcludes; i++)
		r->excludes[i].pattern = raw->excludes[i];
	count_excludes(r, o, a, b);
	r->accept = o->accept;
	r->naccept = o->naccept;
	r->accept_used = xcalloc(o->naccept + 1, sizeof(*r->accept_used));
	return r;
}

/* @return how near the nearest image of ar is to im, which pairing left
   alone: the same manifest (the same image under another name, as a layout
   lists one manifest under several refs: same-digest), the same config
   (byte-equivalent), else different. */
static uint8_t
held_as(const struct tar_archive *ar, const struct tar_image *im)
{
	const struct tar_image *o;
	uint8_t v = DIFF_DIFFERENT;
	size_t i;

	for (i = 0; i < tar_nimages(ar); i++) {
		o = tar_image(ar, i);
		if (im->has_manifest && o->has_manifest &&
		    memcmp(im->manifest_digest, o->manifest_digest, 32) == 0)
			return DIFF_SAME_DIGEST;
		if (im->has_config && o->has_config &&
		    memcmp(im->config_digest, o->config_digest, 32) == 0)
			v = DIFF_BYTE_EQUIVALENT;
	}
	return v;
}

/* An image of one side (A when in_a) with no partner on the other: by its
   tag when it has one, else by its platform.  When the other side holds
   the same manifest or config under another name (held_as() gives level),
   the name alone differs: metadata at that level, not content. */
static void
unpaired(struct dctx *c, struct diff_image *di, const struct tar_image *im,
    bool in_a, uint8_t level)
{
	const char *tag = im->ntags > 0 ? im->tags[0] : im->ref_name;
	enum diff_field f = tag != NULL ? DIFF_FIELD_IMAGE : DIFF_FIELD_PLATFORM;
	enum diff_class cls = level < DIFF_DIFFERENT ? DIFF_METADATA : DIFF_CONTENT;
	char *name;

	if (tag != NULL)
		name = im->platform != NULL ? xstrfmt("%s (%s)", tag, im->platform) :
		    xstrdup(tag);
	else
		name = xstrdup(im->platform != NULL ? im->platform : "image");
	c->image = c->r->nimages - 1;
	di->verdict = level;
	c->nlayers = 0;
	c->examples = xcalloc(DIFF_NCLASS, sizeof(size_t));
	diff_dctx_add(c, cls, DIFF_SCOPE_MANIFEST, level, 0, NULL,
	    f, in_a ? name : NULL, in_a ? NULL : name);
	free(c->examples);
}

/* @return the image of ar's index that im is, listed but not in the
   archive (by manifest digest, else by platform), or NULL. */
static const struct tar_listed *
listed_absent(const struct tar_archive *ar, const struct tar_image *im)
{
	const struct tar_listed *l;
	size_t i;

	for (i = 0; i < tar_nlisted(ar); i++) {
		l = tar_listed(ar, i);
		if (l->kind != TAR_LISTED_ABSENT)
			continue;
		if (im->has_manifest ? memcmp(l->digest, im->manifest_digest,
		    32) == 0 : (l->platform != NULL && im->platform != NULL &&
		    strcmp(l->platform, im->platform) == 0))
			return l;
	}
	return NULL;
}

/* Say which images the index of one side lists that its archive lacks. */
static void
note_absent(struct diff_result *r, const struct tar_archive *ar,
    const char *side)
{
	const struct tar_listed *l;
	struct sbuf sb = SBUF_INIT;
	size_t i, n = 0;

	for (i = 0; i < tar_nlisted(ar); i++) {
		l = tar_listed(ar, i);
		if (l->kind != TAR_LISTED_ABSENT)
			continue;
		sbuf_addf(&sb, "%s%s", n++ > 0 ? ", " : "",
		    l->platform != NULL ? l->platform : "an image");
	}
	if (n > 0)
		diff_add_note(r, xstrfmt("%s: its index lists %zu image%s not in the "
		    "archive (%s): not compared", side, n, n > 1 ? "s" : "",
		    sbuf_str(&sb)));
	sbuf_release(&sb);
}

/* A signature, attestation or artifact, as a finding shows it. */
static char *
listed_str(const struct tar_listed *l)
{
	char hex[65];

	util_hex_encode(hex, l->digest, 32);
	return xstrfmt("%s sha256:%s%s%s", tar_listed_kind_name(l->kind), hex,
	    l->subject != NULL ? " for " : "", l->subject != NULL ? l->subject :
	    "");
}

static int
listed_ptr_cmp(const void *pa, const void *pb)
{
	const struct tar_listed *const *a = pa, *const *b = pb;

	return memcmp((*a)->digest, (*b)->digest, 32);
}

/* The signatures, attestations and artifacts of ar, by digest (free it). */
static const struct tar_listed **
listed_sorted(const struct tar_archive *ar, size_t *n)
{
	const struct tar_listed **v = xcalloc(tar_nlisted(ar) + 1, sizeof(*v));
	size_t i;

	*n = 0;
	for (i = 0; i < tar_nlisted(ar); i++)
		if (tar_listed(ar, i)->kind != TAR_LISTED_ABSENT)
			v[(*n)++] = tar_listed(ar, i);
	if (*n > 1)
		qsort(v, *n, sizeof(*v), listed_ptr_cmp);
	return v;
}

/*
 * Signatures, attestations and artifacts beside the images, on one side
 * only: they change no image digest, so each is metadata at same-digest.
 */
static void
diff_listed(struct dctx *c, const struct tar_archive *a,
    const struct tar_archive *b)
{
	const struct tar_listed **va, **vb;
	size_t na, nb, i = 0, j = 0;
	int cmp;

	va = listed_sorted(a, &na);
	vb = listed_sorted(b, &nb);
	while (i < na || j < nb) {
		cmp = i == na ? 1 : j == nb ? -1 : memcmp(va[i]->digest,
		    vb[j]->digest, 32);
		if (cmp == 0) {
			i++;
			j++;
		} else if (cmp < 0)
			diff_dctx_add(c, DIFF_METADATA, DIFF_SCOPE_ARCHIVE,
			    DIFF_SAME_DIGEST, 0, NULL, DIFF_FIELD_LISTED,
			    listed_str(va[i++]), NULL);
		else
			diff_dctx_add(c, DIFF_METADATA, DIFF_SCOPE_ARCHIVE,
			    DIFF_SAME_DIGEST, 0, NULL, DIFF_FIELD_LISTED, NULL,
			    listed_str(vb[j++]));
	}
	free(va);
	free(vb);
}

/*
 * Pair the images (match_images()), compare each pair, and list the
 * unpaired; an image one side holds and the other's index lists without
 * holding it is noted, not compared.  *npairs: the pairs compared.
 * @return the worst verdict of them all.
 */
static uint8_t
pair_images(struct dctx *c, const struct tar_archive *a,
    const struct tar_archive *b, size_t *cap, size_t *npairs)
{
	struct diff_result *r = c->r;
	const struct tar_image *x, *y;
	struct diff_image *di;
	uint8_t verdict = DIFF_SAME_DIGEST;
	size_t i, *to_b;
	bool *in_b;

	*npairs = 0;
	match_images(a, b, &to_b, &in_b);
	for (i = 0; i < tar_nimages(a); i++) {
		x = tar_image(a, i);
		y = to_b[i] != SIZE_MAX ? tar_image(b, to_b[i]) : NULL;
		if (y == NULL && listed_absent(b, x) != NULL)
			continue;
		di = image_add(r, plat(x), cap);
		image_ids(di, x, y);
		if (y == NULL)
			unpaired(c, di, x, true, held_as(b, x));
		else {
			c->image = r->nimages - 1;
			c->nlayers = 0;
			c->examples = xcalloc(DIFF_NCLASS, sizeof(size_t));
			diff_wrapper(c, a, b, x, y);
			if ((*npairs)++ == 0)
				diff_listed(c, a, b);
			free(c->examples);
			diff_pair(c, x, y, false);
		}
		if (di->verdict > verdict)
			verdict = di->verdict;
	}
	for (i = 0; i < tar_nimages(b); i++) {
		if (in_b[i] || listed_absent(a, tar_image(b, i)) != NULL)
			continue;
		y = tar_image(b, i);
		di = image_add(r, plat(y), cap);
		image_ids(di, NULL, y);
		unpaired(c, di, y, false, held_as(a, y));
		if (di->verdict > verdict)
			verdict = di->verdict;
	}
	note_absent(r, a, "A");
	note_absent(r, b, "B");
	free(to_b);
	free(in_b);
	return verdict;
}

/*
 * No image is in both archives, only in one archive and the other's index:
 * the same image index is still the same image (same-digest); else there
 * is nothing to compare.  @return 0, or ERR_USAGE.
 */
static int
nothing_paired(struct diff_result *r, const struct tar_archive *a,
    const struct tar_archive *b, struct err *e)
{
	uint8_t da[32], db[32];
	char hex[65];

	if (tar_image_index_digest(a, da) && tar_image_index_digest(b, db) &&
	    memcmp(da, db, 32) == 0) {
		util_hex_encode(hex, da, 32);
		diff_add_note(r, xstrfmt("no image is in both archives, but both "
		    "hold the same image index (sha256:%s)", hex));
		return 0;
	}
	return err_set(e, ERR_USAGE, "no image is in both A and B: each index "
	    "lists the other's images but its archive does not hold them "
	    "(choose a platform both hold, or save both platforms)");
}

/* Whether ar is a bare layer: no manifest, no config, one layer. */
static bool
bare_layer(const struct tar_archive *ar)
{
	return tar_format(ar) == TAR_FORMAT_LAYER;
}

/* A bare layer (A when layer_a) with every image of the other input: the
   layer's tree with each image's final file system.  @return the worst
   verdict. */
static uint8_t
pair_layer(struct dctx *c, const struct tar_archive *layer,
    const struct tar_archive *images, bool layer_a, size_t *cap)
{
	const struct tar_image *l = tar_image(layer, 0), *im;
	struct diff_image *di;
	uint8_t verdict = DIFF_DEPENDENCY_EQUIVALENT;
	size_t i;

	for (i = 0; i < tar_nimages(images); i++) {
		im = tar_image(images, i);
		di = image_add(c->r, plat(im), cap);
		image_ids(di, layer_a ? l : im, layer_a ? im : l);
		c->image = c->r->nimages - 1;
		diff_pair(c, layer_a ? l : im, layer_a ? im : l, true);
		if (di->verdict > verdict)
			verdict = di->verdict;
	}
	return verdict;
}

/* o with its excludes as globs (free them with free_globs()). */
static struct diff_opts
with_globs(const struct diff_opts *o)
{
	struct diff_opts g = *o;
	char **v = xcalloc(o->nexcludes + 1, sizeof(*v));
	size_t i;

	for (i = 0; i < o->nexcludes; i++)
		if ((v[i] = diff_exclude_glob(o->excludes[i])) == NULL)
			v[i] = xstrdup("");	/* the root alone */
	g.excludes = (const char *const *)v;
	return g;
}

static void
free_globs(struct diff_opts *g)
{
	char **v = (char **)(uintptr_t)g->excludes;
	size_t i;

	for (i = 0; i < g->nexcludes; i++)
		free(v[i]);
	free(v);
}

int
diff_archives(const struct tar_archive *a, const char *name_a,
    const struct tar_archive *b, const char *name_b,
    const struct diff_opts *raw, struct diff_result **out, struct err *e)
{
	struct diff_result *r;
	struct diff_opts o;
	struct dctx c;
	size_t i, cap = 0, npairs;
	uint8_t verdict = DIFF_IDENTICAL;
	bool same;

	if (tar_hash_kind(a) != tar_hash_kind(b))
		return err_set(e, ERR_USAGE, "A has %s entry hashes and B %s: read "
		    "the image with SHA-256 entry hashes to compare it with a "
		    "fingerprint", tar_hash_name(tar_hash_kind(a)),
		    tar_hash_name(tar_hash_kind(b)));
	o = with_globs(raw);
	r = result_new(a, name_a, b, name_b, raw, &o);
	memset(&c, 0, sizeof(c));
	c.r = r;
	c.o = &o;
	c.counting = true;
	c.hash_kind = tar_hash_kind(a);
	c.several = tar_nimages(a) > 1 || tar_nimages(b) > 1;
	if (tar_fp_version(a) == 1 || tar_fp_version(b) == 1)
		c.fp_v1 = tar_fp_version(b) != 1 ? "A" : tar_fp_version(a) != 1 ?
		    "B" : "A and B";

	/* A fingerprint is not the bytes it records: never "identical". */
	if (r->fingerprint_a || r->fingerprint_b)
		note_fingerprint(r);
	else if (r->have_sha_a && r->have_sha_b &&
	    memcmp(r->sha_a, r->sha_b, 32) == 0) {
		/* The same bytes: nothing can differ. */
		for (i = 0; i < tar_nimages(a); i++)
			image_ids(image_add(r, plat(tar_image(a, i)), &cap),
			    tar_image(a, i), tar_image(a, i));
		goto done;
	}
	if (bare_layer(a) != bare_layer(b) && tar_nimages(a) > 0 &&
	    tar_nimages(b) > 0) {
		/* A layer is no image: its tree against the file systems. */
		r->bare_layer = bare_layer(a) ? 'A' : 'B';
		npairs = bare_layer(a) ? tar_nimages(b) : tar_nimages(a);
		verdict = bare_layer(a) ? pair_layer(&c, a, b, true, &cap) :
		    pair_layer(&c, b, a, false, &cap);
	} else
		verdict = pair_images(&c, a, b, &cap, &npairs);
	if (npairs == 0 && r->nimages == 0 && nothing_paired(r, a, b, e) < 0) {
		diff_result_free(r);
		free_globs(&o);
		return e->code;
	}
	/* The same images: are they the same bytes, too?  (A fingerprint is
	   not the bytes it records.) */
	if (verdict == DIFF_SAME_DIGEST && r->nfindings == 0 &&
	    !r->fingerprint_a && !r->fingerprint_b) {
		if (tar_same_input(a, b, &same, e) < 0) {
			diff_result_free(r);
			free_globs(&o);
			return e->code;
		}
		if (same)
			verdict = DIFF_IDENTICAL;
		r->have_sha_a = tar_input_sha256(a, r->sha_a);
		r->have_sha_b = tar_input_sha256(b, r->sha_b);
	}
 done:
	if (r->nfindings > 1)
		qsort(r->findings, r->nfindings, sizeof(*r->findings), finding_cmp);
	r->verdict = verdict;
	r->meets = r->verdict <= r->required;
	free_globs(&o);
	*out = r;
	return 0;
}

/* The layers x and y hold as the same deferred blobs from the bottom up. */
static size_t
shared_bottom(const struct tar_image *x, const struct tar_image *y)
{
	size_t k;

	for (k = 0; k < x->nlayers && k < y->nlayers; k++)
		if (!x->layers[k].deferred || !y->layers[k].deferred ||
		    memcmp(x->layers[k].digest, y->layers[k].digest, 32) != 0)
			break;
	return k;
}

/* Is digest d a layer of im at or above position from? */
static bool
listed_from(const struct tar_image *im, size_t from, const uint8_t d[32])
{
	size_t i;

	for (i = from; i < im->nlayers; i++)
		if (memcmp(im->layers[i].digest, d, 32) == 0)
			return true;
	return false;
}

size_t
diff_fetch_plan(const struct tar_archive *a, const struct tar_archive *b,
    uint8_t **keep)
{
	size_t *to_b, na = tar_nimages(a), nb = tar_nimages(b), i, j, k, n = 0;
	size_t *bottom_a = xcalloc(na + 1, sizeof(*bottom_a));
	size_t *bottom_b = xcalloc(nb + 1, sizeof(*bottom_b));
	const struct tar_image *x;
	const uint8_t *d;
	bool *in_b, ok;

	*keep = NULL;
	match_images(a, b, &to_b, &in_b);
	for (i = 0; i < na; i++)
		if (to_b[i] != SIZE_MAX) {
			k = shared_bottom(tar_image(a, i), tar_image(b, to_b[i]));
			bottom_a[i] = bottom_b[to_b[i]] = k;
		}
	/* A digest is kept only when no image lists it above its bottom. */
	for (i = 0; i < na; i++) {
		x = tar_image(a, i);
		for (k = 0; k < bottom_a[i]; k++) {
			d = x->layers[k].digest;
			ok = true;
			for (j = 0; j < na && ok; j++)
				ok = !listed_from(tar_image(a, j), bottom_a[j], d);
			for (j = 0; j < nb && ok; j++)
				ok = !listed_from(tar_image(b, j), bottom_b[j], d);
			if (!ok)
				continue;
			*keep = xrealloc(*keep, 32 * (n + 1));
			memcpy(*keep + 32 * n++, d, 32);
		}
	}
	free(bottom_a);
	free(bottom_b);
	free(to_b);
	free(in_b);
	return n;
}

static int
path_cmp(const void *pa, const void *pb)
{
	return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

/* The distinct paths of im's layers from from up (sorted, malloc'd), or
   NULL when one is a whiteout or a layer is not at hand. */
static const char **
paths_above(const struct tar_image *im, size_t from, size_t *n)
{
	const char **v = NULL, *base;
	size_t i, j, cap = 0, k = 0;

	*n = 0;
	for (i = from; i < im->nlayers; i++) {
		if (!im->layers[i].present) {
			free(v);
			return NULL;
		}
		for (j = 0; j < im->layers[i].nentries; j++) {
			base = strrchr(im->layers[i].entries[j].path, '/');
			if (starts_with(base != NULL ? base + 1 :
			    im->layers[i].entries[j].path, ".wh.")) {
				free(v);
				return NULL;
			}
			xgrow(&v, &cap, *n + 1, sizeof(*v));
			v[(*n)++] = im->layers[i].entries[j].path;
		}
	}
	if (*n > 1)
		qsort(v, *n, sizeof(*v), path_cmp);
	for (i = 0; i < *n; i++)
		if (k == 0 || strcmp(v[k - 1], v[i]) != 0)
			v[k++] = v[i];
	*n = k;
	if (v == NULL)
		v = xcalloc(1, sizeof(*v));
	return v;
}

/* Do the layers of x and y above their shared bottom touch the same paths
   and delete none? */
static bool
same_paths_above(const struct tar_image *x, const struct tar_image *y)
{
	size_t k = shared_bottom(x, y), nx, ny, i;
	const char **px = paths_above(x, k, &nx), **py = paths_above(y, k, &ny);
	bool same = px != NULL && py != NULL && nx == ny;

	for (i = 0; same && i < nx; i++)
		same = strcmp(px[i], py[i]) == 0;
	free(px);
	free(py);
	return same;
}

bool
diff_deferred_needed(const struct tar_archive *a, const struct tar_archive *b)
{
	size_t *to_b, na = tar_nimages(a), nb = tar_nimages(b), i;
	bool *in_b, needed = false;

	match_images(a, b, &to_b, &in_b);
	for (i = 0; i < na && !needed; i++)
		needed = to_b[i] == SIZE_MAX ||
		    !same_paths_above(tar_image(a, i), tar_image(b, to_b[i]));
	for (i = 0; i < nb && !needed; i++)
		needed = !in_b[i];
	free(to_b);
	free(in_b);
	return needed;
}
