/*
 * json.h - the one place a string becomes a JSON value (after git's
 * json-writer): every string goes through sbuf_add_escaped() here, so a
 * document built from these helpers holds no raw byte from its input.
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
/* @return "sha256:<hex>" as a JSON string.  New reference. */
json_t *util_json_digest(const uint8_t d[32]);
/* @return util_json_digest(d) when have, else null.  New reference. */
json_t *util_json_digest_or_null(bool have, const uint8_t d[32]);

#endif
