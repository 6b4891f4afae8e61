# fires: latest, and no tag at all
FROM --platform=linux/amd64 node:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
FROM --platform=linux/amd64 node
FROM --platform=linux/amd64 ghcr.io/acme/tool:latest
# quiet: a release tag
FROM --platform=linux/amd64 node:20.11-bookworm@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
