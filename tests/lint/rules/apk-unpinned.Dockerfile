FROM --platform=linux/amd64 debian:12.5@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ENV SOURCE_DATE_EPOCH=0 PIP_NO_CACHE_DIR=1
# fires
RUN apk add --no-cache curl jq=1.7.1-r0 && rm -rf /var/cache/apk
RUN apk update; apk add git && rm -rf /var/cache/apk
# quiet
RUN apk add --no-cache --virtual .build-deps gcc=13.2.1_git20231014-r0 musl-dev~=1.2 && rm -rf /var/cache/apk
