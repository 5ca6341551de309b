import { promiseHooks, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
/** V8's full, blocking collection: afterwards only what is still reachable is left. */
const collectGarbage = runInNewContext('gc') as () => void;

/**
 * How many of the promises created while `work` ran are still reachable once it has finished and a full
 * garbage collection has run: what `work` left retained, counted object by object rather than in heap bytes,
 * so the count is the same on every run.
 */
export async function promisesRetainedBy(work: () => Promise<void>): Promise<number> {
  const created: Array<WeakRef<Promise<unknown>>> = [];
  const stop = promiseHooks.onInit((promise) => created.push(new WeakRef(promise)));
  try {
    await work();
  } finally {
    stop();
  }
  // A WeakRef keeps its target alive until the job that made it ends; collect in a later one.
  await new Promise((resolve) => setImmediate(resolve));
  collectGarbage();
  return created.filter((ref) => ref.deref() !== undefined).length;
}
