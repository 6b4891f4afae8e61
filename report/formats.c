/*
 * formats.c - the output formats of `diff`: one row each, {name, renderer}.
 * Parsing --format, the usage text and the error messages that list the
 * formats all come from this table; a new format is its own file, an enum
 * value and one row here.
 */
#include <string.h>

#include "report/report_int.h"

const struct report_renderer report_renderers[REPORT_NFORMAT] = {
	[REPORT_TEXT] = { "text", NULL, report_diff_text },
	[REPORT_JSON] = { "json", NULL, report_diff_json },
	[REPORT_MARKDOWN] = { "markdown", "md", report_diff_markdown },
	[REPORT_JUNIT] = { "junit", NULL, report_diff_junit },
	[REPORT_HTML] = { "html", NULL, report_diff_html },
};

int
report_parse_format(const char *s, enum report_format *out)
{
	const struct report_renderer *f;
	unsigned i;

	for (i = 0; i < REPORT_NFORMAT; i++) {
		f = &report_renderers[i];
		if (strcmp(s, f->name) == 0 ||
		    (f->alias != NULL && strcmp(s, f->alias) == 0)) {
			*out = (enum report_format)i;
			return 0;
		}
	}
	return -1;
}

char *
report_format_names(const char *sep)
{
	struct sbuf sb = SBUF_INIT;
	unsigned i;

	for (i = 0; i < REPORT_NFORMAT; i++)
		sbuf_addf(&sb, "%s%s", i > 0 ? sep : "", report_renderers[i].name);
	return sbuf_detach(&sb);
}
