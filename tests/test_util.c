/*
 * test_util.c - the shared helpers: escaping, hex, and the AVX2 build of
 * XXH3-128, which must give libxxhash's results bit for bit.
 */
#include <criterion/criterion.h>
#include <xxhash.h>

#include "util/sbuf.h"
#include "util/xxh_avx2.h"

Test(xxh, avx2_build_equals_the_library)
{
	uint8_t *buf = malloc(1 << 20), want[16], got[16];
	size_t lens[] = { 0, 1, 3, 16, 17, 128, 129, 240, 241, 1000, 65536,
	    (1 << 20) - 7 };
	size_t i, j, off;
	void *st;

	if (!xxh_avx2_usable())
		cr_skip_test("no AVX2 on this CPU");
	for (i = 0; i < (1u << 20); i++)
		buf[i] = (uint8_t)(i * 2654435761u >> 13);
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		XXH128_canonicalFromHash((XXH128_canonical_t *)want,
		    XXH3_128bits(buf, lens[i]));
		st = xxh_avx2_new();
		xxh_avx2_reset(st);
		/* Fed in uneven pieces, as blocks arrive from a layer. */
		for (off = 0, j = 1; off < lens[i]; off += j, j = j * 3 + 1)
			xxh_avx2_update(st, buf + off, lens[i] - off < j ? lens[i] - off : j);
		xxh_avx2_digest(st, got);
		xxh_avx2_free(st);
		cr_assert_eq(memcmp(want, got, 16), 0, "length %zu", lens[i]);
	}
	free(buf);
}

Test(escape, controls_invalid_utf8_and_bidi)
{
	struct sbuf sb = SBUF_INIT;
	static const char in[] = "a\\b\n\x1b[1m\xff\xe2\x80\xae\xc3\xa9";

	sbuf_add_escaped(&sb, in, sizeof(in) - 1);
	cr_assert_str_eq(sbuf_str(&sb), "a\\\\b\\n\\x1b[1m\\xff\\u{202e}\xc3\xa9");
	sbuf_release(&sb);
	sbuf_add_escaped_md(&sb, "<a|b>", 5);
	cr_assert_str_eq(sbuf_str(&sb), "&lt;a&#124;b&gt;");
	sbuf_release(&sb);
}

Test(hex, round_trip_and_rejects)
{
	uint8_t b[2];
	char h[5];

	hex_encode(h, (const uint8_t *)"\x01\xab", 2);
	cr_assert_str_eq(h, "01ab");
	cr_assert_eq(hex_decode(b, "01ab", 2), 0);
	cr_assert_eq(b[1], 0xab);
	cr_assert_eq(hex_decode(b, "01AB", 2), -1, "uppercase is not a digest");
	cr_assert_eq(hex_decode(b, "01abc", 2), -1);
}
