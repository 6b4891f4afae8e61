#!/usr/bin/env python3
"""Copy an OCI image archive with its config's history replaced.

usage: rehistory.py IN.tar OUT.tar STEP...

Each STEP is a created_by string; a STEP starting with "empty:" makes an
empty-layer entry.  The number of non-empty steps must equal the number of
layers.  The config, manifest and index digests are computed anew, so the
result reads like a build that wrote that history (diff --dockerfile tests).
"""
import hashlib
import io
import json
import sys
import tarfile


def blob(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def dump(o):
    return json.dumps(o, sort_keys=True, separators=(",", ":")).encode()


def main():
    src, out, steps = sys.argv[1], sys.argv[2], sys.argv[3:]
    t = tarfile.open(src)
    files = {m.name: t.extractfile(m).read() for m in t.getmembers() if m.isfile()}
    index = json.loads(files["index.json"])
    mdesc = index["manifests"][0]
    man = json.loads(files["blobs/sha256/" + mdesc["digest"][7:]])
    cfg = json.loads(files["blobs/sha256/" + man["config"]["digest"][7:]])
    hist = []
    for s in steps:
        if s.startswith("empty:"):
            hist.append({"created_by": s[6:], "empty_layer": True})
        else:
            hist.append({"created_by": s})
    if sum(1 for h in hist if not h.get("empty_layer")) != len(man["layers"]):
        sys.exit("rehistory.py: steps do not match the layers")
    cfg["history"] = hist
    cdata = dump(cfg)
    man["config"]["digest"], man["config"]["size"] = blob(cdata), len(cdata)
    mdata = dump(man)
    mdesc["digest"], mdesc["size"] = blob(mdata), len(mdata)
    idata = dump(index)
    keep = {"oci-layout": files["oci-layout"], "index.json": idata}
    for l in man["layers"]:
        keep["blobs/sha256/" + l["digest"][7:]] = files["blobs/sha256/" + l["digest"][7:]]
    for d in (cdata, mdata):
        keep["blobs/sha256/" + blob(d)[7:]] = d
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as o:
        for name in sorted(keep):
            ti = tarfile.TarInfo(name)
            ti.size, ti.mtime, ti.mode = len(keep[name]), 0, 0o644
            o.addfile(ti, io.BytesIO(keep[name]))


if __name__ == "__main__":
    main()
