# syntax=docker/dockerfile:1
# The `cryptoutil` image (ARCHITECTURE §8): one image for every product. The build stage installs
# the workspace with the pinned pnpm, compiles it and `pnpm deploy`s the CLI with its production
# dependencies only; the runtime stage holds Node, tini and that folder, runs as a non-root user
# and probes the product's admin listener (livez) from inside the container, the only place it
# is reachable (ARCHITECTURE §2: the admin listener binds loopback and is never published).
#
#   docker build -t cryptoutil:dev .
#   docker run --rm cryptoutil:dev --help
#
# Products other than KMS: set CRYPTOUTIL_PRODUCT and the command, e.g. `jose server -c …`.

ARG NODE_VERSION=24

FROM node:${NODE_VERSION} AS build
# The full node image brings python3, make and g++ for native addons. better-sqlite3 (13.x in
# the lockfile) ships N-API prebuilds for linux x64/arm64, glibc and musl, and runs no install
# script; a from-source build (node-gyp on its binding.gyp) needs exactly these tools.
WORKDIR /src
ENV CI=true
# pnpm at exactly the version package.json pins (`packageManager`), installed the way
# scripts/bootstrap.sh does it; corepack is not relied on (Node 25 drops it).
COPY package.json ./
RUN npm install --global --no-audit --no-fund \
      "pnpm@$(node -p 'require("./package.json").packageManager.replace(/^pnpm@/, "").split("+")[0]')"
# `pnpm fetch` needs only the lockfile, so this layer stays cached until dependencies change.
COPY pnpm-lock.yaml pnpm-workspace.yaml .npmrc ./
RUN --mount=type=cache,id=cryptoutil-pnpm-store,target=/pnpm/store \
    pnpm fetch --store-dir /pnpm/store
COPY . .
RUN --mount=type=cache,id=cryptoutil-pnpm-store,target=/pnpm/store \
    pnpm install --frozen-lockfile --offline --store-dir /pnpm/store \
 && pnpm run build \
 && pnpm --filter @cryptoutil/cli deploy --prod --offline --store-dir /pnpm/store /out

FROM node:${NODE_VERSION}-slim AS runtime
ARG PRODUCT=kms
# tini as PID 1 forwards SIGTERM to Node (graceful drain, ARCHITECTURE §2) and reaps zombies.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 cryptoutil \
 && useradd --system --uid 10001 --gid cryptoutil --home-dir /var/lib/cryptoutil \
      --shell /usr/sbin/nologin cryptoutil \
 && install -d -o cryptoutil -g cryptoutil -m 0750 /var/lib/cryptoutil \
 && install -d -m 0755 /etc/cryptoutil
# Code and dependencies belong to root and are read-only for the service user.
COPY --from=build /out /opt/cryptoutil
COPY deployments/docker/healthcheck.sh /usr/local/bin/cryptoutil-healthcheck
# The smoke test runs the product's migrations on in-memory SQLite: it proves the CLI starts
# and better-sqlite3's native addon loads in this image.
RUN chmod 0755 /opt/cryptoutil/dist/main.js /usr/local/bin/cryptoutil-healthcheck \
 && ln -s /opt/cryptoutil/dist/main.js /usr/local/bin/cryptoutil \
 && cryptoutil --version \
 && cryptoutil "${PRODUCT}" migrate -s database.url=:memory: >/dev/null

# The heap limits of packages/cli/node-options (a test keeps the two equal).
ENV NODE_ENV=production \
    NODE_OPTIONS="--max-semi-space-size=2 --max-old-space-size=128" \
    MALLOC_ARENA_MAX=2 \
    CRYPTOUTIL_PRODUCT=${PRODUCT} \
    CRYPTOUTIL_CONFIG=/etc/cryptoutil/config.yml
USER 10001:10001
# SQLite files and auto-mode TLS (`./data/tls`) live here: mount a volume to keep them (no
# VOLUME line, so instances on PostgreSQL don't each leave an anonymous volume behind).
WORKDIR /var/lib/cryptoutil
# KMS public port; the admin port (9090) is loopback-only and deliberately not exposed.
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["cryptoutil-healthcheck"]
ENTRYPOINT ["/usr/bin/tini", "--", "cryptoutil"]
CMD ["kms", "server", "-c", "/etc/cryptoutil/config.yml"]
