import * as assert from 'uvu/assert';

/** Polls until `check` holds, for effects that happen in the background; fails naming `what` after `timeoutMs`. */
export async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.unreachable(`${what} did not happen within ${timeoutMs} ms`);
}
