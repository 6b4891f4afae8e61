#!/bin/sh
# corpus/packages/make-modified.sh: the pairs of files edited after their
# package installed them, beyond dpkg-modified.tar (README.md there):
#
#   rpm-modified-a.tar, -b.tar   two packages built here by rpmbuild, one
#       with MD5 file digests (FILEDIGESTALGO 1, as rpm wrote them before
#       4.6), one with SHA-256 (8, rpm's default), installed by rpm with
#       the sqlite backend; in b one file of each edited after install
#   dpkg-rebuilt-a.tar, dpkg-rebuilt-edited.tar   openssh-sftp-server
#       1:9.2p1-2+deb12u9 installed by dpkg; in b the rebuilt package
#       (rebuild-deb.sh: its man page recompressed) installed, then that
#       man page edited after install: rebuilt and edited, the file
#       matching neither record
#
# Each image is one layer packed by corpus/oci-pack.py (every mtime
# 1700000000, no buildah).  Run as root from the repository root: dpkg,
# dpkg-deb, apt-get, rpm, rpmbuild, faketime, python3.
set -eu
P=corpus/packages
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
SOURCE_DATE_EPOCH=1700000000
export SOURCE_DATE_EPOCH
CREATED=2023-11-14T22:13:20Z
pin() { find "$1" -exec touch -h -d @1700000000 {} +; }
edit() { printf '# edited after install\n' >>"$1"; }

# --- rpm ---------------------------------------------------------------------
# rpm_pkg NAME ALGO: a package with a script and a README, its file
# digests by FILEDIGESTALGO ALGO (1 MD5, 8 SHA-256), built reproducibly.
rpm_pkg() {
    cat >"$T/$1.spec" <<SPEC
Name:           $1
Version:        1.0
Release:        1
Summary:        A file edited after install, for imgdrift's corpus
License:        MIT
BuildArch:      noarch

%description
A script and a README.

%install
mkdir -p %{buildroot}/usr/bin %{buildroot}/usr/share/doc/$1
printf '#!/bin/sh\necho "hello from $1"\n' >%{buildroot}/usr/bin/$1
chmod 0755 %{buildroot}/usr/bin/$1
printf '$1 1.0-1\n' >%{buildroot}/usr/share/doc/$1/README

%files
/usr/bin/$1
%dir /usr/share/doc/$1
/usr/share/doc/$1/README
SPEC
    rpmbuild -bb --quiet --define "_topdir $T/rpmtop" \
        --define "_binary_filedigest_algorithm $2" \
        --define "use_source_date_epoch_as_buildtime 1" \
        --define "clamp_mtime_to_source_date_epoch 1" \
        --define "_buildhost imgdrift.invalid" "$T/$1.spec" >/dev/null 2>&1
}
rpm_pkg imgdrift-md5 1
rpm_pkg imgdrift-sha256 8
r=$T/rpmroot
mkdir -p "$r"
faketime -f '2023-11-14 22:13:20' rpm --root "$r" --dbpath /var/lib/rpm \
    --define '_db_backend sqlite' --nodeps -U "$T"/rpmtop/RPMS/noarch/*.rpm 2>/dev/null
rm -f "$r/var/lib/rpm/rpmdb.sqlite-shm" "$r/var/lib/rpm/rpmdb.sqlite-wal"
pin "$r"
python3 corpus/oci-pack.py "$r" $P/rpm-modified-a.tar $CREATED \
    created_by="rpm -U imgdrift-md5 imgdrift-sha256"
edit "$r/usr/bin/imgdrift-sha256"
edit "$r/usr/share/doc/imgdrift-md5/README"
pin "$r"
python3 corpus/oci-pack.py "$r" $P/rpm-modified-b.tar $CREATED \
    created_by="rpm -U imgdrift-md5 imgdrift-sha256"

# --- dpkg: rebuilt and edited ------------------------------------------------
deb=openssh-sftp-server_1%3a9.2p1-2+deb12u9_amd64.deb
(cd "$T" && apt-get download openssh-sftp-server=1:9.2p1-2+deb12u9 2>/dev/null)
grep -q "$(sha256sum "$T/$deb" | cut -d' ' -f1)  $deb" $P/debs.sha256 ||
    { echo "make-modified.sh: $deb is not the one in debs.sha256" >&2; exit 1; }
mkdir -p "$T/rebuilt"
sh $P/rebuild-deb.sh "$T/$deb" "$T/rebuilt/$deb" "$T/work" 1700086400
# dpkg_root ROOT DEB: dpkg installs DEB into the empty root ROOT
dpkg_root() {
    mkdir -p "$1/var/lib/dpkg/updates" "$1/var/lib/dpkg/info"
    : >"$1/var/lib/dpkg/status"
    dpkg --root="$1" --force-not-root --force-script-chrootless \
        --force-depends --path-include='*' --log=/dev/null --install "$2" >/dev/null 2>&1
    pin "$1"
}
dpkg_root "$T/deb-a" "$T/$deb"
python3 corpus/oci-pack.py "$T/deb-a" $P/dpkg-rebuilt-a.tar $CREATED \
    created_by="dpkg --install openssh-sftp-server=1:9.2p1-2+deb12u9"
dpkg_root "$T/deb-b" "$T/rebuilt/$deb"
edit "$T/deb-b/usr/share/man/man8/sftp-server.8.gz"
pin "$T/deb-b"
python3 corpus/oci-pack.py "$T/deb-b" $P/dpkg-rebuilt-edited.tar $CREATED \
    created_by="dpkg --install openssh-sftp-server=1:9.2p1-2+deb12u9"
