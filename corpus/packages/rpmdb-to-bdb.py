#!/usr/bin/env python3
"""Help make-packages.sh write an rpm Berkeley DB Packages file.

usage: rpmdb-to-bdb.py dump RPMDB.SQLITE > DUMP   (input for db5.3_load -f)
       rpmdb-to-bdb.py pin PACKAGES               (zero the bytes BDB leaves
                                                   to chance, in place)

dump: the header blobs of rpm's sqlite Packages table as a Berkeley DB
dump of a hash database (db_dump's bytevalue format), keyed by the
header number, 4 bytes little-endian (native order on amd64, as rpm's
BDB backend stored it), with key 0 holding the next free header number.

pin: Berkeley DB stamps each file with a unique id (meta page bytes
52..71) and leaves the padding of overflow references and the free
space of hash and overflow pages as it found them in memory.  No reader
looks at them; zeroing them makes reruns give the same bytes.
"""
import sqlite3
import struct
import sys


def dump(path):
    db = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    rows = db.execute("SELECT hnum, blob FROM Packages ORDER BY hnum").fetchall()
    db.close()
    out = ["VERSION=3", "format=bytevalue", "type=hash", "db_pagesize=4096",
           "HEADER=END"]
    nxt = max([h for h, _ in rows] + [0]) + 1
    out += [" " + struct.pack("<I", 0).hex(), " " + struct.pack("<I", nxt).hex()]
    for hnum, blob in rows:
        out += [" " + struct.pack("<I", hnum).hex(), " " + bytes(blob).hex()]
    out.append("DATA=END")
    sys.stdout.write("\n".join(out) + "\n")


def pin(path):
    d = bytearray(open(path, "rb").read())
    meta = struct.unpack_from("<10I", d, 0)
    if meta[3] != 0x00061561:
        sys.exit("%s: not a little-endian Berkeley DB hash database" % path)
    ps, last = meta[5], meta[8]
    d[52:72] = bytes(20)
    for pg in range(1, last + 1):
        o = pg * ps
        n, hf = struct.unpack_from("<HH", d, o + 20)
        typ = d[o + 25]
        if typ in (2, 13):                      # hash page
            offs = struct.unpack_from("<%dH" % n, d, o + 26)
            d[o + 26 + 2 * n:o + hf] = bytes(hf - 26 - 2 * n)
            for off in offs:
                if d[o + off] == 3:             # overflow reference
                    d[o + off + 1:o + off + 4] = bytes(3)
        elif typ == 7:                          # overflow page: hf is its length
            d[o + 26 + hf:o + ps] = bytes(ps - 26 - hf)
    open(path, "wb").write(d)


if __name__ == "__main__":
    {"dump": dump, "pin": pin}[sys.argv[1]](sys.argv[2])
