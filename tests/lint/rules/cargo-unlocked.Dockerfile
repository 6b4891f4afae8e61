FROM --platform=linux/amd64 debian:12.5@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ENV SOURCE_DATE_EPOCH=0 PIP_NO_CACHE_DIR=1
# fires
RUN cargo install ripgrep
# quiet
RUN cargo install --locked ripgrep --version 14.1.0
RUN cargo build --release --locked
