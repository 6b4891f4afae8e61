#!/bin/sh
# CLI tests for imgdrift diff over the real pairs in corpus/real.
# usage: sh tests/diff.sh ./imgdrift; prints "N passed, M failed".
NAME=diff; . tests/lib.sh "$@"

# Every pair in expected.tsv: verdict and classes, from the JSON report,
# and the exit status.
verdicts corpus/real/expected.tsv

# Exit status for every --require level.
R=corpus/real
status 0 "identical at identical" diff --require identical $R/rebuild-a.tar $R/rebuild-a.tar
cp $R/retag-a.tar "$T/copy.tar"
status 0 "a copy is identical" diff --require identical $R/retag-a.tar "$T/copy.tar"
status 0 "a copy on stdin is identical" diff --require identical $R/retag-a.tar - <$R/retag-a.tar
status 0 "a layout dir and its archive" diff --require same-digest corpus/real/layout-a.tar corpus/real/layout-dir
status 1 "... are not identical" diff --require identical corpus/real/layout-a.tar corpus/real/layout-dir
status 1 "same-digest at identical" diff --require identical $R/retag-a.tar $R/retag-b.tar
status 0 "same-digest at same-digest" diff --require same-digest $R/retag-a.tar $R/retag-b.tar
status 1 "byte-eq at same-digest" diff --require same-digest $R/compress-gzip.tar $R/compress-zstd.tar
status 0 "byte-eq at byte-eq" diff --require byte-equivalent $R/compress-gzip.tar $R/compress-zstd.tar
status 1 "dep-eq at byte-eq" diff --require byte-equivalent $R/timestamp-a.tar $R/timestamp-b.tar
status 0 "dep-eq at dep-eq" diff --require dependency-equivalent $R/timestamp-a.tar $R/timestamp-b.tar
status 1 "different at dep-eq" diff --require dependency-equivalent $R/content-a.tar $R/content-b.tar
status 0 "ignored permission" diff --require dependency-equivalent --ignore permission $R/perm-mode-a.tar $R/perm-mode-b.tar
# Trouble wins over differences.
status 2 "trouble wins" diff $R/content-a.tar corpus/fixtures/ggcr-bad-null-manifest.tar
status 2 "missing B" diff $R/content-a.tar "$T/nope.tar"
status 2 "bad level" diff --require same $R/content-a.tar $R/content-b.tar
status 2 "bad class" diff --ignore mtime $R/content-a.tar $R/content-b.tar
status 2 "bad max" diff --max-examples 0 $R/content-a.tar $R/content-b.tar
status 2 "bad format" diff --format yaml $R/content-a.tar $R/content-b.tar
status 2 "one argument" diff $R/content-a.tar
status 2 "two stdins" diff - - </dev/null
status 0 "diff --help" diff --help

# Trouble is one line naming the file, and no report.
$RUN diff $R/content-a.tar corpus/fixtures/ggcr-bad-null-manifest.tar >"$T/out" 2>"$T/err"
if [ "$(wc -l <"$T/err")" -eq 1 ] && grep -q 'ggcr-bad-null-manifest.tar: manifest.json is null' "$T/err" && [ ! -s "$T/out" ]
then ok; else bad "trouble line"; cat "$T/err"; fi

# Standard input for one side reads the same image.
$RUN diff --format json $R/timestamp-a.tar $R/timestamp-b.tar | grep -v '"name"' >"$T/x"
$RUN diff --format json $R/timestamp-a.tar - <$R/timestamp-b.tar | grep -v '"name"' | grep -v '"sha256"' >"$T/y"
grep -v '"sha256"' "$T/x" >"$T/x2"
if cmp -s "$T/x2" "$T/y"; then ok; else bad "stdin side differs"; diff "$T/x2" "$T/y" | head; fi

# The second look finds the first differing byte, except on standard input.
$RUN diff $R/content-a.tar $R/content-b.tar >"$T/x"
if grep -q 'etc/imgdrift/app.conf  content  .*(first difference at byte 196)' "$T/x"; then ok; else bad "first difference"; fi
$RUN diff $R/content-a.tar - <$R/content-b.tar >"$T/x"
if grep -q 'standard input cannot be read a second time' "$T/x" && ! grep -q 'first difference' "$T/x"
then ok; else bad "second look on stdin"; fi

# Colour only on a terminal, and never with NO_COLOR.
if command -v script >/dev/null 2>&1; then
	script -qec "$BIN diff -q $R/timestamp-a.tar $R/timestamp-b.tar" /dev/null >"$T/tty" 2>&1
	NO_COLOR=1 script -qec "$BIN diff -q --no-progress $R/timestamp-a.tar $R/timestamp-b.tar" /dev/null >"$T/nc" 2>&1
	esc=$(printf '\033')
	if grep -q "$esc\[" "$T/tty" && ! grep -q "$esc\[" "$T/nc"; then ok; else bad "colour on a tty / NO_COLOR"; fi
	$RUN diff -q $R/timestamp-a.tar $R/timestamp-b.tar >"$T/pipe"
	if ! grep -q "$esc" "$T/pipe"; then ok; else bad "colour in a pipe"; fi
fi

# Progress: on a terminal's standard error, one line per image redrawn
# in place and cleared before the report; never when standard error is a
# file or a pipe unless --progress forces it.  B comes through a FIFO in
# two halves a second apart, so that the display draws while it waits.
nfifo=0
slow_b() {
	nfifo=$((nfifo + 1)); F=$T/fifo$nfifo
	mkfifo "$F"
	( (head -c 20000 $R/content-b.tar; sleep 1; tail -c +20001 $R/content-b.tar) >"$F" & )
}
if command -v script >/dev/null 2>&1 && command -v mkfifo >/dev/null 2>&1; then
	esc=$(printf '\033')
	slow_b
	script -qec "$BIN diff -q $R/content-a.tar $F" /dev/null >"$T/tty" 2>&1
	# The report starts after the last clear-to-end-of-screen.
	sed "s/$esc\[J/\n@CLEARED@\n/g" "$T/tty" >"$T/tty2"
	if grep -q "fifo1  [0-9.]* KiB  layer 1.*KiB/s$esc\[K" "$T/tty" &&
	    grep -q 'content-a.tar  0 B  waiting' "$T/tty" &&
	    sed -n '/@CLEARED@/,$p' "$T/tty2" | grep -q 'different.*: content' &&
	    ! sed -n '/@CLEARED@/,$p' "$T/tty2" | grep -q 'KiB'
	then ok; else bad "progress on a terminal, cleared before the report"; cat -v "$T/tty" | head -5; fi
	slow_b
	script -qec "$BIN diff -q --no-progress $R/content-a.tar $F" /dev/null >"$T/tty" 2>&1
	if ! grep -q 'waiting\|KiB' "$T/tty" && grep -q 'different' "$T/tty"; then ok; else bad "--no-progress on a terminal"; cat -v "$T/tty" | head -3; fi
	slow_b
	$RUN diff -q $R/content-a.tar "$F" >"$T/out" 2>"$T/err"
	if [ $? -eq 1 ] && [ ! -s "$T/err" ]; then ok; else bad "progress with standard error in a file"; cat -v "$T/err" | head -3; fi
	slow_b
	$RUN diff -q --progress --format json $R/content-a.tar "$F" >"$T/out" 2>"$T/err"
	if grep -q 'layer 1' "$T/err" && tail -c 4 "$T/err" | grep -q "$esc\[J" &&
	    ! grep -q "$esc" "$T/out" && python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/out"
	then ok; else bad "--progress forced, the JSON report untouched"; cat -v "$T/err" | head -3; fi
fi

# -q: the verdict line only; -o: the report in a file.
$RUN diff -q $R/timestamp-a.tar $R/timestamp-b.tar >"$T/q"
if [ "$(wc -l <"$T/q")" -eq 2 ] && grep -q '^dependency-equivalent:' "$T/q"; then ok; else bad "-q"; cat "$T/q"; fi
$RUN diff -o "$T/rep.json" --format json $R/timestamp-a.tar $R/timestamp-b.tar >"$T/stdout"
if [ ! -s "$T/stdout" ] && python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/rep.json"; then ok; else bad "-o"; fi

# --exclude lists each pattern with what it removed.
$RUN diff --format json --exclude 'app/**' --exclude 'etc/imgdrift/platform' $R/content-a.tar $R/content-b.tar >"$T/x"
if python3 - "$T/x" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
ex = {e["pattern"]: e["removed"] for e in d["excludes"]}
assert ex["app/**"] > 0 and ex["etc/imgdrift/platform"] == 1, ex
assert all(not (f["path"] or "").startswith("app/") for f in d["findings"]), d["findings"]
PY
then ok; else bad "--exclude"; fi
# Paths as users write them: a leading "/" or "./", a trailing "/" (the
# directory and everything below); a pattern that matched nothing is a note.
$RUN diff --exclude /etc/imgdrift/app.conf $R/content-a.tar $R/content-b.tar >"$T/x"
if grep -q '^dependency-equivalent:' "$T/x" && grep -q '^  /etc/imgdrift/app.conf  1 path$' "$T/x"
then ok; else bad "--exclude /path"; cat "$T/x"; fi
$RUN diff --format json --exclude ./etc/imgdrift --exclude app/ --exclude /no/such/file \
    $R/content-a.tar $R/content-b.tar >"$T/x"
if python3 - "$T/x" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
ex = {e["pattern"]: e["removed"] for e in d["excludes"]}
assert d["verdict"] == "dependency-equivalent", d["verdict"]
assert ex["./etc/imgdrift"] >= 2 and ex["app/"] > 1 and ex["/no/such/file"] == 0, ex
assert not any((f["path"] or "").startswith(("app", "etc/imgdrift")) for f in d["findings"]), d["findings"]
assert "exclude '/no/such/file' matched no path in A or B" in d["notes"], d["notes"]
PY
then ok; else bad "--exclude as users write it"; fi
trouble "--exclude /" "--exclude '/' names the root" diff --exclude / $R/content-a.tar $R/content-b.tar

# --platform: an absent one lists what is there; an architecture alone is
# accepted when it names exactly one platform present.
trouble "absent --platform lists the platforms" "no image for platform 's390x' (present: linux/amd64, linux/arm64)\$" \
    diff --platform s390x $R/multiarch-a.tar $R/multiarch-b.tar
$RUN diff --format json --platform arm64 $R/multiarch-a.tar $R/multiarch-b.tar >"$T/x"
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert [i["platform"] for i in d["images"]] == ["linux/arm64"]' "$T/x"
then ok; else bad "--platform arm64"; fi
python3 - "$T/arm" <<'PY'
import os, sys
sys.path.insert(0, "tests/hostile")
import gen
gen.OUT = sys.argv[1]
os.makedirs(gen.OUT, exist_ok=True)
files = []
desc = gen.image(files, [gen.tar(gen.tar_file("a", b"a"))])
descs = []
for p in ({"os": "linux", "architecture": "arm64"},
          {"os": "linux", "architecture": "arm64", "variant": "v8"}):
    d = dict(desc)
    d["platform"] = p
    descs.append(d)
files += [("oci-layout", b'{"imageLayoutVersion":"1.0.0"}'),
          ("index.json", gen.index_of(descs))]
gen.write("two-arm64.tar", gen.tar_members(files))
PY
trouble "an architecture that names two platforms" "platform 'arm64' names more than one platform present (linux/arm64, linux/arm64/v8)" \
    inspect --platform arm64 "$T/arm/two-arm64.tar"
status 0 "... one of them named in full" inspect --platform linux/arm64/v8 "$T/arm/two-arm64.tar"

# Headings say where a finding hangs.  The final file system (a layer
# more on one side) has its own heading, not the last layer's.
$RUN diff $R/whiteout-a.tar $R/whiteout-b.tar >"$T/x"
if sed -n '/^  final file system (all layers applied)$/,$p' "$T/x" |
    grep -q '^    layers  3 layers -> 2 layers$'; then ok
else bad "final file system heading"; cat "$T/x"; fi
$RUN diff --format markdown $R/whiteout-a.tar $R/whiteout-b.tar >"$T/x"
if grep -q '^| file system |  | layers | 3 layers | 2 layers |' "$T/x"; then ok
else bad "final file system in Markdown"; cat "$T/x"; fi
# One line per fact: a manifest on one side only is said once.
$RUN diff $R/format-oci.tar $R/format-docker.tar >"$T/x"
if [ "$(grep -c '^ *manifest  ' "$T/x")" -eq 1 ] &&
    grep -q '^  manifest  sha256:479e03ce5358 -> (absent)$' "$T/x"; then ok
else bad "manifest said once"; cat "$T/x"; fi
# Several platforms: the drift line, the tables and every note name them.
python3 - "$T/mp" <<'PY'
import os, sys
sys.path.insert(0, "tests/hostile")
import gen
gen.OUT = sys.argv[1]
os.makedirs(gen.OUT, exist_ok=True)
for side, mode in (("a", 0o644), ("b", 0o600)):
    files, descs = [], []
    for arch in ("amd64", "arm64"):
        layer = gen.tar(gen.tar_file("etc/", typ=b"5", mode=0o755),
                        gen.tar_file("etc/app", arch.encode(), mode=mode))
        d = gen.image(files, [layer], {"architecture": arch})
        d["platform"] = {"os": "linux", "architecture": arch}
        descs.append(d)
    files += [("oci-layout", b'{"imageLayoutVersion":"1.0.0"}'),
              ("index.json", gen.index_of(descs))]
    gen.write("multi-%s.tar" % side, gen.tar_members(files))
PY
$RUN diff "$T/mp/multi-a.tar" "$T/mp/multi-b.tar" >"$T/x"
if grep -q '^  permission        2  linux/amd64 layer 1, linux/arm64 layer 1$' "$T/x" &&
    [ "$(sed -n '/^notes$/,/^$/p' "$T/x" | grep -c '^  linux/a[mr][dm]64: every entry in [AB] has mtime')" -eq 4 ] &&
    [ "$(sed -n '/^notes$/,/^$/p' "$T/x" | grep -c '^  ')" -eq 4 ]; then ok
else bad "platforms named in a multi-platform pair"; cat "$T/x"; fi
$RUN diff --format markdown "$T/mp/multi-a.tar" "$T/mp/multi-b.tar" >"$T/x"
if grep -q '^| permission | 2 | linux/amd64 layer 1, linux/arm64 layer 1 |$' "$T/x" &&
    grep -q '^| linux/arm64 layer 1 | etc/app | mode | 0644 | 0600 |' "$T/x"; then ok
else bad "platforms named in Markdown"; cat "$T/x"; fi

# Markdown carries the evidence: the bounded text diffs (in <details>),
# a fix per proven cause, the steps of the layers, and a volatile file
# called volatile, not "not explained".
C=corpus/causes
$RUN diff --format markdown --max-examples 20 $C/hidden-a.tar $C/hidden-b.tar >"$T/x"
if sed -n '/<summary>evidence: etc\/app.conf<\/summary>/,/<\/pre>/p' "$T/x" |
    grep -q '^+port = 8081$' && grep -q '^- zip-times: clamp file times' "$T/x" &&
    grep -q '^- build-path: ' "$T/x" && grep -q '^| 1 | COPY rootfs / |' "$T/x"
then ok; else bad "Markdown evidence and fixes"; cat "$T/x"; fi
$RUN diff --format markdown $C/volatile-a.tar $C/volatile-b.tar >"$T/x"
if grep -q 'volatile (counts as content unless --volatile ignore): known-volatile:log' "$T/x" &&
    ! grep -q 'not explained: known-volatile' "$T/x"; then ok
else bad "Markdown volatile wording"; cat "$T/x"; fi
# Image strings stay inert in Markdown: pipes, backticks and HTML in a
# name and in a text diff.
mkdir -p "$T/md-a/etc" "$T/md-b/etc"
evil='etc/a|b`c<img src=x>_d'
printf 'x\n' >"$T/md-a/$evil"
printf 'y\n' >"$T/md-b/$evil"
printf 'port 1\n' >"$T/md-a/etc/app.conf"
printf '</pre></details><script>alert(1)</script>|`x`\n' >"$T/md-b/etc/app.conf"
touch -d @1700000000 "$T/md-a/$evil" "$T/md-b/$evil" "$T/md-a/etc/app.conf" \
    "$T/md-b/etc/app.conf" "$T/md-a/etc" "$T/md-b/etc"
python3 corpus/oci-pack.py "$T/md-a" "$T/md-a.tar" 2023-11-14T22:13:20Z
python3 corpus/oci-pack.py "$T/md-b" "$T/md-b.tar" 2023-11-14T22:13:20Z
$RUN diff --format markdown "$T/md-a.tar" "$T/md-b.tar" >"$T/x"
if ! grep -q '<script\|<img' "$T/x" &&
    [ "$(grep -c '<pre>' "$T/x")" -eq "$(grep -c '</pre>' "$T/x")" ] &&
    [ "$(grep -c '<details>' "$T/x")" -eq "$(grep -c '</details>' "$T/x")" ] &&
    grep -q '^+&lt;/pre&gt;&lt;/details&gt;&lt;script&gt;' "$T/x" &&
    grep -q '^| 1 | etc/a&#124;b&#96;c&lt;img src=x&gt;\\_d | content |' "$T/x"
then ok; else bad "Markdown escaping of hostile strings"; cat "$T/x"; fi
# A hostile xattr name and value (tests/hostile/gen_names.py): the name
# escaped by each format's one helper, the value in hex (docs/json-report.md).
python3 - "$T/xattr" <<'PY'
import os, sys
sys.path.insert(0, "tests/hostile")
import gen_names
gen_names.OUT = sys.argv[1]
os.makedirs(gen_names.OUT, exist_ok=True)
gen_names.xattr_cases()
PY
X="$T/xattr/xattr-a.tar $T/xattr/xattr-b.tar"
# The expected lines, as fixed strings (one per format).
cat >"$T/xattr/want" <<'EOF'
      p  xattrs  user.x=76\n -> user.ev\x1b[2J\xff\u{202e}\u{2028}\u{200b}\u{feff}il"<b>&'`|*_=65761b5b324affe280ae
| 1 | p | xattrs | user.x=76\n | user.ev\x1b\[2J\xff\u{202e}\u{2028}\u{200b}\u{feff}il&quot;&lt;b&gt;&amp;'&#96;&#124;\*\_=65761b5b324affe280ae
<code class="b">user.ev\x1b[2J\xff\u{202e}\u{2028}\u{200b}\u{feff}il&quot;&lt;b&gt;&amp;&#39;`|*_=65761b5b324affe280ae
EOF
n=0
for fmt in text markdown html; do
	n=$((n + 1))
	$RUN diff --format $fmt $X >"$T/x"
	if grep -qF -- "$(sed -n ${n}p "$T/xattr/want")" "$T/x" &&
	    { [ $fmt = text ] || ! grep -q 'il"<b>' "$T/x"; }
	then ok; else bad "xattrs in $fmt"; grep xattrs "$T/x"; fi
done
$RUN diff --format json $X | python3 -c '
import json, sys
sys.path.insert(0, "tests/hostile")
from gen_names import XATTR_NAME, XATTR_VALUE
f = [f for f in json.load(sys.stdin)["findings"] if f["field"] == "xattrs"][0]
name = XATTR_NAME.decode("utf-8", "replace").replace("\ufffd", "\\xff")
assert f["a"] == "user.x=76\n", f
assert f["b"] == name + "=" + XATTR_VALUE.hex() + "\n", f
' && ok || bad "xattrs in JSON are not the exact text"
# One xattr named "x=00\ny" is not two: permission drift, not none.
$RUN diff --format json "$T/xattr/xattr-one.tar" "$T/xattr/xattr-two.tar" >"$T/x"
if grep -q '"verdict": "different"' "$T/x" && grep -q '"x%3d00%0ay=01\\n"' "$T/x"
then ok; else bad "an xattr name holding = and a newline"; grep -E 'verdict|xattr' "$T/x"; fi

# A sparse file declaring more than its layer holds is noted, by name
# (escaped), by inspect and diff (issue 11 item 13); one its layer could
# hold is not.
python3 - "$T/sparse" <<'PY'
import os, sys
sys.path.insert(0, "tests/hostile")
import gen
gen.OUT = sys.argv[1]
os.makedirs(gen.OUT, exist_ok=True)
gen.sparse_declared_cases()
PY
cat >"$T/sparse/want" <<'EOF'
layer 1: entry 1 ('big\x1b[2J\u{202e}\xff<b>') declares 1099511627776 bytes, more than its layer holds (2048 bytes): a sparse file with 8 bytes of data, which takes its declared size where it is unpacked without holes
layer 1 of A: entry 1 ('big\x1b[2J\u{202e}\xff<b>') declares 1099511627776 bytes, more than its layer holds (2048 bytes): a sparse file with 8 bytes of data, which takes its declared size where it is unpacked without holes
layer 1: entry 1 ('huge') declares 9223372036854775807 bytes or more, the most a file may have, more than its layer holds (2048 bytes): a sparse file with 4 bytes of data, which takes its declared size where it is unpacked without holes
EOF
$RUN inspect "$T/sparse/sparse-declared-a.tar" >"$T/x"
if grep -qF -- "$(sed -n 1p "$T/sparse/want")" "$T/x"; then ok
else bad "inspect notes a sparse file over its layer"; cat "$T/x"; fi
$RUN diff "$T/sparse/sparse-declared-a.tar" "$T/sparse/sparse-declared-b.tar" >"$T/x"
if grep -qF -- "$(sed -n 2p "$T/sparse/want")" "$T/x"; then ok
else bad "diff notes a sparse file over its layer"; cat "$T/x"; fi
$RUN diff --format html "$T/sparse/sparse-declared-a.tar" "$T/sparse/sparse-declared-b.tar" >"$T/x"
if grep -qF "entry 1 (&#39;big\x1b[2J\u{202e}\xff&lt;b&gt;&#39;) declares" "$T/x"; then ok
else bad "the HTML note escapes the entry name"; grep declares "$T/x"; fi
$RUN inspect "$T/sparse/sparse-2-80.tar" >"$T/x"
if grep -qF -- "$(sed -n 3p "$T/sparse/want")" "$T/x"; then ok
else bad "inspect notes a sparse file of 2^80 bytes"; cat "$T/x"; fi
$RUN inspect --format json "$T/sparse/sparse-fits.tar" >"$T/x"
if ! grep -q declares "$T/x"; then ok
else bad "a sparse file its layer could hold is noted"; grep declares "$T/x"; fi

# When the layer counts differ, the layers that match still get their
# compression findings (issue 11 item 15): B recompresses A's first layer
# (another gzip MTIME) and adds a second.
python3 - "$T/counts" <<'PY'
import gzip, os, sys
sys.path.insert(0, "tests/hostile")
import gen
gen.OUT = sys.argv[1]
os.makedirs(gen.OUT, exist_ok=True)
base = gen.tar(gen.tar_file("etc/hosts", b"127.0.0.1 localhost\n"))
extra = gen.tar(gen.tar_file("app/run", b"#!/bin/sh\n"))
GZ = "application/vnd.oci.image.layer.v1.tar+gzip"
for name, layers in (("a", [(base, 0)]), ("b", [(base, 1700000000), (extra, 0)])):
    files = []
    cfg = dict(gen.blob(files, gen.config_of([l for l, _ in layers])),
               mediaType=gen.MT_CONFIG)
    lds = [dict(gen.blob(files, gzip.compress(l, 9, mtime=t)), mediaType=GZ)
           for l, t in layers]
    man = gen.cjson({"schemaVersion": 2, "mediaType": gen.MT_MANIFEST,
                     "config": cfg, "layers": lds})
    desc = dict(gen.blob(files, man), mediaType=gen.MT_MANIFEST)
    files += [("oci-layout", b'{"imageLayoutVersion":"1.0.0"}'),
              ("index.json", gen.index_of([desc]))]
    gen.write("counts-%s.tar" % name, gen.tar_members(files))
PY
$RUN diff --format json "$T/counts/counts-a.tar" "$T/counts/counts-b.tar" >"$T/x"
if python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
f = [f for f in d["findings"] if f["class"] == "compression"]
assert f and f[0]["layer"] == 1 and f[0]["field"] == "gzip.mtime", f
assert "compression" in d["classes"] and "content" in d["classes"], d["classes"]
' "$T/x"; then ok; else bad "compression findings of a matching layer when the counts differ"; fi

# Within GitHub's 1 MiB job-summary limit, saying what was cut: 6,000
# entries with long names whose modes differ, every one asked for.
python3 - "$T/big" <<'PY'
import io, os, sys, tarfile
sys.path.insert(0, "tests/hostile")
import gen
gen.OUT = sys.argv[1]
os.makedirs(gen.OUT, exist_ok=True)
for side, mode in (("a", 0o644), ("b", 0o600)):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        for i in range(6000):
            ti = tarfile.TarInfo("d/%05d-%s" % (i, "n" * 200))
            ti.mode = mode
            t.addfile(ti, io.BytesIO(b""))
    files = []
    desc = gen.image(files, [buf.getvalue()])
    files += [("oci-layout", b'{"imageLayoutVersion":"1.0.0"}'),
              ("index.json", gen.index_of([desc]))]
    gen.write("big-%s.tar" % side, gen.tar_members(files))
PY
$RUN diff --format markdown --max-examples 100000 "$T/big/big-a.tar" "$T/big/big-b.tar" >"$T/x"
if [ "$(wc -c <"$T/x")" -le 1048576 ] &&
    grep -q '^\*\*Cut at 1024 KiB\*\* (GitHub.s job-summary limit): [1-9][0-9]* table rows' "$T/x" &&
    [ "$(grep -c '<details>' "$T/x")" -eq "$(grep -c '</details>' "$T/x")" ]
then ok; else bad "Markdown within 1 MiB"; wc -c "$T/x"; tail -3 "$T/x"; fi

# A bare layer with an image: the layer's tree against the image's final
# file system, never identical or byte-equivalent.  The layer is regclient's
# (corpus/fixtures/regclient-layer.tar); the images hold its entries as
# they are, split over two layers, or with one file changed.
python3 - corpus/fixtures/regclient-layer.tar "$T/bare" <<'PY'
import io, os, sys, tarfile
sys.path.insert(0, "tests/hostile")
import gen
gen.OUT = sys.argv[2]
os.makedirs(gen.OUT, exist_ok=True)
raw = open(sys.argv[1], "rb").read()
members = []
with tarfile.open(sys.argv[1]) as t:
    for ti in t.getmembers():
        members.append((ti, t.extractfile(ti).read() if ti.isreg() else None))

def layer(ms, change=None):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as o:
        for ti, data in ms:
            if change and ti.name == change:
                data = b"X\n"
            o.addfile(ti, io.BytesIO(data) if data is not None else None)
    return buf.getvalue()

for name, layers in (("same", [raw]), ("split", [layer(members[:2]), layer(members[2:])]),
                     ("changed", [layer(members, members[-1][0].name)])):
    files = []
    desc = gen.image(files, layers)
    files += [("oci-layout", b'{"imageLayoutVersion":"1.0.0"}'),
              ("index.json", gen.index_of([desc]))]
    gen.write("image-%s.tar" % name, gen.tar_members(files))
PY
L=corpus/fixtures/regclient-layer.tar
for img in same split; do
	status 0 "bare layer and image ($img) at dep-eq" diff --require dependency-equivalent $L "$T/bare/image-$img.tar"
	status 1 "... not byte-equivalent" diff --require byte-equivalent $L "$T/bare/image-$img.tar"
done
$RUN diff $L "$T/bare/image-split.tar" >"$T/x"
if grep -q '^dependency-equivalent: A is a bare layer: its tree holds the same files' "$T/x" &&
    grep -q "^  compared  the tree of layer A with the final file system of B's 2 layers$" "$T/x" &&
    ! grep -q 'platform' "$T/x"; then ok
else bad "bare layer with an image: text"; cat "$T/x"; fi
$RUN diff --format json "$T/bare/image-changed.tar" $L >"$T/x"
if python3 - "$T/x" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["verdict"] == "different" and d["bare_layer"] == "B", (d["verdict"], d["bare_layer"])
f = [(f["path"], f["class"], f["scope"]) for f in d["findings"] if f["class"] == "content"]
assert f == [("layer3.txt", "content", "filesystem")], f
PY
then ok; else bad "bare layer with an image: JSON"; cat "$T/x"; fi
$RUN diff --format markdown $L "$T/bare/image-changed.tar" >"$T/x"
if grep -q '^B is a bare layer\|^A is a bare layer: its tree and the final file system of B differ' "$T/x"
then ok; else bad "bare layer with an image: Markdown"; cat "$T/x"; fi
$RUN diff --format junit $L "$T/bare/image-same.tar" >"$T/x"
if xmllint --noout --schema tests/junit.xsd "$T/x" 2>/dev/null &&
    grep -q '<property name="compared" value="A is a bare layer' "$T/x"
then ok; else bad "bare layer with an image: JUnit"; cat "$T/x"; fi

# Codes carry words next to their raw values: gzip's XFL (gzip -1 and -9,
# as buildah writes them) and zstd's frame header (zstd with and without
# --no-check).
$RUN diff $R/compress-gzip1.tar $R/compress-gzip9.tar >"$T/x"
if grep -q '^      gzip.xfl  deflate level: fastest (4) -> best (2)$' "$T/x"; then ok
else bad "gzip.xfl in words"; cat "$T/x"; fi
python3 tests/recompress.py $R/format-docker.tar "$T/zs-a.tar" zstd -c -q
python3 tests/recompress.py $R/format-docker.tar "$T/zs-b.tar" zstd -c -q --no-check
$RUN diff "$T/zs-a.tar" "$T/zs-b.tar" >"$T/x"
if grep -q '^      zstd.frame_header  frame header: checksum (0x04) -> no checksum (0x00)$' "$T/x"
then ok; else bad "zstd frame header in words"; cat "$T/x"; fi

# The same run twice gives the same bytes, in every format.
for f in text json markdown; do
	$RUN diff --format $f $R/rebuild-a.tar $R/rebuild-b.tar >"$T/1"
	$RUN diff --format $f $R/rebuild-a.tar $R/rebuild-b.tar >"$T/2"
	if cmp -s "$T/1" "$T/2"; then ok; else bad "determinism $f"; fi
done

# JSON lists every finding unless --max-examples is given; text keeps 5.
$RUN diff --format json $R/rebuild-a.tar $R/rebuild-b.tar >"$T/x"
$RUN diff --format json --max-examples 5 $R/rebuild-a.tar $R/rebuild-b.tar >"$T/y"
if python3 - "$T/x" "$T/y" <<'PY'
import json, sys
from collections import Counter
d = json.load(open(sys.argv[1]))
assert d["findings_omitted"] == 0, d["findings_omitted"]
assert dict(Counter(f["class"] for f in d["findings"])) == d["counts"], d["counts"]
e = json.load(open(sys.argv[2]))
assert e["counts"] == d["counts"] and e["findings_omitted"] > 0, e["findings_omitted"]
assert len(e["findings"]) + e["findings_omitted"] == len(d["findings"])
PY
then ok; else bad "json lists every finding"; fi
$RUN diff $R/rebuild-a.tar $R/rebuild-b.tar >"$T/x"
if grep -q '^      \.\.\. [0-9]* more$' "$T/x"; then ok; else bad "text keeps 5 examples"; fi

# Content causes: files made by the real tools (corpus/causes/make-causes.sh).
C=corpus/causes
$RUN diff --max-examples 20 $C/causes-a.tar $C/causes-b.tar >"$T/x"
if grep -q '^dependency-equivalent:' "$T/x"; then ok; else bad "causes pair verdict"; head -3 "$T/x"; fi
for cause in 'pyc-mtime (bytes 8-11)' 'gzip-header (MTIME bytes 4-7)' 'zip-times' \
    'ar-member-header' 'build-path' 'png-time' 'mo-creation-date' \
    'ar-members (control.tar.gz: gzip-payload: tar-times'; do
	if grep -q "cause: $cause" "$T/x"; then ok; else bad "cause $cause not proven"; fi
done
status 0 "causes at dep-eq" diff --require dependency-equivalent $C/causes-a.tar $C/causes-b.tar
# A real change among the noise stays different, and the report names it.
$RUN diff --max-examples 20 $C/hidden-a.tar $C/hidden-b.tar >"$T/x"
if grep -q '^different:' "$T/x" && grep -q '+port = 8081' "$T/x" &&
    grep -q '+libssl3 3.0.13-1' "$T/x" && grep -q '2 files with other bytes not explained' "$T/x"
then ok; else bad "hidden change"; cat "$T/x"; fi
# Compact evidence on a Debian-like root file system rebuilt minutes later
# (corpus/rootfs): one screen, at most 40 lines at the default
# --max-examples (it was 100, then 55): the verdict line names the volatile
# files in words, the layer's mtime drift is one line, its known-volatile
# files one line per rule, and each fix hint is given once.
python3 corpus/rootfs/make-rootfs-pair.py "$T/rootfs"
$RUN diff "$T/rootfs/rootfs-a.tar" "$T/rootfs/rootfs-b.tar" >"$T/x"
if [ "$(wc -l <"$T/x")" -le 40 ] &&
    head -1 "$T/x" | grep -qxF 'different: only known-volatile files differ (5 logs, machine-id, ldconfig cache); --volatile ignore would make this dependency-equivalent' &&
    grep -q '^    content (7)$' "$T/x" &&
    grep -qxF '      known-volatile:log  5 files, e.g. var/log/alternatives.log: 17 lines differ only in date/time tokens, e.g. 2025-11-30 11:07:07 -> 11:09:02' "$T/x" &&
    grep -qxF '      known-volatile:machine-id  etc/machine-id: 9bd5f3dd113cf93e8193d0d445a3ba4a -> 8d55e48413582769eb99ce57b90a5235' "$T/x" &&
    grep -qxF '      known-volatile:ldconfig-aux-cache  var/cache/ldconfig/aux-cache  (first difference at byte 0)' "$T/x" &&
    grep -qxF '      1700 mtimes moved +77 s .. +137 s, all later in B' "$T/x" &&
    [ "$(sed -n '/^fix$/,$p' "$T/x" | sort | uniq -d | wc -l)" -eq 0 ] &&
    [ "$(sed -n '/^fix$/,$p' "$T/x" | wc -l)" -eq 5 ]
then ok; else bad "rootfs rebuild report: $(wc -l <"$T/x") lines"; cat "$T/x"; fi
# Markdown and JUnit carry the layer's mtime summary line as well.
$RUN diff --format markdown "$T/rootfs/rootfs-a.tar" "$T/rootfs/rootfs-b.tar" >"$T/x.md"
$RUN diff --format junit "$T/rootfs/rootfs-a.tar" "$T/rootfs/rootfs-b.tar" >"$T/x.xml"
if grep -qxF 'Layer 1: 1700 mtimes moved +77 s .. +137 s, all later in B' "$T/x.md" &&
    grep -qF 'Only known-volatile files differ (5 logs, machine-id, ldconfig cache)' "$T/x.md" &&
    grep -qF 'timestamp: 1700 mtimes moved +77 s .. +137 s, all later in B' "$T/x.xml"
then ok; else bad "rootfs rebuild: mtime summary in Markdown and JUnit"; fi
# A text file whose only change is the build date written into it is an
# embedded timestamp with its own fix, never 'pin the base image'.
python3 - "$T/date" <<'PY'
import os, sys
for side, stamp in (("a", "2026-11-30 11:07:06"), ("b", "2026-11-30 11:09:01")):
    d = os.path.join(sys.argv[1], side, "etc")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "build-info"), "w") as f:
        f.write("name=app\nversion=1.4.0\nbuilt=%s UTC\n" % stamp)
    for p in (os.path.join(d, "build-info"), d):
        os.utime(p, (1700000000, 1700000000))
PY
python3 corpus/oci-pack.py "$T/date/a" "$T/date/a.tar" 2023-11-14T22:13:20Z &&
python3 corpus/oci-pack.py "$T/date/b" "$T/date/b.tar" 2023-11-14T22:13:20Z
for fmt in text markdown json html; do
	$RUN diff --format $fmt "$T/date/a.tar" "$T/date/b.tar" >"$T/x.$fmt"
done
if head -1 "$T/x.text" | grep -q '^dependency-equivalent:' &&
    grep -q '^  content      text-dates: write dates from SOURCE_DATE_EPOCH' "$T/x.text" &&
    grep -q 'text-dates (date/time tokens on 1 line)' "$T/x.text" &&
    grep -q 'text-dates' "$T/x.markdown" && grep -q 'text-dates' "$T/x.html" &&
    python3 -c 'import json,sys; h=json.load(open(sys.argv[1]))["hints"]; assert "text-dates" in h and "content" not in h, h' "$T/x.json" &&
    ! grep -q 'pin the base image' "$T/x.text" "$T/x.markdown" "$T/x.json" "$T/x.html"
then ok; else bad "build date only: no pin-the-base hint"; cat "$T/x.text"; fi

# Inside archives: a jar and a tar.gz whose difference no prover explains
# list the members that differ, a nested jar in turn.
python3 - "$T/jar" <<'PY'
import gzip, io, os, sys, tarfile, zipfile
def zipped(members):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            z.writestr(zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0)), data)
    return buf.getvalue()
def tgz(members):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as t:
        for name, data in members:
            ti = tarfile.TarInfo(name)
            ti.size, ti.mtime = len(data), 1700000000
            t.addfile(ti, io.BytesIO(data))
    return gzip.compress(buf.getvalue(), mtime=0)
for side, cls, extra in (("a", b"\xca\xfe v1", []), ("b", b"\xca\xfe v2", [("com/x/New.class", b"new")])):
    root = os.path.join(sys.argv[1], side, "app")
    os.makedirs(root, exist_ok=True)
    inner = zipped([("META-INF/MANIFEST.MF", b"Main-Class: x\n"), ("com/x/App.class", cls)])
    with open(os.path.join(root, "app.jar"), "wb") as f:
        f.write(zipped([("META-INF/MANIFEST.MF", b"Main-Class: x\n"),
                        ("lib/inner.jar", inner)] + extra))
    with open(os.path.join(root, "data.tar.gz"), "wb") as f:
        f.write(tgz([("etc/x.conf", b"port = 1\n" if side == "a" else b"port = 2\n"),
                     ("etc/same", b"same\n")]))
    for p in ("", "/app.jar", "/data.tar.gz"):
        os.utime(root + p, (1700000000, 1700000000))
PY
python3 corpus/oci-pack.py "$T/jar/a" "$T/jar-a.tar" 2023-11-14T22:13:20Z
python3 corpus/oci-pack.py "$T/jar/b" "$T/jar-b.tar" 2023-11-14T22:13:20Z
$RUN diff "$T/jar-a.tar" "$T/jar-b.tar" >"$T/x"
if grep -q '^          | members that differ: 2 (of 2 in A, 3 in B)$' "$T/x" &&
    grep -q '^          | ~ lib/inner.jar  .* first difference at byte ' "$T/x" &&
    grep -q '^          |   ~ com/x/App.class  5 -> 5 bytes  xxh3:[0-9a-f]* -> xxh3:[0-9a-f]*  first difference at byte 4$' "$T/x" &&
    grep -q '^          | + com/x/New.class  3 bytes  xxh3:[0-9a-f]*  only in B$' "$T/x" &&
    grep -q '^          | ~ etc/x.conf  9 -> 9 bytes  .*first difference at byte 7$' "$T/x"
then ok; else bad "members of a jar and a tar.gz"; cat "$T/x"; fi
# The second look's limits: options and policy keys, each named where it
# stopped a file; the package database is read before the examples.
$RUN diff --max-examples 20 --look-max-files 1 $C/hidden-a.tar $C/hidden-b.tar >"$T/x"
if grep -q '+libssl3 3.0.13-1' "$T/x" &&
    [ "$(grep -c 'not looked into: file-count limit of 1 file reached$' "$T/x")" -eq 10 ] &&
    grep -q '10 files not looked into (file-count limit of 1 file reached)' "$T/x"
then ok; else bad "--look-max-files"; cat "$T/x"; fi
$RUN diff --format json --look-budget 1000 --look-max-file 600 $C/hidden-a.tar $C/hidden-b.tar >"$T/x"
if python3 - "$T/x" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
why = {f["path"]: f["not_looked_into"] for f in d["findings"] if f["class"] == "content"}
assert why["etc/app.conf"] is None and why["usr/lib/app/libf.a"] == "file-size", why
assert "budget" in why.values(), why
sl = d["second_look"]
assert sl["max_file"] == 600 and sl["budget"] == 1000 and sl["max_files"] == 1024, sl
assert 0 < sl["bytes"] <= 1000, sl
PY
then ok; else bad "--look-budget, --look-max-file in JSON"; fi
$RUN diff --look-max-file 1K $C/hidden-a.tar $C/hidden-b.tar | grep -q 'not looked into: over 1 KiB$' && ok || bad "--look-max-file 1K"
printf '{"look_max_file": "600", "look_budget": "1K", "look_max_files": 3}' >"$T/look.json"
$RUN diff --format json --policy "$T/look.json" $C/hidden-a.tar $C/hidden-b.tar >"$T/x"
$RUN diff --format json --policy "$T/look.json" --look-max-files 5 $C/hidden-a.tar $C/hidden-b.tar >"$T/y"
if python3 -c 'import json,sys; a=json.load(open(sys.argv[1]))["second_look"]; b=json.load(open(sys.argv[2]))["second_look"]; assert (a["max_file"], a["budget"], a["max_files"]) == (600, 1024, 3), a; assert b["max_files"] == 5, b' "$T/x" "$T/y"
then ok; else bad "look_* policy keys"; fi
trouble "--look-max-file 0" "--look-max-file takes a size" diff --look-max-file 0 $C/hidden-a.tar $C/hidden-b.tar
trouble "--look-budget 2X" "--look-budget takes a size in bytes, or with K, M, G or T after it, not '2X'" diff --look-budget 2X $C/hidden-a.tar $C/hidden-b.tar
trouble "--look-max-files 0" "--look-max-files takes a number from 1 to 1000000" diff --look-max-files 0 $C/hidden-a.tar $C/hidden-b.tar
# The headline says what --ignore and --volatile ignore set aside, never
# "the same files" alone over files that differ.
$RUN diff --ignore permission $R/perm-mode-a.tar $R/perm-mode-b.tar >"$T/x"
if head -1 "$T/x" | grep -q '^dependency-equivalent, ignoring permission: besides what is ignored, the same files'
then ok; else bad "headline under --ignore"; head -1 "$T/x"; fi
$RUN diff --volatile ignore $C/volatile-a.tar $C/volatile-b.tar >"$T/x"
if head -1 "$T/x" | grep -q '^dependency-equivalent, ignoring known-volatile files: besides what is ignored'
then ok; else bad "headline under --volatile ignore"; head -1 "$T/x"; fi
$RUN diff $R/perm-mode-a.tar $R/perm-mode-b.tar >"$T/x"
if ! head -1 "$T/x" | grep -q 'ignoring'; then ok; else bad "headline without --ignore"; fi
# Content whose every difference is proven says so on its drift line.
$RUN diff $R/rebuild-a.tar $R/rebuild-b.tar >"$T/x"
if grep -q '^  content  *2  layers 1,2  (all explained)$' "$T/x"; then ok
else bad "content (all explained)"; grep '^  content' "$T/x"; fi
$RUN diff $R/content-a.tar $R/content-b.tar >"$T/x"
if grep '^  content' "$T/x" | grep -qv 'all explained'; then ok
else bad "unexplained content says all explained"; fi

# Known-volatile files count unless the job says otherwise.
status 1 "volatile reported" diff --require dependency-equivalent $C/volatile-a.tar $C/volatile-b.tar
status 0 "volatile ignored" diff --require dependency-equivalent --volatile ignore $C/volatile-a.tar $C/volatile-b.tar
status 2 "bad --volatile" diff --volatile maybe $C/volatile-a.tar $C/volatile-b.tar
$RUN diff --format json --max-examples 20 $C/volatile-a.tar $C/volatile-b.tar >"$T/x"
if python3 - "$T/x" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
causes = {f["path"]: f["cause"] for f in d["findings"]}
assert causes["etc/machine-id"] == "known-volatile:machine-id", causes
assert causes["var/log/dpkg.log"] == "known-volatile:log", causes
order = [f for f in d["findings"] if f["path"] == "usr/share/app/plugins.list"][0]
assert order["class"] == "ordering" and order["cause"].startswith("line-order"), order
PY
then ok; else bad "volatile causes in JSON"; fi
# JUnit carries the report's notes once, as the first suite's <system-out>,
# valid against the schema.
$RUN diff --format junit $C/volatile-a.tar $C/volatile-b.tar >"$T/x"
if xmllint --noout --schema tests/junit.xsd "$T/x" 2>/dev/null &&
    python3 - "$T/x" <<'PY'
import sys, xml.etree.ElementTree as ET
suites = ET.parse(sys.argv[1]).getroot().findall("testsuite")
out = [e.text for e in suites[0].findall("system-out")]
assert len(out) == 1 and out[0].startswith("notes:\n"), out
assert "5 known-volatile files differ: content drift unless --volatile ignore\n" in out[0], out
assert "times clamped, as with SOURCE_DATE_EPOCH=1700000000" in out[0], out
PY
then ok; else bad "junit: the notes"; fi
# A final newline added is content, not lines in another order.
mkdir -p "$T/nl-a/etc" "$T/nl-b/etc"
printf 'foo' >"$T/nl-a/etc/motd"; printf 'foo\n' >"$T/nl-b/etc/motd"
touch -d @1700000000 "$T/nl-a/etc/motd" "$T/nl-b/etc/motd" "$T/nl-a/etc" "$T/nl-b/etc"
python3 corpus/oci-pack.py "$T/nl-a" "$T/nl-a.tar" 2023-11-14T22:13:20Z
python3 corpus/oci-pack.py "$T/nl-b" "$T/nl-b.tar" 2023-11-14T22:13:20Z
status 1 "final newline at dep-eq" diff --require dependency-equivalent "$T/nl-a.tar" "$T/nl-b.tar"
$RUN diff --format json "$T/nl-a.tar" "$T/nl-b.tar" >"$T/x"
if python3 - "$T/x" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["verdict"] == "different", d["verdict"]
f = [f for f in d["findings"] if f["path"] == "etc/motd"]
assert len(f) == 1 and f[0]["class"] == "content", f
assert not (f[0].get("cause") or "").startswith("line-order"), f
PY
then ok; else bad "final newline is content"; fi
# A root directory entry, as GNU tar writes `tar -C dir .`: its presence
# alone is encoding, its mode is the root's, shown as "/".
mkdir -p "$T/root/etc"
printf 'x\n' >"$T/root/etc/f"
chmod 755 "$T/root" "$T/root/etc"
touch -d @1700000000 "$T/root/etc/f" "$T/root/etc" "$T/root"
gnutar() { tar --sort=name --owner=0 --group=0 --numeric-owner --format=gnu "$@"; }
gnutar -C "$T/root" -cf "$T/root-dot.tar" .
gnutar -C "$T/root" -cf "$T/root-none.tar" etc
chmod 700 "$T/root"
gnutar -C "$T/root" -cf "$T/root-700.tar" .
status 0 "root entry alone at dep-eq" diff --require dependency-equivalent "$T/root-dot.tar" "$T/root-none.tar"
$RUN diff --format json "$T/root-dot.tar" "$T/root-none.tar" >"$T/x"
$RUN diff --format json "$T/root-dot.tar" "$T/root-700.tar" >"$T/y"
if python3 - "$T/x" "$T/y" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["verdict"] == "dependency-equivalent", d["verdict"]
assert [(f["path"], f["class"]) for f in d["findings"]] == [("/", "encoding")], d["findings"]
d = json.load(open(sys.argv[2]))
assert d["verdict"] == "different", d["verdict"]
assert [(f["path"], f["class"], f["field"]) for f in d["findings"]] == [("/", "permission", "mode")], d["findings"]
PY
then ok; else bad "root directory entry"; fi
# The root is "/" in every format.
for f in text markdown junit; do
	$RUN diff --format $f "$T/root-dot.tar" "$T/root-700.tar" >"$T/x"
	if grep -q '[ |:] / [ |] *mode[ |]' "$T/x"; then ok; else bad "root as / in $f"; cat "$T/x"; fi
done
# Standard input cannot be read twice: no causes, so no downgrade.
$RUN diff $C/causes-a.tar - <$C/causes-b.tar >"$T/x"
if grep -q '^different:' "$T/x" && grep -q 'cannot be read a second time' "$T/x"; then ok; else bad "causes on stdin"; fi

# Every input is opened once.  A pipe (what <(...) gives) is read as a
# stream, its first bytes not sniffed away; a FIFO is not opened twice
# (the second open would wait for a writer for ever); neither is read a
# second time.  timeout(1) only ends a hang, it times nothing.
tmo=60; [ -n "${VALGRIND:-}" ] && tmo=600
$RUN diff --format json $R/timestamp-a.tar $R/timestamp-b.tar |
    grep -v '"name"\|"sha256"' >"$T/ref"
cat $R/timestamp-a.tar | timeout $tmo $RUN diff --format json /dev/stdin \
    $R/timestamp-b.tar >"$T/x"
got=$?
grep -v '"name"\|"sha256"' "$T/x" >"$T/y"
if [ $got -eq 1 ] && cmp -s "$T/ref" "$T/y"; then ok
else bad "an image through a pipe: exit $got"; diff "$T/ref" "$T/y" | head -5; fi
mkfifo "$T/fifo"
for src in $R/timestamp-a.tar corpus/fingerprints/rebuild-a.fp $C/causes-a.tar; do
	other=$R/timestamp-b.tar
	case $src in *.fp) other=$R/rebuild-b.tar ;; $C/*) other=$C/causes-b.tar ;; esac
	cat "$src" >"$T/fifo" &
	writer=$!
	timeout $tmo $RUN diff "$T/fifo" $other >"$T/x" 2>"$T/err"
	got=$?
	kill $writer 2>/dev/null; wait $writer 2>/dev/null
	if [ $got -le 1 ] && grep -q '^[a-z-]*: ' "$T/x"; then ok
	else bad "$src through a FIFO: exit $got"; head -3 "$T/err"; fi
done
if grep -q 'a pipe cannot be read a second time' "$T/x"; then ok
else bad "the second look read a FIFO again"; fi

# Images are paired by platform in n log n: 4,096 images with one
# 3,000-byte platform (tests/hostile/gen_diff.py) take 0.4 s of CPU; the
# quadratic pairing took 4.6 s.  A CPU-time limit, nothing timed.
cpu=2
if [ -n "${VALGRIND:-}" ]; then cpu=120
elif grep -q '__asan_init\|__tsan_init' "$BIN" 2>/dev/null; then cpu=12; fi
if python3 tests/hostile/gen_diff.py "$T/hostile" >"$T/err" 2>&1 &&
    (cd "$T/hostile" && ulimit -t $cpu &&
    exec $RUN diff -q many-a.tar.gz many-b.tar.gz) >"$T/out" 2>>"$T/err" &&
    grep -q '^same-digest:' "$T/out"; then ok
else bad "4,096 images within $cpu s of CPU"; head -3 "$T/err"; fi

# Strings carry the real text: a config label, a history step, a path and a
# file's lines holding a newline, a backslash, a quote, a tab, a control
# byte and (where tar allows) a byte that is not UTF-8.  JSON gives the
# exact text with JSON's own escapes (only the byte that is not UTF-8 as
# \xNN); text, Markdown and JUnit escape each once.
python3 - "$T/esc" <<'PY2'
import os, sys
sys.path.insert(0, "tests/hostile")
import gen
gen.OUT = sys.argv[1]
os.makedirs(gen.OUT, exist_ok=True)
NAME = b"d/we\nird\\\"\t\x01\xff"
STEP = "RUN echo \"a\\b\"\n\tx\x01y"
for side, val, line in (("a", "v1\n\\\"\t\x01", b"one\\n\t\"x\x01\xff\n"),
                        ("b", "v2\n\\\"\t\x01", b"two\\n\t\"x\x01\xff\n")):
    layer = gen.tar(gen.tar_file(NAME, b"same\n" + line + b"end\n"))
    gen.write(side + ".tar", gen.oci_archive([layer], config_extra={
        "config": {"Labels": {"k": val}},
        "history": [{"created_by": STEP}]}))
PY2
for fmt in text json markdown junit html; do
	$RUN diff --format $fmt "$T/esc/a.tar" "$T/esc/b.tar" >"$T/esc/$fmt" 2>&1
	if python3 tests/check_escaped.py "$T/esc/$fmt" >"$T/raw"; then ok
	else bad "diff --format $fmt: $(cat "$T/raw")"; fi
done
if python3 - "$T/esc/json" <<'PY2'
import json, re, sys
d = json.load(open(sys.argv[1]))
assert d["schema"] == "imgdrift.diff/2", d["schema"]
def raw(s):     # the documented convention: only \xNN stands for a byte
    return re.sub(rb"\\x([0-9a-f]{2})", lambda m: bytes([int(m[1], 16)]),
                  s.encode())
lab = [f for f in d["findings"] if f["field"] == "config.Labels.k"][0]
assert json.loads(lab["a"]) == "v1\n\\\"\t\x01", lab
assert json.loads(lab["b"]) == "v2\n\\\"\t\x01", lab
con = [f for f in d["findings"] if f["class"] == "content"][0]
assert raw(con["path"]) == b"d/we\nird\\\"\t\x01\xff", con["path"]
assert raw(con["detail"]) == (b"@@ -1,2 +1,2 @@\n same\n-one\\n\t\"x\x01\xff\n"
                              b"+two\\n\t\"x\x01\xff"), con["detail"]
step = d["images"][0]["layers"][0]["step"]
assert step == "RUN echo \"a\\b\"\n\tx\x01y", step
PY2
then ok; else bad "JSON strings are not the exact text"; fi
if grep -qF 'config.Labels.k  "v1\n\\\"\t\u0001" -> "v2\n\\\"\t\u0001"' "$T/esc/text" &&
    grep -qF 'd/we\nird\\"\t\x01\xff  content' "$T/esc/text" &&
    grep -qF 'layer 1/1  RUN echo "a\\b"\n\tx\x01y' "$T/esc/text" &&
    grep -qF '| -one\\n\t"x\x01\xff' "$T/esc/text"
then ok; else bad "text: each string escaped once"; cat "$T/esc/text"; fi
if grep -qF '| &quot;v1\n\\\&quot;\t\u0001&quot; | &quot;v2\n\\\&quot;\t\u0001&quot; |' "$T/esc/markdown" &&
    grep -qF '| 1 | d/we\nird\\&quot;\t\x01\xff | content |' "$T/esc/markdown"
then ok; else bad "markdown: each string escaped once"; cat "$T/esc/markdown"; fi
if xmllint --noout "$T/esc/junit" 2>"$T/raw" &&
    grep -qF 'config.Labels.k  &quot;v1\n\\\&quot;\t\u0001&quot; -&gt; &quot;v2\n\\\&quot;\t\u0001&quot;' "$T/esc/junit" &&
    grep -qF 'd/we\nird\\&quot;\t\x01\xff  content' "$T/esc/junit" &&
    grep -qF 'name="layer 1: RUN echo &quot;a\\b&quot; x\x01y"' "$T/esc/junit"
then ok; else bad "junit: each string escaped once"; cat "$T/raw" "$T/esc/junit"; fi
if python3 tests/check_html.py "$T/esc/html" >"$T/raw" &&
    grep -qF '<code class="field">config.Labels.k</code> <code class="a">&quot;v1\n\\\&quot;\t\u0001&quot;</code>' "$T/esc/html" &&
    grep -qF '<span class="path">d/we\nird\\&quot;\t\x01\xff</span>' "$T/esc/html" &&
    grep -qF '<code>RUN echo &quot;a\\b&quot;\n\tx\x01y</code>' "$T/esc/html" &&
    grep -qF '<span class="del">-one\\n\t&quot;x\x01\xff</span>' "$T/esc/html"
then ok; else bad "html: each string escaped once"; cat "$T/raw" "$T/esc/html"; fi

# HTML: a file name, a label and a step that are markup stay text: no
# element or attribute comes from the image (tests/check_html.py allows
# only what the renderer writes), and every report of the real pairs is
# well-formed with its policy.
markup_pair "$T/xss"
$RUN diff --format html "$T/xss/a.tar" "$T/xss/b.tar" >"$T/xss/h" 2>&1
if python3 tests/check_html.py --text '<img src=x onerror=alert(1)>.txt' "$T/xss/h" >"$T/raw" &&
    python3 tests/check_html.py --text "+<script>alert('b')</script>" "$T/xss/h" >"$T/raw" &&
    python3 tests/check_html.py --text 'RUN <style>*{}</style>' "$T/xss/h" >"$T/raw"
then ok; else bad "html: markup from the image is not text"; cat "$T/raw"; fi
# The packages that moved: one row each, as the text report's block.
$RUN diff --format html corpus/packages/dpkg-ref.tar corpus/packages/dpkg-sftp-u7.tar >"$T/h" 2>"$T/err"
if python3 tests/check_html.py "$T/h" >"$T/raw" &&
    grep -qF '<tr class="package"><td>dpkg</td><td>openssh-sftp-server</td><td>amd64</td><td>1:9.2p1-2+deb12u9</td><td>1:9.2p1-2+deb12u7</td><td>downgraded</td><td class="n">1</td></tr>' "$T/h" &&
    grep -qF '<tr><th>packages</th><td>' "$T/h"
then ok; else bad "html: packages"; cat "$T/raw" "$T/err"; fi

# With --dockerfile, the layers table and each layer give the line that
# made it, and a finding the lint rule that predicts it.
D=corpus/dockerfile
$RUN diff --format html --dockerfile $D/Dockerfile $D/buildah-a.tar $D/buildah-b.tar >"$T/h" 2>"$T/err"
if python3 tests/check_html.py "$T/h" >"$T/raw" &&
    grep -qF '<th>Dockerfile</th>' "$T/h" &&
    grep -qF '<td><code class="dockerfile">corpus/dockerfile/Dockerfile:5</code></td>' "$T/h" &&
    grep -qF '(<code class="dockerfile">corpus/dockerfile/Dockerfile:4</code>)</summary>' "$T/h" &&
    grep -qF '<br>lint <code>date-in-output</code> at <code class="dockerfile">corpus/dockerfile/Dockerfile:4</code>' "$T/h" &&
    ! grep -q 'Dockerfile' tests/golden/diff-content.html
then ok; else bad "html: --dockerfile lines"; cat "$T/raw" "$T/err"; fi
tail -n +2 corpus/real/expected.tsv | while IFS="$(printf '\t')" read -r a b verdict rest; do
	$RUN diff --format html "$a" "$b" >"$T/h" 2>"$T/err"
	python3 tests/check_html.py "$T/h" || continue
	grep -q "<header id=\"verdict\" class=\"verdict v-$verdict\"" "$T/h" || echo "$a $b: no $verdict banner"
done >"$T/raw"
if [ ! -s "$T/raw" ]; then ok; else bad "html of the real pairs"; cat "$T/raw"; fi

# A fingerprint keeps its input's name as given, not escaped.
weird=$(printf '%s/we\\i"r\td\001.tar' "$T/esc")
cp "$T/esc/a.tar" "$weird"
if $RUN record -o "$T/esc/w.fp" "$weird" 2>"$T/err" &&
    zstd -qdc "$T/esc/w.fp" | python3 -c '
import json, sys
b = sys.stdin.buffer.read()
n = s = 0
while True:     # the header length, a varint
    c = b[n]; s |= (c & 0x7f) << 7 * n; n += 1
    if c < 0x80: break
name = json.loads(b[n:n + s])["input"]["name"]
assert name.endswith("/we\\i\"r\td\x01.tar"), name'
then ok; else bad "record: the input name is not as given"; cat "$T/err"; fi

# Known-volatile rules that need only a path (machine-id, the ldconfig
# aux-cache, apt caches) hold for files that were not read: over
# --look-max-file, on standard input, against a fingerprint.  The same pair
# with the same flags exits the same way all three ways.
python3 - "$T/vol" <<'PY2'
import os, sys
sys.path.insert(0, "tests/hostile")
import gen
gen.OUT = sys.argv[1]
os.makedirs(gen.OUT, exist_ok=True)
for side, x in (("a", b"1"), ("b", b"2")):
    layer = gen.tar(gen.tar_file("etc/machine-id", x * 32 + b"\n"),
                    gen.tar_file("var/cache/ldconfig/aux-cache", x * 100),
                    gen.tar_file("var/cache/apt/pkgcache.bin", x * 70000),
                    gen.tar_file("etc/app.conf", b"same\n"))
    gen.write(side + ".tar", gen.oci_archive([layer]))
PY2
$RUN record -o "$T/vol/b.fp" "$T/vol/b.tar"
for v in ignore:0 report:1; do
	want=${v#*:}; v=${v%:*}
	set -- --volatile $v --require dependency-equivalent --look-max-file 64K
	status $want "volatile $v, from a file (apt cache over the limit)" diff "$@" "$T/vol/a.tar" "$T/vol/b.tar"
	$RUN diff "$@" "$T/vol/a.tar" - <"$T/vol/b.tar" >"$T/out" 2>"$T/err"
	if [ $? -eq $want ]; then ok; else bad "volatile $v, from standard input"; cat "$T/out"; fi
	status $want "volatile $v, against a fingerprint" diff "$@" "$T/vol/a.tar" "$T/vol/b.fp"
	if grep -q 'known-volatile:apt-cache' "$T/out"; then ok; else bad "volatile $v: no cause without the bytes"; fi
done
set --

# Only known-volatile files keep a pair from dependency-equivalence: the
# verdict line says so and what --volatile ignore would do; a dated log is
# not "not explained"; each rule has its own hint, and the general content
# hint only where no narrower one covers a file.
C=corpus/causes
$RUN diff $C/volatile-a.tar $C/volatile-b.tar >"$T/x"
if head -1 "$T/x" | grep -qF 'different: only known-volatile files differ (2 logs, machine-id, random seed, apt list); --volatile ignore would make this dependency-equivalent' &&
    grep -q '^  5 known-volatile files differ' "$T/x" && ! grep -q 'not explained by a proven cause' "$T/x" &&
    grep -q 'known-volatile:log: clean the logs in the same RUN' "$T/x" &&
    ! grep -q 'pin the base image' "$T/x"
then ok; else bad "volatile-only verdict line (text)"; cat "$T/x"; fi
$RUN diff --format json $C/volatile-a.tar $C/volatile-b.tar >"$T/x"
$RUN diff --format json $R/content-a.tar $R/content-b.tar >"$T/y"
if python3 - "$T/x" "$T/y" <<'PY2'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["volatile_only"] == "2 logs, machine-id, random seed, apt list", d["volatile_only"]
h = d["hints"]
assert "content" not in h and h["known-volatile:log"].startswith("clean the logs"), h
assert "/var/lib/dbus/machine-id" in h["known-volatile:machine-id"], h
assert "rm -rf /var/lib/apt/lists/*" in h["known-volatile:apt-lists"], h
e = json.load(open(sys.argv[2]))
assert e["volatile_only"] is None and "pin the base image" in e["hints"]["content"], e["hints"]
PY2
then ok; else bad "volatile-only verdict and hints (JSON)"; fi
$RUN diff --format markdown $C/volatile-a.tar $C/volatile-b.tar >"$T/x"
if grep -qF 'Only known-volatile files differ (2 logs, machine-id, random seed, apt list)' "$T/x" &&
    grep -qF -- '- known-volatile:log: clean the logs' "$T/x" && ! grep -q 'pin the base image' "$T/x"
then ok; else bad "volatile-only verdict and hints (Markdown)"; cat "$T/x"; fi
status 0 "--volatile ignore makes it dependency-equivalent" diff --volatile ignore \
    --require dependency-equivalent $C/volatile-a.tar $C/volatile-b.tar

# Fix hints fit the builder the history shows: one tree packed twice, 90 s
# apart, with the history step each builder records.
python3 - "$T/bld" <<'PY'
import os, sys
for side, t in (("a", 1700000000), ("b", 1700000090)):
    d = os.path.join(sys.argv[1], side, "app")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "run.sh"), "w") as f:
        f.write("echo hi\n")
    os.utime(os.path.join(d, "run.sh"), (t, t))
    os.utime(d, (t, t))
PY
# builder_pair NAME A-FIELDS B-FIELDS: $T/bld/NAME-a.tar and -b.tar.
builder_pair() {
	python3 corpus/oci-pack.py "$T/bld/a" "$T/bld/$1-a.tar" 2023-11-14T22:13:20Z $2 &&
	python3 corpus/oci-pack.py "$T/bld/b" "$T/bld/$1-b.tar" 2023-11-14T22:14:50Z $3
}
# builder_hint NAME HAS LACKS: the text report's timestamp hint of pair NAME
# holds HAS and not LACKS.
builder_hint() {
	$RUN diff "$T/bld/$1-a.tar" "$T/bld/$1-b.tar" >"$T/x"
	if grep -q "^  timestamp    .*$2" "$T/x" && ! grep -q -- "$3" "$T/x"
	then ok; else bad "builder hint ($1)"; sed -n '/^fix/,$p' "$T/x"; fi
}
IFS_=$IFS; IFS='|'
builder_pair buildkit 'created_by=COPY app /app # buildkit|comment=buildkit.dockerfile.v0' \
    'created_by=COPY app /app # buildkit|comment=buildkit.dockerfile.v0'
builder_pair buildah 'created_by=/bin/sh -c #(nop) COPY dir:0b1c in /app |label.io.buildah.version=1.33.7' \
    'created_by=/bin/sh -c #(nop) COPY dir:0b1c in /app |label.io.buildah.version=1.33.7'
builder_pair kaniko 'created_by=COPY app /app|author=kaniko' 'created_by=COPY app /app|author=kaniko'
builder_pair legacy 'created_by=/bin/sh -c #(nop) COPY dir:0b1c in /app ' \
    'created_by=/bin/sh -c #(nop) COPY dir:0b1c in /app '
builder_pair mixed 'created_by=COPY app /app # buildkit' \
    'created_by=/bin/sh -c #(nop) COPY dir:0b1c in /app |label.io.buildah.version=1.33.7'
IFS=$IFS_
builder_hint buildkit 'BuildKit: pass SOURCE_DATE_EPOCH .*rewrite-timestamp=true' 'buildah/podman:'
builder_hint buildah 'buildah/podman: build or commit with --timestamp \$SOURCE_DATE_EPOCH' 'BuildKit:'
builder_hint kaniko 'kaniko: build with --reproducible .*kaniko ignores SOURCE_DATE_EPOCH' 'rewrite-timestamp'
builder_hint legacy 'legacy docker builder .*ignores SOURCE_DATE_EPOCH' 'kaniko'
# Two builders: each one's switch, one line each, in every format.
$RUN diff "$T/bld/mixed-a.tar" "$T/bld/mixed-b.tar" >"$T/x"
if [ "$(grep -c '^  timestamp    [^ ]' "$T/x")" -eq 2 ] &&
    grep -q '^  timestamp    BuildKit: ' "$T/x" && grep -q '^  timestamp    buildah/podman: ' "$T/x"
then ok; else bad "builder hints (two builders)"; sed -n '/^fix/,$p' "$T/x"; fi
$RUN diff --format json "$T/bld/mixed-a.tar" "$T/bld/mixed-b.tar" >"$T/x.json"
$RUN diff --format markdown "$T/bld/mixed-a.tar" "$T/bld/mixed-b.tar" >"$T/x.md"
$RUN diff --format html "$T/bld/mixed-a.tar" "$T/bld/mixed-b.tar" >"$T/x.html"
if python3 - "$T/x.json" <<'PY' &&
import json, sys
h = json.load(open(sys.argv[1]))["hints"]["timestamp"]
assert h.startswith("BuildKit: ") and "; buildah/podman: " in h, h
PY
    grep -q -- '^- BuildKit: pass SOURCE\\_DATE\\_EPOCH' "$T/x.md" &&
    grep -q -- '^- buildah/podman: build or commit with --timestamp' "$T/x.md" &&
    grep -q '<tr><th>timestamp</th><td>BuildKit: ' "$T/x.html" &&
    grep -q '<tr><th>timestamp</th><td>buildah/podman: ' "$T/x.html"
then ok; else bad "builder hints (two builders, JSON, Markdown, HTML)"; fi
# A layer split is never told to sort its archive members.
$RUN diff $R/squash-a.tar $R/squash-b.tar >"$T/x"
if grep -q '^  ordering     layer split (the final trees agree' "$T/x" &&
    ! grep -q -- '--sort=name' "$T/x"
then ok; else bad "layer split hint"; sed -n '/^fix/,$p' "$T/x"; fi

# No fix heading is ever printed with nothing under it, and no hint twice:
# every golden, and the text, Markdown and HTML report of every pair of
# corpus/real and corpus/causes.
for f in $R/*-a.tar $C/*-a.tar; do
	n=$(basename "$f" -a.tar)
	for fmt in text markdown html; do
		$RUN diff --format $fmt "$f" "$(dirname "$f")/$n-b.tar" >"$T/fix-$n.$fmt" 2>&1
	done
done
if python3 - tests/golden/diff-* tests/golden/packages-dpkg.* "$T"/fix-* <<'PY'
import re, sys
bad = []
for path in sys.argv[1:]:
    text = open(path, encoding="utf-8", errors="replace").read()
    lines = text.split("\n")
    if path.endswith((".txt", ".text")) and "fix" in lines:
        block = lines[lines.index("fix") + 1:]
        block = block[:block.index("")] if "" in block else block
        if not block or not all(re.match(r"^  \S", l) for l in block):
            bad.append(path + ": text fix block empty or broken")
        if len(set(block)) != len(block):
            bad.append(path + ": a hint twice")
    if path.endswith((".md", ".markdown")):
        for i, l in enumerate(lines):
            if l == "Fix:" and not (i + 2 < len(lines) and lines[i + 2].startswith("- ") and len(lines[i + 2]) > 2):
                bad.append(path + ": Markdown Fix: with no list under it")
            if l.startswith("Fix:") and l != "Fix:" and not l[4:].strip():
                bad.append(path + ": empty Markdown Fix line")
    if path.endswith(".html") and "<h2>Fix</h2>" in text:
        if not re.search(r"<h2>Fix</h2>\n<table>\n<tr><th>[^<]+</th><td>(<code>)?[^<]", text):
            bad.append(path + ": HTML Fix section with no row")
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
PY
then ok; else bad "empty fix heading or a hint twice"; fi

# Golden outputs, every format; UPDATE=1 rewrites them (and fails).
for g in tests/golden/diff-*; do
	[ -e "$g" ] || continue
	base=$(basename "$g"); name=${base#diff-}; name=${name%.*}; ext=${base##*.}
	case $ext in
	txt) fmt=text ;; json) fmt=json ;; md) fmt=markdown ;; xml) fmt=junit ;;
	html) fmt=html ;;
	*) bad "golden $g: unknown extension .$ext (txt, json, md, xml, html)"; continue ;;
	esac
	dir=$R; [ -e "$C/$name-a.tar" ] && dir=$C
	$RUN diff --format $fmt $dir/$name-a.tar $dir/$name-b.tar >"$T/g" 2>&1
	golden "$T/g" "$g"
done

# A hardlink whose target moved between layers (issue 18): A has the
# target in its first layer and the link in its second; B both in its
# second; C the same with other bytes in the target; D and E one layer,
# the link before its target in E.  The link takes its target's bytes in
# whatever layer the target is.
python3 - "$T/hl" <<'PY'
import os, sys
sys.path.insert(0, "tests/hostile")
import gen
gen.OUT = sys.argv[1]
os.makedirs(gen.OUT, exist_ok=True)
def tool(data):
    return gen.tar_file("usr/bin/tool", data, mode=0o755)
link = gen.tar_file("usr/bin/alias", typ=b"1", linkname=b"usr/bin/tool",
                    mode=0o755)
etc = gen.tar_file("etc/hosts", b"127.0.0.1 localhost\n")
for name, layers in (("a", [gen.tar(etc, tool(b"v1\n")), gen.tar(link)]),
                     ("b", [gen.tar(etc), gen.tar(tool(b"v1\n"), link)]),
                     ("d", [gen.tar(etc, tool(b"v2\n"), link)]),
                     ("e", [gen.tar(etc, link, tool(b"v1\n"))])):
    gen.write("hl-%s.tar" % name, gen.oci_archive(layers))
PY
for p in b e; do
	$RUN diff --format json "$T/hl/hl-a.tar" "$T/hl/hl-$p.tar" >"$T/x"
	if python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["verdict"] == "dependency-equivalent", d["verdict"]
assert "content" not in d["classes"], d["findings"]
assert not [f for f in d["findings"] if f["path"] == "usr/bin/alias"], d["findings"]
' "$T/x"; then ok; else bad "a hardlink whose target moved (A against $p) keeps its bytes"; fi
done
$RUN diff --format json "$T/hl/hl-a.tar" "$T/hl/hl-d.tar" >"$T/x"
if python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["verdict"] == "different", d["verdict"]
fs = {f["path"]: f for f in d["findings"] if f["scope"] == "filesystem"}
tool, link = fs["usr/bin/tool"], fs["usr/bin/alias"]
assert tool["class"] == "content" and tool["field"] == "content", tool
assert link["field"] == "content", link
assert (link["a"], link["b"]) == (tool["a"], tool["b"]), (link, tool)
# The second look reads the target'"'"'s bytes for the link, in the layer
# that holds the target (A: the first, the link in the second); a read of
# the link'"'"'s own empty data was "line-order", explained, class ordering.
for f in (tool, link):
    assert f["class"] == "content" and f["offset"] == 1, f
    assert f["cause"] is None and not f["explained"], f
' "$T/x"; then ok; else bad "a hardlink takes the other bytes of its moved target"; fi
$RUN diff "$T/hl/hl-a.tar" "$T/hl/hl-d.tar" >"$T/x"
if [ "$(grep -A3 '^    usr/bin/alias  content' "$T/x" | grep -c '^        | [-+]v[12]$')" = 2 ] &&
    ! grep -q 'line-order' "$T/x"
then ok; else bad "a hardlink's text diff is its target's"; cat "$T/x"; fi

# Every long option in diff --help is in the man page.
documented diff

finish
