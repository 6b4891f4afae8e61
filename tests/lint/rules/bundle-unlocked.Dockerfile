FROM --platform=linux/amd64 debian:12.5@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ENV SOURCE_DATE_EPOCH=0 PIP_NO_CACHE_DIR=1
# fires
RUN bundle install --jobs 4
# quiet: --frozen, --deployment, BUNDLE_FROZEN in the command or the stage
RUN bundle install --frozen && bundle install --deployment
RUN BUNDLE_FROZEN=true bundle install
RUN bundle config set frozen true && bundle install
FROM --platform=linux/amd64 debian:12.5@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ENV SOURCE_DATE_EPOCH=0 PIP_NO_CACHE_DIR=1
ENV BUNDLE_DEPLOYMENT=1
RUN bundle install
