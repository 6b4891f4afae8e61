#!/bin/sh
# CLI tests over the real-package pairs in corpus/packages (README.md there):
# every image readable, every pair's verdict, expected.tsv agrees with the images.
# usage: sh tests/corpus-packages.sh ./imgdrift; prints "N passed, M failed" last.
NAME=corpus-packages; . tests/lib.sh "$@"
P=corpus/packages

# Every image is read whole: inspect exits 0.
for f in $P/*.tar; do
	status 0 "inspect $f" inspect "$f"
done

# Every pair: the file-level verdict and classes of pairs.tsv, and the exit
# status of the default --require same-digest.
verdicts $P/pairs.tsv $P

# expected.tsv is what expect.py, reading the images and their package
# databases with the ecosystems' own tools, finds in them: the images and
# the expectations have not drifted apart.  Needs dpkg (and rpm for the
# rpm pairs): without them expect.py fails and so does this check.
first=--header
tail -n +2 $P/pairs.tsv | cut -f1,2 | while IFS="$(printf '\t')" read -r a b; do
	python3 $P/expect.py $first "$P/$a" "$P/$b" || echo "expect.py failed on $a $b"
	first=
done >"$T/expected" 2>&1
if diff -u $P/expected.tsv "$T/expected" >"$T/d"; then ok
else bad "corpus/packages/expected.tsv is not what the images hold"; head -20 "$T/d"; fi

# The package view of every pair marked "checked" in pairs.tsv is what
# expected.tsv says: the packages that moved (ecosystem, name, arch,
# versions, change, files), the files modified after install and the
# unowned files.  The others ("not-yet": the rpm pairs, until imgdrift
# reads rpm databases) are listed so that it shows.
tail -n +2 $P/pairs.tsv | cut -f1,2,5 | while IFS="$(printf '\t')" read -r a b view; do
	if [ "$view" != checked ]; then echo "not checked yet: package view of $a $b"; continue; fi
	$RUN diff --format json "$P/$a" "$P/$b" >"$T/pj" 2>"$T/err"
	if python3 tests/check_packages.py $P/expected.tsv "$a" "$b" "$T/pj"; then
		echo ok; else echo "FAIL: package view of $a $b"; fi
done >"$T/pv" 2>&1
pass=$((pass + $(grep -c '^ok$' "$T/pv")))
fail=$((fail + $(grep -c '^FAIL' "$T/pv")))
grep -v '^ok$' "$T/pv" | grep -v '^not checked yet'
echo "$(grep -c '^not checked yet' "$T/pv") pairs' package view not checked yet (pairs.tsv)"

# The same against a fingerprint of A (format version 3 keeps the package
# lists): the package view is what expected.tsv says, and the text report's
# packages block is the one image against image gives.
tail -n +2 $P/pairs.tsv | cut -f1,2,5 | while IFS="$(printf '\t')" read -r a b view; do
	[ "$view" = checked ] || continue
	$RUN record -o "$T/a.fp" "$P/$a" 2>"$T/err" || { echo "FAIL: record $a"; continue; }
	$RUN diff --format json "$T/a.fp" "$P/$b" >"$T/fj" 2>"$T/err"
	if python3 tests/check_packages.py $P/expected.tsv "$a" "$b" "$T/fj"; then
		echo ok; else echo "FAIL: package view of fingerprint($a) $b"; fi
	$RUN diff "$P/$a" "$P/$b" | sed -n '/^packages$/,/^$/p' >"$T/p1"
	$RUN diff "$T/a.fp" "$P/$b" | sed -n '/^packages$/,/^$/p' >"$T/p2"
	if cmp -s "$T/p1" "$T/p2"; then echo ok
	else echo "FAIL: packages block of fingerprint($a) $b"; diff "$T/p1" "$T/p2"; fi
done >"$T/pv" 2>&1
pass=$((pass + $(grep -c '^ok$' "$T/pv")))
fail=$((fail + $(grep -c '^FAIL' "$T/pv")))
grep -v '^ok$' "$T/pv"

# A fingerprint of format version 1 (corpus/fingerprints/dpkg-sftp-u7.fp,
# written before version 3) still reads; its packages are not known, and
# the report says so instead of calling every package added.
$RUN diff corpus/fingerprints/dpkg-sftp-u7.fp $P/dpkg-ref.tar >"$T/out" 2>"$T/err"
rc=$?
if [ $rc -eq 1 ] && grep -q "packages: not compared: fingerprint A holds no package lists (format version 1 or 2: record the image again)" "$T/out" &&
    ! grep -q "^packages" "$T/out" && [ ! -s "$T/err" ]; then ok
else bad "version-1 fingerprint: exit $rc"; head -5 "$T/out" "$T/err"; fi
$RUN inspect --packages corpus/fingerprints/dpkg-sftp-u7.fp >"$T/out"
if grep -q "package lists not recorded (fingerprint format version 1 or 2)" "$T/out"; then ok
else bad "inspect --packages of a version-1 fingerprint"; cat "$T/out"; fi

finish
