/*
 * test_history.c - what the history says: layer names (squashed builds
 * fold several steps into one layer).
 */
#include <criterion/criterion.h>

#include "diff/diff_int.h"

/* The name of layer (0-based) in a config whose history is the JSON
   array hist. */
static char *
step_of(const char *hist, size_t layer)
{
	json_error_t je;
	json_t *cfg = json_pack("{s:o}", "history", json_loads(hist, 0, &je));
	char *s;

	cr_assert_not_null(cfg, "bad test JSON: %s", je.text);
	s = diff_layer_step(cfg, layer);
	json_decref(cfg);
	return s;
}

static void
assert_step(const char *hist, size_t layer, const char *want)
{
	char *s = step_of(hist, layer);

	if (want == NULL)
		cr_assert_null(s, "got '%s'", s);
	else {
		cr_assert_not_null(s);
		cr_assert_str_eq(s, want);
	}
	free(s);
}

/* buildah bud --squash (buildah 1.28): every step but the last is
   empty_layer; the layer is the files' steps', not CMD's. */
Test(history, a_squashed_layer_is_named_by_its_last_file_step)
{
	static const char h[] = "["
	    "{\"created_by\":\"/bin/sh -c #(nop) COPY dir:f99bbcdf0ebbcac41c00f258c6a5225e2db009ab852753bfa042fd1298db7597 in /etc \",\"empty_layer\":true},"
	    "{\"created_by\":\"/bin/sh -c #(nop) COPY dir:5184c5ecf08ab0176692ef41991a8f85de575127b7b520f5736763b982f00c42 in /opt/app/ \",\"empty_layer\":true},"
	    "{\"created_by\":\"/bin/sh -c #(nop) ENV APP_MODE=demo\",\"empty_layer\":true},"
	    "{\"created_by\":\"/bin/sh -c #(nop) CMD [\\\"/app/run.sh\\\"]\"}]";

	assert_step(h, 0, "COPY dir:5184c5ecf08a\u2026 in /opt/app/ (+3 steps)");
	assert_step(h, 1, NULL);
}

/* Empty steps before a layer belong to it; a layer alone keeps its name. */
Test(history, steps_since_the_previous_layer)
{
	static const char h[] = "["
	    "{\"created_by\":\"/bin/sh -c #(nop) ADD file:ce026b62356eec3ad1214f92be2c9dc063fe205bd5e600be3492c4dfb17148bd in / \"},"
	    "{\"created_by\":\"/bin/sh -c #(nop)  CMD [\\\"sh\\\"]\",\"empty_layer\":true},"
	    "{\"created_by\":\"/bin/sh -c mkdir -p /root/example\"},"
	    "{\"created_by\":\"ENV A=1\",\"empty_layer\":true},"
	    "{\"created_by\":\"WORKDIR /app\",\"empty_layer\":true},"
	    "{\"created_by\":\"RUN /bin/sh -c make # buildkit\"},"
	    "{\"created_by\":\"CMD [\\\"/hello\\\"]\",\"empty_layer\":true}]";

	assert_step(h, 0, "ADD file:ce026b62356e\u2026 in /");
	assert_step(h, 1, "/bin/sh -c mkdir -p /root/example (+1 step)");
	assert_step(h, 2, "RUN /bin/sh -c make # buildkit (+2 steps)");
	assert_step(h, 3, NULL);
}

/* A layer of config steps only (buildah WORKDIR) keeps its own name; a
   history without created_by names nothing. */
Test(history, config_only_and_unnamed_layers)
{
	assert_step("[{\"created_by\":\"ENV A=1\",\"empty_layer\":true},"
	    "{\"created_by\":\"WORKDIR /app\"}]", 0, "WORKDIR /app (+1 step)");
	assert_step("[{\"comment\":\"no step\"}]", 0, NULL);
	assert_step("[]", 0, NULL);
}
