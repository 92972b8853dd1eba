# syntax=docker/dockerfile:1
#
# Customer-onboarding orchestrator: one image for the API, the Temporal worker and the migration job.
# docker-compose.yml picks the process per service:
#   node dist/api/main.js | node dist/worker/main.js | node dist/scripts/migrate.js
# and operators run the ops CLI in it: node dist/scripts/ops/main.js <command> (README "Operating onboardings").
# The back office web app is built here too (backoffice/dist, served by the API under /backoffice/); the target
# `backoffice` is the same files in nginx, for the compose service of that name.

ARG NODE_IMAGE=node:20-bookworm-slim

# --- build: full dependency tree, TypeScript compiled to dist/, the back office to backoffice/dist/ --------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# `prepare` builds the back office on npm ci; its sources are not copied yet (dependencies are cached apart), so the
# script is dropped for this install and the build runs below, after COPY restores package.json.
RUN npm pkg delete scripts.prepare && npm ci --no-audit --no-fund
COPY . .
RUN npm run build \
 && npm run build:backoffice \
 && test -f dist/api/main.js \
 && test -f dist/worker/main.js \
 && test -f dist/scripts/migrate.js \
 && test -f dist/scripts/ops/main.js \
 && test -f backoffice/dist/index.html

# --- backoffice: the web app's static files in nginx (docker-compose service `backoffice`) -------------------
FROM nginx:1.27-alpine AS backoffice
COPY --from=build /app/backoffice/dist /usr/share/nginx/html/backoffice

# --- prod-deps: runtime dependencies only ---------------------------------------------------------
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# No sources and no dev tools here: `prepare` (the back office build) is the build stage's job.
RUN npm pkg delete scripts.prepare \
 && npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force

# --- runtime ----------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Code and dependencies stay root-owned (read-only to the app); only the data directory is writable.
COPY package.json package-lock.json ./
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/backoffice/dist ./backoffice/dist
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 3000
CMD ["node", "dist/api/main.js"]
