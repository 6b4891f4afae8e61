/*
 * members.c - inside archives: when no prover explains why two versions of
 * a zip/jar/wheel, a tar (plain, gzip, zstd, xz, bzip2), an ar archive or
 * a .deb differ, list the members that differ: name, sizes, hashes, the
 * first differing byte, and the cause the provers find in the member
 * itself; a member that is an archive is listed in turn, two levels deep.
 *
 * Archives are hostile: members are read with libarchive from memory,
 * never more than MEMBERS_MAX of them or MEMBERS_BYTES inflated bytes a
 * side in all (a zip bomb ends the listing with a note), and libarchive
 * is given only the in-process decoders (no external programs).
 */
#include <inttypes.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>
#include <xxhash.h>

#include "diff/causes.h"
#include "util/sbuf.h"
#include "util/util.h"

#define MEMBERS_DEPTH	2		/* archive levels listed */
#define MEMBERS_MAX	4096		/* members read of one archive */
#define MEMBERS_BYTES	(32u << 20)	/* inflated bytes read, one side */
#define MEMBERS_SHOWN	20		/* differing members listed a level */
#define MEMBERS_PROVED	16		/* members the provers look into */

/* One listing's limits, shared by its levels. */
struct lctx {
	size_t budget[2];	/* inflated bytes left to read, A and B */
	size_t proved;		/* members given to the provers */
};

struct member {
	char *name;
	uint8_t *data;
	size_t len;
	size_t ordinal;		/* position in its archive */
	size_t dup;		/* earlier members of the same name */
};

struct members {
	struct member *v;
	size_t n, cap;
	bool more;		/* over MEMBERS_MAX: the rest not read */
	bool cut;		/* the byte budget ran out */
	bool bad;		/* libarchive gave up after the first member */
};

/* @return whether every member of ms was read. */
static bool
complete(const struct members *ms)
{
	return !ms->more && !ms->cut && !ms->bad;
}

/* @return whether p starts as a format this file lists. */
static bool
looks_like_archive(const uint8_t *p, size_t n)
{
	return (n >= 4 && memcmp(p, "PK\3\4", 4) == 0) ||
	    (n >= 8 && memcmp(p, "!<arch>\n", 8) == 0) ||
	    (n >= 262 && memcmp(p + 257, "ustar", 5) == 0) ||
	    tar_comp_sniff(p, n) != TAR_COMP_NONE;
}

static struct archive *
open_mem(const uint8_t *p, size_t n)
{
	struct archive *a = archive_read_new();

	archive_read_support_format_zip(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_ar(a);
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_zstd(a);
	archive_read_support_filter_xz(a);
	archive_read_support_filter_bzip2(a);
	if (archive_read_open_memory(a, p, n) != ARCHIVE_OK) {
		archive_read_free(a);
		return NULL;
	}
	return a;
}

/* Read the current member's bytes into m, within *budget.  @return 0,
   1 when the budget ran out, -1 when the data is unreadable. */
static int
read_data(struct archive *a, struct member *m, size_t *budget)
{
	uint8_t buf[16384];
	size_t cap = 0;
	la_ssize_t k;

	while ((k = archive_read_data(a, buf, sizeof(buf))) > 0) {
		if ((size_t)k > *budget)
			return 1;
		*budget -= (size_t)k;
		xgrow(&m->data, &cap, m->len + (size_t)k, 1);
		memcpy(m->data + m->len, buf, (size_t)k);
		m->len += (size_t)k;
	}
	return k == 0 ? 0 : -1;
}

/* Read the members of the archive p into ms.  @return false when p is
   not an archive libarchive reads (no member at all). */
static bool
read_members(const uint8_t *p, size_t n, struct members *ms, size_t *budget)
{
	struct archive *a = open_mem(p, n);
	struct archive_entry *ae;
	struct member *m;
	const char *name;
	int r, d;

	if (a == NULL)
		return false;
	while ((r = archive_read_next_header(a, &ae)) != ARCHIVE_EOF) {
		if (r < ARCHIVE_WARN) {
			ms->bad = true;
			break;
		}
		if (archive_entry_filetype(ae) != AE_IFREG)
			continue;
		if (ms->n == MEMBERS_MAX) {
			ms->more = true;
			break;
		}
		xgrow(&ms->v, &ms->cap, ms->n + 1, sizeof(*ms->v));
		m = &ms->v[ms->n];
		memset(m, 0, sizeof(*m));
		name = archive_entry_pathname(ae);
		m->name = xstrdup(name != NULL ? name : "(a name not in UTF-8)");
		m->ordinal = ms->n++;
		d = read_data(a, m, budget);
		if (m->data == NULL)
			m->data = xmalloc(1);	/* empty: memcmp() wants a pointer */
		if (d != 0) {
			ms->cut = d > 0;
			ms->bad = d < 0;
			break;
		}
	}
	archive_read_free(a);
	return ms->n > 0 || (r == ARCHIVE_EOF && !ms->bad);
}

static void
members_release(struct members *ms)
{
	size_t i;

	for (i = 0; i < ms->n; i++) {
		free(ms->v[i].name);
		free(ms->v[i].data);
	}
	free(ms->v);
}

/* By name, then position: the n-th member of a name pairs with the n-th
   of that name on the other side. */
static int
member_cmp(const void *x, const void *y)
{
	const struct member *a = x, *b = y;
	int r = strcmp(a->name, b->name);

	return r != 0 ? r : (a->ordinal > b->ordinal) - (a->ordinal < b->ordinal);
}

static int
pair_cmp(const struct member *a, const struct member *b)
{
	int r = strcmp(a->name, b->name);

	return r != 0 ? r : (a->dup > b->dup) - (a->dup < b->dup);
}

static void
sort_members(struct members *ms)
{
	size_t i;

	if (ms->n > 1)
		qsort(ms->v, ms->n, sizeof(*ms->v), member_cmp);
	for (i = 1; i < ms->n; i++)
		if (strcmp(ms->v[i].name, ms->v[i - 1].name) == 0)
			ms->v[i].dup = ms->v[i - 1].dup + 1;
}

/* A member name on one line: a newline in it would start another. */
static void
add_name(struct sbuf *sb, const char *name)
{
	for (; *name != '\0'; name++)
		sbuf_addc(sb, *name == '\n' || *name == '\r' ? '?' : *name);
}

static void
add_hash(struct sbuf *sb, const struct member *m)
{
	sbuf_addf(sb, "xxh3:%016" PRIx64, (uint64_t)XXH3_64bits(m->data, m->len));
}

static void list_level(struct sbuf *sb, const uint8_t *a, size_t na,
    const uint8_t *b, size_t nb, int depth, struct lctx *l);

/* One member on both sides with other bytes: its line, then its own
   members when it is an archive no cause explains. */
static void
changed(struct sbuf *sb, const struct member *x, const struct member *y,
    int depth, struct lctx *l)
{
	char text[DIFF_CAUSE_TEXT_MAX];
	struct proof p;
	size_t i, n = x->len < y->len ? x->len : y->len;

	for (i = 0; i < n && x->data[i] == y->data[i]; i++)
		;
	sbuf_addf(sb, "%*s~ ", 2 * (depth - 1), "");
	add_name(sb, x->name);
	sbuf_addf(sb, "  %zu -> %zu bytes  ", x->len, y->len);
	add_hash(sb, x);
	sbuf_addstr(sb, " -> ");
	add_hash(sb, y);
	sbuf_addf(sb, "  first difference at byte %zu", i);
	memset(&p, 0, sizeof(p));
	/* A member may itself inflate: the provers look at the first few. */
	if (l->proved++ < MEMBERS_PROVED)
		diff_cause_prove(x->name, x->data, x->len, y->data, y->len, &p);
	free(p.detail);
	if (p.cause.prover != DIFF_PROVER_NONE)
		sbuf_addf(sb, "  %s: %s", p.holds ? "cause" : "not explained",
		    diff_cause_text(&p.cause, text, sizeof(text)));
	sbuf_addc(sb, '\n');
	if (!p.holds && depth < MEMBERS_DEPTH)
		list_level(sb, x->data, x->len, y->data, y->len, depth + 1, l);
}

/* A member on one side only. */
static void
alone(struct sbuf *sb, const struct member *m, char sign, int depth)
{
	sbuf_addf(sb, "%*s%c ", 2 * (depth - 1), "", sign);
	add_name(sb, m->name);
	sbuf_addf(sb, "  %zu bytes  ", m->len);
	add_hash(sb, m);
	sbuf_addf(sb, "  only in %c\n", sign == '-' ? 'A' : 'B');
}

/*
 * Walk the sorted members of both sides; @return how many differ.  When a
 * side was not read whole, a member seen on one side only may be in the
 * part not read: those are not counted.
 */
static size_t
walk(struct sbuf *sb, const struct members *x, const struct members *y,
    int depth, struct lctx *l)
{
	bool whole = complete(x) && complete(y);
	size_t i = 0, j = 0, differ = 0;
	int c;

	while (i < x->n || j < y->n) {
		c = i >= x->n ? 1 : j >= y->n ? -1 : pair_cmp(&x->v[i], &y->v[j]);
		if ((c == 0 && x->v[i].len == y->v[j].len &&
		    memcmp(x->v[i].data, y->v[j].data, x->v[i].len) == 0) ||
		    (c != 0 && !whole)) {
			i += c <= 0;
			j += c >= 0;
			continue;
		}
		if (differ++ >= MEMBERS_SHOWN) {
			i += c <= 0;
			j += c >= 0;
			continue;
		}
		if (c == 0)
			changed(sb, &x->v[i++], &y->v[j++], depth, l);
		else if (c < 0)
			alone(sb, &x->v[i++], '-', depth);
		else
			alone(sb, &y->v[j++], '+', depth);
	}
	return differ;
}

/* The members of a and b that differ, at one level, into sb. */
static void
list_level(struct sbuf *sb, const uint8_t *a, size_t na, const uint8_t *b,
    size_t nb, int depth, struct lctx *l)
{
	struct members x = { 0 }, y = { 0 };
	struct sbuf lines = SBUF_INIT;
	size_t differ;
	int pad = 2 * (depth - 1);

	if (!looks_like_archive(a, na) || !looks_like_archive(b, nb) ||
	    !read_members(a, na, &x, &l->budget[0]) ||
	    !read_members(b, nb, &y, &l->budget[1]))
		goto out;
	sort_members(&x);
	sort_members(&y);
	differ = walk(&lines, &x, &y, depth, l);
	sbuf_addf(sb, "%*smembers that differ: %zu (of %zu in A, %zu in B)%s%s%s\n",
	    pad, "", differ, x.n, y.n, x.more || y.more ?
	    "; only the first 4096 of an archive read" : "", x.cut || y.cut ?
	    "; cut after 32 MiB inflated" : "", x.bad || y.bad ?
	    "; unreadable past that" : "");
	if (differ == 0 && complete(&x) && complete(&y))
		sbuf_addf(sb, "%*s  the same bytes in every member: names, times or "
		    "order in the headers differ\n", pad, "");
	sbuf_add(sb, lines.buf, lines.len);
	if (differ > MEMBERS_SHOWN)
		sbuf_addf(sb, "%*s... %zu more\n", pad, "", differ - MEMBERS_SHOWN);
 out:
	sbuf_release(&lines);
	members_release(&x);
	members_release(&y);
}

char *
diff_members_show(const uint8_t *a, size_t na, const uint8_t *b, size_t nb)
{
	struct sbuf sb = SBUF_INIT;
	struct lctx l = { { MEMBERS_BYTES, MEMBERS_BYTES }, 0 };
	/*
	 * libarchive converts a zip's UTF-8 names to the locale's charset,
	 * which in the C locale fails for any byte over 0x7f: this thread
	 * reads them in C.UTF-8 (the names stay raw bytes to the renderers,
	 * which escape them).
	 */
	locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	locale_t old = utf8 != (locale_t)0 ? uselocale(utf8) : (locale_t)0;

	list_level(&sb, a, na, b, nb, 1, &l);
	if (utf8 != (locale_t)0) {
		uselocale(old);
		freelocale(utf8);
	}
	if (sb.len == 0) {
		sbuf_release(&sb);
		return NULL;
	}
	if (sb.buf[sb.len - 1] == '\n')
		sb.buf[--sb.len] = '\0';
	return sbuf_detach(&sb);
}
