/*
 * shell.c - split POSIX shell text into simple commands and words, enough to
 * find the package-manager calls in a RUN: quotes, backslashes, line
 * continuations, comments, && || ; | & ( ), redirections (dropped with their
 * targets) and $(...), ${...}, `...`, <(...) kept whole inside a word.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lint/lint_int.h"

struct tok {
	const char *s;
	size_t n, i;
	const struct lint_loc *loc;
	struct lint_script *out;
	bool cmd_open;		/* out->v[out->n - 1] takes words */
	enum lint_sep sep;	/* operator before the next command */
	struct sbuf word;
	bool in_word;
	size_t word_start;
	bool drop_next;		/* the next word is a redirection target */
	bool drop_out;		/* ... of an output redirection (> >> &>) */
};

static void
word_start(struct tok *t)
{
	if (!t->in_word) {
		t->in_word = true;
		t->word_start = t->i;
		sbuf_reset(&t->word);
		sbuf_add(&t->word, "", 0);
	}
}

static struct lint_pos
tok_pos(const struct tok *t, size_t off)
{
	if (t->loc->t == NULL)
		return t->loc->fixed;
	return lint_text_pos(t->loc->d, t->loc->t, t->loc->base + off);
}

static struct lint_cmd *
cmd_new(struct lint_script *sc, enum lint_sep sep)
{
	struct lint_cmd *c;

	xgrow(&sc->v, &sc->cap, sc->n + 1, sizeof(*sc->v));
	c = &sc->v[sc->n++];
	memset(c, 0, sizeof(*c));
	c->sep = sep;
	return c;
}

static void
cmd_push(struct lint_cmd *c, char *s, struct lint_pos pos)
{
	xgrow(&c->w, &c->cap, c->n + 1, sizeof(*c->w));
	c->w[c->n].s = s;
	c->w[c->n].pos = pos;
	c->n++;
}

static void
word_end(struct tok *t)
{
	struct lint_cmd *c;

	if (!t->in_word)
		return;
	t->in_word = false;
	if (t->drop_next && !t->drop_out) {
		t->drop_next = false;
		return;
	}
	if (!t->cmd_open) {
		cmd_new(t->out, t->sep);
		t->cmd_open = true;
	}
	c = &t->out->v[t->out->n - 1];
	if (t->drop_next) {	/* kept apart: the file the command writes */
		t->drop_next = t->drop_out = false;
		xgrow(&c->out, &c->ocap, c->nout + 1, sizeof(*c->out));
		c->out[c->nout].s = xstrndup(sbuf_str(&t->word), t->word.len);
		c->out[c->nout++].pos = tok_pos(t, t->word_start);
		return;
	}
	cmd_push(c, xstrndup(sbuf_str(&t->word), t->word.len),
	    tok_pos(t, t->word_start));
}

static void
cmd_end(struct tok *t, enum lint_sep sep)
{
	word_end(t);
	t->cmd_open = false;
	t->drop_next = t->drop_out = false;
	t->sep = sep;
}

/* Copy a balanced "(...)" or "{...}" group starting at t->i, raw. */
static void
copy_group(struct tok *t, char open, char close)
{
	size_t depth = 0;
	char q = 0;

	for (; t->i < t->n; t->i++) {
		char c = t->s[t->i];

		sbuf_addc(&t->word, c);
		if (q) {
			if (c == q)
				q = 0;
			else if (c == '\\' && q == '"' && t->i + 1 < t->n)
				sbuf_addc(&t->word, t->s[++t->i]);
			continue;
		}
		if (c == '\'' || c == '"')
			q = c;
		else if (c == '\\' && t->i + 1 < t->n)
			sbuf_addc(&t->word, t->s[++t->i]);
		else if (c == open)
			depth++;
		else if (c == close && --depth == 0) {
			t->i++;
			return;
		}
	}
}

static void
copy_backquote(struct tok *t)
{
	sbuf_addc(&t->word, t->s[t->i++]);
	while (t->i < t->n && t->s[t->i] != '`') {
		if (t->s[t->i] == '\\' && t->i + 1 < t->n)
			sbuf_addc(&t->word, t->s[t->i++]);
		sbuf_addc(&t->word, t->s[t->i++]);
	}
	if (t->i < t->n)
		sbuf_addc(&t->word, t->s[t->i++]);
}

/* "$(", "${", "`": keep the expansion whole.  @return true if one was. */
static bool
expansion(struct tok *t)
{
	const char *s = t->s + t->i;
	size_t left = t->n - t->i;

	if (left >= 2 && s[0] == '$' && (s[1] == '(' || s[1] == '{')) {
		sbuf_addc(&t->word, '$');
		t->i++;
		copy_group(t, s[1], s[1] == '(' ? ')' : '}');
		return true;
	}
	if (s[0] == '`') {
		copy_backquote(t);
		return true;
	}
	return false;
}

static void
double_quoted(struct tok *t)
{
	char c;

	t->i++;
	while (t->i < t->n && t->s[t->i] != '"') {
		c = t->s[t->i];
		if (c == '\\' && t->i + 1 < t->n &&
		    strchr("$`\"\\\n", t->s[t->i + 1]) != NULL) {
			if (t->s[t->i + 1] != '\n')
				sbuf_addc(&t->word, t->s[t->i + 1]);
			t->i += 2;
		} else if (!expansion(t))
			sbuf_addc(&t->word, t->s[t->i++]);
	}
	if (t->i < t->n)
		t->i++;
}

static bool
word_is_number(const struct tok *t)
{
	size_t i;

	if (!t->in_word || t->word.len == 0)
		return false;
	for (i = 0; i < t->word.len; i++)
		if (t->word.buf[i] < '0' || t->word.buf[i] > '9')
			return false;
	return true;
}

/* A redirection at t->i: drop an fd number before it and its target. */
static void
redirection(struct tok *t)
{
	char c = t->s[t->i];

	if (word_is_number(t))
		t->in_word = false;
	else
		word_end(t);
	t->i++;
	if (t->i < t->n && t->s[t->i] == c)
		t->i++;
	if (c == '<' && t->i < t->n && t->s[t->i] == '<')
		t->i++;
	/* >&2 and 2>&1 name a descriptor, not a file */
	t->drop_out = c == '>' && !(t->i < t->n && t->s[t->i] == '&');
	if (t->i < t->n && strchr("&|>-", t->s[t->i]) != NULL)
		t->i++;
	t->drop_next = true;
}

/* @return true when the operator at t->i was handled. */
static bool
operator(struct tok *t)
{
	char c = t->s[t->i], d = t->i + 1 < t->n ? t->s[t->i + 1] : 0;

	switch (c) {
	case '\n': case ';': case '(': case ')':
		cmd_end(t, SEP_SEMI);
		t->i++;
		return true;
	case '&':
		if (d == '>') {
			t->i++;
			redirection(t);
			return true;
		}
		cmd_end(t, d == '&' ? SEP_AND : SEP_SEMI);
		t->i += d == '&' ? 2 : 1;
		return true;
	case '|':
		cmd_end(t, d == '|' ? SEP_OR : SEP_PIPE);
		t->i += d == '|' || d == '&' ? 2 : 1;
		return true;
	case '<': case '>':
		if (d == '(') {
			word_start(t);
			sbuf_addc(&t->word, c);
			t->i++;
			copy_group(t, '(', ')');
			return true;
		}
		redirection(t);
		return true;
	default:
		return false;
	}
}

void
lint_shell_parse(const char *s, size_t n, const struct lint_loc *loc,
    struct lint_script *out)
{
	struct tok t;
	char c;

	memset(&t, 0, sizeof(t));
	t.s = s;
	t.n = n;
	t.loc = loc;
	t.out = out;
	while (t.i < n) {
		c = s[t.i];
		if (c == '\\' && t.i + 1 < n && s[t.i + 1] == '\n') {
			t.i += 2;
		} else if (c == '\\') {
			word_start(&t);
			t.i++;
			if (t.i < n)
				sbuf_addc(&t.word, s[t.i++]);
		} else if (c == '\'') {
			word_start(&t);
			for (t.i++; t.i < n && s[t.i] != '\''; t.i++)
				sbuf_addc(&t.word, s[t.i]);
			t.i++;
		} else if (c == '"') {
			word_start(&t);
			double_quoted(&t);
		} else if (c == ' ' || c == '\t' || c == '\r') {
			word_end(&t);
			t.i++;
		} else if (c == '#' && !t.in_word) {
			while (t.i < n && s[t.i] != '\n')
				t.i++;
		} else if (!operator(&t)) {
			word_start(&t);
			if (!expansion(&t))
				sbuf_addc(&t.word, s[t.i++]);
		}
	}
	cmd_end(&t, SEP_SEMI);
	sbuf_release(&t.word);
}

void
lint_script_add_argv(struct lint_script *out, char **argv, size_t argc,
    struct lint_pos pos)
{
	struct lint_cmd *c = cmd_new(out, SEP_SEMI);
	size_t i;

	for (i = 0; i < argc; i++)
		cmd_push(c, xstrdup(argv[i]), pos);
}

void
lint_cmd_release(struct lint_cmd *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->w[i].s);
	for (i = 0; i < c->nout; i++)
		free(c->out[i].s);
	free(c->w);
	free(c->out);
	c->w = NULL;
	c->out = NULL;
	c->n = c->cap = c->nout = c->ocap = 0;
}

void
lint_script_release(struct lint_script *sc)
{
	size_t i;

	for (i = 0; i < sc->n; i++)
		lint_cmd_release(&sc->v[i]);
	free(sc->v);
	sc->v = NULL;
	sc->n = sc->cap = 0;
}

void
lint_split_words(const struct lint_doc *d, const struct lint_text *t,
    size_t start, struct lint_cmd *out)
{
	const char *s = t->sb.buf != NULL ? t->sb.buf : "";
	struct sbuf w = SBUF_INIT;
	size_t i = start, ws;
	char q;

	while (i < t->sb.len) {
		while (i < t->sb.len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i >= t->sb.len)
			break;
		ws = i;
		sbuf_reset(&w);
		sbuf_add(&w, "", 0);
		q = 0;
		for (; i < t->sb.len; i++) {
			if (q) {
				if (s[i] == q)
					q = 0;
				else
					sbuf_addc(&w, s[i]);
			} else if (s[i] == '"' || s[i] == '\'')
				q = s[i];
			else if (s[i] == ' ' || s[i] == '\t')
				break;
			else
				sbuf_addc(&w, s[i]);
		}
		cmd_push(out, sbuf_detach(&w), lint_text_pos(d, t, ws));
	}
	sbuf_release(&w);
}
