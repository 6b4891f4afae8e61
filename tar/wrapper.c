/*
 * wrapper.c - walk the input once: a tar (from a file or standard input,
 * maybe gzip- or zstd-compressed) or an OCI layout directory.  Every member
 * goes through the blob pipeline; nothing is written to disk.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>

#include "tar/tar_int.h"

#define DIR_DEPTH_MAX	8
#define JOBS_BATCH	64	/* files of a layout directory open at once */

/* Members deeper than this are file-system content, not image blobs. */
static bool
may_be_blob(const char *name)
{
	int slashes = 0;

	for (; *name != '\0'; name++)
		if (*name == '/' && ++slashes > 2)
			return false;
	return true;
}

static int
too_large(uint64_t max, struct err *e)
{
	return err_set(e, ERR_LIMIT,
	    "input larger than the limit of %llu bytes (--max-input)",
	    (unsigned long long)max);
}

ssize_t
tar_fd_src_read(void *ctx, void *buf, size_t len, struct err *e)
{
	struct fd_src *s = ctx;
	ssize_t n;

	do
		n = read(s->fd, buf, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return err_set(e, ERR_IO, "read error: %s", strerror(errno));
	if (s->left != NULL) {
		if ((uint64_t)n > *s->left)
			return too_large(s->max, e);
		*s->left -= (uint64_t)n;
	}
	if (s->prog != NULL)
		atomic_fetch_add_explicit(&s->prog->bytes, (uint64_t)n,
		    memory_order_relaxed);
	return n;
}

/* A source over fd that counts against the input limit of ar. */
static struct fd_src
fd_src_of(struct tar_archive *ar, int fd)
{
	struct fd_src s = { fd, &ar->input_left, ar->opts->max_input != 0 ?
	    ar->opts->max_input : TAR_INPUT_MAX, ar->opts->progress };

	return s;
}

ssize_t
tar_mem_src_read(void *ctx, void *buf, size_t len, struct err *e)
{
	struct mem_src *s = ctx;

	(void)e;
	if (len > s->len - s->pos)
		len = s->len - s->pos;
	memcpy(buf, s->p + s->pos, len);
	s->pos += len;
	return (ssize_t)len;
}

int
tar_mem_src_skip(void *ctx, int64_t n)
{
	struct mem_src *s = ctx;

	if (n < 0)
		return -1;
	s->pos = (uint64_t)n > s->len - s->pos ? s->len : s->pos + (size_t)n;
	return 0;
}

struct member_src {
	struct archive *a;
	struct ehash *h;	/* the member's bytes, for a bare layer */
	struct tar_keep *keep;	/* what a package reader wants of them, for
				   a bare layer, or NULL */
	uint64_t pos;
	bool failed;		/* the wrapper itself could not be read */
};

static ssize_t
member_read(void *ctx, void *buf, size_t len, struct err *e)
{
	struct member_src *s = ctx;
	la_ssize_t n = archive_read_data(s->a, buf, len);

	if (n < 0) {
		s->failed = true;
		return err_set(e, ERR_FORMAT, "%s", archive_error_string(s->a) ?
		    archive_error_string(s->a) : "cannot read member data");
	}
	if (s->h != NULL && n > 0)
		tar_ehash_update(s->h, buf, (size_t)n);
	tar_keep_block(s->keep, (int64_t)s->pos, buf, (size_t)n);
	s->pos += (uint64_t)n;
	return n;
}

struct blob *
tar_blob_add(struct tar_archive *ar, const char *name)
{
	struct blob *b;

	xgrow(&ar->blobs, &ar->cap, ar->nblobs + 1, sizeof(*ar->blobs));
	b = &ar->blobs[ar->nblobs++];
	memset(b, 0, sizeof(*b));
	b->name = xstrdup(name);
	return b;
}

/* @return the number of layers the manifest (or docker-archive
   manifest.json) j lists, 0 for any other JSON. */
static uint32_t
listed_layers(const json_t *j, bool *docker)
{
	const json_t *v;
	size_t i;
	uint32_t n = 0;

	*docker = json_is_array(j);
	if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			n += (uint32_t)json_array_size(json_object_get(v, "Layers"));
		return n;
	}
	return (uint32_t)json_array_size(json_object_get(j, "layers"));
}

/* Publish the layers the JSON blob b lists, when a progress display
   wants them: the most either kind of manifest lists so far. */
static void
progress_json(struct tar_archive *ar, const struct blob *b)
{
	struct tar_progress *p = ar->opts->progress;
	json_t *j;
	bool docker;
	uint32_t n;

	if (p == NULL || b->json == NULL ||
	    (j = json_loadb(b->json, b->json_len, 0, NULL)) == NULL)
		return;
	n = listed_layers(j, &docker);
	json_decref(j);
	/* Atomic: -j N parses JSON blobs on its workers too. */
	if (docker)
		atomic_fetch_add_explicit(&ar->docker_layers, n,
		    memory_order_relaxed);
	else
		atomic_fetch_add_explicit(&ar->oci_layers, n, memory_order_relaxed);
	n = atomic_load_explicit(&ar->docker_layers, memory_order_relaxed);
	if (atomic_load_explicit(&ar->oci_layers, memory_order_relaxed) > n)
		n = atomic_load_explicit(&ar->oci_layers, memory_order_relaxed);
	atomic_store_explicit(&p->nlayers, n, memory_order_relaxed);
}

/*
 * Run one member through the pipeline.  A blob that cannot be decoded is
 * recorded with its error and still hashed: it fails the read only if an
 * image refers to it.  An error reading the wrapper itself is fatal.
 */
int
tar_blob_consume_to(struct tar_archive *ar, struct blob *b, src_read_fn rd,
    void *ctx, const bool *src_failed, uint64_t size_hint, struct strpool *pool,
    uint64_t *budget, struct err *e)
{
	struct bstream *bs = NULL;
	struct sbuf js = SBUF_INIT;
	const void *buf;
	ssize_t n;
	int r;

	b->kind = TAR_REG;
	r = tar_bs_open(rd, ctx, ar->pipe ? BS_PIPE : 0, &bs, e);
	b->content = (uint8_t)tar_bs_content(bs);
	if (r < 0)
		goto decode_fail;
	if (tar_bs_piped(bs))
		atomic_fetch_add_explicit(&ar->piped, 1, memory_order_relaxed);
	switch (b->content) {
	case BLOB_JSON:
		if (size_hint > TAR_JSON_MAX) {
			b->json_over = true;
			r = tar_bs_drain(bs, e);
			break;
		}
		while ((n = tar_bs_read(bs, &buf, e)) > 0) {
			if (js.len + (size_t)n > TAR_JSON_MAX) {
				b->json_over = true;
				break;
			}
			sbuf_add(&js, buf, (size_t)n);
		}
		r = n < 0 ? (int)n : tar_bs_drain(bs, e);
		if (!b->json_over) {
			b->json_len = js.len;
			b->json = sbuf_detach(&js);
			progress_json(ar, b);
		}
		break;
	case BLOB_TAR:
		if (may_be_blob(b->name)) {
			if (ar->opts->progress != NULL)
				atomic_fetch_add_explicit(&ar->opts->progress->layer,
				    1, memory_order_relaxed);
			r = tar_layer_parse(bs, &b->entries, pool, ar->hash_kind,
			    budget, e);
			break;
		}
		/* FALLTHROUGH */
	default:
		r = tar_bs_drain(bs, e);
		break;
	}
	if (r < 0) {
 decode_fail:
		/* Then the source is ours to ask.  A read error the inflater
		   met ahead of the parse is the drain's, as with -j 1. */
		if (!tar_bs_stop(bs) && *src_failed)
			goto out;
		b->error = xstrdup(e->msg);
		b->error_code = e->code;
		err_clear(e);
		if ((r = tar_bs_drain_raw(bs, e)) < 0)
			goto out;
	}
	tar_bs_result(bs, b->sha256, &b->size, b->usha256, &b->usize, &b->framing);
	tar_entries_declared(&b->entries, b->usize);
	r = 0;
 out:
	sbuf_release(&js);
	tar_bs_free(bs);
	return r;
}

int
tar_blob_consume(struct tar_archive *ar, struct blob *b, src_read_fn rd,
    void *ctx, const bool *src_failed, uint64_t size_hint, struct err *e)
{
	return tar_blob_consume_to(ar, b, rd, ctx, src_failed, size_hint, &ar->pool,
	    ar->captured, e);
}

/*
 * Members read on a pool of threads (tar_opts.jobs).  The walk indexes the
 * members of an uncompressed archive file (headers read, data seeked past)
 * or the files of a layout directory; then each member's pipeline runs on
 * a worker that reads its bytes with pread().  A worker interns owner
 * names and keeps package database bytes in a pool and a budget of its
 * own; the merge interns the names again and replays the budget in member
 * order, so that the archive read is the one the sequential walk builds.
 */
struct job {
	size_t blob;		/* index into ar->blobs; SIZE_MAX: the SHA-256
				   of the whole input */
	size_t top;		/* its entry in ar->top, or SIZE_MAX */
	int fd;
	bool own_fd;		/* a file of a layout directory */
	bool exact;		/* a member: fewer than size bytes is an error */
	bool stopped;		/* ended because another job failed */
	uint64_t off, size;
	struct strpool pool;
	uint64_t budget[PKG_NECO];
	uint8_t hash[TAR_HASH_MAX];	/* of the member's bytes (its top entry) */
	struct entries keep;	/* what a package reader wants of those
				   bytes (its captures, in budget) */
	uint64_t keep_budget[PKG_NECO];	/* keep's own: in two stages it is
				   charged on the inflating thread while the
				   parse charges budget (the merge charges both
				   to the archive again) */
	int r;
	struct err e;
};

struct jobs {
	struct tar_archive *ar;
	struct job *v;
	size_t n, cap;
	unsigned nthreads;
	int fd;			/* the archive file, for its members */
	struct strpool pool;	/* the walk's own: owner names of ar->top */
	uint64_t budget[PKG_NECO];
	atomic_bool stop;	/* a job failed: the others end */
};

struct pread_src {
	struct job *j;
	const atomic_bool *stop;
	uint64_t pos;
	struct ehash *h;	/* the member's bytes, or NULL */
	struct tar_keep *keep;	/* what a package reader wants of them, or
				   NULL */
	EVP_MD_CTX *sha;	/* the input's bytes, or NULL */
	struct tar_progress *prog;	/* or NULL */
	bool failed;
};

static ssize_t
pread_read(void *ctx, void *buf, size_t len, struct err *e)
{
	struct pread_src *s = ctx;
	ssize_t n;

	if (atomic_load_explicit(s->stop, memory_order_relaxed)) {
		s->failed = s->j->stopped = true;
		return err_set(e, ERR_IO, "stopped: another member failed");
	}
	if (len > s->j->size - s->pos)
		len = (size_t)(s->j->size - s->pos);
	if (len == 0)
		return 0;
	do
		n = pread(s->j->fd, buf, len, (off_t)(s->j->off + s->pos));
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		s->failed = true;
		return err_set(e, ERR_IO, "read error: %s", strerror(errno));
	}
	if (n == 0 && s->j->exact) {
		s->failed = true;
		/* libarchive's words, as the sequential walk reports it */
		return err_set(e, ERR_FORMAT, "Truncated tar archive");
	}
	s->pos += (uint64_t)n;
	if (s->prog != NULL)
		atomic_fetch_add_explicit(&s->prog->bytes, (uint64_t)n,
		    memory_order_relaxed);
	if (s->h != NULL)
		tar_ehash_update(s->h, buf, (size_t)n);
	tar_keep_block(s->keep, (int64_t)(s->pos - (uint64_t)n), buf, (size_t)n);
	if (s->sha != NULL)
		EVP_DigestUpdate(s->sha, buf, (size_t)n);
	return n;
}

static void
job_add(struct jobs *js, size_t blob, size_t top, int fd, uint64_t off,
    uint64_t size)
{
	struct job *j;

	xgrow(&js->v, &js->cap, js->n + 1, sizeof(*js->v));
	j = &js->v[js->n++];
	memset(j, 0, sizeof(*j));
	j->blob = blob;
	j->top = top;
	j->fd = fd;
	j->own_fd = top == SIZE_MAX && blob != SIZE_MAX;
	j->exact = top != SIZE_MAX || blob == SIZE_MAX;
	j->off = off;
	j->size = size;
}

/* The SHA-256 of the whole input, into j->hash. */
static int
job_hash_input(struct jobs *js, struct job *j)
{
	/* NULL progress: these bytes are counted as the members are read */
	struct pread_src s = { j, &js->stop, 0, NULL, NULL, NULL, NULL, false };
	uint8_t *buf = xmalloc(1u << 16);
	unsigned int len = 32;
	ssize_t n;

	if ((s.sha = EVP_MD_CTX_new()) == NULL ||
	    !EVP_DigestInit_ex(s.sha, EVP_sha256(), NULL))
		xalloc_die();
	while ((n = pread_read(&s, buf, 1u << 16, &j->e)) > 0)
		;
	EVP_DigestFinal_ex(s.sha, j->hash, &len);
	EVP_MD_CTX_free(s.sha);
	free(buf);
	return (int)n;
}

static bool
job_run(void *ctx, size_t i)
{
	struct jobs *js = ctx;
	struct job *j = &js->v[i];
	struct pread_src s = { j, &js->stop, 0, NULL, NULL, NULL,
	    js->ar->opts->progress, false };

	if (j->blob == SIZE_MAX)
		j->r = job_hash_input(js, j);
	else {
		if (j->top != SIZE_MAX) {
			s.h = tar_ehash_new(js->ar->hash_kind);
			/* The walk is over: ar->top stays as it is. */
			j->keep.budget = j->keep_budget;
			s.keep = tar_keep_new(&j->keep, &js->ar->top.v[j->top]);
		}
		j->r = tar_blob_consume_to(js->ar, &js->ar->blobs[j->blob], pread_read, &s,
		    &s.failed, j->size, &j->pool, j->budget, &j->e);
		tar_keep_end(s.keep);
		if (s.h != NULL)
			tar_ehash_final(s.h, j->hash);
		tar_ehash_free(s.h);
	}
	if (j->r < 0 && !j->stopped) {
		atomic_store(&js->stop, true);
		return false;
	}
	return true;
}

/* Intern te's owner names in the archive's pool, in the walk's order. */
static void
reintern(struct tar_archive *ar, struct tar_entry *te)
{
	te->uname = tar_strpool_intern(&ar->pool, te->uname);
	te->gname = tar_strpool_intern(&ar->pool, te->gname);
}

/*
 * A scanned capture (a Go binary's build information) is charged what it
 * kept; the walk tested what it might keep, at most PKG_GO_BLOB_MAX more,
 * so the two differ only within that of the Go budget's end.
 */
void
tar_capture_recharge(uint64_t *budget, const struct entries *en,
    struct tar_capture *c)
{
	bool bytes;
	int eco = c->scanned ? (int)c->eco :
	    pkg_capture_match(en->v[c->ordinal].path, &bytes);

	if (eco < 0 || c->file_over)
		return;		/* a file over its own bound spends nothing */
	if (c->over) {
		budget[eco] = PKG_DB_MAX;
		return;
	}
	if (c->data == NULL)
		return;
	if (c->len > PKG_DB_MAX - budget[eco]) {
		free(c->data);
		c->data = NULL;
		c->len = 0;
		c->over = true;
		budget[eco] = PKG_DB_MAX;
		return;
	}
	budget[eco] += c->len;
}

void
tar_blob_merge(struct tar_archive *ar, struct blob *b)
{
	struct entries *en = &b->entries;
	size_t i;

	for (i = 0; i < en->n; i++)
		reintern(ar, &en->v[i]);
	for (i = 0; i < en->ncaps; i++)
		tar_capture_recharge(ar->captured, en, &en->caps[i]);
}

/* A member read by a worker: its entries' names and its captures. */
static void
merge_blob(struct tar_archive *ar, struct job *j)
{
	tar_blob_merge(ar, &ar->blobs[j->blob]);
}

/* Append capture c to v (its bytes handed over), charged as the walk
   would have. */
static void
merge_capture(struct tar_archive *ar, struct tar_capture **v, size_t *n,
    size_t *cap, struct tar_capture *c)
{
	xgrow(v, cap, *n + 1, sizeof(**v));
	(*v)[(*n)++] = *c;
	tar_capture_recharge(ar->captured, &ar->top, &(*v)[*n - 1]);
}

/* The wrapper's own entries and the members read by workers, in order:
   the captures of both (a bare layer's) in the order of its entries. */
static void
merge_top(struct tar_archive *ar, struct jobs *js)
{
	struct entries *top = &ar->top;
	struct tar_capture *caps = NULL;
	size_t i, k = 0, c = 0, n = 0, cap = 0, m;
	struct job *j;

	for (i = 0; i < top->n; i++) {
		reintern(ar, &top->v[i]);
		for (; c < top->ncaps && top->caps[c].ordinal == i; c++)
			merge_capture(ar, &caps, &n, &cap, &top->caps[c]);
		while (k < js->n && js->v[k].blob == SIZE_MAX)
			k++;
		if (k < js->n && js->v[k].top == i) {
			j = &js->v[k++];
			memcpy(top->v[i].hash, j->hash, TAR_HASH_MAX);
			for (m = 0; m < j->keep.ncaps; m++)
				merge_capture(ar, &caps, &n, &cap, &j->keep.caps[m]);
			j->keep.ncaps = 0;
			merge_blob(ar, j);
		}
	}
	free(top->caps);
	top->caps = caps;
	top->ncaps = n;
	top->capcap = cap;
}

/* Forget the jobs run (the walk's pool and budget stay). */
static void
jobs_clear(struct jobs *js)
{
	size_t i;

	for (i = 0; i < js->n; i++) {
		tar_strpool_release(&js->v[i].pool);
		tar_entries_release(&js->v[i].keep);
		if (js->v[i].own_fd)
			close(js->v[i].fd);
	}
	js->n = 0;
}

static void
jobs_release(struct jobs *js)
{
	jobs_clear(js);
	free(js->v);
	tar_strpool_release(&js->pool);
}

/*
 * Run the jobs added; on success merge what the layout directory's files
 * held (merge_top() does a wrapper's).  @return 0, or the error of the
 * first job, in member order, that failed by itself.
 */
static int
jobs_run(struct jobs *js, struct err *e)
{
	struct tar_archive *ar = js->ar;
	struct job *j;
	size_t i;

	util_run_jobs(js->nthreads, js->n, job_run, js);
	for (i = 0; i < js->n; i++) {
		j = &js->v[i];
		if (j->r >= 0 || j->stopped)
			continue;
		*e = j->e;
		if (j->top != SIZE_MAX)
			err_prefix(e, "member '%s'", ar->top.v[j->top].path);
		else if (j->blob != SIZE_MAX)
			err_prefix(e, "'%s'", ar->blobs[j->blob].name);
		return e->code;
	}
	for (i = 0; i < js->n; i++) {
		if (js->v[i].blob == SIZE_MAX)
			continue;
		ar->pooled++;
		if (js->v[i].top == SIZE_MAX)
			merge_blob(ar, &js->v[i]);
	}
	return 0;
}

/*
 * Walk the wrapper tar.  With js, a regular file's member is indexed, not
 * read: its bytes are left for a worker (the data is seeked past), and
 * the walk's own names and captures go to js until the merge.
 */
static int
wrapper_tar(struct tar_archive *ar, struct bstream *top, struct jobs *js,
    struct err *e)
{
	struct archive *a = NULL;
	struct archive_entry *ae;
	struct bs_reader c = { top, e, 0 };
	struct member_src ms = { NULL, NULL, NULL, 0, false };
	struct strpool *pool = js != NULL ? &js->pool : &ar->pool;
	struct tar_entry *te;
	struct blob *b;
	int r, rc;

	if ((rc = tar_bs_archive_open(&c, &a, e)) < 0)
		return rc;
	ms.h = tar_ehash_new(ar->hash_kind);
	ms.a = a;
	ar->top.budget = js != NULL ? js->budget : ar->captured;
	for (;;) {
		r = archive_read_next_header(a, &ae);
		if (r == ARCHIVE_EOF)
			break;
		/* ARCHIVE_RETRY too: libarchive would skip to the next
		   header that looks right, and entries would go unread. */
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
			rc = c.err ? c.err : err_set(e, ERR_FORMAT, "member %zu: %s",
			    ar->top.n + 1, archive_error_string(a) ?
			    archive_error_string(a) : "bad tar header");
			goto out;
		}
		if (r == ARCHIVE_WARN)
			tar_entries_warn(&ar->top, a);
		if (ar->top.n >= TAR_ENTRIES_MAX) {
			rc = err_set(e, ERR_LIMIT, "more than %u members",
			    TAR_ENTRIES_MAX);
			goto out;
		}
		tar_ckpt_note(&ar->top, a);
		xgrow(&ar->top.v, &ar->top.cap, ar->top.n + 1, sizeof(*ar->top.v));
		te = &ar->top.v[ar->top.n];
		if ((rc = tar_entry_from_archive(te, ae, archive_format(a), pool,
		    &ar->top.names, e)) < 0) {
			err_prefix(e, "member %zu", ar->top.n + 1);
			goto out;
		}
		te->ordinal = (uint32_t)ar->top.n++;
		tar_ehash_reset(ms.h);
		b = NULL;
		/* A sparse member is no blob: its holes would be read as the
		   zeros they stand for, however many terabytes it declares. */
		if (te->kind == TAR_REG && may_be_blob(te->path) &&
		    te->path[0] != '\0' && archive_entry_sparse_count(ae) == 0) {
			b = tar_blob_add(ar, te->path);
			if (js != NULL) {
				/* Where the member's data starts: what the
				   tar reader has consumed of the input. */
				job_add(js, (size_t)(b - ar->blobs), te->ordinal,
				    js->fd, (uint64_t)archive_filter_bytes(a, 0),
				    te->size);
				continue;
			}
			ms.keep = tar_keep_new(&ar->top, te);
			ms.pos = 0;
			rc = tar_blob_consume_to(ar, b, member_read, &ms, &ms.failed,
			    te->size, &ar->pool, ar->captured, e);
			tar_keep_end(ms.keep);
			ms.keep = NULL;
			if (rc < 0 && (ms.failed || c.err))
				goto member_fail;
			err_clear(e);
		} else if ((te->kind == TAR_SYMLINK || te->kind == TAR_HARDLINK) &&
		    te->path[0] != '\0') {
			b = tar_blob_add(ar, te->path);
			b->kind = te->kind;
			b->link = xstrdup(te->link);
		}
		/* The member's bytes, for reading the wrapper as a bare layer. */
		if (te->kind == TAR_REG && b != NULL)
			tar_ehash_final(ms.h, te->hash);
		else if ((rc = tar_entry_hash_data(a, te, ms.h, &ar->top, e)) < 0)
			goto member_fail;
		/* Named, so that a descriptor of it is refused, not absent. */
		if (te->kind == TAR_REG && b == NULL && may_be_blob(te->path) &&
		    te->path[0] != '\0')
			tar_blob_add(ar, te->path)->sparse = true;
		continue;
 member_fail:
		if (c.err)
			rc = c.err;
		err_prefix(e, "member '%s'", te->path);
		goto out;
	}
	rc = tar_bs_drain(top, e);
 out:
	archive_read_free(a);
	tar_ehash_free(ms.h);
	return rc;
}

static int walk_dir(struct tar_archive *ar, int dfd, const char *rel,
    int depth, struct jobs *js, struct err *e);

/* Run the jobs added and forget them.  @return as jobs_run(). */
static int
jobs_flush(struct jobs *js, struct err *e)
{
	int r = jobs_run(js, e);

	jobs_clear(js);
	return r;
}

static int
walk_one(struct tar_archive *ar, int dfd, const char *name, const char *rel,
    int depth, struct jobs *js, struct err *e)
{
	struct stat st;
	struct fd_src fs;
	struct blob *b;
	bool never = false;
	char link[PATH_MAX];
	ssize_t n;
	int fd, r;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		goto io_fail;
	if (S_ISDIR(st.st_mode)) {
		if (depth >= DIR_DEPTH_MAX)
			return 0;
		if ((fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW)) < 0)
			goto io_fail;
		r = walk_dir(ar, fd, rel, depth + 1, js, e);
		close(fd);
		return r;
	}
	if (S_ISLNK(st.st_mode)) {
		if ((n = readlinkat(dfd, name, link, sizeof(link) - 1)) < 0)
			goto io_fail;
		link[n] = '\0';
		b = tar_blob_add(ar, rel);
		b->kind = TAR_SYMLINK;
		b->link = xstrdup(link);
		return 0;
	}
	if (!S_ISREG(st.st_mode))
		return 0;
	if ((fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW)) < 0)
		goto io_fail;
	b = tar_blob_add(ar, rel);
	/* On the pool when it fits the input limit; else read here (after
	   those before it), where the limit stops it as it would anyway. */
	if (js != NULL && (uint64_t)st.st_size <= ar->input_left) {
		ar->input_left -= (uint64_t)st.st_size;
		job_add(js, (size_t)(b - ar->blobs), SIZE_MAX, fd, 0,
		    (uint64_t)st.st_size);
		return js->n < JOBS_BATCH ? 0 : jobs_flush(js, e);
	}
	if (js != NULL && (r = jobs_flush(js, e)) < 0) {
		close(fd);
		return r;
	}
	fs = fd_src_of(ar, fd);
	r = tar_blob_consume_to(ar, b, tar_fd_src_read, &fs, &never, (uint64_t)st.st_size,
	    &ar->pool, ar->captured, e);
	close(fd);
	if (r < 0 && (e->code == ERR_IO || e->code == ERR_LIMIT))
		goto fail;
	err_clear(e);
	return 0;
 io_fail:
	err_set(e, ERR_IO, "%s", strerror(errno));
 fail:
	err_prefix(e, "'%s'", rel);
	return e->code;
}

static int
walk_dir(struct tar_archive *ar, int dfd, const char *rel, int depth,
    struct jobs *js, struct err *e)
{
	DIR *d;
	struct dirent *de;
	struct sbuf path = SBUF_INIT;
	int fd, r = 0;

	if ((fd = dup(dfd)) < 0 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		return err_set(e, ERR_IO, "cannot read directory: %s",
		    strerror(errno));
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		sbuf_reset(&path);
		if (rel[0] != '\0') {
			sbuf_addstr(&path, rel);
			sbuf_addc(&path, '/');
		}
		sbuf_addstr(&path, de->d_name);
		if ((r = walk_one(ar, dfd, de->d_name, sbuf_str(&path), depth, js,
		    e)) < 0)
			break;
	}
	closedir(d);
	sbuf_release(&path);
	return r;
}

static int
fd_skip(void *ctx, int64_t n)
{
	struct fd_src *s = ctx;

	return lseek(s->fd, (off_t)n, SEEK_CUR) < 0 ? -1 : 0;
}

/*
 * Can the members of this archive file be read on the pool?  Only those of
 * an uncompressed one: a compressed wrapper has no offsets to read at.
 */
static bool
seekable_tar(struct tar_archive *ar, const struct fd_src *fs,
    const struct stat *st, struct bstream *bs)
{
	const uint8_t *head;
	size_t n = tar_bs_raw_head(bs, &head);

	return ar->mem == NULL && fs->fd > 0 && S_ISREG(st->st_mode) &&
	    (uint64_t)st->st_size <= fs->max &&
	    tar_comp_sniff(head, n) == TAR_COMP_NONE;
}

int
tar_wrapper_read(struct tar_archive *ar, const char *path, struct err *e)
{
	struct stat st = { 0 };
	struct bstream *bs = NULL;
	struct fd_src fs = fd_src_of(ar, -1);
	struct mem_src ms = { ar->mem, ar->mem_len, 0 };
	struct jobs jobs, *js = NULL;
	uint64_t raw_len = 0;
	bool digest;
	int r;

	memset(&jobs, 0, sizeof(jobs));
	jobs.ar = ar;
	jobs.fd = -1;
	jobs.nthreads = ar->opts->jobs != 0 ? ar->opts->jobs : util_ncpus();
	ar->pipe = jobs.nthreads > 1;
	ar->input_left = fs.max;
	if (ar->mem != NULL) {
		/* no file: st stays zero, so not a regular file */
		if (ar->mem_len > fs.max)
			return too_large(fs.max, e);
	} else if (strcmp(path, "-") == 0)
		fs.fd = 0;
	else {
		if ((fs.fd = open(path, O_RDONLY)) < 0)
			return err_set(e, ERR_IO, "cannot open: %s", strerror(errno));
		if (fstat(fs.fd, &st) == 0 && S_ISREG(st.st_mode) &&
		    ar->opts->progress != NULL)
			atomic_store_explicit(&ar->opts->progress->total,
			    (uint64_t)st.st_size, memory_order_relaxed);
		if (S_ISDIR(st.st_mode)) {
			ar->format = TAR_FORMAT_OCI_LAYOUT;
			js = jobs.nthreads > 1 ? &jobs : NULL;
			if ((r = walk_dir(ar, fs.fd, "", 0, js, e)) == 0 && js != NULL)
				r = jobs_flush(js, e);
			goto out;
		}
	}
	digest = !(ar->opts->no_input_digest && fs.fd != 0 &&
	    S_ISREG(st.st_mode));
	r = tar_bs_open(ar->mem != NULL ? tar_mem_src_read : tar_fd_src_read,
	    ar->mem != NULL ? (void *)&ms : (void *)&fs, digest ? 0 : BS_NO_DIGEST,
	    &bs, e);
	if (tar_fp_sniff(bs)) {
		if (r == 0)
			r = tar_fp_read(ar, bs, e);
		else
			err_prefix(e, "fingerprint");
		goto out;
	}
	if (r < 0)
		goto out;
	ar->wrapper_comp = tar_bs_content(bs) == BLOB_TAR ? TAR_COMP_NONE : 0;
	switch (tar_bs_content(bs)) {
	case BLOB_TAR:
		if (jobs.nthreads > 1 && seekable_tar(ar, &fs, &st, bs)) {
			js = &jobs;
			js->fd = fs.fd;
			tar_bs_set_skip(bs, fd_skip);
			/* The stream skips the members: the input's digest is
			   a job of its own. */
			if (digest)
				job_add(js, SIZE_MAX, SIZE_MAX, fs.fd, 0,
				    (uint64_t)st.st_size);
			/* The workers count the members' bytes; what the
			   walk reads ahead of its seeks would count twice. */
			fs.prog = NULL;
		}
		r = wrapper_tar(ar, bs, js, e);
		if (r == 0 && js != NULL && (r = jobs_run(js, e)) == 0) {
			merge_top(ar, js);
			if (ar->opts->progress != NULL)
				atomic_store_explicit(&ar->opts->progress->bytes,
				    (uint64_t)st.st_size, memory_order_relaxed);
		}
		break;
	case BLOB_EMPTY:
		r = err_set(e, ERR_FORMAT, "empty input");
		break;
	default: {
		char comps[64];

		r = err_set(e, ERR_FORMAT, "not an image archive (not a tar, nor a "
		    "%s tar)", tar_comp_names(comps, sizeof(comps), " or "));
		break;
	}
	}
	if (r < 0)
		goto out;
	tar_bs_result(bs, ar->input_sha, &raw_len, ar->top_usha, &ar->top_usize,
	    &ar->top_framing);
	if (js != NULL) {
		/* What the skipping stream hashed and counted is not all. */
		raw_len = ar->top_usize = (uint64_t)st.st_size;
		if (digest) {
			memcpy(ar->input_sha, js->v[0].hash, 32);
			memcpy(ar->top_usha, js->v[0].hash, 32);
		}
	}
	ar->input_size = raw_len;
	ar->have_input_sha = digest;
	ar->input_is_file = fs.fd != 0 && S_ISREG(st.st_mode);
	ar->wrapper_comp = (enum tar_comp)ar->top_framing.comp;
 out:
	jobs_release(&jobs);
	tar_bs_free(bs);
	if (fs.fd > 0)
		close(fs.fd);
	return r;
}

int
tar_wrapper_hash_input(struct tar_archive *ar, struct err *e)
{
	struct bstream *bs = NULL;
	struct fd_src fs = { -1, NULL, 0, NULL };
	uint64_t raw_len;
	int r;

	if ((fs.fd = open(ar->input, O_RDONLY)) < 0)
		return err_set(e, ERR_IO, "cannot open: %s", strerror(errno));
	if ((r = tar_bs_open(tar_fd_src_read, &fs, 0, &bs, e)) == 0 &&
	    (r = tar_bs_drain(bs, e)) == 0) {
		tar_bs_result(bs, ar->input_sha, &raw_len, ar->top_usha,
		    &ar->top_usize, &ar->top_framing);
		if (raw_len != ar->input_size)
			r = err_set(e, ERR_DIGEST, "changed while it was read");
		ar->have_input_sha = true;
	}
	tar_bs_free(bs);
	close(fs.fd);
	return r;
}

/* Compare two regular files byte by byte. */
static int
same_files(const char *x, const char *y, bool *same, struct err *e)
{
	static const size_t bufsz = 1u << 18;
	struct fd_src fx = { -1, NULL, 0, NULL }, fy = { -1, NULL, 0, NULL };
	uint8_t *bx = xmalloc(bufsz), *by = xmalloc(bufsz);
	ssize_t nx, ny, got;
	int r = 0;

	*same = false;
	fx.fd = open(x, O_RDONLY);
	fy.fd = open(y, O_RDONLY);
	if (fx.fd < 0 || fy.fd < 0) {
		r = err_set(e, ERR_IO, "'%s': cannot open: %s", fx.fd < 0 ? x : y,
		    strerror(errno));
		goto out;
	}
	for (;;) {
		if ((nx = tar_fd_src_read(&fx, bx, bufsz, e)) < 0) {
			r = (int)nx;
			goto out;
		}
		for (ny = 0; ny < nx; ny += got)
			if ((got = tar_fd_src_read(&fy, by + ny, (size_t)(nx - ny), e)) <= 0) {
				r = got < 0 ? (int)got : 0;
				goto out;	/* y is shorter */
			}
		if (memcmp(bx, by, (size_t)nx) != 0)
			goto out;
		if (nx == 0) {
			*same = tar_fd_src_read(&fy, by, 1, e) == 0;
			goto out;
		}
	}
 out:
	if (fx.fd >= 0)
		close(fx.fd);
	if (fy.fd >= 0)
		close(fy.fd);
	free(bx);
	free(by);
	return r;
}

int
tar_same_input(const struct tar_archive *a, const struct tar_archive *b,
    bool *same, struct err *e)
{
	struct tar_archive *skipped;
	int r;

	*same = false;
	if (a->fingerprint || b->fingerprint)
		return 0;	/* a record of bytes is not those bytes */
	if (a->have_input_sha && b->have_input_sha) {
		*same = memcmp(a->input_sha, b->input_sha, 32) == 0;
		return 0;
	}
	if ((!a->have_input_sha && !a->input_is_file) ||
	    (!b->have_input_sha && !b->input_is_file) ||
	    a->input_size != b->input_size)
		return 0;
	if (a->input_is_file && b->input_is_file)
		return same_files(a->input, b->input, same, e);
	/* One came from standard input: hash the file the same way. */
	skipped = (struct tar_archive *)(uintptr_t)(a->have_input_sha ? b : a);
	if ((r = tar_wrapper_hash_input(skipped, e)) < 0)
		return r;
	*same = memcmp(a->input_sha, b->input_sha, 32) == 0;
	return 0;
}
