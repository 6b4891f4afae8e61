/*
 * apk.c - Alpine's package database, lib/apk/db/installed: one stanza a
 * package ("P:" name, "V:" version, "A:" arch), then its directories
 * ("F:") each followed by its files ("R:") and their checksums ("Z:",
 * "Q1" and the base64 SHA-1); and apk's version ordering.
 *
 * The version order (apk-tools' documented rules, Gentoo-style):
 * numbers separated by dots, compared as numbers, except that a part
 * after a dot that starts with zeros sorts by its zeros first (1.01 <
 * 1.1, 1.001 < 1.01); then one lowercase letter (1.2 < 1.2a); then
 * suffixes "_alpha", "_beta", "_pre", "_rc" (before the release: 1.0_rc1 <
 * 1.0) or "_cvs", "_svn", "_git", "_hg", "_p" (after it: 1.0 < 1.0_p1),
 * each with an optional number; then "-r" and the package revision.
 * When one version runs out of parts first it is the smaller, unless the
 * other goes on with a pre-release suffix.  Checked against apk-tools'
 * own test vectors (corpus/apk/version.data).
 */
#include <stdlib.h>
#include <string.h>

#include "pkg/pkg_int.h"

/* ---- version ordering ---------------------------------------------------- */

/* What the next part of a version is, in the order the rules rank them. */
enum apk_part {
	PART_INVALID = -1,
	PART_DOT_NUMBER,	/* a number after a dot: leading zeros count */
	PART_NUMBER,
	PART_LETTER,
	PART_SUFFIX,
	PART_SUFFIX_NUMBER,
	PART_REVISION,
	PART_END,
};

struct apk_ver {
	const char *p, *end;
	int part;		/* enum apk_part of what p starts */
};

static bool
a_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool
a_lower(int c)
{
	return c >= 'a' && c <= 'z';
}

/* After a part was read: what kind of part starts at v->p. */
static void
apk_next_part(struct apk_ver *v)
{
	int was = v->part, next;

	if (v->p >= v->end || *v->p == '\0') {
		v->part = PART_END;
		return;
	}
	if ((was == PART_NUMBER || was == PART_DOT_NUMBER) && a_lower(*v->p))
		next = PART_LETTER;
	else if (was == PART_LETTER && a_digit(*v->p))
		next = PART_NUMBER;
	else if (was == PART_SUFFIX && a_digit(*v->p))
		next = PART_SUFFIX_NUMBER;
	else {
		if (*v->p == '.')
			next = PART_DOT_NUMBER;
		else if (*v->p == '_')
			next = PART_SUFFIX;
		else if (*v->p == '-' && v->end - v->p > 1 && v->p[1] == 'r') {
			next = PART_REVISION;
			v->p++;
		} else
			next = PART_INVALID;
		v->p++;
	}
	/* Parts only go forward, but for a new number, suffix or letter
	   group. */
	if (next < was && !(next == PART_DOT_NUMBER && was == PART_NUMBER) &&
	    !(next == PART_SUFFIX && was == PART_SUFFIX_NUMBER) &&
	    !(next == PART_NUMBER && was == PART_LETTER))
		next = PART_INVALID;
	v->part = next;
}

/* The rank of a suffix: pre-release ones below zero. */
static int
suffix_rank(struct apk_ver *v, size_t *len)
{
	static const char *const suffixes[] = { "alpha", "beta", "pre", "rc",
	    "cvs", "svn", "git", "hg", "p" };
	size_t i, k;

	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		k = strlen(suffixes[i]);
		if ((size_t)(v->end - v->p) >= k && strncmp(v->p, suffixes[i], k) == 0) {
			*len = k;
			return (int)i - 4;
		}
	}
	return INT32_MIN;
}

/* Read the part at v->p.  @return its value (0 at the end or when the
   part is invalid, which then sets v->part). */
static long
apk_part_value(struct apk_ver *v)
{
	long val = 0;
	size_t n = 0;
	int forced = PART_INVALID, r;

	if (v->p >= v->end) {
		v->part = PART_END;
		return 0;
	}
	switch (v->part) {
	case PART_DOT_NUMBER:
		if (*v->p == '0') {
			while (v->p + n < v->end && v->p[n] == '0')
				n++;
			val = -(long)n;
			forced = PART_NUMBER;
			break;
		}
		/* FALLTHROUGH */
	case PART_NUMBER:
	case PART_SUFFIX_NUMBER:
	case PART_REVISION:
		while (v->p + n < v->end && a_digit(v->p[n])) {
			if (val < 100000000000L)
				val = val * 10 + (v->p[n] - '0');
			n++;
		}
		break;
	case PART_LETTER:
		val = (unsigned char)v->p[n++];
		break;
	case PART_SUFFIX:
		if ((r = suffix_rank(v, &n)) != INT32_MIN) {
			val = r;
			break;
		}
		/* FALLTHROUGH */
	default:
		v->part = PART_INVALID;
		return -1;
	}
	v->p += n;
	if (v->p >= v->end)
		v->part = PART_END;
	else if (forced != PART_INVALID)
		v->part = forced;
	else
		apk_next_part(v);
	return val;
}

int
pkg_apk_vercmp(const char *a, const char *b)
{
	struct apk_ver x = { a, a + strlen(a), PART_NUMBER };
	struct apk_ver y = { b, b + strlen(b), PART_NUMBER };
	struct apk_ver t;
	long xv = 0, yv = 0;

	while (x.part == y.part && x.part != PART_END &&
	    x.part != PART_INVALID && xv == yv) {
		xv = apk_part_value(&x);
		yv = apk_part_value(&y);
	}
	if (xv != yv)
		return xv < yv ? -1 : 1;
	if (x.part == y.part)
		return 0;
	/* One goes on: it is the greater, unless with a pre-release. */
	t = x;
	if (x.part == PART_SUFFIX && apk_part_value(&t) < 0)
		return -1;
	t = y;
	if (y.part == PART_SUFFIX && apk_part_value(&t) < 0)
		return 1;
	return x.part > y.part ? -1 : 1;
}

/* ---- lib/apk/db/installed ------------------------------------------------ */

/* The package being read, and where its files are. */
struct apk_stanza {
	const char *name, *version, *arch;
	size_t namelen, verlen, archlen;
	size_t lineno;
	long pkg;		/* its index once P: and V: are known */
	char *dir;		/* the last F: */
	size_t own_file;	/* db->own index of the last R:, + 1 */
	bool any;
};

/* The stanza's package, added when its name and version are known. */
static int
apk_package(struct pkg_db *db, struct apk_stanza *st, const char *path,
    struct err *e)
{
	if (st->pkg >= 0)
		return 0;
	if (st->name == NULL || st->version == NULL)
		return err_set(e, ERR_FORMAT, "%s: line %zu: a package without "
		    "P: and V: before its files", path, st->lineno);
	st->pkg = pkg_add(db, PKG_APK, st->name, st->namelen, st->arch,
	    st->archlen, st->version, st->verlen, e);
	return st->pkg < 0 ? (int)st->pkg : 0;
}

static int
apk_end(struct pkg_db *db, struct apk_stanza *st, const char *path,
    struct err *e)
{
	int r = 0;

	if (st->any)
		r = apk_package(db, st, path, e);
	free(st->dir);
	memset(st, 0, sizeof(*st));
	st->pkg = -1;
	return r;
}

/* One "X:value" line. */
static int
apk_line(struct pkg_db *db, struct apk_stanza *st, const char *s, size_t n,
    const struct pkg_lines *l, const char *path, struct err *e)
{
	const char *v = s + 2;
	size_t vn = n - 2;
	char *file;
	int r;

	if (n < 2 || s[1] != ':' || memchr(s, '\0', n) != NULL)
		return err_set(e, ERR_FORMAT, "%s: line %zu: not \"X:value\"", path,
		    l->lineno);
	if (!st->any)
		st->lineno = l->lineno;
	st->any = true;
	switch (s[0]) {
	case 'P':
		st->name = v;
		st->namelen = vn;
		break;
	case 'V':
		st->version = v;
		st->verlen = vn;
		break;
	case 'A':
		st->arch = v;
		st->archlen = vn;
		break;
	case 'F':
		if ((r = apk_package(db, st, path, e)) < 0)
			return r;
		free(st->dir);
		st->dir = xstrndup(v, vn);
		pkg_own_add(db, (size_t)st->pkg, v, vn, NULL);
		db->own[db->nown - 1].dir = true;
		st->own_file = 0;
		break;
	case 'R':
		if ((r = apk_package(db, st, path, e)) < 0)
			return r;
		file = xstrfmt("%s%s%.*s", st->dir != NULL ? st->dir : "",
		    st->dir != NULL && st->dir[0] != '\0' ? "/" : "", (int)vn, v);
		pkg_own_add(db, (size_t)st->pkg, file, strlen(file), NULL);
		free(file);
		st->own_file = db->nown;
		break;
	case 'Z':
		if (st->own_file > 0 && db->own[st->own_file - 1].digest == NULL)
			db->own[st->own_file - 1].digest = xstrfmt("apk:%.*s",
			    (int)vn, v);
		break;
	default:
		break;
	}
	return 0;
}

/* @return whether in is apk-tools 3's adb-format installed database. */
static bool
is_adb(const struct pkg_input *in)
{
	const char *base = strrchr(in->path, '/') + 1;

	return strcmp(base, "installed.adb") == 0 || (in->len >= 4 &&
	    memcmp(in->data, "ADB", 3) == 0 && strchr(".cd", in->data[3]) != NULL &&
	    in->data[3] != '\0');
}

int
pkg_apk_read(struct pkg_db *db, const struct pkg_input *in, size_t n,
    struct err *e)
{
	const struct pkg_input *adb = NULL;
	bool text = false;
	struct apk_stanza st;
	struct pkg_lines l;
	const char *s;
	size_t i, len, from = db->n;
	int r = 0;

	memset(&st, 0, sizeof(st));
	st.pkg = -1;
	for (i = 0; i < n && r == 0; i++) {
		/* apk-tools 3's installed database (the adb format, "ADB" then
		   a compression letter or "."): its own file, or in place of
		   the text one.  Known, not read: say so, guess nothing. */
		if (is_adb(&in[i]))
			adb = &in[i];
		if (is_adb(&in[i]) || strcmp(strrchr(in[i].path, '/') + 1,
		    "installed") != 0)
			continue;
		text = true;
		l.p = (const char *)in[i].data;
		l.end = l.p + in[i].len;
		l.lineno = 0;
		if (in[i].len > 0 && in[i].data[in[i].len - 1] != '\n') {
			r = err_set(e, ERR_FORMAT, "%s: truncated (no newline at the "
			    "end)", in[i].path);
			break;
		}
		while (r == 0 && (r = pkg_next_line(&l, &s, &len, e)) > 0)
			r = len == 0 ? apk_end(db, &st, in[i].path, e) :
			    apk_line(db, &st, s, len, &l, in[i].path, e);
		if (r < 0 && strncmp(e->msg, in[i].path, strlen(in[i].path)) != 0)
			err_prefix(e, "%s", in[i].path);
		if (r >= 0)
			r = apk_end(db, &st, in[i].path, e);
	}
	free(st.dir);
	if (r < 0)
		return r;
	if (!text && adb != NULL)
		return err_set(e, ERR_UNSUPPORTED, "not read: apk v3 database (%s)",
		    adb->path);
	pkg_sort_from(db, from);
	return 0;
}
