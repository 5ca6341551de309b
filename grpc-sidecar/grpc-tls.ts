import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ServerCredentials } from '@grpc/grpc-js';
import { ConfigError } from '../shared/runtime/config/environment.js';
import type { SidecarConfig } from '../shared/runtime/config/sidecar-config.js';

export type GrpcTlsConfig = Pick<SidecarConfig, 'GRPC_TLS_CERT_FILE' | 'GRPC_TLS_KEY_FILE' | 'GRPC_TLS_CA_FILE' | 'GRPC_TLS_CLIENT_AUTH'>;

export interface GrpcServerSecurity {
  readonly credentials: ServerCredentials;
  /** For the start log: plaintext, tls, or mtls (clients must present a certificate signed by the CA). */
  readonly mode: 'plaintext' | 'tls' | 'mtls';
}

/**
 * The gRPC sidecar's server credentials from configuration: plaintext without a certificate (inside a mesh
 * that terminates TLS), TLS with GRPC_TLS_CERT_FILE and GRPC_TLS_KEY_FILE, and mutual TLS with
 * GRPC_TLS_CLIENT_AUTH=require, which accepts only clients whose certificate GRPC_TLS_CA_FILE signed.
 * Files are read and checked once at start, so a wrong path or a key that does not fit its certificate
 * stops the sidecar with a ConfigError naming the variable instead of failing every handshake later.
 */
export function grpcServerSecurity(config: GrpcTlsConfig): GrpcServerSecurity {
  if (!config.GRPC_TLS_CERT_FILE || !config.GRPC_TLS_KEY_FILE) {
    return { credentials: ServerCredentials.createInsecure(), mode: 'plaintext' };
  }
  const cert = readPem('GRPC_TLS_CERT_FILE', config.GRPC_TLS_CERT_FILE);
  const key = readPem('GRPC_TLS_KEY_FILE', config.GRPC_TLS_KEY_FILE);
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(cert);
  } catch {
    throw new ConfigError(`GRPC_TLS_CERT_FILE=${config.GRPC_TLS_CERT_FILE}: not a PEM certificate`);
  }
  try {
    if (!certificate.checkPrivateKey(createPrivateKey(key))) throw new Error('mismatch');
  } catch {
    throw new ConfigError(`GRPC_TLS_KEY_FILE=${config.GRPC_TLS_KEY_FILE}: not the private key of the certificate in GRPC_TLS_CERT_FILE`);
  }
  const ca = config.GRPC_TLS_CA_FILE ? readPem('GRPC_TLS_CA_FILE', config.GRPC_TLS_CA_FILE) : null;
  if (ca) {
    try {
      new X509Certificate(ca);
    } catch {
      throw new ConfigError(`GRPC_TLS_CA_FILE=${config.GRPC_TLS_CA_FILE}: not a PEM certificate`);
    }
  }
  const mutual = config.GRPC_TLS_CLIENT_AUTH === 'require';
  return {
    credentials: ServerCredentials.createSsl(ca, [{ private_key: key, cert_chain: cert }], mutual),
    mode: mutual ? 'mtls' : 'tls',
  };
}

function readPem(variable: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new ConfigError(`${variable}=${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}
