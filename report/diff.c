/*
 * diff.c - what the diff renderers share, and the dispatch.
 */
#include <inttypes.h>
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
		sep = "; ";
		if (i != DIFF_SCOPE_LAYER || r->nimages < 2)
			sbuf_addstr(sb, scope_names[i]);
		if (i != DIFF_SCOPE_LAYER)
			continue;
		for (j = 0; j < r->nimages; j++) {
			size_t k;

			for (k = 0; k < r->images[j].nlayers; k++) {
				if (r->images[j].layers[k].counts[c] == 0 || nl++ >= 8)
					continue;
				/* Several platforms: say whose layer it is. */
				if (r->nimages > 1)
					sbuf_addf(sb, "%s%s layer %d", nl == 1 ? "" : ", ",
					    report_platform(&r->images[j]),
					    r->images[j].layers[k].index);
				else
					sbuf_addf(sb, "%s%d", nl == 1 ? " " : ",",
					    r->images[j].layers[k].index);
			}
		}
		if (nl > 8)
			sbuf_addstr(sb, r->nimages > 1 ? ", ..." : ",...");
	}
}

/* "+77 s", "-3 s", "+86400 s (24 h)". */
static void
add_seconds(struct sbuf *sb, int64_t d)
{
	uint64_t a = d < 0 ? (uint64_t)-(d + 1) + 1 : (uint64_t)d;

	sbuf_addf(sb, "%c%" PRIu64 " s", d < 0 ? '-' : '+', a);
	if (a >= 2 * 86400)
		sbuf_addf(sb, " (%.3g d)", (double)a / 86400);
	else if (a >= 3600)
		sbuf_addf(sb, " (%.3g h)", (double)a / 3600);
}


void
report_shift(struct sbuf *sb, const struct diff_layer *l)
{
	const struct diff_shift *s = &l->shift;
	const char *sep = "; ";

	if (s->n == 0)
		return;
	sbuf_addf(sb, "%zu mtime%s moved ", s->n, s->n == 1 ? "" : "s");
	add_seconds(sb, s->min);
	if (s->max != s->min) {
		sbuf_addstr(sb, " .. ");
		add_seconds(sb, s->max);
	}
	if (s->later == s->n)
		sbuf_addstr(sb, s->n == 1 ? ", later in B" : ", all later in B");
	else if (s->earlier == s->n)
		sbuf_addstr(sb, s->n == 1 ? ", earlier in B" : ", all earlier in B");
	else
		sbuf_addf(sb, ", both ways: %zu later, %zu earlier, %zu within the "
		    "second", s->later, s->earlier, s->n - s->later - s->earlier);
	if (l->clamped_a != NULL) {
		sbuf_addf(sb, "%sA clamped to %s", sep, l->clamped_a);
		sep = ", ";
	}
	if (l->clamped_b != NULL)
		sbuf_addf(sb, "%sB clamped to %s", sep, l->clamped_b);
}

char *
report_cut(const char *s, size_t max, bool fold)
{
	struct sbuf sb = SBUF_INIT;
	bool space = false;
	size_t n = 0;

	for (; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;

		if (fold && (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r')) {
			space = sb.len > 0;
			continue;
		}
		/* Count characters, not bytes: a UTF-8 sequence is one. */
		if ((ch & 0xc0) != 0x80) {
			if (n + space + 1 > max) {
				sbuf_addstr(&sb, "...");
				break;
			}
			n += space + 1;
		}
		if (space) {
			sbuf_addc(&sb, ' ');
			space = false;
		}
		sbuf_addc(&sb, (char)ch);
	}
	return sbuf_detach(&sb);
}

const char *
report_cause_word(const struct diff_finding *f)
{
	if (f->explained)
		return "cause";
	if (f->cause.id == DIFF_CAUSE_KNOWN_VOLATILE)
		return "volatile (counts as content unless --volatile ignore)";
	return "not explained";
}

/* Add a row unless its hint is given already.  @return whether added. */
static bool
add_hint(struct report_hint *v, size_t *n, size_t max, unsigned cls,
    const char *label, const char *text)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp(v[i].text, text) == 0)
			return false;
	if (*n >= max)
		return false;
	v[*n].what = cls < DIFF_NCLASS ? diff_class_name(cls) : "packages";
	v[*n].cls = (uint8_t)cls;
	snprintf(v[*n].label, sizeof(v[*n].label), "%s", label);
	v[*n].text = text;
	(*n)++;
	return true;
}

/* The hints of the content findings' proven causes.  @return whether a
   content finding has none: the class's general hint applies too. */
static bool
cause_hints(const struct diff_result *r, struct report_hint *v, size_t *n,
    size_t max)
{
	char label[DIFF_CAUSE_TEXT_MAX];
	const char *h;
	bool bare = false, some = false;
	size_t i;

	for (i = 0; i < r->nfindings; i++) {
		const struct diff_finding *f = &r->findings[i];

		if (f->cls != DIFF_CONTENT)
			continue;
		if ((h = diff_cause_hint(&f->cause)) == NULL) {
			bare = true;
			continue;
		}
		some = true;
		add_hint(v, n, max, DIFF_CONTENT,
		    diff_cause_label(&f->cause, label, sizeof(label)), h);
	}
	return bare || !some;
}

bool
report_pkg_moved(const struct diff_result *r, enum pkg_eco eco)
{
	size_t i, j;

	for (i = 0; i < r->nimages; i++)
		for (j = 0; j < r->images[i].npackages; j++)
			if (r->images[i].packages[j].eco == eco)
				return true;
	return false;
}

size_t
report_fix_hints(const struct diff_result *r, struct report_hint *v,
    size_t max)
{
	const char *h[DIFF_HINTS_MAX];
	size_t n = 0, k, i;
	unsigned c;

	for (c = 0; c < PKG_NECO; c++)
		if (report_pkg_moved(r, (enum pkg_eco)c))
			add_hint(v, &n, max, DIFF_NCLASS, "",
			    diff_pkg_hint((enum pkg_eco)c));
	for (c = 0; c < DIFF_NCLASS; c++) {
		if (r->counts[c] == 0)
			continue;
		/* Content: the class's hints only for what no cause explains,
		   and only when the examples show such a finding. */
		if (c == DIFF_CONTENT && !cause_hints(r, v, &n, max))
			continue;
		k = diff_class_hints(r, c, h, DIFF_HINTS_MAX);
		for (i = 0; i < k; i++)
			add_hint(v, &n, max, c, "", h[i]);
	}
	return n;
}

static const char *const verdict_text[] = {
	"the two inputs are the same bytes",
	"the image digests are equal; only the archive around them differs",
	"the same config and layer contents; only the transport (compression, "
	    "manifest, archive format) differs",
	"the same files, modes, owners and runtime config; only times, order, "
	    "encoding or metadata moved",
	"content, permissions or runtime config differ",
};

#define VERDICT_NAMES_MAX	5	/* package names in the sentence */

/* "3 packages changed (libssl3, openssl, tzdata)" */
static void
moved_names(struct sbuf *sb, const struct diff_result *r, size_t moved)
{
	const struct diff_package *p;
	size_t k;

	sbuf_addf(sb, "%zu package%s changed (", moved, moved == 1 ? "" : "s");
	for (k = 0; (p = report_package(r, k, NULL)) != NULL; k++) {
		if (k == VERDICT_NAMES_MAX) {
			sbuf_addstr(sb, ", ...");
			break;
		}
		sbuf_addf(sb, "%s%s", k > 0 ? ", " : "", p->name);
	}
	sbuf_addc(sb, ')');
}

bool
report_verdict_sentence(struct sbuf *sb, const struct diff_result *r)
{
	struct sbuf aside = SBUF_INIT;
	size_t moved = diff_packages_moved(r);
	bool any;

	report_set_aside(&aside, r);
	/* What --ignore or --volatile ignore set aside is not "the same". */
	if ((any = aside.len > 0))
		sbuf_addf(sb, "ignoring %s: besides what is ignored, ",
		    sbuf_str(&aside));
	sbuf_release(&aside);
	if (moved > 0 && r->verdict == DIFF_DIFFERENT)
		moved_names(sb, r, moved);
	else if (report_layer_claim(r) != NULL)
		sbuf_addstr(sb, report_layer_claim(r));
	else if (r->volatile_only != NULL)
		sbuf_addf(sb, "only known-volatile files differ (%s); --volatile "
		    "ignore would make this dependency-equivalent",
		    r->volatile_only);
	else
		sbuf_addstr(sb, verdict_text[r->verdict]);
	return any;
}

const char *
report_layer_claim(const struct diff_result *r)
{
	static const char *const claim[2][2] = {
		{ "A is a bare layer: its tree holds the same files, types, modes "
		    "and owners as the final file system of B; a layer has no "
		    "manifest or config, so it cannot be identical or "
		    "byte-equivalent and no runtime config was compared",
		  "A is a bare layer: its tree and the final file system of B "
		    "differ (only files were compared: a layer has no manifest or "
		    "config)" },
		{ "B is a bare layer: its tree holds the same files, types, modes "
		    "and owners as the final file system of A; a layer has no "
		    "manifest or config, so it cannot be identical or "
		    "byte-equivalent and no runtime config was compared",
		  "B is a bare layer: its tree and the final file system of A "
		    "differ (only files were compared: a layer has no manifest or "
		    "config)" },
	};

	if (r->bare_layer == 0)
		return NULL;
	return claim[r->bare_layer == 'B'][r->verdict > DIFF_DEPENDENCY_EQUIVALENT];
}

const char *
report_platform(const struct diff_image *di)
{
	return di->platform != NULL ? di->platform : "(platform unknown)";
}

bool
report_image_has_scope(const struct diff_result *r, size_t image,
    enum diff_scope scope)
{
	size_t i;

	for (i = 0; i < r->nfindings; i++)
		if (r->findings[i].image == image && r->findings[i].scope == scope)
			return true;
	return false;
}

void
report_set_aside(struct sbuf *sb, const struct diff_result *r)
{
	const char *sep = "";
	size_t i;
	unsigned c;

	for (c = 0; c < DIFF_NCLASS; c++)
		if (r->ignored[c] && r->counts[c] > r->accepted[c]) {
			sbuf_addf(sb, "%s%s", sep, diff_class_name(c));
			sep = ", ";
		}
	for (i = 0; i < r->nfindings; i++)
		if (r->findings[i].cls == DIFF_CONTENT && r->findings[i].explained &&
		    r->findings[i].cause.id == DIFF_CAUSE_KNOWN_VOLATILE) {
			sbuf_addf(sb, "%sknown-volatile files", sep);
			break;
		}
}

bool
report_content_explained(const struct diff_result *r)
{
	size_t i, n = 0;

	for (i = 0; i < r->nfindings; i++) {
		if (r->findings[i].cls != DIFF_CONTENT)
			continue;
		if (!r->findings[i].explained)
			return false;
		n++;
	}
	return n > 0 && n == r->counts[DIFF_CONTENT];
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

size_t
report_packages_listed(const struct diff_result *r)
{
	return r->max_examples == 0 ? 5 : r->max_examples;
}

const struct diff_pkg_unread *
report_unread(const struct diff_result *r, size_t k, size_t *image)
{
	size_t i;

	for (i = 0; i < r->nimages; i++) {
		if (k < r->images[i].nunread) {
			if (image != NULL)
				*image = i;
			return &r->images[i].unread[k];
		}
		k -= r->images[i].nunread;
	}
	return NULL;
}

const char *
report_unread_sides(const struct diff_pkg_unread *u)
{
	return u->a && u->b ? "A and B" : u->a ? "A" : "B";
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

/* Append side i's digest against its record: "md5 in the database R,
   file F" (ours: "in A's database" when the records differ). */
static void
check_side_text(struct sbuf *sb, const struct diff_check *k, int i,
    const char *whose)
{
	const struct pkg_check *c = &k->side[i];

	sbuf_addf(sb, "%s in %s database %s, file %s", c->algo, whose,
	    c->recorded, k->absent[i] ? "absent" : c->file);
	if (!k->absent[i] && c->recorded_size >= 0 &&
	    (uint64_t)c->recorded_size != c->size)
		sbuf_addf(sb, "; size in %s database %" PRId64 ", file %" PRIu64,
		    whose, c->recorded_size, c->size);
}

/* Append why f's file was not checked against its records. */
static void
not_checked_text(struct sbuf *sb, const struct diff_result *r,
    const struct diff_finding *f)
{
	const struct diff_check *k = &f->check;
	char size[32];

	sbuf_addf(sb, "not checked against the digest %s recorded: ",
	    pkg_eco_name((enum pkg_eco)k->eco));
	if (k->state == DIFF_CHECK_FAILED)
		sbuf_addstr(sb, k->why);
	else if (k->state == DIFF_CHECK_LIMIT && k->limit == DIFF_LOOK_BUDGET)
		sbuf_addf(sb, "over the second look's budget (%s)",
		    util_size_str(size, sizeof(size), r->look_budget));
	else if (k->state == DIFF_CHECK_LIMIT && k->limit == DIFF_LOOK_FILE_SIZE)
		sbuf_addf(sb, "over the second look's file size limit (%s)",
		    util_size_str(size, sizeof(size), r->look_max_file));
	else if (k->state == DIFF_CHECK_LIMIT)
		sbuf_addf(sb, "over the second look's file count limit (%zu)",
		    r->look_max_files);
	else if (r->fingerprint_a || r->fingerprint_b)
		sbuf_addstr(sb, "a fingerprint holds no file bytes");
	else
		sbuf_addstr(sb, "the file's bytes could not be read a second time");
}

/* Append why side i, whose database records a digest, was not checked
   while the other side was. */
static void
side_not_checked(struct sbuf *sb, const struct diff_result *r,
    const struct diff_check *k, int i)
{
	bool fp = i == 0 ? r->fingerprint_a : r->fingerprint_b;

	sbuf_addf(sb, "%s not checked: %s", i == 0 ? "A" : "B",
	    k->why != NULL ? k->why : fp ? "a fingerprint holds no file bytes" :
	    "its bytes were not read");
}

char *
report_check_text(const struct diff_result *r, const struct diff_finding *f)
{
	const struct diff_check *k = &f->check;
	struct sbuf sb = SBUF_INIT;
	bool differ;
	int m, o;

	if (f->by_version)
		return xstrdup("modified after install (its version did not move, "
		    "and a published version's files never change)");
	if (k->state == DIFF_CHECK_NONE)
		return NULL;
	if (k->state != DIFF_CHECK_DONE) {
		not_checked_text(&sb, r, f);
		return sbuf_detach(&sb);
	}
	if (!f->modified_after_install) {
		/* Matches where checked: worth a word only when a side that
		   records a digest was not checked. */
		for (m = 0; m < 2; m++)
			if (k->recorded[m] != NULL && k->match[m] < 0) {
				sbuf_addf(&sb, "%s matches its record; ", m == 0 ?
				    "B" : "A");
				side_not_checked(&sb, r, k, m);
				return sbuf_detach(&sb);
			}
		return NULL;
	}
	/* The side modified (B's first), and the other. */
	m = k->match[1] == 0 ? 1 : 0;
	o = 1 - m;
	differ = k->match[o] >= 0 &&
	    strcmp(k->side[0].recorded, k->side[1].recorded) != 0;
	sbuf_addf(&sb, "modified after install (%s: ", f->package);
	check_side_text(&sb, k, m, "the");
	sbuf_addf(&sb, ") in %s", m == 1 ? "B" : "A");
	if (k->match[o] == 0 && !differ)
		sbuf_addf(&sb, " and %s (%s's file %s)", o == 1 ? "B" : "A",
		    o == 1 ? "B" : "A", k->absent[o] ? "absent" : k->side[o].file);
	else if (k->match[o] == 0) {
		sbuf_addf(&sb, " and %s (", o == 1 ? "B" : "A");
		check_side_text(&sb, k, o, o == 1 ? "B's" : "A's");
		sbuf_addstr(&sb, "); rebuilt too: the databases record other "
		    "digests");
	} else if (k->match[o] == 1 && !differ)
		sbuf_addf(&sb, "; %s matches its record", o == 1 ? "B" : "A");
	else if (k->match[o] == 1)
		sbuf_addf(&sb, "; %s matches its own record, %s %s: rebuilt too",
		    o == 1 ? "B" : "A", k->side[o].algo, k->side[o].recorded);
	else if (k->recorded[o] != NULL) {
		sbuf_addstr(&sb, "; ");
		side_not_checked(&sb, r, k, o);
	}
	return sbuf_detach(&sb);
}
