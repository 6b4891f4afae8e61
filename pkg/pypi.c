/*
 * pypi.c - Python's installed distributions: in every site-packages and
 * dist-packages directory (one per interpreter prefix or virtual
 * environment), NAME.dist-info/METADATA (Name, Version) and RECORD (each
 * file, relative to site-packages, with its sha256 in urlsafe base64 and
 * its size), NAME.egg-info/PKG-INFO and installed-files.txt (relative to
 * the egg-info directory), or an egg-info file that is its own PKG-INFO;
 * and PEP 440's version ordering.  An egg-info directory without
 * installed-files.txt (as Debian's packages ship them) owns the top-level
 * modules its top_level.txt names: site-packages/NAME/ and NAME.py.
 *
 * Names are compared normalized (PEP 503: lowercase, runs of "-", "_",
 * "." as one "-"), so Flask's dist-info and flask's egg-info are one
 * name; the same name in two site-packages directories is two packages.
 */
#include <stdlib.h>
#include <string.h>

#include "pkg/pkg_int.h"

/* ---- version ordering (PEP 440) ------------------------------------------ */

#define PEP440_RELEASE_MAX	16	/* parts kept; more compare as the last */

/* The parts of a version in the order PEP 440 ranks them. */
struct pep440 {
	bool valid;
	uint64_t epoch;
	uint64_t rel[PEP440_RELEASE_MAX];
	size_t nrel;
	int pre;		/* -1 none, 0 a, 1 b, 2 rc */
	uint64_t pre_n;
	bool post;
	uint64_t post_n;
	bool dev;
	uint64_t dev_n;
	const char *local;	/* after "+", NULL when none */
	size_t local_len;
};

static bool
p_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
p_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static bool
p_alnum(int c)
{
	c = p_lower(c);
	return p_digit(c) || (c >= 'a' && c <= 'z');
}

/* Does the word w (lowercase) start at *p, case-insensitively?  Then
   skip it. */
static bool
p_word(const char **p, const char *end, const char *w)
{
	const char *s = *p;

	for (; *w != '\0'; w++, s++)
		if (s >= end || p_lower(*s) != *w)
			return false;
	*p = s;
	return true;
}

static bool
p_sep(int c)
{
	return c == '.' || c == '-' || c == '_';
}

/* An optional separator then one of words; @return its index, or -1
   (nothing skipped). */
static int
p_label(const char **p, const char *end, const char *const *words)
{
	const char *s = *p;
	int i;

	if (s < end && p_sep(*s))
		s++;
	for (i = 0; words[i] != NULL; i++)
		if (p_word(&s, end, words[i])) {
			/* a label ends where a letter does not follow */
			if (s < end && p_alnum(*s) && !p_digit(*s))
				return -1;
			*p = s;
			return i;
		}
	return -1;
}

/* An optional separator and number after a label (implicit 0). */
static uint64_t
p_label_number(const char **p, const char *end)
{
	const char *s = *p;
	uint64_t v = 0;

	if (s < end && p_sep(*s))
		s++;
	if (pkg_number(&s, end, &v))
		*p = s;
	return v;
}

/* Parse s the way Python's packaging does (its VERSION_PATTERN). */
static void
pep440_parse(const char *s, struct pep440 *v)
{
	static const char *const pre[] = { "preview", "alpha", "beta", "pre",
	    "rc", "a", "b", "c", NULL };
	static const int pre_rank[] = { 2, 0, 1, 2, 2, 0, 1, 2 };
	static const char *const post[] = { "post", "rev", "r", NULL };
	static const char *const dev[] = { "dev", NULL };
	const char *p = s, *end = s + strlen(s), *q;
	uint64_t n;
	int k;

	memset(v, 0, sizeof(*v));
	v->pre = -1;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n'))
		end--;
	if (p < end && p_lower(*p) == 'v')
		p++;
	q = p;
	if (pkg_number(&q, end, &n) && q < end && *q == '!') {
		v->epoch = n;
		p = q + 1;
	}
	for (;;) {
		if (!pkg_number(&p, end, &n))
			return;
		if (v->nrel < PEP440_RELEASE_MAX)
			v->rel[v->nrel++] = n;
		if (p + 1 >= end || *p != '.' || !p_digit(p[1]))
			break;
		p++;
	}
	if ((k = p_label(&p, end, pre)) >= 0) {
		v->pre = pre_rank[k];
		v->pre_n = p_label_number(&p, end);
	}
	if (p + 1 < end && *p == '-' && p_digit(p[1])) {
		p++;
		(void)pkg_number(&p, end, &v->post_n);
		v->post = true;
	} else if (p_label(&p, end, post) >= 0) {
		v->post = true;
		v->post_n = p_label_number(&p, end);
	}
	if (p_label(&p, end, dev) >= 0) {
		v->dev = true;
		v->dev_n = p_label_number(&p, end);
	}
	if (p < end && *p == '+') {
		v->local = ++p;
		while (p < end && (p_alnum(*p) || (p_sep(*p) && p > v->local &&
		    p + 1 < end && p_alnum(p[1]))))
			p++;
		v->local_len = (size_t)(p - v->local);
		if (v->local_len == 0)
			return;
	}
	v->valid = p == end;
}

static int
u64_cmp(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

/* Release parts, trailing zeros not counting (1.0 == 1.0.0). */
static int
release_cmp(const struct pep440 *a, const struct pep440 *b)
{
	size_t i, n = a->nrel > b->nrel ? a->nrel : b->nrel;
	int r;

	for (i = 0; i < n; i++) {
		r = u64_cmp(i < a->nrel ? a->rel[i] : 0, i < b->nrel ? b->rel[i] : 0);
		if (r != 0)
			return r;
	}
	return 0;
}

/* The pre-release key: a dev release of a final version sorts before its
   pre-releases (1.0.dev0 < 1.0a0), a final version after them. */
static int
pre_key(const struct pep440 *v, uint64_t *n)
{
	*n = v->pre_n;
	if (v->pre < 0 && !v->post && v->dev)
		return -1;
	return v->pre < 0 ? 3 : v->pre;
}

/* Local versions: numbers above words, words case-insensitively. */
static int
local_cmp(const struct pep440 *a, const struct pep440 *b)
{
	if (a->local == NULL || b->local == NULL)
		return a->local == NULL ? (b->local == NULL ? 0 : -1) : 1;
	return pkg_idents_cmp(a->local, a->local_len, b->local, b->local_len,
	    ".-_", false, true);
}

int
pkg_pypi_vercmp(const char *a, const char *b)
{
	struct pep440 x, y;
	uint64_t xn, yn;
	int r;

	pep440_parse(a, &x);
	pep440_parse(b, &y);
	/* Not PEP 440 (a legacy version): before every valid one, and by
	   bytes among themselves. */
	if (!x.valid || !y.valid)
		return x.valid != y.valid ? (x.valid ? 1 : -1) : strcmp(a, b);
	if ((r = u64_cmp(x.epoch, y.epoch)) != 0 || (r = release_cmp(&x, &y)) != 0)
		return r;
	if ((r = pre_key(&x, &xn) - pre_key(&y, &yn)) != 0)
		return r < 0 ? -1 : 1;
	if ((r = u64_cmp(xn, yn)) != 0)
		return r;
	if (x.post != y.post)
		return x.post ? 1 : -1;
	if ((r = u64_cmp(x.post_n, y.post_n)) != 0)
		return r;
	if (x.dev != y.dev)
		return x.dev ? -1 : 1;
	if ((r = u64_cmp(x.dev_n, y.dev_n)) != 0)
		return r;
	return local_cmp(&x, &y);
}

/* ---- which files ----------------------------------------------------------- */

static bool
ends_with_n(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return n > k && memcmp(s + n - k, suffix, k) == 0;
}

static bool
is_packages_dir(const char *s, size_t n)
{
	return (n == 13 && memcmp(s, "site-packages", 13) == 0) ||
	    (n == 13 && memcmp(s, "dist-packages", 13) == 0);
}

/* The metadata directory of a matched path (or the egg-info file itself):
   its start and length. */
static bool
meta_dir(const char *path, const char *base, const char **dir, size_t *len)
{
	const char *want;

	if (strcmp(base, "METADATA") == 0 || strcmp(base, "RECORD") == 0)
		want = ".dist-info";
	else if (strcmp(base, "PKG-INFO") == 0 ||
	    strcmp(base, "installed-files.txt") == 0 ||
	    strcmp(base, "top_level.txt") == 0)
		want = ".egg-info";
	else if (ends_with_n(base, strlen(base), ".egg-info")) {
		*dir = base;
		*len = strlen(base);
		return true;
	} else
		return false;
	if (base == path)
		return false;
	*dir = pkg_comp_start(path, base - 1);
	*len = (size_t)(base - 1 - *dir);
	return ends_with_n(*dir, *len, want);
}

int
pkg_pypi_match(const char *path, const char *base, bool *bytes)
{
	const char *dir, *pd;
	size_t len;

	/* the basename first: most entries stop at these compares */
	if (!meta_dir(path, base, &dir, &len) || dir == path)
		return -1;
	pd = pkg_comp_start(path, dir - 1);
	if (!is_packages_dir(pd, (size_t)(dir - 1 - pd)))
		return -1;
	*bytes = true;
	return PKG_PYPI;
}

/* ---- reading --------------------------------------------------------------- */

/* PEP 503's normal form of a name, into out. */
static void
normalize_name(struct sbuf *out, const char *s, size_t n)
{
	size_t i;

	sbuf_reset(out);
	for (i = 0; i < n; i++) {
		if (p_sep(s[i])) {
			while (i + 1 < n && p_sep(s[i + 1]))
				i++;
			sbuf_addc(out, '-');
		} else
			sbuf_addc(out, (char)p_lower((unsigned char)s[i]));
	}
}

/* The value of a header line "Key: value" when its key is key. */
static bool
header(const char *s, size_t n, const char *key, const char **v, size_t *vn)
{
	size_t k = strlen(key), i;

	if (n <= k || s[k] != ':')
		return false;
	for (i = 0; i < k; i++)
		if (p_lower((unsigned char)s[i]) != p_lower((unsigned char)key[i]))
			return false;
	s += k + 1;
	n -= k + 1;
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	*v = s;
	*vn = n;
	return n > 0;
}

/* Name and Version from the header of METADATA or PKG-INFO.  @return 0,
   or a negative code with e saying what is missing. */
static int
read_metadata(const struct pkg_input *in, struct sbuf *name, const char **ver,
    size_t *vlen, struct err *e)
{
	struct pkg_lines l = { (const char *)in->data,
	    (const char *)in->data + in->len, 0 };
	const char *s, *v;
	size_t n, vn;
	bool have_name = false;
	int r;

	*ver = NULL;
	while ((r = pkg_next_line(&l, &s, &n, e)) > 0) {
		if (n == 0 || (n == 1 && s[0] == '\r'))
			break;	/* the body (a description) follows */
		if (!have_name && header(s, n, "Name", &v, &vn)) {
			normalize_name(name, v, vn);
			have_name = true;
		} else if (*ver == NULL && header(s, n, "Version", &v, &vn)) {
			*ver = v;
			*vlen = vn;
		}
	}
	if (r < 0)
		return r;
	if (!have_name)
		return err_set(e, ERR_FORMAT, "no Name");
	if (*ver == NULL)
		return err_set(e, ERR_FORMAT, "no Version");
	return 0;
}

/* The first field of a CSV row (RFC 4180 quoting) into out; *rest after
   its comma. */
static void
csv_field(struct sbuf *out, const char **p, const char *end)
{
	const char *s = *p;

	sbuf_reset(out);
	if (s < end && *s == '"') {
		for (s++; s < end; s++) {
			if (*s == '"') {
				if (s + 1 < end && s[1] == '"')
					s++;
				else {
					s++;
					break;
				}
			}
			sbuf_addc(out, *s);
		}
	} else
		for (; s < end && *s != ','; s++)
			sbuf_addc(out, *s);
	while (s < end && *s != ',')
		s++;
	*p = s < end ? s + 1 : s;
}

/*
 * The files of package k from RECORD ("path,sha256=B64,size", paths from
 * the site-packages directory dir) or installed-files.txt (a path a line,
 * from the egg-info directory).  Paths that climb out of the tree are
 * left out.
 */
static int
read_files(struct pkg_db *db, size_t k, const struct pkg_input *in,
    const char *dir, size_t dirlen, bool record, struct err *e)
{
	struct pkg_lines l = { (const char *)in->data,
	    (const char *)in->data + in->len, 0 };
	struct sbuf path = SBUF_INIT, field = SBUF_INIT, full = SBUF_INIT;
	struct sbuf size = SBUF_INIT;
	const char *s, *p, *eq;
	char *digest;
	size_t n;
	bool sized;
	int r;

	while ((r = pkg_next_line(&l, &s, &n, e)) > 0) {
		while (n > 0 && s[n - 1] == '\r')
			n--;
		if (n == 0)
			continue;
		p = s;
		digest = NULL;
		if (record) {
			csv_field(&path, &p, s + n);
			csv_field(&field, &p, s + n);
			csv_field(&size, &p, s + n);
			/* "sha256=B64" and the size: "sha256:B64,SIZE" */
			sized = size.len > 0 && pkg_all_digits(sbuf_str(&size),
			    size.buf + size.len);
			if (field.len > 0 && (eq = strchr(sbuf_str(&field), '=')) != NULL)
				digest = xstrfmt("%.*s:%s%s%s", (int)(eq - field.buf),
				    field.buf, eq + 1, sized ? "," : "",
				    sized ? size.buf : "");
		} else {
			sbuf_reset(&path);
			sbuf_add(&path, s, n);
		}
		if (path.len > 0 && pkg_path_join(&full, dir, dirlen, path.buf,
		    path.len))
			pkg_own_add(db, k, full.buf, full.len, digest);
		free(digest);
	}
	sbuf_release(&path);
	sbuf_release(&field);
	sbuf_release(&size);
	sbuf_release(&full);
	return r;
}

/* The modules top_level.txt names, owned by package k: each a directory
   and a .py file of the site-packages directory dir. */
static int
read_top_level(struct pkg_db *db, size_t k, const struct pkg_input *in,
    const char *dir, size_t dirlen, struct err *e)
{
	struct pkg_lines l = { (const char *)in->data,
	    (const char *)in->data + in->len, 0 };
	struct sbuf path = SBUF_INIT;
	const char *s;
	size_t n;
	int r;

	while ((r = pkg_next_line(&l, &s, &n, e)) > 0) {
		while (n > 0 && (s[n - 1] == '\r' || s[n - 1] == ' '))
			n--;
		if (n == 0 || memchr(s, '/', n) != NULL || s[0] == '.')
			continue;
		sbuf_reset(&path);
		sbuf_add(&path, dir, dirlen);
		sbuf_addc(&path, '/');
		sbuf_add(&path, s, n);
		pkg_dir_add(db, k, path.buf, path.len);
		sbuf_addstr(&path, ".py");
		pkg_own_add(db, k, path.buf, path.len, NULL);
	}
	sbuf_release(&path);
	return r;
}

/* One metadata directory: in[0..n) are its captured files. */
static int
read_dist(struct pkg_db *db, const struct pkg_input *const *in, size_t n,
    struct err *e)
{
	const struct pkg_input *meta = NULL, *files = NULL, *top = NULL;
	struct sbuf name = SBUF_INIT;
	const char *base, *dir, *ver;
	size_t i, len, vlen = 0;
	bool record = false;
	long k;
	int rc = 0;
	struct err pe = { 0 };

	for (i = 0; i < n; i++) {
		base = strrchr(in[i]->path, '/');
		base = base != NULL ? base + 1 : in[i]->path;
		if (strcmp(base, "RECORD") == 0 ||
		    strcmp(base, "installed-files.txt") == 0) {
			files = in[i];
			record = base[0] == 'R';
		} else if (strcmp(base, "top_level.txt") == 0)
			top = in[i];
		else
			meta = in[i];
	}
	if (meta == NULL) {
		pkg_note(db, PKG_PYPI, "%s: no METADATA or PKG-INFO beside it",
		    in[0]->path);
		goto out;
	}
	if (meta->over) {
		pkg_unread(db, PKG_PYPI, meta->path, "over %u MiB",
		    PKG_FILE_MAX >> 20);
		goto out;
	}
	if (read_metadata(meta, &name, &ver, &vlen, &pe) < 0) {
		pkg_note(db, PKG_PYPI, "%s: unreadable: %s", meta->path, pe.msg);
		goto out;
	}
	base = strrchr(meta->path, '/') + 1;
	if (!meta_dir(meta->path, base, &dir, &len))
		goto out;	/* pkg_pypi_read() let none such in */
	if ((k = pkg_add(db, PKG_PYPI, name.buf, name.len, NULL, 0, ver, vlen,
	    e)) < 0) {
		rc = (int)k;
		goto out;
	}
	/* where: the site-packages directory, from the root */
	pkg_set_where(db, (size_t)k, meta->path, (size_t)(dir - 1 - meta->path));
	if (files == NULL && top != NULL && !top->over &&
	    read_top_level(db, (size_t)k, top, meta->path,
	    (size_t)(dir - 1 - meta->path), &pe) < 0)
		pkg_note(db, PKG_PYPI, "%s: unreadable: %s", top->path, pe.msg);
	if (files == NULL)
		goto out;
	if (files->over) {
		pkg_unread(db, PKG_PYPI, files->path, "over %u MiB",
		    PKG_FILE_MAX >> 20);
		goto out;
	}
	/* RECORD's paths start at site-packages, installed-files.txt's at
	   the egg-info directory */
	if (read_files(db, (size_t)k, files, meta->path, record ?
	    (size_t)(dir - 1 - meta->path) : (size_t)(dir + len - meta->path),
	    record, &pe) < 0)
		pkg_note(db, PKG_PYPI, "%s: unreadable: %s", files->path, pe.msg);
	pkg_own_add(db, (size_t)k, meta->path, strlen(meta->path), NULL);
 out:
	sbuf_release(&name);
	return rc;
}

int
pkg_pypi_read(struct pkg_db *db, const struct pkg_input *in, size_t n,
    struct err *e)
{
	const struct pkg_input **v = pkg_inputs_by_path(in, n);
	const char *dir, *dir2, *base;
	size_t i, j, len, len2, from = db->n;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i = j) {
		base = strrchr(v[i]->path, '/');
		base = base != NULL ? base + 1 : v[i]->path;
		j = i + 1;
		/* Only files of a metadata directory are read: a scanned input
		   says whose it is whatever its path. */
		if (!meta_dir(v[i]->path, base, &dir, &len) || dir == v[i]->path)
			continue;
		for (; j < n; j++) {
			base = strrchr(v[j]->path, '/');
			base = base != NULL ? base + 1 : v[j]->path;
			if (!meta_dir(v[j]->path, base, &dir2, &len2) ||
			    dir2 - v[j]->path != dir - v[i]->path || len2 != len ||
			    memcmp(v[j]->path, v[i]->path, (size_t)(dir - v[i]->path) +
			    len) != 0)
				break;
		}
		rc = read_dist(db, v + i, j - i, e);
	}
	free(v);
	if (rc == 0)
		pkg_sort_from(db, from);
	return rc;
}
