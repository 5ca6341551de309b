import type { DatabaseSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';

/** SQLite's default: the writing connection checkpoints in line once the log holds this many pages. */
const INLINE_CHECKPOINT_PAGES = 1000;
/**
 * While the worker checkpoints, the writer's own checkpoint is only a backstop, for a worker that falls behind:
 * a log this long (16 MiB of 4 KiB pages) is never reached while it keeps up.
 */
const BACKSTOP_CHECKPOINT_PAGES = 4000;
/** At most one checkpoint request per this many ms, so a busy writer posts a handful of messages a second. */
const REQUEST_INTERVAL_MS = 100;
/** How long closing waits for the worker to close its connection before ending it. */
const STOP_WAIT_MS = 1000;

/**
 * The worker's whole program, run from its source text, so a function stays one bundle. It uses only what every
 * thread has (no imports, no bundler helpers). A PASSIVE checkpoint copies what it can from the log into the
 * database file without waiting for readers or the writer; one that finds another checkpoint running does
 * nothing (the next request, or any writer's backstop, takes it).
 */
function checkpointOnRequest(): void {
  const { parentPort, workerData } = process.getBuiltinModule('node:worker_threads');
  const { DatabaseSync } = process.getBuiltinModule('node:sqlite');
  const db = new DatabaseSync(workerData as string);
  const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
  parentPort!.on('message', (message: unknown) => {
    if (message === 'close') {
      db.close();
      parentPort!.close();
      return;
    }
    try {
      checkpoint.get();
    } catch {
      // Busy: another connection holds the checkpoint lock, and is doing this work.
    }
  });
}

/**
 * Moves the write-ahead log's pages into the database file on a worker thread. SQLite's own checkpoint runs
 * inside the commit that crosses its threshold, on the writer's thread: moved here, the writer's thread spends a
 * sixth less time per document in bulk creates and a ninth less in single creates (BENCHMARKS.md, "WAL
 * checkpoints off the request path"). The worker starts with the first write, so a process that only reads never has one.
 * If it fails, the writer checkpoints in line again, as SQLite does by default.
 */
export class WalCheckpointer {
  readonly #db: DatabaseSync;
  readonly #file: string;
  #worker: Worker | undefined;
  /** Stopped, or the worker failed: no more requests. */
  #ended = false;
  /** As if a request had just been made: the worker starts by a timer, never on the first write's path. */
  #lastRequest = performance.now();
  #pending: NodeJS.Timeout | undefined;

  constructor(db: DatabaseSync, file: string) {
    this.#db = db;
    this.#file = file;
    db.exec(`PRAGMA wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES}`);
  }

  /**
   * After a write transaction committed: asks for a checkpoint, at most once per REQUEST_INTERVAL_MS. A commit
   * inside the interval is covered by one request at its end, so the last writes of a burst are moved too.
   */
  committed(): void {
    if (this.#ended || this.#pending) return;
    const wait = this.#lastRequest + REQUEST_INTERVAL_MS - performance.now();
    if (wait <= 0) this.#request();
    else this.#pending = setTimeout(this.#request, wait).unref();
  }

  /** Lets the worker close its connection, so the writer's final checkpoint finds the log free. */
  async stop(): Promise<void> {
    const worker = this.#worker;
    this.#ended = true;
    this.#worker = undefined;
    clearTimeout(this.#pending);
    if (!worker) return;
    // Held until it has exited: a closing process must not end before its final checkpoint.
    worker.ref();
    const exited = new Promise<boolean>((resolve) => worker.once('exit', () => resolve(true)));
    worker.postMessage('close');
    let timer: NodeJS.Timeout | undefined;
    const ended = await Promise.race([exited, new Promise<boolean>((resolve) => (timer = setTimeout(resolve, STOP_WAIT_MS, false)))]);
    clearTimeout(timer);
    if (!ended) await worker.terminate();
  }

  readonly #request = (): void => {
    this.#pending = undefined;
    if (this.#ended) return;
    this.#lastRequest = performance.now();
    (this.#worker ??= this.#start()).postMessage('checkpoint');
  };

  #start(): Worker {
    const worker = new Worker(`(${checkpointOnRequest.toString()})()`, { eval: true, workerData: this.#file });
    // The worker never keeps the process alive: a function stops when its server does.
    worker.unref();
    worker.once('error', () => this.#fallBack(worker));
    return worker;
  }

  #fallBack(worker: Worker): void {
    if (this.#worker !== worker) return;
    this.#ended = true;
    this.#worker = undefined;
    try {
      this.#db.exec(`PRAGMA wal_autocheckpoint = ${INLINE_CHECKPOINT_PAGES}`);
    } catch {
      // The connection is closing; nothing is left to checkpoint for.
    }
  }
}
