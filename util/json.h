/*
 * json.h - the one place a string becomes a JSON value (after git's
 * json-writer), and a document becomes text.  Two conventions:
 * util_json_text() keeps the exact text (schemas imgdrift.diff/2,
 * imgdrift.inspect/2), util_json_str() the text escaped for a terminal
 * first (imgdrift.digest/1, imgdrift.lint/1).
 */
#ifndef IMGDRIFT_UTIL_JSON_H
#define IMGDRIFT_UTIL_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/* @return a JSON string holding s escaped (see sbuf_add_escaped()), or null
   for NULL.  New reference. */
json_t *util_json_str(const char *s);
/* As util_json_str(), for the n bytes at s.  New reference. */
json_t *util_json_strn(const char *s, size_t n);
/* @return a JSON string holding the exact text of s (see sbuf_add_utf8():
   only bytes that are not valid UTF-8 become "\\xNN"), or null for NULL.
   New reference. */
json_t *util_json_text(const char *s);
/* As util_json_text(), for the n bytes at s.  New reference. */
json_t *util_json_textn(const char *s, size_t n);
/*
 * @return j as json_dumps(j, flags) writes it, with the characters that
 * are unsafe on a terminal as JSON escapes (sbuf_add_json_safe()), or NULL
 * when jansson fails (free() it).
 */
char *util_json_dumps(const json_t *j, size_t flags);
/* @return "sha256:<hex>" as a JSON string.  New reference. */
json_t *util_json_digest(const uint8_t d[32]);
/* @return util_json_digest(d) when have, else null.  New reference. */
json_t *util_json_digest_or_null(bool have, const uint8_t d[32]);

#endif
