#!/usr/bin/env python3
"""Write the inputs that carry hostile names and strings to every message
and output format (docs/security.md), in the cases format of
tests/hostile/gen.py.

usage: python3 tests/hostile/gen_names.py OUTDIR

tests/hostile.sh checks each case's exit status and, for exit 2, that the
one line on stderr holds its needle, and with tests/check_escaped.py that
no raw control byte, invalid UTF-8 or invisible character reaches
standard output or standard error.  Standard library only.
"""

import base64
import io
import json
import os
import sys
import tarfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen  # noqa: E402  (the fingerprint writer)

# A terminal escape, a right-to-left override, a line separator, a
# zero-width space and a byte-order mark: what a JSON document can carry.
EVIL_JSON = "ev\x1b[2J\u202e\u2028\u200b\ufeffil"
# And a byte that is not UTF-8, for names in tar headers, files, arguments.
EVIL = EVIL_JSON.encode()[:6] + b"\xff" + EVIL_JSON.encode()[6:]
# How an error line shows them.
EVIL_JSON_SHOWN = "ev\\x1b[2J\\u{202e}\\u{2028}\\u{200b}\\u{feff}il"
EVIL_SHOWN = EVIL_JSON_SHOWN[:9] + "\\xff" + EVIL_JSON_SHOWN[9:]

OUT = None
CASES = []


def case(name, want, needle, *args):
    """Like gen.case(), but arguments may be bytes."""
    args = [a if isinstance(a, bytes) else a.encode() for a in args]
    assert all(b"\t" not in a and b"\n" not in a for a in args)
    CASES.append(b"\t".join([name.encode(), str(want).encode(),
                             (needle or "-").encode()] + args))


def write(name, data):
    with open(os.path.join(os.fsencode(OUT), name if isinstance(name, bytes)
                           else name.encode()), "wb") as f:
        f.write(data)
    return name


def fsname(b):
    """A member name for tarfile: bytes kept as they are."""
    return b.decode("utf-8", "surrogateescape")


def tar(members):
    """A tar of [(name bytes, data bytes or None, symlink target or None)],
    each with an optional fourth item: TarInfo attributes to set."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT,
                      encoding="utf-8", errors="surrogateescape") as t:
        for name, data, link, *attrs in members:
            ti = tarfile.TarInfo(fsname(name))
            ti.mtime = 0
            for k, v in (attrs[0] if attrs else {}).items():
                setattr(ti, k, fsname(v) if isinstance(v, bytes) else v)
            if link is not None:
                ti.type = tarfile.SYMTYPE
                ti.linkname = fsname(link)
                t.addfile(ti)
            else:
                ti.size = len(data)
                t.addfile(ti, io.BytesIO(data))
    return buf.getvalue()


def blob(data):
    return (b"blobs/sha256/" + gen.sha(data).encode(), data, None)


def desc(media, data):
    return {"mediaType": media, "digest": gen.digest(data), "size": len(data)}


def oci(manifest, extra=(), index_extra=None, manifest_member=None,
        index_more=()):
    """An OCI layout archive holding manifest (bytes) and extra members.
    manifest_member: hold the manifest under this name, reached through a
    symlink from its blob name.  index_more: more descriptors to list."""
    idx = {"schemaVersion": 2, "manifests": [dict(desc(
        "application/vnd.oci.image.manifest.v1+json", manifest),
        **(index_extra or {}))] + list(index_more)}
    members = [(b"oci-layout", b'{"imageLayoutVersion":"1.0.0"}', None),
               (b"index.json", gen.cjson(idx), None)]
    if manifest_member is None:
        members.append(blob(manifest))
    else:
        members.append((blob(manifest)[0], None, b"../../" + manifest_member))
        members.append((manifest_member, manifest, None))
    return tar(members + list(extra))


def reader_cases():
    # Issue 17 item 3: a manifest reached through a symlink member with a
    # one-byte name; its error named the manifest from `name + 13`.
    cfg = gen.cjson({"architecture": "amd64", "os": "linux",
                     "rootfs": {"type": "layers", "diff_ids": []}})
    man = gen.cjson({"schemaVersion": 2, "config": desc(
        "application/vnd.oci.image.config.v1+json", cfg), "layers": []})
    write("short-link.tar", oci(man, manifest_member=b"m"))
    case("manifest-via-short-symlink", 2, "manifest sha256:%s: config: blob "
         "'blobs/sha256/%s' is missing" % (gen.sha(man)[:12], gen.sha(cfg)),
         "inspect", "short-link.tar")


def one_layer(layer_type):
    """A one-layer image whose layer has media type layer_type.
    @return its layer, config and manifest."""
    lay = layer([b"a"])
    cfg = gen.cjson({"architecture": "amd64", "os": "linux",
                     "rootfs": {"type": "layers", "diff_ids": [
                         gen.digest(lay)]}})
    man = gen.cjson({"schemaVersion": 2, "config": desc(
        "application/vnd.oci.image.config.v1+json", cfg),
        "layers": [desc(layer_type, lay)]})
    return lay, cfg, man


def nested_cases():
    # Issue 11 item 1: an error in a nested index names that index (by
    # digest) and the entry within it, not an entry of index.json.
    lay, cfg, man = one_layer("application/vnd.oci.image.layer.v1.tar")
    good = desc("application/vnd.oci.image.manifest.v1+json", man)
    bad = dict(good, size=len(man) + 1)
    sub = gen.cjson({"schemaVersion": 2, "manifests": [good, bad]})
    idx = {"schemaVersion": 2, "manifests": [
        desc("application/vnd.oci.image.index.v1+json", sub)]}
    write("nested-entry.tar", tar([
        (b"oci-layout", b'{"imageLayoutVersion":"1.0.0"}', None),
        (b"index.json", gen.cjson(idx), None),
        blob(sub), blob(man), blob(cfg), blob(lay)]))
    case("nested-index-entry", 2, "index sha256:%s entry 2: blob" %
         gen.sha(sub)[:12], "inspect", "nested-entry.tar")


def fingerprint_cases():
    # Issue 17 item 2: warnings text without a final newline.
    fp = gen.fingerprint([gen.plain_tree()],
                         header_extra={"warnings": "one\nlast, unended"})
    write("warn-unended.fp", fp)
    case("fp-warnings-unended", 0, "", "inspect", "warn-unended.fp")
    case("fp-warnings-unended-json", 0, "", "inspect", "--format", "json",
         "warn-unended.fp")


def layer(names, body=b"x", side=b"1"):
    """An uncompressed layer holding one file per name, and a link and an
    owner that differ with side."""
    return tar([(n, body + n, None) for n in names] + [
        (b"l", None, EVIL + side),
        (b"p", b"p", None, {"uname": EVIL + side, "gname": EVIL + side,
                            "mode": 0o644 if side == b"1" else 0o755})])


def docker(cfg_extra=None, layer_names=(EVIL,), side=b"1",
           layer_member=EVIL_JSON.encode() + b".tar",
           tags=(EVIL_JSON,), diff_id=None, config_name=b"config.json",
           extra=()):
    """A docker-archive whose strings are hostile wherever they can be."""
    lay = layer(layer_names, side=side)
    cfg = {"architecture": "amd64", "os": "linux", "variant": EVIL_JSON,
           "config": {"Env": ["A=" + EVIL_JSON], "Cmd": [EVIL_JSON],
                      "Labels": {EVIL_JSON: EVIL_JSON + side.decode()}},
           "history": [{"created_by": "RUN " + EVIL_JSON}],
           "rootfs": {"type": "layers",
                      "diff_ids": [diff_id or gen.digest(lay)]}}
    cfg.update(cfg_extra or {})
    man = [{"Config": fsname(config_name), "RepoTags": list(tags),
            "Layers": [fsname(layer_member)]}]
    return tar([(config_name, gen.cjson(cfg), None),
                (layer_member, lay, None),
                (b"manifest.json", json.dumps(man).encode("utf-8",
                                                          "surrogateescape"),
                 None)] + list(extra))


def output_cases():
    """Every format of every command, with hostile strings in the input."""
    write("a.tar", docker())
    write("b.tar", docker(layer_names=(EVIL, EVIL + b"2"), side=b"2",
                          tags=(EVIL_JSON + "2",)))
    for fmt in ("text", "json", "markdown", "junit"):
        case("diff-" + fmt, 1, "", "diff", "--format", fmt, "a.tar", "b.tar")
    for fmt in ("text", "json"):
        case("inspect-" + fmt, 0, "", "inspect", "--format", fmt, "a.tar")
    case("digest", 0, "", "digest", "--release", EVIL, "a.tar")
    write("warn.fp", gen.fingerprint([gen.plain_tree()], header_extra={
        "warnings": "one " + EVIL_JSON + "\ntwo " + EVIL_JSON + "\n",
        "input": {"name": EVIL_JSON, "sha256": None, "size": 10240,
                  "format": "docker-archive", "compression": "none"}}))
    for fmt in ("text", "json"):
        case("inspect-fp-warnings-" + fmt, 0, "", "inspect", "--format", fmt,
             "warn.fp")
    case("diff-fp", 1, "", "diff", "warn.fp", "a.tar")
    df = ("FROM " + EVIL_JSON + ":1\nRUN apt-get install -y " + EVIL_JSON +
          "\nADD http://" + EVIL_JSON + "/x /x\n").encode()
    write(EVIL + b".Dockerfile", df)
    for fmt in ("text", "json", "sarif"):
        case("lint-" + fmt, 1, "", "lint", "--format", fmt,
             "--fail-on", "warning", EVIL + b".Dockerfile")


def xattr_layer(xattrs, key=b"SCHILY.xattr."):
    """A layer of one file p with pax xattr records [(name, value)]; with
    key LIBARCHIVE.xattr. the name is %-encoded and the value base64."""
    body = b""
    for name, value in xattrs:
        if key != b"SCHILY.xattr.":
            name = b"".join(b"%%%02X" % c if c in b"%=\n" else bytes([c])
                            for c in name)
            value = base64.b64encode(value)
        rec = b" " + key + name + b"=" + value + b"\n"
        n = len(rec) + 1
        while len(str(n)) + len(rec) != n:
            n = len(str(n)) + len(rec)
        body += str(n).encode() + rec
    return gen.tar(gen.tar_file("PaxHeader", body, typ=b"x"),
                   gen.tar_file("p", b"p"))


# A hostile xattr name and value: controls, bidi, not UTF-8, quotes, markup.
XATTR_NAME = b"user." + EVIL + b"\"<b>&'`|*_"
XATTR_VALUE = EVIL + b"<i>\n\0\x01"


def xattr_cases():
    """Issue 11 item 15: xattr names and values in every output format."""
    write("xattr-a.tar", gen.oci_archive([xattr_layer([(b"user.x", b"v")])]))
    write("xattr-b.tar", gen.oci_archive([xattr_layer(
        [(XATTR_NAME, XATTR_VALUE)])]))
    for fmt in ("text", "json", "markdown", "html", "junit"):
        case("xattr-diff-" + fmt, 1, "", "diff", "--format", fmt,
             "xattr-a.tar", "xattr-b.tar")
    for fmt in ("text", "json"):
        case("xattr-inspect-" + fmt, 0, "", "inspect", "--format", fmt,
             "xattr-b.tar")
    # One xattr named "x=00\ny" is not the two xattrs x and y: their
    # canonical lines were the same bytes, so the pair was
    # dependency-equivalent.
    lib = b"LIBARCHIVE.xattr."
    write("xattr-one.tar", gen.oci_archive([xattr_layer(
        [(b"x=00\ny", b"\x01")], lib)]))
    write("xattr-two.tar", gen.oci_archive([xattr_layer(
        [(b"x", b"\0"), (b"y", b"\x01")], lib)]))
    case("xattr-name-with-delimiters", 1, "", "diff", "--require",
         "dependency-equivalent", "xattr-one.tar", "xattr-two.tar")


def error_cases():
    """Every error path the command line reaches with a hostile string."""
    shown = EVIL_SHOWN
    missing = EVIL + b".tar.missing"
    for cmd in ("inspect", "digest", "record -o out.fp", "lint"):
        case("missing-" + cmd.split()[0], 2, shown, *cmd.split(), missing)
    case("missing-diff", 2, shown, "diff", missing, "a.tar")
    case("missing-policy", 2, shown, "diff", "--policy", missing, "a.tar",
         "a.tar")
    case("unknown-command", 2, shown, EVIL)
    nodir = b"no-such-dir/" + EVIL
    case("output-file", 2, shown, "inspect", "-o", nodir, "a.tar")
    case("record-output", 2, shown, "record", "-o", nodir, "a.tar")
    case("digest-append", 2, shown, "digest", "--append", nodir, "a.tar")
    case("lint-context", 2, shown, "lint", "--context", nodir,
         EVIL + b".Dockerfile")
    for opt in (b"--format", b"--require", b"--ignore"):
        case("diff" + opt.decode(), 2, shown, "diff", opt, EVIL, "a.tar",
             "a.tar")
    case("inspect--format", 2, shown, "inspect", "--format", EVIL, "a.tar")
    case("lint--format", 2, shown, "lint", "--format", EVIL, "x")
    case("lint--fail-on", 2, shown, "lint", "--fail-on", EVIL, "x")
    case("platform-option", 2, "no image for platform '" + shown, "inspect",
         "--platform", EVIL, "a.tar")
    case("platform-option-diff", 2, "no image for platform '" + shown, "diff",
         "--platform", EVIL, "a.tar", "b.tar")
    for name, pol, needle in (
            ("platform", {"platform": EVIL_JSON}, "no image for platform"),
            ("key", {EVIL_JSON: 1}, "unknown key"),
            ("class", {"ignore": [EVIL_JSON]}, "unknown class"),
            ("exclude", {"exclude": [1]}, "exclude")):
        write("policy-" + name + ".json", json.dumps(pol).encode())
        case("policy-" + name, 2, needle, "diff", "--policy",
             "policy-" + name + ".json", "a.tar", "b.tar")
    # The reader: names from tar headers and from JSON documents.
    write("dup.tar", docker(extra=[(EVIL + b".tar", b"again", None)] * 2))
    case("duplicate-member", 2, "member '" + shown + ".tar' appears more "
         "than once", "inspect", "dup.tar")
    write("link-out.tar", tar([
        (b"manifest.json", gen.cjson([{"Config": "c.json",
                                       "Layers": [EVIL_JSON]}]), None),
        (b"c.json", b"{}", None),
        (EVIL_JSON.encode(), None, b"../../" + EVIL)]))
    case("link-outside", 2, EVIL_JSON_SHOWN + "': link points outside",
         "inspect", "link-out.tar")
    write("no-config.tar", tar([(b"manifest.json", gen.cjson([{
        "Config": EVIL_JSON, "Layers": []}]), None)]))
    case("config-missing", 2, "config '" + EVIL_JSON_SHOWN + "' is missing",
         "inspect", "no-config.tar")
    write("diff-id.tar", docker(diff_id="sha256:" + "0" * 64))
    case("diff-id-mismatch", 2, "('" + EVIL_JSON_SHOWN + ".tar') uncompresses",
         "inspect", "diff-id.tar")
    cfg = gen.cjson({"architecture": "amd64", "os": "linux",
                     "rootfs": {"type": "layers", "diff_ids": []}})
    man = gen.cjson({"schemaVersion": 2, "config": desc(EVIL_JSON, cfg),
                     "layers": []})
    write("config-type.tar", oci(man, extra=[blob(cfg)]))
    # A config that is not an image config makes an artifact (issue 11
    # item 3): listed, never fatal, its type escaped where it is shown.
    case("config-media-type", 2, "holds no image (its index lists: 1 "
         "artifact)", "inspect", "config-type.tar")
    evil_cfg_man = man
    lay, cfg, man = one_layer(EVIL_JSON)
    write("layer-type.tar", oci(man, extra=[blob(cfg), blob(lay)]))
    case("layer-media-type", 2, "holds no image (its index lists: 1 "
         "artifact)", "inspect", "layer-type.tar")
    # Beside an image, both are listed with their types escaped.
    _, _, good = one_layer("application/vnd.oci.image.layer.v1.tar")
    beside = [blob(cfg), blob(lay), blob(man), blob(evil_cfg_man)]
    idx_extra = [dict(desc("application/vnd.oci.image.manifest.v1+json", m),
                      annotations={"org.opencontainers.image.ref.name":
                                   EVIL_JSON}, artifactType=EVIL_JSON,
                      platform={"os": EVIL_JSON, "architecture": "x"})
                 for m in (man, evil_cfg_man)]
    write("artifacts-beside.tar", oci(good, extra=beside,
                                      index_more=idx_extra))
    for fmt in ("text", "json"):
        case("artifacts-beside-" + fmt, 0, "", "inspect", "--format", fmt,
             "artifacts-beside.tar")
    # A manifest member named in an error: one reached through a link.
    man = gen.cjson({"schemaVersion": 2, "config": desc(
        "application/vnd.oci.image.config.v1+json", cfg)})
    write("no-layers.tar", oci(man, extra=[blob(cfg)], manifest_member=EVIL))
    case("manifest-member-name", 2, "manifest '" + shown + "' has no layers",
         "inspect", "no-layers.tar")
    long_name = EVIL + b"/" + b"d" * 4200
    write("long-path.tar", docker(layer_names=(long_name,)))
    case("long-entry-path", 2, "'" + shown + "/ddd", "inspect",
         "long-path.tar")
    write("bad-insn.Dockerfile", b"FROM a@sha256:" + b"0" * 64 + b"\n" +
          EVIL + b" x\n")
    case("lint-unknown-instruction", 2, "unknown instruction '" + shown,
         "lint", "bad-insn.Dockerfile")


def main():
    global OUT
    OUT = sys.argv[1]
    os.makedirs(OUT, exist_ok=True)
    reader_cases()
    nested_cases()
    fingerprint_cases()
    output_cases()
    xattr_cases()
    error_cases()
    with open(os.path.join(OUT, "cases"), "wb") as f:
        f.write(b"\n".join(CASES) + b"\n")


if __name__ == "__main__":
    main()
