#!/bin/sh
# bench/make-debian-pair.sh OUTDIR: a Debian root file system built twice,
# OUTDIR/A.tar and OUTDIR/B.tar (one-layer OCI archives, about 260 MB of
# files and 8,000 entries each), for the package view's benchmark
# (docs/performance.md).  Real Debian 12 packages fetched with apt-get
# download (about 55 MB of .deb), unpacked into a merged-/usr root
# (bin -> usr/bin, ...) as dpkg unpacks them, and dpkg's database written
# as dpkg writes it: var/lib/dpkg/status, info/NAME.list (the paths as
# the package names them, /bin/bash), info/NAME.md5sums.  No maintainer
# script runs.  B has openssh-sftp-server 1:9.2p1-2+deb12u9 where A has
# deb12u7; everything else is the same packages, unpacked again (so the
# database files' mtimes move).  Needs dpkg-deb, tar, apt-get and
# bookworm's package lists.  Not committed: make it where you bench.
set -eu
out=$1
mkdir -p "$out/debs"
pkgs="libc6 coreutils perl-base perl-modules-5.36 libperl5.36 libicu72
locales tzdata libssl3 openssl python3.11-minimal libpython3.11-minimal
libpython3.11-stdlib cpp-12 libgcc-12-dev libstdc++6
binutils-x86-64-linux-gnu bash util-linux libsystemd0 systemd"
(cd "$out/debs" && apt-get download $pkgs \
    openssh-sftp-server=1:9.2p1-2+deb12u7 \
    openssh-sftp-server=1:9.2p1-2+deb12u9)

# root DIR DEB...: the packages unpacked into a merged-/usr root.
root() {
	r=$1; shift
	rm -rf "$r"
	mkdir -p "$r/usr/bin" "$r/usr/sbin" "$r/usr/lib" "$r/usr/lib64" \
	    "$r/var/lib/dpkg/info"
	for d in bin sbin lib lib64; do ln -s usr/$d "$r/$d"; done
	: >"$r/var/lib/dpkg/status"
	for deb in "$@"; do
		pkg=$(dpkg-deb -f "$deb" Package)
		arch=$(dpkg-deb -f "$deb" Architecture)
		name=$pkg
		[ "$(dpkg-deb -f "$deb" Multi-Arch)" = same ] && name=$pkg:$arch
		dpkg-deb --fsys-tarfile "$deb" |
		    tar -x --keep-directory-symlink -C "$r"
		dpkg-deb --fsys-tarfile "$deb" | tar -t |
		    sed 's|^\./|/|; s|/$||; s|^$|/.|' >"$r/var/lib/dpkg/info/$name.list"
		dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./md5sums \
		    >"$r/var/lib/dpkg/info/$name.md5sums" 2>/dev/null ||
		    rm -f "$r/var/lib/dpkg/info/$name.md5sums"
		dpkg-deb -f "$deb" |
		    awk '{ print } /^Package:/ { print "Status: install ok installed" }' \
		    >>"$r/var/lib/dpkg/status"
		echo >>"$r/var/lib/dpkg/status"
	done
}

common=$(ls "$out"/debs/*.deb | grep -v openssh-sftp-server)
root "$out/rootA" $common "$out"/debs/openssh-sftp-server_*deb12u7_amd64.deb
root "$out/rootB" $common "$out"/debs/openssh-sftp-server_*deb12u9_amd64.deb
here=$(dirname "$0")
python3 "$here/../corpus/oci-pack.py" "$out/rootA" "$out/A.tar" \
    2026-11-30T10:00:00Z created_by="unpack Debian 12 packages"
python3 "$here/../corpus/oci-pack.py" "$out/rootB" "$out/B.tar" \
    2026-11-30T10:00:00Z created_by="unpack Debian 12 packages"
rm -rf "$out/rootA" "$out/rootB"
