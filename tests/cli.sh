#!/bin/sh
# CLI tests: run the built binary over the corpus and check what it prints
# and how it exits.  usage: sh tests/cli.sh ./imgdrift
# VALGRIND may name a wrapper command (make valgrind).
NAME=cli; . tests/lib.sh "$@"
export TESTTMP="$T"

# --- inspect: every archive built here, checked against GNU tar + sha256 --
# (other projects' archives, corpus/fixtures and corpus/world: tests/world.sh)
for f in corpus/real/*.tar corpus/real/*.tar.gz corpus/real/*.tar.zst \
    corpus/real/*-dir; do
	[ -e "$f" ] || continue
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

# --- what real tools write around images (issue 11) -----------------------
# corpus/synthetic is corpus/synthetic/gen.py's output, byte for byte.
S=corpus/synthetic
python3 $S/gen.py "$T/syn"
for f in $S/*.tar; do
	if cmp -s "$f" "$T/syn/$(basename "$f")"; then ok; else bad "$f is not what gen.py writes"; fi
done
# Goldens: inputs-inspect-NAME (NAME.tar in corpus/synthetic or corpus/inputs)
# and inputs-diff-A--B.
for g in tests/golden/inputs-*.txt; do
	[ -e "$g" ] || continue
	spec=$(basename "$g" .txt); spec=${spec#inputs-}
	case $spec in
	inspect-*) name=${spec#inspect-}
		dir=$S; [ -e "$S/$name.tar" ] || dir=corpus/inputs
		(cd $dir && $RUN inspect "$name.tar") ;;
	diff-*) pair=${spec#diff-}
		(cd $S && $RUN diff "${pair%%--*}.tar" "${pair#*--}.tar") ;;
	esac >"$T/g" 2>&1
	golden "$T/g" "$g"
done
# 1: a partial multi-platform save reads the platform it holds.
status 0 "partial save vs fuller save" diff $S/partial-amd64.tar $S/partial-both.tar
status 0 "two partial saves of one index" diff $S/partial-amd64.tar $S/partial-arm64.tar
status 0 "--platform among those present" inspect --platform linux/arm64 $S/partial-both.tar
trouble "--platform of an absent image" "platform 'linux/arm/v7' is listed (manifest sha256:" inspect --platform linux/arm/v7 $S/partial-both.tar
trouble "no platform in both" "no image is in both A and B" diff $S/partial-amd64.tar $S/partial-arm64-v2.tar
# 2: a layout that lacks a layer blob reads; the verdict claims no more.
status 0 "sparse layout, same manifest" diff $S/sparse.tar $S/sparse-full.tar
# ... with a note, in every format, that the absent layer was not read.
for fmt in text json markdown html; do
	$RUN diff --format $fmt $S/sparse.tar $S/sparse-full.tar >"$T/x"
	if grep -q 'layer 1 of A (sha256:66b349c52a50) is not in the archive: its bytes were not read; the same-digest verdict rests on the digests the manifests name' "$T/x"
	then ok; else bad "sparse layout, same manifest: no note in $fmt"; fi
done
$RUN diff --format json $S/sparse.tar $S/sparse-other.tar >"$T/j"
if python3 -c 'import json,sys; sys.exit(json.load(open(sys.argv[1]))["verdict"] != "different")' "$T/j"; then ok
else bad "a hidden layer must not prove equivalence"; fi
# 3: signatures and artifacts beside an image: listed, same-digest.
status 0 "image with and without signatures" diff $S/signed.tar $S/unsigned.tar
status 1 "... but not identical" diff --require identical $S/signed.tar $S/unsigned.tar
for f in corpus/inputs/ggcr-layout-index.tar corpus/inputs/regclient-testrepo.tar; do
	status 0 "inspect $f" inspect "$f"
done
trouble "only an artifact" "holds no image (its index lists: 1 artifact)" inspect corpus/inputs/ggcr-layout-helm.tar
# What is listed beside the images is in the fingerprint too.
status 0 "record a signed image" record -o "$T/signed.fp" $S/signed.tar
$RUN diff --format json $S/signed.tar "$T/signed.fp" >"$T/j"
if python3 -c 'import json,sys; sys.exit(len(json.load(open(sys.argv[1]))["findings"]) != 0)' "$T/j"; then ok
else bad "an image and its fingerprint: signatures kept"; fi
status 0 "record a partial save" record -o "$T/partial.fp" $S/partial-both.tar
trouble "--platform of an absent image, fingerprint" "platform 'linux/arm/v7' is listed" inspect --platform linux/arm/v7 "$T/partial.fp"
# 6: images pair by tag; ARCHIVE:REF picks one.
status 0 "docker save a b vs b a" diff $S/two-ab.tar $S/two-ba.tar
status 0 "ARCHIVE:TAG" diff $S/two-ab.tar:b:1 $S/two-b.tar
status 0 "ARCHIVE:@N" diff $S/two-ab.tar:@1 $S/two-b.tar
status 1 "other tag" diff $S/two-ab.tar:a:1 $S/two-b.tar
$RUN inspect --format json $S/two-ab.tar:b:1 >"$T/j"
if python3 -c 'import json,sys; i=json.load(open(sys.argv[1]))["images"]; sys.exit(len(i) != 1 or i[0]["tags"] != ["b:1"])' "$T/j"; then ok
else bad "inspect ARCHIVE:TAG"; fi
status 0 "digest ARCHIVE:TAG" digest $S/two-ab.tar:b:1
status 0 "record ARCHIVE:TAG" record -o "$T/b.fp" $S/two-ab.tar:b:1
status 0 "... and its fingerprint" diff "$T/b.fp" $S/two-b.tar
trouble "ARCHIVE:TAG of no image" "no image 'c:1' in the archive (names: a:1, b:1" inspect $S/two-ab.tar:c:1
cp $S/two-b.tar "$T/x:y.tar"
status 0 "a path with ':' is a path" inspect "$T/x:y.tar"

# --- usage ----------------------------------------------------------------
status 0 "help" --help
status 0 "version" --version
status 2 "no command"
status 2 "unknown command" frobnicate
status 0 "inspect --help" inspect --help
status 2 "inspect no args" inspect
status 2 "inspect bad format" inspect --format yaml corpus/fixtures/ggcr-image-1.tar
# Every long option in --help is documented in the man page.
documented inspect lint diff digest record
# Each command's --help: one line per option, the same options as its
# section of the man page, each accepted by the parser.
if python3 tests/check_help.py "$BIN" imgdrift.1 >"$T/help"; then ok
else bad "--help and imgdrift.1 disagree"; cat "$T/help"; fi

# --- shell completion ------------------------------------------------------
# The bash script, sourced, offers the commands, an option's names (the
# formats the parser lists when it refuses one) and comma lists.
$RUN completion bash >"$T/imgdrift.bash"
comp() {
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1));
	    _imgdrift; printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' \
	    sh "$T/imgdrift.bash" "$@"
}
formats=$($RUN diff --format yaml a b 2>&1 | sed -n "s/.*(\(.*\))$/\1/p" | tr -d ',' | tr ' ' '\n' | sort | tr '\n' ' ')
if [ "$(comp imgdrift '')" = "--help --version completion diff digest inspect lint record summary " ]
then ok; else bad "bash completion of commands: $(comp imgdrift '')"; fi
if [ -n "$formats" ] && [ "$(comp imgdrift diff --format '')" = "$formats" ]
then ok; else bad "bash completion of formats: '$(comp imgdrift diff --format '')' want '$formats'"; fi
if [ "$(comp imgdrift diff -f j)" = "json junit " ] && [ "$(comp imgdrift diff --format=ma)" = "markdown " ]
then ok; else bad "bash completion of -f / --format="; fi
if [ "$(comp imgdrift diff --ignore timestamp,or)" = "timestamp,ordering " ]
then ok; else bad "bash completion of a class list: $(comp imgdrift diff --ignore timestamp,or)"; fi
if [ "$(comp imgdrift diff --pro)" = "--progress " ] && [ "$(comp imgdrift lint --fail-on w)" = "warning " ] &&
    [ "$(comp imgdrift completion z)" = "zsh " ]
then ok; else bad "bash completion of options"; fi
if bash -c ". $T/imgdrift.bash; complete -p imgdrift" | grep -q -- '-F _imgdrift'; then ok; else bad "complete -p"; fi
$RUN completion zsh >"$T/_imgdrift"
if grep -q "^#compdef imgdrift" "$T/_imgdrift" && grep -q "(text json markdown junit html)" "$T/_imgdrift"; then ok
else bad "zsh completion"; fi
if command -v zsh >/dev/null 2>&1; then
	if zsh -n "$T/_imgdrift"; then ok; else bad "zsh -n _imgdrift"; fi
fi
trouble "completion for fish" "no script for the shell 'fish'" completion fish

for extra in tests/lint.sh tests/diff.sh tests/nightly.sh tests/accept.sh \
    tests/packages.sh tests/corpus-packages.sh tests/apppkg.sh tests/compiled.sh \
    tests/dockerfile.sh tests/modified.sh \
    tests/reports.sh tests/summary.sh tests/jobs.sh tests/pipe.sh tests/look.sh; do
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
