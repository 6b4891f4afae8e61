#!/bin/sh
# corpus/packages/make-packages.sh - rebuild the real-package image pairs.
#
# Run from the repository root, as root:   sh corpus/packages/make-packages.sh
#
# Every dpkg image holds real Debian packages (apt-get download NAME=VERSION,
# checked against corpus/packages/debs.sha256) installed by dpkg itself into
# an empty root (dpkg --root, see dpkg_in below), so var/lib/dpkg/status,
# info/*.list and info/*.md5sums are what dpkg wrote.  The rpm images hold
# two tiny packages built here by rpmbuild and installed by rpm (sqlite
# database; one pair turned into a Berkeley DB Packages file by db5.3_load);
# the apk images synthetic packages in Alpine's installed-database format
# (apk-db.py: apk-tools is not packaged for Debian).  Each root is a buildah
# working container (vfs driver, a private storage root under a temporary
# directory): one `buildah commit` per step gives one layer per step, with
# whiteouts where a step removed files.  Nothing outside the temporary
# directory and corpus/packages is written; nothing is ever run inside an
# image.  corpus/packages/README.md explains every file, expected.tsv lists
# what each pair must show.
#
# Needs: apt-get (with bookworm, bookworm-updates and bookworm-security in its
# sources), dpkg, dpkg-deb, buildah, python3, gzip, sha256sum, rpm and
# rpmbuild (Debian's rpm), faketime, db5.3_load (db5.3-util).

set -eu
PROG=make-packages
. corpus/env.sh

[ -f corpus/packages/make-packages.sh ] || die "run from the repository root"
[ "$(id -u)" = 0 ] || die "run as root (buildah with the vfs driver)"
for t in apt-get dpkg dpkg-deb buildah python3 gzip sha256sum rpm rpmbuild \
    faketime db5.3_load; do
    command -v "$t" >/dev/null 2>&1 || die "missing tool: $t"
done

OUT=corpus/packages

mkdir -p "$tmp/debs" "$tmp/work"

# Fixed times (seconds since the epoch, UTC).
T1=1700000000          # 2023-11-14T22:13:20Z  every image
T2=1700086400          # 2023-11-15T22:13:20Z  the rebuilt package
SOURCE_DATE_EPOCH=$T1
export SOURCE_DATE_EPOCH

# ---------------------------------------------------------------------------
# The packages: fetched by apt-get (the archive's signed indexes vouch for
# them) and checked against the sha256 committed in debs.sha256, so that a
# rerun uses the very same bytes or stops.

echo "downloading packages"
while read -r sum file; do
    # file: NAME_VERSION_ARCH.deb with the epoch's ':' as %3a (apt's name)
    name=${file%%_*}
    rest=${file#*_}
    ver=$(printf '%s' "${rest%_*}" | sed 's/%3a/:/')
    (cd "$tmp/debs" && apt-get download -q "$name=$ver" 2>&1 |
        grep -v 'unsandboxed as root' || true) >/dev/null
    [ -f "$tmp/debs/$file" ] || die "apt-get download $name=$ver gave no $file"
    echo "$sum  $file"
done <"$OUT/debs.sha256" >"$tmp/debs.sha256"
(cd "$tmp/debs" && sha256sum --quiet -c "$tmp/debs.sha256") ||
    die "a downloaded package is not the one in $OUT/debs.sha256"

# debs NAME=VERSION...: the paths of the downloaded .debs
debs() {
    for nv in "$@"; do
        dir=$tmp/debs
        case $nv in rebuilt:*) dir=$tmp/rebuilt nv=${nv#rebuilt:} ;; esac
        f=$(ls "$dir/${nv%%=*}_$(printf '%s' "${nv#*=}" | sed 's/:/%3a/')_"*.deb 2>/dev/null) ||
            die "no package $nv in debs.sha256"
        echo "$f"
    done
}

# ---------------------------------------------------------------------------
# dpkg_in ROOT ARGS...: run dpkg on the root directory ROOT as dpkg installs
# into a chroot from outside it.  --force-depends: the images hold only the
# packages under test, not their dependencies (libc6, ...); dpkg still
# records every package as "install ok installed".  None of the packages
# used has maintainer scripts (--force-script-chrootless is there so that
# dpkg never tries to chroot).  --path-include=*: dpkg.cfg.d path-exclude
# rules of the host (docs, man pages) do not apply.  The log goes to the
# temporary directory: var/log/dpkg.log carries wall-clock times.
dpkg_in() {
    r=$1; shift
    mkdir -p "$r/var/lib/dpkg/info" "$r/var/lib/dpkg/updates"
    [ -f "$r/var/lib/dpkg/status" ] || : >"$r/var/lib/dpkg/status"
    dpkg --root="$r" --force-not-root --force-script-chrootless \
        --force-depends --path-include='*' --log="$tmp/dpkg.log" "$@" \
        >>"$tmp/dpkg.out" 2>&1 || { cat "$tmp/dpkg.out" >&2; die "dpkg $*"; }
}

# image NAME TIMESTAMP STEP...: build an image from scratch, one layer per
# STEP; a step is "FUNCTION ARG..." (run with the mounted root as its first
# argument) and is also the layer's created_by.  The result is the
# oci-archive $tmp/img/NAME.tar, every layer entry's mtime and the created
# times set to TIMESTAMP by buildah commit --timestamp.
image() {
    name=$1 ts=$2; shift 2
    from=scratch n=0
    for step in "$@"; do
        n=$((n + 1))
        c=$(bah from --quiet --isolation chroot --arch amd64 --name "$name-$n" "$from")
        m=$(bah mount "$c")
        # shellcheck disable=SC2086
        set -- $step
        fn=$1; shift
        "$fn" "$m" "$@"
        bah unmount "$c" >/dev/null
        bah config --arch amd64 --os linux --created-by "$step" \
            --annotation org.opencontainers.image.base.digest= \
            --annotation org.opencontainers.image.base.name= "$c"
        bah commit --quiet --timestamp "$ts" --rm "$c" "localhost/pkg/$name:$n" >/dev/null
        from=localhost/pkg/$name:$n
    done
    bah push --quiet "$from" "oci-archive:$tmp/img/$name.tar:imgdrift/packages:1.0" >/dev/null
    python3 corpus/pin-tar-mtime.py "$tmp/img/$name.tar" "$ts"
}


# ---------------------------------------------------------------------------
# Steps: each is called with the mounted root first, then its words.

install() { r=$1; shift; dpkg_in "$r" --install $(debs "$@"); }
purge() { r=$1; shift; dpkg_in "$r" --purge "$@"; }
remove() { r=$1; shift; dpkg_in "$r" --remove "$@"; }

# edit ROOT PATH: change a file after dpkg installed it (a local edit, as
# a later `RUN sed -i ...` would make): one line appended.
edit() {
    echo "Local-Note: edited after installation" >>"$1/$2"
}

# banner ROOT PATH N: a file no package owns, its text numbered N.
banner() {
    mkdir -p "$1/$(dirname "$2")"
    printf 'Welcome to the imgdrift package corpus (banner %s).\n' "$3" >"$1/$2"
}

# statusd ROOT NAME=VERSION...: a distroless-style install, as distroless
# builders do it, without dpkg: every package's files unpacked by
# dpkg-deb --extract, its control stanza (dpkg-deb --field) written to
# var/lib/dpkg/status.d/NAME and its md5sums to status.d/NAME.md5sums;
# no var/lib/dpkg/status, no info/.
statusd() {
    r=$1; shift
    mkdir -p "$r/var/lib/dpkg/status.d"
    for f in $(debs "$@"); do
        p=$(dpkg-deb --field "$f" Package)
        dpkg-deb --extract "$f" "$r"
        dpkg-deb --field "$f" >"$r/var/lib/dpkg/status.d/$p"
        dpkg-deb --ctrl-tarfile "$f" | tar -xO ./md5sums >"$r/var/lib/dpkg/status.d/$p.md5sums"
    done
}

# rebuild_deb NAME=VERSION: the same package rebuilt, synthetic from real
# (rebuild-deb.sh: its man page recompressed without -n, the gzip header
# holding T2).  The result replaces the original under rebuilt/.
rebuild_deb() {
    src=$(debs "$1")
    mkdir -p "$tmp/rebuilt"
    sh "$OUT/rebuild-deb.sh" "$src" "$tmp/rebuilt/$(basename "$src")" \
        "$tmp/work/rebuild" "$T2"
}

# The reference package set of the dpkg images: an epoch and a security
# revision (openssh-sftp-server), a Multi-Arch: same package whose info
# files are gir1.2-restextras-1.0:amd64.* (gir1.2-restextras-1.0), a '~'
# revision (djview3).
SFTP=openssh-sftp-server=1:9.2p1-2+deb12u9
GIR=gir1.2-restextras-1.0=0.9.1-6+deb12u1
DJV=djview3=3.5.28-2.1~deb12u1
REF="$SFTP $GIR $DJV"

echo "rebuilding $SFTP (synthetic from real)"
rebuild_deb "$SFTP"

echo "building dpkg images"
image dpkg-ref "$T1" "install $REF"
image dpkg-sftp-u7 "$T1" "install openssh-sftp-server=1:9.2p1-2+deb12u7 $GIR $DJV"
image dpkg-gir-old "$T1" "install $SFTP gir1.2-restextras-1.0=0.9.1-6 $DJV"
image dpkg-added "$T1" "install $REF node-cipher-base=1.0.4-6+deb12u1"
image dpkg-purged "$T1" "install $REF" "purge djview3"
image dpkg-layered "$T1" "install $REF" \
    "install openssh-sftp-server=1:9.2p1-2+deb12u10 djview3=3.5.28-2.2~deb12u1"
image dpkg-rebuilt "$T1" "install rebuilt:$SFTP $GIR $DJV"
image dpkg-modified "$T1" "install $REF" "edit usr/share/doc/djview3/copyright"
image dpkg-unowned-a "$T1" "install $REF" "banner usr/lib/openssh/banner.txt 1"
image dpkg-unowned-b "$T1" "install $REF" "banner usr/lib/openssh/banner.txt 2"
IM=imagemagick-6-common=8:6.9.11.60+dfsg-1.6+deb12u11
image dpkg-conffiles-a "$T1" "install $REF $IM"
image dpkg-conffiles-b "$T1" "install $REF $IM" "remove imagemagick-6-common"
image dpkg-statusd-a "$T1" "statusd openssh-sftp-server=1:9.2p1-2+deb12u7 $GIR $DJV"
image dpkg-statusd-b "$T1" "statusd $SFTP $GIR djview3=3.5.28-2.2~deb12u1"

# ---------------------------------------------------------------------------
# rpm: two tiny packages built here by rpmbuild (Debian's rpm), installed
# by rpm itself into the mounted root with the sqlite backend.  rpm
# records the install time in every header, so rpm runs under faketime,
# the clock frozen at T1.  rpm leaves rpmdb.sqlite-shm (shared memory,
# other bytes every run) and an empty rpmdb.sqlite-wal beside the
# database; both are removed, the database is complete without them.

mkdir -p "$tmp/rpmtop" "$tmp/spec"
cat >"$tmp/spec/imgdrift-hello.spec" <<'EOF'
Name:           imgdrift-hello
%{?ep:Epoch:          %{ep}}
Version:        %{ver}
Release:        %{rel}
Summary:        A tiny program for imgdrift's package corpus
License:        MIT
URL:            https://imgdrift.invalid/

%description
A shell script, its configuration and a README: enough to give an image
an rpm database that owns files.

%install
mkdir -p %{buildroot}/usr/bin %{buildroot}/etc/imgdrift-hello %{buildroot}/usr/share/doc/imgdrift-hello
printf '#!/bin/sh\necho "hello from imgdrift-hello %{version}"\n' >%{buildroot}/usr/bin/imgdrift-hello
chmod 0755 %{buildroot}/usr/bin/imgdrift-hello
printf 'greeting = hello\n' >%{buildroot}/etc/imgdrift-hello/hello.conf
printf 'imgdrift-hello %{version}-%{release}\n' >%{buildroot}/usr/share/doc/imgdrift-hello/README

%files
/usr/bin/imgdrift-hello
%dir /etc/imgdrift-hello
%config(noreplace) /etc/imgdrift-hello/hello.conf
%dir /usr/share/doc/imgdrift-hello
/usr/share/doc/imgdrift-hello/README
EOF
cat >"$tmp/spec/imgdrift-motd.spec" <<'EOF'
Name:           imgdrift-motd
Version:        %{ver}
Release:        %{rel}
Summary:        A message of the day for imgdrift's package corpus
License:        MIT
BuildArch:      noarch

%description
One configuration file.

%install
mkdir -p %{buildroot}/etc/motd.d
printf 'Welcome to an imgdrift corpus image.\n' >%{buildroot}/etc/motd.d/imgdrift

%files
%dir /etc/motd.d
%config(noreplace) /etc/motd.d/imgdrift
EOF

# rpm_build NAME [EPOCH:]VERSION RELEASE: rpmbuild, times and host pinned
rpm_build() {
    spec=$tmp/spec/$1.spec evr=$2
    set -- --define "ver ${2#*:}" --define "rel $3"
    case $evr in
    *:*) set -- "$@" --define "ep ${evr%%:*}" ;;
    esac
    rpmbuild -bb --quiet --define "_topdir $tmp/rpmtop" "$@" \
        --define "debug_package %{nil}" \
        --define "use_source_date_epoch_as_buildtime 1" \
        --define "clamp_mtime_to_source_date_epoch 1" \
        --define "_buildhost imgdrift.invalid" \
        "$spec" >>"$tmp/rpmbuild.out" 2>&1 ||
        { cat "$tmp/rpmbuild.out" >&2; die "rpmbuild $spec $evr"; }
}

# rpms NAME-VERSION-RELEASE...: the paths of the built packages
rpms() {
    for nvr in "$@"; do
        f=$(ls "$tmp/rpmtop/RPMS/"*/"$nvr".*.rpm 2>/dev/null) || die "no rpm $nvr"
        echo "$f"
    done
}

# rpm_in ROOT DBPATH ARGS...: rpm on the mounted root (sqlite backend,
# dependencies not checked: the images hold no glibc or shell)
rpm_in() {
    r=$1 db=$2; shift 2
    faketime -f '2023-11-14 22:13:20' rpm --root "$r" --dbpath "$db" \
        --define '_db_backend sqlite' --nodeps "$@" >>"$tmp/rpm.out" 2>&1 ||
        { cat "$tmp/rpm.out" >&2; die "rpm $*"; }
    rm -f "$r$db/rpmdb.sqlite-shm" "$r$db/rpmdb.sqlite-wal"
}
rpm_U() { r=$1 db=$2; shift 2; rpm_in "$r" "$db" -U $(rpms "$@"); }
rpm_e() { r=$1 db=$2; shift 2; rpm_in "$r" "$db" -e "$@"; }

# rpm_bdb ROOT DBPATH: the sqlite database rpm wrote turned into the
# Berkeley DB layout of rpm before 4.16 (CentOS 7, RHEL 8): a Packages hash
# database, written by Berkeley DB's own db5.3_load from the header blobs
# rpm stored (key: the header number, 4 bytes native order; key 0: the
# next free number, as rpm's BDB backend kept it), then rpmdb.sqlite
# removed.  rpm's bdb_ro backend reads it back (checked here).  Berkeley
# DB writes a unique file id and leaves padding uninitialised: those
# bytes, which no reader looks at, are zeroed so that reruns match.
rpm_bdb() {
    r=$1 db=$2
    python3 "$OUT/rpmdb-to-bdb.py" dump "$r$db/rpmdb.sqlite" >"$tmp/bdb.dump"
    db5.3_load -f "$tmp/bdb.dump" "$r$db/Packages"
    python3 "$OUT/rpmdb-to-bdb.py" pin "$r$db/Packages"
    rm -f "$r$db/rpmdb.sqlite"
    rpm --dbpath "$r$db" --define '_db_backend bdb_ro' -qa 2>/dev/null | grep -q . ||
        die "rpm cannot read the Berkeley DB it was given"
}

echo "building rpm packages"
rpm_build imgdrift-hello 1.0 1
rpm_build imgdrift-hello 1.1 1
rpm_build imgdrift-hello '1.1~rc1' 1
rpm_build imgdrift-hello 1:1.0 2
rpm_build imgdrift-motd 2.0 1

echo "building rpm images"
V=/var/lib/rpm S=/usr/lib/sysimage/rpm
image rpm-ref "$T1" "rpm_U $V imgdrift-hello-1.0-1 imgdrift-motd-2.0-1"
image rpm-upgrade "$T1" "rpm_U $V imgdrift-hello-1.1-1 imgdrift-motd-2.0-1"
image rpm-layered "$T1" "rpm_U $V imgdrift-hello-1.0-1 imgdrift-motd-2.0-1" \
    "rpm_U $V imgdrift-hello-1.1~rc1-1" "rpm_e $V imgdrift-motd"
image rpm-sysimage-a "$T1" "rpm_U $S imgdrift-hello-1.1-1"
image rpm-sysimage-b "$T1" "rpm_U $S imgdrift-hello-1.0-2 imgdrift-motd-2.0-1"
image rpm-bdb-a "$T1" "rpm_U $V imgdrift-hello-1.0-1 imgdrift-motd-2.0-1" "rpm_bdb $V"
image rpm-bdb-b "$T1" "rpm_U $V imgdrift-hello-1.1-1 imgdrift-motd-2.0-1" "rpm_bdb $V"

# ---------------------------------------------------------------------------
# apk: apk-tools is not packaged for Debian, so apk-db.py installs small
# synthetic packages and writes lib/apk/db/installed in Alpine's format
# (documented synthetic: README.md).

apk_add() { r=$1; shift; python3 "$OUT/apk-db.py" add "$r" "$@"; }
apk_del() { r=$1; shift; python3 "$OUT/apk-db.py" del "$r" "$@"; }

echo "building apk images"
image apk-ref "$T1" "apk_add imgdrift-hello=1.0.4-r3 imgdrift-motd=2.0-r0"
image apk-upgrade "$T1" "apk_add imgdrift-hello=1.0.4-r4 imgdrift-motd=2.0-r0"
image apk-modified "$T1" "apk_add imgdrift-hello=1.0.4-r3 imgdrift-motd=2.0-r0" \
    "edit etc/motd.d/imgdrift"
image apk-mixed "$T1" "apk_add imgdrift-hello=1.0.4-r3 imgdrift-motd=2.0-r0" \
    "apk_del imgdrift-hello" "apk_add imgdrift-motd=2.0_rc1-r0 imgdrift-extra=0.1-r0"

# The pairs are listed in pairs.tsv (A, B, the file-level verdict and
# classes imgdrift gives today, what the pair shows); every image named
# there must have been built above.
tail -n +2 "$OUT/pairs.tsv" | cut -f1,2 >"$tmp/pairs"

# Remove what an earlier run wrote (only our own names).
rm -f "$OUT"/*.tar

echo "writing $OUT"
cut -f1,2 "$tmp/pairs" | tr '\t' '\n' | sort -u | while read -r f; do
    cp "$tmp/img/$f" "$OUT/$f"
    echo "  $OUT/$f"
done

# expected.tsv: what the package view of every pair must show, worked out
# by expect.py from the images (README.md: how, and what was checked by hand)
first=--header
cut -f1,2 "$tmp/pairs" | while IFS="$(printf '\t')" read -r a b; do
    python3 "$OUT/expect.py" $first "$OUT/$a" "$OUT/$b"
    first=
done >"$OUT/expected.tsv"

{
    echo "# tool versions used by corpus/packages/make-packages.sh"
    dpkg --version | head -1
    rpm --version
    echo "faketime $(dpkg-query -W -f '${Version}' faketime)"
    db5.3_load -V
    buildah --version
    python3 --version
} >"$OUT/TOOLS"
echo "done"
