/*
 * lint_int.h - what the parts of lint/ share: the source document, logical
 * text with a map back to the file, parsed instructions, shell commands.
 */
#ifndef IMGDRIFT_LINT_INT_H
#define IMGDRIFT_LINT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lint/lint.h"
#include "util/sbuf.h"

/*
 * The rules, in the order of the table in rules.c (which is also their
 * order in SARIF's tool.driver.rules, so a new rule goes last).
 */
enum lint_rule_id {
	R_BASE_NOT_PINNED, R_BASE_LATEST, R_BASE_DIGEST_UNLABELLED,
	R_PLATFORM_IMPLICIT, R_ARG_BASE_UNRESOLVED, R_PIP_UNPINNED,
	R_PIP_NO_HASHES, R_APT_UNPINNED, R_APT_UPGRADE, R_APK_UNPINNED,
	R_NPM_INSTALL, R_YARN_UNLOCKED, R_GEM_UNPINNED, R_CARGO_UNLOCKED,
	R_GO_INSTALL_LATEST, R_ADD_URL_NO_CHECKSUM, R_CURL_PIPE_SHELL,
	R_GIT_CLONE_UNPINNED, R_POETRY_UNLOCKED, R_UV_UNLOCKED,
	R_PIPENV_UNLOCKED, R_PNPM_UNLOCKED, R_BUNDLE_UNLOCKED,
	R_COMPOSER_UNLOCKED, R_DNF_UNPINNED, R_CONDA_UNPINNED,
	R_PYC_TIMESTAMP, R_LOGS_LEFT, R_APT_LISTS_LEFT, R_MACHINE_ID_LEFT,
	R_GZIP_NO_N, R_DATE_IN_OUTPUT, R_BUILD_PATH_EMBEDDED,
	R_DOWNLOAD_UNVERIFIED, R_SOURCE_DATE_EPOCH_UNSET, R_NPM_GLOBAL_UNPINNED,
	R_COUNT
};

/* What the environment of a stage's RUN steps holds (ENV, ARG, or set in
   the command itself), as far as the rules care. */
enum lint_env {
	ENV_BUNDLE_FROZEN = 1 << 0,	/* BUNDLE_FROZEN, BUNDLE_DEPLOYMENT */
	ENV_NO_BYTECODE = 1 << 1,	/* PYTHONDONTWRITEBYTECODE */
	ENV_SOURCE_DATE_EPOCH = 1 << 2,
	ENV_GO_TRIMPATH = 1 << 3,	/* GOFLAGS holding -trimpath */
	ENV_PIP_NO_CACHE = 1 << 4	/* PIP_NO_CACHE_DIR */
};

/* @return env after the assignment NAME=VALUE (name is namelen bytes). */
unsigned lint_env_set(unsigned env, const char *name, size_t namelen,
    const char *value);

/* A UTF-8 byte order mark, which some editors write first: skipped. */
#define LINT_BOM	"\xef\xbb\xbf"

/* The file being linted (borrowed for the length of one lint_buf()). */
struct lint_doc {
	const char *name;
	const char *dir;	/* the build context: where named files are
				   looked up, or NULL for nowhere */
	const char *buf;
	size_t len;
	size_t *lines;		/* start offset of each physical line */
	size_t nlines;
	uint32_t *cps;		/* code points in buf before each block of
				   LINT_CP_BLOCK bytes, or NULL */
};

#define LINT_CP_BLOCK	64

/* Logical text (lines joined, continuations removed) and where it came from. */
struct lint_seg {
	size_t off;		/* offset in the text */
	size_t bufoff;		/* offset in the file of the same byte */
};

struct lint_text {
	struct sbuf sb;
	struct lint_seg *seg;
	size_t nseg, cap;
};

void lint_text_add(struct lint_text *t, size_t bufoff, const char *p, size_t n);
void lint_text_release(struct lint_text *t);

/* A place in the file. */
struct lint_pos {
	unsigned line, col;
};

/* @return the position of the file byte at bufoff. */
struct lint_pos lint_doc_pos(const struct lint_doc *d, size_t bufoff);
/* @return the position of byte off of t. */
struct lint_pos lint_text_pos(const struct lint_doc *d, const struct lint_text *t,
    size_t off);

enum lint_kw {
	KW_FROM, KW_RUN, KW_ADD, KW_COPY, KW_ARG, KW_ENV, KW_ONBUILD, KW_OTHER
};

struct lint_heredoc {
	char *word;
	bool strip_tabs;
	struct lint_text body;
};

/* One instruction: its keyword and its arguments as logical text. */
struct lint_insn {
	enum lint_kw kw;
	size_t bufoff;		/* of the keyword */
	struct lint_text args;
	struct lint_heredoc *hd;
	size_t nhd, hcap;
};

struct lint_dockerfile {
	struct lint_insn *v;
	size_t n, cap;
	char escape;		/* '\\' or '`' */
};

/*
 * Parse the document into instructions.
 * @return 0, or ERR_FORMAT with the line named.  df is filled either way;
 * release it with lint_dockerfile_release().
 */
int lint_parse(const struct lint_doc *d, struct lint_dockerfile *df,
    struct err *e);
void lint_dockerfile_release(struct lint_dockerfile *df);

/* A word: its value with quotes removed, and where it starts. */
struct lint_word {
	char *s;
	struct lint_pos pos;
};

/* One simple command; sep is the operator before it. */
enum lint_sep { SEP_NONE, SEP_PIPE, SEP_AND, SEP_OR, SEP_SEMI };

struct lint_cmd {
	struct lint_word *w;
	size_t n, cap;
	enum lint_sep sep;
	struct lint_word *out;	/* the targets of its output redirections */
	size_t nout, ocap;
};

#define LINT_CMD_INIT	{ NULL, 0, 0, SEP_NONE, NULL, 0, 0 }

struct lint_script {
	struct lint_cmd *v;
	size_t n, cap;
};

/*
 * Where a shell text's bytes are: in t (mapped through d), or, with t NULL,
 * all at fixed (the text was one word of an outer command).
 */
struct lint_loc {
	const struct lint_doc *d;
	const struct lint_text *t;
	size_t base;		/* offset of s[0] in t */
	struct lint_pos fixed;
};

/* Split shell text s (n bytes) into commands, appended to out. */
void lint_shell_parse(const char *s, size_t n, const struct lint_loc *loc,
    struct lint_script *out);
/* Append one command made of argv (exec form), all at pos. */
void lint_script_add_argv(struct lint_script *out, char **argv, size_t argc,
    struct lint_pos pos);
void lint_script_release(struct lint_script *sc);

/*
 * Split words on blanks outside quotes, removing the quotes (FROM, ARG,
 * ADD).  Each word's pos is taken from t.
 */
void lint_split_words(const struct lint_doc *d, const struct lint_text *t,
    size_t start, struct lint_cmd *out);
void lint_cmd_release(struct lint_cmd *c);

/*
 * Append all of path to out.
 * @return 0, ERR_IO or ERR_LIMIT (more than LINT_FILE_MAX bytes).
 */
int lint_read_file(const char *path, struct sbuf *out, struct err *e);

/* What became of a file a Dockerfile names (context.c). */
enum lint_read_result {
	LINT_READ_OK, LINT_READ_MISSING, LINT_READ_OUTSIDE, LINT_READ_LINK,
	LINT_READ_SPECIAL, LINT_READ_TOO_BIG, LINT_READ_FAILED
};

/* @return what r means, as a phrase ("outside the build context"). */
const char *lint_read_name(enum lint_read_result r);

/*
 * Read rel, a relative path inside the directory context, into out: only a
 * regular file, reached without "..", an absolute path or a symbolic link
 * (none is followed), of at most LINT_FILE_MAX bytes.  A FIFO or device is
 * never opened.
 * @return LINT_READ_OK with the bytes in out, or why not (out then empty).
 */
enum lint_read_result lint_context_read(const char *context, const char *rel,
    struct sbuf *out);

/* @return the number of files linted, and their names in *files. */
size_t lint_run_files(const struct lint_run *r, const char *const **files);

/* Record a finding (message printf-style, raw bytes allowed). */
void lint_add(struct lint_run *r, enum lint_rule_id rule, struct lint_pos pos,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* An index from names to numbers, n log n whatever the names (names.c). */
struct lint_names {
	void *root;
	bool fold;		/* ASCII case does not matter */
};

/* Map name (len bytes) to val, replacing the value of a name already in. */
void lint_names_put(struct lint_names *t, const char *name, size_t len,
    size_t val);
/* @return true with *val when name is in t. */
bool lint_names_get(const struct lint_names *t, const char *name, size_t len,
    size_t *val);
void lint_names_release(struct lint_names *t);

/* What the checks of one Dockerfile keep as they walk it (rules.c). */
struct lint_arg {
	char *name;
	char *value;		/* NULL: declared with no default */
	bool cut;		/* value was cut at the expansion limit */
};

struct lint_clone {
	struct lint_pos pos;
	char *url;
};

struct lint_ctx {
	struct lint_run *r;
	const struct lint_doc *d;
	const struct lint_dockerfile *df;
	struct lint_arg *args;	/* ARGs before the first FROM */
	size_t nargs, acap;
	struct lint_names arg_index;	/* name -> its last index in args */
	size_t arg_bytes;	/* expanded so far, at most LINT_ARG_TOTAL */
	struct lint_names stages;	/* stage names so far (any case) */
	size_t nstages;
	bool platform_reported;
	struct lint_clone *clones;	/* git clones of this stage not yet
					   followed by a checkout of a commit;
					   each such checkout pins the last */
	size_t nclones, ccap;
	/* What this stage copied in (COPY and ADD), for the lockfile rules:
	   the base names of the files, and whether a source could hold any
	   file (a directory, ".", a wildcard). */
	struct lint_names copied;
	bool copied_any;
	unsigned env;		/* enum lint_env bits of this stage */
	bool sde_seen;		/* SOURCE_DATE_EPOCH declared anywhere */
	bool run_seen;
	struct lint_pos first_run;
};

/* @return true when the stage copied a file of that base name, or copied
   something that could hold it. */
bool lint_copied(const struct lint_ctx *x, const char *base);
/* Check an image reference that is not a FROM (COPY --from, RUN --mount
   from=): a stage name or index is not one. */
void lint_check_image_ref(struct lint_ctx *x, const char *ref,
    struct lint_pos pos, const char *what);

/* Exec form ["a", "b"]: @return true with the strings appended to out. */
bool lint_json_argv(const char *s, size_t n, struct lint_pos pos,
    struct lint_cmd *out);
/* @return the offset in t of the first word that is not a --flag. */
size_t lint_skip_flags(const struct lint_text *t);

/* The checks of the commands a RUN executes (commands.c). */
void lint_check_run(struct lint_ctx *x, const struct lint_insn *in);
/* Report the clones of the stage that ends. */
void lint_commands_end_stage(struct lint_ctx *x);

/* Run every rule over a parsed Dockerfile. */
void lint_check(struct lint_run *r, const struct lint_doc *d,
    const struct lint_dockerfile *df);

/* The rule table (rules.c), indexed by enum lint_rule_id. */
extern const struct lint_rule lint_rule_table[R_COUNT];

#endif
