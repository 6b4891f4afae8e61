#!/usr/bin/env python3
"""Write hostile dependencies compiled into files (Go build information,
jars, cargo-auditable sections) inside small image pairs (bare layer tars),
in the cases format of tests/hostile/gen.py.

usage: python3 tests/hostile/gen_binpkg.py OUTDIR

Every case is a diff of a good image against one whose file is broken: the
pair is `different` (exit 1: the file differs), never trouble, and nothing
it prints is unescaped.  tests/compiled.sh checks the notes on real data.

  bin-go-cut.tar       Go build information whose second length points
                       past the end of the file
  bin-go-varint.tar    a length that never ends (every byte 0xff)
  bin-go-huge.tar      a length of 2^62
  bin-go-pointer.tar   the pre-1.18 pointer format
  bin-go-escape.tar    module paths, versions and settings holding terminal
                       escapes, bidi controls and invalid UTF-8 (read, not
                       unreadable: every one must come out escaped)
  bin-go-many.tar      100,000 dependency lines: more than the 256 KiB kept,
                       so named not read
  bin-jar-notzip.tar   a .jar that is not a zip
  bin-jar-bomb.tar     a jar holding a nested jar of 1 GiB of zeros
                       (deflated to about 1 MiB)
  bin-jar-escape.tar   pom.properties values holding escapes
  bin-jar-nested-over.tar, bin-jar-nested-under.tar  a jar holding
                       BOOT-INF/lib/big.jar, a real jar with its own
                       pom.properties, of 33 MiB (over the 32 MiB
                       nested-jar limit: named not read) and of 31 MiB
                       (read); deflated to some 100 KiB
  bin-cargo-bomb.tar   an ELF whose .dep-v0 inflates to 1 GiB
  bin-cargo-notzlib.tar, bin-cargo-json.tar, bin-cargo-shdr.tar  a
                       section that is no zlib stream, JSON that is no
                       crate list, section headers past the end
"""

import io
import os
import struct
import sys
import zipfile
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen  # noqa: E402  (the archive writer)

MARK = b"\xff Go buildinf:"
EVIL = b"\x1b[31mevil\xe2\x80\xae\xff"


def uvarint(n):
    out = b""
    while n >= 0x80:
        out += bytes([n & 0x7f | 0x80])
        n >>= 7
    return out + bytes([n])


def go_blob(modinfo, version=b"go1.21.6", flags=2):
    sentinel = b"0123456789abcdef"
    mod = sentinel + modinfo + sentinel
    return (MARK + bytes([8, flags]) + bytes(16) + uvarint(len(version)) +
            version + uvarint(len(mod)) + mod)


def go_exe(blob):
    return b"\x7fELF" + bytes(8192) + blob + bytes(64)


MODINFO = (b"path\texample.com/app\nmod\texample.com/app\t(devel)\t\n"
           b"dep\tgolang.org/x/net\tv0.17.0\th1:abc=\nbuild\t-trimpath=true\n")


def elf64(sections):
    """A minimal ELF64 little-endian file: its header, the sections' bytes,
    the section name table and the section headers."""
    names = b"\0" + b"".join(n + b"\0" for n, _ in sections) + b".shstrtab\0"
    body = b""
    offs = []
    off = 64
    for _, data in sections:
        offs.append(off + len(body))
        body += data
    stroff = off + len(body)
    body += names
    shoff = off + len(body)
    shnum = len(sections) + 2
    ehdr = (b"\x7fELF\x02\x01\x01" + bytes(9) +
            struct.pack("<HHIQQQIHHHHHH", 2, 62, 1, 0, 0, shoff, 0, 64, 0, 0,
                        64, shnum, shnum - 1))
    shdrs = bytes(64)
    pos = 1
    for (n, data), o in zip(sections, offs):
        shdrs += struct.pack("<IIQQQQIIQQ", pos, 1, 0, 0, o, len(data), 0, 0,
                             1, 0)
        pos += len(n) + 1
    shdrs += struct.pack("<IIQQQQIIQQ", pos, 3, 0, 0, stroff, len(names), 0,
                         0, 1, 0)
    return ehdr + body + shdrs


CRATES = (b'{"packages":[{"name":"app","version":"0.1.0","source":"local",'
          b'"root":true},{"name":"serde","version":"1.0.188",'
          b'"source":"crates.io"}]}')


def jar(files):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files:
            z.writestr(zipfile.ZipInfo(name, (2023, 11, 14, 22, 13, 20)), data,
                       compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def zeros_deflated_entry(size):
    """A jar holding nested.jar: size zero bytes, deflated in one pass."""
    out = io.BytesIO()
    zi = zipfile.ZipInfo("BOOT-INF/lib/nested.jar", (2023, 11, 14, 22, 13, 20))
    zi.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open(zi, "w", force_zip64=True) as f:
            chunk = bytes(1 << 20)
            for _ in range(size >> 20):
                f.write(chunk)
    return out.getvalue()


def big_jar(size):
    """A jar of size bytes: its pom.properties, then stored zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        z.writestr(zipfile.ZipInfo("META-INF/maven/com.example/big/"
                                   "pom.properties", (2023, 11, 14, 22, 13, 20)),
                   pom(b"com.example", b"big", b"2.0"))
        z.writestr(zipfile.ZipInfo("filler.bin", (2023, 11, 14, 22, 13, 20)),
                   bytes(size - 400))
    return out.getvalue()


def pom(g, a, v):
    return b"groupId=" + g + b"\nartifactId=" + a + b"\nversion=" + v + b"\n"


def main():
    gen.OUT = sys.argv[1]
    os.makedirs(gen.OUT, exist_ok=True)

    def layer(name, files):
        gen.write(name, gen.tar(*[gen.tar_file(p, d) for p, d in files]))

    def diff_case(good, name, files):
        layer(name + ".tar", files)
        gen.case(name, 1, "-", "diff", good, name + ".tar")

    exe = "usr/local/bin/app"
    layer("bin-go-good.tar", [(exe, go_exe(go_blob(MODINFO)))])
    gen.case("bin-go-good", 0, "-", "diff", "bin-go-good.tar",
             "bin-go-good.tar")
    good = go_blob(MODINFO)
    diff_case("bin-go-good.tar", "bin-go-cut",
              [(exe, b"\x7fELF" + bytes(8192) + good[:-40])])
    diff_case("bin-go-good.tar", "bin-go-varint",
              [(exe, go_exe(MARK + bytes([8, 2]) + bytes(16) + b"\xff" * 64))])
    diff_case("bin-go-good.tar", "bin-go-huge",
              [(exe, go_exe(MARK + bytes([8, 2]) + bytes(16) +
                            uvarint(1 << 62) + b"x" * 64))])
    diff_case("bin-go-good.tar", "bin-go-pointer",
              [(exe, go_exe(go_blob(MODINFO, flags=0)))])
    diff_case("bin-go-good.tar", "bin-go-escape",
              [(exe, go_exe(go_blob(
                  b"path\t" + EVIL + b"\nmod\t" + EVIL + b"\t" + EVIL + b"\t\n"
                  b"dep\tgolang.org/x/net\t" + EVIL + b"\t\n"
                  b"dep\t" + EVIL + b"\tv1.0.0\t\nbuild\t" + EVIL + b"=" +
                  EVIL + b"\n", version=EVIL)))])
    diff_case("bin-go-good.tar", "bin-go-many",
              [(exe, go_exe(go_blob(
                  b"path\tx\nmod\tx\t(devel)\t\n" + b"".join(
                      b"dep\tm%d\tv1.0.%d\t\n" % (i, i) for i in range(100000)))))])

    jdir = "usr/share/java/"
    layer("bin-jar-good.tar", [(jdir + "a.jar", jar([
        ("META-INF/maven/g/a/pom.properties", pom(b"g", b"a", b"1.0"))]))])
    diff_case("bin-jar-good.tar", "bin-jar-notzip",
              [(jdir + "a.jar", b"PK\x03\x04 no zip at all")])
    diff_case("bin-jar-good.tar", "bin-jar-bomb",
              [(jdir + "a.jar", zeros_deflated_entry(1 << 30))])
    diff_case("bin-jar-good.tar", "bin-jar-escape", [(jdir + "a.jar", jar([
        ("META-INF/maven/g/a/pom.properties", pom(EVIL, EVIL, EVIL))]))])
    for name, size in (("over", 33 << 20), ("under", 31 << 20)):
        diff_case("bin-jar-good.tar", "bin-jar-nested-" + name,
                  [(jdir + "a.jar", jar([
                      ("META-INF/maven/g/a/pom.properties",
                       pom(b"g", b"a", b"1.0")),
                      ("BOOT-INF/lib/big.jar", big_jar(size))]))])

    cbin = "usr/bin/app"
    layer("bin-cargo-good.tar", [(cbin, elf64([(b".text", bytes(64)),
                                               (b".dep-v0", zlib.compress(CRATES, 9))]))])
    z = zlib.compressobj(9)
    bomb = b"".join(z.compress(bytes(1 << 20)) for _ in range(1024)) + z.flush()
    diff_case("bin-cargo-good.tar", "bin-cargo-bomb",
              [(cbin, elf64([(b".text", bytes(64)), (b".dep-v0", bomb)]))])
    diff_case("bin-cargo-good.tar", "bin-cargo-notzlib",
              [(cbin, elf64([(b".text", bytes(64)), (b".dep-v0", b"\xff" * 64)]))])
    diff_case("bin-cargo-good.tar", "bin-cargo-json",
              [(cbin, elf64([(b".text", bytes(64)), (b".dep-v0", zlib.compress(
                  b'{"packages":[{"name":1}]}'))]))])
    shdr = bytearray(elf64([(b".text", bytes(64)),
                            (b".dep-v0", zlib.compress(CRATES))]))
    struct.pack_into("<Q", shdr, 40, len(shdr) - 10)
    diff_case("bin-cargo-good.tar", "bin-cargo-shdr", [(cbin, bytes(shdr))])

    with open(os.path.join(gen.OUT, "cases"), "w") as f:
        f.write("\n".join(gen.CASES) + "\n")


if __name__ == "__main__":
    main()
