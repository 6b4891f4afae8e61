#!/bin/sh
# corpus/packages/make-usrmerge.sh: the merged-/usr pair (README.md):
# hostname 3.23+nmu1 installed by dpkg into a root whose bin, sbin, lib
# and lib64 are symlinks into usr/ (Debian 12's layout), so that dpkg's
# info/hostname.list names /bin/hostname while the file sits at
# usr/bin/hostname; B is A with usr/bin/hostname edited after install.
# Run as root from the repository root (dpkg, apt-get, python3).
set -eu
P=corpus/packages
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
deb=hostname_3.23+nmu1_amd64.deb
(cd "$T" && apt-get download hostname=3.23+nmu1 2>/dev/null)
grep -q "$(sha256sum "$T/$deb" | cut -d' ' -f1)  $deb" $P/debs.sha256 ||
    { echo "make-usrmerge.sh: $deb is not the one in debs.sha256" >&2; exit 1; }
r=$T/root
mkdir -p "$r/usr/bin" "$r/usr/sbin" "$r/usr/lib" "$r/usr/lib64" "$r/var/lib/dpkg/updates" "$r/var/lib/dpkg/info"
for d in bin sbin lib lib64; do ln -s usr/$d "$r/$d"; done
: >"$r/var/lib/dpkg/status"
: >"$r/var/lib/dpkg/available"
dpkg --root="$r" --force-not-root --force-script-chrootless --force-depends \
    --path-include='*' --log=/dev/null --install "$T/$deb" >/dev/null
pin() { find "$1" -exec touch -h -d @1700000000 {} +; }
pin "$r"
python3 corpus/oci-pack.py "$r" $P/dpkg-usrmerge-a.tar 2023-11-14T22:13:20Z \
    created_by="dpkg --install hostname=3.23+nmu1 (merged /usr)"
printf '\n# edited after install\n' >>"$r/usr/bin/hostname"
pin "$r"
python3 corpus/oci-pack.py "$r" $P/dpkg-usrmerge-b.tar 2023-11-14T22:13:20Z \
    created_by="dpkg --install hostname=3.23+nmu1 (merged /usr)"
