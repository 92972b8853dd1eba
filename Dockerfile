# syntax=docker/dockerfile:1
#
# Customer-onboarding orchestrator: one image for the API, the Temporal worker and the migration job.
# docker-compose.yml picks the process per service:
#   node dist/api/main.js | node dist/worker/main.js | node dist/scripts/migrate.js
# and operators run the ops CLI in it: node dist/scripts/ops/main.js <command> (README "Operating onboardings").

ARG NODE_IMAGE=node:20-bookworm-slim

# --- build: full dependency tree, TypeScript compiled to dist/ -----------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build \
 && test -f dist/api/main.js \
 && test -f dist/worker/main.js \
 && test -f dist/scripts/migrate.js \
 && test -f dist/scripts/ops/main.js

# --- prod-deps: runtime dependencies only ---------------------------------------------------------
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force

# --- runtime ----------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Code and dependencies stay root-owned (read-only to the app); only the data directory is writable.
COPY package.json package-lock.json ./
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 3000
CMD ["node", "dist/api/main.js"]
