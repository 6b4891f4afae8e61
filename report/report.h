/*
 * report.h - render results for people (text, Markdown, HTML) and programs
 * (JSON, JUnit).
 * Every string that came from an image is escaped here, once per format.
 */
#ifndef IMGDRIFT_REPORT_H
#define IMGDRIFT_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "diff/diff.h"
#include "tar/tar.h"
#include "util/err.h"

/* Output formats: each is a row of the renderer table (report/formats.c). */
enum report_format {
	REPORT_TEXT,
	REPORT_JSON,
	REPORT_MARKDOWN,
	REPORT_JUNIT,
	REPORT_HTML,
	REPORT_NFORMAT
};

/* @return 0 and *out for a format's name (or alias, "md"); -1 otherwise. */
int report_parse_format(const char *s, enum report_format *out);
/* @return the names of the formats in table order, joined by sep
   (malloc'd): for usage text and error messages. */
char *report_format_names(const char *sep);

/*
 * Start an HTML page as the diff report does: the doctype, a
 * Content-Security-Policy that allows the inline style by its hash and
 * nothing else (no script, font, image or request), title (escaped here),
 * the style, and <body>.  The page ends with "</body>\n</html>\n".
 */
void report_html_head(FILE *fp, const char *title);

/*
 * Write what `imgdrift inspect` shows about ar.  name is the input as given.
 * full: whole digests in text.  @return 0, or ERR_IO.
 */
int report_inspect(FILE *fp, const char *name, const struct tar_archive *ar,
    enum report_format fmt, bool full);

/*
 * Write what `imgdrift inspect --packages` shows: the packages of every
 * image of ar, dbs[i] those of image i (diff_image_packages()).
 * @return 0, or ERR_IO.
 */
int report_packages(FILE *fp, const char *name, const struct tar_archive *ar,
    struct pkg_db *const *dbs, enum report_format fmt);

struct sbuf;

/* What a release-log line says besides the image. */
struct report_digest_opts {
	const char *name;	/* the input as given */
	const char *release;	/* --release NAME, or NULL */
	const char *version;	/* imgdrift's version */
};

/*
 * Append one JSON line (schema imgdrift.digest/1) per image of ar to sb,
 * each ending in a newline.
 */
void report_digest_lines(struct sbuf *sb, const struct report_digest_opts *o,
    const struct tar_archive *ar);

/*
 * Write a diff result.  color: ANSI colour for a terminal (text only).
 * quiet: the verdict line alone.  @return 0, or ERR_IO.
 */
int report_diff(FILE *fp, const struct diff_result *r, enum report_format fmt,
    bool color, bool quiet);

#endif
