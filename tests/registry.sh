#!/bin/sh
# tests/registry.sh - images read straight from a registry: Debian's
# docker-registry (the distribution registry) started on 127.0.0.1 with a
# free port and a temporary config and storage, corpus images pushed with
# skopeo, and every docker:// read checked against the same image read
# from its file: the same digests, the same inspect output (but for the
# format), the same diff verdict.  Skips, saying so, when docker-registry
# or skopeo is not installed.  Everything started is stopped (trap).
NAME=registry; . tests/lib.sh "$@"

if ! command -v docker-registry >/dev/null 2>&1 ||
    ! command -v skopeo >/dev/null 2>&1; then
	echo "registry: SKIP: docker-registry or skopeo is not installed (make deps)"
	rm -rf "$T"
	exit 0
fi
T=$(cd "$T" && pwd)
PIDS=""
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_registry DIR [EXTRA_YAML]: a registry serving DIR/storage on
# ${REG_HOST:-127.0.0.1}; sets PORT.
start_registry() {
	dir=$1 host=${REG_HOST:-127.0.0.1}
	mkdir -p "$dir/storage"
	PORT=$(free_port)
	cat >"$dir/config.yml" <<YML
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $dir/storage
http:
  addr: $host:$PORT
${2:-}
YML
	docker-registry serve "$dir/config.yml" >"$dir/log" 2>&1 &
	PIDS="$PIDS $!"
	i=0
	until curl -skf -o /dev/null "http://$host:$PORT/v2/" ||
	    curl -sk -o /dev/null "https://$host:$PORT/v2/"; do
		i=$((i + 1))
		if [ $i -gt 100 ]; then
			echo "registry: FAIL: docker-registry did not start"; cat "$dir/log"
			exit 1
		fi
		sleep 0.1
	done
}

# push FILE NAME: copy an archive into the plain registry unchanged.
push() {
	skopeo copy -q --all --preserve-digests --dest-tls-verify=false "oci-archive:$1" \
	    "docker://127.0.0.1:$PORT/$2" >"$T/push.log" 2>&1 ||
	    { echo "registry: FAIL: skopeo copy $1"; cat "$T/push.log"; exit 1; }
}

start_registry "$T/plain"
R=127.0.0.1:$PORT
for n in rebuild-a rebuild-b content-a content-b multiarch-a multiarch-b \
    compress-zstd perm-mode-a; do
	push "corpus/real/$n.tar" "corpus/$n:1"
done

# What a registry and a file must agree on: every image digest, not the
# file's own (input, index.json, the layout's ref name).
image_fields() {
	python3 -c '
import json, sys
drop = {"input", "input_sha256", "format", "index_json", "index_json_sha256",
        "index_digest", "ref_name", "release"}
for line in sys.stdin.read().splitlines() if sys.argv[1] == "lines" else [sys.stdin.read()]:
    d = json.loads(line)
    for im in d.get("images", []):
        im.pop("ref_name", None)
    print(json.dumps({k: v for k, v in d.items() if k not in drop}, sort_keys=True))
' "$1"
}

for n in rebuild-a content-b compress-zstd multiarch-a; do
	$RUN digest "corpus/real/$n.tar" | image_fields lines >"$T/want"
	$RUN digest "docker://$R/corpus/$n:1" >"$T/got.raw" 2>"$T/err"
	st=$?
	image_fields lines <"$T/got.raw" >"$T/got" 2>/dev/null
	if [ $st -eq 0 ] && [ -s "$T/want" ] && cmp -s "$T/want" "$T/got" &&
	    grep -q '"format":"registry"' "$T/got.raw"; then ok; else
		bad "digest docker://.../$n:1 differs from the file's"
		diff "$T/want" "$T/got" | head -5; cat "$T/err"; fi
done
man=$(skopeo inspect --tls-verify=false --raw "docker://$R/corpus/rebuild-a:1" |
    sha256sum | cut -c1-64)
$RUN digest "corpus/real/rebuild-a.tar" | image_fields lines >"$T/want"
status 0 "digest by @sha256" digest "docker://$R/corpus/rebuild-a@sha256:$man"
image_fields lines <"$T/out" | cmp -s - "$T/want" && ok ||
    bad "digest by @sha256 differs from the file's"

# inspect: the same images, layers and entry counts.
for n in rebuild-a multiarch-b; do
	$RUN inspect --format json "corpus/real/$n.tar" | image_fields doc >"$T/want"
	$RUN inspect --format json "docker://$R/corpus/$n:1" | image_fields doc >"$T/got"
	if [ -s "$T/want" ] && cmp -s "$T/got" "$T/want"; then ok; else
		bad "inspect docker://.../$n:1 is not the file's"; diff "$T/want" "$T/got" | head -8; fi
done
status 0 "inspect --platform from a registry index" inspect --platform linux/arm64 \
    "docker://$R/corpus/multiarch-a:1"
grep -q "linux/arm64" "$T/out" && ok || bad "inspect --platform: no linux/arm64 image"
! grep -q "linux/amd64 *sha" "$T/out" && ok || bad "inspect --platform: read linux/amd64 too"

# diff: the verdict and exit status of the files.
for pair in "rebuild-a rebuild-b" "content-a content-b" "multiarch-a multiarch-b"; do
	set -- $pair
	$BIN diff --format json "corpus/real/$1.tar" "corpus/real/$2.tar" >"$T/want.json" 2>/dev/null
	want=$?
	$RUN diff --format json "docker://$R/corpus/$1:1" "docker://$R/corpus/$2:1" \
	    >"$T/got.json" 2>"$T/err"
	got=$?
	v1=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["verdict"])' "$T/want.json")
	v2=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["verdict"])' "$T/got.json" 2>/dev/null)
	if [ "$got" -eq "$want" ] && [ "$v1" = "$v2" ]; then ok; else
		bad "diff $1 $2 from the registry: exit $got verdict $v2, files: exit $want verdict $v1"
		cat "$T/err"; fi
done
# Layers that differ are fetched in the first pass, not "after all".
status 1 "diff of two images whose every layer differs" diff --verbose \
    "docker://$R/corpus/rebuild-a:1" "docker://$R/corpus/rebuild-b:1"
[ "$(grep -c ', 0 fetched after all' "$T/err")" -eq 2 ] && ok ||
    { bad "layers that differ were counted as fetched after all"; cat "$T/err"; }
! grep -q 'fetched from the registry after all' "$T/out" && ok || bad "the report says layers were fetched after all"
# The same image twice: same-digest (identical is for the same file).
status 0 "diff the same registry image" diff --require same-digest \
    "docker://$R/corpus/rebuild-a:1" "docker://$R/corpus/rebuild-a:1"
grep -q "same-digest" "$T/out" && ok || bad "the same registry image is not same-digest"
# A registry image against its own archive.
status 0 "diff registry vs file of the same image" diff --require byte-equivalent \
    "docker://$R/corpus/rebuild-a:1" corpus/real/rebuild-a.tar
status 0 "record from a registry" record -o "$T/fp" "docker://$R/corpus/rebuild-a:1"
status 0 "diff fingerprint vs registry" diff "$T/fp" "docker://$R/corpus/rebuild-a:1"

# Fetch only what differs: an image that shares its bottom layer with
# rebuild-a (tests/oci_swap.py), its top layer touching the same paths
# (rebuild-b's) or other ones (whiteout-b's, which deletes a file).
python3 tests/oci_swap.py corpus/real/rebuild-a.tar corpus/real/rebuild-b.tar "$T/same-paths"
python3 tests/oci_swap.py corpus/real/rebuild-a.tar corpus/real/whiteout-b.tar "$T/other-paths"
for n in same-paths other-paths; do
	skopeo copy -q --preserve-digests --dest-tls-verify=false "oci:$T/$n" \
	    "docker://$R/swap/$n:1" >"$T/push.log" 2>&1 ||
	    { bad "skopeo copy $n"; cat "$T/push.log"; }
done
verdict_of() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["verdict"])' "$1" 2>/dev/null; }
# fetched NAME STDERR-LINE NOTE: diff rebuild-a against swap/NAME from the
# registry gives the files' verdict, --verbose says STDERR-LINE for both
# sides, and the report's notes hold NOTE and the bytes fetched.
fetched() {
	$BIN diff --format json corpus/real/rebuild-a.tar "oci:$T/$1" >"$T/want.json"
	status 1 "diff rebuild-a $1 from the registry" diff --verbose --format json \
	    "docker://$R/corpus/rebuild-a:1" "docker://$R/swap/$1:1"
	cp "$T/out" "$T/got.json"
	[ "$(verdict_of "$T/got.json")" = "$(verdict_of "$T/want.json")" ] && ok ||
	    bad "$1: verdict $(verdict_of "$T/got.json"), the files' $(verdict_of "$T/want.json")"
	[ "$(grep -c "$2" "$T/err")" -eq 2 ] && ok || { bad "$1: not '$2'"; cat "$T/err"; }
	grep -q "$3" "$T/got.json" && grep -q '"A: fetched [0-9]* bytes from the registry' \
	    "$T/got.json" && ok || bad "$1: the report's notes lack '$3' or the bytes fetched"
}
fetched same-paths '1 layers (8192 bytes) not fetched, 0 fetched after all' \
    'layer 1 (8192 bytes) is the same blob in A and B and was not fetched'
fetched other-paths '0 layers (0 bytes) not fetched, 1 fetched after all' \
    'fetched from the registry after all'
# The same image twice: nothing but the manifest and config.
status 0 "diff of one image with itself fetches no layer" diff --verbose \
    "docker://$R/corpus/rebuild-a:1" "docker://$R/corpus/rebuild-a:1"
[ "$(grep -c '(1 manifests, 1 blobs, 0 retries); 2 layers' "$T/err")" -eq 2 ] && ok ||
    { bad "one image with itself: layers were fetched"; cat "$T/err"; }

# --cache DIR: each layer's entry table kept by digest, and read back
# instead of fetching the layer again; a damaged file is a miss.
same_report() {
	python3 -c '
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for d in (a, b):
    d.pop("notes", None)
sys.exit(0 if a == b else 1)' "$1" "$2"
}
# layer_keys REF: each layer's digest, size and the config's diff_id, a
# line each; meta_bytes: the bytes of REF's manifest and config.
layer_keys() {
	skopeo inspect --tls-verify=false --raw "docker://$1" >"$T/m.json" &&
	skopeo inspect --tls-verify=false --config --raw "docker://$1" >"$T/c.json" &&
	python3 -c '
import json, sys
m, c = (json.load(open(p)) for p in sys.argv[1:3])
for l, d in zip(m["layers"], c["rootfs"]["diff_ids"]):
    print(l["digest"], l["size"], d)' "$T/m.json" "$T/c.json"
}
meta_bytes() {
	python3 -c 'import json, sys; m = open(sys.argv[1], "rb").read(); print(len(m) + json.loads(m)["config"]["size"])' "$T/m.json"
}
layer_bytes() { awk '{ n += $2 } END { print n }' "$1"; }
A="docker://$R/corpus/rebuild-a:1" B="docker://$R/corpus/rebuild-b:1"
layer_keys "$R/corpus/rebuild-a:1" >"$T/keys.a"
ma=$(meta_bytes)
layer_keys "$R/corpus/rebuild-b:1" >"$T/keys.b"
mb=$(meta_bytes)
# fetched REF: "BYTES BLOBS CACHED" of --verbose's line for REF in $T/err.
fetched() {
	grep -F "imgdrift: $1: fetched " "$T/err" | sed -n \
	    's/.*: fetched \([0-9]*\) bytes in [0-9]* requests (1 manifests, \([0-9]*\) blobs, 0 retries); 0 layers (0 bytes) not fetched, 0 fetched after all, \([0-9]*\) from the cache$/\1 \2 \3/p'
}
C=$T/cache	# not there: imgdrift makes it
status 1 "diff --cache, first" diff --cache "$C" --verbose --format json "$A" "$B"
cp "$T/out" "$T/first.json"
cold_a=$(fetched "$A") cold_b=$(fetched "$B")
[ "${cold_a##* }" = 0 ] && [ "${cold_b##* }" = 0 ] && ok ||
    { bad "--cache, first: read from the cache"; cat "$T/err"; }
[ "$(stat -c %a "$C")" = 700 ] && ok || bad "--cache: DIR made $(stat -c %a "$C"), not 700"
[ "$(ls -A "$C" | grep -c '^sha256-[0-9a-f]\{64\}\.xxh3$')" -eq 4 ] &&
    [ "$(ls -A "$C" | wc -l)" -eq 4 ] && ok || { bad "--cache: not the 4 layer files alone"; ls -la "$C"; }
[ -z "$(find "$C" -type f ! -perm 600)" ] && ok || bad "--cache: a file others can read"
for k in "$T/keys.a" "$T/keys.b"; do
	while read -r d size id; do
		[ -f "$C/sha256-${d#sha256:}.xxh3" ] || echo "$d"
	done <"$k"
done >"$T/missing"
[ -s "$T/missing" ] && bad "--cache: no file for $(cat "$T/missing")" || ok
# warm REF COLD BYTES N: REF's line says N layers came from the cache and
# that exactly their BYTES and N blobs fewer than COLD were fetched (the
# second look still fetches the files it explains, in both runs).
warm() {
	[ "$(fetched "$1")" = "$((${2%% *} - $3)) $(($(echo "$2" | cut -d' ' -f2) - $4)) $4" ]
}
size1=$(sed -n 1p "$T/keys.a" | cut -d' ' -f2) size2=$(sed -n 2p "$T/keys.a" | cut -d' ' -f2)
# Warm: no layer is fetched for its entries.
status 1 "diff --cache, again" diff --cache "$C" --verbose --format json "$A" "$B"
warm "$A" "$cold_a" $((size1 + size2)) 2 &&
    warm "$B" "$cold_b" "$(layer_bytes "$T/keys.b")" 2 && ok ||
    { bad "--cache, again: layer bytes were fetched (cold: $cold_a, $cold_b)"; cat "$T/err"; }
same_report "$T/first.json" "$T/out" && ok || bad "--cache: another report from the cache"
grep -q '"A: fetched [0-9]* bytes from the registry (1 manifests, [0-9]* blobs, 0 retries); 0 layers (0 bytes) not fetched, 0 fetched after all, 2 from the cache"' "$T/out" &&
    ok || bad "--cache: the report's notes do not say so"
# inspect and record read no layer bytes again at all: the manifest and
# the config alone.
status 0 "inspect --cache" inspect --cache "$C" --verbose "$A"
[ "$(fetched "$A")" = "$ma 1 2" ] && ok || { bad "inspect --cache: not the manifest and config alone ($ma bytes)"; cat "$T/err"; }
# Never another layer's entries: layer 1's file under layer 2's name is a
# miss, and is written again.
set -- $(cut -d' ' -f1 "$T/keys.a")
l1=$C/sha256-${1#sha256:}.xxh3 l2=$C/sha256-${2#sha256:}.xxh3
cp "$l1" "$l2"
status 1 "diff --cache, another layer's file" diff --cache "$C" --verbose --format json "$A" "$B"
warm "$A" "$cold_a" "$size1" 1 && ok ||
    { bad "--cache: another layer's file was read"; cat "$T/err"; }
same_report "$T/first.json" "$T/out" && ok || bad "--cache: another report after another layer's file"
! cmp -s "$l1" "$l2" && ok || bad "--cache: another layer's file was not written again"
# Damaged files (tests/hostile/gen_cache.py, for layer 1 of A): each a
# miss, the same report, the file written again; its control is read.
set -- $(head -1 "$T/keys.a")
if python3 tests/hostile/gen_cache.py "$T/hc" "$1" "$2" "$3" >"$T/gen.err" 2>&1; then
	tab=$(printf '\t')
	while IFS=$tab read -r f what; do
		cp "$T/hc/$f" "$l1"
		$RUN diff --cache "$C" --verbose --format json "$A" "$B" >"$T/out" 2>"$T/err"
		st=$?
		if [ "$f" = cache-control ]; then
			[ $st -eq 1 ] && [ "$(fetched "$A" | cut -d' ' -f3)" = 2 ] && cmp -s "$T/hc/$f" "$l1" && ok ||
			    { bad "--cache: $what: not read"; cat "$T/err"; }
		elif [ $st -eq 1 ] && warm "$A" "$cold_a" "$size2" 1 &&
		    same_report "$T/first.json" "$T/out" && ! cmp -s "$T/hc/$f" "$l1"; then ok
		else bad "--cache: $what ($f): exit $st, not a miss written again"; cat "$T/err"; fi
	done <"$T/hc/cases"
else bad "gen_cache.py failed"; cat "$T/gen.err"; fi
# Not a regular file at the name: a FIFO is never waited for, a symbolic
# link never followed; both are misses, replaced by the file.
rm -f "$l1"; mkfifo "$l1"
timeout 60 $RUN diff --cache "$C" --verbose --format json "$A" "$B" >"$T/out" 2>"$T/err"
st=$?
[ $st -eq 1 ] && warm "$A" "$cold_a" "$size2" 1 && [ -f "$l1" ] && ok ||
    { bad "--cache: a FIFO at a layer's name: exit $st"; cat "$T/err"; }
cp "$l1" "$T/good.xxh3"; rm -f "$l1"; ln -s "$T/good.xxh3" "$l1"
status 1 "diff --cache, a symbolic link" diff --cache "$C" --verbose --format json "$A" "$B"
warm "$A" "$cold_a" "$size2" 1 && [ -f "$l1" ] && [ ! -L "$l1" ] && ok ||
    { bad "--cache: a symbolic link was followed, or not replaced"; cat "$T/err"; }
# Two runs at once on one new DIR, four times: the same reports, whole
# files only (each written under a name of its own, then renamed).
CC=$T/cc pids=""
for i in 1 2 3 4; do
	$RUN diff --cache "$CC" --format json "$A" "$B" >"$T/cc$i.json" 2>"$T/cc$i.err" &
	pids="$pids $!"
done
i=0
for p in $pids; do
	i=$((i + 1))
	wait "$p"
	st=$?
	[ $st -eq 1 ] && same_report "$T/first.json" "$T/cc$i.json" && ok ||
	    { bad "--cache: run $i of 4 at once: exit $st or another report"; cat "$T/cc$i.err"; }
done
[ "$(ls -A "$CC" | grep -c '^sha256-[0-9a-f]\{64\}\.xxh3$')" -eq 4 ] &&
    [ "$(ls -A "$CC" | wc -l)" -eq 4 ] && ok || { bad "--cache: runs at once left other files"; ls -la "$CC"; }
status 1 "diff --cache after runs at once" diff --cache "$CC" --verbose "$A" "$B"
[ "$(grep -c ', 2 from the cache$' "$T/err")" -eq 2 ] && ok ||
    { bad "--cache: runs at once left a file that does not read"; cat "$T/err"; }
# Package databases: what the layer kept of them comes back from the cache.
for pair in "packages/apk-ref packages/apk-upgrade" "apppkg/app-a apppkg/app-b"; do
	set -- $pair
	push "corpus/$1.tar" "pk/$(basename "$1"):1"
	push "corpus/$2.tar" "pk/$(basename "$2"):1"
	pa="docker://$R/pk/$(basename "$1"):1" pb="docker://$R/pk/$(basename "$2"):1"
	status 1 "diff $pair, cold" diff --cache "$T/pkc" --format json "$pa" "$pb"
	cp "$T/out" "$T/cold.json"
	status 1 "diff $pair, warm" diff --cache "$T/pkc" --verbose --format json "$pa" "$pb"
	grep -q ', [1-9] from the cache$' "$T/err" && same_report "$T/cold.json" "$T/out" &&
	    python3 -c 'import json, sys; sys.exit(0 if json.load(open(sys.argv[1]))["packages"] else 1)' "$T/out" &&
	    ok || { bad "--cache: $pair: not the packages of the fetched layers"; cat "$T/err"; }
done
# The entry hash is part of the key: record hashes with SHA-256.
status 0 "record --cache" record --cache "$C" -o "$T/fp.cache" "$A"
[ "$(ls "$C" | grep -c '\.sha256$')" -eq 2 ] && ok || { bad "--cache: no sha256 files"; ls "$C"; }
status 0 "record --cache, again" record --cache "$C" --verbose -o "$T/fp.cache2" "$A"
cmp -s "$T/fp.cache" "$T/fp.cache2" && ok || bad "record --cache: another fingerprint from the cache"
grep -q ', 2 from the cache$' "$T/err" && ok || { bad "record --cache: not from the cache"; cat "$T/err"; }
mkdir -p "$T/ww" && chmod 777 "$T/ww"
trouble "--cache DIR others can write to" "writable by other users" diff --cache "$T/ww" "$A" "$B"
trouble "--cache FILE" "is not a directory" diff --cache "$T/first.json" "$A" "$B"
trouble "--cache DIR in no directory" "cannot create" diff --cache "$T/nowhere/cache" "$A" "$B"
# A file that cannot be written is one warning naming it, and the run goes
# on with the same report: the cache only saves a fetch.  Renamed onto a
# directory at layer 1's name; written past a file-size limit (as on a
# full disk: stdout is a pipe, which the limit does not reach).
WC=$T/wc
set -- $(cut -d' ' -f1 "$T/keys.a")
wl1=$WC/sha256-${1#sha256:}.xxh3
mkdir -p "$wl1/x"
status 1 "diff --cache, a directory at a layer's name" diff --cache "$WC" --format json "$A" "$B"
[ "$(cat "$T/err")" = "imgdrift: warning: --cache: cannot write '$wl1': Is a directory (1 layer not kept: fetched again next time)" ] &&
    same_report "$T/first.json" "$T/out" && [ "$(ls "$WC" | grep -c '\.xxh3$')" -eq 4 ] && ok ||
    { bad "--cache: a directory at a layer's name: not one warning and the report"; cat "$T/err"; ls -la "$WC"; }
status 1 "diff --cache, again past the directory" diff --cache "$WC" --verbose --format json "$A" "$B"
[ "$(fetched "$A" | cut -d' ' -f3)" = 1 ] && [ "$(fetched "$B" | cut -d' ' -f3)" = 2 ] &&
    grep -q "^imgdrift: warning: --cache: cannot write '$wl1': Is a directory (1 layer not kept" "$T/err" && ok ||
    { bad "--cache: the layers written beside the directory were not read"; cat "$T/err"; }
rm -rf "$T/wf"
{ (trap '' XFSZ; ulimit -f 1; $RUN diff --cache "$T/wf" --format json "$A" "$B" 2>"$T/err"; echo $? >"$T/st") | cat >"$T/out"; }
[ "$(cat "$T/st")" = 1 ] && same_report "$T/first.json" "$T/out" &&
    grep -qx "imgdrift: warning: --cache: cannot write '$T/wf/sha256-[0-9a-f]\{64\}\.xxh3': File too large ([1-4] layers\{0,1\} not kept: fetched again next time)" "$T/err" &&
    [ -z "$(ls -A "$T/wf" | grep -v '^sha256-[0-9a-f]\{64\}\.xxh3$')" ] && ok ||
    { bad "--cache: a write past the file-size limit: exit $(cat "$T/st"), not one warning and the report"; cat "$T/err"; ls -la "$T/wf"; }
rm -f "$WC"/*.xxh3 2>/dev/null
status 0 "inspect --cache, a directory at a layer's name" inspect --cache "$WC" "$A"
[ "$(grep -c . "$T/err")" -eq 1 ] && grep -q "^imgdrift: warning: --cache: cannot write '$wl1': Is a directory (1 layer not kept" "$T/err" && ok ||
    { bad "inspect --cache: not one warning"; cat "$T/err"; }

# digest needs the manifests and configs alone: no layer is fetched unless
# --verify-layers asks (the lines are the file's all the same: above).
status 0 "digest of a registry image" digest --verbose "$A"
grep -q "^imgdrift: $A: fetched $ma bytes in [0-9]* requests (1 manifests, 1 blobs, 0 retries); 2 layers ($((size1 + size2)) bytes) not fetched, 0 fetched after all, 0 from the cache$" "$T/err" &&
    ok || { bad "digest: layers were fetched"; cat "$T/err"; }
cp "$T/out" "$T/digest.lines"
status 0 "digest --verify-layers" digest --verify-layers --verbose "$A"
grep -q "^imgdrift: $A: fetched $((ma + size1 + size2)) bytes in [0-9]* requests (1 manifests, 3 blobs, 0 retries); 0 layers (0 bytes) not fetched" "$T/err" &&
    cmp -s "$T/out" "$T/digest.lines" && ok ||
    { bad "digest --verify-layers: not every layer fetched, or other lines"; cat "$T/err"; }
status 0 "digest --verify-layers of a file" digest --verify-layers corpus/real/rebuild-a.tar

# Bad references and answers: one line, exit 2.
trouble "unknown tag" "not found (404)" digest "docker://$R/corpus/rebuild-a:nope"
trouble "unknown repository" "not found (404)" inspect "docker://$R/no/such:1"
trouble "wrong digest" "not found (404)" digest \
    "docker://$R/corpus/rebuild-a@sha256:0000000000000000000000000000000000000000000000000000000000000000"
trouble "bad reference" "bad repository name" digest "docker://$R/Upper:1"
port=$(free_port)
trouble "unreachable host" "cannot reach 127.0.0.1:$port" digest "docker://127.0.0.1:$port/a:1"


# --- faults, through tests/registry_proxy.py in front of the registry ------
python3 tests/registry_proxy.py "$PORT" "$T/proxy.port" "$T/proxy.log" \
    2>"$T/proxy.err" &
PIDS="$PIDS $!"
i=0
until [ -s "$T/proxy.port" ]; do
	i=$((i + 1))
	[ $i -gt 100 ] && { echo "registry: FAIL: the proxy did not start"; cat "$T/proxy.err"; exit 1; }
	sleep 0.1
done
P=127.0.0.1:$(cat "$T/proxy.port")
img=corpus/rebuild-a:1
status 0 "through the proxy, unchanged" digest "docker://$P/pass/$img"
image_fields lines <"$T/out" >"$T/got"
$RUN digest corpus/real/rebuild-a.tar | image_fields lines | cmp -s - "$T/got" && ok ||
    bad "through the proxy: not the file's digests"
trouble "a flipped byte" "does not match its digest" digest "docker://$P/flip/$img"
trouble "a truncated blob" "transfer from 127.0.0.1" digest "docker://$P/truncate/$img"
trouble "a blob shorter than its descriptor" "shorter than the" digest "docker://$P/short/$img"
trouble "a blob longer than its descriptor" "longer than the" digest "docker://$P/long/$img"
status 0 "429, then 200 after Retry-After" digest --verbose "docker://$P/r429/$img"
grep -q "[1-9][0-9]* retries" "$T/err" && ok || { bad "429: no retry counted"; cat "$T/err"; }
trouble "503 every time" "answered HTTP 503" digest "docker://$P/r503/$img"
trouble "a redirect loop" "more than 8 redirects" digest "docker://$P/loop/$img"
trouble "a manifest over 4 MiB" "larger than the limit of 4194304" digest "docker://$P/big/$img"
trouble "an index that lists itself" "does not match its digest" digest "docker://$P/selfindex/$img"
trouble "a slow server" "no answer from 127.0.0.1:.* in 2 seconds" digest --timeout 2 "docker://$P/slow/$img"
trouble "401" "not authorized (401)" digest "docker://$P/s401/$img"
trouble "403" "access denied (403)" inspect "docker://$P/s403/$img"
trouble "Basic asked, no credentials" "not authorized (401)" digest "docker://$P/redirect/$img"
: >"$T/proxy.log"
status 0 "a redirect to blob storage on another host" digest --creds alice:secret \
    "docker://$P/redirect/$img"
if grep -q "^GET /raw/" "$T/proxy.log" && ! grep -q "^GET /raw/.* Basic" "$T/proxy.log" &&
    grep -q "^GET /v2/redirect/.* Basic" "$T/proxy.log"; then ok; else
	bad "credentials followed a redirect to another host (or none was made)"
	cat "$T/proxy.log"; fi
status 0 "Bearer, anonymous token" digest "docker://$P/bearer/$img"
grep -q "^GET /token?mode=bearer&service=test-registry&scope=repository%3Abearer%2Fcorpus%2Frebuild-a%3Apull -" \
    "$T/proxy.log" && ok || { bad "Bearer: no anonymous token request with service and scope"; cat "$T/proxy.log"; }
status 0 "Bearer, token for credentials" digest --creds alice:secret "docker://$P/bearercred/$img"
trouble "Bearer, token refused" "not authorized (401)" digest "docker://$P/bearercred/$img"

# --- -j N: an image's layers fetched and parsed on N threads, each -------
# compressed one inflated in two stages; the bytes -j 1 gives (lib.sh's
# same: -j 2 and -j 4).  Images of several layers (gzip, zstd), one of one
# big gzip layer, an index, package databases.
python3 - "$T/jn" <<'PY'
import gzip, os, random, shutil, subprocess, sys
sys.path.insert(0, "tests/hostile")
import gen
out = sys.argv[1]
def layer(seed, n, big):
    rnd = random.Random(seed)
    files = [gen.tar_file("opt/random-%d.bin" % seed, rnd.randbytes(big))]
    files += [gen.tar_file("app/%d/f%03d" % (seed, i), b"%d %d\n" % (seed, i * i))
              for i in range(n)]
    return gen.tar(*files)
def zstd(d):
    return subprocess.run(["zstd", "-q", "-3", "-c"], input=d, stdout=subprocess.PIPE,
                          check=True).stdout if shutil.which("zstd") else gen.zstd_frame(d)
GZ = (lambda d: gzip.compress(d, 6, mtime=0), "application/vnd.oci.image.layer.v1.tar+gzip")
ZS = (zstd, "application/vnd.oci.image.layer.v1.tar+zstd")
def image(name, tars, comp):
    files = []
    cfg = dict(gen.blob(files, gen.config_of(tars)), mediaType=gen.MT_CONFIG)
    lds = [dict(gen.blob(files, comp[0](t)), mediaType=comp[1]) for t in tars]
    man = gen.cjson({"schemaVersion": 2, "mediaType": gen.MT_MANIFEST,
                     "config": cfg, "layers": lds})
    desc = dict(gen.blob(files, man), mediaType=gen.MT_MANIFEST)
    files += [("oci-layout", b'{"imageLayoutVersion":"1.0.0"}'),
              ("index.json", gen.index_of([desc]))]
    for n, d in files:
        p = os.path.join(out, name, n)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        open(p, "wb").write(d)
# one big gzip layer (8 MiB: the ring between the stages turns over)
image("big-a", [layer(1, 50, 8 << 20)], GZ)
image("big-b", [layer(2, 50, 8 << 20)], GZ)
# six zstd layers, and the same with its top two rebuilt
image("zst-a", [layer(10 + i, 200, 256 << 10) for i in range(6)], ZS)
image("zst-b", [layer(10 + i, 200, 256 << 10) for i in range(4)] +
      [layer(30 + i, 200, 256 << 10) for i in range(2)], ZS)
PY
for n in big-a big-b zst-a zst-b; do
	skopeo copy -q --preserve-digests --dest-tls-verify=false "oci:$T/jn/$n" \
	    "docker://$R/jn/$n:1" >"$T/push.log" 2>&1 || { bad "skopeo copy $n"; cat "$T/push.log"; }
done
J=docker://$R
for img in corpus/rebuild-a corpus/compress-zstd corpus/multiarch-a jn/big-a jn/zst-a \
    pk/apk-ref pk/app-a; do
	same "inspect $img" inspect --verbose --format json --full "$J/$img:1"
	same "inspect --packages $img" inspect --packages --format json "$J/$img:1"
	same "digest --verify-layers $img" digest --verify-layers --verbose "$J/$img:1"
	same "record $img" record -o - "$J/$img:1"
done
for pair in "corpus/rebuild-a corpus/rebuild-b" "jn/big-a jn/big-b" "jn/zst-a jn/zst-b" \
    "pk/apk-ref pk/apk-upgrade" "corpus/multiarch-a corpus/multiarch-b"; do
	set -- $pair
	for f in text json; do
		same "diff --format $f $1 $2" diff --verbose --format $f "$J/$1:1" "$J/$2:1"
	done
done
same "diff registry vs file" diff --format json "$J/jn/zst-a:1" "oci:$T/jn/zst-b"
$RUN record -o "$T/zst-a.fp" "$J/jn/zst-a:1"
same "diff fingerprint vs registry" diff --format json "$T/zst-a.fp" "$J/jn/zst-b:1"
# --cache: cold with each -j (an empty DIR each), then warm from the files
# that run wrote: the report of -j 1 (cold, but for its notes: A and B are
# read at once and share layers, so which side's file the other finds in
# the cache is a race whatever -j), and warm, all of it, --verbose's
# counts too.
for pair in "jn/zst-a jn/zst-b" "pk/apk-ref pk/apk-upgrade"; do
	set -- $pair
	for j in 1 2 4; do
		for run in cold warm; do
			[ $run = cold ] && rm -rf "$T/jc"
			timeout 300 $RUN diff -j $j --cache "$T/jc" --verbose --format json \
			    "$J/$1:1" "$J/$2:1" >"$T/c-$run-$j.out" 2>"$T/c-$run-$j.err"
			echo $? >"$T/c-$run-$j.st"
		done
	done
	[ "$(grep -c ', [1-9] from the cache$' "$T/c-warm-4.err")" -eq 2 ] && ok ||
	    { bad "--cache -j 4 $pair: the warm run read no layer from the cache"; cat "$T/c-warm-4.err"; }
	for j in 2 4; do
		cmp -s "$T/c-cold-1.st" "$T/c-cold-$j.st" &&
		    same_report "$T/c-cold-1.out" "$T/c-cold-$j.out" && ok ||
		    bad "--cache $pair, cold: -j $j is not -j 1"
		cmp -s "$T/c-warm-1.st" "$T/c-warm-$j.st" && cmp -s "$T/c-warm-1.out" "$T/c-warm-$j.out" &&
		    cmp -s "$T/c-warm-1.err" "$T/c-warm-$j.err" && ok ||
		    { bad "--cache $pair, warm: -j $j is not -j 1"; diff "$T/c-warm-1.err" "$T/c-warm-$j.err"; }
	done
done
# Files written by -j 4 are read back by -j 1.
rm -rf "$T/jc"
$RUN diff -j 4 --cache "$T/jc" "$J/jn/zst-a:1" "$J/jn/zst-b:1" >/dev/null 2>&1
status 1 "--cache: -j 1 reads what -j 4 wrote" diff -j 1 --cache "$T/jc" --verbose "$J/jn/zst-a:1" "$J/jn/zst-b:1"
[ "$(grep -c ', [1-9] from the cache$' "$T/err")" -eq 2 ] && ok || { bad "--cache: -j 4's files not read by -j 1"; cat "$T/err"; }
[ -z "$(find "$T/jc" -type f ! -name '*.xxh3')" ] && ok ||
    { bad "--cache -j 4: temporary files left"; ls "$T/jc"; }

# The layers are fetched at once: the proxy's gate holds each blob until
# another one is asked for, and logs how many it answers at once.
: >"$T/proxy.log"
status 0 "-j 4 through the gate" inspect -j 4 "docker://$P/gate/jn/zst-a:1"
[ "$(sed -n 's/^INFLIGHT //p' "$T/proxy.log" | sort -n | tail -1)" -ge 2 ] && ok ||
    { bad "-j 4: no two layers fetched at once"; cat "$T/proxy.log"; }
: >"$T/proxy.log"
status 0 "-j 1 through the gate" inspect -j 1 "docker://$P/gate/jn/zst-a:1"
[ "$(sed -n 's/^INFLIGHT //p' "$T/proxy.log" | sort -n | tail -1)" -eq 1 ] && ok ||
    { bad "-j 1: layers fetched at once"; cat "$T/proxy.log"; }
# One big gzip layer in two stages: a second thread while it streams
# (the proxy sends it slowly), none with -j 1.
threads() {
	$BIN inspect -j "$1" "docker://$P/trickle/jn/big-a:1" >/dev/null 2>&1 &
	pid=$! most=0
	while kill -0 $pid 2>/dev/null; do
		n=$(sed -n 's/^Threads:[[:space:]]*//p' /proc/$pid/status 2>/dev/null)
		[ -n "$n" ] && [ "$n" -gt "$most" ] && most=$n
		sleep 0.02
	done
	wait $pid
	echo $most
}
t1=$(threads 1) t2=$(threads 2)
[ "$t2" -gt "$t1" ] && ok ||
    bad "one big layer: $t1 threads with -j 1, $t2 with -j 2 (want more)"

# A failure in one layer: one line, exit 2, the message -j 1 gives; the
# first layer (the others stop) and the last (read after the others).
same_trouble() {
	what=$1; shift
	same "$what" "$@"
	[ "$r1" -eq 2 ] && [ "$(wc -l <"$T/e1")" -eq 1 ] && [ ! -s "$T/o1" ] && ok ||
	    { bad "$what: exit $r1, want 2 and one line"; cat "$T/e1"; }
}
layer_keys "$R/jn/zst-a:1" >"$T/keys.z"
first=$(sed -n 1p "$T/keys.z" | cut -c8-19) last=$(sed -n 6p "$T/keys.z" | cut -c8-19)
for at in $first $last; do
	same_trouble "a tampered layer ($at)" inspect "docker://$P/flip-$at/jn/zst-a:1"
	grep -q "does not match its digest" "$T/e1" && ok || { bad "tampered: $(cat "$T/e1")"; }
	same_trouble "a missing layer ($at)" inspect "docker://$P/miss-$at/jn/zst-a:1"
	grep -q "not found (404)" "$T/e1" && ok || { bad "missing: $(cat "$T/e1")"; }
	same_trouble "diff, a missing layer ($at)" diff "docker://$P/miss-$at/jn/zst-a:1" \
	    "docker://$P/pass/jn/zst-b:1"
	same_trouble "diff, a tampered layer ($at)" diff "docker://$P/flip-$at/jn/zst-a:1" \
	    "docker://$P/pass/jn/zst-b:1"
done
same_trouble "a truncated layer" inspect "docker://$P/truncate/jn/zst-a:1"
# Credentials are obtained once and shared by the threads: one token
# request for six layers at once; and they never follow a redirect to
# blob storage on another host from any thread.
: >"$T/proxy.log"
same "-j 4, Bearer" inspect --format json "docker://$P/bearer/jn/zst-a:1"
[ "$(grep -c '^GET /token' "$T/proxy.log")" -eq 3 ] && ok ||
    { bad "-j 4, Bearer: not one token request a run"; grep '^GET /token' "$T/proxy.log"; }
: >"$T/proxy.log"
same "-j 4, a redirect to blob storage" inspect --creds alice:secret --format json \
    "docker://$P/redirect/jn/zst-a:1"
[ "$(grep -c '^GET /raw/' "$T/proxy.log")" -ge 21 ] && ! grep -q '^GET /raw/.* Basic' "$T/proxy.log" && ok ||
    { bad "-j 4, redirect: credentials followed it, or layers not fetched there"; cat "$T/proxy.log"; }

# --- plain HTTP with a host other than localhost and 127.0.0.1 ---------------
# 127.0.0.2 is such a host by the rule's names (it needs no network): its
# registry speaks plain HTTP, which is refused unless --tls-verify=false.
if python3 -c 'import socket; socket.socket().bind(("127.0.0.2", 0))' 2>/dev/null; then
	REG_HOST=127.0.0.2 start_registry "$T/other"
	OR=127.0.0.2:$PORT
	skopeo copy -q --preserve-digests --dest-tls-verify=false \
	    oci-archive:corpus/real/rebuild-a.tar "docker://$OR/corpus/rebuild-a:1" \
	    >"$T/push.log" 2>&1 || { bad "skopeo copy to 127.0.0.2"; cat "$T/push.log"; }
	trouble "plain HTTP with another host" \
	    "TLS with $OR failed: .*plain HTTP is spoken only with localhost and 127.0.0.1, or with --tls-verify=false" \
	    digest "docker://$OR/corpus/rebuild-a:1"
	trouble "plain HTTP with another host, inspect" "TLS with $OR failed" \
	    inspect "docker://$OR/corpus/rebuild-a:1"
	status 0 "plain HTTP with another host, --tls-verify=false" \
	    digest --tls-verify=false "docker://$OR/corpus/rebuild-a:1"
	image_fields lines <"$T/out" >"$T/got"
	$RUN digest corpus/real/rebuild-a.tar | image_fields lines | cmp -s - "$T/got" && ok ||
	    bad "plain HTTP with --tls-verify=false: not the file's digests"
else
	echo "registry: SKIP: plain HTTP with another host (127.0.0.2 cannot be bound)"
fi

# --- TLS with a CA of our own, htpasswd Basic auth, on the real registry ----
if command -v openssl >/dev/null 2>&1 && command -v htpasswd >/dev/null 2>&1; then
	S=$T/tls
	mkdir -p "$S/certs"
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=imgdrift test CA" \
	    -keyout "$S/ca.key" -out "$S/certs/ca.crt" 2>/dev/null
	openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
	    -keyout "$S/server.key" -out "$S/server.csr" 2>/dev/null
	printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$S/ext"
	openssl x509 -req -in "$S/server.csr" -CA "$S/certs/ca.crt" -CAkey "$S/ca.key" \
	    -CAcreateserial -days 2 -extfile "$S/ext" -out "$S/server.crt" 2>/dev/null
	htpasswd -Bbn alice secret >"$S/htpasswd" 2>/dev/null
	start_registry "$S" "  tls:
    certificate: $S/server.crt
    key: $S/server.key
auth:
  htpasswd:
    realm: imgdrift-test
    path: $S/htpasswd"
	TR=127.0.0.1:$PORT
	skopeo copy -q --preserve-digests --dest-cert-dir "$S/certs" --dest-creds alice:secret \
	    oci-archive:corpus/real/rebuild-a.tar "docker://$TR/corpus/rebuild-a:1" \
	    >"$T/push.log" 2>&1 || { bad "skopeo copy to the TLS registry"; cat "$T/push.log"; }
	$RUN digest corpus/real/rebuild-a.tar | image_fields lines >"$T/want"
	timg="docker://$TR/corpus/rebuild-a:1"
	status 0 "TLS with --cert-dir and --creds" digest --cert-dir "$S/certs" --creds alice:secret "$timg"
	image_fields lines <"$T/out" | cmp -s - "$T/want" && ok || bad "TLS: not the file's digests"
	trouble "TLS, the CA unknown" "TLS with 127.0.0.1:$PORT failed" digest --creds alice:secret "$timg"
	status 0 "--tls-verify=false" digest --tls-verify=false --creds alice:secret "$timg"
	trouble "TLS, no credentials" "not authorized (401)" digest --cert-dir "$S/certs" "$timg"
	trouble "TLS, a wrong password" "not authorized (401): the credentials were refused" digest --cert-dir "$S/certs" \
	    --creds alice:wrong "$timg"
	trouble "--cert-dir without a certificate" "holds no \*.crt file" digest --cert-dir "$T" "$timg"
	# Credentials from the files the containers tools and docker write.
	b64=$(printf 'alice:secret' | base64)
	mkdir -p "$T/home/.docker" "$T/xdg/containers" "$T/bin"
	printf '{"auths":{"%s":{"auth":"%s"}}}\n' "$TR" "$b64" >"$T/auth.json"
	export REGISTRY_AUTH_FILE="$T/auth.json"
	status 0 "\$REGISTRY_AUTH_FILE" digest --cert-dir "$S/certs" "$timg"
	unset REGISTRY_AUTH_FILE
	cp "$T/auth.json" "$T/xdg/containers/auth.json"
	old_xdg=${XDG_RUNTIME_DIR:-}
	export XDG_RUNTIME_DIR="$T/xdg"
	status 0 "\$XDG_RUNTIME_DIR/containers/auth.json" digest --cert-dir "$S/certs" "$timg"
	XDG_RUNTIME_DIR=$old_xdg
	old_home=$HOME old_path=$PATH
	export HOME="$T/home" PATH="$T/bin:$PATH"
	printf '{"auths":{"https://%s/v1/":{"auth":"%s"}}}\n' "$TR" "$b64" >"$T/home/.docker/config.json"
	status 0 "~/.docker/config.json" digest --cert-dir "$S/certs" "$timg"
	cat >"$T/bin/docker-credential-imgdrifttest" <<'HELPER'
#!/bin/sh
read host
echo "$host" >>"$(dirname "$0")/asked"
[ "$1" = get ] && printf '{"ServerURL":"%s","Username":"alice","Secret":"secret"}\n' "$host"
HELPER
	chmod +x "$T/bin/docker-credential-imgdrifttest"
	printf '{"credHelpers":{"%s":"imgdrifttest"}}\n' "$TR" >"$T/home/.docker/config.json"
	status 0 "credHelpers" digest --cert-dir "$S/certs" "$timg"
	grep -qx "$TR" "$T/bin/asked" && ok || bad "credHelpers: the helper was not asked for $TR"
	printf '{"credsStore":"imgdrifttest"}\n' >"$T/home/.docker/config.json"
	status 0 "credsStore" digest --cert-dir "$S/certs" "$timg"
	cat >"$T/bin/docker-credential-imgdriftbig" <<'HELPER'
#!/bin/sh
head -c 200000 /dev/zero | tr '\0' x
HELPER
	chmod +x "$T/bin/docker-credential-imgdriftbig"
	printf '{"credsStore":"imgdriftbig"}\n' >"$T/home/.docker/config.json"
	trouble "a credential helper's answer over 64 KiB" \
	    "answer larger than the limit of 65536 bytes" \
	    digest --cert-dir "$S/certs" "$timg"
	HOME=$old_home PATH=$old_path
	printf '{"auths":{"%s":{"auth":"bm90IGJhc2U2NA=="}}}\n' "$TR" >"$T/auth.json"
	export REGISTRY_AUTH_FILE="$T/auth.json"
	trouble "an auth that is no USER:PASS" "not base64 of USER:PASS" \
	    digest --cert-dir "$S/certs" "$timg"
	unset REGISTRY_AUTH_FILE
else
	echo "registry: SKIP: TLS and Basic auth (no openssl or htpasswd)"
fi

finish
