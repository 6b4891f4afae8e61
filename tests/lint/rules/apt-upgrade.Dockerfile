FROM --platform=linux/amd64 debian:12.5@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
# fires
RUN apt-get update && apt-get -y upgrade
RUN apt-get dist-upgrade -y
RUN apt full-upgrade
# quiet
RUN apt-get update && apt-get install -y tini=0.19.0-1
