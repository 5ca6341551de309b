import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfig } from '../../shared/runtime/config/function-config.js';
import { loadGatewayConfig } from '../../shared/runtime/config/gateway-config.js';
import { loadLocalStackConfig } from '../../shared/runtime/config/local-stack-config.js';
import { loadSidecarConfig } from '../../shared/runtime/config/sidecar-config.js';
import { FUNCTION_URL_VARIABLES } from '../../shared/runtime/config/function-urls.js';
import { configError } from '../support/config-error.js';

/** Each program validates the variables it reads: a function, the gRPC sidecar, the gateway alone, the local stack. */
const FUNCTION_URLS = Object.fromEntries(Object.values(FUNCTION_URL_VARIABLES).map((variable) => [variable, 'http://fn']));

test("a function starts whatever the sidecar's and the local stack's variables say", () => {
  const config = loadConfig({ GRPC_PORT: 'x', GRPC_TLS_CERT_FILE: '/c.pem', FUNCTION_URL_GET: 'ftp://get', SCALE_TO_ZERO: 'maybe' });
  assert.is(config.PORT, 8080);
});

test("the sidecar starts whatever a function's variables say", () => {
  const config = loadSidecarConfig({ ...FUNCTION_URLS, STORE: 'nope', AUTH_MODE: 'apikey', MAX_BODY_BYTES: '-1' });
  assert.is(config.GRPC_PORT, 50051);
  assert.is(config.functionUrls.get, 'http://fn');
});

test("the gateway alone starts whatever a function's and the sidecar's variables say, but needs every function URL", () => {
  const config = loadGatewayConfig({ ...FUNCTION_URLS, PORT: '9000', STORE: 'nope', GRPC_TLS_CERT_FILE: '/c.pem' });
  assert.is(config.PORT, 9000);
  assert.is(config.functionUrls.query, 'http://fn');
  assert.match(configError({ FUNCTION_URL_GET: 'http://fn' }, loadGatewayConfig), /FUNCTION_URL_CREATE, FUNCTION_URL_UPDATE, FUNCTION_URL_DELETE, FUNCTION_URL_QUERY, FUNCTION_URL_INDEXES must be set/);
});

test('the gRPC TLS variables must come in working combinations', () => {
  assert.match(configError({ ...FUNCTION_URLS, GRPC_TLS_CERT_FILE: '/c.pem' }, loadSidecarConfig), /GRPC_TLS_CERT_FILE and GRPC_TLS_KEY_FILE go together/);
  assert.match(
    configError({ ...FUNCTION_URLS, GRPC_TLS_CERT_FILE: '/c.pem', GRPC_TLS_KEY_FILE: '/k.pem', GRPC_TLS_CLIENT_AUTH: 'require' }, loadSidecarConfig),
    /needs GRPC_TLS_CA_FILE/,
  );
});

test('the local stack checks every variable it hands to the functions and the sidecar, in the same words', () => {
  assert.match(configError({ STORE: 'nope' }, loadLocalStackConfig), /^invalid configuration: STORE="nope": must be one of sqlite, mongodb$/);
  assert.match(configError({ GRPC_PORT: 'x' }, loadLocalStackConfig), /GRPC_PORT="x": must be an integer from 0 to 65535/);
  assert.match(configError({ SCALE_TO_ZERO: 'maybe' }, loadLocalStackConfig), /SCALE_TO_ZERO="maybe": must be 1 or 0/);
  assert.match(configError({ STORE: 'mongodb' }, loadLocalStackConfig), /MONGODB_URI is required when STORE=mongodb/);
  assert.match(configError({ GRPC_TLS_KEY_FILE: '/k.pem' }, loadLocalStackConfig), /GRPC_TLS_CERT_FILE and GRPC_TLS_KEY_FILE go together/);
  assert.is(loadLocalStackConfig({}).SCALE_TO_ZERO, false, 'the stack sets the function URLs itself');
});

test.run();
