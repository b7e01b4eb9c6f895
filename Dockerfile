# syntax=docker/dockerfile:1
# One image: Locust master (web UI :8090, workers :5557) + loadworker + a demo target, under
# supervisord. Build: docker build -t loadworker:latest .   Run: docker run -d -p 8090:8090 loadworker:latest
# Every version is pinned; test/deploy/static.test.ts checks them against package.json,
# package-lock.json and scripts/lib/venv.sh, and checks this file against supervisord.conf.

# --- deps: the npm lockfile is the source of truth, and npm ci honours it exactly (integrity
# hashes included). Only runtime dependencies, and not the optional ones: the `bun` dependency's
# platform binary (what an npm user runs) is not needed, since bun comes from the next stage's image.
FROM node:20.20.2-bookworm-slim AS deps
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund

# --- build: the pinned bun (= package.json's "bun") compiles runtime + tasks/ into one binary and
# generates master.py from it, through the same script scripts/up.sh uses on a host.
# The glibc (Debian) variant, not alpine/musl: the compiled binary must run on the Debian runtime stage.
FROM oven/bun:1.4.5 AS build
WORKDIR /src
COPY --from=deps /src/node_modules ./node_modules
COPY . .
RUN BUN=bun bash scripts/lib/build.sh --out /out --host http://127.0.0.1:8099

# --- runtime: Python for Locust and supervisor; the binary needs nothing else.
FROM python:3.11.14-slim-bookworm
ARG LOCUST_VERSION=2.47.0
ARG SUPERVISOR_VERSION=4.3.0
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HOME=/tmp
RUN pip install "locust==${LOCUST_VERSION}" "supervisor==${SUPERVISOR_VERSION}" \
 && useradd --system --uid 10001 --home-dir /tmp --no-create-home --shell /usr/sbin/nologin loadworker
COPY --from=build /out/loadworker /out/master.py /app/
# On supervisorctl's default search path, so `docker exec <container> supervisorctl status` just works.
COPY supervisord.conf /etc/supervisor/supervisord.conf
# The same file `npx loadworker init` writes beside its Dockerfile.
COPY src/project/templates/supervisord.sh /app/supervisord.sh
WORKDIR /app
USER 10001
EXPOSE 8090 5557
# With LOADWORKER_TLS_CERT set, master.py serves the web UI over https only: probe it so, without
# verifying the certificate (issued for the service's name, not for 127.0.0.1); plain http otherwise.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s \
  CMD ["python", "-c", "import os, ssl, urllib.request; tls = bool(os.environ.get('LOADWORKER_TLS_CERT')); urllib.request.urlopen(('https' if tls else 'http') + '://127.0.0.1:8090/', timeout=4, context=ssl._create_unverified_context() if tls else None)"]
# supervisord.sh runs supervisord and passes on signals: `docker stop` sends SIGTERM, and supervisord
# stops workers, master, demo in order. It exits 78 when master.py refused its settings.
CMD ["sh", "/app/supervisord.sh"]
