#!/bin/sh
# CLI tests for several reports from one read (--report FORMAT=FILE) and
# --color: each report's bytes are those --format gives alone, bad input is
# exit 2 with no report left behind, colour is forced either way.
# usage: sh tests/reports.sh ./imgdrift; prints "N passed, M failed" last.
NAME=reports; . tests/lib.sh "$@"
R=corpus/real
C=corpus/causes
esc=$(printf '\033')

# One run, three reports: each the bytes of a run with --format alone, and
# the exit status that run has.  JSON keeps every finding, the others
# --max-examples (the default 5), as they do alone.
for pair in "$R/content-a.tar $R/content-b.tar" \
    "$R/timestamp-a.tar $R/timestamp-b.tar" "$C/causes-a.tar $C/causes-b.tar"; do
	set -- $pair
	rm -f "$T"/r.* "$T"/f.*
	$RUN diff --report json="$T/r.json" --report markdown="$T/r.md" \
	    --report junit="$T/r.xml" "$1" "$2" >"$T/out" 2>"$T/err"
	rc=$?
	for f in json markdown junit; do
		$RUN diff --format $f "$1" "$2" >"$T/f.$f" 2>/dev/null
		want=$?
		case $f in json) got=$T/r.json ;; markdown) got=$T/r.md ;; junit) got=$T/r.xml ;; esac
		if cmp -s "$got" "$T/f.$f" && [ "$rc" -eq "$want" ]; then ok
		else bad "--report $f on $1: not the bytes (or exit $rc, want $want) of --format $f"; fi
	done
	# Only --report given: nothing on standard output.
	if [ ! -s "$T/out" ] && [ ! -s "$T/err" ]; then ok; else bad "--report alone printed something"; fi
done

# Many findings: JSON all of them, text its --max-examples, from one run.
$RUN diff --report json="$T/m.json" --format text $R/timestamp-a.tar $R/timestamp-b.tar >"$T/m.txt"
$RUN diff --format text $R/timestamp-a.tar $R/timestamp-b.tar >"$T/m2.txt"
$RUN diff --format json $R/timestamp-a.tar $R/timestamp-b.tar >"$T/m2.json"
if cmp -s "$T/m.txt" "$T/m2.txt" && cmp -s "$T/m.json" "$T/m2.json"; then ok
else bad "--format text next to --report json"; fi
# An explicit --max-examples holds for every report.
$RUN diff --max-examples 1 --report json="$T/m.json" -o "$T/m.txt" $R/timestamp-a.tar $R/timestamp-b.tar
$RUN diff --max-examples 1 --format json $R/timestamp-a.tar $R/timestamp-b.tar >"$T/m2.json"
$RUN diff --max-examples 1 $R/timestamp-a.tar $R/timestamp-b.tar >"$T/m2.txt"
if cmp -s "$T/m.txt" "$T/m2.txt" && cmp -s "$T/m.json" "$T/m2.json"; then ok
else bad "--max-examples with --report"; fi
# '-' is standard output; the alias md works as in --format.
$RUN diff --report md=- $R/content-a.tar $R/content-b.tar >"$T/x"
$RUN diff --format markdown $R/content-a.tar $R/content-b.tar >"$T/y"
if cmp -s "$T/x" "$T/y"; then ok; else bad "--report md=-"; fi

# Bad arguments: one line, exit 2, nothing written.
rm -f "$T"/r.*
# The list of known formats comes from the renderer table, as --help's.
known=$($RUN diff --help | sed -n 's/.*--format \([a-z|]*\).*/\1/p' | head -1 | sed 's/|/, /g')
trouble "unknown format" "unknown format 'yaml' ($known)" \
    diff --report yaml="$T/r.y" $R/content-a.tar $R/content-b.tar
trouble "missing =FILE" "--report 'json' is not FORMAT=FILE" \
    diff --report json $R/content-a.tar $R/content-b.tar
trouble "empty FILE" "--report 'json=' is not FORMAT=FILE" \
    diff --report json= $R/content-a.tar $R/content-b.tar
trouble "'-' twice" "standard output ('-') can take one report only" \
    diff --report json=- --report junit=- $R/content-a.tar $R/content-b.tar
trouble "'-' in -o and --report" "standard output" \
    diff -o - --report json=- $R/content-a.tar $R/content-b.tar
trouble "--format to stdout and --report -" "standard output" \
    diff --format text --report json=- $R/content-a.tar $R/content-b.tar
trouble "bad --color" "--color takes 'auto', 'always' or 'never'" \
    diff --color=sometimes $R/content-a.tar $R/content-b.tar
ls "$T"/r.* >/dev/null 2>&1 && bad "a bad argument left a report" || ok

# A report that cannot be written: exit 2, the others not left behind (nor
# their temporaries), even when they come first.
mkdir -p "$T/w"
trouble "missing directory" "nodir/r.json" \
    diff --report markdown="$T/w/r.md" --report json="$T/w/nodir/r.json" \
    $R/content-a.tar $R/content-b.tar
touch "$T/w/file"
trouble "a file as directory" "file/r.json" \
    diff --report markdown="$T/w/r.md" --report json="$T/w/file/r.json" \
    $R/content-a.tar $R/content-b.tar
mkdir -p "$T/ro"; chmod 555 "$T/ro"
if [ -w "$T/ro" ]; then ok	# root writes anyway: the cases above stand for it
else
	trouble "unwritable directory" "ro/r.json" \
	    diff --report markdown="$T/w/r.md" --report json="$T/ro/r.json" \
	    $R/content-a.tar $R/content-b.tar
fi
chmod 755 "$T/ro"
if [ -z "$(ls -A "$T/ro")" ] && [ "$(ls -A "$T/w")" = file ]; then ok
else bad "partial reports left: $(ls -A "$T/w" "$T/ro" | tr '\n' ' ')"; fi
# An input that cannot be read: exit 2, no report, an old one untouched.
echo old >"$T/w/r.md"
trouble "missing input" "nonexistent.tar" \
    diff --report markdown="$T/w/r.md" --report json="$T/w/r.json" \
    $R/content-a.tar "$T/nonexistent.tar"
if [ "$(cat "$T/w/r.md")" = old ] && [ "$(ls -A "$T/w")" = "$(printf 'file\nr.md')" ]; then ok
else bad "a failed run touched the reports: $(ls -A "$T/w" | tr '\n' ' ')"; fi

# inspect, lint and record -o: a write that fails half-way (a file size
# limit of 1 KiB, the signal ignored: write() fails with EFBIG) is exit 2
# naming the file, and leaves the old file as it was, or none, and no
# temporary beside it.
printf 'FROM debian\nRUN apt-get update && apt-get install -y curl\nRUN pip install flask\n' \
    >"$T/Dockerfile"
limited() {
	(trap '' XFSZ; ulimit -f 1; $RUN "$@") >"$T/out" 2>"$T/err"
}
for cmd in inspect lint record; do
	case $cmd in
	inspect) set -- inspect --format json -o "$T/o/out" $R/content-a.tar ;;
	lint) set -- lint -o "$T/o/out" "$T/Dockerfile" ;;
	record) set -- record -o "$T/o/out" $R/content-a.tar ;;
	esac
	rm -rf "$T/o"; mkdir -p "$T/o"
	limited "$@"
	if [ $? -eq 2 ] && grep -q "out" "$T/err" && [ -z "$(ls -A "$T/o")" ]; then ok
	else bad "$cmd -o: a failed write left $(ls -A "$T/o" | tr '\n' ' ')"; cat "$T/err"; fi
	echo old >"$T/o/out"
	limited "$@"
	if [ $? -eq 2 ] && [ "$(cat "$T/o/out")" = old ] && [ "$(ls -A "$T/o")" = out ]; then ok
	else bad "$cmd -o: a failed write touched the old file: $(ls -A "$T/o" | tr '\n' ' ')"; fi
	# without the limit the file is replaced whole, its mode as fopen's
	if $RUN "$@" >/dev/null 2>"$T/err" || [ $? -eq 1 ]; then
		if [ "$(cat "$T/o/out")" != old ] && [ "$(ls -A "$T/o")" = out ] &&
		    [ "$(stat -c %a "$T/o/out")" = "$(printf "%o" $((0666 & ~$(umask))))" ]
		then ok; else bad "$cmd -o: not replaced whole"; ls -l "$T/o"; fi
	else bad "$cmd -o: exit $?"; cat "$T/err"; fi
done
# record says which file and why, to a file or to standard output.
rm -rf "$T/o"; mkdir -p "$T/o"
limited record -o "$T/o/out" $R/content-a.tar
[ "$(cat "$T/err")" = "imgdrift: $T/o/out: cannot write the fingerprint: File too large" ] && ok ||
    { bad "record -o FILE: a failed write not named with why"; cat "$T/err"; }
if [ -w /dev/full ]; then
	$RUN record -o - $R/content-a.tar >/dev/full 2>"$T/err"
	[ $? -eq 2 ] && [ "$(cat "$T/err")" = "imgdrift: cannot write the fingerprint: No space left on device" ] && ok ||
	    { bad "record -o - to a full device: not named with why"; cat "$T/err"; }
	$RUN record -o /dev/full $R/content-a.tar 2>"$T/err"
	[ $? -eq 2 ] && [ "$(cat "$T/err")" = "imgdrift: /dev/full: cannot write the fingerprint: No space left on device" ] && ok ||
	    { bad "record -o /dev/full: not named with why"; cat "$T/err"; }
fi
# A report replaced keeps the mode fopen would give it.
$RUN diff --report json="$T/w/r.md" $R/content-a.tar $R/content-b.tar
if python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/w/r.md" &&
    [ "$(stat -c %a "$T/w/r.md")" = "$(printf '%o' $((0666 & ~$(umask))))" ]
then ok; else bad "replaced report: $(stat -c %a "$T/w/r.md")"; fi
# Not a regular file: written in place, never replaced.
$RUN diff --report json=/dev/null $R/content-a.tar $R/content-b.tar
if [ -c /dev/null ]; then ok; else bad "/dev/null replaced"; fi

# --color: always and never win over the terminal test, for text only.
for pair in "$R/content-a.tar $R/content-b.tar" "$R/timestamp-a.tar $R/timestamp-b.tar"; do
	set -- $pair
	$RUN diff --color=always "$1" "$2" >"$T/c"
	if grep -q "$esc\[" "$T/c"; then ok; else bad "--color=always on $1: no colour"; fi
	# Colour aside, the same text.
	sed "s/$esc\[[0-9;]*m//g" "$T/c" >"$T/c2"
	$RUN diff "$1" "$2" >"$T/p"
	if cmp -s "$T/c2" "$T/p"; then ok; else bad "--color=always on $1 changes the text"; fi
	$RUN diff --color always --report json="$T/c.json" -o "$T/c.txt" "$1" "$2"
	if grep -q "$esc" "$T/c.txt" && ! grep -q "$esc" "$T/c.json"; then ok
	else bad "--color=always: text coloured, json not"; fi
	NO_COLOR=1 $RUN diff --color=always "$1" "$2" >"$T/c"
	if grep -q "$esc\[" "$T/c"; then ok; else bad "--color=always with NO_COLOR"; fi
	if command -v script >/dev/null 2>&1; then
		script -qec "$BIN diff --color=never --no-progress $1 $2" /dev/null >"$T/tty" 2>&1
		script -qec "$BIN diff --color=auto $1 $2" /dev/null >"$T/auto" 2>&1
		if ! grep -q "$esc" "$T/tty" && grep -q "$esc\[" "$T/auto"; then ok
		else bad "--color=never / auto on a terminal"; fi
	fi
done
$RUN diff --color=auto $R/content-a.tar $R/content-b.tar >"$T/c"
if ! grep -q "$esc" "$T/c"; then ok; else bad "--color=auto in a pipe"; fi

# The HTML banner words the verdict as the text report's verdict line does
# (one helper writes both): with --ignore, with packages that moved, with
# --volatile, for a bare layer and plainly.
for args in "$R/content-a.tar $R/content-b.tar" "--ignore permission $R/perm-mode-a.tar $R/perm-mode-b.tar" \
    "$R/timestamp-a.tar $R/timestamp-b.tar" "--volatile ignore $R/rebuild-a.tar $R/rebuild-b.tar" \
    "corpus/packages/apk-ref.tar corpus/packages/apk-upgrade.tar"; do
	set -- $args
	eval "last=\${$#}"
	[ -f "$last" ] || continue
	$RUN diff -q --color never "$@" | head -1 >"$T/v.txt"
	$RUN diff --format html "$@" >"$T/v.html"
	if python3 - "$T/v.txt" "$T/v.html" <<'PY'
import html, re, sys
line = open(sys.argv[1]).read().rstrip("\n")
page = open(sys.argv[2]).read()
m = re.search(r'<h1>([^<]*)</h1>\n<p>([^<]*)</p>', page)
name, words = html.unescape(m.group(1)), html.unescape(m.group(2))
sep = ", " if words.startswith("ignoring ") else ": "
assert line == name + sep + words, (line, name + sep + words)
PY
	then ok; else bad "HTML banner and text verdict line differ for $*"; fi
done

# --help names both options (the man page documents what --help names).
$RUN diff --help >"$T/h"
if grep -q -- '--report FORMAT=FILE' "$T/h" && grep -q -- '--color auto|always|never' "$T/h"
then ok; else bad "diff --help lacks --report or --color"; fi

finish
