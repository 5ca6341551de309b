import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Real certificates made with openssl in `dir`: a CA, and leaf certificates it (or another CA) signs. */
export interface CertificateAuthority {
  readonly certFile: string;
  readonly keyFile: string;
  /** A key and certificate for `name`, signed by this CA; servers get localhost and 127.0.0.1 as names. */
  issue(name: string, usage: 'server' | 'client'): { certFile: string; keyFile: string };
}

const openssl = (dir: string, args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

export function createCertificateAuthority(dir: string, name: string): CertificateAuthority {
  const certFile = join(dir, `${name}.pem`);
  const keyFile = join(dir, `${name}.key`);
  openssl(dir, ['req', '-x509', ...EC_KEY, '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', `/CN=${name}`]);
  return {
    certFile,
    keyFile,
    issue(leaf, usage) {
      const leafKey = join(dir, `${leaf}.key`);
      const leafCert = join(dir, `${leaf}.pem`);
      const csr = join(dir, `${leaf}.csr`);
      const extensions = join(dir, `${leaf}.ext`);
      writeFileSync(
        extensions,
        usage === 'server' ? 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' : 'extendedKeyUsage=clientAuth\n',
      );
      openssl(dir, ['req', ...EC_KEY, '-keyout', leafKey, '-out', csr, '-subj', `/CN=${leaf}`]);
      openssl(dir, ['x509', '-req', '-in', csr, '-CA', certFile, '-CAkey', keyFile, '-CAcreateserial', '-out', leafCert, '-days', '1', '-extfile', extensions]);
      return { certFile: leafCert, keyFile: leafKey };
    },
  };
}
