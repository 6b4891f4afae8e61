/*
 * causes.h - prove why two versions of a file differ, from their bytes.
 *
 * A prover masks exactly the fields its cause names and shows that the rest
 * is identical.  A cause holds only when it accounts for every differing
 * byte.  Private to diff/.
 */
#ifndef IMGDRIFT_CAUSES_H
#define IMGDRIFT_CAUSES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diff/diff.h"

struct proof {
	struct diff_cause cause;	/* diff_cause_text() renders it */
	bool holds;		/* the cause accounts for every differing byte */
	bool ordering;		/* the same lines in another order */
	char *detail;		/* a text diff, a hex context, changed packages */
	size_t from;		/* no cause holds, but the prover accounts for
				   every differing byte before from - 1 (0:
				   it does not say) */
};

/* Known-volatile paths: @return the index of the rule path follows (the
   rule of a diff_cause), or DIFF_NVOLATILE when none. */
size_t diff_cause_volatile_rule(const char *path);
/* @return rule k in words for n files ("ldconfig cache", "logs"), or NULL
   past the last rule. */
const char *diff_cause_volatile_words(size_t k, size_t n);

/*
 * The known-volatile rules that need only a path (all but logs, which must
 * show that only dates moved), for a file whose bytes were not read: a
 * fingerprint, standard input, a file over a second-look limit.
 * @return true with p filled (the cause holds: a volatile file counts as
 * explained only with --volatile ignore), false when no such rule matches.
 */
bool diff_cause_prove_path(const char *path, struct proof *p);

/*
 * Explain the difference between a and b, both complete (not truncated),
 * found at path.  Fills p (free p->detail).
 */
void diff_cause_prove(const char *path, const uint8_t *a, size_t na,
    const uint8_t *b, size_t nb, struct proof *p);

/*
 * Show how a and b differ (malloc'd, lines cut at SHOW_WIDTH bytes with a
 * mark): for text whose lines differ only in date and time tokens, one line
 * that says so with an example; for other text a bounded unified diff; for
 * binaries a hex context marking byte first, with before bytes ahead of it
 * (0 when a cause explains the bytes before first).
 */
char *diff_cause_show(const uint8_t *a, size_t na, const uint8_t *b, size_t nb,
    size_t first, size_t before);

/*
 * The members of two archives (zip/jar/wheel, tar plain or compressed, ar,
 * .deb) that differ, a line each: name, sizes, hashes, the first differing
 * byte and the member's own cause; a member that is an archive in turn,
 * two levels deep (diff/members.c).  @return the lines (malloc'd), or NULL
 * when a or b is not such an archive.
 */
char *diff_members_show(const uint8_t *a, size_t na, const uint8_t *b,
    size_t nb);

/* What diff_modules_prove() found. */
enum diff_modules {
	DIFF_MODULES_NONE,	/* no compiled dependencies read on both sides */
	DIFF_MODULES_SAID,	/* modules, Go version or build settings moved,
				   or were not read: p says which */
	DIFF_MODULES_SAME,	/* the same: p says so, other provers may do
				   better */
};

/*
 * The compiled dependencies of two versions of a file (a Go binary, a jar,
 * a cargo-auditable binary; diff/modules.c): which moved ("modules moved:
 * golang.org/x/net v0.17.0 -> v0.19.0"), with every change in p->detail,
 * or why they were not read.
 * Never a cause that holds.  @return what it found.
 */
enum diff_modules diff_modules_prove(const char *path, const uint8_t *a,
    size_t na, const uint8_t *b, size_t nb, struct proof *p);

#endif
