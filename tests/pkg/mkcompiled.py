#!/usr/bin/env python3
"""Write image pairs (bare layer tars) for tests/compiled.sh from the
real files of corpus/compiled/ (origin in its README.md).

usage: mkcompiled.py OUTDIR

  go-uuid13.tar, go-uuid16.tar, go-text.tar, go-trimpath.tar: a stand-in
      executable (an ELF mark, 8 KiB of zeros) holding the real build
      information of hello built with uuid v1.3.0, v1.6.0, v1.3.0 and
      x/text v0.7.0, v1.3.0 with -trimpath, at usr/local/bin/hello
  go-vcs1.tar, go-vcs2.tar, go-vcs2m.tar: built from two commits, and the
      second with a modified work tree
  go-cut.tar: the build information cut 40 bytes short (its lengths point
      past the end of the file)
  maven-a.tar, maven-b.tar: usr/share/java/commons-lang3.jar 3.12.0 ->
      commons-lang3-3.17.0.jar, commons-io.jar added; opt/app/lib/app.jar (Spring
      Boot style) with BOOT-INF/lib/ commons-lang3 3.12.0 and commons-io
      2.11.0 -> commons-lang3 3.17.0 alone
  maven-notzip.tar: a file named .jar that is no zip (dropped while the
      layer streams: kept for nothing)
  cargo-a.tar, cargo-b.tar, cargo-bomb.tar: usr/bin/hello, the cargo-built
      binary with .dep-v0 as cargo-auditable writes it (A), the section
      replaced by objcopy with B's crates, and with a zlib stream of 1 GiB
      of zeros
  cargo-absent.tar: no usr/bin/hello (against cargo-b.tar: a one-sided
      binary, its crates added)
  cargo-far-a.tar, cargo-far-b.tar: A's and B's binary with 5 MiB of a
      section no program loads (.pad) between .dep-v0 and the section
      headers: the first pass does not reach it, the second look does
  shallow-a.tar, shallow-b.tar: files of every ecosystem at two slashes
      or fewer, where a bare layer's members may also be the blobs of an
      image: node_modules/lodash/package.json 4.17.20 -> 4.17.21,
      site-packages/six-1.16.0.dist-info -> six-1.17.0, app/commons-lang3.jar
      3.12.0 -> 3.17.0, app/hello (Go) uuid v1.3.0 -> v1.6.0;
      shallow-a.oci.tar, shallow-b.oci.tar: the same files in a one-layer
      OCI image (corpus/oci-pack.py)
"""
import io
import os
import subprocess
import sys
import tempfile
import zipfile
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mkpair import write  # noqa: E402

C = "corpus/compiled/"


def read(name):
    with open(C + name, "rb") as f:
        return f.read()


def read_path(path):
    with open(path, "rb") as f:
        return f.read()


def go_exe(blob):
    return b"\x7fELF" + bytes(8192) + blob + bytes(4096)


def boot_jar(members):
    """A Spring Boot style jar: its own pom.properties and nested jars,
    stored, fixed times."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        def add(name, data):
            zi = zipfile.ZipInfo(name, (2023, 11, 14, 22, 13, 20))
            z.writestr(zi, data)
        add("META-INF/maven/com.example/app/pom.properties",
            b"artifactId=app\ngroupId=com.example\nversion=1.0.0\n")
        for name, data in members:
            add("BOOT-INF/lib/" + name, data)
    return out.getvalue()


def elf_section(path, name, data, out):
    with open(out + ".sec", "wb") as f:
        f.write(data)
    subprocess.run(["objcopy", "--update-section", f"{name}={out}.sec",
                    path, out], check=True)
    os.unlink(out + ".sec")
    with open(out, "rb") as f:
        return f.read()


def oci(path, files):
    """files, as mkpair.write() takes them, in a one-layer OCI image."""
    with tempfile.TemporaryDirectory() as root:
        for p, (data, mode) in files.items():
            os.makedirs(os.path.dirname(f"{root}/{p}"), exist_ok=True)
            with open(f"{root}/{p}", "wb") as f:
                f.write(data)
            os.chmod(f"{root}/{p}", mode)
            os.utime(f"{root}/{p}", (1700000000, 1700000000))
        subprocess.run([sys.executable, "corpus/oci-pack.py", root, path,
                        "2023-11-14T22:13:20Z"], check=True)


def shallow(jar, go, lodash, six):
    """Files of every ecosystem at two slashes or fewer."""
    dist = f"site-packages/six-{six}.dist-info"
    meta = (f"Metadata-Version: 2.1\nName: six\nVersion: {six}\n"
            "Summary: Python 2 and 3 compatibility utilities\n").encode()
    record = (f"six.py,,\n{dist}/METADATA,,\n{dist}/RECORD,,\n").encode()
    return {"node_modules/lodash/package.json": (
                f'{{"name": "lodash", "version": "{lodash}"}}\n'.encode(), 0o644),
            f"{dist}/METADATA": (meta, 0o644),
            f"{dist}/RECORD": (record, 0o644),
            "site-packages/six.py": (f"__version__ = '{six}'\n".encode(),
                                     0o644),
            "app/commons-lang3.jar": (jar, 0o644),
            "app/hello": (go_exe(go), 0o755)}


def main(out):
    exe = 0o755
    hello = "usr/local/bin/hello"
    for tar, blob in [("go-uuid13", "hello-uuid-1.3.0"),
                      ("go-uuid16", "hello-uuid-1.6.0"),
                      ("go-text", "hello-uuid-1.3.0-text-0.7.0"),
                      ("go-trimpath", "hello-uuid-1.3.0-trimpath"),
                      ("go-vcs1", "hello-vcs-commit1"),
                      ("go-vcs2", "hello-vcs-commit2"),
                      ("go-vcs2m", "hello-vcs-commit2-modified")]:
        write(f"{out}/{tar}.tar", {hello: (go_exe(read(blob + ".buildinfo")),
                                          exe)})
    cut = read("hello-uuid-1.6.0.buildinfo")[:-40]
    write(f"{out}/go-cut.tar", {hello: (b"\x7fELF" + bytes(8192) + cut, exe)})

    l12, l17 = read("commons-lang3-3.12.0.jar"), read("commons-lang3-3.17.0.jar")
    io11 = read("commons-io-2.11.0.jar")
    write(f"{out}/maven-a.tar", {
        "usr/share/java/commons-lang3.jar": (l12, 0o644),
        "opt/app/lib/app.jar": (boot_jar([("commons-io-2.11.0.jar", io11),
                                  ("commons-lang3-3.12.0.jar", l12)]), 0o644)})
    write(f"{out}/maven-b.tar", {
        "usr/share/java/commons-lang3-3.17.0.jar": (l17, 0o644),
        "usr/share/java/commons-io.jar": (io11, 0o644),
        "opt/app/lib/app.jar": (boot_jar([("commons-lang3-3.17.0.jar", l17)]), 0o644)})

    write(f"{out}/maven-notzip.tar", {
        "usr/share/doc/app/notes.jar": (b"not a jar, whatever its name\n" * 64,
                                       0o644)})

    ca = C + "hello-cargo-a"
    write(f"{out}/cargo-a.tar", {"usr/bin/hello": (read("hello-cargo-a"), exe)})
    b = elf_section(ca, ".dep-v0", read("cargo-deps-b.zlib"), f"{out}/hello-b")
    write(f"{out}/cargo-b.tar", {"usr/bin/hello": (b, exe)})
    z = zlib.compressobj(9)
    bomb = b"".join(z.compress(bytes(1 << 20)) for _ in range(1024)) + z.flush()
    b = elf_section(ca, ".dep-v0", bomb, f"{out}/hello-bomb")
    write(f"{out}/cargo-bomb.tar", {"usr/bin/hello": (b, exe)})
    write(f"{out}/cargo-absent.tar", {"usr/share/doc/hello/README": (
        b"hello, built elsewhere\n", 0o644)})
    with open(f"{out}/pad", "wb") as f:
        f.write(bytes(5 << 20))
    elf_section(ca, ".dep-v0", read("cargo-deps-b.zlib"), f"{out}/hello-b")
    for side, path in (("a", ca), ("b", f"{out}/hello-b")):
        subprocess.run(["objcopy", "--add-section", f".pad={out}/pad",
                        "--set-section-flags", ".pad=noload,readonly", path,
                        f"{out}/hello-far"], check=True)
        write(f"{out}/cargo-far-{side}.tar", {"usr/bin/hello": (
            read_path(f"{out}/hello-far"), exe)})
    for f in ("pad", "hello-b", "hello-far"):
        os.unlink(f"{out}/{f}")

    for side, files in (("a", shallow(l12, read("hello-uuid-1.3.0.buildinfo"),
                                      "4.17.20", "1.16.0")),
                        ("b", shallow(l17, read("hello-uuid-1.6.0.buildinfo"),
                                      "4.17.21", "1.17.0"))):
        write(f"{out}/shallow-{side}.tar", files)
        oci(f"{out}/shallow-{side}.oci.tar", files)


if __name__ == "__main__":
    main(sys.argv[1])
