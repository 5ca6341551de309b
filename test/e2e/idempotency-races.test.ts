import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mongoAvailable, mongoServer } from '../support/mongodb.js';
import { tempDir } from '../support/processes.js';
import { startFunction } from '../support/stack.js';

/**
 * Many clients send one create with one Idempotency-Key, through two create processes, while others delete its
 * id: the key creates the document once, and every client gets that create's 201 (docs/api.md), however the
 * deletes fall. A create the key wrote and a delete then removed must stay removed.
 */

const ROUNDS = 8;
const CREATES = 16;
const DELETERS = 8;
const DELETES_EACH = 5;

interface Functions {
  readonly create: readonly string[];
  readonly remove: readonly string[];
  readonly get: string;
  stop(): Promise<void>;
}

async function startFunctions(env: NodeJS.ProcessEnv): Promise<Functions> {
  const started: Array<Awaited<ReturnType<typeof startFunction>>> = [];
  try {
    for (const op of ['create', 'create', 'delete', 'delete', 'get']) started.push(await startFunction(op, env));
  } catch (error) {
    await Promise.all(started.map((f) => f.process.stop()));
    throw error;
  }
  const [create1, create2, delete1, delete2, get] = started.map((f) => f.url) as [string, string, string, string, string];
  return {
    create: [create1, create2],
    remove: [delete1, delete2],
    get,
    stop: async () => {
      await Promise.all(started.map((f) => f.process.stop()));
    },
  };
}

/** What went wrong in one round: replies other than the first create's 201, or the id live at another version. */
async function round(functions: Functions, collection: string, n: number): Promise<string[]> {
  const id = `x${n}`;
  const path = `/v1/collections/${collection}/documents`;
  const body = JSON.stringify({ id, data: { n } });
  const creates = Array.from({ length: CREATES }, async (_, i) => {
    const response = await fetch(functions.create[i % 2] + path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': `key-${n}` },
      body,
    });
    return `${response.status} ${await response.text()}`;
  });
  const deletes = Array.from({ length: DELETERS }, async (_, i) => {
    for (let j = 0; j < DELETES_EACH; j++) await (await fetch(`${functions.remove[i % 2]}${path}/${id}`, { method: 'DELETE' })).body?.cancel();
  });
  const replies = await Promise.all(creates);
  await Promise.all(deletes);
  const problems = [...new Set(replies)].filter((reply) => !reply.startsWith('201 ') || JSON.parse(reply.slice(4)).version !== 1);
  if (new Set(replies).size > 1) problems.push(`${new Set(replies).size} different replies`);
  const final = await fetch(`${functions.get}${path}/${id}`);
  if (final.status === 200) {
    const { version } = (await final.json()) as { version: number };
    if (version !== 1) problems.push(`'${id}' created again, at version ${version}`);
  } else await final.body?.cancel();
  return problems.map((problem) => `round ${n}: ${problem}`);
}

function raceTest(name: string, env: () => Promise<NodeJS.ProcessEnv>): void {
  const test = suite(`Idempotency-Key races (${name})`);
  test('creates with one key racing deletes of its id create the document once and all answer its 201', async () => {
    const functions = await startFunctions(await env());
    try {
      const collection = `idem_${process.pid}_${Date.now()}`;
      const problems: string[] = [];
      for (let n = 0; n < ROUNDS; n++) problems.push(...(await round(functions, collection, n)));
      assert.equal(problems, []);
    } finally {
      await functions.stop();
    }
  });
  test.run();
}

const data = tempDir('dbsvc-idem-race');
raceTest('sqlite', async () => ({ STORE: 'sqlite', DATA_DIR: data.path }));
process.on('exit', () => data.remove());

if (mongoAvailable('Idempotency-Key races (mongodb)')) {
  raceTest('mongodb', async () => ({ STORE: 'mongodb', MONGODB_URI: (await mongoServer()).uri(`dbsvc_idem_race_${process.pid}`) }));
}
