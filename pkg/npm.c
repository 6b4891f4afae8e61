/*
 * npm.c - Node's installed packages: every package.json at the top of a
 * package directory under node_modules (node_modules/NAME,
 * node_modules/@SCOPE/NAME, and nested copies node_modules/a/node_modules/b,
 * each its own package named by its path), owning its directory; the
 * lockfile of an application (package-lock.json, npm-shrinkwrap.json
 * outside node_modules), checked against the tree installed beside it;
 * and semver 2.0's version ordering, as npm's semver compares.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "pkg/pkg_int.h"

/* ---- version ordering (semver 2.0) ----------------------------------------- */

struct semver {
	bool valid;
	uint64_t v[3];
	const char *pre;	/* after "-", NULL when none */
	size_t pre_len;
};

static bool
s_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool
s_ident(int c)
{
	return s_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    c == '-';
}

/* "1.2.3", "v1.2.3-rc.1+build.5" (npm's loose leading "v" and "="). */
static void
semver_parse(const char *s, struct semver *v)
{
	const char *p = s, *end = s + strlen(s);
	int i;

	memset(v, 0, sizeof(*v));
	while (p < end && (*p == ' ' || *p == '=' || *p == 'v'))
		p++;
	while (end > p && end[-1] == ' ')
		end--;
	for (i = 0; i < 3; i++) {
		if (i > 0 && (p >= end || *p++ != '.'))
			return;
		if (!pkg_number(&p, end, &v->v[i]))
			return;
	}
	if (p < end && *p == '-') {
		v->pre = ++p;
		while (p < end && (s_ident(*p) || *p == '.'))
			p++;
		v->pre_len = (size_t)(p - v->pre);
		if (v->pre_len == 0)
			return;
	}
	if (p < end && *p == '+') {
		for (p++; p < end && (s_ident(*p) || *p == '.'); p++)
			;
	}
	v->valid = p == end;
}

static int
u64_order(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

int
pkg_npm_vercmp(const char *a, const char *b)
{
	struct semver x, y;
	int i, r;

	semver_parse(a, &x);
	semver_parse(b, &y);
	/* Not semver (a tag, a URL): before every valid one, by bytes among
	   themselves. */
	if (!x.valid || !y.valid)
		return x.valid != y.valid ? (x.valid ? 1 : -1) : strcmp(a, b);
	for (i = 0; i < 3; i++)
		if ((r = u64_order(x.v[i], y.v[i])) != 0)
			return r;
	/* a release after its pre-releases; build metadata does not count */
	if (x.pre == NULL || y.pre == NULL)
		return x.pre == NULL ? (y.pre == NULL ? 0 : 1) : -1;
	/* pre-release identifiers: numbers before words, words by bytes */
	return pkg_idents_cmp(x.pre, x.pre_len, y.pre, y.pre_len, ".", true,
	    false);
}

/* ---- which files ----------------------------------------------------------- */

/* Is dir[0..len) a package directory: node_modules/NAME or
   node_modules/@SCOPE/NAME? */
static bool
package_dir(const char *dir, size_t len)
{
	const char *end = dir + len, *name = pkg_comp_start(dir, end), *up;

	if (name == dir || name == end || name[0] == '.' || name[0] == '@')
		return false;
	up = pkg_comp_start(dir, name - 1);
	if (up[0] == '@' && up != dir && up + 1 < name - 1)
		up = pkg_comp_start(dir, (name = up) - 1);
	return pkg_comp_is(up, name - 1, "node_modules");
}

/* Does path lie under a node_modules directory? */
static bool
in_node_modules(const char *path)
{
	const char *p = path;

	while ((p = strstr(p, "node_modules/")) != NULL) {
		if (p == path || p[-1] == '/')
			return true;
		p++;
	}
	return false;
}

int
pkg_npm_match(const char *path, const char *base, bool *bytes)
{
	if (strcmp(base, "package.json") == 0) {
		if (base == path || !package_dir(path, (size_t)(base - 1 - path)))
			return -1;
	} else if (strcmp(base, "package-lock.json") == 0 ||
	    strcmp(base, "npm-shrinkwrap.json") == 0) {
		if (in_node_modules(path))
			return -1;
	} else
		return -1;
	*bytes = true;
	return PKG_NPM;
}

/* ---- reading --------------------------------------------------------------- */

static json_t *
load(struct pkg_db *db, const struct pkg_input *in)
{
	json_error_t je;
	json_t *j;

	if (in->over) {
		pkg_unread(db, PKG_NPM, in->path, "over %u MiB",
		    PKG_FILE_MAX >> 20);
		return NULL;
	}
	if ((j = json_loadb((const char *)in->data, in->len, JSON_REJECT_DUPLICATES,
	    &je)) == NULL) {
		pkg_note(db, PKG_NPM, "%s: not JSON: line %d: %s", in->path,
		    je.line, je.text);
		return NULL;
	}
	return j;
}

static const char *
str_of(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* One package.json: a package when it names itself and its version. */
static int
read_package(struct pkg_db *db, const struct pkg_input *in, struct err *e)
{
	json_t *j = load(db, in);
	const char *name, *ver;
	size_t dirlen = strlen(in->path) - strlen("/package.json");
	long k;
	int rc = 0;

	if (j == NULL)
		return 0;
	name = str_of(j, "name");
	ver = str_of(j, "version");
	if (name != NULL && ver != NULL && name[0] != '\0') {
		if ((k = pkg_add(db, PKG_NPM, name, strlen(name), NULL, 0, ver,
		    strlen(ver), e)) < 0)
			rc = (int)k;
		else {
			pkg_set_where(db, (size_t)k, in->path, dirlen);
			pkg_dir_add(db, (size_t)k, in->path, dirlen);
		}
	}
	json_decref(j);
	return rc;
}

/* The installed tree, by where, to check lockfiles against. */
struct tree {
	const struct pkg **v;
	size_t n;
};

static int
tree_cmp(const void *a, const void *b)
{
	return strcmp((*(const struct pkg *const *)a)->where,
	    (*(const struct pkg *const *)b)->where);
}

static const struct pkg *
tree_find(const struct tree *t, const char *where)
{
	size_t lo = 0, hi = t->n, mid;
	int r;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		r = strcmp(where, t->v[mid]->where);
		if (r == 0)
			return t->v[mid];
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* What a lockfile says of one package directory (rel, from the app). */
static void
check_locked(struct pkg_db *db, const struct tree *t, const char *lock,
    const char *app, size_t applen, const char *rel, const json_t *ent,
    size_t *locked)
{
	const char *ver = str_of(ent, "version");
	const struct pkg *p;
	char *where;

	if (ver == NULL || json_is_true(json_object_get(ent, "link")))
		return;
	(*locked)++;
	where = xstrfmt("%.*s%s%s", (int)applen, app, applen > 0 ? "/" : "", rel);
	p = tree_find(t, where);
	if (p != NULL && strcmp(p->version, ver) != 0)
		pkg_note(db, PKG_NPM, "%s and the installed tree disagree: %s "
		    "locked at %s, installed %s", lock, rel, ver, p->version);
	/* what a production install leaves out is no disagreement */
	else if (p == NULL && !json_is_true(json_object_get(ent, "dev")) &&
	    !json_is_true(json_object_get(ent, "optional")) &&
	    !json_is_true(json_object_get(ent, "devOptional")) &&
	    !json_is_true(json_object_get(ent, "peer")))
		pkg_note(db, PKG_NPM, "%s and the installed tree disagree: %s "
		    "locked at %s, not installed", lock, rel, ver);
	free(where);
}

/* lockfileVersion 1: "dependencies", nested as the tree is. */
static void
check_v1(struct pkg_db *db, const struct tree *t, const char *lock,
    const char *app, size_t applen, const char *prefix, json_t *deps,
    size_t *locked)
{
	const char *name;
	json_t *ent;
	char *rel;

	json_object_foreach(deps, name, ent) {
		if (!json_is_object(ent))
			continue;
		rel = xstrfmt("%snode_modules/%s", prefix, name);
		check_locked(db, t, lock, app, applen, rel, ent, locked);
		if (json_is_object(json_object_get(ent, "dependencies"))) {
			char *sub = xstrfmt("%s/", rel);

			check_v1(db, t, lock, app, applen, sub,
			    json_object_get(ent, "dependencies"), locked);
			free(sub);
		}
		free(rel);
	}
}

/* @return where (a package's directory) from the app directory when it
   lies in app's node_modules, else NULL. */
static const char *
rel_in_app(const char *where, const char *app, size_t applen)
{
	if (applen > 0) {
		if (strncmp(where, app, applen) != 0 || where[applen] != '/')
			return NULL;
		where += applen + 1;
	}
	return starts_with(where, "node_modules/") ? where : NULL;
}

/* Installed under app/node_modules and not in the lockfile. */
static void
check_extraneous(struct pkg_db *db, const struct tree *t, const char *lock,
    const char *app, size_t applen, json_t *root, bool v1)
{
	const char *rel;
	size_t i;
	json_t *at;
	char *key, *dot;

	for (i = 0; i < t->n; i++) {
		if ((rel = rel_in_app(t->v[i]->where, app, applen)) == NULL)
			continue;
		if (!v1) {
			if (json_object_get(json_object_get(root, "packages"), rel) ==
			    NULL)
				pkg_note(db, PKG_NPM, "%s and the installed tree "
				    "disagree: %s installed at %s, not locked", lock, rel,
				    t->v[i]->version);
			continue;
		}
		/* v1: walk "dependencies" down the nested node_modules */
		key = xstrdup(rel);
		at = root;
		for (dot = key; at != NULL && dot != NULL; ) {
			char *name = dot + strlen("node_modules/"), *next;

			next = strstr(name, "/node_modules/");
			if (next != NULL)
				*next = '\0';
			at = json_object_get(json_object_get(at, "dependencies"), name);
			dot = next != NULL ? next + 1 : NULL;
		}
		if (at == NULL)
			pkg_note(db, PKG_NPM, "%s and the installed tree disagree: "
			    "%s installed at %s, not locked", lock, rel,
			    t->v[i]->version);
		free(key);
	}
}

/* One lockfile, against the tree installed beside it (if any is). */
static void
read_lock(struct pkg_db *db, const struct tree *t, const struct pkg_input *in)
{
	const char *base = strrchr(in->path, '/');
	size_t applen = base != NULL ? (size_t)(base - in->path) : 0;
	json_t *j, *pkgs, *ent;
	const char *rel;
	size_t locked = 0, i;
	bool installed = false;

	for (i = 0; i < t->n && !installed; i++)
		installed = rel_in_app(t->v[i]->where, in->path, applen) != NULL;
	if (!installed || (j = load(db, in)) == NULL)
		return;
	pkgs = json_object_get(j, "packages");
	if (json_is_object(pkgs)) {
		json_object_foreach(pkgs, rel, ent)
			if (starts_with(rel, "node_modules/") && json_is_object(ent))
				check_locked(db, t, in->path, in->path, applen, rel, ent,
				    &locked);
		check_extraneous(db, t, in->path, in->path, applen, j, false);
	} else if (json_is_object(json_object_get(j, "dependencies"))) {
		check_v1(db, t, in->path, in->path, applen, "",
		    json_object_get(j, "dependencies"), &locked);
		check_extraneous(db, t, in->path, in->path, applen, j, true);
	}
	json_decref(j);
}

int
pkg_npm_read(struct pkg_db *db, const struct pkg_input *in, size_t n,
    struct err *e)
{
	const struct pkg_input **v = pkg_inputs_by_path(in, n);
	struct tree t = { NULL, 0 };
	size_t i, from = db->n;
	const char *base;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		base = strrchr(v[i]->path, '/');
		if (strcmp(base != NULL ? base + 1 : v[i]->path, "package.json") == 0)
			rc = read_package(db, v[i], e);
	}
	if (rc == 0) {
		pkg_sort_from(db, from);
		t.v = xcalloc(db->n - from + 1, sizeof(*t.v));
		for (i = from; i < db->n; i++)
			t.v[t.n++] = &db->v[i];
		qsort(t.v, t.n, sizeof(*t.v), tree_cmp);
		for (i = 0; i < n; i++) {
			base = strrchr(v[i]->path, '/');
			if (strcmp(base != NULL ? base + 1 : v[i]->path,
			    "package.json") != 0)
				read_lock(db, &t, v[i]);
		}
	}
	free(t.v);
	free(v);
	return rc;
}
