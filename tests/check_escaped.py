#!/usr/bin/env python3
"""Exit 1, naming the first offence, when a file holds what an escaper must
never let through to a terminal or a document: bytes that are not UTF-8,
control characters other than newline and tab, bidirectional controls,
and the invisible characters that make a name look like two lines or
like another name.

usage: python3 tests/check_escaped.py FILE...
"""

import sys

INVISIBLE = set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A)) | \
    set(range(0x200B, 0x2010)) | set(range(0x2060, 0x2065)) | \
    {0x061C, 0x2028, 0x2029, 0xFEFF}


def offence(data):
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return "byte 0x%02x at %d is not UTF-8" % (data[e.start], e.start)
    for i, ch in enumerate(text):
        c = ord(ch)
        if (c < 0x20 and ch not in "\n\t") or 0x7F <= c <= 0x9F or \
                c in INVISIBLE:
            return "U+%04X at character %d" % (c, i)
    return None


def main():
    bad = 0
    for path in sys.argv[1:]:
        with open(path, "rb") as f:
            what = offence(f.read())
        if what:
            print("%s: raw %s" % (path, what))
            bad = 1
    return bad


if __name__ == "__main__":
    sys.exit(main())
