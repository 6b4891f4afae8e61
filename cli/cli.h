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

/*
 * Progress of the reads (cli/progress.c): on standard error, one line per
 * input redrawn in place, at most 10 times a second, cleared by
 * cli_progress_stop().  AUTO: only when standard error is a terminal.
 */
enum cli_progress_mode { CLI_PROGRESS_AUTO, CLI_PROGRESS_ON, CLI_PROGRESS_OFF };
struct cli_progress;
struct tar_progress;
struct sbuf;
/* What one line shows, loaded from a struct tar_progress. */
struct cli_progress_state {
	uint64_t bytes, total;
	unsigned layer, nlayers;
	bool done;
	double secs;			/* since this read started */
};
/* @return whether mode shows progress here (AUTO: standard error is a
   terminal, and TERM is not "dumb"). */
bool cli_progress_wanted(enum cli_progress_mode mode);
/*
 * Start drawing the progress of n (1 or 2) inputs: names[i] (borrowed,
 * "-" for standard input) read into p[i] (borrowed; both must outlive
 * cli_progress_stop()).  @return the display, or NULL when mode wants
 * none (cli_progress_stop(NULL) does nothing).
 */
struct cli_progress *cli_progress_start(enum cli_progress_mode mode,
    size_t n, const char *const *names, struct tar_progress *const *p);
/* Stop drawing, clear what was drawn, free pr. */
void cli_progress_stop(struct cli_progress *pr);
/* Append the line for name in state st, at most width columns (the end
   of the name is kept): "B.tar  12.0 MiB / 40.0 MiB  30%  layer 2/5
   8.0 MiB/s  ETA 0:04".  Never a newline or a control character. */
void cli_progress_line(struct sbuf *out, const char *name,
    const struct cli_progress_state *st, size_t width);

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
