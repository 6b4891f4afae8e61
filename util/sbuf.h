/*
 * sbuf.h - a growable, always NUL-terminated byte buffer (after git's strbuf),
 * and the one place where strings from images are escaped for output.
 *
 * Allocation failure ends the program through xalloc_die(): out-of-memory is
 * not an input error, and checking every append would hide the logic.
 */
#ifndef IMGDRIFT_SBUF_H
#define IMGDRIFT_SBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct sbuf {
	char *buf;	/* always NUL-terminated once anything was added */
	size_t len;
	size_t cap;
};

#define SBUF_INIT { NULL, 0, 0 }

void sbuf_init(struct sbuf *sb);
void sbuf_release(struct sbuf *sb);
void sbuf_reset(struct sbuf *sb);
void sbuf_add(struct sbuf *sb, const void *p, size_t n);
void sbuf_addstr(struct sbuf *sb, const char *s);
void sbuf_addc(struct sbuf *sb, char c);
void sbuf_addf(struct sbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void sbuf_vaddf(struct sbuf *sb, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Append v as an unsigned LEB128 varint (1 to 10 bytes). */
void sbuf_add_varint(struct sbuf *sb, uint64_t v);
/* @return the buffer ("" when empty), owned by sb. */
const char *sbuf_str(struct sbuf *sb);
/* @return the buffer, now owned by the caller; sb is left empty. */
char *sbuf_detach(struct sbuf *sb);

/*
 * Append s (n bytes, not necessarily NUL-terminated or valid UTF-8) as
 * printable, valid UTF-8: a backslash becomes "\\", C0/C1 controls and DEL
 * become "\xNN" (with \n, \t, \r spelled out), bytes that are not valid UTF-8
 * become "\xNN", and bidirectional controls and invisible characters
 * (U+2028, U+2029, U+200B-U+200F, U+2060-U+2064, U+FEFF) become "\u{NNNN}".
 * The result is safe on a terminal and as a JSON string value.
 */
void sbuf_add_escaped(struct sbuf *sb, const char *s, size_t n);

/* As sbuf_add_escaped(), then Markdown/HTML metacharacters as entities. */
void sbuf_add_escaped_md(struct sbuf *sb, const char *s, size_t n);
/* As sbuf_add_escaped(), then & < > " ' as XML entities: safe as XML text
   and attribute values (no control character is left). */
void sbuf_add_escaped_xml(struct sbuf *sb, const char *s, size_t n);

/* What sbuf_add_escaped_for() escapes for: one of the three outputs above
   or HTML (as XML, with the quote as &#39;: safe as HTML text and quoted
   attribute values),
   or'ed with SBUF_ESC_JSON_TEXT when s is JSON text (a config value as a
   JSON document has it): its backslashes begin JSON's own escapes and are
   kept, so that the escaping happens once. */
enum {
	SBUF_ESC_TERMINAL = 0,	/* sbuf_add_escaped() */
	SBUF_ESC_MARKDOWN = 1,	/* sbuf_add_escaped_md() */
	SBUF_ESC_XML = 2,	/* sbuf_add_escaped_xml() */
	SBUF_ESC_HTML = 3,
	SBUF_ESC_JSON_TEXT = 0x100,
};
void sbuf_add_escaped_for(struct sbuf *sb, const char *s, size_t n,
    unsigned how);

/*
 * Append s as the exact text it is, for a JSON string value: valid UTF-8
 * as it is (control characters too: the JSON writer escapes them its own
 * way), and only the bytes that are not valid UTF-8 as the four characters
 * "\xNN".
 */
void sbuf_add_utf8(struct sbuf *sb, const char *s, size_t n);
/*
 * Append the JSON text s (from a JSON writer: valid UTF-8) with DEL, the C1
 * controls and the invisible characters of sbuf_add_escaped() written as
 * JSON escapes ("\u202e"): the same document, safe on a terminal.
 */
void sbuf_add_json_safe(struct sbuf *sb, const char *s, size_t n);

/* Append "sha256:" and 64 lowercase hex digits. */
void sbuf_add_digest(struct sbuf *sb, const uint8_t d[32]);

/* Allocation helpers that never return NULL. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/* Grow *p (element size sz) so that it holds at least want elements. */
void xgrow(void *pp, size_t *cap, size_t want, size_t sz);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* @return a malloc'd string made from fmt (git's xstrfmt()). */
char *xstrfmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
__attribute__((noreturn)) void xalloc_die(void);

/* Lowercase hex of n bytes into out (2n+1 bytes). */
void util_hex_encode(char *out, const uint8_t *in, size_t n);
/* @return 0 when s holds exactly 2n hex digits, decoded into out; else -1. */
int util_hex_decode(uint8_t *out, const char *s, size_t n);

#endif
