# syntax=docker/dockerfile:1
# The RootAPI image: `docker build -t rootapi .`, then `docker compose up` (compose.yaml) or
#   docker run -p 3000:3000 -v rootapi-data:/app/data rootapi
# test/integration/image-recipe.test.ts replays these steps without a container engine: keep the
# instructions to WORKDIR, ENV, COPY (no globs), RUN, USER, VOLUME, EXPOSE, HEALTHCHECK and CMD,
# and paths inside /app.

# --- build: every dependency, then `npm run build` (Next.js app + the compiled server) ----------
FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
# Dependencies first, so a source change does not reinstall them (postinstall renders the Prisma
# schemas from models.prisma and generates the clients).
COPY package.json package-lock.json ./
COPY scripts/prisma-generate.mjs scripts/prisma-generate.mjs
COPY prisma/models.prisma prisma/models.prisma
RUN npm ci --no-audit --no-fund
COPY . .
# Next's build cache is only for rebuilding; a data directory owned by the runtime user is made
# here because the runtime stage runs no shell commands as root.
RUN npm run build && rm -rf .next/cache && mkdir -p data

# --- production dependencies only -------------------------------------------------------------
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts/prisma-generate.mjs scripts/prisma-generate.mjs
COPY prisma/models.prisma prisma/models.prisma
RUN npm ci --omit=dev --no-audit --no-fund

# --- runtime: what `npm start` (node dist/server/index.js) reads, nothing else ------------------
FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 HOST=0.0.0.0 PORT=3000
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/next.config.mjs ./next.config.mjs
COPY --from=build /app/.next ./.next
COPY --from=build /app/dist ./dist
# Migrations are applied at start (unless ROOTAPI_SKIP_MIGRATIONS=1).
COPY --from=build /app/prisma/sqlite/migrations ./prisma/sqlite/migrations
COPY --from=build /app/prisma/postgresql/migrations ./prisma/postgresql/migrations
# The SQLite file (when DATABASE_URL is not set) and the generated secrets live here.
COPY --from=build --chown=node:node /app/data ./data
USER node
VOLUME /app/data
EXPOSE 3000
# No curl in slim images: node itself asks /healthz.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node directly, not npm: signals (SIGTERM → graceful shutdown) reach the server.
CMD ["node", "dist/server/index.js"]
