ARG SOURCE_DATE_EPOCH
FROM --platform=linux/amd64 debian:12.5@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ENV SOURCE_DATE_EPOCH=0 PIP_NO_CACHE_DIR=1
# fires
RUN apt-get update
RUN apt-get update && apt-get install -y tini=0.19.0-1 && rm -rf /var/log/apt /var/log/dpkg.log
# quiet
RUN apt-get update && apt-get install -y tini=0.19.0-1 \
 && rm -rf /var/lib/apt/lists/* /var/log/apt /var/log/dpkg.log
