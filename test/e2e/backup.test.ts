import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { request } from '../support/http.js';
import { ROOT, spawnProcess, tempDir } from '../support/processes.js';
import { startStack } from '../support/stack.js';

/** `npm run backup` (scripts/backup.mjs) against a running stack, and its restore into another DATA_DIR. */
async function backupScript(dataDir: string, args: string[]): Promise<void> {
  const run = spawnProcess(process.execPath, [join(ROOT, 'scripts', 'backup.mjs'), ...args], { DATA_DIR: dataDir });
  const { code } = await run.exited;
  assert.is(code, 0, run.output());
}

test('a backup taken while documents are written restores to a stack with every document written before it', async () => {
  const live = tempDir('dbsvc-backup-live');
  const restored = tempDir('dbsvc-backup-restored');
  const backups = tempDir('dbsvc-backups');
  const file = join(backups.path, 'documents.backup.sqlite');
  try {
    const stack = await startStack({}, live.path);
    try {
      for (let i = 0; i < 10; i++) {
        assert.is((await request(stack.url, 'POST', '/v1/collections/b/documents', { json: { id: `before-${i}`, data: { i } } })).status, 201);
      }
      // A writer keeps going during the backup: the copy must still be consistent.
      let writing = true;
      const writer = (async () => {
        for (let i = 0; writing && i < 2000; i++) await request(stack.url, 'POST', '/v1/collections/b/documents', { json: { id: `during-${i}`, data: { i } } });
      })();
      try {
        await backupScript(live.path, [file]);
      } finally {
        writing = false;
        await writer;
      }
    } finally {
      await stack.stop();
    }

    const copy = new DatabaseSync(file, { readOnly: true });
    try {
      assert.is(copy.prepare('PRAGMA integrity_check').get()?.integrity_check, 'ok');
    } finally {
      copy.close();
    }
    await backupScript(restored.path, ['--restore', file]);
    const again = await startStack({}, restored.path);
    try {
      for (let i = 0; i < 10; i++) {
        assert.is((await request(again.url, 'GET', `/v1/collections/b/documents/before-${i}`)).status, 200);
      }
    } finally {
      await again.stop();
    }
  } finally {
    live.remove();
    restored.remove();
    backups.remove();
  }
});

test.run();
