#!/usr/bin/env python3
"""Write hostile archives inside files of small image pairs (bare layer
tars), in the cases format of tests/hostile/gen.py, for the member listing
of diff/members.c (a zip, tar or ar whose difference no prover explains).

usage: python3 tests/hostile/gen_members.py OUTDIR

Every case is a diff of two layers whose one file differs; each must end
`different` (exit 1) within the CPU and memory limits, with every member
name escaped.

  members-bomb       a zip whose member inflates to 256 MiB of zeros
                     (about 250 KB stored): the listing stops at 32 MiB
  members-deep       a tar in a tar ... 12 levels: two are listed
  members-many       a tar.gz of 20,000 members: 4,096 are read
  members-names      member names holding escapes, bidi controls, invalid
                     UTF-8 and a newline
  members-bad        a zip cut in the middle of its second member
"""

import gzip
import io
import os
import sys
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen  # noqa: E402  (the archive writer)


def zip_of(members, method=zipfile.ZIP_DEFLATED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in members:
            zi = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
            zi.compress_type = method
            z.writestr(zi, data)
    return buf.getvalue()


def pair(name, path, a, b):
    gen.write(name + "-a.tar", gen.tar(gen.tar_file(path, a)))
    gen.write(name + "-b.tar", gen.tar(gen.tar_file(path, b)))
    gen.case(name, 1, "-", "diff", name + "-a.tar", name + "-b.tar")


def main():
    gen.OUT = sys.argv[1]
    os.makedirs(gen.OUT, exist_ok=True)
    zeros = b"\0" * (256 << 20)
    pair("members-bomb", "app/bomb.jar",
         zip_of([("a.class", b"one"), ("zz.bin", zeros)]),
         zip_of([("a.class", b"two"), ("zz.bin", zeros)]))
    inner_a, inner_b = b"level 12 a\n", b"level 12 b\n"
    for level in range(12, 0, -1):
        inner_a = gen.tar(gen.tar_file("level%d.tar" % level, inner_a))
        inner_b = gen.tar(gen.tar_file("level%d.tar" % level, inner_b))
    pair("members-deep", "app/deep.tar", inner_a, inner_b)
    many = [gen.tar_file("m/%05d" % i, b"%d\n" % i) for i in range(20000)]
    many_b = list(many)
    many_b[19999] = gen.tar_file("m/19999", b"changed\n")
    pair("members-many", "app/many.tar.gz",
         gzip.compress(gen.tar(*many), mtime=0),
         gzip.compress(gen.tar(*many_b), mtime=0))
    evil = "\x1b[31mred\u202e\n" + "x"
    names = [(evil + "%d" % i, b"%d" % i) for i in range(3)]
    pair("members-names", "app/names.zip",
         zip_of(names), zip_of([(n, d + b"!") for n, d in names]))
    z = zip_of([("a", b"a" * 1000), ("b", b"b" * 5000)], zipfile.ZIP_STORED)
    pair("members-bad", "app/cut.zip", z[:1500], z[:1400] + b"x" * 100)
    with open(os.path.join(gen.OUT, "cases"), "w") as f:
        f.write("\n".join(gen.CASES) + "\n")


if __name__ == "__main__":
    main()
