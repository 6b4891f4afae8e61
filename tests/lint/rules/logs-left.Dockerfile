ARG SOURCE_DATE_EPOCH
FROM --platform=linux/amd64 debian:12.5@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ENV SOURCE_DATE_EPOCH=0 PIP_NO_CACHE_DIR=1
# fires: apt and dpkg logs, the pip cache, npm's logs, apk's index
RUN apt-get install -y tini=0.19.0-1
RUN dpkg -i /tmp/x.deb
RUN pip install --no-compile flask==3.0.2
RUN npm ci
RUN apk add tini=0.19.0-r1
# quiet: removed in the same RUN, or never written
RUN apt-get install -y tini=0.19.0-1 && rm -rf /var/log/apt /var/log/dpkg.log
RUN pip install --no-compile --no-cache-dir flask==3.0.2
RUN PIP_NO_CACHE_DIR=1 pip install --no-compile flask==3.0.2
RUN npm ci && rm -rf /root/.npm
RUN apk add --no-cache tini=0.19.0-r1
