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

test('a backup into a folder that does not exist yet makes the folder, and restores into a DATA_DIR that does not exist', async () => {
  const live = tempDir('dbsvc-backup-folder');
  const backups = tempDir('dbsvc-backups-folder');
  const file = join(backups.path, 'not', 'yet', 'documents.sqlite');
  const restoredDir = join(backups.path, 'fresh-data');
  try {
    const stack = await startStack({}, live.path);
    try {
      assert.is((await request(stack.url, 'POST', '/v1/collections/b/documents', { json: { id: 'one', data: {} } })).status, 201);
      await backupScript(live.path, [file]);
    } finally {
      await stack.stop();
    }
    await backupScript(restoredDir, ['--restore', file]);
    const again = await startStack({}, restoredDir);
    try {
      assert.is((await request(again.url, 'GET', '/v1/collections/b/documents/one')).status, 200);
    } finally {
      await again.stop();
    }
  } finally {
    live.remove();
    backups.remove();
  }
});

test('a backup of a store of thousands of pages ends while writers keep writing', async () => {
  const live = tempDir('dbsvc-backup-busy');
  const backups = tempDir('dbsvc-backups-busy');
  try {
    const stack = await startStack({}, live.path);
    try {
      for (let start = 0; start < 20_000; start += 1000) {
        const documents = Array.from({ length: 1000 }, (_, i) => ({ id: `seed-${start + i}`, data: { text: 'x'.repeat(200), i: start + i } }));
        assert.is((await request(stack.url, 'POST', '/v1/collections/b/bulk/create', { json: { documents } })).status, 200);
      }
      // Writers that stop only when the backup has ended, or after 5,000 writes each.
      let backingUp = true;
      let writes = 0;
      const writers = Array.from({ length: 2 }, (_, w) =>
        (async () => {
          for (let i = 0; backingUp && i < 5000; i++, writes++) await request(stack.url, 'POST', '/v1/collections/b/documents', { json: { id: `w${w}-${i}`, data: { i } } });
        })(),
      );
      try {
        await backupScript(live.path, [join(backups.path, 'busy.sqlite')]);
        assert.ok(writes < 10_000, 'the backup ended only once the writers had stopped');
      } finally {
        backingUp = false;
        await Promise.all(writers);
      }
    } finally {
      await stack.stop();
    }
    const copy = new DatabaseSync(join(backups.path, 'busy.sqlite'), { readOnly: true });
    try {
      assert.is(copy.prepare('PRAGMA integrity_check').get()?.integrity_check, 'ok');
      assert.ok(Number(copy.prepare("SELECT count(*) AS n FROM documents WHERE collection = 'b'").get()?.n) >= 20_000);
    } finally {
      copy.close();
    }
  } finally {
    live.remove();
    backups.remove();
  }
});

test.run();
