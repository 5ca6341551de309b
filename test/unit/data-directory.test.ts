import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeDataDirectory } from '../../shared/infrastructure/sqlite/data-directory.js';
import { tempDir } from '../support/processes.js';

function code(run: () => void): string | undefined {
  try {
    run();
  } catch (error) {
    return (error as NodeJS.ErrnoException).code;
  }
  return undefined;
}

test('makes the directory and every missing parent', () => {
  const dir = tempDir('dbsvc-data-dir');
  try {
    makeDataDirectory(join(dir.path, 'a', 'b', 'c'));
    assert.ok(statSync(join(dir.path, 'a', 'b', 'c')).isDirectory());
  } finally {
    dir.remove();
  }
});

test('a directory that exists already is no error', () => {
  const dir = tempDir('dbsvc-data-dir');
  try {
    makeDataDirectory(dir.path);
    makeDataDirectory(join(dir.path, 'x'));
    makeDataDirectory(join(dir.path, 'x'));
    assert.ok(statSync(join(dir.path, 'x')).isDirectory());
  } finally {
    dir.remove();
  }
});

test('a path through a file fails with the system error', () => {
  const dir = tempDir('dbsvc-data-dir');
  try {
    writeFileSync(join(dir.path, 'file'), '');
    assert.is(code(() => makeDataDirectory(join(dir.path, 'file'))), 'EEXIST');
    assert.is(code(() => makeDataDirectory(join(dir.path, 'file', 'below'))), 'ENOTDIR');
  } finally {
    dir.remove();
  }
});

test('a directory its existing parent refuses to hold (under /proc) fails with ENOENT, where a recursive mkdir loops for ever', () => {
  assert.is(code(() => makeDataDirectory('/proc/no-such-data-dir/db')), 'ENOENT');
});

test.run();
