/*
 * names.c - the one table of verdict names and the one of drift classes
 * (name and fix hint): every parse, name and list of them comes from here;
 * exclude globs.
 */
#include <fnmatch.h>
#include <string.h>

#include "diff/diff_int.h"

/* The one table of verdict names, indexed by enum diff_verdict. */
static const char *const verdict_names[] = {
	[DIFF_IDENTICAL] = "identical",
	[DIFF_SAME_DIGEST] = "same-digest",
	[DIFF_BYTE_EQUIVALENT] = "byte-equivalent",
	[DIFF_DEPENDENCY_EQUIVALENT] = "dependency-equivalent",
	[DIFF_DIFFERENT] = "different",
};

/* The one table of drift classes, indexed by enum diff_class. */
static const struct {
	const char *name;
	const char *hint;	/* what to change in the build */
} classes[DIFF_NCLASS] = {
	[DIFF_COMPRESSION] = { "compression",
	    "use the same compressor, version and level on both sides (gzip -n, a "
	    "pinned --dest-compress-level); compare diff_ids, not digests, when "
	    "only compression may change" },
	[DIFF_CONTENT] = { "content",
	    "pin the base image by digest, dependencies by lockfile with hashes, "
	    "packages by version, and name --platform" },
	[DIFF_ENCODING] = { "encoding",
	    "build with the same builder and tar writer version (ustar/pax/gnu "
	    "headers and padding follow the writer)" },
	[DIFF_METADATA] = { "metadata",
	    "keep labels, annotations and history stable (no build ids or dates "
	    "in LABEL), and save with the same tool and format" },
	[DIFF_ORDERING] = { "ordering",
	    "sort archive members: tar --sort=name, BuildKit rewrite-timestamp; "
	    "LC_ALL=C for generated lists" },
	[DIFF_PERMISSION] = { "permission",
	    "set a fixed umask 022, use COPY --chmod/--chown, and tar --owner=0 "
	    "--group=0 --numeric-owner" },
	[DIFF_TIMESTAMP] = { "timestamp",
	    "set SOURCE_DATE_EPOCH and clamp file times (BuildKit "
	    "rewrite-timestamp=true, tar --mtime=@$SOURCE_DATE_EPOCH "
	    "--clamp-mtime); gzip -n; checked-hash .pyc files" },
};

const char *
diff_verdict_name(enum diff_verdict v)
{
	return (unsigned)v <= DIFF_DIFFERENT ? verdict_names[v] :
	    verdict_names[DIFF_DIFFERENT];
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

char *
diff_verdict_names(enum diff_verdict last, const char *sep)
{
	struct sbuf sb = SBUF_INIT;
	unsigned i;

	for (i = 0; i <= (unsigned)last && i <= DIFF_DIFFERENT; i++)
		sbuf_addf(&sb, "%s%s", i > 0 ? sep : "", verdict_names[i]);
	return sbuf_detach(&sb);
}

const char *
diff_class_name(enum diff_class c)
{
	return (unsigned)c < DIFF_NCLASS ? classes[c].name :
	    classes[DIFF_CONTENT].name;
}

int
diff_class_parse(const char *s, enum diff_class *out)
{
	unsigned i;

	for (i = 0; i < DIFF_NCLASS; i++)
		if (strcmp(s, classes[i].name) == 0) {
			*out = (enum diff_class)i;
			return 0;
		}
	return -1;
}

char *
diff_class_names(const char *sep)
{
	struct sbuf sb = SBUF_INIT;
	unsigned i;

	for (i = 0; i < DIFF_NCLASS; i++)
		sbuf_addf(&sb, "%s%s", i > 0 ? sep : "", classes[i].name);
	return sbuf_detach(&sb);
}

const char *
diff_class_hint(enum diff_class c)
{
	return (unsigned)c < DIFF_NCLASS ? classes[c].hint : "";
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
