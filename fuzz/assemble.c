/*
 * assemble.c - build an image archive around fuzzed parts, with every
 * digest, size and member name computed here, so that the reader's deep
 * parsers meet the fuzzer's bytes instead of its digest checks.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <openssl/sha.h>
#include <zstd.h>

#include "fuzz/fuzz.h"
#include "tests/testutil.h"

size_t
fz_split(const uint8_t *data, size_t size, struct fz_part_ref *parts,
    size_t n)
{
	static const size_t seplen = sizeof(FZ_SEP) - 1;
	const uint8_t *p = data, *end = data + size, *q;
	size_t k = 0;

	memset(parts, 0, n * sizeof(*parts));
	while (k < n) {
		q = k + 1 < n ? memmem(p, (size_t)(end - p), FZ_SEP, seplen) : NULL;
		parts[k].p = p;
		parts[k].n = q != NULL ? (size_t)(q - p) : (size_t)(end - p);
		k++;
		if (q == NULL)
			break;
		p = q + seplen;
	}
	return k;
}

void
fz_compress(int comp, const uint8_t *p, size_t n, struct sbuf *out)
{
	struct archive *a;
	struct archive_entry *ae;
	size_t cap, used = 0;
	uint8_t *buf;

	if (comp == 2) {
		cap = ZSTD_compressBound(n);
		buf = xmalloc(cap);
		used = ZSTD_compress(buf, cap, p, n, 1);
		if (!ZSTD_isError(used))
			sbuf_add(out, buf, used);
		free(buf);
		return;
	}
	if (comp != 1) {
		sbuf_add(out, p, n);
		return;
	}
	/* gzip through libarchive's raw format: a real deflate stream. */
	a = archive_write_new();
	ae = archive_entry_new();
	cap = n + n / 100 + 4096;
	buf = xmalloc(cap);
	archive_write_set_format_raw(a);
	archive_write_add_filter_gzip(a);
	archive_write_set_bytes_per_block(a, 0);
	archive_write_open_memory(a, buf, cap, &used);
	archive_entry_set_filetype(ae, AE_IFREG);
	archive_entry_set_size(ae, (la_int64_t)n);
	archive_write_header(a, ae);
	archive_write_data(a, p, n);
	archive_write_close(a);
	archive_write_free(a);
	archive_entry_free(ae);
	sbuf_add(out, buf, used);
	free(buf);
}

/* What the placeholders stand for. */
struct blobinfo {
	bool have;
	char digest[72];	/* "sha256:<hex>" */
	char hex[65];
	char diff_id[72];	/* layers only */
	char path[96];
	size_t size;
};

struct names {
	struct blobinfo layer[FZ_LAYERS_MAX], config, manifest, nested;
};

static void
blob_info(struct blobinfo *bi, const void *p, size_t n, const char *pathfmt)
{
	uint8_t d[32];

	SHA256(p, n, d);
	util_hex_encode(bi->hex, d, 32);
	snprintf(bi->digest, sizeof(bi->digest), "sha256:%s", bi->hex);
	snprintf(bi->path, sizeof(bi->path), pathfmt, bi->hex);
	bi->size = n;
	bi->have = true;
}

/* @return the value a placeholder at p stands for and its length in *len,
   or NULL when p is not a placeholder. */
static const char *
placeholder(const struct names *nm, const uint8_t *p, size_t n, size_t *len,
    char num[24])
{
	const struct blobinfo *bi = NULL;
	unsigned k;

	if (n < 2 || p[0] != '$')
		return NULL;
	*len = 2;
	if (strchr("LDSP", p[1]) != NULL && n >= 3 && p[2] >= '0' &&
	    p[2] < '0' + FZ_LAYERS_MAX) {
		k = (unsigned)(p[2] - '0');
		bi = &nm->layer[k];
		*len = 3;
		if (!bi->have)
			return "";
		switch (p[1]) {
		case 'L':	return bi->digest;
		case 'D':	return bi->diff_id;
		case 'P':	return bi->path;
		default:
			snprintf(num, 24, "%zu", bi->size);
			return num;
		}
	}
	if (p[1] == 'P' && n >= 3 && p[2] == 'C') {
		*len = 3;
		return nm->config.path;
	}
	switch (p[1]) {
	case 'C': case 'c':	bi = &nm->config; break;
	case 'M': case 'm':	bi = &nm->manifest; break;
	case 'I': case 'i':	bi = &nm->nested; break;
	default:		return NULL;
	}
	if (p[1] >= 'a') {
		snprintf(num, 24, "%zu", bi->size);
		return num;
	}
	return bi->digest;
}

static void
substitute(const struct names *nm, const struct fz_part_ref *in,
    struct sbuf *out)
{
	const char *v;
	char num[24];
	size_t i, len;

	sbuf_reset(out);
	for (i = 0; i < in->n; i++) {
		if ((v = placeholder(nm, in->p + i, in->n - i, &len, num)) != NULL) {
			sbuf_addstr(out, v);
			i += len - 1;
		} else
			sbuf_addc(out, (char)in->p[i]);
	}
}

static bool
docker_names(int layout)
{
	return layout == FZ_DOCKER || layout == FZ_DOCKER_LINKS;
}

bool
fz_assemble(const uint8_t *data, size_t size, struct sbuf *out)
{
	static const char layout_json[] = "{\"imageLayoutVersion\":\"1.0.0\"}";
	struct fz_part_ref parts[FZ_NPARTS];
	struct sbuf stored[FZ_LAYERS_MAX], doc[FZ_LAYER0];
	struct tu_member m[FZ_NPARTS + 2];
	struct tbuf tar;
	struct names nm;
	int layout, wcomp, lcomp;
	size_t nm_ = 0, i, j;
	char linkname[FZ_LAYERS_MAX][96];

	sbuf_reset(out);
	if (size == 0)
		return false;
	layout = data[0] & 7;
	wcomp = data[0] >> 3 & 3;
	lcomp = data[0] >> 5 & 3;
	if (layout == FZ_RAW) {
		sbuf_add(out, data + 1, size - 1);
		return data[0] & 0x80;
	}
	memset(&nm, 0, sizeof(nm));
	fz_split(data + 1, size - 1, parts, FZ_NPARTS);
	if (layout == FZ_BARE) {
		fz_compress(wcomp, parts[FZ_LAYER0].p, parts[FZ_LAYER0].n, out);
		return data[0] & 0x80;
	}
	for (i = 0; i < FZ_LAYERS_MAX; i++) {
		struct blobinfo *bi = &nm.layer[i];
		uint8_t d[32];

		sbuf_init(&stored[i]);
		if (parts[FZ_LAYER0 + i].n == 0)
			continue;
		fz_compress(lcomp, parts[FZ_LAYER0 + i].p, parts[FZ_LAYER0 + i].n,
		    &stored[i]);
		blob_info(bi, stored[i].buf, stored[i].len,
		    docker_names(layout) ? "%s/layer.tar" : "blobs/sha256/%s");
		SHA256(parts[FZ_LAYER0 + i].p, parts[FZ_LAYER0 + i].n, d);
		memcpy(bi->diff_id, "sha256:", 7);
		util_hex_encode(bi->diff_id + 7, d, 32);
	}
	for (i = 0; i < FZ_LAYER0; i++)
		sbuf_init(&doc[i]);
	/* Each document may name those computed before it. */
	substitute(&nm, &parts[FZ_CONFIG], &doc[FZ_CONFIG]);
	blob_info(&nm.config, doc[FZ_CONFIG].buf, doc[FZ_CONFIG].len,
	    docker_names(layout) ? "%s.json" : "blobs/sha256/%s");
	substitute(&nm, &parts[FZ_MANIFEST], &doc[FZ_MANIFEST]);
	blob_info(&nm.manifest, doc[FZ_MANIFEST].buf, doc[FZ_MANIFEST].len,
	    "blobs/sha256/%s");
	substitute(&nm, &parts[FZ_NESTED], &doc[FZ_NESTED]);
	blob_info(&nm.nested, doc[FZ_NESTED].buf, doc[FZ_NESTED].len,
	    "blobs/sha256/%s");
	substitute(&nm, &parts[FZ_DOCKER_MANIFEST], &doc[FZ_DOCKER_MANIFEST]);
	substitute(&nm, &parts[FZ_INDEX], &doc[FZ_INDEX]);

	if (!docker_names(layout))
		m[nm_++] = (struct tu_member){ "oci-layout", layout_json,
		    sizeof(layout_json) - 1, NULL, 0 };
	if (!docker_names(layout) && parts[FZ_INDEX].n > 0)
		m[nm_++] = (struct tu_member){ "index.json", doc[FZ_INDEX].buf,
		    doc[FZ_INDEX].len, NULL, 0 };
	if (layout != FZ_OCI && layout != FZ_NESTED_INDEX &&
	    layout != FZ_OCI_REVERSED && parts[FZ_DOCKER_MANIFEST].n > 0)
		m[nm_++] = (struct tu_member){ "manifest.json",
		    doc[FZ_DOCKER_MANIFEST].buf, doc[FZ_DOCKER_MANIFEST].len, NULL, 0 };
	if (!docker_names(layout) && parts[FZ_MANIFEST].n > 0)
		m[nm_++] = (struct tu_member){ nm.manifest.path, doc[FZ_MANIFEST].buf,
		    doc[FZ_MANIFEST].len, NULL, 0 };
	if (layout == FZ_NESTED_INDEX && parts[FZ_NESTED].n > 0)
		m[nm_++] = (struct tu_member){ nm.nested.path, doc[FZ_NESTED].buf,
		    doc[FZ_NESTED].len, NULL, 0 };
	if (parts[FZ_CONFIG].n > 0)
		m[nm_++] = (struct tu_member){ nm.config.path, doc[FZ_CONFIG].buf,
		    doc[FZ_CONFIG].len, NULL, 0 };
	for (i = 0; i < FZ_LAYERS_MAX; i++) {
		if (!nm.layer[i].have)
			continue;
		/* A layer seen before: once more (a duplicate member), or as
		   a symlink to the first, as some savers write it. */
		for (j = 0; j < i && strcmp(nm.layer[j].hex, nm.layer[i].hex) != 0;
		    j++)
			;
		if (j < i && layout == FZ_DOCKER_LINKS) {
			snprintf(linkname[i], sizeof(linkname[i]), "l%zu/layer.tar", i);
			m[nm_++] = (struct tu_member){ linkname[i], NULL, 0, NULL, 0 };
			snprintf(nm.layer[i].path, sizeof(nm.layer[i].path),
			    "../%s", nm.layer[j].path);
			m[nm_ - 1].symlink = nm.layer[i].path;
			continue;
		}
		if (j < i)
			continue;
		m[nm_++] = (struct tu_member){ nm.layer[i].path, stored[i].buf,
		    stored[i].len, NULL, 0 };
	}
	if (layout == FZ_OCI_REVERSED)
		for (i = 0; i < nm_ / 2; i++) {
			struct tu_member t = m[i];

			m[i] = m[nm_ - 1 - i];
			m[nm_ - 1 - i] = t;
		}
	tu_write_tar_mem(&tar, m, nm_, wcomp);
	sbuf_add(out, tar.p, tar.n);
	tbuf_free(&tar);
	for (i = 0; i < FZ_LAYERS_MAX; i++)
		sbuf_release(&stored[i]);
	for (i = 0; i < FZ_LAYER0; i++)
		sbuf_release(&doc[i]);
	return data[0] & 0x80;
}

/* ---- the fixed image ----------------------------------------------------- */

const struct sbuf *
fz_fixed_image(void)
{
	static struct sbuf img;
	/* tu_layer() takes text: the .pyc here holds no NUL. */
	static const struct tu_ent l1[] = {
		{ .path = "etc/" },
		{ .path = "etc/hostname", .data = "build\n", .uname = "root" },
		{ .path = "etc/os-release", .data = "ID=debian\nVERSION_ID=12\n" },
		{ .path = "usr/bin/tool", .data = "#!/bin/sh\necho hi\n",
		    .mode = 0755 },
		{ .path = "usr/bin/link", .symlink = "tool" },
		{ .path = "usr/bin/hard", .hardlink = "usr/bin/tool" },
		{ .path = "app/x.pyc", .data = "\x55\x0d\x0d\x0a\x01\x01\x01\x01"
		    "\x01\x02\x03\x04\x10\x01\x01\x01\xe3" "code" },
		{ .path = "var/log/dpkg.log",
		    .data = "2024-01-01 10:00:00 install x\n" },
		{ .path = "var/lib/dpkg/status",
		    .data = "Package: a\nVersion: 1\n\n" },
	};
	static const struct tu_ent l2[] = {
		{ .path = "etc/.wh.os-release", .data = "", .mtime = 1700000100 },
		{ .path = "usr/bin/.wh..wh..opq", .data = "", .mtime = 1700000100 },
		{ .path = "usr/bin/tool", .data = "#!/bin/sh\necho hello\n",
		    .mode = 0700, .mtime = 1700000100, .uid = 1000 },
		{ .path = "app/x.pyc", .data = "\x55\x0d\x0d\x0a\x01\x01\x01\x01"
		    "\x05\x06\x07\x08\x10\x01\x01\x01\xe3" "code",
		    .mtime = 1700000100 },
	};
	static const char config[] = "{\"architecture\":\"amd64\",\"os\":\"linux\","
	    "\"created\":\"2024-01-01T00:00:00Z\",\"config\":{\"Env\":["
	    "\"PATH=/bin\"],\"Cmd\":[\"/bin/sh\"]},\"rootfs\":{\"type\":\"layers\","
	    "\"diff_ids\":[\"$D0\",\"$D1\"]},\"history\":[{\"created_by\":"
	    "\"ADD rootfs\"},{\"created_by\":\"COPY app /app\"}]}";
	static const char manifest[] = "{\"schemaVersion\":2,\"mediaType\":"
	    "\"application/vnd.oci.image.manifest.v1+json\",\"config\":{"
	    "\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
	    "\"digest\":\"$C\",\"size\":$c},\"layers\":[{\"mediaType\":"
	    "\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"$L0\","
	    "\"size\":$S0},{\"mediaType\":"
	    "\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"$L1\","
	    "\"size\":$S1}]}";
	static const char index[] = "{\"schemaVersion\":2,\"manifests\":[{"
	    "\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
	    "\"digest\":\"$M\",\"size\":$m,\"platform\":{\"architecture\":"
	    "\"amd64\",\"os\":\"linux\"}}]}";
	struct sbuf in = SBUF_INIT;
	struct tbuf layer;

	if (img.len > 0)
		return &img;
	/* Layout FZ_OCI, layers gzip-compressed (bits 5-6 = 1). */
	sbuf_addc(&in, FZ_OCI | 1 << 5);
	sbuf_addstr(&in, index);
	sbuf_addstr(&in, FZ_SEP);
	sbuf_addstr(&in, manifest);
	sbuf_addstr(&in, FZ_SEP FZ_SEP);
	sbuf_addstr(&in, config);
	sbuf_addstr(&in, FZ_SEP FZ_SEP);
	tu_layer(&layer, l1, sizeof(l1) / sizeof(l1[0]));
	sbuf_add(&in, layer.p, layer.n);
	tbuf_free(&layer);
	sbuf_addstr(&in, FZ_SEP);
	tu_layer(&layer, l2, sizeof(l2) / sizeof(l2[0]));
	sbuf_add(&in, layer.p, layer.n);
	tbuf_free(&layer);
	fz_assemble((const uint8_t *)in.buf, in.len, &img);
	sbuf_release(&in);
	return &img;
}

/* ---- files for the loaders that take a path --------------------------------- */

const char *
fz_memfile(const uint8_t *p, size_t n)
{
	static char path[40];
	static int fd = -1;

	if (fd < 0) {
		if ((fd = memfd_create("fuzz", 0)) < 0)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) < 0 || pwrite(fd, p, n, 0) != (ssize_t)n)
		abort();
	return path;
}

FILE *
fz_devnull(void)
{
	static FILE *fp;

	if (fp == NULL && (fp = fopen("/dev/null", "w")) == NULL)
		abort();
	return fp;
}
