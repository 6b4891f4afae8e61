FROM --platform=linux/amd64 debian:12.5@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
# fires
RUN pipenv install --system
# quiet
RUN pipenv install --system --deploy && pipenv sync
