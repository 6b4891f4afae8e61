# corpus/env.sh - sourced first, from the repository root and with $PROG
# set, by the scripts that build the corpus (corpus/make-corpus.sh,
# corpus/packages/make-packages.sh): a fixed umask and locale, die(), a
# private temporary directory $tmp (removed on exit, TMPDIR inside it) and
# a private containers configuration in it, so that nothing from
# /etc/containers or the user's storage is used (vfs driver, chroot
# isolation, no registries, an accept-anything policy for local copies),
# with the wrappers bah (buildah) and sko (skopeo) that use it.

umask 022
LC_ALL=C
TZ=UTC
export LC_ALL TZ

die() { echo "$PROG: $*" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/imgdrift-$PROG.XXXXXX")
cleanup() {
    # vfs layers are plain directories; nothing is mounted.
    chmod -R u+rwX "$tmp" 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$tmp/tmp" "$tmp/storage" "$tmp/run" "$tmp/img"
TMPDIR=$tmp/tmp
export TMPDIR

cat >"$tmp/storage.conf" <<EOF_CONF
[storage]
driver = "vfs"
runroot = "$tmp/run"
graphroot = "$tmp/storage"
EOF_CONF
printf '{"default":[{"type":"insecureAcceptAnything"}]}\n' >"$tmp/policy.json"
: >"$tmp/registries.conf"
CONTAINERS_STORAGE_CONF=$tmp/storage.conf
CONTAINERS_REGISTRIES_CONF=$tmp/registries.conf
BUILDAH_ISOLATION=chroot
export CONTAINERS_STORAGE_CONF CONTAINERS_REGISTRIES_CONF BUILDAH_ISOLATION

bah() {
    buildah --root "$tmp/storage" --runroot "$tmp/run" --storage-driver vfs \
        --registries-conf "$tmp/registries.conf" "$@"
}
sko() {
    skopeo --policy "$tmp/policy.json" --registries-conf "$tmp/registries.conf" "$@"
}
