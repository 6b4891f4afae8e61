FROM --platform=linux/amd64 debian:12.5@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
# fires
RUN yarn
RUN yarn install --production
# quiet
RUN yarn install --frozen-lockfile
RUN yarn --immutable && yarn build
RUN yarn --version && yarn -v && yarn build && yarn run test
