#!/usr/bin/env python3
"""Write version-comparison vectors made by the ecosystems' own tools.

usage (from the repository root): python3 corpus/packages/make-versions.py

versions-dpkg.tsv  a, b, result (-1, 0, 1) from `dpkg --compare-versions`
versions-rpm.tsv   a, b, result from rpm's own comparison, rpm.vercmp() in
                   rpm's embedded Lua (`rpm --eval '%{lua: ...}'`), which
                   compares [epoch:]version[-release] as rpm does
The pairs: hand-picked edge cases (epochs, '~', '^', '+', letters against
digits, revisions, leading zeros, separators) and real versions from the
apt package lists of this machine (every package with more than one version
compared version against version, then a deterministic sample of all
versions, each against its neighbour in byte order and against one far
away).  The same lists give the same files; the lists move with
`apt-get update`, so the real-version rows are a snapshot (README.md says
which).
versions-apk.tsv   a, b, result from apk-tools' own test vectors
                   (corpus/apk/version.data, its ORIGIN beside it): its
                   lines "A < B", "A = B", "A > B"; apk-tools is not
                   packaged for Debian, so its vectors stand for the tool
"""
import os
import subprocess
import sys

OUT = "corpus/packages"

DPKG_EDGE = [
    ("1.0", "1.0"), ("1.0", "1.0-0"), ("1.0-1", "1.0-1.1"), ("1.0", "1.00"),
    ("1.0", "1.0.0"), ("1.2.3", "1.2.10"), ("1.10", "1.9"), ("0.9", "0.10"),
    ("1.0~rc1", "1.0"), ("1.0~rc1", "1.0~rc2"), ("1.0~~", "1.0~"),
    ("1.0~~a", "1.0~~"), ("1.0~", "1.0"), ("1.0~", "1.0-1"),
    ("1.0-1~bpo12+1", "1.0-1"), ("1.0-1+b1", "1.0-1"), ("1.0+dfsg", "1.0"),
    ("1.0+dfsg-1", "1.0-1"), ("1.0a", "1.0"), ("1.0a", "1.0b"),
    ("1.0a", "1.0.1"), ("1.0a", "1.0+"), ("1.0a", "1.0~"), ("1.0-a", "1.0-1"),
    ("1.0-A", "1.0-a"), ("1.0.", "1.0"), ("1.0.", "1.0+"),
    ("1:1.0", "2.0"), ("0:1.0", "1.0"), ("1:0.1", "0:9.9"), ("2:1.0", "10:1.0"),
    ("1:9.2p1-2+deb12u9", "1:9.2p1-2+deb12u10"),
    ("1:9.2p1-2+deb12u7", "1:9.2p1-2+deb12u9"),
    ("3.5.28-2.1~deb12u1", "3.5.28-2.2~deb12u1"),
    ("0.9.1-6", "0.9.1-6+deb12u1"), ("2.4.68-1~deb12u1", "2.4.71-1~deb12u1"),
    ("8:6.9.11.60+dfsg-1.6+deb12u11", "8:6.9.11.60+dfsg-1.6+deb12u15"),
    ("3.0.20-1~deb12u2", "3.0.22-1~deb12u2"), ("2026b-0+deb12u1", "2026f-0+deb12u1"),
    ("2024a-0+deb12u1", "2025b-0+deb12u1"), ("1.2-3-4", "1.2-3-5"),
    ("1.2-3-4", "1.2-3"), ("1.0-1ubuntu1", "1.0-1"), ("1.0-1ubuntu1", "1.0-1+deb1"),
    ("7.0.0-2", "7.0-2"), ("00.1", "0.1"), ("1.001", "1.1"), ("1.0-0", "1.0-00"),
    ("a", "b"), ("a1", "a01"), ("1.0a~", "1.0a"), ("1.0+~", "1.0+"),
    ("4.96-15+deb12u10", "4.96-15+deb12u11"), ("10.5.3.5-1", "10.5.3.5-1+deb12u1"),
    ("1:7.2+dfsg-7+deb12u15", "1:7.2+dfsg-7+deb12u18+b3"),
    ("2:4.17.12+dfsg-0+deb12u2", "2:2.6.2+samba4.17.12+dfsg-0+deb12u2"),
]

RPM_EDGE = [
    ("1.0", "1.0"), ("1.0", "2.0"), ("2.0", "1.0"), ("2.0.1", "2.0.1"),
    ("2.0", "2.0.1"), ("2.0.1a", "2.0.1a"), ("2.0.1a", "2.0.1"),
    ("5.5p1", "5.5p1"), ("5.5p1", "5.5p2"), ("5.5p10", "5.5p10"),
    ("5.5p1", "5.5p10"), ("10xyz", "10.1xyz"), ("xyz10", "xyz10"),
    ("xyz10", "xyz10.1"), ("xyz.4", "xyz.4"), ("xyz.4", "8"), ("xyz.4", "2"),
    ("5.5p2", "5.6p1"), ("5.6p1", "6.5p1"), ("6.0.rc1", "6.0"),
    ("10b2", "10a1"), ("10a2", "10b2"), ("1.0aa", "1.0aa"), ("1.0a", "1.0aa"),
    ("10.0001", "10.0001"), ("10.0001", "10.1"), ("10.0001", "10.0039"),
    ("4.999.9", "5.0"), ("20101121", "20101121"), ("20101121", "20101122"),
    ("2_0", "2_0"), ("2.0", "2_0"), ("a", "a"), ("a+", "a+"), ("a+", "a_"),
    ("+a", "+a"), ("+a", "_a"), ("+_", "+_"), ("_+", "+_"), ("_+", "_"),
    ("+", "_"), ("1.0~rc1", "1.0~rc1"), ("1.0~rc1", "1.0"), ("1.0~rc1", "1.0~rc2"),
    ("1.0~rc1~git123", "1.0~rc1"), ("1.0~rc1~git123", "1.0~rc1~git123"),
    ("1.0^", "1.0^"), ("1.0^", "1.0"), ("1.0^git1", "1.0"), ("1.0^git1", "1.0^git2"),
    ("1.0^git1", "1.01"), ("1.0^20160101", "1.0.1"), ("1.0^20160101^git1", "1.0^20160101"),
    ("1.0~rc1^git1", "1.0~rc1"), ("1.0^git1~pre", "1.0^git1"),
    ("1.0-1", "1.0-2"), ("1.0-10", "1.0-9"), ("1.0-1", "1.0"), ("1.0-1.fc39", "1.0-1.fc40"),
    ("1.0-1.el9", "1.0-1.el9_2"), ("1.0-1.el9_2", "1.0-1.el9_10"),
    ("1:1.0", "2.0"), ("0:1.0", "1.0"), ("1:1.0-1", "1:1.0-2"), ("2:0.1", "1:9.9"),
    ("1.0.0", "1.0"), ("1.00", "1.0"), ("1.0a", "1.0.1"), ("1a", "1.a"),
    ("3.0.20", "3.0.22"), ("9.2p1", "9.2p1"), ("9.2p1", "9.3p1"),
]


def apt_versions():
    """{package: [versions]} from apt's Packages lists, in list order."""
    lists = subprocess.run(
        ["apt-get", "indextargets", "--format", "$(FILENAME)", "Created-By: Packages"],
        check=True, capture_output=True, text=True).stdout.split()
    if not lists:
        sys.exit("make-versions: apt has no Packages lists (apt-get update)")
    text = subprocess.run(["/usr/lib/apt/apt-helper", "cat-file"] + sorted(lists),
                          check=True, capture_output=True, text=True).stdout
    vers, pkg = {}, None
    for line in text.splitlines():
        if line.startswith("Package: "):
            pkg = line[9:].strip()
        elif line.startswith("Version: ") and pkg:
            v = line[9:].strip()
            if v not in vers.setdefault(pkg, []):
                vers[pkg].append(v)
    return vers


def sample_pairs(versions, n):
    """n pairs from a byte-sorted list: neighbours and far-apart ones."""
    allv = sorted(set(versions), key=lambda v: v.encode())
    step = max(1, len(allv) // n)
    picked = allv[::step]
    pairs = list(zip(picked, picked[1:]))
    half = len(picked) // 2
    pairs += list(zip(picked[:half], picked[half:]))
    return pairs


def dpkg_valid(v):
    return subprocess.run(["dpkg", "--validate-version", v],
                          capture_output=True).returncode == 0


def dpkg_cmp(a, b):
    for op, r in (("lt", -1), ("eq", 0), ("gt", 1)):
        if subprocess.run(["dpkg", "--compare-versions", a, op, b]).returncode == 0:
            return r
    sys.exit("make-versions: dpkg --compare-versions %s %s: no answer" % (a, b))


def rpm_cmp_all(pairs):
    def lua(s):
        assert '"' not in s and "\\" not in s and "}" not in s
        return '"' + s + '"'
    out = []
    for i in range(0, len(pairs), 200):
        chunk = pairs[i:i + 200]
        body = "".join("print(rpm.vercmp(%s, %s) .. '\\n') " % (lua(a), lua(b))
                       for a, b in chunk)
        res = subprocess.run(["rpm", "--eval", "%{lua: " + body + "}"],
                             check=True, capture_output=True, text=True).stdout.split()
        assert len(res) == len(chunk), (len(res), len(chunk))
        out += [int(r) for r in res]
    return out


def upstream(v):
    """The upstream part of a Debian version: no epoch, no revision."""
    v = v.split(":", 1)[1] if ":" in v else v
    return v.rsplit("-", 1)[0] if "-" in v else v


def write(name, rows):
    with open(os.path.join(OUT, name), "w") as f:
        f.write("a\tb\tresult\n")
        for a, b, r in rows:
            f.write("%s\t%s\t%d\n" % (a, b, r))
    print("  %s/%s: %d pairs" % (OUT, name, len(rows)))


def dedup(pairs):
    seen, out = set(), []
    for p in pairs:
        if p not in seen and p[0] and p[1]:
            seen.add(p)
            out.append(p)
    return out


def apk_vectors():
    rows = []
    for line in open("corpus/apk/version.data"):
        line = line.split("#", 1)[0].split()
        if len(line) == 3 and line[1] in ("<", "=", ">"):
            rows.append((line[0], line[2], {"<": -1, "=": 0, ">": 1}[line[1]]))
    return rows


def main():
    if not os.path.isfile(os.path.join(OUT, "make-versions.py")):
        sys.exit("make-versions: run from the repository root")
    vers = apt_versions()
    multi = []
    for pkg in sorted(vers):
        vs = vers[pkg]
        for i in range(len(vs)):
            for j in range(i + 1, len(vs)):
                multi.append((vs[i], vs[j]))
    everything = [v for vs in vers.values() for v in vs]

    dpkg_pairs = dedup(DPKG_EDGE + [(b, a) for a, b in DPKG_EDGE[:12]] +
                       multi + sample_pairs(everything, 600))
    # only versions dpkg accepts (dpkg --validate-version)
    valid = {v: dpkg_valid(v) for p in dpkg_pairs for v in p}
    dropped = sorted(v for v, ok in valid.items() if not ok)
    if dropped:
        print("  not valid for dpkg, left out: " + " ".join(dropped))
    dpkg_pairs = [(a, b) for a, b in dpkg_pairs if valid[a] and valid[b]]
    write("versions-dpkg.tsv", [(a, b, dpkg_cmp(a, b)) for a, b in dpkg_pairs])

    ups = [upstream(v) for v in everything]
    ups = [u for u in ups if all(c not in u for c in '"\\}')]
    rpm_pairs = dedup(RPM_EDGE + [(b, a) for a, b in RPM_EDGE[:20]] +
                      sample_pairs(ups, 400))
    write("versions-rpm.tsv", list(zip([p[0] for p in rpm_pairs],
                                       [p[1] for p in rpm_pairs],
                                       rpm_cmp_all(rpm_pairs))))
    write("versions-apk.tsv", apk_vectors())


if __name__ == "__main__":
    main()
