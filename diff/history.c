/*
 * history.c - what a config's history says about its layers: the build
 * steps each layer holds (a squashed build folds several into one) and the
 * name a report gives the layer.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "diff/diff_int.h"

/* Dockerfile instructions that change only the config, never the files:
   a layer is named by its last step that is none of these. */
static const char *const config_only[] = {
	"ARG", "CMD", "ENTRYPOINT", "ENV", "EXPOSE", "HEALTHCHECK", "LABEL",
	"MAINTAINER", "ONBUILD", "SHELL", "STOPSIGNAL", "USER", "VOLUME",
	"WORKDIR",
};

/* The legacy builder's (and buildah's) form of a step that ran nothing. */
#define NOP_PREFIX	"/bin/sh -c #(nop) "

static const char *
created_by(const json_t *h, size_t i)
{
	return json_string_value(json_object_get(json_array_get(h, i),
	    "created_by"));
}

/* @return whether the step s (created_by) may change files: COPY, ADD,
   RUN, or anything not known to be config-only.  The legacy builder and
   buildah write "/bin/sh -c #(nop) ENV ..." for a config step and
   "/bin/sh -c CMD" for RUN; BuildKit, kaniko and buildah --created-by
   write the instruction itself ("ENV ...", "RUN ..."). */
static bool
changes_files(const char *s)
{
	size_t i, n;

	if (s == NULL)
		return false;
	if (skip_prefix(s, NOP_PREFIX, &s)) {
		while (*s == ' ')
			s++;
	} else if (starts_with(s, "/bin/sh -c "))
		return true;
	for (n = 0; isalpha((unsigned char)s[n]); n++)
		;
	for (i = 0; i < sizeof(config_only) / sizeof(config_only[0]); i++)
		if (strlen(config_only[i]) == n && strncmp(s, config_only[i], n) == 0)
			return false;
	return true;
}

/* A step as a report shows it: without the #(nop) prefix and trailing
   blanks, a content digest ("dir:<64 hex>") cut to 12 hex digits. */
static void
add_short(struct sbuf *sb, const char *s)
{
	size_t n, h;

	if (skip_prefix(s, NOP_PREFIX, &s))
		while (*s == ' ')
			s++;
	n = strlen(s);
	while (n > 0 && s[n - 1] == ' ')
		n--;
	while (n > 0) {
		const char *c = memchr(s, ':', n);

		if (c == NULL) {
			sbuf_add(sb, s, n);
			break;
		}
		sbuf_add(sb, s, (size_t)(c - s) + 1);
		n -= (size_t)(c - s) + 1;
		s = c + 1;
		for (h = 0; h < n && isxdigit((unsigned char)s[h]); h++)
			;
		if (h == 64) {
			sbuf_add(sb, s, 12);
			sbuf_addstr(sb, "\u2026");
			s += h;
			n -= h;
		}
	}
}

/* The name of a layer whose steps are history[first..last]. */
static char *
group_name(const json_t *h, size_t first, size_t last)
{
	struct sbuf sb = SBUF_INIT;
	size_t named = last, i = last + 1;

	while (i-- > first)
		if (changes_files(created_by(h, i))) {
			named = i;
			break;
		}
	if (created_by(h, named) == NULL)
		return NULL;
	add_short(&sb, created_by(h, named));
	if (last > first)
		sbuf_addf(&sb, " (+%zu step%s)", last - first, last - first == 1 ?
		    "" : "s");
	return sbuf_detach(&sb);
}

char *
diff_layer_step(const json_t *config, size_t layer)
{
	const json_t *h = json_object_get(config, "history"), *v;
	size_t i, first = 0, k = 0;

	json_array_foreach(h, i, v) {
		if (json_is_true(json_object_get(v, "empty_layer")))
			continue;
		if (k++ == layer)
			return group_name(h, first, i);
		first = i + 1;
	}
	return NULL;
}
