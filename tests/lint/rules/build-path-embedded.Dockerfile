ARG SOURCE_DATE_EPOCH
FROM --platform=linux/amd64 debian:12.5@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ENV SOURCE_DATE_EPOCH=0 PIP_NO_CACHE_DIR=1
# fires
RUN gcc -O2 -g -o /usr/local/bin/tool tool.c
RUN go build -o /out/app ./cmd/app
# quiet
RUN gcc -O2 -g -ffile-prefix-map=/src=. -o /usr/local/bin/tool tool.c
RUN cc -O2 -o /usr/local/bin/tool tool.c
RUN go build -trimpath -o /out/app ./cmd/app
RUN GOFLAGS=-trimpath go build -o /out/app ./cmd/app
