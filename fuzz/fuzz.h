/*
 * fuzz.h - what the libFuzzer targets share: splitting an input into
 * parts, assembling an image archive with correct digests around fuzzed
 * documents and layers (in memory), a fixed image to compare with, and an
 * in-memory file for the loaders that take a path.
 *
 * The structure-aware input of fuzz_read (docs/security.md, "Fuzzing"):
 *
 *     byte 0   layout (FZ_LAYOUT_*, low 3 bits), wrapper compression
 *              (bits 3-4: none, gzip, zstd), layer compression (bits 5-6),
 *              SHA-256 entry hashes (bit 7)
 *     then     parts separated by FZ_SEP: index.json, the manifest blob,
 *              manifest.json, the config, a nested index blob, and up to
 *              FZ_LAYERS_MAX uncompressed layer tars
 *
 * In the documents, placeholders stand for what the harness computes:
 * $L0..$L7 a layer's stored digest, $D0..$D7 its diff_id, $S0..$S7 its
 * stored size, $P0..$P7 its member path; $C, $c, $PC the config's digest,
 * size and path; $M, $m the manifest's digest and size; $I, $i the nested
 * index's.  An empty part is left out of the archive.
 */
#ifndef IMGDRIFT_FUZZ_H
#define IMGDRIFT_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util/sbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_SEP		"\n~~part~~\n"
#define FZ_LAYERS_MAX	8

enum fz_part {
	FZ_INDEX, FZ_MANIFEST, FZ_DOCKER_MANIFEST, FZ_CONFIG, FZ_NESTED,
	FZ_LAYER0, FZ_NPARTS = FZ_LAYER0 + FZ_LAYERS_MAX
};

enum fz_layout {
	FZ_OCI,			/* oci-layout, index.json, blobs/sha256/ */
	FZ_DOCKER,		/* manifest.json, <hex>.json, <hex>/layer.tar */
	FZ_DOCKER25,		/* both, blobs/sha256/ */
	FZ_BARE,		/* layer 0 alone is the archive */
	FZ_RAW,			/* the parts, joined, are the archive as is */
	FZ_NESTED_INDEX,	/* as FZ_OCI; index.json may name the nested index */
	FZ_DOCKER_LINKS,	/* as FZ_DOCKER; a repeated layer is a symlink */
	FZ_OCI_REVERSED		/* as FZ_OCI, members in reverse order */
};

/* One part of an input: borrowed bytes. */
struct fz_part_ref {
	const uint8_t *p;
	size_t n;
};

/*
 * Split data at every FZ_SEP into at most n parts (the last takes the
 * rest).  @return the number of parts found; the others are empty.
 */
size_t fz_split(const uint8_t *data, size_t size, struct fz_part_ref *parts,
    size_t n);

/*
 * Assemble the archive that the structure-aware input describes (see
 * above) into out.  @return whether to read it with SHA-256 entry hashes.
 */
bool fz_assemble(const uint8_t *data, size_t size, struct sbuf *out);

/* Compress n bytes: comp 1 gzip, 2 zstd, else a copy. */
void fz_compress(int comp, const uint8_t *p, size_t n, struct sbuf *out);

/*
 * A fixed image, different from anything the fuzzer writes: two layers
 * with files, links, a whiteout and a .pyc.  Assembled on first use.
 * @return its bytes (static).
 */
const struct sbuf *fz_fixed_image(void);

/*
 * Put n bytes into an in-memory file (memfd) and @return a path that opens
 * it ("/proc/self/fd/N"), valid until the next call.
 */
const char *fz_memfile(const uint8_t *p, size_t n);

struct tar_archive;
/*
 * Inspect ar; compare it with itself and, both ways, with the fixed image
 * (read with SHA-256 entry hashes when sha256), with the second look; and
 * render each result (salt chooses the formats).  Crashes are the finding.
 */
void fz_compare(const struct tar_archive *ar, bool sha256, unsigned salt);

/* @return a stream that discards what is written (opened once). */
FILE *fz_devnull(void);

#endif
