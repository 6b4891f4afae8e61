/*
 * names.c - an index from names to numbers (stage names, ARG names) in a
 * balanced tree (tsearch()), so that a Dockerfile with many stages or ARGs
 * costs n log n, never n squared, whatever names it chooses.
 */
#include <search.h>
#include <stdlib.h>
#include <string.h>

#include "lint/lint_int.h"

struct name_node {
	size_t val;
	size_t len;
	char name[];		/* len bytes, folded to lowercase if asked */
};

static int
node_cmp(const void *a, const void *b)
{
	const struct name_node *x = a, *y = b;
	int c = memcmp(x->name, y->name, x->len < y->len ? x->len : y->len);

	if (c != 0)
		return c;
	return x->len < y->len ? -1 : x->len > y->len;
}

/* @return a node holding name (folded if t says so); caller frees. */
static struct name_node *
node_new(const struct lint_names *t, const char *name, size_t len, size_t val)
{
	struct name_node *n = xmalloc(sizeof(*n) + len + 1);
	size_t i;

	n->val = val;
	n->len = len;
	for (i = 0; i < len; i++)
		n->name[i] = t->fold && name[i] >= 'A' && name[i] <= 'Z' ?
		    (char)(name[i] - 'A' + 'a') : name[i];
	n->name[len] = '\0';
	return n;
}

void
lint_names_put(struct lint_names *t, const char *name, size_t len, size_t val)
{
	struct name_node *n = node_new(t, name, len, val), **slot;

	if ((slot = tsearch(n, &t->root, node_cmp)) == NULL)
		xalloc_die();
	if (*slot != n) {
		(*slot)->val = val;
		free(n);
	}
}

bool
lint_names_get(const struct lint_names *t, const char *name, size_t len,
    size_t *val)
{
	struct name_node *key = node_new(t, name, len, 0), **slot;

	slot = tfind(key, &t->root, node_cmp);
	free(key);
	if (slot == NULL)
		return false;
	*val = (*slot)->val;
	return true;
}

void
lint_names_release(struct lint_names *t)
{
	tdestroy(t->root, free);
	t->root = NULL;
}
