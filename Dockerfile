# syntax=docker/dockerfile:1
# imgdrift itself, built from this tree: the build stage makes the Debian
# package (debian/, as make deb does), the final stage installs it on the
# same base, so the image holds the binary, its runtime libraries, the man
# page and the completions, and nothing of the build.
#
#   docker build -t imgdrift .
#   docker run --rm -v "$PWD:/work" -w /work imgdrift diff a.tar b.tar
#
# The base is pinned by digest; to build from another (a mirror, a local
# root file system), pass --build-arg BASE=IMAGE.  imgdrift lint passes this
# file with no error (make test checks it).
ARG BASE=debian:bookworm-slim@sha256:3783cc01769c7b2b1b83a5c5ad96c815348e28ed7da68e2e3687004faa906251
ARG SOURCE_DATE_EPOCH=0

FROM ${BASE} AS build
ARG SOURCE_DATE_EPOCH
RUN apt-get update && \
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      build-essential debhelper dpkg-dev fakeroot pkg-config \
      libarchive-dev libssl-dev libzstd-dev libxxhash-dev libisal-dev \
      libjansson-dev liblzma-dev libbz2-dev libsqlite3-dev \
      libcurl4-openssl-dev && \
    rm -rf /var/lib/apt/lists/* /var/log/apt /var/log/dpkg.log
WORKDIR /src/imgdrift
COPY Makefile imgdrift.1 README.md ./
COPY debian/ debian/
COPY util/ util/
COPY pkg/ pkg/
COPY tar/ tar/
COPY reg/ reg/
COPY diff/ diff/
COPY report/ report/
COPY lint/ lint/
COPY cli/ cli/
RUN dpkg-buildpackage -us -uc -b && mv ../imgdrift_*.deb /imgdrift.deb

FROM ${BASE}
ARG SOURCE_DATE_EPOCH
COPY --from=build /imgdrift.deb /tmp/imgdrift.deb
RUN apt-get update && \
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      /tmp/imgdrift.deb && \
    rm -rf /var/lib/apt/lists/* /var/log/apt /var/log/dpkg.log /tmp/imgdrift.deb
WORKDIR /work
ENTRYPOINT ["imgdrift"]
CMD ["--help"]
