/*
 * lint.h - find the inputs of a Dockerfile that are not pinned: base images
 * by tag instead of digest, packages without versions, dependencies resolved
 * without a hash-checked lockfile, downloads without a checksum, a platform
 * left to the build host.
 *
 * A struct lint_run collects the findings of one or more Dockerfiles;
 * lint_render() writes them as text, JSON ("imgdrift.lint/1") or SARIF 2.1.0.
 * Nothing here prints or exits; every string taken from a Dockerfile is
 * escaped by the renderer.
 */
#ifndef IMGDRIFT_LINT_H
#define IMGDRIFT_LINT_H

#include <stddef.h>
#include <stdio.h>

#include "util/err.h"

/* Named limits. */
#define LINT_FILE_MAX	(4u << 20)	/* one Dockerfile or requirements file */
#define LINT_NEST_MAX	8		/* ${A:-${B:-...}} and sh -c depth */
#define LINT_ARG_MAX	4096u		/* one ARG default or FROM image, expanded */
#define LINT_ARG_TOTAL	(1u << 20)	/* all expanded ARG defaults of a file */

enum lint_severity { LINT_NOTE = 1, LINT_WARNING = 2, LINT_ERROR = 3 };

enum lint_format { LINT_TEXT, LINT_JSON, LINT_SARIF };

/* A rule: a stable id, its severity and the one-line fix (static). */
struct lint_rule {
	const char *id;
	enum lint_severity severity;
	const char *summary;	/* what triggers it */
	const char *fix;	/* how to pin it */
};

/* One finding (a plain record, owned by the run). */
struct lint_finding {
	const struct lint_rule *rule;
	const char *file;	/* as given to lint_file() / lint_buf() */
	unsigned line;		/* 1-based physical line */
	unsigned col;		/* 1-based, in Unicode code points */
	const char *message;	/* raw: may hold any bytes from the file */
};

struct lint_run;

/* @return a new, empty run (never NULL).  Free with lint_free(). */
struct lint_run *lint_new(void);
/* Free the run and every finding in it; NULL is a no-op. */
void lint_free(struct lint_run *r);

/*
 * Look up the files that Dockerfiles name (pip install -r FILE) in the
 * build context dir (copied) instead of each Dockerfile's directory.  Only
 * regular files inside it are read, never through a symbolic link.
 */
void lint_set_context(struct lint_run *r, const char *dir);

/*
 * Turn off the rules whose ids list names (comma-separated): the files
 * linted after it report no finding of them.  @return 0, or ERR_USAGE
 * naming an id that is no rule (the rules named before it stay off).
 */
int lint_disable(struct lint_run *r, const char *list, struct err *e);

/*
 * Lint the Dockerfile at path.  Files it names (pip -r FILE) are looked up
 * in the build context: the directory set by lint_set_context(), or else
 * the directory that holds the Dockerfile.
 * @return 0, ERR_IO (cannot open or read), ERR_LIMIT (larger than
 * LINT_FILE_MAX) or ERR_FORMAT (not a Dockerfile; the message names the
 * line).  On failure no finding of this file is kept.
 */
int lint_file(struct lint_run *r, const char *path, struct err *e);

/*
 * Lint len bytes of Dockerfile text, reported under the name name.  dir is
 * the build context, where files it names are looked up (see
 * lint_set_context()), or NULL for nowhere.
 * @return as lint_file().
 */
int lint_buf(struct lint_run *r, const char *name, const char *buf,
    size_t len, const char *dir, struct err *e);

/* One instruction of the stages that make a Dockerfile's final image. */
struct lint_step {
	unsigned line;		/* of its keyword, 1-based */
	unsigned last_line;	/* the line before the next instruction */
	char *keyword;		/* upper case: "RUN", "COPY", "ENV", ... */
	char *args;		/* its arguments as one logical line (line
				   continuations joined), flags included */
};

/* The steps of one Dockerfile (free with lint_steps_release()). */
struct lint_steps {
	struct lint_step *v;
	size_t n;
	char *name;		/* the file, as given */
};

/*
 * Lint the Dockerfile at path into r (as lint_file()), and keep in *out the
 * instructions of the stages its final image is made of: the last stage,
 * after the stages it is built FROM by name, in order (FROM itself, and
 * ARG before the first FROM, excluded).
 * @return as lint_file().
 */
int lint_image_steps(struct lint_run *r, const char *path,
    struct lint_steps *out, struct err *e);
/* The same for len bytes of Dockerfile text named name (no build context). */
int lint_buf_steps(struct lint_run *r, const char *name, const char *buf,
    size_t len, struct lint_steps *out, struct err *e);
void lint_steps_release(struct lint_steps *s);

/* @return the number of findings. */
size_t lint_count(const struct lint_run *r);
/*
 * @return finding i (0 <= i < lint_count()), in the order the files were
 * linted, then by line, column and rule id.  Valid until the next
 * lint_file(), lint_buf() or lint_free().
 */
const struct lint_finding *lint_finding_at(const struct lint_run *r, size_t i);
/* @return how many findings have a severity of at least min. */
size_t lint_count_at_least(const struct lint_run *r, enum lint_severity min);

/* @return the rule table (static) and its length in *n. */
const struct lint_rule *lint_rules(size_t *n);
/* @return the rule with this id, or NULL. */
const struct lint_rule *lint_rule_find(const char *id);

/* @return "error", "warning" or "note". */
const char *lint_severity_name(enum lint_severity s);
/* @return 0 and *out for "error", "warning", "note"; -1 otherwise. */
int lint_parse_severity(const char *s, enum lint_severity *out);
/* @return 0 and *out for "text", "json", "sarif"; -1 otherwise. */
int lint_parse_format(const char *s, enum lint_format *out);

/*
 * Write every finding to fp in the format fmt.  Output is deterministic.
 * @return 0, or ERR_IO when writing failed.
 */
int lint_render(const struct lint_run *r, FILE *fp, enum lint_format fmt,
    struct err *e);

#endif
