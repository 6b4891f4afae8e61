/*
 * json.c - strings and digests as JSON values, escaped in one place.
 */
#include <stdlib.h>
#include <string.h>

#include "util/json.h"
#include "util/sbuf.h"

json_t *
util_json_str(const char *s)
{
	return s != NULL ? util_json_strn(s, strlen(s)) : json_null();
}

/* @return the n bytes at s as a JSON string: the exact text, or escaped
   for a terminal first.  Both write valid UTF-8, so this cannot fail but
   for memory. */
static json_t *
string_of(const char *s, size_t n, bool exact)
{
	struct sbuf sb = SBUF_INIT;
	json_t *j;

	if (exact)
		sbuf_add_utf8(&sb, s, n);
	else
		sbuf_add_escaped(&sb, s, n);
	j = json_stringn(sbuf_str(&sb), sb.len);
	sbuf_release(&sb);
	if (j == NULL)
		xalloc_die();
	return j;
}

json_t *
util_json_strn(const char *s, size_t n)
{
	return string_of(s, n, false);
}

json_t *
util_json_text(const char *s)
{
	return s != NULL ? util_json_textn(s, strlen(s)) : json_null();
}

json_t *
util_json_textn(const char *s, size_t n)
{
	return string_of(s, n, true);
}

char *
util_json_dumps(const json_t *j, size_t flags)
{
	struct sbuf sb = SBUF_INIT;
	char *s = json_dumps(j, flags);

	if (s == NULL)
		return NULL;
	sbuf_add_json_safe(&sb, s, strlen(s));
	free(s);
	return sbuf_detach(&sb);
}

json_t *
util_json_digest(const uint8_t d[32])
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
util_json_digest_or_null(bool have, const uint8_t d[32])
{
	return have ? util_json_digest(d) : json_null();
}
