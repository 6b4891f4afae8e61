#!/usr/bin/env python3
"""Write hostile package databases inside small image pairs (bare layer
tars), in the cases format of tests/hostile/gen.py.

usage: python3 tests/hostile/gen_pkg.py OUTDIR

Every case is a diff of a good dpkg image (pkg-good.tar) against one whose
database is broken.  A broken database is never fatal: the pair is
`different` (exit 1: the database files differ), the report says
`packages: dpkg database unreadable: <reason>` (tests/packages.sh checks
the notes), and nothing it prints is unescaped.

  pkg-truncated.tar   status cut inside a stanza (no final newline)
  pkg-longline.tar    a 10 MB line in status
  pkg-nocolon.tar     a field line without a colon
  pkg-nul.tar         a NUL byte in a field
  pkg-md5sums.tar     an md5sums line that is not "<md5>  <path>"
  pkg-list.tar        a .list line that is not an absolute path
  pkg-escape.tar      package names, versions and paths holding terminal
                      escapes, bidi controls and invalid UTF-8 (read, not
                      unreadable: every one must come out escaped)
  pkg-many.tar        100,000 packages of one line each
  pkg-over.tar        status.d/ files of 65 MiB in all (over the bound)
  npm-lock-over.tar   against npm-good.tar (an app's package-lock.json and
                      the package it installed): the lockfile of 9 MiB,
                      over the 8 MiB bound of one file (named not read);
                      npm-lock-over-b.tar the same and a README, for a
                      lockfile over the bound on both sides
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen  # noqa: E402  (the archive writer)

GOOD = (b"Package: a\nStatus: install ok installed\nArchitecture: amd64\n"
        b"Version: 1.0-1\n\n")


def layer(name, files):
    gen.write(name, gen.tar(*[gen.tar_file(p, d) for p, d in files]))


def diff_case(name, files, needle="-"):
    layer(name + ".tar", files)
    gen.case("pkg-" + name, 1, needle, "diff", "pkg-good.tar", name + ".tar")


def main():
    gen.OUT = sys.argv[1]
    os.makedirs(gen.OUT, exist_ok=True)
    pkgjson = b'{"name": "lodash", "version": "4.17.21"}\n'
    lock = (b'{"name": "app", "lockfileVersion": 3, "packages": '
            b'{"node_modules/lodash": {"version": "4.17.21"}}')
    layer("npm-good.tar", [("app/package-lock.json", lock + b"}\n"),
                           ("app/node_modules/lodash/package.json", pkgjson)])
    layer("npm-lock-over.tar", [
        ("app/package-lock.json", lock + b', "pad": "' + b"x" * (9 << 20) +
         b'"}\n'),
        ("app/node_modules/lodash/package.json", pkgjson)])
    layer("npm-lock-over-b.tar", [
        ("app/README", b"B\n"),
        ("app/package-lock.json", lock + b', "pad": "' + b"x" * (9 << 20) +
         b'"}\n'),
        ("app/node_modules/lodash/package.json", pkgjson)])
    gen.case("npm-lock-over", 1, "-", "diff", "npm-good.tar",
             "npm-lock-over.tar")
    gen.case("npm-lock-over-both", 1, "-", "diff", "npm-lock-over.tar",
             "npm-lock-over-b.tar")
    layer("pkg-good.tar", [("var/lib/dpkg/status", GOOD),
                           ("var/lib/dpkg/info/a:amd64.list", b"/usr/bin/a\n"),
                           ("usr/bin/a", b"a\n")])
    st = "var/lib/dpkg/status"
    diff_case("truncated", [(st, GOOD + b"Package: b\nStatus: inst")])
    diff_case("longline", [(st, b"Package: " + b"x" * (10 << 20) + b"\n\n")])
    diff_case("nocolon", [(st, GOOD + b"Package b\n\n")])
    diff_case("nul", [(st, b"Package: a\x00b\nVersion: 1\n\n")])
    diff_case("md5sums", [(st, GOOD),
                          ("var/lib/dpkg/info/a:amd64.md5sums", b"zz  usr/bin/a\n")])
    diff_case("list", [(st, GOOD),
                       ("var/lib/dpkg/info/a:amd64.list", b"usr/bin/a\n")])
    evil = b"\x1b[31mevil\xe2\x80\xae\xff"
    diff_case("escape", [
        (st, b"Package: " + evil + b"\nStatus: install ok installed\n"
         b"Architecture: amd64\nVersion: 1.0" + evil + b"\n\n"),
        (b"var/lib/dpkg/info/" + evil + b":amd64.list",
         b"/usr/bin/" + evil + b"\n"),
        (b"usr/bin/" + evil, b"b\n")])
    diff_case("many", [(st, b"".join(
        b"Package: p%d\nVersion: %d\n\n" % (i, i) for i in range(100000)))])
    chunk = b"Package: big\nVersion: 1\nDescription: x\n" + \
        b"".join(b" " + b"y" * 1100 + b"\n" for _ in range(1024)) + b"\n"
    diff_case("over", [("var/lib/dpkg/status.d/p%02d" % i,
                        chunk.replace(b"big", b"big%02d" % i))
                       for i in range(65)])
    with open(os.path.join(gen.OUT, "cases"), "w") as f:
        f.write("\n".join(gen.CASES) + "\n")


if __name__ == "__main__":
    main()
