/*
 * inspect.c - render `imgdrift inspect`: JSON schema imgdrift.inspect/2
 * (docs/json-inspect.md) and an aligned text form for people.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "util/json.h"
#include "util/sbuf.h"

static json_t *
layer_json(const struct tar_layer *l)
{
	json_t *o = json_object();

	json_object_set_new(o, "digest", util_json_digest(l->digest));
	json_object_set_new(o, "diff_id", util_json_digest(l->diff_id));
	json_object_set_new(o, "media_type", util_json_text(l->media_type));
	json_object_set_new(o, "compression", json_string(l->present ?
	    tar_comp_name(l->framing.comp) : "unknown"));
	json_object_set_new(o, "size", json_integer((json_int_t)l->size));
	json_object_set_new(o, "uncompressed_size", l->present ?
	    json_integer((json_int_t)l->usize) : json_null());
	json_object_set_new(o, "entries", l->present ?
	    json_integer((json_int_t)l->nentries) : json_null());
	json_object_set_new(o, "present", json_boolean(l->present));
	return o;
}

static json_t *
image_json(const struct tar_image *im)
{
	json_t *o = json_object(), *layers = json_array(), *tags = json_array();
	size_t i;

	json_object_set_new(o, "platform", util_json_text(im->platform));
	json_object_set_new(o, "ref_name", util_json_text(im->ref_name));
	for (i = 0; i < im->ntags; i++)
		json_array_append_new(tags, util_json_text(im->tags[i]));
	json_object_set_new(o, "tags", tags);
	json_object_set_new(o, "manifest_digest",
	    util_json_digest_or_null(im->has_manifest, im->manifest_digest));
	json_object_set_new(o, "manifest_media_type",
	    util_json_text(im->manifest_media_type));
	json_object_set_new(o, "config_digest",
	    util_json_digest_or_null(im->has_config, im->config_digest));
	json_object_set_new(o, "created", util_json_text(im->created));
	json_object_set_new(o, "index_digest",
	    util_json_digest_or_null(im->has_index, im->index_digest));
	for (i = 0; i < im->nlayers; i++)
		json_array_append_new(layers, layer_json(&im->layers[i]));
	json_object_set_new(o, "layers", layers);
	return o;
}

/* @return the length of the line at w, without its newline (the last one
   may have none), and point *next at the line after it. */
static size_t
line_at(const char *w, const char **next)
{
	size_t n = strcspn(w, "\n");

	*next = w + n + (w[n] == '\n');
	return n;
}

static json_t *
warnings_json(const char *w)
{
	json_t *a = json_array();
	const char *next;
	size_t n;

	for (; *w != '\0'; w = next) {
		n = line_at(w, &next);
		json_array_append_new(a, util_json_textn(w, n));
	}
	return a;
}

static json_t *
listed_json(const struct tar_listed *l)
{
	json_t *o = json_object();

	json_object_set_new(o, "kind", json_string(tar_listed_kind_name(l->kind)));
	json_object_set_new(o, "present", json_boolean(l->present));
	json_object_set_new(o, "digest", util_json_digest(l->digest));
	json_object_set_new(o, "media_type", util_json_text(l->media_type));
	json_object_set_new(o, "platform", util_json_text(l->platform));
	json_object_set_new(o, "artifact_type", util_json_text(l->artifact_type));
	json_object_set_new(o, "subject", util_json_text(l->subject));
	json_object_set_new(o, "ref_name", util_json_text(l->ref_name));
	json_object_set_new(o, "index_digest",
	    util_json_digest_or_null(l->has_index, l->index_digest));
	return o;
}

static int
inspect_json(FILE *fp, const char *name, const struct tar_archive *ar)
{
	json_t *o = json_object(), *images = json_array(), *att = json_array();
	json_t *listed = json_array();
	uint8_t d[32];
	size_t i;
	char *s;

	json_object_set_new(o, "schema", json_string("imgdrift.inspect/2"));
	json_object_set_new(o, "input", util_json_text(name));
	json_object_set_new(o, "input_sha256",
	    util_json_digest_or_null(tar_input_sha256(ar, d), d));
	json_object_set_new(o, "format", json_string(tar_format_name(tar_format(ar))));
	json_object_set_new(o, "fingerprint", json_boolean(tar_is_fingerprint(ar)));
	json_object_set_new(o, "compression",
	    json_string(tar_comp_name(tar_wrapper_comp(ar))));
	json_object_set_new(o, "index_digest",
	    util_json_digest_or_null(tar_index_digest(ar, d), d));
	json_object_set_new(o, "index_json_sha256",
	    util_json_digest_or_null(tar_index_digest(ar, d), d));
	json_object_set_new(o, "image_index_digest",
	    util_json_digest_or_null(tar_image_index_digest(ar, d), d));
	for (i = 0; i < tar_nimages(ar); i++)
		json_array_append_new(images, image_json(tar_image(ar, i)));
	json_object_set_new(o, "images", images);
	for (i = 0; i < tar_nlisted(ar); i++)
		json_array_append_new(listed, listed_json(tar_listed(ar, i)));
	json_object_set_new(o, "listed", listed);
	for (i = 0; i < tar_nattestations(ar); i++) {
		const struct tar_attestation *a = tar_attestation(ar, i);
		json_t *ao = json_object();

		json_object_set_new(ao, "digest", util_json_digest(a->digest));
		json_object_set_new(ao, "for", util_json_text(a->ref));
		json_array_append_new(att, ao);
	}
	json_object_set_new(o, "attestations", att);
	json_object_set_new(o, "warnings", warnings_json(tar_warnings(ar)));
	s = util_json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (s == NULL)
		return ERR_IO;
	fputs(s, fp);
	fputc('\n', fp);
	free(s);
	return ferror(fp) ? ERR_IO : 0;
}

static const char *
short_digest(char *buf, const uint8_t d[32], bool full)
{
	char hex[65];

	util_hex_encode(hex, d, 32);
	snprintf(buf, 80, "sha256:%.*s", full ? 64 : 12, hex);
	return buf;
}

/* The text form's one escaper: n bytes of s, escaped. */
static void
put_escaped(FILE *fp, const char *s, size_t n)
{
	struct sbuf sb = SBUF_INIT;

	sbuf_add_escaped(&sb, s, n);
	fputs(sbuf_str(&sb), fp);
	sbuf_release(&sb);
}

static void
text_field(FILE *fp, const char *label, const char *value)
{
	fprintf(fp, "  %-10s ", label);
	put_escaped(fp, value, strlen(value));
	fputc('\n', fp);
}

/* One thing an index lists that is not read as an image, on one line. */
static void
inspect_text_listed(FILE *fp, const struct tar_listed *l, bool first,
    bool full)
{
	char b[80];

	fprintf(fp, "  %-10s %s %s", first ? "listed" : "",
	    tar_listed_kind_name(l->kind), short_digest(b, l->digest, full));
	if (l->platform != NULL) {
		fputc(' ', fp);
		put_escaped(fp, l->platform, strlen(l->platform));
	}
	if (l->artifact_type != NULL) {
		fputs(" type ", fp);
		put_escaped(fp, l->artifact_type, strlen(l->artifact_type));
	} else if (l->kind == TAR_LISTED_UNKNOWN && l->media_type != NULL) {
		fputs(" media type ", fp);
		put_escaped(fp, l->media_type, strlen(l->media_type));
	}
	if (l->subject != NULL) {
		/* A digest, shortened as the others are (escaped if not one). */
		fputs(" for ", fp);
		put_escaped(fp, l->subject, full || strlen(l->subject) != 71 ?
		    strlen(l->subject) : 19);
	}
	if (l->ref_name != NULL) {
		fputs(" name ", fp);
		put_escaped(fp, l->ref_name, strlen(l->ref_name));
	}
	fputs(l->present ? "\n" : " (not in the archive)\n", fp);
}

static void
inspect_text_image(FILE *fp, const struct tar_image *im, size_t n, bool full,
    const uint8_t *index)
{
	const struct tar_layer *l;
	char b1[80], b2[80];
	size_t i;
	uint64_t entries = 0, usize = 0;

	fprintf(fp, "\nimage %zu\n", n);
	text_field(fp, "platform", im->platform ? im->platform : "unknown");
	if (im->ref_name != NULL)
		text_field(fp, "name", im->ref_name);
	text_field(fp, "manifest", im->has_manifest ?
	    short_digest(b1, im->manifest_digest, full) : "- (no manifest blob)");
	if (im->has_index && (index == NULL ||
	    memcmp(index, im->index_digest, 32) != 0))
		text_field(fp, "index", short_digest(b1, im->index_digest, full));
	text_field(fp, "config", im->has_config ?
	    short_digest(b1, im->config_digest, full) : "- (no config)");
	if (im->created != NULL)
		text_field(fp, "created", im->created);
	for (i = 0; i < im->nlayers; i++) {
		entries += im->layers[i].nentries;
		usize += im->layers[i].usize;
	}
	fprintf(fp, "  %-10s %zu, %" PRIu64 " entries, %" PRIu64
	    " bytes uncompressed\n", "layers", im->nlayers, entries, usize);
	fprintf(fp, "  %3s  %-4s %12s %8s %12s  %-*s  %s\n", "#", "comp", "size",
	    "entries", "uncompressed", full ? 71 : 19, "digest", "diff_id");
	for (i = 0; i < im->nlayers; i++) {
		l = &im->layers[i];
		if (!l->present) {
			fprintf(fp, "  %3zu  %-4s %12" PRIu64 " %8s %12s  %-*s  %s"
			    "  (not in the archive)\n", i + 1, "?",
			    l->size, "-", "-", full ? 71 : 19,
			    short_digest(b1, l->digest, full),
			    short_digest(b2, l->diff_id, full));
			continue;
		}
		fprintf(fp, "  %3zu  %-4s %12" PRIu64 " %8zu %12" PRIu64 "  %-*s  %s\n",
		    i + 1, tar_comp_name(l->framing.comp), l->size, l->nentries,
		    l->usize, full ? 71 : 19, short_digest(b1, l->digest, full),
		    short_digest(b2, l->diff_id, full));
	}
}

static int
inspect_text(FILE *fp, const char *name, const struct tar_archive *ar,
    bool full)
{
	const char *w = tar_warnings(ar), *next;
	char b[80];
	uint8_t d[32], x[32];
	size_t i, n;
	bool index;

	text_field(fp, "input", name);
	if (tar_input_sha256(ar, d)) {
		util_hex_encode(b, d, 32);
		text_field(fp, "sha256", b);
	}
	fprintf(fp, "  %-10s %s%s%s\n", "format",
	    tar_format_name(tar_format(ar)),
	    tar_wrapper_comp(ar) != TAR_COMP_NONE ? ", " : "",
	    tar_wrapper_comp(ar) != TAR_COMP_NONE ?
	    tar_comp_name(tar_wrapper_comp(ar)) : "");
	if (tar_is_fingerprint(ar))
		text_field(fp, "recorded", "a fingerprint: digests, configs and "
		    "entry SHA-256s, no file bytes");
	if ((index = tar_image_index_digest(ar, d)))
		fprintf(fp, "  %-10s %s (image index: the digest a registry "
		    "serves)\n", "index", short_digest(b, d, full));
	if (tar_index_digest(ar, x))
		fprintf(fp, "  %-10s %s (SHA-256 of the file, not an image "
		    "digest)\n", "index.json", short_digest(b, x, full));
	fprintf(fp, "  %-10s %zu\n", "images", tar_nimages(ar));
	for (i = 0; i < tar_nattestations(ar); i++)
		fprintf(fp, "  %-10s %s (attestation manifest, not an image)\n",
		    i == 0 ? "attest" : "",
		    short_digest(b, tar_attestation(ar, i)->digest, full));
	for (i = 0; i < tar_nlisted(ar); i++)
		inspect_text_listed(fp, tar_listed(ar, i), i == 0, full);
	for (i = 0; i < tar_nimages(ar); i++)
		inspect_text_image(fp, tar_image(ar, i), i + 1, full,
		    index ? d : NULL);
	if (*w != '\0') {
		fputc('\n', fp);
		for (; *w != '\0'; w = next) {
			n = line_at(w, &next);
			fputs("note: ", fp);
			put_escaped(fp, w, n);
			fputc('\n', fp);
		}
	}
	return ferror(fp) ? ERR_IO : 0;
}

int
report_inspect(FILE *fp, const char *name, const struct tar_archive *ar,
    enum report_format fmt, bool full)
{
	if (fmt == REPORT_JSON)
		return inspect_json(fp, name, ar);
	return inspect_text(fp, name, ar, full);
}
