#!/bin/sh
# Real archives that other projects keep as test data (corpus/fixtures,
# corpus/world; their origins in each README.md), checked against what
# corpus/world/expected.tsv records for each: read, and every digest,
# diff_id, size and entry count equal to an independent reading
# (tests/verify_inspect.py), and its fingerprint (`record`) the same image
# to `diff`; or refused, with exit status 2 and exactly the recorded line on
# stderr.  Then the pairs of corpus/world/pairs.tsv get their recorded
# verdict, classes and exit status.
# usage: sh tests/world.sh ./imgdrift
# UPDATE=1 rewrites the outcomes, messages, verdicts and classes of both
# files as they are now, keeping the reasons and notes, and fails: read the
# diff, make each reason say why, then run again without UPDATE.
NAME=world; . tests/lib.sh "$@"
export TESTTMP="$T"
E=corpus/world/expected.tsv
P=corpus/world/pairs.tsv

# Every archive has its row, and every row its archive.
for f in corpus/fixtures/* corpus/world/*/*; do
	case $f in */README.md) continue ;; esac
	if cut -f1 "$E" | grep -qxF "$f"; then ok; else bad "$f: no row in $E"; fi
done

# roundtrip FILE: what `record` writes of FILE, `diff` finds the same image.
roundtrip() {
	if ! $RUN record -o "$T/fp" "$1" 2>"$T/err"; then
		bad "record $1"; sed 's/^/    /' "$T/err"
	elif $RUN diff "$1" "$T/fp" >/dev/null 2>"$T/err"; then ok
	else bad "diff $1 against its fingerprint: exit $?"; sed 's/^/    /' "$T/err"; fi
}

# The reads are verified in one run of tests/verify_inspect.py (--list).
TAB=$(printf '\t')
n=0
: >"$T/verify"
grep '^#' "$E" >"$T/expected.new"
while IFS="$TAB" read -r f outcome reason message; do
	case $f in '#'* | '') continue ;; esac
	if [ ! -e "$f" ]; then bad "$E: $f does not exist"; continue; fi
	n=$((n + 1))
	$RUN inspect --format json "$f" >"$T/j.$n" 2>"$T/err"
	got=$?
	case $got in
	0) now="read$TAB$reason$TAB-" ;;
	2) now="refused$TAB$reason$TAB$(head -1 "$T/err")" ;;
	*) now="exit $got$TAB$reason$TAB-" ;;
	esac
	printf '%s\t%s\n' "$f" "$now" >>"$T/expected.new"
	case $outcome in
	read)
		if [ "$got" -ne 0 ]; then
			bad "$f: exit $got, want 0 ($reason)"; sed 's/^/    /' "$T/err"
		else
			printf '%s\t%s\n' "$f" "$T/j.$n" >>"$T/verify"
			if $RUN inspect "$f" >/dev/null 2>&1; then ok
			else bad "inspect text $f"; fi
			roundtrip "$f"
		fi ;;
	refused)
		if [ "$got" -ne 2 ]; then bad "$f: exit $got, want 2 ($reason)"
		elif [ "$(cat "$T/err")" != "$message" ]; then
			bad "$f: stderr is not the recorded line"
			echo "    want: $message"; sed 's/^/    got:  /' "$T/err"
		elif [ -s "$T/j.$n" ]; then bad "$f: printed a report on trouble"
		else ok; fi ;;
	*) bad "$E: $f: outcome '$outcome' (read, refused)" ;;
	esac
done <"$E"
python3 tests/verify_inspect.py --list "$T/verify" 2>"$T/verr"
cut -d: -f1 "$T/verr" | sort -u >"$T/vbad"
while read -r f; do bad "verify $f"; done <"$T/vbad"
grep . "$T/verr" | sed 's/^/    /'
for i in $(seq $(($(wc -l <"$T/verify") - $(wc -l <"$T/vbad")))); do ok; done

# verdict classes status: from `diff --format json` (one key or array item
# a line), "trouble - 2" for exit 2.
judge() {
	$RUN diff --format json "$1" "$2" >"$T/d" 2>"$T/err"
	got=$?
	if [ "$got" -eq 2 ]; then echo "trouble - 2"; return; fi
	awk -v got="$got" '
	/^  "verdict": / { v = $2; gsub(/[",]/, "", v) }
	/^  "classes": \[\],?$/ { c = "-" }
	/^  "classes": \[$/ { inc = 1; next }
	inc && /^  \]/ { inc = 0 }
	inc { x = $1; gsub(/[",]/, "", x); c = c (c == "" ? "" : ",") x }
	END { print v, c, got }' "$T/d"
}

grep '^#' "$P" >"$T/pairs.new"
while IFS="$TAB" read -r a b verdict classes note; do
	case $a in '#'* | '') continue ;; esac
	case $verdict in
	trouble) want=2 ;; identical | same-digest) want=0 ;; *) want=1 ;;
	esac
	set -- $(judge "$a" "$b")
	printf '%s\t%s\t%s\t%s\t%s\n' "$a" "$b" "$1" \
	    "$([ "$classes" = "*" ] && echo "*" || echo "$2")" "$note" >>"$T/pairs.new"
	if [ "$1" != "$verdict" ]; then bad "$a $b: $1, want $verdict ($note)"
	elif [ "$classes" != "*" ] && [ "$2" != "$classes" ]; then
		bad "$a $b: classes $2, want $classes ($note)"
	elif [ "$3" -ne "$want" ]; then bad "$a $b: exit $3, want $want"
	else ok; fi
done <"$P"

if [ -n "${UPDATE:-}" ]; then
	cp "$T/expected.new" "$E"
	cp "$T/pairs.new" "$P"
	bad "UPDATE=1 rewrote $E and $P (read the diff, fix the reasons, run again)"
fi
finish
