FROM --platform=linux/amd64 debian:12.5@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ENV SOURCE_DATE_EPOCH=0 PIP_NO_CACHE_DIR=1
# fires
RUN npm install && rm -rf /root/.npm
RUN npm install left-pad typescript@5.3.3 && rm -rf /root/.npm
RUN npm i npm@latest && rm -rf /root/.npm
# quiet
RUN npm ci --omit=dev && rm -rf /root/.npm
RUN npm install left-pad@1.3.0 && rm -rf /root/.npm
