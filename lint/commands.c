/*
 * commands.c - the checks of the commands a RUN executes: package managers,
 * downloads and git clones, found in shell chains, heredoc scripts, exec
 * form and sh -c strings.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lint/lint_int.h"
#include "util/util.h"

#define OPERANDS_MAX	512	/* operands of one command that are looked at */
#define LIST_SHOWN	6	/* names listed in one message */
#define SH_C_MAX	16	/* sh -c strings expanded in one RUN */

static const char *const shells[] = {
	"sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", NULL
};
static const char *const interpreters[] = {
	"sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "python", "python3",
	"perl", "ruby", "node", NULL
};

static bool
word_in(const char *w, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(w, *list) == 0)
			return true;
	return false;
}

static const char *
base_name(const char *s)
{
	const char *p = strrchr(s, '/');

	return p != NULL ? p + 1 : s;
}

static bool
is_assignment(const char *s)
{
	size_t i = 0;

	while ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
	    s[i] == '_' || (i > 0 && s[i] >= '0' && s[i] <= '9'))
		i++;
	return i > 0 && s[i] == '=';
}

/* @return the index of the program word of c, past assignments, sudo, env,
   shell keywords; c->n when there is none. */
static size_t
prog_index(const struct lint_cmd *c)
{
	static const char *const prefixes[] = {
		"sudo", "env", "time", "nice", "nohup", "exec", "command",
		"then", "do", "else", "elif", "if", "while", "until", "!", "{",
		"}", "xargs", "stdbuf", NULL
	};
	size_t i = 0;
	bool sudo;

	while (i < c->n) {
		if (is_assignment(c->w[i].s)) {
			i++;
			continue;
		}
		if (!word_in(c->w[i].s, prefixes))
			break;
		sudo = strcmp(c->w[i].s, "sudo") == 0;
		for (i++; i < c->n && c->w[i].s[0] == '-'; i++)
			if (sudo && (strcmp(c->w[i].s, "-u") == 0 ||
			    strcmp(c->w[i].s, "-g") == 0))
				i++;
	}
	return i;
}

static const char *
prog_name(const struct lint_cmd *c, size_t *i)
{
	*i = prog_index(c);
	return *i < c->n ? base_name(c->w[*i].s) : "";
}

/*
 * Collect in idx the operands of c from word i on: the words that are not
 * options and not the argument of an option in takes_arg.
 * @return their number (at most OPERANDS_MAX).
 */
static size_t
operands(const struct lint_cmd *c, size_t i, const char *const *takes_arg,
    size_t *idx)
{
	size_t n = 0;
	bool opts = true;
	const char *w;

	for (; i < c->n; i++) {
		w = c->w[i].s;
		if (opts && strcmp(w, "--") == 0) {
			opts = false;
			continue;
		}
		if (opts && w[0] == '-' && w[1] != '\0') {
			if (strchr(w, '=') == NULL && word_in(w, takes_arg))
				i++;
			continue;
		}
		if (n < OPERANDS_MAX)
			idx[n++] = i;
	}
	return n;
}

/* @return true when a word of c from i on is one of names, or starts with
   one of them followed by '='. */
static bool
has_option(const struct lint_cmd *c, size_t i, const char *const *names)
{
	const char *const *p;
	size_t k;

	for (; i < c->n; i++)
		for (p = names; *p != NULL; p++) {
			k = strlen(*p);
			if (strncmp(c->w[i].s, *p, k) == 0 &&
			    (c->w[i].s[k] == '\0' || c->w[i].s[k] == '='))
				return true;
		}
	return false;
}

/* A commit: 7 to 64 hex digits, or a variable that holds one. */
static bool
is_commitish(const char *s)
{
	size_t n = strspn(s, "0123456789abcdef");

	return s[0] == '$' || (n >= 7 && n <= 64 && s[n] == '\0');
}

/* A version clause after op ("==", "=") that names one version: no
   wildcard such as 2.31.* or 3.0.*. */
static bool
exact_after(const char *w, const char *op)
{
	const char *v = strstr(w, op);

	return v != NULL && strchr(v, '*') == NULL;
}

/* A word we cannot judge or that is not a registry package. */
static bool
is_local_or_unknown(const char *w)
{
	size_t n = strlen(w);

	return w[0] == '.' || w[0] == '/' || w[0] == '~' || w[0] == '$' ||
	    strchr(w, '`') != NULL || strstr(w, "$(") != NULL ||
	    strstr(w, "://") != NULL ||
	    (n > 4 && (strcmp(w + n - 4, ".whl") == 0 ||
	    strcmp(w + n - 4, ".deb") == 0 || strcmp(w + n - 4, ".apk") == 0 ||
	    strcmp(w + n - 4, ".gem") == 0 || strcmp(w + n - 4, ".tgz") == 0 ||
	    strcmp(w + n - 4, ".zip") == 0 || strcmp(w + n - 4, ".rpm") == 0)) ||
	    (n > 7 && strcmp(w + n - 7, ".tar.gz") == 0);
}

/* The names a message lists. */
struct names {
	struct sbuf sb;
	size_t n;
	struct lint_pos first;
	bool done;		/* names_str() added the count of the rest */
};

static void
names_add(struct names *l, const struct lint_word *w)
{
	if (l->n == 0)
		l->first = w->pos;
	else if (l->n < LIST_SHOWN)
		sbuf_addstr(&l->sb, ", ");
	if (l->n < LIST_SHOWN)
		sbuf_addstr(&l->sb, w->s);
	l->n++;
}

/* @return the list, with "and N more" when it was cut; owned by l. */
static const char *
names_str(struct names *l)
{
	if (l->n > LIST_SHOWN && !l->done)
		sbuf_addf(&l->sb, " and %zu more", l->n - LIST_SHOWN);
	l->done = true;
	return sbuf_str(&l->sb);
}

/* One command to check, and what the RUN around it says about it. */
struct call {
	const struct lint_cmd *c;
	size_t prog;		/* the program word */
	bool verified;		/* the RUN checks a checksum or signature */
	const char *piped_into;	/* the first interpreter later in the same
				   pipeline, or NULL */
	const char *piped_to;	/* the program of the next command in the
				   pipeline, or NULL */
	unsigned env;		/* enum lint_env bits in force for it */
	struct run *run;
	size_t k;		/* its index in run->sc */
};

/* One RUN: its commands, and the rules that fired in it once already. */
struct run {
	const struct lint_script *sc;
	bool fired[R_COUNT];
};

/* @return true the first time rule fires in the RUN of at. */
static bool
first_in_run(const struct call *at, enum lint_rule_id rule)
{
	if (at->run->fired[rule])
		return false;
	at->run->fired[rule] = true;
	return true;
}

/* @return true when a command of the RUN removes, empties or overwrites a
   path under one of prefixes (rm, truncate, find -delete, > FILE). */
static bool
run_cleans(const struct run *run, const char *const *prefixes)
{
	static const char *const removers[] = {
		"rm", "truncate", "find", "shred", "unlink", NULL
	};
	const struct lint_cmd *c;
	const char *const *p;
	size_t k, i, pi;

	for (k = 0; k < run->sc->n; k++) {
		c = &run->sc->v[k];
		for (p = prefixes; *p != NULL; p++) {
			for (i = 0; i < c->nout; i++)
				if (strncmp(c->out[i].s, *p, strlen(*p)) == 0)
					return true;
			if (!word_in(prog_name(c, &pi), removers))
				continue;
			for (i = pi + 1; i < c->n; i++)
				if (strncmp(c->w[i].s, *p, strlen(*p)) == 0)
					return true;
		}
	}
	return false;
}

/*
 * What a build leaves behind: files that hold the time of the build (logs,
 * caches, .pyc mtimes, a random machine-id), unless the same RUN removes
 * them.  Each rule fires once per RUN.
 */

static const char *const log_dirs[] = { "/var/log", NULL };
static const char *const machine_id[] = { "/etc/machine-id", NULL };

/* The package installs of c (operands 1..n-1 of idx) that write a random
   machine-id: dbus and systemd. */
static const struct lint_word *
writes_machine_id(const struct lint_cmd *c, const size_t *idx, size_t n)
{
	const char *w;
	size_t k;

	for (k = 1; k < n; k++) {
		w = c->w[idx[k]].s;
		if (strncmp(w, "dbus", 4) == 0 || strncmp(w, "systemd", 7) == 0)
			return &c->w[idx[k]];
	}
	return NULL;
}

/* apt-get, dpkg, dnf, yum: logs with times, and dbus's machine-id. */
static void
installer_leftovers(struct lint_ctx *x, const struct call *at,
    const size_t *idx, size_t n, const char *logs)
{
	const struct lint_cmd *c = at->c;
	const struct lint_word *w;

	if (logs != NULL && !run_cleans(at->run, log_dirs) &&
	    first_in_run(at, R_LOGS_LEFT))
		lint_add(x->r, R_LOGS_LEFT, c->w[at->prog].pos, "%s writes %s, "
		    "with the time of the build, and this RUN leaves them",
		    base_name(c->w[at->prog].s), logs);
	if ((w = writes_machine_id(c, idx, n)) != NULL &&
	    !run_cleans(at->run, machine_id) && first_in_run(at,
	    R_MACHINE_ID_LEFT))
		lint_add(x->r, R_MACHINE_ID_LEFT, w->pos, "installing %.*s "
		    "writes a random /etc/machine-id, and this RUN keeps it",
		    (int)strcspn(w->s, "=<>"), w->s);
}

static void
apt_lists_left(struct lint_ctx *x, const struct call *at,
    const struct lint_word *update)
{
	static const char *const lists[] = { "/var/lib/apt/lists", NULL };

	if (!run_cleans(at->run, lists) && first_in_run(at, R_APT_LISTS_LEFT))
		lint_add(x->r, R_APT_LISTS_LEFT, update->pos, "apt-get update "
		    "fills /var/lib/apt/lists with the archive's index of the "
		    "day, and this RUN leaves it");
}

/* pip install: .pyc files with mtimes, and the HTTP cache. */
static void
pip_leftovers(struct lint_ctx *x, const struct call *at, size_t i,
    const struct lint_word *install)
{
	static const char *const no_compile[] = { "--no-compile", NULL };
	static const char *const no_cache[] = { "--no-cache-dir", NULL };
	static const char *const caches[] = {
		"/root/.cache", "~/.cache", "$HOME/.cache", "${HOME}/.cache", NULL
	};

	if (!has_option(at->c, i, no_compile) &&
	    !(at->env & ENV_SOURCE_DATE_EPOCH) &&
	    first_in_run(at, R_PYC_TIMESTAMP))
		lint_add(x->r, R_PYC_TIMESTAMP, install->pos, "pip install "
		    "compiles .pyc files that hold each source file's mtime "
		    "(SOURCE_DATE_EPOCH is not set)");
	if (!has_option(at->c, i, no_cache) && !(at->env & ENV_PIP_NO_CACHE) &&
	    !run_cleans(at->run, caches) && first_in_run(at, R_LOGS_LEFT))
		lint_add(x->r, R_LOGS_LEFT, install->pos, "pip install keeps "
		    "its HTTP cache in ~/.cache/pip, and this RUN leaves it");
}

/* python -m compileall: timestamp-based .pyc unless told otherwise. */
static void
compileall_leftovers(struct lint_ctx *x, const struct call *at)
{
	const struct lint_cmd *c = at->c;
	const char *mode = NULL;
	size_t k;

	for (k = at->prog + 3; k < c->n; k++)
		if (strcmp(c->w[k].s, "--invalidation-mode") == 0 && k + 1 < c->n)
			mode = c->w[k + 1].s;
		else
			skip_prefix(c->w[k].s, "--invalidation-mode=", &mode);
	if ((mode == NULL || strcmp(mode, "timestamp") == 0) &&
	    !(at->env & ENV_SOURCE_DATE_EPOCH) &&
	    first_in_run(at, R_PYC_TIMESTAMP))
		lint_add(x->r, R_PYC_TIMESTAMP, c->w[at->prog].pos, "compileall "
		    "writes timestamp-based .pyc files (no --invalidation-mode "
		    "checked-hash, and SOURCE_DATE_EPOCH is not set)");
}

/* gzip FILE stores FILE's name and mtime; gzip reading a pipe does not. */
static void
check_gzip(struct lint_ctx *x, const struct call *at)
{
	static const char *const no_name[] = { "-n", "--no-name", NULL };
	static const char *const other[] = {
		"-d", "--decompress", "--uncompress", "-l", "--list", "-t",
		"--test", "-h", "--help", "-V", "--version", NULL
	};
	static const char *const takes_arg[] = { "-S", "--suffix", "-p",
		"--processes", "-b", "--blocksize", NULL };
	const struct lint_cmd *c = at->c;
	size_t idx[OPERANDS_MAX], n = operands(c, at->prog + 1, takes_arg, idx);
	size_t k;
	const char *w;

	if (n == 0 || (n == 1 && strcmp(c->w[idx[0]].s, "-") == 0) ||
	    has_option(c, at->prog + 1, no_name) ||
	    has_option(c, at->prog + 1, other))
		return;
	for (k = at->prog + 1; k < c->n; k++) {	/* -9n, -nc, -dc */
		w = c->w[k].s;
		if (w[0] == '-' && w[1] != '-' && strpbrk(w + 1, "ndlt") != NULL)
			return;
	}
	lint_add(x->r, R_GZIP_NO_N, c->w[at->prog].pos, "%s %s stores the "
	    "file's name and mtime in the gzip header",
	    base_name(c->w[at->prog].s), c->w[idx[0]].s);
}

/* date > FILE, echo "$(date)" >> FILE, sed -i "s/@DATE@/$(date)/" FILE. */
static bool
has_date(const char *w)
{
	return strstr(w, "$(date") != NULL || strstr(w, "`date") != NULL;
}

static bool
writes_file(const struct lint_cmd *c)
{
	size_t i;

	for (i = 0; i < c->nout; i++)
		if (strncmp(c->out[i].s, "/dev/", 5) != 0)
			return true;
	return false;
}

static void
check_date_output(struct lint_ctx *x, const struct call *at)
{
	static const char *const editors[] = { "sed", "tee", "perl", NULL };
	const struct lint_cmd *c = at->c;
	const char *p;
	size_t k;

	if (at->prog >= c->n)	/* only assignments or redirections */
		return;
	p = base_name(c->w[at->prog].s);
	if (!writes_file(c) && !word_in(p, editors) &&
	    !(at->piped_to != NULL && strcmp(at->piped_to, "tee") == 0))
		return;
	for (k = at->prog; k < c->n; k++)
		if ((k == at->prog && strcmp(p, "date") == 0) ||
		    (k > at->prog && has_date(c->w[k].s))) {
			if (first_in_run(at, R_DATE_IN_OUTPUT))
				lint_add(x->r, R_DATE_IN_OUTPUT, c->w[k].pos, "%s "
				    "writes the time of the build into a file", p);
			return;
		}
}

/* cc -g without -ffile-prefix-map; go build without -trimpath. */
static void
check_build_path(struct lint_ctx *x, const struct call *at)
{
	static const char *const maps[] = {
		"-ffile-prefix-map", "-fdebug-prefix-map", NULL
	};
	static const char *const trimpath[] = { "-trimpath", "--trimpath",
		NULL };
	const struct lint_cmd *c = at->c;
	const char *p = base_name(c->w[at->prog].s);
	size_t k;

	if (strcmp(p, "go") == 0) {
		if (at->prog + 1 < c->n && strcmp(c->w[at->prog + 1].s, "build")
		    == 0 && !has_option(c, at->prog + 2, trimpath) &&
		    !(at->env & ENV_GO_TRIMPATH) &&
		    first_in_run(at, R_BUILD_PATH_EMBEDDED))
			lint_add(x->r, R_BUILD_PATH_EMBEDDED, c->w[at->prog].pos,
			    "go build without -trimpath records the build "
			    "directory in the binary");
		return;
	}
	for (k = at->prog + 1; k < c->n; k++)
		if (strncmp(c->w[k].s, "-g", 2) == 0 &&
		    strcmp(c->w[k].s, "-g0") != 0)
			break;
	if (k < c->n && !has_option(c, at->prog + 1, maps) &&
	    first_in_run(at, R_BUILD_PATH_EMBEDDED))
		lint_add(x->r, R_BUILD_PATH_EMBEDDED, c->w[k].pos, "%s %s "
		    "without -ffile-prefix-map records the build directory in "
		    "the debug information", p, c->w[k].s);
}

/* pip. */

static bool
pip_pinned(const char *w)
{
	return exact_after(w, "==") || strstr(w, " @ ") != NULL;
}

/*
 * A VCS requirement (git+https://host/repo.git@REF#egg=x, also after
 * "NAME @ "): @return true when it names a commit.  The REF is after the
 * last '@' past the host, so that git+ssh://git@host/... is not read as one.
 */
static bool
vcs_pinned(const char *w)
{
	const char *u = strstr(w, "git+"), *p, *at;
	char *ref;
	bool pinned;

	if ((p = strstr(u, "://")) == NULL || (p = strchr(p + 3, '/')) == NULL ||
	    (at = strrchr(p, '@')) == NULL)
		return false;
	ref = xstrndup(at + 1, strcspn(at + 1, "#"));
	pinned = is_commitish(ref);
	free(ref);
	return pinned;
}

/* One requirements file, line by line: pinned with ==, hashed. */
struct reqs {
	size_t total, unhashed;
	size_t other;		/* lines that are not a requirement by name */
	struct names unpinned;
};

static bool
is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

/*
 * @return the length of the name that p starts with, when p is a
 * requirement by name (PEP 508): the name, then the end, extras, a marker,
 * a URL, a version clause or (after blanks) an option such as --hash.
 * @return 0 for anything else, which is never quoted.
 */
static size_t
req_name(const char *p)
{
	static const char *const ops[] = {
		"==", "!=", "<=", ">=", "~=", "<", ">", NULL
	};
	const char *const *op;
	const char *rest;
	size_t n = 0;

	while (is_alnum(p[n]) || (n > 0 && (p[n] == '.' || p[n] == '_' ||
	    p[n] == '-')))
		n++;
	if (n == 0 || !is_alnum(p[n - 1]))
		return 0;
	rest = p + n + strspn(p + n, " \t");
	if (*rest == '\0' || *rest == '[' || *rest == ';' || *rest == '@' ||
	    *rest == '(' || (*rest == '-' && rest > p + n))
		return n;
	for (op = ops; *op != NULL; op++)
		if (strncmp(rest, *op, strlen(*op)) == 0)
			return n;
	return 0;
}

static void
reqs_line(struct reqs *q, char *line, size_t ln)
{
	struct lint_word w;
	char *p;
	size_t n;

	for (p = line; *p != '\0'; p++)
		if (*p == '#' && (p == line || p[-1] == ' ' || p[-1] == '\t')) {
			*p = '\0';
			break;
		}
	p = line + strspn(line, " \t\r");
	n = strlen(p);
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
		p[--n] = '\0';
	if (*p == '\0' || *p == '-')
		return;		/* blank, or an option line (-r, -c, -e, --index-url) */
	if ((n = req_name(p)) == 0) {
		q->other++;
		return;
	}
	q->total++;
	if (strstr(p, "--hash") == NULL)
		q->unhashed++;
	if (!pip_pinned(p)) {
		w.s = xmalloc(n + 32);
		snprintf(w.s, n + 32, "%.*s (line %zu)", (int)n, p, ln);
		w.pos.line = w.pos.col = 0;
		names_add(&q->unpinned, &w);
		free(w.s);
	}
}

/* Split a requirements file into logical lines (joined at a trailing \). */
static void
reqs_read(struct reqs *q, const char *s, size_t len)
{
	struct sbuf line = SBUF_INIT;
	size_t i = 0, ln = 1, start_ln = 1, e;

	if (len >= 3 && memcmp(s, LINT_BOM, 3) == 0)
		i = 3;
	while (i < len) {
		e = i;
		while (e < len && s[e] != '\n')
			e++;
		if (line.len == 0)
			start_ln = ln;
		if (e > i && s[e - 1] == '\\') {
			sbuf_add(&line, s + i, e - i - 1);
			sbuf_addc(&line, ' ');
		} else {
			sbuf_add(&line, s + i, e - i);
			reqs_line(q, line.buf, start_ln);
			sbuf_reset(&line);
		}
		i = e + 1;
		ln++;
	}
	if (line.len > 0)
		reqs_line(q, line.buf, start_ln);
	sbuf_release(&line);
}

/*
 * Read FILE from the build context: the path as written, then its base
 * name (-r /app/requirements.txt after COPY requirements.txt /app/).
 * @return LINT_READ_OK, or why not: the first reason other than
 * "missing", an absolute path (an image path, normal here) aside.
 */
static enum lint_read_result
reqs_load(const struct lint_ctx *x, const char *file, struct sbuf *out)
{
	enum lint_read_result r, why = LINT_READ_MISSING;

	if (x->d->dir == NULL)
		return LINT_READ_MISSING;
	if (file[0] != '/') {
		if ((r = lint_context_read(x->d->dir, file, out)) == LINT_READ_OK)
			return r;
		why = r;
	}
	if (base_name(file) == file)
		return why;
	r = lint_context_read(x->d->dir, base_name(file), out);
	return r != LINT_READ_MISSING || why == LINT_READ_MISSING ? r : why;
}

static void
check_requirements(struct lint_ctx *x, const struct lint_word *opt,
    const char *file)
{
	enum lint_read_result rr;
	struct reqs q;
	struct sbuf buf = SBUF_INIT, other = SBUF_INIT;
	size_t n;

	memset(&q, 0, sizeof(q));
	rr = reqs_load(x, file, &buf);
	if (rr == LINT_READ_MISSING)
		lint_add(x->r, R_PIP_NO_HASHES, opt->pos, "pip install -r '%s' "
		    "without --require-hashes", file);
	else if (rr != LINT_READ_OK)
		lint_add(x->r, R_PIP_NO_HASHES, opt->pos, "pip install -r '%s' "
		    "without --require-hashes (not read: %s)", file,
		    lint_read_name(rr));
	else {
		reqs_read(&q, sbuf_str(&buf), buf.len);
		if (q.other > 0)
			sbuf_addf(&other, "; %zu other lines not judged", q.other);
		/* every requirement pinned and hashed: pip checks hashes as
		   soon as one requirement has one, flag or no flag */
		if (q.total > 0 && q.unpinned.n == 0 && q.unhashed == 0 &&
		    q.other == 0)
			;
		else {
			n = q.unpinned.n;
			lint_add(x->r, R_PIP_NO_HASHES, opt->pos, "pip install -r "
			    "'%s' without --require-hashes; of its %zu "
			    "requirements, %zu not pinned with ==%s%s%s, %zu "
			    "with no --hash%s", file, q.total, n, n ? " (" : "",
			    names_str(&q.unpinned), n ? ")" : "", q.unhashed,
			    sbuf_str(&other));
		}
	}
	sbuf_release(&q.unpinned.sb);
	sbuf_release(&other);
	sbuf_release(&buf);
}

/* pip install from word i of c on. */
static void
pip_install(struct lint_ctx *x, const struct call *at, size_t i)
{
	const struct lint_cmd *c = at->c;
	static const char *const takes_arg[] = {
		"-r", "--requirement", "-c", "--constraint", "-e", "--editable",
		"-i", "--index-url", "--extra-index-url", "-f", "--find-links",
		"-t", "--target", "--prefix", "--root", "--src",
		"--upgrade-strategy", "--platform", "--python-version",
		"--implementation", "--abi", "--trusted-host", "--cache-dir",
		"--progress-bar", "--log", "--proxy", "--retries", "--timeout",
		"--exists-action", "--cert", "--client-cert", "--global-option",
		"--install-option", "-C", "--config-settings", "--only-binary",
		"--no-binary", "--report", "--root-user-action", "--python", NULL
	};
	static const char *const hashes[] = { "--require-hashes", NULL };
	static const char *const constraint[] = { "-c", "--constraint", NULL };
	struct names l = { SBUF_INIT, 0, { 0, 0 }, false };
	size_t idx[OPERANDS_MAX], n, k;
	const char *w, *file;

	n = operands(c, i, takes_arg, idx);
	if (n == 0 || strcmp(c->w[idx[0]].s, "install") != 0)
		return;
	pip_leftovers(x, at, i, &c->w[idx[0]]);
	for (k = has_option(c, i, hashes) ? c->n : i; k < c->n; k++) {
		w = c->w[k].s;
		if ((strcmp(w, "-r") == 0 || strcmp(w, "--requirement") == 0) &&
		    k + 1 < c->n)
			check_requirements(x, &c->w[k], c->w[k + 1].s);
		else if (skip_prefix(w, "--requirement=", &file))
			check_requirements(x, &c->w[k], file);
	}
	for (k = 1; k < n; k++) {
		w = c->w[idx[k]].s;
		if (strstr(w, "git+") != NULL) {
			if (!vcs_pinned(w))
				lint_add(x->r, R_PIP_UNPINNED, c->w[idx[k]].pos,
				    "pip install of '%s' names no commit (a branch "
				    "or tag moves)", w);
		} else if (!pip_pinned(w) && !is_local_or_unknown(w))
			names_add(&l, &c->w[idx[k]]);
	}
	if (l.n > 0 && !has_option(c, i, constraint))
		lint_add(x->r, R_PIP_UNPINNED, l.first, "pip install without "
		    "==: %s", names_str(&l));
	sbuf_release(&l.sb);
}

static void
check_pip(struct lint_ctx *x, const struct call *at)
{
	pip_install(x, at, at->prog + 1);
}

/* python -m pip */
static void
check_python(struct lint_ctx *x, const struct call *at)
{
	const struct lint_cmd *c = at->c;

	if (at->prog + 2 < c->n && strcmp(c->w[at->prog + 1].s, "-m") == 0 &&
	    strcmp(c->w[at->prog + 2].s, "pip") == 0)
		pip_install(x, at, at->prog + 3);
	else if (at->prog + 2 < c->n && strcmp(c->w[at->prog + 1].s, "-m") ==
	    0 && strcmp(c->w[at->prog + 2].s, "compileall") == 0)
		compileall_leftovers(x, at);
}

/* apt, apk: every package needs =version. */

static void
check_versioned(struct lint_ctx *x, const struct lint_cmd *c,
    const size_t *idx, size_t n, int rule, const char *what)
{
	struct names l = { SBUF_INIT, 0, { 0, 0 }, false };
	const char *w;
	size_t k;

	for (k = 1; k < n; k++) {
		w = c->w[idx[k]].s;
		if (!exact_after(w, "=") && !is_local_or_unknown(w))
			names_add(&l, &c->w[idx[k]]);
	}
	if (l.n > 0)
		lint_add(x->r, rule, l.first, "%s without =version: %s", what,
		    names_str(&l));
	sbuf_release(&l.sb);
}

static void
check_apt(struct lint_ctx *x, const struct call *at)
{
	const struct lint_cmd *c = at->c;
	size_t i = at->prog + 1;
	static const char *const takes_arg[] = {
		"-o", "--option", "-t", "--target-release", "--default-release",
		"-c", "--config-file", "-a", "--host-architecture", NULL
	};
	static const char *const upgrades[] = {
		"upgrade", "dist-upgrade", "full-upgrade", NULL
	};
	size_t idx[OPERANDS_MAX], n = operands(c, i, takes_arg, idx);
	const char *prog = base_name(c->w[i - 1].s), *sub;
	char what[64];

	if (n == 0)
		return;
	sub = c->w[idx[0]].s;
	if (strcmp(sub, "install") == 0) {
		snprintf(what, sizeof(what), "%s install", prog);
		check_versioned(x, c, idx, n, R_APT_UNPINNED, what);
	} else if (word_in(sub, upgrades))
		lint_add(x->r, R_APT_UPGRADE, c->w[idx[0]].pos, "%s %s takes "
		    "whatever packages are newest at build time", prog, sub);
	if (strcmp(sub, "update") == 0)
		apt_lists_left(x, at, &c->w[idx[0]]);
	else if (strcmp(sub, "install") == 0 || word_in(sub, upgrades))
		installer_leftovers(x, at, idx, n, "/var/log/apt and "
		    "/var/log/dpkg.log");
}

static void
check_apk(struct lint_ctx *x, const struct call *at)
{
	const struct lint_cmd *c = at->c;
	size_t i = at->prog + 1;
	static const char *const takes_arg[] = {
		"-t", "--virtual", "-X", "--repository", "-p", "--root",
		"--arch", "--cache-dir", "--keys-dir", "--repositories-file",
		"--cache-max-age", NULL
	};
	size_t idx[OPERANDS_MAX], n = operands(c, i, takes_arg, idx);

	static const char *const no_cache[] = { "--no-cache", NULL };
	static const char *const apk_cache[] = { "/var/cache/apk", NULL };

	if (n == 0 || strcmp(c->w[idx[0]].s, "add") != 0)
		return;
	check_versioned(x, c, idx, n, R_APK_UNPINNED, "apk add");
	installer_leftovers(x, at, idx, n, NULL);
	if (!has_option(c, i, no_cache) && !run_cleans(at->run, apk_cache) &&
	    first_in_run(at, R_LOGS_LEFT))
		lint_add(x->r, R_LOGS_LEFT, c->w[idx[0]].pos, "apk add without "
		    "--no-cache keeps the day's index in /var/cache/apk");
}

/* npm, yarn, gem, cargo, go. */

static bool
npm_pinned(const char *w)
{
	/* Past the first byte, which is the '@' of a scope (@types/node@20);
	   an empty word ("") has none. */
	const char *at = w[0] != '\0' ? strchr(w + 1, '@') : NULL;

	return at != NULL && strcmp(at, "@latest") != 0 &&
	    strcmp(at, "@next") != 0 && at[1] != '\0';
}

static void
check_npm(struct lint_ctx *x, const struct call *at)
{
	static const char *const global[] = { "-g", "--global", NULL };
	static const char *const npm_dirs[] = {
		"/root/.npm", "~/.npm", "$HOME/.npm", "${HOME}/.npm", NULL
	};
	const struct lint_cmd *c = at->c;
	size_t i = at->prog + 1;
	static const char *const takes_arg[] = {
		"--prefix", "--registry", "--cache", "--omit", "--include", "-w",
		"--workspace", "--tag", "--userconfig", "--location", NULL
	};
	static const char *const installs[] = {
		"install", "i", "in", "ins", "inst", "insta", "instal", "isnt",
		"isnta", "isntal", "isntall", "add", NULL
	};
	struct names l = { SBUF_INIT, 0, { 0, 0 }, false };
	size_t idx[OPERANDS_MAX], n = operands(c, i, takes_arg, idx), k;
	const char *w;

	if (n == 0 || (!word_in(c->w[idx[0]].s, installs) &&
	    strcmp(c->w[idx[0]].s, "ci") != 0))
		return;
	if (!run_cleans(at->run, npm_dirs) && first_in_run(at, R_LOGS_LEFT))
		lint_add(x->r, R_LOGS_LEFT, c->w[idx[0]].pos, "npm %s writes "
		    "its log and cache under ~/.npm, and this RUN leaves them",
		    c->w[idx[0]].s);
	if (strcmp(c->w[idx[0]].s, "ci") == 0)
		return;
	if (n == 1)
		lint_add(x->r, R_NPM_INSTALL, c->w[idx[0]].pos, "npm %s resolves "
		    "versions at build time; npm ci installs the lockfile",
		    c->w[idx[0]].s);
	for (k = 1; k < n; k++) {
		w = c->w[idx[k]].s;
		if (!npm_pinned(w) && !is_local_or_unknown(w) &&
		    strchr(w, ':') == NULL)
			names_add(&l, &c->w[idx[k]]);
	}
	if (l.n > 0)
		lint_add(x->r, has_option(c, i, global) ? R_NPM_GLOBAL_UNPINNED :
		    R_NPM_INSTALL, l.first, "npm install%s without @version: %s",
		    has_option(c, i, global) ? " -g" : "", names_str(&l));
	sbuf_release(&l.sb);
}

static void
check_yarn(struct lint_ctx *x, const struct call *at)
{
	const struct lint_cmd *c = at->c;
	size_t i = at->prog + 1;
	static const char *const takes_arg[] = {
		"--cwd", "--modules-folder", "--cache-folder", "--network-timeout",
		"--registry", "--mutex", NULL
	};
	static const char *const locked[] = {
		"--frozen-lockfile", "--immutable", NULL
	};
	static const char *const no_install[] = {
		"--version", "-v", "--help", "-h", NULL
	};
	size_t idx[OPERANDS_MAX], n = operands(c, i, takes_arg, idx);

	/* bare yarn installs; yarn --version, yarn build, yarn run do not */
	if (((n == 0 && !has_option(c, i, no_install)) ||
	    (n > 0 && strcmp(c->w[idx[0]].s, "install") == 0)) &&
	    !has_option(c, i, locked))
		lint_add(x->r, R_YARN_UNLOCKED, c->w[i - 1].pos, "yarn install "
		    "without --frozen-lockfile or --immutable may rewrite the "
		    "lockfile");
}

static void
check_gem(struct lint_ctx *x, const struct call *at)
{
	const struct lint_cmd *c = at->c;
	size_t i = at->prog + 1;
	static const char *const takes_arg[] = {
		"-i", "--install-dir", "-n", "--bindir", "--source", "-s", "-P",
		"--trust-policy", "--platform", "-g", "--file", "-v",
		"--version", NULL
	};
	static const char *const version[] = { "-v", "--version", NULL };
	struct names l = { SBUF_INIT, 0, { 0, 0 }, false };
	size_t idx[OPERANDS_MAX], n = operands(c, i, takes_arg, idx), k;
	const char *w;

	if (n == 0 || (strcmp(c->w[idx[0]].s, "install") != 0 &&
	    strcmp(c->w[idx[0]].s, "i") != 0) || has_option(c, i, version))
		return;
	for (k = 1; k < n; k++) {
		w = c->w[idx[k]].s;
		if (strchr(w, ':') == NULL && !is_local_or_unknown(w))
			names_add(&l, &c->w[idx[k]]);
	}
	if (l.n > 0)
		lint_add(x->r, R_GEM_UNPINNED, l.first, "gem install without -v: "
		    "%s", names_str(&l));
	sbuf_release(&l.sb);
}

static void
check_cargo(struct lint_ctx *x, const struct call *at)
{
	const struct lint_cmd *c = at->c;
	size_t i = at->prog + 1;
	static const char *const takes_arg[] = {
		"--version", "--vers", "--git", "--branch", "--tag", "--rev",
		"--path", "--root", "--index", "--registry", "--target",
		"--features", "-F", "-j", "--jobs", "--profile", "--bin",
		"--example", "--config", "-Z", NULL
	};
	static const char *const locked[] = { "--locked", "--frozen", NULL };
	size_t idx[OPERANDS_MAX], n = operands(c, i, takes_arg, idx);

	if (n > 0 && strcmp(c->w[idx[0]].s, "install") == 0 &&
	    !has_option(c, i, locked))
		lint_add(x->r, R_CARGO_UNLOCKED, c->w[idx[0]].pos, "cargo install "
		    "without --locked resolves the crate's dependencies at "
		    "build time");
}

static void
check_go(struct lint_ctx *x, const struct call *at)
{
	const struct lint_cmd *c = at->c;
	size_t i = at->prog + 1;
	static const char *const takes_arg[] = {
		"-o", "-p", "-tags", "-ldflags", "-gcflags", "-mod", "-modfile",
		"-pkgdir", "-buildmode", "-compiler", "-overlay", NULL
	};
	static const char *const moving[] = {
		"@latest", "@master", "@main", "@HEAD", NULL
	};
	size_t idx[OPERANDS_MAX], n = operands(c, i, takes_arg, idx), k;
	const char *version;

	check_build_path(x, at);
	if (n == 0 || (strcmp(c->w[idx[0]].s, "install") != 0 &&
	    strcmp(c->w[idx[0]].s, "get") != 0))
		return;
	for (k = 1; k < n; k++)
		if ((version = strrchr(c->w[idx[k]].s, '@')) != NULL &&
		    word_in(version, moving))
			lint_add(x->r, R_GO_INSTALL_LATEST, c->w[idx[k]].pos,
			    "go %s %s follows a moving version", c->w[idx[0]].s,
			    c->w[idx[k]].s);
		else if (version == NULL && strcmp(c->w[idx[0]].s, "get") == 0 &&
		    !is_local_or_unknown(c->w[idx[k]].s))
			lint_add(x->r, R_GO_INSTALL_LATEST, c->w[idx[k]].pos,
			    "go get %s has no @version, so it takes the latest",
			    c->w[idx[k]].s);
}

/* Lockfile installers: poetry, uv, pipenv, pnpm, bundle, composer. */

/* @return the subcommand of c (its first operand), or "". */
static const char *
subcommand(const struct lint_cmd *c, size_t i, const char *const *takes_arg,
    size_t *at)
{
	size_t idx[OPERANDS_MAX];

	if (operands(c, i, takes_arg, idx) == 0)
		return "";
	*at = idx[0];
	return c->w[idx[0]].s;
}

/* poetry and composer: install keeps to the lockfile the stage copied in;
   the commands that rewrite it have no place in a build. */
static void
check_locking(struct lint_ctx *x, const struct call *at, int rule,
    const char *lock, const char *const *rewrite)
{
	static const char *const none[] = { NULL };
	const struct lint_cmd *c = at->c;
	const char *prog = base_name(c->w[at->prog].s), *sub;
	size_t k = at->prog;

	sub = subcommand(c, at->prog + 1, none, &k);
	if (word_in(sub, rewrite))
		lint_add(x->r, rule, c->w[k].pos, "%s %s resolves versions at "
		    "build time", prog, sub);
	else if (strcmp(sub, "install") == 0 && !lint_copied(x, lock))
		lint_add(x->r, rule, c->w[k].pos, "%s install with no %s copied "
		    "into this stage resolves versions at build time", prog, lock);
}

static void
check_poetry(struct lint_ctx *x, const struct call *at)
{
	static const char *const rewrite[] = { "lock", "update", "add", NULL };

	check_locking(x, at, R_POETRY_UNLOCKED, "poetry.lock", rewrite);
}

static void
check_composer(struct lint_ctx *x, const struct call *at)
{
	static const char *const rewrite[] = { "update", "require", "u", NULL };

	check_locking(x, at, R_COMPOSER_UNLOCKED, "composer.lock", rewrite);
}

/* The words of one subcommand (its name and aliases), the options before
   it that take a value, and the options it must carry one of. */
struct needs {
	const char *const *sub;
	const char *const *takes_arg;
	const char *const *need;
};

static const char *const no_words[] = { NULL };

/* A subcommand of n.sub that must carry one of the options n.need. */
static void
check_needs(struct lint_ctx *x, const struct call *at, size_t from,
    const struct needs *n, int rule, const char *what)
{
	const struct lint_cmd *c = at->c;
	size_t k = from;

	if (word_in(subcommand(c, from, n->takes_arg, &k), n->sub) &&
	    !has_option(c, from, n->need))
		lint_add(x->r, rule, c->w[k].pos, "%s", what);
}

/* @return true when the RUN of at runs uv export with its hashes. */
static bool
uv_exports(const struct call *at)
{
	static const char *const no_hashes[] = { "--no-hashes", NULL };
	const struct lint_script *sc = at->run->sc;
	size_t k, pi;

	for (k = 0; k < sc->n; k++)
		if (strcmp(prog_name(&sc->v[k], &pi), "uv") == 0 &&
		    pi + 1 < sc->v[k].n && strcmp(sc->v[k].w[pi + 1].s, "export")
		    == 0 && !has_option(&sc->v[k], pi + 2, no_hashes))
			return true;
	return false;
}

static void
check_uv(struct lint_ctx *x, const struct call *at)
{
	static const char *const sync[] = { "sync", NULL };
	static const char *const install[] = { "install", NULL };
	static const char *const locked[] = { "--locked", "--frozen", NULL };
	static const char *const hashes[] = { "--require-hashes", NULL };
	static const struct needs sync_locked = { sync, no_words, locked };
	static const struct needs pip_hashes = { install, no_words, hashes };
	const struct lint_cmd *c = at->c;
	size_t i = at->prog + 1;

	check_needs(x, at, i, &sync_locked, R_UV_UNLOCKED, "uv sync without "
	    "--locked or --frozen may update uv.lock");
	/* uv export writes the hashes of uv.lock, and uv checks the hashes
	   a requirements file has: that install keeps to the lockfile */
	if (i < c->n && strcmp(c->w[i].s, "pip") == 0 && !uv_exports(at))
		check_needs(x, at, i + 1, &pip_hashes, R_UV_UNLOCKED,
		    "uv pip install without --require-hashes");
}

static void
check_pipenv(struct lint_ctx *x, const struct call *at)
{
	static const char *const install[] = { "install", NULL };
	static const char *const deploy[] = { "--deploy", NULL };
	static const struct needs n = { install, no_words, deploy };

	check_needs(x, at, at->prog + 1, &n, R_PIPENV_UNLOCKED,
	    "pipenv install without --deploy may resolve other versions than "
	    "Pipfile.lock");
}

static void
check_pnpm(struct lint_ctx *x, const struct call *at)
{
	static const char *const install[] = { "install", "i", NULL };
	/* pnpm's global options that take a value: pnpm -C app install */
	static const char *const takes_arg[] = {
		"-C", "--dir", "-F", "--filter", "--store-dir",
		"--virtual-store-dir", "--global-dir", "--reporter", NULL
	};
	static const char *const frozen[] = { "--frozen-lockfile", NULL };
	static const struct needs n = { install, takes_arg, frozen };

	check_needs(x, at, at->prog + 1, &n, R_PNPM_UNLOCKED,
	    "pnpm install without --frozen-lockfile may update the lockfile");
}

static void
check_bundle(struct lint_ctx *x, const struct call *at)
{
	static const char *const install[] = { "install", NULL };
	static const char *const frozen[] = { "--frozen", "--deployment", NULL };
	static const char *const none[] = { NULL };
	static const struct needs n = { install, no_words, frozen };
	const struct lint_cmd *c = at->c;
	size_t i = at->prog + 1, k = i;
	const char *sub = subcommand(c, i, none, &k);

	/* bundle config [set] [--local|--global] frozen|deployment true */
	if (strcmp(sub, "config") == 0) {
		for (k++; k + 1 < c->n; k++)
			if (strcmp(c->w[k].s, "frozen") == 0 ||
			    strcmp(c->w[k].s, "deployment") == 0)
				x->env = lint_env_set(x->env, "BUNDLE_FROZEN", 13,
				    c->w[k + 1].s);
		return;
	}
	if (!(at->env & ENV_BUNDLE_FROZEN))
		check_needs(x, at, i, &n, R_BUNDLE_UNLOCKED,
		    "bundle install without --frozen or --deployment (and no "
		    "BUNDLE_FROZEN) may update Gemfile.lock");
}

/* dnf, yum, microdnf, tdnf, zypper; conda, mamba, micromamba. */

/* dnf NAME-VERSION[-RELEASE]: a '-' then a digit; zypper NAME=VERSION. */
static bool
rpm_pinned(const char *w)
{
	const char *p;

	for (p = w; (p = strchr(p, '-')) != NULL; p++)
		if (p[1] >= '0' && p[1] <= '9')
			return strchr(w, '*') == NULL;
	return exact_after(w, "=");
}

static void
check_dnf(struct lint_ctx *x, const struct call *at)
{
	static const char *const takes_arg[] = {
		"--releasever", "--installroot", "-c", "--config", "--enablerepo",
		"--disablerepo", "--repo", "--repofrom", "--setopt", "-x",
		"--exclude", "--forcearch", NULL
	};
	static const char *const installs[] = { "install", "in", NULL };
	const struct lint_cmd *c = at->c;
	struct names l = { SBUF_INIT, 0, { 0, 0 }, false };
	size_t idx[OPERANDS_MAX], n = operands(c, at->prog + 1, takes_arg, idx);
	size_t k;
	const char *w;

	if (n == 0 || !word_in(c->w[idx[0]].s, installs))
		return;
	for (k = 1; k < n; k++) {
		w = c->w[idx[k]].s;
		if (w[0] != '@' && !rpm_pinned(w) && !is_local_or_unknown(w))
			names_add(&l, &c->w[idx[k]]);
	}
	if (l.n > 0)
		lint_add(x->r, R_DNF_UNPINNED, l.first, "%s install without a "
		    "version: %s", base_name(c->w[at->prog].s), names_str(&l));
	sbuf_release(&l.sb);
	installer_leftovers(x, at, idx, n, "its logs under /var/log");
}

static void
check_conda(struct lint_ctx *x, const struct call *at)
{
	static const char *const takes_arg[] = {
		"-n", "--name", "-p", "--prefix", "-c", "--channel", "-f", "--file",
		NULL
	};
	static const char *const installs[] = { "install", "create", NULL };
	const struct lint_cmd *c = at->c;
	size_t idx[OPERANDS_MAX], n = operands(c, at->prog + 1, takes_arg, idx);
	char what[64];

	if (n == 0 || !word_in(c->w[idx[0]].s, installs))
		return;
	snprintf(what, sizeof(what), "%s %s", base_name(c->w[at->prog].s),
	    c->w[idx[0]].s);
	check_versioned(x, c, idx, n, R_CONDA_UNPINNED, what);
}

/* dpkg -i: its log. */
static void
check_dpkg(struct lint_ctx *x, const struct call *at)
{
	static const char *const install[] = { "-i", "--install", NULL };
	static const char *const none[] = { NULL };
	size_t idx[OPERANDS_MAX], n = operands(at->c, at->prog, none, idx);

	if (has_option(at->c, at->prog + 1, install))
		installer_leftovers(x, at, idx, n, "/var/log/dpkg.log");
}

/* git. */

static void
clones_clear(struct lint_ctx *x)
{
	size_t i;

	for (i = 0; i < x->nclones; i++)
		free(x->clones[i].url);
	x->nclones = 0;
}

void
lint_commands_end_stage(struct lint_ctx *x)
{
	size_t i;

	for (i = 0; i < x->nclones; i++)
		lint_add(x->r, R_GIT_CLONE_UNPINNED, x->clones[i].pos, "git clone "
		    "of '%s' with no commit checked out", x->clones[i].url);
	clones_clear(x);
	lint_names_release(&x->copied);
	x->copied_any = false;
	x->env = 0;
}

static void
check_git(struct lint_ctx *x, const struct call *at)
{
	const struct lint_cmd *c = at->c;
	size_t i = at->prog + 1;
	static const char *const takes_arg[] = {
		"-C", "-c", "--branch", "-b", "--depth", "--origin", "-o",
		"--revision", "--reference", "--separate-git-dir", "--filter",
		"-j", "--jobs", "--template", "--shallow-since", "--config",
		NULL
	};
	static const char *const pins[] = { "checkout", "switch", "reset",
		"fetch", NULL };
	size_t idx[OPERANDS_MAX], n = operands(c, i, takes_arg, idx), k;
	const char *rev = NULL;

	if (n == 0)
		return;
	if (strcmp(c->w[idx[0]].s, "clone") == 0) {
		for (k = i; k < c->n; k++)
			if (strcmp(c->w[k].s, "--revision") == 0 && k + 1 < c->n)
				rev = c->w[k + 1].s;
			else
				skip_prefix(c->w[k].s, "--revision=", &rev);
		if (rev != NULL && is_commitish(rev))
			return;
		xgrow(&x->clones, &x->ccap, x->nclones + 1, sizeof(*x->clones));
		x->clones[x->nclones].pos = c->w[i - 1].pos;
		x->clones[x->nclones].url = xstrdup(n > 1 ? c->w[idx[1]].s : "");
		x->nclones++;
	} else if (word_in(c->w[idx[0]].s, pins) && x->nclones > 0) {
		/* one checkout pins one clone: the latest not yet pinned */
		for (k = 1; k < n; k++)
			if (is_commitish(c->w[idx[k]].s)) {
				free(x->clones[--x->nclones].url);
				break;
			}
	}
}

/* Downloads. */

static const char *
find_url(const struct lint_cmd *c, size_t i)
{
	for (; i < c->n; i++)
		if (strncasecmp(c->w[i].s, "http://", 7) == 0 ||
		    strncasecmp(c->w[i].s, "https://", 8) == 0 ||
		    strncasecmp(c->w[i].s, "ftp://", 6) == 0)
			return c->w[i].s;
	return NULL;
}

/* @return true when c checks a checksum or a signature. */
static bool
is_verifier(const struct lint_cmd *c)
{
	static const char *const sums[] = {
		"sha256sum", "sha512sum", "sha384sum", "sha224sum", "sha1sum",
		"md5sum", "b2sum", "shasum", NULL
	};
	static const char *const check[] = { "--check", "-c", NULL };
	static const char *const verify[] = { "--verify", "verify-blob",
		"-V", NULL };
	static const char *const digests[] = {
		"sha256sum", "sha512sum", "sha384sum", "sha1sum", "md5sum", "b2sum",
		"shasum", "openssl dgst", "openssl sha", NULL
	};
	size_t i, k;
	const char *p = prog_name(c, &i), *const *d, *w;

	/* [ "$(openssl sha512 -r F)" = "$SUM" ]: a digest computed in a
	   substitution is there to be compared */
	for (k = 0; k < c->n; k++)
		for (w = c->w[k].s; (w = strpbrk(w, "$`")) != NULL; w++) {
			w += w[0] == '$' && w[1] == '(' ? 2 : 1;
			w += strspn(w, " ");
			for (d = digests; *d != NULL; d++)
				if (strncmp(w, *d, strlen(*d)) == 0)
					return true;
			if (*w == '\0')
				break;
		}
	if (word_in(p, sums))
		return has_option(c, i + 1, check);
	if (strcmp(p, "gpgv") == 0)
		return true;
	if (strcmp(p, "gpg") == 0 || strcmp(p, "gpg2") == 0 ||
	    strcmp(p, "cosign") == 0 || strcmp(p, "minisign") == 0)
		return has_option(c, i + 1, verify);
	return false;
}

/* The programs that run, install or unpack a file they are given. */
static const char *const unpackers[] = {
	"tar", "bsdtar", "unzip", "gunzip", "gzip", "bunzip2", "xz", "unxz",
	"zstd", "7z", "cpio", "dpkg", "apt", "apt-get", "rpm", "pip", "pip3",
	"install", "mv", "cp", "ln", "chmod", "sh", "bash", "dash", "ash",
	"zsh", "python", "python3", "perl", "ruby", "node", "java", "source",
	".", NULL
};

/* @return the base name of the file a download writes, or NULL (standard
   output, or not known). */
static const char *
download_file(const struct lint_cmd *c, size_t i, const char *url)
{
	static const char *const named[] = {
		"-o", "--output", "-O", "--output-document", NULL
	};
	const char *w, *v, *const *o;
	bool curl = strcmp(base_name(c->w[i].s), "curl") == 0, remote = !curl;
	size_t k;

	if (c->nout > 0)
		return base_name(c->out[0].s);
	for (k = i + 1; k < c->n; k++) {
		w = c->w[k].s;
		for (o = named; *o != NULL; o++)
			/* curl -o FILE; wget -O FILE (-O alone is curl's
			   --remote-name) */
			if ((curl ? strcmp(*o, "-O") != 0 : strcmp(*o, "-o") != 0) &&
			    strcmp(w, *o) == 0 && k + 1 < c->n)
				return strcmp(c->w[k + 1].s, "-") == 0 ? NULL :
				    base_name(c->w[k + 1].s);
			else if (skip_prefix(w, *o, &v) && *v == '=')
				return strcmp(v + 1, "-") == 0 ? NULL :
				    base_name(v + 1);
		if (w[0] == '-' && w[1] != '-') {	/* -fsSLo FILE, -qO- */
			v = w + strlen(w) - 1;
			if (*v == (curl ? 'o' : 'O') && k + 1 < c->n)
				return strcmp(c->w[k + 1].s, "-") == 0 ? NULL :
				    base_name(c->w[k + 1].s);
			if (!curl && strstr(w, "O-") != NULL)
				return NULL;
			if (curl && strchr(w + 1, 'O') != NULL)
				remote = true;
		}
		if (curl && (strcmp(w, "--remote-name") == 0 ||
		    strcmp(w, "--remote-name-all") == 0))
			remote = true;
	}
	return remote ? base_name(url) : NULL;
}

/* @return the program of a later command of the RUN that runs, installs
   or unpacks file (by base name), or NULL. */
static const char *
used_later(const struct call *at, const char *file)
{
	const struct lint_script *sc = at->run->sc;
	const char *p, *w;
	size_t k, i, pi, n = strcspn(file, "?#");

	if (n == 0)
		return NULL;
	for (k = at->k + 1; k < sc->n; k++) {
		p = prog_name(&sc->v[k], &pi);
		if (pi >= sc->v[k].n)
			continue;
		w = base_name(sc->v[k].w[pi].s);
		if (strncmp(w, file, n) == 0 && w[n] == '\0')
			return w;	/* run as a program */
		if (!word_in(p, unpackers))
			continue;
		for (i = pi + 1; i < sc->v[k].n; i++) {
			w = base_name(sc->v[k].w[i].s);
			if (strncmp(w, file, n) == 0 && w[n] == '\0')
				return p;
		}
	}
	return NULL;
}

static void
check_download(struct lint_ctx *x, const struct call *at)
{
	const struct lint_cmd *c = at->c;
	size_t i = at->prog;
	const char *url = find_url(c, i + 1);

	const char *file, *user;

	if (url == NULL)
		return;
	if (at->piped_into != NULL)
		lint_add(x->r, R_CURL_PIPE_SHELL, c->w[i].pos, "download "
		    "from '%s' is piped into %s", url, at->piped_into);
	else if (at->verified)
		return;
	else if (at->piped_to != NULL && word_in(at->piped_to, unpackers))
		lint_add(x->r, R_DOWNLOAD_UNVERIFIED, c->w[i].pos, "download "
		    "from '%s' is piped into %s with no checksum check", url,
		    at->piped_to);
	else if ((file = download_file(c, i, url)) != NULL &&
	    (user = used_later(at, file)) != NULL)
		lint_add(x->r, R_DOWNLOAD_UNVERIFIED, c->w[i].pos, "download "
		    "from '%s' is used by %s with no checksum check", url, user);
}

/* sh -c "$(curl ...)", bash <(wget ...). */
/* @return "curl" or "wget" when w runs one in $(...), `...` or <(...). */
static const char *
fetch_in(const char *w)
{
	static const char *const opens[] = { "$(", "`", "<(", NULL };
	static const char *const tools[] = { "curl", "wget", NULL };
	const char *const *o, *const *t, *p, *rest;

	for (o = opens; *o != NULL; o++)
		for (p = w; (p = strstr(p, *o)) != NULL; p++)
			for (t = tools; *t != NULL; t++)
				if (skip_prefix(p + strlen(*o), *t, &rest))
					return *t;
	return NULL;
}

static void
check_substitution(struct lint_ctx *x, const struct lint_cmd *c, size_t i)
{
	const char *tool;
	size_t k;

	for (k = i + 1; k < c->n; k++)
		if ((tool = fetch_in(c->w[k].s)) != NULL) {
			lint_add(x->r, R_CURL_PIPE_SHELL, c->w[k].pos, "%s runs "
			    "what %s downloads", base_name(c->w[i].s), tool);
			return;
		}
}

/* The checkers, by program; a versioned one also takes NAME3, NAME3.12. */
static const struct checker {
	const char *program;
	void (*fn)(struct lint_ctx *x, const struct call *at);
	bool versioned;
} checkers[] = {
	{ "apk", check_apk, false },
	{ "apt", check_apt, false },
	{ "apt-get", check_apt, false },
	{ "aptitude", check_apt, false },
	{ "bundle", check_bundle, false },
	{ "cargo", check_cargo, false },
	{ "composer", check_composer, false },
	{ "conda", check_conda, false },
	{ "curl", check_download, false },
	{ "dnf", check_dnf, false },
	{ "dpkg", check_dpkg, false },
	{ "c++", check_build_path, false },
	{ "cc", check_build_path, false },
	{ "clang", check_build_path, false },
	{ "clang++", check_build_path, false },
	{ "g++", check_build_path, false },
	{ "gcc", check_build_path, false },
	{ "gem", check_gem, false },
	{ "git", check_git, false },
	{ "go", check_go, false },
	{ "gzip", check_gzip, false },
	{ "mamba", check_conda, false },
	{ "micromamba", check_conda, false },
	{ "microdnf", check_dnf, false },
	{ "npm", check_npm, false },
	{ "pigz", check_gzip, false },
	{ "pip", check_pip, true },
	{ "pipenv", check_pipenv, false },
	{ "pnpm", check_pnpm, false },
	{ "poetry", check_poetry, false },
	{ "python", check_python, true },
	{ "tdnf", check_dnf, false },
	{ "uv", check_uv, false },
	{ "wget", check_download, false },
	{ "yarn", check_yarn, false },
	{ "yum", check_dnf, false },
	{ "zypper", check_dnf, false },
};

/* @return the checker of program p, or NULL. */
static const struct checker *
checker_find(const char *p)
{
	const char *rest;
	size_t i;

	for (i = 0; i < sizeof(checkers) / sizeof(checkers[0]); i++)
		if (skip_prefix(p, checkers[i].program, &rest) && (*rest == '\0' ||
		    (checkers[i].versioned &&
		    rest[strspn(rest, "0123456789.")] == '\0')))
			return &checkers[i];
	return NULL;
}

static void
check_cmd(struct lint_ctx *x, struct call *at)
{
	const struct checker *ck;
	const char *p = prog_name(at->c, &at->prog);

	if ((ck = checker_find(p)) != NULL)
		ck->fn(x, at);
	check_date_output(x, at);
	if (word_in(p, interpreters))
		check_substitution(x, at->c, at->prog);
}

/* @return the index of the script word after a -c option of a shell. */
static size_t
sh_c_arg(const struct lint_cmd *c)
{
	size_t i, k;
	const char *w;

	if (!word_in(base_name(prog_name(c, &i)), shells))
		return 0;
	for (k = i + 1; k + 1 < c->n; k++) {
		w = c->w[k].s;
		if (w[0] != '-')
			return 0;
		if (w[1] != '-' && strchr(w, 'c') != NULL)
			return k + 1;
	}
	return 0;
}

/* Append the commands of each sh -c STRING to sc (they run too). */
static void
expand_sh_c(const struct lint_doc *d, struct lint_script *sc)
{
	struct lint_loc loc;
	size_t k, a, done = 0;
	char *s;

	for (k = 0; k < sc->n && done < SH_C_MAX; k++) {
		if ((a = sh_c_arg(&sc->v[k])) == 0)
			continue;
		memset(&loc, 0, sizeof(loc));
		loc.d = d;
		loc.fixed = sc->v[k].w[a].pos;
		s = xstrdup(sc->v[k].w[a].s);
		lint_shell_parse(s, strlen(s), &loc, sc);
		free(s);
		done++;
	}
}

/* Does the heredoc body run as a shell script? */
static bool
heredoc_is_shell(const struct lint_script *main, size_t nmain,
    const struct lint_heredoc *h)
{
	const struct lint_cmd *c = nmain > 0 ? &main->v[0] : NULL;
	const char *s = h->body.sb.buf != NULL ? h->body.sb.buf : "";
	size_t i, k, n;
	char prog[64];

	if (c != NULL) {
		if (!word_in(prog_name(c, &i), shells))
			return false;
		for (k = i + 1; k < c->n; k++)
			if (c->w[k].s[0] != '-')
				return false;
	}
	if (strncmp(s, "#!", 2) != 0)
		return true;
	s += 2 + strspn(s + 2, " \t");
	n = strcspn(s, " \t\n");
	snprintf(prog, sizeof(prog), "%.*s", (int)n, s);
	if (strcmp(base_name(prog), "env") == 0) {
		s += n + strspn(s + n, " \t");
		n = strcspn(s, " \t\n");
		snprintf(prog, sizeof(prog), "%.*s", (int)n, s);
	}
	return word_in(base_name(prog), shells);
}

static void
run_script(struct lint_ctx *x, const struct lint_insn *in,
    struct lint_script *sc)
{
	const char *s = in->args.sb.buf != NULL ? in->args.sb.buf : "";
	size_t start = lint_skip_flags(&in->args), nmain;
	struct lint_cmd argv = LINT_CMD_INIT;
	struct lint_loc loc;

	memset(&loc, 0, sizeof(loc));
	loc.d = x->d;
	if (s[start] == '[' && lint_json_argv(s + start, in->args.sb.len - start,
	    lint_text_pos(x->d, &in->args, start), &argv)) {
		xgrow(&sc->v, &sc->cap, sc->n + 1, sizeof(*sc->v));
		sc->v[sc->n++] = argv;
		return;
	}
	loc.t = &in->args;
	loc.base = start;
	lint_shell_parse(s + start, in->args.sb.len - start, &loc, sc);
	nmain = sc->n;
	if (in->nhd > 0 && heredoc_is_shell(sc, nmain, &in->hd[0])) {
		loc.t = &in->hd[0].body;
		loc.base = 0;
		s = in->hd[0].body.sb.buf != NULL ? in->hd[0].body.sb.buf : "";
		lint_shell_parse(s, in->hd[0].body.sb.len, &loc, sc);
	}
}

/* RUN --mount=type=bind,from=IMAGE,...: the image is an input too. */
static void
check_mounts(struct lint_ctx *x, const struct lint_insn *in)
{
	struct lint_cmd w = LINT_CMD_INIT;
	const char *m, *p;
	char *from;
	size_t i;

	lint_split_words(x->d, &in->args, 0, &w);
	for (i = 0; i < w.n && strncmp(w.w[i].s, "--", 2) == 0; i++) {
		if (!skip_prefix(w.w[i].s, "--mount=", &m))
			continue;
		for (p = m; p != NULL; p = (p = strchr(p, ',')) ? p + 1 : NULL)
			if (strncmp(p, "from=", 5) == 0) {
				from = xstrndup(p + 5, strcspn(p + 5, ","));
				lint_check_image_ref(x, from, w.w[i].pos,
				    "RUN --mount image");
				free(from);
			}
	}
	lint_cmd_release(&w);
}

/*
 * @return the environment c runs with: the stage's, what export set before
 * it in the RUN (kept in *run_env), and its own NAME=VALUE prefixes.
 */
static unsigned
command_env(const struct lint_cmd *c, unsigned *run_env)
{
	const char *eq;
	unsigned env;
	size_t i, pi;

	if (strcmp(prog_name(c, &pi), "export") == 0) {
		for (i = pi + 1; i < c->n; i++)
			if ((eq = strchr(c->w[i].s, '=')) != NULL)
				*run_env = lint_env_set(*run_env, c->w[i].s,
				    (size_t)(eq - c->w[i].s), eq + 1);
		return *run_env;
	}
	env = *run_env;
	for (i = 0; i < pi; i++)
		if ((eq = strchr(c->w[i].s, '=')) != NULL)
			env = lint_env_set(env, c->w[i].s,
			    (size_t)(eq - c->w[i].s), eq + 1);
	return env;
}

void
lint_check_run(struct lint_ctx *x, const struct lint_insn *in)
{
	struct lint_script sc = { NULL, 0, 0 };
	struct run *run = xcalloc(1, sizeof(*run));
	struct call *calls;
	unsigned env = x->env;
	bool verified = false;
	const char *p;
	size_t k, pi;

	if (!x->run_seen) {
		x->run_seen = true;
		x->first_run = lint_doc_pos(x->d, in->bufoff);
	}
	check_mounts(x, in);
	run_script(x, in, &sc);
	expand_sh_c(x->d, &sc);
	run->sc = &sc;
	for (k = 0; k < sc.n; k++)
		verified |= is_verifier(&sc.v[k]);
	calls = xcalloc(sc.n + 1, sizeof(*calls));
	for (k = sc.n; k-- > 0;) {	/* backwards, to know what follows */
		calls[k].c = &sc.v[k];
		calls[k].verified = verified;
		calls[k].run = run;
		calls[k].k = k;
		if (k + 1 < sc.n && sc.v[k + 1].sep == SEP_PIPE) {
			p = prog_name(&sc.v[k + 1], &pi);
			calls[k].piped_to = p;
			calls[k].piped_into = word_in(p, interpreters) ? p :
			    calls[k + 1].piped_into;
		}
	}
	for (k = 0; k < sc.n; k++) {
		calls[k].env = command_env(&sc.v[k], &env);
		check_cmd(x, &calls[k]);
	}
	free(calls);
	free(run);
	lint_script_release(&sc);
}
