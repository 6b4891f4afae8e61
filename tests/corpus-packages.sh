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

finish
