FROM --platform=linux/amd64 python:3.12-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
