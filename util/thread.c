/*
 * thread.c - run two jobs at once.
 */
#include <pthread.h>

#include "util/util.h"

void
util_run_both(void *(*fn)(void *), void *a, void *b)
{
	pthread_t th;

	if (pthread_create(&th, NULL, fn, b) != 0) {
		fn(a);
		fn(b);
		return;
	}
	fn(a);
	pthread_join(th, NULL);
}
