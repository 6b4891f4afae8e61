/*
 * cmd_digest.c - imgdrift digest [--append LOG] [--release NAME]
 *                [--platform P] [--verify-layers] IMAGE
 *
 * Print one JSON line per image and platform for a release log, and with
 * --append add them to LOG.  Two jobs may append to one log at once: the
 * lines of one run go out in a single write() on an O_APPEND descriptor,
 * which the kernel neither splits nor interleaves with another append to
 * a local file.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "report/report.h"
#include "tar/tar.h"
#include "util/sbuf.h"

const struct cli_opt cli_digest_opts[] = {
	{ .name = "append", .val = 'a', .arg = "LOG",
	  .complete = CLI_COMPLETE_FILE,
	  .help = "also append the lines to the release log LOG (once a release)" },
	CLI_OPT_HELP,
	CLI_OPT_JOBS,
	CLI_OPT_MAX_INPUT,
	CLI_OPT_NO_PROGRESS,
	CLI_OPT_PLATFORM,
	CLI_OPT_PROGRESS,
	{ .name = "release", .val = 'r', .arg = "NAME",
	  .help = "name the release on each line" },
	{ .name = "verify-layers", .val = 'V',
	  .help = "of a docker:// image, also fetch every layer and check it" },
	CLI_OPTS_REGISTRY,
	{ .name = NULL }
};

/* @return 0, or EXIT_TROUBLE after printing. */
static int
append(const char *log, const struct sbuf *lines)
{
	ssize_t n;
	int fd;

	if ((fd = open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644)) < 0) {
		cli_error("cannot open '%s': %s", log, strerror(errno));
		return EXIT_TROUBLE;
	}
	/* One write: retried only when nothing was written. */
	do
		n = write(fd, lines->buf, lines->len);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)lines->len) {
		cli_error("cannot append to '%s': %s", log, n < 0 ? strerror(errno) :
		    "short write");
		close(fd);
		return EXIT_TROUBLE;
	}
	if (close(fd) < 0) {
		cli_error("cannot append to '%s': %s", log, strerror(errno));
		return EXIT_TROUBLE;
	}
	return 0;
}

int
cmd_digest(int argc, char **argv)
{
	struct reg_opts rgo = { .creds = NULL };
	struct tar_opts to = { .reg = &rgo };
	bool verbose = false;
	struct report_digest_opts ro = { NULL, NULL, IMGDRIFT_VERSION };
	struct tar_archive *ar = NULL;
	struct sbuf lines = SBUF_INIT;
	struct err e = { 0, "" };
	const char *log = NULL;
	enum cli_progress_mode pm = CLI_PROGRESS_AUTO;
	bool verify = false;
	int c, rc = EXIT_TROUBLE;

	optind = 1;
	while ((c = cli_getopt(argc, argv, cli_digest_opts)) != -1) {
		switch (c) {
		case 'a':
			log = optarg;
			break;
		case 'h':
			return cli_cmd_help("digest");
		case 'j':
			if (cli_jobs("digest", optarg, &to.jobs) < 0)
				return EXIT_TROUBLE;
			break;
		case 'I':
			if (cli_max_input("digest", optarg, &to.max_input) < 0)
				return EXIT_TROUBLE;
			break;
		case 'g':
		case 'n':
			pm = cli_progress_option(c);
			break;
		case 'p':
			to.platform = optarg;
			break;
		case 'r':
			if (optarg[0] == '\0') {
				cli_error("digest: --release needs a name");
				return EXIT_TROUBLE;
			}
			ro.release = optarg;
			break;
		case 'V':
			verify = true;
			break;
		default:
			if ((rc = cli_reg_option("digest", c, optarg, &rgo, &verbose)) < 0)
				return EXIT_TROUBLE;
			if (rc > 0)
				return cli_cmd_usage("digest");
			break;
		}
	}
	if (argc - optind != 1)
		return cli_cmd_usage("digest");
	ro.name = argv[optind];
	/* Every line comes from the manifests and configs: an image in a
	   registry is read without its layers, unless they are to be checked. */
	to.defer_layers = !verify;
	if (cli_read(ro.name, &to, pm, &ar, &e) < 0)
		return cli_fail(&e);
	if (verbose)
		cli_reg_note(ro.name, ar);
	report_digest_lines(&lines, &ro, ar);
	if (log != NULL && append(log, &lines) != 0)
		goto out;
	fputs(sbuf_str(&lines), stdout);
	rc = cli_close_output(stdout, NULL);
	if (rc != EXIT_TROUBLE)
		cli_cache_warn(&ar, 1);
 out:
	sbuf_release(&lines);
	tar_free(ar);
	return rc;
}
