#!/bin/sh
# CLI tests: run the built binary over the corpus and check what it prints
# and how it exits.  usage: sh tests/cli.sh ./imgdrift
# VALGRIND may name a wrapper command (make valgrind).
NAME=cli; . tests/lib.sh "$@"
export TESTTMP="$T"

# --- inspect: every good archive, checked against GNU tar + sha256 -------
for f in corpus/fixtures/*.tar corpus/real/*.tar corpus/real/*.tar.gz \
    corpus/real/*.tar.zst corpus/real/*-dir; do
	[ -e "$f" ] || continue
	case "$f" in *-bad-*) continue ;; esac
	if ! $RUN inspect --format json "$f" >"$T/j" 2>"$T/err"; then
		bad "inspect $f"; cat "$T/err"; continue
	fi
	if python3 tests/verify_inspect.py "$f" "$T/j"; then ok; else bad "verify $f"; fi
	if $RUN inspect "$f" >/dev/null 2>&1; then ok; else bad "inspect text $f"; fi
done

# Standard input reads the same image.
$RUN inspect --format json corpus/fixtures/dive-oci-zstd.tar | grep -v '"input"' >"$T/a"
$RUN inspect --format json - <corpus/fixtures/dive-oci-zstd.tar | grep -v '"input"' >"$T/b"
if cmp -s "$T/a" "$T/b"; then ok; else bad "inspect - differs from inspect FILE"; fi

# A gzip-compressed wrapper on standard input.
gzip -c corpus/fixtures/ggcr-image-1.tar >"$T/w.tar.gz"
$RUN inspect --format json corpus/fixtures/ggcr-image-1.tar | grep '"digest"\|diff_id' >"$T/a"
$RUN inspect --format json - <"$T/w.tar.gz" | grep '"digest"\|diff_id' >"$T/b"
if cmp -s "$T/a" "$T/b"; then ok; else bad "gzip wrapper changes the layers"; fi

# xz and bzip2, made by the real tools: as the wrapper (a file and standard
# input) and as docker-archive layer compression (tests/recompress.py), each
# checked against GNU tar, xz and bzip2 (tests/verify_inspect.py).
$RUN inspect --format json corpus/real/format-docker.tar | grep '"digest"\|diff_id' >"$T/a"
for z in xz bzip2; do
	$z -c corpus/real/format-docker.tar >"$T/w.tar.$z"
	python3 tests/recompress.py corpus/real/format-docker.tar "$T/layers-$z.tar" $z -c
	for f in "$T/w.tar.$z" "$T/layers-$z.tar"; do
		if $RUN inspect --format json "$f" >"$T/j" 2>"$T/err" &&
		    python3 tests/verify_inspect.py "$f" "$T/j"; then ok
		else bad "inspect $z: $f"; cat "$T/err"; fi
	done
	$RUN inspect --format json - <"$T/w.tar.$z" | grep '"digest"\|diff_id' >"$T/b"
	if cmp -s "$T/a" "$T/b"; then ok; else bad "$z wrapper changes the layers"; fi
	if grep -q "\"compression\": \"$z\"" "$T/j"; then ok; else bad "$z layers not named $z"; fi
	status 0 "$z layers are byte-equivalent" diff --require byte-equivalent \
	    corpus/real/format-docker.tar "$T/layers-$z.tar"
	head -c $(($(wc -c <"$T/w.tar.$z") / 2)) "$T/w.tar.$z" >"$T/trunc.tar.$z"
	trouble "truncated $z wrapper" "trunc.tar.$z" inspect "$T/trunc.tar.$z"
done
# A flipped byte inside a compressed layer fails its check or its diff_id.
python3 - "$T/layers-xz.tar" "$T/bad-xz.tar" <<'PY'
import io, sys, tarfile
with tarfile.open(sys.argv[1]) as t, tarfile.open(sys.argv[2], "w") as o:
    for ti in t.getmembers():
        data = t.extractfile(ti).read() if ti.isreg() else None
        if ti.name.endswith(".tar") and "/" not in ti.name:
            data = data[:200] + bytes([data[200] ^ 1]) + data[201:]
        o.addfile(ti, io.BytesIO(data) if data is not None else None)
PY
trouble "corrupt xz layer" "bad-xz.tar" inspect "$T/bad-xz.tar"

# Golden outputs; UPDATE=1 rewrites them (and fails).
for g in tests/golden/inspect-*; do
	[ -e "$g" ] || continue
	base=$(basename "$g"); name=${base#inspect-}; name=${name%.*}; ext=${base##*.}
	case $ext in
	txt) fmt=text ;; json) fmt=json ;;
	*) bad "golden $g: unknown extension .$ext (txt, json)"; continue ;;
	esac
	(cd corpus/fixtures && $RUN inspect --format $fmt "$name.tar") >"$T/g" 2>&1
	golden "$T/g" "$g"
done

# --- bad input: one line, exit 2 ------------------------------------------
trouble "no such file" "nope.tar: cannot open" inspect "$T/nope.tar"
trouble "pre-1.10 save" "no manifest.json" inspect corpus/fixtures/ggcr-bad-no-manifest.tar
trouble "null manifest" "manifest.json is null" inspect corpus/fixtures/ggcr-bad-null-manifest.tar
head -c 5000 corpus/fixtures/dive-oci-gzip.tar >"$T/trunc.tar"
trouble "truncated" "trunc.tar" inspect "$T/trunc.tar"
printf 'hello world\n' >"$T/text.txt"
trouble "not a tar" "not an image archive" inspect "$T/text.txt"
printf '\037\213\010\000garbage' >"$T/bad.gz"
trouble "corrupt gzip wrapper" "bad.gz" inspect "$T/bad.gz"
trouble "empty stdin" "standard input" inspect - </dev/null
trouble "unknown platform" "no image for platform" inspect --platform linux/s390x corpus/fixtures/dive-oci-gzip.tar
# A tampered blob: same name, other bytes.
mkdir -p "$T/tamper" && tar -xf corpus/fixtures/dive-oci-uncompressed.tar -C "$T/tamper"
chmod -R u+w "$T/tamper"
printf 'X' | dd of="$T/tamper/blobs/sha256/356d5e7f4012d87cb1078ac1f480e90528eec4940ce45c50380321436db38758" bs=1 seek=600 conv=notrunc 2>/dev/null
trouble "tampered layer (dir)" "does not match its digest" inspect "$T/tamper"
(cd "$T/tamper" && tar -cf ../tamper.tar .)
trouble "tampered layer (tar)" "does not match its digest" inspect "$T/tamper.tar"
# A hostile name is escaped in the error line.
esc=$(printf 'evil\033[2Jname.tar')
trouble "escaped file name" 'evil\\x1b\[2Jname.tar' inspect "$T/$esc"
# A bad option is named escaped (getopt's own message would print it raw).
for opt in "$(printf -- '--ev\033[2J\342\200\250il')" "$(printf -- '-\033')" \
    "$(printf -- '-\377')"; do
	$RUN inspect "$opt" x >"$T/out" 2>"$T/err"
	if [ $? -eq 2 ] && grep -q "^imgdrift: inspect: unknown option '-" "$T/err" &&
	    python3 tests/check_escaped.py "$T/err" >"$T/raw"; then ok
	else bad "bad option not escaped"; cat "$T/raw"; fi
done

# --- usage ----------------------------------------------------------------
status 0 "help" --help
status 0 "version" --version
status 2 "no command"
status 2 "unknown command" frobnicate
status 0 "inspect --help" inspect --help
status 2 "inspect no args" inspect
status 2 "inspect bad format" inspect --format yaml corpus/fixtures/ggcr-image-1.tar
# Every long option in --help is documented in the man page.
documented inspect lint

for extra in tests/lint.sh tests/diff.sh tests/nightly.sh tests/accept.sh \
    tests/packages.sh tests/corpus-packages.sh; do
	[ -f "$extra" ] || continue
	if sh "$extra" "$BIN" >"$T/extra" 2>&1; then
		tail -1 "$T/extra"
	else
		cat "$T/extra"
	fi
	p=$(tail -1 "$T/extra" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\1/p')
	f=$(tail -1 "$T/extra" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\2/p')
	pass=$((pass + ${p:-0})); fail=$((fail + ${f:-1}))
done

finish
