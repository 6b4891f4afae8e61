ARG SOURCE_DATE_EPOCH
FROM --platform=linux/amd64 debian:12.5@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ENV SOURCE_DATE_EPOCH=0 PIP_NO_CACHE_DIR=1
# fires
RUN date > /etc/build-date
RUN echo "built $(date -u +%FT%TZ)" >> /etc/motd
RUN sed -i "s/@BUILD_DATE@/`date`/" /app/version.py
# quiet: not written to a file
RUN date && date +%s > /dev/null
RUN echo "built at $SOURCE_DATE_EPOCH" > /etc/build-date
