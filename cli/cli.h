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
#include "util/util.h"

#ifndef IMGDRIFT_VERSION
#define IMGDRIFT_VERSION "0.0.0"
#endif

enum { EXIT_SAME = 0, EXIT_DIFFERENT = 1, EXIT_TROUBLE = 2 };

int cmd_completion(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_digest(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_lint(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_summary(int argc, char **argv);

/*
 * The registry options of every command that reads an image (docker://):
 * rows of its option table, handled by cli_reg_option().
 */
enum {
	CLI_OPT_CACHE = 0x100, CLI_OPT_CERT_DIR, CLI_OPT_CREDS, CLI_OPT_TIMEOUT,
	CLI_OPT_TLS_VERIFY, CLI_OPT_VERBOSE
};
#define CLI_OPTS_REGISTRY \
	{ .name = "cache", .val = CLI_OPT_CACHE, .arg = "DIR", \
	  .complete = CLI_COMPLETE_DIR, \
	  .help = "keep layers' entry tables in DIR; read them back, not fetched" }, \
	{ .name = "cert-dir", .val = CLI_OPT_CERT_DIR, .arg = "DIR", \
	  .complete = CLI_COMPLETE_DIR, \
	  .help = "verify a registry against the CAs of DIR's *.crt files" }, \
	{ .name = "creds", .val = CLI_OPT_CREDS, .arg = "USER:PASS", \
	  .help = "authenticate to a registry as USER" }, \
	{ .name = "timeout", .val = CLI_OPT_TIMEOUT, .arg = "SECONDS", \
	  .help = "give up on a registry request stalled this long (default 30)" }, \
	{ .name = "tls-verify", .val = CLI_OPT_TLS_VERIFY, \
	  .choices = "true false", \
	  .help = "false: no certificate check, plain HTTP allowed" }, \
	{ .name = "verbose", .val = CLI_OPT_VERBOSE, \
	  .help = "say what reading from a registry fetched" }

struct reg_opts;
/*
 * Take option c (with arg) of command cmd into o when it is one of
 * CLI_OPTS_REGISTRY; *verbose for --verbose.
 * @return 0 when taken, 1 when c is no registry option, -1 after printing
 * why arg is wrong.
 */
int cli_reg_option(const char *cmd, int c, const char *arg,
    struct reg_opts *o, bool *verbose);
struct tar_archive;
/* --verbose: say on standard error what reading name from a registry
   fetched (nothing for other inputs). */
void cli_reg_note(const char *name, const struct tar_archive *ar);
/* Warn once on stderr, naming the file, when --cache DIR could not keep
   a layer of the n archives ars (NULL ones skipped): the run goes on, as
   the cache only saves a fetch. */
void cli_cache_warn(struct tar_archive *const *ars, size_t n);

/* Print "imgdrift: <msg>" on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* What a shell completes an option's argument or an operand with. */
enum cli_complete { CLI_COMPLETE_NONE, CLI_COMPLETE_FILE, CLI_COMPLETE_DIR };

/*
 * One option of a subcommand (cli/opts.c).  An array of these, ended by a
 * row whose name is NULL, is the parser's table, --help's lines and the
 * shell completions at once.  An option takes an argument when it has an
 * arg placeholder or choices.
 */
struct cli_opt {
	const char *name;		/* long name, without "--" */
	char shortc;			/* its one-letter form, or 0 */
	int val;			/* what cli_getopt() returns for it */
	const char *arg;		/* "FILE", "N": shown by --help; NULL:
					   the choices are shown */
	const char *choices;		/* "auto always never", or NULL */
	char *(*choices_fn)(void);	/* or names from a table (malloc'd,
					   space-separated), or NULL */
	enum cli_complete complete;	/* for an argument without choices */
	const char *help;		/* one line */
};

/* Rows more than one subcommand has (vals 'h', 'I', 'o', 'p', 'g', 'n'). */
#define CLI_OPT_HELP { .name = "help", .shortc = 'h', .val = 'h', \
	.help = "show this help and exit" }
#define CLI_OPT_MAX_INPUT { .name = "max-input", .val = 'I', .arg = "SIZE", \
	.help = "read at most SIZE bytes of each input (default 64G)" }
#define CLI_OPT_NO_PROGRESS { .name = "no-progress", .val = 'n', \
	.help = "never show the progress of the reads" }
#define CLI_OPT_OUTPUT { .name = "output", .shortc = 'o', .val = 'o', \
	.arg = "FILE", .complete = CLI_COMPLETE_FILE, \
	.help = "write to FILE instead of standard output" }
#define CLI_OPT_JOBS { .name = "jobs", .shortc = 'j', .val = 'j', \
	.arg = "N", \
	.help = "read the layers on N threads, a compressed one in two " \
	    "stages (default: the online CPUs)" }
#define CLI_OPT_PLATFORM { .name = "platform", .val = 'p', \
	.arg = "OS/ARCH[/VARIANT]", \
	.help = "read only this platform of a multi-platform image" }
#define CLI_OPT_PROGRESS { .name = "progress", .val = 'g', \
	.help = "show the progress of the reads on standard error, " \
	"even off a terminal" }

/* A subcommand: its function, its options and how --help shows it. */
struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
	const struct cli_opt *opts;
	const char *synopsis;		/* after "imgdrift NAME " */
	enum cli_complete operands;	/* what the operands are */
	const char *operand_choices;	/* or the names they are, or NULL */
};

/* @return the subcommands (cli/commands.c), *n of them. */
const struct cmd *cli_commands(size_t *n);
/* @return the subcommand called name, or NULL. */
const struct cmd *cli_command(const char *name);
/* --help of the subcommand name, on standard output: @return EXIT_SAME. */
int cli_cmd_help(const char *name);
/* Its usage line on standard error: @return EXIT_TROUBLE. */
int cli_cmd_usage(const char *name);

/* Each subcommand's options, for the table. */
extern const struct cli_opt cli_completion_opts[], cli_diff_opts[],
    cli_digest_opts[], cli_inspect_opts[], cli_lint_opts[],
    cli_record_opts[], cli_summary_opts[];

/* @return the number of rows of opts. */
size_t cli_opt_count(const struct cli_opt *opts);
/* @return whether o takes an argument. */
bool cli_opt_takes_arg(const struct cli_opt *o);
/* @return o's choices joined by sep (malloc'd), or NULL when it has none. */
char *cli_opt_choices(const struct cli_opt *o, const char *sep);
/*
 * getopt_long() over opts, whose own messages would print an argument
 * raw: an unknown option or a missing argument is reported with
 * cli_error() instead.  @return what getopt_long() returns ('?' then).
 */
int cli_getopt(int argc, char *const argv[], const struct cli_opt *opts);
/* Print --help on standard output: the usage line, about, then one line
   per option of opts. */
void cli_help(const char *cmd, const char *synopsis, const char *about,
    const struct cli_opt *opts);
/* Print a usage line for cmd on standard error and @return EXIT_TROUBLE. */
int cli_usage(const char *cmd, const char *synopsis);
/* Print "imgdrift: <e->msg>" and @return EXIT_TROUBLE. */
int cli_fail(const struct err *e);
/* Parse a SIZE (util_parse_size()) given to cmd's option opt into *out.
   @return 0, or -1 after printing why not. */
int cli_size(const char *cmd, const char *opt, const char *arg, uint64_t *out);
/* Parse --max-input SIZE for cmd into *out.  @return 0, or -1 after
   printing why not. */
int cli_max_input(const char *cmd, const char *arg, uint64_t *out);
/* Parse -j N for cmd into *out (1 to CLI_JOBS_MAX).  @return 0, or -1
   after printing why not. */
#define CLI_JOBS_MAX	256
int cli_jobs(const char *cmd, const char *arg, unsigned *out);
/* Open -o FILE (standard output for NULL or "-") into f, to appear whole
   or not at all (util_outfile_open()).  @return 0, or EXIT_TROUBLE after
   printing. */
int cli_output_open(struct util_outfile *f, const char *path);
/* Close f after a run that wrote rc into it (0, or a renderer's negative
   code: a write failed): renamed into place only when every write
   succeeded.  @return 0, or EXIT_TROUBLE after printing. */
int cli_output_close(struct util_outfile *f, int rc);
/* Flush standard output; @return 0 or EXIT_TROUBLE after printing. */
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
/* @return the mode --progress ('g') or --no-progress ('n') asks for. */
enum cli_progress_mode cli_progress_option(int c);
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
struct tar_opts;
struct tar_archive;
/* tar_read() with the progress mode asks for.  @return as tar_read(). */
int cli_read(const char *path, const struct tar_opts *o,
    enum cli_progress_mode mode, struct tar_archive **out, struct err *e);
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
