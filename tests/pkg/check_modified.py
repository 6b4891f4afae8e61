#!/usr/bin/env python3
"""Check imgdrift's "modified after install" against digests worked out
here, independently of imgdrift's C code.

usage: check_modified.py A.tar B.tar PATH ECO NAME REPORT.json REPORT.txt

PATH is a file of package ECO:NAME (same version on both sides) whose
bytes were edited after install in B.  The recorded digest comes from
the package database in B as the ecosystem's tools read it
(corpus/packages/expect.py: dpkg's info/*.md5sums, apk's Z:, rpm's
FILEDIGESTS through rpm itself; a Python RECORD parsed here); the file's
digests are computed here: md5sum(1) for dpkg, hashlib for the others
(apk: "Q1" + base64 of the SHA-1; RECORD: urlsafe base64 of the SHA-256
without "=").  The JSON finding must say modified_after_install with the
package named and record_check holding those digests, B not matching, A
matching; the text report must hold the line

    package: ECO:NAME  modified after install (ECO:NAME: ALGO in the
    database R, file F[; size in the database N, file M]) in B; A matches
    its record

or, when the two databases record other digests (a rebuilt package whose
file was then edited), "...) in B; A matches its own record, ALGO RA:
rebuilt too".
"""
import base64
import csv
import hashlib
import io
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..",
                                "corpus", "packages"))
import expect  # noqa: E402


def md5sum(body):
    out = subprocess.run(["md5sum"], input=body, capture_output=True,
                         check=True).stdout
    return out.split()[0].decode()


def record_of(fs, path):
    """The RECORD row of path: (sha256 urlsafe base64, size or None)."""
    for p, e in fs.items():
        if not p.endswith(".dist-info/RECORD") or e[0] != "file":
            continue
        site = p.rsplit("/", 2)[0]
        for row in csv.reader(io.StringIO(e[5].decode())):
            if len(row) >= 2 and os.path.normpath(
                    os.path.join(site, row[0])) == path and row[1]:
                algo, _, b64 = row[1].partition("=")
                assert algo == "sha256", row
                return b64.rstrip("="), int(row[2]) if row[2] else None
    raise SystemExit("no RECORD row for " + path)


def recorded_and_file(eco, fs, path):
    """(algorithm, recorded digest, file digest, recorded size) of path
    in fs, written as the ecosystem writes digests."""
    body = fs[path][5]
    if eco == "pypi":
        rec, size = record_of(fs, path)
        got = base64.urlsafe_b64encode(hashlib.sha256(body).digest())
        return "sha256", rec, got.decode().rstrip("="), size
    for p in expect.packages(fs).values():
        if p.eco == eco and path in p.sums:
            kind, rec = p.sums[path]
            break
    else:
        raise SystemExit("no %s record for %s" % (eco, path))
    if eco == "dpkg":
        return "md5", rec, md5sum(body), None
    if eco == "apk":
        got = base64.b64encode(hashlib.sha1(body).digest()).decode()
        return "sha1", rec, "Q1" + got, None
    algo = {32: "md5", 64: "sha256"}[len(rec)]
    return algo, rec, hashlib.new(algo, body).hexdigest(), None


def main():
    a_tar, b_tar, path, eco, name, report, text = sys.argv[1:]
    pkg = eco + ":" + name
    fa, fb = expect.load_fs(a_tar), expect.load_fs(b_tar)
    algo, rec_a, file_a, _ = recorded_and_file(eco, fa, path)
    _, rec_b, file_b, size = recorded_and_file(eco, fb, path)
    assert rec_a == file_a, "A's file does not match its record: %s %s" % (
        rec_a, file_a)
    assert rec_b != file_b, "B's file matches its record"
    d = json.load(open(report))
    # on the final file system, or in its layer when both sides have the
    # same layers (the layers then hold the evidence, shown once)
    f = [f for f in d["findings"] if f["path"] == path
         and f["class"] == "content"]
    assert len(f) == 1, [(x["path"], x["scope"]) for x in d["findings"]]
    f = f[0]
    assert f["package"] == pkg, f["package"]
    assert f["modified_after_install"] is True, f
    c = f["record_check"]
    assert c["state"] == "checked", c
    assert c["a"]["algorithm"] == algo and c["b"]["algorithm"] == algo, c
    assert (c["a"]["recorded"], c["a"]["file"], c["a"]["matches"]) == \
        (rec_a, file_a, True), c["a"]
    assert (c["b"]["recorded"], c["b"]["file"], c["b"]["matches"]) == \
        (rec_b, file_b, False), c["b"]
    assert c["b"]["size"] == len(fb[path][5]), c["b"]
    line = "package: %s  modified after install (%s: %s in the database %s, " \
        "file %s" % (pkg, pkg, algo, rec_b, file_b)
    if size is not None and size != len(fb[path][5]):
        assert c["b"]["recorded_size"] == size, c["b"]
        line += "; size in the database %d, file %d" % (size, len(fb[path][5]))
    if rec_a == rec_b:
        line += ") in B; A matches its record"
    else:
        # rebuilt and edited: B's file matches neither record
        assert file_b != rec_a
        line += ") in B; A matches its own record, %s %s: rebuilt too" % (
            algo, rec_a)
    assert c["text"] == line[line.index("modified"):], (c["text"], line)
    lines = [l.strip() for l in open(text, encoding="utf-8")]
    assert line in lines, "\n".join(l for l in lines if "package:" in l)


if __name__ == "__main__":
    main()
