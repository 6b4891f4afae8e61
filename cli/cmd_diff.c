/*
 * cmd_diff.c - imgdrift diff [options] A B
 *
 * Both images are read at the same time, one thread each; then compared.
 * Exit 0 when the pair meets --require, 1 when not, 2 on trouble (which
 * wins over differences).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "diff/diff.h"
#include "report/report.h"
#include "tar/tar.h"
#include "util/sbuf.h"
#include "util/util.h"

static char *
format_names(void)
{
	return report_format_names(" ");
}

static char *
class_names(void)
{
	return diff_class_names(" ");
}

static char *
level_names(void)
{
	return diff_verdict_names(DIFF_DEPENDENCY_EQUIVALENT, " ");
}

/* Sorted by name, as --help and the man page list them. */
const struct cli_opt cli_diff_opts[] = {
	{ .name = "accept", .val = 'A', .arg = "FILE",
	  .complete = CLI_COMPLETE_FILE,
	  .help = "mark the differences FILE lists as accepted (repeatable)" },
	{ .name = "build-arg", .val = 'a', .arg = "NAME=VALUE",
	  .help = "a build argument the --dockerfile steps name (repeatable)" },
	{ .name = "color", .val = 'C', .choices = "auto always never",
	  .help = "colour the text report (auto: on a terminal, without NO_COLOR)" },
	{ .name = "dockerfile", .val = 'D', .arg = "FILE",
	  .complete = CLI_COMPLETE_FILE,
	  .help = "tie layers and findings to the Dockerfile's instructions" },
	{ .name = "exclude", .val = 'x', .arg = "GLOB",
	  .help = "leave out the paths GLOB matches (repeatable)" },
	{ .name = "format", .shortc = 'f', .val = 'f', .choices_fn = format_names,
	  .help = "the report's format (default text)" },
	CLI_OPT_HELP,
	{ .name = "ignore", .val = 'i', .arg = "CLASS[,CLASS...]",
	  .choices_fn = class_names,
	  .help = "let these drift classes pass the required level" },
	CLI_OPT_JOBS,
	{ .name = "look-budget", .val = 'B', .arg = "SIZE",
	  .help = "bytes the second look reads in all" },
	{ .name = "look-max-file", .val = 'F', .arg = "SIZE",
	  .help = "bytes the second look reads of one file" },
	{ .name = "look-max-files", .val = 'N', .arg = "N",
	  .help = "files the second look reads" },
	{ .name = "max-examples", .val = 'm', .arg = "N",
	  .help = "findings shown per class and layer, and packages" },
	CLI_OPT_MAX_INPUT,
	CLI_OPT_NO_PROGRESS,
	{ .name = "output", .shortc = 'o', .val = 'o', .arg = "FILE",
	  .complete = CLI_COMPLETE_FILE,
	  .help = "write the report to FILE instead of standard output" },
	{ .name = "platform", .val = 'p', .arg = "OS/ARCH[/VARIANT]",
	  .help = "compare only this platform of multi-platform images" },
	{ .name = "policy", .val = 'P', .arg = "FILE",
	  .complete = CLI_COMPLETE_FILE,
	  .help = "read the required level, ignores, excludes and accepts from FILE" },
	CLI_OPT_PROGRESS,
	{ .name = "quiet", .shortc = 'q', .val = 'q',
	  .help = "print the verdict line and the required level only" },
	{ .name = "report", .val = 'R', .arg = "FORMAT=FILE",
	  .help = "also write the report in FORMAT to FILE (repeatable)" },
	{ .name = "require", .val = 'r', .arg = "LEVEL",
	  .choices_fn = level_names,
	  .help = "the level the pair must meet for exit 0 (default same-digest)" },
	{ .name = "volatile", .val = 'V', .choices = "ignore report",
	  .help = "count known-volatile files like timestamps, or as found" },
	CLI_OPTS_REGISTRY,
	{ .name = NULL }
};

struct reader {
	const char *path;
	struct tar_opts opts;
	struct tar_progress prog;	/* opts.progress, when shown */
	struct tar_archive *ar;
	struct err e;
	int r;
};

static void *
read_one(void *arg)
{
	struct reader *rd = arg;

	rd->r = tar_read(rd->path, &rd->opts, &rd->ar, &rd->e);
	return NULL;
}

static int
parse_ignore(const char *arg, struct diff_opts *o)
{
	char *copy = xstrdup(arg), *tok, *save = NULL, *classes;
	enum diff_class c;
	int r = 0;

	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (diff_class_parse(tok, &c) < 0) {
			classes = diff_class_names(", ");
			cli_error("diff: unknown class '%s' (%s)", tok, classes);
			free(classes);
			r = -1;
			break;
		}
		o->ignore[c] = true;
	}
	free(copy);
	return r;
}

/* A number from 1 to max for option opt.  @return 0, or -1 after
   printing. */
static int
parse_count(const char *opt, const char *arg, unsigned long max, size_t *out)
{
	char *end;
	unsigned long v;

	v = strtoul(arg, &end, 10);
	if (*arg == '\0' || *end != '\0' || arg[0] == '-' || v < 1 || v > max) {
		cli_error("diff: %s takes a number from 1 to %lu", opt, max);
		return -1;
	}
	*out = v;
	return 0;
}

/* @return true when path is read as a stream, once: standard input, a pipe
   (as <(...) gives), a FIFO.  Only a regular file or a directory can be
   looked at before it is read. */
static bool
is_stream(const char *path)
{
	struct stat st;

	if (strcmp(path, "-") == 0)
		return true;
	/* A missing file is for the reader to report. */
	return stat(path, &st) == 0 && !S_ISREG(st.st_mode) &&
	    !S_ISDIR(st.st_mode);
}

/*
 * Read A and B, in parallel when neither is a stream; each input is opened
 * once.  An image
 * compared with a fingerprint is read with SHA-256 entry hashes, like the
 * fingerprint, and its input's SHA-256 is taken when a report shows it
 * (shown_sha).  @return 0, or EXIT_TROUBLE after printing.
 */
static int
read_both(struct reader rd[2], enum cli_progress_mode pm, bool shown_sha)
{
	struct cli_progress *pr;
	const char *names[2] = { rd[0].path, rd[1].path };
	struct tar_progress *p[2] = { &rd[0].prog, &rd[1].prog };
	bool sha;
	int in;

	/* Standard input can be only one of them. */
	if (strcmp(rd[0].path, "-") == 0 && strcmp(rd[1].path, "-") == 0) {
		cli_error("diff: only one of A and B can be '-'");
		return EXIT_TROUBLE;
	}
	sha = tar_sniff_fingerprint(rd[0].path) ||
	    tar_sniff_fingerprint(rd[1].path);
	rd[0].opts.sha256_entries = rd[1].opts.sha256_entries = sha;
	/* The input's SHA-256 tells whether it is what a fingerprint records;
	   the verdict never reads it, so a quiet run does not take it. */
	if (sha && shown_sha)
		rd[0].opts.no_input_digest = rd[1].opts.no_input_digest = false;
	in = is_stream(rd[0].path) ? 0 : is_stream(rd[1].path) ? 1 : -1;
	if ((pr = cli_progress_start(pm, 2, names, p)) != NULL) {
		rd[0].opts.progress = p[0];
		rd[1].opts.progress = p[1];
	}
	if (!sha && in >= 0) {
		/* Only reading it tells whether a stream is a fingerprint. */
		read_one(&rd[in]);
		if (rd[in].r == 0 && tar_is_fingerprint(rd[in].ar)) {
			rd[!in].opts.sha256_entries = true;
			rd[!in].opts.no_input_digest = !shown_sha;
		}
		read_one(&rd[!in]);
	} else {
		/* Two images read at once share the threads; an image
		   beside a fingerprint has them all. */
		if (!sha)
			rd[0].opts.jobs = rd[1].opts.jobs =
			    (rd[0].opts.jobs + 1) / 2;
		util_run_both(read_one, &rd[0], &rd[1]);
	}
	cli_progress_stop(pr);
	rd[0].opts.progress = rd[1].opts.progress = NULL;
	if (rd[0].r < 0)
		return cli_fail(&rd[0].e);
	if (rd[1].r < 0)
		return cli_fail(&rd[1].e);
	return 0;
}

struct deferred {
	struct tar_archive *ar;
	const uint8_t *keep;
	size_t nkeep;
	bool late;
	struct err e;
	int r;
};

static void *
fetch_one(void *arg)
{
	struct deferred *d = arg;

	d->r = tar_fetch_deferred(d->ar, d->keep, d->nkeep, d->late, &d->e);
	return NULL;
}

/*
 * Two images in a registry, read with their layers deferred: fetch the
 * layers that are not the same blobs at the bottom of both, then the rest
 * too when the final file systems need them (diff_deferred_needed()).
 * @return 0, or EXIT_TROUBLE after printing.
 */
static int
fetch_what_differs(struct reader rd[2])
{
	struct deferred d[2];
	uint8_t *keep = NULL;
	size_t nkeep, pass, i;
	int rc = 0;

	nkeep = diff_fetch_plan(rd[0].ar, rd[1].ar, &keep);
	for (pass = 0; pass < 2 && rc == 0; pass++) {
		if (pass == 1 && !diff_deferred_needed(rd[0].ar, rd[1].ar))
			break;
		for (i = 0; i < 2; i++) {
			memset(&d[i], 0, sizeof(d[i]));
			d[i].ar = rd[i].ar;
			d[i].keep = pass == 0 ? keep : NULL;
			d[i].nkeep = pass == 0 ? nkeep : 0;
			d[i].late = pass == 1;
		}
		util_run_both(fetch_one, &d[0], &d[1]);
		for (i = 0; i < 2 && rc == 0; i++)
			if (d[i].r < 0)
				rc = cli_fail(&d[i].e);
	}
	free(keep);
	return rc;
}

/* What reading each side from a registry fetched, as a note of res. */
static void
note_fetched(struct diff_result *res, const struct reader rd[2])
{
	struct reg_stats st;
	size_t i;

	for (i = 0; i < 2; i++) {
		if (!tar_registry_stats(rd[i].ar, &st))
			continue;
		diff_add_note(res, xstrfmt("%s: fetched %llu bytes from the registry "
		    "(%u manifests, %u blobs, %u retries); %u layers (%llu bytes) "
		    "not fetched, %u fetched after all, %u from the cache",
		    i == 0 ? "A" : "B", (unsigned long long)st.bytes, st.manifests,
		    st.blobs, st.retries, st.layers_deferred,
		    (unsigned long long)st.bytes_deferred, st.layers_late,
		    st.layers_cached));
	}
}

/*
 * One report to write: --format/-o or a --report FORMAT=FILE.  A regular
 * file (or a new one) is written to a temporary file beside it, renamed
 * into place only when the whole run succeeded.
 */
struct report_out {
	enum report_format fmt;
	const char *path;		/* NULL or "-": standard output */
	struct util_outfile f;
};

enum color { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

struct options {
	struct diff_opts diff;		/* excludes point into excl */
	enum report_format fmt;
	const char *out;		/* -o FILE, NULL for standard output */
	bool fmt_given;			/* --format or -o given */
	struct report_out *rep;		/* owned: --format/-o first, then
					   each --report */
	size_t nrep, rcap;
	enum color color;
	enum cli_progress_mode progress;
	bool quiet;
	/* What was given on the command line, before the policy fills the
	   rest. */
	bool require, volatile_files;
	const char *platform;
	const char *dockerfile;		/* --dockerfile FILE */
	const char **build_args;	/* --build-arg NAME=VALUE, borrowed */
	size_t nbuild_args, bcap;
	uint64_t max_input;		/* 0: the reader's default */
	unsigned jobs;			/* -j N, 0: the online CPUs */
	struct reg_opts reg;		/* --creds, --cert-dir, ... */
	bool verbose;			/* --verbose */
	const char *policy;
	const char **excl;		/* owned array, borrowed strings */
	size_t nexcl, cap;
	struct diff_accepts acc;	/* --accept files, read */
	struct diff_accept *accept;	/* owned array: the policy's entries,
					   then acc's (borrowed) */
};

static int
parse_format(const char *arg, enum report_format *fmt)
{
	char *formats;

	if (report_parse_format(arg, fmt) < 0) {
		formats = report_format_names(", ");
		cli_error("diff: unknown format '%s' (%s)", arg, formats);
		free(formats);
		return -1;
	}
	return 0;
}

/* --report FORMAT=FILE, borrowed from argv.  @return 0, or -1 after
   printing. */
static int
add_report(const char *arg, struct options *o)
{
	const char *eq = strchr(arg, '=');
	char *name;
	int r;

	if (eq == NULL || eq == arg || eq[1] == '\0') {
		cli_error("diff: --report '%s' is not FORMAT=FILE", arg);
		return -1;
	}
	name = xstrdup(arg);
	name[eq - arg] = '\0';
	xgrow(&o->rep, &o->rcap, o->nrep + 1, sizeof(*o->rep));
	memset(&o->rep[o->nrep], 0, sizeof(*o->rep));
	if ((r = parse_format(name, &o->rep[o->nrep].fmt)) == 0)
		o->rep[o->nrep++].path = eq + 1;
	free(name);
	return r;
}

static int
parse_color(const char *arg, struct options *o)
{
	if (strcmp(arg, "auto") == 0)
		o->color = COLOR_AUTO;
	else if (strcmp(arg, "always") == 0)
		o->color = COLOR_ALWAYS;
	else if (strcmp(arg, "never") == 0)
		o->color = COLOR_NEVER;
	else {
		cli_error("diff: --color takes 'auto', 'always' or 'never'");
		return -1;
	}
	return 0;
}

static int
parse_require(const char *arg, struct options *o)
{
	char *levels;

	if (diff_verdict_parse(arg, &o->diff.require) < 0 ||
	    o->diff.require == DIFF_DIFFERENT) {
		levels = diff_verdict_names(DIFF_DEPENDENCY_EQUIVALENT, ", ");
		cli_error("diff: unknown level '%s' (%s)", arg, levels);
		free(levels);
		return -1;
	}
	o->require = true;
	return 0;
}

static int
parse_volatile(const char *arg, struct options *o)
{
	if (strcmp(arg, "ignore") != 0 && strcmp(arg, "report") != 0) {
		cli_error("diff: --volatile takes 'ignore' or 'report'");
		return -1;
	}
	o->diff.volatile_ignore = strcmp(arg, "ignore") == 0;
	o->volatile_files = true;
	return 0;
}

static int
add_exclude(const char *arg, struct options *o)
{
	char *glob = diff_exclude_glob(arg);

	if (glob == NULL) {
		cli_error("diff: --exclude '%s' names the root, so every path", arg);
		return -1;
	}
	free(glob);
	xgrow(&o->excl, &o->cap, o->nexcl + 1, sizeof(*o->excl));
	o->excl[o->nexcl++] = arg;
	return 0;
}

static int
load_accept(const char *arg, struct options *o)
{
	struct err e = { 0, "" };

	if (diff_accept_load(arg, &o->acc, &e) < 0) {
		cli_fail(&e);
		return -1;
	}
	return 0;
}

/* @return 0, 1 to stop with EXIT_SAME (--help), or EXIT_TROUBLE. */
static int
parse_options(int argc, char **argv, struct options *o)
{
	int c, r = 0;

	optind = 1;
	while (r == 0 &&
	    (c = cli_getopt(argc, argv, cli_diff_opts)) != -1) {
		switch (c) {
		case 'A':
			r = load_accept(optarg, o);
			break;
		case 'C':
			r = parse_color(optarg, o);
			break;
		case 'D':
			o->dockerfile = optarg;
			break;
		case 'a':
			if (strchr(optarg, '=') == NULL || optarg[0] == '=') {
				cli_error("diff: --build-arg '%s' is not NAME=VALUE",
				    optarg);
				r = -1;
				break;
			}
			xgrow(&o->build_args, &o->bcap, o->nbuild_args + 1,
			    sizeof(*o->build_args));
			o->build_args[o->nbuild_args++] = optarg;
			break;
		case 'B':
			r = cli_size("diff", "--look-budget", optarg,
			    &o->diff.look_budget);
			break;
		case 'F':
			r = cli_size("diff", "--look-max-file", optarg,
			    &o->diff.look_max_file);
			break;
		case 'f':
			r = parse_format(optarg, &o->fmt);
			o->fmt_given = true;
			break;
		case 'h':
			cli_cmd_help("diff");
			return 1;
		case 'i':
			r = parse_ignore(optarg, &o->diff);
			break;
		case 'I':
			r = cli_max_input("diff", optarg, &o->max_input);
			break;
		case 'j':
			r = cli_jobs("diff", optarg, &o->jobs);
			break;
		case 'm':
			r = parse_count("--max-examples", optarg, 100000,
			    &o->diff.max_examples);
			break;
		case 'N':
			r = parse_count("--look-max-files", optarg,
			    DIFF_LOOK_FILES_LIMIT, &o->diff.look_max_files);
			break;
		case 'o':
			o->out = optarg;
			o->fmt_given = true;
			break;
		case 'g':
		case 'n':
			o->progress = cli_progress_option(c);
			break;
		case 'p':
			o->platform = optarg;
			break;
		case 'P':
			o->policy = optarg;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'r':
			r = parse_require(optarg, o);
			break;
		case 'R':
			r = add_report(optarg, o);
			break;
		case 'V':
			r = parse_volatile(optarg, o);
			break;
		case 'x':
			r = add_exclude(optarg, o);
			break;
		default:
			if ((r = cli_reg_option("diff", c, optarg, &o->reg,
			    &o->verbose)) > 0)
				return cli_cmd_usage("diff");
			break;
		}
	}
	if (r != 0)
		return EXIT_TROUBLE;
	if (argc - optind != 2)
		return cli_cmd_usage("diff");
	return 0;
}

/* The policy's accept entries, then those of the --accept files. */
static void
merge_accept(struct options *o, const struct diff_policy *p)
{
	size_t n = p->accept.n + o->acc.n;

	o->accept = xcalloc(n + 1, sizeof(*o->accept));
	if (p->accept.n > 0)
		memcpy(o->accept, p->accept.v, p->accept.n * sizeof(*o->accept));
	if (o->acc.n > 0)
		memcpy(o->accept + p->accept.n, o->acc.v, o->acc.n * sizeof(*o->accept));
	o->diff.accept = o->accept;
	o->diff.naccept = n;
}

/*
 * Merge the policy file into o: an option given on the command line wins;
 * --ignore, --exclude and --accept add to the policy's lists.
 * @return 0, or EXIT_TROUBLE after printing.
 */
static int
apply_policy(struct options *o, struct diff_policy *p)
{
	struct err e = { 0, "" };
	const char **all;
	size_t i;
	unsigned c;

	if (o->policy == NULL)
		return 0;
	if (diff_policy_load(o->policy, p, &e) < 0)
		return cli_fail(&e);
	if (!o->require && p->has_require)
		o->diff.require = p->require;
	for (c = 0; c < DIFF_NCLASS; c++)
		o->diff.ignore[c] = o->diff.ignore[c] || p->ignore[c];
	if (o->platform == NULL)
		o->platform = p->platform;
	if (o->diff.max_examples == 0)
		o->diff.max_examples = p->max_examples;
	if (o->diff.look_max_file == 0)
		o->diff.look_max_file = p->look_max_file;
	if (o->diff.look_budget == 0)
		o->diff.look_budget = p->look_budget;
	if (o->diff.look_max_files == 0)
		o->diff.look_max_files = p->look_max_files;
	if (!o->volatile_files && p->has_volatile)
		o->diff.volatile_ignore = p->volatile_ignore;
	all = xcalloc(p->nexcludes + o->nexcl + 1, sizeof(*all));
	for (i = 0; i < p->nexcludes; i++)
		all[i] = p->excludes[i];
	for (i = 0; i < o->nexcl; i++)
		all[p->nexcludes + i] = o->excl[i];
	free(o->excl);
	o->excl = all;
	o->nexcl += p->nexcludes;
	o->cap = o->nexcl + 1;
	return 0;
}

static bool
is_stdout(const char *path)
{
	return path == NULL || strcmp(path, "-") == 0;
}

/*
 * The reports to write: --format/-o unless only --report was given, then
 * each --report; standard output at most once.  @return 0, or EXIT_TROUBLE
 * after printing.
 */
static int
plan_reports(struct options *o)
{
	size_t i, nstdout = 0;

	if (o->fmt_given || o->nrep == 0) {
		xgrow(&o->rep, &o->rcap, o->nrep + 1, sizeof(*o->rep));
		memmove(o->rep + 1, o->rep, o->nrep * sizeof(*o->rep));
		memset(o->rep, 0, sizeof(*o->rep));
		o->rep[0].fmt = o->fmt;
		o->rep[0].path = o->out;
		o->nrep++;
	}
	for (i = 0; i < o->nrep; i++)
		nstdout += is_stdout(o->rep[i].path);
	if (nstdout > 1) {
		cli_error("diff: standard output ('-') can take one report only");
		return EXIT_TROUBLE;
	}
	return 0;
}

/* Open every report before the images are read (util_outfile_open():
   a regular file is written beside itself and renamed into place at the
   end): a report that cannot be written stops the run early.  @return 0,
   or EXIT_TROUBLE after printing. */
static int
open_reports(struct options *o)
{
	size_t i;

	for (i = 0; i < o->nrep; i++)
		if (cli_output_open(&o->rep[i].f, o->rep[i].path) != 0)
			return EXIT_TROUBLE;
	return 0;
}

/* Close every report; when ok and every one was written, rename each into
   place, else remove the temporaries: all the reports or none.
   @return 0, or EXIT_TROUBLE after printing. */
static int
close_reports(struct options *o, bool ok)
{
	struct report_out *r;
	struct err e = { 0, "" };
	size_t i;
	int rc = ok ? 0 : EXIT_TROUBLE;

	for (i = 0; i < o->nrep; i++) {
		r = &o->rep[i];
		if (r->f.fp != NULL && rc == 0 &&
		    (fflush(r->f.fp) != 0 || ferror(r->f.fp))) {
			cli_error("cannot write '%s': %s", is_stdout(r->path) ?
			    "standard output" : r->path, strerror(errno));
			rc = EXIT_TROUBLE;
		}
	}
	for (i = 0; i < o->nrep; i++)
		if (util_outfile_close(&o->rep[i].f, rc == 0, &e) < 0) {
			cli_fail(&e);
			err_clear(&e);
			rc = EXIT_TROUBLE;
		}
	return rc;
}

/* The findings a report of format f keeps: a program reading JSON gets
   every finding unless it asked for fewer; counts and findings then
   agree. */
static size_t
report_examples(const struct options *o, enum report_format f)
{
	if (f == REPORT_JSON && o->diff.max_examples == 0)
		return DIFF_EXAMPLES_ALL;
	return o->diff.max_examples;
}

/* @return whether a report shows the inputs' SHA-256: every one but a
   quiet text report (-q prints the verdict line and the required level). */
static bool
shows_inputs(const struct options *o)
{
	size_t i;

	for (i = 0; i < o->nrep; i++)
		if (o->rep[i].fmt != REPORT_TEXT || !o->quiet)
			return true;
	return false;
}

/* Colour for r: text only; auto is a terminal with NO_COLOR unset. */
static bool
report_color(const struct options *o, const struct report_out *r)
{
	const char *nc = getenv("NO_COLOR");

	if (r->fmt != REPORT_TEXT || o->color == COLOR_NEVER)
		return false;
	if (o->color == COLOR_ALWAYS)
		return true;
	return r->f.fp == stdout && isatty(fileno(r->f.fp)) &&
	    (nc == NULL || *nc == '\0');
}

/*
 * Compare what rd read, keeping max findings per class and layer, take the
 * second look.  @return the result, or NULL after printing.
 */
static struct diff_result *
compare_one(const struct options *o, const struct reader rd[2], size_t max)
{
	struct diff_result *res = NULL;
	struct diff_opts d = o->diff;
	struct err e = { 0, "" };

	d.max_examples = max;
	if (diff_archives(rd[0].ar, rd[0].path, rd[1].ar, rd[1].path, &d,
	    &res, &e) < 0 ||
	    diff_second_look(res, rd[0].ar, rd[1].ar, &d, &e) < 0 ||
	    (o->dockerfile != NULL &&
	    cli_dockerfile_join(res, o->dockerfile, o->build_args,
	    o->nbuild_args, &e) < 0)) {
		cli_fail(&e);
		diff_result_free(res);
		return NULL;
	}
	note_fetched(res, rd);
	return res;
}

/*
 * Compare what rd read and write every report.  Reports that keep the
 * same number of findings share one result; JSON with every finding next
 * to text bounded by --max-examples makes two.
 * @return EXIT_SAME or EXIT_DIFFERENT by --require, or EXIT_TROUBLE after
 * printing.
 */
static int
compare(struct options *o, const struct reader rd[2])
{
	struct diff_result *res[2] = { NULL, NULL };
	size_t max[2], i;
	int rc = EXIT_TROUBLE, k;
	bool meets = false;

	for (i = 0; i < o->nrep; i++) {
		const struct report_out *r = &o->rep[i];

		k = report_examples(o, r->fmt) == DIFF_EXAMPLES_ALL &&
		    o->diff.max_examples == 0;
		if (res[k] == NULL) {
			max[k] = report_examples(o, r->fmt);
			if ((res[k] = compare_one(o, rd, max[k])) == NULL)
				goto out;
		}
		meets = res[k]->meets;
		report_diff(r->f.fp, res[k], r->fmt, report_color(o, r),
		    o->quiet);
	}
	rc = meets ? EXIT_SAME : EXIT_DIFFERENT;
 out:
	diff_result_free(res[0]);
	diff_result_free(res[1]);
	return rc;
}

static void
free_reports(struct options *o)
{
	size_t i;

	for (i = 0; i < o->nrep; i++)
		(void)util_outfile_close(&o->rep[i].f, false, NULL);
	free(o->rep);
}

int
cmd_diff(int argc, char **argv)
{
	struct options o;
	struct reader rd[2];
	struct diff_policy pol;
	const char *rest;
	bool defer;
	int i, rc;

	memset(&o, 0, sizeof(o));
	memset(rd, 0, sizeof(rd));
	memset(&pol, 0, sizeof(pol));
	o.fmt = REPORT_TEXT;
	o.diff.require = DIFF_SAME_DIGEST;
	if ((rc = parse_options(argc, argv, &o)) != 0) {
		rc = rc == 1 ? EXIT_SAME : rc;
		goto out;
	}
	if ((rc = apply_policy(&o, &pol)) != 0)
		goto out;
	merge_accept(&o, &pol);
	if ((rc = plan_reports(&o)) != 0 || (rc = open_reports(&o)) != 0)
		goto out;
	o.diff.excludes = o.excl;
	o.diff.nexcludes = o.nexcl;
	for (i = 0; i < 2; i++) {
		rd[i].path = argv[optind + i];
		rd[i].opts.platform = o.platform;
		rd[i].opts.max_input = o.max_input;
		rd[i].opts.jobs = o.jobs != 0 ? o.jobs : util_ncpus();
		rd[i].opts.no_input_digest = true;
		rd[i].opts.reg = &o.reg;
	}
	/* Two images in a registry: what the answer needs, no more. */
	defer = tar_transport_parse(rd[0].path, &rest) == TAR_TRANSPORT_DOCKER &&
	    tar_transport_parse(rd[1].path, &rest) == TAR_TRANSPORT_DOCKER;
	rd[0].opts.defer_layers = rd[1].opts.defer_layers = defer;
	if ((rc = read_both(rd, o.progress, shows_inputs(&o))) == 0 && (!defer ||
	    (rc = fetch_what_differs(rd)) == 0))
		rc = compare(&o, rd);
	if (rc != EXIT_TROUBLE) {
		struct tar_archive *ars[2] = { rd[0].ar, rd[1].ar };

		cli_cache_warn(ars, 2);
	}
	if (o.verbose)
		for (i = 0; i < 2; i++)
			cli_reg_note(rd[i].path, rd[i].ar);
 out:
	if (close_reports(&o, rc != EXIT_TROUBLE) != 0)
		rc = EXIT_TROUBLE;
	free_reports(&o);
	tar_free(rd[0].ar);
	tar_free(rd[1].ar);
	free(o.excl);
	free(o.build_args);
	free(o.accept);
	diff_accepts_release(&o.acc);
	diff_policy_release(&pol);
	return rc;
}
