#!/usr/bin/env python3
"""Pack a directory into a one-layer OCI image archive, deterministically.

usage: oci-pack.py DIR OUT.tar CREATED [KEY=VALUE...]

The layer holds DIR's tree in byte order of names, owned by 0:0, with each
file's own mtime (so that a rebuild's times move as a build's would); the
config's `created` is CREATED.  The archive members have mtime 0.  Used by
corpus/causes/make-causes.sh to wrap files made by real tools.

Each KEY=VALUE sets a field of the one history step (created_by, author,
comment) or, as label.NAME=VALUE, a config label: the forms builders
record (BuildKit's "COPY ... # buildkit", kaniko's author, buildah's
io.buildah.version label), for the tests of the builder-fit fix hints.
"""
import gzip
import hashlib
import io
import json
import os
import sys
import tarfile


def layer_tar(root):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        paths = []
        for d, dirs, files in os.walk(root):
            for n in dirs + files:
                paths.append(os.path.relpath(os.path.join(d, n), root))
        for rel in sorted(paths, key=lambda p: p.encode()):
            ti = t.gettarinfo(os.path.join(root, rel), arcname=rel)
            ti.uid = ti.gid = 0
            ti.uname = ti.gname = "root"
            ti.mtime = int(ti.mtime)
            if ti.isreg():
                with open(os.path.join(root, rel), "rb") as f:
                    t.addfile(ti, f)
            else:
                t.addfile(ti)
    return buf.getvalue()


def blob(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def main():
    root, out, created = sys.argv[1], sys.argv[2], sys.argv[3]
    step = {"created": created, "created_by": "COPY rootfs /"}
    runtime = {"Env": ["PATH=/usr/bin:/bin"], "Cmd": ["/bin/sh"]}
    for kv in sys.argv[4:]:
        key, value = kv.split("=", 1)
        if key.startswith("label."):
            runtime.setdefault("Labels", {})[key[6:]] = value
        else:
            step[key] = value
    layer = layer_tar(root)
    gz = gzip.compress(layer, compresslevel=6, mtime=0)
    config = json.dumps({
        "architecture": "amd64", "os": "linux", "created": created,
        "config": runtime,
        "rootfs": {"type": "layers", "diff_ids": [blob(layer)]},
        "history": [step],
    }, sort_keys=True, separators=(",", ":")).encode()
    manifest = json.dumps({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                   "digest": blob(config), "size": len(config)},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                    "digest": blob(gz), "size": len(gz)}],
    }, sort_keys=True, separators=(",", ":")).encode()
    index = json.dumps({
        "schemaVersion": 2,
        "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
                       "digest": blob(manifest), "size": len(manifest)}],
    }, sort_keys=True, separators=(",", ":")).encode()
    members = [("oci-layout", b'{"imageLayoutVersion":"1.0.0"}'),
               ("index.json", index)]
    for data in (manifest, config, gz):
        members.append(("blobs/sha256/" + blob(data)[7:], data))
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as t:
        for name, data in members:
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            ti.mtime = 0
            ti.mode = 0o644
            t.addfile(ti, io.BytesIO(data))


if __name__ == "__main__":
    main()
