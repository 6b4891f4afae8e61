FROM --platform=linux/amd64 debian:12.5@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ENV SOURCE_DATE_EPOCH=0 PIP_NO_CACHE_DIR=1
# fires
RUN go install golang.org/x/tools/gopls@latest
RUN go get github.com/acme/tool@master
RUN go get golang.org/x/net
# quiet
RUN go install golang.org/x/tools/gopls@v0.15.1
RUN go build -trimpath ./...
RUN go get golang.org/x/text@v0.14.0 ./...
