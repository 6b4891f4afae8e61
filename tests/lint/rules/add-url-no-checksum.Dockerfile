FROM --platform=linux/amd64 debian:12.5@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ENV SOURCE_DATE_EPOCH=0 PIP_NO_CACHE_DIR=1
# fires
ADD https://example.com/tool-1.2.tar.gz /opt/
ADD --chown=1000:1000 ["https://example.com/a.bin", "/usr/local/bin/a"]
# quiet
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool-1.2.tar.gz /opt/
ADD vendor.tar.gz /opt/
