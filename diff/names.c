/*
 * names.c - the one table of verdict names and the one of drift classes
 * (name and fix hint): every parse, name and list of them comes from here;
 * field names and the words for their raw values; exclude globs.
 */
#include <fnmatch.h>
#include <stdlib.h>
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
	uint8_t level;		/* enum diff_verdict: the best verdict still
				   possible with it (DESIGN.md's table) */
	const char *hint;	/* what to change in the build */
} classes[DIFF_NCLASS] = {
	[DIFF_COMPRESSION] = { "compression", DIFF_BYTE_EQUIVALENT,
	    "use the same compressor, version and level on both sides (gzip -n, a "
	    "pinned --dest-compress-level); compare diff_ids, not digests, when "
	    "only compression may change" },
	[DIFF_CONTENT] = { "content", DIFF_DIFFERENT,
	    "pin the base image by digest, dependencies by lockfile with hashes, "
	    "packages by version, and name --platform" },
	[DIFF_ENCODING] = { "encoding", DIFF_DEPENDENCY_EQUIVALENT,
	    "build with the same builder and tar writer version (ustar/pax/gnu "
	    "headers and padding follow the writer)" },
	/* In the config; in the manifest, index or wrapper its finding sites
	   allow byte-equivalent. */
	[DIFF_METADATA] = { "metadata", DIFF_DEPENDENCY_EQUIVALENT,
	    "keep labels, annotations and history stable (no build ids or dates "
	    "in LABEL), and save with the same tool and format" },
	[DIFF_ORDERING] = { "ordering", DIFF_DEPENDENCY_EQUIVALENT,
	    "sort archive members: tar --sort=name, BuildKit rewrite-timestamp; "
	    "LC_ALL=C for generated lists" },
	[DIFF_PERMISSION] = { "permission", DIFF_DIFFERENT,
	    "set a fixed umask 022, use COPY --chmod/--chown, and tar --owner=0 "
	    "--group=0 --numeric-owner" },
	[DIFF_TIMESTAMP] = { "timestamp", DIFF_DEPENDENCY_EQUIVALENT,
	    "set SOURCE_DATE_EPOCH and clamp file times (BuildKit "
	    "rewrite-timestamp=true, buildah/podman --timestamp, kaniko "
	    "--reproducible: kaniko and the legacy docker builder ignore "
	    "SOURCE_DATE_EPOCH; tar --mtime=@$SOURCE_DATE_EPOCH --clamp-mtime); "
	    "gzip -n; checked-hash .pyc files" },
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

enum diff_verdict
diff_class_level(enum diff_class c)
{
	return (unsigned)c < DIFF_NCLASS ? (enum diff_verdict)classes[c].level :
	    DIFF_DIFFERENT;
}

const char *
diff_class_hint(enum diff_class c)
{
	return (unsigned)c < DIFF_NCLASS ? classes[c].hint : "";
}

char *
diff_exclude_glob(const char *pattern)
{
	char *g = xstrdup(pattern);

	tar_normalize_path(g);
	if (g[0] == '\0') {
		free(g);
		return NULL;
	}
	return g;
}

bool
diff_path_excluded(const char *glob, const char *path)
{
	/* FNM_LEADING_DIR: a pattern that names a directory (or matches
	   one) leaves out everything below it. */
	return fnmatch(glob, path, FNM_LEADING_DIR) == 0;
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

static const char *const field_names[DIFF_NFIELD] = {
	[DIFF_FIELD_TYPE] = "type",
	[DIFF_FIELD_SIZE] = "size",
	[DIFF_FIELD_CONTENT] = "content",
	[DIFF_FIELD_LINK] = "link",
	[DIFF_FIELD_HARDLINK] = "hardlink",
	[DIFF_FIELD_DEVICE] = "device",
	[DIFF_FIELD_MODE] = "mode",
	[DIFF_FIELD_UID] = "uid",
	[DIFF_FIELD_GID] = "gid",
	[DIFF_FIELD_UNAME] = "uname",
	[DIFF_FIELD_GNAME] = "gname",
	[DIFF_FIELD_XATTRS] = "xattrs",
	[DIFF_FIELD_MTIME] = "mtime",
	[DIFF_FIELD_ATIME] = "atime",
	[DIFF_FIELD_CTIME] = "ctime",
	[DIFF_FIELD_HEADER] = "header",
	[DIFF_FIELD_ENTRY] = "entry",
	[DIFF_FIELD_POSITION] = "position",
	[DIFF_FIELD_DIFF_ID] = "diff_id",
	[DIFF_FIELD_LAYERS] = "layers",
	[DIFF_FIELD_TAR_SIZE] = "tar.size",
	[DIFF_FIELD_TAR_BYTES] = "tar.bytes",
	[DIFF_FIELD_PLATFORM] = "platform",
	[DIFF_FIELD_MANIFEST] = "manifest",
	[DIFF_FIELD_INDEX] = "index",
	[DIFF_FIELD_MEDIA_TYPE] = "mediaType",
	[DIFF_FIELD_CONFIG_MEDIA_TYPE] = "config.mediaType",
	[DIFF_FIELD_FORMAT] = "format",
	[DIFF_FIELD_ARCHIVE_COMPRESSION] = "archive.compression",
	[DIFF_FIELD_TAGS] = "tags",
	[DIFF_FIELD_HISTORY] = "history",
	[DIFF_FIELD_COMPRESSION] = "compression",
	[DIFF_FIELD_GZIP_MTIME] = "gzip.mtime",
	[DIFF_FIELD_GZIP_OS] = "gzip.os",
	[DIFF_FIELD_GZIP_XFL] = "gzip.xfl",
	[DIFF_FIELD_GZIP_FNAME] = "gzip.fname",
	[DIFF_FIELD_GZIP_FLAGS] = "gzip.flags",
	[DIFF_FIELD_GZIP_MEMBERS] = "gzip.members",
	[DIFF_FIELD_GZIP_PADDING] = "gzip.padding",
	[DIFF_FIELD_ZSTD_FRAME_HEADER] = "zstd.frame_header",
	[DIFF_FIELD_ZSTD_FRAMES] = "zstd.frames",
	[DIFF_FIELD_DEFLATE_STREAM] = "deflate.stream",
	[DIFF_FIELD_STREAM] = "stream",
	[DIFF_FIELD_DOCUMENT] = "document",
	[DIFF_FIELD_IMAGE] = "image",
	[DIFF_FIELD_LISTED] = "listed",
};

const char *
diff_field_name(enum diff_field f)
{
	return (unsigned)f < DIFF_NFIELD ? field_names[f] : "";
}

/* What a field whose values are codes means, in words. */
static const char *const field_words[DIFF_NFIELD] = {
	[DIFF_FIELD_HEADER] = "tar header format",
	[DIFF_FIELD_GZIP_OS] = "operating system",
	[DIFF_FIELD_GZIP_XFL] = "deflate level",
	[DIFF_FIELD_ZSTD_FRAME_HEADER] = "frame header",
};

const char *
diff_field_word(enum diff_field f)
{
	return (unsigned)f < DIFF_NFIELD ? field_words[f] : NULL;
}

/* RFC 1952 XFL: what the compressor says of its level. */
char *
diff_gzip_xfl_str(uint8_t xfl)
{
	return xstrfmt("%s (%u)", xfl == 2 ? "best" : xfl == 4 ? "fastest" :
	    xfl == 0 ? "not set" : "unknown", xfl);
}

/* RFC 1952 OS: the file system the compressor ran on. */
char *
diff_gzip_os_str(uint8_t os)
{
	static const char *const os_names[] = {
		"FAT", "Amiga", "VMS", "Unix", "VM/CMS", "Atari", "HPFS",
		"Macintosh", "Z-System", "CP/M", "TOPS-20", "NTFS", "QDOS", "Acorn"
	};

	return xstrfmt("%s (%u)", os < sizeof(os_names) / sizeof(os_names[0]) ?
	    os_names[os] : "unknown", os);
}

/* RFC 8878 3.1.1.1.1: the fields of a frame header descriptor. */
static const struct {
	uint8_t mask;
	const char *word[4];	/* by the field's value */
} zstd_fields[] = {
	{ 0xc0, { "content size unless single segment", "content size in 2 bytes",
	    "content size in 4 bytes", "content size in 8 bytes" } },
	{ 0x20, { "window descriptor", "single segment (window = content size)" } },
	{ 0x04, { "no checksum", "checksum" } },
	{ 0x03, { "no dictionary id", "dictionary id in 1 byte",
	    "dictionary id in 2 bytes", "dictionary id in 4 bytes" } },
};

char *
diff_zstd_fhd_str(uint8_t fhd, uint8_t other)
{
	struct sbuf sb = SBUF_INIT;
	const char *sep = "";
	size_t i;

	for (i = 0; i < sizeof(zstd_fields) / sizeof(zstd_fields[0]); i++) {
		uint8_t m = zstd_fields[i].mask;
		unsigned v = (unsigned)(fhd & m);

		if (((fhd ^ other) & m) == 0)
			continue;
		while ((m & 1) == 0) {
			m >>= 1;
			v >>= 1;
		}
		sbuf_addf(&sb, "%s%s", sep, zstd_fields[i].word[v]);
		sep = ", ";
	}
	sbuf_addf(&sb, "%s(0x%02x)", sb.len > 0 ? " " : "", fhd);
	return sbuf_detach(&sb);
}

/* Who writes a tar header format. */
char *
diff_hdrfmt_str(enum tar_hdrfmt f)
{
	static const char *const words[] = {
		[TAR_FMT_V7] = "Unix V7", [TAR_FMT_USTAR] = "POSIX.1-1988 ustar",
		[TAR_FMT_PAX] = "POSIX.1-2001 pax", [TAR_FMT_GNU] = "GNU tar",
		[TAR_FMT_OTHER] = "unknown",
	};

	return xstrfmt("%s (%s)", (unsigned)f <= TAR_FMT_OTHER ? words[f] :
	    words[TAR_FMT_OTHER], tar_hdrfmt_name(f));
}

static const char *const pkg_change_names[DIFF_NPKG_CHANGE] = {
	[DIFF_PKG_UPGRADED] = "upgraded",
	[DIFF_PKG_DOWNGRADED] = "downgraded",
	[DIFF_PKG_ADDED] = "added",
	[DIFF_PKG_REMOVED] = "removed",
	[DIFF_PKG_REBUILT] = "rebuilt",
};

const char *
diff_pkg_change_name(enum diff_pkg_change c)
{
	return (unsigned)c < DIFF_NPKG_CHANGE ? pkg_change_names[c] : "";
}

#define OS_HINT	"an unpinned apt-get install, apk add or dnf install picked up " \
	"other versions: pin them (apt-get install pkg=VERSION, apk add " \
	"pkg=VERSION, dnf install pkg-VERSION) or install from a snapshot " \
	"mirror (snapshot.debian.org), and pin the base image by digest when " \
	"the packages came with it"

/* What to pin when a package of each ecosystem moved (NULL: OS_HINT). */
static const char *const pkg_hints[PKG_NECO] = {
	[PKG_DPKG] = OS_HINT, [PKG_APK] = OS_HINT, [PKG_RPM] = OS_HINT,
	[PKG_GO] = "a Go module moved: build from a committed go.sum with "
	    "-mod=readonly (or -mod=vendor), with a pinned Go toolchain "
	    "(GOTOOLCHAIN, the golang image by digest), and -trimpath",
	[PKG_MAVEN] = "a Maven artifact moved: pin every dependency version "
	    "(no ranges or SNAPSHOTs; dependencyManagement), and build from "
	    "the same repository contents",
	[PKG_CARGO] = "a crate moved: commit Cargo.lock and build with cargo "
	    "build --locked",
	[PKG_PYPI] = "a Python distribution moved: install from a lockfile with "
	    "hashes (pip install --require-hashes -r requirements.txt, poetry "
	    "or uv with their lockfile), never from bare names or ranges",
	[PKG_NPM] = "an npm package moved: commit package-lock.json and install "
	    "with npm ci (it refuses a lockfile that disagrees with "
	    "package.json)",
	[PKG_GEM] = "a gem moved: commit Gemfile.lock and install with bundle "
	    "install in frozen mode (BUNDLE_FROZEN=true)",
};

const char *
diff_pkg_hint(enum pkg_eco eco)
{
	return (unsigned)eco < PKG_NECO && pkg_hints[eco] != NULL ?
	    pkg_hints[eco] : OS_HINT;
}
