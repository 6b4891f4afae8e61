/*
 * diff_json.c - the diff for programs: schema imgdrift.diff/2
 * (docs/json-report.md).
 */
#include <stdlib.h>
#include <string.h>

#include "report/report_int.h"
#include "util/json.h"

/* One side of a file's check against its package's record, or null. */
static json_t *
check_side_json(const struct diff_check *k, int i)
{
	const struct pkg_check *c = &k->side[i];

	if (k->match[i] < 0)
		return json_null();
	return json_pack("{s:s, s:s, s:o, s:b, s:b, s:o, s:I}", "algorithm",
	    c->algo, "recorded", c->recorded, "file", k->absent[i] ?
	    json_null() : json_string(c->file), "matches", k->match[i] == 1,
	    "absent", k->absent[i], "recorded_size", c->recorded_size >= 0 ?
	    json_integer((json_int_t)c->recorded_size) : json_null(), "size",
	    (json_int_t)c->size);
}

/* The check of f's file against the digests its package's databases
   recorded (docs/json-report.md), null when there was none to make. */
static json_t *
record_check(const struct diff_result *r, const struct diff_finding *f)
{
	static const char *const states[] = {
		[DIFF_CHECK_PENDING] = "not-checked",
		[DIFF_CHECK_DONE] = "checked",
		[DIFF_CHECK_LIMIT] = "not-checked",
		[DIFF_CHECK_NO_BYTES] = "not-checked",
		[DIFF_CHECK_FAILED] = "failed",
	};
	const struct diff_check *k = &f->check;
	char *text;
	json_t *o;

	if (k->state == DIFF_CHECK_NONE)
		return json_null();
	text = report_check_text(r, f);
	o = json_pack("{s:s, s:o, s:o, s:o, s:o}", "state", states[k->state],
	    "limit", k->state == DIFF_CHECK_LIMIT &&
	    diff_look_name((enum diff_look)k->limit) != NULL ?
	    json_string(diff_look_name((enum diff_look)k->limit)) : json_null(),
	    "a", k->state == DIFF_CHECK_DONE ? check_side_json(k, 0) :
	    json_null(), "b", k->state == DIFF_CHECK_DONE ?
	    check_side_json(k, 1) : json_null(), "text", util_json_text(text));
	free(text);
	return o;
}

static json_t *
finding_json(const struct diff_result *r, const struct diff_finding *f)
{
	json_t *o = json_object();
	const struct diff_image *di = &r->images[f->image];
	char cause[DIFF_CAUSE_TEXT_MAX];

	json_object_set_new(o, "class", json_string(diff_class_name(f->cls)));
	json_object_set_new(o, "layer", f->layer > 0 ? json_integer(f->layer) :
	    json_null());
	json_object_set_new(o, "path", util_json_text(f->path));
	json_object_set_new(o, "field", util_json_text(f->field));
	json_object_set_new(o, "a", util_json_text(f->a));
	json_object_set_new(o, "b", util_json_text(f->b));
	json_object_set_new(o, "offset", f->offset >= 0 ?
	    json_integer((json_int_t)f->offset) : json_null());
	json_object_set_new(o, "cause", f->cause.prover == DIFF_PROVER_NONE ?
	    json_null() : util_json_text(diff_cause_text(&f->cause, cause,
	    sizeof(cause))));
	json_object_set_new(o, "explained", json_boolean(f->explained));
	json_object_set_new(o, "not_looked_into", diff_look_name(f->look) ?
	    json_string(diff_look_name(f->look)) : json_null());
	json_object_set_new(o, "detail", util_json_text(f->detail));
	json_object_set_new(o, "scope", json_string((const char *[]){ "archive",
	    "manifest", "config", "layer", "filesystem" }[f->scope]));
	json_object_set_new(o, "platform", util_json_text(di->platform));
	json_object_set_new(o, "ignored", json_boolean(f->ignored));
	json_object_set_new(o, "accepted", util_json_text(f->accepted));
	json_object_set_new(o, "package", util_json_text(f->package));
	json_object_set_new(o, "modified_after_install",
	    json_boolean(f->modified_after_install));
	json_object_set_new(o, "record_check", record_check(r, f));
	json_object_set_new(o, "package_database",
	    json_boolean(f->package_database));
	if (r->dockerfile != NULL)
		json_object_set_new(o, "lint", f->lint_rule == NULL ? json_null() :
		    json_pack("{s:s, s:i}", "rule", f->lint_rule, "line",
		    (json_int_t)f->lint_line));
	return o;
}

/* Every package that moved, in every image. */
static json_t *
packages_json(const struct diff_result *r)
{
	json_t *a = json_array(), *o;
	const struct diff_package *p;
	size_t k, i;

	for (k = 0; (p = report_package(r, k, &i)) != NULL; k++) {
		o = json_object();
		json_object_set_new(o, "ecosystem", json_string(pkg_eco_name(p->eco)));
		json_object_set_new(o, "name", util_json_text(p->name));
		json_object_set_new(o, "arch", util_json_text(p->arch));
		json_object_set_new(o, "path", p->where[0] != '\0' ?
		    util_json_text(p->where) : json_null());
		json_object_set_new(o, "a", util_json_text(p->a));
		json_object_set_new(o, "b", util_json_text(p->b));
		json_object_set_new(o, "change",
		    json_string(diff_pkg_change_name(p->change)));
		json_object_set_new(o, "files", json_integer((json_int_t)p->files));
		json_object_set_new(o, "platform", util_json_text(r->images[i].platform));
		json_array_append_new(a, o);
	}
	return a;
}

/* Every package file a bound left out, in every image. */
static json_t *
unread_json(const struct diff_result *r)
{
	json_t *a = json_array(), *o, *sides;
	const struct diff_pkg_unread *u;
	size_t k, i;

	for (k = 0; (u = report_unread(r, k, &i)) != NULL; k++) {
		o = json_object();
		sides = json_array();
		if (u->a)
			json_array_append_new(sides, json_string("A"));
		if (u->b)
			json_array_append_new(sides, json_string("B"));
		json_object_set_new(o, "ecosystem", json_string(pkg_eco_name(u->eco)));
		json_object_set_new(o, "path", util_json_text(u->path));
		json_object_set_new(o, "reason", util_json_text(u->why));
		json_object_set_new(o, "sides", sides);
		json_object_set_new(o, "platform", util_json_text(r->images[i].platform));
		json_array_append_new(a, o);
	}
	return a;
}

/* How far a layer's mtimes moved, or null when none did. */
static json_t *
shift_json(const struct diff_shift *s)
{
	json_t *o;

	if (s->n == 0)
		return json_null();
	o = json_object();
	json_object_set_new(o, "count", json_integer((json_int_t)s->n));
	json_object_set_new(o, "min", json_integer((json_int_t)s->min));
	json_object_set_new(o, "max", json_integer((json_int_t)s->max));
	json_object_set_new(o, "later", json_integer((json_int_t)s->later));
	json_object_set_new(o, "earlier", json_integer((json_int_t)s->earlier));
	return o;
}

/* The second look's limits, and what it read within them. */
static json_t *
look_json(const struct diff_result *r)
{
	json_t *o = json_object();

	json_object_set_new(o, "max_file", json_integer((json_int_t)r->look_max_file));
	json_object_set_new(o, "budget", json_integer((json_int_t)r->look_budget));
	json_object_set_new(o, "max_files",
	    json_integer((json_int_t)r->look_max_files));
	json_object_set_new(o, "files", json_integer((json_int_t)r->look_files));
	json_object_set_new(o, "bytes", json_integer((json_int_t)r->look_bytes));
	return o;
}

static json_t *
image_json(const struct diff_result *r, const struct diff_image *di)
{
	json_t *o = json_object(), *layers = json_array();
	size_t i;
	unsigned c;

	json_object_set_new(o, "platform", util_json_text(di->platform));
	json_object_set_new(o, "verdict", json_string(diff_verdict_name(di->verdict)));
	json_object_set_new(o, "in_a", json_boolean(di->in_a));
	json_object_set_new(o, "in_b", json_boolean(di->in_b));
	json_object_set_new(o, "manifest_a", util_json_digest_or_null(di->has_manifest_a,
	    di->manifest_a));
	json_object_set_new(o, "manifest_b", util_json_digest_or_null(di->has_manifest_b,
	    di->manifest_b));
	json_object_set_new(o, "config_a", util_json_digest_or_null(di->has_config_a,
	    di->config_a));
	json_object_set_new(o, "config_b", util_json_digest_or_null(di->has_config_b,
	    di->config_b));
	for (i = 0; i < di->nlayers; i++) {
		const struct diff_layer *l = &di->layers[i];
		json_t *lo = json_object(), *counts = json_object();

		json_object_set_new(lo, "layer", json_integer(l->index));
		json_object_set_new(lo, "step", util_json_text(l->step));
		if (r->dockerfile != NULL)
			json_object_set_new(lo, "dockerfile_line",
			    l->dockerfile_line > 0 ?
			    json_integer(l->dockerfile_line) : json_null());
		json_object_set_new(lo, "digest_a", util_json_digest_or_null(l->in_a, l->digest_a));
		json_object_set_new(lo, "digest_b", util_json_digest_or_null(l->in_b, l->digest_b));
		json_object_set_new(lo, "diff_id_a", util_json_digest_or_null(l->in_a,
		    l->diff_id_a));
		json_object_set_new(lo, "diff_id_b", util_json_digest_or_null(l->in_b,
		    l->diff_id_b));
		json_object_set_new(lo, "entries_a", json_integer((json_int_t)l->entries_a));
		json_object_set_new(lo, "entries_b", json_integer((json_int_t)l->entries_b));
		for (c = 0; c < DIFF_NCLASS; c++)
			if (l->counts[c] > 0)
				json_object_set_new(counts, diff_class_name(c),
				    json_integer((json_int_t)l->counts[c]));
		json_object_set_new(lo, "counts", counts);
		json_object_set_new(lo, "mtime_shift", shift_json(&l->shift));
		json_object_set_new(lo, "clamped_a", util_json_str(l->clamped_a));
		json_object_set_new(lo, "clamped_b", util_json_str(l->clamped_b));
		json_array_append_new(layers, lo);
	}
	json_object_set_new(o, "layers", layers);
	return o;
}

/* Stands for the findings in the document.  An image string may hold it
   too, but every one comes after "findings" (JSON_PRESERVE_ORDER), so the
   first one found is this. */
#define FINDINGS_MARK		"\001findings\001"
#define FINDINGS_MARK_JSON	"\"\\u0001findings\\u0001\""
#define DUMP_FLAGS		(JSON_INDENT(2) | JSON_PRESERVE_ORDER)

/* Write j as json_dumpf() would at depth 2 of the document (an element of
   a top-level array): each line indented by 4 more.  @return 0 or -1. */
static int
write_nested(FILE *fp, const json_t *j)
{
	char *s = util_json_dumps(j, DUMP_FLAGS), *p, *nl;

	if (s == NULL)
		return -1;
	fputs("    ", fp);
	for (p = s; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		fwrite(p, 1, (size_t)(nl - p) + 1, fp);
		fputs("    ", fp);
	}
	fputs(p, fp);
	free(s);
	return 0;
}

/* Write o with the findings of r in place of FINDINGS_MARK, as one
   json_dumpf() of the whole would.  @return 0 or -1. */
static int
write_doc(FILE *fp, const json_t *o, const struct diff_result *r)
{
	char *s = util_json_dumps(o, DUMP_FLAGS), *mark;
	json_t *f;
	size_t i;
	int rc = 0;

	if (s == NULL || (mark = strstr(s, FINDINGS_MARK_JSON)) == NULL) {
		free(s);
		return -1;
	}
	fwrite(s, 1, (size_t)(mark - s), fp);
	fputs(r->nfindings == 0 ? "[]" : "[\n", fp);
	for (i = 0; i < r->nfindings && rc == 0; i++) {
		f = finding_json(r, &r->findings[i]);
		rc = write_nested(fp, f);
		json_decref(f);
		fputs(i + 1 < r->nfindings ? ",\n" : "\n  ]", fp);
	}
	fputs(mark + strlen(FINDINGS_MARK_JSON), fp);
	fputc('\n', fp);
	free(s);
	return rc;
}

/* An accept entry as its file has it. */
static json_t *
accept_json(const struct diff_accept *x)
{
	json_t *o = json_object();

	json_object_set_new(o, "path", util_json_text(x->path));
	json_object_set_new(o, "class", x->has_class ?
	    json_string(diff_class_name(x->cls)) : json_null());
	json_object_set_new(o, "cause", util_json_text(x->cause));
	json_object_set_new(o, "reason", util_json_text(x->reason));
	return o;
}

/* The fix block (report_fix_hints()) as an object: a cause's hint under
   its label ("known-volatile:log"), a class's under its name, several
   joined by "; " most specific first. */
static json_t *
hints_json(const struct diff_result *r)
{
	struct report_hint v[REPORT_FIX_MAX];
	size_t i, n = report_fix_hints(r, v, REPORT_FIX_MAX);
	json_t *o = json_object(), *had;
	const char *key;
	char *s;

	for (i = 0; i < n; i++) {
		key = v[i].label[0] != '\0' ? v[i].label : v[i].what;
		if ((had = json_object_get(o, key)) == NULL) {
			json_object_set_new(o, key, json_string(v[i].text));
			continue;
		}
		s = xstrfmt("%s; %s", json_string_value(had), v[i].text);
		json_object_set_new(o, key, json_string(s));
		free(s);
	}
	return o;
}

static json_t *
input_json(const char *name, const char *format, bool have, const uint8_t d[32],
    bool fingerprint)
{
	json_t *o = json_object();

	json_object_set_new(o, "name", util_json_text(name));
	json_object_set_new(o, "format", json_string(format));
	json_object_set_new(o, "sha256", util_json_digest_or_null(have, d));
	json_object_set_new(o, "fingerprint", json_boolean(fingerprint));
	return o;
}

int
report_diff_json(FILE *fp, const struct diff_result *r,
    const struct report_style *st)
{
	json_t *o = json_object(), *classes = json_array(), *counts = json_object();
	json_t *ignored = json_array(), *a;
	json_t *inputs = json_object();
	size_t i;
	unsigned c;
	int rc;

	(void)st;	/* one form: no colour, no quiet variant */

	json_object_set_new(o, "schema", json_string("imgdrift.diff/2"));
	json_object_set_new(o, "verdict", json_string(diff_verdict_name(r->verdict)));
	json_object_set_new(o, "bare_layer", r->bare_layer != 0 ?
	    json_stringn(&r->bare_layer, 1) : json_null());
	json_object_set_new(o, "required", json_string(diff_verdict_name(r->required)));
	json_object_set_new(o, "meets", json_boolean(r->meets));
	for (c = 0; c < DIFF_NCLASS; c++) {
		if (r->counts[c] > 0) {
			json_array_append_new(classes, json_string(diff_class_name(c)));
			json_object_set_new(counts, diff_class_name(c),
			    json_integer((json_int_t)r->counts[c]));
		}
		if (r->ignored[c])
			json_array_append_new(ignored, json_string(diff_class_name(c)));
	}
	json_object_set_new(o, "packages", packages_json(r));
	json_object_set_new(o, "packages_not_read", unread_json(r));
	if (r->dockerfile != NULL)
		json_object_set_new(o, "dockerfile", util_json_text(r->dockerfile));
	json_object_set_new(o, "classes", classes);
	json_object_set_new(o, "counts", counts);
	json_object_set_new(o, "ignored", ignored);
	/* Written one by one in its place: every finding of a large image
	   as one tree would cost as much memory again as the findings. */
	json_object_set_new(o, "findings", json_string(FINDINGS_MARK));
	json_object_set_new(o, "findings_omitted",
	    json_integer((json_int_t)r->examples_dropped));
	json_object_set_new(inputs, "a", input_json(r->name_a, r->format_a,
	    r->have_sha_a, r->sha_a, r->fingerprint_a));
	json_object_set_new(inputs, "b", input_json(r->name_b, r->format_b,
	    r->have_sha_b, r->sha_b, r->fingerprint_b));

	json_object_set_new(o, "inputs", inputs);
	json_object_set_new(o, "entry_hash",
	    json_string(tar_hash_name((enum tar_hash)r->hash_kind)));
	a = json_array();
	for (i = 0; i < r->nimages; i++)
		json_array_append_new(a, image_json(r, &r->images[i]));
	json_object_set_new(o, "images", a);
	a = json_array();
	for (i = 0; i < r->nexcludes; i++) {
		json_t *x = json_object();

		json_object_set_new(x, "pattern", util_json_text(r->excludes[i].pattern));
		json_object_set_new(x, "removed",
		    json_integer((json_int_t)r->excludes[i].removed));
		json_array_append_new(a, x);
	}
	json_object_set_new(o, "excludes", a);
	json_object_set_new(o, "second_look", look_json(r));
	a = json_array();
	for (i = 0; i < r->nnotes; i++)
		json_array_append_new(a, util_json_text(r->notes[i]));
	json_object_set_new(o, "notes", a);
	json_object_set_new(o, "volatile_only", util_json_text(r->volatile_only));
	a = json_array();
	for (i = 0; i < r->naccept; i++)
		if (!r->accept_used[i])
			json_array_append_new(a, accept_json(&r->accept[i]));
	json_object_set_new(o, "accept_stale", a);
	json_object_set_new(o, "hints", hints_json(r));
	rc = write_doc(fp, o, r);
	json_decref(o);
	return rc == 0 && !ferror(fp) ? 0 : ERR_IO;
}
