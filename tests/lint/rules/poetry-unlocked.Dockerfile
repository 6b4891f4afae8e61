FROM --platform=linux/amd64 debian:12.5@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ENV SOURCE_DATE_EPOCH=0 PIP_NO_CACHE_DIR=1
# fires: no poetry.lock copied; lock and update rewrite it
COPY pyproject.toml /app/
RUN poetry install --no-root
RUN poetry lock && poetry update requests
FROM --platform=linux/amd64 debian:12.5@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ENV SOURCE_DATE_EPOCH=0 PIP_NO_CACHE_DIR=1
# quiet: the lockfile is copied in (or a directory that may hold it)
COPY pyproject.toml poetry.lock /app/
RUN poetry install --no-root --only main
FROM --platform=linux/amd64 debian:12.5@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ENV SOURCE_DATE_EPOCH=0 PIP_NO_CACHE_DIR=1
COPY . /app
RUN poetry install && poetry --version
