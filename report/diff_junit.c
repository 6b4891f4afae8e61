/*
 * diff_junit.c - the diff as JUnit XML, so that CI dashboards show drift
 * as failing tests: a <testsuite> per platform, a <testcase> for the image
 * (archive and manifest), the config, each layer and the final file
 * system.  A test case fails when its drift breaks the required level and
 * the image does not meet it; drift within the level is listed in
 * <system-out>.  The report's notes, once, are the first suite's own
 * <system-out>.  Checked against tests/junit.xsd.
 */
#include <stdlib.h>
#include <string.h>

#include "report/report_int.h"

#define JUNIT_LINES	20	/* examples in one failure's text */
#define JUNIT_STEP_MAX	80	/* characters of a step in a test-case name */

/* The JUnit report's one escaper (how: SBUF_ESC_JSON_TEXT for a value
   that is JSON text). */
static void
xml_add_n(struct sbuf *sb, const char *s, size_t n, unsigned how)
{
	sbuf_add_escaped_for(sb, s, n, SBUF_ESC_XML | how);
}

static void
xml_add_as(struct sbuf *sb, const char *s, unsigned how)
{
	xml_add_n(sb, s, strlen(s), how);
}

static void
xml_add(struct sbuf *sb, const char *s)
{
	xml_add_as(sb, s, 0);
}

/* A group of findings: one test case. */
struct group {
	const char *name;
	size_t image;
	enum diff_scope scope, scope2;	/* scope2: a second scope, or scope */
	int layer;
	const size_t *counts;		/* per class, for a layer; else NULL */
	uint8_t verdict;		/* the image's */
};

static bool
in_group(const struct group *g, const struct diff_finding *f)
{
	return f->image == g->image && (f->scope == g->scope ||
	    f->scope == g->scope2) && f->layer == g->layer;
}

static bool
breaks(const struct diff_result *r, const struct diff_finding *f)
{
	return !f->ignored && f->accepted == NULL && f->level > r->required;
}

/* Per class: how many findings of the group, and the worst one breaking. */
static void
tally(const struct diff_result *r, const struct group *g,
    size_t n[DIFF_NCLASS], bool brk[DIFF_NCLASS])
{
	size_t i;
	unsigned c;

	memset(n, 0, DIFF_NCLASS * sizeof(*n));
	memset(brk, 0, DIFF_NCLASS * sizeof(*brk));
	for (i = 0; i < r->nfindings; i++)
		if (in_group(g, &r->findings[i])) {
			n[r->findings[i].cls]++;
			if (breaks(r, &r->findings[i]))
				brk[r->findings[i].cls] = true;
		}
	if (g->counts != NULL)
		for (c = 0; c < DIFF_NCLASS; c++)
			n[c] = g->counts[c];
}

static void
class_list(struct sbuf *sb, const size_t n[DIFF_NCLASS],
    const bool brk[DIFF_NCLASS], bool want)
{
	const char *sep = "";
	unsigned c;

	for (c = 0; c < DIFF_NCLASS; c++) {
		if (n[c] == 0 || brk[c] != want)
			continue;
		sbuf_addf(sb, "%s%s (%zu)", sep, diff_class_name(c), n[c]);
		sep = ", ";
	}
}

/* What the second look found of a finding: its cause, why it was not
   looked into, its evidence (a text diff, a hex context). */
static void
looked(struct sbuf *sb, const struct diff_result *r,
    const struct diff_finding *f)
{
	char cause[DIFF_CAUSE_TEXT_MAX], why[80];
	const char *d, *nl;

	if (f->cause.prover != DIFF_PROVER_NONE) {
		sbuf_addf(sb, "    %s: ", report_cause_word(f));
		xml_add(sb, diff_cause_text(&f->cause, cause, sizeof(cause)));
		sbuf_addc(sb, '\n');
	}
	if (diff_look_name(f->look) != NULL)
		sbuf_addf(sb, "    not looked into: %s\n",
		    diff_look_text(r, f->look, why, sizeof(why)));
	for (d = f->detail; d != NULL && *d != '\0'; d = nl + (*nl != '\0')) {
		nl = strchrnul(d, '\n');
		sbuf_addstr(sb, "    | ");
		xml_add_n(sb, d, (size_t)(nl - d), 0);
		sbuf_addc(sb, '\n');
	}
}

static void
example_lines(struct sbuf *sb, const struct diff_result *r,
    const struct group *g)
{
	struct sbuf shift = SBUF_INIT;
	size_t i, k = 0;

	/* A layer's mtime drift in one line, before its examples. */
	if (g->counts != NULL && g->layer > 0)
		report_shift(&shift, &r->images[g->image].layers[g->layer - 1]);
	if (shift.len > 0)
		sbuf_addf(sb, "%s: %s\n", diff_class_name(DIFF_TIMESTAMP),
		    sbuf_str(&shift));
	sbuf_release(&shift);
	for (i = 0; i < r->nfindings && k < JUNIT_LINES; i++) {
		const struct diff_finding *f = &r->findings[i];

		if (!in_group(g, f))
			continue;
		k++;
		sbuf_addf(sb, "%s: ", diff_class_name(f->cls));
		if (f->path != NULL) {
			xml_add(sb, f->path);
			sbuf_addstr(sb, "  ");
		}
		xml_add(sb, f->field);
		sbuf_addstr(sb, "  ");
		if (diff_field_word(f->field_id) != NULL)
			sbuf_addf(sb, "%s: ", diff_field_word(f->field_id));
		xml_add_as(sb, f->a != NULL ? f->a : "(absent)",
		    f->json_values ? SBUF_ESC_JSON_TEXT : 0);
		sbuf_addstr(sb, " -&gt; ");
		xml_add_as(sb, f->b != NULL ? f->b : "(absent)",
		    f->json_values ? SBUF_ESC_JSON_TEXT : 0);
		if (f->offset >= 0)
			sbuf_addf(sb, "  (first difference at byte %lld)",
			    (long long)f->offset);
		if (f->accepted != NULL) {
			sbuf_addstr(sb, "  (accepted: ");
			xml_add(sb, f->accepted);
			sbuf_addc(sb, ')');
		}
		sbuf_addc(sb, '\n');
		looked(sb, r, f);
	}
}

/* @return true when the test case failed. */
static bool
testcase(struct sbuf *sb, const struct diff_result *r, const struct group *g,
    const char *suite, bool failing, bool force)
{
	size_t n[DIFF_NCLASS];
	bool brk[DIFF_NCLASS], fail = false, any = false;
	unsigned c;

	tally(r, g, n, brk);
	for (c = 0; c < DIFF_NCLASS; c++) {
		fail = fail || (failing && brk[c] && n[c] > 0);
		any = any || n[c] > 0;
	}
	fail = fail || force;
	sbuf_addstr(sb, "    <testcase classname=\"imgdrift.");
	xml_add(sb, suite);
	sbuf_addstr(sb, "\" name=\"");
	xml_add(sb, g->name);
	sbuf_addstr(sb, "\" time=\"0\"");
	if (!fail && !any) {
		sbuf_addstr(sb, "/>\n");
		return false;
	}
	sbuf_addstr(sb, ">\n");
	if (fail) {
		sbuf_addstr(sb, "      <failure type=\"drift\" message=\"");
		if (force)
			sbuf_addstr(sb, "the digests");
		else
			class_list(sb, n, brk, true);
		sbuf_addf(sb, " break the required level %s (the image is %s)\">",
		    diff_verdict_name(r->required), diff_verdict_name(g->verdict));
		example_lines(sb, r, g);
		sbuf_addstr(sb, "</failure>\n");
	} else {
		sbuf_addstr(sb, "      <system-out>drift within the required level: ");
		class_list(sb, n, brk, false);
		class_list(sb, n, brk, true);
		sbuf_addstr(sb, "\n");
		example_lines(sb, r, g);
		sbuf_addstr(sb, "</system-out>\n");
	}
	sbuf_addstr(sb, "    </testcase>\n");
	return fail;
}

static void
property(struct sbuf *sb, const char *name, const char *value)
{
	sbuf_addf(sb, "      <property name=\"%s\" value=\"", name);
	xml_add(sb, value != NULL ? value : "");
	sbuf_addstr(sb, "\"/>\n");
}

/* The report's notes, a line each, as a suite's <system-out>. */
static void
notes(struct sbuf *sb, const struct diff_result *r)
{
	size_t i;

	if (r->nnotes == 0)
		return;
	sbuf_addstr(sb, "    <system-out>notes:\n");
	for (i = 0; i < r->nnotes; i++) {
		xml_add(sb, r->notes[i]);
		sbuf_addc(sb, '\n');
	}
	sbuf_addstr(sb, "</system-out>\n");
}

/* One platform: its cases into body, and with_notes the report's notes;
   @return the number of failures. */
static size_t
suite(struct sbuf *body, const struct diff_result *r, size_t image,
    bool with_notes, size_t *tests)
{
	const struct diff_image *di = &r->images[image];
	const char *plat = di->platform != NULL ? di->platform : "image";
	bool failing = di->verdict > r->required;
	struct group g = { "image", image, DIFF_SCOPE_ARCHIVE, DIFF_SCOPE_MANIFEST,
	    0, NULL, di->verdict };
	struct sbuf cases = SBUF_INIT, name = SBUF_INIT;
	size_t fails = 0, i, n = 0;

	fails += testcase(&cases, r, &g, plat, failing, false);
	n++;
	g.name = "config";
	g.scope = g.scope2 = DIFF_SCOPE_CONFIG;
	fails += testcase(&cases, r, &g, plat, failing, false);
	n++;
	for (i = 0; i < di->nlayers; i++) {
		/* Short and stable: the layer's number (not "of N") and its
		   step, white space folded and cut. */
		sbuf_reset(&name);
		sbuf_addf(&name, "layer %d", di->layers[i].index);
		if (di->layers[i].step != NULL) {
			char *step = report_cut(di->layers[i].step, JUNIT_STEP_MAX, true);

			sbuf_addf(&name, ": %s", step);
			free(step);
		}
		g.name = sbuf_str(&name);
		g.scope = g.scope2 = DIFF_SCOPE_LAYER;
		g.layer = di->layers[i].index;
		g.counts = di->layers[i].counts;
		fails += testcase(&cases, r, &g, plat, failing, false);
		n++;
	}
	g.name = "file system";
	g.scope = g.scope2 = DIFF_SCOPE_FS;
	g.layer = 0;
	g.counts = NULL;
	/* Failing with no finding to show (the digests alone): say so here. */
	fails += testcase(&cases, r, &g, plat, failing, failing && fails == 0);
	n++;
	sbuf_addstr(body, "  <testsuite name=\"");
	xml_add(body, plat);
	sbuf_addf(body, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
	    "skipped=\"0\" time=\"0\">\n    <properties>\n", n, fails);
	property(body, "verdict", diff_verdict_name(di->verdict));
	property(body, "required", diff_verdict_name(r->required));
	if (report_layer_claim(r) != NULL)
		property(body, "compared", report_layer_claim(r));
	sbuf_addstr(body, "    </properties>\n");
	sbuf_add(body, cases.buf, cases.len);
	if (with_notes)
		notes(body, r);
	sbuf_addstr(body, "  </testsuite>\n");
	sbuf_release(&cases);
	sbuf_release(&name);
	*tests += n;
	return fails;
}

int
report_diff_junit(FILE *fp, const struct diff_result *r,
    const struct report_style *st)
{
	struct sbuf body = SBUF_INIT, head = SBUF_INIT;
	size_t i, tests = 0, fails = 0;

	(void)st;	/* one form: no colour, no quiet variant */

	for (i = 0; i < r->nimages; i++)
		fails += suite(&body, r, i, i == 0, &tests);
	sbuf_addstr(&head, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<testsuites name=\"imgdrift diff ");
	xml_add(&head, r->name_a);
	sbuf_addstr(&head, " ");
	xml_add(&head, r->name_b);
	sbuf_addf(&head, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
	    "time=\"0\">\n", tests, fails);
	fputs(sbuf_str(&head), fp);
	fputs(sbuf_str(&body), fp);
	fputs("</testsuites>\n", fp);
	sbuf_release(&body);
	sbuf_release(&head);
	return ferror(fp) ? ERR_IO : 0;
}
