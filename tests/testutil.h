/*
 * testutil.h - build image archives for tests: layer tars in memory, OCI
 * and docker archives on disk, with knobs to break them in named ways.
 * Header-only: each test file is its own program.
 */
#ifndef IMGDRIFT_TESTUTIL_H
#define IMGDRIFT_TESTUTIL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <isa-l/crc.h>
#include <jansson.h>
#include <openssl/sha.h>
#include <zstd.h>

#include "util/sbuf.h"

#ifndef CORPUS
#define CORPUS "corpus"
#endif

/* A byte buffer (owned). */
struct tbuf {
	uint8_t *p;
	size_t n;
};

static inline void
tbuf_free(struct tbuf *b)
{
	free(b->p);
	b->p = NULL;
	b->n = 0;
}

/* One entry for tu_layer(). */
struct tu_ent {
	const char *path;
	const char *data;	/* regular file content; NULL for a directory */
	unsigned mode;		/* permission bits; 0 means 0644 / 0755 */
	long mtime;
	const char *symlink;	/* make a symlink to this target */
	const char *hardlink;	/* make a hardlink to this path */
	int uid, gid;
	const char *uname;
	size_t len;		/* bytes of data when it holds NULs; 0: strlen */
};

/* @return the bytes of e's data. */
static inline size_t
tu_len(const struct tu_ent *e)
{
	return e->len > 0 ? e->len : strlen(e->data);
}

/* Write the entries as a tar (format: ARCHIVE_FORMAT_TAR_*) into *out. */
static inline void
tu_layer_fmt(struct tbuf *out, const struct tu_ent *ents, size_t n, int format)
{
	struct archive *a = archive_write_new();
	struct archive_entry *ae = archive_entry_new();
	size_t cap = 1 << 20, used = 0, i;

	for (i = 0; i < n; i++)
		cap += 1024 + (ents[i].data ? tu_len(&ents[i]) : 0);
	out->p = malloc(cap);
	archive_write_set_format(a, format);
	archive_write_set_bytes_in_last_block(a, 1);
	archive_write_open_memory(a, out->p, cap, &used);
	for (i = 0; i < n; i++) {
		const struct tu_ent *e = &ents[i];

		archive_entry_clear(ae);
		archive_entry_set_pathname(ae, e->path);
		archive_entry_set_mtime(ae, e->mtime ? e->mtime : 1700000000, 0);
		archive_entry_set_uid(ae, e->uid);
		archive_entry_set_gid(ae, e->gid);
		if (e->uname)
			archive_entry_set_uname(ae, e->uname);
		if (e->symlink) {
			archive_entry_set_filetype(ae, AE_IFLNK);
			archive_entry_set_perm(ae, 0777);
			archive_entry_set_symlink(ae, e->symlink);
		} else if (e->hardlink) {
			archive_entry_set_filetype(ae, AE_IFREG);
			archive_entry_set_perm(ae, e->mode ? e->mode : 0644);
			archive_entry_set_hardlink(ae, e->hardlink);
			archive_entry_set_size(ae, 0);
		} else if (e->data == NULL) {
			archive_entry_set_filetype(ae, AE_IFDIR);
			archive_entry_set_perm(ae, e->mode ? e->mode : 0755);
		} else {
			archive_entry_set_filetype(ae, AE_IFREG);
			archive_entry_set_perm(ae, e->mode ? e->mode : 0644);
			archive_entry_set_size(ae, (la_int64_t)tu_len(e));
		}
		archive_write_header(a, ae);
		if (e->data && !e->symlink && !e->hardlink)
			archive_write_data(a, e->data, tu_len(e));
	}
	archive_write_close(a);
	archive_write_free(a);
	archive_entry_free(ae);
	out->n = used;
}

static inline void
tu_layer(struct tbuf *out, const struct tu_ent *ents, size_t n)
{
	tu_layer_fmt(out, ents, n, ARCHIVE_FORMAT_TAR_PAX_RESTRICTED);
}

/* gzip with ISA-L-independent framing: use libarchive's gzip filter. */
static inline void
tu_gzip(struct tbuf *out, const struct tbuf *in)
{
	size_t cap = in->n + 4096, used = 0;

	/* A member of stored (uncompressed) deflate blocks, which every
	   inflater takes; real deflate bodies come from the corpus. */
	{
		size_t nblk = in->n / 65535 + 1, i, off = 0;
		uint8_t *p = malloc(cap + nblk * 5 + 18);
		uint32_t crc = crc32_gzip_refl(0, in->p, in->n);

		static const uint8_t hdr[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };
		memcpy(p, hdr, 10);
		used = 10;
		for (i = 0; i < nblk; i++) {
			size_t len = in->n - off > 65535 ? 65535 : in->n - off;

			p[used++] = i + 1 == nblk ? 1 : 0;
			p[used++] = len & 0xff;
			p[used++] = len >> 8;
			p[used++] = ~len & 0xff;
			p[used++] = (~len >> 8) & 0xff;
			memcpy(p + used, in->p + off, len);
			used += len;
			off += len;
		}
		for (i = 0; i < 4; i++)
			p[used++] = (crc >> (8 * i)) & 0xff;
		for (i = 0; i < 4; i++)
			p[used++] = ((uint32_t)in->n >> (8 * i)) & 0xff;
		out->p = p;
		out->n = used;
	}
}

static inline void
tu_zstd(struct tbuf *out, const struct tbuf *in)
{
	size_t cap = ZSTD_compressBound(in->n);

	out->p = malloc(cap);
	out->n = ZSTD_compress(out->p, cap, in->p, in->n, 3);
}

static inline void
tu_sha256_hex(char hex[65], const void *p, size_t n)
{
	uint8_t d[32];

	SHA256(p, n, d);
	util_hex_encode(hex, d, 32);
}

/* A member to write into an outer archive. */
struct tu_member {
	const char *name;
	const void *data;
	size_t len;
	const char *symlink;
	long long size_override;	/* >0: lie about the size in the header */
};

/* A pax writer for tu_write_members().  comp: 0 none, 1 gzip, 2 zstd. */
static inline struct archive *
tu_tar_writer(int comp)
{
	struct archive *a = archive_write_new();

	archive_write_set_format_pax_restricted(a);
	if (comp == 1)
		archive_write_add_filter_gzip(a);
	else if (comp == 2)
		archive_write_add_filter_zstd(a);
	return a;
}

/* Write members to the opened writer a, then close and free it. */
static inline void
tu_write_members(struct archive *a, const struct tu_member *m, size_t n)
{
	struct archive_entry *ae = archive_entry_new();
	size_t i;

	for (i = 0; i < n; i++) {
		archive_entry_clear(ae);
		archive_entry_set_pathname(ae, m[i].name);
		archive_entry_set_mtime(ae, 0, 0);
		if (m[i].symlink) {
			archive_entry_set_filetype(ae, AE_IFLNK);
			archive_entry_set_perm(ae, 0777);
			archive_entry_set_symlink(ae, m[i].symlink);
			archive_write_header(a, ae);
			continue;
		}
		archive_entry_set_filetype(ae, AE_IFREG);
		archive_entry_set_perm(ae, 0644);
		archive_entry_set_size(ae, (la_int64_t)m[i].len);
		archive_write_header(a, ae);
		archive_write_data(a, m[i].data, m[i].len);
	}
	archive_write_close(a);
	archive_write_free(a);
	archive_entry_free(ae);
}

/* Write members as a tar file at path.  comp: 0 none, 1 gzip, 2 zstd. */
static inline void
tu_write_tar(const char *path, const struct tu_member *m, size_t n, int comp)
{
	struct archive *a = tu_tar_writer(comp);

	archive_write_open_filename(a, path);
	tu_write_members(a, m, n);
}

/* The same into *out (malloc'd). */
static inline void
tu_write_tar_mem(struct tbuf *out, const struct tu_member *m, size_t n,
    int comp)
{
	struct archive *a = tu_tar_writer(comp);
	size_t cap = 1 << 16, used = 0, i;

	for (i = 0; i < n; i++)
		cap += 2048 + 2 * strlen(m[i].name) + m[i].len;
	out->p = malloc(cap);
	archive_write_set_bytes_in_last_block(a, 1);
	archive_write_open_memory(a, out->p, cap, &used);
	tu_write_members(a, m, n);
	out->n = used;
}

/* Knobs for tu_oci(): each breaks one thing. */
struct tu_oci_opts {
	const char *layer_media_type;	/* default: tar (or by compression) */
	int layer_comp;			/* 0 none, 1 gzip, 2 zstd */
	bool corrupt_layer;		/* flip a byte in the stored layer */
	bool bad_gzip_crc;		/* break the gzip trailer (digest fits) */
	bool wrong_size;		/* layer descriptor size + 1 */
	bool wrong_diff_id;		/* config diff_id of another content */
	bool drop_layer;		/* omit the layer blob */
	bool as_dir;			/* write a layout directory, not a tar */
	const char *platform_arch;	/* default amd64 */
	const char *created;		/* config created */
	bool docker;			/* a legacy docker-archive instead */
	const char *tag;
	int wrapper_comp;		/* compress the whole archive */
	int tar_format;			/* ARCHIVE_FORMAT_TAR_*; 0: pax */
	const char *env;		/* config.Env[0]; default PATH=/bin */
	const char *runtime;		/* JSON object merged into config.config */
	const struct tbuf *raw_layer;	/* the layer tar as is (ents unused) */
};

static inline void
tu_json_dump(struct tbuf *out, json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);

	out->p = (uint8_t *)s;
	out->n = strlen(s);
	json_decref(j);
}

static inline void
tu_mkdirs(const char *root)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s' && mkdir -p '%s/blobs/sha256'",
	    root, root);
	if (system(cmd) != 0)
		abort();
}

static inline void
tu_put_file(const char *dir, const char *name, const void *p, size_t n)
{
	char path[1024];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "wb");
	fwrite(p, 1, n, fp);
	fclose(fp);
}

/*
 * Write a one-layer image holding ents at path, as an OCI archive (or
 * directory, or docker-archive) broken as o says.
 */
static inline void
tu_oci(const char *path, const struct tu_ent *ents, size_t n,
    const struct tu_oci_opts *o)
{
	struct tbuf layer, stored, cfg, man, idx;
	char lhex[65], dhex[65], chex[65], mhex[65];
	char lname[96], cname[96], mname[96];
	const char *mt = o->layer_media_type;
	struct tu_member mem[8];
	size_t nm = 0;
	json_t *j;

	if (o->raw_layer != NULL) {
		layer.p = malloc(o->raw_layer->n);
		memcpy(layer.p, o->raw_layer->p, o->raw_layer->n);
		layer.n = o->raw_layer->n;
	} else
		tu_layer_fmt(&layer, ents, n, o->tar_format ? o->tar_format :
		    ARCHIVE_FORMAT_TAR_PAX_RESTRICTED);
	if (o->layer_comp == 1)
		tu_gzip(&stored, &layer);
	else if (o->layer_comp == 2)
		tu_zstd(&stored, &layer);
	else {
		stored.p = malloc(layer.n);
		memcpy(stored.p, layer.p, layer.n);
		stored.n = layer.n;
	}
	if (mt == NULL)
		mt = o->layer_comp == 1 ? "application/vnd.oci.image.layer.v1.tar+gzip" :
		    o->layer_comp == 2 ? "application/vnd.oci.image.layer.v1.tar+zstd" :
		    "application/vnd.oci.image.layer.v1.tar";
	if (o->bad_gzip_crc)
		stored.p[stored.n - 6] ^= 0xff;
	tu_sha256_hex(lhex, stored.p, stored.n);
	tu_sha256_hex(dhex, layer.p, layer.n);
	if (o->wrong_diff_id)
		tu_sha256_hex(dhex, "other", 5);
	if (o->corrupt_layer)
		stored.p[stored.n / 2] ^= 0x55;
	j = json_pack("{s:s, s:s, s:s, s:{s:s, s:[s]}, s:{s:[s], s:[s]}}",
	    "architecture", o->platform_arch ? o->platform_arch : "amd64",
	    "os", "linux",
	    "created", o->created ? o->created : "2024-01-01T00:00:00Z",
	    "rootfs", "type", "layers", "diff_ids", "sha256:", "config",
	    "Cmd", "/bin/sh", "Env", o->env ? o->env : "PATH=/bin");
	{
		char did[80];

		snprintf(did, sizeof(did), "sha256:%s", dhex);
		json_array_set_new(json_object_get(json_object_get(j, "rootfs"),
		    "diff_ids"), 0, json_string(did));
	}
	if (o->runtime != NULL) {
		json_t *rt = json_loads(o->runtime, 0, NULL);

		if (rt == NULL)
			abort();
		json_object_update(json_object_get(j, "config"), rt);
		json_decref(rt);
	}
	tu_json_dump(&cfg, j);
	tu_sha256_hex(chex, cfg.p, cfg.n);
	if (o->docker) {
		snprintf(cname, sizeof(cname), "%s.json", chex);
		snprintf(lname, sizeof(lname), "abc/layer.tar");
		j = json_pack("[{s:s, s:[s], s:[s]}]", "Config", cname, "RepoTags",
		    o->tag ? o->tag : "test:latest", "Layers", lname);
		tu_json_dump(&man, j);
		mem[nm++] = (struct tu_member){ cname, cfg.p, cfg.n, NULL, 0 };
		if (!o->drop_layer)
			mem[nm++] = (struct tu_member){ lname, stored.p, stored.n, NULL, 0 };
		mem[nm++] = (struct tu_member){ "manifest.json", man.p, man.n, NULL, 0 };
		tu_write_tar(path, mem, nm, o->wrapper_comp);
		tbuf_free(&man);
		goto out;
	}
	{
		char ld[80], cd[80];

		snprintf(ld, sizeof(ld), "sha256:%s", lhex);
		snprintf(cd, sizeof(cd), "sha256:%s", chex);
		j = json_pack("{s:i, s:s, s:{s:s, s:s, s:I}, s:[{s:s, s:s, s:I}]}",
		    "schemaVersion", 2,
		    "mediaType", "application/vnd.oci.image.manifest.v1+json",
		    "config", "mediaType", "application/vnd.oci.image.config.v1+json",
		    "digest", cd, "size", (json_int_t)cfg.n,
		    "layers", "mediaType", mt, "digest", ld,
		    "size", (json_int_t)(stored.n + (o->wrong_size ? 1 : 0)));
	}
	tu_json_dump(&man, j);
	tu_sha256_hex(mhex, man.p, man.n);
	{
		char md[80];

		snprintf(md, sizeof(md), "sha256:%s", mhex);
		j = json_pack("{s:i, s:[{s:s, s:s, s:I, s:{s:s}}]}", "schemaVersion", 2,
		    "manifests", "mediaType", "application/vnd.oci.image.manifest.v1+json",
		    "digest", md, "size", (json_int_t)man.n,
		    "annotations", "org.opencontainers.image.ref.name",
		    o->tag ? o->tag : "latest");
	}
	tu_json_dump(&idx, j);
	snprintf(lname, sizeof(lname), "blobs/sha256/%s", lhex);
	snprintf(cname, sizeof(cname), "blobs/sha256/%s", chex);
	snprintf(mname, sizeof(mname), "blobs/sha256/%s", mhex);
	mem[nm++] = (struct tu_member){ "oci-layout",
	    "{\"imageLayoutVersion\":\"1.0.0\"}", 30, NULL, 0 };
	mem[nm++] = (struct tu_member){ "index.json", idx.p, idx.n, NULL, 0 };
	mem[nm++] = (struct tu_member){ mname, man.p, man.n, NULL, 0 };
	mem[nm++] = (struct tu_member){ cname, cfg.p, cfg.n, NULL, 0 };
	if (!o->drop_layer)
		mem[nm++] = (struct tu_member){ lname, stored.p, stored.n, NULL, 0 };
	if (o->as_dir) {
		size_t i;

		tu_mkdirs(path);
		for (i = 0; i < nm; i++)
			tu_put_file(path, mem[i].name, mem[i].data, mem[i].len);
	} else
		tu_write_tar(path, mem, nm, o->wrapper_comp);
	tbuf_free(&man);
	tbuf_free(&idx);
 out:
	tbuf_free(&layer);
	tbuf_free(&stored);
	tbuf_free(&cfg);
}

/* One ustar header block (name, typeflag, size) with its checksum. */
static inline void
tu_ustar_block(uint8_t *h, const char *name, char type, size_t size)
{
	unsigned sum = 0;
	size_t i;

	memset(h, 0, 512);
	memcpy(h, name, strlen(name));
	memcpy(h + 100, "0000644", 7);
	memcpy(h + 108, "0000000", 7);
	memcpy(h + 116, "0000000", 7);
	snprintf((char *)h + 124, 12, "%011zo", size);
	memcpy(h + 136, "00000000001", 11);
	h[156] = (uint8_t)type;
	memcpy(h + 257, "ustar\0" "00", 8);
	memset(h + 148, ' ', 8);
	for (i = 0; i < 512; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
}

/* A layer of one file "a" (content "x") with the pax records rec, which
   may be malformed: libarchive cannot write those. */
static inline void
tu_pax_layer(struct tbuf *t, const char *rec)
{
	t->n = 512 * 6;
	t->p = calloc(1, t->n);
	tu_ustar_block(t->p, "PaxHeaders/a", 'x', strlen(rec));
	memcpy(t->p + 512, rec, strlen(rec));
	tu_ustar_block(t->p + 1024, "a", '0', 1);
	t->p[1536] = 'x';
}

/* A scratch file name unique to this process and tag. */
static inline const char *
tu_tmp(char *buf, size_t n, const char *tag)
{
	if (system("mkdir -p build/tmp") != 0)
		abort();
	snprintf(buf, n, "build/tmp/t-%ld-%s", (long)getpid(), tag);
	return buf;
}

#endif
