import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { request } from '../support/http.js';
import { tempDir } from '../support/processes.js';
import { startStack } from '../support/stack.js';

/** What a clean stop of the local stack leaves on disk: one SQLite file that holds everything. */
test('after a clean stop every document is in documents.sqlite itself, none left in its write-ahead log', async () => {
  const data = tempDir('dbsvc-clean-stop');
  const copy = tempDir('dbsvc-clean-stop-copy');
  try {
    const stack = await startStack({}, data.path);
    try {
      for (let i = 0; i < 20; i++) {
        assert.is((await request(stack.url, 'POST', '/v1/collections/kept/documents', { json: { id: `d${i}`, data: { i } } })).status, 201);
      }
    } finally {
      assert.is((await stack.process.stop()).code, 0);
    }
    const wal = join(data.path, 'documents.sqlite-wal');
    assert.ok(!existsSync(wal) || statSync(wal).size === 0, 'the write-ahead log is checkpointed away');
    // The main file alone, as a backup that copies only it would hold it.
    copyFileSync(join(data.path, 'documents.sqlite'), join(copy.path, 'documents.sqlite'));
    const db = new DatabaseSync(join(copy.path, 'documents.sqlite'), { readOnly: true });
    try {
      assert.is(db.prepare("SELECT count(*) AS n FROM documents WHERE collection = 'kept'").get()?.n, 20);
    } finally {
      db.close();
    }
  } finally {
    data.remove();
    copy.remove();
  }
});

test.run();
