import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigError } from '../../shared/runtime/config/function-config.js';
import { grpcServerSecurity, type GrpcTlsConfig } from '../../grpc-sidecar/grpc-tls.js';
import { createCertificateAuthority, type CertificateAuthority } from '../support/certificates.js';
import { loadDocumentServiceProto } from '../../grpc-sidecar/proto.js';
import { DIST, freePort, spawnNode, tempDir } from '../support/processes.js';
import { startFunction } from '../support/stack.js';

/**
 * The sidecar's server credentials, proven over real sockets: a gRPC server built with them and gRPC clients
 * with and without the right certificates, all made by openssl for this run.
 */
interface Pki {
  dir: { path: string; remove: () => void };
  ca: CertificateAuthority;
  server: { certFile: string; keyFile: string };
  client: { certFile: string; keyFile: string };
  rogueClient: { certFile: string; keyFile: string };
}

const test = suite<{ pki: Pki }>('gRPC server TLS and mutual TLS');

test.before((ctx) => {
  const dir = tempDir('dbsvc-pki');
  const ca = createCertificateAuthority(dir.path, 'test-ca');
  const rogue = createCertificateAuthority(dir.path, 'rogue-ca');
  ctx.pki = { dir, ca, server: ca.issue('server', 'server'), client: ca.issue('client', 'client'), rogueClient: rogue.issue('rogue-client', 'client') };
});
test.after((ctx) => ctx.pki?.dir.remove());

const echo = {
  ping: {
    path: '/test.Echo/Ping',
    requestStream: false,
    responseStream: false,
    requestSerialize: (value: Buffer) => value,
    requestDeserialize: (bytes: Buffer) => bytes,
    responseSerialize: (value: Buffer) => value,
    responseDeserialize: (bytes: Buffer) => bytes,
  },
} satisfies grpc.ServiceDefinition;
const EchoClient = grpc.makeGenericClientConstructor(echo, 'Echo');

async function serve(config: GrpcTlsConfig): Promise<{ port: number; server: grpc.Server }> {
  const server = new grpc.Server();
  server.addService(echo, { ping: (call: grpc.ServerUnaryCall<Buffer, Buffer>, done: grpc.sendUnaryData<Buffer>) => done(null, call.request) });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpcServerSecurity(config).credentials, (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return { port, server };
}

/** One call; resolves to 'ok' or the gRPC status name it failed with. */
async function ping(port: number, credentials: grpc.ChannelCredentials): Promise<string> {
  const client = new EchoClient(`localhost:${port}`, credentials) as unknown as grpc.Client & {
    ping(request: Buffer, options: grpc.CallOptions, done: (error: grpc.ServiceError | null, reply?: Buffer) => void): void;
  };
  try {
    return await new Promise<string>((resolve) =>
      client.ping(Buffer.from('hi'), { deadline: Date.now() + 10_000 }, (error, reply) =>
        resolve(error ? grpc.status[error.code] : reply?.toString() === 'hi' ? 'ok' : 'wrong reply'),
      ),
    );
  } finally {
    client.close();
  }
}

const read = (file: string) => readFileSync(file);
const trusting = (pki: Pki, client?: { certFile: string; keyFile: string }) =>
  grpc.credentials.createSsl(read(pki.ca.certFile), client ? read(client.keyFile) : null, client ? read(client.certFile) : null);

test('without a certificate the server speaks plaintext', async () => {
  const security = grpcServerSecurity({ GRPC_TLS_CLIENT_AUTH: 'none' });
  assert.is(security.mode, 'plaintext');
  const { port, server } = await serve({ GRPC_TLS_CLIENT_AUTH: 'none' });
  try {
    assert.is(await ping(port, grpc.credentials.createInsecure()), 'ok');
  } finally {
    server.forceShutdown();
  }
});

test('with a certificate and key the server speaks TLS: trusted clients succeed, plaintext and untrusting clients fail', async ({ pki }) => {
  const config: GrpcTlsConfig = { GRPC_TLS_CERT_FILE: pki.server.certFile, GRPC_TLS_KEY_FILE: pki.server.keyFile, GRPC_TLS_CLIENT_AUTH: 'none' };
  assert.is(grpcServerSecurity(config).mode, 'tls');
  const { port, server } = await serve(config);
  try {
    assert.is(await ping(port, trusting(pki)), 'ok');
    assert.is(await ping(port, grpc.credentials.createInsecure()), 'UNAVAILABLE');
    assert.is(await ping(port, grpc.credentials.createSsl(read(pki.rogueClient.certFile))), 'UNAVAILABLE');
  } finally {
    server.forceShutdown();
  }
});

test('with client auth required only clients with a certificate from the CA get in', async ({ pki }) => {
  const config: GrpcTlsConfig = {
    GRPC_TLS_CERT_FILE: pki.server.certFile,
    GRPC_TLS_KEY_FILE: pki.server.keyFile,
    GRPC_TLS_CA_FILE: pki.ca.certFile,
    GRPC_TLS_CLIENT_AUTH: 'require',
  };
  assert.is(grpcServerSecurity(config).mode, 'mtls');
  const { port, server } = await serve(config);
  try {
    assert.is(await ping(port, trusting(pki, pki.client)), 'ok');
    assert.is(await ping(port, trusting(pki)), 'UNAVAILABLE');
    assert.is(await ping(port, trusting(pki, pki.rogueClient)), 'UNAVAILABLE');
  } finally {
    server.forceShutdown();
  }
});

test('the sidecar serves mutual TLS from its configuration and forwards calls that come in over it', async ({ pki }) => {
  const data = tempDir('dbsvc-sidecar-tls');
  const get = await startFunction('get', { DATA_DIR: data.path });
  const port = await freePort();
  const nobody = `http://127.0.0.1:${await freePort()}`;
  const sidecar = spawnNode(join(DIST, 'grpc-sidecar.mjs'), {
    GRPC_PORT: String(port),
    LOG_LEVEL: 'info',
    FUNCTION_URL_GET: get.url,
    ...Object.fromEntries(['CREATE', 'UPDATE', 'DELETE', 'QUERY', 'INDEXES'].map((op) => [`FUNCTION_URL_${op}`, nobody])),
    GRPC_TLS_CERT_FILE: pki.server.certFile,
    GRPC_TLS_KEY_FILE: pki.server.keyFile,
    GRPC_TLS_CA_FILE: pki.ca.certFile,
    GRPC_TLS_CLIENT_AUTH: 'require',
  });
  const { proto } = loadDocumentServiceProto();
  const getDocument = async (credentials: grpc.ChannelCredentials): Promise<string> => {
    const client = new proto.dbsvc.v1.DocumentService(`localhost:${port}`, credentials);
    try {
      return await new Promise<string>((resolve) =>
        client.GetDocument({ collection: 'c', id: 'missing' }, { deadline: Date.now() + 10_000 }, (error) => resolve(error ? grpc.status[error.code] : 'OK')),
      );
    } finally {
      client.close();
    }
  };
  try {
    const deadline = Date.now() + 60_000;
    while (!/"msg":"grpc sidecar ready"/.test(sidecar.output())) {
      if (Date.now() > deadline || sidecar.child.exitCode !== null) throw new Error(`the sidecar did not start:\n${sidecar.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    assert.match(sidecar.output(), /"security":"mtls"/);
    // NOT_FOUND: the call came through TLS, reached the function, and the function looked for the document.
    assert.is(await getDocument(trusting(pki, pki.client)), 'NOT_FOUND');
    assert.is(await getDocument(trusting(pki)), 'UNAVAILABLE');
    assert.is(await getDocument(grpc.credentials.createInsecure()), 'UNAVAILABLE');
  } finally {
    await Promise.all([sidecar.stop(), get.process.stop()]);
    data.remove();
  }
});

test('a sidecar whose TLS files are wrong stops at start naming the variable', async ({ pki }) => {
  const sidecar = spawnNode(join(DIST, 'grpc-sidecar.mjs'), {
    GRPC_PORT: String(await freePort()),
    ...Object.fromEntries(['CREATE', 'GET', 'UPDATE', 'DELETE', 'QUERY', 'INDEXES'].map((op) => [`FUNCTION_URL_${op}`, 'http://127.0.0.1:9'])),
    GRPC_TLS_CERT_FILE: pki.server.certFile,
    GRPC_TLS_KEY_FILE: pki.client.keyFile,
  });
  const { code } = await sidecar.exited;
  assert.is(code, 1);
  assert.match(sidecar.output(), /GRPC_TLS_KEY_FILE=.*not the private key of the certificate/);
});

function configError(config: GrpcTlsConfig): string {
  try {
    grpcServerSecurity(config);
  } catch (error) {
    assert.instance(error, ConfigError);
    return (error as Error).message;
  }
  throw new Error('accepted');
}

test('a missing file, a file that is not a certificate, or a key of another certificate is a ConfigError naming the variable', ({ pki }) => {
  const base = { GRPC_TLS_CERT_FILE: pki.server.certFile, GRPC_TLS_KEY_FILE: pki.server.keyFile, GRPC_TLS_CLIENT_AUTH: 'none' } as const;
  assert.match(configError({ ...base, GRPC_TLS_CERT_FILE: join(pki.dir.path, 'absent.pem') }), /GRPC_TLS_CERT_FILE=.*cannot be read \(ENOENT\)/);
  const garbage = join(pki.dir.path, 'garbage.pem');
  writeFileSync(garbage, 'not a certificate');
  assert.match(configError({ ...base, GRPC_TLS_CERT_FILE: garbage }), /GRPC_TLS_CERT_FILE=.*not a PEM certificate/);
  assert.match(configError({ ...base, GRPC_TLS_KEY_FILE: pki.client.keyFile }), /GRPC_TLS_KEY_FILE=.*not the private key/);
  assert.match(configError({ ...base, GRPC_TLS_CA_FILE: garbage }), /GRPC_TLS_CA_FILE=.*not a PEM certificate/);
});

test.run();
