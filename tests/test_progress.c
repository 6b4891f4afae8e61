/*
 * test_progress.c - the progress line (cli/progress.c) and the counters a
 * read keeps for it (tar/wrapper.c).
 */
#include <criterion/criterion.h>
#include <stdatomic.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "tar/tar.h"
#include "util/sbuf.h"

static char *
line(const char *name, struct cli_progress_state st, size_t width)
{
	struct sbuf sb = SBUF_INIT;

	cli_progress_line(&sb, name, &st, width);
	return sbuf_detach(&sb);
}

Test(progress, known_total_gives_percent_layers_rate_and_eta)
{
	struct cli_progress_state st = { 12u << 20, 40u << 20, 2, 5, false, 2.0 };
	char *l = line("b.tar", st, 200);

	/* 6 MiB/s, 28 MiB left: 4.7 s, shown as 0:05. */
	cr_assert_str_eq(l, "b.tar  12.0 MiB / 40.0 MiB  30%  layer 2/5  "
	    "6.0 MiB/s  ETA 0:05");
	free(l);
}

Test(progress, a_stream_has_no_total_and_layers_may_be_unlisted)
{
	struct cli_progress_state st = { 1536, 0, 3, 2, false, 1.0 };
	char *l = line("-", st, 200);

	/* Three layers started, two listed so far: the count alone. */
	cr_assert_str_eq(l, "-  1.5 KiB  layer 3  1.5 KiB/s");
	free(l);
}

Test(progress, waiting_and_done)
{
	struct cli_progress_state st = { 0, 100, 0, 0, false, 1.0 };
	char *l = line("a", st, 200);

	cr_assert_str_eq(l, "a  0 B / 100 B   0%  waiting");
	free(l);
	st.bytes = 100;
	st.done = true;
	l = line("a", st, 200);
	cr_assert_str_eq(l, "a  100 B / 100 B 100%  done");
	free(l);
}

Test(progress, the_name_is_escaped)
{
	struct cli_progress_state st = { 5, 0, 0, 0, true, 1.0 };
	char *l = line("x\033[2Jy\n", st, 200);
	const char *p;

	for (p = l; *p != '\0'; p++)
		cr_assert((unsigned char)*p >= 0x20 && *p != 0x7f,
		    "control byte 0x%02x in '%s'", (unsigned char)*p, l);
	cr_assert(strstr(l, "5 B  done") != NULL, "%s", l);
	free(l);
}

Test(progress, a_long_name_keeps_its_end_within_the_width)
{
	struct cli_progress_state st = { 5, 0, 0, 0, true, 1.0 };
	char *l = line("/a/very/long/directory/name/of/builds/release-1.4.0-b.tar",
	    st, 40);

	cr_assert_leq(strlen(l), 40);
	cr_assert(strncmp(l, "...", 3) == 0, "%s", l);
	cr_assert(strstr(l, "release-1.4.0-b.tar  5 B  done") != NULL, "%s", l);
	free(l);
}

Test(progress, forced_on_and_off)
{
	cr_assert(cli_progress_wanted(CLI_PROGRESS_ON));
	cr_assert(!cli_progress_wanted(CLI_PROGRESS_OFF));
	/* Criterion's workers write standard error to a pipe. */
	cr_assert(!cli_progress_wanted(CLI_PROGRESS_AUTO));
	cr_assert_null(cli_progress_start(CLI_PROGRESS_OFF, 1,
	    (const char *[]){ "a" }, NULL));
}

Test(progress, a_read_counts_its_bytes_and_layers)
{
	static const char path[] = "corpus/real/content-a.tar";
	struct tar_progress p;
	struct tar_opts o = { 0 };
	struct tar_archive *ar = NULL;
	struct err e = { 0, "" };
	struct stat st;

	memset(&p, 0, sizeof(p));
	o.progress = &p;
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(tar_read(path, &o, &ar, &e), 0, "%s", e.msg);
	cr_assert_eq(atomic_load(&p.bytes), (uint64_t)st.st_size);
	cr_assert_eq(atomic_load(&p.total), (uint64_t)st.st_size);
	/* An OCI archive of two layers: the manifest lists both. */
	cr_assert_eq(tar_image(ar, 0)->nlayers, 2);
	cr_assert_eq(atomic_load(&p.layer), 2);
	cr_assert_eq(atomic_load(&p.nlayers), 2);
	cr_assert(atomic_load(&p.done));
	tar_free(ar);
}

Test(progress, a_failed_read_is_done_too)
{
	struct tar_progress p;
	struct tar_opts o = { 0 };
	struct tar_archive *ar = NULL;
	struct err e = { 0, "" };

	memset(&p, 0, sizeof(p));
	o.progress = &p;
	cr_assert_lt(tar_read("corpus/real/no-such.tar", &o, &ar, &e), 0);
	cr_assert(atomic_load(&p.done));
	cr_assert_eq(atomic_load(&p.bytes), 0);
}

Test(progress, started_and_stopped_around_a_read)
{
	static const char path[] = "corpus/real/content-b.tar";
	struct tar_progress p;
	struct tar_progress *pp = &p;
	struct tar_opts o = { 0 };
	struct tar_archive *ar = NULL;
	struct err e = { 0, "" };
	struct cli_progress *pr;

	memset(&p, 0, sizeof(p));
	o.progress = &p;
	pr = cli_progress_start(CLI_PROGRESS_ON, 1, (const char *[]){ path },
	    &pp);
	cr_assert_not_null(pr);
	cr_assert_eq(tar_read(path, &o, &ar, &e), 0, "%s", e.msg);
	cli_progress_stop(pr);
	cr_assert(atomic_load(&p.done));
	tar_free(ar);
}
