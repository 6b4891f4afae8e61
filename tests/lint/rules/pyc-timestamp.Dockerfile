ARG SOURCE_DATE_EPOCH
FROM --platform=linux/amd64 debian:12.5@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
# fires
RUN pip install --no-cache-dir flask==3.0.2
RUN python3 -m compileall -q /app && python3 -m compileall --invalidation-mode timestamp /lib
# quiet: --no-compile, checked-hash, SOURCE_DATE_EPOCH in the stage or on the command
RUN pip install --no-cache-dir --no-compile flask==3.0.2
RUN python3 -m compileall --invalidation-mode checked-hash /app
RUN SOURCE_DATE_EPOCH=0 pip install --no-cache-dir flask==3.0.2
ARG SOURCE_DATE_EPOCH
RUN pip install --no-cache-dir flask==3.0.2
