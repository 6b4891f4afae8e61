#!/bin/sh
# Build the same Dockerfile twice with buildah, a few seconds apart, into
# corpus/dockerfile/buildah-a.tar and buildah-b.tar (OCI archives): real
# buildah history (`/bin/sh -c #(nop) COPY file:... in ...`, `|1 V=1
# /bin/sh -c ...`, empty-layer ARG, ENV and CMD steps) for diff
# --dockerfile, and a file that holds the build's date.
# Needs buildah and apt-get (Debian's busybox-static is the base image's
# only file: nothing is pulled from a registry); runs as root; touches no
# machine state (private storage under a temporary directory).
# usage: sh corpus/dockerfile/make-buildah.sh   (from the repository root)
set -eu
out=$(pwd)/corpus/dockerfile
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
S="--root $T/storage --runroot $T/run --storage-driver vfs"
export TMPDIR=$T
cd "$T"
apt-get download busybox-static >/dev/null
dpkg-deb -x busybox-static_*.deb deb
mkdir -p base/bin
cp deb/bin/busybox base/bin/
for a in sh mkdir cp echo cat rm chmod date touch ls; do
	ln -s busybox base/bin/$a
done
c=$(buildah $S from scratch)
buildah $S copy "$c" base/ / >/dev/null
buildah $S config --env PATH=/bin "$c"
buildah $S commit --timestamp 0 "$c" localhost/bb:1 >/dev/null
cp "$out/Dockerfile" "$out/app.txt" .
for n in a b; do
	buildah $S bud --isolation chroot --layers --no-cache -f Dockerfile \
	    -t "localhost/app:$n" . >/dev/null
	buildah $S push "localhost/app:$n" "oci-archive:$out/buildah-$n.tar" >/dev/null
	sleep 2
done
