/*
 * cmd_lint.c - imgdrift lint [--context DIR] [--format text|json|sarif]
 *              [--fail-on error|warning|note] [-o FILE] Dockerfile...
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "lint/lint.h"
#include "util/sbuf.h"

/* The rule ids, for the completions of --disable. */
static char *
rule_names(void)
{
	struct sbuf sb = SBUF_INIT;
	const struct lint_rule *v = NULL;
	size_t i, n = 0;

	v = lint_rules(&n);
	for (i = 0; i < n; i++)
		sbuf_addf(&sb, "%s%s", i > 0 ? " " : "", v[i].id);
	(void)sbuf_str(&sb);
	return sbuf_detach(&sb);
}

const struct cli_opt cli_lint_opts[] = {
	{ .name = "context", .val = 'C', .arg = "DIR",
	  .complete = CLI_COMPLETE_DIR,
	  .help = "the build context the files a Dockerfile names are in" },
	{ .name = "disable", .val = 'D', .arg = "RULE[,RULE...]",
	  .choices_fn = rule_names,
	  .help = "report no finding of these rules (repeatable)" },
	{ .name = "fail-on", .val = 'F', .choices = "error warning note",
	  .help = "exit 1 on a finding of this severity or worse (default error)" },
	{ .name = "format", .shortc = 'f', .val = 'f',
	  .choices = "text json sarif",
	  .help = "the report's format (default text)" },
	CLI_OPT_HELP,
	CLI_OPT_OUTPUT,
	{ .name = NULL }
};

struct options {
	const char *context;	/* NULL: each Dockerfile's directory */
	enum lint_format fmt;
	enum lint_severity fail_on;
	const char *out;
};

/* @return 0 when dir is a directory we can open, else EXIT_TROUBLE. */
static int
check_context(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0) {
		cli_error("lint: cannot open the build context '%s': %s", dir,
		    strerror(errno));
		return EXIT_TROUBLE;
	}
	close(fd);
	return 0;
}

/* Parse argv into o, and --disable into r.  @return 0, 1 to stop with
   EXIT_SAME (--help), or EXIT_TROUBLE. */
static int
parse_options(int argc, char **argv, struct options *o, struct lint_run *r)
{
	struct err e = { 0, "" };
	int c;

	optind = 1;
	while ((c = cli_getopt(argc, argv, cli_lint_opts)) != -1) {
		switch (c) {
		case 'C':
			o->context = optarg;
			break;
		case 'D':
			if (lint_disable(r, optarg, &e) < 0) {
				err_prefix(&e, "lint: --disable");
				return cli_fail(&e);
			}
			break;
		case 'F':
			if (lint_parse_severity(optarg, &o->fail_on) < 0) {
				cli_error("lint: unknown level '%s' (error, "
				    "warning, note)", optarg);
				return EXIT_TROUBLE;
			}
			break;
		case 'f':
			if (lint_parse_format(optarg, &o->fmt) < 0) {
				cli_error("lint: unknown format '%s' (text, json, "
				    "sarif)", optarg);
				return EXIT_TROUBLE;
			}
			break;
		case 'h':
			cli_cmd_help("lint");
			return 1;
		case 'o':
			o->out = optarg;
			break;
		default:
			return cli_cmd_usage("lint");
		}
	}
	if (optind >= argc)
		return cli_cmd_usage("lint");
	return o->context != NULL ? check_context(o->context) : 0;
}

int
cmd_lint(int argc, char **argv)
{
	struct options o = { .fmt = LINT_TEXT, .fail_on = LINT_ERROR };
	struct err e = { 0, "" };
	struct lint_run *r = lint_new();
	struct util_outfile f;
	int i, rc;

	if ((rc = parse_options(argc, argv, &o, r)) != 0) {
		lint_free(r);
		return rc == 1 ? EXIT_SAME : rc;
	}
	if (o.context != NULL)
		lint_set_context(r, o.context);

	for (i = optind; i < argc; i++)
		if (lint_file(r, argv[i], &e) < 0) {
			err_prefix(&e, "lint");
			lint_free(r);
			return cli_fail(&e);
		}
	/* -o FILE appears whole or not at all */
	if (cli_output_open(&f, o.out) != 0) {
		lint_free(r);
		return EXIT_TROUBLE;
	}
	if (cli_output_close(&f, lint_render(r, f.fp, o.fmt, &e)) != 0) {
		lint_free(r);
		return EXIT_TROUBLE;
	}
	if (lint_count_at_least(r, o.fail_on) > 0)
		rc = EXIT_DIFFERENT;
	lint_free(r);
	return rc;
}
