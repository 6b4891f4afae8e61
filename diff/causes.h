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

struct proof {
	char cause[256];	/* "pyc-mtime (bytes 8-11)", "" when none */
	bool holds;		/* the cause accounts for every differing byte */
	bool ordering;		/* the same lines in another order */
	char *detail;		/* a text diff, a hex context, changed packages */
};

/* @return the fix hint for a proven cause, or NULL. */
const char *cause_hint(const char *cause);

/* Known-volatile paths: @return the rule name, or NULL. */
const char *cause_volatile_rule(const char *path);
/* @return the fix hint of a volatile rule. */
const char *cause_volatile_hint(const char *rule);

/*
 * Explain the difference between a and b, both complete (not truncated),
 * found at path.  Fills p (free p->detail).
 */
void cause_prove(const char *path, const uint8_t *a, size_t na,
    const uint8_t *b, size_t nb, struct proof *p);

/* Append a bounded unified diff (text) or a hex context (binary). */
char *cause_show(const uint8_t *a, size_t na, const uint8_t *b, size_t nb,
    size_t first);

#endif
