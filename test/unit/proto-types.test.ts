import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT, tempDir } from '../support/processes.js';

function filesUnder(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      files.set(relative(dir, path), readFileSync(path, 'utf8'));
    }
  }
  return files;
}

test('the committed TypeScript types are what proto/database_service.proto generates', () => {
  const out = tempDir('dbsvc-proto-types');
  try {
    execFileSync(process.execPath, [join(ROOT, 'scripts/generate-proto-types.mjs'), out.path], { cwd: ROOT, stdio: 'pipe' });
    const fresh = filesUnder(out.path);
    const committed = filesUnder(join(ROOT, 'grpc-sidecar/generated'));
    assert.equal([...committed.keys()].sort(), [...fresh.keys()].sort(), 'the same files');
    for (const [file, text] of fresh) assert.ok(committed.get(file) === text, `${file} is stale: run npm run proto:types`);
  } finally {
    out.remove();
  }
});

test.run();
