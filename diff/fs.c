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

static int
fs_cmp(const void *a, const void *b)
{
	return strcmp(((const struct fs_entry *)a)->e->path,
	    ((const struct fs_entry *)b)->e->path);
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

void
fs_build(struct fs *fs, const struct tar_image *im, const struct diff_opts *o)
{
	struct pmap latest = { 0 }, gone = { 0 }, opaque = { 0 };
	struct fs_entry *all = NULL;
	char **targets = NULL;	/* whiteout targets: the maps borrow them */
	size_t nall = 0, cap = 0, ntargets = 0, tcap = 0, i, j, n;
	const struct tar_entry *e;
	const char *base;
	char *target;
	int idx;

	memset(fs, 0, sizeof(*fs));
	for (i = 0; i < im->nlayers; i++) {
		for (j = 0; j < im->layers[i].nentries; j++) {
			e = &im->layers[i].entries[j];
			base = strrchr(e->path, '/');
			base = base != NULL ? base + 1 : e->path;
			if (strncmp(base, ".wh.", 4) == 0)
				continue;
			xgrow(&all, &cap, nall + 1, sizeof(*all));
			all[nall].e = e;
			all[nall].hash = e->hash;
			all[nall].size = e->size;
			all[nall].hardlink = NULL;
			all[nall].member = im->layers[i].member;
			all[nall].layer = (int)i + 1;
			idx = pmap_get(&latest, e->path, strlen(e->path), -1);
			if (idx >= 0) {
				/* A non-directory over a directory hides what the
				   lower layers held below it. */
				if (e->kind != TAR_DIR && all[idx].e->kind == TAR_DIR &&
				    all[idx].layer < (int)i + 1)
					pmap_max(&opaque, e->path, (int)i + 1);
				all[idx].e = NULL;	/* replaced */
			}
			pmap_put(&latest, e->path, (int)nall);
			nall++;
		}
	}
	/* Second walk for whiteouts, now that paths are stable. */
	for (i = 0; i < im->nlayers; i++) {
		for (j = 0; j < im->layers[i].nentries; j++) {
			e = &im->layers[i].entries[j];
			base = strrchr(e->path, '/');
			n = base != NULL ? (size_t)(base - e->path) : 0;
			base = base != NULL ? base + 1 : e->path;
			if (strncmp(base, ".wh.", 4) != 0)
				continue;
			if (strcmp(base, ".wh..wh..opq") == 0) {
				target = xstrndup(e->path, n);
				pmap_max(&opaque, target, (int)i + 1);
			} else {
				target = xstrfmt("%.*s%s%s", (int)n, e->path, n ? "/" : "",
				    base + 4);
				pmap_max(&gone, target, (int)i + 1);
			}
			xgrow(&targets, &tcap, ntargets + 1, sizeof(*targets));
			targets[ntargets++] = target;
		}
	}
	fs->v = xcalloc(nall + 1, sizeof(*fs->v));
	for (i = 0; i < nall; i++) {
		if (all[i].e == NULL ||
		    ((gone.n > 0 || opaque.n > 0) &&
		    hidden(&gone, &opaque, all[i].e->path, all[i].layer)) ||
		    (o != NULL && diff_path_excluded_any(o, all[i].e->path)))
			continue;
		fs->v[fs->n++] = all[i];
	}
	qsort(fs->v, fs->n, sizeof(*fs->v), fs_cmp);
	/* Hardlinks take their target's content. */
	for (i = 0; i < fs->n; i++) {
		struct fs_entry *f = &fs->v[i], key = { 0 }, *t;
		struct tar_entry probe;

		if (f->e->kind != TAR_HARDLINK)
			continue;
		f->hardlink = f->e->link;
		memset(&probe, 0, sizeof(probe));
		probe.path = f->e->link;
		key.e = &probe;
		t = bsearch(&key, fs->v, fs->n, sizeof(*fs->v), fs_cmp);
		if (t != NULL && t->e->kind == TAR_REG) {
			f->hash = t->e->hash;
			f->size = t->e->size;
		}
	}
	for (i = 0; i < ntargets; i++)
		free(targets[i]);
	free(targets);
	free(all);
	pmap_release(&latest);
	pmap_release(&gone);
	pmap_release(&opaque);
}

void
fs_release(struct fs *fs)
{
	free(fs->v);
	memset(fs, 0, sizeof(*fs));
}

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
void
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
