#!/usr/bin/env python3
"""Work out what the package view of a pair must show, independently of imgdrift.

usage: expect.py [--header] A.tar B.tar

Reads both images' final file systems (layers applied in order, whiteouts
honoured), the package databases in them (dpkg status and info/*.list,
*.md5sums; distroless status.d/; apk lib/apk/db/installed; rpm rpmdb.sqlite
through rpm itself), and prints one tab-separated line a finding:

    a  b  ecosystem  name  arch  a_version  b_version  change  files  path

change is upgraded|downgraded|added|removed|rebuilt (a package row: files is
the number of differing files the package owns, path is -), modified (a file
owned by a package whose version did not change and whose bytes no longer
match the package's recorded checksum: path is the file), or unowned (a
differing file that no package owns: ecosystem, name, arch and versions
are -).  A file is any entry but a directory (a package's .list names
its directories: they are not counted); it differs when its type, mode, owner, link target
or bytes differ, or it is on one side only (mtimes are not compared).  The
package databases themselves are never unowned.
Versions are ordered by the ecosystem's own tool: dpkg --compare-versions,
rpm's rpm.vercmp, and apk's rules (docs in README.md).
"""
import base64
import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile

DB_PREFIXES = ("var/lib/dpkg/", "lib/apk/db/", "var/lib/rpm/",
               "usr/lib/sysimage/rpm/")


def load_fs(path):
    """The final file system of a one-image OCI or docker archive:
    {path: (type, mode, uid, gid, linkname, bytes)}."""
    with tarfile.open(path) as outer:
        names = outer.getnames()

        def read(name):
            return outer.extractfile(name).read()

        if "index.json" in names:
            idx = json.loads(read("index.json"))
            assert len(idx["manifests"]) == 1
            man = json.loads(read("blobs/sha256/" + idx["manifests"][0]["digest"][7:]))
            layers = ["blobs/sha256/" + l["digest"][7:] for l in man["layers"]]
        else:
            layers = json.loads(read("manifest.json"))[0]["Layers"]
        fs = {}
        for lname in layers:
            data = read(lname)
            if data[:2] == b"\x1f\x8b":
                data = gzip.decompress(data)
            with tarfile.open(fileobj=io.BytesIO(data)) as t:
                for m in t:
                    p = m.name
                    while p.startswith("./"):
                        p = p[2:]
                    p = p.rstrip("/")
                    if p in ("", "."):
                        continue
                    d, base = os.path.split(p)
                    if base == ".wh..wh..opq":
                        for k in [k for k in fs if k.startswith(d + "/")]:
                            del fs[k]
                        continue
                    if base.startswith(".wh."):
                        gone = os.path.join(d, base[4:])
                        for k in [k for k in fs if k == gone or k.startswith(gone + "/")]:
                            del fs[k]
                        continue
                    if m.isdir() and fs.get(p, ("",))[0] == "dir":
                        pass
                    elif p in fs and fs[p][0] == "dir" and not m.isdir():
                        for k in [k for k in fs if k.startswith(p + "/")]:
                            del fs[k]
                    body = t.extractfile(m).read() if m.isreg() else b""
                    typ = ("dir" if m.isdir() else "file" if m.isreg() else
                           "symlink" if m.issym() else "hardlink" if m.islnk() else
                           "other")
                    if m.islnk():
                        target = m.linkname.lstrip("./")
                        body = fs.get(target, ("", 0, 0, 0, "", b""))[5]
                        typ = "file"
                    fs[p] = (typ, m.mode & 0o7777, m.uid, m.gid,
                             m.linkname if m.issym() else "", body)
    return fs


def stanzas(text):
    """Parse deb822 stanzas: a list of {field: value}."""
    out, cur, last = [], {}, None
    for line in text.split("\n"):
        if line == "":
            if cur:
                out.append(cur)
            cur, last = {}, None
        elif line[0] in " \t" and last:
            cur[last] += "\n" + line
        else:
            k, _, v = line.partition(":")
            last = k
            cur[k] = v.strip()
    if cur:
        out.append(cur)
    return out


def md5_lines(text):
    sums = {}
    for line in text.splitlines():
        if line.strip():
            s, p = line.split(None, 1)
            sums[p.strip().lstrip("/")] = s
    return sums


def text(fs, p):
    e = fs.get(p)
    return e[5].decode() if e and e[0] == "file" else None


class Pkg:
    def __init__(self, eco, name, arch, version):
        self.eco, self.name, self.arch, self.version = eco, name, arch, version
        self.files = set()     # owned paths, no leading /
        self.sums = {}         # path -> (algorithm, recorded digest)


def dpkg_packages(fs):
    pkgs = {}
    status = text(fs, "var/lib/dpkg/status")
    if status is not None:
        for s in stanzas(status):
            state = s.get("Status", "").split()
            if len(state) != 3 or state[2] in ("not-installed", "config-files"):
                continue
            p = Pkg("dpkg", s["Package"], s.get("Architecture", ""), s["Version"])
            info = "var/lib/dpkg/info/" + p.name
            for base in (info + ":" + p.arch, info):
                lst = text(fs, base + ".list")
                if lst is not None:
                    p.files = {l.lstrip("/") for l in lst.splitlines() if l.strip("/")}
                    sums = text(fs, base + ".md5sums") or ""
                    p.sums = {k: ("md5", v) for k, v in md5_lines(sums).items()}
                    break
            pkgs[("dpkg", p.name, p.arch)] = p
    d = "var/lib/dpkg/status.d/"
    for path in sorted(fs):
        if not path.startswith(d) or "/" in path[len(d):] or path.endswith(".md5sums"):
            continue
        if fs[path][0] != "file":
            continue
        for s in stanzas(text(fs, path)):
            p = Pkg("dpkg", s["Package"], s.get("Architecture", ""), s["Version"])
            sums = md5_lines(text(fs, path + ".md5sums") or "")
            p.sums = {k: ("md5", v) for k, v in sums.items()}
            p.files = set(sums)
            pkgs[("dpkg", p.name, p.arch)] = p
    return pkgs


def apk_packages(fs):
    pkgs = {}
    db = text(fs, "lib/apk/db/installed")
    if db is None:
        return pkgs
    for block in db.split("\n\n"):
        p, cwd, last = None, "", None
        fields = {}
        for line in block.splitlines():
            if len(line) < 2 or line[1] != ":":
                continue
            k, v = line[0], line[2:]
            if k in "PVA":
                fields[k] = v
                if "P" in fields and "V" in fields and "A" in fields and p is None:
                    p = Pkg("apk", fields["P"], fields["A"], fields["V"])
            elif k == "F" and p:
                cwd = v
                p.files.add(v)
            elif k == "R" and p:
                last = (cwd + "/" + v) if cwd else v
                p.files.add(last)
            elif k == "Z" and p and last:
                p.sums[last] = ("apk", v)
        if p:
            pkgs[("apk", p.name, p.arch)] = p
    return pkgs


def rpm_packages(fs):
    pkgs = {}
    for d in ("var/lib/rpm/", "usr/lib/sysimage/rpm/"):
        e = fs.get(d + "rpmdb.sqlite")
        if not e or e[0] != "file":
            continue
        with tempfile.TemporaryDirectory() as tmp:
            open(os.path.join(tmp, "rpmdb.sqlite"), "wb").write(e[5])
            qf = ("@@%{NAME}\t%{ARCH}\t%{EPOCH}:%{VERSION}-%{RELEASE}\n"
                  "[%{FILENAMES}\t%{FILEDIGESTS}\t%{FILEMODES:perms}\n]")
            out = subprocess.run(
                ["rpm", "--dbpath", tmp, "--define", "_db_backend sqlite",
                 "-qa", "--qf", qf], check=True, capture_output=True,
                text=True).stdout
        for chunk in out.split("@@")[1:]:
            lines = chunk.splitlines()
            name, arch, ver = lines[0].split("\t")
            if ver.startswith("(none):"):
                ver = ver[len("(none):"):]
            p = Pkg("rpm", name, arch, ver)
            for l in lines[1:]:
                f, digest, perms = l.split("\t")
                f = f.lstrip("/")
                p.files.add(f)
                if digest:
                    p.sums[f] = ("sha256", digest)
            pkgs[("rpm", p.name, p.arch)] = p
    return pkgs


def dir_links(fs):
    """The symlinks at depth 1 and 2 that name a directory of fs (a merged
    /usr: bin -> usr/bin): {link: directory}."""
    out = {}
    for p, e in fs.items():
        if e[0] != "symlink" or p.count("/") > 1:
            continue
        base = "" if e[4].startswith("/") else os.path.dirname(p)
        t = os.path.normpath(os.path.join("/", base, e[4])).lstrip("/")
        if t and fs.get(t, ("",))[0] == "dir":
            out[p] = t
    return out


def packages(fs):
    """The packages of fs, each owned path as the file sits: a database
    names usr/bin/ls /bin/ls when bin -> usr/bin."""
    pkgs = {}
    for reader in (dpkg_packages, apk_packages, rpm_packages):
        pkgs.update(reader(fs))
    links = dir_links(fs)

    def sits(path):
        for link, d in links.items():
            if path.startswith(link + "/"):
                return d + path[len(link):]
        return path
    for p in pkgs.values():
        p.files = {sits(f) for f in p.files}
        p.sums = {sits(f): s for f, s in p.sums.items()}
    return pkgs


def compare(eco, a, b):
    """-1, 0 or 1 by the ecosystem's own ordering."""
    if eco == "dpkg":
        for op, r in (("lt", -1), ("eq", 0), ("gt", 1)):
            if subprocess.run(["dpkg", "--compare-versions", a, op, b]).returncode == 0:
                return r
    if eco == "rpm":
        out = subprocess.run(
            ["rpm", "--eval", '%%{lua: print(rpm.vercmp("%s", "%s"))}' % (a, b)],
            check=True, capture_output=True, text=True).stdout
        return int(out)
    if eco == "apk":
        return apk_vercmp(a, b)
    raise SystemExit("no ordering for %s %s %s" % (eco, a, b))


def apk_vercmp(a, b):
    """apk-tools' order for the versions used here: dotted numbers, an
    optional letter, an optional _suffix, -rN (enough for this corpus;
    versions-apk.tsv holds apk-tools' own vectors)."""
    import re

    def key(v):
        m = re.fullmatch(r"([0-9.]+)([a-z]?)(?:_([a-z]+)([0-9]*))?(?:-r([0-9]+))?", v)
        if not m:
            raise SystemExit("apk version not handled here: " + v)
        nums = [int(x) for x in m.group(1).split(".")]
        order = {"alpha": -4, "beta": -3, "pre": -2, "rc": -1, None: 0,
                 "cvs": 1, "svn": 2, "git": 3, "hg": 4, "p": 5}
        return (nums, m.group(2), order[m.group(3)], int(m.group(4) or 0),
                int(m.group(5) or 0))
    ka, kb = key(a), key(b)
    return (ka > kb) - (ka < kb)


def digest_ok(kind, recorded, body):
    if kind == "md5":
        return hashlib.md5(body).hexdigest() == recorded
    if kind == "sha256" and len(recorded) == 32:
        # rpm's FILEDIGESTALGO 1: an MD5 (the query prints it as it is)
        return hashlib.md5(body).hexdigest() == recorded
    if kind == "sha256":
        return hashlib.sha256(body).hexdigest() == recorded
    if kind == "apk":
        assert recorded.startswith("Q1")
        return base64.b64encode(hashlib.sha1(body).digest()).decode() == recorded[2:]
    raise SystemExit("unknown digest " + kind)


def entry_key(e):
    return None if e is None else e[:5] + (hashlib.sha256(e[5]).hexdigest(),)


def main():
    args = sys.argv[1:]
    if args and args[0] == "--header":
        print("\t".join(["a", "b", "ecosystem", "name", "arch", "a_version",
                         "b_version", "change", "files", "path"]))
        args = args[1:]
    a_path, b_path = args
    fa, fb = load_fs(a_path), load_fs(b_path)
    pa, pb = packages(fa), packages(fb)
    differing = {p for p in set(fa) | set(fb)
                 if entry_key(fa.get(p)) != entry_key(fb.get(p))}
    rows = []
    owned = set()
    an, bn = os.path.basename(a_path), os.path.basename(b_path)
    for key in sorted(set(pa) | set(pb)):
        a, b = pa.get(key), pb.get(key)
        files = (a.files if a else set()) | (b.files if b else set())
        owned |= files
        # a package's files: what it owns that is not a directory (on
        # every side that has it)
        mine = sorted(f for f in files if f in differing and not
                      all(fs[f][0] == "dir" for fs in (fa, fb) if f in fs))
        if a and b and a.version == b.version:
            # same version: files whose bytes left the recorded checksum
            # are modified after install; the rest, if any, is a rebuild
            modified = []
            for f in mine:
                for side, fs in ((a, fa), (b, fb)):
                    e = fs.get(f)
                    s = side.sums.get(f)
                    if s and e and e[0] == "file" and not digest_ok(s[0], s[1], e[5]):
                        modified.append(f)
                        break
            for f in modified:
                rows.append([key[0], key[1], key[2], a.version, b.version,
                             "modified", "1", f])
            # a file whose records differ is the rebuild's too, whether its
            # bytes then match them or not (rebuilt and edited)
            rebuilt = [f for f in mine if f not in modified
                       or a.sums.get(f) != b.sums.get(f)]
            if rebuilt or a.sums != b.sums:
                rows.append([key[0], key[1], key[2], a.version, b.version,
                             "rebuilt", str(len(rebuilt)), "-"])
            continue
        if a and b:
            c = compare(key[0], a.version, b.version)
            change = "upgraded" if c < 0 else "downgraded"
        else:
            change = "added" if b else "removed"
        rows.append([key[0], key[1], key[2], a.version if a else "-",
                     b.version if b else "-", change, str(len(mine)), "-"])
    for p in sorted(differing - owned):
        if not p.startswith(DB_PREFIXES):
            rows.append(["-", "-", "-", "-", "-", "unowned", "1", p])
    for r in rows:
        print("\t".join([an, bn] + r))


if __name__ == "__main__":
    main()
