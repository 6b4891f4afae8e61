ARG SOURCE_DATE_EPOCH
FROM --platform=linux/amd64 debian:12.5@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ENV SOURCE_DATE_EPOCH=0 PIP_NO_CACHE_DIR=1
# fires
RUN apk add --no-cache dbus=1.14.10-r0
RUN dnf install -y systemd-252-18.el9 && rm -rf /var/log/dnf*
# quiet: emptied in the same RUN
RUN apk add --no-cache dbus=1.14.10-r0 && : > /etc/machine-id && rm -f /var/lib/dbus/machine-id
RUN apk add --no-cache dbus=1.14.10-r0 && truncate -s 0 /etc/machine-id
