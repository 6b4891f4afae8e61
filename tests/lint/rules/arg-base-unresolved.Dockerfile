# syntax=docker/dockerfile:1
ARG REGISTRY
ARG GO=1.22
ARG GO_IMAGE=golang:${GO}@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
# fires: REGISTRY has no default
FROM --platform=linux/amd64 ${REGISTRY}/base:1
ENV SOURCE_DATE_EPOCH=0 PIP_NO_CACHE_DIR=1
# quiet: resolved through defaults
FROM --platform=linux/amd64 ${GO_IMAGE} AS build
ENV SOURCE_DATE_EPOCH=0 PIP_NO_CACHE_DIR=1
FROM --platform=linux/amd64 ${RUNTIME:-gcr.io/distroless/static:nonroot@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef}
ENV SOURCE_DATE_EPOCH=0 PIP_NO_CACHE_DIR=1
