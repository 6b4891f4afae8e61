/*
 * context.c - read a file that a Dockerfile names (pip install -r FILE).
 * The Dockerfile is hostile: it may name "../../etc/shadow", an absolute
 * path, a symbolic link out of the build context or a FIFO.  Only a regular
 * file inside the context is read, one path component at a time with
 * openat(O_NOFOLLOW), so no symbolic link and no ".." is ever followed; a
 * FIFO or device is never opened, and at most LINT_FILE_MAX bytes are read.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lint/lint_int.h"

static const char *const refusals[] = {
	[LINT_READ_OK] = "read",
	[LINT_READ_MISSING] = "no such file in the build context",
	[LINT_READ_OUTSIDE] = "outside the build context",
	[LINT_READ_LINK] = "a symbolic link",
	[LINT_READ_SPECIAL] = "not a regular file",
	[LINT_READ_TOO_BIG] = "larger than the size limit",
	[LINT_READ_FAILED] = "cannot be read",
};

const char *
lint_read_name(enum lint_read_result r)
{
	return refusals[r];
}

/* @return why component name of directory dfd cannot be opened (errno set
   by the failed open). */
static enum lint_read_result
why_not(int dfd, const char *name, int err)
{
	struct stat st;

	if (err == ENOENT)
		return LINT_READ_MISSING;
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (S_ISLNK(st.st_mode))
			return LINT_READ_LINK;
		if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode))
			return LINT_READ_SPECIAL;
	}
	return err == ENOTDIR ? LINT_READ_MISSING : LINT_READ_FAILED;
}

/* Open the last component: a regular file only, never a FIFO or device. */
static enum lint_read_result
open_file(int dfd, const char *name, int *fdp)
{
	struct stat before, st;
	int fd;

	if (fstatat(dfd, name, &before, AT_SYMLINK_NOFOLLOW) < 0)
		return why_not(dfd, name, errno);
	if (S_ISLNK(before.st_mode))
		return LINT_READ_LINK;
	if (!S_ISREG(before.st_mode))
		return LINT_READ_SPECIAL;
	/* O_NONBLOCK: should a FIFO be swapped in, opening it cannot block */
	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY |
	    O_CLOEXEC);
	if (fd < 0)
		return why_not(dfd, name, errno);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_ino != before.st_ino || st.st_dev != before.st_dev) {
		close(fd);
		return LINT_READ_SPECIAL;
	}
	if (st.st_size > LINT_FILE_MAX) {
		close(fd);
		return LINT_READ_TOO_BIG;
	}
	*fdp = fd;
	return LINT_READ_OK;
}

/* Read at most LINT_FILE_MAX bytes of fd into out. */
static enum lint_read_result
read_bounded(int fd, struct sbuf *out)
{
	char buf[65536];
	ssize_t n;

	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return LINT_READ_FAILED;
		if (n == 0)
			return LINT_READ_OK;
		if (out->len + (size_t)n > LINT_FILE_MAX)
			return LINT_READ_TOO_BIG;	/* it grew */
		sbuf_add(out, buf, (size_t)n);
	}
}

/* @return true when a component of path is "..". */
static bool
has_dot_dot(const char *path)
{
	const char *p = path;
	size_t n;

	for (;;) {
		n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return true;
		if (p[n] == '\0')
			return false;
		p += n + 1;
	}
}

enum lint_read_result
lint_context_read(const char *context, const char *rel, struct sbuf *out)
{
	enum lint_read_result r;
	const char *p = rel, *slash;
	char *name = NULL;
	int dfd, next, fd = -1;

	sbuf_reset(out);
	if (rel[0] == '\0')
		return LINT_READ_MISSING;
	if (rel[0] == '/' || has_dot_dot(rel))
		return LINT_READ_OUTSIDE;
	if ((dfd = open(context, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return LINT_READ_FAILED;
	for (;;) {
		slash = strchr(p, '/');
		free(name);
		name = slash != NULL ? xstrndup(p, (size_t)(slash - p)) :
		    xstrdup(p);
		if (slash == NULL) {
			if ((r = open_file(dfd, name, &fd)) == LINT_READ_OK)
				r = read_bounded(fd, out);
			break;
		}
		p = slash + 1;
		if (name[0] == '\0' || strcmp(name, ".") == 0)
			continue;
		next = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
		if (next < 0) {
			r = why_not(dfd, name, errno);
			break;
		}
		close(dfd);
		dfd = next;
	}
	if (fd >= 0)
		close(fd);
	close(dfd);
	free(name);
	if (r != LINT_READ_OK)
		sbuf_reset(out);
	return r;
}
