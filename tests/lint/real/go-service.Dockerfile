# syntax=docker/dockerfile:1
ARG GO_VERSION=1.22.1
ARG ALPINE_DIGEST=sha256:c5b1261d6d3e43071626931fc004f70149baeba2c8ec672bd4f27761f8e1ad6b
ARG BUILDER_IMAGE=golang:${GO_VERSION}-alpine3.19

FROM --platform=$BUILDPLATFORM ${BUILDER_IMAGE} AS build
ARG TARGETOS TARGETARCH
RUN apk add --no-cache git=2.43.0-r0 make
RUN go install github.com/swaggo/swag/cmd/swag@latest \
 && go install github.com/golangci/golangci-lint/cmd/golangci-lint@v1.56.2
WORKDIR /src
RUN --mount=type=secret,id=netrc,target=/root/.netrc \
    git clone --depth 1 https://github.com/acme/protos.git /protos
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags="-s -w" -o /out/service ./cmd/service

FROM alpine:3.19@${ALPINE_DIGEST} AS certs
RUN apk add --no-cache ca-certificates=20240226-r0

FROM scratch
COPY --from=certs /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=build /out/service /service
ENTRYPOINT ["/service"]
