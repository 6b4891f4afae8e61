/*
 * laloop.c - the reference for the tiny-files workload: a bare libarchive
 * loop over layer tars, next_header and XXH3-128 of each entry's data
 * blocks, nothing kept.  bench/bench.py builds it and runs one per image.
 *
 *	laloop LAYER.tar...
 *
 * Prints the entry count and an XOR of the hashes (so that the work cannot
 * be optimized away); exits 2 on a read error.
 */
#include <stdio.h>
#include <stdint.h>

#include <archive.h>
#include <archive_entry.h>
#include <xxhash.h>

#define BLOCK	(256u << 10)	/* what imgdrift's blob stream hands over */

static int
loop_one(const char *path, unsigned long long *count, uint64_t *mix)
{
	struct archive *a = archive_read_new();
	struct archive_entry *ae;
	XXH3_state_t *st = XXH3_createState();
	XXH128_hash_t h;
	const void *buf;
	size_t len;
	la_int64_t off;
	int r, rc = -1;

	if (a == NULL || st == NULL)
		goto out;
	archive_read_support_format_tar(a);
	if (archive_read_open_filename(a, path, BLOCK) != ARCHIVE_OK)
		goto out;
	while ((r = archive_read_next_header(a, &ae)) == ARCHIVE_OK) {
		XXH3_128bits_reset(st);
		while ((r = archive_read_data_block(a, &buf, &len, &off)) ==
		    ARCHIVE_OK)
			XXH3_128bits_update(st, buf, len);
		if (r != ARCHIVE_EOF)
			goto out;
		h = XXH3_128bits_digest(st);
		*mix ^= h.low64 ^ h.high64;
		(*count)++;
	}
	if (r == ARCHIVE_EOF)
		rc = 0;
 out:
	if (rc < 0)
		fprintf(stderr, "laloop: %s: %s\n", path,
		    a != NULL && archive_error_string(a) != NULL ?
		    archive_error_string(a) : "cannot read");
	archive_read_free(a);
	XXH3_freeState(st);
	return rc;
}

int
main(int argc, char **argv)
{
	unsigned long long count = 0;
	uint64_t mix = 0;
	int i;

	for (i = 1; i < argc; i++)
		if (loop_one(argv[i], &count, &mix) < 0)
			return 2;
	printf("%llu entries %016llx\n", count, (unsigned long long)mix);
	return 0;
}
