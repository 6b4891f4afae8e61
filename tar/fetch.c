/*
 * fetch.c - the second look: read the input again and keep the bytes of a
 * few named entries, so that differences can be shown and explained.  Only
 * the layers that hold a wanted entry are inflated and parsed; the others
 * are skipped (by seeking, in an uncompressed archive file).
 *
 * The first pass knows where each wanted entry sits in its layer, so the
 * parse stops after the last of them, and the walk of the wrapper stops
 * after the last wanted layer.  Each fetched entry must hash as it did in
 * the first pass (XXH3-128, or SHA-256 when compared with a fingerprint),
 * which compared entries by that same hash: the bytes shown and explained
 * are the bytes that were compared.
 *
 * A stored layer of a file or directory (or a bare layer, the input itself
 * uncompressed) is not parsed from its start: the
 * first pass noted where every TAR_CKPT_EVERY-th entry's headers start
 * (layer.c), and the parse starts at the checkpoint before the first
 * wanted entry, then checks that what it kept is what the first pass saw
 * there.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <xxhash.h>


#include "tar/tar_int.h"

bool
tar_rereadable(const struct tar_archive *ar)
{
	/* A pipe or a FIFO would block or give other bytes if opened again. */
	return !ar->fingerprint && (ar->mem != NULL || ar->input_is_file ||
	    ar->format == TAR_FORMAT_OCI_LAYOUT ||
	    ar->format == TAR_FORMAT_REGISTRY);
}

static bool
same_member(const char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

static bool
wants_member(const struct tar_fetch *w, size_t n, const char *member)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (same_member(w[i].member, member))
			return true;
	return false;
}

/* Add bytes at the end of what w keeps, up to limit (NULL p: zeros). */
static void
keep_bytes(struct tar_fetch *w, const void *p, size_t n, size_t limit)
{
	if (w->len + n > limit) {
		n = limit - w->len;
		w->truncated = true;
	}
	if (n == 0)
		return;
	xgrow(&w->data, &w->cap, w->len + n, 1);
	if (p != NULL)
		memcpy(w->data + w->len, p, n);
	else
		memset(w->data + w->len, 0, n);
	w->len += n;
}

/*
 * Keep up to limit bytes of the current entry in w (a sparse file's holes
 * as zeros), and hash all of it as the first pass did.
 */
static int
keep(struct archive *a, struct tar_fetch *w, uint64_t size, size_t limit,
    enum tar_hash kind, struct err *e)
{
	struct ehash *h = tar_ehash_new(kind);
	uint8_t hash[TAR_HASH_MAX];
	const void *buf;
	size_t len;
	la_int64_t off;
	int r;

	w->unread = false;
	w->len = 0;
	w->truncated = false;
	w->found = true;
	tar_ehash_begin(h);
	while ((r = archive_read_data_block(a, &buf, &len, &off)) == ARCHIVE_OK ||
	    r == ARCHIVE_WARN) {
		tar_ehash_block(h, off, buf, len);
		if (off > 0 && (uint64_t)off > w->len)
			keep_bytes(w, NULL, (uint64_t)off - w->len > limit ? limit :
			    (size_t)((uint64_t)off - w->len), limit);
		keep_bytes(w, buf, len, limit);
	}
	if (size > w->len)
		keep_bytes(w, NULL, size - w->len > limit ? limit :
		    (size_t)(size - w->len), limit);
	tar_ehash_end(h, size, hash);
	memcpy(w->hash, hash, sizeof(w->hash));
	tar_ehash_free(h);
	if (r != ARCHIVE_EOF)
		return err_set(e, ERR_FORMAT, "%s", archive_error_string(a));
	return 0;
}

/* "changed since it was read" */
static int
changed(struct err *e, const char *member, const char *path)
{
	if (path != NULL)
		return err_set(e, ERR_DIGEST, "changed since it was read (layer "
		    "'%s', entry '%s')", member, path);
	return err_set(e, ERR_DIGEST, "changed since it was read (layer '%s' is "
	    "gone)", member);
}

/*
 * Find the first pass's entry of every wanted entry (w[i].first; NULL when
 * it has none): one walk of each wanted layer's entries, from its end (a
 * later entry of a path replaces an earlier one), against a table of the
 * paths wanted in it, not a walk for each wanted entry.
 */
static void
find_first(const struct tar_archive *ar, struct tar_fetch *w, size_t n)
{
	const struct entries *en;
	const struct blob *b;
	struct err e2 = { 0, "" };
	size_t i, j, k, cap, left, *slot = NULL;
	uint64_t h;

	for (i = 0; i < n; i++)
		w[i].first = NULL;
	for (i = 0; i < n; i++) {
		for (j = 0; j < i && !same_member(w[j].member, w[i].member); j++)
			;
		if (j < i)
			continue;	/* its layer was walked */
		en = &ar->top;
		if (w[i].member != NULL) {
			if ((b = tar_blob_find(ar, w[i].member, &e2)) == NULL)
				continue;
			en = &b->entries;
		}
		for (left = 0, j = i; j < n; j++)
			left += same_member(w[j].member, w[i].member);
		for (cap = 16; cap < 2 * left; cap *= 2)
			;
		slot = xcalloc(cap, sizeof(*slot));	/* index + 1, 0 free */
		for (j = i; j < n; j++) {
			if (!same_member(w[j].member, w[i].member))
				continue;
			h = XXH3_64bits(w[j].path, strlen(w[j].path));
			for (k = h & (cap - 1); slot[k] != 0; k = (k + 1) & (cap - 1))
				;
			slot[k] = j + 1;
		}
		for (k = en->n; k-- > 0 && left > 0; ) {
			const char *p = en->v[k].path;

			h = XXH3_64bits(p, strlen(p));
			for (j = h & (cap - 1); slot[j] != 0; j = (j + 1) & (cap - 1))
				if (w[slot[j] - 1].first == NULL &&
				    strcmp(w[slot[j] - 1].path, p) == 0) {
					/* (each copy of one wanted entry) */
					w[slot[j] - 1].first = &en->v[k];
					left--;
				}
		}
		free(slot);
	}
}

/* The fetched entries of member are the ones the first pass compared. */
static int
same_entries(const struct tar_archive *ar, const struct tar_fetch *w,
    size_t n, const char *member, struct err *e)
{
	const struct tar_entry *te;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!same_member(w[i].member, member) || !w[i].found || w[i].unread)
			continue;
		te = w[i].first;
		if (te == NULL || memcmp(te->hash, w[i].hash,
		    tar_hash_len(ar->hash_kind)) != 0)
			return changed(e, member != NULL ? member : "(input)",
			    w[i].path);
	}
	return 0;
}

/* Every wanted member must still be there, or the input changed. */
static int
all_seen(const struct tar_fetch *w, size_t n,
    struct err *e)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!w[i].seen)
			return changed(e, w[i].member ? w[i].member : "(input)", NULL);
	return 0;
}

/*
 * @return the ordinal of the last entry of the layer that a wanted entry
 * can be (a later entry with the same path replaces an earlier one), or
 * SIZE_MAX when the first pass does not tell.
 */
static size_t
last_wanted(const struct tar_fetch *w, size_t n, const char *member)
{
	const struct tar_entry *te;
	size_t i, last = 0;

	for (i = 0; i < n; i++) {
		if (!same_member(w[i].member, member))
			continue;
		if ((te = w[i].first) == NULL)
			return SIZE_MAX;
		if (te->ordinal > last)
			last = te->ordinal;
	}
	return last;
}

/*
 * Parse the layer tar in bs, whose first entry is the layer's entry first,
 * keeping the wanted entries of member up to the last of them, and check
 * them against the first pass.  at (n of them, or NULL) gets the ordinal
 * each wanted entry was kept at.
 */
static int
capture(const struct tar_archive *ar, struct bstream *bs, struct tar_fetch *w,
    size_t n, const char *member, size_t limit, uint32_t first, uint32_t *at,
    struct err *e)
{
	size_t stop = last_wanted(w, n, member);
	struct bs_reader c = { bs, e, 0 };
	struct archive *a = NULL;
	struct archive_entry *ae;
	char *path;
	size_t i, ordinal = first;
	int r;

	for (i = 0; i < n; i++)
		if (same_member(w[i].member, member))
			w[i].seen = true;
	if ((r = tar_bs_archive_open(&c, &a, e)) < 0)
		return r;
	for (;; ordinal++) {
		if (ordinal > stop)
			break;
		if ((r = archive_read_next_header(a, &ae)) == ARCHIVE_EOF)
			break;
		if (r < ARCHIVE_WARN) {
			r = c.err ? c.err : err_set(e, ERR_FORMAT, "%s",
			    archive_error_string(a));
			goto out;
		}
		if (archive_entry_pathname(ae) == NULL)
			continue;
		path = xstrdup(archive_entry_pathname(ae));
		tar_normalize_path(path);
		for (i = 0; i < n; i++)
			if (same_member(w[i].member, member) &&
			    strcmp(w[i].path, path) == 0)
				break;
		free(path);
		/*
		 * A file larger than the limit cannot be proven or shown whole:
		 * it is not read at all (a 2 GiB file would cost a second
		 * inflate).  A later entry with the same path replaces an
		 * earlier one.
		 */
		if (i < n && archive_entry_size(ae) > (la_int64_t)limit) {
			w[i].found = w[i].truncated = w[i].unread = true;
			w[i].len = 0;
		} else if (i < n && (r = keep(a, &w[i], (uint64_t)(archive_entry_size(ae) >
		    0 ? archive_entry_size(ae) : 0), limit, ar->hash_kind, e)) < 0)
			goto out;
		if (i < n && at != NULL)
			at[i] = (uint32_t)ordinal;
	}
	r = same_entries(ar, w, n, member, e);
 out:
	archive_read_free(a);
	if (r < 0 && c.err)
		r = c.err;
	return r;
}

/* A stored layer's bytes from a checkpoint on: in the input file at fd,
   or in the input held in memory (fd -1). */
struct at_src {
	int fd;
	const uint8_t *mem;
	uint64_t off, left;
};

static ssize_t
at_read(void *ctx, void *buf, size_t len, struct err *e)
{
	struct at_src *s = ctx;
	ssize_t n = (ssize_t)(len < s->left ? len : s->left);

	if (n > 0 && s->fd < 0)
		memcpy(buf, s->mem + s->off, (size_t)n);
	else if (n > 0) {
		do
			n = pread(s->fd, buf, (size_t)n, (off_t)s->off);
		while (n < 0 && errno == EINTR);
		if (n < 0)
			return err_set(e, ERR_IO, "read error: %s", strerror(errno));
	}
	s->off += (uint64_t)n;
	s->left -= (uint64_t)n;
	return n;
}

/* @return whether the wanted entries of member kept from a checkpoint
   are the first pass's: at its ordinals, read or left unread as it
   would be (their hashes were checked by capture()). */
static bool
kept_as_first(const struct tar_fetch *w, size_t n, const char *member,
    const uint32_t *at, size_t limit)
{
	const struct tar_entry *te;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!same_member(w[i].member, member))
			continue;
		te = w[i].first;
		if (te == NULL || !w[i].found || at[i] != te->ordinal ||
		    w[i].unread != (te->size > limit))
			return false;
	}
	return true;
}

/* @return the first pass's ordinal of the first wanted entry of member,
   or UINT32_MAX when one is not in it. */
static uint32_t
first_wanted(const struct tar_fetch *w, size_t n, const char *member)
{
	const struct tar_entry *te;
	uint32_t first = UINT32_MAX;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!same_member(w[i].member, member))
			continue;
		if ((te = w[i].first) == NULL)
			return UINT32_MAX;
		if (te->ordinal < first)
			first = te->ordinal;
	}
	return first;
}

/* @return whether blob b is a layer stored as is: the offsets in its tar
   stream are those in its bytes. */
static bool
stored_tar(const struct blob *b)
{
	return b->content == BLOB_TAR && b->framing.comp == TAR_COMP_NONE &&
	    b->size == b->usize;
}

/*
 * Keep the wanted entries of member, a layer of entries en stored (not
 * compressed) in size bytes at base in the input (fd, or ar->mem when fd
 * is -1), reading from the checkpoint at or before the first of them
 * rather than from the layer's start.
 * What a restarted parse cannot know (a pax global header, a hardlink's
 * size read in the format of the headers before) could put it out of step
 * with the first pass; so every entry it keeps must be the first pass's.
 * @return 0 when they are, 1 when the layer must be read from its start:
 * no checkpoint past it, or entries that are not those, or any error of
 * this read (that read then meets it, or shows the change).
 */
static int
capture_from_ckpt(const struct tar_archive *ar, int fd, uint64_t base,
    uint64_t size, const struct entries *en, const char *member,
    struct tar_fetch *w, size_t n, size_t limit)
{
	struct at_src s = { fd, ar->mem, 0, 0 };
	struct bstream *bs = NULL;
	struct err e = { 0, "" };
	uint32_t first = first_wanted(w, n, member), *at;
	uint64_t off = 0;
	size_t i;
	int r;

	if (first == UINT32_MAX ||
	    (first = tar_ckpt_before(en, first, &off)) == 0 || off >= size ||
	    (fd < 0 && (ar->mem == NULL || base > ar->mem_len ||
	    size > ar->mem_len - base)))
		return 1;
	s.off = base + off;
	s.left = size - off;
	at = xcalloc(n, sizeof(*at));
	if ((r = tar_bs_open(at_read, &s, BS_NO_DIGEST | BS_NO_DIFFID, &bs,
	    &e)) == 0)
		r = capture(ar, bs, w, n, member, limit, first, at, &e);
	tar_bs_free(bs);
	if (r == 0 && kept_as_first(w, n, member, at, limit)) {
		free(at);
		return 0;
	}
	free(at);
	for (i = 0; i < n; i++)
		if (same_member(w[i].member, member)) {
			w[i].found = w[i].truncated = w[i].unread = false;
			w[i].len = 0;
		}
	return 1;
}

static ssize_t
fd_src(void *ctx, void *buf, size_t len, struct err *e)
{
	ssize_t n;

	do
		n = read(*(int *)ctx, buf, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return err_set(e, ERR_IO, "read error: %s", strerror(errno));
	return n;
}

static int
fd_seek(void *ctx, int64_t n)
{
	return lseek(*(int *)ctx, (off_t)n, SEEK_CUR) < 0 ? -1 : 0;
}

static ssize_t
member_src(void *ctx, void *buf, size_t len, struct err *e)
{
	la_ssize_t n = archive_read_data(ctx, buf, len);

	if (n < 0)
		return err_set(e, ERR_FORMAT, "%s", archive_error_string(ctx));
	return n;
}

/* One blob of a layout directory. */
static int
fetch_dir_member(const struct tar_archive *ar, struct tar_fetch *w, size_t n,
    const char *member, size_t limit, struct err *e)
{
	const struct blob *b;
	struct bstream *bs = NULL;
	struct err e2 = { 0, "" };
	int dfd, fd, r;

	if ((dfd = open(ar->input, O_RDONLY | O_DIRECTORY)) < 0)
		return err_set(e, ERR_IO, "cannot open: %s", strerror(errno));
	fd = openat(dfd, member, O_RDONLY | O_NOFOLLOW);
	close(dfd);
	if (fd < 0)
		return err_set(e, ERR_IO, "'%s': %s", member, strerror(errno));
	if ((b = tar_blob_find(ar, member, &e2)) != NULL &&
	    strcmp(b->name, member) == 0 && stored_tar(b) &&
	    capture_from_ckpt(ar, fd, 0, b->size, &b->entries, member, w, n,
	    limit) == 0)
		r = 0;
	else if ((r = tar_bs_open(fd_src, &fd, BS_NO_DIGEST | BS_NO_DIFFID, &bs,
	    e)) == 0)
		r = capture(ar, bs, w, n, member, limit, 0, NULL, e);
	tar_bs_free(bs);
	close(fd);
	return r;
}

/* One blob of an image in a registry, fetched again. */
static int
fetch_reg_member(const struct tar_archive *ar, struct reg_client *c,
    struct tar_fetch *w, size_t n, const char *member, size_t limit,
    struct err *e)
{
	const struct blob *b = tar_blob_find(ar, member, e);
	struct reg_stream *s = NULL;
	struct bstream *bs = NULL;
	const char *hex;
	char *digest;
	int r;

	if (b == NULL || !skip_prefix(member, "blobs/sha256/", &hex))
		return err_set(e, ERR_INTERNAL, "'%s': no such blob", member);
	digest = xstrfmt("sha256:%s", hex);
	if ((r = reg_blob_open(c, digest, b->size, &s, e)) == 0 &&
	    (r = tar_bs_open(reg_stream_read, s, BS_NO_DIGEST | BS_NO_DIFFID, &bs,
	    e)) == 0)
		r = capture(ar, bs, w, n, member, limit, 0, NULL, e);
	tar_bs_free(bs);
	reg_stream_free(s);
	free(digest);
	return r;
}

static int
fetch_tar(const struct tar_archive *ar, struct tar_fetch *w, size_t n,
    size_t limit, struct err *e)
{
	struct bstream *top = NULL, *bs = NULL;
	struct bs_reader c = { NULL, e, 0 };
	struct archive *a = NULL;
	struct archive_entry *ae;
	const struct blob *b;
	struct mem_src ms = { ar->mem, ar->mem_len, 0 };
	char *name = NULL;
	bool bare;
	int fd = -1, r;

	if (ar->mem == NULL && (fd = open(ar->input, O_RDONLY)) < 0)
		return err_set(e, ERR_IO, "cannot open: %s", strerror(errno));
	bare = wants_member(w, n, NULL);
	if ((r = tar_bs_open(ar->mem != NULL ? tar_mem_src_read : fd_src,
	    ar->mem != NULL ? (void *)&ms : (void *)&fd,
	    BS_NO_DIGEST | BS_NO_DIFFID, &top, e)) < 0)
		goto out;
	if (bare) {
		/* A bare layer: the input itself. */
		if (ar->wrapper_comp == TAR_COMP_NONE &&
		    capture_from_ckpt(ar, fd, 0, ar->input_size, &ar->top, NULL,
		    w, n, limit) == 0)
			r = 0;
		else
			r = capture(ar, top, w, n, NULL, limit, 0, NULL, e);
		if (r == 0)
			r = all_seen(w, n, e);
		goto out;
	}
	c.bs = top;
	/* An uncompressed regular file: seek past the layers not wanted. */
	if (ar->mem != NULL)
		tar_bs_set_skip(top, tar_mem_src_skip);
	else if (lseek(fd, 0, SEEK_CUR) >= 0)
		tar_bs_set_skip(top, fd_seek);
	if ((r = tar_bs_archive_open(&c, &a, e)) < 0)
		goto out;
	while ((r = archive_read_next_header(a, &ae)) != ARCHIVE_EOF) {
		if (r < ARCHIVE_WARN) {
			r = c.err ? c.err : err_set(e, ERR_FORMAT, "%s",
			    archive_error_string(a));
			goto out;
		}
		free(name);
		name = xstrdup(archive_entry_pathname(ae) ?
		    archive_entry_pathname(ae) : "");
		tar_normalize_path(name);
		/* The first pass named layers by the blob holding the bytes. */
		if ((b = tar_blob_find(ar, name, e)) == NULL || b->kind != TAR_REG ||
		    strcmp(b->name, name) != 0 || !wants_member(w, n, name)) {
			err_clear(e);
			continue;	/* libarchive skips the data */
		}
		/* A stored layer in an uncompressed wrapper: at its offset. */
		if (ar->wrapper_comp == TAR_COMP_NONE && stored_tar(b) &&
		    archive_entry_size(ae) >= 0 &&
		    (uint64_t)archive_entry_size(ae) == b->size &&
		    capture_from_ckpt(ar, fd, (uint64_t)archive_filter_bytes(a, 0),
		    b->size, &b->entries, name, w, n, limit) == 0)
			r = 0;
		else if ((r = tar_bs_open(member_src, a, BS_NO_DIGEST | BS_NO_DIFFID,
		    &bs, e)) == 0)
			r = capture(ar, bs, w, n, name, limit, 0, NULL, e);
		tar_bs_free(bs);
		bs = NULL;
		if (r < 0)
			goto out;
		if (all_seen(w, n, NULL) == 0)
			break;		/* the rest of the archive is not wanted */
	}
	r = all_seen(w, n, e);
 out:
	free(name);
	archive_read_free(a);
	tar_bs_free(top);
	if (fd >= 0)
		close(fd);
	return r;
}

int
tar_fetch(const struct tar_archive *ar, struct tar_fetch *w, size_t n,
    size_t limit, struct err *e)
{
	struct reg_client *c = NULL;
	size_t i, j;
	int r = 0;

	if (!tar_rereadable(ar))
		return err_set(e, ERR_UNSUPPORTED,
		    "standard input cannot be read a second time");
	if (ar->format == TAR_FORMAT_REGISTRY &&
	    (r = reg_client_new(&ar->reg_ref, &ar->reg_opts, &c, e)) < 0)
		return r;
	find_first(ar, w, n);
	if (ar->format == TAR_FORMAT_OCI_LAYOUT ||
	    ar->format == TAR_FORMAT_REGISTRY) {
		for (i = 0; i < n && r == 0; i++) {
			for (j = 0; j < i && !same_member(w[j].member, w[i].member); j++)
				;
			if (j < i)
				continue;
			r = c != NULL ? fetch_reg_member(ar, c, w, n, w[i].member, limit,
			    e) : fetch_dir_member(ar, w, n, w[i].member, limit, e);
		}
	} else
		r = fetch_tar(ar, w, n, limit, e);
	if (c != NULL) {
		/* Counted with the first pass's bytes (one thread an archive). */
		struct tar_archive *mut = (struct tar_archive *)(uintptr_t)ar;

		mut->reg_stats.bytes += reg_client_stats(c)->bytes;
		mut->reg_stats.blobs += reg_client_stats(c)->blobs;
		mut->reg_stats.requests += reg_client_stats(c)->requests;
	}
	reg_client_free(c);
	if (r < 0)
		err_prefix(e, "%s: second look", ar->input);
	return r;
}
