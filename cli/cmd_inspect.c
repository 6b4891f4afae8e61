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

static const char usage_line[] =
    "imgdrift inspect [--format text|json] [--full] [--packages]\n"
    "                        [--platform OS/ARCH[/VARIANT]] [--max-input SIZE] [-o FILE]\n"
    "                        " CLI_REG_USAGE " IMAGE";

/* The packages of every image of ar, written to fp. */
static int
write_packages(FILE *fp, const char *name, const struct tar_archive *ar,
    enum report_format fmt)
{
	size_t i, n = tar_nimages(ar);
	struct pkg_db **dbs = xcalloc(n + 1, sizeof(*dbs));
	int rc;

	for (i = 0; i < n; i++)
		dbs[i] = diff_image_packages(tar_image(ar, i));
	rc = report_packages(fp, name, ar, dbs, fmt);
	for (i = 0; i < n; i++)
		pkg_db_free(dbs[i]);
	free(dbs);
	return rc;
}

int
cmd_inspect(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format",	required_argument,	NULL, 'f' },
		{ "full",	no_argument,		NULL, 'F' },
		{ "help",	no_argument,		NULL, 'h' },
		{ "max-input",	required_argument,	NULL, 'I' },
		{ "output",	required_argument,	NULL, 'o' },
		{ "packages",	no_argument,		NULL, 'P' },
		{ "platform",	required_argument,	NULL, 'p' },
		CLI_REG_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct reg_opts ro = { .creds = NULL };
	struct tar_opts to = { .reg = &ro };
	struct tar_archive *ar = NULL;
	enum report_format fmt = REPORT_TEXT;
	struct err e = { 0, "" };
	const char *out = NULL;
	bool full = false, packages = false, verbose = false;
	FILE *fp;
	int c, rc;

	optind = 1;
	while ((c = cli_getopt(argc, argv, "f:ho:", longopts)) != -1) {
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
			printf("usage: %s\n", usage_line);
			return EXIT_SAME;
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
		case 'p':
			to.platform = optarg;
			break;
		default:
			if ((rc = cli_reg_option("inspect", c, optarg, &ro, &verbose)) < 0)
				return EXIT_TROUBLE;
			if (rc > 0)
				return cli_usage(usage_line);
			break;
		}
	}
	if (argc - optind != 1)
		return cli_usage(usage_line);
	if (tar_read(argv[optind], &to, &ar, &e) < 0)
		return cli_fail(&e);
	if (verbose)
		cli_reg_note(argv[optind], ar);
	if ((fp = cli_open_output(out)) == NULL) {
		tar_free(ar);
		return EXIT_TROUBLE;
	}
	if (packages)
		write_packages(fp, argv[optind], ar, fmt);
	else
		report_inspect(fp, argv[optind], ar, fmt, full);
	rc = cli_close_output(fp, out);
	tar_free(ar);
	return rc;
}
