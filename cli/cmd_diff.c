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
#include <unistd.h>

#include "cli/cli.h"
#include "diff/diff.h"
#include "report/report.h"
#include "tar/tar.h"
#include "util/sbuf.h"
#include "util/util.h"

static const char usage_line[] =
    "imgdrift diff [--format text|json|markdown|junit] [-o FILE] [--policy FILE]\n"
    "                     [--require LEVEL] [--ignore CLASS[,CLASS...]] [--exclude GLOB]...\n"
    "                     [--platform OS/ARCH[/VARIANT]] [--max-examples N]\n"
    "                     [--volatile ignore|report] [-q] A B\n"
    "A and B are images or fingerprints written by imgdrift record.";

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
	char *copy = xstrdup(arg), *tok, *save = NULL;
	enum diff_class c;
	int r = 0;

	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (diff_class_parse(tok, &c) < 0) {
			cli_error("diff: unknown class '%s' (compression, content, "
			    "encoding, metadata, ordering, permission, timestamp)", tok);
			r = -1;
			break;
		}
		o->ignore[c] = true;
	}
	free(copy);
	return r;
}

static int
parse_count(const char *arg, size_t *out)
{
	char *end;
	unsigned long v;

	v = strtoul(arg, &end, 10);
	if (*arg == '\0' || *end != '\0' || arg[0] == '-' || v < 1 || v > 100000) {
		cli_error("diff: --max-examples takes a number from 1 to 100000");
		return -1;
	}
	*out = v;
	return 0;
}

/*
 * Read A and B, in parallel when neither is standard input.  An image
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
	in = strcmp(rd[0].path, "-") == 0 ? 0 : strcmp(rd[1].path, "-") == 0 ?
	    1 : -1;
	if (!sha && in >= 0) {
		/* Only reading it tells whether standard input is a fingerprint. */
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

/* What was given on the command line, before the policy fills the rest. */
struct given {
	bool require, volatile_files;
	const char *platform;
	const char *policy;
	const char **excl;
	size_t nexcl, cap;
};

/*
 * Merge the policy file into o: an option given on the command line wins;
 * --ignore and --exclude add to the policy's lists.
 * @return 0, or EXIT_TROUBLE after printing.
 */
static int
apply_policy(struct given *g, struct diff_policy *p, struct diff_opts *o)
{
	struct err e = { 0, "" };
	const char **all;
	size_t i;
	unsigned c;

	if (g->policy == NULL)
		return 0;
	if (diff_policy_load(g->policy, p, &e) < 0)
		return cli_fail(&e);
	if (!g->require && p->has_require)
		o->require = p->require;
	for (c = 0; c < DIFF_NCLASS; c++)
		o->ignore[c] = o->ignore[c] || p->ignore[c];
	if (g->platform == NULL)
		g->platform = p->platform;
	if (o->max_examples == 0)
		o->max_examples = p->max_examples;
	if (!g->volatile_files && p->has_volatile)
		o->volatile_ignore = p->volatile_ignore;
	all = xcalloc(p->nexcludes + g->nexcl + 1, sizeof(*all));
	for (i = 0; i < p->nexcludes; i++)
		all[i] = p->excludes[i];
	for (i = 0; i < g->nexcl; i++)
		all[p->nexcludes + i] = g->excl[i];
	free(g->excl);
	g->excl = all;
	g->nexcl += p->nexcludes;
	g->cap = g->nexcl + 1;
	return 0;
}

int
cmd_diff(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "exclude",		required_argument,	NULL, 'x' },
		{ "format",		required_argument,	NULL, 'f' },
		{ "help",		no_argument,		NULL, 'h' },
		{ "ignore",		required_argument,	NULL, 'i' },
		{ "max-examples",	required_argument,	NULL, 'm' },
		{ "output",		required_argument,	NULL, 'o' },
		{ "platform",		required_argument,	NULL, 'p' },
		{ "policy",		required_argument,	NULL, 'P' },
		{ "quiet",		no_argument,		NULL, 'q' },
		{ "require",		required_argument,	NULL, 'r' },
		{ "volatile",		required_argument,	NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct reader rd[2];
	struct diff_opts o;
	struct diff_result *res = NULL;
	enum report_format fmt = REPORT_TEXT;
	struct err e = { 0, "" };
	struct given g;
	struct diff_policy pol;
	const char *out = NULL, *nc;
	bool quiet = false, color;
	FILE *fp;
	int c, rc = EXIT_TROUBLE;

	memset(&o, 0, sizeof(o));
	memset(rd, 0, sizeof(rd));
	memset(&g, 0, sizeof(g));
	memset(&pol, 0, sizeof(pol));
	o.require = DIFF_SAME_DIGEST;
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:ho:q", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (report_parse_format(optarg, &fmt) < 0) {
				cli_error("diff: unknown format '%s' (text, json, markdown, "
				    "junit)", optarg);
				goto out;
			}
			break;
		case 'h':
			printf("usage: %s\n", usage_line);
			rc = EXIT_SAME;
			goto out;
		case 'i':
			if (parse_ignore(optarg, &o) < 0)
				goto out;
			break;
		case 'm':
			if (parse_count(optarg, &o.max_examples) < 0)
				goto out;
			break;
		case 'o':
			out = optarg;
			break;
		case 'p':
			g.platform = optarg;
			break;
		case 'P':
			g.policy = optarg;
			break;
		case 'q':
			quiet = true;
			break;
		case 'r':
			if (diff_verdict_parse(optarg, &o.require) < 0 ||
			    o.require == DIFF_DIFFERENT) {
				cli_error("diff: unknown level '%s' (identical, same-digest, "
				    "byte-equivalent, dependency-equivalent)", optarg);
				goto out;
			}
			g.require = true;
			break;
		case 'V':
			if (strcmp(optarg, "ignore") != 0 && strcmp(optarg, "report") != 0) {
				cli_error("diff: --volatile takes 'ignore' or 'report'");
				goto out;
			}
			o.volatile_ignore = strcmp(optarg, "ignore") == 0;
			g.volatile_files = true;
			break;
		case 'x':
			xgrow(&g.excl, &g.cap, g.nexcl + 1, sizeof(*g.excl));
			g.excl[g.nexcl++] = optarg;
			break;
		default:
			rc = cli_usage(usage_line);
			goto out;
		}
	}
	if (argc - optind != 2) {
		rc = cli_usage(usage_line);
		goto out;
	}
	if ((rc = apply_policy(&g, &pol, &o)) != 0)
		goto out;
	o.excludes = g.excl;
	o.nexcludes = g.nexcl;
	rd[0].opts.platform = rd[1].opts.platform = g.platform;
	rd[0].path = argv[optind];
	rd[1].path = argv[optind + 1];
	rd[0].opts.no_input_digest = rd[1].opts.no_input_digest = true;
	if ((rc = read_both(rd)) != 0)
		goto out;
	rc = EXIT_TROUBLE;
	if (diff_archives(rd[0].ar, rd[0].path, rd[1].ar, rd[1].path, &o, &res,
	    &e) < 0 || diff_second_look(res, rd[0].ar, rd[1].ar, &o, &e) < 0) {
		cli_fail(&e);
		goto out;
	}
	if ((fp = cli_open_output(out)) == NULL)
		goto out;
	nc = getenv("NO_COLOR");
	color = fp == stdout && isatty(fileno(fp)) && (nc == NULL || *nc == '\0');
	report_diff(fp, res, fmt, color, quiet);
	if (cli_close_output(fp, out) != 0)
		goto out;
	rc = res->meets ? EXIT_SAME : EXIT_DIFFERENT;
 out:
	diff_result_free(res);
	tar_free(rd[0].ar);
	tar_free(rd[1].ar);
	free(g.excl);
	diff_policy_release(&pol);
	return rc;
}
