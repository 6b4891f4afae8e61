/*
 * pkg.c - the table of package-database readers, which paths they read,
 * and the set they fill: packages sorted, files matched to their owner.
 */
#include <fnmatch.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "pkg/pkg_int.h"

/* A path of a database: bytes false when only its presence counts. */
struct pkg_path {
	const char *glob;	/* fnmatch(FNM_PATHNAME) over normalized paths */
	bool bytes;
};

#define PKG_PATHS_MAX	8

/*
 * A reader.  An OS database lives at fixed paths (paths, under the
 * prefixes of pkg_capture_match()); an application's anywhere in the tree,
 * so match looks at the basename first (it runs on every entry of every
 * layer) and its files are read one by one (each): one that does not
 * parse, or passes PKG_FILE_MAX, is a note and the rest is read.
 * fixed: a version names its files' bytes (pkg_version_fixes_bytes()).
 */
static const struct pkg_reader {
	enum pkg_eco eco;
	const char *name;
	struct pkg_path paths[PKG_PATHS_MAX];	/* ends with a NULL glob */
	int (*match)(const char *path, const char *base, bool *bytes);
	pkg_read_fn read;
	int (*vercmp)(const char *a, const char *b);
	bool each, fixed;
} readers[PKG_NECO] = {
	{ PKG_DPKG, "dpkg", {
		{ "var/lib/dpkg/status", true },
		{ "var/lib/dpkg/status.d/*", true },
		{ "var/lib/dpkg/info/*.list", true },
		{ "var/lib/dpkg/info/*.md5sums", true },
		/* the rest of dpkg's own files (status-old, info/NAME.conffiles,
		 * triggers/, updates/, ...): explained by the package
		 * changes, never unowned content */
		{ "var/lib/dpkg/*", false },
		{ "var/lib/dpkg/*/*", false },
		{ NULL, false } }, NULL, pkg_dpkg_read, pkg_dpkg_vercmp, false,
		false },
	{ PKG_APK, "apk", {
		{ "lib/apk/db/installed", true },
		/* apk-tools 3's adb format (apk convdb writes it): detected,
		   named, not read */
		{ "lib/apk/db/installed.adb", false },
		{ NULL, false } }, NULL, pkg_apk_read, pkg_apk_vercmp, false,
		false },
	{ PKG_RPM, "rpm", {
		{ "var/lib/rpm/rpmdb.sqlite", true },
		{ "usr/lib/sysimage/rpm/rpmdb.sqlite", true },
		/* older formats: detected, named, not read */
		{ "var/lib/rpm/Packages", false },
		{ "usr/lib/sysimage/rpm/Packages", false },
		{ "var/lib/rpm/Packages.db", false },
		{ "usr/lib/sysimage/rpm/Packages.db", false },
		{ NULL, false } }, NULL, pkg_rpm_read, pkg_rpm_vercmp, false,
		false },
	{ PKG_PYPI, "pypi", { { NULL, false } }, pkg_pypi_match,
		pkg_pypi_read, pkg_pypi_vercmp, true, false },
	{ PKG_NPM, "npm", { { NULL, false } }, pkg_npm_match,
		pkg_npm_read, pkg_npm_vercmp, true, true },
	{ PKG_GEM, "gem", { { NULL, false } }, pkg_gem_match,
		pkg_gem_read, pkg_gem_vercmp, true, true },
	/* Dependencies compiled into files: a Go binary is found by its
	   bytes (pkg_go_mark, scanned while the layers stream), a jar by
	   its name, a cargo-auditable binary by its section headers (the
	   bytes before them kept while the layers stream,
	   pkg_cargo_window()). */
	{ PKG_GO, "go", { { NULL, false } }, NULL, pkg_go_read,
		pkg_semver_cmp, true, false },
	{ PKG_MAVEN, "maven", { { NULL, false } }, pkg_maven_match,
		pkg_maven_read, pkg_maven_vercmp, true, false },
	{ PKG_CARGO, "cargo", { { NULL, false } }, NULL, pkg_cargo_read,
		pkg_semver_cmp, true, false },
};

const char *
pkg_eco_name(enum pkg_eco eco)
{
	return (unsigned)eco < PKG_NECO ? readers[eco].name : "?";
}

int
pkg_vercmp(enum pkg_eco eco, const char *a, const char *b)
{
	if ((unsigned)eco >= PKG_NECO || readers[eco].vercmp == NULL)
		return strcmp(a, b);
	return readers[eco].vercmp(a, b);
}

bool
pkg_version_fixes_bytes(enum pkg_eco eco)
{
	return (unsigned)eco < PKG_NECO && readers[eco].fixed;
}

uint64_t
pkg_file_max(enum pkg_eco eco)
{
	/* Spring Boot's jars are larger than a package.json. */
	if (eco == PKG_MAVEN)
		return PKG_JAR_MAX;
	return (unsigned)eco < PKG_NECO && readers[eco].each ? PKG_FILE_MAX :
	    PKG_DB_MAX;
}

bool
pkg_capture_content(enum pkg_eco eco, const uint8_t *p, size_t n)
{
	return eco != PKG_MAVEN || (n >= 4 && memcmp(p, "PK\3\4", 4) == 0);
}

bool
pkg_is_database(const char *path)
{
	bool bytes;
	int eco = pkg_capture_match(path, &bytes);

	return eco >= 0 && eco != PKG_MAVEN;
}

int
pkg_capture_match(const char *path, bool *bytes)
{
	const struct pkg_path *p;
	const char *base = strrchr(path, '/');
	size_t i;
	int eco;

	/* Every OS database lives under one of these. */
	if (starts_with(path, "var/lib/") || starts_with(path, "lib/apk/") ||
	    starts_with(path, "usr/lib/sysimage/"))
		for (i = 0; i < PKG_NECO; i++)
			for (p = readers[i].paths; p->glob != NULL; p++)
				if (fnmatch(p->glob, path, FNM_PATHNAME) == 0) {
					*bytes = p->bytes;
					return (int)readers[i].eco;
				}
	base = base != NULL ? base + 1 : path;
	for (i = 0; i < PKG_NECO; i++)
		if (readers[i].match != NULL &&
		    (eco = readers[i].match(path, base, bytes)) >= 0)
			return eco;
	return -1;
}

int
pkg_next_line(struct pkg_lines *l, const char **s, size_t *n, struct err *e)
{
	const char *nl;

	if (l->p >= l->end)
		return 0;
	nl = memchr(l->p, '\n', (size_t)(l->end - l->p));
	if (nl == NULL)
		nl = l->end;
	l->lineno++;
	if ((size_t)(nl - l->p) > PKG_LINE_MAX)
		return err_set(e, ERR_LIMIT, "line %zu is longer than %u bytes",
		    l->lineno, PKG_LINE_MAX);
	*s = l->p;
	*n = (size_t)(nl - l->p);
	l->p = nl < l->end ? nl + 1 : nl;
	return 1;
}

long
pkg_add(struct pkg_db *db, enum pkg_eco eco, const char *name, size_t namelen,
    const char *arch, size_t archlen, const char *version, size_t verlen,
    struct err *e)
{
	struct pkg *p;

	if (db->n >= PKG_PACKAGES_MAX)
		return err_set(e, ERR_LIMIT, "more than %u packages",
		    PKG_PACKAGES_MAX);
	xgrow(&db->v, &db->cap, db->n + 1, sizeof(*db->v));
	p = &db->v[db->n];
	memset(p, 0, sizeof(*p));
	p->eco = (uint8_t)eco;
	p->name = xstrndup(name, namelen);
	p->arch = xstrndup(arch != NULL ? arch : "", arch != NULL ? archlen : 0);
	p->version = xstrndup(version, verlen);
	p->where = xstrdup("");
	return (long)db->n++;
}

void
pkg_set_where(struct pkg_db *db, size_t i, const char *where, size_t len)
{
	free(db->v[i].where);
	db->v[i].where = xstrndup(where, len);
}

int
pkg_compare(const struct pkg *a, const struct pkg *b)
{
	int r;

	if (a->eco != b->eco)
		return a->eco < b->eco ? -1 : 1;
	if ((r = strcmp(a->name, b->name)) != 0)
		return r;
	if ((r = strcmp(a->arch, b->arch)) != 0)
		return r;
	return strcmp(a->where, b->where);
}

static void
pkg_release(struct pkg *p)
{
	free(p->name);
	free(p->arch);
	free(p->version);
	free(p->where);
}

/* A package and where it was before sorting. */
struct pkg_at {
	struct pkg p;
	size_t was;
};

static int
pkg_at_cmp(const void *a, const void *b)
{
	const struct pkg_at *x = a, *y = b;
	int r = pkg_compare(&x->p, &y->p);

	return r != 0 ? r : x->was < y->was ? -1 : x->was > y->was;
}

void
pkg_sort_from(struct pkg_db *db, size_t from)
{
	size_t i, w = from, n = db->n - from;
	struct pkg_at *v = xcalloc(n + 1, sizeof(*v));
	size_t *to = xcalloc(n + 1, sizeof(*to));

	for (i = 0; i < n; i++) {
		v[i].p = db->v[from + i];
		v[i].was = i;
	}
	qsort(v, n, sizeof(*v), pkg_at_cmp);
	/* A database that lists a package twice: the first stays, and owns
	   the files of both. */
	for (i = 0; i < n; i++) {
		if (w > from && pkg_compare(&db->v[w - 1], &v[i].p) == 0) {
			db->v[w - 1].owns_dir |= v[i].p.owns_dir;
			pkg_release(&v[i].p);
			to[v[i].was] = w - 1;
			continue;
		}
		to[v[i].was] = w;
		db->v[w++] = v[i].p;
	}
	db->n = w;
	for (i = 0; i < db->nown; i++)
		if (db->own[i].pkg >= from)
			db->own[i].pkg = to[db->own[i].pkg - from];
	for (i = 0; i < db->ndirs; i++)
		if (db->dirs[i].pkg >= from)
			db->dirs[i].pkg = to[db->dirs[i].pkg - from];
	free(v);
	free(to);
}

/* Compare the first n bytes of s (a whole word) with the string t. */
static int
word_cmp(const char *s, size_t n, const char *t)
{
	int r = strncmp(s, t, n);

	if (r != 0)
		return r;
	return t[n] == '\0' ? 0 : -1;
}

long
pkg_find(const struct pkg_db *db, size_t from, const char *name,
    size_t namelen, const char *arch, size_t archlen)
{
	size_t lo = from, hi = db->n, mid;
	int r;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		r = word_cmp(name, namelen, db->v[mid].name);
		if (r < 0)
			hi = mid;
		else if (r > 0)
			lo = mid + 1;
		else {
			/* The first of that name, then the arch asked for. */
			while (mid > from && strlen(db->v[mid - 1].name) == namelen &&
			    strncmp(db->v[mid - 1].name, name, namelen) == 0)
				mid--;
			for (; mid < db->n && word_cmp(name, namelen,
			    db->v[mid].name) == 0; mid++)
				if (arch == NULL || word_cmp(arch, archlen,
				    db->v[mid].arch) == 0)
					return (long)mid;
			return -1;
		}
	}
	return -1;
}

void
pkg_own_add(struct pkg_db *db, size_t pkg, const char *path, size_t len,
    const char *digest)
{
	struct pkg_own *o;

	while (len > 0 && path[0] == '/') {
		path++;
		len--;
	}
	xgrow(&db->own, &db->owncap, db->nown + 1, sizeof(*db->own));
	o = &db->own[db->nown++];
	o->path = xstrndup(path, len);
	o->digest = digest != NULL ? xstrdup(digest) : NULL;
	o->pkg = pkg;
	o->dir = false;
}

void
pkg_dir_add(struct pkg_db *db, size_t pkg, const char *dir, size_t len)
{
	struct pkg_dir *d;

	while (len > 0 && dir[len - 1] == '/')
		len--;
	xgrow(&db->dirs, &db->dircap, db->ndirs + 1, sizeof(*db->dirs));
	d = &db->dirs[db->ndirs++];
	d->path = xstrndup(dir, len);
	d->pkg = pkg;
	db->v[pkg].owns_dir = true;
}

void
pkg_note(struct pkg_db *db, enum pkg_eco eco, const char *fmt, ...)
{
	struct sbuf sb = SBUF_INIT;
	va_list ap;

	if (db->nnotes[eco]++ >= PKG_NOTES_MAX)
		return;
	va_start(ap, fmt);
	sbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	db->notes[eco][db->nnotes[eco] - 1] = sbuf_detach(&sb);
}

void
pkg_unread(struct pkg_db *db, enum pkg_eco eco, const char *path,
    const char *fmt, ...)
{
	struct sbuf sb = SBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	pkg_note(db, eco, "%s: not read: %s", path, sbuf_str(&sb));
	if (db->nunread[eco] < PKG_UNREAD_MAX) {
		db->unread[eco][db->nunread[eco]][0] = xstrdup(path);
		db->unread[eco][db->nunread[eco]++][1] = sbuf_detach(&sb);
	}
	sbuf_release(&sb);
}

const char *
pkg_db_unread(const struct pkg_db *db, enum pkg_eco eco, size_t i,
    const char **why)
{
	if (db == NULL || (unsigned)eco >= PKG_NECO || i >= db->nunread[eco])
		return NULL;
	if (why != NULL)
		*why = db->unread[eco][i][1];
	return db->unread[eco][i][0];
}

const char *
pkg_db_note(const struct pkg_db *db, enum pkg_eco eco, size_t i)
{
	if (db == NULL || (unsigned)eco >= PKG_NECO || i > PKG_NOTES_MAX)
		return NULL;
	return db->notes[eco][i];
}

bool
pkg_path_join(struct sbuf *out, const char *dir, size_t dirlen,
    const char *rel, size_t rellen)
{
	const char *p = rel, *end = rel + rellen, *seg;
	size_t n, cut;

	sbuf_reset(out);
	if (rellen > 0 && rel[0] != '/')
		sbuf_add(out, dir, dirlen);
	while (p < end) {
		seg = p;
		while (p < end && *p != '/')
			p++;
		n = (size_t)(p - seg);
		if (p < end)
			p++;
		if (n == 0 || (n == 1 && seg[0] == '.'))
			continue;
		if (n == 2 && seg[0] == '.' && seg[1] == '.') {
			if (out->len == 0)
				return false;
			for (cut = out->len; cut > 0 && out->buf[cut - 1] != '/';
			    cut--)
				;
			out->len = cut > 0 ? cut - 1 : 0;
			out->buf[out->len] = '\0';
			continue;
		}
		if (out->len > 0)
			sbuf_addc(out, '/');
		sbuf_add(out, seg, n);
	}
	return out->len > 0;
}

bool
pkg_number(const char **p, const char *end, uint64_t *out)
{
	const char *s = *p;
	uint64_t v = 0;

	while (s < end && *s >= '0' && *s <= '9') {
		v = v > (UINT64_MAX - 9) / 10 ? UINT64_MAX : v * 10 +
		    (uint64_t)(*s - '0');
		s++;
	}
	if (s == *p)
		return false;
	*p = s;
	*out = v;
	return true;
}

bool
pkg_all_digits(const char *p, const char *end)
{
	for (; p < end; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

const char *
pkg_comp_start(const char *path, const char *end)
{
	while (end > path && end[-1] != '/')
		end--;
	return end;
}

bool
pkg_comp_is(const char *s, const char *end, const char *name)
{
	size_t n = strlen(name);

	return (size_t)(end - s) == n && memcmp(s, name, n) == 0;
}

static int
fold(int c, bool on)
{
	return on && c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* One identifier against another, both words or both numbers. */
static int
ident_cmp(const char *p, const char *pe, const char *q, const char *qe,
    bool num, bool on)
{
	uint64_t x = 0, y = 0;

	if (num) {
		(void)pkg_number(&p, pe, &x);
		(void)pkg_number(&q, qe, &y);
		return x < y ? -1 : x > y;
	}
	for (; p < pe && q < qe; p++, q++)
		if (fold((unsigned char)*p, on) != fold((unsigned char)*q, on))
			return fold((unsigned char)*p, on) <
			    fold((unsigned char)*q, on) ? -1 : 1;
	return p < pe ? 1 : q < qe ? -1 : 0;
}

int
pkg_idents_cmp(const char *p, size_t plen, const char *q, size_t qlen,
    const char *seps, bool numbers_first, bool on)
{
	const char *pe = p + plen, *qe = q + qlen, *ps, *qs;
	bool pn, qn;
	int r;

	while (p < pe && q < qe) {
		for (ps = p; ps < pe && strchr(seps, *ps) == NULL; ps++)
			;
		for (qs = q; qs < qe && strchr(seps, *qs) == NULL; qs++)
			;
		pn = ps > p && pkg_all_digits(p, ps);
		qn = qs > q && pkg_all_digits(q, qs);
		if (pn != qn)
			return pn == numbers_first ? -1 : 1;
		if ((r = ident_cmp(p, ps, q, qs, pn, on)) != 0)
			return r;
		p = ps < pe ? ps + 1 : ps;
		q = qs < qe ? qs + 1 : qs;
	}
	return p < pe ? 1 : q < qe ? -1 : 0;
}

static int
by_path_cmp(const void *a, const void *b)
{
	const struct pkg_input *const *x = a, *const *y = b;

	return strcmp((*x)->path, (*y)->path);
}

const struct pkg_input **
pkg_inputs_by_path(const struct pkg_input *in, size_t n)
{
	const struct pkg_input **v = xcalloc(n + 1, sizeof(*v));
	size_t i;

	for (i = 0; i < n; i++)
		v[i] = &in[i];
	qsort(v, n, sizeof(*v), by_path_cmp);
	return v;
}

static int
own_cmp(const void *pa, const void *pb)
{
	const struct pkg_own *a = pa, *b = pb;
	int r = strcmp(a->path, b->path);

	if (r != 0)
		return r;
	return a->pkg < b->pkg ? -1 : a->pkg > b->pkg;
}

/* @return whether an owned path lies below own[i]'s: it is a directory
   (dpkg's .list, rpm's file list name directories as they name files). */
static bool
has_below(const struct pkg_db *db, size_t i)
{
	const char *dir = db->own[i].path;
	size_t n = strlen(dir), lo = i + 1, hi = db->nown, mid;
	int r;

	/* The first path after dir + "/" in byte order. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		r = strncmp(db->own[mid].path, dir, n);
		if (r < 0 || (r == 0 && (unsigned char)db->own[mid].path[n] < '/'))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < db->nown && strncmp(db->own[lo].path, dir, n) == 0 &&
	    db->own[lo].path[n] == '/';
}

/* See pkg_db_finish().  A path listed twice for one package (its .list
   and its md5sums) is kept once, with the digest. */
static void
own_finish(struct pkg_db *db)
{
	size_t i, w = 0;

	if (db->nown > 1)
		qsort(db->own, db->nown, sizeof(*db->own), own_cmp);
	for (i = 0; i < db->nown; i++) {
		struct pkg_own *o = &db->own[i];
		struct pkg_own *last = w > 0 ? &db->own[w - 1] : NULL;

		if (last != NULL && strcmp(last->path, o->path) == 0 &&
		    last->pkg == o->pkg) {
			if (last->digest == NULL) {
				last->digest = o->digest;
				o->digest = NULL;
			}
			last->dir = last->dir || o->dir;
			free(o->path);
			free(o->digest);
			continue;
		}
		db->own[w++] = *o;
	}
	db->nown = w;
	for (i = 0; i < db->nown; i++) {
		if (!db->own[i].dir)
			db->own[i].dir = has_below(db, i);
		if (!db->own[i].dir)
			db->v[db->own[i].pkg].nfiles++;
	}
}

static int
dir_cmp(const void *pa, const void *pb)
{
	const struct pkg_dir *a = pa, *b = pb;
	int r = strcmp(a->path, b->path);

	return r != 0 ? r : a->pkg < b->pkg ? -1 : a->pkg > b->pkg;
}

/* Say how many notes were not kept. */
static void
notes_finish(struct pkg_db *db)
{
	size_t i;

	for (i = 0; i < PKG_NECO; i++)
		if (db->nnotes[i] > PKG_NOTES_MAX)
			db->notes[i][PKG_NOTES_MAX] = xstrfmt("and %zu more",
			    db->nnotes[i] - PKG_NOTES_MAX);
}

void
pkg_db_finish(struct pkg_db *db)
{
	own_finish(db);
	if (db->ndirs > 1)
		qsort(db->dirs, db->ndirs, sizeof(*db->dirs), dir_cmp);
	notes_finish(db);
}

/* Undo what a failed reader added past n packages, nown files and ndirs
   directories. */
static void
undo(struct pkg_db *db, size_t n, size_t nown, size_t ndirs)
{
	while (db->n > n)
		pkg_release(&db->v[--db->n]);
	while (db->nown > nown) {
		db->nown--;
		free(db->own[db->nown].path);
		free(db->own[db->nown].digest);
	}
	while (db->ndirs > ndirs)
		free(db->dirs[--db->ndirs].path);
}

/* Run one reader on the inputs of its ecosystem. */
static void
read_eco(struct pkg_db *db, const struct pkg_reader *rd,
    const struct pkg_input *in, size_t n)
{
	const struct pkg_input **mine = xcalloc(n + 1, sizeof(*mine));
	struct pkg_input *v = xcalloc(n + 1, sizeof(*v));
	size_t i, k = 0, n0 = db->n, own0 = db->nown, dirs0 = db->ndirs;
	struct err e = { 0 };
	bool bytes;

	for (i = 0; i < n; i++)
		if (in[i].scanned ? in[i].eco == rd->eco :
		    pkg_capture_match(in[i].path, &bytes) == (int)rd->eco)
			mine[k++] = &in[i];
	if (k == 0)
		goto out;
	db->present[rd->eco] = true;
	for (i = 0; i < k; i++) {
		/* One file too large is the reader's to name, when it reads
		   file by file; past the ecosystem's bound nothing is. */
		if (mine[i]->over && !(rd->each && mine[i]->file_over)) {
			db->problem[rd->eco] = xstrfmt("not read: over %u MiB",
			    PKG_DB_MAX >> 20);
			goto out;
		}
		v[i] = *mine[i];
	}
	if (rd->read == NULL)
		goto out;
	if (rd->read(db, v, k, &e) < 0) {
		undo(db, n0, own0, dirs0);
		/* ERR_UNSUPPORTED: a format known and not read, not a fault. */
		db->problem[rd->eco] = e.code == ERR_UNSUPPORTED ? xstrdup(e.msg) :
		    xstrfmt("unreadable: %s", e.msg);
	}
 out:
	free(mine);
	free(v);
}

struct pkg_db *
pkg_db_read(const struct pkg_input *in, size_t n)
{
	struct pkg_db *db = xcalloc(1, sizeof(*db));
	size_t i;

	for (i = 0; i < PKG_NECO; i++)
		read_eco(db, &readers[i], in, n);
	pkg_db_finish(db);
	return db;
}

struct pkg_db *
pkg_file_read(const char *path, const uint8_t *data, size_t len)
{
	struct pkg_db *db = xcalloc(1, sizeof(*db));
	struct pkg_input in = { path, data, len, false, false, true, 0 };
	const uint8_t *m;

	if (len > 0 && (m = memmem(data, len, pkg_go_mark,
	    sizeof(pkg_go_mark))) != NULL) {
		in.data = m;
		in.len = len - (size_t)(m - data);
		in.eco = PKG_GO;
	} else if (len >= 4 && memcmp(data, "PK\3\4", 4) == 0)
		in.eco = PKG_MAVEN;
	else if (pkg_cargo_section(data, len, &in.data, &in.len))
		in.eco = PKG_CARGO;
	else
		goto out;
	read_eco(db, &readers[in.eco], &in, 1);
 out:
	own_finish(db);
	notes_finish(db);
	return db;
}

void
pkg_db_free(struct pkg_db *db)
{
	size_t i, j;

	if (db == NULL)
		return;
	undo(db, 0, 0, 0);
	free(db->v);
	free(db->own);
	free(db->dirs);
	for (i = 0; i < PKG_NECO; i++) {
		free(db->problem[i]);
		for (j = 0; j <= PKG_NOTES_MAX; j++)
			free(db->notes[i][j]);
		for (j = 0; j < db->nunread[i]; j++) {
			free(db->unread[i][j][0]);
			free(db->unread[i][j][1]);
		}
	}
	free(db);
}

size_t
pkg_db_count(const struct pkg_db *db)
{
	return db != NULL ? db->n : 0;
}

const struct pkg *
pkg_db_get(const struct pkg_db *db, size_t i)
{
	return &db->v[i];
}

bool
pkg_db_present(const struct pkg_db *db, enum pkg_eco eco)
{
	return db != NULL && db->present[eco];
}

const char *
pkg_db_problem(const struct pkg_db *db, enum pkg_eco eco)
{
	return db != NULL ? db->problem[eco] : NULL;
}

/* @return the package owning the directory path[0..len) as a whole, or
   -1. */
static long
dir_owner(const struct pkg_db *db, const char *path, size_t len)
{
	size_t lo = 0, hi = db->ndirs, mid;
	int r;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		r = strncmp(path, db->dirs[mid].path, len);
		if (r == 0 && db->dirs[mid].path[len] != '\0')
			r = -1;
		if (r < 0)
			hi = mid;
		else if (r > 0)
			lo = mid + 1;
		else
			return (long)db->dirs[mid].pkg;
	}
	return -1;
}

/* The package whose list names path.  @return its index, or -1. */
static long
list_owner(const struct pkg_db *db, const char *path, const char **digest)
{
	size_t lo = 0, hi = db->nown, mid;
	int r;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		r = strcmp(path, db->own[mid].path);
		if (r < 0)
			hi = mid;
		else if (r > 0)
			lo = mid + 1;
		else {
			while (mid > 0 && strcmp(db->own[mid - 1].path, path) == 0)
				mid--;
			if (digest != NULL)
				*digest = db->own[mid].digest;
			return (long)db->own[mid].pkg;
		}
	}
	return -1;
}

long
pkg_db_owner(const struct pkg_db *db, const char *path, const char **digest)
{
	size_t len;
	long k;

	if (digest != NULL)
		*digest = NULL;
	if (db == NULL)
		return -1;
	if ((k = list_owner(db, path, digest)) >= 0)
		return k;
	/* The deepest directory owned above path. */
	for (len = strlen(path); len > 0 && db->ndirs > 0; len--)
		if (path[len - 1] == '/' && (k = dir_owner(db, path, len - 1)) >= 0)
			return k;
	return -1;
}
