/*
 * util.c - what every subcommand shares: error lines and output files.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

void
cli_error(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("imgdrift: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int
cli_fail(const struct err *e)
{
	cli_error("%s", e->msg[0] != '\0' ? e->msg : err_name(e->code));
	return EXIT_TROUBLE;
}

int
cli_usage(const char *u)
{
	fprintf(stderr, "usage: %s\n", u);
	return EXIT_TROUBLE;
}

FILE *
cli_open_output(const char *path)
{
	FILE *fp;

	if (path == NULL || strcmp(path, "-") == 0)
		return stdout;
	if ((fp = fopen(path, "w")) == NULL)
		cli_error("cannot open '%s': %s", path, strerror(errno));
	return fp;
}

int
cli_close_output(FILE *fp, const char *path)
{
	int bad = ferror(fp);

	if (fp == stdout)
		bad |= fflush(fp);
	else
		bad |= fclose(fp);
	if (bad) {
		cli_error("cannot write '%s': %s", path ? path : "standard output",
		    strerror(errno));
		return EXIT_TROUBLE;
	}
	return 0;
}
