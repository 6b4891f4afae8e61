#!/usr/bin/env python3
"""Install and remove small synthetic packages into a root the way apk
records them: the files, and lib/apk/db/installed in Alpine's installed
database format (apk-tools' database.c, apk_db_write_fdb; the fields are
documented in apk-tools' doc/apk-package.5 and the Alpine wiki's "Apk
spec": C: control checksum, P: name, V: version, A: arch, S: size,
I: installed size, T: description, U: url, L: licence, o: origin,
m: maintainer, t: build time, D: dependencies, F: a directory, M: its
owner and mode when not 0:0:755, R: a file in it, a: its owner and mode
when not 0:0:644, Z: its checksum, "Q1" + base64 of the SHA-1 of its
bytes), plus lib/apk/db/lock, triggers, scripts.tar and etc/apk/world as
apk leaves them.

usage: apk-db.py add ROOT NAME=VERSION...
       apk-db.py del ROOT NAME...

apk-tools is not packaged for Debian and Alpine's servers are not
reachable from where this corpus is built: the packages are synthetic
(their files say so), the database format is Alpine's.
"""
import base64
import hashlib
import io
import os
import sys
import tarfile

DB = "lib/apk/db/installed"
BUILD_TIME = 1700000000


def files_of(name, version):
    """The files of a synthetic package: {path: (mode, bytes)}."""
    if name == "imgdrift-hello":
        return {
            "usr/bin/imgdrift-hello": (0o755, (
                "#!/bin/sh\necho \"hello from imgdrift-hello %s\"\n" % version).encode()),
            "usr/share/doc/imgdrift-hello/README": (0o644, (
                "imgdrift-hello %s, a synthetic apk package of imgdrift's "
                "corpus\n" % version).encode()),
        }
    if name == "imgdrift-motd":
        return {
            "etc/motd.d/imgdrift": (0o644, (
                "Welcome to an imgdrift corpus image (motd %s).\n" % version).encode()),
        }
    if name == "imgdrift-extra":
        return {
            "usr/share/imgdrift-extra/data.txt": (0o644, (
                "extra data %s\n" % version).encode()),
        }
    sys.exit("apk-db: no package %s" % name)


def q1(data):
    return "Q1" + base64.b64encode(hashlib.sha1(data).digest()).decode()


def read_db(root):
    path = os.path.join(root, DB)
    if not os.path.exists(path):
        return []
    text = open(path).read()
    return [b for b in text.split("\n\n") if b.strip()]


def write_db(root, blocks):
    d = os.path.join(root, "lib/apk/db")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(root, DB), "w") as f:
        for b in blocks:
            f.write(b.rstrip("\n") + "\n\n")
    for name in ("lock", "triggers"):
        open(os.path.join(d, name), "a").close()
    scripts = os.path.join(d, "scripts.tar")
    if not os.path.exists(scripts):
        with tarfile.open(scripts, "w", format=tarfile.USTAR_FORMAT):
            pass
    world = os.path.join(root, "etc/apk/world")
    os.makedirs(os.path.dirname(world), exist_ok=True)
    names = sorted(b.split("\nP:", 1)[1].split("\n", 1)[0] for b in blocks)
    open(world, "w").write("".join(n + "\n" for n in names))


def block_name(b):
    return b.split("\nP:", 1)[1].split("\n", 1)[0]


def add(root, specs):
    blocks = read_db(root)
    for spec in specs:
        name, version = spec.split("=", 1)
        blocks = [b for b in blocks if block_name(b) != name]
        files = files_of(name, version)
        size = sum(len(v[1]) for v in files.values())
        control = "pkgname = %s\npkgver = %s\narch = x86_64\n" % (name, version)
        lines = ["C:" + q1(control.encode()), "P:" + name, "V:" + version,
                 "A:x86_64", "S:%d" % (size + 1024), "I:%d" % size,
                 "T:synthetic package of imgdrift's package corpus",
                 "U:https://imgdrift.invalid/", "L:MIT", "o:" + name,
                 "m:imgdrift corpus <corpus@imgdrift.invalid>",
                 "t:%d" % BUILD_TIME]
        seen = set()
        for path in sorted(files):
            mode, data = files[path]
            d, base = os.path.split(path)
            # every directory of the package, parents first, as apk lists
            # the directories of the package's archive
            parts = d.split("/")
            for i in range(1, len(parts) + 1):
                sub = "/".join(parts[:i])
                if sub not in seen:
                    seen.add(sub)
                    lines.append("F:" + sub)
            if lines[-1] != "F:" + d:
                lines.append("F:" + d)
            lines.append("R:" + base)
            if mode != 0o644:
                lines.append("a:0:0:%o" % mode)
            lines.append("Z:" + q1(data))
            full = os.path.join(root, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            open(full, "wb").write(data)
            os.chmod(full, mode)
        blocks.append("\n".join(lines))
    write_db(root, blocks)


def delete(root, names):
    blocks = read_db(root)
    for name in names:
        mine = [b for b in blocks if block_name(b) == name]
        if not mine:
            sys.exit("apk-db: %s is not installed" % name)
        cwd, dirs = "", []
        for line in mine[0].splitlines():
            if line.startswith("F:"):
                cwd = line[2:]
                dirs.append(cwd)
            elif line.startswith("R:"):
                os.unlink(os.path.join(root, cwd, line[2:]))
        # its directories go too when nothing is left in them, as apk does
        for d in sorted(set(dirs), key=len, reverse=True):
            full = os.path.join(root, d)
            if os.path.isdir(full) and not os.listdir(full):
                os.rmdir(full)
        blocks = [b for b in blocks if block_name(b) != name]
    write_db(root, blocks)


if __name__ == "__main__":
    cmd, root = sys.argv[1], sys.argv[2]
    {"add": add, "del": delete}[cmd](root, sys.argv[3:])
