ARG SOURCE_DATE_EPOCH
FROM --platform=linux/amd64 debian:12.5@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ENV SOURCE_DATE_EPOCH=0 PIP_NO_CACHE_DIR=1
# fires: gzip of a named file stores its name and mtime
RUN gzip -9 /usr/share/doc/app/changelog
RUN pigz --best /srv/data.json
# quiet: -n, a pipe, decompression
RUN gzip -9n /usr/share/doc/app/changelog && gzip --no-name x
RUN tar -cf - dir | gzip -9 > dir.tar.gz && gzip < a > a.gz
RUN gzip -d x.gz && gzip -dc y.gz > y && gunzip z.gz
