FROM --platform=linux/amd64 debian:12.5@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
# fires
RUN dnf install -y python3-devel gcc
RUN yum install -y openssl && microdnf install tar
RUN zypper --non-interactive in curl
# quiet
RUN dnf install -y python3-devel-3.11.7-1.el9 gcc-11.4.1 @development ./local.rpm
RUN zypper in curl=8.0.1 && dnf clean all
