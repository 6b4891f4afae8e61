/*
 * maven.c - the Maven artifacts of a jar (war, ear): each
 * META-INF/maven/GROUP/ARTIFACT/pom.properties names one (groupId,
 * artifactId, version), in the jar and in the jars it holds one level
 * down (Spring Boot's BOOT-INF/lib/, a war's WEB-INF/lib/); and Maven's
 * ComparableVersion, the order of their versions.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>

#include "pkg/pkg_int.h"

#define POM_PROPERTIES_MAX	(64u << 10)
#define JAR_ENTRIES_MAX		200000u

/* The value of key in a Java properties text ("key=value", "key: value",
   '#' and '!' comments), trimmed.  @return it (malloc'd), or NULL. */
static char *
property(const char *p, size_t n, const char *key)
{
	struct pkg_lines l = { p, p + n, 0 };
	const char *s, *v;
	size_t sn, vn;
	struct err e = { 0 };

	while (pkg_next_line(&l, &s, &sn, &e) > 0) {
		while (sn > 0 && (*s == ' ' || *s == '\t')) {
			s++;
			sn--;
		}
		while (sn > 0 && (s[sn - 1] == '\r' || s[sn - 1] == ' '))
			sn--;
		if (!skip_prefix_n(s, sn, key, &v, &vn))
			continue;
		while (vn > 0 && (*v == ' ' || *v == '\t'))
			v++, vn--;
		if (vn == 0 || (*v != '=' && *v != ':'))
			continue;
		v++, vn--;
		while (vn > 0 && (*v == ' ' || *v == '\t'))
			v++, vn--;
		return vn > 0 ? xstrndup(v, vn) : NULL;
	}
	return NULL;
}

/* Add the artifact a pom.properties names; one without the three keys is
   left out. */
static int
add_pom(struct pkg_db *db, const char *p, size_t n, const char *where,
    const char *path, struct err *e)
{
	char *g = property(p, n, "groupId"), *a = property(p, n, "artifactId");
	char *v = property(p, n, "version"), *name = NULL;
	long i;
	int r = 0;

	if (g == NULL || a == NULL || v == NULL)
		goto out;
	name = xstrfmt("%s:%s", g, a);
	if ((i = pkg_add(db, PKG_MAVEN, name, strlen(name), NULL, 0, v,
	    strlen(v), e)) < 0) {
		r = (int)i;
		goto out;
	}
	pkg_set_where(db, (size_t)i, where, strlen(where));
	/* The jar is the file of the artifacts it names itself. */
	if (path != NULL)
		pkg_own_add(db, (size_t)i, path, strlen(path), NULL);
 out:
	free(g);
	free(a);
	free(v);
	free(name);
	return r;
}

/* Read the current entry's data, at most max bytes.  @return 0, 1 when it
   is longer, or -1 when libarchive fails. */
static int
entry_data(struct archive *ar, struct sbuf *sb, size_t max)
{
	char buf[16384];
	la_ssize_t k;

	sbuf_reset(sb);
	while ((k = archive_read_data(ar, buf, sizeof(buf))) > 0) {
		if ((size_t)k > max - sb->len)
			return 1;
		sbuf_add(sb, buf, (size_t)k);
	}
	return k < 0 ? -1 : 0;
}

static int read_jar(struct pkg_db *db, const uint8_t *p, size_t n,
    const char *where, const char *path, const char *label, int depth,
    struct err *e);

/* The length of the folder part of path ("a/b.jar" -> 1), 0 at the top. */
static size_t
dir_len(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL ? (size_t)(slash - path) : 0;
}

/* One entry of a jar: a pom.properties, or a jar inside it.  label: the
   jar as the notes name it (path, or "app.jar!/BOOT-INF/lib/x.jar"). */
static int
jar_entry(struct pkg_db *db, struct archive *ar, const char *name,
    const char *where, const char *path, const char *label, int depth,
    struct sbuf *sb, struct err *e)
{
	char *nested;
	char *inner;
	int r;

	if (fnmatch("META-INF/maven/*/*/pom.properties", name,
	    FNM_PATHNAME) == 0) {
		if ((r = entry_data(ar, sb, POM_PROPERTIES_MAX)) < 0)
			return err_set(e, ERR_FORMAT, "%s: %s", name,
			    archive_error_string(ar) ? archive_error_string(ar) :
			    "cannot inflate");
		if (r > 0) {
			inner = xstrfmt("%s!/%s", label, name);
			pkg_unread(db, PKG_MAVEN, inner, "over the %u KiB "
			    "pom.properties limit", POM_PROPERTIES_MAX >> 10);
			free(inner);
			return 0;
		}
		return add_pom(db, sbuf_str(sb), sb->len, where, depth == 0 ?
		    path : NULL, e);
	}
	if (depth > 0 || fnmatch("*.jar", name, 0) != 0)
		return 0;
	if ((r = entry_data(ar, sb, PKG_NESTED_MAX)) != 0) {
		/* A nested jar that does not inflate or is too large: its
		   artifacts are not known, the others still are, and the
		   notes say which. */
		inner = xstrfmt("%s!/%s", label, name);
		if (r > 0)
			pkg_unread(db, PKG_MAVEN, inner, "over the %u MiB "
			    "nested-jar limit", PKG_NESTED_MAX >> 20);
		else
			pkg_note(db, PKG_MAVEN, "%s: unreadable: %s", inner,
			    archive_error_string(ar) ? archive_error_string(ar) :
			    "cannot inflate");
		free(inner);
		return 0;
	}
	/* Named by the folder that holds it, as a top-level jar: a new
	   version's jar has a new file name. */
	inner = dir_len(name) > 0 ? xstrfmt("%s!/%.*s", path, (int)dir_len(name),
	    name) : xstrfmt("%s!", path);
	nested = xstrfmt("%s!/%s", label, name);
	r = read_jar(db, (const uint8_t *)sbuf_str(sb), sb->len, inner, path,
	    nested, depth + 1, e);
	free(inner);
	free(nested);
	return r;
}

/*
 * The artifacts of the jar p[0..n), their where set to where; path is the
 * file on the file system that holds it, owned by the artifacts it names
 * itself (depth 0); label names the jar in the notes (path, or
 * "app.jar!/BOOT-INF/lib/x.jar").
 */
static int
read_jar(struct pkg_db *db, const uint8_t *p, size_t n, const char *where,
    const char *path, const char *label, int depth, struct err *e)
{
	struct archive *ar = archive_read_new();
	struct archive_entry *ae;
	struct sbuf sb = SBUF_INIT;
	size_t k = 0;
	int r = 0, x;

	if (ar == NULL)
		xalloc_die();
	archive_read_support_format_zip(ar);
	if (archive_read_open_memory(ar, p, n) != ARCHIVE_OK) {
		/* A nested one that is no zip is left out. */
		if (depth == 0)
			r = err_set(e, ERR_FORMAT, "not a zip archive");
		goto out;
	}
	while ((x = archive_read_next_header(ar, &ae)) == ARCHIVE_OK ||
	    x == ARCHIVE_WARN) {
		const char *name = archive_entry_pathname(ae);

		if (++k > JAR_ENTRIES_MAX) {
			r = err_set(e, ERR_LIMIT, "more than %u entries",
			    JAR_ENTRIES_MAX);
			goto out;
		}
		if (name == NULL || archive_entry_filetype(ae) != AE_IFREG)
			continue;
		if ((r = jar_entry(db, ar, name, where, path, label, depth, &sb,
		    e)) < 0)
			goto out;
	}
	if (x != ARCHIVE_EOF && depth == 0)
		r = err_set(e, ERR_FORMAT, "entry %zu: %s", k + 1,
		    archive_error_string(ar) ? archive_error_string(ar) :
		    "bad zip entry");
 out:
	archive_read_free(ar);
	sbuf_release(&sb);
	return r;
}

int
pkg_maven_match(const char *path, const char *base, bool *bytes)
{
	size_t n = strlen(base);

	(void)path;
	if (n < 5 || base[n - 4] != '.' || (strcmp(base + n - 3, "jar") != 0 &&
	    strcmp(base + n - 3, "war") != 0 && strcmp(base + n - 3, "ear") != 0))
		return -1;
	*bytes = true;
	return PKG_MAVEN;
}

int
pkg_maven_read(struct pkg_db *db, const struct pkg_input *in, size_t n,
    struct err *e)
{
	size_t i;
	int r;

	struct err pe;
	char *where;

	for (i = 0; i < n; i++) {
		if (in[i].over) {
			pkg_unread(db, PKG_MAVEN, in[i].path, "over %u MiB",
			    PKG_JAR_MAX >> 20);
			continue;
		}
		memset(&pe, 0, sizeof(pe));
		where = dir_len(in[i].path) > 0 ? xstrndup(in[i].path,
		    dir_len(in[i].path)) : xstrdup(".");
		r = read_jar(db, in[i].data, in[i].len, where, in[i].path,
		    in[i].path, 0, &pe);
		free(where);
		/* Past the package limit nothing more is read; a jar that does
		   not parse is a note, the artifacts it named before kept. */
		if (r < 0 && pe.code == ERR_LIMIT && db->n >= PKG_PACKAGES_MAX) {
			*e = pe;
			return r;
		}
		if (r < 0)
			pkg_note(db, PKG_MAVEN, "%s: unreadable: %s", in[i].path,
			    pe.msg);
	}
	return 0;
}

/* ---- ComparableVersion ---------------------------------------------------------- */

/*
 * Maven's ComparableVersion (maven-artifact 3.8): the version, lowercased,
 * is split at '.', at '-' (which opens a sublist) and where digits meet
 * letters (a sublist too); numbers compare by value, qualifiers by
 * alpha < beta < milestone < rc = cr < snapshot < "" = ga = final =
 * release < sp < any other (by bytes), a number is newer than a
 * qualifier and than a sublist.  Trailing zeros and release qualifiers of
 * each list do not count ("1.0" = "1" = "1-ga").
 */
enum mv_kind { MV_INT, MV_STR, MV_LIST };

struct mv_item {
	enum mv_kind kind;
	char *s;		/* MV_INT: digits without leading zeros;
				   MV_STR: the comparable qualifier */
	struct mv_item *v;	/* MV_LIST */
	size_t n, cap;
};

static const char *const qualifiers[] = { "alpha", "beta", "milestone", "rc",
	"snapshot", "", "sp" };
#define RELEASE_INDEX	5

/* The qualifier as ComparableVersion orders it: its index among the known
   ones, or 7 and itself ("7-abc"), so that strcmp() orders them. */
static char *
comparable(const char *q, size_t n, bool before_digit)
{
	size_t i;

	/* "1a1" is "1-alpha-1" */
	if (before_digit && n == 1 && (*q == 'a' || *q == 'b' || *q == 'm')) {
		q = *q == 'a' ? "alpha" : *q == 'b' ? "beta" : "milestone";
		n = strlen(q);
	}
	if ((n == 2 && memcmp(q, "ga", 2) == 0) ||
	    (n == 5 && memcmp(q, "final", 5) == 0) ||
	    (n == 7 && memcmp(q, "release", 7) == 0))
		n = 0;
	else if (n == 2 && memcmp(q, "cr", 2) == 0)
		q = "rc";
	for (i = 0; i < sizeof(qualifiers) / sizeof(qualifiers[0]); i++)
		if (strlen(qualifiers[i]) == n && memcmp(qualifiers[i], q, n) == 0)
			return xstrfmt("%zu", i);
	return xstrfmt("%zu-%.*s", sizeof(qualifiers) / sizeof(qualifiers[0]),
	    (int)n, q);
}

static struct mv_item *
mv_push(struct mv_item *list, enum mv_kind kind)
{
	struct mv_item *it;

	xgrow(&list->v, &list->cap, list->n + 1, sizeof(*list->v));
	it = &list->v[list->n++];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	return it;
}

static void
mv_add(struct mv_item *list, const char *s, size_t n, bool digits,
    bool before_digit)
{
	struct mv_item *it = mv_push(list, digits ? MV_INT : MV_STR);

	if (digits) {
		while (n > 1 && *s == '0')
			s++, n--;
		it->s = xstrndup(s, n);
	} else
		it->s = comparable(s, n, before_digit);
}

static bool
mv_is_null(const struct mv_item *it)
{
	switch (it->kind) {
	case MV_INT:
		return strcmp(it->s, "0") == 0;
	case MV_STR:
		return strcmp(it->s, "5") == 0;
	default:
		return it->n == 0;
	}
}

static void
mv_free(struct mv_item *it)
{
	size_t i;

	for (i = 0; i < it->n; i++)
		mv_free(&it->v[i]);
	free(it->v);
	free(it->s);
}

/*
 * Drop the null items at the end of each list, the innermost lists first;
 * a sublist that is not null is passed over ("1.0-1" is "1-1").
 */
static void
mv_normalize(struct mv_item *list)
{
	size_t i;

	for (i = 0; i < list->n; i++)
		if (list->v[i].kind == MV_LIST)
			mv_normalize(&list->v[i]);
	for (i = list->n; i > 0; i--) {
		struct mv_item *it = &list->v[i - 1];

		if (mv_is_null(it)) {
			mv_free(it);
			memmove(it, it + 1, (list->n - i) * sizeof(*it));
			list->n--;
		} else if (it->kind != MV_LIST)
			break;
	}
}

static bool
is_ascii_digit(char c)
{
	return c >= '0' && c <= '9';
}

#define MV_DEPTH_MAX	64

static void
mv_parse(const char *ver, struct mv_item *root)
{
	size_t len = strlen(ver), i, start = 0, depth = 0;
	char *v = xstrdup(ver);
	struct mv_item *list = root;
	bool digit = false;

	for (i = 0; i < len; i++)
		v[i] = (char)(v[i] >= 'A' && v[i] <= 'Z' ? v[i] - 'A' + 'a' : v[i]);
	memset(root, 0, sizeof(*root));
	root->kind = MV_LIST;
	for (i = 0; i < len; i++) {
		char c = v[i];

		if (c == '.' || c == '-') {
			if (i == start)
				mv_add(list, "0", 1, true, false);
			else
				mv_add(list, v + start, i - start, digit, false);
			start = i + 1;
			if (c == '-' && depth < MV_DEPTH_MAX) {
				list = mv_push(list, MV_LIST);
				depth++;
			}
		} else if (is_ascii_digit(c)) {
			if (!digit && i > start) {
				mv_add(list, v + start, i - start, false, true);
				start = i;
				if (depth < MV_DEPTH_MAX) {
					list = mv_push(list, MV_LIST);
					depth++;
				}
			}
			digit = true;
		} else {
			if (digit && i > start) {
				mv_add(list, v + start, i - start, true, false);
				start = i;
				if (depth < MV_DEPTH_MAX) {
					list = mv_push(list, MV_LIST);
					depth++;
				}
			}
			digit = false;
		}
	}
	if (len > start) {
		/* A qualifier last is a sublist: "1.0.0.x1" < "1.0.0-x2" */
		if (!digit && list->n > 0 && depth < MV_DEPTH_MAX)
			list = mv_push(list, MV_LIST);
		mv_add(list, v + start, len - start, digit, false);
	}
	mv_normalize(root);
	free(v);
}

static int mv_cmp(const struct mv_item *a, const struct mv_item *b);

/* Numbers as digit strings without leading zeros. */
static int
num_cmp(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	int r;

	if (na != nb)
		return na < nb ? -1 : 1;
	r = strcmp(a, b);
	return r < 0 ? -1 : r > 0;
}

/* a against nothing (b absent). */
static int
mv_cmp_null(const struct mv_item *a)
{
	int r;

	switch (a->kind) {
	case MV_INT:
		return strcmp(a->s, "0") == 0 ? 0 : 1;
	case MV_STR:
		r = strcmp(a->s, "5");
		return r < 0 ? -1 : r > 0;
	default:
		return a->n == 0 ? 0 : mv_cmp_null(&a->v[0]);
	}
}

static int
mv_cmp(const struct mv_item *a, const struct mv_item *b)
{
	size_t i;
	int r;

	if (b == NULL)
		return mv_cmp_null(a);
	if (a->kind != b->kind) {
		/* int > list > string */
		static const int rank[] = { [MV_INT] = 2, [MV_LIST] = 1,
		    [MV_STR] = 0 };

		return rank[a->kind] < rank[b->kind] ? -1 : 1;
	}
	if (a->kind == MV_INT)
		return num_cmp(a->s, b->s);
	if (a->kind == MV_STR) {
		r = strcmp(a->s, b->s);
		return r < 0 ? -1 : r > 0;
	}
	for (i = 0; i < a->n || i < b->n; i++) {
		if (i >= a->n)
			r = -mv_cmp(&b->v[i], NULL);
		else
			r = mv_cmp(&a->v[i], i < b->n ? &b->v[i] : NULL);
		if (r != 0)
			return r;
	}
	return 0;
}

int
pkg_maven_vercmp(const char *a, const char *b)
{
	struct mv_item x, y;
	int r;

	mv_parse(a, &x);
	mv_parse(b, &y);
	r = mv_cmp(&x, &y);
	mv_free(&x);
	mv_free(&y);
	return r;
}
