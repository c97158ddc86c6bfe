# Build on Node 22: some Google Cloud client packages declare it in `engines`.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY commands ./commands
RUN npm run build && npm prune --omit=dev

FROM node:22-bookworm-slim
ENV NODE_ENV=production PORT=3000 WARROOM_CONFIG=/config/warroom.yml
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json warroom.example.yml manifest.yml ./
# Scenarios for the shell's --simulate demos inside the image.
COPY scenarios ./scenarios
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# The Slack app, with its workers in a process of their own (WARROOM_WORKER_PROCESSES, default 1);
# `--role app` and `--role worker` run them as separate containers.
# A small young generation: the Slack app's live heap is ~30 MB; V8's default lets it grow past 100 MB.
ENTRYPOINT ["node", "--max-semi-space-size=2", "dist/src/main.js"]
CMD ["--role", "all"]
