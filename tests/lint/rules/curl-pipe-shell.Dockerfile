FROM --platform=linux/amd64 debian:12.5@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ENV SOURCE_DATE_EPOCH=0 PIP_NO_CACHE_DIR=1
# fires: piped into a shell
RUN curl -fsSL https://get.example.com/install.sh | sh -s -- -y
RUN wget -qO- https://example.com/setup | sudo -E bash -
RUN sh -c "$(curl -fsSL https://example.com/install.sh)"
# quiet
RUN curl -fsSLo /tmp/t.tgz https://example.com/t-1.0.tgz \
 && echo "24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d  /tmp/t.tgz" | sha256sum -c - \
 && tar -C /opt -xzf /tmp/t.tgz
RUN curl --version
