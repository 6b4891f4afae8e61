FROM --platform=linux/amd64 alpine:3.19
RUN <<EOT
apk add curl
