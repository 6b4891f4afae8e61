/*
 * util.c - what every subcommand shares: error lines and output files.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "reg/reg.h"
#include "tar/tar.h"
#include "util/sbuf.h"
#include "util/util.h"

/*
 * The one place an error meets the terminal: messages carry names from
 * images, files and arguments raw, and they are escaped here, once.
 */
void
cli_error(const char *fmt, ...)
{
	struct sbuf msg = SBUF_INIT, line = SBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	sbuf_addstr(&line, "imgdrift: ");
	sbuf_add_escaped(&line, sbuf_str(&msg), msg.len);
	sbuf_addc(&line, '\n');
	fflush(stdout);
	fputs(sbuf_str(&line), stderr);
	sbuf_release(&msg);
	sbuf_release(&line);
}

int
cli_fail(const struct err *e)
{
	cli_error("%s", e->msg[0] != '\0' ? e->msg : err_name(e->code));
	return EXIT_TROUBLE;
}

int
cli_size(const char *cmd, const char *opt, const char *arg, uint64_t *out)
{
	if (util_parse_size(arg, out) == 0)
		return 0;
	cli_error("%s: %s takes a size in bytes, or with K, M, G or T after it, "
	    "not '%s'", cmd, opt, arg);
	return -1;
}

int
cli_max_input(const char *cmd, const char *arg, uint64_t *out)
{
	return cli_size(cmd, "--max-input", arg, out);
}

int
cli_reg_option(const char *cmd, int c, const char *arg, struct reg_opts *o,
    bool *verbose)
{
	char *end;
	long v;

	switch (c) {
	case CLI_OPT_CACHE:
		o->cache = arg;
		return 0;
	case CLI_OPT_CERT_DIR:
		o->cert_dir = arg;
		return 0;
	case CLI_OPT_CREDS:
		if (strchr(arg, ':') == NULL || arg[0] == ':') {
			cli_error("%s: --creds takes USER:PASS", cmd);
			return -1;
		}
		o->creds = arg;
		return 0;
	case CLI_OPT_TIMEOUT:
		v = strtol(arg, &end, 10);
		if (*arg < '0' || *arg > '9' || *end != '\0' || v < 1 || v > 3600) {
			cli_error("%s: --timeout takes seconds from 1 to 3600, not '%s'",
			    cmd, arg);
			return -1;
		}
		o->timeout = v;
		return 0;
	case CLI_OPT_TLS_VERIFY:
		if (strcmp(arg, "true") != 0 && strcmp(arg, "false") != 0) {
			cli_error("%s: --tls-verify takes true or false, not '%s'", cmd,
			    arg);
			return -1;
		}
		o->tls_verify_off = strcmp(arg, "false") == 0;
		return 0;
	case CLI_OPT_VERBOSE:
		*verbose = true;
		return 0;
	default:
		return 1;
	}
}

void
cli_reg_note(const char *name, const struct tar_archive *ar)
{
	struct reg_stats st;

	if (ar == NULL || !tar_registry_stats(ar, &st))
		return;
	cli_error("%s: fetched %llu bytes in %u requests (%u manifests, %u blobs, "
	    "%u retries); %u layers (%llu bytes) not fetched, %u fetched after "
	    "all, %u from the cache", name, (unsigned long long)st.bytes,
	    st.requests, st.manifests, st.blobs, st.retries, st.layers_deferred,
	    (unsigned long long)st.bytes_deferred, st.layers_late,
	    st.layers_cached);
}

void
cli_cache_warn(struct tar_archive *const *ars, size_t n)
{
	const char *first = NULL, *w;
	unsigned all = 0, k;
	size_t i;

	for (i = 0; i < n; i++) {
		if (ars[i] == NULL || (w = tar_cache_warning(ars[i], &k)) == NULL)
			continue;
		if (first == NULL)
			first = w;
		all += k;
	}
	if (first != NULL)
		cli_error("warning: %s (%u layer%s not kept: fetched again next "
		    "time)", first, all, all == 1 ? "" : "s");
}

int
cli_jobs(const char *cmd, const char *arg, unsigned *out)
{
	char *end;
	unsigned long v;

	v = strtoul(arg, &end, 10);
	if (*arg == '\0' || *end != '\0' || arg[0] == '-' || v < 1 ||
	    v > CLI_JOBS_MAX) {
		cli_error("%s: -j takes a number from 1 to %d", cmd, CLI_JOBS_MAX);
		return -1;
	}
	*out = (unsigned)v;
	return 0;
}

int
cli_output_open(struct util_outfile *f, const char *path)
{
	struct err e = { 0, "" };

	return util_outfile_open(f, path, &e) < 0 ? cli_fail(&e) : 0;
}

int
cli_output_close(struct util_outfile *f, int rc)
{
	struct err e = { 0, "" };

	if (rc < 0)
		err_set(&e, ERR_IO, "cannot write '%s': %s", f->path != NULL &&
		    strcmp(f->path, "-") != 0 ? f->path : "standard output",
		    errno != 0 ? strerror(errno) : "write error");
	if (util_outfile_close(f, rc == 0, &e) < 0 || rc < 0)
		return cli_fail(&e);
	return 0;
}

int
cli_close_output(FILE *fp, const char *path)
{
	int bad = ferror(fp);

	if (fp == stdout)
		bad |= fflush(fp);
	else
		bad |= fclose(fp);
	if (bad) {
		cli_error("cannot write '%s': %s", path ? path : "standard output",
		    strerror(errno));
		return EXIT_TROUBLE;
	}
	return 0;
}
