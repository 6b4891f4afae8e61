/*
 * main.c - imgdrift: compare two container image builds byte by byte.
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static void
usage(FILE *fp)
{
	const struct cmd *cmds;
	size_t i, n;

	cmds = cli_commands(&n);
	fprintf(fp, "usage: imgdrift [--version] [--help] COMMAND [ARGS]\n\n"
	    "commands:\n");
	for (i = 0; i < n; i++)
		fprintf(fp, "   %-10s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(fp, "\n'imgdrift COMMAND --help' shows a command's options; "
	    "imgdrift(1) has the details.\n");
}

int
main(int argc, char **argv)
{
	const struct cmd *c;

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
	if ((c = cli_command(argv[1])) != NULL)
		return c->fn(argc - 1, argv + 1);
	cli_error("'%s' is not a command; see 'imgdrift --help'", argv[1]);
	return EXIT_TROUBLE;
}
