#!/usr/bin/env python3
"""Write a Debian-like root file system built twice, minutes apart.

usage: make-rootfs-pair.py OUTDIR

Writes OUTDIR/rootfs-a.tar and OUTDIR/rootfs-b.tar (one-layer OCI archives,
packed by corpus/oci-pack.py).  The tree is synthetic but shaped as
debootstrap leaves a minimal Debian: about 9,000 entries (package files
under usr/, docs and man pages, dpkg's info files, /etc).  The second build
differs as a rebuild a few minutes later does, and in nothing else:

  - 1,700 mtimes (files written at install time: dpkg's info files,
    generated /etc files, directories) later by 77 to 137 seconds;
  - 5 logs (dpkg, apt history and term, alternatives, bootstrap) whose
    lines differ only in their date and time stamps;
  - etc/machine-id (random);
  - var/cache/ldconfig/aux-cache (keyed by inode and ctime, so other bytes).

Everything is drawn from a fixed seed: two runs give the same bytes.
"""
import hashlib
import os
import random
import subprocess
import sys
import time

BASE = 1764500000          # 2025-11-30T10:53:20Z: the packages' own mtimes
BUILD_A = 1764500826       # the first build ran at 11:07:06
NPKG = 200


def tree(rnd):
    """@return {path: (data or None for a directory, mtime, installed)}."""
    t = {}

    def d(path, installed=True):
        parts = path.split("/")
        for i in range(1, len(parts) + 1):
            p = "/".join(parts[:i])
            if p not in t:
                t[p] = (None, BASE, installed)

    def f(path, data, installed=False):
        d(os.path.dirname(path))
        t[path] = (data, BASE - rnd.randrange(86400 * 30), installed)

    for k in range(NPKG):
        pkg = "pkg%03d" % k
        for j in range(rnd.randrange(10, 40)):
            f("usr/lib/x86_64-linux-gnu/%s/lib%d.so.%d" % (pkg, j, k % 5),
              bytes(rnd.randrange(256) for _ in range(rnd.randrange(64, 256))))
        for j in range(rnd.randrange(2, 8)):
            f("usr/bin/%s-tool%d" % (pkg, j), b"#!/bin/sh\nexec %s %d\n" % (pkg.encode(), j))
        for j in range(rnd.randrange(2, 6)):
            f("usr/share/man/man1/%s-tool%d.1.gz" % (pkg, j),
              bytes(rnd.randrange(256) for _ in range(48)))
        f("usr/share/doc/%s/copyright" % pkg, b"Format: copyright-format/1.0\n")
        f("usr/share/doc/%s/changelog.Debian.gz" % pkg,
          bytes(rnd.randrange(256) for _ in range(40)))
        mine = sorted(p for p in t if "/%s" % pkg in p and t[p][0] is not None)
        f("var/lib/dpkg/info/%s.list" % pkg,
          "".join("/%s\n" % p for p in mine).encode(), installed=True)
        f("var/lib/dpkg/info/%s.md5sums" % pkg,
          "".join("%s  %s\n" % (hashlib.md5(t[p][0]).hexdigest(), p)
                  for p in mine).encode(), installed=True)
        for ext in ("postinst", "prerm", "conffiles", "triggers"):
            f("var/lib/dpkg/info/%s.%s" % (pkg, ext), b"#!/bin/sh\nexit 0\n",
              installed=True)
        d("usr/share/locale/de/LC_MESSAGES")
    for k in range(100):
        f("etc/%s.conf" % ("conf%02d" % k), b"# generated\nkey = %d\n" % k, installed=True)
    f("var/lib/dpkg/status", b"".join(
        b"Package: pkg%03d\nStatus: install ok installed\nArchitecture: amd64\n"
        b"Version: 1.%d\n\n" % (k, k) for k in range(NPKG)))
    return t


def log_lines(rnd, start, n, fmt):
    t = start
    out = []
    for i in range(n):
        t += rnd.randrange(0, 3)
        out.append(fmt(time.gmtime(t), i))
    return ("\n".join(out) + "\n").encode()


def logs(start):
    rnd = random.Random(7)      # the same lines in both builds
    stamp = lambda g: time.strftime("%Y-%m-%d %H:%M:%S", g)
    return {
        "var/log/dpkg.log": log_lines(rnd, start, 1200, lambda g, i:
            "%s status installed pkg%03d:amd64 1.%d" % (stamp(g), i % NPKG, i % NPKG)),
        "var/log/apt/history.log": log_lines(rnd, start, 4, lambda g, i:
            ["Start-Date: %s" % time.strftime("%Y-%m-%d  %H:%M:%S", g),
             "Commandline: apt-get install -y pkg%03d" % i,
             "Install: pkg%03d:amd64 (1.%d)" % (i, i),
             "End-Date: %s" % time.strftime("%Y-%m-%d  %H:%M:%S", g)][i]),
        "var/log/apt/term.log": log_lines(rnd, start, 2, lambda g, i:
            "Log %s: %s" % (["started", "ended"][i], stamp(g))),
        "var/log/alternatives.log": log_lines(rnd, start, 17, lambda g, i:
            "update-alternatives %s: link group pkg%03d updated" % (stamp(g).replace(" ", " "), i)),
        "var/log/bootstrap.log": log_lines(rnd, start, 40, lambda g, i:
            "I: Unpacking pkg%03d... %s" % (i, stamp(g))),
    }


def write(root, t, extra, shifts):
    for path in sorted(t):
        data, mtime, _ = t[path]
        p = os.path.join(root, path)
        if data is None:
            os.makedirs(p, exist_ok=True)
    for path, data in sorted(extra.items()):
        t[path] = (data, BUILD_A, True)
        parent = os.path.dirname(path)
        while parent and parent not in t:
            t[parent] = (None, BASE, True)
            parent = os.path.dirname(parent)
        os.makedirs(os.path.dirname(os.path.join(root, path)), exist_ok=True)
    for path in sorted(t, key=lambda p: -p.count("/")):
        data, mtime, _ = t[path]
        p = os.path.join(root, path)
        if data is not None:
            with open(p, "wb") as fp:
                fp.write(data)
        m = mtime + shifts.get(path, 0)
        os.utime(p, (m, m), follow_symlinks=False)


def main():
    out = sys.argv[1]
    here = os.path.dirname(os.path.abspath(__file__))
    pack = os.path.join(here, "..", "oci-pack.py")
    os.umask(0o022)
    installed = None
    for side, start in (("a", BUILD_A), ("b", BUILD_A + 115)):
        rnd = random.Random(2025)
        t = tree(rnd)
        if installed is None:
            installed = sorted(p for p, v in t.items() if v[2])
            pick = random.Random(11)
            moved = pick.sample(installed, 1700)
            shifts_b = {p: pick.randrange(77, 138) for p in moved}
        extra = logs(start)
        idr = random.Random(side)
        extra["etc/machine-id"] = ("%032x\n" % idr.getrandbits(128)).encode()
        aux = bytearray(random.Random(5).randbytes(6000))
        for k in range(0, len(aux), 96):
            aux[k:k + 8] = idr.randbytes(8)
        extra["var/cache/ldconfig/aux-cache"] = bytes(aux)
        root = os.path.join(out, "rootfs-" + side)
        write(root, t, extra, shifts_b if side == "b" else {})
        subprocess.run([sys.executable, pack, root, os.path.join(out, "rootfs-%s.tar" % side),
                        time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(start + 60))],
                       check=True)


if __name__ == "__main__":
    main()
