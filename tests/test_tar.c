/*
 * test_tar.c - the reader: every format, every check, every bad input.
 */
#include <criterion/criterion.h>

#include "tar/tar.h"
#include "tests/testutil.h"

static const struct tu_ent basic[] = {
	{ .path = "etc/" },
	{ .path = "etc/hostname", .data = "build\n" },
	{ .path = "./usr/bin/tool", .data = "#!/bin/sh\necho hi\n", .mode = 0755 },
	{ .path = "usr/bin/link", .symlink = "tool" },
	{ .path = "usr/bin/hard", .hardlink = "usr/bin/tool" },
};
#define NBASIC (sizeof(basic) / sizeof(basic[0]))

static struct tar_archive *
read_ok(const char *path, const char *platform)
{
	struct tar_opts o = { .platform = platform };
	struct tar_archive *ar = NULL;
	struct err e = { 0, "" };
	int r = tar_read(path, &o, &ar, &e);

	cr_assert_eq(r, 0, "reading %s failed: %s", path, e.msg);
	cr_assert_not_null(ar);
	return ar;
}

static int
read_fail(const char *path, struct err *e)
{
	struct tar_archive *ar = NULL;
	int r;

	err_clear(e);
	r = tar_read(path, NULL, &ar, e);
	cr_assert_null(ar);
	cr_assert_lt(r, 0);
	cr_assert_eq(r, e->code);
	cr_assert_neq(e->msg[0], '\0');
	cr_assert_null(strchr(e->msg, '\n'), "one line: %s", e->msg);
	return r;
}

Test(normalize, strips_prefixes_and_slashes)
{
	char a[] = "./usr//bin/./x/", b[] = "/", c[] = "./", d[] = "..a/b",
	    f[] = "/abs/path";

	tar_normalize_path(a);
	tar_normalize_path(b);
	tar_normalize_path(c);
	tar_normalize_path(d);
	tar_normalize_path(f);
	cr_assert_str_eq(a, "usr/bin/x");
	cr_assert_str_eq(b, "");
	cr_assert_str_eq(c, "");
	cr_assert_str_eq(d, "..a/b");
	cr_assert_str_eq(f, "abs/path");
}

Test(read, oci_archive_entries_and_fields)
{
	struct tu_oci_opts o = { 0 };
	struct tar_archive *ar;
	const struct tar_image *im;
	const struct tar_layer *l;
	char path[256];
	size_t i;

	tu_oci(tu_tmp(path, sizeof(path), "oci"), basic, NBASIC, &o);
	ar = read_ok(path, NULL);
	cr_assert_str_eq(tar_format_name(tar_format(ar)), "oci-archive");
	cr_assert_eq(tar_nimages(ar), 1);
	im = tar_image(ar, 0);
	cr_assert(im->has_manifest);
	cr_assert(im->has_config);
	cr_assert_str_eq(im->platform, "linux/amd64");
	cr_assert_str_eq(im->ref_name, "latest");
	cr_assert_eq(im->nlayers, 1);
	l = &im->layers[0];
	cr_assert_eq(l->nentries, NBASIC);
	cr_assert_eq(l->framing.comp, TAR_COMP_NONE);
	cr_assert_eq(memcmp(l->digest, l->diff_id, 32), 0);
	cr_assert_str_eq(l->entries[0].path, "etc");
	cr_assert_eq(l->entries[0].kind, TAR_DIR);
	cr_assert_str_eq(l->entries[2].path, "usr/bin/tool");
	cr_assert_eq(l->entries[2].mode, 0755);
	cr_assert_eq(l->entries[2].size, 18);
	cr_assert_eq(l->entries[2].mtime, 1700000000);
	cr_assert_eq(l->entries[3].kind, TAR_SYMLINK);
	cr_assert_str_eq(l->entries[3].link, "tool");
	cr_assert_eq(l->entries[4].kind, TAR_HARDLINK);
	cr_assert_str_eq(l->entries[4].link, "usr/bin/tool");
	for (i = 0; i < NBASIC; i++)
		cr_assert_eq(l->entries[i].ordinal, i);
	/* Same content hashes the same; other content differently. */
	cr_assert_neq(memcmp(l->entries[1].hash, l->entries[2].hash, 16), 0);
	tar_free(ar);
	unlink(path);
}

Test(read, gzip_and_zstd_layers_verify)
{
	struct tu_oci_opts o = { 0 };
	struct tar_archive *ar;
	uint8_t plain_diff[32];
	char path[256];
	int comp;

	tu_oci(tu_tmp(path, sizeof(path), "plain"), basic, NBASIC, &o);
	ar = read_ok(path, NULL);
	memcpy(plain_diff, tar_image(ar, 0)->layers[0].diff_id, 32);
	tar_free(ar);
	for (comp = 1; comp <= 2; comp++) {
		o.layer_comp = comp;
		tu_oci(path, basic, NBASIC, &o);
		ar = read_ok(path, NULL);
		cr_assert_eq((int)tar_image(ar, 0)->layers[0].framing.comp, comp);
		cr_assert_eq(memcmp(tar_image(ar, 0)->layers[0].diff_id, plain_diff,
		    32), 0, "diff_id must not depend on compression");
		cr_assert_neq(memcmp(tar_image(ar, 0)->layers[0].digest, plain_diff,
		    32), 0);
		tar_free(ar);
	}
	unlink(path);
}

Test(read, compressed_wrappers)
{
	struct tu_oci_opts o = { 0 };
	struct tar_archive *ar;
	char path[256];
	int comp;

	for (comp = 1; comp <= 2; comp++) {
		o.wrapper_comp = comp;
		tu_oci(tu_tmp(path, sizeof(path), "wrapped"), basic, NBASIC, &o);
		ar = read_ok(path, NULL);
		cr_assert_eq((int)tar_wrapper_comp(ar), comp);
		cr_assert_eq(tar_image(ar, 0)->layers[0].nentries, NBASIC);
		tar_free(ar);
	}
	unlink(path);
}

Test(read, layout_directory)
{
	struct tu_oci_opts o = { .as_dir = true, .layer_comp = 1 };
	struct tar_archive *ar;
	uint8_t d[32];
	char path[256], cmd[300];

	tu_oci(tu_tmp(path, sizeof(path), "dir"), basic, NBASIC, &o);
	ar = read_ok(path, NULL);
	cr_assert_str_eq(tar_format_name(tar_format(ar)), "oci-layout");
	cr_assert_not(tar_input_sha256(ar, d));
	cr_assert(tar_index_digest(ar, d));
	cr_assert_eq(tar_image(ar, 0)->layers[0].nentries, NBASIC);
	tar_free(ar);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
	cr_assert_eq(system(cmd), 0);
}

/* The containers tools' spellings of a file or a directory read as they
   read, and refused when the input is not what the prefix says. */
Test(transport, explicit_spellings_of_files_and_layouts)
{
	struct tu_oci_opts od = { .as_dir = true }, oa = { 0 },
	    ok = { .docker = true, .tag = "app:1.0" };
	struct tar_archive *ar;
	struct err e;
	char dir[256], arc[256], dk[256], name[300], cmd[300];

	tu_oci(tu_tmp(dir, sizeof(dir), "tdir"), basic, NBASIC, &od);
	tu_oci(tu_tmp(arc, sizeof(arc), "tarc"), basic, NBASIC, &oa);
	tu_oci(tu_tmp(dk, sizeof(dk), "tdk"), basic, NBASIC, &ok);
	snprintf(name, sizeof(name), "oci:%s", dir);
	ar = read_ok(name, NULL);
	cr_assert_eq(tar_format(ar), TAR_FORMAT_OCI_LAYOUT);
	tar_free(ar);
	snprintf(name, sizeof(name), "oci-archive:%s", arc);
	ar = read_ok(name, NULL);
	cr_assert_eq(tar_format(ar), TAR_FORMAT_OCI_ARCHIVE);
	tar_free(ar);
	snprintf(name, sizeof(name), "docker-archive:%s:app:1.0", dk);
	ar = read_ok(name, NULL);
	cr_assert_eq(tar_format(ar), TAR_FORMAT_DOCKER);
	cr_assert_eq(tar_nimages(ar), 1);
	tar_free(ar);
	/* The prefix says what the input must be. */
	snprintf(name, sizeof(name), "docker-archive:%s", arc);
	cr_assert_eq(read_fail(name, &e), ERR_USAGE);
	cr_assert(strstr(e.msg, "oci-archive, not a docker-archive") != NULL,
	    "%s", e.msg);
	cr_assert(strstr(e.msg, name) != NULL, "names the input: %s", e.msg);
	snprintf(name, sizeof(name), "oci:%s", arc);
	cr_assert_eq(read_fail(name, &e), ERR_USAGE);
	snprintf(name, sizeof(name), "oci-archive:%s", dir);
	cr_assert_eq(read_fail(name, &e), ERR_USAGE);
	unlink(arc);
	unlink(dk);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

Test(transport, an_existing_path_is_a_path)
{
	const char *rest;

	cr_assert_eq(tar_transport_parse("docker://h.io/a:1", &rest),
	    TAR_TRANSPORT_DOCKER);
	cr_assert_str_eq(rest, "h.io/a:1");
	cr_assert_eq(tar_transport_parse("oci:d", &rest), TAR_TRANSPORT_OCI);
	cr_assert_str_eq(rest, "d");
	cr_assert_eq(tar_transport_parse("oci-archive:x.tar", &rest),
	    TAR_TRANSPORT_OCI_ARCHIVE);
	cr_assert_eq(tar_transport_parse("docker-archive:x.tar", &rest),
	    TAR_TRANSPORT_DOCKER_ARCHIVE);
	cr_assert_eq(tar_transport_parse("x.tar", &rest), TAR_TRANSPORT_PATH);
	cr_assert_eq(tar_transport_parse(".", &rest), TAR_TRANSPORT_PATH);
	cr_assert_str_eq(rest, ".");
}

Test(read, docker_archive)
{
	struct tu_oci_opts o = { .docker = true, .tag = "app:1.0" };
	struct tar_archive *ar;
	const struct tar_image *im;
	char path[256];

	tu_oci(tu_tmp(path, sizeof(path), "docker"), basic, NBASIC, &o);
	ar = read_ok(path, NULL);
	im = tar_image(ar, 0);
	cr_assert_str_eq(tar_format_name(tar_format(ar)), "docker-archive");
	cr_assert_not(im->has_manifest);
	cr_assert_eq(im->ntags, 1);
	cr_assert_str_eq(im->tags[0], "app:1.0");
	cr_assert_eq(im->layers[0].nentries, NBASIC);
	tar_free(ar);
	unlink(path);
}

Test(read, platform_filter)
{
	struct tu_oci_opts o = { .platform_arch = "arm64" };
	struct tar_archive *ar = NULL;
	struct tar_opts to = { .platform = "linux/amd64" };
	struct err e = { 0, "" };
	char path[256];

	tu_oci(tu_tmp(path, sizeof(path), "plat"), basic, NBASIC, &o);
	ar = read_ok(path, "linux/arm64");
	cr_assert_eq(tar_nimages(ar), 1);
	tar_free(ar);
	ar = read_ok(path, "arm64");
	cr_assert_eq(tar_nimages(ar), 1, "an architecture alone");
	tar_free(ar);
	ar = NULL;
	cr_assert_eq(tar_read(path, &to, &ar, &e), ERR_USAGE);
	cr_assert(strstr(e.msg, "no image for platform 'linux/amd64' "
	    "(present: linux/arm64)"), "%s", e.msg);
	to.platform = "arm";
	cr_assert_eq(tar_read(path, &to, &ar, &e), ERR_USAGE,
	    "arm is not a prefix of arm64");
	unlink(path);
}

/* Bad input: one line, a code, no archive. */

Test(bad, not_a_tar)
{
	struct err e;
	char path[256];
	FILE *fp = fopen(tu_tmp(path, sizeof(path), "garbage"), "w");

	fputs("this is not an image archive, just some text\n", fp);
	fclose(fp);
	cr_assert_eq(read_fail(path, &e), ERR_FORMAT);
	cr_assert(strstr(e.msg, "not an image archive"), "%s", e.msg);
	unlink(path);
}

Test(bad, empty_input)
{
	struct err e;
	char path[256];
	FILE *fp = fopen(tu_tmp(path, sizeof(path), "empty"), "w");

	fclose(fp);
	cr_assert_eq(read_fail(path, &e), ERR_FORMAT);
	unlink(path);
}

Test(bad, missing_file)
{
	struct err e;

	cr_assert_eq(read_fail("build/tmp/does-not-exist.tar", &e), ERR_IO);
	cr_assert(strstr(e.msg, "does-not-exist.tar"), "names the file: %s", e.msg);
}

Test(bad, truncated)
{
	struct err e;
	char path[256], cmd[600];

	tu_tmp(path, sizeof(path), "trunc");
	snprintf(cmd, sizeof(cmd), "head -c 6000 %s/fixtures/ggcr-image-1.tar > %s",
	    CORPUS, path);
	cr_assert_eq(system(cmd), 0);
	cr_assert_eq(read_fail(path, &e), ERR_FORMAT);
	unlink(path);
}

Test(bad, pre_1_10_save_without_manifest)
{
	struct err e;

	cr_assert_eq(read_fail(CORPUS "/fixtures/ggcr-bad-no-manifest.tar", &e),
	    ERR_UNSUPPORTED);
	cr_assert(strstr(e.msg, "ggcr-bad-no-manifest.tar: no manifest.json"),
	    "%s", e.msg);
}

Test(bad, null_manifest)
{
	struct err e;

	cr_assert_eq(read_fail(CORPUS "/fixtures/ggcr-bad-null-manifest.tar", &e),
	    ERR_FORMAT);
	cr_assert(strstr(e.msg, "manifest.json is null"), "%s", e.msg);
}

Test(read, layout_missing_layer_blob_is_absent)
{
	struct tu_oci_opts o = { .drop_layer = true };
	struct tar_archive *ar;
	const struct tar_layer *l;
	char path[256];

	/* The image-layout spec: a layout MAY lack referenced blobs. */
	tu_oci(tu_tmp(path, sizeof(path), "noblob"), basic, NBASIC, &o);
	ar = read_ok(path, NULL);
	cr_assert_eq(tar_nimages(ar), 1);
	l = &tar_image(ar, 0)->layers[0];
	cr_assert_not(l->present);
	cr_assert_eq(l->nentries, 0);
	/* The diff_id is the config's, the digest the manifest's. */
	cr_assert_neq(memcmp(l->diff_id, (uint8_t[32]){ 0 }, 32), 0);
	cr_assert(strstr(tar_warnings(ar), "layer 1: blob sha256:"), "%s",
	    tar_warnings(ar));
	cr_assert(strstr(tar_warnings(ar), "not in the archive"));
	tar_free(ar);
	unlink(path);
}

Test(bad, missing_docker_layer)
{
	struct tu_oci_opts o = { .docker = true, .drop_layer = true };
	struct err e;
	char path[256];

	tu_oci(tu_tmp(path, sizeof(path), "nolayer"), basic, NBASIC, &o);
	cr_assert_eq(read_fail(path, &e), ERR_FORMAT);
	cr_assert(strstr(e.msg, "'abc/layer.tar' is missing"), "%s", e.msg);
	unlink(path);
}

Test(bad, tampered_layer)
{
	struct tu_oci_opts o = { .corrupt_layer = true };
	struct err e;
	char path[256];

	tu_oci(tu_tmp(path, sizeof(path), "tamper"), basic, NBASIC, &o);
	cr_assert_eq(read_fail(path, &e), ERR_DIGEST);
	cr_assert(strstr(e.msg, "does not match its digest"), "%s", e.msg);
	unlink(path);
}

Test(bad, size_mismatch)
{
	struct tu_oci_opts o = { .wrong_size = true };
	struct err e;
	char path[256];

	tu_oci(tu_tmp(path, sizeof(path), "size"), basic, NBASIC, &o);
	cr_assert_eq(read_fail(path, &e), ERR_DIGEST);
	cr_assert(strstr(e.msg, "descriptor says"), "%s", e.msg);
	unlink(path);
}

Test(bad, diff_id_mismatch)
{
	struct tu_oci_opts o = { .wrong_diff_id = true, .layer_comp = 1 };
	struct err e;
	char path[256];

	tu_oci(tu_tmp(path, sizeof(path), "diffid"), basic, NBASIC, &o);
	cr_assert_eq(read_fail(path, &e), ERR_DIGEST);
	cr_assert(strstr(e.msg, "not the diff_id in the config"), "%s", e.msg);
	unlink(path);
}

Test(bad, docker_diff_id_mismatch)
{
	struct tu_oci_opts o = { .docker = true, .wrong_diff_id = true };
	struct err e;
	char path[256];

	tu_oci(tu_tmp(path, sizeof(path), "ddiffid"), basic, NBASIC, &o);
	cr_assert_eq(read_fail(path, &e), ERR_DIGEST);
	unlink(path);
}

Test(bad, unknown_layer_media_type_is_an_artifact)
{
	struct tu_oci_opts o = { .layer_media_type = "application/x-\x1b[31mevil" };
	struct err e;
	char path[256];

	/* Not an image layer: the manifest is an artifact, listed, and an
	   archive of nothing else holds no image. */
	tu_oci(tu_tmp(path, sizeof(path), "mt"), basic, NBASIC, &o);
	cr_assert_eq(read_fail(path, &e), ERR_FORMAT);
	cr_assert(strstr(e.msg, "holds no image (its index lists: 1 artifact)"),
	    "%s", e.msg);
	unlink(path);
}

Test(bad, corrupt_gzip_layer)
{
	struct tu_oci_opts o = { .layer_comp = 1, .bad_gzip_crc = true };
	struct err e;
	char path[256];

	tu_oci(tu_tmp(path, sizeof(path), "badgz"), basic, NBASIC, &o);
	cr_assert_eq(read_fail(path, &e), ERR_FORMAT);
	cr_assert(strstr(e.msg, "layer 1: gzip member 1: CRC"), "%s", e.msg);
	unlink(path);
}

Test(bad, symlink_outside_archive)
{
	struct tu_member m[3];
	struct err e;
	char path[256];
	static const char man[] =
	    "[{\"Config\":\"c.json\",\"Layers\":[\"abc/layer.tar\"]}]";

	m[0] = (struct tu_member){ "c.json", "{}", 2, NULL, 0 };
	m[1] = (struct tu_member){ "abc/layer.tar", NULL, 0, "../../etc/passwd", 0 };
	m[2] = (struct tu_member){ "manifest.json", man, sizeof(man) - 1, NULL, 0 };
	tu_write_tar(tu_tmp(path, sizeof(path), "escape"), m, 3, 0);
	cr_assert_eq(read_fail(path, &e), ERR_FORMAT);
	cr_assert(strstr(e.msg, "points outside the archive"), "%s", e.msg);
	unlink(path);
}

Test(bad, json_over_limit)
{
	struct tu_member m[2];
	struct err e;
	char path[256];
	size_t n = TAR_JSON_MAX + 10;
	char *big = malloc(n);
	static const char man[] =
	    "[{\"Config\":\"c.json\",\"Layers\":[]}]";

	memset(big, ' ', n);
	big[0] = '{';
	big[n - 1] = '}';
	m[0] = (struct tu_member){ "c.json", big, n, NULL, 0 };
	m[1] = (struct tu_member){ "manifest.json", man, sizeof(man) - 1, NULL, 0 };
	tu_write_tar(tu_tmp(path, sizeof(path), "bigjson"), m, 2, 0);
	cr_assert_eq(read_fail(path, &e), ERR_LIMIT);
	cr_assert(strstr(e.msg, "larger than"), "%s", e.msg);
	free(big);
	unlink(path);
}

Test(bad, absurd_size_field)
{
	struct err e;
	char path[256];
	uint8_t hdr[1536];
	unsigned sum = 0;
	size_t i;
	FILE *fp;

	/* A ustar header claiming a 64 GiB member, then the end of the file. */
	memset(hdr, 0, sizeof(hdr));
	strcpy((char *)hdr, "manifest.json");
	memcpy(hdr + 100, "0000644", 7);
	memcpy(hdr + 108, "0000000", 7);
	memcpy(hdr + 116, "0000000", 7);
	memcpy(hdr + 124, "1000000000000", 12);
	memcpy(hdr + 136, "00000000000", 11);
	hdr[156] = '0';
	memcpy(hdr + 257, "ustar", 6);
	memcpy(hdr + 263, "00", 2);
	memset(hdr + 148, ' ', 8);
	for (i = 0; i < 512; i++)
		sum += hdr[i];
	snprintf((char *)hdr + 148, 8, "%06o", sum);
	memset(hdr + 512, '{', 1024);
	fp = fopen(tu_tmp(path, sizeof(path), "absurd"), "wb");
	fwrite(hdr, 1, sizeof(hdr), fp);
	fclose(fp);
	cr_assert_eq(read_fail(path, &e), ERR_FORMAT);
	unlink(path);
}

Test(bad, duplicate_member)
{
	struct tu_member m[3];
	struct err e;
	char path[256];
	static const char man[] = "[]";

	m[0] = (struct tu_member){ "manifest.json", man, 2, NULL, 0 };
	m[1] = (struct tu_member){ "x.json", "{}", 2, NULL, 0 };
	m[2] = (struct tu_member){ "x.json", "[]", 2, NULL, 0 };
	tu_write_tar(tu_tmp(path, sizeof(path), "dup"), m, 3, 0);
	cr_assert_eq(read_fail(path, &e), ERR_FORMAT);
	cr_assert(strstr(e.msg, "appears more than once"), "%s", e.msg);
	unlink(path);
}

/* A docker-archive of one layer (l.tar) and its config (c.json), with the
   manifest.json man. */
static void
docker_with_manifest(const char *path, const char *man)
{
	struct tbuf layer;
	struct tu_member m[3];
	char dhex[65], cfg[256];

	tu_layer(&layer, basic, NBASIC);
	tu_sha256_hex(dhex, layer.p, layer.n);
	snprintf(cfg, sizeof(cfg), "{\"architecture\":\"amd64\",\"os\":\"linux\","
	    "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:%s\"]}}", dhex);
	m[0] = (struct tu_member){ "c.json", cfg, strlen(cfg), NULL, 0 };
	m[1] = (struct tu_member){ "l.tar", layer.p, layer.n, NULL, 0 };
	m[2] = (struct tu_member){ "manifest.json", man, strlen(man), NULL, 0 };
	tu_write_tar(path, m, 3, 0);
	tbuf_free(&layer);
}

/* Docker reads manifest.json keys without regard to case, as jib writes
   them; the last of two that match wins. */
Test(read, docker_manifest_keys_in_any_case)
{
	struct tar_archive *ar;
	const struct tar_image *im;
	char path[256];

	docker_with_manifest(tu_tmp(path, sizeof(path), "jib"),
	    "[{\"config\":\"c.json\",\"repoTags\":[\"jib:1\"],"
	    "\"layers\":[\"l.tar\"]}]");
	ar = read_ok(path, NULL);
	im = tar_image(ar, 0);
	cr_assert_eq(im->nlayers, 1);
	cr_assert_eq(im->layers[0].nentries, NBASIC);
	cr_assert_eq(im->ntags, 1);
	cr_assert_str_eq(im->tags[0], "jib:1");
	tar_free(ar);
	docker_with_manifest(path, "[{\"Config\":\"nope.json\","
	    "\"CONFIG\":\"c.json\",\"Layers\":[\"l.tar\"]}]");
	ar = read_ok(path, NULL);
	tar_free(ar);
	unlink(path);
}

/* An error names the key as the file spells it. */
Test(bad, docker_manifest_names_the_wrong_key)
{
	static const struct {
		const char *man, *msg;
	} cases[] = {
		{ "[{\"config\":\"c.json\",\"layers\":\"l.tar\"}]",
		    "image 1: 'layers' is not a list" },
		{ "[{\"Config\":\"c.json\",\"layer\":[\"l.tar\"]}]",
		    "image 1 has no Layers" },
		{ "[{\"CONFIG\":5,\"Layers\":[\"l.tar\"]}]",
		    "image 1: 'CONFIG' is not a string" },
		{ "[{\"Layers\":[\"l.tar\"]}]", "image 1 has no Config" },
		{ "[{\"Config\":\"c.json\",\"RepoTags\":\"x\",\"Layers\":[]}]",
		    "image 1: 'RepoTags' is not a list" },
	};
	struct err e;
	char path[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		docker_with_manifest(tu_tmp(path, sizeof(path), "badkey"),
		    cases[i].man);
		cr_assert_eq(read_fail(path, &e), ERR_FORMAT, "%s", cases[i].man);
		cr_assert(strstr(e.msg, cases[i].msg), "%s: %s", cases[i].man,
		    e.msg);
	}
	unlink(path);
}

/* Real archives written by other projects' tools. */

struct fixture {
	const char *file, *format;
	size_t images, layers, entries;	/* entries of the first image */
	enum tar_comp comp;		/* of the first layer */
};

static const struct fixture fixtures[] = {
	{ "containers-almostempty.tar", "docker-archive", 1, 1, 1, TAR_COMP_NONE },
	{ "dive-docker-legacy.tar", "docker-archive", 1, 14, 415, TAR_COMP_NONE },
	{ "dive-kaniko.tar", "docker-archive", 1, 14, 421, TAR_COMP_GZIP },
	{ "dive-oci-estargz.tar", "oci-archive", 1, 1, 1, TAR_COMP_GZIP },
	{ "dive-oci-gzip.tar", "oci-archive", 1, 1, 1, TAR_COMP_GZIP },
	{ "dive-oci-uncompressed.tar", "oci-archive", 1, 1, 1, TAR_COMP_NONE },
	{ "dive-oci-zstd.tar", "oci-archive", 1, 1, 1, TAR_COMP_ZSTD },
	{ "ggcr-hello-world-docker25.tar", "docker-archive+oci", 1, 1, 1, TAR_COMP_NONE },
	{ "ggcr-image-1.tar", "docker-archive", 1, 1, 3, TAR_COMP_NONE },
	{ "ggcr-layer-symlink.tar", "docker-archive", 2, 1, 3, TAR_COMP_NONE },
	{ "ggcr-overwritten-file.tar", "docker-archive", 1, 3, 2, TAR_COMP_NONE },
	{ "ggcr-two-images.tar", "docker-archive", 2, 1, 3, TAR_COMP_NONE },
	{ "ggcr-whiteout.tar", "docker-archive", 1, 3, 3, TAR_COMP_NONE },
	{ "regclient-layer.tar", "layer-tar", 1, 1, 3, TAR_COMP_NONE },
	{ "regclient-layer-whiteout.tar", "layer-tar", 1, 1, 5, TAR_COMP_NONE },
	{ "stereoscope-oci.tar", "oci-archive", 1, 1, 1, TAR_COMP_GZIP },
};

Test(fixtures, every_real_archive_reads)
{
	struct tar_archive *ar;
	const struct tar_image *im;
	char path[512];
	size_t i, j;

	for (i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		const struct fixture *f = &fixtures[i];

		snprintf(path, sizeof(path), "%s/fixtures/%s", CORPUS, f->file);
		ar = read_ok(path, NULL);
		cr_assert_str_eq(tar_format_name(tar_format(ar)), f->format, "%s", f->file);
		cr_assert_eq(tar_nimages(ar), f->images, "%s", f->file);
		im = tar_image(ar, 0);
		cr_assert_eq(im->nlayers, f->layers, "%s", f->file);
		cr_assert_eq(im->layers[0].nentries, f->entries, "%s: %zu", f->file,
		    im->layers[0].nentries);
		cr_assert_eq(im->layers[0].framing.comp, f->comp, "%s", f->file);
		for (j = 0; j < im->nlayers; j++)
			cr_assert(im->layers[j].present);
		tar_free(ar);
	}
}

/* Issue 11 item 1: Docker's containerd store saves one platform of an
   index of three (corpus/synthetic/gen.py). */
Test(inputs, partial_multi_platform_save)
{
	struct tar_archive *ar = read_ok(CORPUS "/synthetic/partial-amd64.tar",
	    NULL);
	const struct tar_listed *l;
	uint8_t d[32], f[32];
	size_t i, absent = 0;

	cr_assert_eq(tar_nimages(ar), 1);
	cr_assert_str_eq(tar_image(ar, 0)->platform, "linux/amd64");
	for (i = 0; i < tar_nlisted(ar); i++) {
		l = tar_listed(ar, i);
		cr_assert_eq(l->kind, TAR_LISTED_ABSENT);
		cr_assert_not(l->present);
		cr_assert_not_null(l->platform);
		cr_assert(l->has_index);
		absent++;
	}
	cr_assert_eq(absent, 2);
	/* Item 12: the image index is the nested index, not index.json. */
	cr_assert(tar_image_index_digest(ar, d));
	cr_assert(tar_index_digest(ar, f));
	cr_assert_neq(memcmp(d, f, 32), 0);
	cr_assert_eq(memcmp(d, tar_image(ar, 0)->index_digest, 32), 0);
	tar_free(ar);
}

Test(inputs, platform_listed_but_absent)
{
	struct tar_opts o = { .platform = "linux/arm/v7" };
	struct tar_archive *ar = NULL;
	struct err e = { 0, "" };

	cr_assert_eq(tar_read(CORPUS "/synthetic/partial-both.tar", &o, &ar, &e),
	    ERR_USAGE);
	cr_assert(strstr(e.msg, "platform 'linux/arm/v7' is listed (manifest "
	    "sha256:"), "%s", e.msg);
	cr_assert(strstr(e.msg, "present: linux/amd64, linux/arm64"), "%s", e.msg);
	o.platform = "linux/arm64";
	ar = read_ok(CORPUS "/synthetic/partial-both.tar", "linux/arm64");
	cr_assert_eq(tar_nimages(ar), 1);
	/* The absent images of other platforms are left out too. */
	cr_assert_eq(tar_nlisted(ar), 0);
	tar_free(ar);
}

/* Item 3: cosign signatures, attestations, OCI artifacts. */
Test(inputs, signatures_and_artifacts_are_listed)
{
	struct tar_archive *ar = read_ok(CORPUS "/synthetic/signed.tar", NULL);
	static const uint8_t kinds[] = { TAR_LISTED_SIGNATURE,
	    TAR_LISTED_ATTESTATION, TAR_LISTED_ARTIFACT };
	char sub[80], hex[65];
	size_t i;

	cr_assert_eq(tar_nimages(ar), 1);
	cr_assert_eq(tar_nlisted(ar), 3);
	util_hex_encode(hex, tar_image(ar, 0)->manifest_digest, 32);
	snprintf(sub, sizeof(sub), "sha256:%s", hex);
	for (i = 0; i < 3; i++) {
		cr_assert_eq(tar_listed(ar, i)->kind, kinds[i], "%zu", i);
		cr_assert_str_eq(tar_listed(ar, i)->subject, sub, "%zu", i);
	}
	cr_assert_str_eq(tar_listed(ar, 2)->artifact_type, "application/spdx+json");
	/* One image in index.json: no image index. */
	cr_assert_not(tar_image_index_digest(ar, (uint8_t[32]){ 0 }));
	tar_free(ar);
}

Test(inputs, real_layouts_with_artifacts)
{
	struct tar_archive *ar = read_ok(CORPUS "/inputs/regclient-testrepo.tar",
	    NULL);
	size_t i;

	cr_assert_eq(tar_nimages(ar), 21);
	cr_assert_eq(tar_nlisted(ar), 13);
	for (i = 0; i < tar_nlisted(ar); i++)
		cr_assert_eq(tar_listed(ar, i)->kind, TAR_LISTED_ARTIFACT);
	tar_free(ar);
	ar = read_ok(CORPUS "/inputs/ggcr-layout-index.tar", NULL);
	cr_assert_eq(tar_nimages(ar), 3);
	cr_assert_eq(tar_nlisted(ar), 1);
	cr_assert_eq(tar_listed(ar, 0)->kind, TAR_LISTED_UNKNOWN);
	cr_assert_str_eq(tar_listed(ar, 0)->media_type,
	    "application/vnd.oci.descriptor.v1+json");
	tar_free(ar);
}

/* Item 6: ARCHIVE:REF picks one image. */
Test(inputs, archive_ref_picks_one_image)
{
	static const char *const refs[] = { "b:1", "@1" };
	struct tar_opts o = { 0 };
	struct tar_archive *ar;
	struct err e = { 0, "" };
	char path[256];
	size_t i;

	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/synthetic/two-ab.tar:%s", CORPUS,
		    refs[i]);
		ar = read_ok(path, NULL);
		cr_assert_eq(tar_nimages(ar), 1, "%s", refs[i]);
		cr_assert_str_eq(tar_image(ar, 0)->tags[0], "b:1", "%s", refs[i]);
		tar_free(ar);
	}
	o.ref = "sha256:c473f5c6a8fe";
	cr_assert_eq(tar_read(CORPUS "/synthetic/two-ab.tar", &o, &ar, &e), 0,
	    "%s", e.msg);
	cr_assert_eq(tar_nimages(ar), 1);
	cr_assert_str_eq(tar_image(ar, 0)->tags[0], "b:1");
	tar_free(ar);
	ar = NULL;
	/* "b" is "b:latest", which the archive does not hold. */
	cr_assert_eq(tar_read(CORPUS "/synthetic/two-ab.tar:b", NULL, &ar, &e),
	    ERR_USAGE);
	cr_assert(strstr(e.msg, "no image 'b' in the archive (names: a:1, b:1;"),
	    "%s", e.msg);
	cr_assert_null(ar);
}

Test(fixtures, estargz_is_many_gzip_members)
{
	struct tar_archive *ar = read_ok(CORPUS "/fixtures/dive-oci-estargz.tar", NULL);
	const struct tar_layer *l = &tar_image(ar, 0)->layers[0];

	cr_assert_gt(l->framing.gz_members, 1, "members: %u", l->framing.gz_members);
	tar_free(ar);
}

Test(fixtures, layer_symlink_resolves_to_same_layer)
{
	struct tar_archive *ar = read_ok(CORPUS "/fixtures/ggcr-layer-symlink.tar", NULL);
	const struct tar_image *a = tar_image(ar, 0), *b = tar_image(ar, 1);

	cr_assert_eq(memcmp(a->layers[0].diff_id, b->layers[0].diff_id, 32), 0);
	tar_free(ar);
}

Test(fixtures, whiteouts_are_entries)
{
	struct tar_archive *ar = read_ok(CORPUS "/fixtures/regclient-layer-whiteout.tar", NULL);
	const struct tar_layer *l = &tar_image(ar, 0)->layers[0];
	size_t i, wh = 0;

	for (i = 0; i < l->nentries; i++)
		if (strstr(l->entries[i].path, ".wh.") != NULL)
			wh++;
	cr_assert_geq(wh, 2);
	tar_free(ar);
}

Test(fixtures, docker25_manifest_blob_found)
{
	struct tar_archive *ar = read_ok(CORPUS "/fixtures/ggcr-hello-world-docker25.tar", NULL);
	const struct tar_image *im = tar_image(ar, 0);
	char hex[65];

	/* index.json lists no manifests, but the manifest blob is there. */
	cr_assert(im->has_manifest);
	util_hex_encode(hex, im->manifest_digest, 32);
	cr_assert_str_eq(hex, "411caf340c828657e915a83ed561a79d2b8150dabad4dc079d881cbfe6f86afe");
	tar_free(ar);
}

Test(read, tar_of_directories_only_is_a_bare_layer)
{
	static const struct tu_ent dirs[] = { { .path = "a/" }, { .path = "a/b/" } };
	struct tbuf t;
	struct tar_archive *ar;
	char path[256];
	FILE *fp;

	/* No member is a blob: found by the fuzzer (qsort of nothing). */
	tu_layer(&t, dirs, 2);
	fp = fopen(tu_tmp(path, sizeof(path), "dirs"), "wb");
	fwrite(t.p, 1, t.n, fp);
	fclose(fp);
	ar = read_ok(path, NULL);
	cr_assert_str_eq(tar_format_name(tar_format(ar)), "layer-tar");
	cr_assert_eq(tar_image(ar, 0)->layers[0].nentries, 2);
	tar_free(ar);
	tbuf_free(&t);
	unlink(path);
}

Test(read, no_input_digest_keeps_every_blob_digest)
{
	struct tar_opts fast = { .no_input_digest = true };
	struct tar_archive *a = NULL, *b, *c = NULL;
	struct err e = { 0, "" };
	uint8_t d[32];
	bool same;
	const char *bare = CORPUS "/fixtures/regclient-layer.tar";

	/* An image: no digest of the input, the blobs by SHA-256 as always. */
	cr_assert_eq(tar_read(CORPUS "/fixtures/dive-oci-gzip.tar", &fast, &a, &e), 0);
	b = read_ok(CORPUS "/fixtures/dive-oci-gzip.tar", NULL);
	cr_assert_not(tar_input_sha256(a, d));
	cr_assert_eq(memcmp(tar_image(a, 0)->layers[0].digest,
	    tar_image(b, 0)->layers[0].digest, 32), 0);
	/* The same bytes are found the same by reading them again. */
	cr_assert_eq(tar_read(CORPUS "/fixtures/dive-oci-gzip.tar", &fast, &c, &e), 0);
	cr_assert_eq(tar_same_input(a, c, &same, &e), 0);
	cr_assert(same);
	cr_assert_eq(tar_same_input(a, b, &same, &e), 0);
	cr_assert(same, "one digest skipped, one computed");
	tar_free(c);
	c = NULL;
	cr_assert_eq(tar_read(CORPUS "/fixtures/dive-oci-zstd.tar", &fast, &c, &e), 0);
	cr_assert_eq(tar_same_input(a, c, &same, &e), 0);
	cr_assert_not(same);
	tar_free(a);
	tar_free(b);
	tar_free(c);
	/* A bare layer's digest is the input's own: it is computed anyway. */
	a = NULL;
	cr_assert_eq(tar_read(bare, &fast, &a, &e), 0, "%s", e.msg);
	b = read_ok(bare, NULL);
	cr_assert(tar_input_sha256(a, d));
	cr_assert_eq(memcmp(tar_image(a, 0)->layers[0].digest,
	    tar_image(b, 0)->layers[0].digest, 32), 0);
	cr_assert_eq(memcmp(tar_image(a, 0)->layers[0].diff_id,
	    tar_image(b, 0)->layers[0].diff_id, 32), 0);
	tar_free(a);
	tar_free(b);
}

static void
slurp(const char *path, struct tbuf *out)
{
	FILE *fp = fopen(path, "rb");
	long n;

	cr_assert_not_null(fp, "%s", path);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	out->n = (size_t)n;
	out->p = malloc(out->n + 1);
	cr_assert_eq(fread(out->p, 1, out->n, fp), out->n);
	fclose(fp);
}

/* Run the real tool (`xz -c`, `bzip2 -c`) over in, into *out. */
static void
tool_compress(const char *tool, const struct tbuf *in, struct tbuf *out)
{
	char src[256], dst[256], cmd[700];
	FILE *fp;

	fp = fopen(tu_tmp(src, sizeof(src), "tool-in"), "wb");
	cr_assert_not_null(fp);
	cr_assert_eq(fwrite(in->p, 1, in->n, fp), in->n);
	fclose(fp);
	snprintf(cmd, sizeof(cmd), "%s <'%s' >'%s'", tool, src,
	    tu_tmp(dst, sizeof(dst), "tool-out"));
	cr_assert_eq(system(cmd), 0, "%s", cmd);
	slurp(dst, out);
	unlink(src);
	unlink(dst);
}

/* Write a one-layer OCI archive whose stored layer is `stored`. */
static void
oci_with_stored_layer(const char *path, const struct tbuf *layer,
    const struct tbuf *stored, const char *mt)
{
	char lhex[65], dhex[65], chex[65], mhex[65], lname[96], cname[96], mname[96];
	char cfg[512], man[1024], idx[512];
	struct tu_member m[5];

	tu_sha256_hex(lhex, stored->p, stored->n);
	tu_sha256_hex(dhex, layer->p, layer->n);
	snprintf(cfg, sizeof(cfg), "{\"architecture\":\"amd64\",\"os\":\"linux\","
	    "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:%s\"]}}", dhex);
	tu_sha256_hex(chex, cfg, strlen(cfg));
	snprintf(man, sizeof(man), "{\"schemaVersion\":2,\"mediaType\":"
	    "\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":"
	    "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:%s\","
	    "\"size\":%zu},\"layers\":[{\"mediaType\":\"%s\",\"digest\":\"sha256:%s\","
	    "\"size\":%zu}]}", chex, strlen(cfg), mt, lhex, stored->n);
	tu_sha256_hex(mhex, man, strlen(man));
	snprintf(idx, sizeof(idx), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
	    "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:%s\","
	    "\"size\":%zu}]}", mhex, strlen(man));
	snprintf(lname, sizeof(lname), "blobs/sha256/%s", lhex);
	snprintf(cname, sizeof(cname), "blobs/sha256/%s", chex);
	snprintf(mname, sizeof(mname), "blobs/sha256/%s", mhex);
	m[0] = (struct tu_member){ "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}", 30, NULL, 0 };
	m[1] = (struct tu_member){ "index.json", idx, strlen(idx), NULL, 0 };
	m[2] = (struct tu_member){ mname, man, strlen(man), NULL, 0 };
	m[3] = (struct tu_member){ cname, cfg, strlen(cfg), NULL, 0 };
	m[4] = (struct tu_member){ lname, stored->p, stored->n, NULL, 0 };
	tu_write_tar(path, m, 5, 0);
}

/* A zstd frame whose window (2^28) is over the decoder limit (2^27). */
static const uint8_t zstd_big_window[] = { 0x28, 0xb5, 0x2f, 0xfd, 0x00,
    18 << 3, 0x01, 0x00, 0x00 };

Test(bad, zstd_window_over_the_limit_is_not_corruption)
{
	struct tbuf layer, s = { (uint8_t *)(uintptr_t)zstd_big_window,
	    sizeof(zstd_big_window) };
	struct err e;
	char path[256];
	FILE *fp;

	tu_layer(&layer, basic, NBASIC);
	oci_with_stored_layer(tu_tmp(path, sizeof(path), "zwindow"), &layer, &s,
	    "application/vnd.oci.image.layer.v1.tar+zstd");
	cr_assert_eq(read_fail(path, &e), ERR_LIMIT);
	cr_assert(strstr(e.msg, "layer 1: zstd frame window over the decoder "
	    "limit of 128 MiB"), "%s", e.msg);
	/* The same for a zstd-compressed wrapper. */
	fp = fopen(path, "w");
	fwrite(zstd_big_window, 1, sizeof(zstd_big_window), fp);
	fclose(fp);
	cr_assert_eq(read_fail(path, &e), ERR_LIMIT);
	cr_assert(strstr(e.msg, "over the decoder limit of 128 MiB (window "
	    "log 27)"), "%s", e.msg);
	tbuf_free(&layer);
	unlink(path);
}

Test(edges, zstd_skippable_frame_and_gzip_zero_padding)
{
	struct tbuf layer, z, g, s;
	struct tar_archive *ar;
	char path[256];
	static const uint8_t skip[12] = { 0x50, 0x2a, 0x4d, 0x18, 4, 0, 0, 0,
	    'T', 'O', 'C', '!' };

	tu_layer(&layer, basic, NBASIC);
	/* zstd:chunked carries a skippable frame after the data frames. */
	tu_zstd(&z, &layer);
	s.p = malloc(z.n + sizeof(skip));
	memcpy(s.p, z.p, z.n);
	memcpy(s.p + z.n, skip, sizeof(skip));
	s.n = z.n + sizeof(skip);
	oci_with_stored_layer(tu_tmp(path, sizeof(path), "zchunk"), &layer, &s,
	    "application/vnd.oci.image.layer.v1.tar+zstd");
	ar = read_ok(path, NULL);
	cr_assert_eq(tar_image(ar, 0)->layers[0].nentries, NBASIC);
	cr_assert_eq(tar_image(ar, 0)->layers[0].framing.zs_frames, 2);
	tar_free(ar);
	tbuf_free(&s);
	/* Some writers pad a gzip stream with zeros. */
	tu_gzip(&g, &layer);
	s.p = calloc(1, g.n + 1000);
	memcpy(s.p, g.p, g.n);
	s.n = g.n + 1000;
	oci_with_stored_layer(path, &layer, &s,
	    "application/vnd.oci.image.layer.v1.tar+gzip");
	ar = read_ok(path, NULL);
	cr_assert_eq(tar_image(ar, 0)->layers[0].nentries, NBASIC);
	cr_assert_eq(tar_image(ar, 0)->layers[0].framing.gz_padding, 1000);
	tar_free(ar);
	/* ...but data after the padding is not a gzip stream. */
	s.p[s.n - 1] = 7;
	oci_with_stored_layer(path, &layer, &s,
	    "application/vnd.oci.image.layer.v1.tar+gzip");
	{
		struct err e;

		cr_assert_eq(read_fail(path, &e), ERR_FORMAT);
		cr_assert(strstr(e.msg, "data after zero padding"), "%s", e.msg);
	}
	tbuf_free(&s);
	tbuf_free(&g);
	tbuf_free(&z);
	tbuf_free(&layer);
	unlink(path);
}


/* xz and bzip2 as the real tools write them: one stream, and two streams
   one after the other (xz and bzip2 read both). */
static const struct {
	const char *tool;
	enum tar_comp comp;
} tools[] = {
	{ "xz -c", TAR_COMP_XZ },
	{ "xz -9e -c", TAR_COMP_XZ },
	{ "bzip2 -c", TAR_COMP_BZIP2 },
	{ "bzip2 -1 -c", TAR_COMP_BZIP2 },
};

Test(read, xz_and_bzip2_layers_by_the_real_tools)
{
	struct tbuf layer, z, two;
	struct tar_archive *ar;
	const struct tar_layer *l;
	char path[256];
	uint8_t *out;
	size_t i, n;
	struct err e = { 0, "" };

	tu_layer(&layer, basic, NBASIC);
	for (i = 0; i < sizeof(tools) / sizeof(tools[0]); i++) {
		tool_compress(tools[i].tool, &layer, &z);
		cr_assert_eq(tar_comp_sniff(z.p, z.n), tools[i].comp, "%s",
		    tools[i].tool);
		oci_with_stored_layer(tu_tmp(path, sizeof(path), "xzbz"), &layer,
		    &z, "application/vnd.oci.image.layer.v1.tar");
		ar = read_ok(path, NULL);
		l = &tar_image(ar, 0)->layers[0];
		cr_assert_eq(l->nentries, NBASIC);
		cr_assert_eq(l->framing.comp, tools[i].comp);
		tar_free(ar);
		/* Concatenated streams decode to both payloads. */
		two.n = 2 * z.n;
		two.p = malloc(two.n);
		memcpy(two.p, z.p, z.n);
		memcpy(two.p + z.n, z.p, z.n);
		cr_assert_eq(tar_decompress(two.p, two.n, 1 << 20, &out, &n, &e), 0,
		    "%s: %s", tools[i].tool, e.msg);
		cr_assert_eq(n, 2 * layer.n);
		cr_assert_eq(memcmp(out, layer.p, layer.n), 0);
		cr_assert_eq(memcmp(out + layer.n, layer.p, layer.n), 0);
		free(out);
		/* Cut short: an error, never a shorter layer. */
		err_clear(&e);
		cr_assert_eq(tar_decompress(z.p, z.n - 5, 1 << 20, &out, &n, &e),
		    ERR_FORMAT, "%s", tools[i].tool);
		cr_assert(strstr(e.msg, tar_comp_name(tools[i].comp)), "%s", e.msg);
		/* A flipped byte fails the stream's own check (CRC). */
		z.p[z.n / 2] ^= 0x10;
		err_clear(&e);
		cr_assert_lt(tar_decompress(z.p, z.n, 1 << 20, &out, &n, &e), 0,
		    "%s", tools[i].tool);
		tbuf_free(&two);
		tbuf_free(&z);
	}
	tbuf_free(&layer);
	unlink(path);
}

Test(read, xz_and_bzip2_wrappers_by_the_real_tools)
{
	struct tu_oci_opts o = { 0 };
	struct tbuf plain, z;
	struct tar_archive *ar;
	char path[256], zpath[256];
	size_t i;
	FILE *fp;

	tu_oci(tu_tmp(path, sizeof(path), "plain"), basic, NBASIC, &o);
	slurp(path, &plain);
	for (i = 0; i < sizeof(tools) / sizeof(tools[0]); i++) {
		tool_compress(tools[i].tool, &plain, &z);
		fp = fopen(tu_tmp(zpath, sizeof(zpath), "wrapped-z"), "wb");
		cr_assert_eq(fwrite(z.p, 1, z.n, fp), z.n);
		fclose(fp);
		ar = read_ok(zpath, NULL);
		cr_assert_eq(tar_wrapper_comp(ar), tools[i].comp);
		cr_assert_eq(tar_image(ar, 0)->layers[0].nentries, NBASIC);
		tar_free(ar);
		tbuf_free(&z);
	}
	tbuf_free(&plain);
	unlink(path);
	unlink(zpath);
}

/* A tar whose first name starts "BZh9" is a tar, not bzip2. */
Test(read, bzh_named_tar_is_not_bzip2)
{
	static const struct tu_ent ents[] = { { .path = "BZh9-notes", .data = "x" } };
	struct tbuf t;

	tu_layer(&t, ents, 1);
	cr_assert_eq(tar_comp_sniff(t.p, t.n), TAR_COMP_NONE);
	tbuf_free(&t);
}

/* The same entry of the last layer of the first image, fetched again. */
static void
fetch_last(const struct tar_archive *ar, struct tar_fetch *w)
{
	const struct tar_image *im = tar_image(ar, 0);
	const struct tar_layer *l = &im->layers[im->nlayers - 1];
	struct err e = { 0, "" };

	memset(w, 0, sizeof(*w));
	w->member = l->member;
	w->path = l->entries[l->nentries - 1].path;
	cr_assert_eq(tar_fetch(ar, w, 1, 1 << 20, &e), 0, "%s", e.msg);
	cr_assert(w->found && w->seen);
}

Test(mem, reads_as_the_file_reads)
{
	struct tar_archive *a, *b = NULL;
	struct tar_fetch wa, wb;
	struct err e = { 0, "" };
	struct tbuf buf;
	uint8_t da[32], db[32];
	char path[512];
	size_t i, j, k;

	for (i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		snprintf(path, sizeof(path), "%s/fixtures/%s", CORPUS,
		    fixtures[i].file);
		slurp(path, &buf);
		a = read_ok(path, NULL);
		cr_assert_eq(tar_read_mem(buf.p, buf.n, "mem", NULL, &b, &e), 0,
		    "%s: %s", path, e.msg);
		cr_assert_eq(tar_format(b), tar_format(a));
		cr_assert(tar_input_sha256(a, da) && tar_input_sha256(b, db));
		cr_assert_eq(memcmp(da, db, 32), 0);
		cr_assert_eq(tar_nimages(b), tar_nimages(a));
		for (j = 0; j < tar_nimages(a); j++) {
			const struct tar_image *ia = tar_image(a, j),
			    *ib = tar_image(b, j);

			cr_assert_eq(ib->nlayers, ia->nlayers);
			for (k = 0; k < ia->nlayers; k++) {
				cr_assert_eq(memcmp(ia->layers[k].digest,
				    ib->layers[k].digest, 32), 0);
				cr_assert_eq(ib->layers[k].nentries,
				    ia->layers[k].nentries);
			}
		}
		if (tar_image(a, 0)->layers[tar_image(a, 0)->nlayers - 1].nentries
		    > 0) {
			cr_assert(tar_rereadable(b));
			fetch_last(a, &wa);
			fetch_last(b, &wb);
			cr_assert_eq(wb.len, wa.len, "%s", path);
			cr_assert(wa.len == 0 ||
			    memcmp(wa.data, wb.data, wa.len) == 0);
			free(wa.data);
			free(wb.data);
		}
		tar_free(a);
		tar_free(b);
		b = NULL;
		tbuf_free(&buf);
	}
}

Test(mem, fingerprint_and_errors_by_name)
{
	struct tar_archive *ar = NULL;
	struct err e = { 0, "" };
	struct tbuf buf;

	slurp(CORPUS "/fingerprints/rebuild-a.fp", &buf);
	cr_assert_eq(tar_read_mem(buf.p, buf.n, "fp", NULL, &ar, &e), 0, "%s",
	    e.msg);
	cr_assert(tar_is_fingerprint(ar));
	cr_assert_not(tar_rereadable(ar));
	tar_free(ar);
	ar = NULL;
	buf.p[buf.n - 1] ^= 1;
	cr_assert_lt(tar_read_mem(buf.p, buf.n, "fp", NULL, &ar, &e), 0);
	cr_assert_null(ar);
	cr_assert_eq(strncmp(e.msg, "fp: ", 4), 0, "%s", e.msg);
	tbuf_free(&buf);
	err_clear(&e);
	cr_assert_eq(tar_read_mem("", 0, "empty", NULL, &ar, &e), ERR_FORMAT);
	cr_assert(strstr(e.msg, "empty input"), "%s", e.msg);
}

Test(warn, libarchive_warning_in_a_layer_is_recorded)
{
	struct tbuf layer;
	struct tar_archive *ar;
	char path[256];

	/* A record longer than the header holds. */
	tu_pax_layer(&layer, "99 junk=1\n");
	oci_with_stored_layer(tu_tmp(path, sizeof(path), "warnpax"), &layer,
	    &layer, "application/vnd.oci.image.layer.v1.tar");
	ar = read_ok(path, NULL);
	cr_assert_eq(tar_image(ar, 0)->layers[0].nentries, 1);
	cr_assert_str_eq(tar_image(ar, 0)->layers[0].warnings,
	    "entry 1: libarchive: Ignoring malformed pax extended attribute\n");
	cr_assert(strstr(tar_warnings(ar), "layer 1: entry 1: libarchive: "
	    "Ignoring malformed pax extended attribute\n"), "%s",
	    tar_warnings(ar));
	tar_free(ar);
	/* The same layer read bare. */
	{
		FILE *fp = fopen(path, "w");

		fwrite(layer.p, 1, layer.n, fp);
		fclose(fp);
	}
	ar = read_ok(path, NULL);
	cr_assert(strstr(tar_warnings(ar), "layer 1: entry 1: libarchive: "
	    "Ignoring malformed pax"), "%s", tar_warnings(ar));
	tar_free(ar);
	tbuf_free(&layer);
	unlink(path);
}

Test(warn, a_utf8_pax_name_is_read_as_stored_without_a_warning)
{
	/* "café" in a pax path record: libarchive, in the C locale, warns that
	   it cannot convert it, and keeps the bytes, which is what we want. */
	struct tbuf layer;
	struct tar_archive *ar;
	char path[256];

	tu_pax_layer(&layer, "14 path=caf\xc3\xa9\n");
	oci_with_stored_layer(tu_tmp(path, sizeof(path), "warnutf8"), &layer,
	    &layer, "application/vnd.oci.image.layer.v1.tar");
	ar = read_ok(path, NULL);
	cr_assert_str_eq(tar_image(ar, 0)->layers[0].entries[0].path,
	    "caf\xc3\xa9");
	cr_assert_null(tar_image(ar, 0)->layers[0].warnings, "%s",
	    tar_image(ar, 0)->layers[0].warnings);
	tar_free(ar);
	tbuf_free(&layer);
	unlink(path);
}

/* Read path with jobs threads; @return the archive. */
static struct tar_archive *
read_jobs(const char *path, unsigned jobs)
{
	struct tar_opts o = { .jobs = jobs, .sha256_entries = true };
	struct tar_archive *ar = NULL;
	struct err e = { 0, "" };

	cr_assert_eq(tar_read(path, &o, &ar, &e), 0, "%s -j %u: %s", path, jobs,
	    e.msg);
	return ar;
}

/* a and b hold the same images, layers and entries. */
static void
assert_same_read(const struct tar_archive *a, const struct tar_archive *b)
{
	const struct tar_layer *x, *y;
	uint8_t da[32], db[32];
	size_t i, l, k;

	cr_assert_eq(tar_input_sha256(a, da), tar_input_sha256(b, db));
	if (tar_input_sha256(a, da)) {
		tar_input_sha256(b, db);
		cr_assert(memcmp(da, db, 32) == 0);
	}
	cr_assert_eq(tar_nimages(a), tar_nimages(b));
	for (i = 0; i < tar_nimages(a); i++) {
		cr_assert_eq(tar_image(a, i)->nlayers, tar_image(b, i)->nlayers);
		for (l = 0; l < tar_image(a, i)->nlayers; l++) {
			x = &tar_image(a, i)->layers[l];
			y = &tar_image(b, i)->layers[l];
			cr_assert(memcmp(x->digest, y->digest, 32) == 0);
			cr_assert(memcmp(x->diff_id, y->diff_id, 32) == 0);
			cr_assert_eq(x->nentries, y->nentries);
			for (k = 0; k < x->nentries; k++) {
				cr_assert_str_eq(x->entries[k].path, y->entries[k].path);
				cr_assert_str_eq(x->entries[k].uname, y->entries[k].uname);
				cr_assert(memcmp(x->entries[k].hash, y->entries[k].hash,
				    TAR_HASH_MAX) == 0);
			}
		}
	}
}

Test(jobs, pool_reads_archive_files_and_directories_alike)
{
	static const char *const paths[] = {
		CORPUS "/real/rebuild-a.tar", CORPUS "/real/layout-dir",
		CORPUS "/real/format-docker.tar", CORPUS "/real/multiarch-a.tar",
	};
	struct tar_archive *one, *four;
	size_t i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		one = read_jobs(paths[i], 1);
		four = read_jobs(paths[i], 4);
		cr_assert_eq(tar_pooled(one), 0, "%s: -j 1 pooled", paths[i]);
		cr_assert_gt(tar_pooled(four), 1, "%s: -j 4 not pooled", paths[i]);
		assert_same_read(one, four);
		tar_free(one);
		tar_free(four);
	}
}

/* Over one job, each compressed layer is inflated on a second thread,
   into the same read, in every input kind; stored layers and one job
   stay on one. */
Test(jobs, compressed_layers_are_read_in_two_stages)
{
	struct tu_oci_opts dir = { .as_dir = true, .layer_comp = 1 },
	    wrapped = { .wrapper_comp = 1, .layer_comp = 2 };
	char pdir[256], pwrapped[256], cmd[300];
	const struct {
		const char *path;
		bool compressed;
	} in[] = {
		{ CORPUS "/real/compress-gzip.tar", true },
		{ CORPUS "/real/compress-zstd.tar", true },
		{ tu_tmp(pdir, sizeof(pdir), "piped-dir"), true },
		{ tu_tmp(pwrapped, sizeof(pwrapped), "piped-wrapped"), true },
		{ CORPUS "/real/format-docker.tar", false },
	};
	struct tar_archive *one, *two;
	size_t i;

	tu_oci(pdir, basic, NBASIC, &dir);
	tu_oci(pwrapped, basic, NBASIC, &wrapped);
	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		one = read_jobs(in[i].path, 1);
		two = read_jobs(in[i].path, 2);
		cr_assert_eq(tar_piped(one), 0, "%s: -j 1 piped", in[i].path);
		if (in[i].compressed)
			cr_assert_gt(tar_piped(two), 0, "%s: -j 2 not piped",
			    in[i].path);
		else
			cr_assert_eq(tar_piped(two), 0, "%s: piped", in[i].path);
		assert_same_read(one, two);
		tar_free(one);
		tar_free(two);
	}
	unlink(pwrapped);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", pdir);
	cr_assert_eq(system(cmd), 0);
}

Test(jobs, compressed_wrapper_is_read_in_one_pass)
{
	struct tar_archive *ar = read_jobs(CORPUS "/real/wrapped-docker.tar.gz", 4);

	cr_assert_eq(tar_pooled(ar), 0);
	cr_assert_eq(tar_image(ar, 0)->layers[0].present, true);
	tar_free(ar);
}

Test(jobs, tampered_layer_fails_on_the_pool)
{
	struct tu_oci_opts o = { 0 };
	struct tar_opts to = { .jobs = 4 };
	struct tar_archive *ar = NULL;
	struct err e = { 0, "" };
	char path[256];

	o.corrupt_layer = true;
	tu_oci(tu_tmp(path, sizeof(path), "tamper-j"), basic, NBASIC, &o);
	cr_assert_eq(tar_read(path, &to, &ar, &e), ERR_DIGEST, "%s", e.msg);
	cr_assert_null(ar);
	cr_assert(strstr(e.msg, "does not match") != NULL, "%s", e.msg);
	unlink(path);
}
