#!/usr/bin/env python3
"""bench/registry.py - imgdrift diff of two images in a registry, against
copying both to archives with skopeo and diffing those (docs/performance.md).

    make bench-registry          BENCH_SCALE=0.1 unless given

Workload (a) of bench/gen.py is made (BENCH_OUT, default bench/out); its
build A, and A with its top layer replaced by the top layer of the rebuild
B (so the two share all but their top layer), are pushed with skopeo
--preserve-digests to Debian's docker-registry started on 127.0.0.1 with a
free port and temporary storage.  Then, BENCH_RUNS times each (after a
warm-up), alternately:

  imgdrift   imgdrift diff --verbose docker://.../bench:a docker://.../bench:b
  copy+diff  skopeo copy of both to oci-archive files, then imgdrift diff
             of the two files

  --cache    imgdrift diff --cache DIR of the same two, cold (DIR empty)
             then warm (DIR as the cold run left it)

  -j N       imgdrift inspect of bench:a with -j 1 and -j 2, and diff -q of
             bench:a against the rebuild B (bench:bfull: every layer
             differs) with -j 1, 2 and 4: wall and CPU time, alternately

It prints the bytes imgdrift fetched (its --verbose lines) against the sum
of both images' blobs and against what the answer needs (the top layers,
manifests and configs), the layers read from the cache, and the median
wall times.  Needs docker-registry, skopeo and the tools of bench/run.sh.
"""
import json
import os
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests"))
from oci_swap import top_swapped  # noqa: E402


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def start_registry(tmp):
    port = free_port()
    cfg = os.path.join(tmp, "config.yml")
    with open(cfg, "w") as f:
        f.write("version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\n"
                "storage:\n  filesystem:\n    rootdirectory: %s/storage\n"
                "http:\n  addr: 127.0.0.1:%d\n" % (tmp, port))
    p = subprocess.Popen(["docker-registry", "serve", cfg],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        if subprocess.run(["curl", "-sf", "-o", "/dev/null",
                           "http://127.0.0.1:%d/v2/" % port]).returncode == 0:
            return p, port
        time.sleep(0.1)
    p.terminate()
    raise SystemExit("bench: docker-registry did not start")


def timed(cmd, ok=(0, 1)):
    t = time.monotonic()
    r = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.monotonic() - t
    if r.returncode not in ok:
        raise SystemExit("bench: %s: exit %d\n%s" % (" ".join(cmd), r.returncode, r.stderr))
    return wall, r


def timed_cpu(cmd):
    """Wall and CPU (user + system) seconds of cmd, which must exit 0 or 1."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall, _ = timed(cmd)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def jobs_sweep(imgdrift, runs, ref_a, ref_bfull):
    """-j 1 against -j 2 (and 4 for diff), alternately after a warm-up."""
    cases = [("inspect bench:a", ["inspect"], [ref_a], (1, 2)),
             ("diff -q bench:a bench:bfull", ["diff", "-q"], [ref_a, ref_bfull], (1, 2, 4))]
    print("| command | -j | wall (median, min-max) | CPU (median) |")
    print("|---|---|---|---|")
    for name, cmd, refs, js in cases:
        res = {j: [] for j in js}
        for j in js:
            timed_cpu([imgdrift] + cmd + ["-j", str(j)] + refs)
        for _ in range(runs):
            for j in js:
                res[j].append(timed_cpu([imgdrift] + cmd + ["-j", str(j)] + refs))
        for j in js:
            ws = [w for w, _ in res[j]]
            print("| %s | %d | %.2f s (%.2f-%.2f) | %.2f s |" % (
                name, j, statistics.median(ws), min(ws), max(ws),
                statistics.median(c for _, c in res[j])))
    print("load average after: %.1f" % os.getloadavg()[0])


def main():
    scale = float(os.environ.get("BENCH_SCALE") or 0.1)
    runs = int(os.environ.get("BENCH_RUNS") or 3)
    out = os.environ.get("BENCH_OUT") or os.path.join(ROOT, "bench", "out")
    imgdrift = os.environ.get("IMGDRIFT") or os.path.join(ROOT, "imgdrift")
    for t in ("docker-registry", "skopeo", "curl"):
        if shutil.which(t) is None:
            raise SystemExit("bench: missing tool '%s' (apt-get install -y "
                             "docker-registry skopeo curl)" % t)
    os.makedirs(out, exist_ok=True)
    subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen.py"), out,
                    repr(scale), "a"], check=True)
    wdir = os.path.join(out, "a")
    tmp = tempfile.mkdtemp(prefix="imgdrift-bench-registry.", dir=out)
    reg = None
    try:
        ma, mb, mswap = top_swapped(os.path.join(wdir, "A.tar"),
                                    os.path.join(wdir, "B.tar"),
                                    os.path.join(tmp, "swapped"))
        reg, port = start_registry(tmp)
        r = "127.0.0.1:%d" % port
        push = ["skopeo", "copy", "-q", "--preserve-digests", "--dest-tls-verify=false"]
        subprocess.run(push + ["oci-archive:" + os.path.join(wdir, "A.tar"),
                               "docker://%s/bench:a" % r], check=True)
        subprocess.run(push + ["oci:" + os.path.join(tmp, "swapped"),
                               "docker://%s/bench:b" % r], check=True)
        subprocess.run(push + ["oci-archive:" + os.path.join(wdir, "B.tar"),
                               "docker://%s/bench:bfull" % r], check=True)

        def blobs(m):
            return sum(d["size"] for d in m["layers"]) + m["config"]["size"] + \
                len(json.dumps(m))
        total = blobs(ma) + blobs(mswap)
        need = ma["layers"][-1]["size"] + mswap["layers"][-1]["size"] + \
            ma["config"]["size"] + mswap["config"]["size"]
        ref_a, ref_b = "docker://%s/bench:a" % r, "docker://%s/bench:b" % r
        direct = [imgdrift, "diff", "--verbose", "--format", "json", ref_a, ref_b]
        arch = [os.path.join(tmp, "a.tar"), os.path.join(tmp, "b.tar")]

        def copy_then_diff():
            for f in arch:
                if os.path.exists(f):
                    os.unlink(f)
            t = time.monotonic()
            for ref, f in zip((ref_a, ref_b), arch):
                subprocess.run(["skopeo", "copy", "-q", "--src-tls-verify=false",
                                ref, "oci-archive:" + f], check=True)
            w, _ = timed([imgdrift, "diff", "--format", "json"] + arch)
            return time.monotonic() - t
        timed(direct)
        copy_then_diff()
        walls, refs, fetched, verdicts = [], [], [], []
        for _ in range(runs):
            w, res = timed(direct)
            walls.append(w)
            fetched.append(sum(int(x) for x in re.findall(r"fetched (\d+) bytes", res.stderr)))
            verdicts.append(json.loads(res.stdout)["verdict"])
            refs.append(copy_then_diff())
        cache = os.path.join(tmp, "cache")
        cached = direct[:2] + ["--cache", cache] + direct[2:]
        runs_c = {"cold": ([], [], []), "warm": ([], [], [])}
        for _ in range(runs):
            shutil.rmtree(cache, ignore_errors=True)
            for kind in ("cold", "warm"):
                w, res = timed(cached)
                ws, fs, cs = runs_c[kind]
                ws.append(w)
                fs.append(sum(int(x) for x in re.findall(r"fetched (\d+) bytes", res.stderr)))
                cs.append(sum(int(x) for x in re.findall(r"(\d+) from the cache", res.stderr)))
                verdicts.append(json.loads(res.stdout)["verdict"])
        _, res = timed([imgdrift, "diff", "--format", "json"] + arch)
        ref_verdict = json.loads(res.stdout)["verdict"]
        print("imgdrift from a registry: workload (a), scale %g, %d runs after a warm-up" %
              (scale, runs))
        print("| | bytes | wall (median, min-max) | verdict |")
        print("|---|---|---|---|")
        print("| imgdrift diff docker:// docker:// | %d fetched (%.1f%% of %d in both images' blobs; "
              "top layers + configs: %d) | %.2f s (%.2f-%.2f) | %s |" % (
                  fetched[0], 100.0 * fetched[0] / total, total, need,
                  statistics.median(walls), min(walls), max(walls), verdicts[0]))
        print("| skopeo copy x2 + imgdrift diff of the archives | %d copied | %.2f s (%.2f-%.2f) | %s |" % (
            total, statistics.median(refs), min(refs), max(refs), ref_verdict))
        for kind in ("cold", "warm"):
            ws, fs, cs = runs_c[kind]
            print("| imgdrift diff --cache DIR, %s | %d fetched, %d layers from the cache | "
                  "%.2f s (%.2f-%.2f) | %s |" % (kind, fs[0], cs[0], statistics.median(ws),
                                                min(ws), max(ws), verdicts[-1]))
        print("ratio of wall times: %.2fx" % (statistics.median(walls) / statistics.median(refs)))
        print("warm against cold --cache: %.2fx the wall time, %d of %d bytes fetched" % (
            statistics.median(runs_c["warm"][0]) / statistics.median(runs_c["cold"][0]),
            runs_c["warm"][1][0], runs_c["cold"][1][0]))
        if len(set(verdicts)) != 1:
            raise SystemExit("bench: the verdicts differ: %s" % verdicts)
        jobs_sweep(imgdrift, runs, ref_a, "docker://%s/bench:bfull" % r)
    finally:
        if reg is not None:
            reg.send_signal(signal.SIGTERM)
            reg.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
