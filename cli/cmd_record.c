/*
 * cmd_record.c - imgdrift record [--platform P] -o FILE IMAGE
 *
 * Read the image with SHA-256 entry hashes and write its fingerprint
 * (docs/fingerprint.md).  The file appears complete or not at all: it is
 * written beside FILE and renamed into place (util_outfile_open()).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "diff/diff.h"
#include "tar/tar.h"
#include "util/sbuf.h"

const struct cli_opt cli_record_opts[] = {
	CLI_OPT_HELP,
	CLI_OPT_JOBS,
	CLI_OPT_MAX_INPUT,
	CLI_OPT_NO_PROGRESS,
	CLI_OPT_OUTPUT,
	CLI_OPT_PLATFORM,
	CLI_OPT_PROGRESS,
	CLI_OPTS_REGISTRY,
	{ .name = NULL }
};

/* Write the fingerprint of ar, with the package lists dbs, to path ("-":
   standard output); a file appears whole or not at all. */
static int
write_fingerprint(const struct tar_archive *ar, struct pkg_db *const *dbs,
    const char *path)
{
	struct err e = { 0, "" };
	struct util_outfile f;

	if (cli_output_open(&f, path) != 0)
		return EXIT_TROUBLE;
	if (tar_record(ar, dbs, f.fp, "imgdrift " IMGDRIFT_VERSION, &e) < 0) {
		(void)util_outfile_close(&f, false, NULL);
		if (strcmp(path, "-") == 0)
			return cli_fail(&e);
		cli_error("%s: %s", path, e.msg);
		return EXIT_TROUBLE;
	}
	return cli_output_close(&f, 0);
}

int
cmd_record(int argc, char **argv)
{
	struct reg_opts rgo = { .creds = NULL };
	struct tar_opts to = { .sha256_entries = true, .reg = &rgo };
	bool verbose = false;
	struct tar_archive *ar = NULL;
	struct err e = { 0, "" };
	struct pkg_db **dbs;
	const char *out = NULL;
	enum cli_progress_mode pm = CLI_PROGRESS_AUTO;
	int c, rc;

	optind = 1;
	while ((c = cli_getopt(argc, argv, cli_record_opts)) != -1) {
		switch (c) {
		case 'h':
			return cli_cmd_help("record");
		case 'j':
			if (cli_jobs("record", optarg, &to.jobs) < 0)
				return EXIT_TROUBLE;
			break;
		case 'I':
			if (cli_max_input("record", optarg, &to.max_input) < 0)
				return EXIT_TROUBLE;
			break;
		case 'o':
			out = optarg;
			break;
		case 'g':
		case 'n':
			pm = cli_progress_option(c);
			break;
		case 'p':
			to.platform = optarg;
			break;
		default:
			if ((rc = cli_reg_option("record", c, optarg, &rgo, &verbose)) < 0)
				return EXIT_TROUBLE;
			if (rc > 0)
				return cli_cmd_usage("record");
			break;
		}
	}
	if (argc - optind != 1 || out == NULL)
		return cli_cmd_usage("record");
	if (cli_read(argv[optind], &to, pm, &ar, &e) < 0)
		return cli_fail(&e);
	if (verbose)
		cli_reg_note(argv[optind], ar);
	dbs = diff_archive_packages(ar);
	rc = write_fingerprint(ar, dbs, out);
	if (rc != EXIT_TROUBLE)
		cli_cache_warn(&ar, 1);
	diff_archive_packages_free(dbs, tar_nimages(ar));
	tar_free(ar);
	return rc;
}
