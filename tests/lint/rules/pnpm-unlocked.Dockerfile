FROM --platform=linux/amd64 debian:12.5@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ENV SOURCE_DATE_EPOCH=0 PIP_NO_CACHE_DIR=1
# fires
RUN pnpm install
RUN pnpm i --prod
# quiet
RUN pnpm install --frozen-lockfile && pnpm build
