#!/usr/bin/env python3
"""Set the mtime of every member header of a tar archive to a fixed value,
in place, touching nothing else (the tar dialect of the tool that wrote it
is kept).  buildah and skopeo write oci-archive wrappers with the current
time in every member header; this pins them so that reruns give the same
bytes.

usage: pin-tar-mtime.py ARCHIVE MTIME
"""
import sys
path, mtime = sys.argv[1], int(sys.argv[2])
data = bytearray(open(path, 'rb').read())
off = 0
while off + 512 <= len(data):
    h = data[off:off + 512]
    if h == bytes(512):
        break
    if h[257:262] != b'ustar':
        sys.exit('%s: not a ustar header at %d' % (path, off))
    s = h[124:136]
    if s[0] & 0x80:
        sys.exit('%s: base-256 size at %d' % (path, off))
    size = int(s.rstrip(b'\0 ').decode() or '0', 8)
    typ = h[156:157]
    if typ in (b'x', b'g') and b' mtime=' in bytes(data[off + 512:off + 512 + size]):
        sys.exit('%s: PAX mtime record at %d' % (path, off))
    data[off + 136:off + 148] = b'%011o\0' % mtime
    data[off + 148:off + 156] = b' ' * 8
    csum = sum(data[off:off + 512])
    data[off + 148:off + 156] = b'%06o\0 ' % csum
    off += 512 + (size + 511) // 512 * 512
open(path, 'wb').write(data)
