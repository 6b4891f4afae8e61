#!/bin/sh
# CLI tests for the dependencies compiled into files: Go modules in a Go
# binary's build information, Maven artifacts in jars (and jars in a jar),
# cargo crates in a cargo-auditable binary.  Image pairs made by
# tests/pkg/mkcompiled.py from the real files of corpus/compiled/.
# usage: sh tests/compiled.sh ./imgdrift
NAME=compiled; . tests/lib.sh "$@"

python3 tests/pkg/mkcompiled.py "$T" || bad "tests/pkg/mkcompiled.py"

# has FILE TEXT WHAT: FILE holds the line TEXT (fixed string).
has() {
	if grep -qF -- "$2" "$1"; then ok; else bad "$3: no '$2'"; sed 's/^/    /' "$1" | head -40; fi
}

# inspect_json TAR ECO CHECK: inspect --packages --format json of TAR
# read one database, ECO's, and its packages as got, sorted (ecosystem,
# name, version, path) tuples, pass the Python asserts CHECK.
inspect_json() {
	$RUN inspect --packages --format json "$T/$1" >"$T/out.json"
	if python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
got = sorted((p['ecosystem'], p['name'], p['version'], p['path'])
             for p in d['images'][0]['packages'])
assert [(x['ecosystem'], x['read']) for x in d['images'][0]['databases']] == [('$2', True)], d
$3
" "$T/out.json"; then ok; else bad "inspect --packages $2 JSON ($1)"; fi
}

# Go: a dependency moved, one added, -trimpath, vcs.time and vcs.modified.
$RUN diff "$T/go-uuid13.tar" "$T/go-uuid16.tar" >"$T/go.txt"
has "$T/go.txt" "not explained: modules moved: github.com/google/uuid v1.3.0 -> v1.6.0" "go upgrade cause"
has "$T/go.txt" "  go  github.com/google/uuid  v1.3.0 -> v1.6.0  (usr/local/bin/hello)  (0 files)" "go upgrade row"
has "$T/go.txt" "package: go:example.com/hello" "go binary attributed to its main module"
has "$T/go.txt" "packages     a Go module moved: build from a committed go.sum" "go fix hint"
status 1 "go upgrade: different" diff --require dependency-equivalent \
    "$T/go-uuid13.tar" "$T/go-uuid16.tar"
$RUN diff "$T/go-uuid13.tar" "$T/go-text.tar" >"$T/go-text.txt"
has "$T/go-text.txt" "modules moved: golang.org/x/text v0.7.0 added" "go added cause"
has "$T/go-text.txt" "  go  golang.org/x/text  (absent) -> v0.7.0  (usr/local/bin/hello)  added" "go added row"
$RUN diff "$T/go-text.tar" "$T/go-uuid13.tar" >"$T/go-rm.txt"
has "$T/go-rm.txt" "  go  golang.org/x/text  v0.7.0 -> (absent)  (usr/local/bin/hello)  removed" "go removed row"
$RUN diff "$T/go-uuid13.tar" "$T/go-trimpath.tar" >"$T/go-trim.txt"
has "$T/go-trim.txt" "not explained: same modules; build settings moved: " "go trimpath cause"
has "$T/go-trim.txt" "-trimpath (unset) -> true" "go trimpath named"
$RUN diff "$T/go-vcs1.tar" "$T/go-vcs2.tar" >"$T/go-vcs.txt"
has "$T/go-vcs.txt" "vcs.time 2024-01-01T00:00:00Z -> 2024-02-01T00:00:00Z" "go vcs.time named"
$RUN diff "$T/go-vcs2.tar" "$T/go-vcs2m.tar" >"$T/go-vcsm.txt"
has "$T/go-vcsm.txt" "same modules; build settings moved: vcs.modified false -> true" "go vcs.modified named"

# JSON: the keys tools outside this repository read.
$RUN diff --format json "$T/go-uuid13.tar" "$T/go-uuid16.tar" >"$T/go.json"
if python3 - "$T/go.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
got = {(p["ecosystem"], p["name"], p["path"], p["a"], p["b"], p["change"])
       for p in d["packages"]}
assert ("go", "github.com/google/uuid", "usr/local/bin/hello", "v1.3.0", "v1.6.0",
        "upgraded") in got, got
f = [f for f in d["findings"] if f["path"] == "usr/local/bin/hello"][0]
assert f["package"] == "go:example.com/hello", f
PY
then ok; else bad "go JSON keys"; fi

# Lengths that point past the end: named, not read; the diff goes on.
$RUN inspect --packages "$T/go-cut.tar" >"$T/out" 2>"$T/err"
if [ $? -eq 0 ]; then ok; else bad "inspect --packages of a cut Go blob: exit"; fi
has "$T/out" "  go: usr/local/bin/hello: unreadable: Go build information: a length points past the end" "go cut named"
status 1 "diff against a cut Go blob" diff "$T/go-uuid13.tar" "$T/go-cut.tar"
has "$T/out" "packages: go: usr/local/bin/hello: unreadable: Go build information: a length points past the end" "go cut note"

# inspect --packages lists the modules, text and JSON.
$RUN inspect --packages "$T/go-text.tar" >"$T/out"
has "$T/out" "  go  golang.org/x/text  v0.7.0  -  0 files  usr/local/bin/hello" "inspect go module"
has "$T/out" "  go  stdlib  go1.19.8  -  0 files  usr/local/bin/hello" "inspect go toolchain"
inspect_json go-text.tar go '
assert ("go", "github.com/google/uuid", "v1.3.0", "usr/local/bin/hello") in got, got'

# Files at two slashes or fewer: in a bare layer they are members that
# may also be an image's blobs, read on their own path (one with -j 1, the
# workers' with -j 2), and still read for packages; in an image, as ever.
for args in "-j 1 shallow-a.tar shallow-b.tar" "-j 2 shallow-a.tar shallow-b.tar" \
    "shallow-a.oci.tar shallow-b.oci.tar"; do
	set -- $args
	[ "$1" = -j ] && j="$1 $2" && shift 2 || j=
	$RUN diff $j --format json "$T/$1" "$T/$2" >"$T/shallow.json"
	if python3 - "$T/shallow.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
got = sorted((p["ecosystem"], p["name"], p["path"], p["a"], p["b"])
             for p in d["packages"] if p["change"] == "upgraded")
assert got == [
    ("go", "github.com/google/uuid", "app/hello", "v1.3.0", "v1.6.0"),
    ("maven", "org.apache.commons:commons-lang3", "app", "3.12.0", "3.17.0"),
    ("npm", "lodash", "node_modules/lodash", "4.17.20", "4.17.21"),
    ("pypi", "six", "site-packages", "1.16.0", "1.17.0")], got
own = {f["path"]: f.get("package") for f in d["findings"]}
assert own["site-packages/six.py"] == "pypi:six", own
assert own["app/hello"] == "go:example.com/hello", own
PY
	then ok; else bad "shallow paths read for packages: diff $args"; fi
done
$RUN inspect --packages "$T/shallow-b.tar" >"$T/out"
has "$T/out" "  npm  lodash  4.17.21  -  a directory  node_modules/lodash" "inspect shallow npm"
has "$T/out" "  pypi  six  1.17.0  -  4 files  site-packages" "inspect shallow pypi"
has "$T/out" "  maven  org.apache.commons:commons-lang3  3.17.0  -  1 file  app" "inspect shallow maven"
has "$T/out" "  go  github.com/google/uuid  v1.6.0  -  0 files  app/hello" "inspect shallow go"

# Maven: upgraded (a top-level jar whose file name moved, a nested one),
# added, removed, and the app jar rebuilt at the same version.
$RUN diff "$T/maven-a.tar" "$T/maven-b.tar" >"$T/mvn.txt"
has "$T/mvn.txt" "  maven  org.apache.commons:commons-lang3  3.12.0 -> 3.17.0  (usr/share/java)  (2 files)" "maven upgrade"
has "$T/mvn.txt" "  maven  org.apache.commons:commons-lang3  3.12.0 -> 3.17.0  (opt/app/lib/app.jar!/BOOT-INF/lib)  (0 files)" "maven nested upgrade"
has "$T/mvn.txt" "  maven  commons-io:commons-io  (absent) -> 2.11.0  (usr/share/java)  added  (1 file)" "maven added"
has "$T/mvn.txt" "  maven  commons-io:commons-io  2.11.0 -> (absent)  (opt/app/lib/app.jar!/BOOT-INF/lib)  removed  (0 files)" "maven nested removed"
has "$T/mvn.txt" "  maven  com.example:app  1.0.0 -> 1.0.0  (opt/app/lib)  rebuilt  (1 file)" "maven rebuilt"
has "$T/mvn.txt" "not explained: artifacts moved: commons-io:commons-io 2.11.0 removed, org.apache.commons:commons-lang3 3.12.0 -> 3.17.0" "maven cause"

# A jar inside a jar over the 32 MiB nested-jar limit is named, in the
# packages block and in JSON; one under it is read (tests/hostile/gen_binpkg.py).
python3 tests/hostile/gen_binpkg.py "$T/h" >/dev/null || bad "gen_binpkg.py"
$RUN diff "$T/h/bin-jar-good.tar" "$T/h/bin-jar-nested-over.tar" >"$T/out"
has "$T/out" "  maven  not read  usr/share/java/a.jar!/BOOT-INF/lib/big.jar: over the 32 MiB nested-jar limit  (B)" "nested jar over the limit: packages block"
has "$T/out" "packages: maven: usr/share/java/a.jar!/BOOT-INF/lib/big.jar: not read: over the 32 MiB nested-jar limit (B)" "nested jar over the limit: note"
$RUN diff --format json "$T/h/bin-jar-good.tar" "$T/h/bin-jar-nested-over.tar" >"$T/out.json"
if python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["packages_not_read"] == [{"ecosystem": "maven",
    "path": "usr/share/java/a.jar!/BOOT-INF/lib/big.jar",
    "reason": "over the 32 MiB nested-jar limit", "sides": ["B"],
    "platform": None}], d["packages_not_read"]
assert not any(p["name"] == "com.example:big" for p in d["packages"]), d["packages"]
' "$T/out.json"; then ok; else bad "nested jar over the limit: JSON"; fi
$RUN diff "$T/h/bin-jar-good.tar" "$T/h/bin-jar-nested-under.tar" >"$T/out"
has "$T/out" "  maven  com.example:big  (absent) -> 2.0  (usr/share/java/a.jar!/BOOT-INF/lib)  added  (0 files)" "nested jar under the limit: read"
if grep -q "not read" "$T/out"; then bad "nested jar under the limit: named not read"; else ok; fi

# A file named .jar that is no zip is not kept: no maven database at all.
$RUN inspect --packages "$T/maven-notzip.tar" >"$T/out"
has "$T/out" "  no package database" "a .jar that is no zip"

# cargo: crates moved; a section that inflates to 1 GiB is named, the
# diff goes on.
$RUN diff "$T/cargo-a.tar" "$T/cargo-b.tar" >"$T/cargo.txt"
has "$T/cargo.txt" "not explained: crates moved: itoa 1.0.9 removed, memchr 2.7.1 added, serde 1.0.188 -> 1.0.193" "cargo cause"
has "$T/cargo.txt" "  cargo  serde  1.0.188 -> 1.0.193  (usr/bin/hello)  (0 files)" "cargo upgrade row"
has "$T/cargo.txt" "  cargo  memchr  (absent) -> 2.7.1  (usr/bin/hello)  added  (0 files)" "cargo added row"
has "$T/cargo.txt" "  cargo  itoa  1.0.9 -> (absent)  (usr/bin/hello)  removed  (0 files)" "cargo removed row"
has "$T/cargo.txt" "  cargo  hello  0.1.0 -> 0.1.0  (usr/bin/hello)  rebuilt  (1 file)" "cargo root rebuilt"
$RUN diff "$T/cargo-a.tar" "$T/cargo-bomb.tar" >"$T/bomb.txt" 2>"$T/err"
if [ $? -eq 1 ]; then ok; else bad "cargo bomb: exit"; fi
has "$T/bomb.txt" "crates not read: usr/bin/hello: unreadable: .dep-v0 inflates to more than 8 MiB (B)" "cargo bomb named"

# A binary only B has: its crates are read by the first pass, added.
$RUN diff --format json "$T/cargo-absent.tar" "$T/cargo-b.tar" >"$T/cargo1.json"
if python3 - "$T/cargo1.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
got = sorted((p["ecosystem"], p["name"], p["path"], p["a"], p["b"], p["change"])
             for p in d["packages"])
assert got == [
    ("cargo", "hello", "usr/bin/hello", None, "0.1.0", "added"),
    ("cargo", "memchr", "usr/bin/hello", None, "2.7.1", "added"),
    ("cargo", "serde", "usr/bin/hello", None, "1.0.193", "added")], got
PY
then ok; else bad "cargo: a one-sided binary's crates"; fi
$RUN diff "$T/cargo-b.tar" "$T/cargo-absent.tar" >"$T/out"
has "$T/out" "  cargo  serde  1.0.193 -> (absent)  (usr/bin/hello)  removed  (0 files)" "cargo: a removed binary's crates"

# inspect --packages lists the crates, text and JSON.
$RUN inspect --packages "$T/cargo-a.tar" >"$T/out"
has "$T/out" "  cargo  serde  1.0.188  -  0 files  usr/bin/hello" "inspect cargo crate"
has "$T/out" "  cargo  hello  0.1.0  -  1 file  usr/bin/hello" "inspect cargo root crate"
inspect_json cargo-b.tar cargo '
assert got == [("cargo", "hello", "0.1.0", "usr/bin/hello"),
               ("cargo", "memchr", "2.7.1", "usr/bin/hello"),
               ("cargo", "serde", "1.0.193", "usr/bin/hello")], got'

# .dep-v0 more than 4 MiB before the section headers: the first pass names
# it not read; the second look reads it when let read the whole file, and
# its crates are listed once.
$RUN inspect --packages "$T/cargo-far-a.tar" >"$T/out"
has "$T/out" "  cargo: usr/bin/hello: not read: .dep-v0 lies more than 4 MiB before the section headers (the second look reads it where the binary differs on both sides, within --look-max-file)" "cargo far: named"
$RUN diff --look-max-file 8M "$T/cargo-far-a.tar" "$T/cargo-far-b.tar" >"$T/far.txt"
has "$T/far.txt" "not explained: crates moved: itoa 1.0.9 removed, memchr 2.7.1 added, serde 1.0.188 -> 1.0.193" "cargo far: second look"
if [ "$(grep -c '^  cargo  serde ' "$T/far.txt")" -eq 1 ]; then ok; else bad "cargo far: serde listed once"; fi
if [ "$(grep -c '^  cargo  serde ' "$T/cargo.txt")" -eq 1 ]; then ok; else bad "cargo: serde listed once"; fi

finish
