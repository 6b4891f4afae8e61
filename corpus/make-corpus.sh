#!/bin/sh
# corpus/make-corpus.sh - rebuild the real-tool image corpus in corpus/real/.
#
# Run from the repository root:   sh corpus/make-corpus.sh
#
# Every archive is made by real tools (buildah, skopeo, GNU tar, gzip, zstd,
# python3), from scratch, with no registry access and no Docker engine, in a
# private container-storage root under a temporary directory. Inputs are
# pinned (file contents, source mtimes, --timestamp, umask, locale) so that a
# second run gives the same bytes with the same tool versions; where a pair
# must drift, one input is varied on purpose. corpus/real/README.md explains
# every file and corpus/real/expected.tsv lists the expected verdicts.
#
# Needs: buildah skopeo tar gzip zstd python3 (Debian: apt-get install -y
# buildah skopeo tar gzip zstd python3). Runs as root (buildah with the vfs
# driver and chroot isolation; nothing is ever run inside an image).

set -eu
PROG=make-corpus
. corpus/env.sh

[ -f corpus/make-corpus.sh ] || die "run from the repository root"
for t in buildah skopeo tar gzip zstd python3; do  # and umoci, optional
    command -v "$t" >/dev/null 2>&1 || die "missing tool: $t"
done

OUT=corpus/real
mkdir -p "$OUT"
OUT_ABS=$(cd "$OUT" && pwd)

mkdir -p "$tmp/ctx"

# Fixed times (seconds since the epoch, UTC).
T1=1700000000          # 2023-11-14T22:13:20Z  first build
T2=1700086400          # 2023-11-15T22:13:20Z  the rebuild, one day later
S1=1699990000          # source file mtimes of the first checkout
S2=1700080000          # source file mtimes of the second checkout
SOURCE_DATE_EPOCH=$T1
export SOURCE_DATE_EPOCH

PYC_TAG=$(python3 -c 'import sys; print(sys.implementation.cache_tag)')

# ---------------------------------------------------------------------------
# Helper programs (python3), written to the temp dir.


# Print the children of a directory tree in a fixed but unsorted order:
# parents before children, siblings in reverse byte order (what an
# unsorted readdir walk could give), one path a line, relative to the root.
cat >"$tmp/unsorted-walk.py" <<'EOF'
import os, sys
root = sys.argv[1]
def walk(rel):
    for name in sorted(os.listdir(os.path.join(root, rel)), reverse=True):
        p = name if rel == '' else rel + '/' + name
        print(p)
        full = os.path.join(root, p)
        if os.path.isdir(full) and not os.path.islink(full):
            walk(p)
walk('')
EOF

# Replace one layer of an OCI image layout (a directory holding exactly one
# image manifest) by the given uncompressed layer tar, and fix the chain of
# digests: config rootfs.diff_ids, manifest layer descriptor, config
# descriptor, index.json. JSON is re-serialized compactly, key order kept.
cat >"$tmp/replace-layer.py" <<'EOF'
import hashlib, json, os, sys
layout, index_pos, layer_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def blob(d):
    return os.path.join(layout, 'blobs', 'sha256', d.split(':', 1)[1])
def put(b):
    d = 'sha256:' + hashlib.sha256(b).hexdigest()
    open(blob(d), 'wb').write(b)
    return d
def dump(o):
    return json.dumps(o, separators=(',', ':')).encode()
idx = json.load(open(os.path.join(layout, 'index.json')))
assert len(idx['manifests']) == 1
md = idx['manifests'][0]
man = json.load(open(blob(md['digest'])))
cfg = json.load(open(blob(man['config']['digest'])))
layer = open(layer_path, 'rb').read()
ld = put(layer)
old = man['layers'][index_pos]
assert old['mediaType'].endswith('.tar'), 'layer must be uncompressed'
old['digest'], old['size'] = ld, len(layer)
cfg['rootfs']['diff_ids'][index_pos] = ld
cb = dump(cfg)
man['config']['digest'], man['config']['size'] = put(cb), len(cb)
mb = dump(man)
md['digest'], md['size'] = put(mb), len(mb)
open(os.path.join(layout, 'index.json'), 'wb').write(dump(idx))
# drop blobs nobody references any more
keep = {md['digest'], man['config']['digest']} | {l['digest'] for l in man['layers']}
for name in os.listdir(os.path.join(layout, 'blobs', 'sha256')):
    if 'sha256:' + name not in keep:
        os.unlink(os.path.join(layout, 'blobs', 'sha256', name))
EOF

# ---------------------------------------------------------------------------
# Build context. make_ctx DIR SRC_MTIME [VARIANT]
# VARIANT: "" (reference), content (one file's bytes differ), mode (one
# file's mode differs), arm64 (the platform file says arm64), noleek
# (app/data/veg/leek.txt is not there).
make_ctx() {
    d=$1 mt=$2 variant=${3:-}
    rm -rf "$d"
    mkdir -p "$d/etc/imgdrift" "$d/usr/share/doc/imgdrift" \
        "$d/app/lib" "$d/app/data/fruit" "$d/app/data/veg"

    port=8080
    [ "$variant" = content ] && port=8081
    cat >"$d/etc/imgdrift/app.conf" <<EOF
# imgdrift corpus - sample application configuration
# This file is part of a tiny test image built FROM scratch; nothing in the
# image is ever executed by imgdrift.
[server]
listen = 0.0.0.0:$port
workers = 2
log_level = info

[paths]
data = /app/data
cache = /var/cache/imgdrift
EOF
    platform=linux/amd64
    [ "$variant" = arm64 ] && platform=linux/arm64
    echo "$platform" >"$d/etc/imgdrift/platform"

    cat >"$d/app/run.sh" <<'EOF'
#!/bin/sh
# Entry point of the imgdrift corpus image.
set -eu
cd /app
for f in data/fruit/* data/veg/*; do
    printf '%s: %s\n' "$f" "$(cat "$f")"
done
exec python3 -c 'import sys; sys.path.insert(0, "/app/lib"); import greet; greet.main()'
EOF
    chmod 0755 "$d/app/run.sh"
    ln -s run.sh "$d/app/current"

    cat >"$d/app/lib/greet.py" <<'EOF'
"""Tiny module: its .pyc is shipped next to it, compiled at build time."""

GREETING = "hello from the imgdrift corpus"


def main():
    print(GREETING)


if __name__ == "__main__":
    main()
EOF
    echo "apple: red or green, 95 kcal" >"$d/app/data/fruit/apple.txt"
    echo "pear: green, 101 kcal" >"$d/app/data/fruit/pear.txt"
    echo "leek: white and green, 54 kcal" >"$d/app/data/veg/leek.txt"
    # a path longer than the 100-byte ustar name field (each tar writer
    # encodes it its own way: ustar prefix, GNU ././@LongLink, PAX path)
    long=app/data/notes/seasonal-vegetables-of-the-northern-hemisphere
    mkdir -p "$d/$long"
    echo "autumn: leek, pumpkin, cabbage, celeriac" \
        >"$d/$long/what-grows-there-in-autumn-and-in-winter.txt"

    cat >"$d/usr/share/doc/imgdrift/changelog" <<'EOF'
imgdrift-corpus (1.0) unstable; urgency=low

  * First image of the test corpus.
  * Ships a gzip file with header MTIME (changelog.gz, gzip without -n)
    and one without (NEWS.gz, gzip -n).

 -- imgdrift corpus <corpus@imgdrift.invalid>  Tue, 14 Nov 2023 22:13:20 +0000
EOF
    cat >"$d/usr/share/doc/imgdrift/NEWS" <<'EOF'
imgdrift corpus 1.0
===================

A few small files, a shell script, a symlink, a directory tree, two gzip
files and a Python bytecode file: enough to show every drift class.
EOF

    if [ "$variant" = noleek ]; then
        rm "$d/app/data/veg/leek.txt"
    fi
    if [ "$variant" = mode ]; then
        chmod 0600 "$d/etc/imgdrift/app.conf"
    fi

    # Source mtimes: what a fresh checkout would give.
    find "$d" -exec touch -h -d "@$mt" {} +

    # Build steps that embed the source mtime into their output:
    # gzip without -n stores the name and mtime, gzip -n stores neither;
    # a timestamp-mode .pyc stores the source mtime and size.
    gzip -9 "$d/usr/share/doc/imgdrift/changelog"
    gzip -9 -n "$d/usr/share/doc/imgdrift/NEWS"
    # dfile: the path inside the image (else the build directory is embedded).
    python3 - "$d/app/lib/greet.py" "$d/app/lib/__pycache__/greet.$PYC_TAG.pyc" <<'EOF'
import py_compile, sys
py_compile.compile(sys.argv[1], cfile=sys.argv[2], dfile='/app/lib/greet.py',
                   doraise=True,
                   invalidation_mode=py_compile.PycInvalidationMode.TIMESTAMP)
EOF
    # the build steps ran "now"; give their outputs the source time as well
    find "$d" -exec touch -h -d "@$mt" {} +
}

# build_image NAME CTX TIMESTAMP [ARCH] [CHOWN] [SQUASH]
# Two layers, like a two-step Dockerfile:
#   FROM scratch
#   COPY etc usr /          (layer 1, "base")
#   COPY app /app           (layer 2, "app"; --chown CHOWN when given)
#   ENV/WORKDIR/CMD/LABEL
# The intermediate "base" image is a step of the same build, not a base
# image: its name/digest annotations are blanked (as for FROM scratch) so
# that a pair differing in layer 1 does not also differ in the manifest.
# Committed with buildah --timestamp (config created, history created and
# every layer entry mtime set to TIMESTAMP) into $tmp/img/NAME.tar
# (oci-archive, uncompressed layers).
build_image() {
    name=$1 ctx=$2 ts=$3 arch=${4:-amd64} chown=${5:-} squash=${6:+--squash}
    c=$(bah from --quiet --isolation chroot --arch "$arch" --name "$name-base" scratch)
    bah copy --quiet "$c" "$ctx/etc" /etc >/dev/null
    bah copy --quiet "$c" "$ctx/usr" /usr >/dev/null
    bah config --arch "$arch" --os linux \
        --created-by 'COPY etc usr /' "$c"
    bah commit --quiet --timestamp "$ts" --rm "$c" localhost/imgdrift/base:1.0 >/dev/null

    c=$(bah from --quiet --isolation chroot --arch "$arch" --name "$name" \
        localhost/imgdrift/base:1.0)
    if [ -n "$chown" ]; then
        bah copy --quiet --chown "$chown" "$c" "$ctx/app" /app >/dev/null
    else
        bah copy --quiet "$c" "$ctx/app" /app >/dev/null
    fi
    bah config --arch "$arch" --os linux \
        --env APP_MODE=demo --env PYTHONDONTWRITEBYTECODE=1 \
        --workingdir /app --cmd '["/app/run.sh"]' \
        --label org.opencontainers.image.title=imgdrift-corpus \
        --label org.opencontainers.image.version=1.0 \
        --created-by 'COPY app /app' \
        --annotation org.opencontainers.image.base.digest= \
        --annotation org.opencontainers.image.base.name= "$c"
    # shellcheck disable=SC2086
    bah commit --quiet --timestamp "$ts" --rm $squash "$c" \
        "oci-archive:$tmp/img/$name.tar:imgdrift/corpus:1.0" >/dev/null
    python3 corpus/pin-tar-mtime.py "$tmp/img/$name.tar" "$ts"
}

# keep SRC DEST_NAME: put an archive into corpus/real/
keep() {
    cp "$1" "$OUT/$2"
    echo "  $OUT/$2"
}

echo "building contexts"
make_ctx "$tmp/ctx/ref" "$S1"
make_ctx "$tmp/ctx/rebuild" "$S2"
make_ctx "$tmp/ctx/content" "$S1" content
make_ctx "$tmp/ctx/mode" "$S1" mode
make_ctx "$tmp/ctx/arm64" "$S1" arm64
make_ctx "$tmp/ctx/noleek" "$S1" noleek

echo "building images with buildah"
build_image ref "$tmp/ctx/ref" "$T1"                  # the reference build
build_image rebuild "$tmp/ctx/rebuild" "$T2"          # new checkout, a day later
build_image later "$tmp/ctx/ref" "$T2"                # same checkout, a day later
build_image content "$tmp/ctx/content" "$T1"
build_image mode "$tmp/ctx/mode" "$T1"
build_image owner "$tmp/ctx/ref" "$T1" amd64 1000:1000
build_image arm64 "$tmp/ctx/arm64" "$T1" arm64
build_image squash "$tmp/ctx/ref" "$T1" amd64 "" squash
build_image noleek "$tmp/ctx/noleek" "$T1"

# Remove what an earlier run wrote (only our own names).
rm -rf "$OUT/layout-dir"
rm -f "$OUT"/*.tar "$OUT"/*.tar.gz "$OUT"/*.tar.zst

echo "writing $OUT"
# 1. rebuild pair (the demo pair): other checkout mtimes, other --timestamp.
keep "$tmp/img/ref.tar" rebuild-a.tar
keep "$tmp/img/rebuild.tar" rebuild-b.tar
#    and the same checkout built twice: only --timestamp differs.
keep "$tmp/img/ref.tar" timestamp-a.tar
keep "$tmp/img/later.tar" timestamp-b.tar

# 2. the same image as oci-archive and as docker-archive (skopeo copy).
keep "$tmp/img/ref.tar" format-oci.tar
sko copy --quiet "oci-archive:$tmp/img/ref.tar" \
    "docker-archive:$tmp/img/docker.tar:imgdrift/corpus:1.0"
keep "$tmp/img/docker.tar" format-docker.tar

# 3. the same docker-archive re-wrapped under other tags.
keep "$tmp/img/docker.tar" retag-a.tar
sko copy --quiet --additional-tag imgdrift/corpus:latest \
    "docker-archive:$tmp/img/docker.tar" \
    "docker-archive:$tmp/img/retag.tar:imgdrift/corpus:1.0-rebuilt"
keep "$tmp/img/retag.tar" retag-b.tar

# 4. compression drift: gzip vs zstd layers, gzip level 1 vs 9.
for spec in gzip:6 zstd:3 gzip:1 gzip:9; do
    fmt=${spec%:*} lvl=${spec#*:}
    sko copy --quiet --dest-compress --dest-compress-format "$fmt" \
        --dest-compress-level "$lvl" \
        "oci-archive:$tmp/img/ref.tar" "oci-archive:$tmp/img/comp-$fmt$lvl.tar:imgdrift/corpus:1.0"
    python3 corpus/pin-tar-mtime.py "$tmp/img/comp-$fmt$lvl.tar" "$T1"
done
keep "$tmp/img/comp-gzip6.tar" compress-gzip.tar
keep "$tmp/img/comp-zstd3.tar" compress-zstd.tar
keep "$tmp/img/comp-gzip1.tar" compress-gzip1.tar
keep "$tmp/img/comp-gzip9.tar" compress-gzip9.tar

# 5. permission drift: one file's mode (0644 -> 0600), and the owner of the
#    app layer (buildah copy --chown 1000:1000).
keep "$tmp/img/ref.tar" perm-mode-a.tar
keep "$tmp/img/mode.tar" perm-mode-b.tar
keep "$tmp/img/ref.tar" perm-owner-a.tar
keep "$tmp/img/owner.tar" perm-owner-b.tar

# 6. content drift: one byte of /etc/imgdrift/app.conf.
keep "$tmp/img/ref.tar" content-a.tar
keep "$tmp/img/content.tar" content-b.tar

# 7. ordering drift: the app layer re-made by GNU tar, once with
#    --sort=name and once in an unsorted (reverse sibling) order; the
#    digests, diff_ids and index are fixed up by replace-layer.py.
mkdir -p "$tmp/relayer/layout" "$tmp/relayer/tree"
tar -C "$tmp/relayer/layout" -xf "$tmp/img/ref.tar"
app_layer=$(python3 -c '
import json, sys
d = sys.argv[1]
i = json.load(open(d + "/index.json"))
m = json.load(open(d + "/blobs/sha256/" + i["manifests"][0]["digest"][7:]))
print(m["layers"][1]["digest"][7:])' "$tmp/relayer/layout")
tar -C "$tmp/relayer/tree" -xpf "$tmp/relayer/layout/blobs/sha256/$app_layer" --numeric-owner
python3 "$tmp/unsorted-walk.py" "$tmp/relayer/tree" >"$tmp/relayer/unsorted.list"

# relayer NAME TAR-OPTIONS...: the reference image with layer 2 replaced by
# "tar -C tree OPTIONS" (GNU tar, fixed owner and mtime), as oci-archive
# $tmp/img/NAME.tar.
relayer() {
    n=$1
    shift
    tar -C "$tmp/relayer/tree" --numeric-owner --owner=0 --group=0 \
        --mtime="@$T1" "$@" -cf "$tmp/relayer/$n.layer"
    rm -rf "$tmp/relayer/$n"
    cp -r "$tmp/relayer/layout" "$tmp/relayer/$n"
    python3 "$tmp/replace-layer.py" "$tmp/relayer/$n" 1 "$tmp/relayer/$n.layer"
    sko copy --quiet --dest-oci-accept-uncompressed-layers \
        "oci:$tmp/relayer/$n" "oci-archive:$tmp/img/$n.tar:imgdrift/corpus:1.0"
    python3 corpus/pin-tar-mtime.py "$tmp/img/$n.tar" "$T1"
}
relayer order-sorted --format=gnu --sort=name app
relayer order-unsorted --format=gnu --no-recursion -T "$tmp/relayer/unsorted.list"
keep "$tmp/img/order-sorted.tar" order-sorted.tar
keep "$tmp/img/order-unsorted.tar" order-unsorted.tar

# 7b. encoding drift: the same layer as GNU tar --format=gnu (magic
#     "ustar  ", long name in a ././@LongLink entry) and --format=posix
#     (magic "ustar\0" "00", long name in a PAX record; atime and ctime
#     records deleted and the PID-free PaxHeaders name, to stay stable).
relayer encoding-posix --format=posix --sort=name \
    --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime app
keep "$tmp/img/order-sorted.tar" encoding-gnu.tar
keep "$tmp/img/encoding-posix.tar" encoding-posix.tar

# 7c. layer split: the reference build committed with --squash (one layer
#     holding the same final tree; history has one entry).
keep "$tmp/img/ref.tar" squash-a.tar
keep "$tmp/img/squash.tar" squash-b.tar

# 7d. whiteout: umoci unpacks the reference image, leek.txt is deleted and
#     umoci repack adds a third layer holding only the whiteout
#     app/data/veg/.wh.leek.txt (gzip); b is the same build made without
#     leek.txt in the first place. Same final tree, other layer split.
if command -v umoci >/dev/null 2>&1; then
    mkdir -p "$tmp/umoci"
    sko copy --quiet --dest-oci-accept-uncompressed-layers \
        "oci-archive:$tmp/img/ref.tar" "oci:$tmp/umoci/layout:1.0"
    umoci unpack --image "$tmp/umoci/layout:1.0" "$tmp/umoci/bundle" >/dev/null
    rm "$tmp/umoci/bundle/rootfs/app/data/veg/leek.txt"
    touch -h -d "@$T1" "$tmp/umoci/bundle/rootfs/app/data/veg"
    umoci repack --image "$tmp/umoci/layout:1.0" \
        --history.created "$(date -u -d "@$T1" +%Y-%m-%dT%H:%M:%SZ)" \
        --history.created_by 'RUN rm /app/data/veg/leek.txt' \
        "$tmp/umoci/bundle" >/dev/null
    sko copy --quiet --dest-oci-accept-uncompressed-layers \
        "oci:$tmp/umoci/layout:1.0" "oci-archive:$tmp/img/umoci.tar:imgdrift/corpus:1.0"
    python3 corpus/pin-tar-mtime.py "$tmp/img/umoci.tar" "$T1"
    keep "$tmp/img/umoci.tar" whiteout-a.tar
    keep "$tmp/img/noleek.tar" whiteout-b.tar
else
    echo "make-corpus: umoci not found, whiteout pair not rebuilt" >&2
fi

# 8a. an OCI image layout directory (skopeo copy oci:DIR), same image.
sko copy --quiet --dest-oci-accept-uncompressed-layers \
    "oci-archive:$tmp/img/ref.tar" "oci:$OUT_ABS/layout-dir:1.0"
find "$OUT/layout-dir" -exec touch -h -d "@$T1" {} +
echo "  $OUT/layout-dir/"
keep "$tmp/img/ref.tar" layout-a.tar

# 8b. a multi-platform OCI index (linux/amd64 + linux/arm64) built with
#     buildah manifest, the two instances added in both orders.
for order in "ref arm64" "arm64 ref"; do
    # shellcheck disable=SC2086 # split into the two image names on purpose
    set -- $order
    list=localhost/corpus/multi-$1:1.0
    bah manifest create "$list" >/dev/null
    for n in "$@"; do
        bah manifest add "$list" "oci-archive:$tmp/img/$n.tar" >/dev/null
    done
    bah manifest push --quiet --all "$list" "oci-archive:$tmp/img/multi-$1.tar:imgdrift/corpus:1.0"
    python3 corpus/pin-tar-mtime.py "$tmp/img/multi-$1.tar" "$T1"
done
keep "$tmp/img/multi-ref.tar" multiarch-a.tar
keep "$tmp/img/multi-arm64.tar" multiarch-b.tar

# 9. the docker-archive wrapper itself compressed: gzip -n and zstd.
gzip -9 -n -c "$tmp/img/docker.tar" >"$tmp/img/docker.tar.gz"
zstd -q -19 --no-progress -c "$tmp/img/docker.tar" >"$tmp/img/docker.tar.zst"
keep "$tmp/img/docker.tar.gz" wrapped-docker.tar.gz
keep "$tmp/img/docker.tar.zst" wrapped-docker.tar.zst

# 10. the pairs of corpus/make-drivers.sh: buildah on the vfs and overlay
#     storage drivers and umoci (whiteout style, layer split), and a
#     squashed buildah bud pair.
sh corpus/make-drivers.sh ||
    echo "make-corpus: corpus/make-drivers.sh failed: drivers and squash-bud pairs not rebuilt" >&2

# Tool versions, for the README.
{
    echo "# tool versions used by corpus/make-corpus.sh for this corpus"
    buildah --version
    skopeo --version
    echo "GNU tar $(tar --version | sed -n '1s/.* //p')"
    gzip --version | sed -n 1p
    zstd --version
    if command -v umoci >/dev/null 2>&1; then umoci --version; fi
    python3 --version
} >"$OUT/TOOLS"

echo "checking"
for f in "$OUT"/*.tar "$OUT"/*.tar.gz "$OUT"/*.tar.zst; do
    tar tf "$f" >/dev/null || die "$f: tar cannot list it"
done
for f in "$OUT"/*.tar; do
    if tar tf "$f" | grep -qx oci-layout; then
        sko inspect "oci-archive:$f" >/dev/null || die "$f: skopeo inspect failed"
    fi
done
sko inspect "oci:$OUT/layout-dir:1.0" >/dev/null || die "layout-dir: skopeo inspect failed"
# no build-machine path may leak into the corpus (e.g. a .pyc co_filename)
if grep -rlF "$tmp" "$OUT"; then die "the temp dir path leaked into the files above"; fi
du -sh "$OUT"
echo "corpus rebuilt"
