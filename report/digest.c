/*
 * digest.c - the release-log lines of `imgdrift digest`: one JSON object
 * per image and platform, on one line each (schema imgdrift.digest/1,
 * docs/json-digest.md).
 */
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "util/json.h"
#include "util/sbuf.h"

static json_t *
digest_line(const struct report_digest_opts *o, const struct tar_archive *ar,
    const struct tar_image *im)
{
	json_t *j = json_object(), *layers = json_array(), *ids = json_array();
	uint8_t d[32];
	size_t i;

	json_object_set_new(j, "schema", json_string("imgdrift.digest/1"));
	json_object_set_new(j, "release", util_json_str(o->release));
	json_object_set_new(j, "input", util_json_str(o->name));
	json_object_set_new(j, "input_sha256", util_json_digest_or_null(
	    tar_input_sha256(ar, d), d));
	json_object_set_new(j, "format", json_string(tar_format_name(tar_format(ar))));
	json_object_set_new(j, "fingerprint", json_boolean(tar_is_fingerprint(ar)));
	json_object_set_new(j, "platform", util_json_str(im->platform));
	json_object_set_new(j, "ref_name", util_json_str(im->ref_name));
	json_object_set_new(j, "manifest", util_json_digest_or_null(im->has_manifest,
	    im->manifest_digest));
	json_object_set_new(j, "index", util_json_digest_or_null(im->has_index,
	    im->index_digest));
	json_object_set_new(j, "index_json", util_json_digest_or_null(
	    tar_index_digest(ar, d), d));
	json_object_set_new(j, "config", util_json_digest_or_null(im->has_config,
	    im->config_digest));
	for (i = 0; i < im->nlayers; i++) {
		json_array_append_new(layers, util_json_digest(im->layers[i].digest));
		json_array_append_new(ids, util_json_digest(im->layers[i].diff_id));
	}
	json_object_set_new(j, "layers", layers);
	json_object_set_new(j, "diff_ids", ids);
	json_object_set_new(j, "imgdrift", util_json_str(o->version));
	return j;
}

void
report_digest_lines(struct sbuf *sb, const struct report_digest_opts *o,
    const struct tar_archive *ar)
{
	json_t *j;
	char *s;
	size_t i;

	for (i = 0; i < tar_nimages(ar); i++) {
		j = digest_line(o, ar, tar_image(ar, i));
		/* Compact: no newline can appear inside a line. */
		s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(j);
		if (s == NULL)
			xalloc_die();
		sbuf_addstr(sb, s);
		sbuf_addc(sb, '\n');
		free(s);
	}
}
