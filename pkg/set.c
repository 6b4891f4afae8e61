/*
 * set.c - a package set as bytes, for a fingerprint (docs/fingerprint.md,
 * "Package sets"), read back as if from the databases; and a copy of one.
 * The packages' notes, where they live and the directories they own as a
 * whole (pypi, npm, gem) are kept too.  Ecosystems are written by name, so that a set written by an imgdrift
 * that knows more of them still reads here (their packages are left out).
 */
#include <stdlib.h>
#include <string.h>

#include "pkg/pkg_int.h"

/* Own-record flags. */
enum {
	SET_DIGEST = 1 << 0,	/* a recorded digest follows */
	SET_DIR = 1 << 1,	/* the path is a directory */
	SET_FLAGS_ALL = (1 << 2) - 1
};

static void
put_str(struct sbuf *sb, const char *s)
{
	sbuf_add_varint(sb, strlen(s));
	sbuf_addstr(sb, s);
}

void
pkg_db_encode(const struct pkg_db *db, struct sbuf *sb)
{
	size_t i, j, k = 0, at[PKG_NECO];
	const char *prev = "";

	for (i = 0; i < PKG_NECO; i++)
		if (db->present[i])
			at[i] = k++;
	sbuf_add_varint(sb, k);
	for (i = 0; i < PKG_NECO; i++) {
		if (!db->present[i])
			continue;
		put_str(sb, pkg_eco_name((enum pkg_eco)i));
		sbuf_add_varint(sb, db->problem[i] != NULL);
		if (db->problem[i] != NULL)
			put_str(sb, db->problem[i]);
		/* the notes: how many there were, then those kept */
		sbuf_add_varint(sb, db->nnotes[i]);
		for (j = 0; j < db->nnotes[i] && j < PKG_NOTES_MAX; j++)
			put_str(sb, db->notes[i][j]);
	}
	sbuf_add_varint(sb, db->n);
	for (i = 0; i < db->n; i++) {
		sbuf_add_varint(sb, at[db->v[i].eco]);
		put_str(sb, db->v[i].name);
		put_str(sb, db->v[i].arch);
		put_str(sb, db->v[i].version);
		put_str(sb, db->v[i].where);
	}
	sbuf_add_varint(sb, db->nown);
	for (i = 0; i < db->nown; i++) {
		const struct pkg_own *o = &db->own[i];
		size_t pre = util_common_prefix(prev, o->path);

		sbuf_add_varint(sb, pre);
		put_str(sb, o->path + pre);
		sbuf_add_varint(sb, o->pkg);
		sbuf_add_varint(sb, (o->digest != NULL ? SET_DIGEST : 0) |
		    (o->dir ? SET_DIR : 0));
		if (o->digest != NULL)
			put_str(sb, o->digest);
		prev = o->path;
	}
	sbuf_add_varint(sb, db->ndirs);
	prev = "";
	for (i = 0; i < db->ndirs; i++) {
		size_t pre = util_common_prefix(prev, db->dirs[i].path);

		sbuf_add_varint(sb, pre);
		put_str(sb, db->dirs[i].path + pre);
		sbuf_add_varint(sb, db->dirs[i].pkg);
		prev = db->dirs[i].path;
	}
}

/* ---- reading one back ------------------------------------------------------ */

struct setin {
	const uint8_t *p, *end;
	struct sbuf s;		/* the last string read */
	struct err *e;
};

static int
get_num(struct setin *in, uint64_t max, const char *what, uint64_t *v)
{
	unsigned shift;
	uint8_t b;

	*v = 0;
	for (shift = 0; shift < 64; shift += 7) {
		if (in->p >= in->end)
			return err_set(in->e, ERR_FORMAT, "%s: truncated", what);
		b = *in->p++;
		*v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return *v > max ? err_set(in->e, ERR_FORMAT,
			    "%s %llu is out of range", what,
			    (unsigned long long)*v) : 0;
	}
	return err_set(in->e, ERR_FORMAT, "%s: a number is longer than 64 bits",
	    what);
}

/* A string with no NUL into in->s, after its first keep bytes. */
static int
get_str(struct setin *in, size_t keep, const char *what)
{
	uint64_t n;
	int r;

	if ((r = get_num(in, PKG_LINE_MAX, what, &n)) < 0)
		return r;
	if ((uint64_t)(in->end - in->p) < n)
		return err_set(in->e, ERR_FORMAT, "%s: truncated", what);
	if (memchr(in->p, '\0', (size_t)n) != NULL)
		return err_set(in->e, ERR_FORMAT, "%s holds a NUL byte", what);
	in->s.len = keep;
	sbuf_add(&in->s, in->p, (size_t)n);
	in->p += n;
	return 0;
}

static int
eco_parse(const char *name)
{
	int i;

	for (i = 0; i < PKG_NECO; i++)
		if (strcmp(name, pkg_eco_name((enum pkg_eco)i)) == 0)
			return i;
	return -1;
}

/* A database's notes (k: its ecosystem, or -1): how many there were, then
   those kept. */
static int
get_notes(struct setin *in, struct pkg_db *db, int k)
{
	uint64_t n, i;
	int r;

	if ((r = get_num(in, SIZE_MAX, "notes", &n)) < 0)
		return r;
	for (i = 0; i < n && i < PKG_NOTES_MAX; i++) {
		if ((r = get_str(in, 0, "note")) < 0)
			return r;
		if (k >= 0)
			pkg_note(db, (enum pkg_eco)k, "%s", sbuf_str(&in->s));
	}
	if (k >= 0)
		db->nnotes[k] = (size_t)n;
	return 0;
}

/* The databases: *eco[k] is the k-th one's enum pkg_eco, or -1. */
static int
get_dbs(struct setin *in, struct pkg_db *db, int **eco, size_t *neco)
{
	uint64_t n, i, has;
	int r, k;

	if ((r = get_num(in, (uint64_t)(in->end - in->p), "databases", &n)) < 0)
		return r;
	*eco = xcalloc((size_t)n + 1, sizeof(**eco));
	*neco = (size_t)n;
	for (i = 0; i < n; i++) {
		if ((r = get_str(in, 0, "ecosystem")) < 0 ||
		    (r = get_num(in, 1, "problem flag", &has)) < 0)
			return r;
		k = eco_parse(sbuf_str(&in->s));
		(*eco)[i] = k;
		if (k >= 0 && db->present[k])
			return err_set(in->e, ERR_FORMAT, "ecosystem %s twice",
			    pkg_eco_name((enum pkg_eco)k));
		if (k >= 0)
			db->present[k] = true;
		if (has && (r = get_str(in, 0, "problem")) < 0)
			return r;
		if (has && k >= 0)
			db->problem[k] = xstrdup(sbuf_str(&in->s));
		if ((r = get_notes(in, db, k)) < 0)
			return r;
	}
	return 0;
}

/* The packages: *to[i] is the i-th one's index in db, or -1 (an
   ecosystem this imgdrift does not know). */
static int
get_pkgs(struct setin *in, struct pkg_db *db, const int *eco, size_t neco,
    long **to, size_t *nto)
{
	char *name = NULL, *arch = NULL, *version = NULL;
	uint64_t n, i, k;
	int r;

	if ((r = get_num(in, PKG_PACKAGES_MAX, "packages", &n)) < 0 ||
	    (n > 0 && neco == 0))
		return r < 0 ? r : err_set(in->e, ERR_FORMAT,
		    "packages without a database");
	*to = xcalloc((size_t)n + 1, sizeof(**to));
	*nto = (size_t)n;
	for (i = 0; i < n; i++) {
		if ((r = get_num(in, neco - 1, "package database", &k)) < 0 ||
		    (r = get_str(in, 0, "package name")) < 0)
			goto out;
		name = sbuf_detach(&in->s);
		if ((r = get_str(in, 0, "package arch")) < 0)
			goto out;
		arch = sbuf_detach(&in->s);
		if ((r = get_str(in, 0, "package version")) < 0)
			goto out;
		version = sbuf_detach(&in->s);
		if ((r = get_str(in, 0, "package where")) < 0)
			goto out;
		(*to)[i] = -1;
		if (eco[k] >= 0 && ((*to)[i] = pkg_add(db, (enum pkg_eco)eco[k],
		    name, strlen(name), arch, strlen(arch), version,
		    strlen(version), in->e)) < 0) {
			r = (int)(*to)[i];
			goto out;
		}
		if ((*to)[i] >= 0)
			pkg_set_where(db, (size_t)(*to)[i], sbuf_str(&in->s),
			    in->s.len);
		free(name);
		free(arch);
		free(version);
		name = arch = version = NULL;
	}
 out:
	free(name);
	free(arch);
	free(version);
	return r;
}

/* How many records of what follow, each naming one of nto packages.  The
   count is not trusted for allocation: records are added as they come. */
static int
get_count(struct setin *in, size_t nto, const char *what, uint64_t *n)
{
	int r;

	if ((r = get_num(in, (uint64_t)(in->end - in->p), what, n)) < 0)
		return r;
	if (*n > 0 && nto == 0)
		return err_set(in->e, ERR_FORMAT, "%s without packages", what);
	return 0;
}

/* A prefix-coded path after the one in path, and its package's index. */
static int
get_path(struct setin *in, struct sbuf *path, size_t nto, const char *what,
    uint64_t *pkg)
{
	uint64_t pre;
	int r;

	if ((r = get_num(in, path->len, what, &pre)) < 0 ||
	    (r = get_str(in, 0, what)) < 0)
		return r;
	path->len = (size_t)pre;
	sbuf_add(path, sbuf_str(&in->s), in->s.len);
	return get_num(in, nto - 1, "package of a path", pkg);
}

static int
get_owned(struct setin *in, struct pkg_db *db, const long *to, size_t nto)
{
	uint64_t n, i, pkg, flags;
	struct sbuf path = SBUF_INIT;
	int r;

	sbuf_add(&path, "", 0);
	if ((r = get_count(in, nto, "files", &n)) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		if ((r = get_path(in, &path, nto, "file", &pkg)) < 0 ||
		    (r = get_num(in, SET_FLAGS_ALL, "file flags", &flags)) < 0)
			goto out;
		if ((flags & SET_DIGEST) && (r = get_str(in, 0, "digest")) < 0)
			goto out;
		if (to[pkg] < 0)
			continue;
		pkg_own_add(db, (size_t)to[pkg], path.buf, path.len,
		    (flags & SET_DIGEST) ? sbuf_str(&in->s) : NULL);
		db->own[db->nown - 1].dir = (flags & SET_DIR) != 0;
	}
 out:
	sbuf_release(&path);
	return r;
}

/* The directories a package owns with everything under them. */
static int
get_dirs(struct setin *in, struct pkg_db *db, const long *to, size_t nto)
{
	uint64_t n, i, pkg;
	struct sbuf path = SBUF_INIT;
	int r;

	sbuf_add(&path, "", 0);
	if ((r = get_count(in, nto, "directories", &n)) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		if ((r = get_path(in, &path, nto, "directory", &pkg)) < 0)
			goto out;
		if (to[pkg] >= 0)
			pkg_dir_add(db, (size_t)to[pkg], path.buf, path.len);
	}
	if (in->p != in->end)
		r = err_set(in->e, ERR_FORMAT, "data after the package set");
 out:
	sbuf_release(&path);
	return r;
}

int
pkg_db_decode(const uint8_t *p, size_t n, struct pkg_db **out, struct err *e)
{
	struct setin in = { p, p + n, SBUF_INIT, e };
	struct pkg_db *db = xcalloc(1, sizeof(*db));
	int *eco = NULL;
	long *to = NULL;
	size_t neco = 0, nto = 0;
	int r;

	*out = NULL;
	if ((r = get_dbs(&in, db, &eco, &neco)) < 0 ||
	    (r = get_pkgs(&in, db, eco, neco, &to, &nto)) < 0 ||
	    (r = get_owned(&in, db, to, nto)) < 0 ||
	    (r = get_dirs(&in, db, to, nto)) < 0) {
		err_prefix(e, "package set");
		pkg_db_free(db);
		goto out;
	}
	/* The order and the counts are the reader's own, not the writer's. */
	pkg_sort_from(db, 0);
	pkg_db_finish(db);
	*out = db;
	db = NULL;	/* transferred */
 out:
	free(eco);
	free(to);
	sbuf_release(&in.s);
	return r;
}

struct pkg_db *
pkg_db_copy(const struct pkg_db *db)
{
	struct pkg_db *c = xcalloc(1, sizeof(*c));
	size_t i, j;

	c->n = c->cap = db->n;
	c->v = xcalloc(db->n + 1, sizeof(*c->v));
	for (i = 0; i < db->n; i++) {
		c->v[i] = db->v[i];
		c->v[i].name = xstrdup(db->v[i].name);
		c->v[i].arch = xstrdup(db->v[i].arch);
		c->v[i].version = xstrdup(db->v[i].version);
		c->v[i].where = xstrdup(db->v[i].where);
	}
	c->nown = c->owncap = db->nown;
	c->own = xcalloc(db->nown + 1, sizeof(*c->own));
	for (i = 0; i < db->nown; i++) {
		c->own[i] = db->own[i];
		c->own[i].path = xstrdup(db->own[i].path);
		if (db->own[i].digest != NULL)
			c->own[i].digest = xstrdup(db->own[i].digest);
	}
	c->ndirs = c->dircap = db->ndirs;
	c->dirs = xcalloc(db->ndirs + 1, sizeof(*c->dirs));
	for (i = 0; i < db->ndirs; i++) {
		c->dirs[i] = db->dirs[i];
		c->dirs[i].path = xstrdup(db->dirs[i].path);
	}
	for (i = 0; i < PKG_NECO; i++) {
		c->present[i] = db->present[i];
		if (db->problem[i] != NULL)
			c->problem[i] = xstrdup(db->problem[i]);
		c->nnotes[i] = db->nnotes[i];
		for (j = 0; j <= PKG_NOTES_MAX; j++)
			if (db->notes[i][j] != NULL)
				c->notes[i][j] = xstrdup(db->notes[i][j]);
		c->nunread[i] = db->nunread[i];
		for (j = 0; j < db->nunread[i]; j++) {
			c->unread[i][j][0] = xstrdup(db->unread[i][j][0]);
			c->unread[i][j][1] = xstrdup(db->unread[i][j][1]);
		}
	}
	return c;
}
