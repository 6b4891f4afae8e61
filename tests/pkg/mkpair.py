#!/usr/bin/env python3
"""Write small synthetic dpkg image pairs (bare layer tars) for
tests/packages.sh: each case a pair A, B of one layer each.

usage: mkpair.py OUTDIR

  dpkg-a.tar, dpkg-b.tar   every package change at once: openssl and
      libssl3:amd64 upgraded, tzdata rebuilt (other bytes, other md5sums),
      zlib1g downgraded, newpkg added, oldpkg removed, libfoo's file
      modified after install (same version, same md5sums, other bytes),
      two unowned files changed (one sorting after every package file:
      the text report's five examples must still show it)
  dpkg-bad.tar             B with a status file cut in a stanza
  dpkg-distroless-a/b.tar  status.d/ stanza files and md5sums, tzdata up
  apk-a.tar, apk-b.tar     lib/apk/db/installed: busybox upgraded (-r5 to
      -r10), zlib downgraded (1.3.1 to 1.3_rc1), musl's loader modified
      after install (same version, same Z: checksum, other bytes)
  rpm-a.tar, rpm-b.tar     usr/lib/sysimage/rpm/rpmdb.sqlite (SQLite, header
      blobs written here): bash upgraded, sudo's file modified after
      install; rpm-bdb.tar a Berkeley DB Packages, rpm-notsqlite.tar an
      rpmdb.sqlite that is not SQLite, rpm-badheader.tar a header whose
      index count overflows
"""
import hashlib
import io
import os
import sys
import tarfile

MTIME = 1700000000


def stanza(name, version, arch="amd64", extra=""):
    return (f"Package: {name}\nStatus: install ok installed\n"
            f"Architecture: {arch}\nVersion: {version}\n{extra}"
            f"Description: {name}\n a test package\n\n")


def write(path, files):
    """files: {path: bytes, or (bytes, mode)}; directories made for every
    parent."""
    dirs = set()
    for p in files:
        parts = p.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            dirs.add("/".join(parts[:i]))
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as t:
        for d in sorted(dirs):
            ti = tarfile.TarInfo(d)
            ti.type = tarfile.DIRTYPE
            ti.mode = 0o755
            ti.mtime = MTIME
            t.addfile(ti)
        for p in sorted(files):
            data, mode = files[p] if isinstance(files[p], tuple) else \
                (files[p], 0o644)
            ti = tarfile.TarInfo(p)
            ti.size = len(data)
            ti.mode = mode
            ti.mtime = MTIME
            t.addfile(ti, io.BytesIO(data))


def image(pkgs, extra_files, status_text=None):
    """pkgs: [(name, version, arch, {path: bytes}, md5 override)]"""
    files = dict(extra_files)
    status = ""
    for name, version, arch, owned, md5s in pkgs:
        status += stanza(name, version, arch)
        info = name + (":" + arch if arch == "amd64" and name.startswith("lib")
                       else "")
        listed = set()
        for p in owned:
            parts = p.split("/")
            listed.update("/".join(parts[:i]) for i in range(1, len(parts) + 1))
        files["var/lib/dpkg/info/%s.list" % info] = (
            "/.\n" + "".join("/%s\n" % p for p in sorted(listed))).encode()
        sums = ""
        for p in sorted(owned):
            digest = md5s.get(p) or hashlib.md5(owned[p]).hexdigest()
            sums += "%s  %s\n" % (digest, p)
        files["var/lib/dpkg/info/%s.md5sums" % info] = sums.encode()
        files.update(owned)
    files["var/lib/dpkg/status"] = (status_text or status).encode()
    return files


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    libfoo = {"usr/lib/libfoo.so.1": b"libfoo 1\n"}
    common = [("libfoo", "1.0-1", "amd64", libfoo, {})]
    a = image(common + [
        ("openssl", "3.0.20-1~deb12u2", "amd64",
         {"usr/bin/openssl": b"openssl 3.0.20\n",
          "usr/lib/ssl/misc/tsget.pl": b"tsget 3.0.20\n"}, {}),
        ("libssl3", "3.0.20-1~deb12u2", "amd64",
         {"usr/lib/x86_64-linux-gnu/libssl.so.3": b"libssl 3.0.20\n"}, {}),
        ("tzdata", "2024a-0+deb12u1", "all",
         {"usr/share/zoneinfo/UTC": b"TZif utc a\n"}, {}),
        ("zlib1g", "1:1.2.13.dfsg-1+b1", "amd64",
         {"usr/lib/x86_64-linux-gnu/libz.so.1": b"zlib b1\n"}, {}),
        ("oldpkg", "0.9", "all", {"usr/share/oldpkg/README": b"old\n"}, {}),
    ], {"etc/unowned.conf": b"built on monday\n",
        "var/cache/ldconfig/aux-cache": b"cache a\n"})
    b = image([("libfoo", "1.0-1", "amd64",
                {"usr/lib/libfoo.so.1": b"libfoo 1, patched in place\n"},
                {"usr/lib/libfoo.so.1": hashlib.md5(b"libfoo 1\n").hexdigest()})]
              + [
        ("openssl", "3.0.22-1~deb12u2", "amd64",
         {"usr/bin/openssl": b"openssl 3.0.22\n",
          "usr/lib/ssl/misc/tsget.pl": b"tsget 3.0.22\n"}, {}),
        ("libssl3", "3.0.22-1~deb12u2", "amd64",
         {"usr/lib/x86_64-linux-gnu/libssl.so.3": b"libssl 3.0.22\n"}, {}),
        ("tzdata", "2024a-0+deb12u1", "all",
         {"usr/share/zoneinfo/UTC": b"TZif utc b\n"}, {}),
        ("zlib1g", "1:1.2.13.dfsg-1", "amd64",
         {"usr/lib/x86_64-linux-gnu/libz.so.1": b"zlib\n"}, {}),
        ("newpkg", "2.0-1", "all", {"usr/share/newpkg/README": b"new\n"}, {}),
    ], {"etc/unowned.conf": b"built on tuesday\n",
        "var/cache/ldconfig/aux-cache": b"cache b\n"})
    write(os.path.join(out, "dpkg-a.tar"), a)
    write(os.path.join(out, "dpkg-b.tar"), b)
    bad = dict(b)
    bad["var/lib/dpkg/status"] = b["var/lib/dpkg/status"][:200]
    write(os.path.join(out, "dpkg-bad.tar"), bad)
    for side, ver, data in (("a", "2024a-0+deb12u1", b"TZif a\n"),
                            ("b", "2024b-0+deb12u1", b"TZif b\n")):
        write(os.path.join(out, "dpkg-distroless-%s.tar" % side), {
            "var/lib/dpkg/status.d/tzdata":
                stanza("tzdata", ver, "all").encode(),
            "var/lib/dpkg/status.d/tzdata.md5sums":
                ("%s  usr/share/zoneinfo/UTC\n"
                 % hashlib.md5(data).hexdigest()).encode(),
            "var/lib/dpkg/status.d/base-files":
                stanza("base-files", "12.4+deb12u5").encode(),
            "usr/share/zoneinfo/UTC": data,
            "etc/debian_version": b"12.5\n",
        })


def apk_image(pkgs):
    """pkgs: [(name, version, {path: bytes}, Z override)]: an installed
    database as apk writes it (tests/pkg/mkpair.py is its only writer:
    no apk here), with the files."""
    import base64
    files = {}
    db = ""
    for name, version, owned, z in pkgs:
        db += "C:Q1AAAA=\nP:%s\nV:%s\nA:x86_64\nS:1\nI:1\n" % (name, version)
        dirs = {}
        for p in sorted(owned):
            d, _, f = p.rpartition("/")
            dirs.setdefault(d, []).append(f)
        for d in sorted(dirs):
            db += "F:%s\nM:0:0:755\n" % d
            for f in dirs[d]:
                path = d + "/" + f
                sha1 = z.get(path) or "Q1" + base64.b64encode(
                    hashlib.sha1(owned[path]).digest()).decode()
                db += "R:%s\na:0:0:755\nZ:%s\n" % (f, sha1)
        db += "\n"
        files.update(owned)
    files["lib/apk/db/installed"] = db.encode()
    return files


def apk_pairs(out):
    musl_a = {"lib/ld-musl-x86_64.so.1": b"musl\n"}
    musl_b = {"lib/ld-musl-x86_64.so.1": b"musl, edited\n"}
    z = {"lib/ld-musl-x86_64.so.1": "Q1" + __import__("base64").b64encode(
        hashlib.sha1(b"musl\n").digest()).decode()}
    write(os.path.join(out, "apk-a.tar"), apk_image([
        ("musl", "1.2.4-r2", musl_a, {}),
        ("busybox", "1.36.1-r5", {"bin/busybox": b"busybox 5\n"}, {}),
        ("zlib", "1.3.1-r0", {"lib/libz.so.1": b"zlib\n"}, {})]))
    write(os.path.join(out, "apk-b.tar"), apk_image([
        ("musl", "1.2.4-r2", musl_b, z),
        ("busybox", "1.36.1-r10", {"bin/busybox": b"busybox 10\n"}, {}),
        ("zlib", "1.3_rc1-r0", {"lib/libz.so.1": b"zlib rc\n"}, {})]))


def rpm_header(name, version, release, arch, files, epoch=None, algo=8):
    """An rpm header blob as rpmdb.sqlite stores it (no lead, no magic):
    il, dl, the index entries (tag, type, offset, count), the data."""
    import struct
    dirs = sorted({p.rsplit("/", 1)[0] + "/" for p in files})
    tags = [(1000, 6, name), (1001, 6, version), (1002, 6, release),
            (1022, 6, arch)]
    if epoch is not None:
        tags.append((1003, 4, [epoch]))
    if files:
        paths = sorted(files)
        tags += [(1116, 4, [dirs.index(p.rsplit("/", 1)[0] + "/") for p in paths]),
                 (1117, 8, [p.rsplit("/", 1)[1] for p in paths]),
                 (1118, 8, dirs),
                 (1035, 8, [hashlib.sha256(files[p]).hexdigest() for p in paths]),
                 (5011, 4, [algo])]
    index = data = b""
    for tag, typ, val in tags:
        if typ == 4:
            data += b"\0" * (-len(data) % 4)
            off = len(data)
            data += b"".join(struct.pack(">I", v) for v in val)
            count = len(val)
        elif typ == 6:
            off, count = len(data), 1
            data += val.encode() + b"\0"
        else:
            off, count = len(data), len(val)
            data += b"".join(s.encode() + b"\0" for s in val)
        index += struct.pack(">IIII", tag, typ, off, count)
    return struct.pack(">II", len(tags), len(data)) + index + data


def rpmdb(headers):
    """rpmdb.sqlite holding headers in its Packages table, as bytes."""
    import sqlite3
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "rpmdb.sqlite")
        db = sqlite3.connect(path)
        db.execute("CREATE TABLE Packages (hnum INTEGER PRIMARY KEY "
                   "AUTOINCREMENT, blob BLOB NOT NULL)")
        db.executemany("INSERT INTO Packages (blob) VALUES (?)",
                       [(h,) for h in headers])
        db.commit()
        db.close()
        with open(path, "rb") as f:
            return f.read()


def rpm_pairs(out):
    bash_a = {"/usr/bin/bash": b"bash 5.2.15\n"}
    bash_b = {"/usr/bin/bash": b"bash 5.2.26\n"}
    sudo = {"/usr/bin/sudo": b"sudo\n"}
    for side, hdrs, extra in (
            ("a", [rpm_header("bash", "5.2.15", "3.fc38", "x86_64", bash_a),
                   rpm_header("sudo", "1.9.13", "1.p2.fc38", "x86_64", sudo,
                              epoch=1),
                   rpm_header("gpg-pubkey", "1", "1", "", {})],
             {"usr/bin/sudo": b"sudo\n"}),
            ("b", [rpm_header("bash", "5.2.26", "1.fc39", "x86_64", bash_b),
                   rpm_header("sudo", "1.9.13", "1.p2.fc38", "x86_64", sudo,
                              epoch=1)],
             {"usr/bin/sudo": b"sudo, edited after install\n"})):
        files = {p.lstrip("/"): d for p, d in
                 (bash_a if side == "a" else bash_b).items()}
        files.update(extra)
        files["usr/lib/sysimage/rpm/rpmdb.sqlite"] = rpmdb(hdrs)
        write(os.path.join(out, "rpm-%s.tar" % side), files)
    write(os.path.join(out, "rpm-bdb.tar"), {
        "var/lib/rpm/Packages": b"\0" * 12 + b"\x61\x15\x06\x00" + b"\0" * 100,
        "usr/bin/bash": b"bash\n"})
    write(os.path.join(out, "rpm-notsqlite.tar"), {
        "var/lib/rpm/rpmdb.sqlite": b"not SQLite at all\n" * 20,
        "usr/bin/bash": b"bash\n"})
    bad = bytearray(rpm_header("bash", "1", "1", "x86_64", bash_a))
    bad[0:4] = b"\x7f\xff\xff\xff"	# an index count that overflows
    write(os.path.join(out, "rpm-badheader.tar"), {
        "var/lib/rpm/rpmdb.sqlite": rpmdb([bytes(bad)]),
        "usr/bin/bash": b"bash\n"})


main()
apk_pairs(sys.argv[1])
rpm_pairs(sys.argv[1])
