/*
 * fs.c - the final file system of an image: layers applied in order,
 * whiteouts (".wh.NAME") and opaque directories (".wh..wh..opq") honoured,
 * a non-directory over a directory hiding what was below it, hardlinks
 * resolved to their target's content.
 */
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "diff/diff_int.h"

/* An open-addressing map from a borrowed path to an int (a layer or an
   index); grows at half full. */
struct pmap {
	const char **key;
	int *val;
	size_t cap, n;
};

static size_t
pmap_slot(const struct pmap *m, const char *k, size_t len)
{
	size_t i = (size_t)XXH3_64bits(k, len) & (m->cap - 1);

	while (m->key[i] != NULL && (strncmp(m->key[i], k, len) != 0 ||
	    m->key[i][len] != '\0'))
		i = (i + 1) & (m->cap - 1);
	return i;
}

static void pmap_put(struct pmap *m, const char *k, int v);

static void
pmap_grow(struct pmap *m)
{
	struct pmap old = *m;
	size_t i;

	m->cap = old.cap ? old.cap * 2 : 64;
	m->key = xcalloc(m->cap, sizeof(*m->key));
	m->val = xcalloc(m->cap, sizeof(*m->val));
	m->n = 0;
	for (i = 0; i < old.cap; i++)
		if (old.key[i] != NULL)
			pmap_put(m, old.key[i], old.val[i]);
	free(old.key);
	free(old.val);
}

static void
pmap_put(struct pmap *m, const char *k, int v)
{
	size_t i;

	if (2 * (m->n + 1) > m->cap)
		pmap_grow(m);
	i = pmap_slot(m, k, strlen(k));
	if (m->key[i] == NULL) {
		m->key[i] = k;
		m->n++;
	}
	m->val[i] = v;
}

/* @return the value for the first len bytes of k, or def. */
static int
pmap_get(const struct pmap *m, const char *k, size_t len, int def)
{
	size_t i;

	if (m->cap == 0)
		return def;
	i = pmap_slot(m, k, len);
	return m->key[i] != NULL ? m->val[i] : def;
}

static void
pmap_release(struct pmap *m)
{
	free(m->key);
	free(m->val);
	memset(m, 0, sizeof(*m));
}

/* Keep the higher of the current value and v. */
static void
pmap_max(struct pmap *m, const char *k, int v)
{
	if (pmap_get(m, k, strlen(k), -1) < v)
		pmap_put(m, k, v);
}

/* Is the entry (from layer le) hidden by a whiteout or an opaque parent? */
static bool
hidden(const struct pmap *gone, const struct pmap *opaque, const char *path,
    int le)
{
	size_t len = strlen(path);

	if (pmap_get(gone, path, len, -1) > le)
		return true;
	for (;;) {
		while (len > 0 && path[len - 1] != '/')
			len--;
		if (len == 0)
			return false;
		len--;			/* the parent, without its "/" */
		if (pmap_get(gone, path, len, -1) > le ||
		    pmap_get(opaque, path, len, -1) > le)
			return true;
	}
}

/* The state of one build: the maps of what hides what. */
struct fs_walk {
	struct pmap gone;	/* whiteout target -> its layer */
	struct pmap opaque;	/* opaque directory -> its layer */
	char **targets;		/* whiteout targets: the maps borrow them */
	size_t ntargets, tcap;
};

static bool
is_whiteout(const char *path, const char **base)
{
	*base = strrchr(path, '/');
	*base = *base != NULL ? *base + 1 : path;
	return starts_with(*base, ".wh.");
}

char *
diff_whiteout_target(const char *path, bool *opaque)
{
	const char *base;
	size_t n;

	if (!is_whiteout(path, &base))
		return NULL;
	n = base > path ? (size_t)(base - path - 1) : 0;
	*opaque = strcmp(base, ".wh..wh..opq") == 0;
	if (*opaque)
		return xstrndup(path, n);
	(void)skip_prefix(base, ".wh.", &base);
	return xstrfmt("%.*s%s%s", (int)n, path, n ? "/" : "", base);
}

/* Note what a whiteout of layer hides. */
static void
fs_whiteout(struct fs_walk *w, const char *path, int layer)
{
	char *target;
	bool opaque;

	if ((target = diff_whiteout_target(path, &opaque)) == NULL)
		return;
	pmap_max(opaque ? &w->opaque : &w->gone, target, layer);
	xgrow(&w->targets, &w->tcap, w->ntargets + 1, sizeof(*w->targets));
	w->targets[w->ntargets++] = target;
}

/* A cursor in one layer's sorted run, for the merge of all of them; the
   merge asks memory for the entries a few steps ahead of each. */
struct fs_cursor {
	const struct tar_layer *l;
	const uint32_t *run;
	size_t i;
	int layer;		/* from 1 */
};

static const struct tar_entry *
cursor_entry(const struct fs_cursor *k)
{
	return &k->l->entries[k->run[k->i]];
}

/* Does cursor a come first: the lower path, then the lower layer? */
static bool
cursor_before(const struct fs_cursor *a, const struct fs_cursor *b)
{
	int cmp = strcmp(cursor_entry(a)->path, cursor_entry(b)->path);

	return cmp < 0 || (cmp == 0 && a->layer < b->layer);
}

/* Sift h[i] down the heap h[0..n) (the first cursor at the top). */
static void
heap_down(struct fs_cursor *h, size_t n, size_t i)
{
	struct fs_cursor t;
	size_t k;

	for (;;) {
		k = 2 * i + 1;
		if (k >= n)
			return;
		if (k + 1 < n && cursor_before(&h[k + 1], &h[k]))
			k++;
		if (!cursor_before(&h[k], &h[i]))
			return;
		t = h[i];
		h[i] = h[k];
		h[k] = t;
		i = k;
	}
}

/*
 * Merge the sorted runs of every layer into fs->v (zeroed, room for every
 * entry), in path order: of the entries of one path, in layer then tar
 * order, the last wins, and a non-directory over a lower layer's directory
 * hides what was below it.
 * Whiteouts are not entries of the result; what they hide is noted in w.
 */
static void
fs_merge(struct fs *fs, struct fs_walk *w, const struct tar_image *im)
{
	struct fs_cursor *h = xcalloc(im->nlayers + 1, sizeof(*h));
	struct fs_entry *top = NULL;
	const struct tar_entry *e, *prev = NULL;
	const char *base;
	size_t i, nh = 0;

	for (i = 0; i < im->nlayers; i++) {
		if (im->layers[i].nentries == 0)
			continue;
		h[nh].l = &im->layers[i];
		h[nh].run = fs->runs[i];
		h[nh].layer = (int)i + 1;
		nh++;
	}
	for (i = nh / 2; i-- > 0;)
		heap_down(h, nh, i);
	while (nh > 0) {
		e = cursor_entry(&h[0]);
		if (prev == NULL || strcmp(prev->path, e->path) != 0)
			top = NULL;	/* a new path */
		prev = e;
		if (is_whiteout(e->path, &base))
			fs_whiteout(w, e->path, h[0].layer);
		else {
			if (top == NULL)
				top = &fs->v[fs->n++];
			else if (e->kind != TAR_DIR && top->e->kind == TAR_DIR &&
			    top->layer < h[0].layer)
				pmap_max(&w->opaque, e->path, h[0].layer);
			top->e = e;
			top->layer = h[0].layer;
		}
		if (++h[0].i == h[0].l->nentries)
			h[0] = h[--nh];
		else
			DIFF_RUN_PREFETCH(h[0].l->entries, h[0].run, h[0].i,
			    h[0].l->nentries);
		heap_down(h, nh, 0);
	}
	free(h);
}

/* @return the entry of fs at path, or NULL. */
const struct fs_entry *
diff_fs_find(const struct fs *fs, const char *path)
{
	size_t lo = 0, hi = fs->n, mid;
	int r;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((r = strcmp(path, fs->v[mid].e->path)) == 0)
			return &fs->v[mid];
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* Hardlinks take their target's content. */
static void
fs_hardlinks(struct fs *fs)
{
	size_t i;

	for (i = 0; i < fs->n; i++) {
		struct fs_entry *f = &fs->v[i];
		const struct fs_entry *t;

		if (f->e->kind != TAR_HARDLINK)
			continue;
		t = diff_fs_find(fs, f->e->link);
		if (t != NULL && t->e->kind == TAR_REG)
			f->target = (uint32_t)(t - fs->v) + 1;
	}
}

void
diff_fs_build(struct fs *fs, const struct tar_image *im, const struct diff_opts *o)
{
	struct fs_walk w;
	size_t i, k = 0, total = 0, most = 0;

	memset(&w, 0, sizeof(w));
	memset(fs, 0, sizeof(*fs));
	fs->im = im;
	fs->nruns = im->nlayers;
	fs->runs = xcalloc(im->nlayers + 1, sizeof(*fs->runs));
	for (i = 0; i < im->nlayers; i++) {
		total += im->layers[i].nentries;
		if (im->layers[i].nentries > most)
			most = im->layers[i].nentries;
	}
	/* The sort of each layer works in the room of v (16 bytes an entry
	   for all the layers' entries), not in bytes of its own at the peak
	   of a comparison; what it used is zeroed, the rest was never
	   touched. */
	fs->v = xcalloc(total + 1, sizeof(*fs->v));
	for (i = 0; i < im->nlayers; i++)
		fs->runs[i] = diff_layer_order(&im->layers[i], fs->v);
	memset(fs->v, 0, most * sizeof(*fs->v));
	fs_merge(fs, &w, im);
	if (w.gone.n > 0 || w.opaque.n > 0 || (o != NULL && o->nexcludes > 0)) {
		for (i = 0; i < fs->n; i++)
			if (!((w.gone.n > 0 || w.opaque.n > 0) &&
			    hidden(&w.gone, &w.opaque, fs->v[i].e->path,
			    fs->v[i].layer)) &&
			    !(o != NULL && diff_path_excluded_any(o, fs->v[i].e->path)))
				fs->v[k++] = fs->v[i];
		fs->n = k;
	}
	fs_hardlinks(fs);
	for (i = 0; i < w.ntargets; i++)
		free(w.targets[i]);
	free(w.targets);
	pmap_release(&w.gone);
	pmap_release(&w.opaque);
}

void
diff_fs_release(struct fs *fs)
{
	size_t i;

	for (i = 0; i < fs->nruns; i++)
		free(fs->runs[i]);
	free(fs->runs);
	free(fs->v);
	memset(fs, 0, sizeof(*fs));
}

/* A copy of f's entry (of fs) with hardlinks resolved to their target's
   content. */
static struct tar_entry
resolved(const struct fs *fs, const struct fs_entry *f)
{
	struct tar_entry e = *f->e;

	if (e.kind == TAR_HARDLINK) {
		e.kind = TAR_REG;
		e.link = NULL;
		if (f->target > 0) {
			memcpy(e.hash, fs->v[f->target - 1].e->hash, TAR_HASH_MAX);
			e.size = fs->v[f->target - 1].e->size;
		}
	}
	return e;
}

/* @return the layer member that holds f. */
static const char *
member_of(const struct fs *fs, const struct fs_entry *f)
{
	return fs->im->layers[f->layer - 1].member;
}

/* Where f's bytes are for the second look: the layer member and the path
   of its hardlink target (*src; the target may sit in another layer), or
   f's own member and NULL. */
static const char *
bytes_of(const struct fs *fs, const struct fs_entry *f, const char **src)
{
	if (f->e->kind == TAR_HARDLINK && f->target > 0) {
		*src = fs->v[f->target - 1].e->path;
		return member_of(fs, &fs->v[f->target - 1]);
	}
	*src = NULL;
	return member_of(fs, f);
}

/* @return the hardlink target of f, or NULL when it is none. */
static const char *
hardlink_of(const struct fs_entry *f)
{
	return f->e->kind == TAR_HARDLINK ? f->e->link : NULL;
}

/* Do two entries of one path differ in type, bytes or target? */
static bool
bytes_differ(const struct tar_entry *x, const struct tar_entry *y)
{
	if (x->kind != y->kind)
		return true;
	if (x->kind == TAR_REG)
		return x->size != y->size ||
		    memcmp(x->hash, y->hash, TAR_HASH_MAX) != 0;
	return (x->link == NULL) != (y->link == NULL) ||
	    (x->link != NULL && strcmp(x->link, y->link) != 0);
}

bool
diff_fs_holds(const struct dctx *c, const char *path, bool below,
    enum diff_class cls)
{
	size_t lo = 0, hi = c->nfsdiff, mid, n = strlen(path);

	if (!c->fs_known || diff_class_level(cls) < DIFF_DIFFERENT)
		return true;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(c->fsdiff[mid].path, path) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* From path on, the paths that start with it: path itself, then
	   "path-x" and the like, then "path/..." (below it). */
	for (; lo < c->nfsdiff && strncmp(c->fsdiff[lo].path, path, n) == 0; lo++) {
		const char *p = c->fsdiff[lo].path;

		if (p[n] != '\0' && !(below && (n == 0 || p[n] == '/')))
			continue;
		if (c->fsdiff[lo].classes & (1u << cls))
			return true;
	}
	return false;
}

/* Compare the final trees, in path order. */
static void
diff_fs(struct dctx *c, const struct fs *x, const struct fs *y)
{
	size_t i = 0, j = 0;
	struct tar_entry ex, ey;
	const char *ha, *hb;
	int cmp;

	while (i < x->n || j < y->n) {
		DIFF_FS_PREFETCH(x, i);
		DIFF_FS_PREFETCH(y, j);
		cmp = i >= x->n ? 1 : j >= y->n ? -1 :
		    strcmp(x->v[i].e->path, y->v[j].e->path);
		if (cmp < 0) {
			diff_entry_alone(c, DIFF_SCOPE_FS, 0, x->v[i].e, true, false);
			diff_pkg_count(c, x->v[i].e->path, x->v[i].e->kind == TAR_DIR);
			i++;
		} else if (cmp > 0) {
			diff_entry_alone(c, DIFF_SCOPE_FS, 0, y->v[j].e, false, false);
			diff_pkg_count(c, y->v[j].e->path, y->v[j].e->kind == TAR_DIR);
			j++;
		} else {
			ex = resolved(x, &x->v[i]);
			ey = resolved(y, &y->v[j]);
			if (bytes_differ(&ex, &ey))
				diff_pkg_count(c, ex.path, ex.kind == TAR_DIR &&
				    ey.kind == TAR_DIR);
			c->member_a = bytes_of(x, &x->v[i], &c->src_a);
			c->member_b = bytes_of(y, &y->v[j], &c->src_b);
			diff_entries(c, DIFF_SCOPE_FS, 0, &ex, &ey);
			c->member_a = c->member_b = NULL;
			c->src_a = c->src_b = NULL;
			ha = hardlink_of(&x->v[i]);
			hb = hardlink_of(&y->v[j]);
			if ((ha == NULL) != (hb == NULL))
				diff_dctx_add(c, DIFF_ORDERING, DIFF_SCOPE_FS,
				    DIFF_DEPENDENCY_EQUIVALENT, 0, ex.path, DIFF_FIELD_HARDLINK,
				    ha != NULL ? xstrdup(ha) : NULL,
				    hb != NULL ? xstrdup(hb) : NULL);
			i++;
			j++;
		}
	}
}

/* One side's final file system and packages, built in its own thread. */
struct fs_job {
	struct fs *fs;
	const struct tar_image *im;
	const struct diff_opts *o;
	struct pkg_db **db;
};

static void *
fs_run(void *arg)
{
	struct fs_job *j = arg;

	diff_fs_build(j->fs, j->im, j->o);
	*j->db = diff_fs_packages(j->fs, j->im);
	return NULL;
}

void
diff_fs_pair_build(const struct dctx *c, const struct tar_image *x,
    const struct tar_image *y, struct fs *fx, struct fs *fy,
    struct pkg_view *pv)
{
	/* fx and fy are filled here, not read: cppcheck's ctu check takes
	   passing on the pointer for a read */
	/* cppcheck-suppress ctuuninitvar */
	struct fs_job bx = { fx, x, c->o, &pv->db[0] };
	/* cppcheck-suppress ctuuninitvar */
	struct fs_job by = { fy, y, c->o, &pv->db[1] };

	util_run_both(fs_run, &bx, &by);
	pv->unknown[0] = x->packages_unknown;
	pv->unknown[1] = y->packages_unknown;
	diff_pkg_aliases(pv, 0, fx);
	diff_pkg_aliases(pv, 1, fy);
	diff_pkg_view_init(pv);
}

void
diff_final_fs(struct dctx *c, const struct fs *fx, const struct fs *fy,
    bool record)
{
	bool counting = c->counting;

	c->counting = counting && record;
	c->defer_content = true;
	c->worst_deferred = DIFF_IDENTICAL;
	c->nfsdiff = 0;
	diff_fs(c, fx, fy);
	c->fs_known = true;
	c->defer_content = false;
	c->counting = counting;
}
