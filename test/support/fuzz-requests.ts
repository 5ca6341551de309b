/**
 * A seeded generator of malformed and hostile REST requests (and some valid ones) over every route, for the
 * fuzz campaign. The same seed gives the same requests, so a failure is reproduced by its seed and index.
 */
export interface FuzzRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: Uint8Array;
  /** What kind of request this is, for the report of a failure. */
  readonly label: string;
}

export interface FuzzTargets {
  /** The valid API key; most requests carry it. */
  readonly apiKey: string;
  /** Collections the campaign may write to freely. */
  readonly collections: readonly string[];
  /** Documents stored before the campaign: any change to them must fail its precondition. */
  readonly seeded: { readonly collection: string; readonly ids: readonly string[] };
  /** Bodies larger than this are the "too large" case; kept rare because they are costly. */
  readonly maxBodyBytes: number;
}

/** mulberry32: tiny, fast and good enough to drive a fuzzer reproducibly. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOSTILE_COLLECTIONS = ['', '9bad', '_x', 'a'.repeat(65), '__proto__', 'constructor', '%00', '%2e%2e', 'a%2Fb', '..', 'a%20b', '%ZZ', '%C3%A9', '%FF', 'a;b', 'x'.repeat(3000), 'valid-but-new'];
const HOSTILE_IDS = ['-x', '.', '..', '%2e%2e', 'a'.repeat(129), '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '%00', 'a%2Fb', '%ZZ', '%F0%9F%98%80', 'a:b.c-d_e', '%', 'a%0Ab'];
const FIELD_NAMES = ['a', 'b', 'n', 'tags', 's', 'a.b', 'a.0', 'nested.deep.x', '$x', 'a..b', '', '.a', '__proto__', 'constructor', 'constructor.prototype', 'a.__proto__', 'prototype', 'x'.repeat(300), Array(40).fill('p').join('.'), 'a\u0000b', 'é', '😀'];
const OPERATORS = ['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$exists', '$not', '$regex', '$options'];
const FORBIDDEN_OPERATORS = ['$where', '$function', '$expr', '$jsonSchema', '$text', '$elemMatch', '$size', '$all', '$mod', '$type', '$unknown', '$', '$$', '$accumulator'];
const PATTERNS = [
  '^a', 'b$', '(a+)+$', '(a|a)*b', '(a|aa)+$', 'a*a*a*a*a*x', '(.*a){20}x', '^(\\w+\\s?)*$', '(?=a)', '(?!b)', '(?<=x)y', '(a)\\1',
  'a{1001}', '((a{100}){100}){100}', '[', '(', '\\', 'a'.repeat(513), '\\Q', '[[:alpha:]]', '\\p{Greek}', '\\u0041', '.*', '[^\\n]+', 'é', '\u0000',
  '\\x{1F600}', '(?i)a', '(?P<n>a)', '\\bword\\b', '\\d{3}-\\d{4}', '^$', '|', '()*', '(?:)', 'x**', 'a{2,1}',
];
const CONTENT_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'application/jsonx', 'application/json; charset=utf-16', 'multipart/form-data; boundary=x', 'APPLICATION/JSON', 'application/json;;', '', '*/*', 'application/merge-patch+json', 'application/json'];
const IF_MATCH = ['"1"', '"2"', '*', 'W/"1"', '"0"', '"abc"', '"99999999999999999"', '1', '"', '', ' "1" ', '"1", "2"', '"-1"', '"1.5"'];
const AUTH_VARIANTS = (key: string) => [undefined, 'Bearer wrong-key-0123456789abcdef', 'Bearer', 'Basic Zm9vOmJhcg==', `Bearer ${key} extra`, `Bearer ${'x'.repeat(8000)}`, `bearer ${key}`, 'Bearer a.b.c', `Bearer ${key}\t`];

export function fuzzRequests(seed: number, count: number, targets: FuzzTargets): FuzzRequest[] {
  const random = prng(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)]!;
  const chance = (p: number) => random() < p;
  const encoder = new TextEncoder();

  const freshId = () => `f${int(60)}`;
  const collection = () => (chance(0.75) ? (chance(0.15) ? targets.seeded.collection : pick(targets.collections)) : pick(HOSTILE_COLLECTIONS));
  const idFor = (c: string) => {
    if (chance(0.2)) return pick(HOSTILE_IDS);
    if (c === targets.seeded.collection && chance(0.7)) return pick(targets.seeded.ids);
    return freshId();
  };

  function scalar(): unknown {
    switch (int(12)) {
      case 0: return null;
      case 1: return chance(0.5);
      case 2: return int(1000) - 500;
      case 3: return random() * 1e6;
      case 4: return pick([Number.MAX_SAFE_INTEGER, -0, 1e308, 5e-324, 2 ** 63]);
      case 5: return 'a'.repeat(int(50));
      case 6: return pick(['', 'é', '😀', '\u0000', '\ud800', '\u2028', '<script>', "'; DROP TABLE documents; --", '${x}', '%s%n']);
      default: return `v${int(100)}`;
    }
  }

  function key(hostile: number): string {
    return chance(hostile) ? pick(['$set', 'a.b', 'a\u0000', '__proto__', 'constructor', 'prototype', '', '$', '.', 'x'.repeat(200)]) : pick(['a', 'b', 'n', 's', 'tags', 'nested', 'x', 'y']);
  }

  function value(depth: number, hostile: number): unknown {
    if (depth <= 0 || chance(0.45)) return scalar();
    if (chance(0.3)) return Array.from({ length: int(5) }, () => value(depth - 1, hostile));
    const out: Record<string, unknown> = {};
    for (let i = int(5); i > 0; i--) Object.defineProperty(out, key(hostile), { value: value(depth - 1, hostile), enumerable: true, configurable: true, writable: true });
    return out;
  }

  const data = (hostile: number) => value(4, hostile) as unknown;
  const validData = () => {
    const out: Record<string, unknown> = { n: int(100), s: `v${int(20)}`, tags: [`t${int(5)}`] };
    if (chance(0.5)) out['nested'] = { deep: { x: int(10) } };
    return out;
  };

  function condition(depth: number, hostile: number): unknown {
    if (depth <= 0 || chance(0.4)) return scalar();
    const op = chance(hostile) ? pick(FORBIDDEN_OPERATORS) : pick(OPERATORS);
    switch (op) {
      case '$in':
      case '$nin':
        return { [op]: chance(0.8) ? Array.from({ length: int(4) }, scalar) : scalar() };
      case '$exists':
        return { $exists: chance(0.8) ? chance(0.5) : scalar() };
      case '$not':
        return { $not: condition(depth - 1, hostile) };
      case '$regex':
        return chance(0.7) ? { $regex: pick(PATTERNS), ...(chance(0.3) ? { $options: pick(['i', '', 'm', 'x', 's', 'ii', 'g', 5]) } : {}) } : { $regex: scalar() };
      case '$options':
        return { $options: 'i' };
      default:
        return { [op]: chance(0.8) ? scalar() : value(2, hostile) };
    }
  }

  function filter(depth: number, hostile: number): unknown {
    if (chance(0.05)) return pick([[], 'x', 5, null]);
    const out: Record<string, unknown> = {};
    for (let i = int(3) + 1; i > 0; i--) {
      if (depth > 0 && chance(0.2)) {
        const logical = pick(['$and', '$or', '$nor']);
        out[logical] = chance(0.85) ? Array.from({ length: int(3) + (chance(0.9) ? 1 : 0) }, () => filter(depth - 1, hostile)) : scalar();
      } else {
        const field = chance(hostile) ? pick(FIELD_NAMES) : pick(['n', 's', 'tags', 'nested.deep.x', 'missing']);
        Object.defineProperty(out, field, { value: condition(2, hostile), enumerable: true, configurable: true, writable: true });
      }
    }
    return out;
  }

  function queryBody(hostile: number): unknown {
    const body: Record<string, unknown> = {};
    if (chance(0.7)) body['filter'] = filter(3, hostile);
    if (chance(0.3)) body['sort'] = chance(0.8) ? { [chance(hostile) ? pick(FIELD_NAMES) : pick(['n', 's'])]: chance(0.8) ? pick([1, -1]) : scalar() } : scalar();
    if (chance(0.4)) body['limit'] = chance(0.7) ? int(1000) + 1 : pick([0, 1001, -1, 1.5, '10', null, 1e308, true]);
    if (chance(0.15)) body['cursor'] = pick([null, '', 'abc', Buffer.from(JSON.stringify({ v: [1], id: 'x' })).toString('base64url'), 'x'.repeat(int(3000)), 5]);
    if (chance(0.2)) body['fields'] = chance(0.8) ? Array.from({ length: int(4) }, () => (chance(hostile) ? pick(FIELD_NAMES) : pick(['n', 's']))) : scalar();
    if (chance(hostile * 0.2)) body[pick(['extra', '__proto__', 'filters', '$where'])] = scalar();
    return body;
  }

  /** Serialises a body, then maybe damages the bytes: truncation, flips, invalid UTF-8, a BOM, depth, size. */
  function encode(body: unknown, hostile: number): Uint8Array {
    const text = JSON.stringify(body) ?? 'null';
    if (!chance(hostile)) return encoder.encode(text);
    switch (int(10)) {
      case 0: return encoder.encode(text.slice(0, int(text.length)));
      case 1: {
        const bytes = encoder.encode(text);
        for (let i = int(4) + 1; i > 0 && bytes.length; i--) bytes[int(bytes.length)] = int(256);
        return bytes;
      }
      case 2: {
        const bytes = encoder.encode(text);
        const at = int(bytes.length + 1);
        return new Uint8Array([...bytes.slice(0, at), ...pick([[0xc3, 0x28], [0xff], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xc0, 0xaf]]), ...bytes.slice(at)]);
      }
      case 3: return new Uint8Array([0xef, 0xbb, 0xbf, ...encoder.encode(text)]);
      case 4: return encoder.encode(`${'['.repeat(2000 + int(3000))}${']'.repeat(2000)}`);
      case 5: return encoder.encode(`{"data":${'{"a":'.repeat(33 + int(100))}1${'}'.repeat(133)}}`);
      case 6: return chance(0.3) ? encoder.encode(`{"data":{"s":"${'x'.repeat(targets.maxBodyBytes)}"}}`) : encoder.encode(text.replace(/1/g, '1e400'));
      case 7: return encoder.encode(pick(['', ' ', 'null', 'true', '[]', '"x"', '{"data":{},"data":5}', '{"data":NaN}', '{"data":{"a":"\\ud800"}}', '{"data":{"\\u0000":1}}', '{"data":{"a":1,}}', '\u0000']));
      case 8: return encoder.encode(text.replace(/"/g, "'"));
      default: return encoder.encode(text);
    }
  }

  function authorization(): string | undefined {
    return chance(0.92) ? `Bearer ${targets.apiKey}` : pick(AUTH_VARIANTS(targets.apiKey));
  }

  function withBody(request: { method: string; path: string; label: string; headers: Record<string, string> }, body: unknown, mediaType: string, hostile: number): FuzzRequest {
    const headers = { ...request.headers };
    if (!chance(hostile * 0.3)) headers['content-type'] = mediaType;
    else {
      const type = pick(CONTENT_TYPES);
      if (type) headers['content-type'] = type;
    }
    return { ...request, headers, body: encode(body, hostile) };
  }

  const requests: FuzzRequest[] = [];
  for (let i = 0; i < count; i++) {
    // A quarter of the requests are well-formed; the rest are hostile to varying degrees.
    const hostile = chance(0.25) ? 0 : 0.3 + random() * 0.7;
    const c = hostile ? collection() : pick(targets.collections);
    const id = hostile ? idFor(c) : freshId();
    const headers: Record<string, string> = {};
    const auth = hostile ? authorization() : `Bearer ${targets.apiKey}`;
    if (auth !== undefined) headers['authorization'] = auth;
    const query = chance(hostile * 0.1) ? pick(['?__proto__[x]=1', '?a=%ZZ', '?limit=5', `?${'q'.repeat(2000)}`]) : '';
    const docs = `/v1/collections/${c}/documents`;
    let request: FuzzRequest;
    switch (int(7)) {
      case 0: {
        const body = hostile ? (chance(0.8) ? { ...(chance(0.6) ? { id: chance(0.5) ? idFor(c) : `n${int(1e9)}` } : {}), data: data(hostile) } : value(3, hostile)) : { id: chance(0.8) ? freshId() : `n${int(1e9)}`, data: validData() };
        if (chance(0.2)) headers['idempotency-key'] = pick(['k1', `k${int(50)}`, 'x'.repeat(300), ' ', 'a b', '\t']);
        request = withBody({ method: 'POST', path: docs + query, label: 'create', headers }, body, 'application/json', hostile);
        break;
      }
      case 1:
        if (chance(hostile * 0.5)) headers['if-none-match'] = pick(IF_MATCH);
        request = { method: pick(hostile && chance(0.1) ? ['HEAD', 'OPTIONS'] : ['GET']), path: `${docs}/${id}${query}`, headers, label: 'get' };
        break;
      case 2:
        if (chance(0.5)) headers['if-match'] = hostile ? pick(IF_MATCH) : '"1"';
        request = withBody({ method: 'PUT', path: `${docs}/${id}${query}`, label: 'replace', headers }, hostile ? (chance(0.7) ? { data: data(hostile) } : value(3, hostile)) : { data: validData() }, 'application/json', hostile);
        break;
      case 3:
        if (chance(0.5)) headers['if-match'] = hostile ? pick(IF_MATCH) : '"1"';
        request = withBody({ method: 'PATCH', path: `${docs}/${id}${query}`, label: 'merge patch', headers }, hostile ? value(3, hostile) : { n: int(10), s: null }, 'application/merge-patch+json', hostile);
        break;
      case 4:
        if (chance(0.5)) headers['if-match'] = hostile ? pick(IF_MATCH) : '"1"';
        request = { method: 'DELETE', path: `${docs}/${id}${query}`, headers, label: 'delete' };
        break;
      case 5:
        request = withBody({ method: 'POST', path: `/v1/collections/${c}/query${query}`, label: 'query', headers }, queryBody(hostile), 'application/json', hostile);
        break;
      default: {
        // Methods and paths no route has, with a body of some kind.
        const method = pick(['PUT', 'DELETE', 'PATCH', 'POST', 'GET']);
        const path = pick([docs, `/v1/collections/${c}/query`, `/v1/collections/${c}`, `/v1/collections/${c}/documents/${id}/x`, '/v1', '/v1/collections', `/v1/collections/${c}/documents//`, '/%2e%2e/%2e%2e/etc/passwd', '/v1/collections/a/../b/documents/x']);
        request = method === 'GET' ? { method, path, headers, label: 'no route' } : withBody({ method, path, label: 'no route', headers }, value(2, hostile), 'application/json', hostile);
      }
    }
    requests.push(protectSeeded(request, targets));
  }
  return requests;
}

/** A change aimed at a seeded document always carries a stale If-Match, so it can never legitimately apply. */
function protectSeeded(request: FuzzRequest, targets: FuzzTargets): FuzzRequest {
  if (request.method !== 'PUT' && request.method !== 'PATCH' && request.method !== 'DELETE') return request;
  const prefix = `/v1/collections/${targets.seeded.collection}/documents/`;
  if (!request.path.startsWith(prefix)) return request;
  const id = request.path.slice(prefix.length).split('?')[0]!;
  if (!targets.seeded.ids.includes(id)) return request;
  return { ...request, headers: { ...request.headers, 'if-match': '"999"' } };
}
