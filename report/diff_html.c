/*
 * diff_html.c - the diff as one self-contained HTML page for a browser (a
 * CI artifact): the verdict banner, the drift summary, the packages that
 * moved, a table of layers, then the evidence tree (image -> manifest and
 * config -> layer -> class -> findings) in <details> blocks, notes and fix
 * hints.  Inline CSS only, allowed by its hash in a Content-Security-Policy
 * that forbids everything else: no script, font, image or request.  The
 * bytes are deterministic (no time, no version).
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/sha.h>

#include "report/report_int.h"

static const char css[] =
	"body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:72rem;"
	"padding:1rem;color:#1f2328;background:#fff}\n"
	"h1{font-size:1.5rem;margin:0}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}\n"
	"code,pre,.path,.digest{font-family:ui-monospace,monospace;font-size:13px}\n"
	".verdict{border-radius:6px;padding:.8rem 1rem;color:#fff}\n"
	".verdict p{margin:.3rem 0 0}\n"
	".v-identical,.v-same-digest,.v-byte-equivalent{background:#1a7f37}\n"
	".v-dependency-equivalent{background:#9a6700}\n"
	".v-different{background:#cf222e}\n"
	"table{border-collapse:collapse;margin:.3rem 0}\n"
	"th,td{border:1px solid #d0d7de;padding:.2rem .5rem;text-align:left;"
	"vertical-align:top}\n"
	"td.n{text-align:right}td.z{color:#8c959f}\n"
	"details{margin:.2rem 0 .2rem 1rem}summary{cursor:pointer}\n"
	"details.image{margin-left:0}p.scope{margin-left:1rem}\n"
	"caption{text-align:left;font-weight:600}\n"
	"ul.findings{margin:.2rem 0;padding-left:1.2rem}\n"
	"li.finding{margin:.3rem 0;overflow-wrap:anywhere}\n"
	".path{font-weight:600}.a{color:#cf222e}.b{color:#1a7f37}\n"
	".cause{color:#1a7f37}.unexplained{color:#cf222e}\n"
	".more,.same,.note{color:#57606a}\n"
	"pre.detail{background:#f6f8fa;border:1px solid #d0d7de;padding:.4rem;"
	"margin:.3rem 0;white-space:pre-wrap;overflow-wrap:anywhere}\n"
	".add{background:#dafbe1}.del{background:#ffebe9}.hunk{color:#8250df}\n";


struct hctx {
	FILE *fp;
	struct sbuf sb;
};

/* The HTML report's one escaper: n bytes of s as HTML text (how:
   SBUF_ESC_JSON_TEXT for a value that is JSON text). */
static void
esc_n(struct hctx *h, const char *s, size_t n, unsigned how)
{
	sbuf_reset(&h->sb);
	sbuf_add_escaped_for(&h->sb, s, n, SBUF_ESC_HTML | how);
	fputs(sbuf_str(&h->sb), h->fp);
}

static void
esc_as(struct hctx *h, const char *s, unsigned how)
{
	if (s == NULL)
		fputs("<i>(absent)</i>", h->fp);
	else
		esc_n(h, s, strlen(s), how);
}

static void
esc(struct hctx *h, const char *s)
{
	esc_as(h, s, 0);
}

/* The CSP source of the style element: 'sha256-BASE64'. */
static void
style_hash(char out[64])
{
	unsigned char d[SHA256_DIGEST_LENGTH];
	unsigned char b64[48];

	SHA256((const unsigned char *)css, sizeof(css) - 1, d);
	EVP_EncodeBlock(b64, d, (int)sizeof(d));
	snprintf(out, 64, "'sha256-%s'", (const char *)b64);
}

void
report_html_head(FILE *fp, const char *title)
{
	struct sbuf t = SBUF_INIT;
	char hash[64];

	style_hash(hash);
	sbuf_add_escaped_for(&t, title, strlen(title), SBUF_ESC_HTML);
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n", fp);
	fprintf(fp, "<meta http-equiv=\"Content-Security-Policy\" "
	    "content=\"default-src 'none'; style-src %s\">\n", hash);
	fputs("<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n", fp);
	fprintf(fp, "<title>%s</title>\n", sbuf_str(&t));
	fprintf(fp, "<style>%s</style>\n</head>\n<body>\n", css);
	sbuf_release(&t);
}

static void
head(struct hctx *h, const struct diff_result *r)
{
	char *title = xstrfmt("imgdrift: %s", diff_verdict_name(r->verdict));

	report_html_head(h->fp, title);
	free(title);
}

static void
banner(struct hctx *h, const struct diff_result *r)
{
	const char *v = diff_verdict_name(r->verdict);
	struct sbuf words = SBUF_INIT;

	/* The text report's sentence, so that the two never disagree. */
	report_verdict_sentence(&words, r);
	fprintf(h->fp, "<header id=\"verdict\" class=\"verdict v-%s\" "
	    "data-verdict=\"%s\">\n<h1>%s</h1>\n<p>", v, v, v);
	esc(h, sbuf_str(&words));
	fputs("</p>\n", h->fp);
	sbuf_release(&words);
	fprintf(h->fp, "<p>required: %s (%s)</p>\n</header>\n",
	    diff_verdict_name(r->required),
	    r->meets ? "met, exit 0" : "not met, exit 1");
}

static void
input_row(struct hctx *h, const char *side, const char *name,
    const char *format, bool fingerprint, bool sha, const uint8_t *d)
{
	char buf[80];

	fprintf(h->fp, "<tr><th>%s</th><td class=\"path\">", side);
	esc(h, name);
	fprintf(h->fp, "</td><td>%s%s</td><td class=\"digest\">%s</td></tr>\n",
	    fingerprint ? "fingerprint of " : "", format,
	    sha ? report_short_digest(buf, d) : "");
}

static void
inputs(struct hctx *h, const struct diff_result *r)
{
	fputs("<section id=\"inputs\">\n<h2>Inputs</h2>\n<table>\n", h->fp);
	input_row(h, "A", r->name_a, r->format_a, r->fingerprint_a,
	    r->have_sha_a, r->sha_a);
	input_row(h, "B", r->name_b, r->format_b, r->fingerprint_b,
	    r->have_sha_b, r->sha_b);
	fputs("</table>\n</section>\n", h->fp);
}

static void
drift(struct hctx *h, const struct diff_result *r)
{
	struct sbuf where = SBUF_INIT;
	unsigned c;
	bool any = false;

	fputs("<section id=\"drift\">\n<h2>Drift</h2>\n", h->fp);
	for (c = 0; c < DIFF_NCLASS; c++) {
		if (r->counts[c] == 0)
			continue;
		if (!any)
			fputs("<table>\n<tr><th>class</th><th>findings</th>"
			    "<th>where</th></tr>\n", h->fp);
		any = true;
		sbuf_reset(&where);
		report_class_where(&where, r, c);
		fprintf(h->fp, "<tr class=\"class\" data-class=\"%s\"><th>%s%s</th>"
		    "<td class=\"n\">%zu", diff_class_name(c), diff_class_name(c),
		    r->ignored[c] ? " (ignored)" : "", r->counts[c]);
		if (r->accepted[c] > 0)
			fprintf(h->fp, " (%zu accepted)", r->accepted[c]);
		fputs("</td><td>", h->fp);
		esc(h, sbuf_str(&where));
		fputs("</td></tr>\n", h->fp);
	}
	fputs(any ? "</table>\n" : "<p>no drift found</p>\n", h->fp);
	fputs("</section>\n", h->fp);
	sbuf_release(&where);
}

/* The packages that moved, as diff_text.c's packages block has them. */
static void
packages(struct hctx *h, const struct diff_result *r)
{
	const struct diff_package *p;
	size_t k;

	for (k = 0; (p = report_package(r, k, NULL)) != NULL; k++) {
		if (k == 0)
			fputs("<section id=\"packages\">\n<h2>Packages</h2>\n<table>\n"
			    "<tr><th>ecosystem</th><th>package</th><th>arch</th>"
			    "<th>A</th><th>B</th><th>change</th><th>files</th></tr>\n",
			    h->fp);
		fprintf(h->fp, "<tr class=\"package\"><td>%s</td><td>",
		    pkg_eco_name(p->eco));
		esc(h, p->name);
		if (p->where[0] != '\0') {
			fputs(" (", h->fp);
			esc(h, p->where);
			fputc(')', h->fp);
		}
		fputs("</td><td>", h->fp);
		esc(h, p->arch);
		fputs("</td><td>", h->fp);
		esc(h, p->a);
		fputs("</td><td>", h->fp);
		esc(h, p->b);
		fprintf(h->fp, "</td><td>%s</td><td class=\"n\">%zu</td></tr>\n",
		    diff_pkg_change_name(p->change), p->files);
	}
	if (k > 0)
		fputs("</table>\n</section>\n", h->fp);
}

/* A layer's step, cut at 72 characters as the text report cuts it. */
static void
step(struct hctx *h, const char *s)
{
	char *cut = report_cut(s, 72, false);

	esc(h, cut);
	free(cut);
}

/* Where --dockerfile says a layer was made: "Dockerfile:4". */
static void
dockerfile_line(struct hctx *h, const struct diff_result *r,
    unsigned line)
{
	if (line == 0)
		return;
	fputs("<code class=\"dockerfile\">", h->fp);
	esc(h, r->dockerfile);
	fprintf(h->fp, ":%u</code>", line);
}

static void
layer_table(struct hctx *h, const struct diff_result *r)
{
	size_t i, j;
	unsigned c;

	for (i = 0; i < r->nimages; i++) {
		const struct diff_image *di = &r->images[i];

		if (di->nlayers == 0)
			continue;
		if (i == 0 || r->images[i - 1].nlayers == 0)
			fputs("<section id=\"layers\">\n<h2>Layers</h2>\n", h->fp);
		fputs("<table class=\"layers\">\n<caption>", h->fp);
		esc(h, di->platform != NULL ? di->platform : "(platform unknown)");
		fputs("</caption>\n<tr><th>layer</th><th>step</th>", h->fp);
		if (r->dockerfile != NULL)
			fputs("<th>Dockerfile</th>", h->fp);
		for (c = 0; c < DIFF_NCLASS; c++)
			fprintf(h->fp, "<th>%s</th>", diff_class_name(c));
		fputs("</tr>\n", h->fp);
		for (j = 0; j < di->nlayers; j++) {
			const struct diff_layer *l = &di->layers[j];

			fprintf(h->fp, "<tr><td class=\"n\">%d</td><td><code>",
			    l->index);
			if (l->step != NULL)
				step(h, l->step);
			fputs("</code></td>", h->fp);
			if (r->dockerfile != NULL) {
				fputs("<td>", h->fp);
				dockerfile_line(h, r, l->dockerfile_line);
				fputs("</td>", h->fp);
			}
			for (c = 0; c < DIFF_NCLASS; c++)
				fprintf(h->fp, l->counts[c] ? "<td class=\"n\">%zu</td>" :
				    "<td class=\"n z\">%zu</td>", l->counts[c]);
			fputs("</tr>\n", h->fp);
		}
		fputs("</table>\n", h->fp);
	}
	for (i = 0; i < r->nimages && r->images[i].nlayers == 0; i++)
		;
	if (i < r->nimages)
		fputs("</section>\n", h->fp);
}

/* A multi-line detail: a text diff's lines coloured by their sign, a hex
   context or an archive's members, each line escaped. */
static void
detail(struct hctx *h, const char *d)
{
	const char *nl, *cls;

	fputs("<pre class=\"detail\">", h->fp);
	for (; *d != '\0'; d = nl + 1) {
		nl = strchr(d, '\n');
		if (nl == NULL)
			nl = d + strlen(d);
		cls = strncmp(d, "@@", 2) == 0 ? "hunk" : *d == '+' ? "add" :
		    *d == '-' ? "del" : NULL;
		if (cls != NULL)
			fprintf(h->fp, "<span class=\"%s\">", cls);
		esc_n(h, d, (size_t)(nl - d), 0);
		fputs(cls != NULL ? "</span>\n" : "\n", h->fp);
		if (*nl == '\0')
			break;
	}
	fputs("</pre>\n", h->fp);
}

static void
finding(struct hctx *h, const struct diff_result *r,
    const struct diff_finding *f)
{
	char cause[DIFF_CAUSE_TEXT_MAX], why[80], *check;
	unsigned how = f->json_values ? SBUF_ESC_JSON_TEXT : 0;

	fputs("<li class=\"finding\">", h->fp);
	if (f->path != NULL) {
		fputs("<span class=\"path\">", h->fp);
		esc(h, f->path);
		fputs("</span> ", h->fp);
	}
	fputs("<code class=\"field\">", h->fp);
	esc(h, f->field);
	fputs("</code> ", h->fp);
	if (diff_field_word(f->field_id) != NULL)
		fprintf(h->fp, "%s: ", diff_field_word(f->field_id));
	fputs("<code class=\"a\">", h->fp);
	esc_as(h, f->a, how);
	fputs("</code> &#8594; <code class=\"b\">", h->fp);
	esc_as(h, f->b, how);
	fputs("</code>", h->fp);
	if (f->offset >= 0)
		fprintf(h->fp, " (first difference at byte %lld)",
		    (long long)f->offset);
	if (f->cause.prover != DIFF_PROVER_NONE) {
		fprintf(h->fp, "<br><span class=\"%s\">%s: ", f->explained ?
		    "cause" : "unexplained", report_cause_word(f));
		esc(h, diff_cause_text(&f->cause, cause, sizeof(cause)));
		fputs("</span>", h->fp);
	}
	if (f->package_database)
		fprintf(h->fp, "<br>package database%s", f->cls == DIFF_CONTENT &&
		    r->images[f->image].npackages > 0 ?
		    ": follows the packages that moved" : "");
	if (f->package != NULL) {
		fputs("<br>package: ", h->fp);
		esc(h, f->package);
		if ((check = report_check_text(r, f)) != NULL) {
			fputs(f->modified_after_install ? " <b>" : " ", h->fp);
			esc(h, check);
			fputs(f->modified_after_install ? "</b>" : "", h->fp);
			free(check);
		}
	}
	if (f->lint_rule != NULL) {
		fprintf(h->fp, "<br>lint <code>%s</code> at ", f->lint_rule);
		dockerfile_line(h, r, f->lint_line);
	}
		if (diff_look_name(f->look) != NULL) {
		fputs("<br>not looked into: ", h->fp);
		esc(h, diff_look_text(r, f->look, why, sizeof(why)));
	}
	if (f->accepted != NULL) {
		fputs("<br>accepted: ", h->fp);
		esc(h, f->accepted);
	}
	fputc('\n', h->fp);
	if (f->detail != NULL)
		detail(h, f->detail);
	fputs("</li>\n", h->fp);
}

/* The layer's mtime drift in one line, before its examples. */
static void
shift(struct hctx *h, const struct diff_layer *l)
{
	struct sbuf sb = SBUF_INIT;

	report_shift(&sb, l);
	if (sb.len > 0) {
		fputs("<p>", h->fp);
		esc(h, sbuf_str(&sb));
		fputs("</p>\n", h->fp);
	}
	sbuf_release(&sb);
}

/* The findings of one image at one (scope, layer), a <details> per class;
   total: the layer's counts, for the rest not shown. */
static void
classes(struct hctx *h, const struct diff_result *r, size_t image,
    enum diff_scope scope, int layer, const size_t *total)
{
	size_t i, shown;
	unsigned c;

	for (c = 0; c < DIFF_NCLASS; c++) {
		shown = 0;
		for (i = 0; i < r->nfindings; i++) {
			const struct diff_finding *f = &r->findings[i];

			if (f->image != image || f->scope != scope ||
			    f->layer != layer || f->cls != c)
				continue;
			if (shown++ == 0) {
				fprintf(h->fp, "<details class=\"class\" data-class=\"%s\" open>"
				    "<summary>%s (%zu)%s</summary>\n", diff_class_name(c),
				    diff_class_name(c), total != NULL ? total[c] : 0,
				    f->ignored ? " (ignored)" : "");
				if (c == DIFF_TIMESTAMP && layer > 0) {
					shift(h, &r->images[image].layers[layer - 1]);
				}
				fputs("<ul class=\"findings\">\n", h->fp);
			}
			finding(h, r, f);
		}
		if (shown == 0)
			continue;
		fputs("</ul>\n", h->fp);
		if (total != NULL && total[c] > shown)
			fprintf(h->fp, "<p class=\"more\">&#8230; %zu more</p>\n",
			    total[c] - shown);
		fputs("</details>\n", h->fp);
	}
}

/* Class counts of the findings at one (scope, layer), for summaries that
   have no counts of their own. */
static void
count(const struct diff_result *r, size_t image, enum diff_scope scope,
    size_t n[DIFF_NCLASS])
{
	size_t i;

	memset(n, 0, DIFF_NCLASS * sizeof(*n));
	for (i = 0; i < r->nfindings; i++)
		if (r->findings[i].image == image && r->findings[i].scope == scope)
			n[r->findings[i].cls]++;
}

/* A scope (manifest, config) as a <details> holding its findings. */
static void
scope_block(struct hctx *h, const struct diff_result *r, size_t image,
    enum diff_scope scope, const char *what, bool has_a, const uint8_t *a,
    bool has_b, const uint8_t *b)
{
	size_t n[DIFF_NCLASS], c, all = 0;
	char d1[80], d2[80];

	count(r, image, scope, n);
	for (c = 0; c < DIFF_NCLASS; c++)
		all += n[c];
	fputs(all > 0 ? "<details class=\"scope\" open><summary>" :
	    "<p class=\"scope\">", h->fp);
	fprintf(h->fp, "%s <span class=\"digest\">%s &#8594; %s</span>%s", what,
	    has_a ? report_short_digest(d1, a) : "(none)",
	    has_b ? report_short_digest(d2, b) : "(none)",
	    has_a && has_b && memcmp(a, b, 32) == 0 ?
	    " <span class=\"same\">same</span>" : "");
	if (all == 0) {
		fputs("</p>\n", h->fp);
		return;
	}
	fputs("</summary>\n", h->fp);
	classes(h, r, image, scope, 0, n);
	fputs("</details>\n", h->fp);
}

static void
layer_block(struct hctx *h, const struct diff_result *r, size_t image,
    const struct diff_layer *l, size_t nlayers)
{
	char d1[80], d2[80];
	size_t c, n = 0;

	for (c = 0; c < DIFF_NCLASS; c++)
		n += l->counts[c];
	fprintf(h->fp, "<details class=\"layer\"%s><summary>layer %d/%zu",
	    n > 0 ? " open" : "", l->index, nlayers);
	if (l->step != NULL) {
		fputs(" <code>", h->fp);
		step(h, l->step);
		fputs("</code>", h->fp);
	}
	if (l->dockerfile_line > 0) {
		fputs(" (", h->fp);
		dockerfile_line(h, r, l->dockerfile_line);
		fputc(')', h->fp);
	}
	fputs("</summary>\n", h->fp);
	if (!l->in_a || !l->in_b)
		fprintf(h->fp, "<p>only in %s: <span class=\"digest\">%s</span></p>\n",
		    l->in_a ? "A" : "B",
		    report_short_digest(d1, l->in_a ? l->digest_a : l->digest_b));
	else if (memcmp(l->digest_a, l->digest_b, 32) == 0)
		fprintf(h->fp, "<p class=\"same\">same <span class=\"digest\">%s"
		    "</span></p>\n", report_short_digest(d1, l->digest_a));
	else {
		fprintf(h->fp, "<p>digest <span class=\"digest\">%s &#8594; %s"
		    "</span><br>", report_short_digest(d1, l->digest_a),
		    report_short_digest(d2, l->digest_b));
		fprintf(h->fp, "diff_id <span class=\"digest\">%s &#8594; %s</span>"
		    "%s</p>\n", report_short_digest(d1, l->diff_id_a),
		    report_short_digest(d2, l->diff_id_b),
		    memcmp(l->diff_id_a, l->diff_id_b, 32) == 0 ?
		    " same content, other compression" : "");
		classes(h, r, image, DIFF_SCOPE_LAYER, l->index, l->counts);
	}
	fputs("</details>\n", h->fp);
}

/* The findings at a scope that has no block of its own. */
static void
loose(struct hctx *h, const struct diff_result *r, size_t image,
    enum diff_scope scope)
{
	size_t n[DIFF_NCLASS];

	count(r, image, scope, n);
	classes(h, r, image, scope, 0, n);
}

static void
image(struct hctx *h, const struct diff_result *r, size_t i)
{
	const struct diff_image *di = &r->images[i];
	bool both = di->in_a && di->in_b;
	size_t j;

	fputs("<details class=\"image\" open><summary>image ", h->fp);
	esc(h, di->platform != NULL ? di->platform : "(platform unknown)");
	fprintf(h->fp, " <b>%s</b></summary>\n", diff_verdict_name(di->verdict));
	loose(h, r, i, DIFF_SCOPE_ARCHIVE);
	if (both && (di->has_manifest_a || di->has_manifest_b))
		scope_block(h, r, i, DIFF_SCOPE_MANIFEST, "manifest",
		    di->has_manifest_a, di->manifest_a, di->has_manifest_b,
		    di->manifest_b);
	else
		loose(h, r, i, DIFF_SCOPE_MANIFEST);
	if (both && (di->has_config_a || di->has_config_b))
		scope_block(h, r, i, DIFF_SCOPE_CONFIG, "config",
		    di->has_config_a, di->config_a, di->has_config_b,
		    di->config_b);
	else if (both)
		loose(h, r, i, DIFF_SCOPE_CONFIG);
	for (j = 0; j < di->nlayers; j++)
		layer_block(h, r, i, &di->layers[j], di->nlayers);
	loose(h, r, i, DIFF_SCOPE_FS);
	fputs("</details>\n", h->fp);
}

static void
evidence(struct hctx *h, const struct diff_result *r)
{
	size_t i;

	if (r->nimages == 0)
		return;
	fputs("<section id=\"evidence\">\n<h2>Evidence</h2>\n", h->fp);
	if (r->examples_dropped > 0)
		fprintf(h->fp, "<p class=\"more\">%zu finding%s beyond "
		    "--max-examples counted, not shown</p>\n", r->examples_dropped,
		    r->examples_dropped == 1 ? "" : "s");
	for (i = 0; i < r->nimages; i++)
		image(h, r, i);
	fputs("</section>\n", h->fp);
}

/* A fix hint as a row: what it is for, and the hint. */
static void
hint(struct hctx *h, const char *what, const char *label, const char *text)
{
	fprintf(h->fp, "<tr><th>%s</th><td>", what);
	if (label != NULL && *label != '\0') {
		fputs("<code>", h->fp);
		esc(h, label);
		fputs("</code>: ", h->fp);
	}
	esc(h, text);
	fputs("</td></tr>\n", h->fp);
}

static void
tail(struct hctx *h, const struct diff_result *r)
{
	struct report_hint v[REPORT_FIX_MAX];
	size_t i, n;

	if (r->nexcludes > 0) {
		fputs("<section id=\"excluded\">\n<h2>Excluded</h2>\n<ul>\n", h->fp);
		for (i = 0; i < r->nexcludes; i++) {
			fputs("<li><code>", h->fp);
			esc(h, r->excludes[i].pattern);
			fprintf(h->fp, "</code> %zu path%s</li>\n",
			    r->excludes[i].removed,
			    r->excludes[i].removed == 1 ? "" : "s");
		}
		fputs("</ul>\n</section>\n", h->fp);
	}
	if (r->nnotes > 0) {
		fputs("<section id=\"notes\">\n<h2>Notes</h2>\n<ul>\n", h->fp);
		for (i = 0; i < r->nnotes; i++) {
			fputs("<li class=\"note\">", h->fp);
			esc(h, r->notes[i]);
			fputs("</li>\n", h->fp);
		}
		fputs("</ul>\n</section>\n", h->fp);
	}
	n = report_fix_hints(r, v, REPORT_FIX_MAX);
	if (n == 0)
		return;
	fputs("<section id=\"fix\">\n<h2>Fix</h2>\n<table>\n", h->fp);
	for (i = 0; i < n; i++)
		hint(h, v[i].what, v[i].label, v[i].text);
	fputs("</table>\n</section>\n", h->fp);
}

int
report_diff_html(FILE *fp, const struct diff_result *r,
    const struct report_style *st)
{
	struct hctx h = { fp, SBUF_INIT };

	(void)st;	/* one form: no colour codes, no quiet variant */
	head(&h, r);
	banner(&h, r);
	fputs("<main>\n", fp);
	inputs(&h, r);
	drift(&h, r);
	packages(&h, r);
	layer_table(&h, r);
	evidence(&h, r);
	tail(&h, r);
	fputs("</main>\n</body>\n</html>\n", fp);
	sbuf_release(&h.sb);
	return ferror(fp) ? ERR_IO : 0;
}
