#!/usr/bin/env python3
"""Write the hostile inputs of `imgdrift lint` into OUTDIR (made afresh).

usage: python3 tests/hostile/gen_lint.py OUTDIR

Each case is a build context OUTDIR/NAME/ holding a Dockerfile and what it
names.  Symbolic links and FIFOs cannot live in git, and the large cases
would be megabytes of repetition, so this script is what is committed;
tests/lint.sh runs it and checks what lint makes of each case.
"""
import os
import shutil
import sys

PINNED = ("FROM --platform=linux/amd64 debian:12@sha256:"
          + "0123456789abcdef" * 4 + "\n")


def pip_r(path):
    return PINNED + "RUN pip install -r " + path + "\n"


def case_dotdot(d):
    return pip_r("../../../../../../../../etc/passwd")


def case_absolute(d):
    return pip_r("/etc/passwd")


def case_symlink_file(d):
    os.symlink("/etc/passwd", os.path.join(d, "requirements.txt"))
    return pip_r("requirements.txt")


def case_symlink_dir(d):
    os.symlink("/etc", os.path.join(d, "etc"))
    return pip_r("etc/passwd")


def case_fifo(d):
    os.mkfifo(os.path.join(d, "requirements.txt"))
    return pip_r("requirements.txt")


def case_not_requirements(d):
    # lines of a passwd file that made it into the context: counted, never
    # quoted
    with open(os.path.join(d, "requirements.txt"), "w") as f:
        f.write("root:x:0:0:root:/root:/bin/bash\n"
                "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n")
    return pip_r("requirements.txt")


CASES = {
    "ctx-dotdot": case_dotdot,
    "ctx-absolute": case_absolute,
    "ctx-symlink-file": case_symlink_file,
    "ctx-symlink-dir": case_symlink_dir,
    "ctx-fifo": case_fifo,
    "ctx-not-requirements": case_not_requirements,
}


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__.strip().splitlines()[2])
    out = sys.argv[1]
    shutil.rmtree(out, ignore_errors=True)
    for name, make in CASES.items():
        d = os.path.join(out, name)
        os.makedirs(d)
        text = make(d)
        mode = "wb" if isinstance(text, bytes) else "w"
        with open(os.path.join(d, "Dockerfile"), mode) as f:
            f.write(text)


if __name__ == "__main__":
    main()
