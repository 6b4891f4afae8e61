/*
 * json.c - the one place strings from images become JSON values.
 */
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "util/sbuf.h"

int
report_parse_format(const char *s, enum report_format *out)
{
	if (strcmp(s, "text") == 0)
		*out = REPORT_TEXT;
	else if (strcmp(s, "json") == 0)
		*out = REPORT_JSON;
	else if (strcmp(s, "markdown") == 0 || strcmp(s, "md") == 0)
		*out = REPORT_MARKDOWN;
	else if (strcmp(s, "junit") == 0)
		*out = REPORT_JUNIT;
	else
		return -1;
	return 0;
}

json_t *
report_json_str(const char *s)
{
	struct sbuf sb = SBUF_INIT;
	json_t *j;

	if (s == NULL)
		return json_null();
	sbuf_add_escaped(&sb, s, strlen(s));
	/* Escaped text is valid UTF-8, so this cannot fail but for memory. */
	j = json_stringn(sbuf_str(&sb), sb.len);
	sbuf_release(&sb);
	if (j == NULL)
		xalloc_die();
	return j;
}

json_t *
report_json_digest(const uint8_t d[32])
{
	struct sbuf sb = SBUF_INIT;
	json_t *j;

	sbuf_add_digest(&sb, d);
	j = json_string(sbuf_str(&sb));
	sbuf_release(&sb);
	if (j == NULL)
		xalloc_die();
	return j;
}

json_t *
report_json_digest_or_null(bool have, const uint8_t d[32])
{
	return have ? report_json_digest(d) : json_null();
}
