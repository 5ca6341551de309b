import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonObject } from '../../shared/domain/document.js';
import { InvalidInputError } from '../../shared/domain/errors.js';
import { toDocumentMessage, toTimestamp } from '../../grpc-sidecar/document-message.js';
import { loadDocumentServiceProto } from '../../grpc-sidecar/proto.js';
import { jsonToStruct, structToJson } from '../../grpc-sidecar/struct.js';
import type { Struct, Struct__Output } from '../../grpc-sidecar/generated/google/protobuf/Struct.js';

const method = loadDocumentServiceProto().proto.dbsvc.v1.DocumentService.service.UpdateDocument;

/** A Struct through protobuf bytes, decoded as the sidecar receives it (the data of an UpdateDocumentRequest). */
function wire(struct: Struct | null | undefined): Struct__Output {
  const decoded = method.requestDeserialize(method.requestSerialize({ collection: 'c', id: 'x', data: struct }));
  assert.ok(decoded.data, 'data arrived');
  return decoded.data;
}

/** JSON → Struct → protobuf bytes → Struct → JSON. */
function overTheWire(data: JsonObject): JsonObject {
  return structToJson(wire(jsonToStruct(data)), 'data');
}

test('every JSON kind survives the wire: nested objects, arrays, numbers, strings, booleans, null', () => {
  const data: JsonObject = {
    object: { nested: { deeper: { deepest: 'yes' } } },
    array: [1, 'two', true, null, { three: [3] }, [[[]]]],
    numbers: [0, -1, 0.1, 1e21, -2.5e-8, Number.MAX_SAFE_INTEGER, Number.MAX_VALUE, Number.MIN_VALUE],
    text: ['', 'ünïcødé ✓', 'line\nbreak', '\u0000nul'],
    flags: { t: true, f: false },
    nothing: null,
    empty: {},
    none: [],
  };
  assert.equal(overTheWire(data), data);
});

test('a document nested 40 levels deep round-trips (protobuf itself stops at 100 message levels)', () => {
  let data: JsonObject = { leaf: [null] };
  for (let i = 0; i < 40; i++) data = { [`k${i}`]: data, list: [i] };
  assert.equal(overTheWire(data), data);
});

test('keys such as __proto__ stay own data properties and do not touch prototypes', () => {
  const data = JSON.parse('{"__proto__": {"polluted": true}, "constructor": 1}') as JsonObject;
  const back = overTheWire(data);
  assert.ok(Object.hasOwn(back, '__proto__'));
  assert.equal(JSON.stringify(back), JSON.stringify(data));
  assert.is(({} as Record<string, unknown>).polluted, undefined);
});

test('a Value with no kind set is invalid input naming its path', () => {
  const decoded = wire({ fields: { a: { structValue: { fields: { b: {} } } } } });
  assert.throws(() => structToJson(decoded, 'data'), (error: unknown) => error instanceof InvalidInputError && error.message === 'data.a.b: is a google.protobuf.Value with no kind set');
});

test('NaN and infinities are not JSON numbers: invalid input naming the path', () => {
  for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
    const decoded = wire({ fields: { list: { listValue: { values: [{ numberValue: bad }] } } } });
    assert.throws(() => structToJson(decoded, 'data'), /data\.list\[0\]: .* is not a JSON number/);
  }
});

test('a Timestamp keeps the instant to the millisecond, before 1970 too', () => {
  assert.equal(toTimestamp('2026-01-02T03:04:05.678Z'), { seconds: '1767323045', nanos: 678_000_000 });
  assert.equal(toTimestamp('1970-01-01T00:00:00.000Z'), { seconds: '0', nanos: 0 });
  assert.equal(toTimestamp('1969-12-31T23:59:59.500Z'), { seconds: '-1', nanos: 500_000_000 });
});

test('a document message carries the version as an exact int64 and both instants', () => {
  const message = toDocumentMessage({
    id: 'u1',
    collection: 'users',
    version: 9007199254740991,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-02T00:00:00.001Z',
    data: { name: 'Ada' },
  });
  assert.is(message.version, '9007199254740991');
  assert.equal(message.create_time, { seconds: '1767225600', nanos: 0 });
  assert.equal(message.update_time, { seconds: '1767312000', nanos: 1_000_000 });
  assert.equal(structToJson(wire(message.data), 'data'), { name: 'Ada' });
});

test.run();
