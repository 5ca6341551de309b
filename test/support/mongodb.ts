import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { suite } from 'uvu';
import { ferretDbBinary, ferretDbFlags } from '../../scripts/ferretdb-run.js';
import { freePort, notReady, ROOT, spawnProcess, tempDir, type Spawned } from './processes.js';

/**
 * The MongoDB-wire server of a test run, picked in this order: `MONGODB_URI` when set; mongodb-memory-server
 * when that optional package is installed and already has a mongod binary; otherwise FerretDB with its SQLite
 * backend, built once by scripts/ferretdb.sh. With CI=true a run without any of them fails.
 */
export interface MongoTestServer {
  /** Which server and version, for suite names and the run's closing note. */
  readonly description: string;
  /** A connection string for `database` on this server. */
  uri(database: string): string;
}

/** Where scripts/ferretdb.sh caches the binary (keep the version in step with the script's default). */
const FERRETDB_BINARY = join(ROOT, '.cache', 'ferretdb', 'ferretdb-v1.24.2');
const MEMORY_SERVER = 'mongodb-memory-server';
const READY_TIMEOUT_MS = 30_000;

/** `uri` with its database path set to `database`, options kept. */
export function withDatabase(uri: string, database: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?]*)\/?([^?]*)(\?.*)?$/.exec(uri);
  if (!match) throw new Error(`not a MongoDB connection string: ${uri}`);
  return `${match[1]}/${database}${match[3] ?? ''}`;
}

/** The server's own account of itself: MongoDB's version, and FerretDB's when it is FerretDB. */
async function describe(uri: string, name: string): Promise<string> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
  try {
    const info = await client.db('admin').command({ buildInfo: 1 });
    const ferret = typeof info['ferretdbVersion'] === 'string' ? `FerretDB ${info['ferretdbVersion']}, ` : '';
    return `${name} (${ferret}MongoDB ${String(info['version'])} wire)`;
  } finally {
    await client.close();
  }
}

/** Pings until the server answers, failing at once if its process exits first. */
async function waitForMongo(uri: string, server: Spawned): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let exited = false;
  void server.exited.then(() => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw notReady(`the MongoDB-wire server exited before it was ready:\n${server.output()}`);
    // A fresh client each time: a client whose first connect failed stays closed.
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 250, connectTimeoutMS: 250 });
    try {
      await client.db('admin').command({ ping: 1 });
      return;
    } catch {
      // Not accepting connections yet; the failed selection itself paces the loop.
    } finally {
      await client.close();
    }
  }
  throw notReady(`the MongoDB-wire server was not ready within ${READY_TIMEOUT_MS} ms:\n${server.output()}`);
}

/** One FerretDB process on a fixed loopback port and data directory, which can be stopped and started again. */
export class FerretDb {
  #process: Spawned | undefined;

  private constructor(
    private readonly binary: string,
    readonly port: number,
    readonly dataDir: string,
  ) {}

  static async start(): Promise<FerretDb> {
    const data = tempDir('dbsvc-ferretdb');
    process.once('exit', data.remove);
    const server = new FerretDb(ferretDbBinary(), await freePort(), data.path);
    await server.start();
    return server;
  }

  uri(database: string): string {
    return `mongodb://127.0.0.1:${this.port}/${database}`;
  }

  /** Starts the server (again) on the same port and data; resolves once it answers a ping. */
  async start(): Promise<void> {
    const server = spawnProcess(this.binary, ferretDbFlags(this.dataDir, this.port));
    this.#process = server;
    // The shared server lives as long as the run; it must not keep the test process from exiting.
    server.child.unref();
    for (const stream of [server.child.stdout, server.child.stderr]) (stream as Socket | null)?.unref();
    try {
      await waitForMongo(this.uri('admin'), server);
    } catch (error) {
      await server.stop();
      throw error;
    }
  }

  /** Kills the server outright, as a crash or a lost host would, and waits until it is gone. */
  async kill(): Promise<void> {
    const server = this.#process;
    this.#process = undefined;
    if (!server || server.child.exitCode !== null || server.child.signalCode !== null) return;
    // Held by the event loop again until it is gone, so awaiting its exit keeps the run alive.
    server.child.ref();
    server.child.kill('SIGKILL');
    await server.exited;
  }
}

/** mongodb-memory-server, only when installed and a mongod binary is already there: it is never downloaded here. */
async function memoryServer(): Promise<MongoTestServer | undefined> {
  let module: { MongoMemoryServer: { create(): Promise<{ getUri(): string; stop(): Promise<unknown> }> } };
  try {
    // A variable specifier: the package is optional, so tsc must not insist on resolving it.
    module = (await import(MEMORY_SERVER)) as typeof module;
  } catch {
    return undefined;
  }
  process.env['MONGOMS_RUNTIME_DOWNLOAD'] ??= 'false';
  try {
    const server = await module.MongoMemoryServer.create();
    const uri = server.getUri();
    return { description: await describe(uri, 'mongodb-memory-server'), uri: (database) => withDatabase(uri, database) };
  } catch (error) {
    console.log(`mongodb-memory-server has no mongod binary here (${String(error).split('\n')[0]}); using FerretDB`);
    return undefined;
  }
}

async function pick(): Promise<MongoTestServer> {
  const external = process.env['MONGODB_URI'];
  if (external) return { description: await describe(external, 'MONGODB_URI'), uri: (database) => withDatabase(external, database) };
  const memory = await memoryServer();
  if (memory) return memory;
  const ferret = await FerretDb.start();
  return { description: await describe(ferret.uri('admin'), 'FerretDB/SQLite'), uri: (database) => ferret.uri(database) };
}

/** Which server `mongoServer()` will start, known without starting it (so suites can be registered). */
export function mongoServerKind(): 'MONGODB_URI' | 'mongodb-memory-server' | 'FerretDB' {
  if (process.env['MONGODB_URI']) return 'MONGODB_URI';
  return isInstalled(MEMORY_SERVER) ? 'mongodb-memory-server' : 'FerretDB';
}

/** Why a test of concurrent writers to one document cannot pass on FerretDB v1. */
export const NOT_ATOMIC =
  'FerretDB v1 applies an update or findAndModify as a read, then a write by _id, not atomically per document ' +
  '(github.com/FerretDB/FerretDB internal/handler/common/update.go), so concurrent writers of one document can ' +
  'both pass a version guard or lose an increment; MongoDB updates one document atomically, which the store relies on';
const NO_NESTED_ARRAYS = 'FerretDB v1 refuses to store arrays inside arrays ("nested arrays are not supported"); MongoDB stores them';
/** Why a change of data that only renames keys is lost on FerretDB v1 (PUT, every PATCH, bulk update). */
const SET_IGNORES_KEY_NAMES =
  'FerretDB v1 skips a $set whose value it finds identical to the stored one, and its test (internal/types/identical.go, ' +
  'from internal/handler/common/update.go) compares embedded documents by their values in order, not their field names: ' +
  'new data that differs from the stored data only in key names is not written, while $inc still raises the version. ' +
  'MongoDB compares field names and writes it. No update shape avoids it: FerretDB v1 has no pipeline updates, a $unset ' +
  'and a $set of data conflict, and a whole-document replacement needs createdAt, which a replace does not read';
/** Why a unique index on FerretDB v1 lets documents share a key that MongoDB refuses. */
const UNIQUE_NULLS =
  'FerretDB v1 on SQLite indexes the JSON value at the path in a SQLite UNIQUE index (internal/backends/sqlite/metadata/registry.go), ' +
  'where a missing field is SQL NULL, which SQLite lets repeat and which never equals a JSON null; MongoDB indexes a ' +
  'missing field as null, so a second document without the field, or one with null, is a duplicate key';
const UNIQUE_NOT_MULTIKEY =
  'FerretDB v1 on SQLite indexes the JSON value at the path in a SQLite UNIQUE index (internal/backends/sqlite/metadata/registry.go): ' +
  'an array is one key, the whole array, not one key per element; MongoDB’s unique index is multikey, so an element ' +
  'equal to another document’s key is a duplicate';
const UNIQUE_THROUGH_ARRAYS =
  'FerretDB v1 on SQLite indexes the JSON value at each path in a SQLite UNIQUE index (internal/backends/sqlite/metadata/registry.go), ' +
  'where a path through an array of objects reaches no value (SQL NULL, which may repeat), so no document with such an array ' +
  'conflicts, not even one with the same array; MongoDB keys each element, pairing the fields of that element, so an element ' +
  'whose pair another document’s element holds is a duplicate';
/** Why explain names no index on FerretDB v1. */
const PLANS_SCANS = 'FerretDB v1 on SQLite plans every query as a collection scan, so its plan names no index';

/**
 * Tests of the shared store and REST suites that FerretDB v1 cannot pass, by title. The store does not work
 * around them: it keeps MongoDB's semantics, so with MONGODB_URI set to a real MongoDB every one of them runs.
 */
export const FERRETDB_STORE_DIFFERENCES = {
  'create then get returns the same data, exactly as JSON (nesting, arrays, unicode, numbers, key order)': NO_NESTED_ARRAYS,
  'query: equality with a scalar also matches arrays that contain it': NO_NESTED_ARRAYS,
  'query: equality with an array matches that exact array, or an array holding it as an element': NO_NESTED_ARRAYS,
  'a unique index tells an array’s elements from an inner array equal to it: {e: ["x","y"]} and {e: [["x","y"]]} both stand': NO_NESTED_ARRAYS,
  'a unique index refuses a second document that lacks the field: a missing field is the key null': UNIQUE_NULLS,
  'a unique index refuses a null key where another document lacks the field': UNIQUE_NULLS,
  'a unique index refuses an array holding an element that is another document’s key': UNIQUE_NOT_MULTIKEY,
  'a unique index refuses a key that is an element of another document’s array': UNIQUE_NOT_MULTIKEY,
  'a unique index on two fields of one array of objects refuses an element with the pair of another document’s element': UNIQUE_THROUGH_ARRAYS,
  'explain names the index on two fields of one array of objects that serves a query on them': PLANS_SCANS,
  'a replace that only renames keys stores the new names': SET_IGNORES_KEY_NAMES,
  'of 30 concurrent replaces at the same version exactly one wins; the rest see VersionMismatchError': NOT_ATOMIC,
  '30 concurrent unconditional replaces each apply once: versions 2..31, none lost': NOT_ATOMIC,
  '30 concurrent $inc of one document through the update use case end at exactly +30': NOT_ATOMIC,
};

/** The store contract run with indexes built for every query (storeContract's `withIndexes`). */
export const FERRETDB_INDEX_DIFFERENCES = {
  'indexes served queries of this suite, and every one answered as without them':
    'FerretDB v1 on SQLite plans every query as a collection scan (its explain says "SCAN"), so no query is served by ' +
    'a secondary index; the answers with and without indexes are still compared, and agree',
};

export const FERRETDB_REST_DIFFERENCES = {
  '30 concurrent If-Match updates of one document: exactly one wins, the rest get 412': NOT_ATOMIC,
  '30 concurrent unconditional updates all succeed and the version ends at 31': NOT_ATOMIC,
  '30 concurrent merge patches of distinct keys lose none of them': NOT_ATOMIC,
  '30 concurrent $inc of one document lose no increment': NOT_ATOMIC,
  '30 concurrent upserts of an absent id: one creates (201), the rest replace (200), versions 1..30': NOT_ATOMIC,
  'explain answers the plan: the index chosen, keys and documents examined, returned, duration': PLANS_SCANS,
};

export const FERRETDB_GRPC_DIFFERENCES = {
  'a document nested to the 32-level limit round-trips exactly through Struct': NO_NESTED_ARRAYS,
};

/** Why no server can be had here, or undefined when one can (started or built on first use). */
function unavailableReason(restartable: boolean): string | undefined {
  if (!restartable && (process.env['MONGODB_URI'] || isInstalled(MEMORY_SERVER))) return undefined;
  if (existsSync(FERRETDB_BINARY)) return undefined;
  try {
    execFileSync('go', ['version'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return restartable
      ? 'there is no Go toolchain to build FerretDB, which this test stops and restarts'
      : 'MONGODB_URI is not set, mongodb-memory-server is not installed, and there is no Go toolchain to build FerretDB';
  }
}

function isInstalled(name: string): boolean {
  try {
    createRequire(import.meta.url).resolve(name);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether a MongoDB-wire server can be had for the suites called `name` (with `restartable`, one the test
 * may stop and start: its own FerretDB); decided without starting one, so suites can be registered
 * synchronously. When not: with CI=true a test of that name is registered that fails saying why; otherwise
 * why the suites are skipped is printed.
 */
export function mongoAvailable(name: string, { restartable = false } = {}): boolean {
  const reason = unavailableReason(restartable);
  if (reason === undefined) return true;
  if (process.env['CI'] === 'true') {
    const unavailable = suite(name);
    unavailable('a MongoDB-wire server is available (CI=true)', () => {
      throw new Error(reason);
    });
    unavailable.run();
  } else {
    console.log(`${name}: SKIPPED, ${reason}`);
  }
  return false;
}

let shared: Promise<MongoTestServer> | undefined;

/** The run's MongoDB-wire server, shared by every suite in the process; started on first call. */
export function mongoServer(): Promise<MongoTestServer> {
  shared ??= pick().then((server) => {
    console.log(`MongoDB tests run against ${server.description}`);
    return server;
  });
  return shared;
}
