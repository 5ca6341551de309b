// Bundles each function to one self-contained ESM file (only native addons stay in node_modules), plus the
// local stack and, once it exists, the gRPC sidecar. Minified: smaller files parse faster at cold start.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const FUNCTIONS = ['create', 'get', 'update', 'delete', 'query'];

/** The options every bundle is built with; the cold-start bench builds its hello-world floor with them too. */
export const bundleOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  minify: true,
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  // CommonJS dependencies call require() for Node built-ins; give the ESM bundle one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  // Native addons and optional driver plugins cannot be bundled; they load from node_modules when present.
  // jose stays out too: it is imported only when AUTH_MODE=jwt, so other functions never parse it.
  // So do the gRPC health and reflection services (sidecar, local stack): they read their own .proto files
  // beside their code at run time. The sidecar's own proto/ is read from beside dist/.
  external: ['better-sqlite3', 're2', 'jose', 'swagger-ui-dist', 'grpc-health-check', '@grpc/reflection', 'kerberos', 'snappy', '@mongodb-js/zstd', 'mongodb-client-encryption', 'gcp-metadata', 'socks', 'aws4', '@aws-sdk/credential-providers'],
  // The MongoDB driver's connection-string parser brings the WHATWG URL polyfill and its Unicode tables
  // (~280 KiB minified); Node's own URL implements the same standard.
  alias: { 'whatwg-url': 'node:url' },
  metafile: true,
};

const entries = [
  ...FUNCTIONS.map((op) => ({ in: `functions/${op}/main.ts`, out: `functions/${op}` })),
  { in: 'gateway/main.ts', out: 'local-stack' },
  ...(existsSync('grpc-sidecar/main.ts') ? [{ in: 'grpc-sidecar/main.ts', out: 'grpc-sidecar' }] : []),
];

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const results = await Promise.all(
    entries.map((entry) => build({ ...bundleOptions, entryPoints: [entry], outdir: 'dist', outExtension: { '.js': '.mjs' } })),
  );
  for (const [i, result] of results.entries()) {
    for (const [file, output] of Object.entries(result.metafile.outputs)) {
      if (file.endsWith('.mjs')) console.log(`${entries[i].out.padEnd(20)} ${(output.bytes / 1024).toFixed(1).padStart(8)} KiB  ${file}`);
    }
  }
}
