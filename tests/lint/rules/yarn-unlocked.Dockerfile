FROM --platform=linux/amd64 debian:12.5@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ENV SOURCE_DATE_EPOCH=0 PIP_NO_CACHE_DIR=1
# fires
RUN yarn
RUN yarn install --production
# quiet
RUN yarn install --frozen-lockfile
RUN yarn --immutable && yarn build
RUN yarn --version && yarn -v && yarn build && yarn run test
