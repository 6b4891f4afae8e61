#!/bin/sh
# The images of this directory: one layer written by GNU tar --sparse
# holding var/log/lastlog as `useradd -u 100000` leaves it, 292 bytes for
# each UID up to 100000 (29 MB) of which only the last record is data, the
# rest a hole.  sparse.tar has every time at 1700000000; sparse-rebuild.tar
# is the same build 100 seconds later (only times differ).  Owners and
# order are fixed, so the bytes are the same on every run with the same
# GNU tar.
# usage: sh corpus/fingerprints/v1-sparse/make.sh  (from the repository)
set -eu
out=corpus/fingerprints/v1-sparse
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for t in 1700000000:sparse 1700000100:sparse-rebuild; do
	time=${t%%:*} name=${t#*:}
	rm -rf "$tmp/root"
	mkdir -p "$tmp/root/var/log"
	f=$tmp/root/var/log/lastlog
	truncate -s $((292 * 100000)) "$f"
	printf 'pts/0\0' | dd of="$f" bs=1 seek=$((292 * 100000 + 4)) \
	    conv=notrunc 2>/dev/null
	truncate -s $((292 * 100001)) "$f"
	tar --sparse --format=gnu --owner=0 --group=0 --numeric-owner \
	    --mtime=@"$time" --sort=name -C "$tmp/root" -cf "$tmp/layer.tar" var
	python3 - "$tmp/layer.tar" "$out/$name.tar" <<'PY'
import sys
sys.path.insert(0, "tests/hostile")
import gen
layer = open(sys.argv[1], "rb").read()
open(sys.argv[2], "wb").write(gen.oci_archive([layer]))
PY
done
