FROM --platform=linux/amd64 debian:12.5@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
# fires
RUN go install golang.org/x/tools/gopls@latest
RUN go get github.com/acme/tool@master
RUN go get golang.org/x/net
# quiet
RUN go install golang.org/x/tools/gopls@v0.15.1
RUN go build ./...
RUN go get golang.org/x/text@v0.14.0 ./...
