#!/bin/sh
# bench/run.sh - the benchmark harness: make the workloads, time imgdrift
# against the reference of each, print the table (docs/performance.md).
#
#   make bench            full size (about 15 GB of scratch, under an hour)
#   make bench QUICK=1    a tenth of the size, a few minutes
#
# Run from the repository root.  Needs pigz, igzip (isal), zstd, openssl,
# python3, a C compiler and libarchive/libxxhash headers; diffoscope is
# optional (Debian: apt-get install -y pigz isal zstd diffoscope-minimal).
set -eu
[ -f bench/bench.py ] || { echo "bench: run from the repository root" >&2; exit 2; }
if [ "${QUICK:-}" = 1 ] && [ -z "${BENCH_SCALE:-}" ]; then
    BENCH_SCALE=0.1
    export BENCH_SCALE
fi
exec python3 bench/bench.py
