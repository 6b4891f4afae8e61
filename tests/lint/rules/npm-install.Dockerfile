FROM --platform=linux/amd64 debian:12.5@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
# fires
RUN npm install
RUN npm install -g pnpm typescript@5.3.3
RUN npm i -g npm@latest
# quiet
RUN npm ci --omit=dev
RUN npm install -g pnpm@8.15.1
