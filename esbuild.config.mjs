// Bundles each function to dist/functions/<op>.mjs, the local stack to dist/local-stack.mjs, the gateway
// alone to dist/gateway.mjs and the gRPC sidecar to dist/grpc-sidecar.mjs. Minified: smaller files parse
// faster at cold start. Every `await import()` (optional adapters: CloudEvents, default metrics, store
// drivers) becomes its own chunk under dist/chunks, read only when the import runs, so an adapter that is not
// configured costs a function nothing at start. dist/metafile.json says which file imports which (the bench
// and the tests read start-up sizes from it: test/support/bundles.ts). Each function's entry is a small launcher
// that turns on V8's compile cache and then imports the function (functions/<op>/main.ts); the build ends by
// filling that cache, dist/compile-cache (scripts/warm-compile-cache.ts).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const FUNCTIONS = ['create', 'get', 'update', 'delete', 'query', 'indexes'];

/** The options every bundle is built with; the cold-start bench builds its hello-world floor with them too. */
export const bundleOptions = {
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  minify: true,
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  // CommonJS dependencies call require() for Node built-ins; give each ESM file one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  // Optional driver plugins and static assets load from node_modules when present. re2js (the `$regex` engine)
  // stays out: it is loaded synchronously on the first `$regex`, so functions never parse it at start. jose
  // too: it is imported only when AUTH_MODE=jwt, so other functions never parse it. So do the gRPC health and
  // reflection services (sidecar, local stack): they read their own .proto files beside their code at run
  // time; the sidecar's own proto/ is read from beside dist/. The SQLite store is Node's own node:sqlite, a
  // built-in like every `node:` import, so nothing of it is bundled or installed.
  external: ['re2js', 'jose', 'swagger-ui-dist', 'grpc-health-check', '@grpc/reflection', 'kerberos', 'snappy', '@mongodb-js/zstd', 'mongodb-client-encryption', 'gcp-metadata', 'socks', 'aws4', '@aws-sdk/credential-providers'],
  // The MongoDB driver's connection-string parser brings the WHATWG URL polyfill and its Unicode tables
  // (~280 KiB minified); Node's own URL implements the same standard.
  alias: { 'whatwg-url': 'node:url' },
  metafile: true,
};

const entries = [
  ...FUNCTIONS.map((op) => ({ in: `functions/${op}/main.ts`, out: `functions/${op}` })),
  { in: 'gateway/main.ts', out: 'local-stack' },
  // The gateway without the functions, in front of functions in other containers (compose.yaml).
  { in: 'gateway/proxy-main.ts', out: 'gateway' },
  { in: 'grpc-sidecar/main.ts', out: 'grpc-sidecar' },
  { in: 'scripts/warm-compile-cache.ts', out: 'warm-compile-cache' },
];

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // Chunk names carry content hashes; start clean so no stale chunk ships.
  rmSync('dist', { recursive: true, force: true });
  const results = await Promise.all(entries.map((entry) => build({ ...bundleOptions, entryPoints: [entry], outdir: 'dist' })));
  const outputs = Object.assign({}, ...results.map((result) => result.metafile.outputs));
  writeFileSync('dist/metafile.json', JSON.stringify({ outputs }));
  for (const [file, output] of Object.entries(outputs)) {
    if (file.endsWith('.mjs')) console.log(`${(output.bytes / 1024).toFixed(1).padStart(8)} KiB  ${file}`);
  }
  execFileSync(process.execPath, ['dist/warm-compile-cache.mjs'], { stdio: 'inherit' });
}
