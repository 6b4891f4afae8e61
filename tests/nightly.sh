#!/bin/sh
# CLI tests for the nightly job: record and diff against fingerprints, bad
# fingerprints, digest --append under concurrency, policy files, JUnit.
# usage: sh tests/nightly.sh ./imgdrift; prints "N passed, M failed" last.
NAME=nightly; . tests/lib.sh "$@"
R=corpus/real

# fp NAME: the fingerprint of corpus image NAME (recorded once).
fp() {
	f="$T/fp/$(echo "$1" | tr '/' '_').fp"
	if [ ! -f "$f" ]; then
		mkdir -p "$T/fp"
		$RUN record -o "$f" "$1" 2>"$T/err" || { cat "$T/err" >&2; return 1; }
	fi
	echo "$f"
}

# The findings of a JSON report, without what only bytes can show (content
# hashes, which are XXH3 for images and SHA-256 for fingerprints, offsets,
# causes).
findings() {
	python3 - "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for f in d["findings"]:
    ab = "" if f["field"] == "content" else "%s %s" % (f["a"], f["b"])
    print(f["class"], f["scope"], f["layer"], f["path"], f["field"], ab, f["platform"])
print("classes", ",".join(d["classes"]) or "-", d["counts"])
PY
}

# Did the image-vs-image verdict rest on a cause proven from file bytes?
proven() {
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if any(f["explained"] for f in d["findings"]) else 1)' "$1"
}

# --- record, then diff: the verdict and classes of image vs image ----------
tail -n +2 $R/expected.tsv | while IFS="$(printf '\t')" read -r a b verdict classes; do
	if ! fa=$(fp "$a") || ! fb=$(fp "$b"); then echo "FAIL: record $a $b"; continue; fi
	$RUN diff --format json "$a" "$b" >"$T/ii.json" 2>/dev/null
	findings "$T/ii.json" >"$T/ii"
	# A fingerprint has no bytes to prove a cause from: such content stays
	# content drift, so the verdict is "different" (the classes are the same).
	fverdict=$verdict
	if proven "$T/ii.json"; then fverdict=different; fi
	for pair in "$a $fb" "$fa $b" "$fa $fb"; do
		# shellcheck disable=SC2086
		$RUN diff --format json $pair >"$T/j" 2>"$T/err"
		rc=$?
		got=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["verdict"], ",".join(d["classes"]) or "-")' "$T/j" 2>&1)
		want="$fverdict $classes"
		# A fingerprint is never the same bytes: identical becomes same-digest.
		[ "$verdict" = identical ] && want="same-digest $classes"
		if [ "$got" = "$want" ]; then echo ok; else echo "FAIL: $pair: got '$got', want '$want'"; fi
		case $fverdict in identical|same-digest) w=0 ;; *) w=1 ;; esac
		if [ "$rc" -eq "$w" ]; then echo ok; else echo "FAIL: $pair: exit $rc, want $w"; cat "$T/err"; fi
		findings "$T/j" >"$T/if"
		if [ "$verdict" = identical ] || cmp -s "$T/ii" "$T/if"; then echo ok; else
			echo "FAIL: $pair: findings differ from image vs image"; diff "$T/ii" "$T/if" | head -5; fi
	done
done >"$T/pairs"
pass=$((pass + $(grep -c '^ok$' "$T/pairs")))
fail=$((fail + $(grep -c '^FAIL' "$T/pairs")))
grep -A5 '^FAIL' "$T/pairs"

# An image and its own fingerprint: same-digest, exit 0, every format.
for img in $R/rebuild-a.tar $R/multiarch-a.tar $R/layout-dir $R/wrapped-docker.tar.gz \
    corpus/fixtures/dive-docker-legacy.tar corpus/fixtures/ggcr-layer-symlink.tar; do
	f=$(fp "$img") || { bad "record $img"; continue; }
	for pair in "$img $f" "$f $img" "$f $f"; do
		# shellcheck disable=SC2086
		v=$($RUN diff -q $pair | head -1 | cut -d: -f1)
		if [ "$v" = same-digest ]; then ok; else bad "own fingerprint $pair: $v"; fi
	done
done
# The image's SHA-256 beside a fingerprint is taken for the reports that
# show it: -q alone does not take it, a JSON report beside -q still does,
# and the verdict is the same either way.
img=$R/rebuild-a.tar
f=$(fp "$img") && want=$(sha256sum "$img" | cut -d' ' -f1)
for pair in "$img $f" "$f $img"; do
	# shellcheck disable=SC2086
	$RUN diff -q --report json="$T/q.json" $pair >"$T/q" 2>&1
	rc=$?
	side=$(case "$pair" in "$img"*) echo a;; *) echo b;; esac)
	got=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["verdict"], d["inputs"][sys.argv[2]]["sha256"])' "$T/q.json" "$side" 2>&1)
	if [ $rc = 0 ] && [ "$got" = "same-digest sha256:$want" ] && [ ! -s "$T/q" ]
	then ok; else bad "-q with a JSON report, $pair: rc $rc, $got"; cat "$T/q"; fi
	# shellcheck disable=SC2086
	$RUN diff --format json -q $pair >"$T/q.json" 2>&1
	got=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["inputs"][sys.argv[2]]["sha256"])' "$T/q.json" "$side" 2>&1)
	if [ "$got" = "sha256:$want" ]; then ok; else bad "-q --format json, $pair: $got"; fi
	# shellcheck disable=SC2086
	$RUN diff -q $pair >"$T/q"
	if [ $? = 0 ] && [ "$(wc -l <"$T/q")" = 2 ] && head -1 "$T/q" | grep -q '^same-digest: ' &&
	    [ "$(tail -1 "$T/q")" = "required: same-digest (met, exit 0)" ]
	then ok; else bad "-q alone, $pair"; cat "$T/q"; fi
done
# Fingerprints written by an earlier build of format version 1 still read.
for f in corpus/fingerprints/*.fp; do
	img=$R/$(basename "$f" .fp).tar
	[ -f "$img" ] || img=corpus/packages/$(basename "$f" .fp).tar
	$RUN diff "$img" "$f" >"$T/x" 2>&1
	if head -1 "$T/x" | grep -q '^same-digest' && grep -q 'same bytes as the input the fingerprint records' "$T/x"
	then ok; else bad "stored fingerprint $f"; head -3 "$T/x"; fi
done
# Format 1 hashed a sparse file's holes as zeros until the sparse hash
# changed (docs/fingerprint.md): a fingerprint written then, of an image
# holding one (corpus/fingerprints/v1-sparse), still reads; its sparse file
# compares as content, with a note that says why.  Format 2 marks sparse
# entries, and an image compared with its own finds nothing.
V=corpus/fingerprints/v1-sparse
note='is a fingerprint of format 1, which may hash a sparse file with its holes as zeros'
# The image the fingerprint recorded: the same layer digest, nothing to
# compare; a rebuild whose times moved: its sparse file is content, noted.
status 0 "a format 1 fingerprint of a sparse file, its image" diff $V/sparse.tar $V/sparse.fp
$RUN diff $V/sparse-rebuild.tar $V/sparse.fp >"$T/x"
if head -1 "$T/x" | grep -q '^different' && grep -q "B $note: the content of 'var/log/lastlog' (sparse)" "$T/x"
then ok; else bad "a format 1 fingerprint of a sparse file"; cat "$T/x"; fi
$RUN record -o "$T/v2.fp" $V/sparse.tar
if [ "$(od -An -tu4 -j12 -N4 "$T/v2.fp" | tr -d ' ')" = 3 ]; then ok
else bad "record writes format 3"; fi
$RUN diff $V/sparse-rebuild.tar "$T/v2.fp" >"$T/x"
if head -1 "$T/x" | grep -q '^dependency-equivalent' && ! grep -q "$note" "$T/x"; then ok
else bad "a rebuild against a format 2 fingerprint"; cat "$T/x"; fi
$RUN record -o "$T/v2-rebuild.fp" $V/sparse-rebuild.tar
$RUN diff $V/sparse.fp "$T/v2-rebuild.fp" >"$T/x"
if grep -q "A $note" "$T/x"; then ok; else bad "format 1 against format 2"; cat "$T/x"; fi
# Recorded again, a format 1 fingerprint stays format 1 (which of its
# entries are sparse is not known).
$RUN record -o "$T/v1again.fp" $V/sparse.fp
if [ "$(od -An -tu4 -j12 -N4 "$T/v1again.fp" | tr -d ' ')" = 1 ] &&
    $RUN diff -q $V/sparse.fp "$T/v1again.fp" >/dev/null
then ok; else bad "a format 1 fingerprint recorded again"; fi
# The report says what a fingerprint cannot show, and which side it is.
$RUN diff $R/content-a.tar "$(fp $R/content-b.tar)" >"$T/x"
if grep -q 'B is a fingerprint, which holds hashes, not file bytes' "$T/x" &&
    grep -q '  B  .*fingerprint of oci-archive' "$T/x" && ! grep -q 'first difference' "$T/x" &&
    grep -q 'content  sha256:[0-9a-f]\{64\} -> sha256:' "$T/x"
then ok; else bad "fingerprint note"; cat "$T/x"; fi
$RUN diff --format json "$(fp $R/content-a.tar)" $R/content-b.tar >"$T/x"
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["inputs"]["a"]["fingerprint"] and not d["inputs"]["b"]["fingerprint"] and d["entry_hash"] == "sha256"' "$T/x"
then ok; else bad "json fingerprint keys"; fi
# Standard input may be the fingerprint, or the image against one.
f=$(fp $R/timestamp-b.tar)
status 1 "fingerprint on stdin" diff $R/timestamp-a.tar - <"$f"
if grep -q '^dependency-equivalent' "$T/out"; then ok; else bad "fingerprint on stdin verdict"; fi
f=$(fp $R/timestamp-a.tar)
status 0 "image on stdin vs fingerprint" diff "$f" - <$R/timestamp-a.tar
# A fingerprint is read by inspect and digest like the image.
$RUN digest $R/multiarch-a.tar | sed 's/"input":"[^"]*",//; s/"fingerprint":[a-z]*,//' >"$T/d1"
$RUN digest "$(fp $R/multiarch-a.tar)" | sed 's/"input":"[^"]*",//; s/"fingerprint":[a-z]*,//' >"$T/d2"
if cmp -s "$T/d1" "$T/d2"; then ok; else bad "digest of a fingerprint"; diff "$T/d1" "$T/d2"; fi
# --platform records one platform.
$RUN record --platform linux/arm64 -o "$T/arm.fp" $R/multiarch-a.tar
if [ "$($RUN digest "$T/arm.fp" | wc -l)" -eq 1 ] && $RUN digest "$T/arm.fp" | grep -q '"platform":"linux/arm64"'
then ok; else bad "record --platform"; fi
# Standard output, and the file appears whole (no temporary left behind).
$RUN record -o - $R/rebuild-a.tar >"$T/stdout.fp"
status 0 "record -o -" diff $R/rebuild-a.tar "$T/stdout.fp"
if [ -z "$(find "$T/fp" -name '*.tmp*')" ]; then ok; else bad "temporary file left"; fi
# zstd reads a fingerprint (a skippable frame, then a zstd frame).
if zstd -t -q "$T/stdout.fp"; then ok; else bad "zstd -t"; fi

# --- bad fingerprints: one line, exit 2 -------------------------------------
f=$(fp $R/rebuild-a.tar)
size=$(wc -c <"$f")
for cut in 10 20 100 $((size / 2)) $((size - 1)); do
	head -c "$cut" "$f" >"$T/trunc.fp"
	trouble "truncated at $cut" "trunc.fp" diff $R/rebuild-a.tar "$T/trunc.fp"
done
for at in 30 $((size / 2)) $((size - 8)); do
	cp "$f" "$T/tamper.fp"
	printf '\377' | dd of="$T/tamper.fp" bs=1 seek="$at" conv=notrunc 2>/dev/null
	trouble "tampered at $at" "tamper.fp: fingerprint" diff $R/rebuild-a.tar "$T/tamper.fp"
done
# Changed inside and compressed again: the zstd checksum fits, the SHA-256 not.
python3 - "$f" "$T/payload" <<'PY'
import sys
d = open(sys.argv[1], "rb").read()
open(sys.argv[2], "wb").write(d[16:])
PY
zstd -d -q -c "$T/payload" >"$T/plain"
python3 - "$T/plain" <<'PY'
import sys
p = sys.argv[1]; d = bytearray(open(p, "rb").read())
i = d.find(b"imgdrift/app.conf"); d[i] ^= 0x01
open(p, "wb").write(d)
PY
{ head -c 16 "$f"; zstd -q -c --check "$T/plain"; } >"$T/edited.fp"
trouble "edited and recompressed" "does not match its contents" diff $R/rebuild-a.tar "$T/edited.fp"
# A format version this imgdrift does not read.
cp "$f" "$T/v4.fp"
printf '\004' | dd of="$T/v4.fp" bs=1 seek=12 conv=notrunc 2>/dev/null
trouble "unknown version" "fingerprint format version 4 is not supported" diff $R/rebuild-a.tar "$T/v4.fp"
trouble "unknown version (inspect)" "version 4" inspect "$T/v4.fp"
status 2 "record without -o (status)" record $R/rebuild-a.tar
trouble "record to a missing directory" "cannot open '$T/no/such/dir.fp': No such file or directory\$" \
    record -o "$T/no/such/dir.fp" $R/rebuild-a.tar

# --- digest --append: two writers at once lose and interleave nothing ---------
status 0 "digest" digest --release 1.4.0 $R/multiarch-a.tar
if [ "$(wc -l <"$T/out")" -eq 2 ] && python3 - "$T/out" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)
    assert d["schema"] == "imgdrift.digest/1" and d["release"] == "1.4.0", d
    assert d["platform"] in ("linux/amd64", "linux/arm64"), d
    assert d["manifest"].startswith("sha256:") and d["index"] and d["config"], d
    assert len(d["layers"]) == 2 and len(d["diff_ids"]) == 2 and d["imgdrift"], d
    assert d["input_sha256"].startswith("sha256:"), d
PY
then ok; else bad "digest lines"; cat "$T/out"; fi
N=100
writer() {
	i=0
	while [ $i -lt $N ]; do
		$RUN digest --release "$1" --append "$T/releases.jsonl" $R/multiarch-a.tar >/dev/null || echo "writer $1 failed"
		i=$((i + 1))
	done
}
writer one >"$T/w1" 2>&1 &
p1=$!
writer two >"$T/w2" 2>&1 &
p2=$!
wait $p1 $p2
if [ ! -s "$T/w1" ] && [ ! -s "$T/w2" ] && python3 - "$T/releases.jsonl" "$N" <<'PY'
import json, sys
n = int(sys.argv[2])
lines = open(sys.argv[1], "rb").read().split(b"\n")
assert lines[-1] == b"", "the log does not end with a newline"
count = {"one": 0, "two": 0}
prev = None
for i, line in enumerate(lines[:-1]):
    d = json.loads(line)
    count[d["release"]] += 1
    # The two lines of one run stay together.
    if i % 2 == 1:
        assert d["release"] == prev["release"] and d["platform"] != prev["platform"], (i, line)
    prev = d
assert count == {"one": 2 * n, "two": 2 * n}, count
PY
then ok; else bad "concurrent digest --append"; cat "$T/w1" "$T/w2"; fi
trouble "digest --append unwritable" "cannot open" digest --append "$T/no/such/log" $R/multiarch-a.tar
trouble "digest --release ''" "needs a name" digest --release '' $R/multiarch-a.tar
# Hostile strings stay one line of valid JSON.
status 0 "digest hostile release" digest --release "$(printf 'a\nb\033c"')" $R/rebuild-a.tar
if [ "$(wc -l <"$T/out")" -eq 1 ] && python3 -c 'import json,sys; d=json.loads(open(sys.argv[1]).read()); assert d["release"] == "a\\nb\\x1bc\"", d["release"]' "$T/out"
then ok; else bad "digest escaping"; cat "$T/out"; fi

# --- policy files: every key, and an unknown one -----------------------------
pol() { printf '%s\n' "$1" >"$T/policy.json"; }
pol '{"require": "dependency-equivalent"}'
status 0 "policy require" diff --policy "$T/policy.json" $R/timestamp-a.tar $R/timestamp-b.tar
status 1 "command line wins over policy require" diff --policy "$T/policy.json" --require same-digest $R/timestamp-a.tar $R/timestamp-b.tar
pol '{"require": "dependency-equivalent", "ignore": ["permission"]}'
status 0 "policy ignore" diff --policy "$T/policy.json" $R/perm-mode-a.tar $R/perm-mode-b.tar
pol '{"require": "dependency-equivalent"}'
status 1 "policy without ignore" diff --policy "$T/policy.json" $R/perm-mode-a.tar $R/perm-mode-b.tar
status 0 "--ignore adds to the policy" diff --policy "$T/policy.json" --ignore permission $R/perm-mode-a.tar $R/perm-mode-b.tar
pol '{"exclude": ["app/**", "/etc/imgdrift/app.conf", "./usr/"]}'
$RUN diff --format json --policy "$T/policy.json" --exclude etc/imgdrift/platform $R/content-a.tar $R/content-b.tar >"$T/x"
if python3 - "$T/x" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
ex = {e["pattern"]: e["removed"] for e in d["excludes"]}
assert ex["app/**"] > 0 and ex["etc/imgdrift/platform"] == 1, ex
assert ex["/etc/imgdrift/app.conf"] == 1 and ex["./usr/"] > 0, ex
assert d["verdict"] == "dependency-equivalent", d["verdict"]
PY
then ok; else bad "policy exclude"; fi
pol '{"platform": "linux/arm64"}'
$RUN diff --format json --policy "$T/policy.json" $R/multiarch-a.tar $R/multiarch-b.tar >"$T/x"
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert [i["platform"] for i in d["images"]] == ["linux/arm64"]' "$T/x"
then ok; else bad "policy platform"; fi
$RUN diff --format json --policy "$T/policy.json" --platform linux/amd64 $R/multiarch-a.tar $R/multiarch-b.tar >"$T/x"
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert [i["platform"] for i in d["images"]] == ["linux/amd64"]' "$T/x"
then ok; else bad "--platform wins over the policy"; fi
pol '{"max_examples": 1}'
$RUN diff --format json --policy "$T/policy.json" $R/rebuild-a.tar $R/rebuild-b.tar >"$T/x"
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); f=[x for x in d["findings"] if x["class"]=="timestamp" and x["layer"]==2]; assert len(f)==1, f' "$T/x"
then ok; else bad "policy max_examples"; fi
C=corpus/causes
pol '{"volatile": "ignore", "require": "dependency-equivalent"}'
status 0 "policy volatile ignore" diff --policy "$T/policy.json" $C/volatile-a.tar $C/volatile-b.tar
status 1 "--volatile report wins over the policy" diff --policy "$T/policy.json" --volatile report $C/volatile-a.tar $C/volatile-b.tar
pol '{"volatile": "report", "require": "dependency-equivalent"}'
status 1 "policy volatile report" diff --policy "$T/policy.json" $C/volatile-a.tar $C/volatile-b.tar
pol '{"require": "same-digest", "ignore": [], "exclude": [], "volatile": "report", "platform": "linux/amd64", "max_examples": 5}'
status 0 "policy with every key" diff --policy "$T/policy.json" $R/retag-a.tar $R/retag-b.tar
# Each bad policy: what, the file, what the one line on stderr says.
while IFS='|' read -r what json needle; do
	pol "$json"
	trouble "policy $what" "$needle" diff --policy "$T/policy.json" $R/retag-a.tar $R/retag-b.tar </dev/null
done <<'BAD'
unknown key|{"require": "same-digest", "ignroe": ["timestamp"]}|unknown key "ignroe"
bad level|{"require": "different"}|"require" must be
ignore not a list|{"ignore": "timestamp"}|"ignore" must be a list
unknown class|{"ignore": ["mtime"]}|unknown class 'mtime'
empty glob|{"exclude": [""]}|"exclude" must be
root glob|{"exclude": ["./"]}|"exclude": './' names the root
bad volatile|{"volatile": "drop"}|"volatile" must be
bad platform|{"platform": 3}|"platform" must be
bad max_examples|{"max_examples": 0}|"max_examples" must be
duplicate key|{"require": "same-digest", "require": "identical"}|policy.json
not an object|["require"]|not a JSON object
BAD
trouble "policy missing" "cannot open" diff --policy "$T/nope.json" $R/retag-a.tar $R/retag-b.tar

# --- JUnit: valid against the schema; failures where the level breaks --------
junit() {
	python3 - "$1" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "testsuites"
for s in root.findall("testsuite"):
    cases = s.findall("testcase")
    assert int(s.get("tests")) == len(cases)
    assert int(s.get("failures")) == sum(1 for c in cases if c.find("failure") is not None)
    names = [c.get("name") for c in cases]
    assert names[0] == "image" and names[1] == "config" and names[-1] == "file system", names
print(root.get("failures"))
PY
}
tail -n +2 $R/expected.tsv | while IFS="$(printf '\t')" read -r a b verdict classes; do
	$RUN diff --format junit "$a" "$b" >"$T/j.xml"
	rc=$?
	if xmllint --noout --schema tests/junit.xsd "$T/j.xml" 2>"$T/xerr"; then echo ok; else
		echo "FAIL: junit schema $a $b"; head -3 "$T/xerr"; fi
	failures=$(junit "$T/j.xml")
	case "$rc:$failures" in
	0:0) echo ok ;;
	1:0 | 0:*) echo "FAIL: junit $a $b: exit $rc with $failures failures" ;;
	*) echo ok ;;
	esac
done >"$T/junit"
pass=$((pass + $(grep -c '^ok$' "$T/junit")))
fail=$((fail + $(grep -c '^FAIL' "$T/junit")))
grep '^FAIL' "$T/junit"
# Layers fail one by one; drift within the level is listed, not failed.
$RUN diff --format junit $R/timestamp-a.tar "$(fp $R/timestamp-b.tar)" >"$T/j.xml"
if python3 - "$T/j.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
cases = {c.get("name").split(":")[0]: c for c in ET.parse(sys.argv[1]).getroot().iter("testcase")}
assert cases["layer 1"].find("failure") is not None
assert "timestamp" in cases["layer 1"].find("failure").get("message")
assert cases["file system"].find("failure") is None
PY
then ok; else bad "junit layer failures"; fi
$RUN diff --format junit --require dependency-equivalent $R/timestamp-a.tar $R/timestamp-b.tar >"$T/j.xml"
if [ "$(junit "$T/j.xml")" = 0 ] && grep -q 'drift within the required level: timestamp' "$T/j.xml"
then ok; else bad "junit within the level"; fi
# A hostile file name is escaped and the XML stays valid.
evil="$T/$(printf 'a<b>&c"d\033e.tar')"
cp $R/content-a.tar "$evil"
$RUN diff --format junit "$evil" $R/content-b.tar >"$T/j.xml"
if xmllint --noout --schema tests/junit.xsd "$T/j.xml" 2>/dev/null && grep -q 'a&lt;b&gt;&amp;c&quot;d\\x1be.tar' "$T/j.xml"
then ok; else bad "junit escaping"; head -3 "$T/j.xml"; fi

# Test cases a dashboard can show: "layer N: STEP", the step's white space
# folded and cut at 80 characters; failures carry the first differing
# byte, the cause and the text diff.
C=corpus/causes
$RUN diff --format junit --max-examples 20 $C/hidden-a.tar $C/hidden-b.tar >"$T/j.xml"
if xmllint --noout --schema tests/junit.xsd "$T/j.xml" 2>/dev/null && python3 - "$T/j.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
cases = {c.get("name"): c for c in ET.parse(sys.argv[1]).getroot().iter("testcase")}
body = cases["layer 1: COPY rootfs /"].find("failure").text
assert "etc/app.conf  content  " in body and "(first difference at byte 10)" in body, body
assert "    | +port = 8081\n" in body, body
assert "    cause: zip-times (" in body, body
PY
then ok; else bad "junit failure bodies"; cat "$T/j.xml"; fi
python3 - "$T/steps" <<'PY'
import json, os, sys
sys.path.insert(0, "tests/hostile")
import gen
gen.OUT = sys.argv[1]
os.makedirs(gen.OUT, exist_ok=True)
step = "/bin/sh -c pip install\n    --no-cache-dir \t  " + " ".join(
    "pkg%d==1.%d" % (i, i) for i in range(40))
open(os.path.join(gen.OUT, "step"), "w").write(step)
for side, data in (("a", b"1"), ("b", b"2")):
    files = []
    layer = gen.tar(gen.tar_file("app/v", data))
    desc = gen.image(files, [layer], {"history": [{"created_by": step}]})
    files += [("oci-layout", b'{"imageLayoutVersion":"1.0.0"}'),
              ("index.json", gen.index_of([desc]))]
    gen.write("step-%s.tar" % side, gen.tar_members(files))
PY
$RUN diff --format junit "$T/steps/step-a.tar" "$T/steps/step-b.tar" >"$T/j.xml"
if xmllint --noout --schema tests/junit.xsd "$T/j.xml" 2>/dev/null && python3 - "$T/j.xml" "$T/steps/step" <<'PY'
import sys, xml.etree.ElementTree as ET
names = [c.get("name") for c in ET.parse(sys.argv[1]).getroot().iter("testcase")]
want = "layer 1: " + " ".join(open(sys.argv[2]).read().split())[:80] + "..."
assert names[2] == want, names
assert len(names[2]) - len("layer 1: ") == 80 + 3, len(names[2])
PY
then ok; else bad "junit test-case names"; cat "$T/j.xml"; fi

# --- usage ---------------------------------------------------------------------
status 0 "record --help" record --help
status 0 "digest --help" digest --help
status 2 "digest no image" digest
status 2 "diff bad format" diff --format junitx $R/retag-a.tar $R/retag-b.tar
documented record digest diff

finish
