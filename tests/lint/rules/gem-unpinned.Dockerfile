FROM --platform=linux/amd64 debian:12.5@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ENV SOURCE_DATE_EPOCH=0 PIP_NO_CACHE_DIR=1
# fires
RUN gem install bundler rake
# quiet
RUN gem install bundler -v 2.5.6
RUN gem install rake:13.1.0 --no-document
RUN bundle install --deployment
