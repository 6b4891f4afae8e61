#!/bin/sh
# CLI tests for `imgdrift summary`: reports made during the test from the
# pairs of corpus/real/expected.tsv become one table in text, Markdown and
# JSON; exit 1 when a report misses its level; bad input is exit 2; a
# hostile name inside a report is escaped.
# usage: sh tests/summary.sh ./imgdrift; prints "N passed, M failed" last.
NAME=summary; . tests/lib.sh "$@"
R=corpus/real

# One report per pair of expected.tsv, as a nightly matrix would write them.
i=0
tail -n +2 $R/expected.tsv | while IFS="$(printf '\t')" read -r a b verdict classes rest; do
	i=$((i + 1))
	$RUN diff --format json -o "$T/r$i.json" "$a" "$b" 2>/dev/null
	printf '%s\t%s\t%s\t%s\n' "$T/r$i.json" "$a vs $b" "$verdict" "$classes"
done >"$T/made"
n=$(wc -l <"$T/made")
[ "$n" -gt 3 ] && ok || bad "no reports made"
set -- $(cut -f1 "$T/made")

# Some pairs are different at the default level: exit 1; the same-digest
# ones alone: exit 0.
status 1 "some miss the level" summary "$@"
status 0 "all meet the level" summary $(awk -F'\t' '$3 == "same-digest" {print $1}' "$T/made")

# Text: a header, one line per report with its name and verdict, totals.
$RUN summary "$@" >"$T/x"
if [ "$(wc -l <"$T/x")" -eq $((n + 2)) ] &&
    grep -q "^$n reports: [0-9]* met the required level, [0-9]* did not$" "$T/x" &&
    python3 - "$T/x" "$T/made" <<'PY'
import sys
lines = open(sys.argv[1]).read().splitlines()[1:-1]
made = [l.rstrip("\n").split("\t") for l in open(sys.argv[2])]
for line, (path, name, verdict, classes) in zip(lines, made):
    assert line.startswith(name + "  "), (line, name)
    assert line.split()[len(name.split())] == verdict, (line, verdict)
    assert line.endswith("  " + path), (line, path)
PY
then ok; else bad "text table"; cat "$T/x"; fi

# JSON: every row as its report says (verdict, classes, meets); totals.
$RUN summary --format json --link-prefix https://ci.example/art/ "$@" >"$T/x"
if python3 - "$T/x" "$T/made" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["schema"] == "imgdrift.summary/1"
made = [l.rstrip("\n").split("\t") for l in open(sys.argv[2])]
assert len(d["reports"]) == len(made)
for row, (path, name, verdict, classes) in zip(d["reports"], made):
    rep = json.load(open(path))
    assert row["name"] == name, (row["name"], name)
    assert row["verdict"] == verdict == rep["verdict"]
    assert [c["class"] for c in row["classes"]] == rep["classes"]
    assert all(c["count"] == rep["counts"][c["class"]] for c in row["classes"])
    assert row["meets"] == rep["meets"]
    assert row["packages"]["count"] == len(rep["packages"])
    assert row["link"] == "https://ci.example/art/" + path.rsplit("/", 1)[1]
    causes = {}
    for f in rep["findings"]:
        if f["cause"]:
            k = f["cause"].split(" (")[0]
            causes[k] = causes.get(k, 0) + 1
    top = sorted(causes.items(), key=lambda x: (-x[1], x[0]))[:3]
    assert [(c["cause"], c["count"]) for c in row["causes"]] == top, (row["causes"], top)
t = d["totals"]
assert t["reports"] == len(made) and t["met"] + t["not_met"] == len(made)
assert t["met"] == sum(r["meets"] for r in d["reports"])
assert any(r["causes"] for r in d["reports"]), "no cause in any report"
PY
then ok; else bad "json rows"; fi

# Markdown: a table row per report with its link.
$RUN summary --format markdown --link-prefix https://ci.example/art/ "$@" >"$T/x"
if [ "$(grep -c '^| .* | \[report\](https://ci.example/art/r[0-9]*.json) |$' "$T/x")" -eq "$n" ] &&
    grep -q '^| image | verdict |' "$T/x"
then ok; else bad "markdown table"; cat "$T/x"; fi

# HTML: one self-contained page under diff's CSP (tests/check_html.py
# checks the policy against the style's hash), a row per report with its
# verdict, whether it met its level and a link to it.
$RUN summary --format html --link-prefix https://ci.example/art/ "$@" >"$T/x.html"
if python3 tests/check_html.py --summary "$T/x.html" >"$T/raw" && python3 - "$T/x.html" "$T/made" <<'PY'
import html.parser, sys
class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows, self.links, self.banner = [], [], None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "tr" and "data-verdict" in a:
            self.rows.append((a["data-verdict"], a["data-met"]))
        if tag == "a":
            self.links.append(a["href"])
        if a.get("id") == "verdict":
            self.banner = a
p = P()
p.feed(open(sys.argv[1]).read())
made = [l.rstrip("\n").split("\t") for l in open(sys.argv[2])]
assert [v for v, _ in p.rows] == [m[2] for m in made], p.rows
assert p.links == ["https://ci.example/art/" + m[0].rsplit("/", 1)[1] for m in made]
assert int(p.banner["data-reports"]) == len(made)
assert int(p.banner["data-met"]) == sum(m == "yes" for _, m in p.rows)
PY
then ok; else bad "html table"; cat "$T/raw"; fi
# The HTML CSP is diff's, byte for byte.
$RUN diff --format html $R/content-a.tar $R/content-b.tar | grep 'Content-Security-Policy' >"$T/csp.diff"
if grep 'Content-Security-Policy' "$T/x.html" | cmp -s - "$T/csp.diff"; then ok; else bad "summary's CSP is not diff's"; fi

# A hostile name: the report's input names are image strings.
python3 - "$1" "$T/hostile.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["inputs"]["a"]["name"] = "<img src=x onerror=alert(1)>|\x1b[31mred\n"
d["packages"] = [{"ecosystem": "dpkg", "name": "a|b<c>", "arch": "", "a": "1", "b": "2", "change": "upgraded", "files": 1}]
json.dump(d, open(sys.argv[2], "w"))
PY
$RUN summary "$T/hostile.json" >"$T/x"
if ! grep -q "$(printf '\033')" "$T/x" && grep -q '\\x1b\[31mred\\n vs' "$T/x" &&
    [ "$(wc -l <"$T/x")" -eq 3 ]
then ok; else bad "text: hostile name"; cat -v "$T/x"; fi
$RUN summary --format markdown "$T/hostile.json" >"$T/x"
if ! grep -q '<img' "$T/x" && ! grep -q "$(printf '\033')" "$T/x" &&
    grep -q '&lt;img' "$T/x" && [ "$(grep -c '^|' "$T/x")" -eq 3 ] &&
    [ "$(grep '^| ' "$T/x" | tail -1 | tr -cd '|' | wc -c)" -eq 9 ]
then ok; else bad "markdown: hostile name"; cat -v "$T/x"; fi
$RUN summary --format json "$T/hostile.json" >"$T/x"
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["reports"][0]["name"].startswith("<img src=x onerror=alert(1)>|\x1b[31mred\n vs ")' "$T/x" &&
    ! grep -q "$(printf '\033')" "$T/x"
then ok; else bad "json: hostile name"; fi

$RUN summary --format html "$T/hostile.json" >"$T/x.html"
if python3 tests/check_html.py --summary --text '<img src=x onerror=alert(1)>|\x1b[31mred\n vs' "$T/x.html" >"$T/raw" &&
    ! grep -q '<img' "$T/x.html" && ! grep -q "$(printf '\033')" "$T/x.html" &&
    grep -q 'a|b&lt;c&gt;' "$T/x.html"
then ok; else bad "html: hostile name"; cat "$T/raw"; fi
# A link to javascript: would be a script: the checker sees one.
sed 's|<a href="[^"]*"|<a href="javascript:alert(1)"|' "$T/x.html" >"$T/js.html"
if ! python3 tests/check_html.py --summary "$T/js.html" >/dev/null; then ok; else bad "check_html misses a javascript: link"; fi

# Bad input: one line naming the file, exit 2, nothing on stdout.
printf 'not json\n' >"$T/text.json"
head -c 200 "$1" >"$T/trunc.json"
printf '{"schema": "imgdrift.lint/1"}\n' >"$T/schema.json"
printf '{"schema": "imgdrift.diff/2", "verdict": "different"}\n' >"$T/keys.json"
printf '[1, 2]\n' >"$T/array.json"
trouble "not JSON" "text.json" summary "$1" "$T/text.json"
trouble "truncated" "trunc.json" summary "$T/trunc.json" "$1"
trouble "wrong schema" "schema.json.*imgdrift.diff/2" summary "$T/schema.json"
trouble "missing keys" "keys.json" summary "$T/keys.json"
trouble "an array" "array.json" summary "$T/array.json"
trouble "unreadable" "nosuch.json" summary "$T/nosuch.json"
trouble "a directory" "$T" summary "$T"
trouble "hostile file name" 'x\\x1b' summary "$T/x$(printf '\033')"
status 2 "no reports" summary
trouble "unknown format" "yaml" summary --format yaml "$1"
status 0 "help" summary --help
documented summary

finish
