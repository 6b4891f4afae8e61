/*
 * diff_md.c - the diff for a pull-request comment or a CI job summary: a
 * verdict line, a table of classes by layer, details in <details> blocks.
 */
#include <string.h>

#include "report/report_int.h"

/* The Markdown report's one escaper (how: SBUF_ESC_JSON_TEXT for a value
   that is JSON text). */
static void
md_as(FILE *fp, struct sbuf *sb, const char *s, unsigned how)
{
	sbuf_reset(sb);
	if (s == NULL)
		sbuf_addstr(sb, "*(absent)*");
	else
		sbuf_add_escaped_for(sb, s, strlen(s), SBUF_ESC_MARKDOWN | how);
	fputs(sbuf_str(sb), fp);
}

static void
md(FILE *fp, struct sbuf *sb, const char *s)
{
	md_as(fp, sb, s, 0);
}

/* Where a finding hangs: its layer, or the part of the image; with
   several platforms, whose. */
static void
where_cell(FILE *fp, struct sbuf *sb, const struct diff_result *r,
    const struct diff_finding *f)
{
	static const char *const scope_names[] = { "archive", "manifest",
	    "config", "", "file system" };

	if (r->nimages > 1) {
		md(fp, sb, report_platform(&r->images[f->image]));
		fputc(' ', fp);
	}
	if (f->scope == DIFF_SCOPE_LAYER)
		fprintf(fp, "%s%d", r->nimages > 1 ? "layer " : "", f->layer);
	else
		fputs(scope_names[f->scope], fp);
}

static void
table(FILE *fp, const struct diff_result *r)
{
	struct sbuf sb = SBUF_INIT, where = SBUF_INIT;
	size_t i, j;
	unsigned c;

	fputs("| class | total | where |", fp);
	fputs("\n|---|---:|---|\n", fp);
	for (c = 0; c < DIFF_NCLASS; c++) {
		if (r->counts[c] == 0)
			continue;
		sbuf_reset(&where);
		report_class_where(&where, r, c);	/* names platforms */
		fprintf(fp, "| %s%s | %zu", diff_class_name(c),
		    r->ignored[c] ? " (ignored)" : "", r->counts[c]);
		if (r->accepted[c] > 0)
			fprintf(fp, " (%zu accepted)", r->accepted[c]);
		fputs(" | ", fp);
		md(fp, &sb, sbuf_str(&where));
		fputs(" |\n", fp);
	}
	for (i = 0; i < r->nimages; i++) {
		const struct diff_image *di = &r->images[i];

		if (di->nlayers == 0)
			continue;
		fputs("\n| layer (", fp);
		md(fp, &sb, di->platform != NULL ? di->platform : "image");
		fputs(") |", fp);
		for (c = 0; c < DIFF_NCLASS; c++)
			fprintf(fp, " %s |", diff_class_name(c));
		fputs("\n|---|", fp);
		for (c = 0; c < DIFF_NCLASS; c++)
			fputs("---:|", fp);
		fputc('\n', fp);
		for (j = 0; j < di->nlayers; j++) {
			fprintf(fp, "| %d |", di->layers[j].index);
			for (c = 0; c < DIFF_NCLASS; c++) {
				if (di->layers[j].counts[c])
					fprintf(fp, " %zu |", di->layers[j].counts[c]);
				else
					fputs(" |", fp);
			}
			fputc('\n', fp);
		}
	}
	sbuf_release(&sb);
	sbuf_release(&where);
}

/* The packages that moved, one row each. */
static void
packages(FILE *fp, const struct diff_result *r, struct sbuf *sb)
{
	const struct diff_package *p;
	size_t k;

	for (k = 0; (p = report_package(r, k, NULL)) != NULL; k++) {
		if (k == 0)
			fputs("\n| package | arch | A | B | change | files |\n"
			    "|---|---|---|---|---|---:|\n", fp);
		fprintf(fp, "| %s:", pkg_eco_name(p->eco));
		md(fp, sb, p->name);
		fputs(" | ", fp);
		md(fp, sb, p->arch);
		fputs(" | ", fp);
		md(fp, sb, p->a);
		fputs(" | ", fp);
		md(fp, sb, p->b);
		fprintf(fp, " | %s | %zu |\n", diff_pkg_change_name(p->change),
		    p->files);
	}
	if (k > 0)
		fprintf(fp, "\nFix: %s\n", diff_pkg_hint());
}

/* Who owns a finding's file, in its cause cell. */
static void
owner(FILE *fp, const struct diff_finding *f, struct sbuf *sb, bool more)
{
	if (f->package_database)
		fputs(more ? "; package database" : "package database", fp);
	if (f->package == NULL)
		return;
	fputs(more ? "; package " : "package ", fp);
	md(fp, sb, f->package);
	if (f->modified_after_install)
		fputs(", **modified after install**", fp);
}

int
report_diff_markdown(FILE *fp, const struct diff_result *r,
    const struct report_style *st)
{
	char cause[DIFF_CAUSE_TEXT_MAX], why[80];
	struct sbuf sb = SBUF_INIT;
	size_t i;
	unsigned c;

	(void)st;	/* one form: no colour, no quiet variant */

	fprintf(fp, "### imgdrift: **%s** (required: %s, %s)\n\n",
	    diff_verdict_name(r->verdict), diff_verdict_name(r->required),
	    r->meets ? "met" : "**not met**");
	fputs("A: `", fp);
	md(fp, &sb, r->name_a);
	fputs("` · B: `", fp);
	md(fp, &sb, r->name_b);
	fputs("`\n\n", fp);
	table(fp, r);
	packages(fp, r, &sb);
	for (c = 0; c < DIFF_NCLASS; c++) {
		if (r->counts[c] == 0)
			continue;
		fprintf(fp, "\n<details><summary>%s (%zu)</summary>\n\n",
		    diff_class_name(c), r->counts[c]);
		fputs("| where | path | field | A | B | cause |\n"
		    "|---|---|---|---|---|---|\n", fp);
		for (i = 0; i < r->nfindings; i++) {
			const struct diff_finding *f = &r->findings[i];

			if (f->cls != c)
				continue;
			fputs("| ", fp);
			where_cell(fp, &sb, r, f);
			fputs(" | ", fp);
			md(fp, &sb, f->path ? f->path : "");
			fputs(" | ", fp);
			md(fp, &sb, f->field);
			if (diff_field_word(f->field_id) != NULL)
				fprintf(fp, " (%s)", diff_field_word(f->field_id));
			fputs(" | ", fp);
			md_as(fp, &sb, f->a, f->json_values ? SBUF_ESC_JSON_TEXT : 0);
			fputs(" | ", fp);
			md_as(fp, &sb, f->b, f->json_values ? SBUF_ESC_JSON_TEXT : 0);
			if (f->offset >= 0)
				fprintf(fp, " (first difference at byte %lld)",
				    (long long)f->offset);
			fputs(" | ", fp);
			if (f->cause.prover != DIFF_PROVER_NONE) {
				fputs(f->explained ? "" : "not explained: ", fp);
				md(fp, &sb, diff_cause_text(&f->cause, cause,
				    sizeof(cause)));
			}
			if (diff_look_name(f->look) != NULL)
				fprintf(fp, "%snot looked into: %s",
				    f->cause.prover != DIFF_PROVER_NONE ? "; " : "",
				    diff_look_text(r, f->look, why, sizeof(why)));
			if (f->accepted != NULL) {
				fputs(f->cause.prover != DIFF_PROVER_NONE ||
				    diff_look_name(f->look) != NULL ? "; " : "", fp);
				fputs("**accepted**: ", fp);
				md(fp, &sb, f->accepted);
			}
			owner(fp, f, &sb, f->cause.prover != DIFF_PROVER_NONE ||
			    f->accepted != NULL);
			fputs(" |\n", fp);
		}
		fprintf(fp, "\nFix: %s\n\n</details>\n", diff_class_hint(c));
	}
	for (i = 0; i < r->nnotes; i++) {
		fputs(i == 0 ? "\n" : "", fp);
		fputs("- ", fp);
		md(fp, &sb, r->notes[i]);
		fputc('\n', fp);
	}
	sbuf_release(&sb);
	return ferror(fp) ? ERR_IO : 0;
}
