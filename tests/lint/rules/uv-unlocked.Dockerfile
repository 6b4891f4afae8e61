FROM --platform=linux/amd64 debian:12.5@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ENV SOURCE_DATE_EPOCH=0 PIP_NO_CACHE_DIR=1
# fires
RUN uv sync
RUN uv pip install -r requirements.txt
# quiet
RUN uv sync --locked && uv sync --frozen --no-dev
RUN uv pip install --require-hashes -r requirements.txt
RUN uv --version && uv lock --check
RUN uv export --no-dev --format requirements-txt --output-file r.txt && uv pip install --system -r r.txt
