/*
 * rpm.c - the rpm database: rpmdb.sqlite (var/lib/rpm/ or
 * usr/lib/sysimage/rpm/), its Packages table read with SQLite from the
 * bytes kept (never from a file), and each row's header blob parsed here:
 * name, epoch, version, release, arch, the files (BASENAMES, DIRNAMES,
 * DIRINDEXES) and their digests (FILEDIGESTS, FILEDIGESTALGO).  The
 * Berkeley DB (Packages) and ndb (Packages.db) formats are detected, not
 * read.  And rpm's version order (rpmvercmp, with epoch and release).
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "pkg/pkg_int.h"

/* ---- version ordering, as rpm's rpmvercmp and rpmverCmp ------------------ */

static bool
r_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool
r_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Compare one segment: digits numerically (leading zeros dropped, the
   longer the greater), letters as strings. */
static int
segment_cmp(const char *a, size_t an, const char *b, size_t bn, bool num)
{
	int r;

	if (num) {
		while (an > 0 && *a == '0') {
			a++;
			an--;
		}
		while (bn > 0 && *b == '0') {
			b++;
			bn--;
		}
		if (an != bn)
			return an < bn ? -1 : 1;
	}
	r = strncmp(a, b, an < bn ? an : bn);
	if (r != 0)
		return r < 0 ? -1 : 1;
	return an < bn ? -1 : an > bn;
}

/* rpmvercmp: '~' sorts before everything (even the end), '^' after the
   end but before anything else; other separators only separate. */
static int
rpmvercmp_str(const char *a, const char *b)
{
	size_t an, bn;
	bool num;
	int r;

	if (strcmp(a, b) == 0)
		return 0;
	while (*a != '\0' || *b != '\0') {
		while (*a != '\0' && !r_digit(*a) && !r_alpha(*a) && *a != '~' &&
		    *a != '^')
			a++;
		while (*b != '\0' && !r_digit(*b) && !r_alpha(*b) && *b != '~' &&
		    *b != '^')
			b++;
		if (*a == '~' || *b == '~') {
			if (*a != '~')
				return 1;
			if (*b != '~')
				return -1;
			a++;
			b++;
			continue;
		}
		if (*a == '^' || *b == '^') {
			if (*a == '\0')
				return -1;
			if (*b == '\0')
				return 1;
			if (*a != '^')
				return 1;
			if (*b != '^')
				return -1;
			a++;
			b++;
			continue;
		}
		if (*a == '\0' || *b == '\0')
			break;
		num = r_digit(*a);
		for (an = 0; a[an] != '\0' && (num ? r_digit(a[an]) : r_alpha(a[an]));
		    an++)
			;
		for (bn = 0; b[bn] != '\0' && (num ? r_digit(b[bn]) : r_alpha(b[bn]));
		    bn++)
			;
		/* A number against letters: the number is newer. */
		if (bn == 0)
			return num ? 1 : -1;
		if ((r = segment_cmp(a, an, b, bn, num)) != 0)
			return r;
		a += an;
		b += bn;
	}
	if (*a == '\0' && *b == '\0')
		return 0;
	return *a == '\0' ? -1 : 1;
}

/* [epoch:]version[-release], split in place of a copy. */
struct evr {
	char *buf;
	const char *e, *v, *r;
};

static void
evr_split(const char *s, struct evr *x)
{
	char *colon, *hyphen, *p;

	x->buf = xstrdup(s);
	x->e = "0";
	x->r = NULL;
	p = x->buf;
	for (colon = p; r_digit(*colon); colon++)
		;
	if (*colon == ':') {
		*colon = '\0';
		x->e = colon > p ? p : "0";
		p = colon + 1;
	}
	if ((hyphen = strrchr(p, '-')) != NULL) {
		*hyphen = '\0';
		x->r = hyphen + 1;
	}
	x->v = p;
}

int
pkg_rpm_vercmp(const char *a, const char *b)
{
	struct evr x, y;
	int r;

	evr_split(a, &x);
	evr_split(b, &y);
	r = rpmvercmp_str(x.e, y.e);
	if (r == 0)
		r = rpmvercmp_str(x.v, y.v);
	/* As rpm.vercmp() orders them: with equal versions, one with a
	   release (even an empty one) is the newer. */
	if (r == 0 && x.r != NULL && y.r != NULL)
		r = rpmvercmp_str(x.r, y.r);
	else if (r == 0 && (x.r != NULL) != (y.r != NULL))
		r = x.r != NULL ? 1 : -1;
	free(x.buf);
	free(y.buf);
	return r;
}

/* ---- header blobs --------------------------------------------------------- */

#define RPM_INDEX_MAX	65536		/* index entries of one header */
#define RPM_DATA_MAX	(256u << 20)	/* its data store */
#define RPM_VALUES_MAX	(1u << 20)	/* values of one tag (files) */

enum {
	RPMTAG_NAME = 1000, RPMTAG_VERSION = 1001, RPMTAG_RELEASE = 1002,
	RPMTAG_EPOCH = 1003, RPMTAG_ARCH = 1022, RPMTAG_FILEDIGESTS = 1035,
	RPMTAG_DIRINDEXES = 1116, RPMTAG_BASENAMES = 1117,
	RPMTAG_DIRNAMES = 1118, RPMTAG_FILEDIGESTALGO = 5011,
};

enum { RPM_INT32 = 4, RPM_STRING = 6, RPM_STRING_ARRAY = 8, RPM_I18N = 9 };

/* One header: its index and data store, checked. */
struct rpmhdr {
	const uint8_t *index, *data;
	uint32_t il, dl;
};

/* An entry's data: where it starts and how many values. */
struct rpmval {
	uint32_t type, off, count;
	bool found;
};

static int
hdr_open(struct rpmhdr *h, const uint8_t *p, size_t n, struct err *e)
{
	if (n < 8)
		return err_set(e, ERR_FORMAT, "a header of %zu bytes", n);
	h->il = get_be32(p);
	h->dl = get_be32(p + 4);
	if (h->il == 0 || h->il > RPM_INDEX_MAX)
		return err_set(e, ERR_FORMAT, "a header with %u index entries",
		    h->il);
	if (h->dl > RPM_DATA_MAX || (uint64_t)h->il * 16 + h->dl + 8 > n)
		return err_set(e, ERR_FORMAT, "a header whose %u entries and %u "
		    "data bytes pass its %zu bytes", h->il, h->dl, n);
	h->index = p + 8;
	h->data = h->index + (size_t)h->il * 16;
	return 0;
}

static struct rpmval
hdr_find(const struct rpmhdr *h, uint32_t tag)
{
	struct rpmval v = { 0, 0, 0, false };
	uint32_t i;

	for (i = 0; i < h->il; i++)
		if (get_be32(h->index + 16 * i) == tag) {
			v.type = get_be32(h->index + 16 * i + 4);
			v.off = get_be32(h->index + 16 * i + 8);
			v.count = get_be32(h->index + 16 * i + 12);
			v.found = v.off < h->dl;
			break;
		}
	return v;
}

/* The count strings at v, each NUL-terminated within the data store,
   into *out (pointers into it; free the array).  @return 0 or ERR_FORMAT. */
static int
hdr_strings(const struct rpmhdr *h, uint32_t tag, const char ***out,
    uint32_t *count, struct err *e)
{
	struct rpmval v = hdr_find(h, tag);
	const char **s;
	const uint8_t *nul;
	uint32_t i, off;

	*out = NULL;
	*count = 0;
	if (!v.found)
		return 0;
	if ((v.type != RPM_STRING && v.type != RPM_STRING_ARRAY &&
	    v.type != RPM_I18N) || v.count > h->dl - v.off ||
	    v.count > RPM_VALUES_MAX)
		return err_set(e, ERR_FORMAT, "tag %u: type %u, %u values at %u",
		    tag, v.type, v.count, v.off);
	if (v.type == RPM_STRING)
		v.count = 1;
	s = xcalloc((size_t)v.count + 1, sizeof(*s));
	for (i = 0, off = v.off; i < v.count; i++) {
		nul = off < h->dl ? memchr(h->data + off, '\0', h->dl - off) : NULL;
		if (nul == NULL) {
			free(s);
			return err_set(e, ERR_FORMAT, "tag %u: string %u runs past "
			    "the data", tag, i);
		}
		s[i] = (const char *)h->data + off;
		off = (uint32_t)(nul - h->data) + 1;
	}
	*out = s;
	*count = v.count;
	return 0;
}

/* @return the first INT32 of tag, or def when absent. */
static int
hdr_int32(const struct rpmhdr *h, uint32_t tag, const uint8_t **p,
    uint32_t *count, struct err *e)
{
	struct rpmval v = hdr_find(h, tag);

	*p = NULL;
	*count = 0;
	if (!v.found)
		return 0;
	if (v.type != RPM_INT32 || v.off % 4 != 0 ||
	    v.count > (h->dl - v.off) / 4 || v.count > RPM_VALUES_MAX)
		return err_set(e, ERR_FORMAT, "tag %u: type %u, %u values at %u",
		    tag, v.type, v.count, v.off);
	*p = h->data + v.off;
	*count = v.count;
	return 0;
}

/* The hash names of FILEDIGESTALGO (RFC 4880 numbers, as rpm uses). */
static const char *
digest_algo(uint32_t a)
{
	switch (a) {
	case 1:		return "md5";
	case 2:		return "sha1";
	case 8:		return "sha256";
	case 9:		return "sha384";
	case 10:	return "sha512";
	case 11:	return "sha224";
	default:	return "rpm";
	}
}

/* The files of one package: dirnames[dirindexes[i]] + basenames[i]. */
static int
hdr_files(struct pkg_db *db, size_t pkg, const struct rpmhdr *h,
    struct err *e)
{
	const char **base = NULL, **dirs = NULL, **dig = NULL;
	const uint8_t *idx, *algo;
	uint32_t nbase, ndirs, nidx, ndig, nalgo, i, d;
	const char *hash;
	char *path, *digest;
	int r;

	if ((r = hdr_strings(h, RPMTAG_BASENAMES, &base, &nbase, e)) < 0 ||
	    (r = hdr_strings(h, RPMTAG_DIRNAMES, &dirs, &ndirs, e)) < 0 ||
	    (r = hdr_strings(h, RPMTAG_FILEDIGESTS, &dig, &ndig, e)) < 0 ||
	    (r = hdr_int32(h, RPMTAG_DIRINDEXES, &idx, &nidx, e)) < 0 ||
	    (r = hdr_int32(h, RPMTAG_FILEDIGESTALGO, &algo, &nalgo, e)) < 0)
		goto out;
	if (nidx != nbase) {
		r = err_set(e, ERR_FORMAT, "%u file names but %u directory "
		    "indexes", nbase, nidx);
		goto out;
	}
	hash = digest_algo(nalgo > 0 ? get_be32(algo) : 1);
	for (i = 0; i < nbase; i++) {
		if ((d = get_be32(idx + 4 * i)) >= ndirs) {
			r = err_set(e, ERR_FORMAT, "file %u: directory index %u of %u",
			    i, d, ndirs);
			goto out;
		}
		path = xstrfmt("%s%s", dirs[d], base[i]);
		digest = i < ndig && dig[i][0] != '\0' ?
		    xstrfmt("%s:%s", hash, dig[i]) : NULL;
		pkg_own_add(db, pkg, path, strlen(path), digest);
		free(path);
		free(digest);
	}
	r = 0;
 out:
	free(base);
	free(dirs);
	free(dig);
	return r;
}

/* One row of Packages. */
static int
read_header(struct pkg_db *db, const uint8_t *p, size_t n, struct err *e)
{
	const char **name = NULL, **ver = NULL, **rel = NULL, **arch = NULL;
	uint32_t nn, nv, nr, na, ne;
	const uint8_t *epoch;
	struct rpmhdr h;
	char *evr = NULL;
	long pkg;
	int r;

	if ((r = hdr_open(&h, p, n, e)) < 0 ||
	    (r = hdr_strings(&h, RPMTAG_NAME, &name, &nn, e)) < 0 ||
	    (r = hdr_strings(&h, RPMTAG_VERSION, &ver, &nv, e)) < 0 ||
	    (r = hdr_strings(&h, RPMTAG_RELEASE, &rel, &nr, e)) < 0 ||
	    (r = hdr_strings(&h, RPMTAG_ARCH, &arch, &na, e)) < 0 ||
	    (r = hdr_int32(&h, RPMTAG_EPOCH, &epoch, &ne, e)) < 0)
		goto out;
	if (nn == 0 || nv == 0) {
		r = err_set(e, ERR_FORMAT, "a header without NAME or VERSION");
		goto out;
	}
	/* gpg-pubkey rows are keys, not packages. */
	if (strcmp(name[0], "gpg-pubkey") == 0)
		goto out;
	evr = ne > 0 ? xstrfmt("%u:%s%s%s", get_be32(epoch), ver[0],
	    nr > 0 ? "-" : "", nr > 0 ? rel[0] : "") :
	    xstrfmt("%s%s%s", ver[0], nr > 0 ? "-" : "", nr > 0 ? rel[0] : "");
	if ((pkg = pkg_add(db, PKG_RPM, name[0], strlen(name[0]),
	    na > 0 ? arch[0] : NULL, na > 0 ? strlen(arch[0]) : 0, evr,
	    strlen(evr), e)) < 0) {
		r = (int)pkg;
		goto out;
	}
	r = hdr_files(db, (size_t)pkg, &h, e);
	if (r < 0)
		err_prefix(e, "package '%.64s'", name[0]);
 out:
	free(name);
	free(ver);
	free(rel);
	free(arch);
	free(evr);
	return r;
}

/* ---- rpmdb.sqlite ---------------------------------------------------------- */

static const uint8_t sqlite_magic[16] = "SQLite format 3";

static int
read_sqlite(struct pkg_db *db, const struct pkg_input *in, struct err *e)
{
	sqlite3 *sq = NULL;
	sqlite3_stmt *st = NULL;
	unsigned char *copy;
	const void *blob;
	int r = 0, rc, nrow = 0;

	if (in->len < 100 || memcmp(in->data, sqlite_magic, 16) != 0)
		return err_set(e, ERR_FORMAT, "%s: not an SQLite database",
		    in->path);
	if (sqlite3_open_v2(":memory:", &sq, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_MEMORY, NULL) != SQLITE_OK) {
		r = err_set(e, ERR_INTERNAL, "%s: sqlite: cannot open", in->path);
		goto out;
	}
	sqlite3_db_config(sq, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_limit(sq, SQLITE_LIMIT_LENGTH, RPM_DATA_MAX);
	if ((copy = sqlite3_malloc64(in->len)) == NULL)
		xalloc_die();
	memcpy(copy, in->data, in->len);
	/* rpm keeps its database in WAL mode (header bytes 18 and 19 are 2),
	   which an in-memory database cannot open: read it as a rollback
	   database, which is the same pages (the -wal file is not read) */
	if (copy[18] == 2 && copy[19] == 2)
		copy[18] = copy[19] = 1;
	if (sqlite3_deserialize(sq, "main", copy, (sqlite3_int64)in->len,
	    (sqlite3_int64)in->len, SQLITE_DESERIALIZE_FREEONCLOSE |
	    SQLITE_DESERIALIZE_READONLY) != SQLITE_OK) {
		r = err_set(e, ERR_FORMAT, "%s: sqlite: %s", in->path,
		    sqlite3_errmsg(sq));
		goto out;
	}
	if (sqlite3_prepare_v2(sq, "SELECT blob FROM Packages", -1, &st,
	    NULL) != SQLITE_OK) {
		r = err_set(e, ERR_FORMAT, "%s: sqlite: %s", in->path,
		    sqlite3_errmsg(sq));
		goto out;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		nrow++;
		blob = sqlite3_column_blob(st, 0);
		if ((r = read_header(db, blob, (size_t)sqlite3_column_bytes(st, 0),
		    e)) < 0) {
			err_prefix(e, "%s: row %d", in->path, nrow);
			goto out;
		}
	}
	if (rc != SQLITE_DONE)
		r = err_set(e, ERR_FORMAT, "%s: sqlite: %s", in->path,
		    sqlite3_errmsg(sq));
 out:
	sqlite3_finalize(st);
	sqlite3_close(sq);
	return r;
}

int
pkg_rpm_read(struct pkg_db *db, const struct pkg_input *in, size_t n,
    struct err *e)
{
	const struct pkg_input *other = NULL;
	size_t i, from = db->n;
	const char *base;
	bool any = false;
	int r;

	for (i = 0; i < n; i++) {
		base = strrchr(in[i].path, '/') + 1;
		if (strcmp(base, "rpmdb.sqlite") != 0) {
			other = &in[i];
			continue;
		}
		any = true;
		if ((r = read_sqlite(db, &in[i], e)) < 0)
			return r;
	}
	/* Only an older format: say so, guess nothing. */
	if (!any && other != NULL)
		return err_set(e, ERR_UNSUPPORTED, "not read: %s (%s)",
		    strcmp(strrchr(other->path, '/') + 1, "Packages") == 0 ?
		    "a Berkeley DB" : "an ndb database", other->path);
	pkg_sort_from(db, from);
	return 0;
}
