#!/bin/sh
# -j N reads the members of an uncompressed archive file or a layout
# directory on N threads, and each compressed layer in two stages on two
# (tests/pipe.sh has the large ones); the output must be the bytes -j 1
# gives (-j 2 and -j 4: lib.sh's same), for
# every corpus pair in every diff format and every corpus input in
# inspect, digest and record, refusals included.  make tsan runs it too.
# usage: sh tests/jobs.sh ./imgdrift; prints "N passed, M failed".
NAME=jobs; . tests/lib.sh "$@"

formats=$($BIN diff --help | sed -n 's/.*--format \([a-z|]*\).*/\1/p' | tr '|' ' ')
[ -n "$formats" ] && ok || bad "no formats in diff --help"

# Every pair, every format.
pairs() {
	grep -v '^#' "$1" | tail -n +"$2" | cut -f1,2
}
{ pairs corpus/real/expected.tsv 2; pairs corpus/world/pairs.tsv 1; } >"$T/pairs"
[ "$(wc -l <"$T/pairs")" -ge 40 ] && ok || bad "fewer pairs than expected"
while IFS="$(printf '\t')" read -r a b; do
	for f in $formats; do
		same "diff --format $f $a $b" diff --format "$f" "$a" "$b"
	done
done <"$T/pairs"

# Every input, read or refused: inspect, digest, record.
{ ls corpus/real/*.tar corpus/real/*.tar.* corpus/synthetic/*.tar; echo corpus/real/layout-dir
  grep -v '^#' corpus/world/expected.tsv | cut -f1; } >"$T/inputs"
[ "$(wc -l <"$T/inputs")" -ge 100 ] && ok || bad "fewer inputs than expected"
while read -r f; do
	same "inspect $f" inspect --format json --full "$f"
	same "digest $f" digest "$f"
	same "record $f" record -o - "$f"
done <"$T/inputs"

# Package databases are kept within one budget across layers, charged in
# layer order whatever -j: every package input, listed.
for f in $(find corpus/packages corpus/apppkg -name '*.tar*' | sort); do
	same "inspect --packages $f" inspect --packages --format json "$f"
done

# A package file over its own bound spends nothing of the budget.
python3 - "$T/big" <<'PY'
import os, sys
def w(p, b):
    p = os.path.join(sys.argv[1], p)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    open(p, "wb").write(b)
w("node_modules/big/package.json", b'{"name":"big","version":"1","x":"' +
  b"a" * (9 << 20) + b'"}')
w("node_modules/small/package.json", b'{"name":"small","version":"2"}')
PY
python3 corpus/oci-pack.py "$T/big" "$T/big.tar" 2023-11-14T22:13:20Z
same "a package file over its bound" inspect --packages "$T/big.tar"
grep -q "small  2" "$T/oj" && ok || bad "-j 4 lost the package after one over its bound"

# A fingerprint against the image (the image then has every thread).
R=corpus/real
$RUN record -o "$T/a.fp" $R/rebuild-a.tar
same "diff FINGERPRINT IMAGE" diff --format json "$T/a.fp" $R/rebuild-b.tar

# A layer whose bytes do not match its digest: one line, exit 2, the
# message -j 1 gives.  The last layer is tampered so that the others are
# read first.
python3 - "$R/rebuild-a.tar" "$T/tampered.tar" <<'PY'
import io, sys, tarfile
src = tarfile.open(sys.argv[1])
out = tarfile.open(sys.argv[2], "w", format=tarfile.PAX_FORMAT)
blobs = [m for m in src.getmembers() if m.name.startswith("blobs/") and m.size > 1024]
victim = max(blobs, key=lambda m: m.size).name
for m in src.getmembers():
    data = src.extractfile(m).read() if m.isfile() else None
    if m.name == victim:
        data = bytearray(data)
        data[len(data) // 2] ^= 0xff
        data = bytes(data)
    out.addfile(m, io.BytesIO(data) if data is not None else None)
out.close()
PY
for j in 1 4; do
	trouble "tampered layer, -j $j" "does not match" inspect -j $j "$T/tampered.tar"
	trouble "tampered layer in diff, -j $j" "does not match" diff -j $j $R/rebuild-a.tar "$T/tampered.tar"
done
same "tampered layer" inspect "$T/tampered.tar"

# An archive cut inside a layer: one line, exit 2, whatever -j.
cut=$(python3 -c 'import sys, tarfile
m = max(tarfile.open(sys.argv[1]).getmembers(), key=lambda m: m.size)
print(m.offset_data + m.size // 2)' $R/rebuild-a.tar)
head -c "$cut" $R/rebuild-a.tar >"$T/cut.tar"
for j in 1 4; do
	trouble "cut archive, -j $j" "cut.tar: member .*Truncated" inspect -j $j "$T/cut.tar"
done
same "cut archive" inspect "$T/cut.tar"

# A layout directory whose blob was tampered.
cp -r $R/layout-dir "$T/dir"
big=$(ls -S "$T"/dir/blobs/sha256/* | head -1)
chmod u+w "$big"
printf 'x' | dd of="$big" bs=1 seek=100 conv=notrunc 2>/dev/null
for j in 1 4; do
	trouble "tampered layout blob, -j $j" "does not match" inspect -j $j "$T/dir"
done

trouble "-j 0" "-j takes a number from 1 to" inspect -j 0 $R/rebuild-a.tar
trouble "-j x" "-j takes a number from 1 to" diff -j x $R/rebuild-a.tar $R/rebuild-b.tar

finish
