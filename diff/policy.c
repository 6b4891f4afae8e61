/*
 * policy.c - a nightly job's rules, kept in its repository as JSON
 * (docs/policy.md): the required level, ignored classes, excluded paths,
 * volatile-file handling, the platform, the number of examples, the
 * accepted drift and the second look's limits.  Any
 * key not listed there is an error, so that a typo never loosens a rule
 * silently.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "diff/diff_int.h"

#define POLICY_MAX	(1u << 20)	/* bytes in a policy file */

static const char *const policy_keys =
    "require, ignore, exclude, volatile, platform, max_examples, accept, "
    "look_max_file, look_budget, look_max_files";

static int
get_require(const json_t *v, struct diff_policy *p, struct err *e)
{
	char *levels;

	if (!json_is_string(v) || diff_verdict_parse(json_string_value(v),
	    &p->require) < 0 || p->require == DIFF_DIFFERENT) {
		levels = diff_verdict_names(DIFF_DEPENDENCY_EQUIVALENT, ", ");
		err_set(e, ERR_USAGE, "\"require\" must be one of %s", levels);
		free(levels);
		return ERR_USAGE;
	}
	p->has_require = true;
	return 0;
}

static int
get_ignore(const json_t *v, struct diff_policy *p, struct err *e)
{
	const json_t *c;
	enum diff_class cls;
	size_t i;
	char *classes;

	if (!json_is_array(v))
		return err_set(e, ERR_USAGE, "\"ignore\" must be a list of classes");
	json_array_foreach(v, i, c) {
		if (!json_is_string(c))
			return err_set(e, ERR_USAGE, "\"ignore\" must be a list of classes");
		if (diff_class_parse(json_string_value(c), &cls) < 0) {
			classes = diff_class_names(", ");
			err_set(e, ERR_USAGE, "\"ignore\": unknown class '%s' (%s)",
			    json_string_value(c), classes);
			free(classes);
			return ERR_USAGE;
		}
		p->ignore[cls] = true;
	}
	return 0;
}

static int
get_exclude(const json_t *v, struct diff_policy *p, struct err *e)
{
	const json_t *g;
	char *glob;
	size_t i;

	if (!json_is_array(v))
		return err_set(e, ERR_USAGE, "\"exclude\" must be a list of globs");
	p->excludes = xcalloc(json_array_size(v) + 1, sizeof(*p->excludes));
	json_array_foreach(v, i, g) {
		if (!json_is_string(g) || json_string_length(g) == 0 ||
		    memchr(json_string_value(g), '\0', json_string_length(g)))
			return err_set(e, ERR_USAGE,
			    "\"exclude\" must be a list of non-empty globs");
		if ((glob = diff_exclude_glob(json_string_value(g))) == NULL)
			return err_set(e, ERR_USAGE, "\"exclude\": '%s' names the "
			    "root, so every path", json_string_value(g));
		free(glob);
		p->excludes[p->nexcludes++] = xstrdup(json_string_value(g));
	}
	return 0;
}

static int
get_scalar(const char *key, const json_t *v, struct diff_policy *p,
    struct err *e)
{
	if (strcmp(key, "volatile") == 0) {
		const char *s = json_string_value(v);

		if (s == NULL || (strcmp(s, "report") != 0 && strcmp(s, "ignore") != 0))
			return err_set(e, ERR_USAGE,
			    "\"volatile\" must be \"report\" or \"ignore\"");
		p->has_volatile = true;
		p->volatile_ignore = strcmp(s, "ignore") == 0;
		return 0;
	}
	if (strcmp(key, "platform") == 0) {
		if (!json_is_string(v) || json_string_length(v) == 0 ||
		    memchr(json_string_value(v), '\0', json_string_length(v)))
			return err_set(e, ERR_USAGE,
			    "\"platform\" must be a string such as \"linux/amd64\"");
		p->platform = xstrdup(json_string_value(v));
		return 0;
	}
	if (!json_is_integer(v) || json_integer_value(v) < 1 ||
	    json_integer_value(v) > 100000)
		return err_set(e, ERR_USAGE,
		    "\"max_examples\" must be a number from 1 to 100000");
	p->max_examples = (size_t)json_integer_value(v);
	return 0;
}

/* A size: bytes as a number, or a string such as "4M" (util_parse_size()). */
static int
get_size(const char *key, const json_t *v, uint64_t *out, struct err *e)
{
	if (json_is_integer(v) && json_integer_value(v) > 0) {
		*out = (uint64_t)json_integer_value(v);
		return 0;
	}
	if (json_is_string(v) && strlen(json_string_value(v)) ==
	    json_string_length(v) && util_parse_size(json_string_value(v), out) == 0)
		return 0;
	return err_set(e, ERR_USAGE, "\"%s\" must be a size in bytes, or a string "
	    "such as \"4M\" (K, M, G or T after the number)", key);
}

/* The second look's limits (docs/policy.md). */
static int
get_look(const char *key, const json_t *v, struct diff_policy *p,
    struct err *e)
{
	if (strcmp(key, "look_max_file") == 0)
		return get_size(key, v, &p->look_max_file, e);
	if (strcmp(key, "look_budget") == 0)
		return get_size(key, v, &p->look_budget, e);
	if (!json_is_integer(v) || json_integer_value(v) < 1 ||
	    json_integer_value(v) > DIFF_LOOK_FILES_LIMIT)
		return err_set(e, ERR_USAGE, "\"look_max_files\" must be a number "
		    "from 1 to %d", DIFF_LOOK_FILES_LIMIT);
	p->look_max_files = (size_t)json_integer_value(v);
	return 0;
}

static int
policy_apply(const json_t *j, struct diff_policy *p, struct err *e)
{
	const char *key;
	json_t *v;
	int r;

	if (!json_is_object(j))
		return err_set(e, ERR_USAGE, "not a JSON object");
	json_object_foreach((json_t *)(uintptr_t)j, key, v) {
		if (strcmp(key, "require") == 0)
			r = get_require(v, p, e);
		else if (strcmp(key, "ignore") == 0)
			r = get_ignore(v, p, e);
		else if (strcmp(key, "exclude") == 0)
			r = get_exclude(v, p, e);
		else if (strcmp(key, "accept") == 0)
			r = diff_accept_parse(v, key, &p->accept, e);
		else if (strcmp(key, "volatile") == 0 || strcmp(key, "platform") == 0 ||
		    strcmp(key, "max_examples") == 0)
			r = get_scalar(key, v, p, e);
		else if (strcmp(key, "look_max_file") == 0 ||
		    strcmp(key, "look_budget") == 0 || strcmp(key, "look_max_files") == 0)
			r = get_look(key, v, p, e);
		else
			r = err_set(e, ERR_USAGE, "unknown key \"%s\" (the keys are %s)",
			    key, policy_keys);
		if (r < 0)
			return r;
	}
	return 0;
}

int
diff_json_file_load(const char *path, json_t **out, struct err *e)
{
	struct stat st;
	json_error_t je;
	char *buf = NULL;
	ssize_t n, skip;
	int fd, r = 0;

	*out = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || fstat(fd, &st) < 0) {
		r = err_set(e, ERR_IO, "cannot open: %s", strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > POLICY_MAX) {
		r = err_set(e, ERR_LIMIT, "not a file of at most %u bytes", POLICY_MAX);
		goto out;
	}
	buf = xmalloc((size_t)st.st_size + 1);
	do
		n = read(fd, buf, (size_t)st.st_size);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		r = err_set(e, ERR_IO, "read error: %s", strerror(errno));
		goto out;
	}
	/* a UTF-8 byte order mark, as some editors write, is not JSON */
	skip = n >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	if ((*out = json_loadb(buf + skip, (size_t)(n - skip),
	    JSON_REJECT_DUPLICATES, &je)) == NULL)
		r = err_set(e, ERR_USAGE, "line %d: %s", je.line, je.text);
 out:
	if (fd >= 0)
		close(fd);
	free(buf);
	return r;
}

int
diff_policy_load(const char *path, struct diff_policy *p, struct err *e)
{
	json_t *j = NULL;
	int r;

	memset(p, 0, sizeof(*p));
	if ((r = diff_json_file_load(path, &j, e)) == 0)
		r = policy_apply(j, p, e);
	json_decref(j);
	if (r < 0) {
		err_prefix(e, "policy '%s'", path);
		diff_policy_release(p);
	}
	return r;
}

void
diff_policy_release(struct diff_policy *p)
{
	size_t i;

	for (i = 0; i < p->nexcludes; i++)
		free(p->excludes[i]);
	free(p->excludes);
	free(p->platform);
	diff_accepts_release(&p->accept);
	memset(p, 0, sizeof(*p));
}
