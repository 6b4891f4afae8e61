#!/usr/bin/env python3
"""Write the hostile inputs of tests/hostile.sh, each as small as it can be.

usage: python3 tests/hostile/gen.py OUTDIR

Every input is correctly digested: each SHA-256 (blob names, descriptors,
diff_ids, the fingerprint trailer) is computed here, so the input passes
verification and reaches the parser it is aimed at.  Standard library only.

Besides the inputs, OUTDIR/cases lists what to run, one case a line,
fields separated by tabs:

    NAME  EXIT  NEEDLE  ARG...

tests/hostile.sh runs `imgdrift ARG...` in OUTDIR under CPU and memory
limits and checks the exit status, and for EXIT 2 that stderr is exactly
one line holding NEEDLE (a fixed string; "-" for none).  A case with EXIT 0 or 1 checks
that a well-formed input built by the same code is read at all, so that a
hostile case fails for the reason it names and not for a mistake here.
"""

import gzip
import hashlib
import io
import json
import os
import struct
import sys

OUT = None
CASES = []


def case(name, want, needle, *args):
    """Record one case: imgdrift ARGS must exit WANT, naming NEEDLE."""
    assert "\t" not in needle and all("\t" not in a for a in args)
    CASES.append("\t".join([name, str(want), needle or "-"] + list(args)))


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)
    return name


def sha(data):
    return hashlib.sha256(data).hexdigest()


def digest(data):
    return "sha256:" + sha(data)


def cjson(obj):
    return json.dumps(obj, separators=(",", ":"), sort_keys=True).encode()


# ---- zstd, written by hand: raw blocks, no compression --------------------

def zstd_frame(data):
    """One zstd frame holding data in raw blocks (no checksum)."""
    out = bytearray(struct.pack("<I", 0xFD2FB528))
    out += bytes([0x00, 7 << 3])  # no size, no checksum; window 2^17
    block = 1 << 17
    chunks = [data[i:i + block] for i in range(0, len(data), block)] or [b""]
    for i, c in enumerate(chunks):
        last = 1 if i == len(chunks) - 1 else 0
        out += struct.pack("<I", last | len(c) << 3)[:3] + c
    return bytes(out)


# ---- fingerprints (docs/fingerprint.md) ----------------------------------

KIND = {"file": 0, "dir": 1, "symlink": 2, "hardlink": 3, "char": 4,
        "block": 5, "fifo": 6, "socket": 7, "other": 8}
F_ATIME, F_CTIME, F_LINK, F_XATTRS, F_HASH, F_DEVICE = 1, 2, 4, 8, 16, 32
F_SPARSE = 64  # format version 2


def varint(v):
    out = bytearray()
    while True:
        b = v & 0x7F
        v >>= 7
        out.append(b | (0x80 if v else 0))
        if not v:
            return bytes(out)


def zigzag(v):
    return (v << 1) ^ (-1 if v < 0 else 0) & ((1 << 64) - 1)


def record(path, kind="file", prev="", size=0, link=None, content=None,
           flags=None, mode=0o644, uname=0, gname=0, prefix=None,
           device=None):
    """One entry record.  flags=None derives the flags from the fields, as
    the writer does; a number forces them (and the fields written follow
    the forced flags, as a reader would parse them)."""
    if flags is None:
        flags = 0
        if link is not None:
            flags |= F_LINK
        if size:
            flags |= F_HASH
        if device is not None:
            flags |= F_DEVICE
    if prefix is None:
        prefix = 0
        while (prefix < min(len(prev), len(path)) and
               prev[prefix] == path[prefix]):
            prefix += 1
    p = path.encode()
    out = bytearray(varint(prefix) + varint(len(p) - prefix) + p[prefix:])
    out += bytes([KIND[kind], flags])
    out += varint(mode) + varint(zigzag(0)) + varint(zigzag(0))
    out += varint(uname) + varint(gname) + varint(size)
    out += varint(zigzag(0)) + varint(0)  # mtime delta, ns
    if flags & F_LINK:
        l = (link or "").encode()
        out += varint(len(l)) + l
    if flags & F_DEVICE:
        out += varint((device or (1, 3))[0]) + varint((device or (1, 3))[1])
    if flags & F_HASH:
        out += hashlib.sha256(content if content is not None
                              else b"x" * size).digest()
    return bytes(out)


def table(entries):
    """Records for [(path, kwargs)], prefix-coded in order."""
    out, prev = bytearray(), ""
    for path, kw in entries:
        out += record(path, prev=prev, **kw)
        prev = path
    return bytes(out)


def fingerprint(tables, counts=None, strings=None, diff_ids=None,
                header_extra=None, truncate=0, trailer=True, copies=1,
                platform="linux/amd64", version=1):
    """A fingerprint of one image (copies times) whose layer i is table i.
    counts: entries announced per table (default: as many as given)."""
    tabs = [t for t, _ in tables]
    counts = counts or [n for _, n in tables]
    layer_ids = [digest(b"layer %d" % i + t) for i, t in enumerate(tabs)]
    config = cjson({"architecture": "amd64", "os": "linux",
                    "rootfs": {"type": "layers",
                               "diff_ids": diff_ids or layer_ids}})
    framing = {"comp": "none", "gz_flags": 0, "gz_xfl": 0, "gz_os": 0,
               "gz_mtime": 0, "gz_name": "", "gz_members": 0,
               "gz_padding": 0, "zs_fhd": 0, "zs_frames": 0,
               "zs_skippable": 0}
    layers = [{"media_type": None, "member": "layer%d.tar" % i,
               "digest": layer_ids[i], "diff_id": layer_ids[i],
               "size": 10240, "usize": 10240, "present": True, "table": i,
               "framing": framing} for i in range(len(tabs))]
    header = {
        "schema": "imgdrift.fingerprint/1", "writer": "tests/hostile/gen.py",
        "input": {"name": "hostile.tar", "sha256": None, "size": 10240,
                  "format": "docker-archive", "compression": "none"},
        "index_json": None, "warnings": "",
        "strings": strings or ["", "root"],
        "tables": [{"member": "layer%d.tar" % i, "entries": counts[i]}
                   for i in range(len(tabs))],
        "images": [{"platform": platform, "ref_name": None, "tags": [],
                    "index": None, "manifest": None,
                    "config": {"digest": digest(config), "media_type": None,
                               "raw": config.decode()},
                    "layers": layers}] * copies,
        "attestations": [],
    }
    header.update(header_extra or {})
    h = cjson(header)
    payload = varint(len(h)) + h + b"".join(tabs)
    if truncate:
        payload = payload[:-truncate]
    if trailer:
        payload += hashlib.sha256(payload).digest()
    skip = struct.pack("<II4sI", 0x184D2A5E, 8, b"IDFP", version)
    return skip + zstd_frame(payload)


def plain_tree(extra=None):
    """A small, valid table: a directory, a file, a symlink, a hardlink."""
    rows = [("etc", dict(kind="dir", mode=0o755)),
            ("etc/hosts", dict(size=5, content=b"hosts")),
            ("etc/link", dict(kind="symlink", link="hosts", mode=0o777)),
            ("etc/same", dict(kind="hardlink", link="etc/hosts"))]
    rows += extra or []
    rows.sort(key=lambda r: r[0])
    return table(rows), len(rows)


# ---- tars, layers and image archives ---------------------------------------

def octal(v, width):
    return ("%0*o" % (width - 1, v)).encode() + b"\0"


def tar_header(name, size=0, typ=b"0", mode=0o644, linkname=b"",
               uname=b"root", gname=b"root", raw_size=None):
    """One ustar header.  raw_size: the 12-byte size field as given."""
    if isinstance(name, str):
        name = name.encode()
    h = bytearray(512)
    h[0:len(name)] = name[:100]
    h[100:108] = octal(mode, 8)
    h[108:116] = octal(0, 8)
    h[116:124] = octal(0, 8)
    h[124:136] = raw_size if raw_size is not None else octal(size, 12)
    h[136:148] = octal(0, 12)
    h[148:156] = b" " * 8
    h[156:157] = typ
    h[157:157 + len(linkname)] = linkname
    h[257:265] = b"ustar\x0000"
    h[265:265 + len(uname)] = uname
    h[297:297 + len(gname)] = gname
    h[148:156] = ("%06o\0 " % sum(h)).encode()
    return bytes(h)


def pad(data):
    return data + b"\0" * (-len(data) % 512)


def tar_file(name, data=b"", typ=b"0", **kw):
    return tar_header(name, len(data), typ, **kw) + pad(data)


def pax(records, name="PaxHeader"):
    """A pax extended header ('x') holding records {key: value}."""
    body = b""
    for k, v in records.items():
        rec = b" " + k.encode() + b"=" + v + b"\n"
        n = len(rec) + 1
        while len(str(n)) + len(rec) != n:
            n = len(str(n)) + len(rec)
        body += str(n).encode() + rec
    return tar_file(name, body, typ=b"x")


def num12(v):
    """A 12-byte number: octal, or GNU base-256 when it does not fit."""
    if v < 8 ** 11:
        return octal(v, 12)
    return b"\x80" + v.to_bytes(11, "big")


def gnu_sparse(name, segments, realsize):
    """An old-GNU sparse file ('S'): segments [(offset, bytes)] (at most 4)
    of a file of realsize bytes; the rest is holes."""
    data = b"".join(d for _, d in segments)
    h = bytearray(tar_header(name, len(data), b"S"))
    h[257:265] = b"ustar  \0"
    for i, (off, d) in enumerate(segments):
        h[386 + 24 * i:398 + 24 * i] = num12(off)
        h[398 + 24 * i:410 + 24 * i] = num12(len(d))
    h[483:495] = num12(realsize)
    h[148:156] = b" " * 8
    h[148:156] = ("%06o\0 " % sum(h)).encode()
    return bytes(h) + pad(data)


def tar(*members):
    return b"".join(members) + b"\0" * 1024


def tar_members(files):
    """A wrapper tar of {name: bytes}, in the order given."""
    return tar(*[tar_file(n, d) for n, d in files])


def blob(files, data):
    files.append(("blobs/sha256/" + sha(data), data))
    return {"digest": digest(data), "size": len(data)}


MT_INDEX = "application/vnd.oci.image.index.v1+json"
MT_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MT_CONFIG = "application/vnd.oci.image.config.v1+json"
MT_LAYER = "application/vnd.oci.image.layer.v1.tar"


def config_of(layers, extra=None):
    c = {"architecture": "amd64", "os": "linux",
         "rootfs": {"type": "layers", "diff_ids": [digest(l) for l in layers]}}
    c.update(extra or {})
    return cjson(c)


def image(files, layers, config_extra=None, config=None):
    """Add the blobs of one image; @return its manifest descriptor."""
    cfg = dict(blob(files, config or config_of(layers, config_extra)),
               mediaType=MT_CONFIG)
    lds = [dict(blob(files, l), mediaType=MT_LAYER) for l in layers]
    man = cjson({"schemaVersion": 2, "mediaType": MT_MANIFEST,
                 "config": cfg, "layers": lds})
    return dict(blob(files, man), mediaType=MT_MANIFEST,
                platform={"os": "linux", "architecture": "amd64"})


def index_of(descs):
    return cjson({"schemaVersion": 2, "mediaType": MT_INDEX,
                  "manifests": descs})


def oci_archive(layers, config_extra=None, files=None, config=None):
    """An OCI image-layout archive of one image."""
    files = files if files is not None else []
    desc = image(files, layers, config_extra, config)
    files += [("oci-layout", b'{"imageLayoutVersion":"1.0.0"}'),
              ("index.json", index_of([desc]))]
    return tar_members(files)


def fingerprint_cases():
    good = write("good.fp", fingerprint([plain_tree()]))
    other = write("other.fp", fingerprint([plain_tree(
        [("etc/motd", dict(size=3, content=b"hi\n"))])]))
    case("fingerprint-valid", 0, "", "inspect", good)
    case("fingerprint-valid-diff", 1, "", "diff", good, other)

    # 1: a hardlink record without its link flag (diff/fs.c followed NULL).
    t = table([("a", dict(size=1, content=b"a")),
               ("b", dict(kind="hardlink", flags=0))])
    write("hardlink-nolink.fp", fingerprint([(t, 2)]))
    case("fp-hardlink-without-link", 2, "entry 2: a hardlink without a link target",
         "diff", "hardlink-nolink.fp", good)
    t = table([("a", dict(kind="dir", mode=0o755, link="x"))])
    write("dir-link.fp", fingerprint([(t, 1)]))
    case("fp-dir-with-link", 2, "entry 1: a dir with a link target",
         "diff", "dir-link.fp", good)
    t = table([("a", dict(size=0, flags=F_HASH))])
    write("empty-hash.fp", fingerprint([(t, 1)]))
    case("fp-hash-without-size", 2, "entry 1: a content hash but size 0",
         "diff", "empty-hash.fp", good)
    t = table([("a", dict(size=4, flags=0))])
    write("size-nohash.fp", fingerprint([(t, 1)]))
    case("fp-size-without-hash", 2, "entry 1: size 4 but no content hash",
         "diff", "size-nohash.fp", good)
    t = table([("a", dict(device=(1, 3)))])
    write("file-device.fp", fingerprint([(t, 1)]))
    case("fp-file-with-device", 2, "entry 1: a file with device numbers",
         "diff", "file-device.fp", good)

    # 0c: a config diff_id of another algorithm, with the right hex after
    # seven characters (the fingerprint reader used to skip any 7).
    t, n = plain_tree()
    lid = sha(b"layer 0" + t)
    write("md5-diffid.fp", fingerprint([(t, n)], diff_ids=["md5:xyz" + lid]))
    case("fp-diff-id-not-sha256", 2,
         "config diff_id 1: unsupported digest 'md5:xyz", "inspect",
         "md5-diffid.fp")
    # 12: a table shorter than its header says: the trailer was read as
    # records ("path prefix ... is out of range"); say it is truncated.
    write("short-table.fp", fingerprint([(t, n)], counts=[n + 1]))
    case("fp-short-table", 2, "table 1: truncated: 4 of the 5 entries",
         "inspect", "short-table.fp")
    write("cut-record.fp", fingerprint([(t[:-3], n)]))
    case("fp-cut-record", 2, "fingerprint: truncated",
         "inspect", "cut-record.fp")
    # 7: 100,000 distinct owner names (the string pool was a linear scan:
    # quadratic in reading, and again in record).  Timed by nothing but the
    # runner's CPU limit.
    N = 100000
    rows = [("f%06d" % i, dict(uname=i + 1, gname=i + 1)) for i in range(N)]
    write("many-names.fp", fingerprint(
        [(table(rows), N)], strings=[""] + ["u%d" % i for i in range(N)]))
    case("fp-many-owner-names", 0, "", "inspect", "many-names.fp")
    case("fp-many-owner-names-record", 0, "", "record", "-o", "copy.fp",
         "many-names.fp")
    # 5: the same image 5,000 times.
    write("many-images.fp", fingerprint([(t, n)], copies=5000))
    case("fp-many-images", 2, "more than 4096 images", "inspect",
         "many-images.fp")
    # The sparse flag is of format 2, and only with a content hash.
    sp = table([("a", dict(size=1, content=b"a", flags=F_HASH | F_SPARSE))])
    write("v1-sparse-flag.fp", fingerprint([(sp, 1)]))
    case("fp-v1-sparse-flag", 2, "entry 1: bad entry type or flags",
         "inspect", "v1-sparse-flag.fp")
    write("v2-sparse-flag.fp", fingerprint([(sp, 1)], version=2))
    case("fp-v2-sparse-flag", 0, "", "inspect", "v2-sparse-flag.fp")
    sp = table([("a", dict(flags=F_SPARSE))])
    write("v2-sparse-nohash.fp", fingerprint([(sp, 1)], version=2))
    case("fp-v2-sparse-without-hash", 2, "entry 1: bad entry type or flags",
         "inspect", "v2-sparse-nohash.fp")
    write("upper-diffid.fp", fingerprint([(t, n)],
                                         diff_ids=["SHA256:" + lid]))
    case("fp-diff-id-upper-case", 2, "config diff_id 1: unsupported digest",
         "inspect", "upper-diffid.fp")


def layer_cases():
    good = write("good.tar", oci_archive([tar(tar_file("etc/hosts", b"x"))]))
    case("archive-valid", 0, "", "inspect", good)

    # 12: libarchive reads a regular file named "/", "//" or "dir/" as a
    # directory, leaves its data unread and, on the next header, skips ahead
    # to whatever looks like one (ARCHIVE_RETRY): that was read as an entry
    # without a name.  Say which entry of which layer is damaged.
    for i, name in enumerate(["/", "//", "dir/"]):
        f = write("noname-%d.tar" % i, oci_archive(
            [tar(tar_file("a", b"a"), tar_file(name, b"x"))]))
        case("entry-without-name-%d" % i, 2,
             "layer 1: entry 3: Damaged tar archive", "inspect", f)
    f = write("dir-data.tar", oci_archive(
        [tar(tar_file("d", b"x", typ=b"5"), tar_file("b", b"x"))]))
    case("directory-with-data", 2, "layer 1: entry 2: Damaged tar archive",
         "inspect", f)
    f = write("wrapper-noname.tar", tar(tar_file("a", b"a"),
                                        tar_file("/", b"x")))
    case("wrapper-member-without-name", 2, "member 3: Damaged tar archive",
         "inspect", f)


def sparse_cases():
    # 4: a sparse file declaring 1 TiB: its holes were hashed as zeros for
    # hours.  Its hash now covers its data and its map.
    tib = 1 << 40
    a = tar(gnu_sparse("big", [(0, b"head"), (tib - 4, b"tail")], tib))
    b = tar(gnu_sparse("big", [(0, b"head"), (tib - 4, b"TAIL")], tib))
    write("sparse-a.tar", oci_archive([a]))
    write("sparse-b.tar", oci_archive([b]))
    case("sparse-terabyte", 0, "", "inspect", "sparse-a.tar")
    case("sparse-terabyte-diff", 1, "", "diff", "sparse-a.tar", "sparse-b.tar")
    case("sparse-terabyte-record", 0, "", "record", "-o", "sparse.fp",
         "sparse-a.tar")
    # A small one is looked at again by the second look, which must hash
    # it as the first pass did.
    mib = 1 << 20
    write("sparse-small-a.tar", oci_archive([tar(gnu_sparse(
        "small", [(0, b"head"), (mib - 4, b"tail")], mib))]))
    write("sparse-small-b.tar", oci_archive([tar(gnu_sparse(
        "small", [(0, b"head"), (mib - 4, b"TAIL")], mib))]))
    case("sparse-small-second-look", 1, "", "diff", "sparse-small-a.tar",
         "sparse-small-b.tar")
    # The same file with only a trailing hole, and 64 such files.
    many = tar(*[gnu_sparse("f%d" % i, [(0, b"x")], tib) for i in range(64)])
    write("sparse-many.tar", oci_archive([many]))
    case("sparse-many-terabytes", 0, "", "inspect", "sparse-many.tar")
    # A sparse wrapper member is no blob: never read as its holes.
    layer = tar(tar_file("a", b"a"))
    files = []
    desc = image(files, [layer])
    members = [gnu_sparse(n, [(0, d)], tib) if d == layer else tar_file(n, d)
               for n, d in files]
    members.append(tar_file("index.json", index_of([desc])))
    write("sparse-member.tar", tar(*members))
    case("sparse-wrapper-member", 2, "layer 1: blob 'blobs/sha256/", "inspect",
         "sparse-member.tar")


# A hostile entry name: a terminal escape, a right-to-left override, a
# byte that is not UTF-8, markup.
EVIL_NAME = b"big\x1b[2J\xe2\x80\xae\xff<b>"


def sparse_declared_cases():
    """Issue 11 item 13: a declared size over what the layer could hold is
    noted, naming the entry: 1 TiB in a 2 KiB layer, and 2^80 bytes (more
    than any file may have; libarchive reads it as 2^63 - 1)."""
    tib = 1 << 40
    for side, tail in (("a", b"tail"), ("b", b"TAIL")):
        write("sparse-declared-%s.tar" % side, oci_archive([tar(gnu_sparse(
            EVIL_NAME, [(0, b"head"), (tib - 4, tail)], tib))]))
        case("sparse-declared-inspect-" + side, 0, "", "inspect",
             "sparse-declared-%s.tar" % side)
    case("sparse-declared-diff", 1, "", "diff", "sparse-declared-a.tar",
         "sparse-declared-b.tar")
    case("sparse-declared-json", 1, "", "diff", "--format", "json",
         "sparse-declared-a.tar", "sparse-declared-b.tar")
    write("sparse-2-80.tar", oci_archive([tar(gnu_sparse(
        "huge", [(0, b"head")], 1 << 80))]))
    case("sparse-2-80-inspect", 0, "", "inspect", "sparse-2-80.tar")
    # A sparse file its layer could hold densely is not noted.
    write("sparse-fits.tar", oci_archive([tar(gnu_sparse(
        "small", [(0, b"head")], 1024), tar_file("pad", b"x" * 4096))]))
    case("sparse-fits-inspect", 0, "", "inspect", "sparse-fits.tar")


def json_cases():
    # 12: jansson failing for want of memory (5 million empty objects in a
    # 16 MiB config, under the runner's memory limit) was "bad JSON at
    # line -1".  Only meaningful under that limit: "@mem".
    layer = tar(tar_file("a", b"a"))
    n = (16 << 20) // 3 - 100
    config = (b'{"a":[' + b"{}," * n + b'{}],' + config_of([layer])[1:])
    write("json-oom.tar.gz", gzip.compress(
        oci_archive([layer], config=config), 9, mtime=0))
    case("json-out-of-memory@mem", 2, "out of memory parsing it", "inspect",
         "json-oom.tar.gz")


def docker_manifest(items):
    """manifest.json of a docker-archive: [(config name, [layer names])]."""
    return cjson([{"Config": c, "RepoTags": [], "Layers": ls}
                  for c, ls in items])


def index_cases():
    layer = tar(tar_file("a", b"a"))

    # 5: one child listed many times at every level of nested indexes
    # grows a 1 KB gzip archive to K^5 images.
    files = []
    desc = image(files, [layer])
    for level in range(4):
        sub = index_of([desc] * 64)
        desc = dict(blob(files, sub), mediaType=MT_INDEX)
    files.append(("index.json", index_of([desc] * 64)))
    write("fan-out.tar.gz", gzip.compress(tar_members(files), 9, mtime=0))
    # Each distinct index is walked once: 64 images.
    case("index-fan-out", 0, "", "inspect", "fan-out.tar.gz")
    # ... and one index listing one manifest 5,000 times.
    files = []
    desc = image(files, [layer])
    files.append(("index.json", index_of([desc] * 5000)))
    write("many-images.tar.gz", gzip.compress(tar_members(files), 9, mtime=0))
    case("index-many-images", 2, "more than 4096 images", "inspect",
         "many-images.tar.gz")
    # ... and one manifest listing its layer 70,000 times.
    files = []
    cfg = blob(files, config_of([layer] * 70000))
    ld = dict(blob(files, layer), mediaType=MT_LAYER)
    man = cjson({"schemaVersion": 2, "mediaType": MT_MANIFEST,
                 "config": dict(cfg, mediaType=MT_CONFIG),
                 "layers": [ld] * 70000})
    files.append(("index.json", index_of([dict(blob(files, man),
                                               mediaType=MT_MANIFEST)])))
    write("many-layers.tar.gz", gzip.compress(tar_members(files), 9, mtime=0))
    case("manifest-many-layers", 2, "more than 65536 descriptors",
         "inspect", "many-layers.tar.gz")

    # 6: a docker-archive of 4,000 images and 4,000 JSON blobs of 1 KB:
    # every image parsed every blob to find its manifest (16 GB of JSON).
    files = [("l.tar", layer)]
    items = []
    for i in range(4000):
        cfg = config_of([layer], {"comment": str(i)})
        files.append(("c%d.json" % i, cfg))
        decoy = cjson({"x": i, "pad": "p" * 1000})
        files.append(("blobs/sha256/" + sha(decoy), decoy))
        items.append(("c%d.json" % i, ["l.tar"]))
    files.append(("manifest.json", docker_manifest(items)))
    write("docker-many.tar.gz", gzip.compress(tar_members(files), 9, mtime=0))
    case("docker-archive-many-images", 0, "", "inspect", "docker-many.tar.gz")

    # 0b: Docker 25+ writes index.json and manifest.json; they must agree.
    files = []
    desc = image(files, [layer])
    other = tar(tar_file("b", b"b"))
    ocfg = config_of([other])
    files += [("blobs/sha256/" + sha(other), other),
              ("blobs/sha256/" + sha(ocfg), ocfg),
              ("oci-layout", b'{"imageLayoutVersion":"1.0.0"}'),
              ("index.json", index_of([desc]))]
    agree = list(files)
    cfg_name = [n for n, d in files if d.startswith(b'{"architecture"')
                and d != ocfg][0]
    agree.append(("manifest.json", docker_manifest(
        [(cfg_name, ["blobs/sha256/" + sha(layer)])])))
    write("docker25-agree.tar", tar_members(agree))
    case("docker25-agree", 0, "", "inspect", "docker25-agree.tar")
    files.append(("manifest.json", docker_manifest(
        [("blobs/sha256/" + sha(ocfg), ["blobs/sha256/" + sha(other)])])))
    write("docker25-disagree.tar", tar_members(files))
    write("docker25-agree-b.tar", tar_members(list(reversed(agree))))
    case("docker25-disagree", 2,
         "index.json and manifest.json disagree: manifest.json image 1",
         "diff", "docker25-disagree.tar", "docker25-agree-b.tar")


def two_platforms(second_config):
    """An index of linux/amd64 and linux/arm64, the second with config
    bytes second_config; @return the archive and the second manifest's
    digest."""
    layer = tar(tar_file("a", b"a"))
    files = []
    amd = image(files, [layer])
    arm = image(files, [layer], config=second_config)
    arm["platform"] = {"os": "linux", "architecture": "arm64"}
    files = list(dict(files).items())   # the layer blob once
    files.append(("index.json", index_of([amd, arm])))
    return tar_members(files), arm["digest"]


def manifest_cases():
    # Issue 11 item 15: in an index of many manifests, an error names the
    # manifest that failed, by digest and platform.
    layer = tar(tar_file("a", b"a"))
    data, dg = two_platforms(cjson({"architecture": "arm64", "os": "linux",
                                    "rootfs": {"type": "layers"}}))
    write("index-no-diff-ids.tar", data)
    case("index-config-without-diff-ids", 2, "manifest %s (linux/arm64): "
         "config has no rootfs.diff_ids" % dg[:19], "inspect",
         "index-no-diff-ids.tar")
    data, dg = two_platforms(config_of([layer, layer]))
    write("index-diff-id-count.tar", data)
    case("index-config-diff-id-count", 2, "manifest %s (linux/arm64): "
         "config lists 2 diff_ids but there are 1 layers" % dg[:19],
         "inspect", "index-diff-id-count.tar")
    # A config of the image type with no rootfs at all is no image config
    # (ORAS writes one to give an artifact a platform): listed as an
    # artifact, and the image beside it read.
    data, dg = two_platforms(cjson({"architecture": "arm64", "os": "linux"}))
    write("index-no-rootfs.tar", data)
    case("index-config-without-rootfs", 0, "", "inspect",
         "index-no-rootfs.tar")


def docker_image_cases():
    """Issue 11 item 15: in a docker-archive of many images, an error names
    the image by its place, tag and platform."""
    l1, l2 = tar(tar_file("a", b"a")), tar(tar_file("b", b"b"))
    bad = cjson({"architecture": "arm64", "os": "linux",
                 "rootfs": {"type": "layers"}})
    items = [{"Config": "c1.json", "RepoTags": ["app:1"], "Layers": ["l1.tar"]},
             {"Config": "c2.json", "RepoTags": ["app:2"], "Layers": ["l2.tar"]}]
    write("docker-two-bad.tar", tar_members([
        ("l1.tar", l1), ("l2.tar", l2), ("c1.json", config_of([l1])),
        ("c2.json", bad), ("manifest.json", cjson(items))]))
    case("docker-image-without-diff-ids", 2, "image 2 (app:2, linux/arm64): "
         "config has no rootfs.diff_ids", "inspect", "docker-two-bad.tar")
    items[1]["Layers"] = ["missing.tar"]
    write("docker-two-missing.tar", tar_members([
        ("l1.tar", l1), ("c1.json", config_of([l1])),
        ("c2.json", config_of([l2])), ("manifest.json", cjson(items))]))
    case("docker-image-layer-missing", 2, "image 2 (app:2, linux/amd64): "
         "manifest.json: layer 1 'missing.tar' is missing", "inspect",
         "docker-two-missing.tar")


def input_cases():
    # 9: endless input is read until --max-input (default 64 GiB).
    data = oci_archive([tar(tar_file("etc/hosts", b"x"))])
    good = write("small.tar", data)
    need = "input larger than the limit of 1048576 bytes (--max-input)"
    for cmd in (["inspect"], ["digest"], ["record", "-o", "zero.fp"]):
        case("endless-input-" + cmd[0], 2, need, *cmd, "--max-input", "1M",
             "/dev/zero")
    case("endless-input-diff", 2, need, "diff", "--max-input", "1M",
         good, "/dev/zero")
    size = len(data)
    case("max-input-fits", 0, "", "inspect", "--max-input", str(size), good)
    case("max-input-passed", 2, "input larger than the limit of %d bytes"
         % (size - 1), "inspect", "--max-input", str(size - 1), good)
    case("max-input-bad-size", 2, "--max-input takes a size", "inspect",
         "--max-input", "1X", good)


def main():
    global OUT
    OUT = sys.argv[1]
    os.makedirs(OUT, exist_ok=True)
    fingerprint_cases()
    layer_cases()
    sparse_cases()
    sparse_declared_cases()
    json_cases()
    index_cases()
    manifest_cases()
    docker_image_cases()
    input_cases()
    with open(os.path.join(OUT, "cases"), "w") as f:
        f.write("\n".join(CASES) + "\n")


if __name__ == "__main__":
    main()
