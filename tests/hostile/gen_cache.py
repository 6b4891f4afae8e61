#!/usr/bin/env python3
"""Write damaged layer cache files (tar/cache.c, `--cache DIR`).

usage: python3 tests/hostile/gen_cache.py OUTDIR [DIGEST SIZE DIFF_ID [KIND]]

Each file is what `--cache DIR` would find at DIR/sha256-HEX.KIND for the
layer DIGEST (sha256:HEX) of SIZE bytes whose config says DIFF_ID (by
default a made-up layer; KIND xxh3), written by the imgdrift version the
Makefile names: every one of them must be a miss,
never an error and never entries served for that layer.  OUTDIR/cases
lists them, a line each: the file name, then what it is.  The file
"cache-control" is the same writer's well-formed file for the layer, read
as a hit: so each other case is a miss for the damage it names and not
for a mistake here.

tests/registry.sh puts each in place of a real layer's file in front of a
real registry; `make fuzz-regress` replays them all through fuzz_cache.
Standard library only: the records come from tests/hostile/gen.py, the
zstd frame is written by hand.
"""

import hashlib
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen  # noqa: E402  (records, varints, zstd frames)

SCHEMA = "imgdrift.layer-cache/2"


def makefile_version():
    """VERSION := X in the Makefile: the version imgdrift is built as."""
    mk = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                      "Makefile")
    for line in open(mk):
        if line.startswith("VERSION :="):
            return line.split(":=", 1)[1].strip()
    raise SystemExit("gen_cache.py: no VERSION in the Makefile")


VERSION = makefile_version()
CAP_OVER, CAP_FILE_OVER, CAP_SCANNED = 1, 2, 4
PKG_PYPI, PKG_GO = 3, 6
PKG_DB_MAX = 64 << 20
FRAMING = {"comp": "gzip", "gz_flags": 0, "gz_xfl": 0, "gz_os": 255,
           "gz_mtime": 0, "gz_name": "", "gz_members": 1, "gz_padding": 0,
           "zs_fhd": 0, "zs_frames": 0, "zs_skippable": 0}


def header(key, n, ncaps, **extra):
    h = {"schema": SCHEMA, "version": VERSION, "hash": key["kind"],
         "digest": key["digest"],
         "diff_id": key["diff_id"], "size": key["size"], "usize": 10240,
         "framing": FRAMING, "entries": n, "strings": ["", "root"],
         "captures": ncaps, "warnings": "", "nwarnings": 0}
    h.update(extra)
    return gen.cjson({k: v for k, v in h.items() if v is not None})


def capture(ordinal, data, flags=CAP_SCANNED, eco=PKG_GO, length=None):
    return (gen.varint(ordinal) + bytes([flags]) + gen.varint(eco) +
            gen.varint(len(data) if length is None else length) + data)


def payload(key, body=None, n=None, caps=(), raw_header=None, **extra):
    """The header, the records of body (gen.plain_tree() by default) and
    the captures, without the trailer."""
    tab, count = body or gen.plain_tree()
    h = raw_header if raw_header is not None else \
        header(key, count if n is None else n, len(caps), **extra)
    return gen.varint(len(h)) + h + tab + b"".join(caps)


def sealed(p):
    return gen.zstd_frame(p + hashlib.sha256(p).digest())


def main():
    gen.OUT = sys.argv[1]
    os.makedirs(gen.OUT, exist_ok=True)
    if len(sys.argv) >= 5:
        key = {"digest": sys.argv[2], "size": int(sys.argv[3]),
               "diff_id": sys.argv[4],
               "kind": sys.argv[5] if len(sys.argv) > 5 else "xxh3"}
    else:
        key = {"digest": gen.digest(b"a layer"), "size": 10240,
               "diff_id": gen.digest(b"its tar"), "kind": "xxh3"}
    cases = []

    def add(name, data, what):
        gen.write("cache-" + name, data)
        cases.append("cache-%s\t%s" % (name, what))

    good = payload(key, caps=[capture(1, b"go1.22")])
    add("control", sealed(good), "well-formed: read")
    whole = sealed(good)
    add("truncated-file", whole[:len(whole) // 2], "the file cut in half")
    add("truncated-records", sealed(good[:len(good) * 3 // 5]),
        "the records cut, the trailer right")
    add("no-trailer", gen.zstd_frame(good), "no SHA-256 trailer")
    bad = bytearray(good + hashlib.sha256(good).digest())
    bad[-1] ^= 1
    add("bad-trailer", gen.zstd_frame(bytes(bad)), "a wrong SHA-256")
    flip = bytearray(whole)
    flip[len(flip) * 2 // 3] ^= 0x20
    add("flipped-byte", bytes(flip), "one byte of the records changed")
    add("data-after-end", gen.zstd_frame(good + hashlib.sha256(good).digest()
                                         + b"x"), "a byte after the trailer")
    add("two-frames", whole + whole, "a second frame after the first")
    add("not-zstd", good + hashlib.sha256(good).digest(),
        "the payload, not compressed")
    add("empty", b"", "an empty file")
    other = dict(key, digest=gen.digest(b"another layer"))
    add("other-digest", sealed(payload(other)), "another layer's digest")
    add("other-size", sealed(payload(dict(key, size=key["size"] + 1))),
        "another size")
    add("other-diff-id", sealed(payload(dict(key,
                                             diff_id=gen.digest(b"other")))),
        "another diff_id")
    add("other-kind", sealed(payload(dict(
        key, kind="sha256" if key["kind"] == "xxh3" else "xxh3"))),
        "the other entry hash")
    add("other-schema", sealed(payload(key, schema="imgdrift.layer-cache/1")),
        "another schema")
    add("other-version", sealed(payload(key, version=VERSION + ".1")),
        "written by another imgdrift version")
    add("no-version", sealed(payload(key, version=None)),
        "written before the version was kept (no version)")
    add("header-not-json", sealed(payload(key, raw_header=b"{\"schema\":")),
        "a header that is not JSON")
    dup = header(key, 4, 0)
    dup = dup[:-1] + b',"digest":"%s"}' % gen.digest(b"x").encode()
    add("header-duplicate-key", sealed(payload(key, raw_header=dup)),
        "a header naming the digest twice")
    add("header-length-huge", sealed(gen.varint(1 << 40) + good),
        "a header length of 1 TiB")
    add("entries-huge", sealed(payload(key, n=1 << 62)),
        "2^62 entries announced")
    add("entries-negative", sealed(payload(key, n=-1)), "-1 entries")
    add("entries-many", sealed(payload(key, n=50 << 20)),
        "50 Mi entries announced, 4 there")
    add("captures-many", sealed(payload(key, captures=4)),
        "4 captures announced, none there")
    add("capture-huge", sealed(payload(key, caps=[capture(
        0, b"", length=1 << 40)])), "a capture of 1 TiB")
    add("capture-at-bound", sealed(payload(key, caps=[capture(
        0, b"", length=PKG_DB_MAX)])), "a capture of 64 MiB, none there")
    add("capture-order", sealed(payload(key, caps=[
        capture(2, b"a"), capture(1, b"b")])), "captures out of order")
    add("capture-ordinal", sealed(payload(key, caps=[capture(4, b"a")])),
        "a capture of entry 5 of 4")
    add("capture-over-budget", sealed(payload(key, caps=[capture(
        1, b"", flags=CAP_OVER | CAP_SCANNED)])),
        "a capture over another layer's budget")
    add("capture-scanned-pypi", sealed(payload(key, caps=[capture(
        1, b"Name: a\nVersion: 1\n", eco=PKG_PYPI)])),
        "a pypi file scanned (only Go and cargo binaries are)")
    add("capture-not-package", sealed(payload(key, caps=[capture(
        1, b"a", flags=0, eco=0)])), "a capture of no package file")
    add("string-nul", sealed(payload(key, strings=["", "ro\u0000ot"])),
        "an owner name holding NUL")
    add("no-strings", sealed(payload(key, strings=[])),
        "entries without owner names")
    add("warnings-many", sealed(payload(key, nwarnings=1000)),
        "1000 warnings kept")
    # The hash of no bytes for a byte: the entry hash's own, and the
    # fingerprint's stand-in for it (XXH3-128 of nothing, then zeros).
    rec = gen.record("a", size=1)[:-32]
    none = hashlib.sha256(b"").digest() if key["kind"] == "sha256" else \
        bytes.fromhex("99aa06d3014798d86001c324468d497f") + bytes(16)
    add("empty-hash", sealed(payload(key, body=(rec + none, 1))),
        "one byte whose hash is of none")
    add("empty-hash-stand-in", sealed(payload(key, body=(
        rec + bytes.fromhex("99aa06d3014798d86001c324468d497f") + bytes(16),
        1))), "one byte whose hash is the stand-in for none")
    with open(os.path.join(gen.OUT, "cases"), "w") as f:
        f.write("\n".join(cases) + "\n")


if __name__ == "__main__":
    main()
