/*
 * manifest.c - what lies around the config and the layers: the wrapper
 * (format, compression, tags), the index and manifest, and a layer's
 * compression framing when the uncompressed bytes are the same.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "diff/diff_int.h"

static bool
str_eq_or_null(const char *a, const char *b)
{
	return a == NULL || b == NULL ? a == b : strcmp(a, b) == 0;
}

static struct diff_finding *
meta(struct dctx *c, enum diff_scope scope, enum diff_verdict level,
    enum diff_field field, char *a, char *b)
{
	return diff_dctx_add(c, DIFF_METADATA, scope, level, 0, NULL, field, a, b);
}

void
diff_manifest(struct dctx *c, const struct tar_image *x,
    const struct tar_image *y)
{
	const json_t *ax, *ay, *lx, *ly;
	struct diff_finding *f;
	const char **keys;
	char *field;
	size_t n, i;

	if (x->has_manifest != y->has_manifest) {
		meta(c, DIFF_SCOPE_MANIFEST, DIFF_BYTE_EQUIVALENT, DIFF_FIELD_MANIFEST,
		    x->has_manifest ? diff_digest_str(x->manifest_digest) : NULL,
		    y->has_manifest ? diff_digest_str(y->manifest_digest) : NULL);
		return;
	}
	if (x->has_index && y->has_index &&
	    memcmp(x->index_digest, y->index_digest, 32) != 0)
		meta(c, DIFF_SCOPE_MANIFEST, DIFF_BYTE_EQUIVALENT, DIFF_FIELD_INDEX,
		    diff_digest_str(x->index_digest), diff_digest_str(y->index_digest));
	if (!x->has_manifest || memcmp(x->manifest_digest, y->manifest_digest,
	    32) == 0)
		return;
	if (!str_eq_or_null(x->manifest_media_type, y->manifest_media_type))
		meta(c, DIFF_SCOPE_MANIFEST, DIFF_BYTE_EQUIVALENT, DIFF_FIELD_MEDIA_TYPE,
		    x->manifest_media_type ? xstrdup(x->manifest_media_type) : NULL,
		    y->manifest_media_type ? xstrdup(y->manifest_media_type) : NULL);
	ax = json_object_get(x->manifest, "annotations");
	ay = json_object_get(y->manifest, "annotations");
	n = diff_union_keys(ax, ay, &keys);
	for (i = 0; i < n; i++) {
		const json_t *vx = json_object_get(ax, keys[i]);
		const json_t *vy = json_object_get(ay, keys[i]);

		if (json_equal((json_t *)(uintptr_t)vx, (json_t *)(uintptr_t)vy))
			continue;
		field = xstrfmt("annotations.%s", keys[i]);
		diff_dctx_add_doc(c, strcmp(keys[i], "org.opencontainers.image.created") == 0 ?
		    DIFF_TIMESTAMP : DIFF_METADATA, DIFF_SCOPE_MANIFEST,
		    DIFF_BYTE_EQUIVALENT, field, diff_json_str(vx), diff_json_str(vy));
		free(field);
	}
	free(keys);
	lx = json_object_get(json_object_get(x->manifest, "config"), "mediaType");
	ly = json_object_get(json_object_get(y->manifest, "config"), "mediaType");
	if (!json_equal((json_t *)(uintptr_t)lx, (json_t *)(uintptr_t)ly) &&
	    (f = meta(c, DIFF_SCOPE_MANIFEST, DIFF_BYTE_EQUIVALENT,
	    DIFF_FIELD_CONFIG_MEDIA_TYPE, diff_json_str(lx),
	    diff_json_str(ly))) != NULL)
		f->json_values = true;
}

static char *
tags_str(const struct tar_image *im)
{
	struct sbuf sb = SBUF_INIT;
	size_t i;

	for (i = 0; i < im->ntags; i++) {
		if (i)
			sbuf_addc(&sb, ' ');
		sbuf_addstr(&sb, im->tags[i]);
	}
	if (im->ntags == 0 && im->ref_name != NULL)
		sbuf_addstr(&sb, im->ref_name);
	return sbuf_detach(&sb);
}

/* Archive-level differences of one pair: wrapper format, names, tags. */
void
diff_wrapper(struct dctx *c, const struct tar_archive *a,
    const struct tar_archive *b, const struct tar_image *x,
    const struct tar_image *y)
{
	char *tx = tags_str(x), *ty = tags_str(y);

	if (tar_format(a) != tar_format(b))
		meta(c, DIFF_SCOPE_ARCHIVE, DIFF_SAME_DIGEST, DIFF_FIELD_FORMAT,
		    xstrdup(tar_format_name(tar_format(a))),
		    xstrdup(tar_format_name(tar_format(b))));
	if (tar_wrapper_comp(a) != tar_wrapper_comp(b))
		meta(c, DIFF_SCOPE_ARCHIVE, DIFF_SAME_DIGEST, DIFF_FIELD_ARCHIVE_COMPRESSION,
		    xstrdup(tar_comp_name(tar_wrapper_comp(a))),
		    xstrdup(tar_comp_name(tar_wrapper_comp(b))));
	if (strcmp(tx, ty) != 0) {
		meta(c, DIFF_SCOPE_ARCHIVE, DIFF_SAME_DIGEST, DIFF_FIELD_TAGS, tx, ty);
		return;
	}
	free(tx);
	free(ty);
}

/* Same diff_id behind other digests: say how the framing differs. */
void
diff_framing(struct dctx *c, int layer, const struct tar_layer *x,
    const struct tar_layer *y)
{
	const struct tar_framing *a = &x->framing, *b = &y->framing;
	bool found = false;

#define FRAME(field, as, bs) (found = true, diff_dctx_add(c, DIFF_COMPRESSION, \
    DIFF_SCOPE_LAYER, DIFF_BYTE_EQUIVALENT, layer, NULL, field, as, bs))
	if (a->comp != b->comp) {
		FRAME(DIFF_FIELD_COMPRESSION, xstrdup(tar_comp_name(a->comp)),
		    xstrdup(tar_comp_name(b->comp)));
		return;
	}
	if (a->comp == TAR_COMP_GZIP) {
		if (a->gz_mtime != b->gz_mtime)
			FRAME(DIFF_FIELD_GZIP_MTIME, xstrfmt("%u", a->gz_mtime),
			    xstrfmt("%u", b->gz_mtime));
		if (a->gz_os != b->gz_os)
			FRAME(DIFF_FIELD_GZIP_OS, diff_gzip_os_str(a->gz_os),
			    diff_gzip_os_str(b->gz_os));
		if (a->gz_xfl != b->gz_xfl)
			FRAME(DIFF_FIELD_GZIP_XFL, diff_gzip_xfl_str(a->gz_xfl),
			    diff_gzip_xfl_str(b->gz_xfl));
		if (strcmp(a->gz_name, b->gz_name) != 0)
			FRAME(DIFF_FIELD_GZIP_FNAME, xstrdup(a->gz_name), xstrdup(b->gz_name));
		if ((a->gz_flags ^ b->gz_flags) & ~0x08)
			FRAME(DIFF_FIELD_GZIP_FLAGS, xstrfmt("0x%02x", a->gz_flags),
			    xstrfmt("0x%02x", b->gz_flags));
		if (a->gz_members != b->gz_members)
			FRAME(DIFF_FIELD_GZIP_MEMBERS, xstrfmt("%u", a->gz_members),
			    xstrfmt("%u", b->gz_members));
		if (a->gz_padding != b->gz_padding)
			FRAME(DIFF_FIELD_GZIP_PADDING, xstrfmt("%" PRIu64, a->gz_padding),
			    xstrfmt("%" PRIu64, b->gz_padding));
	} else if (a->comp == TAR_COMP_ZSTD) {
		if (a->zs_fhd != b->zs_fhd)
			FRAME(DIFF_FIELD_ZSTD_FRAME_HEADER,
			    diff_zstd_fhd_str(a->zs_fhd, b->zs_fhd),
			    diff_zstd_fhd_str(b->zs_fhd, a->zs_fhd));
		if (a->zs_frames != b->zs_frames)
			FRAME(DIFF_FIELD_ZSTD_FRAMES, xstrfmt("%u", a->zs_frames),
			    xstrfmt("%u", b->zs_frames));
	}
	if (!found)
		/* Same header, other body: level or implementation. */
		FRAME(a->comp == TAR_COMP_GZIP ? DIFF_FIELD_DEFLATE_STREAM : DIFF_FIELD_STREAM,
		    xstrfmt("%" PRIu64 " bytes", x->size), xstrfmt("%" PRIu64 " bytes", y->size));
#undef FRAME
}
