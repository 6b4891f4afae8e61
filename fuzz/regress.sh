#!/bin/sh
# Replay the saved fuzz corpora (fuzz/corpus/TARGET) and every hostile
# input that tests/hostile/gen*.py writes through the fuzz targets' entry
# points, built with the normal compiler (fuzz/replay.c).  A crash, or a
# run over its CPU-time limit, fails.
# usage: sh fuzz/regress.sh DIR   (DIR holds replay_TARGET)
B=$1
CPU=${FUZZ_REGRESS_CPU:-120}	# seconds of CPU per target and set of inputs
fail=0

replay() {
	target=$1
	shift
	if ! (ulimit -t "$CPU" && "$B/replay_$target" "$@" >"$B/regress.out" \
	    2>&1); then
		echo "fuzz-regress: replay_$target $* failed:"
		tail -20 "$B/regress.out"
		fail=1
	else
		sed 's/^/fuzz-regress: /' "$B/regress.out" | tail -1 | grep -v ': 0 inputs$'
	fi
}

# Every saved corpus, by its target's name: a corpus without its replay
# binary is a target missing from FUZZ_TARGETS, which fails.
for d in fuzz/corpus/*/; do
	t=$(basename "$d")
	if [ ! -x "$B/replay_$t" ]; then
		echo "fuzz-regress: fuzz/corpus/$t has no $B/replay_$t"
		fail=1
		continue
	fi
	replay "$t" "fuzz/corpus/$t"
done

# Hostile inputs, each to the target that parses its kind: fingerprints,
# policies, Dockerfiles and layer cache files by name or magic, everything
# else as an archive fed to fuzz_read as it is (layout 4).
H=$B/hostile
rm -rf "$H"
for gen in tests/hostile/gen*.py; do
	[ -f "$gen" ] || continue
	out=$H/$(basename "$gen" .py)
	if ! python3 "$gen" "$out" >"$B/regress.out" 2>&1; then
		echo "fuzz-regress: $gen failed"; cat "$B/regress.out"; fail=1
		continue
	fi
	mkdir -p "$out.fp" "$out.policy" "$out.lint" "$out.cache" "$out.read"
	find "$out" -type f | sort | while IFS= read -r f; do
		rel=${f#"$out"/}
		name=$(echo "$rel" | tr / _)
		case $rel in
		cases) continue ;;
		*[Dd]ockerfile*) kind=lint ;;
		*policy*) kind=policy ;;
		cache-*) kind=cache ;;
		*)
			if [ "$(head -c 4 "$f" | od -An -tx1 | tr -d ' \n')" = \
			    5e2a4d18 ]; then kind=fp; else kind=read; fi ;;
		esac
		cp "$f" "$out.$kind/$name"
	done
	replay fp "$out.fp"
	replay policy "$out.policy"
	replay lint "$out.lint"
	replay cache "$out.cache"
	replay read -p 4 "$out.read"
done
exit $fail
