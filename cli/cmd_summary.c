/*
 * cmd_summary.c - imgdrift summary [--format text|markdown|json]
 *                 [--link-prefix URL] REPORT.json...
 *
 * Many imgdrift.diff/2 reports (one per image of a nightly matrix) become
 * one table: name, verdict, required level and whether it was met, classes
 * with counts, packages moved, the most frequent proven causes, a link.
 * Each report is read, reduced to its row and freed: memory grows with the
 * rows, not the reports.  Exit 1 when any report misses its level.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli.h"
#include "report/report.h"
#include "util/json.h"
#include "util/sbuf.h"

enum { TOP_CAUSES = 3 };

enum sum_format { SUM_TEXT, SUM_MARKDOWN, SUM_JSON, SUM_HTML, SUM_NFORMAT };

/* The formats' names, by enum sum_format. */
static const char *const format_names[SUM_NFORMAT] = {
	"text", "markdown", "json", "html"
};

/* @return the format names joined by sep (malloc'd). */
static char *
format_list(const char *sep)
{
	struct sbuf sb = SBUF_INIT;
	size_t i;

	for (i = 0; i < SUM_NFORMAT; i++)
		sbuf_addf(&sb, "%s%s", i > 0 ? sep : "", format_names[i]);
	return sbuf_detach(&sb);
}

static char *
format_choices(void)
{
	return format_list(" ");
}

const struct cli_opt cli_summary_opts[] = {
	{ .name = "format", .shortc = 'f', .val = 'f',
	  .choices_fn = format_choices,
	  .help = "the table's format (default text)" },
	CLI_OPT_HELP,
	{ .name = "link-prefix", .val = 'l', .arg = "URL",
	  .help = "link each report as URL followed by its file name" },
	{ .name = NULL }
};

struct options {
	enum sum_format format;
	const char *link_prefix;
};

struct tally {
	char *label;
	size_t count;
};

struct row {
	char *file;
	char *name;
	char *link;
	char *verdict;
	char *required;
	bool meets;
	struct tally *classes;	/* class -> findings, in the report's order */
	size_t nclasses;
	char **packages;	/* "ecosystem:name" */
	size_t npackages;
	struct tally *causes;	/* the TOP_CAUSES most frequent, sorted */
	size_t ncauses;
};

static void
row_free(struct row *r)
{
	size_t i;

	for (i = 0; i < r->nclasses; i++)
		free(r->classes[i].label);
	for (i = 0; i < r->ncauses; i++)
		free(r->causes[i].label);
	for (i = 0; i < r->npackages; i++)
		free(r->packages[i]);
	free(r->classes);
	free(r->causes);
	free(r->packages);
	free(r->file);
	free(r->name);
	free(r->link);
	free(r->verdict);
	free(r->required);
}

static int
parse_options(int argc, char **argv, struct options *o)
{
	char *list;
	int c, f;

	optind = 1;
	while ((c = cli_getopt(argc, argv, cli_summary_opts)) != -1) {
		switch (c) {
		case 'f':
			for (f = 0; f < SUM_NFORMAT; f++)
				if (strcmp(optarg, format_names[f]) == 0)
					break;
			if (f == SUM_NFORMAT) {
				list = format_list(", ");
				cli_error("summary: unknown format '%s' (%s)",
				    optarg, list);
				free(list);
				return EXIT_TROUBLE;
			}
			o->format = (enum sum_format)f;
			break;
		case 'h':
			return cli_cmd_help("summary");
		case 'l':
			o->link_prefix = optarg;
			break;
		default:
			return cli_cmd_usage("summary");
		}
	}
	if (optind >= argc)
		return cli_cmd_usage("summary");
	return -1;
}

static const char *
base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

/* The label of a cause: its words before " (" (the bytes it names). */
static char *
cause_label(const char *cause)
{
	const char *p = strstr(cause, " (");

	return p != NULL ? xstrndup(cause, (size_t)(p - cause)) : xstrdup(cause);
}

static int
by_count(const void *a, const void *b)
{
	const struct tally *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->label, y->label);
}

static void
add_causes(struct row *r, json_t *findings)
{
	struct tally *all = NULL;
	size_t n = 0, cap = 0, i, j;
	json_t *f;

	json_array_foreach(findings, i, f) {
		const char *cause = json_string_value(json_object_get(f, "cause"));
		char *label;

		if (cause == NULL)
			continue;
		label = cause_label(cause);
		/* all is NULL only while n is 0: cppcheck cannot see it */
		/* cppcheck-suppress nullPointer */
		for (j = 0; j < n && strcmp(all[j].label, label) != 0; j++)
			;
		if (j < n) {
			/* cppcheck-suppress nullPointer */
			all[j].count++;
			free(label);
			continue;
		}
		xgrow(&all, &cap, n + 1, sizeof(*all));
		all[n].label = label;
		all[n++].count = 1;
	}
	if (n > 0)
		qsort(all, n, sizeof(*all), by_count);
	for (i = TOP_CAUSES; i < n; i++)
		free(all[i].label);
	r->causes = all;
	r->ncauses = n < TOP_CAUSES ? n : TOP_CAUSES;
}

/* Read the report at path into r.  @return 0, or -1 after printing. */
static int
read_report(const char *path, const struct options *o, struct row *r)
{
	json_t *doc, *counts, *classes, *pkgs, *cl, *p, *findings;
	const char *schema, *verdict, *required, *a, *b;
	json_error_t je;
	size_t i;

	if ((doc = json_load_file(path, 0, &je)) == NULL) {
		cli_error("summary: '%s': not a JSON report: %s (line %d)",
		    path, je.text, je.line);
		return -1;
	}
	schema = json_string_value(json_object_get(doc, "schema"));
	verdict = json_string_value(json_object_get(doc, "verdict"));
	required = json_string_value(json_object_get(doc, "required"));
	classes = json_object_get(doc, "classes");
	counts = json_object_get(doc, "counts");
	pkgs = json_object_get(doc, "packages");
	findings = json_object_get(doc, "findings");
	if (schema == NULL || strcmp(schema, "imgdrift.diff/2") != 0) {
		cli_error("summary: '%s': not an imgdrift.diff/2 report "
		    "(schema %s)", path, schema != NULL ? schema : "missing");
		goto bad;
	}
	if (verdict == NULL || required == NULL ||
	    !json_is_boolean(json_object_get(doc, "meets")) ||
	    !json_is_array(classes) || !json_is_object(counts) ||
	    (pkgs != NULL && !json_is_array(pkgs)) ||
	    (findings != NULL && !json_is_array(findings))) {
		cli_error("summary: '%s': imgdrift.diff/2 report lacks verdict, "
		    "required, meets, classes or counts", path);
		goto bad;
	}
	r->file = xstrdup(path);
	a = json_string_value(json_object_get(json_object_get(
	    json_object_get(doc, "inputs"), "a"), "name"));
	b = json_string_value(json_object_get(json_object_get(
	    json_object_get(doc, "inputs"), "b"), "name"));
	r->name = a != NULL && b != NULL ? xstrfmt("%s vs %s", a, b) :
	    xstrdup(base_name(path));
	r->link = o->link_prefix != NULL ?
	    xstrfmt("%s%s", o->link_prefix, base_name(path)) : xstrdup(path);
	r->verdict = xstrdup(verdict);
	r->required = xstrdup(required);
	r->meets = json_is_true(json_object_get(doc, "meets"));
	r->classes = xcalloc(json_array_size(classes) + 1, sizeof(*r->classes));
	json_array_foreach(classes, i, cl) {
		const char *c = json_string_value(cl);
		json_int_t k;

		if (c == NULL)
			continue;
		k = json_integer_value(json_object_get(counts, c));
		r->classes[r->nclasses].label = xstrdup(c);
		r->classes[r->nclasses++].count = k > 0 ? (size_t)k : 0;
	}
	r->packages = xcalloc(json_array_size(pkgs) + 1, sizeof(*r->packages));
	json_array_foreach(pkgs, i, p) {
		const char *eco = json_string_value(json_object_get(p, "ecosystem"));
		const char *nm = json_string_value(json_object_get(p, "name"));

		if (nm != NULL)
			r->packages[r->npackages++] = eco != NULL ?
			    xstrfmt("%s:%s", eco, nm) : xstrdup(nm);
	}
	add_causes(r, findings);
	json_decref(doc);
	return 0;
 bad:
	json_decref(doc);
	return -1;
}

/* A cell: a row's classes or causes with their counts, escaped for how. */
static void
add_tallies(struct sbuf *sb, const struct tally *t, size_t n, unsigned how)
{
	size_t i;

	for (i = 0; i < n; i++) {
		sbuf_addstr(sb, i > 0 ? ", " : "");
		sbuf_add_escaped_for(sb, t[i].label, strlen(t[i].label), how);
		sbuf_addf(sb, " %zu", t[i].count);
	}
	if (n == 0)
		sbuf_addc(sb, '-');
}

static void
add_packages(struct sbuf *sb, const struct row *r, unsigned how)
{
	size_t i;

	sbuf_addf(sb, "%zu", r->npackages);
	for (i = 0; i < r->npackages; i++) {
		sbuf_addstr(sb, i > 0 ? ", " : " (");
		sbuf_add_escaped_for(sb, r->packages[i], strlen(r->packages[i]),
		    how);
	}
	if (r->npackages > 0)
		sbuf_addc(sb, ')');
}

enum { NCOLS = 8 };

static void
cells(const struct row *r, unsigned how, struct sbuf c[NCOLS])
{
	const char *f[] = { r->name, r->verdict, r->required };
	size_t i;

	for (i = 0; i < 3; i++)
		sbuf_add_escaped_for(&c[i], f[i], strlen(f[i]), how);
	sbuf_addstr(&c[3], r->meets ? "yes" : "no");
	add_tallies(&c[4], r->classes, r->nclasses, how);
	add_packages(&c[5], r, how);
	add_tallies(&c[6], r->causes, r->ncauses, how);
	sbuf_add_escaped_for(&c[7], r->link, strlen(r->link), how);
}

static void
totals(struct sbuf *sb, const struct row *rows, size_t n)
{
	size_t i, met = 0;

	for (i = 0; i < n; i++)
		met += rows[i].meets;
	sbuf_addf(sb, "%zu reports: %zu met the required level, %zu did not\n",
	    n, met, n - met);
}

static const char *const heads[NCOLS] = { "image", "verdict", "required",
    "met", "classes", "packages", "causes", "report" };

/* A text cell padded to width w (by bytes: escaped text is ASCII save
   valid UTF-8, whose columns may fall short), the last one ends the line. */
static void
add_cell(struct sbuf *out, const char *s, size_t w, bool last)
{
	if (last)
		sbuf_addf(out, "%s\n", s);
	else
		sbuf_addf(out, "%-*s  ", (int)w, s);
}

static void
render_table(struct sbuf *out, const struct row *rows, size_t n,
    bool markdown)
{
	struct sbuf *c = xcalloc(n * NCOLS + 1, sizeof(*c));
	size_t w[NCOLS], i, k;

	for (k = 0; k < NCOLS; k++)
		w[k] = strlen(heads[k]);
	for (i = 0; i < n; i++) {
		cells(&rows[i], markdown ? SBUF_ESC_MARKDOWN : SBUF_ESC_TERMINAL,
		    &c[i * NCOLS]);
		for (k = 0; k < NCOLS; k++)
			if (c[i * NCOLS + k].len > w[k])
				w[k] = c[i * NCOLS + k].len;
	}
	if (markdown) {
		sbuf_addstr(out, "## imgdrift summary\n\n|");
		for (k = 0; k < NCOLS; k++)
			sbuf_addf(out, " %s |", heads[k]);
		sbuf_addstr(out, "\n|");
		for (k = 0; k < NCOLS; k++)
			sbuf_addstr(out, "---|");
		sbuf_addc(out, '\n');
	} else {
		for (k = 0; k < NCOLS; k++)
			add_cell(out, heads[k], w[k], k + 1 == NCOLS);
	}
	for (i = 0; i < n; i++) {
		struct sbuf *rc = &c[i * NCOLS];

		if (markdown)
			sbuf_addc(out, '|');
		for (k = 0; k < NCOLS; k++) {
			if (markdown && k == NCOLS - 1)
				sbuf_addf(out, " [report](%s) |\n", sbuf_str(&rc[k]));
			else if (markdown)
				sbuf_addf(out, " %s |", sbuf_str(&rc[k]));
			else
				add_cell(out, sbuf_str(&rc[k]), w[k], k + 1 == NCOLS);
			sbuf_release(&rc[k]);
		}
	}
	free(c);
	if (markdown)
		sbuf_addc(out, '\n');
	totals(out, rows, n);
}

/*
 * One self-contained page, as diff's HTML report: its CSP and style
 * (report_html_head()), a banner with the fleet's weakest verdict and the
 * totals, and the table, every
 * cell escaped by cells() for HTML.  The report column links each report;
 * the verdict cell is coloured by verdict.
 */
static void
render_html(FILE *fp, const struct row *rows, size_t n)
{
	struct sbuf c[NCOLS], line = SBUF_INIT;
	enum diff_verdict v, worst = DIFF_IDENTICAL;
	bool known = true;
	const char *fleet;
	size_t i, k, met = 0;
	char *title;

	for (i = 0; i < n; i++) {
		met += rows[i].meets;
		if (diff_verdict_parse(rows[i].verdict, &v) < 0)
			known = false;
		else if (v > worst)
			worst = v;
	}
	title = xstrfmt("imgdrift summary: %zu reports, %zu met", n, met);
	report_html_head(fp, title);
	free(title);
	totals(&line, rows, n);
	line.buf[--line.len] = '\0';	/* its newline */
	/* The banner: the weakest verdict of the fleet, and the totals. */
	fleet = known ? diff_verdict_name(worst) : "unknown";
	fprintf(fp, "<header id=\"verdict\" class=\"verdict v-%s\" "
	    "data-verdict=\"%s\" data-reports=\"%zu\" data-met=\"%zu\">\n"
	    "<h1>imgdrift summary: %s at best</h1>\n<p>%s</p>\n</header>\n"
	    "<main>\n<table id=\"summary\">\n<thead><tr>", fleet, fleet, n, met,
	    fleet, sbuf_str(&line));
	for (k = 0; k < NCOLS; k++)
		fprintf(fp, "<th>%s</th>", heads[k]);
	fputs("</tr></thead>\n<tbody>\n", fp);
	for (i = 0; i < n; i++) {
		memset(c, 0, sizeof(c));
		cells(&rows[i], SBUF_ESC_HTML, c);
		/* The report's verdict is its file's text: the colour only
		   for a name of our own table. */
		fprintf(fp, "<tr data-verdict=\"%s\" data-met=\"%s\">"
		    "<td>%s</td><td class=\"verdict v-%s\">%s</td>",
		    sbuf_str(&c[1]), sbuf_str(&c[3]), sbuf_str(&c[0]),
		    diff_verdict_parse(rows[i].verdict, &v) == 0 ?
		    diff_verdict_name(v) : "unknown", sbuf_str(&c[1]));
		for (k = 2; k < NCOLS - 1; k++)
			fprintf(fp, "<td>%s</td>", sbuf_str(&c[k]));
		fprintf(fp, "<td><a href=\"%s\">report</a></td></tr>\n",
		    sbuf_str(&c[NCOLS - 1]));
		for (k = 0; k < NCOLS; k++)
			sbuf_release(&c[k]);
	}
	fputs("</tbody>\n</table>\n</main>\n</body>\n</html>\n", fp);
	sbuf_release(&line);
}

static json_t *
tallies(const struct tally *t, size_t n, const char *key)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:o, s:I}", key,
		    util_json_text(t[i].label), "count", (json_int_t)t[i].count));
	return a;
}

static int
render_json(struct sbuf *out, const struct row *rows, size_t n)
{
	json_t *doc = json_object(), *list = json_array();
	size_t i, k, met = 0;
	char *s;

	for (i = 0; i < n; i++) {
		const struct row *r = &rows[i];
		json_t *pk = json_array();

		for (k = 0; k < r->npackages; k++)
			json_array_append_new(pk, util_json_text(r->packages[k]));
		json_array_append_new(list, json_pack(
		    "{s:o, s:o, s:o, s:o, s:o, s:b, s:o, s:{s:I, s:o}, s:o}",
		    "name", util_json_text(r->name),
		    "file", util_json_text(r->file),
		    "link", util_json_text(r->link),
		    "verdict", util_json_text(r->verdict),
		    "required", util_json_text(r->required),
		    "meets", r->meets,
		    "classes", tallies(r->classes, r->nclasses, "class"),
		    "packages", "count", (json_int_t)r->npackages, "names", pk,
		    "causes", tallies(r->causes, r->ncauses, "cause")));
		met += r->meets;
	}
	json_object_set_new(doc, "schema", json_string("imgdrift.summary/1"));
	json_object_set_new(doc, "reports", list);
	json_object_set_new(doc, "totals", json_pack("{s:I, s:I, s:I}",
	    "reports", (json_int_t)n, "met", (json_int_t)met,
	    "not_met", (json_int_t)(n - met)));
	s = util_json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (s == NULL) {
		cli_error("summary: cannot write JSON");
		return -1;
	}
	sbuf_addstr(out, s);
	sbuf_addc(out, '\n');
	free(s);
	return 0;
}

int
cmd_summary(int argc, char **argv)
{
	struct options o = { SUM_TEXT, NULL };
	struct sbuf out = SBUF_INIT;
	struct row *rows;
	size_t n = 0, i, met = 0;
	int rc;

	if ((rc = parse_options(argc, argv, &o)) >= 0)
		return rc;
	rc = EXIT_TROUBLE;
	rows = xcalloc((size_t)(argc - optind), sizeof(*rows));
	for (i = (size_t)optind; i < (size_t)argc; i++) {
		if (read_report(argv[i], &o, &rows[n]) < 0)
			goto out;
		met += rows[n++].meets;
	}
	if (o.format == SUM_HTML)
		render_html(stdout, rows, n);
	else if (o.format == SUM_JSON) {
		if (render_json(&out, rows, n) < 0)
			goto out;
	} else
		render_table(&out, rows, n, o.format == SUM_MARKDOWN);
	fputs(sbuf_str(&out), stdout);
	rc = cli_close_output(stdout, NULL);
	if (rc == 0 && met < n)
		rc = EXIT_DIFFERENT;
 out:
	for (i = 0; i < n; i++)
		row_free(&rows[i]);
	free(rows);
	sbuf_release(&out);
	return rc;
}
