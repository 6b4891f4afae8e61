#!/bin/sh
# CLI tests for diff --dockerfile: each layer tied to the instruction that
# made it, for the history formats of classic docker, kaniko and BuildKit;
# drift tied to the lint rule that predicts it; what matches nothing said;
# a Dockerfile that cannot be read is exit 2.
# usage: sh tests/dockerfile.sh ./imgdrift; prints "N passed, M failed" last.
NAME=dockerfile; . tests/lib.sh "$@"
F=corpus/fixtures
C=corpus/causes
DIGEST=sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef

# layers: the JSON report's (layer, dockerfile_line) pairs of image 0.
layers() {
	python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
print(" ".join("%d:%s" % (l["layer"], l["dockerfile_line"]) for l in d["images"][0]["layers"]))' "$1"
}

# dive's test image (corpus/fixtures/README.md), built by classic docker
# and by kaniko from the same Dockerfile: 2 base steps (ADD, CMD), then
# every instruction a layer.
want="1:None 2:2 3:3 4:4 5:5 6:6 7:7 8:8 9:9 10:10 11:11 12:12 13:13 14:14"
for img in dive-docker-legacy dive-kaniko; do
	$RUN diff --format json --dockerfile tests/dockerfile/dive-test-image.Dockerfile \
	    $F/$img.tar $F/$img.tar >"$T/x"
	got=$(layers "$T/x")
	if [ "$got" = "$want" ]; then ok; else bad "$img: layers $got"; fi
done
$RUN diff --dockerfile tests/dockerfile/dive-test-image.Dockerfile $F/dive-docker-legacy.tar \
    $F/dive-kaniko.tar >"$T/x"
if grep -q '^  layer 3/14  /bin/sh -c mkdir -p /root/example/really/nested  (tests/dockerfile/dive-test-image.Dockerfile:3)$' "$T/x" &&
    grep -q 'the first 2 history steps of linux/amd64 come before its first instruction (the base image)' "$T/x" &&
    ! grep -q 'matches no' "$T/x"
then ok; else bad "text: layer lines and the base note"; grep -E 'layer|match|base' "$T/x"; fi
# BuildKit ("COPY README.md /README.md # buildkit")
$RUN diff --format json --dockerfile tests/dockerfile/dive-minimal.Dockerfile $F/dive-oci-gzip.tar \
    $F/dive-oci-zstd.tar >"$T/x"
if [ "$(layers "$T/x")" = "1:2" ]; then ok; else bad "buildkit: $(layers "$T/x")"; fi

# A real buildah build, twice (corpus/dockerfile/README.md): COPY, two
# RUNs with classic "|1 V=1" build args, empty ARG, ENV and CMD steps; the
# build date a RUN writes is tied to date-in-output on that RUN's line.
D=corpus/dockerfile
$RUN diff --format json --dockerfile $D/Dockerfile $D/buildah-a.tar $D/buildah-b.tar >"$T/x"
if [ "$(layers "$T/x")" = "1:None 2:3 3:4 4:5" ]; then ok; else bad "buildah: $(layers "$T/x")"; fi
if python3 - "$T/x" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
f = [x for x in d["findings"] if x["path"] == "out/build-date" and x["class"] == "content"]
assert f and f[0]["lint"] == {"rule": "date-in-output", "line": 4}, f
assert any("the first history step of linux/amd64 comes before" in n for n in d["notes"]), d["notes"]
assert not any("matches no" in n for n in d["notes"]), d["notes"]
PY
then ok; else bad "buildah: date-in-output on the build date"; fi

# A RUN layer whose .pyc moved: the lint rule that predicts it, on its line.
S='RUN /bin/sh -c pip install flask==3.0.2 # buildkit'
python3 tests/dockerfile/rehistory.py $C/causes-a.tar "$T/a.tar" "$S" &&
python3 tests/dockerfile/rehistory.py $C/causes-b.tar "$T/b.tar" "$S" || bad "rehistory.py"
printf 'FROM --platform=linux/amd64 python:3.12-slim@%s\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask==3.0.2\n' \
    $DIGEST >"$T/Dockerfile"
$RUN diff --format json --dockerfile "$T/Dockerfile" "$T/a.tar" "$T/b.tar" >"$T/x"
if python3 - "$T/x" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["dockerfile"].endswith("Dockerfile"), d["dockerfile"]
assert d["images"][0]["layers"][0]["dockerfile_line"] == 3
f = {x["path"]: x for x in d["findings"] if x["class"] == "content"}
pyc = f["app/lib/__pycache__/greet.cpython-311.pyc"]
assert pyc["lint"] == {"rule": "pyc-timestamp", "line": 3}, pyc["lint"]
# a jar's zip times: no rule on that RUN predicts them
assert f["usr/lib/app/app.jar"]["lint"] is None
assert all("lint" in x for x in d["findings"])
PY
then ok; else bad "json: lint of the pyc finding"; fi
$RUN diff --dockerfile "$T/Dockerfile" "$T/a.tar" "$T/b.tar" >"$T/x"
if grep -q '^          lint pyc-timestamp at .*Dockerfile:3$' "$T/x"
then ok; else bad "text: lint line"; grep lint "$T/x" | head -3; fi
# Markdown: the findings tables gain a lint column, as the text report's
# lint line; every row of a table has as many cells as its header.
$RUN diff --format markdown --dockerfile "$T/Dockerfile" "$T/a.tar" "$T/b.tar" >"$T/x"
if grep -q '^| where | path | field | A | B | cause | lint |$' "$T/x" &&
    grep -q '^| 1 | app/lib/\\_\\_pycache\\_\\_/greet\.cpython-311\.pyc | content | .* | `pyc-timestamp` at .*Dockerfile:3 |$' "$T/x" &&
    python3 - "$T/x" <<'PY'
import re, sys
rows = [l for l in open(sys.argv[1]) if l.startswith("| ")]
cells = lambda l: len(re.findall(r"(?<!\\)\|", l))
head = None
for l in rows:
    if l.startswith("| where |"):
        head = cells(l)
    elif head is not None:
        assert cells(l) == head, l
PY
then ok; else bad "markdown: lint column"; grep -n 'lint\|pyc' "$T/x" | head -5; fi
$RUN diff --format markdown "$T/a.tar" "$T/b.tar" >"$T/x"
if grep -q '^| where | path | field | A | B | cause |$' "$T/x"
then ok; else bad "markdown: no lint column without --dockerfile"; fi
# Without --dockerfile the keys are not there.
$RUN diff --format json "$T/a.tar" "$T/b.tar" >"$T/x"
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert "dockerfile" not in d and all("lint" not in f for f in d["findings"]) and all("dockerfile_line" not in l for l in d["images"][0]["layers"])' "$T/x"
then ok; else bad "json without --dockerfile"; fi

# Classic docker's build args ("|1 V=3.0.2 /bin/sh -c ..."), a RUN that
# names an ARG (matched with --build-arg), and an instruction and a step
# that match nothing.
S='|1 V=3.0.2 /bin/sh -c pip install flask==$V'
python3 tests/dockerfile/rehistory.py $C/causes-a.tar "$T/c.tar" "$S" || bad "rehistory.py"
printf 'FROM python@%s\nARG V\nRUN pip install flask==$V\n' $DIGEST >"$T/D2"
$RUN diff --format json --dockerfile "$T/D2" "$T/c.tar" "$T/c.tar" >"$T/x"
if [ "$(layers "$T/x")" = "1:3" ]; then ok; else bad "classic build args: $(layers "$T/x")"; fi
S='RUN /bin/sh -c pip install flask==3.0.2 # buildkit'
python3 tests/dockerfile/rehistory.py $C/causes-a.tar "$T/d.tar" "$S" || bad "rehistory.py"
printf 'FROM python@%s\nARG V=1\nRUN pip install flask==${V}\n' $DIGEST >"$T/D3"
$RUN diff --format json --dockerfile "$T/D3" "$T/d.tar" "$T/d.tar" >"$T/x"
if [ "$(layers "$T/x")" = "1:None" ]; then ok; else bad "unexpanded ARG: $(layers "$T/x")"; fi
$RUN diff --format json --dockerfile "$T/D3" --build-arg V=3.0.2 "$T/d.tar" "$T/d.tar" >"$T/x"
if [ "$(layers "$T/x")" = "1:3" ]; then ok; else bad "--build-arg: $(layers "$T/x")"; fi
printf 'FROM python@%s\nRUN pip install flask==3.0.2\nCOPY app /app\n' $DIGEST >"$T/D4"
$RUN diff --dockerfile "$T/D4" "$T/d.tar" "$T/d.tar" >"$T/x"
if grep -q 'D4:3: COPY matches no layer of linux/amd64' "$T/x"
then ok; else bad "an instruction that matches nothing"; grep -i match "$T/x"; fi
printf 'FROM python@%s\nCOPY app /app\n' $DIGEST >"$T/D5"
$RUN diff --dockerfile "$T/D5" "$T/d.tar" "$T/d.tar" >"$T/x"
if grep -q 'no history step of linux/amd64 matches an instruction of its final stage' "$T/x"
then ok; else bad "nothing matches"; grep -i match "$T/x"; fi
# Only the final stage (and the stages it is built FROM) are in the image.
printf 'FROM golang@%s AS build\nRUN pip install flask==3.0.2\nFROM build AS mid\nFROM python@%s\nRUN pip install flask==3.0.2\n' \
    $DIGEST $DIGEST >"$T/D6"
$RUN diff --format json --dockerfile "$T/D6" "$T/d.tar" "$T/d.tar" >"$T/x"
if [ "$(layers "$T/x")" = "1:5" ]; then ok; else bad "final stage: $(layers "$T/x")"; fi

# Trouble: exit 2, one line naming the file.
trouble "missing Dockerfile" "nope" diff --dockerfile "$T/nope" "$T/d.tar" "$T/d.tar"
printf 'RUN x\n' >"$T/bad"
trouble "not a Dockerfile" "bad" diff --dockerfile "$T/bad" "$T/d.tar" "$T/d.tar"
trouble "--build-arg without =" "build-arg" diff --dockerfile "$T/D3" --build-arg V "$T/d.tar" "$T/d.tar"
# A hostile step and instruction are escaped in every format.
S=$(printf 'RUN /bin/sh -c echo \033[2J')
python3 tests/dockerfile/rehistory.py $C/causes-a.tar "$T/e.tar" "$S" || bad "rehistory.py"
printf 'FROM python@%s\nRUN echo \033[2J\n' $DIGEST >"$T/D7"
for fmt in text json markdown junit; do
	$RUN diff --format $fmt --dockerfile "$T/D7" "$T/e.tar" "$T/a.tar" >"$T/x"
	if python3 tests/check_escaped.py "$T/x" >/dev/null; then ok; else bad "$fmt: raw bytes"; fi
done

finish
