/*
 * go.c - the build information a Go binary carries (module mode, Go 1.18
 * and later): the Go version, the main module, each dependency module
 * with its version and sum, the build settings; and semver 2.0.0, the
 * order of Go module and cargo crate versions.  The layout is Go's
 * debug/buildinfo: a 32-byte header opened by the mark, then two strings
 * each preceded by its length as an unsigned varint.
 */
#include <stdlib.h>
#include <string.h>

#include "pkg/pkg_int.h"

const uint8_t pkg_go_mark[14] = { 0xff, ' ', 'G', 'o', ' ', 'b', 'u', 'i',
	'l', 'd', 'i', 'n', 'f', ':' };

#define GO_HEADER	32
#define GO_FLAG_INLINE	2	/* strings follow the header (Go 1.18+) */
#define GO_SENTINEL	16	/* bytes around the module text */
#define GO_LINES_MAX	100000	/* dependencies and settings of one binary */

/* Read an unsigned varint at p[*i..n).  @return 0, or -1 when it runs
   past n or past 63 bits. */
static int
uvarint(const uint8_t *p, size_t n, size_t *i, uint64_t *v)
{
	unsigned shift = 0;

	*v = 0;
	while (*i < n && shift < 63) {
		uint8_t b = p[(*i)++];

		*v |= (uint64_t)(b & 0x7f) << shift;
		if ((b & 0x80) == 0)
			return 0;
		shift += 7;
	}
	return -1;
}

/* The string at p[*i..n): its varint length, then the bytes.  @return 0,
   or -1 when the length points past n. */
static int
go_string(const uint8_t *p, size_t n, size_t *i, const uint8_t **s,
    size_t *len)
{
	uint64_t v;

	if (uvarint(p, n, i, &v) < 0 || v > n - *i)
		return -1;
	*s = p + *i;
	*len = (size_t)v;
	*i += (size_t)v;
	return 0;
}

size_t
pkg_go_blob_len(const uint8_t *p, size_t n)
{
	const uint8_t *s;
	size_t i = GO_HEADER, len;

	if (n < GO_HEADER || (p[15] & GO_FLAG_INLINE) == 0 ||
	    go_string(p, n, &i, &s, &len) < 0 ||
	    go_string(p, n, &i, &s, &len) < 0)
		return n;
	return i;
}

static void
mod_release(struct pkg_go_mod *m)
{
	free(m->path);
	free(m->version);
	free(m->sum);
	free(m->replace);
	memset(m, 0, sizeof(*m));
}

void
pkg_go_info_release(struct pkg_go_info *gi)
{
	size_t i;

	free(gi->go);
	free(gi->path);
	mod_release(&gi->main);
	for (i = 0; i < gi->ndeps; i++)
		mod_release(&gi->deps[i]);
	free(gi->deps);
	for (i = 0; i < gi->nsettings; i++)
		free(gi->settings[i]);
	free(gi->settings);
	memset(gi, 0, sizeof(*gi));
}

/* The tab-separated field k (0-based) of line s[0..n), "" past the end. */
static char *
field(const char *s, size_t n, unsigned k)
{
	const char *end = s + n, *t;

	for (; k > 0; k--) {
		if ((t = memchr(s, '\t', (size_t)(end - s))) == NULL)
			return xstrdup("");
		s = t + 1;
	}
	t = memchr(s, '\t', (size_t)(end - s));
	return xstrndup(s, (size_t)((t != NULL ? t : end) - s));
}

static void
mod_set(struct pkg_go_mod *m, const char *s, size_t n)
{
	mod_release(m);
	m->path = field(s, n, 1);
	m->version = field(s, n, 2);
	m->sum = field(s, n, 3);
}

static int
dep_cmp(const void *x, const void *y)
{
	const struct pkg_go_mod *a = x, *b = y;

	return strcmp(a->path, b->path);
}

static int
str_cmp(const void *x, const void *y)
{
	const char *const *a = x, *const *b = y;
	size_t ka = strcspn(*a, "="), kb = strcspn(*b, "=");
	int r = strncmp(*a, *b, ka < kb ? ka : kb);

	return r != 0 ? r : ka < kb ? -1 : ka > kb;
}

/* One line of the module text ("dep\tpath\tversion\tsum"). */
static int
go_line(struct pkg_go_info *gi, const char *s, size_t n, size_t *cap,
    size_t *scap, struct err *e)
{
	const char *v;
	size_t vn;

	if (gi->ndeps + gi->nsettings >= GO_LINES_MAX)
		return err_set(e, ERR_LIMIT, "more than %u lines of build information",
		    GO_LINES_MAX);
	if (skip_prefix_n(s, n, "path\t", &v, &vn)) {
		free(gi->path);
		gi->path = xstrndup(v, vn);
	} else if (skip_prefix_n(s, n, "mod\t", &v, &vn))
		mod_set(&gi->main, s, n);
	else if (skip_prefix_n(s, n, "dep\t", &v, &vn)) {
		xgrow(&gi->deps, cap, gi->ndeps + 1, sizeof(*gi->deps));
		memset(&gi->deps[gi->ndeps], 0, sizeof(*gi->deps));
		mod_set(&gi->deps[gi->ndeps++], s, n);
	} else if (skip_prefix_n(s, n, "=>\t", &v, &vn)) {
		struct pkg_go_mod *m = gi->ndeps > 0 ? &gi->deps[gi->ndeps - 1] :
		    &gi->main;

		free(m->replace);
		m->replace = xstrndup(v, vn);
	} else if (skip_prefix_n(s, n, "build\t", &v, &vn)) {
		xgrow(&gi->settings, scap, gi->nsettings + 1, sizeof(*gi->settings));
		gi->settings[gi->nsettings++] = xstrndup(v, vn);
	} else if (skip_prefix_n(s, n, "go\t", &v, &vn) && gi->go == NULL)
		gi->go = xstrndup(v, vn);
	return 0;
}

int
pkg_go_info_parse(const uint8_t *p, size_t n, struct pkg_go_info *gi,
    struct err *e)
{
	const uint8_t *vers, *mod;
	size_t i = GO_HEADER, vn, mn, cap = 0, scap = 0;
	struct pkg_lines l;
	const char *s;
	size_t sn;
	int r;

	memset(gi, 0, sizeof(*gi));
	if (n < GO_HEADER || memcmp(p, pkg_go_mark, sizeof(pkg_go_mark)) != 0)
		return err_set(e, ERR_FORMAT, "no Go build information");
	if ((p[15] & GO_FLAG_INLINE) == 0)
		return err_set(e, ERR_UNSUPPORTED, "Go build information in the "
		    "pointer format (before Go 1.18): not read");
	if (go_string(p, n, &i, &vers, &vn) < 0 ||
	    go_string(p, n, &i, &mod, &mn) < 0)
		return err_set(e, ERR_FORMAT, "Go build information: a length "
		    "points past the end (%zu bytes kept)", n);
	gi->go = xstrndup((const char *)vers, vn);
	/* The module text sits between two 16-byte sentinels; a binary not
	   built in module mode has none: its Go version is all it says. */
	if (mn < 2 * GO_SENTINEL + 1 || mod[mn - GO_SENTINEL - 1] != '\n')
		goto done;
	l.p = (const char *)mod + GO_SENTINEL;
	l.end = (const char *)mod + mn - GO_SENTINEL;
	l.lineno = 0;
	while ((r = pkg_next_line(&l, &s, &sn, e)) > 0)
		if ((r = go_line(gi, s, sn, &cap, &scap, e)) < 0)
			return r;
	if (r < 0)
		return r;
	if (gi->ndeps > 1)
		qsort(gi->deps, gi->ndeps, sizeof(*gi->deps), dep_cmp);
	if (gi->nsettings > 1)
		qsort(gi->settings, gi->nsettings, sizeof(*gi->settings), str_cmp);
 done:
	/* The Go toolchain's own commands (path cmd/go) have no main
	   module: "" then. */
	if (gi->main.path == NULL)
		mod_set(&gi->main, "", 0);
	return 0;
}

/* The version a module is built at: its replacement's when it has one. */
static const char *
mod_version(const struct pkg_go_mod *m, char **own)
{
	const char *sp;

	*own = NULL;
	if (m->replace == NULL)
		return m->version;
	/* "=> path version sum": a local directory has no version. */
	*own = field(m->replace, strlen(m->replace), 1);
	if ((*own)[0] != '\0')
		return *own;
	sp = m->replace;
	free(*own);
	*own = xstrfmt("%s (replaced by %s)", m->version, sp);
	return *own;
}

static int
add_mod(struct pkg_db *db, const struct pkg_go_mod *m, const char *where,
    long *idx, struct err *e)
{
	char *own;
	const char *v = mod_version(m, &own);
	long i = pkg_add(db, PKG_GO, m->path, strlen(m->path), NULL, 0, v,
	    strlen(v), e);

	free(own);
	if (i < 0)
		return (int)i;
	pkg_set_where(db, (size_t)i, where, strlen(where));
	if (idx != NULL)
		*idx = i;
	return 0;
}

int
pkg_go_read(struct pkg_db *db, const struct pkg_input *in, size_t n,
    struct err *e)
{
	struct pkg_go_info gi;
	size_t i, k;
	long main_idx = -1, st;
	int r;

	for (k = 0; k < n; k++) {
		struct err pe = { 0 };

		if (in[k].over) {
			pkg_unread(db, PKG_GO, in[k].path, "over %u MiB",
			    PKG_DB_MAX >> 20);
			continue;
		}
		/* One that does not parse is a note; the others are read. */
		if (pkg_go_info_parse(in[k].data, in[k].len, &gi, &pe) < 0) {
			pkg_note(db, PKG_GO, "%s: %s%s", in[k].path, pe.code ==
			    ERR_UNSUPPORTED ? "" : "unreadable: ", pe.msg);
			pkg_go_info_release(&gi);
			continue;
		}
		main_idx = -1;
		if (gi.main.path[0] != '\0' &&
		    (r = add_mod(db, &gi.main, in[k].path, &main_idx, e)) < 0)
			goto out;
		/* The standard library moves with the toolchain. */
		if ((st = pkg_add(db, PKG_GO, "stdlib", 6, NULL, 0, gi.go,
		    strlen(gi.go), e)) < 0) {
			r = (int)st;
			goto out;
		}
		pkg_set_where(db, (size_t)st, in[k].path, strlen(in[k].path));
		if (main_idx < 0)
			main_idx = st;
		for (i = 0; i < gi.ndeps; i++)
			if ((r = add_mod(db, &gi.deps[i], in[k].path, NULL, e)) < 0)
				goto out;
		/* The binary is its main module's file (the standard
		   library's, for a command of the toolchain). */
		pkg_own_add(db, (size_t)main_idx, in[k].path, strlen(in[k].path),
		    NULL);
		pkg_go_info_release(&gi);
	}
	return 0;
 out:
	pkg_go_info_release(&gi);
	return r;
}

/* ---- semver 2.0.0 ------------------------------------------------------------ */

/* A version split: the three numbers (missing ones 0) and the prerelease
   ("" when none); build metadata ("+incompatible") left out. */
struct semver {
	unsigned long long num[3];
	const char *pre;
	size_t prelen;
};

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* @return whether s is a version: "v1.2.3-rc.1+meta", "go1.21.6",
   "go1.21rc2" (Go's own prereleases follow the numbers). */
static bool
semver_parse(const char *s, struct semver *v)
{
	const char *t;
	unsigned k;

	memset(v, 0, sizeof(*v));
	if (!skip_prefix(s, "go", &t) && !skip_prefix(s, "v", &t))
		t = s;
	for (k = 0; k < 3; k++) {
		if (!is_digit(*t))
			return false;
		while (is_digit(*t)) {
			if (v->num[k] > (~0ULL - 9) / 10)
				return false;
			v->num[k] = v->num[k] * 10 + (unsigned long long)(*t++ - '0');
		}
		if (*t != '.')
			break;
		t++;
	}
	if (*t == '-')
		t++;
	v->pre = t;
	v->prelen = strcspn(t, "+");
	return true;
}

/* Compare one dot-separated prerelease identifier of each. */
static int
ident_cmp(const char *a, size_t na, const char *b, size_t nb)
{
	size_t i;
	bool da = na > 0, db = nb > 0;
	int r;

	for (i = 0; i < na; i++)
		da = da && is_digit(a[i]);
	for (i = 0; i < nb; i++)
		db = db && is_digit(b[i]);
	if (da && db) {
		/* Numbers by value: a longer one (no leading zeros) is larger. */
		while (na > 1 && *a == '0')
			a++, na--;
		while (nb > 1 && *b == '0')
			b++, nb--;
		if (na != nb)
			return na < nb ? -1 : 1;
		return memcmp(a, b, na);
	}
	if (da != db)
		return da ? -1 : 1;
	r = memcmp(a, b, na < nb ? na : nb);
	return r != 0 ? r : na < nb ? -1 : na > nb;
}

static int
pre_cmp(const struct semver *a, const struct semver *b)
{
	const char *pa = a->pre, *pb = b->pre;
	const char *ea = pa + a->prelen, *eb = pb + b->prelen;
	size_t na, nb;
	int r;

	if (a->prelen == 0 || b->prelen == 0)
		return a->prelen == b->prelen ? 0 : a->prelen == 0 ? 1 : -1;
	for (;;) {
		if (pa >= ea || pb >= eb)
			return pa >= ea && pb >= eb ? 0 : pa >= ea ? -1 : 1;
		na = (size_t)((memchr(pa, '.', (size_t)(ea - pa)) != NULL ?
		    (const char *)memchr(pa, '.', (size_t)(ea - pa)) : ea) - pa);
		nb = (size_t)((memchr(pb, '.', (size_t)(eb - pb)) != NULL ?
		    (const char *)memchr(pb, '.', (size_t)(eb - pb)) : eb) - pb);
		if ((r = ident_cmp(pa, na, pb, nb)) != 0)
			return r < 0 ? -1 : 1;
		pa += na + (pa + na < ea);
		pb += nb + (pb + nb < eb);
	}
}

int
pkg_semver_cmp(const char *a, const char *b)
{
	struct semver x, y;
	bool px = semver_parse(a, &x), py = semver_parse(b, &y);
	unsigned k;

	/* What is not a version sorts before every version, by bytes. */
	if (!px || !py)
		return px != py ? (px ? 1 : -1) : strcmp(a, b);
	for (k = 0; k < 3; k++)
		if (x.num[k] != y.num[k])
			return x.num[k] < y.num[k] ? -1 : 1;
	return pre_cmp(&x, &y);
}
