#!/bin/sh
# The package view of Python, Node and Ruby dependencies over the real-package
# pairs of corpus/apppkg (README.md there), and over hostile trees made here.
# usage: sh tests/apppkg.sh ./imgdrift; prints "N passed, M failed" last.
NAME=apppkg; . tests/lib.sh "$@"
P=corpus/apppkg

# check A B PYTHON: the JSON report of diff A B, as d, passes the asserts.
check() {
	a=$1 b=$2 what=$3 code=$4
	$RUN diff --format json "$P/$a" "$P/$b" >"$T/j" 2>"$T/err"
	if python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
pk = [(p['ecosystem'], p['name'], p['path'], p['a'], p['b'], p['change'])
      for p in d['packages']]
fs = d['findings']
def finding(path):
    return [f for f in fs if f['path'] == path][0]
notes = d['notes']
$code
" "$T/j"; then ok; else bad "$what ($a $b)"; fi
}

# A pypi and an npm dependency moved, the gem did not: the text report.
$RUN diff "$P/app-a.tar" "$P/app-b.tar" >"$T/ab.txt"
golden "$T/ab.txt" tests/golden/apppkg-upgrade.txt
# app/package.json differs past its 100th byte: each renderer's excerpt of
# the line shows where (lodash 4.17.20 -> 4.17.21), not the same head twice.
for fmt in text markdown html junit; do
	$RUN diff --format $fmt "$P/app-a.tar" "$P/app-b.tar" >"$T/ex" 2>&1
	if grep -q 'lodash.*4\.17\.20.* (bytes 40-139 of 140)' "$T/ex" &&
	    grep -q 'lodash.*4\.17\.21.* (bytes 40-139 of 140)' "$T/ex"
	then ok; else bad "$fmt: the package.json excerpt shows where it differs"; fi
done
check app-a.tar app-b.tar "a pypi and an npm upgrade" '
assert d["verdict"] == "different", d["verdict"]
assert pk == [("pypi", "designate", "usr/lib/python3/dist-packages", "15.0.0",
               "15.0.2", "upgraded"),
              ("npm", "lodash", "app/node_modules/lodash", "4.17.20", "4.17.21",
               "upgraded")], pk
f = finding("app/node_modules/lodash/package.json")
assert f["package_database"], f'

# Modified after install: a RECORD digest (pypi) and a published version's
# fixed bytes (npm) say the file is not the package's.
check app-a.tar app-modified.tar "modified after install" '
assert pk == [], pk
for path, owner in (("app/node_modules/lodash/add.js", "npm:lodash"),
    ("opt/venv/lib/python3.11/site-packages/wheel/__init__.py", "pypi:wheel")):
    f = finding(path)
    assert f["package"] == owner and f["modified_after_install"], f'

$RUN diff "$P/app-a.tar" "$P/app-modified.tar" >"$T/m.txt"
if grep -q "package: npm:lodash  modified after install (its version did not move, and a published version's files never change)" "$T/m.txt" &&
   grep -q "package: pypi:wheel  modified after install (pypi:wheel: sha256 in the database 2wJrg-twJVHIbVXveZjxyMtxjelZOVff9bnhTBt3eec, file 7sOY0jgO73Lvv8YX1fjSqasdchej9EW4UcWEjEaQZNY; size in the database 59, file 83) in B; A matches its record" "$T/m.txt"; then ok
else bad "modified after install: why, in the text report"; fi

# Added and removed, in every ecosystem; a nested copy named by its path;
# the copy npm did not install from the lockfile is noted.
check app-a.tar app-added.tar "added" '
assert sorted(pk) == [
    ("gem", "json", "usr/share/rubygems-integration/all", None, "2.6.3", "added"),
    ("npm", "ms", "app/node_modules/@tootallnate/once/node_modules/ms", None,
     "2.1.3", "added"),
    ("pypi", "six", "usr/lib/python3/dist-packages", None, "1.16.0", "added")], pk
assert any("app/package-lock.json and the installed tree disagree: "
    "node_modules/@tootallnate/once/node_modules/ms installed at 2.1.3, "
    "not locked (B)" in n for n in notes), notes'
check app-added.tar app-a.tar "removed" '
assert sorted(c for *_, c in pk) == ["removed"] * 3, pk'

# A gem upgrade, its files attributed to it.
check gem-a.tar gem-b.tar "a gem upgrade" '
assert pk == [("gem", "json", "usr/local/bundle", "2.6.1", "2.6.3",
               "upgraded")], pk
assert finding("usr/local/bundle/gems/json-2.6.3/lib/json/version.rb")["package"] == "gem:json"'

check gem-b.tar gem-modified.tar "a gem's file modified after install" '
assert pk == [], pk
f = finding("usr/local/bundle/gems/json-2.6.3/lib/json/version.rb")
assert f["package"] == "gem:json" and f["modified_after_install"], f'

# The installed tree and its lockfile disagree.
check app-b.tar app-lockdrift.tar "lockfile disagrees" '
assert any("packages: npm: app/package-lock.json and the installed tree "
    "disagree: node_modules/lodash locked at 4.17.20, installed 4.17.21 (B)"
    == n for n in notes), notes'

# inspect --packages lists every ecosystem, with where each package lives.
$RUN inspect --packages "$P/app-a.tar" | sed "s|$P/||" >"$T/inspect.txt"
golden "$T/inspect.txt" tests/golden/apppkg-inspect.txt

# Hostile trees: metadata that does not parse and a package.json over the
# bound for one file are notes, the diff goes on; names are escaped.
mk() {
	python3 - "$T/$1" <<'PY'
import os, sys
r = sys.argv[1]
def w(p, b):
    os.makedirs(os.path.dirname(os.path.join(r, p)), exist_ok=True)
    open(os.path.join(r, p), "wb").write(b)
sp = "usr/lib/python3/site-packages/"
w(sp + "bad-1.dist-info/METADATA", b"Metadata-Version: 2.1\n\nName: bad\n")
w(sp + "ok-1.dist-info/METADATA", b"Name: ok\nVersion: 1\n")
w("node_modules/broken/package.json", b'{"name": "broken", ')
w("node_modules/big/package.json", b'{"name":"big","version":"1.0.0","x":"' +
  b"a" * (9 << 20) + b'"}')
w("node_modules/evil/package.json",
  b'{"name":"\\u001b[31mevil\\u0007","version":"1.0.0\\u001b[0m"}')
PY
}
mk h1 && mk h2 && echo '// b' >"$T/h2/node_modules/evil/index.js"
sed -i 's/"ok-1"/"ok-2"/; s/Version: 1/Version: 2/' "$T/h2/usr/lib/python3/site-packages/ok-1.dist-info/METADATA"
python3 corpus/oci-pack.py "$T/h1" "$T/h1.tar" 2023-11-14T22:13:20Z
python3 corpus/oci-pack.py "$T/h2" "$T/h2.tar" 2023-11-14T22:13:20Z
status 1 "hostile package metadata: the diff goes on" diff "$T/h1.tar" "$T/h2.tar"
if grep -q "packages: pypi: usr/lib/python3/site-packages/bad-1.dist-info/METADATA: unreadable: no Name (A and B)" "$T/out" &&
   grep -q "packages: npm: node_modules/big/package.json: not read: over 8 MiB (A and B)" "$T/out" &&
   grep -q "packages: npm: node_modules/broken/package.json: not JSON: line 1: " "$T/out" &&
   grep -q "pypi  ok  1 -> 2" "$T/out"; then ok
else bad "hostile package metadata: notes"; cat "$T/out"; fi
# A lockfile over the 8 MiB bound of one file: named not read in the
# packages block and in JSON, not only among the notes.
python3 tests/hostile/gen_pkg.py "$T/g" >/dev/null || bad "gen_pkg.py"
$RUN diff "$T/g/npm-good.tar" "$T/g/npm-lock-over.tar" >"$T/out"
if grep -qxF "  npm  not read  app/package-lock.json: over 8 MiB  (B)" "$T/out" &&
   grep -qF "packages: npm: app/package-lock.json: not read: over 8 MiB (B)" "$T/out"
then ok; else bad "a lockfile over 8 MiB: packages block"; cat "$T/out"; fi
$RUN diff --format json "$T/g/npm-lock-over.tar" "$T/g/npm-lock-over-b.tar" >"$T/j"
if python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["packages_not_read"] == [{"ecosystem": "npm",
    "path": "app/package-lock.json", "reason": "over 8 MiB",
    "sides": ["A", "B"], "platform": None}], d["packages_not_read"]
' "$T/j"; then ok; else bad "a lockfile over 8 MiB: JSON"; fi
$RUN inspect --packages "$T/h1.tar" >"$T/hi" 2>&1
if ! LC_ALL=C grep -q "$(printf '\033')" "$T/hi" && grep -q 'npm  .*evil' "$T/hi"; then ok
else bad "a package's name reaches the terminal unescaped"; fi

finish
