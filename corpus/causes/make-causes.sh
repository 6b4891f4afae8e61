#!/bin/sh
# Build the content-cause pairs in corpus/causes from files made by the real
# tools that embed times, build paths and ids: python3 -m compileall, gzip
# (with and without -n), zip, Python's zipfile, ar rcUS / ar rcD, gcc -g with
# two build directories, msgfmt, dpkg-deb, and a PNG with a tIME chunk.
#
#   causes-a/b    only embedded timestamps differ    -> dependency-equivalent
#   hidden-a/b    the same, plus one real change and a package upgrade
#                                                    -> different
#   volatile-a/b  logs, machine-id, random seed, apt lists, a line-order file
#                 -> different; dependency-equivalent with --volatile ignore
#
# Needs: python3, gzip, zip, binutils (ar), gcc, gettext (msgfmt), dpkg-deb.
# Run from the repository root: sh corpus/causes/make-causes.sh
set -eu
OUT=corpus/causes
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export LC_ALL=C TZ=UTC
unset SOURCE_DATE_EPOCH
T1=202311142213.20	# build 1
T2=202311152213.20	# the rebuild, a day later

# build DIR STAMP: one build of the tree, every time taken from STAMP.
build() {
	d=$1 stamp=$2
	mkdir -p "$d/app/lib" "$d/usr/share/doc/app" "$d/usr/lib/app" \
	    "$d/usr/share/locale/de/LC_MESSAGES" "$d/usr/share/icons" "$d/etc"
	# Python bytecode (timestamp-based pyc: mtime at bytes 8-11).
	printf 'def greet(name):\n    return "hello " + name\n' >"$d/app/lib/greet.py"
	touch -t "$stamp" "$d/app/lib/greet.py"
	(cd "$d/app/lib" && python3 -m compileall -q -d /app/lib greet.py >/dev/null)
	# gzip without -n keeps the input's mtime in its header; with -n not.
	printf 'app (1.0) stable; urgency=low\n\n  * first release\n' >"$d/changelog"
	touch -t "$stamp" "$d/changelog"
	gzip -9 <"$d/changelog" >/dev/null
	gzip -9 -c "$d/changelog" >"$d/usr/share/doc/app/changelog.gz.tmp"
	(cd "$d" && gzip -9 -f changelog && mv changelog.gz usr/share/doc/app/changelog.gz)
	rm -f "$d/usr/share/doc/app/changelog.gz.tmp"
	printf 'news\n' >"$d/NEWS"; touch -t "$stamp" "$d/NEWS"
	gzip -9 -n -c "$d/NEWS" >"$d/usr/share/doc/app/NEWS.gz"; rm "$d/NEWS"
	# zip (Info-ZIP) and Python's zipfile store DOS times.
	mkdir -p "$d/src"; printf 'Main-Class: App\n' >"$d/src/MANIFEST.MF"
	touch -t "$stamp" "$d/src/MANIFEST.MF"
	(cd "$d/src" && zip -q -X ../usr/lib/app/app.jar MANIFEST.MF)
	python3 - "$d/usr/lib/app/lib.whl" "$stamp" <<'PY'
import sys, time, zipfile
t = time.strptime(sys.argv[2], "%Y%m%d%H%M.%S")
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr(zipfile.ZipInfo("lib/__init__.py", date_time=t[:6]), "x = 1\n")
PY
	# ar: rcU keeps member mtimes, rcD writes zeros.
	printf 'int f(void) { return 1; }\n' >"$d/src/f.c"
	gcc -c -O1 -o "$d/src/f.o" "$d/src/f.c"
	touch -t "$stamp" "$d/src/f.o"
	ar rcUS "$d/usr/lib/app/libf.a" "$d/src/f.o" 2>/dev/null	# S: no symbol table, whose own header holds the time of ar
	ar rcD "$d/usr/lib/app/libf-det.a" "$d/src/f.o"
	# gcc -g in two build directories: DWARF comp_dir and the build id move.
	mkdir -p "$d/b"; cp "$d/src/f.c" "$d/b/main.c"
	printf 'int f(void);\nint main(void) { return f(); }\n' >>"$d/b/main.c"
	(cd "$d/b" && gcc -g -O0 -Wl,--build-id -o "$d/usr/lib/app/tool" main.c \
	    -fdebug-prefix-map="$d/b=/src/build-$3")
	# gettext catalogue with its revision date (msgfmt drops POT-Creation-Date).
	printf 'msgid ""\nmsgstr ""\n"Project-Id-Version: app 1.0\\n"\n"PO-Revision-Date: %s\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "hello"\nmsgstr "hallo"\n' \
	    "$4" >"$d/de.po"
	msgfmt -o "$d/usr/share/locale/de/LC_MESSAGES/app.mo" "$d/de.po"
	# A PNG with a tIME chunk.
	python3 - "$d/usr/share/icons/app.png" "$stamp" <<'PY'
import struct, sys, time, zlib
t = time.strptime(sys.argv[2], "%Y%m%d%H%M.%S")
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
png += chunk(b"tIME", struct.pack(">HBBBBB", *t[:6]))
png += chunk(b"IDAT", zlib.compress(b"\x00\x80")) + chunk(b"IEND", b"")
open(sys.argv[1], "wb").write(png)
PY
	# A Debian package: ar members holding gzip'd tars with file times.
	mkdir -p "$d/pkg/DEBIAN" "$d/pkg/usr/share/app" "$d/var/cache/app"
	printf 'Package: app-data\nVersion: 1.0\nArchitecture: all\nMaintainer: x <x@example.org>\nDescription: data\n' \
	    >"$d/pkg/DEBIAN/control"
	printf 'data\n' >"$d/pkg/usr/share/app/data.txt"
	find "$d/pkg" -exec touch -h -t "$stamp" {} +
	SOURCE_DATE_EPOCH=$5 dpkg-deb -Zgzip --root-owner-group --build "$d/pkg" \
	    "$d/var/cache/app/app-data.deb" >/dev/null
	rm -rf "$d/pkg"
	printf 'port = 8080\n' >"$d/etc/app.conf"
	rm -rf "$d/src" "$d/b" "$d/de.po"
	find "$d" -exec touch -h -t "$stamp" {} +
}

# Same-length build directories so that only the strings' bytes move.
build "$T/causes-a" "$T1" aaaa "2023-11-14 22:13+0000" 1700000000
build "$T/causes-b" "$T2" bbbb "2023-11-15 22:13+0000" 1700086400
python3 corpus/oci-pack.py "$T/causes-a" "$OUT/causes-a.tar" 2023-11-14T22:13:20Z
python3 corpus/oci-pack.py "$T/causes-b" "$OUT/causes-b.tar" 2023-11-15T22:13:20Z

# A real change hiding among the timestamp noise, and a package upgrade.
status() {
	printf 'Package: base-files\nStatus: install ok installed\nVersion: 12.4\n\n'
	printf 'Package: libssl3\nStatus: install ok installed\nVersion: %s\n\n' "$1"
	printf 'Package: zlib1g\nStatus: install ok installed\nVersion: 1:1.2.13\n'
}
cp -a "$T/causes-a" "$T/hidden-a"; cp -a "$T/causes-b" "$T/hidden-b"
mkdir -p "$T/hidden-a/var/lib/dpkg" "$T/hidden-b/var/lib/dpkg"
status 3.0.11-1 >"$T/hidden-a/var/lib/dpkg/status"
status 3.0.13-1 >"$T/hidden-b/var/lib/dpkg/status"
printf 'port = 8081\n' >"$T/hidden-b/etc/app.conf"
touch -t "$T1" "$T/hidden-a/var/lib/dpkg/status" "$T/hidden-a/var/lib/dpkg" "$T/hidden-a/var/lib" "$T/hidden-a/var"
touch -t "$T2" "$T/hidden-b/var/lib/dpkg/status" "$T/hidden-b/var/lib/dpkg" "$T/hidden-b/var/lib" "$T/hidden-b/var" "$T/hidden-b/etc/app.conf"
python3 corpus/oci-pack.py "$T/hidden-a" "$OUT/hidden-a.tar" 2023-11-14T22:13:20Z
python3 corpus/oci-pack.py "$T/hidden-b" "$OUT/hidden-b.tar" 2023-11-15T22:13:20Z

# Files that change on every build by nature.
volatile() {
	d=$1 day=$2 id=$3
	mkdir -p "$d/var/log/apt" "$d/etc" "$d/var/lib/systemd" "$d/var/lib/apt/lists" "$d/usr/share/app"
	printf '2023-11-%s 22:13:20 startup archives unpack\n2023-11-%s 22:13:21 install libssl3:amd64 <none> 3.0.11-1\n2023-11-%s 22:13:22 status installed libssl3:amd64 3.0.11-1\n' \
	    "$day" "$day" "$day" >"$d/var/log/dpkg.log"
	printf 'Start-Date: 2023-11-%s  22:13:19\nCommandline: apt-get install -y libssl3\nEnd-Date: 2023-11-%s  22:13:23\n' \
	    "$day" "$day" >"$d/var/log/apt/history.log"
	printf '%s\n' "$id" >"$d/etc/machine-id"
	printf '%s' "$id$id" >"$d/var/lib/systemd/random-seed"
	printf 'Date: %s Nov 2023 22:13:%s UTC\n' "$day" "$day" >"$d/var/lib/apt/lists/deb.example_dists_stable_InRelease"
	find "$d" -exec touch -h -t 202311142213.20 {} +
}
volatile "$T/volatile-a" 14 0f3c1a2b4d5e6f708192a3b4c5d6e7f8
volatile "$T/volatile-b" 15 9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b
printf 'alpha\nbeta\ngamma\n' >"$T/volatile-a/usr/share/app/plugins.list"
printf 'gamma\nalpha\nbeta\n' >"$T/volatile-b/usr/share/app/plugins.list"
find "$T"/volatile-? -exec touch -h -t 202311142213.20 {} +
python3 corpus/oci-pack.py "$T/volatile-a" "$OUT/volatile-a.tar" 2023-11-14T22:13:20Z
python3 corpus/oci-pack.py "$T/volatile-b" "$OUT/volatile-b.tar" 2023-11-14T22:13:20Z
echo "made: $(ls "$OUT"/*.tar | tr '\n' ' ')"
