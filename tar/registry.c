/*
 * registry.c - an image in a registry read as an OCI layout is: the
 * manifest (or index, then the manifests of the platforms asked for),
 * each config and each layer fetched through reg/ into the same blob
 * pipeline as an archive's members, named "blobs/sha256/HEX" under an
 * index.json of our own that lists the reference's manifest.  Resolution
 * then verifies every digest and size as for a layout.  A manifest is
 * checked against its digest as soon as it arrives, before anything it
 * lists is fetched.
 *
 * With -j N an image's layers are fetched and parsed on a pool of N
 * threads, each with a client of its own (the credentials copied), and
 * merged in layer order as the archive's members are (wrapper.c); each
 * compressed layer is also inflated in two stages (BS_PIPE).
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "tar/tar_int.h"

struct rwalk {
	struct tar_archive *ar;
	struct reg_client *c;
	uint64_t limit;		/* bytes the descriptors may still claim */
	bool defer;		/* leave the layers for tar_fetch_deferred() */
	const char *cache;	/* --cache DIR, or NULL */
	unsigned jobs;		/* layers fetched at once */
};

/* Blobs are fetched once, whoever lists them.  @return the blob fetched
   as name, or NULL (ar->blobs is not sorted while the walk adds to it). */
static const struct blob *
have_blob(const struct tar_archive *ar, const char *name)
{
	size_t i;

	for (i = 0; i < ar->nblobs; i++)
		if (strcmp(ar->blobs[i].name, name) == 0)
			return &ar->blobs[i];
	return NULL;
}

/* Run bytes held in memory through the pipeline as blob name. */
static int
add_mem_blob(struct tar_archive *ar, const char *name, const char *p,
    size_t n, struct err *e)
{
	struct mem_src ms = { (const uint8_t *)p, n, 0 };
	bool never = false;

	return tar_blob_consume(ar, tar_blob_add(ar, name), tar_mem_src_read, &ms,
	    &never, n, e);
}

struct reg_src {
	struct reg_stream *s;
	/* On the pool: the first layer, in order, that failed (SIZE_MAX:
	   none), and this one's place; a later one stops.  Else NULL. */
	const atomic_size_t *first_fail;
	size_t job;
	bool stopped;		/* it did */
	bool failed;
};

static ssize_t
reg_src_read(void *ctx, void *buf, size_t len, struct err *e)
{
	struct reg_src *rs = ctx;
	ssize_t n;

	if (rs->first_fail != NULL &&
	    atomic_load_explicit(rs->first_fail, memory_order_relaxed) < rs->job) {
		rs->failed = rs->stopped = true;
		return err_set(e, ERR_IO, "stopped: an earlier layer failed");
	}
	if ((n = reg_stream_read(rs->s, buf, len, e)) < 0)
		rs->failed = true;
	return n;
}

/* The digest and size of descriptor d.  @return 0 or ERR_FORMAT. */
static int
desc_parse(const json_t *d, const char *what, uint8_t dg[32], uint64_t *size,
    struct err *e)
{
	const json_t *js = json_object_get(d, "size");
	int r;

	if ((r = tar_parse_digest(json_string_value(json_object_get(d, "digest")),
	    dg, what, e)) < 0)
		return r;
	if (!json_is_integer(js) || json_integer_value(js) < 0)
		return err_set(e, ERR_FORMAT, "%s: descriptor has no valid size", what);
	*size = (uint64_t)json_integer_value(js);
	return 0;
}

/* Count size against --max-input before fetching it. */
static int
claim(struct rwalk *w, uint64_t size, struct err *e)
{
	if (size > w->limit)
		return err_set(e, ERR_LIMIT, "the image is larger than the limit "
		    "of its input (--max-input)");
	w->limit -= size;
	return 0;
}

static void
blob_name(char name[96], const uint8_t d[32])
{
	char hex[65];

	util_hex_encode(hex, d, 32);
	snprintf(name, 96, "blobs/sha256/%s", hex);
}

/*
 * Layer k into b (named, empty) from the cache DIR, as view sees an
 * archive (ar itself, or a worker's own pool, budget and entry hash).
 * @return whether it was there; on a miss b is as it was.
 */
static bool
cache_hit(struct tar_archive *view, const char *cache,
    const struct tar_cache_key *k, struct blob *b)
{
	char *name = b->name;

	if (cache == NULL)
		return false;
	if (tar_cache_load(view, cache, k, b) == 0)
		return true;
	memset(b, 0, sizeof(*b));
	b->name = name;
	return false;
}

/*
 * Fetch blob k into b (named, empty) through client c, its owner names
 * and package bytes into view's pool and budget; a layer (cache not NULL)
 * is kept in the cache, as view sees an archive.  rs is the source, its
 * stream opened here.
 */
static int
fetch_bytes(struct tar_archive *ar, struct tar_archive *view,
    struct reg_client *c, const char *cache, const struct tar_cache_key *k,
    struct blob *b, struct reg_src *rs, struct err *e)
{
	char hex[65], digest[72];
	int r;

	util_hex_encode(hex, k->digest, 32);
	snprintf(digest, sizeof(digest), "sha256:%s", hex);
	if ((r = reg_blob_open(c, digest, k->size, &rs->s, e)) < 0)
		return r;
	r = tar_blob_consume_to(ar, b, reg_src_read, rs, &rs->failed, k->size,
	    &view->pool, view->captured, e);
	reg_stream_free(rs->s);
	rs->s = NULL;
	/* Kept only when it is the blob it says, and a layer tar: the file's
	   name comes from a digest its bytes were checked against. */
	if (r == 0 && cache != NULL && b->error == NULL &&
	    b->content == BLOB_TAR && memcmp(b->sha256, k->digest, 32) == 0 &&
	    b->size == k->size)
		tar_cache_store(view, cache, b);
	return r;
}

/*
 * Fetch blob k->digest of k->size bytes into the pipeline, once; a layer
 * (k->have_diff_id says its config's diff_id) from the cache when it is
 * there, and kept there when fetched.
 */
static int
fetch_digest(struct rwalk *w, const struct tar_cache_key *k, bool layer,
    struct err *e)
{
	const char *cache = layer ? w->cache : NULL;
	struct reg_src rs = { NULL, NULL, 0, false, false };
	struct blob *b;
	char name[96];
	int r;

	blob_name(name, k->digest);
	if (have_blob(w->ar, name))
		return 0;
	b = tar_blob_add(w->ar, name);
	if (cache_hit(w->ar, cache, k, b)) {
		w->ar->reg_stats.layers_cached++;
		return 0;
	}
	if ((r = claim(w, k->size, e)) < 0)
		return r;
	return fetch_bytes(w->ar, w->ar, w->c, cache, k, b, &rs, e);
}

/*
 * A layer on the pool: its blob (added before the pool runs, so that
 * ar->blobs does not move) and, as the cache and the parse see an
 * archive, a view of its own: a pool of owner names, a budget, the entry
 * hash; tar_blob_merge() then makes it the sequential read's.
 */
struct rjob {
	struct tar_cache_key k;
	size_t blob;
	struct tar_archive view;
	struct reg_stats stats;	/* what its client fetched */
	bool cached, stopped;
	int r;
	struct err e;
};

struct rjobs {
	struct rwalk *w;
	struct rjob *v;
	size_t n;
	atomic_size_t first_fail;
};

static bool
rjob_run(void *ctx, size_t i)
{
	struct rjobs *js = ctx;
	struct rjob *j = &js->v[i];
	struct tar_archive *ar = js->w->ar;
	struct reg_src rs = { NULL, &js->first_fail, i, false, false };
	struct reg_client *c;
	size_t f;

	if (cache_hit(&j->view, js->w->cache, &j->k, &ar->blobs[j->blob])) {
		j->cached = true;
		return true;
	}
	if (atomic_load(&js->first_fail) < i) {
		j->stopped = true;
		j->r = err_set(&j->e, ERR_IO, "stopped: an earlier layer failed");
		return true;
	}
	/* The main client does not change while the pool runs. */
	c = reg_client_dup(js->w->c);
	j->r = fetch_bytes(ar, &j->view, c, js->w->cache, &j->k,
	    &ar->blobs[j->blob], &rs, &j->e);
	j->stats = *reg_client_stats(c);
	reg_client_free(c);
	j->stopped = rs.stopped;
	if (j->r < 0 && !j->stopped) {
		/* The first failure in layer order is the one reported: those
		   after it stop at their next read, those before it go on. */
		f = atomic_load(&js->first_fail);
		while (i < f && !atomic_compare_exchange_weak(&js->first_fail, &f, i))
			;
		return false;
	}
	return true;
}

/* Is layer i of keys fetched already, or listed before it? */
static bool
listed_before(const struct rwalk *w, const struct tar_cache_key *keys,
    size_t i)
{
	char name[96];
	size_t k;

	for (k = 0; k < i; k++)
		if (memcmp(keys[k].digest, keys[i].digest, 32) == 0)
			return true;
	blob_name(name, keys[i].digest);
	return have_blob(w->ar, name) != NULL;
}

/*
 * The layers keys lists, as fetch_digest() fetches them one after the
 * other, on the pool of w->jobs threads.  Their sizes are claimed against
 * --max-input first, as if none were in the cache (a layer found there
 * gives its size back); where that is over the limit they are fetched
 * one after the other, so that the limit stops the read where it would.
 */
static int
fetch_layers(struct rwalk *w, const struct tar_cache_key *keys, size_t n,
    struct err *e)
{
	struct tar_archive *ar = w->ar;
	struct rjobs js = { w, NULL, 0, SIZE_MAX };
	struct rjob *j;
	uint64_t total = 0;
	char name[96];
	size_t i;
	int r = 0;

	js.v = xcalloc(n > 0 ? n : 1, sizeof(*js.v));
	for (i = 0; i < n; i++) {
		if (listed_before(w, keys, i))
			continue;
		if (keys[i].size > w->limit - total) {
			js.n = 0;
			break;
		}
		total += keys[i].size;
		js.v[js.n++].k = keys[i];
	}
	if (w->jobs < 2 || js.n < 2) {
		for (i = 0; i < n && r == 0; i++)
			r = fetch_digest(w, &keys[i], true, e);
		goto out;
	}
	for (i = 0; i < js.n; i++) {
		j = &js.v[i];
		blob_name(name, j->k.digest);
		j->blob = (size_t)(tar_blob_add(ar, name) - ar->blobs);
		j->view.hash_kind = ar->hash_kind;
	}
	w->limit -= total;
	util_run_jobs(w->jobs, js.n, rjob_run, &js);
	for (i = 0; i < js.n; i++) {
		j = &js.v[i];
		reg_client_add_stats(w->c, &j->stats);
		if (r == 0 && j->r < 0 && !j->stopped) {
			*e = j->e;
			r = e->code;
		}
	}
	for (i = 0; i < js.n && r == 0; i++) {
		j = &js.v[i];
		tar_blob_merge(ar, &ar->blobs[j->blob]);
		ar->pooled++;
		/* The first cache file not written, in layer order. */
		if (ar->cache_unkept == 0 && j->view.cache_unkept > 0) {
			ar->cache_unwritten = j->view.cache_unwritten;
			j->view.cache_unwritten = NULL;
		}
		ar->cache_unkept += j->view.cache_unkept;
		if (j->cached) {
			ar->reg_stats.layers_cached++;
			w->limit += j->k.size;
		}
	}
 out:
	for (i = 0; i < js.n; i++) {
		tar_strpool_release(&js.v[i].view.pool);
		free(js.v[i].view.cache_unwritten);
	}
	free(js.v);
	return r;
}

/* The key of the blob descriptor d names; diff_id, when not NULL, is
   what the config says a layer uncompresses to. */
static int
blob_key(const json_t *d, const char *what, const char *diff_id,
    struct tar_cache_key *k, struct err *e)
{
	struct err e2 = { 0, "" };
	int r;

	memset(k, 0, sizeof(*k));
	if ((r = desc_parse(d, what, k->digest, &k->size, e)) < 0)
		return r;
	k->have_diff_id = diff_id != NULL &&
	    tar_parse_digest(diff_id, k->diff_id, "diff_id", &e2) == 0;
	return 0;
}

/* The config's rootfs.diff_ids, when its blob is JSON; a new reference
   or NULL. */
static json_t *
config_diff_ids(const struct tar_archive *ar, const json_t *d)
{
	const char *dg = json_string_value(json_object_get(d, "digest")), *hex;
	const struct blob *b;
	json_t *cfg, *ids;
	char *name;

	if (dg == NULL || !skip_prefix(dg, "sha256:", &hex))
		return NULL;
	name = xstrfmt("blobs/sha256/%s", hex);
	b = have_blob(ar, name);
	free(name);
	if (b == NULL || b->json == NULL)
		return NULL;
	cfg = json_loadb(b->json, b->json_len, 0, NULL);
	ids = json_incref(json_object_get(json_object_get(cfg, "rootfs"),
	    "diff_ids"));
	json_decref(cfg);
	return ids;
}

/* The config and layers of image manifest m. */
static int
fetch_image(struct rwalk *w, const json_t *m, struct err *e)
{
	const json_t *d, *layers = json_object_get(m, "layers");
	struct tar_cache_key *keys, k;
	struct err bad = { 0, "" };
	json_t *ids;
	char what[64];
	size_t i, n = 0;
	int r;

	if (!tar_manifest_is_image(m))
		return 0;	/* listed beside the images, not read */
	if ((r = blob_key(json_object_get(m, "config"), "config", NULL, &k,
	    e)) < 0 || (r = fetch_digest(w, &k, false, e)) < 0 || w->defer)
		return r;
	ids = w->cache != NULL ? config_diff_ids(w->ar,
	    json_object_get(m, "config")) : NULL;
	/* The layers up to the first bad descriptor are fetched, as one
	   after the other: its error comes after theirs. */
	keys = xcalloc(json_array_size(layers) + 1, sizeof(*keys));
	json_array_foreach(layers, i, d) {
		if (json_object_get(d, "urls") != NULL)
			continue;	/* non-distributable: not in the registry */
		snprintf(what, sizeof(what), "layer %zu", i + 1);
		if (blob_key(d, what, json_string_value(json_array_get(ids, i)),
		    &keys[n], &bad) < 0)
			break;
		n++;
	}
	if ((r = fetch_layers(w, keys, n, e)) == 0 && bad.code != 0) {
		*e = bad;
		r = e->code;
	}
	free(keys);
	json_decref(ids);
	return r;
}

static int walk_doc(struct rwalk *w, const char *body, size_t len,
    const uint8_t dg[32], const uint8_t (*up)[32], int depth, struct err *e);

/*
 * GET the manifest tail ("sha256:HEX" or a tag) and add it as a blob.
 * want (or NULL for a tag) and size (or UINT64_MAX) are what its referrer
 * says; a mismatch is ERR_DIGEST before anything it lists is fetched.
 */
static int
fetch_manifest(struct rwalk *w, const char *tail, const uint8_t *want,
    uint64_t size, const uint8_t (*up)[32], int depth, char **mtp,
    uint8_t dg[32], size_t *lenp, struct err *e)
{
	char *body = NULL, *mt = NULL, hex[65], got[65], name[96];
	size_t len = 0;
	int r;

	if ((r = reg_get_manifest(w->c, tail, &body, &len, &mt, e)) < 0)
		return r;
	EVP_Digest(body, len, dg, NULL, EVP_sha256(), NULL);
	util_hex_encode(got, dg, 32);
	if (want != NULL && memcmp(want, dg, 32) != 0) {
		util_hex_encode(hex, want, 32);
		r = err_set(e, ERR_DIGEST, "manifest sha256:%s does not match its "
		    "digest (content is sha256:%s)", hex, got);
		goto out;
	}
	if (size != UINT64_MAX && size != len) {
		r = err_set(e, ERR_DIGEST, "manifest sha256:%s is %zu bytes but its "
		    "descriptor says %llu", got, len, (unsigned long long)size);
		goto out;
	}
	snprintf(name, sizeof(name), "blobs/sha256/%s", got);
	if (!have_blob(w->ar, name) &&
	    (r = add_mem_blob(w->ar, name, body, len, e)) < 0)
		goto out;
	if (lenp != NULL)
		*lenp = len;
	r = walk_doc(w, body, len, dg, up, depth, e);
 out:
	if (r == 0 && mtp != NULL) {
		/* The manifest's own mediaType, else its Content-Type. */
		json_t *j = json_loadb(body, len, 0, NULL);
		const char *own = json_string_value(json_object_get(j, "mediaType"));

		*mtp = own != NULL ? xstrdup(own) : mt;
		if (own == NULL)
			mt = NULL;
		json_decref(j);
	}
	free(mt);
	free(body);
	return r;
}

/* The manifests an index lists: those of the platform asked for. */
static int
walk_index(struct rwalk *w, const json_t *idx, const uint8_t dg[32],
    const uint8_t (*up)[32], int depth, struct err *e)
{
	const json_t *d;
	const char *ref;
	uint8_t (*chain)[32], child[32], got[32];
	char *plat, what[96], hex[65], chex[65], tail[72];
	uint64_t size;
	size_t i;
	int k, r = 0;

	if (depth >= TAR_NEST_MAX)
		return err_set(e, ERR_LIMIT, "indexes nested deeper than %d",
		    TAR_NEST_MAX);
	/* The digests from the top down to this index, to refuse a cycle. */
	chain = xcalloc((size_t)depth + 1, sizeof(*chain));
	if (depth > 0)
		memcpy(chain, up, (size_t)depth * sizeof(*chain));
	memcpy(chain[depth], dg, 32);
	util_hex_encode(hex, dg, 32);
	json_array_foreach(json_object_get(idx, "manifests"), i, d) {
		snprintf(what, sizeof(what), "index sha256:%.12s entry %zu", hex, i + 1);
		ref = json_string_value(json_object_get(json_object_get(d,
		    "annotations"), "vnd.docker.reference.type"));
		if (ref != NULL && strcmp(ref, "attestation-manifest") == 0)
			continue;
		plat = tar_platform_string(json_object_get(d, "platform"));
		k = w->ar->opts->platform != NULL && (plat == NULL ||
		    !tar_platform_match(w->ar->opts->platform, plat));
		free(plat);
		if (k)
			continue;	/* listed as not read, by resolution */
		if ((r = desc_parse(d, what, child, &size, e)) < 0)
			break;
		for (k = 0; k <= depth; k++)
			if (memcmp(chain[k], child, 32) == 0)
				break;
		if (k <= depth) {
			r = err_set(e, ERR_FORMAT, "%s: the index lists itself "
			    "(sha256:%.12s)", what, hex);
			break;
		}
		util_hex_encode(chex, child, 32);
		snprintf(tail, sizeof(tail), "sha256:%s", chex);
		snprintf(what, sizeof(what), "blobs/sha256/%s", chex);
		if (have_blob(w->ar, what))
			continue;
		if ((r = fetch_manifest(w, tail, child, size,
		    (const uint8_t (*)[32])chain, depth + 1, NULL, got, NULL, e)) < 0)
			break;
	}
	free(chain);
	return r;
}

static int
walk_doc(struct rwalk *w, const char *body, size_t len, const uint8_t dg[32],
    const uint8_t (*up)[32], int depth, struct err *e)
{
	json_error_t je;
	json_t *j;
	char hex[65];
	int r;

	if ((j = json_loadb(body, len, 0, &je)) == NULL || !json_is_object(j)) {
		util_hex_encode(hex, dg, 32);
		json_decref(j);
		return err_set(e, ERR_FORMAT, "manifest sha256:%.12s is not a JSON "
		    "object", hex);
	}
	if (json_is_array(json_object_get(j, "manifests")))
		r = walk_index(w, j, dg, up, depth, e);
	else
		r = fetch_image(w, j, e);
	json_decref(j);
	return r;
}

int
tar_registry_read(struct tar_archive *ar, const char *ref, struct err *e)
{
	struct reg_ref rr;
	struct rwalk w = { ar, NULL, 0, ar->opts->defer_layers,
	    ar->opts->reg != NULL ? ar->opts->reg->cache : NULL, 0 };
	json_t *idx = NULL;
	char *mt = NULL, *doc = NULL, hex[65], digest[72];
	const char *want;
	uint8_t dg[32];
	size_t len = 0;
	int r;

	ar->format = TAR_FORMAT_REGISTRY;
	ar->reg_jobs = w.jobs = ar->opts->jobs != 0 ? ar->opts->jobs :
	    util_ncpus();
	ar->pipe = w.jobs > 1;
	w.limit = ar->opts->max_input != 0 ? ar->opts->max_input : TAR_INPUT_MAX;
	if ((r = reg_ref_parse(ref, &rr, e)) < 0 ||
	    (w.cache != NULL && (r = tar_cache_dir_check(w.cache, e)) < 0) ||
	    (r = reg_client_new(&rr, ar->opts->reg, &w.c, e)) < 0)
		goto out;
	ar->reg_ref = rr;
	if (ar->opts->reg != NULL)
		ar->reg_opts = *ar->opts->reg;
	if ((r = fetch_manifest(&w, reg_ref_tail(&rr), NULL, UINT64_MAX, NULL, 0,
	    &mt, dg, &len, e)) < 0)
		goto out;
	if (skip_prefix(rr.digest, "sha256:", &want)) {
		util_hex_encode(hex, dg, 32);
		if (strcmp(want, hex) != 0) {
			r = err_set(e, ERR_DIGEST, "manifest %s does not match its "
			    "digest (content is sha256:%s)", rr.digest, hex);
			goto out;
		}
	}
	/* index.json of our own: it lists the reference's manifest, and is
	   no image digest (tar_index_digest() says none). */
	util_hex_encode(hex, dg, 32);
	snprintf(digest, sizeof(digest), "sha256:%s", hex);
	idx = json_pack("{s:i, s:[{s:s, s:s, s:I}]}", "schemaVersion", 2,
	    "manifests", "mediaType", mt, "digest", digest, "size",
	    (json_int_t)len);
	doc = json_dumps(idx, JSON_COMPACT);
	if (doc == NULL)
		xalloc_die();
	r = add_mem_blob(ar, "index.json", doc, strlen(doc), e);
 out:
	ar->input_left = w.limit;
	if (w.c != NULL) {
		unsigned cached = ar->reg_stats.layers_cached;

		ar->reg_stats = *reg_client_stats(w.c);
		ar->reg_stats.layers_cached = cached;
	}
	/* The layers left are fetched by the client that knows how. */
	if (r == 0 && w.defer) {
		ar->reg_client = w.c;
		w.c = NULL;
	}
	reg_client_free(w.c);
	json_decref(idx);
	free(doc);
	free(mt);
	return r;
}

static bool
kept(const uint8_t *keep, size_t nkeep, const uint8_t d[32])
{
	size_t i;

	for (i = 0; i < nkeep; i++)
		if (memcmp(keep + 32 * i, d, 32) == 0)
			return true;
	return false;
}

/* Layer l, fetched as blob b: the digest, size and diff_id the manifest
   and config gave it must hold. */
static int
deferred_fill(struct tar_layer *l, const struct blob *b, size_t n,
    struct err *e)
{
	uint8_t digest[32], diff_id[32];
	char what[32], got[65];
	int r;

	snprintf(what, sizeof(what), "layer %zu", n);
	if (memcmp(b->sha256, l->digest, 32) != 0) {
		util_hex_encode(got, b->sha256, 32);
		return err_set(e, ERR_DIGEST, "%s: blob '%s' does not match its "
		    "digest (content is sha256:%s)", what, b->name, got);
	}
	if (b->size != l->size)
		return err_set(e, ERR_DIGEST, "%s: blob '%s' is %llu bytes but its "
		    "descriptor says %llu", what, b->name,
		    (unsigned long long)b->size, (unsigned long long)l->size);
	memcpy(digest, l->digest, 32);
	memcpy(diff_id, l->diff_id, 32);
	if ((r = tar_layer_from_blob(l, b, what, e)) < 0)
		return r;
	if (memcmp(l->diff_id, diff_id, 32) != 0) {
		util_hex_encode(got, l->diff_id, 32);
		return err_set(e, ERR_DIGEST, "%s ('%s') uncompresses to sha256:%s, "
		    "not the diff_id in the config", what, b->name, got);
	}
	l->deferred = false;
	return 0;
}

int
tar_fetch_deferred(struct tar_archive *ar, const uint8_t *keep, size_t nkeep,
    bool late, struct err *e)
{
	static const struct tar_opts none;
	struct rwalk w = { ar, ar->reg_client, ar->input_left, false,
	    ar->reg_opts.cache, ar->reg_jobs };
	struct reg_stats before = { 0 };
	struct tar_cache_key *keys = NULL;
	struct tar_layer *l;
	const struct blob *b;
	char name[96];
	size_t i, j, n = 0, cap = 0;
	int r = 0;

	/* The pipeline reads options; the read that set them is over. */
	ar->opts = &none;
	/* Fetch first, then fill: adding blobs moves them. */
	for (i = 0; i < ar->nimages; i++)
		for (j = 0; j < ar->images[i].nlayers; j++) {
			l = &ar->images[i].layers[j];
			if (!l->deferred || kept(keep, nkeep, l->digest))
				continue;
			xgrow(&keys, &cap, n + 1, sizeof(*keys));
			memcpy(keys[n].digest, l->digest, 32);
			keys[n].size = l->size;
			memcpy(keys[n].diff_id, l->diff_id, 32);
			keys[n++].have_diff_id = true;
		}
	if (n > 0 && w.c == NULL)
		r = reg_client_new(&ar->reg_ref, &ar->reg_opts, &w.c, e);
	if (w.c != NULL)
		before = *reg_client_stats(w.c);
	if (n > 0 && r == 0)
		r = fetch_layers(&w, keys, n, e);
	tar_blobs_sort(ar);
	for (i = 0; i < ar->nimages && r == 0; i++)
		for (j = 0; j < ar->images[i].nlayers && r == 0; j++) {
			l = &ar->images[i].layers[j];
			if (!l->deferred || kept(keep, nkeep, l->digest))
				continue;
			blob_name(name, l->digest);
			if ((b = tar_blob_find(ar, name, e)) == NULL)
				r = err_set(e, ERR_INTERNAL, "%s: not fetched", name);
			else if ((r = deferred_fill(l, b, j + 1, e)) == 0)
				l->late = late;
		}
	free(keys);
	ar->opts = NULL;
	ar->input_left = w.limit;
	if (w.c != NULL) {
		const struct reg_stats *st = reg_client_stats(w.c);

		ar->reg_stats.bytes += st->bytes - before.bytes;
		ar->reg_stats.requests += st->requests - before.requests;
		ar->reg_stats.retries += st->retries - before.retries;
		ar->reg_stats.blobs += st->blobs - before.blobs;
	}
	ar->reg_client = w.c;
	if (r < 0)
		err_prefix(e, "%s", ar->input);
	return r;
}
