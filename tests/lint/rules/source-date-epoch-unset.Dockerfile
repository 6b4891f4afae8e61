FROM --platform=linux/amd64 debian:12.5@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
# fires once, at the first RUN: no ARG SOURCE_DATE_EPOCH anywhere
RUN mkdir -p /app
RUN touch /app/x
