#!/usr/bin/env python3
"""bench/gen.py - write the benchmark workloads: pairs of OCI image archives.

    python3 bench/gen.py OUTDIR SCALE WORKLOAD...

WORKLOAD is one of a b c d e e0 f f0 small (see docs/performance.md).  SCALE scales
byte counts and file counts (1.0 is the full size).  Everything is made from
a fixed seed, so the same SCALE gives the same bytes on every run.  For each
workload W it writes OUTDIR/W/A.tar and OUTDIR/W/B.tar (the build and its
rebuild), the layer blobs of each under OUTDIR/W/A/ and OUTDIR/W/B/ (the
reference pipelines read those), and OUTDIR/W/info.json (entries, layers,
bytes).  A workload already present with the same SCALE is kept.

Compression is done by the command-line tools (pigz -n, zstd), as a build
system would, so that the layers look like the ones people diff.
"""

import hashlib
import io
import itertools
import json
import os
import random
import shutil
import subprocess
import sys
import tarfile

SEED = 20240611
EPOCH = 1700000000          # every mtime of build A
DRIFT = 86400               # build B's drifted mtimes are a day later
POOL = 32 << 20             # bytes in each content pool
CHUNK = 64 << 10


def make_pools():
    """A text-like pool (source, config, docs: words of a Zipf
    vocabulary) and an incompressible one
    (compressed assets, stripped binaries).  Fixed seed."""
    rnd = random.Random(SEED)
    letters = "abcdefghijklmnopqrstuvwxyz_"
    words = ["".join(rnd.choice(letters) for _ in range(rnd.randint(2, 11)))
             for _ in range(6000)]
    zipf = list(itertools.accumulate(1 / (i + 1) for i in range(len(words))))
    seps = [" ", " ", " ", " ", ", ", "(", ")", ";\n", "\n    ", " = ",
            ".", "\n"]
    parts = []
    size = 0
    while size < POOL:
        ws = rnd.choices(words, cum_weights=zipf, k=4096)
        ss = rnd.choices(seps, k=4096)
        piece = "".join(w + s for w, s in zip(ws, ss)).encode()
        parts.append(piece)
        size += len(piece)
    text = b"".join(parts)[:POOL]
    binary = rnd.randbytes(POOL)
    return text, binary


class Content(io.RawIOBase):
    """size bytes of a file's content, drawn from the pools by its own
    seed, read in chunks (so a 2 GiB file never sits in memory)."""

    def __init__(self, pools, seed, size, binary_share, flip=None):
        super().__init__()
        self.rnd = random.Random(seed)
        self.pools = pools
        self.left = size
        self.pos = 0
        self.binary_share = binary_share
        self.flip = flip            # offset of a byte to change (build B)

    def readable(self):
        return True

    def _piece(self, n):
        pool = self.pools[1] if self.rnd.random() < self.binary_share \
            else self.pools[0]
        off = self.rnd.randrange(0, POOL - n)
        return pool[off:off + n]

    def read(self, n=-1):
        if n is None or n < 0:
            n = self.left
        n = min(n, self.left)
        out = []
        got = 0
        while got < n:
            piece = self._piece(min(CHUNK, n - got))
            out.append(piece)
            got += len(piece)
        data = b"".join(out)
        if self.flip is not None and self.pos <= self.flip < self.pos + n:
            i = self.flip - self.pos
            data = data[:i] + bytes([data[i] ^ 0x5a]) + data[i + 1:]
        self.left -= n
        self.pos += n
        return data


def file_sizes(rnd, count, total):
    """count sizes, log-normal like a real root file system, scaled to
    about total bytes; a few files of several MiB carry much of it."""
    raw = [min(rnd.lognormvariate(8.0, 2.3), 96 << 20) for _ in range(count)]
    k = total / sum(raw)
    return [max(0, int(s * k)) for s in raw]


def tree_paths(rnd, count, tiny):
    """count file paths under a directory tree; node_modules-like if tiny."""
    if tiny:
        tops = ["app/node_modules/%s%s" % (rnd.choice(["", "@scope%d/" % i]),
                                           "pkg%05d" % i)
                for i in range(max(1, count // 25))]
        subs = ["", "lib/", "dist/", "src/", "test/", "lib/util/"]
        names = ["index.js", "package.json", "README.md", "LICENSE",
                 "util.js", "types.d.ts", "main.js", "cli.js", "map.js.map"]
    else:
        tops = ["usr/lib/%s" % w for w in ("python3", "x86_64-linux-gnu",
                "jvm", "node", "ruby", "gcc", "locale", "share")] + \
               ["opt/app/%s" % w for w in ("lib", "bin", "static", "vendor",
                "config", "data")] + ["etc", "usr/bin", "usr/share/doc"]
        subs = ["", "a/", "b/", "core/", "tests/", "plugins/x/", "i18n/"]
        names = None
    paths = []
    seen = set()
    i = 0
    while len(paths) < count:
        top = rnd.choice(tops)
        sub = rnd.choice(subs)
        if names is not None:
            leaf = rnd.choice(names)
        else:
            leaf = "f%06d%s" % (i, rnd.choice([".py", ".so", ".txt", ".json",
                                               ".png", "", ".jar", ".h"]))
        p = top + "/" + sub + leaf
        i += 1
        if p in seen:
            p = top + "/" + sub + "n%07d-" % i + leaf
        seen.add(p)
        paths.append(p)
    return paths


def package_json(name, version, size):
    """A package.json of about size bytes, as npm installs it."""
    doc = {"name": name, "version": version, "main": "lib/index.js",
           "license": "MIT", "description": "",
           "dependencies": {"dep-%d" % i: "^1.%d.0" % i for i in range(4)}}
    doc["description"] = "x" * max(0, size - len(json.dumps(doc)))
    return json.dumps(doc, indent=2).encode()


def plan_packages(name, rnd, scale):
    """(f): an app's node_modules, 100,000 files in 1,500 packages (a
    tenth nested in another, a fifth scoped), each with a real
    package.json; f0 is the same tree with every package.json renamed, so
    that imgdrift on f0 is imgdrift without the package view."""
    count = max(200, int(100000 * scale))
    npkg = max(10, int(1500 * scale))
    dirs = []
    for i in range(npkg):
        pkg = ("@scope%d/" % (i % 7) if i % 5 == 0 else "") + "pkg%05d" % i
        if i % 10 == 9:
            dirs.append((dirs[rnd.randrange(len(dirs))][0] +
                         "/node_modules/" + pkg, pkg))
        else:
            dirs.append(("app/node_modules/" + pkg, pkg))
    manifest = "package.json" if name == "f" else "package.jsob"
    files = []
    for i, (d, pkg) in enumerate(dirs):
        data = package_json(pkg, "1.%d.%d" % (i % 13, i % 7),
                            int(rnd.lognormvariate(6.3, 0.5)))
        files.append((d + "/" + manifest, len(data), 0.0, i + 1, data))
    subs = ["", "lib/", "dist/", "src/", "test/", "lib/util/"]
    leaves = ["index.js", "README.md", "LICENSE", "util.js", "types.d.ts",
              "main.js", "cli.js", "map.js.map"]
    k = 0
    while len(files) < count:
        d = dirs[rnd.randrange(npkg)][0]
        p = "%s/%s%s-%d" % (d, rnd.choice(subs), rnd.choice(leaves), k)
        files.append((p, int(rnd.lognormvariate(6.3, 1.0)), 0.0,
                      npkg + k + 1))
        k += 1
    files.sort(key=lambda f: f[0])
    half = len(files) // 2
    return [files[:half], files[half:]]


# Workloads read as one image (inspect, record, diff FINGERPRINT B): (a)'s
# kind of data, split by file count.  g: one layer with about 90 % of the
# bytes; l1 to l64: the layer-count sweep, the same total in equal layers.
ONE_IMAGE = {"g": [0.90, 0.05, 0.03, 0.02],
             "l1": [1.0], "l4": [0.25] * 4, "l16": [1 / 16] * 16,
             "l64": [1 / 64] * 64}


def plan(name, scale):
    """The files of a workload: a list of layers, each a list of
    (path, size, binary_share, seed)."""
    rnd = random.Random("%s-%d" % (raw_of(name), SEED))
    if name in ("a", "b", "c", "small") or name in ONE_IMAGE:
        count = max(40, int(20000 * scale))
        total = int((1 << 30) * scale)
        sizes = file_sizes(rnd, count, total)
        paths = tree_paths(rnd, count, False)
        shares = [rnd.choice([0.0, 0.0, 0.0, 0.1, 0.2, 0.5]) for _ in range(count)]
        split = ONE_IMAGE.get(name, [0.45, 0.30, 0.15, 0.10])
    elif name == "d":
        count = max(100, int(200000 * scale))
        sizes = [int(rnd.lognormvariate(6.3, 1.0)) for _ in range(count)]
        paths = tree_paths(rnd, count, True)
        shares = [0.0] * count
        split = [0.5, 0.5]
    elif name in ("f", "f0"):
        return plan_packages(name, rnd, scale)
    elif name in ("e", "e0"):
        size = int((2 << 30) * scale) if name == "e" else 1024
        return [[("data/blob.bin", size, 0.3, 7)]]
    else:
        raise SystemExit("gen: unknown workload '%s'" % name)
    layers = []
    at = 0
    for k, frac in enumerate(split):
        n = int(round(frac * count)) if k < len(split) - 1 else count - at
        layers.append([(paths[i], sizes[i], shares[i], i + 1)
                       for i in range(at, at + n)])
        at += n
    return layers


def drifted(name):
    """Build B: which files get a later mtime, and the one whose content
    changes (layer, index, offset)."""
    return random.Random("drift-%s-%d" % (raw_of(name), SEED))


def write_layer(path, pools, files, build_b, rnd_b, change):
    """Write one uncompressed layer tar; @return entries written."""
    dirs = set()
    entries = 0
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tf:
        for idx, f in enumerate(files):
            p, size, share, seed = f[:4]
            parts = p.split("/")
            for k in range(1, len(parts)):
                d = "/".join(parts[:k])
                if d not in dirs:
                    dirs.add(d)
                    ti = tarfile.TarInfo(d)
                    ti.type = tarfile.DIRTYPE
                    ti.mode = 0o755
                    ti.mtime = EPOCH
                    tf.addfile(ti)
                    entries += 1
            ti = tarfile.TarInfo(p)
            ti.size = size
            ti.mode = 0o755 if p.endswith(".so") or "." not in parts[-1] \
                else 0o644
            ti.mtime = EPOCH
            flip = None
            if build_b:
                if rnd_b.random() < 1 / 3:
                    ti.mtime = EPOCH + DRIFT
                if change == idx:
                    flip = size // 2
            tf.addfile(ti, io.BytesIO(f[4]) if len(f) > 4 else
                       Content(pools, seed, size, share, flip))
            entries += 1
    return entries


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while True:
            b = f.read(1 << 20)
            if not b:
                break
            h.update(b)
    return h.hexdigest()


def compress(src, dst, comp):
    """Compress src into dst with the command-line tool, as a build
    system would; @return the path written."""
    if comp == "none":
        shutil.copyfile(src, dst)
        return dst
    if comp == "gzip":
        dst += ".gz"
        cmd = ["pigz", "-6", "-n", "-c", src]
    else:
        dst += ".zst"
        cmd = ["zstd", "-3", "-q", "-c", src]
    with open(dst, "wb") as out:
        subprocess.run(cmd, stdout=out, check=True)
    return dst


MT = {"none": "application/vnd.oci.image.layer.v1.tar",
      "gzip": "application/vnd.oci.image.layer.v1.tar+gzip",
      "zstd": "application/vnd.oci.image.layer.v1.tar+zstd"}


def json_blob(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()


def build_image(wdir, rawdir, side, name, layers, pools, comp):
    """Write wdir/side/ (layer blobs) and wdir/side.tar, from the raw
    layer tars in rawdir/side/ (written first if missing); @return the
    entry count and the blob names."""
    bdir = os.path.join(wdir, side)
    rdir = os.path.join(rawdir, side)
    os.makedirs(bdir, exist_ok=True)
    os.makedirs(rdir, exist_ok=True)
    build_b = side == "B"
    rnd_b = drifted(name)
    # The one content change: a mid-size file of the largest layer.
    big = max(range(len(layers)), key=lambda i: len(layers[i]))
    cands = [i for i, f in enumerate(layers[big])
             if f[1] >= 4096 and len(f) == 4] or [0]
    change = cands[len(cands) // 2] if name not in ("e", "e0") else 0
    diff_ids, descs, entries = [], [], 0
    for li, files in enumerate(layers):
        raw = os.path.join(rdir, "layer%d.tar" % li)
        cnt = raw + ".entries"
        if not os.path.exists(cnt):
            n = write_layer(raw, pools, files, build_b, rnd_b,
                            change if li == big else None)
            with open(cnt, "w") as f:
                f.write("%d\n" % n)
        with open(cnt) as f:
            entries += int(f.read())
        diff_ids.append("sha256:" + sha256_file(raw))
        blob = compress(raw, os.path.join(bdir, "layer%d.tar" % li), comp)
        descs.append({"mediaType": MT[comp], "size": os.path.getsize(blob),
                      "digest": "sha256:" + sha256_file(blob),
                      "path": blob})
    created = "2024-06-11T00:00:00Z" if not build_b else "2024-06-12T00:00:00Z"
    config = json_blob({
        "architecture": "amd64", "os": "linux", "created": created,
        "config": {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/bin"],
                   "Cmd": ["/opt/app/bin/app"], "WorkingDir": "/opt/app"},
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": [{"created": created, "created_by": "layer %d" % i}
                    for i in range(len(layers))]})
    cdig = hashlib.sha256(config).hexdigest()
    manifest = json_blob({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                   "size": len(config), "digest": "sha256:" + cdig},
        "layers": [{k: d[k] for k in ("mediaType", "size", "digest")}
                   for d in descs]})
    mdig = hashlib.sha256(manifest).hexdigest()
    index = json_blob({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
                       "size": len(manifest), "digest": "sha256:" + mdig,
                       "annotations": {"org.opencontainers.image.ref.name":
                                       "bench"}}]})
    out = os.path.join(wdir, side + ".tar")
    with tarfile.open(out + ".tmp", "w", format=tarfile.PAX_FORMAT) as tf:
        def add_bytes(n, data):
            ti = tarfile.TarInfo(n)
            ti.size = len(data)
            ti.mtime = EPOCH
            tf.addfile(ti, io.BytesIO(data))
        add_bytes("oci-layout", b'{"imageLayoutVersion":"1.0.0"}')
        add_bytes("index.json", index)
        add_bytes("blobs/sha256/" + mdig, manifest)
        add_bytes("blobs/sha256/" + cdig, config)
        for d in descs:
            ti = tarfile.TarInfo("blobs/sha256/" + d["digest"][7:])
            ti.size = d["size"]
            ti.mtime = EPOCH
            with open(d["path"], "rb") as f:
                tf.addfile(ti, f)
    os.replace(out + ".tmp", out)
    return entries, [os.path.basename(d["path"]) for d in descs]


def raw_of(name):
    return "abc" if name in ("a", "b", "c") else name


def generate(outdir, scale, name, pools):
    comp = {"a": "gzip", "small": "gzip", "b": "none", "c": "zstd",
            "d": "none", "e": "gzip", "e0": "gzip", "f": "none",
            "f0": "none"}.get(name, "gzip")
    wdir = os.path.join(outdir, name)
    stamp = os.path.join(wdir, "info.json")
    if os.path.exists(stamp):
        with open(stamp) as f:
            if json.load(f).get("scale") == scale:
                return False
    shutil.rmtree(wdir, ignore_errors=True)
    os.makedirs(wdir)
    # a, b and c are one pair of layer tars, compressed three ways.
    rawdir = os.path.join(outdir, "raw-" + raw_of(name))
    rstamp = os.path.join(rawdir, "scale")
    if not os.path.exists(rstamp) or open(rstamp).read() != repr(scale):
        shutil.rmtree(rawdir, ignore_errors=True)
        os.makedirs(rawdir)
        with open(rstamp, "w") as f:
            f.write(repr(scale))
    layers = plan(name, scale)
    info = {"scale": scale, "workload": name, "compression": comp}
    for side in ("A", "B"):
        n, blobs = build_image(wdir, rawdir, side, name, layers, pools, comp)
        info["entries_" + side] = n
        info["layers_" + side] = blobs
        info["bytes_" + side] = os.path.getsize(os.path.join(wdir, side + ".tar"))
    info["files"] = sum(len(x) for x in layers)
    info["file_bytes"] = sum(f[1] for x in layers for f in x)
    with open(stamp, "w") as f:
        json.dump(info, f, indent=1, sort_keys=True)
    return True


def main(argv):
    if len(argv) < 4:
        raise SystemExit(__doc__)
    outdir, scale = argv[1], float(argv[2])
    pools = None
    names = argv[3:]
    for name in names:
        if pools is None:
            pools = make_pools()
        sys.stderr.write("gen: workload %s (scale %g)\n" % (name, scale))
        if not generate(outdir, scale, name, pools):
            sys.stderr.write("gen: %s is up to date\n" % name)
    # The raw layer tars are only needed while their workloads are made.
    for raw in set(raw_of(n) for n in names):
        shutil.rmtree(os.path.join(outdir, "raw-" + raw), ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv)
