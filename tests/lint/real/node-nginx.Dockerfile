# escape=\
# A single-page app built with yarn and served by nginx.
ARG NODE_IMAGE=node:20.11.1-bookworm-slim@sha256:3a6e6e30e2c37ab8be3bd5b4ac1b8b2fd0e34c3a54a4b56b3cd4f1e6b1e4a0c1

FROM --platform=linux/amd64 ${NODE_IMAGE} AS build
WORKDIR /app
RUN corepack enable \
 && yarn global add serve
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile
COPY . .
RUN yarn build

FROM --platform=linux/amd64 nginx:1.25-alpine AS web
ADD https://raw.githubusercontent.com/acme/nginx-conf/main/security.conf /etc/nginx/conf.d/
RUN <<EOF
set -eux
apk add --no-cache tzdata
curl -fsSL https://github.com/acme/tool/releases/download/v1.0/tool -o /usr/local/bin/tool
chmod +x /usr/local/bin/tool
EOF
COPY <<EOF /etc/nginx/conf.d/default.conf
server {
    listen 80;
    RUN this is not an instruction
}
EOF
COPY --from=build /app/dist /usr/share/nginx/html
