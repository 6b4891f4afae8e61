/*
 * arena.c - strings carved out of chunks, freed together.
 */
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/sbuf.h"

#define ARENA_CHUNK	(64u << 10)

struct arena_chunk {
	struct arena_chunk *next;
	size_t size;		/* bytes of data */
	char data[];
};

static struct arena_chunk *
chunk_new(size_t size, struct arena_chunk *next)
{
	struct arena_chunk *c = xmalloc(sizeof(*c) + size);

	c->next = next;
	c->size = size;
	return c;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	struct arena_chunk *c;
	char *p;

	if (n + 1 > ARENA_CHUNK / 4) {
		/* A long string gets a chunk of its own, behind the one
		   being filled, whose room stays usable. */
		c = chunk_new(n + 1, NULL);
		if (a->head != NULL) {
			c->next = a->head->next;
			a->head->next = c;
		} else {
			a->head = c;
			a->used = n + 1;
		}
		p = c->data;
	} else {
		if (a->head == NULL || a->head->size - a->used < n + 1) {
			a->head = chunk_new(ARENA_CHUNK, a->head);
			a->used = 0;
		}
		p = a->head->data + a->used;
		a->used += n + 1;
	}
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void
arena_release(struct arena *a)
{
	struct arena_chunk *c, *next;

	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	a->head = NULL;
	a->used = 0;
}
