ARG SOURCE_DATE_EPOCH
FROM --platform=linux/amd64 debian:12.5@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ENV SOURCE_DATE_EPOCH=0 PIP_NO_CACHE_DIR=1
# fires: downloaded, then unpacked, run or installed, never checked
RUN curl -fsSLo /tmp/t.tgz https://example.com/t-1.0.tgz && tar -C /opt -xzf /tmp/t.tgz
RUN curl -fsSL https://example.com/t-1.0.tgz | tar -xz -C /opt
RUN wget -q https://example.com/tool.sh && sh tool.sh
RUN curl -fsSL -o /usr/local/bin/tool https://example.com/tool && chmod +x /usr/local/bin/tool
RUN curl -fsSLO https://example.com/app_1.0_amd64.deb && dpkg -i app_1.0_amd64.deb && rm /var/log/dpkg.log
# quiet: checked, or never used
RUN curl -fsSLo /tmp/t.tgz https://example.com/t-1.0.tgz \
 && echo "24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d  /tmp/t.tgz" | sha256sum -c - \
 && tar -C /opt -xzf /tmp/t.tgz
RUN curl -fsSL -o /usr/share/doc/app/README https://example.com/README
RUN wget -q https://example.com/notes.txt
RUN curl -f -L -O https://example.com/pkg-1.0.tar.gz \
 && if [ "$(openssl sha512 -r pkg-1.0.tar.gz)" = "$PKGSUM *pkg-1.0.tar.gz" ]; then echo ok; else exit 1; fi \
 && tar xzf pkg-1.0.tar.gz
