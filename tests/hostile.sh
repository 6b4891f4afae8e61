#!/bin/sh
# Hostile inputs (docs/security.md): each generator in GENS writes its
# inputs and a "cases" table into a scratch directory (the format is in
# tests/hostile/gen.py; tests/hostile/gen_lint.py has its own runner in
# tests/lint.sh); each case runs under a CPU-time and a memory limit
# and must end as the table says: for exit 2, exactly one line on stderr
# holding the needle, nothing on stdout, no crash; and what it prints holds
# no raw control byte, invalid UTF-8 or invisible character
# (tests/check_escaped.py).  A case named "...@mem" is about the memory
# limit itself and is skipped where there is none.
# usage: sh tests/hostile.sh ./imgdrift
NAME=hostile; . tests/lib.sh "$@"

CPU=${HOSTILE_CPU:-10}		# seconds of CPU per case
MEM=${HOSTILE_MEM:-1048576}	# KiB of address space per case
# Sanitizers and valgrind reserve address space far beyond what is used.
if [ -n "${VALGRIND:-}" ] || grep -q __asan_init "$BIN" 2>/dev/null; then
	MEM=unlimited
	CPU=$((CPU * 6))
fi

run_case() {
	dir=$1 name=$2 want=$3 needle=$4
	shift 4
	case "$name" in *@mem) [ "$MEM" = unlimited ] && return ;; esac
	(cd "$dir" && ulimit -t "$CPU" && ulimit -v "$MEM" &&
	    exec $RUN "$@") >"$T/out" 2>"$T/err"
	got=$?
	if [ "$got" -ne "$want" ]; then
		bad "$name: exit $got, want $want"; sed 's/^/    /' "$T/err" | head -3
	elif ! python3 tests/check_escaped.py "$T/out" "$T/err" >"$T/raw"; then
		bad "$name: $(cat "$T/raw")"
	elif [ "$want" -ne 2 ]; then ok
	elif [ "$(wc -l <"$T/err")" -ne 1 ]; then
		bad "$name: not one line on stderr"; head -3 "$T/err"
	elif ! grep -qF -- "$needle" "$T/err"; then
		bad "$name: stderr lacks '$needle'"; cat "$T/err"
	elif [ -s "$T/out" ]; then bad "$name: printed a report on trouble"
	else ok; fi
}

GENS="tests/hostile/gen.py tests/hostile/gen_names.py tests/hostile/gen_pkg.py
    tests/hostile/gen_members.py tests/hostile/gen_binpkg.py"
for gen in $GENS; do
	dir=$T/$(basename "$gen" .py)
	if ! python3 "$gen" "$dir" >"$T/gen.err" 2>&1; then
		bad "$gen failed"; cat "$T/gen.err"; continue
	fi
	tab=$(printf '\t')
	while IFS= read -r line; do
		[ -n "$line" ] || continue
		old=$IFS; IFS=$tab
		# shellcheck disable=SC2086
		set -f; set -- $line; set +f
		IFS=$old
		run_case "$dir" "$@"
	done <"$dir/cases"
done

finish
