/*
 * causes.c - the provers: embedded timestamps (.pyc, gzip, zip, ar, PNG,
 * gettext .mo, PE), ELF build ids and build paths, what a gzip or zstd file
 * holds, line order, and the known-volatile files.  Offsets are in
 * NONDETERMINISM.md.
 *
 * A prover is one row {name, fn} of provers[]; the causes it names are
 * rows {name, hint} of causes[], indexed by enum diff_cause_id.  A prover
 * fills a struct diff_cause; diff_cause_text() is the only place that
 * writes one as text.
 */
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>

#include "diff/causes.h"
#include "diff/diff_int.h"
#include "util/util.h"

#define PROVE_DEPTH_MAX		3
#define INFLATE_MAX		(64u << 20)	/* a gzip payload looked into */
#define SHOW_LINES_MAX		40
#define SHOW_BYTES_MAX		4096
#define SHOW_WIDTH		100	/* bytes of a diff line shown */
#define SHOW_LEAD		32	/* of them ahead of the first that differs */
#define SHOW_HEX		24	/* bytes of a hex context line */

/* Byte ranges allowed to differ, for same-length formats. */
struct mask {
	size_t off[64], len[64];
	size_t n;
	bool full;		/* more ranges than fit: give up */
	size_t first;		/* equal_except() false: the first differing
				   byte outside the ranges */
};

static void
mask_add(struct mask *m, size_t off, size_t len)
{
	if (m->n == 64) {
		m->full = true;
		return;
	}
	m->off[m->n] = off;
	m->len[m->n++] = len;
}

static bool
masked(const struct mask *m, size_t i)
{
	size_t k;

	for (k = 0; k < m->n; k++)
		if (i >= m->off[k] && i - m->off[k] < m->len[k])
			return true;
	return false;
}

/* Every differing byte of equal-length a and b lies in a masked range;
   when not, m->first says where the first other one is. */
static bool
equal_except(const uint8_t *a, const uint8_t *b, size_t n, struct mask *m)
{
	size_t i;

	m->first = 0;
	for (i = 0; i < n; i++)
		if (a[i] != b[i] && !masked(m, i)) {
			m->first = i;
			return false;
		}
	return !m->full;
}

/*
 * Record what a prover found: the cause id that holds, or DIFF_CAUSE_NONE
 * and what differs beyond any cause.
 */
static void found(struct proof *p, enum diff_cause_id id, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
found(struct proof *p, enum diff_cause_id id, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->cause.fields, sizeof(p->cause.fields), fmt, ap);
	va_end(ap);
	p->cause.id = (uint8_t)id;
	p->holds = id != DIFF_CAUSE_NONE;
}

/* No cause holds, and the mask's ranges explain the bytes before
   m->first: the report shows the bytes from there. */
static void
beyond(struct proof *p, const struct mask *m, const char *what)
{
	found(p, DIFF_CAUSE_NONE, "%s", what);
	p->from = m->first + 1;
}

/* Two versions of one file, and how deep into containers they lie. */
struct prove_in {
	const char *path;
	const uint8_t *a, *b;
	size_t na, nb;
	int depth;
};

static void prove_depth(const struct prove_in *in, struct proof *p);

/* ---- .pyc (PEP 552) ------------------------------------------------------- */

static bool
prove_pyc(const struct prove_in *in, struct proof *p)
{
	const uint8_t *a = in->a, *b = in->b;
	size_t n = in->na;
	struct mask m = { .n = 0 };
	uint32_t fa, fb;

	if (n < 16 || a[2] != '\r' || a[3] != '\n' || memcmp(a, b, 4) != 0)
		return false;
	fa = get_le32(a + 4);
	fb = get_le32(b + 4);
	if (fa != fb)
		return false;
	if (fa != 0) {
		/* Hash-based: a different hash means a different source. */
		if (memcmp(a + 8, b + 8, 8) == 0)
			return false;
		found(p, DIFF_CAUSE_NONE,
		    "pyc-source-hash (bytes 8-15): the source changed");
		return true;
	}
	mask_add(&m, 8, 8);
	if (!equal_except(a, b, n, &m)) {
		beyond(p, &m, "pyc marshal data differs (bytes 16+)");
		return true;
	}
	found(p, DIFF_CAUSE_PYC_MTIME, "%s", memcmp(a + 12, b + 12, 4) == 0 ?
	    "bytes 8-11" : "bytes 8-15: mtime and source size");
	return true;
}

/* ---- compressed files: gzip, zstd ------------------------------------------ */

/* What the payload prover says for one compression. */
static const struct {
	enum tar_comp comp;
	enum diff_cause_id same, payload;
	const char *other;	/* what else differs when the payload is the same */
} payloads[] = {
	{ TAR_COMP_GZIP, DIFF_CAUSE_GZIP_COMPRESSION, DIFF_CAUSE_GZIP_PAYLOAD,
	    "other deflate stream" },
	{ TAR_COMP_ZSTD, DIFF_CAUSE_ZSTD_COMPRESSION, DIFF_CAUSE_ZSTD_PAYLOAD,
	    "other zstd frames" },
};

/*
 * Decompress both versions (tar/compress.c) and compare what they hold:
 * the same bytes (only the compressor moved), or what the provers find
 * inside.  header is what else the gzip header changed, or "".
 */
static void
prove_payload(const struct prove_in *in, size_t k, const char *header,
    struct proof *p)
{
	const char *name = tar_comp_name(payloads[k].comp);
	uint8_t *xa = NULL, *xb = NULL;
	char inner_text[DIFF_CAUSE_TEXT_MAX];
	struct prove_in sub = *in;
	struct proof inner;
	struct err e = { 0 };

	if (tar_decompress(in->a, in->na, INFLATE_MAX, &xa, &sub.na, &e) < 0 ||
	    tar_decompress(in->b, in->nb, INFLATE_MAX, &xb, &sub.nb, &e) < 0) {
		found(p, DIFF_CAUSE_NONE, "%s payload differs (not inflated)", name);
		goto out;
	}
	if (sub.na == sub.nb && memcmp(xa, xb, sub.na) == 0) {
		found(p, payloads[k].same, "same payload, %s%s", payloads[k].other,
		    header[0] ? "; header too" : "");
		goto out;
	}
	sub.a = xa;
	sub.b = xb;
	sub.depth++;
	memset(&inner, 0, sizeof(inner));
	prove_depth(&sub, &inner);
	free(inner.detail);
	diff_cause_text(&inner.cause, inner_text, sizeof(inner_text));
	if (inner.holds)
		found(p, payloads[k].payload, "%.200s", inner_text);
	else
		found(p, DIFF_CAUSE_NONE, "%s payload differs%s%.200s", name,
		    inner_text[0] ? ": " : "", inner_text);
 out:
	free(xa);
	free(xb);
}

static bool
prove_gzip(const struct prove_in *in, struct proof *p)
{
	const uint8_t *a = in->a, *b = in->b;
	size_t na = in->na, nb = in->nb, ha, hb;
	struct tar_framing fa = { 0 }, fb = { 0 };
	struct sbuf f = SBUF_INIT;

	/* A header and the 8-byte trailer at least. */
	if (na < 18 || nb < 18 || (ha = tar_gzip_header(a, na, &fa)) == 0 ||
	    (hb = tar_gzip_header(b, nb, &fb)) == 0)
		return false;
	if (fa.gz_mtime != fb.gz_mtime)
		sbuf_addstr(&f, "MTIME bytes 4-7, ");
	if (fa.gz_xfl != fb.gz_xfl)
		sbuf_addstr(&f, "XFL byte 8, ");
	if (fa.gz_os != fb.gz_os)
		sbuf_addstr(&f, "OS byte 9, ");
	if (ha != hb || memcmp(a + 10, b + 10, ha - 10) != 0)
		sbuf_addstr(&f, "FNAME/FEXTRA, ");
	if (f.len >= 2)
		f.buf[f.len -= 2] = '\0';
	if (na - ha == nb - hb && memcmp(a + ha, b + hb, na - ha) == 0)
		found(p, DIFF_CAUSE_GZIP_HEADER, "%s", sbuf_str(&f));
	else	/* Other deflate bytes: look at what they hold. */
		prove_payload(in, 0, sbuf_str(&f), p);
	sbuf_release(&f);
	return true;
}

static bool
prove_zstd(const struct prove_in *in, struct proof *p)
{
	if (tar_comp_sniff(in->a, in->na) != TAR_COMP_ZSTD ||
	    tar_comp_sniff(in->b, in->nb) != TAR_COMP_ZSTD)
		return false;
	prove_payload(in, 1, "", p);
	return true;
}

/* ---- zip, jar, wheel -------------------------------------------------------- */

/* Mask the time fields of the extra block at p (len bytes). */
static void
zip_extra(struct mask *m, const uint8_t *p, size_t base, size_t len)
{
	size_t i = 0;
	uint16_t id, sz;

	while (i + 4 <= len) {
		id = get_le16(p + i);
		sz = get_le16(p + i + 2);
		if (i + 4 + sz > len)
			return;
		if (id == 0x5455 || id == 0x000a || id == 0x7875)
			mask_add(m, base + i + 4, sz);
		i += 4 + (size_t)sz;
	}
}

static bool
prove_zip(const struct prove_in *in, struct proof *p)
{
	const uint8_t *a = in->a, *b = in->b;
	size_t n = in->na;
	struct mask m = { .n = 0 };
	size_t i, nl, xl, cl;

	if (n < 30 || memcmp(a, "PK\3\4", 4) != 0 || memcmp(b, "PK\3\4", 4) != 0)
		return false;
	for (i = 0; i + 46 <= n; i++) {
		if (a[i] != 'P' || a[i + 1] != 'K' || memcmp(a + i, b + i, 4) != 0)
			continue;
		if (a[i + 2] == 3 && a[i + 3] == 4) {		/* local header */
			nl = get_le16(a + i + 26);
			xl = get_le16(a + i + 28);
			if (nl != get_le16(b + i + 26) || xl != get_le16(b + i + 28) ||
			    i + 30 + nl + xl > n)
				continue;
			mask_add(&m, i + 10, 4);
			zip_extra(&m, a + i + 30 + nl, i + 30 + nl, xl);
		} else if (a[i + 2] == 1 && a[i + 3] == 2) {	/* central header */
			nl = get_le16(a + i + 28);
			xl = get_le16(a + i + 30);
			cl = get_le16(a + i + 32);
			if (nl != get_le16(b + i + 28) || xl != get_le16(b + i + 30) ||
			    i + 46 + nl + xl + cl > n)
				continue;
			mask_add(&m, i + 12, 4);
			zip_extra(&m, a + i + 46 + nl, i + 46 + nl, xl);
		}
	}
	if (equal_except(a, b, n, &m))
		found(p, DIFF_CAUSE_ZIP_TIMES,
		    "DOS time/date and extra time fields");
	else
		beyond(p, &m, "zip entries differ beyond their times");
	return true;
}

/* ---- tar (inside a gzip, a .deb, a file) ----------------------------------------- */

struct tar_mem {
	struct archive *a;
	struct archive_entry *e;
};

static bool
tar_open_mem(struct tar_mem *t, const uint8_t *p, size_t n)
{
	t->a = archive_read_new();
	archive_read_support_format_tar(t->a);
	archive_read_support_filter_all(t->a);
	return archive_read_open_memory(t->a, p, n) == ARCHIVE_OK;
}

/* Read the current entry's data into sb.  @return false on error. */
static bool
tar_data(struct archive *a, struct sbuf *sb)
{
	char buf[16384];
	la_ssize_t n;

	sbuf_reset(sb);
	while ((n = archive_read_data(a, buf, sizeof(buf))) > 0) {
		if (sb->len + (size_t)n > INFLATE_MAX)
			return false;
		sbuf_add(sb, buf, (size_t)n);
	}
	return n == 0;
}

/*
 * Two tars whose entries match in order, name, type, mode, owner, link and
 * bytes, and differ only in their times.  @return false when not tars.
 */
static bool
prove_tar(const struct prove_in *in, struct proof *p)
{
	const uint8_t *a = in->a, *b = in->b;
	size_t na = in->na, nb = in->nb;
	struct tar_mem x = { NULL, NULL }, y = { NULL, NULL };
	struct sbuf dx = SBUF_INIT, dy = SBUF_INIT;
	bool recognised = false, same = true, times = false;
	int rx, ry;

	if (na < 512 || nb < 512 || memcmp(a + 257, "ustar", 5) != 0 ||
	    memcmp(b + 257, "ustar", 5) != 0)
		return false;
	if (!tar_open_mem(&x, a, na) || !tar_open_mem(&y, b, nb))
		goto out;
	recognised = true;
	for (;;) {
		rx = archive_read_next_header(x.a, &x.e);
		ry = archive_read_next_header(y.a, &y.e);
		if (rx == ARCHIVE_EOF && ry == ARCHIVE_EOF)
			break;
		if (rx < ARCHIVE_WARN || ry < ARCHIVE_WARN || rx == ARCHIVE_EOF ||
		    ry == ARCHIVE_EOF ||
		    strcmp(archive_entry_pathname(x.e) ? archive_entry_pathname(x.e) : "",
		    archive_entry_pathname(y.e) ? archive_entry_pathname(y.e) : "") != 0 ||
		    archive_entry_mode(x.e) != archive_entry_mode(y.e) ||
		    archive_entry_uid(x.e) != archive_entry_uid(y.e) ||
		    archive_entry_gid(x.e) != archive_entry_gid(y.e) ||
		    archive_entry_size(x.e) != archive_entry_size(y.e) ||
		    !tar_data(x.a, &dx) || !tar_data(y.a, &dy) || dx.len != dy.len ||
		    memcmp(sbuf_str(&dx), sbuf_str(&dy), dx.len) != 0) {
			same = false;
			break;
		}
		times |= archive_entry_mtime(x.e) != archive_entry_mtime(y.e) ||
		    archive_entry_mtime_nsec(x.e) != archive_entry_mtime_nsec(y.e);
	}
	if (same)
		found(p, times ? DIFF_CAUSE_TAR_TIMES : DIFF_CAUSE_TAR_ENCODING, "%s",
		    times ? "member mtimes" : "same members, other header bytes");
	else
		found(p, DIFF_CAUSE_NONE, "tar members differ beyond their times");
 out:
	archive_read_free(x.a);
	archive_read_free(y.a);
	sbuf_release(&dx);
	sbuf_release(&dy);
	return recognised;
}

/* ---- ar (.a, .deb) ------------------------------------------------------------ */

struct ar_member {
	size_t hdr, data, size;
};

/* @return the number of members (at most max) of the ar archive a. */
static size_t
ar_members(const uint8_t *a, size_t n, struct ar_member *m, size_t max)
{
	size_t i = 8, k = 0;
	char num[11];

	while (i + 60 <= n && k < max) {
		if (a[i + 58] != '`' || a[i + 59] != '\n')
			break;
		memcpy(num, a + i + 48, 10);
		num[10] = '\0';
		m[k].hdr = i;
		m[k].data = i + 60;
		m[k].size = strtoul(num, NULL, 10);
		if (m[k].size > n - m[k].data)
			break;
		i = m[k].data + m[k].size + (m[k].size & 1);
		k++;
	}
	return k;
}

static bool
prove_ar(const struct prove_in *in, struct proof *p)
{
	const uint8_t *a = in->a, *b = in->b;
	size_t na = in->na, nb = in->nb;
	struct ar_member ma[32], mb[32];
	struct mask m = { .n = 0 };
	char inner_text[DIFF_CAUSE_TEXT_MAX];
	struct prove_in sub = *in;
	struct proof inner;
	struct sbuf why = SBUF_INIT;
	size_t ka, kb, i;
	bool holds = true;

	if (na < 8 || nb < 8 || memcmp(a, "!<arch>\n", 8) != 0 ||
	    memcmp(b, "!<arch>\n", 8) != 0)
		return false;
	ka = ar_members(a, na, ma, 32);
	kb = ar_members(b, nb, mb, 32);
	for (i = 0; i < ka; i++)
		mask_add(&m, ma[i].hdr + 16, 32);	/* mtime, uid, gid, mode */
	if (na == nb && equal_except(a, b, na, &m)) {
		found(p, DIFF_CAUSE_AR_MEMBER_HEADER, "member mtime/uid/gid/mode, "
		    "bytes 16-47 of each header");
		return true;
	}
	/* A .deb: look into each member that differs (control, data tars). */
	if (ka != kb || ka == 32) {
		found(p, DIFF_CAUSE_NONE, "ar members differ");
		return true;
	}
	for (i = 0; i < ka && holds; i++) {
		if (memcmp(a + ma[i].hdr, b + mb[i].hdr, 16) != 0) {
			holds = false;
			break;
		}
		if (ma[i].size == mb[i].size &&
		    memcmp(a + ma[i].data, b + mb[i].data, ma[i].size) == 0)
			continue;
		sub.a = a + ma[i].data;
		sub.na = ma[i].size;
		sub.b = b + mb[i].data;
		sub.nb = mb[i].size;
		sub.depth = in->depth + 1;
		memset(&inner, 0, sizeof(inner));
		prove_depth(&sub, &inner);
		free(inner.detail);
		holds = inner.holds;
		sbuf_addf(&why, "%s%.*s: %s", why.len ? "; " : "",
		    (int)strcspn((const char *)a + ma[i].hdr, " /"),
		    (const char *)a + ma[i].hdr,
		    diff_cause_text(&inner.cause, inner_text, sizeof(inner_text)));
	}
	if (holds)
		found(p, DIFF_CAUSE_AR_MEMBERS, "%.220s", sbuf_str(&why));
	else
		found(p, DIFF_CAUSE_NONE, "ar members differ beyond their headers");
	sbuf_release(&why);
	return true;
}

/* ---- PNG ---------------------------------------------------------------------- */

static bool
prove_png(const struct prove_in *in, struct proof *p)
{
	const uint8_t *a = in->a, *b = in->b;
	size_t n = in->na;
	static const uint8_t sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	struct mask m = { .n = 0 };
	size_t i = 8;
	uint32_t len;

	if (n < 8 || memcmp(a, sig, 8) != 0 || memcmp(b, sig, 8) != 0)
		return false;
	while (i + 12 <= n) {
		len = get_be32(a + i);
		if (len > n - i - 12)
			break;
		if (memcmp(a + i + 4, "tIME", 4) == 0 ||
		    ((memcmp(a + i + 4, "tEXt", 4) == 0 ||
		    memcmp(a + i + 4, "iTXt", 4) == 0) && len >= 5 &&
		    memcmp(a + i + 8, "date:", 5) == 0))
			mask_add(&m, i + 8, (size_t)len + 4);	/* data and CRC */
		i += 12 + (size_t)len;
	}
	if (equal_except(a, b, n, &m))
		found(p, DIFF_CAUSE_PNG_TIME,
		    "tIME / date: text chunks and their CRCs");
	else
		beyond(p, &m, "PNG image data differs");
	return true;
}

/* ---- gettext .mo ----------------------------------------------------------------- */

static void
mask_field(struct mask *m, const uint8_t *a, size_t n, const char *key)
{
	size_t k = strlen(key), i, j;

	for (i = 0; i + k < n; i++)
		if (memcmp(a + i, key, k) == 0) {
			for (j = i + k; j < n && a[j] != '\n' && a[j] != 0; j++)
				;
			mask_add(m, i + k, j - i - k);
		}
}

static bool
prove_mo(const struct prove_in *in, struct proof *p)
{
	const uint8_t *a = in->a, *b = in->b;
	size_t n = in->na;
	struct mask m = { .n = 0 };

	if (n < 28 || (get_le32(a) != 0x950412de && get_be32(a) != 0x950412de) ||
	    memcmp(a, b, 4) != 0)
		return false;
	mask_field(&m, a, n, "POT-Creation-Date:");
	mask_field(&m, a, n, "PO-Revision-Date:");
	if (equal_except(a, b, n, &m))
		found(p, DIFF_CAUSE_MO_CREATION_DATE,
		    "POT-Creation-Date / PO-Revision-Date");
	else
		beyond(p, &m, "translations differ");
	return true;
}

/* ---- ELF --------------------------------------------------------------------------- */

/* Is byte i inside a printable NUL-terminated string holding a '/'? */
static bool
in_path_string(const uint8_t *a, size_t n, size_t i)
{
	size_t s = i, e = i;
	bool slash = false;

	while (s > 0 && a[s - 1] >= 0x20 && a[s - 1] < 0x7f)
		s--;
	while (e < n && a[e] >= 0x20 && a[e] < 0x7f)
		e++;
	if (e >= n || a[e] != 0 || e - s < 2)
		return false;
	for (; s < e; s++)
		slash |= a[s] == '/';
	return slash;
}

static bool
prove_elf(const struct prove_in *in, struct proof *p)
{
	const uint8_t *a = in->a, *b = in->b;
	size_t n = in->na;
	static const uint8_t note[16] = { 4, 0, 0, 0, 20, 0, 0, 0, 3, 0, 0, 0,
	    'G', 'N', 'U', 0 };
	struct mask m = { .n = 0 };
	size_t i;
	bool id = false, paths = false;

	if (n < 64 || memcmp(a, "\177ELF", 4) != 0 || memcmp(b, "\177ELF", 4) != 0)
		return false;
	for (i = 0; i + 36 <= n; i++)
		if (memcmp(a + i, note, 16) == 0 && memcmp(b + i, note, 16) == 0) {
			mask_add(&m, i + 16, 20);
			id |= memcmp(a + i + 16, b + i + 16, 20) != 0;
		}
	for (i = 0; i < n; i++) {
		if (a[i] == b[i] || masked(&m, i))
			continue;
		if (!in_path_string(a, n, i) || !in_path_string(b, n, i)) {
			m.first = i;
			beyond(p, &m, "ELF code or data differs");
			return true;
		}
		paths = true;
	}
	if (paths)
		found(p, DIFF_CAUSE_BUILD_PATH,
		    "the GNU build-id and DWARF comp_dir strings%s",
		    id ? "" : ", build-id unchanged");
	else
		found(p, DIFF_CAUSE_BUILD_ID, "the 20-byte GNU build-id note");
	return true;
}

/* ---- compiled dependencies (diff/modules.c) ---------------------------------------- */

static bool
prove_modules(const struct prove_in *in, struct proof *p)
{
	struct proof elf;
	bool holds;

	switch (diff_modules_prove(in->path, in->a, in->na, in->b, in->nb, p)) {
	case DIFF_MODULES_NONE:
		return false;
	case DIFF_MODULES_SAID:
		return true;
	default:
		break;
	}
	/* The same modules: the ELF prover may still explain every byte (a
	   build path, a build id), and the zip prover a jar's times. */
	memset(&elf, 0, sizeof(elf));
	holds = in->na == in->nb && in->na >= 4 && memcmp(in->a, "\177ELF", 4) == 0 &&
	    prove_elf(in, &elf) && elf.holds;
	free(elf.detail);
	if (holds || (in->na >= 4 && memcmp(in->a, "PK\3\4", 4) == 0)) {
		memset(p, 0, sizeof(*p));
		return false;
	}
	return true;
}

/* ---- PE ------------------------------------------------------------------------------ */

static bool
prove_pe(const struct prove_in *in, struct proof *p)
{
	const uint8_t *a = in->a, *b = in->b;
	size_t n = in->na;
	struct mask m = { .n = 0 };
	uint32_t e;

	if (n < 0x40 || memcmp(a, "MZ", 2) != 0 || memcmp(b, "MZ", 2) != 0)
		return false;
	e = get_le32(a + 0x3c);
	if (e != get_le32(b + 0x3c) || (size_t)e + 0x5c > n || memcmp(a + e, "PE\0\0", 4) != 0)
		return false;
	mask_add(&m, e + 8, 4);
	mask_add(&m, e + 0x58, 4);
	if (equal_except(a, b, n, &m))
		found(p, DIFF_CAUSE_PE_TIMESTAMP, "TimeDateStamp and CheckSum");
	else
		beyond(p, &m, "PE code or data differs");
	return true;
}

/* ---- text ------------------------------------------------------------------------------ */

static bool
is_text(const uint8_t *a, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (a[i] == 0)
			return false;
	return true;
}

struct line {
	const uint8_t *p;
	size_t n;
};

static size_t
split_lines(const uint8_t *a, size_t n, struct line **out)
{
	struct line *v = NULL;
	size_t cap = 0, k = 0, s = 0, i;

	for (i = 0; i <= n; i++) {
		if (i < n && a[i] != '\n')
			continue;
		if (i == n && s == n)
			break;
		xgrow(&v, &cap, k + 1, sizeof(*v));
		v[k].p = a + s;
		v[k++].n = i - s;
		s = i + 1;
	}
	*out = v;
	return k;
}

static int
line_cmp(const void *x, const void *y)
{
	const struct line *a = x, *b = y;
	size_t n = a->n < b->n ? a->n : b->n;
	int r = memcmp(a->p, b->p, n);

	return r != 0 ? r : (a->n > b->n) - (a->n < b->n);
}

static bool
ends_line(const uint8_t *a, size_t n)
{
	return n > 0 && a[n - 1] == '\n';
}

/*
 * The same bytes in another order of lines: the same multiset of lines and
 * the same final-newline state ("foo" and "foo\n" split alike, but a newline
 * added or dropped is content).
 */
static bool
same_lines(const uint8_t *a, size_t na, const uint8_t *b, size_t nb)
{
	struct line *la, *lb;
	size_t ka, kb, i;
	bool same;

	if (na != nb || ends_line(a, na) != ends_line(b, nb))
		return false;
	ka = split_lines(a, na, &la);
	kb = split_lines(b, nb, &lb);
	same = ka == kb;

	if (same) {
		if (ka > 1) {
			qsort(la, ka, sizeof(*la), line_cmp);
			qsort(lb, kb, sizeof(*lb), line_cmp);
		}
		for (i = 0; i < ka && same; i++)
			same = line_cmp(&la[i], &lb[i]) == 0;
	}
	free(la);
	free(lb);
	return same;
}

/*
 * A date (YYYY-MM-DD) or time (HH:MM:SS[.frac]) token at a[i]: @return its
 * length and *what ("DATE", "TIME"), or 0 when none starts there.
 */
static size_t
date_token(const uint8_t *a, size_t n, size_t i, const char **what)
{
	size_t j;

#define D(k) (i + (k) < n && a[i + (k)] >= '0' && a[i + (k)] <= '9')
	if (D(0) && D(1) && D(2) && D(3) && i + 4 < n && a[i + 4] == '-' &&
	    D(5) && D(6) && i + 7 < n && a[i + 7] == '-' && D(8) && D(9)) {
		*what = "DATE";
		return 10;
	}
	if (D(0) && D(1) && i + 2 < n && a[i + 2] == ':' && D(3) && D(4) &&
	    i + 5 < n && a[i + 5] == ':' && D(6) && D(7)) {
		*what = "TIME";
		j = i + 8;
		if (j < n && (a[j] == '.' || a[j] == ','))
			for (j++; j < n && a[j] >= '0' && a[j] <= '9'; j++)
				;
		return j - i;
	}
#undef D
	return 0;
}

/* Replace date and time tokens with a placeholder. */
static void
mask_dates(struct sbuf *out, const uint8_t *a, size_t n)
{
	const char *what;
	size_t i = 0, k;

	while (i < n) {
		if ((k = date_token(a, n, i, &what)) > 0) {
			sbuf_addstr(out, what);
			i += k;
		} else
			sbuf_addc(out, (char)a[i++]);
	}
}

static bool
only_dates_differ(const uint8_t *a, size_t na, const uint8_t *b, size_t nb)
{
	struct sbuf x = SBUF_INIT, y = SBUF_INIT;
	bool same;

	mask_dates(&x, a, na);
	mask_dates(&y, b, nb);
	same = x.len == y.len && memcmp(sbuf_str(&x), sbuf_str(&y), x.len) == 0;
	sbuf_release(&x);
	sbuf_release(&y);
	return same;
}

/* ---- dpkg status ------------------------------------------------------------------------- */

/* "Package: Version" of each stanza, "name version\n" sorted. */
static char *
dpkg_versions(const uint8_t *a, size_t n)
{
	struct line *l;
	size_t k = split_lines(a, n, &l), i;
	struct sbuf sb = SBUF_INIT;
	const char *pkg = NULL;
	size_t pn = 0;

	for (i = 0; i < k; i++) {
		if (l[i].n > 9 && memcmp(l[i].p, "Package: ", 9) == 0) {
			pkg = (const char *)l[i].p + 9;
			pn = l[i].n - 9;
		} else if (pkg != NULL && l[i].n > 9 &&
		    memcmp(l[i].p, "Version: ", 9) == 0) {
			sbuf_addf(&sb, "%.*s %.*s\n", (int)pn, pkg, (int)l[i].n - 9,
			    (const char *)l[i].p + 9);
			pkg = NULL;
		}
	}
	free(l);
	return sbuf_detach(&sb);
}

static char *
dpkg_changes(const uint8_t *a, size_t na, const uint8_t *b, size_t nb)
{
	char *va = dpkg_versions(a, na), *vb = dpkg_versions(b, nb);
	struct line *la, *lb;
	size_t ka = split_lines((uint8_t *)va, strlen(va), &la);
	size_t kb = split_lines((uint8_t *)vb, strlen(vb), &lb), i, j, shown = 0;
	struct sbuf sb = SBUF_INIT;

	if (ka > 1)
		qsort(la, ka, sizeof(*la), line_cmp);
	if (kb > 1)
		qsort(lb, kb, sizeof(*lb), line_cmp);
	for (i = j = 0; (i < ka || j < kb) && shown < 20; ) {
		int c = i >= ka ? 1 : j >= kb ? -1 : line_cmp(&la[i], &lb[j]);

		if (c == 0) {
			i++;
			j++;
			continue;
		}
		if (c < 0)
			sbuf_addf(&sb, "-%.*s\n", (int)la[i].n, (const char *)la[i].p), i++;
		else
			sbuf_addf(&sb, "+%.*s\n", (int)lb[j].n, (const char *)lb[j].p), j++;
		shown++;
	}
	free(la);
	free(lb);
	free(va);
	free(vb);
	return sb.len ? sbuf_detach(&sb) : (sbuf_release(&sb), NULL);
}

/* ---- known-volatile files ----------------------------------------------------------------- */

/* A volatile file explains its difference only on request (--volatile
   ignore); a log must also show that only date and time tokens moved.
   The other rules need only the path, so they hold for files whose bytes
   were not read (diff_cause_prove_path()). */
static const struct {
	const char *glob[2];	/* the paths it covers (the second or NULL) */
	const char *rule;	/* its name, after known-volatile: */
	const char *one, *many;	/* a file, several, in words */
	const char *hint;
	bool dates_only;
} volatiles[DIFF_NVOLATILE] = {
	{ { "var/log/*", NULL }, "log", "log", "logs",
	    "clean the logs in the same RUN that writes them (rm -f "
	    "/var/log/dpkg.log /var/log/apt/* /var/log/alternatives.log)", true },
	{ { "etc/machine-id", "var/lib/dbus/machine-id" }, "machine-id",
	    "machine-id", "machine-ids",
	    "empty /etc/machine-id (: > /etc/machine-id) and remove "
	    "/var/lib/dbus/machine-id in the same RUN", false },
	{ { "var/cache/ldconfig/aux-cache", NULL }, "ldconfig-aux-cache",
	    "ldconfig cache", "ldconfig caches",
	    "remove the ldconfig aux-cache (rm -f "
	    "/var/cache/ldconfig/aux-cache) after installing packages", false },
	{ { "var/lib/systemd/random-seed", NULL }, "random-seed",
	    "random seed", "random seeds",
	    "rm -f /var/lib/systemd/random-seed in the build", false },
	{ { "var/lib/apt/lists/*", NULL }, "apt-lists", "apt list", "apt lists",
	    "rm -rf /var/lib/apt/lists/* in the same RUN as apt-get install", false },
	{ { "var/cache/apt/*", NULL }, "apt-cache", "apt cache file",
	    "apt cache files",
	    "apt-get clean, or a cache mount (RUN --mount=type=cache)", false },
	{ { "var/cache/debconf/*-old", NULL }, "debconf-old", "debconf backup",
	    "debconf backups", "rm -f /var/cache/debconf/*-old", false },
	{ { "etc/ssh/ssh_host_*", NULL }, "ssh-host-key", "ssh host key",
	    "ssh host keys",
	    "do not bake host keys into images: generate them at first boot", false },
};
#define NVOLATILE	DIFF_NVOLATILE

size_t
diff_cause_volatile_rule(const char *path)
{
	size_t i;

	for (i = 0; i < NVOLATILE; i++)
		if (fnmatch(volatiles[i].glob[0], path, 0) == 0 ||
		    (volatiles[i].glob[1] != NULL &&
		    fnmatch(volatiles[i].glob[1], path, 0) == 0))
			break;
	return i;
}

const char *
diff_cause_volatile_words(size_t k, size_t n)
{
	if (k >= NVOLATILE)
		return NULL;
	return n == 1 ? volatiles[k].one : volatiles[k].many;
}

const char *
diff_volatile_name(size_t k)
{
	return k < NVOLATILE ? volatiles[k].rule : NULL;
}

bool
diff_cause_prove_path(const char *path, struct proof *p)
{
	size_t k = diff_cause_volatile_rule(path);

	memset(p, 0, sizeof(*p));
	if (k == NVOLATILE || volatiles[k].dates_only)
		return false;
	p->cause.prover = DIFF_PROVER_VOLATILE;
	p->cause.rule = (uint8_t)k;
	found(p, DIFF_CAUSE_KNOWN_VOLATILE, "%s", "");
	return true;
}

/* ---- showing ------------------------------------------------------------------------------- */

/* @return the first byte at which lines x and y differ, 0 when y is NULL
   or they are equal. */
static size_t
line_first_diff(const struct line *x, const struct line *y)
{
	size_t i;

	if (y == NULL)
		return 0;
	for (i = 0; i < x->n && i < y->n && x->p[i] == y->p[i]; i++)
		;
	return i == x->n && i == y->n ? 0 : i;
}

/* @return i, or the start of the UTF-8 sequence byte i of p is in (at
   most three bytes back: a longer run is not UTF-8). */
static size_t
utf8_start(const uint8_t *p, size_t i)
{
	size_t k = 0;

	while (i > 0 && k++ < 3 && (p[i] & 0xc0) == 0x80)
		i--;
	return i;
}

/*
 * Append line l and '\n' after sign.  A line over SHOW_WIDTH bytes shows
 * the SHOW_WIDTH bytes around byte at (where it first differs from the
 * line it replaces, SHOW_LEAD bytes of context ahead of it), cut on UTF-8
 * boundaries: a cut end is marked with an ellipsis, and what was left out
 * is counted ("+N bytes" when only the tail was, else the bytes shown).
 */
static void
add_line(struct sbuf *sb, char sign, const struct line *l, size_t at)
{
	const uint8_t *p = l->p;
	size_t n = l->n, s, e;

	if (n <= SHOW_WIDTH) {
		sbuf_addf(sb, "%c%.*s\n", sign, (int)n, (const char *)p);
		return;
	}
	s = at > SHOW_LEAD ? at - SHOW_LEAD : 0;
	if (s > n - SHOW_WIDTH)
		s = n - SHOW_WIDTH;	/* the tail: as much ahead as fits */
	s = utf8_start(p, s);
	e = s + SHOW_WIDTH < n ? utf8_start(p, s + SHOW_WIDTH) : n;
	sbuf_addf(sb, "%c%s%.*s%s", sign, s > 0 ? "\xe2\x80\xa6" : "",
	    (int)(e - s), (const char *)p + s, e < n ? "\xe2\x80\xa6" : "");
	if (s == 0)
		sbuf_addf(sb, " (+%zu bytes)\n", n - e);
	else
		sbuf_addf(sb, " (bytes %zu-%zu of %zu)\n", s, e - 1, n);
}

/* The date and time tokens of a line, in order. */
struct token {
	size_t off, len;
};

/* @return the number of date/time tokens in p (at most max). */
static size_t
date_tokens(const uint8_t *p, size_t n, struct token *t, size_t max)
{
	const char *what;
	size_t i = 0, k = 0, len;

	while (i < n && k < max) {
		if ((len = date_token(p, n, i, &what)) > 0) {
			t[k].off = i;
			t[k++].len = len;
			i += len;
		} else
			i++;
	}
	return k;
}

/* Tokens i and i+1 of p belong to one stamp ("2026-11-30 11:07:06",
   "2026-11-30T11:07:06"). */
static bool
same_stamp(const uint8_t *p, const struct token *t, size_t i)
{
	size_t gap = t[i + 1].off - (t[i].off + t[i].len);

	return gap <= 2 && (gap == 0 || p[t[i].off + t[i].len] == ' ' ||
	    p[t[i].off + t[i].len] == 'T');
}

/*
 * Text whose lines differ only in date and time tokens, in one line: how
 * many lines, and the first stamp that moved ("2026-11-30 11:07:06 ->
 * 11:09:01": A's whole stamp, B's from the first token that moved).
 */
static void
dates_line(struct sbuf *sb, const struct line *la, const struct line *lb,
    size_t k)
{
	struct token ta[32], tb[32];
	size_t i, n = 0, first = k, na, nb, j, s, e;

	for (i = 0; i < k; i++)
		if (line_cmp(&la[i], &lb[i]) != 0 && n++ == 0)
			first = i;
	sbuf_addf(sb, "%zu line%s differ%s only in date/time tokens", n,
	    n == 1 ? "" : "s", n == 1 ? "s" : "");
	if (first == k)
		return;
	na = date_tokens(la[first].p, la[first].n, ta, 32);
	nb = date_tokens(lb[first].p, lb[first].n, tb, 32);
	for (j = 0; j < na && j < nb && ta[j].len == tb[j].len &&
	    memcmp(la[first].p + ta[j].off, lb[first].p + tb[j].off,
	    ta[j].len) == 0; j++)
		;
	if (j >= na || j >= nb)
		return;
	for (s = j; s > 0 && same_stamp(la[first].p, ta, s - 1); s--)
		;
	for (e = j; e + 1 < na && e + 1 < nb && same_stamp(la[first].p, ta, e);
	    e++)
		;
	sbuf_addf(sb, ", e.g. %.*s -> %.*s",
	    (int)(ta[e].off + ta[e].len - ta[s].off),
	    (const char *)la[first].p + ta[s].off,
	    (int)(tb[e].off + tb[e].len - tb[j].off),
	    (const char *)lb[first].p + tb[j].off);
}

/* A hex context: 24 bytes of each side from start, byte first marked. */
static void
hex_lines(struct sbuf *sb, const uint8_t *a, size_t na, const uint8_t *b,
    size_t nb, size_t first, size_t start)
{
	size_t i, e = start + SHOW_HEX;

	sbuf_addf(sb, "bytes %zu-:", start);
	for (i = start; i < e && i < na; i++)
		sbuf_addf(sb, "%s%02x", i == first ? " [" : " ", a[i]);
	sbuf_addstr(sb, na > e ? " \xe2\x80\xa6\n      ->" : "\n      ->");
	for (i = start; i < e && i < nb; i++)
		sbuf_addf(sb, "%s%02x", i == first ? " [" : " ", b[i]);
	if (nb > e)
		sbuf_addstr(sb, " \xe2\x80\xa6");
}

char *
diff_cause_show(const uint8_t *a, size_t na, const uint8_t *b, size_t nb,
    size_t first, size_t before)
{
	struct sbuf sb = SBUF_INIT;
	struct line *la, *lb;
	size_t ka, kb, pre = 0, suf = 0, i, lines = 0, ctx;

	if (!is_text(a, na) || !is_text(b, nb)) {
		hex_lines(&sb, a, na, b, nb, first, first >= before ?
		    first - before : 0);
		return sbuf_detach(&sb);
	}
	ka = split_lines(a, na, &la);
	kb = split_lines(b, nb, &lb);
	if (ka == kb && only_dates_differ(a, na, b, nb)) {
		dates_line(&sb, la, lb, ka);
		goto out;
	}
	while (pre < ka && pre < kb && line_cmp(&la[pre], &lb[pre]) == 0)
		pre++;
	while (suf < ka - pre && suf < kb - pre &&
	    line_cmp(&la[ka - 1 - suf], &lb[kb - 1 - suf]) == 0)
		suf++;
	ctx = pre < 3 ? pre : 3;
	sbuf_addf(&sb, "@@ -%zu,%zu +%zu,%zu @@\n", pre - ctx + 1,
	    ka - pre - suf + ctx, pre - ctx + 1, kb - pre - suf + ctx);
	/* A removed line and the added one at its place are cut around
	   where they first differ, so that the two never read the same. */
	for (i = pre - ctx; i < pre; i++)
		add_line(&sb, ' ', &la[i], 0);
	for (i = pre; i < ka - suf && lines < SHOW_LINES_MAX &&
	    sb.len < SHOW_BYTES_MAX; i++, lines++)
		add_line(&sb, '-', &la[i], line_first_diff(&la[i],
		    i < kb - suf ? &lb[i] : NULL));
	for (i = pre; i < kb - suf && lines < SHOW_LINES_MAX &&
	    sb.len < SHOW_BYTES_MAX; i++, lines++)
		add_line(&sb, '+', &lb[i], line_first_diff(&lb[i],
		    i < ka - suf ? &la[i] : NULL));
	if (lines >= SHOW_LINES_MAX || sb.len >= SHOW_BYTES_MAX)
		sbuf_addstr(&sb, "... (cut)\n");
	if (sb.len > 0 && sb.buf[sb.len - 1] == '\n')
		sb.buf[--sb.len] = '\0';
 out:
	free(la);
	free(lb);
	return sbuf_detach(&sb);
}

/* ---- the provers in order, and the causes they name ------------------------------- */

static bool
prove_volatile(const struct prove_in *in, struct proof *p)
{
	size_t k = diff_cause_volatile_rule(in->path);

	if (k == NVOLATILE)
		return false;
	p->cause.rule = (uint8_t)k;
	if (volatiles[k].dates_only && !(is_text(in->a, in->na) &&
	    is_text(in->b, in->nb) && only_dates_differ(in->a, in->na, in->b,
	    in->nb)))
		found(p, DIFF_CAUSE_NONE, "known-volatile:%s (but more than date "
		    "and time tokens differ)", volatiles[k].rule);
	else
		found(p, DIFF_CAUSE_KNOWN_VOLATILE, "%s", "");
	return true;
}

/* @return how many lines of a and b differ when only their date and time
   tokens do, else 0. */
static size_t
dates_only_lines(const uint8_t *a, size_t na, const uint8_t *b, size_t nb)
{
	struct line *la, *lb;
	size_t ka, kb, i, n = 0;

	if (!only_dates_differ(a, na, b, nb))
		return 0;
	ka = split_lines(a, na, &la);
	kb = split_lines(b, nb, &lb);
	for (i = 0; i < ka && i < kb; i++)
		n += line_cmp(&la[i], &lb[i]) != 0;
	free(la);
	free(lb);
	return ka == kb ? n : 0;
}

static bool
prove_lines(const struct prove_in *in, struct proof *p)
{
	size_t n;

	if (!is_text(in->a, in->na) || !is_text(in->b, in->nb))
		return false;
	if (same_lines(in->a, in->na, in->b, in->nb)) {
		found(p, DIFF_CAUSE_LINE_ORDER, "the same lines in another order");
		p->ordering = true;
		return true;
	}
	/* A date written into a text file at build time: an embedded
	   timestamp like a .pyc's, never a reason to pin the base. */
	if ((n = dates_only_lines(in->a, in->na, in->b, in->nb)) == 0)
		return false;
	found(p, DIFF_CAUSE_TEXT_DATES, "date/time tokens on %zu line%s", n,
	    n == 1 ? "" : "s");
	return true;
}

/*
 * The provers, first match wins: containers first (their payload goes
 * through the table again), then fixed-layout formats, which need two
 * versions of one length, then what a path or plain text can prove.
 */
static const struct {
	const char *name;
	bool same_length;
	bool (*fn)(const struct prove_in *in, struct proof *p);
} provers[DIFF_NPROVER] = {
	[DIFF_PROVER_GZIP] = { "gzip", false, prove_gzip },
	[DIFF_PROVER_ZSTD] = { "zstd", false, prove_zstd },
	[DIFF_PROVER_AR] = { "ar", false, prove_ar },
	[DIFF_PROVER_TAR] = { "tar", false, prove_tar },
	[DIFF_PROVER_MODULES] = { "modules", false, prove_modules },
	[DIFF_PROVER_PYC] = { "pyc", true, prove_pyc },
	[DIFF_PROVER_ZIP] = { "zip", true, prove_zip },
	[DIFF_PROVER_PNG] = { "png", true, prove_png },
	[DIFF_PROVER_MO] = { "mo", true, prove_mo },
	[DIFF_PROVER_ELF] = { "elf", true, prove_elf },
	[DIFF_PROVER_PE] = { "pe", true, prove_pe },
	[DIFF_PROVER_VOLATILE] = { "volatile", false, prove_volatile },
	[DIFF_PROVER_LINES] = { "lines", false, prove_lines },
};

static const struct {
	const char *name, *hint;
} causes[DIFF_NCAUSE] = {
	[DIFF_CAUSE_PYC_MTIME] = { "pyc-mtime", "PYTHONDONTWRITEBYTECODE=1, or "
	    "compile with python -m compileall --invalidation-mode checked-hash" },
	[DIFF_CAUSE_GZIP_HEADER] = { "gzip-header", "gzip -n (no name, no "
	    "time), or SOURCE_DATE_EPOCH-aware tools" },
	[DIFF_CAUSE_GZIP_COMPRESSION] = { "gzip-compression", "the same gzip "
	    "implementation and level on both sides" },
	[DIFF_CAUSE_GZIP_PAYLOAD] = { "gzip-payload", "gzip -n, and fix what "
	    "the payload's cause says" },
	[DIFF_CAUSE_ZSTD_COMPRESSION] = { "zstd-compression", "the same zstd "
	    "version, level and options on both sides" },
	[DIFF_CAUSE_ZSTD_PAYLOAD] = { "zstd-payload", "fix what the payload's "
	    "cause says" },
	[DIFF_CAUSE_ZIP_TIMES] = { "zip-times", "clamp file times before "
	    "zipping (SOURCE_DATE_EPOCH), or strip-nondeterminism" },
	[DIFF_CAUSE_TAR_TIMES] = { "tar-times", "tar --mtime=@$SOURCE_DATE_EPOCH "
	    "--clamp-mtime --sort=name" },
	[DIFF_CAUSE_TAR_ENCODING] = { "tar-encoding", NULL },
	[DIFF_CAUSE_AR_MEMBER_HEADER] = { "ar-member-header", "ar rcD "
	    "(deterministic mode: zero mtime, uid, gid)" },
	[DIFF_CAUSE_AR_MEMBERS] = { "ar-members", "build packages with "
	    "SOURCE_DATE_EPOCH (dpkg-deb clamps member and file times to it)" },
	[DIFF_CAUSE_PNG_TIME] = { "png-time", "strip tIME and date: chunks "
	    "(optipng -strip all, SOURCE_DATE_EPOCH-aware encoders)" },
	[DIFF_CAUSE_MO_CREATION_DATE] = { "mo-creation-date", "fix "
	    "POT-Creation-Date, or strip-nondeterminism" },
	[DIFF_CAUSE_BUILD_PATH] = { "build-path", "build in a fixed directory, "
	    "or pass -ffile-prefix-map=$PWD=. (the build id follows)" },
	[DIFF_CAUSE_BUILD_ID] = { "build-id", "the build id hashes the output: "
	    "find what else moved (paths, times, link order)" },
	[DIFF_CAUSE_PE_TIMESTAMP] = { "pe-timestamp", "link with /Brepro (MSVC) "
	    "or --no-insert-timestamp (ld)" },
	[DIFF_CAUSE_KNOWN_VOLATILE] = { "known-volatile", NULL },
	[DIFF_CAUSE_LINE_ORDER] = { "line-order", "sort the file's lines where "
	    "it is generated (LC_ALL=C sort), or write them in a fixed order "
	    "(not a hash's or a directory listing's)" },
	[DIFF_CAUSE_TEXT_DATES] = { "text-dates", "write dates from "
	    "SOURCE_DATE_EPOCH (date -u -d @$SOURCE_DATE_EPOCH), not the build's "
	    "clock, or leave the build date out of the file" },
};

static void
prove_depth(const struct prove_in *in, struct proof *p)
{
	unsigned k;

	if (in->depth > PROVE_DEPTH_MAX)
		return;
	for (k = 1; k < DIFF_NPROVER; k++)
		if ((!provers[k].same_length || in->na == in->nb) &&
		    provers[k].fn(in, p)) {
			p->cause.prover = (uint8_t)k;
			return;
		}
	if (fnmatch("*var/lib/dpkg/status", in->path, 0) == 0 ||
	    fnmatch("*lib/apk/db/installed", in->path, 0) == 0)
		p->detail = dpkg_changes(in->a, in->na, in->b, in->nb);
}

void
diff_cause_prove(const char *path, const uint8_t *a, size_t na, const uint8_t *b,
    size_t nb, struct proof *p)
{
	struct prove_in in = { path, a, b, na, nb, 0 };

	memset(p, 0, sizeof(*p));
	prove_depth(&in, p);
}

const char *
diff_cause_text(const struct diff_cause *c, char *buf, size_t n)
{
	const char *name = causes[c->id < DIFF_NCAUSE ? c->id : 0].name;

	if (c->prover == DIFF_PROVER_NONE || c->prover >= DIFF_NPROVER)
		snprintf(buf, n, "%s", "");
	else if (c->id == DIFF_CAUSE_NONE || name == NULL)
		snprintf(buf, n, "%s", c->fields);
	else if (c->id == DIFF_CAUSE_KNOWN_VOLATILE)
		snprintf(buf, n, "%s:%s", name, volatiles[c->rule % NVOLATILE].rule);
	else if (c->id == DIFF_CAUSE_GZIP_PAYLOAD ||
	    c->id == DIFF_CAUSE_ZSTD_PAYLOAD)
		snprintf(buf, n, "%s: %s", name, c->fields);
	else
		snprintf(buf, n, "%s (%s)", name, c->fields);
	return buf;
}

const char *
diff_cause_label(const struct diff_cause *c, char *buf, size_t n)
{
	if (c->prover == DIFF_PROVER_VOLATILE)
		snprintf(buf, n, "%s:%s", causes[DIFF_CAUSE_KNOWN_VOLATILE].name,
		    volatiles[c->rule % NVOLATILE].rule);
	else if (c->id != DIFF_CAUSE_NONE && c->id < DIFF_NCAUSE)
		snprintf(buf, n, "%s", causes[c->id].name);
	else
		snprintf(buf, n, "%s", "");
	return buf;
}

const char *
diff_cause_hint(const struct diff_cause *c)
{
	/* A volatile file's hint holds even when more than dates moved. */
	if (c->prover == DIFF_PROVER_VOLATILE)
		return volatiles[c->rule % NVOLATILE].hint;
	if (c->prover == DIFF_PROVER_NONE || c->id >= DIFF_NCAUSE)
		return NULL;
	return causes[c->id].hint;
}
