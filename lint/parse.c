/*
 * parse.c - a Dockerfile parser after BuildKit's: parser directives, the
 * escape character, line continuations (comment and blank lines inside them
 * dropped), case-insensitive instructions and heredocs.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lint/lint_int.h"

static const struct {
	const char *name;
	enum lint_kw kw;
} keywords[] = {
	{ "add", KW_ADD }, { "arg", KW_ARG }, { "cmd", KW_OTHER },
	{ "copy", KW_COPY }, { "entrypoint", KW_OTHER }, { "env", KW_ENV },
	{ "expose", KW_OTHER }, { "from", KW_FROM }, { "healthcheck", KW_OTHER },
	{ "label", KW_OTHER }, { "maintainer", KW_OTHER },
	{ "onbuild", KW_ONBUILD }, { "run", KW_RUN }, { "shell", KW_OTHER },
	{ "stopsignal", KW_OTHER }, { "user", KW_OTHER },
	{ "volume", KW_OTHER }, { "workdir", KW_OTHER },
};

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Physical line ln without its newline (and a CR before it). */
static void
get_line(const struct lint_doc *d, size_t ln, size_t *off, size_t *len)
{
	size_t end = ln + 1 < d->nlines ? d->lines[ln + 1] : d->len;

	*off = d->lines[ln];
	if (end > *off && d->buf[end - 1] == '\n')
		end--;
	if (end > *off && d->buf[end - 1] == '\r')
		end--;
	*len = end - *off;
}

/* @return true when the line is blank or a comment. */
static bool
is_skippable(const char *p, size_t n)
{
	size_t i = 0;

	while (i < n && (is_blank(p[i]) || p[i] == '\r' || p[i] == '\f'))
		i++;
	return i == n || p[i] == '#';
}

/*
 * A parser directive: "# key = value".  @return true with key and value
 * (value trimmed) when the line is one.
 */
static bool
parse_directive(const char *p, size_t n, const char **key, size_t *klen,
    const char **val, size_t *vlen)
{
	size_t i = 0, k;

	while (i < n && is_blank(p[i]))
		i++;
	if (i == n || p[i++] != '#')
		return false;
	while (i < n && is_blank(p[i]))
		i++;
	k = i;
	while (i < n && ((p[i] >= 'a' && p[i] <= 'z') ||
	    (p[i] >= 'A' && p[i] <= 'Z') || (i > k && p[i] >= '0' && p[i] <= '9')))
		i++;
	if (i == k)
		return false;
	*key = p + k;
	*klen = i - k;
	while (i < n && is_blank(p[i]))
		i++;
	if (i == n || p[i++] != '=')
		return false;
	while (i < n && is_blank(p[i]))
		i++;
	while (n > i && is_blank(p[n - 1]))
		n--;
	*val = p + i;
	*vlen = n - i;
	return true;
}

static bool
key_is(const char *k, size_t n, const char *want)
{
	return n == strlen(want) && strncasecmp(k, want, n) == 0;
}

static int
read_directives(const struct lint_doc *d, struct lint_dockerfile *df,
    struct err *e)
{
	const char *key, *val;
	size_t ln, off, len, klen, vlen;
	bool seen_escape = false;

	for (ln = 0; ln < d->nlines; ln++) {
		get_line(d, ln, &off, &len);
		if (!parse_directive(d->buf + off, len, &key, &klen, &val, &vlen))
			break;
		if (key_is(key, klen, "escape")) {
			if (seen_escape)
				return err_set(e, ERR_FORMAT,
				    "line %zu: a second escape directive", ln + 1);
			if (vlen != 1 || (val[0] != '\\' && val[0] != '`'))
				return err_set(e, ERR_FORMAT, "line %zu: the escape "
				    "directive takes \\ or ` only", ln + 1);
			df->escape = val[0];
			seen_escape = true;
		} else if (!key_is(key, klen, "syntax") &&
		    !key_is(key, klen, "check"))
			break;
	}
	return 0;
}

/*
 * Append the content of one physical line to t, without a trailing escape
 * character (and the blanks after it).  @return true when it continues.
 */
static bool
add_line(const struct lint_doc *d, char escape, size_t off, size_t len,
    struct lint_text *t)
{
	const char *p = d->buf + off;
	size_t n = len;
	bool cont = false;

	while (n > 0 && is_blank(p[n - 1]))
		n--;
	if (n > 0 && p[n - 1] == escape) {
		cont = true;
		len = n - 1;
	}
	lint_text_add(t, off, p, len);
	return cont;
}

static void
heredoc_add(struct lint_insn *in, const char *w, size_t n, bool strip)
{
	struct lint_heredoc *h;

	xgrow(&in->hd, &in->hcap, in->nhd + 1, sizeof(*in->hd));
	h = &in->hd[in->nhd++];
	memset(h, 0, sizeof(*h));
	h->word = xstrndup(w, n);
	h->strip_tabs = strip;
}

static bool
is_heredoc_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

/* Find the heredoc markers (<<WORD, <<-WORD, <<"WORD") outside quotes. */
static void
find_heredocs(struct lint_insn *in, char escape)
{
	const char *s = sbuf_str(&in->args.sb);
	size_t n = in->args.sb.len, i = 0, k;
	char q = 0, open;
	bool strip;

	while (i < n && is_blank(s[i]))
		i++;
	if (i < n && s[i] == '[')
		return;		/* exec form has no heredocs */
	for (; i < n; i++) {
		if (s[i] == escape && q != '\'') {
			i++;
			continue;
		}
		if (q) {
			if (s[i] == q)
				q = 0;
			continue;
		}
		if (s[i] == '\'' || s[i] == '"') {
			q = s[i];
			continue;
		}
		if (s[i] != '<' || i + 1 >= n || s[i + 1] != '<')
			continue;
		if (i + 2 < n && s[i + 2] == '<') {
			i += 2;		/* a here-string */
			continue;
		}
		i += 2;
		strip = i < n && s[i] == '-';
		if (strip)
			i++;
		open = i < n && (s[i] == '"' || s[i] == '\'') ? s[i++] : 0;
		for (k = i; k < n && is_heredoc_char(s[k]); k++)
			;
		if (k > i)
			heredoc_add(in, s + i, k - i, strip);
		if (open && k < n && s[k] == open)
			k++;
		i = k - 1;
	}
}

/* Read the bodies of in's heredocs from line *ln on. */
static int
read_heredocs(const struct lint_doc *d, struct lint_insn *in, size_t *ln,
    struct err *e)
{
	struct lint_heredoc *h;
	size_t i, off, len, skip, start = *ln;

	for (i = 0; i < in->nhd; i++) {
		h = &in->hd[i];
		for (;;) {
			if (*ln >= d->nlines)
				return err_set(e, ERR_FORMAT, "line %zu: heredoc "
				    "<<%s is not terminated", start, h->word);
			get_line(d, (*ln)++, &off, &len);
			skip = 0;
			while (h->strip_tabs && skip < len && d->buf[off + skip] == '\t')
				skip++;
			if (len - skip == strlen(h->word) &&
			    memcmp(d->buf + off + skip, h->word, len - skip) == 0)
				break;
			lint_text_add(&h->body, off + skip, d->buf + off + skip,
			    len - skip);
			lint_text_add(&h->body, off + len, "\n", 1);
		}
	}
	return 0;
}

static int
find_keyword(const char *p, size_t n, enum lint_kw *kw)
{
	size_t i;

	for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (key_is(p, n, keywords[i].name)) {
			*kw = keywords[i].kw;
			return 0;
		}
	return -1;
}

/* Parse the instruction that starts on line *ln. */
static int
parse_insn(const struct lint_doc *d, struct lint_dockerfile *df, size_t *ln,
    struct err *e)
{
	struct lint_insn *in;
	size_t off, len, i, k;
	bool cont;

	get_line(d, *ln, &off, &len);
	for (i = 0; i < len && is_blank(d->buf[off + i]); i++)
		;
	for (k = i; k < len && !is_blank(d->buf[off + k]); k++)
		;
	xgrow(&df->v, &df->cap, df->n + 1, sizeof(*df->v));
	in = &df->v[df->n];
	memset(in, 0, sizeof(*in));
	if (find_keyword(d->buf + off + i, k - i, &in->kw) < 0) {
		return err_set(e, ERR_FORMAT, "line %zu: unknown instruction '%.*s'",
		    *ln + 1, (int)(k - i > 40 ? 40 : k - i), d->buf + off + i);
	}
	df->n++;
	in->bufoff = off + i;
	while (k < len && is_blank(d->buf[off + k]))
		k++;
	cont = add_line(d, df->escape, off + k, len - k, &in->args);
	for ((*ln)++; cont && *ln < d->nlines; (*ln)++) {
		get_line(d, *ln, &off, &len);
		if (is_skippable(d->buf + off, len))
			continue;
		cont = add_line(d, df->escape, off, len, &in->args);
	}
	if (in->kw == KW_RUN || in->kw == KW_COPY || in->kw == KW_ADD)
		find_heredocs(in, df->escape);
	if (in->nhd > 0)
		return read_heredocs(d, in, ln, e);
	return 0;
}

static bool
text_is_empty(const struct lint_text *t)
{
	size_t i;

	for (i = 0; i < t->sb.len; i++)
		if (!is_blank(t->sb.buf[i]))
			return false;
	return true;
}

int
lint_parse(const struct lint_doc *d, struct lint_dockerfile *df,
    struct err *e)
{
	const struct lint_insn *in;
	size_t ln = 0, off, len;
	bool seen_from = false;
	const char *nul = memchr(d->buf, '\0', d->len);
	struct lint_pos pos;
	int rc;

	if (nul != NULL) {
		pos = lint_doc_pos(d, (size_t)(nul - d->buf));
		return err_set(e, ERR_FORMAT, "line %u, column %u: a NUL byte, "
		    "which a Dockerfile (text) cannot hold", pos.line, pos.col);
	}
	if ((rc = read_directives(d, df, e)) < 0)
		return rc;
	while (ln < d->nlines) {
		get_line(d, ln, &off, &len);
		if (is_skippable(d->buf + off, len)) {
			ln++;
			continue;
		}
		if ((rc = parse_insn(d, df, &ln, e)) < 0)
			return rc;
		in = &df->v[df->n - 1];
		if ((in->kw == KW_FROM || in->kw == KW_ARG) &&
		    text_is_empty(&in->args))
			return err_set(e, ERR_FORMAT, "line %u: %s needs an argument",
			    lint_doc_pos(d, in->bufoff).line,
			    in->kw == KW_FROM ? "FROM" : "ARG");
		if (in->kw == KW_FROM)
			seen_from = true;
		else if (!seen_from && in->kw != KW_ARG)
			return err_set(e, ERR_FORMAT,
			    "line %u: an instruction before the first FROM",
			    lint_doc_pos(d, in->bufoff).line);
	}
	if (!seen_from)
		return err_set(e, ERR_FORMAT, "no FROM instruction");
	return 0;
}

void
lint_dockerfile_release(struct lint_dockerfile *df)
{
	size_t i, j;

	for (i = 0; i < df->n; i++) {
		lint_text_release(&df->v[i].args);
		for (j = 0; j < df->v[i].nhd; j++) {
			free(df->v[i].hd[j].word);
			lint_text_release(&df->v[i].hd[j].body);
		}
		free(df->v[i].hd);
	}
	free(df->v);
	df->v = NULL;
	df->n = df->cap = 0;
}
