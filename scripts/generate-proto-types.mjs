// Regenerates the TypeScript types of proto/database_service.proto into grpc-sidecar/generated (or the
// directory given as the first argument). The flags match PROTO_LOADER_OPTIONS in grpc-sidecar/proto.ts, so
// the types describe exactly the objects proto-loader hands the sidecar and its clients.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const outDir = resolve(process.argv[2] ?? join(root, 'grpc-sidecar/generated'));
const require = createRequire(import.meta.url);
const cli = join(dirname(require.resolve('@grpc/proto-loader/package.json')), 'build/bin/proto-loader-gen-types.js');

execFileSync(
  process.execPath,
  [
    cli,
    '--keepCase',
    '--longs=String',
    '--enums=String',
    '--defaults',
    '--oneofs',
    '--includeComments',
    '--grpcLib=@grpc/grpc-js',
    '--importFileExtension=.js',
    '--includeDirs=proto',
    `--outDir=${outDir}`,
    'database_service.proto',
  ],
  { cwd: root, stdio: 'inherit' },
);
