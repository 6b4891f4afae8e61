# syntax=docker/dockerfile:1.7
# A Django service: build wheels in one stage, run them in a slim one.

ARG PYTHON_VERSION=3.12
ARG DEBIAN_RELEASE=bookworm

FROM python:${PYTHON_VERSION}-slim-${DEBIAN_RELEASE} AS base
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

FROM base AS builder
RUN --mount=type=cache,target=/var/cache/apt \
    apt-get update \
 && apt-get install -y --no-install-recommends \
        build-essential \
        libpq-dev \
        gettext \
 && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN --mount=type=cache,target=/root/.cache/pip \
    pip install --upgrade pip wheel \
 && pip wheel --wheel-dir /wheels -r requirements.txt

FROM node:20-alpine AS assets
WORKDIR /assets
COPY package.json package-lock.json ./
RUN npm install && npm run build

FROM base AS runtime
RUN apt-get update && apt-get upgrade -y \
 && apt-get install -y --no-install-recommends libpq5 curl \
 && rm -rf /var/lib/apt/lists/*
COPY --from=builder /wheels /wheels
RUN pip install --no-cache-dir /wheels/* && rm -rf /wheels
COPY --from=assets /assets/dist /app/static
COPY . .
RUN python manage.py collectstatic --noinput
USER 1000:1000
EXPOSE 8000
HEALTHCHECK CMD curl -fsS http://localhost:8000/healthz || exit 1
CMD ["gunicorn", "app.wsgi:application", "--bind", "0.0.0.0:8000"]
