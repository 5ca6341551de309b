import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { builtOutputs } from '../support/bundles.js';
import { ROOT } from '../support/processes.js';

/**
 * The bundles hold their dependencies, so a production install (`npm ci --omit=dev`, the image's node_modules)
 * needs only the packages they read from node_modules at run time: `dependencies` lists exactly those, and
 * everything esbuild bundles is a devDependency (BENCHMARKS.md, "Production install").
 */

/** Read by path or loaded with createRequire at run time, so esbuild's metafile does not show them. */
const LOADED_BY_PATH = {
  re2js: 'loaded on the first $regex (re2js-pattern-engine.ts)',
  'swagger-ui-dist': 'static files of /docs (gateway-app.ts)',
};
/** The MongoDB driver's optional plugins: loaded when installed, and this service installs none. */
const OPTIONAL = ['kerberos', 'snappy', '@mongodb-js/zstd', 'mongodb-client-encryption', 'gcp-metadata', 'socks', 'aws4', '@aws-sdk/credential-providers'];

const dependencies = Object.keys(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).dependencies as object);
const packageOf = (path: string) => path.split('/').slice(0, path.startsWith('@') ? 2 : 1).join('/');
const imported = new Set(
  Object.values(builtOutputs())
    .flatMap((output) => output.imports)
    .filter((i) => i.external && !i.path.startsWith('node:') && !builtinModules.includes(i.path))
    .map((i) => packageOf(i.path)),
);

test('every package the bundles import from node_modules is a production dependency', () => {
  for (const name of imported) if (!OPTIONAL.includes(name)) assert.ok(dependencies.includes(name), `${name} is imported by a bundle`);
});

test('production dependencies are only packages the bundles read at run time', () => {
  for (const name of dependencies) assert.ok(imported.has(name) || name in LOADED_BY_PATH, `${name} is bundled: make it a devDependency`);
});

test.run();
