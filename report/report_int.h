/*
 * report_int.h - private to report/.
 */
#ifndef IMGDRIFT_REPORT_INT_H
#define IMGDRIFT_REPORT_INT_H

#include "report/report.h"
#include "util/sbuf.h"
#include "util/util.h"

/* "sha256:" and 12 hex digits into buf (80 bytes). @return buf. */
const char *report_short_digest(char *buf, const uint8_t d[32]);
/* @return the k-th package that moved, counting through every image of r
   (its image's index in *image when not NULL), or NULL past the last. */
const struct diff_package *report_package(const struct diff_result *r,
    size_t k, size_t *image);
/* @return the k-th file of a package database a bound left out,
   counting through every image of r (its image's index in *image when
   not NULL), or NULL past the last. */
const struct diff_pkg_unread *report_unread(const struct diff_result *r,
    size_t k, size_t *image);
/* "A", "B" or "A and B": the sides u was left out on. */
const char *report_unread_sides(const struct diff_pkg_unread *u);
/* @return how many packages that moved a bounded report (text,
   Markdown) lists before "and N more": --max-examples, 5 by default;
   JSON lists them all. */
size_t report_packages_listed(const struct diff_result *r);
/* Append where a class was found, e.g. "config; layers 1, 3". */
void report_class_where(struct sbuf *sb, const struct diff_result *r,
    enum diff_class c);

/*
 * Append the one line that sums up a layer's mtime drift: how many moved,
 * the range of the shifts, their sign, and which side is clamped ("1700
 * mtimes moved +77 s .. +137 s, all later in B; A clamped to ...").
 * Nothing when no mtime moved.
 */
void report_shift(struct sbuf *sb, const struct diff_layer *l);
/* The most a Markdown report may hold: GitHub's job-summary limit. */
#define REPORT_MD_MAX	(1024u * 1024u)
/* The most fix hints the content class lists (one per cause). */
#define REPORT_HINTS_MAX	32

/* @return s cut after max characters (a UTF-8 sequence counts as one)
   with "...", and with fold its runs of white space as one space
   (malloc'd, raw). */
char *report_cut(const char *s, size_t max, bool fold);
/* @return how a content finding's cause reads: "cause", "not explained",
   or for a known-volatile file what it counts as. */
const char *report_cause_word(const struct diff_finding *f);
/*
 * What the check of f's file against its package's recorded digests
 * found, in words, raw (the package name is the image's: escape it):
 * "modified after install (dpkg:x: md5 in the database R, file F) in B;
 * A matches its record", or why it was not checked.  @return it
 * (malloc'd), or NULL when there is nothing to say (no check, or the
 * bytes match).
 */
char *report_check_text(const struct diff_result *r,
    const struct diff_finding *f);
/* One row of a report's fix block. */
struct report_hint {
	const char *what;	/* "packages" or a class name */
	uint8_t cls;		/* enum diff_class; DIFF_NCLASS: packages */
	char label[64];		/* the proven cause that calls for it
				   ("known-volatile:log"), or "" */
	const char *text;	/* the hint (static) */
};
/* The most rows a fix block holds. */
#define REPORT_FIX_MAX	(1 + REPORT_HINTS_MAX + DIFF_NCLASS * DIFF_HINTS_MAX)
/*
 * The fix block of r, the one source of every format's hints, in order:
 * the packages' hint when packages moved; then per class found its hints
 * as diff_class_hints() gives them (the builder's switch, a layer split's
 * own), and for content one per proven cause among the examples, the
 * class's general hint only when a content finding has no narrower one.
 * A hint given once is not given again.  @return how many rows (at most
 * max) in v.
 */
size_t report_fix_hints(const struct diff_result *r, struct report_hint *v,
    size_t max);
/* @return whether a package of eco moved in an image of r. */
bool report_pkg_moved(const struct diff_result *r, enum pkg_eco eco);
/* @return what a bare layer compared with an image's file system can
   claim, the verdict in words; NULL when no input is a bare layer. */
const char *report_layer_claim(const struct diff_result *r);
/* @return the platform of an image, raw ("(platform unknown)" when not
   known). */
const char *report_platform(const struct diff_image *di);
/* @return whether image (an index into r->images) has a finding in
   scope. */
bool report_image_has_scope(const struct diff_result *r, size_t image,
    enum diff_scope scope);

/* Append what the verdict sets aside: the --ignore'd classes that were
   found, then with --volatile ignore "known-volatile files" when such a
   file was counted as explained ("permission, known-volatile files");
   nothing when nothing was set aside. */
void report_set_aside(struct sbuf *sb, const struct diff_result *r);
/*
 * Append the verdict of r in words, raw (package names and paths from the
 * images are in it: the renderer escapes the whole of it), as every
 * renderer that words the verdict says it after the verdict's name: what
 * was set aside ("ignoring permission: besides what is ignored, "), then
 * the packages that moved, a bare layer's claim, the volatile files, or
 * what the verdict means.  @return whether something was set aside (the
 * text report then writes "NAME, " before it, else "NAME: ").
 */
bool report_verdict_sentence(struct sbuf *sb, const struct diff_result *r);
/* @return true when there is content drift and every content finding is
   explained by a proven cause (none left out of the examples). */
bool report_content_explained(const struct diff_result *r);

/* How a diff report is wanted, besides its format. */
struct report_style {
	bool color;	/* ANSI colour: a terminal, text only */
	bool quiet;	/* the verdict line alone, text only */
};

/* One output format: a row of report_renderers[], indexed by enum
   report_format.  diff writes r to fp; @return 0, or ERR_IO. */
struct report_renderer {
	const char *name;	/* as --format takes it */
	const char *alias;	/* another name --format takes, or NULL */
	int (*diff)(FILE *fp, const struct diff_result *r,
	    const struct report_style *st);
};

extern const struct report_renderer report_renderers[REPORT_NFORMAT];

int report_diff_text(FILE *fp, const struct diff_result *r,
    const struct report_style *st);
int report_diff_json(FILE *fp, const struct diff_result *r,
    const struct report_style *st);
int report_diff_markdown(FILE *fp, const struct diff_result *r,
    const struct report_style *st);
int report_diff_junit(FILE *fp, const struct diff_result *r,
    const struct report_style *st);
int report_diff_html(FILE *fp, const struct diff_result *r,
    const struct report_style *st);

#endif
