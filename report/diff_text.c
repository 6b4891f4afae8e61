/*
 * diff_text.c - the diff for people: the verdict first, one line per drift
 * class, the evidence chain (image -> config -> layer -> entries), notes,
 * and one fix hint per class present.
 */
#include <stdlib.h>
#include <string.h>

#include "report/report_int.h"


struct tctx {
	FILE *fp;
	bool color;
	struct sbuf sb;
};

static const char *
paint(const struct tctx *t, const char *code)
{
	return t->color ? code : "";
}

/* The text report's one escaper: print n bytes of s escaped for a
   terminal (how: SBUF_ESC_JSON_TEXT for a value that is JSON text). */
static void
put_n(struct tctx *t, const char *s, size_t n, unsigned how)
{
	sbuf_reset(&t->sb);
	sbuf_add_escaped_for(&t->sb, s, n, how);
	fputs(sbuf_str(&t->sb), t->fp);
}

static void
put_as(struct tctx *t, const char *s, unsigned how)
{
	if (s == NULL)
		fputs("(absent)", t->fp);
	else
		put_n(t, s, strlen(s), how);
}

static void
put(struct tctx *t, const char *s)
{
	put_as(t, s, SBUF_ESC_TERMINAL);
}

static void
verdict_line(struct tctx *t, const struct diff_result *r)
{
	const char *col = r->verdict <= DIFF_BYTE_EQUIVALENT ? "\033[1;32m" :
	    r->verdict == DIFF_DEPENDENCY_EQUIVALENT ? "\033[1;33m" : "\033[1;31m";
	struct sbuf words = SBUF_INIT;
	bool aside = report_verdict_sentence(&words, r);

	fprintf(t->fp, "%s%s%s%s", paint(t, col), diff_verdict_name(r->verdict),
	    paint(t, "\033[0m"), aside ? ", " : ": ");
	put(t, sbuf_str(&words));
	sbuf_release(&words);
	fputc('\n', t->fp);
	fprintf(t->fp, "required: %s (%s)\n", diff_verdict_name(r->required),
	    r->meets ? "met, exit 0" : "not met, exit 1");
}

static void
input(struct tctx *t, const char *side, const char *name, const char *format,
    bool fingerprint, bool sha, const uint8_t *d)
{
	char buf[80];

	fprintf(t->fp, "  %s  ", side);
	put(t, name);
	fprintf(t->fp, "  %s%s", fingerprint ? "fingerprint of " : "", format);
	if (sha)
		fprintf(t->fp, "  %s", report_short_digest(buf, d));
	fputc('\n', t->fp);
}

static void
inputs(struct tctx *t, const struct diff_result *r)
{
	fputc('\n', t->fp);
	input(t, "A", r->name_a, r->format_a, r->fingerprint_a, r->have_sha_a,
	    r->sha_a);
	input(t, "B", r->name_b, r->format_b, r->fingerprint_b, r->have_sha_b,
	    r->sha_b);
}

static void
classes(struct tctx *t, const struct diff_result *r)
{
	struct sbuf where = SBUF_INIT;
	unsigned c;
	bool any = false;

	for (c = 0; c < DIFF_NCLASS; c++) {
		if (r->counts[c] == 0)
			continue;
		if (!any)
			fputs("\ndrift\n", t->fp);
		any = true;
		sbuf_reset(&where);
		report_class_where(&where, r, c);	/* names platforms */
		fprintf(t->fp, "  %s%-12s%s %6zu  ", paint(t, "\033[1m"),
		    diff_class_name(c), paint(t, "\033[0m"), r->counts[c]);
		put(t, sbuf_str(&where));
		fputs(r->ignored[c] ? "  (ignored)" : "", t->fp);
		if (r->accepted[c] > 0)
			fprintf(t->fp, "  (%zu accepted)", r->accepted[c]);
		if (c == DIFF_CONTENT && report_content_explained(r))
			fputs("  (all explained)", t->fp);
		fputc('\n', t->fp);
	}
	if (!any)
		fputs("\nno drift found\n", t->fp);
	sbuf_release(&where);
}

/* One line per package that moved, right after the drift summary, then
   one per package file a bound left out. */
static void
packages(struct tctx *t, const struct diff_result *r)
{
	const struct diff_pkg_unread *u;
	const struct diff_package *p;
	size_t k;

	if (report_package(r, 0, NULL) != NULL || report_unread(r, 0, NULL) !=
	    NULL)
		fputs("\npackages\n", t->fp);
	for (k = 0; (p = report_package(r, k, NULL)) != NULL; k++) {
		if (k == report_packages_listed(r)) {
			fprintf(t->fp, "  and %zu more (--max-examples, or the JSON "
			    "report)\n", diff_packages_moved(r) - k);
			break;
		}
		fprintf(t->fp, "  %s  ", pkg_eco_name(p->eco));
		put(t, p->name);
		fputs("  ", t->fp);
		put(t, p->a);
		fputs(" -> ", t->fp);
		put(t, p->b);
		if (p->where[0] != '\0') {
			fputs("  (", t->fp);
			put(t, p->where);
			fputc(')', t->fp);
		}
		if (p->change != DIFF_PKG_UPGRADED)
			fprintf(t->fp, "  %s", diff_pkg_change_name(p->change));
		fprintf(t->fp, "  (%zu file%s)\n", p->files, p->files == 1 ? "" : "s");
	}
	for (k = 0; (u = report_unread(r, k, NULL)) != NULL; k++) {
		fprintf(t->fp, "  %s  not read  ", pkg_eco_name(u->eco));
		put(t, u->path);
		fputs(": ", t->fp);
		put(t, u->why);
		fprintf(t->fp, "  (%s)\n", report_unread_sides(u));
	}
}

/* Who owns a finding's file, when a package database says. */
static void
owner(struct tctx *t, const struct diff_result *r, const struct diff_finding *f,
    const char *indent)
{
	char *check;

	if (f->package_database)
		fprintf(t->fp, "%s    package database%s\n", indent,
		    f->cls == DIFF_CONTENT && r->images[f->image].npackages > 0 ?
		    ": follows the packages that moved" : "");
	if (f->package == NULL)
		return;
	fprintf(t->fp, "%s    package: ", indent);
	put(t, f->package);
	if ((check = report_check_text(r, f)) != NULL) {
		fputs("  ", t->fp);
		put(t, check);
		free(check);
	}
	fputc('\n', t->fp);
}

/* A multi-line detail (a diff, a hex context), each line escaped. */
static void
detail(struct tctx *t, const char *d, const char *indent)
{
	const char *nl;

	for (; *d != '\0'; d = nl + 1) {
		nl = strchr(d, '\n');
		if (nl == NULL)
			nl = d + strlen(d);
		fprintf(t->fp, "%s    | ", indent);
		put_n(t, d, (size_t)(nl - d), SBUF_ESC_TERMINAL);
		fputc('\n', t->fp);
		if (*nl == '\0')
			break;
	}
}

static void
finding(struct tctx *t, const struct diff_result *r,
    const struct diff_finding *f, const char *indent)
{
	char cause[DIFF_CAUSE_TEXT_MAX], why[80];

	fputs(indent, t->fp);
	if (f->path != NULL) {
		put(t, f->path);
		fputs("  ", t->fp);
	}
	put(t, f->field);
	fputs("  ", t->fp);
	if (diff_field_word(f->field_id) != NULL)
		fprintf(t->fp, "%s: ", diff_field_word(f->field_id));
	put_as(t, f->a, f->json_values ? SBUF_ESC_JSON_TEXT : SBUF_ESC_TERMINAL);
	fputs(" -> ", t->fp);
	put_as(t, f->b, f->json_values ? SBUF_ESC_JSON_TEXT : SBUF_ESC_TERMINAL);
	if (f->offset >= 0)
		fprintf(t->fp, "  (first difference at byte %lld)",
		    (long long)f->offset);
	fputc('\n', t->fp);
	if (f->cause.prover != DIFF_PROVER_NONE) {
		fprintf(t->fp, "%s    %s: ", indent, report_cause_word(f));
		put(t, diff_cause_text(&f->cause, cause, sizeof(cause)));
		fputc('\n', t->fp);
	}
	owner(t, r, f, indent);
	if (f->lint_rule != NULL) {
		fprintf(t->fp, "%s    lint %s at ", indent, f->lint_rule);
		put(t, r->dockerfile);
		fprintf(t->fp, ":%u\n", f->lint_line);
	}
	if (diff_look_name(f->look) != NULL)
		fprintf(t->fp, "%s    not looked into: %s\n", indent,
		    diff_look_text(r, f->look, why, sizeof(why)));
	if (f->accepted != NULL) {
		fprintf(t->fp, "%s    accepted: ", indent);
		put(t, f->accepted);
		fputc('\n', t->fp);
	}
	if (f->detail != NULL)
		detail(t, f->detail, indent);
}

/* The layer's mtime drift in one line, before its examples. */
static void
shift_line(struct tctx *t, const struct diff_layer *l, const char *indent)
{
	struct sbuf sb = SBUF_INIT;

	report_shift(&sb, l);
	if (sb.len > 0)
		fprintf(t->fp, "%s%s\n", indent, sbuf_str(&sb));
	sbuf_release(&sb);
}

/* Whether image() gives a manifest line for the image. */
static bool
shown_manifest(const struct diff_result *r, size_t image)
{
	const struct diff_image *di = &r->images[image];

	return di->in_a && di->in_b && (di->has_manifest_a || di->has_manifest_b);
}

/* A proven known-volatile file among a layer's content examples: shown
   on its rule's one line (volatile_lines()), not on its own. */
static bool
grouped(const struct diff_finding *f)
{
	return f->cls == DIFF_CONTENT && f->scope == DIFF_SCOPE_LAYER &&
	    f->cause.prover == DIFF_PROVER_VOLATILE &&
	    f->cause.id == DIFF_CAUSE_KNOWN_VOLATILE &&
	    f->cause.rule < DIFF_NVOLATILE && f->accepted == NULL &&
	    f->package == NULL && f->lint_rule == NULL;
}

/* How a grouped file's versions differ, in one line: its evidence when
   that is one line ("17 lines differ only in date/time tokens, ...") or
   a diff of one line for one ("-A", "+B" as "A -> B"), else where they
   first differ. */
static void
evidence_line(struct tctx *t, const struct diff_finding *f)
{
	const char *d = f->detail, *minus, *plus;

	if (d != NULL && *d != '\0' && strchr(d, '\n') == NULL) {
		fputs(": ", t->fp);
		put(t, d);
		return;
	}
	if (d != NULL && strncmp(d, "@@ ", 3) == 0 &&
	    (minus = strchr(d, '\n')) != NULL && minus[1] == '-' &&
	    (plus = strchr(minus + 1, '\n')) != NULL && plus[1] == '+' &&
	    strchr(plus + 1, '\n') == NULL) {
		fputs(": ", t->fp);
		put_n(t, minus + 2, (size_t)(plus - minus - 2), SBUF_ESC_TERMINAL);
		fputs(" -> ", t->fp);
		put(t, plus + 2);
		return;
	}
	if (f->offset >= 0)
		fprintf(t->fp, "  (first difference at byte %lld)",
		    (long long)f->offset);
}

/*
 * A layer's proven known-volatile files, one line per rule: how many of
 * the layer's differing files the rule's paths cover (less those shown on
 * their own) and one example.  @return how many files the lines cover.
 */
static size_t
volatile_lines(struct tctx *t, const struct diff_result *r, size_t image,
    int layer, const char *indent)
{
	const struct diff_layer *l = &r->images[image].layers[layer - 1];
	char label[DIFF_CAUSE_TEXT_MAX];
	size_t i, k, n, alone, total = 0;

	for (k = 0; k < DIFF_NVOLATILE; k++) {
		const struct diff_finding *ex = NULL;

		alone = 0;
		for (i = 0; i < r->nfindings; i++) {
			const struct diff_finding *f = &r->findings[i];

			if (f->image != image || f->layer != layer ||
			    f->scope != DIFF_SCOPE_LAYER || f->cls != DIFF_CONTENT ||
			    f->cause.prover != DIFF_PROVER_VOLATILE ||
			    f->cause.rule != k)
				continue;
			if (!grouped(f))
				alone++;
			else if (ex == NULL)
				ex = f;
		}
		if (ex == NULL)
			continue;
		n = l->volatiles[k] > alone + 1 ? l->volatiles[k] - alone : 1;
		total += n;
		fprintf(t->fp, "%s%s  ", indent,
		    diff_cause_label(&ex->cause, label, sizeof(label)));
		if (n > 1)
			fprintf(t->fp, "%zu files, e.g. ", n);
		put(t, ex->path);
		evidence_line(t, ex);
		fputc('\n', t->fp);
	}
	return total;
}

/* The findings of one image at one (scope, layer), grouped by class; a
   layer's proven known-volatile files one line per rule. */
static void
group(struct tctx *t, const struct diff_result *r, size_t image,
    enum diff_scope scope, int layer, const char *indent, size_t layer_total[])
{
	size_t i, shown[DIFF_NCLASS] = { 0 };
	unsigned c;
	char ind2[32];
	bool compact = layer_total != NULL && layer > 0 &&
	    scope == DIFF_SCOPE_LAYER;

	snprintf(ind2, sizeof(ind2), "%s  ", indent);
	for (c = 0; c < DIFF_NCLASS; c++) {
		bool head = false;

		for (i = 0; i < r->nfindings; i++) {
			const struct diff_finding *f = &r->findings[i];

			if (f->image != image || f->scope != scope || f->layer != layer ||
			    f->cls != c)
				continue;
			/* The manifest line above already says it. */
			if (f->field_id == DIFF_FIELD_MANIFEST && shown_manifest(r, image))
				continue;
			if (!head && layer_total != NULL) {
				fprintf(t->fp, "%s%s (%zu)%s\n", indent, diff_class_name(c),
				    layer_total[c], f->ignored ? " (ignored)" : "");
				if (c == DIFF_TIMESTAMP && layer > 0)
					shift_line(t, &r->images[image].layers[layer - 1],
					    ind2);
				/* Summary lines first, as the shift line. */
				if (c == DIFF_CONTENT && compact)
					shown[c] += volatile_lines(t, r, image, layer,
					    ind2);
			}
			head = true;
			if (compact && grouped(f))
				continue;
			finding(t, r, f, layer_total != NULL ? ind2 : indent);
			shown[c]++;
		}
		if (layer_total != NULL && layer_total[c] > shown[c] && shown[c] > 0)
			fprintf(t->fp, "%s... %zu more\n", ind2, layer_total[c] - shown[c]);
	}
}

static void
image(struct tctx *t, const struct diff_result *r, size_t n)
{
	const struct diff_image *di = &r->images[n];
	char d1[80], d2[80];
	size_t i;

	fputs("\nimage ", t->fp);
	put(t, report_platform(di));
	fprintf(t->fp, "  %s\n", diff_verdict_name(di->verdict));
	group(t, r, n, DIFF_SCOPE_ARCHIVE, 0, "  ", NULL);
	if (r->bare_layer != 0)
		/* Nothing above the files was compared. */
		fprintf(t->fp, "  compared  the tree of layer %c with the final "
		    "file system of %c's %zu layer%s\n", r->bare_layer,
		    r->bare_layer == 'A' ? 'B' : 'A', r->bare_layer == 'A' ?
		    di->nlayers_b : di->nlayers_a, (r->bare_layer == 'A' ?
		    di->nlayers_b : di->nlayers_a) == 1 ? "" : "s");
	else if (di->in_a && di->in_b) {
		if (shown_manifest(r, n))
			fprintf(t->fp, "  manifest  %s -> %s\n",
			    di->has_manifest_a ? report_short_digest(d1, di->manifest_a) :
			    "(absent)", di->has_manifest_b ?
			    report_short_digest(d2, di->manifest_b) : "(absent)");
		group(t, r, n, DIFF_SCOPE_MANIFEST, 0, "    ", NULL);
		if (di->has_config_a || di->has_config_b)
			fprintf(t->fp, "  config    %s -> %s%s\n",
			    di->has_config_a ? report_short_digest(d1, di->config_a) : "(absent)",
			    di->has_config_b ? report_short_digest(d2, di->config_b) : "(absent)",
			    di->has_config_a && di->has_config_b &&
			    memcmp(di->config_a, di->config_b, 32) == 0 ? "  same" : "");
		group(t, r, n, DIFF_SCOPE_CONFIG, 0, "    ", NULL);
	} else
		group(t, r, n, DIFF_SCOPE_MANIFEST, 0, "  ", NULL);
	for (i = 0; i < di->nlayers; i++) {
		const struct diff_layer *l = &di->layers[i];

		fprintf(t->fp, "  layer %d/%zu", l->index, di->nlayers);
		if (l->step != NULL) {
			char *s = report_cut(l->step, 72, false);

			fputs("  ", t->fp);
			put(t, s);
			free(s);
		}
		if (l->dockerfile_line > 0) {
			fputs("  (", t->fp);
			put(t, r->dockerfile);
			fprintf(t->fp, ":%u)", l->dockerfile_line);
		}
		fputc('\n', t->fp);
		if (!l->in_a || !l->in_b) {
			fprintf(t->fp, "    only in %s: %s\n", l->in_a ? "A" : "B",
			    report_short_digest(d1, l->in_a ? l->digest_a : l->digest_b));
			continue;
		}
		if (memcmp(l->digest_a, l->digest_b, 32) == 0) {
			fprintf(t->fp, "    same  %s\n", report_short_digest(d1, l->digest_a));
			continue;
		}
		fprintf(t->fp, "    digest   %s -> %s\n",
		    report_short_digest(d1, l->digest_a),
		    report_short_digest(d2, l->digest_b));
		fprintf(t->fp, "    diff_id  %s -> %s%s\n",
		    report_short_digest(d1, l->diff_id_a),
		    report_short_digest(d2, l->diff_id_b),
		    memcmp(l->diff_id_a, l->diff_id_b, 32) == 0 ?
		    "  same content, other compression" : "");
		group(t, r, n, DIFF_SCOPE_LAYER, l->index, "    ",
		    (size_t *)(uintptr_t)l->counts);
	}
	/* Not the last layer's: what the layers add up to. */
	if (report_image_has_scope(r, n, DIFF_SCOPE_FS)) {
		fputs("  final file system (all layers applied)\n", t->fp);
		group(t, r, n, DIFF_SCOPE_FS, 0, "    ", NULL);
	}
}

static void
tail(struct tctx *t, const struct diff_result *r)
{
	struct report_hint v[REPORT_FIX_MAX];
	size_t i, n;

	if (r->nexcludes > 0) {
		fputs("\nexcluded\n", t->fp);
		for (i = 0; i < r->nexcludes; i++) {
			fputs("  ", t->fp);
			put(t, r->excludes[i].pattern);
			fprintf(t->fp, "  %zu path%s\n", r->excludes[i].removed,
			    r->excludes[i].removed == 1 ? "" : "s");
		}
	}
	if (r->nnotes > 0) {
		fputs("\nnotes\n", t->fp);
		for (i = 0; i < r->nnotes; i++) {
			fputs("  ", t->fp);
			put(t, r->notes[i]);
			fputc('\n', t->fp);
		}
	}
	n = report_fix_hints(r, v, REPORT_FIX_MAX);
	if (n > 0)
		fputs("\nfix\n", t->fp);
	for (i = 0; i < n; i++)
		fprintf(t->fp, "  %-12s %s%s%s\n", v[i].what, v[i].label,
		    v[i].label[0] != '\0' ? ": " : "", v[i].text);
}

int
report_diff_text(FILE *fp, const struct diff_result *r,
    const struct report_style *st)
{
	struct tctx t = { fp, st->color, SBUF_INIT };
	size_t i;

	verdict_line(&t, r);
	if (!st->quiet) {
		inputs(&t, r);
		classes(&t, r);
		packages(&t, r);
		for (i = 0; i < r->nimages; i++)
			image(&t, r, i);
		tail(&t, r);
	}
	sbuf_release(&t.sb);
	return ferror(fp) ? ERR_IO : 0;
}
