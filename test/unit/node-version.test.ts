import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';

/**
 * The Node line the service supports is the one the suite runs on: `npm test` runs `node` from
 * node_modules/.bin (the `node` devDependency) even where the machine's own Node is older, and every process a
 * test starts uses process.execPath, so this process's version is the tested one.
 */
const test = suite('node version');

const engines: string = JSON.parse(readFileSync('package.json', 'utf8')).engines.node;
const floor = Number(/^>=(\d+)$/.exec(engines)?.[1]);
const major = Number(process.versions.node.split('.')[0]);

test('package.json names a major version as the floor', () => {
  assert.ok(Number.isInteger(floor), `engines.node is ${engines}`);
});

test('the suite runs on the Node line package.json requires', () => {
  assert.is(major, floor, `running ${process.version}, engines.node is ${engines}`);
});

// Read as text: uvu loads tests as CommonJS, which cannot import the ES module esbuild.config.mjs.
test('the bundles are compiled for that same Node line', () => {
  assert.match(readFileSync('esbuild.config.mjs', 'utf8'), `target: 'node${floor}',`);
});

test.run();
