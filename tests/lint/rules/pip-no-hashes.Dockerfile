FROM --platform=linux/amd64 debian:12.5@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
# fires: the file is next to this Dockerfile, and read
RUN pip install -r requirements.txt
# fires: not found next to this Dockerfile
RUN pip install --requirement /src/dev-requirements.txt
# quiet
RUN pip install --require-hashes --no-deps -r requirements.txt
