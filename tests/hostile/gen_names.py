#!/usr/bin/env python3
"""Write the inputs that carry hostile names and strings to every message
and output format (docs/security.md), in the cases format of
tests/hostile/gen.py.

usage: python3 tests/hostile/gen_names.py OUTDIR

tests/hostile.sh checks each case's exit status and, for exit 2, that the
one line on stderr holds its needle; tests/escape.sh runs the same cases
and checks that no raw control byte, invalid UTF-8 or invisible character
reaches standard output or standard error.  Standard library only.
"""

import io
import json
import os
import sys
import tarfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen  # noqa: E402  (the fingerprint writer)

# A terminal escape, a byte that is not UTF-8, a right-to-left override, a
# line separator, a zero-width space and a byte-order mark.
EVIL = (b"ev\x1b[2J\xff" + "\u202e\u2028\u200b\ufeff".encode() + b"il")
# What every format shows for it.
EVIL_SHOWN = "ev\\x1b[2J\\xff\\u{202e}\\u{2028}\\u{200b}\\u{feff}il"

OUT = None
CASES = []


def case(name, want, needle, *args):
    """Like gen.case(), but arguments may be bytes."""
    args = [a if isinstance(a, bytes) else a.encode() for a in args]
    assert all(b"\t" not in a and b"\n" not in a for a in args)
    CASES.append(b"\t".join([name.encode(), str(want).encode(),
                             (needle or "-").encode()] + args))


def write(name, data):
    with open(os.path.join(os.fsencode(OUT), name if isinstance(name, bytes)
                           else name.encode()), "wb") as f:
        f.write(data)
    return name


def fsname(b):
    """A member name for tarfile: bytes kept as they are."""
    return b.decode("utf-8", "surrogateescape")


def tar(members):
    """A tar of [(name bytes, data bytes or None, symlink target or None)]."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT,
                      encoding="utf-8", errors="surrogateescape") as t:
        for name, data, link in members:
            ti = tarfile.TarInfo(fsname(name))
            ti.mtime = 0
            if link is not None:
                ti.type = tarfile.SYMTYPE
                ti.linkname = fsname(link)
                t.addfile(ti)
            else:
                ti.size = len(data)
                t.addfile(ti, io.BytesIO(data))
    return buf.getvalue()


def blob(data):
    return (b"blobs/sha256/" + gen.sha(data).encode(), data, None)


def desc(media, data):
    return {"mediaType": media, "digest": gen.digest(data), "size": len(data)}


def oci(manifest, extra=(), index_extra=None, manifest_member=None):
    """An OCI layout archive holding manifest (bytes) and extra members.
    manifest_member: hold the manifest under this name, reached through a
    symlink from its blob name."""
    idx = {"schemaVersion": 2, "manifests": [dict(desc(
        "application/vnd.oci.image.manifest.v1+json", manifest),
        **(index_extra or {}))]}
    members = [(b"oci-layout", b'{"imageLayoutVersion":"1.0.0"}', None),
               (b"index.json", gen.cjson(idx), None)]
    if manifest_member is None:
        members.append(blob(manifest))
    else:
        members.append((blob(manifest)[0], None, b"../../" + manifest_member))
        members.append((manifest_member, manifest, None))
    return tar(members + list(extra))


def reader_cases():
    # Issue 17 item 3: a manifest reached through a symlink member with a
    # one-byte name; its error named the manifest from `name + 13`.
    cfg = gen.cjson({"architecture": "amd64", "os": "linux",
                     "rootfs": {"type": "layers", "diff_ids": []}})
    man = gen.cjson({"schemaVersion": 2, "config": desc(
        "application/vnd.oci.image.config.v1+json", cfg), "layers": []})
    write("short-link.tar", oci(man, manifest_member=b"m"))
    case("manifest-via-short-symlink", 2, "manifest %s config: blob "
         "'blobs/sha256/%s' is missing" % (gen.sha(man)[:19], gen.sha(cfg)),
         "inspect", "short-link.tar")


def fingerprint_cases():
    # Issue 17 item 2: warnings text without a final newline.
    fp = gen.fingerprint([gen.plain_tree()],
                         header_extra={"warnings": "one\nlast, unended"})
    write("warn-unended.fp", fp)
    case("fp-warnings-unended", 0, "", "inspect", "warn-unended.fp")
    case("fp-warnings-unended-json", 0, "", "inspect", "--format", "json",
         "warn-unended.fp")


def main():
    global OUT
    OUT = sys.argv[1]
    os.makedirs(OUT, exist_ok=True)
    reader_cases()
    fingerprint_cases()
    with open(os.path.join(OUT, "cases"), "wb") as f:
        f.write(b"\n".join(CASES) + b"\n")


if __name__ == "__main__":
    main()
