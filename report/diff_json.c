/*
 * diff_json.c - the diff for programs: schema imgdrift.diff/1
 * (docs/json-report.md).
 */
#include <string.h>

#include "report/report_int.h"
#include "util/json.h"

static json_t *
finding_json(const struct diff_result *r, const struct diff_finding *f)
{
	json_t *o = json_object();
	const struct diff_image *di = &r->images[f->image];
	char cause[DIFF_CAUSE_TEXT_MAX];

	json_object_set_new(o, "class", json_string(diff_class_name(f->cls)));
	json_object_set_new(o, "layer", f->layer > 0 ? json_integer(f->layer) :
	    json_null());
	json_object_set_new(o, "path", util_json_str(f->path));
	json_object_set_new(o, "field", util_json_str(f->field));
	json_object_set_new(o, "a", util_json_str(f->a));
	json_object_set_new(o, "b", util_json_str(f->b));
	json_object_set_new(o, "offset", f->offset >= 0 ?
	    json_integer((json_int_t)f->offset) : json_null());
	json_object_set_new(o, "cause", f->cause.prover == DIFF_PROVER_NONE ?
	    json_null() : util_json_str(diff_cause_text(&f->cause, cause,
	    sizeof(cause))));
	json_object_set_new(o, "explained", json_boolean(f->explained));
	json_object_set_new(o, "detail", util_json_str(f->detail));
	json_object_set_new(o, "scope", json_string((const char *[]){ "archive",
	    "manifest", "config", "layer", "filesystem" }[f->scope]));
	json_object_set_new(o, "platform", util_json_str(di->platform));
	json_object_set_new(o, "ignored", json_boolean(f->ignored));
	json_object_set_new(o, "accepted", util_json_str(f->accepted));
	return o;
}

static json_t *
image_json(const struct diff_image *di)
{
	json_t *o = json_object(), *layers = json_array();
	size_t i;
	unsigned c;

	json_object_set_new(o, "platform", util_json_str(di->platform));
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
		json_object_set_new(lo, "step", util_json_str(l->step));
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
		json_array_append_new(layers, lo);
	}
	json_object_set_new(o, "layers", layers);
	return o;
}

/* An accept entry as its file has it. */
static json_t *
accept_json(const struct diff_accept *x)
{
	json_t *o = json_object();

	json_object_set_new(o, "path", util_json_str(x->path));
	json_object_set_new(o, "class", x->has_class ?
	    json_string(diff_class_name(x->cls)) : json_null());
	json_object_set_new(o, "cause", util_json_str(x->cause));
	json_object_set_new(o, "reason", util_json_str(x->reason));
	return o;
}

static json_t *
input_json(const char *name, const char *format, bool have, const uint8_t d[32],
    bool fingerprint)
{
	json_t *o = json_object();

	json_object_set_new(o, "name", util_json_str(name));
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
	json_t *ignored = json_array(), *findings = json_array(), *a;
	json_t *hints = json_object(), *inputs = json_object();
	size_t i;
	unsigned c;
	int rc;

	(void)st;	/* one form: no colour, no quiet variant */

	json_object_set_new(o, "schema", json_string("imgdrift.diff/1"));
	json_object_set_new(o, "verdict", json_string(diff_verdict_name(r->verdict)));
	json_object_set_new(o, "required", json_string(diff_verdict_name(r->required)));
	json_object_set_new(o, "meets", json_boolean(r->meets));
	for (c = 0; c < DIFF_NCLASS; c++) {
		if (r->counts[c] > 0) {
			json_array_append_new(classes, json_string(diff_class_name(c)));
			json_object_set_new(counts, diff_class_name(c),
			    json_integer((json_int_t)r->counts[c]));
			json_object_set_new(hints, diff_class_name(c),
			    json_string(diff_class_hint(c)));
		}
		if (r->ignored[c])
			json_array_append_new(ignored, json_string(diff_class_name(c)));
	}
	json_object_set_new(o, "classes", classes);
	json_object_set_new(o, "counts", counts);
	json_object_set_new(o, "ignored", ignored);
	for (i = 0; i < r->nfindings; i++)
		json_array_append_new(findings, finding_json(r, &r->findings[i]));
	json_object_set_new(o, "findings", findings);
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
		json_array_append_new(a, image_json(&r->images[i]));
	json_object_set_new(o, "images", a);
	a = json_array();
	for (i = 0; i < r->nexcludes; i++) {
		json_t *x = json_object();

		json_object_set_new(x, "pattern", util_json_str(r->excludes[i].pattern));
		json_object_set_new(x, "removed",
		    json_integer((json_int_t)r->excludes[i].removed));
		json_array_append_new(a, x);
	}
	json_object_set_new(o, "excludes", a);
	a = json_array();
	for (i = 0; i < r->nnotes; i++)
		json_array_append_new(a, util_json_str(r->notes[i]));
	json_object_set_new(o, "notes", a);
	a = json_array();
	for (i = 0; i < r->naccept; i++)
		if (!r->accept_used[i])
			json_array_append_new(a, accept_json(&r->accept[i]));
	json_object_set_new(o, "accept_stale", a);
	json_object_set_new(o, "hints", hints);
	rc = json_dumpf(o, fp, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', fp);
	json_decref(o);
	return rc == 0 && !ferror(fp) ? 0 : ERR_IO;
}
