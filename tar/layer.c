/*
 * layer.c - parse one layer tar with libarchive, fed through a read callback
 * from the blob stream, and record every entry.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>
#include <xxhash.h>

#include "tar/tar_int.h"
#include "util/xxh_avx2.h"

static size_t
strpool_hash(const char *s)
{
	return (size_t)XXH3_64bits(s, strlen(s));
}

/* @return the slot holding s, or the empty slot where it would go. */
static size_t
strpool_find(const struct strpool *sp, const char *s)
{
	size_t mask = sp->nslots - 1, i = strpool_hash(s) & mask;

	while (sp->slot[i] != 0 && strcmp(sp->s[sp->slot[i] - 1], s) != 0)
		i = (i + 1) & mask;
	return i;
}

static void
strpool_rehash(struct strpool *sp)
{
	size_t i;

	free(sp->slot);
	sp->nslots = sp->nslots == 0 ? 16 : sp->nslots * 2;
	sp->slot = xcalloc(sp->nslots, sizeof(*sp->slot));
	for (i = 0; i < sp->n; i++)
		sp->slot[strpool_find(sp, sp->s[i])] = i + 1;
}

const char *
tar_strpool_intern(struct strpool *sp, const char *s)
{
	size_t i;

	if (s == NULL)
		s = "";
	if (2 * (sp->n + 1) > sp->nslots)
		strpool_rehash(sp);
	i = strpool_find(sp, s);
	if (sp->slot[i] != 0)
		return sp->s[sp->slot[i] - 1];
	xgrow(&sp->s, &sp->cap, sp->n + 1, sizeof(*sp->s));
	sp->s[sp->n] = xstrdup(s);
	sp->slot[i] = ++sp->n;
	return sp->s[sp->n - 1];
}

size_t
tar_strpool_index(const struct strpool *sp, const char *s)
{
	size_t i;

	if (sp->nslots == 0)
		return 0;
	i = strpool_find(sp, s);
	return sp->slot[i] != 0 ? sp->slot[i] - 1 : 0;
}

void
tar_strpool_release(struct strpool *sp)
{
	size_t i;

	for (i = 0; i < sp->n; i++)
		free(sp->s[i]);
	free(sp->s);
	free(sp->slot);
	memset(sp, 0, sizeof(*sp));
}

void
tar_entries_release(struct entries *en)
{
	size_t i;

	for (i = 0; i < en->n; i++)
		free(en->v[i].xattrs);
	free(en->v);
	arena_release(&en->names);
	for (i = 0; i < en->ncaps; i++)
		free(en->caps[i].data);
	free(en->caps);
	sbuf_release(&en->warnings);
	free(en->ckpt);
	memset(en, 0, sizeof(*en));
}

void
tar_ckpt_note(struct entries *en, struct archive *a)
{
	if (en->n % TAR_CKPT_EVERY != 0)
		return;
	xgrow(&en->ckpt, &en->ckptcap, en->nckpt + 1, sizeof(*en->ckpt));
	en->ckpt[en->nckpt++] = (uint64_t)archive_read_header_position(a);
}

uint32_t
tar_ckpt_before(const struct entries *en, uint32_t ordinal, uint64_t *off)
{
	size_t i = ordinal / TAR_CKPT_EVERY;

	*off = 0;
	if (en->nckpt == 0)
		return 0;
	if (i >= en->nckpt)
		i = en->nckpt - 1;
	*off = en->ckpt[i];
	return (uint32_t)(i * TAR_CKPT_EVERY);
}

/* @return true when one more warning of the layer is kept (the one past
   the last says that more were not). */
static bool
keep_warning(struct entries *en, size_t entry)
{
	if (++en->nwarnings > TAR_WARN_MAX + 1)
		return false;
	if (en->nwarnings <= TAR_WARN_MAX)
		return true;
	sbuf_addf(&en->warnings, "entry %zu: more warnings, not kept\n", entry);
	return false;
}

void
tar_entries_warn(struct entries *en, struct archive *a)
{
	const char *msg = archive_error_string(a);

	/*
	 * Names are read in the C locale on purpose (in a UTF-8 one libarchive
	 * normalizes them to NFC), and kept as the bytes stored: a name that
	 * "can't be converted from UTF-8 to current locale" is read right, so
	 * that warning is about our locale, not about the layer.
	 */
	if (msg != NULL && strstr(msg, "to current locale") != NULL)
		return;
	if (keep_warning(en, en->n + 1))
		sbuf_addf(&en->warnings, "entry %zu: libarchive: %s\n", en->n + 1,
		    msg != NULL && msg[0] != '\0' ? msg : "a warning without a "
		    "message");
}

void
tar_entries_declared(struct entries *en, uint64_t usize)
{
	const struct tar_entry *te;
	size_t i;

	for (i = 0; i < en->nsparse; i++) {
		te = &en->v[en->sparse[i].ordinal];
		if (te->size <= usize || !keep_warning(en, te->ordinal + 1))
			continue;
		sbuf_addf(&en->warnings, "entry %u ('%s') declares %" PRIu64
		    " bytes%s, more than its layer holds (%" PRIu64 " bytes): a "
		    "sparse file with %" PRIu64 " bytes of data, which takes its "
		    "declared size where it is unpacked without holes\n",
		    te->ordinal + 1, te->path, te->size, te->size >= INT64_MAX ?
		    " or more, the most a file may have" : "", usize,
		    en->sparse[i].data);
	}
	en->nsparse = 0;
}

void
tar_normalize_path(char *p)
{
	char *r = p, *w = p;

	while (*r != '\0') {
		if (*r == '/') {
			r++;
			continue;
		}
		if (r[0] == '.' && (r[1] == '/' || r[1] == '\0')) {
			r++;
			continue;
		}
		if (w != p)
			*w++ = '/';
		while (*r != '\0' && *r != '/')
			*w++ = *r++;
	}
	*w = '\0';
}

static enum tar_kind
kind_of(mode_t ft)
{
	switch (ft) {
	case AE_IFREG:	return TAR_REG;
	case AE_IFDIR:	return TAR_DIR;
	case AE_IFLNK:	return TAR_SYMLINK;
	case AE_IFCHR:	return TAR_CHR;
	case AE_IFBLK:	return TAR_BLK;
	case AE_IFIFO:	return TAR_FIFO;
	case AE_IFSOCK:	return TAR_SOCK;
	default:	return TAR_OTHER;
	}
}

static enum tar_hdrfmt
hdrfmt_of(int f)
{
	switch (f) {
	case ARCHIVE_FORMAT_TAR:			return TAR_FMT_V7;
	case ARCHIVE_FORMAT_TAR_USTAR:			return TAR_FMT_USTAR;
	case ARCHIVE_FORMAT_TAR_PAX_INTERCHANGE:
	case ARCHIVE_FORMAT_TAR_PAX_RESTRICTED:		return TAR_FMT_PAX;
	case ARCHIVE_FORMAT_TAR_GNUTAR:			return TAR_FMT_GNU;
	default:					return TAR_FMT_OTHER;
	}
}

struct xattr_kv {
	const char *name;
	const void *val;
	size_t len;
};

static int
xattr_cmp(const void *a, const void *b)
{
	return strcmp(((const struct xattr_kv *)a)->name,
	    ((const struct xattr_kv *)b)->name);
}

/*
 * Canonical, sorted "name=hex\n" lines, so equal sets compare equal and
 * unequal ones never do: in a name, '%', '=' and '\n' are written %25, %3d
 * and %0a (a PAX LIBARCHIVE.xattr name may hold any byte; one xattr named
 * "x=00\ny" must not read as two).
 */
static char *
xattrs_of(struct archive_entry *ae)
{
	struct xattr_kv *kv;
	struct sbuf sb = SBUF_INIT;
	const char *name;
	const void *val;
	size_t len, n, i, j;
	char hx[3];

	n = (size_t)archive_entry_xattr_reset(ae);
	if (n == 0)
		return NULL;
	kv = xcalloc(n, sizeof(*kv));
	for (i = 0; i < n && archive_entry_xattr_next(ae, &name, &val, &len) ==
	    ARCHIVE_OK; i++) {
		kv[i].name = name;
		kv[i].val = val;
		kv[i].len = len;
	}
	n = i;
	qsort(kv, n, sizeof(*kv), xattr_cmp);
	for (i = 0; i < n; i++) {
		for (name = kv[i].name; *name != '\0'; name++)
			if (*name == '%' || *name == '=' || *name == '\n')
				sbuf_addf(&sb, "%%%02x", (unsigned char)*name);
			else
				sbuf_addc(&sb, *name);
		sbuf_addc(&sb, '=');
		for (j = 0; j < kv[i].len; j++) {
			util_hex_encode(hx, (const uint8_t *)kv[i].val + j, 1);
			sbuf_add(&sb, hx, 2);
		}
		sbuf_addc(&sb, '\n');
	}
	free(kv);
	return sbuf_detach(&sb);
}

static int
checked_path(char **out, const char *s, const char *what,
    struct arena *names, struct err *e)
{
	size_t n = strlen(s);

	if (n > TAR_PATH_MAX)
		return err_set(e, ERR_LIMIT, "%s '%.64s...' is longer than %u bytes",
		    what, s, TAR_PATH_MAX);
	*out = arena_strndup(names, s, n);
	return 0;
}

int
tar_entry_from_archive(struct tar_entry *te, struct archive_entry *ae,
    int archive_format, struct strpool *sp, struct arena *names,
    struct err *e)
{
	const char *s;
	int r;

	memset(te, 0, sizeof(*te));
	s = archive_entry_pathname(ae);
	if (s == NULL)
		return err_set(e, ERR_FORMAT, "no name");
	if ((r = checked_path(&te->path, s, "path", names, e)) < 0)
		return r;
	tar_normalize_path(te->path);
	te->kind = (uint8_t)kind_of(archive_entry_filetype(ae));
	if ((s = archive_entry_hardlink(ae)) != NULL) {
		te->kind = TAR_HARDLINK;
		if ((r = checked_path(&te->link, s, "hardlink target", names,
		    e)) < 0)
			goto fail;
		tar_normalize_path(te->link);
	} else if (te->kind == TAR_SYMLINK) {
		s = archive_entry_symlink(ae);
		if ((r = checked_path(&te->link, s ? s : "", "symlink target",
		    names, e)) < 0)
			goto fail;
	}
	te->hdrfmt = (uint8_t)hdrfmt_of(archive_format);
	te->mode = archive_entry_mode(ae) & 07777;
	te->uid = archive_entry_uid(ae);
	te->gid = archive_entry_gid(ae);
	te->uname = tar_strpool_intern(sp, archive_entry_uname(ae));
	te->gname = tar_strpool_intern(sp, archive_entry_gname(ae));
	te->size = archive_entry_size_is_set(ae) && archive_entry_size(ae) > 0 ?
	    (uint64_t)archive_entry_size(ae) : 0;
	te->mtime = archive_entry_mtime(ae);
	te->mtime_ns = (int32_t)archive_entry_mtime_nsec(ae);
	if (archive_entry_atime_is_set(ae)) {
		te->has_atime = 1;
		te->atime = archive_entry_atime(ae);
		te->atime_ns = (int32_t)archive_entry_atime_nsec(ae);
	}
	if (archive_entry_ctime_is_set(ae)) {
		te->has_ctime = 1;
		te->ctime = archive_entry_ctime(ae);
		te->ctime_ns = (int32_t)archive_entry_ctime_nsec(ae);
	}
	if (te->kind == TAR_CHR || te->kind == TAR_BLK) {
		te->devmajor = (uint32_t)archive_entry_rdevmajor(ae);
		te->devminor = (uint32_t)archive_entry_rdevminor(ae);
	}
	te->xattrs = xattrs_of(ae);
	return 0;
 fail:
	te->path = te->link = NULL;	/* names keeps them until released */
	return r;
}

static la_ssize_t
layer_read_cb(struct archive *a, void *ud, const void **buf)
{
	struct bs_reader *c = ud;
	ssize_t n = tar_bs_read(c->bs, buf, c->e);

	if (n < 0) {
		c->err = (int)n;
		archive_set_error(a, EIO, "%s", c->e->msg);
		return -1;
	}
	return n;
}

struct ehash {
	enum tar_hash kind;
	XXH3_state_t *xxh;
	void *xxh_avx2;		/* the same hash, built for AVX2 */
	EVP_MD_CTX *sha;
	/* An entry's content, between tar_ehash_begin() and tar_ehash_end(). */
	int64_t end;		/* where the data read so far ends */
	int64_t seg_off, seg_len;	/* the data segment being read */
	uint64_t data;		/* bytes of data read */
	bool sparse;		/* a hole was seen: map is in use */
	struct ehash *map;	/* of the segments, made on first need */
};

struct ehash *
tar_ehash_new(enum tar_hash kind)
{
	struct ehash *h = xcalloc(1, sizeof(*h));

	h->kind = kind;
	if (kind == TAR_HASH_SHA256) {
		if ((h->sha = EVP_MD_CTX_new()) == NULL)
			xalloc_die();
	} else if (util_xxh_avx2_usable()) {
		if ((h->xxh_avx2 = util_xxh_avx2_new()) == NULL)
			xalloc_die();
	} else if ((h->xxh = XXH3_createState()) == NULL)
		xalloc_die();
	tar_ehash_reset(h);
	return h;
}

void
tar_ehash_free(struct ehash *h)
{
	if (h == NULL)
		return;
	tar_ehash_free(h->map);
	XXH3_freeState(h->xxh);
	if (h->xxh_avx2 != NULL)
		util_xxh_avx2_free(h->xxh_avx2);
	EVP_MD_CTX_free(h->sha);
	free(h);
}

void
tar_ehash_reset(struct ehash *h)
{
	if (h->sha != NULL) {
		if (!EVP_DigestInit_ex(h->sha, EVP_sha256(), NULL))
			xalloc_die();
	} else if (h->xxh_avx2 != NULL)
		util_xxh_avx2_reset(h->xxh_avx2);
	else
		XXH3_128bits_reset(h->xxh);
}

void
tar_ehash_update(struct ehash *h, const void *p, size_t n)
{
	if (h->sha != NULL)
		EVP_DigestUpdate(h->sha, p, n);
	else if (h->xxh_avx2 != NULL)
		util_xxh_avx2_update(h->xxh_avx2, p, n);
	else
		XXH3_128bits_update(h->xxh, p, n);
}

void
tar_ehash_final(struct ehash *h, uint8_t out[TAR_HASH_MAX])
{
	unsigned int len = TAR_HASH_MAX;

	memset(out, 0, TAR_HASH_MAX);
	if (h->sha != NULL)
		EVP_DigestFinal_ex(h->sha, out, &len);
	else if (h->xxh_avx2 != NULL)
		util_xxh_avx2_digest(h->xxh_avx2, out);
	else
		XXH128_canonicalFromHash((XXH128_canonical_t *)out,
		    XXH3_128bits_digest(h->xxh));
}

/*
 * The content hash of an entry: of its bytes when its data covers it from
 * the first byte to its size without a hole, as for every file that is not
 * sparse.  A sparse file's holes are not hashed as the zeros they stand for
 * (a few kilobytes of archive may declare terabytes): its hash is of a tag,
 * the hash of its data segments, the hash of its map (offset and length of
 * each segment) and its size.  So it costs what its stored bytes cost, and
 * differs from the hash of the same bytes stored densely.
 */
static const char sparse_tag[] = "imgdrift sparse content 1";

void
tar_ehash_begin(struct ehash *h)
{
	tar_ehash_reset(h);
	h->end = h->seg_off = h->seg_len = 0;
	h->data = 0;
	h->sparse = false;
}

static void
put_le64(struct ehash *h, uint64_t v)
{
	uint8_t b[8];
	int i;

	for (i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> 8 * i);
	tar_ehash_update(h, b, sizeof(b));
}

/* At the first hole: the segments so far ([0, end)) start the map. */
static void
start_sparse(struct ehash *h)
{
	if (h->sparse)
		return;
	h->sparse = true;
	if (h->map == NULL)
		h->map = tar_ehash_new(h->kind);
	tar_ehash_reset(h->map);
}

/* Close the current segment into the map. */
static void
map_segment(struct ehash *h)
{
	if (h->seg_len == 0)
		return;
	put_le64(h->map, (uint64_t)h->seg_off);
	put_le64(h->map, (uint64_t)h->seg_len);
}

void
tar_ehash_block(struct ehash *h, int64_t off, const void *p, size_t n)
{
	if (off != h->end) {
		start_sparse(h);
		map_segment(h);
		h->seg_off = off;
		h->seg_len = 0;
	}
	tar_ehash_update(h, p, n);
	h->data += n;
	h->seg_len += (int64_t)n;
	h->end = off + (int64_t)n;
}

void
tar_ehash_end(struct ehash *h, uint64_t size, uint8_t out[TAR_HASH_MAX])
{
	uint8_t data[TAR_HASH_MAX], map[TAR_HASH_MAX];
	size_t len = tar_hash_len(h->kind);

	if (!h->sparse && (uint64_t)h->end == size) {
		tar_ehash_final(h, out);
		return;
	}
	start_sparse(h);
	map_segment(h);
	tar_ehash_final(h, data);
	tar_ehash_final(h->map, map);
	tar_ehash_reset(h);
	tar_ehash_update(h, sparse_tag, sizeof(sparse_tag));
	tar_ehash_update(h, data, len);
	tar_ehash_update(h, map, len);
	put_le64(h, size);
	tar_ehash_final(h, out);
}

/*
 * The capture of te when a package reader wants its bytes and the budget
 * of its ecosystem holds them; over the budget, a capture marked over
 * (so that the database is said not read, never half read); a file over
 * its ecosystem's bound for one file is marked file_over and spends
 * nothing.  @return
 * NULL when te is not wanted.
 */
static struct tar_capture *
capture_begin(struct entries *en, const struct tar_entry *te, int *ecop)
{
	struct tar_capture *c;
	bool bytes;
	int eco;

	*ecop = -1;
	if (en == NULL || en->budget == NULL || te->kind != TAR_REG ||
	    (eco = pkg_capture_match(te->path, &bytes)) < 0)
		return NULL;
	xgrow(&en->caps, &en->capcap, en->ncaps + 1, sizeof(*en->caps));
	c = &en->caps[en->ncaps++];
	memset(c, 0, sizeof(*c));
	c->ordinal = te->ordinal;
	if (!bytes || te->size == 0)
		return NULL;
	if (te->size > pkg_file_max((enum pkg_eco)eco)) {
		c->over = c->file_over = true;
		return NULL;
	}
	if (te->size > PKG_DB_MAX - en->budget[eco]) {
		c->over = true;
		en->budget[eco] = PKG_DB_MAX;
		return NULL;
	}
	en->budget[eco] += te->size;
	c->len = (size_t)te->size;
	c->data = xcalloc(c->len, 1);
	*ecop = eco;
	return c;
}

/* A file kept for its name whose first bytes are not what its ecosystem
   reads (a ".jar" that is no zip): forget it, and what it cost. */
static struct tar_capture *
capture_drop(struct entries *en, struct tar_capture *c, int eco)
{
	en->budget[eco] -= c->len;
	free(c->data);
	en->ncaps--;
	return NULL;
}

/*
 * The scan of an executable's bytes for a Go binary's build information
 * (pkg_go_mark), in the pass that hashes them: the bytes from the mark on
 * are kept, at most PKG_GO_BLOB_MAX, within the Go ecosystem's budget.
 */
#define SCAN_MIN	4096	/* smaller files are no Go binaries */
struct scan {
	bool on;		/* an executable, not found yet */
	uint8_t tail[sizeof(pkg_go_mark) - 1];	/* the last bytes seen */
	size_t ntail;
	int64_t end;		/* where the bytes seen end */
	struct tar_capture *cap;	/* kept from the mark on */
	size_t max;		/* what cap may hold */
};

static bool
is_executable(const uint8_t *p, size_t n)
{
	static const uint8_t macho[4][4] = { { 0xfe, 0xed, 0xfa, 0xce },
	    { 0xfe, 0xed, 0xfa, 0xcf }, { 0xce, 0xfa, 0xed, 0xfe },
	    { 0xcf, 0xfa, 0xed, 0xfe } };
	size_t i;

	if (n >= 4 && memcmp(p, "\177ELF", 4) == 0)
		return true;
	if (n >= 2 && memcmp(p, "MZ", 2) == 0)
		return true;
	for (i = 0; i < 4; i++)
		if (n >= 4 && memcmp(p, macho[i], 4) == 0)
			return true;
	return false;
}

/* Start keeping the entry's bytes from at (the mark); @return the
   capture, or NULL when the budget is spent (then marked over). */
static struct tar_capture *
scan_keep(struct scan *s, struct entries *en, const struct tar_entry *te,
    int64_t at)
{
	struct tar_capture *c;
	uint64_t want = te->size - (uint64_t)at;

	if (want > PKG_GO_BLOB_MAX)
		want = PKG_GO_BLOB_MAX;
	xgrow(&en->caps, &en->capcap, en->ncaps + 1, sizeof(*en->caps));
	c = &en->caps[en->ncaps++];
	memset(c, 0, sizeof(*c));
	c->ordinal = te->ordinal;
	c->scanned = true;
	c->eco = PKG_GO;
	if (want > PKG_DB_MAX - en->budget[PKG_GO]) {
		c->over = true;
		en->budget[PKG_GO] = PKG_DB_MAX;
		return NULL;
	}
	c->data = xcalloc((size_t)want, 1);
	s->max = (size_t)want;
	return c;
}

/* Append what fits of p[0..n) to the capture. */
static void
scan_put(struct scan *s, const uint8_t *p, size_t n)
{
	struct tar_capture *c = s->cap;

	if (n > s->max - c->len)
		n = s->max - c->len;
	memcpy(c->data + c->len, p, n);
	c->len += n;
}

/* Remember the last bytes of p[0..n), where a mark may begin. */
static void
scan_tail(struct scan *s, const uint8_t *p, size_t n)
{
	size_t k;

	if (n >= sizeof(s->tail)) {
		memcpy(s->tail, p + n - sizeof(s->tail), sizeof(s->tail));
		s->ntail = sizeof(s->tail);
		return;
	}
	k = s->ntail + n > sizeof(s->tail) ? s->ntail + n - sizeof(s->tail) : 0;
	memmove(s->tail, s->tail + k, s->ntail - k);
	memcpy(s->tail + s->ntail - k, p, n);
	s->ntail = s->ntail - k + n;
}

static void
scan_block(struct scan *s, struct entries *en, const struct tar_entry *te,
    int64_t off, const uint8_t *p, size_t n)
{
	uint8_t join[2 * sizeof(pkg_go_mark)];
	const uint8_t *m;
	size_t k, i;

	/* A hole in a sparse file ends the scan, and what is kept. */
	if (off != s->end) {
		s->on = false;
		s->end = -1;
		return;
	}
	s->end = off + (int64_t)n;
	if (s->cap != NULL) {
		scan_put(s, p, n);
		return;
	}
	/* A mark that begins in the bytes before this block. */
	k = n < sizeof(pkg_go_mark) - 1 ? n : sizeof(pkg_go_mark) - 1;
	memcpy(join, s->tail, s->ntail);
	memcpy(join + s->ntail, p, k);
	m = memmem(join, s->ntail + k, pkg_go_mark, sizeof(pkg_go_mark));
	if (m != NULL && (size_t)(m - join) < s->ntail) {
		i = (size_t)(m - join);
		s->on = false;
		if ((s->cap = scan_keep(s, en, te, off - (int64_t)(s->ntail - i)))
		    != NULL) {
			scan_put(s, join + i, s->ntail - i);
			scan_put(s, p, n);
		}
		return;
	}
	if ((m = memmem(p, n, pkg_go_mark, sizeof(pkg_go_mark))) != NULL) {
		s->on = false;
		if ((s->cap = scan_keep(s, en, te, off + (m - p))) != NULL)
			scan_put(s, m, n - (size_t)(m - p));
		return;
	}
	scan_tail(s, p, n);
}

/* The entry's bytes are read: keep only what the build information takes. */
static void
scan_end(struct scan *s, struct entries *en)
{
	struct tar_capture *c = s->cap;
	size_t need;

	if (c == NULL)
		return;
	need = pkg_go_blob_len(c->data, c->len);
	if (need < c->len) {
		c->data = xrealloc(c->data, need);
		c->len = need;
	}
	en->budget[PKG_GO] += c->len;
}

/*
 * The bytes of one entry a package reader wants, kept as they pass: its
 * capture when its path is wanted, else the scan for a Go binary's build
 * information.
 */
struct tar_keep {
	struct entries *en;
	const struct tar_entry *te;
	struct tar_capture *c;	/* in en->caps, the last one */
	int eco;
	struct scan s;
	/* An ELF file's bytes before and of its section headers, where a
	   cargo-auditable binary's .dep-v0 lies (pkg_cargo_window()). */
	uint8_t head[64];
	size_t nhead;
	uint8_t *win;
	uint64_t from, to;
};

static void
keep_begin(struct tar_keep *k, struct entries *en, const struct tar_entry *te)
{
	memset(k, 0, sizeof(*k));
	k->en = en;
	k->te = te;
	k->c = capture_begin(en, te, &k->eco);
}

/* Keep what of p[0..n), at off, falls in the cargo window. */
static void
window_put(struct tar_keep *k, int64_t off, const uint8_t *p, size_t n)
{
	uint64_t lo = (uint64_t)off, hi = lo + n;

	if (hi <= k->from || lo >= k->to)
		return;
	if (lo < k->from) {
		p += k->from - lo;
		lo = k->from;
	}
	if (hi > k->to)
		hi = k->to;
	memcpy(k->win + (lo - k->from), p, (size_t)(hi - lo));
}

/* The entry is read: keep its .dep-v0 as a scanned cargo capture, or a
   capture marked over when the section lies before the window. */
static void
window_end(struct tar_keep *k)
{
	struct entries *en = k->en;
	struct tar_capture *c;
	const uint8_t *sec;
	size_t len = 0;
	int r;

	if (k->win == NULL)
		return;
	r = pkg_cargo_find(k->head, k->nhead, k->win, (size_t)(k->to - k->from),
	    k->from, &sec, &len);
	/* One capture an entry: a Go binary's (or a database's) stays. */
	if (r == 0 || (en->ncaps > 0 &&
	    en->caps[en->ncaps - 1].ordinal == k->te->ordinal))
		goto out;
	xgrow(&en->caps, &en->capcap, en->ncaps + 1, sizeof(*en->caps));
	c = &en->caps[en->ncaps++];
	memset(c, 0, sizeof(*c));
	c->ordinal = k->te->ordinal;
	c->scanned = true;
	c->eco = PKG_CARGO;
	if (r < 0)
		c->over = c->file_over = true;
	else if (len > PKG_DB_MAX - en->budget[PKG_CARGO]) {
		c->over = true;
		en->budget[PKG_CARGO] = PKG_DB_MAX;
	} else if (len > 0) {
		c->data = xmalloc(len);
		memcpy(c->data, sec, len);
		c->len = len;
		en->budget[PKG_CARGO] += len;
	}
 out:
	free(k->win);
	k->win = NULL;
}

static void
keep_block(struct tar_keep *k, int64_t off, const uint8_t *buf, size_t len)
{
	struct entries *en = k->en;
	struct tar_capture *c = k->c;

	if (c != NULL && off == 0 && !pkg_capture_content((enum pkg_eco)k->eco,
	    buf, len))
		c = k->c = capture_drop(en, c, k->eco);
	if (c != NULL && off >= 0 && (uint64_t)off <= c->len &&
	    len <= c->len - (size_t)off)
		memcpy(c->data + off, buf, len);
	/* The first block says whether to scan the rest. */
	if (off == 0 && c == NULL && en != NULL && en->budget != NULL &&
	    k->te->kind == TAR_REG && k->te->size >= SCAN_MIN) {
		k->s.on = is_executable(buf, len);
		if (k->s.on && pkg_cargo_window(buf, len, k->te->size, &k->from,
		    &k->to)) {
			k->nhead = len < sizeof(k->head) ? len : sizeof(k->head);
			memcpy(k->head, buf, k->nhead);
			k->win = xcalloc((size_t)(k->to - k->from), 1);
		}
	}
	if (k->s.on || (k->s.cap != NULL && k->s.end >= 0))
		scan_block(&k->s, en, k->te, off, buf, len);
	if (k->win != NULL && off >= 0)
		window_put(k, off, buf, len);
}

/* The entry's bytes are all seen. */
static void
keep_end(struct tar_keep *k)
{
	scan_end(&k->s, k->en);
	window_end(k);
}

struct tar_keep *
tar_keep_new(struct entries *en, const struct tar_entry *te)
{
	struct tar_keep *k = xmalloc(sizeof(*k));

	keep_begin(k, en, te);
	return k;
}

void
tar_keep_block(struct tar_keep *k, int64_t off, const void *p, size_t n)
{
	if (k != NULL && n > 0)
		keep_block(k, off, p, n);
}

void
tar_keep_end(struct tar_keep *k)
{
	if (k == NULL)
		return;
	keep_end(k);
	free(k);
}

int
tar_entry_hash_data(struct archive *a, struct tar_entry *te, struct ehash *h,
    struct entries *en, struct err *e)
{
	struct tar_keep k;
	const void *buf;
	size_t len;
	la_int64_t off;
	int r;

	keep_begin(&k, en, te);
	tar_ehash_begin(h);
	for (;;) {
		r = archive_read_data_block(a, &buf, &len, &off);
		if (r == ARCHIVE_EOF)
			break;
		if (r < ARCHIVE_WARN) {
			free(k.win);
			return err_set(e, ERR_FORMAT, "%s", archive_error_string(a) ?
			    archive_error_string(a) : "cannot read entry data");
		}
		tar_ehash_block(h, off, buf, len);
		keep_block(&k, off, buf, len);
	}
	keep_end(&k);
	tar_ehash_end(h, te->size, te->hash);
	te->sparse = h->sparse;
	if (h->sparse && en != NULL && te->size > h->data &&
	    en->nsparse < TAR_WARN_MAX) {
		en->sparse[en->nsparse].ordinal = te->ordinal;
		en->sparse[en->nsparse++].data = h->data;
	}
	return 0;
}

static la_int64_t
layer_skip_cb(struct archive *a, void *ud, la_int64_t want)
{
	struct bs_reader *c = ud;

	(void)a;
	return tar_bs_skip(c->bs, want);
}

int
tar_bs_archive_open(struct bs_reader *c, struct archive **out, struct err *e)
{
	struct archive *a;
	int rc;

	if ((a = archive_read_new()) == NULL)
		xalloc_die();
	archive_read_support_format_tar(a);
	archive_read_support_format_empty(a);
	archive_read_set_skip_callback(a, layer_skip_cb);
	archive_read_set_callback_data(a, c);
	archive_read_set_read_callback(a, layer_read_cb);
	if (archive_read_open1(a) != ARCHIVE_OK) {
		rc = c->err ? c->err : err_set(e, ERR_FORMAT, "not a tar archive: %s",
		    archive_error_string(a));
		archive_read_free(a);
		return rc;
	}
	*out = a;
	return 0;
}

int
tar_layer_parse(struct bstream *bs, struct entries *en, struct strpool *sp,
    enum tar_hash kind, uint64_t *budget, struct err *e)
{
	struct ehash *h = tar_ehash_new(kind);
	struct archive *a = NULL;
	struct archive_entry *ae;
	struct bs_reader c = { bs, e, 0 };
	struct tar_entry *te;
	int r, rc;

	/* bench/ builds a second binary with this defined, to time the
	   package view against none in one run (docs/performance.md):
	   nothing is kept or scanned, so no package is read. */
#ifdef IMGDRIFT_BENCH_NO_PACKAGES
	budget = NULL;
#endif
	en->budget = budget;
	if ((rc = tar_bs_archive_open(&c, &a, e)) < 0)
		goto out;
	for (;;) {
		r = archive_read_next_header(a, &ae);
		if (r == ARCHIVE_EOF)
			break;
		/* ARCHIVE_RETRY too: libarchive would skip to the next
		   header that looks right, and entries would go unread. */
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
			rc = c.err ? c.err : err_set(e, ERR_FORMAT, "entry %zu: %s",
			    en->n + 1, archive_error_string(a) ? archive_error_string(a) :
			    "bad tar header");
			goto out;
		}
		if (r == ARCHIVE_WARN)
			tar_entries_warn(en, a);
		if (en->n >= TAR_ENTRIES_MAX) {
			rc = err_set(e, ERR_LIMIT, "more than %u entries in one layer",
			    TAR_ENTRIES_MAX);
			goto out;
		}
		tar_ckpt_note(en, a);
		xgrow(&en->v, &en->cap, en->n + 1, sizeof(*en->v));
		te = &en->v[en->n];
		if ((rc = tar_entry_from_archive(te, ae, archive_format(a), sp,
		    &en->names, e)) < 0) {
			err_prefix(e, "entry %zu", en->n + 1);
			goto out;
		}
		te->ordinal = (uint32_t)en->n;
		en->n++;
		if ((rc = tar_entry_hash_data(a, te, h, en, e)) < 0) {
			if (c.err)
				rc = c.err;
			err_prefix(e, "entry '%s'", te->path);
			goto out;
		}
	}
	rc = tar_bs_drain(bs, e);
 out:
	archive_read_free(a);
	tar_ehash_free(h);
	return rc;
}
