#!/usr/bin/env python3
"""Check `imgdrift inspect --format json` against an independent reading.

The archive is unpacked with GNU tar; each layer's stored bytes are hashed
with sha256sum's algorithm (hashlib), decompressed with the gzip, zstd, xz
and bzip2 command line tools, hashed again, and listed with GNU tar.  Every digest, diff_id,
size and entry count that imgdrift printed must match.

usage: verify_inspect.py ARCHIVE_OR_DIR INSPECT_JSON
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


def layer_files(root):
    """Map digest -> file for OCI blobs, and the ordered docker Layers."""
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
                docker.append([resolve(root, l) for l in item["Layers"]])
    return blobs, docker


def entries(data):
    r = subprocess.run(["tar", "-tf", "-"], input=data, check=True,
                       capture_output=True)
    return len([l for l in r.stdout.split(b"\n") if l])


def main():
    src, report = sys.argv[1], sys.argv[2]
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
        for i, im in enumerate(rep["images"]):
            for j, l in enumerate(im["layers"]):
                if rep["format"] == "layer-tar":
                    path = src
                elif l["digest"] in blobs:
                    path = blobs[l["digest"]]
                elif i < len(docker):
                    path = docker[i][j]
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
            cfg = im["config_digest"]
            if cfg is not None and cfg in blobs and sha(blobs[cfg]) != cfg:
                errors.append(f"image {i}: config digest differs")
            md = im["manifest_digest"]
            if md is not None and sha(blobs[md]) != md:
                errors.append(f"image {i}: manifest digest differs")
    for e in errors:
        print(f"{src}: {e}", file=sys.stderr)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
