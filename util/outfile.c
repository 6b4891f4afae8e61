/*
 * outfile.c - an output file that appears whole or not at all: a regular
 * file (or one that does not exist yet) is written to a temporary file
 * beside it and renamed into place only when the caller says the run
 * succeeded, so a failure half-way leaves the old file as it was, or none.
 * Standard output, /dev/null, a FIFO or a terminal are written in place.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/err.h"
#include "util/sbuf.h"
#include "util/util.h"

int
util_outfile_open(struct util_outfile *o, const char *path, struct err *e)
{
	struct stat st;
	mode_t mask;
	int fd;

	memset(o, 0, sizeof(*o));
	o->path = path;
	if (path == NULL || strcmp(path, "-") == 0) {
		o->fp = stdout;
		return 0;
	}
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if ((o->fp = fopen(path, "we")) == NULL)
			return err_set(e, ERR_IO, "cannot open '%s': %s", path,
			    strerror(errno));
		return 0;
	}
	/* In the same directory, so that rename() is atomic. */
	o->tmp = xstrfmt("%s.tmpXXXXXX", path);
	if ((fd = mkostemp(o->tmp, O_CLOEXEC)) < 0) {
		err_set(e, ERR_IO, "cannot open '%s': %s", path,
		    strerror(errno));
		free(o->tmp);
		o->tmp = NULL;
		return ERR_IO;
	}
	/* What fopen("w") would have made: 0666 less the umask. */
	mask = umask(0);
	umask(mask);
	(void)fchmod(fd, 0666 & ~mask);
	if ((o->fp = fdopen(fd, "w")) == NULL) {
		err_set(e, ERR_IO, "cannot open '%s': %s", path, strerror(errno));
		close(fd);
		(void)unlink(o->tmp);
		free(o->tmp);
		o->tmp = NULL;
		return ERR_IO;
	}
	return 0;
}

int
util_outfile_close(struct util_outfile *o, bool ok, struct err *e)
{
	int bad, rc = 0;

	if (o->fp == NULL)
		return 0;
	bad = ferror(o->fp);
	bad |= o->fp == stdout ? fflush(o->fp) : fclose(o->fp);
	o->fp = NULL;
	if (bad && ok)
		rc = err_set(e, ERR_IO, "cannot write '%s': %s", o->path != NULL &&
		    strcmp(o->path, "-") != 0 ? o->path : "standard output",
		    errno != 0 ? strerror(errno) : "write error");
	if (o->tmp != NULL) {
		if (ok && rc == 0 && rename(o->tmp, o->path) != 0)
			rc = err_set(e, ERR_IO, "cannot write '%s': %s", o->path,
			    strerror(errno));
		if (!ok || rc != 0)
			(void)unlink(o->tmp);
		free(o->tmp);
		o->tmp = NULL;
	}
	return rc;
}
