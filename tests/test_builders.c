/*
 * test_builders.c - the builder a real config's history shows, and fix
 * hints that fit the builder and what the findings are about.
 */
#include <criterion/criterion.h>

#include "diff/diff_int.h"
#include "tests/testutil.h"

/* The builder of the first image of a corpus archive. */
static enum diff_builder
builder_of(const char *path)
{
	struct tar_archive *ar = NULL;
	struct err e = { 0, "" };
	enum diff_builder b;

	cr_assert_eq(tar_read(path, NULL, &ar, &e), 0, "%s: %s", path, e.msg);
	b = diff_builder_detect(tar_image(ar, 0)->config);
	tar_free(ar);
	return b;
}

Test(builders, recognised_from_real_histories)
{
	static const struct {
		const char *path;
		enum diff_builder want;
	} rows[] = {
		/* "COPY README.md /README.md # buildkit" */
		{ CORPUS "/fixtures/dive-oci-gzip.tar", DIFF_BUILDER_BUILDKIT },
		/* author "kaniko" on its own steps, over a legacy-built base */
		{ CORPUS "/fixtures/dive-kaniko.tar", DIFF_BUILDER_KANIKO },
		/* "/bin/sh -c chmod +x /root/saved.txt", no buildah label */
		{ CORPUS "/fixtures/dive-docker-legacy.tar", DIFF_BUILDER_DOCKER },
		/* buildah commit and bud: the io.buildah.version label */
		{ CORPUS "/real/rebuild-a.tar", DIFF_BUILDER_BUILDAH },
		{ CORPUS "/real/squash-bud-a.tar", DIFF_BUILDER_BUILDAH },
		/* "bazel build ..." by author Bazel: none of the rows */
		{ CORPUS "/fixtures/ggcr-image-1.tar", DIFF_BUILDER_UNKNOWN },
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		cr_assert_eq(builder_of(rows[i].path), rows[i].want, "%s: %s",
		    rows[i].path, diff_builder_name(builder_of(rows[i].path)));
	cr_assert_str_eq(diff_builder_name(DIFF_BUILDER_BUILDAH), "buildah/podman");
}

/* A result holding one finding. */
static void
one_finding(struct diff_result *r, struct diff_finding *f, enum diff_class c,
    enum diff_scope scope, enum diff_field field, const char *path)
{
	static char buf[128];

	memset(r, 0, sizeof(*r));
	memset(f, 0, sizeof(*f));
	f->cls = (uint8_t)c;
	f->scope = (uint8_t)scope;
	f->field_id = (uint8_t)field;
	if (path != NULL)
		snprintf(buf, sizeof(buf), "%s", path);
	f->path = path != NULL ? buf : NULL;
	f->layer = scope == DIFF_SCOPE_LAYER ? 2 : 0;
	r->findings = f;
	r->nfindings = 1;
	r->counts[c] = 1;
}

static bool
any_has(const char **h, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strstr(h[i], s) != NULL)
			return true;
	return false;
}

Test(builders, timestamp_hint_names_the_builders_switch)
{
	struct diff_result r;
	struct diff_finding f;
	const char *h[DIFF_HINTS_MAX];
	size_t n;

	one_finding(&r, &f, DIFF_TIMESTAMP, DIFF_SCOPE_LAYER, DIFF_FIELD_MTIME,
	    "etc");
	r.builder_a = r.builder_b = DIFF_BUILDER_KANIKO;
	n = diff_class_hints(&r, DIFF_TIMESTAMP, h, DIFF_HINTS_MAX);
	cr_assert_eq(n, 1);
	cr_assert(strstr(h[0], "--reproducible") && strstr(h[0],
	    "ignores SOURCE_DATE_EPOCH"), "%s", h[0]);
	r.builder_b = DIFF_BUILDER_BUILDKIT;
	n = diff_class_hints(&r, DIFF_TIMESTAMP, h, DIFF_HINTS_MAX);
	cr_assert_eq(n, 2);
	cr_assert(any_has(h, n, "rewrite-timestamp=true"));
	r.builder_a = r.builder_b = DIFF_BUILDER_BUILDAH;
	n = diff_class_hints(&r, DIFF_TIMESTAMP, h, DIFF_HINTS_MAX);
	cr_assert(n == 1 && strstr(h[0], "--timestamp"), "%s", h[0]);
	r.builder_a = r.builder_b = DIFF_BUILDER_DOCKER;
	n = diff_class_hints(&r, DIFF_TIMESTAMP, h, DIFF_HINTS_MAX);
	cr_assert(n == 1 && strstr(h[0], "ignores SOURCE_DATE_EPOCH"), "%s", h[0]);
	/* Unknown builders: the class's own hint, which says who ignores it. */
	r.builder_a = r.builder_b = DIFF_BUILDER_UNKNOWN;
	n = diff_class_hints(&r, DIFF_TIMESTAMP, h, DIFF_HINTS_MAX);
	cr_assert(n == 1 && h[0] == diff_class_hint(DIFF_TIMESTAMP));
	cr_assert(strstr(h[0], "kaniko and the legacy docker builder ignore"));
}

/* The hints for a result holding one finding of class c. */
static size_t
hints_for(enum diff_class c, enum diff_scope scope, enum diff_field field,
    const char *path, const char **h)
{
	struct diff_result r;
	struct diff_finding f;

	one_finding(&r, &f, c, scope, field, path);
	return diff_class_hints(&r, c, h, DIFF_HINTS_MAX);
}

/* A text file whose lines moved gets its cause's hint (sort the lines
   where the file is written), never tar --sort=name; with entries out of
   order in a layer too, both. */
Test(builders, line_order_gets_its_own_hint)
{
	struct diff_result r;
	struct diff_finding f[2];
	const char *h[DIFF_HINTS_MAX];
	size_t n;

	one_finding(&r, &f[0], DIFF_ORDERING, DIFF_SCOPE_LAYER, DIFF_FIELD_CONTENT,
	    "usr/share/app/plugins.list");
	f[0].cause.prover = DIFF_PROVER_LINES;
	f[0].cause.id = DIFF_CAUSE_LINE_ORDER;
	n = diff_class_hints(&r, DIFF_ORDERING, h, DIFF_HINTS_MAX);
	cr_assert_eq(n, 1);
	cr_assert(strstr(h[0], "LC_ALL=C sort") != NULL, "%s", h[0]);
	cr_assert(strstr(h[0], "--sort=name") == NULL, "%s", h[0]);
	f[1] = f[0];
	f[1].field_id = DIFF_FIELD_POSITION;
	memset(&f[1].cause, 0, sizeof(f[1].cause));
	r.findings = f;
	r.nfindings = 2;
	n = diff_class_hints(&r, DIFF_ORDERING, h, DIFF_HINTS_MAX);
	cr_assert_eq(n, 2);
	cr_assert(strstr(h[0], "LC_ALL=C sort") != NULL, "%s", h[0]);
	cr_assert(strstr(h[1], "--sort=name") != NULL, "%s", h[1]);
}

/* What a finding is about picks its hint: a layer split never gets tar
   --sort=name, a whiteout style has its own. */
Test(builders, hints_fit_what_the_finding_is_about)
{
	static const struct {
		enum diff_class c;
		enum diff_scope scope;
		enum diff_field field;
		const char *path, *has, *lacks;
	} rows[] = {
		/* an entry one layer carries and the other side in another */
		{ DIFF_ORDERING, DIFF_SCOPE_LAYER, DIFF_FIELD_ENTRY, "app/data",
		    "layer split", "--sort=name" },
		{ DIFF_ORDERING, DIFF_SCOPE_FS, DIFF_FIELD_LAYERS, NULL,
		    "layer split", "--sort=name" },
		/* entries in another order within one layer */
		{ DIFF_ORDERING, DIFF_SCOPE_LAYER, DIFF_FIELD_POSITION, "app/run.sh",
		    "--sort=name", "layer split" },
		{ DIFF_ENCODING, DIFF_SCOPE_LAYER, DIFF_FIELD_ENTRY,
		    "app/data/veg/.wh..wh..opq", "whiteout style", "tar writer" },
		{ DIFF_ENCODING, DIFF_SCOPE_LAYER, DIFF_FIELD_HEADER, "app/run.sh",
		    "tar writer", "whiteout style" },
	};
	const char *h[DIFF_HINTS_MAX];
	size_t i, n;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		n = hints_for(rows[i].c, rows[i].scope, rows[i].field, rows[i].path, h);
		cr_assert_eq(n, 1, "row %zu", i);
		cr_assert(strstr(h[0], rows[i].has) != NULL, "row %zu: %s", i, h[0]);
		cr_assert(strstr(h[0], rows[i].lacks) == NULL, "row %zu: %s", i, h[0]);
	}
}
