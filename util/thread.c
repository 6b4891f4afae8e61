/*
 * thread.c - run two jobs at once, or many jobs on a bounded pool.
 */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "util/util.h"

#define THREADS_MAX	256

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

unsigned
util_ncpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > THREADS_MAX ? THREADS_MAX : (unsigned)n;
}

struct pool {
	pthread_mutex_t mu;
	size_t next, n, started;
	bool stop;
	bool (*fn)(void *ctx, size_t i);
	void *ctx;
};

/* Take jobs in order until there are none or one asked to stop. */
static void *
pool_worker(void *arg)
{
	struct pool *p = arg;
	size_t i;

	for (;;) {
		pthread_mutex_lock(&p->mu);
		if (p->stop || p->next == p->n) {
			pthread_mutex_unlock(&p->mu);
			return NULL;
		}
		i = p->next++;
		p->started++;
		pthread_mutex_unlock(&p->mu);
		if (!p->fn(p->ctx, i)) {
			pthread_mutex_lock(&p->mu);
			p->stop = true;
			pthread_mutex_unlock(&p->mu);
		}
	}
}

size_t
util_run_jobs(unsigned nthreads, size_t n, bool (*fn)(void *ctx, size_t i),
    void *ctx)
{
	struct pool p = { PTHREAD_MUTEX_INITIALIZER, 0, n, 0, false, fn, ctx };
	pthread_t th[THREADS_MAX];
	unsigned i, started = 0;

	if (nthreads > THREADS_MAX)
		nthreads = THREADS_MAX;
	if ((size_t)nthreads > n)
		nthreads = (unsigned)n;
	/* The caller's thread is one of them; a thread that cannot be
	   started leaves its share to the others. */
	for (i = 1; i < nthreads; i++)
		if (pthread_create(&th[started], NULL, pool_worker, &p) == 0)
			started++;
	pool_worker(&p);
	for (i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	pthread_mutex_destroy(&p.mu);
	return p.started;
}
