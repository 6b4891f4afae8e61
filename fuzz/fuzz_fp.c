/*
 * fuzz_fp.c - libFuzzer: any bytes as the payload of a fingerprint, framed
 * as `imgdrift record` frames it (docs/fingerprint.md: the skippable frame
 * naming version 1, a zstd frame with its checksum, the SHA-256 trailer),
 * so that the record parser meets them rather than the checksums.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/sha.h>
#include <zstd.h>

#include "diff/diff.h"
#include "tar/tar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t head[16] = {
	0x5e, 0x2a, 0x4d, 0x18, 8, 0, 0, 0, 'I', 'D', 'F', 'P', 1, 0, 0, 0
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	struct tar_archive *ar = NULL;
	struct diff_result *r = NULL;
	struct diff_opts o = { .require = DIFF_SAME_DIGEST };
	struct err e = { 0, "" };
	ZSTD_CCtx *zc = ZSTD_createCCtx();
	uint8_t *plain, *z;
	size_t cap, n;
	FILE *fp;

	if (path[0] == '\0')
		snprintf(path, sizeof(path), "fuzz-fp-%ld.fp", (long)getpid());
	plain = malloc(size + 32);
	memcpy(plain, data, size);
	SHA256(data, size, plain + size);
	cap = ZSTD_compressBound(size + 32);
	z = malloc(cap);
	ZSTD_CCtx_setParameter(zc, ZSTD_c_checksumFlag, 1);
	n = ZSTD_compress2(zc, z, cap, plain, size + 32);
	if (!ZSTD_isError(n) && (fp = fopen(path, "wb")) != NULL) {
		fwrite(head, 1, sizeof(head), fp);
		fwrite(z, 1, n, fp);
		fclose(fp);
		if (tar_read(path, NULL, &ar, &e) == 0) {
			if (diff_archives(ar, "a", ar, "b", &o, &r, &e) == 0)
				diff_second_look(r, ar, ar, &o, &e);
			diff_result_free(r);
			tar_free(ar);
		}
		unlink(path);
	}
	ZSTD_freeCCtx(zc);
	free(plain);
	free(z);
	return 0;
}
