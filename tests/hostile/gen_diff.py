#!/usr/bin/env python3
"""Write the hostile inputs aimed at `imgdrift diff` itself, in the cases
format of tests/hostile/gen.py.

usage: python3 tests/hostile/gen_diff.py OUTDIR

many-a.tar.gz, many-b.tar.gz: 4,096 images (the most an archive may
hold), every one with the same 3,000-byte platform, the same archive
gzipped with another header time.  Pairing the images by platform must
take n log n comparisons: the quadratic pairing took 4.6 s of CPU on it,
the sorted one 0.4 s.  tests/diff.sh runs it under a tighter CPU limit
than tests/hostile.sh.  Standard library only.
"""

import gzip
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen  # noqa: E402  (the archive writer)

IMAGES = 4096
PLATFORM_BYTES = 3000


def many_images():
    layer = gen.tar(gen.tar_file("a", b"a"))
    files = []
    desc = gen.image(files, [layer])
    desc["platform"] = {"os": "linux", "architecture": "x" * PLATFORM_BYTES}
    files += [("oci-layout", b'{"imageLayoutVersion":"1.0.0"}'),
              ("index.json", gen.index_of([desc] * IMAGES))]
    t = gen.tar_members(files)
    gen.write("many-a.tar.gz", gzip.compress(t, 9, mtime=0))
    gen.write("many-b.tar.gz", gzip.compress(t, 9, mtime=1))
    gen.case("diff-many-images", 0, "", "diff", "-q", "many-a.tar.gz",
             "many-b.tar.gz")


def main():
    gen.OUT = sys.argv[1]
    os.makedirs(gen.OUT, exist_ok=True)
    many_images()
    with open(os.path.join(gen.OUT, "cases"), "w") as f:
        f.write("\n".join(gen.CASES) + "\n")


if __name__ == "__main__":
    main()
