/*
 * names.c - names of verdicts and classes, fix hints, exclude globs.
 */
#include <fnmatch.h>
#include <string.h>

#include "diff/diff_int.h"

static const char *const verdict_names[] = {
	"identical", "same-digest", "byte-equivalent", "dependency-equivalent",
	"different",
};

static const char *const class_names[DIFF_NCLASS] = {
	"compression", "content", "encoding", "metadata", "ordering",
	"permission", "timestamp",
};

static const char *const class_hints[DIFF_NCLASS] = {
	"use the same compressor, version and level on both sides (gzip -n, a "
	    "pinned --dest-compress-level); compare diff_ids, not digests, when "
	    "only compression may change",
	"pin the base image by digest, dependencies by lockfile with hashes, "
	    "packages by version, and name --platform",
	"build with the same builder and tar writer version (ustar/pax/gnu "
	    "headers and padding follow the writer)",
	"keep labels, annotations and history stable (no build ids or dates "
	    "in LABEL), and save with the same tool and format",
	"sort archive members: tar --sort=name, BuildKit rewrite-timestamp; "
	    "LC_ALL=C for generated lists",
	"set a fixed umask 022, use COPY --chmod/--chown, and tar --owner=0 "
	    "--group=0 --numeric-owner",
	"set SOURCE_DATE_EPOCH and clamp file times (BuildKit "
	    "rewrite-timestamp=true, tar --mtime=@$SOURCE_DATE_EPOCH "
	    "--clamp-mtime); gzip -n; checked-hash .pyc files",
};

const char *
diff_verdict_name(enum diff_verdict v)
{
	return (unsigned)v <= DIFF_DIFFERENT ? verdict_names[v] : "different";
}

int
diff_verdict_parse(const char *s, enum diff_verdict *out)
{
	unsigned i;

	for (i = 0; i <= DIFF_DIFFERENT; i++)
		if (strcmp(s, verdict_names[i]) == 0) {
			*out = (enum diff_verdict)i;
			return 0;
		}
	return -1;
}

const char *
diff_class_name(enum diff_class c)
{
	return (unsigned)c < DIFF_NCLASS ? class_names[c] : "content";
}

int
diff_class_parse(const char *s, enum diff_class *out)
{
	unsigned i;

	for (i = 0; i < DIFF_NCLASS; i++)
		if (strcmp(s, class_names[i]) == 0) {
			*out = (enum diff_class)i;
			return 0;
		}
	return -1;
}

const char *
diff_class_hint(enum diff_class c)
{
	return (unsigned)c < DIFF_NCLASS ? class_hints[c] : "";
}

bool
diff_path_excluded(const char *pattern, const char *path)
{
	size_t n = strlen(pattern);

	while (n > 0 && pattern[n - 1] == '/')
		n--;
	if (fnmatch(pattern, path, 0) == 0)
		return true;
	/* "var/cache" and "var/cache/" leave out everything below. */
	return strncmp(pattern, path, n) == 0 && path[n] == '/' &&
	    strcspn(pattern, "*?[") >= n;
}

bool
diff_path_excluded_any(const struct diff_opts *o, const char *path)
{
	size_t i;

	for (i = 0; i < o->nexcludes; i++)
		if (diff_path_excluded(o->excludes[i], path))
			return true;
	return false;
}
