/*
 * cmd_completion.c - imgdrift completion bash|zsh
 *
 * Writes a completion script for the shell from the command table and
 * each command's option table (cli/commands.c), the tables the parser and
 * --help use: subcommands, options, and the names an option takes
 * (formats, classes, levels).  `make install` installs both.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/sbuf.h"

const struct cli_opt cli_completion_opts[] = {
	CLI_OPT_HELP,
	{ .name = NULL }
};

/* "--format -f": an option's spellings, for a case pattern ('|'-joined)
   or a word list (' '-joined). */
static void
add_spellings(struct sbuf *sb, const struct cli_opt *o, const char *sep)
{
	sbuf_addf(sb, "--%s", o->name);
	if (o->shortc != 0)
		sbuf_addf(sb, "%s-%c", sep, o->shortc);
}

/* The case arm completing o's argument in bash, if it takes one. */
static void
bash_arg(struct sbuf *sb, const struct cli_opt *o)
{
	char *choices = cli_opt_choices(o, " ");

	if (!cli_opt_takes_arg(o))
		goto out;
	sbuf_addstr(sb, "\t\t");
	add_spellings(sb, o, "|");
	sbuf_addstr(sb, ")\n\t\t\t");
	if (choices != NULL && o->arg != NULL && strchr(o->arg, ',') != NULL)
		sbuf_addf(sb, "_imgdrift_list \"%s\"", choices);
	else if (choices != NULL)
		sbuf_addf(sb, "COMPREPLY=($(compgen -W \"%s\" -- \"$cur\"))",
		    choices);
	else if (o->complete == CLI_COMPLETE_FILE)
		sbuf_addstr(sb, "COMPREPLY=($(compgen -f -- \"$cur\"))");
	else if (o->complete == CLI_COMPLETE_DIR)
		sbuf_addstr(sb, "COMPREPLY=($(compgen -d -- \"$cur\"))");
	else
		sbuf_addstr(sb, "COMPREPLY=()");
	sbuf_addstr(sb, "\n\t\t\treturn ;;\n");
 out:
	free(choices);
}

static void
bash_command(struct sbuf *sb, const struct cmd *c)
{
	size_t i;

	sbuf_addf(sb, "\t%s)\n\t\tcase $prev in\n", c->name);
	for (i = 0; c->opts[i].name != NULL; i++)
		bash_arg(sb, &c->opts[i]);
	sbuf_addstr(sb, "\t\tesac\n\t\tcase $cur in\n\t\t-*)\n"
	    "\t\t\tCOMPREPLY=($(compgen -W \"");
	for (i = 0; c->opts[i].name != NULL; i++) {
		if (i > 0)
			sbuf_addc(sb, ' ');
		add_spellings(sb, &c->opts[i], " ");
	}
	sbuf_addstr(sb, "\" -- \"$cur\"))\n\t\t\treturn ;;\n\t\tesac\n\t\t");
	if (c->operand_choices != NULL)
		sbuf_addf(sb, "COMPREPLY=($(compgen -W \"%s\" -- \"$cur\"))",
		    c->operand_choices);
	else if (c->operands == CLI_COMPLETE_FILE)
		sbuf_addstr(sb, "COMPREPLY=($(compgen -f -- \"$cur\"))");
	else
		sbuf_addstr(sb, "COMPREPLY=()");
	sbuf_addstr(sb, " ;;\n");
}

static void
bash(struct sbuf *sb)
{
	const struct cmd *cmds = NULL;
	size_t i, n;

	cmds = cli_commands(&n);
	sbuf_addstr(sb, "# bash completion for imgdrift(1), written by "
	    "'imgdrift completion bash'.\n\n"
	    "# A comma-separated list: complete the name after the last comma.\n"
	    "_imgdrift_list()\n{\n"
	    "\tlocal head=\n"
	    "\tcase $cur in *,*) head=${cur%,*}, ;; esac\n"
	    "\tCOMPREPLY=($(compgen -P \"$head\" -W \"$1\" -- \"${cur##*,}\"))\n"
	    "\tcompopt -o nospace 2>/dev/null\n}\n\n"
	    "_imgdrift()\n{\n"
	    "\tlocal cur=${COMP_WORDS[COMP_CWORD]} "
	    "prev=${COMP_WORDS[COMP_CWORD-1]}\n"
	    "\tcase $cur in --*=*) prev=${cur%%=*} cur=${cur#*=} ;; esac\n"
	    "\tif [ \"$COMP_CWORD\" -eq 1 ]; then\n"
	    "\t\tCOMPREPLY=($(compgen -W \"");
	for (i = 0; i < n; i++)
		sbuf_addf(sb, "%s ", cmds[i].name);
	sbuf_addstr(sb, "--help --version\" -- \"$cur\"))\n\t\treturn\n\tfi\n"
	    "\tcase ${COMP_WORDS[1]} in\n");
	for (i = 0; i < n; i++)
		bash_command(sb, &cmds[i]);
	sbuf_addstr(sb, "\tesac\n}\n\ncomplete -o filenames -F _imgdrift "
	    "imgdrift\n");
}

/* s inside single quotes (' closes them) and, for an _arguments spec
   (spec true), where [ ] : delimit its parts. */
static void
zsh_text(struct sbuf *sb, const char *s, bool spec)
{
	for (; *s != '\0'; s++) {
		if (*s == '\'')
			sbuf_addstr(sb, "'\\''");
		else if (spec && (*s == '[' || *s == ']' || *s == ':'))
			sbuf_addf(sb, "\\%c", *s);
		else
			sbuf_addc(sb, *s);
	}
}

static void
zsh_opt(struct sbuf *sb, const struct cli_opt *o)
{
	char *choices = cli_opt_choices(o, " ");

	sbuf_addstr(sb, "\t\t\t'");
	if (o->shortc != 0)
		sbuf_addf(sb, "(-%c --%s)'{-%c,--%s}'", o->shortc, o->name,
		    o->shortc, o->name);
	else
		sbuf_addf(sb, "--%s", o->name);
	sbuf_addc(sb, '[');
	zsh_text(sb, o->help, true);
	sbuf_addc(sb, ']');
	if (cli_opt_takes_arg(o)) {
		sbuf_addc(sb, ':');
		zsh_text(sb, o->arg != NULL ? o->arg : o->name, true);
		sbuf_addc(sb, ':');
		if (choices != NULL && o->arg != NULL && strchr(o->arg, ',') != NULL)
			sbuf_addf(sb, "_sequence compadd - %s", choices);
		else if (choices != NULL)
			sbuf_addf(sb, "(%s)", choices);
		else if (o->complete == CLI_COMPLETE_FILE)
			sbuf_addstr(sb, "_files");
		else if (o->complete == CLI_COMPLETE_DIR)
			sbuf_addstr(sb, "_files -/");
		else
			sbuf_addstr(sb, " ");
	}
	sbuf_addstr(sb, "' \\\n");
	free(choices);
}

static void
zsh(struct sbuf *sb)
{
	const struct cmd *cmds;
	size_t i, j, n;

	cmds = cli_commands(&n);
	sbuf_addstr(sb, "#compdef imgdrift\n# zsh completion for imgdrift(1), "
	    "written by 'imgdrift completion zsh'.\n\n"
	    "_imgdrift()\n{\n\tlocal -a commands\n\tcommands=(\n");
	for (i = 0; i < n; i++) {
		sbuf_addf(sb, "\t\t'%s:", cmds[i].name);
		zsh_text(sb, cmds[i].summary, false);
		sbuf_addstr(sb, "'\n");
	}
	sbuf_addstr(sb, "\t)\n\tif (( CURRENT == 2 )); then\n"
	    "\t\t_describe -t commands 'imgdrift command' commands\n"
	    "\t\treturn\n\tfi\n\tlocal cmd=$words[2]\n"
	    "\tshift words\n\t(( CURRENT-- ))\n\tcase $cmd in\n");
	for (i = 0; i < n; i++) {
		sbuf_addf(sb, "\t%s)\n\t\t_arguments -s \\\n", cmds[i].name);
		for (j = 0; cmds[i].opts[j].name != NULL; j++)
			zsh_opt(sb, &cmds[i].opts[j]);
		if (cmds[i].operand_choices != NULL)
			sbuf_addf(sb, "\t\t\t'1:shell:(%s)'\n",
			    cmds[i].operand_choices);
		else if (cmds[i].operands == CLI_COMPLETE_FILE)
			sbuf_addstr(sb, "\t\t\t'*:file:_files'\n");
		else
			sbuf_addstr(sb, "\t\t\t'*: :'\n");
		sbuf_addstr(sb, "\t\t;;\n");
	}
	sbuf_addstr(sb, "\tesac\n}\n\n_imgdrift \"$@\"\n");
}

int
cmd_completion(int argc, char **argv)
{
	struct sbuf sb = SBUF_INIT;
	int c;

	optind = 1;
	while ((c = cli_getopt(argc, argv, cli_completion_opts)) != -1) {
		if (c == 'h')
			return cli_cmd_help("completion");
		return cli_cmd_usage("completion");
	}
	if (argc - optind != 1)
		return cli_cmd_usage("completion");
	if (strcmp(argv[optind], "bash") == 0)
		bash(&sb);
	else if (strcmp(argv[optind], "zsh") == 0)
		zsh(&sb);
	else {
		cli_error("completion: no script for the shell '%s' (bash, zsh)",
		    argv[optind]);
		return EXIT_TROUBLE;
	}
	fputs(sbuf_str(&sb), stdout);
	sbuf_release(&sb);
	return cli_close_output(stdout, NULL);
}
