#!/bin/sh
# CLI tests for "modified after install" by checksum: real packages whose
# files were edited after install (corpus/packages, corpus/apppkg), each
# file's bytes against the digest its package database recorded, checked
# by tests/pkg/check_modified.py against digests worked out by md5sum and
# python3 from the images; the limits that leave a file not checked; a
# fingerprint on one side.  usage: sh tests/modified.sh ./imgdrift
NAME=modified; . tests/lib.sh "$@"
P=corpus/packages

# modified A B PATH ECO NAME: the JSON keys and the text line of the file
# PATH, edited in B after package ECO:NAME installed it.
modified() {
	$RUN diff --format json "$1" "$2" >"$T/j" 2>"$T/err"
	$RUN diff "$1" "$2" >"$T/t" 2>>"$T/err"
	if python3 tests/pkg/check_modified.py "$@" "$T/j" "$T/t" >"$T/out" 2>&1 &&
	    [ ! -s "$T/err" ]; then ok
	else bad "modified after install: $3 ($4:$5)"; cat "$T/out" "$T/err" | tail -5; fi
}

# dpkg: a file of djview3 edited in a second layer; hostname's, found
# through bin -> usr/bin (its .md5sums names /bin/hostname).
modified $P/dpkg-ref.tar $P/dpkg-modified.tar usr/share/doc/djview3/copyright dpkg djview3
modified $P/dpkg-usrmerge-a.tar $P/dpkg-usrmerge-b.tar usr/bin/hostname dpkg hostname
# apk: Z: is "Q1" + base64 of the SHA-1.
modified $P/apk-ref.tar $P/apk-modified.tar etc/motd.d/imgdrift apk imgdrift-motd
# rpm: FILEDIGESTS by FILEDIGESTALGO, SHA-256 and (as before rpm 4.6) MD5.
modified $P/rpm-modified-a.tar $P/rpm-modified-b.tar usr/bin/imgdrift-sha256 rpm imgdrift-sha256
modified $P/rpm-modified-a.tar $P/rpm-modified-b.tar usr/share/doc/imgdrift-md5/README rpm imgdrift-md5
# pypi: a RECORD's sha256 (urlsafe base64) and size; wheel 0.38.4 from
# Debian's python3-wheel-whl, installed by pip (corpus/apppkg).
modified corpus/apppkg/app-a.tar corpus/apppkg/app-modified.tar \
    opt/venv/lib/python3.11/site-packages/wheel/__init__.py pypi wheel
# dpkg, rebuilt and edited: the package row says rebuilt, the file both.
modified $P/dpkg-rebuilt-a.tar $P/dpkg-rebuilt-edited.tar usr/share/man/man8/sftp-server.8.gz dpkg openssh-sftp-server
if python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert [(p["name"], p["change"], p["files"]) for p in d["packages"]] == \
    [("openssh-sftp-server", "rebuilt", 1)], d["packages"]
' "$T/j"; then ok; else bad "rebuilt and edited: the package row"; fi

# The Markdown and HTML reports say the same, the package escaped by their
# own helpers.
$RUN diff --format markdown $P/rpm-modified-a.tar $P/rpm-modified-b.tar >"$T/md"
$RUN diff --format html $P/rpm-modified-a.tar $P/rpm-modified-b.tar >"$T/html"
if grep -qF "package rpm:imgdrift-md5, **modified after install (rpm:imgdrift-md5: md5 in the database 7bb8198ead230c3f2995f7115e712ea5, file c8e859366f4a32c7b2ad7d873f881d7e) in B; A matches its record** |" "$T/md" &&
    grep -qF "package: rpm:imgdrift-sha256 <b>modified after install (rpm:imgdrift-sha256: sha256 in the database 825bad73b78f69d7c388ad6ce2514c0537b502637bfd8bb7007bed6b3be2b6da, file 70175f497d8cba534718ad20cd63e5b8894841e70d6413eeca9a03f7b6022a18) in B; A matches its record</b>" "$T/html"
then ok; else bad "modified after install in Markdown and HTML"; fi

# The file the other way round: A was edited, B is as installed.
$RUN diff $P/dpkg-modified.tar $P/dpkg-ref.tar >"$T/t"
if grep -q "^        package: dpkg:djview3  modified after install (dpkg:djview3: md5 in the database 5821f6680eaa61d97f96d3edb60de2b5, file ed8ef9b63802dde8a1d8d7a506385e42) in A; B matches its record$" "$T/t"
then ok; else bad "modified in A"; grep "package:" "$T/t"; fi

# A limit that leaves the bytes unread: not checked, never called modified.
for c in "--look-max-file 100:over the second look's file size limit (100 bytes):file-size" \
    "--look-budget 1K:over the second look's budget (1 KiB):budget"; do
	opt=${c%%:*}; rest=${c#*:}; why=${rest%:*}; limit=${rest##*:}
	# shellcheck disable=SC2086
	$RUN diff $opt $P/dpkg-ref.tar $P/dpkg-modified.tar >"$T/t"
	# shellcheck disable=SC2086
	$RUN diff $opt --format json $P/dpkg-ref.tar $P/dpkg-modified.tar >"$T/j"
	if grep -qF "package: dpkg:djview3  not checked against the digest dpkg recorded: $why" "$T/t" &&
	    ! grep -q "modified after install" "$T/t" && python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
f = [f for f in d["findings"] if f["path"] == "usr/share/doc/djview3/copyright"][0]
assert f["package"] == "dpkg:djview3" and f["modified_after_install"] is False, f
c = f["record_check"]
assert (c["state"], c["limit"], c["a"], c["b"]) == ("not-checked", sys.argv[2], None, None), c
' "$T/j" "$limit"; then ok
	else bad "not checked ($opt)"; grep "package:" "$T/t"; fi
done

# A fingerprint holds no file bytes: the image's side is still read and
# checked; the fingerprint's side is said not to be.
$RUN record -o "$T/ref.fp" $P/dpkg-ref.tar 2>/dev/null
$RUN diff "$T/ref.fp" $P/dpkg-modified.tar >"$T/t"
if grep -q "^        package: dpkg:djview3  modified after install (dpkg:djview3: md5 in the database 5821f6680eaa61d97f96d3edb60de2b5, file ed8ef9b63802dde8a1d8d7a506385e42) in B; A not checked: a fingerprint holds no file bytes$" "$T/t"
then ok; else bad "fingerprint A, image B"; grep "package:" "$T/t"; fi
$RUN record -o "$T/mod.fp" $P/dpkg-modified.tar 2>/dev/null
$RUN diff --format json "$T/mod.fp" $P/dpkg-ref.tar >"$T/j"
if python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
f = [f for f in d["findings"] if f["path"] == "usr/share/doc/djview3/copyright"][0]
c = f["record_check"]
assert f["modified_after_install"] is False, f
assert c["state"] == "checked" and c["a"] is None and c["b"]["matches"] is True, c
assert c["text"] == "B matches its record; A not checked: a fingerprint holds no file bytes", c
# the image side was read: the second look counts what it read
assert d["second_look"]["files"] == 1 and d["second_look"]["bytes"] > 0, d["second_look"]
' "$T/j"; then ok; else bad "fingerprint of the modified image A, image B"; fi

finish
