/*
 * arena.h - strings that live and die together (the paths of one layer's
 * entries): carved out of 64 KiB chunks, one malloc() for hundreds of
 * them and no header each, all freed at once.
 */
#ifndef IMGDRIFT_ARENA_H
#define IMGDRIFT_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head;	/* the chunk being filled, then the
					   full ones */
	size_t used;			/* bytes of head handed out */
};

#define ARENA_INIT { NULL, 0 }

/*
 * @return a NUL-terminated copy of s[0..n) (s need not be terminated),
 * owned by a: valid until arena_release(a), never NULL.
 */
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* Free every string of a; a is left empty, ready for use. */
void arena_release(struct arena *a);

#endif
