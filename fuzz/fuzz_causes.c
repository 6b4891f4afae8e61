/*
 * fuzz_causes.c - libFuzzer: the provers on two versions of a file.
 *
 *     byte 0   the path (low 4 bits, from the table below, which reaches
 *              every prover and volatile rule), and the mode (bit 7)
 *     mode 0   the rest is split into a and b at byte 1's ratio
 *     mode 1   the rest up to FZ_SEP is a; b is a copy of it with the
 *              patches after FZ_SEP applied, 3 bytes each: offset (two
 *              bytes, little-endian, modulo the length) and the new byte
 *
 * The second mode makes versions that differ in a few bytes only, as two
 * builds of one file do, so that each prover's masking is what decides.
 * Both versions also go through the member listing of archives
 * (diff/members.c).
 */
#include <stdlib.h>
#include <string.h>

#include "diff/causes.h"
#include "fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[16] = { "x.pyc", "var/log/dpkg.log",
	    "var/lib/dpkg/status", "x", "usr/share/doc/x/changelog.gz",
	    "app/lib.jar", "usr/lib/libx.a", "usr/share/icons/x.png",
	    "usr/share/locale/de/LC_MESSAGES/x.mo", "usr/bin/tool",
	    "app/x.exe", "etc/machine-id", "var/lib/apt/lists/x_Packages",
	    "lib/apk/db/installed", "app/x.whl", "x.tar" };
	struct fz_part_ref parts[2];
	const uint8_t *a, *b;
	uint8_t *copy = NULL;
	size_t na, nb, cut, i, off;
	struct proof p;
	char *s;

	if (size < 2)
		return 0;
	if (data[0] & 0x80) {
		fz_split(data + 1, size - 1, parts, 2);
		a = parts[0].p;
		na = nb = parts[0].n;
		copy = xmalloc(na + 1);
		memcpy(copy, a, na);
		for (i = 0; na > 0 && i + 3 <= parts[1].n; i += 3) {
			off = ((size_t)parts[1].p[i] | (size_t)parts[1].p[i + 1] << 8) %
			    na;
			copy[off] = parts[1].p[i + 2];
		}
		b = copy;
	} else {
		cut = 2 + (size - 2) * data[1] / 256;
		a = data + 2;
		na = cut - 2;
		b = data + cut;
		nb = size - cut;
	}
	diff_cause_prove(paths[data[0] & 15], a, na, b, nb, &p);
	free(p.detail);
	for (i = 0; i < na && i < nb && a[i] == b[i]; i++)
		;
	s = diff_cause_show(a, na, b, nb, i, p.from > 0 ? 0 : 8);
	free(s);
	s = diff_members_show(a, na, b, nb);
	free(s);
	free(copy);
	return 0;
}
