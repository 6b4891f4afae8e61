# fires: a digest nobody can read
FROM --platform=linux/amd64 alpine@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ENV SOURCE_DATE_EPOCH=0 PIP_NO_CACHE_DIR=1
# quiet: the tag says what the digest is
FROM --platform=linux/amd64 alpine:3.19@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ENV SOURCE_DATE_EPOCH=0 PIP_NO_CACHE_DIR=1
