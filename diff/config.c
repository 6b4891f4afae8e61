/*
 * config.c - compare two config documents: runtime keys are content,
 * times are timestamps, the rest (history, labels, builder) metadata.
 */
#include <stdlib.h>
#include <string.h>

#include "diff/diff_int.h"

static const char *const runtime_keys[] = {
	"Env", "Cmd", "Entrypoint", "User", "WorkingDir", "ExposedPorts",
	"Volumes", "StopSignal", NULL
};
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
	dctx_add_doc(c, cls, DIFF_SCOPE_CONFIG, level, field, diff_json_str(x),
	    diff_json_str(y));
}

static void
diff_labels(struct dctx *c, const json_t *x, const json_t *y)
{
	const char **keys;
	char *field;
	size_t n, i;

	n = diff_union_keys(x, y, &keys);
	for (i = 0; i < n; i++) {
		field = xstrfmt("config.Labels.%s", keys[i]);
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
		dctx_add(c, DIFF_METADATA, DIFF_SCOPE_CONFIG,
		    DIFF_DEPENDENCY_EQUIVALENT, 0, NULL, DIFF_FIELD_HISTORY,
		    xstrfmt("%zu steps", nx), xstrfmt("%zu steps", ny));
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

void
diff_config(struct dctx *c, const json_t *x, const json_t *y)
{
	const char **keys, **ck;
	const json_t *cx, *cy;
	char *field;
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
			m = diff_union_keys(cx, cy, &ck);
			for (j = 0; j < m; j++) {
				if (strcmp(ck[j], "Labels") == 0) {
					diff_labels(c, json_object_get(cx, ck[j]),
					    json_object_get(cy, ck[j]));
					continue;
				}
				field = xstrfmt("config.%s", ck[j]);
				cfg_field(c, in_keys(ck[j], runtime_keys) ? DIFF_CONTENT :
				    DIFF_METADATA, field, json_object_get(cx, ck[j]),
				    json_object_get(cy, ck[j]));
				free(field);
			}
			free(ck);
		} else
			cfg_field(c, DIFF_METADATA, k, json_object_get(x, k),
			    json_object_get(y, k));
	}
	free(keys);
}
