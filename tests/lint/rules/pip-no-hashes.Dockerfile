FROM --platform=linux/amd64 debian:12.5@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ENV SOURCE_DATE_EPOCH=0 PIP_NO_CACHE_DIR=1
# fires: the file is next to this Dockerfile, and read
RUN pip install -r requirements.txt
# fires: not found next to this Dockerfile
RUN pip install --requirement /src/dev-requirements.txt
# quiet
RUN pip install --require-hashes --no-deps -r requirements.txt
