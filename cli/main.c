/*
 * main.c - imgdrift: compare two container image builds byte by byte.
 */
#include <getopt.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static const struct cmd commands[] = {
	{ "diff", cmd_diff, "compare two images: verdict, drift classes, evidence" },
	{ "digest", cmd_digest, "print the digests of an image for a release log" },
	{ "inspect", cmd_inspect, "show what an image archive holds, verified" },
	{ "lint", cmd_lint, "find the unpinned inputs in a Dockerfile" },
	{ "record", cmd_record, "write a fingerprint to compare against later" },
	{ "summary", cmd_summary, "one table from many JSON diff reports" },
};

static void
usage(FILE *fp)
{
	size_t i;

	fprintf(fp, "usage: imgdrift [--version] [--help] COMMAND [ARGS]\n\n"
	    "commands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(fp, "   %-9s %s\n", commands[i].name, commands[i].summary);
	fprintf(fp, "\n'imgdrift COMMAND --help' shows a command's options; "
	    "imgdrift(1) has the details.\n");
}

int
main(int argc, char **argv)
{
	size_t i;

	/* Output must not depend on the environment's locale. */
	setlocale(LC_ALL, "C");
	if (argc < 2) {
		usage(stderr);
		return EXIT_TROUBLE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return EXIT_SAME;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("imgdrift %s\n", IMGDRIFT_VERSION);
		return EXIT_SAME;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	cli_error("'%s' is not a command; see 'imgdrift --help'", argv[1]);
	return EXIT_TROUBLE;
}
