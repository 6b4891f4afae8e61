FROM --platform=linux/amd64 debian:12.5@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ENV SOURCE_DATE_EPOCH=0 PIP_NO_CACHE_DIR=1
# fires
RUN dnf install -y python3-devel gcc && rm -rf /var/log/*
RUN yum install -y openssl && microdnf install tar && rm -rf /var/log/*
RUN zypper --non-interactive in curl && rm -rf /var/log/*
# quiet
RUN dnf install -y python3-devel-3.11.7-1.el9 gcc-11.4.1 @development ./local.rpm && rm -rf /var/log/*
RUN zypper in curl=8.0.1 && dnf clean all && rm -rf /var/log/*
