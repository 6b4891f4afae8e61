/*
 * dockerfile.c - diff --dockerfile: tie each history step of a compared
 * image (the layers and the empty-layer steps) to the Dockerfile
 * instruction that made it, and each drift finding on such a layer to the
 * lint rule that predicts it on that instruction.  Steps are matched by
 * what builders write into the history (BuildKit's "RUN /bin/sh -c ... #
 * buildkit", the classic "/bin/sh -c #(nop) COPY file:... in /dest", kaniko's
 * "RUN ..."), aligned in order; a step or instruction that matches nothing
 * is said to, never guessed.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "diff/diff.h"
#include "lint/lint.h"
#include "util/sbuf.h"
#include "util/util.h"

#define STEPS_MAX	4096	/* history steps or instructions aligned */
#define BUILDKIT	" # buildkit"	/* BuildKit's mark after a step */

/* A step or an instruction, reduced to what both can be compared by. */
struct said {
	char kw[16];		/* upper case; "" when not known */
	char *text;		/* whitespace collapsed, flags kept */
	char *expanded;		/* an instruction's text with the build args
				   substituted, NULL when it has none */
};

/* Collapse runs of blanks into one space; trim both ends. */
static char *
squeeze(const char *s, size_t n)
{
	struct sbuf sb = SBUF_INIT;
	bool blank = false;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
			blank = sb.len > 0;
			continue;
		}
		if (blank)
			sbuf_addc(&sb, ' ');
		blank = false;
		sbuf_addc(&sb, s[i]);
	}
	sbuf_add(&sb, "", 0);
	return sbuf_detach(&sb);
}

/* Skip "|N A=1 B=2 " (the build args classic docker puts before a RUN). */
static const char *
skip_build_args(const char *s)
{
	char *p;
	long n;

	if (*s != '|')
		return s;
	n = strtol(s + 1, &p, 10);
	for (; n > 0 && *p != '\0'; n--) {
		p += strspn(p, " ");
		p += strcspn(p, " ");
	}
	return p + strspn(p, " ");
}

/* Split the keyword off t into sd (kw of at most 15 letters). */
static bool
take_keyword(const char *t, struct said *sd)
{
	size_t n = strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZ");

	if (n == 0 || n >= sizeof(sd->kw) || (t[n] != ' ' && t[n] != '\0'))
		return false;
	memcpy(sd->kw, t, n);
	sd->kw[n] = '\0';
	t += n + strspn(t + n, " ");
	if (strcmp(sd->kw, "RUN") == 0) {
		t = skip_build_args(t);
		skip_prefix(t, "/bin/sh -c ", &t);
	}
	sd->text = squeeze(t, strlen(t));
	return true;
}

/* A history step's created_by, as the builders write it. */
static void
said_step(const char *cb, struct said *sd)
{
	char *s = squeeze(cb, strlen(cb));
	const char *t = s;
	size_t n = strlen(s);

	memset(sd, 0, sizeof(*sd));
	if (n >= strlen(BUILDKIT) &&
	    strcmp(s + n - strlen(BUILDKIT), BUILDKIT) == 0)
		s[n - strlen(BUILDKIT)] = '\0';
	t = skip_build_args(t);
	if (skip_prefix(t, "/bin/sh -c #(nop) ", &t) ||
	    skip_prefix(t, "/bin/sh -c #(nop)", &t))
		t += strspn(t, " ");
	else if (skip_prefix(t, "/bin/sh -c ", &t)) {
		sd->text = squeeze(t, strlen(t));
		strcpy(sd->kw, "RUN");
		free(s);
		return;
	}
	if (!take_keyword(t, sd))
		sd->text = xstrdup(t);	/* "bazel build ...": no keyword */
	free(s);
}

/* @return the last word of s (a COPY or ADD destination), n bytes. */
static const char *
last_word(const char *s, size_t *n)
{
	const char *p = strrchr(s, ' ');

	p = p != NULL ? p + 1 : s;
	*n = strlen(p);
	while (*n > 1 && p[*n - 1] == '/')
		(*n)--;
	return p;
}

/* The keywords whose steps make no layer and whose text builders rewrite
   (classic docker expands ENV values): the variable or the word they set
   is compared, not the whole text. */
static bool
is_meta(const char *kw)
{
	static const char *const meta[] = {
		"ENV", "ARG", "LABEL", "CMD", "ENTRYPOINT", "EXPOSE", "USER",
		"VOLUME", "STOPSIGNAL", "HEALTHCHECK", "SHELL", "ONBUILD",
		"MAINTAINER", NULL
	};
	const char *const *m;

	for (m = meta; *m != NULL; m++)
		if (strcmp(kw, *m) == 0)
			return true;
	return false;
}

/* Does history step h come from instruction d? */
static bool
same_step(const struct said *h, const struct said *d)
{
	const char *a, *b;
	size_t na, nb;

	if (h->kw[0] == '\0' || strcmp(h->kw, d->kw) != 0)
		return false;
	if (strcmp(h->text, d->text) == 0 ||
	    (d->expanded != NULL && strcmp(h->text, d->expanded) == 0))
		return true;
	if (strcmp(h->kw, "COPY") == 0 || strcmp(h->kw, "ADD") == 0) {
		a = last_word(h->text, &na);
		b = last_word(d->text, &nb);
		return na == nb && memcmp(a, b, na) == 0;
	}
	if (is_meta(h->kw)) {	/* the name it sets: "ENV PATH=..." */
		na = strcspn(h->text, "= ");
		nb = strcspn(d->text, "= ");
		return na == nb && memcmp(h->text, d->text, na) == 0;
	}
	return false;
}

static bool
is_name_char(char c)
{
	return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9');
}

/* @return the length of the reference $NAME or ${NAME} at p to one of the
   build args NAME=VALUE (its value in *val), or 0. */
static size_t
arg_ref(const char *p, const char *const *args, size_t nargs,
    const char **val)
{
	bool brace = p[1] == '{';
	const char *name = p + 1 + brace, *eq;
	size_t k, n;

	for (k = 0; k < nargs; k++) {
		eq = strchr(args[k], '=');
		n = (size_t)(eq - args[k]);
		if (strncmp(name, args[k], n) != 0 ||
		    (brace ? name[n] != '}' : is_name_char(name[n])))
			continue;
		*val = eq + 1;
		return 1 + brace + n + brace;
	}
	return 0;
}

/* s with each $NAME and ${NAME} of a build arg replaced by its value, or
   NULL when s names none. */
static char *
expand_args(const char *s, const char *const *args, size_t nargs)
{
	struct sbuf sb = SBUF_INIT;
	const char *val;
	size_t i = 0, n;
	bool any = false;

	while (s[i] != '\0')
		if (s[i] == '$' && (n = arg_ref(s + i, args, nargs, &val)) > 0) {
			sbuf_addstr(&sb, val);
			i += n;
			any = true;
		} else
			sbuf_addc(&sb, s[i++]);
	sbuf_add(&sb, "", 0);
	if (!any) {
		sbuf_release(&sb);
		return NULL;
	}
	return sbuf_detach(&sb);
}

/* An instruction's arguments, RUN's flags (--mount=...) left out. */
static void
said_insn(const struct lint_step *st, const char *const *args, size_t nargs,
    struct said *sd)
{
	const char *t = st->args;

	memset(sd, 0, sizeof(*sd));
	snprintf(sd->kw, sizeof(sd->kw), "%s", st->keyword);
	t += strspn(t, " \t");
	if (strcmp(sd->kw, "RUN") == 0)
		while (strncmp(t, "--", 2) == 0) {
			t += strcspn(t, " \t");
			t += strspn(t, " \t");
		}
	sd->text = squeeze(t, strlen(t));
	sd->expanded = expand_args(sd->text, args, nargs);
}

/*
 * Align the history steps h (nh) with the instructions d (nd): the longest
 * sequence of matching pairs, in order.  *to[i] is the instruction of step
 * i, or -1.
 */
static void
align(const struct said *h, size_t nh, const struct said *d, size_t nd,
    long *to)
{
	size_t *len = xcalloc((nh + 1) * (nd + 1), sizeof(*len));
	size_t i, j, w = nd + 1;

	for (i = nh; i-- > 0;)
		for (j = nd; j-- > 0;)
			len[i * w + j] = same_step(&h[i], &d[j]) ?
			    len[(i + 1) * w + j + 1] + 1 :
			    len[(i + 1) * w + j] > len[i * w + j + 1] ?
			    len[(i + 1) * w + j] : len[i * w + j + 1];
	for (i = 0; i < nh; i++)
		to[i] = -1;
	for (i = 0, j = 0; i < nh && j < nd;) {
		if (same_step(&h[i], &d[j]) &&
		    len[i * w + j] == len[(i + 1) * w + j + 1] + 1) {
			to[i++] = (long)j++;
		} else if (len[(i + 1) * w + j] >= len[i * w + j + 1])
			i++;
		else
			j++;
	}
	free(len);
}

/* Which lint rules predict a finding: by its cause, its package, its
   class.  The first rule found on the finding's instruction is kept. */
static const struct {
	const char *cause;	/* a prefix of diff_cause_label() */
	const char *rules[4];
} by_cause[] = {
	{ "pyc-mtime", { "pyc-timestamp" } },
	{ "gzip-header", { "gzip-no-n" } },
	{ "known-volatile:log", { "logs-left" } },
	{ "known-volatile:apt-lists", { "apt-lists-left" } },
	{ "known-volatile:apt-cache", { "logs-left" } },
	{ "known-volatile:machine-id", { "machine-id-left" } },
	{ "build-path", { "build-path-embedded" } },
	{ "build-id", { "build-path-embedded" } },
};

static const char *const package_rules[] = {
	"apt-unpinned", "apk-unpinned", "dnf-unpinned", "apt-upgrade", NULL
};

/* The inputs that let other bytes in: what content drift comes from. */
static const char *const input_rules[] = {
	"pip-unpinned", "pip-no-hashes", "npm-install", "yarn-unlocked",
	"pnpm-unlocked", "poetry-unlocked", "uv-unlocked", "pipenv-unlocked",
	"bundle-unlocked", "composer-unlocked", "gem-unpinned",
	"cargo-unlocked", "go-install-latest", "conda-unpinned",
	"curl-pipe-shell", "download-unverified", "add-url-no-checksum",
	"git-clone-unpinned", "date-in-output", "apt-unpinned",
	"apk-unpinned", "dnf-unpinned", "apt-upgrade", NULL
};

static bool
in_list(const char *id, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(id, *list) == 0)
			return true;
	return false;
}

/* The lint finding that predicts f, made by the instruction on lines
   from..to, or NULL. */
static const struct lint_finding *
predicting(const struct lint_run *lr, const struct diff_finding *f,
    unsigned from, unsigned to)
{
	char label[DIFF_CAUSE_TEXT_MAX];
	const char *const *want = NULL;
	const struct lint_finding *lf;
	size_t i, k;

	diff_cause_label(&f->cause, label, sizeof(label));
	for (k = 0; k < sizeof(by_cause) / sizeof(by_cause[0]); k++)
		if (label[0] != '\0' && strncmp(label, by_cause[k].cause,
		    strlen(by_cause[k].cause)) == 0)
			want = by_cause[k].rules;
	if (want == NULL && f->package != NULL)
		want = package_rules;
	if (want == NULL && f->cls == DIFF_CONTENT)
		want = input_rules;
	for (i = 0; want != NULL && i < lint_count(lr); i++) {
		lf = lint_finding_at(lr, i);
		if (lf->line >= from && lf->line <= to &&
		    in_list(lf->rule->id, want))
			return lf;
	}
	/* a build with no SOURCE_DATE_EPOCH explains any timestamp drift */
	for (i = 0; f->cls == DIFF_TIMESTAMP && i < lint_count(lr); i++) {
		lf = lint_finding_at(lr, i);
		if (strcmp(lf->rule->id, "source-date-epoch-unset") == 0)
			return lf;
	}
	return NULL;
}

/* Read the history steps created_by (n, a NULL one as empty) and align
   them with the instructions d (nd) into to. */
static void
align_history(const char *const *created_by, size_t n, const struct said *d,
    size_t nd, long *to)
{
	struct said *h = xcalloc(n + 1, sizeof(*h));
	size_t i;

	for (i = 0; i < n; i++)
		said_step(created_by[i] != NULL ? created_by[i] : "", &h[i]);
	align(h, n, d, nd < STEPS_MAX ? nd : STEPS_MAX, to);
	for (i = 0; i < n; i++)
		free(h[i].text);
	free(h);
}

void
cli_dockerfile_match(const struct lint_steps *ls, const char *const *created_by,
    size_t n, unsigned *line)
{
	struct said *d;
	long *to;
	size_t i, nd = ls->n < STEPS_MAX ? ls->n : STEPS_MAX;

	n = n < STEPS_MAX ? n : STEPS_MAX;
	d = xcalloc(nd + 1, sizeof(*d));
	to = xcalloc(n + 1, sizeof(*to));
	for (i = 0; i < nd; i++)
		said_insn(&ls->v[i], NULL, 0, &d[i]);
	align_history(created_by, n, d, nd, to);
	for (i = 0; i < n; i++)
		line[i] = to[i] < 0 ? 0 : ls->v[to[i]].line;
	for (i = 0; i < nd; i++) {
		free(d[i].text);
		free(d[i].expanded);
	}
	free(d);
	free(to);
}

/* Match one image's history; note what matched nothing. */
static void
join_image(struct diff_result *res, struct diff_image *di,
    const struct lint_steps *ls, const struct said *d)
{
	const char **cb;
	long *to;
	size_t i, n = di->nhistory < STEPS_MAX ? di->nhistory : STEPS_MAX;
	size_t first = n, matched = 0;
	bool *used = xcalloc(ls->n + 1, sizeof(*used));
	const char *where = di->platform != NULL ? di->platform : "the image";

	cb = xcalloc(n + 1, sizeof(*cb));
	to = xcalloc(n + 1, sizeof(*to));
	for (i = 0; i < n; i++)
		cb[i] = di->history[i].created_by;
	align_history(cb, n, d, ls->n, to);
	for (i = 0; i < n; i++) {
		if (to[i] < 0)
			continue;
		if (first == n)
			first = i;
		matched++;
		used[to[i]] = true;
		di->history[i].dockerfile_line = ls->v[to[i]].line;
		if (di->history[i].layer > 0 &&
		    (size_t)di->history[i].layer <= di->nlayers)
			di->layers[di->history[i].layer - 1].dockerfile_line =
			    ls->v[to[i]].line;
	}
	if (matched == 0)
		diff_add_note(res, xstrfmt("%s: no history step of %s matches "
		    "an instruction of its final stage", ls->name, where));
	/* steps after the base image that match nothing; instructions that
	   make layers and match no step */
	for (i = first; matched > 0 && i < n; i++)
		if (to[i] < 0 && di->history[i].layer > 0)
			diff_add_note(res, xstrfmt("%s: layer %d of %s (%s) matches "
			    "no instruction", ls->name, di->history[i].layer, where,
			    di->history[i].created_by != NULL ?
			    di->history[i].created_by : "no history"));
	for (i = 0; matched > 0 && i < ls->n; i++)
		if (!used[i] && (strcmp(d[i].kw, "RUN") == 0 ||
		    strcmp(d[i].kw, "COPY") == 0 || strcmp(d[i].kw, "ADD") == 0))
			diff_add_note(res, xstrfmt("%s:%u: %s matches no layer of %s",
			    ls->name, ls->v[i].line, ls->v[i].keyword, where));
	if (matched > 0 && first == 1)
		diff_add_note(res, xstrfmt("%s: the first history step of %s comes "
		    "before its first instruction (the base image)", ls->name,
		    where));
	else if (matched > 0 && first > 1)
		diff_add_note(res, xstrfmt("%s: the first %zu history steps of %s "
		    "come before its first instruction (the base image)",
		    ls->name, first, where));
	free(cb);
	free(to);
	free(used);
}

int
cli_dockerfile_join(struct diff_result *res, const char *path,
    const char *const *args, size_t nargs, struct err *e)
{
	struct lint_run *lr = lint_new();
	struct lint_steps ls;
	struct said *d;
	struct diff_finding *f;
	const struct diff_image *di;
	const struct lint_finding *lf;
	unsigned from, to;
	size_t i, k;

	if (lint_image_steps(lr, path, &ls, e) < 0) {
		lint_free(lr);
		return -1;
	}
	d = xcalloc(ls.n + 1, sizeof(*d));
	for (i = 0; i < ls.n; i++)
		said_insn(&ls.v[i], args, nargs, &d[i]);
	res->dockerfile = path;
	for (i = 0; i < res->nimages; i++)
		join_image(res, &res->images[i], &ls, d);
	for (i = 0; i < res->nfindings; i++) {
		f = &res->findings[i];
		di = &res->images[f->image < res->nimages ? f->image : 0];
		if (f->layer <= 0 || (size_t)f->layer > di->nlayers ||
		    (from = di->layers[f->layer - 1].dockerfile_line) == 0)
			continue;
		for (k = 0, to = from; k < ls.n; k++)
			if (ls.v[k].line == from)
				to = ls.v[k].last_line;
		if ((lf = predicting(lr, f, from, to)) != NULL) {
			f->lint_rule = lf->rule->id;
			f->lint_line = lf->line;
		}
	}
	for (i = 0; i < ls.n; i++) {
		free(d[i].text);
		free(d[i].expanded);
	}
	free(d);
	lint_steps_release(&ls);
	lint_free(lr);
	return 0;
}
