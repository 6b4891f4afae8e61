#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sbuf.h"

void
xalloc_die(void)
{
	static const char m[] = "imgdrift: out of memory\n";

	(void)!write(2, m, sizeof(m) - 1);
	_exit(2);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		xalloc_die();
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		xalloc_die();
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		xalloc_die();
	return q;
}

void
xgrow(void *pp, size_t *cap, size_t want, size_t sz)
{
	void **p = pp;
	size_t ncap;

	if (want <= *cap)
		return;
	ncap = *cap ? *cap : 8;
	while (ncap < want) {
		if (ncap > SIZE_MAX / 2 / sz)
			xalloc_die();
		ncap *= 2;
	}
	*p = xrealloc(*p, ncap * sz);
	*cap = ncap;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xstrfmt(const char *fmt, ...)
{
	struct sbuf sb = SBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	return sbuf_detach(&sb);
}

void
sbuf_init(struct sbuf *sb)
{
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}

void
sbuf_release(struct sbuf *sb)
{
	free(sb->buf);
	sbuf_init(sb);
}

void
sbuf_reset(struct sbuf *sb)
{
	sb->len = 0;
	if (sb->buf != NULL)
		sb->buf[0] = '\0';
}

static void
sbuf_need(struct sbuf *sb, size_t n)
{
	if (n > SIZE_MAX - sb->len - 1)
		xalloc_die();
	xgrow(&sb->buf, &sb->cap, sb->len + n + 1, 1);
}

void
sbuf_add(struct sbuf *sb, const void *p, size_t n)
{
	sbuf_need(sb, n);
	if (n)
		memcpy(sb->buf + sb->len, p, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void
sbuf_addstr(struct sbuf *sb, const char *s)
{
	sbuf_add(sb, s, strlen(s));
}

void
sbuf_addc(struct sbuf *sb, char c)
{
	sbuf_add(sb, &c, 1);
}

void
sbuf_add_varint(struct sbuf *sb, uint64_t v)
{
	uint8_t b[10];
	size_t n = 0;

	do {
		b[n] = (uint8_t)(v & 0x7f);
		v >>= 7;
		if (v != 0)
			b[n] |= 0x80;
		n++;
	} while (v != 0);
	sbuf_add(sb, b, n);
}

void
sbuf_vaddf(struct sbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	sbuf_need(sb, (size_t)n);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

void
sbuf_addf(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sbuf_vaddf(sb, fmt, ap);
	va_end(ap);
}

const char *
sbuf_str(struct sbuf *sb)
{
	return sb->buf != NULL ? sb->buf : "";
}

char *
sbuf_detach(struct sbuf *sb)
{
	char *p = sb->buf != NULL ? sb->buf : xstrdup("");

	sbuf_init(sb);
	return p;
}

/*
 * @return the length of the valid UTF-8 sequence at s (at most n bytes), or 0
 * when the bytes there are not one (overlong, surrogate, out of range, cut).
 */
static size_t
utf8_len(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len, i;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07;
	} else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/*
 * Bidirectional controls, and the invisible characters that make a name
 * look like two lines or like another name: line and paragraph separators,
 * zero-width spaces and joiners, word joiner and invisible operators, and
 * the byte-order mark.
 */
static bool
is_invisible(uint32_t c)
{
	return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ||
	    (c >= 0x200b && c <= 0x200f) || (c >= 0x2060 && c <= 0x2064) ||
	    c == 0x2028 || c == 0x2029 || c == 0xfeff || c == 0x061c;
}

/* The terminal escaper; json_text: s is JSON text, whose backslashes
   begin JSON's own escapes and are kept as they are. */
static void
escape(struct sbuf *sb, const char *s, size_t n, bool json_text)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, l;
	uint32_t c;

	while (i < n) {
		l = utf8_len(p + i, n - i, &c);
		if (l == 0) {
			sbuf_addf(sb, "\\x%02x", p[i]);
			i++;
			continue;
		}
		if (c == '\\' && !json_text)
			sbuf_add(sb, "\\\\", 2);
		else if (c == '\n')
			sbuf_add(sb, "\\n", 2);
		else if (c == '\t')
			sbuf_add(sb, "\\t", 2);
		else if (c == '\r')
			sbuf_add(sb, "\\r", 2);
		else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f))
			sbuf_addf(sb, "\\x%02x", (unsigned)c);
		else if (is_invisible(c))
			sbuf_addf(sb, "\\u{%04x}", (unsigned)c);
		else
			sbuf_add(sb, p + i, l);
		i += l;
	}
}

void
sbuf_add_escaped(struct sbuf *sb, const char *s, size_t n)
{
	escape(sb, s, n, false);
}

/* Escape s, then spell the HTML/XML metacharacters as entities; how
   (SBUF_ESC_MARKDOWN, _XML or _HTML) says which: Markdown's too, with a
   backslash (and '|' and '`' as entities); the quote as XML's &apos; or
   as HTML's &#39;. */
static void
add_entities(struct sbuf *sb, const char *s, size_t n, unsigned how,
    bool json_text)
{
	struct sbuf t = SBUF_INIT;
	bool md = how == SBUF_ESC_MARKDOWN;
	size_t i;

	escape(&t, s, n, json_text);
	for (i = 0; i < t.len; i++) {
		switch (t.buf[i]) {
		case '<':	sbuf_addstr(sb, "&lt;"); continue;
		case '>':	sbuf_addstr(sb, "&gt;"); continue;
		case '&':	sbuf_addstr(sb, "&amp;"); continue;
		case '"':	sbuf_addstr(sb, "&quot;"); continue;
		}
		if (!md) {
			if (t.buf[i] == '\'')
				sbuf_addstr(sb, how == SBUF_ESC_HTML ? "&#39;" :
				    "&apos;");
			else
				sbuf_addc(sb, t.buf[i]);
			continue;
		}
		switch (t.buf[i]) {
		case '|':	sbuf_addstr(sb, "&#124;"); break;
		case '`':	sbuf_addstr(sb, "&#96;"); break;
		case '*': case '_': case '[': case ']': case '#': case '~':
			sbuf_addc(sb, '\\');
			sbuf_addc(sb, t.buf[i]);
			break;
		default:	sbuf_addc(sb, t.buf[i]);
		}
	}
	sbuf_release(&t);
}

void
sbuf_add_escaped_md(struct sbuf *sb, const char *s, size_t n)
{
	add_entities(sb, s, n, SBUF_ESC_MARKDOWN, false);
}

void
sbuf_add_escaped_xml(struct sbuf *sb, const char *s, size_t n)
{
	add_entities(sb, s, n, SBUF_ESC_XML, false);
}

void
sbuf_add_escaped_for(struct sbuf *sb, const char *s, size_t n, unsigned how)
{
	bool json_text = (how & SBUF_ESC_JSON_TEXT) != 0;

	how &= ~(unsigned)SBUF_ESC_JSON_TEXT;
	if (how == SBUF_ESC_MARKDOWN || how == SBUF_ESC_XML ||
	    how == SBUF_ESC_HTML)
		add_entities(sb, s, n, how, json_text);
	else
		escape(sb, s, n, json_text);
}

/* Copy s as valid UTF-8.  json: s is JSON text, whose unsafe characters
   become JSON escapes (its bytes are valid UTF-8, any other is copied);
   else a byte that is not valid UTF-8 becomes "\\xNN". */
static void
recode(struct sbuf *sb, const char *s, size_t n, bool json)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, l;
	uint32_t c;

	for (; i < n; i += l) {
		if ((l = utf8_len(p + i, n - i, &c)) == 0) {
			l = 1;
			if (!json) {
				sbuf_addf(sb, "\\x%02x", p[i]);
				continue;
			}
		} else if (json && (c == 0x7f || (c >= 0x80 && c <= 0x9f) ||
		    is_invisible(c))) {
			sbuf_addf(sb, "\\u%04x", (unsigned)c);
			continue;
		}
		sbuf_add(sb, p + i, l);
	}
}

void
sbuf_add_utf8(struct sbuf *sb, const char *s, size_t n)
{
	recode(sb, s, n, false);
}

void
sbuf_add_json_safe(struct sbuf *sb, const char *s, size_t n)
{
	recode(sb, s, n, true);
}

void
util_hex_encode(char *out, const uint8_t *in, size_t n)
{
	static const char h[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = h[in[i] >> 4];
		out[2 * i + 1] = h[in[i] & 15];
	}
	out[2 * n] = '\0';
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int
util_hex_decode(uint8_t *out, const char *s, size_t n)
{
	size_t i;
	int hi, lo;

	for (i = 0; i < n; i++) {
		if ((hi = hexval(s[2 * i])) < 0 || (lo = hexval(s[2 * i + 1])) < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return s[2 * n] == '\0' ? 0 : -1;
}

void
sbuf_add_digest(struct sbuf *sb, const uint8_t d[32])
{
	char hex[65];

	util_hex_encode(hex, d, 32);
	sbuf_addstr(sb, "sha256:");
	sbuf_add(sb, hex, 64);
}

