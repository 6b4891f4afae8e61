#!/bin/sh
# make install into a temporary DESTDIR (PREFIX=/usr, as a package
# would): the binary, the man page and both completions land where
# PREFIX says, the installed binary runs and diffs, the man page renders,
# the installed bash completion offers the commands; make uninstall
# removes all four.  usage: sh tests/install.sh; prints "N passed, M failed".
NAME=install; . tests/lib.sh ./imgdrift
D=$(pwd)/$T/root
make -s install DESTDIR="$D" PREFIX=/usr >"$T/log" 2>&1 || { bad "make install"; cat "$T/log"; }
for f in usr/bin/imgdrift usr/share/man/man1/imgdrift.1 \
    usr/share/bash-completion/completions/imgdrift \
    usr/share/zsh/site-functions/_imgdrift; do
	if [ -f "$D/$f" ]; then ok; else bad "make install: no $f"; fi
done
if [ "$(stat -c %a "$D/usr/bin/imgdrift")" = 755 ] &&
    [ "$(stat -c %a "$D/usr/share/man/man1/imgdrift.1")" = 644 ]; then ok
else bad "installed modes"; fi
if "$D/usr/bin/imgdrift" --version | grep -q '^imgdrift [0-9]'; then ok; else bad "installed --version"; fi
"$D/usr/bin/imgdrift" diff -q corpus/real/timestamp-a.tar corpus/real/timestamp-b.tar >"$T/out"
if [ $? -eq 1 ] && grep -q '^dependency-equivalent' "$T/out"; then ok; else bad "installed diff"; cat "$T/out"; fi
if command -v man >/dev/null 2>&1; then
	if MANWIDTH=80 man -l "$D/usr/share/man/man1/imgdrift.1" 2>"$T/err" | grep -q 'completion' &&
	    [ ! -s "$T/err" ]; then ok; else bad "installed man page"; cat "$T/err"; fi
fi
got=$(bash -c '. "$1"; COMP_WORDS=(imgdrift su); COMP_CWORD=1; _imgdrift; echo "${COMPREPLY[*]}"' \
    sh "$D/usr/share/bash-completion/completions/imgdrift")
if [ "$got" = summary ]; then ok; else bad "installed bash completion: '$got'"; fi
make -s uninstall DESTDIR="$D" PREFIX=/usr >"$T/log" 2>&1
if [ -z "$(find "$D" -type f)" ]; then ok; else bad "make uninstall left $(find "$D" -type f)"; fi
finish
