/*
 * builders.c - the builders a config's history shows (one row each: how to
 * recognise it, its fix hint per class), and the fix hints of a result:
 * the ones that fit its builders and what its findings are about.
 */
#include <stdlib.h>
#include <string.h>

#include "diff/diff_int.h"

/* The one table of builders, indexed by enum diff_builder.  A row matches
   the last history entry by any of its non-NULL keys; label needs the
   config to carry that label (buildah sets it, podman builds with
   buildah).  The rows are tried in order. */
static const struct {
	const char *name;
	const char *suffix;	/* created_by ends with it */
	const char *comment;	/* history comment equal to it */
	const char *author;	/* history author equal to it */
	const char *label;	/* config label present */
	const char *prefix;	/* created_by starts with it */
	const char *hint[DIFF_NCLASS];	/* NULL: the class's own */
} builders[DIFF_NBUILDER] = {
	[DIFF_BUILDER_UNKNOWN] = { "unknown", NULL, NULL, NULL, NULL, NULL,
	    { NULL } },
	[DIFF_BUILDER_BUILDKIT] = { "BuildKit", " # buildkit",
	    "buildkit.dockerfile.v0", NULL, NULL, NULL, {
	    [DIFF_TIMESTAMP] = "BuildKit: pass SOURCE_DATE_EPOCH "
	    "(--build-arg SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)) for the "
	    "config and history times, and export with rewrite-timestamp=true "
	    "(--output type=image,rewrite-timestamp=true, BuildKit 0.13 or "
	    "later) to clamp the layers' file times too" } },
	[DIFF_BUILDER_KANIKO] = { "kaniko", NULL, NULL, "kaniko", NULL, NULL, {
	    [DIFF_TIMESTAMP] = "kaniko: build with --reproducible (file times "
	    "and created set to the epoch); kaniko ignores SOURCE_DATE_EPOCH" } },
	[DIFF_BUILDER_BUILDAH] = { "buildah/podman", NULL, NULL, NULL,
	    "io.buildah.version", NULL, {
	    [DIFF_TIMESTAMP] = "buildah/podman: build or commit with --timestamp "
	    "$SOURCE_DATE_EPOCH (created, history and the new layers' file "
	    "times); releases with --source-date-epoch and --rewrite-timestamp "
	    "read the variable, older ones ignore SOURCE_DATE_EPOCH" } },
	[DIFF_BUILDER_DOCKER] = { "docker (legacy builder)", NULL, NULL, NULL,
	    NULL, "/bin/sh -c ", {
	    [DIFF_TIMESTAMP] = "the legacy docker builder (DOCKER_BUILDKIT=0) "
	    "ignores SOURCE_DATE_EPOCH and cannot clamp file times: build with "
	    "BuildKit (SOURCE_DATE_EPOCH, rewrite-timestamp=true)" } },
};

/* Fix hints for what a class's findings are about, beyond the class. */
#define HINT_SPLIT	"layer split (the final trees agree; which layer " \
	"carries a file or its parent directories moved): build both sides " \
	"with the same steps, the same --squash/--layers setting, builder and " \
	"storage driver"
#define HINT_WHITEOUT	"whiteout style: the same builder and storage " \
	"driver on both sides (overlay writes a directory deleted and made " \
	"again as an opaque marker .wh..wh..opq; vfs and umoci write a " \
	".wh.NAME per deleted file)"

const char *
diff_builder_name(enum diff_builder b)
{
	return (unsigned)b < DIFF_NBUILDER ? builders[b].name :
	    builders[DIFF_BUILDER_UNKNOWN].name;
}

static bool
str_is(const json_t *v, const char *s)
{
	return s != NULL && json_is_string(v) && strcmp(json_string_value(v), s) == 0;
}

static bool
row_matches(unsigned k, const json_t *step, const json_t *config)
{
	const char *by = json_string_value(json_object_get(step, "created_by"));
	size_t n = by != NULL ? strlen(by) : 0, m;

	if (builders[k].suffix != NULL && by != NULL &&
	    n >= (m = strlen(builders[k].suffix)) &&
	    strcmp(by + n - m, builders[k].suffix) == 0)
		return true;
	if (str_is(json_object_get(step, "comment"), builders[k].comment) ||
	    str_is(json_object_get(step, "author"), builders[k].author))
		return true;
	if (builders[k].label != NULL && json_object_get(json_object_get(
	    json_object_get(config, "config"), "Labels"), builders[k].label) != NULL)
		return true;
	return builders[k].prefix != NULL && by != NULL &&
	    starts_with(by, builders[k].prefix);
}

enum diff_builder
diff_builder_detect(const json_t *config)
{
	const json_t *h = json_object_get(config, "history");
	const json_t *last = json_array_get(h, json_array_size(h) - 1);
	unsigned k;

	if (last == NULL)
		return DIFF_BUILDER_UNKNOWN;
	for (k = 1; k < DIFF_NBUILDER; k++)
		if (row_matches(k, last, config))
			return (enum diff_builder)k;
	return DIFF_BUILDER_UNKNOWN;
}

/* What the shown findings of class c are about; lines: a text file's
   lines in another order, whose hint is its cause's. */
struct kinds {
	bool split, whiteout, other;
	const char *lines;
};

static struct kinds
kinds_of(const struct diff_result *r, enum diff_class c)
{
	struct kinds k = { false, false, false, NULL };
	size_t i;
	char *t;
	bool opaque;

	for (i = 0; i < r->nfindings; i++) {
		const struct diff_finding *f = &r->findings[i];

		if (f->cls != c)
			continue;
		t = f->path != NULL && f->field_id == DIFF_FIELD_ENTRY ?
		    diff_whiteout_target(f->path, &opaque) : NULL;
		if (c == DIFF_ORDERING && (f->field_id == DIFF_FIELD_LAYERS ||
		    (f->scope == DIFF_SCOPE_LAYER && f->field_id != DIFF_FIELD_POSITION &&
		    f->cause.id != DIFF_CAUSE_LINE_ORDER)))
			k.split = true;
		else if (c == DIFF_ORDERING && f->cause.id == DIFF_CAUSE_LINE_ORDER)
			k.lines = diff_cause_hint(&f->cause);
		else if (c == DIFF_ENCODING && t != NULL)
			k.whiteout = true;
		else
			k.other = true;
		free(t);
	}
	return k;
}

size_t
diff_class_hints(const struct diff_result *r, enum diff_class c,
    const char **out, size_t max)
{
	struct kinds k = kinds_of(r, c);
	size_t n = 0;
	unsigned b;

	if (max < DIFF_HINTS_MAX)
		return 0;
	if (k.split)
		out[n++] = HINT_SPLIT;
	if (k.whiteout)
		out[n++] = HINT_WHITEOUT;
	if (k.lines != NULL)
		out[n++] = k.lines;
	if (n > 0 && !k.other)
		return n;
	/* The switch of each builder the two sides show, once each. */
	for (b = 1; b < DIFF_NBUILDER; b++)
		if ((r->builder_a == b || r->builder_b == b) &&
		    builders[b].hint[c] != NULL)
			out[n++] = builders[b].hint[c];
	if (n == 0 || (k.other && (k.split || k.whiteout || k.lines != NULL)))
		out[n++] = diff_class_hint(c);
	return n;
}
