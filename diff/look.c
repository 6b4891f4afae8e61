/*
 * look.c - the second look at content examples: fetch both versions of each
 * entry (bounded) and find the first byte where they differ.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "diff/diff_int.h"

#define LOOK_ENTRIES_MAX	64		/* examples looked at */
#define LOOK_FILE_MAX		(4u << 20)	/* bytes kept per version */
#define LOOK_TOTAL_MAX		(64u << 20)	/* bytes kept in all */

static bool
wants_look(const struct diff_finding *f)
{
	return f->cls == DIFF_CONTENT && f->a != NULL && f->b != NULL &&
	    (strcmp(f->field, "content") == 0 || strcmp(f->field, "size") == 0);
}

/* Ask for (member, path) once; @return its index in w. */
static size_t
want(struct tar_fetch **w, size_t *n, size_t *cap, const char *member,
    const char *path)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp((*w)[i].path, path) == 0 && ((*w)[i].member == NULL ?
		    member == NULL : member != NULL &&
		    strcmp((*w)[i].member, member) == 0))
			return i;
	xgrow(w, cap, *n + 1, sizeof(**w));
	memset(&(*w)[*n], 0, sizeof(**w));
	(*w)[*n].member = member;
	(*w)[*n].path = path;
	return (*n)++;
}

static void
first_difference(struct diff_finding *f, const struct tar_fetch *x,
    const struct tar_fetch *y)
{
	size_t i, n = x->len < y->len ? x->len : y->len;

	if (!x->found || !y->found) {
		f->detail = xstrdup("not found on the second look");
		return;
	}
	for (i = 0; i < n && x->data[i] == y->data[i]; i++)
		;
	if (i < n || (x->len != y->len && !x->truncated && !y->truncated))
		f->offset = (int64_t)i;
	else
		f->detail = xfmt("no difference in the first %zu bytes", n);
}

static void
release(struct tar_fetch *w, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(w[i].data);
	free(w);
}

int
diff_second_look(struct diff_result *r, const struct tar_archive *a,
    const struct tar_archive *b, struct err *e)
{
	struct tar_fetch *wa = NULL, *wb = NULL;
	size_t na = 0, nb = 0, capa = 0, capb = 0, i, looked = 0, limit;
	size_t *ia, *ib;
	int rc = 0;

	ia = xcalloc(r->nfindings + 1, sizeof(*ia));
	ib = xcalloc(r->nfindings + 1, sizeof(*ib));
	for (i = 0; i < r->nfindings && looked < LOOK_ENTRIES_MAX; i++) {
		struct diff_finding *f = &r->findings[i];

		if (!wants_look(f))
			continue;
		ia[i] = want(&wa, &na, &capa, f->member_a, f->path) + 1;
		ib[i] = want(&wb, &nb, &capb, f->member_b, f->path) + 1;
		looked++;
	}
	if (looked == 0)
		goto out;
	if (!tar_rereadable(a) || !tar_rereadable(b)) {
		add_note(r, xstrdup("standard input cannot be read a second time: "
		    "content differences are shown by hash only"));
		goto out;
	}
	limit = LOOK_TOTAL_MAX / (na + nb);
	if (limit > LOOK_FILE_MAX)
		limit = LOOK_FILE_MAX;
	if ((rc = tar_fetch(a, wa, na, limit, e)) < 0 ||
	    (rc = tar_fetch(b, wb, nb, limit, e)) < 0)
		goto out;
	for (i = 0; i < r->nfindings; i++)
		if (ia[i] != 0)
			first_difference(&r->findings[i], &wa[ia[i] - 1],
			    &wb[ib[i] - 1]);
 out:
	release(wa, na);
	release(wb, nb);
	free(ia);
	free(ib);
	return rc;
}
