# fires: a tag, and a digest that is not sha256 with 64 hex digits
FROM --platform=linux/amd64 python:3.12-slim AS a
ENV SOURCE_DATE_EPOCH=0 PIP_NO_CACHE_DIR=1
FROM --platform=linux/amd64 python:3.12-slim@sha256:abc AS b
ENV SOURCE_DATE_EPOCH=0 PIP_NO_CACHE_DIR=1
COPY --from=nginx:1.25 /etc/nginx/nginx.conf /etc/nginx/
RUN --mount=type=bind,from=golang:1.22,source=/usr/local/go,target=/go true
# quiet: pinned by digest, a stage, scratch
COPY --from=a /x /y
COPY --from=0 /x /y
COPY --from=nginx:1.25@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef /x /y
RUN --mount=type=cache,target=/root/.cache --mount=type=bind,from=b,target=/b true
FROM --platform=linux/amd64 python:3.12-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef AS c
ENV SOURCE_DATE_EPOCH=0 PIP_NO_CACHE_DIR=1
FROM a
ENV SOURCE_DATE_EPOCH=0 PIP_NO_CACHE_DIR=1
FROM scratch
ENV SOURCE_DATE_EPOCH=0 PIP_NO_CACHE_DIR=1
