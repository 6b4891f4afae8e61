#!/usr/bin/env python3
"""Write the smallest inputs of the shapes real tools write that no public
test data we found has: partial multi-platform saves, OCI layouts that
lack blobs, images with cosign signatures and OCI artifacts beside them,
and multi-image docker-archives.  Every digest is computed here.

usage: gen.py OUTDIR  (corpus/synthetic holds its output)

  partial-amd64.tar  Docker 25+ (containerd store) save: index.json -> an
                     index of three platforms and their attestations; only
                     linux/amd64's manifest, config and layer are in it
  partial-arm64.tar  the same index; only linux/arm64 is in it
  partial-both.tar   the same index; linux/amd64 and linux/arm64 are in it
  partial-arm64-v2.tar  another index (linux/arm/v7 rebuilt); only
                     linux/arm64 is in it
  sparse.tar         oci-archive whose layer 1 blob is not in the archive
  sparse-full.tar    the same image with every blob
  sparse-other.tar   layer 1 absent too; layer 2 whites out a file of it
  signed.tar         oci-archive: an image, its cosign .sig and .att
                     manifests and an OCI artifact whose subject it is
  unsigned.tar       the same image alone
  two-ab.tar         docker save a:1 b:1
  two-ba.tar         docker save b:1 a:1 (other order, the same images)
  two-b.tar          docker save b:1
"""
import hashlib
import json
import os
import sys

MT_INDEX = "application/vnd.oci.image.index.v1+json"
MT_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MT_CONFIG = "application/vnd.oci.image.config.v1+json"
MT_LAYER = "application/vnd.oci.image.layer.v1.tar"
MT_SIMPLESIGNING = "application/vnd.dev.cosign.simplesigning.v1+json"
MT_DSSE = "application/vnd.dsse.envelope.v1+json"
MT_EMPTY = "application/vnd.oci.empty.v1+json"


def cjson(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()


def sha(data):
    return hashlib.sha256(data).hexdigest()


def octal(v, width):
    return ("%0*o" % (width - 1, v)).encode() + b"\0"


def tar_file(name, data=b""):
    h = bytearray(512)
    h[0:len(name)] = name.encode()
    h[100:108] = octal(0o644, 8)
    h[108:116] = octal(0, 8)
    h[116:124] = octal(0, 8)
    h[124:136] = octal(len(data), 12)
    h[136:148] = octal(0, 12)
    h[148:156] = b" " * 8
    h[156:157] = b"0"
    h[257:265] = b"ustar\x0000"
    h[148:156] = ("%06o\0 " % sum(h)).encode()
    return bytes(h) + data + b"\0" * (-len(data) % 512)


def tar(files):
    return b"".join(tar_file(n, d) for n, d in files) + b"\0" * 1024


class Archive:
    """The members of one wrapper; blobs by digest, each once."""

    def __init__(self):
        self.files = []
        self.names = set()

    def add(self, name, data):
        if name not in self.names:
            self.names.add(name)
            self.files.append((name, data))

    def blob(self, data, keep=True):
        if keep:
            self.add("blobs/sha256/" + sha(data), data)
        return {"digest": "sha256:" + sha(data), "size": len(data)}


def layer(*files):
    return tar([(n, d) for n, d in files])


def platform(p):
    os_, arch, *var = p.split("/")
    d = {"os": os_, "architecture": arch}
    if var:
        d["variant"] = var[0]
    return d


def image_blobs(plat, layers, env="A=1"):
    """The config and manifest of one image: (config, manifest) bytes."""
    pd = platform(plat)
    cfg = cjson(dict(pd, created="2024-01-01T00:00:00Z",
                     config={"Env": [env]},
                     rootfs={"type": "layers",
                             "diff_ids": ["sha256:" + sha(l) for l in layers]}))
    man = cjson({"schemaVersion": 2, "mediaType": MT_MANIFEST,
                 "config": {"mediaType": MT_CONFIG, "digest": "sha256:" +
                            sha(cfg), "size": len(cfg)},
                 "layers": [{"mediaType": MT_LAYER, "digest": "sha256:" +
                             sha(l), "size": len(l)} for l in layers]})
    return cfg, man


def add_image(ar, plat, layers, keep=True, keep_layers=None, env="A=1"):
    """Add one image's blobs (or none of them when keep is false).
    @return its manifest descriptor."""
    cfg, man = image_blobs(plat, layers, env)
    if keep:
        ar.blob(cfg)
        for i, l in enumerate(layers):
            ar.blob(l, keep_layers is None or i in keep_layers)
    return dict(ar.blob(man, keep), mediaType=MT_MANIFEST,
                platform=platform(plat))


def layout(ar, descs):
    ar.add("oci-layout", b'{"imageLayoutVersion":"1.0.0"}')
    ar.add("index.json", cjson({"schemaVersion": 2, "mediaType": MT_INDEX,
                                "manifests": descs}))


PLATFORMS = ["linux/amd64", "linux/arm64", "linux/arm/v7"]


def partial(present, rebuilt=False):
    """A Docker 25+ save of a three-platform image holding only present.
    rebuilt: linux/arm/v7 is another build, so the index is another."""
    ar = Archive()
    descs = []
    kept = []
    for p in PLATFORMS:
        text = p + (" rebuilt" if rebuilt and p == "linux/arm/v7" else "")
        lay = layer(("etc/arch", text.encode() + b"\n"))
        d = add_image(ar, p, [lay], keep=p in present)
        descs.append(d)
        if p in present:
            kept.append((p, d, lay))
    for d in list(descs):
        att = {"mediaType": MT_MANIFEST, "digest": "sha256:" +
               sha(d["digest"].encode()), "size": 100,
               "platform": {"os": "unknown", "architecture": "unknown"},
               "annotations": {
                   "vnd.docker.reference.digest": d["digest"],
                   "vnd.docker.reference.type": "attestation-manifest"}}
        descs.append(att)
    idx = cjson({"schemaVersion": 2, "mediaType": MT_INDEX,
                 "manifests": descs})
    top = dict(ar.blob(idx), mediaType=MT_INDEX, annotations={
        "io.containerd.image.name": "docker.io/library/app:1.0",
        "org.opencontainers.image.ref.name": "1.0"})
    layout(ar, [top])
    man = []
    for p, d, lay in kept:
        cfg, _ = image_blobs(p, [lay])
        man.append({"Config": "blobs/sha256/" + sha(cfg),
                    "RepoTags": ["app:1.0"] if not man else [],
                    "Layers": ["blobs/sha256/" + sha(lay)]})
    ar.add("manifest.json", cjson(man))
    return tar(ar.files)


def sparse(full, other=False):
    """Layer 1 absent unless full; other: layer 2 deletes etc/base (a
    whiteout) and the config is another, so only layer 1 could tell."""
    ar = Archive()
    base = layer(("etc/base", b"base\n"))
    top = layer(("etc/app", b"app\n"), ("etc/.wh.base", b"")) if other \
        else layer(("etc/app", b"app\n"))
    d = add_image(ar, "linux/amd64", [base, top],
                  keep_layers=None if full else {1})
    layout(ar, [d])
    return tar(ar.files)


def signed(with_sigs):
    ar = Archive()
    lay = layer(("etc/app", b"app\n"))
    d = add_image(ar, "linux/amd64", [lay])
    d["annotations"] = {"org.opencontainers.image.ref.name": "1.0"}
    descs = [d]
    if with_sigs:
        hexd = d["digest"].split(":")[1]
        payload = cjson({"critical": {"image": {
            "docker-manifest-digest": d["digest"]}, "type":
            "cosign container image signature"}, "optional": None})
        envelope = cjson({"payloadType": "application/vnd.in-toto+json",
                          "payload": "e30=", "signatures": []})
        for tag, mt, data in (("sig", MT_SIMPLESIGNING, payload),
                              ("att", MT_DSSE, envelope)):
            cfg = cjson({"architecture": "", "os": "", "config": {},
                         "rootfs": {"type": "layers", "diff_ids": [
                             "sha256:" + sha(data)]}})
            man = cjson({"schemaVersion": 2, "mediaType": MT_MANIFEST,
                         "config": dict(ar.blob(cfg), mediaType=MT_CONFIG),
                         "layers": [dict(ar.blob(data), mediaType=mt)]})
            descs.append(dict(ar.blob(man), mediaType=MT_MANIFEST,
                              annotations={
                                  "org.opencontainers.image.ref.name":
                                  "sha256-%s.%s" % (hexd, tag)}))
        sbom = b'{"spdxVersion":"SPDX-2.3"}'
        empty = b"{}"
        man = cjson({"schemaVersion": 2, "mediaType": MT_MANIFEST,
                     "artifactType": "application/spdx+json",
                     "config": dict(ar.blob(empty), mediaType=MT_EMPTY),
                     "layers": [dict(ar.blob(sbom),
                                     mediaType="application/spdx+json")],
                     "subject": {"mediaType": MT_MANIFEST,
                                 "digest": d["digest"], "size": d["size"]}})
        descs.append(dict(ar.blob(man), mediaType=MT_MANIFEST,
                          artifactType="application/spdx+json"))
    layout(ar, descs)
    return tar(ar.files)


def docker_save(names):
    """docker save of images named "a:1", "b:1": legacy layout."""
    files = []
    man = []
    for n in names:
        lay = layer(("etc/name", n.encode() + b"\n"))
        cfg, _ = image_blobs("linux/amd64", [lay], env="NAME=" + n)
        files.append((sha(cfg) + ".json", cfg))
        files.append((sha(lay) + "/layer.tar", lay))
        man.append({"Config": sha(cfg) + ".json", "RepoTags": [n],
                    "Layers": [sha(lay) + "/layer.tar"]})
    files.append(("manifest.json", cjson(man)))
    return tar(files)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    inputs = {
        "partial-amd64.tar": partial({"linux/amd64"}),
        "partial-arm64.tar": partial({"linux/arm64"}),
        "partial-both.tar": partial({"linux/amd64", "linux/arm64"}),
        "partial-arm64-v2.tar": partial({"linux/arm64"}, rebuilt=True),
        "sparse.tar": sparse(False),
        "sparse-full.tar": sparse(True),
        "sparse-other.tar": sparse(False, other=True),
        "signed.tar": signed(True),
        "unsigned.tar": signed(False),
        "two-ab.tar": docker_save(["a:1", "b:1"]),
        "two-ba.tar": docker_save(["b:1", "a:1"]),
        "two-b.tar": docker_save(["b:1"]),
    }
    for name, data in inputs.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
