# fires: latest, and no tag at all
FROM --platform=linux/amd64 node:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ENV SOURCE_DATE_EPOCH=0 PIP_NO_CACHE_DIR=1
FROM --platform=linux/amd64 node
ENV SOURCE_DATE_EPOCH=0 PIP_NO_CACHE_DIR=1
FROM --platform=linux/amd64 ghcr.io/acme/tool:latest
ENV SOURCE_DATE_EPOCH=0 PIP_NO_CACHE_DIR=1
# quiet: a release tag
FROM --platform=linux/amd64 node:20.11-bookworm@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ENV SOURCE_DATE_EPOCH=0 PIP_NO_CACHE_DIR=1
