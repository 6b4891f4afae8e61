/*
 * diff_md.c - the diff for a pull-request comment or a CI job summary: a
 * verdict line, a table of classes and one of layers (with their steps),
 * and per class a <details> block with its findings, their evidence (text
 * diffs, hex contexts) and the fixes their causes call for.
 *
 * GitHub takes at most 1 MiB for a job summary: the report is built in
 * memory and what would pass REPORT_MD_MAX is left out, and said so.
 */
#include <stdlib.h>
#include <string.h>

#include "report/report_int.h"

#define MD_STEP_MAX	60	/* step characters in the layer table */
#define MD_RESERVE	4096	/* for closing tags and what was cut */

struct mdctx {
	struct sbuf out;	/* the report so far */
	struct sbuf piece;	/* a row or block being built */
	size_t cut_rows, cut_blocks;
};

/*
 * The renderer's escaper.  Image strings in Markdown text (table cells,
 * list items) are escaped for Markdown; in HTML blocks (<summary>, <pre>),
 * where Markdown is not read, for HTML.  s NULL: "(absent)".
 */
static void
esc_n(struct sbuf *sb, const char *s, size_t n, bool html, unsigned how)
{
	sbuf_add_escaped_for(sb, s, n, (html ? SBUF_ESC_XML : SBUF_ESC_MARKDOWN) |
	    how);
}

/* how: SBUF_ESC_JSON_TEXT for a value that is JSON text. */
static void
esc_as(struct sbuf *sb, const char *s, bool html, unsigned how)
{
	if (s == NULL)
		sbuf_addstr(sb, html ? "(absent)" : "*(absent)*");
	else
		esc_n(sb, s, strlen(s), html, how);
}

static void
esc(struct sbuf *sb, const char *s, bool html)
{
	esc_as(sb, s, html, 0);
}

/* Append m->piece to the report when it fits, else count it as cut.
   @return whether it was kept. */
static bool
emit(struct mdctx *m, bool block)
{
	bool fits = m->out.len + m->piece.len + MD_RESERVE <= REPORT_MD_MAX;

	if (fits)
		sbuf_add(&m->out, m->piece.buf, m->piece.len);
	else if (block)
		m->cut_blocks++;
	else
		m->cut_rows++;
	sbuf_reset(&m->piece);
	return fits;
}

/* Where a finding hangs: its layer, or the part of the image; with
   several platforms, whose. */
static void
where_cell(struct sbuf *sb, const struct diff_result *r,
    const struct diff_finding *f)
{
	static const char *const scope_names[] = { "archive", "manifest",
	    "config", "", "file system" };

	if (r->nimages > 1) {
		esc(sb, report_platform(&r->images[f->image]), false);
		sbuf_addc(sb, ' ');
	}
	if (f->scope == DIFF_SCOPE_LAYER)
		sbuf_addf(sb, "%s%d", r->nimages > 1 ? "layer " : "", f->layer);
	else
		sbuf_addstr(sb, scope_names[f->scope]);
}

static void
class_table(struct mdctx *m, const struct diff_result *r)
{
	struct sbuf where = SBUF_INIT;
	unsigned c;

	for (c = 0; c < DIFF_NCLASS && r->counts[c] == 0; c++)
		;
	if (c == DIFF_NCLASS) {
		sbuf_addstr(&m->piece, "No drift found.\n");
		emit(m, true);
		return;
	}
	sbuf_addstr(&m->piece, "| class | total | where |\n|---|---:|---|\n");
	for (c = 0; c < DIFF_NCLASS; c++) {
		if (r->counts[c] == 0)
			continue;
		sbuf_reset(&where);
		report_class_where(&where, r, c);	/* names platforms */
		sbuf_addf(&m->piece, "| %s%s | %zu", diff_class_name(c),
		    r->ignored[c] ? " (ignored)" : "", r->counts[c]);
		if (r->accepted[c] > 0)
			sbuf_addf(&m->piece, " (%zu accepted)", r->accepted[c]);
		if (c == DIFF_CONTENT && report_content_explained(r))
			sbuf_addstr(&m->piece, " (all explained)");
		sbuf_addstr(&m->piece, " | ");
		esc(&m->piece, sbuf_str(&where), false);
		sbuf_addstr(&m->piece, " |\n");
	}
	emit(m, true);
	sbuf_release(&where);
}

/* Per platform: the layers, the step that made each, counts by class. */
static void
layer_tables(struct mdctx *m, const struct diff_result *r)
{
	size_t i, j;
	unsigned c;

	for (i = 0; i < r->nimages; i++) {
		const struct diff_image *di = &r->images[i];

		if (di->nlayers == 0)
			continue;
		sbuf_addstr(&m->piece, "\n| layer (");
		esc(&m->piece, di->platform != NULL ? di->platform : "image", false);
		sbuf_addstr(&m->piece, ") | step |");
		for (c = 0; c < DIFF_NCLASS; c++)
			sbuf_addf(&m->piece, " %s |", diff_class_name(c));
		sbuf_addstr(&m->piece, "\n|---|---|");
		for (c = 0; c < DIFF_NCLASS; c++)
			sbuf_addstr(&m->piece, "---:|");
		sbuf_addc(&m->piece, '\n');
		if (!emit(m, true))
			continue;
		for (j = 0; j < di->nlayers; j++) {
			const struct diff_layer *l = &di->layers[j];

			sbuf_addf(&m->piece, "| %d", l->index);
			if (l->dockerfile_line > 0)
				sbuf_addf(&m->piece, " (line %u)", l->dockerfile_line);
			sbuf_addstr(&m->piece, " | ");
			if (l->step != NULL) {
				char *s = report_cut(l->step, MD_STEP_MAX, true);

				esc(&m->piece, s, false);
				free(s);
			}
			sbuf_addstr(&m->piece, " |");
			for (c = 0; c < DIFF_NCLASS; c++)
				if (l->counts[c])
					sbuf_addf(&m->piece, " %zu |", l->counts[c]);
				else
					sbuf_addstr(&m->piece, " |");
			sbuf_addc(&m->piece, '\n');
			emit(m, false);
		}
	}
}

/* The packages that moved, one row each. */
/* A line per package file a bound left out, after the packages. */
static void
unread(struct mdctx *m, const struct diff_result *r)
{
	const struct diff_pkg_unread *u;
	size_t k;

	for (k = 0; (u = report_unread(r, k, NULL)) != NULL; k++) {
		sbuf_addf(&m->piece, "%sNot read (%s): ", k == 0 ? "\n" : "",
		    pkg_eco_name(u->eco));
		esc(&m->piece, u->path, false);
		sbuf_addstr(&m->piece, ": ");
		esc(&m->piece, u->why, false);
		sbuf_addf(&m->piece, " (%s)  \n", report_unread_sides(u));
		emit(m, false);
	}
}

static void
packages(struct mdctx *m, const struct diff_result *r)
{
	const struct diff_package *p;
	const char *h;
	size_t k;
	unsigned e;
	bool first;

	for (k = 0; (p = report_package(r, k, NULL)) != NULL; k++) {
		if (k == 0) {
			sbuf_addstr(&m->piece, "\n| package | arch | A | B | change | "
			    "files |\n|---|---|---|---|---|---:|\n");
			emit(m, true);
		}
		if (k == report_packages_listed(r)) {
			sbuf_addf(&m->piece, "\nand %zu more (--max-examples, or "
			    "the JSON report)\n", diff_packages_moved(r) - k);
			emit(m, false);
			break;
		}
		sbuf_addf(&m->piece, "| %s:", pkg_eco_name(p->eco));
		esc(&m->piece, p->name, false);
		if (p->where[0] != '\0') {
			sbuf_addstr(&m->piece, " (");
			esc(&m->piece, p->where, false);
			sbuf_addc(&m->piece, ')');
		}
		sbuf_addstr(&m->piece, " | ");
		esc(&m->piece, p->arch, false);
		sbuf_addstr(&m->piece, " | ");
		esc(&m->piece, p->a, false);
		sbuf_addstr(&m->piece, " | ");
		esc(&m->piece, p->b, false);
		sbuf_addf(&m->piece, " | %s | %zu |\n", diff_pkg_change_name(p->change),
		    p->files);
		emit(m, false);
	}
	if (k > 0) {
		sbuf_addstr(&m->piece, "\nFix: ");
		/* each moved ecosystem's hint once */
		for (e = 0, first = true; e < PKG_NECO; e++) {
			h = diff_pkg_hint((enum pkg_eco)e);
			if (!report_pkg_moved(r, (enum pkg_eco)e) || strstr(
			    sbuf_str(&m->piece), h) != NULL)
				continue;
			sbuf_addf(&m->piece, "%s%s", first ? "" : "; ", h);
			first = false;
		}
		sbuf_addstr(&m->piece, "\n");
		emit(m, true);
	}
	unread(m, r);
}

/* Who owns a finding's file, in its cause cell. */
static void
owner(struct sbuf *p, const struct diff_result *r, const struct diff_finding *f,
    bool more)
{
	char *check;

	if (f->package_database)
		sbuf_addstr(p, more ? "; package database" : "package database");
	if (f->package == NULL)
		return;
	sbuf_addstr(p, more ? "; package " : "package ");
	esc(p, f->package, false);
	if ((check = report_check_text(r, f)) == NULL)
		return;
	sbuf_addstr(p, f->modified_after_install ? ", **" : ", ");
	esc(p, check, false);
	if (f->modified_after_install)
		sbuf_addstr(p, "**");
	free(check);
}

static void
row(struct mdctx *m, const struct diff_result *r, const struct diff_finding *f)
{
	char cause[DIFF_CAUSE_TEXT_MAX], why[80];
	struct sbuf *p = &m->piece;

	sbuf_addstr(p, "| ");
	where_cell(p, r, f);
	sbuf_addstr(p, " | ");
	esc(p, f->path ? f->path : "", false);
	sbuf_addstr(p, " | ");
	esc(p, f->field, false);
	if (diff_field_word(f->field_id) != NULL)
		sbuf_addf(p, " (%s)", diff_field_word(f->field_id));
	sbuf_addstr(p, " | ");
	esc_as(p, f->a, false, f->json_values ? SBUF_ESC_JSON_TEXT : 0);
	sbuf_addstr(p, " | ");
	esc_as(p, f->b, false, f->json_values ? SBUF_ESC_JSON_TEXT : 0);
	if (f->offset >= 0)
		sbuf_addf(p, " (first difference at byte %lld)", (long long)f->offset);
	sbuf_addstr(p, " | ");
	if (f->cause.prover != DIFF_PROVER_NONE) {
		if (!f->explained)
			sbuf_addf(p, "%s: ", report_cause_word(f));
		esc(p, diff_cause_text(&f->cause, cause, sizeof(cause)), false);
	}
	if (diff_look_name(f->look) != NULL)
		sbuf_addf(p, "%snot looked into: %s",
		    f->cause.prover != DIFF_PROVER_NONE ? "; " : "",
		    diff_look_text(r, f->look, why, sizeof(why)));
	if (f->accepted != NULL) {
		sbuf_addstr(p, f->cause.prover != DIFF_PROVER_NONE ||
		    diff_look_name(f->look) != NULL ? "; " : "");
		sbuf_addstr(p, "**accepted**: ");
		esc(p, f->accepted, false);
	}
	owner(p, r, f, f->cause.prover != DIFF_PROVER_NONE || f->accepted != NULL);
	sbuf_addstr(p, " |");
	/* --dockerfile: the lint rule that predicts the drift, as the text
	   report's "lint RULE at FILE:LINE" */
	if (r->dockerfile != NULL && f->lint_rule != NULL) {
		sbuf_addf(p, " `%s` at ", f->lint_rule);
		esc(p, r->dockerfile, false);
		sbuf_addf(p, ":%u |", f->lint_line);
	} else if (r->dockerfile != NULL)
		sbuf_addstr(p, " |");
	sbuf_addc(p, '\n');
	emit(m, false);
}

/* A finding's evidence (a text diff, a hex context, changed packages),
   folded under its path. */
static void
evidence(struct mdctx *m, const struct diff_finding *f)
{
	const char *d, *nl;

	sbuf_addstr(&m->piece, "\n<details><summary>evidence: ");
	esc(&m->piece, f->path != NULL ? f->path : f->field, true);
	sbuf_addstr(&m->piece, "</summary>\n\n<pre>\n");
	for (d = f->detail; *d != '\0'; d = nl + (*nl != '\0')) {
		nl = strchrnul(d, '\n');
		esc_n(&m->piece, d, (size_t)(nl - d), true, 0);
		sbuf_addc(&m->piece, '\n');
	}
	sbuf_addstr(&m->piece, "</pre>\n\n</details>\n");
	emit(m, true);
}

/* The fixes of a class (report_fix_hints()): one line, or a list. */
static void
fixes(struct mdctx *m, const struct diff_result *r, enum diff_class c)
{
	struct report_hint v[REPORT_FIX_MAX];
	size_t i, n = report_fix_hints(r, v, REPORT_FIX_MAX), k = 0, one = 0;

	for (i = 0; i < n; i++)
		if (v[i].cls == c && k++ == 0)
			one = i;
	if (k == 0)
		return;
	/* Hints hold shell globs and underscores: escaped like the rest. */
	if (k == 1 && v[one].label[0] == '\0') {
		sbuf_addstr(&m->piece, "\nFix: ");
		esc(&m->piece, v[one].text, false);
		sbuf_addc(&m->piece, '\n');
		emit(m, true);
		return;
	}
	sbuf_addstr(&m->piece, "\nFix:\n");
	for (i = 0; i < n; i++) {
		if (v[i].cls != c)
			continue;
		sbuf_addstr(&m->piece, "\n- ");
		if (v[i].label[0] != '\0') {
			esc(&m->piece, v[i].label, false);
			sbuf_addstr(&m->piece, ": ");
		}
		esc(&m->piece, v[i].text, false);
	}
	sbuf_addc(&m->piece, '\n');
	emit(m, true);
}

/* Each layer's mtime drift in one line, before the examples. */
static void
shift_lines(struct sbuf *p, const struct diff_result *r)
{
	size_t i, j;

	for (i = 0; i < r->nimages; i++)
		for (j = 0; j < r->images[i].nlayers; j++) {
			const struct diff_layer *l = &r->images[i].layers[j];

			if (l->shift.n == 0)
				continue;
			sbuf_addstr(p, "Layer ");
			if (r->nimages > 1) {
				esc(p, report_platform(&r->images[i]), false);
				sbuf_addc(p, ' ');
			}
			sbuf_addf(p, "%d: ", l->index);
			report_shift(p, l);
			sbuf_addstr(p, "\n\n");
		}
}

static void
class_section(struct mdctx *m, const struct diff_result *r, enum diff_class c)
{
	size_t i;

	sbuf_addf(&m->piece, "\n<details><summary>%s (%zu%s)</summary>\n\n",
	    diff_class_name(c), r->counts[c], c == DIFF_CONTENT &&
	    report_content_explained(r) ? ", all explained" : "");
	if (c == DIFF_TIMESTAMP)
		shift_lines(&m->piece, r);
	sbuf_addstr(&m->piece, r->dockerfile != NULL ?
	    "| where | path | field | A | B | cause | lint |\n"
	    "|---|---|---|---|---|---|---|\n" :
	    "| where | path | field | A | B | cause |\n"
	    "|---|---|---|---|---|---|\n");
	if (!emit(m, true)) {
		for (i = 0; i < r->nfindings; i++)
			m->cut_rows += r->findings[i].cls == c;
		return;
	}
	for (i = 0; i < r->nfindings; i++)
		if (r->findings[i].cls == c)
			row(m, r, &r->findings[i]);
	for (i = 0; i < r->nfindings; i++)
		if (r->findings[i].cls == c && r->findings[i].detail != NULL)
			evidence(m, &r->findings[i]);
	fixes(m, r, c);
	sbuf_addstr(&m->out, "\n</details>\n");	/* within MD_RESERVE */
}

int
report_diff_markdown(FILE *fp, const struct diff_result *r,
    const struct report_style *st)
{
	struct mdctx m = { SBUF_INIT, SBUF_INIT, 0, 0 };
	struct sbuf aside = SBUF_INIT;
	size_t i;
	unsigned c;

	(void)st;	/* one form: no colour, no quiet variant */

	/* What --ignore or --volatile ignore set aside (class names, words). */
	report_set_aside(&aside, r);
	sbuf_addf(&m.out, "### imgdrift: **%s**%s%s (required: %s, %s)\n\nA: `",
	    diff_verdict_name(r->verdict), aside.len > 0 ? ", ignoring " : "",
	    sbuf_str(&aside), diff_verdict_name(r->required),
	    r->meets ? "met" : "**not met**");
	sbuf_release(&aside);
	esc(&m.out, r->name_a, false);
	sbuf_addstr(&m.out, "` · B: `");
	esc(&m.out, r->name_b, false);
	sbuf_addstr(&m.out, "`\n\n");
	if (report_layer_claim(r) != NULL)
		sbuf_addf(&m.out, "%s.\n\n", report_layer_claim(r));
	if (r->volatile_only != NULL) {
		sbuf_addstr(&m.out, "Only known-volatile files differ (");
		esc(&m.out, r->volatile_only, false);
		sbuf_addstr(&m.out, "); `--volatile ignore` would make this "
		    "dependency-equivalent.\n\n");
	}
	class_table(&m, r);
	layer_tables(&m, r);
	packages(&m, r);
	for (c = 0; c < DIFF_NCLASS; c++)
		if (r->counts[c] > 0)
			class_section(&m, r, c);
	for (i = 0; i < r->nnotes; i++) {
		sbuf_addstr(&m.piece, i == 0 ? "\n- " : "- ");
		esc(&m.piece, r->notes[i], false);
		sbuf_addc(&m.piece, '\n');
		emit(&m, false);
	}
	if (m.cut_rows + m.cut_blocks > 0)
		sbuf_addf(&m.out, "\n**Cut at %u KiB** (GitHub's job-summary limit): "
		    "%zu table rows and %zu blocks left out; `--format text` or "
		    "`--format json` has them all.\n", REPORT_MD_MAX / 1024,
		    m.cut_rows, m.cut_blocks);
	fwrite(m.out.buf, 1, m.out.len, fp);
	sbuf_release(&m.out);
	sbuf_release(&m.piece);
	return ferror(fp) ? ERR_IO : 0;
}
