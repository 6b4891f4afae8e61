/*
 * diff.c - compare two archives: pair images by platform, then walk the
 * evidence chain (archive -> manifest -> config -> layers -> entries), and
 * decide the verdict on the final file systems and the runtime config.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "diff/diff_int.h"

#define DEFAULT_EXAMPLES	5

#define CONTENT_ITEMS_MAX	1024	/* files the second look may explain */

static void
defer(struct dctx *c, const char *path)
{
	struct diff_image *im = &c->r->images[c->image];
	struct diff_content *dc;

	if (im->ncontent >= CONTENT_ITEMS_MAX) {
		im->content_overflow = true;
		return;
	}
	xgrow(&im->content, &im->content_cap, im->ncontent + 1,
	    sizeof(*im->content));
	dc = &im->content[im->ncontent++];
	dc->path = xstrdup(path);
	dc->member_a = c->member_a;
	dc->member_b = c->member_b;
	dc->explained = false;
}

bool
dctx_keeps(const struct dctx *c, enum diff_class cls, int layer)
{
	size_t row = layer > 0 && (size_t)layer <= c->nlayers ? (size_t)layer : 0;
	size_t max = c->o->max_examples ? c->o->max_examples : DEFAULT_EXAMPLES;

	return c->counting && c->examples[row * DIFF_NCLASS + cls] < max;
}

struct diff_finding *
dctx_add(struct dctx *c, enum diff_class cls, enum diff_scope scope,
    enum diff_verdict level, int layer, const char *path, const char *field,
    char *a, char *b)
{
	struct diff_result *r = c->r;
	struct diff_image *im = &r->images[c->image];
	struct diff_finding *f;
	size_t row = layer > 0 && (size_t)layer <= c->nlayers ? (size_t)layer : 0;
	size_t *kept = &c->examples[row * DIFF_NCLASS + cls];
	size_t max = c->o->max_examples ? c->o->max_examples : DEFAULT_EXAMPLES;

	int w = scope == DIFF_SCOPE_FS ? 2 :
	    scope == DIFF_SCOPE_LAYER && cls != DIFF_COMPRESSION ? 1 : 0;
	uint8_t *worst = &c->worst[w];

	if (c->defer_content && cls == DIFF_CONTENT &&
	    (strcmp(field, "content") == 0 || strcmp(field, "size") == 0)) {
		defer(c, path);
		worst = &c->worst_deferred;
	}
	if (!c->o->ignore[cls] && level > *worst)
		*worst = (uint8_t)level;
	if (!c->counting)
		goto drop;
	r->counts[cls]++;
	if (layer > 0 && (size_t)layer <= im->nlayers)
		im->layers[layer - 1].counts[cls]++;
	if (*kept >= max) {
		r->examples_dropped++;
		goto drop;
	}
	(*kept)++;
	xgrow(&r->findings, &r->nfindings_cap, r->nfindings + 1,
	    sizeof(*r->findings));
	f = &r->findings[r->nfindings++];
	memset(f, 0, sizeof(*f));
	f->cls = (uint8_t)cls;
	f->scope = (uint8_t)scope;
	f->level = (uint8_t)level;
	f->ignored = c->o->ignore[cls];
	f->layer = layer;
	f->image = c->image;
	f->path = path ? xstrdup(path) : NULL;
	f->field = xstrdup(field);
	f->a = a;
	f->b = b;
	f->offset = -1;
	if (cls == DIFF_CONTENT) {
		f->member_a = c->member_a;
		f->member_b = c->member_b;
	}
	return f;
 drop:
	free(a);
	free(b);
	return NULL;
}

void
add_note(struct diff_result *r, char *note)
{
	xgrow(&r->notes, &r->notes_cap, r->nnotes + 1, sizeof(*r->notes));
	r->notes[r->nnotes++] = note;
}

static char *
digest_str(const uint8_t d[32])
{
	char hex[65];

	hex_encode(hex, d, 32);
	return xfmt("sha256:%s", hex);
}

static char *
json_str(const json_t *j)
{
	char *s;

	if (j == NULL)
		return NULL;
	s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
	return s != NULL ? s : xstrdup("?");
}

/* ---- config ------------------------------------------------------------ */

static const char *const runtime_keys[] = {
	"Env", "Cmd", "Entrypoint", "User", "WorkingDir", "ExposedPorts",
	"Volumes", "StopSignal", NULL
};
static const char *const platform_keys[] = {
	"architecture", "os", "variant", "os.version", "os.features", NULL
};

static bool
in_keys(const char *k, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(k, *list) == 0)
			return true;
	return false;
}

/* Keys of two objects, sorted, each once. */
static size_t
union_keys(const json_t *x, const json_t *y, const char ***out)
{
	const char **v = NULL, *k;
	size_t n = 0, cap = 0, i, j;
	const json_t *o[2] = { x, y };
	json_t *val;

	for (i = 0; i < 2; i++) {
		json_object_foreach((json_t *)(uintptr_t)o[i], k, val) {
			(void)val;
			for (j = 0; v != NULL && j < n && strcmp(v[j], k) != 0; j++)
				;
			if (j < n)
				continue;
			xgrow(&v, &cap, n + 1, sizeof(*v));
			v[n++] = k;
		}
	}
	for (i = 1; i < n; i++)		/* few keys: insertion sort */
		for (j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
			k = v[j];
			v[j] = v[j - 1];
			v[j - 1] = k;
		}
	*out = v;
	return n;
}

static void
cfg_field(struct dctx *c, enum diff_class cls, const char *field,
    const json_t *x, const json_t *y)
{
	enum diff_verdict level = cls == DIFF_CONTENT ? DIFF_DIFFERENT :
	    DIFF_DEPENDENCY_EQUIVALENT;

	if (json_equal((json_t *)(uintptr_t)x, (json_t *)(uintptr_t)y))
		return;
	dctx_add(c, cls, DIFF_SCOPE_CONFIG, level, 0, NULL, field, json_str(x),
	    json_str(y));
}

static void
diff_labels(struct dctx *c, const json_t *x, const json_t *y)
{
	const char **keys;
	char *field;
	size_t n, i;

	n = union_keys(x, y, &keys);
	for (i = 0; i < n; i++) {
		field = xfmt("config.Labels.%s", keys[i]);
		cfg_field(c, strcmp(keys[i], "org.opencontainers.image.created") == 0 ?
		    DIFF_TIMESTAMP : DIFF_METADATA, field, json_object_get(x, keys[i]),
		    json_object_get(y, keys[i]));
		free(field);
	}
	free(keys);
}

static void
diff_history(struct dctx *c, const json_t *x, const json_t *y)
{
	size_t nx = json_array_size(x), ny = json_array_size(y), i, n, k;
	const json_t *hx, *hy;
	const char **keys;
	char *field;

	if (nx != ny)
		dctx_add(c, DIFF_METADATA, DIFF_SCOPE_CONFIG,
		    DIFF_DEPENDENCY_EQUIVALENT, 0, NULL, "history",
		    xfmt("%zu steps", nx), xfmt("%zu steps", ny));
	for (i = 0; i < nx && i < ny; i++) {
		hx = json_array_get(x, i);
		hy = json_array_get(y, i);
		n = union_keys(hx, hy, &keys);
		for (k = 0; k < n; k++) {
			field = xfmt("history[%zu].%s", i, keys[k]);
			cfg_field(c, strcmp(keys[k], "created") == 0 ? DIFF_TIMESTAMP :
			    DIFF_METADATA, field, json_object_get(hx, keys[k]),
			    json_object_get(hy, keys[k]));
			free(field);
		}
		free(keys);
	}
}

static void
diff_config(struct dctx *c, const json_t *x, const json_t *y)
{
	const char **keys, **ck;
	const json_t *cx, *cy;
	char *field;
	size_t n, i, m, j;

	n = union_keys(x, y, &keys);
	for (i = 0; i < n; i++) {
		const char *k = keys[i];

		if (strcmp(k, "rootfs") == 0)
			continue;	/* diff_ids: the layers tell */
		if (strcmp(k, "created") == 0)
			cfg_field(c, DIFF_TIMESTAMP, k, json_object_get(x, k),
			    json_object_get(y, k));
		else if (strcmp(k, "history") == 0)
			diff_history(c, json_object_get(x, k), json_object_get(y, k));
		else if (in_keys(k, platform_keys))
			cfg_field(c, DIFF_CONTENT, k, json_object_get(x, k),
			    json_object_get(y, k));
		else if (strcmp(k, "config") == 0) {
			cx = json_object_get(x, k);
			cy = json_object_get(y, k);
			m = union_keys(cx, cy, &ck);
			for (j = 0; j < m; j++) {
				if (strcmp(ck[j], "Labels") == 0) {
					diff_labels(c, json_object_get(cx, ck[j]),
					    json_object_get(cy, ck[j]));
					continue;
				}
				field = xfmt("config.%s", ck[j]);
				cfg_field(c, in_keys(ck[j], runtime_keys) ? DIFF_CONTENT :
				    DIFF_METADATA, field, json_object_get(cx, ck[j]),
				    json_object_get(cy, ck[j]));
				free(field);
			}
			free(ck);
		} else
			cfg_field(c, DIFF_METADATA, k, json_object_get(x, k),
			    json_object_get(y, k));
	}
	free(keys);
}

/* ---- manifest and archive ----------------------------------------------- */

static bool
str_eq_or_null(const char *a, const char *b)
{
	return a == NULL || b == NULL ? a == b : strcmp(a, b) == 0;
}

static void
meta(struct dctx *c, enum diff_scope scope, enum diff_verdict level,
    const char *field, char *a, char *b)
{
	dctx_add(c, DIFF_METADATA, scope, level, 0, NULL, field, a, b);
}

static void
diff_manifest(struct dctx *c, const struct tar_image *x,
    const struct tar_image *y)
{
	const json_t *ax, *ay, *lx, *ly;
	const char **keys;
	char *field;
	size_t n, i;

	if (x->has_manifest != y->has_manifest) {
		meta(c, DIFF_SCOPE_MANIFEST, DIFF_BYTE_EQUIVALENT, "manifest",
		    x->has_manifest ? digest_str(x->manifest_digest) : NULL,
		    y->has_manifest ? digest_str(y->manifest_digest) : NULL);
		return;
	}
	if (x->has_index && y->has_index &&
	    memcmp(x->index_digest, y->index_digest, 32) != 0)
		meta(c, DIFF_SCOPE_MANIFEST, DIFF_BYTE_EQUIVALENT, "index",
		    digest_str(x->index_digest), digest_str(y->index_digest));
	if (!x->has_manifest || memcmp(x->manifest_digest, y->manifest_digest,
	    32) == 0)
		return;
	if (!str_eq_or_null(x->manifest_media_type, y->manifest_media_type))
		meta(c, DIFF_SCOPE_MANIFEST, DIFF_BYTE_EQUIVALENT, "mediaType",
		    x->manifest_media_type ? xstrdup(x->manifest_media_type) : NULL,
		    y->manifest_media_type ? xstrdup(y->manifest_media_type) : NULL);
	ax = json_object_get(x->manifest, "annotations");
	ay = json_object_get(y->manifest, "annotations");
	n = union_keys(ax, ay, &keys);
	for (i = 0; i < n; i++) {
		const json_t *vx = json_object_get(ax, keys[i]);
		const json_t *vy = json_object_get(ay, keys[i]);

		if (json_equal((json_t *)(uintptr_t)vx, (json_t *)(uintptr_t)vy))
			continue;
		field = xfmt("annotations.%s", keys[i]);
		dctx_add(c, strcmp(keys[i], "org.opencontainers.image.created") == 0 ?
		    DIFF_TIMESTAMP : DIFF_METADATA, DIFF_SCOPE_MANIFEST,
		    DIFF_BYTE_EQUIVALENT, 0, NULL, field, json_str(vx), json_str(vy));
		free(field);
	}
	free(keys);
	lx = json_object_get(json_object_get(x->manifest, "config"), "mediaType");
	ly = json_object_get(json_object_get(y->manifest, "config"), "mediaType");
	if (!json_equal((json_t *)(uintptr_t)lx, (json_t *)(uintptr_t)ly))
		meta(c, DIFF_SCOPE_MANIFEST, DIFF_BYTE_EQUIVALENT, "config.mediaType",
		    json_str(lx), json_str(ly));
}

/* ---- layers --------------------------------------------------------------- */

static const char *const os_names[] = {
	"FAT", "Amiga", "VMS", "Unix", "VM/CMS", "Atari", "HPFS", "Macintosh",
	"Z-System", "CP/M", "TOPS-20", "NTFS", "QDOS", "Acorn", "unknown"
};

static char *
gz_os(uint8_t os)
{
	return xfmt("%u (%s)", os, os < 14 ? os_names[os] : os == 255 ?
	    "unknown" : "?");
}

/* Same diff_id behind other digests: say how the framing differs. */
static void
diff_framing(struct dctx *c, int layer, const struct tar_layer *x,
    const struct tar_layer *y)
{
	const struct tar_framing *a = &x->framing, *b = &y->framing;
	bool found = false;

#define FRAME(field, as, bs) (found = true, dctx_add(c, DIFF_COMPRESSION, \
    DIFF_SCOPE_LAYER, DIFF_BYTE_EQUIVALENT, layer, NULL, field, as, bs))
	if (a->comp != b->comp) {
		FRAME("compression", xstrdup(tar_comp_name(a->comp)),
		    xstrdup(tar_comp_name(b->comp)));
		return;
	}
	if (a->comp == TAR_COMP_GZIP) {
		if (a->gz_mtime != b->gz_mtime)
			FRAME("gzip.mtime", xfmt("%u", a->gz_mtime),
			    xfmt("%u", b->gz_mtime));
		if (a->gz_os != b->gz_os)
			FRAME("gzip.os", gz_os(a->gz_os), gz_os(b->gz_os));
		if (a->gz_xfl != b->gz_xfl)
			FRAME("gzip.xfl", xfmt("%u", a->gz_xfl), xfmt("%u", b->gz_xfl));
		if (strcmp(a->gz_name, b->gz_name) != 0)
			FRAME("gzip.fname", xstrdup(a->gz_name), xstrdup(b->gz_name));
		if ((a->gz_flags ^ b->gz_flags) & ~0x08)
			FRAME("gzip.flags", xfmt("0x%02x", a->gz_flags),
			    xfmt("0x%02x", b->gz_flags));
		if (a->gz_members != b->gz_members)
			FRAME("gzip.members", xfmt("%u", a->gz_members),
			    xfmt("%u", b->gz_members));
		if (a->gz_padding != b->gz_padding)
			FRAME("gzip.padding", xfmt("%" PRIu64, a->gz_padding),
			    xfmt("%" PRIu64, b->gz_padding));
	} else if (a->comp == TAR_COMP_ZSTD) {
		if (a->zs_fhd != b->zs_fhd)
			FRAME("zstd.frame_header", xfmt("0x%02x", a->zs_fhd),
			    xfmt("0x%02x", b->zs_fhd));
		if (a->zs_frames != b->zs_frames)
			FRAME("zstd.frames", xfmt("%u", a->zs_frames),
			    xfmt("%u", b->zs_frames));
	}
	if (!found)
		/* Same header, other body: level or implementation. */
		FRAME(a->comp == TAR_COMP_GZIP ? "deflate.stream" : "stream",
		    xfmt("%" PRIu64 " bytes", x->size), xfmt("%" PRIu64 " bytes", y->size));
#undef FRAME
}

/* Entry indices of a layer, sorted by path (then by position). */
static size_t *
by_path(const struct tar_layer *l, const struct diff_opts *o, size_t *n)
{
	size_t *v = xcalloc(l->nentries + 1, sizeof(*v)), i, k = 0, j;
	bool sorted = true;

	for (i = 0; i < l->nentries; i++)
		if (!diff_path_excluded_any(o, l->entries[i].path)) {
			if (k > 0 && sorted && strcmp(l->entries[v[k - 1]].path,
			    l->entries[i].path) > 0)
				sorted = false;
			v[k++] = i;
		}
	*n = k;
	if (sorted)
		return v;	/* tar --sort=name, as most builders write */
	/* Insertion is too slow for big layers; a merge sort keeps it stable. */
	{
		size_t *tmp = xcalloc(k + 1, sizeof(*tmp)), w, lo, mid, hi, a, b;

		for (w = 1; w < k; w *= 2) {
			for (lo = 0; lo < k; lo += 2 * w) {
				mid = lo + w < k ? lo + w : k;
				hi = lo + 2 * w < k ? lo + 2 * w : k;
				a = lo;
				b = mid;
				for (j = lo; j < hi; j++) {
					if (a < mid && (b >= hi || strcmp(l->entries[v[a]].path,
					    l->entries[v[b]].path) <= 0))
						tmp[j] = v[a++];
					else
						tmp[j] = v[b++];
				}
			}
			memcpy(v, tmp, k * sizeof(*v));
		}
		free(tmp);
	}
	return v;
}

/* One side's sort, run in its own thread. */
struct sort_job {
	const struct tar_layer *l;
	const struct diff_opts *o;
	size_t *v, n;
};

static void *
sort_run(void *arg)
{
	struct sort_job *j = arg;

	j->v = by_path(j->l, j->o, &j->n);
	return NULL;
}

/* One side's final file system, built in its own thread. */
struct fs_job {
	struct fs *fs;
	const struct tar_image *im;
	const struct diff_opts *o;
};

static void *
fs_run(void *arg)
{
	struct fs_job *j = arg;

	fs_build(j->fs, j->im, j->o);
	return NULL;
}

void
diff_run_both(void *(*fn)(void *), void *a, void *b)
{
	pthread_t th;

	if (pthread_create(&th, NULL, fn, b) != 0) {
		fn(a);
		fn(b);
		return;
	}
	fn(a);
	pthread_join(th, NULL);
}

static bool
sorted_by_name(const struct tar_layer *l, const struct diff_opts *o)
{
	const char *prev = NULL;
	size_t i;

	for (i = 0; i < l->nentries; i++) {
		if (diff_path_excluded_any(o, l->entries[i].path))
			continue;
		if (prev != NULL && strcmp(prev, l->entries[i].path) > 0)
			return false;
		prev = l->entries[i].path;
	}
	return true;
}

/*
 * Same set of paths in another sequence: report the first displaced
 * entries and whether either side is sorted by name.
 */
static void
diff_order(struct dctx *c, int layer, const struct tar_layer *x,
    const struct tar_layer *y)
{
	size_t i = 0, j = 0, shown = 0;
	bool sx, sy;

	while (i < x->nentries && j < y->nentries && shown < 3) {
		const struct tar_entry *ex = &x->entries[i], *ey = &y->entries[j];

		if (diff_path_excluded_any(c->o, ex->path)) {
			i++;
			continue;
		}
		if (diff_path_excluded_any(c->o, ey->path)) {
			j++;
			continue;
		}
		if (strcmp(ex->path, ey->path) != 0) {
			dctx_add(c, DIFF_ORDERING, DIFF_SCOPE_LAYER,
			    DIFF_DEPENDENCY_EQUIVALENT, layer, ex->path, "position",
			    xfmt("%" PRIu32, ex->ordinal), xfmt("%s at %" PRIu32 " in B",
			    ey->path, ey->ordinal));
			shown++;
		}
		i++;
		j++;
	}
	if (!c->counting)
		return;
	sx = sorted_by_name(x, c->o);
	sy = sorted_by_name(y, c->o);
	add_note(c->r, xfmt("layer %d: entry order differs; A is %ssorted by name, "
	    "B is %ssorted by name%s", layer, sx ? "" : "not ", sy ? "" : "not ",
	    sx != sy ? " (tar --sort=name on one side only)" : ""));
}

/* Match the entries of two layers by path and compare each pair. */
static void
diff_layer_entries(struct dctx *c, int layer, const struct tar_layer *x,
    const struct tar_layer *y)
{
	struct sort_job jx = { x, c->o, NULL, 0 }, jy = { y, c->o, NULL, 0 };
	size_t nx, ny, i = 0, j = 0, *vx, *vy;
	size_t before = c->r->counts[DIFF_CONTENT] + c->r->counts[DIFF_PERMISSION] +
	    c->r->counts[DIFF_TIMESTAMP] + c->r->counts[DIFF_ENCODING];
	bool same_set = true, same_order = true;
	int cmp;

	diff_run_both(sort_run, &jx, &jy);
	vx = jx.v;
	vy = jy.v;
	nx = jx.n;
	ny = jy.n;
	while (i < nx || j < ny) {
		const struct tar_entry *ex = i < nx ? &x->entries[vx[i]] : NULL;
		const struct tar_entry *ey = j < ny ? &y->entries[vy[j]] : NULL;

		if (ex == NULL && ey == NULL)
			break;
		cmp = ex == NULL ? 1 : ey == NULL ? -1 : strcmp(ex->path, ey->path);
		if (cmp < 0) {
			dctx_add(c, DIFF_CONTENT, DIFF_SCOPE_LAYER, DIFF_DIFFERENT, layer,
			    ex->path, "entry", xstrdup(tar_kind_name(ex->kind)), NULL);
			same_set = false;
			i++;
		} else if (cmp > 0) {
			dctx_add(c, DIFF_CONTENT, DIFF_SCOPE_LAYER, DIFF_DIFFERENT, layer,
			    ey->path, "entry", NULL, xstrdup(tar_kind_name(ey->kind)));
			same_set = false;
			j++;
		} else {
			diff_entries(c, DIFF_SCOPE_LAYER, layer, ex, ey);
			if (i != j || vx[i] != vy[j])
				same_order = false;
			i++;
			j++;
		}
	}
	free(vx);
	free(vy);
	if (same_set && !same_order)
		diff_order(c, layer, x, y);
	else if (same_set) {
		/* Same entries in the same order: are the tar bytes what moved? */
		size_t after = c->r->counts[DIFF_CONTENT] +
		    c->r->counts[DIFF_PERMISSION] + c->r->counts[DIFF_TIMESTAMP] +
		    c->r->counts[DIFF_ENCODING];

		if (after == before && c->counting)
			dctx_add(c, DIFF_ENCODING, DIFF_SCOPE_LAYER,
			    DIFF_DEPENDENCY_EQUIVALENT, layer, NULL,
			    x->usize != y->usize ? "tar.size" : "tar.bytes",
			    xfmt("%" PRIu64 " bytes", x->usize),
			    xfmt("%" PRIu64 " bytes%s", y->usize, x->usize != y->usize ?
			    " (trailer padding or PAX records)" :
			    " (PAX records or header padding)"));
	}
}

/* ---- final file system ---------------------------------------------------- */

/* A copy of f's entry with hardlinks resolved to their target's content. */
static struct tar_entry
resolved(const struct fs_entry *f)
{
	struct tar_entry e = *f->e;

	if (e.kind == TAR_HARDLINK) {
		e.kind = TAR_REG;
		e.link = NULL;
		memcpy(e.hash, f->hash, TAR_HASH_MAX);
		e.size = f->size;
	}
	return e;
}

/* Compare the final trees; record findings only when record is set. */
static void
diff_fs(struct dctx *c, const struct fs *x, const struct fs *y)
{
	size_t i = 0, j = 0;
	struct tar_entry ex, ey;
	int cmp;

	while (i < x->n || j < y->n) {
		cmp = i >= x->n ? 1 : j >= y->n ? -1 :
		    strcmp(x->v[i].e->path, y->v[j].e->path);
		if (cmp < 0) {
			dctx_add(c, DIFF_CONTENT, DIFF_SCOPE_FS, DIFF_DIFFERENT, 0,
			    x->v[i].e->path, "entry",
			    xstrdup(tar_kind_name(x->v[i].e->kind)), NULL);
			i++;
		} else if (cmp > 0) {
			dctx_add(c, DIFF_CONTENT, DIFF_SCOPE_FS, DIFF_DIFFERENT, 0,
			    y->v[j].e->path, "entry", NULL,
			    xstrdup(tar_kind_name(y->v[j].e->kind)));
			j++;
		} else {
			ex = resolved(&x->v[i]);
			ey = resolved(&y->v[j]);
			c->member_a = x->v[i].member;
			c->member_b = y->v[j].member;
			diff_entries(c, DIFF_SCOPE_FS, 0, &ex, &ey);
			c->member_a = c->member_b = NULL;
			if ((x->v[i].hardlink == NULL) != (y->v[j].hardlink == NULL))
				dctx_add(c, DIFF_ORDERING, DIFF_SCOPE_FS,
				    DIFF_DEPENDENCY_EQUIVALENT, 0, ex.path, "hardlink",
				    x->v[i].hardlink ? xstrdup(x->v[i].hardlink) : NULL,
				    y->v[j].hardlink ? xstrdup(y->v[j].hardlink) : NULL);
			i++;
			j++;
		}
	}
}

/* ---- one image pair ------------------------------------------------------- */

static char *
layer_step(const struct tar_image *im, size_t layer)
{
	const json_t *h = json_object_get(im->config, "history"), *v;
	size_t i, k = 0;

	json_array_foreach(h, i, v) {
		if (json_is_true(json_object_get(v, "empty_layer")))
			continue;
		if (k++ == layer) {
			const char *s = json_string_value(json_object_get(v, "created_by"));

			return s != NULL ? xstrdup(s) : NULL;
		}
	}
	return NULL;
}

/* Every entry of one side has the same mtime: timestamps were clamped. */
static void
note_clamped(struct diff_result *r, const struct tar_image *im, const char *side)
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
		char *when = time_str(t, 0);

		add_note(r, xfmt("every entry in %s has mtime %s: times clamped, as "
		    "with SOURCE_DATE_EPOCH=%" PRId64, side, when, t));
		free(when);
	}
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
		dl->step = layer_step(lx != NULL ? x : y, i);
		if (lx != NULL) {
			memcpy(dl->digest_a, lx->digest, 32);
			memcpy(dl->diff_id_a, lx->diff_id, 32);
			dl->entries_a = lx->nentries;
		}
		if (ly != NULL) {
			memcpy(dl->digest_b, ly->digest, 32);
			memcpy(dl->diff_id_b, ly->diff_id, 32);
			dl->entries_b = ly->nentries;
		}
	}
}

static void
diff_pair(struct dctx *c, const struct tar_image *x, const struct tar_image *y)
{
	struct diff_image *di = &c->r->images[c->image];
	struct fs fx, fy;
	uint8_t cap, worst;
	size_t i;
	bool same_split;

	di->nlayers_a = x->nlayers;
	di->nlayers_b = y->nlayers;
	di->nlayers = x->nlayers > y->nlayers ? x->nlayers : y->nlayers;
	di->layers = xcalloc(di->nlayers + 1, sizeof(*di->layers));
	c->nlayers = di->nlayers;
	c->examples = xcalloc((di->nlayers + 1) * DIFF_NCLASS, sizeof(size_t));
	memset(c->worst, DIFF_IDENTICAL, sizeof(c->worst));
	c->worst_deferred = DIFF_IDENTICAL;
	pair_layers(di, x, y);

	/* Cap: what the digests alone allow. */
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

	diff_manifest(c, x, y);
	if (x->has_config && y->has_config &&
	    memcmp(x->config_digest, y->config_digest, 32) != 0)
		diff_config(c, x->config, y->config);

	same_split = x->nlayers == y->nlayers;
	for (i = 0; same_split && i < x->nlayers; i++) {
		const struct tar_layer *lx = &x->layers[i], *ly = &y->layers[i];
		int n = (int)i + 1;

		if (memcmp(lx->digest, ly->digest, 32) == 0)
			continue;
		if (memcmp(lx->diff_id, ly->diff_id, 32) == 0) {
			diff_framing(c, n, lx, ly);
			continue;
		}
		if (!lx->present || !ly->present) {
			dctx_add(c, DIFF_CONTENT, DIFF_SCOPE_LAYER, DIFF_DIFFERENT, n,
			    NULL, "diff_id", digest_str(lx->diff_id),
			    digest_str(ly->diff_id));
			continue;
		}
		c->member_a = lx->member;
		c->member_b = ly->member;
		diff_layer_entries(c, n, lx, ly);
		c->member_a = c->member_b = NULL;
	}
	if (!same_split)
		dctx_add(c, DIFF_ORDERING, DIFF_SCOPE_FS, DIFF_DEPENDENCY_EQUIVALENT,
		    0, NULL, "layers", xfmt("%zu layers", x->nlayers),
		    xfmt("%zu layers", y->nlayers));

	/* The verdict stands on the final file systems. */
	worst = c->worst[0] > c->worst[1] ? c->worst[0] : c->worst[1];
	if (cap > DIFF_BYTE_EQUIVALENT) {
		bool counting = c->counting;
		struct fs_job bx = { &fx, x, c->o }, by = { &fy, y, c->o };

		diff_run_both(fs_run, &bx, &by);
		/* With the same split the layers already hold the evidence. */
		c->counting = counting && !same_split;
		c->defer_content = true;
		c->worst_deferred = DIFF_IDENTICAL;
		diff_fs(c, &fx, &fy);
		c->defer_content = false;
		c->counting = counting;
		fs_release(&fx);
		fs_release(&fy);
		/* Content a later layer overwrites the same way does not count. */
		worst = c->worst[1] < DIFF_DEPENDENCY_EQUIVALENT ? c->worst[1] :
		    DIFF_DEPENDENCY_EQUIVALENT;
		if (c->worst[0] > worst)
			worst = c->worst[0];
		if (c->worst[2] > worst)
			worst = c->worst[2];
		note_clamped(c->r, x, "A");
		note_clamped(c->r, y, "B");
	}
	di->verdict_rest = cap > worst ? cap : worst;
	di->verdict = di->verdict_rest > c->worst_deferred ? di->verdict_rest :
	    c->worst_deferred;
	free(c->examples);
	c->examples = NULL;
}

/* ---- two archives ----------------------------------------------------------- */

static const char *
plat(const struct tar_image *im)
{
	return im->platform != NULL ? im->platform : "";
}

/* The k-th image of ar with im's platform, counting from 0. */
static size_t
nth_same_platform(const struct tar_archive *ar, size_t upto, const char *p)
{
	size_t i, k = 0;

	for (i = 0; i < upto; i++)
		if (strcmp(plat(tar_image(ar, i)), p) == 0)
			k++;
	return k;
}

static const struct tar_image *
find_pair(const struct tar_archive *ar, const char *p, size_t k)
{
	size_t i;

	for (i = 0; i < tar_nimages(ar); i++)
		if (strcmp(plat(tar_image(ar, i)), p) == 0 && k-- == 0)
			return tar_image(ar, i);
	return NULL;
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

static char *
tags_str(const struct tar_image *im)
{
	struct sbuf sb = SBUF_INIT;
	size_t i;

	for (i = 0; i < im->ntags; i++) {
		if (i)
			sbuf_addc(&sb, ' ');
		sbuf_addstr(&sb, im->tags[i]);
	}
	if (im->ntags == 0 && im->ref_name != NULL)
		sbuf_addstr(&sb, im->ref_name);
	return sbuf_detach(&sb);
}

/* Archive-level differences of one pair: wrapper format, names, tags. */
static void
diff_wrapper(struct dctx *c, const struct tar_archive *a,
    const struct tar_archive *b, const struct tar_image *x,
    const struct tar_image *y)
{
	char *tx = tags_str(x), *ty = tags_str(y);

	if (strcmp(tar_format(a), tar_format(b)) != 0)
		meta(c, DIFF_SCOPE_ARCHIVE, DIFF_SAME_DIGEST, "format",
		    xstrdup(tar_format(a)), xstrdup(tar_format(b)));
	if (tar_wrapper_comp(a) != tar_wrapper_comp(b))
		meta(c, DIFF_SCOPE_ARCHIVE, DIFF_SAME_DIGEST, "archive.compression",
		    xstrdup(tar_comp_name(tar_wrapper_comp(a))),
		    xstrdup(tar_comp_name(tar_wrapper_comp(b))));
	if (strcmp(tx, ty) != 0) {
		meta(c, DIFF_SCOPE_ARCHIVE, DIFF_SAME_DIGEST, "tags", tx, ty);
		return;
	}
	free(tx);
	free(ty);
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
	if ((r = strcmp(a->path ? a->path : "", b->path ? b->path : "")) != 0)
		return r;
	return strcmp(a->field, b->field);
}

static void
count_excludes(struct diff_result *r, const struct tar_archive *ar)
{
	const struct tar_image *im;
	size_t i, j, k, p;

	for (i = 0; i < tar_nimages(ar); i++) {
		im = tar_image(ar, i);
		for (j = 0; j < im->nlayers; j++)
			for (k = 0; k < im->layers[j].nentries; k++)
				for (p = 0; p < r->nexcludes; p++)
					if (diff_path_excluded(r->excludes[p].pattern,
					    im->layers[j].entries[k].path)) {
						r->excludes[p].removed++;
						break;
					}
	}
}

/* Say what the input SHA-256s show when a side is a fingerprint. */
static void
note_fingerprint(struct diff_result *r)
{
	const char *what = r->fingerprint_a && r->fingerprint_b ?
	    "the two fingerprints record the same input bytes" :
	    "the image is the same bytes as the input the fingerprint records";

	if (r->have_sha_a && r->have_sha_b && memcmp(r->sha_a, r->sha_b, 32) == 0)
		add_note(r, xfmt("%s (the input SHA-256 is equal); a fingerprint "
		    "is not those bytes, so the best verdict is same-digest", what));
}

int
diff_archives(const struct tar_archive *a, const char *name_a,
    const struct tar_archive *b, const char *name_b,
    const struct diff_opts *o, struct diff_result **out, struct err *e)
{
	struct diff_result *r;
	struct dctx c;
	const struct tar_image *x, *y;
	struct diff_image *di;
	size_t i, cap = 0;
	uint8_t verdict = DIFF_IDENTICAL;

	if (tar_hash_kind(a) != tar_hash_kind(b))
		return err_set(e, ERR_USAGE, "A has %s entry hashes and B %s: read "
		    "the image with SHA-256 entry hashes to compare it with a "
		    "fingerprint", tar_hash_name(tar_hash_kind(a)),
		    tar_hash_name(tar_hash_kind(b)));
	r = xcalloc(1, sizeof(*r));
	memset(&c, 0, sizeof(c));
	c.r = r;
	c.o = o;
	c.counting = true;
	c.hash_kind = tar_hash_kind(a);
	r->hash_kind = (uint8_t)c.hash_kind;
	r->fingerprint_a = tar_is_fingerprint(a);
	r->fingerprint_b = tar_is_fingerprint(b);
	r->name_a = name_a;
	r->name_b = name_b;
	r->format_a = tar_format(a);
	r->format_b = tar_format(b);
	r->have_sha_a = tar_input_sha256(a, r->sha_a);
	r->have_sha_b = tar_input_sha256(b, r->sha_b);
	r->required = (uint8_t)o->require;
	memcpy(r->ignored, o->ignore, sizeof(r->ignored));
	r->nexcludes = o->nexcludes;
	r->excludes = xcalloc(o->nexcludes + 1, sizeof(*r->excludes));
	for (i = 0; i < o->nexcludes; i++)
		r->excludes[i].pattern = o->excludes[i];
	count_excludes(r, a);
	count_excludes(r, b);

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
	verdict = DIFF_SAME_DIGEST;
	for (i = 0; i < tar_nimages(a); i++) {
		x = tar_image(a, i);
		y = find_pair(b, plat(x), nth_same_platform(a, i, plat(x)));
		di = image_add(r, plat(x), &cap);
		c.image = r->nimages - 1;
		image_ids(di, x, y);
		if (y == NULL) {
			di->verdict = DIFF_DIFFERENT;
			c.nlayers = 0;
			c.examples = xcalloc(DIFF_NCLASS, sizeof(size_t));
			dctx_add(&c, DIFF_CONTENT, DIFF_SCOPE_MANIFEST, DIFF_DIFFERENT, 0,
			    NULL, "platform", xstrdup(plat(x)[0] ? plat(x) : "image"), NULL);
			free(c.examples);
		} else {
			c.nlayers = 0;
			c.examples = xcalloc(DIFF_NCLASS, sizeof(size_t));
			diff_wrapper(&c, a, b, x, y);
			free(c.examples);
			diff_pair(&c, x, y);
		}
		if (di->verdict > verdict)
			verdict = di->verdict;
	}
	for (i = 0; i < tar_nimages(b); i++) {
		y = tar_image(b, i);
		if (find_pair(a, plat(y), nth_same_platform(b, i, plat(y))) != NULL)
			continue;
		di = image_add(r, plat(y), &cap);
		c.image = r->nimages - 1;
		image_ids(di, NULL, y);
		di->verdict = DIFF_DIFFERENT;
		c.nlayers = 0;
		c.examples = xcalloc(DIFF_NCLASS, sizeof(size_t));
		dctx_add(&c, DIFF_CONTENT, DIFF_SCOPE_MANIFEST, DIFF_DIFFERENT, 0, NULL,
		    "platform", NULL, xstrdup(plat(y)[0] ? plat(y) : "image"));
		free(c.examples);
		verdict = DIFF_DIFFERENT;
	}
	/* The same images: are they the same bytes, too?  (A fingerprint is
	   not the bytes it records.) */
	if (verdict == DIFF_SAME_DIGEST && r->nfindings == 0 &&
	    !r->fingerprint_a && !r->fingerprint_b) {
		bool same;

		if (tar_same_input(a, b, &same, e) < 0) {
			diff_result_free(r);
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
	*out = r;
	return 0;
}

void
diff_result_free(struct diff_result *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nfindings; i++) {
		free(r->findings[i].path);
		free(r->findings[i].field);
		free(r->findings[i].a);
		free(r->findings[i].b);
		free(r->findings[i].detail);
		free(r->findings[i].cause);
	}
	free(r->findings);
	for (i = 0; i < r->nimages; i++) {
		size_t j;

		for (j = 0; j < r->images[i].ncontent; j++)
			free(r->images[i].content[j].path);
		free(r->images[i].content);

		for (j = 0; j < r->images[i].nlayers; j++)
			free(r->images[i].layers[j].step);
		free(r->images[i].layers);
		free(r->images[i].platform);
	}
	free(r->images);
	free(r->excludes);
	for (i = 0; i < r->nnotes; i++)
		free(r->notes[i]);
	free(r->notes);
	free(r);
}
