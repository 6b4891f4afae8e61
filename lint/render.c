/*
 * render.c - findings as compiler-style text, JSON ("imgdrift.lint/1") and
 * SARIF 2.1.0.  Every file name and message goes through the one escaper
 * (sbuf_add_escaped(), via util_json_str() for JSON).
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lint/lint_int.h"
#include "util/json.h"

#ifndef IMGDRIFT_VERSION
#define IMGDRIFT_VERSION "0.0.0"
#endif

#define LINT_SCHEMA	"imgdrift.lint/1"
#define SARIF_SCHEMA	"https://json.schemastore.org/sarif-2.1.0.json"

static void
add_esc(struct sbuf *sb, const char *s)
{
	sbuf_add_escaped(sb, s, strlen(s));
}

static void
render_text(const struct lint_run *r, struct sbuf *sb)
{
	const struct lint_finding *f;
	size_t i;

	for (i = 0; i < lint_count(r); i++) {
		f = lint_finding_at(r, i);
		add_esc(sb, f->file);
		sbuf_addf(sb, ":%u:%u: %s: ", f->line, f->col,
		    lint_severity_name(f->rule->severity));
		add_esc(sb, f->message);
		sbuf_addf(sb, " [%s]\n    fix: %s\n", f->rule->id, f->rule->fix);
	}
}

/* Add to o the key k with the new reference v (jansson steals it). */
static void
put(json_t *o, const char *k, json_t *v)
{
	if (v == NULL || json_object_set_new(o, k, v) < 0)
		xalloc_die();
}

static void
push(json_t *a, json_t *v)
{
	if (v == NULL || json_array_append_new(a, v) < 0)
		xalloc_die();
}

static json_t *
new_object(void)
{
	json_t *o = json_object();

	if (o == NULL)
		xalloc_die();
	return o;
}

static json_t *
new_array(void)
{
	json_t *a = json_array();

	if (a == NULL)
		xalloc_die();
	return a;
}

static json_t *
render_json(const struct lint_run *r)
{
	json_t *root = new_object(), *files = new_array(), *sum = new_object();
	json_t *list = new_array(), *o;
	const struct lint_finding *f;
	const char *const *names;
	size_t i, n = lint_run_files(r, &names);

	put(root, "schema", json_string(LINT_SCHEMA));
	for (i = 0; i < n; i++)
		push(files, util_json_str(names[i]));
	put(root, "files", files);
	put(sum, "error", json_integer((json_int_t)(lint_count_at_least(r,
	    LINT_ERROR))));
	put(sum, "warning", json_integer((json_int_t)(lint_count_at_least(r,
	    LINT_WARNING) - lint_count_at_least(r, LINT_ERROR))));
	put(sum, "note", json_integer((json_int_t)(lint_count(r) -
	    lint_count_at_least(r, LINT_WARNING))));
	put(root, "summary", sum);
	for (i = 0; i < lint_count(r); i++) {
		f = lint_finding_at(r, i);
		o = new_object();
		put(o, "file", util_json_str(f->file));
		put(o, "line", json_integer(f->line));
		put(o, "column", json_integer(f->col));
		put(o, "rule", json_string(f->rule->id));
		put(o, "severity", json_string(lint_severity_name(
		    f->rule->severity)));
		put(o, "message", util_json_str(f->message));
		put(o, "fix", json_string(f->rule->fix));
		push(list, o);
	}
	put(root, "findings", list);
	return root;
}

/* A file name as a URI reference: relative stays relative, absolute
   becomes file://; bytes outside the unreserved set are %-encoded. */
static json_t *
sarif_uri(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	struct sbuf sb = SBUF_INIT;
	const unsigned char *p;
	json_t *j;

	if (path[0] == '/')
		sbuf_addstr(&sb, "file://");
	for (p = (const unsigned char *)path; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p) != NULL)
			sbuf_addc(&sb, (char)*p);
		else {
			sbuf_addc(&sb, '%');
			sbuf_addc(&sb, hex[*p >> 4]);
			sbuf_addc(&sb, hex[*p & 15]);
		}
	}
	j = json_string(sbuf_str(&sb));
	sbuf_release(&sb);
	return j;
}

static json_t *
text_object(json_t *s)
{
	json_t *o = new_object();

	put(o, "text", s);
	return o;
}

static json_t *
sarif_rules(void)
{
	json_t *rules = new_array(), *o, *cfg;
	size_t i, n;
	const struct lint_rule *t = lint_rules(&n);

	for (i = 0; i < n; i++) {
		o = new_object();
		put(o, "id", json_string(t[i].id));
		put(o, "shortDescription", text_object(json_string(t[i].summary)));
		put(o, "help", text_object(json_string(t[i].fix)));
		cfg = new_object();
		put(cfg, "level", json_string(lint_severity_name(t[i].severity)));
		put(o, "defaultConfiguration", cfg);
		push(rules, o);
	}
	return rules;
}

static json_t *
sarif_result(const struct lint_finding *f)
{
	json_t *o = new_object(), *loc = new_object(), *phys = new_object();
	json_t *art = new_object(), *reg = new_object(), *locs = new_array();

	put(o, "ruleId", json_string(f->rule->id));
	put(o, "ruleIndex", json_integer(f->rule - lint_rule_table));
	put(o, "level", json_string(lint_severity_name(f->rule->severity)));
	put(o, "message", text_object(util_json_str(f->message)));
	put(art, "uri", sarif_uri(f->file));
	put(phys, "artifactLocation", art);
	put(reg, "startLine", json_integer(f->line));
	put(reg, "startColumn", json_integer(f->col));
	put(phys, "region", reg);
	put(loc, "physicalLocation", phys);
	push(locs, loc);
	put(o, "locations", locs);
	return o;
}

static json_t *
render_sarif(const struct lint_run *r)
{
	json_t *root = new_object(), *runs = new_array(), *run = new_object();
	json_t *tool = new_object(), *driver = new_object(), *res = new_array();
	size_t i;

	put(root, "$schema", json_string(SARIF_SCHEMA));
	put(root, "version", json_string("2.1.0"));
	put(driver, "name", json_string("imgdrift"));
	put(driver, "version", json_string(IMGDRIFT_VERSION));
	put(driver, "rules", sarif_rules());
	put(tool, "driver", driver);
	put(run, "tool", tool);
	put(run, "columnKind", json_string("unicodeCodePoints"));
	for (i = 0; i < lint_count(r); i++)
		push(res, sarif_result(lint_finding_at(r, i)));
	put(run, "results", res);
	push(runs, run);
	put(root, "runs", runs);
	return root;
}

int
lint_render(const struct lint_run *r, FILE *fp, enum lint_format fmt,
    struct err *e)
{
	struct sbuf sb = SBUF_INIT;
	json_t *j = NULL;
	char *s;

	if (fmt == LINT_TEXT)
		render_text(r, &sb);
	else {
		j = fmt == LINT_JSON ? render_json(r) : render_sarif(r);
		if ((s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER)) == NULL)
			xalloc_die();
		sbuf_addstr(&sb, s);
		sbuf_addc(&sb, '\n');
		free(s);
		json_decref(j);
	}
	if (sb.len > 0 && fwrite(sb.buf, 1, sb.len, fp) != sb.len) {
		sbuf_release(&sb);
		return err_set(e, ERR_IO, "cannot write the findings");
	}
	sbuf_release(&sb);
	return 0;
}
