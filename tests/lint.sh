#!/bin/sh
# Golden tests of imgdrift lint: each fixture's output in every format and
# the exit status.  usage: sh tests/lint.sh ./imgdrift
# UPDATE=1 rewrites the golden files and fails (read the diff, run again).
# VALGRIND may name a wrapper command (make valgrind).
cd "$(dirname "$0")/.." || exit 2
NAME=lint; . tests/lib.sh "$@"
VER=$($BIN --version | cut -d' ' -f2)

# same GOT GOLDEN WHAT: GOT must equal GOLDEN.  With UPDATE=1 GOLDEN is
# rewritten instead, and the run fails so that blessing is never green.
same() {
	if [ -n "${UPDATE:-}" ]; then
		cp "$1" "$2"; bad "UPDATE=1 wrote $2 (read the diff, run again)"
	elif ! cmp -s "$1" "$2"; then
		bad "$3: output differs from $2"; diff "$2" "$1" | head -10
	else ok; fi
}

# sarif_split FILE: the rule table of the SARIF report FILE goes to
# $T/rules as a JSON array; the report, with the table replaced by the name
# of its one golden, to standard output.  Every report holds the same
# table, so the goldens hold it once.
SARIF_RULES=tests/lint/sarif-rules.json
sarif_split() {
	awk -v rules="$T/rules" -v golden="$SARIF_RULES" '
	!done && /^          "rules": \[$/ {
		print "          \"rules\": \"" golden "\""
		print "[" >rules; inr = 1; next
	}
	inr && /^          \]$/ { print "]" >rules; inr = 0; done = 1; next }
	inr { print substr($0, 11) >rules; next }
	{ print }' "$1"
}

# golden STATUS GOLDEN ARGS...: stdout must equal GOLDEN (the version is
# written VERSION there; a .sarif golden holds the rule table once, in
# $SARIF_RULES), stderr must be empty, the status must be STATUS.
golden() {
	want=$1; gold=$2; shift 2
	$RUN lint "$@" >"$T/out" 2>"$T/err"
	got=$?
	sed "s/\"$VER\"/\"VERSION\"/" "$T/out" >"$T/norm"
	case "$gold" in *.sarif)
		rm -f "$T/rules"
		sarif_split "$T/norm" >"$T/rest" && mv "$T/rest" "$T/norm"
		if [ -s "$T/rules" ]; then same "$T/rules" "$SARIF_RULES" "lint $* (rules)"
		else bad "lint $*: no rule table"; fi
	esac
	if [ "$got" -ne "$want" ]; then
		bad "lint $*: exit $got, want $want"; sed 's/^/    /' "$T/err" | head -5
	elif [ -s "$T/err" ]; then
		bad "lint $*: stderr: $(head -1 "$T/err")"
	else same "$T/norm" "$gold" "lint $*"; fi
}

# trouble NEEDLE ARGS...: exit 2, nothing on stdout, one line on stderr
# that contains NEEDLE.
trouble() {
	needle=$1; shift
	$RUN lint "$@" >"$T/out" 2>"$T/err"
	got=$?
	if [ "$got" -ne 2 ]; then bad "lint $*: exit $got, want 2"
	elif [ -s "$T/out" ]; then bad "lint $*: printed a report on trouble"
	elif [ "$(wc -l <"$T/err")" -ne 1 ]; then bad "lint $*: stderr is not one line"; cat "$T/err"
	elif ! grep -qF -- "$needle" "$T/err"; then bad "lint $*: stderr lacks '$needle'"; cat "$T/err"
	else ok; fi
}

# status STATUS ARGS...: only the exit status.
status() {
	want=$1; shift
	$RUN lint "$@" >"$T/out" 2>"$T/err"
	got=$?
	if [ "$got" -eq "$want" ]; then ok; else bad "lint $*: exit $got, want $want"; fi
}

# --- one fixture per rule: what fires and what stays quiet ---------------
for f in tests/lint/rules/*.Dockerfile tests/lint/parse/escape-backtick.Dockerfile \
    tests/lint/parse/mixed-case.Dockerfile; do
	golden 1 "${f%.Dockerfile}.txt" --fail-on note "$f"
	rule=$(basename "$f" .Dockerfile)
	case "$f" in */rules/*)
		# every line of the golden names the fixture's own rule (or a
		# base rule that the same FROM line fires with it)
		if grep -v '^    fix: ' "${f%.Dockerfile}.txt" | grep -qv "\[$rule\]$\|\[base-"; then
			bad "$f fires a rule other than $rule"
		elif ! grep -q "\[$rule\]$" "${f%.Dockerfile}.txt"; then
			bad "$f does not fire $rule"
		else ok; fi
	esac
done

# --- real-world Dockerfiles in all three formats --------------------------
for f in tests/lint/real/*.Dockerfile; do
	golden 1 "${f%.Dockerfile}.txt" "$f"
	golden 1 "${f%.Dockerfile}.json" --format json "$f"
	golden 1 "${f%.Dockerfile}.sarif" --format sarif "$f"
done
# several files in one run, and the formats parse as what they claim
golden 1 tests/lint/real/all.json --format json tests/lint/real/*.Dockerfile
if command -v python3 >/dev/null 2>&1; then
	$RUN lint --format sarif tests/lint/real/*.Dockerfile >"$T/s" 2>/dev/null
	if python3 - "$T/s" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["version"] == "2.1.0"
run = d["runs"][0]
rules = run["tool"]["driver"]["rules"]
# every rule documented in docs/lint.md's table, in its order, and no other
doc = [l.split("`")[1] for l in open("docs/lint.md")
       if l.startswith("| `") and l.count("|") == 5]
assert [r["id"] for r in rules] == doc, (len(rules), len(doc))
for r in run["results"]:
    assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
    assert r["level"] in ("error", "warning", "note")
    reg = r["locations"][0]["physicalLocation"]["region"]
    assert reg["startLine"] >= 1 and reg["startColumn"] >= 1
PY
	then ok; else bad "sarif does not hold together"; fi
	$RUN lint --format json tests/lint/real/*.Dockerfile >"$T/j" 2>/dev/null
	if python3 - "$T/j" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["schema"] == "imgdrift.lint/1"
s = d["summary"]
assert s["error"] + s["warning"] + s["note"] == len(d["findings"])
for f in d["findings"]:
    assert set(f) == {"file", "line", "column", "rule", "severity", "message", "fix"}
    assert f["file"] in d["files"]
PY
	then ok; else bad "json does not hold together"; fi
fi

# --- exit status and --fail-on --------------------------------------------
golden 0 tests/lint/clean.txt tests/lint/clean.Dockerfile
golden 0 tests/lint/clean.txt --fail-on note --format text tests/lint/clean.Dockerfile
status 0 tests/lint/rules/apk-unpinned.Dockerfile		# warnings only
status 1 --fail-on warning tests/lint/rules/apk-unpinned.Dockerfile
status 0 --fail-on warning tests/lint/rules/base-digest-unlabelled.Dockerfile
status 1 --fail-on note tests/lint/rules/base-digest-unlabelled.Dockerfile
status 1 tests/lint/rules/pip-unpinned.Dockerfile		# errors
status 0 --help

# -o writes what standard output would have shown
$RUN lint --format json -o "$T/o.json" tests/lint/real/go-service.Dockerfile >"$T/out" 2>&1
if [ -s "$T/out" ]; then bad "lint -o printed to stdout"
elif sed "s/\"$VER\"/\"VERSION\"/" "$T/o.json" | cmp -s - tests/lint/real/go-service.json; then ok
else bad "lint -o FILE differs from stdout"; fi

# --- trouble: one line, exit 2 ---------------------------------------------
trouble "imgdrift: lint: cannot open 'tests/lint/no-such-file': " tests/lint/no-such-file
trouble "cannot open 'tests/lint/no-such-file'" tests/lint/clean.Dockerfile tests/lint/no-such-file
trouble "unknown-instruction.Dockerfile: line 3: unknown instruction 'INSTAL'" \
    tests/lint/parse/unknown-instruction.Dockerfile
trouble "line 2: heredoc <<EOT is not terminated" tests/lint/parse/unterminated-heredoc.Dockerfile
trouble "unknown format 'xml'" --format xml tests/lint/clean.Dockerfile
trouble "unknown level 'fatal'" --fail-on fatal tests/lint/clean.Dockerfile
status 2
status 2 --bogus tests/lint/clean.Dockerfile

# --- hostile content stays inert in every format ---------------------------
printf 'FROM --platform=linux/amd64 a:1@sha256:%064d\nRUN apk add "\033]0;pwned\007\033[2J" "\342\200\256x"\n' 0 >"$T/hostile.Dockerfile"
for fmt in text json sarif; do
	$RUN lint --format $fmt "$T/hostile.Dockerfile" >"$T/h" 2>&1
	if LC_ALL=C grep -q "$(printf '\033')\|$(printf '\007')\|$(printf '\342\200\256')" "$T/h"; then
		bad "lint --format $fmt let control bytes through"
	elif ! grep -q 'x1b\]0;pwned' "$T/h"; then bad "lint --format $fmt lost the hostile name"
	else ok; fi
done

# --- hostile Dockerfiles (tests/hostile/gen_lint.py) -----------------------
# Each case runs in every format under a CPU-time limit (the large ones take
# a fraction of a second when linear, minutes when quadratic; nothing is
# timed), a memory limit and a timeout: it must exit as it should, say what it should, and
# no byte of /etc/passwd and no raw byte order mark may reach the output.
python3 tests/hostile/gen_lint.py "$T/hostile" || bad "gen_lint.py failed"
passwd1=$(head -1 /etc/passwd)
cpu=10		# seconds of CPU per run
mem=1048576	# KiB of address space per run
# valgrind runs the large cases some 30 times slower; it and the sanitizers
# reserve address space far beyond what is used
[ -n "${VALGRIND:-}" ] && cpu=300
if [ -n "${VALGRIND:-}" ] || grep -q __asan_init "$BIN" 2>/dev/null; then
	mem=unlimited
fi
bom=$(printf '\357\273\277')
# hostile CASE STATUS NEEDLE [ARGS...]: lint CASE/Dockerfile in each format
# (an empty NEEDLE: nothing in particular).
hostile() {
	c=$1; want=$2; needle=$3; shift 3
	for fmt in text json sarif; do
		(ulimit -t $cpu && ulimit -v $mem && exec timeout $((cpu * 3)) $RUN lint --format $fmt "$@" \
		    "$T/hostile/$c/Dockerfile") >"$T/h" 2>&1
		got=$?
		if [ "$got" -ne "$want" ]; then bad "hostile $c ($fmt): exit $got, want $want"
		elif grep -qF -e "$passwd1" -e 'root:x:' -e 'nologin' "$T/h"; then
			bad "hostile $c ($fmt): /etc/passwd reached the output"
		elif LC_ALL=C grep -qF -e "$bom" "$T/h"; then
			bad "hostile $c ($fmt): a raw byte order mark"
		elif [ -n "$needle" ] && ! grep -qF -e "$needle" "$T/h"; then
			bad "hostile $c ($fmt): no '$needle'"; head -3 "$T/h" | cut -c1-200
		else ok; fi
	done
}
hostile ctx-dotdot 0 '(not read: outside the build context)'
hostile ctx-absolute 0 "-r '/etc/passwd' without --require-hashes"
hostile ctx-symlink-file 0 '(not read: a symbolic link)'
hostile ctx-symlink-dir 0 '(not read: a symbolic link)'
hostile ctx-fifo 0 '(not read: not a regular file)'
hostile ctx-not-requirements 0 'of its 0 requirements, 0 not pinned with ==, 0 with no --hash; 2 other lines not judged'
# --context DIR: the context replaces the Dockerfile's directory
mkdir -p "$T/ctx" && printf 'flask\n' >"$T/ctx/requirements.txt"
hostile ctx-dotdot 0 '(not read: outside the build context)' --context "$T/ctx"
hostile ctx-fifo 0 "of its 1 requirements, 1 not pinned with == (flask (line 1))" --context "$T/ctx"
trouble "cannot open the build context '$T/nope'" --context "$T/nope" tests/lint/clean.Dockerfile
# a byte order mark is skipped (the escape directive after it works); a NUL
# is an error that says where
hostile bom 1 'apk add without =version: jq'
hostile nul 2 'Dockerfile: line 2, column 8: a NUL byte'
# ARG defaults that double 41 times are cut, and the finding says so
hostile arg-bomb 0 "is not checked: its ARGs expand past the limit (4096 bytes for one value, 1048576 for all)"
# linear, or n log n: a 4 MB line of words, 200,000 stages, 200,000 ARGs
hostile large-line-apk 0 'apk add without =version: a, a, a, a, a, a and 505 more'
hostile large-line-pip 1 'pip install without ==: a, a, a, a, a, a and 505 more'
hostile large-stages 0 ''
hostile large-args 1 "base image 'debian:12' is pinned by tag"

# --disable RULE[,RULE...] (repeatable): those rules report nothing, the
# others still do, the exit status follows what is left; an unknown id is
# trouble naming it.
printf 'FROM debian:12\nRUN apt-get install -y curl\n' >"$T/disable.Dockerfile"
$RUN lint "$T/disable.Dockerfile" >"$T/out" 2>&1
if grep -q '\[logs-left\]' "$T/out" && grep -q '\[base-not-pinned\]' "$T/out"; then ok
else bad "--disable: the fixture fires logs-left and base-not-pinned"; cat "$T/out"; fi
$RUN lint --disable logs-left --disable base-not-pinned,apt-unpinned "$T/disable.Dockerfile" >"$T/out" 2>&1
rc=$?
if [ $rc -eq 0 ] && ! grep -q 'logs-left\|base-not-pinned\|apt-unpinned' "$T/out" &&
    grep -q '\[platform-implicit\]' "$T/out"; then ok
else bad "--disable: exit $rc"; cat "$T/out"; fi
# on a real one (postgres:17-bookworm's Dockerfile): all but logs-left as before
P=tests/lint/real/postgres-17-bookworm
$RUN lint --disable logs-left $P.Dockerfile >"$T/out" 2>&1
awk '/\[logs-left\]$/ { skip = 1; next } skip && /^    fix:/ { skip = 0; next } { skip = 0; print }' \
    $P.txt >"$T/want"
if [ "$(grep -c 'logs-left' $P.txt)" -eq 5 ] && cmp -s "$T/want" "$T/out"; then ok
else bad "--disable logs-left on $P.Dockerfile"; diff "$T/want" "$T/out" | head -5; fi
trouble "no rule 'logs-lef'" --disable logs-lef "$T/disable.Dockerfile"
trouble "no rule named in ','" --disable , "$T/disable.Dockerfile"

# The repository's own Dockerfile (the image of imgdrift) has no error:
# its base pinned by digest, nothing fetched unchecked.
$RUN lint --format json Dockerfile >"$T/own.json"
rc=$?
if [ $rc -eq 0 ] && python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); e=[f for f in d["findings"] if f["severity"]=="error"]; sys.exit(1 if e else 0)' "$T/own.json"
then ok; else bad "the repository's Dockerfile: exit $rc, errors: $(cat "$T/own.json" | head -c 400)"; fi

finish
