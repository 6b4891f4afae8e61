#!/bin/sh
# The HTML report in a real browser: Debian's headless Chromium loads the
# report of each pair of corpus/real/expected.tsv, and of an image whose
# file name is markup, with the network off; the DOM must hold the verdict
# and the expected classes, the markup must stay text, and the page must
# make no request and log nothing (tests/check_dom.py).
# usage: sh tests/browser.sh ./imgdrift [quick]; quick: two pairs and the
# hostile name (what `make test` runs), else every pair (make browser-test).
# Skips, saying why, only when Chromium is not installed or cannot start.
NAME=browser; . tests/lib.sh "$@"
MODE=${2:-all}

CHROMIUM=
for c in chromium chromium-browser; do
	if command -v $c >/dev/null 2>&1; then CHROMIUM=$c; break; fi
done
if [ -z "$CHROMIUM" ]; then
	echo "SKIP: browser tests: chromium is not installed (make deps installs it)"
	rm -rf "$T"; exit 0
fi

# browse OUT URL: the DOM of URL in OUT.dom, its network log in OUT.net and
# what the browser logged (the console with it) in OUT.log.  The network
# is off: every host resolves to nothing, and the proxy is a closed port.
browse() {
	timeout 60 $CHROMIUM --headless --no-sandbox --disable-gpu \
	    --proxy-server=127.0.0.1:9 "--host-resolver-rules=MAP * ~NOTFOUND" \
	    --disable-background-networking --disable-component-update \
	    --disable-sync --disable-extensions --disable-default-apps \
	    --no-first-run --user-data-dir="$T/profile" \
	    --enable-logging=stderr --v=0 --log-net-log="$1.net" \
	    --dump-dom "$2" >"$1.dom" 2>"$1.log"
}

printf '<!DOCTYPE html><title>probe</title><p id="probe">up</p>\n' >"$T/probe.html"
if ! browse "$T/probe" "file://$PWD/$T/probe.html" || ! grep -q 'id="probe"' "$T/probe.dom"; then
	echo "SKIP: browser tests: $CHROMIUM cannot run here: $(grep -v '^\[' "$T/probe.log" | head -1)"
	rm -rf "$T"; exit 0
fi

# render NAME A B VERDICT CLASSES [TEXT]: the report of A and B in the
# browser, checked.
render() {
	name=$1; a=$2; b=$3; verdict=$4; classes=$5; shift 5
	$RUN diff --format html "$a" "$b" >"$T/$name.html" 2>"$T/err"
	browse "$T/$name" "file://$PWD/$T/$name.html"
	if python3 tests/check_dom.py "$T/$name.dom" "$T/$name.net" "$T/$name.log" \
	    "$verdict" "$classes" "$@" >"$T/raw"; then ok
	else bad "browser: $a $b: $(cat "$T/raw")"; fi
}

# The network is really off for the page, and the checks see it: a page
# asking for an image is caught with or without a CSP.
printf '<!DOCTYPE html><header id="verdict" data-verdict="x"></header><img src="http://imgdrift.invalid/x.png">\n' >"$T/leak.html"
browse "$T/leak" "file://$PWD/$T/leak.html"
if ! python3 tests/check_dom.py "$T/leak.dom" "$T/leak.net" "$T/leak.log" x - >"$T/raw" &&
    grep -q 'element <img>\|requested http://imgdrift.invalid' "$T/raw"; then ok
else bad "browser: a page that asks for an image is not caught"; cat "$T/raw"; fi

# A file name, a label and a step that are markup stay text.
markup_pair "$T/xss"
render xss "$T/xss/a.tar" "$T/xss/b.tar" different content,metadata \
    '<img src=x onerror=alert(1)>.txt'

n=0
tail -n +2 corpus/real/expected.tsv | while IFS="$(printf '\t')" read -r a b verdict classes rest; do
	n=$((n + 1))
	case $MODE:$a in
	quick:*rebuild-a.tar|quick:*content-a.tar|all:*) ;;
	*) continue ;;
	esac
	render pair$n "$a" "$b" "$verdict" "$classes"
	echo "$pass $fail" >"$T/counts"
done
if [ -s "$T/counts" ]; then read -r pass fail <"$T/counts"; fi
[ -s "$T/counts" ] || bad "browser: no pair rendered"

# imgdrift summary's page of three reports, one whose input name is
# markup: the rows in order, the markup text, no request, nothing logged.
$RUN diff --format json -o "$T/s1.json" corpus/real/rebuild-a.tar corpus/real/rebuild-b.tar
$RUN diff --format json -o "$T/s2.json" corpus/real/retag-a.tar corpus/real/retag-b.tar
$RUN diff --format json -o "$T/s3.json" "$T/xss/a.tar" "$T/xss/b.tar"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["inputs"]["a"]["name"]="<img src=x onerror=alert(1)>"; json.dump(d, open(sys.argv[1], "w"))' "$T/s3.json"
want=$(for f in s1 s2 s3; do python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["verdict"])' "$T/$f.json"; done | paste -sd,)
worst=$(echo "$want" | tr ',' '\n' | awk 'BEGIN { split("identical same-digest byte-equivalent dependency-equivalent different", o, " "); for (i in o) r[o[i]] = i }
    { if (r[$0] > m) { m = r[$0]; w = $0 } } END { print w }')
$RUN summary --format html "$T/s1.json" "$T/s2.json" "$T/s3.json" >"$T/summary.html"
browse "$T/summary" "file://$PWD/$T/summary.html"
if python3 tests/check_dom.py "$T/summary.dom" "$T/summary.net" "$T/summary.log" \
    "$worst" "rows:$want" '<img src=x onerror=alert(1)> vs ' >"$T/raw"; then ok
else bad "browser: summary: $(cat "$T/raw")"; fi

finish
