#!/bin/sh
# Write tests/pkg/versions-dpkg.tsv: pairs of Debian versions and how the
# real dpkg orders them (dpkg --compare-versions), for tests/test_pkg.c.
# usage: sh tests/pkg/make-versions.sh > tests/pkg/versions-dpkg.tsv
set -e
command -v dpkg >/dev/null || { echo "dpkg is needed" >&2; exit 2; }
printf '# a\tb\tcmp (dpkg --compare-versions: -1 lt, 0 eq, 1 gt)\n'
while read -r a b; do
	[ -n "$a" ] || continue
	if dpkg --compare-versions "$a" lt "$b"; then c=-1
	elif dpkg --compare-versions "$a" eq "$b"; then c=0
	else c=1; fi
	printf '%s\t%s\t%s\n' "$a" "$b" "$c"
done <<'PAIRS'
1.0 1.0
1.0 1.1
1.1 1.0
1.0~rc1 1.0
1.0~rc1 1.0~rc2
1.0~~ 1.0~
1.0~ 1.0
1.0 1.0+b1
1.0 1.0.0
1.0a 1.0
1.0a 1.0b
1.0-1 1.0-2
1.0-1 1.0-1.1
1.0-1~bpo1 1.0-1
1:1.0 2.0
1:1.0 1:1.0
0:1.0 1.0
2:0.1 1:9.9
1.0-0 1.0
1.0 1.0-0
01 1
1.001 1.1
1.2.3 1.10
3.0.20-1~deb12u2 3.0.22-1~deb12u2
3.0.22-1~deb12u2 3.0.20-1~deb12u2
2026b-0+deb12u1 2026f-0+deb12u1
1:9.2p1-2+deb12u9 1:9.2p1-2+deb12u10
2.36-9+deb12u10 2.36-9+deb12u9
1.2.13.dfsg-1 1.2.13.dfsg-1+b1
7.88.1-10+deb12u12 7.88.1-10+deb12u5
252.39-1~deb12u1 252.38-1~deb12u1
1.0+dfsg 1.0-dfsg
1.0.a 1.0+a
1.0a 1.0.
a 1
1.0-a 1.0-1
9 10
0.9 0.10
1.0~alpha 1.0~beta
1.0~alpha~1 1.0~alpha
5.2.15-2+b7 5.2.15-2+b2
20230311 20230311.1
1.0-1ubuntu1 1.0-1
2.0-3 2.0-3ubuntu0.1
1:2.38.1-5+deb12u3 1:2.38.1-5+deb12u2
PAIRS
