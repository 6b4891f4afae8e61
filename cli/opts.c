/*
 * opts.c - a subcommand's options as one table (struct cli_opt): the
 * parser's getopt_long() table and short options, --help's lines and the
 * shell completions are all made from it, so they cannot disagree.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/sbuf.h"
#include "util/util.h"

#define OPTS_MAX	48	/* options of one subcommand */
#define HELP_COLUMN	30	/* where --help's descriptions start */

/* The parser's tables for opts.  Parsing is single-threaded, and
   getopt_long() keeps its own state in globals anyway. */
static struct option longopts[OPTS_MAX + 1];
static char shortopts[2 * OPTS_MAX + 2];

size_t
cli_opt_count(const struct cli_opt *opts)
{
	size_t n = 0;

	while (opts[n].name != NULL)
		n++;
	return n;
}

bool
cli_opt_takes_arg(const struct cli_opt *o)
{
	return o->arg != NULL || o->choices != NULL || o->choices_fn != NULL;
}

char *
cli_opt_choices(const struct cli_opt *o, const char *sep)
{
	struct sbuf sb = SBUF_INIT;
	char *names, *tok, *save = NULL;

	if (o->choices_fn != NULL)
		names = o->choices_fn();
	else if (o->choices != NULL)
		names = xstrdup(o->choices);
	else
		return NULL;
	for (tok = strtok_r(names, " ", &save); tok != NULL;
	    tok = strtok_r(NULL, " ", &save)) {
		if (sb.len > 0)
			sbuf_addstr(&sb, sep);
		sbuf_addstr(&sb, tok);
	}
	free(names);
	(void)sbuf_str(&sb);
	return sbuf_detach(&sb);
}

static void
build_tables(const struct cli_opt *opts)
{
	size_t i, n = cli_opt_count(opts), k = 0;

	if (n > OPTS_MAX)
		abort();	/* a table too long is a bug in this program */
	for (i = 0; i < n; i++) {
		longopts[i].name = opts[i].name;
		longopts[i].has_arg = cli_opt_takes_arg(&opts[i]) ?
		    required_argument : no_argument;
		longopts[i].flag = NULL;
		longopts[i].val = opts[i].val;
		if (opts[i].shortc != 0) {
			shortopts[k++] = opts[i].shortc;
			if (cli_opt_takes_arg(&opts[i]))
				shortopts[k++] = ':';
		}
	}
	memset(&longopts[n], 0, sizeof(longopts[n]));
	shortopts[k] = '\0';
}

int
cli_getopt(int argc, char *const argv[], const struct cli_opt *opts)
{
	const char *arg;
	int c;

	build_tables(opts);
	opterr = 0;
	if ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != '?')
		return c;
	arg = argv[optind - 1];
	if (starts_with(arg, "--") && optopt == 0)
		cli_error("%s: unknown option '%s'", argv[0], arg);
	else if (starts_with(arg, "--"))
		cli_error("%s: option '%s' needs an argument", argv[0], arg);
	else if (strchr(shortopts, optopt) == NULL)
		cli_error("%s: unknown option '-%c'", argv[0], optopt);
	else
		cli_error("%s: option '-%c' needs an argument", argv[0], optopt);
	return c;
}

/* "-f, --format text|json" or "    --full": what --help puts first. */
static void
add_flags(struct sbuf *sb, const struct cli_opt *o)
{
	char *choices = cli_opt_choices(o, "|");

	if (o->shortc != 0)
		sbuf_addf(sb, "-%c, ", o->shortc);
	else
		sbuf_addstr(sb, "    ");
	sbuf_addf(sb, "--%s", o->name);
	if (o->arg != NULL)
		sbuf_addf(sb, " %s", o->arg);
	else if (choices != NULL)
		sbuf_addf(sb, " %s", choices);
	free(choices);
}

void
cli_help(const char *cmd, const char *synopsis, const char *about,
    const struct cli_opt *opts)
{
	struct sbuf sb = SBUF_INIT, flags = SBUF_INIT;
	size_t i;

	sbuf_addf(&sb, "usage: imgdrift %s %s\n%s\n\noptions:\n", cmd, synopsis,
	    about);
	for (i = 0; opts[i].name != NULL; i++) {
		sbuf_reset(&flags);
		add_flags(&flags, &opts[i]);
		sbuf_addf(&sb, "  %-*s  %s\n", HELP_COLUMN - 4, sbuf_str(&flags),
		    opts[i].help);
	}
	sbuf_addstr(&sb, "\nimgdrift(1) has the details.\n");
	fputs(sbuf_str(&sb), stdout);
	sbuf_release(&sb);
	sbuf_release(&flags);
}

int
cli_usage(const char *cmd, const char *synopsis)
{
	fprintf(stderr, "usage: imgdrift %s %s\n"
	    "'imgdrift %s --help' lists the options.\n", cmd, synopsis, cmd);
	return EXIT_TROUBLE;
}
