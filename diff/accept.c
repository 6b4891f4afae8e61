/*
 * accept.c - accepted drift: a reviewed list of expected differences, each
 * with its reason (docs/policy.md).  A finding an entry covers is shown as
 * accepted and never counts against --require; an entry that covers
 * nothing is stale, and the report says so.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "diff/diff_int.h"

static const char *const entry_keys = "path, class, cause, reason";

/* @return the string at key of o (NULL when absent), or set an error. */
static int
get_str(const json_t *o, const char *key, const char *list, size_t i,
    const char **out, struct err *e)
{
	const json_t *v = json_object_get(o, key);

	*out = NULL;
	if (v == NULL)
		return 0;
	if (!json_is_string(v) || json_string_length(v) == 0 ||
	    memchr(json_string_value(v), '\0', json_string_length(v)))
		return err_set(e, ERR_USAGE, "\"%s\" entry %zu: \"%s\" must be a "
		    "non-empty string", list, i + 1, key);
	*out = json_string_value(v);
	return 0;
}

/* Check the keys of entry i, and its class. */
static int
check_entry(const json_t *o, const char *list, size_t i, struct diff_accept *x,
    struct err *e)
{
	const char *key, *cls;
	const json_t *v;
	enum diff_class c;
	char *classes;

	if (!json_is_object(o))
		return err_set(e, ERR_USAGE, "\"%s\" entry %zu: not an object "
		    "(the keys are %s)", list, i + 1, entry_keys);
	json_object_foreach((json_t *)(uintptr_t)o, key, v)
		if (strcmp(key, "path") != 0 && strcmp(key, "class") != 0 &&
		    strcmp(key, "cause") != 0 && strcmp(key, "reason") != 0)
			return err_set(e, ERR_USAGE, "\"%s\" entry %zu: unknown key "
			    "\"%s\" (the keys are %s)", list, i + 1, key, entry_keys);
	if (get_str(o, "class", list, i, &cls, e) < 0)
		return ERR_USAGE;
	if (cls != NULL) {
		if (diff_class_parse(cls, &c) < 0) {
			classes = diff_class_names(", ");
			err_set(e, ERR_USAGE, "\"%s\" entry %zu: unknown class '%s' (%s)",
			    list, i + 1, cls, classes);
			free(classes);
			return ERR_USAGE;
		}
		x->has_class = true;
		x->cls = (uint8_t)c;
	}
	return 0;
}

static void
accept_free(struct diff_accept *x)
{
	free(x->path);
	free(x->glob);
	free(x->cause);
	free(x->reason);
}

/* Entry i of list into x (zeroed).  @return 0 or ERR_USAGE. */
static int
parse_entry(const json_t *o, const char *list, size_t i, struct diff_accept *x,
    struct err *e)
{
	const char *path, *cause, *reason;

	if (check_entry(o, list, i, x, e) < 0 ||
	    get_str(o, "path", list, i, &path, e) < 0 ||
	    get_str(o, "cause", list, i, &cause, e) < 0 ||
	    get_str(o, "reason", list, i, &reason, e) < 0)
		return ERR_USAGE;
	if (reason == NULL)
		return err_set(e, ERR_USAGE, "\"%s\" entry %zu: \"reason\" is "
		    "missing: say why the difference is expected", list, i + 1);
	if (path == NULL && !x->has_class)
		return err_set(e, ERR_USAGE, "\"%s\" entry %zu: give a \"path\" or "
		    "a \"class\" (an entry with neither would accept everything)",
		    list, i + 1);
	if (path != NULL && (x->glob = diff_exclude_glob(path)) == NULL)
		return err_set(e, ERR_USAGE, "\"%s\" entry %zu: path '%s' names the "
		    "root, so every path", list, i + 1, path);
	x->path = path != NULL ? xstrdup(path) : NULL;
	x->cause = cause != NULL ? xstrdup(cause) : NULL;
	x->reason = xstrdup(reason);
	return 0;
}

int
diff_accept_parse(const json_t *v, const char *key, struct diff_accepts *a,
    struct err *e)
{
	struct diff_accept x;
	const json_t *o;
	size_t i;

	if (!json_is_array(v))
		return err_set(e, ERR_USAGE, "\"%s\" must be a list of objects with "
		    "the keys %s", key, entry_keys);
	json_array_foreach(v, i, o) {
		memset(&x, 0, sizeof(x));
		if (parse_entry(o, key, i, &x, e) < 0) {
			accept_free(&x);
			return ERR_USAGE;
		}
		xgrow(&a->v, &a->cap, a->n + 1, sizeof(*a->v));
		a->v[a->n++] = x;
	}
	return 0;
}

int
diff_accept_load(const char *path, struct diff_accepts *a, struct err *e)
{
	struct diff_accepts add = { NULL, 0, 0 };
	const char *key;
	json_t *j = NULL, *v;
	int r;

	if ((r = diff_json_file_load(path, &j, e)) < 0)
		goto out;
	if (!json_is_object(j)) {
		r = err_set(e, ERR_USAGE, "not a JSON object {\"accept\": [...]}");
		goto out;
	}
	json_object_foreach(j, key, v)
		if (strcmp(key, "accept") != 0) {
			r = err_set(e, ERR_USAGE, "unknown key \"%s\" (the one key is "
			    "accept)", key);
			goto out;
		}
	if ((v = json_object_get(j, "accept")) == NULL) {
		r = err_set(e, ERR_USAGE, "no \"accept\" list");
		goto out;
	}
	if ((r = diff_accept_parse(v, "accept", &add, e)) < 0)
		goto out;
	xgrow(&a->v, &a->cap, a->n + add.n + 1, sizeof(*a->v));
	if (add.n > 0)	/* add.v is NULL for an empty list */
		memcpy(a->v + a->n, add.v, add.n * sizeof(*a->v));
	a->n += add.n;
	add.n = 0;	/* transferred */
 out:
	json_decref(j);
	diff_accepts_release(&add);
	if (r < 0)
		err_prefix(e, "accept '%s'", path);
	return r;
}

void
diff_accepts_release(struct diff_accepts *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		accept_free(&a->v[i]);
	free(a->v);
	memset(a, 0, sizeof(*a));
}

bool
diff_accept_matches(const struct diff_accept *x, enum diff_class cls,
    const char *path, const char *cause)
{
	if (x->has_class && x->cls != cls)
		return false;
	if (x->glob != NULL && (path == NULL || !diff_path_excluded(x->glob, path)))
		return false;
	return x->cause == NULL || (cause != NULL && starts_with(cause, x->cause));
}
