FROM --platform=linux/amd64 debian:12.5@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ENV SOURCE_DATE_EPOCH=0 PIP_NO_CACHE_DIR=1
# fires
RUN npm install -g pnpm typescript@5.3.3 && rm -rf /root/.npm
RUN npm i --global npm@latest && rm -rf /root/.npm
# quiet
RUN npm install -g pnpm@8.15.1 && rm -rf /root/.npm
