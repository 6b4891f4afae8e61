#!/usr/bin/env python3
"""check_help.py BIN MANPAGE - every subcommand's --help against imgdrift.1.

For each command `imgdrift --help` lists:
  - `imgdrift CMD --help` describes each option in one line;
  - the options it lists (long and short, --help itself aside) are the
    options imgdrift.1 lists under that command, no more, no fewer;
  - the parser accepts each of them (no "unknown option" from
    `imgdrift CMD OPTION [ARG]`) with or without its argument as --help
    shows it.
Prints one line per problem and exits 1 when there is any.
"""
import re
import subprocess
import sys

HELP_LINE = re.compile(r"^  (?:-(\w), |    )--([a-z0-9-]+)(?: (\S+))?  +\S")


def run(args):
    p = subprocess.run(args, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def commands(binary):
    _, out, _ = run([binary, "--help"])
    return re.findall(r"^   ([a-z]+) ", out, re.M)


def help_options(binary, cmd, problems):
    """{option: takes_arg} from CMD --help, long and short spellings."""
    rc, out, _ = run([binary, cmd, "--help"])
    if rc != 0:
        problems.append(f"{cmd} --help: exit {rc}")
    opts = {}
    in_opts = False
    for line in out.splitlines():
        if line == "options:":
            in_opts = True
            continue
        if not in_opts:
            continue
        if line == "":
            break
        m = HELP_LINE.match(line)
        if not m:
            problems.append(f"{cmd} --help: not one option in one line: {line!r}")
            continue
        short, name, arg = m.groups()
        opts["--" + name] = arg is not None
        if short:
            opts["-" + short] = arg is not None
    if not opts:
        problems.append(f"{cmd} --help lists no options")
    return opts


def man_sections(man):
    """{command: set of options} from the COMMANDS section of imgdrift.1:
    a command is a top-level `.TP` / `.B NAME`; its options are the first
    lines of the `.TP` items of its `.RS` ... `.RE` block."""
    text = open(man).read()
    body = text.split(".SH COMMANDS\n", 1)[1].split("\n.SH ", 1)[0]
    lines = body.split("\n")
    sections = {}
    cur = None
    depth = 0
    for i, line in enumerate(lines):
        if line.startswith(".RS"):
            depth += 1
        elif line.startswith(".RE"):
            depth -= 1
        elif line == ".TP" and i + 1 < len(lines):
            head = lines[i + 1]
            if depth == 0:
                m = re.match(r"^\.B ([a-z]+)$", head)
                if m:
                    cur = m.group(1)
                    sections[cur] = set()
                continue
            if depth == 1 and cur is not None:
                for name in re.findall(r"\\-\\-((?:[a-z0-9]|\\-)+)", head):
                    sections[cur].add("--" + name.replace("\\-", "-"))
                for short in re.findall(r"(?:^\.B[IR]? |\\fP|\" )\\-([a-zA-Z])\b", head):
                    sections[cur].add("-" + short)
    # Options the man page lists once for several commands, in a section
    # of their own that names the commands before its first item.
    shared = re.search(r"\n\.SH REGISTRY OPTIONS\n(.*?)(?=\n\.SH |\Z)", text, re.S)
    if shared:
        intro, _, items = shared.group(1).partition("\n.TP\n")
        opts = set()
        for head in re.findall(r"(?:^|\n\.TP\n)([^\n]*)", items):
            for name in re.findall(r"\\-\\-((?:[a-z0-9]|\\-)+)", head):
                opts.add("--" + name.replace("\\-", "-"))
        for cmd in re.findall(r"^\.BR? ([a-z]+)", intro, re.M):
            sections.setdefault(cmd, set()).update(opts)
    return sections


def main():
    binary, man = sys.argv[1], sys.argv[2]
    problems = []
    sections = man_sections(man)
    cmds = commands(binary)
    if len(cmds) < 7:
        problems.append(f"imgdrift --help lists {len(cmds)} commands")
    for cmd in cmds:
        opts = help_options(binary, cmd, problems)
        listed = set(opts) - {"--help", "-h"}
        if cmd not in sections:
            problems.append(f"imgdrift.1 has no section for {cmd}")
            continue
        documented = sections[cmd]
        for o in sorted(listed - documented):
            problems.append(f"{cmd} {o}: in --help, not in imgdrift.1")
        for o in sorted(documented - listed):
            problems.append(f"{cmd} {o}: in imgdrift.1, not in --help")
        for o, takes in sorted(opts.items()):
            if o in ("--help", "-h"):
                continue
            args = [binary, cmd, o] + (["x"] if takes else [])
            rc, _, err = run(args)
            if "unknown option" in err or "needs an argument" in err or rc > 2 or rc < 0:
                problems.append(f"{cmd} {o}: the parser refuses it (exit {rc}): {err.strip()}")
            if takes:
                rc, _, err = run([binary, cmd, o])
                if "needs an argument" not in err:
                    problems.append(f"{cmd} {o}: --help shows an argument the parser does not want")
    for p in problems:
        print(p)
    print(f"{len(cmds)} commands checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
