FROM --platform=linux/amd64 debian:12.5@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ENV SOURCE_DATE_EPOCH=0 PIP_NO_CACHE_DIR=1
# fires: a tag is not a commit
RUN git clone --depth 1 --branch v1.2.0 https://github.com/acme/lib.git /src/lib
RUN git clone https://github.com/acme/other.git && cd other && git checkout main
# quiet: a commit is checked out, here or later in the stage
RUN git clone https://github.com/acme/app.git /src/app \
 && git -C /src/app checkout 3f2a9c1d0b7e4a6f8c5d2e1b0a9f8e7d6c5b4a39
RUN git clone --filter=blob:none https://github.com/acme/tool.git /src/tool
WORKDIR /src/tool
RUN git checkout ${TOOL_COMMIT}
