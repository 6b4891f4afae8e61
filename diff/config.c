/*
 * config.c - compare two config documents: runtime keys are content,
 * times are timestamps, the rest (history, labels, builder) metadata.
 */
#include <stdlib.h>
#include <string.h>

#include "diff/diff_int.h"

static const char *const platform_keys[] = {
	"architecture", "os", "variant", "os.version", "os.features", NULL
};

static bool
in_keys(const char *k, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(k, *list) == 0)
			return true;
	return false;
}

/* Keys of two objects, sorted, each once. */
size_t
diff_union_keys(const json_t *x, const json_t *y, const char ***out)
{
	const char **v = NULL, *k;
	size_t n = 0, cap = 0, i, j;
	const json_t *o[2] = { x, y };
	json_t *val;

	for (i = 0; i < 2; i++) {
		json_object_foreach((json_t *)(uintptr_t)o[i], k, val) {
			(void)val;
			for (j = 0; v != NULL && j < n && strcmp(v[j], k) != 0; j++)
				;
			if (j < n)
				continue;
			xgrow(&v, &cap, n + 1, sizeof(*v));
			v[n++] = k;
		}
	}
	for (i = 1; i < n; i++)		/* few keys: insertion sort */
		for (j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
			k = v[j];
			v[j] = v[j - 1];
			v[j - 1] = k;
		}
	*out = v;
	return n;
}

static void
cfg_field(struct dctx *c, enum diff_class cls, const char *field,
    const json_t *x, const json_t *y)
{
	enum diff_verdict level = cls == DIFF_CONTENT ? DIFF_DIFFERENT :
	    DIFF_DEPENDENCY_EQUIVALENT;

	if (json_equal((json_t *)(uintptr_t)x, (json_t *)(uintptr_t)y))
		return;
	diff_dctx_add_doc(c, cls, DIFF_SCOPE_CONFIG, level, field, diff_json_str(x),
	    diff_json_str(y));
}

static void
diff_labels(struct dctx *c, const char *labels, const json_t *x,
    const json_t *y)
{
	const char **keys;
	char *field;
	size_t n, i;

	n = diff_union_keys(x, y, &keys);
	for (i = 0; i < n; i++) {
		field = xstrfmt("%s.%s", labels, keys[i]);
		cfg_field(c, strcmp(keys[i], "org.opencontainers.image.created") == 0 ?
		    DIFF_TIMESTAMP : DIFF_METADATA, field, json_object_get(x, keys[i]),
		    json_object_get(y, keys[i]));
		free(field);
	}
	free(keys);
}

static void
diff_history(struct dctx *c, const json_t *x, const json_t *y)
{
	size_t nx = json_array_size(x), ny = json_array_size(y), i, n, k;
	const json_t *hx, *hy;
	const char **keys;
	char *field;

	if (nx != ny)
		diff_dctx_add(c, DIFF_METADATA, DIFF_SCOPE_CONFIG,
		    DIFF_DEPENDENCY_EQUIVALENT, 0, NULL, DIFF_FIELD_HISTORY,
		    xstrfmt("%zu step%s", nx, nx == 1 ? "" : "s"),
		    xstrfmt("%zu step%s", ny, ny == 1 ? "" : "s"));
	for (i = 0; i < nx && i < ny; i++) {
		hx = json_array_get(x, i);
		hy = json_array_get(y, i);
		n = diff_union_keys(hx, hy, &keys);
		for (k = 0; k < n; k++) {
			field = xstrfmt("history[%zu].%s", i, keys[k]);
			cfg_field(c, strcmp(keys[k], "created") == 0 ? DIFF_TIMESTAMP :
			    DIFF_METADATA, field, json_object_get(hx, keys[k]),
			    json_object_get(hy, keys[k]));
			free(field);
		}
		free(keys);
	}
}

/* ---- Env: a map, the last value of a name wins ----------------------------- */

struct env_var {
	const char *s;		/* "NAME=value" (or "NAME": unset) */
	size_t name_len;
	size_t pos;
};

static int
env_var_cmp(const void *pa, const void *pb)
{
	const struct env_var *a = pa, *b = pb;
	size_t n = a->name_len < b->name_len ? a->name_len : b->name_len;
	int r = memcmp(a->s, b->s, n);

	if (r == 0)
		r = (a->name_len > b->name_len) - (a->name_len < b->name_len);
	return r != 0 ? r : (a->pos > b->pos) - (a->pos < b->pos);
}

/*
 * The variables of an Env array, sorted by name, the last of each name
 * only; *all_strings is false when an element is not a string.
 * @return how many (free *out).
 */
static size_t
env_map(const json_t *env, struct env_var **out, bool *all_strings)
{
	struct env_var *v = NULL;
	size_t cap = 0, n = 0, i, k = 0;
	const char *s, *eq;

	*all_strings = json_is_array(env);
	for (i = 0; i < json_array_size(env); i++) {
		s = json_string_value(json_array_get(env, i));
		if (s == NULL) {
			*all_strings = false;
			continue;
		}
		eq = strchr(s, '=');
		xgrow(&v, &cap, n + 1, sizeof(*v));
		v[n++] = (struct env_var){ s, eq != NULL ? (size_t)(eq - s) :
		    strlen(s), i };
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), env_var_cmp);
	for (i = 0; i < n; i++) {
		if (i + 1 < n && v[i].name_len == v[i + 1].name_len &&
		    memcmp(v[i].s, v[i + 1].s, v[i].name_len) == 0)
			continue;	/* a later one of the same name wins */
		v[k++] = v[i];
	}
	*out = v;
	return k;
}

static bool
same_env_vars(const struct env_var *a, size_t na, const struct env_var *b,
    size_t nb)
{
	size_t i;

	if (na != nb)
		return false;
	for (i = 0; i < na; i++)
		if (strcmp(a[i].s, b[i].s) != 0)
			return false;
	return true;
}

/* @return whether two arrays of strings hold the same strings, as many
   times each, in any order. */
static bool
same_multiset(const json_t *x, const json_t *y)
{
	size_t n = json_array_size(x), i, j;
	bool *used, same = n == json_array_size(y);

	if (!same || n == 0)
		return same;
	used = xcalloc(n, sizeof(*used));
	for (i = 0; i < n && same; i++) {
		for (j = 0; j < n; j++)
			if (!used[j] && json_equal(json_array_get(x, i),
			    json_array_get(y, j)))
				break;
		same = j < n;
		if (same)
			used[j] = true;
	}
	free(used);
	return same;
}

/*
 * Env as the process sees it: the same variables in another order are
 * ordering, the same map written otherwise (a name given twice) encoding,
 * another map content.
 */
static void
diff_env(struct dctx *c, const char *field, const json_t *x, const json_t *y)
{
	struct env_var *vx, *vy;
	bool sx, sy;
	size_t nx = env_map(x, &vx, &sx), ny = env_map(y, &vy, &sy);
	enum diff_class cls = DIFF_CONTENT;

	if (sx && sy && same_env_vars(vx, nx, vy, ny))
		cls = same_multiset(x, y) ? DIFF_ORDERING : DIFF_ENCODING;
	free(vx);
	free(vy);
	cfg_field(c, cls, field, x, y);
}

/* ---- the runtime config's keys ---------------------------------------------- */

/*
 * How a key of config.config compares.  Docker and the OCI runtime read
 * null, "", {}, [] and an absent key alike for the keys with `forms`: two
 * such forms differ only in encoding.
 */
static const struct cfg_key {
	const char *name;
	enum diff_class cls;	/* of a change in meaning */
	bool forms;
	const char *also_empty;	/* one more value that means the default */
	/* NULL: compare as JSON */
	void (*diff)(struct dctx *c, const char *field, const json_t *x,
	    const json_t *y);
} cfg_keys[] = {
	{ "Cmd", DIFF_CONTENT, true, NULL, NULL },
	{ "Entrypoint", DIFF_CONTENT, true, NULL, NULL },
	{ "Env", DIFF_CONTENT, true, NULL, diff_env },
	{ "ExposedPorts", DIFF_CONTENT, true, NULL, NULL },
	{ "Labels", DIFF_METADATA, true, NULL, diff_labels },
	{ "OnBuild", DIFF_METADATA, true, NULL, NULL },
	{ "Shell", DIFF_METADATA, true, NULL, NULL },
	{ "StopSignal", DIFF_CONTENT, true, NULL, NULL },
	{ "User", DIFF_CONTENT, true, NULL, NULL },
	{ "Volumes", DIFF_CONTENT, true, NULL, NULL },
	{ "WorkingDir", DIFF_CONTENT, true, "/", NULL },
};

static const struct cfg_key *
cfg_key(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(cfg_keys) / sizeof(cfg_keys[0]); i++)
		if (strcmp(cfg_keys[i].name, name) == 0)
			return &cfg_keys[i];
	return NULL;
}

/* @return whether v (NULL when absent) is a form of "not set". */
static bool
empty_form(const json_t *v, const char *also_empty)
{
	const char *s = json_string_value(v);

	if (v == NULL || json_is_null(v))
		return true;
	if (s != NULL)
		return *s == '\0' || (also_empty != NULL && strcmp(s, also_empty) == 0);
	return (json_is_object(v) && json_object_size(v) == 0) ||
	    (json_is_array(v) && json_array_size(v) == 0);
}

static void
diff_cfg_key(struct dctx *c, const char *name, const json_t *x, const json_t *y)
{
	const struct cfg_key *k = cfg_key(name);
	char *field = xstrfmt("config.%s", name);

	if (k == NULL)
		cfg_field(c, DIFF_METADATA, field, x, y);
	else if (k->forms && empty_form(x, k->also_empty) &&
	    empty_form(y, k->also_empty))
		cfg_field(c, DIFF_ENCODING, field, x, y);
	else if (k->diff != NULL)
		k->diff(c, field, x, y);
	else
		cfg_field(c, k->cls, field, x, y);
	free(field);
}

void
diff_config(struct dctx *c, const json_t *x, const json_t *y)
{
	const char **keys, **ck;
	const json_t *cx, *cy;
	size_t n, i, m, j;

	n = diff_union_keys(x, y, &keys);
	for (i = 0; i < n; i++) {
		const char *k = keys[i];

		if (strcmp(k, "rootfs") == 0)
			continue;	/* diff_ids: the layers tell */
		if (strcmp(k, "created") == 0)
			cfg_field(c, DIFF_TIMESTAMP, k, json_object_get(x, k),
			    json_object_get(y, k));
		else if (strcmp(k, "history") == 0)
			diff_history(c, json_object_get(x, k), json_object_get(y, k));
		else if (in_keys(k, platform_keys))
			cfg_field(c, DIFF_CONTENT, k, json_object_get(x, k),
			    json_object_get(y, k));
		else if (strcmp(k, "config") == 0) {
			cx = json_object_get(x, k);
			cy = json_object_get(y, k);
			if (empty_form(cx, NULL) && empty_form(cy, NULL)) {
				cfg_field(c, DIFF_ENCODING, k, cx, cy);
				continue;
			}
			m = diff_union_keys(cx, cy, &ck);
			for (j = 0; j < m; j++)
				diff_cfg_key(c, ck[j], json_object_get(cx, ck[j]),
				    json_object_get(cy, ck[j]));
			free(ck);
		} else
			cfg_field(c, DIFF_METADATA, k, json_object_get(x, k),
			    json_object_get(y, k));
	}
	free(keys);
}
