#!/usr/bin/env python3
"""tests/oci_swap.py - an image that shares all but its top layer with
another: the layers of one-image OCI archive A but the top one, then the
top layer of B, with a config and manifest made to match, written as an
OCI layout directory (for tests/registry.sh and bench/registry.py).

usage: oci_swap.py A.tar B.tar OUTDIR
"""
import hashlib
import json
import os
import shutil
import sys
import tarfile


def blob_json(d, obj):
    data = json.dumps(obj, separators=(",", ":"), sort_keys=True).encode()
    dig = hashlib.sha256(data).hexdigest()
    with open(os.path.join(d, "blobs", "sha256", dig), "wb") as f:
        f.write(data)
    return dig, len(data)


def read_image(path):
    """The manifest and config of a one-image OCI archive, and the tar."""
    tf = tarfile.open(path)
    index = json.load(tf.extractfile("index.json"))
    mdig = index["manifests"][0]["digest"][7:]
    manifest = json.load(tf.extractfile("blobs/sha256/" + mdig))
    config = json.load(tf.extractfile("blobs/sha256/" + manifest["config"]["digest"][7:]))
    return tf, manifest, config


def top_swapped(a_tar, b_tar, out):
    """An OCI layout: A's layers but the top one, then B's top layer."""
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(os.path.join(out, "blobs", "sha256"))
    ta, ma, ca = read_image(a_tar)
    tb, mb, cb = read_image(b_tar)
    layers = ma["layers"][:-1] + mb["layers"][-1:]
    for i, d in enumerate(layers):
        src = ta if i < len(layers) - 1 else tb
        member = src.getmember("blobs/sha256/" + d["digest"][7:])
        with src.extractfile(member) as f, \
                open(os.path.join(out, "blobs", "sha256", d["digest"][7:]), "wb") as g:
            shutil.copyfileobj(f, g, 1 << 20)
    config = dict(ca)
    config["rootfs"] = {"type": "layers",
                        "diff_ids": ca["rootfs"]["diff_ids"][:-1] + cb["rootfs"]["diff_ids"][-1:]}
    config["created"] = cb.get("created", ca.get("created"))
    if "history" in ca and "history" in cb:
        config["history"] = ca["history"][:-1] + cb["history"][-1:]
    cdig, clen = blob_json(out, config)
    manifest = dict(ma)
    manifest["config"] = dict(ma["config"], digest="sha256:" + cdig, size=clen)
    manifest["layers"] = layers
    mdig, mlen = blob_json(out, manifest)
    with open(os.path.join(out, "oci-layout"), "w") as f:
        f.write('{"imageLayoutVersion":"1.0.0"}')
    with open(os.path.join(out, "index.json"), "w") as f:
        json.dump({"schemaVersion": 2, "manifests": [{
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": "sha256:" + mdig, "size": mlen}]}, f)
    return ma, mb, manifest


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    top_swapped(sys.argv[1], sys.argv[2], sys.argv[3])
