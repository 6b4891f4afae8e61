/*
 * json.c - output format names.
 */
#include <string.h>

#include "report/report.h"

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
