/*
 * cmd_diff.c - imgdrift diff [options] A B
 *
 * Both images are read at the same time, one thread each; then compared.
 * Exit 0 when the pair meets --require, 1 when not, 2 on trouble (which
 * wins over differences).
 */
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

/*
 * Print the usage text, its list of formats from the renderer table: on
 * standard output for --help (@return 1), else on standard error
 * (@return EXIT_TROUBLE).
 */
static int
usage(bool help)
{
	char *formats = report_format_names("|"), *u;
	int rc = 1;

	u = xstrfmt("imgdrift diff [--format %s] [-o FILE] [--policy FILE]\n"
	    "                     [--accept FILE]... [--require LEVEL] [--ignore CLASS[,CLASS...]] "
	    "[--exclude GLOB]...\n"
	    "                     [--platform OS/ARCH[/VARIANT]] [--max-examples N]\n"
	    "                     [--max-input SIZE] [--volatile ignore|report]\n"
	    "                     [--look-max-file SIZE] [--look-budget SIZE] "
	    "[--look-max-files N]\n"
	    "                     [--dockerfile FILE [--build-arg NAME=VALUE]...] "
	    "[-q] A B\n"
	    "A and B are images or fingerprints written by imgdrift record.",
	    formats);
	if (help)
		printf("usage: %s\n", u);
	else
		rc = cli_usage(u);
	free(u);
	free(formats);
	return rc;
}

struct reader {
	const char *path;
	struct tar_opts opts;
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
 * fingerprint.  @return 0, or EXIT_TROUBLE after printing.
 */
static int
read_both(struct reader rd[2])
{
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
	/* The input's SHA-256 tells whether it is what a fingerprint records. */
	if (sha)
		rd[0].opts.no_input_digest = rd[1].opts.no_input_digest = false;
	in = is_stream(rd[0].path) ? 0 : is_stream(rd[1].path) ? 1 : -1;
	if (!sha && in >= 0) {
		/* Only reading it tells whether a stream is a fingerprint. */
		read_one(&rd[in]);
		if (rd[in].r == 0 && tar_is_fingerprint(rd[in].ar)) {
			rd[!in].opts.sha256_entries = true;
			rd[!in].opts.no_input_digest = false;
		}
		read_one(&rd[!in]);
	} else {
		util_run_both(read_one, &rd[0], &rd[1]);
	}
	if (rd[0].r < 0)
		return cli_fail(&rd[0].e);
	if (rd[1].r < 0)
		return cli_fail(&rd[1].e);
	return 0;
}

struct options {
	struct diff_opts diff;		/* excludes point into excl */
	enum report_format fmt;
	const char *out;		/* -o FILE, NULL for standard output */
	bool quiet;
	/* What was given on the command line, before the policy fills the
	   rest. */
	bool require, volatile_files;
	const char *platform;
	const char *dockerfile;		/* --dockerfile FILE */
	const char **build_args;	/* --build-arg NAME=VALUE, borrowed */
	size_t nbuild_args, bcap;
	uint64_t max_input;		/* 0: the reader's default */
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
	static const struct option longopts[] = {
		{ "accept",		required_argument,	NULL, 'A' },
		{ "build-arg",		required_argument,	NULL, 'a' },
		{ "dockerfile",		required_argument,	NULL, 'D' },
		{ "exclude",		required_argument,	NULL, 'x' },
		{ "format",		required_argument,	NULL, 'f' },
		{ "help",		no_argument,		NULL, 'h' },
		{ "ignore",		required_argument,	NULL, 'i' },
		{ "look-budget",	required_argument,	NULL, 'B' },
		{ "look-max-file",	required_argument,	NULL, 'F' },
		{ "look-max-files",	required_argument,	NULL, 'N' },
		{ "max-examples",	required_argument,	NULL, 'm' },
		{ "max-input",		required_argument,	NULL, 'I' },
		{ "output",		required_argument,	NULL, 'o' },
		{ "platform",		required_argument,	NULL, 'p' },
		{ "policy",		required_argument,	NULL, 'P' },
		{ "quiet",		no_argument,		NULL, 'q' },
		{ "require",		required_argument,	NULL, 'r' },
		{ "volatile",		required_argument,	NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int c, r = 0;

	optind = 1;
	while (r == 0 &&
	    (c = cli_getopt(argc, argv, "f:ho:q", longopts)) != -1) {
		switch (c) {
		case 'A':
			r = load_accept(optarg, o);
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
			break;
		case 'h':
			return usage(true);
		case 'i':
			r = parse_ignore(optarg, &o->diff);
			break;
		case 'I':
			r = cli_max_input("diff", optarg, &o->max_input);
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
		case 'V':
			r = parse_volatile(optarg, o);
			break;
		case 'x':
			r = add_exclude(optarg, o);
			break;
		default:
			return usage(false);
		}
	}
	if (r != 0)
		return EXIT_TROUBLE;
	if (argc - optind != 2)
		return usage(false);
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

/*
 * Compare what rd read, take the second look, and write the report.
 * @return EXIT_SAME or EXIT_DIFFERENT by --require, or EXIT_TROUBLE after
 * printing.
 */
static int
compare(const struct options *o, const struct reader rd[2])
{
	struct diff_result *res = NULL;
	struct err e = { 0, "" };
	const char *nc;
	bool color;
	FILE *fp;
	int rc = EXIT_TROUBLE;

	if (diff_archives(rd[0].ar, rd[0].path, rd[1].ar, rd[1].path, &o->diff,
	    &res, &e) < 0 ||
	    diff_second_look(res, rd[0].ar, rd[1].ar, &o->diff, &e) < 0 ||
	    (o->dockerfile != NULL &&
	    cli_dockerfile_join(res, o->dockerfile, o->build_args,
	    o->nbuild_args, &e) < 0)) {
		cli_fail(&e);
		goto out;
	}
	if ((fp = cli_open_output(o->out)) == NULL)
		goto out;
	nc = getenv("NO_COLOR");
	color = fp == stdout && isatty(fileno(fp)) && (nc == NULL || *nc == '\0');
	report_diff(fp, res, o->fmt, color, o->quiet);
	if (cli_close_output(fp, o->out) != 0)
		goto out;
	rc = res->meets ? EXIT_SAME : EXIT_DIFFERENT;
 out:
	diff_result_free(res);
	return rc;
}

int
cmd_diff(int argc, char **argv)
{
	struct options o;
	struct reader rd[2];
	struct diff_policy pol;
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
	/* A program reading JSON gets every finding unless it asked for fewer;
	   counts and findings then agree. */
	if (o.fmt == REPORT_JSON && o.diff.max_examples == 0)
		o.diff.max_examples = DIFF_EXAMPLES_ALL;
	o.diff.excludes = o.excl;
	o.diff.nexcludes = o.nexcl;
	for (i = 0; i < 2; i++) {
		rd[i].path = argv[optind + i];
		rd[i].opts.platform = o.platform;
		rd[i].opts.max_input = o.max_input;
		rd[i].opts.no_input_digest = true;
	}
	if ((rc = read_both(rd)) == 0)
		rc = compare(&o, rd);
 out:
	tar_free(rd[0].ar);
	tar_free(rd[1].ar);
	free(o.excl);
	free(o.build_args);
	free(o.accept);
	diff_accepts_release(&o.acc);
	diff_policy_release(&pol);
	return rc;
}
