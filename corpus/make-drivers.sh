#!/bin/sh
# corpus/make-drivers.sh - the real-tool pairs whose layers differ while the
# final file systems are equal, and a squashed buildah build, in corpus/real/.
#
# Run from the repository root:   sh corpus/make-drivers.sh
# (corpus/make-corpus.sh runs it too, after its own pairs.)
#
# drivers-a.tar      buildah, vfs storage driver
# drivers-b.tar      buildah, overlay storage driver (the kernel's overlayfs)
# drivers-umoci.tar  umoci unpack/repack of the same base
#   Two steps: layer 1 copies a small tree; layer 2 deletes a directory that
#   layer 1 made and makes it again with one of its files ("rm -rf veg &&
#   mkdir veg && cp onion.txt veg/"). Each tool writes that deletion its own
#   way: overlay as an opaque-directory marker (veg/.wh..wh..opq), vfs and
#   umoci as one whiteout per file (veg/.wh.leek.txt); the tools also differ
#   in which parent directory entries layer 2 carries. The final trees are
#   equal.
# squash-bud-a.tar, squash-bud-b.tar
#   "buildah bud --squash" of a five-step Containerfile (two COPY, ENV,
#   WORKDIR, CMD): one layer, whose history entries are all empty_layer but
#   the last (CMD). a and b differ only in --timestamp.
#
# Same conventions as make-corpus.sh (corpus/real/README.md): pinned inputs,
# a private storage root, runroot and configuration per driver under a
# temporary directory, FROM scratch, nothing pulled, nothing in an image run
# (the file system is changed from outside through "buildah mount").
# Needs: buildah skopeo umoci python3, root, and overlayfs for the overlay
# driver (checked first: without it the script stops and says so).

set -eu
umask 022
export LC_ALL=C TZ=UTC
die() {
    echo "make-drivers: $*" >&2
    exit 1
}

[ -f corpus/make-drivers.sh ] || die "run from the repository root"
for t in buildah skopeo umoci python3; do
    command -v "$t" >/dev/null 2>&1 || die "missing tool: $t"
done

OUT=corpus/real
mkdir -p "$OUT"
T1=1700000000          # 2023-11-14T22:13:20Z
T2=1700086400          # one day later
S1=1699990000          # source file mtimes
SOURCE_DATE_EPOCH=$T1
export SOURCE_DATE_EPOCH

tmp=$(mktemp -d "${TMPDIR:-/tmp}/imgdrift-drivers.XXXXXX")
cleanup() {
    for d in vfs overlay; do
        [ -d "$tmp/$d" ] || continue
        bah "$d" umount --all >/dev/null 2>&1 || true
        bah "$d" rm --all >/dev/null 2>&1 || true
        # overlay leaves its layers mounted until storage is shut down
        grep -F "$tmp/$d" /proc/mounts | while read -r _ mp _; do
            umount "$mp" 2>/dev/null || true
        done
    done
    chmod -R u+rwX "$tmp" 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$tmp/tmp" "$tmp/img" "$tmp/ctx"
TMPDIR=$tmp/tmp
export TMPDIR
printf '{"default":[{"type":"insecureAcceptAnything"}]}\n' >"$tmp/policy.json"
: >"$tmp/registries.conf"
CONTAINERS_REGISTRIES_CONF=$tmp/registries.conf
BUILDAH_ISOLATION=chroot
export CONTAINERS_REGISTRIES_CONF BUILDAH_ISOLATION

# bah DRIVER ARGS...: buildah with that driver's private storage.
bah() {
    drv=$1
    shift
    mkdir -p "$tmp/$drv/storage" "$tmp/$drv/run"
    if [ ! -f "$tmp/$drv/storage.conf" ]; then
        printf '[storage]\ndriver = "%s"\nrunroot = "%s"\ngraphroot = "%s"\n' \
            "$drv" "$tmp/$drv/run" "$tmp/$drv/storage" >"$tmp/$drv/storage.conf"
    fi
    CONTAINERS_STORAGE_CONF=$tmp/$drv/storage.conf buildah --root "$tmp/$drv/storage" \
        --runroot "$tmp/$drv/run" --storage-driver "$drv" \
        --registries-conf "$tmp/registries.conf" "$@"
}
sko() {
    skopeo --policy "$tmp/policy.json" --registries-conf "$tmp/registries.conf" "$@"
}
# Is overlayfs there?  (The overlay driver needs it; say so if not.)
mkdir -p "$tmp/ovl/l" "$tmp/ovl/u" "$tmp/ovl/w" "$tmp/ovl/m"
mount -t overlay overlay -o "lowerdir=$tmp/ovl/l,upperdir=$tmp/ovl/u,workdir=$tmp/ovl/w" \
    "$tmp/ovl/m" 2>/dev/null || die "overlayfs cannot be mounted here: no overlay driver pair"
umount "$tmp/ovl/m"

# The context: a small tree with fixed contents and mtimes.
ctx=$tmp/ctx
mkdir -p "$ctx/etc/imgdrift" "$ctx/app/data/fruit" "$ctx/app/data/veg"
printf '[server]\nlisten = 0.0.0.0:8080\n' >"$ctx/etc/imgdrift/app.conf"
echo "apple: red or green, 95 kcal" >"$ctx/app/data/fruit/apple.txt"
echo "leek: white and green, 54 kcal" >"$ctx/app/data/veg/leek.txt"
echo "onion: brown, 40 kcal" >"$ctx/app/data/veg/onion.txt"
cat >"$ctx/Containerfile" <<'EOF'
FROM scratch
COPY etc /etc
COPY app /app/
ENV APP_MODE=demo
WORKDIR /app
CMD ["/app/run.sh"]
EOF
find "$ctx" -exec touch -h -d "@$S1" {} +

STEP2='RUN rm -rf /app/data/veg && mkdir /app/data/veg && cp /onion.txt /app/data/veg/'

# step2 ROOT: what the second step does, from outside the container.
step2() {
    rm -rf "$1/app/data/veg"
    mkdir "$1/app/data/veg"
    cp -p "$ctx/app/data/veg/onion.txt" "$1/app/data/veg/"
    touch -h -d "@$S1" "$1/app/data/veg"
}

# build DRIVER: the two-step image with buildah on DRIVER, as
# $tmp/img/DRIVER.tar (oci-archive, uncompressed layers).
build() {
    d=$1
    c=$(bah "$d" from --quiet --name "base-$d" scratch)
    bah "$d" copy --quiet "$c" "$ctx/etc" /etc >/dev/null
    bah "$d" copy --quiet "$c" "$ctx/app" /app >/dev/null
    bah "$d" config --arch amd64 --os linux --created-by 'COPY etc app /' "$c"
    bah "$d" commit --quiet --timestamp "$T1" --rm "$c" localhost/drivers/base:1.0 >/dev/null
    c=$(bah "$d" from --quiet --name "app-$d" localhost/drivers/base:1.0)
    mnt=$(bah "$d" mount "$c")
    step2 "$mnt"
    bah "$d" umount "$c" >/dev/null
    bah "$d" config --arch amd64 --os linux --created-by "$STEP2" \
        --annotation org.opencontainers.image.base.digest= \
        --annotation org.opencontainers.image.base.name= "$c"
    bah "$d" commit --quiet --timestamp "$T1" --rm "$c" \
        "oci-archive:$tmp/img/$d.tar:imgdrift/drivers:1.0" >/dev/null
    python3 corpus/pin-tar-mtime.py "$tmp/img/$d.tar" "$T1"
}

echo "building with buildah on vfs and on overlay"
build vfs
build overlay

echo "building with umoci"
mkdir -p "$tmp/umoci"
bah vfs push --quiet localhost/drivers/base:1.0 "oci:$tmp/umoci/layout:1.0" >/dev/null
umoci unpack --image "$tmp/umoci/layout:1.0" "$tmp/umoci/bundle" >/dev/null
step2 "$tmp/umoci/bundle/rootfs"
find "$tmp/umoci/bundle/rootfs" -exec touch -h -d "@$T1" {} +
umoci repack --image "$tmp/umoci/layout:1.0" \
    --history.created "$(date -u -d "@$T1" +%Y-%m-%dT%H:%M:%SZ)" \
    --history.created_by "$STEP2" "$tmp/umoci/bundle" >/dev/null
sko copy --quiet --dest-oci-accept-uncompressed-layers \
    "oci:$tmp/umoci/layout:1.0" "oci-archive:$tmp/img/umoci.tar:imgdrift/drivers:1.0"
python3 corpus/pin-tar-mtime.py "$tmp/img/umoci.tar" "$T1"

echo "building the squashed pair with buildah bud --squash"
for ts in "$T1" "$T2"; do
    bah vfs bud --quiet --squash --timestamp "$ts" --arch amd64 --os linux \
        -f "$ctx/Containerfile" -t "localhost/drivers/squash:$ts" "$ctx" >/dev/null
    bah vfs push --quiet "localhost/drivers/squash:$ts" \
        "oci-archive:$tmp/img/squash-$ts.tar:imgdrift/squash:1.0" >/dev/null
    python3 corpus/pin-tar-mtime.py "$tmp/img/squash-$ts.tar" "$ts"
done

for p in "vfs drivers-a" "overlay drivers-b" "umoci drivers-umoci" \
    "squash-$T1 squash-bud-a" "squash-$T2 squash-bud-b"; do
    # shellcheck disable=SC2086 # two words on purpose
    set -- $p
    cp "$tmp/img/$1.tar" "$OUT/$2.tar"
    echo "  $OUT/$2.tar"
done
if grep -rlF "$tmp" "$OUT"/drivers-*.tar "$OUT"/squash-bud-*.tar; then
    die "the temp dir path leaked into the files above"
fi
echo "drivers pairs rebuilt"
