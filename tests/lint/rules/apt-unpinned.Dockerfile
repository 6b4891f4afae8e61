FROM --platform=linux/amd64 debian:12.5@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ENV SOURCE_DATE_EPOCH=0 PIP_NO_CACHE_DIR=1
# fires
RUN apt-get update && apt-get install -y --no-install-recommends \
        ca-certificates \
        curl=7.88.1-10+deb12u5 \
        git \
    && rm -rf /var/lib/apt/lists/* /var/log/*
RUN apt install -y tini && rm -rf /var/log/*
RUN apt-get install -y openssl=3.0.* && rm -rf /var/log/*
# quiet
RUN apt-get install -y -o Dpkg::Options::=--force-confnew tini=0.19.0-1 ./local.deb > /dev/null && rm -rf /var/log/*
