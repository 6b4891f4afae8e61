/*
 * commands.c - the subcommands: name, function, options, and the usage
 * line and summary --help shows.  main() dispatches from this table, and
 * `imgdrift completion` writes the shell completions from it.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const struct cmd commands[] = {
	{ "completion", cmd_completion,
	    "print a bash or zsh completion script",
	    cli_completion_opts, "bash|zsh", CLI_COMPLETE_NONE, "bash zsh" },
	{ "diff", cmd_diff,
	    "compare two images: verdict, drift classes, evidence",
	    cli_diff_opts, "[OPTION]... A B", CLI_COMPLETE_FILE, NULL },
	{ "digest", cmd_digest,
	    "print the digests of an image for a release log",
	    cli_digest_opts, "[OPTION]... IMAGE", CLI_COMPLETE_FILE, NULL },
	{ "inspect", cmd_inspect,
	    "show what an image archive holds, verified",
	    cli_inspect_opts, "[OPTION]... IMAGE", CLI_COMPLETE_FILE, NULL },
	{ "lint", cmd_lint,
	    "find the unpinned inputs in a Dockerfile",
	    cli_lint_opts, "[OPTION]... DOCKERFILE...", CLI_COMPLETE_FILE, NULL },
	{ "record", cmd_record,
	    "write a fingerprint to compare against later",
	    cli_record_opts, "[OPTION]... -o FILE IMAGE", CLI_COMPLETE_FILE, NULL },
	{ "summary", cmd_summary,
	    "one table from many JSON diff reports",
	    cli_summary_opts, "[OPTION]... REPORT.json...", CLI_COMPLETE_FILE, NULL },
};

const struct cmd *
cli_commands(size_t *n)
{
	*n = sizeof(commands) / sizeof(commands[0]);
	return commands;
}

static const struct cmd *
find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

const struct cmd *
cli_command(const char *name)
{
	return find(name);
}

int
cli_cmd_help(const char *name)
{
	const struct cmd *c = find(name);

	cli_help(c->name, c->synopsis, c->summary, c->opts);
	return EXIT_SAME;
}

int
cli_cmd_usage(const char *name)
{
	const struct cmd *c = find(name);

	return cli_usage(c->name, c->synopsis);
}
