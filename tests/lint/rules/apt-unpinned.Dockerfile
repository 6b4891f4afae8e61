FROM --platform=linux/amd64 debian:12.5@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
# fires
RUN apt-get update && apt-get install -y --no-install-recommends \
        ca-certificates \
        curl=7.88.1-10+deb12u5 \
        git \
    && rm -rf /var/lib/apt/lists/*
RUN apt install -y tini
RUN apt-get install -y openssl=3.0.*
# quiet
RUN apt-get install -y -o Dpkg::Options::=--force-confnew tini=0.19.0-1 ./local.deb > /dev/null
