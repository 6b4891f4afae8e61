/*
 * lint.c - the run: findings, reading files, positions in the file.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint/lint_int.h"

struct lint_run {
	struct lint_finding *v;
	size_t n, cap;
	char **files;		/* names given, owned; findings point here */
	size_t nfiles, fcap;
	char *context;		/* the build context, or NULL: each file's
				   directory */
	bool disabled[R_COUNT];	/* lint_disable(): not reported */
};

struct lint_run *
lint_new(void)
{
	return xcalloc(1, sizeof(struct lint_run));
}

static void
finding_release(struct lint_finding *f)
{
	free((char *)(uintptr_t)f->message);
}

void
lint_free(struct lint_run *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++)
		finding_release(&r->v[i]);
	for (i = 0; i < r->nfiles; i++)
		free(r->files[i]);
	free(r->v);
	free(r->files);
	free(r->context);
	free(r);
}

void
lint_set_context(struct lint_run *r, const char *dir)
{
	free(r->context);
	r->context = xstrdup(dir);
}

size_t
lint_count(const struct lint_run *r)
{
	return r->n;
}

const struct lint_finding *
lint_finding_at(const struct lint_run *r, size_t i)
{
	return i < r->n ? &r->v[i] : NULL;
}

size_t
lint_count_at_least(const struct lint_run *r, enum lint_severity min)
{
	size_t i, n = 0;

	for (i = 0; i < r->n; i++)
		if (r->v[i].rule->severity >= min)
			n++;
	return n;
}

int
lint_disable(struct lint_run *r, const char *list, struct err *e)
{
	const struct lint_rule *rule;
	char *ids, *tok, *save = NULL;
	int rc = 0;

	if (list[strspn(list, ",")] == '\0')
		return err_set(e, ERR_USAGE, "no rule named in '%s'", list);
	ids = xstrdup(list);
	for (tok = strtok_r(ids, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if ((rule = lint_rule_find(tok)) == NULL) {
			rc = err_set(e, ERR_USAGE, "no rule '%s' (the rule ids "
			    "are those docs/lint.md lists, and the SARIF "
			    "report's tool.driver.rules)", tok);
			break;
		}
		r->disabled[rule - lint_rule_table] = true;
	}
	free(ids);
	return rc;
}

void
lint_add(struct lint_run *r, enum lint_rule_id rule,
    struct lint_pos pos, const char *fmt, ...)
{
	struct lint_finding *f;
	char *msg;
	va_list ap;
	int n;

	if (r->disabled[rule])
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	msg = xmalloc(n > 0 ? (size_t)n + 1 : 1);
	msg[0] = '\0';
	va_start(ap, fmt);
	if (n > 0)
		vsnprintf(msg, (size_t)n + 1, fmt, ap);
	va_end(ap);

	xgrow(&r->v, &r->cap, r->n + 1, sizeof(*r->v));
	f = &r->v[r->n++];
	f->rule = &lint_rule_table[rule];
	f->file = r->files[r->nfiles - 1];
	f->line = pos.line;
	f->col = pos.col;
	f->message = msg;
}

static int
finding_cmp(const void *a, const void *b)
{
	const struct lint_finding *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	if (x->rule != y->rule)
		return strcmp(x->rule->id, y->rule->id);
	return strcmp(x->message, y->message);
}

size_t
lint_run_files(const struct lint_run *r, const char *const **files)
{
	*files = (const char *const *)r->files;
	return r->nfiles;
}

/* Positions. */

void
lint_text_add(struct lint_text *t, size_t bufoff, const char *p, size_t n)
{
	if (n == 0)
		return;
	xgrow(&t->seg, &t->cap, t->nseg + 1, sizeof(*t->seg));
	t->seg[t->nseg].off = t->sb.len;
	t->seg[t->nseg].bufoff = bufoff;
	t->nseg++;
	sbuf_add(&t->sb, p, n);
}

void
lint_text_release(struct lint_text *t)
{
	sbuf_release(&t->sb);
	free(t->seg);
	t->seg = NULL;
	t->nseg = t->cap = 0;
}

static bool
starts_code_point(char c)
{
	return ((unsigned char)c & 0xc0) != 0x80;
}

/* @return the number of code points in d->buf before off. */
static size_t
code_points_before(const struct lint_doc *d, size_t off)
{
	size_t i = 0, n = 0;

	if (d->cps != NULL) {
		i = off - off % LINT_CP_BLOCK;
		n = d->cps[off / LINT_CP_BLOCK];
	}
	for (; i < off; i++)
		n += starts_code_point(d->buf[i]);
	return n;
}

/* Index the code points, so that a column costs one block, not a line. */
static void
index_code_points(struct lint_doc *d)
{
	size_t i, n = 0;

	d->cps = xmalloc((d->len / LINT_CP_BLOCK + 1) * sizeof(*d->cps));
	for (i = 0; i < d->len; i++) {
		if (i % LINT_CP_BLOCK == 0)
			d->cps[i / LINT_CP_BLOCK] = (uint32_t)n;
		n += starts_code_point(d->buf[i]);
	}
	if (d->len % LINT_CP_BLOCK == 0)
		d->cps[d->len / LINT_CP_BLOCK] = (uint32_t)n;
}

struct lint_pos
lint_doc_pos(const struct lint_doc *d, size_t bufoff)
{
	struct lint_pos p = { 1, 1 };
	size_t lo = 0, hi = d->nlines, mid;

	if (d->nlines == 0)
		return p;
	if (bufoff > d->len)
		bufoff = d->len;
	/* the last line that starts at or before bufoff */
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (d->lines[mid] <= bufoff)
			lo = mid;
		else
			hi = mid;
	}
	p.line = (unsigned)lo + 1;
	p.col = (unsigned)(code_points_before(d, bufoff) -
	    code_points_before(d, d->lines[lo]) + 1);
	return p;
}

struct lint_pos
lint_text_pos(const struct lint_doc *d, const struct lint_text *t, size_t off)
{
	size_t lo = 0, hi = t->nseg, mid;

	if (t->nseg == 0)
		return lint_doc_pos(d, d->len);
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (t->seg[mid].off <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lint_doc_pos(d, t->seg[lo].bufoff + (off - t->seg[lo].off));
}

/* Files. */

int
lint_read_file(const char *path, struct sbuf *out, struct err *e)
{
	char buf[65536];
	FILE *fp;
	size_t n;
	int r = 0;

	if ((fp = fopen(path, "rb")) == NULL)
		return err_set(e, ERR_IO, "cannot open '%s': %s", path,
		    strerror(errno));
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0) {
		if (out->len + n > LINT_FILE_MAX) {
			r = err_set(e, ERR_LIMIT, "'%s' is larger than %u bytes",
			    path, LINT_FILE_MAX);
			goto out;
		}
		sbuf_add(out, buf, n);
	}
	if (ferror(fp))
		r = err_set(e, ERR_IO, "cannot read '%s': %s", path,
		    strerror(errno));
 out:
	fclose(fp);
	return r;
}

/* @return the directory that holds path (caller frees). */
static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	return xstrndup(path, slash == path ? 1 : (size_t)(slash - path));
}

int
lint_file(struct lint_run *r, const char *path, struct err *e)
{
	struct sbuf sb = SBUF_INIT;
	char *dir = NULL;
	int rc;

	if ((rc = lint_read_file(path, &sb, e)) < 0)
		goto out;
	dir = r->context != NULL ? xstrdup(r->context) : dir_of(path);
	rc = lint_buf(r, path, sbuf_str(&sb), sb.len, dir, e);
 out:
	free(dir);
	sbuf_release(&sb);
	return rc;
}

/* The stages of the final image, and their instructions, into out. */
static void
collect_steps(const struct lint_doc *d, const struct lint_dockerfile *df,
    struct lint_steps *out)
{
	struct lint_cmd w = LINT_CMD_INIT;
	size_t *stage_of = xcalloc(df->n + 1, sizeof(*stage_of));
	char **base = NULL, **alias = NULL;
	size_t i, k, n = 0, cap = 0, cap2 = 0, vcap = 0, last, want, *chain;
	size_t nchain = 0;
	const char *kw;
	char *p;

	for (i = 0; i < df->n; i++) {
		if (df->v[i].kw == KW_FROM) {
			lint_split_words(d, &df->v[i].args, 0, &w);
			for (k = 0; k < w.n && strncmp(w.w[k].s, "--", 2) == 0; k++)
				;
			xgrow(&base, &cap, n + 1, sizeof(*base));
			xgrow(&alias, &cap2, n + 1, sizeof(*alias));
			base[n] = xstrdup(k < w.n ? w.w[k].s : "");
			alias[n] = xstrdup(k + 2 < w.n &&
			    strcasecmp(w.w[k + 1].s, "as") == 0 ? w.w[k + 2].s : "");
			n++;
			lint_cmd_release(&w);
		}
		stage_of[i] = n;	/* 0: before the first FROM */
	}
	/* the last stage, then each stage it names in FROM, backwards */
	chain = xcalloc(n + 1, sizeof(*chain));
	for (last = n; last > 0 && nchain < n; ) {
		chain[nchain++] = last;
		for (want = 0, k = last - 1; k-- > 0; )
			if (alias[k][0] != '\0' &&
			    strcasecmp(alias[k], base[last - 1]) == 0) {
				want = k + 1;
				break;
			}
		last = want;
	}
	for (k = nchain; k-- > 0; )
		for (i = 0; i < df->n; i++) {
			if (stage_of[i] != chain[k] || df->v[i].kw == KW_FROM)
				continue;
			xgrow(&out->v, &vcap, out->n + 1, sizeof(*out->v));
			kw = d->buf + df->v[i].bufoff;
			out->v[out->n].line = lint_doc_pos(d, df->v[i].bufoff).line;
			out->v[out->n].last_line = i + 1 < df->n ?
			    lint_doc_pos(d, df->v[i + 1].bufoff).line - 1 :
			    (unsigned)d->nlines;
			out->v[out->n].keyword = xstrndup(kw, strcspn(kw, " \t\r\n"));
			for (p = out->v[out->n].keyword; *p != '\0'; p++)
				if (*p >= 'a' && *p <= 'z')
					*p -= 'a' - 'A';
			out->v[out->n].args = xstrdup(df->v[i].args.sb.buf != NULL ?
			    df->v[i].args.sb.buf : "");
			out->n++;
		}
	for (k = 0; k < n; k++) {
		free(base[k]);
		free(alias[k]);
	}
	free(base);
	free(alias);
	free(chain);
	free(stage_of);
}

void
lint_steps_release(struct lint_steps *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->v[i].keyword);
		free(s->v[i].args);
	}
	free(s->v);
	free(s->name);
	memset(s, 0, sizeof(*s));
}

static int buf_steps(struct lint_run *r, const char *name, const char *buf,
    size_t len, const char *dir, struct lint_steps *steps, struct err *e);

int
lint_image_steps(struct lint_run *r, const char *path, struct lint_steps *out,
    struct err *e)
{
	struct sbuf sb = SBUF_INIT;
	char *dir = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = lint_read_file(path, &sb, e)) < 0)
		goto out;
	dir = r->context != NULL ? xstrdup(r->context) : dir_of(path);
	out->name = xstrdup(path);
	rc = buf_steps(r, path, sbuf_str(&sb), sb.len, dir, out, e);
 out:
	if (rc < 0)
		lint_steps_release(out);
	free(dir);
	sbuf_release(&sb);
	return rc;
}

int
lint_buf(struct lint_run *r, const char *name, const char *buf, size_t len,
    const char *dir, struct err *e)
{
	return buf_steps(r, name, buf, len, dir, NULL, e);
}

int
lint_buf_steps(struct lint_run *r, const char *name, const char *buf,
    size_t len, struct lint_steps *out, struct err *e)
{
	int rc;

	memset(out, 0, sizeof(*out));
	out->name = xstrdup(name);
	if ((rc = buf_steps(r, name, buf, len, NULL, out, e)) < 0)
		lint_steps_release(out);
	return rc;
}

static int
buf_steps(struct lint_run *r, const char *name, const char *buf, size_t len,
    const char *dir, struct lint_steps *steps, struct err *e)
{
	struct lint_dockerfile df = { NULL, 0, 0, '\\' };
	struct lint_doc d = { name, dir, buf, len, NULL, 0, NULL };
	size_t i, first = r->n, cap = 0;
	int rc;

	if (len > LINT_FILE_MAX)
		return err_set(e, ERR_LIMIT, "'%s' is larger than %u bytes", name,
		    LINT_FILE_MAX);
	if (len >= 3 && memcmp(buf, LINT_BOM, 3) == 0) {
		/* columns count from after it, as in an editor */
		d.buf = buf += 3;
		d.len = len -= 3;
	}
	for (i = 0; i <= len; i++) {
		if (i == 0 || buf[i - 1] == '\n') {
			if (i == len && i > 0)
				break;
			xgrow(&d.lines, &cap, d.nlines + 1, sizeof(*d.lines));
			d.lines[d.nlines++] = i;
		}
	}
	index_code_points(&d);
	xgrow(&r->files, &r->fcap, r->nfiles + 1, sizeof(*r->files));
	r->files[r->nfiles++] = xstrdup(name);
	if ((rc = lint_parse(&d, &df, e)) < 0) {
		err_prefix(e, "%s", name);
		goto out;
	}
	lint_check(r, &d, &df);
	if (steps != NULL)
		collect_steps(&d, &df, steps);
	if (r->n > first)
		qsort(r->v + first, r->n - first, sizeof(*r->v), finding_cmp);
 out:
	if (rc < 0) {
		for (i = first; i < r->n; i++)
			finding_release(&r->v[i]);
		r->n = first;
		free(r->files[--r->nfiles]);
	}
	lint_dockerfile_release(&df);
	free(d.lines);
	free(d.cps);
	return rc;
}

/* Names. */

const char *
lint_severity_name(enum lint_severity s)
{
	switch (s) {
	case LINT_ERROR:	return "error";
	case LINT_WARNING:	return "warning";
	default:		return "note";
	}
}

int
lint_parse_severity(const char *s, enum lint_severity *out)
{
	if (strcmp(s, "error") == 0)
		*out = LINT_ERROR;
	else if (strcmp(s, "warning") == 0)
		*out = LINT_WARNING;
	else if (strcmp(s, "note") == 0)
		*out = LINT_NOTE;
	else
		return -1;
	return 0;
}

int
lint_parse_format(const char *s, enum lint_format *out)
{
	if (strcmp(s, "text") == 0)
		*out = LINT_TEXT;
	else if (strcmp(s, "json") == 0)
		*out = LINT_JSON;
	else if (strcmp(s, "sarif") == 0)
		*out = LINT_SARIF;
	else
		return -1;
	return 0;
}
