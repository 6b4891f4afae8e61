/*
 * diff.c - what the diff renderers share, and the dispatch.
 */
#include <string.h>

#include "report/report_int.h"

const char *
report_short_digest(char *buf, const uint8_t d[32])
{
	char hex[65];

	util_hex_encode(hex, d, 32);
	snprintf(buf, 80, "sha256:%.12s", hex);
	return buf;
}

void
report_class_where(struct sbuf *sb, const struct diff_result *r,
    enum diff_class c)
{
	static const char *const scope_names[] = { "archive", "manifest",
	    "config", "layers", "file system" };
	bool seen[5] = { false };
	size_t i, j, nl = 0;
	const char *sep = "";

	for (i = 0; i < r->nfindings; i++)
		if (r->findings[i].cls == c)
			seen[r->findings[i].scope] = true;
	for (i = 0; i < r->nimages; i++)
		for (j = 0; j < r->images[i].nlayers; j++)
			if (r->images[i].layers[j].counts[c] > 0)
				seen[DIFF_SCOPE_LAYER] = true;
	for (i = 0; i < 5; i++) {
		if (!seen[i])
			continue;
		sbuf_addstr(sb, sep);
		sbuf_addstr(sb, scope_names[i]);
		sep = "; ";
		if (i != DIFF_SCOPE_LAYER)
			continue;
		for (j = 0; j < r->nimages; j++) {
			size_t k;

			for (k = 0; k < r->images[j].nlayers; k++)
				if (r->images[j].layers[k].counts[c] > 0 && nl++ < 8)
					sbuf_addf(sb, "%s%d", nl == 1 ? " " : ",",
					    r->images[j].layers[k].index);
		}
		if (nl > 8)
			sbuf_addstr(sb, ",...");
	}
}

int
report_diff(FILE *fp, const struct diff_result *r, enum report_format fmt,
    bool color, bool quiet)
{
	struct report_style st = { color, quiet };

	if ((unsigned)fmt >= REPORT_NFORMAT)
		fmt = REPORT_TEXT;
	return report_renderers[fmt].diff(fp, r, &st);
}

const struct diff_package *
report_package(const struct diff_result *r, size_t k, size_t *image)
{
	size_t i;

	for (i = 0; i < r->nimages; i++) {
		if (k < r->images[i].npackages) {
			if (image != NULL)
				*image = i;
			return &r->images[i].packages[k];
		}
		k -= r->images[i].npackages;
	}
	return NULL;
}
