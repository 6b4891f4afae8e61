#!/bin/sh
# The second look in a stored layer starts at the checkpoint before the
# changed file (tar/fetch.c, every TAR_CKPT_EVERY = 1024 entries), not at
# the layer's start.  Layers of over 3,000 entries, with a pax global header
# first, pax long names at the checkpoints, hardlinks to files before them
# and whiteouts, the changed file after the third checkpoint; one layer
# also holds a ustar hardlink with data after the pax global header, which
# a parse started mid-layer reads otherwise (it is then read from the
# start).  In an OCI archive, a docker-archive, a layout directory and the
# layer itself (a bare layer), with -j 1, 2 and 4, the report is the one of
# the same images with gzip layers (or the layer in a gzip wrapper), which
# the second look inflates from the start, and names the changed byte.
# usage: sh tests/look.sh ./imgdrift
NAME=look; . tests/lib.sh "$@"

python3 - "$T" <<'PY'
import gzip, os, sys
sys.path.insert(0, "tests/hostile")
import gen
out = sys.argv[1]
N = 3 * 1024 + 300
CHANGED = 3 * 1024 + 200	# its ordinal, after the third checkpoint
LINE = 57			# the line of it that B changes

def text(side):
    lines = [b"line %03d of the changed file, the same in both\n" % i
             for i in range(100)]
    if side == "b":
        lines[LINE] = lines[LINE].replace(b"same", b"SAME")
    return b"".join(lines)

def layer(side, odd=False):
    m = [gen.tar_file("pax_global_header", b"17 comment=hello\n", typ=b"g")]
    for i in range(N):
        if i == CHANGED:
            m.append(gen.tar_file("app/changed.txt", text(side)))
        elif i % 1024 == 0 and i > 0 and not odd:
            name = "app/%s/long-%d.js" % ("n" * 120, i)
            m.append(gen.pax({"path": name.encode()}))
            m.append(gen.tar_file(name[:99], b"long %d\n" % i))
        elif i % 200 == 7:
            m.append(gen.tar_header("app/links/h%05d" % i, typ=b"1",
                                    linkname=b"app/m0005/index.js"))
        elif i % 500 == 9:
            m.append(gen.tar_file("app/old/.wh.gone%05d" % i))
        elif odd and i == CHANGED - 50:
            # a hardlink with data that is a header: taken as data after
            # the pax global header, as one more entry without it (the
            # layer has no pax header at a checkpoint, which would do as
            # well)
            m.append(gen.tar_header("app/links/odd", 512, typ=b"1",
                                    linkname=b"app/m0005/index.js"))
            m.append(gen.tar_header("app/ghost", 0))
        else:
            m.append(gen.tar_file("app/m%04d/index.js" % i,
                                  b"module.exports = %d;\n" % i))
    return gen.tar(*m)

def oci(name, layers, comp=None, as_dir=False):
    files = []
    pack = (lambda d: gzip.compress(d, 6, mtime=0)) if comp else (lambda d: d)
    mt = gen.MT_LAYER + ("+gzip" if comp else "")
    cfg = dict(gen.blob(files, gen.config_of(layers)), mediaType=gen.MT_CONFIG)
    lds = [dict(gen.blob(files, pack(l)), mediaType=mt) for l in layers]
    man = gen.cjson({"schemaVersion": 2, "mediaType": gen.MT_MANIFEST,
                     "config": cfg, "layers": lds})
    desc = dict(gen.blob(files, man), mediaType=gen.MT_MANIFEST)
    files += [("oci-layout", b'{"imageLayoutVersion":"1.0.0"}'),
              ("index.json", gen.index_of([desc]))]
    if not as_dir:
        open(os.path.join(out, name), "wb").write(gen.tar_members(files))
        return
    for n, d in files:
        p = os.path.join(out, name, n)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        open(p, "wb").write(d)

def docker(name, layers):
    cfg = gen.config_of(layers)
    cname = gen.sha(cfg) + ".json"
    lnames = ["%064d/layer.tar" % i for i in range(len(layers))]
    files = [(cname, cfg)] + list(zip(lnames, layers))
    files.append(("manifest.json", gen.docker_manifest([(cname, lnames)])))
    open(os.path.join(out, name), "wb").write(gen.tar_members(files))

top = gen.tar(gen.tar_file("etc/motd", b"hello\n"))
for side in "ab":
    for odd in (False, True):
        ls = [layer(side, odd), top]
        tag = side + ("-odd" if odd else "")
        oci(tag + ".tar", ls)
        oci(tag + ".dir", ls, as_dir=True)
        docker(tag + "-docker.tar", ls)
        oci(tag + "-gz.tar", ls, comp="gzip")
        # the layer itself (a bare layer), and gzip-compressed
        open(os.path.join(out, tag + "-layer.tar"), "wb").write(ls[0])
        open(os.path.join(out, tag + "-layer.tar.gz"), "wb").write(
            gzip.compress(ls[0], 6, mtime=0))
a, b = text("a"), text("b")
open(os.path.join(out, "offset"), "w").write(
    "%d\n" % next(i for i in range(len(a)) if a[i] != b[i]))
PY
[ -f "$T/offset" ] || { bad "the generator failed"; finish; exit 1; }

# The content findings of a JSON report: what the second look gives.
looked() {
	python3 - "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for f in d["findings"]:
    if f["class"] == "content":
        print(json.dumps([f["path"], f["offset"], f["detail"], f["cause"],
                          f["explained"]]))
print(json.dumps(d["second_look"]))
PY
}

for odd in "" "-odd"; do
	$RUN diff --format json "$T/a$odd-gz.tar" "$T/b$odd-gz.tar" >"$T/ref.json"
	looked "$T/ref.json" >"$T/ref"
	if grep -q "\"app/changed.txt\", $(cat "$T/offset"), " "$T/ref" &&
	    grep -q "SAME" "$T/ref"; then ok
	else bad "gzip$odd: the changed byte is not shown"; cat "$T/ref"; fi
	for k in .tar .dir -docker.tar; do
		same "diff a$odd$k" diff --format json "$T/a$odd$k" "$T/b$odd$k"
		$RUN diff --format json "$T/a$odd$k" "$T/b$odd$k" >"$T/got.json"
		looked "$T/got.json" >"$T/got"
		if cmp -s "$T/ref" "$T/got"; then ok
		else bad "a$odd$k: the second look differs from a gzip layer's"
			diff "$T/ref" "$T/got" | head -5; fi
		same "diff a$odd$k text" diff "$T/a$odd$k" "$T/b$odd$k"
	done
	$RUN diff --format json "$T/a$odd-layer.tar.gz" "$T/b$odd-layer.tar.gz" \
	    >"$T/ref.json"
	looked "$T/ref.json" >"$T/ref"
	same "diff a$odd-layer.tar" diff --format json "$T/a$odd-layer.tar" \
	    "$T/b$odd-layer.tar"
	$RUN diff --format json "$T/a$odd-layer.tar" "$T/b$odd-layer.tar" \
	    >"$T/got.json"
	looked "$T/got.json" >"$T/got"
	if grep -q "\"app/changed.txt\", $(cat "$T/offset"), " "$T/got" &&
	    cmp -s "$T/ref" "$T/got"; then ok
	else bad "a$odd-layer.tar: the second look differs from a gzip wrapper's"
		diff "$T/ref" "$T/got" | head -5; fi
done

finish
