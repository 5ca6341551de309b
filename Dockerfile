# syntax=docker/dockerfile:1
# One image for every part of the service: the five functions, the gRPC sidecar and the gateway. The
# container's arguments choose what runs: knative/ passes dist/functions/<op>.mjs to each Knative Service and
# dist/grpc-sidecar.mjs to the sidecar Deployment; compose.yaml runs dist/gateway.mjs too.
# Build with: docker build -t dbsvc .

# Node 24 (the Active LTS line; Node 20 left support in April 2026), Debian 12 like the run stage below.
FROM node:24-bookworm-slim AS build
WORKDIR /src
# No compiler: nothing is native (the SQLite store is Node's own node:sqlite).
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# The compile cache `npm run build` writes is this stage's Node's and root's; the compile-cache stage below
# writes the image's own.
RUN npm run build && find dist -name '*.map' -delete && rm -rf dist/compile-cache

# The bundles hold their dependencies; node_modules is needed at run time only for what `dependencies` in
# package.json lists (re2js, jose, the /docs assets, the gRPC health and reflection services); everything
# bundled is a devDependency, so the prune leaves only those.
FROM build AS deps
RUN npm prune --omit=dev

# V8's compile cache for the functions (dist/compile-cache; each function's start compiles from it): written
# by starting each function once, with the run image's own Node and as the uid the functions run as, since
# Node uses only a cache of its own version and uid (any other is ignored, never an error).
FROM gcr.io/distroless/nodejs24-debian12:nonroot AS compile-cache
WORKDIR /app
COPY --from=deps --chown=65532:65532 /src/node_modules ./node_modules
COPY --from=build --chown=65532:65532 /src/dist ./dist
USER 65532:65532
RUN ["/nodejs/bin/node", "dist/warm-compile-cache.mjs"]

# Debian 12 like the build stage, Node 24 only: no shell, no package manager.
FROM gcr.io/distroless/nodejs24-debian12:nonroot
WORKDIR /app
ENV NODE_ENV=production
COPY --from=deps /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY --from=build /src/proto ./proto
# Owned by root (the warm-up leaves its files 0644): the functions read it and never write it.
COPY --from=compile-cache /app/dist/compile-cache ./dist/compile-cache
# Numeric uid:gid (distroless's nonroot user): the kubelet can only verify runAsNonRoot for a numeric user,
# and refuses to start a container whose image names its user ("image has non-numeric user").
USER 65532:65532
EXPOSE 8080 50051 9464
# The flags every function runs with (shared/runtime/startup/node-flags.ts: young generation at most 2 x 8 MiB);
# the sidecar and the gateway run with them too. A function's own flags (the query's) come first in its args.
ENTRYPOINT ["/nodejs/bin/node", "--max-semi-space-size=8"]
CMD ["dist/functions/get.mjs"]
