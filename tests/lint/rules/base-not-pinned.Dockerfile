# fires: a tag, and a digest that is not sha256 with 64 hex digits
FROM --platform=linux/amd64 python:3.12-slim AS a
FROM --platform=linux/amd64 python:3.12-slim@sha256:abc AS b
# quiet: pinned by digest, a stage, scratch
FROM --platform=linux/amd64 python:3.12-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef AS c
FROM a
FROM scratch
