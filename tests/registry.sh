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

# start_registry DIR [EXTRA_YAML]: a registry serving DIR/storage; sets PORT.
start_registry() {
	dir=$1
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
  addr: 127.0.0.1:$PORT
${2:-}
YML
	docker-registry serve "$dir/config.yml" >"$dir/log" 2>&1 &
	PIDS="$PIDS $!"
	i=0
	until curl -skf -o /dev/null "http://127.0.0.1:$PORT/v2/" ||
	    curl -sk -o /dev/null "https://127.0.0.1:$PORT/v2/"; do
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
# The same image twice: same-digest (identical is for the same file).
status 0 "diff the same registry image" diff --require same-digest \
    "docker://$R/corpus/rebuild-a:1" "docker://$R/corpus/rebuild-a:1"
grep -q "same-digest" "$T/out" && ok || bad "the same registry image is not same-digest"
# A registry image against its own archive.
status 0 "diff registry vs file of the same image" diff --require byte-equivalent \
    "docker://$R/corpus/rebuild-a:1" corpus/real/rebuild-a.tar
status 0 "record from a registry" record -o "$T/fp" "docker://$R/corpus/rebuild-a:1"
status 0 "diff fingerprint vs registry" diff "$T/fp" "docker://$R/corpus/rebuild-a:1"

# Bad references and answers: one line, exit 2.
trouble "unknown tag" "not found (404)" digest "docker://$R/corpus/rebuild-a:nope"
trouble "unknown repository" "not found (404)" inspect "docker://$R/no/such:1"
trouble "wrong digest" "not found (404)" digest \
    "docker://$R/corpus/rebuild-a@sha256:0000000000000000000000000000000000000000000000000000000000000000"
trouble "bad reference" "bad repository name" digest "docker://$R/Upper:1"
port=$(free_port)
trouble "unreachable host" "cannot reach 127.0.0.1:$port" digest "docker://127.0.0.1:$port/a:1"

finish
