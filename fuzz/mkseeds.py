#!/usr/bin/env python3
"""Write first seeds for the fuzz targets from the corpus and the tests.

usage: python3 fuzz/mkseeds.py OUTDIR

OUTDIR/TARGET/ receives one file per seed.  The read seeds are the corpus
images taken apart into the structure-aware input of fuzz/fuzz.h: each
digest, size and member name in index.json, the manifests and the config
becomes the placeholder the harness fills in, and each layer is stored
uncompressed in its part.  The fingerprint seeds are the header and tables
of corpus/fingerprints.  These seeds start a campaign; what is kept in
fuzz/corpus/ is the campaign's minimised corpus.
"""

import glob
import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile

SEP = b"\n~~part~~\n"
OCI, DOCKER, DOCKER25, BARE, RAW, NESTED = 0, 1, 2, 3, 4, 5
SEED_MAX = 96 * 1024


def sha(b):
    return "sha256:" + hashlib.sha256(b).hexdigest()


def unpack(b):
    """The uncompressed bytes of a stored blob and the compression."""
    if b[:2] == b"\x1f\x8b":
        return gzip.decompress(b), 1
    if b[:4] == b"\x28\xb5\x2f\xfd":
        return subprocess.run(["zstd", "-dcq"], input=b, check=True,
                              capture_output=True).stdout, 2
    return b, 0


def members(path):
    out, links = {}, {}
    with tarfile.open(path) as t:
        for m in t.getmembers():
            name = os.path.normpath(m.name).lstrip("/")
            if m.isfile():
                out[name] = t.extractfile(m).read()
            elif m.issym():
                links[name] = os.path.normpath(
                    os.path.join(os.path.dirname(name), m.linkname))
    for k, v in links.items():
        if v in out:
            out[k] = out[v]
    return out


def template(doc, tokens):
    """doc with every known digest (and its size) as placeholders."""
    sizes = {}

    def walk(o):
        if isinstance(o, dict):
            d = o.get("digest")
            if isinstance(d, str) and d in tokens:
                o["digest"] = tokens[d][0]
                if "size" in o:
                    o["size"] = "@@%s@@" % tokens[d][1]
                    sizes['"@@%s@@"' % tokens[d][1]] = tokens[d][1]
            for k, v in list(o.items()):
                if isinstance(v, str) and v in tokens:
                    o[k] = tokens[v][0]
                else:
                    walk(v)
        elif isinstance(o, list):
            for i, v in enumerate(o):
                if isinstance(v, str) and v in tokens:
                    o[i] = tokens[v][0]
                else:
                    walk(v)
    walk(doc)
    s = json.dumps(doc, separators=(",", ":"))
    for k, v in sizes.items():
        s = s.replace(k, v)
    return s.encode()


def seed_image(path):
    m = members(path)
    parts = [b""] * 5
    if "index.json" not in m and "manifest.json" not in m:
        return None
    layout = DOCKER25 if "index.json" in m and "manifest.json" in m else \
        OCI if "index.json" in m else DOCKER
    tokens, layers, comp = {}, [], 0
    nested = None

    def blob(d):
        return m.get("blobs/sha256/" + d.split(":")[-1])

    if layout == DOCKER:
        dm = json.loads(m["manifest.json"])[0]
        cfg_name, layer_names = dm["Config"], dm["Layers"]
        cfg = m[cfg_name]
        stored = [m[n] for n in layer_names]
    else:
        idx = json.loads(m["index.json"])
        d = idx["manifests"][0]["digest"]
        man = json.loads(blob(d))
        if "manifests" in man:
            nested, d = blob(d), man["manifests"][0]["digest"]
            man = json.loads(blob(d))
            layout = NESTED
        cfg = blob(man["config"]["digest"])
        stored = [blob(l["digest"]) for l in man["layers"]]
    if len(stored) > 8 or any(s is None for s in stored):
        return None
    for i, s in enumerate(stored):
        u, c = unpack(s)
        if i > 0 and c != comp:
            return None     # one compression for every layer
        comp = c
        layers.append(u)
        tokens[sha(s)] = ("$L%d" % i, "$S%d" % i)
        tokens[sha(u)] = ("$D%d" % i, "$S%d" % i)
        if layout in (DOCKER, DOCKER25):
            tokens[layer_names[i] if layout == DOCKER else
                   "blobs/sha256/" + sha(s)[7:]] = ("$P%d" % i, "")
    parts[3] = template(json.loads(cfg), tokens)
    tokens[sha(cfg)] = ("$C", "$c")
    tokens[cfg_name if layout == DOCKER else
           "blobs/sha256/" + sha(cfg)[7:]] = ("$PC", "")
    if layout != DOCKER:
        parts[1] = template(man, tokens)
        tokens[sha(blob(d))] = ("$M", "$m")
        if nested is not None:
            parts[4] = template(json.loads(nested), tokens)
            tokens[sha(nested)] = ("$I", "$i")
        parts[0] = template(idx, tokens)
    if layout in (DOCKER, DOCKER25):
        parts[2] = template(json.loads(m["manifest.json"]), tokens)
    with open(path, "rb") as f:
        wrapper = f.read(2) == b"\x1f\x8b"
    head = bytes([layout | (1 << 3 if wrapper else 0) | comp << 5])
    return head + SEP.join(parts + layers)


def main():
    out = sys.argv[1]
    for t in ("read", "fp", "policy", "lint", "causes"):
        os.makedirs(os.path.join(out, t), exist_ok=True)

    def put(target, name, data):
        if len(data) <= SEED_MAX:
            with open(os.path.join(out, target, name), "wb") as f:
                f.write(data)

    for p in sorted(glob.glob("corpus/*/*.tar") + glob.glob("corpus/*/*.tar.gz")):
        name = os.path.basename(p)
        try:
            s = seed_image(p)
        except (KeyError, ValueError, IndexError, TypeError,
                tarfile.TarError):
            s = None
        if s is not None:
            put("read", name, s)
        with open(p, "rb") as f:
            raw = f.read()
        if len(raw) <= 32 * 1024:
            put("read", name + ".raw", bytes([RAW]) + raw)
    put("read", "bare.tar", bytes([BARE]) + SEP * 5 +
        open("corpus/fixtures/regclient-layer-whiteout.tar", "rb").read())

    for p in sorted(glob.glob("corpus/fingerprints/*.fp")):
        with open(p, "rb") as f:
            z = f.read()[16:]
        plain = subprocess.run(["zstd", "-dcq"], input=z, check=True,
                               capture_output=True).stdout
        n = shift = i = 0
        while True:
            n |= (plain[i] & 0x7f) << shift
            shift += 7
            i += 1
            if plain[i - 1] < 0x80:
                break
        put("fp", os.path.basename(p), plain[i:i + n] + SEP +
            plain[i + n:-32])

    put("policy", "example.json", json.dumps({
        "require": "dependency-equivalent", "ignore": ["ordering"],
        "exclude": ["var/log/**", "var/cache/apt/**", "etc/ld.so.cache"],
        "volatile": "report", "platform": "linux/amd64",
        "max_examples": 10}).encode())
    put("policy", "small.json", b'{"volatile":"ignore","exclude":["*.pyc"]}')

    for p in sorted(glob.glob("tests/lint/*/*.Dockerfile") +
                    glob.glob("tests/lint/*.Dockerfile")):
        put("lint", p.split("/")[-2] + "-" + os.path.basename(p),
            open(p, "rb").read())

    # The provers: the same path in two builds (corpus/causes/*-a, -b).
    for a in sorted(glob.glob("corpus/causes/*-a.tar")):
        files = []
        for p in (a, a[:-6] + "-b.tar"):
            m = members(p)
            got = {}
            for k, v in m.items():
                if not k.startswith("blobs/"):
                    continue
                u, _ = unpack(v)
                try:
                    with tarfile.open(fileobj=io.BytesIO(u)) as t:
                        for e in t.getmembers():
                            if e.isfile():
                                got[e.name] = t.extractfile(e).read()
                except tarfile.TarError:
                    pass
            files.append(got)
        for k in sorted(set(files[0]) & set(files[1])):
            x, y = files[0][k], files[1][k]
            if x == y:
                continue
            base = os.path.basename(k)
            if len(x) == len(y):
                patch = b"".join(bytes([i & 0xff, i >> 8, y[i]])
                                 for i in range(len(x)) if x[i] != y[i])
                put("causes", base, bytes([0x80 | 3]) + x + SEP + patch)
            else:
                put("causes", base, bytes([3, 256 * len(x) //
                                           (len(x) + len(y))]) + x + y)


if __name__ == "__main__":
    main()
