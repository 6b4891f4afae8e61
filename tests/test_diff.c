/*
 * test_diff.c - matching, classification and verdicts, on pairs built with
 * one difference each; and the reports' escaping and determinism.
 */
#include <criterion/criterion.h>

#include "diff/diff.h"
#include "diff/diff_int.h"
#include "report/report.h"
#include "report/report_int.h"
#include "tar/tar.h"
#include "tests/testutil.h"

static const struct tu_ent base[] = {
	{ .path = "etc/" },
	{ .path = "etc/app.conf", .data = "port=8080\n" },
	{ .path = "usr/bin/app", .data = "#!/bin/sh\nexec true\n", .mode = 0755 },
	{ .path = "usr/bin/run", .symlink = "app" },
};
#define NBASE (sizeof(base) / sizeof(base[0]))

static const struct diff_opts d0 = { .require = DIFF_SAME_DIGEST };

struct pair {
	struct tar_archive *a, *b;
	struct diff_result *r;
	char pa[256], pb[256];
};

static void
compare(struct pair *p, const struct tu_ent *ea, size_t na,
    const struct tu_oci_opts *oa, const struct tu_ent *eb, size_t nb,
    const struct tu_oci_opts *ob, const struct diff_opts *d)
{
	static const struct diff_opts defaults = { .require = DIFF_SAME_DIGEST };
	struct err e = { 0, "" };

	tu_oci(tu_tmp(p->pa, sizeof(p->pa), "a"), ea, na, oa);
	tu_oci(tu_tmp(p->pb, sizeof(p->pb), "b"), eb, nb, ob);
	cr_assert_eq(tar_read(p->pa, NULL, &p->a, &e), 0, "%s", e.msg);
	cr_assert_eq(tar_read(p->pb, NULL, &p->b, &e), 0, "%s", e.msg);
	cr_assert_eq(diff_archives(p->a, "A", p->b, "B", d ? d : &defaults, &p->r,
	    &e), 0);
}

/* Free what a comparison made (the files stay). */
static void
release(struct pair *p)
{
	diff_result_free(p->r);
	tar_free(p->a);
	tar_free(p->b);
}

static void
done(struct pair *p)
{
	release(p);
	unlink(p->pa);
	unlink(p->pb);
}

/* @return whether a note of r starts with prefix. */
static bool
has_note(const struct diff_result *r, const char *prefix)
{
	size_t i;

	for (i = 0; i < r->nnotes; i++)
		if (strncmp(r->notes[i], prefix, strlen(prefix)) == 0)
			return true;
	return false;
}

/* The first example of a class, or NULL. */
static const struct diff_finding *
first(const struct diff_result *r, enum diff_class c)
{
	size_t i;

	for (i = 0; i < r->nfindings; i++)
		if (r->findings[i].cls == c)
			return &r->findings[i];
	return NULL;
}

static size_t
nclasses(const struct diff_result *r)
{
	size_t n = 0;
	unsigned c;

	for (c = 0; c < DIFF_NCLASS; c++)
		n += r->counts[c] > 0;
	return n;
}

Test(verdict, identical_bytes)
{
	struct tu_oci_opts o = { 0 };
	struct pair p;

	compare(&p, base, NBASE, &o, base, NBASE, &o, NULL);
	cr_assert_eq(p.r->verdict, DIFF_IDENTICAL);
	cr_assert_eq(p.r->nfindings, 0);
	cr_assert(p.r->meets);
	done(&p);
}

Test(verdict, retag_is_same_digest)
{
	struct tu_oci_opts oa = { .tag = "1.0" }, ob = { .tag = "1.0-rebuild" };
	struct pair p;

	compare(&p, base, NBASE, &oa, base, NBASE, &ob, NULL);
	cr_assert_eq(p.r->verdict, DIFF_SAME_DIGEST);
	cr_assert_eq(nclasses(p.r), 1);
	cr_assert_str_eq(first(p.r, DIFF_METADATA)->field, "tags");
	cr_assert_str_eq(first(p.r, DIFF_METADATA)->a, "1.0");
	done(&p);
}

Test(verdict, docker_vs_oci_is_byte_equivalent)
{
	struct tu_oci_opts oa = { .docker = true, .tag = "latest" }, ob = { .tag = "latest" };
	struct pair p;

	compare(&p, base, NBASE, &oa, base, NBASE, &ob, NULL);
	cr_assert_eq(p.r->verdict, DIFF_BYTE_EQUIVALENT, "%s",
	    diff_verdict_name(p.r->verdict));
	cr_assert_gt(p.r->counts[DIFF_METADATA], 0);
	cr_assert_eq(p.r->counts[DIFF_CONTENT], 0);
	done(&p);
}

Test(classes, compression_only)
{
	struct tu_oci_opts oa = { .layer_comp = 1 }, ob = { .layer_comp = 2 };
	const struct diff_finding *f;
	struct pair p;

	compare(&p, base, NBASE, &oa, base, NBASE, &ob, NULL);
	cr_assert_eq(p.r->verdict, DIFF_BYTE_EQUIVALENT);
	f = first(p.r, DIFF_COMPRESSION);
	cr_assert_not_null(f);
	cr_assert_eq(f->layer, 1);
	cr_assert_str_eq(f->field, "compression");
	cr_assert_str_eq(f->a, "gzip");
	cr_assert_str_eq(f->b, "zstd");
	cr_assert_eq(p.r->counts[DIFF_CONTENT] + p.r->counts[DIFF_TIMESTAMP], 0);
	done(&p);
}

Test(classes, timestamp_only_is_dependency_equivalent)
{
	struct tu_ent b[NBASE];
	struct tu_oci_opts oa = { 0 }, ob = { .created = "2024-02-01T00:00:00Z" };
	const struct diff_finding *f;
	struct pair p;
	size_t i;

	for (i = 0; i < NBASE; i++) {
		b[i] = base[i];
		b[i].mtime = 1700086400;
	}
	compare(&p, base, NBASE, &oa, b, NBASE, &ob, NULL);
	cr_assert_eq(p.r->verdict, DIFF_DEPENDENCY_EQUIVALENT);
	cr_assert_eq(p.r->counts[DIFF_TIMESTAMP], NBASE + 1);
	cr_assert_eq(p.r->counts[DIFF_CONTENT] + p.r->counts[DIFF_PERMISSION], 0);
	f = first(p.r, DIFF_TIMESTAMP);
	cr_assert_str_eq(f->field, "created");	/* config comes first */
	cr_assert_str_eq(f->b, "\"2024-02-01T00:00:00Z\"");
	/* The note says the B times are clamped to one value. */
	cr_assert_eq(p.r->nnotes, 2);
	cr_assert(strstr(p.r->notes[1], "every entry in B has mtime 2023-11-15T22:13:20Z"),
	    "%s", p.r->notes[1]);
	done(&p);
}

Test(classes, mtime_shifts_summed_up_per_layer)
{
	struct tu_ent a[NBASE], b[NBASE];
	struct tu_oci_opts o = { 0 };
	struct sbuf sb = SBUF_INIT;
	const struct diff_layer *l;
	struct pair p;
	size_t i;

	for (i = 0; i < NBASE; i++) {
		a[i] = b[i] = base[i];
		a[i].mtime = 1700000000 + (long)i;
		b[i].mtime = a[i].mtime + 77 + 20 * (long)i;
	}
	b[NBASE - 1].mtime = a[NBASE - 1].mtime - 5;
	compare(&p, a, NBASE, &o, b, NBASE, &o, NULL);
	l = &p.r->images[0].layers[0];
	cr_assert_eq(l->shift.n, NBASE);
	cr_assert_eq(l->shift.min, -5);
	cr_assert_eq(l->shift.max, 77 + 20 * (NBASE - 2));
	cr_assert_eq(l->shift.later, NBASE - 1);
	cr_assert_eq(l->shift.earlier, 1);
	cr_assert_null(l->clamped_a);
	report_shift(&sb, l);
	cr_assert_str_eq(sbuf_str(&sb), "4 mtimes moved -5 s .. +117 s, both ways: "
	    "3 later, 1 earlier, 0 within the second");
	done(&p);
	for (i = 0; i < NBASE; i++)
		b[i].mtime = 1700007200;
	compare(&p, a, NBASE, &o, b, NBASE, &o, NULL);
	l = &p.r->images[0].layers[0];
	sbuf_reset(&sb);
	report_shift(&sb, l);
	cr_assert_str_eq(sbuf_str(&sb), "4 mtimes moved +7197 s (2 h) .. +7200 s "
	    "(2 h), all later in B; B clamped to 2023-11-15T00:13:20Z");
	sbuf_release(&sb);
	done(&p);
}

Test(classes, permission_mode_and_owner)
{
	struct tu_ent b[NBASE];
	struct tu_oci_opts o = { 0 };
	struct pair p;
	size_t i, mode = 0, uid = 0;

	memcpy(b, base, sizeof(b));
	b[1].mode = 0600;
	b[2].uid = 1000;
	compare(&p, base, NBASE, &o, b, NBASE, &o, NULL);
	cr_assert_eq(p.r->verdict, DIFF_DIFFERENT);
	cr_assert_eq(nclasses(p.r), 1);
	for (i = 0; i < p.r->nfindings; i++) {
		if (strcmp(p.r->findings[i].field, "mode") == 0) {
			mode++;
			cr_assert_str_eq(p.r->findings[i].path, "etc/app.conf");
			cr_assert_str_eq(p.r->findings[i].a, "0644");
			cr_assert_str_eq(p.r->findings[i].b, "0600");
		}
		if (strcmp(p.r->findings[i].field, "uid") == 0)
			uid++;
	}
	cr_assert_eq(mode, 1);
	cr_assert_eq(uid, 1);
	done(&p);
}

Test(classes, content_and_added_entry)
{
	struct tu_ent b[NBASE + 1];
	struct tu_oci_opts o = { 0 };
	const struct diff_finding *f;
	struct err e = { 0, "" };
	struct pair p;

	memcpy(b, base, sizeof(base));
	b[1].data = "port=9090\n";	/* same size, other bytes */
	b[NBASE] = (struct tu_ent){ .path = "etc/new", .data = "x" };
	compare(&p, base, NBASE, &o, b, NBASE + 1, &o, NULL);
	cr_assert_eq(p.r->verdict, DIFF_DIFFERENT);
	cr_assert_eq(p.r->counts[DIFF_CONTENT], 2);
	f = first(p.r, DIFF_CONTENT);
	cr_assert_str_eq(f->path, "etc/app.conf");
	cr_assert_str_eq(f->field, "content");
	cr_assert_str_eq(p.r->findings[1].path, "etc/new");
	cr_assert_null(p.r->findings[1].a);
	cr_assert_eq(f->offset, -1, "no offset before the second look");
	cr_assert_eq(diff_second_look(p.r, p.a, p.b, &d0, &e), 0, "%s", e.msg);
	cr_assert_eq(f->offset, 5, "\"port=8080\" vs \"port=9090\"");
	cr_assert_eq(p.r->findings[1].offset, -1, "an added entry has no offset");
	done(&p);
}

Test(look, size_change_and_layout_directory)
{
	struct tu_ent b[NBASE];
	struct tu_oci_opts oa = { .as_dir = true, .layer_comp = 2 };
	struct tu_oci_opts ob = { .layer_comp = 1 };
	const struct diff_finding *f;
	struct err e = { 0, "" };
	struct pair p;
	char cmd[300];

	memcpy(b, base, sizeof(b));
	b[1].data = "port=8080\nhost=x\n";	/* A is a prefix of B */
	compare(&p, base, NBASE, &oa, b, NBASE, &ob, NULL);
	f = first(p.r, DIFF_CONTENT);
	cr_assert_str_eq(f->field, "size");
	cr_assert_eq(diff_second_look(p.r, p.a, p.b, &d0, &e), 0, "%s", e.msg);
	cr_assert_eq(f->offset, 10);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", p.pa);
	cr_assert_eq(system(cmd), 0);
	done(&p);
}

Test(look, changed_input_is_trouble)
{
	struct tu_ent b[NBASE];
	struct tu_oci_opts o = { 0 }, o2 = { .layer_comp = 1 };
	struct err e = { 0, "" };
	struct pair p;

	memcpy(b, base, sizeof(b));
	b[1].data = "port=9090\n";
	compare(&p, base, NBASE, &o, b, NBASE, &o, NULL);
	tu_oci(p.pb, b, NBASE, &o2);	/* B is rewritten after the first read */
	cr_assert_lt(diff_second_look(p.r, p.a, p.b, &d0, &e), 0);
	cr_assert(strstr(e.msg, "second look"), "%s", e.msg);
	done(&p);
}

Test(classes, ordering)
{
	struct tu_ent b[NBASE];
	struct tu_oci_opts o = { 0 };
	const struct diff_finding *f;
	struct pair p;
	size_t i;

	for (i = 0; i < NBASE; i++)
		b[i] = base[NBASE - 1 - i];
	compare(&p, base, NBASE, &o, b, NBASE, &o, NULL);
	cr_assert_eq(p.r->verdict, DIFF_DEPENDENCY_EQUIVALENT);
	cr_assert_eq(nclasses(p.r), 1);
	f = first(p.r, DIFF_ORDERING);
	cr_assert_str_eq(f->path, "etc");
	cr_assert_str_eq(f->field, "position");
	cr_assert(strstr(p.r->notes[0], "A is sorted by name, B is not"), "%s",
	    p.r->notes[0]);
	done(&p);
}

Test(classes, encoding_ustar_vs_pax)
{
	struct tu_oci_opts oa = { .tar_format = ARCHIVE_FORMAT_TAR_USTAR };
	struct tu_oci_opts ob = { .tar_format = ARCHIVE_FORMAT_TAR_GNUTAR };
	const struct diff_finding *f;
	struct pair p;

	compare(&p, base, NBASE, &oa, base, NBASE, &ob, NULL);
	cr_assert_eq(p.r->verdict, DIFF_DEPENDENCY_EQUIVALENT, "%s",
	    diff_verdict_name(p.r->verdict));
	f = first(p.r, DIFF_ENCODING);
	cr_assert_not_null(f);
	cr_assert_str_eq(f->field, "header");
	cr_assert_str_eq(f->a, "POSIX.1-1988 ustar (ustar)");
	cr_assert_str_eq(f->b, "GNU tar (gnu)");
	cr_assert_str_eq(diff_field_word(f->field_id), "tar header format");
	cr_assert_eq(p.r->counts[DIFF_CONTENT] + p.r->counts[DIFF_TIMESTAMP], 0);
	done(&p);
}

Test(classes, runtime_config_is_content)
{
	struct tu_oci_opts oa = { 0 }, ob = { .env = "PATH=/usr/bin" };
	const struct diff_finding *f;
	struct pair p;

	compare(&p, base, NBASE, &oa, base, NBASE, &ob, NULL);
	cr_assert_eq(p.r->verdict, DIFF_DIFFERENT);
	f = first(p.r, DIFF_CONTENT);
	cr_assert_str_eq(f->field, "config.Env");
	cr_assert_eq(f->scope, DIFF_SCOPE_CONFIG);
	done(&p);
}

/* Compare two images whose runtime configs differ as ra and rb say. */
static void
compare_runtime(struct pair *p, const char *ra, const char *rb)
{
	struct tu_oci_opts oa = { .runtime = ra }, ob = { .runtime = rb };

	compare(p, base, NBASE, &oa, base, NBASE, &ob, NULL);
}

/* Docker and the OCI runtime read null, "", {}, [] and absent alike. */
Test(classes, empty_runtime_forms_are_encoding)
{
	const struct diff_finding *f;
	struct pair p;

	compare_runtime(&p, "{\"Volumes\": null, \"ExposedPorts\": {}, "
	    "\"User\": \"\", \"WorkingDir\": \"/\", \"Entrypoint\": [], "
	    "\"OnBuild\": null, \"Labels\": {}, \"Shell\": [], "
	    "\"StopSignal\": \"\"}",
	    "{\"Volumes\": {}, \"WorkingDir\": \"\", \"Labels\": null}");
	cr_assert_eq(p.r->verdict, DIFF_DEPENDENCY_EQUIVALENT, "%s",
	    diff_verdict_name(p.r->verdict));
	cr_assert_eq(p.r->counts[DIFF_CONTENT], 0);
	cr_assert_eq(p.r->counts[DIFF_METADATA], 0);
	f = first(p.r, DIFF_ENCODING);
	cr_assert_not_null(f);
	cr_assert_eq(f->scope, DIFF_SCOPE_CONFIG);
	done(&p);
}

Test(classes, runtime_values_still_count)
{
	static const char *const pairs[][2] = {
		{ "{\"WorkingDir\": \"/app\"}", "{\"WorkingDir\": \"/\"}" },
		{ "{\"Cmd\": [\"/bin/sh\"]}", "{\"Cmd\": null}" },
		{ "{\"Volumes\": {\"/data\": {}}}", "{\"Volumes\": null}" },
		{ "{\"User\": \"0\"}", "{}" },
		{ "{\"Env\": [\"A=1\", \"A=2\"]}", "{\"Env\": [\"A=1\"]}" },
		{ "{\"Env\": [\"A=1\"]}", "{\"Env\": [\"A\"]}" },
		{ "{\"Env\": [\"A=1\"]}", "{\"Env\": null}" },
	};
	const struct diff_finding *f;
	struct pair p;
	size_t i;

	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		compare_runtime(&p, pairs[i][0], pairs[i][1]);
		cr_assert_eq(p.r->verdict, DIFF_DIFFERENT, "%s vs %s: %s",
		    pairs[i][0], pairs[i][1], diff_verdict_name(p.r->verdict));
		f = first(p.r, DIFF_CONTENT);
		cr_assert_not_null(f);
		cr_assert_eq(strncmp(f->field, "config.", 7), 0, "%s", f->field);
		done(&p);
	}
}

/* ra and rb mean the same runtime config: dependency-equivalent, with one
   finding of class cls on field. */
static void
same_meaning(const char *ra, const char *rb, enum diff_class cls,
    const char *field)
{
	const struct diff_finding *f;
	struct pair p;

	compare_runtime(&p, ra, rb);
	cr_assert_eq(p.r->verdict, DIFF_DEPENDENCY_EQUIVALENT, "%s",
	    diff_verdict_name(p.r->verdict));
	cr_assert_eq(p.r->counts[DIFF_CONTENT], 0);
	f = first(p.r, cls);
	cr_assert_not_null(f);
	cr_assert_str_eq(f->field, field);
	done(&p);
}

/* Env is a map: another order is ordering, a name given twice (the last
   wins) encoding. */
Test(classes, env_is_a_map)
{
	same_meaning("{\"Env\": [\"A=1\", \"B=2\"]}",
	    "{\"Env\": [\"B=2\", \"A=1\"]}", DIFF_ORDERING, "config.Env");
	same_meaning("{\"Env\": [\"A=0\", \"B=2\", \"A=1\"]}",
	    "{\"Env\": [\"A=1\", \"B=2\"]}", DIFF_ENCODING, "config.Env");
}

Test(classes, working_dir_root_is_the_default)
{
	same_meaning("{\"WorkingDir\": \"/\"}", "{\"WorkingDir\": \"\"}",
	    DIFF_ENCODING, "config.WorkingDir");
}

/* base with a root directory entry first, as `tar -C dir .` writes it. */
static void
with_root(struct tu_ent *e, const char *name, unsigned mode)
{
	e[0] = (struct tu_ent){ .path = name, .mode = mode };
	memcpy(e + 1, base, sizeof(base));
}

/* The root exists whether or not a layer names it: encoding, shown "/". */
Test(classes, root_entry_alone_is_encoding)
{
	static const char *const names[] = { "./", "/" };
	struct tu_ent a[NBASE + 1];
	struct tu_oci_opts o = { 0 };
	const struct diff_finding *f;
	struct pair p;
	size_t i;

	for (i = 0; i < 2; i++) {
		with_root(a, names[i], 0);
		compare(&p, a, NBASE + 1, &o, base, NBASE, &o, NULL);
		cr_assert_eq(p.r->verdict, DIFF_DEPENDENCY_EQUIVALENT, "%s: %s",
		    names[i], diff_verdict_name(p.r->verdict));
		cr_assert_eq(p.r->counts[DIFF_CONTENT], 0);
		f = first(p.r, DIFF_ENCODING);
		cr_assert_not_null(f);
		cr_assert_str_eq(f->path, "/");
		cr_assert_str_eq(f->a, "dir");
		cr_assert_null(f->b);
		done(&p);
	}
}

/* The root's own mode is the root's: a permission finding on "/". */
Test(classes, root_mode_is_the_roots)
{
	struct tu_ent a[NBASE + 1], b[NBASE + 1];
	struct tu_oci_opts o = { 0 };
	const struct diff_finding *f;
	struct pair p;

	with_root(a, "./", 0755);
	with_root(b, "/", 0700);
	compare(&p, a, NBASE + 1, &o, b, NBASE + 1, &o, NULL);
	cr_assert_eq(p.r->verdict, DIFF_DIFFERENT);
	cr_assert_eq(p.r->counts[DIFF_CONTENT], 0);
	f = first(p.r, DIFF_PERMISSION);
	cr_assert_not_null(f);
	cr_assert_str_eq(f->path, "/");
	cr_assert_str_eq(f->field, "mode");
	done(&p);
}

Test(options, ignore_relaxes_the_verdict_but_keeps_the_finding)
{
	struct tu_ent b[NBASE];
	struct tu_oci_opts o = { 0 };
	struct diff_opts d = { .require = DIFF_DEPENDENCY_EQUIVALENT };
	struct pair p;

	memcpy(b, base, sizeof(b));
	b[1].mode = 0600;
	d.ignore[DIFF_PERMISSION] = true;
	compare(&p, base, NBASE, &o, b, NBASE, &o, &d);
	cr_assert_eq(p.r->verdict, DIFF_DEPENDENCY_EQUIVALENT);
	cr_assert(p.r->meets);
	cr_assert_eq(p.r->counts[DIFF_PERMISSION], 1);
	cr_assert(first(p.r, DIFF_PERMISSION)->ignored);
	done(&p);
}

Test(options, exclude_removes_and_counts)
{
	struct tu_ent b[NBASE];
	struct tu_oci_opts o = { 0 };
	const char *ex[] = { "etc/*.conf" };
	struct diff_opts d = { .require = DIFF_SAME_DIGEST, .excludes = ex,
	    .nexcludes = 1 };
	struct pair p;

	memcpy(b, base, sizeof(b));
	b[1].data = "port=9090\n";
	compare(&p, base, NBASE, &o, b, NBASE, &o, &d);
	cr_assert_eq(p.r->counts[DIFF_CONTENT], 0);
	cr_assert_eq(p.r->verdict, DIFF_DEPENDENCY_EQUIVALENT);
	cr_assert_eq(p.r->excludes[0].removed, 1, "a path in both images, once");
	done(&p);
}

Test(options, excludes_as_users_write_them)
{
	struct tu_ent b[NBASE];
	struct tu_oci_opts o = { 0 };
	const char *ex[] = { "/etc/app.conf", "./etc/", "etc/", "/no/such/path" };
	struct diff_opts d = { .require = DIFF_SAME_DIGEST, .excludes = ex,
	    .nexcludes = 4 };
	struct pair p;
	size_t i;
	bool noted = false;

	memcpy(b, base, sizeof(b));
	b[1].data = "port=9090\n";
	compare(&p, base, NBASE, &o, b, NBASE, &o, &d);
	cr_assert_eq(p.r->counts[DIFF_CONTENT], 0);
	cr_assert_str_eq(p.r->excludes[0].pattern, "/etc/app.conf",
	    "shown as written");
	cr_assert_eq(p.r->excludes[0].removed, 1);
	cr_assert_eq(p.r->excludes[1].removed, 2, "etc and etc/app.conf");
	cr_assert_eq(p.r->excludes[2].removed, 2, "etc and etc/app.conf");
	cr_assert_eq(p.r->excludes[3].removed, 0);
	for (i = 0; i < p.r->nnotes; i++)
		noted |= strstr(p.r->notes[i], "'/no/such/path' matched no path") !=
		    NULL;
	cr_assert(noted, "an exclude that matched nothing is a note");
	done(&p);
}

Test(options, max_examples_limits_examples_not_counts)
{
	struct tu_ent a[40], b[40];
	struct tu_oci_opts o = { 0 };
	struct diff_opts d = { .require = DIFF_SAME_DIGEST, .max_examples = 3 };
	char names[40][16];
	struct pair p;
	size_t i;

	for (i = 0; i < 40; i++) {
		snprintf(names[i], sizeof(names[i]), "f%02zu", i);
		a[i] = (struct tu_ent){ .path = names[i], .data = "x" };
		b[i] = a[i];
		b[i].mtime = 1;
	}
	compare(&p, a, 40, &o, b, 40, &o, &d);
	cr_assert_eq(p.r->counts[DIFF_TIMESTAMP], 40);
	cr_assert_eq(p.r->nfindings, 3);
	cr_assert_eq(p.r->examples_dropped, 37);
	done(&p);
}

/* Does pattern, as a user writes it, leave out path? */
static bool
excluded(const char *pattern, const char *path)
{
	char *g = diff_exclude_glob(pattern);
	bool r;

	cr_assert_not_null(g, "%s", pattern);
	r = diff_path_excluded(g, path);
	free(g);
	return r;
}

Test(glob, exclude_patterns)
{
	cr_assert(excluded("var/cache/**", "var/cache/apt/x.bin"));
	cr_assert(excluded("var/log/dpkg.log", "var/log/dpkg.log"));
	cr_assert(excluded("var/cache", "var/cache/apt/x.bin"));
	cr_assert(excluded("var/cache/", "var/cache/apt"));
	cr_assert(excluded("var/cache/", "var/cache"), "the directory itself");
	cr_assert(excluded("/app/BUILD_DATE", "app/BUILD_DATE"));
	cr_assert(excluded("./var/log", "var/log/apt/history.log"));
	cr_assert(excluded("//var/./log//", "var/log"));
	cr_assert(excluded("var/lib/*/cache", "var/lib/x/cache/y"),
	    "a glob that matches a directory");
	cr_assert_not(excluded("var/cache", "var/cachex"));
	cr_assert_not(excluded("/var/cache/", "var/cachex/y"));
	cr_assert_not(excluded("var/log/*.log", "var/lib/x.log"));
	cr_assert_null(diff_exclude_glob("/"), "the root is every path");
	cr_assert_null(diff_exclude_glob("./"));
}

Test(names, verdicts_and_classes_round_trip)
{
	enum diff_verdict v;
	enum diff_class c;
	unsigned i;

	for (i = 0; i <= DIFF_DIFFERENT; i++) {
		cr_assert_eq(diff_verdict_parse(diff_verdict_name(i), &v), 0);
		cr_assert_eq(v, i);
	}
	for (i = 0; i < DIFF_NCLASS; i++) {
		cr_assert_eq(diff_class_parse(diff_class_name(i), &c), 0);
		cr_assert_eq(c, i);
		cr_assert_neq(diff_class_hint(i)[0], '\0');
	}
	cr_assert_eq(diff_verdict_parse("same", &v), -1);
	cr_assert_eq(diff_class_parse("mtime", &c), -1);
}

/* The level of each class is a column of the class table (DESIGN.md):
   only content and permission make a pair different. */
Test(names, class_levels_follow_the_design)
{
	cr_assert_eq(diff_class_level(DIFF_CONTENT), DIFF_DIFFERENT);
	cr_assert_eq(diff_class_level(DIFF_PERMISSION), DIFF_DIFFERENT);
	cr_assert_eq(diff_class_level(DIFF_COMPRESSION), DIFF_BYTE_EQUIVALENT);
	cr_assert_eq(diff_class_level(DIFF_TIMESTAMP), DIFF_DEPENDENCY_EQUIVALENT);
	cr_assert_eq(diff_class_level(DIFF_ORDERING), DIFF_DEPENDENCY_EQUIVALENT);
	cr_assert_eq(diff_class_level(DIFF_ENCODING), DIFF_DEPENDENCY_EQUIVALENT);
	cr_assert_eq(diff_class_level(DIFF_METADATA), DIFF_DEPENDENCY_EQUIVALENT);
}

Test(names, lists_come_from_the_table)
{
	char *s;

	s = diff_class_names(", ");
	cr_assert_str_eq(s, "compression, content, encoding, metadata, ordering, "
	    "permission, timestamp");
	free(s);
	s = diff_verdict_names(DIFF_DEPENDENCY_EQUIVALENT, "|");
	cr_assert_str_eq(s, "identical|same-digest|byte-equivalent|"
	    "dependency-equivalent");
	free(s);
	s = diff_verdict_names(DIFF_DIFFERENT, " ");
	cr_assert_str_eq(s, "identical same-digest byte-equivalent "
	    "dependency-equivalent different");
	free(s);
}

Test(names, formats_come_from_the_renderer_table)
{
	enum report_format f;
	char *s;
	unsigned i;

	s = report_format_names("|");
	cr_assert_str_eq(s, "text|json|markdown|junit|html");
	free(s);
	for (i = 0; i < REPORT_NFORMAT; i++) {
		cr_assert_eq(report_parse_format(report_renderers[i].name, &f), 0);
		cr_assert_eq(f, i);
		cr_assert_not_null(report_renderers[i].diff);
	}
	cr_assert_eq(report_parse_format("md", &f), 0);
	cr_assert_eq(f, REPORT_MARKDOWN);
	cr_assert_eq(report_parse_format("yaml", &f), -1);
}

/* Render into memory. */
static char *
render(const struct diff_result *r, enum report_format f)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	cr_assert_eq(report_diff(fp, r, f, false, false), 0);
	fclose(fp);
	return buf;
}

Test(report, hostile_names_are_escaped_everywhere)
{
	static const char evil[] = "etc/\x1b[31mred\xff\xfe|<b>`x`\xe2\x80\xae";
	struct tu_ent a[] = { { .path = evil, .data = "1" } };
	struct tu_ent b[] = { { .path = evil, .data = "2" } };
	struct tu_oci_opts o = { .platform_arch = "amd\x1b[1m64|<i>" };
	json_error_t je;
	json_t *j;
	struct pair p;
	char *out;
	enum report_format f;

	compare(&p, a, 1, &o, b, 1, &o, NULL);
	for (f = REPORT_TEXT; f <= REPORT_MARKDOWN; f++) {
		out = render(p.r, f);
		cr_assert_null(strchr(out, '\x1b'), "format %d: raw ESC", f);
		cr_assert_null(strstr(out, "\xff"), "format %d: raw invalid byte", f);
		cr_assert_null(strstr(out, "\xe2\x80\xae"), "format %d: raw RLO", f);
		cr_assert(strstr(out, f == REPORT_MARKDOWN ? "x1b\\[31mred" :
		    f == REPORT_JSON ? "u001B[31mred" : "x1b[31mred") != NULL,
		    "format %d: %s", f, out);
		if (f == REPORT_MARKDOWN)
			cr_assert_null(strstr(out, "<b>"), "markdown: raw HTML");
		if (f == REPORT_JSON) {
			j = json_loads(out, 0, &je);
			cr_assert_not_null(j, "JSON output parses: %s", je.text);
			/* The exact text, but for the bytes that are not UTF-8. */
			cr_assert_str_eq(json_string_value(json_object_get(
			    json_array_get(json_object_get(j, "findings"), 0),
			    "path")), "etc/\x1b[31mred\\xff\\xfe|<b>`x`\xe2\x80\xae");
			json_decref(j);
		}
		free(out);
	}
	done(&p);
}

Test(report, json_has_the_fixed_keys)
{
	struct tu_ent b[NBASE];
	struct tu_oci_opts o = { 0 };
	json_t *j, *f;
	struct pair p;
	char *out;

	memcpy(b, base, sizeof(b));
	b[1].mode = 0600;
	compare(&p, base, NBASE, &o, b, NBASE, &o, NULL);
	out = render(p.r, REPORT_JSON);
	j = json_loads(out, 0, NULL);
	cr_assert_str_eq(json_string_value(json_object_get(j, "schema")),
	    "imgdrift.diff/2");
	cr_assert_str_eq(json_string_value(json_object_get(j, "verdict")),
	    "different");
	cr_assert_str_eq(json_string_value(json_array_get(json_object_get(j,
	    "classes"), 0)), "permission");
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(j,
	    "counts"), "permission")), 1);
	f = json_array_get(json_object_get(j, "findings"), 0);
	cr_assert_str_eq(json_string_value(json_object_get(f, "class")),
	    "permission");
	cr_assert_eq(json_integer_value(json_object_get(f, "layer")), 1);
	cr_assert_str_eq(json_string_value(json_object_get(f, "path")),
	    "etc/app.conf");
	cr_assert_str_eq(json_string_value(json_object_get(f, "field")), "mode");
	cr_assert_str_eq(json_string_value(json_object_get(f, "a")), "0644");
	cr_assert_str_eq(json_string_value(json_object_get(f, "b")), "0600");
	json_decref(j);
	free(out);
	done(&p);
}

Test(report, output_is_deterministic)
{
	struct tu_ent b[NBASE];
	struct tu_oci_opts o = { 0 }, ob = { .created = "2025-01-01T00:00:00Z" };
	struct pair p;
	struct diff_result *again;
	struct diff_opts d = { .require = DIFF_SAME_DIGEST };
	struct err e = { 0, "" };
	char *x, *y;
	size_t i;

	for (i = 0; i < NBASE; i++) {
		b[i] = base[NBASE - 1 - i];
		b[i].mtime = 5;
	}
	compare(&p, base, NBASE, &o, b, NBASE, &ob, NULL);
	cr_assert_eq(diff_archives(p.a, "A", p.b, "B", &d, &again, &e), 0);
	for (i = REPORT_TEXT; i <= REPORT_MARKDOWN; i++) {
		x = render(p.r, (enum report_format)i);
		y = render(again, (enum report_format)i);
		cr_assert_str_eq(x, y);
		free(x);
		free(y);
	}
	diff_result_free(again);
	done(&p);
}

Test(look, entry_changed_under_the_same_name_is_trouble)
{
	struct tu_ent b[NBASE], c[NBASE];
	struct tu_oci_opts o = { .docker = true };
	struct err e = { 0, "" };
	struct pair p;

	/* A docker-archive names layers by directory, not by digest. */
	memcpy(b, base, sizeof(b));
	b[1].data = "port=9090\n";
	compare(&p, base, NBASE, &o, b, NBASE, &o, NULL);
	memcpy(c, base, sizeof(c));
	c[1].data = "port=7070\n";
	tu_oci(p.pb, c, NBASE, &o);
	cr_assert_eq(diff_second_look(p.r, p.a, p.b, &d0, &e), ERR_DIGEST);
	cr_assert(strstr(e.msg, "changed since it was read (layer 'abc/layer.tar', entry 'etc/app.conf')"),
	    "%s", e.msg);
	done(&p);
}

Test(look, a_file_over_the_limit_is_not_read_and_stays_content)
{
	size_t n = (5u << 20);
	char *x = malloc(n + 1), *y = malloc(n + 1);
	struct tu_ent a[1], b[1];
	struct tu_oci_opts o = { .layer_comp = 1 };
	struct err e = { 0, "" };
	const struct diff_finding *f;
	struct pair p;

	memset(x, 'a', n);
	x[n] = '\0';
	memcpy(y, x, n + 1);
	y[10] = 'b';
	a[0] = (struct tu_ent){ .path = "big", .data = x };
	b[0] = (struct tu_ent){ .path = "big", .data = y };
	compare(&p, a, 1, &o, b, 1, &o, NULL);
	cr_assert_eq(diff_second_look(p.r, p.a, p.b, &d0, &e), 0, "%s", e.msg);
	f = first(p.r, DIFF_CONTENT);
	cr_assert_eq(f->offset, -1);
	cr_assert_eq(f->look, DIFF_LOOK_FILE_SIZE);
	cr_assert_eq(p.r->verdict, DIFF_DIFFERENT);
	cr_assert(has_note(p.r, "1 file not looked into (over 4 MiB)"));
	free(x);
	free(y);
	done(&p);
}

static const struct diff_finding *
finding_at(const struct diff_result *r, const char *path)
{
	size_t i;

	for (i = 0; i < r->nfindings; i++)
		if (r->findings[i].path && strcmp(r->findings[i].path, path) == 0 &&
		    r->findings[i].cls == DIFF_CONTENT)
			return &r->findings[i];
	cr_assert_fail("no content finding at %s", path);
	return NULL;
}

Test(look, a_pyc_is_tied_to_its_changed_source)
{
	/* PEP 552 header (magic, flags 0, mtime, size), then the code. */
	static const char pa[] = "\xa7\x0d\x0d\x0a\0\0\0\0" "\x01\0\0\0\x0c\0\0\0" "code-one";
	static const char pb[] = "\xa7\x0d\x0d\x0a\0\0\0\0" "\x02\0\0\0\x0c\0\0\0" "code-two";
	static const struct tu_ent a[] = {
		{ .path = "app/__pycache__/m.cpython-311.pyc", .data = pa,
		    .len = sizeof(pa) - 1 },
		{ .path = "app/m.py", .data = "x = 1\n" },
	}, b[] = {
		{ .path = "app/__pycache__/m.cpython-311.pyc", .data = pb,
		    .len = sizeof(pb) - 1 },
		{ .path = "app/m.py", .data = "x = 2\n" },
	};
	struct tu_oci_opts o = { 0 };
	struct err e = { 0, "" };
	char cause[DIFF_CAUSE_TEXT_MAX];
	const struct diff_finding *f;
	struct pair p;

	compare(&p, a, 2, &o, b, 2, &o, NULL);
	cr_assert_eq(diff_second_look(p.r, p.a, p.b, &d0, &e), 0, "%s", e.msg);
	f = finding_at(p.r, "app/__pycache__/m.cpython-311.pyc");
	cr_assert_str_eq(diff_cause_text(&f->cause, cause, sizeof(cause)),
	    "pyc marshal data differs (bytes 16+): its source m.py changed");
	cr_assert(has_note(p.r, "1 file with other bytes not explained"));
	cr_assert(has_note(p.r, "1 compiled file (.pyc) differs because its "
	    "source beside it changed"));
	done(&p);
	/* The source alone moved its mtime: the pyc is a mystery of its own. */
	compare(&p, a, 2, &o, (const struct tu_ent[]){ b[0], a[1] }, 2, &o, NULL);
	cr_assert_eq(diff_second_look(p.r, p.a, p.b, &d0, &e), 0, "%s", e.msg);
	f = finding_at(p.r, "app/__pycache__/m.cpython-311.pyc");
	cr_assert_str_eq(diff_cause_text(&f->cause, cause, sizeof(cause)),
	    "pyc marshal data differs (bytes 16+)");
	cr_assert_not(has_note(p.r, "1 compiled file"));
	done(&p);
}

/* Three files whose bytes differ, a package database among them. */
static void
three_changed(struct pair *p, const struct diff_opts *d)
{
	static const struct tu_ent a[] = {
		{ .path = "etc/a.conf", .data = "a=1\n" },
		{ .path = "etc/b.conf", .data = "b=1\n" },
		{ .path = "var/lib/dpkg/status", .data = "Package: x\nVersion: 1\n" },
	}, b[] = {
		{ .path = "etc/a.conf", .data = "a=2\n" },
		{ .path = "etc/b.conf", .data = "b=2\n" },
		{ .path = "var/lib/dpkg/status", .data = "Package: x\nVersion: 2\n" },
	};
	struct tu_oci_opts o = { 0 };
	struct err e = { 0, "" };

	compare(p, a, 3, &o, b, 3, &o, d);
	cr_assert_eq(diff_second_look(p->r, p->a, p->b, d, &e), 0, "%s", e.msg);
}

Test(look, the_file_count_limit_reads_package_databases_first)
{
	struct diff_opts d = d0;
	struct pair p;
	char why[80];

	d.look_max_files = 2;
	three_changed(&p, &d);
	cr_assert_eq(finding_at(p.r, "var/lib/dpkg/status")->look, DIFF_LOOK_DONE);
	cr_assert_eq(finding_at(p.r, "etc/a.conf")->look, DIFF_LOOK_DONE,
	    "then the report's order");
	cr_assert_eq(finding_at(p.r, "etc/b.conf")->look, DIFF_LOOK_FILE_COUNT);
	cr_assert_eq(finding_at(p.r, "etc/b.conf")->offset, -1);
	cr_assert_str_eq(diff_look_text(p.r, DIFF_LOOK_FILE_COUNT, why,
	    sizeof(why)), "file-count limit of 2 files reached");
	cr_assert_eq(p.r->look_files, 2);
	done(&p);
}

Test(look, the_budget_and_the_file_size_limit)
{
	struct diff_opts d = d0;
	struct pair p;
	char why[80];

	d.look_budget = 15;	/* "a=1\n" and "a=2\n" only */
	three_changed(&p, &d);
	cr_assert_eq(finding_at(p.r, "var/lib/dpkg/status")->look, DIFF_LOOK_BUDGET);
	cr_assert_eq(finding_at(p.r, "etc/a.conf")->look, DIFF_LOOK_DONE);
	cr_assert_eq(finding_at(p.r, "etc/a.conf")->offset, 2);
	cr_assert_eq(finding_at(p.r, "etc/b.conf")->look, DIFF_LOOK_BUDGET);
	cr_assert_str_eq(diff_look_text(p.r, DIFF_LOOK_BUDGET, why, sizeof(why)),
	    "second-look budget of 15 bytes spent");
	cr_assert_eq(p.r->look_bytes, 8);
	cr_assert(has_note(p.r, "2 files not looked into (second-look budget"));
	done(&p);
	d = d0;
	d.look_max_file = 4;
	three_changed(&p, &d);
	cr_assert_eq(finding_at(p.r, "etc/a.conf")->look, DIFF_LOOK_DONE);
	cr_assert_eq(finding_at(p.r, "var/lib/dpkg/status")->look,
	    DIFF_LOOK_FILE_SIZE);
	cr_assert_str_eq(diff_look_text(p.r, DIFF_LOOK_FILE_SIZE, why, sizeof(why)),
	    "over 4 bytes");
	done(&p);
}

#include "diff/diff_int.h"

static struct tar_entry
ent(const char *path, enum tar_kind kind)
{
	struct tar_entry e;

	memset(&e, 0, sizeof(e));
	e.path = (char *)(uintptr_t)path;
	e.kind = (uint8_t)kind;
	return e;
}

Test(fs, whiteouts_opaque_dirs_and_files_over_dirs)
{
	struct tar_entry l1[] = { ent("d", TAR_DIR), ent("d/x", TAR_REG),
	    ent("e", TAR_DIR), ent("e/y", TAR_REG), ent("f", TAR_DIR),
	    ent("f/z", TAR_REG), ent("g", TAR_REG) };
	struct tar_entry l2[] = { ent("d", TAR_REG), ent("e/.wh..wh..opq", TAR_REG),
	    ent("e/new", TAR_REG), ent("f/.wh.z", TAR_REG), ent(".wh.g", TAR_REG) };
	struct tar_layer layers[2];
	struct tar_image im;
	struct fs fs;
	static const char *const want[] = { "d", "e", "e/new", "f" };
	size_t i;

	memset(layers, 0, sizeof(layers));
	memset(&im, 0, sizeof(im));
	layers[0].entries = l1;
	layers[0].nentries = sizeof(l1) / sizeof(l1[0]);
	layers[1].entries = l2;
	layers[1].nentries = sizeof(l2) / sizeof(l2[0]);
	im.layers = layers;
	im.nlayers = 2;
	diff_fs_build(&fs, &im, &d0);
	cr_assert_eq(fs.n, 4, "got %zu entries", fs.n);
	for (i = 0; i < fs.n; i++)
		cr_assert_str_eq(fs.v[i].e->path, want[i]);
	cr_assert_eq(fs.v[0].e->kind, TAR_REG, "a file replaced the directory d");
	diff_fs_release(&fs);
}

/* Sort a layer of the n entries l and assert the order want. */
static void
assert_order(const struct tar_entry *l, size_t n, const uint32_t *want)
{
	struct tar_layer layer;
	uint32_t *v;
	size_t i;

	memset(&layer, 0, sizeof(layer));
	layer.entries = l;
	layer.nentries = n;
	v = diff_layer_order(&layer, NULL);
	for (i = 0; i < n; i++)
		cr_assert_eq(v[i], want[i], "at %zu: %u, not %u", i, v[i], want[i]);
	free(v);
}

Test(fs, layer_order_is_by_path_and_stable)
{
	struct tar_entry l[] = { ent("b", TAR_REG), ent("a/x", TAR_REG),
	    ent("b", TAR_DIR), ent("a", TAR_DIR), ent("a/x", TAR_DIR),
	    ent("a-b", TAR_REG) };
	static const uint32_t want[] = { 3, 5, 1, 4, 0, 2 };

	assert_order(l, sizeof(l) / sizeof(l[0]), want);
}

/* Entry indices by path (strcmp, bytes unsigned), equal paths by index:
   what a stable sort gives. */
static const struct tar_entry *order_ref_entries;

static int
order_ref_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	int r = strcmp(order_ref_entries[x].path, order_ref_entries[y].path);

	return r != 0 ? r : x < y ? -1 : x > y;
}

/* A path that is hard to sort: from a few bytes that sort next to '/'
   ("-", ".", "0") and above 0x7f, often sharing a long prefix (cut at
   lengths around 8 and 16, where a radix sort's keys end) with a path
   before it, sometimes empty, sometimes 4096 bytes. */
static char *
order_path(unsigned *seed, char **prev, size_t nprev)
{
	static const char alphabet[] = { 'a', 'b', '/', '-', '.', '0', '\x7f',
	    '\x80', '\xc3', '\xa9', '\xff' };
	char *p = xcalloc(TAR_PATH_MAX + 1, 1);
	size_t len, keep = 0, i;

	*seed = *seed * 1103515245u + 12345u;
	switch ((*seed >> 16) % 8) {
	case 0:
		return p;	/* empty */
	case 1:
		len = TAR_PATH_MAX - (*seed >> 20) % 3;
		break;
	default:
		len = (*seed >> 19) % 24;
	}
	if (nprev > 0 && (*seed >> 24) % 4 != 0) {
		const char *q = prev[(*seed >> 8) % nprev];

		keep = strlen(q);
		*seed = *seed * 1103515245u + 12345u;
		if ((*seed >> 16) % 3 != 0 && keep > 0)
			keep -= (*seed >> 18) % (keep < 10 ? keep : 10);
		memcpy(p, q, keep);
		if (len < keep)
			len = keep + (*seed >> 28) % 3;
		if (len > TAR_PATH_MAX)
			len = TAR_PATH_MAX;
	}
	for (i = keep; i < len; i++) {
		*seed = *seed * 1103515245u + 12345u;
		p[i] = alphabet[(*seed >> 16) % sizeof(alphabet)];
	}
	return p;
}

Test(fs, layer_order_is_strcmp_order_on_hostile_paths)
{
	static const size_t sizes[] = { 0, 1, 2, 31, 32, 33, 64, 65, 300, 2000,
	    5000 };
	struct tar_entry *e;
	struct tar_layer layer;
	uint32_t *v, *want;
	char **paths;
	void *room;
	size_t k, n, i;
	unsigned seed = 18;
	int round;

	for (round = 0; round < 4; round++)
		for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
			n = sizes[k];
			e = xcalloc(n + 1, sizeof(*e));
			paths = xcalloc(n + 1, sizeof(*paths));
			want = xcalloc(n + 1, sizeof(*want));
			for (i = 0; i < n; i++) {
				paths[i] = order_path(&seed, paths, i);
				e[i] = ent(paths[i], TAR_REG);
				want[i] = (uint32_t)i;
			}
			order_ref_entries = e;
			qsort(want, n, sizeof(*want), order_ref_cmp);
			memset(&layer, 0, sizeof(layer));
			layer.entries = e;
			layer.nentries = n;
			/* Both ways: in room it is given, in its own. */
			room = round % 2 ? xcalloc(n + 1, DIFF_ORDER_ROOM) : NULL;
			v = diff_layer_order(&layer, room);
			for (i = 0; i < n; i++)
				cr_assert_eq(v[i], want[i], "round %d, %zu paths: at %zu "
				    "entry %u ('%.20s', %zu bytes), not %u ('%.20s')",
				    round, n, i, v[i], e[v[i]].path, strlen(e[v[i]].path),
				    want[i], e[want[i]].path);
			free(v);
			free(room);
			for (i = 0; i < n; i++)
				free(paths[i]);
			free(paths);
			free(want);
			free(e);
		}
}

Test(fs, layer_order_keeps_bytes_as_they_are)
{
	/* '/' sorts as the byte it is: after "-" and ".", before "0" and
	   above; bytes over 0x7f after every ASCII byte. */
	struct tar_entry l[] = { ent("a/b", TAR_REG), ent("a\xc3\xa9", TAR_REG),
	    ent("a.b", TAR_REG), ent("a0", TAR_REG), ent("a", TAR_DIR),
	    ent("a-b", TAR_REG), ent("", TAR_DIR), ent("a/b", TAR_DIR),
	    ent("a/", TAR_REG) };
	static const uint32_t want[] = { 6, 4, 5, 2, 8, 0, 7, 3, 1 };

	assert_order(l, sizeof(l) / sizeof(l[0]), want);
}

/* Paths in strcmp order, "a-b" between "a" and "a/b". */
static const char *const fs_names[] = { "a", "a-b", "a/b", "a/b/c", "a/c",
    "b", "b/a", "c" };
#define FS_NNAMES (sizeof(fs_names) / sizeof(fs_names[0]))

/* The final file system as the layers are applied one entry after the
   other (what the merge of sorted runs must give): win[i] set when entry
   i (path fs_names[name[i]], of layer[i]) is in it.  A file over a lower
   layer's directory hides what lower layers held below it. */
static void
apply_in_order(const struct tar_entry *all, const size_t *name,
    const int *layer, size_t n, bool *win)
{
	int opq[FS_NNAMES] = { 0 };
	size_t i, j, len;

	for (i = 0; i < n; i++) {
		for (j = 0; j < i; j++) {
			if (!win[j] || name[j] != name[i])
				continue;
			if (all[i].kind != TAR_DIR && all[j].kind == TAR_DIR &&
			    layer[j] < layer[i] && opq[name[i]] < layer[i])
				opq[name[i]] = layer[i];
			win[j] = false;
		}
		win[i] = true;
	}
	for (i = 0; i < n; i++)
		for (j = 0; j < FS_NNAMES && win[i]; j++) {
			len = strlen(fs_names[j]);
			if (opq[j] > layer[i] && strncmp(all[i].path, fs_names[j],
			    len) == 0 && all[i].path[len] == '/')
				win[i] = false;
		}
}

/*
 * Four random layers of up to 7 entries each into im (layers and all hold
 * them; at most 28): entry i has path names[name[i]] and is in layer[i]
 * (from 1), a directory or a file at random, a file where wh[name[i]] >= 0
 * (a whiteout; wh NULL: none).  @return the number of entries.
 */
static size_t
random_image(unsigned *seed, const char *const *names, size_t nnames,
    const int *wh, struct tar_entry *all, size_t *name, int *layer,
    struct tar_layer *layers, struct tar_image *im)
{
	size_t n = 0, i, k;
	bool dir;

	memset(layers, 0, 4 * sizeof(*layers));
	memset(im, 0, sizeof(*im));
	for (i = 0; i < 4; i++) {
		*seed = *seed * 1103515245u + 12345u;
		layers[i].entries = &all[n];
		layers[i].nentries = (*seed >> 16) % 8;
		for (k = 0; k < layers[i].nentries; k++, n++) {
			*seed = *seed * 1103515245u + 12345u;
			name[n] = (*seed >> 16) % nnames;
			dir = (*seed >> 24) & 1 && (wh == NULL || wh[name[n]] < 0);
			all[n] = ent(names[name[n]], dir ? TAR_DIR : TAR_REG);
			all[n].ordinal = (uint32_t)k;
			layer[n] = (int)i + 1;
		}
	}
	im->layers = layers;
	im->nlayers = 4;
	return n;
}

Test(fs, merged_runs_give_the_layers_applied_in_order)
{
	struct tar_entry all[32];
	struct tar_layer layers[4];
	struct tar_image im;
	struct fs fs;
	size_t name[32], round, i, n, k, got;
	int layer[32];
	bool win[32];
	unsigned seed = 7;

	for (round = 0; round < 500; round++) {
		n = random_image(&seed, fs_names, FS_NNAMES, NULL, all, name, layer,
		    layers, &im);
		apply_in_order(all, name, layer, n, win);
		diff_fs_build(&fs, &im, &d0);
		got = 0;
		for (k = 0; k < FS_NNAMES; k++)
			for (i = 0; i < n; i++) {
				if (!win[i] || name[i] != k)
					continue;
				cr_assert_lt(got, fs.n, "round %zu: '%s' missing", round,
				    all[i].path);
				cr_assert_eq(fs.v[got].e, &all[i], "round %zu: '%s' from "
				    "the wrong entry", round, all[i].path);
				cr_assert_eq(fs.v[got].layer, layer[i]);
				got++;
			}
		cr_assert_eq(got, fs.n, "round %zu: %zu entries, not %zu", round,
		    fs.n, got);
		diff_fs_release(&fs);
	}
}

/* Paths in strcmp order with whiteouts among them: wh_of[k] is the name
   whose entries the whiteout k hides (itself and below it, or only below
   it for an opaque marker), -1 when k is no whiteout. */
static const char *const wh_names[] = { ".wh.a", ".wh.b", "a", "a-b",
    "a/.wh..wh..opq", "a/.wh.b", "a/.wh.c", "a/b", "a/b/.wh.c", "a/b/c",
    "a/c", "b", "b/.wh..wh..opq", "b/a", "c" };
static const int wh_of[] = { 2, 11, -1, -1, 2, 7, 10, -1, 9, -1, -1, -1, 11,
    -1, -1 };
#define WH_NNAMES (sizeof(wh_names) / sizeof(wh_names[0]))

/* Is name k below name d ("d/...")? */
static bool
wh_below(size_t k, size_t d)
{
	size_t len = strlen(wh_names[d]);

	return strncmp(wh_names[k], wh_names[d], len) == 0 &&
	    wh_names[k][len] == '/';
}

/* Drop from present what layers below l hold at name d (also) or below
   it. */
static void
wh_drop(int *present, const int *layer, size_t d, bool also, int l)
{
	size_t k;

	for (k = 0; k < WH_NNAMES; k++)
		if (present[k] >= 0 && layer[present[k]] < l &&
		    ((also && k == d) || wh_below(k, d)))
			present[k] = -1;
}

/* The layers applied one after the other as an unpacker would: a layer's
   whiteouts remove what the layers below it left (the target and what is
   below it; an opaque marker what is below its directory), then its
   entries are written in tar order, a non-directory over a directory of a
   lower layer removing what lower layers held below it.  present[k]: the
   entry at name k after all layers, or -1. */
static void
apply_with_whiteouts(const struct tar_entry *all, const size_t *name,
    const int *layer, size_t n, int *present)
{
	int last[WH_NNAMES];
	size_t i, k;
	int l;

	for (k = 0; k < WH_NNAMES; k++)
		present[k] = last[k] = -1;
	for (l = 1; l <= 4; l++) {
		for (i = 0; i < n; i++)
			if (layer[i] == l && wh_of[name[i]] >= 0)
				wh_drop(present, layer, (size_t)wh_of[name[i]],
				    strstr(wh_names[name[i]], ".wh..wh..opq") == NULL, l);
		for (i = 0; i < n; i++) {
			if (layer[i] != l || wh_of[name[i]] >= 0)
				continue;
			k = name[i];
			if (last[k] >= 0 && all[last[k]].kind == TAR_DIR &&
			    layer[last[k]] < l && all[i].kind != TAR_DIR)
				wh_drop(present, layer, k, false, l);
			present[k] = last[k] = (int)i;
		}
	}
}

Test(fs, merged_runs_honour_whiteouts_and_opaque_dirs)
{
	struct tar_entry all[32];
	struct tar_layer layers[4];
	struct tar_image im;
	struct fs fs;
	size_t name[32], round, n, k, got;
	int layer[32], present[WH_NNAMES];
	unsigned seed = 18;

	for (round = 0; round < 2000; round++) {
		n = random_image(&seed, wh_names, WH_NNAMES, wh_of, all, name, layer,
		    layers, &im);
		apply_with_whiteouts(all, name, layer, n, present);
		diff_fs_build(&fs, &im, &d0);
		got = 0;
		for (k = 0; k < WH_NNAMES; k++) {
			if (present[k] < 0)
				continue;
			cr_assert_lt(got, fs.n, "round %zu: '%s' missing", round,
			    wh_names[k]);
			cr_assert_eq(fs.v[got].e, &all[present[k]], "round %zu: '%s' "
			    "from the wrong entry ('%s')", round, wh_names[k],
			    fs.v[got].e->path);
			cr_assert_eq(fs.v[got].layer, layer[present[k]]);
			got++;
		}
		cr_assert_eq(got, fs.n, "round %zu: %zu entries, not %zu (first "
		    "extra '%s')", round, fs.n, got, got < fs.n ?
		    fs.v[got].e->path : "");
		diff_fs_release(&fs);
	}
}

/* diff_layers() on x and y of one layer each with no final file system
   built (c->fs NULL): each pair of layers sorts itself then, in two
   threads, rather than reusing the runs of the final file systems.
   @return the result that holds its findings. */
static struct diff_result *
layers_alone(const struct tar_image *x, const struct tar_image *y)
{
	struct diff_result *r = xcalloc(1, sizeof(*r));
	struct dctx c;

	r->nimages = 1;
	r->images = xcalloc(1, sizeof(*r->images));
	r->images[0].nlayers = x->nlayers;
	r->images[0].layers = xcalloc(x->nlayers, sizeof(*r->images[0].layers));
	memset(&c, 0, sizeof(c));
	c.r = r;
	c.o = &d0;
	c.nlayers = x->nlayers;
	c.counting = true;
	c.examples = xcalloc((x->nlayers + 1) * DIFF_NCLASS, sizeof(*c.examples));
	memset(c.worst, DIFF_IDENTICAL, sizeof(c.worst));
	diff_layers(&c, x, y);
	free(c.examples);
	free(c.fsdiff);
	return r;
}

/* An image of the one layer l, whose digests are all bytes tag. */
static void
one_layer(struct tar_image *im, struct tar_layer *l, const struct tar_entry *e,
    size_t n, uint8_t tag)
{
	memset(im, 0, sizeof(*im));
	memset(l, 0, sizeof(*l));
	l->entries = e;
	l->nentries = n;
	l->present = true;
	memset(l->digest, tag, sizeof(l->digest));
	memset(l->diff_id, tag, sizeof(l->diff_id));
	im->layers = l;
	im->nlayers = 1;
}

Test(layers, a_pair_sorts_itself_when_no_final_file_system_was_built)
{
	/* Neither side in name order; "a/x" only in A, "b" another mode. */
	struct tar_entry ex[] = { ent("c", TAR_REG), ent("b", TAR_REG),
	    ent("a/x", TAR_REG), ent("a", TAR_DIR) };
	struct tar_entry ey[] = { ent("b", TAR_REG), ent("c", TAR_REG),
	    ent("a", TAR_DIR) };
	struct tar_layer lx, ly;
	struct tar_image x, y;
	struct diff_result *r;
	const struct diff_finding *f;

	ex[1].mode = 0644;
	ey[0].mode = 0600;
	one_layer(&x, &lx, ex, 4, 1);
	one_layer(&y, &ly, ey, 3, 2);
	r = layers_alone(&x, &y);
	cr_assert_eq(r->nfindings, 2, "%zu findings", r->nfindings);
	f = first(r, DIFF_CONTENT);
	cr_assert(f != NULL && strcmp(f->path, "a/x") == 0 && f->layer == 1,
	    "'a/x' only in A");
	f = first(r, DIFF_PERMISSION);
	cr_assert(f != NULL && strcmp(f->path, "b") == 0, "the mode of 'b'");
	cr_assert_eq(r->counts[DIFF_ORDERING], 0);
	diff_result_free(r);

	/* The same entries in another order: ordering only, the first
	   displaced entry named. */
	one_layer(&y, &ly, ex, 4, 2);
	ly.entries = (const struct tar_entry[]){ ex[3], ex[2], ex[1], ex[0] };
	r = layers_alone(&x, &y);
	f = first(r, DIFF_ORDERING);
	cr_assert(f != NULL && strcmp(f->path, "c") == 0, "'c' displaced");
	cr_assert_eq(r->counts[DIFF_CONTENT] + r->counts[DIFF_PERMISSION], 0);
	diff_result_free(r);
}

Test(notes, a_libarchive_warning_in_a_layer_is_a_note)
{
	static const struct tu_ent a1[] = { { .path = "a", .data = "x",
	    .mtime = 1 } };
	struct tbuf la, lb;
	struct pair p;
	struct err e = { 0, "" };
	size_t i;
	bool found = false;
	FILE *fp;

	tu_pax_layer(&la, "99 junk=1\n");
	tu_layer(&lb, a1, 1);
	fp = fopen(tu_tmp(p.pa, sizeof(p.pa), "a"), "w");
	fwrite(la.p, 1, la.n, fp);
	fclose(fp);
	fp = fopen(tu_tmp(p.pb, sizeof(p.pb), "b"), "w");
	fwrite(lb.p, 1, lb.n, fp);
	fclose(fp);
	cr_assert_eq(tar_read(p.pa, NULL, &p.a, &e), 0, "%s", e.msg);
	cr_assert_eq(tar_read(p.pb, NULL, &p.b, &e), 0, "%s", e.msg);
	cr_assert_eq(diff_archives(p.a, "A", p.b, "B", &d0, &p.r, &e), 0);
	for (i = 0; i < p.r->nnotes; i++)
		found |= strcmp(p.r->notes[i], "layer 1 of A: entry 1: libarchive: "
		    "Ignoring malformed pax extended attribute") == 0;
	cr_assert(found, "no note: %zu notes, first '%s'", p.r->nnotes,
	    p.r->nnotes ? p.r->notes[0] : "");
	for (i = 0; i < p.r->nnotes; i++)
		cr_assert_null(strstr(p.r->notes[i], "of B"), "%s", p.r->notes[i]);
	done(&p);
	tbuf_free(&la);
	tbuf_free(&lb);
}

Test(names, every_field_has_one_name)
{
	unsigned i, j;

	for (i = 0; i < DIFF_NFIELD; i++) {
		cr_assert_not_null(diff_field_name(i), "field %u", i);
		cr_assert_neq(diff_field_name(i)[0], '\0', "field %u", i);
		for (j = 0; j < i; j++)
			cr_assert_neq(strcmp(diff_field_name(i), diff_field_name(j)), 0,
			    "%s", diff_field_name(i));
	}
}

Test(names, a_finding_carries_its_field_id)
{
	struct tu_ent b1[NBASE];
	struct tu_oci_opts o = { 0 };
	struct pair p;
	const struct diff_finding *f;

	memcpy(b1, base, sizeof(b1));
	b1[1].mode = 0600;
	compare(&p, base, NBASE, &o, b1, NBASE, &o, NULL);
	f = first(p.r, DIFF_PERMISSION);
	cr_assert_not_null(f);
	cr_assert_eq(f->field_id, DIFF_FIELD_MODE);
	cr_assert_str_eq(f->field, "mode");
	done(&p);
}

/* Codes carry a word, and the raw value stays beside it. */
static void
assert_word(char *got, const char *want)
{
	cr_assert_str_eq(got, want);
	free(got);
}

Test(names, codes_have_words)
{
	assert_word(diff_gzip_xfl_str(4), "fastest (4)");
	assert_word(diff_gzip_xfl_str(2), "best (2)");
	assert_word(diff_gzip_xfl_str(0), "not set (0)");
	assert_word(diff_gzip_os_str(3), "Unix (3)");
	assert_word(diff_gzip_os_str(255), "unknown (255)");
	assert_word(diff_hdrfmt_str(TAR_FMT_PAX), "POSIX.1-2001 pax (pax)");
	assert_word(diff_hdrfmt_str(TAR_FMT_V7), "Unix V7 (v7)");
	/* Only the fields that differ are named. */
	assert_word(diff_zstd_fhd_str(0x04, 0x00), "checksum (0x04)");
	assert_word(diff_zstd_fhd_str(0x00, 0x04), "no checksum (0x00)");
	assert_word(diff_zstd_fhd_str(0x64, 0x01), "content size in 2 bytes, "
	    "single segment (window = content size), checksum, no dictionary id "
	    "(0x64)");
	assert_word(diff_zstd_fhd_str(0xc3, 0x00), "content size in 8 bytes, "
	    "dictionary id in 4 bytes (0xc3)");
	cr_assert_str_eq(diff_field_word(DIFF_FIELD_GZIP_XFL), "deflate level");
	cr_assert_null(diff_field_word(DIFF_FIELD_MODE));
}

/* Read two corpus/synthetic archives and compare them (free with
   release()). */
static int
compare_files(struct pair *p, const char *a, const char *b, struct err *e)
{
	snprintf(p->pa, sizeof(p->pa), "%s/synthetic/%s", CORPUS, a);
	snprintf(p->pb, sizeof(p->pb), "%s/synthetic/%s", CORPUS, b);
	cr_assert_eq(tar_read(p->pa, NULL, &p->a, e), 0, "%s", e->msg);
	cr_assert_eq(tar_read(p->pb, NULL, &p->b, e), 0, "%s", e->msg);
	p->r = NULL;
	return diff_archives(p->a, "A", p->b, "B", &d0, &p->r, e);
}

/* Issue 11 item 6: docker save a b and docker save b a. */
Test(pairing, by_tag_never_by_position_first)
{
	struct pair p;
	struct err e = { 0, "" };
	size_t i;

	cr_assert_eq(compare_files(&p, "two-ab.tar", "two-ba.tar", &e), 0);
	cr_assert_eq(p.r->verdict, DIFF_SAME_DIGEST);
	cr_assert_eq(p.r->nimages, 2);
	for (i = 0; i < 2; i++)
		cr_assert_eq(memcmp(p.r->images[i].config_a, p.r->images[i].config_b,
		    32), 0);
	release(&p);
	/* An image of one side only is named by its tag. */
	cr_assert_eq(compare_files(&p, "two-ab.tar", "two-b.tar", &e), 0);
	cr_assert_eq(p.r->verdict, DIFF_DIFFERENT);
	cr_assert_eq(p.r->findings[0].field_id, DIFF_FIELD_IMAGE);
	cr_assert_str_eq(p.r->findings[0].a, "a:1 (linux/amd64)");
	cr_assert_null(p.r->findings[0].b);
	release(&p);
}

/* Item 1: platforms one side holds and the other only lists are noted. */
Test(pairing, partial_saves_compare_what_both_hold)
{
	struct pair p;
	struct err e = { 0, "" };

	cr_assert_eq(compare_files(&p, "partial-amd64.tar", "partial-both.tar",
	    &e), 0);
	cr_assert_eq(p.r->verdict, DIFF_SAME_DIGEST);
	cr_assert_eq(p.r->nimages, 1);
	cr_assert_str_eq(p.r->images[0].platform, "linux/amd64");
	cr_assert_eq(p.r->nfindings, 0);
	cr_assert_geq(p.r->nnotes, 2);
	release(&p);
	cr_assert_eq(compare_files(&p, "partial-amd64.tar",
	    "partial-arm64-v2.tar", &e), ERR_USAGE);
	cr_assert(strstr(e.msg, "no image is in both A and B"), "%s", e.msg);
	cr_assert_null(p.r);
	release(&p);
}

/* Item 3: signatures beside the image are metadata at same-digest. */
Test(pairing, signatures_are_metadata)
{
	struct pair p;
	struct err e = { 0, "" };
	size_t i;

	cr_assert_eq(compare_files(&p, "signed.tar", "unsigned.tar", &e), 0);
	cr_assert_eq(p.r->verdict, DIFF_SAME_DIGEST);
	cr_assert_eq(p.r->counts[DIFF_METADATA], 3);
	for (i = 0; i < p.r->nfindings; i++) {
		cr_assert_eq(p.r->findings[i].field_id, DIFF_FIELD_LISTED);
		cr_assert_eq(p.r->findings[i].level, DIFF_SAME_DIGEST);
		cr_assert_null(p.r->findings[i].b);
	}
	release(&p);
}

/* Item 2: a layer not in the archive never proves equivalence. */
Test(pairing, absent_layer_hides_what_it_holds)
{
	struct pair p;
	struct err e = { 0, "" };

	cr_assert_eq(compare_files(&p, "sparse.tar", "sparse-full.tar", &e), 0);
	cr_assert_eq(p.r->verdict, DIFF_SAME_DIGEST);
	release(&p);
	cr_assert_eq(compare_files(&p, "sparse.tar", "sparse-other.tar", &e), 0);
	cr_assert_eq(p.r->verdict, DIFF_DIFFERENT);
	cr_assert_not_null(first(p.r, DIFF_CONTENT));
	release(&p);
}
