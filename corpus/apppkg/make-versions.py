#!/usr/bin/env python3
"""Write versions-pypi.tsv, versions-npm.tsv and versions-gem.tsv.

usage: python3 corpus/apppkg/make-versions.py   (from the repository root)

pypi: the ordered VERSIONS list and the normalization pairs of Python's
packaging (tests/test_version.py, pypa/packaging), each pair's order given
by packaging.version itself (the copy pip vendors).  npm: semver 2.0's
precedence examples and the versions of corpus/apppkg's lockfiles, ordered
by npm's own semver module (node).  gem: Gem::Version's published examples
(rubygems, test/rubygems/test_gem_version.rb: test_spaceship, test_equals2,
test_initialize without its empty and newline rows, which a TSV cannot
hold, test_semver without its "+build" rows), transcribed, as no
Ruby is at hand.  Each file: a, b, result (-1, 0, 1).
"""
import json
import subprocess

from pip._vendor.packaging.version import Version

PEP440 = """1.0.dev0 1.0.dev456 1.0.dev456+local 1.0a0 1.0a0.post0.dev0 1.0a0.post0
1.0a1.dev1 1.0a1.dev1+local 1.0a1 1.0a1+local 1.0b0 1.0b1.dev456 1.0b2
1.0b2.post345.dev456 1.0b2.post345 1.0b2-346 1.0rc0 1.0rc1.dev1 1.0c1 1.0rc2
1.0 1.0.post0.dev0 1.0.post0 1.0.post456.dev34 1.0.post456 1.0.post456+local
1.0.1.dev1 1.0.1a1 1.0.1 1.0.1+local 1.0.1.post1 1.1.dev1 1.2+a 1.2+abc
1.2+abcdef 1.2+def 1.2+0 1.2+1 1.2+1.abc 1.2+1.1 1.2+1.1.0 1.2+2 1.2+123
1.2+123456 1.2.r32+123456 1.2.rev33+123456""".split()
PEP440 += ["1!" + v for v in PEP440]
NORMALIZED = [("1.0dev", "1.0.dev0"), ("1.0-dev1", "1.0.dev1"),
              ("1.0.DEV", "1.0.dev0"), ("1.0a", "1.0a0"), ("1.0-alpha1", "1.0a1"),
              ("1.0.BETA", "1.0b0"), ("1.0c", "1.0rc0"), ("1.0-RC1", "1.0rc1"),
              ("1.0post", "1.0.post0"), ("1.0r", "1.0.post0"), ("1.0rev", "1.0.post0"),
              ("1.0-5", "1.0.post5"), ("1.0-r5", "1.0.post5"), ("1.0-rev5", "1.0.post5"),
              ("1.0+AbC", "1.0+abc"), ("1.01", "1.1"), ("1.0a05", "1.0a5"),
              ("1.0c056", "1.0rc56"), ("1.0.post000", "1.0.post0"),
              ("1.1.dev09000", "1.1.dev9000"), ("00!1.2", "1.2"), ("0100!0.0", "100!0.0"),
              ("v1.0", "1.0"), ("1.0", "1.0.0"), ("1.0rc1", "1.0c1"),
              ("15.0.0", "15.0.2"), ("0.38.4", "0.38.4")]

SEMVER = """1.0.0-alpha 1.0.0-alpha.1 1.0.0-alpha.beta 1.0.0-beta 1.0.0-beta.2
1.0.0-beta.11 1.0.0-rc.1 1.0.0 2.0.0 2.1.0 2.1.1 1.9.0 1.10.0 1.11.0
4.17.20 4.17.21 2.6.9 2.0.0 2.1.3 1.0.0+build.1 1.0.0-rc.1+build.1
1.0.0-0 1.0.0-1 1.0.0-10 1.0.0-a1 1.0.0-a10 1.0.0-x.7.z.92 v1.2.3
1.2.3 0.0.0 10.0.0 9.99.99""".split()

GEM = [("1.0", "1.0.0", 0), ("1.0", "1.0.a", 1), ("1.8.2", "0.0.0", 1),
       ("1.8.2", "1.8.2.a", 1), ("1.8.2.b", "1.8.2.a", 1), ("1.8.2.a", "1.8.2", -1),
       ("1.8.2.a10", "1.8.2.a9", 1), ("1.2", "1.2", 0),
       ("1.2", "1.3", -1), ("1.2.b1", "1.2.b.1", 0), ("1.0", "1.0 ", 0),
       ("1.0", " 1.0 ", 0),
       ("1.0.0-alpha", "1.0.0-alpha.1", -1), ("1.0.0-alpha.1", "1.0.0-beta.2", -1),
       ("1.0.0-beta.2", "1.0.0-beta.11", -1), ("1.0.0-beta.11", "1.0.0-rc.1", -1),
       ("1.0.0-rc.1", "1.0.0", -1), ("2.6.1", "2.6.3", -1), ("2.2.22", "2.2.22", 0)]


def sign(x):
    return (x > 0) - (x < 0)


def write(path, rows):
    with open(path, "w") as f:
        f.write("a\tb\tresult\n")
        for a, b, r in rows:
            f.write(f"{a}\t{b}\t{r}\n")


def main():
    rows = []
    for i, a in enumerate(PEP440):
        for step in (0, 1, 2, 3, 5, 8, 13, 21, 34, 55):
            if i + step < len(PEP440):
                b = PEP440[i + step]
                va, vb = Version(a), Version(b)
                rows.append((a, b, (va > vb) - (va < vb)))
    for a, b in NORMALIZED:
        va, vb = Version(a), Version(b)
        rows.append((a, b, (va > vb) - (va < vb)))
    write("corpus/apppkg/versions-pypi.tsv", rows)

    js = ("const s=require(process.argv[1]);const v=JSON.parse(process.argv[2]);"
          "const o=[];for(const a of v)for(const b of v)o.push([a,b,s.compare(a,b)]);"
          "console.log(JSON.stringify(o))")
    root = subprocess.check_output(["npm", "root", "-g"], text=True).strip()
    out = subprocess.check_output(["node", "-e", js, root + "/npm/node_modules/semver",
                                   json.dumps(SEMVER)], text=True)
    write("corpus/apppkg/versions-npm.tsv",
          [(a, b, sign(r)) for a, b, r in json.loads(out) if a <= b])

    write("corpus/apppkg/versions-gem.tsv", GEM)


if __name__ == "__main__":
    main()
