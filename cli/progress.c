/*
 * progress.c - how far each input has been read, on standard error, one
 * line per input redrawn in place, and cleared before the report.
 *
 * The readers only add to their struct tar_progress (atomics); one more
 * thread wakes every PROGRESS_TICK_MS, loads the counters and draws.  The
 * readers never wait for the display, and a run shorter than
 * PROGRESS_DELAY_MS draws nothing at all.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "tar/tar.h"
#include "util/sbuf.h"
#include "util/util.h"

#define PROGRESS_DELAY_MS	200	/* before the first frame */
#define PROGRESS_TICK_MS	100	/* between frames: 10 a second */
#define PROGRESS_INPUTS_MAX	2

struct cli_progress {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop;			/* under mu */
	size_t n;
	const char *names[PROGRESS_INPUTS_MAX];	/* borrowed */
	struct tar_progress *p[PROGRESS_INPUTS_MAX];	/* borrowed */
	struct timespec start;		/* CLOCK_MONOTONIC */
	double idle[PROGRESS_INPUTS_MAX];	/* seconds from start when
					   input i was last seen unread: its
					   rate counts from there */
	size_t drawn;			/* lines on the terminal: the drawing
					   thread's, then stop's after join */
};

enum cli_progress_mode
cli_progress_option(int c)
{
	return c == 'g' ? CLI_PROGRESS_ON : CLI_PROGRESS_OFF;
}

bool
cli_progress_wanted(enum cli_progress_mode mode)
{
	const char *term = getenv("TERM");

	if (mode != CLI_PROGRESS_AUTO)
		return mode == CLI_PROGRESS_ON;
	return isatty(STDERR_FILENO) && !(term != NULL &&
	    strcmp(term, "dumb") == 0);
}

/* A size as people read it: "812 B", "3.4 KiB", "12.0 MiB". */
static void
add_size(struct sbuf *sb, uint64_t v)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB" };
	double d = (double)v;
	size_t u = 0;

	if (v < 1024) {
		sbuf_addf(sb, "%llu B", (unsigned long long)v);
		return;
	}
	for (d /= 1024; d >= 1024 && u + 1 < sizeof(units) / sizeof(units[0]);
	    d /= 1024)
		u++;
	sbuf_addf(sb, "%.1f %s", d, units[u]);
}

static void
add_duration(struct sbuf *sb, double secs)
{
	unsigned long s = (unsigned long)(secs + 0.5);

	if (s >= 3600)
		sbuf_addf(sb, "%lu:%02lu:%02lu", s / 3600, s / 60 % 60, s % 60);
	else
		sbuf_addf(sb, "%lu:%02lu", s / 60, s % 60);
}

/* @return the columns s takes: its bytes less UTF-8 continuation bytes. */
static size_t
columns(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xC0) != 0x80;
	return n;
}

void
cli_progress_line(struct sbuf *out, const char *name,
    const struct cli_progress_state *st, size_t width)
{
	struct sbuf stats = SBUF_INIT, nm = SBUF_INIT;
	double rate = st->secs > 0 ? (double)st->bytes / st->secs : 0;
	size_t room, skip = 0;

	add_size(&stats, st->bytes);
	if (st->total > 0 && st->bytes <= st->total) {
		sbuf_addstr(&stats, " / ");
		add_size(&stats, st->total);
		sbuf_addf(&stats, " %3u%%",
		    (unsigned)(st->bytes * 100 / st->total));
	}
	if (st->layer > 0 && st->nlayers >= st->layer)
		sbuf_addf(&stats, "  layer %u/%u", st->layer, st->nlayers);
	else if (st->layer > 0)
		sbuf_addf(&stats, "  layer %u", st->layer);
	if (st->done) {
		sbuf_addstr(&stats, "  done");
	} else if (st->bytes == 0) {
		sbuf_addstr(&stats, "  waiting");
	} else {
		sbuf_addstr(&stats, "  ");
		add_size(&stats, (uint64_t)rate);
		sbuf_addstr(&stats, "/s");
		if (st->total > st->bytes && rate > 0) {
			sbuf_addstr(&stats, "  ETA ");
			add_duration(&stats, (double)(st->total - st->bytes) / rate);
		}
	}
	/* The name is the user's argument, but escaped like any other. */
	sbuf_add_escaped(&nm, name, strlen(name));
	(void)sbuf_str(&nm);
	room = width > stats.len + 3 ? width - stats.len - 3 : 0;
	if (columns(nm.buf, nm.len) > room) {
		/* Keep the end of the name, which tells files apart. */
		while (skip < nm.len &&
		    columns(nm.buf + skip, nm.len - skip) + 3 > room)
			skip++;
		while (skip < nm.len && ((unsigned char)nm.buf[skip] & 0xC0) == 0x80)
			skip++;
		if (room >= 3)
			sbuf_addstr(out, "...");
	}
	if (room >= 3 || skip == 0)
		sbuf_add(out, nm.buf + skip, nm.len - skip);
	sbuf_addstr(out, "  ");
	sbuf_add(out, stats.buf, stats.len);
	sbuf_release(&stats);
	sbuf_release(&nm);
}

static double
since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) +
	    (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

static size_t
term_width(void)
{
	struct winsize ws;

	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

/* Move to the first line drawn (the cursor is at the end of the last). */
static void
add_home(struct sbuf *sb, size_t drawn)
{
	sbuf_addc(sb, '\r');
	if (drawn > 1)
		sbuf_addf(sb, "\033[%zuA", drawn - 1);
}

static void
write_all(const struct sbuf *sb)
{
	size_t off = 0;
	ssize_t n;

	while (off < sb->len) {
		n = write(STDERR_FILENO, sb->buf + off, sb->len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		off += (size_t)n;
	}
}

/* One frame, written at once, so no other write lands inside it. */
static void
draw(struct cli_progress *pr)
{
	struct sbuf frame = SBUF_INIT;
	struct cli_progress_state st;
	size_t i, width = term_width();
	double now = since(&pr->start);

	/* A line as wide as the terminal would wrap on some terminals. */
	width = width > 1 ? width - 1 : width;
	add_home(&frame, pr->drawn);
	for (i = 0; i < pr->n; i++) {
		st.bytes = atomic_load_explicit(&pr->p[i]->bytes,
		    memory_order_relaxed);
		st.total = atomic_load_explicit(&pr->p[i]->total,
		    memory_order_relaxed);
		st.layer = atomic_load_explicit(&pr->p[i]->layer,
		    memory_order_relaxed);
		st.nlayers = atomic_load_explicit(&pr->p[i]->nlayers,
		    memory_order_relaxed);
		st.done = atomic_load_explicit(&pr->p[i]->done,
		    memory_order_relaxed);
		if (st.bytes == 0)
			pr->idle[i] = now;
		st.secs = now - pr->idle[i];
		if (i > 0)
			sbuf_addc(&frame, '\n');
		cli_progress_line(&frame, pr->names[i], &st, width);
		sbuf_addstr(&frame, "\033[K");
	}
	write_all(&frame);
	pr->drawn = pr->n;
	sbuf_release(&frame);
}

static void
add_ms(struct timespec *t, long ms)
{
	t->tv_nsec += ms * 1000000L;
	t->tv_sec += t->tv_nsec / 1000000000L;
	t->tv_nsec %= 1000000000L;
}

static void *
ticker(void *arg)
{
	struct cli_progress *pr = arg;
	struct timespec next = pr->start;

	add_ms(&next, PROGRESS_DELAY_MS);
	pthread_mutex_lock(&pr->mu);
	while (!pr->stop) {
		if (pthread_cond_timedwait(&pr->cv, &pr->mu, &next) != ETIMEDOUT)
			continue;
		draw(pr);
		add_ms(&next, PROGRESS_TICK_MS);
	}
	pthread_mutex_unlock(&pr->mu);
	return NULL;
}

struct cli_progress *
cli_progress_start(enum cli_progress_mode mode, size_t n,
    const char *const *names, struct tar_progress *const *p)
{
	struct cli_progress *pr;
	pthread_condattr_t ca;
	size_t i;

	if (n == 0 || n > PROGRESS_INPUTS_MAX || !cli_progress_wanted(mode))
		return NULL;
	pr = xcalloc(1, sizeof(*pr));
	pr->n = n;
	for (i = 0; i < n; i++) {
		pr->names[i] = strcmp(names[i], "-") == 0 ?
		    "(standard input)" : names[i];
		pr->p[i] = p[i];
	}
	pthread_mutex_init(&pr->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&pr->cv, &ca);
	pthread_condattr_destroy(&ca);
	clock_gettime(CLOCK_MONOTONIC, &pr->start);
	if (pthread_create(&pr->th, NULL, ticker, pr) != 0) {
		/* No display is no reason to fail the run. */
		pthread_cond_destroy(&pr->cv);
		pthread_mutex_destroy(&pr->mu);
		free(pr);
		return NULL;
	}
	return pr;
}

void
cli_progress_stop(struct cli_progress *pr)
{
	struct sbuf clear = SBUF_INIT;

	if (pr == NULL)
		return;
	pthread_mutex_lock(&pr->mu);
	pr->stop = true;
	pthread_cond_signal(&pr->cv);
	pthread_mutex_unlock(&pr->mu);
	pthread_join(pr->th, NULL);
	if (pr->drawn > 0) {
		add_home(&clear, pr->drawn);
		sbuf_addstr(&clear, "\033[J");
		write_all(&clear);
		sbuf_release(&clear);
	}
	pthread_cond_destroy(&pr->cv);
	pthread_mutex_destroy(&pr->mu);
	free(pr);
}

int
cli_read(const char *path, const struct tar_opts *o,
    enum cli_progress_mode mode, struct tar_archive **out, struct err *e)
{
	struct tar_opts with = *o;
	struct tar_progress p;
	struct tar_progress *pp = &p;
	struct cli_progress *pr;
	int r;

	memset(&p, 0, sizeof(p));
	if ((pr = cli_progress_start(mode, 1, &path, &pp)) != NULL)
		with.progress = &p;
	r = tar_read(path, &with, out, e);
	cli_progress_stop(pr);
	return r;
}
