/*
 * gem.c - Ruby's installed gems: HOME/specifications/FULLNAME.gemspec (and
 * specifications/default/ for the gems Ruby ships), FULLNAME being
 * NAME-VERSION or NAME-VERSION-PLATFORM; the name and version from the
 * spec's `s.name = "..."` and `s.version = "..."` lines (never run), the
 * file name when the spec says none; the gem owns HOME/gems/FULLNAME; and
 * Gem::Version's ordering.
 */
#include <stdlib.h>
#include <string.h>

#include "pkg/pkg_int.h"

/* ---- version ordering (Gem::Version#<=>) ----------------------------------- */

/* One segment: a number, or a run of letters. */
struct gem_seg {
	bool str;
	uint64_t n;
	const char *s;
	size_t len;
};

static bool
g_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool
g_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Gem::Version's pattern: digits, then ".[0-9a-zA-Z]+" parts, then an
   optional "-" part list; surrounding blanks allowed. */
static bool
gem_valid(const char *p, const char *end)
{
	bool dash = false;

	if (p == end)
		return true;	/* "" is version 0 */
	if (!g_digit(*p))
		return false;
	while (p < end && g_digit(*p))
		p++;
	while (p < end) {
		if (*p == '.' || (*p == '-' && !dash)) {
			dash = dash || *p == '-';
			p++;
			if (p == end || !(g_digit(*p) || g_alpha(*p) ||
			    (dash && *p == '-')))
				return false;
		} else if (g_digit(*p) || g_alpha(*p) || (dash && *p == '-'))
			p++;
		else
			return false;
	}
	return true;
}

/* The segments of a version ("1.0-rc1" is "1.0.pre.rc1": a "-" starts a
   "pre" segment), into *v (caller frees). */
static size_t
gem_segments(const char *p, const char *end, struct gem_seg **v)
{
	size_t n = 0, cap = 0;
	struct gem_seg *s;
	const char *q;

	*v = NULL;
	while (p < end) {
		if (!g_digit(*p) && !g_alpha(*p) && *p != '-') {
			p++;
			continue;
		}
		xgrow(v, &cap, n + 1, sizeof(**v));
		s = &(*v)[n++];
		memset(s, 0, sizeof(*s));
		if (*p == '-') {
			s->str = true;
			s->s = "pre";
			s->len = 3;
			p++;
		} else if (g_digit(*p)) {
			for (; p < end && g_digit(*p); p++)
				s->n = s->n > (UINT64_MAX - 9) / 10 ? UINT64_MAX :
				    s->n * 10 + (uint64_t)(*p - '0');
		} else {
			for (q = p; p < end && g_alpha(*p); p++)
				;
			s->str = true;
			s->s = q;
			s->len = (size_t)(p - q);
		}
	}
	return n;
}

static bool
seg_zero(const struct gem_seg *s)
{
	return !s->str && s->n == 0;
}

/* canonical_segments: the numbers before the first word and the rest,
   each without its trailing zeros.  @return the new count. */
static size_t
gem_canonical(struct gem_seg *v, size_t n)
{
	size_t first = 0, end, w, i;

	while (first < n && !v[first].str)
		first++;
	end = first;
	while (end > 0 && seg_zero(&v[end - 1]))
		end--;
	w = end;
	for (i = first; i < n; i++)
		v[w++] = v[i];
	while (w > end && w > 0 && seg_zero(&v[w - 1]))
		w--;
	return w;
}

static int
seg_cmp(const struct gem_seg *a, const struct gem_seg *b)
{
	size_t n;
	int r;

	if (a->str != b->str)
		return a->str ? -1 : 1;
	if (!a->str)
		return a->n < b->n ? -1 : a->n > b->n;
	n = a->len < b->len ? a->len : b->len;
	if (n > 0 && (r = memcmp(a->s, b->s, n)) != 0)
		return r < 0 ? -1 : 1;
	return a->len < b->len ? -1 : a->len > b->len;
}

/* Blanks around a version do not count. */
static void
trim(const char **p, const char **end)
{
	while (*p < *end && (**p == ' ' || **p == '\t' || **p == '\n'))
		(*p)++;
	while (*end > *p && ((*end)[-1] == ' ' || (*end)[-1] == '\t' ||
	    (*end)[-1] == '\n'))
		(*end)--;
}

int
pkg_gem_vercmp(const char *a, const char *b)
{
	const char *ap = a, *ae = a + strlen(a), *bp = b, *be = b + strlen(b);
	static const struct gem_seg zero = { false, 0, NULL, 0 };
	struct gem_seg *x, *y;
	size_t nx, ny, i;
	bool vx, vy;
	int r = 0;

	trim(&ap, &ae);
	trim(&bp, &be);
	vx = gem_valid(ap, ae);
	vy = gem_valid(bp, be);
	/* Gem::Version refuses these: before every valid one, by bytes
	   among themselves. */
	if (!vx || !vy)
		return vx != vy ? (vx ? 1 : -1) : strcmp(a, b);
	nx = gem_segments(ap, ae, &x);
	nx = gem_canonical(x, nx);
	ny = gem_segments(bp, be, &y);
	ny = gem_canonical(y, ny);
	for (i = 0; i < nx || i < ny; i++)
		if ((r = seg_cmp(i < nx ? &x[i] : &zero, i < ny ? &y[i] : &zero)) != 0)
			break;
	free(x);
	free(y);
	return r;
}

/* ---- which files ----------------------------------------------------------- */

/* The gem home of a spec path (HOME/specifications[/default]/X.gemspec):
   its length, and whether the spec is a default gem's; false when the
   path is no spec. */
static bool
gem_home(const char *path, const char *base, size_t *len, bool *deflt)
{
	const char *end, *c;

	if (base == path)
		return false;
	end = base - 1;
	c = pkg_comp_start(path, end);
	*deflt = pkg_comp_is(c, end, "default");
	if (*deflt) {
		if (c == path)
			return false;
		end = c - 1;
		c = pkg_comp_start(path, end);
	}
	if (!pkg_comp_is(c, end, "specifications"))
		return false;
	*len = c > path ? (size_t)(c - 1 - path) : 0;
	return true;
}

int
pkg_gem_match(const char *path, const char *base, bool *bytes)
{
	size_t n = strlen(base), len;
	bool deflt;

	if (n <= 8 || memcmp(base + n - 8, ".gemspec", 8) != 0 ||
	    !gem_home(path, base, &len, &deflt))
		return -1;
	*bytes = true;
	return PKG_GEM;
}

/* ---- reading --------------------------------------------------------------- */

/*
 * The string assigned by a line "X.key = VALUE" where VALUE is "..." or
 * '...' (maybe .freeze), %q{...}, or Gem::Version.new("...").  @return
 * whether the line is one.
 */
static bool
spec_assign(const char *s, size_t n, const char *key, const char **v,
    size_t *vn)
{
	static const char gvn[] = "Gem::Version.new(";
	const char *p = s, *end = s + n, *q;
	size_t k = strlen(key);
	char close;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (p < end && (g_alpha(*p) || g_digit(*p) || *p == '_'))
		p++;
	if (p == s || p >= end || *p++ != '.' || (size_t)(end - p) < k ||
	    memcmp(p, key, k) != 0)
		return false;
	p += k;
	while (p < end && *p == ' ')
		p++;
	if (p >= end || *p++ != '=')
		return false;
	while (p < end && *p == ' ')
		p++;
	if ((size_t)(end - p) > sizeof(gvn) - 1 &&
	    memcmp(p, gvn, sizeof(gvn) - 1) == 0)
		p += sizeof(gvn) - 1;
	if (end - p >= 3 && p[0] == '%' && p[1] == 'q') {
		p += 2;
		close = *p == '{' ? '}' : *p == '(' ? ')' : *p == '[' ? ']' : *p;
	} else if (p < end && (*p == '"' || *p == '\''))
		close = *p;
	else
		return false;
	q = ++p;
	while (p < end && *p != close)
		p++;
	if (p >= end)
		return false;
	*v = q;
	*vn = (size_t)(p - q);
	return true;
}

/* Name and version: the spec's, else the file name's; platform from the
   file name (what follows the version). */
static int
read_spec(struct pkg_db *db, const struct pkg_input *in, struct err *e)
{
	struct pkg_lines l = { (const char *)in->data,
	    (const char *)in->data + in->len, 0 };
	const char *slash = strrchr(in->path, '/');
	const char *base = slash != NULL ? slash + 1 : in->path, *s, *v;
	const char *name = NULL, *ver = NULL, *plat = "", *dash, *full_end;
	size_t n, vn, nlen = 0, verlen = 0, platlen = 0, home = 0;
	struct err pe = { 0 };
	char *dir;
	bool deflt;
	long k;
	int r;

	if (in->over) {
		pkg_unread(db, PKG_GEM, in->path, "over %u MiB",
		    PKG_FILE_MAX >> 20);
		return 0;
	}
	while ((r = pkg_next_line(&l, &s, &n, &pe)) > 0) {
		if (name == NULL && spec_assign(s, n, "name", &v, &vn)) {
			name = v;
			nlen = vn;
		} else if (ver == NULL && spec_assign(s, n, "version", &v, &vn)) {
			ver = v;
			verlen = vn;
		}
	}
	if (r < 0) {
		pkg_note(db, PKG_GEM, "%s: unreadable: %s", in->path, pe.msg);
		return 0;
	}
	full_end = base + strlen(base) - 8;
	/* the file name: the version is the last "-" part to start with a
	   digit (a name may hold "-", a version never does) */
	for (dash = NULL, s = base; s < full_end; s++)
		if (*s == '-' && s + 1 < full_end && g_digit(s[1]))
			dash = s;
	if (name == NULL && dash != NULL) {
		name = base;
		nlen = (size_t)(dash - base);
	}
	if (ver == NULL && dash != NULL) {
		ver = dash + 1;
		for (verlen = 0; ver + verlen < full_end && ver[verlen] != '-';
		    verlen++)
			;
	}
	if (name == NULL || ver == NULL) {
		pkg_note(db, PKG_GEM, "%s: unreadable: no name or version",
		    in->path);
		return 0;
	}
	/* NAME-VERSION-PLATFORM: what follows the version is the platform */
	if (dash != NULL) {
		for (s = dash + 1; s < full_end && *s != '-'; s++)
			;
		if (s < full_end) {
			plat = s + 1;
			platlen = (size_t)(full_end - plat);
		}
	}
	if ((k = pkg_add(db, PKG_GEM, name, nlen, plat, platlen, ver, verlen,
	    e)) < 0)
		return (int)k;
	/* a spec outside a gem home (no specifications/ above it) has its
	   home at the root and is no default gem */
	if (!gem_home(in->path, base, &home, &deflt)) {
		home = 0;
		deflt = false;
	}
	pkg_set_where(db, (size_t)k, in->path, home);
	pkg_own_add(db, (size_t)k, in->path, strlen(in->path), NULL);
	/* a default gem's files are Ruby's own, under its lib directory */
	if (!deflt) {
		dir = xstrfmt("%.*s%sgems/%.*s", (int)home, in->path,
		    home > 0 ? "/" : "", (int)(full_end - base), base);
		pkg_dir_add(db, (size_t)k, dir, strlen(dir));
		free(dir);
	}
	return 0;
}

int
pkg_gem_read(struct pkg_db *db, const struct pkg_input *in, size_t n,
    struct err *e)
{
	size_t i, from = db->n;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i++)
		rc = read_spec(db, &in[i], e);
	if (rc == 0)
		pkg_sort_from(db, from);
	return rc;
}
