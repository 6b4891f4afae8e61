/*
 * diff.c - the result of a comparison: the finding collector (examples kept
 * per layer and class, the worst level per part), notes, value formatting
 * shared by the parts, and freeing the result.
 */
#include <stdlib.h>
#include <string.h>

#include "diff/causes.h"
#include "diff/diff_int.h"

#define DEFAULT_EXAMPLES	5

#define CONTENT_ITEMS_MAX	1024	/* files the second look may explain */

static void
defer(struct dctx *c, const char *path)
{
	struct diff_image *im = &c->r->images[c->image];
	struct diff_content *dc;

	if (im->ncontent >= CONTENT_ITEMS_MAX) {
		im->content_overflow = true;
		return;
	}
	xgrow(&im->content, &im->content_cap, im->ncontent + 1,
	    sizeof(*im->content));
	dc = &im->content[im->ncontent++];
	memset(dc, 0, sizeof(*dc));
	dc->path = xstrdup(path);
	dc->member_a = c->member_a;
	dc->member_b = c->member_b;
	dc->src_a = c->src_a;
	dc->src_b = c->src_b;
	dc->size_a = c->size_a;
	dc->size_b = c->size_b;
}

bool
diff_dctx_keeps(const struct dctx *c, enum diff_class cls, int layer)
{
	size_t row = layer > 0 && (size_t)layer <= c->nlayers ? (size_t)layer : 0;
	size_t max = c->o->max_examples ? c->o->max_examples : DEFAULT_EXAMPLES;

	return c->counting && c->examples[row * DIFF_NCLASS + cls] < max;
}

/*
 * An example that a finding of rank (diff_pkg_rank()) at (scope, layer,
 * cls) may take the place of, its quota full: the last kept one about a
 * package's file or database, so that what no package explains is shown
 * first.  @return it, or NULL.
 */
static struct diff_finding *
displaced(const struct dctx *c, enum diff_class cls, enum diff_scope scope,
    int layer, int rank)
{
	struct diff_finding *f;
	size_t i;

	if (c->pv == NULL || rank >= 2)
		return NULL;
	for (i = c->r->nfindings; i-- > 0;) {
		f = &c->r->findings[i];
		if (f->image == c->image && f->scope == scope && f->layer == layer &&
		    f->cls == cls && diff_pkg_finding_rank(f) >= 2)
			return f;
	}
	return NULL;
}

bool
diff_dctx_keeps_at(const struct dctx *c, enum diff_class cls,
    enum diff_scope scope, int layer, const char *path)
{
	return diff_dctx_keeps(c, cls, layer) || (c->counting &&
	    displaced(c, cls, scope, layer, diff_pkg_rank(c, cls, scope,
	    path)) != NULL);
}

static void
finding_release(struct diff_finding *f)
{
	free(f->path);
	free(f->field);
	free(f->a);
	free(f->b);
	free(f->detail);
	free(f->package);
	free(f->check.recorded[0]);
	free(f->check.recorded[1]);
	free(f->check.why);
}

/*
 * The reason of the first accept entry without a cause that covers the
 * finding, marking the entry used; NULL when none does.  Entries naming a
 * cause wait for the second look, which proves causes.
 */
static const char *
accepted(struct dctx *c, enum diff_class cls, const char *path)
{
	size_t i;

	for (i = 0; i < c->o->naccept; i++)
		if (c->o->accept[i].cause == NULL &&
		    diff_accept_matches(&c->o->accept[i], cls, path, NULL)) {
			c->r->accept_used[i] = true;
			return c->o->accept[i].reason;
		}
	return NULL;
}

/* Note that the final file systems differ at path in cls (diff_fs_holds()):
   the final file systems are compared in path order. */
static void
fs_differs(struct dctx *c, const char *path, enum diff_class cls)
{
	struct dctx_fsdiff *last = c->nfsdiff > 0 ? &c->fsdiff[c->nfsdiff - 1] :
	    NULL;

	if (last != NULL && strcmp(last->path, path) == 0) {
		last->classes |= 1u << cls;
		return;
	}
	xgrow(&c->fsdiff, &c->fsdiff_cap, c->nfsdiff + 1, sizeof(*c->fsdiff));
	c->fsdiff[c->nfsdiff].path = path;
	c->fsdiff[c->nfsdiff++].classes = 1u << cls;
}

/* A layer's differing files per known-volatile rule, by path: the text
   report gives each rule one line. */
static void
count_volatile(struct diff_layer *l, enum diff_class cls, enum diff_field field,
    const char *path)
{
	size_t k;

	if (cls != DIFF_CONTENT || path == NULL ||
	    (field != DIFF_FIELD_CONTENT && field != DIFF_FIELD_SIZE))
		return;
	if ((k = diff_cause_volatile_rule(path)) < DIFF_NVOLATILE)
		l->volatiles[k]++;
}

static struct diff_finding *
add_finding(struct dctx *c, enum diff_class cls, enum diff_scope scope,
    enum diff_verdict level, int layer, const char *path, enum diff_field field,
    const char *name, char *a, char *b)
{
	struct diff_result *r = c->r;
	struct diff_image *im = &r->images[c->image];
	struct diff_finding *f;
	size_t row = layer > 0 && (size_t)layer <= c->nlayers ? (size_t)layer : 0;
	size_t *kept = &c->examples[row * DIFF_NCLASS + cls];
	size_t max = c->o->max_examples ? c->o->max_examples : DEFAULT_EXAMPLES;

	int w = scope == DIFF_SCOPE_FS ? 2 :
	    scope == DIFF_SCOPE_LAYER && cls != DIFF_COMPRESSION ? 1 : 0;
	uint8_t *worst = &c->worst[w];
	const char *reason = accepted(c, cls, path);

	/* Accepted drift never counts against the required level. */
	if (reason != NULL)
		worst = NULL;
	else if (c->defer_content && cls == DIFF_CONTENT &&
	    (field == DIFF_FIELD_CONTENT || field == DIFF_FIELD_SIZE)) {
		defer(c, path);
		worst = &c->worst_deferred;
	}
	if (worst != NULL && !c->o->ignore[cls] && level > *worst)
		*worst = (uint8_t)level;
	if (scope == DIFF_SCOPE_FS && path != NULL &&
	    diff_class_level(cls) == DIFF_DIFFERENT)
		fs_differs(c, path, cls);
	if (!c->counting)
		goto drop;
	r->counts[cls]++;
	if (reason != NULL)
		r->accepted[cls]++;
	if (layer > 0 && (size_t)layer <= im->nlayers) {
		im->layers[layer - 1].counts[cls]++;
		count_volatile(&im->layers[layer - 1], cls, field, path);
	}
	if (*kept >= max) {
		r->examples_dropped++;
		if ((f = displaced(c, cls, scope, layer, diff_pkg_rank(c, cls, scope,
		    path))) == NULL)
			goto drop;
		finding_release(f);
	} else {
		(*kept)++;
		xgrow(&r->findings, &r->nfindings_cap, r->nfindings + 1,
		    sizeof(*r->findings));
		f = &r->findings[r->nfindings++];
	}
	memset(f, 0, sizeof(*f));
	f->cls = (uint8_t)cls;
	f->scope = (uint8_t)scope;
	f->level = (uint8_t)level;
	f->ignored = c->o->ignore[cls];
	f->layer = layer;
	f->image = c->image;
	/* Paths are kept without a leading "/"; the root's is "". */
	f->path = path ? xstrdup(path[0] != '\0' ? path : "/") : NULL;
	f->field_id = (uint8_t)field;
	f->field = xstrdup(name != NULL ? name : diff_field_name(field));
	f->a = a;
	f->b = b;
	f->offset = -1;
	f->accepted = reason;
	if (cls == DIFF_CONTENT) {
		f->member_a = c->member_a;
		f->member_b = c->member_b;
		f->src_a = c->src_a;
		f->src_b = c->src_b;
		f->size_a = c->size_a;
		f->size_b = c->size_b;
	}
	diff_pkg_attribute(c, f);
	return f;
 drop:
	free(a);
	free(b);
	return NULL;
}

struct diff_finding *
diff_dctx_add(struct dctx *c, enum diff_class cls, enum diff_scope scope,
    enum diff_verdict level, int layer, const char *path, enum diff_field field,
    char *a, char *b)
{
	return add_finding(c, cls, scope, level, layer, path, field, NULL, a, b);
}

void
diff_dctx_shift(struct dctx *c, int layer, int64_t d)
{
	struct diff_image *im = &c->r->images[c->image];
	struct diff_shift *s;

	if (!c->counting || layer < 1 || (size_t)layer > im->nlayers)
		return;
	s = &im->layers[layer - 1].shift;
	if (s->n == 0 || d < s->min)
		s->min = d;
	if (s->n == 0 || d > s->max)
		s->max = d;
	s->n++;
	s->later += d > 0;
	s->earlier += d < 0;
}

struct diff_finding *
diff_dctx_add_doc(struct dctx *c, enum diff_class cls, enum diff_scope scope,
    enum diff_verdict level, const char *name, char *a, char *b)
{
	struct diff_finding *f = add_finding(c, cls, scope, level, 0, NULL,
	    DIFF_FIELD_DOCUMENT, name, a, b);

	if (f != NULL)
		f->json_values = true;
	return f;
}

void
diff_add_note(struct diff_result *r, char *note)
{
	xgrow(&r->notes, &r->notes_cap, r->nnotes + 1, sizeof(*r->notes));
	r->notes[r->nnotes++] = note;
}

void
diff_dctx_note(struct dctx *c, char *note)
{
	const char *p = c->r->images[c->image].platform;

	if (!c->several) {
		diff_add_note(c->r, note);
		return;
	}
	diff_add_note(c->r, p != NULL ? xstrfmt("%s: %s", p, note) :
	    xstrfmt("image %zu: %s", c->image + 1, note));
	free(note);
}

char *
diff_digest_str(const uint8_t d[32])
{
	char hex[65];

	util_hex_encode(hex, d, 32);
	return xstrfmt("sha256:%s", hex);
}

char *
diff_json_str(const json_t *j)
{
	char *s;

	if (j == NULL)
		return NULL;
	s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
	return s != NULL ? s : xstrdup("?");
}

void
diff_result_free(struct diff_result *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nfindings; i++)
		finding_release(&r->findings[i]);
	free(r->findings);
	for (i = 0; i < r->nimages; i++) {
		size_t j;

		for (j = 0; j < r->images[i].ncontent; j++)
			free(r->images[i].content[j].path);
		free(r->images[i].content);

		for (j = 0; j < r->images[i].nunread; j++) {
			free(r->images[i].unread[j].path);
			free(r->images[i].unread[j].why);
		}
		free(r->images[i].unread);
		for (j = 0; j < r->images[i].npackages; j++) {
			free(r->images[i].packages[j].name);
			free(r->images[i].packages[j].arch);
			free(r->images[i].packages[j].where);
			free(r->images[i].packages[j].a);
			free(r->images[i].packages[j].b);
		}
		free(r->images[i].packages);
		for (j = 0; j < r->images[i].nlayers; j++) {
			free(r->images[i].layers[j].step);
			free(r->images[i].layers[j].clamped_a);
			free(r->images[i].layers[j].clamped_b);
		}
		free(r->images[i].layers);
		for (j = 0; j < r->images[i].nhistory; j++)
			free(r->images[i].history[j].created_by);
		free(r->images[i].history);
		free(r->images[i].platform);
	}
	free(r->images);
	free(r->excludes);
	free(r->accept_used);
	for (i = 0; i < r->nnotes; i++)
		free(r->notes[i]);
	free(r->notes);
	free(r->volatile_only);
	free(r);
}
