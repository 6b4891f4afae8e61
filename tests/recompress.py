#!/usr/bin/env python3
"""Compress the layers of a legacy docker-archive with a real tool.

usage: recompress.py IN.tar OUT.tar TOOL [ARG...]

Every member that manifest.json names in Layers is piped through
`TOOL ARG...` (xz -c, bzip2 -c, ...) and stored under the same name, as
`docker load` accepts; the other members are copied as they are.
"""
import io
import json
import subprocess
import sys
import tarfile


def main():
    src, out, tool = sys.argv[1], sys.argv[2], sys.argv[3:]
    with tarfile.open(src) as t, tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as o:
        layers = set()
        for m in json.load(t.extractfile("manifest.json")):
            layers.update(m["Layers"])
        for ti in t.getmembers():
            if not ti.isreg():
                o.addfile(ti)
                continue
            data = t.extractfile(ti).read()
            if ti.name in layers:
                data = subprocess.run(tool, input=data, stdout=subprocess.PIPE,
                                      check=True).stdout
                ti.size = len(data)
            o.addfile(ti, io.BytesIO(data))


if __name__ == "__main__":
    main()
