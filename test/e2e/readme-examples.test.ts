import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, spawnProcess } from '../support/processes.js';
import { startStack, type Stack } from '../support/stack.js';

/**
 * The README's "Use it" block, run as a new user runs it (bash and curl) against `npm start`'s stack, which
 * listens here on a port the kernel picked instead of 8080. Each curl prints one line: the status and the body
 * (without headers: `-i` is dropped), so the block's own comments can be checked against what it got.
 */
const README_BLOCK = (() => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = /^## Use it\n+```sh\n([\s\S]*?)\n```/m.exec(readme);
  if (!block) throw new Error('README.md has no ```sh block right under "## Use it"');
  return block[1]!;
})();

const CURL_AS_ONE_LINE = `curl() {
  local args=() arg
  for arg in "$@"; do [ "$arg" = -i ] || args+=("$arg"); done
  local out; out=$(command curl -sS --max-time 10 -w '\\n%{http_code}' "\${args[@]}") || return 1
  printf '%s %s\\n' "\${out##*$'\\n'}" "$(printf '%s' "\${out%$'\\n'*}" | tr -d '\\n')"
}
set -euo pipefail
`;

interface Answer {
  status: number;
  body: string;
}

async function runBlock(stack: Stack): Promise<Answer[]> {
  const script = CURL_AS_ONE_LINE + README_BLOCK.replaceAll('localhost:8080', `127.0.0.1:${stack.port}`);
  const bash = spawnProcess('bash', ['-c', script]);
  const { code } = await bash.exited;
  assert.is(code, 0, bash.output());
  return bash
    .output()
    .trimEnd()
    .split('\n')
    .map((line) => ({ status: Number(line.slice(0, 3)), body: line.slice(4) }));
}

/** Waits into the next second: the block names its document `ada-<seconds>`, fresh on each run. */
const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1_000 - (Date.now() % 1_000) + 20));

const test = suite<{ stack: Stack & { removeData: () => void } }>('README examples', {} as never);

test.before(async (ctx) => {
  ctx.stack = await startStack();
});

test.after(async ({ stack }) => {
  await stack?.stop();
  stack?.removeData();
});

const json = (answer: Answer | undefined) => JSON.parse(answer!.body) as Record<string, unknown>;

test('the "Use it" block answers as its comments say, and runs again as they promise', async ({ stack }) => {
  for (const run of ['first', 'again']) {
    await nextSecond();
    const answers = await runBlock(stack);
    const statuses = answers.map((answer) => answer.status);
    // create, get, get 304, replace, upsert (creates once, then replaces), merge patch, operators, JSON Patch,
    // query, bulk create, bulk update, bulk delete, conditional delete
    assert.equal(statuses, [201, 200, 304, 200, run === 'first' ? 201 : 200, 200, 200, 200, 200, 200, 200, 200, 204], `${run} run`);
    const [, , , , , , , patched, query, bulkCreate, bulkUpdate, bulkDelete] = answers;
    assert.equal((json(patched).data as Record<string, unknown>).name, 'Ada L.', 'the JSON Patch test held (age 38 after 37 and $inc)');
    assert.equal((json(query).documents as Array<{ data: unknown }>).map((document) => document.data), [{ name: 'Ada L.' }]);
    assert.equal((json(bulkCreate).results as Array<{ status: number }>).map((result) => result.status), [201, 201]);
    assert.equal(json(bulkUpdate), { matched: 1, modified: 1 });
    assert.equal(json(bulkDelete), { deleted: 1 });
  }
});

test.run();
