/*
 * look.c - the second look.  The first pass kept only hashes; for the files
 * whose bytes differ (the final file system's, which decide the verdict,
 * and the examples the report shows) both versions are fetched again,
 * bounded, and the provers of causes.c explain them.  When every differing
 * byte of every such file is accounted for, the pair is still
 * dependency-equivalent.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff/causes.h"
#include "diff/diff_int.h"
#include "pkg/pkg.h"

/*
 * Read first, whatever the report shows first: the package databases (the
 * package view's table, pkg_capture_match(), says which files they are),
 * then the shown findings in report order, then the rest of the final file
 * system's differing files, which the verdict needs.
 */
static bool
is_look_first(const char *path)
{
	bool bytes;

	return pkg_is_database(path) && pkg_capture_match(path, &bytes) >= 0 &&
	    bytes;
}

static bool
wants_look(const struct diff_finding *f)
{
	return f->cls == DIFF_CONTENT && f->a != NULL && f->b != NULL &&
	    (f->field_id == DIFF_FIELD_CONTENT || f->field_id == DIFF_FIELD_SIZE);
}

/* @return the index plus one of (member, path) in w, 0 when not there. */
static size_t
find(const struct tar_fetch *w, size_t n, const char *member, const char *path)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(w[i].path, path) == 0 && (w[i].member == NULL ?
		    member == NULL : member != NULL &&
		    strcmp(w[i].member, member) == 0))
			return i + 1;
	return 0;
}

/*
 * @return the fetch at index k - 1 of w's n (what want() or find()
 * returned); a fetch that was not found when k is 0 or past the end, which
 * only a fault here can make, so that it reads as "not found", never
 * outside w.
 */
static const struct tar_fetch *
fetch_at(const struct tar_fetch *w, size_t n, size_t k)
{
	static const struct tar_fetch none;

	return k > 0 && k <= n ? &w[k - 1] : &none;
}

/* Ask for (member, path) once; @return its index in w, plus one. */
static size_t
want(struct tar_fetch **w, size_t *n, size_t *cap, const char *member,
    const char *path)
{
	size_t i = find(*w, *n, member, path);

	if (i > 0)
		return i;
	xgrow(w, cap, *n + 1, sizeof(**w));
	memset(&(*w)[*n], 0, sizeof(**w));
	(*w)[*n].member = member;
	(*w)[*n].path = path;
	return ++*n;
}

/* What the second look learnt about one pair of versions. */
struct seen {
	uint8_t look;		/* enum diff_look */
	int64_t offset;
	struct proof proof;
	bool proven;		/* the provers could run (both complete) */
};

static void
look_at(const char *path, const struct tar_fetch *x, const struct tar_fetch *y,
    bool volatile_ignore, struct seen *s)
{
	size_t i, n;

	memset(s, 0, sizeof(*s));
	s->offset = -1;
	s->look = DIFF_LOOK_DONE;
	if (!x->found || !y->found) {
		s->proof.detail = xstrdup("not found on the second look");
		return;
	}
	n = x->len < y->len ? x->len : y->len;
	for (i = 0; i < n && x->data[i] == y->data[i]; i++)
		;
	if (i < n || (x->len != y->len && !x->truncated && !y->truncated))
		s->offset = (int64_t)i;
	if (x->truncated || y->truncated) {
		s->look = DIFF_LOOK_FILE_SIZE;	/* larger than the first pass said */
		return;
	}
	s->proven = true;
	diff_cause_prove(path, x->data, x->len, y->data, y->len, &s->proof);
	/* A volatile file explains nothing unless the job said so. */
	if (s->proof.cause.id == DIFF_CAUSE_KNOWN_VOLATILE && !volatile_ignore)
		s->proof.holds = false;
	/* Show what no cause explains: an archive's members that differ, or
	   the bytes from the prover's first unexplained one. */
	if (s->proof.detail == NULL && s->offset >= 0 && !s->proof.holds)
		s->proof.detail = diff_members_show(x->data, x->len, y->data,
		    y->len);
	if (s->proof.detail == NULL && s->offset >= 0 && !s->proof.holds)
		s->proof.detail = s->proof.from > 0 ?
		    diff_cause_show(x->data, x->len, y->data, y->len,
		    s->proof.from - 1, 0) :
		    diff_cause_show(x->data, x->len, y->data, y->len,
		    (size_t)s->offset, 8);
}

static void
release(struct tar_fetch *w, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(w[i].data);
	free(w);
}

/*
 * The reason of the first accept entry naming a cause that covers a file
 * of path whose cause is now known, marking the entry used; NULL when none.
 */
static const char *
accepted_cause(struct diff_result *r, enum diff_class cls, const char *path,
    const struct diff_cause *cause)
{
	char text[DIFF_CAUSE_TEXT_MAX];
	size_t i;

	if (cause->prover == DIFF_PROVER_NONE || cause->id == DIFF_CAUSE_NONE)
		return NULL;
	diff_cause_text(cause, text, sizeof(text));
	for (i = 0; i < r->naccept; i++)
		if (r->accept[i].cause != NULL &&
		    diff_accept_matches(&r->accept[i], cls, path, text)) {
			r->accept_used[i] = true;
			return r->accept[i].reason;
		}
	return NULL;
}

/*
 * Say which accept entries covered nothing: stale, to fix or remove.  When
 * no file bytes could be read (bytes false) no cause is known, so an entry
 * naming one is not stale but not applied, and the note says that instead.
 */
static void
note_stale(struct diff_result *r, bool bytes)
{
	const struct diff_accept *x;
	size_t i;

	for (i = 0; i < r->naccept; i++) {
		if (r->accept_used[i])
			continue;
		x = &r->accept[i];
		if (x->cause != NULL && !bytes) {
			r->accept_used[i] = true;	/* unknown, so not stale */
			diff_add_note(r, xstrfmt("accept entry %zu names a cause, which "
			    "only file bytes prove: not applied", i + 1));
			continue;
		}
		diff_add_note(r, xstrfmt("accept entry %zu (%s%s%s%s%s%s) matched "
		    "nothing: stale, remove or fix it", i + 1,
		    x->path != NULL ? "path " : "", x->path != NULL ? x->path : "",
		    x->path != NULL && x->has_class ? ", " : "",
		    x->has_class ? diff_class_name(x->cls) : "",
		    x->cause != NULL ? ", cause " : "",
		    x->cause != NULL ? x->cause : ""));
	}
}

/* Record what was seen in a shown finding. */
static void
annotate(struct diff_result *r, struct diff_finding *f, struct seen *s)
{
	f->look = s->look;
	f->offset = s->offset;
	f->cause = s->proof.cause;
	f->explained = s->proof.holds;
	f->detail = s->proof.detail;
	s->proof.detail = NULL;
	if (s->proof.ordering) {
		/* The same lines in another order is ordering drift. */
		size_t *lc = f->layer > 0 ? r->images[f->image].layers[f->layer - 1].counts :
		    NULL;

		r->counts[f->cls]--;
		if (lc != NULL)
			lc[f->cls]--;
		f->cls = DIFF_ORDERING;
		r->counts[f->cls]++;
		if (lc != NULL)
			lc[f->cls]++;
		f->level = DIFF_DEPENDENCY_EQUIVALENT;
	} else if (s->proof.holds)
		f->level = DIFF_DEPENDENCY_EQUIVALENT;
	if (f->accepted == NULL &&
	    (f->accepted = accepted_cause(r, f->cls, f->path, &f->cause)) != NULL)
		r->accepted[f->cls]++;
}

/*
 * The source a compiled file was made from: "d/__pycache__/NAME.TAG.pyc"
 * -> "d/NAME.py" (malloc'd), NULL for other paths.
 */
static char *
pyc_source(const char *path)
{
	const char *base = strrchr(path, '/'), *dot;
	size_t dir;

	base = base != NULL ? base + 1 : path;
	dir = (size_t)(base - path);
	if (dir < 12 || strncmp(base - 12, "__pycache__/", 12) != 0 ||
	    (dot = strchr(base, '.')) == NULL || dot == base ||
	    strcmp(path + strlen(path) - 4, ".pyc") != 0)
		return NULL;
	return xstrfmt("%.*s%.*s.py", (int)(dir - 12), path, (int)(dot - base),
	    base);
}

/* @return whether the bytes of path differ in image i (a final-fs item
   or a content finding). */
static bool
bytes_differ(const struct diff_result *r, size_t i, const char *path)
{
	const struct diff_image *di = &r->images[i];
	size_t j;

	for (j = 0; j < di->ncontent; j++)
		if (strcmp(di->content[j].path, path) == 0)
			return true;
	for (j = 0; j < r->nfindings; j++)
		if (r->findings[j].image == i && wants_look(&r->findings[j]) &&
		    strcmp(r->findings[j].path, path) == 0)
			return true;
	return false;
}

/*
 * Tie a .pyc whose code differs to its source beside it when that differs
 * too: the finding says so, and the pair is one change, not two.
 */
static void
tie_sources(struct diff_result *r)
{
	size_t i, j, n;
	char *src;

	for (i = 0; i < r->nfindings; i++) {
		struct diff_finding *f = &r->findings[i];

		if (f->cause.prover != DIFF_PROVER_PYC || f->explained ||
		    (src = pyc_source(f->path)) == NULL)
			continue;
		n = strlen(f->cause.fields);
		if (bytes_differ(r, f->image, src))
			snprintf(f->cause.fields + n, sizeof(f->cause.fields) - n,
			    ": its source %s changed", strrchr(src, '/') != NULL ?
			    strrchr(src, '/') + 1 : src);
		free(src);
	}
	for (i = 0; i < r->nimages; i++)
		for (j = 0; j < r->images[i].ncontent; j++) {
			struct diff_content *dc = &r->images[i].content[j];

			if (!dc->compiled || (src = pyc_source(dc->path)) == NULL)
				continue;
			dc->follows_source = bytes_differ(r, i, src);
			free(src);
		}
}

/* The known-volatile rules the unexplained files of r follow, counted,
   in words and in the rules' order: "5 logs, machine-id, ldconfig cache".
   @return it (malloc'd). */
static char *
volatile_summary(const struct diff_result *r)
{
	size_t counts[DIFF_NVOLATILE] = { 0 }, i, j, k;
	struct sbuf sb = SBUF_INIT;

	for (i = 0; i < r->nimages; i++)
		for (j = 0; j < r->images[i].ncontent; j++) {
			const struct diff_content *dc = &r->images[i].content[j];

			k = diff_cause_volatile_rule(dc->path);
			if (!dc->explained && dc->known_volatile && k < DIFF_NVOLATILE)
				counts[k]++;
		}
	for (k = 0; k < DIFF_NVOLATILE; k++) {
		if (counts[k] == 0)
			continue;
		sbuf_addstr(&sb, sb.len > 0 ? ", " : "");
		if (counts[k] > 1)
			sbuf_addf(&sb, "%zu ", counts[k]);
		sbuf_addstr(&sb, diff_cause_volatile_words(k, counts[k]));
	}
	return sbuf_detach(&sb);
}

/* Decide again, now that the content items are explained or not. */
static void
redecide(struct diff_result *r, const struct diff_opts *o)
{
	size_t i, j, unexplained = 0, compiled = 0, volatiles = 0;
	uint8_t v = r->verdict == DIFF_IDENTICAL ? DIFF_IDENTICAL : DIFF_SAME_DIGEST;
	bool only_volatile = true;	/* all that keeps a different image
					   from dependency-equivalence */

	for (i = 0; i < r->nimages; i++) {
		struct diff_image *di = &r->images[i];
		bool all = !di->content_overflow, rest = all;
		size_t n = 0;

		for (j = 0; j < di->ncontent; j++) {
			const struct diff_content *dc = &di->content[j];

			if (dc->explained)
				continue;
			all = false;
			if (dc->known_volatile)
				volatiles++;
			else if (dc->follows_source)
				compiled++;
			else
				n++;
			rest = rest && dc->known_volatile;
		}
		unexplained += n;
		/* Several platforms: each note names its own. */
		if (n > 0 && r->nimages > 1)
			diff_add_note(r, xstrfmt("%s: %zu file%s with other bytes not "
			    "explained by a proven cause", di->platform != NULL ?
			    di->platform : "(platform unknown)", n, n == 1 ? "" : "s"));
		if (di->ncontent > 0 && all && !o->ignore[DIFF_CONTENT])
			di->verdict = di->verdict_rest > DIFF_DEPENDENCY_EQUIVALENT ?
			    di->verdict_rest : DIFF_DEPENDENCY_EQUIVALENT;
		if (di->verdict == DIFF_DIFFERENT && (!rest ||
		    di->verdict_rest > DIFF_DEPENDENCY_EQUIVALENT))
			only_volatile = false;
		if (di->verdict > v)
			v = di->verdict;
	}
	r->verdict = v;
	r->meets = r->verdict <= r->required;
	if (v == DIFF_DIFFERENT && only_volatile && volatiles > 0)
		r->volatile_only = volatile_summary(r);
	if (volatiles > 0)
		diff_add_note(r, xstrfmt("%zu known-volatile file%s differ%s: content "
		    "drift unless --volatile ignore", volatiles,
		    volatiles == 1 ? "" : "s", volatiles == 1 ? "s" : ""));
	if (unexplained > 0 && r->nimages == 1)
		diff_add_note(r, xstrfmt("%zu file%s with other bytes not explained by a "
		    "proven cause", unexplained, unexplained == 1 ? "" : "s"));
	if (compiled > 0)
		diff_add_note(r, xstrfmt("%zu compiled file%s (.pyc) differ%s because "
		    "%s source beside %s changed", compiled, compiled == 1 ? "" : "s",
		    compiled == 1 ? "s" : "", compiled == 1 ? "its" : "their",
		    compiled == 1 ? "it" : "them"));
}

/* One side's fetch, run in its own thread. */
struct look_job {
	const struct tar_archive *ar;
	struct tar_fetch *w;
	size_t n, limit;
	struct err e;
	int r;
};

static void *
look_run(void *arg)
{
	struct look_job *j = arg;

	j->r = tar_fetch(j->ar, j->w, j->n, j->limit, &j->e);
	return NULL;
}

/* Fetch A's and B's entries at the same time, like the first read. */
static int
fetch_both(struct look_job *ja, struct look_job *jb, struct err *e)
{
	util_run_both(look_run, ja, jb);
	if (ja->r < 0) {
		*e = ja->e;
		return ja->r;
	}
	if (jb->r < 0) {
		*e = jb->e;
		return jb->r;
	}
	return 0;
}

/* The files the second look reads: per side, the wanted (member, path)
   pairs, and per shown finding its index there plus one (0: not read);
   the limits, and what the wanted files cost of them. */
struct wanted {
	struct tar_fetch *wa, *wb;
	size_t na, nb, capa, capb;
	size_t *fa, *fb;
	uint64_t max_file, budget;
	size_t max_files;
	size_t files;
	uint64_t bytes;
	/* final-fs items each limit stopped, by enum diff_look - FILE_SIZE */
	size_t stopped[3];
};

/* @return the path whose bytes an entry at path has: src (its hardlink
   target), or path itself. */
static const char *
src_of(const char *src, const char *path)
{
	return src != NULL ? src : path;
}

/* One file the second look may read: a finding's or a final-fs item's,
   each side's bytes at (member, path), path a hardlink's target. */
struct candidate {
	const char *path_a, *path_b;
	const char *member_a, *member_b;
	uint64_t size_a, size_b;
	uint8_t *look;		/* enum diff_look, set here */
	size_t *ia, *ib;	/* where its indices go, or NULL */
	bool fs;		/* a final-fs item: the verdict waits for it */
};



/* Read x unless a limit stops it; record which one in *x->look. */
static void
plan(struct wanted *w, const struct candidate *x)
{
	size_t ia = find(w->wa, w->na, x->member_a, x->path_a);
	size_t ib = find(w->wb, w->nb, x->member_b, x->path_b);
	uint64_t cost = (ia ? 0 : x->size_a) + (ib ? 0 : x->size_b);
	enum diff_look why;

	if (!ia || !ib) {
		why = x->size_a > w->max_file || x->size_b > w->max_file ?
		    DIFF_LOOK_FILE_SIZE : w->files >= w->max_files ?
		    DIFF_LOOK_FILE_COUNT : cost > w->budget - w->bytes ?
		    DIFF_LOOK_BUDGET : DIFF_LOOK_DONE;
		if (why != DIFF_LOOK_DONE) {
			*x->look = (uint8_t)why;
			if (x->fs)
				w->stopped[why - DIFF_LOOK_FILE_SIZE]++;
			return;
		}
		w->files++;
		w->bytes += cost;
		ia = want(&w->wa, &w->na, &w->capa, x->member_a, x->path_a);
		ib = want(&w->wb, &w->nb, &w->capb, x->member_b, x->path_b);
	}
	*x->look = DIFF_LOOK_DONE;
	if (x->ia != NULL) {
		*x->ia = ia;
		*x->ib = ib;
	}
}

/*
 * Plan the findings and final-fs items not planned yet, in report order;
 * first only those on look_first's paths.
 */
static void
plan_pass(struct diff_result *r, struct wanted *w, bool first)
{
	struct candidate x;
	size_t i, j;

	for (i = 0; i < r->nfindings; i++) {
		struct diff_finding *f = &r->findings[i];

		if (!wants_look(f) || f->look != DIFF_LOOK_NONE ||
		    (first && !is_look_first(f->path)))
			continue;
		x = (struct candidate){ src_of(f->src_a, f->path),
		    src_of(f->src_b, f->path), f->member_a, f->member_b,
		    f->size_a, f->size_b, &f->look, &w->fa[i], &w->fb[i], false };
		plan(w, &x);
	}
	for (i = 0; i < r->nimages; i++)
		for (j = 0; j < r->images[i].ncontent; j++) {
			struct diff_content *dc = &r->images[i].content[j];

			if (dc->look != DIFF_LOOK_NONE ||
			    (first && !is_look_first(dc->path)))
				continue;
			x = (struct candidate){ src_of(dc->src_a, dc->path),
			    src_of(dc->src_b, dc->path), dc->member_a,
			    dc->member_b, dc->size_a, dc->size_b, &dc->look, NULL,
			    NULL, true };
			plan(w, &x);
		}
}

/* Choose the files to read, within the limits of o. */
static void
collect(struct diff_result *r, struct wanted *w, const struct diff_opts *o)
{
	w->max_file = o->look_max_file ? o->look_max_file :
	    DIFF_LOOK_MAX_FILE_DEFAULT;
	w->budget = o->look_budget ? o->look_budget : DIFF_LOOK_BUDGET_DEFAULT;
	w->max_files = o->look_max_files ? o->look_max_files :
	    DIFF_LOOK_MAX_FILES_DEFAULT;
	r->look_max_file = w->max_file;
	r->look_budget = w->budget;
	r->look_max_files = w->max_files;
	w->fa = xcalloc(r->nfindings + 1, sizeof(*w->fa));
	w->fb = xcalloc(r->nfindings + 1, sizeof(*w->fb));
	plan_pass(r, w, true);
	plan_pass(r, w, false);
}

/* @return whether a limit stopped a shown finding. */
static bool
stopped_any(const struct diff_result *r)
{
	size_t i;

	for (i = 0; i < r->nfindings; i++)
		if (r->findings[i].look >= DIFF_LOOK_FILE_SIZE)
			return true;
	return false;
}

/* Say which limits left final-fs files unread: their causes are unknown,
   so they count against the verdict. */
static void
note_limits(struct diff_result *r, const struct wanted *w)
{
	char why[80];
	unsigned k;

	for (k = 0; k < 3; k++)
		if (w->stopped[k] > 0)
			diff_add_note(r, xstrfmt("%zu file%s not looked into (%s): "
			    "causes not proven", w->stopped[k],
			    w->stopped[k] == 1 ? "" : "s", diff_look_text(r,
			    (enum diff_look)(DIFF_LOOK_FILE_SIZE + k), why, sizeof(why))));
}

/* No bytes were read after all: nothing was looked at, nor stopped. */
static void
forget(struct diff_result *r)
{
	size_t i, j;

	for (i = 0; i < r->nfindings; i++)
		r->findings[i].look = DIFF_LOOK_NONE;
	for (i = 0; i < r->nimages; i++)
		for (j = 0; j < r->images[i].ncontent; j++)
			r->images[i].content[j].look = DIFF_LOOK_NONE;
}

/* @return true, with a note saying why, when a or b has no file bytes to
   read a second time (a fingerprint, standard input, a pipe). */
static bool
no_bytes(struct diff_result *r, const struct tar_archive *a,
    const struct tar_archive *b)
{
	if (tar_is_fingerprint(a) || tar_is_fingerprint(b)) {
		diff_add_note(r, xstrfmt("%s a fingerprint, which holds hashes, not file "
		    "bytes: content differences are shown by SHA-256 only, without "
		    "the first differing byte or a text diff, and with no cause "
		    "but the known-volatile rules that need only a path",
		    tar_is_fingerprint(a) && tar_is_fingerprint(b) ? "A and B are" :
		    tar_is_fingerprint(a) ? "A is" : "B is"));
		return true;
	}
	if (!tar_rereadable(a) || !tar_rereadable(b)) {
		diff_add_note(r, xstrfmt("%s cannot be read a second time: content "
		    "differences are shown by hash only, with no cause but the "
		    "known-volatile rules that need only a path",
		    strcmp(r->name_a, "-") == 0 || strcmp(r->name_b, "-") == 0 ?
		    "standard input" : "a pipe"));
		return true;
	}
	return false;
}

/* Read the wanted files of a and b, A and B in parallel (plan() kept
   their sum within the budget). */
static int
read_wanted(struct wanted *w, const struct tar_archive *a,
    const struct tar_archive *b, struct err *e)
{
	struct look_job ja, jb;
	size_t limit = w->max_file > SIZE_MAX ? SIZE_MAX : (size_t)w->max_file;

	memset(&ja, 0, sizeof(ja));
	memset(&jb, 0, sizeof(jb));
	ja.ar = a;
	ja.w = w->wa;
	ja.n = w->na;
	jb.ar = b;
	jb.w = w->wb;
	jb.n = w->nb;
	ja.limit = jb.limit = limit;
	return fetch_both(&ja, &jb, e);
}

/* @return what the second look read of dc's bytes in A (side 0) or B. */
static const struct tar_fetch *
content_fetch(const struct wanted *w, const struct diff_content *dc, int side)
{
	if (side == 0)
		return fetch_at(w->wa, w->na, find(w->wa, w->na, dc->member_a,
		    src_of(dc->src_a, dc->path)));
	return fetch_at(w->wb, w->nb, find(w->wb, w->nb, dc->member_b,
	    src_of(dc->src_b, dc->path)));
}

/* A cargo-auditable binary's crates, from the bytes read of dc. */
static void
add_crates(struct diff_image *di, const char *path, const struct wanted *w,
    const struct diff_content *dc)
{
	const struct tar_fetch *x = content_fetch(w, dc, 0);
	const struct tar_fetch *y = content_fetch(w, dc, 1);

	if (x->truncated || y->truncated || !x->found || !y->found)
		return;
	diff_pkg_add_file(di, path, x->data, x->len, y->data, y->len);
}

/* Prove the causes of what was read: the shown findings are annotated,
   the final file system's differing files marked explained or not. */
static void
judge(struct diff_result *r, struct wanted *w, const struct diff_opts *o)
{
	struct seen s;
	size_t i, j;

	for (i = 0; i < r->nfindings; i++) {
		if (w->fa[i] == 0)
			continue;
		look_at(r->findings[i].path, fetch_at(w->wa, w->na, w->fa[i]),
		    fetch_at(w->wb, w->nb, w->fb[i]), o->volatile_ignore, &s);
		annotate(r, &r->findings[i], &s);
		free(s.proof.detail);
	}
	for (i = 0; i < r->nimages; i++)
		for (j = 0; j < r->images[i].ncontent; j++) {
			struct diff_content *dc = &r->images[i].content[j];

			if (dc->look != DIFF_LOOK_DONE)
				continue;
			look_at(dc->path, content_fetch(w, dc, 0),
			    content_fetch(w, dc, 1), o->volatile_ignore, &s);
			dc->look = s.look;
			dc->compiled = s.proof.cause.prover == DIFF_PROVER_PYC &&
			    !s.proof.holds;
			dc->known_volatile = s.proof.cause.prover ==
			    DIFF_PROVER_VOLATILE &&
			    s.proof.cause.id == DIFF_CAUSE_KNOWN_VOLATILE;
			dc->explained = s.proof.holds || s.proof.ordering ||
			    accepted_cause(r, DIFF_CONTENT, dc->path,
			    &s.proof.cause) != NULL;
			free(s.proof.detail);
			if (s.proof.cause.prover == DIFF_PROVER_MODULES)
				add_crates(&r->images[i], dc->path, w, dc);
		}
}

/* @return x's bytes when the second look read all of them, else NULL. */
static const uint8_t *
whole(const struct tar_fetch *x)
{
	return x->found && !x->truncated ? x->data : NULL;
}

/*
 * Check the files of packages whose versions did not move against the
 * digests their databases recorded, with the bytes read for their
 * findings (w NULL: none read); the rest are not checked, and say why.
 */
static void
check_records(struct diff_result *r, const struct wanted *w, bool no_bytes)
{
	const struct tar_fetch *x, *y;
	size_t i;

	for (i = 0; i < r->nfindings; i++) {
		struct diff_finding *f = &r->findings[i];

		if (f->check.state != DIFF_CHECK_PENDING)
			continue;
		if (w != NULL && w->fa != NULL && w->fa[i] > 0) {
			x = fetch_at(w->wa, w->na, w->fa[i]);
			y = fetch_at(w->wb, w->nb, w->fb[i]);
			diff_pkg_check(f, whole(x), x->len, whole(y), y->len);
		} else
			diff_pkg_check(f, NULL, 0, NULL, 0);
		if (f->check.state != DIFF_CHECK_PENDING)
			continue;
		f->check.state = !no_bytes && f->look >= DIFF_LOOK_FILE_SIZE ?
		    DIFF_CHECK_LIMIT : DIFF_CHECK_NO_BYTES;
		f->check.limit = f->look;
	}
}

/*
 * One input has no bytes to read again (a fingerprint, a pipe), the
 * other, ar (side 0 A, 1 B), has: its files still tell whether they match
 * their package's records.  Read those of the pending checks, within w's
 * limits, and check them.  @return 0, or a negative ERR_* code.
 */
static int
check_one_side(struct diff_result *r, const struct tar_archive *ar, int side,
    const struct wanted *w, struct err *e)
{
	struct tar_fetch *v = NULL;
	size_t i, n = 0, cap = 0, *at = xcalloc(r->nfindings + 1, sizeof(*at));
	const struct tar_fetch *x;
	uint64_t bytes = 0, size;
	int rc = 0;

	for (i = 0; i < r->nfindings; i++) {
		struct diff_finding *f = &r->findings[i];

		if (f->check.state != DIFF_CHECK_PENDING || !wants_look(f))
			continue;
		size = side == 0 ? f->size_a : f->size_b;
		f->check.limit = size > w->max_file ? DIFF_LOOK_FILE_SIZE :
		    n >= w->max_files ? DIFF_LOOK_FILE_COUNT :
		    size > w->budget - bytes ? DIFF_LOOK_BUDGET : DIFF_LOOK_DONE;
		if (f->check.limit != DIFF_LOOK_DONE) {
			f->check.state = DIFF_CHECK_LIMIT;
			continue;
		}
		bytes += size;
		at[i] = want(&v, &n, &cap, side == 0 ? f->member_a : f->member_b,
		    src_of(side == 0 ? f->src_a : f->src_b, f->path));
	}
	if (n > 0 && (rc = tar_fetch(ar, v, n, w->max_file > SIZE_MAX ?
	    SIZE_MAX : (size_t)w->max_file, e)) < 0)
		goto out;
	r->look_files = n;
	r->look_bytes = bytes;
	for (i = 0; i < r->nfindings; i++) {
		if (at[i] == 0)
			continue;
		x = fetch_at(v, n, at[i]);
		if (side == 0)
			diff_pkg_check(&r->findings[i], whole(x), x->len, NULL, 0);
		else
			diff_pkg_check(&r->findings[i], NULL, 0, whole(x), x->len);
	}
 out:
	release(v, n);
	free(at);
	return rc;
}

/* @return whether ar's file bytes can be read a second time. */
static bool
rereadable(const struct tar_archive *ar)
{
	return !tar_is_fingerprint(ar) && tar_rereadable(ar);
}

/* @return whether a path-only known-volatile rule explains a file that
   was not read, with s filled as look_at() would. */
static bool
by_path(const char *path, bool volatile_ignore, struct seen *s)
{
	memset(s, 0, sizeof(*s));
	s->offset = -1;
	if (!diff_cause_prove_path(path, &s->proof))
		return false;
	if (!volatile_ignore)
		s->proof.holds = false;
	return true;
}

/*
 * The differing files the second look did not read (a fingerprint,
 * standard input, a limit): the known-volatile rules that need only a
 * path hold for them as for the files it read, so that a pair gets the
 * same verdict however its inputs were given.
 */
static void
judge_by_path(struct diff_result *r, const struct diff_opts *o)
{
	struct seen s;
	size_t i, j;

	for (i = 0; i < r->nfindings; i++) {
		struct diff_finding *f = &r->findings[i];

		if (!wants_look(f) || f->look == DIFF_LOOK_DONE ||
		    !by_path(f->path, o->volatile_ignore, &s))
			continue;
		s.look = f->look;
		annotate(r, f, &s);
	}
	for (i = 0; i < r->nimages; i++)
		for (j = 0; j < r->images[i].ncontent; j++) {
			struct diff_content *dc = &r->images[i].content[j];

			if (dc->look != DIFF_LOOK_DONE &&
			    by_path(dc->path, o->volatile_ignore, &s)) {
				dc->explained = s.proof.holds;
				dc->known_volatile = true;
			}
		}
}

int
diff_second_look(struct diff_result *r, const struct tar_archive *a,
    const struct tar_archive *b, const struct diff_opts *o, struct err *e)
{
	struct wanted w;
	const struct tar_archive *src;
	bool bytes = false;	/* file bytes were read */
	int rc = 0;

	memset(&w, 0, sizeof(w));
	collect(r, &w, o);
	if (w.na == 0 && w.stopped[0] + w.stopped[1] + w.stopped[2] == 0 &&
	    !stopped_any(r)) {
		check_records(r, NULL, false);
		goto stale;
	}
	if (no_bytes(r, a, b)) {
		forget(r);
		src = rereadable(a) ? a : rereadable(b) ? b : NULL;
		if (src != NULL && (rc = check_one_side(r, src, src == a ? 0 : 1,
		    &w, e)) < 0)
			goto out;
		check_records(r, NULL, true);
		judge_by_path(r, o);
		goto decide;
	}
	if (w.na > 0 && (rc = read_wanted(&w, a, b, e)) < 0)
		goto out;
	bytes = true;
	r->look_files = w.files;
	r->look_bytes = w.bytes;
	judge(r, &w, o);
	check_records(r, &w, false);
	judge_by_path(r, o);
	tie_sources(r);
	note_limits(r, &w);
 decide:
	redecide(r, o);
 stale:
	note_stale(r, bytes || (w.na == 0 && !stopped_any(r)));
 out:
	release(w.wa, w.na);
	release(w.wb, w.nb);
	free(w.fa);
	free(w.fb);
	return rc;
}

const char *
diff_look_text(const struct diff_result *r, enum diff_look l, char *buf,
    size_t n)
{
	char size[32];

	switch (l) {
	case DIFF_LOOK_FILE_SIZE:
		snprintf(buf, n, "over %s", util_size_str(size, sizeof(size),
		    r->look_max_file));
		break;
	case DIFF_LOOK_BUDGET:
		snprintf(buf, n, "second-look budget of %s spent",
		    util_size_str(size, sizeof(size), r->look_budget));
		break;
	case DIFF_LOOK_FILE_COUNT:
		snprintf(buf, n, "file-count limit of %zu file%s reached",
		    r->look_max_files, r->look_max_files == 1 ? "" : "s");
		break;
	default:
		snprintf(buf, n, "%s", "");
	}
	return buf;
}

const char *
diff_look_name(enum diff_look l)
{
	static const char *const names[] = {
		[DIFF_LOOK_FILE_SIZE] = "file-size",
		[DIFF_LOOK_BUDGET] = "budget",
		[DIFF_LOOK_FILE_COUNT] = "file-count",
	};

	return l < sizeof(names) / sizeof(names[0]) ? names[l] : NULL;
}
