/*
 * cli.h - subcommands and the helpers they share.  Only cli/ prints errors
 * and decides the exit status: 0 same / ok, 1 different / findings,
 * 2 trouble.
 */
#ifndef IMGDRIFT_CLI_H
#define IMGDRIFT_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "util/err.h"

#ifndef IMGDRIFT_VERSION
#define IMGDRIFT_VERSION "0.0.0"
#endif

enum { EXIT_SAME = 0, EXIT_DIFFERENT = 1, EXIT_TROUBLE = 2 };

struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

int cmd_diff(int argc, char **argv);
int cmd_digest(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_lint(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_summary(int argc, char **argv);

/*
 * The registry options of every command that reads an image (docker://):
 * long options with these values, handled by cli_reg_option(); the
 * usage text says CLI_REG_USAGE.
 */
enum {
	CLI_OPT_CERT_DIR = 0x100, CLI_OPT_CREDS, CLI_OPT_TIMEOUT,
	CLI_OPT_TLS_VERIFY, CLI_OPT_VERBOSE
};
#define CLI_REG_LONGOPTS \
	{ "cert-dir",	required_argument,	NULL, CLI_OPT_CERT_DIR }, \
	{ "creds",	required_argument,	NULL, CLI_OPT_CREDS }, \
	{ "timeout",	required_argument,	NULL, CLI_OPT_TIMEOUT }, \
	{ "tls-verify",	required_argument,	NULL, CLI_OPT_TLS_VERIFY }, \
	{ "verbose",	no_argument,		NULL, CLI_OPT_VERBOSE }
#define CLI_REG_USAGE \
    "[--creds USER:PASS] [--cert-dir DIR] [--tls-verify=true|false] " \
    "[--timeout SECONDS] [--verbose]"

struct reg_opts;
/*
 * Take option c (with arg) of command cmd into o when it is one of
 * CLI_REG_LONGOPTS; *verbose for --verbose.
 * @return 0 when taken, 1 when c is no registry option, -1 after printing
 * why arg is wrong.
 */
int cli_reg_option(const char *cmd, int c, const char *arg,
    struct reg_opts *o, bool *verbose);
struct tar_archive;
/* --verbose: say on standard error what reading name from a registry
   fetched (nothing for other inputs). */
void cli_reg_note(const char *name, const struct tar_archive *ar);

/* Print "imgdrift: <msg>" on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * getopt_long() for argv[0]'s options, whose own messages would print an
 * argument raw: an unknown option or a missing argument is reported with
 * cli_error() instead.  @return what getopt_long() returns ('?' then).
 */
int cli_getopt(int argc, char *const argv[], const char *shortopts,
    const struct option *longopts);
/* Print "imgdrift: <e->msg>" and @return EXIT_TROUBLE. */
int cli_fail(const struct err *e);
/* Print a usage line for cmd and @return EXIT_TROUBLE. */
int cli_usage(const char *usage);
/* Parse a SIZE (util_parse_size()) given to cmd's option opt into *out.
   @return 0, or -1 after printing why not. */
int cli_size(const char *cmd, const char *opt, const char *arg, uint64_t *out);
/* Parse --max-input SIZE for cmd into *out.  @return 0, or -1 after
   printing why not. */
int cli_max_input(const char *cmd, const char *arg, uint64_t *out);
/* Open -o FILE (or stdout for NULL / "-").  @return NULL after printing. */
FILE *cli_open_output(const char *path);
/* Close what cli_open_output() gave; @return 0 or EXIT_TROUBLE on error. */
int cli_close_output(FILE *fp, const char *path);

struct diff_result;
/*
 * diff --dockerfile: lint the Dockerfile at path, tie each history step and
 * layer of res's images to the instruction of its final stage that made it
 * (args: the --build-arg NAME=VALUE given, which an instruction may name),
 * each finding on such a layer to the lint rule that predicts it there, and
 * note what matched nothing (cli/dockerfile.c).
 * @return 0, or -1 with e set (the file cannot be read or parsed).
 */
int cli_dockerfile_join(struct diff_result *res, const char *path,
    const char *const *args, size_t nargs, struct err *e);
struct lint_steps;
/* The line of the instruction of ls each history step created_by[i]
   matches, into line[i] (0: none): the matching alone, for fuzzing. */
void cli_dockerfile_match(const struct lint_steps *ls,
    const char *const *created_by, size_t n, unsigned *line);

#endif
