/*
 * tar.c - the public face of the reader: read, free, accessors.
 */
#include <sys/stat.h>

#include <stdlib.h>
#include <stdatomic.h>
#include <string.h>

#include "tar/tar_int.h"

/*
 * "PATH:REF", as in docker-archive:PATH:REF: a path that exists is always a
 * path, ':' or not; else the first prefix before a ':' that exists is the
 * file and the rest names the image in it (a tag holds ':' too).
 * Then ar->input and ar->opts say so; else the wrapper's open fails.
 */
static void
split_ref(struct tar_archive *ar, const char *path, const struct tar_opts *o)
{
	struct stat st;
	const char *c;
	char *head;

	if (ar->mem != NULL || strcmp(path, "-") == 0 || stat(path, &st) == 0 ||
	    strchr(path, ':') == NULL)
		return;
	for (c = strchr(path, ':'); c != NULL; c = strchr(c + 1, ':')) {
		head = xstrndup(path, (size_t)(c - path));
		if (head[0] != '\0' && c[1] != '\0' && stat(head, &st) == 0) {
			ar->input_path = head;
			ar->input = head;
			ar->ref_opts = *o;
			ar->ref_opts.ref = c + 1;
			ar->opts = &ar->ref_opts;
			return;
		}
		free(head);
	}
}

/* The transports (tar_transport_parse()) and the formats each admits. */
static const struct {
	const char *prefix;
	const char *what;	/* "is not <what>" */
	uint8_t formats[2];	/* enum tar_format; UNKNOWN ends */
} transports[TAR_NTRANSPORT] = {
	[TAR_TRANSPORT_PATH] = { NULL, NULL, { 0 } },
	[TAR_TRANSPORT_DOCKER_ARCHIVE] = { "docker-archive:", "a docker-archive",
	    { TAR_FORMAT_DOCKER, TAR_FORMAT_DOCKER_OCI } },
	[TAR_TRANSPORT_OCI_ARCHIVE] = { "oci-archive:",
	    "an OCI image-layout archive", { TAR_FORMAT_OCI_ARCHIVE } },
	[TAR_TRANSPORT_OCI] = { "oci:", "an OCI image-layout directory",
	    { TAR_FORMAT_OCI_LAYOUT } },
	[TAR_TRANSPORT_DOCKER] = { "docker://", "an image in a registry",
	    { TAR_FORMAT_REGISTRY } },
};

enum tar_transport
tar_transport_parse(const char *name, const char **rest)
{
	struct stat st;
	unsigned t;

	*rest = name;
	if (stat(name, &st) == 0)
		return TAR_TRANSPORT_PATH;
	for (t = TAR_TRANSPORT_PATH + 1; t < TAR_NTRANSPORT; t++)
		if (skip_prefix(name, transports[t].prefix, rest))
			return (enum tar_transport)t;
	return TAR_TRANSPORT_PATH;
}

/* @return 0 when the format read is one transport t admits, else
   ERR_USAGE naming what was found. */
static int
transport_check(const struct tar_archive *ar, enum tar_transport t,
    struct err *e)
{
	size_t i;

	if (t == TAR_TRANSPORT_PATH)
		return 0;
	if (ar->fingerprint)
		return err_set(e, ERR_USAGE, "a fingerprint, not %s",
		    transports[t].what);
	for (i = 0; i < 2 && transports[t].formats[i] != TAR_FORMAT_UNKNOWN; i++)
		if (transports[t].formats[i] == ar->format)
			return 0;
	return err_set(e, ERR_USAGE, "%s, not %s (%s)", tar_format_name(ar->format),
	    transports[t].what, transports[t].prefix);
}

static int
read_input(struct tar_archive *ar, const char *path, const struct tar_opts *o,
    struct tar_archive **out, struct err *e)
{
	static const struct tar_opts defaults;
	enum tar_transport t = TAR_TRANSPORT_PATH;
	const char *rest = path;
	int r;

	ar->opts = o != NULL ? o : &defaults;
	if (ar->mem == NULL)
		t = tar_transport_parse(path, &rest);
	ar->input = rest;
	split_ref(ar, rest, ar->opts);
	ar->hash_kind = ar->opts->sha256_entries ? TAR_HASH_SHA256 :
	    TAR_HASH_XXH3;
	if (t == TAR_TRANSPORT_DOCKER) {
		if ((r = tar_registry_read(ar, rest, e)) == 0 &&
		    (r = tar_resolve_images(ar, e)) == 0)
			ar->have_index = false;	/* our own index.json */
	} else if ((r = tar_wrapper_read(ar, ar->input, e)) == 0 &&
	    (ar->fingerprint || (r = tar_resolve_images(ar, e)) == 0))
		r = transport_check(ar, t, e);
	if (ar->opts->progress != NULL)
		atomic_store_explicit(&ar->opts->progress->done, true,
		    memory_order_relaxed);
	if (r < 0) {
		err_prefix(e, "%s", strcmp(path, "-") == 0 ? "(standard input)" :
		    path);
		tar_free(ar);
		return r;
	}
	ar->opts = NULL;
	*out = ar;
	return 0;
}

int
tar_read(const char *path, const struct tar_opts *o, struct tar_archive **out,
    struct err *e)
{
	return read_input(xcalloc(1, sizeof(struct tar_archive)), path, o, out,
	    e);
}

int
tar_read_mem(const void *buf, size_t len, const char *name,
    const struct tar_opts *o, struct tar_archive **out, struct err *e)
{
	struct tar_archive *ar = xcalloc(1, sizeof(*ar));

	ar->mem = buf;
	ar->mem_len = len;
	return read_input(ar, name, o, out, e);
}

void
tar_free(struct tar_archive *ar)
{
	size_t i;

	if (ar == NULL)
		return;
	for (i = 0; i < ar->nimages; i++)
		tar_image_release(&ar->images[i]);
	free(ar->images);
	for (i = 0; i < ar->natt; i++)
		free(ar->att[i].ref);
	free(ar->att);
	for (i = 0; i < ar->nother; i++)
		free(ar->other_platforms[i]);
	free(ar->other_platforms);
	for (i = 0; i < ar->nlisted; i++)
		tar_listed_release(&ar->listed[i]);
	free(ar->listed);
	free(ar->input_path);
	free(ar->cache_unwritten);
	for (i = 0; i < ar->nblobs; i++) {
		struct blob *b = &ar->blobs[i];

		free(b->name);
		free(b->link);
		free(b->json);
		json_decref(b->doc);
		free(b->error);
		tar_entries_release(&b->entries);
	}
	free(ar->blobs);
	tar_entries_release(&ar->top);
	tar_strpool_release(&ar->pool);
	sbuf_release(&ar->keys);
	sbuf_release(&ar->warnings);
	reg_client_free(ar->reg_client);
	free(ar);
}

/* Is layer j of image i the first of ar with its digest? */
static bool
first_of_digest(const struct tar_archive *ar, size_t i, size_t j)
{
	const uint8_t *d = ar->images[i].layers[j].digest;
	size_t k, m;

	/* k <= i, an image of ar: (k < i || m < j) bounds m, not k */
	for (k = 0; k <= i; k++)
		/* cppcheck-suppress arrayIndexThenCheck */
		for (m = 0; m < ar->images[k].nlayers && (k < i || m < j); m++)
			if (memcmp(ar->images[k].layers[m].digest, d, 32) == 0)
				return false;
	return true;
}

bool
tar_registry_stats(const struct tar_archive *ar, struct reg_stats *out)
{
	const struct tar_layer *l;
	size_t i, j;

	if (ar->format != TAR_FORMAT_REGISTRY)
		return false;
	*out = ar->reg_stats;
	for (i = 0; i < ar->nimages; i++)
		for (j = 0; j < ar->images[i].nlayers; j++) {
			l = &ar->images[i].layers[j];
			if (!first_of_digest(ar, i, j))
				continue;
			if (l->deferred) {
				out->layers_deferred++;
				out->bytes_deferred += l->size;
			}
			out->layers_late += l->late;
		}
	return true;
}

enum tar_format
tar_format(const struct tar_archive *ar)
{
	return ar->format;
}

enum tar_comp
tar_wrapper_comp(const struct tar_archive *ar)
{
	return ar->wrapper_comp;
}

bool
tar_input_sha256(const struct tar_archive *ar, uint8_t out[32])
{
	if (ar->have_input_sha)
		memcpy(out, ar->input_sha, 32);
	return ar->have_input_sha;
}

bool
tar_index_digest(const struct tar_archive *ar, uint8_t out[32])
{
	if (ar->have_index)
		memcpy(out, ar->index_sha, 32);
	return ar->have_index;
}

size_t
tar_nimages(const struct tar_archive *ar)
{
	return ar->nimages;
}

const struct tar_image *
tar_image(const struct tar_archive *ar, size_t i)
{
	return i < ar->nimages ? &ar->images[i] : NULL;
}

bool
tar_image_index_digest(const struct tar_archive *ar, uint8_t out[32])
{
	if (ar->have_image_index)
		memcpy(out, ar->image_index_sha, 32);
	return ar->have_image_index;
}

size_t
tar_nlisted(const struct tar_archive *ar)
{
	return ar->nlisted;
}

const struct tar_listed *
tar_listed(const struct tar_archive *ar, size_t i)
{
	return i < ar->nlisted ? &ar->listed[i] : NULL;
}

/* Each kind's name, and as a count of more than one says it ("absent" and
   "unknown" are adjectives: "2 absent"). */
static const struct {
	const char *name, *plural;
} listed_kinds[TAR_NLISTED] = {
	[TAR_LISTED_ABSENT] = { "absent", "absent" },
	[TAR_LISTED_SIGNATURE] = { "signature", "signatures" },
	[TAR_LISTED_ATTESTATION] = { "attestation", "attestations" },
	[TAR_LISTED_ARTIFACT] = { "artifact", "artifacts" },
	[TAR_LISTED_UNKNOWN] = { "unknown", "unknown" },
};

const char *
tar_listed_kind_name(enum tar_listed_kind k)
{
	return tar_listed_kind_count(k, 1);
}

const char *
tar_listed_kind_count(enum tar_listed_kind k, size_t count)
{
	if ((unsigned)k >= TAR_NLISTED)
		k = TAR_LISTED_UNKNOWN;
	return count == 1 ? listed_kinds[k].name : listed_kinds[k].plural;
}

size_t
tar_nattestations(const struct tar_archive *ar)
{
	return ar->natt;
}

const struct tar_attestation *
tar_attestation(const struct tar_archive *ar, size_t i)
{
	return i < ar->natt ? &ar->att[i] : NULL;
}

enum tar_hash
tar_hash_kind(const struct tar_archive *ar)
{
	return ar->hash_kind;
}

bool
tar_is_fingerprint(const struct tar_archive *ar)
{
	return ar->fingerprint;
}

unsigned
tar_fp_version(const struct tar_archive *ar)
{
	return ar->fingerprint ? ar->fp_version : 0;
}

size_t
tar_pooled(const struct tar_archive *ar)
{
	return ar->pooled;
}

size_t
tar_piped(const struct tar_archive *ar)
{
	return atomic_load_explicit(&ar->piped, memory_order_relaxed);
}

const char *
tar_warnings(const struct tar_archive *ar)
{
	return sbuf_str((struct sbuf *)(uintptr_t)&ar->warnings);
}

const char *
tar_kind_name(enum tar_kind k)
{
	static const char *const n[] = { "file", "dir", "symlink", "hardlink",
	    "char", "block", "fifo", "socket", "other" };

	return (unsigned)k < sizeof(n) / sizeof(n[0]) ? n[k] : "other";
}

const char *
tar_hdrfmt_name(enum tar_hdrfmt f)
{
	static const char *const n[] = { "v7", "ustar", "pax", "gnu", "other" };

	return (unsigned)f < sizeof(n) / sizeof(n[0]) ? n[f] : "other";
}

static const char *const format_names[TAR_NFORMAT] = {
	[TAR_FORMAT_UNKNOWN] = "unknown",
	[TAR_FORMAT_DOCKER] = "docker-archive",
	[TAR_FORMAT_DOCKER_OCI] = "docker-archive+oci",
	[TAR_FORMAT_OCI_ARCHIVE] = "oci-archive",
	[TAR_FORMAT_OCI_LAYOUT] = "oci-layout",
	[TAR_FORMAT_LAYER] = "layer-tar",
	[TAR_FORMAT_REGISTRY] = "registry",
};

const char *
tar_format_name(enum tar_format f)
{
	return (unsigned)f < TAR_NFORMAT ? format_names[f] : format_names[0];
}

int
tar_format_parse(const char *s, enum tar_format *out)
{
	unsigned f;

	for (f = TAR_FORMAT_UNKNOWN + 1; f < TAR_NFORMAT; f++)
		if (strcmp(format_names[f], s) == 0) {
			*out = (enum tar_format)f;
			return 0;
		}
	return -1;
}

const char *
tar_hash_name(enum tar_hash h)
{
	return h == TAR_HASH_SHA256 ? "sha256" : "xxh3";
}

size_t
tar_hash_len(enum tar_hash h)
{
	return h == TAR_HASH_SHA256 ? 32 : 16;
}
