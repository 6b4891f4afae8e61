#!/bin/sh
# Over one job (-j over 1) each compressed layer is read in two stages on
# two threads (tar/stream.c, BS_PIPE).  Layers of megabytes, so that the
# ring of blocks between the stages turns over many times, give the bytes
# -j 1 gives in every command, compression and input kind; every way the
# read can fail (a tampered layer, a truncated stream, a damaged tar inside
# it, the input cut while the inflater reads ahead of the parse) is one
# line and exit 2 with the message -j 1 gives, and no hang.  make tsan
# runs it too.  usage: sh tests/pipe.sh ./imgdrift
NAME=pipe; . tests/lib.sh "$@"

python3 - "$T" <<'PY'
import gzip, os, random, shutil, subprocess, sys, zlib
sys.path.insert(0, "tests/hostile")
import gen
out = sys.argv[1]

def layer(variant, damaged=False):
    """A layer of 7 MiB: random bytes, text, and many small files."""
    rnd = random.Random(7)
    big = rnd.randbytes(3 << 20)
    text = b"".join(b"line %d of the log, variant %s\n" % (i, variant.encode())
                    for i in range(120000))
    small = [gen.tar_file("app/f%04d" % i, b"%d\n" % (i * i))
             for i in range(300)]
    mid = [gen.tar_file("app/text.log", text)]
    if damaged:
        # after 3 MiB, 2000 empty files (slow to parse, quick to inflate)
        # and a header block of garbage (libarchive's error), then 1 MiB
        # more for the inflater to read ahead in
        mid = [gen.tar_file("app/e%04d" % i) for i in range(2000)]
        mid += [b"\xa5" * 512, gen.tar_file("opt/more.bin", big[:1 << 20])]
    return gen.tar(gen.tar_file("opt/random.bin", big), *mid, *small)

def zstd(data):
    if shutil.which("zstd"):
        return subprocess.run(["zstd", "-q", "-3", "-c"], input=data,
                              stdout=subprocess.PIPE, check=True).stdout
    return gen.zstd_frame(data)

COMP = {"gz": (lambda d: gzip.compress(d, 6, mtime=0),
               "application/vnd.oci.image.layer.v1.tar+gzip"),
        "zst": (zstd, "application/vnd.oci.image.layer.v1.tar+zstd"),
        "none": (lambda d: d, gen.MT_LAYER)}

def files_of(tars, comp, stored=None):
    """The blobs of one image: its layers compressed with comp (stored:
    the bytes to keep under each layer's digest instead)."""
    pack, mt = COMP[comp]
    blobs = [pack(t) for t in tars]
    files = []
    cfg = dict(gen.blob(files, gen.config_of(tars)), mediaType=gen.MT_CONFIG)
    lds = [dict(gen.blob(files, b), mediaType=mt) for b in blobs]
    if stored is not None:
        files = [(n, stored.get(n, d)) for n, d in files]
    man = gen.cjson({"schemaVersion": 2, "mediaType": gen.MT_MANIFEST,
                     "config": cfg, "layers": lds})
    desc = dict(gen.blob(files, man), mediaType=gen.MT_MANIFEST)
    files += [("oci-layout", b'{"imageLayoutVersion":"1.0.0"}'),
              ("index.json", gen.index_of([desc]))]
    return files, blobs

def archive(name, files):
    open(os.path.join(out, name), "wb").write(gen.tar_members(files))

def layout(name, files):
    for n, d in files:
        p = os.path.join(out, name, n)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        open(p, "wb").write(d)

top = gen.tar(gen.tar_file("etc/motd", b"hello\n"))
for comp in COMP:
    for side in "ab":
        files, _ = files_of([layer(side), top], comp)
        archive("%s-%s.tar" % (side, comp), files)
    layout("a-%s.dir" % comp, files_of([layer("a"), top], comp)[0])
gzip_wrapped = gzip.compress(open(os.path.join(out, "a-zst.tar"), "rb").read(),
                             1, mtime=0)
open(os.path.join(out, "a-zst.tar.gz"), "wb").write(gzip_wrapped)

# A blob whose bytes are not the ones its name says: another image's.
files, blobs = files_of([layer("a"), top], "gz")
name = "blobs/sha256/" + gen.sha(blobs[0])
other = gzip.compress(layer("b"), 6, mtime=0)
archive("tampered.tar", [(n, other if n == name else d) for n, d in files])
# A byte flipped in the middle of the gzip stream.
flipped = bytearray(blobs[0])
flipped[len(flipped) // 2] ^= 0xff
archive("flipped.tar", [(n, bytes(flipped) if n == name else d)
                        for n, d in files])

# Streams cut in half, digested as they are: the decoder's error.
for comp in ("gz", "zst"):
    pack, mt = COMP[comp]
    cut = pack(layer("a"))
    cut = cut[:len(cut) // 2]
    files = []
    cfg = dict(gen.blob(files, gen.config_of([layer("a")])),
               mediaType=gen.MT_CONFIG)
    ld = dict(gen.blob(files, cut), mediaType=mt)
    man = gen.cjson({"schemaVersion": 2, "mediaType": gen.MT_MANIFEST,
                     "config": cfg, "layers": [ld]})
    desc = dict(gen.blob(files, man), mediaType=gen.MT_MANIFEST)
    files += [("oci-layout", b'{"imageLayoutVersion":"1.0.0"}'),
              ("index.json", gen.index_of([desc]))]
    archive("truncated-%s.tar" % comp, files)
    layout("truncated-%s.dir" % comp, files)

# A damaged tar inside a good gzip stream, the layer last in the archive;
# then the same archive cut just after the damage, where the inflater
# reading ahead meets the cut before the parse meets the damage.
files, blobs = files_of([layer("a", damaged=True)], "gz")
lname = "blobs/sha256/" + gen.sha(blobs[0])
files = [f for f in files if f[0] != lname] + [(lname, blobs[0])]
data = gen.tar_members(files)
open(os.path.join(out, "damaged.tar"), "wb").write(data)
d, got, at = zlib.decompressobj(31), 0, 0
while got < 512 + (3 << 20) + 2001 * 512:	# to the end of the damage
    got += len(d.decompress(blobs[0][at:at + 1024]))
    at += 1024
# The stage reads 64 KiB at a time: cut in the middle of the read after
# the one the damage is in (libarchive gives no part of a read it cuts).
at = data.index(blobs[0]) + (at // 65536 + 1) * 65536 + 32768
open(os.path.join(out, "damaged-cut.tar"), "wb").write(data[:at])
PY
[ -f "$T/damaged-cut.tar" ] || { bad "the generator failed"; finish; exit 1; }

# Every input kind, every command, -j 1 against -j 2 and -j 4.
for c in gz zst none; do
	for f in "$T/a-$c.tar" "$T/a-$c.dir"; do
		same "inspect $f" inspect --format json --full "$f"
		same "digest $f" digest "$f"
		same "record $f" record -o - "$f"
	done
	for fmt in text json; do
		same "diff $c $fmt" diff --format "$fmt" "$T/a-$c.tar" "$T/b-$c.tar"
	done
done
same "inspect a gzip wrapper of zstd layers" inspect --format json --full "$T/a-zst.tar.gz"
SAME_IN=$T/a-gz.tar same "inspect from standard input" inspect --format json -
$RUN record -o "$T/a.fp" "$T/a-gz.tar"
same "diff FINGERPRINT IMAGE" diff --format json "$T/a.fp" "$T/b-gz.tar"
$RUN inspect -j 2 --format json "$T/a-gz.tar" >"$T/j2" 2>"$T/err"
grep -q '"entries": 302,' "$T/j2" && ok ||
	bad "-j 2 did not read the whole large layer"

# Every failure: one line, exit 2, what -j 1 says, and no hang.
for j in 1 2; do
	trouble "tampered layer, -j $j" "does not match" inspect -j $j "$T/tampered.tar"
	trouble "flipped byte, -j $j" "blob 'blobs/sha256/" inspect -j $j "$T/flipped.tar"
	for c in gz zst; do
		trouble "truncated $c layer, -j $j" "truncated" inspect -j $j "$T/truncated-$c.tar"
		trouble "truncated $c layout blob, -j $j" "truncated" inspect -j $j "$T/truncated-$c.dir"
	done
	trouble "damaged tar in gzip, -j $j" "entry 2002" inspect -j $j "$T/damaged.tar"
	trouble "cut after the damage, -j $j" "Truncated" inspect -j $j "$T/damaged-cut.tar"
	trouble "cut after the damage on standard input, -j $j" "Truncated" \
		inspect -j $j - <"$T/damaged-cut.tar"
done
for f in tampered flipped truncated-gz truncated-zst damaged damaged-cut; do
	same "$f" inspect "$T/$f.tar"
done
same "truncated layout blob" inspect "$T/truncated-gz.dir"
SAME_IN=$T/damaged-cut.tar same "cut on standard input" inspect -
same "diff against the tampered layer" diff "$T/a-gz.tar" "$T/tampered.tar"

finish
