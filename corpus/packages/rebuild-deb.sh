#!/bin/sh
# corpus/packages/rebuild-deb.sh SRC.deb OUT.deb WORKDIR MTIME: the same
# package rebuilt, synthetic from real (README.md, "Rebuilt"): unpacked
# with dpkg-deb -R, its man page sftp-server.8.gz recompressed with
# gzip -9 without -n (the gzip header now holds a name and the mtime
# MTIME: the classic unreproducible rebuild), DEBIAN/md5sums recomputed,
# packed again with dpkg-deb -b (xz, as the original) under the caller's
# SOURCE_DATE_EPOCH.  Same name, version and control file, other bytes.
# Used by make-packages.sh and make-modified.sh.
set -eu
src=$1 out=$2 d=$3 mtime=$4
rm -rf "$d"
dpkg-deb -R "$src" "$d"
man=$d/usr/share/man/man8/sftp-server.8
gzip -d "$man.gz"
touch -d "@$mtime" "$man"
gzip -9 "$man"
(cd "$d" && find usr -type f | sort | xargs md5sum) >"$d/DEBIAN/md5sums"
dpkg-deb --root-owner-group -Zxz -b "$d" "$out" >/dev/null
