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
/* Append where a class was found, e.g. "config; layers 1, 3". */
void report_class_where(struct sbuf *sb, const struct diff_result *r,
    enum diff_class c);

int report_diff_text(FILE *fp, const struct diff_result *r, bool color,
    bool quiet);
int report_diff_json(FILE *fp, const struct diff_result *r);
int report_diff_markdown(FILE *fp, const struct diff_result *r);
int report_diff_junit(FILE *fp, const struct diff_result *r);

#endif
