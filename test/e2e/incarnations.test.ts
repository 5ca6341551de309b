import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { historyViolations, type AckedDocument } from '../support/incarnation-history.js';
import { withKnownDifferences, type KnownDifferences } from '../support/known-differences.js';
import { NOT_ATOMIC, mongoAvailable, mongoServer, mongoServerKind } from '../support/mongodb.js';
import { tempDir } from '../support/processes.js';
import { startFunction } from '../support/stack.js';

/**
 * Racing clients create, merge-patch (without If-Match) and delete a few ids, each request sent straight to
 * the function that serves it, as Knative routes them. Versions are never reused, so no acknowledged write may
 * land on another incarnation of its id or be lost (see incarnation-history.ts for what is checked).
 */

const CLIENTS = 16;
const IDS = ['k0', 'k1', 'k2'];
/** Bounds of the whole run: whichever comes first. */
const MAX_OPERATIONS = 3000;
const MAX_MILLISECONDS = 8000;

type Op = 'create' | 'patch' | 'delete';

interface Functions {
  readonly urls: Record<Op | 'get', string>;
  stop(): Promise<void>;
}

async function startFunctions(env: NodeJS.ProcessEnv): Promise<Functions> {
  const started: Array<Awaited<ReturnType<typeof startFunction>>> = [];
  try {
    for (const op of ['create', 'update', 'delete', 'get']) started.push(await startFunction(op, env));
  } catch (error) {
    await Promise.all(started.map((f) => f.process.stop()));
    throw error;
  }
  const [create, update, remove, get] = started.map((f) => f.url) as [string, string, string, string];
  return {
    urls: { create, patch: update, delete: remove, get },
    stop: async () => {
      await Promise.all(started.map((f) => f.process.stop()));
    },
  };
}

interface Tally {
  operations: number;
  byOutcome: Record<string, number>;
  /** Answers the contract does not give for this race, each with its problem body (what went wrong). */
  unexpected: string[];
}

async function race(functions: Functions, collection: string): Promise<{ acked: AckedDocument[]; tally: Tally }> {
  const acked: AckedDocument[] = [];
  const tally: Tally = { operations: 0, byOutcome: {}, unexpected: [] };
  const deadline = Date.now() + MAX_MILLISECONDS;
  const path = (id?: string) => `/v1/collections/${collection}/documents${id ? `/${id}` : ''}`;

  async function client(c: number): Promise<void> {
    for (let n = 0; tally.operations < MAX_OPERATIONS && Date.now() < deadline; n++) {
      tally.operations++;
      const id = IDS[Math.floor(Math.random() * IDS.length)]!;
      const roll = Math.random();
      const op: Op = roll < 0.3 ? 'create' : roll < 0.8 ? 'patch' : 'delete';
      const token = `c${c}n${n}`;
      const response =
        op === 'create'
          ? await fetch(functions.urls.create + path(), {
              method: 'POST',
              headers: { 'Content-Type': 'application/json' },
              body: JSON.stringify({ id, data: { born: token } }),
            })
          : op === 'patch'
            ? await fetch(functions.urls.patch + path(id), {
                method: 'PATCH',
                headers: { 'Content-Type': 'application/merge-patch+json' },
                body: JSON.stringify({ [`p_${token}`]: true }),
              })
            : await fetch(functions.urls.delete + path(id), { method: 'DELETE' });
      const outcome = `${op} ${response.status}`;
      tally.byOutcome[outcome] = (tally.byOutcome[outcome] ?? 0) + 1;
      if (op !== 'delete' && (response.status === 200 || response.status === 201)) {
        const document = (await response.json()) as AckedDocument;
        acked.push({ ...document, op });
      } else if (!EXPECTED_ANSWER.test(outcome)) {
        tally.unexpected.push(`${outcome} ${await response.text()}`);
      } else {
        await response.body?.cancel();
      }
    }
  }

  await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
  for (const id of IDS) {
    const response = await fetch(functions.urls.get + path(id));
    if (response.status === 200) acked.push({ ...((await response.json()) as AckedDocument), op: 'final' });
    else await response.body?.cancel();
  }
  return { acked, tally };
}

/** The answers the contract gives for this race. */
const EXPECTED_ANSWER = /^(create (201|409)|patch (200|404)|delete (204|404))$/;

const RACE = 'no acknowledged write lands on another incarnation or is lost, and no version is reused';

function raceTest(name: string, env: () => Promise<NodeJS.ProcessEnv>, differences: KnownDifferences = {}): void {
  const title = `Racing create / patch / delete (${name})`;
  const test = withKnownDifferences(title, suite(title), differences);
  test(RACE, async () => {
    const functions = await startFunctions(await env());
    try {
      const { acked, tally } = await race(functions, `race_${process.pid}_${Date.now()}`);
      const recreated = tally.byOutcome['create 201'] ?? 0;
      console.log(`racing (${name}): ${tally.operations} operations by ${CLIENTS} clients on ${IDS.length} ids: ${JSON.stringify(tally.byOutcome)}`);
      // The run must have exercised the interleaving: ids deleted and created again, patched in between.
      assert.ok(recreated > IDS.length, `only ${recreated} creates succeeded`);
      assert.ok((tally.byOutcome['patch 200'] ?? 0) > 0, 'no patch succeeded');
      assert.ok((tally.byOutcome['delete 204'] ?? 0) > 0, 'no delete succeeded');
      assert.equal(tally.unexpected, [], 'every answer is one the contract gives for this race');
      assert.equal(historyViolations(acked), []);
    } finally {
      await functions.stop();
    }
  });
  test.run();
}

const data = tempDir('dbsvc-race');
raceTest('sqlite', async () => ({ STORE: 'sqlite', DATA_DIR: data.path }));
process.on('exit', () => data.remove());

if (mongoAvailable('racing clients (mongodb)')) {
  raceTest(
    'mongodb',
    async () => ({ STORE: 'mongodb', MONGODB_URI: (await mongoServer()).uri(`dbsvc_race_${process.pid}`) }),
    mongoServerKind() === 'FerretDB' ? { [RACE]: NOT_ATOMIC } : {},
  );
}
