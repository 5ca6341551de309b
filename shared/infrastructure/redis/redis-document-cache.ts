import type { IPolicy } from 'cockatiel';
import { Redis } from 'ioredis';
import type { Document } from '../../domain/document.js';
import type { DocumentCache } from '../cache/cached-store.js';

/** The key of one document's cache entry. A collection name holds no ':', so the key is unambiguous. */
export function cacheKey(collection: string, id: string): string {
  return `dbsvc:doc:${collection}:${id}`;
}

/**
 * Every write to an entry goes through this script, so the check and the write are one atomic step.
 * An entry is a hash: `c` and `v` are the oldest (createdAt in ms, version) the cache still accepts, `doc`
 * the cached copy. Versions are never reused while a deleted id keeps its tombstone, but createdAt still comes
 * first: it orders incarnations even where versions start over (a tombstone purged, a store emptied or restored
 * under a Redis that remembers the old entries).
 *   fill    (a copy read from the store)  kept only if not older than the floor; the floor moves past it.
 *   changed (this version now exists)     the floor moves up to it; older copies go.
 *   deleted (this version was deleted)    the floor moves past it; it and older copies go and stay out.
 * A floor only moves up, so a slow reader's old copy can never land over what a writer reported.
 * KEYS[1] the entry; ARGV: mode, createdAt ms, version, ttl seconds, document JSON (fill only).
 */
const WRITE_SCRIPT = `
local mode, created, version = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local floor = redis.call('HMGET', KEYS[1], 'c', 'v')
local fc, fv = tonumber(floor[1]), tonumber(floor[2])
local function accepted(c, v)
  return fc == nil or c > fc or (c == fc and v >= fv)
end
if mode == 'fill' then
  if not accepted(created, version) then return 0 end
  redis.call('HSET', KEYS[1], 'c', ARGV[2], 'v', version + 1, 'doc', ARGV[5])
else
  local next = version
  if mode == 'deleted' then next = version + 1 end
  if not accepted(created, next) then return 0 end
  redis.call('HSET', KEYS[1], 'c', ARGV[2], 'v', next)
  redis.call('HDEL', KEYS[1], 'doc')
end
redis.call('EXPIRE', KEYS[1], ARGV[4])
return 1
`;

type WriteMode = 'fill' | 'changed' | 'deleted';

/** A change or deletion the cache was told of: what a failed invalidation sends again. */
interface Invalidation {
  readonly mode: 'changed' | 'deleted';
  readonly createdAtMs: string;
  readonly version: number;
}

/**
 * An entry whose invalidation failed: the sequence number of its latest failure and, when one said which version
 * it was, the latest such invalidation, replayed through the script so the floor moves up as it would have. A
 * plain delete of the copy would leave the floor behind, and a reader that read the old version before the
 * change could still put it back.
 */
interface Pending {
  readonly sequence: number;
  readonly invalidation: Invalidation | undefined;
}

interface CacheCommands {
  dbsvcCacheWrite(key: string, mode: WriteMode, createdAtMs: string, version: number, ttlSeconds: number, json?: string): Promise<number>;
}

type LogFields = Record<string, string | number | boolean>;
export interface CacheLog {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
}

export interface RedisDocumentCacheOptions {
  readonly url: string;
  readonly ttlSeconds: number;
  /** Per command (ioredis `commandTimeout`): a command not answered by then fails and the read goes to the store. */
  readonly commandTimeoutMs: number;
  readonly connectTimeoutMs: number;
  /** The breaker around every call (runtime/store/resilience.ts). */
  readonly policy: IPolicy;
  readonly log: CacheLog;
}

/** Longest pause between reconnection attempts: a Redis that comes back is used again within about this. */
const MAX_RECONNECT_DELAY_MS = 1000;
/** How many entries whose invalidation failed are remembered for when Redis answers again. */
const MAX_PENDING = 10_000;
/** How often remembered invalidations are tried again while any wait. */
const REPLAY_INTERVAL_MS = 1000;

/** How long closing waits for Redis to be reachable to send the invalidations still waiting. */
const FINAL_WAIT_MS = 300;
/** How many keys of lost invalidations the shutdown log line names. */
const LOST_KEYS_LOGGED = 100;

/** Resolves when `client` is ready or `timeoutMs` has passed, whichever comes first. */
function readyWithin(client: Redis, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      client.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    client.once('ready', done);
  });
}

export function openRedisDocumentCache(options: RedisDocumentCacheOptions): DocumentCache {
  return new RedisDocumentCache(options);
}

/**
 * The document cache on Redis (ioredis). It fails open: a Redis that is down, slow or behind an open breaker
 * makes reads miss and writes skip, at once, instead of failing or waiting. Invalidations that could not be
 * sent are remembered (bounded) and sent when Redis answers again, so a copy outdated during an outage does
 * not outlive it by a whole TTL.
 */
class RedisDocumentCache implements DocumentCache {
  readonly #client: Redis & CacheCommands;
  readonly #options: RedisDocumentCacheOptions;
  /** Entry key → its latest failed invalidation, oldest first. */
  readonly #pending = new Map<string, Pending>();
  #sequence = 0;
  #replaying = false;
  #overflowing = false;
  /** Until the first connection the cache is simply not there yet; calls skip it without counting as failures. */
  #everReady = false;
  #connected = false;
  /** Whether the current outage was logged already: one line per outage, not one per reconnection attempt. */
  #outageLogged = false;
  /** Tries remembered invalidations again while any wait (see #scheduleReplay). */
  #replayTimer: NodeJS.Timeout | undefined;

  constructor(options: RedisDocumentCacheOptions) {
    this.#options = options;
    const client = new Redis(options.url, {
      connectionName: 'dbsvc',
      // Fail fast instead of queueing: a command while disconnected is rejected at once and the read goes
      // to the store; a command in flight when the connection drops is not resent later.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      connectTimeout: options.connectTimeoutMs,
      commandTimeout: options.commandTimeoutMs,
      // Commands issued in the same event-loop turn leave in one write: one system call per command was a third
      // of a cached get's CPU at 100 connections (the loopback send does the receiver's work too).
      enableAutoPipelining: true,
      // Reconnect forever, a little slower each time up to a ceiling, so a returning Redis is picked up alone.
      retryStrategy: (attempt) => Math.min(attempt * 100, MAX_RECONNECT_DELAY_MS),
    });
    client.defineCommand('dbsvcCacheWrite', { numberOfKeys: 1, lua: WRITE_SCRIPT });
    this.#client = client as Redis & CacheCommands;
    client.on('ready', () => {
      this.#everReady = true;
      this.#connected = true;
      this.#outageLogged = false;
      options.log.info('cache connected', { cache: 'redis' });
      this.#replayPending();
    });
    // A listener also keeps ioredis from printing every failed reconnection attempt itself.
    client.on('error', (error: Error) => this.#logOutage('cache unreachable; reads and writes go to the store', error.message));
    client.on('close', () => {
      if (this.#connected) this.#logOutage('cache connection lost; reads and writes go to the store', 'connection closed');
      this.#connected = false;
    });
  }

  async read(collection: string, id: string): Promise<Document | undefined> {
    const reply = await this.#call(() => this.#client.hget(cacheKey(collection, id), 'doc'));
    if (!reply?.value) return undefined;
    try {
      return JSON.parse(reply.value) as Document;
    } catch {
      return undefined;
    }
  }

  async fill(document: Document): Promise<void> {
    await this.#write('fill', document, JSON.stringify(document));
  }

  async changed(document: Document): Promise<void> {
    await this.#invalidate('changed', document);
  }

  async deleted(document: Document): Promise<void> {
    await this.#invalidate('deleted', document);
  }

  async drop(collection: string, id: string): Promise<void> {
    const key = cacheKey(collection, id);
    if (!(await this.#call(() => this.#client.hdel(key, 'doc')))) this.#remember(key);
  }

  /**
   * Sends the invalidations still waiting before disconnecting: a process that stops (a rollout, a scale to
   * zero) would take them along, and every other process would serve the outdated copies until their TTL.
   */
  async close(): Promise<void> {
    clearInterval(this.#replayTimer);
    if (this.#pending.size > 0) await this.#sendPendingBeforeClose();
    this.#client.disconnect();
  }

  async #invalidate(mode: Invalidation['mode'], document: Document): Promise<void> {
    const key = cacheKey(document.collection, document.id);
    const invalidation: Invalidation = { mode, createdAtMs: String(Date.parse(document.createdAt)), version: document.version };
    if (!(await this.#call(() => this.#send(key, invalidation)))) this.#remember(key, invalidation);
  }

  /** True when Redis ran the script (whether or not the floor let the write through). */
  async #write(mode: WriteMode, document: Document, json?: string): Promise<boolean> {
    const key = cacheKey(document.collection, document.id);
    const createdAtMs = String(Date.parse(document.createdAt));
    const { ttlSeconds } = this.#options;
    const reply = await this.#call(() =>
      json === undefined
        ? this.#client.dbsvcCacheWrite(key, mode, createdAtMs, document.version, ttlSeconds)
        : this.#client.dbsvcCacheWrite(key, mode, createdAtMs, document.version, ttlSeconds, json),
    );
    return reply !== undefined;
  }

  /** An invalidation through the script, or, for one that names no version (`drop`), the copy deleted. */
  #send(key: string, invalidation: Invalidation | undefined): Promise<unknown> {
    if (!invalidation) return this.#client.hdel(key, 'doc');
    return this.#client.dbsvcCacheWrite(key, invalidation.mode, invalidation.createdAtMs, invalidation.version, this.#options.ttlSeconds);
  }

  /** One Redis call under the policy; undefined when Redis could not answer. Never throws. */
  async #call<T>(command: () => Promise<T>): Promise<{ value: T } | undefined> {
    const reply = await this.#attempt(command);
    if (reply) this.#replayPending();
    return reply;
  }

  async #attempt<T>(command: () => Promise<T>): Promise<{ value: T } | undefined> {
    if (!this.#everReady) return undefined;
    try {
      return { value: await this.#options.policy.execute(command) };
    } catch {
      return undefined;
    }
  }

  #logOutage(msg: string, error: string): void {
    if (this.#outageLogged) return;
    this.#outageLogged = true;
    this.#options.log.warn(msg, { cache: 'redis', error });
  }

  /** A failed invalidation, to send again; a `drop` after a versioned one keeps that one's version. */
  #remember(key: string, invalidation?: Invalidation): void {
    const earlier = this.#pending.get(key);
    this.#pending.delete(key);
    this.#pending.set(key, { sequence: ++this.#sequence, invalidation: invalidation ?? earlier?.invalidation });
    this.#scheduleReplay();
    if (this.#pending.size <= MAX_PENDING) return;
    const [oldest] = this.#pending.keys();
    this.#pending.delete(oldest!);
    if (this.#overflowing) return;
    this.#overflowing = true;
    this.#options.log.warn('too many cache invalidations waiting for Redis; the oldest are forgotten and may stay stale until their TTL', {
      cache: 'redis',
      max_pending: MAX_PENDING,
    });
  }

  /**
   * While invalidations wait, they are tried again every REPLAY_INTERVAL_MS. A reconnection or a later call that
   * gets through sends them too, but a Redis that stalled and came back on the same connection gives no sign,
   * and this process may have no other call to make: the copies would stay outdated until their TTL.
   */
  #scheduleReplay(): void {
    if (this.#replayTimer) return;
    this.#replayTimer = setInterval(() => {
      if (this.#pending.size > 0) return this.#replayPending();
      clearInterval(this.#replayTimer);
      this.#replayTimer = undefined;
    }, REPLAY_INTERVAL_MS);
    // A timer of its own must not keep a stopping process alive.
    this.#replayTimer.unref();
  }

  #replayPending(): void {
    if (this.#pending.size === 0 || this.#replaying) return;
    this.#replaying = true;
    void this.#replay().finally(() => (this.#replaying = false));
  }

  /**
   * The last try, straight to Redis: the breaker may still be open from the outage, and there is no later. Waits
   * up to FINAL_WAIT_MS for a connection, each command bounded by its timeout; what is still not sent is logged
   * with its keys, for an operator to delete.
   */
  async #sendPendingBeforeClose(): Promise<void> {
    const pending = [...this.#pending];
    const keys = pending.map(([key]) => key);
    if (this.#client.status !== 'ready') await readyWithin(this.#client, FINAL_WAIT_MS);
    const sent = await Promise.allSettled(pending.map(([key, { invalidation }]) => this.#send(key, invalidation)));
    const lost = keys.filter((_, i) => sent[i]!.status === 'rejected');
    this.#pending.clear();
    if (lost.length === 0) return;
    this.#options.log.warn('cache invalidations lost at shutdown; these entries may be stale until their TTL', {
      cache: 'redis',
      lost: lost.length,
      keys: lost.slice(0, LOST_KEYS_LOGGED).join(' '),
    });
  }

  /** Sends every failed invalidation again; stops at the first failure and tries again later. */
  async #replay(): Promise<void> {
    for (const [key, { sequence, invalidation }] of [...this.#pending]) {
      if (!(await this.#attempt(() => this.#send(key, invalidation)))) return;
      if (this.#pending.get(key)?.sequence === sequence) this.#pending.delete(key);
    }
    if (this.#pending.size === 0) this.#overflowing = false;
  }
}
