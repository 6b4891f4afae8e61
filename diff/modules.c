/*
 * modules.c - the prover of compiled dependencies: two versions of a Go
 * binary, a jar or a cargo-auditable binary, read by pkg_file_read(),
 * say which modules, artifacts or crates moved; for a Go binary whose
 * modules did not, whether the Go version or the build settings did
 * (vcs.time, vcs.modified and -trimpath named as such).  None of these
 * explains the bytes: a moved dependency is other code.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff/causes.h"
#include "diff/diff_int.h"
#include "pkg/pkg.h"

#define MOVED_SHOWN	4	/* in the one-line cause; the detail has all */

static const char *const moved_word[PKG_NECO] = {
	[PKG_GO] = "modules", [PKG_MAVEN] = "artifacts", [PKG_CARGO] = "crates",
};

/* The packages of eco in db, in order, without the Go main module and
   the standard library (said apart). */
static bool
counts(const struct pkg *p, enum pkg_eco eco, const char *main)
{
	return p->eco == eco && (eco != PKG_GO || (strcmp(p->name, "stdlib") != 0 &&
	    (main == NULL || strcmp(p->name, main) != 0)));
}

/* The name of the package that owns the file itself (Go's main module). */
static const char *
owner_name(const struct pkg_db *db, const char *path)
{
	long i = pkg_db_owner(db, path, NULL);

	return i >= 0 ? pkg_db_get(db, (size_t)i)->name : NULL;
}

/*
 * Walk the two sorted sets together; each change goes to the detail, the
 * first MOVED_SHOWN to line too.  @return how many changed.
 */
static size_t
changes(const struct pkg_db *da, const struct pkg_db *db, enum pkg_eco eco,
    const char *main, struct sbuf *line, struct sbuf *detail)
{
	size_t i = 0, j = 0, na = pkg_db_count(da), nb = pkg_db_count(db), n = 0;
	const struct pkg *a, *b;
	int c;

	for (;;) {
		while (i < na && !counts(pkg_db_get(da, i), eco, main))
			i++;
		while (j < nb && !counts(pkg_db_get(db, j), eco, main))
			j++;
		if (i >= na && j >= nb)
			break;
		a = i < na ? pkg_db_get(da, i) : NULL;
		b = j < nb ? pkg_db_get(db, j) : NULL;
		c = i >= na ? 1 : j >= nb ? -1 : strcmp(a->name, b->name);
		if (c == 0 && strcmp(a->version, b->version) == 0) {
			i++, j++;
			continue;
		}
		if (n < MOVED_SHOWN)
			sbuf_addstr(line, n > 0 ? ", " : "");
		if (c == 0) {
			sbuf_addf(detail, "%s %s -> %s\n", a->name, a->version,
			    b->version);
			if (n < MOVED_SHOWN)
				sbuf_addf(line, "%s %s -> %s", a->name, a->version,
				    b->version);
			i++, j++;
		} else if (c < 0) {
			sbuf_addf(detail, "-%s %s\n", a->name, a->version);
			if (n < MOVED_SHOWN)
				sbuf_addf(line, "%s %s removed", a->name, a->version);
			i++;
		} else {
			sbuf_addf(detail, "+%s %s\n", b->name, b->version);
			if (n < MOVED_SHOWN)
				sbuf_addf(line, "%s %s added", b->name, b->version);
			j++;
		}
		n++;
	}
	if (n > MOVED_SHOWN)
		sbuf_addf(line, " (+%zu more)", n - MOVED_SHOWN);
	return n;
}

/* The value of setting key in gi ("" when absent). */
static const char *
setting(const struct pkg_go_info *gi, const char *key, size_t klen)
{
	size_t i;

	for (i = 0; i < gi->nsettings; i++)
		if (strncmp(gi->settings[i], key, klen) == 0 &&
		    gi->settings[i][klen] == '=')
			return gi->settings[i] + klen + 1;
	return NULL;
}

/* Name each build setting that differs: "vcs.time X -> Y". */
static size_t
settings_moved(const struct pkg_go_info *a, const struct pkg_go_info *b,
    struct sbuf *line)
{
	const struct pkg_go_info *side[2] = { a, b };
	const char *va, *vb, *key;
	size_t n = 0, s, i, k;

	for (s = 0; s < 2; s++)
		for (i = 0; i < side[s]->nsettings; i++) {
			key = side[s]->settings[i];
			k = strcspn(key, "=");
			va = setting(a, key, k);
			vb = setting(b, key, k);
			/* once each: from A, or from B when A lacks it */
			if ((s == 1 && va != NULL) || (va != NULL && vb != NULL &&
			    strcmp(va, vb) == 0))
				continue;
			sbuf_addf(line, "%s%.*s %s -> %s", n > 0 ? ", " : "", (int)k,
			    key, va != NULL ? va : "(unset)",
			    vb != NULL ? vb : "(unset)");
			n++;
		}
	return n;
}

/* Go binaries whose modules are the same: the toolchain, the settings,
   or neither.  @return true when either moved. */
static bool
go_same_modules(const uint8_t *a, size_t na, const uint8_t *b, size_t nb,
    struct proof *p)
{
	const uint8_t *ma = memmem(a, na, pkg_go_mark, sizeof(pkg_go_mark));
	const uint8_t *mb = memmem(b, nb, pkg_go_mark, sizeof(pkg_go_mark));
	struct pkg_go_info ga, gb;
	struct sbuf line = SBUF_INIT;
	struct err e = { 0 };
	bool moved = false;

	if (pkg_go_info_parse(ma, na - (size_t)(ma - a), &ga, &e) < 0 ||
	    pkg_go_info_parse(mb, nb - (size_t)(mb - b), &gb, &e) < 0)
		goto out;
	if (strcmp(ga.go, gb.go) != 0) {
		sbuf_addf(&line, "same modules; Go version %s -> %s", ga.go, gb.go);
		moved = true;
	}
	if (settings_moved(&ga, &gb, &line) > 0 || moved) {
		moved = true;
		if (strcmp(ga.go, gb.go) == 0) {
			/* "same modules; settings moved: vcs.time ..." */
			struct sbuf s = SBUF_INIT;

			sbuf_addf(&s, "same modules; build settings moved: %s",
			    sbuf_str(&line));
			sbuf_release(&line);
			line = s;
		}
	}
	if (moved)
		snprintf(p->cause.fields, sizeof(p->cause.fields), "%s",
		    sbuf_str(&line));
 out:
	pkg_go_info_release(&ga);
	pkg_go_info_release(&gb);
	sbuf_release(&line);
	return moved;
}

/* Why eco's packages of the file were not read, NULL when they were. */
static const char *
why(const struct pkg_db *db, enum pkg_eco eco)
{
	return pkg_db_problem(db, eco) != NULL ? pkg_db_problem(db, eco) :
	    pkg_db_note(db, eco, 0);
}

enum diff_modules
diff_modules_prove(const char *path, const uint8_t *a, size_t na,
    const uint8_t *b, size_t nb, struct proof *p)
{
	struct pkg_db *da = pkg_file_read(path, a, na);
	struct pkg_db *db = pkg_file_read(path, b, nb);
	struct sbuf line = SBUF_INIT, detail = SBUF_INIT;
	enum diff_modules r = DIFF_MODULES_NONE;
	enum pkg_eco eco;

	for (eco = PKG_GO; eco <= PKG_CARGO; eco++)
		if (pkg_db_present(da, eco) || pkg_db_present(db, eco))
			break;
	if (eco > PKG_CARGO)
		goto out;
	/* What could not be read is said, and the bytes stay unexplained. */
	if (why(da, eco) != NULL || why(db, eco) != NULL) {
		snprintf(p->cause.fields, sizeof(p->cause.fields), "%s not read: %s "
		    "(%s)", moved_word[eco], why(db, eco) != NULL ? why(db, eco) :
		    why(da, eco), why(db, eco) != NULL ? "B" : "A");
		r = DIFF_MODULES_SAID;
		goto said;
	}
	if (!pkg_db_present(da, eco) || !pkg_db_present(db, eco))
		goto out;
	sbuf_addf(&line, "%s moved: ", moved_word[eco]);
	if (changes(da, db, eco, eco == PKG_GO ? owner_name(da, path) : NULL,
	    &line, &detail) > 0) {
		snprintf(p->cause.fields, sizeof(p->cause.fields), "%s",
		    sbuf_str(&line));
		p->detail = sbuf_detach(&detail);
		r = DIFF_MODULES_SAID;
	} else if (eco == PKG_GO && go_same_modules(a, na, b, nb, p))
		r = DIFF_MODULES_SAID;
	else {
		snprintf(p->cause.fields, sizeof(p->cause.fields), "same %s%s",
		    moved_word[eco], eco == PKG_GO ? " and settings: the code or "
		    "the build path differs" : "");
		r = DIFF_MODULES_SAME;
	}
 said:
	p->cause.id = DIFF_CAUSE_NONE;
	p->holds = false;
 out:
	sbuf_release(&line);
	sbuf_release(&detail);
	pkg_db_free(da);
	pkg_db_free(db);
	return r;
}
