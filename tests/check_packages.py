#!/usr/bin/env python3
"""Check the package view of `imgdrift diff --format json A B` against the
rows of corpus/packages/expected.tsv for that pair.

usage: check_packages.py EXPECTED.TSV A B REPORT.json

A and B are the names as expected.tsv has them.  The report's `packages`
must be exactly the package rows (ecosystem, name, arch, a, b, change,
files; `-` is null); the findings marked `modified_after_install` exactly
the modified rows, each with its package; the content and permission
findings with no package that are not package databases exactly the
unowned rows.  Prints what differs and exits 1, or exits 0.
"""
import json
import sys


def main():
    tsv, a, b, report = sys.argv[1:]
    rows = [l.rstrip("\n").split("\t") for l in open(tsv)][1:]
    rows = [r for r in rows if r[0] == a and r[1] == b]
    if not rows:
        sys.exit("no rows for %s %s in %s" % (a, b, tsv))
    d = json.load(open(report))

    def val(s):
        return None if s == "-" else s

    want_pk = {(r[2], r[3], r[4], val(r[5]), val(r[6]), r[7], int(r[8]))
               for r in rows if r[7] not in ("modified", "unowned")}
    got_pk = {(p["ecosystem"], p["name"], p["arch"], p["a"], p["b"],
               p["change"], p["files"]) for p in d.get("packages", [])}
    want_mod = {(r[9], r[2] + ":" + r[3]) for r in rows if r[7] == "modified"}
    got_mod = {(f["path"], f["package"]) for f in d["findings"]
               if f.get("modified_after_install")}
    want_un = {r[9] for r in rows if r[7] == "unowned"}
    got_un = {f["path"] for f in d["findings"]
              if f["class"] in ("content", "permission") and f.get("path")
              and f.get("package") is None and not f.get("package_database")}
    bad = False
    for what, want, got in (("packages", want_pk, got_pk),
                            ("modified after install", want_mod, got_mod),
                            ("unowned", want_un, got_un)):
        if want != got:
            bad = True
            print("%s %s: %s: missing %s, unexpected %s" % (
                a, b, what, sorted(want - got, key=str), sorted(got - want, key=str)))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
