/**
 * When each collection's tombstones were last swept, to sweep each at most once per interval. Only the
 * `remembered` most recently swept collections are kept: a client deleting in ever new collection names
 * (even ones that do not exist) cannot grow it without bound, and a forgotten collection is only swept once
 * more, at its next delete.
 */
export class SweepSchedule {
  readonly #lastSweptMs = new Map<string, number>();

  constructor(
    private readonly intervalMs: number,
    private readonly remembered: number,
  ) {}

  /** Whether `collection` is due a sweep at `nowMs`; when it is, it counts as swept then. */
  claim(collection: string, nowMs: number): boolean {
    const last = this.#lastSweptMs.get(collection);
    if (last !== undefined && nowMs - last < this.intervalMs) return false;
    // Deleted first so the map's insertion order stays the order of the sweeps: the oldest goes first.
    this.#lastSweptMs.delete(collection);
    this.#lastSweptMs.set(collection, nowMs);
    if (this.#lastSweptMs.size > this.remembered) this.#lastSweptMs.delete(this.#lastSweptMs.keys().next().value!);
    return true;
  }

  get size(): number {
    return this.#lastSweptMs.size;
  }
}
