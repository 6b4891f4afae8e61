/*
 * layers.c - compare two layers at one position entry by entry: match by
 * path, then say whether only the order or only the tar bytes moved.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "diff/diff_int.h"

/*
 * The sort of one layer by path: an MSD radix sort, in place, over the
 * index array, that reads 8 bytes of path at a time.  A group of indices
 * whose paths share their first depth bytes gets the 8 bytes at depth of
 * each path as a key (big-endian, zeros after the end, so that keys order
 * as strcmp() orders the paths); the group is split by the first byte of
 * the key in which its keys differ, each part by the next, and a part
 * whose keys are all equal is a group 8 bytes deeper.  A path is read
 * once for each 8 bytes of the prefix it shares with another, not once a
 * comparison: node_modules paths share 17 bytes and more.  Equal paths
 * end in one part, put back in tar order.  It works in 16 bytes an entry
 * (a key and a path pointer) that the caller lends: the sort runs while
 * both images are held, at the peak of a comparison, where bytes of its
 * own would count.
 */
#define ORDER_SMALL	32	/* a part this size is sorted by insertion */
#define ORDER_AHEAD	8	/* paths asked of memory before they are read */

/* Of the entry v[i] of a sort: its key at its group's depth, its path. */
struct order_item {
	uint64_t k;
	const char *p;
};

struct order {
	uint32_t *v;		/* the indices, being sorted */
	struct order_item *it;	/* one for each of v, moved with it */
};

_Static_assert(sizeof(struct order_item) == DIFF_ORDER_ROOM,
    "the room the sort is given");

/* The 8 bytes of p (which ends within or after them), big-endian. */
static uint64_t
order_key(const char *p)
{
	uint64_t k = 0;
	unsigned i;

	for (i = 0; i < 8 && p[i] != '\0'; i++)
		k |= (uint64_t)(unsigned char)p[i] << (56 - 8 * i);
	return k;
}

/* Byte b (0: the first) of key k. */
static unsigned
order_byte(uint64_t k, unsigned b)
{
	return (unsigned)(k >> (56 - 8 * b)) & 0xff;
}

static void
order_load(struct order *s, size_t lo, size_t n, size_t depth)
{
	size_t i;

	for (i = lo; i < lo + n; i++) {
		if (i + ORDER_AHEAD < lo + n)
			util_prefetch(s->it[i + ORDER_AHEAD].p + depth);
		s->it[i].k = order_key(s->it[i].p + depth);
	}
}

static void
order_swap(struct order *s, size_t i, size_t j)
{
	struct order_item t = s->it[i];
	uint32_t v = s->v[i];

	s->it[i] = s->it[j];
	s->v[i] = s->v[j];
	s->it[j] = t;
	s->v[j] = v;
}

static int
order_index_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* The first byte from b on in which the keys of [lo, lo+n) differ, or 8
   when they are all equal. */
static unsigned
order_differ(const struct order *s, size_t lo, size_t n, unsigned b)
{
	uint64_t x = 0;
	size_t i;

	for (i = lo + 1; i < lo + n; i++)
		x |= s->it[i].k ^ s->it[lo].k;
	while (b < 8 && order_byte(x, b) == 0)
		b++;
	return b;
}

/* Sort a small part by key, by insertion. */
static void
order_small(struct order *s, size_t lo, size_t n)
{
	size_t i, j;

	for (i = lo + 1; i < lo + n; i++)
		for (j = i; j > lo && s->it[j - 1].k > s->it[j].k; j--)
			order_swap(s, j - 1, j);
}

/*
 * Sort [lo, lo+n): paths that share their first depth bytes, keys loaded,
 * equal in their first b bytes.  Every call deeper is on at most half of
 * the part (the largest piece is sorted by the loop) or on a smaller part
 * of one of at most ORDER_SMALL, so the calls nest no deeper than log2 of
 * the layer's size plus ORDER_SMALL, whatever the paths.
 */
static void
order_part(struct order *s, size_t lo, size_t n, size_t depth, unsigned b)
{
	uint32_t cnt[256], next[256], end[256];
	size_t big, c, d, i, a;

	for (;;) {
		if (n < 2)
			return;
		if (b > 0 && order_byte(s->it[lo].k, b - 1) == 0) {
			/* The paths end in the bytes they share: equal paths,
			   put in tar order. */
			qsort(s->v + lo, n, sizeof(*s->v), order_index_cmp);
			return;
		}
		if (b == 8) {
			depth += 8;
			order_load(s, lo, n, depth);
			b = 0;
			continue;
		}
		if (n <= ORDER_SMALL) {
			order_small(s, lo, n);
			if (s->it[lo].k == s->it[lo + n - 1].k) {
				b = 8;
				continue;
			}
			/* Each run of equal keys, smaller than the part. */
			for (a = lo, i = lo + 1; i <= lo + n; i++)
				if (i == lo + n || s->it[i].k != s->it[a].k) {
					order_part(s, a, i - a, depth, 8);
					a = i;
				}
			return;
		}
		if ((b = order_differ(s, lo, n, b)) == 8)
			continue;
		memset(cnt, 0, sizeof(cnt));
		for (i = lo; i < lo + n; i++)
			cnt[order_byte(s->it[i].k, b)]++;
		for (i = lo, c = 0; c < 256; c++) {
			next[c] = (uint32_t)i;
			i += cnt[c];
			end[c] = (uint32_t)i;
		}
		/* American flag sort: each swap puts one key in its part. */
		for (c = 0; c < 256; c++)
			while (next[c] < end[c]) {
				d = order_byte(s->it[next[c]].k, b);
				if (d == c)
					next[c]++;
				else
					order_swap(s, next[c], next[d]++);
			}
		for (big = 0, c = 1; c < 256; c++)
			if (cnt[c] > cnt[big])
				big = c;
		for (c = 0; c < 256; c++)
			if (c != big && cnt[c] > 1)
				order_part(s, end[c] - cnt[c], cnt[c], depth, b + 1);
		lo = end[big] - cnt[big];
		n = cnt[big];
		b++;
	}
}

uint32_t *
diff_layer_order(const struct tar_layer *l, void *room)
{
	uint32_t *v = xcalloc(l->nentries + 1, sizeof(*v));
	struct order s;
	size_t n = l->nentries, i;
	void *own = NULL;

	for (i = 0; i < n; i++)
		v[i] = (uint32_t)i;
	for (i = 1; i < n; i++)
		if (strcmp(l->entries[i - 1].path, l->entries[i].path) > 0)
			break;
	if (i >= n)
		return v;	/* tar --sort=name, as most builders write */
	s.v = v;
	if (room == NULL)
		room = own = xcalloc(n, sizeof(*s.it));
	s.it = room;
	for (i = 0; i < n; i++)
		s.it[i].p = l->entries[i].path;
	order_load(&s, 0, n, 0);
	order_part(&s, 0, n, 0, 0);
	free(own);
	return v;
}

/* The indices of run (l's entries sorted by path) that o does not
   exclude, in *n: run itself when nothing is excluded, else a copy, also
   in *owned (free it; NULL otherwise). */
static const uint32_t *
kept_run(const struct tar_layer *l, const uint32_t *run,
    const struct diff_opts *o, size_t *n, uint32_t **owned)
{
	uint32_t *v;
	size_t i, k = 0;

	*owned = NULL;
	*n = l->nentries;
	if (o->nexcludes == 0)
		return run;
	v = xcalloc(l->nentries + 1, sizeof(*v));
	for (i = 0; i < l->nentries; i++)
		if (!diff_path_excluded_any(o, l->entries[run[i]].path))
			v[k++] = run[i];
	*owned = v;
	*n = k;
	return v;
}

/* One side's sort, run in its own thread when the final file systems
   were not built (they hold the sorted runs otherwise). */
struct sort_job {
	const struct tar_layer *l;
	uint32_t *v;
};

static void *
sort_run(void *arg)
{
	struct sort_job *j = arg;

	j->v = diff_layer_order(j->l, NULL);
	return NULL;
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
			diff_dctx_add(c, DIFF_ORDERING, DIFF_SCOPE_LAYER,
			    DIFF_DEPENDENCY_EQUIVALENT, layer, ex->path, DIFF_FIELD_POSITION,
			    xstrfmt("%" PRIu32, ex->ordinal), xstrfmt("%s at %" PRIu32 " in B",
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
	diff_dctx_note(c, xstrfmt("layer %d: entry order differs; A is %ssorted by name, "
	    "B is %ssorted by name%s", layer, sx ? "" : "not ", sy ? "" : "not ",
	    sx != sy ? " (tar --sort=name on one side only)" : ""));
}

/* Whether the entries of l (v: n indices sorted by path) hold a whiteout
   in the directory of path, whose name is dirlen bytes (0: the top). */
static bool
whiteout_in_dir(const struct tar_layer *l, const uint32_t *v, size_t n,
    const char *path, size_t dirlen)
{
	char *prefix = xstrfmt("%.*s%s.wh.", (int)dirlen, path, dirlen ? "/" : "");
	size_t lo = 0, hi = n, mid, len = strlen(prefix);
	bool found = false;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(l->entries[v[mid]].path, prefix) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < n && !found &&
	    strncmp(l->entries[v[lo]].path, prefix, len) == 0; lo++)
		found = strchr(l->entries[v[lo]].path + len, '/') == NULL;
	free(prefix);
	return found;
}

/* An entry of one layer that the other (other, its v: n sorted indices)
   lacks. */
static void
alone(struct dctx *c, int layer, const struct tar_entry *e, bool in_a,
    const struct tar_layer *other, const uint32_t *v, size_t n)
{
	const char *slash = strrchr(e->path, '/');
	char *target;
	bool opaque, peer = false;

	if ((target = diff_whiteout_target(e->path, &opaque)) != NULL)
		peer = whiteout_in_dir(other, v, n, e->path,
		    slash != NULL ? (size_t)(slash - e->path) : 0);
	free(target);
	diff_entry_alone(c, DIFF_SCOPE_LAYER, layer, e, in_a, peer);
}

/* How many entry differences were counted so far. */
static size_t
entry_drift(const struct dctx *c)
{
	return c->r->counts[DIFF_CONTENT] + c->r->counts[DIFF_PERMISSION] +
	    c->r->counts[DIFF_TIMESTAMP] + c->r->counts[DIFF_ENCODING] +
	    c->r->counts[DIFF_ORDERING];
}

/* The sorted run of layer (from 1) of side's final file system, or
   NULL when it was not built. */
static const uint32_t *
layer_run(const struct dctx *c, int side, int layer)
{
	const struct fs *fs = c->fs[side];

	return fs != NULL && (size_t)layer <= fs->nruns ? fs->runs[layer - 1] :
	    NULL;
}

/* Match the entries of two layers by path and compare each pair. */
static void
diff_layer_entries(struct dctx *c, int layer, const struct tar_layer *x,
    const struct tar_layer *y)
{
	struct sort_job jx = { x, NULL }, jy = { y, NULL };
	const uint32_t *rx = layer_run(c, 0, layer), *ry = layer_run(c, 1, layer);
	const uint32_t *vx, *vy;
	size_t nx, ny, i = 0, j = 0;
	size_t before = entry_drift(c);
	uint32_t *ownx, *owny;
	bool same_set = true, same_order = true;
	int cmp;

	if (rx == NULL || ry == NULL) {
		util_run_both(sort_run, &jx, &jy);
		rx = jx.v;
		ry = jy.v;
	}
	vx = kept_run(x, rx, c->o, &nx, &ownx);
	vy = kept_run(y, ry, c->o, &ny, &owny);
	while (i < nx || j < ny) {
		const struct tar_entry *ex = i < nx ? &x->entries[vx[i]] : NULL;
		const struct tar_entry *ey = j < ny ? &y->entries[vy[j]] : NULL;

		DIFF_RUN_PREFETCH(x->entries, vx, i, nx);
		DIFF_RUN_PREFETCH(y->entries, vy, j, ny);
		if (ex == NULL && ey == NULL)
			break;
		cmp = ex == NULL ? 1 : ey == NULL ? -1 : strcmp(ex->path, ey->path);
		if (cmp < 0) {
			alone(c, layer, ex, true, y, vy, ny);
			same_set = false;
			i++;
		} else if (cmp > 0) {
			alone(c, layer, ey, false, x, vx, nx);
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
	free(ownx);
	free(owny);
	free(jx.v);
	free(jy.v);
	if (same_set && !same_order)
		diff_order(c, layer, x, y);
	else if (same_set) {
		/* Same entries in the same order: are the tar bytes what moved? */
		if (entry_drift(c) == before && c->counting)
			diff_dctx_add(c, DIFF_ENCODING, DIFF_SCOPE_LAYER,
			    DIFF_DEPENDENCY_EQUIVALENT, layer, NULL,
			    x->usize != y->usize ? DIFF_FIELD_TAR_SIZE : DIFF_FIELD_TAR_BYTES,
			    xstrfmt("%" PRIu64 " bytes", x->usize),
			    xstrfmt("%" PRIu64 " bytes%s", y->usize, x->usize != y->usize ?
			    " (trailer padding or PAX records)" :
			    " (PAX records or header padding)"));
	}
}

void
diff_layers(struct dctx *c, const struct tar_image *x, const struct tar_image *y)
{
	size_t i;

	if (x->nlayers != y->nlayers) {
		diff_dctx_add(c, DIFF_ORDERING, DIFF_SCOPE_FS, DIFF_DEPENDENCY_EQUIVALENT,
		    0, NULL, DIFF_FIELD_LAYERS, xstrfmt("%zu layer%s", x->nlayers,
		    x->nlayers == 1 ? "" : "s"), xstrfmt("%zu layer%s", y->nlayers,
		    y->nlayers == 1 ? "" : "s"));
		/* The final file systems hold the evidence of the entries; a
		   layer the same at its place on both sides still says how its
		   compression differs. */
		for (i = 0; i < x->nlayers && i < y->nlayers; i++)
			if (memcmp(x->layers[i].digest, y->layers[i].digest, 32) != 0 &&
			    memcmp(x->layers[i].diff_id, y->layers[i].diff_id, 32) == 0)
				diff_framing(c, (int)i + 1, &x->layers[i], &y->layers[i]);
		return;
	}
	for (i = 0; i < x->nlayers; i++) {
		const struct tar_layer *lx = &x->layers[i], *ly = &y->layers[i];
		int n = (int)i + 1;

		if (memcmp(lx->digest, ly->digest, 32) == 0)
			continue;
		if (memcmp(lx->diff_id, ly->diff_id, 32) == 0) {
			diff_framing(c, n, lx, ly);
			continue;
		}
		if (!lx->present || !ly->present) {
			diff_dctx_add(c, DIFF_CONTENT, DIFF_SCOPE_LAYER, DIFF_DIFFERENT, n,
			    NULL, DIFF_FIELD_DIFF_ID, diff_digest_str(lx->diff_id),
			    diff_digest_str(ly->diff_id));
			continue;
		}
		c->member_a = lx->member;
		c->member_b = ly->member;
		diff_layer_entries(c, n, lx, ly);
		c->member_a = c->member_b = NULL;
	}
}
