/*
 * cmd_inspect.c - imgdrift inspect [--format text|json] [--full]
 *                 [--packages] [--platform P] [-o FILE] IMAGE
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "diff/diff.h"
#include "report/report.h"
#include "tar/tar.h"
#include "util/sbuf.h"

const struct cli_opt cli_inspect_opts[] = {
	{ .name = "format", .shortc = 'f', .val = 'f', .choices = "text json",
	  .help = "the report's format (default text)" },
	{ .name = "full", .val = 'F',
	  .help = "list every entry of every layer" },
	CLI_OPT_HELP,
	CLI_OPT_JOBS,
	CLI_OPT_MAX_INPUT,
	CLI_OPT_NO_PROGRESS,
	CLI_OPT_OUTPUT,
	{ .name = "packages", .val = 'P',
	  .help = "list the installed OS packages the image's databases record" },
	CLI_OPT_PLATFORM,
	CLI_OPT_PROGRESS,
	CLI_OPTS_REGISTRY,
	{ .name = NULL }
};

/* The packages of every image of ar, written to fp. */
static int
write_packages(FILE *fp, const char *name, const struct tar_archive *ar,
    enum report_format fmt)
{
	struct pkg_db **dbs = diff_archive_packages(ar);
	int rc;

	rc = report_packages(fp, name, ar, dbs, fmt);
	diff_archive_packages_free(dbs, tar_nimages(ar));
	return rc;
}

int
cmd_inspect(int argc, char **argv)
{
	struct reg_opts ro = { .creds = NULL };
	struct tar_opts to = { .reg = &ro };
	struct tar_archive *ar = NULL;
	enum report_format fmt = REPORT_TEXT;
	struct err e = { 0, "" };
	const char *out = NULL;
	bool full = false, packages = false, verbose = false;
	struct util_outfile f;
	enum cli_progress_mode pm = CLI_PROGRESS_AUTO;
	int c, rc;

	optind = 1;
	while ((c = cli_getopt(argc, argv, cli_inspect_opts)) != -1) {
		switch (c) {
		case 'f':
			if (report_parse_format(optarg, &fmt) < 0 ||
			    (fmt != REPORT_TEXT && fmt != REPORT_JSON)) {
				cli_error("inspect: unknown format '%s' (text, json)", optarg);
				return EXIT_TROUBLE;
			}
			break;
		case 'F':
			full = true;
			break;
		case 'h':
			return cli_cmd_help("inspect");
		case 'j':
			if (cli_jobs("inspect", optarg, &to.jobs) < 0)
				return EXIT_TROUBLE;
			break;
		case 'I':
			if (cli_max_input("inspect", optarg, &to.max_input) < 0)
				return EXIT_TROUBLE;
			break;
		case 'o':
			out = optarg;
			break;
		case 'P':
			packages = true;
			break;
		case 'g':
		case 'n':
			pm = cli_progress_option(c);
			break;
		case 'p':
			to.platform = optarg;
			break;
		default:
			if ((rc = cli_reg_option("inspect", c, optarg, &ro, &verbose)) < 0)
				return EXIT_TROUBLE;
			if (rc > 0)
				return cli_cmd_usage("inspect");
			break;
		}
	}
	if (argc - optind != 1)
		return cli_cmd_usage("inspect");
	if (cli_read(argv[optind], &to, pm, &ar, &e) < 0)
		return cli_fail(&e);
	if (verbose)
		cli_reg_note(argv[optind], ar);
	/* -o FILE appears whole or not at all */
	if (cli_output_open(&f, out) != 0) {
		tar_free(ar);
		return EXIT_TROUBLE;
	}
	if (packages)
		rc = write_packages(f.fp, argv[optind], ar, fmt);
	else
		rc = report_inspect(f.fp, argv[optind], ar, fmt, full);
	rc = cli_output_close(&f, rc);
	if (rc != EXIT_TROUBLE)
		cli_cache_warn(&ar, 1);
	tar_free(ar);
	return rc;
}
