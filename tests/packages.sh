#!/bin/sh
# CLI tests for the package view of a diff: synthetic dpkg pairs made by
# tests/pkg/mkpair.py (every change at once, an unreadable database, a
# distroless status.d/), text and JSON goldens, and the JSON keys other
# tools read.  usage: sh tests/packages.sh ./imgdrift
NAME=packages; . tests/lib.sh "$@"

python3 tests/pkg/mkpair.py "$T" || bad "tests/pkg/mkpair.py"

# Every change at once: the text report and the JSON report.
$RUN diff "$T/dpkg-a.tar" "$T/dpkg-b.tar" | sed "s|$T/||g" >"$T/got.txt"
golden "$T/got.txt" tests/golden/packages-dpkg.txt
$RUN diff --format json "$T/dpkg-a.tar" "$T/dpkg-b.tar" | sed "s|$T/||g" >"$T/got.json"
golden "$T/got.json" tests/golden/packages-dpkg.json
$RUN diff --format markdown "$T/dpkg-a.tar" "$T/dpkg-b.tar" | sed "s|$T/||g" >"$T/got.md"
golden "$T/got.md" tests/golden/packages-dpkg.md
status 1 "packages moved: different" diff --require dependency-equivalent \
    "$T/dpkg-a.tar" "$T/dpkg-b.tar"

# --max-examples caps the packages block of text and Markdown, "and N
# more"; JSON lists every package still.
$RUN diff --max-examples 2 "$T/dpkg-a.tar" "$T/dpkg-b.tar" >"$T/cap.txt"
$RUN diff --max-examples 2 --format markdown "$T/dpkg-a.tar" "$T/dpkg-b.tar" >"$T/cap.md"
$RUN diff --max-examples 2 --format json "$T/dpkg-a.tar" "$T/dpkg-b.tar" >"$T/cap.json"
if [ "$(sed -n '/^packages$/,/^$/p' "$T/cap.txt" | grep -c '^  dpkg  ')" = 2 ] &&
    grep -q "^  and 4 more (--max-examples, or the JSON report)$" "$T/cap.txt" &&
    [ "$(grep -c '^| dpkg:' "$T/cap.md")" = 2 ] &&
    grep -q "^and 4 more (--max-examples, or the JSON report)$" "$T/cap.md" &&
    python3 -c 'import json,sys; assert len(json.load(open(sys.argv[1]))["packages"]) == 6' "$T/cap.json"
then ok; else bad "--max-examples and the packages block"; sed -n '/^packages$/,/^$/p' "$T/cap.txt"; fi
if [ "$(sed -n '/^packages$/,/^$/p' "$T/got.txt" | grep -c '^  dpkg  ')" = 5 ] &&
    grep -q "^  and 1 more " "$T/got.txt"; then ok
else bad "the default packages block is not 5 and 1 more"; fi

# The five content examples of the text report lead with what no package
# explains, wherever it sorts.
if grep -q "^      known-volatile:ldconfig-aux-cache  var/cache/ldconfig/aux-cache: cache a -> cache b$" "$T/got.txt" &&
    grep -q "^      etc/unowned.conf  size" "$T/got.txt"; then ok
else bad "unowned files not among the examples"; fi

# inspect --packages: text and JSON.
$RUN inspect --packages "$T/dpkg-b.tar" | sed "s|$T/||g" >"$T/inspect.txt"
golden "$T/inspect.txt" tests/golden/packages-inspect.txt
$RUN inspect --packages --format json "$T/dpkg-b.tar" >"$T/inspect.json"
if python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["schema"] == "imgdrift.packages/1"
im = d["images"][0]
assert im["databases"] == [{"ecosystem": "dpkg", "read": True, "problem": None,
                           "notes": []}]
got = [(p["name"], p["version"], p["arch"], p["files"]) for p in im["packages"]]
assert ("openssl", "3.0.22-1~deb12u2", "amd64", 2) in got, got
assert len(got) == 6, got
' "$T/inspect.json"; then ok; else bad "inspect --packages json"; fi
$RUN inspect --packages "$T/dpkg-bad.tar" >"$T/out" 2>"$T/err"
if [ $? -eq 0 ] && grep -q "dpkg database unreadable: var/lib/dpkg/status: " "$T/out"; then ok
else bad "inspect --packages of an unreadable database"; fi
$RUN inspect --packages corpus/real/rebuild-a.tar >"$T/out"
if grep -q "no package database" "$T/out"; then ok; else bad "inspect --packages: none"; fi

# The keys read by tools outside this repository.
if python3 - "$T/got.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
got = {(p["ecosystem"], p["name"], p["arch"], p["a"], p["b"], p["change"], p["files"])
       for p in d["packages"]}
want = {("dpkg", "openssl", "amd64", "3.0.20-1~deb12u2", "3.0.22-1~deb12u2", "upgraded", 2),
        ("dpkg", "libssl3", "amd64", "3.0.20-1~deb12u2", "3.0.22-1~deb12u2", "upgraded", 1),
        ("dpkg", "tzdata", "all", "2024a-0+deb12u1", "2024a-0+deb12u1", "rebuilt", 1),
        ("dpkg", "zlib1g", "amd64", "1:1.2.13.dfsg-1+b1", "1:1.2.13.dfsg-1", "downgraded", 1),
        ("dpkg", "newpkg", "all", None, "2.0-1", "added", 1),
        ("dpkg", "oldpkg", "all", "0.9", None, "removed", 1)}
assert got == want, got
by = {f["path"]: f for f in d["findings"]}
assert by["usr/bin/openssl"]["package"] == "dpkg:openssl"
assert by["usr/bin/openssl"]["modified_after_install"] is False
assert by["usr/lib/libfoo.so.1"]["package"] == "dpkg:libfoo"
assert by["usr/lib/libfoo.so.1"]["modified_after_install"] is True
assert by["etc/unowned.conf"]["package"] is None
assert by["var/lib/dpkg/status"]["package_database"] is True
content = [f["path"] for f in d["findings"] if f["class"] == "content"]
assert content[:3] == ["etc/unowned.conf", "var/cache/ldconfig/aux-cache",
                       "usr/lib/libfoo.so.1"], content
for f in d["findings"]:
    assert "package" in f and "modified_after_install" in f
PY
then ok; else bad "JSON packages and per-finding keys"; fi

# An unreadable database is a note; the file verdict stands.
$RUN diff "$T/dpkg-a.tar" "$T/dpkg-bad.tar" >"$T/out" 2>"$T/err"
rc=$?
if [ $rc -eq 1 ] && grep -q "packages: dpkg database unreadable: .*(B)" "$T/out" &&
    ! grep -q "^packages" "$T/out" && [ ! -s "$T/err" ]; then ok
else bad "unreadable status: exit $rc"; cat "$T/out" "$T/err" | head; fi

# Distroless: status.d/ stanza files and their md5sums.
$RUN diff --format json "$T/dpkg-distroless-a.tar" "$T/dpkg-distroless-b.tar" >"$T/j"
if python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert [(p["name"], p["a"], p["b"], p["change"], p["files"]) for p in d["packages"]] == \
    [("tzdata", "2024a-0+deb12u1", "2024b-0+deb12u1", "upgraded", 1)], d["packages"]
f = [f for f in d["findings"] if f["path"] == "usr/share/zoneinfo/UTC"][0]
assert f["package"] == "dpkg:tzdata"
' "$T/j"; then ok; else bad "distroless status.d"; fi

# apk: lib/apk/db/installed, apk's version order, Z: checksums.
$RUN diff --format json "$T/apk-a.tar" "$T/apk-b.tar" >"$T/j"
if python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
got = [(p["ecosystem"], p["name"], p["arch"], p["a"], p["b"], p["change"], p["files"])
       for p in d["packages"]]
assert got == [("apk", "busybox", "x86_64", "1.36.1-r5", "1.36.1-r10", "upgraded", 1),
               ("apk", "zlib", "x86_64", "1.3.1-r0", "1.3_rc1-r0", "downgraded", 1)], got
by = {f["path"]: f for f in d["findings"]}
f = by["lib/ld-musl-x86_64.so.1"]
assert f["package"] == "apk:musl" and f["modified_after_install"] is True, f
assert by["lib/apk/db/installed"]["package_database"] is True
' "$T/j"; then ok; else bad "apk pair"; fi
$RUN inspect --packages "$T/apk-b.tar" >"$T/out"
if grep -q "^  apk  busybox  1.36.1-r10  x86_64  1 file$" "$T/out"; then ok
else bad "inspect --packages apk"; cat "$T/out"; fi

# rpm: rpmdb.sqlite read with SQLite, header blobs parsed, rpmvercmp.
$RUN diff --format json "$T/rpm-a.tar" "$T/rpm-b.tar" >"$T/j"
if python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
got = [(p["ecosystem"], p["name"], p["arch"], p["a"], p["b"], p["change"], p["files"])
       for p in d["packages"]]
assert got == [("rpm", "bash", "x86_64", "5.2.15-3.fc38", "5.2.26-1.fc39", "upgraded", 1)], got
by = {f["path"]: f for f in d["findings"]}
f = by["usr/bin/sudo"]
assert f["package"] == "rpm:sudo" and f["modified_after_install"] is True, f
assert by["usr/bin/bash"]["package"] == "rpm:bash"
assert by["usr/lib/sysimage/rpm/rpmdb.sqlite"]["package_database"] is True
' "$T/j"; then ok; else bad "rpm pair"; fi
$RUN inspect --packages "$T/rpm-a.tar" >"$T/out"
if grep -q "^  rpm  sudo  1:1.9.13-1.p2.fc38  x86_64  1 file$" "$T/out" &&
    ! grep -q gpg-pubkey "$T/out"; then ok
else bad "inspect --packages rpm"; cat "$T/out"; fi
for c in "rpm-bdb:rpm database not read: a Berkeley DB (var/lib/rpm/Packages) (B)" \
    "rpm-notsqlite:rpm database unreadable: var/lib/rpm/rpmdb.sqlite: not an SQLite database (B)" \
    "rpm-badheader:rpm database unreadable: var/lib/rpm/rpmdb.sqlite: row 1: a header with 2147483647 index entries (B)"; do
	name=${c%%:*}; why=${c#*:}
	$RUN diff "$T/rpm-a.tar" "$T/$name.tar" >"$T/out" 2>"$T/err"
	rc=$?
	if [ $rc -eq 1 ] && grep -qF "packages: $why" "$T/out" && [ ! -s "$T/err" ]; then ok
	else bad "$name: exit $rc"; grep packages "$T/out" "$T/err" | head -3; fi
done

# A fingerprint keeps the package lists: compared as with the image.
$RUN record -o "$T/a.fp" "$T/dpkg-a.tar" 2>/dev/null
$RUN diff --format json "$T/a.fp" "$T/dpkg-b.tar" >"$T/fpj"
if python3 -c '
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
assert a["packages"] == b["packages"] and len(a["packages"]) == 6, a["packages"]
key = lambda d: sorted((f["path"], f["package"], f["modified_after_install"])
                       for f in d["findings"] if f.get("path"))
assert key(a) == key(b)
' "$T/fpj" "$T/got.json"; then ok
else bad "fingerprint: packages not as with the image"; fi
$RUN inspect --packages "$T/a.fp" | sed "s|$T/||g" >"$T/out"
$RUN inspect --packages "$T/dpkg-a.tar" | sed "s|$T/||g" >"$T/out2"
if [ "$(tail -n +2 "$T/out")" = "$(tail -n +2 "$T/out2")" ] && grep -q openssl "$T/out"; then ok
else bad "inspect --packages of a fingerprint"; diff "$T/out" "$T/out2"; fi

# The same image twice: no packages block, nothing moved.
$RUN diff "$T/dpkg-a.tar" "$T/dpkg-a.tar" >"$T/out"
if ! grep -q "^packages" "$T/out"; then ok; else bad "packages block for one image"; fi

# Hostile databases (tests/hostile/gen_pkg.py; tests/hostile.sh runs them
# under limits): each is a note naming the reason, never an error.
python3 tests/hostile/gen_pkg.py "$T/h" || bad "tests/hostile/gen_pkg.py"
for c in "truncated:var/lib/dpkg/status: truncated (no newline at the end)" \
    "longline:var/lib/dpkg/status: line 1 is longer than 1048576 bytes" \
    "nocolon:var/lib/dpkg/status: line 6: not a field (no colon)" \
    "nul:var/lib/dpkg/status: line 1: a NUL byte" \
    'md5sums:var/lib/dpkg/info/a:amd64.md5sums: line 1: not "<md5>  <path>"' \
    "list:var/lib/dpkg/info/a:amd64.list: line 1: not an absolute path"; do
	name=${c%%:*}; why=${c#*:}
	$RUN diff "$T/h/pkg-good.tar" "$T/h/$name.tar" >"$T/out" 2>"$T/err"
	rc=$?
	if [ $rc -eq 1 ] && grep -qF "packages: dpkg database unreadable: $why (B)" "$T/out" &&
	    [ ! -s "$T/err" ]; then ok
	else bad "hostile $name: exit $rc"; grep packages "$T/out" "$T/err" | head -3; fi
done
$RUN diff "$T/h/pkg-good.tar" "$T/h/over.tar" >"$T/out"
if grep -qF "packages: dpkg database not read: over 64 MiB (B)" "$T/out"; then ok
else bad "hostile over: no note"; fi

finish
