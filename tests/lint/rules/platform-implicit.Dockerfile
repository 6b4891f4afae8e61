# fires once, on the first FROM without --platform
FROM --platform=$BUILDPLATFORM golang:1.22@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef AS build
FROM alpine:3.19@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
FROM debian:12@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
