import { Agent, request as httpRequest } from 'node:http';
import { FUNCTION_NAMES } from '../../shared/runtime/http/routes.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fuzzRequests, type FuzzRequest } from '../support/fuzz-requests.js';
import { request } from '../support/http.js';
import { startStack } from '../support/stack.js';

/**
 * The fuzz campaign: 10,000 seeded, reproducible requests — mostly malformed or hostile, some valid — over
 * every route of the started local stack (API-key auth on, so credentials are fuzzed too), through its gateway
 * and straight to its function processes. Every answer must
 * be a 2xx or 4xx, no function may crash or restart, and every document stored before the campaign must be
 * byte-for-byte the same after it. FUZZ_SEED and FUZZ_COUNT reproduce or widen a run.
 */
const SEED = Number(process.env['FUZZ_SEED'] ?? 0x5eed);
const COUNT = Number(process.env['FUZZ_COUNT'] ?? 10_000);
const CONCURRENCY = 8;
const API_KEY = 'fuzz-key-0123456789abcdef';
const MAX_BODY_BYTES = 64 * 1024;
const SEEDED = { collection: 'seeded', ids: Array.from({ length: 20 }, (_, i) => `s${i}`) };

/**
 * Sends one request over a keep-alive pool with node:http, which costs the client a fifth of the CPU fetch
 * does, so the campaign's time goes to the service. Resolves with the status once the body has been read.
 */
function send(agent: Agent, base: string, fuzz: FuzzRequest): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    // node:http frames a DELETE body by neither Content-Length nor chunking unless told, so always say its length.
    const headers = fuzz.body ? { ...fuzz.headers, 'content-length': String(fuzz.body.byteLength) } : fuzz.headers;
    const req = httpRequest(`${base}${fuzz.path}`, { method: fuzz.method, headers, agent, timeout: 30_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 30 s')));
    req.on('error', reject);
    req.end(fuzz.body);
  });
}

/** Which function serves each kind of request the generator makes; the rest only the gateway can route. */
const OWNER: Record<string, string> = { create: 'create', get: 'get', replace: 'update', 'merge patch': 'update', delete: 'delete', query: 'query' };

/** The function URLs the stack prints in its banner (`  function   get     http://127.0.0.1:…`). */
function functionUrls(output: string): Record<string, string> {
  return Object.fromEntries([...output.matchAll(/^ +function +(\w+) +(http:\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
}

/** process_start_time_seconds of each function: unchanged means no function died and was restarted. */
async function functionStarts(url: string): Promise<Record<string, string>> {
  const text = (await request(url, 'GET', '/metrics')).text;
  const starts: Record<string, string> = {};
  for (const match of text.matchAll(/^process_start_time_seconds\{[^}]*function="(\w+)"[^}]*\} (\S+)$/gm)) starts[match[1]!] = match[2]!;
  return starts;
}

test(`fuzz campaign (seed ${SEED}): ${COUNT} hostile requests get only 2xx or 4xx and change no stored document`, async () => {
  const stack = await startStack({
    AUTH_MODE: 'apikey',
    API_KEYS: `fuzz:${API_KEY}`,
    AUTH_POLICY: JSON.stringify({ fuzz: { '*': ['*'] } }),
    MAX_BODY_BYTES: String(MAX_BODY_BYTES),
  });
  try {
    const auth = { authorization: `Bearer ${API_KEY}` };
    const before = new Map<string, string>();
    for (const [i, id] of SEEDED.ids.entries()) {
      const data = { i, name: `seeded ${i}`, tags: ['x', `t${i % 3}`], nested: { deep: { n: i * 1.5 } }, s: 'a'.repeat(i * 10) };
      const created = await request(stack.url, 'POST', `/v1/collections/${SEEDED.collection}/documents`, { json: { id, data }, headers: auth });
      assert.is(created.status, 201, created.text);
      before.set(id, (await request(stack.url, 'GET', `/v1/collections/${SEEDED.collection}/documents/${id}`, { headers: auth })).text);
    }
    const startsBefore = await functionStarts(stack.url);
    assert.equal(Object.keys(startsBefore).sort(), [...FUNCTION_NAMES].sort());

    const requests = fuzzRequests(SEED, COUNT, { apiKey: API_KEY, collections: ['fz_a', 'fz_b'], seeded: SEEDED, maxBodyBytes: MAX_BODY_BYTES });
    const byStatus = new Map<number, number>();
    const serverErrors: string[] = [];
    let longest = { ms: 0, label: '' };
    let next = 0;
    const started = performance.now();
    // Every tenth request, and those no route owns, go through the gateway; the rest straight to the function
    // that owns the route, as Knative's ingress would send them, which halves the campaign's CPU.
    const urls = functionUrls(stack.process.output());
    assert.equal(Object.keys(urls).sort(), [...FUNCTION_NAMES].sort());
    const target = (index: number, fuzz: FuzzRequest) => (index % 10 === 0 || !OWNER[fuzz.label] ? stack.url : urls[OWNER[fuzz.label]!]!);
    // Idle sockets are dropped after 4 s, before the servers' 5 s keep-alive ends them, so a request never
    // goes out on a socket the server is closing at that moment.
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY * 2, timeout: 4_000 });
    const run = async (index: number, fuzz: FuzzRequest) => {
      const t0 = performance.now();
      const response = await send(agent, target(index, fuzz), fuzz);
      const { text } = response;
      const ms = performance.now() - t0;
      if (ms > longest.ms) longest = { ms, label: `#${index} ${fuzz.label} ${fuzz.method} ${fuzz.path.slice(0, 80)}` };
      byStatus.set(response.status, (byStatus.get(response.status) ?? 0) + 1);
      if (response.status >= 500) serverErrors.push(`#${index} ${fuzz.label} ${fuzz.method} ${fuzz.path.slice(0, 120)} → ${response.status} ${text.slice(0, 200)}`);
    };
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < requests.length) {
          const index = next++;
          try {
            await run(index, requests[index]!);
          } catch (error) {
            serverErrors.push(`#${index} ${requests[index]!.label}: no answer (${String(error)})`);
          }
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    agent.destroy();

    const counts = [...byStatus.entries()].sort(([a], [b]) => a - b).map(([status, n]) => `${status}: ${n}`).join(', ');
    console.log(`\n  fuzz seed ${SEED}: ${COUNT} requests in ${seconds.toFixed(1)} s; by status ${counts}`);
    console.log(`  longest request ${longest.ms.toFixed(0)} ms (${longest.label})`);

    assert.equal(serverErrors, [], serverErrors.slice(0, 5).join('\n'));
    const total = [...byStatus.values()].reduce((a, b) => a + b, 0);
    assert.is(total, COUNT);
    const successes = [...byStatus.entries()].filter(([status]) => status < 300).reduce((a, [, n]) => a + n, 0);
    assert.ok(successes > COUNT / 20, `the valid share of the campaign should succeed (${successes} 2xx)`);
    for (const status of byStatus.keys()) assert.ok((status >= 200 && status < 300) || (status >= 400 && status < 500) || status === 304, `status ${status}`);

    for (const id of SEEDED.ids) {
      const after = await request(stack.url, 'GET', `/v1/collections/${SEEDED.collection}/documents/${id}`, { headers: auth });
      assert.is(after.text, before.get(id), `seeded document ${id} changed`);
    }
    assert.equal(await functionStarts(stack.url), startsBefore);
    assert.is((await request(stack.url, 'GET', '/readyz')).status, 200);
  } finally {
    await stack.stop();
    stack.removeData();
  }
});

test.run();
