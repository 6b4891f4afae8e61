FROM --platform=linux/amd64 debian:12.5@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ENV SOURCE_DATE_EPOCH=0 PIP_NO_CACHE_DIR=1
# fires: no composer.lock copied; update and require rewrite it
COPY composer.json /app/
RUN composer install --no-dev
RUN composer update && composer require monolog/monolog
FROM --platform=linux/amd64 debian:12.5@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ENV SOURCE_DATE_EPOCH=0 PIP_NO_CACHE_DIR=1
# quiet
COPY composer.json composer.lock /app/
RUN composer install --no-dev --no-scripts
