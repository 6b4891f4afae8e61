FROM --platform=linux/amd64 debian:12.5@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
# fires
RUN pnpm install
RUN pnpm i --prod
# quiet
RUN pnpm install --frozen-lockfile && pnpm build
