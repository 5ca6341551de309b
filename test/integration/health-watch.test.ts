import * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import { HealthImplementation, service as healthService } from 'grpc-health-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { addHealthService } from '../../grpc-sidecar/health-service.js';

interface Watching {
  server: grpc.Server;
  health: HealthImplementation;
  client: grpc.Client;
  endWatches: () => void;
}

const watchMethod = healthService.Watch as MethodDefinition<{ service: string }, { status: string }>;

/** The health service on a real server, as the sidecar serves it, and a client over a socket. */
async function startWatching(): Promise<Watching> {
  const server = new grpc.Server();
  const health = new HealthImplementation({ '': 'NOT_SERVING' });
  const endWatches = addHealthService(server, health, ['']);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  const client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  return { server, health, client, endWatches };
}

/** Opens a Watch and resolves with its stream once the first status arrives. */
function watch(client: grpc.Client, service: string): Promise<{ stream: grpc.ClientReadableStream<{ status: string }>; first: string }> {
  const stream = client.makeServerStreamRequest(watchMethod.path, watchMethod.requestSerialize, watchMethod.responseDeserialize, { service });
  stream.on('error', () => undefined);
  return new Promise((resolve, reject) => {
    stream.once('data', (message: { status: string }) => resolve({ stream, first: message.status }));
    stream.once('error', reject);
  });
}

/** How many service names the library keeps watchers for: the map it never shrinks. */
function namesKeptByLibrary(health: HealthImplementation): number {
  return (Reflect.get(health, 'watchers') as Map<string, unknown>).size;
}

const test = suite<Watching>('health Watch', {} as Watching);

test.before.each(async (ctx) => {
  Object.assign(ctx, await startWatching());
});

test.after.each(async ({ client, server, endWatches }) => {
  endWatches();
  client.close();
  server.forceShutdown();
});

test('a Watch of a service the sidecar reports on gets its status, then each change', async ({ client, health }) => {
  const { stream, first } = await watch(client, '');
  assert.is(first, 'NOT_SERVING');
  const next = new Promise<string>((resolve) => stream.once('data', (message: { status: string }) => resolve(message.status)));
  health.setStatus('', 'SERVING');
  assert.is(await next, 'SERVING');
  stream.cancel();
});

test('a Watch of an unknown service gets SERVICE_UNKNOWN and its stream stays open', async ({ client }) => {
  const { stream, first } = await watch(client, 'made.up.Service');
  assert.is(first, 'SERVICE_UNKNOWN');
  let ended = false;
  stream.on('end', () => (ended = true));
  stream.on('status', () => (ended = true));
  await new Promise((resolve) => setImmediate(resolve));
  assert.not.ok(ended);
  stream.cancel();
});

test('watching many made-up service names leaves nothing behind once their streams are cancelled', async ({ client, health }) => {
  for (let batch = 0; batch < 10; batch++) {
    const opened = await Promise.all(Array.from({ length: 50 }, (_, i) => watch(client, `made.up.${batch}.${i}.${'x'.repeat(1_000)}`)));
    for (const { stream } of opened) stream.cancel();
  }
  assert.is(namesKeptByLibrary(health), 0);
});

test('ending the watches ends a Watch of an unknown service too', async ({ client, endWatches }) => {
  const { stream } = await watch(client, 'made.up.Service');
  const ended = new Promise<void>((resolve) => stream.on('status', () => resolve()));
  endWatches();
  await ended;
});

test.run();
