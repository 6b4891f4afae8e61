# syntax=docker/dockerfile:1
# Everything pinned: this file has no findings.
ARG SOURCE_DATE_EPOCH
ARG GO_IMAGE=golang:1.22.1-bookworm@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
FROM --platform=linux/amd64 ${GO_IMAGE} AS build
RUN apt-get update && apt-get install -y --no-install-recommends \
        protobuf-compiler=3.21.12-3 \
    && rm -rf /var/lib/apt/lists/* /var/log/apt /var/log/dpkg.log \
        /var/log/alternatives.log
RUN go install google.golang.org/protobuf/cmd/protoc-gen-go@v1.33.0
RUN git clone https://github.com/acme/app.git /src \
 && git -C /src checkout 3f2a9c1d0b7e4a6f8c5d2e1b0a9f8e7d6c5b4a39
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d \
    https://example.com/tool-1.2.tar.gz /opt/
WORKDIR /src
RUN CGO_ENABLED=0 go build -trimpath -o /out/app ./cmd/app

FROM --platform=linux/amd64 gcr.io/distroless/static-debian12:nonroot@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
