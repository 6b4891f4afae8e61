#!/bin/sh
# make demo: the main job on bundled images.
set -e
BIN=${1:-./imgdrift}
A=corpus/real/rebuild-a.tar
B=corpus/real/rebuild-b.tar
if [ -f "$A" ] && [ -f "$B" ] && $BIN diff --help >/dev/null 2>&1; then
	echo "\$ imgdrift diff $A $B"
	$BIN diff "$A" "$B" || true
else
	echo "\$ imgdrift inspect corpus/fixtures/dive-kaniko.tar"
	$BIN inspect corpus/fixtures/dive-kaniko.tar
fi
