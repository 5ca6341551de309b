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
RUN npm run build && find dist -name '*.map' -delete

# The bundles hold their dependencies; node_modules is needed at run time only for what `dependencies` in
# package.json lists (re2js, jose, the /docs assets, the gRPC health and reflection services); everything
# bundled is a devDependency, so the prune leaves only those.
FROM build AS deps
RUN npm prune --omit=dev

# Debian 12 like the build stage, Node 24 only: no shell, no package manager.
FROM gcr.io/distroless/nodejs24-debian12:nonroot
WORKDIR /app
ENV NODE_ENV=production
COPY --from=deps /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY --from=build /src/proto ./proto
# Numeric uid:gid (distroless's nonroot user): the kubelet can only verify runAsNonRoot for a numeric user,
# and refuses to start a container whose image names its user ("image has non-numeric user").
USER 65532:65532
EXPOSE 8080 50051 9464
ENTRYPOINT ["/nodejs/bin/node"]
CMD ["dist/functions/get.mjs"]
