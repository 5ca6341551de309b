import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { build } from 'esbuild';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, tempDir } from '../support/processes.js';

/**
 * Error names survive the minified bundles: logs, spans and callers see `VersionMismatchError`, not the one
 * letter a minifier renames the class to. Checked on the domain errors and the sidecar's own error, bundled
 * and minified as esbuild.config.mjs builds every bundle.
 */
const MODULES = ['shared/domain/errors.ts', 'grpc-sidecar/grpc-error.ts'];

async function minified(path: string, dir: string): Promise<Record<string, unknown>> {
  const result = await build({
    entryPoints: [join(ROOT, path)],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    minify: true,
    write: false,
    logLevel: 'warning',
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  });
  const file = join(dir, `${path.replaceAll('/', '_')}.mjs`);
  writeFileSync(file, result.outputFiles[0]!.text);
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}

for (const path of MODULES) {
  test(`every error class in ${path} keeps its name when minified`, async () => {
    const dir = tempDir('error-names');
    try {
      const exports = await minified(path, dir.path);
      const classes = Object.entries(exports).filter(
        ([name, value]) => typeof value === 'function' && value.prototype instanceof Error && name !== 'DomainError',
      );
      assert.ok(classes.length > 0, 'the module exports error classes');
      for (const [name, value] of classes) {
        const ErrorClass = value as new (...args: unknown[]) => Error;
        assert.is.not(ErrorClass.name, name, `${name} is renamed by the minifier, so the check means something`);
        assert.is(new ErrorClass('x', 'y', 1, 2).name, name);
      }
    } finally {
      dir.remove();
    }
  });
}

test.run();
