# tests/lib.sh - what the CLI test scripts share.  Source it as
#   NAME=diff; . tests/lib.sh "$@"
# It resolves the binary ($BIN, $RUN with an optional $VALGRIND wrapper),
# makes a scratch directory $T, and defines the counters and checks below;
# end the script with `finish`, which prints "N passed, M failed".
set -u
BIN=${1:-./imgdrift}
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
RUN="${VALGRIND:-} $BIN"
T=build/tmp/$NAME.$$
mkdir -p "$T"
pass=0
fail=0

ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# status WANT DESCRIPTION CMD...: the exit status must be WANT.
status() {
	want=$1; what=$2; shift 2
	$RUN "$@" >"$T/out" 2>"$T/err"
	got=$?
	if [ "$got" -eq "$want" ]; then ok; else
		bad "$what: exit $got, want $want"; sed 's/^/    /' "$T/err" | head -5; fi
}

# trouble DESCRIPTION NEEDLE CMD...: exit 2, one line on stderr that
# contains NEEDLE, nothing on stdout.
trouble() {
	what=$1; needle=$2; shift 2
	$RUN "$@" >"$T/out" 2>"$T/err"
	got=$?
	if [ "$got" -ne 2 ]; then bad "$what: exit $got, want 2"
	elif [ "$(wc -l <"$T/err")" -ne 1 ]; then bad "$what: not one line on stderr"; cat "$T/err"
	elif ! grep -q "^imgdrift: .*$needle" "$T/err"; then bad "$what: stderr lacks '$needle'"; cat "$T/err"
	elif [ -s "$T/out" ]; then bad "$what: printed a report on trouble"
	else ok; fi
}

# same WHAT SUB ARGS...: stdout, stderr and exit status of `imgdrift SUB
# ARGS` with -j 1 and with each -j of $SAME_JOBS (the option goes right
# after the subcommand) are the same; a run that takes 300 s is a hang.
# Each run reads standard input from $SAME_IN (default: none).
SAME_JOBS=${SAME_JOBS:-2 4}
same() {
	what=$1; sub=$2; shift 2
	timeout 300 $RUN $sub -j 1 "$@" <"${SAME_IN:-/dev/null}" >"$T/o1" 2>"$T/e1"; r1=$?
	for j in $SAME_JOBS; do
		timeout 300 $RUN $sub -j "$j" "$@" <"${SAME_IN:-/dev/null}" >"$T/oj" 2>"$T/ej"; rj=$?
		if [ "$rj" -eq 124 ]; then bad "$what: -j $j hung"
		elif [ "$r1" -ne "$rj" ]; then bad "$what: exit $r1 with -j 1, $rj with -j $j"
		elif ! cmp -s "$T/o1" "$T/oj"; then bad "$what: output differs with -j $j"; diff "$T/o1" "$T/oj" | head -5
		elif ! cmp -s "$T/e1" "$T/ej"; then bad "$what: stderr differs with -j $j"; cat "$T/e1" "$T/ej"
		else ok; fi
	done
}

# golden GOT GOLDEN: GOT must equal the golden file GOLDEN.  With UPDATE=1
# GOLDEN is rewritten instead, and the run fails, so that blessing is never
# green: read the diff, then run again without UPDATE.
golden() {
	if [ -n "${UPDATE:-}" ]; then
		cp "$1" "$2"; bad "UPDATE=1 wrote $2 (read the diff, run again)"
	elif diff -u "$2" "$1" >"$T/d"; then ok
	else bad "golden $2"; head -20 "$T/d"; fi
}

# documented CMD...: every long option of `imgdrift CMD --help` is in the
# man page.
documented() {
	for cmd in "$@"; do
		$BIN $cmd --help | grep -o -- '--[a-z-]*' | sort -u | while read -r opt; do
			grep -q -- "$(echo "$opt" | sed 's/-/\\\\-/g')" imgdrift.1 || echo "$opt"
		done >"$T/undoc"
		if [ -s "$T/undoc" ]; then
			bad "$cmd options missing from imgdrift.1: $(tr '\n' ' ' <"$T/undoc")"
		else ok; fi
	done
}

# verdicts TSV [DIR]: every pair of TSV (a header line, then a, b, verdict,
# classes, anything else; a and b relative to DIR when given) diffed in
# JSON: the verdict and classes must be the listed ones, and the exit
# status the one of the default --require same-digest.
verdicts() {
	tail -n +2 "$1" | while IFS="$(printf '\t')" read -r a b verdict classes rest; do
		if [ -n "${2:-}" ]; then a=$2/$a b=$2/$b; fi
		$RUN diff --format json "$a" "$b" >"$T/j" 2>"$T/err"
		rc=$?
		got=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["verdict"], ",".join(d["classes"]) or "-")' "$T/j" 2>&1)
		if [ "$got" = "$verdict $classes" ]; then echo ok; else
			echo "FAIL: $a $b: got '$got', want '$verdict $classes'"; fi
		case $verdict in identical|same-digest) want=0 ;; *) want=1 ;; esac
		if [ "$rc" -eq "$want" ]; then echo ok; else echo "FAIL: $a $b: exit $rc, want $want"; fi
	done >"$T/pairs"
	pass=$((pass + $(grep -c '^ok$' "$T/pairs")))
	fail=$((fail + $(grep -c '^FAIL' "$T/pairs")))
	grep '^FAIL' "$T/pairs"
}

# markup_pair DIR: DIR/a.tar and DIR/b.tar, whose file name, file content,
# config label and history step are HTML markup (tests of the HTML report).
markup_pair() {
	python3 - "$1" <<'PY2'
import os, sys
sys.path.insert(0, "tests/hostile")
import gen
gen.OUT = sys.argv[1]
os.makedirs(gen.OUT, exist_ok=True)
NAME = b"<img src=x onerror=alert(1)>.txt"
for side in ("a", "b"):
    layer = gen.tar(gen.tar_file(NAME, b"<script>alert('%s')</script>\n" %
                                 side.encode()))
    gen.write(side + ".tar", gen.oci_archive([layer], config_extra={
        "config": {"Labels": {"x": "</code><b onclick=x>" + side}},
        "history": [{"created_by": "RUN <style>*{}</style>"}]}))
PY2
}

finish() {
	rm -rf "$T"
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}
