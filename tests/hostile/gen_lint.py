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


def case_bom(d):
    # the escape directive only works if the mark is skipped
    return ("\ufeff# escape=`\nFROM ubuntu:22.04\n"
            "RUN apk add `\n  jq\n").encode()


def case_nul(d):
    return b"FROM a:1\nRUN apk\0 add jq\n"


def case_arg_bomb(d):
    # each default doubles the one before: 2^41 bytes if nothing stops it
    lines = ["ARG A0=xx"]
    lines += ["ARG A%d=${A%d}${A%d}" % (i, i - 1, i - 1) for i in range(1, 42)]
    return "\n".join(lines) + "\nFROM img:${A41}\n"


# The large cases fill LINT_FILE_MAX (4 MiB) less a margin.
LARGE = 4 * 1024 * 1024 - 4096


def case_long_line_apk(d):
    # one 4 MB line of words: a column per word from the line start was
    # quadratic
    return PINNED + "RUN apk add " + "a " * ((LARGE - 200) // 2) + "\n"


def case_long_line_pip(d):
    return PINNED + "RUN pip install " + "a " * ((LARGE - 200) // 2) + "\n"


def case_many_stages(d):
    # every FROM was compared with every stage before it
    out, i = ["FROM scratch AS s0\n"], 1
    size = len(out[0])
    while size < LARGE:
        line = "FROM S%d AS s%d\n" % (i - 1, i)
        out.append(line)
        size += len(line)
        i += 1
    return "".join(out)


def case_many_args(d):
    # every reference looked through every ARG declared before it
    out, i = ["ARG A0=debian:12\n"], 1
    size = len(out[0])
    while size < LARGE - 100:
        line = "ARG B%d=$A0\n" % i
        out.append(line)
        size += len(line)
        i += 1
    out.append("FROM $A0\n")
    return "".join(out)


CASES = {
    "ctx-dotdot": case_dotdot,
    "ctx-absolute": case_absolute,
    "ctx-symlink-file": case_symlink_file,
    "ctx-symlink-dir": case_symlink_dir,
    "ctx-fifo": case_fifo,
    "ctx-not-requirements": case_not_requirements,
    "bom": case_bom,
    "nul": case_nul,
    "arg-bomb": case_arg_bomb,
    "large-line-apk": case_long_line_apk,
    "large-line-pip": case_long_line_pip,
    "large-stages": case_many_stages,
    "large-args": case_many_args,
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
