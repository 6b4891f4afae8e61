/*
 * rules.c - the rule table and the checks for FROM, ARG and ADD.  The checks
 * of the commands a RUN executes are in commands.c.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lint/lint_int.h"
#include "util/util.h"

const struct lint_rule lint_rule_table[R_COUNT] = {
	[R_BASE_NOT_PINNED] = { "base-not-pinned", LINT_ERROR,
	  "FROM names a registry image without @sha256:",
	  "pin the base by digest: FROM image:tag@sha256:<digest> "
	  "('docker buildx imagetools inspect image:tag' prints it)" },
	[R_BASE_LATEST] = { "base-latest", LINT_ERROR,
	  "the base image tag is latest, or there is no tag at all",
	  "name a release tag, then pin it by digest" },
	[R_BASE_DIGEST_UNLABELLED] = { "base-digest-unlabelled", LINT_NOTE,
	  "a digest with no tag in front of it, which people cannot read",
	  "write the tag the digest was taken from: FROM image:tag@sha256:<digest>" },
	[R_PLATFORM_IMPLICIT] = { "platform-implicit", LINT_WARNING,
	  "no --platform on FROM, so the build host picks the platform",
	  "name the platform on the build command (docker buildx build "
	  "--platform linux/amd64,linux/arm64 ...), and write "
	  "FROM --platform=$BUILDPLATFORM for stages that only build" },
	[R_ARG_BASE_UNRESOLVED] = { "arg-base-unresolved", LINT_WARNING,
	  "FROM uses an ARG that has no default, so the base cannot be pinned",
	  "give the ARG a pinned default before the first FROM: "
	  "ARG BASE=image:tag@sha256:<digest>" },
	[R_PIP_UNPINNED] = { "pip-unpinned", LINT_ERROR,
	  "pip install NAME without ==",
	  "pin every package: pip install NAME==VERSION, or install from a "
	  "hashed requirements file" },
	[R_PIP_NO_HASHES] = { "pip-no-hashes", LINT_WARNING,
	  "pip install -r FILE without --require-hashes",
	  "pin and hash every requirement (pip-compile --generate-hashes) and "
	  "pass --require-hashes" },
	[R_APT_UNPINNED] = { "apt-unpinned", LINT_WARNING,
	  "apt-get or apt install NAME without =version",
	  "pin each package: apt-get install NAME=VERSION, from a snapshot "
	  "mirror such as snapshot.debian.org" },
	[R_APT_UPGRADE] = { "apt-upgrade", LINT_WARNING,
	  "apt-get upgrade, dist-upgrade or full-upgrade",
	  "drop the upgrade and pin a newer base image instead" },
	[R_APK_UNPINNED] = { "apk-unpinned", LINT_WARNING,
	  "apk add NAME without =version",
	  "pin each package: apk add NAME=VERSION" },
	[R_NPM_INSTALL] = { "npm-install", LINT_WARNING,
	  "npm install where npm ci belongs, or a package without @version",
	  "commit package-lock.json and run npm ci; install tools as NAME@VERSION" },
	[R_YARN_UNLOCKED] = { "yarn-unlocked", LINT_WARNING,
	  "yarn install without --frozen-lockfile or --immutable",
	  "commit yarn.lock and run yarn install --frozen-lockfile (Yarn 1) "
	  "or --immutable (Yarn 2 and later)" },
	[R_GEM_UNPINNED] = { "gem-unpinned", LINT_WARNING,
	  "gem install NAME without -v",
	  "pin the version: gem install NAME -v VERSION, or bundle install "
	  "with a committed Gemfile.lock" },
	[R_CARGO_UNLOCKED] = { "cargo-unlocked", LINT_WARNING,
	  "cargo install without --locked",
	  "pass --locked so the crate's Cargo.lock is used, and --version" },
	[R_GO_INSTALL_LATEST] = { "go-install-latest", LINT_WARNING,
	  "go install or go get PKG@latest (or a branch)",
	  "install a version: go install PKG@vX.Y.Z" },
	[R_ADD_URL_NO_CHECKSUM] = { "add-url-no-checksum", LINT_ERROR,
	  "ADD http(s)://... without --checksum=sha256:",
	  "add --checksum=sha256:<hex> to the ADD" },
	[R_CURL_PIPE_SHELL] = { "curl-pipe-shell", LINT_ERROR,
	  "curl | sh, or sh -c \"$(curl ...)\": a download run as it arrives",
	  "download to a file, check it with sha256sum -c, then use it" },
	[R_GIT_CLONE_UNPINNED] = { "git-clone-unpinned", LINT_ERROR,
	  "git clone with no commit checked out",
	  "check out a commit: git clone URL DIR && git -C DIR checkout <commit>" },
	[R_POETRY_UNLOCKED] = { "poetry-unlocked", LINT_WARNING,
	  "poetry install with no poetry.lock copied into the stage, or poetry "
	  "lock, update or add run in the build",
	  "commit poetry.lock, COPY it next to pyproject.toml, and run poetry "
	  "install (never poetry lock or update in the build)" },
	[R_UV_UNLOCKED] = { "uv-unlocked", LINT_WARNING,
	  "uv sync without --locked or --frozen, or uv pip install without "
	  "--require-hashes",
	  "commit uv.lock and run uv sync --locked; give uv pip install a "
	  "hashed requirements file and --require-hashes" },
	[R_PIPENV_UNLOCKED] = { "pipenv-unlocked", LINT_WARNING,
	  "pipenv install without --deploy",
	  "commit Pipfile.lock and run pipenv install --deploy (or pipenv "
	  "sync)" },
	[R_PNPM_UNLOCKED] = { "pnpm-unlocked", LINT_WARNING,
	  "pnpm install without --frozen-lockfile",
	  "commit pnpm-lock.yaml and run pnpm install --frozen-lockfile" },
	[R_BUNDLE_UNLOCKED] = { "bundle-unlocked", LINT_WARNING,
	  "bundle install without --frozen or --deployment, and no "
	  "BUNDLE_FROZEN or BUNDLE_DEPLOYMENT set",
	  "commit Gemfile.lock and set ENV BUNDLE_FROZEN=true (or run "
	  "bundle config set frozen true) before bundle install" },
	[R_COMPOSER_UNLOCKED] = { "composer-unlocked", LINT_WARNING,
	  "composer install with no composer.lock copied into the stage, or "
	  "composer update or require run in the build",
	  "commit composer.lock, COPY it next to composer.json, and run "
	  "composer install" },
	[R_DNF_UNPINNED] = { "dnf-unpinned", LINT_WARNING,
	  "dnf, yum, microdnf, tdnf or zypper install NAME without a version",
	  "pin each package: dnf install NAME-VERSION-RELEASE (zypper: "
	  "NAME=VERSION), from a repository snapshot" },
	[R_CONDA_UNPINNED] = { "conda-unpinned", LINT_WARNING,
	  "conda, mamba or micromamba install NAME without =version",
	  "pin each package: conda install NAME=VERSION=BUILD, or create the "
	  "environment from a lock file (conda-lock, conda list --explicit)" },
	[R_PYC_TIMESTAMP] = { "pyc-timestamp", LINT_WARNING,
	  "pip install or compileall writes .pyc files that hold the source "
	  "files' mtimes",
	  "set SOURCE_DATE_EPOCH (py_compile then writes hash-based .pyc), or "
	  "run python -m compileall --invalidation-mode checked-hash, or pip "
	  "install --no-compile" },
	[R_LOGS_LEFT] = { "logs-left", LINT_WARNING,
	  "apt-get, dpkg, npm or pip leaves logs or caches with times in them "
	  "in the layer",
	  "remove them in the same RUN: rm -rf /var/log/apt/* "
	  "/var/log/dpkg.log /var/log/alternatives.log ~/.npm/_logs; pip "
	  "install --no-cache-dir" },
	[R_APT_LISTS_LEFT] = { "apt-lists-left", LINT_WARNING,
	  "apt-get update without removing /var/lib/apt/lists in the same RUN",
	  "end the RUN with rm -rf /var/lib/apt/lists/*" },
	[R_MACHINE_ID_LEFT] = { "machine-id-left", LINT_WARNING,
	  "dbus or systemd installed, which writes a random machine-id",
	  "in the same RUN: : > /etc/machine-id && rm -f "
	  "/var/lib/dbus/machine-id" },
	[R_GZIP_NO_N] = { "gzip-no-n", LINT_WARNING,
	  "gzip of a named file without -n, which stores its name and mtime",
	  "gzip -n (or --no-name); tar --mtime=@$SOURCE_DATE_EPOCH for tar "
	  "archives" },
	[R_DATE_IN_OUTPUT] = { "date-in-output", LINT_WARNING,
	  "the build time (date, $(date ...)) is written into a file",
	  "write $SOURCE_DATE_EPOCH (date -d @$SOURCE_DATE_EPOCH) or the "
	  "commit time instead, or nothing" },
	[R_BUILD_PATH_EMBEDDED] = { "build-path-embedded", LINT_NOTE,
	  "a compile embeds the build directory (debug info, __FILE__, Go "
	  "module paths)",
	  "cc -ffile-prefix-map=$PWD=. ...; go build -trimpath" },
	[R_DOWNLOAD_UNVERIFIED] = { "download-unverified", LINT_ERROR,
	  "a curl or wget download is run, installed or extracted with no "
	  "checksum check in the same RUN",
	  "check the file before using it: echo \"<sha256>  FILE\" | "
	  "sha256sum -c -" },
	[R_NPM_GLOBAL_UNPINNED] = { "npm-global-unpinned", LINT_ERROR,
	  "npm install -g NAME without @version: a tool the build runs, "
	  "whatever version is newest",
	  "install the tool as NAME@VERSION (npm install -g NAME@1.2.3)" },
	[R_SOURCE_DATE_EPOCH_UNSET] = { "source-date-epoch-unset", LINT_NOTE,
	  "RUN steps write files and no ARG SOURCE_DATE_EPOCH is declared",
	  "declare ARG SOURCE_DATE_EPOCH in each stage and build with "
	  "--build-arg SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)" },
};

const struct lint_rule *
lint_rules(size_t *n)
{
	*n = R_COUNT;
	return lint_rule_table;
}

const struct lint_rule *
lint_rule_find(const char *id)
{
	size_t i;

	for (i = 0; i < R_COUNT; i++)
		if (strcmp(lint_rule_table[i].id, id) == 0)
			return &lint_rule_table[i];
	return NULL;
}

/* ARG substitution in FROM. */

static const struct lint_arg *
arg_find(const struct lint_ctx *x, const char *name, size_t n)
{
	size_t i;

	return lint_names_get(&x->arg_index, name, n, &i) ? &x->args[i] : NULL;
}

static bool
is_name_char(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	    (!first && c >= '0' && c <= '9');
}

/*
 * One expansion: the text it makes (at most cap bytes: each ARG default
 * could double the one before, 41 of them 2^41 bytes), the first ARG it
 * could not resolve, and whether the text was cut.
 */
struct expansion {
	const struct lint_ctx *x;
	struct sbuf out;
	struct sbuf unresolved;
	size_t cap;
	bool cut;		/* out was cut at cap, or holds a cut ARG */
};

static void
exp_add(struct expansion *ex, const char *s, size_t n)
{
	if (n > ex->cap - ex->out.len) {
		n = ex->cap - ex->out.len;
		ex->cut = true;
	}
	sbuf_add(&ex->out, s, n);
}

static void
exp_arg(struct expansion *ex, const struct lint_arg *a)
{
	ex->cut |= a->cut;
	exp_add(ex, a->value, strlen(a->value));
}

static void
exp_unresolved(struct expansion *ex, const char *name, size_t n)
{
	if (ex->unresolved.len == 0)
		sbuf_add(&ex->unresolved, name, n);
}

static void expand_into(struct expansion *ex, const char *s, size_t n,
    int depth);

/* ${NAME}, ${NAME:-w}, ${NAME-w}, ${NAME:+w}, ${NAME+w} (inner text). */
static void
expand_braced(struct expansion *ex, const char *s, size_t n, int depth)
{
	const struct lint_arg *a;
	const char *w;
	size_t k = 0, wn;
	bool colon = false, set, nonempty;
	char op = 0;

	while (k < n && is_name_char(s[k], k == 0))
		k++;
	a = arg_find(ex->x, s, k);
	set = a != NULL && a->value != NULL;
	nonempty = set && a->value[0] != '\0';
	if (k < n && s[k] == ':') {
		colon = true;
		k++;
	}
	if (k < n && (s[k] == '-' || s[k] == '+'))
		op = s[k++];
	w = s + k;
	wn = n - k;
	if (op == '-' && !(colon ? nonempty : set))
		expand_into(ex, w, wn, depth + 1);
	else if (op == '+') {
		if (colon ? nonempty : set)
			expand_into(ex, w, wn, depth + 1);
	} else if (set)
		exp_arg(ex, a);
	else
		exp_unresolved(ex, s, strcspn(s, ":-+}") < n ?
		    strcspn(s, ":-+}") : n);
}

static void
expand_into(struct expansion *ex, const char *s, size_t n, int depth)
{
	const struct lint_arg *a;
	size_t i = 0, k, lvl;

	if (depth > LINT_NEST_MAX) {
		exp_unresolved(ex, "(nested too deeply)", 19);
		return;
	}
	while (i < n && !ex->cut) {
		if (s[i] == ex->x->df->escape && i + 1 < n && s[i + 1] == '$') {
			exp_add(ex, "$", 1);
			i += 2;
		} else if (s[i] == '$' && i + 1 < n && s[i + 1] == '{') {
			for (k = i + 2, lvl = 1; k < n; k++) {
				if (s[k] == '{')
					lvl++;
				else if (s[k] == '}' && --lvl == 0)
					break;
			}
			expand_braced(ex, s + i + 2, k - i - 2, depth);
			i = k < n ? k + 1 : n;
		} else if (s[i] == '$' && i + 1 < n && is_name_char(s[i + 1], true)) {
			for (k = i + 1; k < n && is_name_char(s[k], k == i + 1); k++)
				;
			a = arg_find(ex->x, s + i + 1, k - i - 1);
			if (a != NULL && a->value != NULL)
				exp_arg(ex, a);
			else
				exp_unresolved(ex, s + i + 1, k - i - 1);
			i = k;
		} else
			exp_add(ex, s + i++, 1);
	}
}

/*
 * Expand the ARGs in s into ex, at most cap bytes.  ex->out holds the
 * text, ex->unresolved the first ARG with no value ("" when all had one).
 * Release with exp_release().
 */
static void
expand(const struct lint_ctx *x, const char *s, size_t cap,
    struct expansion *ex)
{
	memset(ex, 0, sizeof(*ex));
	ex->x = x;
	ex->cap = cap;
	sbuf_add(&ex->out, "", 0);
	sbuf_add(&ex->unresolved, "", 0);
	expand_into(ex, s, strlen(s), 0);
}

static void
exp_release(struct expansion *ex)
{
	sbuf_release(&ex->out);
	sbuf_release(&ex->unresolved);
}

static void
check_arg(struct lint_ctx *x, const struct lint_insn *in)
{
	struct lint_cmd w = LINT_CMD_INIT;
	struct expansion ex;
	struct lint_arg *a;
	size_t i, left;
	char *eq;

	lint_split_words(x->d, &in->args, 0, &w);
	for (i = 0; i < w.n; i++)
		if (strncmp(w.w[i].s, "SOURCE_DATE_EPOCH", 17) == 0 &&
		    (w.w[i].s[17] == '\0' || w.w[i].s[17] == '=')) {
			x->sde_seen = true;
			if (x->nstages > 0)
				x->env |= ENV_SOURCE_DATE_EPOCH;
		}
	if (x->nstages > 0) {
		lint_cmd_release(&w);
		return;		/* only ARGs before the first FROM reach FROM */
	}
	for (i = 0; i < w.n; i++) {
		xgrow(&x->args, &x->acap, x->nargs + 1, sizeof(*x->args));
		a = &x->args[x->nargs];
		a->value = NULL;
		a->cut = false;
		if ((eq = strchr(w.w[i].s, '=')) != NULL) {
			left = LINT_ARG_TOTAL - x->arg_bytes;
			expand(x, eq + 1, left < LINT_ARG_MAX ? left : LINT_ARG_MAX,
			    &ex);
			x->arg_bytes += ex.out.len;
			a->cut = ex.cut;
			a->value = sbuf_detach(&ex.out);
			exp_release(&ex);
			*eq = '\0';
		}
		a->name = xstrdup(w.w[i].s);
		lint_names_put(&x->arg_index, a->name, strlen(a->name), x->nargs);
		x->nargs++;
	}
	lint_cmd_release(&w);
}

/* FROM. */

static bool
is_sha256_digest(const char *s)
{
	const char *hex;

	if (!skip_prefix(s, "sha256:", &hex))
		return false;
	return strspn(hex, "0123456789abcdef") == 64 && hex[64] == '\0';
}

static void
check_base_ref(struct lint_ctx *x, const char *ref, struct lint_pos pos,
    const char *what)
{
	const char *at = strchr(ref, '@'), *slash, *colon, *tag = NULL;
	size_t namelen = at ? (size_t)(at - ref) : strlen(ref);
	char *name = xstrndup(ref, namelen);

	slash = strrchr(name, '/');
	colon = strrchr(slash ? slash : name, ':');
	if (colon != NULL)
		tag = colon + 1;
	if (at != NULL) {
		if (!is_sha256_digest(at + 1))
			lint_add(x->r, R_BASE_NOT_PINNED, pos, "%s '%s' has a "
			    "digest that is not sha256:<64 hex digits>", what, ref);
		else if (tag == NULL)
			lint_add(x->r, R_BASE_DIGEST_UNLABELLED, pos, "%s '%s' is "
			    "pinned by a digest with no tag in front of it", what,
			    ref);
	} else {
		lint_add(x->r, R_BASE_NOT_PINNED, pos, tag != NULL ?
		    "%s '%s' is pinned by tag, not by digest" :
		    "%s '%s' is not pinned by digest", what, ref);
		if (tag == NULL)
			lint_add(x->r, R_BASE_LATEST, pos, "%s '%s' has no tag, "
			    "which means latest", what, ref);
		else if (strcmp(tag, "latest") == 0)
			lint_add(x->r, R_BASE_LATEST, pos, "%s '%s' uses the tag "
			    "latest, which moves", what, ref);
	}
	free(name);
}

static void
check_from(struct lint_ctx *x, const struct lint_insn *in)
{
	struct lint_cmd w = LINT_CMD_INIT;
	struct expansion ex;
	const struct lint_word *img;
	const char *ref, *stage = "";
	bool platform = false;
	size_t i = 0, idx;

	lint_commands_end_stage(x);
	lint_split_words(x->d, &in->args, 0, &w);
	for (; i < w.n && strncmp(w.w[i].s, "--", 2) == 0; i++)
		if (strncmp(w.w[i].s, "--platform", 10) == 0)
			platform = true;
	if (i >= w.n)
		goto out;
	img = &w.w[i];
	/* its own text never counts against the limit: only what ARGs add */
	expand(x, img->s, strlen(img->s) + LINT_ARG_MAX, &ex);
	ref = sbuf_str(&ex.out);
	if (ex.cut)
		lint_add(x->r, R_ARG_BASE_UNRESOLVED, img->pos, "base image '%s' "
		    "is not checked: its ARGs expand past the limit (%u bytes "
		    "for one value, %u for all)", img->s, LINT_ARG_MAX,
		    LINT_ARG_TOTAL);
	else if (ex.unresolved.len > 0)
		lint_add(x->r, R_ARG_BASE_UNRESOLVED, img->pos, "base image '%s' "
		    "depends on ARG %s, which has no default", img->s,
		    sbuf_str(&ex.unresolved));
	else if (strcasecmp(ref, "scratch") == 0 ||
	    lint_names_get(&x->stages, ref, strlen(ref), &idx)) {
		exp_release(&ex);
		goto out;	/* not a registry image */
	} else
		check_base_ref(x, ref, img->pos, "base image");
	if (!platform && !x->platform_reported) {
		lint_add(x->r, R_PLATFORM_IMPLICIT, img->pos, "FROM has no "
		    "--platform, so the build host picks the platform of '%s'",
		    ex.cut || ex.unresolved.len > 0 ? img->s : ref);
		x->platform_reported = true;
	}
	exp_release(&ex);
 out:
	if (i + 2 < w.n && strcasecmp(w.w[i + 1].s, "as") == 0)
		stage = w.w[i + 2].s;
	lint_names_put(&x->stages, stage, strlen(stage), x->nstages++);
	lint_cmd_release(&w);
}

/* COPY --from and RUN --mount from=: images too, when not a stage. */

void
lint_check_image_ref(struct lint_ctx *x, const char *ref, struct lint_pos pos,
    const char *what)
{
	struct expansion ex;
	const char *s;
	size_t idx;

	if (ref[0] == '\0' || ref[strspn(ref, "0123456789")] == '\0' ||
	    lint_names_get(&x->stages, ref, strlen(ref), &idx))
		return;		/* a stage, by name or by index */
	expand(x, ref, strlen(ref) + LINT_ARG_MAX, &ex);
	s = sbuf_str(&ex.out);
	/* an ARG with no value cannot be judged; a stage after expansion
	   is no image */
	if (!ex.cut && ex.unresolved.len == 0 &&
	    !lint_names_get(&x->stages, s, strlen(s), &idx) &&
	    strcasecmp(s, "scratch") != 0)
		check_base_ref(x, s, pos, what);
	exp_release(&ex);
}

bool
lint_copied(const struct lint_ctx *x, const char *base)
{
	size_t v;

	return x->copied_any || lint_names_get(&x->copied, base, strlen(base),
	    &v);
}

/* Note what a COPY or ADD brings into the stage (all words but the last). */
static void
note_copied(struct lint_ctx *x, const struct lint_cmd *w, size_t from)
{
	const char *src, *base;
	size_t i, n;

	for (i = from; i + 1 < w->n; i++) {
		src = w->w[i].s;
		n = strlen(src);
		base = strrchr(src, '/');
		base = base != NULL ? base + 1 : src;
		if (n == 0 || src[n - 1] == '/' || strpbrk(src, "*?[$") != NULL ||
		    strchr(base, '.') == NULL || strcmp(base, ".") == 0 ||
		    strcmp(base, "..") == 0)
			x->copied_any = true;	/* could hold any file */
		else
			lint_names_put(&x->copied, base, strlen(base), 0);
	}
}

static void
check_copy(struct lint_ctx *x, const struct lint_insn *in)
{
	struct lint_cmd w = LINT_CMD_INIT;
	const char *s = in->args.sb.buf != NULL ? in->args.sb.buf : "";
	const char *from;
	size_t i, start = lint_skip_flags(&in->args);

	lint_split_words(x->d, &in->args, 0, &w);
	for (i = 0; i < w.n && strncmp(w.w[i].s, "--", 2) == 0; i++)
		if (in->kw == KW_COPY && skip_prefix(w.w[i].s, "--from=", &from))
			lint_check_image_ref(x, from, w.w[i].pos,
			    "COPY --from image");
	if (in->nhd == 0) {
		if (s[start] == '[') {
			lint_cmd_release(&w);
			i = 0;
			if (!lint_json_argv(s + start, in->args.sb.len - start,
			    lint_text_pos(x->d, &in->args, start), &w))
				lint_split_words(x->d, &in->args, start, &w);
		}
		note_copied(x, &w, i);
	}
	lint_cmd_release(&w);
}

/* ENV and ARG: the settings the rules read. */

unsigned
lint_env_set(unsigned env, const char *name, size_t n, const char *value)
{
	static const struct {
		const char *name;
		unsigned bit;
	} vars[] = {
		{ "BUNDLE_FROZEN", ENV_BUNDLE_FROZEN },
		{ "BUNDLE_DEPLOYMENT", ENV_BUNDLE_FROZEN },
		{ "PYTHONDONTWRITEBYTECODE", ENV_NO_BYTECODE },
		{ "SOURCE_DATE_EPOCH", ENV_SOURCE_DATE_EPOCH },
		{ "GOFLAGS", ENV_GO_TRIMPATH },
		{ "PIP_NO_CACHE_DIR", ENV_PIP_NO_CACHE },
	};
	size_t i;
	bool on;

	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		if (strlen(vars[i].name) != n || strncmp(name, vars[i].name, n) != 0)
			continue;
		if (vars[i].bit == ENV_GO_TRIMPATH)
			on = strstr(value, "-trimpath") != NULL;
		else if (vars[i].bit == ENV_SOURCE_DATE_EPOCH)
			on = true;	/* any value: it may be given at build time */
		else
			on = strcmp(value, "") != 0 && strcmp(value, "false") != 0 &&
			    strcmp(value, "0") != 0;
		return on ? env | vars[i].bit : env & ~vars[i].bit;
	}
	return env;
}

static void
check_env(struct lint_ctx *x, const struct lint_insn *in)
{
	struct lint_cmd w = LINT_CMD_INIT;
	const char *eq;
	size_t i;

	lint_split_words(x->d, &in->args, 0, &w);
	if (w.n > 1 && strchr(w.w[0].s, '=') == NULL)	/* ENV NAME VALUE */
		x->env = lint_env_set(x->env, w.w[0].s, strlen(w.w[0].s),
		    w.w[1].s);
	else
		for (i = 0; i < w.n; i++)
			if ((eq = strchr(w.w[i].s, '=')) != NULL)
				x->env = lint_env_set(x->env, w.w[i].s,
				    (size_t)(eq - w.w[i].s), eq + 1);
	if (x->env & ENV_SOURCE_DATE_EPOCH)
		x->sde_seen = true;
	lint_cmd_release(&w);
}

/* ADD. */

/* Exec-form ["a", "b"]: @return true with the strings in out. */
bool
lint_json_argv(const char *s, size_t n, struct lint_pos pos,
    struct lint_cmd *out)
{
	json_error_t jerr;
	json_t *j, *v;
	size_t i;
	bool ok = false;

	if ((j = json_loadb(s, n, JSON_DECODE_ANY, &jerr)) == NULL)
		return false;
	if (!json_is_array(j))
		goto out;
	json_array_foreach(j, i, v)
		if (!json_is_string(v))
			goto out;
	json_array_foreach(j, i, v) {
		xgrow(&out->w, &out->cap, out->n + 1, sizeof(*out->w));
		out->w[out->n].s = xstrndup(json_string_value(v),
		    json_string_length(v));
		out->w[out->n].pos = pos;
		out->n++;
	}
	ok = true;
 out:
	json_decref(j);
	return ok;
}

/* @return the offset of the first non-flag in t (after --x=y words). */
size_t
lint_skip_flags(const struct lint_text *t)
{
	const char *s = t->sb.buf != NULL ? t->sb.buf : "";
	size_t i = 0;

	for (;;) {
		while (s[i] == ' ' || s[i] == '\t')
			i++;
		if (strncmp(s + i, "--", 2) != 0)
			return i;
		while (s[i] != '\0' && s[i] != ' ' && s[i] != '\t')
			i++;
	}
}

static void
check_add(struct lint_ctx *x, const struct lint_insn *in)
{
	struct lint_cmd w = LINT_CMD_INIT;
	const char *s = in->args.sb.buf != NULL ? in->args.sb.buf : "";
	size_t i, start = lint_skip_flags(&in->args);
	bool checksum = false;

	lint_split_words(x->d, &in->args, 0, &w);
	for (i = 0; i < w.n && strncmp(w.w[i].s, "--", 2) == 0; i++)
		if (strncmp(w.w[i].s, "--checksum=sha256:", 18) == 0)
			checksum = true;
	if (s[start] == '[') {
		lint_cmd_release(&w);
		i = 0;
		if (!lint_json_argv(s + start, in->args.sb.len - start,
		    lint_text_pos(x->d, &in->args, start), &w))
			lint_split_words(x->d, &in->args, start, &w);
	}
	if (in->nhd == 0)
		note_copied(x, &w, i);
	for (; !checksum && i + 1 < w.n; i++)
		if (strncasecmp(w.w[i].s, "http://", 7) == 0 ||
		    strncasecmp(w.w[i].s, "https://", 8) == 0)
			lint_add(x->r, R_ADD_URL_NO_CHECKSUM, w.w[i].pos,
			    "ADD of '%s' has no --checksum=sha256:", w.w[i].s);
	lint_cmd_release(&w);
}

void
lint_check(struct lint_run *r, const struct lint_doc *d,
    const struct lint_dockerfile *df)
{
	struct lint_ctx x;
	size_t i;

	memset(&x, 0, sizeof(x));
	x.stages.fold = true;
	x.r = r;
	x.d = d;
	x.df = df;
	for (i = 0; i < df->n; i++) {
		switch (df->v[i].kw) {
		case KW_ARG:	check_arg(&x, &df->v[i]); break;
		case KW_FROM:	check_from(&x, &df->v[i]); break;
		case KW_ADD:	check_add(&x, &df->v[i]); break;
		case KW_COPY:	check_copy(&x, &df->v[i]); break;
		case KW_ENV:	check_env(&x, &df->v[i]); break;
		case KW_RUN:	lint_check_run(&x, &df->v[i]); break;
		default:	break;
		}
	}
	lint_commands_end_stage(&x);
	if (x.run_seen && !x.sde_seen)
		lint_add(r, R_SOURCE_DATE_EPOCH_UNSET, x.first_run, "RUN steps "
		    "write files and no ARG SOURCE_DATE_EPOCH is declared, so "
		    "the build cannot be given a fixed time");
	for (i = 0; i < x.nargs; i++) {
		free(x.args[i].name);
		free(x.args[i].value);
	}
	lint_names_release(&x.arg_index);
	lint_names_release(&x.stages);
	lint_names_release(&x.copied);
	free(x.args);
	free(x.clones);
}
