/**
 * Keeps the `capacity` smallest items offered under `compare`, in O(n log k) time and O(k) memory, so a sorted
 * query scans a large collection without holding it. A binary max-heap: the root is the worst item kept.
 */
export class TopK<T> {
  readonly #heap: T[] = [];

  constructor(
    private readonly capacity: number,
    private readonly compare: (a: T, b: T) => number,
  ) {}

  offer(item: T): void {
    const heap = this.#heap;
    if (heap.length < this.capacity) {
      heap.push(item);
      this.#siftUp(heap.length - 1);
    } else if (heap.length > 0 && this.compare(item, heap[0] as T) < 0) {
      heap[0] = item;
      this.#siftDown(0);
    }
  }

  /** The kept items, best first. */
  sorted(): T[] {
    return [...this.#heap].sort(this.compare);
  }

  #siftUp(index: number): void {
    const heap = this.#heap;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (this.compare(heap[index] as T, heap[parent] as T) <= 0) return;
      this.#swap(index, parent);
      index = parent;
    }
  }

  #siftDown(index: number): void {
    const heap = this.#heap;
    for (;;) {
      let worst = index;
      for (const child of [2 * index + 1, 2 * index + 2]) {
        if (child < heap.length && this.compare(heap[child] as T, heap[worst] as T) > 0) worst = child;
      }
      if (worst === index) return;
      this.#swap(index, worst);
      index = worst;
    }
  }

  #swap(i: number, j: number): void {
    const heap = this.#heap;
    [heap[i], heap[j]] = [heap[j] as T, heap[i] as T];
  }
}
