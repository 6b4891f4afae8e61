#!/bin/sh
# tests/deb.sh DEB - the Debian package that make deb builds: what it
# holds and declares, then installed into a fresh Debian root (mmdebstrap
# fetches the root and the runtime libraries the package depends on, and
# nothing else), where it runs --version and a diff.
# usage: sh tests/deb.sh build/deb/imgdrift_VERSION_ARCH.deb (make deb-test)
DEB=$(cd "$(dirname "${1:-.}")" 2>/dev/null && pwd)/$(basename "${1:-none}")
NAME=deb; . tests/lib.sh ./imgdrift
[ -f "$DEB" ] || { echo "usage: sh tests/deb.sh FILE.deb"; exit 2; }
ROOT=$(pwd)/$T/root

dpkg-deb -c "$DEB" | awk '{print $NF}' >"$T/contents"
for f in ./usr/bin/imgdrift ./usr/share/man/man1/imgdrift.1.gz \
    ./usr/share/bash-completion/completions/imgdrift \
    ./usr/share/zsh/vendor-completions/_imgdrift; do
	if grep -qx "$f" "$T/contents"; then ok; else bad "the package lacks $f"; fi
done
deps=$(dpkg-deb -f "$DEB" Depends)
for lib in libarchive13 libjansson4 libzstd1 libsqlite3-0 libssl3 libcurl4 libisal2 libxxhash0; do
	case $deps in *"$lib "*|*"$lib,"*|*"$lib") ok ;; *) bad "Depends lacks $lib: $deps" ;; esac
done

# apt installs the package inside the root, where its path is /tmp/...:
# a local .deb given to --include would be looked for outside.
if mmdebstrap --variant=apt --customize-hook="copy-in $DEB /tmp" \
    --customize-hook="chroot \"\$1\" apt-get install -y -q /tmp/$(basename "$DEB")" \
    bookworm "$ROOT" >"$T/log" 2>&1; then ok
else bad "mmdebstrap with the package"; tail -20 "$T/log"; finish; exit; fi
if [ "$(chroot "$ROOT" dpkg-query -W -f='${Status}' imgdrift)" = "install ok installed" ]; then ok
else bad "not installed in the fresh root"; fi
if chroot "$ROOT" imgdrift --version | grep -qx "imgdrift [0-9.]*"; then ok; else bad "--version in the fresh root"; fi
cp corpus/real/timestamp-a.tar corpus/real/timestamp-b.tar "$ROOT/tmp/"
chroot "$ROOT" imgdrift diff -q /tmp/timestamp-a.tar /tmp/timestamp-b.tar >"$T/out" 2>"$T/err"
if [ $? -eq 1 ] && grep -q '^dependency-equivalent' "$T/out" && [ ! -s "$T/err" ]; then ok
else bad "diff in the fresh root"; cat "$T/out" "$T/err"; fi
if [ -f "$ROOT/usr/share/bash-completion/completions/imgdrift" ] &&
    [ -f "$ROOT/usr/share/man/man1/imgdrift.1.gz" ]; then ok; else bad "man page or completion not installed"; fi
rm -rf "$ROOT"
finish
