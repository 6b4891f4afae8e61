/*
 * packages.c - the package view of a pair: the packages of each final file
 * system (read by pkg/ from the bytes the layers kept), what moved between
 * them, and the package each differing file belongs to.
 */
#include <stdlib.h>
#include <string.h>

#include "diff/diff_int.h"

/* A kept file of the final file system: its place there, its bytes. */
struct kept {
	size_t at;			/* index in fs->v */
	const struct tar_capture *cap;
};

static int
kept_cmp(const void *a, const void *b)
{
	size_t x = ((const struct kept *)a)->at, y = ((const struct kept *)b)->at;

	return x < y ? -1 : x > y;
}

struct pkg_db *
diff_fs_packages(const struct fs *fs, const struct tar_image *im)
{
	struct pkg_input *in = NULL;
	struct kept *k = NULL;
	const struct tar_capture *cap;
	const struct tar_entry *e;
	const struct fs_entry *f;
	struct pkg_db *db;
	size_t i, j, n = 0, cap_n = 0;
	bool bytes;

	/* A fingerprint keeps the package lists, not the databases. */
	if (im->packages != NULL)
		return pkg_db_copy(im->packages);
	if (im->packages_unknown)
		return NULL;
	/* The few kept files, each looked up in the final file system, not
	   every entry of it looked up among them. */
	for (i = 0; i < im->nlayers; i++)
		for (j = 0; j < im->layers[i].ncaptures; j++) {
			cap = &im->layers[i].captures[j];
			if (cap->ordinal >= im->layers[i].nentries)
				continue;
			e = &im->layers[i].entries[cap->ordinal];
			/* Kept for its path (a database's), or for its bytes (a
			   Go binary's build information), whatever its path;
			   and still there at the end. */
			if ((!cap->scanned && pkg_capture_match(e->path, &bytes) < 0) ||
			    (f = diff_fs_find(fs, e->path)) == NULL || f->e != e)
				continue;
			xgrow(&k, &cap_n, n + 1, sizeof(*k));
			k[n].at = (size_t)(f - fs->v);
			k[n++].cap = cap;
		}
	if (n > 1)
		qsort(k, n, sizeof(*k), kept_cmp);
	in = xcalloc(n + 1, sizeof(*in));
	for (i = 0; i < n; i++) {
		cap = k[i].cap;
		in[i].path = fs->v[k[i].at].e->path;
		in[i].data = cap->data;
		in[i].len = cap->len;
		in[i].over = cap->over;
		in[i].file_over = cap->file_over;
		in[i].scanned = cap->scanned;
		in[i].eco = cap->eco;
	}
	db = pkg_db_read(in, n);
	free(in);
	free(k);
	return db;
}

void
diff_pkg_view_init(struct pkg_view *pv)
{
	size_t na = pkg_db_count(pv->db[0]), nb = pkg_db_count(pv->db[1]);
	size_t i = 0, j = 0;
	int cmp;

	pv->v = xcalloc(na + nb + 1, sizeof(*pv->v));
	pv->to_pair[0] = xcalloc(na + 1, sizeof(size_t));
	pv->to_pair[1] = xcalloc(nb + 1, sizeof(size_t));
	pv->n = 0;
	while (i < na || j < nb) {
		const struct pkg *a = i < na ? pkg_db_get(pv->db[0], i) : NULL;
		const struct pkg *b = j < nb ? pkg_db_get(pv->db[1], j) : NULL;

		cmp = i >= na ? 1 : j >= nb ? -1 : pkg_compare(a, b);
		if (cmp <= 0) {
			pv->v[pv->n].a = a;
			pv->to_pair[0][i++] = pv->n;
		}
		if (cmp >= 0) {
			pv->v[pv->n].b = b;
			pv->to_pair[1][j++] = pv->n;
		}
		pv->n++;
	}
}

void
diff_pkg_view_release(struct pkg_view *pv)
{
	size_t i, k;

	pkg_db_free(pv->db[0]);
	pkg_db_free(pv->db[1]);
	for (i = 0; i < 2; i++)
		for (k = 0; k < pv->nalias[i]; k++) {
			free(pv->alias[i][k].link);
			free(pv->alias[i][k].dir);
		}
	free(pv->v);
	free(pv->to_pair[0]);
	free(pv->to_pair[1]);
	memset(pv, 0, sizeof(*pv));
}

void
diff_pkg_aliases(struct pkg_view *pv, int side, const struct fs *fs)
{
	const struct fs_entry *t;
	struct sbuf dir = SBUF_INIT;
	const char *slash;
	size_t i;

	for (i = 0; i < fs->n && pv->nalias[side] < DIFF_PKG_ALIASES_MAX; i++) {
		const struct tar_entry *e = fs->v[i].e;

		if (e->kind != TAR_SYMLINK || e->link == NULL ||
		    ((slash = strchr(e->path, '/')) != NULL &&
		    strchr(slash + 1, '/') != NULL))
			continue;
		/* The target from the link's directory ("usr/bin", "/usr/bin",
		   "../bin" from usr/bin). */
		if (!pkg_path_join(&dir, e->path, slash != NULL ?
		    (size_t)(slash - e->path) : 0, e->link, strlen(e->link)) ||
		    (t = diff_fs_find(fs, sbuf_str(&dir))) == NULL ||
		    t->e->kind != TAR_DIR)
			continue;
		pv->alias[side][pv->nalias[side]].link = xstrdup(e->path);
		pv->alias[side][pv->nalias[side]++].dir = sbuf_detach(&dir);
	}
	sbuf_release(&dir);
}

/* The package of db owning path, or the path a symlinked directory of its
   side names it by (usr/bin/ls is bin/ls when bin -> usr/bin, as dpkg's
   .list of a merged /usr has it).  @return its index, or -1. */
static long
owner_in(const struct pkg_view *pv, int side, const char *path,
    const char **digest)
{
	const struct pkg_alias *a;
	const char *rest;
	long i = pkg_db_owner(pv->db[side], path, digest);
	size_t k;
	char *other;

	for (k = 0; i < 0 && k < pv->nalias[side]; k++) {
		a = &pv->alias[side][k];
		if (!skip_prefix(path, a->dir, &rest) || rest[0] != '/')
			continue;
		other = xstrfmt("%s%s", a->link, rest);
		i = pkg_db_owner(pv->db[side], other, digest);
		free(other);
	}
	return i;
}

/* The package owning path on B's side, else on A's.  @return it, or NULL;
   *same_digest: both databases record one digest for the file (or, in an
   ecosystem whose versions fix their bytes, both record none); rec (when
   not NULL): the digests A's and B's databases record, NULL for none
   (borrowed until pv is released). */
static struct pkg_pair *
owner_rec(const struct pkg_view *pv, const char *path, bool *same_digest,
    const char *rec[2])
{
	const char *da = NULL, *db = NULL;
	long ia = owner_in(pv, 0, path, &da);
	long ib = owner_in(pv, 1, path, &db);
	struct pkg_pair *p;

	*same_digest = false;
	if (rec != NULL) {
		rec[0] = ia >= 0 ? da : NULL;
		rec[1] = ib >= 0 ? db : NULL;
	}
	if (ib >= 0)
		p = &pv->v[pv->to_pair[1][ib]];
	else if (ia >= 0)
		p = &pv->v[pv->to_pair[0][ia]];
	else
		return NULL;
	/* An ecosystem whose versions fix their files' bytes needs no
	   digest to say the bytes are not the package's. */
	*same_digest = ia >= 0 && ib >= 0 && (da != NULL && db != NULL ?
	    strcmp(da, db) == 0 : da == NULL && db == NULL &&
	    pkg_version_fixes_bytes((enum pkg_eco)(p->a != NULL ? p->a :
	    p->b)->eco));
	return p;
}

static struct pkg_pair *
owner(const struct pkg_view *pv, const char *path, bool *same_digest)
{
	return owner_rec(pv, path, same_digest, NULL);
}

static bool
same_version(const struct pkg_pair *p)
{
	return p->a != NULL && p->b != NULL &&
	    strcmp(p->a->version, p->b->version) == 0;
}

int
diff_pkg_finding_rank(const struct diff_finding *f)
{
	if (f->package_database)
		return 3;
	if (f->package == NULL)
		return 0;
	return f->same_record ? 1 : 2;
}

/* diff_pkg_finding_rank() before the finding is made. */
int
diff_pkg_rank(const struct dctx *c, enum diff_class cls, enum diff_scope scope,
    const char *path)
{
	const struct pkg_pair *p;
	bool same_digest;

	if (c->pv == NULL || path == NULL || (cls != DIFF_CONTENT &&
	    cls != DIFF_PERMISSION) || (scope != DIFF_SCOPE_LAYER &&
	    scope != DIFF_SCOPE_FS))
		return 0;
	if (pkg_is_database(path))
		return 3;
	if ((p = owner(c->pv, path, &same_digest)) == NULL)
		return 0;
	return cls == DIFF_CONTENT && same_version(p) && same_digest ? 1 : 2;
}

void
diff_pkg_attribute(const struct dctx *c, struct diff_finding *f)
{
	const struct pkg_pair *p;
	const struct pkg *k;
	const char *rec[2];
	bool same_digest;
	int i;

	if (c->pv == NULL || f->path == NULL || (f->cls != DIFF_CONTENT &&
	    f->cls != DIFF_PERMISSION) || (f->scope != DIFF_SCOPE_LAYER &&
	    f->scope != DIFF_SCOPE_FS))
		return;
	if (pkg_is_database(f->path)) {
		f->package_database = true;
		return;
	}
	if ((p = owner_rec(c->pv, f->path, &same_digest, rec)) == NULL)
		return;
	k = p->b != NULL ? p->b : p->a;
	f->package = xstrfmt("%s:%s", pkg_eco_name(k->eco), k->name);
	if (f->cls != DIFF_CONTENT || !same_version(p))
		return;
	f->same_record = same_digest;
	/* No digest to check: a published npm or gem version's files never
	   change, so other bytes under the same version were changed. */
	f->by_version = same_digest && rec[0] == NULL && rec[1] == NULL;
	f->modified_after_install = f->by_version;
	if (rec[0] == NULL && rec[1] == NULL)
		return;
	/* The second look checks the bytes against the records. */
	f->check.state = DIFF_CHECK_PENDING;
	f->check.eco = k->eco;
	for (i = 0; i < 2; i++)
		f->check.recorded[i] = rec[i] != NULL ? xstrdup(rec[i]) : NULL;
}

/* Check one side's bytes x[0..n) (NULL: not read), or its absence. */
static void
check_side(struct diff_check *k, int i, bool absent, const uint8_t *x,
    size_t n)
{
	struct err e;

	k->match[i] = -1;
	if (k->recorded[i] == NULL)
		return;
	if (x == NULL && !absent)
		return;
	err_clear(&e);
	/* An absent file is checked as no bytes, for the record's text. */
	if (pkg_digest_check((enum pkg_eco)k->eco, k->recorded[i],
	    absent ? (const uint8_t *)"" : x, absent ? 0 : n, &k->side[i],
	    &e) < 0) {
		if (k->why == NULL)
			k->why = xstrdup(e.msg);
		return;
	}
	/* The database says the package installed it. */
	k->absent[i] = absent;
	k->match[i] = k->side[i].match && !absent ? 1 : 0;
}

void
diff_pkg_check(struct diff_finding *f, const uint8_t *a, size_t na,
    const uint8_t *b, size_t nb)
{
	struct diff_check *k = &f->check;

	bool entry = f->field_id == DIFF_FIELD_ENTRY;

	if (k->state != DIFF_CHECK_PENDING)
		return;
	check_side(k, 0, entry && f->a == NULL, a, na);
	check_side(k, 1, entry && f->b == NULL, b, nb);
	/* Nothing checked and nothing wrong with the records: the bytes were
	   not read, and the caller says why. */
	if (k->match[0] < 0 && k->match[1] < 0) {
		if (k->why != NULL)
			k->state = DIFF_CHECK_FAILED;
		return;
	}
	k->state = DIFF_CHECK_DONE;
	f->modified_after_install = k->match[0] == 0 || k->match[1] == 0;
}

void
diff_pkg_count(struct dctx *c, const char *path, bool dir)
{
	struct pkg_pair *p;
	bool same_digest;

	/* A package's files are what it owns that is not a directory, as
	   pkg.nfiles counts them. */
	if (c->pv == NULL || dir || (p = owner(c->pv, path, &same_digest)) == NULL)
		return;
	p->files++;
	if (same_version(p) && !same_digest)
		p->rebuilt++;
}

/* @return how p moved, or -1 when it did not. */
static int
change_of(const struct pkg_pair *p)
{
	int cmp;

	if (p->a == NULL)
		return DIFF_PKG_ADDED;
	if (p->b == NULL)
		return DIFF_PKG_REMOVED;
	cmp = pkg_vercmp(p->a->eco, p->a->version, p->b->version);
	if (cmp < 0)
		return DIFF_PKG_UPGRADED;
	if (cmp > 0)
		return DIFF_PKG_DOWNGRADED;
	return p->rebuilt > 0 ? DIFF_PKG_REBUILT : -1;
}

/* The notes of eco's databases (what was left out, lockfiles that
   disagree): one line each, once when both sides have it. */
static void
note_left_out(struct dctx *c, enum pkg_eco eco)
{
	const char *na, *nb;
	size_t i, j;
	bool both;

	for (i = 0; (na = pkg_db_note(c->pv->db[0], eco, i)) != NULL; i++) {
		both = false;
		for (j = 0; !both && (nb = pkg_db_note(c->pv->db[1], eco, j)) !=
		    NULL; j++)
			both = strcmp(na, nb) == 0;
		diff_add_note(c->r, xstrfmt("packages: %s: %s (%s)",
		    pkg_eco_name(eco), na, both ? "A and B" : "A"));
	}
	for (j = 0; (nb = pkg_db_note(c->pv->db[1], eco, j)) != NULL; j++) {
		both = false;
		for (i = 0; !both && (na = pkg_db_note(c->pv->db[0], eco, i)) !=
		    NULL; i++)
			both = strcmp(na, nb) == 0;
		if (!both)
			diff_add_note(c->r, xstrfmt("packages: %s: %s (B)",
			    pkg_eco_name(eco), nb));
	}
}

/* @return whether db left out path for the same reason. */
static bool
unread_too(const struct pkg_db *db, enum pkg_eco eco, const char *path,
    const char *why)
{
	const char *p, *w;
	size_t i;

	for (i = 0; (p = pkg_db_unread(db, eco, i, &w)) != NULL; i++)
		if (strcmp(p, path) == 0 && strcmp(w, why) == 0)
			return true;
	return false;
}

/* The files of eco's databases a bound left out, into di: once when both
   sides left one out. */
static void
add_unread(struct diff_image *di, const struct pkg_view *pv, enum pkg_eco eco)
{
	struct diff_pkg_unread *u;
	const char *p, *why;
	size_t i, side;

	for (side = 0; side < 2; side++)
		for (i = 0; (p = pkg_db_unread(pv->db[side], eco, i, &why)) !=
		    NULL; i++) {
			if (side == 1 && unread_too(pv->db[0], eco, p, why))
				continue;
			di->unread = xrealloc(di->unread, (di->nunread + 1) *
			    sizeof(*di->unread));
			u = &di->unread[di->nunread++];
			u->eco = (uint8_t)eco;
			u->path = xstrdup(p);
			u->why = xstrdup(why);
			u->a = side == 0;
			u->b = side == 1 || unread_too(pv->db[1], eco, p, why);
		}
}

/* Say which databases were not read; @return whether eco can be compared
   (read, or absent, on both sides). */
static bool
note_problems(struct dctx *c, enum pkg_eco eco)
{
	const char *pa = pkg_db_problem(c->pv->db[0], eco);
	const char *pb = pkg_db_problem(c->pv->db[1], eco);

	note_left_out(c, eco);
	if (pa != NULL)
		diff_add_note(c->r, xstrfmt("packages: %s database %s (A)",
		    pkg_eco_name(eco), pa));
	if (pb != NULL)
		diff_add_note(c->r, xstrfmt("packages: %s database %s (B)",
		    pkg_eco_name(eco), pb));
	return pa == NULL && pb == NULL;
}

/* Append the row of p, which moved by ch, to di's packages (room made). */
static void
add_row(struct diff_image *di, const struct pkg_pair *p, int ch)
{
	const struct pkg *k = p->a != NULL ? p->a : p->b;
	struct diff_package *d = &di->packages[di->npackages++];

	memset(d, 0, sizeof(*d));
	d->eco = k->eco;
	d->change = (uint8_t)ch;
	d->name = xstrdup(k->name);
	d->arch = xstrdup(k->arch);
	d->where = xstrdup(k->where);
	d->a = p->a != NULL ? xstrdup(p->a->version) : NULL;
	d->b = p->b != NULL ? xstrdup(p->b->version) : NULL;
	d->files = p->files;
}

bool
diff_pkg_finish(struct dctx *c)
{
	struct diff_image *di = &c->r->images[c->image];
	struct pkg_view *pv = c->pv;
	const struct pkg *k;
	bool ok[PKG_NECO];
	size_t i;
	int ch;

	for (i = 0; i < PKG_NECO; i++) {
		if (pkg_db_present(pv->db[0], (enum pkg_eco)i) ||
		    pkg_db_present(pv->db[1], (enum pkg_eco)i))
			di->has_packages = true;
		ok[i] = note_problems(c, (enum pkg_eco)i);
		add_unread(di, pv, (enum pkg_eco)i);
	}
	/* A fingerprint of format version 1 or 2 keeps no package lists:
	   every package would look added or removed. */
	if (di->has_packages && (pv->unknown[0] || pv->unknown[1])) {
		diff_add_note(c->r, xstrfmt("packages: not compared: fingerprint %s "
		    "holds no package lists (format version 1 or 2: record the "
		    "image again)",
		    pv->unknown[0] && pv->unknown[1] ? "A and B" :
		    pv->unknown[0] ? "A" : "B"));
		return false;
	}
	di->packages = xcalloc(pv->n + 1, sizeof(*di->packages));
	for (i = 0; i < pv->n; i++) {
		k = pv->v[i].a != NULL ? pv->v[i].a : pv->v[i].b;
		if (!ok[k->eco] || (ch = change_of(&pv->v[i])) < 0)
			continue;
		add_row(di, &pv->v[i], ch);
	}
	return di->npackages > 0;
}

static int
package_cmp(const void *x, const void *y)
{
	const struct diff_package *a = x, *b = y;
	struct pkg ka = { .eco = a->eco, .name = a->name, .arch = a->arch,
	    .where = a->where };
	struct pkg kb = { .eco = b->eco, .name = b->name, .arch = b->arch,
	    .where = b->where };

	return pkg_compare(&ka, &kb);
}

/* @return whether the packages of di name a crate of the binary path:
   the first pass read its .dep-v0. */
static bool
has_crates(const struct diff_image *di, const char *path)
{
	size_t i;

	for (i = 0; i < di->npackages; i++)
		if (di->packages[i].eco == PKG_CARGO &&
		    strcmp(di->packages[i].where, path) == 0)
			return true;
	return false;
}

void
diff_pkg_add_file(struct diff_image *di, const char *path, const uint8_t *a,
    size_t na, const uint8_t *b, size_t nb)
{
	struct pkg_view pv;
	struct pkg_pair *own;
	const struct pkg *k;
	size_t i;
	long ia;
	int ch;

	/* The first pass reads a .dep-v0 near the section headers; the
	   second look's whole file finds one further before them. */
	if (has_crates(di, path))
		return;
	memset(&pv, 0, sizeof(pv));
	pv.db[0] = pkg_file_read(path, a, na);
	pv.db[1] = pkg_file_read(path, b, nb);
	if (!pkg_db_present(pv.db[0], PKG_CARGO) && !pkg_db_present(pv.db[1],
	    PKG_CARGO))
		goto out;
	di->has_packages = true;
	diff_pkg_view_init(&pv);
	/* The binary differs: its root crate is rebuilt at least. */
	if ((ia = pkg_db_owner(pv.db[0], path, NULL)) >= 0) {
		own = &pv.v[pv.to_pair[0][ia]];
		own->files++;
		own->rebuilt++;
	}
	di->packages = xrealloc(di->packages, (di->npackages + pv.n + 1) *
	    sizeof(*di->packages));
	for (i = 0; i < pv.n; i++) {
		k = pv.v[i].a != NULL ? pv.v[i].a : pv.v[i].b;
		if (k->eco != PKG_CARGO || (ch = change_of(&pv.v[i])) < 0)
			continue;
		add_row(di, &pv.v[i], ch);
	}
	if (di->npackages > 1)
		qsort(di->packages, di->npackages, sizeof(*di->packages),
		    package_cmp);
 out:
	diff_pkg_view_release(&pv);
}

size_t
diff_packages_moved(const struct diff_result *r)
{
	size_t i, n = 0;

	for (i = 0; i < r->nimages; i++)
		n += r->images[i].npackages;
	return n;
}

struct pkg_db *
diff_image_packages(const struct tar_image *im)
{
	struct pkg_db *db;
	struct fs fs;

	if (im->packages != NULL || im->packages_unknown)
		return im->packages != NULL ? pkg_db_copy(im->packages) : NULL;
	diff_fs_build(&fs, im, NULL);
	db = diff_fs_packages(&fs, im);
	diff_fs_release(&fs);
	return db;
}

struct pkg_db **
diff_archive_packages(const struct tar_archive *ar)
{
	struct pkg_db **dbs = xcalloc(tar_nimages(ar) + 1, sizeof(*dbs));
	size_t i;

	for (i = 0; i < tar_nimages(ar); i++)
		dbs[i] = diff_image_packages(tar_image(ar, i));
	return dbs;
}

void
diff_archive_packages_free(struct pkg_db **dbs, size_t n)
{
	size_t i;

	for (i = 0; dbs != NULL && i < n; i++)
		pkg_db_free(dbs[i]);
	free(dbs);
}
