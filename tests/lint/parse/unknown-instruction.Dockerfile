FROM --platform=linux/amd64 alpine:3.19
RUN apk add curl
INSTAL jq
