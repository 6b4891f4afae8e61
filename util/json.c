/*
 * json.c - strings and digests as JSON values, escaped in one place.
 */
#include <string.h>

#include "util/json.h"
#include "util/sbuf.h"

json_t *
util_json_str(const char *s)
{
	return s != NULL ? util_json_strn(s, strlen(s)) : json_null();
}

json_t *
util_json_strn(const char *s, size_t n)
{
	struct sbuf sb = SBUF_INIT;
	json_t *j;

	sbuf_add_escaped(&sb, s, n);
	/* Escaped text is valid UTF-8, so this cannot fail but for memory. */
	j = json_stringn(sbuf_str(&sb), sb.len);
	sbuf_release(&sb);
	if (j == NULL)
		xalloc_die();
	return j;
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
