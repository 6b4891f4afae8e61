/*
 * dpkg.c - Debian's package database: var/lib/dpkg/status (or, in
 * distroless images, one stanza file per package under status.d/), the
 * files each package owns (info/NAME[:ARCH].list) and the MD5 of each
 * (info/NAME[:ARCH].md5sums, and the Conffiles field), and dpkg's
 * version ordering.
 */
#include <stdlib.h>
#include <string.h>

#include "pkg/pkg_int.h"

#define DPKG_DIR	"var/lib/dpkg/"

/* ---- version ordering, as dpkg's lib/dpkg/version.c ---------------------- */

static bool
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool
is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Letters sort before other characters, and '~' before everything, even
   the end of the part. */
static int
order(int c)
{
	if (is_digit(c))
		return 0;
	if (is_alpha(c))
		return c;
	if (c == '~')
		return -1;
	if (c != 0)
		return c + 256;
	return 0;
}

/* Compare a[0..an) with b[0..bn): non-digit runs by order(), digit runs
   numerically. */
static int
verrevcmp(const char *a, const char *ae, const char *b, const char *be)
{
#define CH(p, e)	((p) < (e) ? (unsigned char)*(p) : 0)
	while (a < ae || b < be) {
		int first_diff = 0;

		while ((a < ae && !is_digit(CH(a, ae))) ||
		    (b < be && !is_digit(CH(b, be)))) {
			int ac = order(CH(a, ae)), bc = order(CH(b, be));

			if (ac != bc)
				return ac - bc;
			a++;
			b++;
		}
		while (CH(a, ae) == '0')
			a++;
		while (CH(b, be) == '0')
			b++;
		while (is_digit(CH(a, ae)) && is_digit(CH(b, be))) {
			if (!first_diff)
				first_diff = CH(a, ae) - CH(b, be);
			a++;
			b++;
		}
		if (is_digit(CH(a, ae)))
			return 1;
		if (is_digit(CH(b, be)))
			return -1;
		if (first_diff)
			return first_diff;
	}
	return 0;
#undef CH
}

/* A version split as dpkg splits it: [epoch:]upstream[-revision]. */
struct dver {
	unsigned long epoch;
	const char *up, *up_end, *rev, *rev_end;
};

static void
dver_split(const char *s, struct dver *v)
{
	const char *colon = strchr(s, ':'), *hyphen, *end = s + strlen(s);
	char *stop;

	v->epoch = 0;
	if (colon != NULL) {
		v->epoch = strtoul(s, &stop, 10);
		if (stop != colon)
			v->epoch = 0;
		s = colon + 1;
	}
	hyphen = strrchr(s, '-');
	v->up = s;
	v->up_end = hyphen != NULL ? hyphen : end;
	v->rev = hyphen != NULL ? hyphen + 1 : end;
	v->rev_end = end;
}

int
pkg_dpkg_vercmp(const char *a, const char *b)
{
	struct dver x, y;
	int r;

	dver_split(a, &x);
	dver_split(b, &y);
	if (x.epoch != y.epoch)
		return x.epoch < y.epoch ? -1 : 1;
	if ((r = verrevcmp(x.up, x.up_end, y.up, y.up_end)) != 0)
		return r;
	return verrevcmp(x.rev, x.rev_end, y.rev, y.rev_end);
}

/* ---- stanzas ------------------------------------------------------------- */

/* The fields of one stanza that matter, pointing into the input. */
struct stanza {
	const char *name, *arch, *version, *status;
	size_t namelen, archlen, verlen, statuslen;
	const char *conffiles;	/* the continuation lines, "\n"-separated */
	const char *conffiles_end;
	size_t lineno;		/* where it starts */
	bool any;
};

/* Point at the value of a "Field: value" line, trimmed. */
static void
value(const char *s, size_t n, const char **v, size_t *vn)
{
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	*v = s;
	*vn = n;
}

static bool
field_is(const char *s, size_t n, const char *name)
{
	size_t k = strlen(name);

	return n == k && strncasecmp(s, name, k) == 0;
}

/* Is the status "want flag state" one whose files are on disk? */
static bool
has_files(const struct stanza *st)
{
	const char *s = st->status, *end, *sp;

	if (s == NULL)
		return true;	/* status.d: installed by definition */
	sp = end = s + st->statuslen;
	while (sp > s && sp[-1] != ' ')
		sp--;
	return !(end - sp == 13 && strncmp(sp, "not-installed", 13) == 0) &&
	    !(end - sp == 12 && strncmp(sp, "config-files", 12) == 0);
}

static bool
is_hex32(const char *s, size_t n)
{
	size_t i;

	if (n != 32)
		return false;
	for (i = 0; i < n; i++)
		if (!is_digit(s[i]) && !(s[i] >= 'a' && s[i] <= 'f'))
			return false;
	return true;
}

/* Conffiles lines: " /etc/x.conf <md5> [obsolete|remove-on-upgrade]". */
static void
add_conffiles(struct pkg_db *db, size_t pkg, const struct stanza *st)
{
	const char *p = st->conffiles, *end = st->conffiles_end, *nl, *sp;
	char digest[40];

	for (; p != NULL && p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		while (p < nl && (*p == ' ' || *p == '\t'))
			p++;
		sp = memchr(p, ' ', (size_t)(nl - p));
		if (sp == NULL || nl - sp < 33 || !is_hex32(sp + 1, 32))
			continue;
		memcpy(digest, "md5:", 4);
		memcpy(digest + 4, sp + 1, 32);
		digest[36] = '\0';
		pkg_own_add(db, pkg, p, (size_t)(sp - p), digest);
	}
}

/* Conffiles wait until the packages are sorted. */
struct pending {
	struct stanza *v;
	size_t n, cap;
};

static int
end_stanza(struct pkg_db *db, struct stanza *st, struct pending *pd,
    const char *file, struct err *e)
{
	long r;

	if (!st->any)
		return 0;
	if (st->name == NULL || st->namelen == 0)
		return err_set(e, ERR_FORMAT, "%s: line %zu: a stanza without a "
		    "Package field", file, st->lineno);
	if (!has_files(st))
		goto done;
	if (st->version == NULL || st->verlen == 0)
		return err_set(e, ERR_FORMAT, "%s: package '%.*s': no Version",
		    file, (int)(st->namelen > 64 ? 64 : st->namelen), st->name);
	if ((r = pkg_add(db, PKG_DPKG, st->name, st->namelen, st->arch,
	    st->archlen, st->version, st->verlen, e)) < 0)
		return (int)r;
	if (st->conffiles != NULL) {
		xgrow(&pd->v, &pd->cap, pd->n + 1, sizeof(*pd->v));
		pd->v[pd->n++] = *st;
	}
 done:
	memset(st, 0, sizeof(*st));
	return 0;
}

/* One continuation or field line of a stanza. */
static int
stanza_line(struct stanza *st, const char *s, size_t n, const char **last,
    const struct pkg_lines *l, const char *file, struct err *e)
{
	const char *colon;

	if (memchr(s, '\0', n) != NULL)
		return err_set(e, ERR_FORMAT, "%s: line %zu: a NUL byte", file,
		    l->lineno);
	if (s[0] == ' ' || s[0] == '\t') {
		if (*last == NULL)
			return err_set(e, ERR_FORMAT, "%s: line %zu: a continuation "
			    "line before any field", file, l->lineno);
		if (*last == st->conffiles)
			st->conffiles_end = s + n;
		return 0;
	}
	if ((colon = memchr(s, ':', n)) == NULL || colon == s)
		return err_set(e, ERR_FORMAT, "%s: line %zu: not a field (no "
		    "colon)", file, l->lineno);
	if (!st->any)
		st->lineno = l->lineno;
	st->any = true;
	*last = s;
	if (field_is(s, (size_t)(colon - s), "Package"))
		value(colon + 1, n - (size_t)(colon - s) - 1, &st->name, &st->namelen);
	else if (field_is(s, (size_t)(colon - s), "Version"))
		value(colon + 1, n - (size_t)(colon - s) - 1, &st->version,
		    &st->verlen);
	else if (field_is(s, (size_t)(colon - s), "Architecture"))
		value(colon + 1, n - (size_t)(colon - s) - 1, &st->arch, &st->archlen);
	else if (field_is(s, (size_t)(colon - s), "Status"))
		value(colon + 1, n - (size_t)(colon - s) - 1, &st->status,
		    &st->statuslen);
	else if (field_is(s, (size_t)(colon - s), "Conffiles")) {
		st->conffiles = s + n;
		st->conffiles_end = s + n;
		*last = st->conffiles;
	}
	return 0;
}

/* Read the stanzas of one file (status, or one status.d file). */
static int
read_stanzas(struct pkg_db *db, const struct pkg_input *in,
    struct pending *pd, struct err *e)
{
	struct pkg_lines l = { (const char *)in->data,
	    (const char *)in->data + in->len, 0 };
	struct stanza st;
	const char *s, *last = NULL;
	size_t n;
	int r;

	memset(&st, 0, sizeof(st));
	if (in->len > 0 && in->data[in->len - 1] != '\n')
		return err_set(e, ERR_FORMAT, "%s: truncated (no newline at the "
		    "end)", in->path);
	while ((r = pkg_next_line(&l, &s, &n, e)) > 0) {
		if (n == 0 || (n == 1 && s[0] == '\r')) {
			if ((r = end_stanza(db, &st, pd, in->path, e)) < 0)
				return r;
			last = NULL;
			continue;
		}
		if ((r = stanza_line(&st, s, n, &last, &l, in->path, e)) < 0)
			return r;
	}
	if (r < 0) {
		err_prefix(e, "%s", in->path);
		return r;
	}
	return end_stanza(db, &st, pd, in->path, e);
}

/* ---- info/ files ---------------------------------------------------------- */

/* The package a file "NAME[:ARCH].ext" of info/ or status.d/ is about.
   @return its index, or -1 (a file left by a removed package). */
static long
owner_of(const struct pkg_db *db, size_t from, const char *base, size_t n)
{
	const char *colon = memchr(base, ':', n);

	if (colon == NULL)
		return pkg_find(db, from, base, n, NULL, 0);
	return pkg_find(db, from, base, (size_t)(colon - base), colon + 1,
	    n - (size_t)(colon - base) - 1);
}

/* A line of an ownership file, for one package.  @return 0 or ERR_*. */
typedef int (*owned_line_fn)(struct pkg_db *db, size_t pkg, const char *s,
    size_t n, struct err *e);

/* A .list line: one path ("/." and the directories too). */
static int
list_line(struct pkg_db *db, size_t pkg, const char *s, size_t n,
    struct err *e)
{
	if (s[0] != '/')
		return err_set(e, ERR_FORMAT, "not an absolute path");
	if (n > 2 || (n == 2 && s[1] != '.'))
		pkg_own_add(db, pkg, s, n, NULL);
	return 0;
}

/* A .md5sums line: "<32 hex>  path", the path without its "/". */
static int
md5sums_line(struct pkg_db *db, size_t pkg, const char *s, size_t n,
    struct err *e)
{
	char digest[40];

	if (n < 35 || !is_hex32(s, 32) || s[32] != ' ')
		return err_set(e, ERR_FORMAT, "not \"<md5>  <path>\"");
	memcpy(digest, "md5:", 4);
	memcpy(digest + 4, s, 32);
	digest[36] = '\0';
	s += 33;
	n -= 33;
	/* "  path" in text mode, " *path" in binary mode. */
	if (s[0] == ' ' || s[0] == '*') {
		s++;
		n--;
	}
	pkg_own_add(db, pkg, s, n, digest);
	return 0;
}

/* Every non-empty line of an ownership file through fn. */
static int
read_owned_lines(struct pkg_db *db, size_t pkg, const struct pkg_input *in,
    owned_line_fn fn, struct err *e)
{
	struct pkg_lines l = { (const char *)in->data,
	    (const char *)in->data + in->len, 0 };
	const char *s;
	size_t n;
	int r;

	while ((r = pkg_next_line(&l, &s, &n, e)) > 0) {
		if (n == 0)
			continue;
		if (memchr(s, '\0', n) != NULL)
			r = err_set(e, ERR_FORMAT, "a NUL byte");
		else
			r = fn(db, pkg, s, n, e);
		if (r < 0) {
			err_prefix(e, "%s: line %zu", in->path, l.lineno);
			return r;
		}
	}
	if (r < 0)
		err_prefix(e, "%s", in->path);
	return r;
}

static bool
ends_with(const char *s, const char *suffix, size_t *stem)
{
	size_t n = strlen(s), k = strlen(suffix);

	if (n < k || strcmp(s + n - k, suffix) != 0)
		return false;
	*stem = n - k;
	return true;
}

/* The ownership files, once the packages are known and sorted. */
static int
read_owned(struct pkg_db *db, size_t from, const struct pkg_input *in,
    struct err *e)
{
	const char *base = strrchr(in->path, '/') + 1;
	size_t stem;
	long pkg;

	if (ends_with(base, ".list", &stem)) {
		if ((pkg = owner_of(db, from, base, stem)) >= 0)
			return read_owned_lines(db, (size_t)pkg, in, list_line, e);
	} else if (ends_with(base, ".md5sums", &stem)) {
		if ((pkg = owner_of(db, from, base, stem)) >= 0)
			return read_owned_lines(db, (size_t)pkg, in, md5sums_line, e);
	}
	return 0;
}

static bool
is_stanza_file(const char *path)
{
	size_t stem;
	const char *rest;

	if (strcmp(path, DPKG_DIR "status") == 0)
		return true;
	return skip_prefix(path, DPKG_DIR "status.d/", &rest) &&
	    !ends_with(rest, ".md5sums", &stem);
}

int
pkg_dpkg_read(struct pkg_db *db, const struct pkg_input *in, size_t n,
    struct err *e)
{
	struct pending pd = { NULL, 0, 0 };
	size_t i, from = db->n;
	long pkg;
	int r = 0;

	for (i = 0; i < n && r == 0; i++)
		if (is_stanza_file(in[i].path))
			r = read_stanzas(db, &in[i], &pd, e);
	if (r < 0)
		goto out;
	pkg_sort_from(db, from);
	for (i = 0; i < pd.n; i++)
		if ((pkg = pkg_find(db, from, pd.v[i].name, pd.v[i].namelen,
		    pd.v[i].arch, pd.v[i].archlen)) >= 0)
			add_conffiles(db, (size_t)pkg, &pd.v[i]);
	for (i = 0; i < n && r == 0; i++)
		if (!is_stanza_file(in[i].path))
			r = read_owned(db, from, &in[i], e);
 out:
	free(pd.v);
	return r;
}
