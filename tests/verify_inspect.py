#!/usr/bin/env python3
"""Check `imgdrift inspect --format json` against an independent reading.

The archive is unpacked with GNU tar; each layer's stored bytes are hashed
with sha256sum's algorithm (hashlib), decompressed with the gzip, zstd, xz
and bzip2 command line tools, hashed again, and listed with GNU tar.  Every
digest, diff_id, size and entry count that imgdrift printed must match.

The framing is read independently too: manifest.json (keys in any case, the
last match winning, as docker load reads them) names each image's config
file and layer count; index.json is walked (nested indexes included) for
the manifests it lists, each printed as an image, an attestation or a
listed entry (absent ones truly absent); each manifest names its config and
layers, and each config's rootfs.diff_ids must be the diff_ids printed.

usage: verify_inspect.py ARCHIVE_OR_DIR INSPECT_JSON
       verify_inspect.py --list FILE   (lines ARCHIVE_OR_DIR<TAB>INSPECT_JSON)
"""
import hashlib
import json
import os
import subprocess
import sys
import tempfile


def sha(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return "sha256:" + h.hexdigest()


def uncompressed(path):
    with open(path, "rb") as f:
        magic = f.read(4)
    if magic[:2] == b"\x1f\x8b":
        return subprocess.run(["gzip", "-dc", path], check=True,
                              capture_output=True).stdout
    if magic == b"\x28\xb5\x2f\xfd":
        return subprocess.run(["zstd", "-dcq", path], check=True,
                              capture_output=True).stdout
    if magic == b"\xfd7zX":
        return subprocess.run(["xz", "-dc", path], check=True,
                              capture_output=True).stdout
    if magic[:3] == b"BZh":
        return subprocess.run(["bzip2", "-dc", path], check=True,
                              capture_output=True).stdout
    with open(path, "rb") as f:
        return f.read()


def resolve(root, name):
    """Follow wrapper symlinks (docker save's layer.tar links)."""
    p = os.path.join(root, name)
    return os.path.realpath(p)


def key(obj, name):
    """obj[name] with the key in any case, the last match winning."""
    val = None
    for k, v in obj.items():
        if k.lower() == name.lower():
            val = v
    return val


def layer_files(root):
    """Map digest -> file for OCI blobs, and manifest.json's images as
    (config file, [layer files])."""
    blobs = {}
    bdir = os.path.join(root, "blobs", "sha256")
    if os.path.isdir(bdir):
        for n in os.listdir(bdir):
            blobs["sha256:" + n] = os.path.join(bdir, n)
    docker = []
    mpath = os.path.join(root, "manifest.json")
    if os.path.exists(mpath):
        with open(mpath) as f:
            for item in json.load(f) or []:
                docker.append((resolve(root, key(item, "Config")),
                               [resolve(root, l) for l in key(item, "Layers")]))
    return blobs, docker


INDEX_TYPES = ("application/vnd.oci.image.index.v1+json",
               "application/vnd.docker.distribution.manifest.list.v2+json")


def index_leaves(blobs, path, out):
    """What an index lists, nested indexes that are present walked: the
    digests of the manifests, and of the indexes the archive lacks."""
    with open(path) as f:
        idx = json.load(f)
    for d in idx.get("manifests") or []:
        if d.get("mediaType") in INDEX_TYPES and d["digest"] in blobs:
            index_leaves(blobs, blobs[d["digest"]], out)
        else:
            out.add(d["digest"])
    return out


def check_index(root, rep, blobs, errors):
    """Every manifest index.json lists is printed as an image, an
    attestation or a listed entry (absent, signature, artifact...), and
    nothing else is; what is said present is there, what is said absent is
    not; the image index digest is index.json's or an index it lists."""
    path = os.path.join(root, "index.json")
    if not os.path.exists(path):
        if rep.get("image_index_digest") is not None:
            errors.append("an image index digest, and no index.json")
        return
    want = index_leaves(blobs, path, set())
    listed = rep.get("listed") or []
    got = {im["manifest_digest"] for im in rep["images"]}
    got |= {a["digest"] for a in rep["attestations"]}
    got |= {l["digest"] for l in listed}
    if rep["format"] == "docker-archive+oci":
        want |= got  # manifest.json may name images that index.json omits
    if want != got:
        errors.append(f"printed {sorted(got)}, index.json lists {sorted(want)}")
    for l in listed:
        if l["present"] != (l["digest"] in blobs):
            errors.append(f"{l['digest']}: present is {l['present']}")
        elif l["present"] and sha(blobs[l["digest"]]) != l["digest"]:
            errors.append(f"{l['digest']}: digest differs")
    iid = rep.get("image_index_digest")
    with open(path) as f:
        tops = {d["digest"] for d in json.load(f).get("manifests") or []
                if d.get("mediaType") in INDEX_TYPES}
    if iid is not None and iid != sha(path) and iid not in tops:
        errors.append(f"image index digest {iid} is neither index.json's nor an index it lists")
    if iid in blobs and sha(blobs[iid]) != iid:
        errors.append("image index digest differs")


def diff_ids(path):
    with open(path) as f:
        return (json.load(f).get("rootfs") or {}).get("diff_ids")


def entries(data):
    r = subprocess.run(["tar", "-tf", "-"], input=data, check=True,
                       capture_output=True)
    return len([l for l in r.stdout.split(b"\n") if l])


def check_framing(i, im, fmt, blobs, docker, errors):
    """The config, manifest and diff_ids printed for image i, against the
    files that frame it."""
    cfg, md = im["config_digest"], im["manifest_digest"]
    layers = im["layers"]
    if fmt == "layer-tar":
        return
    if md is not None:
        if md not in blobs or sha(blobs[md]) != md:
            errors.append(f"image {i}: manifest digest differs")
            return
        with open(blobs[md]) as f:
            m = json.load(f)
        if m["config"]["digest"] != cfg:
            errors.append(f"image {i}: config is not the manifest's")
        if [l["digest"] for l in m.get("layers") or []] != \
                [l["digest"] for l in layers]:
            errors.append(f"image {i}: layers are not the manifest's")
    if cfg in blobs:
        cfile = blobs[cfg]
    elif md is None and i < len(docker):
        cfile = docker[i][0]
        if len(docker[i][1]) != len(layers):
            errors.append(f"image {i}: {len(layers)} layers, manifest.json lists {len(docker[i][1])}")
    else:
        errors.append(f"image {i}: config {cfg} not found")
        return
    if sha(cfile) != cfg:
        errors.append(f"image {i}: config digest differs")
    elif (diff_ids(cfile) or []) != [l["diff_id"] for l in layers]:
        errors.append(f"image {i}: diff_ids are not the config's rootfs.diff_ids")


def verify(src, report):
    """The errors found in one archive's report."""
    with open(report) as f:
        rep = json.load(f)
    errors = []
    with tempfile.TemporaryDirectory(dir=os.environ.get("TESTTMP")) as tmp:
        if os.path.isdir(src):
            root = src
        else:
            subprocess.run(["tar", "-xf", src, "-C", tmp], check=True)
            root = tmp
            if rep["input_sha256"] != sha(src):
                errors.append("input_sha256 differs")
        blobs, docker = layer_files(root)
        if rep["format"] != "layer-tar":
            check_index(root, rep, blobs, errors)
        for i, im in enumerate(rep["images"]):
            check_framing(i, im, rep["format"], blobs, docker, errors)
            for j, l in enumerate(im["layers"]):
                if not l["present"]:
                    if l["digest"] in blobs:
                        errors.append(f"image {i} layer {j}: said absent, is there")
                    continue
                if rep["format"] == "layer-tar":
                    path = src
                elif l["digest"] in blobs:
                    path = blobs[l["digest"]]
                elif i < len(docker):
                    path = docker[i][1][j]
                else:
                    errors.append(f"image {i} layer {j}: no file found")
                    continue
                if sha(path) != l["digest"]:
                    errors.append(f"image {i} layer {j}: digest differs")
                if os.path.getsize(path) != l["size"]:
                    errors.append(f"image {i} layer {j}: size differs")
                data = uncompressed(path)
                d = "sha256:" + hashlib.sha256(data).hexdigest()
                if d != l["diff_id"]:
                    errors.append(f"image {i} layer {j}: diff_id differs")
                if len(data) != l["uncompressed_size"]:
                    errors.append(f"image {i} layer {j}: uncompressed size differs")
                n = entries(data)
                if n != l["entries"]:
                    errors.append(f"image {i} layer {j}: {l['entries']} entries, GNU tar lists {n}")
    return errors


def main():
    if sys.argv[1] == "--list":
        with open(sys.argv[2]) as f:
            jobs = [l.rstrip("\n").split("\t") for l in f if l.strip()]
    else:
        jobs = [sys.argv[1:3]]
    failed = False
    for src, report in jobs:
        for e in verify(src, report):
            print(f"{src}: {e}", file=sys.stderr)
            failed = True
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
