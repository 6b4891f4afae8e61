from --platform=linux/amd64 alpine:3.19@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef as Base
Run ["apk", "add", "curl"]
rUN ["/bin/sh", "-c", "apk add jq && pip install flask"]
From base
